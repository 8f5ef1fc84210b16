//! Typing latency of the language server: a recorded typing session, one character per
//! `didChange`, against the server running in process with the built-in pack and no
//! debounce. Measures the time from sending each `didChange` to receiving the
//! `publishDiagnostics` for that version, on a ~5,000-word Vietnamese article and on a
//! 1 MB document, and the process's memory.
//!
//! Run: `cargo bench --bench lsp_typing` (add `-- --quick` for fewer keystrokes).

#[path = "../tests/lsp_common/mod.rs"]
mod lsp_common;

use std::time::{Duration, Instant};

use lsp_common::*;
use serde_json::json;

/// A small deterministic generator (fixed seed), so every run types into the same text.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

const WORDS: &[&str] = &[
    "người",
    "dân",
    "thành",
    "phố",
    "cho",
    "biết",
    "dự",
    "án",
    "đường",
    "giao",
    "thông",
    "được",
    "triển",
    "khai",
    "từ",
    "năm",
    "ngoái",
    "nhưng",
    "đến",
    "nay",
    "vẫn",
    "chưa",
    "hoàn",
    "thành",
    "theo",
    "kế",
    "hoạch",
    "của",
    "Ủy",
    "ban",
    "nhân",
    "dân",
    "quận",
    "phường",
    "cơ",
    "quan",
    "chức",
    "năng",
    "đã",
    "kiểm",
    "tra",
    "hiện",
    "trường",
    "và",
    "yêu",
    "cầu",
    "nhà",
    "thầu",
    "khắc",
    "phục",
    "những",
    "tồn",
    "tại",
    "trong",
    "thời",
    "gian",
    "sớm",
    "nhất",
    "bà",
    "con",
    "mong",
    "muốn",
    "công",
    "trình",
    "sẽ",
    "đưa",
    "vào",
    "sử",
    "dụng",
    "trước",
    "Tết",
    "Nguyên",
    "đán",
    "lượng",
    "xe",
    "qua",
    "lại",
    "khu",
    "vực",
    "này",
    "rất",
    "lớn",
    "nên",
    "thường",
    "xuyên",
    "xảy",
    "ra",
    "ùn",
    "tắc",
    "vào",
    "giờ",
    "cao",
    "điểm",
    "ông",
    "Nguyễn",
    "Văn",
    "Hùng",
    "chủ",
    "tịch",
    "cho",
    "hay",
    "kinh",
    "phí",
    "đầu",
    "tư",
    "khoảng",
    "tỷ",
    "đồng",
    "nguồn",
    "vốn",
    "ngân",
    "sách",
];

const EXTRAS: &[&str] = &[
    "12 km",
    "TP.HCM",
    "UBND",
    "ngày 15/3/2024",
    "“rất khó khăn”",
    "3,5 tỷ đồng",
    "Hà Nội",
    "25%",
];

fn sentence(rng: &mut Lcg) -> (String, usize) {
    let n = 8 + (rng.next() % 13) as usize;
    let mut words: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let w = if rng.next() % 17 == 0 {
            rng.pick(EXTRAS).to_string()
        } else {
            rng.pick(WORDS).to_string()
        };
        words.push(if i == 0 {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        } else {
            w
        });
    }
    let s = words.join(" ");
    let end = if rng.next() % 9 == 0 { "," } else { "." };
    (format!("{s}{end}"), n)
}

/// A Markdown article of about `words` words: headline, sapo, paragraphs, a heading or two.
fn article(rng: &mut Lcg, words: usize) -> String {
    let mut out = String::from("# Dự án đường giao thông chậm tiến độ ở TP.HCM\n\n");
    let mut count = 0;
    let mut para = 0;
    while count < words {
        let sentences = 3 + (rng.next() % 4) as usize;
        let mut p = Vec::new();
        for _ in 0..sentences {
            let (s, n) = sentence(rng);
            count += n;
            p.push(s);
        }
        out.push_str(&p.join(" "));
        out.push_str("\n\n");
        para += 1;
        if para % 12 == 0 {
            out.push_str("## Người dân mong chờ\n\n");
        }
    }
    out
}

/// The keystrokes: a sentence typed at `at`, some backspaces, and more typing.
fn session(rng: &mut Lcg, keystrokes: usize) -> Vec<Option<char>> {
    let mut keys = Vec::new();
    while keys.len() < keystrokes {
        let (s, _) = sentence(rng);
        for ch in format!(" {s}").chars() {
            keys.push(Some(ch));
        }
        for _ in 0..(rng.next() % 6) {
            keys.push(None); // backspace
        }
    }
    keys.truncate(keystrokes);
    keys
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Latency statistics of one typing session.
struct Stats {
    keystrokes: usize,
    median: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
    open: Duration,
    diagnostics: usize,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "{} diagnostics; open+check {:.1} ms; {} keystrokes: median {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            self.diagnostics,
            ms(self.open),
            self.keystrokes,
            ms(self.median),
            ms(self.p90),
            ms(self.p99),
            ms(self.max)
        )
    }
}

async fn run(client: &LspClient, root: &std::path::Path, name: &str, text: &str, keys: &[Option<char>]) -> Stats {
    let uri = uri(&root.join(name));
    let opened = Instant::now();
    client.open(&uri, "markdown", 1, text).await;
    let first = client.diagnostics(&uri, Some(1)).await;
    let open = opened.elapsed();
    // Type in the middle of a paragraph about halfway through.
    let mut doc = text.to_string();
    let mid = doc[..doc.len() / 2].rfind('.').map_or(doc.len() / 2, |i| i + 1);
    let mut cursor = mid;
    let mut version = 1;
    let mut times = Vec::with_capacity(keys.len());
    for key in keys {
        version += 1;
        let change = match key {
            Some(ch) => {
                let pos = position(&doc, cursor, encoding_of("utf-16"));
                doc.insert(cursor, *ch);
                cursor += ch.len_utf8();
                json!([{ "range": { "start": pos, "end": pos }, "text": ch.to_string() }])
            }
            None => {
                let prev = doc[..cursor].chars().next_back().map_or(0, char::len_utf8);
                let start = position(&doc, cursor - prev, encoding_of("utf-16"));
                let end = position(&doc, cursor, encoding_of("utf-16"));
                doc.replace_range(cursor - prev..cursor, "");
                cursor -= prev;
                json!([{ "range": { "start": start, "end": end }, "text": "" }])
            }
        };
        let t = Instant::now();
        client.change(&uri, version, change).await;
        client.diagnostics(&uri, Some(version)).await;
        times.push(t.elapsed());
    }
    assert_eq!(client.server_text(&uri).await, doc, "the server's text drifted");
    client
        .notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }))
        .await;
    times.sort();
    Stats {
        keystrokes: times.len(),
        median: percentile(&times, 0.5),
        p90: percentile(&times, 0.9),
        p99: percentile(&times, 0.99),
        max: *times.last().unwrap(),
        open,
        diagnostics: first.len(),
    }
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// `VmRSS` and `VmHWM` of a process, in kB.
fn rss_of(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let keystrokes = if quick { 150 } else { 1000 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // No `.copydesk.toml` anywhere: the built-in pack, as a new user gets it.
        let dir = tempfile::Builder::new().prefix("copydesk-bench").tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let mut rng = Lcg(0x00c0_ffee);
        let article_text = article(&mut rng, 5_000);
        let article_keys = session(&mut rng, keystrokes);
        let mut big = String::new();
        while big.len() < 1 << 20 {
            big.push_str(&article(&mut rng, 2_000));
        }
        let big_keys = session(&mut rng, keystrokes / 2);
        println!(
            "lsp_typing: article {} bytes / {} words, big document {} bytes; built-in pack; debounce 0",
            article_text.len(),
            article_text.split_whitespace().count(),
            big.len()
        );

        // 1. In process, the client counting (not parsing) published diagnostics.
        let (client, _server) = LspClient::in_process_with(true);
        client
            .initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
            .await;
        println!("in process, article:  {}", run(&client, &root, "article.md", &article_text, &article_keys).await);
        println!("in process, 1 MB:     {}", run(&client, &root, "big.md", &big, &big_keys).await);
        client.shutdown_and_exit().await;

        // 2. The same with the client parsing every diagnostic, as an editor does.
        let (client, _server) = LspClient::in_process_with(false);
        client
            .initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
            .await;
        let few = &big_keys[..big_keys.len().min(100)];
        println!("full client parse, article: {}", run(&client, &root, "article2.md", &article_text, &article_keys[..few.len()]).await);
        println!("full client parse, 1 MB:    {}", run(&client, &root, "big2.md", &big, few).await);
        client.shutdown_and_exit().await;

        // 3. The real binary over pipes: latency and the server process's own memory.
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .arg("lsp")
            .current_dir(&root)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn copydesk lsp");
        let pid = child.id().unwrap();
        let client = LspClient::with_options(child.stdout.take().unwrap(), child.stdin.take().unwrap(), true);
        client
            .initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
            .await;
        let (idle, _) = rss_of(pid);
        let stats = run(&client, &root, "article3.md", &article_text, &article_keys[..few.len()]).await;
        let (after_article, _) = rss_of(pid);
        println!("binary, article:      {stats}");
        let stats = run(&client, &root, "big3.md", &big, few).await;
        let (after_big, peak) = rss_of(pid);
        println!("binary, 1 MB:         {stats}");
        println!(
            "server memory (VmRSS of `copydesk lsp`): idle {:.1} MB, after the article {:.1} MB, after the 1 MB document {:.1} MB, peak {:.1} MB",
            mb(idle),
            mb(after_article),
            mb(after_big),
            mb(peak)
        );
        client.shutdown_and_exit().await;
        let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
    });
}
