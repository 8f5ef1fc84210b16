//! Projects as the server sees them: one per config file (nearest `.copydesk.toml`, as
//! the CLI finds it) plus the client's settings, reloaded when rule files or configs
//! change. A reload that fails keeps the last good project and remembers the errors, so
//! the editor can show them on the files at fault.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::proto::{self, lsp};
use super::state::{lock, DocKind, Shared};
use crate::config::{Config, CONFIG_FILE};
use crate::pack::examples::run_examples;
use crate::pack::LoadError;
use crate::project::Project;
use crate::text::{Encoding, LineIndex};

#[derive(Default)]
struct Slot {
    good: Option<Arc<Project>>,
    errors: Vec<LoadError>,
    /// When a document last used it (a tick of `Workspace::tick`).
    used: u64,
}

/// Projects no open document uses are kept, most recent first, up to this many (reopening
/// a file of a recent folder then costs no reload); the rest are freed.
pub const KEEP_UNUSED: usize = 4;

/// Loaded projects by config file.
///
/// Projects are loaded and reloaded **outside** the lock (see [`project`] and
/// [`reload_projects`]): a slow load never blocks the protocol task, which takes this lock
/// for quick lookups.
#[derive(Default)]
pub struct Workspace {
    /// Client settings layered over every config.
    pub extra: Option<Config>,
    slots: BTreeMap<Option<PathBuf>, Slot>,
    /// A load happened since the problems were last published.
    pub dirty: bool,
    /// Messages already shown with `window/showMessage`.
    shown: HashSet<String>,
    /// URIs that carry problems now.
    pub problem_uris: HashSet<lsp::Uri>,
    /// Folders of the packs in use and of files with errors (canonical), kept current.
    watched: Vec<PathBuf>,
    tick: u64,
}

impl Workspace {
    fn install(&mut self, key: &Option<PathBuf>, result: Result<Project, Vec<LoadError>>) {
        self.tick += 1;
        let tick = self.tick;
        let slot = self.slots.entry(key.clone()).or_default();
        slot.used = tick;
        match result {
            Ok(p) => {
                slot.good = Some(Arc::new(p));
                slot.errors.clear();
            }
            Err(e) => slot.errors = e,
        }
        self.dirty = true;
        self.watched = self.compute_watched_dirs();
    }

    /// The project for a config file if loaded (or the last good one), marking it used.
    fn loaded(&mut self, key: &Option<PathBuf>) -> Option<Option<Arc<Project>>> {
        self.tick += 1;
        let tick = self.tick;
        let slot = self.slots.get_mut(key)?;
        slot.used = tick;
        Some(slot.good.clone())
    }

    /// Frees projects whose config file no open document uses, except the
    /// [`KEEP_UNUSED`] most recently used.
    pub fn retain(&mut self, used: &HashSet<Option<PathBuf>>) {
        let mut unused: Vec<(u64, Option<PathBuf>)> = self
            .slots
            .iter()
            .filter(|(k, _)| !used.contains(*k))
            .map(|(k, s)| (s.used, k.clone()))
            .collect();
        if unused.len() <= KEEP_UNUSED {
            return;
        }
        unused.sort_by_key(|u| std::cmp::Reverse(u.0));
        for (_, k) in unused.drain(KEEP_UNUSED..) {
            self.slots.remove(&k);
        }
        self.watched = self.compute_watched_dirs();
    }

    /// How many projects are loaded.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn errors(&self) -> Vec<LoadError> {
        let mut out: Vec<LoadError> = Vec::new();
        for s in self.slots.values() {
            for e in &s.errors {
                if !out.contains(e) {
                    out.push(e.clone());
                }
            }
        }
        out
    }

    pub fn projects(&self) -> Vec<Arc<Project>> {
        self.slots.values().filter_map(|s| s.good.clone()).collect()
    }

    fn compute_watched_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = Vec::new();
        for s in self.slots.values() {
            if let Some(p) = &s.good {
                for pk in &p.packs {
                    if !pk.origin.starts_with("builtin:") {
                        dirs.push(canonical(Path::new(&pk.origin)));
                    }
                }
            }
            for e in &s.errors {
                if let Some(parent) = Path::new(&e.file).parent() {
                    dirs.push(canonical(parent));
                }
            }
        }
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// Folders of the packs in use (canonical), and the folders of files with errors.
    pub fn watched_dirs(&self) -> &[PathBuf] {
        &self.watched
    }

    /// Marks a message as shown; `false` if it was shown before.
    pub fn first_time(&mut self, message: &str) -> bool {
        self.shown.insert(message.to_string())
    }

    pub fn forget_shown(&mut self, current: &[String]) {
        self.shown.retain(|m| current.contains(m));
    }
}

/// Whether a change to `path` can change the rules, given the watched folders.
pub fn is_relevant(path: &Path, watched: &[PathBuf]) -> bool {
    if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
        return true;
    }
    if path.extension().is_none_or(|e| e != "toml") {
        return false;
    }
    let parent = path.parent().map(canonical);
    parent.is_some_and(|p| watched.contains(&p))
}

/// The project for a config file, loading it (without holding the workspace lock) on
/// first use; the last good one if it broke.
pub fn project(shared: &Shared, key: &Option<PathBuf>) -> Option<Arc<Project>> {
    let extra = {
        let mut ws = lock(&shared.workspace);
        if let Some(p) = ws.loaded(key) {
            return p;
        }
        ws.extra.clone()
    };
    let result = Project::load(key.as_deref(), extra.as_ref());
    let mut ws = lock(&shared.workspace);
    // Another check may have loaded it meanwhile: keep the first.
    if let Some(p) = ws.loaded(key) {
        return p;
    }
    ws.install(key, result);
    ws.loaded(key).flatten()
}

/// Reloads the projects still used (or recent), outside the lock; failures keep the last
/// good rules.
pub fn reload_projects(shared: &Shared, used: &HashSet<Option<PathBuf>>) {
    let (keys, extra) = {
        let mut ws = lock(&shared.workspace);
        ws.retain(used);
        (ws.slots.keys().cloned().collect::<Vec<_>>(), ws.extra.clone())
    };
    let results: Vec<_> = keys
        .into_iter()
        .map(|k| {
            let r = Project::load(k.as_deref(), extra.as_ref());
            (k, r)
        })
        .collect();
    let mut ws = lock(&shared.workspace);
    for (k, r) in results {
        ws.install(&k, r);
    }
}

pub fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn file_text(shared: &Shared, path: &Path) -> Option<String> {
    let uri = proto::uri_of(path)?;
    if let Some(d) = lock(&shared.docs).get(&uri) {
        return Some(d.rope.to_string());
    }
    std::fs::read_to_string(path).ok()
}

fn load_error_diagnostic(e: &LoadError, text: Option<&str>, encoding: Encoding) -> lsp::Diagnostic {
    let range = match text {
        Some(t) => {
            let lines = LineIndex::new(t);
            match &e.span {
                Some(span) => proto::range(&lines, span.clone(), encoding),
                None => {
                    let p = proto::human_position(&lines, e.line, e.column, encoding);
                    lsp::Range::new(p, p)
                }
            }
        }
        None => lsp::Range::default(),
    };
    lsp::Diagnostic {
        range,
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        code: e.key.clone().map(lsp::NumberOrString::String),
        source: Some("copydesk".into()),
        message: e.message.clone(),
        ..Default::default()
    }
}

/// The problems to show: load errors on their files, and failing `examples` of open
/// rule files. Blocking: reads files and runs examples.
pub fn compute_problems(shared: &Shared) -> (HashMap<lsp::Uri, Vec<lsp::Diagnostic>>, Vec<String>) {
    let encoding = shared.encoding();
    let (errors, projects) = {
        let ws = lock(&shared.workspace);
        (ws.errors(), ws.projects())
    };
    let mut out: HashMap<lsp::Uri, Vec<lsp::Diagnostic>> = HashMap::new();
    let mut messages = Vec::new();
    for e in &errors {
        messages.push(format!("copydesk: {e}"));
        let path = Path::new(&e.file);
        if e.file.starts_with("builtin:") || !path.is_file() {
            continue;
        }
        let Some(uri) = proto::uri_of(path) else { continue };
        let text = file_text(shared, path);
        out.entry(uri)
            .or_default()
            .push(load_error_diagnostic(e, text.as_deref(), encoding));
    }
    // Failing examples of open rule files.
    let open_rule_files: Vec<(lsp::Uri, PathBuf)> = lock(&shared.docs)
        .iter()
        .filter(|(_, d)| d.kind == DocKind::RuleFile)
        .filter_map(|(u, d)| d.path.clone().map(|p| (u.clone(), canonical(&p))))
        .collect();
    for (uri, path) in open_rule_files {
        let Some(project) = projects.iter().find(|p| {
            p.packs.iter().any(|pk| {
                pk.rules
                    .iter()
                    .any(|r| canonical(Path::new(&r.raw.meta.source.file)) == path)
            })
        }) else {
            continue;
        };
        let engine = project.engine();
        let report = run_examples(&engine, &|idx| {
            canonical(Path::new(&engine.rule(idx).source.file)) == path
        });
        if report.failures.is_empty() {
            continue;
        }
        let text = file_text(shared, &path).unwrap_or_default();
        let lines = LineIndex::new(&text);
        for f in report.failures {
            let start = proto::human_position(&lines, f.line, f.column, encoding);
            let end_off = lines.line_content_end(start.line as usize);
            let mut end = proto::position(&lines, end_off, encoding);
            if end < start {
                end = start;
            }
            out.entry(uri.clone()).or_default().push(lsp::Diagnostic {
                range: lsp::Range::new(start, end),
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                code: Some(lsp::NumberOrString::String(f.rule.clone())),
                source: Some("copydesk".into()),
                message: format!("example {} of `{}` fails: {}", f.index + 1, f.rule, f.problem),
                ..Default::default()
            });
        }
    }
    (out, messages)
}
