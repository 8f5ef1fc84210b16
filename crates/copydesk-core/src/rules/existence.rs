#![doc = include_str!("existence.md")]

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use super::matcher::{RegexTerms, TermEntry, TermListBuilder, TermSet};
use super::{render_template, BlockInput, BlockOutput, Checker, RuleError, RuleIdx, RuleInput, RuleKind, RuleMeta};
use crate::diagnostic::Diagnostic;

/// A forbidden word or pattern.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Token {
    /// Literal word(s), matched as whole words.
    #[serde(default, rename = "match")]
    pub literal: crate::rules::substitution::OneOrMany,
    /// Or a regex.
    #[serde(default)]
    pub pattern: Option<String>,
    /// This entry's message (`{found}` is the match).
    #[serde(default)]
    pub message: Option<String>,
    /// Match case exactly (default: any case).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Match whole words only (default).
    #[serde(default = "yes")]
    pub word: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// The forbidden words and patterns.
    pub tokens: Vec<Token>,
    /// Two-syllable words (`"tựu chung"`) that no multi-syllable term may cut, added to
    /// the built-in list; they hold for every rule of this kind.
    #[serde(default)]
    pub compounds: Vec<String>,
}

pub struct Existence;

struct Entry {
    rule: RuleIdx,
    meta: Arc<RuleMeta>,
    message: Option<String>,
}

impl RuleKind for Existence {
    const NAME: &'static str = "existence";
    const DOC: &'static str = include_str!("existence.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut entries = Vec::new();
        let mut terms = TermListBuilder::new("match", "word");
        for r in rules {
            terms.compounds(r.idx, &r.options.compounds);
            for (i, t) in r.options.tokens.into_iter().enumerate() {
                let added = terms.add(TermEntry {
                    rule: r.idx,
                    key: &format!("tokens[{i}]"),
                    words: t.literal.to_vec(),
                    pattern: t.pattern.as_deref(),
                    case_sensitive: t.case_sensitive,
                    whole_word: t.word,
                    id: entries.len() as u32,
                });
                if added {
                    entries.push(Entry {
                        rule: r.idx,
                        meta: r.meta.clone(),
                        message: t.message,
                    });
                }
            }
        }
        let (literals, regexes) = terms.build()?;
        Ok(Box::new(ExistenceChecker {
            entries,
            literals,
            regexes,
        }))
    }
}

struct ExistenceChecker {
    entries: Vec<Entry>,
    literals: TermSet,
    regexes: RegexTerms,
}

impl ExistenceChecker {
    fn report(&self, id: u32, text: &str, range: std::ops::Range<usize>) -> Option<Diagnostic> {
        let entry = self.entries.get(id as usize)?;
        let vars = [("found", &text[range.clone()])];
        let message = match &entry.message {
            Some(m) => render_template(m, &vars),
            None => entry.meta.render(&vars),
        };
        Some(Diagnostic::new(entry.rule, range, message))
    }
}

impl Checker for ExistenceChecker {
    fn term_sets(&mut self) -> Vec<&mut TermSet> {
        vec![&mut self.literals]
    }

    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        let text = block.text;
        let active = |id: u32| self.entries.get(id as usize).is_some_and(|e| block.is_active(e.rule));
        // Which regexes may match comes out of the same search as the literal words.
        let mut gates = Vec::new();
        if !self.literals.is_empty() {
            for m in self.literals.find_gated(block.shared, &active, &mut gates) {
                for h in &m.hits {
                    out.diagnostics.extend(self.report(h.id, text, m.range.clone()));
                }
            }
        }
        let mut broken: Vec<Diagnostic> = Vec::new();
        self.regexes.for_each(
            text,
            &gates,
            &active,
            |id, caps| {
                if let Some(m) = caps.get(0) {
                    out.diagnostics.extend(self.report(id, text, m.range()));
                }
            },
            |id, why| broken.push(super::broken_regex(self.entries[id as usize].rule, why)),
        );
        out.diagnostics.extend(broken);
    }
}

#[cfg(test)]
mod tests {
    use super::super::matcher::test_support::{assert_sane, doc_examples_pass, piece, proptest_config};
    use crate::testing::{check, check_markdown, engine};
    use proptest::prelude::*;

    const RULES: &str = r#"
[[rule]]
id = "banned"
kind = "existence"
message = "Tránh dùng “{found}”"
tokens = [
  { match = ["sát nhập", "đặc sản"] },
  { match = "khủng", message = "“{found}” là từ lóng" },
  { pattern = 'rất\s+là' },
  { match = "NÓNG", case-sensitive = true },
]
"#;

    #[test]
    fn words_and_patterns_are_reported_with_their_messages() {
        let e = engine(RULES);
        let found = check(&e, "Món đặc sản khủng, rất  là ngon.");
        let got: Vec<(&str, &str)> = found.iter().map(|f| (f.found.as_str(), f.message.as_str())).collect();
        assert_eq!(
            got,
            [
                ("đặc sản", "Tránh dùng “đặc sản”"),
                ("khủng", "“khủng” là từ lóng"),
                ("rất  là", "Tránh dùng “rất  là”"),
            ]
        );
        assert!(found.iter().all(|f| f.fix.is_none()));
    }

    #[test]
    fn any_case_unless_case_sensitive() {
        let e = engine(RULES);
        assert_eq!(check(&e, "Sát nhập. SÁT NHẬP").len(), 2);
        assert_eq!(check(&e, "TIN NÓNG, tin nóng").len(), 1);
    }

    #[test]
    fn whole_words_only_with_vietnamese_letters() {
        let e = engine(RULES);
        assert!(check(&e, "xsát nhập, khủngđ, khủng\u{309}, rất làm").is_empty());
    }

    #[test]
    fn nfd_text_after_emoji() {
        let e = engine(RULES);
        let text = "😀 đă\u{323}c sa\u{309}n";
        let found = check(&e, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "đă\u{323}c sa\u{309}n");
    }

    #[test]
    fn masked_markdown_is_never_matched() {
        let e = engine(RULES);
        assert_eq!(check_markdown(&e, "`khủng` và khủng, [x](http://khủng.vn)\n").len(), 1);
    }

    #[test]
    fn the_doc_example_passes() {
        doc_examples_pass(<super::Existence as super::RuleKind>::DOC);
    }

    proptest! {
        #![proptest_config(proptest_config())]
        #[test]
        fn random_text_never_panics(parts in prop::collection::vec(piece(), 0..24)) {
            let e = engine(RULES);
            assert_sane(&e, &parts.concat());
        }
    }
}
