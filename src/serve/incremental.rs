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
        use std::mem::size_of;
        let diag = |d: &Diagnostic| {
            size_of::<Diagnostic>()
                + d.message.len()
                + d.fixes
                    .iter()
                    .map(|f| {
                        size_of::<crate::diagnostic::Fix>()
                            + f.title.len()
                            + f.edits
                                .iter()
                                .map(|e| size_of::<crate::diagnostic::Edit>() + e.replacement.len())
                                .sum::<usize>()
                    })
                    .sum::<usize>()
        };
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
        let mut p = o.iter().zip(n).take_while(|(a, b)| a == b).count();
        while p > 0 && (!old.is_char_boundary(p) || o[p - 1] == b'\r') {
            p -= 1;
        }
        let most = o.len().min(n.len()) - p;
        let mut q = o
            .iter()
            .rev()
            .zip(n.iter().rev())
            .take(most)
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
    let (mut units, mut s, mut e) = (0usize, None, None);
    for (i, c) in base.char_indices().chain(std::iter::once((base.len(), '\0'))) {
        if units == start {
            s = Some(i);
        }
        if units == end {
            e = Some(i);
            break;
        }
        if units > end {
            break;
        }
        units += c.len_utf16();
    }
    let (s, e) = (s?, e?);
    let mut out = String::with_capacity(base.len() - (e - s) + text.len());
    out.push_str(&base[..s]);
    out.push_str(text);
    out.push_str(&base[e..]);
    Some(out)
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
