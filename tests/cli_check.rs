//! End-to-end tests of `copydesk check` and the rule commands, through the real binary.
//! They use a small local pack (pattern rules) so they do not depend on the default pack.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const PACK: &str = r#"
[pack]
name = "house"
profiles = ["daily", "weekly"]

[[rule]]
id = "units.km"
kind = "pattern"
message = "Unit written in capitals: “{found}” → “{expected}”"
pattern = '(\d) ?KM\b'
replacement = "$1 km"
examples = [
  { text = "dài 5KM", expect = 1, fixed = "dài 5 km" },
  { text = "dài 5 km", expect = 0 },
]

[[rule]]
id = "words.banned"
kind = "pattern"
severity = "error"
message = "Banned word “{found}”"
pattern = 'cực sốc'
scope = "body"

[[rule]]
id = "weekly.only"
kind = "pattern"
severity = "info"
profiles = ["weekly"]
message = "Weekly-only rule"
pattern = 'tuần này'
"#;

/// A temporary project with the local pack and a config that uses it.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("pack")).unwrap();
    fs::write(dir.path().join("pack/rules.toml"), PACK).unwrap();
    fs::write(dir.path().join(".copydesk.toml"), "packs = [\"./pack\"]\n").unwrap();
    dir
}

fn copydesk(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("copydesk").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

#[test]
fn findings_exit_1_with_rustc_style_output_and_character_columns() {
    let dir = project();
    // NFD "Hòa" and an emoji before the finding: the column counts characters.
    fs::write(dir.path().join("a.txt"), "Tít\n\nHo\u{300}a 😀 chạy 5KM.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "warning[house/units.km]: Unit written in capitals: “5KM” → “5 km”",
        ))
        .stdout(predicate::str::contains("--> a.txt:3:13"))
        .stdout(predicate::str::contains("help: fix: Replace with “5 km”"))
        .stdout(predicate::str::contains(
            "Found 1 problem (1 warning) in 1 file; 1 fixable with `--fix`.",
        ));
}

#[test]
fn clean_files_exit_0_and_fail_on_raises_the_bar() {
    let dir = project();
    fs::write(dir.path().join("ok.md"), "# Tít\n\nMọi thứ ổn.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "ok.md"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("All checks passed"));
    fs::write(dir.path().join("w.md"), "# Tít\n\nChạy 5KM.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "--fail-on", "error", "w.md"])
        .assert()
        .code(0);
    copydesk(dir.path())
        .args(["check", "--fail-on", "info", "w.md"])
        .assert()
        .code(1);
    copydesk(dir.path())
        .args(["check", "--fail-on", "bogus", "w.md"])
        .assert()
        .code(2);
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = project();
    fs::write(
        dir.path().join("a.md"),
        "\u{feff}# Tít\r\n\r\nHo\u{300}a 😀 chạy 5KM.\r\n",
    )
    .unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "a.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["file"], "a.md");
    assert_eq!(d["rule"], "house/units.km");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["found"], "5KM");
    assert_eq!(d["start"], serde_json::json!({"line": 3, "column": 13, "offset": 31}));
    assert_eq!(d["end"]["column"], 16);
    assert_eq!(d["fixes"][0]["safe"], true);
    assert_eq!(d["fixes"][0]["edits"][0]["replacement"], "5 km");
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["fixable"], 1);
}

#[cfg(unix)]
#[test]
fn fix_writes_atomically_keeping_crlf_bom_and_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project();
    let path = dir.path().join("a.txt");
    fs::write(&path, "\u{feff}Tít\r\n\r\nChạy 5KM, rồi 7 KM.\r\nHết").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    copydesk(dir.path())
        .args(["check", "--fix", "a.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed 2 problem(s)"));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "\u{feff}Tít\r\n\r\nChạy 5 km, rồi 7 km.\r\nHết"
    );
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".copydesk-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = project();
    let path = dir.path().join("a.txt");
    fs::write(&path, "Tít\n\nChạy 5KM.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "--diff", "a.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("--- a/a.txt\n+++ b/a.txt\n"))
        .stdout(predicate::str::contains("-Chạy 5KM.\n+Chạy 5 km.\n"));
    assert_eq!(fs::read_to_string(&path).unwrap(), "Tít\n\nChạy 5KM.\n");
}

#[test]
fn stdin_uses_the_stdin_filename_and_fix_prints_the_fixed_text() {
    let dir = project();
    copydesk(dir.path())
        .args(["check", "-", "--stdin-filename", "bai.md"])
        .write_stdin("# Tít\n\n`5KM` và 5KM\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("--> bai.md:3:10"));
    copydesk(dir.path())
        .args(["check", "--fix", "-"])
        .write_stdin("Tít\n\nChạy 5KM.\n")
        .assert()
        .code(0)
        .stdout("Tít\n\nChạy 5 km.\n");
}

#[test]
fn invalid_utf8_is_reported_and_other_files_are_still_checked() {
    let dir = project();
    fs::write(dir.path().join("bad.txt"), b"T\xc3t\n\nabc\xff").unwrap();
    fs::write(dir.path().join("good.txt"), "Tít\n\nChạy 5KM.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "bad.txt", "good.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("bad.txt: not valid UTF-8 at byte 1"))
        .stdout(predicate::str::contains("good.txt"))
        .stdout(predicate::str::contains("units.km"));
}

#[test]
fn missing_paths_are_errors() {
    let dir = project();
    copydesk(dir.path())
        .args(["check", "nope.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("nope.md: no such file or folder"));
}

#[test]
fn a_broken_rule_file_is_located_and_nothing_is_checked_with_it() {
    let dir = project();
    fs::write(
        dir.path().join("pack/broken.toml"),
        "[[rule]]\nid = \"x.y\"\nkind = \"patern\"\nmessage = \"m\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.txt"), "Tít\n\nChạy 5KM.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "broken.toml:3:1: unknown kind `patern`; known kinds: substitution",
        ))
        .stdout(predicate::str::contains("units.km").not());
}

#[test]
fn a_bad_regex_and_an_unknown_option_point_at_their_keys() {
    let dir = project();
    fs::write(
        dir.path().join("pack/broken.toml"),
        "[[rule]]\nid = \"x.y\"\nkind = \"pattern\"\nmessage = \"m\"\npattern = \"(unclosed\"\n\n[[rule]]\nid = \"x.z\"\nkind = \"pattern\"\nmessage = \"m\"\npattern = \"a\"\nreplacment = \"b\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.txt"), "x\n").unwrap();
    copydesk(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "broken.toml:12:1: rule `x.z`: unknown field `replacment`",
        ));
    fs::write(
        dir.path().join("pack/broken.toml"),
        "[[rule]]\nid = \"x.y\"\nkind = \"pattern\"\nmessage = \"m\"\npattern = \"(unclosed\"\n",
    )
    .unwrap();
    copydesk(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("broken.toml:5:1: rule `x.y`: invalid regex"));
}

#[test]
fn a_broken_config_is_located() {
    let dir = project();
    fs::write(
        dir.path().join(".copydesk.toml"),
        "packs = [\"./pack\"]\nprofil = \"x\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.txt"), "x\n").unwrap();
    copydesk(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(".copydesk.toml:2:1: unknown field `profil`"));
    fs::write(
        dir.path().join(".copydesk.toml"),
        "packs = [\"./pack\"]\n[rules]\n\"units.kmm\" = \"off\"\n",
    )
    .unwrap();
    copydesk(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("`rules.\"units.kmm\"` matches no rule"));
}

#[test]
fn config_severities_profiles_overrides_and_excludes_apply() {
    let dir = project();
    fs::write(
        dir.path().join(".copydesk.toml"),
        r#"packs = ["./pack"]
profile = "weekly"
exclude = ["archive"]
[rules]
"units.km" = "error"
[[overrides]]
files = ["drafts/**"]
rules = { "house" = "off" }
"#,
    )
    .unwrap();
    fs::create_dir_all(dir.path().join("archive")).unwrap();
    fs::create_dir_all(dir.path().join("drafts")).unwrap();
    let text = "Tít\n\nChạy 5KM tuần này.\n";
    fs::write(dir.path().join("a.txt"), text).unwrap();
    fs::write(dir.path().join("archive/old.txt"), text).unwrap();
    fs::write(dir.path().join("drafts/d.txt"), text).unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(files.iter().all(|f| *f == "a.txt"), "{files:?}");
    let sev: Vec<(&str, &str)> = diags
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(sev, [("house/units.km", "error"), ("house/weekly.only", "info")]);
    assert_eq!(
        v["summary"]["files"], 2,
        "archive/ is excluded, drafts/ is checked with rules off"
    );
}

#[test]
fn folders_are_walked_honouring_gitignore_and_extensions() {
    let dir = project();
    fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
    fs::create_dir_all(dir.path().join("ignored")).unwrap();
    fs::create_dir_all(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("ignored/a.md"), "# T\n\n5KM\n").unwrap();
    fs::write(dir.path().join("sub/b.markdown"), "# T\n\n5KM\n").unwrap();
    fs::write(dir.path().join("sub/c.rst"), "5KM").unwrap();
    fs::write(dir.path().join("sub/d.txt"), "T\n\n5KM\n").unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "-j", "2"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["sub/b.markdown", "sub/d.txt"]);
}

#[test]
fn suppression_comments_silence_rules() {
    let dir = project();
    fs::write(
        dir.path().join("a.md"),
        "# Tít\n\n<!-- copydesk-disable-next-line units.km -->\nChạy 5KM.\n\nChạy 6KM.\n\n<!-- copydesk-disable house -->\n\nChạy 7KM.\n",
    )
    .unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "a.md"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["found"].as_str().unwrap())
        .collect();
    assert_eq!(found, ["6KM"]);
}

#[test]
fn empty_files_no_final_newline_and_crlf_work() {
    let dir = project();
    fs::write(dir.path().join("empty.md"), "").unwrap();
    fs::write(dir.path().join("nonl.txt"), "Tít\n\nChạy 5KM").unwrap();
    fs::write(dir.path().join("crlf.txt"), "Tít\r\n\r\nDòng\r\nChạy 5KM\r\n").unwrap();
    fs::write(dir.path().join("cr.txt"), "Tít\r\rDòng\rChạy 5KM\r").unwrap();
    let out = copydesk(dir.path())
        .args([
            "check", "--format", "json", "empty.md", "nonl.txt", "crlf.txt", "cr.txt",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pos: Vec<(String, u64, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pos,
        [
            ("cr.txt".to_string(), 4, 6),
            ("crlf.txt".to_string(), 4, 6),
            ("nonl.txt".to_string(), 3, 6)
        ]
    );
}

#[test]
fn a_50_mb_file_is_checked() {
    let dir = project();
    let line = "Đoạn văn dài có chữ Hòa và 😀 nhưng không có lỗi gì cả, chỉ là văn bản để thử.\n\n";
    let mut text = String::from("Tít\n\n");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(line);
    }
    text.push_str("Cuối cùng chạy 5KM.\n");
    fs::write(dir.path().join("big.txt"), &text).unwrap();
    copydesk(dir.path())
        .args(["check", "--format", "json", "big.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"found\": \"5KM\""));
}

#[test]
fn rules_list_test_explain_and_schema() {
    let dir = project();
    copydesk(dir.path())
        .args(["rules", "list"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("house/units.km"))
        .stdout(predicate::str::contains("house/weekly.only").not());
    copydesk(dir.path())
        .args(["rules", "test"])
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("2 passed, 0 failed\n"));
    fs::write(
        dir.path().join("pack/failing.toml"),
        "[[rule]]\nid = \"x.y\"\nkind = \"pattern\"\nmessage = \"m\"\npattern = \"abc\"\nexamples = [\n  { text = \"abc abc\", expect = 1 },\n]\n",
    )
    .unwrap();
    copydesk(dir.path())
        .args(["rules", "test", "./pack"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL house/x.y example 1"))
        .stdout(predicate::str::contains("failing.toml:7:"))
        .stdout(predicate::str::contains("expected 1 diagnostic(s), found 2"))
        .stdout(predicate::str::ends_with("2 passed, 1 failed\n"));
    copydesk(dir.path())
        .args(["explain", "units.km"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# house/units.km"))
        .stdout(predicate::str::contains("\"dài 5KM\" → 1 finding(s)"));
    copydesk(dir.path())
        .args(["explain", "pattern"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## What it does"));
    copydesk(dir.path()).args(["explain", "nothing.here"]).assert().code(2);
    let out = copydesk(dir.path()).args(["rules", "schema"]).output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["properties"]["rule"]["items"]["oneOf"].as_array().unwrap().len() >= 12);
}

/// A rule a pack ships off is still tested by `rules test`, at `info`, and the output says
/// how many examples ran and how many of them came from such rules.
#[test]
fn rules_test_runs_the_examples_of_rules_that_are_off() {
    let dir = project();
    let off = |expect: usize| {
        format!(
            "[[rule]]\nid = \"long.one\"\nkind = \"pattern\"\nseverity = \"off\"\nmessage = \"m\"\npattern = \"abc\"\nexamples = [\n  {{ text = \"abc\", expect = {expect} }},\n  {{ text = \"xyz\", expect = 0 }},\n]\n"
        )
    };
    fs::write(dir.path().join("pack/off.toml"), off(1)).unwrap();
    for args in [&["rules", "test"][..], &["rules", "test", "./pack"][..]] {
        copydesk(dir.path())
            .args(args)
            .assert()
            .code(0)
            .stdout(predicate::str::contains(
                "ran 4 examples of 3 rules (2 of them from 1 rule off by default, run at info)\n",
            ))
            .stdout(predicate::str::ends_with("4 passed, 0 failed\n"));
    }
    // A wrong example of the off rule fails the run.
    fs::write(dir.path().join("pack/off.toml"), off(0)).unwrap();
    copydesk(dir.path())
        .args(["rules", "test"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL house/long.one example 1"))
        .stdout(predicate::str::ends_with("3 passed, 1 failed\n"));
    // Checking files, the rule stays off.
    fs::write(dir.path().join("a.txt"), "Tít\n\nabc\n").unwrap();
    copydesk(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .stdout(predicate::str::contains("long.one").not());
}

#[test]
fn usage_errors_exit_2() {
    let dir = project();
    copydesk(dir.path()).args(["check", "--no-such-flag"]).assert().code(2);
    copydesk(dir.path())
        .args(["check", "--pack", "no-such-pack", "x"])
        .assert()
        .code(2);
}

/// `html = true` examples are checked as pages: a finding inside `<code>` does not count,
/// `fixed` is the page's source, and a page the reader refuses is a located failure.
#[test]
fn rules_test_runs_html_examples() {
    let dir = project();
    fs::write(
        dir.path().join("pack/html.toml"),
        r#"[[rule]]
id = "html.km"
kind = "pattern"
message = "m"
pattern = '(\d)KM'
replacement = "$1 km"
examples = [
  { text = "<p>Dài <b>5KM</b>, <code>7KM</code></p>", expect = 1, fixed = "<p>Dài <b>5 km</b>, <code>7KM</code></p>", html = true },
  { text = "<p>A &amp; B: 5KM</p>", expect = 1, fixed = "<p>A &amp; B: 5 km</p>", html = true },
]
"#,
    )
    .unwrap();
    copydesk(dir.path())
        .args(["rules", "test", "./pack"])
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("4 passed, 0 failed\n"));
    let deep = "<div>".repeat(1500);
    fs::write(
        dir.path().join("pack/html.toml"),
        format!("[[rule]]\nid = \"html.km\"\nkind = \"pattern\"\nmessage = \"m\"\npattern = 'KM'\nexamples = [\n  {{ text = \"{deep}\", expect = 0, html = true }},\n]\n"),
    )
    .unwrap();
    copydesk(dir.path())
        .args(["rules", "test", "./pack"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL house/html.km example 1"))
        .stdout(predicate::str::contains("html.toml:7:"))
        .stdout(predicate::str::contains("the HTML cannot be read"));
}

#[test]
fn prefer_mode_speaks_the_pack_language() {
    // vi-news words its prefer message in Vietnamese (`[pack] prefer-message`); a pack
    // without one gets the engine's English default.
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join(".copydesk.toml"),
        "[rules]\n\"vi-news/quotes\" = { mode = \"prefer\" }\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.txt"), "Tít\n\nÔng nói \"được\" rồi về.\n").unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"].as_str().unwrap().contains("quotes"))
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.starts_with("Tòa soạn dùng “")),
        "{messages:?}"
    );

    let local = tempfile::tempdir().unwrap();
    fs::create_dir(local.path().join("pack")).unwrap();
    fs::write(
        local.path().join("pack/rules.toml"),
        r#"[[rule]]
id = "q"
kind = "quotes"
message = "quotes: {found}"
outer = ["“", "”"]
inner = ["‘", "’"]
mode = "prefer"
"#,
    )
    .unwrap();
    fs::write(local.path().join(".copydesk.toml"), "packs = [\"./pack\"]\n").unwrap();
    fs::write(local.path().join("a.txt"), "Title\n\nHe said \"yes\" and left.\n").unwrap();
    let out = copydesk(local.path())
        .args(["check", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = v["diagnostics"][0]["message"].as_str().unwrap_or_default().to_string();
    assert!(m.starts_with("House style is "), "{}", v);
}

/// `--no-config` with `--config` used to drop the config silently (the realnews judges ran a
/// no-headline config that way and got the headline rules): now a usage error.
#[test]
fn no_config_with_config_is_a_usage_error() {
    let dir = project();
    fs::write(dir.path().join("nohead.toml"), "plain-headline = \"none\"\n").unwrap();
    fs::write(dir.path().join("a.txt"), "Tin mới\nMột câu.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "--no-config", "--config", "nohead.toml", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--no-config").and(predicate::str::contains("--config")));
}
