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
}

impl Language {
    /// A language with no words, as a rule with no `[pack]` table has.
    pub fn none() -> &'static Language {
        static NONE: Language = Language {
            credit_labels: Vec::new(),
            source_credit_words: Vec::new(),
        };
        &NONE
    }

    /// Adds `other`'s words that `self` lacks: an engine built from several packs knows
    /// the words of each.
    pub fn merge(&mut self, other: &Language) {
        for (mine, theirs) in [
            (&mut self.credit_labels, &other.credit_labels),
            (&mut self.source_credit_words, &other.source_credit_words),
        ] {
            for w in theirs {
                if !mine.contains(w) {
                    mine.push(w.clone());
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.credit_labels.is_empty() && self.source_credit_words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn merging_keeps_each_word_once_in_order() {
        let mut a = Language {
            credit_labels: vec!["Ảnh".into()],
            source_credit_words: vec![],
        };
        a.merge(&Language {
            credit_labels: vec!["Photo".into(), "Ảnh".into()],
            source_credit_words: vec!["Theo".into()],
        });
        assert_eq!(a.credit_labels, ["Ảnh", "Photo"]);
        assert_eq!(a.source_credit_words, ["Theo"]);
        assert!(!a.is_empty() && Language::default().is_empty());
    }
}
