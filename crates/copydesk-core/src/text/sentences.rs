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
use crate::text::bytes::decode;
use crate::text::case::{eq_lowercase, lowercase_into, simple_lower_code};
use crate::text::words::{is_alphabetic, is_word_char, word_char_at};

/// Abbreviations (lower case, without the final dot) after which a dot does not end a
/// sentence.
pub const BUILTIN_ABBREVIATIONS: &[&str] = &[
    "tp", "tt", "tx", "q", "p", "pgs", "gs", "ts", "ths", "th", "bs", "ks", "cn", "ncs", "mr", "mrs", "ms", "dr", "st",
    "prof", "tr", "nxb", "sđd", "ibid", "v.v", "vv", "etc", "gđ", "tgđ", "đ/c",
    // company forms in English names (`Walt Disney Co. để …`) and circa (`c. năm 1954`),
    // judged on real news
    "co", "inc", "ltd", "corp", "jr", "c", "ca",
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
    // Kinship words of Chinese stories and show titles (`Tỷ tỷ đạp gió rẽ sóng`).
    "tỷ",
    "muội",
    "ca",
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splitter {
    abbreviations: HashSet<String>,
    /// The byte length of the longest abbreviation: longer tokens need no lookup.
    longest: usize,
    /// The abbreviations of at most 7 bytes, packed by [`pack`] and sorted: looked up
    /// without hashing.
    short: Vec<u64>,
    /// Whether every abbreviation is written with ASCII characters and `đ` only.
    plain: bool,
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
    /// The splitter of the built-in abbreviations alone, built once.
    pub fn builtin() -> &'static Splitter {
        static BUILTIN: std::sync::LazyLock<Splitter> = std::sync::LazyLock::new(Splitter::default);
        &BUILTIN
    }

    /// A splitter that knows the built-in abbreviations and `extra` ones (`TP.`, `PGS.TS`).
    pub fn new(extra: &[String]) -> Splitter {
        let mut abbreviations: HashSet<String> = BUILTIN_ABBREVIATIONS.iter().map(|s| s.to_string()).collect();
        abbreviations.extend(extra.iter().map(|s| abbreviation_key(s)).filter(|s| !s.is_empty()));
        let longest = abbreviations.iter().map(String::len).max().unwrap_or(0);
        let mut short: Vec<u64> = abbreviations.iter().filter_map(|a| pack(a)).collect();
        short.sort_unstable();
        let plain = abbreviations
            .iter()
            .all(|a| a.chars().all(|c| c.is_ascii() || c == 'đ'));
        Splitter {
            abbreviations,
            longest,
            short,
            plain,
        }
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
        // A Vietnamese initial after a name: `Nguyễn Bích Ng.`, `Lê Văn Th.`.
        if is_initial_cluster(last_orig) && token.len() == last_orig.len() {
            let prev = before[..token_start].trim_end_matches([' ', '\t']);
            let word_start = prev
                .char_indices()
                .rev()
                .take_while(|&(_, c)| is_word_char(c))
                .last()
                .map_or(prev.len(), |(i, _)| i);
            if prev[word_start..].chars().next().is_some_and(char::is_uppercase) {
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
                        let closing = CLOSING_ABBREVIATIONS.iter().any(|c| pack(c) == Some(x));
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

    fn abbreviation_slow(&self, token: &str, capital_follows: bool) -> Option<bool> {
        thread_local! {
            static LOWER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        LOWER.with(|lower| {
            let mut lower = lower.borrow_mut();
            lowercase_into(token, &mut lower);
            let lower = lower.as_str();
            let last = after_last_dot(lower);
            for key in [lower, last] {
                if key.len() <= self.longest && self.contains(key) {
                    return Some(CLOSING_ABBREVIATIONS.contains(&key) && capital_follows);
                }
            }
            None
        })
    }

    fn contains(&self, key: &str) -> bool {
        match pack(key) {
            Some(x) => self.short.binary_search(&x).is_ok(),
            None => self.abbreviations.contains(key),
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

/// The consonant clusters that begin Vietnamese syllables, written as an initial.
fn is_initial_cluster(s: &str) -> bool {
    matches!(
        s,
        "Ch" | "Gh" | "Gi" | "Kh" | "Ng" | "Ngh" | "Nh" | "Ph" | "Qu" | "Th" | "Tr"
    )
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

/// Pairs of adjacent, equal words separated by exactly one space: `(first, second)`.
/// Comparison ignores case; words with digits and allowed repeats are skipped.
///
/// One pass over the bytes: most bytes are letters, skipped with one table look-up; at
/// each space the word before it is known, and the first letters of the two words decide
/// whether the word after it is read at all.
pub fn repeated_words(text: &str, allowed: &HashSet<String>) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let n = b.len();
    // Where the run of word characters that ends at `i` starts (`i` when there is none).
    let mut word_start = 0;
    let mut i = 0;
    loop {
        while i < n && REPEAT_CLASS[usize::from(b[i])] == R_WORD {
            i += 1;
        }
        let Some(&x) = b.get(i) else { break };
        let class = REPEAT_CLASS[usize::from(x)];
        if class == R_SPACE {
            if word_start < i && i + 1 < n {
                repeated_pair(text, word_start..i, allowed, &mut out);
            }
            i += 1;
            word_start = i;
            continue;
        }
        if class == R_OTHER {
            i += 1;
            word_start = i;
            continue;
        }
        // Vietnamese letters outside U+0100..U+033F: skipped without decoding.
        let next = b.get(i + 1).copied().unwrap_or(0);
        if (class == R_E1 && next & 0xFC == 0xB8) || (class == R_C3 && next != 0x97 && next != 0xB7) {
            i += 2;
            continue;
        }
        let (word, len) = word_char_at(text, i);
        i += len;
        if !word {
            word_start = i;
        }
    }
    out
}

/// The [repeated words](repeated_words) that are likely typing slips rather than
/// reduplications: a function word doubled (`của của`, `đã đã`), or a syllable doubled
/// before the rest of its compound (`tổ tổ chức`). Doubled content syllables are most often
/// reduplications (`vui vui`, `cay cay`, `quẫy quẫy`), which no list can hold in full; on
/// real news three of four such findings were false.
pub fn likely_typo_repeats(text: &str, allowed: &HashSet<String>) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = repeated_words(text, allowed);
    let upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    out.retain(|(first, second)| {
        let word = &text[first.clone()];
        // A capital inside a sentence starts or ends a name, then the same syllable follows
        // as a word: `Hòa Phát phát huy`, `ngành Kỹ thuật Điện điện tử` (the comma of
        // `Điện, điện tử` is missing: deleting `Điện` would rename the course).
        if upper(word)
            && !upper(&text[second.clone()])
            && crate::text::compounds::syllable_before(text, first.start).is_some()
        {
            return false;
        }
        // `ra ra vào vào`: a reduplicated pair (AABB, A ≠ B), not a slip (judged on real
        // news); `và và và và` stays a slip.
        let lower = word.to_lowercase();
        let next = crate::text::compounds::syllable_after(text, second.end);
        if let Some(y) = next.filter(|y| y.to_lowercase() != lower) {
            let y_end = text[second.end..]
                .find(y)
                .map_or(second.end, |i| second.end + i + y.len());
            if crate::text::compounds::syllable_after(text, y_end).is_some_and(|z| z.to_lowercase() == y.to_lowercase())
            {
                return false;
            }
        }
        // …and its second half.
        if let Some(b) =
            crate::text::compounds::syllable_before(text, first.start).filter(|b| b.to_lowercase() != lower)
        {
            let b_start = first.start - 1 - b.len();
            if crate::text::compounds::syllable_before(text, b_start)
                .is_some_and(|a| a.to_lowercase() == b.to_lowercase())
            {
                return false;
            }
        }
        crate::text::compounds::is_function_word(word)
            || crate::text::compounds::syllable_after(text, second.end)
                .is_some_and(|next| crate::text::compounds::is_builtin_compound(&text[second.clone()], next))
    });
    out
}

/// Checks the word `first`, which a space follows, against the word after that space.
///
/// The two are first compared letter by letter the way [`eq_lowercase`] does it (the
/// second one's end is not known yet): almost every pair differs within a letter or two.
/// Only when that comparison cannot decide cheaply, or finds the words equal, are they
/// checked in full.
#[inline]
fn repeated_pair(
    text: &str,
    first: Range<usize>,
    allowed: &HashSet<String>,
    out: &mut Vec<(Range<usize>, Range<usize>)>,
) {
    let b = text.as_bytes();
    let start = first.end + 1;
    let (mut i, mut j) = (first.start, start);
    loop {
        if i == first.end {
            // The first word matched a prefix of the text after the space: equal only if
            // the second word ends there.
            if j < b.len() && word_char_at(text, j).0 {
                return;
            }
            break;
        }
        // Past the end, the text reads as a space: the second word has ended.
        let (p, q) = (b[i], b.get(j).copied().unwrap_or(b' '));
        if p == q {
            i += 1;
            j += 1;
            continue;
        }
        if p < 0x80 && q < 0x80 {
            if !p.eq_ignore_ascii_case(&q) {
                return;
            }
            i += 1;
            j += 1;
            continue;
        }
        if p < 0x80 || q < 0x80 {
            // One character is ASCII; the other is not, and lower-cases to ASCII only if
            // it is `İ` (C4 B0) or the Kelvin sign (E2 84 AA).
            let at = if p < 0x80 { j } else { i };
            match b.get(at..at + 2) {
                Some([0xC4, 0xB0] | [0xE2, 0x84]) => break,
                _ => return,
            }
        }
        // Two different characters (the same bytes so far: back up to their starts).
        let mut k = 0;
        while b[i - k] & 0xC0 == 0x80 {
            k += 1;
        }
        let ((c, m), (d, l)) = (decode(b, i - k), decode(b, j - k));
        match (simple_lower_code(c), simple_lower_code(d)) {
            (Some(x), Some(y)) if x != y => return,
            (Some(_), Some(_)) if c != u32::from('Σ') && d != u32::from('Σ') => {
                i += m - k;
                j += l - k;
            }
            _ => break,
        }
    }
    let mut end = start;
    while end < b.len() {
        let (word, len) = word_char_at(text, end);
        if !word {
            break;
        }
        end += len;
    }
    if end == start {
        return;
    }
    let word = &text[start..end];
    if eq_lowercase(&text[first.clone()], word)
        && word.chars().any(is_alphabetic)
        && !word.chars().any(|c| c.is_numeric())
        && !is_allowed_repeat(&word.to_lowercase(), allowed)
        && !is_word_pair(text, first.clone(), start..end)
    {
        out.push((first, start..end));
    }
}

/// Whether two equal adjacent words are not a repeat but words of the language:
/// - a reduplication that is a word itself (`luôn luôn`, `khăng khăng`, `chuồn chuồn`),
/// - the first one ends a word with the syllable before it (`hành vi vi phạm`, `giao
///   thông thông minh`, `khởi công công trình`),
/// - a name: both capitalized (`Băng Băng`, `Linh Linh`), or the second one starts a name
///   that the first one, lower case, introduces (`hồ Hồ Gươm`).
///
/// A repeat followed by a word it could start (`tổ tổ chức`) is still a repeat: nothing
/// before it claims the first one.
fn is_word_pair(text: &str, first: Range<usize>, second: Range<usize>) -> bool {
    use crate::text::compounds::{is_builtin_compound, syllable_before};
    let (a, b) = (&text[first.clone()], &text[second]);
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let all_caps = |w: &str| w.chars().all(|c| !c.is_lowercase());
    if capital(a) && capital(b) && !(all_caps(a) && all_caps(b) && a.chars().count() > 1) {
        return true;
    }
    // A common noun before a name that starts with it: `hồ Hồ Gươm`, `trường Trường Đại học`.
    if !capital(a) && capital(b) {
        return true;
    }
    is_builtin_compound(a, b) || syllable_before(text, first.start).is_some_and(|p| is_builtin_compound(p, a))
}

const R_WORD: u8 = 0;
const R_SPACE: u8 = 1;
const R_OTHER: u8 = 2;
const R_CHECK: u8 = 3;
/// `C3`: U+00C0..U+00FF, letters but `×` and `÷`.
const R_C3: u8 = 4;
/// `E1`: U+1E00..U+1EFF (Latin Extended Additional) when the next byte is `B8`..`BB`.
const R_E1: u8 = 5;

/// For each byte, for [`repeated_words`]: part of a word character whatever follows
/// (ASCII letters and digits, continuation bytes, the lead bytes of U+0100..U+027F and
/// U+0300..U+033F), the space, another ASCII character, or a lead byte to decode.
static REPEAT_CLASS: [u8; 256] = {
    let mut t = [R_CHECK; 256];
    let mut i = 0;
    while i < 256 {
        let x = i as u8;
        t[i] = if x == b' ' {
            R_SPACE
        } else if x == 0xC3 {
            R_C3
        } else if x == 0xE1 {
            R_E1
        } else if x.is_ascii_alphanumeric() || (x >= 0x80 && x < 0xC0) || (x >= 0xC4 && x <= 0xC9) || x == 0xCC {
            R_WORD
        } else if x < 0x80 {
            R_OTHER
        } else {
            R_CHECK
        };
        i += 1;
    }
    t
};

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
    use crate::text::words::words;

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
        let s = Splitter::new(&["Σ.ΣΣ".to_string(), "ĐH.QG".to_string(), "abcdefgh".to_string()]);
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
        let s = Splitter::default();
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

    /// The scan [`repeated_words`] replaced: every pair of neighbouring words.
    fn repeated_words_reference(text: &str, allowed: &HashSet<String>) -> Vec<(Range<usize>, Range<usize>)> {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let mut prev: Option<Range<usize>> = None;
        for w in words(text) {
            if let Some(p) = prev.replace(w.clone()) {
                if p.end + 1 != w.start || bytes[p.end] != b' ' {
                    continue;
                }
                let word = &text[w.clone()];
                if eq_lowercase(&text[p.clone()], word)
                    && word.chars().any(is_alphabetic)
                    && !word.chars().any(|c| c.is_numeric())
                    && !is_allowed_repeat(&word.to_lowercase(), allowed)
                    && !is_word_pair(text, p.clone(), w.clone())
                {
                    out.push((p, w));
                }
            }
        }
        out
    }

    #[test]
    fn repeats_agree_with_the_word_by_word_scan() {
        let allowed = allowed_repeat_set(&["ΟΔΟΣ".to_string(), "xanh xanh".to_string()]);
        let mut texts = vec![
            "K \u{212A} k İ i\u{307} ΟΔΟΣ οδος Σ σ ς ǅ ǆ Đ đ Ω \u{2126} ω ß SS ẞ".to_string(),
            " a a  b b\u{1A}c c 😀d d× ×e e\u{300} e\u{300} ".to_string(),
        ];
        for seed in 0..6 {
            texts.push(crate::rules::typography::tests_support::mutated(seed, 60_000));
        }
        for t in &texts {
            let got = repeated_words(t, &allowed);
            assert_eq!(got, repeated_words_reference(t, &allowed));
            for cut in [1, 2, 3, 5, 7] {
                for piece in t.as_bytes().chunks(t.len() / cut + 1) {
                    if let Ok(p) = std::str::from_utf8(piece) {
                        assert_eq!(repeated_words(p, &allowed), repeated_words_reference(p, &allowed));
                    }
                }
            }
        }
    }

    #[test]
    fn repeats() {
        let none = HashSet::new();
        let t = "Tổ tổ chức từ từ 2 2";
        let r = repeated_words(t, &none);
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].1.clone()], "tổ");
    }

    fn repeats_in(t: &str) -> Vec<&str> {
        repeated_words(t, &HashSet::new())
            .into_iter()
            .map(|(a, b)| &t[a.start..b.end])
            .collect()
    }

    #[test]
    fn compounds_across_the_boundary_are_not_repeats() {
        // Our sentences, and judged snippets of real news (Dân trí, 2020-21).
        for t in [
            "Đây là hành vi vi phạm pháp luật.",
            "Thành phố thử nghiệm giao thông thông minh.",
            "Lễ khởi công công trình diễn ra sáng nay.",
            "khi có thể thể hiện nhiều dạng vai trên màn ảnh",
            "chuyên sâu hướng Vật lý lý thuyết về vũ trụ",
            "bệnh nhân tuân thủ nội quy quy định, không bước ra khỏi phòng",
            "trở thành thành viên quốc hội Singapore từ năm 2011",
            "Hội giảng nhà giáo giáo dục nghề nghiệp vừa tổ chức tại Hà Tĩnh",
        ] {
            assert_eq!(repeats_in(t), Vec::<&str>::new(), "{t}");
        }
    }

    #[test]
    fn reduplications_and_names_are_not_repeats() {
        for t in [
            "Ông luôn luôn khăng khăng giữ ý kiến, từ từ nói.",
            "Ngày ngày, người người đi làm; chuồn chuồn bay thấp.",
            "Song song với việc học, bạn cũng nên nghỉ ngơi.",
            "Triệu Văn Tuyên và Phạm Băng Băng đóng chung.",
            "vùng áp thấp di chuyển theo hướng Tây Tây Bắc",
            "hệ thống đèn chiếu sáng quanh hồ Hồ Gươm",
            "cặp đôi quen nhau khi cùng tham gia show Tỷ tỷ đạp gió rẽ sóng",
        ] {
            assert_eq!(repeats_in(t), Vec::<&str>::new(), "{t}");
        }
    }

    #[test]
    fn slips_are_still_repeats() {
        // Judged real slips: nothing before the first word claims it.
        assert_eq!(
            repeats_in("Nhiều mảnh vàng khác nhau được được tìm thấy dọc theo bờ biển"),
            ["được được"]
        );
        assert_eq!(repeats_in("Ngay sau những những phát biểu trên"), ["những những"]);
        assert_eq!(repeats_in("bị đội đầu bảng bỏ xa tới tới 8 điểm"), ["tới tới"]);
        // A slip followed by a word it could start: `tổ chức` does not excuse `tổ tổ`.
        assert_eq!(repeats_in("Tổ tổ chức họp"), ["Tổ tổ"]);
        // All capitals (a headline) is not a name.
        assert_eq!(repeats_in("ĐƯỢC ĐƯỢC TÌM THẤY"), ["ĐƯỢC ĐƯỢC"]);
        // NFD text.
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("được được tìm").collect();
        assert_eq!(repeats_in(&nfd).len(), 1);
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("hành vi vi phạm").collect();
        assert_eq!(repeats_in(&nfd).len(), 0);
    }
}
