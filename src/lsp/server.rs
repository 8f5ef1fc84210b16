//! The `LanguageServer` implementation: capabilities, and one short method per LSP
//! message that hands off to the module doing the work. Text sync is not here: it is
//! applied in order by `guard.rs`.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde_json::{json, Value};

use super::proto::{self, lsp, Client, LanguageServer, RpcError, RpcResult};
use super::state::{lock, write, DocKind, Session, Settings, Shared};
use super::{actions, diagnostics, hover, workspace};

/// Commands the server executes (`workspace/executeCommand`).
pub const COMMAND_FIX_ALL: &str = "copydesk.fixAll";
pub const COMMAND_RELOAD: &str = "copydesk.reload";
/// Hidden: panics, to test that a failing handler does not take the server down.
pub const COMMAND_DEBUG_PANIC: &str = "copydesk.debugPanic";

pub struct Backend {
    pub(crate) shared: Arc<Shared>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            shared: Arc::new(Shared::new(client)),
        }
    }

    /// Hidden request `copydesk/debugText`: the server's copy of a document, for tests.
    pub async fn debug_text(&self, params: Value) -> RpcResult<Value> {
        let uri: lsp::Uri = serde_json::from_value(params.get("uri").cloned().unwrap_or_default())
            .map_err(|e| RpcError::invalid_params(e.to_string()))?;
        let docs = lock(&self.shared.docs);
        let d = docs
            .get(&uri)
            .ok_or_else(|| RpcError::invalid_params("the document is not open"))?;
        Ok(json!({ "text": d.rope.to_string(), "version": d.version }))
    }

    /// Hidden request `copydesk/debugStats`: loaded projects, loads so far and running
    /// checks, for tests.
    pub async fn debug_stats(&self, _params: Value) -> RpcResult<Value> {
        let (projects, loads) = {
            let ws = lock(&self.shared.workspace);
            (ws.len(), ws.loads)
        };
        let checking = lock(&self.shared.checking).len();
        Ok(json!({ "projects": projects, "loads": loads, "checking": checking }))
    }

    fn apply_settings(&self, settings: Settings) {
        let root = self.shared.session().roots.first().cloned();
        let extra = settings.to_config(root.as_deref());
        write(&self.shared.session).settings = settings;
        lock(&self.shared.workspace).extra = extra;
    }
}

fn capabilities(session: &Session) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(proto::encoding_kind(session.encoding)),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(lsp::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
            save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
            code_action_kinds: Some(vec![
                lsp::CodeActionKind::QUICKFIX,
                proto::code_action_kind(actions::FIX_ALL_KIND),
            ]),
            resolve_provider: Some(true),
            ..Default::default()
        })),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![COMMAND_FIX_ALL.into(), COMMAND_RELOAD.into()],
            ..Default::default()
        }),
        diagnostic_provider: session.caps.pull.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some("copydesk".into()),
                inter_file_dependencies: false,
                workspace_diagnostics: true,
                ..Default::default()
            })
        }),
        ..Default::default()
    }
}

fn is_toml(uri: &lsp::Uri) -> bool {
    uri.as_str().to_ascii_lowercase().ends_with(".toml")
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> RpcResult<lsp::InitializeResult> {
        let (session, problem) = Session::from_initialize(&params);
        let settings = session.settings.clone();
        if let Some(n) = settings.max_message_bytes {
            super::stdio::set_max_message_bytes(n);
        }
        let caps = capabilities(&session);
        *write(&self.shared.session) = session;
        self.apply_settings(settings);
        if let Some(p) = problem {
            self.shared.log(lsp::MessageType::WARNING, p);
        }
        Ok(lsp::InitializeResult {
            capabilities: caps,
            server_info: Some(lsp::ServerInfo {
                name: "copydesk".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        let session = self.shared.session();
        if session.caps.watch_dynamic {
            let client = self.shared.client.clone();
            tokio::spawn(async move {
                let options = json!({
                    "watchers": [
                        { "globPattern": "**/.copydesk.toml" },
                        { "globPattern": "**/*.toml" },
                    ]
                });
                let reg = lsp::Registration {
                    id: "copydesk-watch-rules".into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: Some(options),
                };
                if let Err(e) = client.register_capability(vec![reg]).await {
                    client
                        .log_message(
                            lsp::MessageType::WARNING,
                            format!("copydesk: could not watch rule files: {e}"),
                        )
                        .await;
                }
            });
        }
        let mode = if session.caps.pull { "pull" } else { "push" };
        self.shared
            .client
            .log_message(
                lsp::MessageType::INFO,
                format!(
                    "copydesk {} ready ({:?} positions, {mode} diagnostics)",
                    env!("CARGO_PKG_VERSION"),
                    session.encoding
                ),
            )
            .await;
    }

    async fn shutdown(&self) -> RpcResult<()> {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        self.shared.changed.notify_waiters();
        Ok(())
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        if is_toml(&params.text_document.uri) {
            diagnostics::request_reload(&self.shared);
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        match Settings::from_json(&params.settings) {
            Ok(s) => {
                if s == self.shared.session().settings {
                    return;
                }
                self.apply_settings(s);
                diagnostics::request_reload(&self.shared);
            }
            Err(e) => self.shared.client.show_message(lsp::MessageType::ERROR, e).await,
        }
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        // A quick copy under the lock; the file system is looked at outside it.
        let watched = lock(&self.shared.workspace).watched_dirs().to_vec();
        let relevant: Vec<_> = params
            .changes
            .iter()
            .filter_map(|c| proto::path_of(&c.uri))
            .filter(|p| workspace::is_relevant(p, &watched))
            .collect();
        if !relevant.is_empty() {
            diagnostics::request_reload_for(&self.shared, relevant);
        }
    }

    async fn code_action(&self, params: lsp::CodeActionParams) -> RpcResult<Option<lsp::CodeActionResponse>> {
        actions::code_actions(&self.shared, params).await
    }

    async fn code_action_resolve(&self, params: lsp::CodeAction) -> RpcResult<lsp::CodeAction> {
        actions::resolve(&self.shared, params).await
    }

    async fn hover(&self, params: lsp::HoverParams) -> RpcResult<Option<lsp::Hover>> {
        hover::hover(&self.shared, params).await
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> RpcResult<lsp::DocumentDiagnosticReportResult> {
        diagnostics::pull(&self.shared, params).await
    }

    async fn workspace_diagnostic(
        &self,
        params: lsp::WorkspaceDiagnosticParams,
    ) -> RpcResult<lsp::WorkspaceDiagnosticReportResult> {
        diagnostics::pull_workspace(&self.shared, params).await
    }

    async fn execute_command(&self, params: lsp::ExecuteCommandParams) -> RpcResult<Option<lsp::LSPAny>> {
        match params.command.as_str() {
            COMMAND_FIX_ALL => {
                let uri: lsp::Uri = params
                    .arguments
                    .first()
                    .and_then(|a| a.get("uri").cloned().or_else(|| Some(a.clone())))
                    .and_then(|v| serde_json::from_value(v).ok())
                    .ok_or_else(|| RpcError::invalid_params("copydesk.fixAll takes the document URI"))?;
                match lock(&self.shared.docs).get(&uri).map(|d| d.kind) {
                    Some(DocKind::Prose(_)) => {}
                    _ => return Err(RpcError::invalid_params("copydesk.fixAll: the document is not open")),
                }
                if !self.shared.session().caps.apply_edit {
                    return Err(RpcError::invalid_params(
                        "copydesk.fixAll needs a client that supports workspace/applyEdit; use the fix-all code action",
                    ));
                }
                let s = self.shared.clone();
                let u = uri.clone();
                let edit = tokio::task::spawn_blocking(move || actions::compute_fix_all(&s, &u, None))
                    .await
                    .map_err(|e| RpcError::invalid_params(format!("copydesk.fixAll failed: {e}")))?;
                let Some(edit) = edit else {
                    return Ok(Some(json!({ "applied": false, "reason": "nothing to fix" })));
                };
                let applied = self
                    .shared
                    .client
                    .apply_edit(edit)
                    .await
                    .map(|r| r.applied)
                    .unwrap_or(false);
                Ok(Some(json!({ "applied": applied })))
            }
            COMMAND_RELOAD => {
                diagnostics::reload(&self.shared).await;
                Ok(None)
            }
            COMMAND_DEBUG_PANIC => panic!("copydesk.debugPanic was called"),
            other => Err(RpcError::invalid_params(format!("unknown command `{other}`"))),
        }
    }
}
