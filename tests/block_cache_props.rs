//! The block cache (`Engine::check_cached`, used by the language server and by
//! `copydesk serve` for documents with an id) gives exactly the findings of an uncached
//! check, on random edit sequences over text that exercises the document-level kinds
//! (abbreviations defined in one paragraph and used in another, one variant per
//! document, mixed tone styles, quotes across paragraphs, the headline), in plain text,
//! Markdown and HTML, with NFD letters and emoji. Fixed seed.

use std::sync::{Arc, OnceLock};

use copydesk::document::{Document, Format};
use copydesk::engine::{BlockCache, Engine};
use copydesk::project::Project;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

fn engine() -> Arc<Engine> {
    static E: OnceLock<Arc<Engine>> = OnceLock::new();
    E.get_or_init(|| Project::load(None, None).expect("the built-in pack loads").engine())
        .clone()
}

/// Paragraphs that make the block pass report facts the document pass joins.
const PARAS: &[&str] = &[
    "Ủy ban nhân dân (UBND) thành phố họp sáng nay.",
    "UBND đề nghị các sở báo cáo trước ngày 15/3.",
    "Ông nói: “Chúng tôi sẽ làm kỹ việc này.",
    "Việc này cần làm kĩ hơn”, ông nói thêm.",
    "Hoà bình và hòa hợp là mục tiêu.",
    "Thủy điện và thuỷ lợi đều được nhắc tới.",
    "Giá vàng tăng 12.5% so với cùng kỳ , theo  số liệu.",
    "Tổ chức Y tế Thế giới (WHO) cảnh báo. WHO cho biết thêm.",
    "HLV Park Hang-seo nói rằng rằng đội tuyển đã sẵn sàng...",
    "Ngân hàng Nhà nước (NHNN) giữ lãi suất; NHNN cũng nói vậy.",
    "Tp. Hồ Chí Minh có 21 quận huyện vào năm 2020.",
    "Nhà bá0 viết \"tin nóng\" lúc 9h30 sáng thứ hai.",
    "Nghiêng về cải cách, Bộ trưởng nói ngắn gọn.",
    "Dự án dài 5km, rộng 20 m, vốn 1.000 tỷ đồng.",
    "📰 Tin nhanh: gia\u{300} ca\u{309} tăng, ngươ\u{300}i dân lo.",
    "Hội đồng nhân dân (HĐND) tỉnh. HĐND đã thông qua.",
];

fn config() -> Config {
    Config {
        cases: 48,
        rng_seed: RngSeed::Fixed(0x15_b10c_cace),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

#[derive(Debug, Clone)]
enum Edit {
    /// Replace paragraph i (mod len) with pool paragraph p.
    Replace(usize, usize),
    Insert(usize, usize),
    Delete(usize),
    /// Insert a piece of text inside paragraph i at char position c.
    Type(usize, usize, &'static str),
    Swap(usize, usize),
}

const PIECES: &[&str] = &[
    "kĩ", " ", "UBND", "“", "”", "hoà", "a\u{300}", "😀", "\n", ".", ",", "xyz",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..40usize, 0..PARAS.len()).prop_map(|(i, p)| Edit::Replace(i, p)),
        (0..40usize, 0..PARAS.len()).prop_map(|(i, p)| Edit::Insert(i, p)),
        (0..40usize).prop_map(Edit::Delete),
        (0..40usize, 0..80usize, 0..PIECES.len()).prop_map(|(i, c, p)| Edit::Type(i, c, PIECES[p])),
        (0..40usize, 0..40usize).prop_map(|(a, b)| Edit::Swap(a, b)),
    ]
}

fn apply(paras: &mut Vec<String>, e: &Edit) {
    let n = paras.len();
    match *e {
        Edit::Replace(i, p) if n > 0 => paras[i % n] = PARAS[p].to_string(),
        Edit::Insert(i, p) => paras.insert(i % (n + 1), PARAS[p].to_string()),
        Edit::Delete(i) if n > 1 => {
            paras.remove(i % n);
        }
        Edit::Type(i, c, piece) if n > 0 => {
            let s = &mut paras[i % n];
            let at = s.char_indices().nth(c).map_or(s.len(), |(b, _)| b);
            s.insert_str(at, piece);
        }
        Edit::Swap(a, b) if n > 0 => paras.swap(a % n, b % n),
        _ => {}
    }
}

fn render(paras: &[String], format: Format) -> String {
    match format {
        Format::Html => {
            let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
            format!("<html><body><h1>Tiêu đề bài</h1>\n{body}</body></html>\n")
        }
        Format::Markdown => format!("# Tiêu đề bài\n\n{}\n", paras.join("\n\n")),
        // Plain: the first paragraph is the headline (unless `headline` is off), so edits
        // move texts between the headline and body scopes.
        _ => format!("{}\n", paras.join("\n\n")),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn cached_and_uncached_checks_find_the_same(
        start in proptest::collection::vec(0..PARAS.len(), 1..10),
        edits in proptest::collection::vec(edit(), 1..25),
        fmt in 0..3usize,
        headline in any::<bool>(),
    ) {
        let e = engine();
        let format = [Format::Plain, Format::Markdown, Format::Html][fmt];
        let mut paras: Vec<String> = start.iter().map(|&p| PARAS[p].to_string()).collect();
        let mut cache = BlockCache::new();
        for ed in std::iter::once(None).chain(edits.iter().map(Some)) {
            if let Some(ed) = ed {
                apply(&mut paras, ed);
            }
            let text = render(&paras, format);
            let doc = || Document::with_plain_headline(text.clone(), format, headline);
            let plain = e.check(&doc());
            let cached = e.check_cached(&doc(), &mut cache);
            prop_assert_eq!(&cached, &plain, "text: {:?}", text);
            prop_assert!(cache.len() <= doc().blocks().len());
        }
    }
}

#[test]
fn a_cache_stays_the_size_of_the_last_document() {
    let e = engine();
    let mut cache = BlockCache::new();
    let long: String = PARAS
        .iter()
        .cycle()
        .take(400)
        .enumerate()
        .map(|(i, p)| format!("{p} Đoạn {i}.\n\n"))
        .collect();
    e.check_cached(&Document::plain_body(long.clone()), &mut cache);
    let big = cache.bytes();
    assert!(big >= long.len(), "{big} < {}", long.len());
    let d = e.check_cached(&Document::plain_body(long.clone()), &mut cache);
    assert_eq!((cache.hits, cache.misses), (400, 0));
    assert_eq!(d, e.check(&Document::plain_body(long)));
    e.check_cached(&Document::plain_body(PARAS[0].to_string()), &mut cache);
    assert_eq!(cache.len(), 1);
    assert!(cache.bytes() < big / 100, "{} of {big}", cache.bytes());
}
