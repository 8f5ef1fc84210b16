//! The rules the service checks with: one project per profile asked for, compiled once and
//! shared by every request. A poll notices config or pack changes on disk and reloads
//! outside the lock; a reload that fails keeps the last good rules and remembers the errors
//! (shown by `/healthz`), as the language server does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::cli::ConfigArgs;
use crate::config::{find_config, Config};
use crate::pack::LoadError;
use crate::project::{PackTrust, Project};

/// Most profiles kept compiled at once (a client naming many profiles cannot grow memory).
const MAX_PROFILES: usize = 8;

#[derive(Default)]
struct Inner {
    /// By requested profile (`None`: the configured one).
    projects: HashMap<Option<String>, Arc<Project>>,
    /// Errors of the last reload that failed (empty when the rules on disk are good).
    errors: Vec<LoadError>,
    /// What the config and pack files looked like at the last load.
    stamp: Vec<(PathBuf, Option<SystemTime>, u64)>,
    reloads: u64,
}

pub struct RuleStore {
    args: ConfigArgs,
    trust: PackTrust,
    inner: Mutex<Inner>,
}

fn lock(m: &Mutex<Inner>) -> std::sync::MutexGuard<'_, Inner> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl RuleStore {
    /// Loads the configured rules; the errors if they do not load.
    pub fn new(args: &ConfigArgs) -> Result<RuleStore, Vec<LoadError>> {
        let user = PackTrust::from_user_config().map_err(|e| vec![e])?;
        let store = RuleStore {
            args: args.clone(),
            trust: PackTrust {
                allow_external: args.allow_external_packs || user.allow_external,
            },
            inner: Mutex::new(Inner::default()),
        };
        let project = store.load(None)?;
        let stamp = stamp(store.config_path().as_deref(), &project);
        let mut inner = lock(&store.inner);
        inner.projects.insert(None, Arc::new(project));
        inner.stamp = stamp;
        drop(inner);
        Ok(store)
    }

    /// The config file in use: `--config`, or the nearest `.copydesk.toml` from the
    /// current folder (looked up again at each poll, so a new one is noticed).
    pub fn config_path(&self) -> Option<PathBuf> {
        if self.args.no_config {
            None
        } else if let Some(c) = &self.args.config {
            Some(c.clone())
        } else {
            find_config(&std::env::current_dir().unwrap_or_else(|_| ".".into()))
        }
    }

    fn load(&self, profile: Option<&str>) -> Result<Project, Vec<LoadError>> {
        let mut extra = Config::default();
        let mut any = false;
        if !self.args.packs.is_empty() {
            extra.packs = Some(self.args.packs.clone());
            any = true;
        }
        if let Some(p) = profile.or(self.args.profile.as_deref()) {
            extra.profile = Some(p.to_string());
            any = true;
        }
        let config = self.config_path();
        Project::load_trusting(config.as_deref(), any.then_some(&extra), &self.trust)
    }

    /// The project for a profile (`None`: the configured one), loading it on first use.
    pub fn project(&self, profile: Option<&str>) -> Result<Arc<Project>, Vec<LoadError>> {
        let key = profile.map(str::to_string);
        if let Some(p) = lock(&self.inner).projects.get(&key) {
            return Ok(p.clone());
        }
        let project = Arc::new(self.load(profile)?);
        let mut inner = lock(&self.inner);
        if inner.projects.len() >= MAX_PROFILES {
            inner.projects.retain(|k, _| k.is_none());
        }
        Ok(inner.projects.entry(key).or_insert(project).clone())
    }

    /// Errors of the last failed reload (the last good rules are in use meanwhile).
    pub fn errors(&self) -> Vec<LoadError> {
        lock(&self.inner).errors.clone()
    }

    pub fn reloads(&self) -> u64 {
        lock(&self.inner).reloads
    }

    /// Reloads every cached profile when a config or pack file changed. Blocking: run it
    /// off the async workers. Returns whether the files had changed.
    pub fn reload_if_changed(&self) -> bool {
        let (keys, old) = {
            let inner = lock(&self.inner);
            (inner.projects.keys().cloned().collect::<Vec<_>>(), inner.stamp.clone())
        };
        let config = self.config_path();
        let base = match lock(&self.inner).projects.get(&None) {
            Some(p) => p.clone(),
            None => return false,
        };
        let now = stamp(config.as_deref(), &base);
        if now == old {
            return false;
        }
        let mut loaded = Vec::new();
        let mut errors = Vec::new();
        for k in keys {
            match self.load(k.as_deref()) {
                Ok(p) => loaded.push((k, Arc::new(p))),
                Err(e) => {
                    errors = e;
                    break;
                }
            }
        }
        let mut inner = lock(&self.inner);
        if errors.is_empty() {
            // The new packs may live elsewhere: stamp what the new base project reads.
            let fresh = loaded.iter().find(|(k, _)| k.is_none()).map(|(_, p)| p.clone());
            for (k, p) in loaded {
                inner.projects.insert(k, p);
            }
            inner.stamp = fresh.map_or(now, |p| stamp(config.as_deref(), &p));
            inner.errors.clear();
            inner.reloads += 1;
        } else {
            // Keep the last good rules; try again when the files change once more.
            inner.stamp = now;
            inner.errors = errors;
        }
        true
    }
}

/// Modification time and size of the config file and of every rule file in the packs
/// that are folders: a change to any of them means a reload.
fn stamp(config: Option<&Path>, project: &Project) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    let mut files: Vec<PathBuf> = config.map(Path::to_path_buf).into_iter().collect();
    for pack in &project.packs {
        if pack.origin.starts_with("builtin:") {
            continue;
        }
        if let Ok(dir) = std::fs::read_dir(&pack.origin) {
            for e in dir.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "toml") {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let len = meta.map_or(u64::MAX, |m| m.len());
            (p, modified, len)
        })
        .collect()
}
