//! Accuracy of the built-in `vi-news` pack on articles written for the purpose.
//!
//! - `tests/articles/planted/NAME.{md,txt}`: articles with planted errors, each listed in
//!   `NAME.expected.toml` (rule id, exact text, occurrence, fix text or `fix = false`);
//!   `NAME.fixed.{md,txt}` is the article after `--fix`.
//! - `tests/articles/clean/`: carefully edited articles full of traps (`ung thư bàng quang`,
//!   `81.500`, `13h30`, nested quotes, legal document numbers, URLs) that must stay quiet.
//!
//! The planted files are generated from `tests/articles/templates/` by
//! `python3 tests/articles/gen.py`. Run with `cargo test --test accuracy -- --nocapture`
//! to see recall and false positives.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use copydesk::config::Config;
use copydesk::document::{Document, Format};
use copydesk::engine::Engine;
use copydesk::fix::fix_to_fixpoint;
use copydesk::pack::examples::run_examples;
use copydesk::project::Project;
use copydesk::{Diagnostic, Severity};
use copydesk_core::testing::fixed_span;
use serde::Deserialize;

/// Recall below this fails the test.
const MIN_RECALL: f64 = 0.95;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[serde(default)]
    error: Vec<Planted>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Planted {
    /// Rule id without the pack (`spelling.confusions`).
    rule: String,
    /// Exact text the diagnostic covers.
    text: String,
    /// Which occurrence of `text` in the article (1-based, overlapping occurrences count).
    #[serde(default = "first")]
    occurrence: usize,
    /// The text after the diagnostic's first fix, or `false` when no safe fix is expected.
    fix: toml::Value,
    /// `false`: the fix is offered but unsafe (not applied by `--fix`).
    #[serde(default = "yes")]
    safe: bool,
}

fn first() -> usize {
    1
}
fn yes() -> bool {
    true
}

fn articles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/articles")
}

/// Article files of a folder: `.md` and `.txt`, without the `.fixed.` copies, sorted.
fn articles(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.ends_with(".md") || name.ends_with(".txt")) && !name.contains(".fixed.")
        })
        .collect();
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn engine(profile: Option<&str>) -> std::sync::Arc<Engine> {
    let extra = profile.map(|p| Config {
        profile: Some(p.to_string()),
        ..Config::default()
    });
    let project =
        Project::load(None, extra.as_ref()).unwrap_or_else(|e| panic!("the default pack does not load: {e:#?}"));
    project.engine()
}

fn check(engine: &Engine, path: &Path, text: &str) -> Vec<Diagnostic> {
    engine.check(&Document::new(text, Format::from_path(path)))
}

/// Byte offset of the `n`-th (1-based) occurrence of `needle`, overlapping ones included.
fn nth_occurrence(hay: &str, needle: &str, n: usize) -> Option<usize> {
    let mut seen = 0;
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(needle)) {
        let at = from + i;
        seen += 1;
        if seen == n {
            return Some(at);
        }
        from = at + hay[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn describe(engine: &Engine, path: &Path, text: &str, d: &Diagnostic) -> String {
    let (line, col) = line_col(text, d.range.start);
    format!(
        "{}:{line}:{col} {} [{}] {:?}: {}{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        d.severity(),
        engine.rule(d.rule).id,
        &text[d.range.clone()],
        d.message,
        fixed_span(text, d, false).map_or(String::new(), |f| format!(" → {f:?}")),
    )
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct Score {
    planted: usize,
    found: usize,
    misses: Vec<String>,
    unexpected: Vec<String>,
    clean_diagnostics: Vec<String>,
    clean_blocking: usize,
}

fn score() -> Score {
    let engine = engine(None);
    let mut s = Score {
        planted: 0,
        found: 0,
        misses: Vec::new(),
        unexpected: Vec::new(),
        clean_diagnostics: Vec::new(),
        clean_blocking: 0,
    };
    let planted_dir = articles_dir().join("planted");
    for path in articles(&planted_dir) {
        let text = read(&path);
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let expected_path = planted_dir.join(format!("{stem}.expected.toml"));
        let expected: Expected = toml::from_str(&read(&expected_path))
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", expected_path.display()));
        let diagnostics = check(&engine, &path, &text);
        let mut used = vec![false; diagnostics.len()];
        for p in &expected.error {
            s.planted += 1;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let Some(start) = nth_occurrence(&text, &p.text, p.occurrence) else {
                panic!(
                    "{name}: the planted text {:?} (occurrence {}) is not in the article",
                    p.text, p.occurrence
                );
            };
            let span = start..start + p.text.len();
            let want_fix = match &p.fix {
                toml::Value::String(f) => Some(f.as_str()),
                toml::Value::Boolean(false) => None,
                other => panic!("{name}: `fix` must be a string or false, found {other}"),
            };
            let hit = diagnostics.iter().enumerate().find(|(i, d)| {
                !used[*i]
                    && d.range == span
                    && engine.rule(d.rule).id == p.rule
                    && match want_fix {
                        Some(f) => fixed_span(&text, d, p.safe).as_deref() == Some(f),
                        None => !d.fixes.iter().any(|f| f.safe),
                    }
            });
            match hit {
                Some((i, _)) => {
                    used[i] = true;
                    s.found += 1;
                }
                None => {
                    let (line, col) = line_col(&text, start);
                    let near: Vec<String> = diagnostics
                        .iter()
                        .filter(|d| d.range.start < span.end + 20 && span.start < d.range.end + 20)
                        .map(|d| format!("\n      got {}", describe(&engine, &path, &text, d)))
                        .collect();
                    s.misses.push(format!(
                        "{name}:{line}:{col} [{}] {:?} → {}{}",
                        p.rule,
                        p.text,
                        want_fix.map_or("(no fix)".to_string(), |f| format!("{f:?}")),
                        near.concat()
                    ));
                }
            }
        }
        for (d, used) in diagnostics.iter().zip(&used) {
            if !used {
                s.unexpected.push(describe(&engine, &path, &text, d));
            }
        }
    }
    for path in articles(&articles_dir().join("clean")) {
        let text = read(&path);
        for d in check(&engine, &path, &text) {
            if d.severity() >= Severity::Warning {
                s.clean_blocking += 1;
            }
            s.clean_diagnostics.push(describe(&engine, &path, &text, &d));
        }
    }
    s
}

#[test]
fn recall_and_false_positives() {
    let s = score();
    let recall = s.found as f64 / s.planted.max(1) as f64;
    let mut report = String::new();
    let _ = writeln!(
        report,
        "vi-news accuracy: recall {}/{} = {:.1}% (planted errors found at the right span with the right fix)",
        s.found,
        s.planted,
        recall * 100.0
    );
    let _ = writeln!(
        report,
        "vi-news false positives: {} on clean articles ({} warning or error), {} unexpected on planted articles",
        s.clean_diagnostics.len(),
        s.clean_blocking,
        s.unexpected.len()
    );
    for m in &s.misses {
        let _ = writeln!(report, "  missed: {m}");
    }
    for c in &s.clean_diagnostics {
        let _ = writeln!(report, "  clean:  {c}");
    }
    for u in &s.unexpected {
        let _ = writeln!(report, "  unexpected: {u}");
    }
    println!("{report}");
    assert!(
        recall >= MIN_RECALL,
        "recall {:.1}% is below {:.0}%\n{report}",
        recall * 100.0,
        MIN_RECALL * 100.0
    );
    assert_eq!(s.clean_blocking, 0, "clean articles got warnings or errors\n{report}");
}

#[test]
fn fix_turns_planted_articles_into_their_fixed_form() {
    let engine = engine(None);
    let planted_dir = articles_dir().join("planted");
    let mut failures = String::new();
    for path in articles(&planted_dir) {
        let text = read(&path);
        let ext = path.extension().unwrap_or_default().to_string_lossy();
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let fixed_path = planted_dir.join(format!("{stem}.fixed.{ext}"));
        let want = read(&fixed_path);
        let outcome = fix_to_fixpoint(
            &engine,
            &text,
            Format::from_path(&path),
            &|t, f| Document::new(t, f),
            &|_| true,
        );
        if outcome.text != want {
            let diff = similar::TextDiff::from_lines(&want, &outcome.text);
            let _ = writeln!(
                failures,
                "{}: `--fix` output differs from {} (- expected, + got):\n{}",
                path.display(),
                fixed_path.display(),
                diff.unified_diff().context_radius(0)
            );
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn every_example_of_the_builtin_pack_passes() {
    let mut failures = String::new();
    let mut passed = 0;
    for profile in ["newsroom", "nd30"] {
        let engine = engine(Some(profile));
        let report = run_examples(&engine, &|_| true);
        passed += report.passed;
        for f in &report.failures {
            let _ = writeln!(
                failures,
                "[{profile}] {} example {} ({}:{}:{})\n  text: {:?}\n  {}",
                f.rule,
                f.index + 1,
                f.file,
                f.line,
                f.column,
                f.text,
                f.problem
            );
        }
    }
    println!("vi-news examples: {passed} passed");
    assert!(failures.is_empty(), "examples of the built-in pack fail:\n{failures}");
}

#[test]
fn clean_articles_stay_clean_under_the_nd30_profile_except_its_own_rules() {
    // The nd30 profile differs from newsroom practice on purpose (`Quận 1`, `Nhân dân`);
    // every other rule must agree with the newsroom profile on the clean articles.
    let engine = engine(Some("nd30"));
    let mut found = Vec::new();
    for path in articles(&articles_dir().join("clean")) {
        let text = read(&path);
        for d in check(&engine, &path, &text) {
            let id = &engine.rule(d.rule).id;
            if d.severity() >= Severity::Warning && !id.ends_with("-nd30") {
                found.push(describe(&engine, &path, &text, &d));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
