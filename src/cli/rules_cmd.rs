//! `copydesk rules list|test|schema` and `copydesk explain`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;

use super::check::Projects;
use super::{ConfigArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::pack::examples::run_examples;
use crate::project::{build_engine, load_pack_ref, Project};
use crate::rules;

/// One line of a command's output, gathered in a `String` (writing to one cannot fail).
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {
        let _ = writeln!($out, $($arg)*);
    };
}

/// Prints a command's output. A reader that stops early (`copydesk rules list | head`)
/// closes the pipe: that ends the output quietly, with no panic and no message.
fn emit(out: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush());
}

fn project(args: &ConfigArgs) -> Result<Arc<Project>, u8> {
    let projects = Projects::new(args);
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    match projects.for_path(&cwd) {
        Ok(p) => Ok(p),
        Err(errs) => {
            for e in errs {
                eprintln!("error: {e}");
            }
            Err(EXIT_ERROR)
        }
    }
}

/// A rule as a row of `rules list --json` (and of `serve`'s `GET /v1/rules`).
pub fn rule_row(r: &rules::RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "rule": r.full_id(),
        "kind": r.kind,
        "severity": r.severity,
        "message": r.message,
        "description": r.description,
        "link": r.link,
        "file": r.source.file,
    })
}

pub fn list(args: &ConfigArgs, json: bool) -> u8 {
    let project = match project(args) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let engine = project.engine();
    let mut out = String::new();
    if json {
        let rows: Vec<_> = engine.rules().iter().map(|r| rule_row(r)).collect();
        outln!(out, "{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
        emit(&out);
        return EXIT_OK;
    }
    let width = engine
        .rules()
        .iter()
        .map(|r| r.full_id().chars().count())
        .max()
        .unwrap_or(4);
    for r in engine.rules() {
        let summary = r
            .description
            .as_deref()
            .and_then(|d| d.lines().next())
            .unwrap_or(&r.message);
        outln!(
            out,
            "{:<width$}  {:<8} {:<14} {}",
            r.full_id(),
            r.severity.as_str(),
            r.kind,
            summary
        );
    }
    emit(&out);
    EXIT_OK
}

pub fn test(packs: &[String], args: &ConfigArgs) -> u8 {
    // The packs and settings to test: the project's (its config's profile and `[rules]`),
    // or exactly the packs named (a rule repository tests itself, not the built-in pack a
    // config would add), with their own severities and the chosen profile.
    let (project, mut loaded) = if packs.is_empty() {
        match project(args) {
            Ok(p) => {
                let packs = p.packs.iter().map(|pk| (**pk).clone()).collect();
                (Some(p), packs)
            }
            Err(c) => return c,
        }
    } else {
        let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
        let mut loaded = Vec::new();
        let mut errors = Vec::new();
        for name in packs {
            match load_pack_ref(name, &cwd) {
                Ok(p) => loaded.push(p),
                Err(e) => errors.extend(e),
            }
        }
        if !errors.is_empty() {
            for e in errors {
                eprintln!("error: {e}");
            }
            return EXIT_ERROR;
        }
        (None, loaded)
    };
    // A rule a pack ships off (`sentence.length`) is one a newsroom turns on: its examples
    // are tests too. An engine drops off rules, so they run here at `info`.
    let mut turned_on: Vec<String> = Vec::new();
    for pk in &mut loaded {
        for rule in &mut pk.rules {
            if rule.raw.meta.severity == crate::Severity::Off {
                rule.raw.meta.severity = crate::Severity::Info;
                turned_on.push(format!("{}/{}", pk.name, rule.raw.meta.id));
            }
        }
    }
    let built = match &project {
        Some(p) => {
            let settings: Vec<_> = p.config.rules.iter().collect();
            build_engine(
                &loaded,
                p.config.profile.as_deref(),
                &settings,
                p.config_path.as_deref(),
            )
        }
        None => build_engine(&loaded, args.profile.as_deref(), &[], None),
    };
    let engine = match built {
        Ok(e) => e,
        Err(errs) => {
            for e in errs {
                eprintln!("error: {e}");
            }
            return EXIT_ERROR;
        }
    };
    let report = run_examples(&engine, &|_| true);
    let mut out = String::new();
    for f in &report.failures {
        outln!(
            out,
            "FAIL {} example {} ({}:{}:{})",
            f.rule,
            f.index + 1,
            f.file,
            f.line,
            f.column
        );
        outln!(out, "  text: {:?}", f.text);
        outln!(out, "  {}", f.problem);
    }
    let ran = report.passed + report.failures.len();
    let off: Vec<_> = engine
        .rules()
        .iter()
        .filter(|r| turned_on.contains(&r.full_id()) && r.severity == crate::Severity::Info)
        .collect();
    let off_examples: usize = off.iter().map(|r| r.examples.len()).sum();
    let rules_word = |n: usize| if n == 1 { "rule" } else { "rules" };
    let (all, off_rules) = (engine.rules().len(), off.len());
    outln!(
        out,
        "ran {ran} examples of {all} {} ({off_examples} of them from {off_rules} {} off by default, run at info)",
        rules_word(all),
        rules_word(off_rules)
    );
    outln!(out, "{} passed, {} failed", report.passed, report.failures.len());
    emit(&out);
    if report.failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

pub fn schema(config_file: bool) -> u8 {
    let v = if config_file {
        crate::pack::schema::config_schema()
    } else {
        crate::pack::schema::rule_file_schema()
    };
    let mut out = String::new();
    outln!(out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    emit(&out);
    EXIT_OK
}

pub fn explain(name: &str, args: &ConfigArgs) -> u8 {
    let mut out = String::new();
    if let Some(k) = rules::kind(name) {
        outln!(out, "{}", k.doc.trim_end());
        emit(&out);
        return EXIT_OK;
    }
    let project = match project(args) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let engine = project.engine();
    let Some(idx) = engine.find_rule(name) else {
        eprintln!(
            "error: no rule or kind named `{name}`; `copydesk rules list` shows rules, and the kinds are: {}",
            rules::kind_names().join(", ")
        );
        return EXIT_ERROR;
    };
    out.push_str(&explain_rule(engine.rule(idx)));
    emit(&out);
    EXIT_OK
}

/// What `copydesk explain RULE` prints (also the `explain` of `GET /v1/rules/{id}`).
pub fn explain_rule(r: &rules::RuleMeta) -> String {
    let mut o = String::new();
    outln!(o, "# {}\n", r.full_id());
    outln!(o, "kind: {}   severity: {}", r.kind, r.severity);
    outln!(o, "message: {}", r.message);
    if let Some(l) = &r.link {
        outln!(o, "link: {l}");
    }
    outln!(o, "defined in: {}", r.source.file);
    if let Some(d) = &r.description {
        outln!(o, "\n{}", d.trim_end());
    }
    if !r.examples.is_empty() {
        outln!(o, "\n## Examples");
        for ex in &r.examples {
            let verdict = if ex.expect == 0 {
                "ok".to_string()
            } else {
                format!("{} finding(s)", ex.expect)
            };
            outln!(o, "- {:?} → {verdict}", ex.text);
            if let Some(f) = &ex.fixed {
                outln!(o, "  fixed: {f:?}");
            }
        }
    }
    outln!(o, "\nAbout the `{}` kind: `copydesk explain {}`", r.kind, r.kind);
    o
}
