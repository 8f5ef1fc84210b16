//! Property tests for fixes with the default pack: the chosen edits never overlap, the
//! result is valid text, and re-checking finds none of the problems that were fixed.

use std::sync::{Arc, OnceLock};

use copydesk::document::{Document, Format};
use copydesk::fix::{apply_edits, select_edits};
use copydesk::project::Project;
use copydesk::{Diagnostic, Engine};
use proptest::prelude::*;

fn default_engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Project::load(None, None).expect("the built-in pack loads").engine())
        .clone()
}

/// Sentences with and without house-style problems, NFD words and emoji.
fn sentence() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Ông Nguyễn Văn Hòa cho biết như vậy.",
        "Bộ công an vừa có văn bản gửi các địa phương.",
        "thứ trưởng Lê Văn Tuyến chủ trì cuộc họp.",
        "Ông nói \"sẽ xem xét\" trong tuần tới.",
        "Lực lượng an ninh trật tự (ANTT) được tăng cường, ANTT bảo đảm.",
        "Tình hình ANTT ổn định.",
        "Hai công ty sát nhập từ ngày 26/07/2025.",
        "Giá tăng 6.5 triệu đồng, tức 12.5%.",
        "Ho\u{300}a bình và thu\u{309}y lợi 😀 là ưu tiên.",
        "Sự việc xảy ra lúc 13:37 ngày 5/9.",
        "Khánh Hòa và Thanh Hoá đều có mưa.",
        "Doanh thu đạt 81.500 tỷ đồng, tăng 6,5%.",
        "Anh ấy  đi làm , rồi về nhà.",
        "Xin chµo các bạn.",
        "Tổ tổ chức buổi lễ...",
        "Đây là kĩ thuật mới.",
        "Ung thư bàng quang là bệnh nguy hiểm.",
    ])
}

fn article() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::collection::vec(sentence(), 1..4), 1..5),
        any::<bool>(),
    )
        .prop_map(|(paras, crlf)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let body: Vec<String> = paras.iter().map(|p| p.join(" ")).collect();
            format!("Tít bài về an ninh{nl}{nl}{}{nl}", body.join(&format!("{nl}{nl}")))
        })
}

/// Where an offset of the old text lands in the new one (offsets outside edits).
fn map_offset(edits: &[copydesk::Edit], offset: usize) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        if e.range.end <= offset {
            delta += e.replacement.len() as isize - e.range.len() as isize;
        }
    }
    (offset as isize + delta) as usize
}

fn fixed_ones<'a>(diagnostics: &'a [Diagnostic], edits: &[copydesk::Edit]) -> Vec<&'a Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| {
            d.fixes
                .iter()
                .find(|f| f.safe)
                .is_some_and(|f| f.edits.iter().all(|e| edits.contains(e)))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn fixing_removes_the_fixed_problems(text in article()) {
        let engine = default_engine();
        let doc = Document::new(text.clone(), Format::Plain);
        let before = engine.check(&doc);
        let (edits, _) = select_edits(before.iter(), true);
        for w in edits.windows(2) {
            prop_assert!(w[0].range.end <= w[1].range.start, "overlapping edits {:?}", w);
        }
        let after_text = apply_edits(&text, &edits);
        prop_assert!(std::str::from_utf8(after_text.as_bytes()).is_ok());
        let after = engine.check(&Document::new(after_text.clone(), Format::Plain));
        for d in fixed_ones(&before, &edits) {
            let start = map_offset(&edits, d.range.start);
            let again = after.iter().find(|a| a.rule == d.rule && a.message == d.message && a.range.start == start);
            prop_assert!(
                again.is_none(),
                "{} still reports {:?} after its fix\nbefore: {:?}\nafter:  {:?}",
                engine.rule(d.rule).full_id(), d.message, text, after_text
            );
        }
        // Edits keep every line ending: no fix adds or removes a line break.
        prop_assert_eq!(text.matches('\n').count(), after_text.matches('\n').count());
    }
}
