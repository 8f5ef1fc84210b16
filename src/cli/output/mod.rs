//! Output formats of `check`. Each format is one module with a `write` function over the
//! whole [`Report`]; positions are converted here, at the edge, from byte offsets.

pub mod human;
pub mod json;

use std::io::{self, Write};

use super::check::Report;
use super::files::Input;
use super::{CheckArgs, OutputFormat};

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
    match args.format {
        OutputFormat::Human => human::write(args, report, out),
        OutputFormat::Json => json::write(report, out),
    }
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
}

pub fn summarize(report: &Report) -> Summary {
    use crate::diagnostic::Severity;
    let mut s = Summary {
        files: report.files.len(),
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
