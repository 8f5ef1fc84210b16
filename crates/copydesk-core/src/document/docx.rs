//! Word documents (`.docx`): the main document part read with a streaming XML reader.
//! The checked text has one line per paragraph (so a finding's line is its paragraph
//! number and its column the character in it); every piece of that text remembers the
//! `<w:t>` element it came from, which is what the writer (`docx_write`) edits.

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

/// Where a piece of paragraph text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Byte range in the paragraph's text.
    pub out: Range<usize>,
    /// Byte range in the XML of the element that holds it (`<w:t>…</w:t>`, `<w:tab/>`).
    pub xml: Range<usize>,
    /// The run's properties (`<w:rPr>…</w:rPr>`), copied into split runs.
    pub rpr: Option<Range<usize>>,
    /// Plain text of a run outside fields and earlier tracked changes: a fix may edit it.
    pub editable: bool,
    /// Where it is, for JSON output: `p[3]/r[2]/t[1]` (1-based, in the paragraph).
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

/// A Word document as read: the document part and its paragraphs.
#[derive(Debug, Clone)]
pub struct Docx {
    pub xml: String,
    pub paragraphs: Vec<Paragraph>,
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
    /// Reads a `.docx` file's bytes.
    pub fn read(bytes: &[u8]) -> Result<Docx, DocxError> {
        let xml = read_part(bytes, DOCUMENT_PART)?;
        Docx::from_xml(xml)
    }

    /// Parses the XML of the document part.
    pub fn from_xml(xml: String) -> Result<Docx, DocxError> {
        let paragraphs = parse(&xml)?;
        Ok(Docx { xml, paragraphs })
    }

    /// The checked text: one line per paragraph.
    pub fn text(&self) -> String {
        let mut t = String::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                t.push('\n');
            }
            t.push_str(&p.text);
        }
        t
    }

    /// Scopes of each paragraph: the headline is the first paragraph styled Title or
    /// Heading 1, else the first paragraph with text.
    pub fn scopes(&self) -> Vec<ScopeSet> {
        let headline = self
            .paragraphs
            .iter()
            .position(Paragraph::is_headline_style)
            .or_else(|| self.paragraphs.iter().position(|p| !p.text.trim().is_empty()));
        self.paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| p.scopes(Some(i) == headline))
            .collect()
    }

    pub fn document(&self) -> Document {
        document_from_lines(self.text(), &self.scopes())
    }

    /// Where the extracted offset `off` is: paragraph index and piece (run) number.
    pub fn run_path(&self, off: usize) -> Option<String> {
        let mut start = 0;
        for (i, p) in self.paragraphs.iter().enumerate() {
            let end = start + p.text.len();
            if off <= end {
                let local = off - start;
                let piece = p.pieces.iter().find(|x| x.out.start <= local && local < x.out.end)?;
                return Some(format!("/w:document/w:body/w:p[{}]/w:r[{}]", i + 1, piece.run));
            }
            start = end + 1;
        }
        None
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

fn parse(xml: &str) -> Result<Vec<Paragraph>, DocxError> {
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
    let mut rpr: Option<Range<usize>> = None;
    let mut rpr_start = None;
    let mut t: Option<(usize, String)> = None;
    let bad = |at: u64, m: String| err(format!("{DOCUMENT_PART}: bad XML at byte {at}: {m}"));

    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| bad(reader.error_position(), e.to_string()))?;
        let after = reader.buffer_position() as usize;
        let visible = deleted == 0 && hidden == 0 && fields.last().is_none_or(|f| *f == Field::Result);
        let editable = visible && inserted == 0 && fields.is_empty();
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
                if name_is(&e, b"w:p") {
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
                            editable: false,
                            run,
                        });
                    }
                }
            }
            Event::End(e) => {
                open.pop();
                match e.name().as_ref() {
                    b"w:p" => {
                        if let Some(b) = stack.pop() {
                            paragraphs.push(b.p);
                        }
                    }
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
                                    editable,
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
        let p = &d.paragraphs[1];
        assert_eq!(p.pieces.len(), 4);
        assert!(p.pieces[0].rpr.is_some() && p.pieces[1].rpr.is_none());
        assert!(!d.paragraphs[2].pieces[0].editable, "inside an earlier insertion");
        assert!(!d.paragraphs[4].pieces[0].editable, "a field result");
        let s = d.scopes();
        assert!(s[0].contains(Scope::Headline));
        assert!(s[3].contains(Scope::Table));
        assert_eq!(d.run_path(5).as_deref(), Some("/w:document/w:body/w:p[2]/w:r[1]"));
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
