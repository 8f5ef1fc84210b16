//! Regex terms: gated by the literals every match contains, or behind a `RegexSet`.

use super::*;

use super::analysis::{gate_literals, parse, size_estimate, GateLiterals};

include!(concat!(env!("OUT_DIR"), "/builtin_regexes.rs"));

/// The size estimate and gate literals of a case-sensitive regex of the built-in packs,
/// computed by `build.rs` with the code of [`super::analysis`]; `None` for any other
/// pattern. Such a pattern parsed when the packs were built, so it needs no parse to be
/// found valid here either.
pub(crate) fn builtin_analysis(pattern: &str) -> Option<(usize, Option<GateLiterals>)> {
    let i = BUILTIN_ANALYSES.binary_search_by(|(p, _, _)| (*p).cmp(pattern)).ok()?;
    let (_, estimate, gates) = BUILTIN_ANALYSES[i];
    let gates = gates.map(|g| g.iter().map(|s| (s.to_string(), true)).collect());
    Some((estimate, gates))
}

#[cfg(test)]
thread_local! {
    /// Regexes parsed by [`RegexTermsBuilder::add`] on this thread (a test counts them).
    pub(super) static PARSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Above this [`size_estimate`], a regex is compiled when the rules load.
pub(super) const EAGER_COMPILE_ESTIMATE: usize = 20_000;

/// Regexes, each gated by its literals or behind a [`RegexSet`] prefilter.
#[derive(Default)]
pub struct RegexTermsBuilder {
    pub(super) entries: Vec<RegexEntry>,
    /// Per regex, its gate literals (see [`gate_literals`]).
    pub(super) gates: Vec<Option<GateLiterals>>,
}

pub(super) struct RegexEntry {
    pub(super) pattern: String,
    pub(super) case_insensitive: bool,
    pub(super) owner: (u32, bool),
    pub(super) estimate: usize,
    /// Built on first use; the error says why it could not be.
    pub(super) regex: OnceLock<Result<FastRegex, String>>,
    pub(super) gated: bool,
    /// The most memory the regex may compile to.
    pub(super) size_limit: usize,
}

/// The most memory one regex may compile to.
pub(super) const REGEX_SIZE_LIMIT: usize = 1 << 22;

impl RegexEntry {
    pub(super) fn compile(&self) -> Result<FastRegex, ::regex::Error> {
        FastRegex::new(&self.pattern, self.case_insensitive, self.size_limit)
    }

    /// The regex, or why it cannot be built (its load-time parse succeeded, so only a
    /// size limit can fail here).
    pub(super) fn regex(&self) -> Result<&FastRegex, &str> {
        self.regex
            .get_or_init(|| self.compile().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }

    /// The pattern as a member of a [`RegexSet`] that only says which regexes may
    /// match: without Unicode word boundaries, which would keep the set off the lazy DFA
    /// on Vietnamese text (see [`crate::text::fast_regex`]).
    pub(super) fn source(&self) -> String {
        let pattern = relaxed_pattern(&self.pattern, self.case_insensitive).unwrap_or_else(|| self.pattern.clone());
        if self.case_insensitive {
            format!("(?i){pattern}")
        } else {
            pattern
        }
    }
}

impl RegexTermsBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `pattern` for owner `id`; the error is a sentence about the regex.
    pub fn add(&mut self, pattern: &str, case_insensitive: bool, whole_word: bool, id: u32) -> Result<(), String> {
        // A case-sensitive regex of the built-in packs was analysed when the crate was
        // built; any other is parsed here (a bad one is an error now, not at first use).
        let (estimate, gates) = match if case_insensitive {
            None
        } else {
            builtin_analysis(pattern)
        } {
            Some(known) => known,
            None => {
                #[cfg(test)]
                PARSED.with(|n| n.set(n.get() + 1));
                let hir = parse(pattern, case_insensitive).map_err(|e| format!("invalid regex: {e}"))?;
                (
                    size_estimate(&hir),
                    gate_literals(&hir, case_insensitive, &fold_as_block),
                )
            }
        };
        let entry = RegexEntry {
            pattern: pattern.to_string(),
            case_insensitive,
            owner: (id, whole_word),
            estimate,
            regex: OnceLock::new(),
            gated: false,
            size_limit: REGEX_SIZE_LIMIT,
        };
        if entry.estimate > EAGER_COMPILE_ESTIMATE {
            let regex = entry.compile().map_err(|e| format!("invalid regex: {e}"))?;
            let _ = entry.regex.set(Ok(regex));
        }
        self.entries.push(RegexEntry {
            gated: gates.is_some(),
            ..entry
        });
        self.gates.push(gates);
        Ok(())
    }

    /// The regex without gate literals that is likely the largest compiled: the one a
    /// regex set too large to build is blamed on.
    pub(super) fn largest_ungated(&self) -> Option<usize> {
        (0..self.entries.len())
            .filter(|&i| !self.entries[i].gated)
            .max_by_key(|&i| (self.entries[i].estimate, std::cmp::Reverse(i)))
    }

    pub(super) fn build(self) -> Result<RegexTerms, String> {
        let ungated: Vec<usize> = (0..self.entries.len()).filter(|&i| !self.entries[i].gated).collect();
        let set = OnceLock::new();
        let estimate = ungated
            .iter()
            .fold(0usize, |n, &i| n.saturating_add(self.entries[i].estimate));
        if estimate > EAGER_COMPILE_ESTIMATE * 8 {
            let _ = set.set(Some(
                regex_set(&self.entries, &ungated).map_err(|e| format!("cannot combine the regexes: {e}"))?,
            ));
        }
        Ok(RegexTerms {
            entries: self.entries,
            ungated,
            set,
        })
    }
}

/// The most memory one kind's set of regexes may compile to.
pub(super) const REGEX_SET_SIZE_LIMIT: usize = 1 << 26;

pub(super) fn regex_set(entries: &[RegexEntry], members: &[usize]) -> Result<RegexSet, ::regex::Error> {
    ::regex::RegexSetBuilder::new(members.iter().map(|&i| entries[i].source()))
        .size_limit(REGEX_SET_SIZE_LIMIT)
        .build()
}

/// Compiled regex terms.
pub struct RegexTerms {
    pub(super) entries: Vec<RegexEntry>,
    /// The regexes without gate literals, in order: members of the set.
    pub(super) ungated: Vec<usize>,
    pub(super) set: OnceLock<Option<RegexSet>>,
}

impl RegexTerms {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Calls `f(id, captures)` for every non-empty match of every regex whose owner
    /// `accept` takes, that holds no masked byte and, if asked, is a whole word. `gates`
    /// comes from [`TermSet::find_gated`] on the same text. A regex that would run but
    /// cannot be built calls `broken(id, why)` instead.
    pub fn for_each(
        &self,
        text: &str,
        gates: &[bool],
        accept: &dyn Fn(u32) -> bool,
        mut f: impl FnMut(u32, &Captures<'_>),
        mut broken: impl FnMut(u32, &str),
    ) {
        if self.entries.is_empty() {
            return;
        }
        let set_matches = if self.ungated.is_empty() {
            None
        } else {
            self.set
                .get_or_init(|| regex_set(&self.entries, &self.ungated).ok())
                .as_ref()
                .map(|set| set.matches(text))
        };
        let mut next_ungated = 0;
        for (i, entry) in self.entries.iter().enumerate() {
            let may_match = if entry.gated {
                gates.get(i).copied().unwrap_or(false)
            } else {
                let k = next_ungated;
                next_ungated += 1;
                // A set that could not be built filters nothing: every regex is run.
                set_matches.as_ref().is_none_or(|m| m.matched(k))
            };
            let (id, whole_word) = entry.owner;
            if !may_match || !accept(id) {
                continue;
            }
            let regex = match entry.regex() {
                Ok(regex) => regex,
                // Said, not skipped: a rule that silently finds nothing passes every check.
                Err(e) => {
                    broken(id, e);
                    continue;
                }
            };
            for caps in regex.captures_iter(text) {
                let Some(m) = caps.get(0) else { continue };
                if m.is_empty() || m.as_str().contains(MASK_CHAR) || (whole_word && !is_whole_word(text, m.range())) {
                    continue;
                }
                f(id, &caps);
            }
        }
    }
}
