//! Linear time on pathological shapes (issue 12): each shape is checked with the default
//! pack at one size and at four times that size; the larger must cost less than twelve
//! times the smaller (linear is four, quadratic sixteen). Each run also has a hard time
//! limit, so that a quadratic regression fails here instead of hanging the suite.
//! bench/shapes.py measures the same shapes in release builds up to 10 MB.

use std::sync::{mpsc, Arc, OnceLock};
use std::time::{Duration, Instant};

use copydesk::document::{Document, Format};
use copydesk::engine::Engine;
use copydesk::project::Project;

fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Project::load(None, None).expect("the default pack loads").engine())
        .clone()
}

const SENTENCE: &str =
    "Chiều 12/03, Thủ tướng Phạm Minh Chính chủ trì cuộc họp về phòng chống dịch Covid-19 tại Hà Nội. ";

fn repeat_to(unit: &str, size: usize) -> String {
    unit.repeat((size / unit.len()).max(1))
}

/// The fastest of three checks of `text`, failing after `limit`.
fn time_check(text: &str, format: Format, limit: Duration) -> Duration {
    let (tx, rx) = mpsc::channel();
    let text = text.to_string();
    std::thread::spawn(move || {
        let engine = engine();
        let mut best = Duration::MAX;
        for _ in 0..3 {
            let doc = Document::new(text.clone(), format);
            let t = Instant::now();
            let d = engine.check(&doc);
            best = best.min(t.elapsed());
            drop(d);
        }
        let _ = tx.send(best);
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("checking {} bytes took over {limit:?}", text_len_hint(limit)))
}

fn text_len_hint(_: Duration) -> &'static str {
    "the larger input"
}

fn assert_linear(name: &str, make: impl Fn(usize) -> String, format: Format) {
    assert_linear_from(name, make, format, 40_000);
}

/// As [`assert_linear`], from `small` bytes to four times as many.
fn assert_linear_from(name: &str, make: impl Fn(usize) -> String, format: Format, small: usize) {
    let large = make(4 * small);
    let small = make(small);
    let limit = Duration::from_secs(60);
    // Warm up (the default pack builds its automata on first use).
    time_check(&small, format, limit);
    let a = time_check(&small, format, limit);
    let b = time_check(&large, format, limit);
    // Tiny timings are noise: compare against at least a millisecond.
    let a_ms = a.as_secs_f64().max(0.001);
    let ratio = b.as_secs_f64() / a_ms;
    assert!(
        ratio < 12.0,
        "{name}: {} bytes in {a:?}, {} bytes in {b:?} (x{ratio:.1}; linear is x4)",
        small.len(),
        large.len()
    );
}

#[test]
fn plain_text_with_one_long_first_line() {
    assert_linear("long headline", |n| repeat_to(SENTENCE, n), Format::Plain);
}

#[test]
fn markdown_on_one_line() {
    assert_linear("one-line markdown", |n| repeat_to(SENTENCE, n), Format::Markdown);
}

#[test]
fn one_long_word() {
    assert_linear("long word", |n| repeat_to("hoà", n) + "\n", Format::Markdown);
}

#[test]
fn runs_of_ellipses() {
    assert_linear("ellipses", |n| repeat_to("... … ", n) + "\n", Format::Markdown);
}

/// One spaced ellipsis as long as the block (`a . . . . …`): each dot looks at its run.
#[test]
fn one_long_spaced_ellipsis() {
    assert_linear(
        "spaced dots",
        |n| format!("a {}\n", repeat_to(". ", n)),
        Format::Markdown,
    );
}

#[test]
fn a_finding_every_two_bytes() {
    assert_linear("dense findings", |n| repeat_to("và ", n) + "\n", Format::Markdown);
}

/// Real-looking news in one block (plain text, one paragraph a line and no blank line)
/// with a Latin-1 sign that once sent the whole block through the legacy decoder.
#[test]
fn one_block_of_news_with_a_degree_sign() {
    assert_linear(
        "one block",
        |n| format!("Tít bài\n{}\n", repeat_to(&format!("{SENTENCE}Nhiệt độ 30°C.\n"), n)),
        Format::Plain,
    );
}

/// Abbreviations, lists of offices after a plural and titles ending in `?` in one long block:
/// each once read the whole text before it (for a parenthesis, a clause start), so a block
/// of 4.8 MB took a minute.
#[test]
fn abbreviations_and_lists_in_one_long_block() {
    assert_linear_from(
        "abbreviations in one block",
        |n| {
            let unit = "UBND xã và CSGT cùng HĐND, các phòng tài chính, cục thuế (HĐBA LHQ) vở kịch Ăn gì? có ";
            format!("Tiêu đề\n\n{}\n", repeat_to(unit, n))
        },
        Format::Plain,
        100_000,
    );
}

/// Spaced dashes throughout one block that ends like a byline with its source: each dash
/// once read the whole rest of the block for a closing byline or a CMS stamp's bar (25 s
/// for 240 KB, quadratic).
#[test]
fn many_spaced_dashes_in_one_block_before_a_byline() {
    assert_linear(
        "spaced dashes",
        |n| format!("Tiêu đề\n\nHà Nội – Huế {}Nam - Bắc (Tổng hợp)\n", repeat_to("a - ", n)),
        Format::Plain,
    );
}

/// A spelling system (`spelling.iy`) mixed throughout: every minority `lý do` once scanned
/// the whole document for the writer's own `lý` (19 s for 825 KB).
#[test]
fn many_minority_spellings_in_one_document() {
    assert_linear(
        "minority spellings",
        |n| {
            let unit = "Kĩ thuật, kĩ thuật và kĩ năng. Bệnh lý, lý do.\n\n";
            format!("Tiêu đề\n\n{}", repeat_to(unit, n))
        },
        Format::Plain,
    );
}

#[test]
fn legacy_text_everywhere() {
    // TCVN3 mojibake in every line: many runs of both encodings to weigh against each other.
    assert_linear(
        "mojibake",
        |n| repeat_to("Chµo b¹n, ®©y lµ tin nãng. Hoa ®µo në.\n", n),
        Format::Plain,
    );
}

/// Folders with their own empty `.copydesk.toml` share the parsed default pack and its
/// engine: each config once parsed the built-in pack again and kept that copy (about
/// 5 ms and 0.7 MB a config, so 10,000 configs needed 7 GB). Loading 160 configs must
/// cost far less than parsing the pack 160 times (shared: a fraction of one parse).
#[test]
fn many_empty_configs_share_one_parsed_pack() {
    let dir = tempfile::tempdir().unwrap();
    let configs: Vec<std::path::PathBuf> = (0..160)
        .map(|i| {
            let sub = dir.path().join(format!("c{i:03}"));
            std::fs::create_dir(&sub).unwrap();
            let p = sub.join(".copydesk.toml");
            std::fs::write(&p, "").unwrap();
            p
        })
        .collect();
    let t = Instant::now();
    copydesk::pack::load_builtin(copydesk::pack::DEFAULT_PACK).unwrap();
    let one_parse = t.elapsed();
    // The first load compiles the engine (or finds it compiled by another test).
    let first = Project::load(Some(&configs[0]), None).expect("an empty config loads");
    let t = Instant::now();
    let projects: Vec<Project> = configs[1..]
        .iter()
        .map(|p| Project::load(Some(p), None).expect("an empty config loads"))
        .collect();
    let all = t.elapsed();
    for p in &projects {
        assert!(
            Arc::ptr_eq(&p.packs[0], &first.packs[0]),
            "each config parsed its own pack"
        );
        assert!(Arc::ptr_eq(&p.engine(), &first.engine()));
    }
    assert!(
        all < one_parse * 20,
        "159 empty configs loaded in {all:?}; one parse of the pack takes {one_parse:?}"
    );
}
