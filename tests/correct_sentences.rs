//! `tests/fixtures/correct-sentences.txt` (from the 2026 content audit of the built-in pack):
//! correct Vietnamese sentences on which the pack once reported 59 fixable "problems". Checked
//! as one plain-text file with the built-in pack and the default profile, no line may get a
//! finding at warning level or above.
//!
//! A line that still fails because of a rule kind another part of the work owns is listed in
//! `PENDING` with the owner and the rule; the test asserts that it still fails, so whoever fixes
//! it must drop the mark.

use std::collections::BTreeMap;
use std::path::Path;

use copydesk::diagnostic::Severity;
use copydesk::document::{Document, Format};
use copydesk::project::Project;

/// 1-based line, who owns the fix, and the rules that still fire there.
const PENDING: &[(usize, &str, &str)] = &[
    (
        8,
        "choices",
        "spelling.iy rewrites names spelt with i (Lý Quí Khánh, Phú Quí, Mĩ Linh)",
    ),
    (
        10,
        "safety",
        "caps.proper-words: a form followed by a capitalized syllable is a name or a title (bác Hồ Văn Nam, theo Tổ Quốc)",
    ),
    (
        11,
        "safety",
        "caps.titles capitalizes words of a body's name after a title (Liên minh, Vương quốc, Nhà văn)",
    ),
    (
        16,
        "choices",
        "typography.city-hcm and places.city-prefix disagree on TP. HCM",
    ),
    (18, "choices", "words.house-variants: hằng ngày / hàng ngày ngày trời"),
    (19, "choices", "words.house-variants: nghìn / ngàn (đại ngàn, Thượng Ngàn)"),
    (20, "choices", "words.house-variants: bảo đảm / đảm bảo in legal terms"),
    (21, "safety", "abbr.definition: BHXH, GS, HLV, HĐ"),
    (22, "choices", "numbers.format: 26-7, 8 giờ 30 phút"),
];

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

#[test]
fn correct_sentences_get_no_warning() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/correct-sentences.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let engine = Project::load(None, None)
        .unwrap_or_else(|e| panic!("the default pack does not load: {e:#?}"))
        .engine();
    let doc = Document::new(text.clone(), Format::Plain);
    let mut by_line: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for d in engine.check(&doc) {
        if d.severity.is_some_and(|s| s >= Severity::Warning) {
            let rule = &engine.rule(d.rule).id;
            by_line
                .entry(line_of(&text, d.range.start))
                .or_default()
                .push(format!("{rule}: {}", &text[d.range.clone()]));
        }
    }
    let mut problems = Vec::new();
    for (line, found) in &by_line {
        if !PENDING.iter().any(|(l, _, _)| l == line) {
            problems.push(format!("line {line}: {found:?}"));
        }
    }
    for (line, owner, what) in PENDING {
        if !by_line.contains_key(line) {
            problems.push(format!(
                "line {line} is marked pending ({owner}: {what}) but gets no warning any more: drop the mark"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
