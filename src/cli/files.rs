//! Finding, reading and writing the files `check` works on.

use std::io::Write;
use std::path::{Path, PathBuf};

/// UTF-8 byte order mark.
pub const BOM: &str = "\u{feff}";

/// A file's text as read from disk.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Text without a leading BOM.
    pub text: String,
    pub had_bom: bool,
}

/// Decodes bytes: strips a BOM, and reports the first invalid byte.
pub fn decode(bytes: Vec<u8>) -> Result<SourceText, String> {
    if let Some(order) = utf16_bom(&bytes) {
        return Err(format!(
            "the file is UTF-16 ({order}, it starts with a UTF-16 byte order mark); copydesk reads UTF-8: \
             convert it with `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8` (or save it as UTF-8 in your editor)"
        ));
    }
    let (bytes, had_bom) = match bytes.strip_prefix(BOM.as_bytes()) {
        Some(rest) => (rest.to_vec(), true),
        None => (bytes, false),
    };
    // simdutf8 validates Vietnamese copy (two- and three-byte letters every few bytes)
    // several times faster than the standard library, whose fast path is ASCII.
    match simdutf8::compat::from_utf8(&bytes) {
        Ok(_) => {
            // SAFETY: `bytes` has just been validated as UTF-8.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            Ok(SourceText { text, had_bom })
        }
        Err(e) => {
            let at = e.valid_up_to() + if had_bom { BOM.len() } else { 0 };
            Err(format!(
                "not valid UTF-8 at byte {at}; convert the file to UTF-8 (for example `iconv -f WINDOWS-1258 -t UTF-8`)"
            ))
        }
    }
}

/// The byte order of a UTF-16 byte order mark at the start, if there is one (not the
/// UTF-32 one, `FF FE 00 00`, for which the UTF-16 advice would be wrong).
fn utf16_bom(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] => None,
        [0xFF, 0xFE, ..] => Some("little-endian"),
        [0xFE, 0xFF, ..] => Some("big-endian"),
        _ => None,
    }
}

pub fn read(path: &Path) -> Result<SourceText, String> {
    let bytes = std::fs::read(path).map_err(|e| io_message(&e))?;
    decode(bytes)
}

pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Writes `text` (with the BOM again if the file had one) atomically: a temporary file
/// in the same folder, the original's permissions, then a rename over the original.
/// Never through a symbolic link (a link committed in a repository could point anywhere):
/// that is an error.
pub fn write_atomic(path: &Path, text: &str, bom: bool) -> std::io::Result<()> {
    if bom {
        let mut bytes = BOM.as_bytes().to_vec();
        bytes.extend_from_slice(text.as_bytes());
        return write_atomic_bytes(path, &bytes);
    }
    write_atomic_bytes(path, text.as_bytes())
}

/// Writes bytes atomically (see [`write_atomic`]); a Word document goes through here.
pub fn write_atomic_bytes(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::other(
            "it is a symbolic link, and copydesk does not write through links; remove the link or name the real file",
        ));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    super::write::sweep_stale(dir);
    let mut tmp = super::write::temp_in(dir)?;
    let _live = super::write::LiveTemp::new(tmp.path());
    tmp.write_all(bytes)?;
    tmp.flush()?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Why a path that is neither a file nor a folder cannot be read, or `None` for a FIFO,
/// which can.
#[cfg(unix)]
fn special_file(m: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    if t.is_fifo() {
        None
    } else if t.is_char_device() {
        Some("a character device (a terminal or a device such as /dev/zero), not a file")
    } else if t.is_block_device() {
        Some("a block device, not a file")
    } else if t.is_socket() {
        Some("a socket, not a file")
    } else {
        Some("not a regular file")
    }
}

#[cfg(not(unix))]
fn special_file(_: &std::fs::Metadata) -> Option<&'static str> {
    Some("not a regular file")
}

/// One input: a path on disk, or standard input under a display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin(Option<PathBuf>),
}

/// Expands the command-line paths into files, walking folders with `.gitignore` rules
/// and keeping the given extensions. Returns files and per-path errors, sorted.
pub fn discover(
    paths: &[PathBuf],
    extensions_for: &dyn Fn(&Path) -> Vec<String>,
    excluded: &dyn Fn(&Path) -> bool,
) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Err(e) => errors.push((p.clone(), io_message(&e))),
            Ok(m) if m.is_file() => files.push(p.clone()),
            Ok(m) if !m.is_dir() => match special_file(&m) {
                // A FIFO (`<(cmd)`, `/dev/stdin` on a pipe) named on the command line is read.
                None => files.push(p.clone()),
                Some(what) => errors.push((
                    p.clone(),
                    format!("{what}; copydesk reads files, folders and FIFOs (use `-` for standard input)"),
                )),
            },
            Ok(_) => {
                let walker = ignore::WalkBuilder::new(p)
                    .hidden(true)
                    .git_ignore(true)
                    .require_git(false)
                    .build();
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            let path = e.path();
                            if !e.file_type().is_some_and(|t| t.is_file()) || excluded(path) {
                                continue;
                            }
                            let ext = path
                                .extension()
                                .and_then(|x| x.to_str())
                                .unwrap_or("")
                                .to_ascii_lowercase();
                            if extensions_for(path).iter().any(|x| x.eq_ignore_ascii_case(&ext)) {
                                files.push(path.to_path_buf());
                            }
                        }
                        Err(e) => errors.push((p.clone(), e.to_string())),
                    }
                }
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_the_bad_byte_and_keeps_the_bom() {
        let e = decode(b"ab\xffcd".to_vec()).unwrap_err();
        assert!(e.starts_with("not valid UTF-8 at byte 2"), "{e}");
        let s = decode("\u{feff}xin".as_bytes().to_vec()).unwrap();
        assert!(s.had_bom);
        assert_eq!(s.text, "xin");
    }

    proptest::proptest! {
        // Fixed seed, no regression files (the engine's kinds use the same settings).
        #![proptest_config(proptest::test_runner::Config {
            cases: 128,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x00c0_97de_5c00),
            failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Off)),
            ..proptest::test_runner::Config::default()
        })]
        /// The fast validator agrees with the standard library on any bytes: the same
        /// text, or the same first bad byte.
        #[test]
        fn decode_agrees_with_std(
            text in "[a-zđươạảấầẩẫậĂẰẶ😀 \u{300}\u{301}\n]{0,40}",
            cut in 0usize..200,
            junk in proptest::collection::vec(proptest::num::u8::ANY, 0..4),
        ) {
            let mut bytes = text.into_bytes();
            let at = cut.min(bytes.len());
            bytes.splice(at..at, junk);
            match (decode(bytes.clone()), String::from_utf8(bytes)) {
                (Ok(ours), Ok(std)) => proptest::prop_assert_eq!(ours.text, std),
                (Err(ours), Err(std)) => {
                    let wanted = format!("not valid UTF-8 at byte {}", std.utf8_error().valid_up_to());
                    proptest::prop_assert!(ours.starts_with(&wanted), "{} / {}", ours, wanted);
                }
                (ours, std) => proptest::prop_assert!(false, "{:?} vs {:?}", ours.map(|s| s.text), std),
            }
        }
    }
}
