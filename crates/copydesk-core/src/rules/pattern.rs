#![doc = include_str!("pattern.md")]

use schemars::JsonSchema;
use serde::Deserialize;

use super::{render_template, BlockInput, BlockOutput, Checker, RuleError, RuleIdx, RuleInput, RuleKind};
use crate::diagnostic::{Diagnostic, Fix};
use crate::text::fast_regex::FastRegex;

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
    regex: FastRegex,
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
            let built = FastRegex::new(&r.options.pattern, r.options.case_insensitive, 1 << 22);
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
                let whole = caps.get(0).expect("group 0 always matches");
                if whole.is_empty() || whole.as_str().contains(crate::document::MASK_CHAR) {
                    continue;
                }
                // A group named `span` narrows the finding and its fix to that group.
                let m = caps.name("span").unwrap_or(whole);
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

#[cfg(test)]
mod tests {
    use crate::testing::{check, engine, fix};

    const RULES: &str = r#"
[[rule]]
id = "units.km"
kind = "pattern"
message = "“{found}” → “{expected}”"
pattern = '(\d) ?KM\b'
replacement = "$1 km"
"#;

    #[test]
    fn reports_and_fixes_with_captures() {
        let e = engine(RULES);
        let found = check(&e, "dài 5KM và 7 KM");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].found, "5KM");
        assert_eq!(found[0].fix.as_deref(), Some("5 km"));
        assert_eq!(fix(&e, "dài 5KM và 7 KM"), "dài 5 km và 7 km");
    }

    #[test]
    fn a_span_group_narrows_the_finding() {
        let e = engine(
            r#"
[[rule]]
id = "p"
kind = "pattern"
message = "m"
pattern = '(\d) ?(?<span>KM)\b'
replacement = "km"
"#,
        );
        let found = check(&e, "dài 5KM");
        assert_eq!((found[0].found.as_str(), found[0].fix.as_deref()), ("KM", Some("km")));
        assert_eq!(fix(&e, "dài 5KM"), "dài 5km");
    }

    #[test]
    fn a_bad_regex_is_a_located_error() {
        let file = "[[rule]]\nid = \"x\"\nkind = \"pattern\"\nmessage = \"m\"\npattern = \"(\"\n";
        let pack = crate::pack::load_files("t", "t", vec![crate::pack::SourceFile::new("t.toml", file)]).unwrap();
        let errs = crate::project::build_engine(&[pack], None, &[], None).unwrap_err();
        assert_eq!((errs[0].line, errs[0].column), (5, 1));
        assert!(errs[0].message.contains("invalid regex"), "{}", errs[0].message);
    }
}
