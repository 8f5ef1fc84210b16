//! Engine throughput on generated Vietnamese news copy (`copydesk::testing::corpus`).
//!
//! `cargo bench` runs every group; `cargo bench -- substitution` runs one. Throughput is
//! reported in bytes of Markdown checked (parsing included, as the CLI does it).
//!
//! - `substitution/10MB`: a 1,000-term substitution pack alone, one 10 MB document.
//! - `all_kinds/10MB`: the built-in default pack plus the 1,000-term pack.
//! - `all_kinds/10000x5KB`: the same on 10,000 documents of 5 KB, on one thread and on
//!   every core (rayon, like `copydesk check`).
//! - `matcher_scaling/N`: 100, 1,000 and 10,000 substitution terms on 1 MB. The time
//!   must stay about flat: the terms are one automaton.
//! - `document/10MB`: Markdown parsing and prose extraction alone, for reference.
//!
//! Sample sizes are small (10 samples, flat sampling) so that the whole run takes a few
//! minutes on two cores; the figures are for spotting regressions, not for papers.

use std::hint::black_box;
use std::time::Duration;

use copydesk::pack::{load_files, Pack, SourceFile};
use copydesk::project::{build_engine, Project};
use copydesk::testing::corpus;
use copydesk::{Document, Engine};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use rayon::prelude::*;

const MB: usize = 1_000_000;
const SEED: u64 = 20_240_601;

fn terms_pack(n_terms: usize) -> Pack {
    load_files(
        "bench-terms",
        "bench",
        vec![SourceFile::new("terms.toml", corpus::substitution_pack(n_terms))],
    )
    .unwrap_or_else(|e| panic!("the generated pack does not load: {e:#?}"))
}

/// Only the generated substitution pack.
fn terms_engine(n_terms: usize) -> Engine {
    build_engine(&[terms_pack(n_terms)], None, &[], None)
        .unwrap_or_else(|e| panic!("the generated pack does not compile: {e:#?}"))
}

/// The default project (built-in pack, default profile) plus the 1,000-term pack.
fn full_engine() -> Engine {
    let project = Project::load(None, None).unwrap_or_else(|e| panic!("the default pack does not load: {e:#?}"));
    let mut packs = project.packs.clone();
    packs.push(terms_pack(1_000));
    build_engine(&packs, project.config.profile.as_deref(), &[], None)
        .unwrap_or_else(|e| panic!("the default pack does not compile: {e:#?}"))
}

fn check(engine: &Engine, text: &str) -> usize {
    engine.check(&Document::markdown(text)).len()
}

fn bench_one_big_document(c: &mut Criterion) {
    let big = corpus::article(SEED, 10 * MB);
    let terms = terms_engine(1_000);
    let full = full_engine();

    let mut g = c.benchmark_group("document");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500))
        .throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("10MB", |b| {
        b.iter(|| black_box(Document::markdown(big.as_str())).blocks().len())
    });
    g.finish();

    let mut g = c.benchmark_group("substitution");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_millis(500))
        .throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("10MB", |b| b.iter(|| black_box(check(&terms, &big))));
    g.finish();

    let mut g = c.benchmark_group("all_kinds");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(6))
        .warm_up_time(Duration::from_millis(500))
        .throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("10MB", |b| b.iter(|| black_box(check(&full, &big))));
    g.finish();
}

fn bench_many_documents(c: &mut Criterion) {
    let docs = corpus::articles(SEED, 10_000, 5_000);
    let bytes: usize = docs.iter().map(String::len).sum();
    let full = full_engine();

    let mut g = c.benchmark_group("all_kinds");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_millis(500))
        .throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("10000x5KB/1-thread", |b| {
        b.iter(|| black_box(docs.iter().map(|d| check(&full, d)).sum::<usize>()))
    });
    let threads = rayon::current_num_threads();
    g.bench_function(format!("10000x5KB/{threads}-threads"), |b| {
        b.iter(|| black_box(docs.par_iter().map(|d| check(&full, d)).sum::<usize>()))
    });
    g.finish();
}

fn bench_matcher_scaling(c: &mut Criterion) {
    let text = corpus::article(SEED + 1, MB);
    let mut g = c.benchmark_group("matcher_scaling");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(300))
        .throughput(Throughput::Bytes(text.len() as u64));
    for n in [100, 1_000, 10_000] {
        let engine = terms_engine(n);
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, t| {
            b.iter(|| black_box(check(&engine, t)))
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_one_big_document,
    bench_many_documents,
    bench_matcher_scaling
);
criterion_main!(benches);
