//! Bounded reading around a position. A rule that looks back or ahead from each finding for
//! a bracket or a clause boundary must not read the whole text each time, or a long block
//! with many findings becomes quadratic: it reads a window instead.

/// How far, in bytes, a rule reads around a position for its context: a clause of forty-odd
/// Vietnamese words.
pub const CONTEXT_BYTES: usize = 256;

/// The at most `max` bytes of `text` that end at `at` (fewer where a character would be cut).
pub fn before(text: &str, at: usize, max: usize) -> &str {
    let mut start = at.saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..at]
}

/// The at most `max` bytes of `text` that start at `at` (fewer where a character would be cut).
pub fn after(text: &str, at: usize, max: usize) -> &str {
    let mut end = at.saturating_add(max).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[at..end]
}

/// How far back, in bytes, [`in_a_credits_reach`] looks for a credit's label.
const CREDIT_REACH: usize = 64;

/// Whether a credit's label and colon (`Ảnh:`, one of `labels`) stand a few words before `at`
/// with no stop between: `at` is in the credit's names, or may start the sentence after them.
pub fn in_a_credits_reach(text: &str, at: usize, labels: &[String]) -> bool {
    let before = before(text, at, CREDIT_REACH);
    labels.iter().any(|label| {
        before.rmatch_indices(label.as_str()).next().is_some_and(|(i, _)| {
            let rest = &before[i + label.len()..];
            rest.trim_start_matches(' ').starts_with(':') && !rest.contains(['.', '!', '?', '\n'])
        })
    })
}

/// The text before and after `range` on its line, at most `reach` bytes each way.
fn on_its_line<'t>(text: &'t str, range: &std::ops::Range<usize>, reach: usize) -> (&'t str, &'t str) {
    let before = before(text, range.start, reach);
    let after = after(text, range.end, reach);
    (
        &before[before.rfind('\n').map_or(0, |i| i + 1)..],
        &after[..after.find('\n').unwrap_or(after.len())],
    )
}

/// How far, in bytes, [`in_straight_single_quotes`] looks each way.
const QUOTE_REACH: usize = 200;

/// Whether `range` sits, on its line, between two straight single marks used as quotation
/// marks: the nearest one before it opens a word (after a space, a bracket or the line's
/// start, before a letter or a digit), the nearest one after it closes one (after a letter, a
/// digit or a stop, before no letter). An apostrophe inside a word (`O'Neill`) opens nothing.
/// The block's protected spans leave such marks out (an apostrophe as often); a fix that
/// rewrites a quoted title's words asks this (`'Nâng cao … Thành phố Hà Nội năm 2022'`).
pub fn in_straight_single_quotes(text: &str, range: std::ops::Range<usize>) -> bool {
    let (before, after) = on_its_line(text, &range, QUOTE_REACH);
    let Some(open) = before.rfind('\'') else {
        return false;
    };
    let Some(close) = after.find('\'') else {
        return false;
    };
    // The character after the opening mark and the one before the closing mark, which may
    // be `range`'s own first and last (`'giám đốc phòng cảnh sát'` with `range` all of it).
    let inner = &text[range.clone()];
    let first_inside = before[open + 1..].chars().next().or_else(|| inner.chars().next());
    let last_inside = after[..close].chars().next_back().or_else(|| inner.chars().next_back());
    let opens = before[..open]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | ':' | '“' | '"'))
        && first_inside.is_some_and(char::is_alphanumeric);
    let closes = last_inside.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '!' | '?' | '…'))
        && !after[close + 1..].chars().next().is_some_and(char::is_alphabetic);
    opens && closes
}

/// How far, in bytes, [`in_curly_single_quotes`] looks each way: a spoken sentence or two.
const CURLY_SINGLE_REACH: usize = 600;

/// Whether `range` sits, on its line, inside a quotation in curly single marks (`‘Có hộp
/// được rao bán với giá 10 ngàn yên’`): the nearest of `‘` `’` before it is an opening `‘`
/// (after a space, a bracket, a colon or the line's start) and the nearest after it a `’`
/// that no letter follows. `’` is an apostrophe as often (`Đắk’Lắk`), so the block's
/// protected spans leave these marks out; a quotation nested in another (`‘… ‘cháy hàng’ …’`)
/// is not looked through. Reads at most [`CURLY_SINGLE_REACH`] bytes each way.
pub fn in_curly_single_quotes(text: &str, range: std::ops::Range<usize>) -> bool {
    let (before, after) = on_its_line(text, &range, CURLY_SINGLE_REACH);
    let Some(open) = before.rfind(['‘', '’']).filter(|&i| before[i..].starts_with('‘')) else {
        return false;
    };
    let Some(close) = after.find(['‘', '’']).filter(|&i| after[i..].starts_with('’')) else {
        return false;
    };
    let opens = before[..open]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | ':' | '“' | '"' | '-' | '–'));
    let closes = !after[close + '’'.len_utf8()..]
        .chars()
        .next()
        .is_some_and(char::is_alphabetic);
    opens && closes
}

/// The most words of a crosshead ([`in_a_crosshead_line`]): a line of its own with no stop at
/// its end. The dailies' headlines run up to about twenty words (`Luật sư của bà Trương Mỹ
/// Lan: ‘Có hơn 50.000 tỷ bồi thường cho các trái chủ’`, sixteen: a related article's title
/// in the body, judged on real news, round 82).
pub const CROSSHEAD_WORDS: usize = 20;

/// How far, in bytes, [`in_a_crosshead_line`] reads each way: twenty words and their spaces,
/// with room to spare.
const CROSSHEAD_BYTES: usize = 240;

/// Whether `range` lies in a crosshead: a line of its own (a block's whole line), at most
/// [`CROSSHEAD_WORDS`] words, a capital first and no stop at its end (`Sếp tập đoàn đồng
/// loạt đổi ‘ghế’`, a section's heading or a related article's title). Reads at most
/// [`CROSSHEAD_BYTES`] on each side (linear time).
pub fn in_a_crosshead_line(text: &str, range: std::ops::Range<usize>) -> bool {
    let before = before(text, range.start, CROSSHEAD_BYTES);
    let after = after(text, range.end, CROSSHEAD_BYTES);
    let start = match before.rfind('\n') {
        Some(i) => range.start - before.len() + i + 1,
        None if before.len() == range.start => 0,
        None => return false,
    };
    let end = match after.find('\n') {
        Some(i) => range.end + i,
        None if range.end + after.len() == text.len() => text.len(),
        None => return false,
    };
    let line = text[start..end].trim();
    line.chars().next().is_some_and(char::is_uppercase)
        && !line.ends_with(['.', '!', '?', '…', ',', ';', ':'])
        && line.split_whitespace().nth(CROSSHEAD_WORDS).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn windows_stop_at_character_boundaries() {
        let text = "ab€cd"; // € is three bytes at 2..5
        assert_eq!(before(text, 5, 2), "");
        assert_eq!(before(text, 5, 3), "€");
        assert_eq!(after(text, 2, 2), "");
        assert_eq!(after(text, 2, 4), "€c");
        assert_eq!(before(text, 2, 100), "ab");
        assert_eq!(after(text, 5, 100), "cd");
    }

    proptest! {
        #[test]
        fn a_window_is_the_longest_whole_slice_within_max(text in "[a-zđ€😀 ]{0,40}", at in 0usize..200, max in 0usize..12) {
            let at = (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap();
            let b = before(&text, at, max);
            prop_assert!(text[..at].ends_with(b) && b.len() <= max);
            prop_assert!(b.len() + 4 > max.min(at));
            let a = after(&text, at, max);
            prop_assert!(text[at..].starts_with(a) && a.len() <= max);
            prop_assert!(a.len() + 4 > max.min(text.len() - at));
        }
    }

    #[test]
    fn curly_single_quotes_around_speech() {
        // Speech in curly single marks (judged FALSE on real news, round 131).
        let t = "Chị kể: ‘Có hộp khẩu trang được rao bán với giá 10 ngàn yên’. Rồi chị về.";
        let at = t.find("ngàn").unwrap();
        assert!(in_curly_single_quotes(t, at..at + "ngàn".len()));
        // After the quotation closes, an apostrophe's `’`, a line between, a nested one closed before: no.
        let at = t.find("về").unwrap();
        assert!(!in_curly_single_quotes(t, at..at + "về".len()));
        let t = "Tỉnh Đắk’Lắk có 10 ngàn ha cà phê, Đắk’Nông ít hơn.";
        let at = t.find("ngàn").unwrap();
        assert!(!in_curly_single_quotes(t, at..at + "ngàn".len()));
        let t = "Anh nói: ‘Hàng đã hết\n10 ngàn yên một hộp’.";
        let at = t.find("ngàn").unwrap();
        assert!(!in_curly_single_quotes(t, at..at + "ngàn".len()));
        let t = "‘Khẩu trang đang ‘cháy hàng’ giá 10 ngàn yên’.";
        let at = t.find("ngàn").unwrap();
        assert!(!in_curly_single_quotes(t, at..at + "ngàn".len()));
    }

    #[test]
    fn straight_single_quotes_around_a_title() {
        let t = "tổ chức hội nghị 'Nâng cao hiệu quả cải cách hành chính Thành phố Hà Nội năm 2022'' theo hình thức";
        let at = t.find("Thành phố").unwrap();
        assert!(in_straight_single_quotes(t, at..at + "Thành phố".len()));
        // An apostrophe inside a word, a quotation closed before, a line between: no.
        let t = "Ông O'Neill đến Thành phố Hà Nội.";
        let at = t.find("Thành").unwrap();
        assert!(!in_straight_single_quotes(t, at..at + 5));
        let t = "Họ hô 'xin chào' rồi đến Thành phố Huế, 'vui' lắm.";
        let at = t.find("Thành").unwrap();
        assert!(!in_straight_single_quotes(t, at..at + 5));
        let t = "Hội nghị 'Cải cách\nThành phố Huế' đã họp.";
        let at = t.find("Thành").unwrap();
        assert!(!in_straight_single_quotes(t, at..at + 5));
        // The range may be the whole quotation, its marks right at its edges (round 82).
        let t = "Thanh niên tự xưng 'giám đốc phòng cảnh sát' lừa người";
        let at = t.find("giám").unwrap();
        assert!(in_straight_single_quotes(t, at..t.find("' lừa").unwrap()));
    }
}
