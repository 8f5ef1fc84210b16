//! `--format json`: one JSON document. The shape is documented in README.md
//! ("JSON output") and versioned by its `version` field.

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
}

#[derive(Debug, Serialize)]
pub struct JsonEdit {
    pub start: JsonPosition,
    pub end: JsonPosition,
    pub replacement: String,
}

#[derive(Debug, Serialize)]
pub struct JsonFix {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<JsonEdit>,
}

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub file: String,
    /// `pack/id`
    pub rule: String,
    pub severity: String,
    pub message: String,
    pub start: JsonPosition,
    pub end: JsonPosition,
    /// The text the diagnostic covers.
    pub found: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub fixes: Vec<JsonFix>,
    /// Why the rule's fix cannot be written in this file (then `fixes` is empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_fixed: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct JsonReport {
    pub version: u32,
    pub diagnostics: Vec<JsonDiagnostic>,
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
    }
}

pub fn diagnostic(file: &FileReport, d: &Diagnostic) -> JsonDiagnostic {
    let rule = file.engine.rule(d.rule);
    JsonDiagnostic {
        file: file.display.clone(),
        rule: rule.full_id(),
        severity: d.severity().to_string(),
        message: d.message.clone(),
        start: position(file, d.range.start),
        end: position_at(file, d.range.end, !d.range.is_empty()),
        found: file.text.get(d.range.clone()).unwrap_or_default().to_string(),
        link: rule.link.clone(),
        fixes: d
            .fixes
            .iter()
            .map(|f| JsonFix {
                title: f.title.clone(),
                safe: f.safe,
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        start: position(file, e.range.start),
                        end: position_at(file, e.range.end, !e.range.is_empty()),
                        replacement: e.replacement.clone(),
                    })
                    .collect(),
            })
            .collect(),
        not_fixed: d.not_fixed.clone(),
    }
}

pub fn report(report: &Report) -> JsonReport {
    assemble(diagnostics(report), &report.errors, summarize(report))
}

/// The findings of `report`'s files, as they appear in the document.
pub fn diagnostics(report: &Report) -> Vec<JsonDiagnostic> {
    report
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| diagnostic(f, d)))
        .collect()
}

/// The document from its findings, the files that could not be checked and the counts.
pub fn assemble(diagnostics: Vec<JsonDiagnostic>, errors: &[RunError], summary: Summary) -> JsonReport {
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
