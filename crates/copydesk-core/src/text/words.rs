//! Unicode-aware words. ASCII `\b` is wrong for Vietnamese: `đ`, `ươ` and combining
//! marks (decomposed text) are all parts of a word, so every kind uses these helpers.

use std::ops::Range;

/// Whether `c` can be part of a word: letters, digits and combining marks.
#[inline]
pub fn is_word_char(c: char) -> bool {
    // Fast paths for ASCII and the Latin blocks that hold every Vietnamese letter: the
    // generic Unicode tables are the hottest code of several kinds otherwise. Same answer
    // as the general case (a test compares them on every char).
    match c {
        '\0'..='\u{7F}' => c.is_ascii_alphanumeric(),
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c),
    }
}

/// Whether `text[range]` starts and ends on word boundaries.
pub fn is_whole_word(text: &str, range: Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let first = text[range.clone()].chars().next();
    let last = text[range.clone()].chars().next_back();
    let starts = match (before, first) {
        (Some(b), Some(f)) => !(is_word_char(b) && is_word_char(f)),
        _ => true,
    };
    let ends = match (last, after) {
        (Some(l), Some(a)) => !(is_word_char(l) && is_word_char(a)),
        _ => true,
    };
    starts && ends
}

/// Byte ranges of the words of `text`, in order.
pub fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut iter = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = iter.next()?;
            if is_word_char(c) {
                break i;
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = iter.peek() {
            if !is_word_char(c) {
                end = i;
                break;
            }
            iter.next();
        }
        Some(start..end)
    })
}

/// The word that contains byte `offset`, if any.
pub fn word_at(text: &str, offset: usize) -> Option<Range<usize>> {
    words(text).find(|w| w.start <= offset && offset < w.end)
}

/// `c.is_alphabetic()`, with the answer for ASCII and the Latin blocks that hold every
/// Vietnamese letter known without a table search.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' => false,
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphabetic(),
    }
}

/// Calls `f` with the byte range of every word of `text`, in order: the same words as
/// [`words`], found with byte-level fast paths for ASCII and Vietnamese letters.
#[inline]
pub fn for_each_word(text: &str, mut f: impl FnMut(Range<usize>)) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        // Skip to the next word.
        match ASCII_CLASS[usize::from(b[i])] {
            NOT_WORD => {
                i += 1;
                continue;
            }
            WORD => {}
            _ => {
                let (word, len) = word_char_at(text, i);
                if !word {
                    i += len;
                    continue;
                }
            }
        }
        let start = i;
        while i < n {
            match ASCII_CLASS[usize::from(b[i])] {
                WORD => i += 1,
                NOT_WORD => break,
                _ => {
                    let (word, len) = word_char_at(text, i);
                    if !word {
                        break;
                    }
                    i += len;
                }
            }
        }
        f(start..i);
    }
}

const NOT_WORD: u8 = 0;
const WORD: u8 = 1;
const NON_ASCII: u8 = 2;

/// For each byte: an ASCII letter or digit, another ASCII character, or not ASCII.
static ASCII_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut i = 0;
    while i < 128 {
        t[i] = if (i as u8).is_ascii_alphanumeric() {
            WORD
        } else {
            NOT_WORD
        };
        i += 1;
    }
    t
};

/// Whether the character at byte `i` (a character boundary) is a word character, and
/// its length: the same answer as [`is_word_char`], without decoding the ASCII and
/// Vietnamese letters.
#[inline(always)]
pub fn word_char_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes();
    let x = b[i];
    if x < 0x80 {
        return (x.is_ascii_alphanumeric(), 1);
    }
    let next = b.get(i + 1).copied().unwrap_or(0);
    match x {
        // U+00C0..U+00FF: letters but `×` (C3 97) and `÷` (C3 B7).
        0xC3 => (next != 0x97 && next != 0xB7, 2),
        // U+0100..U+027F: Latin Extended-A and -B, IPA letters; U+0300..U+033F:
        // combining marks.
        0xC4..=0xC9 | 0xCC => (true, 2),
        // U+0340..U+036F: combining marks.
        0xCD if next < 0xB0 => (true, 2),
        // U+1E00..U+1EFF: Latin Extended Additional.
        0xE1 if (0xB8..=0xBB).contains(&next) => (true, 3),
        _ => word_char_slow(text, i),
    }
}

#[cold]
fn word_char_slow(text: &str, i: usize) -> (bool, usize) {
    match text.get(i..).and_then(|t| t.chars().next()) {
        Some(c) => (is_word_char(c), c.len_utf8()),
        None => (false, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_paths_agree_with_the_unicode_tables() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let general = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
            assert_eq!(is_word_char(c), general, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn diacritics_and_combining_marks_are_word_characters() {
        let t = "đường Ho\u{0300}a, 81.500";
        let ws: Vec<&str> = words(t).map(|r| &t[r]).collect();
        assert_eq!(ws, ["đường", "Ho\u{0300}a", "81", "500"]);
        assert!(is_whole_word(t, 0.."đường".len()));
        assert!(!is_whole_word(t, 0..2));
    }

    #[test]
    fn byte_level_word_tests_agree_with_the_tables() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "U+{:04X}", c as u32);
            let s = c.to_string();
            assert_eq!(
                word_char_at(&s, 0),
                (is_word_char(c), c.len_utf8()),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn fast_words_are_the_words() {
        let t = "đường Ho\u{0300}a, 81.500 \u{1A}x😀y ΟΔΟΣ\u{300} ǅ a_b\u{A0}c";
        let mut fast = Vec::new();
        for_each_word(t, |w| fast.push(w));
        assert_eq!(fast, words(t).collect::<Vec<_>>());
        let t = crate::rules::typography::tests_support::mutated(3, 20_000);
        let mut fast = Vec::new();
        for_each_word(&t, |w| fast.push(w));
        assert_eq!(fast, words(&t).collect::<Vec<_>>());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, failure_persistence: None, ..Default::default() })]
        #[test]
        fn fast_words_are_the_words_on_any_text(t in "[a-zA-Zđươ\u{300}\u{301}\u{A0}\u{D7} .,😀\\PC]{0,40}") {
            let mut fast = Vec::new();
            for_each_word(&t, |w| fast.push(w));
            proptest::prop_assert_eq!(fast, words(&t).collect::<Vec<_>>());
        }
    }
}
