//! The default output: rustc-style snippets (annotate-snippets), the fix as `help:`,
//! and a summary line. Coloured only on a terminal (or with `--color always`).

use std::io::{self, IsTerminal, Write};

use annotate_snippets::{Level, Renderer, Snippet};

use super::summarize;
use crate::cli::report::{FileReport, Report};
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

/// Renders one diagnostic as a snippet.
pub fn render_diagnostic(file: &FileReport, d: &Diagnostic, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let rule = file.engine.rule(d.rule).full_id();
    let lines = &file.lines;
    let start = lines.position(d.range.start, crate::text::Encoding::Utf8);
    let end = lines.position(d.range.end, crate::text::Encoding::Utf8);
    let snippet_start = lines.line_start(start.line);
    let snippet_end = lines.line_content_end(end.line).max(d.range.end);
    let source = &file.text[snippet_start..snippet_end];
    let mut span = d.range.start - snippet_start..d.range.end - snippet_start;
    if span.is_empty() {
        // Show an insertion point as the character after it (or before, at line end).
        let next = source[span.start..].chars().next().map(char::len_utf8);
        match next {
            Some(n) if !source[span.start..].starts_with(['\r', '\n']) => span.end += n,
            _ => {
                if let Some(c) = source[..span.start].chars().next_back() {
                    span.start -= c.len_utf8();
                }
            }
        }
    }
    let origin = file.display.as_str();
    let labels: Vec<String> = d
        .fixes
        .iter()
        .map(|f| {
            if f.safe {
                format!("fix: {}", f.title)
            } else {
                format!("suggestion: {} (not applied by --fix)", f.title)
            }
        })
        .collect();
    let lvl = level(d.severity());
    let message = lvl
        .title(&d.message)
        .id(&rule)
        .snippet(
            Snippet::source(source)
                .line_start(start.line + 1)
                .origin(origin)
                .fold(true)
                .annotation(lvl.span(span).label("")),
        )
        .footers(labels.iter().map(|l| Level::Help.title(l)));
    let rendered = renderer.render(message).to_string();
    rendered
}

pub fn write(args: &CheckArgs, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let color = use_color(args.color);
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    for f in &report.files {
        for d in &f.diagnostics {
            writeln!(out, "{}\n", render_diagnostic(f, d, color))?;
        }
    }
    for e in &report.errors {
        let msg = e.to_string();
        writeln!(out, "{}\n", renderer.render(Level::Error.title(&msg)))?;
    }
    if args.quiet {
        return Ok(());
    }
    writeln!(out, "{}", summary_line(args, report))
}

/// The closing line: what was found, fixed and hidden, in how many files.
pub fn summary_line(args: &CheckArgs, report: &Report) -> String {
    let s = summarize(report);
    let files = if s.files == 1 { "file" } else { "files" };
    let baselined = if s.baselined > 0 {
        format!(" ({} more in the baseline)", s.baselined)
    } else {
        String::new()
    };
    if s.diagnostics == 0 && report.errors.is_empty() {
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
    if s.fixable > 0 && !args.fix {
        line.push_str(&format!("; {} fixable with `--fix`", s.fixable));
    }
    if !report.errors.is_empty() {
        line.push_str(&format!("; {} file(s) could not be checked", report.errors.len()));
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
