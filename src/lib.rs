//! copydesk checks news copy against a newsroom's house style and fixes it.
//!
//! The engine is the `copydesk-core` crate (see `ARCHITECTURE.md`); its modules are
//! re-exported here under the same names, so `copydesk::rules`, `copydesk::Engine` and the
//! rest keep their paths. This crate adds the front ends, the only code that does
//! terminal, protocol or network IO: [`cli`], [`lsp`] and [`serve`].

pub mod cli;
pub mod lsp;
pub mod serve;

pub use copydesk_core::{config, diagnostic, document, engine, fix, pack, project, rules, text};
pub use copydesk_core::{Diagnostic, Document, Edit, Engine, Fix, Format, RuleIdx, Severity};

// Unit tests of the front ends build engines from rule snippets too.
#[cfg(test)]
pub(crate) use copydesk_core::testing;
