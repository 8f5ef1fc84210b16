//! Rule kinds: the generic checks a rule file can instantiate.
//!
//! A *rule* is an entry in a pack's TOML file (`id`, `kind`, `severity`, `message`, …
//! plus kind-specific options). A *kind* is the Rust code behind it. The engine groups
//! the rules of a pack set by kind and hands each group to the kind's `compile`, which
//! returns one [`Checker`] for the whole group: that is how every literal term of every
//! `substitution` rule ends up in a single Aho-Corasick automaton.
//!
//! A checker works in two passes:
//! 1. [`Checker::check_block`] sees one prose block (masked text, block-relative offsets)
//!    and reports diagnostics and *facts*. Its output may depend on nothing but the
//!    block's text and scopes, so the language server can cache it per block.
//! 2. [`Checker::check_document`] sees the facts of every block (absolute offsets, in
//!    document order) and reports what needs the whole document: abbreviation
//!    definitions, one variant per document, tone-mark style mixing.
//!
//! Adding a kind: write a module with an `Options` struct (serde + schemars, `deny_unknown_fields`),
//! implement [`RuleKind`], and add it to [`KINDS`].

pub mod abbreviation;
pub mod capitalization;
pub mod choice;
pub mod consistency;
pub mod existence;
pub mod matcher;
pub mod numbers_dates;
pub mod pattern;
pub mod quotes;
pub mod sentence;
pub mod substitution;
pub mod syllable;
pub mod tone_placement;
pub mod typography;
pub mod unicode;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use crate::diagnostic::RuleIdx;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, ScopeSet};
use crate::engine::MAX_FINDINGS_PER_RULE;

/// An example inside a rule file: a test anyone can write without Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The text to check (plain text unless `markdown = true` or `html = true`; with plain text the
    /// first line is not treated as a headline unless `headline = true`).
    pub text: String,
    /// How many diagnostics of this rule the text must produce.
    pub expect: usize,
    /// The text after applying this rule's fixes, when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Check the text as Markdown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub markdown: bool,
    /// Check the text as an HTML page (positions and `fixed` in the page's source).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub html: bool,
    /// Treat the first line as the headline.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub headline: bool,
    /// `fixed` applies unsafe fixes too (as `--fix --unsafe-fixes` does).
    #[serde(default, rename = "unsafe-fixes", skip_serializing_if = "std::ops::Not::not")]
    pub unsafe_fixes: bool,
}

/// Where a rule was defined, for error messages and the editor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleSource {
    /// Path of the rule file (`builtin:vi-news/quotes.toml` for embedded packs).
    pub file: String,
    /// The file's text, shared by its rules, to locate keys and examples.
    pub text: Arc<str>,
    /// Which `[[rule]]` of the file this is (zero-based).
    pub index: usize,
    /// Byte range of the rule's table in that file.
    pub span: Range<usize>,
}

/// Everything about a rule except its kind-specific options.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub pack: Arc<str>,
    pub id: String,
    pub kind: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The message of a style choice in `prefer` mode (`{house}`, `{other}`), from the pack's
    /// `[pack] prefer-message`; `None`: the engine's English default.
    pub prefer_message: Option<String>,
    /// The words of the pack's language (`[pack] credit-labels` …), shared by its rules.
    pub language: Arc<crate::language::Language>,
    pub description: Option<String>,
    pub link: Option<String>,
    /// `None`: every scope.
    pub scopes: Option<ScopeSet>,
    pub examples: Vec<Example>,
    pub source: RuleSource,
}

impl RuleMeta {
    /// `pack/id`, as users see it.
    pub fn full_id(&self) -> String {
        format!("{}/{}", self.pack, self.id)
    }

    pub fn applies_to(&self, scopes: ScopeSet) -> bool {
        self.scopes.is_none_or(|s| s.intersects(scopes))
    }

    /// The rule's message with `{name}` placeholders filled in.
    pub fn render(&self, vars: &[(&str, &str)]) -> String {
        render_template(&self.message, vars)
    }
}

/// Fills `{name}` placeholders; unknown ones are left as they are.
pub fn render_template(template: &str, vars: &[(&str, &str)]) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A rule handed to a kind's `compile`, with its options parsed.
#[derive(Debug, Clone)]
pub struct RuleInput<O> {
    pub idx: RuleIdx,
    pub meta: Arc<RuleMeta>,
    pub options: O,
}

/// One prose block as a checker sees it.
#[derive(Debug, Clone, Copy)]
pub struct BlockInput<'a> {
    /// Masked block text; offsets are relative to it.
    pub text: &'a str,
    pub scopes: ScopeSet,
    /// `active[rule]`: whether a rule applies to this block (scope filtering).
    pub active: &'a [bool],
    /// What several kinds compute from the block (folded text, term search, sentences),
    /// computed once by the first that asks.
    pub shared: &'a crate::engine::BlockContext<'a>,
}

impl BlockInput<'_> {
    pub fn is_active(&self, rule: RuleIdx) -> bool {
        self.active.get(rule.get()).copied().unwrap_or(false)
    }
    pub fn is_headline(&self) -> bool {
        self.scopes.contains(crate::document::Scope::Headline)
    }
}

/// Something a block pass noticed for the document pass ("variant 2 of group 5 at
/// 10..13", "abbreviation ANTT used at 40..44"): where, for which rule, and what, typed
/// by the kind that noticed it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fact {
    pub rule: RuleIdx,
    /// Block-relative byte range.
    pub range: Range<usize>,
    pub what: Noted,
}

/// What a fact says: one variant per kind with a document pass over facts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Noted {
    Quote(quotes::QuoteFact),
    NumbersDates(numbers_dates::NumbersDatesFact),
    Variant(consistency::VariantFact),
    Abbreviation(abbreviation::AbbreviationFact),
    Title(capitalization::TitleFact),
    Placement(tone_placement::PlacementFact),
    /// `sentence`: the block's first word starts in lower case; whether that is wrong
    /// depends on the block before it.
    LowerBlockStart,
    /// `unicode`: a U+FEFF starts the block; it is reported unless the block starts the
    /// document.
    LeadingFeff,
    /// `syllable`: a lower-case word right after a capitalized one that would be reported
    /// as a slip; it is a part of a name (`Tuấn moon`) if the document writes it
    /// capitalized somewhere (`Tuấn Moon`).
    NameTail,
    /// `syllable`: any other lower-case word that would be reported as a slip; it is a
    /// name's word, used as a common noun (`cây đoák` beside the stream `suối Đoák M’Tung`),
    /// if the document writes it capitalized inside a sentence and so in lower case at least
    /// [`crate::rules::syllable::NAMES_WORD_USES`] times.
    NamesWord,
    /// `substitution` in `consistency` mode: a finding (block-relative), reported if the
    /// document writes the right form as often.
    Substituted(Box<crate::diagnostic::Diagnostic>),
    /// `sentence`: a lower-case word after a stop that follows a capitalized word (`công ty
    /// USC Interco. với`), the fact's range that word; reported unless the document writes
    /// the word and its stop before a comma, a semicolon or a bracket too (a name ending in
    /// a dot).
    AfterNameStop(Box<crate::diagnostic::Diagnostic>),
}

impl Fact {
    pub fn new(rule: RuleIdx, what: Noted, range: Range<usize>) -> Fact {
        Fact { rule, range, what }
    }

    /// Bytes on the heap (for the memory bound of caches).
    pub fn heap_bytes(&self) -> usize {
        match &self.what {
            Noted::Abbreviation(a) => a.heap_bytes(),
            Noted::NumbersDates(n) => n.heap_bytes(),
            Noted::Title(t) => t.heap_bytes(),
            Noted::Placement(p) => p.heap_bytes(),
            Noted::Substituted(d) | Noted::AfterNameStop(d) => d.heap_bytes(),
            _ => 0,
        }
    }
}

/// What a block pass produces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct BlockOutput {
    pub diagnostics: Findings,
    pub facts: Vec<Fact>,
}

/// Findings of one rule left out of a report by the cap on findings per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dropped {
    pub rule: RuleIdx,
    pub count: usize,
    /// Where the first one left out starts.
    pub first: usize,
}

/// The findings of a block pass, capped as they are collected: at most
/// [`MAX_FINDINGS_PER_RULE`] of a rule are kept, the first by position (then in the
/// order found), and the others only counted, so that memory does not grow with the
/// number of findings of a huge block. Reads like a slice of diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Findings {
    items: Vec<Diagnostic>,
    dropped: Vec<Dropped>,
    /// The length at which the next compaction runs.
    compact_at: usize,
}

impl Findings {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
        if self.items.len() >= self.compact_at.max(2 * MAX_FINDINGS_PER_RULE) {
            cap(&mut self.items, &mut self.dropped);
            // At least doubling between compactions keeps their total cost linear.
            self.compact_at = 2 * self.items.len();
        }
    }

    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    /// Drops the findings of rules `active` says do not apply, caps the others, and
    /// returns those left out (of rules that apply).
    pub fn finish(&mut self, active: &[bool]) -> Vec<Dropped> {
        self.items.retain(|d| active[d.rule.get()]);
        cap(&mut self.items, &mut self.dropped);
        let mut dropped = std::mem::take(&mut self.dropped);
        dropped.retain(|x| active[x.rule.get()]);
        dropped
    }

    /// The findings kept.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl std::ops::Deref for Findings {
    type Target = [Diagnostic];
    fn deref(&self) -> &[Diagnostic] {
        &self.items
    }
}

impl std::ops::DerefMut for Findings {
    fn deref_mut(&mut self) -> &mut [Diagnostic] {
        &mut self.items
    }
}

impl Extend<Diagnostic> for Findings {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        for d in iter {
            self.push(d);
        }
    }
}

impl<'a> IntoIterator for &'a Findings {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Keeps the first [`MAX_FINDINGS_PER_RULE`] findings of each rule (by position, then
/// in order) and counts the others in `dropped`. Capping the kept findings again with
/// more appended gives what one cap of everything would.
pub fn cap(diagnostics: &mut Vec<Diagnostic>, dropped: &mut Vec<Dropped>) {
    if diagnostics.len() <= MAX_FINDINGS_PER_RULE {
        return;
    }
    diagnostics.sort_by_key(|d| d.range.start);
    let mut seen: HashMap<RuleIdx, usize> = HashMap::new();
    diagnostics.retain(|d| {
        let n = seen.entry(d.rule).or_insert(0);
        *n += 1;
        if *n <= MAX_FINDINGS_PER_RULE {
            return true;
        }
        match dropped.iter_mut().find(|x| x.rule == d.rule) {
            Some(x) => {
                x.count += 1;
                x.first = x.first.min(d.range.start);
            }
            None => dropped.push(Dropped {
                rule: d.rule,
                count: 1,
                first: d.range.start,
            }),
        }
        false
    });
    diagnostics.shrink_to_fit();
}

/// A fact placed in the document: absolute range, and the block it came from.
#[derive(Debug, Clone)]
pub struct DocFact<'a> {
    pub block: usize,
    pub fact: &'a Fact,
    /// Absolute byte range in the document.
    pub range: Range<usize>,
}

/// The document pass's view.
pub struct DocumentInput<'a> {
    pub doc: &'a Document,
    /// This checker's facts, in document order.
    pub facts: &'a [DocFact<'a>],
    /// For each block, an index into `active_sets`.
    pub block_active: &'a [usize],
    /// Distinct `active` tables, as in [`BlockInput::active`].
    pub active_sets: &'a [Vec<bool>],
}

impl DocumentInput<'_> {
    /// Whether `rule` applies to block `block` (scope filtering).
    pub fn is_active(&self, block: usize, rule: RuleIdx) -> bool {
        self.block_active
            .get(block)
            .and_then(|&a| self.active_sets[a].get(rule.get()))
            .copied()
            .unwrap_or(false)
    }

    /// The masked text of block `i`.
    pub fn block_text(&self, i: usize) -> &str {
        &self.doc.blocks()[i].text
    }
}

/// The finding of a rule whose regex, built on first use, could not be built: it says so
/// at the start of each block it would have searched, as an error, rather than find
/// nothing in silence.
pub fn broken_regex(rule: RuleIdx, why: &str) -> Diagnostic {
    Diagnostic::new(
        rule,
        0..0,
        format!("This rule's regex could not be built, so the rule checks nothing: {why}"),
    )
    .with_severity(Severity::Error)
}

/// A compiled group of rules of one kind.
pub trait Checker: Send + Sync {
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput);

    /// Document-wide checks over the facts of every block. Offsets are absolute.
    fn check_document(&self, _input: &DocumentInput<'_>, _out: &mut Vec<Diagnostic>) {}

    /// The literal-term sets this checker searches blocks with: the engine makes the
    /// sets of all checkers search each block in one pass ([`matcher::share`]).
    fn term_sets(&mut self) -> Vec<&mut matcher::TermSet> {
        Vec::new()
    }
}

/// A compile error in one rule, located by its option key path (`terms[3].pattern`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub rule: RuleIdx,
    /// Dotted path of the offending option, if known.
    pub key: Option<String>,
    pub message: String,
}

impl RuleError {
    pub fn new(rule: RuleIdx, key: impl Into<Option<String>>, message: impl Into<String>) -> RuleError {
        RuleError {
            rule,
            key: key.into(),
            message: message.into(),
        }
    }
}

/// The code behind a `kind = "…"`.
pub trait RuleKind {
    const NAME: &'static str;
    /// What the kind checks, why, an example and its fix: printed by `copydesk explain`.
    const DOC: &'static str;
    type Options: DeserializeOwned + schemars::JsonSchema;

    fn compile(rules: Vec<RuleInput<Self::Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>>;
}

/// A rule before its options are parsed: what the pack loader produces.
#[derive(Debug, Clone)]
pub struct RawRule {
    pub meta: RuleMeta,
    pub options: toml::Table,
}

/// A rule with its index and raw options, as grouped for compiling.
pub type RawGroupEntry = (RuleIdx, Arc<RuleMeta>, toml::Table);
/// Where a bad option is and what is wrong with it.
pub type OptionError = (Option<String>, String);
type CompileFn = fn(Vec<RawGroupEntry>) -> Result<Box<dyn Checker>, Vec<RuleError>>;

/// A registered kind.
pub struct KindEntry {
    pub name: &'static str,
    pub doc: &'static str,
    pub compile: CompileFn,
    /// Parses options without compiling, for load-time errors.
    pub validate: fn(toml::Table) -> Result<(), OptionError>,
    pub schema: fn() -> schemars::Schema,
}

fn compile_kind<K: RuleKind>(rules: Vec<RawGroupEntry>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut inputs = Vec::with_capacity(rules.len());
    for (idx, meta, table) in rules {
        match parse_options::<K::Options>(table) {
            Ok(options) => inputs.push(RuleInput { idx, meta, options }),
            Err((key, message)) => errors.push(RuleError::new(idx, key, message)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    K::compile(inputs)
}

/// Parses kind options from a TOML table, reporting the path of the key at fault.
pub fn parse_options<O: DeserializeOwned>(table: toml::Table) -> Result<O, OptionError> {
    let value = toml::Value::Table(table);
    serde_path_to_error::deserialize::<_, O>(value).map_err(|e| {
        let mut path = e.path().to_string();
        if path == "." {
            path.clear();
        }
        let message = e.into_inner().to_string();
        // The deserializer appends where it was (`\nin `checks`\n`); the path says it better.
        let message = match message.find("\nin `") {
            Some(i) => message[..i].to_string(),
            None => message.trim_end().to_string(),
        };
        // A map key that is none of an enum's variants (`messages = { typo = … }`): serde
        // names no key there (`?`), but the variant it quotes is the key.
        if let (Some(stem), Some(rest)) = (path.strip_suffix('?'), message.strip_prefix("unknown variant `")) {
            if let Some(end) = rest.find('`') {
                path = format!("{stem}{}", &rest[..end]);
            }
        }
        // Point at the unknown key itself rather than at its table.
        if let Some(rest) = message.strip_prefix("unknown field `") {
            if let Some(end) = rest.find('`') {
                let field = &rest[..end];
                if path != field && !path.ends_with(&format!(".{field}")) {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(field);
                }
            }
        }
        ((!path.is_empty()).then_some(path), message)
    })
}

const fn entry<K: RuleKind>() -> KindEntry {
    KindEntry {
        name: K::NAME,
        doc: K::DOC,
        compile: compile_kind::<K>,
        validate: |t| parse_options::<K::Options>(t).map(|_| ()),
        schema: || schemars::schema_for!(K::Options),
    }
}

/// Every kind, by name. Names are never reused for a different meaning.
pub static KINDS: &[KindEntry] = &[
    entry::<substitution::Substitution>(),
    entry::<existence::Existence>(),
    entry::<abbreviation::Abbreviation>(),
    entry::<consistency::Consistency>(),
    entry::<quotes::Quotes>(),
    entry::<capitalization::Capitalization>(),
    entry::<typography::Typography>(),
    entry::<pattern::Pattern>(),
    entry::<unicode::Unicode>(),
    entry::<tone_placement::TonePlacement>(),
    entry::<numbers_dates::NumbersDates>(),
    entry::<sentence::Sentence>(),
    entry::<syllable::SyllableKind>(),
];

pub fn kind(name: &str) -> Option<&'static KindEntry> {
    KINDS.iter().find(|k| k.name == name)
}

pub fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
}

/// Groups rules by kind, compiles each group, and returns the checkers.
pub fn compile_all(
    rules: &[Arc<RuleMeta>],
    options: Vec<toml::Table>,
) -> Result<Vec<Box<dyn Checker>>, Vec<RuleError>> {
    let mut groups: HashMap<&'static str, Vec<RawGroupEntry>> = HashMap::new();
    for (i, (meta, opts)) in rules.iter().zip(options).enumerate() {
        groups
            .entry(meta.kind)
            .or_default()
            .push((RuleIdx(i as u32), meta.clone(), opts));
    }
    let mut checkers = Vec::new();
    let mut errors = Vec::new();
    for k in KINDS {
        if let Some(group) = groups.remove(k.name) {
            match (k.compile)(group) {
                Ok(c) => checkers.push(c),
                Err(e) => errors.extend(e),
            }
        }
    }
    if errors.is_empty() {
        matcher::share(checkers.iter_mut().flat_map(|c| c.term_sets()));
        Ok(checkers)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capping_while_collecting_keeps_what_one_cap_at_the_end_keeps() {
        // Three rules, findings out of order, ties at the same start, far over the cap.
        let mut all = Vec::new();
        let mut x: u64 = 7;
        for i in 0..9_000u32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let start = (x >> 40) as usize % 5_000;
            let rule = RuleIdx((x >> 20) as u32 % 3);
            all.push(Diagnostic::new(rule, start..start + 1 + i as usize % 3, format!("{i}")));
        }
        let mut findings = Findings::default();
        findings.extend(all.iter().cloned());
        assert!(findings.len() < all.len(), "compacted while collecting");
        let mut dropped = findings.finish(&[true, true, false]);
        let kept = findings.into_vec();

        let mut expected = all;
        expected.retain(|d| d.rule.get() < 2);
        let mut expected_dropped = Vec::new();
        cap(&mut expected, &mut expected_dropped);
        let mut kept_sorted = kept.clone();
        kept_sorted.sort_by_key(|d| d.range.start);
        assert_eq!(kept_sorted, expected);
        dropped.sort_by_key(|x| x.rule);
        expected_dropped.sort_by_key(|x| x.rule);
        assert_eq!(dropped, expected_dropped);
        assert_eq!(kept.len(), 2 * MAX_FINDINGS_PER_RULE);
    }

    #[test]
    fn templates_fill_known_placeholders() {
        assert_eq!(
            render_template("“{found}” → “{expected}” {x}", &[("found", "a"), ("expected", "b")]),
            "“a” → “b” {x}"
        );
    }
}
