//! Helpers that make a kind test one line: build an engine from a rule-file snippet and
//! check or fix a text with it. Used by unit tests of every kind.

pub mod corpus;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::engine::Engine;
use crate::fix::fix_to_fixpoint;
use crate::pack::{load_files, SourceFile};
use crate::project::build_engine;

/// An engine from the text of one rule file. Panics with the load errors.
pub fn engine(rule_file: &str) -> Engine {
    let pack = load_files("test", "test", vec![SourceFile::new("test.toml", rule_file)])
        .unwrap_or_else(|e| panic!("rule file does not load: {e:#?}"));
    build_engine(&[pack], None, &[], None).unwrap_or_else(|e| panic!("rules do not compile: {e:#?}"))
}

/// A finding, flattened for assertions: the text it covers, its message, and the text
/// its first fix would put there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub rule: String,
    pub found: String,
    pub message: String,
    pub fix: Option<String>,
}

/// Checks `text` as plain body text (no headline).
pub fn check(engine: &Engine, text: &str) -> Vec<Found> {
    flatten(engine, text, engine.check(&Document::plain_body(text)))
}

/// Checks `text` as plain text whose first line is the headline.
pub fn check_with_headline(engine: &Engine, text: &str) -> Vec<Found> {
    flatten(engine, text, engine.check(&Document::plain(text)))
}

/// Checks `text` as Markdown.
pub fn check_markdown(engine: &Engine, text: &str) -> Vec<Found> {
    flatten(engine, text, engine.check(&Document::markdown(text)))
}

fn flatten(engine: &Engine, text: &str, diagnostics: Vec<Diagnostic>) -> Vec<Found> {
    diagnostics
        .into_iter()
        .map(|d| Found {
            rule: engine.rule(d.rule).id.clone(),
            found: text[d.range.clone()].to_string(),
            message: d.message.clone(),
            fix: fixed_span(text, &d, false),
        })
        .collect()
}

/// The text over `d`'s range (widened to its edits) after its first fix, or its first
/// safe fix with `safe_only`: what a test compares with the expected correction.
pub fn fixed_span(text: &str, d: &Diagnostic, safe_only: bool) -> Option<String> {
    let fix = d.fixes.iter().find(|f| f.safe || !safe_only)?;
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| e.range.start);
    let lo = edits
        .first()
        .map_or(d.range.start, |e| e.range.start)
        .min(d.range.start);
    let hi = edits.last().map_or(d.range.end, |e| e.range.end).max(d.range.end);
    let shifted: Vec<_> = edits
        .iter()
        .map(|e| crate::diagnostic::Edit::new(e.range.start - lo..e.range.end - lo, e.replacement.clone()))
        .collect();
    Some(crate::fix::apply_edits(&text[lo..hi], &shifted))
}

/// Applies every fix, safe or unsafe, to a fixpoint (`--fix --unsafe-fixes`); `text` is
/// plain body text.
pub fn fix_all(engine: &Engine, text: &str) -> String {
    crate::fix::fix_to_fixpoint_with(
        engine,
        text,
        crate::document::Format::Plain,
        &|t, _| Document::plain_body(t),
        &|_| true,
        false,
    )
    .text
}

/// Applies every safe fix to a fixpoint; `text` is plain body text.
pub fn fix(engine: &Engine, text: &str) -> String {
    fix_to_fixpoint(
        engine,
        text,
        crate::document::Format::Plain,
        &|t, _| Document::plain_body(t),
        &|_| true,
    )
    .text
}
