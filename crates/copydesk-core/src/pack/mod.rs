//! Rule packs: folders of TOML rule files, built in (embedded from `rules/`) or on disk.
//!
//! Loading never half-succeeds silently: a pack either loads whole, or comes back with
//! every error found, each located by file, line, column and key.

pub mod error;
pub mod examples;
pub mod locate;
pub mod schema;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use include_dir::{include_dir, Dir};
use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::document::{Scope, ScopeSet};
use crate::language::Language;
use crate::rules::{self, Example, RawRule, RuleMeta, RuleSource};
pub use error::LoadError;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../rules");

/// The pack used when no configuration names one.
pub const DEFAULT_PACK: &str = "vi-news";

/// Names of the packs compiled into the binary.
pub fn builtin_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = BUILTIN.dirs().filter_map(|d| d.path().file_name()?.to_str()).collect();
    names.sort();
    names
}

/// A loaded pack: its rules with their options still raw.
#[derive(Debug, Clone)]
pub struct Pack {
    pub name: String,
    pub description: Option<String>,
    /// Profiles the pack declares; the first is the default.
    pub profiles: Vec<String>,
    pub rules: Vec<PackRule>,
    /// Where it came from: `builtin:NAME` or a folder path.
    pub origin: String,
}

#[derive(Debug, Clone)]
pub struct PackRule {
    pub raw: RawRule,
    /// Profiles the rule belongs to; empty means every profile.
    pub profiles: Vec<String>,
    /// Per-rule option keys and severities can be overridden by configuration.
    pub default_severity: Severity,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "kebab-case")]
struct PackHeader {
    name: Option<String>,
    description: Option<String>,
    #[serde(default)]
    profiles: Vec<String>,
    /// The message of every style choice in `prefer` mode, in the pack's language.
    prefer_message: Option<String>,
    /// Labels that open a photo or source credit before a colon (`Ảnh`, `Nguồn`), or right
    /// after a parenthesis and before a capital (`(Ảnh CAND)`).
    #[serde(default)]
    credit_labels: Vec<String>,
    /// Words that open a source credit closing a paragraph (`Theo`).
    #[serde(default)]
    source_credit_words: Vec<String>,
    /// Abbreviations whose dot does not end a sentence (`TP.`, `PGS.`).
    #[serde(default)]
    sentence_abbreviations: Vec<String>,
    /// Abbreviations that close an enumeration (`v.v.`): a sentence ends after them when a
    /// capital follows.
    #[serde(default)]
    closing_abbreviations: Vec<String>,
    /// The consonants a syllable may start with, capitalized (`B`, `Ch`, `Ngh`).
    #[serde(default)]
    onsets: Vec<String>,
    /// The consonants a syllable may end with (`ng`, `c`).
    #[serde(default)]
    codas: Vec<String>,
    /// Tokens with inner dots that are not sentence punctuation (`TP.HCM`, `e.g`).
    #[serde(default)]
    dotted_words: Vec<String>,
    /// The orthography the engine knows the pack's words to be spelled in (`vietnamese`).
    orthography: Option<crate::language::Orthography>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    pack: Option<PackHeader>,
    #[serde(default)]
    rule: Vec<toml::Spanned<toml::Table>>,
}

/// One file's text and its display name.
pub struct SourceFile {
    pub name: String,
    pub text: String,
    shared: Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        SourceFile {
            name: name.into(),
            shared: Arc::from(text.as_str()),
            text,
        }
    }
}

/// Loads a built-in pack by name.
pub fn load_builtin(name: &str) -> Result<Pack, Vec<LoadError>> {
    let Some(dir) = BUILTIN.get_dir(name) else {
        return Err(vec![LoadError::plain(
            format!("builtin:{name}"),
            format!(
                "there is no built-in pack named `{name}`; built-in packs: {}",
                builtin_names().join(", ")
            ),
        )]);
    };
    let mut files: Vec<SourceFile> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .map(|f| {
            SourceFile::new(
                format!("builtin:{}", f.path().display()),
                f.contents_utf8().unwrap_or_default(),
            )
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    load_files(name, &format!("builtin:{name}"), files)
}

/// A built-in pack, parsed once per process and shared: every project that names it (or
/// names no pack) holds the same rules instead of a copy of its own (a copy costs the
/// parse and most of a megabyte, and a tree of folders may have thousands of configs).
pub fn builtin_shared(name: &str) -> Result<Arc<Pack>, Vec<LoadError>> {
    static PARSED: OnceLock<Mutex<HashMap<String, Arc<Pack>>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(Default::default);
    if let Some(p) = parsed.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
        return Ok(p.clone());
    }
    // Parsed outside the lock: two threads may both parse one pack; the first stays.
    let pack = Arc::new(load_builtin(name)?);
    let mut map = parsed.lock().unwrap_or_else(|e| e.into_inner());
    Ok(map.entry(name.to_string()).or_insert(pack).clone())
}

/// Loads a pack from a folder of `.toml` files (not recursive; `pack.toml` may name it).
pub fn load_dir(path: &Path) -> Result<Pack, Vec<LoadError>> {
    let display = path.display().to_string();
    let entries = std::fs::read_dir(path).map_err(|e| {
        vec![LoadError::plain(
            display.clone(),
            format!("cannot read the rule pack folder: {e}"),
        )]
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    paths.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::read(&p) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => files.push(SourceFile::new(p.display().to_string(), text)),
                Err(e) => errors.push(LoadError::plain(
                    p.display().to_string(),
                    format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
                )),
            },
            Err(e) => errors.push(LoadError::plain(p.display().to_string(), format!("cannot read: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if files.is_empty() {
        return Err(vec![LoadError::plain(
            display,
            "the rule pack folder has no .toml files",
        )]);
    }
    let default_name = path
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "local".into());
    load_files(&default_name, &display, files)
}

/// Loads a pack from file texts. `default_name` applies unless a `[pack]` table names it.
pub fn load_files(default_name: &str, origin: &str, files: Vec<SourceFile>) -> Result<Pack, Vec<LoadError>> {
    let mut errors = Vec::new();
    let mut header = PackHeader::default();
    let mut language = Language::default();
    let mut rules = Vec::new();
    let mut parsed = Vec::new();
    for f in &files {
        match toml::from_str::<RawFile>(&f.text) {
            Ok(raw) => {
                if let Some(h) = raw.pack {
                    language.merge(&header_language(&h));
                    if h.name.is_some() {
                        header.name = h.name;
                    }
                    if h.description.is_some() {
                        header.description = h.description;
                    }
                    if !h.profiles.is_empty() {
                        header.profiles = h.profiles;
                    }
                    if h.prefer_message.is_some() {
                        header.prefer_message = h.prefer_message;
                    }
                }
                parsed.push((f, raw.rule));
            }
            Err(e) => errors.push(LoadError::from_toml(&f.name, &f.text, &e)),
        }
    }
    let name: Arc<str> = Arc::from(header.name.clone().unwrap_or_else(|| default_name.to_string()));
    let language = Arc::new(language);
    let mut seen = std::collections::HashMap::new();
    for (f, rule_tables) in parsed {
        for (i, spanned) in rule_tables.into_iter().enumerate() {
            let span = spanned.span();
            match parse_rule(
                &name,
                header.prefer_message.as_deref(),
                &language,
                f,
                i,
                span,
                spanned.into_inner(),
            ) {
                Ok(rule) => {
                    if let Some(prev) = seen.insert(rule.raw.meta.id.clone(), f.name.clone()) {
                        errors.push(LoadError::at_key(
                            &f.name,
                            &f.text,
                            i,
                            "id",
                            format!(
                                "duplicate rule id `{}` (already defined in {prev}); rule ids must be unique within a pack",
                                rule.raw.meta.id
                            ),
                        ));
                    }
                    rules.push(rule);
                }
                Err(e) => errors.extend(e),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Pack {
        name: name.to_string(),
        description: header.description,
        profiles: header.profiles,
        rules,
        origin: origin.to_string(),
    })
}

const COMMON_KEYS: &[&str] = &[
    "id",
    "kind",
    "severity",
    "message",
    "description",
    "link",
    "scope",
    "profiles",
    "examples",
];

/// Words of a `[pack]` list in NFC, blank ones dropped.
fn nfc_words(words: &[String]) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    words
        .iter()
        .map(|w| w.trim().nfc().collect::<String>())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The words of a `[pack]` table's language lists.
fn header_language(h: &PackHeader) -> Language {
    Language {
        credit_labels: nfc_words(&h.credit_labels),
        source_credit_words: nfc_words(&h.source_credit_words),
        sentence_abbreviations: abbreviation_keys(&h.sentence_abbreviations),
        closing_abbreviations: abbreviation_keys(&h.closing_abbreviations),
        onsets: nfc_words(&h.onsets),
        codas: nfc_words(&h.codas),
        dotted_words: abbreviation_keys(&h.dotted_words),
        orthography: h.orthography,
    }
}

/// The language of the built-in `vi-news` pack, for unit tests of what its words do.
#[cfg(test)]
pub(crate) fn vi_news_language() -> Language {
    let raw: RawFile = toml::from_str(include_str!("../../../../rules/vi-news/pack.toml")).unwrap();
    header_language(&raw.pack.unwrap())
}

/// The `[pack]` table of the built-in `vi-news` pack with its language lists only, to add
/// to a rule snippet in unit tests.
#[cfg(test)]
pub(crate) fn vi_news_language_table() -> String {
    let t: toml::Table = include_str!("../../../../rules/vi-news/pack.toml").parse().unwrap();
    let mut pack = t["pack"].as_table().cloned().unwrap_or_default();
    pack.retain(|k, _| !matches!(k, "name" | "description" | "profiles" | "prefer-message"));
    let mut out = toml::Table::new();
    out.insert("pack".into(), pack.into());
    toml::to_string(&out).unwrap()
}

/// Abbreviations of a `[pack]` list as the splitter compares them: in NFC, lower case,
/// without the final dot; blank ones dropped.
fn abbreviation_keys(words: &[String]) -> Vec<String> {
    nfc_words(words)
        .iter()
        .map(|w| crate::language::abbreviation_key(w))
        .filter(|w| !w.is_empty())
        .collect()
}

fn take_string(table: &mut toml::Table, key: &str) -> Result<Option<String>, String> {
    match table.remove(key) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("`{key}` must be a string, found {}", other.type_str())),
    }
}

fn parse_rule(
    pack: &Arc<str>,
    prefer_message: Option<&str>,
    language: &Arc<Language>,
    file: &SourceFile,
    index: usize,
    span: std::ops::Range<usize>,
    mut table: toml::Table,
) -> Result<PackRule, Vec<LoadError>> {
    let err = |key: &str, msg: String| vec![LoadError::at_key(&file.name, &file.text, index, key, msg)];
    // A key every rule must have: a string, or an error at the rule saying `missing()`.
    let required = |table: &mut toml::Table, key: &str, missing: &dyn Fn() -> String| {
        take_string(table, key)
            .map_err(|m| err(key, m))?
            .ok_or_else(|| vec![LoadError::at_rule(&file.name, &file.text, index, missing())])
    };
    let id = required(&mut table, "id", &|| {
        "the rule has no `id`; add `id = \"group.name\"`".to_string()
    })?;
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(err(
            "id",
            format!(
                "invalid rule id `{id}`: use ASCII letters, digits, `.`, `-` and `_` (for example `quotes.straight`)"
            ),
        ));
    }
    let kind_name = required(&mut table, "kind", &|| {
        format!(
            "rule `{id}` has no `kind`; known kinds: {}",
            rules::kind_names().join(", ")
        )
    })?;
    let Some(kind) = rules::kind(&kind_name) else {
        return Err(err(
            "kind",
            format!(
                "unknown kind `{kind_name}`; known kinds: {}",
                rules::kind_names().join(", ")
            ),
        ));
    };
    let severity = match take_string(&mut table, "severity").map_err(|m| err("severity", m))? {
        None => Severity::Warning,
        Some(s) => Severity::parse(&s).ok_or_else(|| {
            err(
                "severity",
                format!("unknown severity `{s}`; use one of error, warning, info, hint, off"),
            )
        })?,
    };
    let message = take_string(&mut table, "message")
        .map_err(|m| err("message", m))?
        .ok_or_else(|| {
            vec![LoadError::at_rule(
                &file.name,
                &file.text,
                index,
                format!("rule `{id}` has no `message`; add one, with `{{found}}` and `{{expected}}` where useful"),
            )]
        })?;
    let description = take_string(&mut table, "description").map_err(|m| err("description", m))?;
    let link = take_string(&mut table, "link").map_err(|m| err("link", m))?;
    let scopes = match table.remove("scope") {
        None => None,
        Some(v) => {
            let list = match v {
                toml::Value::String(s) => vec![s],
                toml::Value::Array(a) => a
                    .into_iter()
                    .map(|x| x.as_str().map(str::to_string).unwrap_or_default())
                    .collect(),
                _ => return Err(err("scope", "`scope` must be a string or a list of strings".into())),
            };
            let mut set = ScopeSet::empty();
            for s in list {
                let scope: Scope = serde::Deserialize::deserialize(toml::Value::String(s.clone())).map_err(|_| {
                    err(
                        "scope",
                        format!("unknown scope `{s}`; use headline, heading, body, quote, list or table"),
                    )
                })?;
                set = set.with(scope);
            }
            Some(set)
        }
    };
    let profiles = match table.remove("profiles") {
        None => Vec::new(),
        Some(v) => Vec::<String>::deserialize(v)
            .map_err(|_| err("profiles", "`profiles` must be a list of profile names".into()))?,
    };
    let examples = match table.remove("examples") {
        None => Vec::new(),
        Some(v) => serde_path_to_error::deserialize::<_, Vec<Example>>(v).map_err(|e| {
            let key = format!("examples{}", path_suffix(&e.path().to_string()));
            err(&key, format!("invalid example: {}", e.into_inner()))
        })?,
    };
    // Validate kind options now, so errors point at the file before anything runs.
    if let Err((key, message)) = (kind.validate)(table.clone()) {
        let key = key.unwrap_or_default();
        let hint = if message.contains("unknown field") {
            format!(
                "{message}\n  (common keys are: {}; see `copydesk explain {}` for the kind's options)",
                COMMON_KEYS.join(", "),
                kind.name
            )
        } else {
            message
        };
        return Err(if key.is_empty() {
            vec![LoadError::at_rule(
                &file.name,
                &file.text,
                index,
                format!("rule `{id}`: {hint}"),
            )]
        } else {
            err(&key, format!("rule `{id}`: {hint}"))
        });
    }
    let meta = RuleMeta {
        pack: pack.clone(),
        id,
        kind: kind.name,
        severity,
        message,
        prefer_message: prefer_message.map(str::to_string),
        language: language.clone(),
        description,
        link,
        scopes,
        examples,
        source: RuleSource {
            file: file.name.clone(),
            text: file.shared.clone(),
            index,
            span,
        },
    };
    Ok(PackRule {
        raw: RawRule { meta, options: table },
        profiles,
        default_severity: severity,
    })
}

fn path_suffix(path: &str) -> String {
    if path == "." || path.is_empty() {
        String::new()
    } else if path.starts_with('[') {
        path.to_string()
    } else {
        format!(".{path}")
    }
}

#[cfg(test)]
mod compile_budget {
    use super::*;

    /// Every `pattern` string under `value`, with whether it matches case-insensitively
    /// (the term kinds' default; the `pattern` kind's is case-sensitive).
    fn patterns(value: &toml::Value, ci_default: bool, out: &mut Vec<(String, bool)>) {
        match value {
            toml::Value::Table(t) => {
                if let Some(toml::Value::String(p)) = t.get("pattern") {
                    let ci = match (t.get("case-insensitive"), t.get("case-sensitive")) {
                        (Some(toml::Value::Boolean(b)), _) => *b,
                        (_, Some(toml::Value::Boolean(b))) => !b,
                        _ => ci_default,
                    };
                    out.push((p.clone(), ci));
                }
                t.values().for_each(|v| patterns(v, ci_default, out));
            }
            toml::Value::Array(a) => a.iter().for_each(|v| patterns(v, ci_default, out)),
            _ => {}
        }
    }

    /// `(pack/rule, pattern, case-insensitive)` of every regex of the built-in packs.
    fn builtin_patterns() -> Vec<(String, String, bool)> {
        let mut all = Vec::new();
        for name in builtin_names() {
            let pack = load_builtin(name).expect("built-in packs load");
            for rule in pack.rules.iter() {
                let mut found = Vec::new();
                let ci_default = rule.raw.meta.kind != "pattern";
                patterns(&toml::Value::Table(rule.raw.options.clone()), ci_default, &mut found);
                let id = format!("{name}/{}", rule.raw.meta.id);
                all.extend(found.into_iter().map(|(p, ci)| (id.clone(), p, ci)));
            }
        }
        all
    }

    /// The states of one regex's NFA, as the engine compiles it: the work of compiling
    /// it, counted (time would depend on the machine's load).
    fn compiled_size(pattern: &str, ci: bool) -> usize {
        regex_automata::nfa::thompson::Compiler::new()
            .configure(regex_automata::nfa::thompson::Config::new().nfa_size_limit(Some(1 << 22)))
            .syntax(regex_automata::util::syntax::Config::new().case_insensitive(ci))
            .build(pattern)
            .unwrap_or_else(|e| panic!("{pattern}: {e}"))
            .states()
            .len()
    }

    /// NFA states one built-in regex may compile to.
    const BUDGET: usize = 4_000;

    /// The compiled size of every regex of the built-in packs. Regexes are compiled on
    /// first use (or at load when they look big), so these sizes are start-up time of
    /// `copydesk check`: the places patterns once spelled out the full Unicode `\w`,
    /// `\p{Ll}` and `\p{Lu}` dozens of times each, 0.3 s of compiling before the first
    /// byte was checked. It also proves each one compiles within the engine's limit, so
    /// none can fail when first used.
    #[test]
    fn built_in_regexes_compile_small() {
        let mut total = 0;
        let mut count = 0;
        for (rule, p, ci) in builtin_patterns() {
            let size = compiled_size(&p, ci);
            assert!(size < BUDGET, "{rule}: {size} NFA states: {p}");
            total += size;
            count += 1;
        }
        assert!(count > 20, "found only {count} regexes");
        assert!(total < 40_000, "the built-in regexes compile to {total} NFA states");
    }

    /// Every case-sensitive regex of the built-in packs was analysed by `build.rs`, so
    /// loading the packs parses none of them (start-up of `copydesk check`). `build.rs`
    /// reads `pattern = '…'`: a pattern in a basic string ("…") is missed.
    #[test]
    fn built_in_case_sensitive_regexes_are_analysed_at_build_time() {
        for (rule, p, ci) in builtin_patterns() {
            assert!(
                ci || crate::rules::matcher::builtin_analysis(&p).is_some(),
                "{rule}: not analysed at build time (write it as a TOML literal string, '…'): {p}"
            );
        }
    }

    /// The budget tells the old shape of the places patterns from the new one.
    #[test]
    fn the_budget_catches_full_unicode_classes_in_every_branch() {
        let word = |w: &str| {
            format!(
                "(?:[\\p{{Ll}}&&[^txấblđpsk]]{w}*|t(?:[{w}&&[^h]]{w}*|h(?:[{w}&&[^ô]]{w}*|ô(?:[{w}&&[^n]]{w}*|n(?:{w}+))?)?)?|\
                 x(?:[{w}&&[^ó]]{w}*|ó(?:[{w}&&[^m]]{w}*|m(?:{w}+))?)?|b(?:[{w}&&[^ả]]{w}*|ả(?:[{w}&&[^n]]{w}*|n(?:{w}+))?)?)\\b \
                 (?<span>Tỉnh) (?:[\\p{{Lu}}&&[^ĐỦH]]{w}*|Đ(?:[{w}&&[^oộ]]{w}*|o(?:[{w}&&[^à]]{w}*|à(?:[{w}&&[^n]]{w}*|n(?:{w}+))?)?)?)\\b"
            )
        };
        let narrow = r"[\w&&[\x{0}-\x{24F}\x{300}-\x{52F}\x{1E00}-\x{1EFF}]]";
        let full = compiled_size(&word(r"\w"), false);
        let small = compiled_size(&word(narrow), false);
        assert!(full > 2 * BUDGET, "{full}");
        assert!(small < BUDGET / 2, "{small}");
    }
}
