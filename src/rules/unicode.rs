#![doc = include_str!("unicode.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Sub-checks: `nfc`, `double-mark`, `mojibake`, `invisible`. Default: all.
    #[serde(default)]
    pub checks: Option<Vec<String>>,
}

pub struct Unicode;

impl RuleKind for Unicode {
    const NAME: &'static str = "unicode";
    const DOC: &'static str = include_str!("unicode.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(UnicodeChecker { rules }))
    }
}

struct UnicodeChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for UnicodeChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
