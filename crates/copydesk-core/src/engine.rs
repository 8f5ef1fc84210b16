//! The engine: compiled rules and the check pipeline. No IO, no LSP, no CLI.
//!
//! `check` runs every checker's block pass over each prose block (cached per block
//! text when a [`BlockCache`] is given), then the document pass over the collected
//! facts, then applies severities and suppression comments, and returns diagnostics
//! sorted by position.

use std::collections::HashMap;
use std::sync::Arc;

mod cache;
mod context;
pub use cache::BlockCache;
pub use context::BlockContext;

use crate::diagnostic::{Diagnostic, RuleIdx, Severity};
use crate::document::{Document, ScopeSet};
use crate::language::Language;
use crate::rules::{
    self, cap, BlockInput, BlockOutput, Checker, DocFact, DocumentInput, Dropped, RawRule, RuleError, RuleMeta,
};
use crate::text::sentences::Splitter;

/// Compiled rules, ready to check any number of documents from any number of threads.
pub struct Engine {
    rules: Vec<Arc<RuleMeta>>,
    checkers: Vec<Box<dyn Checker>>,
    /// Each rule's options after config overrides, as compiled (for editor features
    /// that must agree with the checks, such as hover on a glossary term).
    options: Vec<toml::Table>,
    /// The words of the rules' packs' languages, for the facts kinds share.
    language: Language,
    /// The sentence splitter of `language`, built once.
    splitter: Splitter,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("rules", &self.rules.len()).finish()
    }
}

/// At most this many findings of one rule are reported in one document; the rest are
/// counted and reported as one finding of the same rule, at the first one not shown
/// ("N more findings of this rule are not shown"). Memory and output then stay bounded
/// on any input (4 MB of `a a a` was two million findings). `--fix` still fixes them
/// all, a thousand a round.
pub const MAX_FINDINGS_PER_RULE: usize = 1000;

/// How a check treats findings of different rules over the same problem.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Merge {
    /// One problem, one finding: where two rules flag overlapping text and their first
    /// fixes give the same text, only the higher severity (then the earlier rule) stays.
    #[default]
    Restated,
    /// Each rule's findings as if the rule were alone, so a rule's examples test that rule
    /// and not its neighbours in the pack (`rules test`).
    EachRuleApart,
}

/// What the block pass found in one block.
#[derive(Default)]
struct BlockResult {
    outputs: Vec<BlockOutput>,
    dropped: Vec<Dropped>,
}

impl BlockResult {
    /// Approximate heap bytes (for the memory bound of caches).
    fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let diag = Diagnostic::heap_bytes;
        self.outputs
            .iter()
            .map(|o| {
                size_of::<BlockOutput>()
                    + o.diagnostics.iter().map(diag).sum::<usize>()
                    + o.facts
                        .iter()
                        .map(|f| size_of::<rules::Fact>() + f.heap_bytes())
                        .sum::<usize>()
            })
            .sum::<usize>()
            + self.dropped.len() * size_of::<Dropped>()
    }
}

impl Engine {
    /// Compiles rules (with severities already resolved; `off` rules are dropped).
    pub fn new(raw: Vec<RawRule>) -> Result<Engine, Vec<RuleError>> {
        let (rules, options): (Vec<_>, Vec<_>) = raw
            .into_iter()
            .filter(|r| r.meta.severity != Severity::Off)
            .map(|r| (Arc::new(r.meta), r.options))
            .unzip();
        let checkers = rules::compile_all(&rules, options.clone())?;
        let mut language = Language::default();
        for r in &rules {
            language.merge(&r.language);
        }
        let splitter = Splitter::new(&language, &[]);
        Ok(Engine {
            rules,
            checkers,
            options,
            language,
            splitter,
        })
    }

    /// The options rule `idx` was compiled with (its rule file's, then the config's).
    pub fn options(&self, idx: RuleIdx) -> &toml::Table {
        &self.options[idx.get()]
    }

    /// The sentence splitter of the rules' packs' languages (`[pack]
    /// sentence-abbreviations` …), as the kinds split blocks.
    pub fn splitter(&self) -> &Splitter {
        &self.splitter
    }

    /// The rule table; [`RuleIdx`] indexes it.
    pub fn rules(&self) -> &[Arc<RuleMeta>] {
        &self.rules
    }

    pub fn rule(&self, idx: RuleIdx) -> &RuleMeta {
        &self.rules[idx.get()]
    }

    /// Finds a rule by `pack/id` or by bare `id`.
    pub fn find_rule(&self, name: &str) -> Option<RuleIdx> {
        let pos = if name.contains('/') {
            self.rules.iter().position(|r| r.full_id() == name)
        } else {
            self.rules.iter().position(|r| r.id == name)
        };
        pos.map(|i| RuleIdx(i as u32))
    }

    pub fn check(&self, doc: &Document) -> Vec<Diagnostic> {
        self.check_inner(doc, None, Merge::Restated)
    }

    /// [`Engine::check`] with findings of different rules merged as `merge` says.
    pub fn check_merging(&self, doc: &Document, merge: Merge) -> Vec<Diagnostic> {
        self.check_inner(doc, None, merge)
    }

    pub fn check_cached(&self, doc: &Document, cache: &mut BlockCache) -> Vec<Diagnostic> {
        self.check_inner(doc, Some(cache), Merge::Restated)
    }

    fn active_for(&self, scopes: ScopeSet) -> Vec<bool> {
        self.rules.iter().map(|r| r.applies_to(scopes)).collect()
    }

    fn run_block(&self, text: &str, scopes: ScopeSet, active: &[bool]) -> BlockResult {
        let mut results = self.run_blocks(&[(text, scopes, active)]);
        results.pop().unwrap_or_default()
    }

    /// The block passes of `blocks` (text, scopes, active rules), kind by kind: each kind
    /// runs over every block before the next kind starts, so its code stays in the
    /// instruction cache (every kind on one block, then the next, was more code than the
    /// first-level cache holds). Each block's outputs stay in kind order, as before.
    fn run_blocks(&self, blocks: &[(&str, ScopeSet, &[bool])]) -> Vec<BlockResult> {
        let shared: Vec<BlockContext<'_>> = blocks
            .iter()
            .map(|&(text, _, _)| BlockContext::with_splitter(text, &self.language, Some(&self.splitter)))
            .collect();
        let inputs: Vec<BlockInput<'_>> = blocks
            .iter()
            .zip(&shared)
            .map(|(&(text, scopes, active), shared)| BlockInput {
                text,
                scopes,
                active,
                shared,
            })
            .collect();
        let mut results: Vec<BlockResult> = blocks
            .iter()
            .map(|_| BlockResult {
                outputs: Vec::with_capacity(self.checkers.len()),
                dropped: Vec::new(),
            })
            .collect();
        for c in &self.checkers {
            for (input, result) in inputs.iter().zip(results.iter_mut()) {
                let mut out = BlockOutput::default();
                c.check_block(input, &mut out);
                // Scope filtering is the engine's job too, so a kind that forgets it is still right.
                result.dropped.extend(out.diagnostics.finish(input.active));
                out.facts.retain(|f| input.active[f.rule.get()]);
                result.outputs.push(out);
            }
        }
        results
    }

    fn check_inner(&self, doc: &Document, mut cache: Option<&mut BlockCache>, merge: Merge) -> Vec<Diagnostic> {
        if let Some(c) = cache.as_deref_mut() {
            c.begin();
        }
        let mut active_by_scopes: HashMap<ScopeSet, usize> = HashMap::new();
        let mut active_sets: Vec<Vec<bool>> = Vec::new();
        let mut block_active: Vec<usize> = Vec::with_capacity(doc.blocks().len());
        let mut outputs: Vec<Arc<BlockResult>> = Vec::with_capacity(doc.blocks().len());

        for block in doc.blocks() {
            let a = *active_by_scopes.entry(block.scopes).or_insert_with(|| {
                active_sets.push(self.active_for(block.scopes));
                active_sets.len() - 1
            });
            block_active.push(a);
        }
        match cache.as_deref_mut() {
            // Block by block: a hit or miss moves the cache's cursor in document order.
            Some(c) => {
                for (block, &a) in doc.blocks().iter().zip(&block_active) {
                    let out = match c.get(&block.text, block.scopes) {
                        Some(hit) => hit,
                        None => {
                            let fresh = Arc::new(self.run_block(&block.text, block.scopes, &active_sets[a]));
                            c.put(&block.text, block.scopes, fresh.clone());
                            fresh
                        }
                    };
                    outputs.push(out);
                }
            }
            None => {
                let blocks: Vec<(&str, ScopeSet, &[bool])> = doc
                    .blocks()
                    .iter()
                    .zip(&block_active)
                    .map(|(b, &a)| (&*b.text, b.scopes, &*active_sets[a]))
                    .collect();
                outputs.extend(self.run_blocks(&blocks).into_iter().map(Arc::new));
            }
        }
        if let Some(c) = cache {
            c.end();
        }

        let mut diagnostics = Vec::new();
        let mut dropped: Vec<Dropped> = Vec::new();
        let mut per_rule = vec![0usize; self.rules.len()];
        // Per rule: how many were left out while collecting, and where the first was.
        let mut late: Vec<(usize, usize)> = vec![(0, usize::MAX); self.rules.len()];
        for (block, out) in doc.blocks().iter().zip(outputs.iter_mut()) {
            let shift = block.range.start;
            dropped.extend(out.dropped.iter().map(|x| Dropped {
                first: x.first + shift,
                ..*x
            }));
            let mut keep = |mut d: Diagnostic| {
                d.shift(shift);
                let r = d.rule.get();
                if per_rule[r] < MAX_FINDINGS_PER_RULE {
                    per_rule[r] += 1;
                    diagnostics.push(d);
                } else {
                    late[r].0 += 1;
                    late[r].1 = late[r].1.min(d.range.start);
                }
            };
            // Without a cache the block's findings are moved out, not copied.
            match Arc::get_mut(out) {
                Some(owned) => {
                    for o in &mut owned.outputs {
                        for d in std::mem::take(&mut o.diagnostics).into_vec() {
                            keep(d);
                        }
                    }
                }
                None => {
                    for o in &out.outputs {
                        for d in &o.diagnostics {
                            keep(d.clone());
                        }
                    }
                }
            }
        }
        for (i, (count, first)) in late.into_iter().enumerate() {
            if count > 0 {
                dropped.push(Dropped {
                    rule: RuleIdx(i as u32),
                    count,
                    first,
                });
            }
        }

        for (ci, checker) in self.checkers.iter().enumerate() {
            let facts: Vec<DocFact<'_>> = doc
                .blocks()
                .iter()
                .zip(&outputs)
                .enumerate()
                .flat_map(|(bi, (block, out))| {
                    out.outputs[ci].facts.iter().map(move |f| DocFact {
                        block: bi,
                        fact: f,
                        range: f.range.start + block.range.start..f.range.end + block.range.start,
                    })
                })
                .collect();
            let input = DocumentInput {
                doc,
                facts: &facts,
                block_active: &block_active,
                active_sets: &active_sets,
            };
            checker.check_document(&input, &mut diagnostics);
        }

        doc.to_source(self.finish(doc, diagnostics, dropped, merge))
    }

    /// Severities, suppression comments, order, duplicates, and the cap on findings per
    /// rule (with one finding that counts those left out).
    fn finish(
        &self,
        doc: &Document,
        mut diagnostics: Vec<Diagnostic>,
        mut dropped: Vec<Dropped>,
        merge: Merge,
    ) -> Vec<Diagnostic> {
        let supp = doc.suppressions();
        diagnostics.retain_mut(|d| {
            let rule = &self.rules[d.rule.get()];
            let sev = d.severity.unwrap_or(rule.severity);
            if sev == Severity::Off {
                return false;
            }
            d.severity = Some(sev);
            if !supp.is_empty() {
                let line = doc.lines().position(d.range.start, Default::default()).line;
                if supp.is_suppressed(line, &rule.pack, &rule.id) {
                    return false;
                }
            }
            true
        });
        diagnostics.sort_by(|a, b| {
            (a.range.start, a.range.end, a.rule, &a.message).cmp(&(b.range.start, b.range.end, b.rule, &b.message))
        });
        diagnostics.dedup();
        if merge == Merge::Restated {
            drop_restated(doc.text(), &mut diagnostics);
        }
        cap(&mut diagnostics, &mut dropped);
        if dropped.is_empty() {
            return diagnostics;
        }
        let mut by_rule: Vec<Option<(usize, usize)>> = vec![None; self.rules.len()];
        for x in dropped {
            let e = by_rule[x.rule.get()].get_or_insert((0, x.first));
            e.0 += x.count;
            e.1 = e.1.min(x.first);
        }
        for (i, e) in by_rule.into_iter().enumerate() {
            let Some((count, first)) = e else { continue };
            let rule = &self.rules[i];
            let first = doc.lines().floor_char_boundary(first);
            let mut d = Diagnostic::new(
                RuleIdx(i as u32),
                first..first,
                format!(
                    "{count} more finding(s) of `{}` in this file not shown (at most {MAX_FINDINGS_PER_RULE} a rule a file)",
                    rule.full_id()
                ),
            );
            d.severity = Some(rule.severity);
            diagnostics.push(d);
        }
        diagnostics.sort_by(|a, b| {
            (a.range.start, a.range.end, a.rule, &a.message).cmp(&(b.range.start, b.range.end, b.rule, &b.message))
        });
        diagnostics
    }
}

/// How far apart (in the sorted list) two findings over the same text may be compared: they
/// sit next to each other; a bound keeps a document with a long finding linear.
const RESTATED_WINDOW: usize = 8;

/// One problem, one finding: where two rules flag overlapping text and their first fixes
/// give the same text (`spelling.confusions` on `nổ lực` and `spelling.real-word` on `nổ`),
/// only the finding of higher severity (on a tie, of the rule loaded first) is kept.
/// `diagnostics` is sorted by start.
fn drop_restated(text: &str, diagnostics: &mut Vec<Diagnostic>) {
    let n = diagnostics.len();
    let mut dropped = vec![false; n];
    for i in 0..n {
        for j in i + 1..n.min(i + 1 + RESTATED_WINDOW) {
            let (a, b) = (&diagnostics[i], &diagnostics[j]);
            if b.range.start >= a.range.end {
                break;
            }
            if a.rule == b.rule || dropped[i] || dropped[j] {
                continue;
            }
            let (Some(fa), Some(fb)) = (a.fixes.first(), b.fixes.first()) else {
                continue;
            };
            let span = a.range.start.min(b.range.start)..a.range.end.max(b.range.end);
            if fixed_span(text, &span, fa).is_some_and(|x| Some(x) == fixed_span(text, &span, fb)) {
                let rank = |d: &Diagnostic| (d.severity, std::cmp::Reverse(d.rule));
                dropped[if rank(a) >= rank(b) { j } else { i }] = true;
            }
        }
    }
    let mut keep = dropped.iter().map(|d| !d);
    diagnostics.retain(|_| keep.next().unwrap_or(true));
}

/// `span` of `text` after `fix`, when every edit of the fix lies inside it.
fn fixed_span(text: &str, span: &std::ops::Range<usize>, fix: &crate::diagnostic::Fix) -> Option<String> {
    let mut edits = Vec::with_capacity(fix.edits.len());
    for e in &fix.edits {
        if e.range.start < span.start || e.range.end > span.end {
            return None;
        }
        edits.push(crate::diagnostic::Edit::new(
            e.range.start - span.start..e.range.end - span.start,
            e.replacement.as_str(),
        ));
    }
    edits.sort_by_key(|e| e.range.start);
    Some(crate::fix::apply_edits(text.get(span.clone())?, &edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    const RULE: &str =
        "[[rule]]\nid = \"x\"\nkind = \"pattern\"\nmessage = \"Found {found}\"\nseverity = \"warning\"\n\
                        pattern = 'a'\nreplacement = \"b\"\n";

    #[test]
    fn a_problem_two_rules_fix_the_same_way_is_reported_once() {
        let rules = "[[rule]]\nid = \"confusions\"\nkind = \"substitution\"\nmessage = \"{found}\"\n\
                     terms = [{ wrong = \"nổ lực\", right = \"nỗ lực\" }]\n\
                     [[rule]]\nid = \"real-word\"\nkind = \"pattern\"\nseverity = \"info\"\nmessage = \"{found}\"\n\
                     pattern = 'nổ'\nreplacement = \"nỗ\"\n\
                     [[rule]]\nid = \"other\"\nkind = \"pattern\"\nmessage = \"{found}\"\npattern = 'lực'\nreplacement = \"sức\"\n";
        let engine = testing::engine(rules);
        let found = testing::check(&engine, "😀 Đội đã nổ lực vươn lên.");
        let ids: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
        // `other` fixes the same words differently: a second problem, kept.
        assert_eq!(ids, ["confusions", "other"], "{found:?}");
        // Apart, both stay.
        assert_eq!(testing::check(&engine, "nổ lực, nổ súng").len(), 3);
        // A rule's examples see its own findings, whatever its neighbours report.
        let apart = engine.check_merging(&Document::plain_body("Đội đã nổ lực."), Merge::EachRuleApart);
        assert_eq!(apart.len(), 3, "{apart:?}");
        assert_eq!(testing::check(&engine, "Đội đã nổ lực.").len(), 2);
    }

    #[test]
    fn findings_of_one_rule_are_capped_with_one_finding_that_counts_the_rest() {
        let engine = testing::engine(RULE);
        // One block, and the same spread over many blocks.
        for text in ["a ".repeat(3000), "a a\n\n".repeat(1500)] {
            let d = engine.check(&Document::plain_body(text.clone()));
            assert_eq!(d.len(), MAX_FINDINGS_PER_RULE + 1);
            let last = d.last().unwrap();
            assert!(
                last.message.starts_with("2000 more finding(s) of `test/x`"),
                "{}",
                last.message
            );
            assert!(last.fixes.is_empty());
            assert_eq!(last.severity, Some(Severity::Warning));
            // It stands at the first finding not shown.
            let first_hidden = text.match_indices('a').nth(MAX_FINDINGS_PER_RULE).unwrap().0;
            assert_eq!(last.range, first_hidden..first_hidden);
            assert!(d[..MAX_FINDINGS_PER_RULE].iter().all(|x| x.message == "Found a"));
            // `--fix` still fixes every one, a thousand a round.
            assert!(!testing::fix(&engine, &text).contains('a'));
        }
        let d = engine.check(&Document::plain_body("a ".repeat(MAX_FINDINGS_PER_RULE)));
        assert_eq!(d.len(), MAX_FINDINGS_PER_RULE);
    }
}
