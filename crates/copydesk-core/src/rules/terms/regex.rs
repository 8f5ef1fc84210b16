//! Regex terms: gated by the literals every match contains, or behind a `RegexSet`.

use super::*;

/// Gate literals of a regex: `(literal, exact)`, see [`gate_literals`].
pub(super) type GateLiterals = Vec<(String, bool)>;

/// Literals that every match of `hir` contains, as `(literal, exact)` (`exact`: compare
/// with the block's own bytes, for a case-sensitive regex); `None` when there are none
/// worth searching for. Tries the prefixes of each tail of a top-level concatenation
/// (`\w+,? Tỉnh \p{Lu}` gives ` Tỉnh `) and keeps the longest, fewest literals.
pub(super) fn gate_literals(hir: &Hir, case_insensitive: bool) -> Option<GateLiterals> {
    // Small limits first (cheap: a case-insensitive phrase has many case variants); larger
    // ones only when the small ones give nothing longer than three bytes (`ngh` followed
    // by a class of 120 vowels is worth listing as `ngha`, `nghà`…).
    let small = best_gate(hir, case_insensitive, 16, 64);
    if small.as_ref().is_some_and(|(len, _, _)| *len >= 4) {
        return small.map(|(_, _, set)| set);
    }
    let large = best_gate(hir, case_insensitive, 128, 1_000);
    let best = match (small, large) {
        (Some(s), Some(l)) => Some(if gate_score(&l) > gate_score(&s) { l } else { s }),
        (s, l) => s.or(l),
    };
    // One- and two-byte gates fire on nearly every block: no better than no gate.
    best.filter(|(len, _, _)| *len >= 3).map(|(_, _, set)| set)
}

/// Candidate gates: (shortest literal, capped at six bytes; number of literals; literals).
pub(super) type GateCandidate = (usize, usize, GateLiterals);

/// Longer literals first (up to six bytes), then fewer.
pub(super) fn gate_score(c: &GateCandidate) -> (usize, std::cmp::Reverse<usize>) {
    (c.0, std::cmp::Reverse(c.1))
}

/// The best gate over the tails of `hir`'s top-level concatenation, with these limits.
pub(super) fn best_gate(
    hir: &Hir,
    case_insensitive: bool,
    limit_class: usize,
    limit_total: usize,
) -> Option<GateCandidate> {
    let mut extractor = Extractor::new();
    extractor
        .kind(ExtractKind::Prefix)
        .limit_class(limit_class)
        .limit_total(limit_total);
    let parts: &[Hir] = match hir.kind() {
        HirKind::Concat(parts) => parts,
        _ => std::slice::from_ref(hir),
    };
    let mut best: Option<GateCandidate> = None;
    for i in 0..parts.len() {
        let tail = if i == 0 && parts.len() == 1 {
            parts[0].clone()
        } else {
            Hir::concat(parts[i..].to_vec())
        };
        let seq = extractor.extract(&tail);
        let Some(literals) = seq.literals() else { continue };
        let mut set: GateLiterals = Vec::with_capacity(literals.len());
        for lit in literals {
            // A prefix of a required literal is required too: cut at a character boundary.
            let bytes = lit.as_bytes();
            let valid = match std::str::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
            };
            if valid.is_empty() || valid.contains(MASK_CHAR) {
                set.clear();
                break;
            }
            // A case-insensitive regex lists every case variant: the folded one is enough.
            let entry = if case_insensitive {
                (fold_as_block(valid), false)
            } else {
                (valid.to_string(), true)
            };
            set.push(entry);
        }
        if set.is_empty() {
            continue;
        }
        set.sort();
        set.dedup();
        let shortest = set.iter().map(|(s, _)| s.len()).min().unwrap_or(0).min(6);
        let candidate = (shortest, set.len(), set);
        if best.as_ref().is_none_or(|b| gate_score(&candidate) > gate_score(b)) {
            best = Some(candidate);
        }
    }
    best
}

/// A rough size of the automaton `hir` compiles to; a regex much above the usual is
/// compiled when the rules load, so that one too big is an error there.
pub(super) fn size_estimate(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(l) => l.0.len(),
        HirKind::Class(Class::Unicode(c)) => c.ranges().len().saturating_mul(4),
        HirKind::Class(Class::Bytes(c)) => c.ranges().len(),
        HirKind::Repetition(r) => {
            let times = r.max.unwrap_or(r.min).max(r.min).max(1) as usize;
            size_estimate(&r.sub).saturating_mul(times).saturating_add(1)
        }
        HirKind::Capture(c) => size_estimate(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().fold(0usize, |n, h| n.saturating_add(size_estimate(h)))
        }
    }
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
        // The same parser and settings as `regex` itself: the same errors, with positions.
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .build()
            .parse(pattern)
            .map_err(|e| format!("invalid regex: {e}"))?;
        let entry = RegexEntry {
            pattern: pattern.to_string(),
            case_insensitive,
            owner: (id, whole_word),
            estimate: size_estimate(&hir),
            regex: OnceLock::new(),
            gated: false,
            size_limit: REGEX_SIZE_LIMIT,
        };
        if entry.estimate > EAGER_COMPILE_ESTIMATE {
            let regex = entry.compile().map_err(|e| format!("invalid regex: {e}"))?;
            let _ = entry.regex.set(Ok(regex));
        }
        let gates = gate_literals(&hir, case_insensitive);
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
