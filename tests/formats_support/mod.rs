//! Builders of test documents: small Word files made from our own text.
#![allow(dead_code)]

use std::io::{Cursor, Read, Write};

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// `e\u{301}` style: Vietnamese in decomposed form (NFD), as some Mac and web tools write it.
pub fn nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().collect()
}

/// A Word package with `body` (the inside of `<w:body>`) as its document part.
pub fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    package(&[
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string()),
        (
            "word/styles.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:styles xmlns:w=\"{W}\">{STYLES}</w:styles>"),
        ),
        (
            "word/footnotes.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:footnotes xmlns:w=\"{W}\">{FOOTNOTES}</w:footnotes>"
            ),
        ),
    ])
}

/// A ZIP of the given entries, deflated.
pub fn package(entries: &[(&str, String)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The text of a ZIP entry.
pub fn entry(zip_bytes: &[u8], name: &str) -> String {
    let mut a = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut f = a.by_name(name).unwrap();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

/// Every entry's name and stored (compressed) bytes, in order.
pub fn raw_entries(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index_raw(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/bai-viet" TargetMode="External"/></Relationships>"#;

const STYLES: &str = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style><w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>"#;

const FOOTNOTES: &str = r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">Nguồn: Bộ Y tế .</w:t></w:r></w:p></w:footnote>"#;

/// A paragraph of runs: `(properties, text)`.
pub fn para(style: Option<&str>, runs: &[(&str, &str)]) -> String {
    let mut s = String::from("<w:p>");
    if let Some(st) = style {
        s.push_str(&format!("<w:pPr><w:pStyle w:val=\"{st}\"/></w:pPr>"));
    }
    for (props, text) in runs {
        s.push_str("<w:r>");
        if !props.is_empty() {
            s.push_str(&format!("<w:rPr>{props}</w:rPr>"));
        }
        s.push_str(&format!("<w:t xml:space=\"preserve\">{}</w:t></w:r>", xml_escape(text)));
    }
    s.push_str("</w:p>");
    s
}

pub fn xml_escape(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The Vietnamese test article: NFD text, a run split inside a word, bold and italic
/// runs, a hyperlink, a footnote reference and a table. Findings (a space before
/// punctuation) sit in plain runs, across a run boundary and in a table cell.
pub fn article() -> Vec<u8> {
    let mut body = String::new();
    body.push_str(&para(Some("Title"), &[("", &nfd("Thủ tướng thăm Hà Nội"))]));
    // "tướng" is split between a bold run and a plain one.
    body.push_str(&para(
        None,
        &[
            ("<w:b/>", &nfd("Thủ tư")),
            ("", &nfd("ớng nói với báo chí ")),
            ("<w:i/>", &nfd(", rồi đi tiếp .")),
        ],
    ));
    body.push_str(&format!(
        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:hyperlink r:id=\"rId3\"><w:r><w:rPr><w:rStyle w:val=\"Hyperlink\"/></w:rPr><w:t>VnExpress</w:t></w:r></w:hyperlink><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:footnoteReference w:id=\"1\"/></w:r><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        nfd("Theo "),
        nfd(" đưa tin"),
        nfd(" 😀 hôm nay .")
    ));
    body.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"4000\"/><w:gridCol w:w=\"4000\"/></w:tblGrid><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        para(None, &[("", &nfd("Tỉnh"))]),
        para(None, &[("", &nfd("Số ca tăng , giảm"))]),
    ));
    body.push_str(&para(None, &[("", &nfd("Hết."))]));
    docx(&body)
}

/// The document committed as `examples/tin-word.docx` (composed text, a few findings).
pub fn example() -> Vec<u8> {
    let mut body = String::new();
    body.push_str(&para(Some("Title"), &[("", "Hà Nội mở thêm 3 tuyến xe buýt điện")]));
    body.push_str(&para(
        None,
        &[
            ("<w:b/>", "Sở Giao thông vận tải Hà Nội"),
            ("", " cho biết từ ngày 1/7 , thành phố sẽ mở thêm ba tuyến xe buýt điện nối trung tâm với các khu đô thị mới ."),
        ],
    ));
    body.push_str(&para(
        None,
        &[(
            "",
            "Theo kế hoạch, mỗi tuyến có 20 xe, tần suất 15 phút/chuyến. Giá vé là 7.000 đồng/lượt.",
        )],
    ));
    body.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"4000\"/><w:gridCol w:w=\"4000\"/></w:tblGrid><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        para(None, &[("", "Tuyến E01")]),
        para(None, &[("", "Long Biên - Gia Lâm , 18 km")]),
    ));
    docx(&body)
}

/// The test article with a page header, a footnote and a comment anchored on its last
/// paragraph: findings in each (a space before punctuation).
pub fn article_with_parts() -> Vec<u8> {
    let mut body = String::new();
    let bytes = article();
    let document = entry(&bytes, "word/document.xml");
    let inner = &document[document.find("<w:body>").unwrap() + 8..document.find("<w:sectPr/>").unwrap()];
    // The comment covers the last paragraph, "Hết.".
    let last = para(None, &[("", &nfd("Hết."))]);
    let anchored = format!(
        "<w:p><w:commentRangeStart w:id=\"0\"/>{}<w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r></w:p>",
        &last[5..last.len() - 6]
    );
    body.push_str(&inner.replace(&last, &anchored));
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>{body}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId10\"/></w:sectPr></w:body></w:document>"
    );
    let types = CONTENT_TYPES.replace(
        "</Types>",
        "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
         <Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/></Types>",
    );
    let rels = DOC_RELS.replace(
        "</Relationships>",
        "<Relationship Id=\"rId10\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
         <Relationship Id=\"rId11\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/></Relationships>",
    );
    package(&[
        ("[Content_Types].xml", types),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", rels),
        (
            "word/styles.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:styles xmlns:w=\"{W}\">{STYLES}</w:styles>"),
        ),
        (
            "word/footnotes.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:footnotes xmlns:w=\"{W}\">{FOOTNOTES}</w:footnotes>"
            ),
        ),
        (
            "word/header1.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:hdr xmlns:w=\"{W}\">{}</w:hdr>",
                para(None, &[("<w:b/>", &nfd("Báo Tin tức")), ("", &nfd(" , số 12"))])
            ),
        ),
        (
            "word/comments.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:comments xmlns:w=\"{W}\"><w:comment w:id=\"0\" w:author=\"Biên tập\" w:date=\"2026-12-01T08:00:00Z\" w:initials=\"BT\">{}</w:comment></w:comments>",
                para(None, &[("", "Kiểm tra lại số liệu .")])
            ),
        ),
    ])
}
