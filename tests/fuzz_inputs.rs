//! Fuzzing on stable Rust (proptest): the document readers with every rule of the
//! default pack, rule files and config files, fed bytes that mix Markdown syntax,
//! Vietnamese in NFC and NFD, emoji, control characters and TOML fragments. No input may
//! panic or hang; findings stay inside the text on character boundaries; a bad rule or
//! config file is an error with a location inside the file, never a panic.
//!
//! Time is bounded by the number of cases (`FUZZ_CASES`, default 64 per test; the whole
//! file runs in seconds). `FUZZ_CASES=20000 cargo test --release --test fuzz_inputs` is a
//! longer session. Every crash found is kept below as a named regression test.

use std::sync::{Arc, OnceLock};

use copydesk::config::Config;
use copydesk::document::{Document, Format};
use copydesk::engine::Engine;
use copydesk::pack::{self, SourceFile};
use copydesk::project::Project;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

fn default_engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Project::load(None, None).expect("the default pack loads").engine())
        .clone()
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "Hòa", "Ho\u{300}a", "hoà", "Thủ tướng", "TP.HCM", "Tỉnh", "😀", "👩‍👩‍👧", " ", "  ", "\t", "\n", "\r\n", "\r",
            "\n\n", "# ", "## ", "> ", "- ", "* ", "1. ", "`", "``", "```\n", "~~~", "    ", "**", "__", "_", "[", "]",
            "(", ")", "[a](http://x.vn)", "![b](c.png)", "<http://y.vn>", "<b>", "</b>", "<!--", "-->",
            "<!-- copydesk-disable -->", "<!-- copydesk-disable-next-line vi-news/quotes -->", "|", "| a | b |\n|---|---|\n",
            "---\n", "+++\n", "title: Tít\n", "\\", "&amp;", "&#x1b;", "https://z.vn/a.b", "Www.", "x@y.vn", "“", "”",
            "\"", "'", "‘", "…", "...", ". ", ", ", ";", ":", "!", "?", "ANTT", "CSGT", "81.500", "26/07", "21:30", "1.000.000",
            "%", "$0", "{found}", "\u{1b}[31m", "\u{0}", "\u{7f}", "\u{85}", "\u{200b}", "\u{a0}", "\u{feff}", "\u{202e}",
            "\u{1a}", "\u{fffd}", "ﬁ", "İ", "ß", "Ǆ",
        ]).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[a-zà-ỹ ]{0,12}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..80).prop_map(|v| v.concat())
}

fn check(text: &str, format: Format) -> Result<(), TestCaseError> {
    let doc = Document::new(text.to_string(), format);
    for d in default_engine().check(&doc) {
        prop_assert!(
            d.range.start <= d.range.end && d.range.end <= text.len(),
            "{:?} in {:?}",
            d.range,
            text
        );
        prop_assert!(text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end));
        for f in &d.fixes {
            for e in &f.edits {
                prop_assert!(e.range.end <= text.len() && text.is_char_boundary(e.range.start));
                prop_assert!(text.is_char_boundary(e.range.end));
            }
        }
    }
    Ok(())
}

/// A rule file: TOML fragments around one or more `[[rule]]` tables.
fn rule_file() -> impl Strategy<Value = String> {
    let part = prop::sample::select(vec![
        "[[rule]]\n",
        "[pack]\n",
        "name = \"p\"\n",
        "profiles = [\"a\", \"b\"]\n",
        "id = \"r\"\n",
        "id = \"\"\n",
        "id = \"a/b\"\n",
        "kind = \"pattern\"\n",
        "kind = \"substitution\"\n",
        "kind = \"existence\"\n",
        "kind = \"repetition\"\n",
        "kind = \"nope\"\n",
        "message = \"Found {found} → {expected}\"\n",
        "message = \"\"\n",
        "severity = \"error\"\n",
        "severity = \"loud\"\n",
        "pattern = \"abc\"\n",
        "pattern = '(\\d'\n",
        "pattern = '(?<span>x)'\n",
        "pattern = 'a{99999}'\n",
        "pattern = '\\bx'\n",
        "replacement = \"$0$0\"\n",
        "replacement = \"$9\"\n",
        "terms = { \"a\" = \"b\" }\n",
        "terms = { \"\" = \"b\" }\n",
        "words = [\"a\", \"\"]\n",
        "scopes = [\"heading\"]\n",
        "scopes = [\"nowhere\"]\n",
        "[[rule.examples]]\n",
        "bad = \"abc\"\n",
        "good = \"abd\"\n",
        "expected = \"x\"\n",
        "= 1\n",
        "[\n",
        "\"\n",
        "x = 1979-05-27T07:32:00Z\n",
        "x = [[1], [\"a\"]]\n",
        "\u{0}\n",
        "# comment\n",
    ]);
    prop::collection::vec(part, 0..24).prop_map(|v| v.concat())
}

fn config_file() -> impl Strategy<Value = String> {
    let part = prop::sample::select(vec![
        "packs = [\"vi-news\"]\n",
        "packs = []\n",
        "packs = [\"./nowhere\"]\n",
        "packs = 3\n",
        "profile = \"strict\"\n",
        "profile = \"typo\"\n",
        "exclude = [\"drafts/**\"]\n",
        "exclude = [\"[\"]\n",
        "extensions = [\"md\", \"txt\"]\n",
        "[rules]\n",
        "\"vi-news/quotes\" = \"off\"\n",
        "\"vi-news\" = \"error\"\n",
        "\"nope/x\" = \"off\"\n",
        "\"vi-news/tone\" = { style = \"second-vowel\" }\n",
        "\"vi-news/tone\" = { severity = \"loud\" }\n",
        "[[overrides]]\n",
        "files = [\"a/**\"]\n",
        "files = [\"{\"]\n",
        "[overrides.rules]\n",
        "unknown = 1\n",
        "[\n",
        "= \n",
    ]);
    prop::collection::vec(part, 0..12).prop_map(|v| v.concat())
}

fn load_rule_file(text: &str) {
    let loaded = pack::load_files("fuzz", "fuzz", vec![SourceFile::new("fuzz.toml", text)]);
    match loaded {
        Ok(p) => {
            let raw: Vec<_> = p.rules.iter().map(|r| r.raw.clone()).collect();
            if let Ok(engine) = Engine::new(raw) {
                let _ = engine.check(&Document::markdown("abc abd xx a b\n\n# abc\n"));
            }
        }
        Err(errors) => {
            for e in errors {
                assert!(!e.message.is_empty(), "an error says what is wrong");
                assert!(
                    e.line <= text.lines().count() + 1,
                    "{e:?} points inside the file:\n{text}"
                );
            }
        }
    }
}

fn load_config(text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".copydesk.toml");
    std::fs::write(&path, text).unwrap();
    if let Err(e) = Config::parse(".copydesk.toml", text) {
        assert!(!e.message.is_empty());
        assert!(e.line <= text.lines().count() + 1, "{e:?}\n{text}");
    }
    if let Ok(project) = Project::load(Some(&path), None) {
        let engine = project
            .engine_for(&dir.path().join("a/b.md"))
            .expect("the base engine compiled");
        let _ = engine.check(&Document::markdown("Hoà bình 26/07.\n"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn markdown_reader_and_every_rule(t in text()) {
        check(&t, Format::Markdown)?;
    }

    #[test]
    fn plain_reader_and_every_rule(t in text()) {
        check(&t, Format::Plain)?;
    }

    #[test]
    fn rule_files(t in rule_file()) {
        load_rule_file(&t);
    }

    #[test]
    fn config_files(t in config_file()) {
        load_config(&t);
    }
}

// Regression cases: inputs that once crashed or misbehaved stay here by name.

#[test]
fn regression_lone_control_and_mask_characters() {
    for t in ["\u{1a}", "\u{0}\u{1a}#", "> \u{1b}[31m“", "```\n\u{1a}", "\r\r\n\u{85}"] {
        for f in [Format::Markdown, Format::Plain] {
            check(t, f).unwrap();
        }
    }
}
