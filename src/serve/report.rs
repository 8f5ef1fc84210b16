//! Answers as JSON. A check answers exactly what `check --format json` prints (built by
//! the same code, `cli::output::json`), with two more keys in every position: `utf16` and
//! `char`, offsets from the start of the text in UTF-16 code units (what JavaScript
//! strings index) and in characters.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
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
    let mut pos = position_table(file);
    let diagnostics = file
        .diagnostics
        .iter()
        .map(|d| cli_json::diagnostic_with(file, d, &mut pos))
        .collect();
    cli_json::assemble(diagnostics, &report.errors, crate::cli::output::summarize(report))
}

/// A position of the answer: from the table of [`positions`] of every offset it needs.
type PosFn<'a> = Box<dyn FnMut(usize, bool) -> cli_json::JsonPosition + 'a>;

/// The positions of `file`'s findings and of their fixes' edits, from one pass over the
/// text.
fn position_table(file: &FileReport) -> PosFn<'_> {
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
    Box::new(move |o: usize, _end: bool| {
        let p = offsets.binary_search(&o).map_or_else(|_| Pos::default(), |i| table[i]);
        cli_json::JsonPosition {
            line: p.line,
            column: p.column,
            offset: o + bom,
            docx: None,
            utf16: Some(p.utf16),
            chars: Some(p.chars),
        }
    })
}

/// The answer to a check that asks for `"share_fixes": true`: the same document, except
/// that a fix offered by more than one finding (a document-wide fix, such as every
/// straight quotation mark of the article made curly, comes with each of its findings) is
/// written once in `shared_fixes` and each of those findings' `fixes` holds
/// `{"shared": INDEX}` in its place. Replacing each `{"shared": i}` by `shared_fixes[i]`
/// gives `check --format json`'s document.
#[derive(Debug, Serialize)]
pub struct SharedReport<'a> {
    pub version: u32,
    /// The CLI's finding, its fixes written out or referred to.
    pub diagnostics: Vec<cli_json::JsonDiagnostic<'a, SharedFix<'a>>>,
    pub shared_fixes: Vec<cli_json::JsonFix<'a>>,
    pub errors: Vec<cli_json::JsonError>,
    pub summary: crate::cli::output::Summary,
}

/// A fix written out, or the index of one in `shared_fixes`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum SharedFix<'a> {
    Inline(cli_json::JsonFix<'a>),
    Shared { shared: usize },
}

/// [`check_json`] with the fixes offered by several findings written once.
pub fn check_json_shared(report: &Report) -> SharedReport<'_> {
    let file = &report.files[0];
    // How many findings offer each fix (a fix is a title, a safety and its edits).
    let mut uses: HashMap<FixKey, usize> = HashMap::new();
    for d in &file.diagnostics {
        for f in &d.fixes {
            *uses.entry(FixKey(f)).or_default() += 1;
        }
    }
    let mut shared_at: HashMap<FixKey, usize> = HashMap::new();
    let mut shared_fixes = Vec::new();
    let mut pos = position_table(file);
    let mut diagnostics = Vec::with_capacity(file.diagnostics.len());
    for d in &file.diagnostics {
        // The finding as `check --format json` writes it, its fixes then moved to the table
        // or left in place.
        let mut engine_fixes = d.fixes.iter();
        diagnostics.push(cli_json::diagnostic_with(file, d, &mut pos).map_fixes(|jf| {
            match engine_fixes
                .next()
                .filter(|f| uses.get(&FixKey(f)).copied().unwrap_or(0) >= 2)
            {
                None => SharedFix::Inline(jf),
                Some(f) => {
                    let i = *shared_at.entry(FixKey(f)).or_insert_with(|| {
                        shared_fixes.push(jf);
                        shared_fixes.len() - 1
                    });
                    SharedFix::Shared { shared: i }
                }
            }
        }));
    }
    let full = cli_json::assemble(Vec::new(), &report.errors, crate::cli::output::summarize(report));
    SharedReport {
        version: full.version,
        diagnostics,
        shared_fixes,
        errors: full.errors,
        summary: full.summary,
    }
}

/// A fix as a map key: equal when the fixes are equal, hashed on a few of their parts (a
/// document-wide fix has dozens of edits; hashing them all, twice a finding, cost more
/// than it saved).
#[derive(PartialEq, Eq)]
struct FixKey<'a>(&'a crate::diagnostic::Fix);

impl std::hash::Hash for FixKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        let f = self.0;
        f.title.hash(h);
        f.edits.len().hash(h);
        if let (Some(a), Some(b)) = (f.edits.first(), f.edits.last()) {
            (a.range.start, b.range.end).hash(h);
        }
    }
}

/// The answer's bytes, written into a buffer sized for it up front (about 130 bytes a
/// position, as the answers of real articles run).
pub fn to_bytes(json: &cli_json::JsonReport<'_>) -> serde_json::Result<Vec<u8>> {
    let positions: usize = json
        .diagnostics
        .iter()
        .map(|d| 2 + d.fixes.iter().map(|f| 2 * f.edits.len()).sum::<usize>())
        .sum();
    write_sized(json, positions)
}

/// [`to_bytes`] of a [`SharedReport`].
pub fn shared_to_bytes(json: &SharedReport<'_>) -> serde_json::Result<Vec<u8>> {
    let edits = |f: &cli_json::JsonFix<'_>| 2 * f.edits.len();
    let positions: usize = json
        .diagnostics
        .iter()
        .map(|d| {
            2 + d
                .fixes
                .iter()
                .map(|f| match f {
                    SharedFix::Inline(f) => edits(f),
                    SharedFix::Shared { .. } => 0,
                })
                .sum::<usize>()
        })
        .sum::<usize>()
        + json.shared_fixes.iter().map(edits).sum::<usize>();
    write_sized(json, positions)
}

fn write_sized(json: &impl Serialize, positions: usize) -> serde_json::Result<Vec<u8>> {
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
            // continuation byte, and those of four bytes are two UTF-16 units. Eight bytes at
            // a time while none of them is a line break (most of a paragraph).
            let mut i = byte;
            while i < target {
                if let Some(w) = bytes.get(i..i + 8).filter(|_| i + 8 <= target) {
                    let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
                    if !has_byte(w, b'\n') && !has_byte(w, b'\r') {
                        // Bit 7 of each byte: set with bit 6 clear (continuation), and set
                        // with bits 6, 5 and 4 (the lead byte of four).
                        let cont = (w & !(w << 1) & HIGH_BITS).count_ones() as usize;
                        let four = (w & (w << 1) & (w << 2) & (w << 3) & HIGH_BITS).count_ones() as usize;
                        chars += 8 - cont;
                        utf16 += 8 - cont + four;
                        i += 8;
                        continue;
                    }
                }
                let b = bytes[i];
                if b & 0xC0 != 0x80 {
                    chars += 1;
                    utf16 += 1 + usize::from(b >= 0xF0);
                    if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                        line += 1;
                        line_chars = chars;
                    }
                }
                i += 1;
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

/// Bit 7 of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Whether one of the eight bytes of `w` is `b`.
fn has_byte(w: u64, b: u8) -> bool {
    let x = w ^ (0x0101_0101_0101_0101 * u64::from(b));
    x.wrapping_sub(0x0101_0101_0101_0101) & !x & HIGH_BITS != 0
}

/// The positions of an edit, `old[start..end]` become `new[start..new_end]` (the texts
/// equal before `start`, `start` not just after a `\r`), in two passes: over `old` to
/// `end`, and over the replacement.
pub fn edit_positions(old: &str, new: &str, start: usize, end: usize, new_end: usize) -> [cli_json::JsonPosition; 3] {
    let p = positions(old, &[start, end]);
    let r = positions(new.get(start..).unwrap_or_default(), &[new_end.saturating_sub(start)])[0];
    let json = |offset: usize, p: Pos| cli_json::JsonPosition {
        line: p.line,
        column: p.column,
        offset,
        docx: None,
        utf16: Some(p.utf16),
        chars: Some(p.chars),
    };
    // The replacement's own position continues the start's: on its first line, columns
    // add up; past it, its column is its own.
    let new_end_pos = Pos {
        line: p[0].line + r.line - 1,
        column: if r.line == 1 {
            p[0].column + r.column - 1
        } else {
            r.column
        },
        utf16: p[0].utf16 + r.utf16,
        chars: p[0].chars + r.chars,
    };
    [json(start, p[0]), json(end, p[1]), json(new_end, new_end_pos)]
}

/// `header`'s keys (an object) written before those of the answer `body` (an object's
/// bytes): the incremental keys go first, the answer stays the one its writer wrote.
pub fn with_header(header: &impl Serialize, body: &[u8]) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + 512);
    serde_json::to_writer(&mut out, header)?;
    match (out.pop(), body.split_first()) {
        (Some(b'}'), Some((b'{', rest))) => {
            if rest.first() != Some(&b'}') && out.len() > 1 {
                out.push(b',');
            }
            out.extend_from_slice(rest);
            Ok(out)
        }
        _ => Err(<serde_json::Error as serde::ser::Error>::custom(
            "an answer is a JSON object",
        )),
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
            // Runs of eight bytes and more without a line break (counted a word at a time).
            "Người dân cho biết",
            "📰📰 漢字 Ho\u{300}a 🇻🇳",
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
            mut offsets in prop::collection::vec(0usize..600, 0..30),
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
