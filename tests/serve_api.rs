//! The HTTP API of `copydesk serve`, driven through its router (no socket): status codes,
//! limits, malformed input, positions in every unit, fixes, rules, concurrency.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use copydesk::cli::ConfigArgs;
use copydesk::serve::{router, AppState, Options, RuleStore};
use serde_json::{json, Value};
use tower::ServiceExt;

fn state_with(options: Options) -> Arc<AppState> {
    let args = ConfigArgs {
        no_config: true,
        ..ConfigArgs::default()
    };
    AppState::new(RuleStore::new(&args).expect("the default pack loads"), options)
}

fn state() -> Arc<AppState> {
    state_with(Options::default())
}

async fn call(state: &Arc<AppState>, req: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
    let res = router(state.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    let v = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, v, headers)
}

fn post(path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

fn post_json(path: &str, v: &Value) -> Request<Body> {
    post(path, serde_json::to_vec(v).unwrap())
}

const ARTICLE: &str =
    "Giá vàng tăng mạnh.\n\nTheo số liệu của Tổng cục thống kê, kim ngạch đạt 5,3 tỷ USD,  tăng 12.5% so với cùng kỳ.\n";

#[tokio::test]
async fn check_answers_findings_with_every_unit() {
    let s = state();
    let (status, v, headers) = call(&s, post_json("/v1/check", &json!({ "text": ARTICLE }))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(v["version"], 1);
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty(), "the article has problems: {v}");
    for d in diags {
        let (start, end) = (&d["start"], &d["end"]);
        let (b0, b1) = (
            start["offset"].as_u64().unwrap() as usize,
            end["offset"].as_u64().unwrap() as usize,
        );
        assert_eq!(d["found"].as_str().unwrap(), &ARTICLE[b0..b1]);
        let u0 = start["utf16"].as_u64().unwrap() as usize;
        let c0 = start["char"].as_u64().unwrap() as usize;
        assert_eq!(u0, ARTICLE[..b0].encode_utf16().count());
        assert_eq!(c0, ARTICLE[..b0].chars().count());
    }
}

#[tokio::test]
async fn positions_are_right_in_nfd_text_and_after_emoji() {
    // "Tổng cục thống kê" written in NFD, after an emoji: bytes, UTF-16 and characters differ.
    let nfd = "Tin nhanh 📰\n\n🇻🇳 Theo To\u{302}\u{309}ng cu\u{323}c tho\u{302}\u{301}ng ke\u{302}, gia\u{301} ta\u{306}ng 12.5% so vo\u{31b}\u{301}i cu\u{300}ng ky\u{300}.\n";
    let s = state();
    let (status, v, _) = call(&s, post_json("/v1/check", &json!({ "text": nfd }))).await;
    assert_eq!(status, StatusCode::OK);
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty(), "{v}");
    let utf16: Vec<u16> = nfd.encode_utf16().collect();
    let chars: Vec<char> = nfd.chars().collect();
    for d in diags {
        let found = d["found"].as_str().unwrap();
        let (u0, u1) = (
            d["start"]["utf16"].as_u64().unwrap() as usize,
            d["end"]["utf16"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            String::from_utf16(&utf16[u0..u1]).unwrap(),
            found,
            "UTF-16 range of {d}"
        );
        let (c0, c1) = (
            d["start"]["char"].as_u64().unwrap() as usize,
            d["end"]["char"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[c0..c1].iter().collect::<String>(),
            found,
            "character range of {d}"
        );
        for f in d["fixes"].as_array().unwrap() {
            for e in f["edits"].as_array().unwrap() {
                let b = e["start"]["offset"].as_u64().unwrap() as usize;
                assert_eq!(
                    e["start"]["utf16"].as_u64().unwrap() as usize,
                    nfd[..b].encode_utf16().count()
                );
            }
        }
    }
}

#[tokio::test]
async fn fix_applies_safe_fixes_and_returns_the_edits() {
    let s = state();
    let (status, v, _) = call(&s, post_json("/v1/fix", &json!({ "text": ARTICLE }))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let fixed = v["text"].as_str().unwrap();
    assert_ne!(fixed, ARTICLE);
    assert!(v["applied"].as_u64().unwrap() >= 1);
    // Applying the edits (positions in the old text) from the end gives the new text.
    let mut text = ARTICLE.to_string();
    let mut edits: Vec<&Value> = v["edits"].as_array().unwrap().iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e["start"]["offset"].as_u64().unwrap()));
    for e in edits {
        let (a, b) = (
            e["start"]["offset"].as_u64().unwrap() as usize,
            e["end"]["offset"].as_u64().unwrap() as usize,
        );
        text.replace_range(a..b, e["replacement"].as_str().unwrap());
    }
    assert_eq!(text, fixed);
    // The report is of the new text: no safe fix left.
    for d in v["report"]["diagnostics"].as_array().unwrap() {
        assert!(!d["fixes"].as_array().unwrap().iter().any(|f| f["safe"] == true), "{d}");
    }
}

#[tokio::test]
async fn fix_can_be_limited_to_rules_and_unknown_rules_are_refused() {
    let s = state();
    let (_, checked, _) = call(&s, post_json("/v1/check", &json!({ "text": ARTICLE }))).await;
    let rules: std::collections::BTreeSet<&str> = checked["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["fixes"].as_array().unwrap().iter().any(|f| f["safe"] == true))
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    let one = *rules.iter().next().expect("a safely fixable finding");
    let (status, v, _) = call(&s, post_json("/v1/fix", &json!({ "text": ARTICLE, "rules": [one] }))).await;
    assert_eq!(status, StatusCode::OK);
    for d in v["report"]["diagnostics"].as_array().unwrap() {
        if d["rule"] != one && rules.contains(d["rule"].as_str().unwrap()) {
            return; // another rule's finding was left alone
        }
    }
    assert!(rules.len() == 1, "findings of other rules were fixed too: {v}");
    let (status, v, _) = call(
        &s,
        post_json("/v1/fix", &json!({ "text": ARTICLE, "rules": ["no/such-rule"] })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "unknown_rule");
}

#[tokio::test]
async fn malformed_input_gets_located_json_errors() {
    let s = state();
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            post("/v1/check", "{\"text\": \"a\",\n  oops}"),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (post("/v1/check", ""), StatusCode::BAD_REQUEST, "malformed_json"),
        (
            post("/v1/check", b"{\"text\": \"a\xff\"}".to_vec()),
            StatusCode::BAD_REQUEST,
            "invalid_utf8",
        ),
        (
            post("/v1/check", "{\"txt\": \"a\"}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            post("/v1/check", "{\"text\": 5}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            post("/v1/check", "[]"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            post_json("/v1/check", &json!({ "text": "a", "format": "docx" })),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_format",
        ),
        (
            post_json("/v1/check", &json!({ "text": "a", "profile": "no-such-profile" })),
            StatusCode::UNPROCESSABLE_ENTITY,
            "rules_unavailable",
        ),
        (
            Request::post("/v1/check")
                .header(header::CONTENT_TYPE, "application/xml")
                .body(Body::from("<a/>"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            // What a form or `fetch` from another site may send without a preflight.
            Request::post("/v1/check")
                .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
                .body(Body::from(r#"{"text":"a"}"#))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            Request::get("/v1/check").body(Body::empty()).unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Request::get("/v2/nothing").body(Body::empty()).unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Request::get("/v1/rules/no/such-rule").body(Body::empty()).unwrap(),
            StatusCode::NOT_FOUND,
            "unknown_rule",
        ),
    ];
    for (req, want, code) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let (status, v, _) = call(&s, req).await;
        assert_eq!(status, want, "{what}: {v}");
        assert_eq!(v["error"]["code"], code, "{what}: {v}");
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    }
    // Syntax errors say where.
    let (_, v, _) = call(&s, post("/v1/check", "{\"text\": \"a\",\n  oops}")).await;
    assert_eq!(
        (v["error"]["line"].as_u64(), v["error"]["column"].as_u64()),
        (Some(2), Some(3)),
        "{v}"
    );
    let (_, v, _) = call(&s, post("/v1/check", b"{\"text\": \"ab\xff\"}".to_vec())).await;
    assert_eq!(v["error"]["offset"], 12);
}

#[tokio::test]
async fn html_goes_through_the_one_format_switch() {
    let s = state();
    let (status, v, _) = call(
        &s,
        post_json("/v1/check", &json!({ "text": "<p>a</p>", "format": "html" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 1);
    // Markdown by name, or from the path.
    let md = "# Tít\n\n`code 12.5%` ngoài code 12.5% cũng vậy.\n";
    let (_, a, _) = call(&s, post_json("/v1/check", &json!({ "text": md, "format": "markdown" }))).await;
    let (_, b, _) = call(&s, post_json("/v1/check", &json!({ "text": md, "path": "bai/tin.md" }))).await;
    assert_eq!(
        a["diagnostics"].as_array().unwrap().len(),
        b["diagnostics"].as_array().unwrap().len()
    );
    assert_eq!(b["diagnostics"][0]["file"], "bai/tin.md");
}

/// Findings on an HTML page are in the page's bytes (tags and references skipped), for NFD
/// text after an emoji too; a fix rewrites only the text node; a page nested too deep is
/// a located 422.
#[tokio::test]
async fn html_findings_and_fixes_are_in_the_page() {
    let s = state();
    let page = "<h1>Tin 📰</h1><p>Ông A no\u{301}i: <b>gia\u{301}</b> tăng 12.5% , <i>kho\u{302}ng</i> giảm.</p>";
    let (status, v, _) = call(&s, post_json("/v1/check", &json!({ "text": page, "format": "html" }))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty(), "{v}");
    for d in diags {
        let (a, b) = (
            d["start"]["offset"].as_u64().unwrap() as usize,
            d["end"]["offset"].as_u64().unwrap() as usize,
        );
        let found = &page[a..b];
        assert!(
            !found.contains('<') && !found.contains('>'),
            "a finding covers a tag: {found:?} in {d}"
        );
    }
    let space = diags
        .iter()
        .find(|d| page[d["start"]["offset"].as_u64().unwrap() as usize..].starts_with(" ,"))
        .unwrap_or_else(|| panic!("no finding on the space before the comma: {v}"));
    let at = page.find(" ,").unwrap();
    assert_eq!(
        space["start"]["utf16"].as_u64().unwrap() as usize,
        page[..at].encode_utf16().count()
    );
    assert_eq!(
        space["start"]["char"].as_u64().unwrap() as usize,
        page[..at].chars().count()
    );

    let (status, f, _) = call(&s, post_json("/v1/fix", &json!({ "text": page, "format": "html" }))).await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let fixed = f["text"].as_str().unwrap();
    assert!(fixed.contains("12.5%,") || fixed.contains("12,5%,"), "{fixed}");
    assert!(
        fixed.starts_with("<h1>Tin 📰</h1><p>") && fixed.ends_with("</p>"),
        "tags changed: {fixed}"
    );

    let deep = "<div>".repeat(2000);
    let (status, e, _) = call(&s, post_json("/v1/check", &json!({ "text": deep, "format": "html" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "unreadable_document");
    assert!(e["error"]["offset"].as_u64().is_some(), "{e}");
    let (status, e, _) = call(&s, post_json("/v1/fix", &json!({ "text": deep, "format": "html" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

#[tokio::test]
async fn body_size_limit_is_enforced() {
    let s = state_with(Options {
        max_body: 1000,
        ..Options::default()
    });
    let big = json!({ "text": "a".repeat(2000) });
    let (status, v, _) = call(&s, post_json("/v1/check", &big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["error"]["code"], "body_too_large");
    assert_eq!(v["error"]["limit"], 1000);
    let (status, _, _) = call(&s, post_json("/v1/check", &json!({ "text": "a".repeat(900) }))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn slow_requests_time_out_with_503() {
    let s = state_with(Options {
        timeout: Duration::from_millis(1),
        workers: 1,
        ..Options::default()
    });
    // A long article takes more than a millisecond to check in a debug build.
    let text = ARTICLE.repeat(400);
    let (status, v, headers) = call(&s, post_json("/v1/check", &json!({ "text": text }))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"]["code"], "timeout");
    assert_eq!(headers[header::RETRY_AFTER], "1");
}

#[tokio::test]
async fn token_is_required_when_configured() {
    let s = state_with(Options {
        token: Some("s3cret".into()),
        ..Options::default()
    });
    let req = |auth: Option<&str>| {
        let mut b = Request::post("/v1/check").header(header::CONTENT_TYPE, "application/json");
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        b.body(Body::from(r#"{"text":"a"}"#)).unwrap()
    };
    let (status, v, headers) = call(&s, req(None)).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("missing_token"))
    );
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    let (status, v, _) = call(&s, req(Some("Bearer wrong"))).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_token"))
    );
    let (status, _, _) = call(&s, req(Some("Bearer s3cret"))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = call(&s, Request::get("/v1/rules").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Health and the page stay open (the page asks for the token).
    let (status, _, _) = call(&s, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn cors_is_closed_by_default_and_opens_for_listed_origins() {
    let preflight = || {
        Request::options("/v1/check")
            .header(header::ORIGIN, "https://cms.example.vn")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .body(Body::empty())
            .unwrap()
    };
    let closed = state();
    let (_, _, headers) = call(&closed, preflight()).await;
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    let open = state_with(Options {
        cors_origins: vec!["https://cms.example.vn".into()],
        ..Options::default()
    });
    let (status, _, headers) = call(&open, preflight()).await;
    assert!(status.is_success());
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "https://cms.example.vn");
    let other = Request::options("/v1/check")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .unwrap();
    let (_, _, headers) = call(&open, other).await;
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn rules_list_and_explain() {
    let s = state();
    let (status, v, _) = call(&s, Request::get("/v1/rules").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let rules = v.as_array().unwrap();
    assert!(rules.len() > 10);
    let id = rules[0]["rule"].as_str().unwrap();
    let (status, r, _) = call(&s, Request::get(format!("/v1/rules/{id}")).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["rule"], id);
    assert!(r["explain"].as_str().unwrap().starts_with(&format!("# {id}")));
    // A kind name explains the kind.
    let (status, k, _) = call(&s, Request::get("/v1/rules/substitution").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(k["kind"], "substitution");
}

#[tokio::test]
async fn page_and_module_are_served() {
    let s = state();
    let res = router(s.clone())
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(res.headers().contains_key(header::CONTENT_SECURITY_POLICY));
    let page = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    let page = String::from_utf8(page.to_vec()).unwrap();
    assert!(page.contains("lang=\"vi\"") && page.contains("Nội dung bài viết"));
    let res = router(s)
        .oneshot(Request::get("/copydesk.js").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert!(res.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let js = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    assert!(String::from_utf8_lossy(&js).contains("export function attach"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_each_get_their_own_answer() {
    let s = state();
    let texts: Vec<String> = (0..16)
        .map(|i| format!("Tin số {i}\n\n{}", ARTICLE.repeat(i % 4 + 1)))
        .collect();
    let mut tasks = Vec::new();
    for t in texts.clone() {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let (status, v, _) = call(&s, post_json("/v1/check", &json!({ "text": t }))).await;
            (status, v)
        }));
    }
    for (t, task) in texts.iter().zip(tasks) {
        let (status, v) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        for d in v["diagnostics"].as_array().unwrap() {
            let (a, b) = (
                d["start"]["offset"].as_u64().unwrap() as usize,
                d["end"]["offset"].as_u64().unwrap() as usize,
            );
            assert_eq!(&t[a..b], d["found"].as_str().unwrap());
        }
    }
}

#[test]
fn diff_edits_rebuild_the_new_text() {
    let cases = [
        ("", "abc"),
        ("abc", ""),
        ("tăng 12.5%", "tăng 12,5%"),
        ("To\u{302}\u{309}ng 📰 cục", "Tổng 📰 cục"),
        ("a b c d", "a  c d!"),
    ];
    for (old, new) in cases {
        let edits = copydesk::serve::diff_edits(old, new);
        let mut text = old.to_string();
        for e in edits.iter().rev() {
            let (a, b) = (
                e["start"]["offset"].as_u64().unwrap() as usize,
                e["end"]["offset"].as_u64().unwrap() as usize,
            );
            text.replace_range(a..b, e["replacement"].as_str().unwrap());
        }
        assert_eq!(text, new, "{old:?} -> {new:?}: {edits:?}");
    }
}

#[tokio::test]
async fn a_document_id_reuses_unchanged_paragraphs_and_answers_the_same() {
    let s = state();
    let paras: Vec<String> = (0..12)
        .map(|i| format!("Đoạn {i}: theo Tổng cục thống kê, kim ngạch tăng 12.5% so với cùng kỳ ."))
        .collect();
    let mut text = paras.join("\n\n");
    let check = |text: &str, id: Option<&str>| {
        let mut body = json!({ "text": text });
        if let Some(id) = id {
            body["document"] = json!(id);
        }
        call(&s, post_json("/v1/check", &body))
    };
    let (status, first, h) = check(&text, Some("bài-1")).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(h["x-copydesk-blocks"], "reused=0, checked=12");
    // One paragraph typed in: only it is checked again; the answer equals a whole check.
    text = text.replacen("Đoạn 5:", "Đoạn 5 (sửa)  :", 1);
    let (_, cached, h) = check(&text, Some("bài-1")).await;
    assert_eq!(h["x-copydesk-blocks"], "reused=11, checked=1");
    let (_, whole, h) = check(&text, None).await;
    assert!(h.get("x-copydesk-blocks").is_none());
    assert_eq!(cached, whole);
    assert_ne!(cached, first);
    // Another document id has its own cache.
    let (_, _, h) = check(&text, Some("bài-2")).await;
    assert_eq!(h["x-copydesk-blocks"], "reused=0, checked=12");
    let (_, health, _) = call(&s, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(health["session_cache"]["documents"], 2, "{health}");
    assert!(health["session_cache"]["bytes"].as_u64().unwrap() > 2 * text.len() as u64);
    // Ids are bounded.
    for bad in [json!(""), json!("x".repeat(201)), json!(5)] {
        let (status, v, _) = call(&s, post_json("/v1/check", &json!({ "text": "a", "document": bad }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["error"]["field"], "document", "{v}");
    }
}

#[tokio::test]
async fn without_a_session_cache_a_document_id_changes_nothing() {
    let s = state_with(Options {
        session_cache: 0,
        ..Options::default()
    });
    let (status, v, h) = call(&s, post_json("/v1/check", &json!({ "text": ARTICLE, "document": "x" }))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(h.get("x-copydesk-blocks").is_none());
    let (_, plain, _) = call(&s, post_json("/v1/check", &json!({ "text": ARTICLE }))).await;
    assert_eq!(v, plain);
}

/// Puts each `{"shared": i}` of a `share_fixes` answer back: `check --format json`'s document.
fn expand_shared(mut v: Value) -> Value {
    let shared = v.as_object_mut().unwrap().remove("shared_fixes").expect("shared_fixes");
    for d in v["diagnostics"].as_array_mut().unwrap() {
        for f in d["fixes"].as_array_mut().unwrap() {
            if let Some(i) = f.get("shared").and_then(Value::as_u64) {
                *f = shared[i as usize].clone();
            }
        }
    }
    v
}

#[tokio::test]
async fn share_fixes_writes_a_document_wide_fix_once_and_expands_to_the_same_answer() {
    let s = state();
    // TP.HCM written three ways, quotation marks straight twice, a word in NFD and an emoji
    // before them: each finding of `typography.city-hcm` and `quotes.straight` offers the
    // same document-wide fixes.
    let nfd = "Ho\u{300}a";
    let text = format!(
        "Giá điện ở TP.HCM tăng 📰\n\n{nfd} nói người dân TP. HCM và TPHCM phản ánh.\n\nỞ TP.HCM, \"giá\" tăng còn \"phí\" giảm.\n"
    );
    let (status, full, _) = call(&s, post_json("/v1/check", &json!({ "text": text }))).await;
    assert_eq!(status, StatusCode::OK, "{full}");
    assert!(
        full.get("shared_fixes").is_none(),
        "the default answer is the CLI's: {full}"
    );
    let (status, compact, _) = call(
        &s,
        post_json("/v1/check", &json!({ "text": text, "share_fixes": true })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{compact}");
    let shared = compact["shared_fixes"].as_array().unwrap();
    assert!(!shared.is_empty(), "{compact}");
    // Each shared fix is offered by at least two findings, and written out nowhere else.
    let refs: Vec<u64> = compact["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| {
            d["fixes"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|f| f["shared"].as_u64())
        })
        .collect();
    for i in 0..shared.len() as u64 {
        assert!(
            refs.iter().filter(|&&r| r == i).count() >= 2,
            "shared fix {i}: {compact}"
        );
    }
    assert!(serde_json::to_vec(&compact).unwrap().len() < serde_json::to_vec(&full).unwrap().len());
    assert_eq!(expand_shared(compact), full);
    // With a document id too, and an answer with no findings has an empty table.
    let (_, cached, _) = call(
        &s,
        post_json(
            "/v1/check",
            &json!({ "text": text, "share_fixes": true, "document": "d" }),
        ),
    )
    .await;
    assert_eq!(expand_shared(cached), full);
    let (_, clean, _) = call(&s, post_json("/v1/check", &json!({ "text": "", "share_fixes": true }))).await;
    assert_eq!(clean["shared_fixes"], json!([]), "{clean}");
    let (status, v, _) = call(
        &s,
        post_json("/v1/check", &json!({ "text": "a", "share_fixes": "yes" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
}
