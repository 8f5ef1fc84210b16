//! The words around a number that say what it is: a date's cue (`ngày`, `thứ hai`), a
//! time of day's (`lúc`, `sáng`), read lower-cased without allocating.

use super::*;

pub(super) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

pub(super) fn char_after(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

pub(super) fn is_word(c: Option<char>) -> bool {
    c.is_some_and(is_word_char)
}

/// A word in lower case, on the stack: the cue words are compared without allocating.
/// Lower-cased one character at a time, which differs from [`str::to_lowercase`] only for
/// a capital sigma (σ or ς), and neither is in any cue list. A word whose lower case
/// is longer than the buffer equals no cue word and reads as the empty string.
pub(super) struct LowerWord {
    buf: [u8; LowerWord::CAP],
    len: usize,
}

impl LowerWord {
    const CAP: usize = 32;

    pub(super) fn new(word: &str) -> LowerWord {
        let mut w = LowerWord {
            buf: [0; LowerWord::CAP],
            len: 0,
        };
        for c in word.chars() {
            if c.is_ascii() {
                if w.len == LowerWord::CAP {
                    return LowerWord::overflow();
                }
                w.buf[w.len] = c.to_ascii_lowercase() as u8;
                w.len += 1;
            } else {
                for l in c.to_lowercase() {
                    if w.len + l.len_utf8() > LowerWord::CAP {
                        return LowerWord::overflow();
                    }
                    w.len += l.encode_utf8(&mut w.buf[w.len..]).len();
                }
            }
        }
        w
    }

    fn overflow() -> LowerWord {
        LowerWord {
            buf: [0; LowerWord::CAP],
            len: 0,
        }
    }

    pub(super) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }

    pub(super) fn is_in(&self, list: &[&str]) -> bool {
        list.contains(&self.as_str())
    }
}

/// The previous word before byte `i`, lower-cased, skipping spaces, `(` and `,`; and
/// where it starts. `None` when anything else (a full stop, a digit) comes first.
pub(super) fn prev_word(text: &str, i: usize) -> Option<(LowerWord, usize)> {
    let head = text.get(..i)?;
    let trimmed = head.trim_end_matches(|c: char| c.is_whitespace() || c == '(' || c == ',');
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic() || unicode_normalization::char::is_combining_mark(*c))
        .last()
        .map(|(j, _)| j)?;
    Some((LowerWord::new(&trimmed[start..]), start))
}

/// The next word after byte `i`, lower-cased, skipping spaces and `,`.
pub(super) fn next_word(text: &str, i: usize) -> Option<LowerWord> {
    let tail = text.get(i..)?;
    let trimmed = tail.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ')');
    let len = trimmed
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(trimmed.len(), |(j, _)| j);
    (len > 0).then(|| LowerWord::new(&trimmed[..len]))
}

/// How sure a date candidate is a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Cue {
    None,
    /// `từ`, `đến`, `trước`, …: dates, but fractions too (`từ 1/3 đến 1/2 số hộ`).
    Weak,
    /// `ngày`, `sáng`, `hôm`, a weekday, or a year in the date itself.
    Strong,
}

pub(super) const STRONG_DATE_CUES: &[&str] = &[
    "ngày", "hôm", "sáng", "chiều", "tối", "đêm", "trưa", "khuya", "mùng", "mồng", "rạng",
];
pub(super) const WEAK_DATE_CUES: &[&str] = &["từ", "đến", "tới", "trước", "sau", "vào", "hết", "đầu", "cuối", "giữa"];
pub(super) const DAY_PARTS: &[&str] = &["hôm", "sáng", "chiều", "tối", "đêm", "trưa", "khuya"];
pub(super) const WEEKDAYS: &[&str] = &["hai", "ba", "tư", "năm", "sáu", "bảy"];
pub(super) const FRACTION_NEXT: &[&str] = &["dân", "số", "diện", "tổng", "phần", "trong"];

pub(super) fn date_cue(text: &str, start: usize, end: usize) -> Cue {
    let Some((w, ws)) = prev_word(text, start) else {
        return Cue::None;
    };
    let w = w.as_str();
    let before_is = |list: &[&str]| prev_word(text, ws).is_some_and(|(b, _)| b.is_in(list));
    let strong = STRONG_DATE_CUES.contains(&w)
        || (matches!(w, "nay" | "qua" | "mai") && before_is(DAY_PARTS))
        || (WEEKDAYS.contains(&w) && before_is(&["thứ"]))
        || (w == "nhật" && before_is(&["chủ"]));
    if strong {
        Cue::Strong
    } else if WEAK_DATE_CUES.contains(&w) && !next_word(text, end).is_some_and(|n| n.is_in(FRACTION_NEXT)) {
        Cue::Weak
    } else {
        Cue::None
    }
}

pub(super) const TIME_CUES_BEFORE: &[&str] = &[
    "lúc", "vào", "khoảng", "từ", "đến", "tới", "sáng", "trưa", "chiều", "tối", "đêm", "khuya", "rạng", "hồi", "trước",
    "sau", "gần", "hơn", "đúng",
];
pub(super) const TIME_CUES_AFTER: &[&str] = &["ngày", "sáng", "trưa", "chiều", "tối", "đêm", "hôm", "cùng"];

/// Cues that make `N giờ` a time of day rather than a duration (`trong khoảng 4 giờ`).
pub(super) const CLOCK_CUES_BEFORE: &[&str] = &["lúc", "vào", "đúng"];
pub(super) const CLOCK_CUES_AFTER: &[&str] = &["sáng", "trưa", "chiều", "tối", "đêm", "ngày", "hôm"];

pub(super) fn clock_cue(text: &str, start: usize, end: usize) -> bool {
    prev_word(text, start).is_some_and(|(w, _)| w.is_in(CLOCK_CUES_BEFORE))
        || next_word(text, end).is_some_and(|w| w.is_in(CLOCK_CUES_AFTER))
}

pub(super) fn time_cue(text: &str, start: usize, end: usize) -> bool {
    prev_word(text, start).is_some_and(|(w, _)| w.is_in(TIME_CUES_BEFORE))
        || next_word(text, end).is_some_and(|w| w.is_in(TIME_CUES_AFTER))
}
