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
