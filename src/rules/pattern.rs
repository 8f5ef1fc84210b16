#![doc = include_str!("pattern.md")]

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{render_template, BlockInput, BlockOutput, Checker, RuleError, RuleIdx, RuleInput, RuleKind};
use crate::diagnostic::{Diagnostic, Fix};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// A regex (Rust syntax).
    pub pattern: String,
    /// A replacement template (`$1`, `${name}`); no fix without it.
    #[serde(default)]
    pub replacement: Option<String>,
    #[serde(default)]
    pub case_insensitive: bool,
    /// Fix title; default "Replace with “…”".
    #[serde(default)]
    pub fix_title: Option<String>,
}

pub struct Pattern;

struct Compiled {
    idx: RuleIdx,
    meta: std::sync::Arc<super::RuleMeta>,
    regex: Regex,
    replacement: Option<String>,
    fix_title: Option<String>,
}

impl RuleKind for Pattern {
    const NAME: &'static str = "pattern";
    const DOC: &'static str = include_str!("pattern.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut compiled = Vec::new();
        let mut errors = Vec::new();
        for r in rules {
            let built = regex::RegexBuilder::new(&r.options.pattern)
                .case_insensitive(r.options.case_insensitive)
                .size_limit(1 << 22)
                .build();
            match built {
                Ok(regex) => compiled.push(Compiled {
                    idx: r.idx,
                    meta: r.meta,
                    regex,
                    replacement: r.options.replacement,
                    fix_title: r.options.fix_title,
                }),
                Err(e) => errors.push(RuleError::new(
                    r.idx,
                    Some("pattern".to_string()),
                    format!("invalid regex: {e}"),
                )),
            }
        }
        if errors.is_empty() {
            Ok(Box::new(PatternChecker { rules: compiled }))
        } else {
            Err(errors)
        }
    }
}

struct PatternChecker {
    rules: Vec<Compiled>,
}

impl Checker for PatternChecker {
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        for r in &self.rules {
            if !block.is_active(r.idx) {
                continue;
            }
            for caps in r.regex.captures_iter(block.text) {
                let m = caps.get(0).expect("group 0 always matches");
                if m.is_empty() || m.as_str().contains(crate::document::MASK_CHAR) {
                    continue;
                }
                let expected = r.replacement.as_ref().map(|t| {
                    let mut s = String::new();
                    caps.expand(t, &mut s);
                    s
                });
                let message = r
                    .meta
                    .render(&[("found", m.as_str()), ("expected", expected.as_deref().unwrap_or(""))]);
                let mut d = Diagnostic::new(r.idx, m.range(), message);
                if let Some(e) = expected.filter(|e| e != m.as_str()) {
                    let title = match &r.fix_title {
                        Some(t) => render_template(t, &[("found", m.as_str()), ("expected", &e)]),
                        None => format!("Replace with “{e}”"),
                    };
                    d = d.with_fix(Fix::replace(title, m.range(), e));
                }
                out.diagnostics.push(d);
            }
        }
    }
}
