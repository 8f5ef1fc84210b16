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
//! licence in `data/compounds/SOURCE.md`) is embedded and parsed on first use. Lookups
//! ignore case, Unicode normalization (NFC, NFD, input-method "composite") and where the
//! tone mark sits (`hoà` = `hòa`, `thuỷ` = `thủy`): each syllable is reduced to a key of
//! its letters without tone mark plus the tone. A newsroom adds words with
//! [`Compounds::with_extra`] (the `compounds` option of the term kinds).

use std::collections::HashSet;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use crate::text::words::is_word_char;

/// The built-in list: lower-case NFC, one word (two syllables, one space) a line, sorted.
const BUILTIN_TEXT: &str = include_str!("../../../../data/compounds/vi-two-syllable.txt");

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
fn key_of_word(word: &str) -> Option<String> {
    let mut parts = word.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), None) => Some(key(a, b)),
        _ => None,
    }
}

static BUILTIN: LazyLock<HashSet<String>> = LazyLock::new(|| BUILTIN_TEXT.lines().filter_map(key_of_word).collect());

/// Whether `a b` is a word of the built-in list.
pub fn is_builtin_compound(a: &str, b: &str) -> bool {
    BUILTIN.contains(&key(a, b))
}

/// The word that ends right before byte `at`, when exactly one space (or no-break space)
/// separates it from `at`.
pub fn syllable_before(text: &str, at: usize) -> Option<&str> {
    let before = text.get(..at)?;
    let sep = before.chars().next_back().filter(|&c| c == ' ' || c == '\u{A0}')?;
    let end = at - sep.len_utf8();
    let start = text[..end]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map(|(i, _)| i)?;
    Some(&text[start..end])
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
    let lower: String = syllable.nfc().flat_map(char::to_lowercase).collect();
    FUNCTION_WORDS.contains(&lower.as_str())
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
        BUILTIN.contains(&k) || self.extra.contains(&k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_loads_and_knows_common_words() {
        assert!(BUILTIN.len() > 20_000);
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
