//! `--changed-since REV`: which lines of which files changed since a git revision.
//!
//! One `git diff --unified=0 REV` over the repository gives the added and modified lines
//! of every file (the working tree against REV, staged or not); its hunk headers are all
//! we read. Files are matched by their canonical path relative to the repository root.
//! Checking always sees whole documents; this only filters what is reported.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The lines of a file that count as changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChanges {
    /// New to git (untracked with `--include-untracked`): every line.
    Whole,
    /// One-based line ranges of the new text.
    Lines(Vec<RangeInclusive<usize>>),
}

impl FileChanges {
    /// Whether any line in `first..=last` changed.
    pub fn touches(&self, first: usize, last: usize) -> bool {
        match self {
            FileChanges::Whole => true,
            FileChanges::Lines(ranges) => ranges.iter().any(|r| *r.start() <= last && first <= *r.end()),
        }
    }
}

/// Changed lines per file of one repository.
#[derive(Debug, Clone)]
pub struct ChangedLines {
    root: PathBuf,
    files: HashMap<PathBuf, FileChanges>,
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .arg("--no-optional-locks")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("--changed-since needs git, which could not be run: {e}"))
}

fn stderr_line(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

impl ChangedLines {
    /// Asks git, from the current folder, what changed since `rev`.
    pub fn load(rev: &str, include_untracked: bool) -> Result<ChangedLines, String> {
        let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
        Self::load_in(&cwd, rev, include_untracked)
    }

    pub fn load_in(dir: &Path, rev: &str, include_untracked: bool) -> Result<ChangedLines, String> {
        let top = git(dir, &["rev-parse", "--show-toplevel"])?;
        if !top.status.success() {
            return Err(format!(
                "--changed-since needs a git repository, and {} is not in one ({})",
                dir.display(),
                stderr_line(&top)
            ));
        }
        let root = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim_end_matches(['\n', '\r']));
        let root = root.canonicalize().unwrap_or(root);
        if rev.starts_with('-') {
            return Err(format!("`{rev}` is not a git revision"));
        }
        let verify = git(
            &root,
            &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")],
        )?;
        if !verify.status.success() {
            return Err(format!(
                "unknown git revision `{rev}`; give a branch, tag or commit that exists here"
            ));
        }
        let diff = git(
            &root,
            &[
                "-c",
                "core.quotePath=false",
                "diff",
                "--unified=0",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "--src-prefix=a/",
                "--dst-prefix=b/",
                rev,
                "--",
            ],
        )?;
        if !diff.status.success() {
            return Err(format!("`git diff {rev}` failed: {}", stderr_line(&diff)));
        }
        let mut files: HashMap<PathBuf, FileChanges> = parse_diff(&String::from_utf8_lossy(&diff.stdout))
            .into_iter()
            .map(|(p, lines)| (PathBuf::from(p), FileChanges::Lines(lines)))
            .collect();
        if include_untracked {
            let others = git(&root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
            if !others.status.success() {
                return Err(format!("`git ls-files` failed: {}", stderr_line(&others)));
            }
            for p in String::from_utf8_lossy(&others.stdout)
                .split('\0')
                .filter(|p| !p.is_empty())
            {
                files.insert(PathBuf::from(p), FileChanges::Whole);
            }
        }
        Ok(ChangedLines { root, files })
    }

    /// The changes of a file (absolute or relative to the current folder); `None` when
    /// nothing in it changed or it is outside the repository.
    pub fn for_path(&self, path: &Path) -> Option<&FileChanges> {
        let abs = absolute(path);
        let rel = abs.strip_prefix(&self.root).ok()?;
        self.files.get(rel)
    }
}

/// `path` made absolute against the current folder, with symbolic links resolved when
/// the file exists.
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // The file may not exist (a `--stdin-filename`): resolve its folder instead.
    match (joined.parent(), joined.file_name()) {
        (Some(dir), Some(name)) => dir.canonicalize().map(|d| d.join(name)).unwrap_or(joined),
        _ => joined,
    }
}

/// Undoes git's C-style quoting of a path (`"a\"b\303\251"`).
fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return s.to_string();
    };
    let mut bytes = Vec::new();
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'a') => bytes.push(7),
            Some(b'b') => bytes.push(8),
            Some(b'f') => bytes.push(12),
            Some(b'v') => bytes.push(11),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(v as u8);
            }
            Some(other) => bytes.push(other),
            None => bytes.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Parses `@@ -a,b +c,d @@`: the old side's count, the new side's first line and count.
fn hunk_header(line: &str) -> Option<(usize, usize, usize)> {
    let rest = line.strip_prefix("@@ ")?;
    let side = |prefix: char| -> Option<(usize, usize)> {
        let part = rest.split(' ').find(|p| p.starts_with(prefix))?;
        let mut parts = part[1..].splitn(2, ',');
        let start: usize = parts.next()?.parse().ok()?;
        let count: usize = match parts.next() {
            Some(c) => c.parse().ok()?,
            None => 1,
        };
        Some((start, count))
    };
    let (_, old_count) = side('-')?;
    let (start, count) = side('+')?;
    Some((old_count, start, count))
}

/// The added or modified line ranges of every file in a unified diff, keyed by the
/// new path relative to the repository root. Deleted files and pure deletions add none.
pub fn parse_diff(diff: &str) -> Vec<(String, Vec<RangeInclusive<usize>>)> {
    let mut out: Vec<(String, Vec<RangeInclusive<usize>>)> = Vec::new();
    let mut current: Option<usize> = None;
    // Lines of the current hunk still to come (old side, new side): an added line
    // that reads `++ x` shows as `+++ x` and must not be taken for a header.
    let (mut old_left, mut new_left) = (0usize, 0usize);
    for line in diff.lines() {
        if old_left > 0 || new_left > 0 {
            match line.as_bytes().first() {
                Some(b'-') => old_left = old_left.saturating_sub(1),
                Some(b'+') => new_left = new_left.saturating_sub(1),
                Some(b'\\') => {}
                _ => {
                    old_left = old_left.saturating_sub(1);
                    new_left = new_left.saturating_sub(1);
                }
            }
            continue;
        }
        if line.starts_with("diff --git ") {
            current = None;
        } else if let Some(p) = line.strip_prefix("+++ ") {
            let p = unquote(p.trim_end_matches('\t'));
            current = match p.strip_prefix("b/") {
                Some(path) => {
                    out.push((path.to_string(), Vec::new()));
                    Some(out.len() - 1)
                }
                None => None, // `/dev/null`: deleted
            };
        } else if let Some((old_count, start, count)) = hunk_header(line) {
            old_left = old_count;
            new_left = count;
            if let (Some(i), true) = (current, count > 0) {
                out[i].1.push(start..=start + count - 1);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_give_new_side_ranges() {
        let diff = "diff --git a/x.md b/x.md\nindex 1..2 100644\n--- a/x.md\n+++ b/x.md\n\
@@ -3 +3 @@ ctx\n-a\n+b\n@@ -10,0 +11,2 @@\n+c\n+d\n@@ -20,2 +21,0 @@\n-e\n-f\n\
diff --git a/gone.md b/gone.md\ndeleted file mode 100644\n--- a/gone.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n\
diff --git a/q.md b/q.md\n--- \"a/t\\303\\252n \\\"q\\\".md\"\n+++ \"b/t\\303\\252n \\\"q\\\".md\"\n@@ -0,0 +1,2 @@\n+++ not a header\n+new\n";
        let parsed = parse_diff(diff);
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0], ("x.md".to_string(), vec![3..=3, 11..=12]));
        assert_eq!(parsed[1], ("tên \"q\".md".to_string(), vec![1..=2]));
    }

    #[test]
    fn touches_checks_overlap() {
        let c = FileChanges::Lines(vec![3..=3, 11..=12]);
        assert!(c.touches(3, 3));
        assert!(c.touches(1, 4));
        assert!(c.touches(12, 20));
        assert!(!c.touches(4, 10));
        assert!(FileChanges::Whole.touches(1, 1));
    }
}
