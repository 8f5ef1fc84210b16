//! The protocol edge: the LSP types we use (re-exported from tower-lsp-server) and every
//! conversion between engine values (byte ranges, severities, paths) and LSP values
//! (positions in the negotiated encoding, URIs). No other module under `lsp/` names
//! `tower_lsp_server` or `ls_types`, so a library upgrade touches this file.

use std::ops::Range;
use std::path::{Path, PathBuf};

pub use tower_lsp_server::jsonrpc::{self, Error as RpcError, ErrorCode, Id, Request, Response, Result as RpcResult};
pub use tower_lsp_server::ls_types as lsp;
pub use tower_lsp_server::{Client, ClientSocket, ExitedError, LanguageServer, LspService, Server};

use crate::diagnostic::Severity;
use crate::text::{Encoding, LineCol, LineIndex};

/// The `positionEncoding` to use: the first of the client's offers that we support
/// (UTF-8, UTF-16, UTF-32), or UTF-16, which every client must support.
pub fn negotiate_encoding(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
    offered
        .unwrap_or_default()
        .iter()
        .find_map(|k| encoding_from_kind(k.as_str()))
        .unwrap_or(Encoding::Utf16)
}

fn encoding_from_kind(kind: &str) -> Option<Encoding> {
    match kind {
        "utf-8" => Some(Encoding::Utf8),
        "utf-16" => Some(Encoding::Utf16),
        "utf-32" => Some(Encoding::Utf32),
        _ => None,
    }
}

pub fn encoding_kind(encoding: Encoding) -> lsp::PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The LSP position of byte `offset`.
pub fn position(lines: &LineIndex, offset: usize, encoding: Encoding) -> lsp::Position {
    let p = lines.position(offset, encoding);
    lsp::Position::new(clamp_u32(p.line), clamp_u32(p.col))
}

/// The LSP range of a byte range.
pub fn range(lines: &LineIndex, r: Range<usize>, encoding: Encoding) -> lsp::Range {
    lsp::Range::new(position(lines, r.start, encoding), position(lines, r.end, encoding))
}

/// The byte offset of an LSP position, clamped to the text; `true` when it had to clamp.
pub fn offset(lines: &LineIndex, pos: lsp::Position, encoding: Encoding) -> (usize, bool) {
    lines.offset(
        LineCol {
            line: pos.line as usize,
            col: pos.character as usize,
        },
        encoding,
    )
}

/// The byte range of an LSP range (start and end swapped if reversed); `true` when clamped.
pub fn byte_range(lines: &LineIndex, r: lsp::Range, encoding: Encoding) -> (Range<usize>, bool) {
    let (a, ca) = offset(lines, r.start, encoding);
    let (b, cb) = offset(lines, r.end, encoding);
    (a.min(b)..a.max(b), ca || cb || a > b)
}

/// A one-based line and one-based character column (as in [`crate::pack::LoadError`]) as
/// an LSP position in `encoding`.
pub fn human_position(lines: &LineIndex, line: usize, column: usize, encoding: Encoding) -> lsp::Position {
    if line == 0 {
        return lsp::Position::new(0, 0);
    }
    let (start, _) = lines.offset(
        LineCol {
            line: line - 1,
            col: column.saturating_sub(1),
        },
        Encoding::Utf32,
    );
    position(lines, start, encoding)
}

pub fn severity(s: Severity) -> Option<lsp::DiagnosticSeverity> {
    Some(match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint | Severity::Off => lsp::DiagnosticSeverity::HINT,
    })
}

/// The local path of a `file:` URI.
pub fn path_of(uri: &lsp::Uri) -> Option<PathBuf> {
    if !uri.as_str().starts_with("file:") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

/// The `file:` URI of a path, made canonical when the file exists so that it matches
/// the URI an editor uses for the same file.
pub fn uri_of(path: &Path) -> Option<lsp::Uri> {
    let p = std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path));
    lsp::Uri::from_file_path(p)
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// A URL from a rule's `link`, if it parses.
pub fn link(url: &str) -> Option<lsp::CodeDescription> {
    url.parse::<lsp::Uri>().ok().map(|href| lsp::CodeDescription { href })
}

pub fn code_action_kind(s: &'static str) -> lsp::CodeActionKind {
    lsp::CodeActionKind::new(s)
}

/// Whether a code action of kind `kind` is wanted by a request's `only` list: the kind
/// itself or any of its parents (`source.fixAll` covers `source.fixAll.copydesk`).
pub fn kind_wanted(only: Option<&[lsp::CodeActionKind]>, kind: &str) -> bool {
    match only {
        None => true,
        Some(list) => list.iter().any(|k| {
            let k = k.as_str();
            k.is_empty() || kind == k || kind.strip_prefix(k).is_some_and(|rest| rest.starts_with('.'))
        }),
    }
}

/// An internal-error response for a request whose handler panicked.
pub fn panic_response(id: Id, method: &str, message: &str) -> Response {
    let mut e = RpcError::internal_error();
    e.message = format!("copydesk: internal error while handling {method}: {message}").into();
    Response::from_error(id, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_prefers_the_clients_order() {
        let k = |s: &'static str| lsp::PositionEncodingKind::new(s);
        assert_eq!(negotiate_encoding(None), Encoding::Utf16);
        assert_eq!(negotiate_encoding(Some(&[k("utf-32"), k("utf-8")])), Encoding::Utf32);
        assert_eq!(negotiate_encoding(Some(&[k("latin-1"), k("utf-8")])), Encoding::Utf8);
        assert_eq!(negotiate_encoding(Some(&[k("latin-1")])), Encoding::Utf16);
    }

    #[test]
    fn only_matches_by_prefix() {
        let fix_all = [lsp::CodeActionKind::SOURCE_FIX_ALL];
        assert!(kind_wanted(Some(&fix_all), "source.fixAll.copydesk"));
        assert!(!kind_wanted(Some(&fix_all), "quickfix"));
        assert!(!kind_wanted(
            Some(&[lsp::CodeActionKind::new("source.fix")]),
            "source.fixAll.copydesk"
        ));
        assert!(kind_wanted(None, "quickfix"));
    }
}
