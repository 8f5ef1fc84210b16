#![doc = include_str!("consistency.md")]

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::terms::{fold, Form, TermSet, TermSetBuilder};
use super::{
    BlockInput, BlockOutput, Checker, DocFact, DocumentInput, Fact, RuleError, RuleIdx, RuleInput, RuleKind, RuleMeta,
};
use crate::diagnostic::{Diagnostic, Fix};
use crate::text::case::match_case;

/// Variants of which a document uses one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Group {
    /// The spellings; at least two.
    pub variants: Vec<String>,
    /// The form that wins; otherwise the document's first.
    #[serde(default)]
    pub prefer: Option<String>,
    /// Match variants as whole words (default). `false` for punctuation (`...`/`…`).
    #[serde(default = "yes")]
    pub word: bool,
    /// Match case exactly (default: any case, the fix keeps the found case shape).
    #[serde(default)]
    pub case_sensitive: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// The groups of variants.
    pub groups: Vec<Group>,
}

pub struct Consistency;

struct CompiledGroup {
    rule: RuleIdx,
    meta: Arc<RuleMeta>,
    variants: Vec<String>,
    prefer: Option<u32>,
    case_sensitive: bool,
}

impl RuleKind for Consistency {
    const NAME: &'static str = "consistency";
    const DOC: &'static str = include_str!("consistency.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut groups = Vec::new();
        // Term id → (group, variant).
        let mut owners: Vec<(u32, u32)> = Vec::new();
        let mut terms = TermSetBuilder::new();
        let mut errors = Vec::new();
        for r in rules {
            for (gi, g) in r.options.groups.into_iter().enumerate() {
                let key = |k: &str| Some(format!("groups[{gi}]{k}"));
                let same = |s: &str| -> String {
                    let nfc: String = s.nfc().collect();
                    if g.case_sensitive {
                        nfc
                    } else {
                        fold(&nfc)
                    }
                };
                let keys: Vec<String> = g.variants.iter().map(|v| same(v)).collect();
                if g.variants.len() < 2 {
                    errors.push(RuleError::new(
                        r.idx,
                        key(".variants"),
                        "a group needs at least two variants",
                    ));
                    continue;
                }
                if let Some(i) = (1..keys.len()).find(|&i| keys[..i].contains(&keys[i])) {
                    errors.push(RuleError::new(
                        r.idx,
                        key(&format!(".variants[{i}]")),
                        format!("variant `{}` is listed twice", g.variants[i]),
                    ));
                    continue;
                }
                let prefer = match &g.prefer {
                    None => None,
                    Some(p) => match keys.iter().position(|k| *k == same(p)) {
                        Some(i) => Some(i as u32),
                        None => {
                            errors.push(RuleError::new(
                                r.idx,
                                key(".prefer"),
                                format!("`prefer = \"{p}\"` is not one of the group's variants"),
                            ));
                            continue;
                        }
                    },
                };
                let group = groups.len() as u32;
                for (vi, v) in g.variants.iter().enumerate() {
                    if !terms.add(v, g.case_sensitive, g.word, owners.len() as u32) {
                        errors.push(RuleError::new(
                            r.idx,
                            key(&format!(".variants[{vi}]")),
                            "a variant is empty",
                        ));
                    }
                    owners.push((group, vi as u32));
                }
                groups.push(CompiledGroup {
                    rule: r.idx,
                    meta: r.meta.clone(),
                    variants: g.variants,
                    prefer,
                    case_sensitive: g.case_sensitive,
                });
            }
        }
        match terms.build() {
            Ok(terms) if errors.is_empty() => Ok(Box::new(ConsistencyChecker { groups, owners, terms })),
            Ok(_) => Err(errors),
            Err(e) => {
                let rule = groups.first().map_or(RuleIdx(0), |g| g.rule);
                errors.push(RuleError::new(rule, None, e));
                Err(errors)
            }
        }
    }
}

struct ConsistencyChecker {
    groups: Vec<CompiledGroup>,
    owners: Vec<(u32, u32)>,
    terms: TermSet,
}

impl Checker for ConsistencyChecker {
    fn term_sets(&mut self) -> Vec<&mut TermSet> {
        vec![&mut self.terms]
    }

    /// Records each occurrence of a variant as a fact: `tag` = group, `value` = variant.
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        if self.terms.is_empty() {
            return;
        }
        let group_of = |id: u32| {
            self.owners
                .get(id as usize)
                .and_then(|&(g, _)| self.groups.get(g as usize))
        };
        let active = |id: u32| group_of(id).is_some_and(|g| block.is_active(g.rule));
        for m in self.terms.find(block.text, &active) {
            for h in &m.hits {
                let (g, v) = self.owners[h.id as usize];
                out.facts
                    .push(Fact::new(self.groups[g as usize].rule, g, v, m.range.clone()));
            }
        }
    }

    /// Per group: when the document mixes variants, every occurrence of a variant other
    /// than the winner (`prefer`, or the first one used) is reported.
    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        if input.facts.is_empty() {
            return;
        }
        let mut by_group: Vec<Vec<&DocFact<'_>>> = vec![Vec::new(); self.groups.len()];
        for f in input.facts {
            if let Some(list) = by_group.get_mut(f.fact.tag as usize) {
                list.push(f);
            }
        }
        for (g, facts) in by_group.iter().enumerate() {
            let Some(first) = facts.first() else { continue };
            if facts.iter().all(|f| f.fact.value == first.fact.value) {
                continue;
            }
            let group = &self.groups[g];
            let winner = group.prefer.unwrap_or(first.fact.value);
            let Some(winner_text) = group.variants.get(winner as usize) else {
                continue;
            };
            for f in facts.iter().filter(|f| f.fact.value != winner) {
                let Some(found) = input.block_text(f.block).get(f.fact.range.clone()) else {
                    continue;
                };
                let mut expected = Form::of(found).apply(winner_text);
                if !group.case_sensitive {
                    expected = match_case(found, &expected);
                }
                if expected == found {
                    continue;
                }
                let message = group.meta.render(&[("found", found), ("expected", &expected)]);
                let title = format!("Replace with “{expected}”");
                out.push(
                    Diagnostic::new(group.rule, f.range.clone(), message).with_fix(Fix::replace(
                        title,
                        f.range.clone(),
                        expected,
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::terms::test_support::{assert_sane, doc_examples_pass, piece, proptest_config};
    use crate::testing::{check, check_markdown, engine, fix};
    use proptest::prelude::*;

    const RULES: &str = r#"
[[rule]]
id = "consistent"
kind = "consistency"
message = "Bài dùng “{expected}”, ở đây lại viết “{found}”"
groups = [
  { variants = ["kỹ", "kĩ"] },
  { variants = ["TP.HCM", "TP HCM", "TPHCM"], prefer = "TP.HCM", case-sensitive = true },
  { variants = ["...", "…"], word = false, prefer = "…" },
]
"#;

    #[test]
    fn the_first_form_wins_without_prefer() {
        let e = engine(RULES);
        let found = check(&e, "Kiểm tra kĩ.\n\nRồi kỹ càng, kĩ lưỡng.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "kỹ");
        assert_eq!(found[0].message, "Bài dùng “kĩ”, ở đây lại viết “kỹ”");
        assert_eq!(fix(&e, "kỹ càng. Kĩ lưỡng, KĨ"), "kỹ càng. Kỹ lưỡng, KỸ");
    }

    #[test]
    fn one_form_alone_is_not_reported_even_if_not_preferred() {
        let e = engine(RULES);
        assert!(check(&e, "Ở TP HCM và TP HCM... rồi kĩ").is_empty());
    }

    #[test]
    fn prefer_wins_and_punctuation_needs_no_word_boundary() {
        let e = engine(RULES);
        assert_eq!(
            fix(&e, "TPHCM, TP.HCM và TP HCM. Chờ...rồi…"),
            "TP.HCM, TP.HCM và TP.HCM. Chờ…rồi…"
        );
        // Case-sensitive group: `tphcm` is not a variant.
        assert!(check(&e, "tphcm và TP.HCM").is_empty());
    }

    #[test]
    fn words_inside_words_nfd_and_emoji() {
        let e = engine(RULES);
        assert!(check(&e, "kỹx và kĩ, ckỹ").is_empty());
        let text = "😀 ky\u{303} va\u{300} ki\u{303}";
        let found = check(&e, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "ki\u{303}");
        assert_eq!(found[0].fix.as_deref(), Some("ky\u{303}"));
    }

    #[test]
    fn masked_markdown_is_not_an_occurrence() {
        let e = engine(RULES);
        assert!(check_markdown(&e, "Viết `kĩ` hay kỹ?\n").is_empty());
        assert_eq!(check_markdown(&e, "# kĩ\n\nViết kỹ.\n").len(), 1);
    }

    #[test]
    fn block_facts_depend_only_on_the_block() {
        use crate::engine::BlockCache;
        let e = engine(RULES);
        let mut cache = BlockCache::new();
        let a = crate::document::Document::plain_body("kĩ\n\nkỹ");
        assert_eq!(e.check_cached(&a, &mut cache).len(), 1);
        let text = "kỹ\n\nkĩ";
        let b = crate::document::Document::plain_body(text);
        let d = e.check_cached(&b, &mut cache);
        assert_eq!(cache.hits, 2);
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].range.clone()], "kĩ");
    }

    #[test]
    fn the_doc_example_passes() {
        doc_examples_pass(<super::Consistency as super::RuleKind>::DOC);
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
