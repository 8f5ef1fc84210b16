//! The real binary (`copydesk lsp`) against bad input, slow work and a vanishing client:
//! every bad message is logged and answered where it has an id, and service goes on.

mod lsp_common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use lsp_common::*;
use serde_json::{json, Value};

fn spawn_server_with(dir: &Path, args: &[&str]) -> (LspClient, tokio::process::Child) {
    // No user config (the developer's own must not change what these tests see).
    spawn_server_trusting(dir, args, &dir.join("no-user-config.toml"))
}

/// The server with the user config at `user_config`.
fn spawn_server_trusting(dir: &Path, args: &[&str], user_config: &Path) -> (LspClient, tokio::process::Child) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .arg("lsp")
        .args(args)
        .env("COPYDESK_USER_CONFIG", user_config)
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

fn threads_of(pid: u32) -> usize {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:").map(|n| n.trim().parse().unwrap_or(0)))
        })
        .unwrap_or(0)
}

/// One long paragraph: every keystroke re-checks all of it.
fn slow_text() -> String {
    format!(
        "Tiêu đề\n\n{}\n",
        "Người dân nói rằng đường dài 5KM, quá trời. ".repeat(6000)
    )
}

/// Opens the slow document and types 40 characters 50 ms apart; returns the peak number
/// of threads of the server while typing.
async fn type_fast(c: &LspClient, pid: u32, uri: &str) -> usize {
    c.open(uri, "plaintext", 1, &slow_text()).await;
    c.diagnostics(uri, Some(1)).await;
    let mut peak = 0;
    for v in 2..42 {
        c.change(
            uri,
            v,
            json!([{ "range": { "start": { "line": 2, "character": 0 }, "end": { "line": 2, "character": 0 } }, "text": "a" }]),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        peak = peak.max(threads_of(pid));
    }
    peak
}

/// A check never blocks the protocol task (ARCHITECTURE.md, invariants): requests sent
/// while a large document is checked are answered during the check, which they count as
/// running. A server that checked on the protocol task would answer them only after it,
/// with nothing running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_answered_while_a_check_runs() {
    let ws = workspace(RULES);
    let root = root(&ws);
    let (c, mut child) = spawn_server_with(&root, &[]);
    c.initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
        .await;
    let uri = uri(&root.join("big.txt"));
    let text = format!(
        "Tiêu đề\n\n{}\n",
        "Người dân nói rằng đường dài 5KM, quá trời. ".repeat(25_000)
    );
    c.open(&uri, "plaintext", 1, &text).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut answered_during_check = false;
    while !answered_during_check && Instant::now() < deadline {
        let stats = c.call("copydesk/debugStats", Value::Null).await;
        answered_during_check = stats["checking"] == 1;
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert!(answered_during_check, "no request was answered while the check ran");
    assert!(!c.diagnostics(&uri, Some(1)).await.is_empty());
    c.shutdown_and_exit().await;
    tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn superseded_checks_do_not_pile_up() {
    let ws = workspace(RULES);
    let root = root(&ws);
    let (c, mut child) = spawn_server_with(&root, &[]);
    let pid = child.id().unwrap();
    c.initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
        .await;
    let uri = uri(&root.join("slow.txt"));
    let peak = type_fast(&c, pid, &uri).await;
    let last = Instant::now();
    let d = c.diagnostics(&uri, Some(41)).await;
    eprintln!(
        "peak threads {peak}; last keystroke to diagnostics {:?}",
        last.elapsed()
    );
    assert!(!d.is_empty());
    // Two runtime workers, the stdin reader, the main thread, one check, and slack for
    // idle pool threads; 40 piled-up checks would be far above.
    assert!(peak <= 10, "{peak} threads while typing");
    let stats = c.call("copydesk/debugStats", Value::Null).await;
    assert_eq!(stats["checking"], 0, "{stats}");
    c.shutdown_and_exit().await;
    tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_of_input_cancels_checks_and_exits_promptly() {
    let ws = workspace(RULES);
    let root = root(&ws);
    let (c, mut child) = spawn_server_with(&root, &[]);
    let pid = child.id().unwrap();
    c.initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
        .await;
    let uri = uri(&root.join("slow.txt"));
    type_fast(&c, pid, &uri).await;
    // A request that waits for the newest check, then the client goes away.
    c.send_raw(&frame(
        &serde_json::to_vec(&json!({
            "jsonrpc": "2.0", "id": 999, "method": "textDocument/codeAction",
            "params": { "textDocument": { "uri": uri }, "context": { "diagnostics": [] },
                        "range": { "start": { "line": 2, "character": 0 }, "end": { "line": 2, "character": 5 } } },
        }))
        .unwrap(),
    ))
    .await;
    c.close_input().await;
    let closed = Instant::now();
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("the server exits after stdin closes")
        .unwrap();
    eprintln!("exit {:?} after stdin closed", closed.elapsed());
    assert!(closed.elapsed() < Duration::from_secs(2), "{:?}", closed.elapsed());
    assert_eq!(status.code(), Some(1));
}

/// `n` folders with a config each and a document open in each.
async fn open_in_folders(c: &LspClient, root: &Path, n: usize) -> Vec<String> {
    let mut uris = Vec::new();
    for i in 0..n {
        let dir = root.join(format!("f{i:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(".copydesk.toml"), format!("# folder {i}\n")).unwrap();
        let uri = uri(&dir.join("a.txt"));
        c.open(&uri, "plaintext", 1, "Tiêu đề\n\nĐường dài 5KM.\n").await;
        uris.push(uri);
    }
    for u in &uris {
        c.diagnostics(u, Some(1)).await;
    }
    uris
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_reload_does_not_freeze_the_server() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().canonicalize().unwrap();
    let (c, mut child) = spawn_server_with(&root, &[]);
    c.initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
        .await;
    let uris = open_in_folders(&c, &root, 30).await;
    let changed =
        |i: usize| json!({ "changes": [{ "uri": uri(&root.join(format!("f{i:02}/.copydesk.toml"))), "type": 2 }] });
    let start = Instant::now();
    c.notify("workspace/didChangeWatchedFiles", changed(0)).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    c.notify("workspace/didChangeWatchedFiles", changed(1)).await;
    let asked = Instant::now();
    let h = c
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uris[0] }, "position": { "line": 0, "character": 0 } }),
        )
        .await;
    let answered = asked.elapsed();
    assert!(h.get("error").is_none(), "{h}");
    // The reload re-checks every document: wait for the last one to see how long it took.
    c.wait_for("the re-check after the reload", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uris[29].as_str()
    })
    .await;
    eprintln!(
        "hover answered in {answered:?} during a reload of {:?}",
        start.elapsed()
    );
    assert!(answered < Duration::from_millis(1500), "{answered:?}");
    // Only the two changed folders were loaded again (one reload or two), not all 30.
    let stats = c.call("copydesk/debugStats", Value::Null).await;
    let loads = stats["loads"].as_u64().unwrap();
    assert!((31..=32).contains(&loads), "{stats}");
    c.shutdown_and_exit().await;
    tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_documents_frees_their_projects() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().canonicalize().unwrap();
    let (c, mut child) = spawn_server_with(&root, &[]);
    c.initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
        .await;
    let uris = open_in_folders(&c, &root, 12).await;
    let stats = c.call("copydesk/debugStats", Value::Null).await;
    assert_eq!(stats["projects"], 12, "{stats}");
    // Each folder's config loaded once, though 12 checks asked for projects at once.
    assert_eq!(stats["loads"], 12, "{stats}");
    for u in &uris {
        c.notify("textDocument/didClose", json!({ "textDocument": { "uri": u } }))
            .await;
    }
    let stats = c.call("copydesk/debugStats", Value::Null).await;
    assert_eq!(stats["projects"], 4, "the 4 most recent are kept: {stats}");
    // Reopening one of the freed folders loads it again.
    c.open(&uris[0], "plaintext", 2, "Tiêu đề\n\nĐường dài 5KM.\n").await;
    c.diagnostics(&uris[0], Some(2)).await;
    let stats = c.call("copydesk/debugStats", Value::Null).await;
    assert_eq!(stats["projects"], 5, "{stats}");
    assert_eq!(stats["loads"], 13, "{stats}");
    c.shutdown_and_exit().await;
    tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .unwrap()
        .unwrap();
}

/// The "Disable RULE in this project" action for the `t/units.km` finding in `doc`.
async fn disable_in_project(c: &LspClient, doc: &Path) -> Option<Value> {
    let uri = uri(doc);
    c.open(&uri, "plaintext", 1, "Dài 5KM.\n").await;
    let d = c.diagnostics(&uri, Some(1)).await;
    let ours: Vec<Value> = d.into_iter().filter(|x| x["code"] == "t/units.km").collect();
    assert_eq!(ours.len(), 1);
    let actions = c
        .call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": ours[0]["range"], "context": { "diagnostics": ours } }),
        )
        .await;
    actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable t/units.km in this project")
        .cloned()
}

fn disabled_caps() -> Value {
    let mut caps = capabilities(&["utf-16"]);
    caps["textDocument"]["codeAction"]["disabledSupport"] = json!(true);
    caps
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_in_project_keeps_the_configs_comments_and_formatting() {
    let ws = workspace(RULES);
    let root = root(&ws);
    let config = root.join(".copydesk.toml");
    let before = "# House style of the desk\npacks = [\"./pk\"]   # our rules\n\n[rules]\n\"t/words.banned\" = \"warning\" # softened for the sports desk\n";
    std::fs::write(&config, before).unwrap();
    let (c, mut child) = spawn_server_with(&root, &[]);
    c.initialize(disabled_caps(), json!({ "debounceMs": 0 }), &root).await;
    let action = disable_in_project(&c, &root.join("a.txt")).await.expect("the action");
    let after = apply_text_edits(
        before,
        &edits_for(&action["edit"], &uri(&config)),
        encoding_of("utf-16"),
    );
    assert_eq!(
        after,
        "# House style of the desk\npacks = [\"./pk\"]   # our rules\n\n[rules]\n\"t/words.banned\" = \"warning\" # softened for the sports desk\n\"t/units.km\" = \"off\"\n"
    );
    c.shutdown_and_exit().await;
    tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_in_project_never_edits_a_config_outside_the_workspace() {
    // The config governing the workspace folder is in its parent.
    let outer = workspace(RULES);
    let outer_root = root(&outer);
    let inner = outer_root.join("desk");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(outer_root.join(".copydesk.toml"), "packs = [\"./pk\"]\n").unwrap();
    let (c, mut child) = spawn_server_with(&inner, &[]);
    c.initialize(disabled_caps(), json!({ "debounceMs": 0 }), &inner).await;
    let action = disable_in_project(&c, &inner.join("a.txt"))
        .await
        .expect("a disabled action");
    assert!(action.get("edit").is_none(), "{action}");
    let reason = action["disabled"]["reason"].as_str().unwrap();
    assert!(reason.contains("outside the workspace"), "{reason}");
    c.shutdown_and_exit().await;
    tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();

    // A symlinked config leading out of the tree: refused, the target untouched. Its pack
    // is outside the repository, which a repository's config may name only when the user
    // config allows it (`PackTrust`); this user does.
    let elsewhere = tempfile::tempdir().unwrap();
    let user_config = elsewhere.path().join("user.toml");
    std::fs::write(&user_config, "allow-external-packs = true\n").unwrap();
    let target = elsewhere.path().join("shared.toml");
    std::fs::write(
        &target,
        "packs = [\"PK\"]\n".replace("PK", &outer_root.join("pk").display().to_string()),
    )
    .unwrap();
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().canonicalize().unwrap();
    std::os::unix::fs::symlink(&target, root.join(".copydesk.toml")).unwrap();
    let (c, mut child) = spawn_server_trusting(&root, &[], &user_config);
    // A client without `disabledSupport` does not get the action at all.
    c.initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
        .await;
    assert!(disable_in_project(&c, &root.join("a.txt")).await.is_none());
    let (c2, mut child2) = spawn_server_trusting(&root, &[], &user_config);
    c2.initialize(disabled_caps(), json!({ "debounceMs": 0 }), &root).await;
    let action = disable_in_project(&c2, &root.join("a.txt"))
        .await
        .expect("a disabled action");
    assert!(action.get("edit").is_none(), "{action}");
    assert!(
        action["disabled"]["reason"].as_str().unwrap().contains("symlink"),
        "{action}"
    );
    for (c, child) in [(c, &mut child), (c2, &mut child2)] {
        c.shutdown_and_exit().await;
        tokio::time::timeout(Duration::from_secs(10), child.wait())
            .await
            .unwrap()
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pack_outside_the_repository_is_refused_unless_the_user_allows_it() {
    let packs = workspace(RULES);
    let pack = root(&packs).join("pk");
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().canonicalize().unwrap();
    std::fs::write(
        root.join(".copydesk.toml"),
        format!("packs = [\"{}\"]\n", pack.display()),
    )
    .unwrap();
    let user_config = root.join("user.toml");
    std::fs::write(&user_config, "allow-external-packs = true\n").unwrap();
    for trusted in [false, true] {
        let (c, mut child) = if trusted {
            spawn_server_trusting(&root, &[], &user_config)
        } else {
            spawn_server_with(&root, &[])
        };
        c.initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
            .await;
        let doc = uri(&root.join("a.txt"));
        c.open(&doc, "plaintext", 1, "Dài 5KM.\n").await;
        let d = c.diagnostics(&doc, Some(1)).await;
        if trusted {
            assert_eq!(d.len(), 1, "{d:?}");
        } else {
            assert!(d.is_empty(), "{d:?}");
            let shown = c.wait_for("the refusal", |m| m["method"] == "window/showMessage").await;
            let text = shown["params"]["message"].as_str().unwrap();
            assert!(text.contains("outside the repository"), "{text}");
        }
        c.shutdown_and_exit().await;
        tokio::time::timeout(Duration::from_secs(10), child.wait())
            .await
            .unwrap()
            .unwrap();
    }
}
