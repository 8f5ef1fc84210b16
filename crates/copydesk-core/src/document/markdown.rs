//! Markdown through pulldown-cmark's offset events. Prose is exactly the byte ranges of
//! `Text` and line-break events inside paragraphs, headings, list items and table cells;
//! code, HTML, link targets, autolinks, images and front matter (except `title`) never
//! reach a rule.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::suppress::{parse_html_directives, Directive};
use super::{block_from_ranges, Block, Scope, ScopeSet};

struct Pending {
    ranges: Vec<Range<usize>>,
    scopes: ScopeSet,
}

pub(super) fn extract(text: &str) -> (Vec<Block>, Vec<Directive>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut blocks = Vec::new();
    let mut directives = Vec::new();
    let mut stack: Vec<Pending> = Vec::new();
    let mut quote_depth = 0usize;
    let mut list_depth = 0usize;
    // Inside code blocks, images, autolinks and metadata nothing is prose.
    let mut opaque_depth = 0usize;
    let mut in_metadata = false;
    // For each open link, whether it is an autolink (and so raised `opaque_depth`).
    let mut links: Vec<bool> = Vec::new();
    let mut have_headline = false;

    let base_scopes = |quote: usize, list: usize| {
        let mut s = ScopeSet::empty().with(Scope::Body);
        if quote > 0 {
            s = s.with(Scope::Quote);
        }
        if list > 0 {
            s = s.with(Scope::List);
        }
        s
    };

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => stack.push(Pending {
                    ranges: Vec::new(),
                    scopes: base_scopes(quote_depth, list_depth),
                }),
                Tag::Item => stack.push(Pending {
                    ranges: Vec::new(),
                    scopes: base_scopes(quote_depth, list_depth),
                }),
                Tag::TableCell => stack.push(Pending {
                    ranges: Vec::new(),
                    scopes: ScopeSet::empty().with(Scope::Body).with(Scope::Table),
                }),
                Tag::Heading { level, .. } => {
                    let mut scopes = ScopeSet::empty().with(Scope::Heading);
                    if level == HeadingLevel::H1 && !have_headline {
                        have_headline = true;
                        scopes = scopes.with(Scope::Headline);
                    }
                    stack.push(Pending {
                        ranges: Vec::new(),
                        scopes,
                    });
                }
                Tag::BlockQuote(_) => quote_depth += 1,
                Tag::List(_) => list_depth += 1,
                Tag::CodeBlock(_) | Tag::Image { .. } => opaque_depth += 1,
                Tag::Link { link_type, .. } => {
                    let auto = matches!(link_type, LinkType::Autolink | LinkType::Email);
                    opaque_depth += usize::from(auto);
                    links.push(auto);
                }
                Tag::MetadataBlock(MetadataBlockKind::YamlStyle) => {
                    opaque_depth += 1;
                    in_metadata = true;
                }
                Tag::MetadataBlock(_) => opaque_depth += 1,
                Tag::HtmlBlock => {}
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_) => {
                    if let Some(p) = stack.pop() {
                        blocks.extend(block_from_ranges(text, &p.ranges, p.scopes));
                    }
                }
                TagEnd::BlockQuote(_) => quote_depth = quote_depth.saturating_sub(1),
                TagEnd::List(_) => list_depth = list_depth.saturating_sub(1),
                TagEnd::CodeBlock | TagEnd::Image | TagEnd::MetadataBlock(_) => {
                    opaque_depth = opaque_depth.saturating_sub(1);
                    in_metadata = false;
                }
                TagEnd::Link if links.pop() == Some(true) => {
                    opaque_depth = opaque_depth.saturating_sub(1);
                }
                _ => {}
            },
            Event::Text(_) if in_metadata => {
                if let Some(title) = front_matter_title(text, range.clone()) {
                    have_headline = true;
                    let scopes = ScopeSet::empty().with(Scope::Headline).with(Scope::Heading);
                    blocks.extend(block_from_ranges(text, &[title], scopes));
                }
            }
            Event::Text(_) | Event::SoftBreak if opaque_depth == 0 => {
                if let Some(p) = stack.last_mut() {
                    p.ranges.push(range);
                }
            }
            Event::HardBreak if opaque_depth == 0 => {
                // Keep only the line break itself: the two trailing spaces or the
                // backslash that make a hard break are markup.
                let s = &text[range.clone()];
                let nl = s.find(['\r', '\n']).unwrap_or(s.len());
                if let Some(p) = stack.last_mut() {
                    p.ranges.push(range.start + nl..range.end);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                directives.extend(parse_html_directives(&text[range.clone()], range.start));
            }
            _ => {}
        }
    }
    blocks.sort_by_key(|b| b.range.start);
    (blocks, directives)
}

/// The value of a `title:` line in YAML front matter, without quotes.
fn front_matter_title(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let mut pos = range.start;
    for line in text[range].split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let Some(rest) = content.strip_prefix("title:") else {
            continue;
        };
        let value_start = start + "title:".len() + (rest.len() - rest.trim_start().len());
        let value = rest.trim();
        let (s, e) = if value.len() >= 2
            && ((value.starts_with('"') && value.ends_with('"')) || (value.starts_with('\'') && value.ends_with('\'')))
        {
            (value_start + 1, value_start + value.len() - 1)
        } else {
            (value_start, value_start + value.len())
        };
        return (s < e).then_some(s..e);
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::document::{Document, Scope};

    fn prose(doc: &Document) -> Vec<String> {
        doc.blocks().iter().map(|b| b.text.replace('\u{1A}', "·")).collect()
    }

    #[test]
    fn markup_code_and_links_are_masked_in_place() {
        let src = "# Tít **đậm**\n\nĐoạn có `mã` và [liên kết](https://x.vn) <span>x</span>.\n\n```\n\"code\"\n```\n";
        let doc = Document::markdown(src);
        assert_eq!(
            prose(&doc),
            ["Tít ··đậm", "Đoạn có ····· và ·liên kết··············· ······x·······."]
        );
        assert!(doc.blocks()[0].scopes.contains(Scope::Headline));
        for b in doc.blocks() {
            assert_eq!(b.text.len(), b.range.len());
        }
    }

    #[test]
    fn front_matter_title_is_the_headline() {
        let src = "---\ntitle: \"Tít bài\"\ndate: 2025-01-01\n---\n\n# Phần một\n\nThân bài.\n";
        let doc = Document::markdown(src);
        let b = doc.blocks();
        assert_eq!(b[0].text, "Tít bài");
        assert!(b[0].scopes.contains(Scope::Headline));
        assert!(!b[1].scopes.contains(Scope::Headline));
        assert_eq!(b.len(), 3);
    }

    #[test]
    fn lists_quotes_tables_and_autolinks() {
        let src = "- mục một\n- mục <https://a.vn> hai\n\n> trích dẫn\n> tiếp\n\n| a | b |\n|---|---|\n| ô1 | ô2 |\n";
        let doc = Document::markdown(src);
        let texts = prose(&doc);
        assert!(texts.contains(&"mục một".to_string()));
        assert!(texts.iter().any(|t| t.starts_with("mục ····")));
        let quote = doc.blocks().iter().find(|b| b.scopes.contains(Scope::Quote)).unwrap();
        assert_eq!(quote.text, "trích dẫn\n\u{1A}\u{1A}tiếp");
        assert!(doc
            .blocks()
            .iter()
            .any(|b| b.scopes.contains(Scope::Table) && b.text == "ô1"));
    }
}
