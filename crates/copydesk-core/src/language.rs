//! The words of a pack's language that facts shared between kinds need, declared in the
//! pack's `[pack]` table: none are built into the engine.

/// Words a pack declares for the engine's shared facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Language {
    /// Labels that open a photo or source credit when a colon follows (`Ảnh: TTXVN`,
    /// `Nguồn: Reuters`), up to a closing parenthesis or the end of the line.
    pub credit_labels: Vec<String>,
    /// Words that open a source credit closing a paragraph (`Theo TTXVN/Vietnam+`).
    pub source_credit_words: Vec<String>,
    /// Abbreviations whose dot does not end a sentence (`TP.`, `PGS.`, `Mr.`), as keys:
    /// lower case, without the final dot ([`abbreviation_key`]).
    pub sentence_abbreviations: Vec<String>,
    /// Abbreviations that close an enumeration (`v.v.`, `etc.`): their dot ends a sentence
    /// only when a capital follows. Keys as in `sentence_abbreviations`.
    pub closing_abbreviations: Vec<String>,
    /// The consonants and clusters a syllable may start with, capitalized as a name's
    /// initial is (`B`, `Ch`, `Ngh`): a name's initial may have several letters (`Nguyễn
    /// Bích Ng.`), and a drop cap lost with the layout took one (`ổng thống` for `Tổng`).
    pub onsets: Vec<String>,
    /// The consonants a syllable may end with, lower case (`ng`, `c`): a slip of the final
    /// consonant (`thể dụng` for `thể dục`).
    pub codas: Vec<String>,
    /// Tokens with inner dots that are not sentence punctuation (`TP.HCM`, `PGS.TS`, `e.g`):
    /// `typography` wants no space after their dots. Keys as in `sentence_abbreviations`.
    pub dotted_words: Vec<String>,
    /// The orthography the pack's words are spelled in, when the engine knows it: kinds then
    /// tell the language's own words from foreign ones by their spelling
    /// ([`Language::may_be_native`]). With none, every word counts as the language's own.
    pub orthography: Option<Orthography>,
}

/// An orthography whose spelling rules are built into the engine (`[pack] orthography`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Orthography {
    /// Vietnamese: a word is one syllable the parser of `text/vietnamese.rs` reads.
    Vietnamese,
}

impl Orthography {
    /// Every orthography, as a `[pack]` table names it.
    pub const ALL: [(Orthography, &'static str); 1] = [(Orthography::Vietnamese, "vietnamese")];
}

/// The key an abbreviation is compared by, as written in a pack or a rule (`TP.`, `PGS.TS`):
/// lower case, trimmed, without the final dot.
pub fn abbreviation_key(s: &str) -> String {
    s.trim().trim_end_matches('.').to_lowercase()
}

impl Language {
    /// A language with no words, as a rule with no `[pack]` table has.
    pub fn none() -> &'static Language {
        static NONE: Language = Language {
            credit_labels: Vec::new(),
            source_credit_words: Vec::new(),
            sentence_abbreviations: Vec::new(),
            closing_abbreviations: Vec::new(),
            onsets: Vec::new(),
            codas: Vec::new(),
            dotted_words: Vec::new(),
            orthography: None,
        };
        &NONE
    }

    /// Adds `other`'s words that `self` lacks: an engine built from several packs knows
    /// the words of each.
    pub fn merge(&mut self, other: &Language) {
        for (mine, theirs) in [
            (&mut self.credit_labels, &other.credit_labels),
            (&mut self.source_credit_words, &other.source_credit_words),
            (&mut self.sentence_abbreviations, &other.sentence_abbreviations),
            (&mut self.closing_abbreviations, &other.closing_abbreviations),
            (&mut self.onsets, &other.onsets),
            (&mut self.codas, &other.codas),
            (&mut self.dotted_words, &other.dotted_words),
        ] {
            for w in theirs {
                if !mine.contains(w) {
                    mine.push(w.clone());
                }
            }
        }
        if self.orthography.is_none() {
            self.orthography = other.orthography;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.credit_labels.is_empty()
            && self.source_credit_words.is_empty()
            && self.sentence_abbreviations.is_empty()
            && self.closing_abbreviations.is_empty()
            && self.onsets.is_empty()
            && self.codas.is_empty()
            && self.dotted_words.is_empty()
            && self.orthography.is_none()
    }

    /// Whether `key` (lower case, without the final dot) is one of the abbreviations after
    /// which a dot does not end a sentence, closing ones included.
    pub fn is_sentence_abbreviation(&self, key: &str) -> bool {
        self.sentence_abbreviations.iter().any(|a| a == key) || self.closing_abbreviations.iter().any(|a| a == key)
    }

    /// Whether `word` may be a word of the language by its spelling: under the Vietnamese
    /// orthography, a syllable the parser reads (`Huế`, not `Trueid` or `Times`); with no
    /// orthography, every word, since nothing tells a foreign one apart.
    pub fn may_be_native(&self, word: &str) -> bool {
        match self.orthography {
            Some(Orthography::Vietnamese) => crate::text::vietnamese::parse(word).is_some(),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn merging_keeps_each_word_once_in_order() {
        let mut a = Language {
            credit_labels: vec!["Ảnh".into()],
            onsets: vec!["Ch".into()],
            ..Default::default()
        };
        a.merge(&Language {
            credit_labels: vec!["Photo".into(), "Ảnh".into()],
            source_credit_words: vec!["Theo".into()],
            sentence_abbreviations: vec!["mr".into()],
            closing_abbreviations: vec!["etc".into()],
            onsets: vec!["Th".into(), "Ch".into()],
            codas: vec!["ng".into()],
            dotted_words: vec!["e.g".into()],
            orthography: Some(super::Orthography::Vietnamese),
        });
        assert_eq!(a.credit_labels, ["Ảnh", "Photo"]);
        assert_eq!(a.source_credit_words, ["Theo"]);
        assert_eq!(a.onsets, ["Ch", "Th"]);
        assert_eq!(a.dotted_words, ["e.g"]);
        assert_eq!(
            (&a.sentence_abbreviations[..], &a.codas[..]),
            (&["mr".to_string()][..], &["ng".to_string()][..])
        );
        assert!(!a.is_empty() && Language::default().is_empty() && Language::none().is_empty());
    }

    /// Only a pack that names the Vietnamese orthography tells foreign words by their
    /// spelling; with none, every word may be the language's.
    #[test]
    fn words_are_foreign_only_under_a_known_orthography() {
        let vi = Language {
            orthography: Some(super::Orthography::Vietnamese),
            ..Default::default()
        };
        assert!(vi.may_be_native("Huế") && vi.may_be_native("nghiêng"));
        assert!(!vi.may_be_native("Trueid") && !vi.may_be_native("Times"));
        for w in ["Huế", "Trueid", "Times"] {
            assert!(Language::none().may_be_native(w), "{w}");
        }
        let mut merged = Language::default();
        merged.merge(&vi);
        assert_eq!(merged.orthography, vi.orthography);
    }

    #[test]
    fn sentence_abbreviations_include_the_closing_ones() {
        let l = Language {
            sentence_abbreviations: vec!["tp".into()],
            closing_abbreviations: vec!["v.v".into()],
            ..Default::default()
        };
        assert!(l.is_sentence_abbreviation("tp") && l.is_sentence_abbreviation("v.v"));
        assert!(!l.is_sentence_abbreviation("TP") && !Language::none().is_sentence_abbreviation("tp"));
        assert_eq!(super::abbreviation_key(" TP. "), "tp");
        assert_eq!(super::abbreviation_key("PGS.TS"), "pgs.ts");
    }
}
