//! Server state: the session negotiated at `initialize`, client settings, and the open
//! documents (ropes, versions, block caches and their latest check).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use ropey::Rope;
use serde::Deserialize;

use super::proto::{self, lsp, Client};
use super::workspace::Workspace;
use crate::config::{Config, RuleSetting, CONFIG_FILE};
use crate::diagnostic::Diagnostic;
use crate::document::Format;
use crate::engine::{BlockCache, Engine};
use crate::project::Project;
use crate::text::{Encoding, LineIndex};

/// Default pause after a keystroke before checking.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(80);

/// Locks a mutex, ignoring poisoning: a panic in one handler must not take the server down.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|e| e.into_inner())
}

pub fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(|e| e.into_inner())
}

/// Client settings: `initializationOptions` and `workspace/didChangeConfiguration`
/// (either bare or under a `copydesk` key).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Extra packs, on top of each config's.
    pub packs: Option<Vec<String>>,
    pub profile: Option<String>,
    /// Severity (or option) overrides, as in `[rules]` of `.copydesk.toml`.
    pub rules: BTreeMap<String, RuleSetting>,
    pub debounce_ms: Option<u64>,
    pub enable: Option<bool>,
    /// Largest message accepted (bytes); read from `initializationOptions` only.
    pub max_message_bytes: Option<u64>,
}

impl Settings {
    /// Parses settings; `Err` says what is wrong.
    pub fn from_json(value: &serde_json::Value) -> Result<Settings, String> {
        let v = value.get("copydesk").unwrap_or(value);
        if v.is_null() {
            return Ok(Settings::default());
        }
        serde_json::from_value(v.clone()).map_err(|e| format!("invalid copydesk settings: {e}"))
    }

    pub fn enabled(&self) -> bool {
        self.enable.unwrap_or(true)
    }

    pub fn debounce(&self) -> Duration {
        self.debounce_ms.map_or(DEFAULT_DEBOUNCE, Duration::from_millis)
    }

    /// The settings as a config layered over each `.copydesk.toml`; relative pack
    /// folders are resolved against the first workspace folder.
    pub fn to_config(&self, root: Option<&Path>) -> Option<Config> {
        if self.packs.is_none() && self.profile.is_none() && self.rules.is_empty() {
            return None;
        }
        let packs = self.packs.as_ref().map(|ps| {
            ps.iter()
                .map(|p| {
                    let is_path = p.contains('/') || p.contains('\\') || p.starts_with('.');
                    match root {
                        Some(r) if is_path && Path::new(p).is_relative() => r.join(p).display().to_string(),
                        _ => p.clone(),
                    }
                })
                .collect()
        });
        Some(Config {
            packs,
            profile: self.profile.clone(),
            rules: self.rules.clone(),
            ..Config::default()
        })
    }
}

/// What the client can do, read once from `initialize`.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub encoding: Encoding,
    pub caps: proto::ClientCaps,
    pub roots: Vec<PathBuf>,
    pub settings: Settings,
    pub initialized: bool,
}

impl Session {
    pub fn from_initialize(params: &lsp::InitializeParams) -> (Session, Option<String>) {
        let caps = proto::client_caps(&params.capabilities);
        let encoding = proto::negotiate_encoding(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| proto::path_of(&f.uri))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(p) = params.root_uri.as_ref().and_then(proto::path_of) {
                roots.push(p);
            }
        }
        let (settings, problem) = match params.initialization_options.as_ref() {
            None => (Settings::default(), None),
            Some(v) => match Settings::from_json(v) {
                Ok(s) => (s, None),
                Err(e) => (Settings::default(), Some(e)),
            },
        };
        let session = Session {
            encoding,
            caps,
            roots,
            settings,
            initialized: true,
        };
        (session, problem)
    }

    /// The workspace folder that holds `path`, or the first one.
    pub fn root_for(&self, path: Option<&Path>) -> Option<&Path> {
        path.and_then(|p| self.roots.iter().find(|r| p.starts_with(r)))
            .or(self.roots.first())
            .map(PathBuf::as_path)
    }
}

/// How the server treats an open document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// Copy to check, in a format.
    Prose(Format),
    /// A `.toml` file: maybe a rule file of a pack in use (its errors and failing
    /// examples are shown), never checked as prose.
    RuleFile,
    /// A `.copydesk.toml`.
    Config,
}

impl DocKind {
    pub fn of(path: Option<&Path>, uri: &lsp::Uri, language_id: &str) -> DocKind {
        let name = path
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| uri.as_str().rsplit('/').next().unwrap_or("").to_string());
        if name == CONFIG_FILE {
            return DocKind::Config;
        }
        if name.to_ascii_lowercase().ends_with(".toml") || language_id == "toml" {
            return DocKind::RuleFile;
        }
        let format = match path {
            Some(p) if p.extension().is_some() => Format::from_path(p),
            _ if language_id == "markdown" => Format::Markdown,
            _ if language_id == "html" => Format::Html,
            _ => Format::from_path(Path::new(&name)),
        };
        DocKind::Prose(format)
    }
}

/// The result of checking one version of a document.
pub struct Checked {
    pub generation: u64,
    pub version: i32,
    pub lines: LineIndex,
    pub project: Option<Arc<Project>>,
    pub engine: Option<Arc<Engine>>,
    pub diagnostics: Vec<Diagnostic>,
    pub lsp: Vec<lsp::Diagnostic>,
    /// Set when stored: equal ids mean equal `lsp` diagnostics.
    pub result_id: String,
}

/// The block cache of a document, tied to the engine it was filled by.
#[derive(Default)]
pub struct DocCache {
    pub engine: Option<Arc<Engine>>,
    pub cache: BlockCache,
}

/// An open document.
pub struct OpenDoc {
    pub path: Option<PathBuf>,
    pub kind: DocKind,
    pub rope: Rope,
    pub version: i32,
    /// Bumped (from a server-wide counter) on every change and on every reload.
    pub generation: u64,
    /// The config file that governs it (`None`: defaults), found when it opened.
    pub config: Option<PathBuf>,
    pub cache: Arc<Mutex<DocCache>>,
    pub latest: Option<Arc<Checked>>,
    /// Generation of the last diagnostics stored (and published).
    pub published: u64,
    /// What changed since `latest` was checked; `None` when nothing did.
    pub dirty: Option<Dirty>,
}

/// The part of a document changed since its last stored check: bytes `lo..hi` of the
/// current text replace bytes `lo..hi - delta` of the checked one. Diagnostics outside
/// it keep their LSP form (after it, only if no line break was added or removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dirty {
    pub lo: usize,
    pub hi: usize,
    pub delta: isize,
    pub lines_changed: bool,
}

impl Dirty {
    /// Everything changed.
    pub fn all(len: usize) -> Dirty {
        Dirty {
            lo: 0,
            hi: len,
            delta: 0,
            lines_changed: true,
        }
    }

    /// Adds an edit that replaced bytes `start..end` (current text) by `inserted` bytes.
    pub fn add(prev: Option<Dirty>, start: usize, end: usize, inserted: usize, lines_changed: bool) -> Dirty {
        let removed = end - start;
        let shift = |x: usize| -> usize {
            if x <= start {
                x
            } else if x >= end {
                x - removed + inserted
            } else {
                start + inserted
            }
        };
        match prev {
            None => Dirty {
                lo: start,
                hi: start + inserted,
                delta: inserted as isize - removed as isize,
                lines_changed,
            },
            Some(d) => Dirty {
                lo: d.lo.min(start),
                hi: shift(d.hi).max(start + inserted),
                delta: d.delta + inserted as isize - removed as isize,
                lines_changed: d.lines_changed || lines_changed,
            },
        }
    }
}

impl OpenDoc {
    /// The latest check, if it is for the current text.
    pub fn current(&self) -> Option<Arc<Checked>> {
        self.latest
            .as_ref()
            .filter(|c| c.generation == self.generation)
            .cloned()
    }
}

/// A copy of what a check needs, taken under the lock.
pub struct Snapshot {
    pub path: Option<PathBuf>,
    pub format: Format,
    pub rope: Rope,
    pub version: i32,
    pub generation: u64,
    pub config: Option<PathBuf>,
    pub cache: Arc<Mutex<DocCache>>,
    /// The last stored check and what changed since, to reuse unchanged LSP diagnostics.
    pub prev: Option<(Arc<Checked>, Option<Dirty>)>,
}

/// The projects a reload must load again: all of them (settings changed, a save, the
/// reload command), or those a changed file can affect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReloadScope {
    pub all: bool,
    /// Changed files (configs and rule files).
    pub paths: Vec<PathBuf>,
}

impl ReloadScope {
    pub fn all() -> ReloadScope {
        ReloadScope {
            all: true,
            paths: Vec::new(),
        }
    }
}

/// A lock for project loads that serves the waiter with the lowest order (a document's
/// generation: the one opened or changed first). When many folders open at once, their
/// projects then load in the order the documents came, whatever order the threads of the
/// blocking pool happen to start in (a plain mutex lets any waiter overtake, so one folder
/// could wait for all the others).
#[derive(Default)]
pub struct LoadGate {
    state: Mutex<GateState>,
    turn: std::sync::Condvar,
}

#[derive(Default)]
struct GateState {
    busy: bool,
    /// Waiters by (order, arrival).
    waiting: std::collections::BTreeSet<(u64, u64)>,
    arrivals: u64,
}

/// A turn at the [`LoadGate`]; the next waiter goes when it drops.
pub struct LoadTurn<'a>(&'a LoadGate);

impl LoadGate {
    /// Waits (blocking) until no load runs and no waiter has a lower order.
    pub fn enter(&self, order: u64) -> LoadTurn<'_> {
        let mut s = lock(&self.state);
        let mine = (order, s.arrivals);
        s.arrivals += 1;
        s.waiting.insert(mine);
        while s.busy || s.waiting.first() != Some(&mine) {
            s = self.turn.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        s.waiting.remove(&mine);
        s.busy = true;
        LoadTurn(self)
    }
}

impl Drop for LoadTurn<'_> {
    fn drop(&mut self) {
        lock(&self.0.state).busy = false;
        self.0.turn.notify_all();
    }
}

/// Everything the handlers share.
pub struct Shared {
    pub client: Client,
    pub session: RwLock<Session>,
    pub docs: Mutex<HashMap<lsp::Uri, OpenDoc>>,
    pub workspace: Mutex<Workspace>,
    /// Serializes "is this still the newest result? then publish it".
    pub publish: tokio::sync::Mutex<()>,
    /// Woken whenever stored diagnostics change (workspace pull waits on it).
    pub changed: tokio::sync::Notify,
    pub shutdown: AtomicBool,
    /// Input ended: no new check starts, waiting requests give up.
    pub cancelled: AtomicBool,
    /// Documents being checked; `true`: check again when done (the text changed).
    pub checking: Mutex<HashMap<lsp::Uri, bool>>,
    /// A reload runs; another was asked for meanwhile.
    pub reloading: AtomicBool,
    pub reload_again: AtomicBool,
    /// What the next reload must reload.
    pub reload_scope: Mutex<ReloadScope>,
    /// One project load at a time (see `workspace::project`).
    pub loading: LoadGate,
    generation: AtomicU64,
    result_ids: AtomicU64,
}

impl Shared {
    pub fn new(client: Client) -> Shared {
        Shared {
            client,
            session: RwLock::new(Session::default()),
            docs: Mutex::new(HashMap::new()),
            workspace: Mutex::new(Workspace::default()),
            publish: tokio::sync::Mutex::new(()),
            changed: tokio::sync::Notify::new(),
            shutdown: AtomicBool::new(false),
            cancelled: AtomicBool::new(false),
            checking: Mutex::new(HashMap::new()),
            reloading: AtomicBool::new(false),
            reload_again: AtomicBool::new(false),
            reload_scope: Mutex::new(ReloadScope::default()),
            loading: LoadGate::default(),
            generation: AtomicU64::new(1),
            result_ids: AtomicU64::new(1),
        }
    }

    pub fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::Relaxed)
    }

    pub fn next_result_id(&self) -> String {
        self.result_ids.fetch_add(1, Ordering::Relaxed).to_string()
    }

    pub fn session(&self) -> Session {
        read(&self.session).clone()
    }

    pub fn encoding(&self) -> Encoding {
        read(&self.session).encoding
    }

    pub fn snapshot(&self, uri: &lsp::Uri) -> Option<Snapshot> {
        let docs = lock(&self.docs);
        let d = docs.get(uri)?;
        let DocKind::Prose(format) = d.kind else {
            return None;
        };
        Some(Snapshot {
            path: d.path.clone(),
            format,
            rope: d.rope.clone(),
            version: d.version,
            generation: d.generation,
            config: d.config.clone(),
            cache: d.cache.clone(),
            prev: d.latest.clone().map(|l| (l, d.dirty)),
        })
    }

    /// Logs to the client's output without waiting.
    pub fn log(self: &Arc<Self>, typ: lsp::MessageType, message: String) {
        let client = self.client.clone();
        if let Ok(h) = tokio::runtime::Handle::try_current() {
            h.spawn(async move { client.log_message(typ, message).await });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_load_gate_serves_the_lowest_order_first() {
        let gate = Arc::new(LoadGate::default());
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = gate.enter(0);
        let mut threads = Vec::new();
        // They arrive in the order 4, 2, 3, 1 and are served 1, 2, 3, 4.
        for (n, o) in [4u64, 2, 3, 1].into_iter().enumerate() {
            let (g, out) = (gate.clone(), order.clone());
            threads.push(std::thread::spawn(move || {
                let _turn = g.enter(o);
                lock(&out).push(o);
            }));
            while lock(&gate.state).waiting.len() < n + 1 {
                std::thread::yield_now();
            }
        }
        drop(first);
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(*lock(&order), [1, 2, 3, 4]);
    }
}
