//! The HTTP API: request bodies, handlers and JSON errors. Every error answer is
//! `{"error": {"code", "message", …}}` with the status that fits; nothing panics on input.

use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::incremental::Revision;
use super::report::{
    check_json, check_json_shared, edit_positions, file_report, position, shared_to_bytes, to_bytes, with_header,
};
use super::sessions::DocCache;
use super::AppState;
// A rule is the same object here as a row of `copydesk rules list --json`.
use crate::cli::rules_cmd::rule_row;
use crate::config::{Config, PlainHeadline};
use crate::diagnostic::Diagnostic;
use crate::document::{Document, Format};
use crate::engine::{BlockCache, Engine};
use crate::fix::fix_to_fixpoint_checking;
use crate::text::LineIndex;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub extra: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            extra: Value::Null,
        }
    }

    fn with(mut self, extra: Value) -> ApiError {
        self.extra = extra;
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "code": self.code, "message": self.message });
        if let (Value::Object(b), Value::Object(x)) = (&mut body, self.extra) {
            b.extend(x);
        }
        let mut r = (self.status, axum::Json(json!({ "error": body }))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        r
    }
}

/// `POST /v1/check`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The text; absent only when `edit` gives the change since `base`.
    #[serde(default)]
    pub text: Option<String>,
    /// `plain`, `markdown` or `html`; default: from `path`, else plain.
    #[serde(default)]
    pub format: Option<String>,
    /// A file name: the format when `format` is absent, per-folder overrides, and the
    /// `file` of the answer. Never read from disk.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub profile: Option<String>,
    /// An id the client keeps for one document while it is edited (the web editor makes
    /// one per editor): the service then keeps the document's block results and re-runs
    /// the block pass of changed paragraphs only. Findings are the same with or without it.
    #[serde(default)]
    pub document: Option<String>,
    /// Write a fix that several findings offer (a document-wide one) once, in
    /// `shared_fixes`, and `{"shared": INDEX}` in those findings' `fixes` (the web editor
    /// asks for it: a real article's answer is then about half the size). Default: the
    /// document of `check --format json` as it is.
    #[serde(default)]
    pub share_fixes: bool,
    /// Keep this answer (with `document`): the answer gains `revision`, which a later
    /// request names as `base` to send only its edit and get only the findings that changed.
    #[serde(default)]
    pub incremental: bool,
    /// The `revision` of this document's last answer: the answer is then a delta from it.
    #[serde(default)]
    pub base: Option<String>,
    /// The change since `base` (instead of `text`), in UTF-16 units of the base text.
    #[serde(default)]
    pub edit: Option<TextEdit>,
}

/// `base`'s text with `start..end` (UTF-16 code units, as JavaScript counts) replaced by
/// `text`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextEdit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// `POST /v1/fix`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixRequest {
    /// The text to fix; absent only when `base` (with or without `edit`) names it.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub profile: Option<String>,
    /// Only fix findings of these rules (`pack/id` or `id`); default: every rule.
    #[serde(default)]
    pub rules: Option<Vec<String>>,
    /// Apply unsafe fixes too (fixes that may change meaning).
    #[serde(default, rename = "unsafe")]
    pub unsafe_fixes: bool,
    /// The `document` id of `/v1/check`: the fix rounds reuse that document's block
    /// results, and leave them for its next check. The fixes never depend on it.
    #[serde(default)]
    pub document: Option<String>,
    /// Keep the fixed text as the document's revision (with `document`), as `/v1/check`
    /// does: the answer gains `revision`, on which the next incremental check builds.
    #[serde(default)]
    pub incremental: bool,
    /// Fix the text of this revision of the document (with `edit` applied, if given)
    /// instead of a `text` sent whole.
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub edit: Option<TextEdit>,
}

/// The document a request's text makes, read as `check` reads a file of that format: the
/// config's `plain-headline`, and for HTML the attribute values `[html]` asks for.
fn make_document(config: &Config, text: String, format: Format) -> Document {
    match format {
        Format::Html => Document::html_with(text, &config.html.unwrap_or_default().attributes()),
        _ => Document::with_plain_headline(text, format, config.plain_headline != Some(PlainHeadline::None)),
    }
}

/// A check in the order `check` reports it: an HTML page's attribute values are read after
/// its text, so their findings go back to page order (as `cli::formats::check_html` does).
fn check_doc(engine: &Engine, doc: &Document, cache: Option<&mut BlockCache>) -> Vec<Diagnostic> {
    // Fault injection for the test of the service's panic guard (debug builds only).
    #[cfg(debug_assertions)]
    if std::env::var("COPYDESK_TEST_PANIC").is_ok_and(|marker| !marker.is_empty() && doc.text().contains(&marker)) {
        panic!("injected panic (COPYDESK_TEST_PANIC)");
    }
    let mut found = match cache {
        Some(c) => engine.check_cached(doc, c),
        None => engine.check(doc),
    };
    if doc.format() == Format::Html {
        found.sort_by_key(|d| (d.range.start, d.range.end));
    }
    found
}

/// A `document` id is 1 to `MAX_ID_BYTES` bytes.
fn valid_document_id(id: Option<&str>) -> Result<(), ApiError> {
    match id {
        Some(id) if id.is_empty() || id.len() > super::sessions::MAX_ID_BYTES => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
            format!("`document` must be 1 to {} bytes long", super::sessions::MAX_ID_BYTES),
        )
        .with(json!({ "field": "document" }))),
        _ => Ok(()),
    }
}

/// The document reader for a request: the one place a format name meets a reader.
pub fn document_format(format: Option<&str>, path: Option<&str>) -> Result<Format, ApiError> {
    match format {
        None => Ok(path.map_or(Format::Plain, |p| Format::from_path(Path::new(p)))),
        Some("plain" | "text" | "txt") => Ok(Format::Plain),
        Some("markdown" | "md") => Ok(Format::Markdown),
        Some("html" | "htm") => Ok(Format::Html),
        Some(other) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_format",
            format!("unknown format `{other}`; use `plain`, `markdown` or `html`"),
        )
        .with(json!({ "field": "format" }))),
    }
}

/// A document the reader refused (an HTML page nested too deep): 422 with where.
fn unreadable(doc: &Document) -> Result<(), ApiError> {
    match doc.error() {
        None => Ok(()),
        Some(e) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_document",
            e.message.clone(),
        )
        .with(json!({ "offset": e.offset }))),
    }
}

/// Checks the token when the service has one.
pub fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.options.token else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_token",
            "the bearer token is wrong",
        )),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing_token",
            "this service needs `Authorization: Bearer TOKEN`",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads a JSON body: size, content type, UTF-8 and syntax problems each get their own
/// error, with the byte, line and column where they are.
pub fn parse_body<T: serde::de::DeserializeOwned>(
    state: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or("").trim();
        // Only JSON: a page on another origin cannot send it without a CORS preflight, so a
        // closed CORS policy also keeps other sites from making the service work.
        if essence != "application/json" {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("send `Content-Type: application/json`, not `{essence}`"),
            ));
        }
    }
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the request body is larger than {} bytes", state.options.max_body),
            )
            .with(json!({ "limit": state.options.max_body }))
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_body",
                format!("cannot read the request body: {e}"),
            )
        }
    })?;
    let text = match simdutf8::compat::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_utf8",
                format!("the request body is not valid UTF-8 at byte {at}"),
            )
            .with(json!({ "offset": at })));
        }
    };
    // From the checked `str`: its strings are not validated a second time.
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (status, code) = if inner.is_data() {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request")
        } else {
            (StatusCode::BAD_REQUEST, "malformed_json")
        };
        let mut extra = json!({ "line": inner.line(), "column": inner.column() });
        if path != "." {
            extra["field"] = json!(path);
        }
        ApiError::new(status, code, inner.to_string()).with(extra)
    })
}

fn load_errors(errs: &[crate::pack::LoadError]) -> ApiError {
    let list: Vec<String> = errs.iter().map(ToString::to_string).collect();
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "rules_unavailable",
        format!("the rules for this request do not load: {}", list.join("; ")),
    )
    .with(json!({ "errors": list }))
}

/// Runs CPU work off the async workers, within the per-request time and the service's
/// concurrency, so one request never holds up another's IO.
pub async fn run_blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let limit = state.options.timeout;
    let sem = state.workers.clone();
    let job = async move {
        let permit = sem.acquire_owned().await.map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "shutting_down",
                "the service is stopping",
            )
        })?;
        // The permit goes with the work: a request that timed out holds its worker until
        // its check ends, so abandoned work never piles onto the cores.
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the check failed unexpectedly",
            )
        })?
    };
    match tokio::time::timeout(limit, job).await {
        Ok(r) => r,
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!("the request took longer than {} ms", limit.as_millis()),
        )
        .with(json!({ "limit_ms": limit.as_millis() as u64 }))),
    }
}

fn json_ok(v: Value) -> Response {
    axum::Json(v).into_response()
}

/// A request of the wrong shape: 422 naming the field.
fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", message).with(json!({ "field": field }))
}

/// What of `text`, `document`, `incremental`, `base` and `edit` a request sent.
struct Shape {
    text: bool,
    edit: bool,
    base: bool,
    incremental: bool,
    document: bool,
}

/// The combinations of `text`, `document`, `incremental`, `base` and `edit` that make
/// sense. `base_alone`: a request may name a revision without `text` or `edit` (a fix of
/// the text the service holds; a check of it would answer nothing new).
fn valid_incremental(req: Shape, base_alone: bool) -> Result<(), ApiError> {
    match (req.text, req.edit) {
        (false, false) if !(base_alone && req.base) => return Err(invalid("text", "missing field `text`")),
        (true, true) => return Err(invalid("edit", "send `text` or `edit`, not both")),
        (false, true) if !req.base => return Err(invalid("base", "an `edit` needs the `base` revision it applies to")),
        _ => {}
    }
    if (req.incremental || req.base) && !req.document {
        let field = if req.base { "base" } else { "incremental" };
        return Err(invalid(field, "an incremental check needs a `document` id"));
    }
    Ok(())
}

/// The revision a request names as `base`, taken out of the document's slot (an answer
/// replaces it; a failed request drops it): 409 when the service does not hold it.
fn take_base(guard: Option<&mut DocCache>, base: Option<&str>) -> Result<Option<Revision>, ApiError> {
    let Some(b) = base else { return Ok(None) };
    match guard.and_then(|g| g.last.take_if(|r| r.id == b)) {
        Some(r) => Ok(Some(r)),
        None => Err(unknown_base(b)),
    }
}

/// The request's text: the one sent, or the base's with the edit applied (or as it is).
fn request_text(text: Option<String>, edit: Option<&TextEdit>, base: Option<&Revision>) -> Result<String, ApiError> {
    match (text, edit, base) {
        (Some(t), _, _) => Ok(t),
        (None, Some(e), Some(b)) => {
            super::incremental::apply_utf16(&b.text, e.start, e.end, &e.text).ok_or_else(|| {
                invalid(
                    "edit",
                    "`edit` must lie within the base text (UTF-16 units, `start` ≤ `end`) and not split a character",
                )
            })
        }
        (None, None, Some(b)) => Ok(b.text.clone()),
        _ => Err(invalid("text", "missing field `text`")),
    }
}

/// 409: the service does not hold the revision a request builds on.
fn unknown_base(base: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "unknown_base",
        format!("revision `{base}` of this document is not held (dropped, replaced or being checked); send the whole `text`"),
    )
    .with(json!({ "field": "base" }))
}

/// The keys an incremental answer writes before the check's own.
#[derive(serde::Serialize)]
struct DeltaHeader<'a> {
    revision: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    base: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edit: Option<DeltaEdit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kept_before: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kept_after: Option<usize>,
}

/// Where the base text changed: `start..end` of the base became `start..new_end`.
#[derive(serde::Serialize)]
struct DeltaEdit {
    start: crate::cli::output::json::JsonPosition,
    end: crate::cli::output::json::JsonPosition,
    new_end: crate::cli::output::json::JsonPosition,
}

pub async fn check(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let r = async {
        authorize(&state, &headers)?;
        let req: CheckRequest = parse_body(&state, &headers, body)?;
        let format = document_format(req.format.as_deref(), req.path.as_deref())?;
        valid_document_id(req.document.as_deref())?;
        valid_incremental(
            Shape {
                text: req.text.is_some(),
                edit: req.edit.is_some(),
                base: req.base.is_some(),
                incremental: req.incremental,
                document: req.document.is_some(),
            },
            false,
        )?;
        let st = state.clone();
        run_blocking(&state, move || {
            let project = st.rules.project(req.profile.as_deref()).map_err(|e| load_errors(&e))?;
            let path = req.path.clone().unwrap_or_else(|| "-".into());
            let engine = project.engine_for(Path::new(&path)).map_err(|e| load_errors(&e))?;
            let slot = req.document.as_deref().and_then(|id| Some((id, st.sessions.get(id)?)));
            // A check of the same document already running keeps its cache; this one
            // runs whole rather than wait (or, building on a revision, answers 409).
            let mut guard = slot.as_ref().and_then(|(_, c)| try_lock(c));
            let incremental = req.incremental || req.base.is_some();
            let context = format!("{format:?}\u{0}{path}");
            // The base the request names, if the service holds it.
            let base = take_base(guard.as_deref_mut(), req.base.as_deref())?;
            let text = request_text(req.text, req.edit.as_ref(), base.as_ref())?;
            let change = base
                .as_ref()
                .map(|b| super::incremental::Change::between(&b.text, &text));
            let doc = make_document(&project.config, text, format);
            unreadable(&doc)?;
            // The answer's positions are in the text sent: the document's own line index
            // is of that text unless it was extracted from a page.
            let lines = (format != Format::Html).then(|| doc.lines().clone());
            let (diagnostics, blocks) = match guard.as_mut() {
                Some(g) => {
                    let cache = g.for_engine(&engine);
                    let d = check_doc(&engine, &doc, Some(cache));
                    (d, Some((cache.hits, cache.misses)))
                }
                None => (check_doc(&engine, &doc, None), None),
            };
            let kept = match (&change, &base) {
                (Some(c), Some(b)) => Some(c.kept(b.findings_for(&engine, &context), &diagnostics)),
                _ => None,
            };
            let mut report = file_report(&path, doc.into_source(), lines, engine.clone(), diagnostics);
            // A delta answers the findings between the kept ones, with the whole summary.
            let summary = crate::cli::output::summarize(&report);
            let all = match kept {
                Some((before, after)) => {
                    let all = std::mem::take(&mut report.files[0].diagnostics);
                    report.files[0].diagnostics = all[before..all.len() - after].to_vec();
                    Some(all)
                }
                None => None,
            };
            // Serialized here, off the async workers.
            let internal =
                |e: serde_json::Error| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string());
            let mut bytes = if req.share_fixes {
                let mut j = check_json_shared(&report);
                j.summary = summary;
                shared_to_bytes(&j)
            } else {
                let mut j = check_json(&report);
                j.summary = summary;
                to_bytes(&j)
            }
            .map_err(internal)?;
            if let Some(all) = all {
                report.files[0].diagnostics = all;
            }
            if let (true, Some(g)) = (incremental, guard.as_mut()) {
                let file = &mut report.files[0];
                let revision = Revision {
                    id: st.sessions.next_revision(),
                    text: std::mem::take(&mut file.text),
                    context,
                    engine: Arc::downgrade(&engine),
                    diagnostics: std::mem::take(&mut file.diagnostics),
                };
                let edit = match (&base, &change) {
                    (Some(b), Some(c)) => {
                        let [start, end, new_end] = edit_positions(&b.text, &revision.text, c.start, c.end, c.new_end);
                        Some(DeltaEdit { start, end, new_end })
                    }
                    _ => None,
                };
                let header = DeltaHeader {
                    revision: &revision.id,
                    base: base.as_ref().map(|b| b.id.as_str()),
                    edit,
                    kept_before: kept.map(|k| k.0),
                    kept_after: kept.map(|k| k.1),
                };
                bytes = with_header(&header, &bytes).map_err(internal)?;
                g.last = Some(revision);
            }
            if let (Some((id, _)), Some(g)) = (&slot, guard.take()) {
                let held = g.bytes();
                drop(g);
                st.sessions.update(id, held);
            }
            Ok((bytes, blocks))
        })
        .await
    };
    match r.await {
        Ok((v, blocks)) => {
            let mut r = (
                [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                v,
            )
                .into_response();
            if let Some((hits, misses)) = blocks {
                // How many blocks were reused and checked (the answer's body stays the CLI's).
                if let Ok(h) = HeaderValue::from_str(&format!("reused={hits}, checked={misses}")) {
                    r.headers_mut().insert("x-copydesk-blocks", h);
                }
            }
            r
        }
        Err(e) => e.into_response(),
    }
}

pub async fn fix(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let r = async {
        authorize(&state, &headers)?;
        let req: FixRequest = parse_body(&state, &headers, body)?;
        let format = document_format(req.format.as_deref(), req.path.as_deref())?;
        valid_document_id(req.document.as_deref())?;
        valid_incremental(
            Shape {
                text: req.text.is_some(),
                edit: req.edit.is_some(),
                base: req.base.is_some(),
                incremental: req.incremental,
                document: req.document.is_some(),
            },
            true,
        )?;
        let st = state.clone();
        run_blocking(&state, move || {
            let project = st.rules.project(req.profile.as_deref()).map_err(|e| load_errors(&e))?;
            let path = req.path.clone().unwrap_or_else(|| "-".into());
            let engine = project.engine_for(Path::new(&path)).map_err(|e| load_errors(&e))?;
            let wanted = match &req.rules {
                None => None,
                Some(names) => {
                    let mut idx = Vec::new();
                    for n in names {
                        match engine.find_rule(n) {
                            Some(i) => idx.push(i),
                            None => {
                                return Err(ApiError::new(
                                    StatusCode::UNPROCESSABLE_ENTITY,
                                    "unknown_rule",
                                    format!("no rule named `{n}`; `GET /v1/rules` lists them"),
                                )
                                .with(json!({ "field": "rules" })))
                            }
                        }
                    }
                    Some(idx)
                }
            };
            let make_doc = |t: String, f| make_document(&project.config, t, f);
            let filter = |d: &crate::Diagnostic| wanted.as_ref().is_none_or(|w| w.contains(&d.rule));
            // Each round changes a few paragraphs: the rounds share one block cache, the
            // document's own when it has an id (and nobody else is checking it), so the
            // editor's "fix all" after a check re-runs only the paragraphs it fixes.
            let slot = req.document.as_deref().and_then(|id| Some((id, st.sessions.get(id)?)));
            let mut local = BlockCache::new();
            let mut guard = slot.as_ref().and_then(|(_, c)| try_lock(c));
            let base = take_base(guard.as_deref_mut(), req.base.as_deref())?;
            let text = request_text(req.text, req.edit.as_ref(), base.as_ref())?;
            drop(base);
            unreadable(&make_doc(text.clone(), format))?;
            let cache = match guard.as_mut() {
                Some(g) => g.for_engine(&engine),
                None => &mut local,
            };
            let mut check = |d: &Document| check_doc(&engine, d, Some(&mut *cache));
            let outcome = fix_to_fixpoint_checking(&text, format, &make_doc, &mut check, &filter, !req.unsafe_fixes);
            let edits = diff_edits(&text, &outcome.text);
            let mut report = file_report(&path, outcome.text.clone(), None, engine.clone(), outcome.remaining);
            let mut answer = json!({
                "text": outcome.text,
                "applied": outcome.applied,
                "edits": edits,
                "report": check_json(&report),
            });
            // In a session, the fixed text and its findings become the document's revision:
            // the next incremental check sends the edit since the fixed text, not the text.
            if let (true, Some(g)) = (req.incremental || req.base.is_some(), guard.as_mut()) {
                let file = &mut report.files[0];
                let revision = Revision {
                    id: st.sessions.next_revision(),
                    text: std::mem::take(&mut file.text),
                    context: format!("{format:?}\u{0}{path}"),
                    engine: Arc::downgrade(&engine),
                    diagnostics: std::mem::take(&mut file.diagnostics),
                };
                answer["revision"] = json!(revision.id);
                g.last = Some(revision);
            }
            let held = guard.as_ref().map(|g| g.bytes());
            drop(guard);
            if let (Some((id, _)), Some(bytes)) = (&slot, held) {
                st.sessions.update(id, bytes);
            }
            Ok(answer)
        })
        .await
    };
    match r.await {
        Ok(v) => json_ok(v),
        Err(e) => e.into_response(),
    }
}

/// The lock if nobody holds it (a panic under it does not matter: the cache is reset
/// when its engine differs, and its entries are whole).
fn try_lock<T>(m: &std::sync::Mutex<T>) -> Option<std::sync::MutexGuard<'_, T>> {
    match m.try_lock() {
        Ok(g) => Some(g),
        Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => None,
    }
}

/// The edits that turn `old` into `new`, in positions of `old` (ascending, disjoint), from
/// a character diff bounded in time (past it the diff is coarser, never wrong).
pub fn diff_edits(old: &str, new: &str) -> Vec<Value> {
    if old == new {
        return Vec::new();
    }
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(std::time::Duration::from_millis(300))
        .diff_chars(old, new);
    let lines = LineIndex::new(old);
    let mut out: Vec<Value> = Vec::new();
    // Walk both texts once: `o`/`n` are byte cursors, advanced by whole characters.
    let (mut o, mut n) = (0usize, 0usize);
    let advance = |s: &str, from: usize, chars: usize| -> usize {
        s[from..].char_indices().nth(chars).map_or(s.len(), |(i, _)| from + i)
    };
    let mut pending: Option<(usize, usize, usize, usize)> = None; // old start/end, new start/end
    for op in diff.ops() {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let o_end = advance(old, o, old_range.len());
        let n_end = advance(new, n, new_range.len());
        if tag == similar::DiffTag::Equal {
            if let Some((os, oe, ns, ne)) = pending.take() {
                out.push(json!({
                    "start": position(&lines, old, os),
                    "end": position(&lines, old, oe),
                    "replacement": &new[ns..ne],
                }));
            }
        } else {
            let p = pending.get_or_insert((o, o, n, n));
            p.1 = o_end;
            p.3 = n_end;
        }
        o = o_end;
        n = n_end;
    }
    if let Some((os, oe, ns, ne)) = pending {
        out.push(json!({
            "start": position(&lines, old, os),
            "end": position(&lines, old, oe),
            "replacement": &new[ns..ne],
        }));
    }
    out
}

pub async fn rules(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Err(e) = authorize(&state, &headers) {
        return e.into_response();
    }
    match state.rules.project(None) {
        Ok(p) => json_ok(Value::Array(p.engine().rules().iter().map(|r| rule_row(r)).collect())),
        Err(e) => load_errors(&e).into_response(),
    }
}

pub async fn rule(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    if let Err(e) = authorize(&state, &headers) {
        return e.into_response();
    }
    let project = match state.rules.project(None) {
        Ok(p) => p,
        Err(e) => return load_errors(&e).into_response(),
    };
    let engine = project.engine();
    if let Some(idx) = engine.find_rule(&id) {
        let r = engine.rule(idx);
        let mut row = rule_row(r);
        row["examples"] = r
            .examples
            .iter()
            .map(|e| json!({ "text": e.text, "expect": e.expect, "fixed": e.fixed }))
            .collect();
        row["explain"] = json!(crate::cli::rules_cmd::explain_rule(r));
        return json_ok(row);
    }
    if let Some(k) = crate::rules::kind(&id) {
        return json_ok(json!({ "kind": k.name, "explain": k.doc.trim_end() }));
    }
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_rule",
        format!("no rule or rule kind named `{id}`; `GET /v1/rules` lists them"),
    )
    .into_response()
}

pub async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let errors: Vec<String> = state.rules.errors().iter().map(ToString::to_string).collect();
    let rules = state.rules.project(None).map(|p| p.engine().rules().len()).unwrap_or(0);
    let (docs, bytes) = state.sessions.stats();
    json_ok(json!({
        "status": if errors.is_empty() { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
        "reloads": state.rules.reloads(),
        "rule_errors": errors,
        "session_cache": { "documents": docs, "bytes": bytes },
    }))
}

pub async fn not_found() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see docs/serve.md",
    )
    .into_response()
}

pub async fn method_not_allowed() -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method (checks and fixes are POST, the rest GET)",
    )
    .into_response()
}
