//! Fix safety through the real binary: `--fix` applies safe fixes only, `--unsafe-fixes`
//! the rest, `--fix` applies exactly the edits JSON shows; abbreviations decided by the
//! evidence of the article; the plain-text headline setting; linear time on long lines; a
//! consistent article silent and a mixed one told its minority.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn copydesk(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("copydesk").unwrap();
    c.current_dir(dir).env_remove("NO_COLOR");
    c
}

/// The seed case: a movement's name written in full 16 times, its abbreviation once
/// inside the quoted name.
fn seed_article() -> String {
    let mut body = String::from("Phong trào toàn dân bảo vệ an ninh Tổ quốc\n\n");
    for i in 0..8 {
        body.push_str(&format!(
            "Năm {}, phong trào “Toàn dân bảo vệ an ninh Tổ quốc” lan rộng. Lực lượng bảo vệ an ninh Tổ quốc tăng cường.\n\n",
            2000 + i
        ));
    }
    body.push_str("Hội nghị tổng kết phong trào “Toàn dân bảo vệ ANTQ” diễn ra hôm qua.\n");
    body
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = copydesk(dir)
        .args(["check", "--no-config", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_seed_case_gives_one_finding_on_the_abbreviation_and_fix_changes_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed_article();
    fs::write(dir.path().join("a.txt"), &text).unwrap();
    let v = json(dir.path(), &["a.txt"]);
    let abbr: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"].as_str().unwrap().starts_with("vi-news/abbr"))
        .collect();
    assert_eq!(abbr.len(), 1, "{abbr:#?}");
    assert_eq!(abbr[0]["found"], "ANTQ");
    let fix = &abbr[0]["fixes"][0];
    assert_eq!(fix["safe"], false);
    assert_eq!(fix["edits"][0]["replacement"], "an ninh Tổ quốc");

    // `--fix` applies no unsafe fix: the file is unchanged.
    let _ = copydesk(dir.path())
        .args(["check", "--no-config", "--fix", "a.txt"])
        .assert();
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), text);
    // With `--unsafe-fixes`, only the abbreviation is written out.
    let _ = copydesk(dir.path())
        .args(["check", "--no-config", "--fix", "--unsafe-fixes", "a.txt"])
        .assert();
    let fixed = fs::read_to_string(dir.path().join("a.txt")).unwrap();
    assert_eq!(
        fixed,
        text.replace("“Toàn dân bảo vệ ANTQ”", "“Toàn dân bảo vệ an ninh Tổ quốc”")
    );
}

/// Applies the first qualifying fix of each diagnostic, in order, skipping overlaps: the
/// edits JSON shows.
fn apply_json_edits(text: &str, v: &serde_json::Value, unsafe_too: bool) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for d in v["diagnostics"].as_array().unwrap() {
        let Some(fix) = d["fixes"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["safe"] == true || unsafe_too))
        else {
            continue;
        };
        let mine: Vec<(usize, usize, String)> = fix["edits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["start"]["offset"].as_u64().unwrap() as usize,
                    e["end"]["offset"].as_u64().unwrap() as usize,
                    e["replacement"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let overlaps = |a: &(usize, usize, String), b: &(usize, usize, String)| {
            if a.0 == a.1 && b.0 == b.1 {
                a.0 == b.0
            } else {
                a.0 < b.1 && b.0 < a.1
            }
        };
        if mine.iter().any(|m| edits.iter().any(|e| overlaps(m, e))) {
            continue;
        }
        edits.extend(mine);
    }
    edits.sort();
    let mut out = String::new();
    let mut pos = 0;
    for (s, e, r) in edits {
        out.push_str(&text[pos..s]);
        out.push_str(&r);
        pos = e;
    }
    out.push_str(&text[pos..]);
    out
}

#[test]
fn fix_applies_exactly_the_edits_json_shows_for_abbreviations() {
    // Two rounds used to differ from one: a single use was expanded to `long (SHORT)`,
    // then the unused definition removed.
    let dir = tempfile::tempdir().unwrap();
    let text = "Tít bài về giao thông\n\n\
        Ông Nam là cán bộ Cảnh sát hình sự. Tổ CSHS đến hiện trường.\n\n\
        Hội đồng xét xử (HĐXX) tuyên án. Hội đồng xét xử nghị án.\n\n\
        Bảo đảm ATGT dịp lễ, sau đó ATGT được giữ vững. Phong trào an toàn giao thông lan rộng.\n";
    fs::write(dir.path().join("a.txt"), text).unwrap();
    for unsafe_too in [false, true] {
        let flag: &[&str] = if unsafe_too { &["--unsafe-fixes"] } else { &[] };
        // What JSON shows, applied round after round as `--fix` does: a definition written
        // by one round makes the full forms after it findings of the next.
        let mut expected = text.to_string();
        for _ in 0..4 {
            fs::write(dir.path().join("a.txt"), &expected).unwrap();
            let v = json(dir.path(), &[flag, &["a.txt"]].concat());
            let next = apply_json_edits(&expected, &v, unsafe_too);
            if next == expected {
                break;
            }
            expected = next;
        }
        fs::write(dir.path().join("a.txt"), text).unwrap();
        if !unsafe_too {
            // Safe fixes need one round here.
            let v = json(dir.path(), &["a.txt"]);
            assert_eq!(apply_json_edits(text, &v, false), expected);
        }
        let _ = copydesk(dir.path())
            .args(["check", "--no-config", "--fix"])
            .args(flag)
            .arg("a.txt")
            .assert();
        assert_eq!(
            fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            expected,
            "unsafe fixes: {unsafe_too}"
        );
        fs::write(dir.path().join("a.txt"), text).unwrap();
    }
}

#[test]
fn diff_with_unsafe_fixes_shows_the_unsafe_edits() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "Tít bài\n\nCQĐT xác định bị can phạm tội. CQĐT đề nghị truy tố.\n",
    )
    .unwrap();
    let safe = copydesk(dir.path())
        .args(["check", "--no-config", "--diff", "a.txt"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&safe.stdout).contains("+Cơ quan điều tra"));
    let all = copydesk(dir.path())
        .args(["check", "--no-config", "--diff", "--unsafe-fixes", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(all.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&all.stdout).contains("+Cơ quan điều tra (CQĐT) xác định"));
}

#[test]
fn plain_headline_none_keeps_headline_rules_off_the_lead() {
    let dir = tempfile::tempdir().unwrap();
    // An export that starts with the lead: a long first line with a final period.
    let lead = "Sáng nay, tại hội trường lớn của tỉnh, hàng trăm đại biểu đã dự lễ khai mạc kỳ họp thường lệ cuối năm.";
    fs::write(dir.path().join("a.txt"), format!("{lead}\n\nĐoạn hai.\n")).unwrap();
    let headline_rules = |v: &serde_json::Value| {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "vi-news/caps.headline")
            .count()
    };
    assert!(headline_rules(&json(dir.path(), &["a.txt"])) > 0);
    fs::write(dir.path().join(".copydesk.toml"), "plain-headline = \"none\"\n").unwrap();
    let out = copydesk(dir.path())
        .args(["check", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(headline_rules(&v), 0, "{v:#}");
    // A bad value is a located error.
    fs::write(dir.path().join(".copydesk.toml"), "plain-headline = \"second\"\n").unwrap();
    let out = copydesk(dir.path()).args(["check", "a.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // (On standard error or output, whichever the report uses.)
    let err = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        err.contains(".copydesk.toml:1:18") && err.contains("first-line"),
        "{err}"
    );
}

/// Quotations of both levels on one 6 MB line: the nesting check once read the whole line
/// around each of them (a crosshead test), about 50 s for 3.4 MB and minutes for 6 MB.
#[test]
fn quotations_on_one_long_line_are_checked_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let line = "Ông nói “đi” rồi ‘về’ nhà. ".repeat(200_000);
    fs::write(dir.path().join("a.md"), format!("{line}\n")).unwrap();
    let t = std::time::Instant::now();
    let out = copydesk(dir.path())
        .args(["check", "--no-config", "--format", "json", "a.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(t.elapsed() < std::time::Duration::from_secs(60), "{:?}", t.elapsed());
}

#[test]
fn a_long_first_line_and_runs_of_ellipses_are_checked_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    // A headline with a title before a name every few words, and a body of `... …` runs:
    // both were quadratic (seconds for a few hundred kilobytes, minutes for megabytes).
    // (`typography` is off: its ellipsis check is slow on such runs, a separate matter.)
    let line = "Ông Ba nói. ".repeat(100_000);
    let dots = "... … ".repeat(150_000);
    fs::write(dir.path().join("a.txt"), format!("{line}\n\n{dots}\n")).unwrap();
    fs::write(dir.path().join("c.toml"), "[rules]\n\"typography\" = \"off\"\n").unwrap();
    let t = std::time::Instant::now();
    let out = copydesk(dir.path())
        .args(["check", "--config", "c.toml", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1));
    assert!(t.elapsed() < std::time::Duration::from_secs(60), "{:?}", t.elapsed());
}

/// Done's consistency clause, through the real binary and the built-in pack: an article
/// that keeps one form of each choice (straight quotes, `8-9` dates, `hoà`) gets no finding
/// from the choice rules; the same article with one other form of each gets one finding on
/// each minority, whose message counts both forms.
#[test]
fn a_consistent_article_is_silent_and_a_mixed_one_is_told_its_minority() {
    let consistent = "Hội nghị hoà giải ở Hà Nội\n\n\
        Ngày 8-9, ông Minh nói: \"Chúng tôi hoà giải xong\". Ngày 10-9, bà Lan nói: \"Hai bên đã hoà thuận\".\n\n\
        Ngày 12-9, hai bên ký biên bản hoà giải. Ông Minh nói thêm: \"Mọi việc ổn\".\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), consistent).unwrap();
    let v = json(dir.path(), &["a.txt"]);
    let rules: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(rules.is_empty(), "a consistent article got {rules:?}");

    let mixed = consistent
        .replacen("\"Mọi việc ổn\"", "“Mọi việc ổn”", 1)
        .replacen("Ngày 12-9", "Ngày 12/9", 1)
        .replacen("biên bản hoà giải", "biên bản hòa giải", 1);
    fs::write(dir.path().join("a.txt"), &mixed).unwrap();
    let v = json(dir.path(), &["a.txt"]);
    let found: Vec<(String, String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["found"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    let of = |r: &str| {
        found
            .iter()
            .find(|(id, _, _)| id.ends_with(r))
            .unwrap_or_else(|| panic!("no {r}: {found:?}"))
    };
    let (_, text, message) = of("quotes.straight");
    assert_eq!(text, "“Mọi việc ổn”");
    assert_eq!(message, "Bài viết dùng cả ngoặc kép \"…\" (2 lần) và “…” (1 lần)");
    let (_, text, message) = of("numbers.format");
    assert_eq!(text, "12/9");
    assert_eq!(message, "Bài viết dùng cả “8-9” (2 lần) và “8/9” (1 lần)");
    let (_, text, message) = of("tone.placement");
    assert_eq!(text, "hòa");
    assert!(message.contains("(3 lần)") && message.contains("(1 lần)"), "{message}");
}
