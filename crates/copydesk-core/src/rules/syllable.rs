#![doc = include_str!("syllable.md")]

pub mod lexicon;
pub mod slips;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::{render_template, BlockInput, BlockOutput, Checker, RuleError, RuleIdx, RuleInput, RuleKind, RuleMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::MASK_CHAR;
use crate::text::case::{case_shape, is_sentence_start, match_case, CaseShape};
use crate::text::vietnamese::{constraint, has_vietnamese_only_mark, syllable_key, validate, Violation};
use crate::text::words::words;
use lexicon::{bigrams, lexicon};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// What the rule looks for.
    #[serde(default)]
    pub check: Check,
    /// Words never judged, in any case: local names, brand names, dialect words.
    #[serde(default)]
    pub allow: Vec<String>,
    /// The message when there is no suggestion (`{found}`, `{reason}`); default: the
    /// rule's message.
    #[serde(default)]
    pub message_without_suggestion: Option<String>,
    /// `real-word`: a pair seen at most this many times in the corpus is suspicious.
    #[serde(default)]
    pub rare: u32,
    /// `real-word`: the variant's pair with the same neighbour must be seen at least this
    /// many times.
    #[serde(default = "default_frequent")]
    pub frequent: u32,
    /// `real-word`: stay silent when the syllable's pair with its other neighbour was
    /// seen more than this many times (the syllable fits there).
    #[serde(default = "default_other_side")]
    pub other_side_max: u32,
}

fn default_frequent() -> u32 {
    50
}
fn default_other_side() -> u32 {
    1
}

pub struct SyllableKind;

/// A sub-check of the `syllable` kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// Syllables that break the spelling rules or are not attested (default).
    #[default]
    Impossible,
    /// Two words glued together: `củaGoogle`, `Messivà`.
    MissingSpace,
    /// A valid syllable unlikely next to its neighbour while a one-slip variant is common.
    RealWord,
}

struct Compiled {
    idx: RuleIdx,
    meta: Arc<RuleMeta>,
    check: Check,
    allow: HashSet<String>,
    message_without_suggestion: Option<String>,
    rare: u32,
    frequent: u32,
    other_side_max: u32,
}

impl RuleKind for SyllableKind {
    const NAME: &'static str = "syllable";
    const DOC: &'static str = include_str!("syllable.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut compiled = Vec::new();
        let mut errors = Vec::new();
        for r in rules {
            let check = r.options.check;
            let mut allow = HashSet::new();
            for (i, w) in r.options.allow.iter().enumerate() {
                if w.trim().is_empty() || w.chars().any(char::is_whitespace) {
                    errors.push(RuleError::new(
                        r.idx,
                        Some(format!("allow[{i}]")),
                        format!("“{w}”: an allowed word is one word without spaces"),
                    ));
                    continue;
                }
                allow.insert(fold(w));
            }
            compiled.push(Compiled {
                idx: r.idx,
                meta: r.meta,
                check,
                allow,
                message_without_suggestion: r.options.message_without_suggestion,
                rare: r.options.rare,
                frequent: r.options.frequent,
                other_side_max: r.options.other_side_max,
            });
        }
        if errors.is_empty() {
            Ok(Box::new(SyllableChecker { rules: compiled }))
        } else {
            Err(errors)
        }
    }
}

/// Lower case, NFC.
fn fold(w: &str) -> String {
    w.nfc().flat_map(char::to_lowercase).collect()
}

struct SyllableChecker {
    rules: Vec<Compiled>,
}

impl Checker for SyllableChecker {
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        for r in &self.rules {
            if !block.is_active(r.idx) {
                continue;
            }
            match r.check {
                Check::Impossible => impossible_syllables(r, block.text, out),
                Check::MissingSpace => missing_spaces(r, block.text, out),
                Check::RealWord => real_words(r, block.text, out),
            }
        }
    }
}

/// Words longer than this (in bytes) are never judged: no Vietnamese syllable, even with
/// a typing slip or glued to a name, comes near it, and judging huge tokens would make
/// the kind superlinear.
const MAX_WORD_BYTES: usize = 64;

/// How far (in bytes) the chunk around a word is looked for on each side; a longer chunk
/// is not prose.
const MAX_CHUNK_SIDE: usize = 256;

/// The whitespace-delimited chunk around `range`, or `None` when it reaches further than
/// [`MAX_CHUNK_SIDE`] on a side (so that every word is looked at in bounded time).
fn chunk(text: &str, range: Range<usize>) -> Option<&str> {
    let before = &text[..range.start];
    let mut start = None;
    for (n, (i, c)) in before.char_indices().rev().enumerate() {
        if c.is_whitespace() || c == MASK_CHAR {
            start = Some(i + c.len_utf8());
            break;
        }
        if n >= MAX_CHUNK_SIDE {
            return None;
        }
    }
    let start = start.unwrap_or(0);
    let mut end = None;
    for (n, (i, c)) in text[range.end..].char_indices().enumerate() {
        if c.is_whitespace() || c == MASK_CHAR {
            end = Some(range.end + i);
            break;
        }
        if n >= MAX_CHUNK_SIDE {
            return None;
        }
    }
    Some(&text[start..end.unwrap_or(text.len())])
}

/// Whether the word sits in something that is not prose: a URL, an e-mail address, a
/// file name or handle, a code (`H5N1`), a name written with an apostrophe (`M'Drắk`).
fn in_code_like_chunk(text: &str, range: Range<usize>) -> bool {
    if range.len() > MAX_WORD_BYTES {
        return true;
    }
    let Some(c) = chunk(text, range.clone()) else {
        return true;
    };
    if c.contains([
        '@', '/', '\\', '_', '#', '=', '&', '~', '<', '>', '|', '+', '*', '^', '$', '%',
    ]) {
        return true;
    }
    let lower = c.to_ascii_lowercase();
    if lower.contains("www") || lower.contains("http") {
        return true;
    }
    let chars: Vec<char> = c.chars().collect();
    chars.windows(3).any(|w| {
        let inner_joiner = matches!(w[1], '.' | ':' | '\'' | '’' | ',');
        inner_joiner && w[0].is_alphanumeric() && w[2].is_alphanumeric()
    }) || (chars.contains(&'-') && range.start > 0 && case_shape(&text[range]) != CaseShape::Lower)
        // A hyphenated name (`Tae-hoon`): its lower-case parts are names too.
        || (chars.contains(&'-') && chars.iter().any(|c| c.is_uppercase()))
}

/// The suggestions for a word: attested syllables one slip away, most frequent first.
pub fn suggestions(word: &str, max: usize) -> Vec<String> {
    ranked(word, None, None).into_iter().take(max).map(|(s, _)| s).collect()
}

/// The attested syllables one slip away from `word`, each with how often it pairs with
/// the word's neighbours (keys); ranked by that, then by frequency. The case of `word`
/// is kept.
fn ranked(word: &str, left: Option<&str>, right: Option<&str>) -> Vec<(String, u32)> {
    let lex = lexicon();
    let bi = bigrams();
    let lower = fold(word);
    let own = syllable_key(&lower);
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (cand, _) in slips::one_slip(&lower) {
        if let Some(k) = syllable_key(&cand) {
            if Some(&k) != own.as_ref() && lex.count(&k) > 0 {
                seen.entry(k).or_insert(0);
            }
        }
    }
    let mut ranked: Vec<(String, u32, u32)> = seen
        .into_keys()
        .map(|k| {
            let ctx = left.map_or(0, |l| bi.count(l, &k)) + right.map_or(0, |r| bi.count(&k, r));
            let n = lex.count(&k);
            (k, ctx, n)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then_with(|| a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .map(|(k, ctx, _)| (match_case(word, &k), ctx))
        .collect()
}

/// The attested keys of the words next to word `i`, when separated by one space.
fn neighbours(text: &str, all: &[Range<usize>], i: usize) -> (Option<String>, Option<String>) {
    let key_of = |j: usize| syllable_key(&fold(&text[all[j].clone()])).filter(|k| lexicon().is_attested(k));
    let left = (i > 0 && &text[all[i - 1].end..all[i].start] == " ")
        .then(|| key_of(i - 1))
        .flatten();
    let right = (i + 1 < all.len() && &text[all[i].end..all[i + 1].start] == " ")
        .then(|| key_of(i + 1))
        .flatten();
    (left, right)
}

/// Two frequent attested syllables written without the space between them
/// (`đếnmột`): the split, when there is exactly one.
fn glued_split(word: &str) -> Option<String> {
    let lex = lexicon();
    let mut found = None;
    for (j, _) in word.char_indices().skip(1) {
        let (a, b) = word.split_at(j);
        let ok = |s: &str| s.chars().count() >= 2 && syllable_key(s).is_some_and(|k| lex.count(&k) >= GLUED_MIN);
        if ok(a) && ok(b) {
            if found.is_some() {
                return None;
            }
            found = Some(format!("{a} {b}"));
        }
    }
    found
}

/// How often each half of a glued pair must have been seen.
const GLUED_MIN: u32 = 50;

fn quote_list(items: &[String]) -> String {
    items.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join(", ")
}

/// Whether a word is evidently meant as Vietnamese, and so judged.
fn judged(word: &str) -> bool {
    match case_shape(word) {
        CaseShape::Lower => {
            has_vietnamese_only_mark(word)
                || !word.nfd().any(|c| {
                    matches!(c, 'f' | 'j' | 'w' | 'z') || !(c.is_ascii_lowercase() || is_vietnamese_mark(c) || c == 'đ')
                })
        }
        CaseShape::Capitalized | CaseShape::Upper => has_vietnamese_only_mark(word),
        CaseShape::Mixed => false,
    }
}

/// The five tone marks and three vowel shapes (NFD); `ů`, `ň`, `ç` carry others.
fn is_vietnamese_mark(c: char) -> bool {
    matches!(
        c,
        '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' | '\u{302}' | '\u{306}' | '\u{31B}'
    )
}

/// The first suggestion for a plain ASCII word (`tar`) that forms a common pair with a
/// Vietnamese neighbour (`kiểm tra`): English words in Vietnamese copy (`top`, `hot`,
/// `chat`) have no such pair, so they stay silent.
fn context_suggestion(text: &str, all: &[Range<usize>], i: usize, word: &str) -> Option<String> {
    let (left, right) = neighbours(text, all, i);
    if left.is_none() && right.is_none() {
        return None;
    }
    ranked(word, left.as_deref(), right.as_deref())
        .into_iter()
        .next()
        .filter(|(_, n)| *n >= CONTEXT_MIN)
        .map(|(s, _)| s)
}

/// How often a valid but unattested syllable's suggestion must pair with a neighbour.
const UNATTESTED_CONTEXT_MIN: u32 = 20;

/// How often a plain ASCII word's suggestion must pair with a neighbour.
const CONTEXT_MIN: u32 = 20;

fn impossible_syllables(r: &Compiled, text: &str, out: &mut BlockOutput) {
    let lex = lexicon();
    let all: Vec<Range<usize>> = words(text).collect();
    for (i, w) in all.iter().enumerate() {
        let w = w.clone();
        let word = &text[w.clone()];
        if in_code_like_chunk(text, w.clone()) || r.allow.contains(&fold(word)) {
            continue;
        }
        // A number glued to a word (`2lần`) is a unit or a code, or a missing space that
        // no syllable suggestion can mend.
        if !word.is_ascii() && word.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let shape = case_shape(word);
        // Lower case, or capitalized only because a sentence starts there.
        let ordinary =
            shape == CaseShape::Lower || (shape == CaseShape::Capitalized && is_sentence_start(text, w.start));
        if word.is_ascii() && ordinary {
            if validate(word).is_ok_and(|s| lex.is_attested(&s.key())) {
                continue;
            }
            // Keystrokes left in the text: `tieengs`, `to6i`.
            let decoded = if word.bytes().any(|b| b.is_ascii_digit()) {
                slips::vni(word)
            } else if slips::has_telex_marker(word) {
                slips::telex(word)
            } else {
                None
            };
            let decoded = decoded
                .filter(|d| syllable_key(d).is_some_and(|k| lex.count(&k) >= 5))
                // A capitalized word with one doubled vowel is a name (`Lee`, `Moore`).
                .filter(|d| shape == CaseShape::Lower || d.chars().count() + 1 < word.len())
                .map(|d| match_case(word, &d));
            let (expected, reason) = match decoded {
                Some(d) => (d, "typing keystrokes left in the text"),
                // A capitalized ASCII word is a name even at a sentence start (`Lee`).
                None if shape == CaseShape::Lower && word.bytes().all(|b| b.is_ascii_alphabetic()) => {
                    // `gh`/`ngh` before a back vowel (`ghanh`) is a Vietnamese slip, not English.
                    let front_only = (word.starts_with("gh") || word.starts_with("ngh"))
                        && validate(word).err() == Some(Violation::FrontOnlyInitial);
                    let s = if front_only {
                        let g = word.replacen("gh", "g", 1);
                        Some(g).filter(|g| syllable_key(g).is_some_and(|k| lex.is_attested(&k)))
                    } else {
                        context_suggestion(text, &all, i, word)
                    };
                    match s {
                        Some(s) => (s, "not a Vietnamese syllable"),
                        None => continue,
                    }
                }
                None => continue,
            };
            let message = r.meta.render(&[
                ("found", word),
                ("expected", &expected),
                ("suggestions", &quote_list(std::slice::from_ref(&expected))),
                ("reason", reason),
            ]);
            let fix = Fix::unsafe_(
                format!("Replace with “{expected}”"),
                vec![Edit::new(w.clone(), expected.clone())],
            );
            out.diagnostics
                .push(Diagnostic::new(r.idx, w.clone(), message).with_fix(fix));
            continue;
        }
        let judge = if ordinary {
            judged(&fold(word))
        } else {
            matches!(shape, CaseShape::Capitalized | CaseShape::Upper) && has_vietnamese_only_mark(word)
        };
        if !judge {
            continue;
        }
        let reason = match validate(word) {
            Ok(s) if lex.is_attested(&s.key()) => continue,
            // A valid but rare syllable in a name (`Ông Quềnh`) is the name's business.
            Ok(_) if !ordinary => continue,
            Ok(_) => "syllable not attested",
            Err(_) if shape != CaseShape::Lower && lex.is_name(&fold(word)) => continue,
            // Inside a sentence, capitals without a vowel or with a foreign cluster are
            // acronyms and names (`HĐND`, `Krông`).
            // Names of the minorities write `k` and `c` freely (`La Thị Kứu`, `Ka`).
            Err(
                Violation::NoVowel
                | Violation::BadInitial
                | Violation::ForeignLetter
                | Violation::FrontOnlyInitial
                | Violation::BackOnlyInitial,
            ) if !ordinary => continue,
            Err(v) => constraint(v).name,
        };
        let (left, right) = neighbours(text, &all, i);
        let candidates = ranked(word, left.as_deref(), right.as_deref());
        // A valid syllable that is merely rare (`kèo`, `nện`, `phễu`) stays silent unless
        // a slip away from it is a syllable that commonly pairs with its neighbour.
        if reason == "syllable not attested" && candidates.first().is_none_or(|(_, n)| *n < UNATTESTED_CONTEXT_MIN) {
            continue;
        }
        // Two words without the space between them (`đếnmột`) are split before any
        // one-letter edit is tried (`vịtỷ` is `vị tỷ`, not `vịt`).
        let split = (reason != "syllable not attested").then(|| glued_split(word)).flatten();
        let mut found: Vec<String> = split.iter().cloned().collect();
        if split.is_none() {
            found.extend(candidates.into_iter().take(3).map(|(s, _)| s));
        }
        let message = match (found.first(), &r.message_without_suggestion) {
            (None, Some(m)) => render_template(m, &[("found", word), ("reason", reason)]),
            _ => r.meta.render(&[
                ("found", word),
                ("expected", found.first().map_or("", String::as_str)),
                ("suggestions", &quote_list(&found)),
                ("reason", reason),
            ]),
        };
        let mut d = Diagnostic::new(r.idx, w.clone(), message);
        let safe = found.len() == 1 && slips::differs_only_in_diacritics(word, &found[0]);
        for s in &found {
            let title = format!("Replace with “{s}”");
            let edits = vec![Edit::new(w.clone(), s.clone())];
            d = d.with_fix(if safe {
                Fix::safe(title, edits)
            } else {
                Fix::unsafe_(title, edits)
            });
        }
        out.diagnostics.push(d);
    }
}

/// Frequent syllables (seen this often) can be the Vietnamese half of `Messivà`.
const GLUED_SUFFIX_MIN: u32 = 2000;

fn missing_spaces(r: &Compiled, text: &str, out: &mut BlockOutput) {
    let lex = lexicon();
    let attested_vi = |s: &str| !s.is_ascii() && syllable_key(s).is_some_and(|k| lex.is_attested(&k));
    for w in words(text) {
        let word = &text[w.clone()];
        if in_code_like_chunk(text, w.clone()) || r.allow.contains(&fold(word)) {
            continue;
        }
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let mut at = None;
        // `củaGoogle`, `ĐàNẵng`: a Vietnamese syllable, then a capital.
        for pair in chars.windows(2) {
            let ((_, a), (j, b)) = (pair[0], pair[1]);
            if a.is_lowercase() && b.is_uppercase() && attested_vi(&word[..j]) && word[j..].chars().count() >= 2 {
                at = Some(j);
                break;
            }
        }
        // `Messivà`: a capitalized Latin name, then a frequent Vietnamese syllable.
        if at.is_none() && case_shape(word) == CaseShape::Capitalized && validate(word).is_err() {
            for &(j, _) in chars.iter().skip(3) {
                let (head, tail) = word.split_at(j);
                if head.is_ascii()
                    && tail.chars().count() >= 2
                    && !tail.is_ascii()
                    && syllable_key(tail).is_some_and(|k| lex.count(&k) >= GLUED_SUFFIX_MIN)
                {
                    at = Some(j);
                    break;
                }
            }
        }
        let Some(j) = at else { continue };
        let (head, tail) = word.split_at(j);
        let expected = format!("{head} {tail}");
        let message = r.meta.render(&[("found", word), ("expected", &expected)]);
        let fix = Fix::unsafe_(
            format!("Insert a space: “{expected}”"),
            vec![Edit::insert(w.start + j, " ")],
        );
        out.diagnostics
            .push(Diagnostic::new(r.idx, w.clone(), message).with_fix(fix));
    }
}

thread_local! {
    /// Attested one-slip variants of a syllable key, with their counts.
    static VARIANTS: RefCell<HashMap<String, Rc<Vec<String>>>> = RefCell::new(HashMap::new());
}

fn variants(key: &str) -> Rc<Vec<String>> {
    if let Some(v) = VARIANTS.with(|m| m.borrow().get(key).cloned()) {
        return v;
    }
    let lex = lexicon();
    let mut set: Vec<String> = slips::one_slip(key)
        .into_iter()
        .filter_map(|(c, _)| syllable_key(&c))
        .filter(|k| k != key && lex.is_attested(k))
        .collect();
    set.sort();
    set.dedup();
    let v = Rc::new(set);
    VARIANTS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 20_000 {
            m.clear();
        }
        m.insert(key.to_string(), v.clone());
    });
    v
}

/// `real-word`: how strongly the variant must pair with the neighbour, as a Dice
/// coefficient (2 × pair count / the sum of the two syllables' counts).
const MIN_DICE: f64 = 0.1;

fn real_words(r: &Compiled, text: &str, out: &mut BlockOutput) {
    let lex = lexicon();
    let bi = bigrams();
    // (range, key) of each word that is an attested syllable written in lower case (or
    // capitalized at a sentence start).
    let toks: Vec<(Range<usize>, Option<String>)> = words(text)
        .map(|w| {
            let word = &text[w.clone()];
            let ok = match case_shape(word) {
                CaseShape::Lower => true,
                CaseShape::Capitalized => is_sentence_start(text, w.start),
                _ => false,
            };
            let key = (ok && !r.allow.contains(&fold(word)) && !in_code_like_chunk(text, w.clone()))
                .then(|| syllable_key(word))
                .flatten()
                .filter(|k| lex.is_attested(k));
            (w, key)
        })
        .collect();
    let adjacent = |i: usize| -> bool { &text[toks[i].0.end..toks[i + 1].0.start] == " " };
    for i in 0..toks.len() {
        let Some(s) = &toks[i].1 else { continue };
        let left = (i > 0 && adjacent(i - 1)).then(|| toks[i - 1].1.as_deref()).flatten();
        let right = (i + 1 < toks.len() && adjacent(i))
            .then(|| toks[i + 1].1.as_deref())
            .flatten();
        let left_count = left.map(|l| bi.count(l, s));
        let right_count = right.map(|n| bi.count(s, n));
        let mut best: Option<(String, u32, String)> = None;
        for (n, count, other, is_left) in [
            (left, left_count, right_count, true),
            (right, right_count, left_count, false),
        ] {
            let (Some(n), Some(count)) = (n, count) else { continue };
            if count > r.rare {
                continue;
            }
            for v in variants(s).iter() {
                // The other neighbour must not prefer the written syllable.
                if let (Some(o), Some(other_n)) = (other, if is_left { right } else { left }) {
                    let v_other = if is_left {
                        bi.count(v, other_n)
                    } else {
                        bi.count(other_n, v)
                    };
                    if o > r.other_side_max && o >= v_other {
                        continue;
                    }
                }
                let c = if is_left { bi.count(n, v) } else { bi.count(v, n) };
                // A strong pair, not one that is common only because `v` is (`là`, `của`).
                let strong = f64::from(c) * 2.0 >= MIN_DICE * f64::from(lex.count(n) + lex.count(v))
                    // A slip more often lands on the rarer syllable: `điện tích` unseen in
                    // the table is not `diện tích`.
                    && lex.count(v) >= lex.count(s);
                if c >= r.frequent && strong && best.as_ref().is_none_or(|b| c > b.1) {
                    let context = if is_left {
                        format!("{n} {v}")
                    } else {
                        format!("{v} {n}")
                    };
                    best = Some((v.clone(), c, context));
                }
            }
        }
        let Some((v, _, context)) = best else { continue };
        let w = toks[i].0.clone();
        let word = &text[w.clone()];
        let expected = match_case(word, &v);
        let message = r
            .meta
            .render(&[("found", word), ("expected", &expected), ("context", &context)]);
        let fix = Fix::unsafe_(
            format!("Replace with “{expected}”"),
            vec![Edit::new(w.clone(), expected.clone())],
        );
        out.diagnostics.push(Diagnostic::new(r.idx, w, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests;
