#![doc = include_str!("consistency.md")]

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use memchr::memmem::Finder;
use schemars::JsonSchema;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::choice::{self, Choice, Choices, Mode, Occurrence};
use super::matcher::{fold, Form, TermSet, TermSetBuilder};
use super::{
    BlockInput, BlockOutput, Checker, DocFact, DocumentInput, Fact, Noted, RuleError, RuleIdx, RuleInput, RuleKind,
    RuleMeta,
};
use crate::diagnostic::Diagnostic;
use crate::text::case::match_case;
use crate::text::words::is_word_char;

/// Variants of which a document uses one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Group {
    /// The spellings; at least two (with `forms`: one per form, in the order of `forms`).
    pub variants: Vec<String>,
    /// The preferred spelling: enforced with `mode = "prefer"`, the tie-break otherwise.
    #[serde(default)]
    pub prefer: Option<String>,
    /// Match variants as whole words (default). `false` for punctuation (`...`/`…`).
    #[serde(default = "yes")]
    pub word: bool,
    /// Match case exactly (default: any case, the fix keeps the found case shape).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Phrases in which a variant is not this choice (`khách hàng ngày`, `đại ngàn`): an
    /// occurrence inside one of them is not counted, reported or rewritten.
    #[serde(default)]
    pub exceptions: Vec<String>,
    /// With the rule's `forms`: the name of a choice of its own that this group makes with
    /// the other groups of the same name, apart from the rest of the rule's groups. For a
    /// word that houses spell on its own (`tỉ` beside `lý`: judged on real news, round 25).
    #[serde(default)]
    pub choice: Option<String>,
}

/// What a term of a group's is: one of its variants (by index), or an exception phrase
/// (matched only so that its variant inside is not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Variant(u32),
    Exception,
}

/// An occurrence of variant `variant` of group `group` (indices in the checker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VariantFact {
    group: u32,
    /// The choice it counts in: its group's, or the group's range twin ([`Options::ranges_apart`]).
    unit: u32,
    variant: u32,
    /// A spaced hyphen that may be the hyphen of a word ([`splits_a_compound`]), or dots
    /// glued to a fourth ([`dots_before_a_dot`]): counted, but `--fix` does not rewrite its
    /// document's group without asking.
    unsure_rewrite: bool,
    /// Inside a closed quotation: the source's words, which may not be the writer's.
    quoted: bool,
    /// Inside a closed quotation in curly marks (`“…”`, `‘…’`), whose pairing straight marks
    /// cannot blur: [`quoted`](Self::quoted) for certain.
    curly_quoted: bool,
    /// A spaced dash between two words in lower case (`hội chợ - triển lãm`, `kinh tế - xã
    /// hội`): as often a compound's hyphen as a dash, so it counts, but a majority that needs
    /// it is not enough for `--fix` to rewrite without asking.
    weak: bool,
    /// A spaced dash between two capitalized words (`Mỹ - Trung`, `Cộng Hòa – Trường Chinh`):
    /// a join of names as often as a dash after a name; a majority that needs such joins
    /// against a minority with a dash elsewhere is not enough for `--fix` either.
    joins_names: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// The groups of variants.
    pub groups: Vec<Group>,
    /// `consistency` (default): flag the minority form of a document that mixes forms;
    /// `prefer`: enforce the preferred form; `off`.
    #[serde(default)]
    pub mode: Mode,
    /// One choice shared by every group: the names of the forms (`["y", "i"]`); each group
    /// lists its variants in this order, and a document's forms are counted over all groups.
    #[serde(default)]
    pub forms: Option<Vec<String>>,
    /// With `forms`: the preferred form's name.
    #[serde(default)]
    pub prefer: Option<String>,
    /// Whether `--fix` may rewrite the minority form without asking (default). `false` where
    /// a variant can sit in a quotation or a name that must not be edited.
    #[serde(default = "yes")]
    pub safe_fix: bool,
    /// Whether `--fix` may rewrite without asking only towards the preferred form: for a
    /// choice whose other form is a variant that dailies avoid (`sỹ` beside `sĩ`), which a
    /// few uses make the majority of (judged HARMFUL on real news, rounds 104 and 106: `ca sĩ`
    /// rewritten `ca sỹ` on two against one). Default `false`.
    #[serde(default)]
    pub safe_fix_to_prefer_only: bool,
    /// Whether variants inside quotation marks or credits are left out (neither counted nor
    /// rewritten): for a choice of words, which a quotation keeps as said (`đảm bảo` in a
    /// quoted speech). Spelling choices (`kĩ`/`kỹ`, `...`/`…`) apply in quotations too.
    #[serde(default)]
    pub skip_quotations: bool,
    /// Words that open a closing credit (`Theo` in `Theo Văn Dũng - Tiến Hiệp/Dân trí`), matched
    /// as written: a spaced dash between the credit's names is not counted (punctuation groups,
    /// `word = false`); nor is one right before such a word that `:` or a capitalized word
    /// follows, a caption's credit (`- Ảnh: Reuters`, `– Theo CNN`), or right before an entry
    /// of several words, whatever follows it (`Ảnh minh` in `- Ảnh minh họa`). Default: none.
    #[serde(default)]
    pub credit_openers: Vec<String>,
    /// Words that close a byline of names joined by dashes (`thực hiện` in `Hải Vân - Anh
    /// Việt - Bùi Sưởng thực hiện.`), matched as written: the dashes between the names are
    /// not counted. Default: none.
    #[serde(default)]
    pub credit_closers: Vec<String>,
    /// Capitalized words that, right after a spaced dash, open a title in apposition (`Phó`
    /// in `ông Phạm Quốc Vượng – Phó Tổng giám đốc`): the dash sets the title off and joins no
    /// two names (see `joins_names`). Default: none.
    #[serde(default)]
    pub apposition_words: Vec<String>,
    /// Words right before a quotation that make it a title (`Dự án`, `chủ đề`, `mang tên`),
    /// matched as written: a variant inside such a quotation (opening with a capital) is the
    /// title's own, neither counted nor rewritten. Default: none.
    #[serde(default)]
    pub title_cues: Vec<String>,
    /// With `skip-quotations`: words that introduce a text reproduced word for word without
    /// quotation marks (`như sau:` before a dispatch's wording), matched as written. The rest
    /// of the block after the first of them is the source's, like a quotation: neither counted
    /// nor rewritten. Default: none.
    #[serde(default)]
    pub reproduction_cues: Vec<String>,
    /// Whether a document that mixes a group's `prefer` form with another is brought to
    /// `prefer` however few its uses, rather than to its majority (default: no). For official
    /// names beside a common misspelling (`Bộ Công Thương`, `Bộ Công thương`): a document
    /// that writes only one form is still left alone.
    #[serde(default)]
    pub mixed_prefers: bool,
    /// Marks after which a variant's space may be missing in the text: with `["."]`,
    /// `TP.Cam Ranh` is counted (and rewritten) as the variant `TP. Cam Ranh`, not left
    /// out of the count (judged on real news, round 52). Default: none.
    #[serde(default)]
    pub unspaced_after: Vec<String>,
    /// Whether a variant between two digits (`8 – 10 giờ`, a range) is its own choice, apart
    /// from the same variant elsewhere (`Hà Nội - Hải Phòng`, a dash): an article that spans
    /// its ranges with one mark and its dashes with the other is consistent (judged on real
    /// news, rounds 55–58). Groups without `forms` only. Default: no.
    #[serde(default)]
    pub ranges_apart: bool,
    /// The message of a range's choice with `ranges-apart` (the same placeholders as
    /// `message`); default: the rule's message.
    #[serde(default)]
    pub ranges_message: Option<String>,
    /// Whether a document whose punctuation variants joining two capitalized words (`Mỹ -
    /// Trung`, `Hà Nội - Hải Phòng`; not before an `apposition-words` title) all take one
    /// form, and whose other occurrences all take the other (`ông A – giám đốc`, an aside),
    /// is consistent: a house that links names with one mark and sets asides off with the
    /// other (judged FALSE or HARMFUL on real news, rounds 92, 93, 113 and 117). A mix
    /// within either use is still reported, counted over both. Default: no.
    #[serde(default)]
    pub names_apart: bool,
}

pub struct Consistency;

struct CompiledGroup {
    unit: u32,
    /// With `ranges-apart`, the choice of the group's variants between two digits.
    range_unit: Option<u32>,
    variants: Vec<String>,
    case_sensitive: bool,
    /// Variants matched without word boundaries (punctuation such as dashes).
    word: bool,
    /// The rule's `unspaced-after` marks.
    unspaced_after: Vec<String>,
}

/// One choice: a group, or with `forms` every group of a rule.
#[derive(Clone)]
struct Unit {
    rule: RuleIdx,
    safe: bool,
    safe_to_prefer_only: bool,
    skip_quotations: bool,
    credit_openers: Vec<String>,
    credit_closers: Vec<String>,
    apposition_words: Vec<String>,
    /// [`Options::names_apart`].
    names_apart: bool,
    title_cues: Vec<String>,
    /// [`Options::reproduction_cues`].
    reproduction_cues: Vec<String>,
    meta: Arc<RuleMeta>,
    choice: Choice,
    labels: Vec<String>,
    /// One choice over many groups (`forms`): a spelling system, of which the groups are a
    /// sample ([`written_outside`]).
    system: bool,
}

impl RuleKind for Consistency {
    const NAME: &'static str = "consistency";
    const DOC: &'static str = include_str!("consistency.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut groups = Vec::new();
        let mut units: Vec<Unit> = Vec::new();
        // Term id → (group, variant).
        let mut owners: Vec<(u32, Role)> = Vec::new();
        let mut terms = TermSetBuilder::new();
        let mut errors = Vec::new();
        for r in rules {
            let opts = r.options;
            let shared = match &opts.forms {
                None => None,
                Some(forms) if forms.len() < 2 => {
                    errors.push(RuleError::new(
                        r.idx,
                        Some("forms".into()),
                        "a choice needs at least two forms",
                    ));
                    continue;
                }
                Some(forms) => {
                    let prefer = match &opts.prefer {
                        None => None,
                        Some(p) => match forms.iter().position(|f| f == p) {
                            Some(i) => Some(i),
                            None => {
                                errors.push(RuleError::new(
                                    r.idx,
                                    Some("prefer".into()),
                                    format!("`prefer = \"{p}\"` is not one of `forms`"),
                                ));
                                continue;
                            }
                        },
                    };
                    match Choice::new(opts.mode, prefer).map(|c| Choice {
                        mixed_prefers: opts.mixed_prefers,
                        ..c
                    }) {
                        Ok(choice) => {
                            units.push(Unit {
                                rule: r.idx,
                                safe: opts.safe_fix,
                                safe_to_prefer_only: opts.safe_fix_to_prefer_only,
                                skip_quotations: opts.skip_quotations,
                                credit_openers: opts.credit_openers.clone(),
                                credit_closers: opts.credit_closers.clone(),
                                apposition_words: opts.apposition_words.clone(),
                                names_apart: opts.names_apart,
                                title_cues: opts.title_cues.clone(),
                                reproduction_cues: opts.reproduction_cues.clone(),
                                meta: r.meta.clone(),
                                choice,
                                labels: forms.clone(),
                                system: true,
                            });
                            Some(((units.len() - 1) as u32, forms.len()))
                        }
                        Err(m) => {
                            errors.push(RuleError::new(r.idx, Some("prefer".into()), m));
                            continue;
                        }
                    }
                }
            };
            if (opts.ranges_apart || opts.ranges_message.is_some()) && shared.is_some() {
                errors.push(RuleError::new(
                    r.idx,
                    Some("ranges-apart".into()),
                    "`ranges-apart` splits a group's own choice; a rule with `forms` has one choice for all its groups",
                ));
                continue;
            }

            if opts.ranges_message.is_some() && !opts.ranges_apart {
                errors.push(RuleError::new(
                    r.idx,
                    Some("ranges-message".into()),
                    "`ranges-message` is the message of `ranges-apart`: set `ranges-apart = true` or remove it",
                ));
                continue;
            }
            if !opts.reproduction_cues.is_empty() && !opts.skip_quotations {
                errors.push(RuleError::new(
                    r.idx,
                    Some("reproduction-cues".into()),
                    "`reproduction-cues` leave reproduced text out as `skip-quotations` leaves quotations: set `skip-quotations = true` or remove it",
                ));
                continue;
            }
            if opts.prefer.is_some() && shared.is_none() {
                errors.push(RuleError::new(
                    r.idx,
                    Some("prefer".into()),
                    "a rule-level `prefer` needs `forms`; without them set `prefer` in each group",
                ));
                continue;
            }
            // The units of the rule's named choices ([`Group::choice`]).
            let mut named: HashMap<String, u32> = HashMap::new();
            for (gi, g) in opts.groups.into_iter().enumerate() {
                let key = |k: &str| Some(format!("groups[{gi}]{k}"));
                let same = |s: &str| -> String {
                    let nfc: String = s.nfc().collect();
                    if g.case_sensitive {
                        nfc
                    } else {
                        fold(&nfc)
                    }
                };
                let keys: Vec<String> = g.variants.iter().map(|v| same(v)).collect();
                if g.variants.len() < 2 {
                    errors.push(RuleError::new(
                        r.idx,
                        key(".variants"),
                        "a group needs at least two variants",
                    ));
                    continue;
                }
                if let Some(i) = (1..keys.len()).find(|&i| keys[..i].contains(&keys[i])) {
                    errors.push(RuleError::new(
                        r.idx,
                        key(&format!(".variants[{i}]")),
                        format!("variant `{}` is listed twice", g.variants[i]),
                    ));
                    continue;
                }
                if g.choice.is_some() && shared.is_none() {
                    errors.push(RuleError::new(
                        r.idx,
                        key(".choice"),
                        "a named choice shares the rule's `forms`; without them each group is its own choice",
                    ));
                    continue;
                }
                let unit = match shared {
                    Some((unit, n)) => {
                        if g.variants.len() != n {
                            errors.push(RuleError::new(
                                r.idx,
                                key(".variants"),
                                format!("with `forms`, a group lists one variant per form ({n})"),
                            ));
                            continue;
                        }
                        if g.prefer.is_some() {
                            errors.push(RuleError::new(
                                r.idx,
                                key(".prefer"),
                                "with `forms`, the preferred form is the rule's `prefer`",
                            ));
                            continue;
                        }
                        match &g.choice {
                            None => unit,
                            // A named choice: a unit like the rule's, one per name.
                            Some(name) => *named.entry(name.clone()).or_insert_with(|| {
                                let own = units[unit as usize].clone();
                                units.push(own);
                                (units.len() - 1) as u32
                            }),
                        }
                    }
                    None => {
                        let prefer = match &g.prefer {
                            None => None,
                            Some(p) => match keys.iter().position(|k| *k == same(p)) {
                                Some(i) => Some(i),
                                None => {
                                    errors.push(RuleError::new(
                                        r.idx,
                                        key(".prefer"),
                                        format!("`prefer = \"{p}\"` is not one of the group's variants"),
                                    ));
                                    continue;
                                }
                            },
                        };
                        match Choice::new(opts.mode, prefer).map(|c| Choice {
                            mixed_prefers: opts.mixed_prefers,
                            ..c
                        }) {
                            Ok(choice) => units.push(Unit {
                                rule: r.idx,
                                safe: opts.safe_fix,
                                safe_to_prefer_only: opts.safe_fix_to_prefer_only,
                                skip_quotations: opts.skip_quotations,
                                credit_openers: opts.credit_openers.clone(),
                                credit_closers: opts.credit_closers.clone(),
                                apposition_words: opts.apposition_words.clone(),
                                names_apart: opts.names_apart,
                                title_cues: opts.title_cues.clone(),
                                reproduction_cues: opts.reproduction_cues.clone(),
                                meta: r.meta.clone(),
                                choice,
                                labels: g.variants.clone(),
                                system: false,
                            }),
                            Err(m) => {
                                errors.push(RuleError::new(r.idx, key(".prefer"), m));
                                continue;
                            }
                        }
                        (units.len() - 1) as u32
                    }
                };
                // A twin of the group's own unit for its ranges, with the range message.
                let range_unit = (opts.ranges_apart && shared.is_none()).then(|| {
                    let mut twin = units[unit as usize].clone();
                    if let Some(message) = &opts.ranges_message {
                        twin.meta = Arc::new(RuleMeta {
                            message: message.clone(),
                            ..(*twin.meta).clone()
                        });
                    }
                    units.push(twin);
                    (units.len() - 1) as u32
                });
                let group = groups.len() as u32;
                for (vi, v) in g.variants.iter().enumerate() {
                    // A variant of two syllables is a word of its own: a neighbour that makes a
                    // word with its edge does not cut it (`bữa ăn hàng ngày`, with `ăn hàng`, was
                    // left uncounted, and the article's one `hằng ngày` outvoted it: judged FALSE
                    // on real news, rounds 95 and 98).
                    if g.word {
                        if let Ok(c) = crate::text::compounds::Compounds::with_extra(std::slice::from_ref(v)) {
                            terms.add_compounds(&c);
                        }
                    }
                    if !terms.add(v, g.case_sensitive, g.word, owners.len() as u32) {
                        errors.push(RuleError::new(
                            r.idx,
                            key(&format!(".variants[{vi}]")),
                            "a variant is empty",
                        ));
                    }
                    owners.push((group, Role::Variant(vi as u32)));
                    for mark in &opts.unspaced_after {
                        let spaced = format!("{mark} ");
                        if mark.is_empty() || !v.contains(&spaced) {
                            continue;
                        }
                        let glued = v.replace(&spaced, mark);
                        if !g.variants.contains(&glued) {
                            terms.add(&glued, g.case_sensitive, g.word, owners.len() as u32);
                            owners.push((group, Role::Variant(vi as u32)));
                        }
                    }
                }
                for (ei, x) in g.exceptions.iter().enumerate() {
                    if !terms.add(x, g.case_sensitive, g.word, owners.len() as u32) {
                        errors.push(RuleError::new(
                            r.idx,
                            key(&format!(".exceptions[{ei}]")),
                            "an exception is empty",
                        ));
                    }
                    owners.push((group, Role::Exception));
                }
                groups.push(CompiledGroup {
                    unit,
                    range_unit,
                    variants: g.variants,
                    case_sensitive: g.case_sensitive,
                    word: g.word,
                    unspaced_after: opts.unspaced_after.clone(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Box::new(ConsistencyChecker {
            system_syllables: units.iter().map(|_| std::sync::OnceLock::new()).collect(),
            groups,
            units,
            owners,
            terms: terms.build(),
        }))
    }
}

struct ConsistencyChecker {
    groups: Vec<CompiledGroup>,
    units: Vec<Unit>,
    /// Per term id: its group and role.
    owners: Vec<(u32, Role)>,
    terms: TermSet,
    /// Per unit, [`ConsistencyChecker::system_syllables`]: the same for every document, so
    /// built once (asked of most documents that write a spelling system's word).
    system_syllables: Vec<std::sync::OnceLock<Vec<(String, String)>>>,
}

/// Whether the match at `range` of a variant spelled `variant` in the rule is part of a proper
/// name: it starts with a capital and a capitalized word follows it (`Tổ chức Kỷ lục Việt
/// Nam`), or, for a common word written with a capital, precedes it (`Khu Quản lý giao thông
/// đô thị số 1`, `Lê Văn Sỹ`), or is written with each syllable capitalized inside a sentence
/// (`kênh Hy Vọng`). A variant that is itself a name (`TP Hà Nội`) stays a variant after a
/// capitalized word (`UBND TP Hà Nội`).
fn in_capitalized_run(text: &str, range: std::ops::Range<usize>, variant: &str) -> bool {
    let starts_upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    if !starts_upper(&text[range.clone()]) {
        return false;
    }
    let common_word = variant.chars().next().is_some_and(char::is_lowercase);
    // A common word of several syllables, each capitalized, inside a sentence (`kênh Hy Vọng`,
    // a canal: judged FALSE on real news, round 67, counted as the `y` spelling of `hy vọng`).
    let found = &text[range.clone()];
    let title_cased = found.contains(' ') && found.split(' ').all(starts_upper);
    let inside_a_sentence = text[..range.start]
        .trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == ',');
    // `Đời sống & Pháp lý`, a publication's name joined by an ampersand (judged HARMFUL on
    // real news, round 122: the credit respelled `Pháp lí`).
    let after_an_ampersand = text[..range.start].trim_end().ends_with('&');
    crate::text::compounds::syllable_after(text, range.end).is_some_and(starts_upper)
        || common_word && crate::text::compounds::syllable_before(text, range.start).is_some_and(starts_upper)
        || common_word && (title_cased || capital_mid_name(text, range.start)) && inside_a_sentence
        || common_word && after_an_ampersand
        || common_word && after_a_capitalized_list_item(text, range.start)
}

/// The most words of a list item [`after_a_capitalized_list_item`] reads back.
const LIST_ITEM_WORDS: usize = 8;

/// Whether `start` opens an item of a list of names: a comma before it, and the item before
/// that comma (back to a comma, a colon, a semicolon or a bracket, at most
/// [`LIST_ITEM_WORDS`] words) opens with a capital inside its sentence (`8 ngành: Công nghệ
/// thực phẩm, Đảm bảo chất lượng và an toàn thực phẩm`, a university major's name: judged
/// FALSE on real news, round 132, counted and rewritten as the article's `bảo đảm`).
fn after_a_capitalized_list_item(text: &str, start: usize) -> bool {
    let before = crate::text::context::before(text, start, 160).trim_end();
    let Some(head) = before.strip_suffix(',') else {
        return false;
    };
    let Some(open) = head.rfind([',', ':', ';', '(']) else {
        return false;
    };
    let item = head[open + 1..].trim_start();
    let words = item.split_whitespace().count();
    item.starts_with(char::is_uppercase)
        && (1..=LIST_ITEM_WORDS).contains(&words)
        && !item.contains(['.', '!', '?', '"', '“', '”', ')'])
}

/// Whether a capitalized word at `start` inside a sentence continues a name begun by a
/// capitalized word two or three syllables back (`Mạng lưới Đảm bảo chất lượng`, a network's
/// name: judged on real news, round 71; `Tổng công ty Bảo đảm an toàn hàng hải`, round 86:
/// each counted as the article's `đảm bảo`), with only lower-case words between.
fn capital_mid_name(text: &str, start: usize) -> bool {
    let before = crate::text::context::before(text, start, 64);
    let word = |w: &str| w.chars().all(char::is_alphabetic);
    let mut words = before.split_whitespace().rev();
    let Some(one) = words.next() else { return false };
    if !word(one) || !one.starts_with(char::is_lowercase) {
        return false;
    }
    for _ in 0..2 {
        let Some(w) = words.next() else { return false };
        if !word(w) {
            return false;
        }
        if w.starts_with(char::is_uppercase) {
            // The name's first word: no sentence's first (`Anh học Kỹ thuật`), nor the end of
            // another name (`Hà Nội và nhiều Nghệ sỹ`, `Champions League năm nay Lý do`).
            let at = w.as_ptr() as usize - text.as_ptr() as usize;
            let title_word = |p: &str| {
                let mut chars = p.chars();
                chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
            };
            let ends_a_name = words.next().is_some_and(title_word);
            return !ends_a_name && !crate::text::case::is_sentence_start(text, at);
        }
    }
    false
}

/// Whether a name's form (`TP HCM`, a variant that starts with a capital, matched as written)
/// at `range` ends a title that opens with a capital inside a sentence, lower-case words
/// between, and a subtitle follows (`thuộc về Mùa xuân TP HCM - Bước vào kỷ nguyên mới`, a
/// programme's title): the title's own form, neither counted nor rewritten (judged FALSE and
/// HARMFUL on real news, round 86: the safe fix respelled the title to the article's `TPHCM`).
fn in_an_unquoted_title(text: &str, range: &std::ops::Range<usize>, group: &CompiledGroup, variant: u32) -> bool {
    if !(group.word && group.case_sensitive && group.variants[variant as usize].starts_with(char::is_uppercase)) {
        return false;
    }
    // A subtitle after a spaced dash, opening with a capital: a work's title, where a body's
    // name (`Bí thư Thành ủy TP HCM`, `Công an TPHCM`) goes on with the sentence.
    let subtitle = text[range.end..]
        .strip_prefix(' ')
        .and_then(|a| a.strip_prefix(['-', '–', '—']))
        .and_then(|a| a.strip_prefix(' '));
    if !subtitle.is_some_and(|s| s.starts_with(char::is_uppercase)) {
        return false;
    }
    let lower_word = |w: &str| w.chars().all(char::is_lowercase);
    let before = crate::text::context::before(text, range.start, 64);
    let mut words = before.split_whitespace().rev();
    let Some(one) = words.next() else { return false };
    if !lower_word(one) {
        return false;
    }
    for _ in 0..2 {
        let Some(w) = words.next() else { return false };
        let mut chars = w.chars();
        if chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase) {
            // The title's first word, right after a lower-case word of the sentence (not
            // after an abbreviation or a name: `ĐH Bách khoa TPHCM` is a body's name).
            return words.next().is_some_and(lower_word);
        }
        if !lower_word(w) {
            return false;
        }
    }
    false
}

/// The most occurrences a word's majority against the preferred form may have and still be
/// too thin to rewrite by (with fewer than twice the runner-up's).
const THIN_MAJORITY_MOST: usize = 3;

/// Whether a form of dots (`...`) is part of a row of five dots or more: a form's blank to
/// fill in (`Tín chủ con là: ..........`), not an ellipsis (judged FALSE on real news, round
/// 34: a prayer template's blanks outvoted the article's one `…`). Two bytes either side are
/// enough to tell, so a long row costs nothing more.
/// Whether the dots at `range` hide part of an e-mail or web address (`nguyenhoa...@gmail.com`,
/// `dichvudoi...com`): glued to an ASCII letter or digit before, and to `@` or a domain's
/// ending after (judged HARMFUL on real news, round 111: the fix wrote `…` into an address).
fn masks_an_address(text: &str, range: &std::ops::Range<usize>) -> bool {
    let b = text.as_bytes();
    if range.is_empty() || !b[range.clone()].iter().all(|&c| c == b'.') {
        return false;
    }
    let after = &text[range.end..];
    range.start > 0
        && b[range.start - 1].is_ascii_alphanumeric()
        && (after.starts_with('@') || crate::text::words::starts_with_domain_ending(after))
}

fn in_a_row_of_dots(text: &str, range: &std::ops::Range<usize>) -> bool {
    let b = text.as_bytes();
    if range.is_empty() || !b[range.clone()].iter().all(|&c| c == b'.') {
        return false;
    }
    let dot = |i: Option<usize>| i.and_then(|i| b.get(i)).is_some_and(|&c| c == b'.');
    let before = (1..=2).take_while(|&k| dot(range.start.checked_sub(k))).count();
    let after = (0..2).take_while(|&k| dot(Some(range.end + k))).count();
    range.len() + before + after >= 5
}

/// Whether an ellipsis, three dots or `…`, has a dot right after it (`hơn một năm.... chưa
/// mở`, `tìm đến….Tuy`): the rewrite would leave `…. chưa` or `.... Tuy` (judged HARMFUL on
/// real news, round 87, in a headline; NEUTRAL in round 89), and whether the dot ends a
/// sentence is the writer's to say.
fn dots_before_a_dot(text: &str, range: &std::ops::Range<usize>) -> bool {
    let found = &text[range.clone()];
    (found == "…" || found.bytes().all(|b| b == b'.')) && text.as_bytes().get(range.end) == Some(&b'.')
}

/// Whether a form with a dot and a space inside (`TP. Thái Bình`, not `TP.HCM`) is followed by nothing but at most a
/// few capitalized words to the end of its block: the dot may end the block's last sentence
/// before a byline the crawler ran in (`… thực tế tại TP.` then `Thái Bình`), so dropping
/// it is the writer's to say (judged HARMFUL on real news, round 115: a safe fix took the
/// sentence's stop).
fn dot_may_end_the_block(text: &str, range: &std::ops::Range<usize>) -> bool {
    const BYLINE_WORDS: usize = 3;
    let found = &text[range.clone()];
    if !found.contains(". ") {
        return false;
    }
    // At most a few words are read: a long block with many such forms stays linear.
    let mut words = text[range.end..].split_whitespace();
    let byline: Vec<&str> = words.by_ref().take(BYLINE_WORDS).collect();
    words.next().is_none()
        && byline
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic))
}

/// Whether the form at `start` is glued with a hyphen or a slash after a code in capitals
/// (`Hà Khánh/VOV-TP.HCM`, a bureau's signature in a closing credit; judged FALSE on real
/// news, round 33: the signature's spelling was counted against the article's `TPHCM`).
fn glued_to_a_code(text: &str, start: usize) -> bool {
    let Some(before) = text[..start].strip_suffix(['-', '/']) else {
        return false;
    };
    let code = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    code.chars().count() >= 2 && code.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Whether a spaced dash at `range` is the hyphen of a document number typed with stray spaces
/// (`89/2016/QĐ - UBND`, judged on real news: a safe fix wrote an en dash into the citation): the
/// word before it is a code with a slash ending in a capital, the word after starts with one;
/// or of a licence plate (`77C - 030.86`); or a number before an issuer's code (`40 – CT/TW`).
fn splits_a_document_number(text: &str, range: std::ops::Range<usize>) -> bool {
    let inner = text[range.clone()].trim();
    if !matches!(inner, "-" | "–" | "—") {
        return false;
    }
    let before = &text[..range.start];
    let code = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let mut after = text[range.end..].chars().take_while(|c| c.is_alphanumeric()).peekable();
    let capitals_after =
        after.peek().is_some_and(|c| c.is_uppercase()) && after.all(|c| c.is_uppercase() || c.is_ascii_digit());
    if capitals_after && (code_with_a_slash(code) || spaced_code_with_a_slash(before)) {
        return true;
    }
    // `Chỉ thị 40 – CT/TW`: a number, then the issuer's code with its slash (judged FALSE on
    // real news, round 55: six citations of one directive outvoted the article's dashes).
    let token_after = text[range.end..].split(char::is_whitespace).next().unwrap_or("");
    if capitals_after && !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) && token_after.contains('/') {
        return true;
    }
    // A licence plate typed with stray spaces (`BKS 77C - 030.86`, judged on real news: a safe
    // fix wrote `77C – 030.86`): a series of digits and a capital, then the plate's digits.
    let mut series = code.chars();
    series.next().is_some_and(|c| c.is_ascii_digit())
        && code.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && series.any(|c| c.is_ascii_uppercase())
        && text[range.end..].chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Whether a spaced dash at `range` may be the hyphen of one word typed with spaces (`cầm vô -
/// lăng là`, the loan word `vô-lăng`): between two lower-case syllables that make a word of the
/// built-in compounds, neither of which makes one with its other neighbour (`đầu tư – thương
/// mại` is two words) nor is a function word. Such a pair is as often a pair of words joined by a
/// dash (`giá mua – bán`), so it still counts; but rewriting it is not safe. Judged on real news
/// (round 13): the safe fix wrote `vô – lăng`.
fn splits_a_compound(text: &str, range: std::ops::Range<usize>) -> bool {
    use crate::text::compounds::{is_builtin_compound, is_function_word, syllable_after, syllable_before};
    use crate::text::words::is_word_char;
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let before = &text[..range.start];
    let start = range.start - crate::text::words::trailing_word(before).len();
    let after = &text[range.end..];
    let len: usize = after.chars().take_while(|&c| is_word_char(c)).map(char::len_utf8).sum();
    let lower = |w: &str| !w.is_empty() && w.chars().all(char::is_lowercase) && !is_function_word(w);
    let (a, b) = (&before[start..], &after[..len]);
    lower(a)
        && lower(b)
        && is_builtin_compound(a, b)
        && !syllable_before(text, start).is_some_and(|w| is_builtin_compound(w, a))
        && !syllable_after(text, range.end + len).is_some_and(|w| is_builtin_compound(b, w))
}

/// Whether a spaced dash at `range` joins two compounds in lower case (`kinh tế - xã hội`,
/// `hội chợ - triển lãm`): a pair's hyphen typed with spaces, no dash (judged FALSE and
/// DEBATABLE on real news, rounds 53 and 55: counted, such pairs outvoted or tied the
/// article's one real dash).
fn joins_two_compounds(text: &str, range: std::ops::Range<usize>) -> bool {
    use crate::text::compounds::{is_builtin_compound, syllable_after, syllable_before};
    if !between_lower_words(text, range.clone()) {
        return false;
    }
    use crate::text::words::is_word_char;
    // The words touching the dash's spaces: `tế` and `xã` in `kinh tế - xã hội`.
    let a1_start = range.start - crate::text::words::trailing_word(&text[..range.start]).len();
    let b0_end = range.end
        + text[range.end..]
            .chars()
            .take_while(|&c| is_word_char(c))
            .map(char::len_utf8)
            .sum::<usize>();
    let (a1, b0) = (&text[a1_start..range.start], &text[range.end..b0_end]);
    // In lower case, or opening a sentence (`Hội chợ - triển lãm`): a capital inside the
    // sentence ends a name, and a dash after a name opens an apposition (`Tòa án Hiến pháp –
    // cơ quan “cầm cân nảy mực”`, read over baomoi).
    syllable_before(text, a1_start).is_some_and(|a0| {
        let a0_start = a0.as_ptr() as usize - text.as_ptr() as usize;
        (a0.chars().all(char::is_lowercase) || crate::text::case::is_sentence_start(text, a0_start))
            && is_builtin_compound(&a0.to_lowercase(), a1)
    }) && syllable_after(text, b0_end)
        .is_some_and(|b1| b1.chars().all(char::is_lowercase) && is_builtin_compound(b0, b1))
}

/// The most words between the two dashes of an aside (`- thay vì cá nhân -`).
const ASIDE_WORDS: usize = 8;

/// Whether `found` is a dash with a space either side (` - `, ` – `, ` — `).
fn is_spaced_dash(found: &str) -> bool {
    found.starts_with(' ') && found.ends_with(' ') && matches!(found.trim(), "-" | "–" | "—")
}

/// Whether a spaced dash at `range` stands between two words in lower case (`hội chợ -
/// triển lãm`), digits excluded.
/// The word that starts at `at`, after any spaces (empty when none does).
fn word_at(text: &str, at: usize) -> &str {
    let rest = text[at..].trim_start_matches([' ', '\u{a0}']);
    let len = rest
        .find(|c: char| !crate::text::words::is_word_char(c))
        .unwrap_or(rest.len());
    &rest[..len]
}

/// Whether a spaced dash at `range` stands between two capitalized words (see
/// [`VariantFact::joins_names`]).
fn between_capitalized_words(text: &str, range: std::ops::Range<usize>) -> bool {
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let word_before = text[..range.start]
        .rsplit(|c: char| !crate::text::words::is_word_char(c))
        .next()
        .unwrap_or("");
    // A combining mark ends a word in NFD (`Mỹ` decomposed).
    before.is_some_and(|c| crate::text::words::is_word_char(c) && !c.is_numeric())
        && word_before.starts_with(char::is_uppercase)
        && after.is_some_and(char::is_uppercase)
}

fn between_lower_words(text: &str, range: std::ops::Range<usize>) -> bool {
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    before.is_some_and(char::is_lowercase) && after.is_some_and(char::is_lowercase)
}

/// How far from the block's end a closing byline or a CMS stamp's bar may be (bytes).
const CLOSING_REACH: usize = 240;

/// Whether a spaced dash at `range` joins the two names of a byline closing the block
/// (`Dam Aleanh - Đặng Lê Lành`, judged on real news: the byline's hyphen was counted against
/// the article's one en dash): a capitalized word before it, and after it only two to five
/// capitalized words up to the end of the block, or up to a closing source in brackets
/// (`Đăng Đức - Tuấn Linh (Tổng hợp từ Marca)`, judged on real news, round 29). With one
/// of the pack's `credit-closers` at its end, the byline may join up to four names with
/// dashes (`Hải Vân - Anh Việt - Bùi Sưởng thực hiện.`, judged on real news, round 33).
fn joins_a_closing_byline(text: &str, range: std::ops::Range<usize>, closers: &[String]) -> bool {
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic);
    // A byline is short and ends its block: a longer rest is prose (and reading it for
    // every dash of a long block would be quadratic).
    if text.len() - range.end > CLOSING_REACH {
        return false;
    }
    let mut after = text[range.end..].trim_end();
    if let Some(open) = after.strip_suffix(')').and_then(|a| a.rfind('(')) {
        let source = &after[open + 1..after.len() - 1];
        if source.split_whitespace().count() <= 8 && !source.contains(['(', ')', '.', ',', ';', '!', '?']) {
            after = &after[..open];
        }
    }
    let name_before = text[..range.start].split_whitespace().next_back().is_some_and(upper);
    let name: Vec<&str> = after.split_whitespace().collect();
    if (2..=5).contains(&name.len()) && name.iter().all(|w| upper(w)) {
        return name_before;
    }
    let Some(names) = closers.iter().find_map(|c| {
        let rest = after.trim_end_matches('.').strip_suffix(c.as_str())?;
        rest.ends_with(' ').then_some(rest)
    }) else {
        return false;
    };
    let dash = |w: &&str| matches!(*w, "-" | "–" | "—");
    let words: Vec<&str> = names.split_whitespace().collect();
    name_before
        && words.iter().filter(|w| dash(w)).count() <= 3
        && words
            .split(dash)
            .all(|n| (1..=4).contains(&n.len()) && n.iter().all(|w| upper(w)))
}

/// Whether a spaced dash at `range` joins a word to one of the pack's `credit-labels` that
/// opens a credit (`Tin - ảnh: Sỹ Hưng`, `Bài - ảnh: …`): part of the label, not of the
/// text. Judged on real news (round 28): counted, the credit's hyphen tied the text's 2–1
/// mix and turned the majority en dash into the minority.
fn joins_a_credit_label(text: &str, range: std::ops::Range<usize>, labels: &[String]) -> bool {
    if labels.is_empty() || !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let rest = &text[range.end..];
    let word_before = text[..range.start].split_whitespace().next_back();
    word_before.is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic))
        && labels.iter().any(|label| {
            rest.strip_prefix(label.as_str())
                .is_some_and(|after| after.starts_with(':'))
        })
}

/// Whether a spaced dash at `range` joins two names right after a credit's label and its colon
/// (`VIDEO: … - Thực hiện: Lê Nam - Lưu Trân`, `Ảnh: Quang Đán - Minh Hà`): one to four
/// capitalized words on each side, the label one of `labels` (the pack's `credit-labels` or
/// the rule's `credit-openers`). Judged HARMFUL on real news (round 61: counted, a video
/// credit's hyphen was the article's one, and the safe fix rewrote it).
fn joins_names_after_a_credit_label(text: &str, range: std::ops::Range<usize>, labels: &[&[String]]) -> bool {
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let name = |w: &str| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic);
    let before = crate::text::context::before(text, range.start, CREDIT_NAME_BYTES);
    let Some(colon) = before.rfind(':') else {
        return false;
    };
    let names: Vec<&str> = before[colon + 1..].split_whitespace().collect();
    // The label may go on in lower case (`Ảnh minh họa:`, `Ảnh tư liệu:`, judged HARMFUL on
    // real news, round 62: `Ảnh minh họa: Trọng Đạt - TTXVN` rewritten).
    let mut label = before[..colon].trim_end();
    let mut labelled = false;
    for _ in 0..3 {
        labelled |= labels.iter().flat_map(|l| l.iter()).any(|l| {
            label
                .strip_suffix(l.as_str())
                .is_some_and(|b| b.is_empty() || b.ends_with(|c: char| !c.is_alphanumeric()))
        });
        match label.rsplit_once(' ') {
            Some((rest, word)) if word.starts_with(char::is_lowercase) => label = rest.trim_end(),
            _ => break,
        }
    }
    let after = text[range.end..].split_whitespace().next();
    labelled && (1..=4).contains(&names.len()) && names.iter().all(|w| name(w)) && after.is_some_and(name)
}

/// Whether a spaced dash at `range` joins a credit's names to its agency (`Ảnh: Quang Đán -
/// TTXVN`): one of the pack's `credit-labels` with its colon, one to four capitalized words,
/// the dash, then a word in capitals. Judged FALSE on real news (round 38): two such credits
/// outvoted the text's en dash.
fn joins_a_credits_agency(text: &str, range: std::ops::Range<usize>, labels: &[String]) -> bool {
    if labels.is_empty() || !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let agency = text[range.end..]
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if agency.chars().count() < 2 || !agency.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    let before = crate::text::context::before(text, range.start, CREDIT_NAME_BYTES);
    let Some(colon) = before.rfind(':') else {
        return false;
    };
    let label = before[..colon].split_whitespace().next_back().unwrap_or("");
    let names: Vec<&str> = before[colon + 1..].split_whitespace().collect();
    labels.iter().any(|l| l == label)
        && (1..=4).contains(&names.len())
        && names.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic() || c == '.')
        })
}

/// How many bytes [`joins_a_credits_agency`] reads back for the label and the names.
const CREDIT_NAME_BYTES: usize = 64;

/// Whether a spaced dash at `range` joins two reporters' names in a closing credit: one of
/// `openers` and one to four capitalized words before it, and after it one to four capitalized
/// words, the last glued by `/` to the publication (`Theo Văn Dũng - Tiến Hiệp/Dân trí`), then a
/// few words without punctuation up to the end of the block. Judged on real news (round 13):
/// counted, the credit's hyphen (printed twice) outvoted the article's en dashes.
fn joins_a_closing_credit(text: &str, range: std::ops::Range<usize>, openers: &[String]) -> bool {
    if openers.is_empty() || !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let name = |w: &str| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic);
    // Before: `Opener Name…`, within a bounded look-back (a credit is short).
    use crate::text::context::{after, before, CONTEXT_BYTES};
    let before = before(text, range.start, CONTEXT_BYTES);
    let mut words = before.split_whitespace().rev();
    let mut names = 0;
    let opened = loop {
        match words.next() {
            Some(w) if openers.iter().any(|o| o == w) => break names > 0,
            Some(w) if name(w) && names < 4 => names += 1,
            _ => break false,
        }
    };
    if !opened {
        return false;
    }
    // After: `Name… Name/Publication …` to the end of the block.
    let after = after(text, range.end, CONTEXT_BYTES);
    if range.end + after.len() < text.len() {
        return false;
    }
    let mut words = after.split_whitespace();
    for _ in 0..4 {
        let Some(w) = words.next() else { return false };
        if let Some((last, paper)) = w.split_once('/') {
            let rest: Vec<&str> = words.take(13).collect();
            return name(last)
                && paper.chars().next().is_some_and(char::is_uppercase)
                && rest.len() <= 12
                && !rest
                    .iter()
                    .any(|w| w.contains(|c: char| ",;:!?“”\"()|…".contains(c)) || w.ends_with('.'));
        }
        if !name(w) {
            return false;
        }
    }
    false
}

/// Whether a spaced dash at `range` opens a photo caption's credit: one of `openers` right
/// after it, followed by `:` or by a capitalized word (`- Ảnh: Reuters`, `– Theo CNN`), or an
/// opener of several words, which needs nothing after it (vi-news's `Ảnh minh` for `- Ảnh minh
/// họa: P.D`). The credit form of a caption, not a dash of the prose: judged on real news
/// (round 13), counted, such hyphens outvoted the text's en dashes.
fn opens_a_caption_credit(text: &str, range: std::ops::Range<usize>, openers: &[String]) -> bool {
    if openers.is_empty() || !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let rest = crate::text::context::after(text, range.end, crate::text::context::CONTEXT_BYTES);
    let opens_with = |opener: &String| {
        let mut words = rest.split_whitespace();
        let mut n = 0;
        // The label's colon may follow its last word (`- Thực hiện: Lưu Trân`, round 41).
        opener.split_whitespace().all(|o| {
            n += 1;
            words.next().map(|w| w.strip_suffix(':').unwrap_or(w)) == Some(o)
        }) && n > 1
    };
    if openers.iter().any(opens_with) {
        return true;
    }
    let mut words = rest.split_whitespace();
    let Some(first) = words.next() else { return false };
    // An opener in brackets is a caption's credit, whatever follows it (`dư luận - (Ảnh cắt
    // từ clip)`, judged FALSE on real news, round 38).
    if let Some(inner) = first.strip_prefix('(') {
        return openers.iter().any(|o| o == inner.trim_end_matches([':', ')']));
    }
    let (opener, colon) = match first.strip_suffix(':') {
        Some(o) => (o, true),
        None => (first, false),
    };
    if !openers.iter().any(|o| o == opener) {
        return false;
    }
    colon
        || words
            .next()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Whether `code` has a slash and ends in a capital (`89/2016/QĐ`).
fn code_with_a_slash(code: &str) -> bool {
    code.contains('/') && code.chars().next_back().is_some_and(char::is_uppercase)
}

/// Whether `before` ends with a document number's code whose last part is spaced around an
/// `&` (`số 216/SGD & ĐT`, judged HARMFUL on real news, round 38: the safe fix wrote an en
/// dash into `216/SGD & ĐT - VP`): a word with a slash, then `&` and words in capitals.
fn spaced_code_with_a_slash(before: &str) -> bool {
    let near = crate::text::context::before(before, before.len(), SPACED_CODE_BYTES);
    let words: Vec<&str> = near.split_whitespace().rev().take(4).collect();
    let capitals = |w: &&&str| w.chars().all(|c| c.is_uppercase() || c == '&');
    let tail = words.iter().take_while(capitals).count().min(3);
    words[..tail].contains(&"&") && words.get(tail).is_some_and(|w| code_with_a_slash(w))
}

/// How many bytes [`spaced_code_with_a_slash`] reads back.
const SPACED_CODE_BYTES: usize = 48;

/// Whether `range` sits in a quotation that opens with a capital right after one of `cues`
/// (`Dự án “Thí điểm đưa bác sĩ trẻ …”`): a title, whose words are its own (judged HARMFUL
/// on real news, round 66: the safe fix respelled `bác sĩ` inside a project's title). The
/// opening mark is looked for within [`QUOTED_NAME_BYTES`], with no closing mark between
/// (linear time).
fn in_a_cued_title(text: &str, range: &std::ops::Range<usize>, cues: &[String]) -> bool {
    if cues.is_empty() {
        return false;
    }
    let before = crate::text::context::before(text, range.start, QUOTED_NAME_BYTES);
    let Some(open) = before.rfind(['“', '”', '"']) else {
        return false;
    };
    let mark = before[open..].chars().next().unwrap_or(' ');
    if mark == '”' || !before[open + mark.len_utf8()..].starts_with(char::is_uppercase) {
        return false;
    }
    let lead = before[..open].trim_end();
    cues.iter().any(|c| {
        lead.strip_suffix(c.as_str())
            .is_some_and(|b| b.is_empty() || b.ends_with(|ch: char| !crate::text::words::is_word_char(ch)))
    })
}

/// The closed quotations among a block's protected `spans`: curly pairs, and straight double
/// ones with `straight`.
fn closed_quotations(text: &str, spans: &[std::ops::Range<usize>], straight: bool) -> Protected {
    let closed = |p: &&std::ops::Range<usize>| {
        let inner = text.get((*p).clone()).unwrap_or_default();
        (inner.starts_with('“') && inner.ends_with('”'))
            || (inner.starts_with('‘') && inner.ends_with('’'))
            || (straight && inner.len() > 1 && inner.starts_with('"') && inner.ends_with('"'))
    };
    Protected::new(spans.iter().filter(closed).cloned().collect())
}

/// Where the text reproduced after the first of `cues` in `text` starts ([`Options::reproduction_cues`]).
fn reproduction_start(text: &str, cues: &[String]) -> Option<usize> {
    cues.iter()
        .filter(|c| !c.is_empty())
        .filter_map(|c| text.find(c.as_str()).map(|at| at + c.len()))
        .min()
}

/// Whether a spaced dash at `range` sits in a parenthesized gloss that follows a quoted name
/// (`“Ly Nha Ky - The new voice of Vietnam” (Lý Nhã Kỳ - Tiếng nói mới của Việt Nam)`): the
/// gloss copies the name's dash, and is no more the prose's than the name (judged HARMFUL on
/// real news, round 38: the safe fix made the gloss differ from its name).
fn in_a_quoted_names_gloss(text: &str, range: &std::ops::Range<usize>) -> bool {
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let before = crate::text::context::before(text, range.start, QUOTED_NAME_BYTES);
    let Some(open) = before.rfind('(') else {
        return false;
    };
    if before[open..].contains([')', '.', '!', '?']) {
        return false;
    }
    // A gloss names, as its name does: it opens with a capital (not `“được” (nhưng rồi - …)`).
    let capitalized = before[open + 1..].chars().next().is_some_and(char::is_uppercase);
    let quoted = capitalized && before[..open].trim_end().ends_with(['”', '"']);
    let after = crate::text::context::after(text, range.end, QUOTED_NAME_BYTES);
    let closed = after
        .find([')', '(', '.', '!', '?'])
        .is_some_and(|i| after[i..].starts_with(')'));
    quoted && closed
}

/// The most words a quoted name has (`“Quy hoạch tổng thể phát triển Khu Du lịch Quốc gia
/// Sơn Trà – TP.Đà Nẵng”` has 14), and its most bytes: a longer quotation is not read, so
/// a quotation of many dashes costs no more than its length once (linear time).
const QUOTED_NAME_WORDS: usize = 24;
const QUOTED_NAME_BYTES: usize = 320;

/// Whether a spaced dash at `range` sits in a quoted name: a quotation that starts with a
/// capital and holds no sentence's end (the title of a plan, a contest's theme, a work),
/// its marks found within a few hundred bytes either side (a stray mark earlier in the
/// paragraph does not hide it). Its dash is the name's own: neither counted nor rewritten
/// (judged FALSE on real news, rounds 31 and 32: `“Thức tỉnh tiềm năng con người – Cơ hội
/// cho người tị nạn”` rewritten with a hyphen).
fn in_a_quoted_name(text: &str, range: &std::ops::Range<usize>) -> bool {
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let before = crate::text::context::before(text, range.start, QUOTED_NAME_BYTES);
    let Some((open_at, open)) = before.char_indices().rev().find(|&(_, c)| matches!(c, '“' | '”' | '"')) else {
        return false;
    };
    let close = if open == '“' {
        '”'
    } else if open == '"' {
        '"'
    } else {
        return false;
    };
    let after = crate::text::context::after(text, range.end, QUOTED_NAME_BYTES);
    let close_at = match after.find(['“', '”', '"']) {
        // A curly name closed by a straight mark (`“Tình hữu nghị Việt Nam – Lào; …"`,
        // judged FALSE on real news, round 70) is still closed.
        Some(i) if after[i..].starts_with(close) || (open == '“' && after[i..].starts_with('"')) => i,
        Some(_) => return false,
        // The closing mark lost where a caption was run into the text (`cuộc thi “Tẩy giun
        // học đường - 2017 Ngoài ra`, judged HARMFUL on real news, round 35): the name is
        // read up to its dash, and a number or a capital must follow the dash.
        None => {
            let next = text[range.end..].chars().next();
            if !next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
                return false;
            }
            0
        }
    };
    let inner = format!(
        "{}{}{}",
        &before[open_at + open.len_utf8()..],
        &text[range.clone()],
        &after[..close_at]
    );
    // A stop inside a word (`TP.Đà Nẵng`) ends no sentence; a semicolon joins a name's
    // parts (`Việt Nam – Lào; TPHCM – Thủ đô Viêng Chăn`, round 70).
    let ends_a_sentence = |(i, c): (usize, char)| {
        matches!(c, '.' | '!' | '?' | '…') && inner[i + c.len_utf8()..].chars().next().is_none_or(char::is_whitespace)
    };
    inner.chars().next().is_some_and(char::is_uppercase)
        && !inner.char_indices().any(ends_a_sentence)
        && inner.split_whitespace().count() <= QUOTED_NAME_WORDS
}

/// Whether a spaced dash at `range` opens a list item or a turn of an interview run into the
/// paragraph (`gồm: - Xếp loại`, `thế nào? - Đại biểu …`): right after the end of a clause or
/// a sentence, it is a bullet, not the prose's dash. Judged on real news (round 19): counted,
/// such bullets outvoted an article's en dashes, and the safe fix rewrote them as hyphens.
fn opens_a_list_item(text: &str, range: std::ops::Range<usize>) -> bool {
    // After two spaces too (`tự nhiên được.  - Trẻ biết`, judged HARMFUL on real news,
    // round 30: the one bullet so spaced was rewritten as an en dash).
    matches!(text[range.clone()].trim(), "-" | "–" | "—")
        && text[..range.start]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, ':' | '?' | '!' | '.' | ';'))
}

/// Whether the variant at `range` stands between two numbers (`50 - 60 trẻ`, `2016 – 2020`,
/// `5h - 6h`), or between a model and its year (`Mazda3 - 2017`): a range's mark, for
/// [`Options::ranges_apart`]. A model before a number of another kind (`Galaxy S8 – 3000
/// mAh`, judged FALSE on real news, round 63) is set off by a dash.
fn between_digits(text: &str, range: &std::ops::Range<usize>) -> bool {
    let before = text[..range.start].trim_end();
    let after = text[range.end..].trim_start();
    // Roman numerals (`độ III – IV`, grades: judged FALSE on real news, round 124).
    let roman = |w: &str| !w.is_empty() && w.len() <= 5 && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X'));
    let word_after = after.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let word_before = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    if roman(word_before) && roman(word_after) && word_before != word_after {
        return true;
    }
    if !after.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    // A number, a date or a time (`22.650`, `(27/11/1940`, `18h00`, `5h - 6h`, judged on real
    // news, round 64): it opens with a digit.
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    if word
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .starts_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    // Both ends with their unit (`11.500 đồng/kg – 12.500 đồng/kg`, judged FALSE on real news,
    // round 78: counted as a dash, the range was rewritten to the article's one hyphen).
    // In brackets or per a unit (`(13,7 tỉ - 15,4 tỉ đồng)`, `4.000 đồng – 6.000 đồng/triệu`),
    // or times of day (`10h sáng – 13h chiều`): judged FALSE on real news, round 111.
    let mut words_before = before.rsplit(char::is_whitespace);
    let unit = words_before.next().unwrap_or("");
    let number = words_before
        .next()
        .map(|n| n.trim_start_matches(|c: char| !c.is_alphanumeric()))
        .filter(|n| n.starts_with(|c: char| c.is_ascii_digit()));
    let mut words_after = after.split_whitespace();
    let (next_number, next_unit) = (words_after.next().unwrap_or(""), words_after.next());
    fn letters(w: &str) -> Option<&str> {
        let tail = w.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | ','));
        (tail.len() < w.len()).then_some(tail)
    }
    if let Some(number) = number.filter(|_| !unit.is_empty()) {
        let same_unit = next_unit.is_some_and(|u| {
            let u = u.trim_end_matches(|c: char| !c.is_alphanumeric());
            u == unit || u.split('/').next() == Some(unit)
        });
        // Two ends that differ (`15g gừng - 15g mật ong` is a list's items run together).
        let same_suffix =
            number != next_number && letters(number).is_some_and(|l| !l.is_empty() && letters(next_number) == Some(l));
        if same_unit || same_suffix {
            return true;
        }
    }
    if !before.ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    digits == 4
        && (after.starts_with("19") || after.starts_with("20"))
        && !after[4..].starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | ','))
}

/// Whether a spaced hyphen at `range` is the minus of a temperature (`lạnh - 40°C`, `- 5 độ`):
/// a sign, not a dash (judged HARMFUL on real news, round 44: the safe fix wrote `lạnh – 40°C`).
fn a_minus_sign(text: &str, range: &std::ops::Range<usize>) -> bool {
    if text[range.clone()].trim() != "-" {
        return false;
    }
    // After a number it is a range (`18 - 21 độ`).
    let range_start = text[..range.start].trim_end().ends_with(|c: char| c.is_ascii_digit());
    let after = crate::text::context::after(text, range.end, 16);
    let rest = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.');
    !range_start
        && after.starts_with(|c: char| c.is_ascii_digit())
        && (rest.trim_start().starts_with('°') || rest.trim_start().starts_with("độ"))
}

/// Whether a spaced dash at `range` opens a list item whose line break the scraper lost after
/// a clause without a stop (`trong văn bản - Đứa bé ba tuổi`, `Dân ta đoàn tụ - Không gian
/// hiện thực`, `Tình hình lực lượng - Arsenal:`): plain lower-case words before it, a
/// sentence's capitalized first word or an item's label after, in a block whose other items
/// are bulleted after a stop ([`has_bullets`]). An apposition's dash follows a name (`Nguyễn
/// Ngọc – Chủ tịch`), a pair's joins words of one case (`kinh tế - xã hội`), and a unit's dash
/// before its parent body (`khoa Hồi sức tích cực – Bệnh viện Bạch Mai`) sits in a block
/// without bullets. Judged FALSE on real news (round 36): two such bullets outvoted the one
/// en dash.
fn opens_a_run_in_item(text: &str, range: std::ops::Range<usize>) -> bool {
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let lower_word = |w: &str| w.chars().all(|c| c.is_alphabetic() && c.is_lowercase());
    let before = crate::text::context::before(text, range.start, RUN_IN_REACH);
    // A closing bracket may end the item (`soda (hoặc nước ngọt không màu) - Một ít đá`).
    let left_plain = before
        .split_whitespace()
        .rev()
        .take(3)
        .filter(|w| lower_word(w.trim_end_matches(')')))
        .count()
        == 3;
    let after = crate::text::context::after(text, range.end, RUN_IN_REACH);
    // An ingredient's quantity after a plain word (`cắt lát - 30g đường - 40ml rượu rum`,
    // `dưa hấu - 1 quả chanh`, judged FALSE on real news, round 59); a range has a number
    // before its dash.
    let mut words = after.split_whitespace();
    let quantity = match (words.next(), words.next()) {
        (Some(w), next) if w.starts_with(|c: char| c.is_ascii_digit()) => {
            w.contains(char::is_alphabetic) || next.is_some_and(lower_word)
        }
        _ => false,
    };
    if quantity && before.split_whitespace().next_back().is_some_and(lower_word) {
        return true;
    }
    let mut right = after.split_whitespace();
    let capitalized = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase) && !chars.as_str().is_empty() && lower_word(chars.as_str())
    };
    let opens_sentence = match right.next() {
        // An item's label (`Tình hình lực lượng - Arsenal: Santi Cazorla…`, judged HARMFUL on
        // real news, round 39: the safe fix set it apart from its sibling `. - Hull:`).
        Some(w) if w.strip_suffix(':').is_some_and(capitalized) => true,
        Some(w) => {
            // `bột trẻ em - Giảm cân: Trong hoa…`: a label of two words (judged HARMFUL on
            // real news, round 57).
            capitalized(w)
                && right.next().is_some_and(|w| {
                    lower_word(w.strip_suffix(':').unwrap_or(w)) || w.starts_with(|c: char| c.is_ascii_digit())
                })
        }
        None => false,
    };
    // An item that ends with a link (`- Đối với cá nhân: http://bit.ly/… - Đối với nhóm:`,
    // judged HARMFUL on real news, round 40: the safe fix set the second bullet apart from
    // the first). Rules read links masked.
    let left_link = before
        .split_whitespace()
        .next_back()
        .is_some_and(|w| w.chars().all(|c| c == crate::document::MASK_CHAR));
    (left_plain || left_link) && opens_sentence
}

/// How far [`opens_a_run_in_item`] reads on each side of a dash for its three words and two.
const RUN_IN_REACH: usize = 96;

/// Whether a block holds a list item bulleted after a stop (`cần: - Gội đầu`, `xong. - Ủ`).
fn has_bullets(text: &str) -> bool {
    // Each spaced dash is looked at once, with a few bytes before it (linear time).
    text.match_indices([' ']).any(|(i, _)| {
        let rest = &text[i + 1..];
        let dash = rest.chars().next().filter(|c| matches!(c, '-' | '–' | '—'));
        dash.is_some_and(|d| rest[d.len_utf8()..].starts_with(' '))
            && crate::text::context::before(text, i, BULLET_GAP)
                .trim_end_matches(' ')
                .ends_with([':', '.', '?', '!', ';'])
    })
}

/// How many bytes of spaces [`has_bullets`] steps over between a stop and its bullet.
const BULLET_GAP: usize = 8;

/// Whether a spaced dash at `range` follows a publication's tag that opens its block
/// (`GD&TĐ - Cận thị…`, `(BVPL) - Bốn sinh viên…`, `(VnMedia) - Ngày 20/5`): a dateline's
/// dash, not the prose's.
/// Judged on real news (round 31): counted, the tag's hyphen set one against the body's en
/// dashes, and the fix would have rewritten a quoted title's.
fn follows_a_source_tag(text: &str, range: std::ops::Range<usize>) -> bool {
    // A tag is a few bytes at the start of the block or of one of its lines (a page's
    // paragraphs joined by single line breaks).
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    if range.start - line_start > 48 {
        return false;
    }
    let tag = text[line_start..range.start].trim();
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    // In brackets, an outlet's name as it writes it (`(VnMedia) -`, `(Dân trí) -`: judged on
    // real news, rounds 31 and 53).
    if let Some(inner) = tag.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        return (2..=24).contains(&inner.chars().count())
            && inner.chars().next().is_some_and(char::is_uppercase)
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '&' | '.'));
    }
    let capitals = tag.chars().all(|c| c.is_uppercase() || c == '&' || c == '.');
    // `Online – Sáng 1-6`: an outlet's name in Latin letters whose first part the page lost,
    // before a capital (judged FALSE on real news, round 55).
    let latin_name = tag.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && tag.chars().all(|c| c.is_ascii_alphabetic())
        && text[range.end..].chars().next().is_some_and(char::is_uppercase);
    (2..=12).contains(&tag.chars().count()) && (capitals || latin_name)
}

/// Whether a spaced dash at `range` joins the reporters' names of a byline that closes the
/// block after the last sentence (`… bất thường. Đức Văn - T.Biên`, `… bền vững/. Trần Ngọc -
/// Ngọc Khánh/VOV.VN`): one to four capitalized words (initials with dots allowed) on each
/// side, the last one maybe glued by `/` to the publication. Judged FALSE on real news
/// (round 49): counted, such a byline's hyphen made an article of en dashes mixed. The
/// names may be followed by their source in brackets (`Khánh Phương – Thu Giang (Theo New
/// Architecture News; …)`, judged FALSE, round 59).
fn joins_names_closing_the_block(text: &str, range: std::ops::Range<usize>) -> bool {
    if !matches!(text[range.clone()].trim(), "-" | "–" | "—") {
        return false;
    }
    let name =
        |w: &str| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic() || c == '.');
    let mut after = &text[range.end..];
    if after.len() > 2 * CLOSING_REACH {
        return false;
    }
    // A closing source in brackets, opening with a capital (`(Theo CNN)`), or a short note
    // (`Kiệt Linh - (tổng hợp)`, judged FALSE on real news, round 70), is set aside.
    let trimmed = after.trim_end();
    let mut bracketed = false;
    if let Some(open) = trimmed.strip_suffix(')').and_then(|t| t.rfind('(')) {
        let inside = &trimmed[open + 1..trimmed.len() - 1];
        let source_or_note = inside.starts_with(char::is_uppercase) || inside.split_whitespace().count() <= 3;
        if source_or_note && !trimmed[..open].contains([')', '(']) {
            after = &trimmed[..open];
            bracketed = true;
        }
    }
    if after.len() > CLOSING_REACH {
        return false;
    }
    let after_words: Vec<&str> = after.split_whitespace().collect();
    let names_after = ((1..=4).contains(&after_words.len()) || (after_words.is_empty() && bracketed))
        && after_words.iter().enumerate().all(|(i, w)| match w.split_once('/') {
            Some((last, paper)) if i + 1 == after_words.len() => {
                name(last) && paper.chars().next().is_some_and(char::is_uppercase)
            }
            _ => name(w),
        });
    if !names_after {
        return false;
    }
    let before = crate::text::context::before(text, range.start, CLOSING_REACH);
    let Some((stop, mark)) = before
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '.' | '!' | '?' | '”' | '"'))
    else {
        return false;
    };
    let before_words: Vec<&str> = before[stop + mark.len_utf8()..].split_whitespace().collect();
    (1..=4).contains(&before_words.len()) && before_words.iter().all(|w| name(w))
}

/// Whether a spaced dash at `range` belongs to a byline or credit rather than to prose: nothing
/// follows it in its block (`Ảnh: NT Nguyễn Thuận - ` closing an article) or a few plain words
/// lead from it to a CMS stamp's ` | ` (`Bình An - Thể thao Việt Nam | 22:15 07/06/2017`). Judged on
/// real news (round 12): counted, such a dash outvoted the text's one en dash.
fn ends_in_a_credit(text: &str, range: std::ops::Range<usize>) -> bool {
    let inner = text[range.clone()].trim();
    if !matches!(inner, "-" | "–" | "—") {
        return false;
    }
    let rest = &text[range.end..];
    // The stamp's paper name runs straight into the bar: a few words, no punctuation. Only
    // a near bar is looked for (linear time over a block of many dashes).
    let near = crate::text::context::after(text, range.end, CLOSING_REACH);
    let before_bar = near.find(" | ").map(|bar| &near[..bar]);
    rest.trim().is_empty()
        || before_bar.is_some_and(|name| {
            name.split_whitespace().count() <= 6
                && !name.contains(|c: char| c.is_ascii_punctuation() || "“”…".contains(c))
        })
}

impl Checker for ConsistencyChecker {
    fn term_sets(&mut self) -> Vec<&mut TermSet> {
        vec![&mut self.terms]
    }

    /// Records each occurrence of a variant as a [`VariantFact`].
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        if self.terms.is_empty() {
            return;
        }
        let unit_of = |id: u32| {
            self.owners
                .get(id as usize)
                .and_then(|&(g, _)| self.groups.get(g as usize))
                .and_then(|g| self.units.get(g.unit as usize))
        };
        let active = |id: u32| unit_of(id).is_some_and(|u| !u.choice.is_off() && block.is_active(u.rule));
        // Quotations and credits keep the source's words (judged on real news: `đảm bảo`
        // inside a quotation of Hồ Chí Minh rewritten), for the rules that say so.
        // Built at the block's first variant: most blocks have none.
        let (protected, quotations) = (std::cell::OnceCell::new(), std::cell::OnceCell::new());
        let quoted = |range: &std::ops::Range<usize>| {
            protected
                .get_or_init(|| Protected::new(block.shared.protected().to_vec()))
                .contains(range)
        };
        // Closed quotations only: a credit or an unclosed mark runs to the end of its line,
        // which in a scraped article is the whole body.
        let in_quotation = |range: &std::ops::Range<usize>| {
            quotations
                .get_or_init(|| closed_quotations(block.text, block.shared.protected(), true))
                .contains(range)
        };
        let curly = std::cell::OnceCell::new();
        let in_curly_quotation = |range: &std::ops::Range<usize>| {
            curly
                .get_or_init(|| closed_quotations(block.text, block.shared.protected(), false))
                .contains(range)
        };
        // A related article's headline in brackets, run into the text (`[Hội Hồi sức gửi đơn …
        // bác sĩ Lương]`): another article's words, for every choice (judged HARMFUL on real
        // news, round 44: `spelling.si` rewrote one to the article's `bác sỹ`).
        let related = std::cell::OnceCell::new();
        let in_related_title = |range: &std::ops::Range<usize>| {
            related
                .get_or_init(|| {
                    let bracketed = |p: &&std::ops::Range<usize>| {
                        let inner = block.text.get((*p).clone()).unwrap_or_default();
                        inner.starts_with('[') && inner.ends_with(']')
                    };
                    Protected::new(block.shared.protected().iter().filter(bracketed).cloned().collect())
                })
                .contains(range)
        };
        // Where each unit's reproduced text starts in the block: one search a unit and block.
        let reproduced: Vec<std::cell::OnceCell<Option<usize>>> =
            self.units.iter().map(|_| std::cell::OnceCell::new()).collect();
        let in_reproduced_text = |unit: usize, range: &std::ops::Range<usize>| {
            reproduced[unit]
                .get_or_init(|| reproduction_start(block.text, &self.units[unit].reproduction_cues))
                .is_some_and(|start| range.start >= start)
        };
        // Whether the block bullets its list items: asked only of a dash that may open one.
        let bullets = std::cell::OnceCell::new();
        // The end of a spaced dash left uncounted as a pair's hyphen, while its sentence goes on.
        let mut uncounted_dash: Option<usize> = None;
        for m in self.terms.find(block.shared, &active) {
            for h in &m.hits {
                let (g, Role::Variant(v)) = self.owners[h.id as usize] else {
                    continue;
                };
                let group = &self.groups[g as usize];
                let unit = group.unit as usize;
                // Speech in single marks (`'… còn 800 ngàn tiền xe đi về', Trung Nhân nói`, `‘…
                // với giá 10 ngàn yên’`), which the protected spans leave out as apostrophes:
                // judged FALSE on real news, rounds 127 and 131.
                if self.units[unit].skip_quotations
                    && (quoted(&m.range)
                        || in_reproduced_text(unit, &m.range)
                        || crate::text::context::in_straight_single_quotes(block.text, m.range.clone())
                        || crate::text::context::in_curly_single_quotes(block.text, m.range.clone()))
                    || in_related_title(&m.range)
                {
                    continue;
                }
                if glued_to_a_code(block.text, m.range.start)
                    || in_a_row_of_dots(block.text, &m.range)
                    || masks_an_address(block.text, &m.range)
                {
                    continue;
                }
                // Inside a name (`Tổ chức Kỷ lục Việt Nam`, judged on real news) the form is
                // the name's own: neither counted nor rewritten.
                if !group.case_sensitive && in_capitalized_run(block.text, m.range.clone(), &group.variants[v as usize])
                {
                    continue;
                }
                if in_a_cued_title(block.text, &m.range, &self.units[group.unit as usize].title_cues)
                    || in_an_unquoted_title(block.text, &m.range, group, v)
                {
                    continue;
                }
                if !group.word {
                    // A dash between lower-case words that closes a short aside opened by a dash
                    // left uncounted (`khách hàng doanh nghiệp - thay vì cá nhân - mới là động
                    // lực`) is that pair's: counted, its rewrite left one pair of two marks
                    // (judged HARMFUL on real news, round 87).
                    if is_spaced_dash(&block.text[m.range.clone()]) && !between_digits(block.text, &m.range) {
                        if let Some(end) = uncounted_dash.take() {
                            let aside = &block.text[end..m.range.start];
                            if !aside.contains(['.', '!', '?', '\n', '(', ')'])
                                && aside.split_whitespace().count() <= ASIDE_WORDS
                                && between_lower_words(block.text, m.range.clone())
                            {
                                continue;
                            }
                        }
                    }
                    if joins_two_compounds(block.text, m.range.clone()) {
                        if is_spaced_dash(&block.text[m.range.clone()]) {
                            uncounted_dash = Some(m.range.end);
                        }
                        continue;
                    }
                }
                if !group.word
                    && (splits_a_document_number(block.text, m.range.clone())
                        || a_minus_sign(block.text, &m.range)
                        || in_a_quoted_name(block.text, &m.range)
                        || in_a_quoted_names_gloss(block.text, &m.range)
                        || opens_a_list_item(block.text, m.range.clone())
                        || (opens_a_run_in_item(block.text, m.range.clone())
                            && *bullets.get_or_init(|| has_bullets(block.text)))
                        || follows_a_source_tag(block.text, m.range.clone())
                        || ends_in_a_credit(block.text, m.range.clone())
                        || joins_names_closing_the_block(block.text, m.range.clone())
                        || joins_a_closing_byline(
                            block.text,
                            m.range.clone(),
                            &self.units[group.unit as usize].credit_closers,
                        )
                        || joins_a_closing_credit(
                            block.text,
                            m.range.clone(),
                            &self.units[group.unit as usize].credit_openers,
                        )
                        || opens_a_caption_credit(
                            block.text,
                            m.range.clone(),
                            &self.units[group.unit as usize].credit_openers,
                        )
                        || joins_a_credit_label(block.text, m.range.clone(), &block.shared.language().credit_labels)
                        || joins_names_after_a_credit_label(
                            block.text,
                            m.range.clone(),
                            &[
                                &block.shared.language().credit_labels,
                                &self.units[group.unit as usize].credit_openers,
                            ],
                        )
                        || joins_a_credits_agency(block.text, m.range.clone(), &block.shared.language().credit_labels))
                {
                    continue;
                }
                let rule = self.units[group.unit as usize].rule;
                let unsure_rewrite = (!group.word
                    && (splits_a_compound(block.text, m.range.clone()) || dots_before_a_dot(block.text, &m.range)))
                    || dot_may_end_the_block(block.text, &m.range);
                let joins_names = !group.word
                    && between_capitalized_words(block.text, m.range.clone())
                    && !self.units[group.unit as usize]
                        .apposition_words
                        .iter()
                        .any(|a| to_nfc_cow(word_at(block.text, m.range.end)) == a.as_str());
                let unit = match group.range_unit {
                    Some(twin) if between_digits(block.text, &m.range) => twin,
                    _ => group.unit,
                };
                let fact = VariantFact {
                    group: g,
                    unit,
                    variant: v,
                    unsure_rewrite,
                    weak: !group.word && between_lower_words(block.text, m.range.clone()),
                    joins_names,
                    // Asked for spelling systems (`quotations_decide`) and words a quotation
                    // may hold (a quoted minority's fix is offered): reading a block's
                    // quotations costs a pass over it.
                    quoted: (self.units[group.unit as usize].system
                        || group.word && !self.units[group.unit as usize].skip_quotations)
                        && in_quotation(&m.range),
                    curly_quoted: self.units[group.unit as usize].system && group.word && in_curly_quotation(&m.range),
                };
                out.facts.push(Fact::new(rule, Noted::Variant(fact), m.range.clone()));
            }
        }
    }

    /// Per choice (a group, or every group of a rule with `forms`): the shared choice
    /// machinery reports the minority occurrences of a mixed document.
    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        if input.facts.is_empty() {
            return;
        }
        let group_of = |f: &DocFact<'_>| {
            let Noted::Variant(v) = f.fact.what else { return None };
            let group = self.groups.get(v.group as usize)?;
            let found = input.block_text(f.block).get(f.fact.range.clone())?;
            Some((group, v.variant as usize, found, v.unit as usize))
        };
        // Most units of a document use one form and report nothing (`winner` is `None`):
        // their rewrites, a few strings per occurrence, are not built (speed only).
        let mut forms: Vec<Vec<usize>> = vec![Vec::new(); self.units.len()];
        // The forms written outside quotations and credits, in the writer's own words.
        let mut own_forms: Vec<Vec<usize>> = vec![Vec::new(); self.units.len()];
        // Units with an occurrence that may be a word's hyphen: their fix is offered, not applied.
        let mut unsure_rewrite = vec![false; self.units.len()];
        // The forms of occurrences that are not `weak`.
        let mut strong_forms: Vec<Vec<usize>> = vec![Vec::new(); self.units.len()];
        // The forms of occurrences that do not join two names.
        let mut unjoined_forms: Vec<Vec<usize>> = vec![Vec::new(); self.units.len()];
        // The forms of occurrences inside closed quotations.
        let mut quoted_forms: Vec<Vec<usize>> = vec![Vec::new(); self.units.len()];
        // The forms of occurrences inside closed quotations in curly marks.
        let mut curly_forms: Vec<Vec<usize>> = vec![Vec::new(); self.units.len()];
        // Per unit, the forms seen joining names and elsewhere, as bit sets (`names-apart`).
        let mut joined_bits = vec![0u64; self.units.len()];
        let mut unjoined_bits = vec![0u64; self.units.len()];
        for f in input.facts {
            if let Some((_, variant, _, unit)) = group_of(f) {
                forms[unit].push(variant);
                let Noted::Variant(v) = f.fact.what else { continue };
                unsure_rewrite[unit] |= v.unsure_rewrite;
                if !v.weak {
                    strong_forms[unit].push(variant);
                }
                let bit = 1u64 << variant.min(63);
                if !v.joins_names {
                    unjoined_forms[unit].push(variant);
                    unjoined_bits[unit] |= bit;
                } else {
                    joined_bits[unit] |= bit;
                }
                if v.quoted {
                    quoted_forms[unit].push(variant);
                } else {
                    own_forms[unit].push(variant);
                }
                if v.curly_quoted {
                    curly_forms[unit].push(variant);
                }
            }
        }
        // `Mỹ - Trung` and `Hà Nội - Hải Phòng` beside `ông A – giám đốc`: one mark links names,
        // the other sets asides off, each use consistent (`names-apart`).
        let two_uses = |i: usize| {
            let (joined, unjoined) = (joined_bits[i], unjoined_bits[i]);
            joined.count_ones() == 1 && unjoined.count_ones() == 1 && joined != unjoined
        };
        // A word's spelling system that the writer keeps throughout, with the other form only
        // inside quotations (`lí do` in a quoted letter among the article's `lý`): the
        // quotation's own spelling, no mix of the writer's (judged DEBATABLE on real news,
        // round 126, twice). Punctuation's systems (`...`/`…`) are the house's in quotations.
        // Quotations in curly marks only: straight marks may pair across paragraphs and take
        // in the writer's own words.
        let only_quotations_differ = |i: usize| {
            let own = &own_forms[i];
            let other = |f: &usize| Some(f) != own.first();
            own.first().is_some_and(|&first| own.iter().all(|&f| f == first))
                && curly_forms[i].iter().any(other)
                && quoted_forms[i].iter().filter(|f| other(f)).count()
                    == curly_forms[i].iter().filter(|f| other(f)).count()
        };
        let live: Vec<bool> = self
            .units
            .iter()
            .zip(&forms)
            .enumerate()
            .map(|(i, (u, f))| {
                !f.is_empty()
                    && u.choice.winner(f.iter().copied()).is_some()
                    && !(u.names_apart && u.choice.mode == Mode::Consistency && two_uses(i))
                    && !(u.system && u.choice.mode == Mode::Consistency && only_quotations_differ(i))
            })
            .collect();
        // The winner of each live spelling system, before any occurrence is left out.
        let winners: Vec<Option<usize>> = self
            .units
            .iter()
            .zip(&forms)
            .zip(&live)
            .map(|((u, f), &live)| {
                (live && u.system)
                    .then(|| u.choice.winner(f.iter().copied()).map(|t| t.winner))
                    .flatten()
            })
            .collect();
        let mut words: Option<DocumentWords> = None;
        // [`written_outside`] scans the document: asked once per group, variant, winner and
        // case, so many minority occurrences of one variant cost one scan (linear time).
        let mut outside: HashMap<(u32, usize, usize, bool), bool> = HashMap::new();
        // Spelling systems with a capitalized minority occurrence (`Kỹ thuật điện tử` among
        // `Vật lí`): it may be a name's own spelling, so their fix is offered, not applied
        // (judged HARMFUL on real news, round 21: a degree's name respelled).
        let mut capitalized_minority = vec![false; self.units.len()];
        // Spelling systems whose minority syllable is also written where no counted word
        // holds it (`551 tỉ peso (244.945 tỉ đồng)` among three `tỷ đồng`): rewriting the
        // counted occurrences would leave the others, so the fix is offered, not applied
        // (judged HARMFUL on real news, round 115).
        let mut left_behind = vec![false; self.units.len()];
        let mut behind: HashMap<(u32, usize, usize), bool> = HashMap::new();
        let mut by_unit: Vec<Vec<Occurrence>> = vec![Vec::new(); self.units.len()];
        for f in input.facts {
            let Some((group, variant, found, unit)) = group_of(f) else {
                continue;
            };
            if !live[unit] {
                continue;
            }
            if let Some(winner) = winners[unit].filter(|&w| w != variant) {
                let capitalized = found.chars().next().is_some_and(char::is_uppercase);
                let group_index = match f.fact.what {
                    Noted::Variant(v) => v.group,
                    _ => u32::MAX,
                };
                let key = (group_index, variant, winner, capitalized);
                let left_out = *outside.entry(key).or_insert_with(|| {
                    let words = words.get_or_insert_with(|| DocumentWords::new(input, |f| group_of(f).is_some()));
                    written_outside(words, found, &group.variants[variant], &group.variants[winner])
                });
                if left_out {
                    continue;
                }
                left_behind[unit] |= *behind.entry((group_index, variant, winner)).or_insert_with(|| {
                    let words = words.get_or_insert_with(|| DocumentWords::new(input, |f| group_of(f).is_some()));
                    minority_syllable_uncounted(words, &group.variants[variant], &group.variants[winner])
                });
                capitalized_minority[unit] |= self.units[unit].choice.mode == Mode::Consistency
                    && found.chars().next().is_some_and(char::is_uppercase)
                    && !differing_syllables(&group.variants[variant], &group.variants[winner]).is_empty();
            }
            let rewrites = group
                .variants
                .iter()
                .map(|v| {
                    if !group.case_sensitive {
                        let from = &group.variants[variant];
                        let found = respaced(found, from, &group.unspaced_after);
                        if let Some(kept) = punctuation_only_rewrite(&found, from, v) {
                            return Some(kept);
                        }
                    }
                    let expected = Form::of(found).apply(v);
                    Some(if group.case_sensitive {
                        expected
                    } else {
                        match_case(found, &expected)
                    })
                })
                .collect();
            let occurrence = Occurrence::replacing(variant, f.range.clone(), found, rewrites);
            by_unit[unit].push(occurrence);
        }
        for (index, ((((unit, occurrences), unsure_rewrite), capitalized), left_behind)) in self
            .units
            .iter()
            .zip(&by_unit)
            .zip(unsure_rewrite)
            .zip(capitalized_minority)
            .zip(left_behind)
            .enumerate()
        {
            let quotations_decide = unit.system
                && unit.choice.mode == Mode::Consistency
                && !occurrences.is_empty()
                && quotations_decide(&forms[index], &own_forms[index]);
            // Asked only of a spelling system that mixes forms (rare): the document's text is
            // read once for it.
            let winner = winners[index];
            let uncounted_disagree = unit.safe
                && unit.choice.mode == Mode::Consistency
                && !quotations_decide
                && winner.is_some_and(|w| {
                    let words = words.get_or_insert_with(|| DocumentWords::new(input, |f| group_of(f).is_some()));
                    let pairs = self.system_syllables(index);
                    uncounted_syllables_disagree(words, pairs, &forms[index], w)
                });
            // `Lào – Campuchia` against two compounds (`Hội chợ - triển lãm`): without its weak
            // occurrences the majority is none (judged HARMFUL on real news, round 52).
            let weak_majority = unit.choice.mode == Mode::Consistency
                && strong_forms[index].len() < forms[index].len()
                && unit.choice.winner(forms[index].iter().copied()).is_some_and(|t| {
                    let strong = strong_forms[index].iter().filter(|&&f| f == t.winner).count();
                    let others = forms[index].iter().filter(|&&f| f != t.winner).count();
                    strong <= others
                });
            // `kinh tế - xã hội` against two en dashes: a compound's hyphen as often as a
            // dash, so its rewrite is offered, not applied (judged HARMFUL, round 53).
            let weak_minority = unit.choice.mode == Mode::Consistency
                && strong_forms[index].len() < forms[index].len()
                && unit.choice.winner(forms[index].iter().copied()).is_some_and(|t| {
                    let minority = forms[index].iter().filter(|&&f| f != t.winner).count();
                    let strong_minority = strong_forms[index].iter().filter(|&&f| f != t.winner).count();
                    strong_minority < minority
                });
            // `Mỹ - Trung`, `Nhật Bản - Hàn Quốc` against the article's one dash after a word
            // (`CNY/USD – ngưỡng`): a majority made only of joins of names against a minority
            // with none is two uses, not one mixed (judged HARMFUL on real news, round 92).
            // Joins on both sides (`Hà Nội – Hải Phòng – Quảng Ninh - Hạ Long`) are one kind,
            // and their rewrite stays safe; so is a majority with one dash elsewhere (a wider
            // test took 237 good baomoi fixes).
            let joined_majority = unit.choice.mode == Mode::Consistency
                && unjoined_forms[index].len() < forms[index].len()
                && unit.choice.winner(forms[index].iter().copied()).is_some_and(|t| {
                    let unjoined = |w: bool| unjoined_forms[index].iter().filter(move |&&f| (f == t.winner) == w);
                    let others = forms[index].iter().filter(|&&f| f != t.winner).count();
                    unjoined(true).next().is_none() && unjoined(false).count() == others
                });
            // A minority inside a quotation may be the source's own wording (an inscription
            // quoted word for word, `Mộ liệt sĩ chưa biết tên`, among the article's `liệt sỹ`:
            // judged HARMFUL on real news, round 78): the fix is offered, not applied.
            let quoted_minority = unit.choice.mode == Mode::Consistency
                && !quoted_forms[index].is_empty()
                && unit
                    .choice
                    .winner(forms[index].iter().copied())
                    .is_some_and(|t| quoted_forms[index].iter().any(|&f| f != t.winner));
            // A word's spelling chosen by a majority of a few against the preferred form (three
            // `sỹ quan` against two `sĩ quan`, beside two `chiến sĩ`): the document leans, it
            // does not choose (judged HARMFUL on real news, round 104). Punctuation's forms
            // (dashes, quotes, dots) are no word's spelling: their thin majorities held.
            let thin_word_majority = unit.choice.mode == Mode::Consistency
                && unit.choice.winner(forms[index].iter().copied()).is_some_and(|t| {
                    let runner_up = t.order.iter().filter(|&&f| f != t.winner).map(|&f| t.count(f)).max();
                    unit.choice.prefer.is_some_and(|p| p != t.winner && t.count(p) > 0)
                        && t.count(t.winner) <= THIN_MAJORITY_MOST
                        && runner_up.is_some_and(|r| t.count(t.winner) < 2 * r)
                })
                && self.groups.iter().any(|g| g.unit as usize == index && g.word);
            let away_from_prefer = unit.safe_to_prefer_only
                && unit
                    .choice
                    .winner(forms[index].iter().copied())
                    .is_some_and(|t| unit.choice.prefer.is_some_and(|p| p != t.winner));
            let c = Choices {
                rule: unit.rule,
                meta: &unit.meta,
                choice: unit.choice,
                labels: &unit.labels,
                safe: unit.safe
                    && !away_from_prefer
                    && !thin_word_majority
                    && !quoted_minority
                    && !unsure_rewrite
                    && !capitalized
                    && !(left_behind && unit.choice.mode == Mode::Consistency)
                    && !quotations_decide
                    && !uncounted_disagree
                    && !weak_majority
                    && !weak_minority
                    && !joined_majority,
            };
            choice::report(&c, occurrences, out);
        }
    }
}

impl ConsistencyChecker {
    /// The syllables by which the two forms of a spelling system's words differ, each pair
    /// once (`(kỹ, kĩ)`, `(lý, lí)`, `(ký, kí)`), in the order of the system's forms.
    fn system_syllables(&self, unit: usize) -> &[(String, String)] {
        self.system_syllables[unit].get_or_init(|| self.system_syllables_of(unit))
    }

    fn system_syllables_of(&self, unit: usize) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for g in self
            .groups
            .iter()
            .filter(|g| g.unit as usize == unit && g.variants.len() == 2)
        {
            for pair in differing_syllables(&g.variants[0], &g.variants[1]) {
                if !pairs.contains(&pair) {
                    pairs.push(pair);
                }
            }
        }
        pairs
    }
}

/// Whether a spelling system's syllables, counted also where no counted word holds them
/// (`mới ký`, `bút ký`, `kỳ này`, in lower case), give the document another majority than
/// the counted words' winner: the groups are a sample of the writer's words, and a thin vote
/// among them (`kỉ lục` twice against `mỹ mãn`) may be the writer's minority. Then the
/// rewrite is offered, not applied (judged HARMFUL on real news, round 34: `mỹ mãn` made
/// `mĩ mãn` in an article that writes `ký` three times and `kỳ` twice).
fn uncounted_syllables_disagree(
    words: &DocumentWords,
    pairs: &[(String, String)],
    counted: &[usize],
    winner: usize,
) -> bool {
    if winner > 1 {
        return false;
    }
    let mut counts = [0usize; 2];
    for &f in counted.iter().filter(|&&f| f < 2) {
        counts[f] += 1;
    }
    for (first, second) in pairs {
        for (form, syllable) in [(0, first), (1, second)] {
            let finder = Finder::new(syllable);
            counts[form] += words.outside.iter().map(|t| count_words(t, &finder)).sum::<usize>();
        }
    }
    counts[1 - winner] >= counts[winner]
}

/// Whether a spelling system's majority in a document rests on what it quotes: the forms
/// written in its own words (`own`) have another majority, or none, than all its forms.
/// Then rewriting the writer's form to the quotations' is a guess, offered, not applied
/// (typography, such as dashes, is the house's in quotations too; judged HARMFUL on
/// real news, round 32: a staff member's quoted `đăng kí` twice made the reporter's
/// `quản lý` into `quản lí`).
fn quotations_decide(all: &[usize], own: &[usize]) -> bool {
    if own.is_empty() || own.len() == all.len() {
        return false;
    }
    strict_majority(own) != strict_majority(all)
}

/// The form written more often than any other, if one is.
fn strict_majority(forms: &[usize]) -> Option<usize> {
    let mut counts: Vec<usize> = Vec::new();
    for &f in forms {
        if counts.len() <= f {
            counts.resize(f + 1, 0);
        }
        counts[f] += 1;
    }
    let best = counts.iter().copied().max()?;
    let mut at_best = counts.iter().enumerate().filter(|&(_, &c)| c == best);
    let first = at_best.next().map(|(f, _)| f);
    at_best.next().is_none().then_some(first).flatten()
}

/// A block's protected spans (quotations, credits) asked whether they hold a range, in
/// logarithmic time: the spans sorted by start, with the furthest end reached so far.
struct Protected {
    spans: Vec<std::ops::Range<usize>>,
    furthest_end: Vec<usize>,
}

impl Protected {
    /// `spans` sorted by start.
    fn new(spans: Vec<std::ops::Range<usize>>) -> Protected {
        let furthest_end = spans
            .iter()
            .scan(0, |end, s| {
                *end = (*end).max(s.end);
                Some(*end)
            })
            .collect();
        Protected { spans, furthest_end }
    }

    /// Whether a span starting at or before `range.start` reaches `range.end`.
    fn contains(&self, range: &std::ops::Range<usize>) -> bool {
        let before = self.spans.partition_point(|s| s.start <= range.start);
        before > 0 && self.furthest_end[before - 1] >= range.end
    }
}

/// The document's text for [`written_outside`], each block in NFC: whole, and with the
/// counted occurrences of the checker's variants cut out (as written and folded). Built
/// once a document, when a spelling system has a winner (most documents that write one of
/// its words); the whole and folded texts only when a question needs them, and a block
/// already in NFC is borrowed, not copied.
struct DocumentWords<'a> {
    blocks: &'a [crate::document::Block],
    whole: std::cell::OnceCell<Vec<Cow<'a, str>>>,
    outside: Vec<Cow<'a, str>>,
    outside_folded: std::cell::OnceCell<Vec<String>>,
}

impl<'a> DocumentWords<'a> {
    fn new(input: &DocumentInput<'a>, counted: impl Fn(&DocFact<'_>) -> bool) -> DocumentWords<'a> {
        // The counted occurrences of each block, in the order of the facts: one pass
        // over the facts (a pass per block made this quadratic in long documents).
        let blocks = input.doc.blocks();
        let mut cut: Vec<Vec<&std::ops::Range<usize>>> = vec![Vec::new(); blocks.len()];
        for f in input.facts.iter().filter(|f| counted(f)) {
            if let Some(c) = cut.get_mut(f.block) {
                c.push(&f.fact.range);
            }
        }
        let mut outside = Vec::with_capacity(blocks.len());
        for (block, cut) in blocks.iter().zip(cut) {
            // The block with its counted occurrences replaced by a line break (a word edge).
            let mut text = String::new();
            let mut at = 0;
            let mut any = false;
            for r in cut {
                if r.start >= at && r.end <= block.text.len() {
                    if !any {
                        text.reserve(block.text.len() + 1);
                        any = true;
                    }
                    text.push_str(&block.text[at..r.start]);
                    text.push('\n');
                    at = r.end;
                }
            }
            outside.push(if !any {
                to_nfc_cow(&block.text)
            } else {
                text.push_str(&block.text[at..]);
                Cow::Owned(to_nfc(text))
            });
        }
        DocumentWords {
            blocks,
            whole: std::cell::OnceCell::new(),
            outside,
            outside_folded: std::cell::OnceCell::new(),
        }
    }

    fn whole(&self) -> &[Cow<'a, str>] {
        self.whole
            .get_or_init(|| self.blocks.iter().map(|b| to_nfc_cow(&b.text)).collect())
    }

    fn outside_folded(&self) -> &[String] {
        self.outside_folded
            .get_or_init(|| self.outside.iter().map(|t| fold(t)).collect())
    }
}

/// Whether the document's own spelling of a minority occurrence `found` of `minority`
/// (a variant whose majority counterpart is `majority`) shows where the rule did not count
/// it. Either a syllable by which the two differ is written, in lower case, outside the
/// counted occurrences, and the document writes it more often than the majority's syllable
/// (`đăng ký` beside `người đó ký nhận` and no `kí`; `hợp lý` beside `bệnh lý`, `nghịch
/// lý` and no `lí`); or a capitalized occurrence is also written inside a name
/// (`môn thi Địa lí` beside `Atlat Địa lí Việt Nam`). The groups of a spelling system are a
/// sample of the writer's words: such a writer is consistent in that word, and rewriting
/// the counted occurrence would spell it two ways (round 18: three HARMFUL safe fixes).
/// Names (`ông Sỹ`) do not count as the syllable: only lower case does.
fn written_outside(words: &DocumentWords, found: &str, minority: &str, majority: &str) -> bool {
    let differing = differing_syllables(minority, majority);
    if differing.is_empty() {
        return false;
    }
    let count = |word: &Finder| words.whole().iter().map(|t| count_words(t, word)).sum::<usize>();
    let syllable = differing
        .iter()
        .any(|(a, b)| written_uncounted(words, a) && count(&Finder::new(a)) > count(&Finder::new(b)));
    syllable
        || found.chars().next().is_some_and(char::is_uppercase) && {
            let phrase = fold(&minority.nfc().collect::<String>());
            let phrase = Finder::new(&phrase);
            words.outside_folded().iter().any(|t| count_words(t, &phrase) > 0)
        }
}

/// Whether a syllable by which `minority` differs from `majority` is written, in lower
/// case, outside the counted occurrences (`tỉ peso` beside a counted `tỉ đồng`).
fn minority_syllable_uncounted(words: &DocumentWords, minority: &str, majority: &str) -> bool {
    differing_syllables(minority, majority)
        .iter()
        .any(|(a, _)| written_uncounted(words, a))
}

/// Whether `syllable` (lower case, NFC) is written outside the counted occurrences.
fn written_uncounted(words: &DocumentWords, syllable: &str) -> bool {
    let finder = Finder::new(syllable);
    words.outside.iter().any(|t| count_words(t, &finder) > 0)
}

/// The syllables (lower case, NFC) by which two spellings of a word differ in letters
/// (`lý`/`lí`; none for `TP`/`TP.`, or for variants of different lengths).
fn differing_syllables(minority: &str, majority: &str) -> Vec<(String, String)> {
    let (m, w): (Vec<&str>, Vec<&str>) = (
        minority.split_whitespace().collect(),
        majority.split_whitespace().collect(),
    );
    if m.len() != w.len() {
        return Vec::new();
    }
    m.iter()
        .zip(&w)
        .map(|(a, b)| (lower_nfc(a), lower_nfc(b)))
        .filter(|(a, b)| a.chars().chain(b.chars()).all(is_word_char) && fold(a) != fold(b))
        .collect()
}

/// `text` in NFC, normalized only when it is not already (most news text is).
fn to_nfc(text: String) -> String {
    if crate::text::vietnamese::plainly_nfc(&text) || unicode_normalization::is_nfc(&text) {
        text
    } else {
        text.nfc().collect()
    }
}

/// [`to_nfc`] of a borrowed text, copied only when it is not in NFC.
fn to_nfc_cow(text: &str) -> Cow<'_, str> {
    if crate::text::vietnamese::plainly_nfc(text) || unicode_normalization::is_nfc(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

fn lower_nfc(s: &str) -> String {
    s.nfc().collect::<String>().to_lowercase()
}

/// How often `needle`'s text occurs in `text` as whole words (non-overlapping, leftmost
/// first, as `str::match_indices`). A `memmem` finder, built once for all the blocks: the
/// document pass searches every block for each differing syllable, and `str`'s Two-Way
/// search of a short needle cost more than the SIMD scan.
fn count_words(text: &str, needle: &Finder) -> usize {
    let len = needle.needle().len();
    if len == 0 {
        return 0;
    }
    needle
        .find_iter(text.as_bytes())
        .filter(|&i| {
            let before = text[..i].chars().next_back();
            let after = text[i + len..].chars().next();
            !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
        })
        .count()
}

/// `found` with the spaces after `marks` that the variant `from` has and `found` lacks put
/// back (`Tp.Hà Nội` for `TP. Hà Nội` is `Tp. Hà Nội`), so that a rewrite can keep the
/// writer's letters; `found` itself when nothing is missing or the two do not line up.
fn respaced<'f>(found: &'f str, from: &str, marks: &[String]) -> Cow<'f, str> {
    if marks.is_empty() || found.chars().count() >= from.chars().count() {
        return found.into();
    }
    let mut out = String::with_capacity(from.len());
    let mut rest = found.chars().peekable();
    let mut prev: Option<char> = None;
    for c in from.chars() {
        let after_mark = prev.is_some_and(|p| marks.iter().any(|m| m.chars().eq(std::iter::once(p))));
        if c == ' ' && after_mark && rest.peek() != Some(&' ') {
            out.push(' ');
        } else {
            match rest.next() {
                Some(g) => out.push(g),
                None => return found.into(),
            }
        }
        prev = Some(c);
    }
    if rest.next().is_some() {
        return found.into();
    }
    out.into()
}

/// `found` (an occurrence of the variant `from`, in any case) rewritten to the variant `to`
/// where the two differ only in characters that are not letters or digits (`TP. Nam Định`
/// and `TP Nam Định`): only those change, and the writer's letters stay as written (`Tp.
/// Nam Định` becomes `Tp Nam Định`). Their case is another rule's choice (`abbr.definition`
/// weighs `TP` against `Tp`): a fix that rewrote them too would contradict that rule's on
/// the same span (round 15). `None` where letters differ or `found` does not line up.
fn punctuation_only_rewrite(found: &str, from: &str, to: &str) -> Option<String> {
    let (f, t): (Vec<char>, Vec<char>) = (from.chars().collect(), to.chars().collect());
    let prefix = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let suffix = f[prefix..]
        .iter()
        .rev()
        .zip(t[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (from_mid, to_mid) = (&f[prefix..f.len() - suffix], &t[prefix..t.len() - suffix]);
    if from_mid.iter().chain(to_mid).any(|c| c.is_alphanumeric()) {
        return None;
    }
    let g: Vec<char> = found.chars().collect();
    let lower_eq = |a: &char, b: &char| a == b || a.to_lowercase().eq(b.to_lowercase());
    if g.len() != f.len() || !g.iter().zip(&f).all(|(a, b)| lower_eq(a, b)) {
        return None;
    }
    let mut out: String = g[..prefix].iter().collect();
    out.extend(to_mid);
    out.extend(&g[g.len() - suffix..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::matcher::test_support::{assert_sane, doc_examples_pass, piece, proptest_config};
    use super::{quotations_decide, strict_majority, Protected};
    use crate::testing::{check, check_markdown, engine, fix};
    use proptest::prelude::*;

    const RULES: &str = r#"
[[rule]]
id = "consistent"
kind = "consistency"
message = "Bài viết dùng cả “{majority}” ({majority_count} lần) và “{minority}” ({minority_count} lần): “{found}” → “{expected}”"
groups = [
  { variants = ["kỹ", "kĩ"] },
  { variants = ["TP.HCM", "TP HCM", "TPHCM"], prefer = "TP.HCM", case-sensitive = true },
  { variants = ["...", "…"], word = false, prefer = "…" },
]
"#;

    /// A capitalized word inside a sentence continues a name begun two or three words back
    /// (round 86), not one that ends another name (`Hà Nội và nhiều Nghệ sỹ`) or follows
    /// a sentence's start.
    #[test]
    fn a_capital_mid_name_starts_at_a_names_first_word() {
        let at = |t: &str, w: &str| super::capital_mid_name(t, t.find(w).unwrap());
        assert!(at("Hợp nhất Tổng công ty Bảo đảm an toàn", "Bảo"));
        assert!(at("Trường gia nhập Mạng lưới Đảm bảo chất lượng", "Đảm"));
        assert!(!at("UBND TP Hà Nội và nhiều Nghệ sỹ tham dự", "Nghệ"));
        assert!(!at("Anh học Kỹ thuật", "Kỹ"));
        assert!(!at("Hôm qua, họ nói rằng Đảm bảo", "Đảm"));
    }

    /// A capital after a comma opens a list item when the item before opens with one (round
    /// 132), not after an appositive in brackets, a lower-case item or a sentence.
    #[test]
    fn a_capital_after_a_capitalized_list_item_opens_a_name() {
        let at = |t: &str, w: &str| super::after_a_capitalized_list_item(t, t.find(w).unwrap());
        assert!(at("8 ngành: Công nghệ thực phẩm, Đảm bảo chất lượng", "Đảm"));
        assert!(!at("Hoàng Công Lương (SN 1986), Bác sĩ khoa Hồi sức", "Bác"));
        assert!(!at("cần thực phẩm, Đảm bảo chất lượng", "Đảm"));
        assert!(!at("Họ nói thế. Rồi, Đảm bảo chất lượng", "Đảm"));
        assert!(!at("Công nghệ thực phẩm Đảm bảo chất lượng", "Đảm"));
    }

    #[test]
    fn the_majority_wins_and_the_message_counts_both_forms() {
        let e = engine(RULES);
        let found = check(&e, "Kiểm tra kĩ.\n\nRồi kỹ càng, kĩ lưỡng.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "kỹ");
        assert_eq!(
            found[0].message,
            "Bài viết dùng cả “kĩ” (2 lần) và “kỹ” (1 lần): “kỹ” → “kĩ”"
        );
        assert_eq!(fix(&e, "kỹ càng. Kĩ lưỡng, KĨ"), "kĩ càng. Kĩ lưỡng, KĨ");
        // A tie goes to the form used first when the group prefers none: reported, but
        // `--fix` leaves it (a tie says nothing about the article's choice).
        let tie = check(&e, "kỹ càng. Kĩ lưỡng");
        assert_eq!(tie.len(), 1);
        assert_eq!(tie[0].found, "Kĩ");
        assert_eq!(fix(&e, "kỹ càng. Kĩ lưỡng"), "kỹ càng. Kĩ lưỡng");
    }

    #[test]
    fn a_fix_of_punctuation_keeps_the_letters_as_written() {
        // `Tp. Nam Định` among `TP` forms (real news, baomoi): the dot goes, `Tp` stays as the
        // writer spelt it; `TP` against `Tp` is the abbreviation rule's choice, and a fix here
        // that also wrote `TP` would contradict that rule's fix on the same span.
        let rules = r#"
[[rule]]
id = "prefix"
kind = "consistency"
message = "“{found}” → “{expected}”"
forms = ["TP", "TP."]
groups = [
  { variants = ["TP Hà Nội", "TP. Hà Nội"] },
  { variants = ["TP Nam Định", "TP. Nam Định"] },
]
"#;
        let e = engine(rules);
        let t = "Từ TP Hà Nội về TP Nam Định, rồi Tp. Nam Định.";
        let found = check(&e, t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].message, "“Tp. Nam Định” → “Tp Nam Định”");
        assert_eq!(fix(&e, t), "Từ TP Hà Nội về TP Nam Định, rồi Tp Nam Định.");
        let t = "Từ Tp. Hà Nội về Tp. Nam Định, rồi TP Nam Định.";
        assert_eq!(fix(&e, t), "Từ Tp. Hà Nội về Tp. Nam Định, rồi TP. Nam Định.");
        // Letters that differ are still rewritten in the found case shape.
        use super::punctuation_only_rewrite;
        assert_eq!(punctuation_only_rewrite("Kĩ", "kĩ", "kỹ"), None);
        assert_eq!(
            punctuation_only_rewrite("TP. HÀ NỘI", "TP. Hà Nội", "TP Hà Nội").as_deref(),
            Some("TP HÀ NỘI")
        );
        assert_eq!(punctuation_only_rewrite("TP.  Hà Nội", "TP. Hà Nội", "TP Hà Nội"), None);
        // A variant's space missing after its mark (`unspaced-after`) is put back first.
        use super::respaced;
        let marks = vec![".".to_string()];
        assert_eq!(respaced("Tp.Hà Nội", "TP. Hà Nội", &marks), "Tp. Hà Nội");
        assert_eq!(respaced("Tp.Hà Nội", "TP. Hà Nội", &[]), "Tp.Hà Nội");
        assert_eq!(respaced("TP. Hà Nội", "TP. Hà Nội", &marks), "TP. Hà Nội");
        // Round 52: `TP.Cam Ranh` counts as the dotted form, and its rewrite keeps `Tp`.
        let e = engine(&format!("{rules}unspaced-after = [\".\"]\n"));
        let t = "Từ TP Hà Nội về TP Nam Định, rồi Tp.Nam Định.";
        assert_eq!(fix(&e, t), "Từ TP Hà Nội về TP Nam Định, rồi Tp Nam Định.");
        let t = "Từ TP.Hà Nội về TP.Nam Định, rồi TP Nam Định.";
        assert_eq!(fix(&e, t), "Từ TP.Hà Nội về TP.Nam Định, rồi TP. Nam Định.");
        assert_eq!(check(&engine(rules), t).len(), 0);
    }

    #[test]
    fn quotations_are_left_out_where_the_rule_says_so() {
        // Real news (baomoi, round 7): a word choice inside a quotation is the source's word.
        let e = engine(&format!("{RULES}skip-quotations = true\n"));
        let t = "Kiểm tra kĩ, kĩ lưỡng. Ông viết: “phải làm kỹ, làm thật kỹ” (1).";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        assert_eq!(check(&e, "Kiểm tra kĩ, kĩ lưỡng, rồi kỹ càng.").len(), 1);
        // By default a spelling choice holds in quotations too.
        assert_eq!(check(&engine(RULES), t).len(), 2);
    }

    #[test]
    fn one_form_alone_is_not_reported_even_if_not_preferred() {
        let e = engine(RULES);
        assert!(check(&e, "Ở TP HCM và TP HCM... rồi kĩ").is_empty());
    }

    #[test]
    fn exceptions_hide_occurrences_inside_other_words() {
        let e = engine(
            r#"
[[rule]]
id = "v"
kind = "consistency"
message = "{found} → {expected}"
groups = [{ variants = ["hằng ngày", "hàng ngày"], exceptions = ["khách hàng ngày", "hàng ngày trời"] }]
"#,
        );
        assert!(check(&e, "Hằng ngày tôi đi. Khách hàng ngày càng đông, chờ hàng ngày trời.").is_empty());
        assert_eq!(check(&e, "Hằng ngày tôi đi, hàng ngày về.").len(), 1);
    }

    #[test]
    fn prefer_breaks_ties_only_and_punctuation_needs_no_word_boundary() {
        let e = engine(RULES);
        // Three-way and two-way ties: the preferred forms win, offered only.
        let tied = "TPHCM, TP.HCM và TP HCM. Chờ...rồi…";
        let found = check(&e, tied);
        assert_eq!(found.iter().map(|f| f.fix.as_deref()).collect::<Vec<_>>().len(), 3);
        assert_eq!(fix(&e, tied), tied);
        assert_eq!(
            fix(&e, "TPHCM, TP.HCM, TP.HCM và TP HCM. Chờ...rồi… rồi…"),
            "TP.HCM, TP.HCM, TP.HCM và TP.HCM. Chờ…rồi… rồi…"
        );
        // The majority beats the preferred form.
        assert_eq!(fix(&e, "TP HCM, TP HCM và TP.HCM."), "TP HCM, TP HCM và TP HCM.");
        // Case-sensitive group: `tphcm` is not a variant.
        assert!(check(&e, "tphcm và TP.HCM").is_empty());
    }

    #[test]
    fn a_spaced_hyphen_inside_a_document_number_is_not_a_dash() {
        let e = engine(
            r#"
[[rule]]
id = "dash"
kind = "consistency"
message = "{majority} / {minority}"
groups = [{ variants = [" - ", " – "], word = false }]
"#,
        );
        let text = "Theo Quyết định 89/2016/QĐ - UBND, năm học 2016 – 2017 và 2017 – 2018.";
        assert!(check(&e, text).is_empty());
        assert_eq!(fix(&e, text), text);
        // Prose dashes still count: a capital after a plain word is a name, not a code.
        assert_eq!(check(&e, "Hà Nội - Hải Phòng – Quảng Ninh – Hạ Long.").len(), 1);
        assert_eq!(check(&e, "Mã 12/AB - Hà Nội – Huế – Vinh.").len(), 1);
        // A byline's or credit's dash closing the text is not counted against its prose.
        let text = "Ngôi sao khoác áo Bayern – Douglas Costa.\n\nBình An - Thể thao Việt Nam | 22:15 07/06/2017";
        assert!(check(&e, text).is_empty());
        assert!(check(&e, "Phòng vệ Quốc gia – NDF.\n\nẢnh: NT Nguyễn Thuận - ").is_empty());
        assert_eq!(check(&e, "Phòng vệ Quốc gia – NDF.\n\nHà Nội - Huế.").len(), 1);
        // Real news (seed 7101): a licence plate with stray spaces is not a dash either.
        let text = "Xe tải BKS 77C - 030.86 chạy hướng Huế – Đà Nẵng – Quảng Nam.";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        assert_eq!(check(&e, "Từ 8 - 10 giờ, tuyến Huế – Đà Nẵng – Quảng Nam.").len(), 1);
        // Round 38: a code spaced around `&`.
        let text = "Sở ra văn bản số 216/SGD & ĐT - VP về năm học 2016 – 2017 và 2017 – 2018.";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        assert_eq!(
            check(&e, "Trường ĐH & CĐ - Hà Nội, năm 2016 – 2017 và 2017 – 2018.").len(),
            1
        );
    }

    /// Real news (baomoi_21481580, round 13): `cầm vô - lăng` is the loan word `vô-lăng` typed
    /// with spaces; counted as a dash, the article's en dashes outvoted it and the safe fix wrote
    /// `vô – lăng`. It still counts (a pair of words is joined the same way: `giá mua - bán`), but
    /// the fix waits for the editor.
    #[test]
    fn a_spaced_hyphen_that_may_be_inside_a_word_is_not_fixed_safely() {
        let e = engine(DASH_RULE);
        let text = "Tuyến Phú Quốc – Thổ Châu, Rạch Giá – Nam Du; cầm vô - lăng là tôi xúc động.";
        assert_eq!(check(&e, text).len(), 1);
        assert_eq!(fix(&e, text), text);
        // A dash beside a capital is fixed as before; between two lower-case words it may be
        // a compound's hyphen as well as a dash (`anh ấy - người`): offered, not applied
        // (round 53). Between two compounds (`xúc tiến đầu tư - thương mại`) it is not counted.
        assert_eq!(
            fix(&e, "Tuyến Huế – Vinh; “Đi thôi” – ông Ba nói, vô - Lăng."),
            "Tuyến Huế – Vinh; “Đi thôi” – ông Ba nói, vô – Lăng."
        );
        // Round 92: a majority made only of joins of names, against a minority with none, is
        // two uses: offered, not applied.
        let text = "Huế – Vinh – Đà Nẵng, vô - Lăng.";
        assert_eq!(check(&e, text).len(), 1);
        assert_eq!(fix(&e, text), text);
        for text in [
            "Tuyến Huế – Vinh – Đà Nẵng; anh ấy - người từng lái tàu.",
            "Huế – Vinh – Đà Nẵng; tội danh mới - đó là tội khác.",
        ] {
            assert_eq!(check(&e, text).len(), 1);
            assert_eq!(fix(&e, text), text);
        }
    }

    /// A spaced dash in the rules of this module's dash tests.
    const DASH_RULE: &str = r#"
[[rule]]
id = "dash"
kind = "consistency"
message = "{majority} / {minority}"
groups = [{ variants = [" - ", " – "], prefer = " - ", word = false }]
"#;

    /// Judged on real news (round 21): `Kỹ thuật điện tử, truyền thông` (a degree's name) was
    /// respelled `Kĩ thuật` by a safe fix among three `Vật lí`: a capitalized minority
    /// occurrence may be a name's, so the fix is offered, not applied (in consistency mode; a
    /// stated preference still applies).
    #[test]
    fn a_dash_in_a_quoted_name_is_the_names_own() {
        // Real news, rounds 31 and 32: a plan's quoted title against the sapo's hyphen.
        let e = engine(DASH_RULE);
        let t = "Ông Vinh - Chủ tịch Hiệp hội.\nXem lại “Quy hoạch Khu Du lịch Sơn Trà – TP.Đà Nẵng” ngay.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Quoted speech is prose: its dash counts.
        let speech = "Ông Vinh - Chủ tịch Hiệp hội.\nÔng nói: “Chúng tôi – những người làm du lịch – đã chờ. Rồi sao”.";
        assert_eq!(check(&e, speech).len(), 1, "{:?}", check(&e, speech));
        // Round 35: a caption run into the text lost the title's closing mark.
        let lost =
            "Trường Lê Lợi – Hà Nội.\nCác bé dự cuộc thi “Tẩy giun học đường - 2017 Ngoài ra, trường còn phát thuốc.";
        assert!(check(&e, lost).is_empty(), "{:?}", check(&e, lost));
        // An unclosed quotation whose dash a lower-case word follows is prose.
        let open_speech = "Trường Lê Lợi – Hà Nội.\nCô nói: “Chúng tôi - những giáo viên đã chờ mãi";
        assert_eq!(check(&e, open_speech).len(), 1, "{:?}", check(&e, open_speech));
        // Round 38: a parenthesized gloss of a quoted name copies its dash.
        let gloss = "Trường Lê Lợi – Hà Nội – Huế.\nCâu “Ly Nha Ky - The new voice of Vietnam” (Lý Nhã Kỳ - Tiếng nói mới của Việt Nam) gây tranh cãi.";
        assert!(check(&e, gloss).is_empty(), "{:?}", check(&e, gloss));
        let aside = "Trường Lê Lợi – Hà Nội – Huế.\nÔng nói “được” (nhưng rồi - như mọi khi - ông quên).";
        assert_eq!(check(&e, aside).len(), 2, "{:?}", check(&e, aside));
        // Round 70: a name whose parts a semicolon joins, closed by a straight mark.
        let joined = "Ông Vinh - Chủ tịch Hiệp hội.\nTriển lãm “Tình hữu nghị Việt Nam – Lào; TPHCM – Thủ đô Viêng Chăn – tỉnh Champasak phát triển\" mở cửa.";
        assert!(check(&e, joined).is_empty(), "{:?}", check(&e, joined));
    }

    #[test]
    fn a_majority_that_rests_on_quotations_is_offered_not_applied() {
        // Real news, round 32: a staff member's quoted `kí` twice against the reporter's
        // `kỹ thuật`; the reporter's own spelling is y.
        // Since round 126 (a quoted letter's `lí do` among the article's `lý`, judged
        // DEBATABLE twice) a writer whose own words keep one form makes no mix: nothing is
        // reported.
        let e = engine(SHARED);
        let t = "Anh ấy nói: “Em lí do, lí do”. Phòng kỹ thuật nhận đơn.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // A writer who mixes too is reported, and the quotations' majority is offered only.
        let t = "Anh ấy nói: “Em lí do, lí do”. Phòng kỹ thuật nhận đơn vì lí do riêng.";
        assert!(!check(&e, t).is_empty());
        assert_eq!(fix(&e, t), t);
        // Outside quotations the same counts are fixed.
        assert_eq!(
            fix(&e, "Em lí do, lí do. Phòng kỹ thuật nhận đơn."),
            "Em lí do, lí do. Phòng kĩ thuật nhận đơn."
        );
        // Where the writer's own words agree with the quotations, too.
        assert_eq!(
            fix(
                &e,
                "Anh ấy nói: “Em lí do, lí do”. Lí do là vậy, lí do rõ. Phòng kỹ thuật nhận đơn."
            ),
            "Anh ấy nói: “Em lí do, lí do”. Lí do là vậy, lí do rõ. Phòng kĩ thuật nhận đơn."
        );
    }

    #[test]
    fn a_thin_vote_against_the_documents_own_syllables_is_offered_not_applied() {
        // Real news, round 34: `kỉ lục` twice against `mỹ mãn`, in an article that writes
        // `ký` three times and `kỳ` twice in words of no group.
        let e = engine(SHARED);
        let t = "Em nêu lí do, lí do. Phòng kỹ thuật có lý lẽ, lý lẽ, lý luận.";
        assert_eq!(check(&e, t).len(), 1);
        assert_eq!(fix(&e, t), t);
        // Where the document's other syllables agree with the vote, the fix is applied.
        assert_eq!(
            fix(&e, "Em nêu lí do, lí do. Phòng kỹ thuật có lí lẽ."),
            "Em nêu lí do, lí do. Phòng kĩ thuật có lí lẽ."
        );
    }

    #[test]
    fn majorities_and_protected_spans() {
        assert!(quotations_decide(&[0, 0, 1], &[1]));
        assert!(quotations_decide(&[0, 0, 1, 1, 1], &[0, 1]));
        assert!(!quotations_decide(&[0, 0, 1], &[0, 1, 0]));
        assert!(!quotations_decide(&[0, 0, 1], &[0]));
        assert!(!quotations_decide(&[0, 0, 1], &[]));
        assert_eq!(strict_majority(&[2, 0, 2]), Some(2));
        assert_eq!(strict_majority(&[1, 0]), None);
        let p = Protected::new(vec![0..10, 2..4, 5..30, 40..50]);
        for (range, inside) in [
            (3..4, true),
            (6..25, true),
            (30..31, false),
            (35..41, false),
            (41..50, true),
        ] {
            assert_eq!(p.contains(&range), inside, "{range:?}");
        }
        assert!(!Protected::new(Vec::new()).contains(&(0..1)));
    }

    #[test]
    fn a_capitalized_minority_of_a_spelling_system_is_not_fixed_safely() {
        let e = engine(SHARED);
        let t = "Anh học Kỹ thuật ở trường. Anh nói lí do, lí do và lí do.";
        assert_eq!(check(&e, t).len(), 1);
        assert_eq!(fix(&e, t), t);
        // In lower case the fix is applied.
        assert_eq!(
            fix(&e, "Anh học kỹ thuật ở trường. Anh nói lí do, lí do và lí do."),
            "Anh học kĩ thuật ở trường. Anh nói lí do, lí do và lí do."
        );
    }

    /// Judged on real news (round 19): list bullets and interview turns run into a paragraph
    /// are no dashes; counted, they outvoted the article's en dashes.
    #[test]
    fn a_bullet_after_a_clause_end_is_not_a_dash() {
        let e = engine(DASH_RULE);
        let t = "Hà Nội – Hải Phòng và Huế – Đà Nẵng. Gồm: - Xếp loại giỏi. - Xếp loại khá? - Có.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Round 30: after two spaces too.
        let t = "Hà Nội – Hải Phòng và Huế – Đà Nẵng. Vì: - Con nhỏ.  - Trẻ biết nhiều.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Round 31: a publication's tag opening the block (a dateline).
        for t in [
            "GD&TĐ - Cận thị tăng, Hà Nội – Huế.",
            "(BVPL) - Bốn sinh viên dự thi Hà Nội – Huế.",
            // Round 53: an outlet's name as it writes it.
            "(VnMedia) - Ngày 20/5, ca sĩ đến Hà Nội – Huế.",
            "(Dân trí) - Ngày 20/5, ca sĩ đến Hà Nội – Huế.",
            "Ca sĩ đến Hà Nội – Huế – Vinh.\n(Dân trí) - Ngày 20/5, ca sĩ đến Hà Nội.",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
        assert_eq!(check(&e, "Ông Nam - Cận thị tăng, Hà Nội – Huế.").len(), 1);
        // Round 36: a bullet run in after a clause without a stop, in a block with bullets.
        let t = "Lạc Long Quân – Âu Cơ. Gồm: - Nhắc tới trong văn bản - Đứa bé ba tuổi. Dân ta đoàn tụ - Không gian hiện thực.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Round 39: an item's label after a crosshead run into the text.
        let t = "Lạc Long Quân – Âu Cơ. Tình hình lực lượng - Arsenal: Cazorla chấn thương. - Hull: Henriksen.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Round 57: a label of two words after an item that lost its stop.
        let t = "Lạc Long Quân – Âu Cơ. Công dụng: - An thần: ngủ ngon. Cho vào cháo, bột trẻ em - Giảm cân: ăn ít.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Round 44: a related article's headline in brackets is not counted.
        let t = "Lạc Long Quân – Âu Cơ. Đọc thêm.  [Giá vàng - đô la tăng mạnh]  Hết.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Round 44: a temperature's minus sign.
        let t = "Lạc Long Quân – Âu Cơ. Xe chạy được kể cả khi lạnh - 40°C hay nóng 50°C.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // After a number it is a range, and counts.
        let t = "Lạc Long Quân – Âu Cơ. Nhiệt độ thấp nhất từ 18 - 21 độ C.";
        assert_eq!(check(&e, t).len(), 1, "{:?}", check(&e, t));
        // Round 40: an item that ends with a link.
        let t = "Lạc Long Quân – Âu Cơ. Đăng kí: - Đối với cá nhân: http://bit.ly/CaNhan - Đối với nhóm: http://bit.ly/Nhom";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Without bullets, a dash before a body's name is a dash.
        let t = "Lạc Long Quân – Âu Cơ. Khoa hồi sức tích cực - Bệnh viện Bạch Mai cho biết.";
        assert_eq!(check(&e, t).len(), 1, "{:?}", check(&e, t));
        // An apposition after a name is still a dash; a pair of two compounds in lower case
        // is a pair's hyphen typed with spaces, not counted (rounds 53 and 55).
        let t = "Lạc Long Quân – Âu Cơ, nhà văn Nguyễn Ngọc - Chủ tịch hội đồng.";
        assert_eq!(check(&e, t).len(), 1, "{t}");
        for t in [
            "Lạc Long Quân – Âu Cơ và phát triển kinh tế - xã hội.",
            "Hội chợ - triển lãm mở cửa ở châu Á – Thái Bình Dương và văn hóa - xã hội.",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
        // After a name, such a dash opens an apposition.
        let t = "Ga Hà Nội – Hải Phòng; quyền quyết định nằm trong tay Tòa án Hiến pháp - cơ quan xét xử.";
        assert_eq!(check(&e, t).len(), 1, "{t}");
        // Round 55: a directive's number typed with a dash before its issuer's code, and a
        // dateline whose outlet's first part the page lost.
        for t in [
            "Thực hiện Chỉ thị 40 – CT/TW và Chỉ thị 40 – CT/TW, tỉnh Hà Nam - Ninh Bình.",
            "Online – Sáng 1-6, đoàn về Hà Nội - Hải Phòng.",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
        // Between words, a spaced hyphen is still the other form.
        assert_eq!(
            check(&e, "Hà Nội – Hải Phòng, Huế – Đà Nẵng và Vinh - Hà Tĩnh.").len(),
            1
        );
        // Round 53: a minority hyphen between lower-case words (`kinh tế - xã hội`) may be
        // a compound's: reported, but `--fix` leaves it.
        let t = "Hà Nội – Hải Phòng, Huế – Đà Nẵng và anh ấy - người từng lái tàu.";
        assert_eq!(check(&e, t).len(), 1);
        assert_eq!(fix(&e, t), t);
        let t = "Hà Nội – Hải Phòng, Huế – Đà Nẵng và Vinh - Hà Tĩnh.";
        assert_ne!(fix(&e, t), t);
    }

    /// Real news (baomoi_22661837, round 13): the closing credit `Theo Văn Dũng - Tiến
    /// Hiệp/Dân trí`, printed twice, outvoted the article's en dashes.
    #[test]
    fn a_closing_credits_hyphen_is_not_a_dash() {
        let e = engine(&format!("{DASH_RULE}credit-openers = [\"Theo\"]\n"));
        let text = "Tuyến Huế – Vinh – Đà Nẵng. Anh bị bắt./. Theo Văn Dũng - Tiến Hiệp/Dân trí \
                    Theo Văn Dũng - Tiến Hiệp/Dân trí ";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        assert_eq!(fix(&e, text), text);
        let text = "Tuyến Huế – Vinh – Đà Nẵng.\nTheo GIA MINH - THÀNH ĐỒNG/Người Lao Động";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        // Without the opener in the options, the kind knows no credit word.
        assert_eq!(check(&engine(DASH_RULE), text).len(), 1);
        // Not a credit: a lower-case `theo`, no opener, prose after the publication or before the slash.
        for text in [
            "Tuyến Huế – Vinh – Đà Nẵng, theo Văn Dũng - Tiến Hiệp/Dân trí",
            "Tuyến Huế – Vinh – Đà Nẵng. Ông Văn Dũng - Tiến Hiệp/Dân trí",
            "Tuyến Huế – Vinh – Đà Nẵng. Theo Văn Dũng - Tiến Hiệp/Dân trí, vụ việc đã xong.",
            "Tuyến Huế – Vinh – Đà Nẵng. Theo Hà Nội - Hải Phòng nối liền/Dân trí",
        ] {
            assert_eq!(check(&e, text).len(), 1, "{text}");
        }
    }

    /// Real news (round 13): the hyphen before a caption's photo credit (`… Dầu Giây - Ảnh:
    /// Anh Quân`) is the credit's form, not a dash; counted, it outvoted the text's en dash.
    #[test]
    fn a_caption_credits_hyphen_is_not_a_dash() {
        let rule = r#"
[[rule]]
id = "dash"
kind = "consistency"
message = "{majority} / {minority}"
groups = [{ variants = [" - ", " – "], prefer = " - ", word = false }]
"#;
        let e = engine(&format!("{rule}credit-openers = [\"Theo\", \"Ảnh\", \"Ảnh minh\"]\n"));
        for text in [
            "Tuyến Huế – Vinh. Cầu mới ở Huế - Ảnh: Anh Quân Theo kế hoạch, cầu xong. Đường mới - Ảnh: Reuters",
            "Tuyến Huế – Vinh. Chung cư cũ - Ảnh minh họa: P.D Theo đó, dân dời đi.",
            "Tuyến Huế – Vinh. Bé gái chết. Ngọc Huyền - Theo CNN Nếu muốn, bạn hãy đi.",
            // Round 38: the credit in parentheses.
            "Tuyến Huế – Vinh. Vụ việc gây bức xúc dư luận - (Ảnh cắt từ clip). Về hướng xử lý.",
        ] {
            assert!(check(&e, text).is_empty(), "{text}: {:?}", check(&e, text));
            assert_eq!(check(&engine(rule), text).len(), 1, "{text}");
        }
        // Prose after the opener: a lower-case word, or no opener at all.
        for text in [
            "Tuyến Huế – Vinh. Ông nói - theo Ảnh: cầu mới.",
            "Tuyến Huế – Vinh. Ông nói - ảnh: cầu mới.",
            "Tuyến Huế – Vinh. Ông nói - Theo ông, cầu mới.",
        ] {
            assert_eq!(check(&e, text).len(), 1, "{text}");
        }
    }

    /// Real news (round 29): a closing byline of two reporters with its source in brackets.
    #[test]
    fn a_closing_bylines_hyphen_before_its_source_is_not_a_dash() {
        let rule = DASH_RULE;
        let e = engine(rule);
        let text = "Ông nói: “Vì sao?” – Todorov chia sẻ. Đăng Đức - Tuấn Linh (Tổng hợp từ Marca)";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        // Prose in the brackets, or more than a source, is no byline.
        let text = "Ông nói: “Vì sao?” – Todorov chia sẻ. Đăng Đức - Tuấn Linh (ảnh). Họ đi.";
        assert_eq!(check(&e, text).len(), 1);
        // Round 70: one name, a dash and a short note in brackets close the text.
        let text = "Ông nói: “Vì sao?” – Todorov chia sẻ. Kiệt Linh - (tổng hợp)";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        let text = "Ông nói: “Vì sao?” – Todorov chia sẻ. Kiệt Linh - (ông nói rằng mọi người đều đi)";
        assert_eq!(check(&e, text).len(), 1);
    }

    /// Real news (round 28): `Tin - ảnh: Sỹ Hưng` closing an article is a credit label; its
    /// hyphen tied the text's two en dashes against one hyphen.
    #[test]
    fn a_credit_labels_hyphen_is_not_a_dash() {
        let rule = DASH_RULE;
        let text = "Khoa Chấn thương – Chỉnh hình. Bác sĩ Anh – phó giám đốc. Ông nói - rồi đi. Tin - ảnh: SỸ HƯNG";
        let labelled = engine(&format!("{rule}[pack]\ncredit-labels = [\"Ảnh\", \"ảnh\"]\n"));
        let found: Vec<String> = check(&labelled, text).into_iter().map(|f| f.found).collect();
        assert_eq!(found, [" - "], "the text's one hyphen is the minority");
        // Without the pack's labels the credit's hyphen votes, and the tie goes to the hyphen.
        assert_eq!(check(&engine(rule), text).len(), 2);
        // A label must end in a colon: here the hyphen votes, ties, and the en dashes are reported.
        let prose =
            "Khoa Chấn thương – Chỉnh hình. Bác sĩ Anh – phó giám đốc. Ông nói - rồi đi. Tin - ảnh chụp hôm qua.";
        assert_eq!(check(&labelled, prose).len(), 2);
        // Round 38: a credit's names joined to the agency.
        let text = "Khoa Chấn thương – Chỉnh hình. Cầu đứt. Ảnh: Quang Đán - TTXVN Ông Dũng nói. Ảnh: Hà - VNA";
        assert!(check(&labelled, text).is_empty(), "{:?}", check(&labelled, text));
        let prose = "Khoa Chấn thương – Chỉnh hình. Lý do: Quang Đán - TTXVN Ông nói.";
        assert_eq!(check(&labelled, prose).len(), 1);
    }

    /// The words that may follow a caption credit's opener in lower case are the rule's
    /// (`credit-openers` entries of several words): none are built in, and an English list works.
    #[test]
    fn caption_credit_words_come_from_the_options() {
        let rule = r#"
[[rule]]
id = "dash"
kind = "consistency"
message = "{majority} / {minority}"
groups = [{ variants = [" - ", " – "], prefer = " - ", word = false }]
"#;
        let single = engine(&format!("{rule}credit-openers = [\"Theo\", \"Ảnh\"]\n"));
        let t = "Tuyến Huế – Vinh. Chung cư cũ - Ảnh minh họa: P.D Theo đó, dân dời đi.";
        assert_eq!(check(&single, t).len(), 1, "{t}");
        let en = engine(&format!("{rule}credit-openers = [\"Photo\", \"Photo courtesy\"]\n"));
        for t in [
            "Route A – B. The old bridge - Photo courtesy of the city. Then it fell.",
            "Route A – B. The old bridge - Photo: AP. Then it fell.",
            // Round 41: the label's colon after its last word.
            "Route A – B. The old bridge - Photo courtesy: AP. Then it fell.",
        ] {
            assert!(check(&en, t).is_empty(), "{t}: {:?}", check(&en, t));
        }
        // An entry's words all follow, in order, or it opens nothing.
        let t = "Route A – B. The old bridge - Photo of the city. Then it fell.";
        assert_eq!(check(&en, t).len(), 1, "{t}");
    }

    const SHARED: &str = r#"
[[rule]]
id = "iy"
kind = "consistency"
message = "Bài viết dùng cả dạng {majority} ({majority_count} lần) và dạng {minority} ({minority_count} lần): “{found}” → “{expected}”"
forms = ["y", "i"]
prefer = "y"
groups = [{ variants = ["kỹ thuật", "kĩ thuật"] }, { variants = ["lý do", "lí do"] }]
"#;

    /// Real news (round 11): the closing byline `Dam Aleanh - Đặng Lê Lành` is not prose; the
    /// article's one en dash is then alone and right.
    #[test]
    fn a_closing_bylines_hyphen_is_not_a_dash() {
        let e = engine(DASH_RULE);
        let text = "Số lượng chẵn – là những số thiêng.\nKhay thiêng Dam Aleanh - Đặng Lê Lành";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        // A dash before lower-case words, or followed by more text, still counts.
        assert_eq!(
            check(&e, "Số lượng chẵn – là số thiêng.\nHà Nội - Hải Phòng nối liền.").len(),
            1
        );
    }

    /// Judged HARMFUL on real news (round 115): `tại TP.` ending the text before a byline
    /// run into it (`Thái Bình`) read as `TP. Thái Bình`; the safe fix took the stop.
    #[test]
    fn a_dot_that_may_end_the_block_is_not_dropped_by_a_safe_fix() {
        let e = engine(
            r#"
[[rule]]
id = "city"
kind = "consistency"
message = "{found} → {expected}"
forms = ["TP", "TP."]
groups = [{ variants = ["TP Huế", "TP. Huế"] }, { variants = ["TP Thái Bình", "TP. Thái Bình"] }]
"#,
        );
        let byline = "Ở TP Thái Bình 🙂 và TP Huế, tình hình thực tế tại TP. Thái Bình\n";
        assert_eq!(check(&e, byline).len(), 1);
        assert_eq!(fix(&e, byline), byline);
        let byline = "Ở TP Thái Bình và TP Huế, tình hình tại TP. Thái Bình Nguyễn Văn";
        assert_eq!(fix(&e, byline), byline);
        // Inside the text, the dot goes.
        assert_eq!(
            fix(&e, "Ở TP Thái Bình và TP Huế, tại TP. Thái Bình có mưa."),
            "Ở TP Thái Bình và TP Huế, tại TP Thái Bình có mưa."
        );
    }

    #[test]
    fn one_choice_over_several_groups() {
        let e = engine(SHARED);
        assert!(check(&e, "Kĩ thuật và lí do.").is_empty());
        let found = check(&e, "Kĩ thuật, lí do và lý do khác, kĩ thuật mới.");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "Bài viết dùng cả dạng i (3 lần) và dạng y (1 lần): “lý do” → “lí do”"
        );
        // A tie goes to the preferred form, offered but not applied by `--fix`.
        let tie = check(&e, "Kĩ thuật và lý do.");
        assert_eq!(tie.len(), 1);
        assert_eq!(tie[0].found, "Kĩ thuật");
        assert_eq!(fix(&e, "Kĩ thuật và lý do."), "Kĩ thuật và lý do.");
    }

    /// Round 25: houses that write `tỉ` beside `lý`, `kỷ` (a word's own spelling, 517 baomoi
    /// articles against 31 with `lí`) are consistent: a named choice is counted apart.
    #[test]
    fn a_named_choice_is_counted_apart_from_the_rest() {
        let rules = SHARED.replace(
            "{ variants = [\"lý do\", \"lí do\"] }]",
            "{ variants = [\"lý do\", \"lí do\"] }, { variants = [\"tỷ đồng\", \"tỉ đồng\"], choice = \"tỉ\" }]",
        );
        let e = engine(&rules);
        // `tỉ` five times, `kỷ`-like words once: no word is written two ways.
        let consistent = "Vốn 1 tỉ đồng, 2 tỉ đồng, 3 tỉ đồng; lý do là kỹ thuật.";
        assert!(check(&e, consistent).is_empty(), "{:?}", check(&e, consistent));
        assert_eq!(check(&engine(SHARED), "Kĩ thuật, kĩ thuật và lý do.").len(), 1);
        // Within the named choice a mix is still reported, and so is one in the rest.
        let found = check(&e, "Vốn 1 tỉ đồng, 2 tỉ đồng, 3 tỷ đồng; lý do là kỹ thuật.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "tỷ đồng");
        assert_eq!(
            fix(&e, "Vốn 1 tỉ đồng, 2 tỉ đồng, 3 tỷ đồng; lý do, lý do và kĩ thuật."),
            "Vốn 1 tỉ đồng, 2 tỉ đồng, 3 tỉ đồng; lý do, lý do và kỹ thuật."
        );
    }

    /// Round 18: the groups of a spelling system are a sample; a syllable the document writes
    /// outside them, more often than the majority's syllable, is the writer's own spelling.
    #[test]
    fn a_syllable_written_outside_the_groups_keeps_its_spelling() {
        let e = engine(SHARED);
        // `lý` twice more outside the groups, `lí` never: `lý do` stays, NFC or NFD.
        let consistent = "Kĩ thuật mới, kĩ thuật cũ và lý do. Đó là nghịch lý, bệnh lý.";
        assert!(check(&e, consistent).is_empty());
        assert!(check(
            &e,
            &unicode_normalization::UnicodeNormalization::nfd(consistent).collect::<String>()
        )
        .is_empty());
        // Written outside but less often than `lí`: still a minority, still reported.
        let mixed = "Kĩ thuật, lí do, lí lẽ và lý do. Thật là nghịch lý 🙂.";
        let found = check(&e, &mixed.replace("lí lẽ", "lí do"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "lý do");
        // A name does not spell the syllable (`ông Lý`); only lower case counts.
        assert_eq!(check(&e, "Kĩ thuật, kĩ thuật và lý do của ông Lý, bà Lý.").len(), 1);
        // The minority's syllable also written outside (`nghịch lý`), though less often than
        // the majority's: reported, but its fix would leave that one, so it is offered.
        let left = "Kĩ thuật, lí do, lí do và lý do. Thật là nghịch lý 🙂.";
        assert_eq!(check(&e, left).len(), 1);
        assert_eq!(fix(&e, left), left);
        assert_eq!(
            fix(&e, "Kĩ thuật, lí do, lí do và lý do. Thật là kĩ 🙂."),
            "Kĩ thuật, lí do, lí do và lí do. Thật là kĩ 🙂."
        );
        // A capitalized occurrence also written inside a name is the name's own.
        let e = engine(&SHARED.replace(
            r#"{ variants = ["lý do", "lí do"] }"#,
            r#"{ variants = ["lý do", "lí do"] }, { variants = ["Địa lý", "Địa lí"] }"#,
        ));
        let name = "Kĩ thuật, kĩ thuật, kĩ thuật. Sách Atlat Địa lý Việt Nam dùng cho môn thi Địa lý (theo quy chế).";
        assert!(check(&e, name).is_empty());
        assert_eq!(
            check(&e, "Kĩ thuật, kĩ thuật, kĩ thuật. Môn thi Địa lý (theo quy chế).").len(),
            1
        );
    }

    #[test]
    fn prefer_mode_enforces_and_off_mode_is_silent() {
        let prefer = SHARED.replace("prefer = \"y\"", "prefer = \"y\"\nmode = \"prefer\"");
        let e = engine(&prefer);
        let found = check(&e, "Kĩ thuật và lí do.");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].message, "House style is “y”, not “i”");
        assert_eq!(fix(&e, "Kĩ thuật và lí do."), "Kỹ thuật và lý do.");
        let off = SHARED.replace("prefer = \"y\"", "mode = \"off\"");
        assert!(check(&engine(&off), "Kĩ thuật, lí do và lý do.").is_empty());
    }

    /// Real news, rounds 92, 93, 113 and 117: names linked by one mark and asides set off by
    /// the other were reported as a mix.
    #[test]
    fn names_apart_leaves_two_consistent_uses_alone() {
        let rules = r#"
[[rule]]
id = "dash"
kind = "consistency"
message = "{majority} ({majority_count}) / {minority} ({minority_count})"
names-apart = true
apposition-words = ["Phó"]
groups = [{ variants = [" - ", " – "], prefer = " - ", word = false }]
"#;
        let e = engine(rules);
        let two_uses = "Quan hệ Mỹ - Trung 🙂 và Nhật Bản - Hàn Quốc; tỷ giá – ngưỡng tâm lý; ông A – Phó giám đốc.";
        assert!(check(&e, two_uses).is_empty(), "{:?}", check(&e, two_uses));
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd(two_uses).collect();
        assert!(check(&e, &nfd).is_empty());
        // Without the option the same text is a mix.
        assert_eq!(
            check(&engine(&rules.replace("names-apart = true\n", "")), two_uses).len(),
            2
        );
        // A mix inside either use is reported, counted over both.
        let mixed = "Quan hệ Mỹ - Trung và Nhật Bản – Hàn Quốc; tỷ giá – ngưỡng tâm lý.";
        let found = check(&e, mixed);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].message, " –  (2) /  -  (1)");
    }

    /// The error of loading `rules` and building an engine from them, or `None`.
    fn load_error(rules: &str) -> String {
        let files = vec![crate::pack::SourceFile::new("t.toml", rules)];
        match crate::pack::load_files("t", "t", files) {
            Err(e) => format!("{e:?}"),
            Ok(pack) => format!("{:?}", crate::project::build_engine(&[pack], None, &[], None).err()),
        }
    }

    #[test]
    fn bad_choices_are_located_errors() {
        let err = load_error;
        let no_prefer = SHARED.replace("prefer = \"y\"", "mode = \"prefer\"");
        assert!(err(&no_prefer).contains("prefer"), "{}", err(&no_prefer));
        let typo = SHARED.replace("prefer = \"y\"", "mode = \"consistent\"");
        assert!(err(&typo).contains("mode"), "{}", err(&typo));
        let short = SHARED.replace("[\"lý do\", \"lí do\"]", "[\"lý do\", \"lí do\", \"lí dô\"]");
        assert!(err(&short).contains("one variant per form"), "{}", err(&short));
        let named = RULES.replacen("variants = [", "choice = \"x\", variants = [", 1);
        assert!(
            err(&named).contains(".choice") && err(&named).contains("forms"),
            "{}",
            err(&named)
        );
        // Prefer mode needs a preferred form in every group.
        let group_prefer = RULES.replace("kind = \"consistency\"", "kind = \"consistency\"\nmode = \"prefer\"");
        assert!(
            err(&group_prefer).contains("groups[0].prefer"),
            "{}",
            err(&group_prefer)
        );
    }

    #[test]
    fn ranges_apart_counts_ranges_in_their_own_choice() {
        let rules = r#"
[[rule]]
id = "dash"
kind = "consistency"
message = "dash {majority} {majority_count} {minority} {minority_count}"
ranges-apart = true
ranges-message = "range {majority} {majority_count} {minority} {minority_count}"
groups = [{ variants = [" - ", " – "], word = false, prefer = " - " }]
"#;
        let e = engine(rules);
        // Round 59 (baomoi): en dashes in ranges, hyphens between words, a model year's hyphen.
        let t = "Giá từ 15.800 – 17.800 won, khu China Town - phố Tàu - chợ cũ.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        assert!(check(&e, "Xe Mazda3 - 2017 và Mazda3 - 2018 có hệ thống GVC – bước đột phá.").is_empty());
        // Round 64: times are ranges too.
        assert!(check(
            &e,
            "Từ 5h - 6h sáng, ông Xuân Cường – Giám đốc, và ông Khoa – Phó Chủ tịch."
        )
        .is_empty());
        // Round 124: a range of grades in Roman numerals.
        let t = "Thận ứ nước độ III – IV, sỏi độ I – II; ông A - bác sĩ - và bà B - y tá.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Round 63: a model before a number of another kind is set off by a dash.
        let t =
            "Galaxy S8 – 3000 mAh, Galaxy S8 – 18,49 triệu đồng, máy tám lõi – octa core, hãng nổi tiếng - Consumer.";
        let found = check(&e, t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].found, " - ");
        // Ranges that mix marks are weighed among themselves, with the ranges' message.
        let t = "Phố Tàu – chợ cũ – bến xe, từ 2 - 3 lần đến 4 - 5 lần, 6 – 7 lần.";
        let found = check(&e, t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].message, "range  -  2  –  1");
        assert_eq!(
            fix(&e, t),
            "Phố Tàu – chợ cũ – bến xe, từ 2 - 3 lần đến 4 - 5 lần, 6 - 7 lần."
        );
        // Without the option a range and a dash are one choice.
        let together = rules.replace("ranges-apart = true\n", "").replace(
            "ranges-message = \"range {majority} {majority_count} {minority} {minority_count}\"\n",
            "",
        );
        assert_eq!(
            check(
                &engine(&together),
                "Giá từ 15.800 – 17.800 won, khu China Town - phố Tàu."
            )
            .len(),
            1
        );
    }

    #[test]
    fn a_cued_titles_words_are_its_own() {
        // Round 66 (baomoi): the safe fix respelled `bác sĩ` inside a project's title.
        let t = "Các bác sỹ trẻ, bác sỹ tình nguyện. Dự án “Thí điểm đưa bác sĩ trẻ về miền núi” đã xong.";
        let rules = RULES.replace(
            "{ variants = [\"kỹ\", \"kĩ\"] },",
            "{ variants = [\"bác sỹ\", \"bác sĩ\"] },",
        );
        assert_eq!(check(&engine(&rules), t).len(), 1);
        let cued = rules.replace(
            "kind = \"consistency\"",
            "kind = \"consistency\"\ntitle-cues = [\"Dự án\"]",
        );
        assert!(check(&engine(&cued), t).is_empty(), "{:?}", check(&engine(&cued), t));
        // A quotation after another word, or opening in lower case, is no title.
        let t = "Các bác sỹ trẻ, bác sỹ tình nguyện. Ông nói “Thí điểm đưa bác sĩ trẻ” đã xong.";
        assert_eq!(check(&engine(&cued), t).len(), 1);
    }

    /// Judged FALSE on real news (rounds 119, 121 and 123): a dispatch reproduced word for word
    /// after `như sau:` counted as the writer's words.
    #[test]
    fn text_after_a_reproduction_cue_is_the_sources() {
        let rules = RULES.replace(
            "{ variants = [\"kỹ\", \"kĩ\"] },",
            "{ variants = [\"bảo đảm\", \"đảm bảo\"] },",
        );
        let t = "Tỉnh đảm bảo an toàn, đảm bảo tiến độ. Công điện như sau: bảo đảm an toàn.\n\nSau đó bảo đảm tiến độ.";
        let uncued = check(&engine(&rules), t);
        assert_eq!(uncued.len(), 2, "{uncued:?}");
        let skipping = rules.replace(
            "kind = \"consistency\"",
            "kind = \"consistency\"\nskip-quotations = true",
        );
        assert_eq!(check(&engine(&skipping), t).len(), 2);
        let cued = skipping.replace(
            "skip-quotations = true",
            "skip-quotations = true\nreproduction-cues = [\"như sau:\"]",
        );
        let alone = rules.replace(
            "kind = \"consistency\"",
            "kind = \"consistency\"\nreproduction-cues = [\"như sau:\"]",
        );
        assert!(
            load_error(&alone).contains("reproduction-cues"),
            "{}",
            load_error(&alone)
        );
        // The block after the cue is left out; the next block is the writer's again.
        let found = check(&engine(&cued), t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].found, "bảo đảm", "{found:?}");
        // Round 127: speech in straight single marks is a quotation to these rules too.
        let t = "Tỉnh đảm bảo an toàn, đảm bảo tiến độ. Ông nói: 'Chúng tôi bảo đảm an toàn', rồi đi.";
        assert_eq!(check(&engine(&rules), t).len(), 1);
        assert!(check(&engine(&skipping), t).is_empty());
    }

    /// Judged HARMFUL on real news (round 78): an inscription quoted word for word (`Mộ liệt
    /// sĩ chưa biết tên`) respelled to the article's own `liệt sỹ` by a safe fix. A minority
    /// inside a quotation is reported, its fix offered, not applied; in the prose it is fixed.
    #[test]
    fn a_quoted_minority_is_offered_not_applied() {
        let rules = RULES.replace(
            "{ variants = [\"kỹ\", \"kĩ\"] },",
            "{ variants = [\"liệt sỹ\", \"liệt sĩ\"] },",
        );
        let e = engine(&rules);
        // (Straight single marks are no quotation to the block's protected spans: an apostrophe
        // as often; in the article, double marks around the same words made the group unsafe.)
        for quoted in [
            "Nghĩa trang có 20 liệt sỹ, 30 liệt sỹ. Bia ghi “Mộ liệt sĩ chưa biết tên” nay được khắc lại.",
            "Nghĩa trang có 20 liệt sỹ, 30 liệt sỹ. Bia ghi \"Mộ liệt sĩ chưa biết tên\" nay được khắc lại.",
        ] {
            assert_eq!(check(&e, quoted).len(), 1, "{quoted}");
            assert_eq!(fix(&e, quoted), quoted);
        }
        let prose = "Nghĩa trang có 20 liệt sỹ, 30 liệt sỹ. Mộ liệt sĩ chưa biết tên được khắc lại.";
        assert_eq!(fix(&e, prose), prose.replace("liệt sĩ", "liệt sỹ"));
    }

    #[test]
    fn ranges_apart_needs_a_groups_own_choice() {
        let err = load_error;
        let with_forms = SHARED.replace("prefer = \"y\"", "prefer = \"y\"\nranges-apart = true");
        assert!(err(&with_forms).contains("ranges-apart"), "{}", err(&with_forms));
        let message_alone = RULES.replace(
            "kind = \"consistency\"",
            "kind = \"consistency\"\nranges-message = \"x\"",
        );
        assert!(
            err(&message_alone).contains("ranges-message"),
            "{}",
            err(&message_alone)
        );
        let ok = RULES.replace("kind = \"consistency\"", "kind = \"consistency\"\nranges-apart = true");
        assert_eq!(err(&ok), "None");
    }

    #[test]
    fn words_inside_words_nfd_and_emoji() {
        let e = engine(RULES);
        assert!(check(&e, "kỹx và kĩ, ckỹ").is_empty());
        let text = "😀 ky\u{303} va\u{300} ki\u{303}";
        let found = check(&e, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, "ki\u{303}");
        assert_eq!(found[0].fix.as_deref(), Some("ky\u{303}"));
    }

    #[test]
    fn masked_markdown_is_not_an_occurrence() {
        let e = engine(RULES);
        assert!(check_markdown(&e, "Viết `kĩ` hay kỹ?\n").is_empty());
        assert_eq!(check_markdown(&e, "# kĩ\n\nViết kỹ.\n").len(), 1);
    }

    #[test]
    fn block_facts_depend_only_on_the_block() {
        use crate::engine::BlockCache;
        let e = engine(RULES);
        let mut cache = BlockCache::new();
        let a = crate::document::Document::plain_body("kĩ\n\nkỹ");
        assert_eq!(e.check_cached(&a, &mut cache).len(), 1);
        let text = "kỹ\n\nkĩ";
        let b = crate::document::Document::plain_body(text);
        let d = e.check_cached(&b, &mut cache);
        assert_eq!(cache.hits, 2);
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].range.clone()], "kĩ");
    }

    #[test]
    fn the_doc_example_passes() {
        doc_examples_pass(<super::Consistency as super::RuleKind>::DOC);
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
