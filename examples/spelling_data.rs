//! Builds the spelling data of the `syllable` kind from a corpus of Vietnamese news:
//! `data/syllables/attested.tsv` (every valid syllable seen at least twice, with its
//! count), `data/bigrams/bigrams.fst` (syllable pairs seen at least twice) and
//! `data/bigrams/trigrams.fst` (runs of three syllables seen at least once), with their
//! counts, as `fst` maps keyed by syllable ids (format in `data/bigrams/SOURCE.md`).
//!
//! ```text
//! cargo run --release --example spelling_data -- CORPUS_DIR [OUT_DIR]
//! ```
//! CORPUS_DIR holds `*.txt` articles (three `#` metadata lines, then one paragraph a
//! line). Only the training half is read: files at even positions in name order. The odd
//! half is what `bench/spelling/` measures on, so the figures are on text the tables
//! never saw.
//!
//! The tables derived from those (rebuild the binary first, then run):
//! ```text
//! cargo run --release --example spelling_data -- --derived [OUT_DIR] [UNIHAN_READINGS]
//! ```
//! writes `syllables/variants.tsv` (the attested one-slip variants of every attested
//! syllable, from the attested list compiled into the binary) and, when the path of
//! `Unihan_Readings.txt` (Unicode's Unihan database, uncompressed) is given,
//! `syllables/unihan.txt`: every valid syllable of its `kVietnamese` readings. With
//! `--pyvi WORDS_TXT` (pyvi 0.1.1's `pyvi/models/words.txt`) it first writes
//! `syllables/pyvi.txt`: the valid syllables of that word list, and
//! `syllables/pyvi-alone.txt`: those that are an entry of their own.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use copydesk::rules::syllable::lexicon::{build_pairs, build_triples, Id};
use copydesk::text::case::{case_shape, CaseShape};
use copydesk::text::vietnamese::{has_vietnamese_only_mark, syllable_key};
use copydesk::text::words::words;

const MIN_SYLLABLE: u32 = 2;
const MIN_BIGRAM: u32 = 2;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("--derived") {
        args.next();
        let out = PathBuf::from(args.next().unwrap_or_else(|| "data".to_string()));
        let mut unihan = None;
        let mut pyvi = None;
        while let Some(a) = args.next() {
            if a == "--pyvi" {
                pyvi =
                    Some(PathBuf::from(args.next().ok_or_else(|| {
                        anyhow::anyhow!("--pyvi needs the path of pyvi's words.txt")
                    })?));
            } else {
                unihan = Some(PathBuf::from(a));
            }
        }
        if let Some(p) = pyvi {
            pyvi_syllables(&out, &p)?;
        }
        return derived(&out, unihan);
    }
    let all = args.peek().map(String::as_str) == Some("--all");
    if all {
        args.next();
    }
    let corpus = PathBuf::from(
        args.next()
            .ok_or_else(|| anyhow::anyhow!("usage: spelling_data [--all] CORPUS_DIR [OUT_DIR]"))?,
    );
    let out = PathBuf::from(args.next().unwrap_or_else(|| "data".to_string()));
    let files = training_files(&corpus, all)?;
    let mut unigrams: HashMap<String, u32> = HashMap::new();
    let mut bigrams: HashMap<String, u32> = HashMap::new();
    let mut trigrams: HashMap<(String, String, String), u32> = HashMap::new();
    let mut names: HashMap<String, u32> = HashMap::new();
    let mut words_seen = 0u64;
    for f in &files {
        let text = std::fs::read_to_string(f)?;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut prev: Option<(usize, String)> = None;
            // The syllable before `prev`, when the two were separated by one space.
            let mut prev2: Option<String> = None;
            for w in words(line) {
                words_seen += 1;
                let word = &line[w.clone()];
                let key = syllable_key(word);
                if key.is_none()
                    && has_vietnamese_only_mark(word)
                    && matches!(case_shape(word), CaseShape::Capitalized | CaseShape::Upper)
                {
                    *names.entry(word.to_lowercase()).or_default() += 1;
                }
                let mut next2 = None;
                if let Some(k) = &key {
                    *unigrams.entry(k.clone()).or_default() += 1;
                    if let Some((end, p)) = &prev {
                        if &line[*end..w.start] == " " {
                            *bigrams.entry(format!("{p} {k}")).or_default() += 1;
                            if let Some(p2) = &prev2 {
                                *trigrams.entry((p2.clone(), p.clone(), k.clone())).or_default() += 1;
                            }
                            next2 = Some(p.clone());
                        }
                    }
                }
                prev2 = next2;
                prev = key.map(|k| (w.end, k));
            }
        }
    }
    let attested: BTreeMap<&String, &u32> = unigrams.iter().filter(|(_, &c)| c >= MIN_SYLLABLE).collect();
    let mut tsv = String::from("# syllable\tcount (see SOURCE.md)\n");
    for (k, c) in &attested {
        tsv.push_str(&format!("{k}\t{c}\n"));
    }
    std::fs::write(out.join("syllables/attested.tsv"), tsv)?;
    let names: BTreeMap<&String, &u32> = names.iter().filter(|(_, &c)| c >= MIN_SYLLABLE).collect();
    let mut list =
        String::from("# names that are not standard syllables, seen capitalized at least twice (see SOURCE.md)\n");
    for k in names.keys() {
        list.push_str(k);
        list.push('\n');
    }
    std::fs::write(out.join("syllables/names.txt"), list)?;
    // Ids are positions in the sorted attested list, as the lexicon numbers them.
    let ids: HashMap<&str, u32> = attested
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i as u32))
        .collect();
    anyhow::ensure!(
        ids.len() <= usize::from(Id::MAX),
        "{} syllables: ids need more than 16 bits",
        ids.len()
    );
    let id = |k: &str| ids.get(k).map(|&i| i as Id);
    let mut pairs: Vec<(Id, Id, u32)> = bigrams
        .iter()
        .filter(|(_, &c)| c >= MIN_BIGRAM)
        .filter_map(|(k, &c)| {
            let (a, b) = k.split_once(' ')?;
            Some((id(a)?, id(b)?, c))
        })
        .collect();
    pairs.sort_unstable();
    let mut triples: Vec<(Id, Id, Id, u32)> = trigrams
        .iter()
        .filter_map(|((a, b, c), &n)| Some((id(a)?, id(b)?, id(c)?, n)))
        .collect();
    triples.sort_unstable();
    let bi_bytes = build_pairs(ids.len(), &pairs, &triples).map_err(anyhow::Error::msg)?;
    let tri_bytes = build_triples(ids.len(), &triples).map_err(anyhow::Error::msg)?;
    std::fs::write(out.join("bigrams/bigrams.fst"), &bi_bytes)?;
    std::fs::write(out.join("bigrams/trigrams.fst"), &tri_bytes)?;
    eprintln!(
        "{} training files, {words_seen} words: {} syllables kept of {}, {} names, {} bigrams kept of {} ({} bytes), {} trigrams ({} bytes)",
        files.len(),
        attested.len(),
        unigrams.len(),
        names.len(),
        pairs.len(),
        bigrams.len(),
        bi_bytes.len(),
        triples.len(),
        tri_bytes.len()
    );
    Ok(())
}

/// Writes the variants table and, from Unihan, the list of known syllables.
fn derived(out: &Path, unihan: Option<PathBuf>) -> anyhow::Result<()> {
    let lex = copydesk::rules::syllable::lexicon::lexicon();
    let mut keys: Vec<&str> = lex.keys().collect();
    keys.sort_unstable();
    let mut tsv = String::from("# syllable<TAB>its attested one-slip variants (see SOURCE.md)\n");
    for k in &keys {
        let vs = copydesk::rules::syllable::compute_variants(k);
        tsv.push_str(&format!("{k}\t{}\n", vs.join(" ")));
    }
    std::fs::write(out.join("syllables/variants.tsv"), tsv)?;
    eprintln!("{} variant lists", keys.len());
    if let Some(path) = unihan {
        let text = std::fs::read_to_string(path)?;
        let mut known: Vec<String> = text
            .lines()
            .filter_map(|l| l.split_once("\tkVietnamese\t").map(|(_, r)| r))
            .flat_map(str::split_whitespace)
            .filter_map(syllable_key)
            .collect();
        known.sort();
        known.dedup();
        let mut list = String::from(
            "# valid syllables of the kVietnamese readings of Unicode 15.0 Unihan_Readings.txt, modified: re-keyed, filtered, deduplicated (see SOURCE.md)\n",
        );
        for k in &known {
            list.push_str(k);
            list.push('\n');
        }
        std::fs::write(out.join("syllables/unihan.txt"), list)?;
        eprintln!("{} known syllables from Unihan", known.len());
    }
    Ok(())
}

/// Writes `syllables/pyvi.txt`: the syllables of the words of pyvi's `words.txt` (one
/// word a line, syllables separated by spaces), keyed. A syllable is kept when it passes
/// the validator and appears in at least one entry written all in lower case with
/// letters only: entries with a capital are names, abbreviations and chemical symbols
/// (`Ag`, `BHXH`, `Marx`), and hyphenated ones are transliterations (`hô-li-gân`,
/// `toa-lét`). What is dropped is listed on standard error for reading.
fn pyvi_syllables(out: &Path, words_txt: &Path) -> anyhow::Result<()> {
    use unicode_normalization::UnicodeNormalization;
    let text = std::fs::read_to_string(words_txt)?;
    let mut kept: std::collections::BTreeSet<String> = Default::default();
    // Syllables that are an entry of their own (`thừng`), not only part of longer words.
    let mut alone: std::collections::BTreeSet<String> = Default::default();
    let mut dropped: BTreeMap<String, &str> = BTreeMap::new();
    let mut entries = 0;
    for line in text.lines() {
        let entry: String = line.trim().nfc().collect();
        if entry.is_empty() {
            continue;
        }
        entries += 1;
        let plain = entry
            .split(' ')
            .all(|p| !p.is_empty() && p.chars().all(char::is_lowercase));
        for part in entry.split(' ') {
            match syllable_key(part) {
                Some(k) if plain => {
                    if !entry.contains(' ') {
                        alone.insert(k.clone());
                    }
                    kept.insert(k);
                }
                Some(_) => {
                    dropped
                        .entry(part.to_string())
                        .or_insert("in an entry with a capital, digit or hyphen");
                }
                None => {
                    dropped.entry(part.to_string()).or_insert("not a valid syllable");
                }
            }
        }
    }
    for (part, why) in &dropped {
        if !syllable_key(part).is_some_and(|k| kept.contains(&k)) {
            eprintln!("dropped\t{part}\t{why}");
        }
    }
    let mut list = String::from(
        "# valid syllables of the lower-case words of pyvi 0.1.1 pyvi/models/words.txt (MIT), re-keyed, deduplicated (see SOURCE.md)\n",
    );
    for k in &kept {
        list.push_str(k);
        list.push('\n');
    }
    std::fs::write(out.join("syllables/pyvi.txt"), list)?;
    let mut list = String::from(
        "# syllables that are words on their own (entries of one syllable) in pyvi 0.1.1 pyvi/models/words.txt (MIT), re-keyed (see SOURCE.md)\n",
    );
    for k in &alone {
        list.push_str(k);
        list.push('\n');
    }
    std::fs::write(out.join("syllables/pyvi-alone.txt"), list)?;
    eprintln!(
        "{entries} pyvi entries: {} syllables kept, {} words of one syllable",
        kept.len(),
        alone.len()
    );
    Ok(())
}

/// The files at even positions of the sorted `*.txt` list, or all of them (`--all`).
fn training_files(dir: &Path, all_files: bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    all.sort();
    if all.is_empty() {
        anyhow::bail!("{}: no .txt articles", dir.display());
    }
    Ok(all.into_iter().step_by(if all_files { 1 } else { 2 }).collect())
}
