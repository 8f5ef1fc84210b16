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
    // What the text as written offers as unsafe stays unapplied in later rounds, where an
    // earlier round's edits may have made it look safe: `--fix` writes what the first check
    // (the one `--format json` shows) calls safe, and what those edits alone lead to.
    let mut offered = Offered::default();
    loop {
        let doc = make_doc(current.clone(), format);
        let mut diagnostics = check(&doc);
        if rounds == 0 && safe_only {
            offered = Offered::of(diagnostics.iter().filter(|d| filter(d)));
        }
        // Marked unsafe, an offered finding found again is left to `--unsafe-fixes`.
        offered.mark(&mut diagnostics);
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
                remaining: offered.marked(check(&doc)),
                text: current,
                applied,
                rounds,
                runaway: None,
            };
        }
        applied += fixes_in_round;
        offered.shift(&edits);
        current = next;
    }
}

/// The findings of the first round whose fixes were all unsafe, by rule: where they are,
/// kept in step with the text as later rounds edit it.
#[derive(Default)]
struct Offered {
    /// By rule: each offered finding's place and its first fix's title, sorted by place.
    by_rule: std::collections::HashMap<RuleIdx, Vec<(std::ops::Range<usize>, String)>>,
}

/// A diagnostic's first fix's title: with its rule and place, what tells a finding found
/// again from another check's finding at the same place (`“Running Man “`: a closing mark
/// written backwards, offered, and the space inside, safe).
fn first_title(d: &Diagnostic) -> &str {
    d.fixes.first().map_or("", |f| f.title.as_str())
}

impl Offered {
    fn of<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> Offered {
        let mut by_rule: std::collections::HashMap<RuleIdx, Vec<(std::ops::Range<usize>, String)>> =
            std::collections::HashMap::new();
        for d in diagnostics.filter(|d| !d.fixes.is_empty() && d.fixes.iter().all(|f| !f.safe)) {
            by_rule
                .entry(d.rule)
                .or_default()
                .push((d.range.clone(), first_title(d).to_string()));
        }
        for offered in by_rule.values_mut() {
            offered.sort_by_key(|a| (a.0.start, a.0.end));
        }
        Offered { by_rule }
    }

    /// Whether `d` is an offered finding found again: of its rule, at its place (the edits
    /// of earlier rounds moved it, changing nothing inside it), with the same fix. Another
    /// check's finding inside it, beside it or at its place is not.
    fn touches(&self, d: &Diagnostic) -> bool {
        let Some(offered) = self.by_rule.get(&d.rule) else {
            return false;
        };
        let key = (d.range.start, d.range.end);
        let from = offered.partition_point(|(r, _)| (r.start, r.end) < key);
        offered[from..]
            .iter()
            .take_while(|(r, _)| (r.start, r.end) == key)
            .any(|(_, title)| title == first_title(d))
    }

    /// Marks unsafe the fixes `--fix` declines (see [`Offered::touches`]): what is left
    /// after it reports them as offered, not as fixable by `--fix`.
    fn mark(&self, diagnostics: &mut [Diagnostic]) {
        if self.by_rule.is_empty() {
            return;
        }
        for d in diagnostics.iter_mut() {
            if self.touches(d) {
                for f in &mut d.fixes {
                    f.safe = false;
                }
            }
        }
    }

    fn marked(&self, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        self.mark(&mut diagnostics);
        diagnostics
    }

    /// Moves every range by the sorted, non-overlapping `edits` applied to the text.
    fn shift(&mut self, edits: &[Edit]) {
        if edits.is_empty() {
            return;
        }
        // The text's growth up to and including each edit, for a binary search per position.
        let mut grown: Vec<isize> = Vec::with_capacity(edits.len());
        let mut total = 0isize;
        for e in edits {
            total += e.replacement.len() as isize - e.range.len() as isize;
            grown.push(total);
        }
        let before = |n: usize| if n == 0 { 0 } else { grown[n - 1] };
        for offered in self.by_rule.values_mut() {
            for (r, _) in offered.iter_mut() {
                // The start moves by the edits that end at or before it (an insertion right
                // there goes before the finding); the end by every edit that starts before it,
                // so an edit inside or across the range widens it.
                let start = r
                    .start
                    .saturating_add_signed(before(edits.partition_point(|e| e.range.end <= r.start)));
                let end = r
                    .end
                    .saturating_add_signed(before(edits.partition_point(|e| e.range.start < r.end)));
                *r = start..end.max(start);
            }
            offered.sort_by_key(|a| (a.0.start, a.0.end));
        }
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
    fn a_fix_offered_on_the_text_as_written_is_not_applied_in_a_later_round() {
        use crate::diagnostic::RuleIdx;
        // Rule 0's safe fix changes `a`; on the text it leaves, rule 1's fix on `b`, unsafe
        // on the text as written, turns safe (rounds 104 and 105: a citation's case and a tone
        // mark, offered beside a no-break space, applied once the space was fixed). A finding
        // of rule 1 that only a later round sees (`c`) is the edits' consequence: applied.
        let mut check = |doc: &Document| {
            let t = doc.text();
            let mut out = Vec::new();
            if let Some(i) = t.find('a') {
                out.push(Diagnostic::new(RuleIdx(0), i..i + 1, "a").with_fix(Fix::replace("A", i..i + 1, "A")));
            }
            if let Some(b) = t.find('b') {
                let fix = Fix::replace("B", b..b + 1, "B");
                let fix = if t.contains('a') {
                    Fix::unsafe_(fix.title, fix.edits)
                } else {
                    fix
                };
                out.push(Diagnostic::new(RuleIdx(1), b..b + 1, "b").with_fix(fix));
            }
            if let (false, Some(c)) = (t.contains('a'), t.find('c')) {
                out.push(Diagnostic::new(RuleIdx(1), c..c + 1, "c").with_fix(Fix::replace("C", c..c + 1, "C")));
            }
            out
        };
        let make = |t: String, f: Format| Document::new(t, f);
        let outcome = fix_to_fixpoint_checking("xa yb zc", Format::Plain, &make, &mut check, &|_| true, true);
        assert_eq!(outcome.text, "xA yb zC");
        // Left over, it is reported as offered, not as fixable by `--fix`.
        let left: Vec<_> = outcome.remaining.iter().filter(|d| d.message == "b").collect();
        assert_eq!(left.len(), 1);
        assert!(left[0].fixes.iter().all(|f| !f.safe));
        // With `--unsafe-fixes` the offer is taken.
        let outcome = fix_to_fixpoint_checking("xa yb zc", Format::Plain, &make, &mut check, &|_| true, false);
        assert_eq!(outcome.text, "xA yB zC");
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
