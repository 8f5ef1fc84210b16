//! The lookup key of a two-syllable word, and the hash of the compiled table.
//!
//! `build.rs` includes this file to key the built-in list at compile time, so the table in
//! the binary and the lookups at run time use one definition; it depends on
//! `unicode-normalization` alone.

use unicode_normalization::UnicodeNormalization;

/// The five tone marks as combining characters, and the digit each key uses for it.
fn tone_digit(c: char) -> Option<char> {
    match c {
        '\u{300}' => Some('2'),
        '\u{301}' => Some('3'),
        '\u{309}' => Some('4'),
        '\u{303}' => Some('5'),
        '\u{323}' => Some('6'),
        _ => None,
    }
}

/// Appends the key of one syllable to `out`: its letters lower-cased and in NFC without
/// the tone mark, then the tone's digit (none for the level tone).
fn push_syllable_key(syllable: &str, out: &mut String) {
    if !push_precomposed_key(syllable, out) {
        push_syllable_key_by_normalizing(syllable, out);
    }
}

/// The first and last code point of the blocks whose letters [`precomposed`] keys: Latin-1
/// Supplement to Latin Extended-B, and Latin Extended Additional (`ạ` to `ỹ`).
const PRECOMPOSED: [(u32, u32); 2] = [(0xC0, 0x24F), (0x1E00, 0x1EFF)];

/// [`push_syllable_key`] one character at a time, for a syllable of ASCII and precomposed
/// letters (NFC text: nearly every call): each letter's key is looked up instead of
/// decomposing and recomposing the syllable, which cost most of a first check's
/// instructions when the spelling kind asked the word list for thousands of pairs. The
/// same key: each such letter decomposes to a starter and its marks, so the syllable's NFD
/// is its letters' NFD laid end to end, and no two of these starters compose. Returns
/// false, with `out` as it was, for any other character (combining marks, other scripts);
/// the caller then normalizes. A test compares both ways on every letter and pair.
fn push_precomposed_key(syllable: &str, out: &mut String) -> bool {
    let start = out.len();
    let mut tone = None;
    for c in syllable.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match precomposed(c) {
            Some((base, t)) => {
                out.push(base);
                if t.is_some() {
                    tone = t;
                }
            }
            None => {
                out.truncate(start);
                return false;
            }
        }
    }
    if let Some(d) = tone {
        out.push(d);
    }
    true
}

/// A letter's key and its tone's digit ([`precomposed`]).
type LetterKey = Option<(char, Option<char>)>;

/// The key of one precomposed letter: its lower-case NFC letter without the tone mark, and
/// the tone's digit; `None` outside [`PRECOMPOSED`] or where the key is not one letter
/// (`İ` lower-cases to two). Computed once by normalizing each letter.
fn precomposed(c: char) -> LetterKey {
    static TABLE: std::sync::OnceLock<Vec<LetterKey>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        PRECOMPOSED
            .iter()
            .flat_map(|&(lo, hi)| lo..=hi)
            .map(|u| {
                let c = char::from_u32(u)?;
                let first = c.nfd().next()?;
                if unicode_normalization::char::canonical_combining_class(first) != 0 {
                    return None;
                }
                let mut key = String::new();
                push_syllable_key_by_normalizing(c.encode_utf8(&mut [0; 4]), &mut key);
                let mut chars = key.chars();
                let base = chars.next()?;
                let tone = chars.next();
                match (tone, chars.next()) {
                    (None, None) => Some((base, None)),
                    (Some(d @ '2'..='6'), None) if c.nfd().any(|m| tone_digit(m) == Some(d)) => Some((base, Some(d))),
                    _ => None,
                }
            })
            .collect()
    });
    let u = u32::from(c);
    let mut at = 0;
    for &(lo, hi) in &PRECOMPOSED {
        if (lo..=hi).contains(&u) {
            return table[at + (u - lo) as usize];
        }
        at += (hi - lo + 1) as usize;
    }
    None
}

/// [`push_syllable_key`] by decomposing the syllable and recomposing its letters.
fn push_syllable_key_by_normalizing(syllable: &str, out: &mut String) {
    let mut tone = None;
    let mut base = String::with_capacity(syllable.len());
    for c in syllable.nfd() {
        match tone_digit(c) {
            Some(d) => tone = Some(d),
            None => base.extend(c.to_lowercase()),
        }
    }
    out.extend(base.nfc());
    if let Some(d) = tone {
        out.push(d);
    }
}

/// The key of one syllable: the part of [`key`] for it (`key(a, b)` is `syllable_key(a)`,
/// a space, `syllable_key(b)`).
pub fn syllable_key(syllable: &str) -> String {
    let mut out = String::with_capacity(syllable.len() + 1);
    push_syllable_key(syllable, &mut out);
    out
}

/// The lookup key of the word `a b`.
pub fn key(a: &str, b: &str) -> String {
    let mut out = String::with_capacity(a.len() + b.len() + 3);
    push_syllable_key(a, &mut out);
    out.push(' ');
    push_syllable_key(b, &mut out);
    out
}

/// The key of a word given as text (`"tựu chung"`), or `None` unless it has exactly two
/// syllables.
pub fn key_of_word(word: &str) -> Option<String> {
    let mut parts = word.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), None) => Some(key(a, b)),
        _ => None,
    }
}

/// The hash that places a key in the compiled table (64-bit FNV-1a, folded): fixed, so
/// that `build.rs` and the engine agree on every platform.
pub fn slot_hash(key: &str) -> u64 {
    slot_hash_end(fnv(FNV_START, key.as_bytes()))
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over `bytes`, from the state `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn slot_hash_end(h: u64) -> u64 {
    h ^ (h >> 29)
}

/// The number of slots of the compiled table for `n` keys: a power of two at least
/// `2.5 × n`, so a linear probe meets an empty slot within a few steps. Used by
/// `build.rs` and the table's test.
#[allow(dead_code)]
pub fn table_len(n: usize) -> usize {
    (n * 5 / 2).max(2).next_power_of_two()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both_ways(s: &str) -> (Option<String>, String) {
        let mut fast = String::from("x ");
        let fast = push_precomposed_key(s, &mut fast).then_some(fast);
        let mut slow = String::from("x ");
        push_syllable_key_by_normalizing(s, &mut slow);
        (fast, slow)
    }

    /// The letter-by-letter key equals the normalized one for every letter of the blocks
    /// it keys, every pair of them (in both cases), and every attested syllable in three
    /// cases; it declines what it cannot key, leaving the output as it was.
    #[test]
    fn the_precomposed_key_is_the_normalized_key() {
        let letters: Vec<char> = PRECOMPOSED
            .iter()
            .flat_map(|&(lo, hi)| lo..=hi)
            .chain(0x20..0x7F)
            .filter_map(char::from_u32)
            .collect();
        let mut keyed = 0;
        for &a in &letters {
            for &b in &letters {
                let s: String = [a, b].iter().collect();
                let (fast, slow) = both_ways(&s);
                if let Some(fast) = fast {
                    assert_eq!(fast, slow, "{s:?}");
                    keyed += 1;
                }
            }
        }
        assert!(keyed > 400_000, "{keyed}");
        const ATTESTED: &str = include_str!("../../../../../data/syllables/attested.tsv");
        let mut syllables = 0;
        for line in ATTESTED.lines().filter(|l| !l.starts_with('#')) {
            let s = line.split('\t').next().unwrap_or("");
            let cap: String = s
                .chars()
                .take(1)
                .flat_map(char::to_uppercase)
                .chain(s.chars().skip(1))
                .collect();
            for w in [s.to_string(), cap, s.to_uppercase()] {
                let (fast, slow) = both_ways(&w);
                assert_eq!(fast.as_deref(), Some(&*slow), "{w:?}");
                syllables += 1;
            }
        }
        assert!(syllables > 9_000, "{syllables}");
        // Declined: combining marks (NFD), a letter that lower-cases to two, other scripts.
        for s in ["tie\u{302}\u{300}n", "\u{130}", "日本", "x\u{1EA0}\u{301}"] {
            assert_eq!(both_ways(s).0, None, "{s:?}");
        }
        let mut out = String::from("kept");
        assert!(!push_precomposed_key("a\u{301}", &mut out));
        assert_eq!(out, "kept");
        assert_eq!(key("Thành", "TỰU"), "thanh2 tưu6");
    }
}
