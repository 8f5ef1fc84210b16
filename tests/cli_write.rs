//! `check --fix` and `--write-baseline` never lose or misplace data (issue 12,
//! docs/fix-safety.md). Each test runs the real binary; a race with an editor is made
//! reproducible by `COPYDESK_TEST_WRITE_PAUSE_MS` (debug builds only), which holds the
//! write just before its last checks, with the temporary file already written.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

const PACK: &str = r#"
[pack]
name = "house"

[[rule]]
id = "units.km"
kind = "pattern"
message = "Unit written in capitals: “{found}” → “{expected}”"
pattern = '(\d) ?KM\b'
replacement = "$1 km"
"#;

const BROKEN: &str = "Dài 5KM.\n";
const FIXED: &str = "Dài 5 km.\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("pack")).unwrap();
    fs::write(dir.path().join("pack/rules.toml"), PACK).unwrap();
    fs::write(dir.path().join(".copydesk.toml"), "packs = [\"./pack\"]\n").unwrap();
    dir
}

fn copydesk(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("copydesk").unwrap();
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COPYDESK_USER_CONFIG", dir.join("no-user-config.toml"));
    c
}

/// `copydesk check --fix ARGS` started in `dir`, pausing `ms` before its last checks.
fn paused_fix(dir: &Path, ms: u64, args: &[&str]) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("copydesk"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COPYDESK_USER_CONFIG", dir.join("no-user-config.toml"))
        .env("COPYDESK_TEST_WRITE_PAUSE_MS", ms.to_string())
        .args(["check", "--fix"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Our temporary files in `dir`.
fn temps(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with(".copydesk-") && name != ".copydesk-baseline.json" && name != ".copydesk-backup"
        })
        .collect();
    v.sort();
    v
}

/// Waits until the paused run has written its temporary file in `dir`.
fn wait_for_temp(dir: &Path) -> PathBuf {
    let start = Instant::now();
    loop {
        if let Some(t) = temps(dir).into_iter().next() {
            return t;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no temporary file appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn finish(child: Child) -> (Option<i32>, String) {
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

#[test]
fn a_file_saved_while_fix_runs_is_skipped_with_a_message_and_the_others_are_fixed() {
    let dir = project();
    fs::create_dir(dir.path().join("a")).unwrap();
    fs::write(dir.path().join("a/edited.md"), BROKEN).unwrap();
    fs::write(dir.path().join("other.md"), BROKEN).unwrap();
    let child = paused_fix(dir.path(), 3000, &["a/edited.md", "other.md"]);
    wait_for_temp(&dir.path().join("a"));
    // The editor saves a new paragraph meanwhile.
    let saved = "Dài 5KM.\n\nĐoạn mới của phóng viên.\n";
    fs::write(dir.path().join("a/edited.md"), saved).unwrap();
    let (code, out) = finish(child);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("a/edited.md"), "{out}");
    assert!(out.contains("the file changed after it was read"), "{out}");
    assert_eq!(fs::read_to_string(dir.path().join("a/edited.md")).unwrap(), saved);
    assert_eq!(fs::read_to_string(dir.path().join("other.md")).unwrap(), FIXED);
    assert_eq!(temps(&dir.path().join("a")), Vec::<PathBuf>::new());
}

#[test]
fn a_file_swapped_for_a_symlink_while_fix_runs_is_not_written_through_it() {
    let dir = project();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    fs::write(&secret, BROKEN).unwrap();
    fs::write(dir.path().join("a.md"), BROKEN).unwrap();
    let child = paused_fix(dir.path(), 3000, &["a.md"]);
    wait_for_temp(dir.path());
    fs::remove_file(dir.path().join("a.md")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("a.md")).unwrap();
    let (code, out) = finish(child);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("moved or replaced"), "{out}");
    assert_eq!(fs::read_to_string(&secret).unwrap(), BROKEN);
    assert!(fs::symlink_metadata(dir.path().join("a.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(temps(dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn write_baseline_never_writes_through_a_symlink() {
    let dir = project();
    fs::write(dir.path().join("a.md"), BROKEN).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    fs::write(&victim, "keep me\n").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join(".copydesk-baseline.json")).unwrap();
    copydesk(dir.path())
        .args(["check", "--write-baseline", ".copydesk-baseline.json", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write the baseline"))
        .stderr(predicate::str::contains("symbolic link"));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert!(fs::symlink_metadata(dir.path().join(".copydesk-baseline.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    // A regular file is written as before.
    fs::remove_file(dir.path().join(".copydesk-baseline.json")).unwrap();
    copydesk(dir.path())
        .args(["check", "--write-baseline", ".copydesk-baseline.json", "."])
        .assert()
        .code(0);
    assert!(fs::read_to_string(dir.path().join(".copydesk-baseline.json"))
        .unwrap()
        .contains("units.km"));
}

#[test]
fn a_read_only_file_is_skipped_with_a_message_unless_fix_read_only() {
    let dir = project();
    let f = dir.path().join("ro.md");
    fs::write(&f, BROKEN).unwrap();
    fs::set_permissions(&f, fs::Permissions::from_mode(0o444)).unwrap();
    copydesk(dir.path())
        .args(["check", "--fix", "ro.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("ro.md"))
        .stdout(predicate::str::contains("read-only"))
        .stdout(predicate::str::contains("--fix-read-only"));
    assert_eq!(fs::read_to_string(&f).unwrap(), BROKEN);
    copydesk(dir.path())
        .args(["check", "--fix", "--fix-read-only", "ro.md"])
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&f).unwrap(), FIXED);
    assert_eq!(fs::metadata(&f).unwrap().mode() & 0o777, 0o444);
    // Without --fix the flag is an error, not silently ignored.
    copydesk(dir.path())
        .args(["check", "--fix-read-only", "ro.md"])
        .assert()
        .code(2);
}

#[test]
fn owner_and_group_are_kept() {
    let dir = project();
    let f = dir.path().join("a.md");
    fs::write(&f, BROKEN).unwrap();
    let me = fs::metadata(&f).unwrap();
    // Only root can give a file to someone else; another user keeps its own files, which
    // is the case the rename would already get right.
    let (uid, gid) = if me.uid() == 0 {
        (4242, 4343)
    } else {
        (me.uid(), me.gid())
    };
    std::os::unix::fs::chown(&f, Some(uid), Some(gid)).unwrap();
    copydesk(dir.path()).args(["check", "--fix", "a.md"]).assert().code(0);
    assert_eq!(fs::read_to_string(&f).unwrap(), FIXED);
    let after = fs::metadata(&f).unwrap();
    assert_eq!((after.uid(), after.gid()), (uid, gid));
}

#[test]
fn hard_links_are_kept() {
    let dir = project();
    let a = dir.path().join("a.md");
    let b = dir.path().join("b.md");
    fs::write(&a, BROKEN).unwrap();
    fs::hard_link(&a, &b).unwrap();
    let ino = fs::metadata(&a).unwrap().ino();
    copydesk(dir.path()).args(["check", "--fix", "a.md"]).assert().code(0);
    assert_eq!(fs::read_to_string(&a).unwrap(), FIXED);
    assert_eq!(fs::read_to_string(&b).unwrap(), FIXED);
    let m = fs::metadata(&a).unwrap();
    assert_eq!((m.ino(), m.nlink()), (ino, 2));
}

#[test]
fn a_file_with_hard_links_saved_while_fix_runs_is_skipped() {
    let dir = project();
    let a = dir.path().join("a.md");
    fs::write(&a, BROKEN).unwrap();
    fs::hard_link(&a, dir.path().join("b.md")).unwrap();
    let mut child = paused_fix(dir.path(), 3000, &["a.md"]);
    // No temporary file for a file written in place: the run says when it pauses.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("test pause") {
        line.clear();
        assert!(
            std::io::BufRead::read_line(&mut stderr, &mut line).unwrap() > 0,
            "no pause"
        );
    }
    let saved = "Dài 7KM.\n";
    fs::write(&a, saved).unwrap();
    let (code, out) = finish(child);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("the file changed after it was read"), "{out}");
    assert_eq!(fs::read_to_string(&a).unwrap(), saved);
}

#[test]
fn a_symlink_to_another_filesystem_is_fixed_at_its_target() {
    let dir = project();
    let shm = Path::new("/dev/shm");
    let other = match tempfile::tempdir_in(shm) {
        Ok(d) if fs::metadata(d.path()).unwrap().dev() != fs::metadata(dir.path()).unwrap().dev() => d,
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs a second filesystem at /dev/shm for this test"
            );
            eprintln!("skipped: /dev/shm is not another filesystem here");
            return;
        }
    };
    let target = other.path().join("real.md");
    fs::write(&target, BROKEN).unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("link.md")).unwrap();
    copydesk(dir.path())
        .args(["check", "--fix", "link.md"])
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&target).unwrap(), FIXED);
    assert!(fs::symlink_metadata(dir.path().join("link.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(temps(dir.path()), Vec::<PathBuf>::new());
    assert_eq!(temps(other.path()), Vec::<PathBuf>::new());
}

fn signal_removes_the_temporary_file(signal: &str, code: i32) {
    let dir = project();
    fs::write(dir.path().join("a.md"), BROKEN).unwrap();
    let child = paused_fix(dir.path(), 20_000, &["a.md"]);
    wait_for_temp(dir.path());
    // The shell's own `kill`: a fresh Debian machine may have no kill program.
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill {signal} {}", child.id())])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let (exit, out) = finish(child);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "the run did not stop on {signal}"
    );
    assert_eq!(exit, Some(code), "{out}");
    assert_eq!(temps(dir.path()), Vec::<PathBuf>::new());
    assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), BROKEN);
}

#[test]
fn sigterm_removes_the_temporary_file() {
    signal_removes_the_temporary_file("-TERM", 128 + 15);
}

#[test]
fn sigint_removes_the_temporary_file() {
    signal_removes_the_temporary_file("-INT", 128 + 2);
}

#[test]
fn a_temporary_file_left_by_kill_9_is_swept_on_the_next_run() {
    let dir = project();
    fs::write(dir.path().join("a.md"), BROKEN).unwrap();
    // A file of the user's that only looks like ours stays.
    fs::write(dir.path().join(".copydesk-backup"), "mine\n").unwrap();
    let mut child = paused_fix(dir.path(), 20_000, &["a.md"]);
    let left = wait_for_temp(dir.path());
    child.kill().unwrap(); // SIGKILL: nothing can clean up
    child.wait().unwrap();
    assert!(left.exists());
    assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), BROKEN);
    // The next run, even with nothing left to fix in that folder, sweeps it.
    fs::write(dir.path().join("a.md"), FIXED).unwrap();
    copydesk(dir.path()).args(["check", "--fix", "a.md"]).assert().code(0);
    assert!(!left.exists(), "{} was not swept", left.display());
    assert_eq!(
        fs::read_to_string(dir.path().join(".copydesk-backup")).unwrap(),
        "mine\n"
    );
}

#[test]
fn a_fix_that_grows_the_text_without_bound_is_refused_naming_the_rule() {
    let dir = project();
    fs::write(
        dir.path().join("pack/grow.toml"),
        r#"
[pack]
name = "grow"

[[rule]]
id = "echo"
kind = "pattern"
message = "repeated"
pattern = 'a+'
replacement = "$0$0$0$0"
"#,
    )
    .unwrap();
    let f = dir.path().join("a.md");
    fs::write(&f, "aaaa bbbb aaaa cccc a\n").unwrap();
    copydesk(dir.path())
        .args(["check", "--fix", "a.md"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("a.md"))
        .stdout(predicate::str::contains("echo"))
        .stdout(predicate::str::contains("grow.toml"))
        .stdout(predicate::str::contains("would grow the text"))
        .stdout(predicate::str::contains("no fix was applied"));
    assert_eq!(fs::read_to_string(&f).unwrap(), "aaaa bbbb aaaa cccc a\n");
    // `--fix -` refuses the same way and prints the text unchanged.
    copydesk(dir.path())
        .args(["check", "--fix", "--stdin-filename", "a.md", "-"])
        .write_stdin("aaaa\n")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would grow the text"));
}

#[test]
fn a_fifo_is_checked_but_never_written() {
    let dir = project();
    let fifo = dir.path().join("p.md");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, BROKEN).unwrap())
    };
    copydesk(dir.path())
        .args(["check", "--fix", "p.md"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("p.md: not a regular file"))
        .stdout(predicate::str::contains("use `-` to fix standard input"));
    writer.join().unwrap();
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// Another user who may write a file (mode 0666, folder 0777) but not give it away: the
/// fixed copy would belong to them, so the file is skipped with the reason (exit 2) and
/// keeps its text and owner. Needs root to set the scene (a file owned by someone else,
/// and `setpriv` to run as a third user); elsewhere it says so and passes.
#[test]
fn a_fix_that_would_change_the_owner_is_refused() {
    let dir = project();
    let f = dir.path().join("a.md");
    fs::write(&f, BROKEN).unwrap();
    if fs::metadata(&f).unwrap().uid() != 0 {
        eprintln!("not root: cannot give a file to another user; skipped");
        return;
    }
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    std::os::unix::fs::chown(&f, Some(4242), Some(4242)).unwrap();
    fs::set_permissions(&f, fs::Permissions::from_mode(0o666)).unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=4343", "--regid=4343", "--clear-groups"])
        .arg(assert_cmd::cargo::cargo_bin("copydesk"))
        .args(["check", "--fix", "a.md"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("COPYDESK_USER_CONFIG", dir.path().join("no-user-config.toml"))
        .output()
        .expect("setpriv (util-linux) runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("a.md") && text.contains("belongs to user 4242"), "{text}");
    assert_eq!(fs::read_to_string(&f).unwrap(), BROKEN);
    let m = fs::metadata(&f).unwrap();
    assert_eq!((m.uid(), m.gid()), (4242, 4242));
    assert!(temps(dir.path()).is_empty(), "{:?}", temps(dir.path()));
}
