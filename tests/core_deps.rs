//! The engine crate stays free of the front ends (ARCHITECTURE.md, Invariants): its normal
//! dependency tree holds no async runtime, argument parser, LSP or HTTP library, its
//! library code prints nothing, and only the loaders read files or the environment. Each
//! is checked here so a violation fails `cargo test`.

use std::path::Path;
use std::process::Command;

/// Crates that belong to the front ends only.
const FORBIDDEN: &[&str] = &[
    "tokio",
    "clap",
    "tower-lsp-server",
    "axum",
    "tower-http",
    "tower",
    "hyper",
];

/// Names in `cargo tree --prefix none --format {p}` output that are forbidden.
fn forbidden_in(tree: &str) -> Vec<String> {
    let mut found: Vec<String> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| FORBIDDEN.contains(name))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_checker_catches_a_forbidden_crate() {
    let tree = "copydesk-core v0.1.0 (/x)\nregex v1.11.1\ntokio v1.47.0\ntokio v1.47.0\n";
    assert_eq!(forbidden_in(tree), ["tokio"]);
    assert!(forbidden_in("copydesk-core v0.1.0 (/x)\ntokio-util v0.7.0\n").is_empty());
}

#[test]
fn copydesk_core_depends_on_no_front_end_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args([
            "tree",
            "--offline",
            "-p",
            "copydesk-core",
            "-e",
            "normal",
            "--target",
            "all",
        ])
        .args(["--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo runs");
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tree.lines().any(|l| l.starts_with("copydesk-core ")), "{tree}");
    assert!(
        tree.lines().any(|l| l.starts_with("regex ")),
        "the tree lists dependencies: {tree}"
    );
    assert_eq!(
        forbidden_in(&tree),
        Vec::<String>::new(),
        "copydesk-core must not depend on these"
    );
}

/// Whether `cargo tree -e …,features -i copydesk-core --prefix none` output shows the
/// core's `testing` feature turned on.
fn testing_enabled(tree: &str) -> bool {
    tree.lines().any(|l| l.trim() == "copydesk-core feature \"testing\"")
}

#[test]
fn the_feature_checker_catches_testing() {
    let with_dev = "copydesk-core v0.1.0 (/x)\ncopydesk-core feature \"default\"\ncopydesk-core feature \"testing\"\n";
    assert!(testing_enabled(with_dev));
    assert!(!testing_enabled(
        "copydesk-core v0.1.0 (/x)\ncopydesk-core feature \"default\"\n"
    ));
}

/// The test helpers are not in the shipped binary (ARCHITECTURE.md, Invariants): only
/// dev-dependencies turn on the core's `testing` feature, so a build of the binary,
/// whose features come from normal dependencies, has no `copydesk_core::testing`.
#[test]
fn the_shipped_binary_builds_the_core_without_its_test_helpers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let tree = |edges: &str| {
        let out = Command::new(&cargo)
            .current_dir(root)
            .args(["tree", "--offline", "-p", "copydesk", "-e", edges, "--target", "all"])
            .args(["-i", "copydesk-core", "--prefix", "none"])
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shipped = tree("normal,build,features");
    assert!(shipped.contains("copydesk-core feature \"default\""), "{shipped}");
    assert!(
        !testing_enabled(&shipped),
        "a normal dependency turns on `testing`: {shipped}"
    );
    // The tests do turn it on, so the check above can see it.
    assert!(testing_enabled(&tree("all,features")));
}

/// The needles that occur in `code`, the part of a file before its first `#[cfg(test)]`
/// (test modules come last in this code base), comment lines left out.
fn found_in(code: &str, needles: &[&'static str]) -> Vec<&'static str> {
    let code = code.split("#[cfg(test)]").next().unwrap_or("");
    let lines: Vec<&str> = code.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
    needles
        .iter()
        .copied()
        .filter(|needle| lines.iter().any(|l| l.contains(needle)))
        .collect()
}

const PRINTS: &[&str] = &[
    "println!",
    "eprintln!",
    "print!(",
    "eprint!(",
    "dbg!(",
    "io::stdout",
    "io::stderr",
];
const IO: &[&str] = &["std::fs", "std::env", "std::net", "std::process"];
/// The loaders, the only core modules that read files and the environment.
const LOADERS: &[&str] = &["pack/", "config.rs", "project.rs"];

#[test]
fn the_source_checker_catches_a_needle_and_skips_tests_and_comments() {
    assert_eq!(found_in("fn f() { dbg!(1); }", PRINTS), ["dbg!("]);
    assert_eq!(found_in("let t = std::fs::read(p);", IO), ["std::fs"]);
    let quiet = "/// println!(\"doc\")\nfn f() {}\n#[cfg(test)]\nmod tests { fn t() { println!(); } }";
    assert!(found_in(quiet, PRINTS).is_empty());
}

/// Every non-test source file of the core, as (path relative to its `src/`, text).
fn core_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/copydesk-core/src");
    let mut stack = vec![src.clone()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            // The test helpers and test-only files are not part of the shipped library.
            if rel == "testing" || rel.ends_with("tests.rs") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if rel.ends_with(".rs") {
                files.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    assert!(files.len() > 20, "walked the core sources ({} files)", files.len());
    files
}

/// `file: [needles]` for each file that holds one of `needles`.
fn offenders(files: Vec<(String, String)>, needles: &[&'static str]) -> Vec<String> {
    files
        .into_iter()
        .filter_map(|(rel, text)| {
            let found = found_in(&text, needles);
            (!found.is_empty()).then(|| format!("{rel}: {found:?}"))
        })
        .collect()
}

#[test]
fn copydesk_core_library_code_prints_nothing() {
    let found = offenders(core_sources(), PRINTS);
    assert!(found.is_empty(), "library code must not print: {found:#?}");
}

#[test]
fn only_the_loaders_read_files_or_the_environment() {
    let others = core_sources()
        .into_iter()
        .filter(|(rel, _)| !LOADERS.iter().any(|l| rel.starts_with(l)))
        .collect();
    let found = offenders(others, IO);
    assert!(
        found.is_empty(),
        "only pack/, config.rs and project.rs do IO: {found:#?}"
    );
}
