//! The data behind the `syllable` kind: attested syllables with their counts, and
//! syllable-pair counts, both derived from a news corpus (see `data/syllables/SOURCE.md`).
//! Each is parsed on first use, so a pack without the rules that need it pays nothing.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

const ATTESTED: &str = include_str!("../../../../../data/syllables/attested.tsv");
const NAMES: &str = include_str!("../../../../../data/syllables/names.txt");
const VARIANTS: &str = include_str!("../../../../../data/syllables/variants.tsv");
const UNIHAN: &str = include_str!("../../../../../data/syllables/unihan.txt");
static BIGRAM_BYTES: &[u8] = include_bytes!("../../../../../data/bigrams/bigrams.fst");

/// Attested syllables (lookup keys, see [`crate::text::vietnamese::Syllable::key`]) and
/// how often each was seen.
pub struct Lexicon {
    counts: HashMap<Box<str>, u32>,
    names: HashSet<Box<str>>,
    /// Valid syllables known from a dictionary source though not seen in the corpus.
    known: HashSet<Box<str>>,
    /// The attested one-slip variants of each attested syllable (precomputed: finding
    /// them takes hundreds of validations).
    variants: HashMap<Box<str>, Arc<[Box<str>]>>,
}

impl Lexicon {
    /// Parses `syllable<TAB>count` lines; `#` lines are comments. Malformed lines are
    /// skipped (the shipped file is checked by a test).
    pub fn parse(text: &str) -> Lexicon {
        let counts = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (k, c) = l.split_once('\t')?;
                Some((Box::from(k), c.trim().parse().ok()?))
            })
            .collect();
        Lexicon {
            counts,
            names: Default::default(),
            known: Default::default(),
            variants: Default::default(),
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
        self
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
        self.counts.get(key).copied().unwrap_or(0)
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

/// Counts of adjacent syllable pairs (`"a b"` → count), in an `fst::Map` read in place
/// from the binary.
pub struct Bigrams {
    map: Option<fst::Map<&'static [u8]>>,
}

impl Bigrams {
    /// How often `a b` was seen (keys, see [`Lexicon`]); 0 when never, or when the table
    /// is missing.
    pub fn count(&self, a: &str, b: &str) -> u32 {
        let Some(map) = &self.map else { return 0 };
        // Keys are short: built on the stack (this runs for most pairs of a text).
        let mut buf = [0u8; 64];
        let n = a.len() + b.len() + 1;
        let Some(key) = buf.get_mut(..n) else { return 0 };
        key[..a.len()].copy_from_slice(a.as_bytes());
        key[a.len()] = b' ';
        key[a.len() + 1..].copy_from_slice(b.as_bytes());
        map.get(key).map_or(0, |c| u32::try_from(c).unwrap_or(u32::MAX))
    }

    pub fn len(&self) -> usize {
        self.map.as_ref().map_or(0, |m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The shipped pair counts.
pub fn bigrams() -> &'static Bigrams {
    static B: LazyLock<Bigrams> = LazyLock::new(|| Bigrams {
        map: fst::Map::new(BIGRAM_BYTES).ok(),
    });
    &B
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
        assert!(bigrams().len() > 10_000, "{}", bigrams().len());
        assert!(bigrams().count("cá", "nhân") > 10);
        assert_eq!(bigrams().count("cá", "nhận"), 0);
    }

    #[test]
    fn the_tables_stay_small() {
        // The whole binary must stay under 25 MB; the spelling data may take 3 of them.
        assert!(ATTESTED.len() + NAMES.len() + VARIANTS.len() + UNIHAN.len() + BIGRAM_BYTES.len() < 3_000_000);
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let l = Lexicon::parse("# c\na\t3\nb\tx\nc\n\td\t\n");
        assert_eq!((l.count("a"), l.count("b"), l.len()), (3, 0, 1));
    }
}
