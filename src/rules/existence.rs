#![doc = include_str!("existence.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

/// A forbidden word or pattern.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Token {
    /// Literal word(s), matched as whole words.
    #[serde(default, rename = "match")]
    pub literal: crate::rules::substitution::OneOrMany,
    /// Or a regex.
    #[serde(default)]
    pub pattern: Option<String>,
    /// This entry's message (`{found}` is the match).
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub case_sensitive: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub tokens: Vec<Token>,
}

pub struct Existence;

impl RuleKind for Existence {
    const NAME: &'static str = "existence";
    const DOC: &'static str = include_str!("existence.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(ExistenceChecker { rules }))
    }
}

struct ExistenceChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for ExistenceChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
