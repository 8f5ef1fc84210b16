// The built-in packs under the repository's `rules/` are embedded with include_dir, which
// does not tell cargo about them: rebuild whenever a rule file changes.
//
// The case-sensitive regexes of those packs are analysed here, once, with the code the
// engine uses at load (`src/rules/matcher/analysis.rs`): parsing them took most of the
// start-up of `copydesk check` (the places patterns spell out word classes 80 times each).
// The engine looks a regex up by its exact text and parses only the ones not found (a
// newsroom's own, or a pattern given in a TOML basic string), so a missing or stale entry
// costs time, never a different result.

use std::fmt::Write as _;
use std::path::Path;

#[allow(dead_code)]
#[path = "src/rules/matcher/analysis.rs"]
mod analysis;

fn main() {
    println!("cargo:rerun-if-changed=../../rules");
    println!("cargo:rerun-if-changed=src/rules/matcher/analysis.rs");
    let mut patterns = Vec::new();
    collect(Path::new("../../rules"), &mut patterns);
    patterns.sort();
    patterns.dedup();
    let mut out = String::from(
        "/// `(pattern, size estimate, gate literals)` of each case-sensitive regex written as a\n\
         /// TOML literal string in the built-in packs, sorted by pattern (see `build.rs`).\n\
         pub(super) static BUILTIN_ANALYSES: &[(&str, usize, Option<&[&str]>)] = &[\n",
    );
    for p in &patterns {
        // A broken pattern is left to the engine, which reports it.
        let Ok(hir) = analysis::parse(p, false) else { continue };
        let estimate = analysis::size_estimate(&hir);
        let gates = analysis::gate_literals(&hir, false, &|s: &str| s.to_string());
        let gates = match gates {
            Some(g) => {
                let list: Vec<String> = g.iter().map(|(s, _)| format!("{s:?}")).collect();
                format!("Some(&[{}])", list.join(", "))
            }
            None => "None".to_string(),
        };
        let _ = writeln!(out, "    ({p:?}, {estimate}, {gates}),");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_regexes.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// Every `pattern = '…'` (a TOML literal string on one line) of the `.toml` files under `dir`.
fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for line in text.lines() {
                let mut rest = line;
                while let Some(i) = rest.find("pattern = '") {
                    rest = &rest[i + "pattern = '".len()..];
                    let Some(end) = rest.find('\'') else { break };
                    out.push(rest[..end].to_string());
                    rest = &rest[end + 1..];
                }
            }
        }
    }
}
