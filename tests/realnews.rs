//! Regression cases judged on real published news (Dân trí 2020-21, baomoi.com 2017, and the third
//! corpus of round 68 on; see `bench/realnews/`).
//!
//! `tests/realnews/cases.toml` holds one `[[case]]` per judged finding: a snippet of at most 25
//! words from the article (the sentence around the finding), the rule, the verdict, and for
//! FALSE and DEBATABLE cases a reason. Each snippet is checked with the built-in pack and the
//! default profile, as plain text without a headline (unless `headline = true`):
//!
//! - `TRUE`: the rule still reports a finding that overlaps `found` (or anywhere when `found`
//!   is absent);
//! - `FALSE` and `DEBATABLE` (a house choice the article applies consistently, silent in the
//!   consistency-first default): the rule reports nothing that overlaps `found`;
//! - `safe_fix = false`: any finding of the rule there has no safe fix (the judged fix was
//!   HARMFUL);
//! - `not_after = "…"`: this text does not appear once every safe fix is applied (`--fix`).
//! - `unsafe_not_after = "…"`: this text does not appear once every fix of the rule, unsafe
//!   ones too, is applied (`--fix --unsafe-fixes`): what a HARMFUL unsafe fix wrote.
//!
//! A case that today's code gets wrong carries `pending = "why"`; the test then asserts that it
//! still fails, so whoever fixes it must drop the mark. Run with
//! `cargo test --test realnews -- --nocapture` for the tally.

use std::path::Path;
use std::sync::Arc;

use copydesk::document::{Document, Format};
use copydesk::engine::Engine;
use copydesk::fix::{fix_to_fixpoint, fix_to_fixpoint_with};
use copydesk::project::Project;
use copydesk::Diagnostic;
use serde::Deserialize;

const MAX_WORDS: usize = 25;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Rule id without the pack (`typography.repeated-word`).
    rule: String,
    /// `TRUE`, `FALSE` or `DEBATABLE`.
    verdict: String,
    /// The snippet, at most 25 words, as published.
    text: String,
    /// The text the judged finding covered (first occurrence in `text`).
    #[serde(default)]
    found: Option<String>,
    /// Why the finding is wrong (FALSE, DEBATABLE) or the fix harmful.
    #[serde(default)]
    reason: Option<String>,
    /// Check the snippet as a document whose first line is the headline.
    #[serde(default)]
    headline: bool,
    /// `false`: a finding of the rule at `found` must not carry a safe fix.
    #[serde(default)]
    safe_fix: Option<bool>,
    /// Text that must not appear after every safe fix is applied (what a HARMFUL fix wrote).
    #[serde(default)]
    not_after: Option<String>,
    /// Text that must not appear after every fix of the rule, unsafe ones too, is applied
    /// (what a HARMFUL unsafe fix wrote: an editor clicking it breaks the text).
    #[serde(default)]
    unsafe_not_after: Option<String>,
    /// Why today's code still gets this case wrong; the test asserts that it does.
    #[serde(default)]
    pending: Option<String>,
    /// Corpus article the snippet comes from (`news_sport_128`).
    #[serde(default)]
    source: Option<String>,
}

fn load_cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realnews/cases.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let cases: Cases = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    cases.case
}

fn engine() -> Arc<Engine> {
    Project::load(None, None)
        .unwrap_or_else(|e| panic!("the default pack does not load: {e:#?}"))
        .engine()
}

/// The case's outcome today: `Ok(())` when the build does what the verdict asks.
fn run(engine: &Engine, case: &Case) -> Result<(), String> {
    let doc = if case.headline {
        Document::new(case.text.clone(), Format::Plain)
    } else {
        Document::plain_body(case.text.clone())
    };
    let span = match &case.found {
        Some(f) => {
            let start = case.text.find(f.as_str()).expect("checked by validate");
            start..start + f.len()
        }
        None => 0..case.text.len(),
    };
    let diags = engine.check(&doc);
    let hits: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| {
            let meta = engine.rule(d.rule);
            meta.id == case.rule
                && d.range.start < span.end.max(span.start + 1)
                && span.start < d.range.end.max(d.range.start + 1)
        })
        .collect();
    let describe = |hits: &[&Diagnostic]| {
        hits.iter()
            .map(|d| format!("{:?} “{}”: {}", d.range, &case.text[d.range.clone()], d.message))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match case.verdict.as_str() {
        "TRUE" if hits.is_empty() => return Err("no finding (a TRUE case must be found)".into()),
        "FALSE" | "DEBATABLE" if !hits.is_empty() => {
            return Err(format!("still reported: {}", describe(&hits)));
        }
        _ => {}
    }
    let make_doc: &dyn Fn(String, Format) -> Document = if case.headline {
        &|t, f| Document::new(t, f)
    } else {
        &|t, _| Document::plain_body(t)
    };
    if let Some(bad) = &case.not_after {
        let fixed = fix_to_fixpoint(engine, &case.text, Format::Plain, make_doc, &|_| true).text;
        if fixed.contains(bad.as_str()) {
            return Err(format!("`--fix` writes “{bad}”: {fixed}"));
        }
    }
    if let Some(bad) = &case.unsafe_not_after {
        let of_rule = |d: &Diagnostic| engine.rule(d.rule).id == case.rule;
        let fixed = fix_to_fixpoint_with(engine, &case.text, Format::Plain, make_doc, &of_rule, false).text;
        if fixed.contains(bad.as_str()) {
            return Err(format!("`--fix --unsafe-fixes` writes “{bad}”: {fixed}"));
        }
    }
    if case.safe_fix == Some(false) {
        let safe: Vec<&Diagnostic> = hits
            .iter()
            .copied()
            .filter(|d| d.fixes.iter().any(|f| f.safe))
            .collect();
        if !safe.is_empty() {
            return Err(format!("a safe fix is still offered: {}", describe(&safe)));
        }
    }
    Ok(())
}

/// Problems with the case itself (not with the build).
fn validate(engine: &Engine, case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    let words = case.text.split_whitespace().count();
    if words > MAX_WORDS {
        out.push(format!("{words} words (at most {MAX_WORDS})"));
    }
    if !matches!(case.verdict.as_str(), "TRUE" | "FALSE" | "DEBATABLE") {
        out.push(format!("verdict “{}” is not TRUE, FALSE or DEBATABLE", case.verdict));
    }
    if case.verdict != "TRUE" && case.reason.as_deref().is_none_or(str::is_empty) {
        out.push("a FALSE or DEBATABLE case needs a reason".into());
    }
    if let Some(f) = &case.found {
        if f.is_empty() || !case.text.contains(f.as_str()) {
            out.push(format!("found “{f}” is not in the text"));
        }
    }
    if engine.find_rule(&case.rule).is_none() && !(case.verdict != "TRUE" && rule_is_off_by_default(&case.rule)) {
        out.push(format!("no rule “{}” in the built-in pack", case.rule));
    }
    if case.pending.as_deref() == Some("") {
        out.push("pending needs a reason".into());
    }
    out
}

/// A rule the built-in pack defines but switches off in the default profile: a FALSE or
/// DEBATABLE case of it holds trivially, and stays as a guard should the rule come back on.
fn rule_is_off_by_default(rule: &str) -> bool {
    let needle = format!("id = \"{rule}\"");
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/vi-news"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| std::fs::read_to_string(entry.path()).is_ok_and(|text| text.contains(&needle)))
}

fn label(n: usize, case: &Case) -> String {
    let snippet: String = case.text.chars().take(70).collect();
    format!(
        "case {n} [{} {}{}] {}",
        case.rule,
        case.verdict,
        case.source.as_deref().map(|s| format!(" {s}")).unwrap_or_default(),
        snippet
    )
}

#[test]
fn realnews_cases() {
    let engine = engine();
    let cases = load_cases();
    assert!(!cases.is_empty(), "no cases");
    let mut errors = Vec::new();
    let (mut passing, mut pending) = (0, 0);
    for (n, case) in cases.iter().enumerate() {
        let n = n + 1;
        let problems = validate(&engine, case);
        if !problems.is_empty() {
            errors.push(format!("{}: bad case: {}", label(n, case), problems.join("; ")));
            continue;
        }
        match (run(&engine, case), &case.pending) {
            (Ok(()), None) => passing += 1,
            (Err(e), None) => errors.push(format!("{}: {e}", label(n, case))),
            (Err(e), Some(_)) => {
                pending += 1;
                println!("{}: pending: {e}", label(n, case));
            }
            (Ok(()), Some(why)) => errors.push(format!(
                "{}: passes now: remove `pending = \"{why}\"` from tests/realnews/cases.toml",
                label(n, case)
            )),
        }
    }
    println!(
        "realnews: {} cases, {passing} pass, {pending} pending, {} wrong",
        cases.len(),
        errors.len()
    );
    assert!(
        errors.is_empty(),
        "{} case(s) wrong:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// The checks of the harness itself: a case that must fail does fail.
#[test]
fn a_false_case_that_is_reported_fails() {
    let engine = engine();
    let case = Case {
        rule: "typography.punctuation".into(),
        verdict: "FALSE".into(),
        text: "Ông nói thế.Bà cũng vậy.".into(),
        found: None,
        reason: Some("test".into()),
        headline: false,
        safe_fix: None,
        not_after: None,
        unsafe_not_after: None,
        pending: None,
        source: None,
    };
    assert!(validate(&engine, &case).is_empty());
    assert!(
        run(&engine, &case).is_err(),
        "the missing space after “.” must be reported"
    );
    let true_case = Case {
        verdict: "TRUE".into(),
        ..case
    };
    assert!(run(&engine, &true_case).is_ok());
}

#[test]
fn bad_cases_are_refused() {
    let engine = engine();
    let case = Case {
        rule: "no.such-rule".into(),
        verdict: "MAYBE".into(),
        text: "một ".repeat(30),
        found: Some("không có".into()),
        reason: None,
        headline: false,
        safe_fix: None,
        not_after: None,
        unsafe_not_after: None,
        pending: Some(String::new()),
        source: None,
    };
    let problems = validate(&engine, &case);
    assert_eq!(problems.len(), 6, "{problems:?}");
}
