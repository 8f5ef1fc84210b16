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

#[allow(dead_code)]
#[path = "src/text/compounds/key.rs"]
mod compound_key;

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
    compounds();
    ngram_rows();
}

/// The n-gram tables (`data/bigrams/*.fst`, read by `src/rules/syllable/lexicon.rs`) as
/// sorted rows by first syllable id: a look-up walked four to six automaton nodes (14% of
/// a first check of an article), a binary search in a short row is a few comparisons.
/// Written from whatever tables are shipped (rebuilt by `examples/spelling_data.rs`), with
/// the length and last 8 bytes (the checksum) of the file they came from, so the engine uses
/// them only with those exact bytes. A table this cannot read gets an empty file: the
/// engine then walks the automaton (and refuses a broken table as before). Layout (all
/// little-endian): `CDNGROWS`, the file's length (u64) and last 8 bytes, the header value
/// (u64), the width of a value in bytes (u32: 1, 2, 4 or 8), then by id the value of the
/// 2-byte key (u64, `u64::MAX` when absent), the start of each id's row and the end of the
/// last (u32 each), the keys (the bytes after the first id as a big-endian u32) and the
/// values.
fn ngram_rows() {
    for (file, out) in [("bigrams.fst", "bigram_rows.bin"), ("trigrams.fst", "trigram_rows.bin")] {
        let path = format!("../../data/bigrams/{file}");
        println!("cargo:rerun-if-changed={path}");
        let rows = std::fs::read(&path).ok().and_then(|b| rows_of(&b)).unwrap_or_default();
        let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(out);
        std::fs::write(dest, rows).expect("OUT_DIR is writable");
    }
}

fn rows_of(bytes: &[u8]) -> Option<Vec<u8>> {
    use fst::Streamer as _;
    let map = fst::Map::new(bytes.to_vec()).ok()?;
    map.as_fst().verify().ok()?;
    let header = map.get([])?;
    let (n, syllables) = (header >> 32, (header & 0xFFFF_FFFF) as usize);
    if !(2..=3).contains(&n) || syllables > usize::from(u16::MAX) || bytes.len() < 8 {
        return None;
    }
    let rest = (n as usize - 1) * 2;
    let mut singles = vec![u64::MAX; syllables];
    let mut ends = vec![0u32; syllables];
    let (mut keys, mut values) = (Vec::new(), Vec::new());
    let mut stream = map.stream();
    while let Some((k, v)) = stream.next() {
        if k.is_empty() {
            continue;
        }
        let a = usize::from(u16::from_be_bytes([k[0], *k.get(1)?]));
        if a >= syllables {
            return None;
        }
        if k.len() == 2 {
            singles[a] = v;
        } else if k.len() == 2 + rest {
            ends[a] += 1;
            keys.push(k[2..].iter().fold(0u32, |x, &b| x << 8 | u32::from(b)));
            values.push(v);
        } else {
            return None;
        }
    }
    let max = values.iter().copied().max().unwrap_or(0);
    let width: usize = [1, 2, 4, 8]
        .into_iter()
        .find(|&w| w == 8 || max < 1 << (8 * w))
        .unwrap_or(8);
    let mut out = b"CDNGROWS".to_vec();
    out.extend((bytes.len() as u64).to_le_bytes());
    out.extend(&bytes[bytes.len() - 8..]);
    out.extend(header.to_le_bytes());
    out.extend((width as u32).to_le_bytes());
    for s in singles {
        out.extend(s.to_le_bytes());
    }
    let mut at = 0u32;
    for e in ends {
        out.extend(at.to_le_bytes());
        at += e;
    }
    out.extend(at.to_le_bytes());
    for k in keys {
        out.extend(k.to_le_bytes());
    }
    for v in values {
        out.extend(&v.to_le_bytes()[..width]);
    }
    Some(out)
}

/// The keyed table of the two-syllable word list (`text/compounds.rs`): keying its 22,700
/// words (NFD, lower-case, NFC each) at run time was half the instructions of a one-line
/// check. Writes `compound_table.rs`: the distinct keys, sorted, joined by `\n` (`KEYS`),
/// the end of each key in it (`ENDS`), and an open-addressing table of key numbers + 1
/// placed by `slot_hash` with linear probing (`SLOTS`, 0 = empty).
fn compounds() {
    const SOURCE: &str = "../../data/compounds/vi-two-syllable.txt";
    println!("cargo:rerun-if-changed={SOURCE}");
    println!("cargo:rerun-if-changed=src/text/compounds/key.rs");
    let text = std::fs::read_to_string(SOURCE).expect("the compound list is in the repository");
    let mut keys: Vec<String> = text.lines().filter_map(compound_key::key_of_word).collect();
    keys.sort();
    keys.dedup();
    let mut joined = String::new();
    let mut ends = Vec::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            joined.push('\n');
        }
        joined.push_str(k);
        ends.push(u32::try_from(joined.len()).expect("the list is under 4 GB"));
    }
    let len = compound_key::table_len(keys.len());
    let mut slots = vec![0u32; len];
    for (i, k) in keys.iter().enumerate() {
        let mut s = (compound_key::slot_hash(k) as usize) & (len - 1);
        while slots[s] != 0 {
            s = (s + 1) & (len - 1);
        }
        slots[s] = u32::try_from(i + 1).expect("fewer than 4 G words");
    }
    let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    let out = format!(
        "/// The distinct keys of the built-in list, sorted, joined by `\\n` (see `build.rs`).\n\
         static KEYS: &str = {joined:?};\n\
         /// The end of each key in [`KEYS`].\n\
         static ENDS: [u32; {}] = [{}];\n\
         /// Key number + 1 at the slot `slot_hash` gives, or the next free one; 0 is empty.\n\
         static SLOTS: [u32; {len}] = [{}];\n",
        ends.len(),
        list(&ends),
        list(&slots),
    );
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("compound_table.rs");
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
