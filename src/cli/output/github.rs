//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations
//! on the pull request (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::…`).
//!
//! Errors become `::error`, warnings `::warning`, info and hints `::notice`. Escaping is
//! GitHub's: `%`, CR and LF in the message; those and `:` and `,` in property values.

use std::io::{self, Write};

use super::{escape_controls, rule_id, span};
use crate::cli::report::{Report, RunError};
use crate::diagnostic::Severity;

/// Escapes a message (the part after `::`). Other control characters, which GitHub would
/// pass to the log, become their pictures ([`escape_controls`]).
pub fn escape_data(s: &str) -> String {
    escape_controls(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint | Severity::Off => "notice",
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_files(report, out)?;
    write_end(&report.errors, out)
}

/// One workflow command a finding, for `report`'s files.
pub fn write_files(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.files {
        let file = escape_property(&f.display);
        for d in &f.diagnostics {
            let ((line, col), (end_line, end_col)) = span(f, &d.range);
            writeln!(
                out,
                "::{} file={file},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                command(d.severity()),
                escape_property(&rule_id(f, d)),
                escape_data(&d.message)
            )?;
        }
    }
    Ok(())
}

/// The files that could not be checked.
pub fn write_end(errors: &[RunError], out: &mut dyn Write) -> io::Result<()> {
    for e in errors {
        let at = if e.line > 0 {
            format!(",line={},col={}", e.line, e.column)
        } else {
            String::new()
        };
        writeln!(
            out,
            "::error file={}{at},title=copydesk::{}",
            escape_property(&e.path),
            escape_data(&e.message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_documents() {
        assert_eq!(escape_data("100%\r\nx: a,b"), "100%25%0D%0Ax: a,b");
        assert_eq!(escape_property("a,b:c%.md"), "a%2Cb%3Ac%25.md");
        assert_eq!(escape_data("a\u{1b}[2Jb"), "a\u{241b}[2Jb");
    }
}
