//! Answers as JSON. A check answers exactly what `check --format json` prints (built by
//! the same code, `cli::output::json`), with two more keys in every position: `utf16` and
//! `char`, offsets from the start of the text in UTF-16 code units (what JavaScript
//! strings index) and in characters.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::cli::files::Input;
use crate::cli::output::json as cli_json;
use crate::cli::report::{FileReport, Report};
use crate::diagnostic::Diagnostic;
use crate::engine::Engine;
use crate::text::LineIndex;

/// One checked text as the CLI's report types hold it.
pub fn file_report(display: &str, text: String, engine: Arc<Engine>, diagnostics: Vec<Diagnostic>) -> FileReport {
    FileReport {
        display: display.to_string(),
        input: Input::Stdin(None),
        lines: LineIndex::new(&text),
        text,
        had_bom: false,
        engine,
        diagnostics,
        original: None,
        fixes_applied: 0,
    }
}

/// The `check --format json` document for one text, positions extended. Typed all the
/// way to the bytes (no `serde_json::Value` tree: on a long article with a hundred
/// findings that tree cost more than a cached check).
pub fn check_json(file: FileReport) -> cli_json::JsonReport {
    let report = Report {
        files: vec![file],
        errors: Vec::new(),
        baselined: 0,
    };
    let mut json = cli_json::report(&report);
    extend_positions(&report.files[0].text, &mut json);
    json
}

/// Fills `utf16` and `char` in every position, in one pass over the text (linear in the
/// text, plus sorting the positions).
pub fn extend_positions(text: &str, report: &mut cli_json::JsonReport) {
    let mut all: Vec<&mut cli_json::JsonPosition> = Vec::new();
    for d in &mut report.diagnostics {
        all.push(&mut d.start);
        all.push(&mut d.end);
        for f in &mut d.fixes {
            for e in &mut f.edits {
                all.push(&mut e.start);
                all.push(&mut e.end);
            }
        }
    }
    all.sort_unstable_by_key(|p| p.offset);
    let (mut byte, mut utf16, mut chars) = (0usize, 0usize, 0usize);
    for p in all {
        let mut target = p.offset.min(text.len());
        while !text.is_char_boundary(target) {
            target -= 1;
        }
        if target > byte {
            for c in text[byte..target].chars() {
                utf16 += c.len_utf16();
                chars += 1;
            }
            byte = target;
        }
        p.utf16 = Some(utf16);
        p.chars = Some(chars);
    }
}

/// A position in a text with every unit a client may want.
pub fn position(lines: &LineIndex, text: &str, offset: usize) -> Value {
    let (line, column) = lines.human(offset);
    let before = &text[..offset];
    json!({
        "line": line,
        "column": column,
        "offset": offset,
        "utf16": before.encode_utf16().count(),
        "char": before.chars().count(),
    })
}
