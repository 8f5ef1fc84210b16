//! Writes a generated corpus for `bench/cli.sh`: many small articles, one big one, an
//! empty file and a substitution pack, all from `copydesk_core::testing::corpus` (fixed seed).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out bench/out \
//!     [--files 10000] [--file-size 5000] [--big-size 10000000] [--terms 1000] [--seed 20240601]
//! ```
//!
//! Layout: `OUT/small/NNNNN.md`, `OUT/big/big.md`, `OUT/empty/empty.md`,
//! `OUT/terms/terms.toml` (a pack folder: `--pack OUT/terms`), `OUT/kinds/kinds.toml` (the
//! `existence` and `pattern` rules that the default profile lacks: `--pack OUT/kinds`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use copydesk_core::testing::corpus;

struct Args {
    out: PathBuf,
    files: usize,
    file_size: usize,
    big_size: usize,
    terms: usize,
    seed: u64,
}

const USAGE: &str =
    "usage: gen_corpus --out DIR [--files N] [--file-size BYTES] [--big-size BYTES] [--terms N] [--seed N]";

fn parse() -> Result<Args, String> {
    let mut args = Args {
        out: PathBuf::new(),
        files: 10_000,
        file_size: 5_000,
        big_size: 10_000_000,
        terms: 1_000,
        seed: 20_240_601,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.into());
        }
        let value = it.next().ok_or_else(|| format!("`{flag}` needs a value\n{USAGE}"))?;
        let number = || {
            value
                .replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("`{flag}` needs a number, not `{value}`"))
        };
        match flag.as_str() {
            "--out" => args.out = PathBuf::from(&value),
            "--files" => args.files = number()? as usize,
            "--file-size" => args.file_size = number()? as usize,
            "--big-size" => args.big_size = number()? as usize,
            "--terms" => args.terms = number()? as usize,
            "--seed" => args.seed = number()?,
            _ => return Err(format!("unknown option `{flag}`\n{USAGE}")),
        }
    }
    if args.out.as_os_str().is_empty() {
        return Err(format!("`--out` is required\n{USAGE}"));
    }
    Ok(args)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn run(args: &Args) -> Result<(), String> {
    let small = args.out.join("small");
    // Start from an empty folder so that a smaller `--files` leaves no stale files.
    if small.exists() {
        std::fs::remove_dir_all(&small).map_err(|e| format!("cannot clear {}: {e}", small.display()))?;
    }
    std::fs::create_dir_all(&small).map_err(|e| format!("cannot create {}: {e}", small.display()))?;
    let mut small_bytes = 0;
    for (i, text) in corpus::articles(args.seed, args.files, args.file_size)
        .iter()
        .enumerate()
    {
        small_bytes += text.len();
        write(&small.join(format!("{i:05}.md")), text)?;
    }
    let big = corpus::article(args.seed, args.big_size);
    write(&args.out.join("big/big.md"), &big)?;
    write(&args.out.join("empty/empty.md"), "")?;
    write(
        &args.out.join("terms/terms.toml"),
        &corpus::substitution_pack(args.terms),
    )?;
    write(&args.out.join("kinds/kinds.toml"), &corpus::other_kinds_pack())?;
    println!(
        "{}: {} files ({small_bytes} bytes) in small/, big/big.md ({} bytes), empty/empty.md, terms/terms.toml ({} terms), kinds/kinds.toml",
        args.out.display(),
        args.files,
        big.len(),
        args.terms
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::from(2)
        }
    }
}
