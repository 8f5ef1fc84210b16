//! Running the `examples` inside rule files: tests anyone can write without Rust.

use crate::diagnostic::RuleIdx;
use crate::document::{Document, Format};
use crate::engine::{Engine, Merge};
use crate::fix::fix_to_fixpoint_checking;
use crate::pack::error::line_col;
use crate::pack::locate;
use crate::rules::RuleMeta;

/// A failed example, located in its rule file.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    /// `pack/id`
    pub rule: String,
    pub index: usize,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub text: String,
    pub problem: String,
}

#[derive(Debug, Clone, Default)]
pub struct ExampleReport {
    pub passed: usize,
    pub failures: Vec<ExampleFailure>,
}

fn example_doc(text: &str, ex: ExampleFormat) -> Document {
    let ExampleFormat {
        markdown,
        html,
        headline,
    } = ex;
    if html {
        Document::new(text, Format::Html)
    } else if markdown {
        Document::markdown(text)
    } else if headline {
        Document::plain(text)
    } else {
        Document::plain_body(text)
    }
}

#[derive(Clone, Copy)]
struct ExampleFormat {
    markdown: bool,
    html: bool,
    headline: bool,
}

/// Runs every example of every rule of `engine` that `filter` accepts. Each rule's
/// examples test that rule: the checks run with [`Merge::EachRuleApart`], so another rule
/// that reports the same problem does not take its finding away.
pub fn run_examples(engine: &Engine, filter: &dyn Fn(RuleIdx) -> bool) -> ExampleReport {
    let check = |doc: &Document| engine.check_merging(doc, Merge::EachRuleApart);
    let mut report = ExampleReport::default();
    for (i, meta) in engine.rules().iter().enumerate() {
        let idx = RuleIdx(i as u32);
        if !filter(idx) {
            continue;
        }
        for (n, ex) in meta.examples.iter().enumerate() {
            let format = ExampleFormat {
                markdown: ex.markdown,
                html: ex.html,
                headline: ex.headline,
            };
            let doc = example_doc(&ex.text, format);
            if let Some(e) = doc.error() {
                report.failures.push(failure(
                    meta,
                    n,
                    &ex.text,
                    format!("the HTML cannot be read: {}", e.message),
                ));
                continue;
            }
            let found: Vec<_> = check(&doc).into_iter().filter(|d| d.rule == idx).collect();
            let mut problems = Vec::new();
            if found.len() != ex.expect {
                let detail: Vec<String> = found
                    .iter()
                    .map(|d| {
                        format!(
                            "    {}..{} “{}”: {}",
                            d.range.start,
                            d.range.end,
                            &ex.text[d.range.clone()],
                            d.message
                        )
                    })
                    .collect();
                problems.push(format!(
                    "expected {} diagnostic(s), found {}{}{}",
                    ex.expect,
                    found.len(),
                    if detail.is_empty() { "" } else { ":\n" },
                    detail.join("\n")
                ));
            }
            if let Some(fixed) = &ex.fixed {
                let outcome = fix_to_fixpoint_checking(
                    &ex.text,
                    doc.format(),
                    &|t, _| example_doc(&t, format),
                    &mut |d| check(d),
                    &|d| d.rule == idx,
                    !ex.unsafe_fixes,
                );
                if &outcome.text != fixed {
                    problems.push(format!(
                        "after fixes:\n    expected: {fixed:?}\n    found:    {:?}",
                        outcome.text
                    ));
                }
            }
            if problems.is_empty() {
                report.passed += 1;
            } else {
                report.failures.push(failure(meta, n, &ex.text, problems.join("\n  ")));
            }
        }
    }
    report
}

/// A failed example, located at `examples[n]` of its rule in the rule file.
fn failure(meta: &RuleMeta, n: usize, text: &str, problem: String) -> ExampleFailure {
    let src = &meta.source;
    let (line, column) = locate::rule_key_span(&src.text, src.index, &format!("examples[{n}]"))
        .map(|s| line_col(&src.text, s.start))
        .unwrap_or((0, 0));
    ExampleFailure {
        rule: meta.full_id(),
        index: n,
        file: src.file.clone(),
        line,
        column,
        text: text.to_string(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::testing;

    /// A rule shipped off by default (`sentence.length`) is one a newsroom turns on: its
    /// examples are tests too, though an engine drops off rules. Every rule of the default
    /// profile runs here at its own severity or, when off, at `info`.
    #[test]
    fn every_builtin_rule_passes_its_examples_off_by_default_ones_included() {
        let pack = crate::pack::load_builtin("vi-news").expect("vi-news loads");
        let default_profile = pack.profiles.first().cloned().unwrap_or_default();
        let mut turned_on = Vec::new();
        let raws: Vec<_> = pack
            .rules
            .iter()
            .filter(|r| r.profiles.is_empty() || r.profiles.contains(&default_profile))
            .map(|r| {
                let mut raw = r.raw.clone();
                if raw.meta.severity == Severity::Off {
                    raw.meta.severity = Severity::Info;
                    turned_on.push(raw.meta.id.clone());
                }
                raw
            })
            .collect();
        assert!(turned_on.iter().any(|id| id == "sentence.length"), "{turned_on:?}");
        let engine = Engine::new(raws).expect("vi-news compiles");
        let ids: Vec<RuleIdx> = turned_on.iter().filter_map(|id| engine.find_rule(id)).collect();
        let report = run_examples(&engine, &|idx| ids.contains(&idx));
        assert!(report.failures.is_empty(), "{:#?}", report.failures);
        assert!(report.passed >= 5, "{}", report.passed);
    }

    #[test]
    fn a_rule_whose_finding_a_neighbour_restates_still_passes_its_examples() {
        // `confusions` (a warning) and `real-word` (info) fix `nổ lực` the same way: a
        // check keeps only the warning, but `real-word`'s example tests `real-word` alone,
        // its finding and its fix.
        let rules = "[[rule]]\nid = \"confusions\"\nkind = \"substitution\"\nmessage = \"{found}\"\n\
                     terms = [{ wrong = \"nổ lực\", right = \"nỗ lực\" }]\n\
                     [[rule]]\nid = \"real-word\"\nkind = \"pattern\"\nseverity = \"info\"\nmessage = \"{found}\"\n\
                     pattern = 'nổ'\nreplacement = \"nỗ\"\n\
                     examples = [{ text = \"Đội đã nổ lực.\", expect = 1, fixed = \"Đội đã nỗ lực.\" }]\n";
        let engine = testing::engine(rules);
        let merged = engine.check(&Document::plain_body("Đội đã nổ lực."));
        assert_eq!(merged.len(), 1, "{merged:?}");
        let report = run_examples(&engine, &|_| true);
        assert!(report.failures.is_empty(), "{:#?}", report.failures);
        assert_eq!(report.passed, 1);
    }
}
