//! The protocol edge: the LSP types we use (re-exported from tower-lsp-server) and every
//! conversion between engine values (byte ranges, severities, paths, diagnostics and their
//! fixes) and LSP values (positions in the negotiated encoding, URIs), and the client
//! capabilities we read, typed. No other module under `lsp/` names `tower_lsp_server` or
//! `ls_types`, so a library upgrade touches this file.

use std::ops::Range;
use std::path::{Path, PathBuf};

pub use tower_lsp_server::jsonrpc::{self, Error as RpcError, ErrorCode, Id, Request, Response, Result as RpcResult};
pub use tower_lsp_server::ls_types as lsp;
pub use tower_lsp_server::{Client, ClientSocket, ExitedError, LanguageServer, LspService, Server};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::engine::Engine;
use crate::text::{Encoding, LineCol, LineIndex};

/// The client capabilities the server acts on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientCaps {
    /// Pull diagnostics (`textDocument/diagnostic`) and refresh requests.
    pub pull: bool,
    pub refresh: bool,
    pub document_changes: bool,
    pub create_files: bool,
    /// `codeAction/resolve` may fill in an action's edit.
    pub resolve_edit: bool,
    pub watch_dynamic: bool,
    pub apply_edit: bool,
    /// The client shows code actions with a `disabled` reason.
    pub disabled_support: bool,
}

/// What `caps` lets the server do.
pub fn client_caps(caps: &lsp::ClientCapabilities) -> ClientCaps {
    let workspace = caps.workspace.as_ref();
    let text = caps.text_document.as_ref();
    let edit = workspace.and_then(|w| w.workspace_edit.as_ref());
    let code_action = text.and_then(|t| t.code_action.as_ref());
    let refresh = workspace
        .and_then(|w| w.diagnostics.as_ref())
        .and_then(|d| d.refresh_support)
        .unwrap_or(false);
    ClientCaps {
        // Pull only from clients that also accept refresh requests: without them a
        // reload or a settings change would leave stale diagnostics on screen until the
        // next edit (Neovim 0.11 pulls but cannot be asked to re-pull).
        pull: text.is_some_and(|t| t.diagnostic.is_some()) && refresh,
        refresh,
        document_changes: edit.and_then(|e| e.document_changes).unwrap_or(false),
        create_files: edit
            .and_then(|e| e.resource_operations.as_deref())
            .is_some_and(|ops| ops.contains(&lsp::ResourceOperationKind::Create)),
        resolve_edit: code_action
            .and_then(|c| c.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
        watch_dynamic: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        apply_edit: workspace.and_then(|w| w.apply_edit).unwrap_or(false),
        disabled_support: code_action.and_then(|c| c.disabled_support).unwrap_or(false),
    }
}

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

/// The edits of `fix` as LSP text edits.
pub fn text_edits(fix: &Fix, lines: &LineIndex, encoding: Encoding) -> Vec<lsp::TextEdit> {
    fix.edits
        .iter()
        .map(|e| lsp::TextEdit {
            range: range(lines, e.range.clone(), encoding),
            new_text: e.replacement.clone(),
        })
        .collect()
}

/// A fix as a diagnostic's `data` carries it to the client, positional to stay compact (a
/// large document keeps thousands): `[title, safe, [[start line, start character, end
/// line, end character, new text], …]]`. The server never reads it back: code actions
/// take the fixes from the diagnostics it holds.
#[derive(Serialize)]
struct FixData<'a>(&'a str, bool, Vec<EditData<'a>>);

#[derive(Serialize)]
struct EditData<'a>(u32, u32, u32, u32, &'a str);

/// One engine diagnostic in LSP form; `data` lists its fixes (none: no `data`).
pub fn diagnostic(d: &Diagnostic, engine: &Engine, lines: &LineIndex, encoding: Encoding) -> lsp::Diagnostic {
    let rule = engine.rule(d.rule);
    let fixes: Vec<FixData<'_>> = d
        .fixes
        .iter()
        .map(|f| {
            let edits = f
                .edits
                .iter()
                .map(|e| {
                    let r = range(lines, e.range.clone(), encoding);
                    EditData(
                        r.start.line,
                        r.start.character,
                        r.end.line,
                        r.end.character,
                        &e.replacement,
                    )
                })
                .collect();
            FixData(&f.title, f.safe, edits)
        })
        .collect();
    lsp::Diagnostic {
        range: range(lines, d.range.clone(), encoding),
        severity: severity(d.severity()),
        code: Some(lsp::NumberOrString::String(rule.full_id())),
        code_description: rule.link.as_deref().and_then(link),
        source: Some("copydesk".into()),
        message: d.message.clone(),
        data: (!fixes.is_empty()).then(|| serde_json::to_value(fixes).expect("strings, numbers and booleans")),
        ..Default::default()
    }
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
    fn capabilities_are_read_from_the_typed_fields() {
        assert_eq!(client_caps(&lsp::ClientCapabilities::default()), ClientCaps::default());
        let caps: lsp::ClientCapabilities = serde_json::from_value(serde_json::json!({
            "workspace": {
                "applyEdit": true,
                "workspaceEdit": { "documentChanges": true, "resourceOperations": ["rename", "create"] },
                "didChangeWatchedFiles": { "dynamicRegistration": true },
                "diagnostics": { "refreshSupport": true }
            },
            "textDocument": {
                "diagnostic": {},
                "codeAction": { "disabledSupport": true, "resolveSupport": { "properties": ["edit"] } }
            }
        }))
        .unwrap();
        let all = ClientCaps {
            pull: true,
            refresh: true,
            document_changes: true,
            create_files: true,
            resolve_edit: true,
            watch_dynamic: true,
            apply_edit: true,
            disabled_support: true,
        };
        assert_eq!(client_caps(&caps), all);
        // Pulling needs refresh support too.
        let pull_only: lsp::ClientCapabilities =
            serde_json::from_value(serde_json::json!({ "textDocument": { "diagnostic": {} } })).unwrap();
        assert_eq!(client_caps(&pull_only), ClientCaps::default());
    }

    #[test]
    fn fixes_travel_as_positional_data() {
        let engine = crate::testing::engine(
            "[[rule]]\nid = \"x\"\nkind = \"substitution\"\nmessage = \"m\"\nterms = [{ wrong = \"sát nhập\", right = \"sáp nhập\" }]\n",
        );
        let text = "😀 sát nhập";
        let doc = crate::document::Document::plain_body(text);
        let d = &engine.check(&doc)[0];
        let lines = LineIndex::new(text);
        let lsp = diagnostic(d, &engine, &lines, Encoding::Utf16);
        assert_eq!(
            lsp.data.unwrap()[0],
            serde_json::json!([d.fixes[0].title, true, [[0, 3, 0, 11, "sáp nhập"]]])
        );
        assert_eq!(
            text_edits(&d.fixes[0], &lines, Encoding::Utf16)[0]
                .range
                .start
                .character,
            3
        );
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
