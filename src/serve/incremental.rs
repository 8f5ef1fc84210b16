//! The incremental protocol of `/v1/check` (docs/serve.md, "Incremental checks"): a client
//! that keeps a document open sends the one edit since the text the service last answered
//! for (`base`), and gets back only the findings that are not the last answer's, moved by
//! the edit.
//!
//! What the service keeps of a document ([`Revision`]): the text of its last answer, that
//! answer's findings and the engine that found them. A request names that revision; the
//! new text is the base text with the request's edit applied (or the text sent). The check
//! itself runs as every check does (the paragraph cache does the saving there); then the
//! new findings are compared with the base's moved by the edit ([`Change`]): the longest
//! run at the start and at the end that are equal, field by field and position by
//! position, are not sent (`kept_before`, `kept_after`), the others are. The client moves
//! the ones it keeps by the same rule, so a delta rebuilds exactly the full answer; no
//! finding is kept on a guess (a hash, a paragraph number).

use std::ops::Range;
use std::sync::{Arc, Weak};

use crate::diagnostic::Diagnostic;
use crate::engine::Engine;

/// The last answer of a document checked incrementally.
pub struct Revision {
    /// Opaque and unique in the process's life (the sessions' counter after a random start).
    pub id: String,
    pub text: String,
    /// What else decides the findings besides the text and the engine (format, path).
    pub context: String,
    pub engine: Weak<Engine>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Revision {
    /// Findings of the base that may be kept for a check by `engine` in `context`: none if
    /// the rules or the request's reading changed.
    pub fn findings_for(&self, engine: &Arc<Engine>, context: &str) -> &[Diagnostic] {
        if self.context == context && Weak::ptr_eq(&self.engine, &Arc::downgrade(engine)) {
            &self.diagnostics
        } else {
            &[]
        }
    }

    /// Heap bytes held, estimated as the block cache estimates its own.
    pub fn bytes(&self) -> usize {
        let diag = Diagnostic::heap_bytes;
        self.id.len() + self.text.len() + self.context.len() + self.diagnostics.iter().map(diag).sum::<usize>()
    }
}

/// One replacement that turns the base text into the new one, in bytes:
/// `base[start..end]` became `new[start..new_end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub start: usize,
    pub end: usize,
    pub new_end: usize,
}

impl Change {
    /// The smallest such replacement: the texts' common start and common end kept apart,
    /// on character boundaries, and never between a `\r` and a `\n` (so every position
    /// outside it is on the same line and column in both texts, up to the shift).
    pub fn between(old: &str, new: &str) -> Change {
        let (o, n) = (old.as_bytes(), new.as_bytes());
        // Wide chunks first (one `memcmp` each), then byte by byte.
        const CHUNK: usize = 64;
        let max = o.len().min(n.len());
        let mut p = 0;
        while p + CHUNK <= max && o[p..p + CHUNK] == n[p..p + CHUNK] {
            p += CHUNK;
        }
        p += o[p..].iter().zip(&n[p..]).take_while(|(a, b)| a == b).count();
        while p > 0 && (!old.is_char_boundary(p) || o[p - 1] == b'\r') {
            p -= 1;
        }
        let most = max - p;
        let mut q = 0;
        while q + CHUNK <= most && o[o.len() - q - CHUNK..o.len() - q] == n[n.len() - q - CHUNK..n.len() - q] {
            q += CHUNK;
        }
        q += o[..o.len() - q]
            .iter()
            .rev()
            .zip(n[..n.len() - q].iter().rev())
            .take(most - q)
            .take_while(|(a, b)| a == b)
            .count();
        while q > 0 && (!old.is_char_boundary(o.len() - q) || o[o.len() - q] == b'\n') {
            q -= 1;
        }
        Change {
            start: p,
            end: o.len() - q,
            new_end: n.len() - q,
        }
    }

    /// Where a base range is in the new text: unchanged if it ends at or before the
    /// change's start, moved if it starts after the start and at or after the end; `None`
    /// if it touches the replaced text (its text may differ).
    pub fn range(&self, r: &Range<usize>) -> Option<Range<usize>> {
        if r.end <= self.start {
            return Some(r.clone());
        }
        if r.start > self.start && r.start >= self.end && r.end >= r.start {
            return Some(r.start - self.end + self.new_end..r.end - self.end + self.new_end);
        }
        None
    }

    /// Whether `new` is `old` moved by the change: the same rule, severity, message and
    /// fixes, every range moved by [`Change::range`].
    pub fn keeps(&self, old: &Diagnostic, new: &Diagnostic) -> bool {
        old.rule == new.rule
            && old.severity == new.severity
            && old.message == new.message
            && old.not_fixed == new.not_fixed
            && self.range(&old.range).as_ref() == Some(&new.range)
            && old.fixes.len() == new.fixes.len()
            && old.fixes.iter().zip(&new.fixes).all(|(a, b)| {
                a.title == b.title
                    && a.safe == b.safe
                    && a.edits.len() == b.edits.len()
                    && a.edits
                        .iter()
                        .zip(&b.edits)
                        .all(|(x, y)| x.replacement == y.replacement && self.range(&x.range).as_ref() == Some(&y.range))
            })
    }

    /// How many findings at the start and at the end of `new` are those of `old` moved
    /// (the two runs never overlap).
    pub fn kept(&self, old: &[Diagnostic], new: &[Diagnostic]) -> (usize, usize) {
        let before = old.iter().zip(new).take_while(|(a, b)| self.keeps(a, b)).count();
        let most = old.len().min(new.len()) - before;
        let after = old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .take(most)
            .take_while(|(a, b)| self.keeps(a, b))
            .count();
        (before, after)
    }
}

/// Applies an edit given in UTF-16 code units of `base` (`start..end` replaced by
/// `text`), as a browser counts; `None` if the range is out of the text, reversed or
/// splits a character.
pub fn apply_utf16(base: &str, start: usize, end: usize, text: &str) -> Option<String> {
    if start > end {
        return None;
    }
    let s = utf16_offset(base, 0, 0, start)?;
    let e = utf16_offset(base, s, start, end)?;
    let mut out = String::with_capacity(base.len() - (e - s) + text.len());
    out.push_str(&base[..s]);
    out.push_str(text);
    out.push_str(&base[e..]);
    Some(out)
}

/// Bit 7 of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The byte offset of the character boundary `target` UTF-16 units into `text`, counting
/// on from byte `i`, a boundary `units` units in; `None` past the end or inside a
/// surrogate pair. Eight bytes at a time while the target is beyond them (a character
/// starts at every byte that is not a continuation byte; one of four bytes is two units).
fn utf16_offset(text: &str, mut i: usize, mut units: usize, target: usize) -> Option<usize> {
    let b = text.as_bytes();
    while let Some(w) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(w.try_into().ok()?);
        let cont = (w & !(w << 1) & HIGH_BITS).count_ones() as usize;
        let four = (w & (w << 1) & (w << 2) & (w << 3) & HIGH_BITS).count_ones() as usize;
        let n = 8 - cont + four;
        if units + n >= target {
            break;
        }
        units += n;
        i += 8;
    }
    // A character across the last chunk's end was counted at its lead byte: start there.
    let mut j = i.min(b.len());
    while !text.is_char_boundary(j) {
        j -= 1;
    }
    if j < i {
        units -= if b[j] >= 0xF0 { 2 } else { 1 };
        i = j;
    }
    loop {
        if units == target {
            return Some(i);
        }
        if units > target {
            return None;
        }
        let lead = *b.get(i)?;
        let (len, u) = match lead {
            0..=0x7F => (1, 1),
            0x80..=0xDF => (2, 1),
            0xE0..=0xEF => (3, 1),
            _ => (4, 2),
        };
        units += u;
        i += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::RuleIdx;
    use crate::diagnostic::{Edit, Fix};

    fn d(range: Range<usize>, fix_at: Range<usize>) -> Diagnostic {
        let mut d = Diagnostic::new(RuleIdx(0), range, "m");
        d.fixes.push(Fix::safe("f", vec![Edit::new(fix_at, "x")]));
        d
    }

    #[test]
    fn the_change_is_the_smallest_on_character_and_line_break_boundaries() {
        assert_eq!(
            Change::between("abc", "abc"),
            Change {
                start: 3,
                end: 3,
                new_end: 3
            }
        );
        assert_eq!(
            Change::between("ab cd", "ab x cd"),
            Change {
                start: 3,
                end: 3,
                new_end: 5
            }
        );
        // "ế" and "ề" share their first two bytes: the change starts at the character.
        assert_eq!(
            Change::between("aế", "aề"),
            Change {
                start: 1,
                end: 4,
                new_end: 4
            }
        );
        // Never between \r and \n: the \r goes with the change, and so does the \n.
        assert_eq!(
            Change::between("a\r\nb", "a\rx\nb"),
            Change {
                start: 1,
                end: 3,
                new_end: 4
            }
        );
        assert_eq!(
            Change::between("a\nb", "a\n\nb"),
            Change {
                start: 2,
                end: 2,
                new_end: 3
            }
        );
        // A repeated run: the common end never overlaps the common start.
        assert_eq!(
            Change::between("aa", "aaa"),
            Change {
                start: 2,
                end: 2,
                new_end: 3
            }
        );
    }

    #[test]
    fn a_finding_is_kept_only_when_every_range_is_clear_of_the_change() {
        let c = Change {
            start: 10,
            end: 12,
            new_end: 15,
        };
        assert!(c.keeps(&d(0..5, 0..5), &d(0..5, 0..5)));
        assert!(c.keeps(&d(20..25, 0..10), &d(23..28, 0..10)));
        // Touching the replaced text, or across it: never kept.
        assert!(!c.keeps(&d(8..11, 8..11), &d(8..14, 8..14)));
        assert!(!c.keeps(&d(5..20, 5..20), &d(5..23, 5..23)));
        // An insertion: a range starting where it is inserted is not known to move.
        let ins = Change {
            start: 10,
            end: 10,
            new_end: 12,
        };
        assert_eq!(ins.range(&(10..14)), None);
        assert_eq!(ins.range(&(8..10)), Some(8..10));
        let old = [d(0..5, 0..5), d(11..11, 11..11), d(20..25, 20..25)];
        let new = [d(0..5, 0..5), d(23..28, 23..28)];
        assert_eq!(c.kept(&old, &new), (1, 1));
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x1c_0d16),
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        #[test]
        fn utf16_offsets_equal_a_character_walk(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "ê", "e\u{302}\u{301}", "📰", "🇻🇳", "\n", "\r\n", " ", "漢", "Người dân cho biết",
                "📰📰 漢字 Ho\u{300}a 🇻🇳",
            ]), 0..30),
            target in 0usize..200,
            from in 0usize..100,
        ) {
            let text: String = parts.concat();
            // The reference: walk the characters.
            let walk = |t: usize| {
                let mut u = 0;
                for (i, c) in text.char_indices().chain(std::iter::once((text.len(), '\0'))) {
                    if u == t {
                        return Some(i);
                    }
                    if u > t {
                        return None;
                    }
                    u += c.len_utf16();
                }
                None
            };
            proptest::prop_assert_eq!(utf16_offset(&text, 0, 0, target), walk(target));
            // From a boundary part of the way in, as the edit's end is found from its start.
            let from = from.min(target);
            if let Some(f) = walk(from) {
                proptest::prop_assert_eq!(utf16_offset(&text, f, from, target), walk(target));
            }
        }

        #[test]
        fn the_change_rebuilds_the_new_text(
            a in proptest::collection::vec(proptest::sample::select(vec!["a", "ê", "\r", "\n", "📰", "ab", "x"]), 0..300),
            ins in proptest::collection::vec(proptest::sample::select(vec!["a", "ê", "\r", "\n", "📰", "ab", "x"]), 0..5),
            at in 0usize..300,
            del in 0usize..5,
        ) {
            // The new text: one splice of the old, as typing makes (long common runs on
            // both sides, so the wide comparisons are used).
            let at = at.min(a.len());
            let b: Vec<&str> = a[..at].iter().chain(&ins).chain(&a[(at + del).min(a.len())..]).copied().collect();
            let (old, new) = (a.concat(), b.concat());
            let c = Change::between(&old, &new);
            proptest::prop_assert!(c.start <= c.end && c.start <= c.new_end);
            proptest::prop_assert_eq!(&old[..c.start], &new[..c.start]);
            proptest::prop_assert_eq!(&old[c.end..], &new[c.new_end..]);
            // The smallest: at most the inserted text and, at each edge, the rest of a
            // character and a CR (up to 4 bytes).
            let inserted = ins.concat().len();
            proptest::prop_assert!(c.new_end - c.start <= inserted + 8, "{:?} for {} bytes inserted", c, inserted);
        }
    }

    #[test]
    fn utf16_edits_land_on_characters() {
        let base = "a📰ê\u{302}b";
        // a=0, 📰=1..3, ê=3, combining=4, b=5
        assert_eq!(apply_utf16(base, 1, 3, "X").as_deref(), Some("aXê\u{302}b"));
        assert_eq!(apply_utf16(base, 6, 6, "!").as_deref(), Some("a📰ê\u{302}b!"));
        assert_eq!(apply_utf16(base, 0, 0, "").as_deref(), Some(base));
        assert_eq!(apply_utf16(base, 2, 3, "X"), None, "inside the emoji");
        assert_eq!(apply_utf16(base, 3, 7, "X"), None, "past the end");
        assert_eq!(apply_utf16(base, 3, 2, "X"), None, "reversed");
    }
}
