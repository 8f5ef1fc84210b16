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
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 29)
}

/// The number of slots of the compiled table for `n` keys: a power of two at least
/// `2.5 × n`, so a linear probe meets an empty slot within a few steps. Used by
/// `build.rs` and the table's test.
#[allow(dead_code)]
pub fn table_len(n: usize) -> usize {
    (n * 5 / 2).max(2).next_power_of_two()
}
