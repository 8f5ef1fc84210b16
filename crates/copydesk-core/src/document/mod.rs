//! Documents: the source text, the prose blocks inside it and the suppression comments.
//!
//! Extraction never re-searches the text for a position: every block carries its exact
//! byte range in the source, and a masked copy of that range in which everything that is
//! not prose (Markdown markup, inline code, HTML, link targets, URLs) is replaced byte for
//! byte by [`MASK`]. Rules read the masked copy, so an offset in it is an offset in the
//! source, shifted by the block's start.

pub mod docx;
pub mod docx_write;
pub mod html;
mod markdown;
mod plain;
pub mod suppress;

use std::ops::Range;
use std::path::Path;

use crate::text::LineIndex;
pub use suppress::Suppressions;

/// The byte that stands in for masked (non-prose) bytes. It is neither a word character
/// nor white space, so it breaks words and is never taken for a double space.
pub const MASK: u8 = 0x1A;
/// [`MASK`] as a `char`.
pub const MASK_CHAR: char = '\u{1A}';

/// How a file's text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Plain,
    Markdown,
    /// An HTML page: the checked text is extracted from it, and findings are mapped back
    /// to the page's bytes (see [`html`]).
    Html,
}

impl Format {
    /// The format for a path, from its extension; plain text for anything unknown.
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
        {
            Some(e) if e == "md" || e == "markdown" || e == "mdx" => Format::Markdown,
            Some(e) if e == "html" || e == "htm" || e == "xhtml" => Format::Html,
            _ => Format::Plain,
        }
    }
}

/// What a block of prose is. A block can be several things at once: a paragraph in a
/// block quote is both `body` and `quote`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The article's headline: first non-empty line of plain text, the first level-1
    /// heading or the front-matter `title` of Markdown.
    Headline,
    /// Any heading, the headline included.
    Heading,
    /// Running text: paragraphs, list items, table cells, quoted paragraphs.
    Body,
    /// Text inside a Markdown block quote.
    Quote,
    /// Text of a list item.
    List,
    /// Text of a table cell.
    Table,
}

/// A set of [`Scope`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ScopeSet(u8);

impl ScopeSet {
    pub const fn empty() -> Self {
        ScopeSet(0)
    }
    pub fn with(self, s: Scope) -> Self {
        ScopeSet(self.0 | (1 << s as u8))
    }
    pub fn contains(self, s: Scope) -> bool {
        self.0 & (1 << s as u8) != 0
    }
    pub fn intersects(self, other: ScopeSet) -> bool {
        self.0 & other.0 != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn of(scopes: &[Scope]) -> Self {
        scopes.iter().fold(ScopeSet::empty(), |s, &x| s.with(x))
    }
}

/// A run of prose: a paragraph, a heading, a list item, a table cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Block {
    /// Byte range in the source.
    pub range: Range<usize>,
    pub scopes: ScopeSet,
    /// `source[range]` with non-prose bytes replaced by [`MASK`].
    pub text: String,
}

impl Block {
    pub fn is_headline(&self) -> bool {
        self.scopes.contains(Scope::Headline)
    }
}

/// A parsed document. Cheap to query, immutable once built.
#[derive(Debug, Clone)]
pub struct Document {
    /// The text the rules read: the source, or the text extracted from an HTML page.
    text: String,
    format: Format,
    blocks: Vec<Block>,
    suppressions: Suppressions,
    lines: LineIndex,
    /// For HTML: the page itself and the map from `text` back to it.
    html: Option<Box<HtmlSource>>,
}

/// The page an HTML document was extracted from.
#[derive(Debug, Clone)]
struct HtmlSource {
    source: String,
    map: html::SourceMap,
    /// Why the page could not be read; the document then has no blocks.
    error: Option<html::HtmlError>,
}

impl Document {
    pub fn new(text: impl Into<String>, format: Format) -> Document {
        let text = text.into();
        let lines = LineIndex::new(&text);
        Self::with_line_index(text, format, lines)
    }

    /// Builds a document when the caller already has a rope of the same text (the
    /// language server keeps one per open file).
    /// (An HTML page builds its own index of the extracted text.)
    pub fn with_line_index(text: String, format: Format, lines: LineIndex) -> Document {
        debug_assert_eq!(lines.len_bytes(), text.len());
        Self::build(text, format, lines, true)
    }

    /// Plain text without a headline: every line is body text (rule examples, snippets).
    pub fn plain_body(text: impl Into<String>) -> Document {
        let text = text.into();
        let lines = LineIndex::new(&text);
        Self::build(text, Format::Plain, lines, false)
    }

    fn build(text: String, format: Format, lines: LineIndex, headline: bool) -> Document {
        let (blocks, directives) = match format {
            Format::Plain => plain::extract(&text, headline),
            Format::Markdown => markdown::extract(&text),
            Format::Html => return Self::from_html(text),
        };
        Self::assemble(text, format, lines, (blocks, directives), None)
    }

    /// The document of extracted `blocks`, its suppression comments placed by `lines`.
    fn assemble(
        text: String,
        format: Format,
        lines: LineIndex,
        (blocks, directives): (Vec<Block>, Vec<suppress::Directive>),
        html: Option<Box<HtmlSource>>,
    ) -> Document {
        let suppressions = Suppressions::new(directives, &lines);
        Document {
            text,
            format,
            blocks,
            suppressions,
            lines,
            html,
        }
    }

    /// An HTML page: rules read the extracted text; [`Document::to_source`] takes their
    /// findings back to the page. A page that cannot be read gives a document with no
    /// blocks and [`Document::error`] set.
    fn from_html(source: String) -> Document {
        Self::html_with(source, &html::Attributes::default())
    }

    /// An HTML page whose attribute values `attributes` asks for are checked too
    /// (config `[html]`).
    pub fn html_with(source: String, attributes: &html::Attributes) -> Document {
        let (text, blocks, directives, map, error) = match html::extract_with(&source, attributes) {
            Ok(ex) => (ex.text, ex.blocks, ex.directives, ex.map, None),
            Err(e) => (
                String::new(),
                Vec::new(),
                Vec::new(),
                html::SourceMap::default(),
                Some(e),
            ),
        };
        let lines = LineIndex::new(&text);
        let html = Some(Box::new(HtmlSource { source, map, error }));
        Self::assemble(text, Format::Html, lines, (blocks, directives), html)
    }

    /// Why the document could not be read (an HTML page nested too deep, for example).
    pub fn error(&self) -> Option<&html::HtmlError> {
        self.html.as_ref().and_then(|h| h.error.as_ref())
    }

    /// Findings on the checked text, moved to the source: unchanged except for HTML,
    /// where ranges go back to the page's bytes and a fix that would cross a tag is dropped.
    pub fn to_source(&self, diagnostics: Vec<crate::diagnostic::Diagnostic>) -> Vec<crate::diagnostic::Diagnostic> {
        match &self.html {
            Some(h) => diagnostics.into_iter().map(|d| html::to_source(d, &h.map)).collect(),
            None => diagnostics,
        }
    }

    /// A document of `format`; a plain-text one has a headline only if `plain_headline`
    /// (the config's `plain-headline`).
    pub fn with_plain_headline(text: impl Into<String>, format: Format, plain_headline: bool) -> Document {
        if format == Format::Plain && !plain_headline {
            Document::plain_body(text)
        } else {
            Document::new(text, format)
        }
    }

    /// A document whose text was extracted from another format (Word), with its
    /// blocks and suppression comments already found. Blocks must lie inside `text`.
    pub fn from_extracted(text: String, blocks: Vec<Block>, directives: Vec<suppress::Directive>) -> Document {
        let lines = LineIndex::new(&text);
        Self::assemble(text, Format::Plain, lines, (blocks, directives), None)
    }

    pub fn plain(text: impl Into<String>) -> Document {
        Document::new(text, Format::Plain)
    }

    pub fn markdown(text: impl Into<String>) -> Document {
        Document::new(text, Format::Markdown)
    }

    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn format(&self) -> Format {
        self.format
    }
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }
    pub fn suppressions(&self) -> &Suppressions {
        &self.suppressions
    }
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }
    /// The text the document was made from: the page itself for HTML.
    pub fn into_source(self) -> String {
        match self.html {
            Some(h) => h.source,
            None => self.text,
        }
    }

    /// [`Document::into_source`], with the document's line index when it is the source's
    /// (not for HTML, whose index is of the extracted text), so a caller that needs one
    /// does not build it again.
    pub fn into_source_with_lines(self) -> (String, Option<LineIndex>) {
        match self.html {
            Some(h) => (h.source, None),
            None => (self.text, Some(self.lines)),
        }
    }
}

/// Builds a block from prose ranges that lie inside it; everything else is masked.
pub(crate) fn block_from_ranges(source: &str, prose: &[Range<usize>], scopes: ScopeSet) -> Option<Block> {
    let start = prose.iter().map(|r| r.start).min()?;
    let end = prose.iter().map(|r| r.end).max()?;
    if start >= end {
        return None;
    }
    let mut text = if prose.windows(2).all(|w| w[0].end <= w[1].start) {
        // The usual case, ranges in order: copy them as text, so the result needs no
        // second UTF-8 validation (which cost a third of the parse on Vietnamese text).
        let mut text = String::with_capacity(end - start);
        for r in prose {
            let gap = r.start - (start + text.len());
            text.extend(std::iter::repeat_n(MASK_CHAR, gap));
            text.push_str(&source[r.clone()]);
        }
        text
    } else {
        let mut bytes = vec![MASK; end - start];
        for r in prose {
            bytes[r.start - start..r.end - start].copy_from_slice(source[r.clone()].as_bytes());
        }
        String::from_utf8(bytes).expect("prose ranges lie on character boundaries")
    };
    mask_urls(&mut text);
    if text.bytes().all(|b| b == MASK || b.is_ascii_whitespace()) {
        return None;
    }
    Some(Block {
        range: start..end,
        scopes,
        text,
    })
}

/// Masks bare URLs and e-mail addresses: they are not prose, and their dots and
/// slashes would trip punctuation and number rules.
pub(crate) fn mask_urls(text: &mut String) {
    use crate::text::fast_regex::FastRegex;
    use std::sync::LazyLock;
    // `FastRegex`: its `\b` would keep `regex` on the slow engine over Vietnamese text.
    static URL: LazyLock<FastRegex> = LazyLock::new(|| {
        FastRegex::new(
            r"(?i)(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\u{1A}]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
            false,
            10 << 20,
        )
        .unwrap()
    });
    if !text.contains("://") && !has_www(text) && !text.contains('@') {
        return;
    }
    let ranges: Vec<Range<usize>> = URL
        .captures_iter(text)
        .filter_map(|c| c.get(0))
        .map(|m| {
            let s = m.as_str();
            let trimmed = s.trim_end_matches(URL_TRAILERS);
            m.start()..m.start() + trimmed.len() + split_domain_ending(trimmed, &text[m.start() + trimmed.len()..])
        })
        .collect();
    if ranges.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for r in ranges {
        bytes[r].fill(MASK);
    }
    *text = String::from_utf8(bytes).expect("masking whole characters keeps UTF-8 valid");
}

/// Punctuation after an address that ends its sentence or clause, not the address.
const URL_TRAILERS: [char; 11] = ['.', ',', ';', ':', '!', '?', ')', '”', '’', '"', '\''];

/// The length of a domain's ending a space split from an address whose host has no dot
/// (`https://benhvienthucuc. com/hoi-thao/`, judged FALSE on real news, round 114: `com`
/// read as a sentence's start): the dot, the space and the rest up to the next space.
fn split_domain_ending(address: &str, rest: &str) -> usize {
    let host = address.split_once("://").map_or(address, |(_, h)| h);
    if host.contains('.') {
        return 0;
    }
    let Some(after) = rest.strip_prefix(". ") else {
        return 0;
    };
    if !crate::text::words::starts_with_domain_ending(after) {
        return 0;
    }
    let tail = after.split(char::is_whitespace).next().unwrap_or("");
    2 + tail.trim_end_matches(URL_TRAILERS).len()
}

/// Whether `text` holds `www.` in any letter case (`Www.` starts sentences): the quick
/// test before the URL regex, which is case-insensitive too.
fn has_www(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'.', b).any(|i| i >= 3 && b[i - 3..i].eq_ignore_ascii_case(b"www"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_is_handed_over_only_when_it_is_the_sources() {
        for format in [Format::Plain, Format::Markdown] {
            let text = "Tít\r\n\nĐoạn 😀 một.\rHai\n";
            let (source, lines) = Document::new(text, format).into_source_with_lines();
            assert_eq!(source, text);
            let lines = lines.expect("plain and Markdown documents index their source");
            let fresh = LineIndex::new(text);
            assert_eq!(lines.len_bytes(), fresh.len_bytes());
            for offset in 0..=text.len() {
                if text.is_char_boundary(offset) {
                    assert_eq!(lines.human(offset), fresh.human(offset), "{offset}");
                }
            }
        }
        let page = "<p>Tít <b>một</b></p>";
        let (source, lines) = Document::new(page, Format::Html).into_source_with_lines();
        assert_eq!((source.as_str(), lines.is_none()), (page, true));
    }

    #[test]
    fn urls_are_masked_in_any_letter_case() {
        for url in ["www.x.vn", "Www.x.vn", "WWW.x.vn", "wWw.x.vn"] {
            let mut t = format!("Xem {url}. Hết");
            mask_urls(&mut t);
            assert_eq!(t, "Xem \u{1A}\u{1A}\u{1A}\u{1A}\u{1A}\u{1A}\u{1A}\u{1A}. Hết", "{url}");
        }
        assert!(!has_www("ww. w.ww.") && has_www("Www."));
    }

    #[test]
    fn urls_are_masked_with_the_same_length() {
        let mut t = "Xem https://vnexpress.net/a-b.html, rồi www.x.vn.".to_string();
        let len = t.len();
        mask_urls(&mut t);
        assert_eq!(t.len(), len);
        assert!(t.starts_with("Xem \u{1A}"));
        assert!(t.ends_with("\u{1A}."));
        assert!(t.contains("\u{1A}, rồi"));
    }

    /// Real news, round 114: an address split by a space after its host.
    #[test]
    fn a_domain_ending_split_from_its_host_is_masked_too() {
        let mut t = "tại: https://benhvienthucuc. com/hoi-thao/ Địa điểm. Xem https://a. Com tới.".to_string();
        mask_urls(&mut t);
        assert!(t.starts_with("tại: \u{1A}"), "{t:?}");
        assert!(t.contains("\u{1A} Địa điểm"), "{t:?}");
        // A host with its dot is whole; a capitalized word after is no ending.
        assert!(t.ends_with("\u{1A}. Com tới."), "{t:?}");
        let mut t = "Xem https://x.vn. com là đuôi.".to_string();
        mask_urls(&mut t);
        assert!(t.ends_with("\u{1A}. com là đuôi."), "{t:?}");
    }
}
