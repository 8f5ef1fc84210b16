#![doc = include_str!("numbers_dates.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BlockInput, BlockOutput, Checker, RuleError, RuleInput, RuleKind};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Date separator: `/`, `-` or `.`.
    #[serde(default)]
    pub date_separator: Option<String>,
    /// Zero-pad day and month (`06/07`).
    #[serde(default)]
    pub date_padding: bool,
    /// Time format: `13h37`, `13 giờ 37` or `13:37`.
    #[serde(default)]
    pub time: Option<String>,
    /// Thousands separator.
    #[serde(default)]
    pub thousands: Option<String>,
    /// Decimal separator.
    #[serde(default)]
    pub decimal: Option<String>,
    /// Unit and currency words after which numbers are checked.
    #[serde(default)]
    pub units: Vec<String>,
    /// Space between a number and `%`.
    #[serde(default)]
    pub percent_space: bool,
    /// Sub-checks: `date`, `date-mix`, `time`, `number`, `percent`. Default: all.
    #[serde(default)]
    pub checks: Option<Vec<String>>,
}

pub struct NumbersDates;

impl RuleKind for NumbersDates {
    const NAME: &'static str = "numbers-dates";
    const DOC: &'static str = include_str!("numbers_dates.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        Ok(Box::new(NumbersDatesChecker { rules }))
    }
}

struct NumbersDatesChecker {
    #[allow(dead_code)]
    rules: Vec<RuleInput<Options>>,
}

impl Checker for NumbersDatesChecker {
    fn check_block(&self, _block: &BlockInput<'_>, _out: &mut BlockOutput) {}
}
