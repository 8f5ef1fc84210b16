//! The words around a number that say what it is: a date's cue (`ngày`, `thứ hai`), a
//! time of day's (`lúc`, `sáng`), read lower-cased without allocating. The words are the
//! rule's options ([`Words`]), never built in: the `vi-news` pack supplies Vietnamese ones.

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

    pub(super) fn is_in(&self, list: &[String]) -> bool {
        let w = self.as_str();
        list.iter().any(|l| l == w)
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
    next_word_and_end(text, i).map(|(w, _)| w)
}

/// [`next_word`] and the byte where it ends.
fn next_word_and_end(text: &str, i: usize) -> Option<(LowerWord, usize)> {
    let tail = text.get(i..)?;
    let trimmed = tail.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ')');
    let len = trimmed
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(trimmed.len(), |(j, _)| j);
    let end = text.len() - trimmed.len() + len;
    (len > 0).then(|| (LowerWord::new(&trimmed[..len]), end))
}

/// Whether the two words after byte `end` are one of the rule's `date-year-pairs`
/// (`năm nay`), one space apart.
pub(super) fn year_pair_after(words: &Words, text: &str, end: usize) -> bool {
    let Some((first, at)) = next_word_and_end(text, end) else {
        return false;
    };
    if !text[at..].starts_with(' ') || text[at + 1..].starts_with(' ') {
        return false;
    }
    let Some((second, _)) = next_word_and_end(text, at) else {
        return false;
    };
    words
        .date_year_pairs
        .iter()
        .any(|(a, b)| a == first.as_str() && b == second.as_str())
}

/// A token `5.2015`, `5/2015` or `5-2015`: a month (1–12) and a four-digit year
/// (1900–2199) with one separator.
pub(super) fn is_month_year(token: &str) -> bool {
    let Some((m, y)) = token.split_once(['.', '/', '-']) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(m)
        && m.len() <= 2
        && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && digits(y)
        && y.len() == 4
        && y.parse::<u32>().is_ok_and(|y| (1900..=2199).contains(&y))
}

/// How sure a date candidate is a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Cue {
    None,
    /// A weak cue (`từ`, `đến`, `trước`, …): dates, but fractions too (`từ 1/3 đến 1/2 số hộ`).
    Weak,
    /// A date cue (`ngày`, `sáng`, `hôm`), a two-word one (a weekday), or a year in the date itself.
    Strong,
}

/// The words of the rule's language around a number, from its options (the `vi-news`
/// pack sets them; a rule that sets none has no cue words). Built once when the rule
/// compiles: the cue lists lower-cased (the text's word is lower-cased to compare), the
/// words after a number as written.
#[derive(Debug, Default)]
pub(super) struct Words {
    pub(super) date: Vec<String>,
    /// `(first, second)`: `second` before the date, `first` before it.
    pub(super) date_pairs: Vec<(String, String)>,
    /// `(first, second)`: the two words after a date that start its year (`năm nay`).
    pub(super) date_year_pairs: Vec<(String, String)>,
    pub(super) month: Vec<String>,
    pub(super) weak_date: Vec<String>,
    pub(super) fraction: Vec<String>,
    pub(super) time_before: Vec<String>,
    pub(super) time_after: Vec<String>,
    pub(super) clock_before: Vec<String>,
    pub(super) clock_after: Vec<String>,
    pub(super) ratio: Vec<String>,
    pub(super) magnitude: Vec<String>,
    pub(super) whole_currency: Vec<String>,
    pub(super) duration: Vec<String>,
    /// `spec-cues`, lower case.
    pub(super) spec: Vec<String>,
    /// [`Options::score_units`](super::Options::score_units), as written.
    pub(super) score: Vec<String>,
    /// The hour-word time form (`13 giờ 37 phút`): `hour-word`, `minute-word` and their
    /// regex, built once; `None` without an hour word.
    pub(super) clock: Option<ClockWords>,
    /// `entry-stamp-word` between spaces (` ngày `); `None`: no entry stamps.
    pub(super) stamp: Option<String>,
}

/// The words of the hour-word time form (`13 giờ 37 phút`) and the regex that finds it:
/// the hour, the hour word, then optionally the minutes and the minute word.
#[derive(Debug)]
pub(super) struct ClockWords {
    pub(super) hour: String,
    pub(super) minute: Option<String>,
    pub(super) regex: Regex,
}

impl ClockWords {
    fn new(hour: &str, minute: Option<&str>) -> Option<ClockWords> {
        let hour = hour.trim();
        if hour.is_empty() {
            return None;
        }
        let minute = minute.map(str::trim).filter(|m| !m.is_empty());
        let minute_part = minute.map_or(String::new(), |m| format!("(?: {})?", regex::escape(m)));
        let pattern = format!(
            r"([0-9]{{1,2}}) {}(?: ([0-9]{{1,2}}){minute_part})?",
            regex::escape(hour)
        );
        // Escaped words of at most `MAX_WORD_BYTES` (checked at compile) always build.
        let regex = Regex::new(&pattern).ok()?;
        Some(ClockWords {
            hour: hour.to_string(),
            minute: minute.map(str::to_string),
            regex,
        })
    }
}

impl Words {
    pub(super) fn new(o: &Options) -> Words {
        let lower = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect()
        };
        let as_written = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty())
                .collect()
        };
        // `"first second"` entries, lower case (the compile step refused any other shape).
        let pairs = |v: &[String]| -> Vec<(String, String)> {
            lower(v)
                .iter()
                .filter_map(|p| {
                    let mut words = p.split_whitespace();
                    Some((words.next()?.to_string(), words.next()?.to_string()))
                })
                .collect()
        };
        Words {
            date: lower(&o.date_cues),
            date_pairs: pairs(&o.date_cue_pairs),
            date_year_pairs: pairs(&o.date_year_pairs),
            month: lower(&o.month_words),
            weak_date: lower(&o.weak_date_cues),
            fraction: lower(&o.fraction_words),
            time_before: lower(&o.time_cues_before),
            time_after: lower(&o.time_cues_after),
            clock_before: lower(&o.clock_cues_before),
            clock_after: lower(&o.clock_cues_after),
            ratio: lower(&o.ratio_words),
            magnitude: as_written(&o.magnitude_words),
            whole_currency: as_written(&o.whole_currency_words),
            duration: as_written(&o.duration_words),
            spec: lower(&o.spec_cues),
            score: as_written(&o.score_units),
            clock: o
                .hour_word
                .as_deref()
                .and_then(|h| ClockWords::new(h, o.minute_word.as_deref())),
            stamp: o
                .entry_stamp_word
                .as_deref()
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(|w| format!(" {w} ")),
        }
    }
}

pub(super) fn date_cue(words: &Words, text: &str, start: usize, end: usize) -> Cue {
    let Some((w, ws)) = prev_word(text, start) else {
        return Cue::None;
    };
    let w = w.as_str();
    let strong = words.date.iter().any(|d| d == w)
        || (words.date_pairs.iter().any(|(_, b)| b == w)
            && prev_word(text, ws)
                .is_some_and(|(p, _)| words.date_pairs.iter().any(|(a, b)| b == w && a == p.as_str())));
    if strong {
        Cue::Strong
    } else if words.weak_date.iter().any(|d| d == w) && !next_word(text, end).is_some_and(|n| n.is_in(&words.fraction))
    {
        Cue::Weak
    } else {
        Cue::None
    }
}

/// Whether `13 giờ 37` at `start..end` is a time of day rather than a duration (`trong
/// khoảng 4 giờ`): a clock cue word before or after it.
pub(super) fn clock_cue(words: &Words, text: &str, start: usize, end: usize) -> bool {
    prev_word(text, start).is_some_and(|(w, _)| w.is_in(&words.clock_before))
        || next_word(text, end).is_some_and(|w| w.is_in(&words.clock_after))
}

pub(super) fn time_cue(words: &Words, text: &str, start: usize, end: usize) -> bool {
    prev_word(text, start).is_some_and(|(w, _)| w.is_in(&words.time_before))
        || next_word(text, end).is_some_and(|w| w.is_in(&words.time_after))
}
