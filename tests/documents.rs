//! Prose extraction keeps exact offsets: every block's masked text has the length of its
//! source range, and every unmasked byte equals the source byte.

use copydesk::document::{Document, Format, MASK};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Hòa",
        "Ho\u{300}a",
        "😀",
        " ",
        "\n",
        "\r\n",
        "\n\n",
        "# ",
        "> ",
        "- ",
        "* ",
        "1. ",
        "`code`",
        "```\n",
        "**",
        "_",
        "[a](http://x.vn)",
        "<http://y.vn>",
        "<b>",
        "<!-- copydesk-disable -->",
        "| a | b |\n|---|---|\n",
        "---\n",
        "title: Tít\n",
        "\\*",
        "&amp;",
        "https://z.vn/a.b",
        "x@y.vn",
        "“",
        "\"",
        "ANTT",
        "81.500",
    ])
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..50).prop_map(|v| v.concat())
}

fn assert_exact(doc: &Document) -> Result<(), TestCaseError> {
    let src = doc.text().as_bytes();
    let mut last_start = 0;
    for b in doc.blocks() {
        prop_assert!(b.range.start >= last_start, "blocks are in document order");
        last_start = b.range.start;
        prop_assert_eq!(b.text.len(), b.range.len());
        prop_assert!(doc.text().is_char_boundary(b.range.start) && doc.text().is_char_boundary(b.range.end));
        for (i, &byte) in b.text.as_bytes().iter().enumerate() {
            if byte != MASK {
                prop_assert_eq!(byte, src[b.range.start + i]);
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn markdown_blocks_have_exact_offsets(t in text()) {
        assert_exact(&Document::new(t, Format::Markdown))?;
    }

    #[test]
    fn plain_blocks_have_exact_offsets(t in text()) {
        assert_exact(&Document::new(t, Format::Plain))?;
    }
}

#[test]
fn code_html_and_link_targets_are_not_prose() {
    let doc = Document::markdown("# Tít\n\nXem `\"mã\"` ở <span title=\"x\">đây</span> và [đó](https://a.vn/\"q\").\n");
    let body = &doc.blocks()[1];
    assert!(!body.text.contains('"'), "{:?}", body.text);
    assert!(body.text.contains("đây") && body.text.contains("đó"));
}

#[test]
fn empty_and_whitespace_documents_have_no_blocks() {
    for t in ["", "\n\n", "   \r\n\t", "```\ncode\n```\n"] {
        assert!(Document::markdown(t).blocks().is_empty(), "{t:?}");
        if !t.contains('`') {
            assert!(Document::plain(t).blocks().is_empty(), "{t:?}");
        }
    }
}
