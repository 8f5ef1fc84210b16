//! HTML pages end to end through the real binary: positions in the source, fixes that
//! touch text nodes only, suppression comments, scopes and bad input.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn copydesk(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("copydesk").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

const PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Tin</title>\n<style>p { x: \"a\" , b }</style></head>\n\
<body>\n<h1>Giá xăng tăng</h1>\n\
<p>Ho\u{300}a 😀 n&oacute;i&nbsp;: <b>giá</b> tăng , rồi giảm .</p>\n\
<!-- copydesk-disable-next-line typography -->\n<p>Bỏ qua , đoạn này .</p>\n\
<pre>mã , không kiểm</pre><script>if (a , b) {}</script>\n\
<p class=\"a , b\">Cuối &amp; hết.</p>\n</body></html>\n";

#[test]
fn findings_point_at_source_lines_and_characters() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.html"), PAGE).unwrap();
    // Line 6: the space before "," after "tăng"; columns count characters (NFD, emoji).
    let line6 = PAGE.lines().nth(5).unwrap();
    let col = line6[..line6.find(" ,").unwrap()].chars().count() + 1;
    copydesk(dir.path())
        .args(["check", "a.html"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("--> a.html:6:{col}")))
        // Suppressed, code, script, style and attributes: nothing on those lines.
        .stdout(predicate::str::contains("a.html:8:").not())
        .stdout(predicate::str::contains("a.html:9:").not())
        .stdout(predicate::str::contains("a.html:3:").not())
        .stdout(predicate::str::contains("a.html:10:").not());
}

#[test]
fn fix_edits_text_nodes_only_and_keeps_every_other_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.html");
    fs::write(&path, PAGE).unwrap();
    copydesk(dir.path())
        .args(["check", "--fix", "-q", "a.html"])
        .assert()
        .code(0);
    let fixed = fs::read_to_string(&path).unwrap();
    let want = PAGE
        .replace("<b>giá</b> tăng , rồi giảm .", "<b>giá</b> tăng, rồi giảm.")
        .replace("Ho\u{300}a", "Hòa");
    // The space before ":" sits after a reference and is fixed in the source too.
    let want = want.replace("n&oacute;i&nbsp;:", "n&oacute;i:");
    assert_eq!(fixed, want);
}

#[test]
fn replacements_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("pack")).unwrap();
    fs::write(
        dir.path().join("pack/rules.toml"),
        "[pack]\nname = \"house\"\nversion = \"1\"\n\n[[rule]]\nid = \"va\"\nkind = \"substitution\"\nmessage = \"x\"\n\
         [rule.options]\nterms = [[\"và\", \"&\"]]\n",
    )
    .unwrap();
    fs::write(dir.path().join(".copydesk.toml"), "packs = [\"./pack\"]\n").unwrap();
    fs::write(dir.path().join("a.html"), "<h1>Tít</h1><p>Mèo và chó</p>").unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--fix", "a.html"])
        .output()
        .unwrap();
    let fixed = fs::read_to_string(dir.path().join("a.html")).unwrap();
    assert!(
        fixed == "<h1>Tít</h1><p>Mèo &amp; chó</p>" || fixed == "<h1>Tít</h1><p>Mèo và chó</p>",
        "{fixed}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn stdin_with_a_file_name_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "--stdin-filename", "tin.html", "-"])
        .write_stdin(PAGE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.to_string().contains("\"line\":6"), "{json}");
    // `--fix -` prints the fixed page.
    copydesk(dir.path())
        .args(["check", "--fix", "--stdin-filename", "tin.html", "-"])
        .write_stdin("<h1>Tít</h1><p>Xin chào , bạn.</p>")
        .assert()
        .stdout("<h1>Tít</h1><p>Xin chào, bạn.</p>");
}

#[test]
fn deep_nesting_is_one_located_error_and_other_files_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("<p>x</p>\n{}", "<div>".repeat(100_000));
    fs::write(dir.path().join("sau.html"), &deep).unwrap();
    fs::write(dir.path().join("ok.html"), "<h1>Tít</h1><p>Xin chào , bạn.</p>").unwrap();
    copydesk(dir.path())
        .args(["check", "."])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("sau.html:2:").and(predicate::str::contains("nested more than")))
        .stdout(predicate::str::contains("ok.html:1:"));
}

#[test]
fn invalid_utf8_is_refused_with_its_byte() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.html"), b"<p>ab\xff</p>").unwrap();
    copydesk(dir.path())
        .args(["check", "a.html"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("not valid UTF-8 at byte 5"));
}

const ATTR_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Tin</title></head><body>\n<h1>Giá xăng tăng</h1>\n\
<p>Ảnh: <img src=\"a.jpg\" alt=\"Ho\u{300}a 😀 đổ xăng , sáng nay\"> và <a href=\"/x\" title='Xem \"bài\" , tiếp'>đây</a>.</p>\n\
</body></html>\n";

#[test]
fn alt_and_title_are_checked_and_fixed_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.html");
    fs::write(&path, ATTR_PAGE).unwrap();
    // Not asked: attribute values are not prose.
    copydesk(dir.path()).args(["check", "a.html"]).assert().code(0);
    fs::write(dir.path().join(".copydesk.toml"), "[html]\nalt = true\ntitle = true\n").unwrap();
    // Line 4: the findings point into the attribute values (NFD and an emoji before them).
    let line4 = ATTR_PAGE.lines().nth(3).unwrap();
    let alt_col = line4[..line4.find(" , sáng").unwrap()].chars().count() + 1;
    let title_col = line4[..line4.find(" , tiếp").unwrap()].chars().count() + 1;
    copydesk(dir.path())
        .args(["check", "a.html"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("--> a.html:4:{alt_col}")))
        .stdout(predicate::str::contains(format!("--> a.html:4:{title_col}")));
    copydesk(dir.path())
        .args(["check", "--fix", "-q", "a.html"])
        .assert()
        .code(0);
    // Only the values changed: every other byte is as it was.
    let fixed = fs::read_to_string(&path).unwrap();
    let want = ATTR_PAGE
        .replace("đổ xăng , sáng", "đổ xăng, sáng")
        .replace("Ho\u{300}a", "Hòa")
        .replace("bài\" , tiếp", "bài\", tiếp");
    assert_eq!(fixed, want);
}

#[test]
fn a_fix_an_unquoted_attribute_cannot_take_is_refused_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.html");
    let page = "<h1>Tít</h1>\n<p>Thân.</p>\n<p><img src=b.jpg alt=Cây,xăng></p>\n";
    fs::write(&path, page).unwrap();
    fs::write(dir.path().join(".copydesk.toml"), "[html]\nalt = true\n").unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "a.html"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["found"] == ",")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(d["start"]["line"], 3);
    assert!(d["fixes"].as_array().unwrap().is_empty());
    assert!(d["not_fixed"].as_str().unwrap().contains("unquoted"), "{d}");
    assert_eq!(json["summary"]["not_fixed"], 1);
    copydesk(dir.path())
        .args(["check", "--fix", "a.html"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "not fixed by --fix: the attribute value is unquoted",
        ))
        .stdout(predicate::str::contains("1 fix cannot be written into the file"));
    assert_eq!(fs::read_to_string(&path).unwrap(), page);
}
