//! Property test: any sequence of incremental edits, in any position encoding, leaves the
//! server's copy of a document equal to the client's.

mod lsp_common;

use lsp_common::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "Hòa",
        "Ho\u{300}a",
        "đường",
        "\u{1EC7}",
        "😀",
        "👩\u{200d}💻",
        "𝔸",
        " ",
        "\n",
        "\r\n",
        "\r",
        "“",
        "”",
        "5KM",
        "quá trời",
        "  ",
        " 7 KM",
        "",
    ])
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..30).prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
enum Op {
    /// Replace `len` characters from character `at` (both taken modulo the text).
    Replace { at: usize, len: usize, with: String },
    /// Replace the whole document (a change without a range).
    Full(String),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => (any::<usize>(), 0usize..6, prop::collection::vec(piece(), 0..3))
            .prop_map(|(at, len, with)| Op::Replace { at, len, with: with.concat() }),
        1 => text().prop_map(Op::Full),
    ]
}

/// The byte offset of character `i`, moved past a `\n` that follows a `\r` (there is no
/// LSP position between the two).
fn char_offset(text: &str, i: usize) -> usize {
    let mut off = text.char_indices().nth(i).map_or(text.len(), |(o, _)| o);
    if off > 0 && text.as_bytes()[off - 1] == b'\r' && text.as_bytes().get(off) == Some(&b'\n') {
        off += 1;
    }
    off
}

fn run(initial: String, batches: Vec<Vec<Op>>, enc: &'static str, check_each: bool) -> Result<(), TestCaseError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let ws = workspace(RULES);
        let root = root(&ws);
        let (c, _server) = LspClient::in_process();
        c.initialize(capabilities(&[enc]), json!({ "debounceMs": 0 }), &root)
            .await;
        let uri = uri(&root.join("p.txt"));
        let mut text = initial;
        c.open(&uri, "plaintext", 1, &text).await;
        let mut version = 1;
        for batch in batches {
            let mut changes = Vec::new();
            for op in batch {
                match op {
                    Op::Full(t) => {
                        changes.push(json!({ "text": t }));
                        text = t;
                    }
                    Op::Replace { at, len, with } => {
                        let n = text.chars().count();
                        let a = at % (n + 1);
                        let b = (a + len).min(n);
                        let (s, e) = (char_offset(&text, a), char_offset(&text, b).max(char_offset(&text, a)));
                        changes.push(json!({
                            "range": { "start": naive_position(&text, s, enc), "end": naive_position(&text, e, enc) },
                            "text": with,
                        }));
                        text.replace_range(s..e, &with);
                    }
                }
            }
            version += 1;
            c.change(&uri, version, Value::Array(changes)).await;
            if check_each {
                // Diagnostics after incremental edits (which reuse unchanged ones) equal
                // those of the same text opened fresh.
                let got = c.diagnostics(&uri, Some(version)).await;
                let fresh = uri.replace("p.txt", &format!("fresh{version}.txt"));
                c.open(&fresh, "plaintext", 1, &text).await;
                let want = c.diagnostics(&fresh, Some(1)).await;
                prop_assert_eq!(got, want, "text {:?}", text);
                c.notify("textDocument/didClose", json!({ "textDocument": { "uri": fresh } }))
                    .await;
            }
        }
        let server = c.server_text(&uri).await;
        prop_assert_eq!(server, text);
        if !check_each {
            // The server still answers with diagnostics for the last version.
            c.diagnostics(&uri, Some(version)).await;
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_keep_server_and_client_texts_equal(
        initial in text(),
        batches in prop::collection::vec(prop::collection::vec(op(), 1..4), 1..12),
        enc in prop::sample::select(vec!["utf-8", "utf-16", "utf-32"]),
    ) {
        run(initial, batches, enc, false)?;
    }

    #[test]
    fn diagnostics_after_edits_equal_a_fresh_check(
        initial in text(),
        batches in prop::collection::vec(prop::collection::vec(op(), 1..3), 1..10),
        enc in prop::sample::select(vec!["utf-8", "utf-16", "utf-32"]),
    ) {
        run(initial, batches, enc, true)?;
    }
}
