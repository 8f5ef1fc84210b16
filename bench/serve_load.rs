//! Load on `copydesk serve` from loopback: N clients (keep-alive connections) post the
//! same article to `/v1/check` for a bounded time or request count; prints throughput,
//! p50/p99/max latency, errors, and the server's resident memory along the way.
//!
//!   cargo run --release --example serve_load -- --url http://127.0.0.1:7650 --pid PID
//!   (bench/serve.sh starts the server and runs this)
//!
//! The article: `--article FILE`, or paragraphs of `--corpus DIR` (*.txt, one paragraph a
//! line) until `--words` words, or generated copy (fixed seed) of that many words.

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
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
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
            other => panic!("unknown argument {other}"),
        }
    }
    // Bounded: at most 10 minutes and 8 MB of article, whatever is asked.
    a.seconds = a.seconds.min(600);
    a.clients = a.clients.clamp(1, 64);
    a
}

fn article(a: &Args) -> String {
    if let Some(p) = &a.article {
        return std::fs::read_to_string(p).expect("read --article");
    }
    let mut out = String::new();
    let mut words = 0;
    if let Some(dir) = &a.corpus {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("read --corpus")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        'files: for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            // Three metadata lines, then one paragraph a line.
            for line in text.lines().skip(3).filter(|l| !l.trim().is_empty()) {
                out.push_str(line.trim());
                out.push_str("\n\n");
                words += line.split_whitespace().count();
                if words >= a.words {
                    break 'files;
                }
            }
        }
        return out;
    }
    let mut seed = 1;
    while words < a.words {
        let part = copydesk_core::testing::corpus::article(seed, 4000);
        words += part.split_whitespace().count();
        out.push_str(&part);
        out.push_str("\n\n");
        seed += 1;
    }
    out
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

    fn post(&mut self, host: &str, body: &[u8]) -> std::io::Result<u16> {
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
        loop {
            line.clear();
            self.r.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut buf = vec![0; len];
        self.r.read_exact(&mut buf)?;
        Ok(status)
    }
}

fn main() {
    let a = parse();
    let text = article(&a);
    let words = text.split_whitespace().count();
    let body = serde_json::to_vec(&serde_json::json!({ "text": text })).unwrap();
    let host = a.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let addr = host.to_socket_addrs().expect("address").next().expect("address");
    assert!(addr.ip().is_loopback(), "the load bench only targets loopback");
    println!(
        "article: {words} words, {} bytes; {} clients; up to {} s / {} requests",
        text.len(),
        a.clients,
        a.seconds,
        if a.requests == u64::MAX {
            "∞".to_string()
        } else {
            a.requests.to_string()
        }
    );
    // Warm up (first request compiles nothing, but fills caches and allocator pools).
    let mut c = Conn::new(addr).expect("connect");
    for _ in 0..20 {
        assert_eq!(c.post(&host, &body).expect("warm-up request"), 200);
    }
    drop(c);
    let rss_start = a.pid.and_then(rss_kib);
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let rss_samples = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(a.seconds);
    let workers: Vec<_> = (0..a.clients)
        .map(|_| {
            let (stop, sent, errors, body, host) =
                (stop.clone(), sent.clone(), errors.clone(), body.clone(), host.clone());
            let (samples, pid, limit) = (rss_samples.clone(), a.pid, a.requests);
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let mut conn = Conn::new(addr).ok();
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
                    let t = Instant::now();
                    let ok = match conn.as_mut().map(|c| c.post(&host, &body)) {
                        Some(Ok(200)) => true,
                        _ => {
                            conn = Conn::new(addr).ok();
                            false
                        }
                    };
                    lat.push(t.elapsed());
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
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
