//! Letter case: detecting the case shape of a match and carrying it over to a fix.

/// How a word or phrase is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseShape {
    /// no upper-case letters
    Lower,
    /// first letter upper case, the rest lower case
    Capitalized,
    /// every letter upper case (and at least two letters)
    Upper,
    /// anything else
    Mixed,
}

pub fn case_shape(s: &str) -> CaseShape {
    let mut letters = s.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return CaseShape::Lower;
    };
    let rest: Vec<char> = letters.collect();
    let rest_upper = rest.iter().filter(|c| c.is_uppercase()).count();
    if first.is_uppercase() {
        if !rest.is_empty() && rest_upper == rest.len() {
            CaseShape::Upper
        } else if rest_upper == 0 {
            CaseShape::Capitalized
        } else {
            CaseShape::Mixed
        }
    } else if rest_upper == 0 {
        CaseShape::Lower
    } else {
        CaseShape::Mixed
    }
}

/// Upper-cases the first letter of `s`.
pub fn capitalize_first(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut done = false;
    for c in s.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// Lower-cases the first letter of `s`.
pub fn lowercase_first(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut done = false;
    for c in s.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_lowercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// Gives `replacement` the case shape of `found` when that shape was forced on it
/// (sentence start, all-caps run): `Sát nhập` → `Sáp nhập`, `SÁT NHẬP` → `SÁP NHẬP`.
/// A replacement that has capitals of its own keeps them unless `found` is all caps.
pub fn match_case(found: &str, replacement: &str) -> String {
    match case_shape(found) {
        CaseShape::Upper if replacement.chars().filter(|c| c.is_alphabetic()).count() > 1 => replacement.to_uppercase(),
        CaseShape::Capitalized | CaseShape::Upper => capitalize_first(replacement),
        _ => replacement.to_string(),
    }
}

/// Whether byte `offset` of `text` begins a sentence: only spaces, quotes and opening
/// brackets stand between it and the start of the text or a `.`, `!`, `?` or `…`.
/// Callers with abbreviation knowledge (the `sentence` kind) refine this.
pub fn is_sentence_start(text: &str, offset: usize) -> bool {
    for c in text[..offset].chars().rev() {
        match c {
            c if c.is_whitespace() => continue,
            '"' | '\'' | '“' | '‘' | '«' | '(' | '[' | '-' | '–' | '—' | '*' | '_' => continue,
            '\u{1A}' => continue,
            '.' | '!' | '?' | '…' | ':' => return true,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_matching() {
        assert_eq!(case_shape("sát nhập"), CaseShape::Lower);
        assert_eq!(case_shape("Sát nhập"), CaseShape::Capitalized);
        assert_eq!(case_shape("SÁT NHẬP"), CaseShape::Upper);
        assert_eq!(match_case("Sát nhập", "sáp nhập"), "Sáp nhập");
        assert_eq!(match_case("SÁT NHẬP", "sáp nhập"), "SÁP NHẬP");
        assert_eq!(match_case("sát nhập", "sáp nhập"), "sáp nhập");
        assert!(is_sentence_start("Xong. “Anh", 9));
        assert!(!is_sentence_start("xong, anh", 7));
    }
}
