//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations
//! on the pull request (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::…`).
//!
//! Errors become `::error`, warnings `::warning`, info and hints `::notice`. Escaping is
//! GitHub's: `%`, CR and LF in the message; those and `:` and `,` in property values.

use std::io::{self, Write};

use super::{rule_id, span};
use crate::cli::report::Report;
use crate::diagnostic::Severity;

/// Escapes a message (the part after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
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
    for e in &report.errors {
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
    }
}
