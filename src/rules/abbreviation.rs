#![doc = include_str!("abbreviation.md")]

use crate::diagnostic::Severity;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

/// A glossary entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Entry {
    pub short: String,
    pub long: String,
    /// Other spellings of `short` that should be written as `short` (`Tp`, `TP.`).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Also stands for other things: must be defined even if allow-listed.
    #[serde(default)]
    pub ambiguous: bool,
}

/// Severity of each sub-check; `off` disables it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Checks {
    #[serde(default = "warn")]
    pub undefined: Severity,
    #[serde(default = "warn")]
    pub long_after_definition: Severity,
    #[serde(default = "info")]
    pub unused_definition: Severity,
    #[serde(default = "warn")]
    pub variant: Severity,
    #[serde(default = "warn")]
    pub headline: Severity,
    #[serde(default = "off")]
    pub unknown: Severity,
}

impl Default for Checks {
    fn default() -> Self {
        Checks {
            undefined: warn(),
            long_after_definition: warn(),
            unused_definition: info(),
            variant: warn(),
            headline: warn(),
            unknown: off(),
        }
    }
}

fn warn() -> Severity {
    Severity::Warning
}
fn info() -> Severity {
    Severity::Info
}
fn off() -> Severity {
    Severity::Off
}

/// Messages of the sub-checks (`{short}`, `{long}`, `{found}`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Messages {
    pub undefined: Option<String>,
    pub long_after_definition: Option<String>,
    pub unused_definition: Option<String>,
    pub variant: Option<String>,
    pub headline: Option<String>,
    pub unknown: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub glossary: Vec<Entry>,
    /// Abbreviations that need no definition.
    #[serde(default)]
    pub allow_undefined: Vec<String>,
    /// Abbreviations allowed in the headline.
    #[serde(default)]
    pub headline_allowed: Vec<String>,
    /// All-caps tokens never reported as unknown.
    #[serde(default)]
    pub unknown_ignore: Vec<String>,
    #[serde(default)]
    pub checks: Checks,
    #[serde(default)]
    pub messages: Messages,
}

pub struct Abbreviation;

impl RuleKind for Abbreviation {
    const NAME: &'static str = "abbreviation";
    const DOC: &'static str = include_str!("abbreviation.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(AbbreviationChecker { rules }))
    }
}

struct AbbreviationChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for AbbreviationChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
