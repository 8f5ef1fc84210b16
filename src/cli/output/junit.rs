//! `--format junit`: JUnit XML for CI test reports. One test case per checked file, a
//! `<failure>` per finding (a passing test case when the file is clean), and an
//! `<error>` test case for each file that could not be checked.

use std::io::{self, Write};

use super::concise::one_line;
use super::rule_id;
use super::xml::{attr, text};
use crate::cli::report::{Report, RunError};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut cases = Vec::new();
    write_cases(report, &mut cases)?;
    let failures = report.files.iter().filter(|f| !f.diagnostics.is_empty()).count();
    write_suite(&cases, report.files.len(), failures, &report.errors, out)
}

/// The document around the test cases of the checked files (`files` of them, `failures`
/// with findings), with one case for each file that could not be checked.
pub fn write_suite(
    cases: &[u8],
    files: usize,
    failures: usize,
    errors: &[RunError],
    out: &mut dyn Write,
) -> io::Result<()> {
    let tests = files + errors.len();
    let n_errors = errors.len();
    let counts = format!(r#"tests="{tests}" failures="{failures}" errors="{n_errors}""#);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="copydesk" {counts}>"#)?;
    writeln!(out, r#"  <testsuite name="copydesk" {counts} skipped="0">"#)?;
    out.write_all(cases)?;
    for e in errors {
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

/// The test cases of `report`'s files (a window of them when the output is streamed).
pub fn write_cases(report: &Report, out: &mut dyn Write) -> io::Result<()> {
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
    Ok(())
}
