//! End-to-end tests of `copydesk check --format …` through the real binary.
//!
//! Every format runs over the same fixture set (tests/fixtures/formats, copied into a
//! temporary folder with a small local rule pack): Vietnamese text, an NFD letter after
//! an emoji (so character, UTF-16 and byte columns all differ), messages with `<`, `&`,
//! `"`, `%` and a newline, and a file named `tin, mới:1.md`. Outputs are insta snapshots
//! (`INSTA_UPDATE=always cargo test --test cli_formats` rewrites them).

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/formats");
const SPECIAL: &str = "tin, mới:1.md";

fn copy(from: &str, to: &Path) {
    std::fs::copy(Path::new(FIXTURES).join(from), to).unwrap_or_else(|e| panic!("copy {from}: {e}"));
}

/// A folder with the fixtures, the `house` rule pack and a config that uses only it.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("rules")).unwrap();
    copy("house.toml", &root.join("rules/house.toml"));
    for name in ["tin-bao.md", "ghi-chu.txt", "sach.md"] {
        copy(name, &root.join(name));
    }
    copy("ten-dac-biet.md", &root.join(SPECIAL));
    std::fs::write(root.join(".copydesk.toml"), "packs = [\"./rules\"]\n").unwrap();
    dir
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Output with the version number replaced, so that a release does not touch snapshots.
fn stable(s: &str) -> String {
    s.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

macro_rules! snapshot_format {
    ($test:ident, $format:literal) => {
        #[test]
        fn $test() {
            let dir = workspace();
            let r = run(dir.path(), &["--format", $format, "--color", "never"]);
            assert_eq!(r.code, 1, "stderr: {}", r.stderr);
            insta::assert_snapshot!(concat!("format_", $format), stable(&r.stdout));
        }
    };
}

snapshot_format!(human_snapshot, "human");
snapshot_format!(concise_snapshot, "concise");
snapshot_format!(json_snapshot, "json");
snapshot_format!(json_lines_snapshot, "json-lines");
snapshot_format!(sarif_snapshot, "sarif");
snapshot_format!(github_snapshot, "github");
snapshot_format!(gitlab_snapshot, "gitlab");
snapshot_format!(checkstyle_snapshot, "checkstyle");
snapshot_format!(junit_snapshot, "junit");
snapshot_format!(rdjson_snapshot, "rdjson");

#[test]
fn sarif_is_valid_against_the_schema_and_counts_code_points() {
    let dir = workspace();
    let sarif = json(&run(dir.path(), &["--format", "sarif"]).stdout);
    let schema_path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sarif-2.1.0-subset.schema.json");
    let schema = json(&std::fs::read_to_string(schema_path).unwrap());
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not match the schema:\n{}",
        errors.join("\n")
    );
    // The schema does reject what SARIF forbids.
    let mut bad = sarif.clone();
    bad["runs"][0]["results"][0]["level"] = "info".into();
    bad["runs"][0]["columnKind"] = "characters".into();
    assert_eq!(validator.iter_errors(&bad).count(), 2);

    let run0 = &sarif["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 13);
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    // Columns agree with `--format json` (characters), for every finding.
    let plain = json(&run(dir.path(), &["--format", "json"]).stdout);
    for (r, d) in results.iter().zip(plain["diagnostics"].as_array().unwrap()) {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["start"]["line"]);
        assert_eq!(region["startColumn"], d["start"]["column"]);
        assert_eq!(region["endColumn"], d["end"]["column"]);
    }
    // The NFD “Hòa” after the emoji on line 5: 41 code points in (42 UTF-16 units).
    let nfd = results
        .iter()
        .find(|r| r["ruleId"] == "house/nfd.hoa" && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 5)
        .unwrap();
    let region = &nfd["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startColumn"].as_u64(), region["endColumn"].as_u64()),
        (Some(41), Some(45))
    );
    let fix = &nfd["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(fix["deletedRegion"]["startColumn"], 41);
    assert_eq!(fix["insertedContent"]["text"], "Hòa");
    // The special file name is percent-encoded in the URI.
    assert!(results.iter().any(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tin%2C%20m%E1%BB%9Bi%3A1.md"
    }));
}

#[test]
fn github_commands_escape_paths_and_messages() {
    let dir = workspace();
    let out = run(dir.path(), &["--format", "github"]).stdout;
    for line in out.lines() {
        assert!(line.starts_with("::"), "{line}");
    }
    assert!(
        out.contains("::warning file=tin%2C mới%3A1.md,line=1,col=18,endLine=1,endColumn=21,title=house/units.km::")
    );
    assert!(out.contains("::notice file=tin-bao.md,line=5,col=47,endLine=5,endColumn=51,title=house/todo::Ghi chú còn sót:%0Adòng thứ hai, 50%25 xong"));
    assert!(out.contains("::error file=ghi-chu.txt,line=1,col=37,"));
}

#[test]
fn xml_formats_escape_markup() {
    let dir = workspace();
    for format in ["checkstyle", "junit"] {
        let out = run(dir.path(), &["--format", format]).stdout;
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        assert!(out.contains("&quot; &lt;không dùng&gt; &amp; 100% sai"), "{format}");
        assert!(out.contains("name=\"tin, mới:1.md\""), "{format}");
        assert!(!out.contains("<không"), "{format}");
        // Every `&` starts an entity.
        for (i, _) in out.match_indices('&') {
            let rest = &out[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#10;", "&#13;", "&#9;"]
                    .iter()
                    .any(|e| rest.starts_with(e)),
                "{format}: bare & at {i}"
            );
        }
    }
    let junit = run(dir.path(), &["--format", "junit"]).stdout;
    assert!(junit.contains(r#"<testsuites name="copydesk" tests="4" failures="3" errors="0">"#));
    assert!(junit.contains(r#"<testcase name="sach.md" classname="copydesk" file="sach.md"/>"#));
    assert_eq!(junit.matches("<failure ").count(), 13);
}

#[test]
fn gitlab_fingerprints_survive_edits_above() {
    let dir = workspace();
    let before = json(&run(dir.path(), &["--format", "gitlab"]).stdout);
    let path = dir.path().join("tin-bao.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("Đoạn mở đầu mới.\n\nThêm một dòng.\n\n{text}")).unwrap();
    let after = json(&run(dir.path(), &["--format", "gitlab"]).stdout);
    let prints = |v: &Value| {
        let mut f: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect();
        f.sort();
        f
    };
    assert_eq!(prints(&before), prints(&after));
    let unique: std::collections::HashSet<_> = prints(&before).into_iter().collect();
    assert_eq!(unique.len(), 13, "fingerprints are unique, even for identical findings");
    let lines = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .filter(|i| i["location"]["path"] == "tin-bao.md")
            .map(|i| i["location"]["lines"]["begin"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&after), lines(&before).iter().map(|l| l + 4).collect::<Vec<_>>());
}

#[test]
fn json_lines_are_the_json_diagnostics() {
    let dir = workspace();
    let doc = json(&run(dir.path(), &["--format", "json"]).stdout);
    let lines: Vec<Value> = run(dir.path(), &["--format", "json-lines"])
        .stdout
        .lines()
        .map(json)
        .collect();
    assert_eq!(&Value::Array(lines), &doc["diagnostics"]);
}

#[test]
fn rdjson_columns_are_utf8_bytes_and_fixes_are_suggestions() {
    let dir = workspace();
    let doc = json(&run(dir.path(), &["--format", "rdjson"]).stdout);
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"]["value"] == "house/units.km" && d["location"]["path"] == "ghi-chu.txt")
        .unwrap();
    // “Đường dài 7KM.”: 10 characters but 15 bytes before the `7` (Đ, ư, à take 2, ờ 3),
    // so the character column is 11 and the byte column 16.
    let start = &d["location"]["range"]["start"];
    assert_eq!((start["line"].as_u64(), start["column"].as_u64()), (Some(2), Some(16)));
    assert_eq!(d["suggestions"][0]["text"], "7 km");
    assert_eq!(d["code"]["url"], "https://example.com/rules?id=units.km&v=1");
}

#[test]
fn statistics_count_per_rule_most_frequent_first() {
    let dir = workspace();
    let r = run(dir.path(), &["--statistics"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("statistics", r.stdout);
    let rows = json(&run(dir.path(), &["--statistics", "--format", "json"]).stdout);
    assert_eq!(rows[0]["rule"], "house/quotes.straight");
    assert_eq!(rows[0]["count"], 6);
    assert_eq!(rows[1]["fixable"], 4);
}

#[test]
fn show_fixes_lists_available_and_applied_fixes() {
    let dir = workspace();
    let r = run(dir.path(), &["--show-fixes", "--format", "concise", "--quiet"]);
    insta::assert_snapshot!("show_fixes", r.stdout);
    let r = run(dir.path(), &["--fix", "--show-fixes", "--format", "concise", "--quiet"]);
    assert!(r.stdout.contains("tin-bao.md:\n  4 fix(es) applied\n"), "{}", r.stdout);
    let fixed = std::fs::read_to_string(dir.path().join("tin-bao.md")).unwrap();
    assert!(fixed.contains("20 km") && fixed.contains("An Hòa") && !fixed.contains('\u{300}'));
    // JSON keeps standard output to itself; the list goes to standard error.
    let r = run(dir.path(), &["--show-fixes", "--format", "json"]);
    json(&r.stdout);
    assert!(
        r.stderr.contains("No fixes applied or available.") || r.stderr.contains(":\n"),
        "{}",
        r.stderr
    );
}

fn check_stdin(dir: &Path, text: &str, args: &[&str]) -> Run {
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .current_dir(dir)
        .args(["check", "-", "--stdin-filename", "bai.md"])
        .args(args)
        .write_stdin(text)
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap_or(-1),
    }
}

#[test]
fn max_warnings_fails_even_when_fail_on_passes() {
    let dir = workspace();
    let text = "Đường dài 5KM rồi 6KM.\n";
    let args = ["--fail-on", "error", "--format", "concise"];
    assert_eq!(check_stdin(dir.path(), text, &args).code, 0);
    let mut over = args.to_vec();
    over.extend(["--max-warnings", "1"]);
    let r = check_stdin(dir.path(), text, &over);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let mut at = args.to_vec();
    at.extend(["--max-warnings", "2"]);
    assert_eq!(check_stdin(dir.path(), text, &at).code, 0);
}

#[test]
fn concise_lines_are_one_per_finding() {
    let dir = workspace();
    let r = run(dir.path(), &["--format", "concise", "--quiet"]);
    assert_eq!(r.stdout.lines().count(), 13);
    for line in r.stdout.lines() {
        let (path, rest) = line.split_once(".md:").or_else(|| line.split_once(".txt:")).unwrap();
        assert!(!path.is_empty());
        let mut parts = rest.splitn(3, ':');
        assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{line}");
        assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{line}");
        assert!(parts.next().unwrap().contains("[house/"), "{line}");
    }
}

#[test]
fn run_errors_appear_in_every_format() {
    let dir = workspace();
    std::fs::write(dir.path().join("hong.md"), b"bad \xff byte\n").unwrap();
    for (format, needle) in [
        ("concise", "hong.md: error[copydesk] not valid UTF-8"),
        ("github", "::error file=hong.md,title=copydesk::not valid UTF-8"),
        ("checkstyle", "source=\"copydesk\""),
        ("junit", "<error message=\"not valid UTF-8"),
        ("gitlab", "\"severity\": \"blocker\""),
        ("rdjson", "copydesk/error"),
        ("sarif", "\"executionSuccessful\": false"),
    ] {
        let r = run(dir.path(), &["--format", format]);
        assert_eq!(r.code, 2, "{format}");
        assert!(r.stdout.contains(needle), "{format}:\n{}", r.stdout);
    }
}
