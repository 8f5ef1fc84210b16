#![doc = include_str!("sentence.md")]

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use super::{
    BlockInput, BlockOutput, Checker, DocumentInput, Fact, Noted, RuleError, RuleIdx, RuleInput, RuleKind, RuleMeta,
};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::document::Scope;
use crate::text::sentences::{first_word, is_opener, Splitter};
use crate::text::words::words;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Sub-checks. Default: all.
    #[serde(default)]
    pub checks: Option<Vec<Check>>,
    /// Sentence length (syllables) above which `length` reports.
    #[serde(default = "max")]
    pub max_syllables: usize,
    /// Abbreviations whose dot does not end a sentence (`TP.`, `PGS.TS.`), besides the
    /// pack's `[pack] sentence-abbreviations`.
    #[serde(default)]
    pub abbreviations: Vec<String>,
    /// `capital-start`: words that introduce the title of a work in lower case (`phim`, `vở
    /// kịch`; one or two words), whose title may end in `?` or `!` with the sentence going
    /// on (`vở kịch Ăn khế trả gì? có giá vé`). Compared lower case.
    #[serde(default)]
    pub work_cues: Vec<String>,
    /// `capital-start`: words that before a dot are a name's initial or a short form, not a
    /// sentence's end, so a lower-case word may follow (`Ph.` in `anh Ph. chạy theo`,
    /// `et.`). Compared as written.
    #[serde(default)]
    pub initials: Vec<String>,
    /// `capital-start`: words that open a sentence and take a comma (`Ngoài ra`, `Tuy
    /// nhiên`): written alone before a full stop and a lower-case word (`Ngoài ra. bạn
    /// nên`), the stop is the comma typed wrong, not a sentence's end. Compared lower case.
    #[serde(default)]
    pub comma_openers: Vec<String>,
    /// `capital-start`: words that, in lower case right after a `?`, carry the sentence on
    /// past a question it holds (`… có người thân không? là các nỗ lực…`, `… ai phát hiện?
    /// và ai tài trợ…`): no sentence starts there. Compared as written.
    #[serde(default)]
    pub question_continuers: Vec<String>,
    /// `capital-start`: words before a person's name (`nghi phạm`, `ông`; one or two
    /// words): right after one, a capitalized word of at most three letters before a dot is
    /// a shortened name (`nghi phạm Tu. đã thừa nhận`), not a sentence's end. Compared
    /// lower case.
    #[serde(default)]
    pub name_cues: Vec<String>,
}

fn max() -> usize {
    60
}

/// A sub-check of the `sentence` kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// A sentence that starts with a lower-case letter.
    CapitalStart,
    /// A sentence longer than `max-syllables`.
    Length,
}

/// Which sub-checks a rule runs.
#[derive(Debug, Clone, Copy)]
struct Checks {
    capital_start: bool,
    length: bool,
}

impl Checks {
    fn of(list: Option<&[Check]>) -> Checks {
        let on = |c: Check| list.is_none_or(|l| l.contains(&c));
        Checks {
            capital_start: on(Check::CapitalStart),
            length: on(Check::Length),
        }
    }
}

pub struct Sentence;

struct Compiled {
    idx: RuleIdx,
    meta: Arc<RuleMeta>,
    checks: Checks,
    max_syllables: usize,
    /// Index into the checker's splitters (rules with the same abbreviations share one), or
    /// `None` for a rule with no abbreviations of its own: it reads the block's sentences.
    splitter: Option<usize>,
    /// `work-cues`, lower case.
    work_cues: Vec<String>,
    /// `initials`, as written.
    initials: Vec<String>,
    /// `comma-openers`, lower case, one space between words.
    comma_openers: Vec<String>,
    /// `question-continuers`, as written.
    question_continuers: Vec<String>,
    /// `name-cues`, lower case, one space between words.
    name_cues: Vec<String>,
}

impl RuleKind for Sentence {
    const NAME: &'static str = "sentence";
    const DOC: &'static str = include_str!("sentence.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut compiled = Vec::new();
        let mut splitters: Vec<Splitter> = Vec::new();
        let mut errors = Vec::new();
        for r in rules {
            let splitter = if r.options.abbreviations.is_empty() {
                None
            } else {
                let splitter = Splitter::new(&r.meta.language, &r.options.abbreviations);
                Some(match splitters.iter().position(|s| *s == splitter) {
                    Some(i) => i,
                    None => {
                        splitters.push(splitter);
                        splitters.len() - 1
                    }
                })
            };
            let checks = Checks::of(r.options.checks.as_deref());
            if r.options.max_syllables == 0 {
                errors.push(RuleError::new(
                    r.idx,
                    Some("max-syllables".to_string()),
                    "`max-syllables` must be at least 1",
                ));
            }
            compiled.push(Compiled {
                idx: r.idx,
                meta: r.meta,
                checks,
                max_syllables: r.options.max_syllables,
                splitter,
                work_cues: r
                    .options
                    .work_cues
                    .iter()
                    .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
                    .collect(),
                initials: r.options.initials.iter().map(|c| c.trim().to_string()).collect(),
                comma_openers: r
                    .options
                    .comma_openers
                    .iter()
                    .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
                    .collect(),
                question_continuers: r
                    .options
                    .question_continuers
                    .iter()
                    .map(|c| c.trim().to_string())
                    .collect(),
                name_cues: r
                    .options
                    .name_cues
                    .iter()
                    .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
                    .collect(),
            });
        }
        if errors.is_empty() {
            Ok(Box::new(SentenceChecker {
                rules: compiled,
                splitters,
            }))
        } else {
            Err(errors)
        }
    }
}

struct SentenceChecker {
    rules: Vec<Compiled>,
    splitters: Vec<Splitter>,
}

/// The number of words with a letter in `s` (syllables, in Vietnamese).
fn syllables(s: &str) -> usize {
    words(s)
        .filter(|w| s[w.clone()].chars().any(char::is_alphabetic))
        .count()
}

/// The syllables of the longest stretch of `s` that an editor can shorten, judged on real
/// news, where two in three long-sentence findings were lists or quotations:
/// - `;` and `:` end a stretch (lists of tasks, attendees, products);
/// - words between quotation marks are the source's own and are not counted;
/// - `.`, `!` or `?` before a capital end one too, with or without a space: the splitter
///   keeps `nước Ý. Nếu` (an initial?) and `cận kề.Tại` (a missing space) together.
fn longest_stretch(s: &str) -> usize {
    let mut best = 0;
    let mut current = 0;
    let mut quoted = false;
    // `(có 11 trường hợp F1, bao gồm: 10 người …)`: a colon inside brackets starts no list.
    let mut bracketed = 0usize;
    let mut from = 0;
    for (i, c) in s.char_indices() {
        let after = i + c.len_utf8();
        match c {
            '“' | '«' => {
                if !quoted {
                    current += syllables(&s[from..i]);
                }
                quoted = true;
                from = after;
            }
            '”' | '»' => {
                quoted = false;
                from = after;
            }
            '"' => {
                if !quoted {
                    current += syllables(&s[from..i]);
                }
                quoted = !quoted;
                from = after;
            }
            '(' | '[' => bracketed += 1,
            ')' | ']' => bracketed = bracketed.saturating_sub(1),
            ';' | ':' | '.' | '!' | '?' if !quoted => {
                let ends = (matches!(c, ';' | ':') && bracketed == 0)
                    || s[after..].trim_start().chars().next().is_some_and(char::is_uppercase);
                if ends {
                    current += syllables(&s[from..after]);
                    best = best.max(current);
                    current = 0;
                    from = after;
                }
            }
            _ => {}
        }
    }
    if !quoted {
        current += syllables(&s[from..]);
    }
    best.max(current)
}

/// An upper bound of [`syllables`] found without decoding characters: one more than the
/// characters that may separate two words. Those are the ASCII characters other than
/// letters and digits, and the non-ASCII ones outside the blocks that hold only word
/// characters (Latin-1 letters, Latin Extended-A and -B, IPA, combining marks, Latin
/// Extended Additional), counted by their first byte.
fn syllables_at_most(s: &str) -> usize {
    let b = s.as_bytes();
    // Branch-free, so that the compiler vectorizes it.
    let separator = |x: u8, next: u8| -> bool {
        let ascii =
            (x < 0x30) | ((0x3A..0x41).contains(&x)) | ((0x5B..0x61).contains(&x)) | ((0x7B..0x80).contains(&x));
        // Lead bytes of non-ASCII characters; continuation bytes never count.
        let word = ((0xC4..=0xC9).contains(&x)) // U+0100..U+027F: Latin Extended-A, -B, IPA
            | (x == 0xCC) // U+0300..U+033F: combining marks
            | ((x == 0xC3) & (next != 0x97) & (next != 0xB7)) // Latin-1 letters but `×` and `÷`
            | (((x == 0xCA) | (x == 0xCD)) & (next < 0xB0)) // IPA letters; combining marks
            | ((x == 0xE1) & ((0xB8..=0xBB).contains(&next))); // U+1E00..U+1EFF: Latin Extended Additional
        ascii | ((x >= 0xC0) & !word)
    };
    let Some(&last) = b.last() else { return 1 };
    let mut n = 1 + usize::from(separator(last, 0));
    // In chunks with a small counter, which vectorizes.
    for (xs, nexts) in b.chunks(128).zip(b[1..].chunks(128)) {
        let mut c: u8 = 0;
        for (&x, &next) in xs.iter().zip(nexts) {
            c += u8::from(separator(x, next));
        }
        n += usize::from(c);
    }
    n
}

fn render(r: &Compiled, found: &str, expected: &str, problem: &str, check: &str) -> String {
    r.meta.render(&[
        ("found", found),
        ("expected", expected),
        ("problem", problem),
        ("check", check),
    ])
}

/// The words of `text` that stand inside a sentence (after another word or a comma) and
/// start with a lower-case letter. One pass over `text`.
fn mid_sentence_lower_words(text: &str) -> std::collections::HashSet<&str> {
    let mut out = std::collections::HashSet::new();
    let mut prev_ends_in_word = false;
    for token in text.split_whitespace() {
        let len: usize = token
            .chars()
            .take_while(|&c| crate::text::words::is_word_char(c))
            .map(char::len_utf8)
            .sum();
        let word = &token[..len];
        if prev_ends_in_word && word.chars().next().is_some_and(char::is_lowercase) {
            out.insert(word);
            // With its hyphenated rest too (`Audi e-tron`): a brand's own spelling.
            let joined = hyphenated(token, len);
            if joined.len() > len {
                out.insert(joined);
            }
        }
        prev_ends_in_word = token
            .chars()
            .next_back()
            .is_some_and(|c| crate::text::words::is_word_char(c) || c == ',');
    }
    out
}

/// `token` from its start through words joined by hyphens (`e-tron`), given the length of
/// its first word.
fn hyphenated(token: &str, first_len: usize) -> &str {
    let mut end = first_len;
    while let Some(rest) = token[end..].strip_prefix('-') {
        let len: usize = rest
            .chars()
            .take_while(|&c| crate::text::words::is_word_char(c))
            .map(char::len_utf8)
            .sum();
        if len == 0 {
            break;
        }
        end += 1 + len;
    }
    &token[..end]
}

/// The diagnostic for a sentence whose first word `word` (block-relative) starts with a
/// lower-case letter.
///
/// `mid` gives the words written in lower case inside a sentence of the block: a name its
/// owner writes in lower case (`realme`, judged on real news) is not capitalized.
fn capital_start<'t>(
    r: &Compiled,
    text: &'t str,
    word: std::ops::Range<usize>,
    mid: &dyn Fn() -> &'t std::collections::HashSet<&'t str>,
) -> Option<Diagnostic> {
    let w = &text[word.clone()];
    let first = w.chars().next()?;
    // `iPhone`, `eKYC`: brand names keep their case.
    if !first.is_lowercase() || w.chars().skip(1).any(char::is_uppercase) {
        return None;
    }
    // After a name ending in `!` or `?` (`tạp chí Ok! và`, judged on real news), or in a
    // parenthesis after a question (`bờ? (giá đã mua)`), the sentence goes on.
    let lead = text[..word.start].trim_end_matches(|c: char| c.is_whitespace() || is_opener(c));
    // `Ảnh: Imemc. org`: a web address split by a space after its dot (judged FALSE on real
    // news, round 69): a domain's ending after an ASCII word and its dot.
    if crate::text::words::DOMAIN_ENDINGS.contains(&w)
        && text[..word.start].trim_end().strip_suffix('.').is_some_and(|l| {
            l.rsplit(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .is_some_and(|n| !n.is_empty())
        })
    {
        return None;
    }
    if !lead.trim().is_empty() && text[lead.len()..word.start].contains('(') {
        return None;
    }
    // `hô hoán “cướp! cướp!”`: a cry repeated inside a short quotation, each part closed by
    // `!` or `?`: the quotation is one utterance that goes on in lower case (judged on real
    // news, round 13).
    if lead.ends_with(['!', '?']) && in_a_short_cry(text, lead.len(), word.end) {
        return None;
    }
    // `như vậy! ...thì giày lại càng có giá`: an ellipsis right before the word carries the
    // sentence on, whatever ended the one before (judged on real news, round 29).
    let raw = text[..word.start].trim_end();
    if raw.ends_with('…') || raw.ends_with("...") {
        return None;
    }
    // `Việt Nam. *** *** sẽ hoàn trả`: a name masked with stars is the sentence's first word,
    // and the verb after it goes on in lower case (judged FALSE on real news, round 67).
    if raw.ends_with("**") {
        return None;
    }
    // `(45 tuổi. ở phường Thịnh Liệt, …)`: inside a parenthesis a stop before a lower-case
    // word is a slip for a comma, not a sentence's end (judged on real news, round 30).
    // Only a near bracket counts: a finding asks, and a paragraph may be long.
    let mut from = word.start.saturating_sub(120);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (word.end + 200).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let (near_before, near_after) = (&text[from..word.start], &text[word.end..to]);
    let open_before = near_before.rfind('(').is_some_and(|o| !near_before[o..].contains(')'));
    let closes_after = near_after
        .find(')')
        .is_some_and(|c| !near_after[..c].contains(['(', '.', '!', '?']));
    if raw.ends_with('.') && open_before && closes_after {
        return None;
    }
    // `khi được hỏi: Tại sao …? đã trả lời rằng`: a question brought in by a colon inside
    // the sentence, which goes on after it (judged on real news, round 25).
    if let Some(head) = lead.strip_suffix('?') {
        let since_stop = head.rsplit(['.', '!', '?', '\n']).next().unwrap_or(head);
        if since_stop.contains(':') {
            return None;
        }
        // `đặt câu hỏi "Ta là gì của nhau? rồi sau đó tự trả lời`: a quoted question whose
        // closing mark was lost; the sentence goes on (judged FALSE on real news, round 47).
        let open_curly = since_stop.rfind('“').is_some_and(|o| !since_stop[o..].contains('”'));
        if open_curly || since_stop.matches('"').count() % 2 == 1 {
            return None;
        }
        // `thích loại đồ dùng gì? màu sắc ra sao? nhãn hiệu là gì?`: a run of short questions
        // in one sentence, each in lower case (judged DEBATABLE on real news, round 50).
        let next_end = text[word.end..].find(['.', '!', '?', '\n']).map(|i| word.end + i);
        if next_end.is_some_and(|e| text[e..].starts_with('?') && e - word.end <= QUESTION_RUN) {
            return None;
        }
        // Its last item goes on in lower case too: `ở ngành nào? địa phương nào? đã xử lý
        // … ra sao, thì chưa đậm nét.` (judged FALSE on real news, round 68): the question
        // before the word is itself a short one in lower case right after a `?`.
        let before_run = &head[..head.len() - since_stop.len()];
        let item = since_stop.trim_start();
        if before_run.ends_with('?')
            && since_stop.len() <= QUESTION_RUN
            && item.chars().next().is_some_and(char::is_lowercase)
        {
            return None;
        }
    }
    let mut safe = true;
    // `… không? là các nỗ lực`: the sentence goes on past the question it holds (judged FALSE
    // on real news, round 128).
    if lead.ends_with('?') && r.question_continuers.iter().any(|c| c == w) {
        return None;
    }
    if let Some(head) = lead.strip_suffix(['!', '?']) {
        let name = head
            .rsplit(|c: char| !crate::text::words::is_word_char(c))
            .next()
            .unwrap_or("");
        if name.chars().next().is_some_and(char::is_uppercase) || ends_a_work_title(head, &r.work_cues) {
            return None;
        }
        // `cậu đây rồi! khá hơn`: the end of a show's title as often as a slip (judged on
        // real news): offered, not applied by `--fix`.
        safe = false;
    }
    if !lead.trim().is_empty() {
        // Inside a paragraph, a full stop before a lower-case word is a stray stop (`trở
        // thành. một người mẫu`, `Hoa ngữ. trong nhiều dự án`) about as often as a missing
        // capital (judged on Dân trí): offered, not applied by `--fix`. A paragraph's first
        // word keeps its safe fix.
        safe = false;
        // `ai là người duyệt? – một độc giả đặt câu hỏi`: a dash before the word makes it an
        // attribution that goes on from the quotation.
        if text[lead.len()..word.start].contains(['-', '–', '—']) {
            return None;
        }
        if let Some(head) = text[..word.start].trim_end().strip_suffix('.') {
            // `sức khỏe của chị Th,. ổn định`: a stop glued to a comma is a slip of one of the
            // two inside the sentence (judged FALSE on real news, round 96: the stop was the
            // initial's, the comma stray).
            if head.ends_with([',', ';']) {
                return None;
            }
            let last = head
                .rsplit(|c: char| !crate::text::words::is_word_char(c))
                .next()
                .unwrap_or("");
            // `anh Ph. chạy theo`: a Vietnamese initial of two or three letters; `et. al`.
            if r.initials.iter().any(|i| i == last) {
                return None;
            }
            // `(Hai Bà Trưng, Hà Nội), PV. được tư vấn`: an abbreviation in capitals with its
            // dot, after a comma, inside the sentence (judged HARMFUL on real news, round 26).
            let head_before = head[..head.len() - last.len()].trim_end();
            let capitals = (2..=4).contains(&last.chars().count()) && last.chars().all(char::is_uppercase);
            if capitals && head_before.ends_with(',') {
                return None;
            }
            // `ông N.KT. dâm ô`: a name's initials joined by dots (judged FALSE on real news,
            // round 45): one to three capitals, a dot, one to three capitals, then the stop.
            let short_capitals = |w: &str| (1..=3).contains(&w.chars().count()) && w.chars().all(char::is_uppercase);
            let dotted_initials = short_capitals(last)
                && head[..head.len() - last.len()].strip_suffix('.').is_some_and(|h| {
                    short_capitals(
                        h.rsplit(|c: char| !crate::text::words::is_word_char(c))
                            .next()
                            .unwrap_or(""),
                    )
                });
            if dotted_initials {
                return None;
            }
            // `BKS: 43A. chạy hướng`, `ngày 4.4. diễn ra`: a code of digits and letters, or a
            // dotted number, before the stop; the stop is the code's or a stray one, and
            // capitalizing would cut the sentence (judged FALSE on real news, round 54).
            let digits = last.chars().any(|c| c.is_ascii_digit());
            let code = digits && last.chars().any(char::is_alphabetic);
            let dotted_number = digits
                && last.chars().all(|c| c.is_ascii_digit())
                && head[..head.len() - last.len()]
                    .strip_suffix('.')
                    .is_some_and(|h| h.ends_with(|c: char| c.is_ascii_digit()));
            if code || dotted_number {
                return None;
            }
            // `nghi phạm Tu. đã thừa nhận`: a name shortened to its first letters after a
            // word for a person (judged FALSE on real news, round 46).
            let short_name = (1..=3).contains(&last.chars().count())
                && last.chars().next().is_some_and(char::is_uppercase)
                && ends_with_a_cue(head_before, &r.name_cues);
            if short_name {
                return None;
            }
            // `Ngoài ra. bạn nên tìm`: a stop after a sentence's first word or two is a comma
            // typed wrong, not the end of a sentence; capitalizing would keep the fragment
            // (judged FALSE on real news, round 37).
            if after_a_comma_opener(head, &r.comma_openers) {
                return None;
            }
        }
    }
    // `b) Các loại bật lửa`, `e- Cơ quan`: a list's letter (the second judged FALSE on real
    // news, round 116); `zaitaku_iyada`: a user name; `(Ảnh. giaoduc.net)`: a web address
    // (judged on real news, round 25).
    let after = &text[word.end..];
    let list_letter = w.chars().nth(1).is_none()
        && (after.starts_with([')', '.'])
            || after
                .strip_prefix('-')
                .is_some_and(|a| a.starts_with(char::is_whitespace)));
    // `[f] https://…`: a label in brackets, an icon's letter in a list of contacts (judged
    // FALSE on real news, round 127).
    let bracketed = after.starts_with(']') && text[..word.start].ends_with('[');
    if list_letter || bracketed || after.starts_with(['_', '@']) {
        return None;
    }
    if after
        .strip_prefix('.')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_lowercase()))
    {
        return None;
    }
    // A block that opens with an ellipsis continues what came before it (`… đến "trái
    // ngọt"`, judged on real news): its first word is not a sentence start.
    let before = text[..word.start].trim_start();
    if let Some(rest) = before.strip_prefix('…').or_else(|| before.strip_prefix("...")) {
        if rest.trim().chars().all(is_opener) {
            return None;
        }
    }
    // A foreign word the text writes in lower case elsewhere (a brand) may start a sentence
    // so. Only a word the pack's orthography calls foreign (`[pack] orthography`; with none,
    // no word is): a word of the language found in lower case elsewhere says nothing.
    if !r.meta.language.may_be_native(w) && mid().contains(w) {
        return None;
    }
    // So may a hyphenated one (`e-tron GTR`, Audi's model, written so inside the text too:
    // judged FALSE on real news, round 106), whatever its first part.
    let joined = hyphenated(&text[word.start..], word.len());
    if joined.len() > word.len() && mid().contains(joined) {
        return None;
    }
    // `Lavrov. ổng thống Trump nói`: a drop cap lost with the layout took the word's first
    // letter (`Tổng`). Capitalizing what is left (`Ổng`) is wrong; the word restored is offered
    // instead, never applied by `--fix` (judged on real news, round 13).
    if let Some(restored) = lost_initial(text, word.clone(), &r.meta.language.onsets) {
        let msg = render(
            r,
            w,
            &restored,
            "Sentence starts with a lower-case letter",
            "capital-start",
        );
        return Some(Diagnostic::new(r.idx, word.clone(), msg).with_fix(Fix::unsafe_(
            format!("Replace with “{restored}”"),
            vec![Edit::new(word.clone(), restored.clone())],
        )));
    }
    let upper: String = first.to_uppercase().collect();
    let expected = format!("{upper}{}", &w[first.len_utf8()..]);
    let msg = render(
        r,
        w,
        &expected,
        "Sentence starts with a lower-case letter",
        "capital-start",
    );
    let edit = Edit::new(word.start..word.start + first.len_utf8(), upper);
    let title = format!("Capitalize “{w}”");
    // `ng Nguyễn Văn Thành`: a word the language cannot spell (`Ông` that lost its first
    // letter with the layout) is capitalized only when asked (judged HARMFUL on real news,
    // round 58: the safe fix wrote `Ng`).
    let safe = safe && r.meta.language.may_be_native(&w.to_lowercase());
    let fix = if safe {
        Fix::safe(title, vec![edit])
    } else {
        Fix::unsafe_(title, vec![edit])
    };
    let mut d = Diagnostic::new(r.idx, word.clone(), msg);
    // `…ưu tiên". ông Chủng nói.`: a full stop right after a closing quotation mark, then a
    // lower-case word, is most often a comma before the attribution; capitalized, the
    // attribution would stand alone as a fragment (judged on real news, round 12). The
    // comma comes first; both are offered, neither applied by `--fix`.
    let before = text[..word.start].trim_end();
    if let Some(head) = before.strip_suffix('.') {
        if !safe && head.ends_with(['"', '”', '’', '\'', '»']) {
            d = d.with_fix(Fix::unsafe_(
                "Replace the full stop with a comma".to_string(),
                vec![Edit::new(head.len()..before.len(), ",".to_string())],
            ));
        }
    }
    d = d.with_fix(fix);
    // `dự án giao thông trọng điểm. quốc gia`: a stray stop inside a phrase as often as a
    // missing capital (judged on real news, rounds 78 and 79: capitalized, the sentence stayed
    // broken). Removing the stop is offered beside the capital, never applied by `--fix`.
    if let Some(head) = before.strip_suffix('.') {
        if head.ends_with(|c: char| c.is_alphanumeric()) && text[before.len()..word.start] == *" " {
            d = d.with_fix(Fix::unsafe_(
                "Remove the full stop".to_string(),
                vec![Edit::delete(head.len()..before.len())],
            ));
        }
    }
    Some(d)
}

/// Whether `head` (a block's text up to a full stop) ends with a sentence that is one of
/// `openers` alone (`… mang. Ngoài ra`).
fn after_a_comma_opener(head: &str, openers: &[String]) -> bool {
    if openers.is_empty() {
        return false;
    }
    let near = crate::text::context::before(head, head.len(), OPENER_REACH);
    let start = match near.rfind(['.', '!', '?', ':', ';', '\n']) {
        Some(stop) => stop + 1,
        None if near.len() == head.len() => 0,
        None => return false,
    };
    let sentence = near[start..]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    openers.contains(&sentence)
}

/// Whether `head` ends with one of `cues` (one or two words, lower case) as whole words.
fn ends_with_a_cue(head: &str, cues: &[String]) -> bool {
    if cues.is_empty() {
        return false;
    }
    let near = crate::text::context::before(head, head.len(), OPENER_REACH);
    let words: Vec<String> = near.split_whitespace().rev().take(2).map(str::to_lowercase).collect();
    let one = words.first().cloned().unwrap_or_default();
    let two = words.get(1).map(|w| format!("{w} {one}")).unwrap_or_default();
    cues.iter().any(|c| *c == one || *c == two)
}

/// How far, in bytes, the next question of a run of questions may end after a lower-case
/// word that follows a `?` (`gì? màu sắc ra sao?`).
const QUESTION_RUN: usize = 48;

/// How many bytes [`after_a_comma_opener`] reads back for the sentence's start.
const OPENER_REACH: usize = 48;

/// The word before a full stop that ends right before `start` (spaces between), when
/// the stop is a single `.` after a word (`Đông La Mã. do`).
fn word_before_stop(text: &str, start: usize) -> Option<&str> {
    let head = text[..start].trim_end().strip_suffix('.')?;
    let last = head
        .rsplit(|c: char| !crate::text::words::is_word_char(c))
        .next()
        .filter(|w| !w.is_empty())?;
    Some(last)
}

/// How many lower-case starts after a stop behind one word make that stop the text's
/// own furniture rather than a slip.
const REPEATED_STOP_MIN: usize = 3;

/// The findings after full stops, less those whose stop follows a word that is followed
/// by a stop and a lower-case word [`REPEATED_STOP_MIN`] times or more in the block: a
/// link's text that the page closed with a dot (`quân Đông La Mã. đầu hàng`, eleven times
/// in one article; judged on real news, round 22: capitalizing made fragments).
fn drop_repeated_stops(found: Vec<(&str, Diagnostic)>) -> impl Iterator<Item = (&str, Diagnostic)> + '_ {
    let mut times: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (w, _) in &found {
        *times.entry(*w).or_default() += 1;
    }
    found
        .into_iter()
        .filter(move |(w, _)| times.get(w).copied().unwrap_or(0) < REPEATED_STOP_MIN)
}

/// Whether `w` is a word of two letters or more with a capital first (`Interco`).
fn capitalized_word(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next().is_some()
}

/// The capitalized words the document writes with a stop right before a comma, a semicolon
/// or a closing bracket (`USC Interco., cũng là`), where no sentence ends: the stop is the
/// name's. A stop before a lower-case word says nothing (`đền Đức Hoàng. ảnh:` twice is a
/// caption's slip twice). One pass over the blocks.
fn names_with_a_stop(blocks: &[crate::document::Block]) -> std::collections::HashSet<&str> {
    let mut names = std::collections::HashSet::new();
    for b in blocks {
        let text = b.text.as_str();
        for (dot, _) in text
            .match_indices(".,")
            .chain(text.match_indices(".;"))
            .chain(text.match_indices(".)"))
        {
            if let Some(word) = text[..dot]
                .rsplit(|c: char| !crate::text::words::is_word_char(c))
                .next()
                .filter(|w| capitalized_word(w))
            {
                names.insert(word);
            }
        }
    }
    names
}

/// Whether the `!` or `?` ending at `stop` and the word ending at `end` sit in one short
/// quotation of cries: an opening quote and at most three words before the stop, and at most
/// two words after `end`, then `!` or `?` and the closing quote (`“cướp! cướp!”`).
fn in_a_short_cry(text: &str, stop: usize, end: usize) -> bool {
    const OPEN: &[char] = &['“', '"', '‘', '\'', '«'];
    const CLOSE: &[char] = &['”', '"', '’', '\'', '»'];
    let before = crate::text::context::before(text, stop, 120);
    let Some(open) = before.rfind(OPEN) else { return false };
    let inside = &before[open..].trim_start_matches(OPEN);
    if inside.split_whitespace().count() > 3 || inside.contains(CLOSE) {
        return false;
    }
    let after = crate::text::context::after(text, end, 120);
    let Some(close) = after.find(CLOSE) else { return false };
    let rest = after[..close].trim_end();
    rest.ends_with(['!', '?'])
        && !rest.trim_end_matches(['!', '?']).contains(['.', ',', ';', ':'])
        && rest.split_whitespace().count() <= 2
}

/// The word at `word` (lower case, starting a sentence) with the first letter a lost drop cap
/// took (`ổng thống` → `Tổng`): the word does not make a two-syllable word with the next one,
/// and exactly one of the pack's `onsets` (the consonants that start a syllable, capitalized:
/// the letters a lost drop cap may have held) put before it makes a syllable that does (`tổng
/// thống`). `None` otherwise, and always with no onsets.
fn lost_initial(text: &str, word: std::ops::Range<usize>, onsets: &[String]) -> Option<String> {
    use crate::text::compounds::{is_builtin_compound, syllable_after};
    if onsets.is_empty() {
        return None;
    }
    let w = &text[word.clone()];
    let next = syllable_after(text, word.end)?;
    // A capital after it starts a name (`ông Tiêu Văn Lợi`, real news): no word is missing a letter.
    if is_builtin_compound(w, next)
        || !w.chars().all(char::is_lowercase)
        || !next.chars().all(char::is_lowercase)
        || w.chars().count() > 5
    {
        return None;
    }
    // Seen together in the corpus behind the spelling data (`ông Nam`), the two are the
    // writer's words, whatever a letter before them would make (`đông nam`).
    let key = |s: &str| crate::text::vietnamese::parse(s).map(|p| p.key());
    let ngrams = super::syllable::lexicon::ngrams();
    if !ngrams.is_loaded() {
        return None;
    }
    if let (Some(a), Some(b)) = (key(w), key(next)) {
        if ngrams.count(&a, &b) > 0 {
            return None;
        }
    }
    let mut found = None;
    for onset in onsets {
        let candidate = format!("{onset}{w}");
        if crate::text::vietnamese::parse(&candidate).is_some() && is_builtin_compound(&candidate, next) {
            if found.is_some() {
                return None;
            }
            found = Some(candidate);
        }
    }
    found
}

/// Whether the clause before a `?` or `!` (`head`, without it) ends in the title of a work
/// that a cue word (`cues`, lower case) introduces in lower case, its first word
/// capitalized: `vở kịch Ăn khế trả gì? có giá vé`, `cuốn ký Bên kia ranh giới - Cánh cửa
/// nào …?`, `tập truyện ngắn Thằng nớ con nhà ai? là` (judged on real news). A number may
/// stand between the cue and the title (`tập 1`), and the title may hold more capitals.
/// The sentence goes on after the title.
fn ends_a_work_title(head: &str, cues: &[String]) -> bool {
    if cues.is_empty() {
        return false;
    }
    // The last words are all it needs: a window, so that a long block stays linear.
    let head = crate::text::context::before(head, head.len(), crate::text::context::CONTEXT_BYTES);
    let clause = &head[head.rfind(['.', '!', '?', ';', ':', '\n']).map_or(0, |i| i + 1)..];
    let words: Vec<&str> = clause.split_whitespace().collect();
    let is_cue = |from: usize, to: usize| {
        let phrase = words[from..to]
            .iter()
            .map(|w| w.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        cues.contains(&phrase)
    };
    // The title's first word: a capitalized word within the clause's last sixteen, right
    // after a cue of one or two words, or after a cue and a number (`tập 1`).
    (words.len().saturating_sub(TITLE_WORDS)..words.len()).any(|t| {
        let numbered = t >= 1 && words[t - 1].chars().all(|c| c.is_ascii_digit());
        let gap = if numbered { 2 } else { 1 };
        words[t].chars().next().is_some_and(char::is_uppercase)
            && t >= gap
            && (is_cue(t - gap, t - gap + 1) || (t > gap && is_cue(t - gap - 1, t - gap + 1)))
    })
}

/// How many words a work's title before a `?` or `!` may have.
const TITLE_WORDS: usize = 16;

impl Checker for SentenceChecker {
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        let text = block.text;
        // Sentences of the block, split once per distinct splitter (the first few).
        let mut splits: [Option<Vec<std::ops::Range<usize>>>; 4] = Default::default();
        let mid_words = std::cell::OnceCell::new();
        let mid = || mid_words.get_or_init(|| mid_sentence_lower_words(text));
        for r in &self.rules {
            if !block.is_active(r.idx) {
                continue;
            }
            let uncached;
            let sentences: &[std::ops::Range<usize>] = match r.splitter {
                // Under the packs' abbreviations alone the sentences are the block's, shared
                // with other kinds.
                None => block.shared.sentences(),
                Some(i) => {
                    let split = || self.splitters[i].split(text);
                    match splits.get_mut(i) {
                        Some(cached) => cached.get_or_insert_with(split),
                        None => {
                            uncached = split();
                            &uncached
                        }
                    }
                }
            };
            // Lower-case starts after a full stop, with the word before the stop.
            let mut after_stops: Vec<(&str, Diagnostic)> = Vec::new();
            for (n, s) in sentences.iter().enumerate() {
                if r.checks.capital_start {
                    if let Some(word) = first_word(text, s.clone()) {
                        if n == 0 {
                            // Whether a block may start in lower case depends on the block
                            // before it (a list after a colon): decided in the document pass.
                            if capital_start(r, text, word.clone(), &mid).is_some() {
                                out.facts.push(Fact::new(r.idx, Noted::LowerBlockStart, word));
                            }
                        } else if let Some(d) = capital_start(r, text, word.clone(), &mid) {
                            match word_before_stop(text, word.start) {
                                Some(w) => after_stops.push((w, d)),
                                None => out.diagnostics.push(d),
                            }
                        }
                    }
                }
                // A word and the character after it take two bytes at least: a short
                // sentence cannot be long.
                if r.checks.length
                    && s.len().div_ceil(2) > r.max_syllables
                    && syllables_at_most(&text[s.clone()]) > r.max_syllables
                {
                    let count = longest_stretch(&text[s.clone()]);
                    if count > r.max_syllables {
                        let found = &text[s.clone()];
                        let problem = format!("Long sentence: {count} syllables (at most {})", r.max_syllables);
                        let msg = render(r, found, "", &problem, "length");
                        out.diagnostics
                            .push(Diagnostic::new(r.idx, s.clone(), msg).with_severity(Severity::Info));
                    }
                }
            }
            for (w, d) in drop_repeated_stops(after_stops) {
                // After a capitalized word the stop may be the name's own (`công ty USC
                // Interco. với`, judged FALSE on real news, round 108): decided in the
                // document pass, which sees the name's other uses.
                if capitalized_word(w) {
                    let at = w.as_ptr() as usize - text.as_ptr() as usize;
                    out.facts
                        .push(Fact::new(r.idx, Noted::AfterNameStop(Box::new(d)), at..at + w.len()));
                } else {
                    out.diagnostics.push(d);
                }
            }
        }
        out.diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    }

    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        let blocks = input.doc.blocks();
        let name_stops = std::cell::OnceCell::new();
        for f in input.facts {
            if let Noted::AfterNameStop(d) = &f.fact.what {
                let word = &blocks[f.block].text[f.fact.range.clone()];
                if !name_stops.get_or_init(|| names_with_a_stop(blocks)).contains(word) {
                    let mut d = (**d).clone();
                    d.shift(blocks[f.block].range.start);
                    out.push(d);
                }
                continue;
            }
            if f.fact.what != Noted::LowerBlockStart {
                continue;
            }
            let Some(r) = self.rules.iter().find(|r| r.idx == f.fact.rule) else {
                continue;
            };
            let this = &blocks[f.block];
            // In Markdown a block that starts with a space starts after something that is
            // not prose (`code` là hàm): its first word does not start the sentence.
            if input.doc.format() == crate::document::Format::Markdown && this.text.starts_with(char::is_whitespace) {
                continue;
            }
            if f.block > 0 {
                let prev = &blocks[f.block - 1];
                let last = prev.text.trim_end_matches(char::is_whitespace).chars().next_back();
                // A list introduced by a colon, or one item ending with `;` or `,`.
                if last.is_some_and(|c| matches!(c, ':' | ';' | ',')) {
                    continue;
                }
                // Items of one list share their case.
                if this.scopes.contains(Scope::List) && prev.scopes.contains(Scope::List) {
                    continue;
                }
            }
            let mid_words = std::cell::OnceCell::new();
            let mid = || mid_words.get_or_init(|| mid_sentence_lower_words(&this.text));
            if let Some(mut d) = capital_start(r, &this.text, f.fact.range.clone(), &mid) {
                d.shift(this.range.start);
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check, check_markdown, engine, fix, fix_all};

    pub(super) const RULES: &str = r#"
[[rule]]
id = "sentence"
kind = "sentence"
message = "{problem}: “{found}”"
"#;

    /// [`RULES`] with the `vi-news` pack's language words for `capital-start` (its
    /// `sentence.capital` rule's `work-cues` and `initials`, and the pack's `[pack]` words).
    fn vi_rules() -> String {
        let pack: toml::Table = include_str!("../../../../rules/vi-news/sentence.toml").parse().unwrap();
        let rule = pack["rule"]
            .as_array()
            .and_then(|rules| rules.iter().find(|r| r["id"].as_str() == Some("sentence.capital")))
            .unwrap();
        format!(
            "{RULES}work-cues = {}\ninitials = {}\n{}",
            rule["work-cues"],
            rule["initials"],
            crate::pack::vi_news_language_table()
        )
    }

    /// The sentence abbreviations, the initials of several letters and the onsets a lost drop
    /// cap is restored with are the pack's (`[pack] sentence-abbreviations`, `onsets`): with
    /// none, a dot after `TP` ends a sentence and the drop cap is not restored.
    #[test]
    fn language_words_come_from_the_pack() {
        let bare = engine(RULES);
        let vi = engine(&vi_rules());
        let t = "Ông về TP. huế hôm qua. Bà Nguyễn Bích Ng. cho biết thêm.";
        assert_eq!(check(&bare, t).len(), 2);
        assert!(check(&vi, t).is_empty());
        let t = "Hai ngoại trưởng gặp nhau. ổng thống Mỹ nói vậy.";
        assert_eq!(check(&bare, t)[0].fix.as_deref(), Some("Ổng"));
        assert_eq!(check(&vi, t)[0].fix.as_deref(), Some("Tổng"));
        // A rule's own abbreviations add to the pack's.
        let own = engine(&format!(
            "{RULES}abbreviations = [\"ĐH.\"]\n{}",
            crate::pack::vi_news_language_table()
        ));
        assert!(check(&own, "Học ĐH. bách khoa. Ông về TP. huế.").is_empty());
        assert_eq!(check(&vi, "Học ĐH. bách khoa. Ông về TP. huế.").len(), 1);
        // An English word list does the same job.
        let en = engine(&format!(
            "{RULES}[pack]\nsentence-abbreviations = [\"Mr.\", \"dr\"]\nonsets = [\"Th\"]\n"
        ));
        assert!(check(&en, "Then Mr. smith and Dr. jones came.").is_empty());
        assert_eq!(check(&bare, "Then Mr. smith and Dr. jones came.").len(), 2);
        assert_eq!(super::lost_initial("ổng thống", 0.."ổng".len(), &[]), None);
    }

    /// A foreign word the text writes in lower case elsewhere (a brand) may start a sentence
    /// so; which words are foreign is the pack's orthography (`[pack] orthography`): with
    /// none, every word is the language's and wants its capital.
    #[test]
    fn foreign_words_come_from_the_packs_orthography() {
        let bare = engine(RULES);
        let vi = engine(&vi_rules());
        let t = "Nhiều người mua bitcoin. bitcoin tăng giá mạnh.";
        assert!(check(&vi, t).is_empty(), "{:?}", check(&vi, t));
        assert_eq!(check(&bare, t).len(), 1);
        // A Vietnamese word found in lower case elsewhere still wants its capital.
        let t = "Ông đi về nhà. về nhà ông ngủ.";
        assert_eq!(check(&vi, t).len(), 1);
        assert_eq!(check(&bare, t).len(), 1);
        // An English pack names no orthography: its words all want their capital.
        let en = engine(&format!("{RULES}[pack]\nsentence-abbreviations = [\"Mr.\"]\n"));
        assert_eq!(check(&en, "Many buy bitcoin. bitcoin rose.").len(), 1);
    }

    #[test]
    fn language_words_come_from_the_options() {
        let bare = engine(RULES);
        // No built-in Vietnamese initials or work cues.
        assert_eq!(check(&bare, "Sau đó, Ph. chạy theo").len(), 1);
        assert_eq!(check(&bare, "Ông xem phim Ai đó? có giá vé rẻ").len(), 1);
        let vi = engine(&vi_rules());
        assert!(check(&vi, "Sau đó, Ph. chạy theo").is_empty());
        assert!(check(&vi, "Ông xem phim Ai đó? có giá vé rẻ").is_empty());
        // French words given as options do the same job (a two-word cue written with any spaces).
        let fr = engine(&format!(
            "{RULES}work-cues = [\" Le  film\", \"roman\"]\ninitials = [\"Ch\", \"cf\"]\n"
        ));
        assert!(check(&fr, "Il a vu le film Qui a peur? avec sa sœur").is_empty());
        assert!(check(&fr, "Il a lu le roman Où es-tu? avec sa sœur").is_empty());
        assert_eq!(check(&fr, "Il a lu la lettre Où es-tu? avec sa sœur").len(), 1);
        assert!(check(&fr, "Voir le texte, cf. ci-dessous").is_empty());
        assert_eq!(check(&bare, "Voir le texte, cf. ci-dessous").len(), 1);
        assert!(check(&fr, "Il a signé Ch. dupont").is_empty());
    }

    #[test]
    fn lower_case_sentence_starts_are_capitalized() {
        let e = engine(&vi_rules());
        let f = check(&e, "Trời mưa. đường ngập! ai đi? “tôi không”.");
        assert_eq!(f.len(), 3, "{f:?}");
        assert_eq!(f[0].found, "đường");
        // A paragraph's first word is capitalized by `--fix`; inside the paragraph the fix is
        // offered only (the full stop may be the slip).
        assert_eq!(fix(&e, "trời mưa. đường ngập"), "Trời mưa. đường ngập");
        assert_eq!(f[0].fix.as_deref(), Some("Đường"));
        // Round 37: a stop after an opener that takes a comma is the comma typed wrong.
        let e = engine(&vi_rules().replacen("initials = ", "comma-openers = [\"Ngoài  ra\"]\ninitials = ", 1));
        assert!(check(&e, "Tiền mất tật mang. Ngoài ra. bạn nên tìm nơi uy tín.").is_empty());
        assert_eq!(check(&e, "Tiền mất. Ngoài ra bạn đi. bạn nên tìm.").len(), 1);
    }

    /// Judged on real news (rounds 78 and 79): `trọng điểm. quốc gia` is a stray stop inside a
    /// phrase as often as a missing capital; removing the stop is offered beside the capital.
    #[test]
    fn removing_a_stray_stop_is_offered_beside_the_capital() {
        let e = engine(&vi_rules());
        let t = "Đây là dự án giao thông trọng điểm. quốc gia, khi xong sẽ giúp vùng này.";
        let d = e.check(&crate::document::Document::plain_body(t));
        assert_eq!(d.len(), 1, "{d:?}");
        let titles: Vec<&str> = d[0].fixes.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(titles, ["Capitalize “quốc”", "Remove the full stop"]);
        assert!(d[0].fixes.iter().all(|f| !f.safe));
        assert_eq!(
            crate::fix::apply_edits(t, &d[0].fixes[1].edits),
            "Đây là dự án giao thông trọng điểm quốc gia, khi xong sẽ giúp vùng này."
        );
    }

    #[test]
    fn stops_after_one_word_repeated_in_a_block_are_furniture() {
        let e = engine(&vi_rules());
        // Real news (round 22): a link's text closed with a dot by the page, eleven times.
        let t = "Bộ binh Đông La Mã. do Thomas chỉ huy, quân Đông La Mã. đầu hàng, đánh tan quân Đông La Mã. trong nỗ lực cuối.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        // Twice is not enough, and other words' stops keep their findings.
        let t = "Bộ binh Đông La Mã. do Thomas chỉ huy, quân Đông La Mã. đầu hàng. tướng bỏ chạy.";
        assert_eq!(check(&e, t).len(), 3);
    }

    #[test]
    fn initials_list_letters_attributions_and_titles_are_not_sentence_starts() {
        let e = engine(&vi_rules());
        // Each judged on real news (baomoi.com, round 6b), where the safe fix was harmful.
        let silent = [
            "sau đó thấy 2 cô gái chạy xe trên đường, Ph. chạy theo, rủ anh này đua xe",
            "bắn phát quang hoặc bắn gây nổ. b) Các loại bật lửa có hình dáng quả lựu đạn",
            // Round 116: a list's letter with a hyphen.
            "doanh nghiệp trực thuộc Bộ Quốc phòng. e- Cơ quan, đơn vị còn lại, căn cứ vào tổ chức",
            // Round 127: an icon's letter in brackets in a list of contacts.
            "Xem thêm tại: [w] https://felina.com.vn/. [f] https://www.facebook.com/pg/Felina. [Hotline] 1800 7222.",
            "việc kiểm định nguồn nước ai là người duyệt? – một độc giả đặt câu hỏi.",
            "bài báo đăng trên Tạp chí Sơ sinh Lâm sàng, Kshirsagar et. al giải thích rằng",
            "Ảnh: zaitaku_iyada thường xuyên mặc trang phục nữ để chụp ảnh.",
            // Round 25: a web address after `Ảnh.`; a question brought in by a colon.
            "Hình ảnh của Báo điện tử Giáo Dục Việt Nam. (Ảnh. giaoduc.net) Tôi đặc biệt ấn tượng",
            "Nhà văn khi được hỏi: Tại sao đàn ông thường rất kỵ vợ thông minh? đã trả lời rằng:",
            "Bạn đọc Nguyễn Văn A (Hai Bà Trưng, Hà Nội), PV. được tư vấn như sau",
            // Round 45: a name's initials joined by dots.
            "6 cháu bé khác được cho cũng từng bị ông N.KT. dâm ô, kéo dài trong khoảng thời gian",
            // Round 69: a photo credit's web address split after its dot.
            "Binh sĩ của Israel thiệt mạng. Ảnh: Imemc. org Xe tăng của Israel đã vượt qua biên giới",
        ];
        for t in silent {
            // The snippets start mid-sentence: their first word is not the point.
            let found: Vec<_> = check(&e, t).into_iter().filter(|f| !t.starts_with(&f.found)).collect();
            assert!(found.is_empty(), "{t}: {found:?}");
        }
        // After `!` a lower-case word is reported, but the fix is not applied by `--fix`:
        // `Ơn giời, cậu đây rồi!` is a show's title.
        let t = "Xem xong. Ơn giời, cậu đây rồi! khá hơn, song chỉ sau ba mùa";
        assert_eq!(check(&e, t).len(), 1);
        assert_eq!(fix(&e, t), t);
        // A title that a cue word introduces ends in its own `?` or `!`; the sentence goes on.
        for t in [
            "Theo ghi nhận của phóng viên, vở kịch Ăn khế trả gì? có giá vé từ 110 nghìn đồng.",
            "Chương trình Ơn giời, cậu đây rồi! khá hơn, song chỉ sau ba mùa",
            // Round 52: a long title with capitals of its own, a genre word or a number
            // between the cue and the title.
            "Cuốn ký Bên kia dòng sông - Ai sẽ mở cánh cửa nào cho con? lại kể chuyện trường làng.",
            "Tập truyện ngắn Ai về bến cũ? là món quà cho bạn đọc.",
            "Chị dự cuộc thi Who are you? với mong muốn đổi đời.",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
        // Round 58: a word the language cannot spell opening the text keeps its fix offered.
        let t = "ng Nguyễn Văn Thành, Giám đốc sở Tài chính, cho biết.";
        assert_eq!(check(&e, t).len(), 1);
        assert_eq!(fix(&e, t), t);
        let t = "ông Nguyễn Văn Thành cho biết.";
        assert_eq!(fix(&e, t), "Ông Nguyễn Văn Thành cho biết.");
        // Round 54: a plate's code or a dotted date before a stray stop.
        for t in [
            "Xe màu đen BKS: 43A. chạy hướng Lê Trọng Tấn về đường lớn.",
            "Vụ tấn công ở Syria ngày 4.4. diễn ra ở khu vực phía bắc.",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
        assert_eq!(check(&e, "Hà Nội có 30 quận. trong đó có Ba Đình.").len(), 1);
        // A question about a name still ends its sentence.
        assert_eq!(check(&e, "Anh đã gặp bà Lan chưa? tôi hỏi.").len(), 1);
        // A one-letter word that is not a list letter still starts a sentence.
        let f = check(&e, "Trời mưa. à, ra thế.");
        assert_eq!(f.iter().map(|f| f.fix.as_deref()).collect::<Vec<_>>(), [Some("À")]);
    }

    #[test]
    fn names_written_in_lower_case_and_company_forms_are_left_alone() {
        let e = engine(&vi_rules());
        // Judged on real news: `realme` is the brand's own spelling; `Co.` is not a sentence end.
        let text = "Mẫu điện thoại của realme bán chạy. realme 8 Pro được biết như bản nâng cấp. \
                    Ông rời Walt Disney Co. để dẫn dắt TikTok.";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        // After a name ending in `!` (Ok!, Yahoo!), and a parenthesis after a question.
        assert!(check(&e, "Cô lên trang bìa tạp chí Ok! và tham dự sự kiện.").is_empty());
        assert!(check(&e, "“Bao giờ tôi về được bờ? (giá đã mua)”, anh hỏi.").is_empty());
        assert_eq!(check(&e, "Thật tuyệt vời! chúng tôi sẽ trở lại.").len(), 1);
        // Round 29: an ellipsis before the word carries the sentence on, after `!` too.
        assert!(check(&e, "Fan cũng nghĩ vậy! ...thì giày lại càng có giá.").is_empty());
        assert!(check(&e, "Fan cũng nghĩ vậy! … thì giày lại càng có giá.").is_empty());
        // Round 30: a stop inside a parenthesis is a slip for a comma.
        assert!(check(
            &e,
            "Đơn của Nguyễn Thị L (45 tuổi. ở phường Thịnh Liệt, quận Hoàng Mai) gửi đi."
        )
        .is_empty());
        assert_eq!(check(&e, "Bà L (45 tuổi). ở phường Thịnh Liệt bà sống.").len(), 1);
        // A block opening with an ellipsis continues a heading; `c.` is circa.
        assert!(check(&e, "… đến “trái ngọt” Nam Phú Quốc").is_empty());
        assert!(check(&e, "Sinh ở Saratov c. năm 1954.").is_empty());
        // A Vietnamese word is still capitalized even when it is used inside a sentence too.
        assert_eq!(check(&e, "Trời mưa, đường ngập. đường trơn.").len(), 1);
        // Round 106: a hyphenated model name the text writes so inside a sentence too.
        let audi = "Mẫu thay thế R8 sẽ là e-tron GTR. e-tron GTR có thể dùng nền tảng J1.";
        assert!(check(&e, audi).is_empty(), "{:?}", check(&e, audi));
        assert_eq!(
            check(&e, "Xe chạy 482 km. e-tron GTR có thể dùng nền tảng J1.").len(),
            1
        );
    }

    /// Round 108: a company's name ending in a dot (`USC Interco.`), which the document
    /// writes before a comma elsewhere, in another paragraph; a stop after a name written
    /// twice before lower case (a caption's slip, `Đức Hoàng. ảnh:`) still starts a sentence.
    #[test]
    fn a_name_the_document_writes_with_its_stop_before_a_comma_goes_on() {
        let e = engine(&vi_rules());
        let text = "Họ lập công ty USC Interco. với số vốn lớn.\n\nTrưa qua, trụ sở công ty USC Interco., cũng là nhà bà Kim, đóng cửa.";
        assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
        let lone = "Họ lập công ty USC Interco. với số vốn lớn.\n\nTrưa qua, trụ sở công ty đóng cửa.";
        assert_eq!(check(&e, lone).len(), 1);
        let captions = "Một góc đền Đức Hoàng. ảnh: Hồ Chiến.\n\nLễ rước ở đền Đức Hoàng. ảnh: Hồ Chiến.";
        assert_eq!(check(&e, captions).len(), 2);
    }

    #[test]
    fn colon_semicolon_abbreviations_and_numbers_do_not_start_sentences() {
        let e = engine(&vi_rules());
        let ok = "Gồm: táo; cam. PGS.TS. Nguyễn V. An đến TP. Huế lúc 13h30, giá 81.500 đồng, tăng 6,5%. \
                  “Đi đâu?” anh hỏi. Rồi 2 người… không nói. iPhone mới ra. 3 người đến. ông Nguyễn Văn Hòa \
                  ở TP.HCM nói.";
        // Only the sentence that really starts in lower case is reported.
        let f = check(&e, ok);
        assert_eq!(f.iter().map(|f| f.found.as_str()).collect::<Vec<_>>(), ["ông"]);
        let e = engine(&format!("{RULES}abbreviations = [\"ĐH.\"]\n"));
        assert!(check(&e, "Học ĐH. bách khoa.").is_empty());
        assert_eq!(check(&engine(RULES), "Học ĐH. bách khoa.").len(), 1);
    }

    /// Real news (round 12, a HARMFUL unsafe fix): `ưu tiên". ông Chủng nói.` capitalized
    /// left the fragment `Ông Chủng nói.`; the first fix offered makes the stop a comma.
    #[test]
    fn a_stop_after_a_closing_quote_before_lower_case_is_offered_as_a_comma() {
        let e = engine(&vi_rules());
        let found = check(&e, "Ông nói: “Đây là lựa chọn ưu tiên”. ông Chủng nói thêm.");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].found, "ông");
        assert_eq!(found[0].fix.as_deref(), Some(", ông"));
        assert_eq!(
            fix_all(&e, "Ông nói: “Đây là lựa chọn ưu tiên”. ông Chủng nói thêm."),
            "Ông nói: “Đây là lựa chọn ưu tiên”, ông Chủng nói thêm."
        );
        // Without the closing quote, only the capital is offered.
        let plain = check(&e, "Đây là lựa chọn ưu tiên. ông Chủng nói thêm.");
        assert_eq!(plain[0].fix.as_deref(), Some("Ông"));
    }

    /// A cry repeated inside a short quotation (judged on real news, round 13: `hô hoán
    /// “cướp! cướp!”`). Our own sentences.
    #[test]
    fn a_repeated_cry_inside_a_quotation_goes_on_in_lower_case() {
        let e = engine(RULES);
        for t in [
            "Người dân hô “cháy! cháy!” rồi chạy ra.",
            "Họ gọi \"ai đó! cứu với!\" suốt đêm.",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
        // A long quotation, or a stop outside one: the word after the stop starts a sentence.
        assert_eq!(
            check(&e, "Ông nói “chúng tôi đã làm hết sức mình! giờ thì chờ thôi!” rồi về.").len(),
            1
        );
        assert_eq!(check(&e, "Họ hô to! cháy! rồi chạy.").len(), 2);
    }

    /// A drop cap lost with the layout took the word's first letter (judged on real news,
    /// round 13: `Lavrov. ổng thống Trump nói`, fixed to `Ổng`). Our own sentences.
    #[test]
    fn a_masked_name_opens_the_sentence() {
        // Round 67 (baomoi): a company's name masked with stars, then its verb.
        let e = engine(&vi_rules());
        let t = "Công ty xin lỗi khách. *** *** sẽ hoàn trả lại chi phí.\n\n*** *** xin thay mặt lái xe.";
        assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
        assert_eq!(check(&e, "Công ty xin lỗi khách. sẽ hoàn trả lại chi phí.").len(), 1);
    }

    #[test]
    fn a_word_that_lost_its_drop_cap_is_restored_not_capitalized() {
        let e = engine(&vi_rules());
        let t = "Ảnh: hai ngoại trưởng gặp nhau. ổng thống Mỹ nói vậy.";
        let f = check(&e, t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].found, "ổng");
        assert_eq!(f[0].fix.as_deref(), Some("Tổng"));
        assert_eq!(fix_all(&e, t), t.replace("ổng thống", "Tổng thống"));
        assert_eq!(fix(&e, "hế biến tôm xuất khẩu tăng."), "hế biến tôm xuất khẩu tăng.");
        assert_eq!(
            fix_all(&e, "hế biến tôm xuất khẩu tăng."),
            "Chế biến tôm xuất khẩu tăng."
        );
        // A word of its own with the next one, or no single letter that makes one: capitalized.
        assert_eq!(fix(&e, "ăn uống đủ chất."), "Ăn uống đủ chất.");
        assert_eq!(fix(&e, "ông Nam đến."), "Ông Nam đến.");
        // Real news: `ông Tiêu Văn Lợi` is no `bông tiêu`.
        assert_eq!(
            fix_all(&e, "ông Tiêu Văn Lợi chạy sang."),
            "Ông Tiêu Văn Lợi chạy sang."
        );
    }

    #[test]
    fn list_items_after_a_colon_may_start_in_lower_case() {
        let e = engine(&vi_rules());
        assert!(check_markdown(&e, "Cần mang:\n\n- giấy tờ;\n- tiền.\n").is_empty());
        // Without a colon the first item is reported, and the items after it follow it.
        assert_eq!(check_markdown(&e, "Danh sách\n\n- giấy tờ\n- tiền\n").len(), 1);
        assert_eq!(check_markdown(&e, "Xong rồi.\n\nđoạn sau.\n").len(), 1);
        assert!(check_markdown(&e, "`code` là hàm.\n").is_empty());
    }

    #[test]
    fn long_sentences_are_info() {
        let e = engine(&format!("{RULES}max-syllables = 5\nchecks = [\"length\"]\n"));
        let f = check(&e, "Một hai ba bốn năm sáu. Một hai.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].found, "Một hai ba bốn năm sáu.");
        assert!(f[0].fix.is_none());
        let doc = crate::document::Document::plain_body("Một hai ba bốn năm sáu.");
        assert_eq!(e.check(&doc)[0].severity(), crate::diagnostic::Severity::Info);
    }

    #[test]
    fn lists_quotations_and_glued_sentences_are_not_long_sentences() {
        let e = engine(&format!("{RULES}max-syllables = 5\nchecks = [\"length\"]\n"));
        // A list after a colon, items after semicolons: each stretch is short.
        assert!(check(
            &e,
            "Gồm các ngành: toán tin; vật lý kỹ thuật; hóa học; sinh học ứng dụng."
        )
        .is_empty());
        // A quotation is the source's own words.
        assert!(check(&e, "Ông nói “chúng tôi sẽ làm hết sức mình cho dân” rồi đi.").is_empty());
        // …but not a colon inside brackets.
        assert_eq!(check(&e, "Một hai ba (gồm: bốn năm sáu) bảy.").len(), 1);
        // A missing space or a one-letter name before a full stop still ends a stretch.
        assert!(check(&e, "Họ về nước Ý. Nếu ban ngày thì đẹp.").is_empty());
        assert!(check(&e, "Chiến tranh đã cận kề.Tại cuộc họp báo.").is_empty());
        // Outside the quotation, a long sentence is still long.
        assert_eq!(check(&e, "Một hai ba “bốn” năm sáu bảy tám.").len(), 1);
        // `longest_stretch` never counts more than the sentence has.
        for t in ["Một; hai: ba “bốn” năm.", "\"a b c", "“x y” z.Ab"] {
            assert!(super::longest_stretch(t) <= super::syllables(t), "{t}");
        }
    }

    #[test]
    fn repeats_belong_to_typography() {
        // `typography`'s `repeated-words` is the one check of doubled words: naming the
        // old sub-check or its option here is a located error, not a silent no-op.
        for (bad, at, needle) in [
            (
                "checks = [\"repeated-syllables\"]",
                "t.toml:6:11",
                "unknown variant `repeated-syllables`",
            ),
            (
                "allowed-repeats = [\"tổ tổ\"]",
                "t.toml:6:1",
                "unknown field `allowed-repeats`",
            ),
        ] {
            let file = format!("{RULES}{bad}\n");
            let err =
                crate::pack::load_files("t", "t", vec![crate::pack::SourceFile::new("t.toml", &file)]).unwrap_err();
            let shown = err.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
            assert!(shown.starts_with(at) && shown.contains(needle), "{bad}: {shown}");
        }
        assert!(check(&engine(RULES), "Tổ tổ chức họp.").is_empty());
    }

    #[test]
    fn bad_options_are_located_errors() {
        for (bad, at, needle) in [
            ("checks = [\"lenght\"]", "t.toml:6:11", "unknown variant `lenght`"),
            ("max-syllable = 9", "t.toml:6:1", "unknown field `max-syllable`"),
        ] {
            let file = format!("{RULES}{bad}\n");
            let files = vec![crate::pack::SourceFile::new("t.toml", &file)];
            let shown = match crate::pack::load_files("t", "t", files) {
                Err(e) => e.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
                Ok(pack) => format!("{:?}", crate::project::build_engine(&[pack], None, &[], None).err()),
            };
            assert!(shown.starts_with(at) && shown.contains(needle), "{bad}: {shown}");
        }
    }

    #[test]
    fn nfd_and_emoji_before_the_span() {
        let e = engine(&vi_rules());
        let nfd = "😀 Xong. đươ\u{300}ng ngập.";
        let f = check(&e, nfd);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].found, "đươ\u{300}ng");
        assert_eq!(f[0].fix.as_deref(), Some("Đươ\u{300}ng"));
        assert_eq!(fix(&e, nfd), nfd, "inside a paragraph: offered, not applied");
        assert_eq!(fix(&e, "đươ\u{300}ng ngập. 😀"), "Đươ\u{300}ng ngập. 😀");
        assert_eq!(fix(&e, "o\u{301}c"), "O\u{301}c");
        assert!(check(&e, "Xem https://vnexpress.net/a. Rồi đi.").is_empty());
    }

    #[test]
    fn the_syllable_bound_holds() {
        let t = crate::rules::typography::tests_support::mutated(5, 50_000);
        let mut cuts: Vec<usize> = (0..t.len()).step_by(37).filter(|&i| t.is_char_boundary(i)).collect();
        cuts.push(t.len());
        for w in cuts.windows(5) {
            let s = &t[w[0]..w[4]];
            assert!(super::syllables(s) <= super::syllables_at_most(s), "{s:?}");
        }
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("a{c}a");
            assert!(
                super::syllables(&s) <= super::syllables_at_most(&s),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn doc_examples_pass() {
        crate::rules::matcher::test_support::doc_examples_pass(include_str!("sentence.md"));
    }

    mod props {
        use proptest::prelude::*;

        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                prop::sample::select(vec![
                    ". ",
                    "? ",
                    "! ",
                    "… ",
                    "...",
                    ":",
                    ";",
                    " ",
                    "\n",
                    "\n\n",
                    "- ",
                    "tổ",
                    "Tổ",
                    "đươ\u{300}ng",
                    "TP.",
                    "81.500",
                    "“",
                    "”",
                    "😀",
                    "\u{1A}",
                    "\u{300}",
                    "iPhone",
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
                let e = crate::testing::engine(&format!("{}max-syllables = 3\n", super::RULES));
                crate::rules::typography::tests_support::assert_well_formed(&e, &text);
            }
        }
    }
}
