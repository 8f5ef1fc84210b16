//! The service wrapper around tower-lsp-server's `LspService`, for two guarantees the
//! library does not give:
//!
//! - **Order.** The library runs handlers concurrently, so two `didChange`s could be
//!   applied out of order. Text-sync notifications are applied here, inside `call`, which
//!   the transport invokes once per message in arrival order; every later request sees
//!   every earlier edit.
//! - **Panic isolation.** A panic in a handler becomes an internal-error response (for a
//!   request) and a `window/logMessage`; the server keeps serving.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tower_service::Service;

use super::proto::{lsp, panic_response, ErrorCode, ExitedError, Request, Response, RpcError};
use super::state::{read, Shared};
use super::text_sync;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

pub struct Guarded<S> {
    pub(crate) inner: S,
    pub(crate) shared: Arc<Shared>,
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Polls a future, turning a panic into `Err(message)`.
struct CatchUnwind<F>(F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.0;
        match catch_unwind(AssertUnwindSafe(|| Pin::new(inner).poll(cx))) {
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(p) => Poll::Ready(Err(panic_message(p.as_ref()))),
        }
    }
}

/// The report of a bad message from the frame reader (`stdio.rs`): logged, and answered
/// with its JSON-RPC error when it had an id.
fn invalid_message(shared: &Arc<Shared>, req: Request) -> Option<Response> {
    let (_, id, params) = req.into_parts();
    let params = params.unwrap_or_default();
    let code = params.get("code").and_then(|c| c.as_i64()).unwrap_or(-32600);
    let message = params
        .get("message")
        .and_then(|m| m.as_str())
        .unwrap_or("a bad message")
        .to_string();
    shared.log(lsp::MessageType::ERROR, format!("copydesk: ignored {message}"));
    let id = id?;
    let error = RpcError {
        code: ErrorCode::from(code),
        message: format!("copydesk: {message}").into(),
        data: None,
    };
    Some(Response::from_error(id, error))
}

impl<S> Service<Request> for Guarded<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + Unpin + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() == super::stdio::INVALID_MESSAGE {
            return Box::pin(std::future::ready(Ok(invalid_message(&self.shared, req))));
        }
        let is_sync = matches!(
            req.method(),
            "textDocument/didOpen" | "textDocument/didChange" | "textDocument/didClose"
        ) && req.id().is_none();
        if is_sync {
            if read(&self.shared.session).initialized
                && !self.shared.shutdown.load(std::sync::atomic::Ordering::Relaxed)
            {
                let (method, _, params) = req.into_parts();
                let shared = &self.shared;
                match catch_unwind(AssertUnwindSafe(|| text_sync::apply(shared, &method, params))) {
                    Ok(logs) => {
                        for m in logs {
                            shared.log(lsp::MessageType::WARNING, m);
                        }
                    }
                    Err(p) => shared.log(
                        lsp::MessageType::ERROR,
                        format!("copydesk: internal error in {method}: {}", panic_message(p.as_ref())),
                    ),
                }
            }
            return Box::pin(std::future::ready(Ok(None)));
        }
        let id = req.id().cloned();
        let method = req.method().to_string();
        let shared = self.shared.clone();
        let fut = self.inner.call(req);
        Box::pin(async move {
            match CatchUnwind(fut).await {
                Ok(r) => r,
                Err(message) => {
                    shared
                        .client
                        .log_message(
                            lsp::MessageType::ERROR,
                            format!("copydesk: internal error while handling {method}: {message}"),
                        )
                        .await;
                    Ok(id.map(|id| panic_response(id, &method, &message)))
                }
            }
        })
    }
}
