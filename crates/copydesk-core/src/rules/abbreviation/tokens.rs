//! The shape of a token and of what stands right around it: a definition's `(SHORT)`, an
//! all-caps token, a Roman numeral, the words joined to it by a hyphen or a slash.

use std::ops::Range;

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

/// `(ABC)` around `range`, with a word somewhere before the parenthesis.
pub(super) fn is_parenthesized_definition(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].trim_end();
    let after = text[range.end..].trim_start();
    let Some(before_paren) = before.strip_suffix('(') else {
        return false;
    };
    after.starts_with(')') && before_paren.trim_end().chars().next_back().is_some_and(is_word_char)
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
