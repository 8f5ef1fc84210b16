//! A project: a config (or none) resolved into packs and compiled engines.
//!
//! Per-glob overrides make a file's engine depend on its path; engines are compiled
//! once per distinct set of matching overrides and shared.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::{Config, RuleSetting};
use crate::document::suppress::rule_matches;
use crate::engine::Engine;
use crate::pack::{self, LoadError, Pack};
use crate::rules::RawRule;

pub struct Project {
    /// The config file, if one was found.
    pub config_path: Option<PathBuf>,
    /// Folder that relative paths in the config are resolved against.
    pub root: PathBuf,
    pub config: Config,
    /// Shared: built-in packs are parsed once per process ([`pack::builtin_shared`]).
    pub packs: Vec<Arc<Pack>>,
    exclude: GlobSet,
    overrides: Vec<GlobSet>,
    engines: Mutex<HashMap<Vec<usize>, Arc<Engine>>>,
}

impl std::fmt::Debug for Project {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Project")
            .field("config_path", &self.config_path)
            .finish()
    }
}

/// The most memory the automaton of one glob list may take: globset's own limit.
const GLOBSET_NFA_LIMIT_MIB: usize = 10;

/// Compiles the globs of the config key `key` (`exclude`, `overrides[2].files`).
fn globset(name: &str, key: &str, globs: &[String]) -> Result<GlobSet, LoadError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = Glob::new(g).map_err(|e| LoadError::plain(name, format!("invalid glob `{g}`: {e}")))?;
        b.add(glob);
        // `dir` also means everything below it.
        if !g.contains('*') {
            if let Ok(g2) = Glob::new(&format!("{}/**", g.trim_end_matches('/'))) {
                b.add(g2);
            }
        }
    }
    b.build().map_err(|_| {
        LoadError::plain(
            name,
            format!(
                "`{key}`: its {} globs are too many to compile together: one list compiles to at most \
                 {GLOBSET_NFA_LIMIT_MIB} MiB; use fewer, broader globs (a folder name covers everything below it)",
                globs.len()
            ),
        )
    })
}

/// Loads one pack reference from a config: a built-in name or a folder.
pub fn load_pack_ref(reference: &str, root: &Path) -> Result<Pack, Vec<LoadError>> {
    load_pack_ref_shared(reference, root).map(Arc::unwrap_or_clone)
}

/// [`load_pack_ref`], a built-in pack shared with every other project that names it.
pub fn load_pack_ref_shared(reference: &str, root: &Path) -> Result<Arc<Pack>, Vec<LoadError>> {
    let looks_like_path = reference.contains('/') || reference.contains('\\') || reference.starts_with('.');
    if !looks_like_path && pack::builtin_names().contains(&reference) {
        return pack::builtin_shared(reference);
    }
    let path = root.join(reference);
    if path.is_dir() {
        return pack::load_dir(&path).map(Arc::new);
    }
    Err(vec![LoadError::plain(
        reference,
        format!(
            "no rule pack `{reference}`: it is neither a built-in pack ({}) nor a folder at {}",
            pack::builtin_names().join(", "),
            path.display()
        ),
    )])
}

/// Which pack folders a repository's own `.copydesk.toml` may name. Packs named on the
/// command line (`--pack`) are the user's choice and always allowed.
#[derive(Debug, Clone, Default)]
pub struct PackTrust {
    /// Allow pack folders outside the repository (absolute paths, `..` that leaves it).
    pub allow_external: bool,
}

impl PackTrust {
    /// The user's setting: `allow-external-packs` in the user-level config.
    pub fn from_user_config() -> Result<PackTrust, LoadError> {
        Ok(PackTrust {
            allow_external: crate::config::UserConfig::load()?.allow_external_packs,
        })
    }
}

/// The repository a config belongs to: the nearest folder at or above it holding `.git`,
/// or the config's own folder outside a repository.
fn repository_root(config_dir: &Path) -> PathBuf {
    let start = config_dir.canonicalize().unwrap_or_else(|_| config_dir.to_path_buf());
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    start
}

/// Refuses a pack folder named by a repository's config that leaves the repository.
fn check_pack_inside(reference: &str, config_name: &str, config_text: &str, root: &Path) -> Result<(), LoadError> {
    let looks_like_path = reference.contains('/') || reference.contains('\\') || reference.starts_with('.');
    if !looks_like_path && pack::builtin_names().contains(&reference) {
        return Ok(());
    }
    let repo = repository_root(root);
    // A folder that does not exist is reported missing by the loader; one that exists is
    // judged by where it really is, symlinks resolved.
    let inside = match root.join(reference).canonicalize() {
        Ok(real) => real.starts_with(&repo),
        Err(_) => true,
    };
    if inside {
        return Ok(());
    }
    let message = format!(
        "the pack `{reference}` is outside the repository ({}); a repository's config may only name packs \
         inside it. If you trust this checkout, pass `--allow-external-packs`, or set \
         `allow-external-packs = true` in your user config ({})",
        repo.display(),
        crate::config::UserConfig::path()
            .map_or_else(|| "~/.config/copydesk/config.toml".into(), |p| p.display().to_string())
    );
    // Point at the string in the config, quotes included.
    let at = config_text.find(reference).map(|start| {
        let quoted = start > 0 && matches!(config_text.as_bytes()[start - 1], b'"' | b'\'');
        if quoted {
            start - 1..start + reference.len() + 1
        } else {
            start..start + reference.len()
        }
    });
    Err(match at {
        Some(span) => LoadError::at_span(config_name, config_text, span, None, message),
        None => LoadError::plain(config_name, message),
    })
}

impl Project {
    /// The project for a config file (or the defaults), with optional settings on top.
    /// Pack folders outside the repository are refused unless the user config allows them.
    pub fn load(config_path: Option<&Path>, extra: Option<&Config>) -> Result<Project, Vec<LoadError>> {
        let trust = PackTrust::from_user_config().map_err(|e| vec![e])?;
        Project::load_trusting(config_path, extra, &trust)
    }

    /// [`Project::load`] with an explicit trust setting.
    pub fn load_trusting(
        config_path: Option<&Path>,
        extra: Option<&Config>,
        trust: &PackTrust,
    ) -> Result<Project, Vec<LoadError>> {
        let mut config = match config_path {
            Some(p) => Config::load(p).map_err(|e| vec![e])?,
            None => Config::default(),
        };
        if let (Some(p), false) = (config_path, trust.allow_external) {
            if let Some(refs) = &config.packs {
                let dir = p
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let text = std::fs::read_to_string(p).unwrap_or_default();
                let name = p.display().to_string();
                let errs: Vec<LoadError> = refs
                    .iter()
                    .filter_map(|r| check_pack_inside(r, &name, &text, dir).err())
                    .collect();
                if !errs.is_empty() {
                    return Err(errs);
                }
            }
        }
        if let Some(extra) = extra {
            config.merge(extra);
        }
        let root = config_path
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let name = config_path.map_or_else(|| "settings".to_string(), |p| p.display().to_string());
        let refs = config
            .packs
            .clone()
            .unwrap_or_else(|| vec![pack::DEFAULT_PACK.to_string()]);
        let mut packs = Vec::new();
        let mut errors = Vec::new();
        for r in &refs {
            match load_pack_ref_shared(r, &root) {
                Ok(p) => packs.push(p),
                Err(e) => errors.extend(e),
            }
        }
        let exclude = globset(&name, "exclude", &config.exclude).map_err(|e| vec![e])?;
        let overrides = config
            .overrides
            .iter()
            .enumerate()
            .map(|(i, o)| globset(&name, &format!("overrides[{i}].files"), &o.files))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| vec![e])?;
        if !errors.is_empty() {
            return Err(errors);
        }
        let project = Project {
            config_path: config_path.map(Path::to_path_buf),
            root,
            config,
            packs,
            exclude,
            overrides,
            engines: Mutex::new(HashMap::new()),
        };
        // Compile the base engine now so that rule errors surface at load time.
        project.engine_for_overrides(Vec::new())?;
        Ok(project)
    }

    fn relative<'a>(&self, path: &'a Path) -> std::borrow::Cow<'a, Path> {
        if path.is_absolute() {
            if let Ok(r) = path.strip_prefix(&self.root) {
                return r.into();
            }
            if let Ok(canon_root) = self.root.canonicalize() {
                if let Ok(r) = path.strip_prefix(&canon_root) {
                    return r.to_path_buf().into();
                }
            }
        } else if let Ok(cwd) = std::env::current_dir() {
            let abs = cwd.join(path);
            if let Ok(r) = abs.strip_prefix(&self.root) {
                return r.to_path_buf().into();
            }
        }
        path.into()
    }

    /// Whether the config excludes `path`.
    pub fn is_excluded(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && self.exclude.is_match(self.relative(path))
    }

    /// The engine for a file, honouring per-glob overrides.
    pub fn engine_for(&self, path: &Path) -> Result<Arc<Engine>, Vec<LoadError>> {
        let rel = self.relative(path);
        let matching: Vec<usize> = self
            .overrides
            .iter()
            .enumerate()
            .filter(|(_, g)| g.is_match(&rel))
            .map(|(i, _)| i)
            .collect();
        self.engine_for_overrides(matching)
    }

    /// The engine with no per-glob override.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine_for_overrides(Vec::new())
            .expect("the base engine compiled when the project loaded")
    }

    fn engine_for_overrides(&self, matching: Vec<usize>) -> Result<Arc<Engine>, Vec<LoadError>> {
        let mut engines = self.engines.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = engines.get(&matching) {
            return Ok(e.clone());
        }
        // Base settings first, then each matching override in file order: later layers win.
        let mut settings: Vec<(&String, &RuleSetting)> = self.config.rules.iter().collect();
        let mut layers = vec![0; settings.len()];
        // An override's layer is its index in the file plus one: `matching` is in file
        // order, so later layers still win, and an error can name the override.
        for &i in &matching {
            let rules = &self.config.overrides[i].rules;
            settings.extend(rules.iter());
            layers.extend(std::iter::repeat_n(i + 1, rules.len()));
        }
        let layered: Vec<(usize, &String, &RuleSetting)> =
            settings.iter().zip(&layers).map(|((k, v), &l)| (l, *k, *v)).collect();
        let packs: Vec<&Pack> = self.packs.iter().map(|p| &**p).collect();
        let key = engine_key(&packs, self.config.profile.as_deref(), &layered);
        let engine = shared_engine(key, || {
            build_engine_layered(
                &packs,
                self.config.profile.as_deref(),
                &layered,
                self.config_path.as_deref(),
            )
        })?;
        engines.insert(matching, engine.clone());
        Ok(engine)
    }
}

/// What a compiled engine depends on: each pack's origin and the text of its rule files
/// (hashed; built-in packs cannot change, so their name is enough), the profile, and the
/// layered settings. Two configs with the same key get the same engine.
fn engine_key(packs: &[&Pack], profile: Option<&str>, settings: &[(usize, &String, &RuleSetting)]) -> String {
    use std::hash::{Hash, Hasher};
    let mut key = String::new();
    for pk in packs {
        if pk.origin.starts_with("builtin:") {
            key.push_str(&pk.origin);
        } else {
            // A folder is known by where it really is, and its files by name: configs in
            // different folders that reach it by different paths (`../house`,
            // `../../house`) share its engine instead of compiling it once each.
            let dir = std::fs::canonicalize(&pk.origin).map_or_else(|_| pk.origin.clone(), |p| p.display().to_string());
            key.push_str(&dir);
        }
        key.push('\0');
        if !pk.origin.starts_with("builtin:") {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            let mut last: Option<&Arc<str>> = None;
            for r in &pk.rules {
                let src = &r.raw.meta.source;
                if last.is_some_and(|l| Arc::ptr_eq(l, &src.text)) {
                    continue;
                }
                last = Some(&src.text);
                Path::new(&src.file).file_name().hash(&mut h);
                src.text.hash(&mut h);
            }
            pk.rules.len().hash(&mut h);
            key.push_str(&format!("{:016x}\0", h.finish()));
        }
    }
    key.push_str(&format!("{profile:?}\0{settings:?}"));
    key
}

/// Engines compiled in this process, by [`engine_key`]. Only weak references: an engine
/// lives as long as a project uses it (the language server drops closed projects).
static ENGINES: std::sync::OnceLock<Mutex<HashMap<String, std::sync::Weak<Engine>>>> = std::sync::OnceLock::new();

/// The engine for `key`, compiled by `build` unless a live project already has it.
/// Compiling the built-in pack costs megabytes; folders with their own (even empty)
/// `.copydesk.toml` that resolve to the same rules share one engine.
fn shared_engine(
    key: String,
    build: impl FnOnce() -> Result<Engine, Vec<LoadError>>,
) -> Result<Arc<Engine>, Vec<LoadError>> {
    let cache = ENGINES.get_or_init(Default::default);
    if let Some(e) = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .and_then(std::sync::Weak::upgrade)
    {
        return Ok(e);
    }
    // Compiled outside the lock: two threads may both compile one key; the first stays.
    let engine = Arc::new(build()?);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if map.len() >= 64 && map.len().is_power_of_two() {
        map.retain(|_, w| w.strong_count() > 0);
    }
    if let Some(e) = map.get(&key).and_then(std::sync::Weak::upgrade) {
        return Ok(e);
    }
    map.insert(key, Arc::downgrade(&engine));
    Ok(engine)
}

/// Applies profile, severities and options to the packs' rules and compiles them.
pub fn build_engine(
    packs: &[Pack],
    profile: Option<&str>,
    settings: &[(&String, &RuleSetting)],
    config_path: Option<&Path>,
) -> Result<Engine, Vec<LoadError>> {
    let layered: Vec<(usize, &String, &RuleSetting)> = settings.iter().map(|(k, v)| (0, *k, *v)).collect();
    let packs: Vec<&Pack> = packs.iter().collect();
    build_engine_layered(&packs, profile, &layered, config_path)
}

/// [`build_engine`] with settings in layers (0 = the config's `[rules]`, `n` = its override
/// `n - 1`, a matching override): a later layer wins, and within a layer the more specific key.
pub fn build_engine_layered(
    packs: &[&Pack],
    profile: Option<&str>,
    settings: &[(usize, &String, &RuleSetting)],
    config_path: Option<&Path>,
) -> Result<Engine, Vec<LoadError>> {
    let config_name = config_path.map_or_else(|| "settings".to_string(), |p| p.display().to_string());
    let mut errors = Vec::new();
    if let Some(p) = profile {
        let known: Vec<&String> = packs.iter().flat_map(|pk| pk.profiles.iter()).collect();
        if !known.iter().any(|k| *k == p) {
            errors.push(LoadError::plain(
                &config_name,
                format!(
                    "unknown profile `{p}`; the packs in use declare: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    }
                ),
            ));
        }
    }
    let mut used = vec![false; settings.len()];
    let mut raw: Vec<RawRule> = Vec::new();
    // For each rule, which setting gave each overridden option (its last writer).
    let mut option_origins: Vec<Vec<(String, usize)>> = Vec::new();
    for pk in packs {
        let active_profile = profile.or(pk.profiles.first().map(String::as_str));
        for rule in &pk.rules {
            if !rule.profiles.is_empty() && !active_profile.is_some_and(|p| rule.profiles.iter().any(|x| x == p)) {
                continue;
            }
            let mut r = rule.raw.clone();
            // Later layers win; within a layer, more specific (longer) keys win.
            let mut matching: Vec<(usize, usize, &String, &RuleSetting)> = settings
                .iter()
                .enumerate()
                .filter(|(_, (_, k, _))| rule_matches(k, &pk.name, &r.meta.id))
                .map(|(i, (layer, k, v))| (i, *layer, *k, *v))
                .collect();
            matching.sort_by_key(|(i, layer, k, _)| (*layer, k.len(), *i));
            let mut origins: Vec<(String, usize)> = Vec::new();
            for (i, _, _, setting) in matching {
                used[i] = true;
                if let Some(s) = setting.severity() {
                    r.meta.severity = s;
                }
                if let Some(opts) = setting.options() {
                    for (k, v) in opts {
                        r.options.insert(k.clone(), v.clone());
                        origins.retain(|(o, _)| o != k);
                        origins.push((k.clone(), i));
                    }
                }
            }
            if r.meta.severity != crate::diagnostic::Severity::Off {
                option_origins.push(origins);
            }
            raw.push(r);
        }
    }
    for (i, (_, k, _)) in settings.iter().enumerate() {
        if !used[i]
            && !packs
                .iter()
                .any(|pk| pk.rules.iter().any(|r| rule_matches(k, &pk.name, &r.raw.meta.id)))
        {
            errors.push(LoadError::plain(
                &config_name,
                format!(
                    "`rules.\"{k}\"` matches no rule in the packs in use; `copydesk rules list` shows the rule ids"
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let metas: Vec<_> = raw
        .iter()
        .filter(|r| r.meta.severity != crate::diagnostic::Severity::Off)
        .map(|r| r.meta.clone())
        .collect();
    Engine::new(raw).map_err(|errs| {
        let config_text = config_path.and_then(|p| std::fs::read_to_string(p).ok());
        errs.into_iter()
            .map(|e| {
                let meta = &metas[e.rule.get()];
                let message = format!("rule `{}`: {}", meta.id, e.message);
                // An option the config set is wrong: point at the config's line, not at
                // the pack's rule the user never wrote.
                let from_config = e.key.as_deref().and_then(|k| {
                    let option = k.split(['.', '[']).next()?;
                    let (_, i) = option_origins[e.rule.get()].iter().find(|(o, _)| o == option)?;
                    Some((k, *i))
                });
                if let (Some((k, i)), Some(text)) = (from_config, &config_text) {
                    let (layer, setting, _) = settings[i];
                    let table = match layer {
                        0 => "rules".to_string(),
                        n => format!("overrides[{}].rules", n - 1),
                    };
                    let path = format!("{table}.\"{setting}\".{k}");
                    return match crate::pack::locate::key_span(text, &path) {
                        Some(span) => LoadError::at_span(&config_name, text, span, Some(path), message),
                        None => LoadError::plain(&config_name, message).with_key(path),
                    };
                }
                let src = &meta.source;
                match &e.key {
                    Some(k) => LoadError::at_key(&src.file, &src.text, src.index, k, message),
                    None => LoadError::at_rule(&src.file, &src.text, src.index, message),
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configs_that_resolve_to_the_same_rules_share_one_engine() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let a = Project::load(Some(&write("a.toml", "")), None).unwrap();
        let b = Project::load(Some(&write("b.toml", "# nothing\n")), None).unwrap();
        let c = Project::load(Some(&write("c.toml", "[rules]\n\"vi-news/quotes\" = \"off\"\n")), None).unwrap();
        assert!(Arc::ptr_eq(&a.engine(), &b.engine()));
        assert!(!Arc::ptr_eq(&a.engine(), &c.engine()));
        // A folder pack is keyed by its content: the same folder edited is compiled again.
        let pack = dir.path().join("p");
        std::fs::create_dir(&pack).unwrap();
        let rule =
            |m: &str| format!("[[rule]]\nid = \"x\"\nkind = \"pattern\"\nmessage = \"{m}\"\npattern = \"abc\"\n");
        std::fs::write(pack.join("r.toml"), rule("one")).unwrap();
        let d = Project::load(Some(&write("d.toml", "packs = [\"./p\"]\n")), None).unwrap();
        let e = Project::load(Some(&write("e.toml", "packs = [\"./p\"]\n")), None).unwrap();
        assert!(Arc::ptr_eq(&d.engine(), &e.engine()));
        std::fs::write(pack.join("r.toml"), rule("two")).unwrap();
        let f = Project::load(Some(&write("f.toml", "packs = [\"./p\"]\n")), None).unwrap();
        assert!(!Arc::ptr_eq(&d.engine(), &f.engine()));
        assert_eq!(f.engine().rules()[0].message, "two");
        // Configs in other folders that reach the same pack folder by another path share
        // its engine (each compiled it again: 50 such configs took 1.8 s and 296 MB).
        for sub in ["x", "y/z"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let up = |n: usize| format!("packs = [\"{}p\"]\n", "../".repeat(n));
        let g = Project::load_trusting(
            Some(&write("x/.copydesk.toml", &up(1))),
            None,
            &PackTrust { allow_external: true },
        )
        .unwrap();
        let h = Project::load_trusting(
            Some(&write("y/z/.copydesk.toml", &up(2))),
            None,
            &PackTrust { allow_external: true },
        )
        .unwrap();
        assert!(Arc::ptr_eq(&g.engine(), &f.engine()));
        assert!(Arc::ptr_eq(&g.engine(), &h.engine()));
    }
}
