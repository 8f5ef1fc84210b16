//! copydesk-core: the house-style engine of copydesk, with no front end.
//!
//! Layers (see `ARCHITECTURE.md`):
//! - [`text`] and [`document`]: positions, words, and prose extraction with exact offsets;
//! - [`rules`]: the rule kinds, one module each, and their registry;
//! - [`pack`] and [`config`]: rule files and `.copydesk.toml`, with located errors;
//! - [`project`]: which packs, profile and overrides apply to a file;
//! - [`language`]: the words of a pack's language that shared facts need;
//! - [`engine`]: compiled rules and the check pipeline (no IO);
//! - [`fix`]: applying fixes to a fixpoint.
//!
//! This crate depends on no async runtime, argument parser, LSP or HTTP library, and
//! prints nothing: `tests/core_deps.rs` in the `copydesk` package checks the dependency
//! tree. The front ends (CLI, language server, HTTP service) are the `copydesk` crate.

pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod fix;
pub mod language;
pub mod pack;
pub mod project;
pub mod rules;
/// Test helpers (engine from a rule snippet, generated corpus). Not part of the shipped
/// library: only this crate's tests and, through the `testing` feature, the `copydesk`
/// package's tests, benches and examples build it.
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;

pub use diagnostic::{Diagnostic, Edit, Fix, RuleIdx, Severity};
pub use document::{Document, Format};
pub use engine::Engine;
