//! `--format rdjson`: reviewdog's diagnostic format, with fixes as suggestions.
//!
//! As the format defines, columns are one-based counts of UTF-8 bytes (not characters).
//! A fix with several edits becomes one suggestion spanning them.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{merged_edit, rule_id};
use crate::cli::report::{FileReport, Report};
use crate::diagnostic::Severity;
use crate::text::Encoding;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info | Severity::Hint => "INFO",
        Severity::Off => "UNKNOWN_SEVERITY",
    }
}

fn position(f: &FileReport, offset: usize) -> Value {
    let p = f.lines.position(offset, Encoding::Utf8);
    json!({ "line": p.line + 1, "column": p.col + 1 })
}

fn range(f: &FileReport, r: &std::ops::Range<usize>) -> Value {
    json!({ "start": position(f, r.start), "end": position(f, r.end) })
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut diagnostics = Vec::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let rule = f.engine.rule(d.rule);
            let mut code = json!({ "value": rule_id(f, d) });
            if let Some(link) = &rule.link {
                code["url"] = json!(link);
            }
            let suggestions: Vec<Value> = d
                .fixes
                .iter()
                .filter_map(|fix| merged_edit(f, fix))
                .map(|(r, text)| json!({ "range": range(f, &r), "text": text }))
                .collect();
            let mut diag = json!({
                "message": d.message,
                "location": { "path": f.display, "range": range(f, &d.range) },
                "severity": severity(d.severity()),
                "code": code,
            });
            if !suggestions.is_empty() {
                diag["suggestions"] = json!(suggestions);
            }
            diagnostics.push(diag);
        }
    }
    for e in &report.errors {
        let mut location = json!({ "path": e.path });
        if e.line > 0 {
            location["range"] = json!({ "start": { "line": e.line } });
        }
        diagnostics.push(json!({
            "message": e.message,
            "location": location,
            "severity": "ERROR",
            "code": { "value": "copydesk/error" },
        }));
    }
    let doc = json!({
        "source": { "name": "copydesk" },
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
