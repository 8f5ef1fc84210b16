//! What `check` produced: one [`FileReport`] per checked file, the [`RunError`]s of files
//! and configs that could not be checked, and the [`Report`] that holds them. Every output
//! format reads these types (and never the `check` command itself).

use std::sync::Arc;

use super::files::Input;
use crate::diagnostic::Diagnostic;
use crate::document::docx::RunMap;
use crate::engine::Engine;
use crate::pack::LoadError;
use crate::text::LineIndex;

/// What checking one file produced.
pub struct FileReport {
    /// The path as the user gave it (or the `--stdin-filename`, or `-`).
    pub display: String,
    pub input: Input,
    /// The text that `diagnostics` refer to (after fixes, when `--fix` ran).
    pub text: String,
    pub had_bom: bool,
    pub lines: LineIndex,
    pub engine: Arc<Engine>,
    pub diagnostics: Vec<Diagnostic>,
    /// The original text, when fixes changed it.
    pub original: Option<String>,
    pub fixes_applied: usize,
    /// For a Word document: its parts, paragraphs and runs, to say where a finding is.
    pub docx: Option<Arc<RunMap>>,
}

/// A problem that stopped a file (or a config) from being checked.
#[derive(Debug, Clone)]
pub struct RunError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl RunError {
    /// A problem with the whole file (it could not be read, decoded or written): no line.
    pub fn whole_file(path: impl Into<String>, message: String) -> RunError {
        RunError {
            path: path.into(),
            line: 0,
            column: 0,
            message,
        }
    }
}

impl From<&LoadError> for RunError {
    fn from(e: &LoadError) -> Self {
        RunError {
            path: e.file.clone(),
            line: e.line,
            column: e.column,
            message: match &e.key {
                Some(k) => format!("{} (at `{k}`)", e.message),
                None => e.message.clone(),
            },
        }
    }
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Everything `check` produced, in a stable order.
pub struct Report {
    pub files: Vec<FileReport>,
    pub errors: Vec<RunError>,
    /// Findings hidden because `--baseline` records them.
    pub baselined: usize,
}
