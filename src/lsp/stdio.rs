//! Standard input, framed and checked before the protocol library sees it.
//!
//! The library's decoder stops reading for good after one message it cannot decode, which
//! would end the session, and it allocates whatever `Content-Length` says. A thread reads
//! stdin with [`FrameReader`], which
//!
//! - bounds every message ([`max_message_bytes`], 64 MiB by default) and every header line;
//! - resynchronizes on the next `Content-Length` header after anything it cannot frame
//!   (a missing or non-numeric length, an oversized body, bytes that are not a header);
//! - passes on only bodies the library decodes ([`classify`]); anything else becomes a
//!   synthetic `$/copydesk/invalidMessage` request, which `guard.rs` logs and answers with
//!   the JSON-RPC error (`-32700` parse error, `-32600` invalid request) when the bad
//!   message had an id.
//!
//! The thread also means that a client keeping stdin open after `exit` cannot keep the
//! process alive.

use std::io::Read;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use serde_json::{json, Value};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::{mpsc, Notify};

use super::proto::{Request, Response};

/// The method of the synthetic request that reports a bad message (see `guard.rs`).
pub const INVALID_MESSAGE: &str = "$/copydesk/invalidMessage";

/// Default largest message body accepted: 64 MiB.
pub const DEFAULT_MAX_MESSAGE_BYTES: u64 = 64 << 20;
/// Longest header line accepted.
const MAX_HEADER_LINE: usize = 8 << 10;
/// Most header lines in one message.
const MAX_HEADERS: usize = 32;

static MAX_MESSAGE_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_MESSAGE_BYTES);

/// The largest message body the server reads.
pub fn max_message_bytes() -> u64 {
    MAX_MESSAGE_BYTES.load(Ordering::Relaxed)
}

/// Sets the largest message body (from `--max-message-size` or the `maxMessageBytes`
/// initialization option); at least 1 KiB.
pub fn set_max_message_bytes(n: u64) {
    MAX_MESSAGE_BYTES.store(n.max(1024), Ordering::Relaxed);
}

/// JSON-RPC error codes for bad messages.
pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;

/// A message the library would reject, and what to tell the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Bad {
    pub code: i64,
    pub message: String,
    /// Ids of the requests to answer with the error (none: only logged).
    pub ids: Vec<Value>,
}

/// One item read from the input.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// A body the library decodes.
    Message(Vec<u8>),
    /// A body that is not a JSON-RPC message.
    Bad(Bad),
    /// Bytes that could not be framed, skipped up to the next header.
    Skipped(String),
}

/// The decoder's own view of a message (the same untagged order as the library's).
#[derive(serde::Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Message {
    Response(Response),
    Request(Request),
}

/// A request id as the library accepts it: an integer, a string or null.
fn valid_id(v: &Value) -> bool {
    v.is_i64() || v.is_string() || v.is_null()
}

fn id_of(v: &Value) -> Option<Value> {
    v.as_object()?.get("id").filter(|id| valid_id(id)).cloned()
}

fn preview(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]);
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if bytes.len() > 60 {
        format!("{s}…")
    } else {
        s
    }
}

/// Best effort at the id of a body that is not valid JSON: with invalid UTF-8 replaced and
/// lone surrogate escapes neutralized. `None` when even that does not parse.
fn salvage_id(body: &[u8]) -> Option<Value> {
    let text = String::from_utf8_lossy(body);
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(i) = rest.find("\\u") {
        out.push_str(&rest[..i]);
        let hex = rest.get(i + 2..i + 6).unwrap_or("");
        let surrogate = u16::from_str_radix(hex, 16).is_ok_and(|n| (0xD800..0xE000).contains(&n));
        if surrogate {
            out.push_str("\\ufffd");
            rest = &rest[i + 6..];
        } else {
            out.push_str("\\u");
            rest = &rest[i + 2..];
        }
    }
    out.push_str(rest);
    let v: Value = serde_json::from_str(&out).ok()?;
    id_of(&v)
}

/// Whether the library decodes `body`; if not, the error to report.
pub fn classify(body: &[u8]) -> Result<(), Bad> {
    if serde_json::from_slice::<Message>(body).is_ok() {
        return Ok(());
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Err(Bad {
                code: PARSE_ERROR,
                message: format!(
                    "a message that is not valid JSON ({} bytes, {e}): {}",
                    body.len(),
                    preview(body)
                ),
                ids: salvage_id(body).into_iter().collect(),
            })
        }
    };
    let (what, ids) = match &value {
        Value::Array(items) if items.is_empty() => ("an empty batch", Vec::new()),
        Value::Array(items) => (
            "a batch (JSON-RPC batches are not part of LSP)",
            items.iter().filter_map(id_of).collect(),
        ),
        Value::Object(o) => {
            let what = match o.get("jsonrpc") {
                None => "a message without `\"jsonrpc\": \"2.0\"`",
                Some(v) if v != "2.0" => "a message whose `jsonrpc` is not \"2.0\"",
                Some(_) if o.get("id").is_some_and(|id| !valid_id(id)) => {
                    "a message whose id is not an integer or a string"
                }
                Some(_) if o.get("method").is_some_and(|m| !m.is_string()) => "a message whose method is not a string",
                Some(_) => "a message that is neither a request, a notification nor a response",
            };
            (what, id_of(&value).into_iter().collect())
        }
        _ => ("JSON that is not an object", Vec::new()),
    };
    Err(Bad {
        code: INVALID_REQUEST,
        message: format!("{what}: {}", preview(body)),
        ids,
    })
}

/// Frames a byte stream into LSP message bodies, never allocating more than the largest
/// message allowed and never losing the next good message after a bad one.
pub struct FrameReader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    max: fn() -> u64,
}

enum Line {
    /// The line without its break, and how many bytes it took.
    Text(Vec<u8>, usize),
    TooLong,
    Eof,
}

fn find_header(hay: &[u8]) -> Option<usize> {
    const NEEDLE: &[u8] = b"content-length";
    hay.windows(NEEDLE.len()).position(|w| w.eq_ignore_ascii_case(NEEDLE))
}

fn is_token(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b))
}

impl<R: Read> FrameReader<R> {
    pub fn new(inner: R) -> FrameReader<R> {
        FrameReader::with_limit(inner, max_message_bytes)
    }

    /// With a fixed-size limit function (tests).
    pub fn with_limit(inner: R, max: fn() -> u64) -> FrameReader<R> {
        FrameReader {
            inner,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            max,
        }
    }

    fn avail(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Reads more input; `false` at the end.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 && self.pos * 2 >= self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + (1 << 16), 0);
        let n = loop {
            match self.inner.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// One line, without its line break.
    fn line(&mut self) -> std::io::Result<Line> {
        let mut scanned = 0;
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.avail()[scanned..]) {
                let end = scanned + i;
                if end > MAX_HEADER_LINE {
                    return Ok(Line::TooLong);
                }
                let mut line = self.avail()[..end].to_vec();
                self.pos += end + 1;
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(Line::Text(line, end + 1));
            }
            scanned = self.avail().len();
            if scanned > MAX_HEADER_LINE {
                return Ok(Line::TooLong);
            }
            if !self.fill()? {
                if self.avail().is_empty() {
                    return Ok(Line::Eof);
                }
                let line = self.avail().to_vec();
                self.pos = self.buf.len();
                let n = line.len();
                return Ok(Line::Text(line, n));
            }
        }
    }

    /// Skips to the next `Content-Length` (left unread), or to the end of input.
    fn skip_to_header(&mut self) -> std::io::Result<u64> {
        let mut skipped = 0u64;
        loop {
            if let Some(i) = find_header(self.avail()) {
                self.pos += i;
                return Ok(skipped + i as u64);
            }
            // Keep a tail that may be the start of a header cut by the buffer's end.
            let keep = self.avail().len().min(13);
            let drop = self.avail().len() - keep;
            self.pos += drop;
            skipped += drop as u64;
            if !self.fill()? {
                skipped += self.avail().len() as u64;
                self.pos = self.buf.len();
                return Ok(skipped);
            }
        }
    }

    /// Skips the body of a message that will not be read: one JSON value (strings and
    /// brackets tracked, so a `Content-Length` inside a string does not count), stopping
    /// early at a `Content-Length` outside strings, after `limit` bytes, or at the end.
    fn skip_body(&mut self, limit: u64) -> std::io::Result<()> {
        let (mut in_str, mut esc, mut depth, mut started) = (false, false, 0usize, false);
        let mut skipped = 0u64;
        loop {
            if self.avail().len() < 14 && !self.eof {
                self.fill()?;
                continue;
            }
            if self.avail().is_empty() {
                return Ok(());
            }
            let mut i = 0;
            let avail_len = self.avail().len();
            while i < avail_len {
                if skipped >= limit {
                    self.pos += i;
                    return Ok(());
                }
                let b = self.buf[self.pos + i];
                if in_str {
                    if b == b'\n' {
                        // A JSON string holds no raw line break: the state was wrong.
                        in_str = false;
                        esc = false;
                    } else if esc {
                        esc = false;
                    } else if b == b'\\' {
                        esc = true;
                    } else if b == b'"' {
                        in_str = false;
                    }
                } else {
                    match b {
                        b'"' => in_str = true,
                        b'{' | b'[' => {
                            depth += 1;
                            started = true;
                        }
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if started && depth == 0 {
                                self.pos += i + 1;
                                return Ok(());
                            }
                        }
                        b'C' | b'c' => {
                            if avail_len - i < 14 && !self.eof {
                                // Not enough bytes to tell: refill and look again.
                                break;
                            }
                            if find_header(&self.avail()[i..(i + 14).min(avail_len)]) == Some(0) {
                                self.pos += i;
                                return Ok(());
                            }
                        }
                        _ => {}
                    }
                }
                skipped += 1;
                i += 1;
            }
            self.pos += i;
            if !self.fill()? && self.avail().is_empty() {
                return Ok(());
            }
        }
    }

    /// The next frame; `None` at the end of input.
    pub fn next_frame(&mut self) -> std::io::Result<Option<Frame>> {
        // Headers.
        let mut length: Option<Result<u64, String>> = None;
        let mut headers = 0;
        loop {
            let line = match self.line()? {
                Line::Eof => return Ok(None),
                Line::TooLong => {
                    self.pos += 1;
                    let n = 1 + self.skip_to_header()?;
                    return Ok(Some(Frame::Skipped(format!(
                        "a header line longer than {MAX_HEADER_LINE} bytes ({n} bytes skipped to the next header)"
                    ))));
                }
                Line::Text(l, raw) => (l, raw),
            };
            let (line, raw) = line;
            if line.is_empty() {
                if headers > 0 {
                    break;
                }
                continue;
            }
            // No header holds `Content-Length` after its start: that is the next message's
            // header glued to something else (a body cut short, or text that was taken
            // for a header). Unread from there.
            if let Some(i) = line.get(1..).and_then(find_header) {
                self.pos -= raw - (i + 1);
                return Ok(Some(Frame::Skipped(format!(
                    "bytes that are not a message header: {}",
                    preview(&line[..i + 1])
                ))));
            }
            // A header name is a token.
            let header = line.iter().position(|&b| b == b':').filter(|&i| is_token(&line[..i]));
            let Some(colon) = header else {
                let problem = format!("bytes that are not a message header: {}", preview(&line));
                self.skip_to_header()?;
                return Ok(Some(Frame::Skipped(problem)));
            };
            headers += 1;
            if headers > MAX_HEADERS {
                self.skip_to_header()?;
                return Ok(Some(Frame::Skipped(format!("more than {MAX_HEADERS} header lines"))));
            }
            if line[..colon].eq_ignore_ascii_case(b"content-length") {
                let v = String::from_utf8_lossy(&line[colon + 1..]).trim().to_string();
                length = Some(match v.parse::<u64>() {
                    Ok(n) if !v.starts_with('+') => Ok(n),
                    _ => Err(v),
                });
            }
        }
        // Body.
        let max = (self.max)();
        let n = match length {
            // Without a length, the next `Content-Length` is the best guess at the next
            // message (one inside a string of this body costs one more skipped frame).
            None => {
                self.skip_to_header()?;
                return Ok(Some(Frame::Skipped("a message without a Content-Length header".into())));
            }
            Some(Err(v)) => {
                self.skip_to_header()?;
                return Ok(Some(Frame::Skipped(format!(
                    "a message whose Content-Length is not a number: `{}`",
                    preview(v.as_bytes())
                ))));
            }
            Some(Ok(n)) if n > max => {
                // An honest large message is skipped as one JSON value, so that
                // `Content-Length` in its strings is not taken for the next header.
                while self.avail().first().is_some_and(u8::is_ascii_whitespace) || self.avail().is_empty() {
                    if self.avail().is_empty() {
                        if !self.fill()? {
                            break;
                        }
                    } else {
                        self.pos += 1;
                    }
                }
                if matches!(self.avail().first(), Some(b'{' | b'[')) {
                    self.skip_body(n)?;
                } else {
                    self.skip_to_header()?;
                }
                return Ok(Some(Frame::Skipped(format!(
                    "a message of {n} bytes, more than the maximum of {max} (raise it with `maxMessageBytes` or `--max-message-size`)"
                ))));
            }
            Some(Ok(n)) => n as usize,
        };
        while self.avail().len() < n {
            if !self.fill()? {
                break;
            }
        }
        // At the end of input a short body is still looked at: its length may have been
        // too large, with whole messages after it.
        let n = n.min(self.avail().len());
        if n == 0 {
            return Ok(None);
        }
        let mut body = self.avail()[..n].to_vec();
        self.pos += n;
        let mut result = classify(&body);
        if result.is_err() {
            // A length too large swallows the next header: keep the first JSON value and
            // read on from the `Content-Length` that follows it.
            let mut values = serde_json::Deserializer::from_slice(&body).into_iter::<serde::de::IgnoredAny>();
            if let Some(Ok(_)) = values.next() {
                let end = values.byte_offset();
                if let Some(i) = find_header(&body[end..]) {
                    self.pos -= n - (end + i);
                    body.truncate(end);
                    result = classify(&body);
                }
            }
        }
        Ok(Some(match result {
            Ok(()) => Frame::Message(body),
            Err(bad) => Frame::Bad(bad),
        }))
    }
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

/// The synthetic messages that report a bad one: a request per id (answered with the
/// error), or one notification (only logged).
pub fn report_messages(bad: &Bad) -> Vec<Vec<u8>> {
    let params = json!({ "code": bad.code, "message": bad.message });
    let msgs: Vec<Value> = if bad.ids.is_empty() {
        vec![json!({ "jsonrpc": "2.0", "method": INVALID_MESSAGE, "params": params })]
    } else {
        bad.ids
            .iter()
            .map(|id| json!({ "jsonrpc": "2.0", "id": id, "method": INVALID_MESSAGE, "params": params }))
            .collect()
    };
    msgs.iter()
        .map(|m| framed(&serde_json::to_vec(m).unwrap_or_default()))
        .collect()
}

/// An `AsyncRead` over frames sent by the reader thread.
pub struct FramedStdin {
    rx: mpsc::Receiver<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
    /// Notified once every frame has been handed over and input has ended.
    ended: Arc<Notify>,
}

impl AsyncRead for FramedStdin {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        loop {
            if self.pos < self.current.len() {
                let n = buf.remaining().min(self.current.len() - self.pos);
                let start = self.pos;
                buf.put_slice(&self.current[start..start + n]);
                self.pos += n;
                return Poll::Ready(Ok(()));
            }
            match self.rx.poll_recv(cx) {
                Poll::Ready(Some(frame)) => {
                    self.current = frame;
                    self.pos = 0;
                }
                // End of input: a read of zero bytes.
                Poll::Ready(None) => {
                    self.ended.notify_one();
                    return Poll::Ready(Ok(()));
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// Starts the reader thread over the process's stdin; `ended` is notified when the
/// server has read the last frame.
pub fn stdin(ended: Arc<Notify>) -> FramedStdin {
    let (tx, rx) = mpsc::channel::<Vec<u8>>(64);
    std::thread::Builder::new()
        .name("copydesk-lsp-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut r = FrameReader::new(stdin.lock());
            loop {
                let out = match r.next_frame() {
                    Ok(Some(Frame::Message(body))) => vec![framed(&body)],
                    Ok(Some(Frame::Bad(bad))) => {
                        eprintln!("copydesk lsp: ignored {} (JSON-RPC error {})", bad.message, bad.code);
                        report_messages(&bad)
                    }
                    Ok(Some(Frame::Skipped(problem))) => {
                        eprintln!("copydesk lsp: ignored {problem}");
                        report_messages(&Bad {
                            code: PARSE_ERROR,
                            message: problem,
                            ids: Vec::new(),
                        })
                    }
                    Ok(None) | Err(_) => break,
                };
                for frame in out {
                    if tx.blocking_send(frame).is_err() {
                        return;
                    }
                }
            }
        })
        .ok();
    FramedStdin {
        rx,
        current: Vec::new(),
        pos: 0,
        ended,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8], max: fn() -> u64) -> Vec<Frame> {
        let mut r = FrameReader::with_limit(input, max);
        let mut out = Vec::new();
        while let Some(f) = r.next_frame().unwrap() {
            out.push(f);
        }
        out
    }

    fn big() -> u64 {
        1 << 20
    }

    fn small() -> u64 {
        64
    }

    const GOOD: &str = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn messages(fs: &[Frame]) -> usize {
        fs.iter().filter(|f| matches!(f, Frame::Message(_))).count()
    }

    #[test]
    fn good_frames_pass_and_garbage_is_reported() {
        let input = format!(
            "{}Content-Length: 9\r\n\r\n{{garbage}}\r\nX-Other: 1\r\n\r\n{}Content-Length: {}\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{GOOD}",
            frame(GOOD),
            frame(GOOD),
            GOOD.len()
        );
        let fs = frames(input.as_bytes(), big);
        assert_eq!(messages(&fs), 3, "{fs:?}");
        assert!(matches!(&fs[1], Frame::Bad(b) if b.code == PARSE_ERROR));
    }

    #[test]
    fn not_json_rpc_is_invalid_request_with_the_id() {
        for (body, ids) in [
            ("{}", vec![]),
            ("[]", vec![]),
            ("null", vec![]),
            (
                r#"[{"jsonrpc":"2.0","id":4,"method":"x"},{"jsonrpc":"2.0","method":"y"}]"#,
                vec![json!(4)],
            ),
            (r#"{"id":5,"method":"shutdown"}"#, vec![json!(5)]),
            (r#"{"jsonrpc":"1.0","id":"a","method":"shutdown"}"#, vec![json!("a")]),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#, vec![]),
            (r#"{"jsonrpc":"2.0","id":6,"method":7}"#, vec![json!(6)]),
        ] {
            let bad = classify(body.as_bytes()).unwrap_err();
            assert_eq!(bad.code, INVALID_REQUEST, "{body}");
            assert_eq!(bad.ids, ids, "{body}");
        }
    }

    #[test]
    fn undecodable_json_is_a_parse_error_with_the_id_when_it_can_be_found() {
        let surrogate = r#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"x":"\ud800"}}"#;
        let bad = classify(surrogate.as_bytes()).unwrap_err();
        assert_eq!((bad.code, bad.ids), (PARSE_ERROR, vec![json!(7)]));
        let mut utf8 = br#"{"jsonrpc":"2.0","id":8,"method":"x","params":{"x":""#.to_vec();
        utf8.extend_from_slice(&[0xff, 0xfe]);
        utf8.extend_from_slice(b"\"}}");
        let bad = classify(&utf8).unwrap_err();
        assert_eq!((bad.code, bad.ids), (PARSE_ERROR, vec![json!(8)]));
        let deep = format!(
            r#"{{"jsonrpc":"2.0","id":9,"method":"x","params":{}{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(classify(deep.as_bytes()).unwrap_err().code, PARSE_ERROR);
        assert!(classify(GOOD.as_bytes()).is_ok());
        assert!(classify(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_ok());
    }

    #[test]
    fn an_oversized_or_unreadable_length_resynchronizes_on_the_next_header() {
        for bad_header in [
            "Content-Length: 1000000000000\r\n\r\n".to_string(),
            "Content-Length: abc\r\n\r\n".to_string(),
            "Content-Length: -5\r\n\r\n".to_string(),
            "Content-Length: 100\r\n\r\n".to_string(),
            "X-Nothing: 1\r\n\r\n".to_string(),
        ] {
            // The body mentions Content-Length inside a string: not a header.
            let body = r#"{"jsonrpc":"2.0","method":"x","params":{"t":"Content-Length: 3"}}"#;
            let input = format!("{bad_header}{body}{}{}", frame(GOOD), frame(GOOD));
            let fs = frames(input.as_bytes(), small);
            assert_eq!(messages(&fs), 2, "{bad_header:?}: {fs:?}");
            if bad_header.contains("1000000000000") {
                // Skipped as one JSON value: the text inside is not taken for a header.
                assert_eq!(fs.len(), 3, "{bad_header:?}: {fs:?}");
            }
        }
    }

    #[test]
    fn a_wrong_length_loses_only_its_own_message() {
        let input = format!(
            "Content-Length: 10\r\n\r\n{GOOD}{}Content-Length: {}\r\n\r\n{GOOD}",
            frame(GOOD),
            GOOD.len() + 5
        );
        let fs = frames(input.as_bytes(), big);
        // The first is cut short; the last, too long, still reads at the end of input.
        assert_eq!(messages(&fs), 2, "{fs:?}");
        let too_long = format!("Content-Length: {}\r\n\r\n{GOOD}{}", GOOD.len() + 40, frame(GOOD));
        assert_eq!(messages(&frames(too_long.as_bytes(), big)), 2);
    }

    #[test]
    fn long_header_lines_are_skipped_in_bounded_memory() {
        let mut input = vec![b'x'; 100_000];
        input.extend_from_slice(frame(GOOD).as_bytes());
        let fs = frames(&input, big);
        assert_eq!(messages(&fs), 1, "{fs:?}");
        assert!(matches!(&fs[0], Frame::Skipped(_)));
    }

    /// Failures the fuzz harness found, kept as plain tests.
    #[test]
    fn fuzz_regressions() {
        let inner = r#"{"jsonrpc":"2.0","method":"$/n","params":["Content-Length: 12\r\n\r\n{}",{"k":[1,null]}]}"#;
        // A header inserted inside a string of a body: resynchronized on the header after.
        let body = r#"{"jsonrpc":"2.0","method":"x","params":{"t":"AAaA Aaa"}}"#;
        let (a, b) = body.split_at(50);
        let input = format!(
            "Content-Length: {}\r\n\r\n{a}Content-Length: 99999999999\r\n\r\n{b}{}{}",
            body.len(),
            frame(GOOD),
            frame(GOOD)
        );
        assert_eq!(messages(&frames(input.as_bytes(), small)), 2);
        // Damage at a body's start makes a header inside one of its strings look real.
        let mut input = format!("{}{}{}", frame(inner), frame(inner), frame(GOOD)).into_bytes();
        input[22] = b'x';
        let fs = frames(&input, big);
        assert!(
            matches!(fs.last(), Some(Frame::Message(b)) if b == GOOD.as_bytes()),
            "{fs:?}"
        );
        // A line break turned into a digit: the length swallows the next messages.
        let mut input = format!("{}{}{}", frame(inner), frame(GOOD), frame(GOOD)).into_bytes();
        let cr = input.iter().position(|&b| b == b'\r').unwrap();
        input[cr] = b'4';
        assert_eq!(
            messages(&frames(&input, big)),
            3,
            "the first value of the long body is kept"
        );
    }

    /// The fuzz harness: random and mutated frame streams. Bounded (a fixed number of
    /// cases, inputs of a few KiB), so it runs inside `cargo test`; crashes it found are
    /// kept as the regression tests above and in `stdio.proptest-regressions`.
    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        fn tiny() -> u64 {
            2048
        }

        /// A valid message whose params hold text that looks like framing.
        fn message() -> impl Strategy<Value = Vec<u8>> {
            let text = prop_oneof![
                "[a-zA-Z0-9 ]{0,20}",
                Just("Content-Length: 12\r\n\r\n{}".to_string()),
                Just("\"}]{[\\".to_string()),
                "\\PC{0,10}",
            ];
            (0i64..1000, text, any::<bool>()).prop_map(|(id, text, request)| {
                let v = if request {
                    json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": { "t": text } })
                } else {
                    json!({ "jsonrpc": "2.0", "method": "$/n", "params": [text, { "k": [1, null] }] })
                };
                serde_json::to_vec(&v).unwrap()
            })
        }

        fn stream(bodies: &[Vec<u8>]) -> (Vec<u8>, Vec<usize>) {
            let mut out = Vec::new();
            let mut starts = Vec::new();
            for b in bodies {
                starts.push(out.len());
                out.extend_from_slice(&framed(b));
            }
            (out, starts)
        }

        #[derive(Debug, Clone)]
        enum Mutation {
            Flip(usize, u8),
            Insert(usize, Vec<u8>),
            Delete(usize, usize),
        }

        fn mutation() -> impl Strategy<Value = Mutation> {
            let junk = prop_oneof![
                prop::collection::vec(any::<u8>(), 1..8),
                Just(b"Content-Length: 99999999999\r\n\r\n".to_vec()),
                Just(b"Content-Length: x\r\n\r\n".to_vec()),
                Just(b"\r\n\r\n".to_vec()),
                Just(b"\"".to_vec()),
                Just(b"{[".to_vec()),
            ];
            prop_oneof![
                (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
                (any::<usize>(), junk).prop_map(|(i, j)| Mutation::Insert(i, j)),
                (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
            ]
        }

        /// Applies a mutation; returns the byte position it touched.
        fn mutate(input: &mut Vec<u8>, m: &Mutation) -> usize {
            let len = input.len().max(1);
            match m {
                Mutation::Flip(i, b) => {
                    let i = i % len;
                    if let Some(x) = input.get_mut(i) {
                        *x ^= b | 1;
                    }
                    i
                }
                Mutation::Insert(i, j) => {
                    let i = i % (input.len() + 1);
                    input.splice(i..i, j.iter().copied());
                    i
                }
                Mutation::Delete(i, n) => {
                    let i = i % len;
                    let end = (i + n).min(input.len());
                    input.drain(i..end);
                    i
                }
            }
        }

        fn read_all(input: &[u8]) -> Vec<Frame> {
            let mut r = FrameReader::with_limit(input, tiny);
            let mut out = Vec::new();
            // Every call consumes input, so this ends; the bound catches a loop.
            for _ in 0..input.len() + 2 {
                match r.next_frame().unwrap() {
                    Some(f) => out.push(f),
                    None => return out,
                }
                assert!(
                    r.buf.len() <= tiny() as usize + (1 << 17),
                    "buffer grew to {}",
                    r.buf.len()
                );
            }
            panic!("the reader did not reach the end of {} bytes", input.len());
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

            #[test]
            fn arbitrary_bytes_never_panic_or_hang(input in prop::collection::vec(any::<u8>(), 0..3000)) {
                for f in read_all(&input) {
                    if let Frame::Message(body) = f {
                        prop_assert!(classify(&body).is_ok());
                    }
                }
            }

            #[test]
            fn honest_streams_read_back_exactly(bodies in prop::collection::vec(message(), 0..8)) {
                let (input, _) = stream(&bodies);
                let got: Vec<Frame> = read_all(&input);
                let want: Vec<Frame> = bodies.into_iter().map(Frame::Message).collect();
                prop_assert_eq!(got, want);
            }

            /// After a mutation, every message from the second frame after the damaged one
            /// is still read, and anything passed on decodes.
            #[test]
            fn damage_loses_at_most_the_damaged_and_the_next_message(
                bodies in prop::collection::vec(message(), 1..8),
                m in mutation(),
            ) {
                let (mut input, starts) = stream(&bodies);
                let at = mutate(&mut input, &m);
                let damaged = starts.iter().rposition(|&s| s <= at).unwrap_or(0);
                let frames = read_all(&input);
                let got: Vec<&Vec<u8>> = frames
                    .iter()
                    .filter_map(|f| match f {
                        Frame::Message(b) => Some(b),
                        _ => None,
                    })
                    .collect();
                for b in &got {
                    prop_assert!(classify(b).is_ok());
                }
                let tail = &bodies[(damaged + 2).min(bodies.len())..];
                prop_assert!(
                    got.len() >= tail.len() && got[got.len() - tail.len()..].iter().zip(tail).all(|(a, b)| *a == b),
                    "lost messages after the damage at {} (frame {}): got {:?}",
                    at,
                    damaged,
                    frames
                );
            }
        }
    }
}
