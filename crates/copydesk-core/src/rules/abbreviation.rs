#![doc = include_str!("abbreviation.md")]

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use schemars::JsonSchema;
use serde::Deserialize;

use super::matcher::{TermSet, TermSetBuilder};
use super::{
    render_template, BlockInput, BlockOutput, Checker, DocFact, DocumentInput, Fact, Noted, RuleError, RuleIdx,
    RuleInput, RuleKind, RuleMeta,
};
use crate::text::case::{capitalize_first, is_sentence_start};
use crate::text::words::{is_word_char, words};

/// A glossary entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Entry {
    /// The abbreviation, matched with its exact case (`HĐND`).
    pub short: String,
    /// What it stands for, matched in any case (`Hội đồng nhân dân`).
    pub long: String,
    /// Other spellings of `short` that should be written as `short` (`Tp`, `TP.`).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Also stands for other things: must be defined even if allow-listed.
    #[serde(default)]
    pub ambiguous: bool,
}

/// Severity of each sub-check; `off` disables it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Checks {
    #[serde(default = "warn")]
    pub undefined: Severity,
    #[serde(default = "warn")]
    pub long_after_definition: Severity,
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
}

/// A glossary entry, compiled.
struct Ent {
    cfg: usize,
    short: String,
    long: String,
    /// On `allow-undefined` and not ambiguous.
    allowed: bool,
    headline_ok: bool,
}

/// What a searched term is of its glossary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Short,
    Variant,
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

/// What the block pass notes for the document pass.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AbbreviationFact {
    /// Something about glossary entry `entry` (its index in the checker). `protected`: a
    /// use that must not be edited (inside quotation marks or a credit).
    Entry { entry: u32, event: Event, protected: bool },
    /// An all-caps token in no glossary; `defined`: defined in the text as `long form (ABC)`.
    Unknown { token: Box<str>, defined: bool },
}

impl AbbreviationFact {
    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            AbbreviationFact::Unknown { token, .. } => token.len(),
            AbbreviationFact::Entry { .. } => 0,
        }
    }
}

/// What a glossary entry's fact records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// `long (SHORT)`: the range covers all of it.
    Def,
    Short,
    Variant,
    /// The long form outside a definition.
    Long,
    /// A glossary short form defined by the text for something else: `Công đoàn (CĐ)`.
    DefOther,
    /// The short form inside a body's name (`Bộ KH&CN`): never reported, but a use of a
    /// definition before it (a photo caption often reuses it).
    NameUse,
}

/// The event of an entry fact, and whether the use is protected.
fn entry_event(f: &DocFact<'_>) -> Option<(Event, bool)> {
    match f.fact.what {
        Noted::Abbreviation(AbbreviationFact::Entry { event, protected, .. }) => Some((event, protected)),
        _ => None,
    }
}

/// How many times the long form must outnumber the short form, with no definition, for
/// the short form to be the odd one out.
const LONG_DOMINATES: usize = 2;

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
                ents.push(Ent {
                    cfg,
                    allowed: o.allow_undefined.contains(&e.short) && !e.ambiguous,
                    headline_ok: o.headline_allowed.contains(&e.short),
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

/// Where `(SHORT)` follows a long form at `pos`: the end of the closing parenthesis.
fn definition_end(text: &str, pos: usize, short: &str) -> Option<usize> {
    let rest = text.get(pos..)?;
    let after_space = rest.trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
    let inner = after_space.strip_prefix('(')?.trim_start();
    let after_short = inner.strip_prefix(short)?;
    if after_short.chars().next().is_some_and(is_word_char) {
        return None;
    }
    let close = after_short.trim_start().strip_prefix(')')?;
    Some(text.len() - close.len())
}

/// The words joined to `text[range]` by a hyphen or a slash (`TT` in `CSGT-TT`).
fn compound_neighbours<'t>(text: &'t str, range: &Range<usize>) -> impl Iterator<Item = &'t str> {
    let before = text[..range.start]
        .strip_suffix(['-', '/', '&'])
        .map(|b| {
            let start = b
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_word_char(*c))
                .last()
                .map_or(b.len(), |(i, _)| i);
            &b[start..]
        })
        .filter(|w| !w.is_empty());
    let after = text[range.end..]
        .strip_prefix(['-', '/', '&'])
        .map(|a| &a[..a.find(|c: char| !is_word_char(c)).unwrap_or(a.len())])
        .filter(|w| !w.is_empty());
    before.into_iter().chain(after)
}

/// `(ABC)` around `range`, with a word somewhere before the parenthesis.
fn is_parenthesized_definition(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].trim_end();
    let after = text[range.end..].trim_start();
    let Some(before_paren) = before.strip_suffix('(') else {
        return false;
    };
    after.starts_with(')') && before_paren.trim_end().chars().next_back().is_some_and(is_word_char)
}

/// Spans of `text` that no abbreviation fix may edit, sorted: what stands between
/// quotation marks (a quoted name or a quotation; straight quotes pair up, and a line break
/// closes whatever is open) and photo or source credits (`Ảnh: Quốc Khánh/TTXVN`, up to
/// the closing parenthesis or the end of the line). One pass over the text.
pub(crate) fn protected_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut curly: Option<usize> = None;
    let mut depth = 0usize;
    let mut straight: Option<usize> = None;
    let mut credit: Option<(usize, bool)> = None;
    let mut paren_open = false;
    for (i, c) in text.char_indices() {
        match c {
            '\n' => {
                for start in [curly.take(), straight.take(), credit.take().map(|(s, _)| s)]
                    .into_iter()
                    .flatten()
                {
                    spans.push(start..i);
                }
                depth = 0;
            }
            '“' => {
                if depth == 0 {
                    curly = Some(i);
                }
                depth += 1;
            }
            '”' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    if let Some(s) = curly.take() {
                        spans.push(s..i + c.len_utf8());
                    }
                }
            }
            '"' => match straight.take() {
                Some(s) => spans.push(s..i + 1),
                None => straight = Some(i),
            },
            ')' if credit.is_some_and(|(_, p)| p) => {
                if let Some((s, _)) = credit.take() {
                    spans.push(s..i);
                }
            }
            'Ả' | 'N' | 'ả' if credit.is_none() => {
                let rest = &text[i..];
                let word = rest.find(|c: char| !is_word_char(c)).map_or(rest, |e| &rest[..e]);
                if matches!(word, "Ảnh" | "ảnh" | "Nguồn")
                    && rest[word.len()..].trim_start_matches(' ').starts_with(':')
                {
                    credit = Some((i, paren_open));
                }
            }
            _ => {}
        }
        if c == '(' {
            paren_open = true;
        } else if c == ')' || c == '\n' {
            paren_open = false;
        }
    }
    for start in [curly, straight, credit.map(|(s, _)| s)].into_iter().flatten() {
        spans.push(start..text.len());
    }
    spans.sort_by_key(|r| (r.start, r.end));
    spans
}

/// Whether `range` lies within one of the sorted `spans`.
fn within(spans: &[Range<usize>], range: &Range<usize>) -> bool {
    let i = spans.partition_point(|s| s.start <= range.start);
    spans[..i].iter().rev().take(4).any(|s| s.end >= range.end)
}

/// Words that head the name of a law, body or programme (`Luật`, `Bộ`, `Sở`…).
const NAME_HEADS: &[&str] = &[
    "Luật",
    "Bộ",
    "Sở",
    "Cục",
    "Chi",
    "Tổng",
    "Ban",
    "Viện",
    "Hội",
    "Hiệp",
    "Quỹ",
    "Trường",
    "Trung",
    "Phòng",
    "Ngân",
    "Tập",
    "Công",
    "Ủy",
    "Uỷ",
    "Nghị",
    "Thông",
    "Quyết",
    "Chiến",
    "Chương",
    "Đề",
    "Dự",
    "Pháp",
    "Tạp",
    "Báo",
    "Đài",
];

/// Whether the text just before `start` looks like the start of a proper name that the
/// match continues: the previous word is capitalized (and does not begin a sentence), or
/// one of the three previous words is a capitalized name head such as `Luật` or `Bộ`.
fn inside_proper_name(text: &str, start: usize) -> bool {
    let mut iter = words_before(text, start).take(3);
    let Some(prev) = iter.next() else {
        return false;
    };
    let capitalized = |r: &Range<usize>| text[r.clone()].chars().next().is_some_and(char::is_uppercase);
    if capitalized(&prev) && !is_sentence_start(text, prev.start) && !is_caps_token(&text[prev.clone()]) {
        return true;
    }
    std::iter::once(prev).chain(iter).any(|r| {
        NAME_HEADS.contains(&&text[r.clone()])
            && text[r.end..start]
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || unicode_normalization::char::is_combining_mark(c))
    })
}

/// Whether the word right before `start` (one space apart) heads the name of a body
/// (`Bộ`, `Sở`, `Trường`, `Đội`).
fn after_name_head(text: &str, start: usize) -> bool {
    let Some(prev) = words_before(text, start).next() else {
        return false;
    };
    let word = &text[prev.clone()];
    text[prev.end..start] == *" " && (NAME_HEADS.contains(&word) || matches!(word, "Đội" | "đội" | "trường"))
}

/// The words of `text[..end]` from the last one backwards: the ranges [`words`] gives,
/// without walking the text from its start.
fn words_before(text: &str, end: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text[..end].char_indices().rev().peekable();
    std::iter::from_fn(move || {
        let (last, c) = chars.find(|&(_, c)| is_word_char(c))?;
        let mut start = last;
        while let Some(&(i, c)) = chars.peek() {
            if !is_word_char(c) {
                break;
            }
            start = i;
            chars.next();
        }
        Some(start..last + c.len_utf8())
    })
}

/// The word right after `end` when one space separates them.
fn word_after(text: &str, end: usize) -> Option<&str> {
    crate::text::compounds::syllable_after(text, end)
}

/// At least two letters, all of them capitals (`HĐND`, `ĐBQH`, `H5N1`).
fn is_caps_token(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

/// Roman numerals as Vietnamese news writes them (`XIII`, `XX`, `IV`).
fn is_roman(s: &str) -> bool {
    s.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// The message of a sub-check: the rule file's, or a default.
fn message(template: Option<&String>, default: &str, vars: &[(&str, &str)]) -> String {
    render_template(template.map_or(default, String::as_str), vars)
}

impl AbbreviationChecker {
    fn cfg_of(&self, ent: usize) -> Option<&RuleCfg> {
        self.ents.get(ent).and_then(|e| self.cfgs.get(e.cfg))
    }

    fn scan_unknown(&self, block: &BlockInput<'_>, known_ranges: &[Range<usize>], out: &mut BlockOutput) {
        let Some(cfg) = self
            .cfgs
            .iter()
            .find(|c| c.checks.unknown != Severity::Off && block.is_active(c.rule))
        else {
            return;
        };
        let text = block.text;
        let tokens: Vec<Range<usize>> = words(text).collect();
        let caps: Vec<bool> = tokens.iter().map(|w| is_caps_token(&text[w.clone()])).collect();
        let with_letters = tokens
            .iter()
            .filter(|w| text[(*w).clone()].chars().any(char::is_alphabetic))
            .count();
        let caps_count = caps.iter().filter(|c| **c).count();
        // An all-caps sentence is shouting, not a row of abbreviations.
        if caps_count >= 3 && caps_count * 5 >= with_letters * 3 {
            return;
        }
        for (w, _) in tokens.iter().zip(&caps).filter(|(_, c)| **c) {
            let tok = &text[w.clone()];
            if is_roman(tok)
                || self.known.contains(tok)
                || compound_neighbours(text, w).next().is_some()
                || cfg.unknown_ignore.contains(tok)
                || known_ranges.iter().any(|k| k.start < w.end && w.start < k.end)
            {
                continue;
            }
            let fact = AbbreviationFact::Unknown {
                token: tok.into(),
                defined: is_parenthesized_definition(text, w),
            };
            out.facts
                .push(Fact::new(cfg.rule, Noted::Abbreviation(fact), w.clone()));
        }
    }

    /// Decisions for one glossary entry over its facts in document order, by the evidence
    /// of the document: a real definition, or which of the two forms it mostly writes.
    fn check_entry(&self, input: &DocumentInput<'_>, e: usize, events: &[&DocFact<'_>], out: &mut Vec<Diagnostic>) {
        let (Some(ent), Some(cfg)) = (self.ents.get(e), self.cfg_of(e)) else {
            return;
        };
        let tag = |f: &DocFact<'_>| entry_event(f).map(|(e, _)| e);
        // The text defines the abbreviation for something else (`Công đoàn (CĐ)`): the
        // glossary has nothing to say about it here.
        if events.iter().any(|f| tag(f) == Some(Event::DefOther)) {
            return;
        }
        let protected = |f: &DocFact<'_>| entry_event(f).is_some_and(|(_, p)| p);
        let found_of = |f: &DocFact<'_>| input.block_text(f.block).get(f.fact.range.clone()).unwrap_or_default();
        let first_def = events.iter().position(|f| tag(f) == Some(Event::Def));
        let is_use = |f: &DocFact<'_>| matches!(tag(f), Some(Event::Short | Event::Variant));
        let base = [("short", ent.short.as_str()), ("long", ent.long.as_str())];
        let longs = events.iter().filter(|f| tag(f) == Some(Event::Long)).count();
        let shorts = events.iter().filter(|f| is_use(f)).count();

        // (r) No definition, and the long form dominates: the rare short form is the odd
        // one out, and its fix writes the long form as the document spells it.
        if first_def.is_none()
            && !ent.allowed
            && shorts > 0
            && longs >= LONG_DOMINATES
            && longs >= LONG_DOMINATES * shorts
        {
            if cfg.checks.rare_short == Severity::Off {
                return;
            }
            let spelled = events
                .iter()
                .find(|f| tag(f) == Some(Event::Long))
                .map_or(ent.long.as_str(), |f| found_of(f));
            let (n_short, n_long) = (shorts.to_string(), longs.to_string());
            for f in events.iter().filter(|f| is_use(f)) {
                let block_text = input.block_text(f.block);
                // Part of a name (`ĐH Quốc gia Hà Nội`): written out, the name would need its
                // own capitals; left to the writer.
                if word_after(block_text, f.fact.range.end)
                    .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
                {
                    continue;
                }
                let long = if is_sentence_start(block_text, f.fact.range.start) {
                    capitalize_first(spelled)
                } else {
                    spelled.to_string()
                };
                let vars = [
                    base[0],
                    base[1],
                    ("found", found_of(f)),
                    ("expected", long.as_str()),
                    ("short_count", n_short.as_str()),
                    ("long_count", n_long.as_str()),
                ];
                let msg = message(
                    cfg.messages.rare_short.as_ref(),
                    "“{found}” is used {short_count} time(s) and “{expected}” {long_count} times: write “{expected}”",
                    &vars,
                );
                out.push(
                    Diagnostic::new(cfg.rule, f.range.clone(), msg)
                        .with_fix(Fix::unsafe_(
                            format!("Write out “{long}”"),
                            vec![Edit::new(f.range.clone(), long.clone())],
                        ))
                        .with_severity(cfg.checks.rare_short),
                );
            }
            return;
        }

        // (a) The first use must define the abbreviation.
        // Where the abbreviation is (or, once fixed, will be) defined.
        let mut anchor = first_def;
        let mut virtual_anchor = false;
        if cfg.checks.undefined != Severity::Off && !ent.allowed {
            // Uses in a credit or a quotation (`Ảnh: BTC`), or starting a name (`KCN Bình
            // Chiểu` in an address), are not where a definition is missing; before a code or
            // a brand (`HĐQT BSR`, `ĐHĐCĐ LienVietPostBank`) they still are.
            let title_word = |w: &str| {
                let mut cs = w.chars();
                cs.next().is_some_and(char::is_uppercase) && cs.all(|c| !c.is_uppercase())
            };
            let reportable = |f: &DocFact<'_>| {
                is_use(f)
                    && !protected(f)
                    && !word_after(input.block_text(f.block), f.fact.range.end).is_some_and(title_word)
            };
            let first_reportable = events.iter().position(|f| reportable(f));
            if let Some(u) = first_reportable.filter(|&u| first_def.is_none_or(|d| u < d)) {
                anchor = Some(u);
                virtual_anchor = true;
                let f = events[u];
                let block_text = input.block_text(f.block);
                let found = found_of(f);
                let long = if is_sentence_start(block_text, f.fact.range.start) {
                    capitalize_first(&ent.long)
                } else {
                    ent.long.clone()
                };
                // A single use is written out; a definition nothing uses would be removed
                // again (so `--fix` applies exactly the edit shown here).
                let expected = if u + 1 < events.len() {
                    format!("{long} ({})", ent.short)
                } else {
                    long
                };
                let vars = [base[0], base[1], ("found", found), ("expected", &expected)];
                let msg = message(cfg.messages.undefined.as_ref(), &cfg.meta.message, &vars);
                let mut d = Diagnostic::new(cfg.rule, f.range.clone(), msg).with_severity(cfg.checks.undefined);
                // Expanding rewrites the text (the abbreviation may stand for something
                // else here), and never inside a quotation or a credit.
                if !protected(f) {
                    d = d.with_fix(Fix::unsafe_(
                        format!("Write “{expected}”"),
                        vec![Edit::new(f.range.clone(), expected.clone())],
                    ));
                }
                out.push(d);
            }
        }

        let Some(d) = anchor else { return };
        let after = &events[d + 1..];

        // (b) Once defined, the long form is written short; so is a second definition
        // (or a late one, when the fix of (a) defines the abbreviation earlier). Without a
        // real definition, the message says only what the text shows: the short form is used.
        if cfg.checks.long_after_definition != Severity::Off {
            for (i, f) in after.iter().enumerate() {
                if !matches!(tag(f), Some(Event::Long | Event::Def)) || protected(f) {
                    continue;
                }
                // Only after a real definition: an abbreviation the text never defines is no
                // reason to shorten its full form (judged on real news: `hội đồng quản trị
                // ngân hàng` → `HĐQT` where HĐQT is never defined; a late definition "fixed"
                // away).
                if first_def.is_none_or(|fd| fd >= d + 1 + i) {
                    continue;
                }
                let found = found_of(f);
                // `các chuyên ngành: Khoa học máy tính; Kỹ thuật máy tính; Công nghệ thông tin
                // truyền thống`: a capitalized item of a list of names is a name of its own
                // (judged on real news).
                if tag(f) == Some(Event::Long) && found.chars().next().is_some_and(char::is_uppercase) {
                    let before = input.block_text(f.block)[..f.fact.range.start].trim_end();
                    if before.ends_with([';', ':']) {
                        continue;
                    }
                }
                let vars = [base[0], base[1], ("found", found), ("expected", ent.short.as_str())];
                let msg = message(
                    cfg.messages.long_after_definition.as_ref(),
                    "“{found}” is already abbreviated: write “{short}”",
                    &vars,
                );
                let mut diag = Diagnostic::new(cfg.rule, f.range.clone(), msg);
                // A second definition: dropping its `(SHORT)` keeps the sentence as written
                // (judged on real news: contracting `Chiến lược phát triển giao thông vận tải
                // (GTVT) đường sắt` to `GTVT` rewrote a strategy's title).
                if tag(f) == Some(Event::Def) {
                    if let Some(open) = found.rfind('(') {
                        let space = found[..open].trim_end().len();
                        diag = diag.with_fix(Fix::unsafe_(
                            format!("Remove “{}”", &found[open..]),
                            vec![Edit::delete(f.range.start + space..f.range.end)],
                        ));
                    }
                }
                out.push(
                    diag.with_fix(Fix::unsafe_(
                        format!("Replace with “{}”", ent.short),
                        vec![Edit::new(f.range.clone(), ent.short.clone())],
                    ))
                    .with_severity(cfg.checks.long_after_definition),
                );
            }
        }

        // (c) A definition nothing uses: no short form, variant or long form after it.
        if cfg.checks.unused_definition != Severity::Off && !virtual_anchor && after.is_empty() {
            let def = events[d];
            let block_text = input.block_text(def.block);
            let Some(def_text) = block_text.get(def.fact.range.clone()) else {
                return;
            };
            let Some(open) = def_text.rfind('(') else { return };
            let space = def_text[..open].trim_end().len();
            let remove = def.range.start + space..def.range.end;
            let paren = def.range.start + open..def.range.end;
            let vars = [base[0], base[1], ("found", &def_text[open..]), ("expected", "")];
            let msg = message(
                cfg.messages.unused_definition.as_ref(),
                "Abbreviation “{short}” is defined but never used",
                &vars,
            );
            out.push(
                Diagnostic::new(cfg.rule, paren, msg)
                    .with_fix(Fix::unsafe_(
                        format!("Remove “{}”", &def_text[open..]),
                        vec![Edit::delete(remove)],
                    ))
                    .with_severity(cfg.checks.unused_definition),
            );
        }
    }
}

impl Checker for AbbreviationChecker {
    fn term_sets(&mut self) -> Vec<&mut TermSet> {
        vec![&mut self.terms]
    }

    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        let text = block.text;
        let headline = block.is_headline();
        let active = |id: u32| {
            self.owners
                .get(id as usize)
                .and_then(|&(e, _)| self.cfg_of(e))
                .is_some_and(|c| block.is_active(c.rule))
        };
        let matches = if self.terms.is_empty() {
            Vec::new()
        } else {
            self.terms.find(block.shared, &active)
        };
        let protected = if matches.is_empty() {
            Vec::new()
        } else {
            protected_spans(text)
        };
        // Uses and long forms inside quotation marks or a credit are marked: never edited.
        let entry_fact = |cfg: &RuleCfg, e: usize, event: Event, range: Range<usize>| {
            let marked = matches!(event, Event::Long | Event::Short | Event::Variant) && within(&protected, &range);
            let fact = AbbreviationFact::Entry {
                entry: e as u32,
                event,
                protected: marked,
            };
            Fact::new(cfg.rule, Noted::Abbreviation(fact), range)
        };
        // The end of the last definition's parentheses: the short form inside is no use.
        let mut skip_until = 0;
        for m in &matches {
            if m.range.start < skip_until {
                continue;
            }
            for h in &m.hits {
                let Some(&(e, role)) = self.owners.get(h.id as usize) else {
                    continue;
                };
                let (Some(ent), Some(cfg)) = (self.ents.get(e), self.cfg_of(e)) else {
                    continue;
                };
                let range = m.range.clone();
                let found = &text[range.clone()];
                let vars = [
                    ("short", ent.short.as_str()),
                    ("long", ent.long.as_str()),
                    ("found", found),
                    ("expected", ent.short.as_str()),
                ];
                match role {
                    Role::Long => match definition_end(text, range.end, &ent.short) {
                        Some(end) => {
                            skip_until = skip_until.max(end);
                            if !headline {
                                out.facts.push(entry_fact(cfg, e, Event::Def, range.start..end));
                            }
                        }
                        // Inside a proper name (`Luật Kinh doanh bất động sản`) the long form
                        // is part of the name and must stay written out.
                        None if !headline && !inside_proper_name(text, range.start) => {
                            out.facts.push(entry_fact(cfg, e, Event::Long, range))
                        }
                        None => {}
                    },
                    // `CSGT-TT` is the name of a unit, not a use of `CSGT`; `HĐND-UBND` is two uses.
                    _ if compound_neighbours(text, &range).any(|w| !self.known.contains(w)) => {}
                    // `Bộ GTVT`, `Trường ĐH Y dược`, `Đội CSGT Bến Thành`: part of the name of a
                    // body, which news copy does not spell out (a variant is still corrected).
                    Role::Short if after_name_head(text, range.start) => {
                        if !headline {
                            out.facts.push(entry_fact(cfg, e, Event::NameUse, range));
                        }
                    }
                    role => {
                        let variant = role == Role::Variant;
                        if variant && cfg.checks.variant != Severity::Off {
                            let msg = message(
                                cfg.messages.variant.as_ref(),
                                "Abbreviation written “{found}” instead of “{short}”",
                                &vars,
                            );
                            out.diagnostics.push(
                                Diagnostic::new(cfg.rule, range.clone(), msg)
                                    .with_fix(Fix::replace(
                                        format!("Replace with “{}”", ent.short),
                                        range.clone(),
                                        ent.short.clone(),
                                    ))
                                    .with_severity(cfg.checks.variant),
                            );
                        }
                        if headline {
                            if cfg.checks.headline != Severity::Off && !ent.headline_ok {
                                let msg = message(
                                    cfg.messages.headline.as_ref(),
                                    "Abbreviation “{short}” in the headline",
                                    &vars,
                                );
                                let long = if is_sentence_start(text, range.start) {
                                    capitalize_first(&ent.long)
                                } else {
                                    ent.long.clone()
                                };
                                out.diagnostics.push(
                                    Diagnostic::new(cfg.rule, range.clone(), msg)
                                        .with_fix(Fix::unsafe_(
                                            format!("Write out “{long}”"),
                                            vec![Edit::new(range.clone(), long)],
                                        ))
                                        .with_severity(cfg.checks.headline),
                                );
                            }
                        } else if variant && after_name_head(text, range.start) {
                        } else if is_parenthesized_definition(text, &range) {
                            // `Công đoàn (CĐ)`: the text defines the abbreviation its own way.
                            out.facts.push(entry_fact(cfg, e, Event::DefOther, range));
                        } else {
                            let event = if variant { Event::Variant } else { Event::Short };
                            out.facts.push(entry_fact(cfg, e, event, range));
                        }
                    }
                }
            }
        }
        let known_ranges: Vec<Range<usize>> = matches.iter().map(|m| m.range.clone()).collect();
        self.scan_unknown(block, &known_ranges, out);
        out.facts.sort_by_key(|f| (f.range.start, f.range.end));
    }

    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        if input.facts.is_empty() {
            return;
        }
        let mut by_entry: Vec<Vec<&DocFact<'_>>> = vec![Vec::new(); self.ents.len()];
        let mut unknown: Vec<&DocFact<'_>> = Vec::new();
        for f in input.facts {
            match &f.fact.what {
                Noted::Abbreviation(AbbreviationFact::Unknown { .. }) => unknown.push(f),
                Noted::Abbreviation(AbbreviationFact::Entry { entry, .. }) => {
                    if let Some(list) = by_entry.get_mut(*entry as usize) {
                        list.push(f);
                    }
                }
                _ => {}
            }
        }
        for (e, events) in by_entry.iter().enumerate() {
            if !events.is_empty() {
                self.check_entry(input, e, events, out);
            }
        }
        // (f) Unknown abbreviations: the first use of each token not defined anywhere.
        for cfg in &self.cfgs {
            let mine = || {
                unknown.iter().filter_map(|f| match &f.fact.what {
                    Noted::Abbreviation(AbbreviationFact::Unknown { token, defined }) if f.fact.rule == cfg.rule => {
                        Some((f, &**token, *defined))
                    }
                    _ => None,
                })
            };
            let defined: HashSet<&str> = mine().filter(|(_, _, d)| *d).map(|(_, t, _)| t).collect();
            let mut reported = HashSet::new();
            for (f, tok, _) in mine().filter(|(_, _, d)| !*d) {
                if defined.contains(tok) || !reported.insert(tok) {
                    continue;
                }
                let msg = message(
                    cfg.messages.unknown.as_ref(),
                    "Unknown abbreviation “{found}”",
                    &[("found", tok), ("short", tok)],
                );
                out.push(Diagnostic::new(cfg.rule, f.range.clone(), msg).with_severity(cfg.checks.unknown));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::matcher::test_support::{assert_sane, doc_examples_pass, piece, proptest_config};
    use crate::diagnostic::Severity;
    use crate::document::Document;
    use crate::testing::{check, check_markdown, check_with_headline, engine, fix, fix_all};
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    const RULES: &str = r#"
[[rule]]
id = "abbr"
kind = "abbreviation"
message = "Viết đầy đủ “{long} ({short})” ở lần đầu"
glossary = [
  { short = "HĐND", long = "Hội đồng nhân dân" },
  { short = "ATGT", long = "an toàn giao thông" },
  { short = "CSGT", long = "Cảnh sát giao thông" },
  { short = "TP", long = "thành phố", variants = ["Tp", "T.P"] },
  { short = "UBND", long = "Ủy ban nhân dân" },
  { short = "CA", long = "công an", ambiguous = true },
]
allow-undefined = ["TP", "UBND", "CA"]
headline-allowed = ["TP"]
unknown-ignore = ["WHO"]
checks = { unknown = "info" }
messages = { unknown = "Chữ viết tắt lạ “{found}”" }
"#;

    /// An abbreviation rule with a one-entry glossary.
    fn glossary_engine(short: &str, long: &str) -> crate::engine::Engine {
        engine(&format!(
            "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n\
             glossary = [{{ short = \"{short}\", long = \"{long}\" }}]\n"
        ))
    }

    #[test]
    fn a_long_form_inside_a_proper_name_is_not_abbreviated() {
        let e = glossary_engine("BĐS", "bất động sản");
        let text = "Thị trường bất động sản (BĐS) trầm lắng. Giá BĐS giảm. Theo Luật Kinh doanh bất động sản, tiền cọc bị giới hạn. Nhà đầu tư bất động sản lo ngại.";
        let found: Vec<String> = check(&e, text).into_iter().map(|f| f.found).collect();
        // Only the last, ordinary use of the long form is reported.
        assert_eq!(found, ["bất động sản"]);
        assert!(fix_all(&e, text).contains("Luật Kinh doanh bất động sản"));
        assert!(fix_all(&e, text).contains("Nhà đầu tư BĐS"));
        // Contracting is unsafe: `--fix` alone leaves the text as it is.
        assert_eq!(fix(&e, text), text);
        // Real news (Dân trí, round 6): a capitalized item of a list of names is a name.
        let e = glossary_engine("CNTT", "công nghệ thông tin");
        let text = "Sinh viên ngành Công nghệ thông tin (CNTT) tăng. Ngành CNTT gồm các chuyên ngành: \
                    Khoa học máy tính; Kỹ thuật máy tính; Công nghệ thông tin truyền thống.";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        assert_eq!(
            check(&e, "Ngành Công nghệ thông tin (CNTT) tăng; công nghệ thông tin mới.").len(),
            1
        );
    }

    fn severities(e: &crate::engine::Engine, text: &str) -> Vec<(String, Severity)> {
        e.check(&Document::plain_body(text))
            .into_iter()
            .map(|d| (text[d.range.clone()].to_string(), d.severity()))
            .collect()
    }

    #[test]
    fn the_first_use_must_define_the_abbreviation() {
        let e = engine(RULES);
        let found = check(&e, "HĐND họp.\n\nSau đó HĐND quyết.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "HĐND");
        assert_eq!(found[0].message, "Viết đầy đủ “Hội đồng nhân dân (HĐND)” ở lần đầu");
        assert_eq!(
            fix_all(&e, "HĐND họp. Sau đó HĐND quyết."),
            "Hội đồng nhân dân (HĐND) họp. Sau đó HĐND quyết."
        );
        // Unsafe: `--fix` alone does not expand.
        assert_eq!(fix(&e, "HĐND họp. Sau đó HĐND quyết."), "HĐND họp. Sau đó HĐND quyết.");
        // A lower-case long form is capitalized at the start of a sentence only.
        assert_eq!(
            fix_all(&e, "ATGT là ưu tiên. Bảo đảm ATGT."),
            "An toàn giao thông (ATGT) là ưu tiên. Bảo đảm ATGT."
        );
        assert_eq!(
            fix_all(&e, "Bảo đảm ATGT. Rồi ATGT."),
            "Bảo đảm an toàn giao thông (ATGT). Rồi ATGT."
        );
        // A single use is written out: a definition would be unused.
        assert_eq!(
            fix_all(&e, "Bảo đảm ATGT dịp lễ."),
            "Bảo đảm an toàn giao thông dịp lễ."
        );
    }

    /// Judged on real news (seed 34): a caption reusing `Bộ KH&CN` uses the definition;
    /// a credit (`Ảnh: BTC`) and an address (`KCN Bình Chiểu`) need none; `TH&THCS` is a
    /// school's name, not a use of `THCS`.
    #[test]
    fn captions_credits_addresses_and_ampersand_names() {
        let e = engine(
            r#"
[[rule]]
id = "abbr"
kind = "abbreviation"
message = "m"
glossary = [
  { short = "KH&CN", long = "Khoa học và Công nghệ" },
  { short = "BTC", long = "Ban tổ chức" },
  { short = "KCN", long = "khu công nghiệp" },
  { short = "THCS", long = "trung học cơ sở" },
]
"#,
        );
        let caption =
            "Bộ trưởng Bộ Khoa học và Công nghệ (KH&CN) phát biểu.\n\nBộ trưởng Bộ KH&CN tại buổi lễ. Ảnh: BTC";
        assert_eq!(check(&e, caption), Vec::new());
        assert_eq!(check(&e, "Địa chỉ: Lô D6, KCN Bình Chiểu, TP Thủ Đức."), Vec::new());
        assert_eq!(check(&e, "Học sinh trường TH&THCS Gio Hải đến lớp."), Vec::new());
        // Without the caption, the definition is still unused.
        assert_eq!(check(&e, "Bộ Khoa học và Công nghệ (KH&CN) phát biểu.").len(), 1);
        // An ordinary use still needs its definition.
        assert_eq!(check(&e, "Các KCN phía nam thiếu lao động.").len(), 1);
    }

    #[test]
    fn a_definition_in_any_case_counts() {
        let e = engine(RULES);
        assert!(check(&e, "Kỳ họp hội đồng nhân dân (HĐND) tỉnh. HĐND quyết.").is_empty());
        assert!(check(&e, "HỘI ĐỒNG NHÂN DÂN ( HĐND ) họp. HĐND quyết.").is_empty());
    }

    #[test]
    fn allow_listed_abbreviations_need_no_definition_unless_ambiguous() {
        let e = engine(RULES);
        assert!(check(&e, "UBND TP họp. UBND quyết.").is_empty());
        let found = check(&e, "CA tỉnh vào cuộc.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].fix.as_deref(), Some("Công an"));
        // Ambiguous: the fix is offered, never applied blindly.
        assert_eq!(fix(&e, "CA tỉnh vào cuộc."), "CA tỉnh vào cuộc.");
    }

    #[test]
    fn the_long_form_after_the_definition_is_written_short() {
        let e = engine(RULES);
        let text = "Hội đồng nhân dân (HĐND) họp.\n\nHội đồng nhân dân quyết. Hội đồng nhân dân (HĐND) nói.";
        let found = check(&e, text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0].message,
            "“Hội đồng nhân dân” is already abbreviated: write “HĐND”"
        );
        // A second definition keeps its words and loses its `(HĐND)`: contracting it could
        // rewrite a title that happens to contain the long form.
        assert_eq!(found[1].fix.as_deref(), Some("Hội đồng nhân dân"));
        assert_eq!(
            fix_all(&e, text),
            // (round after round: the definition goes, then the long form is written short)
            "Hội đồng nhân dân (HĐND) họp.\n\nHĐND quyết. HĐND nói."
        );
        // Before the definition, the long form is fine.
        assert!(check(&e, "Hội đồng nhân dân họp. Hội đồng nhân dân (HĐND) nói. HĐND quyết.").is_empty());
    }

    #[test]
    fn an_unused_definition_is_information_and_its_fix_removes_it() {
        let e = engine(RULES);
        let text = "Hội đồng nhân dân (HĐND) họp.";
        assert_eq!(severities(&e, text), [("(HĐND)".to_string(), Severity::Info)]);
        assert_eq!(fix_all(&e, text), "Hội đồng nhân dân họp.");
    }

    #[test]
    fn a_dominant_long_form_makes_the_rare_short_form_the_finding() {
        let e = engine(RULES);
        // The seed case: a full form many times, its abbreviation once inside a quoted name.
        let long = "Bảo đảm an toàn giao thông dịp lễ. ".repeat(16);
        let text = format!("{long}Phong trào “Toàn dân giữ ATGT” lan rộng.");
        let found = check(&e, &text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].found, "ATGT");
        assert_eq!(
            found[0].message,
            "“ATGT” is used 1 time(s) and “an toàn giao thông” 16 times: write “an toàn giao thông”"
        );
        assert_eq!(found[0].fix.as_deref(), Some("an toàn giao thông"));
        // `--fix` changes nothing; with unsafe fixes, only the abbreviation is written out.
        assert_eq!(fix(&e, &text), text);
        assert_eq!(
            fix_all(&e, &text),
            format!("{long}Phong trào “Toàn dân giữ an toàn giao thông” lan rộng.")
        );
        // Without a definition, the long form is never said to be "already abbreviated",
        // nor to be shortened: only the first use is reported.
        let text = "ATGT là ưu tiên. Bảo đảm ATGT, ATGT. Giữ an toàn giao thông.";
        let found = check(&e, text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].found, "ATGT");
    }

    #[test]
    fn definitions_of_another_meaning_quotes_and_credits_are_not_edited() {
        let e = engine(
            r#"
[[rule]]
id = "abbr"
kind = "abbreviation"
message = "m"
glossary = [{ short = "CĐ", long = "cao đẳng", ambiguous = true }, { short = "HĐND", long = "Hội đồng nhân dân" }]
"#,
        );
        // `Công đoàn (CĐ)` defines CĐ its own way: never `Công đoàn (cao đẳng (CĐ))`.
        assert!(check(&e, "Công đoàn (CĐ) trường họp. CĐ quyết định.").is_empty());
        // A use inside a quotation cannot take the definition: the first use outside does.
        let found = check(&e, "Ông nói: “HĐND đã họp”. Sau đó HĐND quyết.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].fix.as_deref(), Some("Hội đồng nhân dân"));
        assert!(check(&e, "Ông nói: “HĐND đã họp”.").is_empty());
        // A long form inside a quoted name or a photo credit is never contracted.
        let text = "Hội đồng nhân dân (HĐND) họp. Giải “Hội đồng nhân dân trẻ” trao. (Ảnh: Hội đồng nhân dân tỉnh). HĐND quyết.";
        assert!(check(&e, text).is_empty(), "{:#?}", check(&e, text));
        assert_eq!(
            super::protected_spans("a “b” c \"d\" Ảnh: X/TTXVN\n(Ảnh : Y) z"),
            [2..9, 12..15, 16..30, 32..41]
        );
    }

    #[test]
    fn hyphenated_unit_names_are_not_uses() {
        let e = engine(RULES);
        assert!(check(&e, "Đội CSGT-TT và phòng PC-HĐND phối hợp, COVID-19.").is_empty());
        assert_eq!(check(&e, "Khối HĐND-UBND họp.").len(), 1);
    }

    #[test]
    fn variants_become_the_canonical_short_form() {
        let e = engine(RULES);
        assert_eq!(
            fix(&e, "Ở Tp Huế và T.P Vinh, TP Hà Nội"),
            "Ở TP Huế và TP Vinh, TP Hà Nội"
        );
        // Not inside other words, and case matters for short forms.
        assert!(check(&e, "Tpx, xTp, tp, xHĐND, HĐNDx, đHĐND").is_empty());
    }

    #[test]
    fn abbreviations_in_the_headline() {
        let e = engine(RULES);
        let found = check_with_headline(
            &e,
            "HĐND TP họp bất thường\nHội đồng nhân dân (HĐND) TP họp. HĐND quyết.",
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].found, "HĐND");
        assert_eq!(found[0].message, "Abbreviation “HĐND” in the headline");
        assert_eq!(found[0].fix.as_deref(), Some("Hội đồng nhân dân"));
    }

    #[test]
    fn unknown_abbreviations_are_information() {
        let e = engine(RULES);
        let text = "Đại biểu ĐBQH và WHO. Ủy ban Kiểm tra (UBKT) họp, UBKT quyết; thế kỷ XX; ĐBQH.";
        let found = severities(&e, text);
        assert_eq!(found, [("ĐBQH".to_string(), Severity::Info)]);
        assert_eq!(check(&e, text)[0].message, "Chữ viết tắt lạ “ĐBQH”");
        // A shouted sentence is not a row of abbreviations.
        assert!(check(&e, "TIN NÓNG TỪ HÀ NỘI").is_empty());
    }

    #[test]
    fn nfd_text_emoji_and_document_order() {
        let e = engine(RULES);
        let text: String = "😀 Hội đồng nhân dân (HĐND) họp.\n\n😀 HĐND quyết.".nfd().collect();
        assert!(check(&e, &text).is_empty());
        let text = "😀 Bảo đảm ATGT.\n\nAn toàn giao thông (ATGT) là ưu tiên.";
        let found = check(&e, text);
        let got: Vec<&str> = found.iter().map(|f| f.found.as_str()).collect();
        // The late definition is not "fixed" away: the first use gets the definition.
        assert_eq!(got, ["ATGT"]);
    }

    #[test]
    fn masked_markdown_is_not_a_use() {
        let e = engine(RULES);
        assert!(check_markdown(&e, "Lệnh `HĐND` và [ATGT](http://x.vn/HĐND).\n").len() == 1);
        assert!(check_markdown(&e, "Lệnh `HĐND` chạy.\n").is_empty());
    }

    #[test]
    fn off_checks_are_silent() {
        let rules = RULES.replace(
            "checks = { unknown = \"info\" }",
            "checks = { undefined = \"off\", unused-definition = \"off\" }",
        );
        let e = engine(&rules);
        let found = check(&e, "HĐND họp ở Tp Huế. Ủy ban Kiểm tra ĐBQH. Hội đồng nhân dân (HĐND).");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].found, "Tp");
    }

    #[test]
    fn words_before_are_the_words_backwards() {
        for text in [
            "",
            "  ",
            "Luật Kinh doanh bất động sản",
            "a, b (c)đ ươ\u{301}x 😀 TP.HCM-x ",
            "x\u{1A}y",
        ] {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let mut forward: Vec<_> = crate::text::words::words(&text[..end]).collect();
                forward.reverse();
                assert_eq!(
                    super::words_before(text, end).collect::<Vec<_>>(),
                    forward,
                    "{text:?} {end}"
                );
            }
        }
    }

    #[test]
    fn the_doc_example_passes() {
        doc_examples_pass(<super::Abbreviation as super::RuleKind>::DOC);
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
