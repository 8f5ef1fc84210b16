//! Letter case: detecting the case shape of a match and carrying it over to a fix, and
//! lower-casing the letters of news copy without searching tables.

/// How a word or phrase is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseShape {
    /// no upper-case letters
    Lower,
    /// first letter upper case, the rest lower case
    Capitalized,
    /// every letter upper case (and at least two letters)
    Upper,
    /// anything else
    Mixed,
}

pub fn case_shape(s: &str) -> CaseShape {
    // One pass without a buffer: the first letter's case, then how many letters follow
    // and how many of them are upper case (a new word of every check asks).
    let mut letters = s.chars().filter(|&c| is_letter(c));
    let Some(first) = letters.next() else {
        return CaseShape::Lower;
    };
    let (mut rest, mut rest_upper) = (0usize, 0usize);
    for c in letters {
        rest += 1;
        rest_upper += usize::from(c.is_uppercase());
    }
    if first.is_uppercase() {
        if rest > 0 && rest_upper == rest {
            CaseShape::Upper
        } else if rest_upper == 0 {
            CaseShape::Capitalized
        } else {
            CaseShape::Mixed
        }
    } else if rest_upper == 0 {
        CaseShape::Lower
    } else {
        CaseShape::Mixed
    }
}

/// `char::is_alphabetic`, with the Latin blocks that hold every Vietnamese letter answered
/// without Unicode's tables (a test compares them on every char).
#[inline]
fn is_letter(c: char) -> bool {
    match c {
        '\0'..='\u{7F}' => c.is_ascii_alphabetic(),
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphabetic(),
    }
}

/// Upper-cases the first letter of `s`.
pub fn capitalize_first(s: &str) -> String {
    map_first_letter(s, |c, out| out.extend(c.to_uppercase()))
}

/// `s` with its first letter written by `write` and every other character as it is.
fn map_first_letter(s: &str, write: impl Fn(char, &mut String)) -> String {
    let mut out = String::with_capacity(s.len());
    let mut done = false;
    for c in s.chars() {
        if !done && c.is_alphabetic() {
            write(c, &mut out);
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// Lower-cases the first letter of `s`.
pub fn lowercase_first(s: &str) -> String {
    map_first_letter(s, |c, out| out.extend(c.to_lowercase()))
}

/// Gives `replacement` the case shape of `found` when that shape was forced on it
/// (sentence start, all-caps run): `Sát nhập` → `Sáp nhập`, `SÁT NHẬP` → `SÁP NHẬP`.
/// A replacement that has capitals of its own keeps them unless `found` is all caps.
pub fn match_case(found: &str, replacement: &str) -> String {
    match case_shape(found) {
        CaseShape::Upper if replacement.chars().filter(|c| c.is_alphabetic()).count() > 1 => replacement.to_uppercase(),
        CaseShape::Capitalized | CaseShape::Upper => capitalize_first(replacement),
        _ => replacement.to_string(),
    }
}

/// Whether byte `offset` of `text` begins a sentence: only spaces, quotes and opening
/// brackets stand between it and the start of the text or a `.`, `!`, `?` or `…`.
/// Callers with abbreviation knowledge (the `sentence` kind) refine this.
pub fn is_sentence_start(text: &str, offset: usize) -> bool {
    for c in text[..offset].chars().rev() {
        match c {
            c if c.is_whitespace() => continue,
            '"' | '\'' | '“' | '‘' | '«' | '(' | '[' | '-' | '–' | '—' | '*' | '_' => continue,
            '\u{1A}' => continue,
            '.' | '!' | '?' | '…' | ':' => return true,
            _ => return false,
        }
    }
    true
}

/// The lower case of code point `u` when it is one character and known without a table
/// search: ASCII, Latin-1, the Latin letters of Vietnamese (and the other letter pairs of
/// U+0100..U+012F and U+1E00..U+1EFF) and the combining marks. `None` for the others,
/// which the caller lower-cases with the library (a test checks every character). Asking
/// the library for every letter was as fast on Dân trí (issue 13, dup15); the table stays
/// because its `None` is what tells callers a letter needs the library's context (`Σ`).
#[inline]
pub fn simple_lower_code(u: u32) -> Option<u32> {
    Some(match u {
        0x41..=0x5A => u | 0x20,
        0..=0x7F => u,
        // À–Þ but ×; ß–ÿ are lower case.
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        0x80..=0xFF => u,
        // Pairs, capital first: Ā–į (ă, đ, ĩ), Ũ ũ, Ḁ–ẕ, Ạ–ỿ (the vowels with a tone).
        0x100..=0x12F | 0x168 | 0x169 | 0x1E00..=0x1E95 | 0x1EA0..=0x1EFF => u | 1,
        // Ơ ơ, Ư ư.
        0x1A0 | 0x1A1 => 0x1A1,
        0x1AF | 0x1B0 => 0x1B0,
        // Combining marks.
        0x300..=0x36F => u,
        _ => return None,
    })
}

/// [`simple_lower_code`] for a `char`.
#[inline]
pub fn simple_lower(c: char) -> Option<char> {
    simple_lower_code(c as u32).and_then(char::from_u32)
}

/// `s.to_lowercase()` written into `out` (cleared first). (A version that lower-cased
/// ASCII and the Vietnamese letters without the library bought nothing measurable on
/// real copy: issue 13, dup15.)
pub fn lowercase_into(s: &str, out: &mut String) {
    out.clear();
    out.push_str(&s.to_lowercase());
}

/// Whether `a` and `b` are equal once lower-cased (as `str::to_lowercase` does it),
/// without allocating but for a capital sigma. (A byte-level version with ASCII and
/// Vietnamese shortcuts bought nothing measurable on real copy: issue 13, dup15.)
pub fn eq_lowercase(a: &str, b: &str) -> bool {
    let mut x = a.chars().flat_map(char::to_lowercase);
    let mut y = b.chars().flat_map(char::to_lowercase);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            // A capital sigma lower-cases by its context (`σ` or `ς`): leave it to the
            // library. Elsewhere both lower-case the same, character by character.
            (Some('σ'), _) | (_, Some('σ')) => return a.to_lowercase() == b.to_lowercase(),
            (Some(c), Some(d)) if c == d => {}
            _ => return false,
        }
    }
}

/// Whether `range` (a word) stands between two words written with a capital, one space
/// apart on each side, the one before not at a sentence start: inside a name (`Tàu thủy
/// Dung Quất`, `Đua nge Ngo`).
pub fn between_capitalized_words(text: &str, range: std::ops::Range<usize>) -> bool {
    use crate::text::compounds::{syllable_after, syllable_before};
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let before = syllable_before(text, range.start).filter(|w| capital(w));
    let before_start = before.map(|w| w.as_ptr() as usize - text.as_ptr() as usize);
    before_start.is_some_and(|at| !is_sentence_start(text, at)) && syllable_after(text, range.end).is_some_and(capital)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_letter_is_is_alphabetic() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn shapes_and_matching() {
        assert_eq!(case_shape("sát nhập"), CaseShape::Lower);
        assert_eq!(case_shape("Sát nhập"), CaseShape::Capitalized);
        assert_eq!(case_shape("SÁT NHẬP"), CaseShape::Upper);
        assert_eq!(match_case("Sát nhập", "sáp nhập"), "Sáp nhập");
        assert_eq!(match_case("SÁT NHẬP", "sáp nhập"), "SÁP NHẬP");
        assert_eq!(match_case("sát nhập", "sáp nhập"), "sáp nhập");
        assert!(is_sentence_start("Xong. “Anh", 9));
        assert!(!is_sentence_start("xong, anh", 7));
    }

    #[test]
    fn simple_lower_case_agrees_with_the_library() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(l) = simple_lower(c) {
                assert_eq!(
                    c.to_lowercase().collect::<String>(),
                    l.to_string(),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        // The letters of Vietnamese all take the quick way.
        for c in "ĂÂĐÊÔƠƯăâđêôơưÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ".chars()
        {
            assert!(simple_lower(c).is_some(), "{c}");
        }
    }

    #[test]
    fn lower_case_comparisons_agree_with_the_library() {
        let words = [
            "tổ",
            "Tổ",
            "TỔ",
            "to\u{302}\u{309}",
            "ΟΔΟΣ",
            "οδος",
            "οδοσ",
            "Σ",
            "σ",
            "ς",
            "K",
            "\u{212A}",
            "k",
            "İ",
            "i\u{307}",
            "ß",
            "SS",
            "ẞ",
            "đ",
            "Đ",
            "ǅ",
            "ǆ",
            "Ā",
            "ā",
            "",
        ];
        let mut buf = String::new();
        for a in words {
            lowercase_into(a, &mut buf);
            assert_eq!(buf, a.to_lowercase(), "{a}");
            for b in words {
                assert_eq!(eq_lowercase(a, b), a.to_lowercase() == b.to_lowercase(), "{a} {b}");
            }
        }
    }
}
