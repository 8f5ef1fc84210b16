//! The automata over the folded block: one per term set, or one shared by every set of
//! an engine ([`SharedScan`]), and what a search found ([`ScanHits`]).

use super::*;

/// Occurrences `(start, end, pattern)` of a set's scanner patterns in a folded block.
pub(super) type Occurrences = Vec<(usize, usize, u32)>;

/// What a [`SharedScan`] found in one folded block, per set; the block's
/// [`BlockContext`] keeps it for every kind of the block.
#[derive(Debug)]
pub struct ScanHits {
    /// The [`SharedScan::id`] that searched.
    pub(super) scan_id: u64,
    pub(super) buckets: Vec<Occurrences>,
}

impl ScanHits {
    /// Whether `scan` made these.
    pub fn is_of(&self, scan: &SharedScan) -> bool {
        self.scan_id == scan.id
    }
}

/// Who is interested in an occurrence of a scanner pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    /// Case-insensitive term pattern `p`.
    Folded(u32),
    /// Case-sensitive term pattern `p`: the block's bytes must equal it.
    Exact(u32),
    /// A literal of regex `gate`; with `exact`, the block's bytes must equal that gate
    /// literal (a case-sensitive regex).
    Gate { gate: u32, exact: Option<u32> },
}

/// The (folded) strings searched in the folded block, and who owns each.
pub(super) type ScannerBuilder = Interned<Owner>;

impl ScannerBuilder {
    pub(super) fn build(self) -> Option<(Scanner, Vec<Vec<Owner>>)> {
        Scanner::new(self.strings).map(|scanner| (scanner, self.owners))
    }
}

/// Whether `bytes` holds a lead byte of U+0300..U+037F (the combining diacritical marks).
pub(super) fn has_mark_lead_byte(bytes: &[u8]) -> bool {
    memchr::memchr2(0xCC, 0xCD, bytes).is_some()
}

/// The automaton over every scanner pattern, or (`plain`) over those without a
/// combining mark, built on first use.
pub(super) struct Scanner {
    pub(super) strings: Vec<String>,
    /// The patterns without a lead byte of a combining mark, when some have one.
    pub(super) plain: Option<Vec<u32>>,
    pub(super) plain_ac: OnceLock<Option<AhoCorasick>>,
    pub(super) full_ac: OnceLock<Option<AhoCorasick>>,
}

/// An automaton reporting every occurrence of every pattern. A DFA is the fastest, but
/// past a few thousand patterns its memory (megabytes) stops paying for itself; with
/// `!fast` (an automaton for the few blocks that hold combining marks) a contiguous NFA,
/// a tenth of the memory and of the build time, is enough.
pub(super) fn build_automaton<'a>(patterns: impl Iterator<Item = &'a str> + Clone, fast: bool) -> Option<AhoCorasick> {
    let mut builder = AhoCorasick::builder();
    builder.match_kind(MatchKind::Standard);
    if !fast {
        builder.kind(Some(AhoCorasickKind::ContiguousNFA));
    } else if patterns.clone().count() <= 5_000 {
        builder.kind(Some(AhoCorasickKind::DFA));
    }
    builder
        .build(patterns.clone())
        .or_else(|_| AhoCorasick::builder().match_kind(MatchKind::Standard).build(patterns))
        .ok()
}

impl Scanner {
    /// `None` when there are no patterns.
    pub(super) fn new(strings: Vec<String>) -> Option<Scanner> {
        if strings.is_empty() {
            return None;
        }
        let plain: Vec<u32> = (0..strings.len() as u32)
            .filter(|&i| !has_mark_lead_byte(strings[i as usize].as_bytes()))
            .collect();
        let plain = (plain.len() < strings.len()).then_some(plain);
        Some(Scanner {
            strings,
            plain,
            plain_ac: OnceLock::new(),
            full_ac: OnceLock::new(),
        })
    }

    /// Calls `f(start, end, pattern)` for every occurrence of every pattern in `hay`.
    pub(super) fn occurrences(&self, hay: &[u8], mut f: impl FnMut(usize, usize, usize)) {
        let (automaton, map) = match &self.plain {
            Some(plain) if !has_mark_lead_byte(hay) => (
                self.plain_ac
                    .get_or_init(|| build_automaton(plain.iter().map(|&i| self.strings[i as usize].as_str()), true)),
                Some(plain),
            ),
            _ => (
                self.full_ac
                    .get_or_init(|| build_automaton(self.strings.iter().map(String::as_str), self.plain.is_none())),
                None,
            ),
        };
        let Some(ac) = automaton else { return };
        let Ok(iter) = ac.try_find_overlapping_iter(Input::new(hay)) else {
            return;
        };
        for m in iter {
            let p = m.pattern().as_usize();
            let p = map.map_or(Some(p), |map| map.get(p).map(|&q| q as usize));
            if let Some(p) = p {
                f(m.start(), m.end(), p);
            }
        }
    }
}

/// The patterns of several [`TermSet`]s (of different kinds) in one automaton, so that a
/// block is searched once for all of them: each search costs about the same per byte
/// whatever the number of patterns, so four sets searched apart cost four times one.
pub struct SharedScan {
    /// Distinguishes scans, so that a block's [`ScanHits`] are read by their own scan only.
    pub(super) id: u64,
    pub(super) scanner: Scanner,
    /// Per shared pattern: `(set, pattern of that set)`.
    pub(super) map: Vec<Vec<(u32, u32)>>,
    pub(super) sets: usize,
}

impl SharedScan {
    /// The occurrences in the folded block `hay`, one list per set.
    pub(crate) fn search(&self, hay: &[u8]) -> ScanHits {
        let mut buckets = vec![Vec::new(); self.sets];
        self.scanner.occurrences(hay, |start, end, p| {
            for &(set, q) in &self.map[p] {
                buckets[set as usize].push((start, end, q));
            }
        });
        ScanHits {
            scan_id: self.id,
            buckets,
        }
    }
}

/// Makes `sets` search their blocks together (see [`SharedScan`]): the first set to search
/// a block searches it for all, and the block's [`BlockContext`] keeps the result. Each set still
/// reports exactly what it would alone. The engine calls this once with the sets of all
/// its checkers; sets without patterns are left alone.
pub fn share<'a>(sets: impl IntoIterator<Item = &'a mut TermSet>) {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    let mut sets: Vec<&mut TermSet> = sets.into_iter().filter(|s| s.scanner.is_some()).collect();
    if sets.len() < 2 {
        return;
    }
    let mut patterns: Interned<(u32, u32)> = Interned::default();
    for (set, term_set) in sets.iter().enumerate() {
        let Some(scanner) = &term_set.scanner else { continue };
        for (q, pattern) in scanner.strings.iter().enumerate() {
            patterns.add(pattern.clone(), (set as u32, q as u32));
        }
    }
    let Some(scanner) = Scanner::new(patterns.strings) else {
        return;
    };
    let scan = Arc::new(SharedScan {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        scanner,
        map: patterns.owners,
        sets: sets.len(),
    });
    for (set, term_set) in sets.iter_mut().enumerate() {
        term_set.shared = Some((Arc::clone(&scan), set));
    }
}
