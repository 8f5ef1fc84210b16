//! Output formats of `check`. Each format is one module with a `write` function over the
//! whole [`Report`]; positions are converted here, at the edge, from byte offsets.
//!
//! Every format reports the same findings. Lines are one-based everywhere; columns are
//! one-based characters (Unicode scalar values, so an NFD letter with its combining mark
//! counts as two) except in `rdjson`, whose format defines columns in UTF-8 bytes. End
//! positions are exclusive.

pub mod checkstyle;
pub mod concise;
pub mod fixes;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
pub mod stats;
pub mod xml;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use super::files::Input;
use super::report::{FileReport, Report};
use super::{CheckArgs, OutputFormat};
use crate::diagnostic::Diagnostic;
use crate::engine::Engine;
use crate::rules::RuleMeta;

pub fn render(args: &CheckArgs, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // `--fix` on standard input prints the fixed text, like a filter.
    if args.fix && !args.diff {
        if let Some(f) = report.files.iter().find(|f| matches!(f.input, Input::Stdin(_))) {
            if f.had_bom {
                out.write_all(super::files::BOM.as_bytes())?;
            }
            out.write_all(f.text.as_bytes())?;
            for e in &report.errors {
                eprintln!("error: {e}");
            }
            return Ok(());
        }
    }
    if args.diff {
        human::write_diffs(report, out)?;
    }
    if args.statistics {
        stats::write(args, report, out)?;
    } else {
        match args.format {
            OutputFormat::Human => human::write(args, report, out)?,
            OutputFormat::Concise => concise::write(args, report, out)?,
            OutputFormat::Json => json::write(report, out)?,
            OutputFormat::JsonLines => json::write_lines(report, out)?,
            OutputFormat::Sarif => sarif::write(report, out)?,
            OutputFormat::Github => github::write(report, out)?,
            OutputFormat::Gitlab => gitlab::write(report, out)?,
            OutputFormat::Checkstyle => checkstyle::write(report, out)?,
            OutputFormat::Junit => junit::write(report, out)?,
            OutputFormat::Rdjson => rdjson::write(report, out)?,
        }
    }
    if args.show_fixes {
        // Formats read by machines keep standard output to themselves.
        if matches!(args.format, OutputFormat::Human | OutputFormat::Concise) {
            fixes::write(args, report, out)?;
        } else {
            fixes::write(args, report, &mut io::stderr())?;
        }
    }
    Ok(())
}

/// Counts used by summaries.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub diagnostics: usize,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub hints: usize,
    /// Diagnostics that `--fix` can fix.
    pub fixable: usize,
    /// Fixes applied by `--fix`/`--diff`.
    pub fixed: usize,
    /// Findings hidden because the `--baseline` records them.
    pub baselined: usize,
}

pub fn summarize(report: &Report) -> Summary {
    use crate::diagnostic::Severity;
    let mut s = Summary {
        files: report.files.len(),
        baselined: report.baselined,
        ..Summary::default()
    };
    for f in &report.files {
        s.fixed += f.fixes_applied;
        for d in &f.diagnostics {
            s.diagnostics += 1;
            match d.severity() {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.info += 1,
                Severity::Hint => s.hints += 1,
                Severity::Off => {}
            }
            if d.fixes.iter().any(|f| f.safe) {
                s.fixable += 1;
            }
        }
    }
    s
}

/// Every rule of every engine the report used, by `pack/id` (the first engine wins when
/// overrides gave a rule different settings in different folders).
pub fn rules_in_use(report: &Report) -> BTreeMap<String, &RuleMeta> {
    let mut seen: Vec<&Arc<Engine>> = Vec::new();
    let mut rules = BTreeMap::new();
    for f in &report.files {
        if seen.iter().any(|e| Arc::ptr_eq(e, &f.engine)) {
            continue;
        }
        seen.push(&f.engine);
        for r in f.engine.rules() {
            rules.entry(r.full_id()).or_insert(&**r);
        }
    }
    rules
}

/// A fix's edits as one replacement: from the first edit's start to the last edit's end,
/// keeping the original text between edits. `None` when the fix has no edits or its
/// edits overlap.
pub fn merged_edit(file: &FileReport, fix: &crate::diagnostic::Fix) -> Option<(std::ops::Range<usize>, String)> {
    let mut edits: Vec<_> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let start = edits.first()?.range.start;
    let end = edits.iter().map(|e| e.range.end).max()?;
    let mut text = String::new();
    let mut pos = start;
    for e in edits {
        if e.range.start < pos {
            return None;
        }
        text.push_str(file.text.get(pos..e.range.start)?);
        text.push_str(&e.replacement);
        pos = e.range.end;
    }
    text.push_str(file.text.get(pos..end)?);
    Some((start..end, text))
}

/// `pack/id` of a diagnostic's rule.
pub fn rule_id(file: &FileReport, d: &Diagnostic) -> String {
    file.engine.rule(d.rule).full_id()
}

/// One-based (line, column) in characters, and the same for the (exclusive) end.
pub fn span(file: &FileReport, range: &std::ops::Range<usize>) -> ((usize, usize), (usize, usize)) {
    (file.lines.human(range.start), file.lines.human(range.end))
}
