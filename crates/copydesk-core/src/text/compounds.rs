//! Vietnamese two-syllable words (compounds), for checks that must not cut one.
//!
//! Vietnamese writes a word of two syllables as two space-separated syllables, so a
//! literal of two syllables can match across a word boundary: `suất hiện` (a misspelling
//! of `xuất hiện`) occurs in `lãi suất hiện nay`, where `lãi suất` and `hiện nay` are the
//! words. The term matcher ([`crate::rules::terms`]) and the repeated-word check
//! ([`crate::text::repeats::repeated_words`]) ask this list whether two adjacent
//! syllables form a known word.
//!
//! The built-in list (`data/compounds/vi-two-syllable.txt`, about 22,700 words; source and
//! licence in `data/compounds/SOURCE.md`) is keyed at compile time (`build.rs`, with
//! `compounds/key.rs`) into a static hash table in the binary, so nothing is built at run
//! time. Lookups
//! ignore case, Unicode normalization (NFC, NFD, input-method "composite") and where the
//! tone mark sits (`hoà` = `hòa`, `thuỷ` = `thủy`): each syllable is reduced to a key of
//! its letters without tone mark plus the tone. A newsroom adds words with
//! [`Compounds::with_extra`] (the `compounds` option of the term kinds).

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

use crate::text::words::is_word_char;

mod key;

pub use key::key;
pub use key::syllable_key;
#[cfg(test)]
use key::table_len;
use key::{key_of_word, slot_hash};

// `KEYS`, `ENDS` and `SLOTS`: the built-in list keyed at compile time by `build.rs` with
// `key.rs` (keying it at run time cost 141 M instructions, half of a one-line check).
include!(concat!(env!("OUT_DIR"), "/compound_table.rs"));

/// Key number `i` of the compiled table.
fn builtin_key(i: usize) -> &'static str {
    let start = match i {
        0 => 0,
        _ => ENDS[i - 1] as usize + 1,
    };
    KEYS.get(start..ENDS[i] as usize).unwrap_or("")
}

/// Whether `key` is a key of the built-in list.
fn builtin_contains(key: &str) -> bool {
    builtin_find(slot_hash(key), |k| k == key)
}

/// Whether the built-in list has a key that `is_key` accepts, probing from `hash`.
fn builtin_find(hash: u64, is_key: impl Fn(&str) -> bool) -> bool {
    let mask = SLOTS.len() - 1;
    let mut s = (hash as usize) & mask;
    // The table is at most 40 % full, so the probe meets an empty slot; the bound only
    // guards against a table that is not.
    for _ in 0..SLOTS.len() {
        match SLOTS[s] {
            0 => return false,
            n if is_key(builtin_key(n as usize - 1)) => return true,
            _ => s = (s + 1) & mask,
        }
    }
    false
}

/// The keys of the built-in list ([`key`]: `a b`, each syllable keyed), in the
/// compiled table's order: for a caller that indexes them its own way (the spelling kind
/// keys them by syllable ids).
pub fn builtin_keys() -> impl ExactSizeIterator<Item = &'static str> {
    (0..ENDS.len()).map(builtin_key)
}

/// Whether `a b` is a word of the built-in list.
pub fn is_builtin_compound(a: &str, b: &str) -> bool {
    builtin_contains(&key(a, b))
}

/// The word that ends right before byte `at`, when exactly one space (or no-break space)
/// separates it from `at`.
pub fn syllable_before(text: &str, at: usize) -> Option<&str> {
    let before = text.get(..at)?;
    let sep = before.chars().next_back().filter(|&c| c == ' ' || c == '\u{A0}')?;
    let end = at - sep.len_utf8();
    Some(crate::text::words::trailing_word(&text[..end])).filter(|w| !w.is_empty())
}

/// The word that starts right after byte `at` and one space (or no-break space).
pub fn syllable_after(text: &str, at: usize) -> Option<&str> {
    let after = text.get(at..)?;
    let sep = after.chars().next().filter(|&c| c == ' ' || c == '\u{A0}')?;
    let start = at + sep.len_utf8();
    let len: usize = text[start..]
        .chars()
        .take_while(|&c| is_word_char(c))
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| &text[start..start + len])
}

/// Function words that form listed words with many syllables (`động từ`, `ra vào`) but far
/// more often stand alone next to a term (`giao động từ 1 đến 2`): as the neighbour of a match
/// they do not compete for its edge syllable.
const FUNCTION_WORDS: &[&str] = &[
    "từ", "là", "và", "của", "có", "cho", "với", "được", "bị", "ra", "vào", "lên", "xuống", "đi", "đến", "tới", "lại",
    "thì", "mà", "này", "đó", "ấy", "các", "những", "một", "trong", "ngoài", "trên", "dưới", "khi", "nếu", "sẽ", "đã",
    "đang", "cũng", "vẫn", "còn", "rất", "nhất", "hơn", "không", "chưa", "theo", "về", "như", "để",
];

/// Whether `syllable` is one of [`FUNCTION_WORDS`] (any case, any normalization).
pub fn is_function_word(syllable: &str) -> bool {
    if syllable.len() > 8 {
        return false;
    }
    // Most words are NFC already: lower-cased on the stack, not in a `String`.
    if super::vietnamese::plainly_nfc(syllable) {
        let mut buf = [0u8; 32];
        let mut n = 0;
        for c in syllable.chars().flat_map(char::to_lowercase) {
            let Some(slot) = buf.get_mut(n..n + c.len_utf8()) else {
                return false;
            };
            c.encode_utf8(slot);
            n += c.len_utf8();
        }
        return std::str::from_utf8(&buf[..n]).is_ok_and(is_function_key);
    }
    let lower: String = syllable.nfc().flat_map(char::to_lowercase).collect();
    is_function_key(&lower)
}

/// Whether `lower` (lower case, NFC) is one of [`FUNCTION_WORDS`]: asked of a set, not by
/// comparing it with each (the term kinds ask it of every multi-syllable match's
/// neighbours).
fn is_function_key(lower: &str) -> bool {
    static SET: std::sync::LazyLock<foldhash::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| FUNCTION_WORDS.iter().copied().collect());
    SET.contains(lower)
}

/// The built-in list plus words a newsroom adds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compounds {
    extra: HashSet<String>,
}

/// A word given to [`Compounds::with_extra`] that does not have two syllables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotTwoSyllables(pub String);

impl Compounds {
    /// The built-in list alone.
    pub fn builtin() -> Compounds {
        Compounds::default()
    }

    /// The built-in list plus `words` (each two syllables: `"tựu chung"`).
    pub fn with_extra<S: AsRef<str>>(words: &[S]) -> Result<Compounds, NotTwoSyllables> {
        let mut extra = HashSet::new();
        for w in words {
            let w = w.as_ref();
            extra.insert(key_of_word(w).ok_or_else(|| NotTwoSyllables(w.to_string()))?);
        }
        Ok(Compounds { extra })
    }

    /// Adds the words of `other`.
    pub fn extend(&mut self, other: &Compounds) {
        self.extra.extend(other.extra.iter().cloned());
    }

    /// Whether the syllables `a` and `b` form a known word.
    pub fn contains(&self, a: &str, b: &str) -> bool {
        let k = key(a, b);
        builtin_contains(&k) || self.extra.contains(&k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_loads_and_knows_common_words() {
        assert!(ENDS.len() > 20_000);
        for (a, b) in [
            ("thành", "tựu"),
            ("lãi", "suất"),
            ("hiện", "nay"),
            ("cảm", "xúc"),
            ("tích", "cực"),
            ("xem", "xét"),
            ("sử", "dụng"),
            ("hành", "vi"),
            ("vi", "phạm"),
            ("luôn", "luôn"),
        ] {
            assert!(is_builtin_compound(a, b), "{a} {b}");
        }
        for (a, b) in [("tựu", "chung"), ("suất", "hiện"), ("xúc", "tích"), ("xét", "sử")] {
            assert!(!is_builtin_compound(a, b), "{a} {b}");
        }
    }

    #[test]
    fn lookups_ignore_case_normalization_and_tone_placement() {
        assert!(is_builtin_compound("Thành", "TỰU"));
        let nfd: String = "thành tựu".nfd().collect();
        let (a, b) = nfd.split_once(' ').unwrap();
        assert!(is_builtin_compound(a, b));
        // The list writes `hoà`; text may write `hòa`.
        assert!(is_builtin_compound("hòa", "bình"));
        assert!(is_builtin_compound("hoà", "bình"));
        assert!(is_builtin_compound("thủy", "sản"));
        assert_eq!(key("hòa", "bình"), key("hoà", "bình"));
    }

    /// The table compiled by `build.rs` is the list keyed afresh: the same distinct keys,
    /// each found by a lookup, and no slot holding anything else.
    #[test]
    fn the_compiled_table_equals_a_fresh_build_of_the_list() {
        const SOURCE: &str = include_str!("../../../../data/compounds/vi-two-syllable.txt");
        let fresh: std::collections::BTreeSet<String> = SOURCE.lines().filter_map(key_of_word).collect();
        let compiled: Vec<&str> = (0..ENDS.len()).map(builtin_key).collect();
        assert_eq!(compiled.len(), fresh.len());
        assert!(
            compiled.iter().zip(&fresh).all(|(c, f)| c == f),
            "compiled keys differ from the list"
        );
        assert_eq!(KEYS.len(), fresh.iter().map(|k| k.len() + 1).sum::<usize>() - 1);
        for k in &fresh {
            assert!(builtin_contains(k), "{k}");
        }
        let mut filled: Vec<u32> = SLOTS.iter().copied().filter(|&n| n != 0).collect();
        filled.sort_unstable();
        assert_eq!(filled, (1..=fresh.len() as u32).collect::<Vec<_>>());
        assert_eq!(SLOTS.len(), table_len(fresh.len()));
        assert!(SLOTS.len().is_power_of_two() && SLOTS.len() >= 2 * fresh.len());
        for k in ["", "tựu chung", "suất hiện", "thanh tuu2", "thành tựu "] {
            assert!(!builtin_contains(k), "{k:?}");
        }
    }

    #[test]
    fn a_newsroom_adds_words() {
        assert!(!Compounds::builtin().contains("tựu", "chung"));
        let c = Compounds::with_extra(&["tựu chung"]).unwrap();
        assert!(c.contains("Tựu", "chung"));
        assert!(c.contains("lãi", "suất"));
        assert_eq!(Compounds::with_extra(&["tựu"]), Err(NotTwoSyllables("tựu".to_string())));
        assert!(Compounds::with_extra(&["a b c"]).is_err());
    }
}
