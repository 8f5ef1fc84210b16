//! A small LSP client for tests and the typing benchmark: JSON-RPC over any byte
//! streams, so the same code drives the server in process (over `tokio::io::duplex`) and
//! the real binary (over a child's stdin/stdout).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use copydesk::text::{Encoding, LineCol, LineIndex};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};

type Writer = Arc<tokio::sync::Mutex<Box<dyn AsyncWrite + Send + Unpin>>>;

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct LspClient {
    writer: Writer,
    next_id: AtomicI64,
    pending: Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>,
    inbox: tokio::sync::Mutex<mpsc::UnboundedReceiver<Value>>,
    backlog: Mutex<Vec<Value>>,
    /// `workspace/applyEdit` requests the server sent (answered `applied: true`).
    pub applied_edits: Arc<Mutex<Vec<Value>>>,
}

async fn write_message(writer: &Writer, msg: &Value) -> std::io::Result<()> {
    let body = serde_json::to_vec(msg).expect("JSON");
    let mut w = writer.lock().await;
    w.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await?;
    w.write_all(&body).await?;
    w.flush().await
}

#[derive(serde::Deserialize)]
struct LightPublish {
    params: LightParams,
}

#[derive(serde::Deserialize)]
struct LightParams {
    uri: String,
    version: Option<i64>,
    diagnostics: Vec<serde::de::IgnoredAny>,
}

async fn read_message<R: AsyncRead + Unpin>(r: &mut BufReader<R>, light: bool) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).await.ok()?;
    if light && body.len() > 4096 && memchr::memmem::find(&body, b"\"textDocument/publishDiagnostics\"").is_some() {
        let p: LightPublish = serde_json::from_slice(&body).ok()?;
        return Some(json!({
            "jsonrpc": "2.0",
            "method": "textDocument/publishDiagnostics",
            "params": {
                "uri": p.params.uri,
                "version": p.params.version,
                "diagnostics": vec![Value::Null; p.params.diagnostics.len()],
            },
        }));
    }
    serde_json::from_slice(&body).ok()
}

impl LspClient {
    pub fn new<R, W>(reader: R, writer: W) -> LspClient
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        LspClient::with_options(reader, writer, false)
    }

    /// With `light`, published diagnostics are counted, not parsed: each becomes `null`
    /// (benchmarks measure the server, not the client's JSON parser).
    pub fn with_options<R, W>(reader: R, writer: W, light: bool) -> LspClient
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let writer: Writer = Arc::new(tokio::sync::Mutex::new(Box::new(writer)));
        let pending: Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>> = Arc::default();
        let applied_edits: Arc<Mutex<Vec<Value>>> = Arc::default();
        let (tx, rx) = mpsc::unbounded_channel();
        let (w, p, a) = (writer.clone(), pending.clone(), applied_edits.clone());
        tokio::spawn(async move {
            let mut r = BufReader::new(reader);
            while let Some(msg) = read_message(&mut r, light).await {
                let has_method = msg.get("method").is_some();
                match (msg.get("id").cloned(), has_method) {
                    (Some(id), false) => {
                        if let Some(s) = id.as_i64().and_then(|i| p.lock().unwrap().remove(&i)) {
                            let _ = s.send(msg);
                        }
                    }
                    (Some(id), true) => {
                        let result = if msg["method"] == "workspace/applyEdit" {
                            a.lock().unwrap().push(msg["params"]["edit"].clone());
                            json!({ "applied": true })
                        } else {
                            Value::Null
                        };
                        let _ = write_message(&w, &json!({ "jsonrpc": "2.0", "id": id, "result": result })).await;
                        let _ = tx.send(msg);
                    }
                    (None, _) => {
                        let _ = tx.send(msg);
                    }
                }
            }
        });
        LspClient {
            writer,
            next_id: AtomicI64::new(1),
            pending,
            inbox: tokio::sync::Mutex::new(rx),
            backlog: Mutex::new(Vec::new()),
            applied_edits,
        }
    }

    /// A server running in this process, over in-memory pipes. The handle yields
    /// `serve`'s result (whether `shutdown` came before `exit`).
    pub fn in_process() -> (LspClient, tokio::task::JoinHandle<bool>) {
        LspClient::in_process_with(false)
    }

    pub fn in_process_with(light: bool) -> (LspClient, tokio::task::JoinHandle<bool>) {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        let handle = tokio::spawn(copydesk::lsp::serve(server_read, server_write));
        let (client_read, client_write) = tokio::io::split(client_end);
        (LspClient::with_options(client_read, client_write, light), handle)
    }

    /// Sends a request and returns the whole response message (`result` or `error`).
    pub async fn request(&self, method: &str, params: Value) -> Value {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        write_message(
            &self.writer,
            &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }),
        )
        .await
        .expect("write request");
        tokio::time::timeout(TIMEOUT, rx)
            .await
            .unwrap_or_else(|_| panic!("no response to {method} within {TIMEOUT:?}"))
            .expect("response channel")
    }

    /// The `result` of a request; panics on an error response.
    pub async fn call(&self, method: &str, params: Value) -> Value {
        let r = self.request(method, params).await;
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    pub async fn notify(&self, method: &str, params: Value) {
        write_message(
            &self.writer,
            &json!({ "jsonrpc": "2.0", "method": method, "params": params }),
        )
        .await
        .expect("write notification");
    }

    /// Writes raw bytes that carry a request with id `id`, and returns the response to it.
    pub async fn raw_request(&self, id: i64, bytes: &[u8]) -> Value {
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        self.send_raw(bytes).await;
        tokio::time::timeout(TIMEOUT, rx)
            .await
            .unwrap_or_else(|_| panic!("no response to raw request {id} within {TIMEOUT:?}"))
            .expect("response channel")
    }

    /// Closes the server's input (drops the writer), as a client that dies does.
    pub async fn close_input(&self) {
        *self.writer.lock().await = Box::new(tokio::io::sink());
    }

    /// Writes raw bytes (for malformed-input tests).
    pub async fn send_raw(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().await;
        w.write_all(bytes).await.expect("write");
        w.flush().await.expect("flush");
    }

    /// The first message from the server (notification or server request) matching
    /// `pred`, waiting up to `timeout`. Messages that do not match are kept for later.
    pub async fn wait_for_within(&self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        {
            let mut backlog = self.backlog.lock().unwrap();
            if let Some(i) = backlog.iter().position(&pred) {
                return Some(backlog.remove(i));
            }
        }
        let mut inbox = self.inbox.lock().await;
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let msg = tokio::time::timeout_at(deadline, inbox.recv()).await.ok()??;
            if pred(&msg) {
                return Some(msg);
            }
            self.backlog.lock().unwrap().push(msg);
        }
    }

    pub async fn wait_for(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        match self.wait_for_within(TIMEOUT, pred).await {
            Some(m) => m,
            None => {
                let logs: Vec<String> = self
                    .received(|m| m["method"] == "window/logMessage" || m["method"] == "window/showMessage")
                    .await
                    .iter()
                    .map(|m| m["params"]["message"].to_string())
                    .collect();
                panic!("timed out waiting for {what}; the server said: {logs:#?}")
            }
        }
    }

    /// Drops every message received so far.
    pub async fn clear(&self) {
        self.backlog.lock().unwrap().clear();
        let mut inbox = self.inbox.lock().await;
        while inbox.try_recv().is_ok() {}
    }

    /// Messages received so far that match `pred` (without waiting).
    pub async fn received(&self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        {
            let mut inbox = self.inbox.lock().await;
            while let Ok(m) = inbox.try_recv() {
                self.backlog.lock().unwrap().push(m);
            }
        }
        self.backlog
            .lock()
            .unwrap()
            .iter()
            .filter(|m| pred(m))
            .cloned()
            .collect()
    }

    /// The diagnostics published for `uri` at `version` (any version if `None`).
    pub async fn diagnostics(&self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let msg = self
            .wait_for(&format!("diagnostics for {uri} v{version:?}"), |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && version.is_none_or(|v| m["params"]["version"] == v)
            })
            .await;
        msg["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub async fn initialize(&self, capabilities: Value, options: Value, root: &Path) -> Value {
        let r = self
            .call(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": uri(root),
                    "workspaceFolders": [{ "uri": uri(root), "name": "ws" }],
                    "capabilities": capabilities,
                    "initializationOptions": options,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        r
    }

    pub async fn open(&self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": version, "text": text } }),
        )
        .await;
    }

    pub async fn change(&self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        )
        .await;
    }

    /// The server's copy of a document (hidden test request).
    pub async fn server_text(&self, uri: &str) -> String {
        let r = self.call("copydesk/debugText", json!({ "uri": uri })).await;
        r["text"].as_str().expect("text").to_string()
    }

    pub async fn shutdown_and_exit(&self) {
        self.call("shutdown", Value::Null).await;
        self.notify("exit", Value::Null).await;
    }
}

/// `file://` URI of a path.
pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Client capabilities: push diagnostics, versioned edits with file creation, dynamic
/// watchers, and the given position encodings.
pub fn capabilities(encodings: &[&str]) -> Value {
    json!({
        "general": { "positionEncodings": encodings },
        "workspace": {
            "applyEdit": true,
            "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create", "rename", "delete"] },
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "diagnostics": { "refreshSupport": true },
        },
        "textDocument": {
            "publishDiagnostics": { "versionSupport": true, "dataSupport": true },
            "codeAction": { "isPreferredSupport": true, "dataSupport": true },
        },
    })
}

/// The same, asking for pull diagnostics.
pub fn pull_capabilities(encodings: &[&str]) -> Value {
    let mut c = capabilities(encodings);
    c["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false, "relatedDocumentSupport": false });
    c
}

pub fn encoding_of(name: &str) -> Encoding {
    match name {
        "utf-8" => Encoding::Utf8,
        "utf-32" => Encoding::Utf32,
        _ => Encoding::Utf16,
    }
}

/// Byte offset of an LSP position in `text`.
pub fn offset(text: &str, pos: &Value, enc: Encoding) -> usize {
    let lc = LineCol {
        line: pos["line"].as_u64().unwrap() as usize,
        col: pos["character"].as_u64().unwrap() as usize,
    };
    LineIndex::new(text).offset(lc, enc).0
}

/// LSP position of a byte offset in `text`.
pub fn position(text: &str, off: usize, enc: Encoding) -> Value {
    let p = LineIndex::new(text).position(off, enc);
    json!({ "line": p.line, "character": p.col })
}

/// The text edits a workspace edit makes to `uri` (from `documentChanges` or `changes`).
pub fn edits_for(edit: &Value, uri: &str) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(dc) = edit["documentChanges"].as_array() {
        for c in dc {
            if c["textDocument"]["uri"] == uri {
                out.extend(c["edits"].as_array().cloned().unwrap_or_default());
            }
        }
    }
    if let Some(es) = edit["changes"][uri].as_array() {
        out.extend(es.iter().cloned());
    }
    out
}

/// Applies text edits (LSP semantics: all ranges refer to the original text).
pub fn apply_text_edits(text: &str, edits: &[Value], enc: Encoding) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], enc),
                offset(text, &e["range"]["end"], enc),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}

/// Applies a workspace edit to a document the way an editor does: changes the text and
/// sends the edits to the server as one incremental `didChange`. Returns the new text.
pub async fn apply_edit(
    client: &LspClient,
    uri: &str,
    text: &str,
    version: i64,
    edit: &Value,
    enc: Encoding,
) -> String {
    let edits = edits_for(edit, uri);
    let new = apply_text_edits(text, &edits, enc);
    // Send the edits last-first so each range is still valid when applied.
    let mut sorted = edits.clone();
    sorted.sort_by_key(|e| std::cmp::Reverse(offset(text, &e["range"]["start"], enc)));
    let changes: Vec<Value> = sorted
        .iter()
        .map(|e| json!({ "range": e["range"], "text": e["newText"] }))
        .collect();
    client.change(uri, version, Value::Array(changes)).await;
    new
}

/// A rule file with `pattern` rules (so tests do not depend on the built-in pack).
pub const RULES: &str = r#"
[pack]
name = "t"

[[rule]]
id = "units.km"
kind = "pattern"
message = "“{found}” → “{expected}”"
description = "Write kilometres as “km”."
link = "https://example.com/rules/units-km"
pattern = '(\d) ?KM\b'
replacement = "$1 km"
examples = [{ text = "dài 5KM", expect = 1, fixed = "dài 5 km" }]

[[rule]]
id = "words.banned"
kind = "pattern"
severity = "error"
message = "Không dùng “{found}”"
pattern = '(?i)\bquá trời\b'

[[rule]]
id = "spacing.double"
kind = "pattern"
severity = "info"
message = "Two spaces"
pattern = '(\S)  (\S)'
replacement = "$1 $2"
fix-title = "Use one space"

[[rule]]
id = "names.hcm"
kind = "pattern"
severity = "hint"
message = "Viết “TP.HCM”"
pattern = 'TP\. ?Hồ Chí Minh'
replacement = "TP.HCM"
"#;

/// A workspace folder with `.copydesk.toml` using a local pack `t` in `./pk`.
pub fn workspace(rules: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("copydesk-lsp").tempdir().unwrap();
    let dir_path = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(dir_path.join("pk")).unwrap();
    std::fs::write(dir_path.join("pk/rules.toml"), rules).unwrap();
    std::fs::write(dir_path.join(".copydesk.toml"), "packs = [\"./pk\"]\n").unwrap();
    dir
}

/// The canonical path of a temp dir (URIs use it).
pub fn root(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().canonicalize().unwrap()
}

/// `(code, start, end)` of LSP diagnostics, for assertions.
pub fn spans(diags: &[Value]) -> Vec<(String, Value, Value)> {
    diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"]["start"].clone(),
                d["range"]["end"].clone(),
            )
        })
        .collect()
}

/// Column of byte `off` counted without the library, as LSP defines it: bytes, UTF-16
/// units or characters since the last line break (`\n`, `\r\n` or `\r`).
pub fn naive_position(text: &str, off: usize, enc: &str) -> Value {
    let before = &text[..off];
    let line = before.replace("\r\n", "\n").matches(['\n', '\r']).count();
    let start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let seg = &text[start..off];
    let col = match enc {
        "utf-8" => seg.len(),
        "utf-32" => seg.chars().count(),
        _ => seg.encode_utf16().count(),
    };
    json!({ "line": line, "character": col })
}
