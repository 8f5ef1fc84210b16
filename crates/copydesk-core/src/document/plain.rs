//! Plain text: the first non-empty line is the headline; blank lines separate paragraphs.

use std::ops::Range;

use super::suppress::{parse_directive_line, Directive};
use super::{block_from_ranges, Block, Scope, ScopeSet};

pub(super) fn extract(text: &str, detect_headline: bool) -> (Vec<Block>, Vec<Directive>) {
    let mut blocks = Vec::new();
    let mut directives = Vec::new();
    let mut paragraph: Option<Range<usize>> = None;
    let mut headline_done = !detect_headline;
    let body = ScopeSet::empty().with(Scope::Body);

    let flush = |paragraph: &mut Option<Range<usize>>, blocks: &mut Vec<Block>| {
        if let Some(p) = paragraph.take() {
            blocks.extend(block_from_ranges(text, &[p], body));
        }
    };

    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        // A lone `\r` also ends a line, as LSP counts lines.
        let mut part_start = start;
        for part in content.split('\r') {
            let range = part_start..part_start + part.len();
            part_start = range.end + 1;
            let trimmed = part.trim();
            if let Some(d) = parse_directive_line(trimmed, range.start) {
                flush(&mut paragraph, &mut blocks);
                directives.push(d);
                continue;
            }
            if trimmed.is_empty() {
                flush(&mut paragraph, &mut blocks);
                continue;
            }
            if !headline_done {
                headline_done = true;
                let lead = part.len() - part.trim_start().len();
                let headline = range.start + lead..range.start + lead + trimmed.len();
                let scopes = ScopeSet::empty().with(Scope::Headline).with(Scope::Heading);
                blocks.extend(block_from_ranges(text, &[headline], scopes));
                continue;
            }
            paragraph = Some(match paragraph {
                Some(p) => p.start..range.end,
                None => range,
            });
        }
    }
    flush(&mut paragraph, &mut blocks);
    (blocks, directives)
}

#[cfg(test)]
mod tests {
    use crate::document::Document;

    #[test]
    fn headline_then_paragraphs() {
        let doc = Document::plain("\n  Tít bài\r\nDòng một\r\ndòng hai\r\n\r\nĐoạn hai");
        let b = doc.blocks();
        assert_eq!(b.len(), 3);
        assert!(b[0].is_headline());
        assert_eq!(&doc.text()[b[0].range.clone()], "Tít bài");
        assert_eq!(b[1].text, "Dòng một\r\ndòng hai");
        assert_eq!(b[2].text, "Đoạn hai");
    }

    #[test]
    fn directive_lines_are_not_prose() {
        let doc = Document::plain("Tít\n<!-- copydesk-disable-next-line quotes -->\nCâu \"a\".\n");
        assert_eq!(doc.blocks().len(), 2);
        assert_eq!(doc.blocks()[1].text, "Câu \"a\".");
    }
}
