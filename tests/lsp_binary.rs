//! The real binary (`copydesk lsp`) over stdio: the same diagnostics as
//! `copydesk check --format json`, and a clean exit even when the client keeps stdin open.

mod lsp_common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use lsp_common::*;
use serde_json::{json, Value};

fn spawn_server(dir: &Path) -> (LspClient, tokio::process::Child) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .arg("lsp")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn copydesk lsp");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    (LspClient::new(stdout, stdin), child)
}

/// Rules for the parity test: every `pattern` feature that changes spans or severities
/// (scopes, case-insensitivity, captures, suppressions, masking in Markdown).
fn parity_rules() -> String {
    format!(
        "{RULES}
[[rule]]
id = \"headline.period\"
kind = \"pattern\"
scope = \"headline\"
message = \"Headline ends with a period\"
pattern = '\\.$'
replacement = \"\"

[[rule]]
id = \"quotes.straight\"
kind = \"pattern\"
severity = \"warning\"
scope = [\"body\", \"quote\"]
message = \"Straight quotes\"
pattern = '\"([^\"]+)\"'
replacement = \"“$1”\"
"
    )
}

const PLAIN: &str = "Tiêu đề có dấu chấm.\n\nNgười dân Ho\u{300}a Bình 😀 nói \"đường dài 5KM\", quá trời.\r\n\
<!-- copydesk-disable-next-line t/units.km -->\nẨn: 9KM nhưng  vẫn báo khoảng trắng.\n\nTP. Hồ Chí Minh, 👩\u{200d}💻 7 KM.\n";

const MARKDOWN: &str = "---\ntitle: Bài \"thử\"\n---\n\n# Tiêu đề 5KM.\n\n> Trích \"dẫn\" quá trời\n\n\
- Mục 1: 3 KM\n- `5KM` trong mã, [liên kết 6KM](https://x.vn/7KM)\n\n| A | B |\n|---|---|\n| 8KM | \"ô\" |\n\n\
```\n10KM trong khối mã\n```\n\nCuối: TP.Hồ Chí Minh.\n";

fn severity_name(n: &Value) -> &'static str {
    match n.as_i64() {
        Some(1) => "error",
        Some(2) => "warning",
        Some(3) => "info",
        _ => "hint",
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reports_exactly_what_check_json_reports() {
    let ws = workspace(&parity_rules());
    let root = root(&ws);
    std::fs::write(root.join("a.txt"), PLAIN).unwrap();
    std::fs::write(root.join("b.md"), MARKDOWN).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--format", "json", "a.txt", "b.md"])
        .current_dir(&root)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let mut cli: Vec<Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            json!({
                "file": d["file"], "rule": d["rule"], "severity": d["severity"], "message": d["message"],
                "start": [d["start"]["line"], d["start"]["column"]],
                "end": [d["end"]["line"], d["end"]["column"]],
                "fixes": d["fixes"].as_array().unwrap().iter().map(|f| json!({
                    "title": f["title"], "safe": f["safe"],
                    "edits": f["edits"].as_array().unwrap().iter().map(|e| json!([
                        [e["start"]["line"], e["start"]["column"]], [e["end"]["line"], e["end"]["column"]], e["replacement"]
                    ])).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    assert!(cli.len() >= 12, "the fixture should exercise many rules: {cli:#?}");

    // UTF-32 columns are characters, as the CLI counts them (one-based there).
    let (c, mut child) = spawn_server(&root);
    c.initialize(capabilities(&["utf-32"]), json!({ "debounceMs": 0 }), &root)
        .await;
    let one = |p: &Value| json!([p["line"].as_u64().unwrap() + 1, p["character"].as_u64().unwrap() + 1]);
    let mut lsp = Vec::new();
    for (name, text, lang) in [("a.txt", PLAIN, "plaintext"), ("b.md", MARKDOWN, "markdown")] {
        let uri = uri(&root.join(name));
        c.open(&uri, lang, 1, text).await;
        for d in c.diagnostics(&uri, Some(1)).await {
            lsp.push(json!({
                "file": name, "rule": d["code"], "severity": severity_name(&d["severity"]), "message": d["message"],
                "start": one(&d["range"]["start"]), "end": one(&d["range"]["end"]),
                "fixes": d["data"].as_array().cloned().unwrap_or_default().iter().map(|f| json!({
                    "title": f[0], "safe": f[1],
                    "edits": f[2].as_array().unwrap().iter().map(|e| json!([
                        one(&json!({ "line": e[0], "character": e[1] })),
                        one(&json!({ "line": e[2], "character": e[3] })),
                        e[4]
                    ])).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            }));
        }
    }
    let key = |v: &Value| v.to_string();
    cli.sort_by_key(key);
    lsp.sort_by_key(key);
    assert_eq!(lsp, cli);
    c.shutdown_and_exit().await;
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_and_exit_end_the_process_with_code_0_while_stdin_stays_open() {
    let ws = workspace(RULES);
    let root = root(&ws);
    for encoding in ["utf-8", "utf-16", "utf-32"] {
        let (c, mut child) = spawn_server(&root);
        let init = c
            .initialize(capabilities(&[encoding]), json!({ "debounceMs": 0 }), &root)
            .await;
        assert_eq!(init["capabilities"]["positionEncoding"], encoding);
        let uri = uri(&root.join("a.txt"));
        let text = "Tiêu đề\n\nHo\u{300}a 😀 dài 5KM.\n";
        c.open(&uri, "plaintext", 1, text).await;
        let d = c.diagnostics(&uri, Some(1)).await;
        let start = text.find("5KM").unwrap();
        assert_eq!(d[0]["range"]["start"], position(text, start, encoding_of(encoding)));
        c.shutdown_and_exit().await;
        // `c` (and with it the child's stdin) is still alive here.
        let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
            .await
            .expect("the server exits although stdin is open")
            .unwrap();
        assert_eq!(status.code(), Some(0));
        drop(c);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_without_shutdown_is_code_1_and_a_panic_does_not_kill_the_process() {
    let ws = workspace(RULES);
    let root = root(&ws);
    let (c, mut child) = spawn_server(&root);
    c.initialize(capabilities(&[]), Value::Null, &root).await;
    let r = c
        .request("workspace/executeCommand", json!({ "command": "copydesk.debugPanic" }))
        .await;
    assert_eq!(r["error"]["code"], -32603);
    // Garbage on the wire: the server answers with an error and keeps going.
    c.send_raw(b"Content-Length: 9\r\n\r\n{garbage}").await;
    let h = c
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///x.txt" }, "position": { "line": 0, "character": 0 } }),
        )
        .await;
    assert_eq!(h["result"], Value::Null);
    c.notify("exit", Value::Null).await;
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}
