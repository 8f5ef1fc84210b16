//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues).
//!
//! Fingerprints hash the file path, the rule, the flagged text and its occurrence index
//! among identical (rule, text) pairs in the file, never the line, so GitLab sees an
//! issue as the same one after lines above it were added or removed. Severities: error →
//! `major`, warning → `minor`, info and hint → `info`; a file that could not be checked
//! is a `blocker`.

use std::io::{self, Write};

use serde_json::json;

use super::{rule_id, span};
use crate::cli::fingerprint::{report_fingerprints, stable_hash};
use crate::cli::report::Report;
use crate::diagnostic::Severity;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info | Severity::Hint | Severity::Off => "info",
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut issues = Vec::new();
    for f in &report.files {
        let path = f.display.replace('\\', "/");
        let fingerprints = report_fingerprints(f, &path);
        for (d, fp) in f.diagnostics.iter().zip(fingerprints) {
            let ((line, _), (end_line, _)) = span(f, &d.range);
            issues.push(json!({
                "type": "issue",
                "check_name": rule_id(f, d),
                "description": d.message,
                "categories": ["Style"],
                "severity": severity(d.severity()),
                "fingerprint": fp,
                "location": { "path": path, "lines": { "begin": line, "end": end_line } },
            }));
        }
    }
    for e in &report.errors {
        issues.push(json!({
            "type": "issue",
            "check_name": "copydesk/error",
            "description": e.message,
            "categories": ["Bug Risk"],
            "severity": "blocker",
            "fingerprint": stable_hash(&["error-v1", &e.path, &e.message]),
            "location": { "path": e.path.replace('\\', "/"), "lines": { "begin": e.line.max(1) } },
        }));
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
