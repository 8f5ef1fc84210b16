//! copydesk checks news copy against a newsroom's house style and fixes it.
//!
//! The crate is layered (see `ARCHITECTURE.md`):
//! - [`text`] and [`document`]: positions, words, and prose extraction with exact offsets;
//! - [`rules`]: the rule kinds, one module each, and their registry;
//! - [`pack`] and [`config`]: rule files and `.copydesk.toml`, with located errors;
//! - [`engine`]: compiled rules and the check pipeline (no IO);
//! - [`fix`]: applying fixes to a fixpoint;
//! - [`cli`], [`lsp`] and [`serve`]: the front ends, the only code that does IO.

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod fix;
pub mod lsp;
pub mod pack;
pub mod project;
pub mod rules;
pub mod serve;
pub mod testing;
pub mod text;

pub use diagnostic::{Diagnostic, Edit, Fix, RuleIdx, Severity};
pub use document::{Document, Format};
pub use engine::Engine;
