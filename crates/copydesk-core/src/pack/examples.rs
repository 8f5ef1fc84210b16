//! Running the `examples` inside rule files: tests anyone can write without Rust.

use crate::diagnostic::RuleIdx;
use crate::document::{Document, Format};
use crate::engine::Engine;
use crate::fix::fix_to_fixpoint_with;
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

/// Runs every example of every rule of `engine` that `filter` accepts.
pub fn run_examples(engine: &Engine, filter: &dyn Fn(RuleIdx) -> bool) -> ExampleReport {
    // Each rule's examples test that rule: another rule that reports the same problem
    // must not take its finding away.
    crate::engine::each_rule_apart(|| run_examples_apart(engine, filter))
}

fn run_examples_apart(engine: &Engine, filter: &dyn Fn(RuleIdx) -> bool) -> ExampleReport {
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
            let found: Vec<_> = engine.check(&doc).into_iter().filter(|d| d.rule == idx).collect();
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
                let outcome = fix_to_fixpoint_with(
                    engine,
                    &ex.text,
                    doc.format(),
                    &|t, _| example_doc(&t, format),
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
