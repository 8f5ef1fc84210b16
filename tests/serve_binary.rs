//! `copydesk serve` through the real binary and a real socket: it says where it listens,
//! answers like `check --format json`, picks up rule changes (keeping the last good rules),
//! serves clients at once, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, args: &[&str]) -> Server {
    start_with_env(dir, args, &[])
}

fn start_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .envs(env.iter().copied())
        .arg("serve")
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    lines.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    // Keep draining standard error so the server never blocks on it.
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = lines.read_to_string(&mut sink);
    });
    Server { child, addr }
}

/// One HTTP/1.1 request; the status and the JSON body.
fn request(addr: &str, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = body.map(|b| serde_json::to_vec(b).unwrap()).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(&body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::String(body.into())))
}

fn strip_units(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("utf16");
            m.remove("char");
            m.values_mut().for_each(strip_units);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_units),
        _ => {}
    }
}

#[test]
fn answers_like_check_format_json_on_the_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let server = start(root, &["--no-config"]);
    for name in ["examples/tin-kinh-te.txt", "examples/tin-giao-thong.md"] {
        let cli = Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .args(["check", "--no-config", "--format", "json", name])
            .current_dir(root)
            .output()
            .unwrap();
        let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        let (status, mut served) = request(
            &server.addr,
            "POST",
            "/v1/check",
            Some(&json!({ "text": text, "path": name })),
        );
        assert_eq!(status, 200, "{served}");
        assert!(served["diagnostics"][0]["start"]["utf16"].is_u64());
        strip_units(&mut served);
        assert!(!cli["diagnostics"].as_array().unwrap().is_empty());
        assert_eq!(served, cli, "{name}: the service and `check --format json` differ");
    }
    let cli = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["rules", "list", "--no-config", "--json"])
        .current_dir(root)
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let (_, served) = request(&server.addr, "GET", "/v1/rules", None);
    assert_eq!(served, cli, "GET /v1/rules and `rules list --json` differ");
}

#[test]
fn serves_clients_at_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let server = start(root, &["--no-config"]);
    let text = std::fs::read_to_string(root.join("examples/tin-kinh-te.txt")).unwrap();
    let (_, want) = request(&server.addr, "POST", "/v1/check", Some(&json!({ "text": text })));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (addr, text, want) = (server.addr.clone(), text.clone(), want.clone());
            std::thread::spawn(move || {
                for _ in 0..5 {
                    let (status, got) = request(&addr, "POST", "/v1/check", Some(&json!({ "text": text })));
                    assert_eq!(status, 200);
                    assert_eq!(got, want);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

const PACK: &str = r#"
[pack]
name = "house"

[[rule]]
id = "units.km"
kind = "pattern"
message = "Unit in capitals"
pattern = '(\d) ?KM\b'
replacement = "$1 km"
"#;

fn wait_for(mut ok: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn picks_up_rule_changes_and_keeps_the_last_good_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pack")).unwrap();
    std::fs::write(dir.path().join("pack/rules.toml"), PACK).unwrap();
    std::fs::write(dir.path().join(".copydesk.toml"), "packs = [\"./pack\"]\n").unwrap();
    let server = start(dir.path(), &["--reload-interval-ms", "100"]);
    let body = json!({ "text": "Quãng đường dài 5KM và 7KM." });
    let count = |s: &Server| {
        let (status, v) = request(&s.addr, "POST", "/v1/check", Some(&body));
        assert_eq!(status, 200, "{v}");
        v["diagnostics"].as_array().unwrap().len()
    };
    assert_eq!(count(&server), 2);
    // Turn the rule off in the config: picked up.
    std::fs::write(
        dir.path().join(".copydesk.toml"),
        "packs = [\"./pack\"]\n[rules]\n\"house/units.km\" = \"off\"\n",
    )
    .unwrap();
    assert!(wait_for(|| count(&server) == 0), "the config change was not picked up");
    // A broken rule file: the last good rules stay, and /healthz says why.
    std::fs::write(dir.path().join("pack/rules.toml"), "[[rule]]\nid = 5\n").unwrap();
    assert!(
        wait_for(|| request(&server.addr, "GET", "/healthz", None).1["status"] == "degraded"),
        "the broken pack was not noticed"
    );
    let (_, health) = request(&server.addr, "GET", "/healthz", None);
    assert!(
        health["rule_errors"][0].as_str().unwrap().contains("rules.toml"),
        "{health}"
    );
    assert_eq!(count(&server), 0);
    // Mended: healthy again, with the new rules.
    std::fs::write(dir.path().join("pack/rules.toml"), PACK).unwrap();
    std::fs::write(dir.path().join(".copydesk.toml"), "packs = [\"./pack\"]\n").unwrap();
    assert!(wait_for(
        || request(&server.addr, "GET", "/healthz", None).1["status"] == "ok"
    ));
    assert_eq!(count(&server), 2);
}

#[cfg(unix)]
#[test]
fn stops_cleanly_on_sigterm() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut server = start(root, &["--no-config"]);
    let (status, _) = request(&server.addr, "GET", "/healthz", None);
    assert_eq!(status, 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let start = Instant::now();
    loop {
        if let Some(st) = server.child.try_wait().unwrap() {
            assert!(st.success(), "exit status after SIGTERM: {st}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(TcpStream::connect(&server.addr).is_err());
}

#[test]
fn start_up_errors_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .arg("serve")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run(&["--token-file", "missing-token"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the token file"));
    let out = run(&["--listen", "127.0.0.1:0", "--cors-origin", "cms.example.vn"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an origin"));
    std::fs::write(dir.path().join("bad.toml"), "packs = 5\n").unwrap();
    let out = run(&["--listen", "127.0.0.1:0", "--config", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml"));
    // A port in use.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().to_string();
    let out = run(&["--no-config", "--listen", &port]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

/// A page with problems only in attribute values (an NFD `Hòa` and an emoji before them).
const ATTR_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Tin</title></head><body>\n<h1>Giá xăng tăng</h1>\n\
<p>Ảnh: <img src=\"a.jpg\" alt=\"Ho\u{300}a 😀 đổ xăng , sáng nay\"> và <a href=\"/x\" title='Xem \"bài\" , tiếp'>đây</a>.</p>\n\
</body></html>\n";

#[test]
fn reads_html_attribute_values_as_the_config_says_like_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.html"), ATTR_PAGE).unwrap();
    let cli_json = |dir: &Path| -> Value {
        let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .args(["check", "--format", "json", "a.html"])
            .current_dir(dir)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let body = json!({ "text": ATTR_PAGE, "path": "a.html", "document": "page-1" });
    // Not asked: attribute values are not prose, for the service as for `check`.
    {
        let server = start(dir.path(), &["--reload-interval-ms", "0"]);
        let (status, mut served) = request(&server.addr, "POST", "/v1/check", Some(&body));
        assert_eq!(status, 200, "{served}");
        strip_units(&mut served);
        assert_eq!(served, cli_json(dir.path()));
        assert_eq!(served["diagnostics"].as_array().unwrap().len(), 0, "{served}");
    }
    std::fs::write(dir.path().join(".copydesk.toml"), "[html]\nalt = true\ntitle = true\n").unwrap();
    let server = start(dir.path(), &["--reload-interval-ms", "0"]);
    let cli = cli_json(dir.path());
    // Twice: the second answer comes from the document's block cache.
    for _ in 0..2 {
        let (status, mut served) = request(&server.addr, "POST", "/v1/check", Some(&body));
        assert_eq!(status, 200, "{served}");
        let found = served["diagnostics"].as_array().unwrap().clone();
        assert!(found.len() >= 3, "{served}");
        // Positions in UTF-16 units point at the page's own characters.
        for d in &found {
            let at = d["start"]["utf16"].as_u64().unwrap() as usize;
            let page16: Vec<u16> = ATTR_PAGE.encode_utf16().collect();
            let want: Vec<u16> = d["found"].as_str().unwrap().encode_utf16().collect();
            assert_eq!(&page16[at..at + want.len()], &want[..], "{d}");
        }
        strip_units(&mut served);
        assert_eq!(
            served, cli,
            "the service and `check --format json` differ on a page with [html]"
        );
    }
    // Fixes go into the values only, as `check --fix` writes them.
    let (status, fixed) = request(&server.addr, "POST", "/v1/fix", Some(&body));
    assert_eq!(status, 200, "{fixed}");
    let want = ATTR_PAGE
        .replace("đổ xăng , sáng", "đổ xăng, sáng")
        .replace("Ho\u{300}a", "Hòa")
        .replace("bài\" , tiếp", "bài\", tiếp");
    assert_eq!(fixed["text"], want.as_str(), "{fixed}");
    let status = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--fix", "-q", "a.html"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read_to_string(dir.path().join("a.html")).unwrap(), want);
}

/// A panic while checking one request (injected in debug builds) is a JSON 500 for that
/// request; the service goes on answering the others.
#[test]
fn a_panic_in_one_check_is_an_internal_error_and_the_service_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_with_env(dir.path(), &[], &[("COPYDESK_TEST_PANIC", "PANIC-HERE")]);
    let (status, body) = request(
        &server.addr,
        "POST",
        "/v1/check",
        Some(&json!({ "text": "Tiêu đề\n\nPANIC-HERE trong bài.", "format": "plain" })),
    );
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["error"]["code"], "internal", "{body}");
    let (status, body) = request(
        &server.addr,
        "POST",
        "/v1/check",
        Some(&json!({ "text": "Tiêu đề\n\nBài viết dùng  hai khoảng trắng.", "format": "plain" })),
    );
    assert_eq!(status, 200, "{body}");
    assert!(!body["diagnostics"].as_array().unwrap().is_empty(), "{body}");
}
