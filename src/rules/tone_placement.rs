#![doc = include_str!("tone_placement.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// `first-vowel` (hòa), `second-vowel` (hoà) or `consistent` (either, not mixed).
    #[serde(default = "first")]
    pub style: String,
}

fn first() -> String {
    "first-vowel".into()
}

pub struct TonePlacement;

impl RuleKind for TonePlacement {
    const NAME: &'static str = "tone-placement";
    const DOC: &'static str = include_str!("tone_placement.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(TonePlacementChecker { rules }))
    }
}

struct TonePlacementChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for TonePlacementChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
