//! `--format checkstyle`: Checkstyle XML, read by Jenkins, reviewdog, many CI dashboards.
//! Every checked file is listed; severities are `error`, `warning` and `info` (hints).

use std::io::{self, Write};

use super::rule_id;
use super::xml::attr;
use crate::cli::report::Report;
use crate::diagnostic::Severity;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint | Severity::Off => "info",
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for f in &report.files {
        if f.diagnostics.is_empty() {
            writeln!(out, r#"  <file name="{}"/>"#, attr(&f.display))?;
            continue;
        }
        writeln!(out, r#"  <file name="{}">"#, attr(&f.display))?;
        for d in &f.diagnostics {
            let (line, col) = f.lines.human(d.range.start);
            writeln!(
                out,
                r#"    <error line="{line}" column="{col}" severity="{}" message="{}" source="{}"/>"#,
                severity(d.severity()),
                attr(&d.message),
                attr(&rule_id(f, d))
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    for e in &report.errors {
        writeln!(out, r#"  <file name="{}">"#, attr(&e.path))?;
        let at = if e.line > 0 {
            format!(r#"line="{}" column="{}" "#, e.line, e.column)
        } else {
            String::new()
        };
        writeln!(
            out,
            r#"    <error {at}severity="error" message="{}" source="copydesk"/>"#,
            attr(&e.message)
        )?;
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
