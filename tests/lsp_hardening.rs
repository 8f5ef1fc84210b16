//! The real binary (`copydesk lsp`) against bad input, slow work and a vanishing client:
//! every bad message is logged and answered where it has an id, and service goes on.

mod lsp_common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use lsp_common::*;
use serde_json::{json, Value};

fn spawn_server_with(dir: &Path, args: &[&str]) -> (LspClient, tokio::process::Child) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .arg("lsp")
        .args(args)
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

fn frame(body: &[u8]) -> Vec<u8> {
    let mut f = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    f.extend_from_slice(body);
    f
}

/// The server still answers requests and checks documents.
async fn still_serving(c: &LspClient, root: &Path, n: i64) {
    let h = c
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///nowhere.txt" }, "position": { "line": 0, "character": 0 } }),
        )
        .await;
    assert_eq!(h["result"], Value::Null, "{h}");
    let uri = uri(&root.join(format!("doc{n}.txt")));
    c.open(&uri, "plaintext", 1, "Tiêu đề\n\nĐường dài 5KM.\n").await;
    let d = c.diagnostics(&uri, Some(1)).await;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "t/units.km");
}

async fn logged(c: &LspClient, what: &str) {
    c.wait_for(&format!("a log of {what}"), |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("ignored") && s.contains(what))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_message_is_logged_answered_and_followed_by_normal_service() {
    let ws = workspace(RULES);
    let root = root(&ws);
    let (c, mut child) = spawn_server_with(&root, &[]);
    c.initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
        .await;
    let mut n = 0;
    // Valid JSON that is not a JSON-RPC message, without an id: logged only.
    for (body, what) in [
        (&b"{}"[..], "without `\"jsonrpc\""),
        (b"[]", "empty batch"),
        (b"null", "not an object"),
        (
            br#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#,
            "id is not an integer",
        ),
    ] {
        c.send_raw(&frame(body)).await;
        logged(&c, what).await;
        n += 1;
        still_serving(&c, &root, n).await;
    }
    // With an id: answered with the JSON-RPC error.
    let mut invalid_utf8 = br#"{"jsonrpc":"2.0","id":106,"method":"textDocument/hover","params":{"x":""#.to_vec();
    invalid_utf8.extend_from_slice(&[0xC3, 0x28, 0xff]);
    invalid_utf8.extend_from_slice(b"\"}}");
    let cases: Vec<(i64, Vec<u8>, i64)> = vec![
        (
            101,
            br#"[{"jsonrpc":"2.0","id":101,"method":"shutdown"}]"#.to_vec(),
            -32600,
        ),
        (102, br#"{"id":102,"method":"shutdown"}"#.to_vec(), -32600),
        (
            103,
            br#"{"jsonrpc":"1.0","id":103,"method":"shutdown"}"#.to_vec(),
            -32600,
        ),
        (104, br#"{"jsonrpc":2,"id":104,"method":"shutdown"}"#.to_vec(), -32600),
        (
            105,
            br#"{"jsonrpc":"2.0","id":105,"method":"textDocument/hover","params":{"x":"\ud800"}}"#.to_vec(),
            -32700,
        ),
        (106, invalid_utf8, -32700),
    ];
    for (id, body, code) in cases {
        let r = c.raw_request(id, &frame(&body)).await;
        assert_eq!(r["error"]["code"], code, "{id}: {r}");
        n += 1;
        still_serving(&c, &root, n).await;
    }
    // Nesting deeper than 128: no id can be read, so it is only logged.
    let deep = format!(
        r#"{{"jsonrpc":"2.0","method":"x","params":{}{}}}"#,
        "[".repeat(300),
        "]".repeat(300)
    );
    c.send_raw(&frame(deep.as_bytes())).await;
    logged(&c, "not valid JSON").await;
    n += 1;
    still_serving(&c, &root, n).await;
    // Framing problems: resynchronized on the next header.
    let body = br#"{"jsonrpc":"2.0","method":"x","params":{"text":"Content-Length: 5"}}"#;
    for (header, what) in [
        ("Content-Length: 1000000000000\r\n\r\n", "more than the maximum"),
        ("Content-Length: many\r\n\r\n", "not a number"),
        ("Content-Type: x\r\n\r\n", "without a Content-Length"),
    ] {
        let mut raw = header.as_bytes().to_vec();
        raw.extend_from_slice(body);
        c.send_raw(&raw).await;
        logged(&c, what).await;
        n += 1;
        still_serving(&c, &root, n).await;
    }
    c.shutdown_and_exit().await;
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

/// A didOpen of `size` bytes of text.
fn big_open(uri: &str, size: usize) -> Vec<u8> {
    let text = format!("Tiêu đề\n\nĐường dài 5KM.\n{}", "a ".repeat(size / 2));
    let msg = json!({
        "jsonrpc": "2.0",
        "method": "textDocument/didOpen",
        "params": { "textDocument": { "uri": uri, "languageId": "plaintext", "version": 1, "text": text } },
    });
    frame(&serde_json::to_vec(&msg).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_message_size_limit_is_set_by_flag_or_initialization_option() {
    let ws = workspace(RULES);
    let root = root(&ws);
    for (args, options) in [
        (vec!["--max-message-size", "20000"], json!({ "debounceMs": 0 })),
        (vec![], json!({ "debounceMs": 0, "maxMessageBytes": 20000 })),
    ] {
        let (c, mut child) = spawn_server_with(&root, &args);
        c.initialize(capabilities(&["utf-16"]), options, &root).await;
        let big = uri(&root.join("big.txt"));
        c.send_raw(&big_open(&big, 50_000)).await;
        logged(&c, "more than the maximum of 20000").await;
        let small = uri(&root.join("small.txt"));
        c.send_raw(&big_open(&small, 5_000)).await;
        let d = c.diagnostics(&small, Some(1)).await;
        assert_eq!(d.len(), 1);
        assert!(c.received(|m| m["params"]["uri"] == big.as_str()).await.is_empty());
        c.shutdown_and_exit().await;
        let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(status.code(), Some(0));
    }
}
