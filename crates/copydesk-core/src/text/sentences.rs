//! Sentence splitting, shared by the `sentence`, `capitalization` and `typography` kinds.
//!
//! Unicode's sentence rules (UAX #29, as in `unicode-segmentation`) never break before a
//! lower-case letter, which is exactly the mistake `capital-start` looks for, and they
//! break after `TP.` or `PGS.` when a capital follows. So the splitter works on its own
//! rules: a run of `.`, `!`, `?`, `…` followed by closing quotes or brackets and white
//! space ends a sentence unless
//! - the dot ends one of the language's abbreviations (`TP.`, `PGS.TS.`, `Th.S.`: the
//!   pack's `[pack] sentence-abbreviations`, and a `sentence` rule's own) or an initial
//!   (`Nguyễn V. An`, and `Nguyễn Bích Ng.` when `Ng` is one of the pack's `onsets`); the
//!   pack's `closing-abbreviations` (`v.v.`, `etc.`) end a sentence only when a capital
//!   follows;
//! - the run is an ellipsis and no capital follows (`tôi… không biết`);
//! - a closing quote or bracket stands between the mark and a lower-case word
//!   (`“Đi đâu?” anh hỏi`): the attribution continues the sentence;
//! - the dot follows a list number at the start of a line (`1. mở đầu`).
//!
//! A dot with no white space after it (`81.500`, `TP.HCM`, `v.v`) never ends a sentence,
//! and neither do `:` and `;`. The splitter knows no language's words of its own: with
//! [`Language::none`] only initials, numbers and ellipses keep a dot inside a sentence.

use std::ops::Range;

use crate::document::MASK_CHAR;
use crate::language::{abbreviation_key, Language};
use crate::text::case::lowercase_into;
use crate::text::words::{is_word_char, word_char_at};

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splitter {
    /// The abbreviations (keys) of more than 7 bytes, sorted.
    long: Vec<String>,
    /// The byte length of the longest abbreviation: longer tokens need no lookup.
    longest: usize,
    /// The abbreviations of at most 7 bytes, packed by [`pack`] and sorted: looked up
    /// without hashing.
    short: Vec<u64>,
    /// The closing abbreviations (`v.v`, `etc`), packed or (past 7 bytes) as keys, sorted.
    closing_short: Vec<u64>,
    closing_long: Vec<String>,
    /// Whether every abbreviation is written with ASCII characters and `đ` only.
    plain: bool,
    /// The initials of more than one letter (`Ch`, `Ngh`): the language's onsets that are.
    initials: Vec<String>,
}

/// What the bytes of a token tell about its lower case as an abbreviation key.
enum Quick {
    /// Its lower case, packed.
    Key(u64),
    /// It cannot be an abbreviation.
    No,
    /// Lower-case it to know.
    Unknown,
}

/// The bytes of a string of at most 7 bytes in a `u64`, with its length in the top byte
/// so that `a` and `a\0` differ; `None` for longer strings.
fn pack(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() > 7 {
        return None;
    }
    let mut x = (b.len() as u64) << 56;
    for (i, &c) in b.iter().enumerate() {
        x |= u64::from(c) << (8 * i);
    }
    Some(x)
}

impl Default for Splitter {
    /// The splitter of no language: no abbreviations, one-letter initials only.
    fn default() -> Self {
        Splitter::new(Language::none(), &[])
    }
}

/// `keys` packed (at most 7 bytes) and the rest, each sorted and without repeats.
fn packed_and_long(keys: &[String]) -> (Vec<u64>, Vec<String>) {
    let mut short: Vec<u64> = keys.iter().filter_map(|a| pack(a)).collect();
    short.sort_unstable();
    short.dedup();
    let mut long: Vec<String> = keys.iter().filter(|a| pack(a).is_none()).cloned().collect();
    long.sort_unstable();
    long.dedup();
    (short, long)
}

impl Splitter {
    /// A splitter that knows `language`'s sentence and closing abbreviations and its
    /// onsets of several letters, and `extra` abbreviations (`TP.`, `PGS.TS`, as a rule
    /// writes them).
    pub fn new(language: &Language, extra: &[String]) -> Splitter {
        let abbreviations: Vec<String> = language
            .sentence_abbreviations
            .iter()
            .chain(&language.closing_abbreviations)
            .map(|s| abbreviation_key(s))
            .chain(extra.iter().map(|s| abbreviation_key(s)))
            .filter(|s| !s.is_empty())
            .collect();
        let closing: Vec<String> = language
            .closing_abbreviations
            .iter()
            .map(|s| abbreviation_key(s))
            .filter(|s| !s.is_empty())
            .collect();
        let longest = abbreviations.iter().map(String::len).max().unwrap_or(0);
        let (short, long) = packed_and_long(&abbreviations);
        let (closing_short, closing_long) = packed_and_long(&closing);
        let plain = abbreviations
            .iter()
            .all(|a| a.chars().all(|c| c.is_ascii() || c == 'đ'));
        let mut initials: Vec<String> = language
            .onsets
            .iter()
            .filter(|o| o.chars().nth(1).is_some())
            .cloned()
            .collect();
        initials.sort_unstable();
        initials.dedup();
        Splitter {
            long,
            longest,
            short,
            closing_short,
            closing_long,
            plain,
            initials,
        }
    }

    /// Whether `key` (lower case, without the final dot) is one of the splitter's
    /// abbreviations.
    pub fn is_abbreviation(&self, key: &str) -> bool {
        self.contains(key)
    }

    /// Byte ranges of the sentences of `text`, trimmed of white space, in order.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        // About one sentence in 100 bytes: one allocation for most blocks.
        let mut out = Vec::with_capacity(text.len() / 100 + 2);
        // A line break before a capital, a digit or a bullet ends a caption, a list item or
        // a paragraph of a plain-text export; before a lower-case word it is a wrapped line.
        let mut seg_start = 0;
        for nl in memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()) {
            if line_break_ends_sentence(text, nl + 1) {
                self.split_segment(text, seg_start..nl + 1, &mut out);
                seg_start = nl + 1;
            }
        }
        self.split_segment(text, seg_start..text.len(), &mut out);
        out
    }

    /// Splits `whole[seg]`, pushing ranges of `whole`.
    fn split_segment(&self, whole: &str, seg: Range<usize>, out: &mut Vec<Range<usize>>) {
        let base = seg.start;
        let text = &whole[seg];
        let mut start = 0;
        let mut terminators = Terminators::new(text.as_bytes());
        let mut i = 0;
        // The last scan for a first letter: every character in `from..to` may be skipped,
        // and `found` stands at `to`. Scans that start inside it reuse it, so runs of
        // `... … ...` are read once, not once per terminator.
        let mut memo = LetterMemo::default();
        while let Some(at) = terminators.next_from(i) {
            // The run of terminators.
            let term_start = at;
            let mut j = at;
            let mut dots = 0;
            let mut ellipsis = false;
            let mut strong = false;
            for ch in text[at..].chars() {
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
            // Spaced dots (`. . .`) are an ellipsis too.
            if dots == 1 && !strong && !ellipsis {
                let before_dot = text[..at].strip_suffix(' ').is_some_and(|b| b.ends_with(['.', '…']));
                let after_dot = text[j..].strip_prefix(' ').is_some_and(|a| a.starts_with(['.', '…']));
                ellipsis = before_dot || after_dot;
            }
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
            i = k;
            let next = text[k..].chars().next();
            let boundary = match next {
                None => true,
                Some(n) if !n.is_whitespace() => false,
                Some(_) => {
                    let first = memo.first_letter_after(text, k);
                    let upper = first.is_some_and(|c| c.is_uppercase());
                    let lower_follows = first.is_some_and(|c| c.is_lowercase());
                    if quoted && lower_follows {
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
                push_trimmed(out, whole, base + start..base + k);
                start = k;
            }
        }
        push_trimmed(out, whole, base + start..base + text.len());
    }

    /// Whether a single dot at `dot` followed by white space ends a sentence.
    fn dot_ends_sentence(&self, text: &str, dot: usize, capital_follows: bool) -> bool {
        let before = &text[..dot];
        let token_start = token_start(before);
        let token = before[token_start..].trim_start_matches(|c: char| is_opener(c) && c != '.');
        if token.is_empty() {
            return true;
        }
        // A list number at the start of a line: `1. mở đầu`.
        if token.bytes().all(|b| b.is_ascii_digit()) {
            let line_start = before[..token_start].trim_end_matches([' ', '\t']);
            return !(line_start.is_empty() || line_start.ends_with('\n') || line_start.ends_with('\r'));
        }
        let last_orig = after_last_dot(token);
        // Lower-casing never shortens a string to less than a third of its bytes: longer
        // tokens need no lookup.
        if token.len() <= 3 * self.longest || last_orig.len() <= 3 * self.longest {
            if let Some(closing) = self.abbreviation(token, capital_follows) {
                return closing;
            }
        }
        // An initial of several letters after a name: `Nguyễn Bích Ng.`, `Lê Văn Th.`.
        if token.len() == last_orig.len() && self.initials.iter().any(|i| i == last_orig) {
            let prev = before[..token_start].trim_end_matches([' ', '\t']);
            if crate::text::words::trailing_word(prev)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            {
                return false;
            }
        }
        // An initial: one upper-case letter (`V.`, the `S` of `Th.S`).
        let b = last_orig.as_bytes();
        if b.len() >= 2 && b[b.len() - 1] < 0x80 && b[b.len() - 2] < 0x80 {
            // Two ASCII characters: not one letter.
            return true;
        }
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

    /// For a token that is a known abbreviation (lower-cased, or its part after the last
    /// dot), whether its dot ends the sentence; `None` for other tokens.
    fn abbreviation(&self, token: &str, capital_follows: bool) -> Option<bool> {
        // Most tokens are told by their bytes, without lower-casing them.
        for key in [token, after_last_dot(token)] {
            match self.quick(key) {
                Quick::Key(x) => {
                    if self.short.binary_search(&x).is_ok() {
                        let closing = self.closing_short.binary_search(&x).is_ok();
                        return Some(closing && capital_follows);
                    }
                }
                Quick::No => {}
                Quick::Unknown => return self.abbreviation_slow(token, capital_follows),
            }
        }
        None
    }

    /// The lower-cased key of `s` when its bytes tell it: ASCII and `Đ`/`đ` lower-case to
    /// as many bytes.
    fn quick(&self, s: &str) -> Quick {
        let b = s.as_bytes();
        let mut plain = true;
        let mut kelvin = false;
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                x if x < 0x80 => i += 1,
                0xC4 if matches!(b.get(i + 1), Some(0x90 | 0x91)) => i += 2,
                x => {
                    plain = false;
                    kelvin |= x == 0xE2;
                    i += 1;
                }
            }
        }
        if !plain {
            // Every other character but the Kelvin sign (E2 84 AA) lower-cases to something
            // outside ASCII and `đ`.
            return if self.plain && !kelvin {
                Quick::No
            } else {
                Quick::Unknown
            };
        }
        if b.len() > self.longest {
            return Quick::No;
        }
        if b.len() > 7 {
            return Quick::Unknown;
        }
        let mut x = (b.len() as u64) << 56;
        for (k, &c) in b.iter().enumerate() {
            // `Đ` (C4 90) lower-cases to `đ` (C4 91).
            let c = if c == 0x90 && k > 0 && b[k - 1] == 0xC4 {
                0x91
            } else {
                c.to_ascii_lowercase()
            };
            x |= u64::from(c) << (8 * k);
        }
        Quick::Key(x)
    }

    /// [`Splitter::abbreviation`] for a token whose bytes do not tell its lower case (rare:
    /// a long ASCII token, or a non-ASCII one when a rule file's abbreviations are). The
    /// lower-cased token is a string of its own, not a buffer kept per thread.
    fn abbreviation_slow(&self, token: &str, capital_follows: bool) -> Option<bool> {
        let mut lower = String::new();
        lowercase_into(token, &mut lower);
        let lower = lower.as_str();
        let last = after_last_dot(lower);
        for key in [lower, last] {
            if key.len() <= self.longest && self.contains(key) {
                return Some(self.is_closing(key) && capital_follows);
            }
        }
        None
    }

    fn contains(&self, key: &str) -> bool {
        match pack(key) {
            Some(x) => self.short.binary_search(&x).is_ok(),
            None => self.long.binary_search_by(|a| a.as_str().cmp(key)).is_ok(),
        }
    }

    fn is_closing(&self, key: &str) -> bool {
        match pack(key) {
            Some(x) => self.closing_short.binary_search(&x).is_ok(),
            None => self.closing_long.binary_search_by(|a| a.as_str().cmp(key)).is_ok(),
        }
    }

    /// Byte offsets where the first word of each sentence starts. Sentences that begin
    /// with masked, non-prose text (inline code, a link target) are left out.
    pub fn sentence_starts(&self, text: &str) -> Vec<usize> {
        starts_of(text, &self.split(text))
    }
}

/// Where the first word of each of `sentences` (of `text`, as [`Splitter::split`] gives
/// them) starts, leaving out sentences that begin with masked text.
pub fn starts_of(text: &str, sentences: &[Range<usize>]) -> Vec<usize> {
    sentences
        .iter()
        .filter_map(|r| first_word(text, r.clone()).map(|w| w.start))
        .collect()
}

/// Where the token that ends `before` starts: after its last white space or masked
/// character.
fn token_start(before: &str) -> usize {
    let b = before.as_bytes();
    let mut i = b.len();
    while i > 0 {
        let x = b[i - 1];
        if x < 0x80 {
            if x == b' ' || (0x09..=0x0D).contains(&x) || x == 0x1A {
                return i;
            }
            i -= 1;
            continue;
        }
        // Back to the start of the character.
        let mut j = i - 1;
        while b[j] & 0xC0 == 0x80 {
            j -= 1;
        }
        if before[j..i].chars().next().is_some_and(char::is_whitespace) {
            return i;
        }
        i = j;
    }
    0
}

/// The part of `s` after its last `.` (all of `s` if there is none).
fn after_last_dot(s: &str) -> &str {
    match s.as_bytes().iter().rposition(|&b| b == b'.') {
        Some(p) => &s[p + 1..],
        None => s,
    }
}

/// Finds the sentence terminators `.`, `!`, `?` and `…` with byte searches.
struct Terminators<'a> {
    bytes: &'a [u8],
    /// The first `…` at or after the last search start, if any (`usize::MAX`: none left).
    ellipsis: Option<usize>,
}

impl<'a> Terminators<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Terminators { bytes, ellipsis: None }
    }

    /// The offset of the first terminator at or after `from`.
    fn next_from(&mut self, from: usize) -> Option<usize> {
        let rest = self.bytes.get(from..)?;
        // memchr rather than `str::find` of the four: the `sentence` kind took +143-248 %
        // on Dân trí without it (issue 13, dup15).
        let ascii = memchr::memchr3(b'.', b'!', b'?', rest).map(|p| from + p);
        let ellipsis = match self.ellipsis {
            Some(p) if p >= from => p,
            _ => {
                let p = FIND_ELLIPSIS.find(rest).map_or(usize::MAX, |p| from + p);
                self.ellipsis = Some(p);
                p
            }
        };
        match ascii {
            Some(a) if a < ellipsis => Some(a),
            _ if ellipsis != usize::MAX => Some(ellipsis),
            _ => None,
        }
    }
}

/// A searcher for `…`, built once.
static FIND_ELLIPSIS: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("…".as_bytes()));

fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, r: Range<usize>) {
    // `str::trim`, with the ASCII white space told by its bytes.
    let b = text.as_bytes();
    let ascii_space = |x: u8| x == b' ' || (0x09..=0x0D).contains(&x);
    let (mut start, mut end) = (r.start, r.end);
    while start < end {
        let x = b[start];
        if ascii_space(x) {
            start += 1;
        } else if x < 0x80 {
            break;
        } else {
            match text[start..end].chars().next() {
                Some(c) if c.is_whitespace() => start += c.len_utf8(),
                _ => break,
            }
        }
    }
    while end > start {
        let x = b[end - 1];
        if ascii_space(x) {
            end -= 1;
        } else if x < 0x80 {
            break;
        } else {
            match text[start..end].chars().next_back() {
                Some(c) if c.is_whitespace() => end -= c.len_utf8(),
                _ => break,
            }
        }
    }
    if start < end {
        out.push(start..end);
    }
}

/// Whether a line break ends a sentence, from what starts the next line (`at`): a
/// capital, a digit or a bullet does; a lower-case letter (a wrapped line), a blank line
/// or the end of the text does not. Reads a few characters at most.
fn line_break_ends_sentence(text: &str, at: usize) -> bool {
    for c in text[at..].chars().take(8) {
        if c == ' ' || c == '\t' || c == MASK_CHAR || (is_opener(c) && !matches!(c, '-' | '–' | '—' | '•' | '*'))
        {
            continue;
        }
        return !(c.is_lowercase() || c == '\n' || c == '\r');
    }
    false
}

/// The first letter after an offset, skipping white space, opening quotes and brackets;
/// the last scan is kept (see `split_segment`).
#[derive(Default)]
struct LetterMemo {
    from: usize,
    to: usize,
    found: Option<char>,
    valid: bool,
}

impl LetterMemo {
    fn first_letter_after(&mut self, text: &str, at: usize) -> Option<char> {
        if self.valid && self.from <= at && at <= self.to {
            return self.found;
        }
        let mut to = text.len();
        let mut found = None;
        for (i, c) in text[at..].char_indices() {
            if c.is_whitespace() || is_opener(c) || c == MASK_CHAR {
                continue;
            }
            to = at + i;
            found = c.is_alphabetic().then_some(c);
            break;
        }
        *self = LetterMemo {
            from: at,
            to,
            found,
            valid: true,
        };
        found
    }
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
        // The word goes on while word characters do (as `words` reads it).
        let start = range.start + i;
        let mut end = start + c.len_utf8();
        while end < range.end {
            let (word, len) = word_char_at(text, end);
            if !word {
                break;
            }
            end += len;
        }
        return Some(start..end);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The splitter of the `vi-news` pack's language.
    fn vi() -> Splitter {
        Splitter::new(&crate::pack::vi_news_language(), &[])
    }

    fn sentences(text: &str) -> Vec<&str> {
        vi().split(text).into_iter().map(|r| &text[r]).collect()
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
    fn line_breaks_initials_and_spaced_dots() {
        // A caption or a list item ends at the line break; a wrapped line does not.
        assert_eq!(
            sentences("Ông Hùng phát biểu tại hội nghị\nHội nghị kéo dài hai ngày"),
            ["Ông Hùng phát biểu tại hội nghị", "Hội nghị kéo dài hai ngày"]
        );
        assert_eq!(
            sentences("Giá lúa tăng\n- 5% so với\r\nnăm ngoái"),
            ["Giá lúa tăng", "- 5% so với\r\nnăm ngoái"]
        );
        assert_eq!(
            sentences("Ông Hùng phát biểu\ntại hội nghị."),
            ["Ông Hùng phát biểu\ntại hội nghị."]
        );
        // An initial after a name is not a sentence end.
        assert_eq!(
            sentences("Theo bà Nguyễn Bích Ng. cho biết, giá tăng. Sau đó"),
            ["Theo bà Nguyễn Bích Ng. cho biết, giá tăng.", "Sau đó"]
        );
        assert_eq!(sentences("Anh đi Ng. Hôm sau"), ["Anh đi Ng.", "Hôm sau"]);
        // Spaced dots are an ellipsis.
        assert_eq!(
            sentences("Chờ mãi . . . và rồi đi. Xong"),
            ["Chờ mãi . . . và rồi đi.", "Xong"]
        );
    }

    #[test]
    fn runs_of_ellipses_split_in_linear_time() {
        // Each terminator used to rescan everything after it: about 10^11 steps here.
        let text = "... … ".repeat(200_000);
        let t = std::time::Instant::now();
        let n = sentences(&text).len();
        assert!(n > 0);
        assert!(t.elapsed() < std::time::Duration::from_secs(20), "{:?}", t.elapsed());
        let text = format!("Một{}", " .".repeat(500_000));
        let t = std::time::Instant::now();
        sentences(&text);
        assert!(t.elapsed() < std::time::Duration::from_secs(20), "{:?}", t.elapsed());
    }

    #[test]
    fn configured_abbreviations_count() {
        let s = Splitter::new(Language::none(), &["Tx.".to_string(), "ĐH.".to_string()]);
        let t = "Học ĐH. Bách khoa.";
        assert_eq!(s.split(t).len(), 1);
    }

    /// The abbreviations, closing abbreviations and initials of several letters are the
    /// pack's (`[pack] sentence-abbreviations`, `closing-abbreviations`, `onsets`); the
    /// splitter knows none of its own.
    #[test]
    fn language_words_come_from_the_pack() {
        let split = |s: &Splitter, t: &str| s.split(t).len();
        let none = Splitter::default();
        let vi = vi();
        // No language: the dot after `TP`, `v.v` or a name's `Ng` ends a sentence; a
        // one-letter initial does not.
        for t in [
            "Ông về TP. Huế hôm qua.",
            "Gạo, muối v.v. và rau.",
            "Bà Nguyễn Bích Ng. cho biết.",
        ] {
            assert_eq!((split(&none, t), split(&vi, t)), (2, 1), "{t}");
        }
        assert_eq!(split(&none, "Ông Nguyễn V. An đến."), 1);
        // A closing abbreviation ends a sentence before a capital, in either.
        assert_eq!(split(&vi, "Gạo, muối v.v. Hôm sau về."), 2);
        assert_eq!(split(&none, "Gạo, muối v.v. Hôm sau về."), 2);
        // An English word list does the same job.
        let en = Language {
            sentence_abbreviations: vec!["mr".into(), "dr".into()],
            closing_abbreviations: vec!["etc".into()],
            ..Default::default()
        };
        let en = Splitter::new(&en, &[]);
        assert_eq!(split(&en, "Then Mr. Smith and Dr. Jones came."), 1);
        assert_eq!(split(&none, "Then Mr. Smith and Dr. Jones came."), 3);
        assert_eq!(split(&en, "Pens, paper etc. and ink. Then"), 2);
        assert_eq!(split(&en, "Pens, paper etc. Then ink."), 2);
        assert!(en.is_abbreviation("mr") && en.is_abbreviation("etc") && !en.is_abbreviation("tp"));
        assert!(vi.is_abbreviation("tp") && vi.is_abbreviation("v.v") && !none.is_abbreviation("tp"));
        // Splitters of the same words are equal whatever their order, so kinds can share one.
        let mut reversed = crate::pack::vi_news_language();
        reversed.sentence_abbreviations.reverse();
        reversed.onsets.reverse();
        assert_eq!(Splitter::new(&reversed, &[]), vi);
        assert_ne!(vi, none);
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, failure_persistence: None, ..Default::default() })]
        /// The memchr search for terminators finds what `str::find` of the four finds, from
        /// increasing starts, as the splitter asks (it remembers the next `…`).
        #[test]
        fn terminators_are_found_as_str_find_finds_them(
            t in "[a.!?…\u{2026}\u{2025}\u{22EF}ế ]{0,40}",
            mut starts in proptest::collection::vec(0usize..48, 1..6),
        ) {
            starts.sort_unstable();
            let mut terminators = Terminators::new(t.as_bytes());
            for from in starts.into_iter().filter(|&f| t.is_char_boundary(f.min(t.len()))) {
                let expected = t.get(from..).and_then(|r| r.find(is_terminator)).map(|p| from + p);
                proptest::prop_assert_eq!(terminators.next_from(from), expected, "{:?} from {}", t, from);
            }
        }
    }

    #[test]
    fn byte_level_token_starts_and_trims_agree_with_the_library() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for t in [
                format!("a{c}b"),
                format!("{c}"),
                format!("{c} x{c}"),
                format!("x{c}{c}"),
            ] {
                let expected = t
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| c.is_whitespace() || c == MASK_CHAR)
                    .map_or(0, |(p, c)| p + c.len_utf8());
                assert_eq!(token_start(&t), expected, "U+{:04X}", c as u32);
                let mut out = Vec::new();
                push_trimmed(&mut out, &t, 0..t.len());
                let trimmed = t.trim();
                if trimmed.is_empty() {
                    assert!(out.is_empty(), "U+{:04X}", c as u32);
                } else {
                    let start = t.len() - t.trim_start().len();
                    assert_eq!(out.len(), 1, "U+{:04X}", c as u32);
                    assert_eq!(out[0], start..start + trimmed.len(), "U+{:04X}", c as u32);
                }
            }
        }
        let s = Splitter::new(
            &crate::pack::vi_news_language(),
            &["Σ.ΣΣ".to_string(), "ĐH.QG".to_string(), "abcdefgh".to_string()],
        );
        for key in ["σ.σς", "đh.qg", "abcdefgh", "tp", "đ/c"] {
            assert!(s.contains(key), "{key}");
        }
        for key in ["abcdefg", "t", "tp\0", "abcdefghi"] {
            assert!(!s.contains(key), "{key}");
        }
    }

    #[test]
    fn only_the_kelvin_sign_and_d_with_stroke_lower_case_into_plain_keys() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let plain = c.to_lowercase().all(|l| l.is_ascii() || l == 'đ');
            assert_eq!(plain, matches!(c, 'Đ' | 'đ' | '\u{212A}'), "U+{:04X}", c as u32);
        }
        let s = vi();
        for (token, expected) in [
            ("TP", true),
            ("Tp", true),
            ("ĐH", false),
            ("SĐD", true),
            ("\u{212A}S", true),
        ] {
            assert_eq!(s.abbreviation(token, false).is_some(), expected, "{token}");
        }
        assert_eq!(s.abbreviation("V.V", true), Some(true));
        assert_eq!(s.abbreviation("PGS.TS", true), Some(false));
    }
}
