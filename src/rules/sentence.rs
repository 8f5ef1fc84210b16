#![doc = include_str!("sentence.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Sub-checks: `capital-start`, `length`, `repeated-syllables`. Default: all.
    #[serde(default)]
    pub checks: Option<Vec<String>>,
    /// Sentence length (syllables) above which `length` reports.
    #[serde(default = "max")]
    pub max_syllables: usize,
    /// Abbreviations whose dot does not end a sentence (`TP.`, `PGS.TS.`).
    #[serde(default)]
    pub abbreviations: Vec<String>,
    /// Syllables that may legitimately repeat (`từ từ`, `cao cao`).
    #[serde(default)]
    pub allowed_repeats: Vec<String>,
}

fn max() -> usize {
    60
}

pub struct Sentence;

impl RuleKind for Sentence {
    const NAME: &'static str = "sentence";
    const DOC: &'static str = include_str!("sentence.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(SentenceChecker { rules }))
    }
}

struct SentenceChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for SentenceChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
