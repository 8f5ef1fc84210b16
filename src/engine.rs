//! The engine: compiled rules and the check pipeline. No IO, no LSP, no CLI.
//!
//! `check` runs every checker's block pass over each prose block (cached per block
//! text when a [`BlockCache`] is given), then the document pass over the collected
//! facts, then applies severities and suppression comments, and returns diagnostics
//! sorted by position.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, RuleIdx, Severity};
use crate::document::{Document, ScopeSet};
use crate::rules::{self, BlockInput, BlockOutput, Checker, DocFact, DocumentInput, RawRule, RuleError, RuleMeta};

/// Compiled rules, ready to check any number of documents from any number of threads.
pub struct Engine {
    rules: Vec<Arc<RuleMeta>>,
    checkers: Vec<Box<dyn Checker>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("rules", &self.rules.len()).finish()
    }
}

/// Block-pass results of earlier checks, keyed by block text and scopes. The language
/// server keeps one per open document so that a keystroke re-checks one paragraph.
#[derive(Default)]
pub struct BlockCache {
    current: HashMap<u64, Arc<Vec<BlockOutput>>>,
    previous: HashMap<u64, Arc<Vec<BlockOutput>>>,
    pub hits: usize,
    pub misses: usize,
}

impl BlockCache {
    pub fn new() -> Self {
        Self::default()
    }
    fn begin(&mut self) {
        // Keep only what the last check used, so the cache never outgrows the document.
        self.previous = std::mem::take(&mut self.current);
        self.hits = 0;
        self.misses = 0;
    }
}

fn block_key(text: &str, scopes: ScopeSet) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    scopes.hash(&mut h);
    h.finish()
}

impl Engine {
    /// Compiles rules (with severities already resolved; `off` rules are dropped).
    pub fn new(raw: Vec<RawRule>) -> Result<Engine, Vec<RuleError>> {
        let (rules, options): (Vec<_>, Vec<_>) = raw
            .into_iter()
            .filter(|r| r.meta.severity != Severity::Off)
            .map(|r| (Arc::new(r.meta), r.options))
            .unzip();
        let checkers = rules::compile_all(&rules, options)?;
        Ok(Engine { rules, checkers })
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
        self.check_inner(doc, None)
    }

    pub fn check_cached(&self, doc: &Document, cache: &mut BlockCache) -> Vec<Diagnostic> {
        self.check_inner(doc, Some(cache))
    }

    fn active_for(&self, scopes: ScopeSet) -> Vec<bool> {
        self.rules.iter().map(|r| r.applies_to(scopes)).collect()
    }

    fn run_block(&self, text: &str, scopes: ScopeSet, active: &[bool]) -> Vec<BlockOutput> {
        let input = BlockInput { text, scopes, active };
        self.checkers
            .iter()
            .map(|c| {
                let mut out = BlockOutput::default();
                c.check_block(&input, &mut out);
                // Scope filtering is the engine's job too, so a kind that forgets it is still right.
                out.diagnostics.retain(|d| active[d.rule.get()]);
                out.facts.retain(|f| active[f.rule.get()]);
                out
            })
            .collect()
    }

    fn check_inner(&self, doc: &Document, mut cache: Option<&mut BlockCache>) -> Vec<Diagnostic> {
        if let Some(c) = cache.as_deref_mut() {
            c.begin();
        }
        let mut active_by_scopes: HashMap<ScopeSet, usize> = HashMap::new();
        let mut active_sets: Vec<Vec<bool>> = Vec::new();
        let mut block_active: Vec<usize> = Vec::with_capacity(doc.blocks().len());
        let mut outputs: Vec<Arc<Vec<BlockOutput>>> = Vec::with_capacity(doc.blocks().len());

        for block in doc.blocks() {
            let a = *active_by_scopes.entry(block.scopes).or_insert_with(|| {
                active_sets.push(self.active_for(block.scopes));
                active_sets.len() - 1
            });
            block_active.push(a);
            let out = match cache.as_deref_mut() {
                Some(c) => {
                    let key = block_key(&block.text, block.scopes);
                    if let Some(hit) = c.current.get(&key).or_else(|| c.previous.get(&key)).cloned() {
                        c.hits += 1;
                        c.current.insert(key, hit.clone());
                        hit
                    } else {
                        c.misses += 1;
                        let fresh = Arc::new(self.run_block(&block.text, block.scopes, &active_sets[a]));
                        c.current.insert(key, fresh.clone());
                        fresh
                    }
                }
                None => Arc::new(self.run_block(&block.text, block.scopes, &active_sets[a])),
            };
            outputs.push(out);
        }

        let mut diagnostics = Vec::new();
        for (block, out) in doc.blocks().iter().zip(&outputs) {
            for o in out.iter() {
                for d in &o.diagnostics {
                    let mut d = d.clone();
                    d.shift(block.range.start);
                    diagnostics.push(d);
                }
            }
        }

        for (ci, checker) in self.checkers.iter().enumerate() {
            let facts: Vec<DocFact<'_>> = doc
                .blocks()
                .iter()
                .zip(&outputs)
                .enumerate()
                .flat_map(|(bi, (block, out))| {
                    out[ci].facts.iter().map(move |f| DocFact {
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

        self.finish(doc, diagnostics)
    }

    /// Severities, suppression comments, order, duplicates.
    fn finish(&self, doc: &Document, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
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
        diagnostics
    }
}
