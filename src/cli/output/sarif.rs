//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! One run. `tool.driver.rules` lists every rule in use, sorted by `pack/id`, with its
//! descriptions, help link and default level; each result points at its rule by
//! `ruleId` and `ruleIndex`. Columns count Unicode code points (`columnKind:
//! "unicodeCodePoints"`, set on the run), the same characters the other formats count;
//! end columns are exclusive, as SARIF defines. Fixes carry their edits as
//! `deletedRegion` + `insertedContent`; whether a fix is safe is in its property bag.
//! Files that could not be checked are tool execution notifications.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::{rule_id, rules_in_use};
use crate::cli::fingerprint::report_fingerprints;
use crate::cli::report::{FileReport, Report, RunError};
use crate::diagnostic::Severity;
use crate::rules::RuleMeta;

/// Where the SARIF 2.1.0 schema is published.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
        Severity::Off => "none",
    }
}

/// A path as a URI reference: `/` separators, and every byte outside the unreserved set
/// percent-encoded (so `:` cannot be read as a scheme, nor `#` or `?` as parts of a URI).
/// Absolute paths become `file://` URIs.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut s = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    if path.starts_with('/') {
        format!("file://{s}")
    } else if std::path::Path::new(&path).is_absolute() {
        format!("file:///{s}")
    } else {
        s
    }
}

fn artifact(path: &str) -> Value {
    let u = uri(path);
    if u.starts_with("file:") {
        json!({ "uri": u })
    } else {
        json!({ "uri": u, "uriBaseId": "%SRCROOT%" })
    }
}

fn region(f: &FileReport, r: &std::ops::Range<usize>) -> Value {
    let (line, col) = f.lines.human(r.start);
    let (end_line, end_col) = f.lines.human(r.end);
    json!({ "startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col })
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim()
}

pub fn sarif(report: &Report) -> Value {
    assemble(results(report), &rules_in_use(report), &report.errors)
}

/// The document from its results, the rules in use and the files that could not be
/// checked. Each result gets the index of its rule here, once every rule is known.
pub fn assemble(mut results: Vec<Value>, rules: &BTreeMap<String, &RuleMeta>, errors: &[RunError]) -> Value {
    let index_of = |id: &str| rules.keys().position(|k| k == id);
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|(id, r)| {
            let full = r.description.as_deref().unwrap_or(&r.message).trim();
            let mut d = json!({
                "id": id,
                "shortDescription": { "text": first_line(full) },
                "fullDescription": { "text": full },
                "help": { "text": format!("{full}\n\nRun `copydesk explain {id}` for details.") },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "kind": r.kind },
            });
            if let Some(link) = &r.link {
                d["helpUri"] = json!(link);
            }
            d
        })
        .collect();
    for result in &mut results {
        if let Some(i) = result["ruleId"].as_str().and_then(index_of) {
            result["ruleIndex"] = json!(i);
        }
    }
    let notifications: Vec<Value> = errors
        .iter()
        .map(|e| {
            let mut phys = json!({ "artifactLocation": artifact(&e.path) });
            if e.line > 0 {
                phys["region"] = json!({ "startLine": e.line, "startColumn": e.column.max(1) });
            }
            json!({
                "level": "error",
                "message": { "text": e.message },
                "locations": [{ "physicalLocation": phys }],
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "copydesk",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            } },
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}

/// The results of `report`'s files (without their rule index).
pub fn results(report: &Report) -> Vec<Value> {
    let mut results = Vec::new();
    for f in &report.files {
        let location = artifact(&f.display);
        let fingerprints = report_fingerprints(f, &f.display.replace('\\', "/"));
        for (d, fp) in f.diagnostics.iter().zip(fingerprints) {
            let id = rule_id(f, d);
            let mut reg = region(f, &d.range);
            reg["snippet"] = json!({ "text": f.text.get(d.range.clone()).unwrap_or_default() });
            let mut loc = json!({ "physicalLocation": { "artifactLocation": location, "region": reg } });
            // In a Word document, the run: part, paragraph, run (1-based), character (0-based).
            if let Some(p) = f.docx.as_ref().and_then(|m| m.locate(&f.text, d.range.start, false)) {
                loc["logicalLocations"] = json!([{
                    "fullyQualifiedName": format!("{}/p[{}]/r[{}]/c[{}]", p.part, p.paragraph, p.run, p.char),
                    "kind": "element",
                }]);
            }
            let mut result = json!({
                "ruleId": id,
                "level": level(d.severity()),
                "message": { "text": d.message },
                "locations": [loc],
                "partialFingerprints": { "copydesk/v1": fp },
            });
            if let Some(why) = &d.not_fixed {
                result["properties"] = json!({ "notFixed": why });
            }
            let fixes: Vec<Value> = d
                .fixes
                .iter()
                .filter(|fix| !fix.edits.is_empty())
                .map(|fix| {
                    let replacements: Vec<Value> = fix
                        .edits
                        .iter()
                        .map(|e| json!({ "deletedRegion": region(f, &e.range), "insertedContent": { "text": e.replacement } }))
                        .collect();
                    json!({
                        "description": { "text": fix.title },
                        "artifactChanges": [{ "artifactLocation": location, "replacements": replacements }],
                        "properties": { "safe": fix.safe },
                    })
                })
                .collect();
            if !fixes.is_empty() {
                result["fixes"] = json!(fixes);
            }
            results.push(result);
        }
    }
    results
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &sarif(report))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_what_a_uri_reference_cannot_hold() {
        assert_eq!(uri("tin/a,b:c.md"), "tin/a%2Cb%3Ac.md");
        assert_eq!(uri("Hòa bình.md"), "H%C3%B2a%20b%C3%ACnh.md");
        assert_eq!(uri("/srv/x#1.md"), "file:///srv/x%231.md");
    }
}
