//! The command line on many files and many findings (issue 12): output streamed in a
//! stable order whatever the number of threads, across several 256-file windows, and the
//! cap on findings per rule reported in every format.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn copydesk(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("copydesk").unwrap();
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COPYDESK_USER_CONFIG", dir.join("no-user-config.toml"));
    c
}

fn output(dir: &Path, args: &[&str]) -> (String, i32) {
    let o = copydesk(dir).args(args).output().unwrap();
    (String::from_utf8(o.stdout).unwrap(), o.status.code().unwrap_or(-1))
}

const FORMATS: &[&str] = &[
    "human",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "checkstyle",
    "junit",
    "rdjson",
];

#[test]
fn output_order_is_stable_across_windows_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    // 600 files in 3 windows; every fifth has a finding, some have none.
    for i in 0..600 {
        let sub = dir.path().join(format!("d{}", i % 7));
        fs::create_dir_all(&sub).unwrap();
        let body = if i % 5 == 0 {
            "Hôm nay trời mưa  to.\n"
        } else {
            "Hôm nay trời mưa to.\n"
        };
        fs::write(sub.join(format!("a{i:03}.md")), body).unwrap();
    }
    for format in FORMATS {
        let (one, code1) = output(dir.path(), &["check", "--no-config", "-j", "1", "--format", format]);
        let (many, code4) = output(dir.path(), &["check", "--no-config", "-j", "4", "--format", format]);
        assert_eq!(code1, 1, "{format}");
        assert_eq!(code4, 1, "{format}");
        assert_eq!(one, many, "{format}: the output depends on the number of threads");
    }
    // In path order, every file counted once.
    let (json, _) = output(dir.path(), &["check", "--no-config", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["files"], 600);
    assert_eq!(v["summary"]["diagnostics"], 120);
    let files: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    let (junit, _) = output(dir.path(), &["check", "--no-config", "--format", "junit"]);
    assert!(junit.contains(r#"tests="600" failures="120" errors="0""#), "{junit}");
    let (human, _) = output(dir.path(), &["check", "--no-config"]);
    assert!(human.ends_with("Found 120 problems (120 warnings) in 600 files; 120 fixable with `--fix`.\n"));
}

#[test]
fn errors_come_after_the_files_and_fail_the_run() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        fs::write(dir.path().join(format!("a{i:03}.md")), "Trời mưa  to.\n").unwrap();
    }
    fs::write(dir.path().join("bad.md"), [0xffu8, 0xfe, 0x00, 0x41, 0x80]).unwrap();
    let (out, code) = output(dir.path(), &["check", "--no-config", "--format", "concise"]);
    assert_eq!(code, 2);
    let lines: Vec<&str> = out.lines().collect();
    let error_at = lines.iter().position(|l| l.starts_with("bad.md")).expect(&out);
    assert!(lines[..error_at].iter().filter(|l| l.contains("typography")).count() >= 300);
    assert!(lines[error_at..].iter().all(|l| !l.starts_with('a')), "{out}");
}

#[test]
fn the_cap_on_findings_is_reported_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    // `và và và …`: a doubled function word (a likely slip) every three characters.
    fs::write(dir.path().join("a.md"), "và ".repeat(3000) + "\n").unwrap();
    for format in FORMATS {
        let (out, code) = output(dir.path(), &["check", "--no-config", "--format", format]);
        assert_eq!(code, 1, "{format}");
        assert!(
            out.contains("more finding(s) of `vi-news/typography.repeated-word` in this file not shown"),
            "{format}: {}",
            &out[out.len().saturating_sub(2000)..]
        );
    }
    let (json, _) = output(dir.path(), &["check", "--no-config", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let repeated = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "vi-news/typography.repeated-word")
        .count();
    assert_eq!(repeated, copydesk::engine::MAX_FINDINGS_PER_RULE + 1);
}

/// Output is written window by window while later files are still being checked, so
/// memory stays flat in the number of files: with a FIFO named last, the findings of the
/// first window are printed before anything is written to the FIFO. A run that kept the
/// whole report until the end would print nothing until then.
#[cfg(unix)]
#[test]
fn the_first_windows_are_printed_before_the_last_file_is_read() {
    first_window_before_last_file(
        "concise",
        |l| l.starts_with("d/a000.md:1:"),
        |l| l.starts_with("z.md:1:"),
    );
}

/// `--format json` too: its `diagnostics` array is written as the files come, since the
/// document's head does not depend on them (it once kept every finding until the end).
#[cfg(unix)]
#[test]
fn json_writes_the_first_windows_before_the_last_file_is_read() {
    first_window_before_last_file(
        "json",
        |l| l.trim() == r#""file": "d/a000.md","#,
        |l| l.trim() == r#""file": "z.md","#,
    );
}

#[cfg(unix)]
fn first_window_before_last_file(format: &str, first_line: fn(&str) -> bool, last_line: fn(&str) -> bool) {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("d");
    fs::create_dir(&sub).unwrap();
    // Two windows and more; three findings a file, so the first window is far more than
    // a write buffer.
    for i in 0..2 * copydesk::cli::check::WINDOW + 10 {
        fs::write(sub.join(format!("a{i:03}.md")), "Trời mưa  to.  Gió  lớn.  Sấm  rền.\n").unwrap();
    }
    let fifo = dir.path().join("z.md");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("copydesk"))
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("COPYDESK_USER_CONFIG", dir.path().join("no-user-config.toml"))
        .args(["check", "--no-config", "--format", format, "d", "z.md"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    // The lines printed before the FIFO is written to, up to the first finding's file.
    let mut early = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while !early.last().is_some_and(|l: &String| first_line(l)) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => early.push(line),
            Err(_) => break,
        }
    }
    // Release the run whatever happened, so that a failure does not hang the suite.
    fs::write(&fifo, "Trời nắng  to.\n").unwrap();
    let status = child.wait().unwrap();
    reader.join().unwrap();
    assert!(
        early.last().is_some_and(|l| first_line(l)),
        "{format}: the first finding was not printed before the last file was read: {early:?}"
    );
    let rest: Vec<String> = rx.try_iter().collect();
    assert!(rest.iter().any(|l| last_line(l)), "{format}: {rest:?}");
    assert_eq!(status.code(), Some(1));
}
