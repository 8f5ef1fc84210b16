//! Hardening of the command line (issue 12): no green run on a broken config, `--fix` and
//! baselines that never lose or misplace data, clear errors on odd inputs. Every test
//! runs the real binary the way a user would.

use std::fs;
use std::path::Path;

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

/// A project with a small local pack; `.txt` is avoided so the first line is no headline.
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
        // No user config from the machine running the tests.
        .env("COPYDESK_USER_CONFIG", dir.join("no-user-config.toml"));
    c
}

// ---- Wrong results that look like success -------------------------------------------

#[test]
fn a_broken_config_in_one_subfolder_is_a_located_error_and_the_others_are_still_checked() {
    let dir = project();
    fs::create_dir_all(dir.path().join("good")).unwrap();
    fs::create_dir_all(dir.path().join("bad")).unwrap();
    fs::write(dir.path().join("good/a.md"), "Dài 5KM.\n").unwrap();
    fs::write(dir.path().join("bad/b.md"), "Dài 5KM.\n").unwrap();
    fs::write(dir.path().join("bad/.copydesk.toml"), "packs = [\n").unwrap();
    copydesk(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("good/a.md:1:5"))
        .stdout(predicate::str::contains(".copydesk.toml:1:10: unclosed array"))
        .stdout(predicate::str::contains("All checks passed").not());
}

#[test]
fn a_broken_config_fails_with_no_path_a_folder_or_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "Xin chào.\n").unwrap();
    fs::write(dir.path().join(".copydesk.toml"), "packs = [\"vi-news\"]\nbogus = 1\n").unwrap();
    for args in [&["check"][..], &["check", "."], &["check", "a.md"]] {
        copydesk(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stdout(predicate::str::contains(".copydesk.toml:2:1: unknown field `bogus`"))
            .stdout(predicate::str::contains("All checks passed").not());
    }
}

#[test]
fn a_misspelt_option_in_the_config_is_located_in_the_config_not_in_the_pack() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("archive")).unwrap();
    fs::write(dir.path().join("a.md"), "Xin chào.\n").unwrap();
    fs::write(dir.path().join("archive/b.md"), "Xin chào.\n").unwrap();
    let config = "[rules]\n\"abbr.definition\" = { checks = { long-after-defnition = \"warning\" } }\n";
    fs::write(dir.path().join(".copydesk.toml"), config).unwrap();
    copydesk(dir.path())
        .args(["check", "a.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            ".copydesk.toml:2:34: rule `abbr.definition`: unknown field `long-after-defnition`, expected one of",
        ))
        .stdout(predicate::str::contains(
            "(at `rules.\"abbr.definition\".checks.long-after-defnition`)",
        ))
        .stdout(predicate::str::contains("builtin:").not())
        .stdout(predicate::str::contains("All checks passed").not());
    // The same in a per-glob override: named by its index, found when a file it covers is checked.
    let config = "[[overrides]]\nfiles = [\"archive/**\"]\n\n[[overrides]]\nfiles = [\"archive/**\"]\nrules = { \"tone.placement\" = { mode = \"majority\" } }\n";
    fs::write(dir.path().join(".copydesk.toml"), config).unwrap();
    copydesk(dir.path())
        .args(["check", "archive/b.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            ".copydesk.toml:6:32: rule `tone.placement`: unknown variant `majority`",
        ))
        .stdout(predicate::str::contains(
            "(at `overrides[1].rules.\"tone.placement\".mode`)",
        ))
        .stdout(predicate::str::contains("builtin:").not());
}

#[test]
fn a_missing_pack_or_profile_on_the_command_line_fails_even_with_no_file_found() {
    let dir = project();
    fs::create_dir(dir.path().join("empty")).unwrap();
    fs::write(dir.path().join("a.md"), "Xin chào.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "--pack", "./typo", "."])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("no rule pack `./typo`"));
    copydesk(dir.path())
        .args(["check", "--pack", "./typo", "empty"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("no rule pack `./typo`"));
    copydesk(dir.path())
        .args(["check", "--profile", "typo"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("unknown profile `typo`"));
}

#[test]
fn a_broken_pack_is_a_located_error_when_checking_a_folder() {
    let dir = project();
    fs::write(
        dir.path().join("pack/rules.toml"),
        "[pack]\nname = \"house\"\n[[rule]]\nid = 3\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.md"), "Xin chào.\n").unwrap();
    copydesk(dir.path())
        .args(["check"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("rules.toml:4:"));
}

#[test]
fn write_baseline_never_records_a_run_with_config_errors() {
    let dir = project();
    fs::create_dir(dir.path().join("bad")).unwrap();
    fs::write(dir.path().join("bad/b.md"), "Dài 5KM.\n").unwrap();
    fs::write(dir.path().join("bad/.copydesk.toml"), "packs = [\n").unwrap();
    copydesk(dir.path())
        .args(["check", "--write-baseline", "baseline.json", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("was not written"));
    assert!(!dir.path().join("baseline.json").exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_read() {
    let dir = project();
    let fifo = dir.path().join("in.md");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        move || fs::write(fifo, "Dài 5KM.\n").unwrap()
    });
    copydesk(dir.path())
        .args(["check", "in.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("in.md:1:5"));
    writer.join().unwrap();
}

#[cfg(unix)]
#[test]
fn dev_stdin_on_a_pipe_is_read_and_a_device_is_refused() {
    let dir = project();
    copydesk(dir.path())
        .args(["check", "--config", ".copydesk.toml", "/dev/stdin"])
        .write_stdin("Dài 5KM.\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("units.km"));
    copydesk(dir.path())
        .args(["check", "/dev/zero"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("character device"));
}

#[test]
fn fix_on_standard_input_keeps_errors_off_standard_output() {
    let dir = project();
    copydesk(dir.path())
        .args(["check", "--fix", "--pack", "./typo", "-"])
        .write_stdin("Dài 5KM.\n")
        .assert()
        .code(2)
        .stdout("Dài 5KM.\n")
        .stderr(predicate::str::contains("no rule pack `./typo`"));
}

/// A bug in one rule (a panic) costs its file, not the run: that file is reported as an
/// internal error and left unchanged, the others are checked and fixed, and the exit code says
/// the run failed. The panic is injected by the debug build's `COPYDESK_TEST_PANIC` marker.
#[test]
fn a_panic_while_checking_one_file_is_an_error_for_that_file_only() {
    let dir = project();
    fs::write(dir.path().join("a.md"), "Dài 5KM.\n").unwrap();
    fs::write(dir.path().join("b.md"), "Dài 7KM. PANIC-HERE\n").unwrap();
    copydesk(dir.path())
        .env("COPYDESK_TEST_PANIC", "PANIC-HERE")
        .args(["check", "--fix", "."])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("b.md").and(predicate::str::contains("internal error while checking")))
        .stderr(predicate::str::contains("injected panic"));
    assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), "Dài 5 km.\n");
    assert_eq!(
        fs::read_to_string(dir.path().join("b.md")).unwrap(),
        "Dài 7KM. PANIC-HERE\n"
    );
}

// ---- Also ------------------------------------------------------------------------------

#[test]
fn a_utf16_file_is_named_utf16_with_the_conversion() {
    let dir = project();
    let mut bytes = vec![0xFF, 0xFE];
    for u in "Xin chào".encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    fs::write(dir.path().join("u.md"), bytes).unwrap();
    copydesk(dir.path())
        .args(["check", "u.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("UTF-16"))
        .stdout(predicate::str::contains("iconv -f UTF-16 -t UTF-8"))
        .stdout(predicate::str::contains("WINDOWS-1258").not());
}

#[test]
fn a_repository_config_may_not_name_packs_outside_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("rules.toml"), PACK).unwrap();
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join("a.md"), "Dài 5KM.\n").unwrap();
    let abs = outside.path().display().to_string();
    for reference in [abs.as_str(), "../"] {
        let reference = if reference == "../" {
            format!("../{}", outside.path().file_name().unwrap().to_string_lossy())
        } else {
            reference.to_string()
        };
        fs::write(
            dir.path().join(".copydesk.toml"),
            format!("packs = [{}]\n", toml_string(&reference)),
        )
        .unwrap();
        copydesk(dir.path())
            .args(["check"])
            .assert()
            .code(2)
            .stdout(predicate::str::contains("is outside the repository"))
            .stdout(predicate::str::contains("--allow-external-packs"))
            .stdout(predicate::str::contains(".copydesk.toml:1:10"));
        copydesk(dir.path())
            .args(["check", "--allow-external-packs"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("units.km"));
        let user = dir.path().join("user.toml");
        fs::write(&user, "allow-external-packs = true\n").unwrap();
        copydesk(dir.path())
            .env("COPYDESK_USER_CONFIG", &user)
            .args(["check"])
            .assert()
            .code(1);
    }
    // A symlink inside the repository to a folder outside it leaves it too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
        fs::write(dir.path().join(".copydesk.toml"), "packs = [\"./linked\"]\n").unwrap();
        copydesk(dir.path())
            .args(["check"])
            .assert()
            .code(2)
            .stdout(predicate::str::contains("is outside the repository"));
    }
    // `--pack` on the command line is the user's own choice.
    fs::remove_file(dir.path().join(".copydesk.toml")).unwrap();
    copydesk(dir.path()).args(["check", "--pack", &abs]).assert().code(1);
}

fn toml_string(s: &str) -> String {
    format!("'{s}'")
}

/// An informational command whose reader has gone: with the read end of its standard
/// output closed before it writes, it ends quietly (no panic, no message, exit 0).
#[cfg(unix)]
#[test]
fn informational_commands_end_quietly_on_a_closed_pipe() {
    let dir = project();
    let commands: [&[&str]; 5] = [
        &["rules", "list"],
        &["rules", "schema"],
        &["explain", "pattern"],
        &["explain", "units.km"],
        &["rules", "test"],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("copydesk"))
            .current_dir(dir.path())
            .env("COPYDESK_USER_CONFIG", dir.path().join("no-user-config.toml"))
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
    // The way a user meets it.
    let out = std::process::Command::new("sh")
        .current_dir(dir.path())
        .env("COPYDESK_USER_CONFIG", dir.path().join("no-user-config.toml"))
        .arg("-c")
        .arg(format!(
            "'{}' rules schema | head -c1 >/dev/null",
            assert_cmd::cargo::cargo_bin("copydesk").display()
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn control_characters_from_a_checked_file_are_shown_escaped() {
    let dir = project();
    // An escape sequence that would turn a terminal red and retitle its window, a bell,
    // a lone carriage return and a C1 control (CSI).
    fs::write(
        dir.path().join("a.md"),
        "Dài \u{1b}[31m5KM\u{1b}]0;pwned\u{7}.\rX\u{9b}2J\n\nNgắn 3KM.\r\n",
    )
    .unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--color", "never", "a.md"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        !out.contains(['\u{1b}', '\u{7}', '\r', '\u{9b}']),
        "a control character reached the terminal: {out:?}"
    );
    insta::assert_snapshot!(out);
}

/// The regexes of one kind are compiled together: when a newsroom's own rule makes the
/// set too large, the error names that rule file, rule and key, and the limit.
#[test]
fn a_regex_set_too_large_names_the_rule_file_and_the_limit() {
    let dir = project();
    let mut rules = String::from("[pack]\nname = \"big\"\n\n");
    rules.push_str(
        "[[rule]]\nid = \"small\"\nkind = \"existence\"\nmessage = \"x\"\ntokens = [{ pattern = '\\d+ xyz' }]\n\n",
    );
    rules.push_str("[[rule]]\nid = \"huge\"\nkind = \"existence\"\nmessage = \"x\"\ntokens = [\n");
    // Each below the limit of one regex (4 MiB), together above the 64 MiB of a set (ASCII
    // classes: the set's relaxed patterns only coarsen big Unicode classes).
    for i in 0..25 {
        rules.push_str(&format!("  {{ pattern = '[0-9a-f]{{{}}}x' }},\n", 40_000 + i));
    }
    rules.push_str("]\n");
    fs::write(dir.path().join("pack/big.toml"), rules).unwrap();
    // With the built-in pack first, whose rules came first and used to be blamed.
    fs::write(dir.path().join(".copydesk.toml"), "packs = [\"vi-news\", \"./pack\"]\n").unwrap();
    fs::write(dir.path().join("a.md"), "Dài 5KM.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "a.md"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("big.toml:39:5: rule `huge`"))
        .stdout(predicate::str::contains("limit of 64 MiB"))
        .stdout(predicate::str::contains("rule[1].tokens[24].pattern"))
        .stdout(predicate::str::contains("vi-news").not());
}

#[test]
fn too_many_globs_name_the_config_the_key_and_the_limit() {
    let dir = project();
    let mut config = String::from("packs = [\"./pack\"]\nexclude = [\n");
    for i in 0..20_000 {
        config.push_str(&format!("  \"*draft-{i}*\",\n"));
    }
    config.push_str("]\n");
    fs::write(dir.path().join(".copydesk.toml"), config).unwrap();
    fs::write(dir.path().join("a.md"), "Dài 5KM.\n").unwrap();
    copydesk(dir.path())
        .args(["check", "a.md"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(2)
        .stdout(predicate::str::contains(".copydesk.toml"))
        .stdout(predicate::str::contains("`exclude`"))
        .stdout(predicate::str::contains("20000 globs"))
        .stdout(predicate::str::contains("at most 10 MiB"))
        .stdout(predicate::str::contains("NFA").not());
}
