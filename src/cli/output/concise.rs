//! `--format concise`: `path:line:col: severity[rule] message`, one finding a line, for
//! grep and editors' quickfix lists. A newline in a message is written as `\n`.

use std::io::{self, Write};

use super::{escape_controls, human::summary_text, rule_id, Summary};
use crate::cli::report::{Report, RunError};
use crate::cli::CheckArgs;

/// A message on one line: `\`, CR and LF written as `\\`, `\r`, `\n`; other control
/// characters as their pictures ([`escape_controls`]).
pub fn one_line(message: &str) -> String {
    let mut s = String::with_capacity(message.len());
    for c in escape_controls(message).chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            c => s.push(c),
        }
    }
    s
}

pub fn write(args: &CheckArgs, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_files(report, out)?;
    write_end(args, &report.errors, &super::summarize(report), out)
}

/// One line a finding, for `report`'s files (a window of them when streamed).
pub fn write_files(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.files {
        for d in &f.diagnostics {
            let (line, col) = f.lines.human(d.range.start);
            writeln!(
                out,
                "{}:{line}:{col}: {}[{}] {}",
                escape_controls(&f.display),
                d.severity(),
                rule_id(f, d),
                one_line(&d.message)
            )?;
        }
    }
    Ok(())
}

/// The files that could not be checked, and the summary line.
pub fn write_end(args: &CheckArgs, errors: &[RunError], s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    for e in errors {
        let at = if e.line > 0 {
            format!("{}:{}:{}", escape_controls(&e.path), e.line, e.column)
        } else {
            escape_controls(&e.path).into_owned()
        };
        writeln!(out, "{at}: error[copydesk] {}", one_line(&e.message))?;
    }
    if !args.quiet {
        writeln!(out, "{}", summary_text(args, s, errors.len()))?;
    }
    Ok(())
}
