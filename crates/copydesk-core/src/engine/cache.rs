//! Block-pass results kept between checks of one document, so that an edit re-runs the
//! block pass of the blocks it changed and nothing else.
//!
//! Why this is exact: a kind's `check_block` sees only the block's masked text, its
//! scopes and which rules apply to those scopes (`BlockInput`); nothing of the rest of
//! the document reaches it. Everything that depends on other blocks (abbreviations
//! defined earlier, one variant per document, mixed tone styles, quotes across
//! paragraphs, the headline rules' document checks) is decided by `check_document` over
//! the facts the block passes reported, and that pass runs on every check, cached facts
//! included. Severities, suppression comments, the per-rule cap and source mapping
//! (HTML) are applied after both passes, on every check. So an entry is keyed by the
//! block's text and scopes, and a hit is only taken when both are equal byte for byte
//! (the hash only finds the candidate). Entries are only valid for the engine that made
//! them: holders reset the cache when the engine changes (the language server and the
//! service compare `Arc<Engine>` pointers).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

use super::BlockResult;
use crate::document::ScopeSet;

/// A block's result with what it was computed from.
struct Entry {
    text: Box<str>,
    scopes: ScopeSet,
    result: Arc<BlockResult>,
    bytes: usize,
}

/// Block-pass results of the last check of one document. After a check it holds the
/// results of that check's blocks and nothing else, so it never outgrows the document
/// (about the document's size plus its findings; see [`BlockCache::bytes`]).
#[derive(Default)]
pub struct BlockCache {
    current: HashMap<u64, Entry>,
    previous: HashMap<u64, Entry>,
    /// The keys of the last check's blocks in document order, and where the next block
    /// of this check is expected among them: an edit leaves most blocks where they were,
    /// so a block is first compared with the one after the last hit, byte for byte, and
    /// hashed only when that is not it (hashing every block of a 5,000-word article was
    /// most of what a cache hit cost).
    order: Vec<u64>,
    next_order: Vec<u64>,
    cursor: usize,
    /// Keyed per cache, so nobody can aim texts at one bucket.
    hasher: std::hash::RandomState,
    bytes: usize,
    /// Blocks reused and blocks checked by the last check.
    pub hits: usize,
    pub misses: usize,
}

impl BlockCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Approximate heap bytes held (block texts, findings, facts), for callers that
    /// bound the memory of many caches.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Blocks held.
    pub fn len(&self) -> usize {
        self.current.len()
    }

    pub fn is_empty(&self) -> bool {
        self.current.is_empty()
    }

    pub(super) fn begin(&mut self) {
        self.previous = std::mem::take(&mut self.current);
        self.order = std::mem::take(&mut self.next_order);
        self.cursor = 0;
        self.hits = 0;
        self.misses = 0;
    }

    /// The cached result of a block, if this text with these scopes was checked by the
    /// last check (or already by this one).
    pub(super) fn get(&mut self, text: &str, scopes: ScopeSet) -> Option<Arc<BlockResult>> {
        let same = |e: &Entry| &*e.text == text && e.scopes == scopes;
        // Where the last check had its next block: equal bytes, no hash needed.
        if let Some(&key) = self.order.get(self.cursor) {
            if self.previous.get(&key).is_some_and(same) {
                if let Some(e) = self.previous.remove(&key) {
                    self.cursor += 1;
                    let r = e.result.clone();
                    return Some(self.hit(key, r, e));
                }
            }
        }
        let key = self.key(text, scopes);
        if let Some(e) = self.current.get(&key).filter(|e| same(e)) {
            self.hits += 1;
            self.next_order.push(key);
            return Some(e.result.clone());
        }
        let e = self.previous.remove(&key).filter(same)?;
        // Blocks moved (a paragraph was inserted or deleted): go on from this one.
        if let Some(i) = self.order.iter().skip(self.cursor).position(|&k| k == key) {
            self.cursor += i + 1;
        }
        let r = e.result.clone();
        Some(self.hit(key, r, e))
    }

    fn hit(&mut self, key: u64, result: Arc<BlockResult>, entry: Entry) -> Arc<BlockResult> {
        self.hits += 1;
        self.next_order.push(key);
        self.current.insert(key, entry);
        result
    }

    pub(super) fn put(&mut self, text: &str, scopes: ScopeSet, result: Arc<BlockResult>) {
        self.misses += 1;
        let key = self.key(text, scopes);
        let bytes = text.len() + result.heap_bytes() + 64;
        self.next_order.push(key);
        // A changed block stands where its old text stood: the next one is expected after it.
        if self
            .order
            .get(self.cursor)
            .is_some_and(|k| self.previous.contains_key(k))
        {
            self.cursor += 1;
        }
        // Two different blocks with one hash: the later one wins (the other is a miss next time).
        self.current.insert(
            key,
            Entry {
                text: text.into(),
                scopes,
                result,
                bytes,
            },
        );
    }

    /// Drops what the last check used and this one did not.
    pub(super) fn end(&mut self) {
        self.previous = HashMap::new();
        self.order = Vec::new();
        self.bytes = self.current.values().map(|e| e.bytes).sum();
    }

    fn key(&self, text: &str, scopes: ScopeSet) -> u64 {
        self.hasher.hash_one((text, scopes))
    }
}
