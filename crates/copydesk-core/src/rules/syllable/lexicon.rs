//! The data behind the `syllable` kind: attested syllables with their counts, and counts
//! of syllable pairs and triples, derived from a news corpus (see `data/syllables/SOURCE.md`).
//! Each is parsed on first use, so a pack without the rules that need it pays nothing.

use foldhash::{HashMap, HashMapExt, HashSet};
use std::borrow::Cow;
use std::sync::{Arc, LazyLock, OnceLock};

const ATTESTED: &str = include_str!("../../../../../data/syllables/attested.tsv");
const NAMES: &str = include_str!("../../../../../data/syllables/names.txt");
const VARIANTS: &str = include_str!("../../../../../data/syllables/variants.tsv");
const UNIHAN: &str = include_str!("../../../../../data/syllables/unihan.txt");
const PYVI: &str = include_str!("../../../../../data/syllables/pyvi.txt");
const PYVI_ALONE: &str = include_str!("../../../../../data/syllables/pyvi-alone.txt");
static BIGRAM_BYTES: &[u8] = include_bytes!("../../../../../data/bigrams/bigrams.fst");
static TRIGRAM_BYTES: &[u8] = include_bytes!("../../../../../data/bigrams/trigrams.fst");
/// The same tables as sorted rows by first syllable, written by `build.rs` ([`Rows`]).
static BIGRAM_ROWS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/bigram_rows.bin"));
static TRIGRAM_ROWS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/trigram_rows.bin"));

/// A syllable's number: its position in the sorted attested list.
pub type Id = u16;

/// Attested syllables (lookup keys, see [`crate::text::vietnamese::Syllable::key`]) and
/// how often each was seen.
pub struct Lexicon {
    /// Each attested key's id and count.
    counts: HashMap<Box<str>, (Id, u32)>,
    /// Counts by id.
    by_id: Vec<u32>,
    keys_by_id: Vec<Box<str>>,
    /// All counts added up.
    total: u64,
    names: HashSet<Box<str>>,
    /// Valid syllables known from a dictionary source though not seen in the corpus.
    known: HashSet<Box<str>>,
    /// Syllables that a dictionary source lists as words on their own (`thừng`, `cuốc`),
    /// not only inside longer words (`trặn` of `tròn trặn`).
    alone: HashSet<Box<str>>,
    /// The attested one-slip variants of each attested syllable (precomputed: finding
    /// them takes hundreds of validations).
    variants: HashMap<Box<str>, Arc<[Box<str>]>>,
    /// The same, by id.
    variant_ids: Vec<Box<[Id]>>,
    /// The attested keys with their tone marks taken off (NFC), built on first use.
    toneless: OnceLock<Option<HashSet<Box<str>>>>,
    /// The pairs of ids `a << 16 | b` whose keys make a word of the built-in
    /// two-syllable list ([`Lexicon::is_compound`]), built on first use.
    compounds: OnceLock<HashSet<u32>>,
}

impl Lexicon {
    /// Parses `syllable<TAB>count` lines; `#` lines are comments. Malformed lines are
    /// skipped (the shipped file is checked by a test).
    pub fn parse(text: &str) -> Lexicon {
        let mut rows: Vec<(&str, u32)> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (k, c) = l.split_once('\t')?;
                Some((k, c.trim().parse().ok()?))
            })
            .collect();
        // Ids follow byte order, as the n-gram tables were written.
        rows.sort_unstable();
        rows.dedup_by(|a, b| a.0 == b.0);
        rows.truncate(usize::from(Id::MAX));
        let counts = rows
            .iter()
            .enumerate()
            .map(|(i, &(k, c))| (Box::from(k), (i as Id, c)))
            .collect();
        Lexicon {
            counts,
            by_id: rows.iter().map(|r| r.1).collect(),
            keys_by_id: rows.iter().map(|r| Box::from(r.0)).collect(),
            total: rows.iter().map(|r| u64::from(r.1)).sum(),
            names: Default::default(),
            known: Default::default(),
            alone: Default::default(),
            variants: Default::default(),
            variant_ids: Default::default(),
            toneless: OnceLock::new(),
            compounds: OnceLock::new(),
        }
    }

    /// The syllables of the lists of known syllables.
    pub fn known_keys(&self) -> impl Iterator<Item = &str> {
        self.known.iter().map(|k| &**k)
    }

    /// Adds a list of known syllables (keys): one a line, `#` lines comments. Lists add up.
    pub fn with_known(mut self, text: &str) -> Lexicon {
        self.known.extend(list_lines(text));
        self
    }

    /// Adds a list of syllables that are words on their own (keys): one a line, `#` lines
    /// comments.
    pub fn with_alone(mut self, text: &str) -> Lexicon {
        self.alone.extend(list_lines(text));
        self
    }

    /// Whether a dictionary source lists the key as a word on its own.
    pub fn is_word_alone(&self, key: &str) -> bool {
        self.alone.contains(key)
    }

    /// Adds the variants table: `key<TAB>variant variant …` lines, `#` lines comments.
    pub fn with_variants(mut self, text: &str) -> Lexicon {
        self.variants = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (k, vs) = l.split_once('\t')?;
                Some((Box::from(k), vs.split_whitespace().map(Box::from).collect()))
            })
            .collect();
        self.variant_ids = vec![Box::default(); self.by_id.len()];
        for (k, vs) in &self.variants {
            if let Some(id) = self.id(k) {
                self.variant_ids[usize::from(id)] = vs.iter().filter_map(|v| self.id(v)).collect();
            }
        }
        self
    }

    /// The ids of the precomputed attested variants of an attested syllable.
    pub fn variant_ids(&self, id: Id) -> &[Id] {
        self.variant_ids.get(usize::from(id)).map_or(&[], |v| &v[..])
    }

    /// The key of an id.
    pub fn key_of(&self, id: Id) -> &str {
        &self.keys_by_id[usize::from(id)]
    }

    /// The precomputed attested variants of an attested syllable.
    pub fn variants(&self, key: &str) -> Option<&Arc<[Box<str>]>> {
        self.variants.get(key)
    }

    /// Whether a key is attested or in the list of known syllables.
    pub fn is_known(&self, key: &str) -> bool {
        self.is_attested(key) || self.known.contains(key)
    }

    /// Adds the words of a name list: one lower-case word a line, `#` lines comments.
    pub fn with_names(mut self, text: &str) -> Lexicon {
        self.names = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| Box::from(l.trim()))
            .collect();
        self
    }

    /// Whether a lower-case word is a name seen in the corpus that is not a standard
    /// syllable (`đắk`, `krông`).
    pub fn is_name(&self, word: &str) -> bool {
        self.names.contains(word)
    }

    /// How often the syllable with this key was seen; 0 when it is not attested.
    pub fn count(&self, key: &str) -> u32 {
        self.counts.get(key).map_or(0, |c| c.1)
    }

    /// The id of an attested key.
    pub fn id(&self, key: &str) -> Option<Id> {
        self.counts.get(key).map(|c| c.0)
    }

    /// How often the syllable with this id was seen.
    pub fn count_of(&self, id: Id) -> u32 {
        self.by_id.get(usize::from(id)).copied().unwrap_or(0)
    }

    /// All syllables seen, with repeats.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Whether the syllables `a b` make a word of the built-in two-syllable list: what
    /// [`crate::text::compounds::is_builtin_compound`] answers for their keys. The list is
    /// keyed once per process by id pairs: each key of the list split at a space whose
    /// two sides are the word-list keys of attested syllables gives the pairs of their
    /// ids. A look-up is then one probe of a set of numbers, where hashing and comparing
    /// the two syllables' keys was about 8 % of a first check's cycles (perf25).
    pub fn is_compound(&self, a: Id, b: Id) -> bool {
        self.compounds
            .get_or_init(|| self.compound_pairs())
            .contains(&(u32::from(a) << 16 | u32::from(b)))
    }

    fn compound_pairs(&self) -> HashSet<u32> {
        use crate::text::compounds::{builtin_keys, syllable_key};
        // Several attested keys can share a word-list key (it ignores where the tone
        // mark sits).
        let mut ids: HashMap<String, Vec<Id>> = HashMap::new();
        for (id, k) in self.keys_by_id.iter().enumerate() {
            ids.entry(syllable_key(k)).or_default().push(id as Id);
        }
        let mut pairs = HashSet::with_capacity_and_hasher(builtin_keys().len(), Default::default());
        for key in builtin_keys() {
            for (at, _) in key.match_indices(' ') {
                let (Some(left), Some(right)) = (ids.get(&key[..at]), ids.get(&key[at + 1..])) else {
                    continue;
                };
                for &a in left {
                    pairs.extend(right.iter().map(|&b| u32::from(a) << 16 | u32::from(b)));
                }
            }
        }
        pairs
    }

    /// Whether `toneless` (lower case, NFC, no tone mark) is some attested key with its
    /// tone mark taken off: an edit of a word can be attested only if its toneless
    /// spelling passes (see [`super::slips::one_slip_where`]).
    /// (Always true if some attested key does not split into letters: nothing is ruled out.)
    pub fn is_toneless_attested(&self, toneless: &str) -> bool {
        let set = self.toneless.get_or_init(|| {
            use crate::text::vietnamese::{letters_checked, letters_to_nfc, Tone};
            self.keys_by_id
                .iter()
                .map(|k| {
                    let mut letters = letters_checked(k).ok()?;
                    letters.iter_mut().for_each(|l| l.tone = Tone::Level);
                    Some(letters_to_nfc(&letters).into_boxed_str())
                })
                .collect()
        });
        set.as_ref().is_none_or(|s| s.contains(toneless))
    }

    pub fn is_attested(&self, key: &str) -> bool {
        self.counts.contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.counts.keys().map(|k| &**k)
    }
}

/// The shipped list of attested syllables.
pub fn lexicon() -> &'static Lexicon {
    static L: LazyLock<Lexicon> = LazyLock::new(|| {
        Lexicon::parse(ATTESTED)
            .with_names(NAMES)
            .with_known(UNIHAN)
            .with_known(PYVI)
            .with_alone(PYVI_ALONE)
            .with_variants(VARIANTS)
    });
    &L
}

/// A table of n-gram counts: an [`fst::Map`] whose keys are syllable ids written as
/// fixed-width big-endian `u16`s, so byte order is id order (format in
/// `data/bigrams/SOURCE.md`). A header under the empty key names the `n` of the table
/// and the number of syllables its ids count.
pub struct Table {
    map: fst::Map<Cow<'static, [u8]>>,
    /// The same keys as sorted rows (the shipped tables, see [`Table::with_rows`]); look-ups
    /// read them instead of walking the automaton.
    rows: Option<Rows>,
}

/// A table's keys by first syllable id, read in place from the file `build.rs` writes
/// from the shipped automaton (layout there, `ngram_rows`): each id's full-length keys
/// (the bytes after the id as a big-endian number: `b` for a pair, `b << 16 | c` for a
/// triple), sorted, with their values, and the value of the id's own 2-byte key. A
/// look-up is a binary search of one row (a few dozen keys on average).
struct Rows {
    /// By id: the value of the 2-byte key (`u64::MAX`: none), 8 bytes each.
    singles: &'static [u8],
    /// By id: where its row starts, and after the last id where it ends (4 bytes each).
    starts: &'static [u8],
    keys: &'static [u8],
    values: &'static [u8],
    /// Bytes a value takes.
    width: usize,
}

/// The little-endian number of `width` bytes at `at` in `bytes`. Each width the rows use
/// is read as a fixed-size array: a copy of a width known only at run time was a call to
/// `memcpy` at every look-up (about 2 % of a first check, perf21).
#[inline]
fn uint(bytes: &[u8], at: usize, width: usize) -> u64 {
    fn le<const N: usize>(bytes: &[u8], at: usize) -> u64 {
        let mut b = [0; 8];
        b[..N].copy_from_slice(&bytes[at..at + N]);
        u64::from_le_bytes(b)
    }
    match width {
        1 => le::<1>(bytes, at),
        2 => le::<2>(bytes, at),
        4 => le::<4>(bytes, at),
        8 => le::<8>(bytes, at),
        _ => {
            let mut b = [0; 8];
            b[..width].copy_from_slice(&bytes[at..at + width]);
            u64::from_le_bytes(b)
        }
    }
}

impl Rows {
    /// The rows in `blob` if it was written from exactly `fst` (its length and last 8
    /// bytes, its checksum) and is whole; else `None` (the automaton is walked).
    fn parse(blob: &'static [u8], fst: &[u8], header: u64, syllables: usize) -> Option<Rows> {
        let (tag, rest) = blob.split_at_checked(32)?;
        let fst_tail = fst.get(fst.len().checked_sub(8)?..)?;
        if &tag[..8] != b"CDNGROWS"
            || uint(tag, 8, 8) != fst.len() as u64
            || &tag[16..24] != fst_tail
            || uint(tag, 24, 8) != header
        {
            return None;
        }
        let width = usize::try_from(uint(rest, 0, 4)).ok()?;
        if ![1, 2, 4, 8].contains(&width) {
            return None;
        }
        let (singles, rest) = rest[4..].split_at_checked(syllables * 8)?;
        let (starts, rest) = rest.split_at_checked((syllables + 1) * 4)?;
        let n = usize::try_from(uint(starts, syllables * 4, 4)).ok()?;
        let (keys, values) = rest.split_at_checked(n * 4)?;
        let sorted = (0..syllables).all(|a| uint(starts, a * 4, 4) <= uint(starts, a * 4 + 4, 4));
        (values.len() == n * width && sorted).then_some(Rows {
            singles,
            starts,
            keys,
            values,
            width,
        })
    }

    fn single(&self, a: Id) -> Option<u64> {
        let at = usize::from(a) * 8;
        let v = uint(self.singles.get(at..at + 8)?, 0, 8);
        (v != u64::MAX).then_some(v)
    }

    /// The row of `a`: positions of its keys.
    #[inline]
    fn row(&self, a: Id) -> std::ops::Range<usize> {
        let at = usize::from(a) * 4;
        match self.starts.get(at..at + 8) {
            Some(s) => uint(s, 0, 4) as usize..uint(s, 4, 4) as usize,
            None => 0..0,
        }
    }

    #[inline]
    fn key(&self, i: usize) -> u32 {
        uint(self.keys, i * 4, 4) as u32
    }

    /// The first position in `a`'s row whose key is at least `key`.
    #[inline]
    fn lower_bound(&self, a: Id, key: u32) -> (usize, usize) {
        self.lower_bound_in(self.row(a), key)
    }

    /// The first position in `range` (part of a row) whose key is at least `key`.
    #[inline]
    fn lower_bound_in(&self, range: std::ops::Range<usize>, key: u32) -> (usize, usize) {
        let std::ops::Range { mut start, end } = range;
        let mut len = end - start;
        while len > 0 {
            let half = len / 2;
            if self.key(start + half) < key {
                start += half + 1;
                len -= half + 1;
            } else {
                len = half;
            }
        }
        (start, end)
    }

    /// The value of the full key `a` then `rest`.
    #[inline]
    fn get(&self, a: Id, rest: u32) -> Option<u64> {
        self.get_in(self.row(a), rest)
    }

    /// The value of the key whose bytes after the first id are `rest`, looked for in
    /// `range` of the first id's row.
    #[inline]
    fn get_in(&self, range: std::ops::Range<usize>, rest: u32) -> Option<u64> {
        let (i, end) = self.lower_bound_in(range, rest);
        (i < end && self.key(i) == rest).then(|| self.value(i))
    }

    #[inline]
    fn value(&self, i: usize) -> u64 {
        uint(self.values, i * self.width, self.width)
    }

    /// Whether a full key `a` then `rest` has `rest` in `lo..=hi`.
    #[inline]
    fn any_in(&self, a: Id, lo: u32, hi: u32) -> bool {
        let (i, end) = self.lower_bound(a, lo);
        i < end && self.key(i) <= hi
    }
}

/// Positions `start..start + len` in a table's rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Range32 {
    start: u32,
    len: u32,
}

impl Range32 {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }
}

/// A hashed index of the pairs `a b` that the pairs table holds or that start a triple,
/// each with the pair's value and where the triples `a b _` are in the triples' rows. A
/// look-up reads one or two cache lines, where the binary search of a row (some rows
/// hold thousands of keys) missed the cache at most of its steps, and the per-thread memo
/// in front of it missed once more: the n-gram look-ups were about a quarter of the cycles
/// of a first check (perf25). Built once at load from the rows, each read once in order
/// (linear); open addressing with linear probing, at most 60 % full, so every probe meets
/// an empty slot. The shipped tables: 148,611 pairs in 262,144 slots of 16 bytes (4 MB),
/// and a filter of 256 KB.
struct PairIndex {
    slots: Box<[Slot]>,
    /// One bit per hash of a key, set for each key of the index: many pairs asked about
    /// (a variant next to the written words) are in neither table, and the filter, small
    /// enough to stay in a core's cache, says so for most of them without reading the
    /// slots (a first check 7 % faster, perf25).
    filter: Box<[u64]>,
    /// `slots.len() - 1`; the length is a power of two.
    mask: usize,
    /// 64 less the bits of a slot number (Fibonacci hashing keeps the top bits).
    shift: u32,
}

#[derive(Clone, Copy)]
struct Slot {
    /// `a << 16 | b`, or [`Slot::EMPTY`] (no id is `Id::MAX`: see [`Lexicon::parse`]).
    key: u32,
    /// The pairs table's value of `a b`, or [`Slot::NO_PAIR`].
    pair: u32,
    triples: Range32,
}

impl Slot {
    const EMPTY: u32 = u32::MAX;
    const NO_PAIR: u32 = u32::MAX;
}

impl PairIndex {
    /// The index of two tables read from rows; `None` when a value or a position does not
    /// fit its slot (the look-ups then read the rows).
    fn build(pairs: &Rows, triples: &Rows, syllables: usize) -> Option<PairIndex> {
        if syllables > usize::from(Id::MAX) {
            return None;
        }
        let filled = Self::slots(pairs, triples, syllables)?;
        // At most 60 % full.
        let len = (filled.len() * 5 / 3 + 1).next_power_of_two().max(2);
        let empty = Slot {
            key: Slot::EMPTY,
            pair: Slot::NO_PAIR,
            triples: Range32::default(),
        };
        let mut index = PairIndex {
            slots: vec![empty; len].into_boxed_slice(),
            filter: vec![0; FILTER_WORDS].into_boxed_slice(),
            mask: len - 1,
            shift: 64 - len.trailing_zeros(),
        };
        for slot in filled {
            let mut i = index.slot_of(slot.key);
            while index.slots[i].key != Slot::EMPTY {
                i = (i + 1) & index.mask;
            }
            index.slots[i] = slot;
            let bit = filter_bit(slot.key);
            index.filter[bit / 64] |= 1 << (bit % 64);
        }
        Some(index)
    }

    /// The slot of each pair, merging each id's row of pairs with the pairs that start its
    /// row of triples (both sorted by the second id). `None` when a value or a position
    /// does not fit.
    fn slots(pairs: &Rows, triples: &Rows, syllables: usize) -> Option<Vec<Slot>> {
        const NONE: u32 = u32::MAX;
        let mut out = Vec::with_capacity(pairs.keys.len() / 4 + triples.keys.len() / 16);
        for a in 0..syllables {
            let (p, t) = (pairs.row(a as Id), triples.row(a as Id));
            let (mut i, mut j) = (p.start, t.start);
            loop {
                let pb = if i < p.end { pairs.key(i) } else { NONE };
                let tb = if j < t.end { triples.key(j) >> 16 } else { NONE };
                let b = pb.min(tb);
                if b == NONE {
                    break;
                }
                if b > u32::from(Id::MAX) {
                    return None;
                }
                let mut slot = Slot {
                    key: (a as u32) << 16 | b,
                    pair: Slot::NO_PAIR,
                    triples: Range32::default(),
                };
                if pb == b {
                    slot.pair = u32::try_from(pairs.value(i)).ok().filter(|&v| v != Slot::NO_PAIR)?;
                    i += 1;
                }
                if tb == b {
                    let start = j;
                    j += 1;
                    while j < t.end && triples.key(j) >> 16 == b {
                        j += 1;
                    }
                    slot.triples = Range32 {
                        start: u32::try_from(start).ok()?,
                        len: u32::try_from(j - start).ok()?,
                    };
                }
                out.push(slot);
            }
        }
        Some(out)
    }

    #[inline]
    fn slot_of(&self, key: u32) -> usize {
        (u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The slot of `a b`, if the pair is in either table.
    #[inline]
    fn find(&self, a: Id, b: Id) -> Option<&Slot> {
        let key = u32::from(a) << 16 | u32::from(b);
        let bit = filter_bit(key);
        if self.filter[bit / 64] & 1 << (bit % 64) == 0 {
            return None;
        }
        self.probe(key)
    }

    /// [`PairIndex::find`] without the filter: for pairs that are mostly in the index
    /// (two written words), where the filter's answer is one more cache miss.
    #[inline]
    fn probe(&self, key: u32) -> Option<&Slot> {
        let mut i = self.slot_of(key);
        // Ends: the table always has an empty slot.
        loop {
            let s = &self.slots[i];
            if s.key == key {
                return Some(s);
            }
            if s.key == Slot::EMPTY {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The pairs table's value of `a b`.
    #[inline]
    fn pair(&self, a: Id, b: Id) -> Option<u64> {
        self.find(a, b)
            .filter(|s| s.pair != Slot::NO_PAIR)
            .map(|s| u64::from(s.pair))
    }

    /// [`PairIndex::pair`] without the filter ([`PairIndex::probe`]).
    #[inline]
    fn pair_unfiltered(&self, a: Id, b: Id) -> Option<u64> {
        self.probe(u32::from(a) << 16 | u32::from(b))
            .filter(|s| s.pair != Slot::NO_PAIR)
            .map(|s| u64::from(s.pair))
    }

    /// Where the triples `a b _` are (empty when there are none).
    #[inline]
    fn triples(&self, a: Id, b: Id) -> Range32 {
        self.find(a, b).map_or_else(Range32::default, |s| s.triples)
    }
}

/// The words of [`PairIndex::filter`]: 2^21 bits, 256 KB.
const FILTER_WORDS: usize = 1 << 15;

/// A key's bit in [`PairIndex::filter`] (a hash independent of the slot's).
#[inline]
fn filter_bit(key: u32) -> usize {
    (u64::from(key).wrapping_mul(0xD6E8_FEB8_6659_FD93) >> (64 - 21)) as usize
}

/// The header value of a table of `n`-grams over `syllables` ids.
fn header(n: u8, syllables: usize) -> u64 {
    u64::from(n) << 32 | syllables as u64
}

impl Table {
    /// Reads a table of `n`-grams over the `syllables` ids of the attested list. The
    /// crate checks the automaton (size, format version, checksum); the header checks
    /// that it is this kind of table, built with the same attested list.
    pub fn parse(bytes: impl Into<Cow<'static, [u8]>>, n: u8, syllables: usize) -> Result<Table, String> {
        let map = fst::Map::new(bytes.into()).map_err(|e| e.to_string())?;
        map.as_fst().verify().map_err(|e| e.to_string())?;
        match map.get([]) {
            Some(h) if h == header(n, syllables) => Ok(Table { map, rows: None }),
            Some(h) => Err(format!(
                "header {h:#x}: not a table of {n}-grams over {syllables} syllables (rebuild it with attested.tsv)"
            )),
            None => Err("no header".into()),
        }
    }

    /// The same table, its look-ups answered by the rows in `blob` when `build.rs` wrote
    /// them from this table's bytes (else unchanged).
    fn with_rows(mut self, blob: &'static [u8]) -> Table {
        let header = self.map.get([]).unwrap_or_default();
        let syllables = (header & 0xFFFF_FFFF) as usize;
        self.rows = Rows::parse(blob, self.map.as_fst().as_bytes(), header, syllables);
        self
    }

    /// The value of the 2-byte key `a`.
    fn single(&self, a: Id) -> Option<u64> {
        match &self.rows {
            Some(r) => r.single(a),
            None => self.map.get(a.to_be_bytes()),
        }
    }

    /// The value of the key `a b` (a pairs table).
    #[inline]
    fn get2(&self, a: Id, b: Id) -> Option<u64> {
        match &self.rows {
            Some(r) => r.get(a, u32::from(b)),
            None => self.map.get(key2(a, b)),
        }
    }

    /// The value of the key `a b c` (a triples table).
    #[inline]
    fn get3(&self, a: Id, b: Id, c: Id) -> Option<u64> {
        match &self.rows {
            Some(r) => r.get(a, u32::from(b) << 16 | u32::from(c)),
            None => self.map.get(key3(a, b, c)),
        }
    }

    /// Whether some key of a triples table starts with `a b` (its keys are all `a b c`).
    #[inline]
    fn has_prefix2(&self, a: Id, b: Id) -> bool {
        match &self.rows {
            Some(r) => r.any_in(a, u32::from(b) << 16, u32::from(b) << 16 | 0xFFFF),
            None => self.has_prefix(&key2(a, b)),
        }
    }

    /// Whether some key starts with `prefix`: a walk down the automaton, as cheap as a
    /// lookup (a range stream would allocate).
    fn has_prefix(&self, prefix: &[u8]) -> bool {
        let fst = self.map.as_fst();
        let mut node = fst.root();
        for &b in prefix {
            match node.find_input(b) {
                Some(i) => node = fst.node(node.transition_addr(i)),
                None => return false,
            }
        }
        true
    }

    /// Keys, the header included.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

fn key(ids: &[Id]) -> Vec<u8> {
    ids.iter().flat_map(|i| i.to_be_bytes()).collect()
}

fn key2(a: Id, b: Id) -> [u8; 4] {
    let ([a0, a1], [b0, b1]) = (a.to_be_bytes(), b.to_be_bytes());
    [a0, a1, b0, b1]
}

fn key3(a: Id, b: Id, c: Id) -> [u8; 6] {
    let ([a0, a1], [b0, b1], [c0, c1]) = (a.to_be_bytes(), b.to_be_bytes(), c.to_be_bytes());
    [a0, a1, b0, b1, c0, c1]
}

/// A writer with the header of a table of `n`-grams over `syllables` ids.
fn writer(n: u8, syllables: usize) -> Result<fst::MapBuilder<Vec<u8>>, String> {
    let mut b = fst::MapBuilder::memory();
    b.insert([], header(n, syllables)).map_err(|e| e.to_string())?;
    Ok(b)
}

fn check_ids(ids: &[Id], syllables: usize) -> Result<(), String> {
    match ids.iter().find(|&&i| usize::from(i) >= syllables) {
        Some(i) => Err(format!("{ids:?}: id {i} past the {syllables} syllables")),
        None => Ok(()),
    }
}

/// How many low bits of a pair's value hold the number of different syllables after
/// it: enough for any id.
fn distinct_bits(syllables: usize) -> u32 {
    usize::BITS - syllables.leading_zeros()
}

/// Writes the pairs table for [`Table::parse`] from pairs sorted by ids, with counts,
/// and the triples (for how many different syllables follow each pair): `a b` → `(count
/// − distinct) << distinct_bits | distinct`, where `distinct` (at most the count) is the
/// number of different third syllables after it (small values share more of the
/// automaton); `a` → how many different syllables follow it.
pub fn build_pairs(
    syllables: usize,
    pairs: &[(Id, Id, u32)],
    triples: &[(Id, Id, Id, u32)],
) -> Result<Vec<u8>, String> {
    let mut runs: HashMap<(Id, Id), u64> = HashMap::new();
    for t in triples {
        *runs.entry((t.0, t.1)).or_default() += 1;
    }
    let mut b = writer(2, syllables)?;
    let err = |e: fst::Error| e.to_string();
    let mut at = 0;
    while at < pairs.len() {
        let a = pairs[at].0;
        let len = pairs[at..].iter().take_while(|p| p.0 == a).count();
        b.insert(a.to_be_bytes(), len as u64).map_err(err)?;
        for &(a, c, n) in &pairs[at..at + len] {
            check_ids(&[a, c], syllables)?;
            let distinct = runs.get(&(a, c)).copied().unwrap_or(0);
            let rest = u64::from(n)
                .checked_sub(distinct)
                .ok_or_else(|| format!("{:?}: followed more often than seen", [a, c]))?;
            b.insert(key(&[a, c]), rest << distinct_bits(syllables) | distinct)
                .map_err(err)?;
        }
        at += len;
    }
    b.into_inner().map_err(err)
}

/// The most a triple's count says: the model was tuned on counts capped here, and a
/// frequent triple's exact count barely moves its estimate.
pub const TRIPLE_COUNT_MAX: u32 = 255;

/// Writes the triples table for [`Table::parse`] from triples sorted by ids, each seen at
/// least once: `a b c` → its count (capped at [`TRIPLE_COUNT_MAX`]) less one, so that
/// the many triples seen once carry no output and share their suffixes.
pub fn build_triples(syllables: usize, triples: &[(Id, Id, Id, u32)]) -> Result<Vec<u8>, String> {
    let mut b = writer(3, syllables)?;
    for &(a, c, d, n) in triples {
        check_ids(&[a, c, d], syllables)?;
        if n == 0 {
            return Err(format!("{:?}: a triple seen 0 times", [a, c, d]));
        }
        let n = n.min(TRIPLE_COUNT_MAX) - 1;
        b.insert(key(&[a, c, d]), u64::from(n)).map_err(|e| e.to_string())?;
    }
    b.into_inner().map_err(|e| e.to_string())
}

fn count(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Counts of adjacent syllable pairs (seen at least twice) and triples (seen at least
/// once) in the corpus, by syllable id (see [`Lexicon::id`]). Empty when a shipped table
/// did not load.
pub struct Ngrams {
    /// The low bits of a pair's value that hold its number of followers.
    bits: u32,
    /// This table's key in the per-thread look-up memo ([`memo`]); `None`: no memo.
    memo: Option<u64>,
    /// How many different syllables follow each syllable in the pairs table, by id: the
    /// model asks for every pair it scores, so they are read once.
    followers: Vec<u32>,
    pairs: Option<Table>,
    triples: Option<Table>,
    /// The pairs and the pairs that start triples, hashed ([`PairIndex`]): built at load
    /// from the rows of the shipped tables; look-ups use it instead of the memo and the
    /// binary searches.
    index: Option<PairIndex>,
}

/// What the triples table knows of the syllables that follow a pair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Followers {
    /// How often the pair was followed by a syllable: the pair's count, or (a pair seen
    /// once, not in the pairs table) its one triple's.
    pub total: u32,
    /// How many different syllables followed it.
    pub distinct: u32,
    /// How often the given third syllable followed it (capped at 255).
    pub count: u32,
}

/// The triples that start with one pair of syllables (see [`Ngrams::run`]).
#[derive(Clone, Copy)]
pub struct Run<'a> {
    ngrams: &'a Ngrams,
    a: Id,
    b: Id,
    total: u32,
    distinct: u32,
    /// Where the triples `a b _` are in the triples' rows, when the index said (read
    /// without another look-up of `a b`).
    triples: Option<Range32>,
}

impl Run<'_> {
    /// What the run says about `c` as the third syllable.
    pub fn followers(&self, c: Id) -> Followers {
        let count = match (self.distinct, self.triples) {
            (0, _) => 0,
            (_, Some(range)) => self
                .ngrams
                .triple_in(range, self.b, c)
                .map_or(0, |n| count(n).saturating_add(1)),
            _ => self
                .ngrams
                .triple_value(self.a, self.b, c)
                .map_or(0, |n| count(n).saturating_add(1)),
        };
        Followers {
            total: self.total,
            distinct: self.distinct,
            count,
        }
    }
}

/// A per-thread memo of the n-gram tables' look-ups. A look-up in an [`fst::Map`] walks
/// four to six nodes, decoding each: 30–40% of a first check of an article went there
/// (serve19's profile). News text repeats its syllable pairs within an article and across
/// articles, so a small direct-mapped memo in front of the tables answers most look-ups
/// with one multiplication and one comparison. (The shipped tables are now read from
/// sorted rows, [`Rows`]; the memo still saves 2% of a first check over the binary
/// searches, perf17.) It only repeats what the tables answered
/// for the same key (a test holds memoized and direct answers equal), so nothing a rule
/// decides changes. Fixed size (about 0.6 MB a thread), nothing to evict or bound.
mod memo {
    use std::cell::RefCell;

    /// Slots a table of each kind holds (powers of two).
    const PAIR_BITS: u32 = 14;
    const PREFIX_BITS: u32 = 13;
    const TRIPLE_BITS: u32 = 15;
    /// No key is all ones: an id is below `Id::MAX` (the attested list is truncated there).
    const EMPTY: u64 = u64::MAX;

    pub struct Memo {
        /// Which [`super::Ngrams`] the slots are for: another one empties them.
        owner: u64,
        pub pairs: Slots<Option<u64>>,
        pub prefixes: Slots<bool>,
        pub triples: Slots<Option<u64>>,
    }

    pub struct Slots<V> {
        bits: u32,
        slots: Vec<(u64, V)>,
    }

    impl<V: Copy + Default> Slots<V> {
        fn new(bits: u32) -> Slots<V> {
            Slots {
                bits,
                slots: vec![(EMPTY, V::default()); 1 << bits],
            }
        }

        fn clear(&mut self) {
            self.slots.fill((EMPTY, V::default()));
        }

        /// The answer held for `key`, else `look_up`'s, which is then held (in place of
        /// whatever shared its slot).
        #[inline]
        pub fn get_or(&mut self, key: u64, look_up: impl FnOnce() -> V) -> V {
            let i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize;
            let slot = &mut self.slots[i];
            if slot.0 == key {
                return slot.1;
            }
            let v = look_up();
            *slot = (key, v);
            v
        }
    }

    thread_local! {
        static MEMO: RefCell<Memo> = RefCell::new(Memo {
            owner: 0,
            pairs: Slots::new(PAIR_BITS),
            prefixes: Slots::new(PREFIX_BITS),
            triples: Slots::new(TRIPLE_BITS),
        });
    }

    /// Runs `f` on this thread's memo for the tables `owner` (emptied if it held
    /// another's). Look-ups inside `f` must not come back here (they do not: they read
    /// the tables).
    #[inline]
    pub fn with<R>(owner: u64, f: impl FnOnce(&mut Memo) -> R) -> R {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.owner != owner {
                m.owner = owner;
                m.pairs.clear();
                m.prefixes.clear();
                m.triples.clear();
            }
            f(&mut m)
        })
    }
}

/// Keys of the memo: a pair or a triple of ids.
fn pair_key(a: Id, b: Id) -> u64 {
    u64::from(a) << 16 | u64::from(b)
}

fn triple_key(a: Id, b: Id, c: Id) -> u64 {
    u64::from(a) << 32 | u64::from(b) << 16 | u64::from(c)
}

impl Ngrams {
    /// Tables whose look-ups go through the [`PairIndex`] when both have rows, else
    /// through the per-thread memo.
    fn indexed(syllables: usize, pairs: Option<Table>, triples: Option<Table>) -> Ngrams {
        let index = match (&pairs, &triples) {
            (Some(Table { rows: Some(p), .. }), Some(Table { rows: Some(t), .. })) => PairIndex::build(p, t, syllables),
            _ => None,
        };
        match index {
            Some(index) => Ngrams {
                index: Some(index),
                ..Ngrams::new(syllables, pairs, triples)
            },
            None => Ngrams::memoized(syllables, pairs, triples),
        }
    }

    /// Tables whose look-ups go through the per-thread memo.
    fn memoized(syllables: usize, pairs: Option<Table>, triples: Option<Table>) -> Ngrams {
        static OWNERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ngrams {
            memo: Some(OWNERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)),
            ..Ngrams::new(syllables, pairs, triples)
        }
    }

    /// `pairs[a b]`, through the index or the memo when this table has one.
    #[inline]
    fn pair_value(&self, a: Id, b: Id) -> Option<u64> {
        if let Some(index) = &self.index {
            return index.pair(a, b);
        }
        let t = self.pairs.as_ref()?;
        match self.memo {
            None => t.get2(a, b),
            Some(owner) => memo::with(owner, |m| m.pairs.get_or(pair_key(a, b), || t.get2(a, b))),
        }
    }

    /// Whether a triple starts with `a b`, through the index or the memo when this table
    /// has one.
    fn triple_prefix(&self, a: Id, b: Id) -> bool {
        if let Some(index) = &self.index {
            return index.triples(a, b).len > 0;
        }
        let Some(t) = self.triples.as_ref() else { return false };
        match self.memo {
            None => t.has_prefix2(a, b),
            Some(owner) => memo::with(owner, |m| m.prefixes.get_or(pair_key(a, b), || t.has_prefix2(a, b))),
        }
    }

    /// `triples[a b c]`, through the index or the memo when this table has one.
    fn triple_value(&self, a: Id, b: Id, c: Id) -> Option<u64> {
        if let Some(index) = &self.index {
            return self.triple_in(index.triples(a, b), b, c);
        }
        let t = self.triples.as_ref()?;
        match self.memo {
            None => t.get3(a, b, c),
            Some(owner) => memo::with(owner, |m| m.triples.get_or(triple_key(a, b, c), || t.get3(a, b, c))),
        }
    }

    /// `triples[a b c]` when the triples `a b _` are at `range` of the rows ([`PairIndex`]).
    #[inline]
    fn triple_in(&self, range: Range32, b: Id, c: Id) -> Option<u64> {
        if range.len == 0 {
            return None;
        }
        let rows = self.triples.as_ref()?.rows.as_ref()?;
        rows.get_in(range.range(), u32::from(b) << 16 | u32::from(c))
    }

    fn new(syllables: usize, pairs: Option<Table>, triples: Option<Table>) -> Ngrams {
        let followers = match &pairs {
            Some(t) => (0..syllables).map(|a| t.single(a as Id).map_or(0, count)).collect(),
            None => Vec::new(),
        };
        Ngrams {
            bits: distinct_bits(syllables),
            memo: None,
            followers,
            pairs,
            triples,
            index: None,
        }
    }

    /// How often `a b` was seen; 0 when fewer than twice.
    pub fn pair(&self, a: Id, b: Id) -> u32 {
        self.pair_entry(a, b).map_or(0, |(n, _)| n)
    }

    /// [`Ngrams::pair`] of two words as written, most of which the index holds: its
    /// filter is skipped, a cache miss it would add to most of them.
    pub fn written_pair(&self, a: Id, b: Id) -> u32 {
        match &self.index {
            Some(index) => index.pair_unfiltered(a, b).map_or(0, |v| self.pair_count(v)),
            None => self.pair(a, b),
        }
    }

    /// How often the pair of value `v` was seen.
    fn pair_count(&self, v: u64) -> u32 {
        let distinct = v & ((1 << self.bits) - 1);
        count((v >> self.bits) + distinct)
    }

    /// How often `a b` was seen and how many different syllables followed it (`None`:
    /// fewer than twice).
    pub fn pair_entry(&self, a: Id, b: Id) -> Option<(u32, u32)> {
        let v = self.pair_value(a, b)?;
        let distinct = v & ((1 << self.bits) - 1);
        Some((count((v >> self.bits) + distinct), count(distinct)))
    }

    /// How many different syllables follow `a` in the pairs table.
    pub fn pair_followers(&self, a: Id) -> u32 {
        self.followers.get(usize::from(a)).copied().unwrap_or(0)
    }

    /// The triples that start with `a b`.
    pub fn run(&self, a: Id, b: Id) -> Run<'_> {
        self.run_of_entry(a, b, self.pair_entry(a, b))
    }

    /// [`Ngrams::run`] when the caller has `entry`, [`Ngrams::pair_entry`] of `a b`,
    /// already (a scorer asks for both).
    pub fn run_of_entry(&self, a: Id, b: Id, entry: Option<(u32, u32)>) -> Run<'_> {
        // How often the pair was seen stands for how often it was followed (the pair at
        // the end of a sentence counts as a follower of its own). A pair seen once is not
        // in the pairs table: it starts one triple at most, seen once.
        // With the index, one look-up of `a b` finds its triples for every follower asked.
        let (total, distinct, triples) = match (entry, &self.index) {
            (Some((total, 0)), _) => (total, 0, None),
            (Some((total, distinct)), Some(index)) => (total, distinct, Some(index.triples(a, b))),
            (Some((total, distinct)), None) => (total, distinct, None),
            (None, Some(index)) => {
                let range = index.triples(a, b);
                let one = u32::from(range.len > 0);
                (one, one, Some(range))
            }
            (None, None) => {
                let one = self.triple_prefix(a, b);
                (u32::from(one), u32::from(one), None)
            }
        };
        Run {
            ngrams: self,
            a,
            b,
            total,
            distinct,
            triples,
        }
    }

    /// How often `a b` was seen in all, the pairs seen once included (from the triples).
    pub fn pair_total(&self, a: Id, b: Id) -> u32 {
        self.run(a, b).total
    }

    /// The triples that start with `a b`, and how often `c` was the third.
    pub fn followers(&self, a: Id, b: Id, c: Id) -> Followers {
        self.run(a, b).followers(c)
    }

    /// How often `a b` was seen, by key (0 when either is not attested).
    pub fn count(&self, a: &str, b: &str) -> u32 {
        let l = lexicon();
        match (l.id(a), l.id(b)) {
            (Some(a), Some(b)) => self.pair(a, b),
            _ => 0,
        }
    }

    /// Whether both tables loaded.
    pub fn is_loaded(&self) -> bool {
        self.pairs.is_some() && self.triples.is_some()
    }

    /// Keys of the pairs table (pairs, one per first syllable, and the header).
    pub fn len(&self) -> usize {
        self.pairs.as_ref().map_or(0, Table::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keys of the triples table (triples and the header).
    pub fn triples_len(&self) -> usize {
        self.triples.as_ref().map_or(0, Table::len)
    }
}

/// The shipped pair and triple counts (empty when a table does not match the attested
/// list; a test checks that the shipped ones do). Nothing is copied: the automata are
/// read in place from the binary.
pub fn ngrams() -> &'static Ngrams {
    static N: LazyLock<Ngrams> = LazyLock::new(|| {
        let syllables = lexicon().len();
        Ngrams::indexed(
            syllables,
            Table::parse(BIGRAM_BYTES, 2, syllables)
                .ok()
                .map(|t| t.with_rows(BIGRAM_ROWS)),
            Table::parse(TRIGRAM_BYTES, 3, syllables)
                .ok()
                .map(|t| t.with_rows(TRIGRAM_ROWS)),
        )
    });
    &N
}

/// The entries of a one-a-line list: trimmed, blank lines and `#` comments left out.
fn list_lines(text: &str) -> impl Iterator<Item = Box<str>> + '_ {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| Box::from(l.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_tables_load() {
        assert!(lexicon().len() > 3000, "{}", lexicon().len());
        assert!(lexicon().count("người") > 1000);
        assert!(!lexicon().is_attested("nguòi"));
        assert!(lexicon().is_name("lắk"));
        assert!(lexicon().is_known("nện") && !lexicon().is_attested("nện"));
        // From pyvi's word list only (neither the corpus nor Unihan has them).
        for k in ["phui", "thong", "trườn", "dửng", "tời", "thỉu"] {
            assert!(lexicon().is_known(k) && !lexicon().is_attested(k), "{k}");
        }
        assert!(!lexicon().is_known("nguòi"));
        assert_eq!(
            lexicon().variants("nhân").map(|v| v.contains(&Box::from("nhận"))),
            Some(true)
        );
        let n = ngrams();
        assert!(n.is_loaded());
        assert!(n.len() > 10_000, "{}", n.len());
        assert!(n.triples_len() > 100_000, "{}", n.triples_len());
        assert!(n.count("cá", "nhân") > 10);
        assert_eq!(n.count("cá", "nhận"), 0);
        let id = |k| lexicon().id(k).unwrap();
        let f = n.followers(id("thông"), id("tin"), id("cá"));
        assert!(f.count > 0 && f.distinct > 10 && f.total >= f.distinct, "{f:?}");
        assert_eq!(n.followers(id("thông"), id("tin"), id("nhận")).count, 0);
    }

    #[test]
    fn memoized_look_ups_answer_as_the_tables_do() {
        let syllables = lexicon().len();
        let direct = Ngrams::new(
            syllables,
            Table::parse(BIGRAM_BYTES, 2, syllables).ok(),
            Table::parse(TRIGRAM_BYTES, 3, syllables).ok(),
        );
        let rows = |bytes, blob, n| Table::parse(bytes, n, syllables).ok().map(|t| t.with_rows(blob));
        let memoized = Ngrams::memoized(
            syllables,
            rows(BIGRAM_BYTES, BIGRAM_ROWS, 2),
            rows(TRIGRAM_BYTES, TRIGRAM_ROWS, 3),
        );
        let indexed = ngrams();
        assert!(direct.memo.is_none() && memoized.memo.is_some() && memoized.index.is_none());
        assert!(indexed.index.is_some() && indexed.memo.is_none());
        // Real news syllables (pairs and triples the tables hold, repeated so that the
        // memo answers), then ids from a fixed-seed generator (mostly absent keys, more
        // than the memo's slots, so slots are taken over), twice over.
        let text = "Theo báo cáo của Tổng cục Thống kê, giá vàng trong nước tăng mạnh so với cùng kỳ năm \
                    trước; người dân tại Thành phố Hồ Chí Minh và Hà Nội cho biết giá vàng tăng cao, \
                    ông Nguyễn Văn An nói rằng thông tin cá nhân của người dân cần được bảo vệ";
        let mut ids: Vec<Id> = text
            .split(|c: char| !c.is_alphabetic())
            .filter_map(|w| lexicon().id(&w.to_lowercase()))
            .collect();
        assert!(ids.len() > 40, "{}", ids.len());
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..40_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Half among the first 2,000 (frequent-ish) ids, half anywhere.
            let bound = if seed & 1 == 0 { 2_000 } else { syllables as u64 };
            ids.push((seed >> 8) as Id % bound as Id);
        }
        let mut hits = (0, 0);
        for round in 0..2 {
            for w in ids.windows(3) {
                let (a, b, c) = (w[0], w[1], w[2]);
                assert_eq!(memoized.pair(a, b), direct.pair(a, b), "round {round}: {a} {b}");
                assert_eq!(indexed.pair_entry(a, b), direct.pair_entry(a, b), "{a} {b}");
                assert_eq!(indexed.written_pair(a, b), direct.pair(a, b), "{a} {b}");
                assert_eq!(indexed.followers(a, b, c), direct.followers(a, b, c), "{a} {b} {c}");
                assert_eq!(indexed.run(a, b).followers(b), direct.run(a, b).followers(b));
                assert_eq!(
                    memoized.followers(a, b, c),
                    direct.followers(a, b, c),
                    "round {round}: {a} {b} {c}"
                );
                let run = memoized.run(a, b);
                assert_eq!(run.followers(c), direct.run(a, b).followers(c));
                assert_eq!(run.followers(b), direct.run(a, b).followers(b));
                hits.0 += usize::from(direct.pair(a, b) > 0);
                hits.1 += usize::from(direct.followers(a, b, c).count > 0);
            }
        }
        assert!(hits.0 > 100 && hits.1 > 50, "{hits:?}: the look-ups must find keys too");
        // Another memoized table on the same thread: the memo is emptied, never shared.
        let triples = [(0, 1, 2, 3), (2, 3, 0, 1)];
        let small = Ngrams::memoized(
            4,
            Some(Table::parse(build_pairs(4, &[(0, 1, 950)], &triples).unwrap(), 2, 4).unwrap()),
            Some(Table::parse(build_triples(4, &triples).unwrap(), 3, 4).unwrap()),
        );
        for _ in 0..2 {
            assert_eq!(small.pair(0, 1), 950);
            assert_eq!(memoized.pair(0, 1), direct.pair(0, 1));
            assert_eq!(small.followers(0, 1, 2).count, 3);
            assert_eq!(memoized.followers(0, 1, 2), direct.followers(0, 1, 2));
            assert_eq!(small.run(2, 3).followers(0).total, 1);
            assert_eq!(memoized.run(2, 3).followers(0), direct.run(2, 3).followers(0));
        }
    }

    #[test]
    fn the_rows_answer_as_the_automata_do() {
        use fst::Streamer as _;
        let syllables = lexicon().len();
        for (bytes, rows, n) in [(BIGRAM_BYTES, BIGRAM_ROWS, 2), (TRIGRAM_BYTES, TRIGRAM_ROWS, 3)] {
            let walked = Table::parse(bytes, n, syllables).unwrap();
            let fast = Table::parse(bytes, n, syllables).unwrap().with_rows(rows);
            assert!(
                walked.rows.is_none() && fast.rows.is_some(),
                "{n}: build.rs wrote the rows"
            );
            // Every key of the automaton, and a near miss of each (the last id moved by one).
            let mut stream = walked.map.stream();
            let mut seen = 0;
            while let Some((k, v)) = stream.next() {
                let id = |i: usize| Id::from_be_bytes([k[2 * i], k[2 * i + 1]]);
                let next = |x: Id| x.wrapping_add(1) % syllables as Id;
                match k.len() {
                    0 => continue,
                    2 => assert_eq!(fast.single(id(0)), Some(v)),
                    4 => {
                        assert_eq!(fast.get2(id(0), id(1)), Some(v));
                        assert_eq!(fast.get2(id(0), next(id(1))), walked.get2(id(0), next(id(1))));
                    }
                    6 => {
                        assert_eq!(fast.get3(id(0), id(1), id(2)), Some(v));
                        let c = next(id(2));
                        assert_eq!(fast.get3(id(0), id(1), c), walked.get3(id(0), id(1), c));
                        assert!(fast.has_prefix2(id(0), id(1)));
                        let b = next(id(1));
                        assert_eq!(fast.has_prefix2(id(0), b), walked.has_prefix2(id(0), b));
                    }
                    l => panic!("a key of {l} bytes"),
                }
                seen += 1;
            }
            assert_eq!(seen + 1, walked.len());
            for a in 0..syllables as Id {
                assert_eq!(fast.single(a), walked.single(a));
                assert_eq!(fast.get2(a, a), walked.get2(a, a));
                if n == 3 {
                    assert_eq!(fast.has_prefix2(a, 0), walked.has_prefix2(a, 0));
                }
            }
        }
        // Rows are used only with the bytes they were written from.
        let pairs = Table::parse(BIGRAM_BYTES, 2, syllables).unwrap();
        assert!(pairs.with_rows(TRIGRAM_ROWS).rows.is_none());
        let other = build_pairs(3, &[(0, 1, 7), (0, 2, 4), (2, 0, 9)], &[]).unwrap();
        assert!(Table::parse(other, 2, 3).unwrap().with_rows(BIGRAM_ROWS).rows.is_none());
        for cut in [0, 8, 31, 40, BIGRAM_ROWS.len() - 1] {
            let blob: &'static [u8] = Box::leak(BIGRAM_ROWS[..cut].to_vec().into_boxed_slice());
            let t = Table::parse(BIGRAM_BYTES, 2, syllables).unwrap().with_rows(blob);
            assert!(t.rows.is_none(), "rows cut at {cut}");
        }
    }

    /// The index answers every question as the rows do: every pair and triple of the
    /// shipped tables, and a near miss of each (the last id moved by one).
    #[test]
    fn the_index_answers_as_the_rows_do() {
        let syllables = lexicon().len();
        let rows = |bytes, blob, n| Table::parse(bytes, n, syllables).ok().map(|t| t.with_rows(blob));
        let plain = Ngrams::new(
            syllables,
            rows(BIGRAM_BYTES, BIGRAM_ROWS, 2),
            rows(TRIGRAM_BYTES, TRIGRAM_ROWS, 3),
        );
        let indexed = ngrams();
        let index = indexed.index.as_ref().expect("the shipped tables are indexed");
        // 60 % full at most, and a power of two.
        let filled = index.slots.iter().filter(|s| s.key != Slot::EMPTY).count();
        assert!(
            index.slots.len().is_power_of_two() && filled * 5 <= index.slots.len() * 3,
            "{filled}"
        );
        // The filter has a bit for each key (the look-ups below find every key through it).
        let bits: usize = index.filter.iter().map(|w| w.count_ones() as usize).sum();
        assert!(bits <= filled && bits * 4 < index.filter.len() * 64, "{bits}");
        let next = |x: Id| x.wrapping_add(1) % syllables as Id;
        let (pairs, triples) = (plain.pairs.as_ref().unwrap(), plain.triples.as_ref().unwrap());
        let (pair_rows, triple_rows) = (pairs.rows.as_ref().unwrap(), triples.rows.as_ref().unwrap());
        let mut seen = (0, 0);
        for a in 0..syllables as Id {
            for i in pair_rows.row(a) {
                let b = pair_rows.key(i) as Id;
                for b in [b, next(b)] {
                    assert_eq!(indexed.pair_entry(a, b), plain.pair_entry(a, b), "{a} {b}");
                    assert_eq!(indexed.pair_total(a, b), plain.pair_total(a, b), "{a} {b}");
                }
                seen.0 += 1;
            }
            for i in triple_rows.row(a) {
                let k = triple_rows.key(i);
                let (b, c) = ((k >> 16) as Id, k as Id);
                for (b, c) in [(b, c), (b, next(c)), (next(b), c)] {
                    assert_eq!(indexed.followers(a, b, c), plain.followers(a, b, c), "{a} {b} {c}");
                    let entry = plain.pair_entry(a, b);
                    assert_eq!(indexed.run_of_entry(a, b, entry).followers(c), plain.followers(a, b, c));
                    assert_eq!(indexed.pair_total(a, b), plain.pair_total(a, b), "{a} {b}");
                }
                seen.1 += 1;
            }
            assert_eq!(indexed.pair_entry(a, a), plain.pair_entry(a, a));
            assert_eq!(indexed.followers(a, a, a), plain.followers(a, a, a));
        }
        assert_eq!(seen, (pair_rows.keys.len() / 4, triple_rows.keys.len() / 4));
        assert!(seen.0 > 10_000 && seen.1 > 100_000, "{seen:?}");
        // Ids past the list are in no table.
        assert_eq!(indexed.pair_entry(Id::MAX - 1, 0), None);
        assert_eq!(indexed.followers(0, Id::MAX - 1, 0), Followers::default());
    }

    /// A small table: the index merges a row of pairs with the pairs that start triples
    /// (a pair seen once starts a triple without being in the pairs table).
    #[test]
    fn the_index_of_small_tables() {
        let triples = [(0, 1, 2, 3), (0, 1, 3, 900), (1, 1, 1, 1), (2, 3, 0, 1)];
        let blob = |bytes: Vec<u8>| -> &'static [u8] { Box::leak(bytes.into_boxed_slice()) };
        let pairs_fst = build_pairs(4, &[(0, 1, 950), (1, 1, 2), (1, 2, 5)], &triples).unwrap();
        let triples_fst = build_triples(4, &triples).unwrap();
        let (p_rows, t_rows) = (rows_blob(&pairs_fst), rows_blob(&triples_fst));
        let table = |bytes: &Vec<u8>, n, rows| Table::parse(bytes.clone(), n, 4).unwrap().with_rows(blob(rows));
        let indexed = Ngrams::indexed(
            4,
            Some(table(&pairs_fst, 2, p_rows)),
            Some(table(&triples_fst, 3, t_rows)),
        );
        let plain = Ngrams::new(
            4,
            Some(Table::parse(pairs_fst, 2, 4).unwrap()),
            Some(Table::parse(triples_fst, 3, 4).unwrap()),
        );
        let index = indexed.index.as_ref().expect("indexed");
        assert_eq!(index.slots.iter().filter(|s| s.key != Slot::EMPTY).count(), 4);
        for a in 0..4 {
            for b in 0..4 {
                assert_eq!(indexed.pair_entry(a, b), plain.pair_entry(a, b), "{a} {b}");
                for c in 0..4 {
                    assert_eq!(indexed.followers(a, b, c), plain.followers(a, b, c), "{a} {b} {c}");
                }
            }
        }
        assert_eq!(indexed.followers(2, 3, 0).total, 1);
        assert_eq!(indexed.pair_entry(1, 2).map(|e| e.0), Some(5));
    }

    /// The rows `build.rs` writes, for a table built here (the same layout, for tests).
    fn rows_blob(fst_bytes: &[u8]) -> Vec<u8> {
        use fst::Streamer as _;
        let map = fst::Map::new(fst_bytes.to_vec()).unwrap();
        let header = map.get([]).unwrap();
        let (n, syllables) = (header >> 32, (header & 0xFFFF_FFFF) as usize);
        let mut singles = vec![u64::MAX; syllables];
        let mut ends = vec![0u32; syllables];
        let (mut keys, mut values) = (Vec::new(), Vec::new());
        let mut stream = map.stream();
        while let Some((k, v)) = stream.next() {
            if k.is_empty() {
                continue;
            }
            let a = usize::from(u16::from_be_bytes([k[0], k[1]]));
            if k.len() == 2 {
                singles[a] = v;
            } else {
                assert_eq!(k.len(), 2 * n as usize);
                ends[a] += 1;
                keys.push(k[2..].iter().fold(0u32, |x, &b| x << 8 | u32::from(b)));
                values.push(v);
            }
        }
        let mut out = b"CDNGROWS".to_vec();
        out.extend((fst_bytes.len() as u64).to_le_bytes());
        out.extend(&fst_bytes[fst_bytes.len() - 8..]);
        out.extend(header.to_le_bytes());
        out.extend(8u32.to_le_bytes());
        singles.iter().for_each(|s| out.extend(s.to_le_bytes()));
        let mut at = 0u32;
        for e in ends {
            out.extend(at.to_le_bytes());
            at += e;
        }
        out.extend(at.to_le_bytes());
        keys.iter().for_each(|k| out.extend(k.to_le_bytes()));
        values.iter().for_each(|v| out.extend(v.to_le_bytes()));
        out
    }

    #[test]
    fn compounds_by_id_answer_as_by_text() {
        use crate::text::compounds::{builtin_keys, is_builtin_compound, syllable_key};
        let l = lexicon();
        let id = |k| l.id(k).unwrap();
        for (a, b) in [
            ("sản", "phẩm"),
            ("khả", "năng"),
            ("cơ", "sở"),
            ("sử", "dụng"),
            ("thông", "tin"),
        ] {
            assert!(l.is_compound(id(a), id(b)), "{a} {b}");
            assert!(!l.is_compound(id(b), id(a)) || is_builtin_compound(b, a), "{b} {a}");
        }
        let mut found = 0;
        let ids: Vec<Id> = (0..l.len() as Id).collect();
        for &a in &ids {
            for &b in ids.iter().skip(usize::from(a) % 61).step_by(61) {
                let by_text = is_builtin_compound(l.key_of(a), l.key_of(b));
                assert_eq!(l.is_compound(a, b), by_text, "{} {}", l.key_of(a), l.key_of(b));
                found += usize::from(by_text);
            }
        }
        assert!(found > 50, "{found}: some pairs are words");
        assert!(!l.is_compound(0, Id::MAX) && !l.is_compound(Id::MAX, 0));
        // Every pair of ids the list gives is a word by text, and every word of the list
        // whose two syllables are attested is found by the ids of each way of writing them.
        let pairs = l.compounds.get().expect("built by the look-ups above");
        for &p in pairs {
            let (a, b) = ((p >> 16) as Id, p as Id);
            assert!(
                is_builtin_compound(l.key_of(a), l.key_of(b)),
                "{} {}",
                l.key_of(a),
                l.key_of(b)
            );
        }
        let mut by_key: HashMap<String, Vec<Id>> = HashMap::new();
        for a in 0..l.len() as Id {
            by_key.entry(syllable_key(l.key_of(a))).or_default().push(a);
        }
        let mut words = 0;
        for key in builtin_keys() {
            let Some((x, y)) = key.split_once(' ') else { continue };
            let (Some(xs), Some(ys)) = (by_key.get(x), by_key.get(y)) else {
                continue;
            };
            for &a in xs {
                for &b in ys {
                    assert!(l.is_compound(a, b), "{key}");
                    words += 1;
                }
            }
        }
        assert!(words > 10_000 && words <= pairs.len(), "{words} of {}", pairs.len());
    }

    /// `real_words` stops summing a variant's windows once it falls short
    /// (`Model::around_unless`): sound only while no window's probability exceeds 1, i.e.
    /// no pair was seen more often than its first syllable, no triple more often than its
    /// pair, no syllable more often than all of them.
    #[test]
    fn no_count_exceeds_the_count_it_is_part_of() {
        use fst::Streamer;
        let (lex, n) = (lexicon(), ngrams());
        let id = |k: &[u8], i: usize| Id::from_be_bytes([k[i], k[i + 1]]);
        let (mut pairs, mut triples) = (0, 0);
        let mut keys = n.pairs.as_ref().unwrap().map.stream();
        while let Some((k, _)) = keys.next() {
            if k.len() == 4 {
                let (a, b) = (id(k, 0), id(k, 2));
                assert!(n.pair(a, b) <= lex.count_of(a), "{a} {b}");
                pairs += 1;
            }
        }
        let mut keys = n.triples.as_ref().unwrap().map.stream();
        while let Some((k, _)) = keys.next() {
            if k.len() == 6 {
                let f = n.followers(id(k, 0), id(k, 2), id(k, 4));
                assert!(f.count <= f.total && f.distinct <= f.total, "{k:?} {f:?}");
                triples += 1;
            }
        }
        assert!(pairs > 10_000 && triples > 100_000, "{pairs} {triples}");
        assert!((0..lex.len()).all(|a| u64::from(lex.count_of(a as Id)) <= lex.total()));
    }

    #[test]
    fn the_tables_stay_small() {
        // The whole binary must stay under 25 MB; the spelling data may take 3 of them.
        let all = ATTESTED.len() + NAMES.len() + VARIANTS.len() + UNIHAN.len() + PYVI.len() + BIGRAM_BYTES.len();
        assert!(all + TRIGRAM_BYTES.len() < 3_000_000, "{}", all + TRIGRAM_BYTES.len());
        // The rows `build.rs` derives from the two automata (read in place, for speed).
        let rows = BIGRAM_ROWS.len() + TRIGRAM_ROWS.len();
        assert!(rows < 3_000_000, "{rows}");
    }

    #[test]
    fn tables_of_the_wrong_shape_are_refused() {
        let good = build_pairs(3, &[(0, 1, 7), (0, 2, 4), (2, 0, 9)], &[]).unwrap();
        let t = Table::parse(good.clone(), 2, 3).unwrap();
        let n = Ngrams::new(3, Some(t), None);
        assert_eq!((n.pair(0, 1), n.pair(0, 2), n.pair(2, 0), n.pair(1, 0)), (7, 4, 9, 0));
        assert_eq!(
            (n.pair_followers(0), n.pair_followers(1), n.pair_followers(2)),
            (2, 0, 1)
        );
        // Ours: the header names the table's n and the attested list it numbers.
        let refused = |bytes: Vec<u8>, n: u8, syllables: usize| Table::parse(bytes, n, syllables).err().unwrap();
        assert!(refused(good.clone(), 2, 4).contains("not a table of 2-grams over 4"));
        assert!(
            refused(good.clone(), 3, 3).contains("3-grams"),
            "a pairs table read as triples"
        );
        let mut b = fst::MapBuilder::memory();
        b.insert([0, 1, 0, 2], 5).unwrap();
        assert_eq!(refused(b.into_inner().unwrap(), 2, 3), "no header");
        // The crate's: too short, a byte changed (checksum), cut short.
        assert!(!refused(vec![], 2, 3).is_empty());
        // A changed byte anywhere: the checksum, or the format check before it.
        for at in 0..good.len() {
            let mut changed = good.clone();
            changed[at] ^= 0x40;
            assert!(Table::parse(changed, 2, 3).is_err(), "changed byte {at}");
        }
        assert!(!refused(good[..good.len() - 3].to_vec(), 2, 3).is_empty(), "cut short");
        // And the writer refuses what it cannot number.
        assert!(build_pairs(3, &[(0, 3, 1)], &[]).is_err(), "id past the list");
        assert!(build_pairs(3, &[(1, 0, 1), (0, 1, 1)], &[]).is_err(), "out of order");
        assert!(build_triples(3, &[(0, 1, 2, 0)]).is_err(), "a count of 0");
    }

    #[test]
    fn runs_of_triples_count_and_cap() {
        let triples = [(0, 1, 2, 3), (0, 1, 3, 900), (1, 1, 1, 1), (2, 3, 0, 1)];
        let n = Ngrams::new(
            4,
            Some(Table::parse(build_pairs(4, &[(0, 1, 950), (1, 1, 2)], &triples).unwrap(), 2, 4).unwrap()),
            Some(Table::parse(build_triples(4, &triples).unwrap(), 3, 4).unwrap()),
        );
        let f = n.followers(0, 1, 3);
        assert_eq!((f.count, f.distinct, f.total), (TRIPLE_COUNT_MAX, 2, 950));
        assert_eq!(n.followers(0, 1, 0).count, 0);
        assert_eq!(n.followers(0, 1, 2).count, 3);
        assert_eq!(n.followers(0, 2, 3), Followers::default());
        assert_eq!(
            n.followers(1, 1, 1),
            Followers {
                total: 2,
                distinct: 1,
                count: 1
            }
        );
        // A pair seen once is not in the pairs table; its one triple still counts.
        assert_eq!(
            n.followers(2, 3, 0),
            Followers {
                total: 1,
                distinct: 1,
                count: 1
            }
        );
        assert_eq!(
            n.followers(2, 3, 1),
            Followers {
                total: 1,
                distinct: 1,
                count: 0
            }
        );
    }

    #[test]
    fn known_lists_add_up() {
        let l = Lexicon::parse("a\t3\n").with_known("# c\nb\n").with_known("c\n\n");
        assert!(l.is_known("a") && l.is_known("b") && l.is_known("c") && !l.is_known("d"));
        assert!(!l.is_attested("b"));
    }

    #[test]
    fn ids_follow_byte_order() {
        let l = Lexicon::parse("b\t5\na\t3\n");
        assert_eq!(
            (l.id("a"), l.id("b"), l.count_of(1), l.total()),
            (Some(0), Some(1), 5, 8)
        );
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let l = Lexicon::parse("# c\na\t3\nb\tx\nc\n\td\t\n");
        assert_eq!((l.count("a"), l.count("b"), l.len()), (3, 0, 1));
    }
}
