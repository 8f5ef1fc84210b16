//! The data behind the `syllable` kind: attested syllables with their counts, and
//! syllable-pair counts, both derived from a news corpus (see `data/syllables/SOURCE.md`).
//! Each is parsed on first use, so a pack without the rules that need it pays nothing.

use std::collections::HashMap;
use std::sync::LazyLock;

const ATTESTED: &str = include_str!("../../../../../data/syllables/attested.tsv");
const NAMES: &str = include_str!("../../../../../data/syllables/names.txt");
static BIGRAM_BYTES: &[u8] = include_bytes!("../../../../../data/bigrams/bigrams.fst");

/// Attested syllables (lookup keys, see [`crate::text::vietnamese::Syllable::key`]) and
/// how often each was seen.
pub struct Lexicon {
    counts: HashMap<Box<str>, u32>,
    names: std::collections::HashSet<Box<str>>,
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
        }
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
    static L: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(ATTESTED).with_names(NAMES));
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
        let mut key = Vec::with_capacity(a.len() + b.len() + 1);
        key.extend_from_slice(a.as_bytes());
        key.push(b' ');
        key.extend_from_slice(b.as_bytes());
        map.get(&key).map_or(0, |c| u32::try_from(c).unwrap_or(u32::MAX))
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
        assert!(bigrams().len() > 10_000, "{}", bigrams().len());
        assert!(bigrams().count("cá", "nhân") > 10);
        assert_eq!(bigrams().count("cá", "nhận"), 0);
    }

    #[test]
    fn the_tables_stay_small() {
        // The whole binary must stay under 25 MB; the spelling data may take 3 of them.
        assert!(ATTESTED.len() + NAMES.len() + BIGRAM_BYTES.len() < 3_000_000);
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let l = Lexicon::parse("# c\na\t3\nb\tx\nc\n\td\t\n");
        assert_eq!((l.count("a"), l.count("b"), l.len()), (3, 0, 1));
    }
}
