//! Block caches of the documents being edited, for `/v1/check` requests that name a
//! `document`: the web editor sends the whole text on every pause in typing, and only
//! the paragraphs that changed since its last check run the block pass again.
//!
//! Bounded: at most [`MAX_DOCUMENTS`] documents and `--session-cache-mb` of cached
//! results (texts, findings, facts, as [`BlockCache::bytes`] estimates them); past
//! either, the documents checked least recently are dropped. A document whose cache alone
//! is over the byte limit is not kept. The findings never depend on the cache (a hit
//! needs the same block text and scopes, and a cache is reset when the rules change), so
//! a document id shared by two clients, or guessed, costs speed at worst, never wrong
//! findings.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::incremental::Revision;
use crate::engine::{BlockCache, Engine};

/// Most documents whose caches are kept at once.
pub const MAX_DOCUMENTS: usize = 1024;
/// Longest `document` id accepted, in bytes.
pub const MAX_ID_BYTES: usize = 200;

/// One document's cache and the engine that filled it, and the last answer of an
/// incremental check (which keeps its own engine: a new engine empties the cache, not the
/// text an edit applies to).
#[derive(Default)]
pub struct DocCache {
    engine: Option<Arc<Engine>>,
    cache: BlockCache,
    pub last: Option<Revision>,
}

impl DocCache {
    /// The cache for `engine`, emptied first if another engine filled it.
    pub fn for_engine(&mut self, engine: &Arc<Engine>) -> &mut BlockCache {
        if !self.engine.as_ref().is_some_and(|e| Arc::ptr_eq(e, engine)) {
            self.engine = Some(engine.clone());
            self.cache = BlockCache::new();
        }
        &mut self.cache
    }

    /// Bytes held: the block cache's and the last answer's.
    pub fn bytes(&self) -> usize {
        self.cache.bytes() + self.last.as_ref().map_or(0, Revision::bytes)
    }
}

struct Slot {
    cache: Arc<Mutex<DocCache>>,
    last_used: u64,
    bytes: usize,
}

#[derive(Default)]
struct Inner {
    docs: HashMap<String, Slot>,
    clock: u64,
    bytes: usize,
}

/// The caches of all documents, LRU-bounded.
pub struct Sessions {
    max_bytes: usize,
    inner: Mutex<Inner>,
    /// Revision ids: a per-process start (from the clock) and a counter, so an id from
    /// before a restart names nothing after it.
    boot: u64,
    revisions: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Sessions {
    /// `max_bytes == 0` keeps nothing (every check runs whole).
    pub fn new(max_bytes: usize) -> Sessions {
        let boot = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Sessions {
            max_bytes,
            inner: Mutex::new(Inner::default()),
            boot,
            revisions: AtomicU64::new(0),
        }
    }

    /// A new revision id, never given before by this process.
    pub fn next_revision(&self) -> String {
        format!("{:x}-{}", self.boot, self.revisions.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// The cache of document `id` (a new, empty one the first time).
    pub fn get(&self, id: &str) -> Option<Arc<Mutex<DocCache>>> {
        if self.max_bytes == 0 {
            return None;
        }
        let mut inner = lock(&self.inner);
        inner.clock += 1;
        let now = inner.clock;
        if let Some(slot) = inner.docs.get_mut(id) {
            slot.last_used = now;
            return Some(slot.cache.clone());
        }
        let cache = Arc::new(Mutex::new(DocCache::default()));
        inner.docs.insert(
            id.to_string(),
            Slot {
                cache: cache.clone(),
                last_used: now,
                bytes: 0,
            },
        );
        Self::evict(&mut inner, self.max_bytes);
        Some(cache)
    }

    /// Records what document `id`'s cache holds after a check, and drops the least
    /// recently checked documents while over the limits.
    pub fn update(&self, id: &str, bytes: usize) {
        let mut inner = lock(&self.inner);
        let Some(slot) = inner.docs.get_mut(id) else { return };
        let old = std::mem::replace(&mut slot.bytes, bytes);
        inner.bytes = inner.bytes - old + bytes;
        if bytes > self.max_bytes {
            if let Some(s) = inner.docs.remove(id) {
                inner.bytes -= s.bytes;
            }
        }
        Self::evict(&mut inner, self.max_bytes);
    }

    fn evict(inner: &mut Inner, max_bytes: usize) {
        while inner.docs.len() > MAX_DOCUMENTS || inner.bytes > max_bytes {
            // A linear scan: at most MAX_DOCUMENTS entries, and only when over a limit.
            let Some(oldest) = inner
                .docs
                .iter()
                .min_by_key(|(_, s)| s.last_used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(s) = inner.docs.remove(&oldest) {
                inner.bytes -= s.bytes;
            }
        }
    }

    /// Documents and bytes held (for `/healthz` and the tests).
    pub fn stats(&self) -> (usize, usize) {
        let inner = lock(&self.inner);
        (inner.docs.len(), inner.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_dropped_least_recently_used_first_within_the_byte_limit() {
        let s = Sessions::new(1000);
        for id in ["a", "b", "c"] {
            s.get(id).unwrap();
            s.update(id, 300);
        }
        assert_eq!(s.stats(), (3, 900));
        s.get("a").unwrap(); // a is now the most recent
        s.get("d").unwrap();
        s.update("d", 300); // 1200 > 1000: b goes
        assert_eq!(s.stats(), (3, 900));
        let inner = lock(&s.inner);
        assert!(inner.docs.contains_key("a") && !inner.docs.contains_key("b"));
    }

    #[test]
    fn a_document_over_the_limit_alone_is_not_kept_and_zero_keeps_nothing() {
        let s = Sessions::new(1000);
        s.get("big").unwrap();
        s.update("big", 5000);
        assert_eq!(s.stats(), (0, 0));
        assert!(Sessions::new(0).get("x").is_none());
    }

    #[test]
    fn the_count_of_documents_is_bounded() {
        let s = Sessions::new(usize::MAX);
        for i in 0..MAX_DOCUMENTS + 10 {
            s.get(&i.to_string()).unwrap();
        }
        assert_eq!(s.stats().0, MAX_DOCUMENTS);
    }
}
