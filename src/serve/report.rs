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

/// One checked text as the CLI's report types hold it. `lines`: the text's line index
/// when the caller has it (a plain or Markdown document's own), else it is built.
pub fn file_report(
    display: &str,
    text: String,
    lines: Option<LineIndex>,
    engine: Arc<Engine>,
    diagnostics: Vec<Diagnostic>,
) -> Report {
    let file = FileReport {
        display: display.to_string(),
        input: Input::Stdin(None),
        lines: lines.unwrap_or_else(|| LineIndex::new(&text)),
        text,
        had_bom: false,
        engine,
        diagnostics,
        original: None,
        fixes_applied: 0,
        docx: None,
    };
    Report {
        files: vec![file],
        errors: Vec::new(),
        baselined: 0,
    }
}

/// The `check --format json` document for the one text of `report` (from [`file_report`]),
/// every position also in UTF-16 units and characters. Typed all the way to the bytes (a
/// `serde_json::Value` tree cost more than a cached check), its texts borrowed from the
/// report, and every position from one sorted pass over the text ([`positions`]) rather
/// than a rope lookup per position.
pub fn check_json(report: &Report) -> cli_json::JsonReport<'_> {
    let file = &report.files[0];
    let mut offsets: Vec<usize> = Vec::with_capacity(file.diagnostics.len() * 4);
    for d in &file.diagnostics {
        offsets.extend([d.range.start, d.range.end]);
        for e in d.fixes.iter().flat_map(|f| &f.edits) {
            offsets.extend([e.range.start, e.range.end]);
        }
    }
    offsets.sort_unstable();
    offsets.dedup();
    let table = positions(&file.text, &offsets);
    let bom = if file.had_bom { 3 } else { 0 };
    // (`serve` reads no Word documents: no run path to name, so the end flag is unused.)
    let mut pos = |o: usize, _end: bool| {
        let p = offsets.binary_search(&o).map_or_else(|_| Pos::default(), |i| table[i]);
        cli_json::JsonPosition {
            line: p.line,
            column: p.column,
            offset: o + bom,
            docx: None,
            utf16: Some(p.utf16),
            chars: Some(p.chars),
        }
    };
    let diagnostics = file
        .diagnostics
        .iter()
        .map(|d| cli_json::diagnostic_with(file, d, &mut pos))
        .collect();
    cli_json::assemble(diagnostics, &report.errors, crate::cli::output::summarize(report))
}

/// The answer's bytes, written into a buffer sized for it up front (about 130 bytes a
/// position, as the answers of real articles run).
pub fn to_bytes(json: &cli_json::JsonReport<'_>) -> serde_json::Result<Vec<u8>> {
    let positions: usize = json
        .diagnostics
        .iter()
        .map(|d| 2 + d.fixes.iter().map(|f| 2 * f.edits.len()).sum::<usize>())
        .sum();
    let mut out = Vec::with_capacity(256 + positions * 130);
    serde_json::to_writer(&mut out, json)?;
    Ok(out)
}

/// A position in every unit: 1-based line and column (characters), and the offsets from
/// the start of the text in UTF-16 units and characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub utf16: usize,
    pub chars: usize,
}

/// The positions of ascending byte offsets, in one pass over the text. Offsets are clamped
/// to the text and rounded down to a character boundary, and lines break on `\n`, `\r\n`
/// and `\r`, as `LineIndex::human` counts them (a property test holds the two equal).
pub fn positions(text: &str, sorted: &[usize]) -> Vec<Pos> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(sorted.len());
    let (mut byte, mut line, mut chars, mut utf16, mut line_chars) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for &offset in sorted {
        let mut target = offset.min(text.len());
        while !text.is_char_boundary(target) {
            target -= 1;
        }
        if target > byte {
            // Bytes, not decoded characters: a character starts at every byte that is not a
            // continuation byte, and those of four bytes are two UTF-16 units.
            for (i, &b) in bytes[byte..target].iter().enumerate() {
                if b & 0xC0 != 0x80 {
                    chars += 1;
                    utf16 += 1 + usize::from(b >= 0xF0);
                    if b == b'\n' || (b == b'\r' && bytes.get(byte + i + 1) != Some(&b'\n')) {
                        line += 1;
                        line_chars = chars;
                    }
                }
            }
            byte = target;
        }
        out.push(Pos {
            line: line + 1,
            column: chars - line_chars + 1,
            utf16,
            chars,
        });
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a",
            "ê",
            "e\u{302}\u{301}",
            "📰",
            "🇻🇳",
            "\n",
            "\r",
            "\r\n",
            "\n\n",
            " ",
            "Hòa",
            "\u{1A}",
            "漢",
        ])
    }

    proptest! {
        #![proptest_config(Config {
            cases: 256,
            rng_seed: RngSeed::Fixed(0x5e_4e15),
            failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
            ..Config::default()
        })]

        #[test]
        fn one_pass_positions_equal_the_line_index(
            parts in prop::collection::vec(piece(), 0..40),
            mut offsets in prop::collection::vec(0usize..200, 0..30),
        ) {
            let text: String = parts.concat();
            offsets.sort_unstable();
            offsets.dedup();
            let lines = LineIndex::new(&text);
            let got = positions(&text, &offsets);
            for (&o, p) in offsets.iter().zip(&got) {
                let (line, column) = lines.human(o);
                let at = lines.floor_char_boundary(o);
                prop_assert_eq!((p.line, p.column), (line, column), "offset {} in {:?}", o, text);
                prop_assert_eq!(p.utf16, text[..at].encode_utf16().count());
                prop_assert_eq!(p.chars, text[..at].chars().count());
            }
        }
    }
}
