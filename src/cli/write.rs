//! Writing fixed files back without losing or misplacing anyone's data
//! (docs/fix-safety.md).
//!
//! A file is written only if, just before the write, it is still the file that was read:
//! the same path identity (no symlink swapped in, not moved), the same bytes (no editor
//! saved in the meantime), a regular file, writable, owned by whoever will own the new
//! copy. The new text goes to a temporary `.copydesk-<pid>-XXXXXX` file next to the real
//! target (so a symlink to another filesystem works), which is renamed over it; a file
//! with several hard links is written in place so that every link sees the fix.
//! Temporary files are removed on SIGINT and SIGTERM, and stale ones left by a killed run
//! are swept on the next run.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use super::files::{io_message, BOM};

/// Prefix of our temporary files; the process id and six random characters follow.
pub const TEMP_PREFIX: &str = ".copydesk-";

/// A stale temporary file of ours is removed when its process is gone, or (where that
/// cannot be known) when it is older than this.
const STALE_AGE: Duration = Duration::from_secs(3600);

/// Temporary files being written now; the signal handler removes them.
static LIVE_TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Folders already swept in this run.
static SWEPT: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();

/// What `--fix` may write.
#[derive(Debug, Clone, Copy, Default)]
pub struct WritePolicy {
    /// Write read-only files too (`--fix-read-only`).
    pub read_only: bool,
}

/// Who a path is: the link itself and what it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    is_symlink: bool,
    link: (u64, u64),
    target: (u64, u64),
}

#[cfg(unix)]
fn dev_ino(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn dev_ino(m: &std::fs::Metadata) -> (u64, u64) {
    let t = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    (m.len(), t)
}

/// A file as it was when it was read.
#[derive(Debug, Clone)]
pub struct Snapshot {
    identity: Identity,
    meta: std::fs::Metadata,
}

impl Snapshot {
    /// Records `path` before it is read.
    pub fn take(path: &Path) -> std::io::Result<Snapshot> {
        let link = std::fs::symlink_metadata(path)?;
        let meta = std::fs::metadata(path)?;
        Ok(Snapshot {
            identity: Identity {
                is_symlink: link.file_type().is_symlink(),
                link: dev_ino(&link),
                target: dev_ino(&meta),
            },
            meta,
        })
    }

    fn same_path(&self, path: &Path) -> bool {
        Snapshot::take(path).is_ok_and(|now| now.identity == self.identity)
    }
}

/// Writes the fixed `text` over `path`, which was read as `original` (BOM included) when
/// `snapshot` was taken. The error says why nothing was written.
pub fn write_fixed(
    path: &Path,
    snapshot: &Snapshot,
    original: &[u8],
    text: &str,
    bom: bool,
    policy: WritePolicy,
) -> Result<(), String> {
    let not_written = |why: &str| format!("{why}; the fixes were not written");
    if !snapshot.meta.is_file() {
        return Err(not_written(
            "not a regular file (`--fix` writes regular files only; use `-` to fix standard input)",
        ));
    }
    if snapshot.meta.permissions().readonly() && !policy.read_only {
        return Err(not_written(
            "the file is read-only (pass `--fix-read-only` to write it anyway)",
        ));
    }
    let real = std::fs::canonicalize(path).map_err(|e| not_written(&io_message(&e)))?;
    let mut bytes = Vec::with_capacity(text.len() + BOM.len());
    if bom {
        bytes.extend_from_slice(BOM.as_bytes());
    }
    bytes.extend_from_slice(text.as_bytes());
    let check = Unchanged {
        path,
        snapshot,
        original,
    };
    if links(&snapshot.meta) > 1 {
        return write_in_place(&real, &check, &bytes).map_err(|e| not_written(&e));
    }
    write_by_rename(&real, &check, &bytes).map_err(|e| not_written(&e))
}

/// What must still hold just before the write.
struct Unchanged<'a> {
    path: &'a Path,
    snapshot: &'a Snapshot,
    original: &'a [u8],
}

impl Unchanged<'_> {
    /// The same file (no link swapped in, not moved) with the same bytes as when read.
    fn verify(&self) -> Result<(), String> {
        if !self.snapshot.same_path(self.path) {
            return Err("the file was moved or replaced (for example by a symbolic link) after it was read".into());
        }
        let now = std::fs::read(self.path).map_err(|e| format!("cannot read it again: {}", io_message(&e)))?;
        if now != self.original {
            return Err(
                "the file changed after it was read (saved by an editor?); run `copydesk check --fix` again".into(),
            );
        }
        Ok(())
    }
}

/// For the end-to-end tests of the checks above (a file edited or swapped while `--fix`
/// runs): `COPYDESK_TEST_WRITE_PAUSE_MS` waits that long just before they run, with the
/// temporary file already written. Test-only: compiled into debug builds alone, which is
/// what `cargo test` runs; a release binary ignores the variable.
#[cfg(debug_assertions)]
fn test_pause() {
    if let Some(ms) = std::env::var("COPYDESK_TEST_WRITE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        // Tells a test that the run has reached the pause (a write in place leaves no
        // temporary file to watch for).
        eprintln!("copydesk: test pause of {ms} ms before writing");
        std::thread::sleep(Duration::from_millis(ms.min(60_000)));
    }
}

#[cfg(not(debug_assertions))]
fn test_pause() {}

#[cfg(unix)]
fn links(m: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    m.nlink()
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// A file with several hard links is rewritten in place: a rename would leave the other
/// links with the old text. Not atomic; the bytes were checked just before.
fn write_in_place(real: &Path, check: &Unchanged, bytes: &[u8]) -> Result<(), String> {
    install_signal_cleanup();
    test_pause();
    // A signal handler waits for this lock: Ctrl-C never stops a write half-way.
    let _no_exit = LIVE_TEMPS.lock().unwrap_or_else(|e| e.into_inner());
    check.verify()?;
    let snapshot = check.snapshot;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(real)
        .map_err(|e| io_message(&e))?;
    let meta = f.metadata().map_err(|e| io_message(&e))?;
    if dev_ino(&meta) != snapshot.identity.target {
        return Err("the file was replaced after it was read".into());
    }
    f.write_all(bytes).map_err(|e| io_message(&e))?;
    f.set_len(bytes.len() as u64).map_err(|e| io_message(&e))?;
    f.sync_all().map_err(|e| io_message(&e))
}

/// The new text in a temporary file next to the real target, then a rename over it.
fn write_by_rename(real: &Path, check: &Unchanged, bytes: &[u8]) -> Result<(), String> {
    let snapshot = check.snapshot;
    let dir = real.parent().unwrap_or(Path::new("."));
    sweep_stale(dir);
    let mut tmp = temp_in(dir).map_err(|e| format!("cannot create a temporary file: {}", io_message(&e)))?;
    let tmp_path = tmp.path().to_path_buf();
    register(&tmp_path);
    let result = (|| {
        tmp.write_all(bytes).map_err(|e| io_message(&e))?;
        tmp.flush().map_err(|e| io_message(&e))?;
        tmp.as_file()
            .set_permissions(snapshot.meta.permissions())
            .map_err(|e| io_message(&e))?;
        keep_owner(tmp.as_file(), &snapshot.meta)?;
        tmp.as_file().sync_all().map_err(|e| io_message(&e))?;
        test_pause();
        // Rename while holding the list of live temporary files, so that a signal
        // handler waits for the rename instead of racing it.
        let mut live = LIVE_TEMPS.lock().unwrap_or_else(|e| e.into_inner());
        check.verify()?;
        let r = std::fs::rename(&tmp_path, real).map_err(|e| io_message(&e));
        live.retain(|p| p != &tmp_path);
        r
    })();
    unregister(&tmp_path);
    // On success the temporary file is gone; on failure dropping `tmp` removes it.
    drop(tmp);
    result
}

/// Gives the new file the old one's owner and group, or refuses.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, old: &std::fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let new = file.metadata().map_err(|e| io_message(&e))?;
    if new.uid() == old.uid() && new.gid() == old.gid() {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).map_err(|_| {
        format!(
            "the file belongs to user {} and group {}, and a copy written by this user would not; \
             run copydesk as its owner",
            old.uid(),
            old.gid()
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &std::fs::Metadata) -> Result<(), String> {
    Ok(())
}

/// A temporary file of ours in `dir`.
pub fn temp_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .rand_bytes(6)
        .tempfile_in(dir)
}

/// A temporary file that the signal handler removes while this guard lives.
pub struct LiveTemp(PathBuf);

impl LiveTemp {
    pub fn new(p: &Path) -> LiveTemp {
        register(p);
        LiveTemp(p.to_path_buf())
    }
}

impl Drop for LiveTemp {
    fn drop(&mut self) {
        unregister(&self.0);
    }
}

fn register(p: &Path) {
    install_signal_cleanup();
    LIVE_TEMPS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(p.to_path_buf());
}

fn unregister(p: &Path) {
    LIVE_TEMPS.lock().unwrap_or_else(|e| e.into_inner()).retain(|x| x != p);
}

/// On SIGINT or SIGTERM: remove the temporary files being written, then exit with the
/// conventional 128 + signal number. Installed once, the first time a file is written.
#[cfg(unix)]
pub fn install_signal_cleanup() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(sig) = signals.forever().next() {
                // Keep the lock until exit so that no rename starts after the clean-up.
                let live = LIVE_TEMPS.lock().unwrap_or_else(|e| e.into_inner());
                for p in live.iter() {
                    let _ = std::fs::remove_file(p);
                }
                std::process::exit(128 + sig);
            }
        });
    });
}

#[cfg(not(unix))]
pub fn install_signal_cleanup() {}

/// Whether a process is running, where that can be known (Linux: `/proc`).
fn process_alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        Some(proc.join(pid.to_string()).exists())
    } else {
        None
    }
}

/// The process that made `name`, if it is one of our temporary files
/// (`.copydesk-<pid>-XXXXXX`). The older names without a process id are left alone: a
/// user's own `.copydesk-backup` would look the same.
fn our_temp(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    let (pid, rand) = rest.split_once('-')?;
    let random = rand.len() == 6 && rand.bytes().all(|b| b.is_ascii_alphanumeric());
    if !pid.is_empty() && pid.len() <= 10 && pid.bytes().all(|b| b.is_ascii_digit()) && random {
        return pid.parse().ok();
    }
    None
}

/// Removes temporary files of ours in `dir` left by a run that was killed: their process
/// is gone, or they are older than an hour. Once per folder per run.
pub fn sweep_stale(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let swept = SWEPT.get_or_init(|| Mutex::new(HashSet::new()));
    if !swept
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(dir.to_path_buf())
    {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(owner) = name.to_str().and_then(our_temp) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if !meta.is_file() || owner == me {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_AGE);
        let gone = process_alive(owner).is_some_and(|alive| !alive);
        if gone || old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_temporary_names_are_recognised_and_nothing_else() {
        assert_eq!(our_temp(".copydesk-1234-aB3dE9"), Some(1234));
        assert_eq!(our_temp(".copydesk-aB3dE9"), None);
        assert_eq!(our_temp(".copydesk-backup"), None);
        assert_eq!(our_temp(".copydesk-baseline.json"), None);
        assert_eq!(our_temp(".copydesk.toml"), None);
        assert_eq!(our_temp(".copydesk-12-abc"), None);
        assert_eq!(our_temp("copydesk-12-aB3dE9"), None);
    }
}
