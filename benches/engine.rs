//! Engine throughput on generated Vietnamese news copy (`copydesk_core::testing::corpus`).
//!
//! `cargo bench` runs every group; `cargo bench -- substitution` runs one. Throughput is
//! reported in bytes of Markdown checked (parsing included, as the CLI does it).
//!
//! - `substitution/10MB`: a 1,000-term substitution pack alone, one 10 MB document.
//! - `all_kinds/10MB`: the built-in default pack plus the 1,000-term pack and a few
//!   `existence` and `pattern` rules (the default profile has none): every kind.
//! - `all_kinds/10000x5KB`: the same on 10,000 documents of 5 KB, on one thread and on
//!   every core (rayon, like `copydesk check`).
//! - `matcher_scaling/N`: 100, 1,000 and 10,000 substitution terms on 1 MB. The time
//!   must stay about flat: the terms are one automaton.
//! - `document/10MB`: Markdown parsing and prose extraction alone, for reference.
//! - `compile/default_pack`, `compile/terms_1000`: loading and compiling rules, the
//!   bulk of start-up.
//! - `per_kind/KIND`: the default pack's rules of one kind alone on 1 MB, to find a slow
//!   kind (parsing included, so compare with `document`).
//!
//! Sample sizes are small (10 samples, flat sampling) so that the whole run takes a few
//! minutes on two cores; the figures are for spotting regressions, not for papers.
//! Corpora and engines are built only for the benchmarks the command line selects.

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

use copydesk::pack::{load_files, Pack, SourceFile};
use copydesk::project::{build_engine, Project};
use copydesk::{Document, Engine};
use copydesk_core::testing::corpus;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use rayon::prelude::*;

const MB: usize = 1_000_000;
const SEED: u64 = 20_240_601;

/// Whether the benchmark filter given to `cargo bench -- FILTER` selects `id` (a regex,
/// as criterion reads it; `--exact` for equality). Spares building unused corpora.
fn selected(id: &str) -> bool {
    const WITH_VALUE: &[&str] = &[
        "--profile-time",
        "--save-baseline",
        "--baseline",
        "--baseline-lenient",
        "--load-baseline",
        "--sample-size",
        "--warm-up-time",
        "--measurement-time",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--color",
        "--output-format",
        "--plotting-backend",
        "--format",
        "--logfile",
        "-c",
        "-s",
        "-b",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let exact = args.iter().any(|a| a == "--exact");
    let mut filter = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if WITH_VALUE.contains(&a.as_str()) {
            i += 2;
            continue;
        }
        if !a.starts_with('-') {
            filter = Some(a.clone());
            break;
        }
        i += 1;
    }
    match filter {
        None => true,
        Some(f) if exact => f == id,
        Some(f) => regex::Regex::new(&f).map_or(true, |r| r.is_match(id)),
    }
}

fn terms_pack(n_terms: usize) -> Pack {
    load_files(
        "bench-terms",
        "bench",
        vec![SourceFile::new("terms.toml", corpus::substitution_pack(n_terms))],
    )
    .unwrap_or_else(|e| panic!("the generated pack does not load: {e:#?}"))
}

/// The `existence` and `pattern` rules that the default profile does not use.
fn other_kinds_pack() -> Pack {
    load_files(
        "bench-kinds",
        "bench",
        vec![SourceFile::new("kinds.toml", corpus::other_kinds_pack())],
    )
    .unwrap_or_else(|e| panic!("the generated pack does not load: {e:#?}"))
}

/// Only the generated substitution pack.
fn terms_engine(n_terms: usize) -> Engine {
    build_engine(&[terms_pack(n_terms)], None, &[], None)
        .unwrap_or_else(|e| panic!("the generated pack does not compile: {e:#?}"))
}

fn default_project() -> &'static Project {
    static P: OnceLock<Project> = OnceLock::new();
    P.get_or_init(|| Project::load(None, None).unwrap_or_else(|e| panic!("the default pack does not load: {e:#?}")))
}

/// The default project (built-in pack, default profile) plus the 1,000-term pack and the
/// two kinds the default profile lacks: every kind.
fn full_engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let project = default_project();
        let mut packs: Vec<Pack> = project.packs.iter().map(|p| Pack::clone(p)).collect();
        packs.push(terms_pack(1_000));
        packs.push(other_kinds_pack());
        build_engine(&packs, project.config.profile.as_deref(), &[], None)
            .unwrap_or_else(|e| panic!("the default pack does not compile: {e:#?}"))
    })
}

fn big_document() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| corpus::article(SEED, 10 * MB))
}

fn check(engine: &Engine, text: &str) -> usize {
    engine.check(&Document::markdown(text)).len()
}

fn configure(g: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, secs: f64, bytes: usize) {
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs_f64(secs))
        .warm_up_time(Duration::from_millis(300))
        .throughput(Throughput::Bytes(bytes as u64));
}

fn bench_one_big_document(c: &mut Criterion) {
    if selected("document/10MB") {
        let big = big_document();
        let mut g = c.benchmark_group("document");
        configure(&mut g, 3.0, big.len());
        g.bench_function("10MB", |b| b.iter(|| black_box(Document::markdown(big)).blocks().len()));
        g.finish();
    }
    if selected("substitution/10MB") {
        let big = big_document();
        let terms = terms_engine(1_000);
        let mut g = c.benchmark_group("substitution");
        configure(&mut g, 4.0, big.len());
        g.bench_function("10MB", |b| b.iter(|| black_box(check(&terms, big))));
        g.finish();
    }
    if selected("all_kinds/10MB") {
        let big = big_document();
        let full = full_engine();
        let mut g = c.benchmark_group("all_kinds");
        configure(&mut g, 6.0, big.len());
        g.bench_function("10MB", |b| b.iter(|| black_box(check(full, big))));
        g.finish();
    }
}

fn bench_many_documents(c: &mut Criterion) {
    let threads = rayon::current_num_threads();
    let one = "10000x5KB/1-thread".to_string();
    let all = format!("10000x5KB/{threads}-threads");
    let (run_one, run_all) = (
        selected(&format!("all_kinds/{one}")),
        selected(&format!("all_kinds/{all}")),
    );
    if !run_one && !run_all {
        return;
    }
    let docs = corpus::articles(SEED, 10_000, 5_000);
    let bytes: usize = docs.iter().map(String::len).sum();
    let full = full_engine();
    let mut g = c.benchmark_group("all_kinds");
    configure(&mut g, 10.0, bytes);
    if run_one {
        g.bench_function(one, |b| {
            b.iter(|| black_box(docs.iter().map(|d| check(full, d)).sum::<usize>()))
        });
    }
    if run_all {
        g.bench_function(all, |b| {
            b.iter(|| black_box(docs.par_iter().map(|d| check(full, d)).sum::<usize>()))
        });
    }
    g.finish();
}

fn bench_matcher_scaling(c: &mut Criterion) {
    let sizes: Vec<usize> = [100, 1_000, 10_000]
        .into_iter()
        .filter(|n| selected(&format!("matcher_scaling/{n}")))
        .collect();
    if sizes.is_empty() {
        return;
    }
    let text = corpus::article(SEED + 1, MB);
    let mut g = c.benchmark_group("matcher_scaling");
    configure(&mut g, 2.0, text.len());
    for n in sizes {
        let engine = terms_engine(n);
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, t| {
            b.iter(|| black_box(check(&engine, t)))
        });
    }
    g.finish();
}

/// Each kind of the default pack on its own (its rules only), to find the slow one.
fn bench_per_kind(c: &mut Criterion) {
    let kinds: Vec<&'static str> = copydesk::rules::kind_names()
        .into_iter()
        .filter(|k| selected(&format!("per_kind/{k}")))
        .collect();
    if kinds.is_empty() {
        return;
    }
    let project = default_project();
    let text = corpus::article(SEED + 2, MB);
    let mut g = c.benchmark_group("per_kind");
    configure(&mut g, 1.0, text.len());
    for kind in kinds {
        let packs: Vec<Pack> = project
            .packs
            .iter()
            .map(|p| {
                let mut p = Pack::clone(p);
                p.rules.retain(|r| r.raw.meta.kind == kind);
                p
            })
            .collect();
        if packs.iter().all(|p| p.rules.is_empty()) {
            continue;
        }
        let Ok(engine) = build_engine(&packs, project.config.profile.as_deref(), &[], None) else {
            continue;
        };
        g.bench_with_input(BenchmarkId::from_parameter(kind), &text, |b, t| {
            b.iter(|| black_box(check(&engine, t)))
        });
    }
    g.finish();
}

/// Start-up work: loading and compiling the default pack, and the 1,000-term pack.
fn bench_compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("compile");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(300));
    if selected("compile/default_pack") {
        g.bench_function("default_pack", |b| {
            b.iter(|| black_box(Project::load(None, None).map(|p| p.engine().rules().len()).unwrap_or(0)))
        });
    }
    if selected("compile/terms_1000") {
        let text = corpus::substitution_pack(1_000);
        g.bench_function("terms_1000", |b| {
            b.iter(|| {
                let pack = load_files(
                    "bench-terms",
                    "bench",
                    vec![SourceFile::new("terms.toml", text.as_str())],
                );
                black_box(
                    pack.ok()
                        .and_then(|p| build_engine(&[p], None, &[], None).ok())
                        .map(|e| e.rules().len()),
                )
            })
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_compile,
    bench_one_big_document,
    bench_many_documents,
    bench_matcher_scaling,
    bench_per_kind
);
criterion_main!(benches);
