//! Style choices: the one `mode` option every kind whose subject is a legitimate house choice
//! (quote characters, date formats, dash and ellipsis forms, tone-mark placement, word
//! variants, city-name forms, the case of a title before a name) shares, and the machinery that
//! turns a document's occurrences of the competing forms into findings.
//!
//! - `mode = "consistency"` (the default): a document that uses one form is left alone; a
//!   document that mixes forms gets one finding on each occurrence of a minority form. The form
//!   the document uses most wins; a tie goes to the rule's preferred form, else to the form
//!   used first.
//! - `mode = "prefer"`: the rule's preferred form is enforced; every other form is reported,
//!   even in a consistent document. The kind must be given the preferred form (`prefer`).
//! - `mode = "off"`: the choice is not checked.
//!
//! Each finding carries up to two fixes: "Use X everywhere" (the winning form, rewriting every
//! other occurrence: the whole group or nothing, so a fix never leaves the document mixed;
//! never safe after a tie, which says nothing about the document's own choice) and,
//! in consistency mode, "Use Y everywhere" (this occurrence's form; never safe, the user
//! chooses it in the editor).
//!
//! Usage in a kind: embed `mode: Mode` and a `prefer` option in its `Options`, build a
//! [`Choice`] with [`Choice::new`] at compile time, collect [`Occurrence`]s in document
//! order in `check_document`, and call [`report`].

use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{render_template, RuleIdx, RuleMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};

/// How a style choice is checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Flag only a document that mixes forms, on its minority form (default).
    #[default]
    Consistency,
    /// Enforce the preferred form everywhere (needs `prefer`).
    Prefer,
    /// Do not check this choice.
    Off,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Consistency => "consistency",
            Mode::Prefer => "prefer",
            Mode::Off => "off",
        }
    }
}

/// A compiled choice: the mode and the preferred form, as an index into the kind's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Choice {
    pub mode: Mode,
    /// The preferred form: enforced in `prefer` mode, the tie-break in `consistency` mode.
    pub prefer: Option<usize>,
    /// In `consistency` mode, a document that mixes the preferred form with another is
    /// brought to the preferred one however few its uses (an official name beside a common
    /// misspelling of it: `Bộ Công Thương` once among `Bộ Công thương`).
    pub mixed_prefers: bool,
}

impl Choice {
    /// `prefer` mode needs a preferred form; the error says so (the caller locates it at
    /// its `prefer` key).
    pub fn new(mode: Mode, prefer: Option<usize>) -> Result<Choice, String> {
        if mode == Mode::Prefer && prefer.is_none() {
            return Err("`mode = \"prefer\"` needs the preferred form: set `prefer`".to_string());
        }
        Ok(Choice {
            mode,
            prefer,
            mixed_prefers: false,
        })
    }

    pub fn is_off(&self) -> bool {
        self.mode == Mode::Off
    }

    /// The winning form given the forms of a document's occurrences in document order, or
    /// `None` when nothing is to be reported.
    pub fn winner(&self, forms: impl IntoIterator<Item = usize>) -> Option<Tally> {
        let mut tally = Tally::default();
        for f in forms {
            tally.add(f);
        }
        let winner = match self.mode {
            Mode::Off => return None,
            Mode::Prefer => {
                let p = self.prefer?;
                if tally.counts.iter().enumerate().all(|(f, &c)| f == p || c == 0) {
                    return None;
                }
                p
            }
            Mode::Consistency => {
                if tally.order.len() < 2 {
                    return None;
                }
                let best = tally.order.iter().map(|&f| tally.counts[f]).max().unwrap_or(0);
                let tied: Vec<usize> = tally
                    .order
                    .iter()
                    .copied()
                    .filter(|&f| tally.counts[f] == best)
                    .collect();
                match self.prefer {
                    Some(p) if tied.contains(&p) => p,
                    Some(p) if self.mixed_prefers && tally.counts.get(p).is_some_and(|&c| c > 0) => p,
                    _ => tied[0],
                }
            }
        };
        tally.winner = winner;
        Some(tally)
    }
}

/// How often a document uses each form, the order it first used them in, and the winner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// `counts[form]`.
    pub counts: Vec<usize>,
    /// Forms in the order of their first use.
    pub order: Vec<usize>,
    pub winner: usize,
}

impl Tally {
    fn add(&mut self, form: usize) {
        if self.counts.len() <= form {
            self.counts.resize(form + 1, 0);
        }
        if self.counts[form] == 0 {
            self.order.push(form);
        }
        self.counts[form] += 1;
    }

    pub fn count(&self, form: usize) -> usize {
        self.counts.get(form).copied().unwrap_or(0)
    }

    /// Whether another form is used as often as the winner: the document states no choice.
    pub fn is_tied(&self) -> bool {
        self.order
            .iter()
            .any(|&f| f != self.winner && self.count(f) == self.count(self.winner))
    }
}

/// One occurrence of a form in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub form: usize,
    /// Where a finding on it goes (absolute bytes).
    pub range: Range<usize>,
    /// The text found there, for `{found}`.
    pub found: String,
    /// `rewrites[form]`: the edits that turn this occurrence into `form` (empty for its own
    /// form), or `None` when this occurrence cannot be rewritten into it safely.
    pub rewrites: Vec<Option<Vec<Edit>>>,
    /// Whether it counts towards the winner (else it is only counted in the messages,
    /// reported and rewritten like the rest: quotation marks at an inner level).
    pub votes: bool,
}

impl Occurrence {
    /// An occurrence whose rewrite into each form replaces its whole range with `texts[form]`
    /// (`None`: cannot).
    pub fn replacing(form: usize, range: Range<usize>, found: &str, texts: Vec<Option<String>>) -> Occurrence {
        let rewrites = texts
            .into_iter()
            .enumerate()
            .map(|(f, t)| {
                if f == form {
                    Some(Vec::new())
                } else {
                    t.map(|t| vec![Edit::new(range.clone(), t)])
                }
            })
            .collect();
        Occurrence {
            form,
            range,
            found: found.to_string(),
            rewrites,
            votes: true,
        }
    }
}

/// What a finding of a choice rule says and whether its main fix is safe.
pub struct Choices<'a> {
    pub rule: RuleIdx,
    pub meta: &'a RuleMeta,
    pub choice: Choice,
    /// How each form is named in messages and fix titles (`8/9`, `“…”`).
    pub labels: &'a [String],
    /// Whether "use the winner everywhere" may be applied by `--fix`.
    pub safe: bool,
}

/// Edits that the group fixes of one group's findings may carry in all. Every finding
/// carrying the whole group's edits is quadratic (1,600 `...` among `…` in 10 KB were
/// 2.6 million edits); past this budget later findings carry no fix. The first always
/// does, and `--fix` needs only one: the fix rewrites the whole group.
pub const MAX_GROUP_EDITS: usize = 10_000;

/// The edits that rewrite every occurrence not already in `target` into it, or `None` when
/// one of them cannot be rewritten (then no fix: all of the group or none).
pub fn group_edits(occurrences: &[Occurrence], target: usize) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    for o in occurrences.iter().filter(|o| o.form != target) {
        edits.extend(o.rewrites.get(target)?.as_ref()?.iter().cloned());
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    Some(edits)
}

/// Reports the occurrences that lose: the minority forms (consistency mode) or every
/// form but the preferred one (prefer mode). `occurrences` must be in document order.
///
/// The message is the rule's template with `{majority}`, `{minority}`, `{majority_count}`,
/// `{minority_count}`, `{found}` (the occurrence's text) and `{expected}` (its rewrite into the
/// winner, or the winner's label) filled in. In prefer mode `{majority}` is
/// the preferred form.
pub fn report(c: &Choices<'_>, occurrences: &[Occurrence], out: &mut Vec<Diagnostic>) {
    report_among(c, occurrences, usize::MAX, out);
}

/// [`report`], where only the forms below `voting` decide the winner: an occurrence of a
/// form at or above it (a quotation opened curly and closed straight, which is neither
/// style) is always reported and rewritten into the winner. With no voting form competing,
/// the winner is the one voting form the document uses, else the preferred form.
pub fn report_among(c: &Choices<'_>, occurrences: &[Occurrence], voting: usize, out: &mut Vec<Diagnostic>) {
    let votes = || {
        occurrences
            .iter()
            .filter(|o| o.votes)
            .map(|o| o.form)
            .filter(|&f| f < voting)
    };
    let others = occurrences.iter().any(|o| o.form >= voting || !o.votes);
    let tally = match c.choice.winner(votes()) {
        Some(t) => Some(t),
        None if others && !c.choice.is_off() => {
            let mut t = Tally::default();
            votes().for_each(|f| t.add(f));
            let only = (t.order.len() == 1).then(|| t.order[0]);
            only.or(c.choice.prefer).map(|w| Tally { winner: w, ..t })
        }
        None => None,
    };
    let Some(mut tally) = tally else {
        return;
    };
    let winner = tally.winner;
    // The non-voting forms are counted for the messages, after the winner is decided: a
    // tie is a tie of the voting forms.
    let voting_tally = tally.clone();
    // An occurrence of a voting form that does not vote is counted only when its form has
    // no vote: else the message could say the minority is the larger.
    for f in occurrences
        .iter()
        .filter(|o| o.form >= voting || (!o.votes && voting_tally.count(o.form) == 0))
        .map(|o| o.form)
    {
        tally.add(f);
    }
    let label = |f: usize| c.labels.get(f).map_or("", String::as_str);
    // A tie in consistency mode says nothing about the document's own choice: the
    // preferred form wins it, but `--fix` does not apply it (judged on real news: one
    // `quản lý` against a textbook title `Địa lí` rewrote the title).
    let tied = c.choice.mode == Mode::Consistency && voting_tally.is_tied();
    let majority_fix = group_edits(occurrences, winner)
        .filter(|e| !e.is_empty())
        .map(|edits| Fix {
            title: use_everywhere(label(winner)),
            edits,
            safe: c.safe && !tied,
        });
    let mut alternatives: Vec<Option<Fix>> = vec![None; tally.counts.len()];
    if c.choice.mode == Mode::Consistency {
        for &f in voting_tally.order.iter().filter(|&&f| f != winner) {
            alternatives[f] = group_edits(occurrences, f)
                .filter(|e| !e.is_empty())
                .map(|edits| Fix::unsafe_(use_everywhere(label(f)), edits));
        }
    }
    let majority_count = tally.count(winner).to_string();
    let mut budget = MAX_GROUP_EDITS;
    for (i, o) in occurrences.iter().filter(|o| o.form != winner).enumerate() {
        let minority_count = tally.count(o.form).to_string();
        // This occurrence rewritten, when that is one replacement of its range.
        let expected = match o.rewrites.get(winner) {
            Some(Some(edits)) if edits.len() == 1 && edits[0].range == o.range => edits[0].replacement.as_str(),
            _ => label(winner),
        };
        let vars = [
            ("majority", label(winner)),
            ("minority", label(o.form)),
            ("majority_count", majority_count.as_str()),
            ("minority_count", minority_count.as_str()),
            ("found", o.found.as_str()),
            ("expected", expected),
        ];
        let message = match c.choice.mode {
            Mode::Prefer => {
                let (house, other) = (quoted(label(winner)), quoted(label(o.form)));
                let template = c.meta.prefer_message.as_deref().unwrap_or(DEFAULT_PREFER_MESSAGE);
                render_template(template, &[("house", house.as_str()), ("other", other.as_str())])
            }
            _ => c.meta.render(&vars),
        };
        let mut d = Diagnostic::new(c.rule, o.range.clone(), message);
        let alternative = alternatives.get(o.form).and_then(Option::as_ref);
        let cost = majority_fix
            .iter()
            .chain(alternative)
            .map(|f| f.edits.len())
            .sum::<usize>();
        if i == 0 || cost <= budget {
            budget = budget.saturating_sub(cost);
            d.fixes.extend(majority_fix.clone());
            d.fixes.extend(alternative.cloned());
        }
        out.push(d);
    }
}

/// "Use “X” everywhere".
fn use_everywhere(label: &str) -> String {
    format!("Use {} everywhere", quoted(label))
}

/// `label` in curly quotes, unless it is itself quotes (`“…”`).
fn quoted(label: &str) -> String {
    if label.contains(['“', '”', '"', '‘', '’', '\'', '«', '»']) {
        label.to_string()
    } else {
        format!("“{label}”")
    }
}

/// The message in prefer mode, where counts say nothing: the house form and what was found.
/// A pack words it in its own language with `[pack] prefer-message`.
pub const DEFAULT_PREFER_MESSAGE: &str = "House style is {house}, not {other}";

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(form: usize, at: usize) -> Occurrence {
        let labels = ["a", "b", "c"];
        Occurrence::replacing(
            form,
            at..at + 1,
            labels[form],
            labels.iter().map(|l| Some(l.to_string())).collect(),
        )
    }

    fn meta() -> RuleMeta {
        RuleMeta {
            pack: "t".into(),
            id: "x".into(),
            kind: "test",
            severity: crate::diagnostic::Severity::Warning,
            message: "Bài viết dùng cả “{majority}” ({majority_count} lần) và “{minority}” ({minority_count} lần)"
                .into(),
            prefer_message: Some("Tòa soạn dùng {house}, không dùng {other}".into()),
            language: Default::default(),
            description: None,
            link: None,
            scopes: None,
            examples: Vec::new(),
            source: Default::default(),
        }
    }

    fn run(choice: Choice, forms: &[usize]) -> Vec<Diagnostic> {
        let m = meta();
        let labels: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let occs: Vec<Occurrence> = forms.iter().enumerate().map(|(i, &f)| occ(f, i * 2)).collect();
        let c = Choices {
            rule: RuleIdx(0),
            meta: &m,
            choice,
            labels: &labels,
            safe: true,
        };
        let mut out = Vec::new();
        report(&c, &occs, &mut out);
        out
    }

    const CONSISTENCY: Choice = Choice {
        mode: Mode::Consistency,
        prefer: None,
        mixed_prefers: false,
    };

    #[test]
    fn a_consistent_document_gets_nothing() {
        assert!(run(CONSISTENCY, &[1, 1, 1]).is_empty());
        assert!(run(CONSISTENCY, &[]).is_empty());
        assert!(run(Choice::new(Mode::Consistency, Some(0)).unwrap(), &[1, 1]).is_empty());
    }

    #[test]
    fn the_majority_wins_and_only_the_minority_is_flagged() {
        let d = run(CONSISTENCY, &[1, 0, 0, 0, 0, 0]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range, 0..1);
        assert_eq!(d[0].message, "Bài viết dùng cả “a” (5 lần) và “b” (1 lần)");
        assert_eq!(d[0].fixes[0].title, "Use “a” everywhere");
        assert!(d[0].fixes[0].safe);
        assert_eq!(d[0].fixes[0].edits, vec![Edit::new(0..1, "a")]);
        // The other way round, never safe: five edits.
        assert_eq!(d[0].fixes[1].title, "Use “b” everywhere");
        assert!(!d[0].fixes[1].safe);
        assert_eq!(d[0].fixes[1].edits.len(), 5);
    }

    #[test]
    fn a_tie_goes_to_the_preferred_form_else_the_first() {
        let d = run(Choice::new(Mode::Consistency, Some(1)).unwrap(), &[0, 1]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range, 0..1);
        let d = run(CONSISTENCY, &[1, 0]);
        assert_eq!(d[0].range, 2..3);
        // The preferred form does not win against a majority.
        let d = run(Choice::new(Mode::Consistency, Some(1)).unwrap(), &[0, 0, 1]);
        assert_eq!(d[0].range, 4..5);
        assert!(d[0].fixes[0].safe, "a majority's fix is as safe as the rule says");
    }

    #[test]
    fn a_tie_is_offered_but_never_applied_by_fix() {
        let d = run(Choice::new(Mode::Consistency, Some(1)).unwrap(), &[0, 1]);
        assert!(!d[0].fixes[0].safe);
        let d = run(CONSISTENCY, &[0, 1, 1, 0, 2]);
        assert!(d.iter().all(|d| !d.fixes[0].safe));
    }

    #[test]
    fn three_forms_each_minority_counts_its_own() {
        let d = run(CONSISTENCY, &[0, 0, 0, 1, 2, 2]);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].message, "Bài viết dùng cả “a” (3 lần) và “b” (1 lần)");
        assert_eq!(d[1].message, "Bài viết dùng cả “a” (3 lần) và “c” (2 lần)");
        // One fix for the whole group: three edits in every finding.
        assert!(d.iter().all(|d| d.fixes[0].edits.len() == 3));
    }

    #[test]
    fn prefer_enforces_and_off_is_silent() {
        let p = Choice::new(Mode::Prefer, Some(0)).unwrap();
        let d = run(p, &[1, 1]);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].message, "Tòa soạn dùng “a”, không dùng “b”");
        assert_eq!(d[0].fixes.len(), 1);
        assert!(run(p, &[0, 0]).is_empty());
        assert!(run(Choice::new(Mode::Off, Some(0)).unwrap(), &[0, 1]).is_empty());
        assert!(Choice::new(Mode::Prefer, None).unwrap_err().contains("prefer"));
    }

    #[test]
    fn prefer_without_a_pack_message_speaks_english() {
        // The engine assumes no language: a pack that words nothing gets the English default.
        let mut m = meta();
        m.prefer_message = None;
        let labels: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let c = Choices {
            rule: RuleIdx(0),
            meta: &m,
            choice: Choice::new(Mode::Prefer, Some(0)).unwrap(),
            labels: &labels,
            safe: true,
        };
        let mut out = Vec::new();
        report(&c, &[occ(1, 0)], &mut out);
        assert_eq!(out[0].message, "House style is “a”, not “b”");
    }

    #[test]
    fn one_unrewritable_occurrence_withholds_the_group_fix() {
        let mut occs = vec![occ(1, 0), occ(0, 2), occ(0, 4), occ(1, 6)];
        occs[3].rewrites[0] = None;
        assert_eq!(group_edits(&occs, 0), None);
        assert_eq!(group_edits(&occs, 1).map(|e| e.len()), Some(2));
    }

    #[test]
    fn mode_parses_as_a_typed_option() {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct O {
            #[serde(default)]
            mode: Mode,
        }
        let parse = |s: &str| super::super::parse_options::<O>(toml::from_str(s).unwrap());
        assert_eq!(parse("").unwrap().mode, Mode::Consistency);
        assert_eq!(parse("mode = \"prefer\"").unwrap().mode, Mode::Prefer);
        let (key, msg) = parse("mode = \"prefered\"").err().unwrap();
        assert_eq!(key.as_deref(), Some("mode"));
        assert!(msg.contains("consistency"), "{msg}");
    }
}
