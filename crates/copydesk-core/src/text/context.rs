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
}
