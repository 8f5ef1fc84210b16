//! The data behind the `syllable` kind: attested syllables with their counts, and counts
//! of syllable pairs and triples, derived from a news corpus (see `data/syllables/SOURCE.md`).
//! Each is parsed on first use, so a pack without the rules that need it pays nothing.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

const ATTESTED: &str = include_str!("../../../../../data/syllables/attested.tsv");
const NAMES: &str = include_str!("../../../../../data/syllables/names.txt");
const VARIANTS: &str = include_str!("../../../../../data/syllables/variants.tsv");
const UNIHAN: &str = include_str!("../../../../../data/syllables/unihan.txt");
static BIGRAM_BYTES: &[u8] = include_bytes!("../../../../../data/bigrams/bigrams.bin");
static TRIGRAM_BYTES: &[u8] = include_bytes!("../../../../../data/bigrams/trigrams.bin");

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
    /// The attested one-slip variants of each attested syllable (precomputed: finding
    /// them takes hundreds of validations).
    variants: HashMap<Box<str>, Arc<[Box<str>]>>,
    /// The same, by id.
    variant_ids: Vec<Box<[Id]>>,
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
            variants: Default::default(),
            variant_ids: Default::default(),
        }
    }

    /// Adds a list of known syllables (keys): one a line, `#` lines comments.
    pub fn with_known(mut self, text: &str) -> Lexicon {
        self.known = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| Box::from(l.trim()))
            .collect();
        self
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
            .with_variants(VARIANTS)
    });
    &L
}

/// A table of counts grouped by a syllable id and sorted within each group, read from
/// little-endian `u32`s: the number of groups, `groups + 1` offsets into the entries, then
/// the entries (written by `examples/spelling_data.rs`). A flat table: a lookup is one
/// binary search in a short group, far cheaper than walking an automaton.
pub struct Grouped {
    offsets: Vec<u32>,
    entries: Vec<u32>,
}

impl Grouped {
    /// Reads a table with `groups` groups; `None` when it does not have that shape.
    pub fn parse(bytes: &[u8], groups: usize) -> Option<Grouped> {
        if bytes.len() % 4 != 0 {
            return None;
        }
        let mut words = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        if usize::try_from(words.next()?).ok()? != groups {
            return None;
        }
        let offsets: Vec<u32> = words.by_ref().take(groups + 1).collect();
        let entries: Vec<u32> = words.collect();
        let ordered = offsets.len() == groups + 1
            && offsets.first() == Some(&0)
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.last().is_some_and(|&l| l as usize == entries.len());
        ordered.then_some(Grouped { offsets, entries })
    }

    fn group(&self, g: Id) -> &[u32] {
        let g = usize::from(g);
        match (self.offsets.get(g), self.offsets.get(g + 1)) {
            (Some(&a), Some(&b)) => &self.entries[a as usize..b as usize],
            _ => &[],
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Counts of adjacent syllable pairs (seen at least twice) and triples (seen at least
/// once) in the corpus, by syllable id (see [`Lexicon::id`]).
pub struct Ngrams {
    /// Group: the first syllable; entry: the second's id (12 bits), then the count (20).
    pairs: Grouped,
    /// Group: the first syllable; entry: the second's and third's ids (12 bits each),
    /// then the count (8, at most 255).
    triples: Grouped,
}

/// What the triples table knows of the syllables that follow a pair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Followers {
    /// How often the pair was followed by a syllable (counts capped at 255 each).
    pub total: u32,
    /// How many different syllables followed it.
    pub distinct: u32,
    /// How often the given third syllable followed it.
    pub count: u32,
}

/// The triples that start with one pair of syllables (see [`Ngrams::run`]).
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    entries: &'a [u32],
    total: u32,
}

impl Run<'_> {
    /// What the run says about `c` as the third syllable.
    pub fn followers(&self, c: Id) -> Followers {
        let c = u32::from(c);
        Followers {
            total: self.total,
            distinct: self.entries.len() as u32,
            count: self
                .entries
                .binary_search_by_key(&c, |e| (e >> 8) & 0xFFF)
                .map_or(0, |i| self.entries[i] & 0xFF),
        }
    }
}

impl Ngrams {
    /// How often `a b` was seen; 0 when fewer than twice.
    pub fn pair(&self, a: Id, b: Id) -> u32 {
        let g = self.pairs.group(a);
        let b = u32::from(b);
        g.binary_search_by_key(&b, |e| e >> 20).map_or(0, |i| g[i] & 0xF_FFFF)
    }

    /// How many different syllables follow `a` in the pairs table.
    pub fn pair_followers(&self, a: Id) -> u32 {
        self.pairs.group(a).len() as u32
    }

    /// The triples that start with `a b`.
    pub fn run(&self, a: Id, b: Id) -> Run<'_> {
        let g = self.triples.group(a);
        let b = u32::from(b);
        let from = g.partition_point(|e| e >> 20 < b);
        // Runs are short: gallop to their end rather than search the rest of the group.
        let mut step = 1;
        while from + step < g.len() && g[from + step] >> 20 == b {
            step *= 2;
        }
        let lo = from + step / 2;
        let hi = (from + step).min(g.len());
        let to = lo + g[lo..hi].partition_point(|e| e >> 20 == b);
        let entries = &g[from..to];
        // How often the pair was seen stands for how often it was followed (the pair at
        // the end of a sentence counts as a follower of its own); summing a long run on
        // every lookup would cost more than the rest of the model. A pair seen once is
        // not in the pairs table: its run is one triple at most.
        let pair = self.pair(a, b as Id);
        let total = if pair > 0 {
            pair
        } else {
            entries.iter().map(|e| e & 0xFF).sum()
        };
        Run { entries, total }
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

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn triples_len(&self) -> usize {
        self.triples.len()
    }
}

/// The shipped pair and triple counts (empty when a table does not match the attested
/// list; a test checks that the shipped ones do).
pub fn ngrams() -> &'static Ngrams {
    static N: LazyLock<Ngrams> = LazyLock::new(|| {
        let groups = lexicon().len();
        let empty = || Grouped {
            offsets: Vec::new(),
            entries: Vec::new(),
        };
        Ngrams {
            pairs: Grouped::parse(BIGRAM_BYTES, groups).unwrap_or_else(empty),
            triples: Grouped::parse(TRIGRAM_BYTES, groups).unwrap_or_else(empty),
        }
    });
    &N
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
        assert_eq!(
            lexicon().variants("nhân").map(|v| v.contains(&Box::from("nhận"))),
            Some(true)
        );
        let n = ngrams();
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
    fn the_tables_stay_small() {
        // The whole binary must stay under 25 MB; the spelling data may take 3 of them.
        let all = ATTESTED.len() + NAMES.len() + VARIANTS.len() + UNIHAN.len() + BIGRAM_BYTES.len();
        assert!(all + TRIGRAM_BYTES.len() < 3_000_000);
    }

    #[test]
    fn tables_of_the_wrong_shape_are_refused() {
        let words = |w: &[u32]| w.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>();
        let good = words(&[2, 0, 1, 2, 7, 9]);
        let g = Grouped::parse(&good, 2).unwrap();
        assert_eq!((g.group(0), g.group(1), g.group(5)), (&[7][..], &[9][..], &[][..]));
        assert!(Grouped::parse(&good, 3).is_none(), "group count");
        assert!(Grouped::parse(&good[..good.len() - 1], 2).is_none(), "ragged");
        assert!(
            Grouped::parse(&words(&[2, 0, 2, 1, 7, 9]), 2).is_none(),
            "offsets out of order"
        );
        assert!(
            Grouped::parse(&words(&[2, 0, 1, 3, 7, 9]), 2).is_none(),
            "offsets past the end"
        );
        assert!(Grouped::parse(&[], 0).is_none(), "empty");
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
