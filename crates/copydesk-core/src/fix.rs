//! Applying fixes: choosing non-overlapping ones, editing text, and iterating to a
//! fixpoint (a fix can reveal another problem, as a quote fix can reveal a spacing one).

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Edit, Fix, RuleIdx};
use crate::document::{Document, Format};
use crate::engine::Engine;

/// Whether two edits touch the same text. Two insertions at one offset conflict too:
/// their order would be a guess.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    if a.range.is_empty() && b.range.is_empty() {
        return a.range.start == b.range.start;
    }
    a.range.start < b.range.end && b.range.start < a.range.end
        || (a.range.is_empty() && b.range.start < a.range.start && a.range.start < b.range.end)
        || (b.range.is_empty() && a.range.start < b.range.start && b.range.start < a.range.end)
}

/// Picks, in document order, the first (safe, if `safe_only`) fix of each diagnostic,
/// skipping any fix that overlaps one already picked. Returns the sorted edits and how
/// many fixes they come from.
pub fn select_edits<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, safe_only: bool) -> (Vec<Edit>, usize) {
    let mut chosen: Vec<Edit> = Vec::new();
    let mut fixes = 0;
    for d in diagnostics {
        let Some(fix) = d.fixes.iter().find(|f| f.safe || !safe_only) else {
            continue;
        };
        if fix_conflicts(fix, &chosen) {
            continue;
        }
        fixes += 1;
        chosen.extend(fix.edits.iter().cloned());
    }
    chosen.sort_by_key(|e| (e.range.start, e.range.end));
    (chosen, fixes)
}

fn fix_conflicts(fix: &Fix, chosen: &[Edit]) -> bool {
    fix.edits
        .iter()
        .enumerate()
        .any(|(i, e)| chosen.iter().any(|c| overlaps(c, e)) || fix.edits[i + 1..].iter().any(|o| overlaps(o, e)))
}

/// Applies sorted, non-overlapping edits. Edits that are out of range, not on character
/// boundaries or overlapping an earlier one are skipped, never a panic.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in edits {
        let r = &e.range;
        if r.start < pos
            || r.end > text.len()
            || r.start > r.end
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str(&e.replacement);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The result of fixing a document.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    pub text: String,
    /// Number of fixes applied over all rounds.
    pub applied: usize,
    pub rounds: usize,
    /// What is left after the last round.
    pub remaining: Vec<Diagnostic>,
    /// Set when a round would have grown the text beyond [`round_growth_limit`]: that
    /// round was not applied. The rule whose fix grew the text most, and the lengths.
    pub runaway: Option<Runaway>,
}

/// A fix round that would have grown the text too much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runaway {
    pub rule: RuleIdx,
    pub before: usize,
    pub after: usize,
}

impl Runaway {
    /// The error for the user: the rule, where its replacement is written, and the limit.
    pub fn message(&self, engine: &Engine) -> String {
        let rule = engine.rule(self.rule);
        let src = &rule.source;
        let at = crate::pack::LoadError::at_key(&src.file, &src.text, src.index, "replacement", "");
        let place = if at.line > 0 {
            format!("{}:{}:{}", at.file, at.line, at.column)
        } else {
            at.file
        };
        format!(
            "the fixes of rule `{}` ({place}) would grow the text from {} to {} bytes in one round \
             (at most {} bytes: half as long again plus 4 KiB); no fix was applied: check the rule's replacement",
            rule.full_id(),
            self.before,
            self.after,
            round_growth_limit(self.before),
        )
    }
}

/// The longest text one fix round may make from a text of `len` bytes: half as long
/// again, plus 4 KiB. Real fixes change a few characters; a replacement that repeats its
/// match (`$0$0$0`) would otherwise multiply the text each round.
pub fn round_growth_limit(len: usize) -> usize {
    len.saturating_add(len / 2).saturating_add(4096)
}

/// How many check-and-fix rounds to run at most.
pub const MAX_ROUNDS: usize = 8;

/// Applies every safe fix that `filter` accepts, re-checking until nothing changes, a
/// text repeats (two fixes undoing each other), or [`MAX_ROUNDS`] is reached.
pub fn fix_to_fixpoint(
    engine: &Engine,
    text: &str,
    format: Format,
    make_doc: &dyn Fn(String, Format) -> Document,
    filter: &dyn Fn(&Diagnostic) -> bool,
) -> FixOutcome {
    fix_to_fixpoint_with(engine, text, format, make_doc, filter, true)
}

/// [`fix_to_fixpoint`], applying unsafe fixes too unless `safe_only` (`--unsafe-fixes`).
/// Each diagnostic contributes its first fix that qualifies, as [`select_edits`] picks it.
pub fn fix_to_fixpoint_with(
    engine: &Engine,
    text: &str,
    format: Format,
    make_doc: &dyn Fn(String, Format) -> Document,
    filter: &dyn Fn(&Diagnostic) -> bool,
    safe_only: bool,
) -> FixOutcome {
    fix_to_fixpoint_checking(text, format, make_doc, &mut |d| engine.check(d), filter, safe_only)
}

/// [`fix_to_fixpoint_with`] with the check given: a caller holding a
/// [`crate::engine::BlockCache`] passes `check_cached`, so each round re-runs the block
/// pass of the paragraphs the last round changed only.
pub fn fix_to_fixpoint_checking(
    text: &str,
    format: Format,
    make_doc: &dyn Fn(String, Format) -> Document,
    check: &mut dyn FnMut(&Document) -> Vec<Diagnostic>,
    filter: &dyn Fn(&Diagnostic) -> bool,
    safe_only: bool,
) -> FixOutcome {
    let mut current = text.to_string();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut applied = 0;
    let mut rounds = 0;
    loop {
        let doc = make_doc(current.clone(), format);
        let diagnostics = check(&doc);
        let (edits, fixes_in_round) = select_edits(diagnostics.iter().filter(|d| filter(d)), safe_only);
        if edits.is_empty() || rounds >= MAX_ROUNDS {
            return FixOutcome {
                text: current,
                applied,
                rounds,
                remaining: diagnostics,
                runaway: None,
            };
        }
        let next = apply_edits(&current, &edits);
        if next.len() > round_growth_limit(current.len()) {
            // Name the rule whose fixes, taken together, grow the text most.
            let mut growth: std::collections::HashMap<RuleIdx, isize> = std::collections::HashMap::new();
            for d in diagnostics.iter().filter(|d| filter(d)) {
                if let Some(f) = d.fixes.iter().find(|f| f.safe || !safe_only) {
                    let g: isize = f
                        .edits
                        .iter()
                        .map(|e| e.replacement.len() as isize - e.range.len() as isize)
                        .sum();
                    *growth.entry(d.rule).or_default() += g;
                }
            }
            let rule = growth
                .into_iter()
                .max_by_key(|&(r, g)| (g, std::cmp::Reverse(r)))
                .map(|(r, _)| r);
            let after = next.len();
            return FixOutcome {
                runaway: rule.map(|rule| Runaway {
                    rule,
                    before: current.len(),
                    after,
                }),
                text: current,
                applied,
                rounds,
                remaining: diagnostics,
            };
        }
        let h = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            next.hash(&mut h);
            h.finish()
        };
        rounds += 1;
        if next == current || !seen.insert(h) {
            let doc = make_doc(current.clone(), format);
            return FixOutcome {
                remaining: check(&doc),
                text: current,
                applied,
                rounds,
                runaway: None,
            };
        }
        applied += fixes_in_round;
        current = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_bad_ones_are_skipped() {
        let text = "abc đường";
        let edits = vec![
            Edit::new(0..1, "A"),
            Edit::new(0..2, "X"), // overlaps: skipped
            Edit::new(5..6, "?"), // inside `đ`: skipped
            Edit::insert(text.len(), "!"),
            Edit::new(40..41, "?"), // out of range: skipped
        ];
        assert_eq!(apply_edits(text, &edits), "Abc đường!");
    }

    #[test]
    fn overlapping_fixes_are_not_both_chosen() {
        use crate::diagnostic::RuleIdx;
        let d1 = Diagnostic::new(RuleIdx(0), 0..3, "a").with_fix(Fix::replace("x", 0..3, "X"));
        let d2 = Diagnostic::new(RuleIdx(0), 2..4, "b").with_fix(Fix::replace("y", 2..4, "Y"));
        let d3 = Diagnostic::new(RuleIdx(0), 4..5, "c").with_fix(Fix::replace("z", 4..5, "Z"));
        let (edits, fixes) = select_edits([&d1, &d2, &d3], true);
        assert_eq!((edits.len(), fixes), (2, 2));
    }
}
