//! Finding many literal terms (and a few regexes) in a block at once, as whole words.
//!
//! Shared by `substitution`, `existence`, `consistency` and `abbreviation`. The kinds
//! compile every literal of every rule of their group into one [`TermSet`]: one
//! Aho-Corasick automaton (leftmost-longest) over a case-folded copy of the block for the
//! case-insensitive terms, and one over the block itself for the case-sensitive ones, so
//! the cost of a search does not grow with the number of terms.
//!
//! Design decisions:
//! - **Case folding keeps offsets.** The block is lower-cased into a buffer of the same
//!   length: a character whose lower case has another UTF-8 length (or is several
//!   characters) is left as it is. Every Vietnamese letter, `Đ` included, folds. The
//!   buffer is thread-local and reused, so a search allocates nothing unless it finds
//!   something.
//! - **Word boundaries are Unicode's**, from [`crate::text::words`]: `đ`, `ươ` and
//!   combining marks are word characters, the mask byte is not. A candidate that fails
//!   its boundaries does not hide a shorter term at the same place (`sát nhập` inside
//!   `sát nhậpx` still lets `sát` match) nor a term that starts inside it.
//! - **Normalization.** Each term is also added in NFD and in the "composite" spelling
//!   of Vietnamese input methods (precomposed `â ê ô ă ơ ư`, combining tone marks), so
//!   a term matches text in any of the three; [`Form`] says which, so a replacement can
//!   be written the same way.
//! - **Regexes** go through a [`regex::RegexSet`] first: a block is searched with a
//!   rule's regex only when the set says it matches somewhere.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use regex::{Captures, Regex, RegexSet};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::document::MASK_CHAR;
use crate::text::words::is_whole_word;

/// How a piece of text is normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Precomposed letters (or no combining marks at all).
    Nfc,
    /// Fully decomposed: base letters followed by combining marks.
    Nfd,
    /// Vietnamese input-method style: `â ê ô ă ơ ư đ` precomposed, tone marks combining.
    Composite,
}

/// The five Vietnamese tone marks as combining characters.
fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

impl Form {
    /// The form `s` is written in.
    pub fn of(s: &str) -> Form {
        if !s.chars().any(is_combining_mark) {
            Form::Nfc
        } else if s.chars().eq(s.nfd()) {
            Form::Nfd
        } else {
            Form::Composite
        }
    }

    /// `s` written in this form (`Nfc` leaves `s` as it is).
    pub fn apply(self, s: &str) -> String {
        match self {
            Form::Nfc => s.to_string(),
            Form::Nfd => s.nfd().collect(),
            Form::Composite => composite(s),
        }
    }
}

/// `s` with every letter precomposed except for its tone mark, which follows it.
pub fn composite(s: &str) -> String {
    fn flush(cluster: &mut String, tones: &mut String, out: &mut String) {
        out.extend(cluster.nfc());
        out.push_str(tones);
        cluster.clear();
        tones.clear();
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut cluster = String::new();
    let mut tones = String::new();
    for c in s.nfd() {
        if !is_combining_mark(c) {
            flush(&mut cluster, &mut tones, &mut out);
        }
        if is_tone_mark(c) {
            tones.push(c);
        } else {
            cluster.push(c);
        }
    }
    flush(&mut cluster, &mut tones, &mut out);
    out
}

const FOLD_TABLE_LEN: u32 = 0x2000;

fn fold_char_slow(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// Folded forms of U+0000..U+1FFF: Latin, Latin Extended Additional (all of
/// Vietnamese), Greek, Cyrillic.
static FOLD: LazyLock<Vec<char>> = LazyLock::new(|| {
    (0..FOLD_TABLE_LEN)
        .map(|u| char::from_u32(u).map_or('\0', fold_char_slow))
        .collect()
});

/// The lower case of `c` when it has the same UTF-8 length, otherwise `c`.
#[inline]
pub fn fold_char(c: char) -> char {
    if (c as u32) < FOLD_TABLE_LEN {
        FOLD[c as usize]
    } else {
        fold_char_slow(c)
    }
}

/// `s` case-folded with [`fold_char`]: same length, same character boundaries.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Writes the case-folded bytes of `text` into `out` (cleared first).
pub fn fold_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(text.as_bytes());
    let n = out.len();
    let mut i = 0;
    while i < n {
        let b = out[i];
        if b < 0x80 {
            out[i] = b.to_ascii_lowercase();
            i += 1;
        } else if (0xC0..0xE0).contains(&b) && i + 1 < n {
            // Two bytes: U+0080..U+07FF, always inside the table; folds to two bytes.
            let c = (u32::from(b & 0x1F) << 6) | u32::from(out[i + 1] & 0x3F);
            let f = FOLD.get(c as usize).map_or(c, |&f| f as u32);
            out[i] = 0xC0 | (f >> 6) as u8;
            out[i + 1] = 0x80 | (f & 0x3F) as u8;
            i += 2;
        } else if (0xE0..0xF0).contains(&b) && i + 2 < n {
            // Three bytes: Latin Extended Additional (Vietnamese) is U+1E00..U+1EFF.
            let c = (u32::from(b & 0x0F) << 12) | (u32::from(out[i + 1] & 0x3F) << 6) | u32::from(out[i + 2] & 0x3F);
            let f = char::from_u32(c).map_or(c, |c| fold_char(c) as u32);
            out[i] = 0xE0 | (f >> 12) as u8;
            out[i + 1] = 0x80 | ((f >> 6) & 0x3F) as u8;
            out[i + 2] = 0x80 | (f & 0x3F) as u8;
            i += 3;
        } else {
            // Four bytes (emoji, rare scripts): left as they are.
            i += if b >= 0xF0 { 4 } else { 1 };
        }
    }
}

thread_local! {
    static FOLD_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// One owner of a matched term: the caller's id, whether it must be a whole word, and
/// the normalization form of the spelling that matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub id: u32,
    pub whole_word: bool,
    pub form: Form,
}

/// A match: where, and the owners of the term that accept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMatch {
    pub range: Range<usize>,
    pub hits: Vec<Hit>,
}

#[derive(Default)]
struct Patterns {
    strings: Vec<String>,
    index: HashMap<String, usize>,
    hits: Vec<Vec<Hit>>,
}

impl Patterns {
    fn add(&mut self, pattern: String, hit: Hit) {
        let i = match self.index.get(&pattern) {
            Some(&i) => i,
            None => {
                let i = self.strings.len();
                self.index.insert(pattern.clone(), i);
                self.strings.push(pattern);
                self.hits.push(Vec::new());
                i
            }
        };
        if !self.hits[i].contains(&hit) {
            self.hits[i].push(hit);
        }
    }

    fn build(self) -> Result<Option<Automaton>, String> {
        if self.strings.is_empty() {
            return Ok(None);
        }
        // The search: a DFA is the fastest, but past a few thousand patterns its memory
        // (megabytes) stops paying for itself and the compact NFA takes over.
        let mut builder = AhoCorasick::builder();
        builder.match_kind(MatchKind::LeftmostLongest);
        if self.strings.len() <= 5_000 {
            builder.kind(Some(AhoCorasickKind::DFA));
        }
        let ac = builder
            .build(&self.strings)
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&self.strings)
            })
            .map_err(|e| format!("cannot build the term automaton: {e}"))?;
        // Anchored searches for shorter terms after a rejected match are rare: a small NFA.
        let anchored = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&self.strings)
            .map_err(|e| format!("cannot build the term automaton: {e}"))?;
        Ok(Some(Automaton {
            ac,
            anchored,
            hits: self.hits,
        }))
    }
}

/// Builds a [`TermSet`].
#[derive(Default)]
pub struct TermSetBuilder {
    folded: Patterns,
    exact: Patterns,
}

impl TermSetBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `term` for owner `id`, with its NFD and composite spellings. Returns `false`
    /// (and adds nothing) for a term that is empty or holds the mask character.
    pub fn add(&mut self, term: &str, case_sensitive: bool, whole_word: bool, id: u32) -> bool {
        if term.is_empty() || term.contains(MASK_CHAR) {
            return false;
        }
        let nfc: String = term.nfc().collect();
        let spellings = [
            (term.to_string(), Form::of(term)),
            (nfc.clone(), Form::Nfc),
            (Form::Nfd.apply(&nfc), Form::Nfd),
            (composite(&nfc), Form::Composite),
        ];
        let mut seen: Vec<&str> = Vec::with_capacity(4);
        for (s, form) in &spellings {
            if seen.contains(&s.as_str()) {
                continue;
            }
            seen.push(s);
            let hit = Hit {
                id,
                whole_word,
                form: *form,
            };
            if case_sensitive {
                self.exact.add(s.clone(), hit);
            } else {
                self.folded.add(fold(s), hit);
            }
        }
        true
    }

    pub fn build(self) -> Result<TermSet, String> {
        Ok(TermSet {
            folded: self.folded.build()?,
            exact: self.exact.build()?,
        })
    }
}

struct Automaton {
    ac: AhoCorasick,
    anchored: AhoCorasick,
    hits: Vec<Vec<Hit>>,
}

impl Automaton {
    /// The hits of pattern `p` matched at `range` that pass their boundaries and `accept`.
    fn accepted(&self, p: usize, range: Range<usize>, text: &str, accept: &dyn Fn(u32) -> bool, buf: &mut Vec<Hit>) {
        buf.clear();
        let Some(hits) = self.hits.get(p) else { return };
        if !text.is_char_boundary(range.start) || !text.is_char_boundary(range.end) {
            return;
        }
        let mut whole: Option<bool> = None;
        for h in hits {
            if h.whole_word && !*whole.get_or_insert_with(|| is_whole_word(text, range.clone())) {
                continue;
            }
            if accept(h.id) {
                buf.push(*h);
            }
        }
    }

    fn search(&self, hay: &[u8], text: &str, accept: &dyn Fn(u32) -> bool, out: &mut Vec<TermMatch>) {
        let mut buf = Vec::new();
        let mut pos = 0;
        while pos < hay.len() {
            let Ok(Some(m)) = self.ac.try_find(Input::new(hay).span(pos..hay.len())) else {
                break;
            };
            let start = m.start();
            self.accepted(m.pattern().as_usize(), m.range(), text, accept, &mut buf);
            let mut found = (!buf.is_empty()).then(|| m.range());
            // A rejected candidate may hide a shorter term at the same start.
            let mut end = m.end();
            while found.is_none() && end > start + 1 {
                let input = Input::new(hay).span(start..end - 1).anchored(Anchored::Yes);
                let Ok(Some(shorter)) = self.anchored.try_find(input) else {
                    break;
                };
                self.accepted(shorter.pattern().as_usize(), shorter.range(), text, accept, &mut buf);
                if !buf.is_empty() {
                    found = Some(shorter.range());
                }
                end = shorter.end();
            }
            match found {
                Some(range) => {
                    pos = range.end.max(start + 1);
                    out.push(TermMatch {
                        range,
                        hits: std::mem::take(&mut buf),
                    });
                }
                None => pos = next_char(text, start),
            }
        }
    }
}

/// The offset of the character after the one at `at`.
fn next_char(text: &str, at: usize) -> usize {
    let mut i = at + 1;
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Literal terms compiled for searching; see the module documentation.
pub struct TermSet {
    folded: Option<Automaton>,
    exact: Option<Automaton>,
}

impl TermSet {
    pub fn is_empty(&self) -> bool {
        self.folded.is_none() && self.exact.is_none()
    }

    /// Every match in `text`, leftmost-longest and non-overlapping, in order. A match
    /// carries the hits whose boundaries hold and that `accept` (given a hit's id) takes.
    pub fn find(&self, text: &str, accept: &dyn Fn(u32) -> bool) -> Vec<TermMatch> {
        let mut out = Vec::new();
        if let Some(a) = &self.folded {
            FOLD_BUFFER.with(|cell| match cell.try_borrow_mut() {
                Ok(mut buf) => {
                    fold_into(text, &mut buf);
                    a.search(&buf, text, accept, &mut out);
                }
                Err(_) => {
                    let mut buf = Vec::new();
                    fold_into(text, &mut buf);
                    a.search(&buf, text, accept, &mut out);
                }
            });
        }
        if let Some(a) = &self.exact {
            let before = out.len();
            a.search(text.as_bytes(), text, accept, &mut out);
            if before > 0 && out.len() > before {
                merge_leftmost_longest(&mut out);
            }
        }
        out
    }
}

/// Sorts matches and drops each that overlaps an earlier (or same-start, longer) one.
fn merge_leftmost_longest(matches: &mut Vec<TermMatch>) {
    matches.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(b.range.end.cmp(&a.range.end)));
    let mut end = 0;
    matches.retain(|m| {
        if m.range.start < end {
            return false;
        }
        end = m.range.end;
        true
    });
}

/// Regexes behind a [`RegexSet`] prefilter.
#[derive(Default)]
pub struct RegexTermsBuilder {
    sources: Vec<String>,
    regexes: Vec<Regex>,
    owners: Vec<(u32, bool)>,
}

impl RegexTermsBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `pattern` for owner `id`; the error is a sentence about the regex.
    pub fn add(&mut self, pattern: &str, case_insensitive: bool, whole_word: bool, id: u32) -> Result<(), String> {
        let regex = regex::RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .size_limit(1 << 22)
            .build()
            .map_err(|e| format!("invalid regex: {e}"))?;
        self.sources.push(if case_insensitive {
            format!("(?i){pattern}")
        } else {
            pattern.to_string()
        });
        self.regexes.push(regex);
        self.owners.push((id, whole_word));
        Ok(())
    }

    pub fn build(self) -> Result<RegexTerms, String> {
        let set = if self.sources.is_empty() {
            None
        } else {
            Some(
                regex::RegexSetBuilder::new(&self.sources)
                    .size_limit(1 << 26)
                    .build()
                    .map_err(|e| format!("cannot combine the regexes: {e}"))?,
            )
        };
        Ok(RegexTerms {
            set,
            regexes: self.regexes,
            owners: self.owners,
        })
    }
}

/// Compiled regex terms.
pub struct RegexTerms {
    set: Option<RegexSet>,
    regexes: Vec<Regex>,
    owners: Vec<(u32, bool)>,
}

impl RegexTerms {
    /// Calls `f(id, captures)` for every non-empty match of every regex whose owner
    /// `accept` takes, that holds no masked byte and, if asked, is a whole word.
    pub fn for_each(&self, text: &str, accept: &dyn Fn(u32) -> bool, mut f: impl FnMut(u32, &Captures<'_>)) {
        let Some(set) = &self.set else { return };
        for i in set.matches(text).iter() {
            let (id, whole_word) = self.owners[i];
            if !accept(id) {
                continue;
            }
            for caps in self.regexes[i].captures_iter(text) {
                let Some(m) = caps.get(0) else { continue };
                if m.is_empty() || m.as_str().contains(MASK_CHAR) || (whole_word && !is_whole_word(text, m.range())) {
                    continue;
                }
                f(id, &caps);
            }
        }
    }
}

/// Test support shared by the kinds that use this module.
#[cfg(test)]
pub(crate) mod test_support {
    use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

    /// Runs the `examples` of the first TOML block of a kind's documentation.
    pub fn doc_examples_pass(doc: &str) {
        let start = doc.find("```toml\n").expect("the doc has a TOML example") + "```toml\n".len();
        let end = start + doc[start..].find("```").expect("the TOML block is closed");
        let engine = crate::testing::engine(&doc[start..end]);
        let report = crate::pack::examples::run_examples(&engine, &|_| true);
        assert!(report.failures.is_empty(), "{:#?}", report.failures);
        assert!(report.passed > 0, "the doc example has no examples");
    }

    /// A fixed-seed proptest configuration that writes no files.
    pub fn proptest_config() -> Config {
        Config {
            cases: 128,
            rng_seed: RngSeed::Fixed(0x00c0_97de_5c00),
            failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
            ..Config::default()
        }
    }

    /// Pieces of text that exercise boundaries: Vietnamese in NFC, NFD and composite,
    /// emoji, the mask character, brackets, capitals.
    pub fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            prop::sample::select(vec![
                "sát nhập",
                "Sát nhập",
                "SÁT NHẬP",
                "sa\u{301}t nhâ\u{323}p",
                "kỹ",
                "kĩ",
                "TP.HCM",
                "TP HCM",
                "TPHCM",
                "Tp",
                "HĐND",
                "Hội đồng nhân dân",
                "Hội đồng nhân dân (HĐND)",
                "(",
                ")",
                "...",
                "…",
                "😀",
                " ",
                ". ",
                "\n",
                "\u{1A}",
                "đường",
                "ươ",
                "\u{300}",
            ])
            .prop_map(str::to_string),
            "\\PC{0,6}",
        ]
    }

    /// Checks that nothing panics and every range lies on character boundaries.
    pub fn assert_sane(engine: &crate::engine::Engine, text: &str) {
        for doc in [
            crate::document::Document::plain(text),
            crate::document::Document::markdown(text),
        ] {
            for d in engine.check(&doc) {
                assert!(d.range.start <= d.range.end && d.range.end <= text.len(), "{d:?}");
                assert!(
                    text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end),
                    "{d:?}"
                );
                for f in &d.fixes {
                    for e in &f.edits {
                        assert!(e.range.end <= text.len(), "{d:?}");
                        assert!(
                            text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end),
                            "{d:?}"
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(terms: &[(&str, bool, bool)]) -> TermSet {
        let mut b = TermSetBuilder::new();
        for (i, (t, cs, w)) in terms.iter().enumerate() {
            assert!(b.add(t, *cs, *w, i as u32));
        }
        b.build().unwrap()
    }

    fn found(s: &TermSet, text: &str) -> Vec<(String, u32)> {
        s.find(text, &|_| true)
            .into_iter()
            .map(|m| (text[m.range].to_string(), m.hits[0].id))
            .collect()
    }

    #[test]
    fn folding_keeps_length_and_folds_vietnamese_capitals() {
        let t = "ĐƯỜNG Hòa \u{130}stanbul \u{212A} 😀";
        let mut out = Vec::new();
        fold_into(t, &mut out);
        assert_eq!(out.len(), t.len());
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("đường hòa "), "{s}");
        // `İ` lower-cases to two characters and the Kelvin sign to one byte: both kept.
        assert!(s.contains("\u{130}stanbul") && s.contains('\u{212A}'), "{s}");
    }

    #[test]
    fn whole_words_only_with_diacritics_and_combining_marks() {
        let s = set(&[("sát nhập", false, true), ("an", false, true)]);
        assert_eq!(found(&s, "xsát nhập, đan, an"), [("an".to_string(), 1)]);
        assert_eq!(found(&s, "Sát nhập"), [("Sát nhập".to_string(), 0)]);
        // NFD text matches an NFC term, and a combining mark after a word extends it.
        let nfd = "sa\u{301}t nhâ\u{323}p";
        assert_eq!(found(&s, nfd), [(nfd.to_string(), 0)]);
        assert!(found(&s, "a\u{300}n").is_empty());
    }

    #[test]
    fn a_rejected_longest_match_does_not_hide_a_shorter_one() {
        let s = set(&[("sát", false, true), ("sát nhập", false, true)]);
        assert_eq!(found(&s, "sát nhậpx"), [("sát".to_string(), 0)]);
        assert_eq!(found(&s, "sát nhập"), [("sát nhập".to_string(), 1)]);
    }

    #[test]
    fn case_sensitive_and_insensitive_terms_merge() {
        let s = set(&[("TP", true, true), ("tp.hcm", false, true), ("…", false, false)]);
        assert_eq!(
            found(&s, "TP tp TP.HCM x…y"),
            [("TP".to_string(), 0), ("TP.HCM".to_string(), 1), ("…".to_string(), 2)]
        );
    }

    #[test]
    fn forms_are_detected_and_applied() {
        assert_eq!(Form::of("hòa"), Form::Nfc);
        assert_eq!(Form::of("ho\u{300}a"), Form::Nfd);
        assert_eq!(Form::of("ư\u{300}"), Form::Composite);
        assert_eq!(composite("người"), "ngươ\u{300}i");
        assert_eq!(Form::Nfd.apply("hòa"), "ho\u{300}a");
    }
}
