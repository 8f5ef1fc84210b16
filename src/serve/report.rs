//! Answers as JSON. A check answers exactly what `check --format json` prints (built by
//! the same code, `cli::output::json`), with two more keys in every position: `utf16` and
//! `char`, offsets from the start of the text in UTF-16 code units (what JavaScript
//! strings index) and in characters.

use std::sync::Arc;

use serde_json::{json, Map, Value};

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
        docx: None,
    }
}

/// The `check --format json` document for one text, positions extended.
pub fn check_json(file: FileReport) -> Value {
    let report = Report {
        files: vec![file],
        errors: Vec::new(),
        baselined: 0,
    };
    let mut v = serde_json::to_value(cli_json::report(&report)).unwrap_or(Value::Null);
    extend_positions(&report.files[0].text, &mut v);
    v
}

fn is_position(m: &Map<String, Value>) -> bool {
    m.contains_key("offset") && m.contains_key("line") && m.contains_key("column")
}

/// Calls `f` on every `{line, column, offset}` object under `v`, in a fixed order.
fn each_position(v: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    match v {
        Value::Object(m) if is_position(m) => f(m),
        Value::Object(m) => m.values_mut().for_each(|x| each_position(x, f)),
        Value::Array(a) => a.iter_mut().for_each(|x| each_position(x, f)),
        _ => {}
    }
}

/// Adds `utf16` and `char` to every position, in one pass over the text (linear in the
/// text, plus sorting the positions).
pub fn extend_positions(text: &str, v: &mut Value) {
    let mut offsets = Vec::new();
    each_position(v, &mut |m| {
        offsets.push(m.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize);
    });
    offsets.sort_unstable();
    offsets.dedup();
    let mut units = Vec::with_capacity(offsets.len());
    let (mut byte, mut utf16, mut chars) = (0usize, 0usize, 0usize);
    for &offset in &offsets {
        let mut target = offset.min(text.len());
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
        units.push((utf16, chars));
    }
    each_position(v, &mut |m| {
        let offset = m.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
        if let Ok(i) = offsets.binary_search(&offset) {
            m.insert("utf16".into(), json!(units[i].0));
            m.insert("char".into(), json!(units[i].1));
        }
    });
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
