//! The entries of a term-list kind (`substitution`, `existence`), compiled into a
//! [`TermSet`] and [`RegexTerms`] with every mistake located at the entry's key.

use super::*;

/// The terms of a term-list kind (`substitution`, `existence`): entries that each give
/// literal words or one regex, compiled into a [`TermSet`] and [`RegexTerms`], with every
/// mistake reported at the entry's key.
pub struct TermListBuilder {
    pub(super) literals: TermSetBuilder,
    pub(super) regexes: RegexTermsBuilder,
    pub(super) errors: Vec<RuleError>,
    pub(super) first_rule: Option<RuleIdx>,
    /// Per regex added, its rule and key: a regex set too large to build is blamed on
    /// the largest of them, not on whichever rule came first.
    pub(super) regex_keys: Vec<(RuleIdx, String)>,
    /// The key of the literal words (`wrong`, `match`) and what one is called.
    pub(super) words_key: &'static str,
    pub(super) noun: &'static str,
}

/// One entry of a term list, as [`TermListBuilder::add`] takes it.
pub struct TermEntry<'a> {
    pub rule: RuleIdx,
    /// The entry's key, `terms[3]`, that errors point at.
    pub key: &'a str,
    pub words: Vec<String>,
    pub pattern: Option<&'a str>,
    pub case_sensitive: bool,
    pub whole_word: bool,
    /// The id matches report (an index into the kind's entries).
    pub id: u32,
}

impl TermListBuilder {
    /// `words_key` names the option that holds literal words, `noun` one of them.
    pub fn new(words_key: &'static str, noun: &'static str) -> Self {
        TermListBuilder {
            literals: TermSetBuilder::new(),
            regexes: RegexTermsBuilder::new(),
            errors: Vec::new(),
            first_rule: None,
            regex_keys: Vec::new(),
            words_key,
            noun,
        }
    }

    /// Adds a rule's `compounds` option (two-syllable words that no term may cut; they
    /// hold for every term of the kind). A word without two syllables is an error at
    /// `compounds[i]`.
    pub fn compounds(&mut self, rule: RuleIdx, words: &[String]) {
        for (i, w) in words.iter().enumerate() {
            match Compounds::with_extra(std::slice::from_ref(w)) {
                Ok(c) => self.literals.add_compounds(&c),
                Err(_) => self.errors.push(RuleError::new(
                    rule,
                    Some(format!("compounds[{i}]")),
                    format!("“{w}” is not a word of two syllables (write them with one space: “tựu chung”)"),
                )),
            }
        }
    }

    /// Records an error of the kind's own making (it is returned by [`Self::build`]).
    pub fn error(&mut self, error: RuleError) {
        self.errors.push(error);
    }

    /// Adds an entry's words or regex. `false` when the entry is unusable (the error is
    /// recorded): the caller then leaves it out.
    pub fn add(&mut self, e: TermEntry<'_>) -> bool {
        let key = |k: &str| Some(format!("{}{k}", e.key));
        match (e.pattern, e.words.is_empty()) {
            (Some(_), false) | (None, true) => {
                let message = format!(
                    "give either `{}` (literal {}s) or `pattern` (a regex), not both",
                    self.words_key, self.noun
                );
                self.errors.push(RuleError::new(e.rule, key(""), message));
                false
            }
            (Some(p), true) => match self.regexes.add(p, !e.case_sensitive, e.whole_word, e.id) {
                Ok(()) => {
                    self.first_rule.get_or_insert(e.rule);
                    self.regex_keys.push((e.rule, format!("{}.pattern", e.key)));
                    true
                }
                Err(message) => {
                    self.errors.push(RuleError::new(e.rule, key(".pattern"), message));
                    false
                }
            },
            (None, false) => {
                for w in &e.words {
                    if !self.literals.add(w, e.case_sensitive, e.whole_word, e.id) {
                        let message = format!("a `{}` {} is empty", self.words_key, self.noun);
                        self.errors
                            .push(RuleError::new(e.rule, key(&format!(".{}", self.words_key)), message));
                    }
                }
                self.first_rule.get_or_insert(e.rule);
                true
            }
        }
    }

    /// The compiled terms, or every error found.
    pub fn build(mut self) -> Result<(TermSet, RegexTerms), Vec<RuleError>> {
        let largest = self.regexes.largest_ungated();
        match self.literals.build_with_regexes(self.regexes) {
            Ok(built) if self.errors.is_empty() => Ok(built),
            Ok(_) => Err(self.errors),
            Err(message) => {
                let error = match largest.and_then(|i| self.regex_keys.get(i)) {
                    Some((rule, key)) => RuleError::new(
                        *rule,
                        Some(key.clone()),
                        format!(
                            "the regexes of this kind, which are compiled together, exceed the limit of {} MiB \
                             ({message}); this pattern is the largest of them: simplify it, or narrow it with literal words",
                            REGEX_SET_SIZE_LIMIT >> 20
                        ),
                    ),
                    None => RuleError::new(self.first_rule.unwrap_or(RuleIdx(0)), None, message),
                };
                self.errors.push(error);
                Err(self.errors)
            }
        }
    }
}
