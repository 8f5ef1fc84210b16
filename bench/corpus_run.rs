//! Checks generated copy a fixed number of times and prints the speed and a digest of
//! every diagnostic: the tool for speed work on one kind or on the whole engine.
//!
//! ```text
//! cargo run --release --example corpus_run -- [--kind KIND]... [--terms N]
//!     [--size BYTES] [--files N] [--reps N] [--seed N] [--noisy] [--plain]
//! perf stat -e instructions:u target/release/examples/corpus_run --kind typography
//! ```
//!
//! - `--kind`: only the default pack's rules of this kind (repeatable; default: all).
//! - `--terms N`: add a generated N-term substitution pack and, without `--kind`, the
//!   `existence` and `pattern` rules the default profile lacks (as `all_kinds` does with 1000).
//! - `--files N`: split `--size` bytes (default 1 MB) into N articles (small-file case).
//! - `--noisy`: copy with many planted errors, NFD words and emoji (for the digest).
//!
//! Timing depends on the machine's load; instruction counts do not. Where `perf stat` has
//! no counters (virtual machines), count with callgrind, and subtract a run with
//! `--reps 0` (corpus generation, rule compilation and the digest pass only):
//!
//! ```text
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/corpus_run --kind typography --reps 2 2>&1 | grep Collected
//! ```
//!
//! The digest line must not change when a change is only about speed.

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use copydesk::pack::{load_files, Pack, SourceFile};
use copydesk::project::{build_engine, Project};
use copydesk::{Document, Engine};
use copydesk_core::testing::corpus;

struct Args {
    kinds: Vec<String>,
    terms: usize,
    size: usize,
    files: usize,
    reps: usize,
    seed: u64,
    noisy: bool,
    plain: bool,
}

const USAGE: &str = "usage: corpus_run [--kind KIND]... [--terms N] [--size BYTES] [--files N] [--reps N] \
                     [--seed N] [--noisy] [--plain]";

fn parse() -> Result<Args, String> {
    let mut args = Args {
        kinds: Vec::new(),
        terms: 0,
        size: 1_000_000,
        files: 1,
        reps: 10,
        seed: 20_240_603,
        noisy: false,
        plain: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let v = it.next().ok_or_else(|| format!("{name} needs a value"))?;
            v.parse().map_err(|_| format!("{name}: `{v}` is not a number"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Err(USAGE.to_string()),
            "--kind" => args
                .kinds
                .push(it.next().ok_or("--kind needs a value (see `copydesk rules list`)")?),
            "--terms" => args.terms = number("--terms")? as usize,
            "--size" => args.size = number("--size")? as usize,
            "--files" => args.files = (number("--files")? as usize).max(1),
            "--reps" => args.reps = number("--reps")? as usize,
            "--seed" => args.seed = number("--seed")?,
            "--noisy" => args.noisy = true,
            "--plain" => args.plain = true,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let known = copydesk::rules::kind_names();
    if let Some(k) = args.kinds.iter().find(|k| !known.contains(&k.as_str())) {
        return Err(format!("unknown kind `{k}`; known kinds: {}", known.join(", ")));
    }
    Ok(args)
}

fn engine(args: &Args) -> Result<Engine, String> {
    let project = Project::load(None, None).map_err(|e| format!("the default pack does not load: {e:?}"))?;
    let mut packs: Vec<Pack> = project.packs.iter().map(|p| Pack::clone(p)).collect();
    if !args.kinds.is_empty() {
        for p in &mut packs {
            p.rules.retain(|r| args.kinds.iter().any(|k| k == r.raw.meta.kind));
        }
    }
    if args.terms > 0 {
        let file = SourceFile::new("terms.toml", corpus::substitution_pack(args.terms));
        packs.push(load_files("bench-terms", "bench", vec![file]).map_err(|e| format!("{e:?}"))?);
    }
    if args.terms > 0 && args.kinds.is_empty() {
        let file = SourceFile::new("kinds.toml", corpus::other_kinds_pack());
        packs.push(load_files("bench-kinds", "bench", vec![file]).map_err(|e| format!("{e:?}"))?);
    }
    build_engine(&packs, project.config.profile.as_deref(), &[], None).map_err(|e| format!("{e:?}"))
}

fn texts(args: &Args) -> Vec<String> {
    let per_file = args.size / args.files;
    if args.noisy {
        let options = corpus::Options {
            error_rate: 0.5,
            nfd_rate: 0.05,
            emoji_rate: 0.2,
        };
        (0..args.files as u64)
            .map(|i| corpus::article_with(&options, args.seed.wrapping_add(i), per_file))
            .collect()
    } else if args.files == 1 {
        vec![corpus::article(args.seed, args.size)]
    } else {
        corpus::articles(args.seed, args.files, per_file)
    }
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("corpus_run: {e}");
            return ExitCode::from(2);
        }
    };
    let engine = match engine(&args) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("corpus_run: {e}");
            return ExitCode::from(2);
        }
    };
    let texts = texts(&args);
    let bytes: usize = texts.iter().map(String::len).sum();
    let document = |t: &str| {
        if args.plain {
            Document::plain(t)
        } else {
            Document::markdown(t)
        }
    };

    // One pass for the digest (FNV-1a over every diagnostic, in order), then the timed ones.
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    let mut count = 0;
    for t in &texts {
        for d in engine.check(&document(t)) {
            count += 1;
            engine.rule(d.rule).id.hash(&mut hasher);
            (&d.range, &d.message, d.severity, &d.fixes).hash(&mut hasher);
        }
    }
    let start = Instant::now();
    for _ in 0..args.reps {
        for t in &texts {
            std::hint::black_box(engine.check(&document(t)));
        }
    }
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let mb = bytes as f64 / 1e6;
    let kinds = if args.kinds.is_empty() {
        "all kinds".to_string()
    } else {
        args.kinds.join(", ")
    };
    // Output errors (a closed pipe) are not worth a panic.
    let mut out = std::io::stdout().lock();
    if args.reps > 0 {
        let _ = writeln!(
            out,
            "{kinds}{}: {} file(s), {bytes} bytes x {} reps: {:.2} ms/MB, {:.1} MB/s",
            if args.terms > 0 {
                format!(" + {} terms", args.terms)
            } else {
                String::new()
            },
            texts.len(),
            args.reps,
            secs * 1e3 / args.reps as f64 / mb,
            mb * args.reps as f64 / secs,
        );
    }
    let _ = writeln!(out, "digest: {count} diagnostics, {:016x}", hasher.0);
    ExitCode::SUCCESS
}

/// FNV-1a: a hash that is the same on every machine and every run.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}
