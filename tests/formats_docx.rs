//! Word documents end to end through the real binary: findings by paragraph, fixes as
//! tracked changes, LibreOffice's reading of the result, and bad input.

mod formats_support;

use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;

use assert_cmd::Command;
use copydesk::document::docx::Docx;
use formats_support::*;
use predicates::prelude::*;

fn copydesk(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("copydesk").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// The article's text (one line per paragraph) before and after the safe fixes.
fn expected() -> (String, String) {
    use unicode_normalization::UnicodeNormalization;
    let original = nfd(
        "Thủ tướng thăm Hà Nội\nThủ tướng nói với báo chí , rồi đi tiếp .\nTheo VnExpress đưa tin 😀 hôm nay .\nTỉnh\nSố ca tăng , giảm\nHết.",
    );
    let fixed: String = original.replace(" ,", ",").replace(" .", ".").nfc().collect();
    (original, fixed)
}

#[test]
fn dump_article_for_manual_checks() {
    if let Ok(p) = std::env::var("COPYDESK_DUMP_DOCX") {
        fs::write(p, article()).unwrap();
    }
}

#[test]
fn findings_carry_paragraph_and_character_and_skip_footnotes() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bai.docx"), article()).unwrap();
    let (original, _) = expected();
    assert_eq!(Docx::read(&article()).unwrap().text(), original);
    // Paragraph 2, the space before "," after "chí" (NFD: characters, not letters).
    let col = original.lines().nth(1).unwrap().find(" ,").unwrap();
    let col = original.lines().nth(1).unwrap()[..col].chars().count() + 1;
    copydesk(dir.path())
        .args(["check", "bai.docx"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("--> bai.docx:2:{col}")))
        .stdout(predicate::str::contains("typography.punctuation"))
        // The hyperlink's text is checked (paragraph 3), the footnote's is not.
        .stdout(predicate::str::contains("--> bai.docx:3:"))
        .stdout(predicate::str::contains("Nguồn").not());
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "bai.docx"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.to_string().contains("\"line\":5"), "the table cell is paragraph 5");
}

#[test]
fn fix_writes_tracked_changes_and_copies_other_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bai.docx");
    let before = article();
    fs::write(&path, &before).unwrap();
    copydesk(dir.path())
        .args(["check", "--fix", "bai.docx"])
        .assert()
        .code(0);
    let after = fs::read(&path).unwrap();
    let xml = entry(&after, "word/document.xml");
    assert!(
        xml.contains("<w:del w:id=") && xml.contains("w:author=\"copydesk\""),
        "{xml}"
    );
    assert!(xml.contains("<w:ins w:id="));
    // Run properties survive the split: the bold and italic runs keep them.
    assert!(xml.contains("<w:ins w:id=") && xml.contains("<w:b/>") && xml.contains("<w:i/>"));
    let (original, fixed) = expected();
    assert_eq!(Docx::read(&after).unwrap().text(), fixed, "accepted");
    assert_eq!(reject_all(&xml), original, "rejected");
    // Every other entry, compressed bytes included, is as it was.
    let (a, b) = (raw_entries(&before), raw_entries(&after));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.0, y.0);
        if x.0 != "word/document.xml" {
            assert_eq!(x.1, y.1, "{} changed", x.0);
        }
    }
}

#[test]
fn no_track_changes_edits_directly_and_diff_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bai.docx");
    fs::write(&path, article()).unwrap();
    copydesk(dir.path())
        .args(["check", "--diff", "bai.docx"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-Số ca tăng , giảm").or(predicate::str::contains("Số ca")));
    assert_eq!(fs::read(&path).unwrap(), article());
    copydesk(dir.path())
        .args(["check", "--fix", "--no-track-changes", "bai.docx"])
        .assert()
        .code(0);
    let after = fs::read(&path).unwrap();
    let xml = entry(&after, "word/document.xml");
    assert!(!xml.contains("<w:del ") && !xml.contains("<w:ins "));
    assert_eq!(Docx::read(&after).unwrap().text(), expected().1);
}

/// The document part's text with every tracked change rejected: insertions dropped,
/// deletions restored (our own reading, checked against LibreOffice's below).
fn reject_all(xml: &str) -> String {
    let mut x = xml.to_string();
    while let Some(i) = x.find("<w:ins ") {
        let j = x[i..].find("</w:ins>").unwrap() + i + "</w:ins>".len();
        x.replace_range(i..j, "");
    }
    let x = x
        .replace("<w:delText", "<w:t")
        .replace("</w:delText>", "</w:t>")
        .replace("</w:del>", "")
        .replace("<w:del ", "<w:ignored ");
    let x = strip_tag(&x, "<w:ignored ");
    Docx::from_xml(x).unwrap().text()
}

fn strip_tag(x: &str, open: &str) -> String {
    let mut out = String::new();
    let mut rest = x;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let j = rest[i..].find('>').unwrap() + i + 1;
        rest = &rest[j..];
    }
    out.push_str(rest);
    out
}

/// LibreOffice's flat ODF of the `.docx` at `path` (written under `dir`). One conversion at a
/// time, and a second try with a fresh profile: on a machine where LibreOffice has just been
/// installed, two first launches side by side can abort (seen in CI as `Fatal exception:
/// Signal 6`), which says nothing about the file.
fn convert_to_fodt(soffice: &str, dir: &std::path::Path, path: &std::path::Path) -> String {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    let mut errors = Vec::new();
    for attempt in 0..2 {
        let profile = format!("file://{}", dir.join(format!("profile{attempt}")).display());
        let out_dir = dir.join(format!("out{attempt}"));
        let out = std::process::Command::new(soffice)
            .args(["--headless", "--norestore", &format!("-env:UserInstallation={profile}")])
            .args(["--convert-to", "fodt", "--outdir"])
            .arg(&out_dir)
            .arg(path)
            .output()
            .unwrap();
        match fs::read_to_string(out_dir.join(format!("{stem}.fodt"))) {
            Ok(fodt) => return fodt,
            Err(_) => errors.push(String::from_utf8_lossy(&out.stderr).into_owned()),
        }
    }
    panic!("LibreOffice did not convert, twice: {}", errors.join("\n---\n"));
}

/// LibreOffice, or `None` when it is missing outside CI (CI installs it: missing there
/// is a failure).
fn soffice() -> Option<String> {
    for c in ["soffice", "libreoffice"] {
        if std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(c.to_string());
        }
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("LibreOffice (soffice) is missing; .ci/run installs libreoffice-writer-nogui");
    }
    eprintln!("skipped: LibreOffice (soffice) is not installed");
    None
}

/// Which paragraphs of a flat ODF document [`odf_texts_of`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Region {
    /// The body, without notes and comments.
    Body,
    /// Footnote and endnote bodies.
    Notes,
    /// Page headers (in the master styles).
    Header,
}

/// Paragraph texts of a flat ODF document's body with all tracked changes accepted and
/// with all rejected.
fn odf_texts(fodt: &str) -> (String, String) {
    odf_texts_of(fodt, Region::Body)
}

/// Paragraph texts of `region` with all tracked changes accepted and with all rejected.
/// LibreOffice keeps both inserted and deleted text between change marks (older
/// versions keep deleted text in the change region; both are read).
fn odf_texts_of(fodt: &str, which: Region) -> (String, String) {
    use quick_xml::events::Event;
    use std::collections::HashMap;
    let mut kinds: HashMap<String, (bool, String)> = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(fodt);
    let mut region: Option<String> = None;
    let mut in_deletion = false;
    let attr = |e: &quick_xml::events::BytesStart<'_>, k: &[u8]| {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == k)
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
    };
    // Pass 1: the change regions.
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"text:changed-region" => region = attr(&e, b"text:id"),
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"text:deletion" => {
                in_deletion = true;
                kinds.insert(region.clone().unwrap(), (true, String::new()));
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"text:insertion" => {
                kinds.insert(region.clone().unwrap(), (false, String::new()));
            }
            Event::End(e) if e.name().as_ref() == b"text:deletion" => in_deletion = false,
            Event::Text(t) if in_deletion => {
                let r = region.clone().unwrap();
                kinds.get_mut(&r).unwrap().1.push_str(&t.decode().unwrap());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Pass 2: the body.
    let mut reader = quick_xml::Reader::from_str(fodt);
    let (mut acc, mut rej) = (Vec::<String>::new(), Vec::<String>::new());
    let mut in_body = false;
    let mut skip = 0usize;
    let mut depth_p = 0usize;
    let mut open: Option<(bool, String)> = None;
    let push = |acc: &mut Vec<String>, rej: &mut Vec<String>, s: &str, open: &Option<(bool, String)>| {
        let (a, r) = match open {
            Some((true, _)) => (false, true),
            Some((false, _)) => (true, false),
            None => (true, true),
        };
        if a {
            acc.last_mut().unwrap().push_str(s);
        }
        if r {
            rej.last_mut().unwrap().push_str(s);
        }
    };
    // The element that holds the region: office:text, text:note-body or style:header.
    let holder: &[u8] = match which {
        Region::Body => b"office:text",
        Region::Notes => b"text:note-body",
        Region::Header => b"style:header",
    };
    // What is never part of the region inside its holder.
    let skipped: &[&[u8]] = match which {
        Region::Body => &[b"text:tracked-changes", b"text:note", b"office:annotation"],
        _ => &[b"text:tracked-changes", b"office:annotation"],
    };
    loop {
        let ev = reader.read_event().unwrap();
        match &ev {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == holder => in_body = true,
            Event::End(e) if e.name().as_ref() == holder => in_body = false,
            Event::Start(e) if in_body && skipped.contains(&e.name().as_ref()) => skip += 1,
            Event::End(e) if in_body && skipped.contains(&e.name().as_ref()) => skip -= 1,
            _ if !in_body || skip > 0 => {}
            Event::Start(e) if matches!(e.name().as_ref(), b"text:p" | b"text:h") => {
                depth_p += 1;
                acc.push(String::new());
                rej.push(String::new());
            }
            Event::Empty(e) if matches!(e.name().as_ref(), b"text:p" | b"text:h") => {
                acc.push(String::new());
                rej.push(String::new());
            }
            Event::End(e) if matches!(e.name().as_ref(), b"text:p" | b"text:h") => depth_p -= 1,
            Event::Empty(e) if e.name().as_ref() == b"text:change-start" => {
                let id = attr(e, b"text:change-id").unwrap();
                open = Some((kinds[&id].0, id));
            }
            Event::Empty(e) if e.name().as_ref() == b"text:change-end" => open = None,
            Event::Empty(e) if e.name().as_ref() == b"text:change" => {
                let id = attr(e, b"text:change-id").unwrap();
                rej.last_mut().unwrap().push_str(&kinds[&id].1);
            }
            Event::Empty(e) if e.name().as_ref() == b"text:s" => {
                let n: usize = attr(e, b"text:c").map_or(1, |c| c.parse().unwrap());
                push(&mut acc, &mut rej, &" ".repeat(n), &open);
            }
            Event::Empty(e) if e.name().as_ref() == b"text:tab" => push(&mut acc, &mut rej, "\t", &open),
            Event::Empty(e) if e.name().as_ref() == b"text:line-break" => push(&mut acc, &mut rej, " ", &open),
            Event::Text(t) if depth_p > 0 => push(&mut acc, &mut rej, &t.decode().unwrap(), &open),
            Event::GeneralRef(r) if depth_p > 0 => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::unescape(&format!("&{};", String::from_utf8_lossy(r)))
                        .unwrap()
                        .into_owned(),
                };
                push(&mut acc, &mut rej, &c, &open);
            }
            _ => {}
        }
    }
    (acc.join("\n"), rej.join("\n"))
}

#[test]
fn libreoffice_accepts_and_rejects_the_tracked_changes() {
    let Some(soffice) = soffice() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bai.docx");
    fs::write(&path, article()).unwrap();
    copydesk(dir.path())
        .args(["check", "--fix", "bai.docx"])
        .assert()
        .code(0);
    let fodt = convert_to_fodt(&soffice, dir.path(), &path);
    let (accepted, rejected) = odf_texts(&fodt);
    let (original, fixed) = expected();
    // LibreOffice writes composed text only where we inserted it: compare composed.
    use unicode_normalization::UnicodeNormalization;
    assert_eq!(accepted, fixed, "all changes accepted");
    assert_eq!(
        rejected.nfc().collect::<String>(),
        original.nfc().collect::<String>(),
        "all changes rejected"
    );
    assert_eq!(rejected, original, "all changes rejected, byte for byte");
    assert!(fodt.contains("<dc:creator>copydesk</dc:creator>"));
}

fn check_bad(name: &str, bytes: &[u8], message: &str) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), bytes).unwrap();
    fs::write(dir.path().join("ok.txt"), "Tít\n\nHà Nội , hôm nay.\n").unwrap();
    copydesk(dir.path())
        .args(["check", ".", "--fix"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(format!("error: {name}: ")).and(predicate::str::contains(message)))
        // The other file is still checked (and fixed).
        .stdout(predicate::str::contains("ok.txt").or(predicate::str::contains("fixed 1")));
    assert_eq!(
        fs::read(dir.path().join(name)).unwrap(),
        bytes,
        "a bad file is left as it was"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("ok.txt")).unwrap(),
        "Tít\n\nHà Nội, hôm nay.\n"
    );
}

#[test]
fn corrupt_zip() {
    let mut bytes = article();
    bytes.truncate(bytes.len() / 2);
    check_bad("hong.docx", &bytes, "corrupt ZIP");
}

#[test]
fn no_document_part() {
    let bytes = package(&[("word/styles.xml", "<x/>".into())]);
    check_bad("rong.docx", &bytes, "no `word/document.xml` part");
}

#[test]
fn encrypted_document() {
    // Word saves a password-protected .docx as an OLE compound file.
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0u8, 1024));
    check_bad("mat-khau.docx", &bytes, "encrypted");
}

#[test]
fn entity_bomb() {
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\
         <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><w:document xmlns:w=\"{W}\"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>"
    );
    let bytes = package(&[("word/document.xml", xml)]);
    check_bad("bom.docx", &bytes, "DOCTYPE");
}

#[test]
fn gigabyte_part_is_refused_in_bounded_memory() {
    // 1 GiB of zeros deflates to about 1 MB; the reader stops at its limit.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    w.start_file("word/document.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        w.write_all(&chunk).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    assert!(bytes.len() < 8 << 20);
    check_bad("lon.docx", &bytes, "limit");
}

#[test]
fn the_example_document_is_made_by_this_builder() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tin-word.docx");
    if std::env::var("COPYDESK_WRITE_EXAMPLE").is_ok() {
        fs::write(&path, example()).unwrap();
    }
    let committed = fs::read(&path).unwrap();
    assert_eq!(
        Docx::read(&committed).unwrap().text(),
        Docx::read(&example()).unwrap().text()
    );
}

/// Runs `copydesk` and parses its JSON output.
fn json_of(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = copydesk(dir).args(args).args(["--format", "json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn json_names_the_run_of_every_finding() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bai.docx"), article()).unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "bai.docx"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("docx_json_run_paths", text);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Paragraph 3 (NFD, an emoji before the finding): the space before "." after "nay",
    // in run 5 (the hyperlink's run is 2, the footnote reference's 4), the character
    // counted in the run's own text.
    let (original, _) = expected();
    let p3 = original.lines().nth(2).unwrap();
    let run5 = nfd(" 😀 hôm nay .");
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["start"]["line"] == 3 && d["rule"] == "vi-news/typography.punctuation")
        .expect("the finding before the full stop");
    let start = &d["start"];
    assert_eq!(start["column"], p3[..p3.rfind(" .").unwrap()].chars().count() + 1);
    assert_eq!(start["docx"]["part"], "word/document.xml");
    assert_eq!(start["docx"]["paragraph"], 3);
    assert_eq!(start["docx"]["run"], 5);
    assert_eq!(start["docx"]["char"], run5[..run5.rfind(" .").unwrap()].chars().count());
    assert_eq!(d["end"]["docx"]["char"], start["docx"]["char"].as_u64().unwrap() + 1);
    // Every position of every finding and edit names its run.
    for d in json["diagnostics"].as_array().unwrap() {
        assert!(d["start"]["docx"]["run"].as_u64().unwrap() >= 1, "{d}");
        assert!(d["end"]["docx"]["run"].as_u64().unwrap() >= 1, "{d}");
        for f in d["fixes"].as_array().unwrap() {
            for e in f["edits"].as_array().unwrap() {
                assert!(e["start"]["docx"].is_object(), "{e}");
            }
        }
    }
    // SARIF carries the same place as a logical location.
    let out = copydesk(dir.path())
        .args(["check", "--format", "sarif", "bai.docx"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let want = format!("word/document.xml/p[3]/r[5]/c[{}]", start["docx"]["char"]);
    assert!(names.contains(&want), "{names:?}");
}

const PARTS_CONFIG: &str = "[docx]\nheaders = true\nfootnotes = true\ncomments = true\n";

#[test]
fn parts_asked_by_config_are_checked_named_and_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bai.docx");
    let before = article_with_parts();
    fs::write(&path, &before).unwrap();
    // Without the config: only the document part.
    let out = copydesk(dir.path()).args(["check", "bai.docx"]).output().unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(!human.contains("word/") && !human.contains("not fixed"), "{human}");
    fs::write(dir.path().join(".copydesk.toml"), PARTS_CONFIG).unwrap();
    let out = copydesk(dir.path()).args(["check", "bai.docx"]).output().unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    let col = |s: &str, at: &str| s[..s.find(at).unwrap()].chars().count() + 1;
    for want in [
        format!(
            "--> bai.docx (word/header1.xml):1:{}",
            col(&nfd("Báo Tin tức , số 12"), " ,")
        ),
        format!("--> bai.docx (word/footnotes.xml):1:{}", col("Nguồn: Bộ Y tế .", " .")),
        format!(
            "--> bai.docx (word/comments.xml):1:{}",
            col("Kiểm tra lại số liệu .", " .")
        ),
        "not fixed by --fix: copydesk does not edit comments".to_string(),
        "1 fix cannot be written into the file".to_string(),
    ] {
        assert!(human.contains(&want), "{want}\n{human}");
    }
    let json = json_of(dir.path(), &["check", "bai.docx"]);
    assert_eq!(json["summary"]["not_fixed"], 1);
    let in_part = |part: &str| {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["start"]["docx"]["part"] == part && d["rule"] == "vi-news/typography.punctuation")
            .unwrap_or_else(|| panic!("no finding in {part}"))
            .clone()
    };
    let c = in_part("word/comments.xml");
    assert!(c["fixes"].as_array().unwrap().is_empty());
    assert!(c["not_fixed"].as_str().unwrap().contains("comments"), "{c}");
    assert_eq!(in_part("word/footnotes.xml")["start"]["docx"]["paragraph"], 1);
    assert_eq!(in_part("word/header1.xml")["start"]["docx"]["run"], 2);
    // --fix: tracked changes in the header and the footnote; the comment stays, counted.
    copydesk(dir.path())
        .args(["check", "--fix", "bai.docx"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("1 fix cannot be written into the file"));
    let after = fs::read(&path).unwrap();
    for part in ["word/header1.xml", "word/footnotes.xml"] {
        let xml = entry(&after, part);
        assert!(
            xml.contains("<w:del w:id=") && xml.contains("w:author=\"copydesk\""),
            "{part}: {xml}"
        );
    }
    // The header's deletion keeps the plain run's (empty) properties; the bold run is untouched.
    assert!(entry(&after, "word/header1.xml").contains("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">"));
    let parts = copydesk::document::docx::Parts {
        headers: true,
        footnotes: true,
        comments: true,
        ..Default::default()
    };
    let text = Docx::read_parts(&after, &parts).unwrap().text();
    let (_, fixed) = expected();
    use unicode_normalization::UnicodeNormalization;
    let want = format!(
        "{fixed}\n{}\n{}\n{}",
        nfd("Báo Tin tức").nfc().collect::<String>() + ", số 12",
        "Nguồn: Bộ Y tế.",
        "Kiểm tra lại số liệu ."
    );
    assert_eq!(text.nfc().collect::<String>(), want.nfc().collect::<String>());
    assert_eq!(
        text.lines().last().unwrap(),
        "Kiểm tra lại số liệu .",
        "the comment as it was"
    );
    let (a, b) = (raw_entries(&before), raw_entries(&after));
    for (x, y) in a.iter().zip(&b) {
        if !["word/document.xml", "word/header1.xml", "word/footnotes.xml"].contains(&x.0.as_str()) {
            assert_eq!(x.1, y.1, "{} changed", x.0);
        }
    }
}

#[test]
fn fixes_in_earlier_changes_and_fields_are_refused_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{}<w:p><w:ins w:id=\"5\" w:author=\"PV\" w:date=\"2026-12-01T00:00:00Z\"><w:r><w:t>Giá tăng , mạnh</w:t></w:r></w:ins></w:p>\
         <w:p><w:fldSimple w:instr=\" DATE \"><w:r><w:t>Ngày 1 , tháng 12</w:t></w:r></w:fldSimple></w:p>{}",
        para(Some("Title"), &[("", "Tít")]),
        para(None, &[("", "Thêm , nữa")]),
    );
    let bytes = docx(&body);
    fs::write(dir.path().join("bai.docx"), &bytes).unwrap();
    let json = json_of(dir.path(), &["check", "bai.docx"]);
    assert_eq!(json["summary"]["not_fixed"], 2, "{json}");
    assert_eq!(json["summary"]["fixable"], 1);
    let reasons: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["not_fixed"].as_str())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("earlier tracked change")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("field")), "{reasons:?}");
    copydesk(dir.path())
        .args(["check", "--fix", "bai.docx"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("fixed 1")
                .and(predicate::str::contains("2 fixes cannot be written into the file")),
        );
    let after = fs::read(dir.path().join("bai.docx")).unwrap();
    assert_eq!(
        Docx::read(&after).unwrap().text(),
        "Tít\nGiá tăng , mạnh\nNgày 1 , tháng 12\nThêm, nữa"
    );
}

#[test]
fn an_unknown_docx_option_is_a_located_config_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bai.docx"), article()).unwrap();
    fs::write(dir.path().join(".copydesk.toml"), "[docx]\nfootnote = true\n").unwrap();
    copydesk(dir.path())
        .args(["check", "bai.docx"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(".copydesk.toml:2:").and(predicate::str::contains("footnote")));
}

#[test]
fn libreoffice_accepts_and_rejects_changes_in_the_header_and_the_footnote() {
    let Some(soffice) = soffice() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bai.docx");
    fs::write(&path, article_with_parts()).unwrap();
    fs::write(dir.path().join(".copydesk.toml"), PARTS_CONFIG).unwrap();
    copydesk(dir.path())
        .args(["check", "--fix", "bai.docx"])
        .assert()
        .code(1);
    let fodt = convert_to_fodt(&soffice, dir.path(), &path);
    use unicode_normalization::UnicodeNormalization;
    let nfc = |s: &str| s.nfc().collect::<String>();
    let (accepted, rejected) = odf_texts_of(&fodt, Region::Header);
    assert_eq!(nfc(&accepted), nfc("Báo Tin tức, số 12"), "header, all accepted");
    assert_eq!(
        rejected,
        nfd("Báo Tin tức , số 12"),
        "header, all rejected, byte for byte"
    );
    let (accepted, rejected) = odf_texts_of(&fodt, Region::Notes);
    assert_eq!(nfc(&accepted), nfc("Nguồn: Bộ Y tế."), "footnote, all accepted");
    assert_eq!(rejected, "Nguồn: Bộ Y tế .", "footnote, all rejected, byte for byte");
    // The body as in the document-only proof; the comment is not body text.
    let (accepted, rejected) = odf_texts(&fodt);
    let (original, fixed) = expected();
    assert_eq!(accepted, fixed);
    assert_eq!(rejected, original);
}

#[test]
fn plain_headline_none_keeps_an_unstyled_lead_out_of_the_headline() {
    // A document converted from a text export: no Title style, the lead comes first.
    let dir = tempfile::tempdir().unwrap();
    let lead = "Sáng nay, Hà Nội mở thêm ba tuyến xe buýt điện.";
    let bytes = docx(&(para(None, &[("", lead)]) + &para(None, &[("", "Giá vé là 7.000 đồng.")])));
    fs::write(dir.path().join("bai.docx"), &bytes).unwrap();
    // By default the first paragraph is the headline, and its full stop is a finding.
    copydesk(dir.path())
        .args(["check", "bai.docx"])
        .assert()
        .stdout(predicate::str::contains("caps.headline"));
    fs::write(dir.path().join(".copydesk.toml"), "plain-headline = \"none\"\n").unwrap();
    copydesk(dir.path())
        .args(["check", "--fix", "bai.docx"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("caps.headline").not());
    assert_eq!(fs::read(dir.path().join("bai.docx")).unwrap(), bytes, "nothing to fix");
    // A Title paragraph is the headline whatever the setting.
    let titled = docx(&(para(Some("Title"), &[("", "Hà Nội mở thêm ba tuyến xe buýt.")]) + &para(None, &[("", lead)])));
    fs::write(dir.path().join("bai.docx"), &titled).unwrap();
    copydesk(dir.path())
        .args(["check", "bai.docx"])
        .assert()
        .stdout(predicate::str::contains("caps.headline"));
}
