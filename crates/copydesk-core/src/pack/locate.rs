//! Finding the byte span of a key inside a rule file, for error positions.
//!
//! The file is re-parsed with toml's span-keeping `DeTable` only when an error needs a
//! position, so the normal load path stays a plain `toml::from_str`.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// Span of the `index`-th `[[rule]]` table.
pub fn rule_span(text: &str, index: usize) -> Option<Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let rules = root.get_ref().iter().find(|(k, _)| k.get_ref() == "rule")?.1;
    match rules.get_ref() {
        DeValue::Array(a) => a.get(index).map(|v| v.span()),
        _ => None,
    }
}

/// Span of a dotted key path (`terms[3].pattern`) inside the `index`-th rule: the
/// key's span when the path ends at a key, the value's span otherwise.
pub fn rule_key_span(text: &str, index: usize, path: &str) -> Option<Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let rules = root.get_ref().iter().find(|(k, _)| k.get_ref() == "rule")?.1;
    let DeValue::Array(a) = rules.get_ref() else {
        return None;
    };
    let mut current = a.get(index)?;
    let mut best = current.span();
    for seg in segments(path) {
        match seg {
            Segment::Key(key) => {
                let DeValue::Table(t) = current.get_ref() else {
                    return Some(best);
                };
                let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref() == key) else {
                    return Some(best);
                };
                best = k.span();
                current = v;
            }
            Segment::Index(i) => {
                let DeValue::Array(arr) = current.get_ref() else {
                    return Some(best);
                };
                let Some(v) = arr.get(i) else {
                    return Some(best);
                };
                best = v.span();
                current = v;
            }
        }
    }
    Some(best)
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let Some(end) = stripped.find(']') else { break };
            if let Ok(i) = stripped[..end].parse() {
                out.push(Segment::Index(i));
            }
            rest = &stripped[end + 1..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys() {
        let text = "[[rule]]\nid = \"a\"\n\n[[rule]]\nid = \"b\"\nterms = [\n  { wrong = \"x\" },\n  { pattern = \"(\" },\n]\n";
        let span = rule_key_span(text, 1, "terms[1].pattern").unwrap();
        assert_eq!(&text[span], "pattern");
        let span = rule_key_span(text, 1, "id").unwrap();
        assert_eq!(&text[span.clone()], "id");
        assert!(span.start > 20);
    }
}
