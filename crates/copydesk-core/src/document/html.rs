//! HTML through lol_html's streaming tokenizer, which gives the source byte range of every
//! tag, text chunk and comment. The checked text is *extracted*: one block per paragraph,
//! heading, list item or cell, character references decoded and white space collapsed as
//! a browser shows it. A [`SourceMap`] takes every offset of the extracted text back to a
//! byte of the HTML file, so findings are reported, and fixes written, in the source.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use lol_html::html_content::TextType;
use lol_html::{doc_comments, doc_text, element, end_tag, HtmlRewriter, Settings};

use super::suppress::{parse_directive_line, Directive};
use super::{mask_urls, Block, Scope, ScopeSet};
use crate::diagnostic::{Diagnostic, Edit, Fix};

/// Open elements deeper than this are refused: no real page nests so deep, and
/// refusing keeps time and memory bounded on hostile input.
pub const MAX_DEPTH: usize = 1000;

/// Why an HTML file could not be read; `offset` is a byte of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlError {
    pub offset: usize,
    pub message: String,
}

/// Attribute values checked besides the text (config `[html]`); all off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attributes {
    /// `alt` (images, areas, image inputs).
    pub alt: bool,
    /// `title` (tooltips).
    pub title: bool,
}

impl Attributes {
    fn wants(&self, name: &str) -> bool {
        (self.alt && name == "alt") || (self.title && name == "title")
    }
}

/// Why a fix is not written into the page.
pub const CROSSES_TAG: &str = "the fix would cross a tag; edit the page by hand";
/// Why a fix in an unquoted attribute value is not written.
pub const UNQUOTED: &str =
    "the attribute value is unquoted and the fix would put a space, quote, `=`, `<`, `>` or backtick in it";

/// A piece of extracted text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seg {
    out: Range<usize>,
    src: Range<usize>,
    /// In an attribute value: its quote (`"`, `'`, or 0 when unquoted); `None` in text.
    quote: Option<u8>,
    /// Copied byte for byte (offsets inside map one to one); otherwise a decoded
    /// reference, a collapsed white-space run or a `<br>`, which map as a whole.
    verbatim: bool,
}

/// Maps offsets of the extracted text to source bytes.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    segs: Vec<Seg>,
    source_len: usize,
}

impl SourceMap {
    /// The source byte of an extracted offset that starts a range.
    pub fn start(&self, off: usize) -> usize {
        let i = self.segs.partition_point(|s| s.out.end <= off);
        match self.segs.get(i) {
            Some(s) if s.out.start <= off => {
                if s.verbatim {
                    s.src.start + (off - s.out.start)
                } else {
                    s.src.start
                }
            }
            Some(s) => s.src.start,
            None => self.source_len,
        }
    }

    /// The quote of the attribute value that holds an extracted offset (0 when it is
    /// unquoted); `None` in a text node.
    fn quote(&self, off: usize) -> Option<u8> {
        let i = self.segs.partition_point(|s| s.out.end <= off);
        self.segs.get(i).or_else(|| self.segs.last()).and_then(|s| s.quote)
    }

    /// The source byte of an extracted offset that ends a range.
    pub fn end(&self, off: usize) -> usize {
        let i = self.segs.partition_point(|s| s.out.start < off);
        if i == 0 {
            return self.segs.first().map_or(0, |s| s.src.start);
        }
        let s = &self.segs[i - 1];
        if off >= s.out.end {
            s.src.end
        } else if s.verbatim {
            s.src.start + (off - s.out.start)
        } else {
            s.src.end
        }
    }

    /// The source range of a non-empty extracted range, if it covers text that is
    /// contiguous in the source (no tag or comment in between), so it can be replaced.
    pub fn editable(&self, r: Range<usize>) -> Option<Range<usize>> {
        if r.is_empty() {
            let at = self.start(r.start);
            return Some(at..at);
        }
        let first = self.segs.partition_point(|s| s.out.end <= r.start);
        let last = self.segs.partition_point(|s| s.out.start < r.end);
        if first >= last {
            return None;
        }
        for w in self.segs[first..last].windows(2) {
            if w[0].src.end != w[1].src.start || w[0].out.end != w[1].out.start {
                return None;
            }
        }
        Some(self.start(r.start)..self.end(r.end))
    }
}

/// The extracted text of an HTML file.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub text: String,
    pub blocks: Vec<Block>,
    pub directives: Vec<Directive>,
    pub map: SourceMap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Starts and ends a block of prose.
    Block,
    /// Its text is never prose.
    Skip,
    Other,
}

fn kind(name: &str) -> Kind {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "td" | "th" | "figcaption" | "blockquote" | "div"
        | "section" | "article" | "header" | "footer" | "main" | "aside" | "nav" | "ul" | "ol" | "dl" | "dt" | "dd"
        | "table" | "tr" | "thead" | "tbody" | "tfoot" | "caption" | "figure" | "hr" | "address" | "form"
        | "fieldset" | "legend" | "details" | "summary" | "title" | "body" | "head" | "html" | "option" => Kind::Block,
        "script" | "style" | "code" | "pre" | "template" | "textarea" | "svg" | "math" | "noscript" | "select"
        | "object" | "iframe" | "kbd" | "samp" => Kind::Skip,
        _ => Kind::Other,
    }
}

/// Elements whose start closes an open `p`, as the HTML parser does.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "details"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "ul"
    )
}

struct Open {
    name: String,
    id: u64,
}

#[derive(Default)]
struct State {
    source_len: usize,
    stack: Vec<Open>,
    next_id: u64,
    text: String,
    segs: Vec<Seg>,
    blocks: Vec<Block>,
    directives: Vec<Directive>,
    /// The block being collected: its start in `text` and its scopes.
    open_block: Option<(usize, ScopeSet)>,
    /// `text` ended with a collapsed space that belongs to the open block.
    pending_space: bool,
    saw_h1: bool,
    title_block: Option<usize>,
    after_directive: bool,
    error: Option<HtmlError>,
    /// Attribute values to check, found in start tags: the value's source range and
    /// its quote (0 when unquoted).
    attributes: Vec<(Range<usize>, u8)>,
    /// The quote of the attribute value being added, `None` for text.
    in_attribute: Option<u8>,
}

impl State {
    fn count(&self, names: &[&str]) -> usize {
        self.stack.iter().filter(|o| names.contains(&o.name.as_str())).count()
    }

    fn skipping(&self) -> bool {
        self.stack.iter().any(|o| kind(&o.name) == Kind::Skip)
    }

    fn scopes(&self) -> (ScopeSet, bool, bool) {
        let mut s = ScopeSet::empty();
        let heading = self.count(&["h1", "h2", "h3", "h4", "h5", "h6"]) > 0;
        let h1 = self.count(&["h1"]) > 0;
        let title = self.count(&["title"]) > 0;
        if heading || title {
            s = s.with(Scope::Heading);
        } else {
            s = s.with(Scope::Body);
        }
        if self.count(&["blockquote"]) > 0 {
            s = s.with(Scope::Quote);
        }
        if self.count(&["li", "ul", "ol"]) > 0 {
            s = s.with(Scope::List);
        }
        if self.count(&["td", "th"]) > 0 {
            s = s.with(Scope::Table);
        }
        (s, h1, title)
    }

    fn flush(&mut self) {
        let Some((start, scopes)) = self.open_block.take() else {
            return;
        };
        if self.pending_space {
            self.pending_space = false;
            self.text.pop();
            self.segs.pop();
        }
        if self.text.len() == start {
            return;
        }
        let mut masked = self.text[start..].to_string();
        mask_urls(&mut masked);
        self.blocks.push(Block {
            range: start..self.text.len(),
            scopes,
            text: masked,
        });
    }

    fn begin_block(&mut self) {
        if self.open_block.is_some() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str(if self.after_directive { "\n" } else { "\n\n" });
        }
        self.after_directive = false;
        let (mut scopes, h1, title) = self.scopes();
        if h1 && !self.saw_h1 {
            self.saw_h1 = true;
            scopes = scopes.with(Scope::Headline);
        }
        if title && self.title_block.is_none() {
            self.title_block = Some(self.blocks.len());
        }
        self.open_block = Some((self.text.len(), scopes));
    }

    fn push(&mut self, out: &str, src: Range<usize>, verbatim: bool) {
        let start = self.text.len();
        self.text.push_str(out);
        self.segs.push(Seg {
            out: start..self.text.len(),
            src,
            quote: self.in_attribute,
            verbatim,
        });
    }

    /// Adds a text chunk (raw source bytes at `base`).
    fn add_text(&mut self, raw: &str, base: usize) {
        let mut i = 0;
        let bytes = raw.as_bytes();
        while i < bytes.len() {
            let b = bytes[i];
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                let j = i + bytes[i..]
                    .iter()
                    .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
                    .count();
                if self.open_block.is_some() && !self.pending_space {
                    self.push(" ", base + i..base + j, false);
                    self.pending_space = true;
                }
                i = j;
                continue;
            }
            self.begin_block();
            self.pending_space = false;
            if b == b'&' {
                if let Some((decoded, len)) = decode_reference(&raw[i..]) {
                    self.push(&decoded, base + i..base + i + len, false);
                    i += len;
                    continue;
                }
            }
            let j = i
                + 1
                + bytes[i + 1..]
                    .iter()
                    .take_while(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'&'))
                    .count();
            self.push(&raw[i..j], base + i..base + j, true);
            i = j;
        }
    }

    fn start_element(&mut self, name: &str, loc: Range<usize>, has_content: bool) -> bool {
        // Implied end tags (the few that matter for depth and scopes).
        let stop_at: &[&str] = match name {
            "li" => &["ul", "ol", "li"],
            "td" | "th" => &["table", "tr", "td", "th"],
            "tr" => &["table", "tr"],
            "dt" | "dd" => &["dl", "dt", "dd"],
            "option" => &["select", "option"],
            _ => &[],
        };
        let wanted: &[&str] = match name {
            "li" => &["li"],
            "td" | "th" => &["td", "th"],
            "tr" => &["tr"],
            "dt" | "dd" => &["dt", "dd"],
            "option" => &["option"],
            _ => &[],
        };
        if !wanted.is_empty() {
            if let Some(pos) = self.stack.iter().rposition(|o| stop_at.contains(&o.name.as_str())) {
                if wanted.contains(&self.stack[pos].name.as_str()) {
                    self.stack.truncate(pos);
                }
            }
        }
        if closes_p(name) {
            // Only a `p` reachable through inline elements is closed.
            if let Some(pos) = self
                .stack
                .iter()
                .rposition(|o| o.name == "p" || kind(&o.name) != Kind::Other)
            {
                if self.stack[pos].name == "p" {
                    self.stack.truncate(pos);
                }
            }
        }
        if kind(name) != Kind::Other || name == "br" {
            self.flush_or_break(name, loc.clone());
        }
        if has_content {
            self.next_id += 1;
            self.stack.push(Open {
                name: name.to_string(),
                id: self.next_id,
            });
            if self.stack.len() > MAX_DEPTH {
                self.error = Some(HtmlError {
                    offset: loc.start,
                    message: format!(
                        "elements are nested more than {MAX_DEPTH} deep here; copydesk does not check such a page"
                    ),
                });
                return false;
            }
        }
        true
    }

    fn flush_or_break(&mut self, name: &str, loc: Range<usize>) {
        if name == "br" {
            if self.open_block.is_some() && !self.skipping() {
                if self.pending_space {
                    self.pending_space = false;
                    self.text.pop();
                    self.segs.pop();
                }
                self.push("\n", loc, false);
                self.pending_space = true;
            }
        } else {
            self.flush();
        }
    }

    fn end_element(&mut self, id: u64) {
        let pos = self.stack.partition_point(|o| o.id < id);
        if self.stack.get(pos).is_some_and(|o| o.id == id) {
            let ends_block = self.stack[pos..].iter().any(|o| kind(&o.name) != Kind::Other);
            self.stack.truncate(pos);
            if ends_block {
                self.flush();
            }
        }
    }

    fn comment(&mut self, body: &str) {
        if !body.contains("copydesk-") {
            return;
        }
        let line = format!("<!--{}-->", body.replace(['\n', '\r'], " "));
        if parse_directive_line(line.trim(), 0).is_none() {
            return;
        }
        self.flush();
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        let Some(d) = parse_directive_line(line.trim(), self.text.len()) else {
            return;
        };
        self.text.push_str(line.trim());
        self.directives.push(d);
        self.after_directive = true;
    }
}

/// The values of a start tag's attributes named by `want`: (value's byte range in
/// `tag`, quote or 0). Follows the HTML tokenizer's attribute states.
fn tag_attributes(tag: &str, want: &Attributes) -> Vec<(Range<usize>, u8)> {
    let b = tag.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut out = Vec::new();
    // Past `<` and the tag name.
    let mut i = 1 + b
        .iter()
        .skip(1)
        .take_while(|&&c| !ws(c) && c != b'/' && c != b'>')
        .count();
    loop {
        while i < b.len() && (ws(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return out;
        }
        let name_start = i;
        i += 1;
        while i < b.len() && !ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = tag[name_start..i].to_ascii_lowercase();
        let mut j = i;
        while j < b.len() && ws(b[j]) {
            j += 1;
        }
        if j >= b.len() || b[j] != b'=' {
            continue;
        }
        j += 1;
        while j < b.len() && ws(b[j]) {
            j += 1;
        }
        let (value, quote, next) = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = b[j + 1..].iter().position(|&c| c == q).map_or(b.len(), |k| j + 1 + k);
                (j + 1..end, q, (end + 1).min(b.len()))
            }
            _ => {
                let end = j + b[j..].iter().take_while(|&&c| !ws(c) && c != b'>').count();
                (j..end, 0, end)
            }
        };
        if want.wants(&name) && !value.is_empty() {
            out.push((value, quote));
        }
        i = next;
    }
}

/// Extracts the prose of an HTML document.
pub fn extract(source: &str) -> Result<Extracted, HtmlError> {
    extract_with(source, &Attributes::default())
}

/// Extracts the prose of an HTML document and the attribute values `attributes` asks
/// for; each value is a block of its own, after the page's text.
pub fn extract_with(source: &str, attributes: &Attributes) -> Result<Extracted, HtmlError> {
    let want = *attributes;
    let state = Rc::new(RefCell::new(State {
        source_len: source.len(),
        ..State::default()
    }));
    {
        let s_el = state.clone();
        let s_text = state.clone();
        let s_comment = state.clone();
        let settings = Settings::new()
            .append_element_content_handler(element!("*", move |el| {
                let name = el.tag_name();
                let loc = el.source_location().bytes();
                let has_content = el.can_have_content();
                let id = {
                    let mut s = s_el.borrow_mut();
                    if (want.alt || want.title) && !s.skipping() {
                        if let Some(tag) = source.get(loc.clone()) {
                            for (r, q) in tag_attributes(tag, &want) {
                                s.attributes.push((loc.start + r.start..loc.start + r.end, q));
                            }
                        }
                    }
                    if !s.start_element(&name, loc, has_content) {
                        return Err("too deep".into());
                    }
                    s.next_id
                };
                if has_content {
                    if let Some(handlers) = el.end_tag_handlers() {
                        let s_end = s_el.clone();
                        handlers.push(end_tag!(move |_end| {
                            s_end.borrow_mut().end_element(id);
                            Ok(())
                        }));
                    }
                }
                Ok(())
            }))
            .append_document_content_handler(doc_text!(move |t| {
                if !matches!(t.text_type(), TextType::Data | TextType::RCData) {
                    return Ok(());
                }
                let loc = t.source_location().bytes();
                let mut s = s_text.borrow_mut();
                if s.skipping() {
                    return Ok(());
                }
                let raw = t.as_str();
                s.add_text(raw, loc.start);
                Ok(())
            }))
            .append_document_content_handler(doc_comments!(move |c| {
                s_comment.borrow_mut().comment(&c.text());
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        let result = rewriter.write(source.as_bytes()).and_then(|_| rewriter.end());
        if let Err(e) = result {
            let s = state.borrow();
            return Err(s.error.clone().unwrap_or(HtmlError {
                offset: 0,
                message: format!("cannot parse the HTML: {e}"),
            }));
        }
    }
    let mut s = state.borrow_mut();
    s.flush();
    // Attribute values last, each a block of body text.
    s.stack.clear();
    for (r, q) in std::mem::take(&mut s.attributes) {
        s.flush();
        s.in_attribute = Some(q);
        s.add_text(&source[r.clone()], r.start);
        s.flush();
        s.in_attribute = None;
    }
    if let Some(i) = s.title_block.filter(|&i| i < s.blocks.len()) {
        if s.saw_h1 {
            // The page's `title` usually repeats the `h1`: checking both reports everything twice.
            s.blocks.remove(i);
        } else {
            s.blocks[i].scopes = s.blocks[i].scopes.with(Scope::Headline);
        }
    }
    let source_len = s.source_len;
    Ok(Extracted {
        text: std::mem::take(&mut s.text),
        blocks: std::mem::take(&mut s.blocks),
        directives: std::mem::take(&mut s.directives),
        map: SourceMap {
            segs: std::mem::take(&mut s.segs),
            source_len,
        },
    })
}

/// A diagnostic of the extracted text, moved to the HTML source. A fix whose edits
/// cannot be placed in text nodes (one would cross a tag) is dropped; replacements are
/// escaped.
pub fn to_source(mut d: Diagnostic, map: &SourceMap) -> Diagnostic {
    let start = map.start(d.range.start);
    let end = if d.range.is_empty() {
        start
    } else {
        map.end(d.range.end).max(start)
    };
    d.range = start..end;
    let mut refused = None;
    let fixes: Vec<Fix> = std::mem::take(&mut d.fixes)
        .into_iter()
        .filter_map(|f| {
            let edits = f
                .edits
                .iter()
                .map(|e| {
                    let Some(r) = map.editable(e.range.clone()) else {
                        refused = Some(CROSSES_TAG);
                        return None;
                    };
                    let text = match map.quote(e.range.start) {
                        None => Some(escape(&e.replacement)),
                        Some(q) => escape_attribute(&e.replacement, q),
                    };
                    if text.is_none() {
                        refused = Some(UNQUOTED);
                    }
                    text.map(|t| Edit::new(r, t))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Fix { edits, ..f })
        })
        .collect();
    match refused {
        Some(why) if fixes.is_empty() => d.not_fixed = Some(why.to_string()),
        _ => d.fixes = fixes,
    }
    d
}

/// Escapes text for an attribute value quoted by `quote` (0: unquoted, where a value
/// that would need quotes is refused).
fn escape_attribute(text: &str, quote: u8) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' if quote == b'"' => out.push_str("&quot;"),
            '\'' if quote == b'\'' => out.push_str("&#39;"),
            ' ' | '\t' | '\n' | '\r' | '\x0c' | '"' | '\'' | '=' | '<' | '>' | '`' if quote == 0 => return None,
            _ => out.push(c),
        }
    }
    Some(out)
}

/// Escapes text for an HTML text node, or for XML element content (a Word `<w:t>`):
/// the same three characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The HTML5 named character references (`html_entities.tsv`, the WHATWG table): the
/// name as written after `&` (with its `;`, or without for the legacy ones browsers also
/// accept bare) → the text. An unknown name stays as written, as the parser leaves it.
static NAMED: std::sync::LazyLock<std::collections::HashMap<&'static str, String>> = std::sync::LazyLock::new(|| {
    include_str!("html_entities.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (name, points) = l.split_once('\t')?;
            let text = points
                .split(' ')
                .filter_map(|h| u32::from_str_radix(h, 16).ok())
                .filter_map(char::from_u32)
                .collect();
            Some((name, text))
        })
        .collect()
});

/// The longest legacy name without `;` (`frac12`, `middot`).
const LONGEST_LEGACY: usize = 6;

/// Code points 0x80–0x9F of a numeric reference mean windows-1252 characters.
const C1: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D,
    0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,
    0x017E, 0x0178,
];

/// Decodes the character reference at the start of `s` (which starts with `&`): the
/// text and how many source bytes it takes.
pub fn decode_reference(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, digits_at) = match b.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let digits = b[digits_at..]
            .iter()
            .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if digits == 0 {
            return None;
        }
        let end = digits_at + digits;
        let value = u32::from_str_radix(&s[digits_at..end.min(digits_at + 8)], if hex { 16 } else { 10 })
            .ok()
            .filter(|_| digits <= 8)
            .unwrap_or(0x110000);
        let value = match value {
            0x80..=0x9F => C1[(value - 0x80) as usize],
            0 => 0xFFFD,
            v => v,
        };
        let c = char::from_u32(value).unwrap_or('\u{FFFD}');
        let len = if b.get(end) == Some(&b';') { end + 1 } else { end };
        return Some((c.to_string(), len));
    }
    let name_len = b[1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    if b.get(1 + name_len) == Some(&b';') {
        if let Some(value) = NAMED.get(&s[1..name_len + 2]) {
            return Some((value.clone(), name_len + 2));
        }
    }
    // Legacy references that browsers accept without the semicolon: the longest one the
    // name starts with (`&notit` is `¬it`).
    (1..=name_len.min(LONGEST_LEGACY))
        .rev()
        .find_map(|n| NAMED.get(&s[1..1 + n]).map(|value| (value.clone(), n + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<(String, ScopeSet)> {
        let e = extract(html).unwrap();
        e.blocks
            .iter()
            .map(|b| (e.text[b.range.clone()].to_string(), b.scopes))
            .collect()
    }

    #[test]
    fn every_html5_named_reference_is_decoded() {
        let d = |s: &str| decode_reference(s);
        assert_eq!(NAMED.len(), 2231, "the whole WHATWG table");
        assert_eq!(d("&ecirc;n"), Some(("ê".into(), 7)));
        assert_eq!(d("&Ugrave;"), Some(("Ù".into(), 8)));
        assert_eq!(d("&abreve;"), Some(("ă".into(), 8)));
        assert_eq!(d("&NotEqualTilde;"), Some(("\u{2242}\u{338}".into(), 15)));
        // Legacy names without `;`, the longest that fits; unknown names stay as written.
        assert_eq!(d("&notit;"), Some(("¬".into(), 4)));
        assert_eq!(d("&copy2024"), Some(("©".into(), 5)));
        assert_eq!(d("&ohorn;"), None);
        assert_eq!(d("&;"), None);
        let e = extract("<p>Đi&#7873;u l&agrave;m &hellip; x&nbsp;y &frac12;</p>").unwrap();
        assert_eq!(e.text, "Điều làm … x\u{a0}y ½");
    }

    #[test]
    fn attribute_values_are_found_as_the_tokenizer_reads_them() {
        let both = Attributes { alt: true, title: true };
        let tag = "<img src=x ALT = \"Ảnh , đẹp\" title='a \"b\"' data-alt=\"no\" alt2=y/>";
        let found: Vec<(&str, u8)> = tag_attributes(tag, &both)
            .into_iter()
            .map(|(r, q)| (&tag[r], q))
            .collect();
        assert_eq!(found, [("Ảnh , đẹp", b'"'), ("a \"b\"", b'\'')]);
        let t = "<a title=Tin,x href=\"/\">";
        assert_eq!(
            tag_attributes(t, &both)
                .into_iter()
                .map(|(r, q)| (&t[r], q))
                .collect::<Vec<_>>(),
            [("Tin,x", 0)]
        );
        assert!(tag_attributes(tag, &Attributes::default()).is_empty());
        // Unterminated quotes and a bare name do not panic.
        assert_eq!(tag_attributes("<img alt=\"x", &both).len(), 1);
        assert!(tag_attributes("<img alt", &both).is_empty());
    }

    #[test]
    fn attributes_are_checked_only_when_asked_and_fixes_are_escaped_for_them() {
        let page = "<p>Tin <img alt=\"Ảnh &amp; chữ\" src=a.jpg> hết.</p><a title=x,y>z</a>";
        let plain = extract(page).unwrap();
        assert_eq!(plain.text, "Tin hết.\n\nz");
        let e = extract_with(page, &Attributes { alt: true, title: true }).unwrap();
        assert_eq!(e.text, "Tin hết.\n\nz\n\nẢnh & chữ\n\nx,y");
        let amp = e.text.find('&').unwrap();
        assert_eq!(&page[e.map.start(amp)..e.map.end(amp + 1)], "&amp;");
        // A fix that puts a quote in a double-quoted value escapes it.
        let d = |r: Range<usize>, with: &str| {
            Diagnostic::new(crate::diagnostic::RuleIdx(0), r.clone(), "m")
                .with_fix(Fix::safe("f", vec![Edit::new(r, with)]))
        };
        let chu = e.text.find("chữ").unwrap();
        let m = to_source(d(chu..chu + "chữ".len(), "\"chữ\""), &e.map);
        assert_eq!(m.fixes[0].edits[0].replacement, "&quot;chữ&quot;");
        assert_eq!(m.not_fixed, None);
        // In the unquoted `x,y`, a fix adding a space is refused, with the reason.
        let comma = e.text.rfind(',').unwrap();
        let m = to_source(d(comma..comma + 1, ", "), &e.map);
        assert!(m.fixes.is_empty());
        assert_eq!(m.not_fixed.as_deref(), Some(UNQUOTED));
        let m = to_source(d(comma..comma + 1, ";"), &e.map);
        assert_eq!(m.fixes[0].edits[0].replacement, ";");
    }

    #[test]
    fn blocks_scopes_and_inline_elements() {
        let b = blocks(
            "<html><head><title>Trang</title><style>p{}</style></head><body>\
             <h1>Tít <b>bài</b></h1><p>Hà&nbsp;Nội &amp; TP.&#x48;CM</p>\
             <ul><li>một<li>hai</ul><blockquote><p>trích</p></blockquote>\
             <table><tr><td>ô<td>ô2</table><pre>mã</pre><script>x<y</script></body></html>",
        );
        let texts: Vec<&str> = b.iter().map(|(t, _)| t.as_str()).collect();
        // The title is left out when there is an h1: it would repeat the headline's findings.
        assert_eq!(
            texts,
            ["Tít bài", "Hà\u{a0}Nội & TP.HCM", "một", "hai", "trích", "ô", "ô2"]
        );
        assert!(b[0].1.contains(Scope::Headline) && b[0].1.contains(Scope::Heading));
        assert!(b[2].1.contains(Scope::List) && b[3].1.contains(Scope::List));
        assert!(b[4].1.contains(Scope::Quote));
        assert!(b[5].1.contains(Scope::Table) && b[6].1.contains(Scope::Table));
        assert!(!b[1].1.contains(Scope::List));
    }

    #[test]
    fn title_is_the_headline_without_h1() {
        let b = blocks("<title>Tít</title><p>Thân</p>");
        assert!(b[0].1.contains(Scope::Headline));
    }

    #[test]
    fn offsets_map_to_source_bytes() {
        let html = "<p>Cô\u{301} <b>gái</b>&nbsp;😀 &quot;x&quot;\n   y</p>";
        let e = extract(html).unwrap();
        assert_eq!(e.text, "Cô\u{301} gái\u{a0}😀 \"x\" y");
        let find = |s: &str| e.text.find(s).unwrap();
        let at = find("gái");
        assert_eq!(&html[e.map.start(at)..e.map.end(at + "gái".len())], "gái");
        let q = find("\"x");
        assert_eq!(&html[e.map.start(q)..e.map.end(q + 1)], "&quot;");
        let y = find(" y");
        assert_eq!(&html[e.map.start(y)..e.map.end(y + 1)], "\n   ");
        // Text on both sides of a tag cannot be replaced as one piece.
        assert_eq!(e.map.editable(find("Cô")..at + 1), None);
        assert_eq!(e.map.editable(q..q + 3).map(|r| &html[r]), Some("&quot;x&quot;"));
        let emoji = find("😀");
        assert_eq!(&html[e.map.start(emoji)..e.map.end(emoji + 4)], "😀");
    }

    #[test]
    fn directives_become_lines() {
        let e = extract("<p>a</p><!-- copydesk-disable-next-line quotes --><p>b \"c\"</p>").unwrap();
        assert_eq!(e.text, "a\n\n<!-- copydesk-disable-next-line quotes -->\nb \"c\"");
        assert_eq!(e.directives.len(), 1);
    }

    #[test]
    fn deep_nesting_is_refused_with_a_position() {
        let html = "<div>".repeat(100_000);
        let err = extract(&html).unwrap_err();
        assert_eq!(err.offset, MAX_DEPTH * 5);
        // Implied ends keep long lists and unclosed paragraphs shallow.
        let list = format!("<ul>{}</ul>", "<li>mục".repeat(5000));
        assert_eq!(extract(&list).unwrap().blocks.len(), 5000);
        let paras = "<p>đoạn".repeat(5000);
        assert_eq!(extract(&paras).unwrap().blocks.len(), 5000);
    }

    #[test]
    fn references() {
        assert_eq!(decode_reference("&#7889;x"), Some(("ố".into(), 7)));
        assert_eq!(decode_reference("&#150;"), Some(("–".into(), 6)));
        assert_eq!(decode_reference("&#99999999999;"), Some(("\u{FFFD}".into(), 14)));
        assert_eq!(decode_reference("&ampx"), Some(("&".into(), 4)));
        assert_eq!(decode_reference("&nosuch;"), None);
        assert_eq!(escape("a<b & c>"), "a&lt;b &amp; c&gt;");
    }
}
