//! The shape of a token and of what stands right around it: a definition's `(SHORT)`, an
//! all-caps token, a Roman numeral, the words joined to it by a hyphen or a slash.

use std::ops::Range;

use crate::text::context::{self, CONTEXT_BYTES};
use crate::text::words::is_word_char;

/// Where `(SHORT)` follows a long form at `pos`: the end of the closing parenthesis.
pub(super) fn definition_end(text: &str, pos: usize, short: &str) -> Option<usize> {
    let rest = text.get(pos..)?;
    let after_space = rest.trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
    let inner = after_space.strip_prefix('(')?.trim_start();
    let after_short = inner.strip_prefix(short)?;
    if after_short.chars().next().is_some_and(is_word_char) {
        return None;
    }
    let close = after_short.trim_start().strip_prefix(')')?;
    Some(text.len() - close.len())
}

/// Whether a parenthesis after the long form at `pos` opens with `SHORT` and goes on after a
/// comma or semicolon (`Phòng Cảnh sát Hình sự (CSHS, Công an tỉnh Đắk Lắk)`): a definition
/// made on the spot, sharing its parenthesis (judged FALSE on real news, round 118: the fix
/// nested a second definition inside it).
pub(super) fn defined_with_more(text: &str, pos: usize, short: &str) -> bool {
    const REACH: usize = 120;
    let Some(rest) = text.get(pos..) else {
        return false;
    };
    let after_space = rest.trim_start_matches([' ', '\u{A0}']);
    let Some(after_short) = after_space
        .strip_prefix('(')
        .and_then(|inner| inner.trim_start().strip_prefix(short))
    else {
        return false;
    };
    let Some(more) = after_short.strip_prefix([',', ';']) else {
        return false;
    };
    let mut cut = REACH.min(more.len());
    while !more.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &more[..cut];
    window
        .find(')')
        .is_some_and(|close| !window[..close].contains(['(', '\n']))
}

/// Where ` SHORT` follows a long form at `pos` with no parentheses (`chỉ số giá tiêu dùng
/// CPI`, `Hội đồng quản trị HĐQT PVTex`): the end of the short form. News writes a definition
/// this way too; expanding the short form there would double the long form.
pub(super) fn apposition_end(text: &str, pos: usize, short: &str) -> Option<usize> {
    let rest = text.get(pos..)?;
    let after_space = rest.strip_prefix([' ', '\u{A0}'])?;
    let after_short = after_space.strip_prefix(short)?;
    if after_short.chars().next().is_some_and(is_word_char) || short.is_empty() {
        return None;
    }
    Some(text.len() - after_short.len())
}

/// How many words before an abbreviation may hold the head of its long form.
const GLOSS_WINDOW: usize = 4;

/// Whether the first two syllables of a long form of three or more (`chỉ số` of `chỉ số giá
/// tiêu dùng`) stand among the few words right before `start`, in the same clause: `chỉ số
/// lạm phát CPI`, `Chỉ số CPI`, `vốn đầu tư FDI`. The text says what the abbreviation is, and
/// writing the long form out would repeat its head.
pub(super) fn glossed_by_head(text: &str, start: usize, long: &str) -> bool {
    let head: Vec<&str> = long.split_whitespace().collect();
    if head.len() < 3 {
        return false;
    }
    let before = context::before(text, start, CONTEXT_BYTES);
    let clause_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(is_word_char(c) || c == ' ' || c == '\u{A0}'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let words: Vec<&str> = before[clause_start..].split_whitespace().collect();
    let words = &words[words.len().saturating_sub(GLOSS_WINDOW)..];
    let eq = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    // What stands between the head and the abbreviation qualifies the head (`lạm phát`): no
    // capital (`đại biểu thuộc Đoàn ĐBQH`) and no function word (`lao động của bộ LĐ-TB&XH`).
    let qualifier =
        |w: &str| !w.chars().next().is_some_and(char::is_uppercase) && !crate::text::compounds::is_function_word(w);
    (0..words.len().saturating_sub(1))
        .any(|i| eq(words[i], head[0]) && eq(words[i + 1], head[1]) && words[i + 2..].iter().all(|w| qualifier(w)))
}

/// The words joined to `text[range]` by a hyphen or a slash (`TT` in `CSGT-TT`).
pub(super) fn compound_neighbours<'t>(text: &'t str, range: &Range<usize>) -> impl Iterator<Item = &'t str> {
    let before = text[..range.start]
        .strip_suffix(['-', '/', '&'])
        .map(|b| {
            let start = b
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_word_char(*c))
                .last()
                .map_or(b.len(), |(i, _)| i);
            &b[start..]
        })
        .filter(|w| !w.is_empty());
    let after = text[range.end..]
        .strip_prefix(['-', '/', '&'])
        .map(|a| &a[..a.find(|c: char| !is_word_char(c)).unwrap_or(a.len())])
        .filter(|w| !w.is_empty());
    before.into_iter().chain(after)
}

/// Top-level domains that make a dotted word a web address.
const WEB_DOMAINS: &[&str] = &["vn", "com", "net", "org", "info", "gov", "edu"];

/// Whether `text[range]` is part of a web address: a top-level domain glued after it
/// (`ANTT.VN`, a site's name used as a credit), `www.` before it, or it is that domain. A site's name is
/// not an abbreviation to spell out (judged on real news, round 22).
pub(super) fn in_web_address(text: &str, range: &Range<usize>) -> bool {
    let head = &text.as_bytes()[..range.start];
    if head.len() >= 4 && head[head.len() - 4..].eq_ignore_ascii_case(b"www.") {
        return true;
    }
    // The domain itself (`VN` of `ANTT.VN`).
    let glued_after_dot = text[..range.start]
        .strip_suffix('.')
        .is_some_and(|b| b.chars().next_back().is_some_and(is_word_char));
    if glued_after_dot && WEB_DOMAINS.iter().any(|d| text[range.clone()].eq_ignore_ascii_case(d)) {
        return true;
    }
    let Some(after) = text[range.end..].strip_prefix('.') else {
        return false;
    };
    let tld = &after[..after.find(|c: char| !is_word_char(c)).unwrap_or(after.len())];
    WEB_DOMAINS.iter().any(|d| tld.eq_ignore_ascii_case(d))
}

/// How far (in characters) [`in_document_number`] looks on each side.
const DOCUMENT_NUMBER_REACH: usize = 64;

/// Whether `text[range]` is part of a document's number (`01/2001/TTLT-BTP-BCA-TANDTC`,
/// `100/2019/NĐ-CP`): a run of letters, digits, `/` and `-` around it that holds a digit
/// and a `/`. Its parts are the issuing bodies' codes, never spelt out (judged on real news,
/// round 24), also when an en dash joins them (`01/2010/NQ–HĐTP`, round 61).
pub(super) fn in_document_number(text: &str, range: &Range<usize>) -> bool {
    let part = |c: char| c.is_alphanumeric() || matches!(c, '/' | '-' | '–');
    // A bounded window each side: every abbreviation asks, so a long run must not make
    // the block quadratic.
    let start = text[..range.start]
        .char_indices()
        .rev()
        .take(DOCUMENT_NUMBER_REACH)
        .take_while(|&(_, c)| part(c))
        .last()
        .map_or(range.start, |(i, _)| i);
    let end = text[range.end..]
        .char_indices()
        .take(DOCUMENT_NUMBER_REACH)
        .find(|&(_, c)| !part(c))
        .map_or_else(
            || {
                range.end
                    + text[range.end..]
                        .chars()
                        .take(DOCUMENT_NUMBER_REACH)
                        .map(char::len_utf8)
                        .sum::<usize>()
            },
            |(i, _)| range.end + i,
        );
    let run = &text[start..end];
    let is_number = |run: &str| run.contains('/') && run.contains(|c: char| c.is_ascii_digit());
    if is_number(run) {
        return true;
    }
    // `số 133/QĐ - CSĐT`: the number's last code after a spaced dash (judged on real news,
    // round 30: expanded, `CSĐT` broke the citation), or a dash spaced after only
    // (`304/2016/TT- BTC`, round 65), or before only (`13/HD -MTTQ - BTT`, round 73).
    let dash_glued = run.starts_with(['-', '–']);
    let head = if dash_glued {
        text[..start].strip_suffix(' ')
    } else {
        ["- ", "– "]
            .iter()
            .find_map(|d| text[..start].strip_suffix(d))
            .map(|h| h.strip_suffix(' ').unwrap_or(h))
    };
    let Some(mut head) = head else {
        return false;
    };
    // The run before, or (a code with its dash glued on, `-MTTQ`) the one before it.
    for _ in 0..2 {
        let head_start = head
            .char_indices()
            .rev()
            .take(DOCUMENT_NUMBER_REACH)
            .take_while(|&(_, c)| part(c))
            .last()
            .map_or(head.len(), |(i, _)| i);
        let previous = &head[head_start..];
        if is_number(previous) && previous.ends_with(|c: char| c.is_uppercase()) {
            return true;
        }
        match (previous.starts_with(['-', '–']), head[..head_start].strip_suffix(' ')) {
            (true, Some(before)) => head = before,
            _ => return false,
        }
    }
    false
}

/// Whether one of `cues` (`viết tắt là`) ends right before the short form at `range`, one
/// space between: the text defines it in words (`Bộ Tài chính viết tắt là BTC`).
pub(super) fn defined_in_words(text: &str, range: &Range<usize>, cues: &[String]) -> bool {
    let Some(before) = text[..range.start].strip_suffix(' ') else {
        return false;
    };
    cues.iter().any(|cue| {
        before
            .strip_suffix(cue.as_str())
            .is_some_and(|b| b.is_empty() || b.ends_with(|c: char| !is_word_char(c)))
    })
}

/// `(ABC)` around `range`, with a word somewhere before the parenthesis.
pub(super) fn is_parenthesized_definition(text: &str, range: &Range<usize>) -> bool {
    let before = context::before(text, range.start, CONTEXT_BYTES).trim_end();
    let after = text[range.end..].trim_start();
    if !after.starts_with(')') {
        return false;
    }
    // `Bộ đánh giá tuân thủ cơ bản (Basic Compliance Assessment - BCA)`: the name in English,
    // then the abbreviation (judged FALSE on real news, round 71: written out as `Bộ Công an`).
    let before = match before.strip_suffix(['-', '–', ',']) {
        Some(name) => match name.rfind('(') {
            Some(open) if english_name(&name[open + 1..]) => &name[..=open],
            _ => return false,
        },
        None => before,
    };
    let Some(before_paren) = before.strip_suffix('(') else {
        return false;
    };
    before_paren.trim_end().chars().next_back().is_some_and(is_word_char)
}

/// Whether `words` is a name in English (or another language written in ASCII): two words or
/// more, the first capitalized, no bracket.
fn english_name(words: &str) -> bool {
    let words: Vec<&str> = words.split_whitespace().collect();
    words.len() >= 2
        && words[0].starts_with(|c: char| c.is_ascii_uppercase())
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '&' | '\'' | '.'))
        })
}

/// Whether `range` is one of two or more abbreviations that together fill parentheses after
/// their long forms: `Hội đồng Bảo an Liên Hợp Quốc (HĐBA LHQ)`, the definition of a compound
/// abbreviation, whose parts are not uses to expand; the parts may be joined by `&` or a
/// lower-case word (`Phòng cháy chữa cháy và Cứu nạn, cứu hộ (PCCC&CNCH)`: judged FALSE on
/// real news, rounds 86 and 87, where `CNCH` was reported undefined).
/// The last part's long form stands right before the parenthesis (not `Tony (TP HCM)`), an
/// earlier part's within the window before it.
pub(super) fn in_compound_definition(text: &str, range: &Range<usize>, long: &str) -> bool {
    // Called for every abbreviation: each look reads a window, not the whole block.
    let behind = context::before(text, range.start, CONTEXT_BYTES);
    let Some(open) = behind.rfind('(').map(|i| range.start - behind.len() + i) else {
        return false;
    };
    let Some(close) = context::after(text, range.end, CONTEXT_BYTES)
        .find(')')
        .map(|i| range.end + i)
    else {
        return false;
    };
    let inner = &text[open + 1..close];
    let tokens: Vec<&str> = inner
        .split(|c: char| c.is_whitespace() || c == '&')
        .filter(|t| !t.is_empty())
        .collect();
    let parts: Vec<&str> = tokens.iter().copied().filter(|t| is_caps_token(t)).collect();
    let joiner = |t: &str| t.chars().all(char::is_lowercase);
    if parts.len() < 2 || !tokens.iter().all(|t| is_caps_token(t) || joiner(t)) {
        return false;
    }
    // Commas inside the full form are the writer's (`Cứu nạn cứu hộ (PCCC&CNCH)` for `cứu nạn,
    // cứu hộ`: judged FALSE on real news, round 96).
    let commaless = |s: &str| s.to_lowercase().replace(", ", " ");
    let before = commaless(context::before(text, open, CONTEXT_BYTES).trim_end());
    let long = commaless(long);
    if parts.last().is_some_and(|last| *last == &text[range.clone()]) {
        before.ends_with(&long)
    } else {
        before.contains(&long)
    }
}

/// Whether brackets right after `end` hold one abbreviation other than `short`
/// (`an toàn thực phẩm (VSATTP)` for `ATTP`): the full form before them ends another's.
pub(super) fn defines_another(text: &str, end: usize, short: &str) -> bool {
    let after = context::after(text, end, CONTEXT_BYTES);
    let Some(inner) = after.trim_start_matches([' ', '\u{A0}']).strip_prefix('(') else {
        return false;
    };
    inner
        .split_once(')')
        .is_some_and(|(token, _)| token != short && is_caps_token(token) && !token.contains(char::is_whitespace))
}

/// At least two letters, all of them capitals (`HĐND`, `ĐBQH`, `H5N1`).
pub(super) fn is_caps_token(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

/// Roman numerals as Vietnamese news writes them (`XIII`, `XX`, `IV`).
pub(super) fn is_roman(s: &str) -> bool {
    s.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}
