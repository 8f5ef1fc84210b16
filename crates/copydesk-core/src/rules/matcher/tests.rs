use super::*;

fn set(terms: &[(&str, bool, bool)]) -> TermSet {
    let mut b = TermSetBuilder::new();
    for (i, (t, cs, w)) in terms.iter().enumerate() {
        assert!(b.add(t, *cs, *w, i as u32));
    }
    b.build()
}

fn found(s: &TermSet, text: &str) -> Vec<(String, u32)> {
    found_in(s, &BlockContext::new(text, crate::language::Language::none()))
}

/// What `s` finds in a block whose context other sets may have searched already.
fn found_in(s: &TermSet, block: &BlockContext<'_>) -> Vec<(String, u32)> {
    let text = block.text();
    s.find(block, &|_| true)
        .into_iter()
        .map(|m| (text[m.range].to_string(), m.hits[0].id))
        .collect()
}

#[test]
fn term_list_errors_point_at_the_entry_and_say_what_to_give() {
    let entry = |key, words: &[&str], pattern| TermEntry {
        rule: RuleIdx(2),
        key,
        words: words.iter().map(|w| w.to_string()).collect(),
        pattern,
        case_sensitive: false,
        whole_word: true,
        id: 0,
    };
    let mut list = TermListBuilder::new("wrong", "term");
    assert!(list.add(entry("terms[0]", &["kĩ"], None)));
    assert!(!list.add(entry("terms[1]", &["a"], Some("b+"))));
    assert!(!list.add(entry("terms[2]", &[], None)));
    assert!(list.add(entry("terms[3]", &["x", ""], None)));
    assert!(!list.add(entry("terms[4]", &[], Some("(unclosed"))));
    let errors = list.build().err().expect("errors are reported");
    let got: Vec<(Option<&str>, &str)> = errors.iter().map(|e| (e.key.as_deref(), e.message.as_str())).collect();
    let both = "give either `wrong` (literal terms) or `pattern` (a regex), not both";
    assert_eq!(got[0], (Some("terms[1]"), both));
    assert_eq!(got[1], (Some("terms[2]"), both));
    assert_eq!(got[2], (Some("terms[3].wrong"), "a `wrong` term is empty"));
    assert_eq!(got[3].0, Some("terms[4].pattern"));
    assert!(got[3].1.contains("unclosed"), "{}", got[3].1);
    assert_eq!(errors.len(), 4);
    assert!(errors.iter().all(|e| e.rule == RuleIdx(2)));

    let mut fine = TermListBuilder::new("match", "word");
    assert!(fine.add(entry("tokens[0]", &["kĩ"], None)));
    assert!(fine.add(entry("tokens[1]", &[], Some(r"\bx+\b"))));
    let (literals, _regexes) = fine.build().expect("no errors");
    assert_eq!(found(&literals, "Kĩ thuật"), [("Kĩ".to_string(), 0)]);
}

#[test]
fn sets_searching_together_find_what_each_finds_alone() {
    let a_terms = [
        ("bộ công an", false, true),
        ("công an", false, true),
        ("TP", true, true),
    ];
    let b_terms = [("công an", false, true), ("an ninh", false, true), ("ANTT", true, true)];
    let c_terms = [("an", false, false)];
    let (mut a, mut b, mut c) = (set(&a_terms), set(&b_terms), set(&c_terms));
    let (a_alone, b_alone, c_alone) = (set(&a_terms), set(&b_terms), set(&c_terms));
    share([&mut a, &mut b, &mut c]);
    assert!(a.shared.is_some() && b.shared.is_some() && c.shared.is_some());
    let nfd: String = "Bộ Công an giữ an ninh trật tự (ANTT) ở tp".nfd().collect();
    let texts = [
        "Bộ Công an giữ an ninh trật tự (ANTT) ở TP, Công An xã.",
        nfd.as_str(),
        "ANTT antt TP Tp",
        "",
        "không có gì",
    ];
    // One context per block, so that each set reads the occurrences the first one's
    // search left in it.
    for t in texts {
        let block = BlockContext::new(t, crate::language::Language::none());
        assert_eq!(found_in(&b, &block), found(&b_alone, t), "{t}");
        assert!(block.has_scan_hits(), "the first search keeps its result");
        assert_eq!(found_in(&a, &block), found(&a_alone, t), "{t}");
        assert_eq!(found_in(&c, &block), found(&c_alone, t), "{t}");
    }
    // A second engine's scan over the same block must not read the first one's results.
    let (mut a2, mut d) = (set(&a_terms), set(&[("trật tự", false, true)]));
    share([&mut a2, &mut d]);
    for t in texts {
        let block = BlockContext::new(t, crate::language::Language::none());
        assert_eq!(found_in(&a, &block), found(&a_alone, t), "{t}");
        assert_eq!(
            found_in(&d, &block).len(),
            usize::from(t.nfc().collect::<String>().contains("trật tự")),
            "{t}"
        );
        assert_eq!(found_in(&a2, &block), found(&a_alone, t), "{t}");
    }
}

#[test]
fn folding_keeps_length_and_folds_vietnamese_capitals() {
    let t = "ĐƯỜNG Hòa \u{130}stanbul \u{212A} 😀";
    let mut out = Vec::new();
    fold_into(t, &mut out);
    assert_eq!(out.len(), t.len());
    let s = String::from_utf8(out).unwrap();
    assert!(s.starts_with("đường hòa "), "{s}");
    // `İ` lower-cases to two characters and the Kelvin sign to one byte: both kept.
    assert!(s.contains("\u{130}stanbul") && s.contains('\u{212A}'), "{s}");
}

#[test]
fn whole_words_only_with_diacritics_and_combining_marks() {
    let s = set(&[("sát nhập", false, true), ("an", false, true)]);
    assert_eq!(found(&s, "xsát nhập, đan, an"), [("an".to_string(), 1)]);
    assert_eq!(found(&s, "Sát nhập"), [("Sát nhập".to_string(), 0)]);
    // NFD text matches an NFC term, and a combining mark after a word extends it.
    let nfd = "sa\u{301}t nhâ\u{323}p";
    assert_eq!(found(&s, nfd), [(nfd.to_string(), 0)]);
    assert!(found(&s, "a\u{300}n").is_empty());
}

#[test]
fn a_rejected_longest_match_does_not_hide_a_shorter_one() {
    let s = set(&[("sát", false, true), ("sát nhập", false, true)]);
    assert_eq!(found(&s, "sát nhậpx"), [("sát".to_string(), 0)]);
    assert_eq!(found(&s, "sát nhập"), [("sát nhập".to_string(), 1)]);
}

#[test]
fn case_sensitive_and_insensitive_terms_merge() {
    let s = set(&[("TP", true, true), ("tp.hcm", false, true), ("…", false, false)]);
    assert_eq!(
        found(&s, "TP tp TP.HCM x…y"),
        [("TP".to_string(), 0), ("TP.HCM".to_string(), 1), ("…".to_string(), 2)]
    );
}

#[test]
fn forms_are_detected_and_applied() {
    assert_eq!(Form::of("hòa"), Form::Nfc);
    assert_eq!(Form::of("ho\u{300}a"), Form::Nfd);
    assert_eq!(Form::of("ư\u{300}"), Form::Composite);
    assert_eq!(composite("người"), "ngươ\u{300}i");
    assert_eq!(Form::Nfd.apply("hòa"), "ho\u{300}a");
}

/// The search as it was first written (two leftmost-longest automata, one over the
/// folded block and one over the block, with anchored retries after a rejected
/// candidate): the specification the one-pass search must reproduce.
fn reference_find(set: &TermSet, text: &str, accept: &dyn Fn(u32) -> bool) -> Vec<TermMatch> {
    use aho_corasick::{Anchored, StartKind};
    fn search(patterns: &Patterns, hay: &[u8], m: &Matching<'_>, out: &mut Vec<TermMatch>) {
        let text = m.text;
        if patterns.strings.is_empty() {
            return;
        }
        let build = |start: StartKind| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(start)
                .build(&patterns.strings)
                .unwrap()
        };
        let (ac, anchored) = (build(StartKind::Unanchored), build(StartKind::Anchored));
        let mut buf = Vec::new();
        let mut pos = 0;
        while pos < hay.len() {
            let Some(hit) = ac.find(Input::new(hay).span(pos..hay.len())) else {
                break;
            };
            let start = hit.start();
            patterns.accepted(hit.pattern().as_usize(), hit.range(), m, &mut buf);
            let mut found = (!buf.is_empty()).then(|| hit.range());
            let mut end = hit.end();
            while found.is_none() && end > start + 1 {
                let input = Input::new(hay).span(start..end - 1).anchored(Anchored::Yes);
                let Some(shorter) = anchored.find(input) else { break };
                patterns.accepted(shorter.pattern().as_usize(), shorter.range(), m, &mut buf);
                if !buf.is_empty() {
                    found = Some(shorter.range());
                }
                end = shorter.end();
            }
            match found {
                Some(range) => {
                    pos = range.end.max(start + 1);
                    out.push(TermMatch {
                        range,
                        hits: std::mem::take(&mut buf),
                    });
                }
                None => {
                    pos = start + 1;
                    while pos < text.len() && !text.is_char_boundary(pos) {
                        pos += 1;
                    }
                }
            }
        }
    }
    let mut hay = Vec::new();
    fold_into(text, &mut hay);
    let mut out = Vec::new();
    let m = Matching {
        text,
        accept,
        compounds: &set.compounds,
    };
    search(&set.folded, &hay, &m, &mut out);
    let before = out.len();
    search(&set.exact, text.as_bytes(), &m, &mut out);
    if before > 0 && out.len() > before {
        merge_leftmost_longest(&mut out);
    }
    out
}

const TERMS: &[(&str, bool, bool)] = &[
    ("sát nhập", false, true),
    ("sát", false, true),
    ("nhập", false, false),
    ("Sát", true, true),
    ("sát nhập x", false, true),
    ("TP", true, true),
    ("TP.HCM", true, true),
    ("tp", false, false),
    ("…", false, false),
    ("...", false, true),
    ("kỹ", false, true),
    ("ĐƯỜNG", true, true),
    ("đường", false, true),
    ("an", false, true),
    ("n", false, false),
];

use proptest::prelude::*;

proptest::proptest! {
    #![proptest_config(test_support::proptest_config())]
    #[test]
    fn one_pass_search_equals_the_reference(
        parts in proptest::collection::vec(test_support::piece(), 0..24),
        mask in 0u32..8,
    ) {
        let text = parts.concat();
        let s = set(TERMS);
        let accept = |id: u32| mask == 0 || id % 8 != mask;
        proptest::prop_assert_eq!(s.find(&BlockContext::new(&text, crate::language::Language::none()), &accept), reference_find(&s, &text, &accept));
    }
}

#[test]
fn one_pass_search_equals_the_reference_on_generated_copy() {
    let text = crate::testing::corpus::article(7, 30_000);
    let s = set(TERMS);
    for block in text.split("\n\n") {
        assert_eq!(
            s.find(&BlockContext::new(block, crate::language::Language::none()), &|_| true),
            reference_find(&s, block, &|_| true),
            "{block}"
        );
    }
}

const REGEXES: &[(&str, bool, bool)] = &[
    (r"(\d+) ngàn", true, true),
    (r"\w+,? (?<span>Tỉnh) \p{Lu}\w*", false, true),
    (r"ng(?<r>[iìíỉĩịeèéẻẽẹêềếểễệ]\w*)", true, true),
    (
        r"ngh(?<r>[aàáảãạăằắẳẵặâầấẩẫậoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữự]\w*)",
        true,
        true,
    ),
    (r"\p{Lu}{2,}", false, false),
    (r"TP\. (?<n>\p{Lu}\w*)", false, true),
    (r"(?i:sát) nhập", false, true),
    (r"a|b", true, false),
    (r"x*", false, false),
    (r"…+", false, false),
];

/// `(id, match, groups)` of every regex match reported.
type RegexMatch = (u32, Range<usize>, Vec<Option<Range<usize>>>);

fn regex_matches(text: &str, gated: bool) -> Vec<RegexMatch> {
    let mut b = RegexTermsBuilder::new();
    for (i, (p, ci, w)) in REGEXES.iter().enumerate() {
        b.add(p, *ci, *w, i as u32).unwrap();
    }
    let mut out = Vec::new();
    let mut push = |id: u32, caps: &Captures<'_>| {
        let groups = caps.iter().map(|g| g.map(|g| g.range())).collect();
        out.push((id, caps.get(0).map_or(0..0, |m| m.range()), groups));
    };
    if gated {
        let (terms, regexes) = TermSetBuilder::new().build_with_regexes(b).unwrap();
        let mut gates = Vec::new();
        terms.find_gated(
            &BlockContext::new(text, crate::language::Language::none()),
            &|_| true,
            &mut gates,
        );
        regexes.for_each(text, &gates, &|_| true, push, |id, e| panic!("regex {id}: {e}"));
    } else {
        // Every regex, no prefilter at all.
        let regexes = b.build().unwrap();
        for (i, e) in regexes.entries.iter().enumerate() {
            let (id, whole_word) = e.owner;
            for caps in e.regex().unwrap().captures_iter(text) {
                let m = caps.get(0).unwrap();
                if m.is_empty() || m.as_str().contains(MASK_CHAR) || (whole_word && !is_whole_word(text, m.range())) {
                    continue;
                }
                assert_eq!(id, i as u32);
                push(id, &caps);
            }
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(test_support::proptest_config())]
    #[test]
    fn gated_regexes_find_what_every_regex_finds(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                test_support::piece(),
                proptest::sample::select(vec![
                    "5 ngàn", "5 NGÀN", "Công an Tỉnh Bắc", "tỉnh Bắc", "ngiêm", "NGÍ", "nghành", "NGHÀNH",
                    "TP. Huế", "tp. huế", "SÁT nhập", "sát NHẬP", "ab", "……", ", ", "Tỉnh ",
                ])
                .prop_map(str::to_string),
            ],
            0..16,
        ),
    ) {
        let text = parts.concat();
        proptest::prop_assert_eq!(regex_matches(&text, true), regex_matches(&text, false));
    }
}

#[test]
fn regexes_are_gated_by_the_literals_they_need() {
    let mut b = RegexTermsBuilder::new();
    for (i, (p, ci, w)) in REGEXES.iter().enumerate() {
        b.add(p, *ci, *w, i as u32).unwrap();
    }
    let gated: Vec<bool> = b.gates.iter().map(Option::is_some).collect();
    assert_eq!(gated, [true, true, true, true, false, true, true, false, false, true]);
    let lits = |i: usize| -> Vec<String> { b.gates[i].iter().flatten().map(|(s, _)| s.clone()).collect() };
    assert_eq!(lits(0), [" ngàn"]);
    assert_eq!(lits(1), [" Tỉnh "]);
    assert_eq!(lits(2).len(), 18, "{:?}", lits(2));
    assert_eq!(lits(5), ["TP. "]);
}

#[test]
fn invalid_regexes_are_the_errors_regex_gives() {
    for (pattern, ci) in [
        ("(", false),
        ("a{2,1}", true),
        (r"\p{Nope}", false),
        ("(?-u:\\xFF)", false),
        ("[z-a]", true),
    ] {
        let ours = RegexTermsBuilder::new().add(pattern, ci, true, 0).unwrap_err();
        let theirs = ::regex::RegexBuilder::new(pattern)
            .case_insensitive(ci)
            .build()
            .unwrap_err();
        assert_eq!(ours, format!("invalid regex: {theirs}"));
    }
    // Too big for the size limit: compiled (and refused) when the rules load.
    let err = RegexTermsBuilder::new().add(r"\w{500}", false, true, 0).unwrap_err();
    assert!(err.contains("exceeds size limit"), "{err}");
}

#[test]
fn folding_matches_the_character_function() {
    let text: String = (0u32..0x3000).filter_map(char::from_u32).collect();
    let mut out = Vec::new();
    fold_into(&text, &mut out);
    let expected: String = text
        .chars()
        .map(|c| if c.len_utf8() < 4 { fold_char(c) } else { c })
        .collect();
    assert_eq!(String::from_utf8(out).unwrap(), expected);
    assert!((0u32..FOLD_TABLE_LEN)
        .filter_map(char::from_u32)
        .all(|c| fold_char(c) == fold_char_slow(c)));
    // `fold`, in bulk unless a four-byte character is there, folds every character.
    let each = |s: &str| s.chars().map(fold_char).collect::<String>();
    assert_eq!(fold(&text), each(&text));
    let wide = "ĐÀ NẴNG 𐐀 Ⅻ";
    assert_eq!(fold(wide), each(wide));
    assert_eq!(fold("ĐÀ NẴNG"), "đà nẵng");
}

fn matched<'a>(set: &TermSet, text: &'a str) -> Vec<&'a str> {
    set.find(&BlockContext::new(text, crate::language::Language::none()), &|_| true)
        .into_iter()
        .map(|m| &text[m.range])
        .collect()
}

fn misspellings() -> TermSet {
    let mut b = TermSetBuilder::new();
    for (i, t) in [
        "tựu chung",
        "suất hiện",
        "xúc tích",
        "xét sử",
        "sát nhập",
        "hàng ngày",
        "hồ sơ xuất",
        "sinh viên",
    ]
    .iter()
    .enumerate()
    {
        b.add(t, false, true, i as u32);
    }
    b.build()
}

#[test]
fn multi_syllable_terms_do_not_cut_a_word_at_their_edges() {
    let set = misspellings();
    // Judged real sentences (Dân trí, 2020-21) and the audit's: each term is only part of a word.
    for text in [
        "góp phần vào thành tựu chung của đất nước",
        "Lãi suất hiện nay ở mức thấp",
        "mang lại cảm xúc tích cực",
        "Chính phủ xem xét sử dụng vốn ODA",
        "lực lượng cảnh sát nhập cuộc",
        "Khách hàng ngày càng đông",
        "Bánh chưng gói bằng lá dong, xếp hàng ngày đêm",
    ] {
        assert_eq!(matched(&set, text), Vec::<&str>::new(), "{text}");
    }
    // The same terms where they are the words of the text.
    assert_eq!(matched(&set, "Tựu chung, đó là lỗi"), ["Tựu chung"]);
    assert_eq!(matched(&set, "Hiện tượng lạ suất hiện ở đây"), ["suất hiện"]);
    assert_eq!(matched(&set, "hai xã sát nhập với nhau"), ["sát nhập"]);
    assert_eq!(matched(&set, "tòa xét sử vụ án"), ["xét sử"]);
    // Only one side competes and the term is a word itself: it stands (`nữ sinh|viên`
    // against `nữ | sinh viên`: silence would be a guess).
    assert_eq!(matched(&set, "một nữ sinh viên năm ba"), ["sinh viên"]);
    // `hàng ngày` is not in the list: one competing side is enough.
    assert_eq!(matched(&set, "ngân hàng ngày 5/8"), Vec::<&str>::new());
    // A function word after the match does not compete (`động từ` is a word, but not here).
    assert_eq!(matched(&set, "giá trung bình sát nhập từ 1 đến 2"), ["sát nhập"]);
    // Punctuation between the neighbour and the term is a boundary.
    assert_eq!(matched(&set, "thành, tựu chung lại"), ["tựu chung"]);
    // Inside a word doubled syllable by syllable (round 120): `sát sát nhập nhập` is no use.
    assert_eq!(matched(&set, "cứ sát sát nhập nhập 🙂 mãi"), Vec::<&str>::new());
    assert_eq!(matched(&set, "sát nhập nhập vào"), ["sát nhập"]);
}

#[test]
fn compound_edges_hold_in_nfd_in_any_case_and_with_three_syllables() {
    let set = misspellings();
    let nfd: String = "Góp phần vào THÀNH TỰU CHUNG.".nfd().collect();
    assert_eq!(matched(&set, &nfd), Vec::<&str>::new());
    // `hồ sơ xuất` (three syllables): its last pair `sơ xuất` is no word, `xuất khẩu` is.
    assert_eq!(matched(&set, "hoàn thiện hồ sơ xuất khẩu"), Vec::<&str>::new());
    assert_eq!(matched(&set, "do hồ sơ xuất, tôi quên"), ["hồ sơ xuất"]);
    // Emoji and a no-break space around the match.
    assert_eq!(matched(&set, "🎉 thành\u{A0}tựu chung 🎉"), Vec::<&str>::new());
    assert_eq!(matched(&set, "🎉 tựu chung 🎉"), ["tựu chung"]);
}

#[test]
fn a_newsroom_adds_compounds() {
    let mut b = TermSetBuilder::new();
    b.add("chung cư", false, true, 0);
    b.add_compounds(&Compounds::with_extra(&["tựu chung"]).unwrap());
    let set = b.build();
    // Without the extra word `tựu chung`, `chung cư` would match here.
    assert_eq!(matched(&set, "tựu chung cư dân đều đồng ý"), Vec::<&str>::new());
    let plain = {
        let mut b = TermSetBuilder::new();
        b.add("chung cư", false, true, 0);
        b.build()
    };
    assert_eq!(matched(&plain, "tựu chung cư dân đều đồng ý"), ["chung cư"]);
}

#[test]
fn a_regex_that_cannot_be_built_says_so_where_it_would_run() {
    let mut b = RegexTermsBuilder::new();
    b.add(r"\p{Lu}\w+", false, true, 7).unwrap();
    let mut regexes = b.build().unwrap();
    // Far too small for a Unicode class: the lazy build fails, as a regex the load-time
    // estimate misjudged would.
    regexes.entries[0].size_limit = 16;
    let (mut found, mut broken) = (0, Vec::new());
    for text in ["Thủ phủ 😀 Đà Lạt", "Hoà\u{300}"] {
        regexes.for_each(
            text,
            &[],
            &|_| true,
            |_, _| found += 1,
            |id, why| broken.push((id, why.to_string())),
        );
    }
    assert_eq!(found, 0);
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(
        broken.iter().all(|(id, why)| *id == 7 && why.contains("size limit")),
        "{broken:?}"
    );
    // A rule that does not apply to the block is not run, so says nothing.
    broken.clear();
    regexes.for_each(
        "Thủ phủ",
        &[],
        &|_| false,
        |_, _| found += 1,
        |id, why| broken.push((id, why.to_string())),
    );
    assert!(broken.is_empty());
}

/// The build-time analyses of the built-in packs' regexes are what a parse at load gives.
#[test]
fn built_in_regex_analyses_equal_a_parse_at_load() {
    assert!(BUILTIN_ANALYSES.len() > 20, "{} analyses", BUILTIN_ANALYSES.len());
    assert!(BUILTIN_ANALYSES.windows(2).all(|w| w[0].0 < w[1].0), "not sorted");
    for (pattern, _, _) in BUILTIN_ANALYSES {
        let hir = analysis::parse(pattern, false).unwrap();
        let fresh = (
            analysis::size_estimate(&hir),
            analysis::gate_literals(&hir, false, &fold_as_block),
        );
        assert_eq!(builtin_analysis(pattern), Some(fresh), "{pattern}");
    }
}

/// A case-sensitive built-in regex is not parsed when the rules load (parsing the places
/// patterns was most of the start-up of `copydesk check`); the same text matching case-
/// insensitively, or any other regex, is.
#[test]
fn built_in_regexes_load_without_a_parse() {
    let parsed = || PARSED.with(|n| n.get());
    let long = BUILTIN_ANALYSES
        .iter()
        .map(|(p, _, _)| *p)
        .max_by_key(|p| p.len())
        .unwrap();
    assert!(long.len() > 1000, "{long}");
    let mut b = RegexTermsBuilder::new();
    let before = parsed();
    b.add(long, false, true, 0).unwrap();
    assert_eq!(parsed(), before);
    b.add(long, true, true, 1).unwrap();
    assert_eq!(parsed(), before + 1);
    b.add(r"kĩ (?<n>\d+)", false, true, 2).unwrap();
    assert_eq!(parsed(), before + 2);
    // A broken regex is still an error at load.
    assert!(b.add("(unclosed", false, true, 3).is_err());
    // And the known one finds what it found when parsed.
    let terms = b.build().unwrap();
    assert_eq!(terms.entries[0].gated, builtin_analysis(long).unwrap().1.is_some());
}
