//! Nothing in the engine assumes Vietnamese (issue 13): a small English pack that uses the
//! generic kinds and sets none of their language words gets none of the Vietnamese
//! behaviour the `vi-news` pack gives them through those options.

use copydesk_core::testing::{check, check_with_headline, engine};

const ENGLISH: &str = r#"
[[rule]]
id = "en.numbers"
kind = "numbers-dates"
message = "{problem}: {found} → {expected}"
mode = "prefer"
date-separator = "/"
time = "13h37"
thousands = ","
decimal = "."
units = ["km", "dollars"]

[[rule]]
id = "en.bodies"
kind = "capitalization"
message = "{problem}: {found} → {expected}"
forms = ["Ministry of Health", "Police of the county"]
titles = ["Minister"]
name-markers = ["Mr"]

[[rule]]
id = "en.headline"
kind = "capitalization"
scope = "headline"
message = "{problem}: {found}"
headline = { case = "sentence" }
"#;

fn rules(e: &copydesk::Engine, t: &str) -> Vec<String> {
    check(e, t)
        .into_iter()
        .map(|f| format!("{} {}", f.rule, f.found))
        .collect()
}

#[test]
fn an_english_pack_without_language_words_has_no_vietnamese_behaviour() {
    let e = engine(ENGLISH);
    // No Vietnamese date or time cues: `ngày 26-7` is no date, `lúc 13:37` no certain time
    // (a two-digit hour is still offered an unsafe fix, as for any rule without cues).
    assert!(rules(&e, "Ngày 26-7, sáng 4.6, thứ Hai 5-8, chủ nhật 7-9.").is_empty());
    assert_eq!(copydesk_core::testing::fix(&e, "Họp lúc 13:37."), "Họp lúc 13:37.");
    // No Vietnamese count nouns or currencies: `9.994 thẻ` and `500.000 đồng` are not numbers
    // before a unit of this pack.
    assert!(rules(&e, "cấp 9.994 thẻ, giá 500.000 đồng, 150,00 đồng").is_empty());
    // The English units do their job.
    assert_eq!(rules(&e, "a 6,5 km walk"), ["en.numbers 6,5"]);
    // No Vietnamese plurals, offices, units or source cues protect a lower-case form.
    for t in [
        "Staff of các ministry of health met.",
        "Staff of những ministry of health met.",
        "Staff of theo Ministry Of Health met.",
        "Staff of police of the county met.",
    ] {
        assert_eq!(rules(&e, t).len(), 1, "{t}");
    }
    // No Vietnamese name syllables: `văn` inside a name is not reported.
    assert!(rules(&e, "Then Mr Nguyễn văn An spoke.").is_empty());
    // No Vietnamese function words: a Title Cased Vietnamese headline is not judged.
    let headline = check_with_headline(&e, "Cháy Lớn Tại Nhà Máy Của Công Ty\n\nBody.");
    assert!(headline.is_empty(), "{headline:?}");
}

/// The doubled-word scan with no language words.
const REPEATS: &str = r#"
[[rule]]
id = "en.repeats"
kind = "typography"
checks = ["repeated-words"]
message = "{problem}: {found}"
"#;

#[test]
fn the_doubled_word_scan_knows_no_vietnamese_function_words() {
    // No Vietnamese function words: a doubled `của` or `đã` is no slip for this pack.
    let e = engine(REPEATS);
    assert!(rules(&e, "Bản tin của của đài, đã đã kiểm tra.").is_empty());
}

/// Sentence starts with no language words.
const CAPITALS: &str = r#"
[[rule]]
id = "en.capital"
kind = "sentence"
checks = ["capital-start"]
message = "{problem}: {found}"
"#;

#[test]
fn sentence_starts_know_no_vietnamese_work_cues_or_initials() {
    // After `?` ending a film's title (`phim`), and after `Ph.`, a lower-case word starts a
    // sentence for this pack.
    let e = engine(CAPITALS);
    assert_eq!(rules(&e, "Ông xem phim Ai đó? có giá vé rẻ"), ["en.capital có"]);
    assert_eq!(rules(&e, "Sau đó, Ph. chạy theo"), ["en.capital chạy"]);
}

/// Clock times with a clock cue but no hour word or entry-stamp word.
const CLOCK: &str = r#"
[[rule]]
id = "en.time"
kind = "numbers-dates"
message = "{problem}: {found}"
mode = "prefer"
time = "13h37"
date-separator = "-"
clock-cues-before = ["lúc"]
"#;

#[test]
fn clock_times_know_no_vietnamese_hour_or_stamp_word() {
    let e = engine(CLOCK);
    // No hour word: `9 giờ 30` is no clock time to put in the house form.
    assert!(rules(&e, "Họp lúc 9 giờ 30.").is_empty());
    // No entry-stamp word: a live blog's `19:50 ngày 19/06/2017` stamp is the writer's time
    // and date (the `vi-news` pack leaves both alone).
    assert_eq!(
        rules(&e, "Tin mới.\n19:50 ngày 19/06/2017 Đường ngập."),
        ["en.time 19:50", "en.time 19/06/2017"]
    );
}
