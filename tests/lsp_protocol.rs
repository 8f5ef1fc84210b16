//! The language server in process, over in-memory pipes: encodings, text sync, push and
//! pull diagnostics, code actions, reloads, robustness.

mod lsp_common;

use std::time::Duration;

use lsp_common::*;
use serde_json::{json, Value};

async fn started(caps: Value, options: Value) -> (LspClient, tempfile::TempDir, std::path::PathBuf) {
    let ws = workspace(RULES);
    let root = root(&ws);
    let (client, _server) = LspClient::in_process();
    client.initialize(caps, options, &root).await;
    (client, ws, root)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_position_encoding_gives_exact_spans_after_nfd_and_emoji() {
    let cases: &[(&[&str], &str)] = &[
        (&["utf-8"], "utf-8"),
        (&["utf-16"], "utf-16"),
        (&["utf-32", "utf-16"], "utf-32"),
        (&["latin-1", "utf-8", "utf-16"], "utf-8"),
        (&[], "utf-16"),
    ];
    // NFD Vietnamese and astral characters before every span; CRLF and CR line breaks.
    let text = "Tiêu đề\n\nNgười dân Ho\u{300}a Bi\u{300}nh 😀👩\u{200d}💻 nói: đường dài 5KM, quá trời.\r\nDòng 2: 𝔸 7 KM\rTP. Hồ Chí Minh\n";
    for (offer, expected) in cases {
        let (c, _ws, root) = started(capabilities(offer), json!({ "debounceMs": 0 })).await;
        let uri = uri(&root.join("a.txt"));
        c.open(&uri, "plaintext", 1, text).await;
        let diags = c.diagnostics(&uri, Some(1)).await;
        let found: Vec<(&str, &str)> = vec![
            ("t/units.km", "5KM"),
            ("t/words.banned", "quá trời"),
            ("t/units.km", "7 KM"),
            ("t/names.hcm", "TP. Hồ Chí Minh"),
        ];
        assert_eq!(diags.len(), found.len(), "{offer:?}: {diags:#?}");
        for ((code, span), d) in found.iter().zip(&diags) {
            let start = text.find(span).unwrap();
            assert_eq!(d["code"], *code);
            assert_eq!(d["source"], "copydesk");
            assert_eq!(
                d["range"]["start"],
                naive_position(text, start, expected),
                "{offer:?} {span}"
            );
            assert_eq!(
                d["range"]["end"],
                naive_position(text, start + span.len(), expected),
                "{offer:?} {span}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_reports_the_negotiated_encoding_and_capabilities() {
    for (offer, expected) in [(vec!["utf-32"], "utf-32"), (vec![], "utf-16"), (vec!["utf-8"], "utf-8")] {
        let ws = workspace(RULES);
        let (c, _server) = LspClient::in_process();
        let r = c.initialize(capabilities(&offer), Value::Null, &root(&ws)).await;
        let caps = &r["capabilities"];
        assert_eq!(caps["positionEncoding"], expected);
        assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental");
        assert!(caps["codeActionProvider"]["codeActionKinds"]
            .as_array()
            .unwrap()
            .contains(&json!("source.fixAll.copydesk")));
        assert_eq!(caps["hoverProvider"], true);
        assert!(
            caps.get("diagnosticProvider").is_none(),
            "push client: no pull provider"
        );
        // The watcher registration comes as a server request.
        let reg = c
            .wait_for("registerCapability", |m| m["method"] == "client/registerCapability")
            .await;
        let watchers = &reg["params"]["registrations"][0]["registerOptions"]["watchers"];
        assert_eq!(watchers[0]["globPattern"], "**/.copydesk.toml");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_client_that_cannot_be_refreshed_gets_pushed_diagnostics() {
    // Neovim 0.11 pulls but has no refresh support: pulling would leave stale results
    // on screen after a reload, so the server pushes instead.
    let ws = workspace(RULES);
    let (c, _server) = LspClient::in_process();
    let mut caps = pull_capabilities(&[]);
    caps["workspace"]["diagnostics"]["refreshSupport"] = json!(false);
    let r = c.initialize(caps, Value::Null, &root(&ws)).await;
    assert!(r["capabilities"].get("diagnosticProvider").is_none());
    let ws2 = workspace(RULES);
    let (c2, _server2) = LspClient::in_process();
    let r2 = c2.initialize(pull_capabilities(&[]), Value::Null, &root(&ws2)).await;
    assert!(
        r2["capabilities"].get("diagnosticProvider").is_some(),
        "a refreshable pull client pulls"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_carry_code_link_source_severity_and_fix_data() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.md"));
    let text = "# Tin\n\nDài 5KM,  quá trời. `5KM` trong mã.\n";
    c.open(&uri, "markdown", 3, text).await;
    let d = c.diagnostics(&uri, Some(3)).await;
    let codes: Vec<&str> = d.iter().map(|x| x["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["t/units.km", "t/spacing.double", "t/words.banned"], "{d:#?}");
    assert_eq!(d[0]["codeDescription"]["href"], "https://example.com/rules/units-km");
    assert_eq!(d[0]["severity"], 2);
    assert_eq!(d[1]["severity"], 3);
    assert_eq!(d[2]["severity"], 1);
    // `data`: [[title, safe, [[start line, start char, end line, end char, new text]]]]
    let km = "Dài ".encode_utf16().count();
    assert_eq!(
        d[0]["data"],
        json!([["Replace with “5 km”", true, [[2, km, 2, km + 3, "5 km"]]]])
    );
    assert_eq!(d[1]["data"][0][0], "Use one space");
    assert!(d[2].get("data").is_none(), "no fixes, no data");
}

/// Types `text` one character at a time at the end of the document, without waiting.
async fn type_at_end(c: &LspClient, uri: &str, current: &mut String, version: &mut i64, text: &str) {
    for ch in text.chars() {
        let pos = naive_position(current, current.len(), "utf-16");
        *version += 1;
        c.change(
            uri,
            *version,
            json!([{ "range": { "start": pos, "end": pos }, "text": ch.to_string() }]),
        )
        .await;
        current.push(ch);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_of_edits_apply_in_order_and_old_results_never_overwrite_new_ones() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("burst.txt"));
    let mut text = String::from("Tiêu đề\n\n");
    let mut version = 1;
    c.open(&uri, "plaintext", version, &text).await;
    type_at_end(
        &c,
        &uri,
        &mut text,
        &mut version,
        "Người dân Ho\u{300}a 😀 nói đường dài 5KM. Quá trời luôn, 7 KM nữa.\r\nTP. Hồ Chí Minh 👩\u{200d}💻",
    )
    .await;
    // Deletions and replacements in the middle, several changes per notification.
    let a = text.find("Người").unwrap();
    let b = text.find("nói").unwrap();
    version += 1;
    c.change(
        &uri,
        version,
        json!([
            { "range": { "start": naive_position(&text, b, "utf-16"), "end": naive_position(&text, b + "nói".len(), "utf-16") }, "text": "kể" },
            { "range": { "start": naive_position(&text, a, "utf-16"), "end": naive_position(&text, a, "utf-16") }, "text": "😀 " },
        ]),
    )
    .await;
    text.replace_range(b..b + "nói".len(), "kể");
    text.insert_str(a, "😀 ");
    assert_eq!(c.server_text(&uri).await, text);
    let last = c.diagnostics(&uri, Some(version)).await;
    assert_eq!(last.len(), 4, "{last:#?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let versions: Vec<i64> = c
        .received(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str())
        .await
        .iter()
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    assert!(versions.is_empty() || *versions.last().unwrap() <= version);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debounced_typing_publishes_only_for_the_last_version() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 150 })).await;
    let uri = uri(&root.join("slow.txt"));
    let mut text = String::new();
    let mut version = 1;
    c.open(&uri, "plaintext", version, &text).await;
    c.diagnostics(&uri, Some(1)).await;
    type_at_end(&c, &uri, &mut text, &mut version, "dài 5KM và 7 KM").await;
    let d = c.diagnostics(&uri, Some(version)).await;
    assert_eq!(d.len(), 2);
    let intermediate = c
        .received(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && m["params"]["version"].as_i64().is_some_and(|v| v > 1 && v < version)
        })
        .await;
    assert!(intermediate.is_empty(), "typing fast must not publish each keystroke");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fix_applies_and_the_problem_goes() {
    let (c, _ws, root) = started(capabilities(&["utf-16"]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.txt"));
    let text = "Tiêu đề 😀\n\nĐường dài 5KM.\n";
    c.open(&uri, "plaintext", 1, text).await;
    let d = c.diagnostics(&uri, Some(1)).await;
    assert_eq!(d.len(), 1);
    let actions = c
        .call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": d[0]["range"], "context": { "diagnostics": d } }),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Replace with “5 km”",
            "Disable t/units.km on this line",
            "Disable t/units.km in this project",
            "Fix all copydesk problems"
        ]
    );
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "t/units.km");
    assert_eq!(fix["edit"]["documentChanges"][0]["textDocument"]["version"], 1);
    let new = apply_edit(&c, &uri, text, 2, &fix["edit"], encoding_of("utf-16")).await;
    assert_eq!(new, "Tiêu đề 😀\n\nĐường dài 5 km.\n");
    assert_eq!(c.diagnostics(&uri, Some(2)).await, Vec::<Value>::new());
    assert_eq!(c.server_text(&uri).await, new);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_filters_by_kind_prefix_and_fix_all_reaches_a_fixpoint() {
    let (c, _ws, root) = started(capabilities(&["utf-8"]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.txt"));
    let text = "Tiêu đề\n\nDài 5KM,  rồi 7 KM. Quá trời!\nTP. Hồ Chí Minh  đẹp.\n";
    c.open(&uri, "plaintext", 1, text).await;
    let d = c.diagnostics(&uri, Some(1)).await;
    assert_eq!(d.len(), 6, "{d:#?}");
    let ask = |only: Value| {
        let d = d.clone();
        let uri = uri.clone();
        let c = &c;
        async move {
            c.call(
                "textDocument/codeAction",
                json!({ "textDocument": { "uri": uri },
                        "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 3, "character": 0 } },
                        "context": { "diagnostics": d, "only": only } }),
            )
            .await
        }
    };
    let source = ask(json!(["source.fixAll"])).await;
    assert_eq!(source.as_array().unwrap().len(), 1);
    assert_eq!(source[0]["kind"], "source.fixAll.copydesk");
    assert_eq!(source[0]["title"], "Fix all copydesk problems");
    assert_eq!(ask(json!(["source"])).await.as_array().unwrap().len(), 1);
    assert_eq!(ask(json!(["refactor"])).await.as_array().unwrap().len(), 0);
    let quick = ask(json!(["quickfix"])).await;
    assert!(quick.as_array().unwrap().iter().all(|a| a["kind"] == "quickfix"));
    assert!(quick
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["title"] == "Fix all t/units.km problems in this document"));
    // One minimal edit for all safe fixes, applied to a fixpoint.
    let edits = edits_for(&source[0]["edit"], &uri);
    assert_eq!(edits.len(), 1);
    let new = apply_edit(&c, &uri, text, 2, &source[0]["edit"], encoding_of("utf-8")).await;
    assert_eq!(new, "Tiêu đề\n\nDài 5 km, rồi 7 km. Quá trời!\nTP.HCM đẹp.\n");
    let left = c.diagnostics(&uri, Some(2)).await;
    assert_eq!(spans(&left).len(), 1);
    assert_eq!(left[0]["code"], "t/words.banned");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_command_applies_through_the_client() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.txt"));
    let text = "Dài 5KM, 7 KM.\n";
    c.open(&uri, "plaintext", 4, text).await;
    c.diagnostics(&uri, Some(4)).await;
    let r = c
        .call(
            "workspace/executeCommand",
            json!({ "command": "copydesk.fixAll", "arguments": [uri] }),
        )
        .await;
    assert_eq!(r["applied"], true);
    let edit = c.applied_edits.lock().unwrap()[0].clone();
    assert_eq!(edit["documentChanges"][0]["textDocument"]["version"], 4);
    assert_eq!(
        apply_text_edits(text, &edits_for(&edit, &uri), encoding_of("utf-16")),
        "Dài 5 km, 7 km.\n"
    );
    // Bad arguments are InvalidParams, not a crash.
    let bad = c
        .request(
            "workspace/executeCommand",
            json!({ "command": "copydesk.fixAll", "arguments": [] }),
        )
        .await;
    assert_eq!(bad["error"]["code"], -32602);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_is_resolved_lazily_when_the_client_can() {
    let mut caps = capabilities(&[]);
    caps["textDocument"]["codeAction"]["resolveSupport"] = json!({ "properties": ["edit"] });
    let (c, _ws, root) = started(caps, json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.txt"));
    c.open(&uri, "plaintext", 1, "Dài 5KM, 7 KM.\n").await;
    let d = c.diagnostics(&uri, Some(1)).await;
    let actions = c
        .call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": d[0]["range"], "context": { "diagnostics": d, "only": ["source.fixAll"] } }),
        )
        .await;
    assert!(actions[0].get("edit").is_none());
    let resolved = c.call("codeAction/resolve", actions[0].clone()).await;
    let edits = edits_for(&resolved["edit"], &uri);
    assert_eq!(
        apply_text_edits("Dài 5KM, 7 KM.\n", &edits, encoding_of("utf-16")),
        "Dài 5 km, 7 km.\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_on_this_line_keeps_indent_and_line_ending() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.md"));
    let text = "# Tin\r\n\r\n- Một\r\n\r\n   Dài 5KM. Quá trời.\r\n";
    c.open(&uri, "markdown", 1, text).await;
    let d = c.diagnostics(&uri, Some(1)).await;
    assert_eq!(d.len(), 2);
    let actions = c
        .call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": d[0]["range"], "context": { "diagnostics": [d[0].clone()] } }),
        )
        .await;
    let disable = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable t/units.km on this line")
        .unwrap()
        .clone();
    let new = apply_edit(&c, &uri, text, 2, &disable["edit"], encoding_of("utf-16")).await;
    assert_eq!(
        new,
        "# Tin\r\n\r\n- Một\r\n\r\n   <!-- copydesk-disable-next-line t/units.km -->\r\n   Dài 5KM. Quá trời.\r\n"
    );
    let left = c.diagnostics(&uri, Some(2)).await;
    assert_eq!(left.len(), 1, "{left:#?}");
    assert_eq!(left[0]["code"], "t/words.banned");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_in_project_edits_the_config_and_a_reload_applies_it() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.txt"));
    c.open(&uri, "plaintext", 1, "Dài 5KM. Quá trời.\n").await;
    let d = c.diagnostics(&uri, Some(1)).await;
    let actions = c
        .call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": d[0]["range"], "context": { "diagnostics": [d[0].clone()] } }),
        )
        .await;
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable t/units.km in this project")
        .unwrap()
        .clone();
    let config = root.join(".copydesk.toml");
    let config_uri = lsp_common::uri(&config);
    let changes = action["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "the config exists: no CreateFile");
    assert_eq!(changes[0]["textDocument"]["uri"], config_uri.as_str());
    assert_eq!(changes[0]["textDocument"]["version"], Value::Null);
    let before = std::fs::read_to_string(&config).unwrap();
    let after = apply_text_edits(&before, &edits_for(&action["edit"], &config_uri), encoding_of("utf-16"));
    assert_eq!(after, "packs = [\"./pk\"]\n\n[rules]\n\"t/units.km\" = \"off\"\n");
    std::fs::write(&config, after).unwrap();
    c.clear().await;
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": config_uri, "type": 2 }] }),
    )
    .await;
    let d = c.diagnostics(&uri, Some(1)).await;
    assert_eq!(spans(&d).len(), 1);
    assert_eq!(d[0]["code"], "t/words.banned");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_in_project_creates_the_config_when_there_is_none() {
    // No `.copydesk.toml`: the default pack plus the client's extra pack.
    let dir = tempfile::Builder::new().prefix("copydesk-lsp").tempdir().unwrap();
    let root = root(&dir);
    std::fs::create_dir_all(root.join("pk")).unwrap();
    std::fs::write(root.join("pk/rules.toml"), RULES).unwrap();
    let (c, _server) = LspClient::in_process();
    c.initialize(capabilities(&[]), json!({ "debounceMs": 0, "packs": ["./pk"] }), &root)
        .await;
    let uri = uri(&root.join("a.txt"));
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
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable t/units.km in this project")
        .unwrap()
        .clone();
    let ops = action["edit"]["documentChanges"].as_array().unwrap();
    let config_uri = lsp_common::uri(&root.join(".copydesk.toml"));
    assert_eq!(ops[0]["kind"], "create");
    assert_eq!(ops[0]["uri"], config_uri.as_str());
    let text = apply_text_edits("", &edits_for(&action["edit"], &config_uri), encoding_of("utf-16"));
    assert_eq!(text, "[rules]\n\"t/units.km\" = \"off\"\n");
    std::fs::write(root.join(".copydesk.toml"), text).unwrap();
    c.clear().await;
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": config_uri, "type": 1 }] }),
    )
    .await;
    let d = c.diagnostics(&uri, Some(1)).await;
    assert!(d.iter().all(|x| x["code"] != "t/units.km"), "{d:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_answer_unchanged_when_nothing_changed() {
    let (c, _ws, root) = started(pull_capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.txt"));
    let mut text = "Dài 5KM.\n".to_string();
    c.open(&uri, "plaintext", 1, &text).await;
    let first = c
        .call("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }))
        .await;
    assert_eq!(first["kind"], "full");
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let id = first["resultId"].as_str().unwrap().to_string();
    let again = c
        .call(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
        )
        .await;
    assert_eq!(again, json!({ "kind": "unchanged", "resultId": id }));
    // An edit that moves nothing: still unchanged.
    let mut version = 1;
    type_at_end(&c, &uri, &mut text, &mut version, "Thêm").await;
    let after = c
        .call(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
        )
        .await;
    assert_eq!(after["kind"], "unchanged");
    // A new problem: a full report with a new id.
    type_at_end(&c, &uri, &mut text, &mut version, " 7 KM").await;
    let changed = c
        .call(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
        )
        .await;
    assert_eq!(changed["kind"], "full");
    assert_eq!(changed["items"].as_array().unwrap().len(), 2);
    let new_id = changed["resultId"].as_str().unwrap().to_string();
    assert_ne!(new_id, id);
    // Workspace pull: open documents, `unchanged` for a known id.
    let ws = c
        .call(
            "workspace/diagnostic",
            json!({ "previousResultIds": [{ "uri": uri, "value": "stale" }] }),
        )
        .await;
    assert_eq!(ws["items"][0]["kind"], "full");
    assert_eq!(ws["items"][0]["version"], version);
    let ws = c
        .call(
            "workspace/diagnostic",
            json!({ "previousResultIds": [{ "uri": uri, "value": new_id }] }),
        )
        .await;
    assert_eq!(ws["items"][0]["kind"], "unchanged");
    // Pull mode never pushes prose diagnostics.
    let pushed = c
        .received(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str())
        .await;
    assert!(pushed.is_empty(), "{pushed:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_and_rule_file_changes_reload_and_recheck() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.txt"));
    c.open(&uri, "plaintext", 1, "Dài 5KM. Quá trời. Mới toanh.\n").await;
    assert_eq!(c.diagnostics(&uri, Some(1)).await.len(), 2);
    // A new rule in the rule file.
    let rules_path = root.join("pk/rules.toml");
    let extra = "\n[[rule]]\nid = \"words.new\"\nkind = \"pattern\"\nmessage = \"New\"\npattern = 'toanh'\n";
    std::fs::write(&rules_path, format!("{RULES}{extra}")).unwrap();
    c.clear().await;
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": lsp_common::uri(&rules_path), "type": 2 }] }),
    )
    .await;
    let d = c.diagnostics(&uri, Some(1)).await;
    assert!(d.iter().any(|x| x["code"] == "t/words.new"), "{d:#?}");
    // A severity from the client's settings.
    c.clear().await;
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "copydesk": { "rules": { "t/words.banned": "off" }, "debounceMs": 0 } } }),
    )
    .await;
    let d = c.diagnostics(&uri, Some(1)).await;
    let codes: Vec<&str> = d.iter().map(|x| x["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["t/units.km", "t/words.new"]);
    // A change to an unrelated .toml does nothing.
    c.clear().await;
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": lsp_common::uri(&root.join("other/x.toml")), "type": 2 }] }),
    )
    .await;
    assert!(c
        .wait_for_within(Duration::from_millis(300), |m| m["method"]
            == "textDocument/publishDiagnostics")
        .await
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_rule_file_keeps_the_last_good_rules_and_is_reported_on_the_file() {
    let (c, _ws, root) = started(capabilities(&["utf-32"]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.txt"));
    c.open(&uri, "plaintext", 1, "Dài 5KM. Quá trời.\n").await;
    assert_eq!(c.diagnostics(&uri, Some(1)).await.len(), 2);
    let rules_path = root.join("pk/rules.toml");
    let rules_uri = lsp_common::uri(&rules_path);
    // An invalid regex: a located error at `pattern` of the second rule.
    let broken = RULES.replace(r"pattern = '(?i)\bquá trời\b'", "pattern = '(quá'");
    std::fs::write(&rules_path, &broken).unwrap();
    c.clear().await;
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": rules_uri, "type": 2 }] }),
    )
    .await;
    let shown = c.wait_for("showMessage", |m| m["method"] == "window/showMessage").await;
    assert_eq!(shown["params"]["type"], 1);
    assert!(
        shown["params"]["message"].as_str().unwrap().contains("invalid regex"),
        "{shown}"
    );
    let on_file = c.diagnostics(&rules_uri, None).await;
    assert_eq!(on_file.len(), 1, "{on_file:#?}");
    let line = broken.lines().position(|l| l.starts_with("pattern = '(quá'")).unwrap();
    assert_eq!(on_file[0]["range"]["start"], json!({ "line": line, "character": 0 }));
    assert_eq!(on_file[0]["severity"], 1);
    // The document is re-checked with the last good rules.
    let d = c.diagnostics(&uri, Some(1)).await;
    assert_eq!(d.len(), 2, "{d:#?}");
    // Shown once: another reload with the same error shows nothing new.
    c.clear().await;
    c.call("workspace/executeCommand", json!({ "command": "copydesk.reload" }))
        .await;
    c.diagnostics(&uri, Some(1)).await;
    assert!(c
        .wait_for_within(Duration::from_millis(300), |m| m["method"] == "window/showMessage")
        .await
        .is_none());
    // Fixed: the file's diagnostics are cleared.
    std::fs::write(&rules_path, RULES).unwrap();
    c.clear().await;
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": rules_uri, "type": 2 }] }),
    )
    .await;
    assert_eq!(c.diagnostics(&rules_uri, None).await, Vec::<Value>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_rule_file_shows_its_failing_examples() {
    let failing = RULES.replace(
        r#"examples = [{ text = "dài 5KM", expect = 1, fixed = "dài 5 km" }]"#,
        r#"examples = [{ text = "dài 5KM", expect = 1 }, { text = "dài 5KM và 6KM", expect = 1 }]"#,
    );
    let ws = workspace(&failing);
    let root = root(&ws);
    let (c, _server) = LspClient::in_process();
    c.initialize(capabilities(&[]), json!({ "debounceMs": 0 }), &root).await;
    // Load the project first through a prose document.
    let doc = uri(&root.join("a.txt"));
    c.open(&doc, "plaintext", 1, "x\n").await;
    c.diagnostics(&doc, Some(1)).await;
    let rules_path = root.join("pk/rules.toml");
    let rules_uri = lsp_common::uri(&rules_path);
    c.open(&rules_uri, "toml", 1, &failing).await;
    let d = c.diagnostics(&rules_uri, None).await;
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["code"], "t/units.km");
    assert!(
        d[0]["message"].as_str().unwrap().contains("example 2"),
        "{}",
        d[0]["message"]
    );
    let line = failing.lines().position(|l| l.starts_with("examples = ")).unwrap();
    assert_eq!(d[0]["range"]["start"]["line"], line);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_shows_the_rule_and_an_example() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("a.txt"));
    c.open(&uri, "plaintext", 1, "Dài 5KM.\n").await;
    let d = c.diagnostics(&uri, Some(1)).await;
    let h = c
        .call(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": d[0]["range"]["start"] }),
        )
        .await;
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("t/units.km"), "{md}");
    assert!(md.contains("“5KM” → “5 km”"), "{md}");
    assert!(md.contains("Write kilometres"), "{md}");
    assert!(md.contains("`dài 5KM` → `dài 5 km`"), "{md}");
    assert_eq!(h["range"], d[0]["range"]);
    let none = c
        .call(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
        )
        .await;
    assert_eq!(none, Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_on_a_glossary_abbreviation_shows_its_full_form() {
    let rules = format!(
        "{RULES}\n[[rule]]\nid = \"abbr\"\nkind = \"abbreviation\"\nmessage = \"{{short}}\"\nglossary = [{{ short = \"ANTT\", long = \"an ninh trật tự\" }}]\n"
    );
    let ws = workspace(&rules);
    let root = root(&ws);
    let (c, _server) = LspClient::in_process();
    c.initialize(capabilities(&[]), json!({ "debounceMs": 0 }), &root).await;
    let uri = uri(&root.join("a.txt"));
    let text = "Tiêu đề\n\nLực lượng ANTT có mặt.\n";
    c.open(&uri, "plaintext", 1, text).await;
    c.diagnostics(&uri, Some(1)).await;
    let at = naive_position(text, text.find("ANTT").unwrap() + 2, "utf-16");
    let h = c
        .call(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": at }),
        )
        .await;
    let md = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("**ANTT**: an ninh trật tự"), "{h}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_is_an_error_response_and_the_server_keeps_serving() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let r = c
        .request("workspace/executeCommand", json!({ "command": "copydesk.debugPanic" }))
        .await;
    assert_eq!(r["error"]["code"], -32603, "{r}");
    c.wait_for("a log message", |m| {
        m["method"] == "window/logMessage" && m["params"]["message"].as_str().unwrap().contains("internal error")
    })
    .await;
    let uri = uri(&root.join("a.txt"));
    c.open(&uri, "plaintext", 1, "Dài 5KM.\n").await;
    assert_eq!(c.diagnostics(&uri, Some(1)).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_params_and_out_of_range_edits_do_not_crash() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let r = c.request("textDocument/hover", json!({ "bogus": 1 })).await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": "file:///nowhere.txt" } }),
        )
        .await;
    assert!(r.get("error").is_some());
    // Malformed text-sync notifications are logged and ignored.
    c.notify("textDocument/didChange", json!({ "nonsense": true })).await;
    let uri = uri(&root.join("a.txt"));
    c.open(&uri, "plaintext", 1, "ab😀\ncd").await;
    c.change(
        &uri,
        2,
        json!([
            { "range": { "start": { "line": 0, "character": 3 }, "end": { "line": 0, "character": 3 } }, "text": "X" },
            { "range": { "start": { "line": 99, "character": 0 }, "end": { "line": 120, "character": 4 } }, "text": " 5KM" },
            { "range": { "start": { "line": 1, "character": 50 }, "end": { "line": 0, "character": 0 } }, "text": "" },
        ]),
    )
    .await;
    // Inside the surrogate pair: clamped to the emoji's start; past the end: appended;
    // reversed: swapped, deleting everything.
    assert_eq!(c.server_text(&uri).await, "");
    c.wait_for("a clamping log", |m| {
        m["method"] == "window/logMessage" && m["params"]["message"].as_str().unwrap().contains("clamped")
    })
    .await;
    c.change(&uri, 3, json!([{ "text": "Dài 5KM." }])).await;
    assert_eq!(c.diagnostics(&uri, Some(3)).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_megabyte_document_is_checked_and_edited() {
    let (c, _ws, root) = started(capabilities(&[]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("big.txt"));
    let para = "Người dân Hòa Bình nói con đường dài 5 km, đẹp và rộng rãi hơn trước nhiều lần.\n\n";
    let mut text = String::from("Tiêu đề\n\n");
    while text.len() < 10 << 20 {
        text.push_str(para);
    }
    text.push_str("Cuối bài: 7 KM.\n");
    c.open(&uri, "plaintext", 1, &text).await;
    let d = c.diagnostics(&uri, Some(1)).await;
    assert_eq!(d.len(), 1);
    let end = naive_position(&text, text.len(), "utf-16");
    c.change(
        &uri,
        2,
        json!([{ "range": { "start": end, "end": end }, "text": "Thêm 9KM." }]),
    )
    .await;
    assert_eq!(c.diagnostics(&uri, Some(2)).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_then_exit_ends_serving_cleanly() {
    let ws = workspace(RULES);
    let (c, server) = LspClient::in_process();
    c.initialize(capabilities(&[]), Value::Null, &root(&ws)).await;
    c.shutdown_and_exit().await;
    let clean = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .unwrap()
        .unwrap();
    assert!(clean);

    let (c, server) = LspClient::in_process();
    c.initialize(capabilities(&[]), Value::Null, &root(&ws)).await;
    c.notify("exit", Value::Null).await;
    let clean = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .unwrap()
        .unwrap();
    assert!(!clean, "exit without shutdown is not clean");
}

/// A house choice in consistency mode: the minority form is flagged, and the editor offers
/// both "use X everywhere" (the majority, preferred) and "use Y everywhere" (marked unsafe).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_choice_offers_use_either_form_everywhere() {
    let rules = r#"
[[rule]]
id = "tone"
kind = "tone-placement"
message = "“{found}”: {majority} ({majority_count}) / {minority} ({minority_count})"
mode = "consistency"
"#;
    let ws = workspace(rules);
    let root = root(&ws);
    let (c, _server) = LspClient::in_process();
    c.initialize(capabilities(&["utf-16"]), json!({ "debounceMs": 0 }), &root)
        .await;
    let uri = uri(&root.join("a.txt"));
    let text = "Tiêu đề 😀\n\nHo\u{300}a bình, sức khỏe 👩\u{200d}💻, thuỷ lợi, Khánh Hòa.\n";
    c.open(&uri, "plaintext", 1, text).await;
    let d = c.diagnostics(&uri, Some(1)).await;
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["message"], "“thuỷ”: hòa, khỏe, thủy (3) / hoà, khoẻ, thuỷ (1)");
    let at = text.find("thuỷ").unwrap();
    assert_eq!(d[0]["range"]["start"], position(text, at, encoding_of("utf-16")));
    let actions = c
        .call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": d[0]["range"], "context": { "diagnostics": d } }),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let majority = titles
        .iter()
        .position(|t| t.starts_with("Use “hòa, khỏe, thủy” everywhere"));
    let minority = titles
        .iter()
        .position(|t| t.starts_with("Use “hoà, khoẻ, thuỷ” everywhere"));
    let (Some(majority), Some(minority)) = (majority, minority) else {
        panic!("both forms offered: {titles:?}");
    };
    assert_eq!(actions[majority]["isPreferred"], true);
    assert_ne!(actions[minority]["isPreferred"], true);
    assert!(titles[minority].contains("unsafe"), "{titles:?}");
    let new = apply_edit(&c, &uri, text, 2, &actions[minority]["edit"], encoding_of("utf-16")).await;
    assert_eq!(
        new,
        "Tiêu đề 😀\n\nHoà bình, sức khoẻ 👩\u{200d}💻, thuỷ lợi, Khánh Hoà.\n"
    );
    assert_eq!(c.diagnostics(&uri, Some(2)).await, Vec::<Value>::new());
}

/// An `.html` document is read as HTML: findings sit on the page's text (not in scripts),
/// positions are exact after NFD text and an emoji, and a quick fix edits the text node.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_documents_are_checked_as_pages() {
    let (c, _ws, root) = started(capabilities(&["utf-16"]), json!({ "debounceMs": 0 })).await;
    let uri = uri(&root.join("bai.html"));
    let text = "<h1>Tiêu đề</h1>\n<p>Người dân Ho\u{300}a Bi\u{300}nh 😀 nói: đường dài <b>5KM</b>, qu&aacute; trời.</p>\n<script>var x = '7 KM';</script>\n";
    c.open(&uri, "html", 1, text).await;
    let diags = c.diagnostics(&uri, Some(1)).await;
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["t/units.km", "t/words.banned"], "{diags:#?}");
    let enc = encoding_of("utf-16");
    let km = text.find("5KM").unwrap();
    assert_eq!(diags[0]["range"]["start"], position(text, km, enc));
    assert_eq!(diags[0]["range"]["end"], position(text, km + 3, enc));
    // The banned phrase is written with a character reference: the finding covers it in the source.
    let banned = text.find("qu&aacute; trời").unwrap();
    assert_eq!(diags[1]["range"]["start"], position(text, banned, enc));
    assert_eq!(
        diags[1]["range"]["end"],
        position(text, banned + "qu&aacute; trời".len(), enc)
    );

    let actions = c
        .call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": diags[0]["range"], "context": { "diagnostics": [diags[0].clone()] } }),
        )
        .await;
    let new = apply_edit(&c, &uri, text, 2, &actions[0]["edit"], enc).await;
    assert_eq!(new, text.replace("<b>5KM</b>", "<b>5 km</b>"));
    assert_eq!(c.diagnostics(&uri, Some(2)).await.len(), 1);

    // An untitled document says it is HTML only by its language.
    let untitled = "untitled:Untitled-1";
    c.open(untitled, "html", 1, "<p>Dài <i>5KM</i>.</p>").await;
    let d = c.diagnostics(untitled, Some(1)).await;
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["range"]["start"]["character"], 10);
}
