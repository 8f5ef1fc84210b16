//! Standard input, framed and checked before the protocol library sees it.
//!
//! The library's decoder stops reading for good after one message whose body is not JSON,
//! which would end the session. A thread reads stdin, validates each frame, drops (and
//! reports on stderr) the malformed ones, and hands the good ones over a channel that
//! implements `AsyncRead`. The thread also means that a client keeping stdin open after
//! `exit` cannot keep the process alive.

use std::io::BufRead;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;

/// Reads one frame's body; `Ok(None)` at the end of input.
fn read_frame(r: &mut impl BufRead) -> std::io::Result<Option<Result<Vec<u8>, String>>> {
    let mut len: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((k, v)) = text.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().ok();
            }
        }
    }
    let Some(n) = len else {
        return Ok(Some(Err("a message without a valid Content-Length header".into())));
    };
    let mut body = vec![0; n];
    r.read_exact(&mut body)?;
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
        return Ok(Some(Err(format!("a message that is not JSON ({n} bytes): {e}"))));
    }
    Ok(Some(Ok(body)))
}

/// An `AsyncRead` over frames sent by the reader thread.
pub struct FramedStdin {
    rx: mpsc::Receiver<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
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
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// Starts the reader thread over the process's stdin.
pub fn stdin() -> FramedStdin {
    let (tx, rx) = mpsc::channel::<Vec<u8>>(64);
    std::thread::Builder::new()
        .name("copydesk-lsp-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut r = std::io::BufReader::with_capacity(1 << 16, stdin.lock());
            loop {
                match read_frame(&mut r) {
                    Ok(Some(Ok(body))) => {
                        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
                        frame.extend_from_slice(&body);
                        if tx.blocking_send(frame).is_err() {
                            return;
                        }
                    }
                    Ok(Some(Err(problem))) => eprintln!("copydesk lsp: ignored {problem}"),
                    Ok(None) | Err(_) => return,
                }
            }
        })
        .ok();
    FramedStdin {
        rx,
        current: Vec::new(),
        pos: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_validated_and_garbage_is_skipped() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Length: 9\r\n\r\n{garbage}\r\nX-Other: 1\r\n\r\nContent-Length: 4\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1,2]";
        let mut r = std::io::Cursor::new(&input[..]);
        assert_eq!(read_frame(&mut r).unwrap(), Some(Ok(b"{}".to_vec())));
        assert!(matches!(read_frame(&mut r).unwrap(), Some(Err(_))));
        assert!(matches!(read_frame(&mut r).unwrap(), Some(Err(_))));
        assert!(
            matches!(read_frame(&mut r).unwrap(), Some(Err(_))),
            "[1,2 is cut at 4 bytes"
        );
        assert_eq!(read_frame(&mut r).unwrap(), None);
    }
}
