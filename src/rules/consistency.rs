#![doc = include_str!("consistency.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

/// Variants of which a document uses one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Group {
    pub variants: Vec<String>,
    /// The form that wins; otherwise the document's first.
    #[serde(default)]
    pub prefer: Option<String>,
    /// Match variants as whole words (default). `false` for punctuation (`...`/`…`).
    #[serde(default = "yes")]
    pub word: bool,
    #[serde(default)]
    pub case_sensitive: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub groups: Vec<Group>,
}

pub struct Consistency;

impl RuleKind for Consistency {
    const NAME: &'static str = "consistency";
    const DOC: &'static str = include_str!("consistency.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(ConsistencyChecker { rules }))
    }
}

struct ConsistencyChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for ConsistencyChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
