//! `copydesk check`: find files, load their projects, check in parallel, fix, report.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::baseline::Baseline;
use super::changed::ChangedLines;
use super::files::{self, Input};
use super::output;
use super::report::{FileReport, Report, RunError};
use super::{CheckArgs, ConfigArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::{find_config, Config};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, Format};
use crate::engine::Engine;
use crate::fix::fix_to_fixpoint_with;
use crate::pack::LoadError;
use crate::project::{PackTrust, Project};
use crate::text::LineIndex;

/// Standard input as read, so that `check --fix -` can give it back unchanged when it
/// cannot be checked (there is one standard input per process).
pub(crate) static STDIN_COPY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();

type ProjectResult = Result<Arc<Project>, Vec<LoadError>>;

/// Whether repository configs may name packs outside the repository: the command line
/// (`--allow-external-packs`) or the user config says so.
fn pack_trust(args: &ConfigArgs) -> Result<PackTrust, LoadError> {
    let user = PackTrust::from_user_config()?;
    Ok(PackTrust {
        allow_external: args.allow_external_packs || user.allow_external,
    })
}

/// Loads projects once per config file, and remembers which configs failed so that
/// each failure is reported once, whoever asked first (file discovery or checking).
pub struct Projects {
    args: ConfigArgs,
    cache: Mutex<HashMap<Option<PathBuf>, ProjectResult>>,
    /// The config found for each folder: discovery asks twice per file (extensions,
    /// exclusion) and checking once more, and each search stats every parent folder.
    found: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

impl Projects {
    pub fn new(args: &ConfigArgs) -> Projects {
        Projects {
            args: args.clone(),
            cache: Mutex::new(HashMap::new()),
            found: Mutex::new(HashMap::new()),
        }
    }

    fn extra(&self) -> Option<Config> {
        if self.args.packs.is_empty() && self.args.profile.is_none() {
            return None;
        }
        Some(Config {
            packs: (!self.args.packs.is_empty()).then(|| self.args.packs.clone()),
            profile: self.args.profile.clone(),
            ..Config::default()
        })
    }

    /// The config file that governs `path`.
    pub fn config_for(&self, path: &Path) -> Option<PathBuf> {
        if self.args.no_config {
            None
        } else if let Some(c) = &self.args.config {
            Some(c.clone())
        } else {
            // The search starts at the folder itself, or at a file's folder.
            let folder = match path.parent() {
                Some(parent) if !path.is_dir() => parent,
                _ => path,
            };
            let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
            found
                .entry(folder.to_path_buf())
                .or_insert_with(|| find_config(folder))
                .clone()
        }
    }

    /// The project for `path`, or the errors of its config (every time it is asked).
    pub fn for_path(&self, path: &Path) -> Result<Arc<Project>, Vec<LoadError>> {
        let key = self.config_for(path);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(key.clone())
            .or_insert_with(|| {
                let extra = self.extra();
                match pack_trust(&self.args) {
                    Ok(trust) => Project::load_trusting(key.as_deref(), extra.as_ref(), &trust).map(Arc::new),
                    Err(e) => Err(vec![e]),
                }
            })
            .clone()
    }

    /// Every config, pack or profile error met so far, once per config, in path order.
    pub fn errors(&self) -> Vec<RunError> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let mut failed: Vec<_> = cache
            .iter()
            .filter_map(|(k, r)| r.as_ref().err().map(|e| (k, e)))
            .collect();
        failed.sort_by(|a, b| a.0.cmp(b.0));
        let mut out: Vec<RunError> = Vec::new();
        for (_, errs) in failed {
            for e in errs {
                let e = RunError::from(e);
                if !out.iter().any(|o| o.to_string() == e.to_string()) {
                    out.push(e);
                }
            }
        }
        out
    }
}

/// What [`check_text`] gives: the text (fixed with `fix`), the original when fixes
/// changed it, the findings left, how many fixes were applied, and the text's line index
/// when the check already built it.
pub struct Checked {
    pub text: String,
    pub original: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub fixes_applied: usize,
    pub lines: Option<LineIndex>,
}

/// What a file whose check panicked reports (the panic's own message goes to standard error).
const INTERNAL_ERROR: &str =
    "internal error while checking this file (a bug in copydesk: please report it with the file); the file was left unchanged";

/// Checks one text. `fix` applies safe fixes (and unsafe ones too with `unsafe_fixes`)
/// to a fixpoint first. A fix round that would grow the text beyond
/// [`crate::fix::round_growth_limit`] is an error naming the rule, and no fix is applied.
pub fn check_text(
    engine: &Arc<Engine>,
    text: String,
    format: Format,
    fix: bool,
    unsafe_fixes: bool,
    plain_headline: bool,
) -> Result<Checked, String> {
    // Fault injection for the tests of the panic guard above (debug builds only).
    #[cfg(debug_assertions)]
    if std::env::var("COPYDESK_TEST_PANIC").is_ok_and(|marker| !marker.is_empty() && text.contains(&marker)) {
        panic!("injected panic (COPYDESK_TEST_PANIC)");
    }
    if fix {
        let make_doc = |t, f| Document::with_plain_headline(t, f, plain_headline);
        let outcome = fix_to_fixpoint_with(engine, &text, format, &make_doc, &|_| true, !unsafe_fixes);
        if let Some(r) = &outcome.runaway {
            return Err(r.message(engine));
        }
        if outcome.text != text {
            return Ok(Checked {
                text: outcome.text,
                original: Some(text),
                diagnostics: outcome.remaining,
                fixes_applied: outcome.applied,
                lines: None,
            });
        }
        return Ok(Checked {
            text,
            original: None,
            diagnostics: outcome.remaining,
            fixes_applied: 0,
            lines: None,
        });
    }
    let doc = Document::with_plain_headline(text, format, plain_headline);
    let diagnostics = engine.check(&doc);
    let (source, lines) = doc.into_source_with_lines();
    Ok(Checked {
        text: source,
        original: None,
        diagnostics,
        fixes_applied: 0,
        lines,
    })
}

fn check_one(
    input: Input,
    display: String,
    projects: &Projects,
    args: &CheckArgs,
) -> Result<FileReport, Vec<RunError>> {
    let named = match &input {
        Input::File(p) => Some(p.as_path()),
        Input::Stdin(name) => name.as_deref(),
    };
    if let Some(kind) = named.and_then(super::formats::Kind::of) {
        return super::formats::check_one(kind, input, display, projects, args);
    }
    // With `--fix`, who the file is before it is read, to make sure before writing that
    // it is still the same file with the same bytes.
    let writing = args.fix && !args.diff;
    let mut snapshot = None;
    let (source, path_for_config) = match &input {
        Input::File(p) => {
            if writing {
                snapshot = super::write::Snapshot::take(p).ok();
                super::write::sweep_stale(p.parent().unwrap_or(Path::new("")));
            }
            (files::read(p), p.clone())
        }
        Input::Stdin(name) => {
            let mut bytes = Vec::new();
            let r = std::io::stdin().read_to_end(&mut bytes).map_err(|e| e.to_string());
            let _ = STDIN_COPY.set(bytes.clone());
            (
                r.and_then(|_| files::decode(bytes)),
                name.clone().unwrap_or_else(|| PathBuf::from("-")),
            )
        }
    };
    let source = source.map_err(|m| vec![RunError::whole_file(display.clone(), m)])?;
    // A config error is reported once for all its files, by `collect`.
    let project = projects.for_path(&path_for_config).map_err(|_| Vec::new())?;
    let engine = project
        .engine_for(&path_for_config)
        .map_err(|errs| errs.iter().map(RunError::from).collect::<Vec<_>>())?;
    let format = Format::from_path(&path_for_config);
    let Checked {
        text,
        original,
        diagnostics,
        fixes_applied,
        lines,
    } = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_text(
            &engine,
            source.text,
            format,
            args.fix || args.diff,
            args.unsafe_fixes,
            project.config.plain_headline != Some(crate::config::PlainHeadline::None),
        )
    }))
    // A bug in one rule costs one file, not the run: the file is reported and left as it was.
    .unwrap_or_else(|_| Err(INTERNAL_ERROR.to_string()))
    .map_err(|message| vec![RunError::whole_file(display.clone(), message)])?;
    if writing {
        if let (Some(before), Input::File(p)) = (&original, &input) {
            let mut bytes = Vec::with_capacity(before.len() + 3);
            if source.had_bom {
                bytes.extend_from_slice(files::BOM.as_bytes());
            }
            bytes.extend_from_slice(before.as_bytes());
            let policy = super::write::WritePolicy {
                read_only: args.fix_read_only,
            };
            let written = match &snapshot {
                Some(snap) => super::write::write_fixed(p, snap, &bytes, &text, source.had_bom, policy),
                None => Err("the file could not be examined before reading; the fixes were not written".into()),
            };
            written.map_err(|message| vec![RunError::whole_file(display.clone(), message)])?;
        }
    }
    Ok(FileReport {
        display,
        input,
        lines: lines.unwrap_or_else(|| LineIndex::new(&text)),
        text,
        had_bom: source.had_bom,
        engine,
        diagnostics,
        original,
        fixes_applied,
        docx: None,
    })
}

/// Checks everything the arguments name and returns the report (no output).
pub fn collect(args: &CheckArgs) -> Report {
    let mut files = Vec::new();
    let errors = collect_windows(args, &mut |mut window| files.append(&mut window));
    Report {
        files,
        errors,
        baselined: 0,
    }
}

/// How many files are checked at once (in parallel) before they are handed over in order:
/// the reorder window of streamed output, and what bounds its memory.
pub const WINDOW: usize = 256;

/// Checks everything the arguments name, handing the checked files to `on_window` in
/// their final order, [`WINDOW`] at a time; returns the files and configs that could not
/// be checked.
pub fn collect_windows(args: &CheckArgs, on_window: &mut dyn FnMut(Vec<FileReport>)) -> Vec<RunError> {
    let projects = Projects::new(&args.config);
    let mut errors: Vec<RunError> = Vec::new();
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut inputs: Vec<(Input, String)> = Vec::new();
    let mut disk_paths = Vec::new();
    for p in &paths {
        if p.as_os_str() == "-" {
            let name = args.stdin_filename.clone();
            let display = name
                .as_ref()
                .map_or_else(|| "-".to_string(), |n| n.display().to_string());
            inputs.push((Input::Stdin(name), display));
        } else {
            disk_paths.push(p.clone());
        }
    }
    let extensions_for = |p: &Path| match projects.for_path(p) {
        Ok(project) => project.config.extensions(),
        Err(_) => Config::default().extensions(),
    };
    let excluded = |p: &Path| projects.for_path(p).map(|pr| pr.is_excluded(p)).unwrap_or(false);
    // Load the project of every named path (the current folder by default) up front, so
    // that a config, pack or profile error is reported even where no file is found.
    if disk_paths.is_empty() && inputs.is_empty() {
        let _ = projects.for_path(Path::new("."));
    }
    for p in &disk_paths {
        let _ = projects.for_path(p);
    }
    let (mut found, walk_errors) = files::discover(&disk_paths, &extensions_for, &excluded);
    if args.force_exclude {
        found.retain(|p| !excluded(p));
    }
    for (p, m) in walk_errors {
        errors.push(RunError::whole_file(p.display().to_string(), m));
    }
    inputs.extend(found.into_iter().map(|p| {
        let display = p.display().to_string();
        let display = display.strip_prefix("./").map(str::to_string).unwrap_or(display);
        (Input::File(p), display)
    }));

    let projects = &projects;
    let mut file_errors = Vec::new();
    let pool = args
        .threads
        .and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build().ok());
    let mut inputs = inputs.into_iter();
    loop {
        let window: Vec<_> = inputs.by_ref().take(WINDOW).collect();
        if window.is_empty() {
            break;
        }
        let check = || {
            window
                .into_par_iter()
                .map(|(input, display)| check_one(input, display, projects, args))
                .collect::<Vec<_>>()
        };
        let results = match &pool {
            Some(pool) => pool.install(check),
            None => check(),
        };
        let mut files = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(f) => files.push(f),
                Err(e) => file_errors.extend(e),
            }
        }
        on_window(files);
    }
    errors.extend(projects.errors());
    errors.extend(file_errors);
    errors
}

/// Keeps only the diagnostics that touch a changed line.
pub fn filter_changed(report: &mut Report, changed: &ChangedLines) {
    for f in &mut report.files {
        let path = match &f.input {
            Input::File(p) => p.clone(),
            Input::Stdin(Some(p)) => p.clone(),
            Input::Stdin(None) => PathBuf::from("-"),
        };
        let Some(changes) = changed.for_path(&path) else {
            f.diagnostics.clear();
            continue;
        };
        let lines = &f.lines;
        f.diagnostics.retain(|d| {
            let (first, _) = lines.human(d.range.start);
            let (mut last, col) = lines.human(d.range.end);
            // A range that ends at the start of a line does not touch that line.
            if col == 1 && last > first {
                last -= 1;
            }
            changes.touches(first, last)
        });
    }
}

fn fail(message: &str) -> u8 {
    eprintln!("copydesk: error: {message}");
    EXIT_ERROR
}

/// Runs `check` and prints the report; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    // Problems with the arguments are reported before any checking.
    let changed = match &args.changed_since {
        Some(rev) => match ChangedLines::load(rev, args.include_untracked) {
            Ok(c) => Some(c),
            Err(m) => return fail(&m),
        },
        None => None,
    };
    let baseline = match &args.baseline {
        Some(p) if args.write_baseline.is_none() => match Baseline::read(p) {
            Ok(b) => Some(b),
            Err(m) => return fail(&m),
        },
        _ => None,
    };
    if args.write_baseline.is_none() && output::can_stream(args) {
        return run_streamed(args, changed.as_ref(), baseline.as_ref());
    }
    let mut report = collect(args);
    if let Some(c) = &changed {
        filter_changed(&mut report, c);
    }
    if let Some(path) = &args.write_baseline {
        for e in &report.errors {
            eprintln!("error: {e}");
        }
        return match super::baseline::write(&report, path) {
            Ok(n) => {
                if !args.quiet {
                    eprintln!(
                        "Recorded {n} finding(s) in {} file(s) in the baseline {}.",
                        report.files.iter().filter(|f| !f.diagnostics.is_empty()).count(),
                        path.display()
                    );
                }
                EXIT_OK
            }
            Err(m) => fail(&m),
        };
    }
    if let Some(b) = &baseline {
        report.baselined = b.filter(&mut report);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // `check --fix -` is a filter: standard output carries the text and nothing else. When
    // standard input could not be checked, the text goes through unchanged and the report
    // goes to standard error.
    let stdin_filter = args.fix && !args.diff && args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin_filter && !report.files.iter().any(|f| matches!(f.input, Input::Stdin(_))) {
        use std::io::Write;
        if let Some(bytes) = STDIN_COPY.get() {
            let _ = out.write_all(bytes).and_then(|_| out.flush());
        }
        let _ = output::render(args, &report, &mut std::io::stderr());
        return exit_code(args, &report);
    }
    if let Err(e) = output::render(args, &report, &mut out) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("copydesk: cannot write output: {e}");
            return EXIT_ERROR;
        }
    }
    exit_code(args, &report)
}

/// [`run`] with the output written while files are checked ([`output::Stream`]), so that
/// memory stays flat in the number of files.
fn run_streamed(args: &CheckArgs, changed: Option<&ChangedLines>, baseline: Option<&Baseline>) -> u8 {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut stream = output::Stream::new(args);
    let mut baselined = 0;
    let mut written = Ok(());
    let errors = collect_windows(args, &mut |files| {
        let mut window = Report {
            files,
            errors: Vec::new(),
            baselined: 0,
        };
        if let Some(c) = changed {
            filter_changed(&mut window, c);
        }
        if let Some(b) = baseline {
            baselined += b.filter(&mut window);
        }
        // After a write error the counts still go on, for the exit code.
        let r = stream.files(&window, &mut out);
        if written.is_ok() {
            written = r;
        }
    });
    let (summary, failing, end) = stream.finish(&errors, baselined, &mut out);
    if let Err(e) = written.and(end) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("copydesk: cannot write output: {e}");
            return EXIT_ERROR;
        }
    }
    let too_many_warnings = args.max_warnings.is_some_and(|max| summary.warnings > max);
    if !errors.is_empty() {
        EXIT_ERROR
    } else if failing || too_many_warnings {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

pub fn exit_code(args: &CheckArgs, report: &Report) -> u8 {
    if !report.errors.is_empty() {
        return EXIT_ERROR;
    }
    let all = || report.files.iter().flat_map(|f| &f.diagnostics);
    let failing = all().any(|d| d.severity() >= args.fail_on);
    let too_many_warnings = args
        .max_warnings
        .is_some_and(|max| all().filter(|d| d.severity() == Severity::Warning).count() > max);
    let would_change = args.diff && report.files.iter().any(|f| f.original.is_some());
    if failing || too_many_warnings || would_change {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
