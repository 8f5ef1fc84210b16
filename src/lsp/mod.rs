//! The language server (`copydesk lsp`).

/// Runs the server over stdio until the client says `exit`.
pub fn run_stdio() -> std::process::ExitCode {
    eprintln!("copydesk lsp: not built yet");
    std::process::ExitCode::from(2)
}
