//! Numbers in front of a unit or `%`: how a thousands group or a decimal should look.

use super::*;

/// What a number followed by a unit or `%` should look like.
pub(super) enum NumberVerdict {
    Fine,
    Fix(String, bool, &'static str),
    Ambiguous(String),
}

/// Whether a magnitude word (`magnitude-words`: after `tỷ`, `23,146` is a decimal with
/// three places far more often than a thousands group) follows `end` (after spaces).
pub(super) fn magnitude_follows(w: &Words, text: &str, end: usize) -> bool {
    word_follows(text, end, &w.magnitude)
}

/// `36.25 - 36.33 triệu`: where the words after the number at `range` start. When it opens
/// a range (a dash, then a number written with the same separator or none), the words after
/// the range belong to both numbers (judged on real news, round 14: only the second of every
/// gold-price range was read as a decimal, and the fix left `36.25 - 36,33`). `Knock 2.0 -
/// 3,99USD` (a name, then a price in the other style) is no range.
pub(super) fn words_after(text: &str, range: &Range<usize>) -> usize {
    range_end(text, range).unwrap_or(range.end)
}

fn range_end(text: &str, range: &Range<usize>) -> Option<usize> {
    let first = &text[range.clone()];
    let separator_of = |s: &str| s.bytes().find(|b| matches!(b, b'.' | b','));
    let rest = text[range.end..].trim_start_matches([' ', '\u{A0}']);
    let rest = rest.strip_prefix(['-', '–'])?.trim_start_matches([' ', '\u{A0}']);
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let second = rest[..len].trim_end_matches(['.', ',']);
    if !second.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let one_style = match (separator_of(first), separator_of(second)) {
        (Some(a), Some(b)) => a == b && !second.bytes().any(|c| matches!(c, b'.' | b',') && c != a),
        _ => true,
    };
    one_style.then(|| text.len() - rest.len() + second.len())
}

/// `a.b` with two-digit `a < b` before a duration word (`duration-words`): a range, not a
/// decimal (judged on real news: `chờ 15.20 năm nữa`).
pub(super) fn looks_like_range(w: &Words, text: &str, range: &Range<usize>, t: char) -> bool {
    let Some((a, b)) = text[range.clone()].split_once(t) else {
        return false;
    };
    a.len() == 2 && b.len() == 2 && a < b && word_follows(text, range.end, &w.duration)
}

/// Whether one of the `spec-cues` stands among the five words before the number at `range`
/// or the first two after it (`dung tích 6.0 lít`, `động cơ V8, 5.0 lít`, `5.9 lít V8`,
/// `phiên bản Trend 2.2 lít`, `6.5 IELTS`).
/// The second end of a range whose first end is such a number (`động cơ từ 1.0 lít đến 1.8
/// lít`, judged FALSE on real news, round 72: the fix wrote `1,8` beside `1.0`) is one too.
/// Reads a bounded stretch on each side (linear time).
pub(super) fn near_a_spec_cue(w: &Words, text: &str, range: &Range<usize>) -> bool {
    cue_near(w, text, range)
        || number_before(text, range).is_some_and(|first| cue_near(w, text, &first))
        || cued_sibling_before_the_same_unit(w, text, range)
}

/// The word after `at` and any spaces (empty when none follows): a number's unit.
pub(super) fn word_after(text: &str, at: usize) -> &str {
    let rest = text[at..].trim_start_matches([' ', '\u{A0}']);
    let len = rest
        .find(|c: char| !crate::text::words::is_word_char(c))
        .unwrap_or(rest.len());
    &rest[..len]
}

/// How far back, in bytes, [`cued_sibling_before_the_same_unit`] reads its sentence.
const SIBLING_BYTES: usize = 256;

/// Whether an earlier number of the sentence, with one point, stands before the same word as
/// the number at `range` and is itself near a spec cue: the sentence lists specs (`2 loại
/// động cơ 2.4 lít (cả số sàn và số tự động 6 cấp) và 2.8 lít`, judged DEBATABLE on real
/// news, round 133, where only the first size was left alone).
fn cued_sibling_before_the_same_unit(w: &Words, text: &str, range: &Range<usize>) -> bool {
    let unit = word_after(text, range.end);
    if unit.is_empty() || unit.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let window = crate::text::context::before(text, range.start, SIBLING_BYTES);
    // The sentence as [`cue_near`] reads it: a semicolon parts it too.
    let sentence_start = [". ", "! ", "? ", ";", "\n"]
        .iter()
        .filter_map(|e| window.rfind(e).map(|i| i + e.len()))
        .max()
        .unwrap_or(0);
    let base = range.start - window.len() + sentence_start;
    let sentence = &window[sentence_start..];
    let mut at = 0;
    while let Some(i) = sentence[at..].find(|c: char| c.is_ascii_digit()) {
        let start = at + i;
        let len = sentence[start..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(sentence.len() - start);
        let number = sentence[start..start + len].trim_end_matches('.');
        let glued = sentence[..start].ends_with(crate::text::words::is_word_char);
        let one_point = number.matches('.').count() == 1;
        let sibling = base + start..base + start + number.len();
        if !glued && one_point && word_after(text, sibling.end) == unit && cue_near(w, text, &sibling) {
            return true;
        }
        at = start + len.max(1);
    }
    false
}

/// The number with one point among the three words before `range` in its clause (`1.0` in
/// `từ 1.0 lít đến 1.8`, `1.0` in `1.0-1.8`), where a range's first end stands.
fn number_before(text: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let window = crate::text::context::before(text, range.start, 32);
    // The clause: after the last stop, comma or line break (a point between digits is none).
    let clause_start = window
        .char_indices()
        .rfind(|&(i, c)| {
            matches!(c, ',' | ';' | ':' | '!' | '?' | '\n')
                || c == '.' && window[i + 1..].chars().next().is_none_or(char::is_whitespace)
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    let window = &window[clause_start..];
    let base = range.start - window.len();
    let is_number = |s: &str| {
        s.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
        })
    };
    window
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–'))
        .filter(|t| !t.is_empty())
        .rev()
        .take(3)
        .map(|t| t.trim_matches(|c: char| !c.is_ascii_digit()))
        .find(|t| is_number(t))
        .map(|t| {
            let start = base + (t.as_ptr() as usize - window.as_ptr() as usize);
            start..start + t.len()
        })
}

/// How far before a number a spec cue may stand: `động cơ diesel m-Hawk 2.2 lít` (an engine's
/// make between the cue and its size; judged DEBATABLE on real news, round 116), `động cơ
/// diesel thế hệ mới 1.9 lít` (judged FALSE on real news, round 127).
const CUE_WORDS_BEFORE: usize = 7;

/// [`near_a_spec_cue`] for the number at `range` alone.
fn cue_near(w: &Words, text: &str, range: &Range<usize>) -> bool {
    let clean = |s: &str| s.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let window = crate::text::context::before(text, range.start, 96);
    // Within the sentence (a cue across a comma counts: `động cơ V8, 5.0 lít`).
    let sentence_start = window
        .char_indices()
        .rfind(|&(i, c)| {
            matches!(c, ';' | '!' | '?' | '\n')
                || c == '.' && window[i + 1..].chars().next().is_none_or(char::is_whitespace)
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    let before: Vec<String> = window[sentence_start..]
        .split_whitespace()
        .rev()
        .take(CUE_WORDS_BEFORE)
        .map(clean)
        .collect();
    let after: Vec<String> = crate::text::context::after(text, range.end, 64)
        .split_whitespace()
        .take(2)
        .map(clean)
        .collect();
    // Cues of several words (`dung tích`, `cách mạng công nghiệp`) are matched as whole words
    // in the words before, in their order.
    let joined = format!(
        " {} ",
        before.iter().rev().map(String::as_str).collect::<Vec<_>>().join(" ")
    );
    w.spec
        .iter()
        .any(|cue| joined.contains(&format!(" {cue} ")) || after.contains(cue))
}

/// Whether one of `words` follows `end` (after spaces) as a whole word.
pub(super) fn word_follows(text: &str, end: usize, words: &[String]) -> bool {
    let rest = text[end..].trim_start_matches([' ', '\u{A0}']);
    words.iter().any(|w| {
        rest.strip_prefix(w.as_str()).is_some_and(|after| {
            after
                .chars()
                .next()
                .is_none_or(|c| !crate::text::words::is_word_char(c))
        })
    })
}

/// `150.00 đồng` (thousands separator `t`): one to three digits, the separator and two digits
/// before a currency without decimals (not before `đồng nghĩa`, `đồng thời`): the amount as it
/// most likely was (`150.000`). So with four digits (`800.0000 đồng`, judged on real news,
/// round 60: read as a decimal, the fix wrote `800,0000`): a group with a digit too many
/// (`800.000`). Two zeros (`382.00 tấn`) are such a group before any unit.
pub(super) fn short_thousands_group(w: &Words, text: &str, range: &Range<usize>, t: char) -> Option<String> {
    let token = &text[range.clone()];
    let after = words_after(text, range);
    let (lead, tail) = token.split_once(t)?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !is_lead(lead) || !matches!(tail.len(), 2 | 4) || !digits(lead) || !digits(tail) || lead.starts_with('0') {
        return None;
    }
    // Two zeros after the point before any unit (`382.00 tấn`, `1.00USD`, judged FALSE on real
    // news, rounds 63 and 64: made `382,00 tấn`) are a group that lost a digit too: news writes
    // no decimals of zeros, but for scores (`25.00 điểm` beside `25,00`: judged FALSE on real
    // news, round 122, read as `25.000`).
    if !word_follows(text, after, &w.whole_currency) && (tail != "00" || word_follows(text, after, &w.score)) {
        return None;
    }
    let rest = text[after..].trim_start_matches([' ', '\u{A0}']);
    let unit_end = text.len() - rest.len()
        + rest
            .find(|c: char| !crate::text::words::is_word_char(c))
            .unwrap_or(rest.len());
    let unit = &text[text.len() - rest.len()..unit_end];
    if crate::text::compounds::syllable_after(text, unit_end)
        .is_some_and(|next| crate::text::compounds::is_builtin_compound(&unit.to_lowercase(), &next.to_lowercase()))
    {
        return None;
    }
    Some(if tail.len() == 2 {
        format!("{token}0")
    } else {
        token[..token.len() - 1].to_string()
    })
}

pub(super) fn is_group(s: &str) -> bool {
    s.len() == 3
}

pub(super) fn is_lead(s: &str) -> bool {
    (1..=3).contains(&s.len())
}

/// Judges a number token (digits with `.`/`,`) in front of a unit.
pub(super) fn judge_number(token: &str, t: char, d: char, countable: bool, magnitude: bool) -> NumberVerdict {
    let seps: Vec<char> = token.chars().filter(|c| !c.is_ascii_digit()).collect();
    if seps.is_empty() || seps.iter().any(|&c| c != t && c != d) {
        return NumberVerdict::Fine;
    }
    let parts: Vec<&str> = token.split([t, d]).collect();
    let last = parts[parts.len() - 1];
    let all_t = seps.iter().all(|&c| c == t);
    let all_d = seps.iter().all(|&c| c == d);
    let groups_ok = |ps: &[&str]| is_lead(ps[0]) && ps[1..].iter().all(|p| is_group(p));
    let swap = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c == t {
                    d
                } else if c == d {
                    t
                } else {
                    c
                }
            })
            .collect()
    };
    if all_t {
        if parts.len() == 2 && (last.len() < 3 || parts[0] == "0" && !is_group(last)) && !countable {
            // `6.5 triệu`, `0.1627g`: a group of one or two digits, or after a zero, cannot be
            // thousands. Four digits or more after another number are a group mistyped
            // (`1.600000 tấn`, judged FALSE on real news, round 78: the fix wrote a decimal,
            // 1.6 tonnes; `1.2060 USD/ounce`, `6.2500 km/h` over baomoi), not a decimal.
            return NumberVerdict::Fix(swap(token), true, "Decimal separator in a number");
        }
        return NumberVerdict::Fine;
    }
    if all_d {
        if parts.len() == 2 {
            if !is_group(last) || !is_lead(parts[0]) {
                return NumberVerdict::Fine;
            }
            return if countable {
                // `9,994 thẻ`: a count has no decimals.
                NumberVerdict::Fix(swap(token), true, "Thousands separator in a number")
            } else if magnitude {
                // `23,146 tỷ USD`, `40,732 tỷ tấn`: in the house's own decimal form this is a
                // decimal, and news writes three decimals before a magnitude (judged on real
                // news: every such finding was false).
                NumberVerdict::Fine
            } else {
                // `500,000 đồng`: most likely thousands, but it may be a decimal.
                NumberVerdict::Ambiguous(swap(token))
            };
        }
        if groups_ok(&parts) {
            // `1,234,567 đồng`: two decimal separators are thousands.
            return NumberVerdict::Fix(swap(token), true, "Thousands separator in a number");
        }
        return NumberVerdict::Fine;
    }
    // Both: `1,234.5` → `1.234,5`.
    let n = seps.len();
    if seps[..n - 1].iter().all(|&c| c == d) && seps[n - 1] == t && groups_ok(&parts[..n]) {
        return NumberVerdict::Fix(swap(token), true, "Thousands and decimal separators in a number");
    }
    NumberVerdict::Fine
}
