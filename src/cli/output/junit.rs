//! `--format junit`: JUnit XML for CI test reports. One test case per checked file, a
//! `<failure>` per finding (a passing test case when the file is clean), and an
//! `<error>` test case for each file that could not be checked.

use std::io::{self, Write};

use super::concise::one_line;
use super::rule_id;
use super::xml::{attr, text};
use crate::cli::report::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let tests = report.files.len() + report.errors.len();
    let failures = report.files.iter().filter(|f| !f.diagnostics.is_empty()).count();
    let errors = report.errors.len();
    let counts = format!(r#"tests="{tests}" failures="{failures}" errors="{errors}""#);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="copydesk" {counts}>"#)?;
    writeln!(out, r#"  <testsuite name="copydesk" {counts} skipped="0">"#)?;
    for f in &report.files {
        let name = attr(&f.display);
        if f.diagnostics.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="{name}" classname="copydesk" file="{name}"/>"#
            )?;
            continue;
        }
        writeln!(
            out,
            r#"    <testcase name="{name}" classname="copydesk" file="{name}">"#
        )?;
        for d in &f.diagnostics {
            let (line, col) = f.lines.human(d.range.start);
            let rule = rule_id(f, d);
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                attr(&format!("{rule}: {}", d.message)),
                d.severity(),
                text(&format!(
                    "{}:{line}:{col}: {}[{rule}] {}",
                    f.display,
                    d.severity(),
                    one_line(&d.message)
                ))
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    for e in &report.errors {
        let name = attr(&e.path);
        writeln!(
            out,
            r#"    <testcase name="{name}" classname="copydesk" file="{name}">"#
        )?;
        writeln!(
            out,
            r#"      <error message="{}" type="error">{}</error>"#,
            attr(&e.message),
            text(&e.to_string())
        )?;
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}
