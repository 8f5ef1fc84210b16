#![doc = include_str!("quotes.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Outer opening and closing quote.
    #[serde(default = "outer")]
    pub outer: [String; 2],
    /// Inner (nested) opening and closing quote.
    #[serde(default = "inner")]
    pub inner: [String; 2],
    /// Sub-checks: `straight`, `unbalanced`, `nesting`, `inner-space`. Default: all.
    #[serde(default)]
    pub checks: Option<Vec<String>>,
}

fn outer() -> [String; 2] {
    ["“".into(), "”".into()]
}
fn inner() -> [String; 2] {
    ["‘".into(), "’".into()]
}

pub struct Quotes;

impl RuleKind for Quotes {
    const NAME: &'static str = "quotes";
    const DOC: &'static str = include_str!("quotes.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(QuotesChecker { rules }))
    }
}

struct QuotesChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for QuotesChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
