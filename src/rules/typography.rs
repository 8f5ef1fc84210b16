#![doc = include_str!("typography.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Sub-checks: `repeated-spaces`, `nbsp`, `zero-width`, `space-before-punct`,
    /// `space-after-punct`, `space-inside-brackets`, `repeated-words`. Default: all.
    #[serde(default)]
    pub checks: Option<Vec<String>>,
    /// Tokens with inner dots that are not sentence punctuation (`TP.HCM`).
    #[serde(default)]
    pub dotted_words: Vec<String>,
}

pub struct Typography;

impl RuleKind for Typography {
    const NAME: &'static str = "typography";
    const DOC: &'static str = include_str!("typography.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(TypographyChecker { rules }))
    }
}

struct TypographyChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for TypographyChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
