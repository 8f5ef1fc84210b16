//! `copydesk serve`: the HTTP service (a JSON API over the engine) and the web editor.
//!
//! Code map:
//! - `api`: request bodies, handlers, JSON errors and limits; CPU work runs in
//!   `spawn_blocking` under a semaphore and a per-request deadline.
//! - `report`: the answers, built by the CLI's `--format json` code plus UTF-16 and
//!   character offsets in every position.
//! - `rules`: the compiled rules, shared; polled reloads keep the last good rules.
//! - `sessions`: block caches of documents named by a `document` id, LRU-bounded, so an
//!   edit re-checks only the paragraphs it changed; with them each document's last
//!   incremental answer.
//! - `incremental`: the incremental protocol (an edit on a revision in, the findings that
//!   changed out).
//! - `assets`: the page at `/` and the `editors/web` module, embedded in the binary.
//!
//! Invariants: the engine never sees HTTP; a request never blocks the async workers; the
//! service listens on loopback unless `--listen` says otherwise.

mod api;
mod assets;
mod incremental;
pub mod report;
mod rules;
mod sessions;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method};
use axum::routing::{get, post};
use axum::Router;
use clap::Args;
use tokio::sync::Semaphore;

pub use api::{diff_edits, document_format};
pub use rules::RuleStore;

use crate::cli::ConfigArgs;

/// Default `--listen`.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7650";
/// Default `--session-cache-mb`.
pub const DEFAULT_SESSION_CACHE_MIB: usize = 64;
/// Default `--max-body`: 5 MiB.
pub const DEFAULT_MAX_BODY: usize = 5 * 1024 * 1024;

/// `copydesk serve`.
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on (loopback by default; port 0 picks a free one).
    #[arg(long, value_name = "ADDR:PORT", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on the API, the token read from this file.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Let pages from this origin call the API (CORS); may be repeated; `*` for any.
    /// Default: none (browsers allow only the service's own page).
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY)]
    pub max_body: usize,
    /// Longest a request may take, in milliseconds (waiting for a worker included).
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// How often to look for config and rule-file changes, in milliseconds (0: never).
    #[arg(long, value_name = "MS", default_value_t = 1_000)]
    pub reload_interval_ms: u64,
    /// Checks run at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Memory for the block caches of documents checked with a `document` id, in MiB
    /// (0: none; every check then runs whole).
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_SESSION_CACHE_MIB)]
    pub session_cache_mb: usize,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Limits and settings of a running service.
#[derive(Debug, Clone)]
pub struct Options {
    pub token: Option<String>,
    pub cors_origins: Vec<String>,
    pub max_body: usize,
    pub timeout: Duration,
    pub workers: usize,
    /// Bytes of block caches kept for documents with an id (0: none).
    pub session_cache: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            token: None,
            cors_origins: Vec::new(),
            max_body: DEFAULT_MAX_BODY,
            timeout: Duration::from_secs(10),
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            session_cache: DEFAULT_SESSION_CACHE_MIB << 20,
        }
    }
}

/// What every handler shares.
pub struct AppState {
    pub rules: RuleStore,
    pub options: Options,
    workers: Arc<Semaphore>,
    sessions: sessions::Sessions,
}

impl AppState {
    pub fn new(rules: RuleStore, options: Options) -> Arc<AppState> {
        Arc::new(AppState {
            workers: Arc::new(Semaphore::new(options.workers.max(1))),
            sessions: sessions::Sessions::new(options.session_cache),
            rules,
            options,
        })
    }
}

/// The whole service as a router (the tests drive it without a socket).
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/v1/check", post(api::check))
        .route("/v1/fix", post(api::fix))
        .route("/v1/rules", get(api::rules))
        .route("/v1/rules/{*id}", get(api::rule))
        .route("/healthz", get(api::healthz))
        .route("/", get(assets::index))
        .route("/copydesk.js", get(assets::module))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(state.options.max_body));
    let api = match cors(&state.options.cors_origins) {
        Some(layer) => api.layer(layer),
        None => api,
    };
    api.with_state(state)
}

fn cors(origins: &[String]) -> Option<tower_http::cors::CorsLayer> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
            .max_age(Duration::from_secs(600)),
    )
}

fn fail(message: &str) -> ExitCode {
    eprintln!("copydesk: error: {message}");
    ExitCode::from(crate::cli::EXIT_ERROR)
}

/// Entry point of `copydesk serve`.
pub fn run(args: &ServeArgs) -> ExitCode {
    let token = match &args.token_file {
        None => None,
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
            Ok(_) => return fail(&format!("the token file {} is empty", p.display())),
            Err(e) => {
                return fail(&format!(
                    "cannot read the token file {}: {}",
                    p.display(),
                    crate::cli::files::io_message(&e)
                ))
            }
        },
    };
    for o in &args.cors_origins {
        if o != "*" && (HeaderValue::from_str(o).is_err() || !(o.starts_with("http://") || o.starts_with("https://"))) {
            return fail(&format!(
                "`{o}` is not an origin; write it as `https://cms.example.com` (scheme, host, port)"
            ));
        }
    }
    if args.max_body == 0 {
        return fail("--max-body must be at least 1");
    }
    let store = match RuleStore::new(&args.config) {
        Ok(s) => s,
        Err(errs) => {
            for e in errs {
                eprintln!("error: {e}");
            }
            return fail("the rules do not load; the service did not start");
        }
    };
    let defaults = Options::default();
    let options = Options {
        token,
        cors_origins: args.cors_origins.clone(),
        max_body: args.max_body,
        timeout: Duration::from_millis(args.timeout_ms.max(1)),
        workers: args.workers.unwrap_or(defaults.workers).max(1),
        session_cache: args.session_cache_mb.saturating_mul(1 << 20),
    };
    let state = AppState::new(store, options);
    // Checks run on blocking threads, at most `workers` at once (the semaphore); each
    // thread keeps the kinds' per-thread word memos and its own allocator arena, so a
    // pool of 512 threads (tokio's default) let memory creep up under load. Exactly
    // `workers`: the next check then queues for the thread that just finished (its
    // memos warm in that core's cache) instead of waking an idle one; the reload poll
    // waits for at most one check.
    let blocking = state.options.workers;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking)
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(&format!("cannot start the runtime: {e}")),
    };
    runtime.block_on(serve(args, state))
}

async fn serve(args: &ServeArgs, state: Arc<AppState>) -> ExitCode {
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => return fail(&format!("cannot listen on {}: {e}", args.listen)),
    };
    let addr = listener.local_addr().unwrap_or(args.listen);
    if !addr.ip().is_loopback() && state.options.token.is_none() {
        eprintln!("copydesk: warning: listening beyond loopback without --token-file; anyone who can reach {addr} can use the service");
    }
    eprintln!("copydesk: serving on http://{addr}/ (the editor at /, the API under /v1/); Ctrl-C stops");
    if args.reload_interval_ms > 0 {
        let st = state.clone();
        let every = Duration::from_millis(args.reload_interval_ms);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let s = st.clone();
                let _ = tokio::task::spawn_blocking(move || s.rules.reload_if_changed()).await;
            }
        });
    }
    let app = router(state);
    let served = axum::serve(listener, app).with_graceful_shutdown(stop_signal()).await;
    match served {
        Ok(()) => {
            eprintln!("copydesk: stopped");
            ExitCode::from(crate::cli::EXIT_OK)
        }
        Err(e) => fail(&format!("the service failed: {e}")),
    }
}

/// SIGINT (Ctrl-C) or SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
