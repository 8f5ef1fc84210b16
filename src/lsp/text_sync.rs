//! `didOpen`, `didChange`, `didClose`: applied to the document ropes synchronously, in
//! the order the client sent them (see `guard.rs`), then a check is scheduled.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ropey::Rope;

use super::diagnostics;
use super::proto::{self, lsp};
use super::state::{lock, Dirty, DocKind, OpenDoc, Shared};
use crate::config::find_config;
use crate::text::Encoding;

/// Applies one text-sync notification. Returns messages to log.
pub fn apply(shared: &Arc<Shared>, method: &str, params: Option<serde_json::Value>) -> Vec<String> {
    let params = params.unwrap_or(serde_json::Value::Null);
    match method {
        "textDocument/didOpen" => match serde_json::from_value::<lsp::DidOpenTextDocumentParams>(params) {
            Ok(p) => open(shared, p),
            Err(e) => vec![format!("copydesk: ignored a malformed didOpen: {e}")],
        },
        "textDocument/didChange" => match serde_json::from_value::<lsp::DidChangeTextDocumentParams>(params) {
            Ok(p) => change(shared, p),
            Err(e) => vec![format!("copydesk: ignored a malformed didChange: {e}")],
        },
        "textDocument/didClose" => match serde_json::from_value::<lsp::DidCloseTextDocumentParams>(params) {
            Ok(p) => close(shared, p),
            Err(e) => vec![format!("copydesk: ignored a malformed didClose: {e}")],
        },
        _ => Vec::new(),
    }
}

fn open(shared: &Arc<Shared>, p: lsp::DidOpenTextDocumentParams) -> Vec<String> {
    let item = p.text_document;
    let path = proto::path_of(&item.uri);
    let kind = DocKind::of(path.as_deref(), &item.uri, &item.language_id);
    let config = match &path {
        Some(p) => find_config(p),
        None => shared.session().roots.first().and_then(|r| find_config(r)),
    };
    let generation = shared.next_generation();
    let doc = OpenDoc {
        path,
        kind,
        rope: Rope::from_str(&item.text),
        version: item.version,
        generation,
        config,
        cache: Arc::new(Mutex::new(Default::default())),
        latest: None,
        published: 0,
        dirty: None,
    };
    lock(&shared.docs).insert(item.uri.clone(), doc);
    match kind {
        DocKind::Prose(_) => diagnostics::schedule(shared, item.uri, generation, Duration::ZERO),
        DocKind::RuleFile | DocKind::Config => {
            let s = shared.clone();
            tokio::spawn(async move { diagnostics::publish_problems(&s).await });
        }
    }
    Vec::new()
}

/// An applied edit: bytes `start..end` replaced by `inserted` bytes; whether line breaks
/// were touched.
pub type ByteEdit = (usize, usize, usize, bool);

/// Applies one content change to a rope. Returns a message when the range had to be
/// clamped, and the edit as `(start, end, inserted bytes, line breaks touched)`, or
/// `None` for a whole-document replacement.
pub fn apply_change(
    rope: &mut Rope,
    change: lsp::TextDocumentContentChangeEvent,
    encoding: Encoding,
) -> (Option<String>, Option<ByteEdit>) {
    let Some(range) = change.range else {
        *rope = Rope::from_str(&change.text);
        return (None, None);
    };
    let lines = crate::text::LineIndex::from_rope(rope.clone());
    let (bytes, clamped) = proto::byte_range(&lines, range, encoding);
    let start = rope.byte_to_char(bytes.start);
    let end = rope.byte_to_char(bytes.end);
    let breaks = |c: char| c == '\n' || c == '\r';
    // A break next to the edit can join or split a CRLF pair: count it as touched.
    let around = |i: usize| i < rope.len_chars() && breaks(rope.char(i));
    let lines_changed = change.text.contains(breaks)
        || rope.slice(start..end).chars().any(breaks)
        || around(end)
        || (start > 0 && around(start - 1));
    if end > start {
        rope.remove(start..end);
    }
    if !change.text.is_empty() {
        rope.insert(start, &change.text);
    }
    let message = clamped.then(|| {
        format!(
            "copydesk: an edit range {}:{}-{}:{} was outside the document or inside a character; clamped",
            range.start.line, range.start.character, range.end.line, range.end.character
        )
    });
    (
        message,
        Some((bytes.start, bytes.end, change.text.len(), lines_changed)),
    )
}

fn change(shared: &Arc<Shared>, p: lsp::DidChangeTextDocumentParams) -> Vec<String> {
    let encoding = shared.encoding();
    let uri = p.text_document.uri;
    let mut logs = Vec::new();
    let (generation, kind, delay) = {
        let mut docs = lock(&shared.docs);
        let Some(doc) = docs.get_mut(&uri) else {
            return vec![format!(
                "copydesk: didChange for {} which is not open; ignored",
                uri.as_str()
            )];
        };
        for c in p.content_changes {
            let (message, edit) = apply_change(&mut doc.rope, c, encoding);
            if let Some(m) = message {
                logs.push(format!("{m} (in {})", uri.as_str()));
            }
            doc.dirty = Some(match edit {
                Some((start, end, inserted, lines)) => Dirty::add(doc.dirty, start, end, inserted, lines),
                None => Dirty::all(doc.rope.len_bytes()),
            });
        }
        doc.version = p.text_document.version;
        doc.generation = shared.next_generation();
        (doc.generation, doc.kind, shared.session().settings.debounce())
    };
    if let DocKind::Prose(_) = kind {
        diagnostics::schedule(shared, uri, generation, delay);
    }
    logs
}

fn close(shared: &Arc<Shared>, p: lsp::DidCloseTextDocumentParams) -> Vec<String> {
    let uri = p.text_document.uri;
    let removed = lock(&shared.docs).remove(&uri);
    let Some(doc) = removed else {
        return Vec::new();
    };
    // Projects no open document uses are freed (a few recent ones are kept).
    let used = diagnostics::used_configs(shared);
    let freed = {
        let mut ws = lock(&shared.workspace);
        let before = ws.len();
        ws.retain(&used);
        before > ws.len()
    };
    let s = shared.clone();
    tokio::spawn(async move {
        if freed {
            let _ = tokio::task::spawn_blocking(move || {
                drop(doc.latest);
                drop(doc.cache);
                super::trim_heap();
            })
            .await;
        }
        match doc.kind {
            DocKind::Prose(_) => {
                if !s.session().caps.pull {
                    let _g = s.publish.lock().await;
                    s.client.publish_diagnostics(uri, Vec::new(), None).await;
                }
            }
            // Its example failures go; its load errors stay (they do not need it open).
            DocKind::RuleFile | DocKind::Config => diagnostics::publish_problems(&s).await,
        }
    });
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> lsp::TextDocumentContentChangeEvent {
        lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(lsp::Position::new(l1, c1), lsp::Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn edits_apply_in_each_encoding_and_clamp() {
        let mut r = Rope::from_str("😀a\r\nb");
        assert!(apply_change(&mut r, change(0, 2, 0, 3, "X"), Encoding::Utf16)
            .0
            .is_none());
        assert_eq!(r.to_string(), "😀X\r\nb");
        assert!(apply_change(&mut r, change(0, 1, 0, 2, "Y"), Encoding::Utf32)
            .0
            .is_none());
        assert_eq!(r.to_string(), "😀Y\r\nb");
        assert!(apply_change(&mut r, change(1, 0, 1, 1, "c"), Encoding::Utf8)
            .0
            .is_none());
        assert_eq!(r.to_string(), "😀Y\r\nc");
        assert!(apply_change(&mut r, change(9, 0, 9, 9, "!"), Encoding::Utf16)
            .0
            .is_some());
        assert_eq!(r.to_string(), "😀Y\r\nc!");
        // Reversed range: swapped and reported.
        assert!(apply_change(&mut r, change(0, 3, 0, 2, ""), Encoding::Utf16)
            .0
            .is_some());
        assert_eq!(r.to_string(), "😀\r\nc!");
        // Typing next to a line break touches lines; typing inside a line does not.
        assert!(
            apply_change(&mut r, change(0, 2, 0, 2, "a"), Encoding::Utf16)
                .1
                .unwrap()
                .3
        );
        assert!(
            !apply_change(&mut r, change(0, 2, 0, 2, "b"), Encoding::Utf16)
                .1
                .unwrap()
                .3
        );
    }

    #[test]
    fn dirty_regions_accumulate() {
        // Insert 2 bytes at 10, then delete 3 bytes at 4..7.
        let d = Dirty::add(None, 10, 10, 2, false);
        assert_eq!((d.lo, d.hi, d.delta), (10, 12, 2));
        let d = Dirty::add(Some(d), 4, 7, 0, false);
        assert_eq!((d.lo, d.hi, d.delta), (4, 9, -1));
        // An edit after the region extends it.
        let d = Dirty::add(Some(d), 20, 21, 5, true);
        assert_eq!((d.lo, d.hi, d.delta, d.lines_changed), (4, 25, 3, true));
    }
}
