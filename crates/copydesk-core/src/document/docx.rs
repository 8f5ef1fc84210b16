//! Word documents (`.docx`): the main document part, and the headers, footers, notes
//! and comments a config asks for ([`Parts`]), read with a streaming XML reader. The
//! checked text has one line per paragraph, the document part's first (so a finding's
//! line is its paragraph number and its column the character in it); every piece of that
//! text remembers the `<w:t>` element it came from, which is what the writer
//! (`docx_write`) edits.

use std::io::{Cursor, Read};
use std::ops::Range;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{mask_urls, Block, Document, Scope, ScopeSet};

/// The main document part.
pub const DOCUMENT_PART: &str = "word/document.xml";
/// A part that decompresses to more than this is refused (a 50-page report is a few
/// megabytes; a ZIP bomb is gigabytes).
pub const MAX_PART: u64 = 256 << 20;
/// XML nested deeper than this is refused.
pub const MAX_XML_DEPTH: usize = 2000;

/// Why a Word document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxError {
    pub message: String,
}

fn err(message: impl Into<String>) -> DocxError {
    DocxError {
        message: message.into(),
    }
}

/// Which parts besides the document part are checked (config `[docx]`); all off by
/// default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parts {
    pub headers: bool,
    pub footers: bool,
    pub footnotes: bool,
    pub endnotes: bool,
    pub comments: bool,
}

/// What a part of the package holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Document,
    Header,
    Footer,
    Footnotes,
    Endnotes,
    Comments,
}

impl PartKind {
    /// The kind of the ZIP entry `name` when `parts` asks for it (`word/header2.xml`,
    /// the names Word and LibreOffice write).
    fn of(name: &str, parts: &Parts) -> Option<PartKind> {
        let numbered = |prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|r| r.strip_suffix(".xml"))
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        };
        match name {
            "word/footnotes.xml" if parts.footnotes => Some(PartKind::Footnotes),
            "word/endnotes.xml" if parts.endnotes => Some(PartKind::Endnotes),
            "word/comments.xml" if parts.comments => Some(PartKind::Comments),
            _ if parts.headers && numbered("word/header") => Some(PartKind::Header),
            _ if parts.footers && numbered("word/footer") => Some(PartKind::Footer),
            _ => None,
        }
    }
}

/// Why a piece of text is never edited by a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// A field's result (a date, a page number, a cross-reference): Word recomputes it.
    Field,
    /// Text inside a tracked change someone else made: the desk decides on it first.
    EarlierChange,
    /// A tab, a line break or a non-breaking hyphen: not text Word can split.
    Mark,
    /// A comment's text: a note to the desk, not copy, and LibreOffice keeps no tracked
    /// changes inside comments.
    Comment,
}

impl Lock {
    pub fn reason(self) -> &'static str {
        match self {
            Lock::Field => "the text is a field result (Word recomputes it); edit the field instead",
            Lock::EarlierChange => "the text is inside an earlier tracked change; accept or reject that change first",
            Lock::Mark => "the change touches a tab or a line break",
            Lock::Comment => "copydesk does not edit comments (tracked changes cannot be kept inside a comment)",
        }
    }
}

/// Where a piece of paragraph text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Byte range in the paragraph's text.
    pub out: Range<usize>,
    /// Byte range in the XML of the element that holds it (`<w:t>…</w:t>`, `<w:tab/>`).
    pub xml: Range<usize>,
    /// The run's properties (`<w:rPr>…</w:rPr>`), copied into split runs.
    pub rpr: Option<Range<usize>>,
    /// Why a fix may not edit it; `None` for plain text of a run outside fields and
    /// earlier tracked changes.
    pub lock: Option<Lock>,
    /// The run (`w:r`) it is in: 1-based, counting the paragraph's runs in order (those
    /// of deleted text and field codes too).
    pub run: usize,
}

/// One paragraph (body text, heading, table cell, text box).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paragraph {
    pub text: String,
    pub pieces: Vec<Piece>,
    pub style: Option<String>,
    pub numbered: bool,
    pub in_table: bool,
}

impl Paragraph {
    fn is_heading(&self) -> bool {
        self.style.as_deref().is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s == "title" || s.starts_with("heading")
        })
    }

    fn is_headline_style(&self) -> bool {
        self.style.as_deref().is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s == "title" || s == "heading1"
        })
    }

    fn scopes(&self, headline: bool) -> ScopeSet {
        let style = self.style.as_deref().unwrap_or("").to_ascii_lowercase();
        let mut s = ScopeSet::empty();
        if headline {
            s = s.with(Scope::Headline).with(Scope::Heading);
        } else if self.is_heading() {
            s = s.with(Scope::Heading);
        } else {
            s = s.with(Scope::Body);
        }
        if self.in_table {
            s = s.with(Scope::Table);
        }
        if self.numbered || style.contains("list") {
            s = s.with(Scope::List);
        }
        if style.contains("quote") {
            s = s.with(Scope::Quote);
        }
        s
    }
}

/// One XML part of the package and its paragraphs.
#[derive(Debug, Clone)]
pub struct Part {
    /// The ZIP entry (`word/document.xml`, `word/footnotes.xml`).
    pub name: String,
    pub kind: PartKind,
    pub xml: String,
    pub paragraphs: Vec<Paragraph>,
}

/// A Word document as read: the document part first, then the parts [`Parts`] asked for
/// (headers, footers, footnotes, endnotes, comments, in that order).
#[derive(Debug, Clone)]
pub struct Docx {
    pub parts: Vec<Part>,
}

/// Reads the ZIP entry `name`, refusing what is too large, encrypted or not UTF-8.
pub fn read_part(bytes: &[u8], name: &str) -> Result<String, DocxError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(err(
            "this is an OLE compound file, not a .docx ZIP: a password-protected (encrypted) Word document or an \
             old .doc; remove the password or save it as .docx",
        ));
    }
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| err(format!("not a valid .docx (corrupt ZIP: {e})")))?;
    let mut file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(err(format!("not a Word document: the ZIP has no `{name}` part")))
        }
        Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
            return Err(err(format!(
                "`{name}` is encrypted; remove the password and save again"
            )))
        }
        Err(e) => return Err(err(format!("cannot open `{name}`: {e}"))),
    };
    if file.encrypted() {
        return Err(err(format!(
            "`{name}` is encrypted; remove the password and save again"
        )));
    }
    if file.size() > MAX_PART {
        return Err(err(format!(
            "`{name}` would decompress to {} bytes, more than the limit of {MAX_PART}; refused (a ZIP bomb?)",
            file.size()
        )));
    }
    let mut data = Vec::with_capacity(file.size().min(MAX_PART) as usize);
    (&mut file)
        .take(MAX_PART + 1)
        .read_to_end(&mut data)
        .map_err(|e| err(format!("cannot decompress `{name}`: {e}")))?;
    if data.len() as u64 > MAX_PART {
        return Err(err(format!(
            "`{name}` decompresses to more than the limit of {MAX_PART} bytes; refused (a ZIP bomb?)"
        )));
    }
    String::from_utf8(data).map_err(|e| {
        err(format!(
            "`{name}` is not UTF-8 (invalid byte at {}); save the document again",
            e.utf8_error().valid_up_to()
        ))
    })
}

fn name_is(e: &BytesStart<'_>, want: &[u8]) -> bool {
    e.name().as_ref() == want
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

#[derive(Default)]
struct ParaBuild {
    p: Paragraph,
    runs: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Instruction,
    Result,
}

impl Docx {
    /// Reads a `.docx` file's document part.
    pub fn read(bytes: &[u8]) -> Result<Docx, DocxError> {
        Docx::read_parts(bytes, &Parts::default())
    }

    /// Reads a `.docx` file's document part and the other parts `parts` asks for.
    pub fn read_parts(bytes: &[u8], parts: &Parts) -> Result<Docx, DocxError> {
        let xml = read_part(bytes, DOCUMENT_PART)?;
        let mut docx = Docx::from_xml(xml)?;
        if *parts == Parts::default() {
            return Ok(docx);
        }
        let archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| err(format!("not a valid .docx (corrupt ZIP: {e})")))?;
        let mut extra: Vec<(PartKind, String)> = archive
            .file_names()
            .filter_map(|n| PartKind::of(n, parts).map(|k| (k, n.to_string())))
            .collect();
        // Kind order, then header2 before header10.
        let rank = |k: PartKind| k as u8;
        extra.sort_by(|a, b| (rank(a.0), a.1.len(), &a.1).cmp(&(rank(b.0), b.1.len(), &b.1)));
        for (kind, name) in extra {
            let xml = read_part(bytes, &name)?;
            let mut paragraphs = parse(&xml, &name)?;
            if kind == PartKind::Comments {
                for p in &mut paragraphs {
                    for x in &mut p.pieces {
                        x.lock = Some(Lock::Comment);
                    }
                }
            }
            docx.parts.push(Part {
                name,
                kind,
                xml,
                paragraphs,
            });
        }
        Ok(docx)
    }

    /// Parses the XML of the document part.
    pub fn from_xml(xml: String) -> Result<Docx, DocxError> {
        let paragraphs = parse(&xml, DOCUMENT_PART)?;
        Ok(Docx {
            parts: vec![Part {
                name: DOCUMENT_PART.to_string(),
                kind: PartKind::Document,
                xml,
                paragraphs,
            }],
        })
    }

    /// Every paragraph in text order, with its part.
    pub fn paragraphs(&self) -> impl Iterator<Item = (&Part, &Paragraph)> {
        self.parts
            .iter()
            .flat_map(|part| part.paragraphs.iter().map(move |p| (part, p)))
    }

    /// The checked text: one line per paragraph.
    pub fn text(&self) -> String {
        let mut t = String::new();
        for (i, (_, p)) in self.paragraphs().enumerate() {
            if i > 0 {
                t.push('\n');
            }
            t.push_str(&p.text);
        }
        t
    }

    /// Scopes of each paragraph: the headline is the document part's first paragraph
    /// styled Title or Heading 1, else its first paragraph with text; the other parts'
    /// paragraphs are body text.
    pub fn scopes(&self) -> Vec<ScopeSet> {
        self.scopes_with(true)
    }

    /// [`Docx::scopes`]; without `first_paragraph`, a document with no Title or Heading 1
    /// paragraph has no headline (config `plain-headline = "none"`: exports whose first
    /// paragraph is the lead).
    pub fn scopes_with(&self, first_paragraph: bool) -> Vec<ScopeSet> {
        let body = &self.parts[0].paragraphs;
        let headline = body.iter().position(Paragraph::is_headline_style).or_else(|| {
            first_paragraph
                .then(|| body.iter().position(|p| !p.text.trim().is_empty()))
                .flatten()
        });
        self.paragraphs()
            .enumerate()
            .map(|(i, (part, p))| {
                if part.kind == PartKind::Document {
                    p.scopes(Some(i) == headline)
                } else {
                    p.scopes(false)
                }
            })
            .collect()
    }

    pub fn document(&self) -> Document {
        self.document_with(true)
    }

    /// The checked document; `first_paragraph` as in [`Docx::scopes_with`].
    pub fn document_with(&self, first_paragraph: bool) -> Document {
        document_from_lines(self.text(), &self.scopes_with(first_paragraph))
    }

    /// What output formats need to name the run of an offset of [`Docx::text`].
    pub fn run_map(&self) -> RunMap {
        let mut map = RunMap {
            parts: self.parts.iter().map(|p| p.name.clone()).collect(),
            paragraphs: Vec::new(),
        };
        let mut start = 0;
        for (i, part) in self.parts.iter().enumerate() {
            for (j, p) in part.paragraphs.iter().enumerate() {
                map.paragraphs.push(ParaRuns {
                    start,
                    part: i,
                    number: j + 1,
                    runs: p.pieces.iter().map(|x| (x.out.clone(), x.run, x.lock)).collect(),
                });
                start += p.text.len() + 1;
            }
        }
        map
    }
}

impl RunMap {
    /// Why a fix may not replace `range` (byte offsets of the checked text), as the
    /// writer decides: a deletion touching locked text, or an insertion with no editable
    /// text on either side.
    pub fn lock(&self, range: Range<usize>) -> Option<Lock> {
        let i = self
            .paragraphs
            .partition_point(|p| p.start <= range.start)
            .checked_sub(1)?;
        let p = &self.paragraphs[i];
        let r = range.start - p.start..range.end.saturating_sub(p.start);
        if r.is_empty() {
            let touching = || p.runs.iter().filter(|x| x.0.start <= r.start && r.start <= x.0.end);
            if touching().any(|x| x.2.is_none()) {
                return None;
            }
            return touching().find_map(|x| x.2);
        }
        p.runs
            .iter()
            .filter(|x| x.0.start < r.end && r.start < x.0.end)
            .find_map(|x| x.2)
    }
}

/// Where an offset of the checked text is in the package: the part, the paragraph in it,
/// the run in the paragraph and the character in the run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunPlace {
    /// The ZIP entry (`word/document.xml`).
    pub part: String,
    /// 1-based paragraph of the part, in the order copydesk counts them: table cells and
    /// text boxes are paragraphs; for the document part it is the finding's line.
    pub paragraph: usize,
    /// 1-based run of the paragraph (`w:r`, in document order); 0 when the paragraph has
    /// no text.
    pub run: usize,
    /// 0-based character (Unicode scalar value) in the run's text.
    pub char: usize,
}

#[derive(Debug, Clone)]
struct ParaRuns {
    start: usize,
    part: usize,
    number: usize,
    runs: Vec<(Range<usize>, usize, Option<Lock>)>,
}

/// The paragraphs and runs of a read document, without its XML.
#[derive(Debug, Clone, Default)]
pub struct RunMap {
    parts: Vec<String>,
    paragraphs: Vec<ParaRuns>,
}

impl RunMap {
    /// The part and paragraph number (1-based, in the part) of the 0-based line `line`.
    pub fn paragraph(&self, line: usize) -> Option<(&str, usize)> {
        let p = self.paragraphs.get(line)?;
        Some((&self.parts[p.part], p.number))
    }

    /// Where `off` (a byte offset of the checked text) is; `end` for the exclusive end
    /// of a range, which names the run of the character before it.
    pub fn locate(&self, text: &str, off: usize, end: bool) -> Option<RunPlace> {
        let i = self.paragraphs.partition_point(|p| p.start <= off).checked_sub(1)?;
        let p = &self.paragraphs[i];
        let local = off - p.start;
        let hit = |r: &Range<usize>| {
            if end {
                r.start < local && local <= r.end
            } else {
                r.start <= local && local < r.end
            }
        };
        // The run of the piece that holds it; at a paragraph's end, its last run.
        let first_of = |run: usize| p.runs.iter().find(|x| x.1 == run).map(|x| x.0.start);
        let (run, first) = match p.runs.iter().find(|x| hit(&x.0)).or(p.runs.last()) {
            Some(x) => (x.1, first_of(x.1)),
            None => (0, Some(local)),
        };
        let first = first.unwrap_or(local).min(local);
        let chars = text.get(p.start + first..off).map_or(0, |s| s.chars().count());
        Some(RunPlace {
            part: self.parts[p.part].clone(),
            paragraph: p.number,
            run,
            char: chars,
        })
    }
}

/// A document from the extracted text and the scopes of its lines; a line without
/// scopes (a fix changed the number of lines) is body text.
pub fn document_from_lines(text: String, scopes: &[ScopeSet]) -> Document {
    let mut blocks = Vec::new();
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        let range = start..start + line.len();
        start = range.end + 1;
        if line.trim().is_empty() {
            continue;
        }
        let mut masked = line.to_string();
        mask_urls(&mut masked);
        blocks.push(Block {
            range,
            scopes: scopes.get(i).copied().unwrap_or(ScopeSet::empty().with(Scope::Body)),
            text: masked,
        });
    }
    Document::from_extracted(text, blocks, Vec::new())
}

fn parse(xml: &str, part: &str) -> Result<Vec<Paragraph>, DocxError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut paragraphs = Vec::new();
    let mut stack: Vec<ParaBuild> = Vec::new();
    // Names of the open elements, for parent checks and a depth limit.
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut tables = 0usize;
    let mut deleted = 0usize;
    let mut inserted = 0usize;
    // Text that is never shown or checked: fallbacks of alternate content, content
    // control properties, instruction text.
    let mut hidden = 0usize;
    let mut fields: Vec<Field> = Vec::new();
    // Inside a footnote or endnote separator, whose empty paragraphs are not counted (so
    // footnote 1's paragraph is paragraph 1 of its part).
    let mut separator = false;
    let mut rpr: Option<Range<usize>> = None;
    let mut rpr_start = None;
    let mut t: Option<(usize, String)> = None;
    let bad = |at: u64, m: String| err(format!("{part}: bad XML at byte {at}: {m}"));

    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| bad(reader.error_position(), e.to_string()))?;
        let after = reader.buffer_position() as usize;
        let visible = deleted == 0 && hidden == 0 && fields.last().is_none_or(|f| *f == Field::Result);
        let lock = if !fields.is_empty() {
            Some(Lock::Field)
        } else if inserted > 0 {
            Some(Lock::EarlierChange)
        } else {
            None
        };
        match event {
            Event::DocType(_) => {
                return Err(bad(
                    before as u64,
                    "a DOCTYPE (entity declarations) is not allowed in a Word document; refused".into(),
                ))
            }
            Event::Start(e) => {
                open.push(e.name().as_ref().to_vec());
                if open.len() > MAX_XML_DEPTH {
                    return Err(bad(
                        before as u64,
                        format!("elements nested more than {MAX_XML_DEPTH} deep"),
                    ));
                }
                match e.name().as_ref() {
                    b"w:p" => stack.push(ParaBuild {
                        p: Paragraph {
                            in_table: tables > 0,
                            ..Paragraph::default()
                        },
                        runs: 0,
                    }),
                    b"w:tbl" => tables += 1,
                    b"w:footnote" | b"w:endnote" => {
                        separator = attr(&e, b"w:type").is_some_and(|t| t != "normal");
                    }
                    b"w:del" | b"w:moveFrom" => deleted += 1,
                    b"w:ins" | b"w:moveTo" => inserted += 1,
                    b"mc:Fallback" | b"w:sdtPr" | b"w:instrText" | b"w:delInstrText" => hidden += 1,
                    b"w:fldSimple" => fields.push(Field::Result),
                    b"w:r" => {
                        rpr = None;
                        if let Some(b) = stack.last_mut() {
                            b.runs += 1;
                        }
                    }
                    b"w:rPr" if open.len() >= 2 && open[open.len() - 2] == b"w:r" => rpr_start = Some(before),
                    b"w:numPr" => {
                        if let Some(b) = stack.last_mut() {
                            b.p.numbered = true;
                        }
                    }
                    b"w:t" if open.len() >= 2 && open[open.len() - 2] == b"w:r" => t = Some((before, String::new())),
                    _ => {}
                }
            }
            Event::Empty(e) => {
                let parent_is_run = open.last().is_some_and(|n| n == b"w:r");
                if name_is(&e, b"w:p") && !separator {
                    paragraphs.push(Paragraph {
                        in_table: tables > 0,
                        ..Paragraph::default()
                    });
                } else if name_is(&e, b"w:pStyle") {
                    if let Some(b) = stack.last_mut() {
                        b.p.style = attr(&e, b"w:val");
                    }
                } else if name_is(&e, b"w:numPr") {
                    if let Some(b) = stack.last_mut() {
                        b.p.numbered = true;
                    }
                } else if name_is(&e, b"w:fldChar") {
                    match attr(&e, b"w:fldCharType").as_deref() {
                        Some("begin") => fields.push(Field::Instruction),
                        Some("separate") => {
                            if let Some(f) = fields.last_mut() {
                                *f = Field::Result;
                            }
                        }
                        Some("end") => {
                            fields.pop();
                        }
                        _ => {}
                    }
                } else if parent_is_run && visible {
                    let text = match e.name().as_ref() {
                        b"w:tab" | b"w:ptab" => Some("\t"),
                        b"w:br" | b"w:cr" => Some(" "),
                        b"w:noBreakHyphen" => Some("\u{2011}"),
                        _ => None,
                    };
                    if let (Some(text), Some(b)) = (text, stack.last_mut()) {
                        let start = b.p.text.len();
                        b.p.text.push_str(text);
                        let run = b.runs;
                        b.p.pieces.push(Piece {
                            out: start..b.p.text.len(),
                            xml: before..after,
                            rpr: rpr.clone(),
                            lock: Some(Lock::Mark),
                            run,
                        });
                    }
                }
            }
            Event::End(e) => {
                open.pop();
                match e.name().as_ref() {
                    b"w:p" => {
                        if let Some(b) = stack.pop().filter(|_| !separator) {
                            paragraphs.push(b.p);
                        }
                    }
                    b"w:footnote" | b"w:endnote" => separator = false,
                    b"w:tbl" => tables = tables.saturating_sub(1),
                    b"w:del" | b"w:moveFrom" => deleted = deleted.saturating_sub(1),
                    b"w:ins" | b"w:moveTo" => inserted = inserted.saturating_sub(1),
                    b"mc:Fallback" | b"w:sdtPr" | b"w:instrText" | b"w:delInstrText" => {
                        hidden = hidden.saturating_sub(1)
                    }
                    b"w:fldSimple" => {
                        fields.pop();
                    }
                    b"w:rPr" => {
                        if let Some(s) = rpr_start.take() {
                            rpr = Some(s..after);
                        }
                    }
                    b"w:t" => {
                        if let (Some((start, text)), Some(b)) = (t.take(), stack.last_mut()) {
                            if visible && !text.is_empty() {
                                let at = b.p.text.len();
                                // One line per paragraph: a stray line break in text is a space.
                                b.p.text.push_str(&text.replace(['\n', '\r'], " "));
                                let run = b.runs;
                                b.p.pieces.push(Piece {
                                    out: at..b.p.text.len(),
                                    xml: start..after,
                                    rpr: rpr.clone(),
                                    lock,
                                    run,
                                });
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(x) => {
                if let Some((_, text)) = t.as_mut() {
                    let s = x.decode().map_err(|e| bad(before as u64, e.to_string()))?;
                    text.push_str(&s);
                }
            }
            Event::CData(x) => {
                if let Some((_, text)) = t.as_mut() {
                    let s = x.decode().map_err(|e| bad(before as u64, e.to_string()))?;
                    text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*r {
                        b"amp" => '&',
                        b"lt" => '<',
                        b"gt" => '>',
                        b"quot" => '"',
                        b"apos" => '\'',
                        other => {
                            return Err(bad(
                                before as u64,
                                format!(
                                    "undefined entity `&{};` (Word documents use none; refused)",
                                    String::from_utf8_lossy(other)
                                ),
                            ))
                        }
                    },
                    Err(e) => return Err(bad(before as u64, e.to_string())),
                };
                if let Some((_, text)) = t.as_mut() {
                    text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(paragraphs)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn body(inner: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{inner}</w:body></w:document>"
        )
    }

    #[test]
    fn paragraphs_runs_and_scopes() {
        let xml = body(
            "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t>Tít</w:t></w:r></w:p>\
             <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Thủ tư</w:t></w:r><w:r><w:t>ớng &amp; bộ</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\"> x</w:t></w:r></w:p>\
             <w:p><w:del><w:r><w:delText>cũ</w:delText></w:r></w:del><w:ins><w:r><w:t>mới</w:t></w:r></w:ins></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>ô</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
             <w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>HYPERLINK x</w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>nhãn</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p><w:p/>",
        );
        let d = Docx::from_xml(xml).unwrap();
        assert_eq!(d.text(), "Tít\nThủ tướng & bộ\t x\nmới\nô\nnhãn\n");
        let p = &d.parts[0].paragraphs[1];
        assert_eq!(p.pieces.len(), 4);
        assert!(p.pieces[0].rpr.is_some() && p.pieces[1].rpr.is_none());
        let ps = &d.parts[0].paragraphs;
        assert_eq!(ps[2].pieces[0].lock, Some(Lock::EarlierChange));
        assert_eq!(ps[4].pieces[0].lock, Some(Lock::Field));
        let s = d.scopes();
        assert!(s[0].contains(Scope::Headline));
        assert!(s[3].contains(Scope::Table));
        // "Thủ tướng": "ớ" is the 1st character of run 2 (the run split inside the word).
        let text = d.text();
        let at = text.find("ớng").unwrap();
        let place = d.run_map().locate(&text, at, false).unwrap();
        assert_eq!(
            (place.part.as_str(), place.paragraph, place.run, place.char),
            (DOCUMENT_PART, 2, 2, 0)
        );
        // The end of "tư" names the bold run 1, after its 6 characters.
        let end = d.run_map().locate(&text, at, true).unwrap();
        assert_eq!((end.run, end.char), (1, 6));
    }

    fn package(entries: &[(&str, &str)]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn parts_are_read_only_when_asked_and_located() {
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
        let bytes = package(&[
            (DOCUMENT_PART, &body("<w:p><w:r><w:t>Tít</w:t></w:r></w:p><w:p><w:r><w:t>Thân</w:t></w:r></w:p>")),
            ("word/header10.xml", &format!("<w:hdr {w}><w:p><w:r><w:t>Đầu 10</w:t></w:r></w:p></w:hdr>")),
            ("word/header2.xml", &format!("<w:hdr {w}><w:p><w:r><w:t>Đầu 2</w:t></w:r></w:p></w:hdr>")),
            ("word/footnotes.xml", &format!("<w:footnotes {w}><w:footnote w:id=\"1\"><w:p><w:r><w:t>Chú</w:t></w:r><w:r><w:t>thích</w:t></w:r></w:p></w:footnote></w:footnotes>")),
            ("word/comments.xml", &format!("<w:comments {w}><w:comment w:id=\"0\"><w:p><w:r><w:t>Ý kiến</w:t></w:r></w:p></w:comment></w:comments>")),
            ("word/footer1.xml", &format!("<w:ftr {w}><w:p><w:r><w:t>Chân</w:t></w:r></w:p></w:ftr>")),
            ("word/endnotes.xml", &format!("<w:endnotes {w}><w:endnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:endnote><w:endnote w:id=\"1\"><w:p><w:r><w:t>Cuối</w:t></w:r></w:p></w:endnote></w:endnotes>")),
            ("word/headerx.xml", "<not-a-header/>"),
        ]);
        assert_eq!(Docx::read(&bytes).unwrap().text(), "Tít\nThân");
        let all = Parts {
            headers: true,
            footers: true,
            footnotes: true,
            endnotes: true,
            comments: true,
        };
        let d = Docx::read_parts(&bytes, &all).unwrap();
        // The endnote separator's paragraph is not counted.
        assert_eq!(d.text(), "Tít\nThân\nĐầu 2\nĐầu 10\nChân\nChúthích\nCuối\nÝ kiến");
        let names: Vec<&str> = d.parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                DOCUMENT_PART,
                "word/header2.xml",
                "word/header10.xml",
                "word/footer1.xml",
                "word/footnotes.xml",
                "word/endnotes.xml",
                "word/comments.xml"
            ]
        );
        // Only the document part has a headline.
        let s = d.scopes();
        assert!(s[0].contains(Scope::Headline) && !s[2].contains(Scope::Headline));
        let text = d.text();
        let map = d.run_map();
        let at = text.find("thích").unwrap();
        let p = map.locate(&text, at + "th".len(), false).unwrap();
        assert_eq!(
            (p.part.as_str(), p.paragraph, p.run, p.char),
            ("word/footnotes.xml", 1, 2, 2)
        );
        assert_eq!(map.paragraph(5), Some(("word/footnotes.xml", 1)));
        assert_eq!(map.paragraph(6), Some(("word/endnotes.xml", 1)));
        assert_eq!(map.lock(at..at + 2), None);
        let c = text.find("kiến").unwrap();
        assert_eq!(map.lock(c..c + 1), Some(Lock::Comment));
        assert_eq!(
            map.lock(c..c),
            Some(Lock::Comment),
            "an insertion with only comment text around"
        );
        // Only footnotes asked: just them.
        let notes = Parts {
            footnotes: true,
            ..Parts::default()
        };
        assert_eq!(Docx::read_parts(&bytes, &notes).unwrap().text(), "Tít\nThân\nChúthích");
        // A broken part is located by its name.
        let bad = package(&[
            (DOCUMENT_PART, &body("<w:p/>")),
            ("word/footnotes.xml", "<w:footnotes><w:p></w:footnotes>"),
        ]);
        let e = Docx::read_parts(&bad, &notes).unwrap_err();
        assert!(e.message.starts_with("word/footnotes.xml: bad XML"), "{}", e.message);
    }

    #[test]
    fn entity_declarations_are_refused() {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\
                   <w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>";
        let e = Docx::from_xml(xml.into()).unwrap_err();
        assert!(e.message.contains("DOCTYPE"), "{}", e.message);
        let e = Docx::from_xml(body("<w:p><w:r><w:t>&lol;</w:t></w:r></w:p>")).unwrap_err();
        assert!(e.message.contains("undefined entity"), "{}", e.message);
    }

    #[test]
    fn broken_xml_is_located() {
        let e = Docx::from_xml(body("<w:p><w:r><w:t>a</w:r></w:p>")).unwrap_err();
        assert!(
            e.message.starts_with("word/document.xml: bad XML at byte"),
            "{}",
            e.message
        );
    }
}
