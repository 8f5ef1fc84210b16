#![doc = include_str!("capitalization.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

/// Headline format.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Headline {
    /// `sentence` (first word and proper names) or `any`.
    #[serde(default = "sentence")]
    pub case: String,
    /// Whether a final period is allowed.
    #[serde(default)]
    pub final_period: bool,
    /// Maximum length in characters.
    #[serde(default)]
    pub max_length: Option<usize>,
}

fn sentence() -> String {
    "sentence".into()
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Exact forms: any other casing of these words is flagged.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Title words written exactly like this when a personal name follows.
    #[serde(default)]
    pub titles: Vec<String>,
    /// Words after which a personal name follows (`ông`, `bà`): its syllables are capitalized.
    #[serde(default)]
    pub name_markers: Vec<String>,
    #[serde(default)]
    pub headline: Option<Headline>,
}

pub struct Capitalization;

impl RuleKind for Capitalization {
    const NAME: &'static str = "capitalization";
    const DOC: &'static str = include_str!("capitalization.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(CapitalizationChecker { rules }))
    }
}

struct CapitalizationChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for CapitalizationChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
