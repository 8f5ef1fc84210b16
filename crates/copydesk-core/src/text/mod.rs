//! Text utilities shared by every layer: positions, words and case.

pub mod bytes;
pub mod case;
pub mod compounds;
pub mod context;
pub mod fast_regex;
pub mod positions;
pub mod repeats;
pub mod sentences;
pub mod vietnamese;
pub mod words;

pub use positions::{Encoding, LineCol, LineIndex};
