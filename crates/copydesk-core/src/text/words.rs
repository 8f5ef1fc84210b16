//! Unicode-aware words. ASCII `\b` is wrong for Vietnamese: `đ`, `ươ` and combining
//! marks (decomposed text) are all parts of a word, so every kind uses these helpers.

use std::ops::Range;

/// Whether `c` can be part of a word: letters, digits and combining marks.
#[inline]
pub fn is_word_char(c: char) -> bool {
    // Fast paths for ASCII and the Latin blocks that hold every Vietnamese letter: the
    // generic Unicode tables are the hottest code of several kinds otherwise (without it,
    // consistency took +48 % on Dân trí, abbreviation +8-10 %: issue 13, dup15). Same
    // answer as the general case (a test compares them on every char).
    match c {
        '\0'..='\u{7F}' => c.is_ascii_alphanumeric(),
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c),
    }
}

/// The word that `text` ends with (empty when it ends with no word character).
pub fn trailing_word(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// Whether `c` is an invisible format character that may stand inside a word without a
/// reader seeing it (a soft hyphen, a zero-width space, non-joiner or joiner, a word joiner, a
/// byte-order mark): the word's syllable is whole around it.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
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
///
/// Steps over ASCII by byte and decodes only other characters: every kind walks its
/// blocks' words, and a peekable `char_indices` cost about 60 instructions a character.
pub fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let start = loop {
            let (word, len) = word_char_len(text, i)?;
            if word {
                break i;
            }
            i += len;
        };
        while let Some((true, len)) = word_char_len(text, i) {
            i += len;
        }
        Some(start..i)
    })
}

/// [`is_word_char`] of the character at byte `i` (a character boundary) and its length;
/// `None` at the end.
#[inline(always)]
fn word_char_len(text: &str, i: usize) -> Option<(bool, usize)> {
    let bytes = text.as_bytes();
    let b = *bytes.get(i)?;
    if b.is_ascii() {
        return Some((b.is_ascii_alphanumeric(), 1));
    }
    // Vietnamese letters by their bytes (a `str` is valid UTF-8): U+00C0..U+00FF but `×`
    // and `÷`, U+0100..U+023F, and U+1E00..U+1EFF, all word characters.
    let next = bytes.get(i + 1).copied().unwrap_or(0);
    match b {
        0xC3 => return Some((next != 0x97 && next != 0xB7, 2)),
        0xC4..=0xC8 => return Some((true, 2)),
        0xE1 if (0xB8..=0xBB).contains(&next) => return Some((true, 3)),
        _ => {}
    }
    let c = text[i..].chars().next()?;
    Some((is_word_char(c), c.len_utf8()))
}

/// The word that contains byte `offset`, if any.
pub fn word_at(text: &str, offset: usize) -> Option<Range<usize>> {
    words(text).find(|w| w.start <= offset && offset < w.end)
}

/// Whether the character at byte `i` (a character boundary) is a word character, and
/// its length: [`is_word_char`] of the character there. (A version that told the ASCII
/// and Vietnamese letters by their bytes bought nothing measurable on real copy: issue
/// 13, dup15.)
#[inline]
pub fn word_char_at(text: &str, i: usize) -> (bool, usize) {
    match text.get(i..).and_then(|t| t.chars().next()) {
        Some(c) => (is_word_char(c), c.len_utf8()),
        None => (false, 1),
    }
}

/// The endings of web addresses (`com`, `vn`): after a dot they end an address, also one a
/// space has split (`imemc. org`) or whose name is masked (`dichvudoi...com`).
pub const DOMAIN_ENDINGS: [&str; 7] = ["com", "net", "org", "vn", "gov", "edu", "info"];

/// Whether `after` opens with one of [`DOMAIN_ENDINGS`] as a whole word.
pub fn starts_with_domain_ending(after: &str) -> bool {
    let word = after.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
    DOMAIN_ENDINGS.contains(&word) && after[word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
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

    /// The words as first written (a peekable `char_indices`): the reference of a test.
    fn words_by_chars(text: &str) -> Vec<Range<usize>> {
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
        .collect()
    }

    #[test]
    fn byte_steps_find_the_words_the_characters_do() {
        let samples = [
            "",
            " ",
            "a",
            "đường Ho\u{0300}a, 81.500",
            "  Hà Nội – “TP.HCM” ×2 ÷ ½ ª² µ\u{00A0}x\u{2009}y 😀z 中文 Ω-ω\t\n",
            "x\u{0301}\u{0323}y ́ end",
        ];
        for s in samples {
            assert_eq!(words(s).collect::<Vec<_>>(), words_by_chars(s), "{s:?}");
        }
        // Every character between two letters and alone.
        for c in (0..0x3000).chain(0x1F600..0x1F610).filter_map(char::from_u32) {
            for s in [format!("a{c}b"), c.to_string(), format!("{c}{c} a")] {
                assert_eq!(words(&s).collect::<Vec<_>>(), words_by_chars(&s), "U+{:04X}", c as u32);
            }
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
            let s = c.to_string();
            assert_eq!(
                word_char_at(&s, 0),
                (is_word_char(c), c.len_utf8()),
                "U+{:04X}",
                c as u32
            );
        }
    }
}
