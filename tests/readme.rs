//! README.md stays true: its rule-file example loads and its examples pass, and it
//! starts with the two commands CI relies on.

use copydesk::pack::{examples::run_examples, load_files, SourceFile};
use copydesk::project::build_engine;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn the_rule_file_example_loads_and_its_examples_pass() {
    let text = readme();
    let section = &text[text.find("## Rule files").expect("README has a Rule files section")..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let block = &section[start..start + section[start..].find("```").unwrap()];
    let pack = load_files("readme", "README.md", vec![SourceFile::new("README.md", block)])
        .unwrap_or_else(|e| panic!("the README rule file does not load: {e:#?}"));
    let kinds: std::collections::BTreeSet<&str> = pack.rules.iter().map(|r| r.raw.meta.kind).collect();
    assert_eq!(
        kinds.len(),
        copydesk::rules::KINDS.len(),
        "one example of each kind: {kinds:?}"
    );
    let engine = build_engine(&[pack], Some("daily"), &[], None).unwrap();
    let report = run_examples(&engine, &|_| true);
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(report.passed >= 24);
}

#[test]
fn readme_starts_with_the_main_command_and_the_test_command() {
    let text = readme();
    let first_block = &text[text.find("```sh\n").unwrap()..];
    let lines: Vec<&str> = first_block.lines().skip(1).take(2).collect();
    assert!(
        lines[0].starts_with("cargo run --release -- check examples/"),
        "{lines:?}"
    );
    assert!(lines[1].starts_with("cargo test"), "{lines:?}");
}
