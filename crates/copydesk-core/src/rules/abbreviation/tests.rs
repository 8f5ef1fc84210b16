use super::super::matcher::test_support::{assert_sane, doc_examples_pass, piece, proptest_config};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::testing::{check, check_markdown, check_with_headline, engine, fix, fix_all};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

const RULES: &str = r#"
[[rule]]
id = "abbr"
kind = "abbreviation"
message = "Viết đầy đủ “{long} ({short})” ở lần đầu"
glossary = [
  { short = "HĐND", long = "Hội đồng nhân dân" },
  { short = "ATGT", long = "an toàn giao thông" },
  { short = "CSGT", long = "Cảnh sát giao thông" },
  { short = "TP", long = "thành phố", variants = ["Tp", "T.P"] },
  { short = "UBND", long = "Ủy ban nhân dân" },
  { short = "CA", long = "công an", ambiguous = true },
]
allow-undefined = ["TP", "UBND", "CA"]
headline-allowed = ["TP"]
name-heads = ["Luật", "Bộ", "Sở", "Cục", "Tổng", "Ban", "Viện", "Hội", "Hiệp", "Trường", "Trung", "Phòng", "Công", "Ủy", "Uỷ"]
unit-heads = ["Đội", "đội", "trường"]
unknown-ignore = ["WHO"]
checks = { unknown = "info" }
messages = { unknown = "Chữ viết tắt lạ “{found}”" }

[pack]
credit-labels = ["Ảnh", "ảnh", "Nguồn"]
source-credit-words = ["Theo"]
"#;

/// The credit words of the tests' pack (vi-news's).
fn vi_language() -> crate::language::Language {
    crate::language::Language {
        credit_labels: vec!["Ảnh".into(), "ảnh".into(), "Nguồn".into()],
        source_credit_words: vec!["Theo".into()],
        ..Default::default()
    }
}

/// An abbreviation rule with a one-entry glossary.
fn glossary_engine(short: &str, long: &str) -> crate::engine::Engine {
    engine(&format!(
        "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n\
         glossary = [{{ short = \"{short}\", long = \"{long}\" }}]\n{HEADS}\
         [pack]\ncredit-labels = [\"Ảnh\", \"ảnh\", \"Nguồn\"]\nsource-credit-words = [\"Theo\"]\n"
    ))
}

/// An abbreviation rule with the given glossary entries and the vi-news credit labels.
fn credits_engine(glossary: &str) -> crate::engine::Engine {
    engine(&format!(
        "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\nglossary = [\n  {glossary}\n]\n\n\
         [pack]\ncredit-labels = [\"Ảnh\", \"ảnh\", \"Nguồn\"]\n"
    ))
}

/// The name heads of the tests: the vi-news pack's most common ones.
const HEADS: &str = "name-heads = [\"Luật\", \"Bộ\", \"Sở\", \"Cục\", \"Tổng\", \"Ban\", \"Viện\", \"Hội\", \
                     \"Hiệp\", \"Trường\", \"Trung\", \"Phòng\", \"Công\", \"Ủy\", \"Uỷ\"]\n\
                     unit-heads = [\"Đội\", \"đội\", \"trường\"]\n";

#[test]
fn name_heads_come_from_the_rule() {
    let text = "Thị trường bất động sản (BĐS) trầm lắng. Giá BĐS giảm. Theo Luật Kinh doanh bất động sản, tiền cọc bị giới hạn.";
    // With `Luật` a name head, the long form inside the law's name is left alone ...
    assert!(check(&glossary_engine("BĐS", "bất động sản"), text).is_empty());
    // ... and with no heads (none are built in) it is an ordinary use after the definition.
    let bare = engine(
        "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n\
         glossary = [{ short = \"BĐS\", long = \"bất động sản\" }]\n",
    );
    let found: Vec<String> = check(&bare, text).into_iter().map(|f| f.found).collect();
    assert_eq!(found, ["bất động sản"]);
    // Heads are compared in NFC whatever the rule file's form.
    let nfd = engine(&format!(
        "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n\
         glossary = [{{ short = \"BĐS\", long = \"bất động sản\" }}]\nname-heads = [\"{}\"]\n",
        "Luật".nfd().collect::<String>()
    ));
    assert!(check(&nfd, text).is_empty());
}

/// Judged DEBATABLE on real news (round 76): an abbreviation readers know undefined, glossed
/// once (`tổng sản phẩm quốc nội (GDP)`), is no unused definition; another one still is.
#[test]
fn an_allowed_abbreviation_glossed_once_is_no_unused_definition() {
    let e = engine(RULES);
    assert!(check(&e, "Ủy ban nhân dân (UBND) tỉnh họp bàn.").is_empty());
    assert_eq!(check(&e, "Hội đồng nhân dân (HĐND) tỉnh họp bàn.").len(), 1);
}

/// Judged on real news (round 75): the head written decomposed in the text (`Bộ` in NFD,
/// the rest NFC) still makes the short form after it the body's name, not a first use.
#[test]
fn a_decomposed_head_in_the_text_still_heads_a_name() {
    let e = glossary_engine("GTVT", "Giao thông vận tải");
    let nfd_head = format!(
        "Ông A cho biết, {} GTVT đề xuất việc xác định.",
        "Bộ".nfd().collect::<String>()
    );
    assert!(check(&e, &nfd_head).is_empty(), "{:#?}", check(&e, &nfd_head));
    let nfd_unit = format!("Tổ công tác {} GTVT đến.", "Đội".nfd().collect::<String>());
    assert!(check(&e, &nfd_unit).is_empty(), "{:#?}", check(&e, &nfd_unit));
    // The same sentence with another word before the short form is still a first use.
    assert_eq!(check(&e, "Ông A cho biết, ngành GTVT đề xuất việc xác định.").len(), 1);
}

#[test]
fn a_long_form_inside_a_proper_name_is_not_abbreviated() {
    let e = glossary_engine("BĐS", "bất động sản");
    let text = "Thị trường bất động sản (BĐS) trầm lắng. Giá BĐS giảm. Theo Luật Kinh doanh bất động sản, tiền cọc bị giới hạn. Nhà đầu tư bất động sản lo ngại.";
    let found: Vec<String> = check(&e, text).into_iter().map(|f| f.found).collect();
    // Only the last, ordinary use of the long form is reported.
    assert_eq!(found, ["bất động sản"]);
    assert!(fix_all(&e, text).contains("Luật Kinh doanh bất động sản"));
    assert!(fix_all(&e, text).contains("Nhà đầu tư BĐS"));
    // Contracting is unsafe: `--fix` alone leaves the text as it is.
    assert_eq!(fix(&e, text), text);
    // Real news (Dân trí, round 6): a capitalized item of a list of names is a name.
    let e = glossary_engine("CNTT", "công nghệ thông tin");
    let text = "Sinh viên ngành Công nghệ thông tin (CNTT) tăng. Ngành CNTT gồm các chuyên ngành: \
                Khoa học máy tính; Kỹ thuật máy tính; Công nghệ thông tin truyền thống.";
    assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
    assert_eq!(
        check(&e, "Ngành Công nghệ thông tin (CNTT) tăng; công nghệ thông tin mới.").len(),
        1
    );
}

fn severities(e: &crate::engine::Engine, text: &str) -> Vec<(String, Severity)> {
    e.check(&Document::plain_body(text))
        .into_iter()
        .map(|d| (text[d.range.clone()].to_string(), d.severity()))
        .collect()
}

#[test]
fn the_first_use_must_define_the_abbreviation() {
    let e = engine(RULES);
    let found = check(&e, "HĐND họp.\n\nSau đó HĐND quyết.");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].found, "HĐND");
    assert_eq!(found[0].message, "Viết đầy đủ “Hội đồng nhân dân (HĐND)” ở lần đầu");
    assert_eq!(
        fix_all(&e, "HĐND họp. Sau đó HĐND quyết."),
        "Hội đồng nhân dân (HĐND) họp. Sau đó HĐND quyết."
    );
    // Unsafe: `--fix` alone does not expand.
    assert_eq!(fix(&e, "HĐND họp. Sau đó HĐND quyết."), "HĐND họp. Sau đó HĐND quyết.");
    // A lower-case long form is capitalized at the start of a sentence only.
    assert_eq!(
        fix_all(&e, "ATGT là ưu tiên. Bảo đảm ATGT."),
        "An toàn giao thông (ATGT) là ưu tiên. Bảo đảm ATGT."
    );
    assert_eq!(
        fix_all(&e, "Bảo đảm ATGT. Rồi ATGT."),
        "Bảo đảm an toàn giao thông (ATGT). Rồi ATGT."
    );
    // A single use is written out: a definition would be unused.
    assert_eq!(
        fix_all(&e, "Bảo đảm ATGT dịp lễ."),
        "Bảo đảm an toàn giao thông dịp lễ."
    );
}

/// Judged on real news (seed 34): a caption reusing `Bộ KH&CN` uses the definition;
/// a credit (`Ảnh: BTC`) and an address (`KCN Bình Chiểu`) need none; `TH&THCS` is a
/// school's name, not a use of `THCS`.
#[test]
fn captions_credits_addresses_and_ampersand_names() {
    let e = credits_engine(
        r#"{ short = "KH&CN", long = "Khoa học và Công nghệ" },
  { short = "BTC", long = "Ban tổ chức" },
  { short = "KCN", long = "khu công nghiệp" },
  { short = "THCS", long = "trung học cơ sở" },"#,
    );
    let caption = "Bộ trưởng Bộ Khoa học và Công nghệ (KH&CN) phát biểu.\n\nBộ trưởng Bộ KH&CN tại buổi lễ. Ảnh: BTC";
    assert_eq!(check(&e, caption), Vec::new());
    assert_eq!(check(&e, "Địa chỉ: Lô D6, KCN Bình Chiểu, TP Thủ Đức."), Vec::new());
    assert_eq!(check(&e, "Học sinh trường TH&THCS Gio Hải đến lớp."), Vec::new());
    // Without the caption, the definition is still unused.
    assert_eq!(check(&e, "Bộ Khoa học và Công nghệ (KH&CN) phát biểu.").len(), 1);
    // An ordinary use still needs its definition.
    assert_eq!(check(&e, "Các KCN phía nam thiếu lao động.").len(), 1);
}

/// Round 71 (VnExpress, 2025): an abbreviation defined by its name in English after the
/// Vietnamese one is the text's own, not the glossary's (`BCA` is no `Bộ Công an` there).
#[test]
fn a_definition_by_an_english_name_is_the_texts_own() {
    let e = glossary_engine("BCA", "Bộ Công an");
    let t = "Chính phủ quản lý các trường qua Bộ đánh giá tuân thủ cơ bản (Basic Compliance Assessment - BCA). \
             Trường nào không đạt BCA sẽ bị phạt.";
    assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
    assert_eq!(fix_all(&e, t), t);
    // Prose in the brackets before the abbreviation is no name.
    let t = "Ông nói (theo lời kể của họ - BCA) rằng mọi việc ổn.";
    assert_eq!(check(&e, t).len(), 1, "{:?}", check(&e, t));
}

/// Round 69 (baomoi copies of 2013): a dateline's source (`QĐND - Ngày 9-11, …`) and a photo
/// credit without its colon (`Ảnh BTC cung cấp`) are no uses to define.
#[test]
fn a_datelines_source_and_a_bare_photo_credit_are_no_uses() {
    let e = credits_engine(
        r#"{ short = "QĐND", long = "Quân đội nhân dân" },
  { short = "BTC", long = "Ban tổ chức" },"#,
    );
    for ok in [
        "QĐND - Ngày 9-11, hãng hàng không cho biết.",
        "(QĐND) – Cuộc diễn tập diễn ra năm 2013.",
        "Người mẫu đến dự. Bá Sên Ảnh BTC cung cấp\nBuổi lễ diễn ra.",
        "Buổi lễ diễn ra. Ảnh BTC",
    ] {
        assert_eq!(check(&e, ok), Vec::new(), "{ok}");
    }
    // A use in the text still needs its definition, and a masthead mid-line is a use.
    for use_ in [
        "QĐND đưa tin cuộc diễn tập.",
        "Ngày 9-11, QĐND - tờ báo lớn - đưa tin.",
        "Ảnh BTC đưa ra gây tranh cãi.",
    ] {
        assert_eq!(check(&e, use_).len(), 1, "{use_}");
    }
}

#[test]
fn a_definition_in_any_case_counts() {
    let e = engine(RULES);
    assert!(check(&e, "Kỳ họp hội đồng nhân dân (HĐND) tỉnh. HĐND quyết.").is_empty());
    assert!(check(&e, "HỘI ĐỒNG NHÂN DÂN ( HĐND ) họp. HĐND quyết.").is_empty());
}

#[test]
fn allow_listed_abbreviations_need_no_definition_unless_ambiguous() {
    let e = engine(RULES);
    assert!(check(&e, "UBND TP họp. UBND quyết.").is_empty());
    let found = check(&e, "CA tỉnh vào cuộc.");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].fix.as_deref(), Some("Công an"));
    // Ambiguous: the fix is offered, never applied blindly.
    assert_eq!(fix(&e, "CA tỉnh vào cuộc."), "CA tỉnh vào cuộc.");
}

#[test]
fn the_long_form_after_the_definition_is_written_short() {
    let e = engine(RULES);
    let text = "Hội đồng nhân dân (HĐND) họp.\n\nHội đồng nhân dân quyết. Hội đồng nhân dân (HĐND) nói.";
    let found = check(&e, text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        found[0].message,
        "“Hội đồng nhân dân” is already abbreviated: write “HĐND”"
    );
    // A second definition keeps its words and loses its `(HĐND)`: contracting it could
    // rewrite a title that happens to contain the long form.
    assert_eq!(found[1].fix.as_deref(), Some("Hội đồng nhân dân"));
    assert_eq!(
        fix_all(&e, text),
        // (round after round: the definition goes, then the long form is written short)
        "Hội đồng nhân dân (HĐND) họp.\n\nHĐND quyết. HĐND nói."
    );
    // Before the definition, the long form is fine.
    assert!(check(&e, "Hội đồng nhân dân họp. Hội đồng nhân dân (HĐND) nói. HĐND quyết.").is_empty());
}

/// Real news (round 82): a crosshead on a line of its own, and a long form glossed by another
/// name of its own in brackets, keep the long form.
#[test]
fn a_crosshead_and_a_long_form_glossed_apart_are_left_as_written() {
    let e = engine(RULES);
    let defined = "Hội đồng nhân dân (HĐND) họp. HĐND bàn.\n";
    for later in [
        "Hải Phòng đứng đầu về quyền của Hội đồng nhân dân\nHĐND vẫn họp.",
        "Về Hội đồng nhân dân năm 2024 (People's Council 2024), HĐND vẫn họp.",
        "Về Hội đồng nhân dân (People's Council), HĐND vẫn họp.",
    ] {
        let text = format!("{defined}{later}");
        assert!(check(&e, &text).is_empty(), "{text}: {:#?}", check(&e, &text));
    }
    // In a sentence, or a line that ends with a stop, it is written short.
    for later in [
        "Hải Phòng đứng đầu về quyền của Hội đồng nhân dân.\nHĐND vẫn họp.",
        "Về Hội đồng nhân dân năm 2024, HĐND vẫn họp.",
    ] {
        let text = format!("{defined}{later}");
        assert_eq!(check(&e, &text).len(), 1, "{text}: {:#?}", check(&e, &text));
    }
}

/// Real news (round 60): crossheads run into the text end with the long form, a capital after.
#[test]
fn a_long_form_before_a_capitalized_word_is_left_as_written() {
    let e = engine(RULES);
    let text = "Hội đồng nhân dân (HĐND) họp. HĐND bàn.\n\nTăng quyền Hội đồng nhân dân Mặc dù vậy, HĐND vẫn họp.";
    let found = check(&e, text);
    assert!(found.is_empty(), "{found:#?}");
    let text = "Hội đồng nhân dân (HĐND) họp. HĐND bàn.\n\nTăng quyền Hội đồng nhân dân. Mặc dù vậy, HĐND vẫn họp.";
    assert_eq!(check(&e, text).len(), 1);
}

#[test]
fn an_unused_definition_is_information_and_its_fix_removes_it() {
    let e = engine(RULES);
    let text = "Hội đồng nhân dân (HĐND) họp.";
    assert_eq!(severities(&e, text), [("(HĐND)".to_string(), Severity::Info)]);
    assert_eq!(fix_all(&e, text), "Hội đồng nhân dân họp.");
    // A use before the definition (a caption or a sapo above the body) uses it: removing
    // the definition would leave that use undefined (real news, round 14).
    let text = "Các đại biểu HĐND thảo luận.\nPhiên họp của Hội đồng nhân dân (HĐND) tỉnh khai mạc.";
    assert!(
        check(&e, text).iter().all(|f| f.found != "(HĐND)"),
        "{:#?}",
        check(&e, text)
    );
}

#[test]
fn a_definition_followed_only_by_the_full_form_is_the_articles_choice() {
    let e = engine(RULES);
    // Defined, then written out every time (baomoi_22463311: `an toàn thực phẩm (ATTP)`
    // and the full form 14 times): only the unused definition is reported.
    let text = "Hội đồng nhân dân (HĐND) họp. Hội đồng nhân dân quyết. Hội đồng nhân dân nói.";
    assert_eq!(severities(&e, text), [("(HĐND)".to_string(), Severity::Info)]);
    // One full form after the definition is still a slip: write it short.
    let text = "Hội đồng nhân dân (HĐND) họp. Hội đồng nhân dân quyết.";
    assert_eq!(fix_all(&e, text), "Hội đồng nhân dân (HĐND) họp. HĐND quyết.");
    // So is every full form once the abbreviation is used after the definition.
    let text = "Hội đồng nhân dân (HĐND) họp. Hội đồng nhân dân quyết. HĐND nói. Hội đồng nhân dân về.";
    assert_eq!(check(&e, text).len(), 2);
}

/// A house-choice spelling of the short form (`Tp` for `TP`) after the definition uses it:
/// the full form is not the article's choice, and the definition is not unused (its fix
/// would remove the `(TP)` that the later `Tp` relies on).
#[test]
fn a_choice_spelling_after_the_definition_uses_it() {
    let e = engine(
        "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n\
         glossary = [{ short = \"TP\", long = \"thành phố\", choices = [\"Tp\"] }]\n",
    );
    let text = "Người dân thành phố (TP) Vinh vui. Ở thành phố này, thành phố kia. Tp Vinh sạch.";
    let found = check(&e, text);
    assert!(found.iter().all(|f| f.found != "(TP)"), "{found:#?}");
    assert!(fix_all(&e, text).contains("(TP)"), "{}", fix_all(&e, text));
    // The full forms after the definition are written short, as after a `TP`.
    assert_eq!(found.iter().filter(|f| f.found == "thành phố").count(), 2, "{found:#?}");
}

#[test]
fn a_dominant_long_form_makes_the_rare_short_form_the_finding() {
    let e = engine(RULES);
    // The seed case: a full form many times, its abbreviation once inside a quoted name.
    let long = "Bảo đảm an toàn giao thông dịp lễ. ".repeat(16);
    let text = format!("{long}Phong trào “Toàn dân giữ ATGT” lan rộng.");
    let found = check(&e, &text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].found, "ATGT");
    assert_eq!(
        found[0].message,
        "“ATGT” is used 1 time(s) and “an toàn giao thông” 16 times: write “an toàn giao thông”"
    );
    assert_eq!(found[0].fix.as_deref(), Some("an toàn giao thông"));
    // `--fix` changes nothing; with unsafe fixes, only the abbreviation is written out.
    assert_eq!(fix(&e, &text), text);
    assert_eq!(
        fix_all(&e, &text),
        format!("{long}Phong trào “Toàn dân giữ an toàn giao thông” lan rộng.")
    );
    // Round 53: a sentence's first word lends its capital to no use inside a sentence.
    for long in [
        "An toàn giao thông là ưu tiên. Mọi người giữ an toàn giao thông. ".repeat(8),
        "An toàn giao thông là ưu tiên. ".repeat(16),
    ] {
        let found = check(&e, &format!("{long}Phong trào giữ ATGT lan rộng."));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].fix.as_deref(), Some("an toàn giao thông"));
    }
    // Without a definition, the long form is never said to be "already abbreviated",
    // nor to be shortened: only the first use is reported.
    let text = "ATGT là ưu tiên. Bảo đảm ATGT, ATGT. Giữ an toàn giao thông.";
    let found = check(&e, text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].found, "ATGT");
}

#[test]
fn definitions_of_another_meaning_quotes_and_credits_are_not_edited() {
    let e = engine(
        r#"
[[rule]]
id = "abbr"
kind = "abbreviation"
message = "m"
glossary = [{ short = "CĐ", long = "cao đẳng", ambiguous = true }, { short = "HĐND", long = "Hội đồng nhân dân" }]
"#,
    );
    // `Công đoàn (CĐ)` defines CĐ its own way: never `Công đoàn (cao đẳng (CĐ))`.
    assert!(check(&e, "Công đoàn (CĐ) trường họp. CĐ quyết định.").is_empty());
    // A use inside a quotation cannot take the definition: the first use outside does.
    let found = check(&e, "Ông nói: “HĐND đã họp”. Sau đó HĐND quyết.");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].fix.as_deref(), Some("Hội đồng nhân dân"));
    assert!(check(&e, "Ông nói: “HĐND đã họp”.").is_empty());
    // A long form inside a quoted name or a photo credit is never contracted.
    let text =
        "Hội đồng nhân dân (HĐND) họp. Giải “Hội đồng nhân dân trẻ” trao. (Ảnh: Hội đồng nhân dân tỉnh). HĐND quyết.";
    assert!(check(&e, text).is_empty(), "{:#?}", check(&e, text));
    assert_eq!(
        super::protected_spans("a “b” c \"d\" Ảnh: X/TTXVN\n(Ảnh : Y) z", &vi_language()),
        [2..9, 12..15, 16..30, 32..41]
    );
    // Right after a parenthesis the colon may be left out (real news, round 17: `(Ảnh
    // CAND)` written out as `(Ảnh Công an nhân dân (CAND))`); a lower-case word after the
    // label is no credit (`(ảnh bên)`).
    let text = "x (Ảnh CAND) y (ảnh bên) z";
    assert_eq!(super::protected_spans(text, &vi_language()), vec![3..13]);
}

/// The credit labels and source-credit words are the pack's (`[pack] credit-labels`,
/// `source-credit-words`); none are built in.
#[test]
fn credit_words_come_from_the_pack() {
    let text = "a “b” c Ảnh: X/TTXVN\nTăng 6%. Theo NĐT";
    assert_eq!(
        super::protected_spans(text, crate::language::Language::none()),
        vec![2..9]
    );
    assert_eq!(super::protected_spans(text, &vi_language()), [2..9, 12..26, 37..46]);
    let english = crate::language::Language {
        credit_labels: vec!["Photo".into()],
        source_credit_words: vec!["Via".into()],
        ..Default::default()
    };
    assert_eq!(
        super::protected_spans("Rain fell. Photo: AP/Reuters\nPrices rose. Via NYT", &english),
        [11..28, 42..49]
    );
    // Through a rule: a caption's credit keeps its abbreviation only when the pack says so.
    let rule = "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n\
                glossary = [{ short = \"BTC\", long = \"Ban tổ chức\" }]\n";
    let text = "Lễ khai mạc. Ảnh: BTC";
    assert_eq!(check(&engine(rule), text)[0].fix.as_deref(), Some("Ban tổ chức"));
    let with_pack = format!("{rule}[pack]\ncredit-labels = [\"Ảnh\"]\n");
    assert!(check(&engine(&with_pack), text).iter().all(|f| f.fix.is_none()));
}

#[test]
fn hyphenated_unit_names_are_not_uses() {
    let e = engine(RULES);
    assert!(check(&e, "Đội CSGT-TT và phòng PC-HĐND phối hợp, COVID-19.").is_empty());
    assert_eq!(check(&e, "Khối HĐND-UBND họp.").len(), 1);
}

#[test]
fn variants_become_the_canonical_short_form() {
    let e = engine(RULES);
    assert_eq!(
        fix(&e, "Ở Tp Huế và T.P Vinh, TP Hà Nội"),
        "Ở TP Huế và TP Vinh, TP Hà Nội"
    );
    // Not inside other words, and case matters for short forms.
    assert!(check(&e, "Tpx, xTp, tp, xHĐND, HĐNDx, đHĐND").is_empty());
    // Round 130: a variant the text defines its own way is the writer's abbreviation
    // (`Blindspot Detection System … gọi tắt là BDS`, not `BĐS`): never rewritten.
    let cued = engine(&RULES.replacen("[[rule]]", "[[rule]]\ndefinition-cues = [\"gọi tắt là\"]", 1));
    let t = "Hệ thống Tracking Partner hay gọi tắt là Tp lắp ở Tp Huế.";
    assert_eq!(fix(&cued, t), t);
    assert_eq!(fix(&cued, "Ở Tp Huế."), "Ở TP Huế.");
}

#[test]
fn abbreviations_in_the_headline() {
    let e = engine(RULES);
    let found = check_with_headline(
        &e,
        "HĐND TP họp bất thường\nHội đồng nhân dân (HĐND) TP họp. HĐND quyết.",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].found, "HĐND");
    assert_eq!(found[0].message, "Abbreviation “HĐND” in the headline");
    assert_eq!(found[0].fix.as_deref(), Some("Hội đồng nhân dân"));
}

/// Judged on real news (round 11): `Các cơ sở GD&ĐT công lập` written out as `cơ sở Giáo dục
/// và Đào tạo` capitalizes a common noun. A `name-part` long form (the field of a ministry's
/// name) is still reported where it stands without its body, with no fix; the name itself
/// (`Bộ GD&ĐT`) is left alone.
#[test]
fn the_field_of_a_ministrys_name_is_not_written_out_without_the_ministry() {
    let e = engine(
        r#"
[[rule]]
id = "abbr"
kind = "abbreviation"
message = "m"
glossary = [
  { short = "GD&ĐT", long = "Giáo dục và Đào tạo", name-part = true },
  { short = "HĐND", long = "Hội đồng nhân dân" },
]
name-heads = ["Bộ"]
"#,
    );
    let found = check_with_headline(&e, "Các cơ sở GD&ĐT công lập tăng học phí\nNội dung bài.");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].fix, None);
    let found = check(&e, "Học sinh ngành GD&ĐT đi học.");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].fix, None);
    assert!(check_with_headline(&e, "Bộ GD&ĐT công bố lịch thi\nNội dung bài.").is_empty());
    // An entry without the mark keeps its fix.
    let found = check_with_headline(&e, "Các đại biểu HĐND họp\nNội dung bài.");
    assert_eq!(found[0].fix.as_deref(), Some("Hội đồng nhân dân"));
}

/// Judged on real news (round 11): a photo caption is read beside its photo, on its own;
/// the full form it repeats after the definition is not contracted. Elsewhere it is.
#[test]
fn a_caption_keeps_its_full_form() {
    let e = glossary_engine("ĐBQH", "đại biểu Quốc hội");
    let def = "Các đại biểu Quốc hội (ĐBQH) thảo luận. ĐBQH bỏ phiếu. ";
    for caption in [
        "Đại biểu Quốc hội tỉnh A phát biểu ý kiến. Ảnh: TTXVN",
        "Đại biểu Quốc hội tỉnh A phát biểu ý kiến (Ảnh: Quang Vinh).",
        "Đại biểu Quốc hội tỉnh A phát biểu ý kiến. Ảnh : T.H",
    ] {
        let text = format!("{def}{caption}");
        assert!(check(&e, &text).is_empty(), "{caption}: {:?}", check(&e, &text));
    }
    let text = format!("{def}Đại biểu Quốc hội tỉnh A phát biểu ý kiến. Ông nói thêm.");
    assert_eq!(check(&e, &text).len(), 1);
    // A credit on the next line belongs to no sentence of this one.
    let text = format!("{def}Đại biểu Quốc hội tỉnh A phát biểu ý kiến\nẢnh: TTXVN");
    assert_eq!(check(&e, &text).len(), 1);
}

#[test]
fn unknown_abbreviations_are_information() {
    let e = engine(RULES);
    let text = "Đại biểu ĐBQH và WHO. Ủy ban Kiểm tra (UBKT) họp, UBKT quyết; thế kỷ XX; ĐBQH.";
    let found = severities(&e, text);
    assert_eq!(found, [("ĐBQH".to_string(), Severity::Info)]);
    assert_eq!(check(&e, text)[0].message, "Chữ viết tắt lạ “ĐBQH”");
    // A shouted sentence is not a row of abbreviations.
    assert!(check(&e, "TIN NÓNG TỪ HÀ NỘI").is_empty());
}

#[test]
fn nfd_text_emoji_and_document_order() {
    let e = engine(RULES);
    let text: String = "😀 Hội đồng nhân dân (HĐND) họp.\n\n😀 HĐND quyết.".nfd().collect();
    assert!(check(&e, &text).is_empty());
    let text = "😀 Bảo đảm ATGT.\n\nAn toàn giao thông (ATGT) là ưu tiên.";
    let found = check(&e, text);
    let got: Vec<&str> = found.iter().map(|f| f.found.as_str()).collect();
    // The late definition is not "fixed" away: the first use gets the definition.
    assert_eq!(got, ["ATGT"]);
}

#[test]
fn masked_markdown_is_not_a_use() {
    let e = engine(RULES);
    assert!(check_markdown(&e, "Lệnh `HĐND` và [ATGT](http://x.vn/HĐND).\n").len() == 1);
    assert!(check_markdown(&e, "Lệnh `HĐND` chạy.\n").is_empty());
}

#[test]
fn off_checks_are_silent() {
    let rules = RULES.replace(
        "checks = { unknown = \"info\" }",
        "checks = { undefined = \"off\", unused-definition = \"off\" }",
    );
    let e = engine(&rules);
    let found = check(&e, "HĐND họp ở Tp Huế. Ủy ban Kiểm tra ĐBQH. Hội đồng nhân dân (HĐND).");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].found, "Tp");
}

#[test]
fn words_before_are_the_words_backwards() {
    for text in [
        "",
        "  ",
        "Luật Kinh doanh bất động sản",
        "a, b (c)đ ươ\u{301}x 😀 TP.HCM-x ",
        "x\u{1A}y",
    ] {
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let mut forward: Vec<_> = crate::text::words::words(&text[..end]).collect();
            forward.reverse();
            assert_eq!(
                super::names::words_before(text, end).collect::<Vec<_>>(),
                forward,
                "{text:?} {end}"
            );
        }
    }
}

#[test]
fn the_doc_example_passes() {
    doc_examples_pass(<super::Abbreviation as super::RuleKind>::DOC);
}

proptest! {
    #![proptest_config(proptest_config())]
    #[test]
    fn random_text_never_panics(parts in prop::collection::vec(piece(), 0..24)) {
        let e = engine(RULES);
        assert_sane(&e, &parts.concat());
    }
}

#[test]
fn a_long_form_right_before_its_abbreviation_defines_it() {
    let e = glossary_engine("CPI", "chỉ số giá tiêu dùng");
    // `long SHORT` without brackets is a definition: expanding would double the long form.
    let text = "Chỉ số giá tiêu dùng CPI thấp khiến lạm phát thấp. CPI tháng sau tăng.";
    assert!(check(&e, text).is_empty(), "{:#?}", check(&e, text));
    assert_eq!(fix_all(&e, text), text);
    // The head of the long form before it: still undefined, but writing the long form out
    // would repeat its head, so there is no fix.
    for text in [
        "HSBC dự báo chỉ số lạm phát CPI quý II tăng.",
        "Chỉ số CPI tháng Một tăng. CPI giảm.",
    ] {
        let found = check(&e, text);
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert_eq!(found[0].fix, None, "{text}");
    }
    // Not across a clause or a function word, and a bare first use is still reported.
    assert_eq!(check(&e, "Các chỉ số đều tăng, CPI cũng vậy.").len(), 1);
    assert!(check(&e, "Các chỉ số giá của CPI tăng.")[0].fix.is_some());
    assert_eq!(check(&e, "CPI tháng Một tăng.").len(), 1);
}

#[test]
fn no_definition_is_written_before_brackets_of_its_own() {
    let e = glossary_engine("GTVT", "giao thông vận tải");
    // `Tư vấn thiết kế GTVT (TEDI)`: the definition would make two brackets in a row.
    let text = "Tổng công ty Tư vấn thiết kế GTVT (TEDI) làm báo cáo. Bộ GTVT họp.";
    let found = check(&e, text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].fix, None);
    // Without brackets after it the definition is offered; a single use is written out.
    assert!(check(&e, "Ngành GTVT làm báo cáo. Bộ GTVT họp.")[0].fix.is_some());
    assert_eq!(
        check(&e, "Tư vấn GTVT (TEDI) làm báo cáo.")[0].fix.as_deref(),
        Some("giao thông vận tải")
    );
}

#[test]
fn a_source_credit_is_not_an_abbreviation_to_expand() {
    let e = glossary_engine("NĐT", "nhà đầu tư");
    for text in [
        "Doanh thu tăng 6% so với năm 2015. Theo NĐT",
        "Doanh thu tăng 6% so với năm 2015. (Theo NĐT)",
        "Doanh thu tăng 6% so với năm 2015.\nTheo NĐT/Vietnam+",
    ] {
        assert!(check(&e, text).is_empty(), "{text}: {:#?}", check(&e, text));
    }
    // Round 40: a masthead closing the article, and a related article's title in brackets.
    for text in [
        "Doanh thu tăng 6% so với năm 2015. NĐT",
        "Doanh thu tăng 6% so với năm 2015. Nhất Nam / NĐT",
        "Doanh thu tăng 6% so với năm 2015.  [Vốn NĐT nước ngoài tăng mạnh]  Doanh thu tăng.",
        // Round 72: the source on a line of its own under the article.
        "Doanh thu tăng 6% so với năm 2015.\nNĐT",
        "Doanh thu tăng 6% so với năm 2015.\n\nNĐT\n",
    ] {
        assert!(check(&e, text).is_empty(), "{text}: {:#?}", check(&e, text));
    }
    // Within a sentence both are uses.
    for text in [
        "Doanh thu tăng 6% so với năm 2015 nhờ NĐT",
        "Doanh thu tăng 6% so với năm 2015 [NĐT nước ngoài] và hơn.",
    ] {
        assert_eq!(check(&e, text).len(), 1, "{text}");
    }
    // Within a sentence `Theo` is a preposition, and the use is reported.
    assert_eq!(check(&e, "Theo NĐT nước ngoài, thị trường khó đoán.").len(), 1);
    assert_eq!(
        super::protected_spans("Tăng 6%. Theo NĐT\n(Theo BĐS)\nhọ đi theo HLV", &vi_language()),
        [10..19, 21..30]
    );
    // A closing list of sources (judged on real news, round 47).
    let text = "Công Danh (tổng hợp theo báo Infonet, CAND)\nHọ (tổng hợp) đi";
    assert_eq!(super::protected_spans(text, &vi_language()), vec![11..49]);
    assert_eq!(&text[11..49], "(tổng hợp theo báo Infonet, CAND)");
}

#[test]
fn the_parts_of_a_compound_definition_are_not_uses() {
    let e = glossary_engine("LHQ", "Liên hợp quốc");
    let text = "Nga gửi thư cho Hội đồng Bảo an Liên Hợp Quốc (HĐBA LHQ), dẫn tài liệu. Thông cáo của HĐBA LHQ lên án.";
    assert!(check(&e, text).is_empty(), "{:#?}", check(&e, text));
    assert_eq!(check(&e, "Nga gửi thư (LHQ và Mỹ) hôm qua.").len(), 1);
    // Round 41: a full form that ends another abbreviation's, defined right there, stays
    // written out (`vệ sinh ATTP (VSATTP)` broke the definition).
    let e = glossary_engine("ATTP", "an toàn thực phẩm");
    let text = "Bảo đảm an toàn thực phẩm (ATTP) dịp Tết. Đoàn kiểm tra vệ sinh an toàn thực phẩm (VSATTP) số 1. Về ATTP, đoàn nhắc.";
    assert!(check(&e, text).is_empty(), "{:#?}", check(&e, text));
    let text = "Bảo đảm an toàn thực phẩm (ATTP) dịp Tết. Đoàn kiểm tra an toàn thực phẩm số 1. Về ATTP, đoàn nhắc.";
    assert_eq!(check(&e, text).len(), 1, "{:#?}", check(&e, text));
    // An address in parentheses is no definition (`Tony (TP HCM)`).
    let e = glossary_engine("TP", "thành phố");
    let text = "Trái cây Tony (TP HCM), Terrisa (TP HCM). Các thành phố khác.";
    assert!(
        check(&e, text).iter().all(|f| f.found != "thành phố"),
        "{:#?}",
        check(&e, text)
    );
}

#[test]
fn a_long_form_before_a_period_in_parentheses_is_a_title() {
    let e = glossary_engine("CAND", "Công an nhân dân");
    let text = "lực lượng Công an nhân dân (CAND) được giao.\nTổng kết lịch sử xây dựng lực lượng Công an nhân dân (1945-2000), Nxb CAND.";
    assert!(check(&e, text).is_empty(), "{:#?}", check(&e, text));
    assert_eq!(check(&e, "Công an nhân dân (CAND) họp. Công an nhân dân dự.").len(), 1);
    // A frequency in parentheses is no period: the full form is still the finding.
    assert_eq!(
        check(
            &e,
            "Công an nhân dân (CAND) họp. Công an nhân dân (15 ngày/lần) tuần tra."
        )
        .len(),
        1
    );
}

/// Judged on real news (round 12): `Phòng Cảnh sát PCCC-CNCH số 2` written out became
/// `Phòng Cảnh sát phòng cháy chữa cháy (PCCC)-CNCH`. A use joined to another abbreviation,
/// or one space after the words of a body's name, is still reported but gets no fix; after a
/// comma or a function word it keeps its fix.
#[test]
fn a_use_inside_a_bodys_name_gets_no_fix() {
    let e = engine(RULES);
    for text in [
        "Phòng Cảnh sát ATGT số 2 đến. Rồi ATGT về.",
        "Theo Thông tư số 06 của UBND-ATGT hướng dẫn. Rồi ATGT về.",
    ] {
        let found = check(&e, text);
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert_eq!(found[0].fix, None, "{text}");
    }
    for text in [
        "Sau trận đấu ở Malaysia, ATGT về. Rồi ATGT đi.",
        "Hội nghị của ATGT họp. Rồi ATGT đi.",
    ] {
        let found = check(&e, text);
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert!(found[0].fix.is_some(), "{text}");
    }
}

/// A house-choice spelling (`Tp` for `TP`) is judged over the document (`choice-mode`):
/// judged on real news (round 12), an article that writes `Tp.` throughout chose it.
#[test]
fn house_choice_spellings_are_checked_for_consistency() {
    let rules = |mode: &str| {
        format!(
            "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n{mode}\n\
             glossary = [{{ short = \"TP\", long = \"thành phố\", choices = [\"Tp\"] }}]\n\
             allow-undefined = [\"TP\"]\n"
        )
    };
    let e = engine(&rules(""));
    // One spelling throughout: nothing.
    assert!(check(&e, "Đồng Nai, Tp. Hồ Chí Minh và Tp Cần Thơ.").is_empty());
    assert!(check(&e, "Đồng Nai, TP Hồ Chí Minh và TP Cần Thơ.").is_empty());
    // Mixed: the minority is reported, with both counts, and fixed to the majority.
    let found = check(&e, "Tp Huế, TP Vinh và TP Hà Tĩnh.");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].found, "Tp");
    assert_eq!(found[0].message, "The document writes both “TP” (2) and “Tp” (1)");
    assert_eq!(
        fix(&e, "Tp Huế, TP Vinh và TP Hà Tĩnh."),
        "TP Huế, TP Vinh và TP Hà Tĩnh."
    );
    // Where the house's spelling is written more often, the listed form beside it is no
    // mistake: nothing is reported (round 99, `TP.HCM` made `Tp.HCM` by a safe fix; round
    // 118, the finding judged FALSE).
    assert!(check(&e, "Tp. Huế, Tp Vinh và TP Hà Tĩnh.").is_empty());
    // In a later paragraph, an NFD word and an emoji before it: the edit lands on the spelling.
    assert_eq!(
        fix(&e, "Tp Huế 🙂 mưa.\n\nNgười dân TP Vinh và TP Hà Tĩnh."),
        "TP Huế 🙂 mưa.\n\nNgười dân TP Vinh và TP Hà Tĩnh."
    );
    assert!(check(&e, "TP Huế mưa to.\n\nNgười dân Tp Vinh và Tp Hà Tĩnh.").is_empty());
    let nfd: String = "Tp. Huế 🙂 mưa.\n\nNgười Việt ở TP Hà Tĩnh, TP Vinh.".nfd().collect();
    assert_eq!(fix(&e, &nfd), nfd.replace("Tp", "TP"));
    // A tie goes to the short form; a quoted use is counted, never edited.
    assert_eq!(fix(&e, "Tp Huế và TP Vinh."), "TP Huế và TP Vinh.");
    assert_eq!(
        fix(&e, "“Tp Huế” và TP Vinh, TP Hà Nội."),
        "“Tp Huế” và TP Vinh, TP Hà Nội."
    );
    // `prefer` reports every choice spelling; `off` none.
    let prefer = engine(&rules("choice-mode = \"prefer\""));
    assert_eq!(fix(&prefer, "Đồng Nai và Tp Cần Thơ."), "Đồng Nai và TP Cần Thơ.");
    let off = engine(&rules("choice-mode = \"off\""));
    assert!(check(&off, "Tp Huế, TP Vinh và TP Hà Tĩnh.").is_empty());
}

/// Judged on real news (round 17): `Hiệp hội BĐS TP Hồ Chí Minh` got the fix `Hiệp hội bất
/// động sản (BĐS)` (a function word before the head, `cho”. Hiệp hội`, was counted as inside
/// the name), and `của Ủy ban ATGT quốc gia` the fix `Ủy ban an toàn giao thông (ATGT)` while
/// the article defines `Ủy ban An toàn giao thông (ATGT) quốc gia`. Right after a body head
/// the expansion is written as a name: as the document defines it there, or capitalized.
#[test]
fn a_use_right_after_a_body_head_is_written_out_as_a_name() {
    let rules = |bodies: &str| {
        format!(
            "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n\
             glossary = [{{ short = \"BĐS\", long = \"bất động sản\" }}, {{ short = \"ATGT\", long = \"an toàn giao thông\" }}]\n\
             {HEADS}body-heads = [{bodies}]\n"
        )
    };
    let e = engine(&rules("\"Hiệp hội\", \"Ủy ban\", \"Ban\""));
    // Capitalized, whatever stands before the head.
    for (text, fixed) in [
        (
            "Đó là cơ chế “xin - cho”. Hiệp hội BĐS TP Hồ Chí Minh kiến nghị. Giá BĐS giảm.",
            "Đó là cơ chế “xin - cho”. Hiệp hội Bất động sản (BĐS) TP Hồ Chí Minh kiến nghị. Giá BĐS giảm.",
        ),
        (
            "Hội nghị của Ủy ban ATGT quốc gia diễn ra.",
            "Hội nghị của Ủy ban An toàn giao thông quốc gia diễn ra.",
        ),
    ] {
        let found = check(&e, text);
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert_eq!(fix_all(&e, text), fixed);
    }
    // The document's own definition after a body head gives the form, whatever its case.
    let text = "Hội nghị của Ủy ban ATGT quốc gia. Chủ tịch Ủy ban An Toàn Giao Thông (ATGT) quốc gia phát biểu. Ban ATGT tỉnh họp.";
    assert!(fix_all(&e, text).starts_with("Hội nghị của Ủy ban An Toàn Giao Thông (ATGT) quốc gia."));
    // Without the body heads (none are built in) the use in the name gets no fix.
    let bare = engine(&rules(""));
    let found = check(
        &bare,
        "Ông Hai nói Hiệp hội BĐS TP Hồ Chí Minh kiến nghị. Giá BĐS giảm.",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].fix, None);
    // After a capitalized word that is not a body head its case is a guess: no fix.
    let found = check(&e, "Phòng Cảnh sát ATGT số 2 đến. Rồi ATGT về.");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].fix, None);
}

/// Judged on real news (round 19): a rare short form after a body head (`Hiệp hội BĐS`, the
/// long form dominating) was written out in lower case beside the article's `Hiệp hội Bất
/// động sản TP HCM`; a short form after another abbreviation (`UB ATGT`) was written out as
/// `UB an toàn giao thông`.
#[test]
fn a_short_form_in_a_name_is_written_as_the_name_or_not_at_all() {
    let e = engine(&format!(
        "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n\
         glossary = [{{ short = \"BĐS\", long = \"bất động sản\" }}, {{ short = \"ATGT\", long = \"an toàn giao thông\" }}]\n\
         {HEADS}body-heads = [\"Hiệp hội\"]\n"
    ));
    let text =
        "Ông Châu, Chủ tịch Hiệp hội Bất động sản TP HCM, nói giá bất động sản tăng. Một DN thuộc Hiệp hội BĐS đã bán.";
    let found = check(&e, text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(fix_all(&e, text), text.replace("Hiệp hội BĐS", "Hiệp hội Bất động sản"));
    // With no such name in the document, the long form is capitalized.
    let text = "Giá bất động sản và thị trường bất động sản tăng. Hiệp hội BĐS kiến nghị.";
    assert_eq!(fix_all(&e, text), text.replace("Hiệp hội BĐS", "Hiệp hội Bất động sản"));
    // Elsewhere the rare short form is written out as the document spells it.
    let text = "Giá bất động sản và thị trường bất động sản tăng. Giá BĐS giảm.";
    assert_eq!(fix_all(&e, text), text.replace("BĐS", "bất động sản"));
    // After another abbreviation: reported, with no fix.
    let found = check(&e, "Đường sắt sẽ báo cáo với Bộ GTVT và UB ATGT những khó khăn.");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].fix, None);
}

/// Judged on real news (round 17): `thị trường BĐS` (the property market) in the sapo was
/// read as a school's name (`trường` is a unit head), so the finding sat on the third use.
#[test]
fn a_unit_head_that_ends_a_word_is_that_word() {
    let e = glossary_engine("BĐS", "bất động sản");
    let text = "Tiền sử dụng đất là điểm nghẽn của thị trường BĐS. Các trường BĐS hiếm.";
    let found = check(&e, text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        fix_all(&e, text),
        "Tiền sử dụng đất là điểm nghẽn của thị trường bất động sản (BĐS). Các trường BĐS hiếm."
    );
    // A school is still a unit: `các trường THPT`.
    let e = glossary_engine("THPT", "trung học phổ thông");
    assert!(check(&e, "Học sinh các trường THPT dự thi.").is_empty());
}

#[test]
fn a_sites_name_is_not_an_abbreviation_to_define() {
    let e = engine(RULES);
    // Real news (round 22): `ANTT.VN` opened an article as its source and was spelt out.
    assert!(
        check(&e, "ATGT.VN - Hôm qua, xe khách gặp nạn.").is_empty(),
        "{:?}",
        check(&e, "ATGT.VN - Hôm qua, xe khách gặp nạn.")
    );
    assert!(check(&e, "Xem www.CSGT.vn và trang CSGT.com.").is_empty());
    assert!(check(&e, "Bài trên XYZW.VN nói vậy.").is_empty());
    // Not a domain: still a use, and an unknown token still reported.
    assert_eq!(check(&e, "Hôm qua, ATGT. Rồi ATGT.vnx cũng vậy.").len(), 1);
    assert_eq!(check(&e, "Bài trên XYZW nói vậy.").len(), 1);
}

/// Judged DEBATABLE on real news (rounds 21 and 23): the full form written out first,
/// without brackets, then the abbreviation (`ban tổ chức … BTC`): the reader has met it.
#[test]
fn a_full_form_written_before_the_first_use_explains_it() {
    let e = engine(RULES);
    let text = "Đội cảnh sát giao thông có mặt. Sau đó CSGT lập biên bản.";
    assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
    // Without the full form first, the first use still wants its definition.
    assert_eq!(
        check(&e, "Sau đó CSGT lập biên bản. Đội cảnh sát giao thông có mặt.").len(),
        1
    );
}

/// Judged on real news (round 24): the bodies' codes in a document's number were taken for
/// first uses.
#[test]
fn codes_in_a_documents_number_are_not_uses() {
    let e = engine(RULES);
    assert!(check(&e, "Theo Thông tư số 01/2001/TTLT-BTP-CSGT-HĐND ngày 21/9.").is_empty());
    // Without a number around them they are uses.
    assert!(!check(&e, "Theo CSGT-HĐND ngày 21/9, CSGT đến.").is_empty());
    // Round 30: the last code after a spaced dash (`số 133/QĐ - CSĐT`).
    assert!(check(
        &e,
        "Theo quyết định số 133/QĐ - CSGT về tội chống người thi hành công vụ."
    )
    .is_empty());
    assert!(!check(&e, "Theo quyết định hôm qua - CSGT đến.").is_empty());
    // Round 65: a dash spaced after only (`304/2016/TT- HĐND`).
    assert!(check(&e, "Theo Điều 4 Thông tư số 304/2016/TT- HĐND về lệ phí.").is_empty());
    // Round 61: codes joined by an en dash (`01/2010/NQ–HĐTP`).
    assert!(check(&e, "Theo Nghị quyết 01/2010/NQ–HĐND ngày 22/10/2010.").is_empty());
    // Round 73: a dash spaced before only (`13/HD -MTTQ - BTT`).
    let t = "Hướng dẫn số 13/HD -HĐND - BTT của Ban Thường trực.";
    assert!(check(&e, t).is_empty(), "{:?}", check(&e, t));
    assert!(!check(&e, "Theo hướng dẫn hôm qua -HĐND đến.").is_empty());
}

/// A rule with `Vụ` as a titled head and `Hội` as a name head.
fn titled_engine(short: &str, long: &str) -> crate::engine::Engine {
    engine(&format!(
        "[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"m\"\n\
         glossary = [{{ short = \"{short}\", long = \"{long}\" }}]\n\
         name-heads = [\"Ban\", \"Hội\"]\ntitled-heads = [\"Vụ\"]\n"
    ))
}

#[test]
fn a_long_form_deep_inside_a_titled_name_stays_written_out() {
    let e = titled_engine("KKT", "khu kinh tế");
    // Judged on real news (round 27): the department's name keeps its words.
    let text = "Các khu kinh tế (KKT) ven biển thu hút vốn, các KKT cửa khẩu thì chưa. Ông là Vụ trưởng Vụ Quản lý các khu kinh tế thuộc Bộ.";
    assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
    // `Vụ` before a lower-case word is an incident, not a body.
    let incident =
        "Các khu kinh tế (KKT) ven biển thu hút vốn, các KKT cửa khẩu thì chưa. Vụ cháy ở khu kinh tế gây thiệt hại.";
    let found: Vec<String> = check(&e, incident).into_iter().map(|f| f.found).collect();
    assert_eq!(found, ["khu kinh tế"]);
    // A name head works the same way when a capitalized word follows it.
    let ban = titled_engine("KCN", "khu công nghiệp");
    let text =
        "Các khu công nghiệp (KCN) mở rộng, các KCN cũ thì không. Ban Quản lý các khu công nghiệp tỉnh cho biết.";
    assert!(check(&ban, text).is_empty());
    // A function word between ends the name: `và Hợp tác xã` is a name of its own.
    let htx = titled_engine("KCN", "khu công nghiệp");
    let joined = "Các khu công nghiệp (KCN) mở rộng, các KCN cũ thì không. Ban Quản lý dự án và khu công nghiệp mới.";
    let found: Vec<String> = check(&htx, joined).into_iter().map(|f| f.found).collect();
    assert_eq!(found, ["khu công nghiệp"]);
}

/// Round 41: a caption's credit glued into its paragraph ends after its names, not at the
/// end of the line, or it keeps the rest of the paragraph out of every count.
#[test]
fn a_credit_run_into_its_paragraph_ends_after_its_names() {
    let vi = vi_language();
    assert_eq!(super::protected_spans("a. Ảnh: TM Nắm giữ lễ hội", &vi), vec![3..18]);
    assert_eq!(
        super::protected_spans("a. Ảnh: Quốc Khánh/TTXVN. Đoàn về", &vi),
        vec![3..29]
    );
    // On a line of its own, or in brackets, the credit is the whole of it.
    assert_eq!(super::protected_spans("a.\nẢnh: Quốc Khánh\nb", &vi), vec![3..23]);
    assert_eq!(super::protected_spans("a (Ảnh: tư liệu) b", &vi), vec![3..20]);
}

/// Real news, round 108: `ATGT®` is a forum's registered name, not a use to define.
#[test]
fn a_registered_mark_makes_the_abbreviation_part_of_a_name() {
    let e = glossary_engine("ATGT", "an toàn giao thông");
    let text = "Clip được chia sẻ trên diễn đàn Luật Giao thông & ATGT® sáng nay.";
    assert!(check(&e, text).is_empty(), "{:?}", check(&e, text));
    assert!(check(&e, "Clip được chia sẻ trên diễn đàn Trạm ATGT™ sáng nay.").is_empty());
    assert_eq!(
        check(&e, "Clip được chia sẻ trên diễn đàn Luật Giao thông & ATGT sáng nay.").len(),
        1
    );
}
