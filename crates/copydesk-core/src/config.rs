//! `.copydesk.toml`: which packs, which profile, per-rule severities and options,
//! per-glob overrides and ignored files. Found by walking up from each checked file;
//! the nearest one wins.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Severity;
use crate::pack::LoadError;

/// The config file name.
pub const CONFIG_FILE: &str = ".copydesk.toml";

/// A rule's setting: a severity, or a table with `severity` and option overrides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RuleSetting {
    Severity(Severity),
    Table {
        #[serde(default)]
        severity: Option<Severity>,
        /// Kind options to override (for example `prefer = "second-vowel"`).
        #[serde(flatten)]
        #[schemars(with = "BTreeMap<String, serde_json::Value>")]
        options: toml::Table,
    },
}

impl RuleSetting {
    pub fn severity(&self) -> Option<Severity> {
        match self {
            RuleSetting::Severity(s) => Some(*s),
            RuleSetting::Table { severity, .. } => *severity,
        }
    }
    pub fn options(&self) -> Option<&toml::Table> {
        match self {
            RuleSetting::Severity(_) => None,
            RuleSetting::Table { options, .. } => Some(options),
        }
    }
}

/// Settings for files matching some globs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// Globs relative to the config file's folder (`archive/**`, `*.txt`).
    pub files: Vec<String>,
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
}

/// The contents of a `.copydesk.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Packs to use: built-in names (`vi-news`) or folders relative to this file.
    /// Default: `["vi-news"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packs: Option<Vec<String>>,
    /// Profile of the packs (`newsroom`, `nd30`); default: each pack's first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// File extensions checked when walking folders. Default: md, markdown, txt, html, htm, docx.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Vec<String>>,
    /// Globs of files and folders never checked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Per-rule settings; keys are `pack/id`, `id`, an id prefix (`quotes`) or a pack.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, RuleSetting>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// How the headline of a plain-text file is found: `first-line` (default: the first
    /// non-empty line) or `none` (every line is body text, for exports that start with the
    /// lead or a caption). Markdown files are not affected; in a Word document it decides
    /// only whether an unstyled first paragraph is the headline (a Title or Heading 1
    /// paragraph always is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain_headline: Option<PlainHeadline>,
    /// Word documents: the parts checked besides the body (all off by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docx: Option<DocxConfig>,
    /// HTML pages: the attribute values checked besides the text (all off by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<HtmlConfig>,
}

/// `[docx]`: which parts of a Word document are checked besides the body. Findings there
/// name the part; `--fix` writes tracked changes into headers, footers and notes, never
/// into comments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocxConfig {
    /// Page headers (`word/header*.xml`).
    #[serde(default)]
    pub headers: bool,
    /// Page footers (`word/footer*.xml`).
    #[serde(default)]
    pub footers: bool,
    /// Footnotes (`word/footnotes.xml`).
    #[serde(default)]
    pub footnotes: bool,
    /// Endnotes (`word/endnotes.xml`).
    #[serde(default)]
    pub endnotes: bool,
    /// The text of comments (`word/comments.xml`); reported, never fixed.
    #[serde(default)]
    pub comments: bool,
}

impl DocxConfig {
    pub fn parts(&self) -> crate::document::docx::Parts {
        crate::document::docx::Parts {
            headers: self.headers,
            footers: self.footers,
            footnotes: self.footnotes,
            endnotes: self.endnotes,
            comments: self.comments,
        }
    }
}

/// `[html]`: which attribute values of an HTML page are checked besides its text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HtmlConfig {
    /// `alt` texts of images (what a screen reader says).
    #[serde(default)]
    pub alt: bool,
    /// `title` attributes (tooltips of links and images).
    #[serde(default)]
    pub title: bool,
}

impl HtmlConfig {
    pub fn attributes(&self) -> crate::document::html::Attributes {
        crate::document::html::Attributes {
            alt: self.alt,
            title: self.title,
        }
    }
}

/// How the headline of a plain-text file is found (`plain-headline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PlainHeadline {
    /// The first non-empty line is the headline.
    #[default]
    FirstLine,
    /// No headline: headline rules never judge a lead.
    None,
}

impl Config {
    /// Parses config text; errors carry line and column.
    pub fn parse(name: &str, text: &str) -> Result<Config, LoadError> {
        toml::from_str(text).map_err(|e| LoadError::from_toml(name, text, &e))
    }

    pub fn load(path: &Path) -> Result<Config, LoadError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| LoadError::plain(&name, format!("cannot read config: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            LoadError::plain(
                &name,
                format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            )
        })?;
        Config::parse(&name, &text)
    }

    /// Adds `other` on top of `self` (client settings over a file's config).
    pub fn merge(&mut self, other: &Config) {
        if let Some(p) = &other.packs {
            let packs = self
                .packs
                .get_or_insert_with(|| vec![crate::pack::DEFAULT_PACK.to_string()]);
            for x in p {
                if !packs.contains(x) {
                    packs.push(x.clone());
                }
            }
        }
        if other.profile.is_some() {
            self.profile = other.profile.clone();
        }
        if other.extensions.is_some() {
            self.extensions = other.extensions.clone();
        }
        self.exclude.extend(other.exclude.iter().cloned());
        for (k, v) in &other.rules {
            self.rules.insert(k.clone(), v.clone());
        }
        self.overrides.extend(other.overrides.iter().cloned());
        if other.plain_headline.is_some() {
            self.plain_headline = other.plain_headline;
        }
        if other.docx.is_some() {
            self.docx = other.docx;
        }
        if other.html.is_some() {
            self.html = other.html;
        }
    }

    pub fn extensions(&self) -> Vec<String> {
        self.extensions.clone().unwrap_or_else(|| {
            ["md", "markdown", "txt", "html", "htm", "docx"]
                .map(String::from)
                .to_vec()
        })
    }
}

/// The user-level config (`$XDG_CONFIG_HOME/copydesk/config.toml`, by default
/// `~/.config/copydesk/config.toml`): settings a repository must not choose for the user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UserConfig {
    /// Let repository configs name rule packs outside the repository.
    #[serde(default)]
    pub allow_external_packs: bool,
}

impl UserConfig {
    /// Where the user config is looked for (`COPYDESK_USER_CONFIG` overrides it).
    pub fn path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("COPYDESK_USER_CONFIG") {
            return Some(PathBuf::from(p));
        }
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("copydesk").join("config.toml"))
    }

    /// The user config, or the defaults when there is none; errors carry line and column.
    pub fn load() -> Result<UserConfig, LoadError> {
        let Some(path) = UserConfig::path() else {
            return Ok(UserConfig::default());
        };
        let name = path.display().to_string();
        match std::fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(UserConfig::default()),
            Err(e) => Err(LoadError::plain(&name, format!("cannot read the user config: {e}"))),
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|e| {
                    LoadError::plain(
                        &name,
                        format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
                    )
                })?;
                toml::from_str(&text).map_err(|e| LoadError::from_toml(&name, &text, &e))
            }
        }
    }
}

/// The nearest `.copydesk.toml` at or above `start` (a file or a folder).
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let joined = if start.is_absolute() {
        start.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(start)
    };
    // Without `.` components, so that errors name `/a/b/.copydesk.toml`, not `/a/./b/…`.
    let abs: PathBuf = joined
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_severities_tables_and_overrides() {
        let c = Config::parse(
            "c",
            r#"
packs = ["vi-news", "./house"]
profile = "nd30"
[rules]
"quotes.straight" = "error"
"vi-news/tone.placement" = { severity = "info", mode = "prefer", prefer = "second-vowel" }
[[overrides]]
files = ["archive/**"]
rules = { "typography" = "off" }
"#,
        )
        .unwrap();
        assert_eq!(c.rules["quotes.straight"], RuleSetting::Severity(Severity::Error));
        let t = &c.rules["vi-news/tone.placement"];
        assert_eq!(t.severity(), Some(Severity::Info));
        assert_eq!(t.options().unwrap()["prefer"].as_str(), Some("second-vowel"));
        assert_eq!(c.overrides[0].files, ["archive/**"]);
    }

    #[test]
    fn plain_headline_is_first_line_or_none() {
        let c = Config::parse("c", "plain-headline = \"none\"\n").unwrap();
        assert_eq!(c.plain_headline, Some(PlainHeadline::None));
        let e = Config::parse("c.toml", "plain-headline = \"second-line\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 18));
        assert!(e.message.contains("first-line"), "{}", e.message);
    }

    #[test]
    fn errors_have_positions() {
        let e = Config::parse("c.toml", "packs = [\"a\"]\nbogus = 1\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("bogus"), "{}", e.message);
    }
}
