//! Test support shared by the kinds that use this module.

use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

/// Runs the `examples` of the first TOML block of a kind's documentation.
pub fn doc_examples_pass(doc: &str) {
    let start = doc.find("```toml\n").expect("the doc has a TOML example") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("the TOML block is closed");
    let engine = crate::testing::engine(&doc[start..end]);
    let report = crate::pack::examples::run_examples(&engine, &|_| true);
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(report.passed > 0, "the doc example has no examples");
}

/// A fixed-seed proptest configuration that writes no files.
pub fn proptest_config() -> Config {
    Config {
        cases: 128,
        rng_seed: RngSeed::Fixed(0x00c0_97de_5c00),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

/// Pieces of text that exercise boundaries: Vietnamese in NFC, NFD and composite,
/// emoji, the mask character, brackets, capitals.
pub fn piece() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        prop::sample::select(vec![
            "sát nhập",
            "Sát nhập",
            "SÁT NHẬP",
            "sa\u{301}t nhâ\u{323}p",
            "kỹ",
            "kĩ",
            "TP.HCM",
            "TP HCM",
            "TPHCM",
            "Tp",
            "HĐND",
            "Hội đồng nhân dân",
            "Hội đồng nhân dân (HĐND)",
            "(",
            ")",
            "...",
            "…",
            "😀",
            " ",
            ". ",
            "\n",
            "\u{1A}",
            "đường",
            "ươ",
            "\u{300}",
        ])
        .prop_map(str::to_string),
        "\\PC{0,6}",
    ]
}

/// Checks that nothing panics and every range lies on character boundaries.
pub fn assert_sane(engine: &crate::engine::Engine, text: &str) {
    for doc in [
        crate::document::Document::plain(text),
        crate::document::Document::markdown(text),
    ] {
        for d in engine.check(&doc) {
            assert!(d.range.start <= d.range.end && d.range.end <= text.len(), "{d:?}");
            assert!(
                text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end),
                "{d:?}"
            );
            for f in &d.fixes {
                for e in &f.edits {
                    assert!(e.range.end <= text.len(), "{d:?}");
                    assert!(
                        text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end),
                        "{d:?}"
                    );
                }
            }
        }
    }
}
