//! Output formats of `check`. Each format is one module with a `write` function over the
//! whole [`Report`]; positions are converted here, at the edge, from byte offsets.
//!
//! Every format reports the same findings. Lines are one-based everywhere; columns are
//! one-based characters (Unicode scalar values, so an NFD letter with its combining mark
//! counts as two) except in `rdjson`, whose format defines columns in UTF-8 bytes. End
//! positions are exclusive.

pub mod checkstyle;
pub mod concise;
pub mod fixes;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
pub mod stats;
pub mod xml;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use super::files::Input;
use super::report::{FileReport, Report, RunError};
use super::{CheckArgs, OutputFormat};
use crate::diagnostic::Diagnostic;
use crate::engine::Engine;
use crate::rules::RuleMeta;

pub fn render(args: &CheckArgs, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // `--fix` on standard input prints the fixed text, like a filter.
    if args.fix && !args.diff {
        if let Some(f) = report.files.iter().find(|f| matches!(f.input, Input::Stdin(_))) {
            if f.had_bom {
                out.write_all(super::files::BOM.as_bytes())?;
            }
            out.write_all(f.text.as_bytes())?;
            for e in &report.errors {
                eprintln!("error: {e}");
            }
            return Ok(());
        }
    }
    if args.diff {
        human::write_diffs(report, out)?;
    }
    if args.statistics {
        stats::write(args, report, out)?;
    } else {
        match args.format {
            OutputFormat::Human => human::write(args, report, out)?,
            OutputFormat::Concise => concise::write(args, report, out)?,
            OutputFormat::Json => json::write(report, out)?,
            OutputFormat::JsonLines => json::write_lines(report, out)?,
            OutputFormat::Sarif => sarif::write(report, out)?,
            OutputFormat::Github => github::write(report, out)?,
            OutputFormat::Gitlab => gitlab::write(report, out)?,
            OutputFormat::Checkstyle => checkstyle::write(report, out)?,
            OutputFormat::Junit => junit::write(report, out)?,
            OutputFormat::Rdjson => rdjson::write(report, out)?,
        }
    }
    if args.show_fixes {
        // Formats read by machines keep standard output to themselves.
        if matches!(args.format, OutputFormat::Human | OutputFormat::Concise) {
            fixes::write(args, report, out)?;
        } else {
            fixes::write(args, report, &mut io::stderr())?;
        }
    }
    Ok(())
}

/// Whether `check` may write its output while it checks ([`Stream`]): not when standard
/// input is fixed (the output is the text), nor with `--diff`, `--show-fixes` or
/// `--statistics`, whose parts come in another order or need every file.
pub fn can_stream(args: &CheckArgs) -> bool {
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    !(stdin || args.diff || args.show_fixes || args.statistics)
}

/// What the document formats keep of each window of files until the end: the output
/// data of the findings, never the texts.
enum Kept {
    Nothing,
    /// `--format json` writes its `diagnostics` array as the files come (the header does not
    /// depend on them, `errors` and `summary` follow it): how many it has written.
    Json {
        written: usize,
    },
    Sarif(Vec<Box<str>>),
    Gitlab(Vec<Box<str>>),
    Rdjson(Vec<Box<str>>),
    Junit {
        cases: Vec<u8>,
        failures: usize,
    },
}

/// The output of a `check` written while files are checked: `check` hands over the files
/// in their final order, a window at a time, and drops them once written, so memory stays
/// flat in the number of files. Formats that are a sequence of records (human, concise,
/// github, json-lines, checkstyle) write each window at once, and so does json's
/// `diagnostics` array (its head is fixed, `errors` and `summary` follow it); the other
/// formats that are one document (sarif, gitlab, rdjson, junit) keep [`Kept`] and write at
/// the end. The output is the same as [`render`] of the whole report.
pub struct Stream<'a> {
    args: &'a CheckArgs,
    summary: Summary,
    /// Distinct engines, for the rules SARIF lists.
    engines: Vec<Arc<Engine>>,
    /// A finding at or above `--fail-on`.
    failing: bool,
    kept: Kept,
    started: bool,
}

impl<'a> Stream<'a> {
    pub fn new(args: &'a CheckArgs) -> Stream<'a> {
        let kept = match args.format {
            OutputFormat::Json => Kept::Json { written: 0 },
            OutputFormat::Sarif => Kept::Sarif(Vec::new()),
            OutputFormat::Gitlab => Kept::Gitlab(Vec::new()),
            OutputFormat::Rdjson => Kept::Rdjson(Vec::new()),
            OutputFormat::Junit => Kept::Junit {
                cases: Vec::new(),
                failures: 0,
            },
            _ => Kept::Nothing,
        };
        Stream {
            args,
            summary: Summary::default(),
            engines: Vec::new(),
            failing: false,
            kept,
            started: false,
        }
    }

    /// Writes (or keeps) a window of checked files, in order.
    pub fn files(&mut self, chunk: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut s = summarize(chunk);
        s.baselined = 0;
        self.summary.add(&s);
        for f in &chunk.files {
            if !self.engines.iter().any(|e| Arc::ptr_eq(e, &f.engine)) {
                self.engines.push(f.engine.clone());
            }
        }
        self.failing |= chunk
            .files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .any(|d| d.severity() >= self.args.fail_on);
        if !self.started {
            self.started = true;
            if self.args.format == OutputFormat::Checkstyle {
                checkstyle::write_start(out)?;
            }
            if self.args.format == OutputFormat::Json {
                out.write_all(json_head()?.as_bytes())?;
            }
        }
        match &mut self.kept {
            Kept::Json { written } => {
                for d in json::diagnostics(chunk) {
                    write_pretty_item(&serde_json::to_string_pretty(&d)?, 1, *written == 0, out)?;
                    *written += 1;
                }
            }
            Kept::Sarif(v) => v.extend(compact(sarif::results(chunk))),
            Kept::Gitlab(v) => v.extend(compact(gitlab::issues(chunk))),
            Kept::Rdjson(v) => v.extend(compact(rdjson::diagnostics(chunk))),
            Kept::Junit { cases, failures } => {
                junit::write_cases(chunk, cases)?;
                *failures += chunk.files.iter().filter(|f| !f.diagnostics.is_empty()).count();
            }
            Kept::Nothing => match self.args.format {
                OutputFormat::Human => human::write_files(self.args, chunk, out)?,
                OutputFormat::Concise => concise::write_files(chunk, out)?,
                OutputFormat::JsonLines => json::write_lines_files(chunk, out)?,
                OutputFormat::Github => github::write_files(chunk, out)?,
                OutputFormat::Checkstyle => checkstyle::write_files(chunk, out)?,
                _ => {}
            },
        }
        out.flush()
    }

    /// Writes the end: the files that could not be checked, the summary and the documents
    /// kept. Returns the counts and whether a finding reached `--fail-on` (even when
    /// writing failed).
    pub fn finish(
        mut self,
        errors: &[RunError],
        baselined: usize,
        out: &mut dyn Write,
    ) -> (Summary, bool, io::Result<()>) {
        self.summary.baselined = baselined;
        let s = self.summary;
        let failing = self.failing;
        (s, failing, self.write_end(errors, &s, out))
    }

    fn write_end(&mut self, errors: &[RunError], s: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let s = *s;
        if !self.started && self.args.format == OutputFormat::Checkstyle {
            checkstyle::write_start(out)?;
        }
        if !self.started && self.args.format == OutputFormat::Json {
            out.write_all(json_head()?.as_bytes())?;
        }
        match std::mem::replace(&mut self.kept, Kept::Nothing) {
            Kept::Json { written } => {
                if written == 0 {
                    out.write_all(b"[]")?;
                } else {
                    out.write_all(b"\n  ]")?;
                }
                let (_, tail) = json_split(&json::assemble(Vec::new(), errors, s))?;
                out.write_all(tail.as_bytes())?;
                writeln!(out)?;
            }
            Kept::Sarif(v) => {
                let rules = rules_of(self.engines.iter());
                let doc = sarif::assemble(Vec::new(), &rules, errors);
                let results = v.iter().map(|t| {
                    let mut r = expand(t);
                    if let Some(i) = r["ruleId"].as_str().and_then(|id| rules.keys().position(|k| k == id)) {
                        r["ruleIndex"] = serde_json::json!(i);
                    }
                    r
                });
                write_spliced(&doc, "results", 3, results, out)?;
            }
            Kept::Gitlab(v) => {
                // The issues of the files that could not be checked come last.
                let mut tail = Vec::new();
                gitlab::write_issues(Vec::new(), errors, &mut tail)?;
                let tail: Vec<serde_json::Value> = serde_json::from_slice(&tail).map_err(io::Error::other)?;
                write_pretty_array(v.iter().map(|t| expand(t)).chain(tail), 0, out)?;
                writeln!(out)?;
            }
            Kept::Rdjson(v) => {
                let mut whole = Vec::new();
                rdjson::write_diagnostics(Vec::new(), errors, &mut whole)?;
                let mut doc: serde_json::Value = serde_json::from_slice(&whole).map_err(io::Error::other)?;
                let tail = std::mem::replace(&mut doc["diagnostics"], serde_json::json!([]));
                let tail = tail.as_array().cloned().unwrap_or_default();
                write_spliced(&doc, "diagnostics", 1, v.iter().map(|t| expand(t)).chain(tail), out)?;
            }
            Kept::Junit { cases, failures } => junit::write_suite(&cases, s.files, failures, errors, out)?,
            Kept::Nothing => match self.args.format {
                OutputFormat::Human => human::write_end(self.args, errors, &s, out)?,
                OutputFormat::Concise => concise::write_end(self.args, errors, &s, out)?,
                OutputFormat::JsonLines => json::write_lines_end(errors),
                OutputFormat::Github => github::write_end(errors, out)?,
                OutputFormat::Checkstyle => checkstyle::write_end(errors, out)?,
                _ => {}
            },
        }
        out.flush()
    }
}

/// Values kept as compact JSON text: a `serde_json::Value` takes about twenty times the
/// memory of its text (2.2 GB for the SARIF results of 30,000 articles).
fn compact(values: Vec<serde_json::Value>) -> impl Iterator<Item = Box<str>> {
    values.into_iter().map(|v| v.to_string().into_boxed_str())
}

fn expand(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

/// Writes `items` as `serde_json::to_writer_pretty` writes an array nested `depth` deep.
/// One item of a pretty array `depth` deep, written as `serde_json` would inside the whole
/// document: `[` or `,`, a line break, and the item's lines indented.
fn write_pretty_item(text: &str, depth: usize, first: bool, out: &mut dyn Write) -> io::Result<()> {
    let pad = "  ".repeat(depth + 1);
    out.write_all(if first { b"[\n" } else { b",\n" })?;
    // JSON strings hold no raw line break: every line is structure, indented alike.
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(pad.as_bytes())?;
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// The pretty `--format json` document of no finding, cut around its empty `diagnostics`
/// array: what comes before the array, and what comes after it.
fn json_split(doc: &json::JsonReport<'_>) -> io::Result<(String, String)> {
    let text = serde_json::to_string_pretty(doc)?;
    let marker = "\n  \"diagnostics\": []";
    let at = text
        .find(marker)
        .map(|i| i + marker.len() - 2)
        .ok_or_else(|| io::Error::other("no empty `diagnostics` array to fill"))?;
    Ok((text[..at].to_string(), text[at + 2..].to_string()))
}

/// What `--format json` writes before its first finding.
fn json_head() -> io::Result<String> {
    Ok(json_split(&json::assemble(Vec::new(), &[], Summary::default()))?.0)
}

fn write_pretty_array(
    items: impl Iterator<Item = serde_json::Value>,
    depth: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut first = true;
    for v in items {
        write_pretty_item(&serde_json::to_string_pretty(&v)?, depth, first, out)?;
        first = false;
    }
    if first {
        out.write_all(b"[]")
    } else {
        write!(out, "\n{}]", "  ".repeat(depth))
    }
}

/// `doc` written pretty, with the empty array of `key` (a key `depth` deep) replaced by
/// `items`: the document as if they had been in it, without holding them all as values.
fn write_spliced(
    doc: &serde_json::Value,
    key: &str,
    depth: usize,
    items: impl Iterator<Item = serde_json::Value>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let text = serde_json::to_string_pretty(doc)?;
    let marker = format!("\n{}\"{key}\": []", "  ".repeat(depth));
    let at = text
        .find(&marker)
        .map(|i| i + marker.len() - 2)
        .ok_or_else(|| io::Error::other(format!("no empty `{key}` array to fill")))?;
    out.write_all(&text.as_bytes()[..at])?;
    write_pretty_array(items, depth, out)?;
    out.write_all(&text.as_bytes()[at + 2..])?;
    writeln!(out)
}

/// Counts used by summaries.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub diagnostics: usize,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub hints: usize,
    /// Diagnostics that `--fix` can fix.
    pub fixable: usize,
    /// Fixes applied by `--fix`/`--diff`.
    pub fixed: usize,
    /// Findings hidden because the `--baseline` records them.
    pub baselined: usize,
    /// Findings whose fix cannot be written in their file (a Word comment or field, an
    /// earlier tracked change, an HTML edit across a tag); present when not 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub not_fixed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// The counts of two parts of one run.
    fn add(&mut self, o: &Summary) {
        self.files += o.files;
        self.diagnostics += o.diagnostics;
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.info += o.info;
        self.hints += o.hints;
        self.fixable += o.fixable;
        self.fixed += o.fixed;
        self.baselined += o.baselined;
        self.not_fixed += o.not_fixed;
    }
}

pub fn summarize(report: &Report) -> Summary {
    use crate::diagnostic::Severity;
    let mut s = Summary {
        files: report.files.len(),
        baselined: report.baselined,
        ..Summary::default()
    };
    for f in &report.files {
        s.fixed += f.fixes_applied;
        for d in &f.diagnostics {
            s.diagnostics += 1;
            match d.severity() {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.info += 1,
                Severity::Hint => s.hints += 1,
                Severity::Off => {}
            }
            if d.fixes.iter().any(|f| f.safe) {
                s.fixable += 1;
            }
            if d.not_fixed.is_some() {
                s.not_fixed += 1;
            }
        }
    }
    s
}

/// Every rule of every engine the report used, by `pack/id` (the first engine wins when
/// overrides gave a rule different settings in different folders).
pub fn rules_in_use(report: &Report) -> BTreeMap<String, &RuleMeta> {
    rules_of(report.files.iter().map(|f| &f.engine))
}

/// [`rules_in_use`] for engines in the order files used them.
pub fn rules_of<'a>(engines: impl Iterator<Item = &'a Arc<Engine>>) -> BTreeMap<String, &'a RuleMeta> {
    let mut seen: Vec<&Arc<Engine>> = Vec::new();
    let mut rules = BTreeMap::new();
    for engine in engines {
        if seen.iter().any(|e| Arc::ptr_eq(e, engine)) {
            continue;
        }
        seen.push(engine);
        for r in engine.rules() {
            rules.entry(r.full_id()).or_insert(&**r);
        }
    }
    rules
}

/// A fix's edits as one replacement: from the first edit's start to the last edit's end,
/// keeping the original text between edits. `None` when the fix has no edits or its
/// edits overlap.
pub fn merged_edit(file: &FileReport, fix: &crate::diagnostic::Fix) -> Option<(std::ops::Range<usize>, String)> {
    let mut edits: Vec<_> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let start = edits.first()?.range.start;
    let end = edits.iter().map(|e| e.range.end).max()?;
    let mut text = String::new();
    let mut pos = start;
    for e in edits {
        if e.range.start < pos {
            return None;
        }
        text.push_str(file.text.get(pos..e.range.start)?);
        text.push_str(&e.replacement);
        pos = e.range.end;
    }
    text.push_str(file.text.get(pos..end)?);
    Some((start..end, text))
}

/// `pack/id` of a diagnostic's rule.
pub fn rule_id(file: &FileReport, d: &Diagnostic) -> String {
    file.engine.rule(d.rule).full_id()
}

/// One-based (line, column) in characters, and the same for the (exclusive) end.
pub fn span(file: &FileReport, range: &std::ops::Range<usize>) -> ((usize, usize), (usize, usize)) {
    (file.lines.human(range.start), file.lines.human(range.end))
}

/// Control characters (C0 but tab, CR and LF; DEL; C1) replaced by visible stand-ins,
/// one column each: C0 and DEL by their Unicode control pictures (`␛` for ESC), C1 by
/// `�`. Text from checked files (found text, file names, messages that quote the file)
/// passes through here before it reaches a terminal, so a file cannot send escape
/// sequences to the reader's terminal.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let is_control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if !s.chars().any(is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                c if !is_control(c) => c,
                '\u{7f}' => '\u{2421}',
                c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                _ => '\u{fffd}',
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::escape_controls;

    #[test]
    fn control_characters_become_pictures() {
        assert_eq!(escape_controls("a\u{1b}[31mb\tc\r\n"), "a\u{241b}[31mb\tc\r\n");
        assert_eq!(escape_controls("x\u{7f}\u{9b}\u{0}"), "x\u{2421}\u{fffd}\u{2400}");
        assert!(matches!(escape_controls("Hoà bình"), std::borrow::Cow::Borrowed(_)));
    }
}
