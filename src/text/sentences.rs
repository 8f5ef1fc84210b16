//! Vietnamese-aware sentence splitting, shared by the `sentence`, `capitalization` and
//! `typography` kinds.
//!
//! Unicode's sentence rules (UAX #29, as in `unicode-segmentation`) never break before a
//! lower-case letter, which is exactly the mistake `capital-start` looks for, and they
//! break after `TP.` or `PGS.` when a capital follows. So the splitter works on its own
//! rules: a run of `.`, `!`, `?`, `…` followed by closing quotes or brackets and white
//! space ends a sentence unless
//! - the dot ends an abbreviation (`TP.`, `PGS.TS.`, `Th.S.`, configurable) or an initial
//!   (`Nguyễn V. An`); `v.v.` and `etc.` end a sentence only when a capital follows;
//! - the run is an ellipsis and no capital follows (`tôi… không biết`);
//! - a closing quote or bracket stands between the mark and a lower-case word
//!   (`“Đi đâu?” anh hỏi`): the attribution continues the sentence;
//! - the dot follows a list number at the start of a line (`1. mở đầu`).
//!
//! A dot with no white space after it (`81.500`, `TP.HCM`, `v.v`) never ends a sentence,
//! and neither do `:` and `;`.

use std::collections::HashSet;
use std::ops::Range;

use crate::document::MASK_CHAR;
use crate::text::words::{is_word_char, words};

/// Abbreviations (lower case, without the final dot) after which a dot does not end a
/// sentence.
pub const BUILTIN_ABBREVIATIONS: &[&str] = &[
    "tp", "tt", "tx", "q", "p", "pgs", "gs", "ts", "ths", "th", "bs", "ks", "cn", "ncs", "mr", "mrs", "ms", "dr", "st",
    "prof", "tr", "nxb", "sđd", "ibid", "v.v", "vv", "etc", "gđ", "tgđ", "đ/c",
];

/// Abbreviations that usually close an enumeration: they end a sentence when a capital
/// follows.
const CLOSING_ABBREVIATIONS: &[&str] = &["v.v", "vv", "etc"];

/// Exact reduplications that are ordinary Vietnamese, not typing slips (lower case).
pub const BUILTIN_REPEATS: &[&str] = &[
    "từ",
    "ngày",
    "đêm",
    "người",
    "nhà",
    "xa",
    "lâu",
    "thường",
    "đâu",
    "ai",
    "mãi",
    "năm",
    "tháng",
    "đời",
    "kiếp",
    "chiều",
    "sáng",
    "tối",
    "rất",
    "vừa",
    "ha",
    "hi",
    "hì",
    "hà",
    "he",
    "khà",
    "ầm",
    "ào",
    "rào",
    "đùng",
    "rầm",
    "đều",
    "lù",
    "sờ",
    "rành",
    "khư",
    "chằm",
    "đăm",
    "lom",
    "ùn",
    "bon",
    "vù",
    "ù",
    "vo",
    "rì",
    "xanh",
    "đỏ",
    "trắng",
    "cao",
    "là",
    "tầng",
    "lớp",
    "hàng",
    "đoàn",
    "ngành",
    "nơi",
    "chốn",
    "mỗi",
    "ngoan",
    "khe",
    "cứ",
    "dần",
    "lăm",
    "hằm",
    "phăm",
    "thình",
    "bùm",
    "tùng",
    "cốc",
    "đúng",
    "chắc",
    "nhanh",
    "chầm",
    "bye",
    "no",
    "cha",
];

/// Characters that close a quotation or a parenthesis.
pub fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}')
}

/// Characters that may stand before the first word of a sentence.
pub fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '‘'
            | '«'
            | '‹'
            | '„'
            | '('
            | '['
            | '{'
            | '-'
            | '–'
            | '—'
            | '•'
            | '*'
            | '_'
            | '…'
            | '.'
    )
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Splits text into sentences.
#[derive(Debug, Clone)]
pub struct Splitter {
    abbreviations: HashSet<String>,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::new(&[])
    }
}

/// Normalizes an abbreviation as written in a rule file (`TP.`, `PGS.TS`) to the key
/// the splitter compares with: lower case, without the final dot.
fn abbreviation_key(s: &str) -> String {
    s.trim().trim_end_matches('.').to_lowercase()
}

impl Splitter {
    /// A splitter that knows the built-in abbreviations and `extra` ones (`TP.`, `PGS.TS`).
    pub fn new(extra: &[String]) -> Splitter {
        let mut abbreviations: HashSet<String> = BUILTIN_ABBREVIATIONS.iter().map(|s| s.to_string()).collect();
        abbreviations.extend(extra.iter().map(|s| abbreviation_key(s)).filter(|s| !s.is_empty()));
        Splitter { abbreviations }
    }

    /// Byte ranges of the sentences of `text`, trimmed of white space, in order.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < text.len() {
            let Some(c) = text[i..].chars().next() else { break };
            if !is_terminator(c) {
                i += c.len_utf8();
                continue;
            }
            // The run of terminators.
            let term_start = i;
            let mut j = i;
            let mut dots = 0;
            let mut ellipsis = false;
            let mut strong = false;
            for ch in text[i..].chars() {
                if !is_terminator(ch) {
                    break;
                }
                match ch {
                    '.' => dots += 1,
                    '…' => ellipsis = true,
                    _ => strong = true,
                }
                j += ch.len_utf8();
            }
            ellipsis |= dots >= 2;
            // Closing quotes, brackets and masked markup.
            let mut k = j;
            let mut quoted = false;
            for ch in text[j..].chars() {
                if is_closer(ch) {
                    quoted = true;
                } else if ch != MASK_CHAR {
                    break;
                }
                k += ch.len_utf8();
            }
            i = k.max(j);
            let next = text[k..].chars().next();
            let boundary = match next {
                None => true,
                Some(n) if !n.is_whitespace() => false,
                Some(_) => {
                    let first = first_letter_after(text, k);
                    let upper = first.is_some_and(|c| c.is_uppercase());
                    let lower = first.is_some_and(|c| c.is_lowercase());
                    if quoted && lower {
                        false
                    } else if ellipsis {
                        upper || first.is_none()
                    } else if strong {
                        true
                    } else {
                        self.dot_ends_sentence(text, term_start, upper)
                    }
                }
            };
            if boundary {
                push_trimmed(&mut out, text, start..k);
                start = k;
            }
        }
        push_trimmed(&mut out, text, start..text.len());
        out
    }

    /// Whether a single dot at `dot` followed by white space ends a sentence.
    fn dot_ends_sentence(&self, text: &str, dot: usize, capital_follows: bool) -> bool {
        let before = &text[..dot];
        let token_start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace() || c == MASK_CHAR)
            .map_or(0, |(p, c)| p + c.len_utf8());
        let token = before[token_start..].trim_start_matches(|c: char| is_opener(c) && c != '.');
        if token.is_empty() {
            return true;
        }
        // A list number at the start of a line: `1. mở đầu`.
        if token.chars().all(|c| c.is_ascii_digit()) {
            let line_start = before[..token_start].trim_end_matches([' ', '\t']);
            return !(line_start.is_empty() || line_start.ends_with('\n') || line_start.ends_with('\r'));
        }
        let lower = token.to_lowercase();
        let last = lower.rsplit('.').next().unwrap_or(&lower);
        for key in [lower.as_str(), last] {
            if self.abbreviations.contains(key) {
                return CLOSING_ABBREVIATIONS.contains(&key) && capital_follows;
            }
        }
        // An initial: one upper-case letter (`V.`, the `S` of `Th.S`).
        let last_orig = token.rsplit('.').next().unwrap_or(token);
        let mut letters = last_orig
            .chars()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c));
        if let (Some(c), None) = (letters.next(), letters.next()) {
            if c.is_uppercase() {
                return false;
            }
        }
        true
    }

    /// Byte offsets where the first word of each sentence starts. Sentences that begin
    /// with masked, non-prose text (inline code, a link target) are left out.
    pub fn sentence_starts(&self, text: &str) -> Vec<usize> {
        self.split(text)
            .into_iter()
            .filter_map(|r| first_word(text, r).map(|w| w.start))
            .collect()
    }
}

fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, r: Range<usize>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

/// The first letter after `at`, skipping white space, opening quotes and brackets.
fn first_letter_after(text: &str, at: usize) -> Option<char> {
    for c in text[at..].chars() {
        if c.is_whitespace() || is_opener(c) || c == MASK_CHAR {
            continue;
        }
        return c.is_alphabetic().then_some(c);
    }
    None
}

/// The first word of `text[range]`: after white space, opening quotes, brackets,
/// dashes and markup. `None` when the sentence starts with something that is not a
/// word, or with masked text followed by a space (inline code: not prose).
pub fn first_word(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let mut masked = false;
    for (i, c) in s.char_indices() {
        if c == MASK_CHAR {
            masked = true;
            continue;
        }
        if c.is_whitespace() {
            if masked {
                return None;
            }
            continue;
        }
        if is_opener(c) {
            continue;
        }
        if !is_word_char(c) {
            return None;
        }
        let w = words(&s[i..]).next()?;
        return Some(range.start + i + w.start..range.start + i + w.end);
    }
    None
}

/// Pairs of adjacent, equal words separated by exactly one space: `(first, second)`.
/// Comparison ignores case; words with digits and allowed repeats are skipped.
pub fn repeated_words(text: &str, allowed: &HashSet<String>) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut prev: Option<(Range<usize>, String)> = None;
    for w in words(text) {
        let word = &text[w.clone()];
        let lower = word.to_lowercase();
        if let Some((p, plower)) = &prev {
            if p.end + 1 == w.start
                && text.as_bytes()[p.end] == b' '
                && *plower == lower
                && word.chars().any(char::is_alphabetic)
                && !word.chars().any(|c| c.is_numeric())
                && !is_allowed_repeat(&lower, allowed)
            {
                out.push((p.clone(), w.clone()));
            }
        }
        prev = Some((w, lower));
    }
    out
}

fn is_allowed_repeat(lower: &str, allowed: &HashSet<String>) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let nfc: String = lower.nfc().collect();
    BUILTIN_REPEATS.contains(&nfc.as_str()) || allowed.contains(&nfc)
}

/// Lower-cased NFC forms of user-given allowed repeats (`từ từ` or just `từ`).
pub fn allowed_repeat_set(list: &[String]) -> HashSet<String> {
    use unicode_normalization::UnicodeNormalization;
    list.iter()
        .filter_map(|s| s.split_whitespace().next())
        .map(|s| s.to_lowercase().nfc().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        Splitter::default().split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn abbreviations_initials_and_numbers_do_not_end_sentences() {
        assert_eq!(
            sentences("PGS.TS. Nguyễn V. An đến TP. Huế. Giá 1.500 đồng."),
            ["PGS.TS. Nguyễn V. An đến TP. Huế.", "Giá 1.500 đồng."]
        );
        assert_eq!(
            sentences("Th.S. Lan về TP.HCM. Sau đó"),
            ["Th.S. Lan về TP.HCM.", "Sau đó"]
        );
        assert_eq!(sentences("gạo, muối v.v. và rau"), ["gạo, muối v.v. và rau"]);
        assert_eq!(sentences("gạo, muối v.v. Hôm sau"), ["gạo, muối v.v.", "Hôm sau"]);
    }

    #[test]
    fn lower_case_after_a_dot_is_a_new_sentence_but_not_after_quotes_or_ellipsis() {
        assert_eq!(sentences("Tôi đi. anh về"), ["Tôi đi.", "anh về"]);
        assert_eq!(sentences("“Đi đâu?” anh hỏi. Rồi"), ["“Đi đâu?” anh hỏi.", "Rồi"]);
        assert_eq!(sentences("tôi… không biết… Rồi"), ["tôi… không biết…", "Rồi"]);
        assert_eq!(sentences("Gồm: a; b. C"), ["Gồm: a; b.", "C"]);
    }

    #[test]
    fn configured_abbreviations_count() {
        let s = Splitter::new(&["Tx.".to_string(), "ĐH.".to_string()]);
        let t = "Học ĐH. Bách khoa.";
        assert_eq!(s.split(t).len(), 1);
    }

    #[test]
    fn first_words_skip_quotes_and_markup_but_not_code() {
        let t = "“tôi đi”";
        assert_eq!(first_word(t, 0..t.len()).map(|r| &t[r]), Some("tôi"));
        let t = "\u{1A}\u{1A}tôi";
        assert_eq!(first_word(t, 0..t.len()).map(|r| &t[r]), Some("tôi"));
        let t = "\u{1A}\u{1A} là";
        assert_eq!(first_word(t, 0..t.len()), None);
    }

    #[test]
    fn repeats() {
        let none = HashSet::new();
        let t = "tổ Tổ chức từ từ 2 2";
        let r = repeated_words(t, &none);
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].1.clone()], "Tổ");
    }
}
