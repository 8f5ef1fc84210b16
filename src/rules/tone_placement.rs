#![doc = include_str!("tone_placement.md")]

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, DocumentInput, Fact, RuleError, RuleIdx, RuleInput, RuleKind, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix};
use crate::text::vietnamese::{self, GlidePlacement};
use crate::text::words::words;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// `first-vowel` (hòa), `second-vowel` (hoà) or `consistent` (either, not mixed).
    #[serde(default = "first")]
    pub style: String,
}

fn first() -> String {
    "first-vowel".into()
}

pub struct TonePlacement;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Fixed(GlidePlacement),
    Consistent,
}

struct Compiled {
    idx: RuleIdx,
    meta: Arc<RuleMeta>,
    style: Style,
}

impl RuleKind for TonePlacement {
    const NAME: &'static str = "tone-placement";
    const DOC: &'static str = include_str!("tone_placement.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut compiled = Vec::new();
        let mut errors = Vec::new();
        for r in rules {
            let style = match r.options.style.as_str() {
                "first-vowel" => Style::Fixed(GlidePlacement::FirstVowel),
                "second-vowel" => Style::Fixed(GlidePlacement::SecondVowel),
                "consistent" => Style::Consistent,
                other => {
                    errors.push(RuleError::new(
                        r.idx,
                        Some("style".to_string()),
                        format!("unknown style “{other}”: expected “first-vowel”, “second-vowel” or “consistent”"),
                    ));
                    continue;
                }
            };
            compiled.push(Compiled {
                idx: r.idx,
                meta: r.meta,
                style,
            });
        }
        if errors.is_empty() {
            Ok(Box::new(TonePlacementChecker { rules: compiled }))
        } else {
            Err(errors)
        }
    }
}

struct TonePlacementChecker {
    rules: Vec<Compiled>,
}

fn placement_value(p: GlidePlacement) -> u32 {
    match p {
        GlidePlacement::FirstVowel => 0,
        GlidePlacement::SecondVowel => 1,
    }
}

fn diagnostic(r: &Compiled, range: std::ops::Range<usize>, found: &str, expected: &str, safe: bool) -> Diagnostic {
    let message = r.meta.render(&[("found", found), ("expected", expected)]);
    let title = format!("Replace with “{expected}”");
    let fix = if safe {
        Fix::replace(title, range.clone(), expected)
    } else {
        Fix::unsafe_(title, vec![crate::diagnostic::Edit::new(range.clone(), expected)])
    };
    Diagnostic::new(r.idx, range, message).with_fix(fix)
}

/// Whether the letters of `word`, marks aside, hold `oa`, `oe` or `uy`: a cheap test
/// before parsing.
fn has_open_glide_letters(word: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let mut prev = ' ';
    for c in word.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = c.to_ascii_lowercase();
        if matches!((prev, c), ('o', 'a' | 'e') | ('u', 'y')) {
            return true;
        }
        prev = c;
    }
    false
}

impl Checker for TonePlacementChecker {
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        if !self.rules.iter().any(|r| block.is_active(r.idx)) {
            return;
        }
        for range in words(block.text) {
            let word = &block.text[range.clone()];
            // Tone marks are never ASCII; most words of a text are skipped here.
            if word.is_ascii() || !has_open_glide_letters(word) {
                continue;
            }
            let Some(syllable) = vietnamese::parse(word) else {
                continue;
            };
            let Some(here) = syllable.open_glide_placement() else {
                continue;
            };
            let Some(alternative) = syllable.with_glide_placement(here.other()) else {
                continue;
            };
            for r in &self.rules {
                if !block.is_active(r.idx) {
                    continue;
                }
                match r.style {
                    Style::Fixed(want) if want != here => {
                        out.diagnostics
                            .push(diagnostic(r, range.clone(), word, &alternative, true));
                    }
                    Style::Fixed(_) => {}
                    Style::Consistent => out.facts.push(
                        Fact::new(r.idx, 0, placement_value(here), range.clone()).with_text(alternative.as_str()),
                    ),
                }
            }
        }
    }

    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        for r in self.rules.iter().filter(|r| r.style == Style::Consistent) {
            let facts: Vec<_> = input.facts.iter().filter(|f| f.fact.rule == r.idx).collect();
            let Some(first) = facts.first() else { continue };
            let second = facts.iter().filter(|f| f.fact.value == 1).count();
            let firsts = facts.len() - second;
            // The document's own majority wins; on a tie, the placement used first.
            let (keep, safe) = match firsts.cmp(&second) {
                std::cmp::Ordering::Greater => (0, true),
                std::cmp::Ordering::Less => (1, true),
                std::cmp::Ordering::Equal => (first.fact.value, false),
            };
            for f in facts.iter().filter(|f| f.fact.value != keep) {
                let found = input.doc.text().get(f.range.clone()).unwrap_or_default();
                out.push(diagnostic(r, f.range.clone(), found, &f.fact.text, safe));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check, engine, fix};
    use unicode_normalization::UnicodeNormalization;

    fn rules(style: &str) -> String {
        format!(
            "[[rule]]\nid = \"tone\"\nkind = \"tone-placement\"\nmessage = \"“{{found}}” → “{{expected}}”\"\nstyle = \"{style}\"\n"
        )
    }

    #[test]
    fn first_vowel_style_moves_marks_in_open_glides() {
        let e = engine(&rules("first-vowel"));
        let text = "Hoà bình, sức khoẻ, thuỷ lợi, Uỷ ban, THUỶ.";
        let found = check(&e, text);
        let got: Vec<_> = found.iter().map(|f| (f.found.as_str(), f.fix.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("Hoà", Some("Hòa")),
                ("khoẻ", Some("khỏe")),
                ("thuỷ", Some("thủy")),
                ("Uỷ", Some("Ủy")),
                ("THUỶ", Some("THỦY"))
            ]
        );
        assert_eq!(found[0].message, "“Hoà” → “Hòa”");
        assert_eq!(fix(&e, text), "Hòa bình, sức khỏe, thủy lợi, Ủy ban, THỦY.");
    }

    #[test]
    fn second_vowel_style() {
        let e = engine(&rules("second-vowel"));
        assert_eq!(fix(&e, "Thanh Hóa, khỏe, thủy"), "Thanh Hoá, khoẻ, thuỷ");
        assert!(check(&e, "Thanh Hoá").is_empty());
    }

    #[test]
    fn leaves_closed_syllables_qu_gi_and_foreign_words_alone() {
        let e = engine(&rules("first-vowel"));
        for t in [
            "hoàn thành",
            "thuyết phục",
            "quý khách",
            "Quỳnh",
            "Hoàng",
            "Joey",
            "khuya",
            "hoa",
            "giá",
            "huệ",
            "hòa",
            "Loè",
        ] {
            let f = check(&e, t);
            // `Loè` is the only one that needs the fix.
            assert_eq!(f.len(), usize::from(t == "Loè"), "{t}: {f:?}");
        }
    }

    #[test]
    fn nfd_input_and_emoji_before_the_span() {
        let e = engine(&rules("first-vowel"));
        let nfd: String = "😀 hoà".nfd().collect();
        let found = check(&e, &nfd);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "hoa\u{300}");
        assert_eq!(found[0].fix.as_deref(), Some("hòa"));
        assert_eq!(fix(&e, &nfd), "😀 hòa");
        // Windows composite input: base vowel plus combining tone is NFD here too.
        assert_eq!(fix(&e, "khoe\u{309}"), "khỏe");
    }

    #[test]
    fn consistent_flags_the_minority_document_wide() {
        let e = engine(&rules("consistent"));
        let text = "Hòa bình.\n\nSức khỏe.\n\nThuỷ lợi.";
        let found = check(&e, text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].found, "Thuỷ");
        assert_eq!(found[0].fix.as_deref(), Some("Thủy"));
        assert_eq!(fix(&e, text), "Hòa bình.\n\nSức khỏe.\n\nThủy lợi.");
        assert!(check(&e, "Hoà bình, khoẻ").is_empty());
        // A tie is flagged against the first placement used, without a safe fix.
        let tie = "hoà, khỏe";
        assert_eq!(check(&e, tie).len(), 1);
        assert_eq!(fix(&e, tie), tie);
    }

    #[test]
    fn an_unknown_style_is_an_error() {
        let file = rules("middle");
        let pack = crate::pack::load_files("t", "t", vec![crate::pack::SourceFile::new("t.toml", &file)]).unwrap();
        let errs = crate::project::build_engine(&[pack], None, &[], None).unwrap_err();
        assert!(errs[0].message.contains("unknown style"), "{}", errs[0].message);
    }

    #[test]
    fn doc_example_holds() {
        let doc = <super::TonePlacement as crate::rules::RuleKind>::DOC;
        let start = doc.find("```toml\n").expect("a TOML example") + "```toml\n".len();
        let end = start + doc[start..].find("```").expect("closed");
        let e = engine(&doc[start..end]);
        let report = crate::pack::examples::run_examples(&e, &|_| true);
        assert!(report.failures.is_empty(), "{:#?}", report.failures);
        assert!(report.passed > 0);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

        fn config() -> Config {
            Config {
                cases: 96,
                rng_seed: RngSeed::Fixed(0x70_4e),
                failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
                ..Config::default()
            }
        }

        fn text() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "hoà",
                "Hòa",
                "khoe\u{309}",
                "THUỶ",
                "quý",
                " ",
                ", ",
                "\n\n",
                "😀",
                "\u{1A}",
                "a\u{300}",
                "\u{300}",
            ]);
            prop_oneof![
                prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat()),
                "\\PC{0,24}",
            ]
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn no_panics_and_char_boundaries(t in text()) {
                for style in ["first-vowel", "consistent"] {
                    let e = engine(&rules(style));
                    let diags = e.check(&crate::document::Document::plain_body(t.as_str()));
                    for d in &diags {
                        prop_assert!(t.is_char_boundary(d.range.start) && t.is_char_boundary(d.range.end));
                        for f in &d.fixes {
                            for ed in &f.edits {
                                prop_assert!(t.is_char_boundary(ed.range.start) && t.is_char_boundary(ed.range.end));
                            }
                        }
                    }
                    let _ = fix(&e, &t);
                }
            }
        }
    }
}
