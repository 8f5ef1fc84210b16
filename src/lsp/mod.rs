//! The language server (`copydesk lsp`): LSP over stdio on tower-lsp-server and tokio.
//!
//! Code map:
//! - `proto`: the only module that names LSP library types; converts byte ranges to and
//!   from positions in the negotiated encoding (UTF-8, UTF-16 or UTF-32).
//! - `guard`: wraps the library's service; applies text-sync notifications in arrival
//!   order and turns handler panics into error responses.
//! - `stdio`: frames stdin on a thread (bounded size, resynchronizing after garbage) and
//!   turns messages the library cannot decode into error reports instead of ending.
//! - `text_sync`: open documents as ropes, incremental edits (clamped, never a panic).
//! - `diagnostics`: debounced checks off the protocol task with a per-document block
//!   cache, push or pull delivery, stale results dropped; rule-file problems.
//! - `workspace`: projects per config file plus client settings; reloads keep the last
//!   good rules when a rule file breaks.
//! - `actions`, `hover`, `server`: code actions and fix-all, hover, the message table.
//!
//! Invariants: the engine never sees LSP types; a check never blocks the protocol task;
//! a result for an old generation of a document is never published.

mod actions;
mod diagnostics;
mod guard;
mod hover;
pub mod proto;
mod server;
mod state;
mod stdio;
mod text_sync;
mod workspace;

use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

use proto::{LspService, Server};
use server::Backend;

pub use server::{COMMAND_DEBUG_PANIC, COMMAND_FIX_ALL, COMMAND_RELOAD};

/// Serves one client over a pair of byte streams until it sends `exit` (or closes its
/// end). Returns whether `shutdown` came before, as the protocol asks.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    serve_until(input, output, None).await
}

/// How long responses already under way may take once input has ended.
const END_GRACE: Duration = Duration::from_millis(200);

/// [`serve`], also ending [`END_GRACE`] after `ended` is notified (the end of input):
/// pending checks are cancelled and requests still computing are not waited for.
async fn serve_until<I, O>(input: I, output: O, ended: Option<Arc<tokio::sync::Notify>>) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (service, socket) = LspService::build(Backend::new)
        .custom_method("copydesk/debugText", Backend::debug_text)
        .custom_method("copydesk/debugStats", Backend::debug_stats)
        .finish();
    let shared = service.inner().shared.clone();
    let service = guard::Guarded {
        inner: service,
        shared: shared.clone(),
    };
    let server = Server::new(input, output, socket).serve(service);
    match ended {
        None => server.await,
        Some(ended) => {
            let s = shared.clone();
            let cancel = async move {
                ended.notified().await;
                s.cancelled.store(true, Ordering::SeqCst);
                s.changed.notify_waiters();
                tokio::time::sleep(END_GRACE).await;
            };
            tokio::select! {
                _ = server => {}
                _ = cancel => {}
            }
        }
    }
    shared.shutdown.load(Ordering::SeqCst)
}

/// Keeps glibc's malloc to one arena. A long-running server whose checks hop between
/// threads otherwise grows an arena per thread and fragments them: typing in a 1 MB
/// document took the process from 140 MB to 290 MB, against 100 MB with one arena.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    const M_ARENA_MAX: std::ffi::c_int = -8;
    // SAFETY: `mallopt` only changes allocator tuning; it is called before any other
    // thread of the server exists.
    unsafe {
        mallopt(M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

/// Gives freed memory back to the system after projects are freed (glibc keeps it
/// otherwise, and the server's RSS would never go down).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn trim_heap() {
    extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: `malloc_trim` only releases free heap memory; it is thread-safe.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn trim_heap() {}

/// Runs the server over stdio until the client says `exit`. The exit code is 0 after
/// `shutdown` then `exit`, 1 when `exit` came without `shutdown` or stdin closed.
pub fn run_stdio(max_message_size: Option<u64>) -> ExitCode {
    limit_malloc_arenas();
    if let Some(n) = max_message_size {
        stdio::set_max_message_bytes(n);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("copydesk lsp: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let ended = Arc::new(tokio::sync::Notify::new());
    let input = stdio::stdin(ended.clone());
    let clean = runtime.block_on(serve_until(input, tokio::io::stdout(), Some(ended)));
    // Checks still running on the blocking pool are not waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    ExitCode::from(if clean { 0 } else { 1 })
}
