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
