//! Checking open documents off the protocol task and delivering the results: pushed
//! (`publishDiagnostics` with the version) or pulled (`textDocument/diagnostic` with
//! result ids), whichever the client supports.
//!
//! Every change gets a new generation. A check is scheduled after the debounce delay,
//! runs on the blocking pool with the document's [`BlockCache`](crate::engine::BlockCache),
//! and is stored only if its generation is still the document's: results for old text
//! are dropped, never published over newer ones.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use super::proto::{self, lsp, RpcError, RpcResult};
use super::state::{lock, Checked, Dirty, DocCache, DocKind, ReloadScope, Shared, Snapshot};
use super::workspace;
use crate::diagnostic::Diagnostic;
use crate::document::{Document, Format};
use crate::engine::Engine;
use crate::text::{Encoding, LineIndex};

/// The lowest and highest byte a diagnostic or its fixes touch.
fn extent(d: &Diagnostic) -> (usize, usize) {
    d.fixes
        .iter()
        .flat_map(|f| &f.edits)
        .fold((d.range.start, d.range.end), |(lo, hi), e| {
            (lo.min(e.range.start), hi.max(e.range.end))
        })
}

fn shifted(d: &Diagnostic, delta: isize) -> Diagnostic {
    let mv = |x: usize| x.checked_add_signed(delta).unwrap_or(0);
    let mut d = d.clone();
    d.range = mv(d.range.start)..mv(d.range.end);
    for e in d.fixes.iter_mut().flat_map(|f| f.edits.iter_mut()) {
        e.range = mv(e.range.start)..mv(e.range.end);
    }
    d
}

/// The LSP forms of `diagnostics`. Those of the previous check whose positions cannot
/// have moved (before the changed bytes, or on later lines when no line break changed)
/// are reused, so a keystroke converts only what is near it. Returns whether the result
/// is the previous one, in the same order.
fn convert(
    diagnostics: &[Diagnostic],
    engine: &Arc<Engine>,
    lines: &LineIndex,
    encoding: Encoding,
    prev: Option<&(Arc<Checked>, Option<Dirty>)>,
) -> (Vec<lsp::Diagnostic>, bool) {
    let prev = prev.filter(|(c, _)| c.engine.as_ref().is_some_and(|e| Arc::ptr_eq(e, engine)));
    let Some((old, dirty)) = prev else {
        let all = diagnostics
            .iter()
            .map(|d| proto::diagnostic(d, engine, lines, encoding))
            .collect();
        return (all, false);
    };
    let mut same: HashMap<&Diagnostic, usize> = HashMap::new();
    let mut moved: HashMap<Diagnostic, usize> = HashMap::new();
    match dirty {
        None => same.extend(old.diagnostics.iter().enumerate().map(|(i, d)| (d, i))),
        Some(dirty) => {
            let old_hi = dirty.hi.checked_add_signed(-dirty.delta).unwrap_or(0);
            let next_line = old.lines.position(old_hi, Encoding::Utf8).line + 1;
            let after = old.lines.line_start(next_line);
            for (i, d) in old.diagnostics.iter().enumerate() {
                let (lo, hi) = extent(d);
                if hi <= dirty.lo {
                    same.insert(d, i);
                } else if !dirty.lines_changed && lo >= after {
                    moved.insert(shifted(d, dirty.delta), i);
                }
            }
        }
    }
    let mut identical = diagnostics.len() == old.diagnostics.len();
    let out = diagnostics
        .iter()
        .enumerate()
        .map(|(j, d)| match same.get(d).or_else(|| moved.get(d)) {
            Some(&i) => {
                identical &= i == j;
                old.lsp[i].clone()
            }
            None => {
                identical = false;
                proto::diagnostic(d, engine, lines, encoding)
            }
        })
        .collect();
    (out, identical)
}

/// Checks a snapshot. Blocking: may load a project, runs the engine.
pub fn run_check(shared: &Arc<Shared>, snap: Snapshot) -> Checked {
    let session = shared.session();
    let lines = LineIndex::from_rope(snap.rope.clone());
    let mut checked = Checked {
        generation: snap.generation,
        version: snap.version,
        lines,
        project: None,
        engine: None,
        diagnostics: Vec::new(),
        lsp: Vec::new(),
        result_id: String::new(),
    };
    if !session.settings.enabled() {
        return checked;
    }
    let project = workspace::project(shared, &snap.config, snap.generation);
    let Some(project) = project else {
        return checked;
    };
    let path = snap.path.clone().unwrap_or_default();
    if snap.path.is_some() && project.is_excluded(&path) {
        checked.project = Some(project);
        return checked;
    }
    let Ok(engine) = project.engine_for(&path) else {
        checked.project = Some(project);
        return checked;
    };
    let text = snap.rope.to_string();
    let headline = project.config.plain_headline != Some(crate::config::PlainHeadline::None);
    let doc = if snap.format == Format::Plain && !headline {
        Document::plain_body(text)
    } else if snap.format == Format::Html {
        // `[html]` asks for attribute values too.
        Document::html_with(text, &project.config.html.unwrap_or_default().attributes())
    } else {
        Document::with_line_index(text, snap.format, checked.lines.clone())
    };
    if let Some(e) = doc.error() {
        let (line, column) = checked.lines.human(e.offset);
        shared.log(
            lsp::MessageType::WARNING,
            format!("copydesk: {}:{line}:{column}: {}", path.display(), e.message),
        );
    }
    let diagnostics = {
        let mut cache = lock(&snap.cache);
        if !cache.engine.as_ref().is_some_and(|e| Arc::ptr_eq(e, &engine)) {
            *cache = DocCache {
                engine: Some(engine.clone()),
                ..DocCache::default()
            };
        }
        engine.check_cached(&doc, &mut cache.cache)
    };
    let (lsp, identical) = convert(
        &diagnostics,
        &engine,
        &checked.lines,
        session.encoding,
        snap.prev.as_ref(),
    );
    if identical {
        if let Some((old, _)) = &snap.prev {
            checked.result_id = old.result_id.clone();
        }
    }
    checked.lsp = lsp;
    checked.diagnostics = diagnostics;
    checked.engine = Some(engine);
    checked.project = Some(project);
    checked
}

/// Runs a check on the blocking pool; a panic becomes a log message.
async fn check_blocking(shared: &Arc<Shared>, snap: Snapshot) -> Option<Checked> {
    let s = shared.clone();
    match tokio::task::spawn_blocking(move || run_check(&s, snap)).await {
        Ok(c) => Some(c),
        Err(e) => {
            shared.log(lsp::MessageType::ERROR, format!("copydesk: the check failed: {e}"));
            None
        }
    }
}

/// Stores a result if it is still the newest for its document, and publishes it in push
/// mode. Returns the stored result.
async fn store(shared: &Arc<Shared>, uri: &lsp::Uri, mut checked: Checked) -> Option<Arc<Checked>> {
    let _guard = shared.publish.lock().await;
    let (stored, push) = {
        let mut docs = lock(&shared.docs);
        let doc = docs.get_mut(uri)?;
        if doc.generation != checked.generation || doc.published >= checked.generation {
            return None;
        }
        if checked.result_id.is_empty() {
            checked.result_id = match &doc.latest {
                Some(prev) if prev.lsp.len() == checked.lsp.len() && prev.lsp == checked.lsp => prev.result_id.clone(),
                _ => shared.next_result_id(),
            };
        }
        let stored = Arc::new(checked);
        doc.published = stored.generation;
        doc.dirty = None;
        doc.latest = Some(stored.clone());
        (stored, !shared.session().caps.pull)
    };
    shared.changed.notify_waiters();
    if push {
        shared
            .client
            .publish_diagnostics(uri.clone(), stored.lsp.clone(), Some(stored.version))
            .await;
    }
    if lock(&shared.workspace).dirty {
        publish_problems(shared).await;
    }
    Some(stored)
}

/// Checks a document after `delay`, unless it changed again meanwhile.
pub fn schedule(shared: &Arc<Shared>, uri: lsp::Uri, generation: u64, delay: Duration) {
    let shared = shared.clone();
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        return;
    };
    handle.spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let newest = lock(&shared.docs).get(&uri).is_some_and(|d| d.generation == generation);
        if newest && !shared.cancelled.load(Ordering::SeqCst) {
            check_newest(&shared, uri).await;
        }
    });
}

/// Checks the newest text of a document, one check at a time per document: while a check
/// runs, later requests only mark it to run again (on the newest text) when it is done, so
/// a burst of keystrokes costs at most the check under way plus one.
async fn check_newest(shared: &Arc<Shared>, uri: lsp::Uri) {
    {
        let mut running = lock(&shared.checking);
        if let Some(again) = running.get_mut(&uri) {
            *again = true;
            return;
        }
        running.insert(uri.clone(), false);
    }
    loop {
        let snap = shared.snapshot(&uri).filter(|s| {
            !shared.cancelled.load(Ordering::SeqCst)
                && lock(&shared.docs).get(&uri).is_some_and(|d| d.published < s.generation)
        });
        if let Some(snap) = snap {
            if let Some(checked) = check_blocking(shared, snap).await {
                store(shared, &uri, checked).await;
            }
        }
        let mut running = lock(&shared.checking);
        match running.get_mut(&uri) {
            Some(again) if *again && !shared.cancelled.load(Ordering::SeqCst) => *again = false,
            _ => {
                running.remove(&uri);
                return;
            }
        }
    }
}

/// The result for the document's current text, checking now if needed.
pub async fn current(shared: &Arc<Shared>, uri: &lsp::Uri) -> Option<Arc<Checked>> {
    for _ in 0..8 {
        if shared.cancelled.load(Ordering::SeqCst) {
            return None;
        }
        if let Some(c) = lock(&shared.docs).get(uri).and_then(|d| d.current()) {
            return Some(c);
        }
        let snap = shared.snapshot(uri)?;
        let generation = snap.generation;
        let checked = check_blocking(shared, snap).await?;
        if let Some(c) = store(shared, uri, checked).await {
            return Some(c);
        }
        // Changed while checking, or another task stored this generation: look again.
        if let Some(c) = lock(&shared.docs).get(uri).and_then(|d| d.current()) {
            if c.generation >= generation {
                return Some(c);
            }
        }
    }
    None
}

fn full_report(result_id: Option<String>, items: Vec<lsp::Diagnostic>) -> lsp::DocumentDiagnosticReportResult {
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
        lsp::RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}

/// `textDocument/diagnostic`.
pub async fn pull(
    shared: &Arc<Shared>,
    params: lsp::DocumentDiagnosticParams,
) -> RpcResult<lsp::DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let kind = lock(&shared.docs).get(&uri).map(|d| d.kind);
    match kind {
        None => {
            return Err(RpcError::invalid_params(format!(
                "{} is not open; open it with textDocument/didOpen first",
                uri.as_str()
            )))
        }
        // Rule files and configs get their problems pushed (they need not be open).
        Some(DocKind::RuleFile | DocKind::Config) => return Ok(full_report(None, Vec::new())),
        Some(DocKind::Prose(_)) => {}
    }
    let Some(c) = current(shared, &uri).await else {
        return Err(RpcError::content_modified());
    };
    if params.previous_result_id.as_deref() == Some(c.result_id.as_str()) {
        return Ok(lsp::DocumentDiagnosticReportResult::Report(
            lsp::DocumentDiagnosticReport::Unchanged(lsp::RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport {
                    result_id: c.result_id.clone(),
                },
            }),
        ));
    }
    Ok(full_report(Some(c.result_id.clone()), c.lsp.clone()))
}

/// `workspace/diagnostic`: reports for open documents. When nothing changed since the
/// client's previous results, waits (up to a few seconds) for a change first, so that a
/// client that re-requests at once does not spin.
pub async fn pull_workspace(
    shared: &Arc<Shared>,
    params: lsp::WorkspaceDiagnosticParams,
) -> RpcResult<lsp::WorkspaceDiagnosticReportResult> {
    let previous: std::collections::HashMap<lsp::Uri, String> = params
        .previous_result_ids
        .into_iter()
        .map(|p| (p.uri, p.value))
        .collect();
    let mut waited = false;
    loop {
        let notified = shared.changed.notified();
        let uris: Vec<lsp::Uri> = lock(&shared.docs)
            .iter()
            .filter(|(_, d)| matches!(d.kind, DocKind::Prose(_)))
            .map(|(u, _)| u.clone())
            .collect();
        let mut items = Vec::new();
        let mut any_full = false;
        for uri in uris {
            let Some(c) = current(shared, &uri).await else { continue };
            let version = Some(i64::from(c.version));
            if previous.get(&uri) == Some(&c.result_id) {
                items.push(lsp::WorkspaceDocumentDiagnosticReport::Unchanged(
                    lsp::WorkspaceUnchangedDocumentDiagnosticReport {
                        uri,
                        version,
                        unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport {
                            result_id: c.result_id.clone(),
                        },
                    },
                ));
            } else {
                any_full = true;
                items.push(lsp::WorkspaceDocumentDiagnosticReport::Full(
                    lsp::WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version,
                        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                            result_id: Some(c.result_id.clone()),
                            items: c.lsp.clone(),
                        },
                    },
                ));
            }
        }
        if any_full || waited || shared.shutdown.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(lsp::WorkspaceDiagnosticReportResult::Report(
                lsp::WorkspaceDiagnosticReport { items },
            ));
        }
        waited = true;
        let _ = tokio::time::timeout(Duration::from_secs(3), notified).await;
    }
}

/// One publication of rule-file problems at a time: two that overlap could publish an
/// older computation last (a rule file's failing examples cleared by a run that started
/// before the file was opened; seen as a flaky protocol test under load).
static PUBLISHING_PROBLEMS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Publishes load errors and failing examples on their files, clears files that no
/// longer have any, and shows each new error once.
pub async fn publish_problems(shared: &Arc<Shared>) {
    let _one_at_a_time = PUBLISHING_PROBLEMS.lock().await;
    let s = shared.clone();
    let Ok((problems, messages)) = tokio::task::spawn_blocking(move || {
        lock(&s.workspace).dirty = false;
        workspace::compute_problems(&s)
    })
    .await
    else {
        shared.log(
            lsp::MessageType::ERROR,
            "copydesk: could not collect rule-file problems".into(),
        );
        return;
    };
    let (to_show, cleared) = {
        let mut ws = lock(&shared.workspace);
        ws.forget_shown(&messages);
        let to_show: Vec<String> = messages.iter().filter(|m| ws.first_time(m)).cloned().collect();
        let now: HashSet<lsp::Uri> = problems.keys().cloned().collect();
        let cleared: Vec<lsp::Uri> = ws.problem_uris.difference(&now).cloned().collect();
        ws.problem_uris = now;
        (to_show, cleared)
    };
    if !to_show.is_empty() {
        let text = if to_show.len() == 1 {
            format!("{} (the last good rules stay in use)", to_show[0])
        } else {
            format!(
                "copydesk: {} problems in rule files or settings; the last good rules stay in use. First: {}",
                to_show.len(),
                to_show[0].trim_start_matches("copydesk: ")
            )
        };
        shared.client.show_message(lsp::MessageType::ERROR, text).await;
        for m in &to_show {
            shared.client.log_message(lsp::MessageType::ERROR, m).await;
        }
    }
    for uri in cleared {
        shared.client.publish_diagnostics(uri, Vec::new(), None).await;
    }
    for (uri, diags) in problems {
        shared.client.publish_diagnostics(uri, diags, None).await;
    }
}

/// Re-checks every open document (rules or settings changed).
pub fn recheck_all(shared: &Arc<Shared>) {
    let uris: Vec<(lsp::Uri, u64)> = {
        let mut docs = lock(&shared.docs);
        docs.iter_mut()
            .filter(|(_, d)| matches!(d.kind, DocKind::Prose(_)))
            .map(|(u, d)| {
                d.generation = shared.next_generation();
                d.config = d.path.as_deref().and_then(crate::config::find_config);
                (u.clone(), d.generation)
            })
            .collect()
    };
    for (uri, generation) in uris {
        schedule(shared, uri, generation, Duration::ZERO);
    }
}

/// Asks for a reload of every project without waiting for it. Reloads never overlap: one
/// asked for while another runs happens once, after it.
pub fn request_reload(shared: &Arc<Shared>) {
    lock(&shared.reload_scope).all = true;
    start_reload(shared);
}

/// Asks for a reload of the projects that changes to `paths` (configs, rule files) can
/// affect: a config changed in one folder does not reload the others.
pub fn request_reload_for(shared: &Arc<Shared>, paths: Vec<std::path::PathBuf>) {
    lock(&shared.reload_scope).paths.extend(paths);
    start_reload(shared);
}

fn start_reload(shared: &Arc<Shared>) {
    shared.reload_again.store(true, Ordering::SeqCst);
    if shared.reloading.swap(true, Ordering::SeqCst) {
        return;
    }
    let s = shared.clone();
    tokio::spawn(async move {
        loop {
            if !s.reload_again.swap(false, Ordering::SeqCst) {
                s.reloading.store(false, Ordering::SeqCst);
                // One may have been asked for between the swap and the store.
                if s.reload_again.load(Ordering::SeqCst) && !s.reloading.swap(true, Ordering::SeqCst) {
                    continue;
                }
                return;
            }
            if s.cancelled.load(Ordering::SeqCst) {
                s.reloading.store(false, Ordering::SeqCst);
                return;
            }
            let scope = std::mem::take(&mut *lock(&s.reload_scope));
            reload_scope(&s, scope).await;
        }
    });
}

/// The config files open documents use.
pub fn used_configs(shared: &Shared) -> HashSet<Option<std::path::PathBuf>> {
    lock(&shared.docs)
        .values()
        .map(|d| d.path.as_deref().and_then(crate::config::find_config))
        .collect()
}

/// Reloads rules and configs, shows what broke, re-checks everything. The projects load
/// on the blocking pool without holding the workspace lock.
pub async fn reload(shared: &Arc<Shared>) {
    reload_scope(shared, ReloadScope::all()).await;
}

/// [`reload`] of the projects `scope` covers; every document is re-checked (a new config
/// may now govern it).
async fn reload_scope(shared: &Arc<Shared>, scope: ReloadScope) {
    let s = shared.clone();
    let _ = tokio::task::spawn_blocking(move || {
        let used = used_configs(&s);
        workspace::reload_projects(&s, &used, &scope);
    })
    .await;
    publish_problems(shared).await;
    recheck_all(shared);
    let session = shared.session();
    if session.caps.pull && session.caps.refresh {
        let client = shared.client.clone();
        tokio::spawn(async move {
            let _ = client.workspace_diagnostic_refresh().await;
        });
    }
}
