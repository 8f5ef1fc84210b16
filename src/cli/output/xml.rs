//! XML escaping shared by the Checkstyle and JUnit formats.

/// Whether XML 1.0 allows `c` at all (even as a character reference).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes an attribute value. Line breaks and tabs become character references so that
/// parsers keep them; characters XML cannot carry become U+FFFD.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

/// Escapes element text (line breaks stay as they are, except CR, which parsers drop).
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// The escaping of both: quotes, LF and tab need references only inside an attribute.
fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_breaks_and_forbidden_characters() {
        assert_eq!(attr("a<b & \"c\"\nd\u{1A}"), "a&lt;b &amp; &quot;c&quot;&#10;d\u{FFFD}");
        assert_eq!(text("x < y\nz"), "x &lt; y\nz");
        assert_eq!(attr("'a'\tb\r"), "&apos;a&apos;&#9;b&#13;");
        assert_eq!(text("\"a\" 'b'\tc\r\u{1A}"), "\"a\" 'b'\tc&#13;\u{FFFD}");
    }
}
