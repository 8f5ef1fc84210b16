//! The incremental protocol of `/v1/check` (docs/serve.md, "Incremental checks"): a client
//! sends the edit since the service's last answer and gets only the findings that
//! changed. Rebuilding the full answer from a delta, as a client does, must give exactly
//! what a full check of the new text answers, in every unit, in NFD text with emoji and
//! CRLF lines.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use copydesk::cli::ConfigArgs;
use copydesk::serve::{router, AppState, Options, RuleStore};
use serde_json::{json, Value};
use tower::ServiceExt;

fn state() -> Arc<AppState> {
    let args = ConfigArgs {
        no_config: true,
        ..ConfigArgs::default()
    };
    AppState::new(
        RuleStore::new(&args).expect("the default pack loads"),
        Options::default(),
    )
}

async fn check(state: &Arc<AppState>, body: &Value) -> (StatusCode, Value) {
    post(state, "/v1/check", body).await
}

async fn fix(state: &Arc<AppState>, body: &Value) -> (StatusCode, Value) {
    post(state, "/v1/fix", body).await
}

/// The service's status and JSON answer to `body` posted to `path`.
async fn post(state: &Arc<AppState>, path: &str, body: &Value) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap();
    let res = router(state.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// NFD letters (`ô` + U+0302 + U+0309…), emoji of one and two code points, a CRLF line,
/// findings in every paragraph and a document-wide fix (two spellings of TP.HCM).
const ARTICLE: &str = "Tin nhanh 📰 giá vàng tăng.\n\n\
🇻🇳 Theo To\u{302}\u{309}ng cu\u{323}c tho\u{302}\u{301}ng ke\u{302}, gia\u{301} ta\u{306}ng 12.5% so vo\u{31b}\u{301}i cu\u{300}ng ky\u{300}.\n\n\
Ông Minh nói:  \"giá sẽ còn tăng\" 😀 tại TP. HCM.\n\n\
Người dân  cho biết 3.5% hộ gia đình ở TP.HCM đã mua vàng.\n\n\
Đoạn cuối có 1.200,5 tỷ đồng.\r\nDòng sau CRLF  nữa.\n";

/// The answer's findings with every `{"shared": i}` replaced by `shared_fixes[i]`.
fn expanded(answer: &Value) -> Vec<Value> {
    let shared = answer["shared_fixes"].as_array().cloned().unwrap_or_default();
    let mut out = answer["diagnostics"].as_array().unwrap().clone();
    for d in &mut out {
        for f in d["fixes"].as_array_mut().unwrap() {
            if let Some(i) = f.get("shared").and_then(Value::as_u64) {
                *f = shared[i as usize].clone();
            }
        }
    }
    out
}

/// What a client does with a delta: the base's first `kept_before` and last `kept_after`
/// findings, moved by the edit, around the findings sent. A position after the edit's
/// start moves by the edit in offset, UTF-16 units, characters and lines, and in column
/// when it is on the line where the replaced text ended.
fn rebuild(base: &[Value], delta: &Value) -> Vec<Value> {
    let e = &delta["edit"];
    let n = |v: &Value, k: &str| v[k].as_i64().unwrap();
    let (start, end, new_end) = (&e["start"], &e["end"], &e["new_end"]);
    let move_pos = |p: &mut Value| {
        if n(p, "offset") <= n(start, "offset") {
            return;
        }
        for k in ["offset", "utf16", "char"] {
            p[k] = json!(n(p, k) + n(new_end, k) - n(end, k));
        }
        if n(p, "line") == n(end, "line") {
            p["column"] = json!(n(p, "column") + n(new_end, "column") - n(end, "column"));
        }
        p["line"] = json!(n(p, "line") + n(new_end, "line") - n(end, "line"));
    };
    let moved = |d: &Value| {
        let mut d = d.clone();
        move_pos(&mut d["start"]);
        move_pos(&mut d["end"]);
        for f in d["fixes"].as_array_mut().unwrap() {
            for x in f["edits"].as_array_mut().unwrap() {
                move_pos(&mut x["start"]);
                move_pos(&mut x["end"]);
            }
        }
        d
    };
    let (before, after) = (
        delta["kept_before"].as_u64().unwrap() as usize,
        delta["kept_after"].as_u64().unwrap() as usize,
    );
    let mut out: Vec<Value> = base[..before].iter().map(moved).collect();
    out.extend(expanded(delta));
    out.extend(base[base.len() - after..].iter().map(moved));
    out
}

/// An edit of `text` at bytes `range`, in the UTF-16 units the protocol takes.
fn utf16_edit(text: &str, range: std::ops::Range<usize>, with: &str) -> Value {
    let u = |b: usize| text[..b].encode_utf16().count();
    json!({ "start": u(range.start), "end": u(range.end), "text": with })
}

/// [`ARTICLE`] in Markdown: a heading, emphasis, a link, a code span (not prose), a list.
const MARKDOWN: &str = "# Tin nhanh 📰 giá vàng tăng.\n\n\
🇻🇳 Theo *To\u{302}\u{309}ng cu\u{323}c* tho\u{302}\u{301}ng ke\u{302}, gia\u{301} ta\u{306}ng 12.5% so vo\u{31b}\u{301}i cu\u{300}ng ky\u{300}.\n\n\
Ông Minh nói:  \"giá sẽ còn tăng\" 😀 tại TP. HCM ([bản đồ](https://vi.wikipedia.org/wiki/TP.HCM)).\n\n\
- Người dân  cho biết 3.5% hộ gia đình ở TP.HCM đã mua vàng, mã `12.5%  x`.\n\n\
Đoạn cuối có 1.200,5 tỷ đồng.\r\nDòng sau CRLF  nữa.\n";

/// [`ARTICLE`] as an HTML page: the headline in `<h1>`, entities, an `alt` text, CRLF
/// line ends between elements.
const HTML: &str = "<!doctype html>\r\n<html><head><title>Giá vàng</title></head><body>\r\n\
<h1>Tin nhanh 📰 giá vàng tăng.</h1>\r\n\
<p>🇻🇳 Theo <b>To\u{302}\u{309}ng cu\u{323}c</b> tho\u{302}\u{301}ng ke\u{302}, gia\u{301} ta\u{306}ng 12.5% so vo\u{31b}\u{301}i cu\u{300}ng ky\u{300}.</p>\r\n\
<p>Ông Minh nói:  &quot;giá sẽ còn tăng&quot; 😀 tại TP. HCM.<img src=\"a.jpg\" alt=\"Ảnh  TP.HCM 2.5%\"></p>\r\n\
<p>Người dân  cho biết 3.5% hộ gia đình ở TP.HCM đã mua vàng.</p>\r\n\
<p>Đoạn cuối có 1.200,5 tỷ đồng.\r\nDòng sau CRLF  nữa.</p>\r\n</body></html>\n";

#[tokio::test]
async fn deltas_rebuild_the_full_answer_in_every_unit_after_each_edit() {
    deltas_rebuild_the_full_answer("plain", ARTICLE, "d1").await;
}

#[tokio::test]
async fn deltas_rebuild_the_full_answer_in_markdown() {
    deltas_rebuild_the_full_answer("markdown", MARKDOWN, "md1").await;
}

#[tokio::test]
async fn deltas_rebuild_the_full_answer_in_html() {
    deltas_rebuild_the_full_answer("html", HTML, "html1").await;
}

/// Ten edits of `article` (in `format`), each sent on the last answer's revision (as an
/// edit or as the whole text): the delta rebuilt as a client does equals a full check's
/// answer, in every unit, and so does the summary.
async fn deltas_rebuild_the_full_answer(format: &str, article: &str, doc: &str) {
    let s = state();
    let first = json!({ "text": article, "format": format, "document": doc, "incremental": true, "share_fixes": true });
    let (status, answer) = check(&s, &first).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (_, full) = check(&s, &json!({ "text": article, "format": format })).await;
    // The first answer is the full one plus its revision.
    assert_eq!(expanded(&answer), full["diagnostics"].as_array().unwrap().clone());
    let mut revision = answer["revision"].as_str().unwrap().to_string();
    let mut findings = expanded(&answer);
    // The article has findings of several rules, before and after each edit.
    assert!(findings.len() >= 8, "{format}: {answer}");
    let mut text = article.to_string();

    let at = |t: &str, needle: &str| t.find(needle).unwrap_or_else(|| panic!("{needle:?} in {t:?}"));
    // (range in the current text, replacement) for each step; some edits land inside NFD
    // letters' neighbourhoods, next to emoji, on a CRLF line, across paragraphs.
    type Step = Box<dyn Fn(&str) -> (std::ops::Range<usize>, String)>;
    let steps: Vec<Step> = vec![
        Box::new(move |t| (at(t, " tăng.")..at(t, " tăng."), " và bạc".into())),
        Box::new(move |t| (at(t, "tại TP.")..at(t, "tại TP."), "ngay  ".into())),
        Box::new(move |t| (at(t, "12.5%")..at(t, "12.5%") + 5, "13.5%".into())),
        Box::new(move |t| (at(t, " so vo")..at(t, " so vo"), " 🎉".into())),
        Box::new(move |t| (at(t, "Người dân")..at(t, "Đoạn cuối"), String::new())),
        Box::new(move |t| (at(t, "\r\n")..at(t, "\r\n") + 2, "\n".into())),
        Box::new(move |t| (at(t, "sau CRLF")..at(t, "sau CRLF"), "x\r\n".into())),
        Box::new(|_| (0..0, String::new())),
        Box::new(|t| (t.len()..t.len(), "\nThêm ở TP. HCM 2.5% nữa.\n".into())),
        Box::new(move |t| (at(t, "Tin nhanh")..at(t, "Tin nhanh") + 3, "Bản".into())),
    ];
    let (mut kept, mut sent, mut total) = (0usize, 0usize, 0usize);
    for (i, step) in steps.iter().enumerate() {
        let (range, with) = step(&text);
        let edit = utf16_edit(&text, range.clone(), &with);
        text.replace_range(range, &with);
        // Even steps send the edit, odd ones the whole text (the service finds the edit).
        let body = if i % 2 == 0 {
            json!({ "document": doc, "format": format, "base": revision, "edit": edit, "share_fixes": true })
        } else {
            json!({ "document": doc, "format": format, "base": revision, "text": text, "incremental": true, "share_fixes": true })
        };
        let (status, delta) = check(&s, &body).await;
        assert_eq!(status, StatusCode::OK, "{format} step {i}: {delta}");
        assert_eq!(delta["base"], json!(revision), "{format} step {i}");
        let (_, full) = check(&s, &json!({ "text": text, "format": format })).await;
        let rebuilt = rebuild(&findings, &delta);
        assert_eq!(
            Value::Array(rebuilt.clone()),
            full["diagnostics"],
            "{format} step {i}: the delta {delta} does not rebuild the full answer of {text:?}"
        );
        assert_eq!(delta["summary"], full["summary"], "{format} step {i}");
        let k = (delta["kept_before"].as_u64().unwrap() + delta["kept_after"].as_u64().unwrap()) as usize;
        kept += k;
        sent += delta["diagnostics"].as_array().unwrap().len();
        total += rebuilt.len();
        revision = delta["revision"].as_str().unwrap().to_string();
        findings = rebuilt;
    }
    // Most findings were not sent again (the edits touch one paragraph or two).
    assert!(kept > sent, "{format}: kept {kept}, sent {sent} of {total}");
}

#[tokio::test]
async fn requests_on_a_revision_the_service_does_not_hold_or_of_the_wrong_shape_are_refused() {
    let s = state();
    let (_, first) = check(&s, &json!({ "text": ARTICLE, "document": "d2", "incremental": true })).await;
    let rev = first["revision"].as_str().unwrap().to_string();
    let edit = json!({ "start": 0, "end": 0, "text": "A" });
    // An unknown revision (restarted service, dropped document, older answer): 409.
    let (status, e) = check(&s, &json!({ "document": "d2", "base": "nope", "edit": edit })).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("unknown_base"))
    );
    let (status, _) = check(&s, &json!({ "document": "other", "base": rev, "edit": edit })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let shape = [
        (json!({ "document": "d2", "edit": edit }), "base"),
        (
            json!({ "document": "d2", "base": rev, "text": "a", "edit": edit }),
            "edit",
        ),
        (json!({ "base": rev, "edit": edit }), "base"),
        (json!({ "text": "a", "incremental": true }), "incremental"),
        (json!({ "document": "d2" }), "text"),
    ];
    for (body, field) in shape {
        let (status, e) = check(&s, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
        assert_eq!(e["error"]["code"], "invalid_request");
        assert_eq!(e["error"]["field"], field, "{body}");
    }
    // An edit inside the emoji's surrogate pair (📰 is units 10 and 11) or past the end.
    let (_, first) = check(&s, &json!({ "text": ARTICLE, "document": "d3", "incremental": true })).await;
    let rev = first["revision"].as_str().unwrap();
    let bad = json!({ "document": "d3", "base": rev, "edit": { "start": 11, "end": 11, "text": "x" } });
    let (status, e) = check(&s, &bad).await;
    assert_eq!(
        (status, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("edit"))
    );
    // A failed request drops the revision it named: the client sends the whole text again.
    let (_, again) = check(&s, &json!({ "text": ARTICLE, "document": "d3", "incremental": true })).await;
    let rev = again["revision"].as_str().unwrap();
    let past = json!({ "document": "d3", "base": rev, "edit": { "start": 0, "end": 9999, "text": "" } });
    assert_eq!(check(&s, &past).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let retry = json!({ "document": "d3", "base": rev, "edit": { "start": 0, "end": 0, "text": "" } });
    assert_eq!(check(&s, &retry).await.0, StatusCode::CONFLICT);
    // Only the last revision is held: an answer's revision replaces its base.
    let (_, a) = check(&s, &json!({ "text": "Một.", "document": "d4", "incremental": true })).await;
    let a_rev = a["revision"].as_str().unwrap().to_string();
    let (status, b) = check(
        &s,
        &json!({ "document": "d4", "base": a_rev, "edit": { "start": 4, "end": 4, "text": " Hai." } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    let (status, _) = check(
        &s,
        &json!({ "document": "d4", "base": a_rev, "edit": { "start": 0, "end": 0, "text": "x" } }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn without_incremental_the_answer_is_the_cli_document_and_carries_no_revision() {
    let s = state();
    let (_, plain) = check(&s, &json!({ "text": ARTICLE, "document": "d5" })).await;
    assert!(plain.get("revision").is_none());
    let (_, inc) = check(&s, &json!({ "text": ARTICLE, "document": "d5", "incremental": true })).await;
    let mut inc = inc;
    assert!(inc.as_object_mut().unwrap().remove("revision").is_some());
    assert_eq!(inc, plain);
}

/// `text` with a fix answer's `edits` (UTF-16 positions of the text fixed) applied, last first.
fn apply_fix_edits(text: &str, answer: &Value) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = units.clone();
    let mut edits = answer["edits"].as_array().unwrap().clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e["start"]["utf16"].as_u64().unwrap()));
    for e in edits {
        let (s, t) = (
            e["start"]["utf16"].as_u64().unwrap() as usize,
            e["end"]["utf16"].as_u64().unwrap() as usize,
        );
        out.splice(s..t, e["replacement"].as_str().unwrap().encode_utf16());
    }
    String::from_utf16(&out).unwrap()
}

#[tokio::test]
async fn a_fix_in_a_session_answers_a_revision_the_next_check_builds_on() {
    let s = state();
    let (_, first) = check(&s, &json!({ "text": ARTICLE, "document": "f1", "incremental": true })).await;
    let rev = first["revision"].as_str().unwrap().to_string();
    // The editor typed after that check, then asked to fix all: it sends the edit on the
    // revision, not the text.
    let mut text = ARTICLE.to_string();
    let at = text.find(" tăng.").unwrap();
    let edit = utf16_edit(&text, at..at, "  mạnh");
    text.insert_str(at, "  mạnh");
    let (status, fixed) = fix(&s, &json!({ "document": "f1", "base": rev, "edit": edit })).await;
    assert_eq!(status, StatusCode::OK, "{fixed}");
    // The same answer as a fix of the whole text, plus the revision.
    let (_, whole) = fix(&s, &json!({ "text": text })).await;
    let mut without = fixed.clone();
    assert!(without.as_object_mut().unwrap().remove("revision").is_some());
    assert_eq!(without, whole);
    assert!(fixed["applied"].as_u64().unwrap() >= 3, "{fixed}");
    assert_eq!(apply_fix_edits(&text, &fixed), fixed["text"].as_str().unwrap());
    // The revision is the fixed text: the next check sends only what is typed after the fix.
    let mut text = fixed["text"].as_str().unwrap().to_string();
    let mut findings = fixed["report"]["diagnostics"].as_array().unwrap().clone();
    let mut rev = fixed["revision"].as_str().unwrap().to_string();
    for (i, (needle, with)) in [("Đoạn cuối", "Thêm  "), ("nữa", " ở TP. HCM")].into_iter().enumerate() {
        let at = text.find(needle).unwrap();
        let edit = utf16_edit(&text, at..at, with);
        text.insert_str(at, with);
        let (status, delta) = check(
            &s,
            &json!({ "document": "f1", "base": rev, "edit": edit, "share_fixes": true }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "step {i}: {delta}");
        let (_, full) = check(&s, &json!({ "text": text })).await;
        let rebuilt = rebuild(&findings, &delta);
        assert_eq!(Value::Array(rebuilt.clone()), full["diagnostics"], "step {i}: {delta}");
        assert!(delta["kept_before"].as_u64().unwrap() + delta["kept_after"].as_u64().unwrap() > 0);
        findings = rebuilt;
        rev = delta["revision"].as_str().unwrap().to_string();
    }
    // A fix may name the revision alone (the text the service holds), and answers the next.
    let (status, again) = fix(&s, &json!({ "document": "f1", "base": rev, "unsafe": true })).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let (_, whole) = fix(&s, &json!({ "text": text, "unsafe": true })).await;
    assert_eq!(again["text"], whole["text"]);
    let next = again["revision"].as_str().unwrap();
    // The fix replaced its base: the old revision is gone, the new one is held.
    let probe = json!({ "start": 0, "end": 0, "text": "" });
    assert_eq!(
        check(&s, &json!({ "document": "f1", "base": rev, "edit": probe }))
            .await
            .0,
        StatusCode::CONFLICT
    );
    let (status, d) = check(&s, &json!({ "document": "f1", "base": next, "edit": probe })).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["diagnostics"], json!([]), "nothing changed, nothing sent: {d}");
    // A fix with `incremental` and a text starts a revision too.
    let (_, f) = fix(&s, &json!({ "document": "f2", "incremental": true, "text": ARTICLE })).await;
    assert!(f["revision"].is_string(), "{f}");
    // Without `incremental` or `base`, a fix answers as before: no revision.
    let (_, f) = fix(&s, &json!({ "document": "f3", "text": ARTICLE })).await;
    assert!(f.get("revision").is_none(), "{f}");
}

#[tokio::test]
async fn a_fix_on_a_revision_not_held_or_of_the_wrong_shape_is_refused() {
    let s = state();
    let edit = json!({ "start": 0, "end": 0, "text": "A" });
    let (status, e) = fix(&s, &json!({ "document": "g1", "base": "nope", "edit": edit })).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("unknown_base"))
    );
    let shape = [
        (json!({ "document": "g1" }), "text"),
        (json!({ "document": "g1", "edit": edit }), "base"),
        (json!({ "base": "x" }), "base"),
        (json!({ "text": "a", "incremental": true }), "incremental"),
        (
            json!({ "document": "g1", "base": "x", "text": "a", "edit": edit }),
            "edit",
        ),
    ];
    for (body, field) in shape {
        let (status, e) = fix(&s, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
        assert_eq!(e["error"]["field"], field, "{body}");
    }
}
