//! The default output: rustc-style snippets (annotate-snippets), the fix as `help:`,
//! and a summary line. Coloured only on a terminal (or with `--color always`).

use std::io::{self, IsTerminal, Write};

use annotate_snippets::{Level, Renderer, Snippet};

use super::{escape_controls, summarize, Summary};
use crate::cli::report::{FileReport, Report, RunError};
use crate::cli::{CheckArgs, ColorChoice};
use crate::diagnostic::{Diagnostic, Severity};

fn level(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
        Severity::Hint | Severity::Off => Level::Note,
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none() && io::stdout().is_terminal(),
    }
}

/// How many bytes of a long line are kept on each side of a finding. annotate-snippets
/// shows at most 140 columns around the finding anyway; handing it the whole line made
/// every finding cost the length of its line (quadratic on a one-line file).
const WINDOW: usize = 512;

/// Renders one diagnostic as a snippet.
pub fn render_diagnostic(file: &FileReport, d: &Diagnostic, color: bool) -> String {
    render_window(file, d, color, WINDOW)
}

/// [`render_diagnostic`] with `window` bytes kept on each side of a finding in a long line.
fn render_window(file: &FileReport, d: &Diagnostic, color: bool, window: usize) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let rule = file.engine.rule(d.rule).full_id();
    let lines = &file.lines;
    let start = lines.position(d.range.start, crate::text::Encoding::Utf8);
    let end = lines.position(d.range.end, crate::text::Encoding::Utf8);
    let line_start = lines.line_start(start.line);
    let mut snippet_start = line_start;
    let mut snippet_end = lines.line_content_end(end.line).max(d.range.end);
    if start.line == end.line {
        // Only a window of a long line: the same columns annotate-snippets would show.
        if d.range.start - snippet_start > window.saturating_mul(2) {
            snippet_start = floor_boundary(&file.text, d.range.start - window);
        }
        if snippet_end - d.range.end > window.saturating_mul(2) {
            snippet_end = floor_boundary(&file.text, d.range.end + window);
        }
        if is_word_document(&file.display) {
            // A Word "line" is a whole paragraph and its readers have no line numbers:
            // quote the sentence the finding is in.
            let text = &file.text[snippet_start..snippet_end];
            let (a, b) = (d.range.start - snippet_start, d.range.end - snippet_start);
            if let Some(s) = file
                .engine
                .splitter()
                .split(text)
                .into_iter()
                .find(|s| s.start <= a && a < s.end.max(s.start + 1))
            {
                snippet_end = snippet_start + s.end.max(b);
                snippet_start += s.start.min(a);
            }
        }
    }
    let raw = &file.text[snippet_start..snippet_end];
    let mut span = d.range.start - snippet_start..d.range.end - snippet_start;
    if span.is_empty() {
        // Show an insertion point as the character after it (or before, at line end).
        let next = raw[span.start..].chars().next().map(char::len_utf8);
        match next {
            Some(n) if !raw[span.start..].starts_with(['\r', '\n']) => span.end += n,
            _ => {
                if let Some(c) = raw[..span.start].chars().next_back() {
                    span.start -= c.len_utf8();
                }
            }
        }
    }
    // Control characters from the file are shown as their pictures (one column each).
    let before = escape_controls(&raw[..span.start]);
    let inside = escape_controls(&raw[span.clone()]);
    let after = escape_controls(&raw[span.end..]);
    let source = format!("{before}{inside}{after}");
    let span = before.len()..before.len() + inside.len();
    let origin = escape_controls(&file.display);
    let labels: Vec<String> = d
        .fixes
        .iter()
        .map(|f| {
            let title = escape_controls(&f.title);
            if f.safe {
                format!("fix: {title}")
            } else {
                format!("suggestion: {title} (not applied by --fix)")
            }
        })
        .collect();
    let mut labels = labels;
    if let Some(why) = &d.not_fixed {
        labels.push(format!("not fixed by --fix: {}", escape_controls(why)));
    }
    // A Word document's headers, notes and comments: the part and its own paragraph.
    let (origin, shown_line) = match file.docx.as_ref().and_then(|m| m.paragraph(start.line)) {
        Some((part, n)) if part != crate::document::docx::DOCUMENT_PART => {
            (std::borrow::Cow::Owned(format!("{origin} ({part})")), n)
        }
        _ => (origin, start.line + 1),
    };
    let title = escape_controls(&d.message);
    let lvl = level(d.severity());
    let message = lvl
        .title(&title)
        .id(&rule)
        .snippet(
            Snippet::source(&source)
                .line_start(shown_line)
                .origin(&origin)
                .fold(true)
                .annotation(lvl.span(span).label("")),
        )
        .footers(labels.iter().map(|l| Level::Help.title(l)));
    let rendered = renderer.render(message).to_string();
    if snippet_start == line_start {
        return rendered;
    }
    // annotate-snippets counted the column from the window's start: put the real one.
    let (_, column) = lines.human(d.range.start);
    let line = shown_line;
    let at = format!(":{line}:");
    let mut out = String::with_capacity(rendered.len() + 8);
    let mut fixed = false;
    for l in rendered.split_inclusive('\n') {
        match l.rfind(&at) {
            Some(i) if !fixed && l.contains("-->") => {
                let digits = i + at.len();
                let rest = &l[digits..];
                let n = rest.bytes().take_while(u8::is_ascii_digit).count();
                out.push_str(&l[..digits]);
                out.push_str(&column.to_string());
                out.push_str(&rest[n..]);
                fixed = true;
            }
            _ => out.push_str(l),
        }
    }
    out
}

fn is_word_document(display: &str) -> bool {
    display.to_ascii_lowercase().ends_with(".docx")
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub fn write(args: &CheckArgs, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_files(args, report, out)?;
    write_end(args, &report.errors, &summarize(report), out)
}

/// The findings of `report`'s files (a window of them when the output is streamed).
pub fn write_files(args: &CheckArgs, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let color = use_color(args.color);
    for f in &report.files {
        for d in &f.diagnostics {
            writeln!(out, "{}\n", render_diagnostic(f, d, color))?;
        }
    }
    Ok(())
}

/// The files that could not be checked, and the summary line.
pub fn write_end(args: &CheckArgs, errors: &[RunError], s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let color = use_color(args.color);
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    for e in errors {
        let msg = escape_controls(&e.to_string()).into_owned();
        writeln!(out, "{}\n", renderer.render(Level::Error.title(&msg)))?;
    }
    if args.quiet {
        return Ok(());
    }
    writeln!(out, "{}", summary_text(args, s, errors.len()))
}

/// The closing line: what was found, fixed and hidden, in how many files.
pub fn summary_line(args: &CheckArgs, report: &Report) -> String {
    summary_text(args, &summarize(report), report.errors.len())
}

/// [`summary_line`] from the counts: `errors` files could not be checked.
pub fn summary_text(args: &CheckArgs, s: &Summary, errors: usize) -> String {
    let files = if s.files == 1 { "file" } else { "files" };
    let baselined = if s.baselined > 0 {
        format!(" ({} more in the baseline)", s.baselined)
    } else {
        String::new()
    };
    if s.diagnostics == 0 && errors == 0 {
        if s.fixed > 0 {
            return format!(
                "Fixed {} problem(s); all checks passed in {} {files}{baselined}.",
                s.fixed, s.files
            );
        }
        return format!("All checks passed: {} {files} checked{baselined}.", s.files);
    }
    let mut parts = Vec::new();
    for (n, word) in [
        (s.errors, "error"),
        (s.warnings, "warning"),
        (s.info, "info"),
        (s.hints, "hint"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {word}{}", if n == 1 || word == "info" { "" } else { "s" }));
        }
    }
    let mut line = format!(
        "Found {} problem{} ({}) in {} {files}{baselined}",
        s.diagnostics,
        if s.diagnostics == 1 { "" } else { "s" },
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        },
        s.files
    );
    if s.fixed > 0 {
        line.push_str(&format!("; fixed {}", s.fixed));
    }
    if s.not_fixed > 0 {
        line.push_str(&format!(
            "; {} fix{} cannot be written into the file (see `not fixed`)",
            s.not_fixed,
            if s.not_fixed == 1 { "" } else { "es" }
        ));
    }
    if s.fixable > 0 && !args.fix {
        line.push_str(&format!("; {} fixable with `--fix`", s.fixable));
    }
    if errors > 0 {
        line.push_str(&format!("; {errors} file(s) could not be checked"));
    }
    line.push('.');
    line
}

/// `--diff`: unified diffs of what `--fix` would change.
pub fn write_diffs(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.files {
        if let Some(original) = &f.original {
            let diff = similar::TextDiff::from_lines(original.as_str(), f.text.as_str());
            write!(
                out,
                "{}",
                diff.unified_diff()
                    .context_radius(2)
                    .header(&format!("a/{}", f.display), &format!("b/{}", f.display))
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::cli::files::Input;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::document::Document;
    use crate::text::LineIndex;

    fn report(text: &str) -> FileReport {
        report_named("a.md", text)
    }

    fn report_named(name: &str, text: &str) -> FileReport {
        let engine = Arc::new(crate::testing::engine(
            "[[rule]]\nid = \"x\"\nkind = \"pattern\"\nmessage = \"Found {found}\"\nseverity = \"warning\"\n\
             pattern = \"26/07\"\n",
        ));
        let diagnostics: Vec<Diagnostic> = engine.check(&Document::plain_body(text.to_string()));
        FileReport {
            display: name.into(),
            input: Input::File(name.into()),
            text: text.to_string(),
            had_bom: false,
            lines: LineIndex::new(text),
            engine,
            diagnostics,
            original: None,
            fixes_applied: 0,
            docx: None,
        }
    }

    #[test]
    fn a_window_of_a_long_line_renders_as_the_whole_line() {
        let unit = "Hoà bình, ";
        for (before, after) in [
            (0, 0),
            (3, 400),
            (50, 3),
            (400, 400),
            (2000, 10),
            (10, 2000),
            (300, 2000),
        ] {
            let text = format!(
                "{}sáng 26/07 trời mưa.{}\nDòng sau.",
                unit.repeat(before),
                unit.repeat(after)
            );
            let f = report(&text);
            assert_eq!(f.diagnostics.len(), 1, "{text}");
            let d = &f.diagnostics[0];
            assert_eq!(d.severity(), Severity::Warning);
            let whole = render_window(&f, d, false, usize::MAX);
            assert_eq!(render_window(&f, d, false, 256), whole, "{before} {after}");
            assert_eq!(render_diagnostic(&f, d, false), whole, "{before} {after}");
        }
    }

    /// Rendering every finding of a one-line file costs time linear in the file: a
    /// finding every 122 bytes on a line of 20 KB and of 80 KB (four times the findings,
    /// four times the line). Handing annotate-snippets the whole line made each finding
    /// cost the line's length, sixteen times the work for the larger file.
    #[test]
    fn rendering_the_findings_of_one_long_line_is_linear() {
        let unit = "Hoà bình, sáng 26/07 trời mưa rất to ở khắp các tỉnh phía Bắc, nhiều nơi ngập sâu và cây đổ. ";
        let time = |n: usize| {
            let f = report(&unit.repeat(n / unit.len()));
            assert_eq!(f.diagnostics.len(), n / unit.len());
            (0..3)
                .map(|_| {
                    let t = std::time::Instant::now();
                    let bytes: usize = f
                        .diagnostics
                        .iter()
                        .map(|d| render_diagnostic(&f, d, false).len())
                        .sum();
                    assert!(bytes > 0);
                    t.elapsed().as_secs_f64().max(0.001)
                })
                .fold(f64::MAX, f64::min)
        };
        time(20_000);
        let (a, b) = (time(20_000), time(80_000));
        assert!(
            b / a < 10.0,
            "20 KB: {a:.3} s, 80 KB: {b:.3} s (x{:.1}; linear is x4)",
            b / a
        );
    }

    #[test]
    fn control_characters_from_the_file_are_shown_escaped() {
        let f = report("\u{1b}[2J\u{1b}]0;title\u{7}sáng 26/07\u{1b}[31m đỏ");
        let out = render_diagnostic(&f, &f.diagnostics[0], false);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out}");
        assert!(
            out.contains("\u{241b}[2J\u{241b}]0;title\u{2407}sáng 26/07\u{241b}[31m đỏ"),
            "{out}"
        );
        assert!(out.contains("a.md:1:20"), "{out}");
    }

    /// A Word paragraph is quoted by its sentence, with the paragraph and character in
    /// the header (NFD text and an emoji before the finding).
    #[test]
    fn word_documents_quote_the_sentence() {
        let para = "Mưa to 😀 ở Ho\u{300}a Bình. Sáng 26/07 trời mưa, đường ngập. Chiều tạnh.";
        let f = report_named("tin.docx", &format!("Tít\n{para}\n"));
        let out = render_diagnostic(&f, &f.diagnostics[0], false);
        assert!(out.contains("Sáng 26/07 trời mưa, đường ngập."), "{out}");
        assert!(!out.contains("Chiều tạnh") && !out.contains("Mưa to"), "{out}");
        let column = para[..para.find("26/07").unwrap()].chars().count() + 1;
        assert!(out.contains(&format!("tin.docx:2:{column}")), "{out}");
        let md = report_named("tin.md", &format!("Tít\n{para}\n"));
        assert!(render_diagnostic(&md, &md.diagnostics[0], false).contains("Chiều tạnh"));
    }
}
