#![doc = include_str!("abbreviation.md")]

use std::collections::HashSet;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use schemars::JsonSchema;
use serde::Deserialize;

use super::choice::Mode;
use super::matcher::{TermSet, TermSetBuilder};
use super::{
    render_template, BlockInput, BlockOutput, Checker, DocumentInput, RuleError, RuleIdx, RuleInput, RuleKind, RuleMeta,
};
use names::NameHeads;

mod block;
mod document;
mod facts;
mod names;
mod protect;
#[cfg(test)]
mod tests;
mod tokens;

pub use facts::{AbbreviationFact, Event};
pub(crate) use protect::{protected_spans, span_around, within};

/// A glossary entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Entry {
    /// The abbreviation, matched with its exact case (`HĐND`).
    pub short: String,
    /// What it stands for, matched in any case (`Hội đồng nhân dân`).
    pub long: String,
    /// Other spellings of `short` that are mistakes, written as `short` (`HDND` for `HĐND`).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Other spellings of `short` that some houses choose (`Tp` for `TP`): checked as the
    /// rule's `choice-mode` says (by default only where the document also writes `short`).
    #[serde(default)]
    pub choices: Vec<String>,
    /// Also stands for other things: must be defined even if allow-listed.
    #[serde(default)]
    pub ambiguous: bool,
    /// The long form is the field part of a body's name (`Giáo dục và Đào tạo` of `Bộ
    /// Giáo dục và Đào tạo`), capitalized only after the body's head: written out anywhere
    /// else (`cơ sở GD&ĐT`) its case is a guess, so no fix writes it.
    #[serde(default)]
    pub name_part: bool,
}

/// Severity of each sub-check; `off` disables it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Checks {
    #[serde(default = "warn")]
    pub undefined: Severity,
    #[serde(default = "warn")]
    pub long_after_definition: Severity,
    /// A second definition (`full form (SHORT)` again) after the first: its own key, so a
    /// pack can keep it while leaving the full form written out alone.
    #[serde(default = "warn")]
    pub repeated_definition: Severity,
    #[serde(default = "info")]
    pub unused_definition: Severity,
    #[serde(default = "warn")]
    pub variant: Severity,
    #[serde(default = "warn")]
    pub headline: Severity,
    #[serde(default = "off")]
    pub unknown: Severity,
    #[serde(default = "warn")]
    pub rare_short: Severity,
}

impl Default for Checks {
    fn default() -> Self {
        Checks {
            undefined: warn(),
            long_after_definition: warn(),
            repeated_definition: warn(),
            unused_definition: info(),
            variant: warn(),
            headline: warn(),
            unknown: off(),
            rare_short: warn(),
        }
    }
}

fn warn() -> Severity {
    Severity::Warning
}
fn info() -> Severity {
    Severity::Info
}
fn off() -> Severity {
    Severity::Off
}

/// Messages of the sub-checks (`{short}`, `{long}`, `{found}`, `{expected}`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Messages {
    pub undefined: Option<String>,
    pub long_after_definition: Option<String>,
    pub unused_definition: Option<String>,
    pub variant: Option<String>,
    /// A document that writes both the short form and a house-choice spelling (`choices`);
    /// also `{choice}`, `{short_count}`, `{choice_count}`.
    pub choice: Option<String>,
    pub headline: Option<String>,
    pub unknown: Option<String>,
    pub rare_short: Option<String>,
    /// Accepted for old rule files; no finding uses it any more.
    pub long_with_short: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub glossary: Vec<Entry>,
    /// Abbreviations that need no definition.
    #[serde(default)]
    pub allow_undefined: Vec<String>,
    /// Abbreviations allowed in the headline.
    #[serde(default)]
    pub headline_allowed: Vec<String>,
    /// All-caps tokens never reported as unknown.
    #[serde(default)]
    pub unknown_ignore: Vec<String>,
    /// Capitalized words that head the name of a law, body or programme (`Luật`, `Bộ`,
    /// `Sở`): a full form up to three words after one is part of the name and stays written
    /// out, and a short form right after one is the body's name (`Bộ GTVT`), never written
    /// out. None are built in.
    #[serde(default)]
    pub name_heads: Vec<String>,
    /// Further words that make a short form right after them a unit's name (`Đội CSGT`,
    /// `trường THPT`) without heading a full form. None are built in.
    #[serde(default)]
    pub unit_heads: Vec<String>,
    /// Capitalized words that name the kind of a body (`Hiệp hội`, `Ủy ban`): a short form
    /// right after one is part of the body's name, and its first use is written out as a
    /// name (`Ủy ban An toàn giao thông (ATGT) quốc gia`), with a capital or as the document
    /// defines it there. None are built in.
    #[serde(default)]
    pub body_heads: Vec<String>,
    /// Capitalized words that head a body's name only when a capitalized word follows
    /// (`Vụ Quản lý các khu kinh tế`, not `Vụ tai nạn`): a full form up to five words after
    /// such a head, or after a `name-heads` word so followed, is part of the name. None are
    /// built in.
    #[serde(default)]
    pub titled_heads: Vec<String>,
    /// Words right before a short form that define it in the text's own words (`viết tắt
    /// là` in `Bộ Tài chính viết tắt là BTC`): a definition, as a parenthesized one is, so
    /// the glossary's long form is not imposed. Matched as written. None are built in.
    #[serde(default)]
    pub definition_cues: Vec<String>,
    /// How the glossary's `choices` are checked: `consistency` (default) reports the
    /// minority spelling only in a document that writes both, `prefer` always reports a
    /// choice spelling (as a variant), `off` never.
    #[serde(default)]
    pub choice_mode: Mode,
    #[serde(default)]
    pub checks: Checks,
    #[serde(default)]
    pub messages: Messages,
}

pub struct Abbreviation;

/// What a rule contributes besides its glossary.
struct RuleCfg {
    rule: RuleIdx,
    meta: Arc<RuleMeta>,
    checks: Checks,
    messages: Messages,
    unknown_ignore: HashSet<String>,
    choice_mode: Mode,
    heads: NameHeads,
    definition_cues: Vec<String>,
}

/// A glossary entry, compiled.
struct Ent {
    cfg: usize,
    short: String,
    long: String,
    /// On `allow-undefined` and not ambiguous.
    allowed: bool,
    headline_ok: bool,
    /// `Entry::name_part`: no fix writes the long form.
    name_part: bool,
}

/// What a searched term is of its glossary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Short,
    Variant,
    /// A spelling of the short form that is a house choice (`Entry::choices`).
    Choice,
    Long,
}

/// Adds `term` to the search as `role` of glossary entry `entry`: its term id is its index
/// in `owners`. `false` (and nothing added) when the term cannot be searched for.
fn add_term(
    terms: &mut TermSetBuilder,
    owners: &mut Vec<(usize, Role)>,
    term: &str,
    case_sensitive: bool,
    (entry, role): (usize, Role),
) -> bool {
    let added = terms.add(term, case_sensitive, true, owners.len() as u32);
    if added {
        owners.push((entry, role));
    }
    added
}

impl RuleKind for Abbreviation {
    const NAME: &'static str = "abbreviation";
    const DOC: &'static str = include_str!("abbreviation.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut cfgs = Vec::new();
        let mut ents = Vec::new();
        let mut known = HashSet::new();
        let mut terms = TermSetBuilder::new();
        let mut owners = Vec::new();
        let mut errors = Vec::new();
        for r in rules {
            let o = r.options;
            let cfg = cfgs.len();
            for (i, e) in o.glossary.into_iter().enumerate() {
                let key = |k: &str| Some(format!("glossary[{i}].{k}"));
                if e.short.trim().is_empty() || e.long.trim().is_empty() {
                    let k = if e.short.trim().is_empty() { "short" } else { "long" };
                    errors.push(RuleError::new(r.idx, key(k), format!("`{k}` is empty")));
                    continue;
                }
                let entry = ents.len();
                add_term(&mut terms, &mut owners, &e.short, true, (entry, Role::Short));
                add_term(&mut terms, &mut owners, &e.long, false, (entry, Role::Long));
                known.insert(e.short.clone());
                for v in e.variants.iter().filter(|v| **v != e.short) {
                    if !add_term(&mut terms, &mut owners, v, true, (entry, Role::Variant)) {
                        errors.push(RuleError::new(r.idx, key("variants"), "a variant is empty"));
                    }
                    known.insert(v.clone());
                }
                for v in e.choices.iter().filter(|v| **v != e.short) {
                    if !add_term(&mut terms, &mut owners, v, true, (entry, Role::Choice)) {
                        errors.push(RuleError::new(r.idx, key("choices"), "a choice is empty"));
                    }
                    known.insert(v.clone());
                }
                ents.push(Ent {
                    cfg,
                    allowed: o.allow_undefined.contains(&e.short) && !e.ambiguous,
                    headline_ok: o.headline_allowed.contains(&e.short),
                    name_part: e.name_part,
                    short: e.short,
                    long: e.long,
                });
            }
            known.extend(o.allow_undefined.iter().cloned());
            known.extend(o.headline_allowed.iter().cloned());
            cfgs.push(RuleCfg {
                rule: r.idx,
                meta: r.meta,
                checks: o.checks,
                messages: o.messages,
                unknown_ignore: o.unknown_ignore.into_iter().collect(),
                choice_mode: o.choice_mode,
                heads: NameHeads::new(&o.name_heads, &o.unit_heads, &o.body_heads, &o.titled_heads),
                definition_cues: o.definition_cues,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Box::new(AbbreviationChecker {
            cfgs,
            ents,
            known,
            owners,
            terms: terms.build(),
        }))
    }
}

struct AbbreviationChecker {
    cfgs: Vec<RuleCfg>,
    ents: Vec<Ent>,
    /// Every short form, variant and allow-listed abbreviation of every rule.
    known: HashSet<String>,
    /// Per term id: its glossary entry and what the term is of it.
    owners: Vec<(usize, Role)>,
    terms: TermSet,
}

/// The message of a sub-check: the rule file's, or a default.
fn message(template: Option<&String>, default: &str, vars: &[(&str, &str)]) -> String {
    render_template(template.map_or(default, String::as_str), vars)
}

impl AbbreviationChecker {
    fn cfg_of(&self, ent: usize) -> Option<&RuleCfg> {
        self.ents.get(ent).and_then(|e| self.cfgs.get(e.cfg))
    }
}

impl Checker for AbbreviationChecker {
    fn term_sets(&mut self) -> Vec<&mut TermSet> {
        vec![&mut self.terms]
    }

    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        self.block_pass(block, out);
    }

    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        self.document_pass(input, out);
    }
}
