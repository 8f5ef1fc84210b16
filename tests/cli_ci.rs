//! End-to-end tests of the CI modes through the real binary: `--changed-since` in a
//! temporary git repository, baselines written and read back, and `copydesk init`.
//! Rules come from a small local pack (tests/fixtures/formats/house.toml).

use std::path::Path;
use std::process::Command as StdCommand;

use assert_cmd::Command;

const HOUSE: &str = include_str!("fixtures/formats/house.toml");

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn copydesk(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        // Never find a repository above the temporary folders.
        .env("GIT_CEILING_DIRECTORIES", std::env::temp_dir())
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// A folder with the `house` pack and a config that uses only it.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/house.toml"), HOUSE).unwrap();
    std::fs::write(dir.path().join(".copydesk.toml"), "packs = [\"./rules\"]\n").unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Whether git can run here. Missing git fails the test on CI, skips it elsewhere.
fn have_git() -> bool {
    let ok = StdCommand::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "git is required on CI");
        eprintln!("git is not installed: skipping");
    }
    ok
}

fn git(dir: &Path, args: &[&str]) {
    let out = StdCommand::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CEILING_DIRECTORIES", std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn repo() -> tempfile::TempDir {
    let dir = project();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["config", "user.name", "Copydesk Test"]);
    git(d, &["config", "user.email", "test@example.com"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    write(
        d,
        "bai.md",
        "# Tin cũ\n\nĐoạn một dài 5KM.\n\nĐoạn hai, sạch.\n\nĐoạn ba dài 6KM.\n",
    );
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "first"]);
    dir
}

fn concise(r: &Run) -> Vec<&str> {
    r.stdout.lines().collect()
}

#[test]
fn changed_since_reports_only_changed_lines() {
    if !have_git() {
        return;
    }
    let dir = repo();
    let d = dir.path();
    // Nothing changed: nothing to report.
    let r = copydesk(d, &["check", "--changed-since", "HEAD", "--format", "concise", "-q"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    // Edit line 5 (new finding) and keep the old ones; one new finding.
    write(
        d,
        "bai.md",
        "# Tin cũ\n\nĐoạn một dài 5KM.\n\nĐoạn hai, nay dài 8KM.\n\nĐoạn ba dài 6KM.\n",
    );
    let r = copydesk(d, &["check", "--changed-since", "HEAD", "--format", "concise", "-q"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        concise(&r),
        ["bai.md:5:19: warning[house/units.km] Viết “km” thường: “8KM” → “8 km”"]
    );
    // Staged changes count too, and so do committed ones since an older revision.
    git(d, &["add", "bai.md"]);
    let r = copydesk(d, &["check", "--changed-since", "HEAD", "--format", "concise", "-q"]);
    assert_eq!(concise(&r).len(), 1);
    git(d, &["commit", "-q", "-m", "second"]);
    let r = copydesk(d, &["check", "--changed-since", "HEAD~1", "--format", "concise", "-q"]);
    assert_eq!(concise(&r).len(), 1);
    // Untracked files count only with --include-untracked, then wholly.
    write(d, "moi.md", "Bài mới dài 9KM và 10KM.\n");
    let r = copydesk(d, &["check", "--changed-since", "HEAD", "--format", "concise", "-q"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    let r = copydesk(
        d,
        &[
            "check",
            "--changed-since",
            "HEAD",
            "--include-untracked",
            "--format",
            "concise",
            "-q",
        ],
    );
    assert_eq!(concise(&r).len(), 2, "{}", r.stdout);
    assert!(concise(&r).iter().all(|l| l.starts_with("moi.md:1:")));
    // Paths given from a subfolder are matched too.
    std::fs::create_dir(d.join("sub")).unwrap();
    write(&d.join("sub"), "b.md", "Một 11KM.\n\nHai 12KM.\n");
    git(d, &["add", "sub/b.md"]);
    git(d, &["commit", "-q", "-m", "third"]);
    write(&d.join("sub"), "b.md", "Một 11KM.\n\nHai 13KM.\n");
    let r = copydesk(
        &d.join("sub"),
        &["check", "b.md", "--changed-since", "HEAD", "--format", "concise", "-q"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        concise(&r),
        ["b.md:3:5: warning[house/units.km] Viết “km” thường: “13KM” → “13 km”"]
    );
}

#[test]
fn changed_since_fails_clearly_outside_git_or_with_an_unknown_revision() {
    if !have_git() {
        return;
    }
    let dir = project();
    write(dir.path(), "a.md", "5KM\n");
    let r = copydesk(dir.path(), &["check", "--changed-since", "HEAD"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("needs a git repository"), "{}", r.stderr);
    let dir = repo();
    let r = copydesk(dir.path(), &["check", "--changed-since", "no-such-branch"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown git revision `no-such-branch`"),
        "{}",
        r.stderr
    );
    let r = copydesk(dir.path(), &["check", "--changed-since", "--output=x"]);
    assert_eq!(r.code, 2);
}

#[test]
fn baseline_round_trip_keeps_old_findings_hidden_after_edits() {
    let dir = project();
    let d = dir.path();
    write(
        d,
        "a.md",
        "Đoạn một dài 5KM.\n\nĐoạn hai dài 5KM.\n\nĐoạn ba có \"ngoặc\".\n",
    );
    let r = copydesk(d, &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Recorded 4 finding(s) in 1 file(s)"), "{}", r.stderr);
    let text = std::fs::read_to_string(d.join("baseline.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    let entries = doc["files"]["a.md"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    let rules: Vec<&str> = entries.iter().map(|e| e["rule"].as_str().unwrap()).collect();
    assert_eq!(
        rules,
        [
            "house/quotes.straight",
            "house/quotes.straight",
            "house/units.km",
            "house/units.km"
        ]
    );
    // Writing again gives the same bytes.
    copydesk(d, &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(std::fs::read_to_string(d.join("baseline.json")).unwrap(), text);

    let r = copydesk(d, &["check", "--baseline", "baseline.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("All checks passed: 1 file checked (4 more in the baseline)."),
        "{}",
        r.stdout
    );

    // An edit above the findings (and whitespace in their own lines) keeps them baselined;
    // a new finding, even an identical third “5KM”, is reported.
    write(
        d,
        "a.md",
        "Tiêu đề mới.\n\nĐoạn mở đầu.\n\nĐoạn một  dài 5KM.\n\nĐoạn hai dài 5KM.\n\nĐoạn ba có \"ngoặc\".\n\nĐoạn bốn dài 5KM.\n",
    );
    let r = copydesk(
        d,
        &["check", "--baseline", "baseline.json", "--format", "concise", "-q"],
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        concise(&r),
        ["a.md:11:14: warning[house/units.km] Viết “km” thường: “5KM” → “5 km”"]
    );

    // A baseline in another folder: keys are relative to it.
    std::fs::create_dir(d.join("ci")).unwrap();
    copydesk(d, &["check", "--write-baseline", "ci/b.json"]);
    let other: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("ci/b.json")).unwrap()).unwrap();
    assert!(other["files"]["../a.md"].is_array(), "{other}");
    let r = copydesk(d, &["check", "a.md", "--baseline", "ci/b.json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn baseline_errors_are_clear() {
    let dir = project();
    let d = dir.path();
    write(d, "a.md", "5KM\n");
    let r = copydesk(d, &["check", "--baseline", "missing.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read the baseline missing.json"),
        "{}",
        r.stderr
    );
    write(
        d,
        "bad.json",
        "{\"version\": 1, \"files\": {\"a.md\": [{\"rule\": 3}]}}",
    );
    let r = copydesk(d, &["check", "--baseline", "bad.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.json:1:"), "{}", r.stderr);
}

#[test]
fn init_writes_a_starter_config_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = copydesk(d, &["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let config = std::fs::read_to_string(d.join(".copydesk.toml")).unwrap();
    assert!(config.contains("packs = [\"vi-news\"]"));
    assert!(config.lines().filter(|l| l.starts_with('#')).count() > 10, "commented");
    let r = copydesk(d, &["init"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("already exists") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    write(d, ".copydesk.toml", "# mine\n");
    assert_eq!(copydesk(d, &["init", "--force"]).code, 0);
    assert!(std::fs::read_to_string(d.join(".copydesk.toml"))
        .unwrap()
        .contains("packs"));
}

#[test]
fn init_baseline_records_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("rules")).unwrap();
    write(&d.join("rules"), "house.toml", HOUSE);
    write(d, "a.md", "Dài 5KM.\n");
    // Only the local pack, whatever the built-in packs hold today.
    let r = copydesk(d, &["init", "--baseline", "--no-config", "--pack", "./rules"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join(".copydesk-baseline.json")).unwrap()).unwrap();
    assert_eq!(b["files"]["a.md"][0]["rule"], "house/units.km");
    assert_eq!(b["files"]["a.md"][0]["found"], "5KM");
    let r = copydesk(
        d,
        &["init", "--baseline", "custom.json", "--no-config", "--pack", "./rules"],
    );
    assert_eq!(r.code, 2, "the config exists now");
    let r = copydesk(
        d,
        &[
            "init",
            "--force",
            "--baseline",
            "custom.json",
            "--no-config",
            "--pack",
            "./rules",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(d.join("custom.json").is_file());
}

#[test]
fn integration_files_name_the_real_commands() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    for needle in [
        "id: copydesk\n",
        "id: copydesk-fix\n",
        "language: rust",
        "entry: copydesk check",
    ] {
        assert!(hooks.contains(needle), "{needle}");
    }
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    for needle in [
        "using: composite",
        "actions/cache@",
        "cargo install",
        "--format github",
        "upload-sarif",
    ] {
        assert!(action.contains(needle), "{needle}");
    }
    // Every format the docs list is one `--format` accepts.
    let docs = std::fs::read_to_string(root.join("docs/ci.md")).unwrap();
    let help = copydesk(root, &["check", "--help"]).stdout;
    for format in [
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
    ] {
        assert!(docs.contains(&format!("`{format}`")), "docs/ci.md lacks {format}");
        assert!(help.contains(format), "--help lacks {format}");
    }
}
