#![doc = include_str!("substitution.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

/// One `wrong → right` entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Term {
    /// Literal wrong form(s), matched as whole words.
    #[serde(default)]
    pub wrong: OneOrMany,
    /// A regex instead of literals; `right` may use `$1`, `${name}`.
    #[serde(default)]
    pub pattern: Option<String>,
    /// The replacement(s); several give several fixes.
    #[serde(default)]
    pub right: OneOrMany,
    /// `false`: warn only, offer no automatic fix (context-dependent words).
    #[serde(default = "yes")]
    pub fix: bool,
    /// Overrides the rule's message for this entry.
    #[serde(default)]
    pub message: Option<String>,
    /// Match case exactly (default: any case, the fix keeps the found case shape).
    #[serde(default)]
    pub case_sensitive: bool,
}

fn yes() -> bool {
    true
}

/// A string or a list of strings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub terms: Vec<Term>,
}

pub struct Substitution;

impl RuleKind for Substitution {
    const NAME: &'static str = "substitution";
    const DOC: &'static str = include_str!("substitution.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(SubstitutionChecker { rules }))
    }
}

struct SubstitutionChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for SubstitutionChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
