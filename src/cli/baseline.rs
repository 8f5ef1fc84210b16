//! Baselines: today's findings recorded in a file, so that only new ones are reported.
//!
//! The file is JSON, sorted and stable (see docs/ci.md, "Baselines"):
//!
//! ```json
//! {
//!   "version": 1,
//!   "files": {
//!     "news/a.md": [
//!       { "rule": "house/units.km", "fingerprint": "4f…", "found": "5KM" }
//!     ]
//!   }
//! }
//! ```
//!
//! File keys are paths relative to the baseline file's folder, with `/`. A finding is
//! matched by file, rule and fingerprint ([`super::fingerprint::baseline_fingerprints`]),
//! never by line, so edits elsewhere in the file keep it baselined; `found` is there
//! for people reading the file.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::changed::absolute;
use super::files::{self, Input};
use super::fingerprint::{baseline_fingerprints, found};
use super::report::{FileReport, Report};

/// The version written in, and accepted from, baseline files.
pub const VERSION: u32 = 1;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub fingerprint: String,
    /// The flagged text, for readers; not used for matching.
    #[serde(default)]
    pub found: String,
}

/// The contents of a baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub files: BTreeMap<String, Vec<Entry>>,
}

/// A loaded baseline, ready to filter a report.
#[derive(Debug, Clone)]
pub struct Baseline {
    dir: PathBuf,
    entries: HashSet<(String, String, String)>,
}

/// The folder file keys are relative to.
fn base_dir(baseline: &Path) -> PathBuf {
    let parent = baseline
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    absolute(parent)
}

/// Removes `.` and resolves `..` lexically.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `base` (both absolute and clean), with `..` where needed; `path`
/// itself when they share no root (two Windows drives).
fn relative(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// The key of a checked file in a baseline stored in `dir`.
fn key(file: &FileReport, dir: &Path) -> String {
    let path = match &file.input {
        Input::File(p) => p.clone(),
        Input::Stdin(Some(p)) => p.clone(),
        Input::Stdin(None) => return "-".to_string(),
    };
    let abs = clean(&absolute(&path));
    relative(&abs, dir)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

impl Baseline {
    /// Reads a baseline file; the error says what is wrong and where.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read the baseline {}: {}; create it with `copydesk check --write-baseline {}`",
                path.display(),
                files::io_message(&e),
                path.display()
            )
        })?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            let message = e.to_string();
            let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
            format!(
                "{}:{}:{}: not a copydesk baseline: {message}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if file.version != VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (this copydesk reads version {VERSION})",
                path.display(),
                file.version
            ));
        }
        let entries = file
            .files
            .into_iter()
            .flat_map(|(f, es)| es.into_iter().map(move |e| (f.clone(), e.rule, e.fingerprint)))
            .collect();
        Ok(Baseline {
            dir: base_dir(path),
            entries,
        })
    }

    /// Drops the diagnostics the baseline records; returns how many.
    pub fn filter(&self, report: &mut Report) -> usize {
        let mut hidden = 0;
        for f in &mut report.files {
            let k = key(f, &self.dir);
            let fingerprints = baseline_fingerprints(f);
            let keep: Vec<bool> = f
                .diagnostics
                .iter()
                .zip(&fingerprints)
                .map(|(d, fp)| {
                    let rule = f.engine.rule(d.rule).full_id();
                    !self.entries.contains(&(k.clone(), rule, fp.clone()))
                })
                .collect();
            let mut it = keep.iter();
            let before = f.diagnostics.len();
            f.diagnostics.retain(|_| *it.next().unwrap_or(&true));
            hidden += before - f.diagnostics.len();
        }
        hidden
    }
}

/// The baseline of a report, as it would be stored at `path`.
pub fn build(report: &Report, path: &Path) -> BaselineFile {
    let dir = base_dir(path);
    let mut out = BaselineFile {
        version: VERSION,
        files: BTreeMap::new(),
    };
    for f in &report.files {
        if f.diagnostics.is_empty() {
            continue;
        }
        let fingerprints = baseline_fingerprints(f);
        let entries = out.files.entry(key(f, &dir)).or_default();
        for (d, fp) in f.diagnostics.iter().zip(fingerprints) {
            entries.push(Entry {
                rule: f.engine.rule(d.rule).full_id(),
                fingerprint: fp,
                found: found(f, d).to_string(),
            });
        }
        entries.sort();
    }
    out
}

/// Writes the baseline of `report` to `path`; returns the number of findings recorded.
/// Refuses when some files could not be checked: their findings would be missing, and
/// would all show as new on the next run.
pub fn write(report: &Report, path: &Path) -> Result<usize, String> {
    if !report.errors.is_empty() {
        return Err(format!(
            "the baseline {} was not written because some files could not be checked",
            path.display()
        ));
    }
    let b = build(report, path);
    let n = b.files.values().map(Vec::len).sum();
    let mut text = serde_json::to_string_pretty(&b).map_err(|e| e.to_string())?;
    text.push('\n');
    files::write_atomic(path, &text, false).map_err(|e| {
        format!(
            "cannot write the baseline {}: {}",
            path.display(),
            files::io_message(&e)
        )
    })?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_baseline_is_written_when_a_file_could_not_be_checked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.json");
        let report = Report {
            files: Vec::new(),
            errors: vec![crate::cli::report::RunError::whole_file("a.md", "unreadable".into())],
            baselined: 0,
        };
        let e = write(&report, &p).unwrap_err();
        assert!(
            e.contains("was not written because some files could not be checked"),
            "{e}"
        );
        assert!(!p.exists());
        let report = Report {
            errors: Vec::new(),
            ..report
        };
        assert_eq!(write(&report, &p), Ok(0));
        assert!(p.exists());
    }

    #[test]
    fn clean_resolves_dots() {
        assert_eq!(clean(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn relative_climbs_with_dot_dot() {
        assert_eq!(
            relative(Path::new("/r/a.md"), Path::new("/r/ci")),
            PathBuf::from("../a.md")
        );
        assert_eq!(
            relative(Path::new("/r/x/a.md"), Path::new("/r")),
            PathBuf::from("x/a.md")
        );
    }

    #[test]
    fn file_format_round_trips_and_rejects_unknown_versions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.json");
        std::fs::write(
            &p,
            r#"{"version":1,"files":{"a.md":[{"rule":"x/y","fingerprint":"00","found":"z"}]}}"#,
        )
        .unwrap();
        let b = Baseline::read(&p).unwrap();
        assert!(b.entries.contains(&("a.md".into(), "x/y".into(), "00".into())));
        std::fs::write(&p, r#"{"version":9,"files":{}}"#).unwrap();
        assert!(Baseline::read(&p).unwrap_err().contains("version 9"));
        std::fs::write(&p, "{\n  \"version\": 1,\n  \"filez\": {}}").unwrap();
        let e = Baseline::read(&p).unwrap_err();
        assert!(
            e.contains(":3:9: not a copydesk baseline: unknown field `filez`"),
            "{e}"
        );
    }
}
