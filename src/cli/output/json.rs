//! `--format json`: one JSON document. The shape is documented in README.md
//! ("JSON output") and versioned by its `version` field.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::{summarize, Summary};
use crate::cli::report::{FileReport, Report, RunError};
use crate::diagnostic::Diagnostic;
use crate::document::docx::RunPlace;

/// A position: 1-based line and column (in characters), and the byte offset in the file
/// (in a Word document's checked text: one line per paragraph).
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct JsonPosition {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    /// In a Word document: the part, paragraph, run and character.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docx: Option<RunPlace>,
    /// Offsets in UTF-16 units and in characters: `copydesk serve` fills them, the CLI never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utf16: Option<usize>,
    #[serde(rename = "char", skip_serializing_if = "Option::is_none")]
    pub chars: Option<usize>,
}

// The texts borrow from the report they describe (`copydesk serve` answers thousands of
// checks a minute, and copying every message and fix into owned strings cost more than a
// cached check).
#[derive(Debug, Serialize)]
pub struct JsonEdit<'a> {
    pub start: JsonPosition,
    pub end: JsonPosition,
    pub replacement: Cow<'a, str>,
}

#[derive(Debug, Serialize)]
pub struct JsonFix<'a> {
    pub title: Cow<'a, str>,
    pub safe: bool,
    pub edits: Vec<JsonEdit<'a>>,
}

/// A finding. `F`, the form of its fixes, is [`JsonFix`] except in `copydesk serve`'s
/// `share_fixes` answers, where a fix several findings offer is an index into a table.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a, F = JsonFix<'a>> {
    pub file: Cow<'a, str>,
    /// `pack/id`
    pub rule: String,
    pub severity: &'static str,
    pub message: Cow<'a, str>,
    pub start: JsonPosition,
    pub end: JsonPosition,
    /// The text the diagnostic covers.
    pub found: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<Cow<'a, str>>,
    pub fixes: Vec<F>,
    /// Why the rule's fix cannot be written in this file (then `fixes` is empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_fixed: Option<Cow<'a, str>>,
}

impl<'a, F> JsonDiagnostic<'a, F> {
    /// The same finding with each fix in another form, in order.
    pub fn map_fixes<G>(self, f: impl FnMut(F) -> G) -> JsonDiagnostic<'a, G> {
        JsonDiagnostic {
            file: self.file,
            rule: self.rule,
            severity: self.severity,
            message: self.message,
            start: self.start,
            end: self.end,
            found: self.found,
            link: self.link,
            fixes: self.fixes.into_iter().map(f).collect(),
            not_fixed: self.not_fixed,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub errors: Vec<JsonError>,
    pub summary: Summary,
}

/// Where `offset` is, as the start of a range.
pub fn position(file: &FileReport, offset: usize) -> JsonPosition {
    position_at(file, offset, false)
}

/// Where `offset` is; `end` for the exclusive end of a range (in a Word document it
/// names the run of the character before it).
pub fn position_at(file: &FileReport, offset: usize, end: bool) -> JsonPosition {
    let (line, column) = file.lines.human(offset);
    let bom = if file.had_bom { 3 } else { 0 };
    JsonPosition {
        line,
        column,
        offset: offset + bom,
        docx: file.docx.as_ref().and_then(|m| m.locate(&file.text, offset, end)),
        utf16: None,
        chars: None,
    }
}

pub fn diagnostic<'a>(file: &'a FileReport, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    diagnostic_with(file, d, &mut |o, end| position_at(file, o, end))
}

/// As [`diagnostic`], with positions from `pos` (`copydesk serve` computes them all in
/// one pass over the text); its flag is [`position_at`]'s `end`.
pub fn diagnostic_with<'a>(
    file: &'a FileReport,
    d: &'a Diagnostic,
    pos: &mut dyn FnMut(usize, bool) -> JsonPosition,
) -> JsonDiagnostic<'a> {
    let rule = file.engine.rule(d.rule);
    JsonDiagnostic {
        file: Cow::Borrowed(&file.display),
        rule: rule.full_id(),
        severity: d.severity().as_str(),
        message: Cow::Borrowed(&d.message),
        start: pos(d.range.start, false),
        end: pos(d.range.end, !d.range.is_empty()),
        found: Cow::Borrowed(file.text.get(d.range.clone()).unwrap_or_default()),
        link: rule.link.as_deref().map(Cow::Borrowed),
        fixes: d
            .fixes
            .iter()
            .map(|f| JsonFix {
                title: Cow::Borrowed(&f.title),
                safe: f.safe,
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        start: pos(e.range.start, false),
                        end: pos(e.range.end, !e.range.is_empty()),
                        replacement: Cow::Borrowed(&e.replacement),
                    })
                    .collect(),
            })
            .collect(),
        not_fixed: d.not_fixed.as_deref().map(Cow::Borrowed),
    }
}

pub fn report(report: &Report) -> JsonReport<'_> {
    assemble(diagnostics(report), &report.errors, summarize(report))
}

/// The findings of `report`'s files, as they appear in the document.
pub fn diagnostics(report: &Report) -> Vec<JsonDiagnostic<'_>> {
    report
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| diagnostic(f, d)))
        .collect()
}

/// The document from its findings, the files that could not be checked and the counts.
pub fn assemble<'a>(diagnostics: Vec<JsonDiagnostic<'a>>, errors: &[RunError], summary: Summary) -> JsonReport<'a> {
    JsonReport {
        version: 1,
        diagnostics,
        errors: errors
            .iter()
            .map(|e| JsonError {
                file: e.path.clone(),
                line: e.line,
                column: e.column,
                message: e.message.clone(),
            })
            .collect(),
        summary,
    }
}

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_report(&report(r), out)
}

pub fn write_report(r: &JsonReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, r)?;
    writeln!(out)
}

/// `--format json-lines`: one diagnostic a line, the same objects as in `diagnostics`
/// of `--format json`. Files that could not be checked go to standard error.
pub fn write_lines(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_lines_files(r, out)?;
    write_lines_end(&r.errors);
    Ok(())
}

/// One line a finding of `r`'s files.
pub fn write_lines_files(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &r.files {
        for d in &f.diagnostics {
            serde_json::to_writer(&mut *out, &diagnostic(f, d))?;
            writeln!(out)?;
        }
    }
    Ok(())
}

pub fn write_lines_end(errors: &[RunError]) {
    for e in errors {
        eprintln!("error: {e}");
    }
}
