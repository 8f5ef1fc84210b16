//! Suppression comments: `<!-- copydesk-disable RULE... -->`, `<!-- copydesk-enable -->`
//! and `<!-- copydesk-disable-next-line RULE... -->`. With no rule named, every rule is
//! meant. A rule is named by `pack/id`, by `id`, by a dotted prefix of the id
//! (`quotes` covers `quotes.straight`) or by a pack name alone.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    Disable,
    Enable,
    DisableNextLine,
}

/// A suppression comment found in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// Rule names; empty means every rule.
    pub rules: Vec<String>,
    /// Byte range of the whole comment.
    pub range: Range<usize>,
}

static DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<!--\s*copydesk-(disable-next-line|disable|enable)\b([^>]*?)\s*-->").unwrap());
static BARE_DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^copydesk-(disable-next-line|disable|enable)\b(.*)$").unwrap());

fn make(kind: &str, rules: &str, range: Range<usize>) -> Directive {
    let kind = match kind {
        "disable" => DirectiveKind::Disable,
        "enable" => DirectiveKind::Enable,
        _ => DirectiveKind::DisableNextLine,
    };
    let rules = rules
        .split([' ', ',', '\t'])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Directive { kind, rules, range }
}

/// Every directive inside an HTML fragment starting at byte `base`.
pub(crate) fn parse_html_directives(html: &str, base: usize) -> Vec<Directive> {
    DIRECTIVE
        .captures_iter(html)
        .map(|c| {
            let m = c.get(0).unwrap();
            make(&c[1], &c[2], base + m.start()..base + m.end())
        })
        .collect()
}

/// A directive standing alone on a plain-text line (`trimmed` has no surrounding space),
/// with or without the comment markers.
pub(crate) fn parse_directive_line(trimmed: &str, line_start: usize) -> Option<Directive> {
    if !trimmed.contains("copydesk-") {
        return None;
    }
    if let Some(c) = DIRECTIVE.captures(trimmed) {
        let m = c.get(0).unwrap();
        if m.start() == 0 && m.end() == trimmed.len() {
            return Some(make(&c[1], &c[2], line_start..line_start + trimmed.len()));
        }
        return None;
    }
    BARE_DIRECTIVE
        .captures(trimmed)
        .map(|c| make(&c[1], &c[2], line_start..line_start + trimmed.len()))
}

/// Whether the rule name written in a directive covers a rule.
pub fn rule_matches(pattern: &str, pack: &str, id: &str) -> bool {
    if let Some((p, rest)) = pattern.split_once('/') {
        return p == pack && (rest == id || id.starts_with(&format!("{rest}.")));
    }
    pattern == id || pattern == pack || id.starts_with(&format!("{pattern}."))
}

#[derive(Debug, Clone)]
struct Span {
    /// Zero-based lines, end exclusive.
    lines: Range<usize>,
    rules: Vec<String>,
}

/// Which lines have which rules switched off.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    spans: Vec<Span>,
    directives: Vec<Directive>,
}

impl Suppressions {
    pub fn new(directives: Vec<Directive>, lines: &LineIndex) -> Self {
        let mut spans = Vec::new();
        let mut open: Vec<(usize, Vec<String>)> = Vec::new();
        for d in &directives {
            let first = lines.position(d.range.start, Default::default()).line;
            let last = lines.position(d.range.end, Default::default()).line;
            match d.kind {
                DirectiveKind::DisableNextLine => spans.push(Span {
                    lines: last + 1..last + 2,
                    rules: d.rules.clone(),
                }),
                DirectiveKind::Disable => open.push((first, d.rules.clone())),
                DirectiveKind::Enable => {
                    let (closing, keep): (Vec<_>, Vec<_>) = open
                        .drain(..)
                        .partition(|(_, r)| d.rules.is_empty() || r.iter().any(|x| d.rules.contains(x)));
                    open = keep;
                    for (start, rules) in closing {
                        spans.push(Span {
                            lines: start..first + 1,
                            rules,
                        });
                    }
                }
            }
        }
        for (start, rules) in open {
            spans.push(Span {
                lines: start..usize::MAX,
                rules,
            });
        }
        Suppressions { spans, directives }
    }

    /// Whether rule `pack/id` is switched off on zero-based `line`.
    pub fn is_suppressed(&self, line: usize, pack: &str, id: &str) -> bool {
        self.spans.iter().any(|s| {
            s.lines.contains(&line) && (s.rules.is_empty() || s.rules.iter().any(|r| rule_matches(r, pack, id)))
        })
    }

    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_match_by_id_prefix_and_pack() {
        assert!(rule_matches("quotes", "vi-news", "quotes.straight"));
        assert!(rule_matches("vi-news/quotes.straight", "vi-news", "quotes.straight"));
        assert!(rule_matches("vi-news", "vi-news", "quotes.straight"));
        assert!(!rule_matches("quote", "vi-news", "quotes.straight"));
        assert!(!rule_matches("other/quotes", "vi-news", "quotes.straight"));
    }

    #[test]
    fn disable_enable_and_next_line() {
        let text = "a\n<!-- copydesk-disable quotes -->\nb\n<!-- copydesk-enable -->\nc\n<!-- copydesk-disable-next-line -->\nd\ne";
        let idx = LineIndex::new(text);
        let ds = parse_html_directives(text, 0);
        assert_eq!(ds.len(), 3);
        let s = Suppressions::new(ds, &idx);
        assert!(!s.is_suppressed(0, "p", "quotes.straight"));
        assert!(s.is_suppressed(2, "p", "quotes.straight"));
        assert!(!s.is_suppressed(2, "p", "typography.space"));
        assert!(!s.is_suppressed(4, "p", "quotes.straight"));
        assert!(s.is_suppressed(6, "p", "anything"));
        assert!(!s.is_suppressed(7, "p", "anything"));
    }
}
