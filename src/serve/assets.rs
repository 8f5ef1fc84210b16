//! The web editor, embedded in the binary: the page at `/` and the `editors/web` module it
//! uses (the same file a CMS loads, so the page and the module cannot drift).

use axum::http::header;
use axum::response::{IntoResponse, Response};

const INDEX: &str = include_str!("page.html");
const MODULE: &str = include_str!("../../editors/web/copydesk.js");

/// The page's own script and style are inline; nothing else is loaded.
const CSP: &str = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; \
                   connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

pub async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX,
    )
        .into_response()
}

pub async fn module() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
            // A CMS page on another origin may import it (the API still needs CORS).
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        MODULE,
    )
        .into_response()
}
