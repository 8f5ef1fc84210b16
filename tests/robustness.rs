//! No input panics the engine: random bytes (decoded lossily), random Unicode and
//! random Markdown-ish text go through the default pack, and fixes always leave valid
//! text with non-overlapping edits.

use copydesk::document::{Document, Format};
use copydesk::fix::{apply_edits, select_edits};
use copydesk::project::Project;
use copydesk::Engine;
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

fn default_engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Project::load(None, None).expect("the built-in pack loads").engine())
        .clone()
}

fn pieces() -> impl Strategy<Value = String> {
    let p = prop::sample::select(vec![
        "Hòa",
        "hoà",
        "Ho\u{300}a",
        "tiề\u{300}n",
        "thủy",
        "Thanh Hoá",
        "Khánh Hòa",
        "😀",
        "👩‍💻",
        " ",
        "  ",
        "\u{a0}",
        "\u{200b}",
        "\n",
        "\r\n",
        "\n\n",
        "# ",
        "> ",
        "- ",
        "`x`",
        "**",
        "\"",
        "'",
        "“",
        "”",
        "‘",
        "’",
        "(",
        ")",
        ",",
        ".",
        ":",
        ";",
        "!",
        "?",
        "…",
        "...",
        " - ",
        "–",
        "ANTT",
        "an ninh trật tự",
        "UBND",
        "TP.HCM",
        "TP HCM",
        "Bộ công an",
        "thứ trưởng Lê Văn Tuyến",
        "ông nguyễn văn an",
        "26/07/2025",
        "26/7",
        "13:37",
        "13h37",
        "6.5 triệu",
        "81.500",
        "6,5 %",
        "sát nhập",
        "kĩ",
        "kỹ",
        "tổ tổ",
        "Xin chµo",
        "Xin chaøo",
        "https://a.vn/x.y",
        "\t",
        "Đ",
        "đ",
        "ươ",
        "1",
        "2025",
        "\u{feff}",
        "\u{301}",
        "\u{323}",
    ]);
    prop::collection::vec(p, 0..80).prop_map(|v| v.concat())
}

fn check_invariants(engine: &Engine, text: &str, format: Format) -> Result<(), TestCaseError> {
    let doc = Document::new(text.to_string(), format);
    let diagnostics = engine.check(&doc);
    for d in &diagnostics {
        prop_assert!(d.range.start <= d.range.end && d.range.end <= text.len());
        prop_assert!(text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end));
        for f in &d.fixes {
            for e in &f.edits {
                prop_assert!(
                    e.range.end <= text.len()
                        && text.is_char_boundary(e.range.start)
                        && text.is_char_boundary(e.range.end),
                    "edit {:?} of {}",
                    e,
                    engine.rule(d.rule).full_id()
                );
            }
            for (i, a) in f.edits.iter().enumerate() {
                for b in &f.edits[i + 1..] {
                    prop_assert!(
                        a.range.end <= b.range.start || b.range.end <= a.range.start,
                        "overlapping edits in one fix of {}",
                        engine.rule(d.rule).full_id()
                    );
                }
            }
        }
    }
    let (edits, _) = select_edits(diagnostics.iter(), true);
    for w in edits.windows(2) {
        prop_assert!(
            w[0].range.end <= w[1].range.start || (w[0].range.is_empty() && w[0].range.start < w[1].range.start)
        );
    }
    let fixed = apply_edits(text, &edits);
    // Re-check the fixed text: it must not panic either.
    let _ = engine.check(&Document::new(fixed, format));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let engine = default_engine();
        check_invariants(&engine, &text, Format::Plain)?;
        check_invariants(&engine, &text, Format::Markdown)?;
    }

    #[test]
    fn random_unicode_never_panics(text in "\\PC{0,300}") {
        let engine = default_engine();
        check_invariants(&engine, &text, Format::Plain)?;
        check_invariants(&engine, &text, Format::Markdown)?;
    }

    #[test]
    fn newsroom_like_text_never_panics(text in pieces()) {
        let engine = default_engine();
        check_invariants(&engine, &text, Format::Plain)?;
        check_invariants(&engine, &text, Format::Markdown)?;
    }
}
