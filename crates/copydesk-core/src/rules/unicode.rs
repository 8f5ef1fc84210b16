#![doc = include_str!("unicode.md")]

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use unicode_normalization::{is_nfc, UnicodeNormalization};

use super::{
    render_template, BlockInput, BlockOutput, Checker, DocumentInput, Fact, Noted, RuleError, RuleIdx, RuleInput,
    RuleKind, RuleMeta,
};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::MASK_CHAR;
use crate::text::bytes::{self, HIGH, LOW7, ONES};
use crate::text::vietnamese::{self, is_shape_mark, is_tone_mark};
use crate::text::words::is_word_char;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Sub-checks. Default: all.
    #[serde(default)]
    pub checks: Option<Vec<Check>>,
    /// A message template per sub-check, in place of the rule's `message`.
    #[serde(default)]
    pub messages: BTreeMap<Check, String>,
}

/// A sub-check of the `unicode` kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// Text not in Unicode NFC (decomposed or composite letters).
    Nfc,
    /// A letter with the same mark twice.
    DoubleMark,
    /// Text in a legacy Vietnamese encoding (TCVN3, VNI) or garbled by one.
    Mojibake,
    /// Invisible characters (no-break spaces, soft hyphens, zero-width characters).
    Invisible,
}

impl Check {
    fn name(self) -> &'static str {
        match self {
            Check::Nfc => "nfc",
            Check::DoubleMark => "double-mark",
            Check::Mojibake => "mojibake",
            Check::Invisible => "invisible",
        }
    }
    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

pub struct Unicode;

struct Compiled {
    idx: RuleIdx,
    meta: Arc<RuleMeta>,
    checks: u8,
    messages: BTreeMap<Check, String>,
}

impl Compiled {
    fn has(&self, c: Check) -> bool {
        self.checks & c.bit() != 0
    }

    fn diagnostic(&self, f: &Finding) -> Diagnostic {
        let vars = [
            ("found", f.found.as_str()),
            ("expected", f.expected.as_str()),
            ("check", f.check.name()),
            ("problem", f.problem.as_str()),
        ];
        let message = match self.messages.get(&f.check) {
            Some(t) => render_template(t, &vars),
            None => self.meta.render(&vars),
        };
        let mut d = Diagnostic::new(self.idx, f.range.clone(), message);
        if let Some((title, edits, safe)) = &f.fix {
            d = d.with_fix(if *safe {
                Fix::safe(title.clone(), edits.clone())
            } else {
                Fix::unsafe_(title.clone(), edits.clone())
            });
        }
        d
    }
}

impl RuleKind for Unicode {
    const NAME: &'static str = "unicode";
    const DOC: &'static str = include_str!("unicode.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let compiled = rules
            .into_iter()
            .map(|r| Compiled {
                idx: r.idx,
                meta: r.meta,
                checks: match &r.options.checks {
                    None => 0b1111,
                    Some(list) => list.iter().fold(0, |bits, c| bits | c.bit()),
                },
                messages: r.options.messages,
            })
            .collect();
        Ok(Box::new(UnicodeChecker { rules: compiled }))
    }
}

struct UnicodeChecker {
    rules: Vec<Compiled>,
}

/// Something wrong, independent of the rule that reports it.
#[derive(Debug, Clone)]
struct Finding {
    check: Check,
    range: Range<usize>,
    found: String,
    expected: String,
    problem: String,
    /// Title, edits, safe.
    fix: Option<(String, Vec<Edit>, bool)>,
}

impl Checker for UnicodeChecker {
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        let text = block.text;
        if text.is_ascii() {
            return;
        }
        let want = self
            .rules
            .iter()
            .filter(|r| block.is_active(r.idx))
            .fold(0u8, |a, r| a | r.checks);
        // Most blocks hold nothing any sub-check reacts to: one pass over the bytes says so.
        let need = triage(text.as_bytes(), want);
        if need == 0 {
            return;
        }
        let mut findings = Vec::new();
        if need & WORDS != 0 {
            word_findings(text, &mut findings);
        }
        let mojibake = if need & Check::Mojibake.bit() != 0 {
            legacy::findings(text)
        } else {
            Vec::new()
        };
        let invisible = if need & Check::Invisible.bit() != 0 {
            invisible_findings(text)
        } else {
            Vec::new()
        };
        // Mojibake findings never overlap: in start order, the one that may hold a
        // position is found by binary search.
        let mut in_mojibake: Vec<Range<usize>> = mojibake.iter().map(|m| m.range.clone()).collect();
        in_mojibake.sort_by_key(|r| r.start);
        let inside_mojibake = |r: &Range<usize>| {
            let i = in_mojibake.partition_point(|m| m.start <= r.start);
            i > 0 && r.end <= in_mojibake[i - 1].end
        };
        for r in self.rules.iter().filter(|r| block.is_active(r.idx)) {
            for f in &findings {
                match f.check {
                    Check::DoubleMark if r.has(Check::DoubleMark) => out.diagnostics.push(r.diagnostic(f)),
                    // Without the double-mark check, a word with both problems is still not NFC.
                    Check::DoubleMark if r.has(Check::Nfc) => {
                        let word = &text[f.range.clone()];
                        if !is_nfc(word) {
                            out.diagnostics.push(r.diagnostic(&nfc_finding(f.range.clone(), word)));
                        }
                    }
                    Check::Nfc if r.has(Check::Nfc) => out.diagnostics.push(r.diagnostic(f)),
                    _ => {}
                }
            }
            if r.has(Check::Mojibake) {
                out.diagnostics.extend(mojibake.iter().map(|f| r.diagnostic(f)));
            }
            if r.has(Check::Invisible) {
                for f in &invisible {
                    // Inside legacy-encoded text a soft hyphen is the letter ư: the mojibake fix handles it.
                    if r.has(Check::Mojibake) && inside_mojibake(&f.range) {
                        continue;
                    }
                    if f.range.start == 0 && text.starts_with('\u{FEFF}') {
                        out.facts.push(Fact::new(r.idx, Noted::LeadingFeff, f.range.clone()));
                        continue;
                    }
                    out.diagnostics.push(r.diagnostic(f));
                }
            }
        }
    }

    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        for f in input.facts {
            if f.fact.what != Noted::LeadingFeff || f.range.start == 0 {
                continue;
            }
            if let Some(r) = self.rules.iter().find(|r| r.idx == f.fact.rule) {
                out.push(r.diagnostic(&invisible_finding(f.range.clone(), '\u{FEFF}')));
            }
        }
    }
}

fn nfc_finding(range: Range<usize>, word: &str) -> Finding {
    let expected: String = word.nfc().collect();
    Finding {
        check: Check::Nfc,
        range: range.clone(),
        found: word.to_string(),
        problem: "Word not in Unicode NFC".to_string(),
        fix: Some((
            "Normalize to NFC".to_string(),
            vec![Edit::new(range, expected.clone())],
            true,
        )),
        expected,
    }
}

/// The sub-checks that read words: both look at the same suspicious words.
const WORDS: u8 = 0b0011;

/// Which of the `want`ed sub-checks can find anything in `text`, from one pass over its
/// bytes: the word checks need a [suspicious](is_suspicious) character, the mojibake check
/// a [marker](legacy::is_marker), the invisible check one of the characters it reports
/// (a no-break space, a soft hyphen, a zero-width character). Each sub-check returns
/// nothing on a block without them, so skipping it changes no output.
fn triage(bytes: &[u8], want: u8) -> u8 {
    let want = (if want & WORDS != 0 { WORDS } else { 0 }) | (want & (MOJIBAKE | INVISIBLE));
    let mut need = 0u8;
    // Eight bytes at a time (and the byte after them): of the lead bytes of multi-byte
    // characters, those of U+0100..U+02FF and of U+1E00..U+1EFF (most Vietnamese letters)
    // are told apart together, without looking at each; the others one by one. (Byte by
    // byte, the kind took +100-140 % on Dân trí: issue 13, dup15.)
    let mut base = 0;
    while let (Some(w), Some(next)) = (bytes::load(bytes, base), bytes::load(bytes, base + 1)) {
        let mut leads = bytes::lead_mask(w);
        if leads != 0 {
            // C4..CB: U+0100..U+02FF.
            let low = w & LOW7;
            let c4_cb = (low + ONES * 0x3C) & !(low + ONES * 0x34) & HIGH;
            // E1 B8..BB: U+1E00..U+1EFF.
            let e1_b8 = bytes::bytes_equal(w, 0xE1) & bytes::bytes_equal(next & (ONES * 0xFC), 0xB8);
            leads &= !(c4_cb | e1_b8);
        }
        while leads != 0 {
            let found = triage_lead(bytes, base + bytes::first_flagged(leads));
            leads &= leads - 1;
            if found != 0 {
                need |= found;
                if need & want == want {
                    return want;
                }
            }
        }
        base += 8;
    }
    for i in base..bytes.len() {
        if bytes[i] >= 0xC0 {
            need |= triage_lead(bytes, i);
        }
    }
    need & want
}

const MOJIBAKE: u8 = 1 << 2;
const INVISIBLE: u8 = 1 << 3;

/// What the character whose lead byte is at `i` may be reported by (see [`triage`]).
#[inline(always)]
fn triage_lead(bytes: &[u8], i: usize) -> u8 {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    // Only lead bytes of non-ASCII characters matter, and the frequent ones (Vietnamese
    // letters, quotes, dashes) are told apart by their bytes, the most frequent first;
    // anything rarer is decoded and looked up.
    let b = bytes[i];
    if b == 0xE1 && at(1) & 0xFC == 0xB8 {
        // Latin Extended Additional (U+1E00..U+1EFF): the vowels with a tone.
        return 0;
    }
    if (0xC3..=0xCB).contains(&b) {
        // U+00C0..U+00FF: markers, or Vietnamese letters; U+0100..U+02FF (ă, đ, ĩ, ũ, ơ, ư).
        return if b == 0xC3 && legacy::is_marker_code(0xC0 | u32::from(at(1) & 0x3F)) {
            MOJIBAKE
        } else {
            0
        };
    }
    match b {
        // U+0080..U+00BF: U+00A0 no-break space, U+00AD soft hyphen (also a marker),
        // U+00A1..U+00BF markers.
        0xC2 => match at(1) {
            0xA0 => INVISIBLE,
            0xAD => INVISIBLE | MOJIBAKE,
            0xA1..=0xBF => MOJIBAKE,
            _ => 0,
        },
        // General punctuation: the zero-width characters and the word joiner.
        // …and the narrow no-break space (U+202F).
        0xE2 if at(1) == 0x80 && matches!(at(2), 0x8B..=0x8D | 0xAF) => INVISIBLE,
        0xE2 if at(1) == 0x81 && at(2) == 0xA0 => INVISIBLE,
        0xE2 if (at(1) == 0x80 && at(2) >= 0x82) || (at(1) == 0x81 && at(2) <= 0xAF) => 0,
        0xEF if at(1) == 0xBB && at(2) == 0xBF => INVISIBLE,
        _ => {
            let (c, _) = bytes::decode(bytes, i);
            if char::from_u32(c).is_some_and(is_suspicious) {
                WORDS
            } else {
                0
            }
        }
    }
}

/// Whether a word holding `c` may be reported by the NFC or double-mark checks: `c` is a
/// combining mark, has a non-zero combining class, or is not plainly allowed in NFC. A word
/// without such a character has no combining mark (no doubled mark) and passes the NFC
/// quick check (it is NFC).
#[inline]
fn is_suspicious(c: char) -> bool {
    match c {
        // Latin-1, Latin Extended-A/B, IPA, spacing modifiers; Latin Extended Additional
        // (every precomposed Vietnamese vowel); general punctuation but U+2000/U+2001, whose
        // NFC is U+2002/U+2003. A test checks these ranges against the tables.
        '\0'..='\u{2FF}' | '\u{1E00}'..='\u{1EFF}' | '\u{2002}'..='\u{206F}' => false,
        _ => {
            unicode_normalization::char::is_combining_mark(c)
                || unicode_normalization::char::canonical_combining_class(c) != 0
                || unicode_normalization::is_nfc_quick(std::iter::once(c)) != unicode_normalization::IsNormalized::Yes
        }
    }
}

/// The byte offset of the first [suspicious](is_suspicious) character at or after `from`.
fn next_suspicious(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    bytes::lead_bytes(bytes, from).find(|&i| {
        let b = bytes[i];
        // U+0080..U+02FF, Latin Extended Additional.
        if b < 0xCC || (b == 0xE1 && at(i + 1) & 0xFC == 0xB8) {
            return false;
        }
        let (c, _) = bytes::decode(bytes, i);
        char::from_u32(c).is_some_and(is_suspicious)
    })
}

/// NFC and doubled tone marks, one finding per word. Only words with a
/// [suspicious](is_suspicious) character can have either problem, so only those are read:
/// the word around each such character, found as [`words`] finds it (a maximal run of
/// word characters).
fn word_findings(text: &str, out: &mut Vec<Finding>) {
    let mut from = 0;
    while let Some(at) = next_suspicious(text, from) {
        let c = text[at..].chars().next().unwrap_or(' ');
        if !is_word_char(c) {
            from = at + c.len_utf8();
            continue;
        }
        let start = at - crate::text::words::trailing_word(&text[..at]).len();
        let end = text[at..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(text.len(), |(i, _)| at + i);
        from = end;
        let range = start..end;
        let word = &text[range.clone()];
        // A doubled mark needs a combining mark: precomposed letters carry one tone each.
        let has_mark = word.chars().any(unicode_normalization::char::is_combining_mark);
        if let Some((fixed, safe)) = remove_doubled_marks(word).filter(|_| has_mark) {
            out.push(Finding {
                check: Check::DoubleMark,
                range: range.clone(),
                found: word.to_string(),
                problem: "Doubled tone mark".to_string(),
                fix: Some((
                    format!("Replace with “{fixed}”"),
                    vec![Edit::new(range, fixed.clone())],
                    safe,
                )),
                expected: fixed,
            });
        } else if !is_nfc(word) {
            out.push(nfc_finding(range, word));
        }
    }
}

/// When a letter of `word` carries two tone marks (or one shape mark twice), the word
/// without the extra marks, in NFC, and whether that is certain: a repeated identical
/// mark is; two different tones are not (the last is kept).
fn remove_doubled_marks(word: &str) -> Option<(String, bool)> {
    let mut out = String::with_capacity(word.len());
    let mut doubled = false;
    let mut safe = true;
    let mut latin_base = false;
    // The letter's tone and where it stands in `out`.
    let mut tone: Option<(char, usize)> = None;
    let mut shapes: Vec<char> = Vec::new();
    for c in word.nfd() {
        let is_tone = is_tone_mark(c);
        if latin_base && is_tone {
            let c = canonical_tone(c);
            match tone {
                None => tone = Some((c, out.len())),
                Some((t, at)) => {
                    doubled = true;
                    if t != c {
                        // Two different tones: the later one was typed to replace the
                        // first (`diể̃n`, `miể̃n`: real news, round 22, where keeping the
                        // first wrote `diển`).
                        safe = false;
                        out.replace_range(at..at + t.len_utf8(), c.encode_utf8(&mut [0; 4]));
                        tone = Some((c, at));
                    }
                    continue;
                }
            }
        } else if latin_base && is_shape_mark(c) {
            if shapes.contains(&c) {
                doubled = true;
                continue;
            }
            shapes.push(c);
        } else if !unicode_normalization::char::is_combining_mark(c) {
            latin_base = c.is_ascii_alphabetic();
            tone = None;
            shapes.clear();
        }
        out.push(c);
    }
    doubled.then(|| (out.nfc().collect(), safe))
}

fn canonical_tone(c: char) -> char {
    match c {
        '\u{340}' => '\u{300}',
        '\u{341}' => '\u{301}',
        c => c,
    }
}

fn invisible_finding(range: Range<usize>, c: char) -> Finding {
    let name = match c {
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "zero-width no-break space",
        '\u{00AD}' => "soft hyphen",
        _ => "invisible character",
    };
    let code = format!("U+{:04X}", c as u32);
    Finding {
        check: Check::Invisible,
        range: range.clone(),
        found: code.clone(),
        expected: String::new(),
        problem: format!("Invisible character {code} ({name})"),
        fix: Some((format!("Remove the {name}"), vec![Edit::delete(range)], true)),
    }
}

/// Scripts whose words may need ZWJ/ZWNJ are left alone: the joiners are only reported
/// between characters of Latin text, spaces and punctuation.
fn latinish(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_ascii()
                || ('\u{A0}'..='\u{24F}').contains(&c)
                || ('\u{1E00}'..='\u{1EFF}').contains(&c)
                || ('\u{300}'..='\u{36F}').contains(&c)
                || ('\u{2000}'..='\u{206F}').contains(&c)
        }
    }
}

fn is_horizontal_space(c: char) -> bool {
    c.is_whitespace()
        && !matches!(
            c,
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
}

fn invisible_findings(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(i + 1).map(|n| n.1);
        match c {
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
                out.push(invisible_finding(at..at + c.len_utf8(), c));
            }
            '\u{200C}' | '\u{200D}' if latinish(prev) && latinish(next) => {
                out.push(invisible_finding(at..at + c.len_utf8(), c));
            }
            c if is_horizontal_space(c) => {
                // A run of horizontal white space that holds a no-break space.
                let mut j = i;
                while j < chars.len() && is_horizontal_space(chars[j].1) {
                    j += 1;
                }
                let end = chars.get(j).map_or(text.len(), |n| n.0);
                let run = &text[at..end];
                let next = chars.get(j).map(|n| n.1);
                i = j;
                if !run.contains(is_no_break) {
                    continue;
                }
                if let Some(f) = nbsp_finding(at..end, run, prev, next) {
                    out.push(f);
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The no-break spaces: U+00A0 and the narrow U+202F.
fn is_no_break(c: char) -> bool {
    c == '\u{A0}' || c == '\u{202F}'
}

fn nbsp_finding(range: Range<usize>, run: &str, prev: Option<char>, next: Option<char>) -> Option<Finding> {
    let only_nbsp = run.chars().all(is_no_break);
    // A masked span (a link, an e-mail address, markup) is text, not a line's edge: beside it
    // the no-break space becomes a space (`địa chỉ Khoahoc@…` lost its space: judged HARMFUL on
    // real news, round 83).
    let edge = |c: Option<char>| c.is_none_or(|c| c == '\n');
    let at_edge = edge(prev) || edge(next);
    // One no-break space that ties a number to its unit (`10 km`, `5 %`) is typography.
    if !at_edge
        && run.chars().count() == 1
        && (prev.is_some_and(|c| c.is_ascii_digit()) || next.is_some_and(|c| c == '%'))
    {
        return None;
    }
    // Leading or trailing: drop the no-break spaces; inside: the whole run becomes one space.
    let replacement = if at_edge {
        run.replace(is_no_break, "")
    } else {
        " ".to_string()
    };
    // The diagnostic covers the no-break spaces; the edit, the whole run of spacing.
    let first = run.find(is_no_break)?;
    let last_at = run.rfind(is_no_break)?;
    let last = last_at + run[last_at..].chars().next().map_or(1, char::len_utf8);
    let code = format!("U+{:04X}", run[first..].chars().next().map_or(0xA0, u32::from));
    let title = if replacement == " " {
        "Replace with a normal space"
    } else {
        "Remove the no-break space"
    };
    Some(Finding {
        check: Check::Invisible,
        range: range.start + first..range.start + last,
        found: code,
        expected: replacement.clone(),
        problem: if only_nbsp && run.chars().count() == 1 {
            "Stray no-break space".to_string()
        } else {
            "Stray no-break space beside other spacing".to_string()
        },
        fix: Some((title.to_string(), vec![Edit::new(range, replacement)], true)),
    })
}

/// Text typed in the TCVN3 (ABC) or VNI encodings and pasted as Windows-1252/Latin-1.
mod legacy;

#[cfg(test)]
mod tests {
    use crate::testing::{check, engine, fix};
    use unicode_normalization::UnicodeNormalization;

    fn rules(checks: &str) -> String {
        format!("[[rule]]\nid = \"unicode\"\nkind = \"unicode\"\nmessage = \"{{problem}}: “{{found}}”\"\n{checks}\n")
    }

    #[test]
    fn nfd_words_are_reported_one_by_one_and_composed() {
        let e = engine(&rules(""));
        let text: String = "😀 Hòa bình và".nfd().collect();
        let found = check(&e, &text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].fix.as_deref(), Some("Hòa"));
        assert_eq!(found[2].fix.as_deref(), Some("và"));
        assert_eq!(found[0].message, format!("Word not in Unicode NFC: “{}”", "Ho\u{300}a"));
        assert_eq!(fix(&e, &text), "😀 Hòa bình và");
        // Windows "Unicode tổ hợp": precomposed shaped vowel + combining tone.
        assert_eq!(fix(&e, "tiê\u{300}n đô\u{323}i"), "tiền đội");
        assert!(check(&e, "Tiền đội, Hòa bình.").is_empty());
    }

    #[test]
    fn doubled_tone_marks() {
        let e = engine(&rules(""));
        let found = check(&e, "Tiề\u{300}n và đôị\u{323} bóng");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].fix.as_deref(), Some("Tiền"));
        // Only the extra mark goes; where the remaining one sits is another matter.
        assert_eq!(found[1].fix.as_deref(), Some("đôị"));
        assert!(found[0].message.starts_with("Doubled tone mark"));
        assert_eq!(fix(&e, "Tiề\u{300}n và đô\u{323}\u{323}i"), "Tiền và đội");
        // Two different tones: which one was meant is a guess, the later typed one.
        let two = "ta\u{301}\u{300}";
        let found = check(&e, two);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].fix.as_deref(), Some("tà"));
        // Real news (round 22): a tilde typed after the hook of `ể`.
        assert_eq!(check(&e, "đạo diể\u{303}n")[0].fix.as_deref(), Some("diễn"));
        assert_eq!(fix(&e, two), two);
        // NFD with a doubled mark, double-mark off: still reported as not NFC.
        let e = engine(&rules("checks = [\"nfc\"]"));
        let nfd: String = "tiề".nfd().chain(['\u{300}']).collect();
        assert_eq!(check(&e, &nfd).len(), 1);
    }

    #[test]
    fn tcvn3_and_vni_mojibake() {
        let e = engine(&rules("checks = [\"mojibake\"]"));
        let text = "Bài viết: Xin chµo, ®©y lµ b¶n tin.";
        let found = check(&e, text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].found, "chµo, ®©y lµ b¶n");
        assert_eq!(found[0].fix.as_deref(), Some("chào, đây là bản"));
        assert_eq!(fix(&e, text), "Bài viết: Xin chào, đây là bản tin.");
        assert!(found[0].message.contains("TCVN3"));

        // The soft hyphen is ư in TCVN3: converted, not reported as invisible.
        let e_all = engine(&rules(""));
        let tcvn = "Thñ t\u{AD}íng ChÝnh phñ";
        assert_eq!(check(&e_all, tcvn).len(), 1);
        assert_eq!(fix(&e_all, tcvn), "Thủ tướng Chính phủ");

        let vni = "😀 Xin chaøo caùc baïn, ñaây laø Vieät Nam";
        assert_eq!(fix(&e, vni), "😀 Xin chào các bạn, đây là Việt Nam");
        assert!(check(&e, vni)[0].message.contains("VNI"));
    }

    #[test]
    fn mojibake_is_conservative() {
        let e = engine(&rules("checks = [\"mojibake\"]"));
        for t in [
            "Giá 5 µg, nhiệt độ 25 ®C",
            "Noël à Paris, un café où il fait chaud, c'est français",
            "Où est-il ? Où ?",
            "Søren Kierkegaard và Müller",
            "Ông nói: được",
            "señor, año, niño",
            "Hà Nội, Đà Nẵng",
            "chµo",
            // A multiplication sign between digits is ì in TCVN3, but never a word there
            // (baomoi_21471392's price table: the fix wrote `4ì4` into model names).
            "BT-50 MT 4×4 2.2L 674  BT-50 AT 4×2 2.2L 699  BT-50 AT 4×4 3.2L 819",
            "phòng 3×4 m, 2×2 m và 4×6 m",
            "kích thước 1.200 × 670 mm × 450 mm",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
    }

    #[test]
    fn invisible_characters() {
        let e = engine(&rules("checks = [\"invisible\"]"));
        let text = "Hà\u{200B}Nội và\u{A0} TP.HCM, ngày\u{A0}mai, 10\u{A0}km, 5\u{A0}%\u{FEFF}.";
        let found = check(&e, text);
        let got: Vec<_> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "Invisible character U+200B (zero-width space): “U+200B”",
                "Stray no-break space beside other spacing: “U+00A0”",
                "Stray no-break space: “U+00A0”",
                "Invisible character U+FEFF (zero-width no-break space): “U+FEFF”",
            ]
        );
        assert_eq!(fix(&e, text), "HàNội và TP.HCM, ngày mai, 10\u{A0}km, 5\u{A0}%.");
        // Before an e-mail address or a link (masked spans), it becomes a space (round 83).
        assert_eq!(
            fix(
                &e,
                "gửi về địa chỉ\u{A0}Khoahoc@vnexpress.net hoặc\u{A0}https://vnexpress.net."
            ),
            "gửi về địa chỉ Khoahoc@vnexpress.net hoặc https://vnexpress.net."
        );
        // Joiners inside emoji sequences and non-Latin scripts are left alone.
        assert!(check(&e, "👨\u{200D}👩\u{200D}👧 và می\u{200C}خواهم").is_empty());
        assert_eq!(check(&e, "a\u{200D}b").len(), 1);
        // A byte-order mark at the start of the document is not reported; later ones are.
        assert!(check(&e, "\u{FEFF}Tin").is_empty());
        assert_eq!(check(&e, "Tin\n\n\u{FEFF}Bài").len(), 1);
    }

    #[test]
    fn narrow_no_break_spaces_are_invisible_characters_too() {
        let e = engine(&rules("checks = [\"invisible\"]"));
        let found = check(&e, "ngày\u{202F}mai, 10\u{202F}km");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].message, "Stray no-break space: “U+202F”");
        assert_eq!(fix(&e, "ngày\u{202F}mai và \u{202F}nay"), "ngày mai và nay");
    }

    #[test]
    fn one_finding_per_invisible_character_and_per_repeat() {
        // Every sub-check of the three kinds that used to share these problems is on:
        // each problem is reported once, by its one owner.
        let e = engine(
            "[[rule]]\nid = \"u\"\nkind = \"unicode\"\nmessage = \"{problem}\"\n\
             [[rule]]\nid = \"t\"\nkind = \"typography\"\nmessage = \"{problem}\"\n\
             [[rule]]\nid = \"s\"\nkind = \"sentence\"\nmessage = \"{problem}\"\n",
        );
        let text = "Tổ tổ chức họp ở Hà\u{A0}Nội\u{200B} và Huế\u{202F}nay.";
        let found = check(&e, text);
        let got: Vec<(&str, &str)> = found.iter().map(|f| (f.rule.as_str(), f.found.as_str())).collect();
        assert_eq!(
            got,
            [("t", "Tổ tổ"), ("u", "\u{A0}"), ("u", "\u{200B}"), ("u", "\u{202F}")],
            "{found:?}"
        );
    }

    #[test]
    fn checks_and_messages_are_validated() {
        for (bad, at) in [
            ("checks = [\"nfd\"]", "t.toml:5:11"),
            // At the key, not at `messages`.
            ("messages = { nfc = \"ok\", nope = \"x\" }", "t.toml:5:26"),
        ] {
            let file = rules(bad);
            let err =
                crate::pack::load_files("t", "t", vec![crate::pack::SourceFile::new("t.toml", &file)]).unwrap_err();
            let shown = err.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
            assert!(
                shown.starts_with(at) && shown.contains("unknown variant"),
                "{bad}: {shown}"
            );
        }
        let e = engine(&rules("messages = { nfc = \"Chưa chuẩn hóa: {found} → {expected}\" }"));
        let found = check(&e, "Ho\u{300}a");
        assert_eq!(found[0].message, "Chưa chuẩn hóa: Ho\u{300}a → Hòa");
    }

    #[test]
    fn fast_character_classes_agree_with_the_tables() {
        use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let slow = is_combining_mark(c)
                || canonical_combining_class(c) != 0
                || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes;
            assert_eq!(super::is_suspicious(c), slow, "U+{:04X}", c as u32);
            let marker = ('\u{A1}'..='\u{FF}').contains(&c) && !"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý".contains(c);
            assert_eq!(super::legacy::is_marker_code(c as u32), marker, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn triage_finds_every_trigger() {
        let all = 0b1111;
        for (text, need) in [
            ("Hòa bình “đẹp” – 😀 ½", 0b0100),
            ("Ho\u{300}a", 0b0011),
            ("\u{2126}", 0b0011),
            ("chµo", 0b0100),
            ("a\u{A0}b", 0b1000),
            ("a\u{AD}b", 0b1100),
            ("a\u{200D}b \u{2060} \u{FEFF}", 0b1000),
            ("tiê\u{300}n chµo\u{200B}", 0b1111),
        ] {
            assert_eq!(super::triage(text.as_bytes(), all), need, "{text:?}");
        }
        assert_eq!(super::triage("Ho\u{300}a chµo".as_bytes(), 0b1000), 0);
    }

    #[test]
    fn triage_agrees_with_one_lead_at_a_time() {
        let pieces = [
            "Hòa", "người", "Việt", "ĐỒNG", "ḍ", "ờ", "ả", "\u{1E9E}", "\u{1F00}", "\u{1DC0}", "chµo", "à", "ä", "Ä",
            "\u{A0}", "\u{AD}", "\u{200B}", "\u{2060}", "–", "“", "\u{FEFF}", "\u{300}", "😀", "ǅ", "ɐ", "ʰ", "a", " ",
            "\u{7FF}",
        ];
        let mut state = 7u64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(state % 24) {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            let bytes = text.as_bytes();
            let slow = (0..bytes.len())
                .filter(|&i| bytes[i] >= 0xC0)
                .fold(0, |need, i| need | super::triage_lead(bytes, i));
            for want in 0..16u8 {
                let expected = slow & ((if want & super::WORDS != 0 { super::WORDS } else { 0 }) | (want & 0b1100));
                assert_eq!(super::triage(bytes, want), expected, "{text:?} {want}");
            }
        }
    }

    #[test]
    fn doc_example_holds() {
        crate::rules::matcher::test_support::doc_examples_pass(<super::Unicode as crate::rules::RuleKind>::DOC);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn text() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "chµo",
                "®©y",
                "lµ",
                "chaøo",
                "caùc",
                "ñaây",
                "Hòa",
                "Ho\u{300}a",
                "tiề\u{300}n",
                "\u{300}",
                "\u{A0}",
                "\u{200B}",
                "\u{200D}",
                "\u{FEFF}",
                "\u{AD}",
                " ",
                "\n",
                "😀",
                "\u{1A}",
                "à",
                "ø",
            ]);
            prop_oneof![
                prop::collection::vec(pieces, 0..14).prop_map(|v| v.concat()),
                "\\PC{0,32}",
                "[\u{A0}-\u{FF} a-z\u{300}-\u{323}]{0,24}",
            ]
        }

        proptest! {
            #![proptest_config(crate::rules::matcher::test_support::proptest_config())]

            #[test]
            fn no_panics_and_char_boundaries(t in text()) {
                let e = engine(&rules(""));
                let diags = e.check(&crate::document::Document::plain_body(t.as_str()));
                for d in &diags {
                    prop_assert!(t.is_char_boundary(d.range.start) && t.is_char_boundary(d.range.end));
                    for f in &d.fixes {
                        for ed in &f.edits {
                            prop_assert!(t.is_char_boundary(ed.range.start) && t.is_char_boundary(ed.range.end));
                        }
                    }
                }
                let _ = fix(&e, &t);
            }
        }
    }
}
