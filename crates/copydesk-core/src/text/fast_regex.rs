//! Regexes that stay on the lazy DFA over Vietnamese text.
//!
//! The `regex` crate runs a pattern on its slow engine (the PikeVM, several times
//! slower per byte) in two common cases here: a Unicode `\b` (or `\B`, `\<`, `\>`)
//! once the haystack holds a non-ASCII byte, which is every Vietnamese text; and large
//! Unicode classes (`\w`, `\p{Lu}`) whose UTF-8 automata fill the lazy DFA's cache so
//! fast that it gives up. [`FastRegex`] finds the very same matches and captures as
//! `regex::Regex::captures_iter` another way:
//!
//! - a *relaxed* regex ([`relax`]) matches wherever the pattern does, at the same start,
//!   and more: Unicode word assertions are replaced by nothing and classes by coarser
//!   ones, exact on ASCII, Latin and Vietnamese letters but not elsewhere. It runs on the
//!   lazy DFA with a small cache;
//! - to find the leftmost-first match from a position, the relaxed regex gives the
//!   first position where a match can start, and the exact regex is tried there,
//!   anchored (a short run, bounded by the match attempt, not by the text). If it fails
//!   the next candidate is looked for one byte further on;
//! - should candidates keep failing (a pattern whose relaxed form matches almost
//!   everywhere), the rest of the text is searched by the exact regex alone, so the cost
//!   stays linear.
//!
//! Patterns that the relaxing does not change use the exact regex directly.

use std::ops::Range;
use std::sync::OnceLock;

use regex_automata::util::captures::Captures as RawCaptures;
use regex_automata::util::iter::Searcher;
use regex_automata::{meta, Anchored, Input, MatchKind};
use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition};

/// The cache capacity of the lazy DFA, as `regex::RegexBuilder` sets it.
const HYBRID_CACHE: usize = 2 * (1 << 20);

/// A compiled regex with the matching semantics of `regex::Regex` (leftmost-first,
/// UTF-8, Unicode), fast on non-ASCII text even with word boundaries.
#[derive(Debug, Clone)]
pub struct FastRegex {
    exact: meta::Regex,
    /// The relaxed form when it differs from the pattern, built on first use: rules
    /// load (and validate) their regexes at start-up, most never run.
    relaxed_hir: Option<Hir>,
    relaxed: OnceLock<Option<meta::Regex>>,
    size_limit: usize,
}

fn meta_config(size_limit: usize) -> meta::Config {
    meta::Config::new()
        .nfa_size_limit(Some(size_limit))
        .hybrid_cache_capacity(HYBRID_CACHE)
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(true)
}

/// The same error `regex::RegexBuilder::build` gives.
fn regex_error(err: meta::BuildError) -> regex::Error {
    if let Some(limit) = err.size_limit() {
        regex::Error::CompiledTooBig(limit)
    } else if let Some(e) = err.syntax_error() {
        regex::Error::Syntax(e.to_string())
    } else {
        regex::Error::Syntax(err.to_string())
    }
}

/// Whether `look` needs the Unicode word-character table.
fn is_unicode_word_look(look: Look) -> bool {
    matches!(
        look,
        Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode
    )
}

/// Where a coarse class keeps its exact ranges: one- and two-byte UTF-8 (ASCII, Latin,
/// combining marks) and Latin Extended Additional (the precomposed Vietnamese letters).
const EXACT_RANGES: [(char, char); 2] = [('\0', '\u{7FF}'), ('\u{1E00}', '\u{1EFF}')];

/// A class that holds `cls`: exact on [`EXACT_RANGES`], and every other character if
/// `cls` has any there. Classes such as `\w` or `\p{Lu}` have hundreds of ranges
/// across Unicode whose UTF-8 automata make the lazy DFA thrash (and give up); the
/// coarse class compiles to a few states.
fn coarse(cls: &ClassUnicode) -> ClassUnicode {
    let mut exact = ClassUnicode::new(EXACT_RANGES.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)));
    let mut out = cls.clone();
    out.intersect(&exact);
    let mut rest = cls.clone();
    exact.negate();
    rest.intersect(&exact);
    if !rest.ranges().is_empty() {
        out.union(&exact);
    }
    out
}

/// A regex that matches wherever `hir` does (same start, and more): every Unicode word
/// assertion replaced by the empty regex, every class by its [`coarse`] class, capture
/// groups by their contents (only where a match starts is asked of it). `changed` is
/// set when the language may differ from `hir`'s.
pub fn relax(hir: &Hir, changed: &mut bool) -> Hir {
    match hir.kind() {
        HirKind::Look(look) if is_unicode_word_look(*look) => {
            *changed = true;
            Hir::empty()
        }
        HirKind::Class(Class::Unicode(cls)) => {
            let c = coarse(cls);
            *changed |= &c != cls;
            Hir::class(Class::Unicode(c))
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            max: rep.max,
            greedy: rep.greedy,
            sub: Box::new(relax(&rep.sub, changed)),
        }),
        HirKind::Capture(Capture { sub, .. }) => relax(sub, changed),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|h| relax(h, changed)).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(|h| relax(h, changed)).collect()),
    }
}

impl FastRegex {
    /// Compiles `pattern` as `regex::RegexBuilder::new(pattern)` with these settings
    /// would, with the same errors.
    pub fn new(pattern: &str, case_insensitive: bool, size_limit: usize) -> Result<FastRegex, regex::Error> {
        // The parser and settings `regex` uses: the same errors, word for word.
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .build()
            .parse(pattern)
            .map_err(|e| regex::Error::Syntax(e.to_string()))?;
        let build = |hir: &Hir| {
            meta::Builder::new()
                .configure(meta_config(size_limit))
                .build_from_hir(hir)
                .map_err(|e| Box::new(regex_error(e)))
        };
        let exact = build(&hir).map_err(|e| *e)?;
        let mut changed = false;
        let relaxed_hir = relax(&hir, &mut changed);
        Ok(FastRegex {
            exact,
            relaxed_hir: changed.then_some(relaxed_hir),
            relaxed: OnceLock::new(),
            size_limit,
        })
    }

    fn relaxed(&self) -> Option<&meta::Regex> {
        self.relaxed
            .get_or_init(|| {
                // A relaxed regex that cannot be built only costs speed.
                let hir = self.relaxed_hir.as_ref()?;
                meta::Builder::new()
                    .configure(meta_config(self.size_limit))
                    .build_from_hir(hir)
                    .ok()
            })
            .as_ref()
    }

    /// Every leftmost-first, non-overlapping match with its groups, as
    /// `regex::Regex::captures_iter` gives them.
    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> CaptureMatches<'r, 'h> {
        CaptureMatches {
            re: self,
            haystack,
            searcher: Searcher::new(Input::new(haystack)),
            failures_left: 64 + haystack.len() / 64,
        }
    }

    /// Whether the regex matches anywhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        match self.relaxed() {
            Some(relaxed) if !relaxed.is_match(haystack) => false,
            _ => self.captures_iter(haystack).next().is_some(),
        }
    }
}

/// Builds the regex of a [`FastRegex`]'s relaxed form from a pattern string: for sets of
/// patterns that only ask whether each one may match (a prefilter).
pub fn relaxed_pattern(pattern: &str, case_insensitive: bool) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .ok()?;
    let mut changed = false;
    let relaxed = relax(&hir, &mut changed);
    changed.then(|| relaxed.to_string())
}

/// The iterator of [`FastRegex::captures_iter`].
pub struct CaptureMatches<'r, 'h> {
    re: &'r FastRegex,
    haystack: &'h str,
    searcher: Searcher<'h>,
    /// Failed anchored tries allowed before the exact regex searches alone.
    failures_left: usize,
}

impl<'h> Iterator for CaptureMatches<'_, 'h> {
    type Item = Captures<'h>;

    fn next(&mut self) -> Option<Captures<'h>> {
        let re = self.re;
        let mut caps = re.exact.create_captures();
        let failures_left = &mut self.failures_left;
        let m = self.searcher.advance(|input| {
            search(re, input, &mut caps, failures_left);
            Ok(caps.get_match())
        })?;
        debug_assert_eq!(caps.get_match(), Some(m));
        Some(Captures {
            haystack: self.haystack,
            caps,
        })
    }
}

/// The leftmost-first match of the exact regex in `input`'s span, into `caps`.
fn search(re: &FastRegex, input: &Input<'_>, caps: &mut RawCaptures, failures_left: &mut usize) {
    let Some(relaxed) = re.relaxed().filter(|_| *failures_left > 0) else {
        re.exact.search_captures(input, caps);
        return;
    };
    let end = input.end();
    let mut at = input.start();
    loop {
        if at > end {
            caps.set_pattern(None);
            return;
        }
        let Some(candidate) = relaxed.search(&input.clone().span(at..end)) else {
            caps.set_pattern(None);
            return;
        };
        let start = candidate.start();
        // No match of the exact regex starts before `start`: it would be one of the
        // relaxed regex too. One that starts there is its leftmost-first match.
        re.exact
            .search_captures(&input.clone().span(start..end).anchored(Anchored::Yes), caps);
        if caps.is_match() {
            return;
        }
        *failures_left -= 1;
        if *failures_left == 0 {
            if start < end {
                re.exact.search_captures(&input.clone().span(start + 1..end), caps);
            } else {
                caps.set_pattern(None);
            }
            return;
        }
        at = start + 1;
    }
}

/// One match and its groups, like `regex::Captures`.
#[derive(Debug)]
pub struct Captures<'h> {
    haystack: &'h str,
    caps: RawCaptures,
}

/// A matched piece of the haystack, like `regex::Match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    pub fn start(&self) -> usize {
        self.start
    }
    pub fn end(&self) -> usize {
        self.end
    }
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.range()]
    }
}

impl<'h> Captures<'h> {
    fn group(&self, span: Option<regex_automata::Span>) -> Option<Match<'h>> {
        span.map(|s| Match {
            haystack: self.haystack,
            start: s.start,
            end: s.end,
        })
    }

    /// Group `i` (0 is the whole match).
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        self.group(self.caps.get_group(i))
    }

    /// The group named `name`.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.group(self.caps.get_group_by_name(name))
    }

    /// Every group in order, `None` for one that did not take part.
    pub fn iter(&self) -> impl Iterator<Item = Option<Match<'h>>> + '_ {
        self.caps.iter().map(|s| self.group(s))
    }

    /// Appends `replacement` with `$1`, `${name}` expanded, as `regex::Captures::expand`.
    pub fn expand(&self, replacement: &str, dst: &mut String) {
        self.caps.interpolate_string_into(self.haystack, replacement, dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Patterns with Unicode word assertions in every position, and some without.
    const PATTERNS: &[(&str, bool)] = &[
        (r"\bTỉnh\b", false),
        (r"\w+\b", false),
        (r"\b\w", false),
        (r"\B\w\B", false),
        (r"\bđ\w*", true),
        (r"(?<a>\w+)\b (?<span>Tỉnh) \p{Lu}\w*\b", false),
        (r"\b(?:a|ab|abc)\b", false),
        (r"x*\b", false),
        (r"\b", false),
        (r"\<\w+\>", false),
        (r"\b{start-half}ng\w*\b{end-half}", true),
        (
            r"(?:\p{Ll}\w*\b|\p{Lu}[\p{Lu}\d]+\b) (?<span>Quận) (?:Đ(?:o(?:à(?:n\w+)?)?)?|H\w+)\b",
            false,
        ),
        (r"(?i)(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\u{1A}]+", false),
        (r"ngh(?<r>[aàáo]\w*)", true),
        (r"\p{Lu}{2,}", false),
        (r"[^\s<>]+@\w", false),
        (r"\p{Han}+|[^a-zà]\d", true),
        (r"(?i)[\w&&[^ô]]\w*\b", false),
        (r"", false),
    ];

    fn theirs(pattern: &str, ci: bool, text: &str) -> Vec<Vec<Option<Range<usize>>>> {
        let re = regex::RegexBuilder::new(pattern).case_insensitive(ci).build().unwrap();
        re.captures_iter(text)
            .map(|c| c.iter().map(|g| g.map(|g| g.range())).collect())
            .collect()
    }

    fn ours(pattern: &str, ci: bool, text: &str) -> Vec<Vec<Option<Range<usize>>>> {
        let re = FastRegex::new(pattern, ci, 1 << 22).unwrap();
        re.captures_iter(text)
            .map(|c| c.iter().map(|g| g.map(|g| g.range())).collect())
            .collect()
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "Tỉnh",
                "tỉnh",
                "Quận",
                "Đoàn",
                "Đoà",
                "Hà",
                "đường",
                "ươ",
                "ngày",
                "nghĩa",
                " ",
                "  ",
                ".",
                ", ",
                "😀",
                "👍🏽",
                "\u{1A}",
                "a",
                "ab",
                "abc",
                "x",
                "_",
                "\u{300}",
                "\u{301}",
                "e\u{301}",
                "\u{200D}",
                "\u{200C}",
                "²",
                "½",
                "٣",
                "https://a.vn",
                "www.",
                "ĐÀ NẴNG",
                "TP",
                "1",
                "\n",
                "\u{A0}",
                "中文",
                "ᾯ",
                "@",
                "<",
                "\u{1E9E}",
                "Ỳ",
                "ǅ",
                "K",
                "ſ",
            ])
            .prop_map(str::to_string),
            "\\PC{0,4}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 512,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x00c0_97de_5c01),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn same_matches_and_groups_as_the_regex_crate(parts in prop::collection::vec(piece(), 0..24)) {
            let text = parts.concat();
            for &(p, ci) in PATTERNS {
                prop_assert_eq!(ours(p, ci, &text), theirs(p, ci, &text), "pattern {}", p);
            }
        }
    }

    #[test]
    fn many_failed_candidates_fall_back_to_the_exact_regex() {
        // The relaxed form of `\bb` matches at every `b` inside `abbb…`; none is a match.
        let text = format!("{} b", "a".to_string() + &"b".repeat(10_000));
        assert_eq!(ours(r"\bb", false, &text), theirs(r"\bb", false, &text));
        assert_eq!(ours(r"\bb", false, &text).len(), 1);
    }

    #[test]
    fn errors_are_the_regex_crate_errors() {
        for (p, ci) in [
            ("(", false),
            ("a{2,1}", true),
            (r"\p{Nope}", false),
            (r"\w{500}", false),
        ] {
            let theirs = regex::RegexBuilder::new(p)
                .case_insensitive(ci)
                .size_limit(1 << 22)
                .build()
                .unwrap_err();
            let ours = FastRegex::new(p, ci, 1 << 22).unwrap_err();
            assert_eq!(ours.to_string(), theirs.to_string());
        }
    }

    #[test]
    fn only_what_keeps_the_regex_off_the_dfa_is_relaxed() {
        let relaxed = |p| FastRegex::new(p, false, 1 << 22).unwrap().relaxed().is_some();
        assert!(relaxed(r"\bx"));
        assert!(relaxed(r"\w+"));
        assert!(!relaxed(r"(?-u:\b)x"));
        assert!(!relaxed(r"^x$"));
        assert!(!relaxed(r"[a-zđươ]+"), "classes of Vietnamese letters are kept exact");
        assert_eq!(relaxed_pattern(r"\bx\b", false).as_deref(), Some("x"));
        assert_eq!(relaxed_pattern(r"x", false), None);
    }
}
