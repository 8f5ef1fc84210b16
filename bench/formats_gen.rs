//! Writes the inputs of `bench/formats.sh`: a 1 MB HTML page and a 50-page Word
//! document, both made of generated Vietnamese copy (fixed seed).
//!
//! ```text
//! cargo run --example formats_gen -- DIR
//! ```

use std::io::Write;

use copydesk_core::testing::corpus;

fn paragraphs(bytes: usize) -> Vec<String> {
    corpus::article(7, bytes)
        .split("\n\n")
        .map(|p| p.trim_start_matches("# ").replace('\n', " "))
        .filter(|p| !p.trim().is_empty())
        .collect()
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn html(target: usize) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Tin</title>\n<style>p{margin:0}</style></head><body>\n");
    // Markup is about a third of a CMS page: nav, classes, inline tags, a script.
    let paras = paragraphs(target * 2 / 3);
    for (i, p) in paras.iter().enumerate() {
        if out.len() >= target {
            break;
        }
        if i == 0 {
            out.push_str(&format!("<h1 class=\"title\">{}</h1>\n", escape(p)));
            continue;
        }
        let words: Vec<&str> = p.split(' ').collect();
        let mid = words.len() / 2;
        out.push_str(&format!(
            "<div class=\"body\"><p class=\"normal\">{} <b>{}</b> {}</p></div>\n",
            escape(&words[..mid.saturating_sub(2)].join(" ")),
            escape(&words[mid.saturating_sub(2)..mid].join(" ")),
            escape(&words[mid..].join(" "))
        ));
        if i % 20 == 0 {
            out.push_str("<script>window.dataLayer=window.dataLayer||[];</script>\n");
        }
    }
    out.push_str("</body></html>\n");
    out
}

fn docx(text_bytes: usize) -> Vec<u8> {
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let mut body = String::new();
    for (i, p) in paragraphs(text_bytes).iter().enumerate() {
        body.push_str("<w:p>");
        if i == 0 {
            body.push_str("<w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>");
        }
        // Word splits text into many runs (spell check, edits): one every eight words.
        for chunk in p.split(' ').collect::<Vec<_>>().chunks(8) {
            body.push_str(&format!(
                "<w:r><w:rPr><w:rFonts w:ascii=\"Times New Roman\"/><w:sz w:val=\"26\"/></w:rPr><w:t xml:space=\"preserve\">{} </w:t></w:r>",
                escape(&chunk.join(" "))
            ));
        }
        body.push_str("</w:p>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"{w}\"><w:body>{body}</w:body></w:document>"
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("[Content_Types].xml", o).unwrap();
    z.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>").unwrap();
    z.start_file("_rels/.rels", o).unwrap();
    z.write_all(b"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>").unwrap();
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(document.as_bytes()).unwrap();
    z.finish().unwrap().into_inner()
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: formats_gen DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let page = html(1 << 20);
    std::fs::write(dir.join("page-1MB.html"), &page).unwrap();
    // 50 pages of 12-point text: about 500 words, some 3 KB of Vietnamese, a page.
    let doc = docx(50 * 3000);
    std::fs::write(dir.join("report-50-pages.docx"), &doc).unwrap();
    println!(
        "page-1MB.html: {} bytes; report-50-pages.docx: {} bytes",
        page.len(),
        doc.len()
    );
}
