#![doc = include_str!("quotes.md")]

use std::ops::Range;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use super::choice::{self, Choice, Choices, Mode, Occurrence};
use super::{
    BlockInput, BlockOutput, Checker, DocFact, DocumentInput, Fact, Noted, RuleError, RuleIdx, RuleInput, RuleKind,
    RuleMeta,
};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::MASK_CHAR;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Outer opening and closing quote.
    #[serde(default = "outer")]
    pub outer: [String; 2],
    /// Inner (nested) opening and closing quote.
    #[serde(default = "inner")]
    pub inner: [String; 2],
    /// Sub-checks. Default: all.
    #[serde(default)]
    pub checks: Option<Vec<Check>>,
    /// How the choice between curly and straight quotes is checked (the `straight`
    /// sub-check): `consistency` (default), `prefer` or `off`.
    #[serde(default)]
    pub mode: Mode,
    /// The preferred quote style: enforced with `mode = "prefer"`, the tie-break otherwise.
    #[serde(default)]
    pub prefer: Style,
    /// Words after which a straight quote standing between two spaces opens a quotation
    /// (`mà nói " Không còn …`); a `:` always does. Default: none (the language's verbs of
    /// speech come from the pack).
    #[serde(default)]
    pub opening_words: Vec<String>,
    /// Labels before a video's or clip's title run into the text (`Video`, `Clip`), each
    /// followed by `:`: a quotation at the top level of the sentence one opens keeps the
    /// headline's single quotes (the `nesting` sub-check). As written. Default: none.
    #[serde(default)]
    pub title_labels: Vec<String>,
}

/// A sub-check of the `quotes` kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// Curly or straight quotes: a house choice (see `mode`).
    Straight,
    /// A quote opened and never closed in its paragraph.
    Unbalanced,
    /// Outer quotes used inside, inner ones outside.
    Nesting,
    /// Spaces just inside the quotes.
    InnerSpace,
    /// A quotation opened with one kind of mark and closed with another (`'tân binh"`,
    /// `‘như nấm”`).
    Mismatched,
}

/// The two quote styles of the `straight` choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// The rule's `outer` and `inner` quotes (`“…”`, `‘…’`).
    #[default]
    Curly,
    /// `"…"` and `'…'`.
    Straight,
}

/// Which sub-checks a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Checks {
    straight: bool,
    unbalanced: bool,
    nesting: bool,
    inner_space: bool,
    mismatched: bool,
}

impl Checks {
    fn of(list: Option<&[Check]>) -> Checks {
        let on = |c: Check| list.is_none_or(|l| l.contains(&c));
        Checks {
            straight: on(Check::Straight),
            unbalanced: on(Check::Unbalanced),
            nesting: on(Check::Nesting),
            inner_space: on(Check::InnerSpace),
            mismatched: on(Check::Mismatched),
        }
    }
}

/// The forms of the `straight` choice, as indices of its labels and rewrites.
const CURLY: usize = 0;
const STRAIGHT: usize = 1;
/// A quotation opened in one style and closed in the other (`“…"`): neither style, so it
/// does not vote, and it is rewritten into whichever style wins.
const MIXED: usize = 2;

/// What the block pass notes for the document pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteFact {
    /// A pair of quotes counted in the `straight` choice.
    Pair(PairFact),
    /// Nesting check: a pair inside quotes in the outer style, and one in the inner
    /// style. Outer-in-outer is reported only where the document also nests the house
    /// way: many dailies nest with “…” throughout, a consistent choice.
    NestedOuter,
    NestedInner,
    /// Nesting check: a quotation at the top level in the inner style (`‘…’`), and one
    /// in a double style (curly or straight). The first is reported where the document
    /// also quotes with doubles at the top level: some sites quote with `‘…’` throughout,
    /// doubles inside, a consistent choice (judged DEBATABLE on real news, rounds 37 and 109).
    TopInner,
    DoubleUsed,
    /// Nesting check: a short quotation at the top level in a double style (a scare word,
    /// `“nóng”`). Short top-level quotations in single marks are reported only beside one:
    /// an article that sets every scare word in `‘…’` and speech in doubles makes a
    /// consistent distinction (judged DEBATABLE on real news, round 104: six rows, two
    /// articles).
    ShortDoubleUsed,
    /// Unbalanced check: an opening quote left open at the end of its paragraph, and a
    /// paragraph that starts with an opening quote. A quotation over several paragraphs
    /// opens each one and closes only the last (a print convention): an opening quote
    /// left open before a paragraph that opens again is not a stray.
    UnclosedOpen,
    OpensBlock,
    /// A closing quote with nothing open in its paragraph. Right after a paragraph left
    /// open, it closes a quotation that runs over the break without reopening (judged
    /// DEBATABLE on real news: a lead's quotation closed at the end of the next
    /// paragraph). A stray closing quote alone is not reported (a closing apostrophe, `27"`).
    ClosesUnopened,
    /// Mismatched check: a single opening mark closed by a double one (`'tân binh"`,
    /// `‘như nấm”`, real news), nothing else between; `inner`: inside another quotation.
    /// Reported in the document pass, whose quotations say which style the fix writes.
    /// `backwards`: a quotation closed by an opening curly mark (`“danh sách đen“ một lần`,
    /// real news, round 22); its fix changes that mark alone.
    Mismatched {
        inner: bool,
        backwards: bool,
    },
}

/// A pair of quotes of the `straight` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PairFact {
    /// Written with straight quotes (else curly ones).
    straight: bool,
    /// One mark straight and the other curly.
    mixed: bool,
    /// At an inner depth (quotes inside quotes): the inner style applies.
    inner: bool,
    /// Both quotes stand clear of letters, so the depth of a straight pair is sure.
    clear: bool,
    /// Its paragraph has a stray or unclosed quote, which throws depths off.
    unbalanced_block: bool,
    /// Straight doubles inside a quotation in curly ones (`“… thi "ba chung", đề …”`): the
    /// inner level's glyphs, reported and rewritten with the rest but no vote for straight
    /// quotes (judged on real news, round 25: with its vote the article's one curly
    /// quotation was the minority, to be straightened).
    in_curly: bool,
    /// Curly single quotes at the top level (`‘cục gạch’`): a matter of nesting, which
    /// `quotes.nesting` reports. They count for the curly style only in a document that
    /// also quotes with whole curly doubles; without one they made the message compare
    /// `‘…’` with `"…"` (judged FALSE on real news, round 41).
    top_single: bool,
    /// Its opening mark starts a sentence: read as nested, its depth rests on a mark opened
    /// sentences before, which a lost closing mark throws off.
    opens_a_sentence: bool,
}

impl PairFact {
    fn form(&self) -> usize {
        if self.mixed {
            MIXED
        } else if self.straight {
            STRAIGHT
        } else {
            CURLY
        }
    }
}

/// The quote fact of `f`, if it is one.
fn quote_fact(f: &DocFact<'_>) -> Option<QuoteFact> {
    match f.fact.what {
        Noted::Quote(q) => Some(q),
        _ => None,
    }
}

fn outer() -> [String; 2] {
    ["“".into(), "”".into()]
}
fn inner() -> [String; 2] {
    ["‘".into(), "’".into()]
}
pub struct Quotes;

struct Compiled {
    idx: RuleIdx,
    meta: Arc<RuleMeta>,
    /// `[open, close]` for depth 1, 3, 5…
    outer: [char; 2],
    /// `[open, close]` for depth 2, 4…
    inner: [char; 2],
    checks: Checks,
    /// The curly-or-straight choice (`straight` sub-check).
    choice: Choice,
    /// Labels of the two forms, for messages.
    labels: Vec<String>,
    /// See [`Options::opening_words`].
    opening_words: Vec<String>,
    /// See [`Options::title_labels`].
    title_labels: Vec<String>,
    /// The first bytes of every quote this rule reads, in groups of three for `memchr3`:
    /// a block without them needs no further look.
    leads: Vec<[u8; 3]>,
}

/// Every quote glyph [`family_of`] knows besides a rule's own.
const KNOWN_QUOTES: &[char] = &['"', '\'', '“', '„', '”', '‘', '‚', '’', '«', '»', '‹', '›'];

fn lead_bytes(outer: [char; 2], inner: [char; 2]) -> Vec<[u8; 3]> {
    let mut leads: Vec<u8> = KNOWN_QUOTES
        .iter()
        .chain(&outer)
        .chain(&inner)
        .map(|c| c.encode_utf8(&mut [0u8; 4]).as_bytes()[0])
        .collect();
    leads.sort_unstable();
    leads.dedup();
    // A group of fewer than three repeats its last byte.
    leads
        .chunks(3)
        .map(|g| [g[0], g[g.len().min(2) - 1], g[g.len() - 1]])
        .collect()
}

/// Where the bytes of `leads` occur in `text`, in order: one `memchr3` pass per group of
/// three, merged as they go (nothing is allocated).
struct Candidates<'t> {
    /// At most eight lead bytes (four known, four configured): three groups.
    passes: [Option<std::iter::Peekable<memchr::Memchr3<'t>>>; 3],
}

impl<'t> Candidates<'t> {
    fn new(text: &'t str, leads: &[[u8; 3]]) -> Candidates<'t> {
        let mut passes = [None, None, None];
        for (pass, &[a, b, c]) in passes.iter_mut().zip(leads) {
            *pass = Some(memchr::memchr3_iter(a, b, c, text.as_bytes()).peekable());
        }
        Candidates { passes }
    }
}

impl Iterator for Candidates<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (k, pass) in self.passes.iter_mut().enumerate() {
            if let Some(&i) = pass.as_mut().and_then(|p| p.peek()) {
                if best.is_none_or(|(_, b)| i < b) {
                    best = Some((k, i));
                }
            }
        }
        let (k, _) = best?;
        self.passes[k].as_mut()?.next()
    }
}

impl RuleKind for Quotes {
    const NAME: &'static str = "quotes";
    const DOC: &'static str = include_str!("quotes.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut compiled = Vec::new();
        let mut errors = Vec::new();
        for r in rules {
            let mut pair = |key: &str, v: &[String; 2]| -> [char; 2] {
                let mut out = ['"'; 2];
                for (i, s) in v.iter().enumerate() {
                    let mut cs = s.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) if !c.is_alphanumeric() && !c.is_whitespace() => out[i] = c,
                        _ => errors.push(RuleError::new(
                            r.idx,
                            Some(format!("{key}[{i}]")),
                            format!("a quote must be one punctuation character, found `{s}`"),
                        )),
                    }
                }
                out
            };
            let outer = pair("outer", &r.options.outer);
            let inner = pair("inner", &r.options.inner);
            let checks = Checks::of(r.options.checks.as_deref());
            let prefer = match r.options.prefer {
                Style::Curly => CURLY,
                Style::Straight => STRAIGHT,
            };
            let choice = Choice {
                mode: r.options.mode,
                prefer: Some(prefer),
                mixed_prefers: false,
            };
            let labels = vec![
                format!("{}…{}", outer[0], outer[1]),
                "\"…\"".to_string(),
                format!("{}…\"", outer[0]),
            ];
            compiled.push(Compiled {
                idx: r.idx,
                meta: r.meta,
                outer,
                inner,
                checks,
                choice,
                labels,
                opening_words: r.options.opening_words.clone(),
                title_labels: r.options.title_labels.iter().map(|l| l.trim().to_string()).collect(),
                leads: lead_bytes(outer, inner),
            });
        }
        if errors.is_empty() {
            Ok(Box::new(QuotesChecker { rules: compiled }))
        } else {
            Err(errors)
        }
    }
}

struct QuotesChecker {
    rules: Vec<Compiled>,
}

/// Double or single quotes: a closing quote pairs with the nearest open one of its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
    Guillemet,
    SingleGuillemet,
    /// A house style's own glyphs (`「 」`).
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// A straight quote whose position does not tell: decided by what is open.
    Either,
}

#[derive(Debug, Clone)]
struct Mark {
    range: Range<usize>,
    glyph: char,
    family: Family,
    role: Role,
    straight: bool,
    /// Whether the position alone decided the role (a straight quote after a space and
    /// before a word, or after a word and before a space or punctuation).
    clear: bool,
    /// Whether a digit comes right before it.
    after_digit: bool,
    /// Two single quotes written for one double quote (`’’`, `‘‘`, `''`): read as a double
    /// quote for balancing, but counted in no style choice.
    doubled: bool,
    /// An opening curly mark written where a quotation ends (`công nghiệp... “, Vụ QLQH
    /// khẳng định`, `một “danh sách đen hỗ trợ khủng bố“ một lần nữa`, real news): it closes
    /// the open quotation for pairing, and the pair is reported as mismatched.
    backwards: bool,
    /// An opening mark before an ellipsis that runs into a word (`(Ảnh: FBNV) "...Chồng hãy`,
    /// `nói: "... Đối với`): it resumes a quotation cut short before it.
    resumes: bool,
    /// A mark after a sentence's stop and a space, before a capital (`chặt đầu. "Thay vì`):
    /// a quotation over paragraphs that a page joined reopens so each paragraph.
    reopens: bool,
    /// A mark that starts a line after a line ending in a stop, before a capital: a
    /// quotation over paragraphs of a text written a paragraph a line reopens so each
    /// paragraph, with a mark of its family (`khai mạc.⏎"Có thể …”`, real news, round 72).
    reopens_line: bool,
}

#[derive(Debug, Clone)]
struct Pair {
    open: Mark,
    close: Mark,
    depth: usize,
}

fn family_of(c: char, rule: &Compiled) -> Option<(Family, Option<Role>)> {
    // The configured styles first: `„ “` or `« »` mean what the rule says.
    for style in [rule.outer, rule.inner] {
        if style[0] != style[1] {
            if c == style[0] {
                return Some((base_family(c), Some(Role::Open)));
            }
            if c == style[1] {
                return Some((base_family(style[0]), Some(Role::Close)));
            }
        }
    }
    Some(match c {
        '"' => (Family::Double, None),
        '\'' => (Family::Single, None),
        '“' | '„' => (Family::Double, Some(Role::Open)),
        '”' => (Family::Double, Some(Role::Close)),
        '‘' | '‚' => (Family::Single, Some(Role::Open)),
        '’' => (Family::Single, Some(Role::Close)),
        '«' => (Family::Guillemet, Some(Role::Open)),
        '»' => (Family::Guillemet, Some(Role::Close)),
        '‹' => (Family::SingleGuillemet, Some(Role::Open)),
        '›' => (Family::SingleGuillemet, Some(Role::Close)),
        _ => return None,
    })
}

fn base_family(c: char) -> Family {
    match c {
        '"' | '“' | '”' | '„' => Family::Double,
        '\'' | '‘' | '’' | '‚' => Family::Single,
        '«' | '»' => Family::Guillemet,
        '‹' | '›' => Family::SingleGuillemet,
        _ => Family::Other,
    }
}

fn is_open_context(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | '[' | '{' | '“' | '‘' | '«' | '‹' | '„' | '-' | '–' | '—' | '/' | MASK_CHAR
        )
}

/// Whether `rest` starts with an ellipsis (`...` or `…`) and, after at most one space, a word.
fn ellipsis_then_word(rest: &str) -> bool {
    let Some(rest) = rest.strip_prefix("...").or_else(|| rest.strip_prefix('…')) else {
        return false;
    };
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    rest.chars().next().is_some_and(crate::text::words::is_word_char)
}

/// Whether the words before the quote at `at` (after its space) make it an opening one: a `:`
/// or one of `words` (`mà nói " Không`). Reads a bounded window back.
fn opening_cue(text: &str, at: usize, words: &[String]) -> bool {
    let before = crate::text::context::before(text, at, 64).trim_end();
    if before.ends_with(':') {
        return true;
    }
    let word = crate::text::words::trailing_word(before);
    !word.is_empty() && words.iter().any(|w| crate::text::case::eq_lowercase(w, word))
}

/// How far [`next_close_is_single`] reads, in bytes.
const NEXT_CLOSE_REACH: usize = 600;

/// Whether the first closing single mark (`’`) in `rest`, within [`NEXT_CLOSE_REACH`] bytes,
/// stands alone after a word: not one of two in a row, nor an apostrophe inside a word.
fn next_close_is_single(rest: &str) -> bool {
    let mut prev = None;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if i > NEXT_CLOSE_REACH || c == '\n' {
            return false;
        }
        let next = chars.peek().map(|&(_, n)| n);
        if c == '’' && prev.is_some_and(char::is_alphanumeric) {
            if next.is_some_and(char::is_alphanumeric) {
                prev = Some(c);
                continue;
            }
            return !matches!(next, Some('’' | '\''));
        }
        prev = Some(c);
    }
    false
}

/// The quote marks of a block, apostrophes left out.
fn marks(text: &str, rule: &Compiled) -> Vec<Mark> {
    let mut out = Vec::new();
    // The end of the last doubled single quote: its second glyph is read with the first.
    let mut skip_to = 0;
    // Whether the last double mark read opened a quotation.
    let mut double_open = false;
    // Single quotations open (curly or told by position), nested ones counted.
    let mut singles_open = 0usize;
    // Only the bytes that can start a quote; they are never inside a character.
    for i in Candidates::new(text, &rule.leads) {
        if i < skip_to {
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            continue;
        };
        let Some((mut family, mut role)) = family_of(c, rule) else {
            continue;
        };
        let mut end = i + c.len_utf8();
        let before = text[..i].chars().next_back();
        let word = |x: Option<char>| x.is_some_and(crate::text::words::is_word_char);
        // Two single quotes for one double quote (`“… Cảm ơn’’.`, `‘‘quy luật ngầm’’`, real
        // news): one double mark, its role from its position. After a digit they are
        // seconds or inches (`7’’`, `200’’N`), unless a double quotation is open
        // (`''ngày 01 tháng 7 năm 2016''`).
        let single = |x: char| matches!(x, '‘' | '’' | '\'');
        let next = text[end..].chars().next();
        // Two closing marks with two single quotations open and no double one close both
        // (`nói: ‘Thế rồi… anh ấy nói: ‘Anh có ở lại không?’’, Zhang Na kể`: judged FALSE on
        // real news, round 96, read as one double mark that closed neither).
        let closes_two =
            matches!(c, '’' | '\'') && matches!(next, Some('’' | '\'')) && singles_open >= 2 && !double_open;
        // Two opening marks whose next closing mark is a single one (`‘‘Skill’ … nổi’`) open
        // two quotations, one nested in the other (judged FALSE on real news, round 113: read
        // as a double mark never closed).
        let opens_two = c == '‘' && next == Some('‘') && next_close_is_single(&text[end + '‘'.len_utf8()..]);
        let doubled = single(c)
            && family == Family::Single
            && next.is_some_and(single)
            && !closes_two
            && (double_open || !before.is_some_and(|b| b.is_ascii_digit()))
            && !opens_two;
        if doubled {
            end += text[end..].chars().next().map_or(0, char::len_utf8);
            skip_to = end;
            family = Family::Double;
            role = None;
        }
        let after = text[end..].chars().next();
        // Apostrophes: `D'Alembert`, `rock'n'roll`, `’90`.
        if !doubled
            && matches!(c, '\'' | '’')
            && (word(before) && word(after) || after.is_some_and(|a| a.is_ascii_digit()))
        {
            continue;
        }
        // A possessive's apostrophe typed as an opening mark (`Ballantine‘s`: judged FALSE on
        // real news, round 119, told as a quotation never closed).
        if !doubled && c == '‘' && word(before) && after == Some('s') && !word(text[end + 1..].chars().next()) {
            continue;
        }
        // A name's apostrophe typed as a double mark after a single capital (`dân tộc H"Mông`,
        // `K"Ho`; judged FALSE on real news, round 59: told as a quotation never closed).
        if c == '"' && !doubled && before.is_some_and(char::is_uppercase) && after.is_some_and(char::is_alphabetic) {
            let initial = text[..i].chars().rev().nth(1);
            if !word(initial) {
                continue;
            }
        }
        // `rock 'n' roll`: a lower-case letter or two between two single marks stand for a
        // word cut short, no quotation (judged HARMFUL on real news, round 57: the safe fix
        // wrote `‘n'`).
        if !doubled && family == Family::Single && !word(before) {
            let rest = &text[end..];
            let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
            if (1..=2).contains(&letters) {
                let tail = &rest[letters..];
                if let Some(m) = tail.chars().next().filter(|&m| matches!(m, '\'' | '’')) {
                    if tail[m.len_utf8()..].chars().next().is_none_or(char::is_whitespace) {
                        skip_to = end + letters + m.len_utf8();
                        continue;
                    }
                }
            }
        }
        let straight = matches!(c, '"' | '\'');
        let open_before = before.is_none_or(is_open_context);
        let resumes = open_before && ellipsis_then_word(&text[end..]);
        let space_after = after.is_none_or(|a| a.is_whitespace() || a == MASK_CHAR);
        // A mark right before `,` `.` `)`… closes, even after a space (`ôxy... ", một bác sĩ`).
        // So does one right before a dash that brings in the speaker (`nhớ em… "- Ông Trần
        // Thịnh`, judged FALSE on real news, round 50: read as opening, it was never closed).
        let punct_after =
            after.is_some_and(|a| matches!(a, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '…' | '-' | '–'));
        let (role, clear) = match role {
            Some(r) => (r, true),
            // Judged on real news (round 22, baomoi_21472785): read as closing before its
            // `.`, the safe fix wrote `”` where `“` belongs. Position alone is not proof.
            None if resumes => (Role::Open, false),
            None if punct_after => (Role::Close, true),
            None if open_before && !space_after => (Role::Open, true),
            // `Cô chia sẻ:" Vì lúc trước…`: a straight mark glued to a colon, with no
            // quotation open, opens one that starts after a space (judged on real news, round
            // 29: read as closing, the quotation's inner ‘…’ was reported as misnested).
            None if straight && before == Some(':') && space_after && !double_open => (Role::Open, false),
            None if !open_before && (space_after || after.is_some_and(|a| !word(Some(a)))) => (Role::Close, true),
            // Between spaces after `:` or a verb of speech it opens (`mà nói " Không còn`,
            // round 22): a guess from the words, so no safe fix rests on it.
            None if open_before && space_after && opening_cue(text, i, &rule.opening_words) => (Role::Open, false),
            None => (Role::Either, false),
        };
        // `“` while a double quotation is open, right before a comma or a closing bracket, or
        // glued to the word before it with a space after (`khủng bố“ một lần nữa`, round 22:
        // all 15 such marks in baomoi close) or a sentence's end (`nhất của tôi“.`, round 25),
        // or right before `!` or `?` (`Trái Đất này “!`, round 27).
        // After a space too, right before a sentence's end (`H&M 2017 “.`) or, between
        // spaces, before a word in lower case (`vi phạm pháp luật “ và “ Xử lý`): round 42,
        // two quotations told as never closed.
        let stop_after = after == Some('.') && text[end + 1..].chars().next().is_none_or(char::is_whitespace);
        let lower_after = before.is_some_and(char::is_whitespace)
            && after == Some(' ')
            && text[end + 1..].chars().next().is_some_and(char::is_lowercase);
        let backwards = c == '“'
            && role == Role::Open
            && double_open
            && !doubled
            && (after.is_some_and(|a| matches!(a, ',' | ';' | ')' | ']' | '!' | '?'))
                || stop_after
                || lower_after
                || word(before) && (space_after || after.is_some_and(|a| matches!(a, '.' | '!' | '?'))));
        let (role, clear) = if backwards { (Role::Close, false) } else { (role, clear) };
        if family == Family::Double {
            double_open = role != Role::Close;
        }
        if family == Family::Single && !doubled {
            match role {
                Role::Open => singles_open += 1,
                Role::Close => singles_open = singles_open.saturating_sub(1),
                Role::Either => {}
            }
        }
        // A doubled mark stands for the double quote of its role.
        let glyph = match (doubled, role) {
            (false, _) => c,
            (true, _) if straight => '"',
            (true, Role::Close) => '”',
            (true, _) => '“',
        };
        out.push(Mark {
            range: i..end,
            glyph,
            family,
            role,
            straight,
            clear,
            after_digit: before.is_some_and(|b| b.is_ascii_digit()),
            doubled,
            backwards,
            resumes,
            reopens: text[..i].trim_end_matches(' ').ends_with(['.', '!', '?', '…'])
                && text[..i].ends_with(' ')
                && after.is_some_and(char::is_uppercase),
            reopens_line: after.is_some_and(char::is_uppercase)
                && text[..i]
                    .trim_end_matches(' ')
                    .strip_suffix('\n')
                    .is_some_and(|line| line.trim_end_matches(['\r', ' ']).ends_with(['.', '!', '?', '…', ':'])),
        });
    }
    out
}

/// How the quote marks of a block pair up.
#[derive(Default)]
struct Paired {
    pairs: Vec<Pair>,
    /// Opening marks left unclosed.
    unclosed: Vec<Mark>,
    /// Double closing quotes with nothing open.
    strays: Vec<Mark>,
    /// Single closing marks with nothing open (mostly apostrophes; one may close a double
    /// quotation with the wrong glyph: [`mismatched_pairs`]). Not a straight one after a
    /// digit (minutes, `45'`).
    single_closers: Vec<Mark>,
}

/// Pairs the marks.
fn pair_up(text: &str, marks: Vec<Mark>) -> Paired {
    let mut stack: Vec<Mark> = Vec::new();
    let mut pairs = Vec::new();
    let mut unclosed = Vec::new();
    let mut strays = Vec::new();
    let mut single_closers = Vec::new();
    // Where the last pair closed.
    let mut last_close = 0;
    // Whether the mark after index `i` is a straight one that may close, followed by a curly
    // closing mark of the same family.
    let nested_straight_close = |i: usize, family: Family| {
        let mut rest = marks[i + 1..].iter().filter(|n| n.family == family);
        rest.next()
            .is_some_and(|n| n.straight && matches!(n.role, Role::Close | Role::Either))
            && rest.next().is_some_and(|n| !n.straight && n.role == Role::Close)
    };
    let nested: Vec<bool> = (0..marks.len())
        .map(|i| marks[i].straight && marks[i].role == Role::Either && nested_straight_close(i, marks[i].family))
        .collect();
    for (index, m) in marks.into_iter().enumerate() {
        let mut open_pos = stack.iter().rposition(|o| o.family == m.family);
        // A curly closing mark closes the curly quotation open before a straight mark it
        // holds (`“Tàng trữ, "sử dụng … quân dụng”`, real news): the straight mark is the
        // stray one. Only a curly mark opened after the last quotation closed: an older
        // one was left open before it, and is the stray.
        // A straight mark opening a sentence is more often a quotation over paragraphs
        // flattened into one line (`khác. "Phát hiện … mất đi”`): left as before.
        if let (Some(p), Role::Close, false) = (open_pos, m.role, m.straight) {
            // A mark resuming a quotation (`"...Chồng`) opens what the curly mark closes.
            let opens_sentence = || {
                stack[p].resumes
                    || text[..stack[p].range.start]
                        .trim_end()
                        .ends_with(['.', '!', '?', '…', ':'])
            };
            if stack[p].straight && !opens_sentence() {
                let curly = stack[..p].iter().rposition(|o| o.family == m.family && !o.straight);
                if curly.is_some_and(|c| stack[c].range.start >= last_close) {
                    open_pos = curly;
                }
            }
        }
        let role = match m.role {
            // A straight quotation inside a curly one (`“… chiếc " xe điên " chuẩn bị …”`,
            // judged FALSE on real news, round 59: read as closing the curly quotation).
            Role::Either if open_pos.is_some_and(|p| !stack[p].straight) && nested[index] => Role::Open,
            // A curly quotation that a single mark has closed (`“cháy hàng’`, mismatched) is
            // not closed again by a straight mark far on (`Long An " chặt chém "`, judged FALSE
            // on real news, round 111: paired with it, every later mark paired wrong).
            Role::Either
                if m.straight
                    && open_pos.is_some_and(|p| {
                        // In text order: the last single closer is the latest.
                        !stack[p].straight
                            && single_closers
                                .last()
                                .is_some_and(|s: &Mark| s.range.start > stack[p].range.start)
                    }) =>
            {
                Role::Open
            }
            Role::Either if open_pos.is_some() => Role::Close,
            Role::Either => Role::Open,
            r => r,
        };
        match role {
            Role::Open | Role::Either => stack.push(m),
            Role::Close => {
                // A stray closing quote (a closing apostrophe, minutes `45'`) pairs with nothing.
                let Some(p) = open_pos else {
                    // `27"` after a digit is seconds or inches, not a quote.
                    if m.family == Family::Double && !(m.straight && m.after_digit) {
                        strays.push(m);
                    } else if m.family == Family::Single && !m.doubled && !(m.straight && m.after_digit) {
                        single_closers.push(m);
                    }
                    continue;
                };
                // Quotes opened after the one we close were never closed.
                unclosed.extend(stack.drain(p + 1..));
                let open = stack.pop().expect("position found above");
                last_close = m.range.end;
                pairs.push(Pair {
                    open,
                    close: m,
                    depth: stack.len() + 1,
                });
            }
        }
    }
    unclosed.extend(stack);
    unclosed.sort_by_key(|m| m.range.start);
    let unclosed = pair_stray_straight_doubles(text, unclosed, &mut pairs);
    pairs.sort_by_key(|p| p.open.range.start);
    if !unclosed.is_empty() {
        depth_from_pairs(&mut pairs);
    }
    Paired {
        pairs,
        unclosed,
        strays,
        single_closers,
    }
}

/// A quote left open is no quotation around what follows it (`quá trình “đi đêm với gia
/// đình cậu bé.`, real news): each pair's depth counts the pairs around it, not the marks
/// left open, so one stray mark does not make every later quotation of its paragraph
/// "nested". `pairs` is sorted by opening.
fn depth_from_pairs(pairs: &mut [Pair]) {
    let mut around: Vec<usize> = Vec::new();
    for p in pairs.iter_mut() {
        while around.last().is_some_and(|&end| end <= p.open.range.start) {
            around.pop();
        }
        p.depth = around.len() + 1;
        around.push(p.close.range.end);
    }
}

/// Longest phrase, in words, that a quotation with a misplaced closing space may hold.
const MISPLACED_CLOSE_MAX_WORDS: usize = 20;

/// How far past a mark [`opens_again_in_sentence`] looks, in bytes.
const OPENS_AGAIN_LOOKAHEAD: usize = 200;

/// Whether a straight double quote opens again (after a space, before a word) before the
/// sentence of `rest` ends. Then a mark before `rest` that its position reads as an opening
/// one is one of a run of openings (`"Phòng chống nguy cơ "tự diễn biến, "tự chuyển hóa
/// trong Đảng … ta"`, real news: nested quotations left unclosed), not a closing mark with
/// its space on the wrong side. Looks at most [`OPENS_AGAIN_LOOKAHEAD`] bytes ahead.
fn opens_again_in_sentence(rest: &str) -> bool {
    let mut prev = None;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if i > OPENS_AGAIN_LOOKAHEAD || matches!(c, '.' | '!' | '?' | '…' | '\n') {
            return false;
        }
        let next = chars.peek().map(|&(_, n)| n);
        if c == '"' && prev.is_some_and(char::is_whitespace) && next.is_some_and(crate::text::words::is_word_char) {
            return true;
        }
        prev = Some(c);
    }
    false
}

/// The most words a quotation has whose straight closing mark, after a finished sentence
/// and a space and before a capital (`… các em. " Thầy Văn`), is read as closing it: in a
/// longer one the pairing has likely drifted and the mark opens the next quotation.
const DRIFT_WORDS: usize = 25;

/// Whether the straight closing mark of `p`, between spaces after a sentence's end and
/// before a capitalized word, with the next mark of its glyph a closing one, opens the next
/// quotation rather than closing a long one (judged FALSE on real news, rounds 123 and 125: the safe fix glued the next quotation's
/// opening mark to the sentence before it).
fn closing_reads_as_next_opening(text: &str, p: &Pair, body: &str) -> bool {
    let close = &p.close;
    let before = text[..close.range.start].trim_end_matches([' ', '\u{A0}']);
    let after = &text[close.range.end..];
    close.straight
        && before.len() < close.range.start
        && before.ends_with(['.', '!', '?', '…'])
        && after.starts_with([' ', '\u{A0}'])
        && after.trim_start_matches([' ', '\u{A0}']).starts_with(char::is_uppercase)
        && body.split_whitespace().nth(DRIFT_WORDS).is_some()
        // The next mark of the glyph closes (glued to the word before it, or to a mark after
        // it: `quy định? ", báo hỏi`): the quotation this
        // mark opens. A quotation opening next (`nói: "Tôi`) leaves this mark a closing one,
        // as at most paragraph ends run together.
        && after.find(close.glyph).is_some_and(|at| {
            after[..at].chars().next_back().is_some_and(|c| !c.is_whitespace())
                || after[at + close.glyph.len_utf8()..].starts_with([',', '.', ';', ':', '!', '?', ')'])
        })
}

/// Whether the closing mark of `p`, read as one only because nothing else closed its
/// quotation (after a space, glued to the next word), is one of a run of straight openings:
/// then the span up to it is no quotation with a space inside (judged on real news, round
/// 18: the unsafe fix detached a nested opening quote from its word).
fn opening_in_a_run(text: &str, p: &Pair, glued_after: bool) -> bool {
    p.close.straight && !p.close.clear && glued_after && opens_again_in_sentence(&text[p.close.range.end..])
}

/// Straight double quotes cannot nest, so two of them left open one after the other around a
/// short phrase are one quotation whose closing mark has its space on the wrong side
/// (`"mũ nồi xanh "thứ hai`, real news). A longer stretch, or one holding a sentence end, is
/// more often a quotation over paragraphs flattened into one line (`buồn. "Tôi`): left as
/// it is. The pair is not `clear`, so no safe quote rewrite rests on it.
fn pair_stray_straight_doubles(text: &str, unclosed: Vec<Mark>, pairs: &mut Vec<Pair>) -> Vec<Mark> {
    let is_straight_double = |m: &Mark| m.straight && m.family == Family::Double;
    if unclosed.iter().filter(|m| is_straight_double(m)).count() < 2 {
        return unclosed;
    }
    let phrase = |open: &Mark, close: &Mark| {
        let inside = &text[open.range.end..close.range.start];
        let after = text[close.range.end..].chars().next();
        !inside.contains(['.', '!', '?', '…', '\n', '"'])
            && inside.split_whitespace().count() <= MISPLACED_CLOSE_MAX_WORDS
            && after.is_some_and(|c| c.is_lowercase())
    };
    let mut left = Vec::with_capacity(unclosed.len());
    let mut marks = unclosed.into_iter().peekable();
    while let Some(open) = marks.next() {
        let pairs_with_next = is_straight_double(&open)
            && marks
                .peek()
                .is_some_and(|close| is_straight_double(close) && phrase(&open, close));
        match marks.next_if(|_| pairs_with_next) {
            Some(mut close) => {
                close.role = Role::Close;
                close.clear = false;
                pairs.push(Pair { open, close, depth: 1 });
            }
            None => left.push(open),
        }
    }
    left
}

impl Checker for QuotesChecker {
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        // The marks and how they pair depend only on a rule's quote styles: the rules that
        // share them (the sub-checks of one house style) read the block once.
        let mut shared: Option<(&Compiled, Paired)> = None;
        for r in self.rules.iter().filter(|r| block.is_active(r.idx)) {
            if !shared
                .as_ref()
                .is_some_and(|(s, _)| s.outer == r.outer && s.inner == r.inner && s.opening_words == r.opening_words)
            {
                let all = marks(block.text, r);
                let paired = if all.is_empty() {
                    Paired::default()
                } else {
                    pair_up(block.text, all)
                };
                shared = Some((r, paired));
            }
            if let Some((_, p)) = &shared {
                if !p.pairs.is_empty() || !p.unclosed.is_empty() || !p.strays.is_empty() {
                    check_rule(r, block, p, out);
                }
            }
        }
    }

    /// The curly-or-straight choice over the whole document: the shared choice machinery
    /// reports the pairs in the minority style.
    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        for r in self.rules.iter().filter(|r| r.checks.unbalanced) {
            let mine = || input.facts.iter().filter(|f| f.fact.rule == r.idx);
            let blocks_with = |what: QuoteFact| -> std::collections::HashSet<usize> {
                mine()
                    .filter(|f| quote_fact(f) == Some(what))
                    .map(|f| f.block)
                    .collect()
            };
            let (reopened, closed_late) = (
                blocks_with(QuoteFact::OpensBlock),
                blocks_with(QuoteFact::ClosesUnopened),
            );
            for f in mine().filter(|f| quote_fact(f) == Some(QuoteFact::UnclosedOpen)) {
                if reopened.contains(&(f.block + 1)) || closed_late.contains(&(f.block + 1)) {
                    continue;
                }
                let found = input.block_text(f.block).get(f.fact.range.clone()).unwrap_or_default();
                let msg = r.meta.render(&[
                    ("found", found),
                    ("expected", ""),
                    ("problem", "Quote never closed"),
                    ("check", "unbalanced"),
                ]);
                out.push(Diagnostic::new(r.idx, f.range.clone(), msg));
            }
        }
        for r in self.rules.iter().filter(|r| r.checks.mismatched) {
            let mine = || input.facts.iter().filter(|f| f.fact.rule == r.idx);
            if !mine().any(|f| matches!(quote_fact(f), Some(QuoteFact::Mismatched { .. }))) {
                continue;
            }
            // The fix writes the style of the document's quotations (any quotes rule's),
            // a tie going to the preferred one.
            let mut counts = [0usize; 2];
            for f in input.facts.iter() {
                if let Some(QuoteFact::Pair(p)) = quote_fact(f) {
                    if !p.mixed {
                        counts[p.form()] += 1;
                    }
                }
            }
            let style = match counts[CURLY].cmp(&counts[STRAIGHT]) {
                std::cmp::Ordering::Greater => CURLY,
                std::cmp::Ordering::Less => STRAIGHT,
                std::cmp::Ordering::Equal => r.choice.prefer.unwrap_or(CURLY),
            };
            for f in mine() {
                let Some(QuoteFact::Mismatched { inner, backwards }) = quote_fact(f) else {
                    continue;
                };
                let Some(text) = input.block_text(f.block).get(f.fact.range.clone()) else {
                    continue;
                };
                let (Some(open), Some(close)) = (text.chars().next(), text.chars().next_back()) else {
                    continue;
                };
                let glyphs = match (backwards, style, inner) {
                    // The closing mark of the opening one: the quotation's style and level
                    // are the writer's, only the closing glyph is wrong.
                    (true, _, _) => [open, closing_of(open, r)],
                    (_, CURLY, false) => r.outer,
                    (_, CURLY, true) => r.inner,
                    (_, _, false) => ['"', '"'],
                    (_, _, true) => ['\'', '\''],
                };
                let inside = &text[open.len_utf8()..text.len() - close.len_utf8()];
                let expected = format!("{}{inside}{}", glyphs[0], glyphs[1]);
                let problem = if backwards {
                    "Closing quote written as an opening one"
                } else {
                    "Opening and closing quotes differ"
                };
                let msg = r.meta.render(&[
                    ("found", text),
                    ("expected", &expected),
                    ("problem", problem),
                    ("check", "mismatched"),
                ]);
                let (start, end) = (f.range.start, f.range.end);
                let edits = [
                    (start..start + open.len_utf8(), open, glyphs[0]),
                    (end - close.len_utf8()..end, close, glyphs[1]),
                ]
                .into_iter()
                .filter(|(_, from, to)| from != to)
                .map(|(range, _, to)| Edit::new(range, to.to_string()))
                .collect();
                let title = if backwards {
                    format!("Use {} to close the quotation", glyphs[1])
                } else {
                    format!("Use {}…{} quotes", glyphs[0], glyphs[1])
                };
                let fix = Fix::unsafe_(title, edits);
                out.push(Diagnostic::new(r.idx, f.range.clone(), msg).with_fix(fix));
            }
        }
        for r in self.rules.iter().filter(|r| r.checks.nesting) {
            let mine = || input.facts.iter().filter(|f| f.fact.rule == r.idx);
            let of = |what: QuoteFact| mine().filter(move |f| quote_fact(f) == Some(what));
            // Quoting with `‘…’` and never with doubles is the article's choice, even once
            // (judged DEBATABLE on real news in rounds 88–91, 13 rows: an article's only
            // quotation in single marks, nothing nested; TRUE once, in round 38).
            if of(QuoteFact::DoubleUsed).next().is_some() {
                let short_doubles = of(QuoteFact::ShortDoubleUsed).next().is_some();
                let renested = of(QuoteFact::TopInner)
                    .filter(|f| short_doubles || !quotes_a_short_phrase(input, f))
                    .filter_map(|f| renest(r, input, f, r.outer, "Inner quotes used outside"));
                out.extend(renested);
            }
            if of(QuoteFact::NestedInner).next().is_some() {
                let renested = of(QuoteFact::NestedOuter)
                    .filter_map(|f| renest(r, input, f, r.inner, "Outer quotes used inside other quotes"));
                out.extend(renested);
            }
        }
        for r in self.rules.iter().filter(|r| r.checks.straight && !r.choice.is_off()) {
            let mut occurrences = Vec::new();
            let mut safe = true;
            let mut curly_holds_straight = false;
            let pairs = || {
                input
                    .facts
                    .iter()
                    .filter(|f| f.fact.rule == r.idx)
                    .filter_map(|f| match quote_fact(f) {
                        Some(QuoteFact::Pair(p)) => Some((f, p)),
                        _ => None,
                    })
            };
            let curly_doubles = pairs().any(|(_, p)| !p.straight && !p.mixed && !p.top_single);
            for (f, pair) in pairs().filter(|(_, p)| !p.top_single || curly_doubles) {
                let Some(text) = input.block_text(f.block).get(f.fact.range.clone()) else {
                    continue;
                };
                let (Some(open), Some(close)) = (text.chars().next(), text.chars().next_back()) else {
                    continue;
                };
                let style = if pair.inner { r.inner } else { r.outer };
                let start = f.range.start;
                let open_range = start..start + open.len_utf8();
                let close_range = f.range.end - close.len_utf8()..f.range.end;
                let edit = |range: Range<usize>, from: char, to: char| (from != to).then(|| Edit::new(range, to));
                // A pair inside a quotation becomes single straight quotes: `"… “trinh sát” …"`
                // made `"… "trinh sát" …"` loses the nesting (judged on real news).
                let straight_of = |c: char| {
                    if pair.inner || matches!(c, '‘' | '’' | '‚' | '\'') {
                        '\''
                    } else {
                        '"'
                    }
                };
                let curly_of = |c: char, i: usize| if matches!(c, '"' | '\'') { style[i] } else { c };
                let to_curly: Vec<Edit> = [
                    edit(open_range.clone(), open, curly_of(open, 0)),
                    edit(close_range.clone(), close, curly_of(close, 1)),
                ]
                .into_iter()
                .flatten()
                .collect();
                let to_straight: Vec<Edit> = [
                    edit(open_range, open, straight_of(open)),
                    edit(close_range, close, straight_of(close)),
                ]
                .into_iter()
                .flatten()
                .collect();
                let form = pair.form();
                if pair.straight && (!pair.clear || pair.unbalanced_block) {
                    // Where the position or a stray quote leaves a pair's depth in doubt,
                    // rewriting by depth is a guess.
                    safe = false;
                }
                // A curly double pair read as nested (`“…”` inside a quotation, to become
                // `'…'`): its depth rests on the pairing of the marks around it, which a lost
                // closing mark throws off (judged HARMFUL on real news, round 24: an opening
                // never closed 1,100 characters before made a quotation "nested"). Offered,
                // not applied.
                if pair.inner && open == '“' {
                    safe = false;
                }
                // A straight pair read as nested that opens a sentence (`… của trẻ. "300 cháu
                // "gánh" mình …"`, inside a curly mark opened five sentences before and a stray
                // closing mark after it): more often a quotation of its own whose enclosing
                // mark was lost (judged HARMFUL on real news, round 88: the safe fix wrote
                // `‘300 cháu “gánh” …’`). Offered, not applied.
                if pair.straight && pair.inner && pair.opens_a_sentence {
                    safe = false;
                }
                let inside = &text[open.len_utf8()..text.len() - close.len_utf8()];
                // A curly quotation holding straight doubles (`“… "hở hang" …”`):
                // straightened, straight nests in straight and its end is lost.
                curly_holds_straight |= !pair.straight && inside.contains('"');
                let mut rewrites = vec![Some(to_curly), Some(to_straight), None];
                rewrites[form] = Some(Vec::new());
                occurrences.push(Occurrence {
                    form,
                    range: f.range.clone(),
                    found: text.to_string(),
                    rewrites,
                    votes: !pair.in_curly,
                });
            }
            // A mixed quotation (`“…"`) counts as straight, as it always has, except where
            // the mixed ones alone tip the vote to straight: then they are neither style and
            // do not vote, the whole quotations decide (a tie goes to the preferred style),
            // and the fix is offered, not applied (judged on real news, round 17,
            // baomoi_22566678: 2 curly, 2 straight and 2 `“…"` quotations were counted 2
            // against 4, and the safe fix straightened the 2 curly pairs).
            let count = |form: usize| occurrences.iter().filter(|o| o.form == form && o.votes).count();
            let (curly, straight, mixed) = (count(CURLY), count(STRAIGHT), count(MIXED));
            let tipped = mixed > 0 && curly >= straight && curly > 0 && curly < straight + mixed;
            if tipped {
                safe = false;
            } else {
                for o in occurrences.iter_mut().filter(|o| o.form == MIXED) {
                    o.form = STRAIGHT;
                    o.rewrites[STRAIGHT] = Some(Vec::new());
                }
            }
            let winner = r
                .choice
                .winner(
                    occurrences
                        .iter()
                        .filter(|o| o.votes)
                        .map(|o| o.form)
                        .filter(|&f| f < MIXED),
                )
                .map(|t| t.winner);
            if curly_holds_straight && winner == Some(STRAIGHT) {
                safe = false;
            }
            let labels = labels_of_shapes(&occurrences, &r.labels, r.outer, r.inner);
            let c = Choices {
                rule: r.idx,
                meta: &r.meta,
                choice: r.choice,
                labels: &labels,
                safe,
            };
            choice::report_among(&c, &occurrences, MIXED, out);
        }
    }
}

/// Each form's label, naming the families its counted quotations open with: `“…”, ‘…’`
/// where single curly pairs are counted with the double ones, so the counts in the message
/// match what a reader sees (judged FALSE on real news, round 31: three `‘…’` and an
/// unclosed `“` were told as "“…” (4 lần)"). A form none of whose quotations opens with a
/// single mark keeps its pack label.
fn labels_of_shapes(occurrences: &[Occurrence], pack: &[String], outer: [char; 2], inner: [char; 2]) -> Vec<String> {
    let mut labels = pack.to_vec();
    for (form, double, single) in [(CURLY, outer, inner), (STRAIGHT, ['"', '"'], ['\'', '\''])] {
        let of_form = || occurrences.iter().filter(move |o| o.form == form);
        let any_votes = of_form().any(|o| o.votes);
        let opens_single = |o: &Occurrence| matches!(o.found.chars().next(), Some('‘' | '\'' | '‚'));
        let counted = || of_form().filter(|o| o.votes || !any_votes);
        let (doubles, singles) = (counted().any(|o| !opens_single(o)), counted().any(opens_single));
        let label = |glyphs: [char; 2]| format!("{}…{}", glyphs[0], glyphs[1]);
        labels[form] = match (doubles, singles) {
            (true, true) => format!("{}, {}", label(double), label(single)),
            (false, true) => label(single),
            _ => continue,
        };
    }
    labels
}

/// For each pair, whether it is written with straight double quotes inside a quotation
/// written with curly ones.
fn straight_doubles_in_curly(pairs: &[Pair]) -> Vec<bool> {
    let straight_double = |p: &Pair| p.open.straight && p.close.straight && p.open.family == Family::Double;
    let curly = |p: &Pair| !p.open.straight && !p.close.straight;
    nested_in(pairs, straight_double, curly)
}

/// For each pair, whether it is written with curly single quotes inside a quotation written
/// with straight doubles (`"Bọn trẻ ồ lên: ‘À, thì ra thế’."`): the nesting of a house that
/// quotes with straight doubles (VnExpress), no vote for curly quotes (judged FALSE and
/// HARMFUL on real news, round 87: counted as the article's one curly quotation, its safe fix
/// wrote `'À, thì ra thế'`).
fn curly_singles_in_straight(pairs: &[Pair]) -> Vec<bool> {
    let curly_single = |p: &Pair| {
        !p.open.straight && !p.close.straight && p.open.family == Family::Single && p.close.family == Family::Single
    };
    let straight_double = |p: &Pair| p.open.straight && p.close.straight && p.open.family == Family::Double;
    nested_in(pairs, curly_single, straight_double)
}

/// For each pair, whether it is `inner` and sits right inside an `outer` one: in order of
/// their openings, the last pair opened one level up encloses it (pairs nest), so one pass
/// after a sort.
fn nested_in(pairs: &[Pair], inner: impl Fn(&Pair) -> bool, outer: impl Fn(&Pair) -> bool) -> Vec<bool> {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by_key(|&i| pairs[i].open.range.start);
    let mut outer_at_depth: Vec<bool> = Vec::new();
    let mut out = vec![false; pairs.len()];
    for i in order {
        let p = &pairs[i];
        let depth = p.depth.max(1);
        out[i] = inner(p) && depth >= 2 && outer_at_depth.get(depth - 2).copied().unwrap_or(false);
        outer_at_depth.truncate(depth - 1);
        outer_at_depth.resize(depth - 1, false);
        outer_at_depth.push(outer(p));
    }
    out
}

/// The starts of the marks left open whose next mark in the block resumes the quotation
/// (`“Thưa chồng, … sinh sống…(Ảnh: FBNV) "...Chồng hãy … anh”`, real news, round 22: the
/// quotation goes on after an inline photo caption, as over a paragraph break).
///
/// A quotation over paragraphs joined into one block (`nói: "Đơn vị … chặt đầu. "Thay vì
/// … khủng bố”`) reopens each paragraph with a mark of its kind: left open before such a
/// mark, it is not reported (judged DEBATABLE on real news, round 48).
fn resumed_marks(paired: &Paired) -> Vec<usize> {
    let resumes = |m: &Mark| (m.resumes || m.reopens || m.reopens_line) && m.role != Role::Close;
    if !paired
        .pairs
        .iter()
        .map(|p| &p.open)
        .chain(&paired.unclosed)
        .any(resumes)
    {
        return Vec::new();
    }
    /// A mark of the block, in the order of the text.
    #[derive(Clone, Copy)]
    struct Seen {
        start: usize,
        left_open: bool,
        /// Resumes a quotation (an ellipsis run into a word).
        resumes: bool,
        /// Reopens one after a stop.
        reopens: bool,
        /// Reopens one at a line's start: any glyph of its family then (the line is a
        /// paragraph of its own), else only its own glyph.
        at_line: bool,
        glyph: char,
        family: Family,
    }
    let mut all: Vec<Seen> = paired
        .pairs
        .iter()
        .flat_map(|p| [(&p.open, false), (&p.close, false)])
        .chain(paired.unclosed.iter().map(|m| (m, true)))
        .chain(paired.strays.iter().map(|m| (m, false)))
        .map(|(m, left_open)| {
            let opens = m.role != Role::Close;
            Seen {
                start: m.range.start,
                left_open,
                resumes: m.resumes && opens,
                reopens: (m.reopens || m.reopens_line) && opens,
                at_line: m.reopens_line,
                glyph: m.glyph,
                family: m.family,
            }
        })
        .collect();
    all.sort_unstable_by_key(|m| m.start);
    let continues = |open: &Seen, next: &Seen| {
        next.reopens && (next.glyph == open.glyph || next.at_line && next.family == open.family)
    };
    // Whether each mark ends a chain of reopenings in a closed quotation: a paragraph that
    // reopens and is left open itself leads on to the next one.
    let mut closes = vec![false; all.len()];
    for i in (0..all.len()).rev() {
        closes[i] = !all[i].left_open || all.get(i + 1).is_some_and(|n| continues(&all[i], n) && closes[i + 1]);
    }
    // Sorted by start, as the callers' binary search needs.
    (0..all.len().saturating_sub(1))
        .filter(|&i| {
            let (w0, w1) = (&all[i], &all[i + 1]);
            w0.left_open && (w1.resumes || (continues(w0, w1) && closes[i + 1]))
        })
        .map(|i| all[i].start)
        .collect()
}

/// The most words a scare quotation has (`‘dở khóc dở cười’`); a longer one, or one with a
/// sentence's stop inside, is a quotation of speech or of a text.
const SHORT_QUOTATION_WORDS: usize = 4;

/// Whether the words between a pair's marks are a short phrase: a scare word or a term, not
/// speech.
fn is_short_quotation(inside: &str) -> bool {
    !inside.contains(['.', '!', '?', ':', ';']) && inside.split_whitespace().count() <= SHORT_QUOTATION_WORDS
}

/// Whether the quotation of fact `f` (its range covers both marks) is a short phrase.
fn quotes_a_short_phrase(input: &DocumentInput<'_>, f: &DocFact<'_>) -> bool {
    let text = input.block_text(f.block).get(f.fact.range.clone()).unwrap_or_default();
    let mut inner = text.chars();
    inner.next();
    inner.next_back();
    is_short_quotation(inner.as_str())
}

/// A nesting finding on the quotation of fact `f`, with the unsafe fix that writes it with
/// `glyphs`.
fn renest(
    r: &Compiled,
    input: &DocumentInput<'_>,
    f: &DocFact<'_>,
    glyphs: [char; 2],
    problem: &str,
) -> Option<Diagnostic> {
    let text = input.block_text(f.block).get(f.fact.range.clone())?;
    let (open, close) = (text.chars().next()?, text.chars().next_back()?);
    let inside = &text[open.len_utf8()..text.len() - close.len_utf8()];
    let expected = format!("{}{inside}{}", glyphs[0], glyphs[1]);
    let msg = r.meta.render(&[
        ("found", text),
        ("expected", &expected),
        ("problem", problem),
        ("check", "nesting"),
    ]);
    let (start, end) = (f.range.start, f.range.end);
    let fix = Fix::unsafe_(
        format!("Use {}…{} quotes", glyphs[0], glyphs[1]),
        vec![
            Edit::new(start..start + open.len_utf8(), glyphs[0].to_string()),
            Edit::new(end - close.len_utf8()..end, glyphs[1].to_string()),
        ],
    );
    Some(Diagnostic::new(r.idx, f.range.clone(), msg).with_fix(fix))
}

/// Whether a quotation is a heading run into the text (a crosshead, a related article's
/// title): it opens its block, a sentence or a `Name:` lead-in, ends with no stop of its
/// own, and a capitalized word follows its closing mark with no punctuation (`học tập. ‘Sống như chỉ còn một ngày’ Sau
/// 5 năm`, `HLV Lê Thụy Hải: ‘Gọi cầu thủ nhập tịch…’ Vấn đề`). Such headings quote with
/// single marks by the web's convention (judged DEBATABLE on real news, round 33).
fn run_in_heading(text: &str, p: &Pair) -> bool {
    let before = text[..p.open.range.start].trim_end_matches([' ', '\u{A0}']);
    let opens = before.is_empty() || before.ends_with(['.', '!', '?', ':']);
    let after = &text[p.close.range.end..];
    let capital_next = after
        .strip_prefix(' ')
        .and_then(|a| a.chars().next())
        .is_some_and(char::is_uppercase);
    // A heading has no stop of its own: `‘… nhau.’ Tiếp` is a quoted sentence.
    let inside = text[p.open.range.end..p.close.range.start].trim_end();
    let unstopped = !inside.ends_with(['.', '!', '?', '…', ',', ';']);
    // The quotation is the heading, or the end of a short one (`Nợ xấu nào cũng ‘xấu’`).
    let whole = opens && inside.chars().next().is_some_and(char::is_uppercase);
    // After a heading's quoted end, a sentence starts with a plain word (`‘xấu’ Trưởng Ban`),
    // where prose goes on with a name or a code (`giống ‘người anh em’ R3`, `‘tân binh’ K.League`).
    let plain_word_next = after.strip_prefix(' ').is_some_and(|a| {
        let word = a.split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or("");
        let mut chars = word.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(|c| c.is_alphabetic() && c.is_lowercase())
    });
    let closing = ends_a_short_heading(before) && plain_word_next && inside.split_whitespace().count() <= HEADING_WORDS;
    capital_next && unstopped && (whole || closing)
}

/// Whether a quotation lies in a video's or clip's title run into the text (`cho biết.
/// Video: Tài xế ‘phi’ xe buýt lên vỉa hè`, judged DEBATABLE on real news, round 46): the
/// sentence it is in opens with one of `labels` and a colon.
fn in_a_labelled_title(text: &str, p: &Pair, labels: &[String]) -> bool {
    if labels.is_empty() {
        return false;
    }
    let before = crate::text::context::before(text, p.open.range.start, TITLE_REACH);
    let sentence = before
        .rfind(['.', '!', '?'])
        .map_or(before, |stop| &before[stop + 1..])
        .trim_start();
    labels.iter().any(|label| {
        sentence
            .strip_prefix(label.as_str())
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

/// How many bytes before a quotation [`in_a_labelled_title`] reads for its label.
const TITLE_REACH: usize = 240;

/// Whether `before` ends with the start of a heading that the quotation closes (`càng tốt.
/// Nợ xấu nào cũng ‘xấu’ Trưởng Ban`, judged DEBATABLE on real news, round 36): a few words
/// with no punctuation, the first capitalized, right after a stop.
fn ends_a_short_heading(before: &str) -> bool {
    let near = crate::text::context::before(before, before.len(), HEADING_REACH);
    let Some(stop) = near.rfind(['.', '!', '?', ':']) else {
        return false;
    };
    let words: Vec<&str> = near[stop + 1..].split_whitespace().collect();
    (1..=HEADING_WORDS).contains(&words.len())
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words.iter().all(|w| w.chars().all(char::is_alphanumeric))
}

/// How many words, and bytes, [`ends_a_short_heading`] reads before a quotation.
const HEADING_WORDS: usize = 10;
const HEADING_REACH: usize = 96;

/// Whether a straight single mark left open is an apostrophe inside a transliterated name
/// (`khu vực Sab 'Biar`, `Ras 'Amer`): a capitalized word before it, a capital glued after
/// it (judged FALSE on real news, round 32), or an article of up to three lower-case letters
/// before the name's next capitalized word (`sa mạc Rub 'al Khali`, round 60).
fn apostrophe_in_a_name(text: &str, m: &Mark) -> bool {
    if m.glyph != '\'' {
        return false;
    }
    let rest = &text[m.range.end..];
    let article = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    let capital_after = rest.chars().next().is_some_and(char::is_uppercase)
        || ((1..=3).contains(&article)
            && rest[article..]
                .strip_prefix(' ')
                .is_some_and(|r| r.starts_with(char::is_uppercase)));
    let word_before = text[..m.range.start]
        .strip_suffix(' ')
        .and_then(|b| b.split(|c: char| !c.is_alphanumeric()).next_back())
        .unwrap_or("");
    // `K ' Sơn`, an ethnic name's prefix letter spaced from its mark (`K'Sơn`; judged FALSE
    // on real news, round 129).
    let lone_capital_before = word_before.chars().count() == 1;
    let spaced_capital_after = rest
        .strip_prefix(' ')
        .is_some_and(|r| r.starts_with(char::is_uppercase));
    (capital_after || lone_capital_before && spaced_capital_after)
        && word_before.chars().next().is_some_and(char::is_uppercase)
}

/// The closing mark that goes with the opening mark `open`.
fn closing_of(open: char, r: &Compiled) -> char {
    match open {
        o if o == r.outer[0] => r.outer[1],
        o if o == r.inner[0] => r.inner[1],
        '"' | '\'' => open,
        '‘' | '‚' => '’',
        _ => '”',
    }
}

/// Mismatched quotations: a single opening mark left open whose next mark in the block is a
/// double closing mark with nothing open, at most a short phrase later (`'tân binh"`,
/// `‘như nấm”`, judged on real news, round 17: reported as a quote never closed).
fn mismatched_pairs<'p>(text: &str, paired: &'p Paired) -> Vec<(&'p Mark, &'p Mark)> {
    /// The longest quoted phrase read as one mismatched quotation, in bytes.
    const PHRASE_BYTES: usize = 120;
    /// The longest quoted speech closed by a single mark before a comma or a stop, in bytes.
    const SPEECH_BYTES: usize = 1200;
    if (paired.strays.is_empty() && paired.single_closers.is_empty()) || paired.unclosed.is_empty() {
        return Vec::new();
    }
    let mut starts: Vec<usize> = paired
        .pairs
        .iter()
        .flat_map(|p| [p.open.range.start, p.close.range.start])
        .chain(paired.unclosed.iter().map(|m| m.range.start))
        .chain(paired.strays.iter().map(|m| m.range.start))
        .chain(paired.single_closers.iter().map(|m| m.range.start))
        .collect();
    starts.sort_unstable();
    // The mark right after `open` when it is one of `closers`, a short phrase later.
    let next_closer = |open: &Mark, closers: &'p [Mark], longest: usize| -> Option<(&'p Mark, Range<usize>)> {
        let next = starts.partition_point(|&s| s <= open.range.start);
        let at = *starts.get(next)?;
        let close = closers.iter().find(|m| m.range.start == at)?;
        let between = text.get(open.range.end..close.range.start).unwrap_or_default();
        (!between.trim().is_empty() && between.len() <= longest && !between.contains(MASK_CHAR))
            .then_some((close, open.range.end..close.range.start))
    };
    let unclosed_opening = |family: Family| {
        paired
            .unclosed
            .iter()
            .filter(move |m| m.family == family && m.role != Role::Close && !m.doubled)
    };
    // Whether the text after `close` ends a clause: punctuation, a dash before the speaker
    // (`thoải mái” - ca sĩ Phương Thanh`, `đường'- Kelbin nói`) or the line's end.
    let ends_clause = |close: &Mark| {
        let rest = &text[close.range.end..];
        let next = rest.chars().next();
        next.is_none_or(|c| matches!(c, ',' | '.' | '!' | '?' | '\n' | '-' | '–' | '—'))
            || rest.trim_start_matches(' ').starts_with(['-', '–', '—'])
    };
    let mut out = Vec::new();
    // A long quotation closed so before the end of its clause is speech (`'Siu Black đã đến
    // … thoải mái” - ca sĩ Phương Thanh`, real news, round 72).
    for open in unclosed_opening(Family::Single) {
        if let Some((close, between)) = next_closer(open, &paired.strays, SPEECH_BYTES) {
            if close.family == Family::Double
                && close.role == Role::Close
                && (between.len() <= PHRASE_BYTES || ends_clause(close))
            {
                out.push((open, close));
            }
        }
    }
    // `"Độc cô cầu bại’ của`: a double quotation whose next mark is a curly single closing
    // one with nothing open, after a letter and before no letter (judged on real news,
    // round 24: reported as never closed).
    // Before a comma or a sentence's end it may close a quotation of a few sentences (`“Nếu
    // tôi … thành công lớn’, Carvajal nói`, round 25): the next mark all the same. So a
    // straight single mark (`“Khi mình bị té ngã … bệnh viện'.`, round 72).
    for open in unclosed_opening(Family::Double) {
        if let Some((close, between)) = next_closer(open, &paired.single_closers, SPEECH_BYTES) {
            let after_letter = text[between.clone()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
            let before_letter = text[close.range.end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if after_letter && !before_letter && (between.len() <= PHRASE_BYTES || ends_clause(close)) {
                out.push((open, close));
            }
        }
    }
    out
}

fn check_rule(r: &Compiled, block: &BlockInput<'_>, paired: &Paired, out: &mut BlockOutput) {
    let (pairs, unclosed, strays) = (&paired.pairs, &paired.unclosed, &paired.strays);
    let text = block.text;
    // A stray or unclosed quote throws every later depth off: nesting is not judged in
    // such a paragraph, and straight quotes there get no safe fix.
    let balanced = unclosed.is_empty();
    let headline = block.is_headline();
    let report = |range: Range<usize>, expected: &str, problem: &str, check: &str| {
        r.meta.render(&[
            ("found", &text[range]),
            ("expected", expected),
            ("problem", problem),
            ("check", check),
        ])
    };
    let mut diags = Vec::new();
    let in_curly = straight_doubles_in_curly(pairs);
    let in_straight = curly_singles_in_straight(pairs);
    if r.checks.nesting {
        // Only at the top level: doubles inside a quotation in `‘…’` (`‘… “to-do-list” …’`)
        // nest the way of a house that quotes with singles first (judged DEBATABLE on real
        // news, round 109: fourteen rows, two articles).
        if let Some(p) = pairs
            .iter()
            .find(|p| p.depth == 1 && p.open.family == Family::Double && p.close.family == Family::Double)
        {
            let whole = p.open.range.start..p.close.range.end;
            out.facts
                .push(Fact::new(r.idx, Noted::Quote(QuoteFact::DoubleUsed), whole));
        }
        if let Some(p) = pairs.iter().find(|p| {
            p.depth == 1
                && p.open.family == Family::Double
                && p.close.family == Family::Double
                && is_short_quotation(&text[p.open.range.end..p.close.range.start])
        }) {
            let whole = p.open.range.start..p.close.range.end;
            out.facts
                .push(Fact::new(r.idx, Noted::Quote(QuoteFact::ShortDoubleUsed), whole));
        }
    }
    for (pi, p) in pairs.iter().enumerate() {
        let style = if p.depth % 2 == 1 { r.outer } else { r.inner };
        let whole = p.open.range.start..p.close.range.end;
        let expected_text =
            |open: char, close: char| format!("{open}{}{close}", &text[p.open.range.end..p.close.range.start]);
        let straight = p.open.straight || p.close.straight;
        // Curly pairs count in the rule's own styles only (« » in a “ ” house is another matter).
        let own = [p.open.glyph, p.close.glyph] == r.outer || [p.open.glyph, p.close.glyph] == r.inner;
        let quote_family = if straight {
            matches!(p.open.family, Family::Double | Family::Single)
        } else {
            own
        };
        // Headlines quote with single quotes by web convention: they are not counted in
        // the article's choice.
        let doubled = p.open.doubled || p.close.doubled;
        if r.checks.straight && quote_family && !headline && !doubled {
            // A curly mark paired with a straight one says which level it is (`“… chó)."`
            // closes an outer quotation with a straight mark).
            let curly = (p.open.straight != p.close.straight).then_some(if p.open.straight {
                p.close.glyph
            } else {
                p.open.glyph
            });
            let inner = match curly {
                Some(g) if r.outer.contains(&g) && !r.inner.contains(&g) => false,
                Some(g) if r.inner.contains(&g) && !r.outer.contains(&g) => true,
                _ => p.depth % 2 == 0,
            };
            // Single straight quotes at the top level (`'lột xác'`, `'hit’`) are the web
            // headline convention, kept by crossheads and related-article titles run into the
            // body and by some articles throughout: neither form of the choice (round 18:
            // counted as `"…"`, the safe fix rewrote them as `“…”`, or wrote `"…"` in an
            // article that quotes with `'…'`).
            let top_single = p.open.family == Family::Single && ((curly.is_none() && !inner) || p.depth == 1);
            if !(in_straight[pi] || straight && top_single) {
                let pair = PairFact {
                    straight,
                    mixed: p.open.straight != p.close.straight,
                    inner,
                    clear: p.open.clear && p.close.clear,
                    unbalanced_block: !balanced,
                    in_curly: in_curly[pi],
                    top_single: top_single && !straight && p.open.family == p.close.family,
                    opens_a_sentence: crate::text::case::is_sentence_start(text, p.open.range.start),
                };
                out.facts
                    .push(Fact::new(r.idx, Noted::Quote(QuoteFact::Pair(pair)), whole.clone()));
            }
        }
        if r.checks.nesting && !straight && balanced {
            let other = if p.depth % 2 == 1 { r.inner } else { r.outer };
            let headline_single = (headline
                || run_in_heading(text, p)
                || crate::text::context::in_a_crosshead_line(text, p.open.range.start..p.close.range.end)
                || in_a_labelled_title(text, p, &r.title_labels))
                && p.depth == 1;
            let glyphs = [p.open.glyph, p.close.glyph];
            // Outer quotes inside quotes are judged over the whole document.
            let mut deferred = false;
            if p.depth > 1 && r.inner != r.outer {
                if glyphs == r.outer {
                    out.facts
                        .push(Fact::new(r.idx, Noted::Quote(QuoteFact::NestedOuter), whole.clone()));
                    deferred = true;
                } else if glyphs == r.inner {
                    out.facts
                        .push(Fact::new(r.idx, Noted::Quote(QuoteFact::NestedInner), whole.clone()));
                }
            }
            if p.depth == 1 && glyphs == other && other != style && !headline_single {
                out.facts
                    .push(Fact::new(r.idx, Noted::Quote(QuoteFact::TopInner), whole.clone()));
            } else if glyphs == other && other != style && !headline_single && !deferred {
                let problem = if p.depth == 1 {
                    "Inner quotes used outside"
                } else {
                    "Outer quotes used inside other quotes"
                };
                let expected = expected_text(style[0], style[1]);
                let fix = Fix::unsafe_(
                    format!("Use {}…{} quotes", style[0], style[1]),
                    vec![
                        Edit::new(p.open.range.clone(), style[0].to_string()),
                        Edit::new(p.close.range.clone(), style[1].to_string()),
                    ],
                );
                let msg = report(whole.clone(), &expected, problem, "nesting");
                diags.push(Diagnostic::new(r.idx, whole.clone(), msg).with_fix(fix));
            }
        }
        if r.checks.inner_space {
            let inside = p.open.range.end..p.close.range.start;
            let body = &text[inside.clone()];
            let lead = body.len() - body.trim_start_matches([' ', '\t', '\u{A0}']).len();
            let trail = body.len() - body.trim_end_matches([' ', '\t', '\u{A0}']).len();
            let word_at = |c: Option<char>| c.is_some_and(crate::text::words::is_word_char);
            let glued_after = word_at(text[p.close.range.end..].chars().next());
            if lead + trail > 0
                && lead < body.len()
                && !opening_in_a_run(text, p, glued_after)
                && !(trail > 0 && closing_reads_as_next_opening(text, p, body))
            {
                let mut edits = Vec::new();
                // A space on the wrong side of a mark glued to a word outside
                // (`"mũ nồi xanh "thứ hai`, real news) or to a colon (`chia sẻ:" Vì`,
                // round 29) moves outside instead of vanishing.
                let before_open = text[..p.open.range.start].chars().next_back();
                let glued_before = word_at(before_open) || before_open == Some(':');
                if glued_before && lead > 0 {
                    edits.push(Edit::insert(p.open.range.start, " ".to_string()));
                }
                if lead > 0 {
                    edits.push(Edit::delete(inside.start..inside.start + lead));
                }
                if trail > 0 {
                    edits.push(Edit::delete(inside.end - trail..inside.end));
                }
                if glued_after && trail > 0 {
                    edits.push(Edit::insert(p.close.range.end, " ".to_string()));
                }
                let expected = format!(
                    "{}{}{}",
                    &text[p.open.range.clone()],
                    body.trim_matches([' ', '\t', '\u{A0}']),
                    &text[p.close.range.clone()]
                );
                let msg = report(whole.clone(), &expected, "Space inside quotes", "inner-space");
                // A curly mark paired with a straight one: the straight one may belong to
                // another pair (`bỏ tiền " giáo dục " khách hàng` inside a “…” quotation,
                // judged on real news): the fix is offered, not applied.
                // A closing mark read from its neighbours (`"đồ nghề "đã`) may also be the
                // opening of a nested quotation: moving its space is offered, not applied.
                // A backwards closing mark glued to the word before it (`khủng bố“ một`) may
                // open after all (round 22: the safe fix moved its space): offered, not applied.
                // Before a comma (`Running Man “,`) it closes for sure.
                // So may one after a space before a stop (`H&M 2017 “.`, round 42).
                let backwards_glued = p.close.backwards
                    && text[p.close.range.end..]
                        .chars()
                        .next()
                        .is_none_or(|c| c.is_whitespace() || c == MASK_CHAR || matches!(c, '!' | '?' | '.'));
                // A straight mark with a space on each side (`nói lời " từ biệt"`, `chương
                // trình " Bốn mùa`) may open or close: when its space is the one removed, the
                // pairing may be wrong (round 25: two safe fixes glued a nested quotation's or
                // a programme title's opening mark to the word before it).
                // Ambiguous when the same glyph next to it on the other side is glued to a word
                // on its outer side (`" từ biệt"`: the one after would close it, were it opening).
                let free_standing = |m: &Mark| {
                    m.straight
                        && text[..m.range.start]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_whitespace)
                        && text[m.range.end..].chars().next().is_some_and(char::is_whitespace)
                };
                let glued = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
                let closes_later = |m: &Mark| {
                    text[m.range.end..]
                        .find(m.glyph)
                        .map(|i| m.range.end + i)
                        .is_some_and(|at| glued(text[..at].chars().next_back()))
                };
                let opens_earlier = |m: &Mark| {
                    text[..m.range.start]
                        .rfind(m.glyph)
                        .is_some_and(|at| glued(text[at + m.glyph.len_utf8()..].chars().next()))
                };
                // A straight closing mark after a space and glued to what follows (`có đoạn
                // viết "…." đã`) has an opening's shape: it may open a nested quotation (round
                // 40: the safe fix glued it to `viết`).
                // A curly one too (`nói rằng ”không có lý do gì`: an opening typed with the
                // closing glyph; round 49: the safe fix wrote `rằng” không`).
                let opening_shaped = trail > 0
                    && text[p.close.range.end..].chars().next().is_some_and(|c| {
                        if p.close.straight {
                            !c.is_whitespace()
                                && !matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | MASK_CHAR)
                        } else {
                            // A curly one only before a word: `’”` closes two quotations.
                            c.is_alphanumeric()
                        }
                    });
                // Both marks between spaces, and the next or previous mark of the glyph too
                // (`" Tôi đang … tiếng " sầm " lớn`, a text spaced around every mark: round 81,
                // two safe fixes glued a nested quotation's marks to the words outside): which
                // marks pair is a guess.
                let spaced_at = |at: usize, len: usize| {
                    text[..at].chars().next_back().is_some_and(char::is_whitespace)
                        && text[at + len..].chars().next().is_some_and(char::is_whitespace)
                };
                let free_after = |m: &Mark| {
                    text[m.range.end..]
                        .find(m.glyph)
                        .is_some_and(|i| spaced_at(m.range.end + i, m.glyph.len_utf8()))
                };
                let free_before = |m: &Mark| {
                    text[..m.range.start]
                        .rfind(m.glyph)
                        .is_some_and(|at| spaced_at(at, m.glyph.len_utf8()))
                };
                let all_spaced =
                    free_standing(&p.open) && free_standing(&p.close) && (free_after(&p.close) || free_before(&p.open));
                // A mark between spaces beside another one between spaces, on the side whose
                // space goes (`"Căn cứ … tội " Giao cấu với trẻ em " là … quy định".`, round 91:
                // the two spaced marks were a nested pair, and the safe fix glued them outward).
                let spaced_neighbour = (lead > 0 && free_standing(&p.open) && free_before(&p.open))
                    || (trail > 0 && free_standing(&p.close) && free_after(&p.close));
                let ambiguous = (lead > 0 && free_standing(&p.open) && opens_earlier(&p.open))
                    || (trail > 0 && free_standing(&p.close) && closes_later(&p.close))
                    || spaced_neighbour
                    || opening_shaped
                    || all_spaced;
                // A straight pair read as nested only from its neighbours (`“… chiếc " xe
                // điên " chuẩn bị …”`, round 59): offered, not applied.
                let nested_guess = p.depth > 1 && p.open.straight && !p.open.clear && !p.close.clear;
                let sure = p.open.straight == p.close.straight
                    && !nested_guess
                    && (p.close.clear || !glued_after)
                    && !backwards_glued
                    && !ambiguous;
                let title = "Remove the spaces inside the quotes";
                let fix = if sure {
                    Fix::safe(title, edits)
                } else {
                    Fix::unsafe_(title, edits)
                };
                diags.push(Diagnostic::new(r.idx, whole.clone(), msg).with_fix(fix));
            }
        }
    }
    // A single opening mark whose next mark is a double closing one with nothing open: one
    // quotation with mismatched marks, not an unclosed quote and a stray.
    let mismatched = mismatched_pairs(text, paired);
    if r.checks.mismatched {
        for &(open, close) in &mismatched {
            let whole = open.range.start..close.range.end;
            let inner = pairs
                .iter()
                .any(|p| p.open.range.start < whole.start && p.close.range.end > whole.end);
            out.facts.push(Fact::new(
                r.idx,
                Noted::Quote(QuoteFact::Mismatched {
                    inner,
                    backwards: false,
                }),
                whole,
            ));
        }
        // A quotation closed by an opening curly mark: its closing glyph is wrong. Opened
        // with a mark of no house pair (`„búp bê Nga“,`), the whole pair is.
        for p in pairs.iter().filter(|p| p.close.backwards && !p.open.doubled) {
            let whole = p.open.range.start..p.close.range.end;
            let house_open =
                matches!(p.open.glyph, '"' | '\'') || p.open.glyph == r.outer[0] || p.open.glyph == r.inner[0];
            let inner = !house_open && p.depth > 1;
            out.facts.push(Fact::new(
                r.idx,
                Noted::Quote(QuoteFact::Mismatched {
                    inner,
                    backwards: house_open,
                }),
                whole,
            ));
        }
    }
    let in_mismatched = |m: &Mark| mismatched.iter().any(|(o, c)| o.range == m.range || c.range == m.range);
    if r.checks.unbalanced {
        let opening = |m: &Mark| m.role != Role::Close && m.family == Family::Double;
        let resumed = resumed_marks(paired);
        let mut previous_open: Option<&Mark> = None;
        for m in unclosed.iter().filter(|m| !in_mismatched(m)) {
            if resumed.binary_search(&m.range.start).is_ok() {
                continue;
            }
            let after_an_open = previous_open.is_some_and(|p| closer_typed_as_opener(text, p, m));
            if opening(m) {
                previous_open = Some(m);
            }
            if after_an_open {
                continue;
            }
            if opening(m) {
                // The document pass decides: see `QuoteFact::OpensBlock`.
                out.facts
                    .push(Fact::new(r.idx, Noted::Quote(QuoteFact::UnclosedOpen), m.range.clone()));
                continue;
            }
            if apostrophe_in_a_name(text, m) {
                continue;
            }
            let msg = report(m.range.clone(), "", "Quote never closed", "unbalanced");
            diags.push(Diagnostic::new(r.idx, m.range.clone(), msg));
        }
        for m in strays.iter().filter(|m| !in_mismatched(m)) {
            out.facts.push(Fact::new(
                r.idx,
                Noted::Quote(QuoteFact::ClosesUnopened),
                m.range.clone(),
            ));
        }
        let lead = text.len() - text.trim_start().len();
        let first = pairs
            .iter()
            .map(|p| &p.open)
            .chain(unclosed)
            .min_by_key(|m| m.range.start);
        if let Some(m) = first.filter(|m| m.range.start == lead && opening(m)) {
            out.facts
                .push(Fact::new(r.idx, Noted::Quote(QuoteFact::OpensBlock), m.range.clone()));
        }
    }
    diags.sort_by_key(|d| (d.range.start, d.range.end));
    out.diagnostics.extend(diags);
}

/// Whether the unclosed opening mark `m` shortly after another unclosed one (`open`), with
/// no quote mark or sentence end between them, is that quotation's closing mark typed as an
/// opening one (`Ghé thăm “Hương cảng “của New Zealand`): one unclosed quotation, reported
/// once (judged FALSE on real news, round 115: reported twice).
fn closer_typed_as_opener(text: &str, open: &Mark, m: &Mark) -> bool {
    const SHORT_QUOTATION: usize = 80;
    if open.family != Family::Double || m.family != Family::Double || open.glyph != m.glyph {
        return false;
    }
    let Some(between) = text.get(open.range.end..m.range.start) else {
        return false;
    };
    between.len() <= SHORT_QUOTATION
        && !between.trim().is_empty()
        && !between.contains(['"', '“', '”', '‘', '’', '\'', '.', '?', '!', '\n'])
}

#[cfg(test)]
mod tests {
    use crate::testing::{check, check_markdown, engine, fix};

    pub(super) const RULES: &str = r#"
[[rule]]
id = "quotes"
kind = "quotes"
message = "{problem}: {found} → {expected}"
"#;

    #[test]
    fn a_consistent_article_is_left_alone_whatever_its_quotes() {
        let e = engine(RULES);
        assert!(check(&e, r#"Ông nói "mở đường" rồi đi, "Dự án 'mở' đã xong"."#).is_empty());
        assert!(check(&e, "Ông nói “mở đường” rồi đi.").is_empty());
    }

    #[test]
    fn the_minority_style_is_reported_with_counts_and_fixed_by_depth() {
        let e = engine(&RULES.replace(
            "{problem}: {found} → {expected}",
            "Bài viết dùng cả {majority} ({majority_count} lần) và {minority} ({minority_count} lần)",
        ));
        let text = r#"Ông nói: "Dự án 'mở đường' đã xong". Gọi là “A” và “B”, “C”."#;
        let f = check(&e, text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].found, r#""Dự án 'mở đường' đã xong""#);
        // The straight pairs counted are a double and a single one, and the message says so.
        assert_eq!(f[0].message, "Bài viết dùng cả “…” (3 lần) và \"…\", '…' (2 lần)");
        assert_eq!(f[1].found, "'mở đường'");
        // Real news, round 31: top-level `‘…’` pairs are counted as curly and named.
        let all = check(&e, r#"Gọi là ‘A’ và ‘B’, “C”, rồi "D"."#);
        let singles: Vec<_> = all.iter().filter(|f| f.found == "\"D\"").collect();
        assert_eq!(singles.len(), 1, "{all:?}");
        assert_eq!(singles[0].message, "Bài viết dùng cả “…”, ‘…’ (3 lần) và \"…\" (1 lần)");
        assert_eq!(
            fix(&e, text),
            "Ông nói: “Dự án ‘mở đường’ đã xong”. Gọi là “A” và “B”, “C”."
        );
        // The other way round: the straight majority wins.
        assert_eq!(
            fix(&e, r#"Gọi là "A" và "B", rồi “C”."#),
            r#"Gọi là "A" và "B", rồi "C"."#
        );
        // A curly pair nested in a straight quotation keeps its depth: single quotes,
        // offered and not applied (its depth rests on the marks around it: round 24).
        let nested = r#"Họ nói "A", "B" và "bịt khẩu trang “trinh sát”, thăm dò"."#;
        assert_eq!(
            crate::testing::fix_all(&e, nested),
            r#"Họ nói "A", "B" và "bịt khẩu trang 'trinh sát', thăm dò"."#
        );
        assert_eq!(fix(&e, nested), nested);
        // A curly quotation holding straight doubles is not straightened by `--fix`: the
        // quotation's end would be lost (baomoi_21470918).
        let text = r#"Gọi là "A", "B" và "C". Bạn đọc: “Ăn mặc "hở hang" liên quan à?”."#;
        assert_eq!(check(&e, text).len(), 1);
        assert_eq!(fix(&e, text), text);
        // With a curly majority the same quotation is fixed safely, by depth.
        assert_eq!(
            fix(
                &e,
                r#"Gọi là “A”, “B” và "C". Bạn đọc: “Ăn mặc "hở hang" liên quan à?”."#
            ),
            "Gọi là “A”, “B” và “C”. Bạn đọc: “Ăn mặc ‘hở hang’ liên quan à?”."
        );
        // A tie goes to the preferred style (curly by default), offered but not applied.
        assert_eq!(check(&e, r#"Gọi là "A" và “B”."#).len(), 1);
        assert_eq!(fix(&e, r#"Gọi là "A" và “B”."#), r#"Gọi là "A" và “B”."#);
    }

    /// Judged on real news (round 17, baomoi_22566678): 2 curly, 2 straight and 2 `“…"`
    /// quotations; the mixed ones were counted straight, so the safe fix straightened the 2
    /// curly pairs and left the mixed ones mixed. A mixed quotation does not vote: the tie goes
    /// to the preferred style (offered, not applied), and the mixed pairs follow the winner.
    #[test]
    fn mixed_quotations_that_tip_the_vote_do_not_vote() {
        let e = engine(&RULES.replace(
            "{problem}: {found} → {expected}",
            "Bài viết dùng cả {majority} ({majority_count} lần) và {minority} ({minority_count} lần)",
        ));
        let text = r#"Gọi là “A” và “B”, rồi "C" và "D". Họ nói “E" và “F"."#;
        let f = check(&e, text);
        assert_eq!(f.len(), 4, "{f:#?}");
        assert_eq!(f[0].found, r#""C""#);
        assert_eq!(f[0].message, "Bài viết dùng cả “…” (2 lần) và \"…\" (2 lần)");
        assert_eq!(f[2].message, "Bài viết dùng cả “…” (2 lần) và “…\" (2 lần)");
        assert_eq!(fix(&e, text), text);
        assert_eq!(
            crate::testing::fix_all(&e, text),
            "Gọi là “A” và “B”, rồi “C” và “D”. Họ nói “E” và “F”."
        );
        // Where the mixed quotations do not tip the vote they count as straight, as before:
        // a straight article with one is left alone ...
        assert!(check(&e, r#"Gọi là "A" và "B". Họ nói “E"."#).is_empty());
        // ... and a curly majority still wins, safely.
        assert_eq!(
            fix(&e, r#"Gọi là “A”, “B”, “D” và "C". Họ nói “E"."#),
            "Gọi là “A”, “B”, “D” và “C”. Họ nói “E”."
        );
    }

    /// Real news, round 119: `Ballantine‘s`, a possessive typed with an opening mark.
    #[test]
    fn a_possessive_typed_with_an_opening_mark_is_no_quote() {
        let e = engine(RULES);
        assert!(check(&e, "Rượu Ballantine‘s 🙂 được bán ở đây.").is_empty());
        assert_eq!(check(&e, "Ông gọi là ‘sản phẩm mới. Rồi đi.").len(), 1);
    }

    /// Real news, round 115: a closing mark typed as an opening one (`cảng “của`) leaves
    /// one quotation unclosed, reported once, on its opening mark.
    #[test]
    fn a_closer_typed_as_an_opener_is_one_unclosed_quotation() {
        let e = engine(RULES);
        let f = check(&e, "Ghé thăm “Hương cảng 🙂 “của New Zealand hôm nay.");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].found, "“");
        assert!(f[0].message.starts_with("Quote never closed"), "{f:#?}");
        // Two quotations opened in two sentences are two findings.
        assert_eq!(check(&e, "Ông nói “không. Bà nói “có rồi đi.").len(), 2);
    }

    /// Judged on real news (round 17): `'tân binh" Isuzu` and `mọc lên ‘như nấm” khiến` were
    /// reported as quotes never closed; they are closed, by a mark of another kind.
    #[test]
    fn a_quotation_closed_by_another_kind_of_mark_is_mismatched() {
        let e = engine(RULES);
        let text = r#"Các mẫu như Toyota Fortuner, 'tân binh" Isuzu bán chạy."#;
        let f = check(&e, text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].found, r#"'tân binh""#);
        assert!(f[0].message.starts_with("Opening and closing quotes differ"), "{f:#?}");
        // Offered, not applied; the pair takes the document's style, by depth.
        assert_eq!(fix(&e, text), text);
        assert_eq!(
            crate::testing::fix_all(&e, text),
            "Các mẫu như Toyota Fortuner, “tân binh” Isuzu bán chạy."
        );
        let text = r#"Gọi là "A" và "B", còn lớp mọc lên ‘như nấm” khiến ai cũng lo."#;
        assert_eq!(
            crate::testing::fix_all(&e, text),
            r#"Gọi là "A" và "B", còn lớp mọc lên "như nấm" khiến ai cũng lo."#
        );
        // An unclosed single quote with no double mark after it stays unclosed.
        let f = check(&e, "Ông gọi đó là ‘con đường. Rồi đi.");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.starts_with("Quote never closed"), "{f:#?}");
        // With only the unbalanced check, the mismatched pair is not reported as unclosed.
        let e = engine(&format!("{RULES}checks = [\"unbalanced\"]\n"));
        assert!(check(&e, r#"Các mẫu như Fortuner, 'tân binh" Isuzu bán chạy."#).is_empty());
    }

    #[test]
    fn prefer_mode_enforces_curly_and_off_mode_is_silent() {
        let e = engine(&format!("{RULES}mode = \"prefer\"\n"));
        assert_eq!(fix(&e, r#"Ông nói "mở đường" rồi đi."#), "Ông nói “mở đường” rồi đi.");
        let e = engine(&format!("{RULES}mode = \"prefer\"\nprefer = \"straight\"\n"));
        assert_eq!(
            fix(&e, "Ông nói “mở ‘đường’” rồi đi."),
            r#"Ông nói "mở 'đường'" rồi đi."#
        );
        let e = engine(&format!("{RULES}mode = \"off\"\n"));
        assert!(check(&e, r#"Gọi là "A" và “B”."#).is_empty());
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        // Round 57: `rock 'n' roll` holds no quotation.
        {
            let e = engine(RULES);
            let t = "Họ chơi thứ “bóng đá rock 'n' roll” và gọi đó là “bóng đá tổng lực”.";
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
            assert_eq!(fix(&e, t), t);
        }
        let e = engine(RULES);
        assert!(check(&e, "Định lý D'Alembert, nhạc rock'n'roll, thập niên ’90").is_empty());
        assert_eq!(fix(&e, "\"D'Alembert\" nói, “A”, “B”"), "“D'Alembert” nói, “A”, “B”");
    }

    #[test]
    fn ambiguous_pairs_get_an_unsafe_fix() {
        let e = engine(RULES);
        // The second quote sits between two letters: the position does not tell.
        let text = r#"Chữ "a"b, “c” và “d”"#;
        let f = check(&e, text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(fix(&e, text), text);
    }

    #[test]
    fn one_stray_quote_does_not_cascade_into_nesting_fixes() {
        let e = engine(RULES);
        // A stray opening quote would make every later pair "inner": nesting is not
        // judged in that paragraph, and nothing there is fixed by depth.
        let text = "Ông nói “mở đường. Bà gọi là “A” và “B”.\n\nĐoạn sau “ổn”, “tốt”.";
        let f = check(&e, text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.starts_with("Quote never closed"), "{f:?}");
        assert_eq!(fix(&e, text), text);
        let mixed = "Ông nói \"mở đường. Bà gọi là \"A\" và “B”, “C”.";
        assert_eq!(fix(&e, mixed), mixed);
    }

    /// Judged on real news (round 11): after a quote left open, a quotation closed and
    /// reopened with straight marks (`“… chó)." "Nhưng … đồng”`) is two top-level pairs, each
    /// with one curly mark: the unsafe fix writes them curly, not nested (`chó).’ ‘Nhưng`).
    #[test]
    fn after_a_stray_quote_straight_marks_keep_their_level() {
        let e = engine(RULES);
        let text = "Chuyện “đi sớm của cả nhóm. Bà nói: “Trời mưa to”. “Đường trơn (rất trơn).\" \"Nhưng vẫn đi” - ông đáp. “Ổn”, “tốt” và “hay”.";
        let fixed = crate::testing::fix_all(&e, text);
        assert!(fixed.contains("(rất trơn).” “Nhưng vẫn đi”"), "{fixed}");
        let text = "Ông nói “mở đường. Bà gọi là \"A\", “B”, “C” và “D”.";
        let fixed = crate::testing::fix_all(&e, text);
        assert!(fixed.contains("gọi là “A”"), "{fixed}");
        // Nothing of it is applied by `--fix`: the paragraph's depths are a guess.
        assert_eq!(fix(&e, text), text);
    }

    #[test]
    fn headlines_quote_with_single_quotes() {
        let e = engine(RULES);
        let text = "Bộ trưởng: 'Không có vùng cấm'\nÔng nói “A” và ‘B’ không đúng.";
        let f = crate::testing::check_with_headline(&e, text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].found, "‘B’");
    }

    #[test]
    fn a_straight_mark_before_punctuation_closes_after_a_space() {
        // Judged on real news (seed 34): the closing mark after a space was read as an opening one.
        let e = engine(RULES);
        let text = "Anh nói: \"Chúng tôi thiếu bình ôxy... \", một bác sĩ cho biết.";
        let f = check(&e, text);
        assert!(f.iter().all(|f| !f.message.starts_with("Quote never closed")), "{f:?}");
    }

    #[test]
    fn two_straight_doubles_left_open_are_one_quotation() {
        // Real news: the closing mark has its space before it instead of after.
        let e = engine(RULES);
        let found = check(&e, "Các chiến sĩ \"mũ nồi xanh \"thứ hai lên đường.");
        assert!(
            found.iter().all(|d| !d.message.starts_with("Quote never closed")),
            "{found:?}"
        );
        // One left open is still reported, also after such a pair; and a proper nesting is unchanged.
        let found = check(&e, "Họ nói \"mũ nồi xanh \"thứ hai, rồi \"ba bốn.");
        let open = found.iter().filter(|d| d.message.starts_with("Quote never closed"));
        assert_eq!(open.map(|d| d.found.as_str()).collect::<Vec<_>>(), ["\""], "{found:?}");
        // The space inside moves outside, where the closing mark was glued to the next word.
        let glued = "Các chiến sĩ \"mũ nồi xanh \"thứ hai lên đường.";
        assert_eq!(fix(&e, glued), glued, "offered, not applied");
        let found = check(&e, glued);
        let offered: Vec<_> = found.iter().filter_map(|d| d.fix.as_deref()).collect();
        assert_eq!(offered, ["\"mũ nồi xanh\" "], "{found:?}");
    }

    /// Judged on real news (round 24): a double quotation closed with a curly single mark
    /// is one mismatched quotation, not one never closed.
    #[test]
    fn a_double_quotation_closed_by_a_single_mark_is_mismatched() {
        let e = engine(RULES);
        let t = "Khi tên được vang lên, \"Độc cô cầu bại’ của Muay đã tự tin. Rồi “tận thu’.";
        let f = check(&e, t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f.iter().all(|f| !f.message.starts_with("Quote never closed")), "{f:?}");
        // Round 25: before a comma or a stop it may close a quotation of a few sentences.
        let long = "“Nếu tôi tự đặt mình vào vị trí một cầu thủ như cậu ấy, tôi sẽ cố gắng hơn nữa mỗi ngày. \
                    Tôi hy vọng cậu ấy sẽ có được thành công lớn’, Carvajal nói.";
        let f = check(&e, long);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(!f[0].message.starts_with("Quote never closed"), "{f:?}");
        // A long stretch before a word is no quotation's end.
        let f = check(&e, &long.replace("lớn’,", "lớn’ và"));
        assert!(f.iter().any(|f| f.message.starts_with("Quote never closed")), "{f:?}");
        // An apostrophe inside a word closes nothing.
        let f = check(&e, "Ông nói “O’Neill đến rồi.");
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.starts_with("Quote never closed"), "{f:?}");
    }

    /// Judged DEBATABLE on real news (round 72): a crosshead on a line of its own quotes with
    /// single marks, as headlines do; a sentence's single quotes are still nested wrong.
    #[test]
    fn a_crosshead_line_quotes_with_single_marks() {
        let e = engine(RULES);
        let t = "Ông nói “đi” rồi về.\nSếp tập đoàn đồng loạt đổi ‘ghế’\nCác tập đoàn “lớn” đều thay.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        let t = "Ông nói “đi” rồi về.\nSếp tập đoàn đồng loạt đổi ‘ghế’ vào hôm qua.\nCác tập đoàn “lớn” đều thay.";
        assert_eq!(check(&e, t).len(), 1, "{:?}", check(&e, t));
        // A paragraph of its own too (round 78).
        let t =
            "Ông nói “đi” rồi về.\n\nTổng thư ký NATO cảnh báo về ‘thế giới nguy hiểm’\n\nCác tập đoàn “lớn” đều thay.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // A related article's title of sixteen words, its lead on the next line (round 82).
        let t = "Ông nói “đi” rồi về.\nLuật sư của bị cáo: ‘Có hơn 50.000 tỷ đồng bồi thường cho các trái chủ ở đây’\nBào chữa cho bị cáo, luật sư nói “đủ”.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        let long = "Ông nói “đi” rồi về.\nLuật sư của bị cáo cho rằng một phần của khoản ‘bồi thường cho các trái chủ ở nhiều tỉnh và thành phố lớn’\nBào chữa.";
        assert_eq!(check(&e, long).len(), 1, "{:?}", check(&e, long));
    }

    /// Judged FALSE on real news (round 113): two opening single marks whose next closing
    /// mark is single open two quotations (`‘‘Skill’ … nổi’`), not one double mark.
    #[test]
    fn two_opening_single_marks_may_open_two_quotations() {
        let e = engine(RULES);
        let t = "Chị kể: ‘‘Skill’ là kỹ năng, còn chuyện này em chưa giải thích nổi’. Rồi chị cười.";
        assert!(
            check(&e, t).iter().all(|f| !f.message.contains("never closed")),
            "{:?}",
            check(&e, t)
        );
        let t = "Họ gọi đó là ‘‘quy luật ngầm’’ của nghề, ai cũng biết.";
        assert!(
            check(&e, t).iter().all(|f| !f.message.contains("never closed")),
            "{:?}",
            check(&e, t)
        );
    }

    /// Judged FALSE on real news (round 111): a curly quotation closed by a single mark
    /// (`“cháy hàng’`) is mismatched; a straight pair further on is a quotation of its own,
    /// not the curly one's closing mark and an opening one.
    #[test]
    fn a_quotation_closed_by_a_single_mark_is_not_closed_again() {
        let e = engine(RULES);
        let t = "Hàng hóa “cháy hàng’ trong dịp Tết, nhiều người mua. Dân ở Long An \" chặt chém \" khách.";
        let f = check(&e, t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[0].message.contains("cháy hàng’"), "{f:?}");
        assert!(f[1].message.contains("chặt chém"), "{f:?}");
        assert!(!f[1].message.contains("cháy hàng"), "{f:?}");
    }

    /// Judged DEBATABLE on real news (round 109, fourteen rows of two articles): every
    /// quotation at the top level in `‘…’`, doubles only inside one, is a house's nesting;
    /// beside a quotation in doubles at the top level, a `‘…’` one is still reported.
    #[test]
    fn singles_first_with_doubles_inside_is_a_house_choice() {
        let e = engine(RULES);
        let t = "Anh kể: ‘Tôi lập danh sách “to-do-list” từ sớm.’ Rồi anh nói thêm: ‘Tôi buồn lắm, nhưng phải cố gắng học cho xong.’";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        let t = "Anh kể: ‘Tôi lập danh sách “to-do-list” từ sớm.’ Rồi anh nói thêm: “Tôi buồn lắm, nhưng phải cố gắng học cho xong.”";
        assert_eq!(check(&e, t).len(), 1, "{:?}", check(&e, t));
    }

    /// Judged FALSE on real news (round 72): speech closed by a mark of the other family
    /// before the end of its clause, told as never closed.
    #[test]
    fn speech_closed_by_a_mark_of_the_other_family_is_mismatched() {
        let e = engine(RULES);
        for t in [
            "Kelbin nói: “Khi mình bị té ngã nằm dài trên đường, người ta liền bế xốc mình vào bệnh viện'. Rồi đi.",
            "“Mình không nhớ được gương mặt của kẻ giật túi, hay đập đầu xuống đường'- Kelbin nói tiếp.",
            "'Siu Black đã đến từ lúc 8h tối nhưng không vào được vì có nhiều chủ nợ, Phương Thanh biết các anh \
             đang ngồi phía dưới. Hôm nay chỉ xin rằng, hãy cho Siu hát bình thản và thoải mái” - ca sĩ nói.",
        ] {
            let f = check(&e, t);
            assert_eq!(f.len(), 1, "{t}: {f:?}");
            assert!(!f[0].message.starts_with("Quote never closed"), "{t}: {f:?}");
        }
        // Minutes after a digit close nothing; a long stretch before a word is no closing.
        let f = check(&e, "Ông nói “phút 45' thì ghi bàn và đi.");
        assert!(f[0].message.starts_with("Quote never closed"), "{f:?}");
    }

    /// Judged FALSE on real news (round 72): in text written a paragraph a line, a quotation
    /// over paragraphs reopens each line, with a mark of its family.
    #[test]
    fn a_quotation_over_lines_reopens_each_line() {
        let e = engine(RULES);
        for t in [
            "Valcke khẳng định “không thể hoãn trận khai mạc. Không thể trì hoãn.\n\"Có thể chưa sẵn sàng, nhưng sân tập đều phải có”.",
            "Valcke khẳng định “không thể hoãn trận khai mạc.\n“Có thể chưa sẵn sàng, nhưng sân tập đều phải có”.",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
        // A line that does not reopen, or a quotation left open on the last line: reported.
        assert_eq!(check(&e, "Ông nói “không thể hoãn.\nSân tập đều phải có.").len(), 1);
        assert!(!check(&e, "Ông nói “không thể hoãn.\n“Sân tập đều phải có.").is_empty());
    }

    #[test]
    fn unclosed_quotes_in_a_paragraph() {
        let e = engine(RULES);
        // Closed nowhere (closed in the next paragraph is a quotation over the break: see
        // `a_quotation_over_paragraphs_opens_each_and_closes_the_last`).
        let f = check(&e, "Ông nói “mở đường và đi.\n\nĐoạn sau ổn.");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].found, "“");
        assert!(f[0].message.starts_with("Quote never closed"));
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn single_quotes_of_a_heading_run_into_the_text_are_the_headings() {
        // Real news, round 33: a crosshead and a related article's title glued to the text.
        let e = engine(RULES);
        // Each text also quotes with doubles, so that single quotes at the top level are not
        // the article's own choice.
        let check = |e: &crate::engine::Engine, t: &str| check(e, &format!("{t} Họ gọi là “khó”."));
        for t in [
            "Nam sinh lao vào học tập. ‘Sống như chỉ còn một ngày để sống’ Sau 5 năm chống chọi.",
            "HLV Lê Thụy Hải: ‘Gọi cầu thủ nhập tịch chỉ là ăn xổi’ Vấn đề này lại được xới lên.",
            // Round 36: the quotation ends the crosshead.
            "Khai thông nợ xấu càng sớm càng tốt. Nợ xấu nào cũng ‘xấu’ Trưởng Ban Kinh tế cho biết.",
            // Round 39: a longer crosshead.
            "Dân mạng xôn xao. Trai đẹp bán bánh tráng khiến phái nữ ‘rụng tim’ Năm 2015, anh nổi tiếng.",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
        // In a sentence, or closed by punctuation, it is a quotation at the top level.
        assert_eq!(
            check(&e, "Anh không tiết lộ ‘danh tính’ của các câu lạc bộ này.").len(),
            1
        );
        assert_eq!(
            check(&e, "Anh nói. ‘Sống như chỉ còn một ngày’. Sau đó anh đi.").len(),
            1
        );
        assert_eq!(check(&e, "Anh nói. Nợ xấu nào cũng ‘xấu’, Trưởng Ban nói.").len(), 1);
        assert_eq!(check(&e, "Anh nói rằng nợ xấu nào cũng ‘xấu’ Trưởng Ban nói.").len(), 1);
        // Prose goes on after a short quotation with a name or a code.
        assert_eq!(
            check(&e, "Xe mới ra. Bình xăng giống ‘người anh em’ R3 khi tách ra.").len(),
            1
        );
        assert_eq!(
            check(&e, "Cô đến sân. Hâm mộ ‘tân binh’ K.League Classic, cô xuống sân.").len(),
            1
        );
        assert_eq!(
            check(&e, "Chị nói: ‘Chúng tôi chỉ định đi Trùng Khánh.’ Rồi chị cười.").len(),
            1
        );
    }

    #[test]
    fn an_apostrophe_in_a_transliterated_name_opens_nothing() {
        // Real news, round 32: `Sab 'Biar`, a place in Syria.
        let e = engine(RULES);
        assert!(check(&e, "tiến đến trạm Zaza và khu vực Sab 'Biar đang bị kiểm soát.").is_empty());
        // Round 60: `Rub 'al Khali`, a desert.
        assert!(check(
            &e,
            "Sự việc xảy ra ở sa mạc Empty Quarter, còn được gọi là Rub 'al Khali của Ả Rập Saudi."
        )
        .is_empty());
        assert_eq!(check(&e, "Người ta gọi là 'al Khali mà thôi.").len(), 1);
        // Round 129: an ethnic name's prefix letter, spaced (`K ' Sơn` for `K'Sơn`).
        assert!(check(&e, "Cần cẩu đổ đè anh Đặng Văn Gấm, K ' Sơn và Đặng Văn Thắng.").is_empty());
        assert_eq!(check(&e, "Người ta gọi là 'Bão tố mà thôi.").len(), 1);
    }

    #[test]
    fn a_double_mark_for_a_names_apostrophe_opens_nothing() {
        // Real news, round 59: `H"Mông`, an ethnic group's name.
        let e = engine(RULES);
        assert!(check(&e, r#"Các dân tộc trên địa bàn xã gồm dân tộc H"Mông, Dao."#).is_empty());
        assert_eq!(check(&e, r#"Người ta gọi là "Mông, Dao."#).len(), 1);
    }

    #[test]
    fn a_straight_quotation_between_spaces_inside_a_curly_one_nests() {
        // Real news, round 59: read as closing the curly quotation, its marks were mispaired
        // and the unsafe fixes wrote `chiếc" xe điên "chuẩn`.
        let e = engine(RULES);
        let t = r#"Anh kể: “Khi chiếc " xe điên " chuẩn bị lên cầu thì loạng choạng”. Sau đó “nó” dừng."#;
        let found = check(&e, t);
        assert!(!found.is_empty());
        assert!(found.iter().all(|f| f.found == r#"" xe điên ""#), "{found:?}");
    }

    #[test]
    fn a_quotation_over_paragraphs_opens_each_and_closes_the_last() {
        let e = engine(RULES);
        let t = "Ông nói: “Đoạn một.\n\n“Đoạn hai.\n\n“Đoạn ba.” Rồi về.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // The last paragraph left open, or a paragraph that does not open again: reported.
        let last = "Ông nói: “Đoạn một.\n\n“Đoạn hai.";
        let d = e.check(&crate::document::Document::plain_body(last));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].range.start, last.rfind('“').unwrap());
        assert_eq!(check(&e, "Ông nói: “Đoạn một.\n\nĐoạn hai “mở” ra.").len(), 1);
        // A quotation closed at the end of the next paragraph without reopening (judged on real
        // news: a lead's quotation).
        let t = "Ông nói: \"Đoạn một.\n\nĐoạn hai xong.\" Rồi về.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        assert!(check(&e, "Ông nói: “Đoạn một.\n\nĐoạn hai.”").is_empty());
        // Two paragraphs on, the first is still reported.
        let far = "Ông nói: “Đoạn một.\n\nĐoạn hai.\n\nĐoạn ba.”";
        let d = e.check(&crate::document::Document::plain_body(far));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].range.start, far.find('“').unwrap());
        // NFD text and an emoji before the mark keep the position right.
        let nfd = "😀 Ho\u{300}a nói “đi.\n\nXong.";
        let d = e.check(&crate::document::Document::plain_body(nfd));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].range,
            nfd.find('“').unwrap()..nfd.find('“').unwrap() + '“'.len_utf8()
        );
    }

    #[test]
    fn two_single_quotes_close_a_double_quotation() {
        let e = engine(RULES);
        let never = |t: &str| {
            check(&e, t)
                .into_iter()
                .filter(|d| d.message.starts_with("Quote never closed"))
                .count()
        };
        // Judged on real news (round 15): closed with `’’`, the quotation is closed.
        assert_eq!(never("Bạn đọc viết: “Tôi không đồng ý. Cảm ơn’’. Rồi thôi."), 0);
        assert_eq!(never("Ông gọi đó là \"chi bằng học’’. Ông cười."), 0);
        assert_eq!(never("Họ gọi là ‘‘quy luật ngầm’’ của nghề."), 0);
        assert_eq!(never("Họ gọi là ''quy luật ngầm'' của nghề."), 0);
        // Without it, still open; seconds and inches after a digit are no quotes.
        assert_eq!(never("Bạn đọc viết: “Tôi không đồng ý. Cảm ơn. Rồi thôi."), 1);
        assert_eq!(never("Màn hình 7’’ và tọa độ 19o17’ 200’’N, ông nói “xong”."), 0);
        // After a digit inside an open quotation, they close it (real news).
        let t = "thời điểm ''ngày 01 tháng 7 năm 2016'' được thay bằng ''ngày 01 tháng 01 năm 2018''.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // A doubled pair is counted in neither style: a curly article stays consistent.
        let t = "Ông nói “A” và “B”, rồi gọi là ‘‘C’’ và “D”.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
    }

    /// Judged on real news (round 16): the defect is the one wrong mark, not the correct
    /// opening quote before it.
    #[test]
    fn a_wrong_mark_inside_a_quotation_is_the_one_reported() {
        let e = engine(RULES);
        let never = |t: &str| -> Vec<String> {
            check(&e, t)
                .into_iter()
                .filter(|d| d.message.starts_with("Quote never closed"))
                .map(|d| d.found)
                .collect()
        };
        // An opening curly mark where the quotation ends: the pair is reported as closed by
        // the wrong mark (since round 22; before, the mark as a quote never closed).
        let t = "Ông nói: “Các văn bản chỉ quy định chung chung, nhất là công nghiệp... “, Vụ trưởng khẳng định.";
        let found = check(&e, t);
        assert!(never(t).is_empty(), "{found:#?}");
        assert!(
            found[0].message.starts_with("Closing quote written as an opening one"),
            "{found:#?}"
        );
        // Before a word it still opens a quotation.
        assert_eq!(never("Ông nói: “Các văn bản “mới” và “cũ”. Hết."), ["“"]);
        // A straight mark inside a curly quotation: the straight one is the stray.
        let t = "Các tội “Cố ý gây thương tích”, “Tàng trữ, \"sử dụng trái phép vũ khí”, “Giết người”.";
        assert_eq!(never(t), ["\""]);
    }

    #[test]
    fn wrong_nesting_is_reported_with_an_unsafe_fix() {
        let e = engine(RULES);
        // Nesting with “…” throughout is the article's choice (judged on real news)…
        assert!(check(&e, "Ông nói: “Dự án “mở đường” đã xong”.").is_empty());
        // …mixed with ‘…’, the outer quotes inside are reported.
        let mixed = "Ông nói: “Dự án “mở đường” đã xong”. Bà đáp: “Gọi là ‘lối đi’”.";
        let f = check(&e, mixed);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].fix.as_deref(), Some("‘mở đường’"));
        assert_eq!(fix(&e, mixed), mixed);
        assert_eq!(
            check(&e, "Gọi là ‘mở đường’, “lối đi”.")[0].fix.as_deref(),
            Some("“mở đường”")
        );
        // Round 37: an article that quotes with ‘…’ throughout, and never with doubles, is
        // consistent; so is one lone ‘…’ (rounds 88–91); beside a double quotation it is not.
        assert!(check(&e, "Anh là kẻ ‘nuôi con tu hú’ như anh nói, với những ‘cao kiến’.").is_empty());
        assert!(check(&e, "Anh là kẻ ‘nuôi con tu hú’ như anh nói.").is_empty());
        assert_eq!(check(&e, "Anh là kẻ ‘nuôi con tu hú’ như anh “nói”.").len(), 1);
        assert!(check(&e, "Ông nói: “Dự án ‘mở đường’ đã xong”.").is_empty());
        // Round 29: a straight mark glued to a colon opens the quotation around ‘…’.
        let t = "Cô chia sẻ:\" Vì trước đầu mũi to nên muốn ‘chỉnh sửa’ cho gọn\". Sau đó cô đi.";
        let found: Vec<String> = check(&e, t).into_iter().map(|f| f.found).collect();
        assert!(!found.iter().any(|f| f == "‘chỉnh sửa’"), "{found:?}");
        // Its space moves to the other side of the mark.
        assert!(fix(&e, t).starts_with("Cô chia sẻ: \"Vì trước"), "{}", fix(&e, t));
    }

    #[test]
    fn spaces_inside_quotes() {
        let e = engine(RULES);
        assert_eq!(fix(&e, "gọi là “ mở đường ” thôi"), "gọi là “mở đường” thôi");
        assert_eq!(fix(&e, r#"gọi là " mở đường " thôi"#), r#"gọi là "mở đường" thôi"#);
        // Straight quotes between spaces inside a curly quotation nest (round 59), but their
        // pairing is a guess: not fixed.
        let t = r#"“Tôi không bỏ tiền " giáo dục " khách hàng như vậy”, ông nói."#;
        assert_eq!(fix(&e, t), t);
        // Round 25: a mark spaced on both sides may open a nested quotation or a title that a
        // later mark closes (`" từ biệt"`): removing its space is offered, not applied.
        for t in [
            r#""Ukraina nói lời " từ biệt" cuối cùng với Liên Xô" - Sputnik dẫn lời ông"#,
            r#"anh bộc bạch: " Tôi vụng về. Trong chương trình " Bốn mùa yêu thương" anh hát"#,
        ] {
            assert_eq!(fix(&e, t), t);
            assert!(!check(&e, t).is_empty());
        }
        assert_eq!(fix(&e, r#"Bà nói: " Tôi đi" rồi về."#), r#"Bà nói: "Tôi đi" rồi về."#);
        // Round 81: in text spaced around every mark, a pair of marks each between spaces, with
        // the next mark between spaces too, is a guess (the nested ` " sầm " ` was taken for
        // the quotation's close): reported, not fixed. A lone spaced pair is still fixed.
        let t = r#"Chị kể : " Tôi đang ăn bữa tối , bất ngờ một tiếng " sầm " lớn làm rung nhà . Rất may không việc gì " , chị nói ."#;
        assert!(!check(&e, t).is_empty());
        assert_eq!(fix(&e, t), t);
        assert_eq!(
            fix(&e, r#"gọi là " mở đường " thôi, rồi về"#),
            r#"gọi là "mở đường" thôi, rồi về"#
        );
        // Round 41: a straight mark after a space and glued to what follows has an opening's
        // shape (`có đoạn viết "…." đã`): gluing it to the word before is offered, not applied.
        let t = r#"Văn bản cho hay: "Tại phụ lục có đoạn viết "…." đã vi phạm điều 10."#;
        assert_eq!(fix(&e, t), t);
    }

    #[test]
    fn house_style_and_selected_checks() {
        let rules = format!("{RULES}outer = [\"«\", \"»\"]\ninner = [\"“\", \"”\"]\n");
        let e = engine(&rules);
        assert_eq!(
            fix(&e, r#"Ông nói "mở 'đường'", «a», «b», «c»"#),
            "Ông nói «mở “đường”», «a», «b», «c»"
        );
        assert_eq!(
            check(&e, "Ông nói «mở «đường»», bà nói «đi “lối”»")[0].fix.as_deref(),
            Some("“đường”")
        );
        let e = engine(&format!("{RULES}checks = [\"unbalanced\"]\n"));
        assert!(check(&e, r#"Ông nói "mở đường""#).is_empty());
        assert_eq!(check(&e, "Ông nói “mở đường").len(), 1);
    }

    #[test]
    fn nfd_emoji_urls_and_markdown() {
        let e = engine(RULES);
        let nfd = "😀 Ông no\u{301}i \"mơ\u{309} đươ\u{300}ng\"";
        let nfd = format!("{nfd} “a” “b”");
        assert_eq!(fix(&e, &nfd), "😀 Ông no\u{301}i “mơ\u{309} đươ\u{300}ng” “a” “b”");
        assert!(check(&e, "Xem https://x.vn/a?q=\"b và “đúng ‘đúng’”.").is_empty());
        // Code spans are not prose.
        assert!(check_markdown(&e, "Gõ `\"` rồi “đúng”.").is_empty());
    }

    /// Judged on real news (round 18): top-level single straight quotes are a form of their
    /// own (a crosshead run into the body, an article quoting with `'…'`), not the straight
    /// side of the curly-or-straight choice.
    #[test]
    fn top_level_curly_singles_count_only_beside_curly_doubles() {
        let e = engine(RULES);
        // Round 41: `‘cục gạch’` against straight doubles is a nesting matter, not a curly
        // vote; only the nesting is reported.
        let t = r#"Anh gọi nó là ‘cục gạch’. Ông nói: "Rất bền". Bà nói: "Rất rẻ"."#;
        let found = check(&e, t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].found, "‘cục gạch’");
        // Beside whole curly doubles they are the curly style's, as before.
        let t = r#"Anh gọi nó là ‘cục gạch’, “cục sắt” và ‘cục đá’. Ông nói: "Rất bền"."#;
        let found = check(&e, t);
        assert!(found.iter().any(|f| f.found == r#""Rất bền""#), "{found:?}");
    }

    #[test]
    fn top_level_single_straight_quotes_count_in_no_form() {
        let e = engine(RULES);
        // A crosshead among curly quotations: left alone.
        let t = "Cô nói “A”, “B” và “C”. Hà Trần hát 'hit' của Hari Won: 'Chúng ta không thuộc về nhau'! Rồi “D”.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // An article quoting with '…' and once with “…”: no fix writes "…".
        let t = "HLV đánh giá 'Phượng hoàn thành tốt vai trò', anh nói 'Bàn thắng là động lực' và đã “lột xác”.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        assert_eq!(fix(&e, t), t);
        // Single straight quotes inside a quotation are still the straight inner style.
        let t = r#"Ông nói: "Dự án 'mở đường' đã xong". Gọi là “A”, “B” và “C”, “D”."#;
        assert_eq!(check(&e, t).len(), 2, "{:?}", check(&e, t));
    }

    /// Judged on real news (round 25): straight doubles inside a curly quotation are reported
    /// with the rest but cast no vote for straight quotes.
    #[test]
    fn straight_doubles_inside_a_curly_quotation_do_not_vote() {
        let e = engine(RULES);
        // One curly quotation holding `"ba chung"`, one straight quotation: a tie, so the
        // curly one is not the minority to straighten.
        let t = r#"Ông nói: “Ở các năm thi "ba chung", đề thi khó”. Bà nói "được" rồi đi."#;
        let found = check(&e, t);
        assert!(found.iter().all(|f| !f.found.starts_with('“')), "{found:?}");
        // In a curly article the inner straight doubles are still reported, counted once.
        let t = r#"Ông nói: “Có nhân viên vỗ ngực "tôi mới là quản lý". Thế thôi”. Bà nói “được” và “không”."#;
        let found = check(&e, t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].fix.as_deref(), Some("‘tôi mới là quản lý’"));
    }

    /// Judged on real news (round 18): a straight mark after a space and before a word opens a
    /// nested quotation; the span up to it is no quotation with a trailing space.
    #[test]
    fn a_run_of_straight_openings_is_not_a_misplaced_closing_space() {
        let e = engine(RULES);
        let t =
            r#"loạt bài về "Phòng chống nguy cơ "tự diễn biển, "tự chuyển hóa trong Đảng và chế độ ta" (Báo QĐND)."#;
        let f = check(&e, t);
        assert!(f.iter().all(|d| !d.message.starts_with("Space inside")), "{f:?}");
        assert_eq!(fix(&e, t), t);
    }

    /// Judged on real news (round 22, baomoi_21472785): a quotation cut by an inline photo
    /// caption goes on with `"...`; read as closing before its `.`, the safe fix of `straight`
    /// wrote `”` there and `inner-space` glued it to the caption.
    #[test]
    fn a_straight_mark_resuming_a_quotation_opens() {
        let e = engine(RULES);
        let text = "Cô viết: “Thưa chồng, vợ cám ơn anh…(Ảnh: FBNV) \"...Chồng hãy sống vui vẻ. Em yêu anh”, \
                    Hari Won viết. Gọi là “A” và “B”.";
        let f = check(&e, text);
        // One finding: the `"…”` pair in the minority style, its fix offered, not applied; the
        // quotation left open before the caption resumes after it, as over a paragraph break.
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].found.starts_with("\"...Chồng"), "{f:#?}");
        assert_eq!(fix(&e, text), text);
        assert!(crate::testing::fix_all(&e, text).contains("(Ảnh: FBNV) “...Chồng"));
        // After `:` with a space before the word, and closed by a straight mark.
        let text = r#"Thẩm phán thốt lên rằng: "... Tiền nhiều như lá, nhớ được?". Gọi là “A”, “B” và “C”."#;
        let f = check(&e, text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].found, r#""... Tiền nhiều như lá, nhớ được?""#);
        assert_eq!(fix(&e, text), text);
        // An ellipsis with no word after it decides nothing (`"..."`).
        assert!(super::ellipsis_then_word("...Chồng") && super::ellipsis_then_word("… Đối"));
        assert!(!super::ellipsis_then_word("...\"") && !super::ellipsis_then_word("..  x"));
    }

    /// Judged on real news (round 22, baomoi_22483907): `mà nói " Không còn …` opens an inner
    /// quotation, left unclosed; read as closing, `inner-space` moved its space and the unsafe
    /// fix of `straight` turned it into `”`.
    #[test]
    fn a_straight_mark_after_a_verb_of_speech_opens() {
        let e = engine(&format!("{RULES}opening-words = [\"nói\", \"rằng\"]\n"));
        let text = "“Yêu thương chỉ là nhất thời, cho đến khi thành tâm mà nói \" Không còn đủ may mắn nữa rồi.”, \
                    H.B.N cảm thán.";
        let f = check(&e, text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.starts_with("Quote never closed"), "{f:#?}");
        assert_eq!(f[0].found, "\"");
        assert_eq!(crate::testing::fix_all(&e, text), text);
        // A `:` says the same, whatever the word: the straight mark opens (and the curly one
        // closes it), so no quotation ends with it.
        let f = check(&e, "“Ông Mùi phân tích: \" Một cầu thủ bị coi là bạo lực.”");
        assert!(!f.is_empty() && f.iter().all(|d| !d.found.ends_with('"')), "{f:#?}");
        // Without the verb (the kind knows none by default), the mark between spaces closes
        // the open quotation, as before.
        let e = engine(RULES);
        let f = check(&e, text);
        assert!(f.iter().any(|d| d.message.starts_with("Space inside quotes")), "{f:#?}");
        // The words are matched whole, in any case.
        assert!(super::opening_cue("Anh NÓI \"", 8, &["nói".to_string()]));
        assert!(!super::opening_cue("anh cnói \"", 10, &["nói".to_string()]));
    }

    /// Judged on real news (round 22, baomoi_22496570): an opening curly mark glued to the last
    /// word of a quotation, a space after it, closes it (`khủng bố“ một lần nữa`). Read as an
    /// opening, `unbalanced` reported two quotes never closed and the safe fix of
    /// `inner-space` moved its space. All 15 such marks in baomoi close.
    #[test]
    fn a_backwards_closing_mark_is_a_mismatched_pair() {
        let e = engine(RULES);
        let text = "Qatar khẳng định rằng: “Bản thông báo liên quan đến một “danh sách đen hỗ trợ khủng bố“ \
                    một lần nữa cho thấy các cáo buộc không hề có căn cứ”.";
        let f = check(&e, text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].found, "“danh sách đen hỗ trợ khủng bố“");
        assert!(
            f[0].message.starts_with("Closing quote written as an opening one"),
            "{f:#?}"
        );
        assert_eq!(f[0].fix.as_deref(), Some("“danh sách đen hỗ trợ khủng bố”"));
        assert_eq!(fix(&e, text), text);
        // With spaces inside, they go only when asked.
        let text = "Diễn đàn có chủ đề “ Phát huy nội lực, tăng trưởng bền vững“ do Ban tổ chức.";
        let f = check(&e, text);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(fix(&e, text), text);
        assert_eq!(
            crate::testing::fix_all(&e, text),
            "Diễn đàn có chủ đề “Phát huy nội lực, tăng trưởng bền vững” do Ban tổ chức."
        );
        // Before a comma it closes for sure: the space inside goes with `--fix`.
        assert_eq!(
            fix(&e, "Trong tập mới của “Running Man “, ông bố Haha khóc."),
            "Trong tập mới của “Running Man“, ông bố Haha khóc."
        );
        // Round 25: glued before a sentence's end it closes too (not two unclosed quotes).
        let f = check(
            &e,
            "Anh tâm sự: “Muộn màng nhưng ấm cúng. Đó là hạnh phúc của tôi“. Rồi anh cười.",
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.starts_with("Closing quote written"), "{f:#?}");
        // Before `!` too, with the space inside reported on its own.
        let f = check(&e, "Cô viết: “Tôi yêu Trái Đất này “! Rồi cô đi.");
        assert!(f[0].message.starts_with("Closing quote written"), "{f:#?}");
        assert!(f.iter().all(|d| !d.message.starts_with("Quote never closed")), "{f:#?}");
        // Round 42: after a space too, before a sentence's end or, between spaces, before a
        // word in lower case.
        for t in [
            "H&M chia sẻ: “Thật tuyệt nếu các chàng trai thay đổi với H&M 2017 “. Rồi họ đi.",
            "Hai văn bản có nội dung “Bán đấu giá xe vi phạm pháp luật “ và “Xử lý xe” bị giả mạo.",
        ] {
            let f = check(&e, t);
            assert!(
                f.iter().all(|d| !d.message.starts_with("Quote never closed")),
                "{t}: {f:#?}"
            );
            assert!(
                f.iter().any(|d| d.message.starts_with("Closing quote written")),
                "{t}: {f:#?}"
            );
            // Their spaces and glyphs are offered, not applied.
            assert_eq!(fix(&e, t), t);
        }
        // With nothing open it is an opening mark with its space on the wrong side.
        let f = check(&e, "Chàng hotboy“ Phạm Hồng Nam đến.");
        assert!(f.iter().all(|d| !d.message.starts_with("Closing quote")), "{f:#?}");
        // Opened with a mark of no house pair, the whole pair takes the house style.
        let f = check(
            &e,
            "Cô thắng 17 trận trước „búp bê Nga“, người được coi là đối thủ lớn.",
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].fix.as_deref(), Some("“búp bê Nga”"));
        // Only the mismatched check reports it: the unbalanced check leaves the pair alone.
        let e = engine(&format!("{RULES}checks = [\"unbalanced\", \"inner-space\"]\n"));
        let text = "Qatar khẳng định: “Bản thông báo về một “danh sách đen“ một lần nữa không có căn cứ”.";
        assert!(check(&e, text).is_empty(), "{:#?}", check(&e, text));
    }

    /// Judged FALSE on real news (rounds 123 and 125): a long quotation left unclosed, and the
    /// next one's opening mark, between spaces after a sentence's end, read as its closing
    /// one; the safe fix glued that mark to the sentence before it.
    #[test]
    fn a_spaced_mark_after_a_long_quotations_sentence_opens_the_next_one() {
        let e = engine(&format!("{RULES}checks = [\"inner-space\"]\n"));
        let long = "Ông nói: \"Một ngày nọ chúng tôi đi dọc bờ sông, gặp nhiều người dân đang làm \
                    việc ngoài đồng và hỏi họ về mùa vụ năm nay, về giá lúa, về chuyện học \
                    hành của con cái. \" Điều này làm tôi nhớ mãi? \", ông hỏi.";
        let found = check(&e, long);
        assert!(found.is_empty(), "{found:#?}");
        assert_eq!(fix(&e, long), long);
        // Before another quotation's opening, or before none, it closes.
        for closed in [
            long.replace("? \", ông hỏi", ""),
            long.replace("? \", ông hỏi", ". Bà nói: \"Vâng.\""),
        ] {
            assert_eq!(check(&e, &closed).len(), 1, "{closed}");
        }
        // A short quotation's closing mark keeps its finding and its fix.
        let short = "Ông nói: \"Tôi về nhà. \" Điều này làm tôi nhớ mãi.";
        assert_eq!(check(&e, short).len(), 1);
        assert_eq!(fix(&e, short), "Ông nói: \"Tôi về nhà.\" Điều này làm tôi nhớ mãi.");
    }

    #[test]
    fn doc_examples_pass() {
        crate::rules::matcher::test_support::doc_examples_pass(include_str!("quotes.md"));
    }

    mod props {
        use proptest::prelude::*;

        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                prop::sample::select(vec![
                    "\"",
                    "'",
                    "“",
                    "”",
                    "‘",
                    "’",
                    "«",
                    "»",
                    " ",
                    "a",
                    "D'A",
                    "😀",
                    "\u{300}",
                    "\u{1A}",
                    "\n",
                    "\n\n",
                    "(",
                    ".",
                    "mở đường",
                ])
                .prop_map(str::to_string),
                "\\PC{0,4}",
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 200,
                rng_seed: proptest::test_runner::RngSeed::Fixed(0x00c0_97de_5c01),
                failure_persistence: None,
                ..ProptestConfig::default()
            })]
            #[test]
            fn never_panics_and_edits_are_well_formed(parts in prop::collection::vec(piece(), 0..24)) {
                let text: String = parts.concat();
                let e = crate::testing::engine(super::RULES);
                crate::rules::typography::tests_support::assert_well_formed(&e, &text);
            }
        }
    }
}
