//! The unit and count words that may follow a number, looked up lower-cased without
//! allocating.

use super::*;

/// A number is followed by a count noun: it cannot have decimals.
pub(super) const COUNTABLE: u8 = 1;
/// A number is followed by a unit or currency word.
pub(super) const UNIT: u8 = 2;

/// The unit and count words of a rule, lower case, looked up together.
pub(super) struct UnitWords {
    /// Every word, sorted by bytes, with the lists it is in ([`COUNTABLE`], [`UNIT`]).
    pub(super) words: Vec<(String, u8)>,
    /// Per first character (sorted): the range of `words` that start with it.
    pub(super) by_first: Vec<(char, usize, usize)>,
    /// Per first two characters (sorted): the range of `words` that start with them.
    pub(super) by_pair: Vec<((char, char), usize, usize)>,
    /// The lists as configured.
    pub(super) countable: Vec<String>,
    pub(super) units: Vec<String>,
}

/// How many characters after a number are lower-cased to find a unit.
pub(super) const UNIT_WINDOW: usize = 24;

impl UnitWords {
    pub(super) fn new(countable: Vec<String>, units: Vec<String>) -> UnitWords {
        let mut all: Vec<(String, u8)> = countable
            .iter()
            .map(|w| (w.clone(), COUNTABLE))
            .chain(units.iter().map(|w| (w.clone(), UNIT)))
            .filter(|(w, _)| !w.is_empty())
            .collect();
        all.sort();
        let mut words: Vec<(String, u8)> = Vec::with_capacity(all.len());
        for (w, list) in all {
            match words.last_mut() {
                Some((last, lists)) if *last == w => *lists |= list,
                _ => words.push((w, list)),
            }
        }
        let mut by_first: Vec<(char, usize, usize)> = Vec::new();
        for (i, (w, _)) in words.iter().enumerate() {
            let Some(f) = w.chars().next() else { continue };
            match by_first.last_mut() {
                Some((c, _, end)) if *c == f => *end = i + 1,
                _ => by_first.push((f, i, i + 1)),
            }
        }
        let mut by_pair: Vec<((char, char), usize, usize)> = Vec::new();
        for (i, (w, _)) in words.iter().enumerate() {
            let mut cs = w.chars();
            let (Some(a), Some(b)) = (cs.next(), cs.next()) else {
                continue;
            };
            match by_pair.last_mut() {
                Some((pair, _, end)) if *pair == (a, b) => *end = i + 1,
                _ => by_pair.push(((a, b), i, i + 1)),
            }
        }
        UnitWords {
            words,
            by_first,
            by_pair,
            countable,
            units,
        }
    }

    /// The lists ([`COUNTABLE`], [`UNIT`]) with a word at byte `i` of `text`, after one
    /// optional space, that ends there as a word. Letter case is ignored, as by
    /// lower-casing the next [`UNIT_WINDOW`] characters of the text; but only as many
    /// characters are lower-cased, on the stack, as some word still starts with.
    pub(super) fn at(&self, text: &str, i: usize) -> u8 {
        let Some(tail) = text.get(i..) else { return 0 };
        let tail = tail
            .strip_prefix(' ')
            .or_else(|| tail.strip_prefix('\u{A0}'))
            .unwrap_or(tail);
        let mut chars = tail.chars().take(UNIT_WINDOW);
        let Some(c) = chars.next() else { return 0 };
        let (first, simple) = match simple_lower(c) {
            Some(l) => (l, true),
            None => match c.to_lowercase().next() {
                Some(l) => (l, false),
                None => return 0,
            },
        };
        let Ok(k) = self.by_first.binary_search_by_key(&first, |b| b.0) else {
            return 0;
        };
        let (_, lo, hi) = self.by_first[k];
        let mut n = Narrowing {
            words: &self.words,
            lo,
            hi,
            buf: [0; Narrowing::CAP],
            len: 0,
            found: 0,
        };
        if simple {
            // The range holds the words that start with `first`.
            n.len = first.encode_utf8(&mut n.buf).len();
            // The words that also start with the second character, from a table: most
            // numbers are followed by a word that no unit starts like.
            if let Some(second) = chars.clone().next().and_then(simple_lower) {
                chars.next();
                if !is_word_char(second) {
                    n.word_ends();
                }
                match self.by_pair.binary_search_by_key(&(first, second), |p| p.0) {
                    Ok(k) => {
                        (n.lo, n.hi) = (self.by_pair[k].1, self.by_pair[k].2);
                        n.len += second.encode_utf8(&mut n.buf[n.len..]).len();
                    }
                    Err(_) => n.lo = n.hi,
                }
            }
        } else {
            chars = tail.chars().take(UNIT_WINDOW);
        }
        while n.lo < n.hi {
            let Some(c) = chars.next() else {
                // The window or the text ends: so may a word.
                n.word_ends();
                break;
            };
            // A capital sigma's lower case depends on the letters around it.
            let full = c == 'Σ'
                || match simple_lower(c) {
                    Some(l) => n.push(l),
                    None => c.to_lowercase().any(|l| n.lo < n.hi && n.push(l)),
                };
            if full {
                return self.slow(tail);
            }
        }
        n.found
    }

    /// [`UnitWords::at`] by lower-casing the whole window.
    pub(super) fn slow(&self, tail: &str) -> u8 {
        let any = |list: &[String]| list.iter().any(|u| starts_with_lowered(tail, u));
        (if any(&self.countable) { COUNTABLE } else { 0 }) | (if any(&self.units) { UNIT } else { 0 })
    }
}

/// The words that start with the lower-cased text read so far.
pub(super) struct Narrowing<'w> {
    /// Sorted by bytes.
    pub(super) words: &'w [(String, u8)],
    /// `words[lo..hi]` start with `buf[..len]`; the first of them is `buf[..len]` itself
    /// if any is.
    pub(super) lo: usize,
    pub(super) hi: usize,
    pub(super) buf: [u8; Narrowing::CAP],
    pub(super) len: usize,
    /// The lists of the words found so far.
    pub(super) found: u8,
}

impl Narrowing<'_> {
    pub(super) const CAP: usize = 64;

    /// A word that is all of the text read so far ends here.
    pub(super) fn word_ends(&mut self) {
        if self.lo < self.hi && self.words[self.lo].0.len() == self.len {
            self.found |= self.words[self.lo].1;
        }
    }

    /// Reads the next lower-case character; `true` when the buffer is full.
    pub(super) fn push(&mut self, l: char) -> bool {
        if self.len > 0 && !is_word_char(l) {
            self.word_ends();
        }
        if self.len + 4 > Narrowing::CAP {
            return true;
        }
        let len = self.len;
        let n = l.encode_utf8(&mut self.buf[len..]).len();
        let new = &self.buf[len..len + n];
        let starts = |w: &(String, u8)| w.0.as_bytes().get(len..len + n) == Some(new);
        let mut lo = self.lo;
        while lo < self.hi && !starts(&self.words[lo]) {
            lo += 1;
        }
        let mut hi = lo;
        while hi < self.hi && starts(&self.words[hi]) {
            hi += 1;
        }
        (self.lo, self.hi) = (lo, hi);
        self.len += n;
        false
    }
}

/// Whether the lower case of the next [`UNIT_WINDOW`] characters starts with the word `u`
/// and the word ends there: [`UnitWords::at`] for one word, slowly.
pub(super) fn starts_with_lowered(tail: &str, u: &str) -> bool {
    let lower: String = tail.chars().take(UNIT_WINDOW).collect::<String>().to_lowercase();
    lower.starts_with(u) && !lower[u.len()..].chars().next().is_some_and(is_word_char)
}
