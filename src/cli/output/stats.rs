//! `--statistics`: the number of findings per rule, most frequent first (then by rule),
//! instead of the findings. JSON for `--format json` and `json-lines`, a table otherwise.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::rule_id;
use crate::cli::report::Report;
use crate::cli::{CheckArgs, OutputFormat};

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: String,
    pub count: usize,
    /// How many of them `--fix` can fix.
    pub fixable: usize,
}

pub fn counts(report: &Report) -> Vec<RuleCount> {
    let mut by_rule: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let e = by_rule.entry(rule_id(f, d)).or_default();
            e.0 += 1;
            if d.fixes.iter().any(|x| x.safe) {
                e.1 += 1;
            }
        }
    }
    let mut rows: Vec<RuleCount> = by_rule
        .into_iter()
        .map(|(rule, (count, fixable))| RuleCount { rule, count, fixable })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    rows
}

pub fn write(args: &CheckArgs, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rows = counts(report);
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
        OutputFormat::JsonLines => {
            for r in &rows {
                serde_json::to_writer(&mut *out, r)?;
                writeln!(out)?;
            }
        }
        _ => {
            let wc = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1);
            let wr = rows.iter().map(|r| r.rule.chars().count()).max().unwrap_or(4);
            for r in &rows {
                let fix = if r.fixable > 0 {
                    format!("  [*] {} fixable", r.fixable)
                } else {
                    String::new()
                };
                let line = format!("{:>wc$}  {:<wr$}{fix}", r.count, r.rule);
                writeln!(out, "{}", line.trim_end())?;
            }
        }
    }
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    Ok(())
}
