//! Load on `copydesk serve` from loopback: N clients (keep-alive connections) post
//! articles to `/v1/check` for a bounded time or request count; prints throughput,
//! p50/p99/max latency, errors, the load average, and the server's resident memory along
//! the way.
//!
//!   cargo run --release --example serve_load -- --url http://127.0.0.1:7650 --pid PID --mode distinct
//!   (bench/serve.sh starts the server and runs this)
//!
//! Modes (`--mode`):
//! - `distinct`: every request is the next article of a pool of different real-size
//!   articles, without a `document` id, so the service's block cache never helps (the
//!   pool is as large as the corpus gives, at most `--pool`; requests cycle through it).
//! - `session`: each client edits its own article (`document` id `bench-<client>`): before
//!   every request one paragraph, picked at random (fixed seed), gets a few more words,
//!   as a copy editor's typing does between two checks.
//! - `incremental`: as `session`, with the incremental protocol the web editor speaks:
//!   the first request sends the text with `"incremental": true`, each later one only the
//!   edit since the last answer's `revision` (`base`, `edit` in UTF-16 units), and the
//!   answer holds only the findings that changed (docs/serve.md, "Incremental checks").
//! - `same`: every request posts the same article, no id (the old figure).
//!
//! `--steady` (session and incremental modes): every other edit deletes the words the one
//! before typed, so each article keeps its size (by default the edits only add words, and
//! a 60-s run at 8 clients doubles the articles).
//!
//! `--share-fixes` asks for the answer the web editor asks for (`"share_fixes": true`: a
//! fix several findings offer is written once).
//!
//! Articles: `--article FILE` (one), or whole articles of `--corpus DIR` (*.txt, three
//! metadata lines then one paragraph a line) joined until each has `--words` words, or
//! generated copy (fixed seeds) of that many words.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Args {
    url: String,
    pid: Option<u32>,
    clients: usize,
    seconds: u64,
    requests: u64,
    words: usize,
    article: Option<String>,
    corpus: Option<String>,
    mode: Mode,
    pool: usize,
    share_fixes: bool,
    steady: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Distinct,
    Session,
    Incremental,
    Same,
}

fn parse() -> Args {
    let mut a = Args {
        url: "http://127.0.0.1:7650".into(),
        pid: None,
        clients: 8,
        seconds: 60,
        requests: u64::MAX,
        words: 5000,
        article: None,
        corpus: None,
        mode: Mode::Distinct,
        pool: 200,
        share_fixes: false,
        steady: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--share-fixes" {
            a.share_fixes = true;
            continue;
        }
        if k == "--steady" {
            a.steady = true;
            continue;
        }
        let mut v = || it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--url" => a.url = v(),
            "--pid" => a.pid = v().parse().ok(),
            "--clients" => a.clients = v().parse().expect("--clients N"),
            "--seconds" => a.seconds = v().parse().expect("--seconds N"),
            "--requests" => a.requests = v().parse().expect("--requests N"),
            "--words" => a.words = v().parse().expect("--words N"),
            "--article" => a.article = Some(v()),
            "--corpus" => a.corpus = Some(v()),
            "--pool" => a.pool = v().parse().expect("--pool N"),
            "--mode" => {
                a.mode = match v().as_str() {
                    "distinct" => Mode::Distinct,
                    "session" => Mode::Session,
                    "incremental" => Mode::Incremental,
                    "same" => Mode::Same,
                    m => panic!("--mode distinct|session|incremental|same, not {m}"),
                }
            }
            other => panic!("unknown argument {other}"),
        }
    }
    // Bounded: at most 10 minutes and 8 MB of article, whatever is asked.
    a.seconds = a.seconds.min(600);
    a.clients = a.clients.clamp(1, 64);
    a.pool = a.pool.clamp(1, 1000);
    a
}

/// The articles to send: at least one, at most `--pool`, each of about `--words` words.
fn articles(a: &Args) -> Vec<String> {
    if let Some(p) = &a.article {
        return vec![std::fs::read_to_string(p).expect("read --article")];
    }
    let want = if a.mode == Mode::Same { 1 } else { a.pool };
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut words = 0;
    if let Some(dir) = &a.corpus {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("read --corpus")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            // Three metadata lines, then one paragraph a line; whole articles only.
            for line in text.lines().skip(3).filter(|l| !l.trim().is_empty()) {
                cur.push_str(line.trim());
                cur.push_str("\n\n");
                words += line.split_whitespace().count();
            }
            if words >= a.words {
                out.push(std::mem::take(&mut cur));
                words = 0;
                if out.len() == want {
                    break;
                }
            }
        }
        assert!(!out.is_empty(), "--corpus has fewer than --words words");
        return out;
    }
    let mut seed = 1;
    while out.len() < want {
        while words < a.words {
            let part = copydesk_core::testing::corpus::article(seed, 4000);
            words += part.split_whitespace().count();
            cur.push_str(&part);
            cur.push_str("\n\n");
            seed += 1;
        }
        out.push(std::mem::take(&mut cur));
        words = 0;
    }
    out
}

/// A client's document in `session` mode: its paragraphs, one edited before each request.
struct Session {
    paras: Vec<String>,
    rng: u64,
    edits: u64,
    /// `incremental`: the text of the last answer and its revision.
    base: Option<(String, String)>,
    /// `--steady`: the paragraph the last edit typed into and its length before.
    steady: bool,
    typed: Option<(usize, usize)>,
}

impl Session {
    fn new(article: &str, client: usize) -> Session {
        Session {
            paras: article.split("\n\n").map(str::to_string).collect(),
            rng: 0x5e55_1015 ^ (client as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            edits: 0,
            base: None,
            steady: false,
            typed: None,
        }
    }

    /// `incremental`: the body of the next request (the edit since the last answer, or
    /// the whole text first), and the new text.
    fn incremental_body(&mut self, id: &str, share_fixes: bool) -> (Vec<u8>, String) {
        let text = self.edit();
        let v = match &self.base {
            None => serde_json::json!({ "text": text, "document": id, "incremental": true }),
            Some((old, rev)) => {
                // The one replacement, as the web module computes it (UTF-16 units).
                let p = old.bytes().zip(text.bytes()).take_while(|(a, b)| a == b).count();
                let p = (0..=p).rev().find(|&i| old.is_char_boundary(i)).unwrap_or(0);
                let most = old.len().min(text.len()) - p;
                let q = old
                    .bytes()
                    .rev()
                    .zip(text.bytes().rev())
                    .take(most)
                    .take_while(|(a, b)| a == b)
                    .count();
                let q = (0..=q)
                    .rev()
                    .find(|&i| old.is_char_boundary(old.len() - i))
                    .unwrap_or(0);
                let u = |s: &str| s.encode_utf16().count();
                let start = u(&old[..p]);
                serde_json::json!({
                    "document": id,
                    "base": rev,
                    "edit": { "start": start, "end": start + u(&old[p..old.len() - q]), "text": &text[p..text.len() - q] },
                })
            }
        };
        (body(v, share_fixes), text)
    }

    /// Types a few words at the end of a random paragraph; the whole text.
    fn edit(&mut self) -> String {
        self.rng = self
            .rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let i = (self.rng >> 33) as usize % self.paras.len().max(1);
        self.edits += 1;
        // `--steady`: every other edit deletes the words the one before typed, so the
        // article keeps its size however long the run.
        if let Some((j, len)) = self.typed.take() {
            if let Some(p) = self.paras.get_mut(j) {
                p.truncate(len);
            }
            return self.paras.join("\n\n");
        }
        if let Some(p) = self.paras.get_mut(i) {
            if self.steady {
                self.typed = Some((i, p.len()));
            }
            let words = ["và", "người dân", "cho biết", "trong năm", "tại Hà Nội"];
            p.push(' ');
            p.push_str(words[self.edits as usize % words.len()]);
        }
        self.paras.join("\n\n")
    }
}

/// A request body; `"share_fixes"` only when asked (older services refuse unknown fields).
fn body(mut v: serde_json::Value, share_fixes: bool) -> Vec<u8> {
    if share_fixes {
        v["share_fixes"] = serde_json::Value::Bool(true);
    }
    serde_json::to_vec(&v).unwrap()
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// CPU time (user + system) of process `pid` so far, in milliseconds (`/proc/PID/stat`).
fn cpu_ms(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at state; utime and
    // stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// An answer: its status, the blocks reused and checked (`X-Copydesk-Blocks`), its body.
type Reply = (u16, Option<(u64, u64)>, Vec<u8>);

/// One keep-alive connection; returns the status of each request.
struct Conn {
    r: BufReader<TcpStream>,
    w: TcpStream,
}

impl Conn {
    fn new(addr: SocketAddr) -> std::io::Result<Conn> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn {
            r: BufReader::new(s.try_clone()?),
            w: s,
        })
    }

    /// The status, the blocks reused and checked when the service says, and the body.
    fn post(&mut self, host: &str, body: &[u8]) -> std::io::Result<Reply> {
        let head = format!(
            "POST /v1/check HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        self.w.write_all(head.as_bytes())?;
        self.w.write_all(body)?;
        let mut line = String::new();
        self.r.read_line(&mut line)?;
        let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut len = 0usize;
        let mut blocks = None;
        loop {
            line.clear();
            self.r.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap_or(0);
            }
            // x-copydesk-blocks: reused=N, checked=M
            if let Some(v) = lower.strip_prefix("x-copydesk-blocks:") {
                let num = |k: &str| {
                    v.split(k)
                        .nth(1)?
                        .split(|c: char| !c.is_ascii_digit())
                        .next()?
                        .parse()
                        .ok()
                };
                blocks = num("reused=").zip(num("checked="));
            }
        }
        let mut buf = vec![0; len];
        self.r.read_exact(&mut buf)?;
        Ok((status, blocks, buf))
    }
}

fn main() {
    let a = parse();
    let arts = Arc::new(articles(&a));
    let words: usize = arts.iter().map(|t| t.split_whitespace().count()).sum::<usize>() / arts.len();
    let bytes: usize = arts.iter().map(String::len).sum::<usize>() / arts.len();
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        arts.iter()
            .map(|t| body(serde_json::json!({ "text": t }), a.share_fixes))
            .collect(),
    );
    let host = a.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let addr = host.to_socket_addrs().expect("address").next().expect("address");
    assert!(addr.ip().is_loopback(), "the load bench only targets loopback");
    println!(
        "mode {:?}{}: {} article(s) of {words} words, {bytes} bytes on average; {} clients; up to {} s / {} requests; load average {}",
        a.mode,
        match (a.share_fixes, a.steady) {
            (true, true) => " (share_fixes, steady)",
            (true, false) => " (share_fixes)",
            (false, true) => " (steady)",
            (false, false) => "",
        },
        arts.len(),
        a.clients,
        a.seconds,
        if a.requests == u64::MAX {
            "∞".to_string()
        } else {
            a.requests.to_string()
        },
        loadavg()
    );
    // Warm up (first request compiles nothing, but fills caches and allocator pools).
    let mut c = Conn::new(addr).expect("connect");
    for i in 0..20 {
        assert_eq!(
            c.post(&host, &bodies[i % bodies.len()]).expect("warm-up request").0,
            200
        );
    }
    drop(c);
    let rss_start = a.pid.and_then(rss_kib);
    let cpu_start = (a.pid.and_then(cpu_ms), cpu_ms(std::process::id()));
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let blocks = Arc::new(Mutex::new((0u64, 0u64, 0u64, 0u64)));
    let rss_samples = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(a.seconds);
    let (mode, share, steady) = (a.mode, a.share_fixes, a.steady);
    let workers: Vec<_> = (0..a.clients)
        .map(|client| {
            let (stop, sent, errors, bodies, host, arts, blocks) = (
                stop.clone(),
                sent.clone(),
                errors.clone(),
                bodies.clone(),
                host.clone(),
                arts.clone(),
                blocks.clone(),
            );
            let (samples, pid, limit) = (rss_samples.clone(), a.pid, a.requests);
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let mut conn = Conn::new(addr).ok();
                let mut session = Session::new(&arts[client % arts.len()], client);
                session.steady = steady;
                let id = format!("bench-{client}");
                let (mut reused, mut checked) = (0u64, 0u64);
                let mut answered = (0u64, 0u64);
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let n = sent.fetch_add(1, Ordering::Relaxed);
                    if n >= limit {
                        break;
                    }
                    if n % 1000 == 999 {
                        if let Some(kib) = pid.and_then(rss_kib) {
                            samples.lock().unwrap().push((n + 1, kib));
                        }
                    }
                    let edited;
                    let mut new_text = None;
                    let sent_body: &[u8] = match mode {
                        Mode::Same => &bodies[0],
                        Mode::Distinct => &bodies[n as usize % bodies.len()],
                        Mode::Session => {
                            edited = body(serde_json::json!({ "text": session.edit(), "document": id }), share);
                            &edited
                        }
                        Mode::Incremental => {
                            let (b, t) = session.incremental_body(&id, share);
                            edited = b;
                            new_text = Some(t);
                            &edited
                        }
                    };
                    let t = Instant::now();
                    let ok = match conn.as_mut().map(|c| c.post(&host, sent_body)) {
                        Some(Ok((200, b, answer))) => {
                            if let Some((r, c)) = b {
                                reused += r;
                                checked += c;
                            }
                            // The revision leads the answer: `{"revision":"…",`.
                            if let Some(text) = new_text {
                                let rev = answer
                                    .strip_prefix(b"{\"revision\":\"")
                                    .and_then(|r| r.iter().position(|&c| c == b'"').map(|e| &r[..e]));
                                session.base = rev.map(|r| (text, String::from_utf8_lossy(r).into_owned()));
                            }
                            answered.0 += 1;
                            answered.1 += answer.len() as u64;
                            true
                        }
                        _ => {
                            conn = Conn::new(addr).ok();
                            session.base = None;
                            false
                        }
                    };
                    lat.push(t.elapsed());
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                let mut b = blocks.lock().unwrap();
                b.0 += reused;
                b.1 += checked;
                b.2 += answered.0;
                b.3 += answered.1;
                lat
            })
        })
        .collect();
    let mut lat: Vec<Duration> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed();
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "requests: {} in {:.1} s = {:.1} req/s ({:.0} words/s); errors: {}",
        lat.len(),
        elapsed.as_secs_f64(),
        lat.len() as f64 / elapsed.as_secs_f64(),
        lat.len() as f64 * words as f64 / elapsed.as_secs_f64(),
        errors.load(Ordering::Relaxed)
    );
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(*lat.last().unwrap())
    );
    let (reused, checked, answers, answer_bytes) = *blocks.lock().unwrap();
    if answers > 0 {
        println!("answers: {:.0} bytes on average", answer_bytes as f64 / answers as f64);
    }
    if reused + checked > 0 {
        println!(
            "blocks: {reused} reused, {checked} checked ({:.1}% reused)",
            100.0 * reused as f64 / (reused + checked) as f64
        );
    }
    // CPU a request, server and this client: steadier than latency on a shared machine.
    let per = |start: Option<f64>, pid: Option<u32>| match (start, pid.and_then(cpu_ms)) {
        (Some(s), Some(e)) => format!("{:.2} ms", (e - s) / lat.len() as f64),
        _ => "?".into(),
    };
    println!(
        "CPU a request: server {}, load client {}",
        per(cpu_start.0, a.pid),
        per(cpu_start.1, Some(std::process::id()))
    );
    println!("load average at the end: {}", loadavg());
    if let Some(pid) = a.pid {
        let mut s = rss_samples.lock().unwrap().clone();
        s.sort();
        let end = rss_kib(pid);
        println!(
            "server RSS KiB: after warm-up {}, every 1000 requests {:?}, at the end {}",
            rss_start.map_or("?".into(), |k| k.to_string()),
            s.iter().map(|x| x.1).collect::<Vec<_>>(),
            end.map_or("?".into(), |k| k.to_string())
        );
    }
    if errors.load(Ordering::Relaxed) > 0 {
        std::process::exit(1);
    }
}
