//! `check` for files whose checked text is extracted rather than read as written: HTML
//! (findings and fixes mapped back to source bytes) and Word documents (one line per
//! paragraph; fixes written as tracked changes).

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::check::Projects;
use super::files::{self, Input};
use super::report::{FileReport, RunError};
use super::CheckArgs;
use crate::diagnostic::Diagnostic;
use crate::document::docx::{document_from_lines, Docx, Parts, RunMap};
use crate::document::html::{Attributes, HtmlError};
use crate::document::{docx_write, Document, Format};
use crate::engine::Engine;
use crate::fix::{apply_edits, fix_to_fixpoint_with, select_edits, MAX_ROUNDS};
use crate::text::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    Docx,
}

impl Kind {
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => Some(Kind::Html),
            "docx" => Some(Kind::Docx),
            _ => None,
        }
    }
}

/// Checks an HTML page, fixing it to a fixpoint if asked. Returns the (fixed) source,
/// the original when it changed, the findings in source bytes and the fixes applied.
pub fn check_html(
    engine: &Engine,
    source: String,
    attributes: &Attributes,
    fix: bool,
    unsafe_fixes: bool,
) -> Result<(String, Option<String>, Vec<Diagnostic>, usize), HtmlError> {
    let mut current = source.clone();
    let mut applied = 0;
    let mut seen = HashSet::new();
    let mut rounds = 0;
    loop {
        let doc = Document::html_with(current.clone(), attributes);
        if let Some(e) = doc.error() {
            return Err(e.clone());
        }
        // In the page's bytes: the engine maps them back. Attribute values come after
        // the text in the checked text, so put the findings back in page order.
        let mut diagnostics = engine.check(&doc);
        diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
        let (edits, n) = if fix && rounds < MAX_ROUNDS {
            select_edits(diagnostics.iter(), !unsafe_fixes)
        } else {
            (Vec::new(), 0)
        };
        let next = (!edits.is_empty()).then(|| apply_edits(&current, &edits));
        match next {
            Some(next) if next != current && seen.insert(next.clone()) => {
                applied += n;
                rounds += 1;
                current = next;
            }
            _ => {
                let original = (current != source).then_some(source);
                return Ok((current, original, diagnostics, applied));
            }
        }
    }
}

/// The result of checking one Word document.
pub struct DocxOutcome {
    /// The extracted text the findings refer to (after fixes when they were written).
    pub text: String,
    pub original: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub applied: usize,
    /// The new document, when fixes changed it.
    pub written: Option<docx_write::Written>,
    /// Parts, paragraphs and runs of the document `text` is from.
    pub runs: RunMap,
}

/// Drops the fixes a Word document cannot take (in a comment, a field, an earlier
/// tracked change), saying why: the desk sees the finding, and `--fix` is not promised.
fn refuse_locked(map: &RunMap, diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        let lock = d
            .fixes
            .iter()
            .flat_map(|f| &f.edits)
            .find_map(|e| map.lock(e.range.clone()));
        if let Some(lock) = lock {
            d.refuse_fixes(lock.reason());
        }
    }
}

/// Checks a Word document; with `fix`, computes the fixed document (as tracked changes
/// unless `direct`) and the findings left in it.
pub fn check_docx(
    engine: &Engine,
    bytes: &[u8],
    parts: &Parts,
    first_paragraph_headline: bool,
    fix: bool,
    unsafe_fixes: bool,
    direct: bool,
) -> Result<DocxOutcome, String> {
    let docx = Docx::read_parts(bytes, parts).map_err(|e| e.message)?;
    let text = docx.text();
    let scopes = docx.scopes_with(first_paragraph_headline);
    let runs = docx.run_map();
    // Nothing written: the findings of the document as it is (or as no fix changes it).
    let unchanged = |mut diagnostics: Vec<Diagnostic>, text: String, runs: RunMap| -> Result<DocxOutcome, String> {
        refuse_locked(&runs, &mut diagnostics);
        Ok(DocxOutcome {
            text,
            original: None,
            diagnostics,
            applied: 0,
            written: None,
            runs,
        })
    };
    if !fix {
        return unchanged(engine.check(&docx.document_with(first_paragraph_headline)), text, runs);
    }
    let make_doc = |t: String, _: Format| document_from_lines(t, &scopes);
    let outcome = fix_to_fixpoint_with(engine, &text, Format::Plain, &make_doc, &|_| true, !unsafe_fixes);
    if outcome.text == text {
        return unchanged(outcome.remaining, text, runs);
    }
    let written =
        docx_write::write(bytes, &docx, &outcome.text, !direct, &docx_write::now_utc()).map_err(|e| e.message)?;
    // What the desk gets is what was written: read it back (accepting the changes).
    let fixed = Docx::read_parts(&written.bytes, parts)
        .map_err(|e| format!("the fixed document does not read back: {}", e.message))?;
    let runs = fixed.run_map();
    let mut diagnostics = engine.check(&fixed.document_with(first_paragraph_headline));
    refuse_locked(&runs, &mut diagnostics);
    let fixed_text = fixed.text();
    Ok(DocxOutcome {
        // Changes not written are fixes not applied.
        applied: outcome.applied.saturating_sub(written.refused.len()),
        original: (fixed_text != text).then_some(text),
        text: fixed_text,
        diagnostics,
        written: Some(written),
        runs,
    })
}

fn run_error(display: &str, line: usize, column: usize, message: String) -> Vec<RunError> {
    vec![RunError {
        path: display.to_string(),
        line,
        column,
        message,
    }]
}

/// `check` of one HTML or Word input.
pub fn check_one(
    kind: Kind,
    input: Input,
    display: String,
    projects: &Projects,
    args: &CheckArgs,
) -> Result<FileReport, Vec<RunError>> {
    let (bytes, path) = match &input {
        Input::File(p) => (std::fs::read(p).map_err(|e| files::io_message(&e)), p.clone()),
        Input::Stdin(name) => {
            let mut bytes = Vec::new();
            let r = std::io::stdin().read_to_end(&mut bytes).map_err(|e| e.to_string());
            let _ = super::check::STDIN_COPY.set(bytes.clone());
            (r.map(|_| bytes), name.clone().unwrap_or_else(|| PathBuf::from("-")))
        }
    };
    let bytes = bytes.map_err(|m| run_error(&display, 0, 0, m))?;
    let project = projects.for_path(&path).map_err(|_| Vec::new())?;
    let engine: Arc<Engine> = project
        .engine_for(&path)
        .map_err(|errs| errs.iter().map(RunError::from).collect::<Vec<_>>())?;
    let fix = args.fix || args.diff;
    let write = args.fix && !args.diff;
    let mut docx = None;
    let (text, original, diagnostics, fixes_applied, had_bom) = match kind {
        Kind::Html => {
            let source = files::decode(bytes).map_err(|m| run_error(&display, 0, 0, m))?;
            let attributes = project.config.html.unwrap_or_default().attributes();
            let (text, original, diagnostics, applied) =
                check_html(&engine, source.text.clone(), &attributes, fix, args.unsafe_fixes).map_err(|e| {
                    let (line, column) = LineIndex::new(&source.text).human(e.offset);
                    run_error(&display, line, column, e.message)
                })?;
            if write && original.is_some() {
                if let Input::File(p) = &input {
                    files::write_atomic(p, &text, source.had_bom).map_err(|e| {
                        run_error(
                            &display,
                            0,
                            0,
                            format!("cannot write the fixed file: {}", files::io_message(&e)),
                        )
                    })?;
                }
            }
            (text, original, diagnostics, applied, source.had_bom)
        }
        Kind::Docx => {
            if write && matches!(input, Input::Stdin(_)) {
                return Err(run_error(
                    &display,
                    0,
                    0,
                    "`--fix` cannot write a .docx to standard output; name the file instead".into(),
                ));
            }
            let parts = project.config.docx.unwrap_or_default().parts();
            // `plain-headline = "none"`: an unstyled first paragraph is not a headline.
            let first = project.config.plain_headline != Some(crate::config::PlainHeadline::None);
            let out = check_docx(
                &engine,
                &bytes,
                &parts,
                first,
                fix,
                args.unsafe_fixes,
                args.no_track_changes,
            )
            .map_err(|m| run_error(&display, 0, 0, m))?;
            let changed = out.original.is_some();
            if write && changed {
                if let (Some(w), Input::File(p)) = (&out.written, &input) {
                    files::write_atomic_bytes(p, &w.bytes).map_err(|e| {
                        run_error(
                            &display,
                            0,
                            0,
                            format!("cannot write the fixed file: {}", files::io_message(&e)),
                        )
                    })?;
                }
            }
            docx = Some(Arc::new(out.runs));
            (out.text, out.original, out.diagnostics, out.applied, false)
        }
    };
    Ok(FileReport {
        display,
        input,
        lines: LineIndex::new(&text),
        text,
        had_bom,
        engine,
        diagnostics,
        original,
        fixes_applied,
        docx,
    })
}
