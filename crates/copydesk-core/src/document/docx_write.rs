//! Writing fixes into a Word document: as tracked changes (`w:del` + `w:ins` by the
//! author `copydesk`) or directly. Only the `<w:t>` elements that change are rewritten;
//! a changed run is split around the change and every part keeps the run's properties.
//! Every other ZIP entry is copied as stored (compressed bytes included).

use std::io::{Cursor, Write};
use std::ops::Range;

use super::docx::{Docx, DocxError, Paragraph};
use super::html::escape;

pub const AUTHOR: &str = "copydesk";

/// What writing produced.
#[derive(Debug)]
pub struct Written {
    pub bytes: Vec<u8>,
    /// Changes written.
    pub changes: usize,
    /// Changes that touch text a fix must not edit (fields, earlier tracked changes,
    /// tabs, comments) and were left out.
    pub refused: Vec<Refused>,
}

/// A change that was not written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// 0-based line of the checked text (the paragraph, counted over all parts).
    pub line: usize,
    /// Byte range in that paragraph's text as written (so as read back).
    pub range: Range<usize>,
    /// The text the change would have replaced, and its replacement.
    pub found: String,
    pub replacement: String,
    pub reason: &'static str,
}

fn err(m: impl Into<String>) -> DocxError {
    DocxError { message: m.into() }
}

/// One change inside a paragraph: a byte range of its text and what replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub range: Range<usize>,
    pub insert: String,
}

/// The changes that turn `old` into `new`, character by character, merged where they
/// touch.
pub fn diff(old: &str, new: &str) -> Vec<Change> {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let mut a_off = Vec::with_capacity(a.len() + 1);
    let mut o = 0;
    for c in &a {
        a_off.push(o);
        o += c.len_utf8();
    }
    a_off.push(o);
    let mut out: Vec<Change> = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b) {
        let (tag, ar, br) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let range = a_off[ar.start]..a_off[ar.end];
        let insert: String = b[br].iter().collect();
        match out.last_mut() {
            Some(last) if last.range.end == range.start => {
                last.range.end = range.end;
                last.insert.push_str(&insert);
            }
            _ => out.push(Change { range, insert }),
        }
    }
    out
}

/// Edits of one piece: local byte ranges of its text and their replacements.
type PieceOps = Vec<(Range<usize>, String)>;
/// A change that could not be placed (its index) and why.
type NotPlaced = (usize, &'static str);

/// Maps a paragraph's changes to its pieces; returns (piece index, ops) and the changes
/// that could not be placed, with why.
fn place(p: &Paragraph, changes: &[Change]) -> (Vec<(usize, PieceOps)>, Vec<NotPlaced>) {
    let mut ops: Vec<PieceOps> = vec![Vec::new(); p.pieces.len()];
    let mut skipped = Vec::new();
    for (n, c) in changes.iter().enumerate() {
        let r = &c.range;
        let touched: Vec<usize> = if r.is_empty() {
            // An insertion goes with the text before it, else the text after it.
            let before = p
                .pieces
                .iter()
                .position(|x| x.out.start < r.start && r.start <= x.out.end && x.lock.is_none());
            let after = p.pieces.iter().position(|x| x.out.start == r.start && x.lock.is_none());
            match before.or(after) {
                Some(i) => vec![i],
                // Name the lock of the text there, if any.
                None => p
                    .pieces
                    .iter()
                    .position(|x| x.out.start <= r.start && r.start <= x.out.end)
                    .into_iter()
                    .collect(),
            }
        } else {
            (0..p.pieces.len())
                .filter(|&i| p.pieces[i].out.start < r.end && r.start < p.pieces[i].out.end)
                .collect()
        };
        if touched.is_empty() {
            skipped.push((n, "the text there is not in a run copydesk can edit"));
            continue;
        }
        if let Some(lock) = touched.iter().find_map(|&i| p.pieces[i].lock) {
            skipped.push((n, lock.reason()));
            continue;
        }
        for (k, &i) in touched.iter().enumerate() {
            let x = &p.pieces[i].out;
            let local = r.start.max(x.start) - x.start..r.end.min(x.end) - x.start;
            let insert = if k == 0 { c.insert.clone() } else { String::new() };
            ops[i].push((local, insert));
        }
    }
    let placed = ops.into_iter().enumerate().filter(|(_, o)| !o.is_empty()).collect();
    (placed, skipped)
}

struct Tracker<'a> {
    next_id: u64,
    date: &'a str,
}

impl Tracker<'_> {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

/// The XML that replaces one `<w:t>` element.
fn rewrite_piece(text: &str, ops: &PieceOps, rpr: &str, track: Option<&mut Tracker<'_>>) -> String {
    let t = |s: &str| {
        if s.is_empty() {
            String::new()
        } else {
            format!("<w:t xml:space=\"preserve\">{}</w:t>", escape(s))
        }
    };
    let Some(tr) = track else {
        let mut s = String::new();
        let mut pos = 0;
        for (r, ins) in ops {
            s.push_str(&text[pos..r.start]);
            s.push_str(ins);
            pos = r.end;
        }
        s.push_str(&text[pos..]);
        return t(&s);
    };
    let mut out = String::new();
    let mut pos = 0;
    for (r, ins) in ops {
        out.push_str(&t(&text[pos..r.start]));
        out.push_str("</w:r>");
        if !r.is_empty() {
            let id = tr.id();
            out.push_str(&format!(
                "<w:del w:id=\"{id}\" w:author=\"{AUTHOR}\" w:date=\"{}\"><w:r>{rpr}<w:delText xml:space=\"preserve\">{}</w:delText></w:r></w:del>",
                tr.date,
                escape(&text[r.clone()])
            ));
        }
        if !ins.is_empty() {
            let id = tr.id();
            out.push_str(&format!(
                "<w:ins w:id=\"{id}\" w:author=\"{AUTHOR}\" w:date=\"{}\"><w:r>{rpr}{}</w:r></w:ins>",
                tr.date,
                t(ins)
            ));
        }
        out.push_str("<w:r>");
        out.push_str(rpr);
        pos = r.end;
    }
    out.push_str(&t(&text[pos..]));
    out
}

/// The largest `w:id` in the part, so new change ids do not collide.
fn max_id(xml: &str) -> u64 {
    let mut max = 0;
    let mut rest = xml;
    while let Some(i) = rest.find("w:id=\"") {
        rest = &rest[i + 6..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(n) = rest[..digits].parse::<u64>() {
            max = max.max(n);
        }
    }
    max
}

/// Writes `fixed` (the checked text after fixes, one line per paragraph of every part
/// read) into the document: a new ZIP in memory.
pub fn write(original: &[u8], docx: &Docx, fixed: &str, track: bool, date: &str) -> Result<Written, DocxError> {
    let lines: Vec<&str> = fixed.split('\n').collect();
    if lines.len() != docx.paragraphs().count() {
        return Err(err("the fixes changed the number of paragraphs; nothing was written"));
    }
    let mut tracker = Tracker {
        next_id: docx.parts.iter().map(|p| max_id(&p.xml)).max().unwrap_or(0).max(1000),
        date,
    };
    let mut lines = lines.into_iter();
    let mut changes = 0;
    let mut refused = Vec::new();
    let mut replaced: Vec<(&str, String)> = Vec::new();
    let mut line = 0;
    for part in &docx.parts {
        let mut splices: Vec<(Range<usize>, String)> = Vec::new();
        for p in &part.paragraphs {
            let new = lines.next().unwrap_or_default();
            line += 1;
            if p.text == new {
                continue;
            }
            let cs = diff(&p.text, new);
            let (placed, skipped) = place(p, &cs);
            changes += cs.len() - skipped.len();
            let not_written: Vec<usize> = skipped.iter().map(|(n, _)| *n).collect();
            for (n, reason) in skipped {
                let c = &cs[n];
                // Where it is in the text as written: moved by the changes written before it.
                let shift: isize = cs
                    .iter()
                    .enumerate()
                    .filter(|(k, x)| x.range.end <= c.range.start && !not_written.contains(k))
                    .map(|(_, x)| x.insert.len() as isize - x.range.len() as isize)
                    .sum();
                let start = c.range.start.saturating_add_signed(shift);
                refused.push(Refused {
                    line: line - 1,
                    range: start..start + c.range.len(),
                    found: p.text[c.range.clone()].to_string(),
                    replacement: c.insert.clone(),
                    reason,
                });
            }
            for (i, ops) in placed {
                let piece = &p.pieces[i];
                let rpr = piece.rpr.clone().map_or("", |r| &part.xml[r]);
                let text = &p.text[piece.out.clone()];
                let xml = rewrite_piece(text, &ops, rpr, track.then_some(&mut tracker));
                splices.push((piece.xml.clone(), xml));
            }
        }
        if splices.is_empty() {
            continue;
        }
        splices.sort_by_key(|s| s.0.start);
        let mut xml = String::with_capacity(part.xml.len() + splices.len() * 200);
        let mut pos = 0;
        for (r, s) in &splices {
            xml.push_str(&part.xml[pos..r.start]);
            xml.push_str(s);
            pos = r.end;
        }
        xml.push_str(&part.xml[pos..]);
        replaced.push((&part.name, xml));
    }
    let bytes = repack(original, &replaced)?;
    Ok(Written {
        bytes,
        changes,
        refused,
    })
}

/// A copy of the ZIP with the `replaced` parts' XML; other entries are copied raw.
pub fn repack(original: &[u8], replaced: &[(&str, String)]) -> Result<Vec<u8>, DocxError> {
    let zerr = |e: zip::result::ZipError| err(format!("cannot write the document: {e}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(original)).map_err(zerr)?;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(original.len() + 4096)));
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(zerr)?;
        if let Some((name, xml)) = replaced.iter().find(|(n, _)| *n == entry.name()) {
            let mut options = zip::write::SimpleFileOptions::default().compression_method(entry.compression());
            if let Some(t) = entry.last_modified() {
                options = options.last_modified_time(t);
            }
            drop(entry);
            w.start_file(*name, options).map_err(zerr)?;
            w.write_all(xml.as_bytes())
                .map_err(|e| err(format!("cannot write the document: {e}")))?;
        } else {
            w.raw_copy_file(entry).map_err(zerr)?;
        }
    }
    Ok(w.finish().map_err(zerr)?.into_inner())
}

/// Now as `2026-12-03T11:46:27Z`, the form Word writes in `w:date`.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (proleptic Gregorian).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(inner: &str) -> Docx {
        Docx::from_xml(format!(
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{inner}</w:body></w:document>"
        ))
        .unwrap()
    }

    fn splice(d: &Docx, fixed: &str, track: bool) -> String {
        let mut tracker = Tracker { next_id: 0, date: "D" };
        let mut out = d.parts[0].xml.clone();
        let p = &d.parts[0].paragraphs[0];
        let (placed, _) = place(p, &diff(&p.text, fixed));
        for (i, ops) in placed.into_iter().rev() {
            let piece = &p.pieces[i];
            let rpr = piece.rpr.clone().map_or("", |r| &d.parts[0].xml[r]);
            let x = rewrite_piece(&p.text[piece.out.clone()], &ops, rpr, track.then_some(&mut tracker));
            out.replace_range(piece.xml.clone(), &x);
        }
        out
    }

    #[test]
    fn markup_characters_are_escaped_in_written_text() {
        // The run's text is "a &amp; b"; the fix inserts `<` and `&`: both stay text.
        let d = doc("<w:p><w:r><w:t>a &amp; b</w:t></w:r></w:p>");
        for track in [true, false] {
            let out = splice(&d, "a & <b> & b", track);
            assert!(out.contains("&lt;b&gt; &amp;"), "{out}");
            assert_eq!(Docx::from_xml(out).unwrap().text(), "a & <b> & b");
        }
    }

    #[test]
    fn a_change_across_runs_keeps_each_runs_properties() {
        // "TP. HCM" split inside a word, bold then plain: the fix removes the dot.
        let d = doc("<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>TP</w:t></w:r><w:r><w:t>. HCM</w:t></w:r></w:p>");
        let tracked = splice(&d, "TP HCM", true);
        assert!(tracked.contains(
            "<w:t>TP</w:t></w:r><w:r></w:r><w:del w:id=\"1\" w:author=\"copydesk\" w:date=\"D\"><w:r><w:delText xml:space=\"preserve\">.</w:delText></w:r></w:del><w:r><w:t xml:space=\"preserve\"> HCM</w:t></w:r>"
        ), "{tracked}");
        let re = Docx::from_xml(tracked).unwrap();
        assert_eq!(re.text(), "TP HCM", "the deletion is not checked text");
        let direct = splice(&d, "TP HCM", false);
        assert_eq!(Docx::from_xml(direct).unwrap().text(), "TP HCM");
        // A replacement that starts in the bold run puts the insertion there, bold.
        let t = splice(&d, "Tp HCM", true);
        let re = Docx::from_xml(t.clone()).unwrap();
        assert_eq!(re.text(), "Tp HCM");
        assert!(t.contains("<w:ins w:id=\"3\" w:author=\"copydesk\" w:date=\"D\"><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">p</w:t>"), "{t}");
    }

    #[test]
    fn notes_get_tracked_changes_and_comments_are_refused() {
        use super::super::docx::{Lock, Parts};
        use std::io::Read;
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, xml) in [
            ("word/document.xml", format!("<w:document {w}><w:body><w:p><w:r><w:t>Tít</w:t></w:r></w:p></w:body></w:document>")),
            ("word/footnotes.xml", format!("<w:footnotes {w}><w:footnote w:id=\"1\"><w:p><w:r><w:rPr><w:i/></w:rPr><w:t>Nguồn , Bộ</w:t></w:r></w:p></w:footnote></w:footnotes>")),
            ("word/comments.xml", format!("<w:comments {w}><w:comment w:id=\"0\"><w:p><w:r><w:t>Sửa , gấp</w:t></w:r></w:p></w:comment></w:comments>")),
        ] {
            z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(xml.as_bytes()).unwrap();
        }
        let bytes = z.finish().unwrap().into_inner();
        let parts = Parts {
            footnotes: true,
            comments: true,
            ..Parts::default()
        };
        let d = Docx::read_parts(&bytes, &parts).unwrap();
        assert_eq!(d.text(), "Tít\nNguồn , Bộ\nSửa , gấp");
        let out = write(&bytes, &d, "Tít\nNguồn, Bộ\nSửa, gấp", true, "D").unwrap();
        assert_eq!(out.changes, 1);
        assert_eq!(
            out.refused,
            vec![Refused {
                line: 2,
                range: 5..6, // after "Sửa" (5 bytes)
                found: " ".into(),
                replacement: String::new(),
                reason: Lock::Comment.reason(),
            }]
        );
        let mut a = zip::ZipArchive::new(Cursor::new(&out.bytes)).unwrap();
        let mut notes = String::new();
        a.by_name("word/footnotes.xml")
            .unwrap()
            .read_to_string(&mut notes)
            .unwrap();
        // The deletion keeps the run's italics.
        assert!(
            notes.contains("<w:del w:id=\"1001\" w:author=\"copydesk\" w:date=\"D\"><w:r><w:rPr><w:i/></w:rPr><w:delText xml:space=\"preserve\"> </w:delText>"),
            "{notes}"
        );
        let again = Docx::read_parts(&out.bytes, &parts).unwrap();
        assert_eq!(again.text(), "Tít\nNguồn, Bộ\nSửa , gấp");
        assert_eq!(again.parts[2].xml, d.parts[2].xml, "comments untouched");
    }

    #[test]
    fn fields_and_tabs_are_not_edited() {
        let d = doc("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>");
        let p = &d.parts[0].paragraphs[0];
        let (_, skipped) = place(p, &diff(&p.text, "a b"));
        assert_eq!(skipped, vec![(0, super::super::docx::Lock::Mark.reason())]);
    }

    #[test]
    fn diff_merges_touching_edits() {
        assert_eq!(
            diff("Hà Nội , ngày", "Hà Nội, ngày"),
            vec![Change {
                range: 9..10,
                insert: String::new()
            }]
        );
        assert_eq!(diff("\"a\"", "“a”").len(), 2);
    }

    #[test]
    fn date_format() {
        let d = now_utc();
        assert_eq!(d.len(), 20);
        assert!(d.ends_with('Z') && d.starts_with("20"));
    }
}
