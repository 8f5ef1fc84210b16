//! Snapshots of what the default pack reports on our planted articles, in the human
//! format (rustc-style snippets with fixes) and as JSON: a change to any rule of the
//! pack shows up here as a reviewable diff (`cargo insta review`, or INSTA_UPDATE=always).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn planted() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/articles/planted");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            (name.ends_with(".md") || name.ends_with(".txt")) && !name.contains(".fixed.")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 12, "the planted articles are missing");
    files
}

fn run(args: &[&str], file: &Path) -> String {
    let out = Command::cargo_bin("copydesk")
        .unwrap()
        .current_dir(file.parent().unwrap())
        .env("NO_COLOR", "1")
        .arg("check")
        .args(args)
        .arg(file.file_name().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "planted articles have findings");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn human_output_of_the_default_pack() {
    for f in planted() {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("human-{name}"), run(&[], &f));
    }
}

#[test]
fn json_output_of_the_default_pack() {
    for f in planted().into_iter().take(3) {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let v: serde_json::Value = serde_json::from_str(&run(&["--format", "json"], &f)).unwrap();
        insta::assert_json_snapshot!(format!("json-{name}"), v);
    }
}
