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
    key_span(text, &format!("rule[{index}].{path}"))
}

/// Span of a dotted key path from the file's root (`overrides[0].rules."quotes".mode`, with
/// keys that hold dots quoted): the deepest key of the path the file has, or the value's
/// span when the path ends at an index.
pub fn key_span(text: &str, path: &str) -> Option<Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut current: Option<&toml::Spanned<DeValue<'_>>> = None;
    let mut best = None;
    for seg in segments(path) {
        match seg {
            Segment::Key(key) => {
                if let Some(v) = current {
                    let DeValue::Table(t) = v.get_ref() else {
                        return best;
                    };
                    table = t;
                }
                let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref() == key) else {
                    return best;
                };
                best = Some(k.span());
                current = Some(v);
            }
            Segment::Index(i) => {
                let Some(DeValue::Array(arr)) = current.map(|v| v.get_ref()) else {
                    return best;
                };
                let Some(v) = arr.get(i) else {
                    return best;
                };
                best = Some(v.span());
                current = Some(v);
            }
        }
    }
    best
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            out.push(Segment::Key(&quoted[..end]));
            rest = quoted.get(end + 1..).unwrap_or("");
        } else if let Some(stripped) = rest.strip_prefix('[') {
            let Some(end) = stripped.find(']') else { break };
            if let Ok(i) = stripped[..end].parse() {
                out.push(Segment::Index(i));
            }
            rest = &stripped[end + 1..];
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end > 0 {
                out.push(Segment::Key(&rest[..end]));
            }
            rest = &rest[end..];
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

    #[test]
    fn finds_keys_from_the_root_with_quoted_segments() {
        let text = "[rules]\n\"abbr.definition\" = { checks = { long = \"off\" } }\n\n[[overrides]]\nfiles = [\"a/**\"]\n[overrides.rules]\n\"quotes\" = { mode = \"x\" }\n";
        let span = key_span(text, "rules.\"abbr.definition\".checks.long").unwrap();
        assert_eq!(&text[span.clone()], "long");
        assert_eq!(super::super::error::line_col(text, span.start), (2, 34));
        let span = key_span(text, "overrides[0].rules.\"quotes\".mode").unwrap();
        assert_eq!(&text[span], "mode");
        // A path the file lacks stops at the deepest key it has.
        let span = key_span(text, "rules.\"abbr.definition\".nothing").unwrap();
        assert_eq!(&text[span], "\"abbr.definition\"");
        assert_eq!(key_span(text, "nothing"), None);
    }
}
