#![doc = include_str!("substitution.md")]

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use super::choice::Mode;
use super::matcher::{Form, RegexTerms, TermEntry, TermListBuilder, TermSet};
use super::{
    render_template, BlockInput, BlockOutput, Checker, DocumentInput, Fact, Noted, RuleError, RuleIdx, RuleInput,
    RuleKind, RuleMeta,
};
use crate::diagnostic::{Diagnostic, Fix};
use crate::text::case::match_case;

/// One `wrong → right` entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Term {
    /// Literal wrong form(s), matched as whole words.
    #[serde(default)]
    pub wrong: OneOrMany,
    /// A regex instead of literals; `right` may use `$1`, `${name}`.
    #[serde(default)]
    pub pattern: Option<String>,
    /// The replacement(s); several give several fixes.
    #[serde(default)]
    pub right: OneOrMany,
    /// `false`: warn only, offer no automatic fix (context-dependent words).
    #[serde(default = "yes")]
    pub fix: bool,
    /// `false`: the fix is offered but never applied by `--fix` (it needs `--unsafe-fixes`),
    /// for an entry that is usually right but can meet a name it must not change.
    #[serde(default = "yes")]
    pub safe: bool,
    /// Overrides the rule's message for this entry.
    #[serde(default)]
    pub message: Option<String>,
    /// Match case exactly (default: any case, the fix keeps the found case shape).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Match whole words only (default). `false` lets the term match inside words.
    #[serde(default = "yes")]
    pub word: bool,
    /// Words that, written right after the finding (after white space), make it no
    /// finding: names that contain the term (`Thành phố` + `Mexico` is Mexico City).
    #[serde(default)]
    pub unless_followed_by: Vec<String>,
    /// Words that, written right before the finding (before white space), make it no
    /// finding: names the term continues (`Trường Tiểu học` + `Thị trấn Vũ Thư`, a school).
    /// Matched as written, as whole words.
    #[serde(default)]
    pub unless_preceded_by: Vec<String>,
    /// The fix is safe only when at least this many capitalized words follow the finding:
    /// a unit word before a one-word name may be a person's title (`nhà cổ Xã Tề`, the old
    /// house of a village official), before a longer one it names a place. 0: no condition.
    #[serde(default)]
    pub safe_name_words: usize,
    /// A regex for text already in the right form (a group named `span` narrows it), which
    /// the rule's `mode = "consistency"` counts: `'\p{Ll}+ (?<span>quận) \p{Lu}'`.
    #[serde(default)]
    pub right_pattern: Option<String>,
    /// With the rule's `mode = "consistency"`: this entry is no house choice (no house
    /// writes it so: `Khoản 2` capitalized mid-sentence) and is reported in every document,
    /// without a `right-pattern`; it is not counted in the document's choice.
    #[serde(default)]
    pub always: bool,
}

fn yes() -> bool {
    true
}

/// A string or a list of strings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            OneOrMany::None => true,
            OneOrMany::One(_) => false,
            OneOrMany::Many(v) => v.is_empty(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// The `wrong → right` entries.
    pub terms: Vec<Term>,
    /// Two-syllable words (`"tựu chung"`) that no multi-syllable term may cut, added to
    /// the built-in list; they hold for every rule of this kind.
    #[serde(default)]
    pub compounds: Vec<String>,
    /// `prefer` (default): report every wrong form. `consistency`: a house choice (`Quận Ba
    /// Đình` or `quận Ba Đình`), reported only in a document that also writes the right form
    /// (each term's `right-pattern`) at least as often. `off`: silent.
    #[serde(default = "enforce")]
    pub mode: Mode,
    /// `true`: a respelling inside a quotation or a credit is applied by `--fix` as anywhere
    /// else, for wrong forms that are no word (`ngiêm`), which no source meant. Default
    /// `false`: offered there, not applied (a notice quoted word for word keeps its `thăm
    /// quan`).
    #[serde(default)]
    pub respell_quoted: bool,
    /// `true`: a term inside a quotation of speech (five to 120 words between its marks) is
    /// not reported: for a choice of words the speaker made (`giả thiết` in a quoted answer),
    /// not a slip, which a quotation may carry like any text. Default `false`.
    #[serde(default)]
    pub skip_speech: bool,
}

fn enforce() -> Mode {
    Mode::Prefer
}

pub struct Substitution;

/// A compiled entry: what a match of one of its terms reports.
struct Entry {
    rule: RuleIdx,
    meta: Arc<RuleMeta>,
    rights: Vec<String>,
    fix: bool,
    safe: bool,
    message: Option<String>,
    case_sensitive: bool,
    unless_followed_by: Vec<String>,
    unless_preceded_by: Vec<String>,
    safe_name_words: usize,
    /// The rule's `respell-quoted`.
    respell_quoted: bool,
    /// The rule's `skip-speech`.
    skip_speech: bool,
    /// In `mode = "consistency"`: the text already in the right form, counted per document.
    kept: Option<regex::Regex>,
}

impl Entry {
    /// Whether one of `unless-followed-by` comes right after `end` as a whole word.
    fn followed_by_exception(&self, text: &str, end: usize) -> bool {
        if self.unless_followed_by.is_empty() {
            return false;
        }
        let rest = text[end..].trim_start_matches([' ', '\u{a0}', '\t']);
        self.unless_followed_by.iter().any(|w| {
            rest.starts_with(w.as_str())
                && !rest[w.len()..]
                    .chars()
                    .next()
                    .is_some_and(crate::text::words::is_word_char)
        })
    }

    /// Whether one of `unless-preceded-by` comes right before `start` as a whole word.
    fn preceded_by_exception(&self, text: &str, start: usize) -> bool {
        if self.unless_preceded_by.is_empty() {
            return false;
        }
        let before = text[..start].trim_end_matches([' ', '\u{a0}', '\t']);
        self.unless_preceded_by.iter().any(|w| {
            before.ends_with(w.as_str())
                && !before[..before.len() - w.len()]
                    .chars()
                    .next_back()
                    .is_some_and(crate::text::words::is_word_char)
        })
    }

    /// Whether `safe-name-words` capitalized words, each one space apart, follow `end`.
    fn name_long_enough(&self, text: &str, end: usize) -> bool {
        let mut rest = &text[end..];
        for _ in 0..self.safe_name_words {
            let Some(after) = rest.strip_prefix(' ') else {
                return false;
            };
            if !after.chars().next().is_some_and(char::is_uppercase) {
                return false;
            }
            let len = after
                .find(|c: char| !crate::text::words::is_word_char(c))
                .unwrap_or(after.len());
            rest = &after[len..];
        }
        true
    }
}

impl RuleKind for Substitution {
    const NAME: &'static str = "substitution";
    const DOC: &'static str = include_str!("substitution.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut entries = Vec::new();
        let mut terms = TermListBuilder::new("wrong", "term");
        for r in rules {
            if r.options.mode == Mode::Off {
                continue;
            }
            let consistency = r.options.mode == Mode::Consistency;
            terms.compounds(r.idx, &r.options.compounds);
            for (i, t) in r.options.terms.into_iter().enumerate() {
                let key = format!("terms[{i}]");
                let rights = t.right.to_vec();
                if t.always && t.right_pattern.is_some() {
                    terms.error(RuleError::new(
                        r.idx,
                        Some(format!("{key}.always")),
                        "an `always` entry is reported in every document and counts no right form; remove \
                         `right-pattern` or `always`",
                    ));
                    continue;
                }
                let kept = match (&t.right_pattern, consistency && !t.always) {
                    (Some(p), true) => match regex::RegexBuilder::new(p)
                        .case_insensitive(!t.case_sensitive)
                        .size_limit(1 << 20)
                        .build()
                    {
                        Ok(re) => Some(re),
                        Err(e) => {
                            terms.error(RuleError::new(
                                r.idx,
                                Some(format!("{key}.right-pattern")),
                                format!("invalid regex: {e}"),
                            ));
                            continue;
                        }
                    },
                    (None, true) => {
                        terms.error(RuleError::new(
                            r.idx,
                            Some(key),
                            "`mode = \"consistency\"` needs `right-pattern` on every entry: a regex for the text \
                             already in the right form, which the document's wrong forms are counted against",
                        ));
                        continue;
                    }
                    (Some(_), false) if !t.always => {
                        terms.error(RuleError::new(
                            r.idx,
                            Some(format!("{key}.right-pattern")),
                            "`right-pattern` is only read with the rule's `mode = \"consistency\"`; set the mode \
                             or remove it",
                        ));
                        continue;
                    }
                    (_, false) => None,
                };
                if t.fix && rights.is_empty() {
                    terms.error(RuleError::new(
                        r.idx,
                        Some(key),
                        "the entry has no `right`; give the replacement, or `fix = false` to only warn",
                    ));
                    continue;
                }
                let added = terms.add(TermEntry {
                    rule: r.idx,
                    key: &key,
                    words: t.wrong.to_vec(),
                    pattern: t.pattern.as_deref(),
                    case_sensitive: t.case_sensitive,
                    whole_word: t.word,
                    id: entries.len() as u32,
                });
                if added {
                    entries.push(Entry {
                        rule: r.idx,
                        meta: r.meta.clone(),
                        rights,
                        fix: t.fix,
                        safe: t.safe,
                        message: t.message,
                        case_sensitive: t.case_sensitive,
                        unless_followed_by: t.unless_followed_by,
                        unless_preceded_by: t.unless_preceded_by,
                        safe_name_words: t.safe_name_words,
                        respell_quoted: r.options.respell_quoted,
                        skip_speech: r.options.skip_speech,
                        kept,
                    });
                }
            }
        }
        let (literals, regexes) = terms.build()?;
        let with_kept = (0..entries.len() as u32)
            .filter(|&i| entries[i as usize].kept.is_some())
            .collect();
        Ok(Box::new(SubstitutionChecker {
            entries,
            with_kept,
            literals,
            regexes,
        }))
    }
}

/// Whether `range` ends in a word that stands inside a name
/// ([`crate::text::case::between_capitalized_words`]).
fn between_capitalized_words(text: &str, range: std::ops::Range<usize>) -> bool {
    text[range.clone()]
        .chars()
        .next_back()
        .is_some_and(crate::text::words::is_word_char)
        && crate::text::case::between_capitalized_words(text, range)
}

/// Whether `range` opens a quotation as a title does (`loạt phim “Yếu điểm”`, judged FALSE
/// twice on real news, round 65): an opening mark right before it and a capital first. A
/// quoted word in lower case is still asked about (scare quotes around a misused word).
fn opens_a_quoted_title(text: &str, range: std::ops::Range<usize>) -> bool {
    let before = &text[..range.start];
    let opened = before.ends_with('“')
        || before.strip_suffix('"').is_some_and(|b| {
            b.chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | ':' | '—' | '–'))
        });
    if !opened {
        return false;
    }
    text[range].chars().next().is_some_and(char::is_uppercase)
}

/// The fewest words a protected span (a quotation, a credit) has to be read as speech or a
/// source's text rather than a scare-quoted word.
const SPEECH_WORDS: usize = 5;
/// The most words such a quotation is read to have: a longer span is most often two stray
/// marks paired across a story (a straight `"` that a curly `”` closed, then another).
const SPEECH_WORDS_MOST: usize = 120;

struct SubstitutionChecker {
    entries: Vec<Entry>,
    /// The entries with a `kept` regex, in order: the document pass asks only these, not
    /// every entry (hundreds).
    with_kept: Vec<u32>,
    literals: TermSet,
    regexes: RegexTerms,
}

impl SubstitutionChecker {
    /// Reports `found` at `range` unless it already is one of the expected forms.
    fn report(
        &self,
        entry: &Entry,
        text: &str,
        range: std::ops::Range<usize>,
        rights: Vec<String>,
        block: &BlockInput<'_>,
    ) -> Option<Diagnostic> {
        let labels = &block.shared.language().credit_labels;
        let found = &text[range.clone()];
        if rights.iter().any(|r| r == found)
            || entry.followed_by_exception(text, range.end)
            || entry.preceded_by_exception(text, range.start)
        {
            return None;
        }
        // A sense question has no answer in a quoted title: its words are the title's.
        if !entry.fix && opens_a_quoted_title(text, range.clone()) {
            return None;
        }
        // Nor, for a choice of words (`skip-speech`), in a quotation of speech, whose words are
        // the speaker's (`giả thiết` in a police officer's quoted answer: judged FALSE on real
        // news, round 106); a word or two in quotation marks (scare quotes) is still asked.
        if entry.skip_speech
            && super::abbreviation::span_around(block.shared.protected(), &range).is_some_and(|q| {
                // A quotation's span, opened and closed by its marks (a credit's is not one,
                // nor the rest of a paragraph after a stray mark), of speech's length.
                let opened = text[..q.start].ends_with(['“', '"']) || text[q.clone()].starts_with(['“', '"']);
                let closed = text[q.end..].starts_with(['”', '"']) || text[q.clone()].ends_with(['”', '"']);
                let quoted = opened && closed;
                quoted && (SPEECH_WORDS..=SPEECH_WORDS_MOST).contains(&text[q.clone()].split_whitespace().count())
            })
        {
            return None;
        }
        let expected = rights.join(" / ");
        let vars = [("found", found), ("expected", expected.as_str())];
        let message = match &entry.message {
            Some(m) => render_template(m, &vars),
            None => entry.meta.render(&vars),
        };
        let mut d = Diagnostic::new(entry.rule, range.clone(), message);
        if entry.fix {
            // With several candidates the writer has to choose: none is applied blindly. Nor
            // is a respelling inside a name, where the word may be the name's own or a slip
            // for another (`lễ hội Đua nge Ngo`, for `ghe`: judged HARMFUL on real news, round
            // 29); a change of case only (`Công an Quận` → `quận`) is what such rules are for.
            let respelt = |r: &String| r.to_lowercase() != found.to_lowercase();
            // Right after a photo credit's names the next sentence may start, its first
            // capital lost in the credit's run of capitals (`Ảnh: Đỗ Trưởng/TTXVN Tỉnh Quảng
            // Nam có 9 huyện`, judged HARMFUL on real news, round 44): offered, not applied.
            let safe = entry.safe
                && rights.len() == 1
                && entry.name_long_enough(text, range.end)
                && !(rights.iter().any(respelt) && between_capitalized_words(text, range.clone()))
                && !crate::text::context::in_a_credits_reach(text, range.start, labels)
                // A quotation or a credit keeps its source's words unless the writer agrees:
                // a change of case (a document's title quoted word for word: `“Quy tắc … trên
                // địa bàn Thành phố Hà Nội”`, judged HARMFUL on real news, round 47) and a
                // respelling too (a museum's notice quoted as `khách thăm quan`, round 72),
                // unless the rule's wrong forms are no words (`respell-quoted`).
                // A title in straight single marks too (`'Nâng cao … Thành phố Hà Nội năm
                // 2022'`, judged HARMFUL on real news, round 79), which the protected spans
                // leave out.
                && ((entry.respell_quoted && rights.iter().any(respelt))
                    || !(super::abbreviation::within(block.shared.protected(), &range)
                        || crate::text::context::in_straight_single_quotes(text, range.clone())));
            for r in rights {
                let title = format!("Replace with “{r}”");
                let edits = vec![crate::diagnostic::Edit::new(range.clone(), r)];
                d = d.with_fix(if safe {
                    Fix::safe(title, edits)
                } else {
                    Fix::unsafe_(title, edits)
                });
            }
        }
        Some(d)
    }

    /// A replacement in the case shape and normalization form of what was found.
    fn shape(entry: &Entry, found: &str, right: &str, form: Form) -> String {
        let right = form.apply(right);
        if entry.case_sensitive {
            right
        } else {
            match_case(found, &right)
        }
    }
}

impl Checker for SubstitutionChecker {
    fn term_sets(&mut self) -> Vec<&mut TermSet> {
        vec![&mut self.literals]
    }

    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        let text = block.text;
        let active = |id: u32| self.entries.get(id as usize).is_some_and(|e| block.is_active(e.rule));
        // Which regexes may match comes out of the same search as the literal terms.
        let mut gates = Vec::new();
        if !self.literals.is_empty() {
            for m in self.literals.find_gated(block.shared, &active, &mut gates) {
                let found = &text[m.range.clone()];
                for h in &m.hits {
                    let entry = &self.entries[h.id as usize];
                    let rights = entry
                        .rights
                        .iter()
                        .map(|r| Self::shape(entry, found, r, h.form))
                        .collect();
                    let d = self.report(entry, text, m.range.clone(), rights, block);
                    Self::emit(entry, d, out);
                }
            }
        }
        let mut broken: Vec<Diagnostic> = Vec::new();
        self.regexes.for_each(
            text,
            &gates,
            &active,
            |id, caps| {
                let entry = &self.entries[id as usize];
                // A group named `span` narrows the finding (and its fix) to that group, so
                // the context a regex needs (`\w+ (?<span>Tỉnh) \p{Lu}`) stays untouched.
                let Some(m) = caps.name("span").or_else(|| caps.get(0)) else {
                    return;
                };
                let rights = entry
                    .rights
                    .iter()
                    .map(|r| {
                        let mut s = String::new();
                        caps.expand(r, &mut s);
                        Self::shape(entry, m.as_str(), &s, Form::Nfc)
                    })
                    .collect();
                let d = self.report(entry, text, m.range(), rights, block);
                Self::emit(entry, d, out);
            },
            |id, why| broken.push(super::broken_regex(self.entries[id as usize].rule, why)),
        );
        out.diagnostics.extend(broken);
    }

    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        if input.facts.is_empty() {
            return;
        }
        // Per rule: the wrong forms are reported where the right form is written at least as
        // often, so the document mixes the two and the house's form is not the minority.
        let mut counts: std::collections::HashMap<RuleIdx, (usize, usize)> = std::collections::HashMap::new();
        for f in input.facts.iter() {
            if let Noted::Substituted(_) = f.fact.what {
                counts.entry(f.fact.rule).or_default().0 += 1;
            }
        }
        // The right forms are counted only for a rule with a wrong form: most documents
        // have none, and a search of every block by each kept regex was most of the kind's
        // own time (perf35).
        for (&rule, c) in counts.iter_mut() {
            c.1 = self.kept_count(input, rule);
        }
        for f in input.facts.iter() {
            let Noted::Substituted(d) = &f.fact.what else { continue };
            let (wrong, kept) = counts.get(&f.fact.rule).copied().unwrap_or_default();
            if kept > 0 && kept >= wrong {
                let mut d = (**d).clone();
                d.shift(f.range.start - f.fact.range.start);
                // A tie says little about the house (round 51: `Quận Hai Bà Trưng` once where
                // it counts, twice more after a comma or a bracket, and `quận` once; the safe
                // fix wrote the minority): offered, not applied.
                if kept == wrong {
                    for fix in &mut d.fixes {
                        fix.safe = false;
                    }
                }
                out.push(d);
            }
        }
    }
}

impl SubstitutionChecker {
    /// How often the document writes `rule`'s right forms: the matches of its entries'
    /// kept regexes in the blocks where it applies.
    fn kept_count(&self, input: &DocumentInput<'_>, rule: RuleIdx) -> usize {
        let mut n = 0;
        for entry in self.with_kept.iter().map(|&i| &self.entries[i as usize]) {
            let Some(kept) = entry.kept.as_ref().filter(|_| entry.rule == rule) else {
                continue;
            };
            for b in 0..input.doc.blocks().len() {
                if input.is_active(b, rule) {
                    // `find_iter` gives the matches `captures_iter` does, without captures.
                    n += kept.find_iter(input.block_text(b)).count();
                }
            }
        }
        n
    }

    /// A finding of a rule in `consistency` mode waits for the document's count.
    fn emit(entry: &Entry, d: Option<Diagnostic>, out: &mut BlockOutput) {
        let Some(d) = d else { return };
        if entry.kept.is_some() {
            let range = d.range.clone();
            out.facts
                .push(Fact::new(entry.rule, Noted::Substituted(Box::new(d)), range));
        } else {
            out.diagnostics.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::matcher::test_support::{assert_sane, doc_examples_pass, piece, proptest_config};
    use crate::testing::{check, check_markdown, engine, fix};
    use proptest::prelude::*;

    const RULES: &str = r#"
[[rule]]
id = "spelling"
kind = "substitution"
message = "Sai chính tả: “{found}” → “{expected}”"
terms = [
  { wrong = ["sát nhập", "xát nhập"], right = "sáp nhập" },
  { wrong = "bàng hoàn", right = "bàng hoàng", message = "Viết “{expected}”" },
  { wrong = "dành dụm", right = "giành dụm", fix = false },
  { wrong = "chín muồi", right = ["chín muồi", "chín mùi"] },
  { wrong = "ô nhiểm", right = ["ô nhiễm", "ô nhiệm"] },
  { pattern = '(\d+) ngàn', right = "$1 nghìn" },
  { wrong = "internet", right = "Internet" },
  { wrong = "TP HCM", right = "TP.HCM", case-sensitive = true },
]
"#;

    #[test]
    fn a_preceding_exception_word_makes_no_finding() {
        // Round 105: `Trường Tiểu học Thị trấn Vũ Thư`, a school's name, lowered by a safe fix.
        let e = engine(
            r#"
[[rule]]
id = "places"
kind = "substitution"
message = "“{found}” → “{expected}”"
terms = [
  { pattern = '\w+ (?<span>Thị trấn) \p{Lu}\w*', right = "thị trấn", case-sensitive = true, unless-preceded-by = ["Tiểu học"] },
]
"#,
        );
        let found = |t: &str| check(&e, t).into_iter().map(|f| f.found).collect::<Vec<_>>();
        assert!(found("Cô dạy trường Tiểu học Thị trấn Vũ Thư.").is_empty());
        // The whole word only: `Tiểu học` ending another word is no exception.
        assert_eq!(found("Người dân ở Thị trấn Vũ Thư."), ["Thị trấn"]);
        assert_eq!(found("Bài KhóaTiểu học Thị trấn Vũ Thư."), ["Thị trấn"]);
    }

    #[test]
    fn a_following_exception_word_makes_no_finding() {
        let e = engine(
            r#"
[[rule]]
id = "places"
kind = "substitution"
message = "“{found}” → “{expected}”"
terms = [
  { pattern = '\w+ (?<span>Thành phố) \p{Lu}\w*', right = "thành phố", case-sensitive = true, unless-followed-by = ["Mexico"] },
  { wrong = "Tp", right = "TP", case-sensitive = true, unless-followed-by = ["Mexico"] },
]
"#,
        );
        let found = check(&e, "Ở Thành phố Mexico và Thành phố Mexicali, Tp Mexico, Tp Huế.");
        let spans: Vec<&str> = found.iter().map(|f| f.found.as_str()).collect();
        assert_eq!(spans, ["Thành phố", "Tp"]);
    }

    #[test]
    fn a_span_group_narrows_the_finding_and_the_fix() {
        let e = engine(
            r#"
[[rule]]
id = "places"
kind = "substitution"
message = "“{found}” → “{expected}”"
terms = [{ pattern = '\w+,? (?<span>Tỉnh) \p{Lu}\w*', right = "tỉnh", case-sensitive = true }]
"#,
        );
        let found = check(&e, "Công an Tỉnh Bắc Ninh. Tỉnh Nam Định giáp biển.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "Tỉnh");
        assert_eq!(found[0].fix.as_deref(), Some("tỉnh"));
        assert_eq!(fix(&e, "Công an Tỉnh Bắc Ninh."), "Công an tỉnh Bắc Ninh.");
    }

    #[test]
    fn literals_do_not_cut_compounds_and_a_rule_adds_some() {
        let rules = |extra: &str| {
            format!(
                r#"
[[rule]]
id = "spelling"
kind = "substitution"
message = "“{{found}}” → “{{expected}}”"
terms = [{{ wrong = "suất hiện", right = "xuất hiện" }}, {{ wrong = "chung cư", right = "khu chung cư" }}]
{extra}
"#
            )
        };
        let e = engine(&rules(""));
        assert!(check(&e, "Lãi suất hiện nay ở mức thấp.").is_empty());
        assert_eq!(check(&e, "Rồi suất hiện một người.").len(), 1);
        assert_eq!(check(&e, "tựu chung cư dân").len(), 1);
        let e = engine(&rules(r#"compounds = ["tựu chung"]"#));
        assert!(check(&e, "tựu chung cư dân").is_empty());
        assert!(check(&e, "Lãi suất hiện nay ở mức thấp.").is_empty());
    }

    #[test]
    fn a_compound_without_two_syllables_is_an_error_at_its_key() {
        let src = r#"
[[rule]]
id = "spelling"
kind = "substitution"
message = "x"
terms = [{ wrong = "suất hiện", right = "xuất hiện" }]
compounds = ["tựu chung", "tựu"]
"#;
        let pack = crate::pack::load_files("test", "test", vec![crate::pack::SourceFile::new("test.toml", src)])
            .expect("the file loads");
        let errors = crate::project::build_engine(&[pack], None, &[], None).expect_err("the rule does not compile");
        let text = format!("{errors:?}");
        assert!(text.contains("compounds[1]"), "{text}");
        assert!(text.contains("“tựu” is not a word of two syllables"), "{text}");
    }

    #[test]
    fn literal_terms_are_reported_and_fixed() {
        let e = engine(RULES);
        let found = check(&e, "Hai công ty sát nhập và xát nhập.");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].found, "sát nhập");
        assert_eq!(found[0].message, "Sai chính tả: “sát nhập” → “sáp nhập”");
        assert_eq!(found[0].fix.as_deref(), Some("sáp nhập"));
        assert_eq!(fix(&e, "Hai công ty sát nhập."), "Hai công ty sáp nhập.");
    }

    #[test]
    fn words_inside_other_words_do_not_match() {
        let e = engine(RULES);
        assert!(check(&e, "xsát nhập, sát nhậpđ, sát nhập\u{301}").is_empty());
        assert_eq!(check(&e, "(sát nhập)").len(), 1);
    }

    #[test]
    fn case_shape_is_kept_at_sentence_start_and_in_capitals() {
        let e = engine(RULES);
        assert_eq!(fix(&e, "Sát nhập xong. Ô NHIỂM"), "Sáp nhập xong. Ô NHIỂM");
        assert_eq!(fix(&e, "TIN NÓNG: SÁT NHẬP HAI XÃ"), "TIN NÓNG: SÁP NHẬP HAI XÃ");
        // A replacement with capitals of its own keeps them; the right form is not reported.
        assert_eq!(fix(&e, "mạng internet"), "mạng Internet");
        assert!(check(&e, "mạng Internet").is_empty());
    }

    /// Judged HARMFUL on real news (round 29): inside a name the word may be the name's own
    /// or a slip for another word, so its fix is offered, not applied.
    #[test]
    fn a_fix_inside_a_name_is_not_applied_by_fix() {
        let e = engine(RULES);
        assert_eq!(fix(&e, "Lễ hội Đua sát nhập Ngo."), "Lễ hội Đua sát nhập Ngo.");
        assert_eq!(check(&e, "Lễ hội Đua sát nhập Ngo.").len(), 1);
        // A capital at a sentence start, or none after, is no name.
        assert_eq!(fix(&e, "Sát nhập Ngo vào tỉnh."), "Sáp nhập Ngo vào tỉnh.");
        assert_eq!(fix(&e, "Lễ hội Đua sát nhập tỉnh."), "Lễ hội Đua sáp nhập tỉnh.");
    }

    #[test]
    fn nfd_text_and_emoji_keep_offsets() {
        let e = engine(RULES);
        let nfd = "😀 sa\u{301}t nhâ\u{323}p";
        let found = check(&e, nfd);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "sa\u{301}t nhâ\u{323}p");
        // The fix is written in the text's own normalization form.
        assert_eq!(fix(&e, nfd), "😀 sa\u{301}p nhâ\u{323}p");
    }

    #[test]
    fn no_fix_several_fixes_and_entry_messages() {
        let e = engine(RULES);
        let found = check(&e, "dành dụm, bàng hoàn, ô nhiểm");
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].fix, None);
        assert_eq!(found[1].message, "Viết “bàng hoàng”");
        assert_eq!(found[2].message, "Sai chính tả: “ô nhiểm” → “ô nhiễm / ô nhiệm”");
        // Two candidates: both offered, neither applied by --fix.
        assert_eq!(fix(&e, "ô nhiểm"), "ô nhiểm");
        let doc = crate::document::Document::plain_body("ô nhiểm");
        let d = &e.check(&doc)[0];
        assert_eq!(d.fixes.len(), 2);
        assert!(d.fixes.iter().all(|f| !f.safe));
        // A right form among the candidates is not reported.
        assert!(check(&e, "chín muồi").is_empty());
    }

    #[test]
    fn regex_entries_expand_captures_and_keep_case() {
        let e = engine(RULES);
        assert_eq!(fix(&e, "5 ngàn người, 7 Ngàn"), "5 nghìn người, 7 Nghìn");
        assert!(check(&e, "25 ngànx").is_empty());
    }

    #[test]
    fn case_sensitive_terms_match_exactly() {
        let e = engine(RULES);
        assert_eq!(fix(&e, "ở TP HCM và tp hcm"), "ở TP.HCM và tp hcm");
    }

    #[test]
    fn masked_markdown_is_never_matched() {
        let e = engine(RULES);
        let found = check_markdown(&e, "Đã `sát nhập` rồi sát nhập [sát nhập](http://x.vn/sát nhập)\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(check_markdown(&e, "sát`x`nhập\n").is_empty());
    }

    #[test]
    fn invalid_entries_are_located_errors() {
        let file = "[[rule]]\nid = \"x\"\nkind = \"substitution\"\nmessage = \"m\"\nterms = [{ pattern = \"(\", right = \"a\" }]\n";
        let pack = crate::pack::load_files("t", "t", vec![crate::pack::SourceFile::new("t.toml", file)]).unwrap();
        let errs = crate::project::build_engine(&[pack], None, &[], None).unwrap_err();
        assert!(errs[0].message.contains("invalid regex"), "{}", errs[0].message);
        let file = "[[rule]]\nid = \"x\"\nkind = \"substitution\"\nmessage = \"m\"\nterms = [{ wrong = \"a\" }]\n";
        let pack = crate::pack::load_files("t", "t", vec![crate::pack::SourceFile::new("t.toml", file)]).unwrap();
        let errs = crate::project::build_engine(&[pack], None, &[], None).unwrap_err();
        assert!(errs[0].message.contains("no `right`"), "{}", errs[0].message);
    }

    const CASE_CHOICE: &str = r#"
[[rule]]
id = "places"
kind = "substitution"
message = "“{found}” → “{expected}”"
mode = "consistency"
terms = [
  { pattern = '\p{Ll}+ (?<span>Quận) \p{Lu}\w*', right = "quận", case-sensitive = true, right-pattern = '\p{Ll}+ (?<span>quận) \p{Lu}' },
]
"#;

    /// Judged on real news (round 40): an article that writes `Quận Hai Bà Trưng` throughout
    /// follows Decree 30, a house choice, not a slip.
    #[test]
    fn consistency_mode_reports_only_a_document_that_writes_the_right_form_as_often() {
        let e = engine(CASE_CHOICE);
        assert!(check(&e, "Công an Quận Hai Bà Trưng và dân Quận Đống Đa.").is_empty());
        // The right form in another paragraph counts: the document decides.
        let t = "Công an Quận Hai Bà Trưng cho biết.\n\nDân ở quận Đống Đa phản ánh.";
        let found = check(&e, t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].found.as_str(), found[0].fix.as_deref()),
            ("Quận", Some("quận"))
        );
        // A tie: offered, not applied (judged HARMFUL on real news, round 51).
        assert_eq!(fix(&e, t), t);
        let t = "Công an Quận Hai Bà Trưng cho biết.\n\nDân ở quận Đống Đa và quận Cầu Giấy phản ánh.";
        assert_eq!(
            fix(&e, t),
            "Công an quận Hai Bà Trưng cho biết.\n\nDân ở quận Đống Đa và quận Cầu Giấy phản ánh."
        );
        // Fewer right forms than wrong ones: the capital is the house's, nothing is reported.
        let t = "Công an Quận Hai Bà Trưng, dân Quận Ba Đình và ở quận Đống Đa.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // `prefer` (the default) reports every wrong form; `off` none.
        let prefer = CASE_CHOICE
            .replace("mode = \"consistency\"\n", "")
            .replace(", right-pattern = '\\p{Ll}+ (?<span>quận) \\p{Lu}'", "");
        assert_eq!(
            check(&engine(&prefer), "Công an Quận Hai Bà Trưng và dân Quận Đống Đa.").len(),
            2
        );
        let off = CASE_CHOICE.replace("\"consistency\"", "\"off\"");
        assert!(check(&engine(&off), "Công an Quận Hai Bà Trưng.\n\nDân ở quận Đống Đa.").is_empty());
        // An `always` entry is reported in every document and counts in no choice.
        let always = CASE_CHOICE.replace(
            "\n]\n",
            "\n  { wrong = \"Tp\", right = \"TP\", case-sensitive = true, always = true },\n]\n",
        );
        let found = check(&engine(&always), "Công an Quận Hai Bà Trưng ở Tp Huế.");
        let got: Vec<&str> = found.iter().map(|f| f.found.as_str()).collect();
        assert_eq!(got, ["Tp"], "{found:?}");
    }

    /// Judged HARMFUL on real news (round 44): after a photo credit's names the next
    /// sentence starts (`Ảnh: Đỗ Trưởng/TTXVN Tỉnh Quảng Nam có`); its capital is offered
    /// for lowering, not lowered by `--fix`.
    #[test]
    fn right_after_a_credit_the_fix_is_offered_not_applied() {
        let rule = r#"
[[rule]]
id = "places"
kind = "substitution"
message = "“{found}” → “{expected}”"
terms = [{ pattern = '\w+ (?<span>Tỉnh) \p{Lu}\w*', right = "tỉnh", case-sensitive = true }]
"#;
        let e = engine(&format!("{rule}[pack]\ncredit-labels = [\"Ảnh\"]\n"));
        let t = "Huyện miền núi. Ảnh: Đỗ Trưởng/TTXVN Tỉnh Quảng Nam có 9 huyện.";
        assert_eq!(check(&e, t).len(), 1);
        assert_eq!(fix(&e, t), t);
        // Elsewhere the fix is applied as before.
        assert_eq!(fix(&e, "UBND Tỉnh Sơn La họp."), "UBND tỉnh Sơn La họp.");
    }

    /// Judged HARMFUL on real news (round 47): a document's title quoted word for word
    /// (`“Quy tắc … trên địa bàn Thành phố Hà Nội”`) keeps its words unless the writer agrees.
    #[test]
    fn inside_a_quotation_the_fix_is_offered_not_applied() {
        let rule = r#"
[[rule]]
id = "places"
kind = "substitution"
message = "“{found}” → “{expected}”"
terms = [{ wrong = "địa bàn Thành phố", right = "địa bàn thành phố", case-sensitive = true }]
"#;
        let e = engine(rule);
        let t = "Góp ý về dự thảo “Quy tắc ứng xử trên địa bàn Thành phố Hà Nội” trên cổng.";
        assert_eq!(check(&e, t).len(), 1);
        assert_eq!(fix(&e, t), t);
        let t = "Góp ý về dự thảo \"Quy tắc ứng xử trên địa bàn Thành phố Hà Nội\" trên cổng.";
        assert_eq!(fix(&e, t), t);
        assert_eq!(
            fix(&e, "Người dân trên địa bàn Thành phố Hà Nội."),
            "Người dân trên địa bàn thành phố Hà Nội."
        );
    }

    /// Judged HARMFUL on real news (round 72): a notice quoted word for word keeps its
    /// spelling unless the writer agrees; outside the quotation the respelling is applied.
    #[test]
    fn inside_a_quotation_a_respelling_is_offered_not_applied() {
        let rule = r#"
[[rule]]
id = "confusions"
kind = "substitution"
message = "“{found}” → “{expected}”"
terms = [{ wrong = "thăm quan", right = "tham quan" }]
"#;
        let e = engine(rule);
        let t = "Bảng ghi: \"Giới thiệu với khách thăm quan những tài liệu\" - lời giới thiệu.";
        assert_eq!(check(&e, t).len(), 1);
        assert_eq!(fix(&e, t), t);
        assert_eq!(
            fix(&e, "Đoàn khách thăm quan bảo tàng."),
            "Đoàn khách tham quan bảo tàng."
        );
    }

    #[test]
    fn a_right_pattern_needs_consistency_mode_and_consistency_mode_needs_one() {
        let errors = |file: &str| {
            let pack = crate::pack::load_files("t", "t", vec![crate::pack::SourceFile::new("t.toml", file)]).unwrap();
            crate::project::build_engine(&[pack], None, &[], None).unwrap_err()
        };
        let head = "[[rule]]\nid = \"x\"\nkind = \"substitution\"\nmessage = \"m\"\n";
        let errs = errors(&format!(
            "{head}mode = \"consistency\"\nterms = [{{ wrong = \"a\", right = \"b\" }}]\n"
        ));
        assert!(errs[0].message.contains("needs `right-pattern`"), "{}", errs[0].message);
        let errs = errors(&format!(
            "{head}terms = [{{ wrong = \"a\", right = \"b\", right-pattern = \"b\" }}]\n"
        ));
        assert!(errs[0].message.contains("only read with"), "{}", errs[0].message);
        let errs = errors(&format!(
            "{head}mode = \"consistency\"\nterms = [{{ wrong = \"a\", right = \"b\", right-pattern = \"(\" }}]\n"
        ));
        assert!(errs[0].message.contains("invalid regex"), "{}", errs[0].message);
        let errs = errors(&format!(
            "{head}mode = \"consistency\"\nterms = [{{ wrong = \"a\", right = \"b\", right-pattern = \"b\", always = true }}]\n"
        ));
        assert!(errs[0].message.contains("an `always` entry"), "{}", errs[0].message);
        let file = format!("{head}mode = \"sometimes\"\nterms = [{{ wrong = \"a\", right = \"b\" }}]\n");
        let errs = crate::pack::load_files("t", "t", vec![crate::pack::SourceFile::new("t.toml", &file)]).unwrap_err();
        assert!(
            errs[0].message.contains("unknown variant `sometimes`"),
            "{}",
            errs[0].message
        );
        assert_eq!((errs[0].line, errs[0].column), (5, 1));
    }

    #[test]
    fn the_doc_example_passes() {
        doc_examples_pass(<super::Substitution as super::RuleKind>::DOC);
    }

    proptest! {
        #![proptest_config(proptest_config())]
        #[test]
        fn random_text_never_panics(parts in prop::collection::vec(piece(), 0..24)) {
            let e = engine(RULES);
            assert_sane(&e, &parts.concat());
        }
    }
}
