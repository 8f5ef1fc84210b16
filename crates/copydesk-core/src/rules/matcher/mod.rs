//! Finding many literal terms (and a few regexes) in a block at once, as whole words.
//!
//! Shared by `substitution`, `existence`, `consistency` and `abbreviation`. The kinds
//! compile every literal of every rule of their group into one [`TermSet`], searched in
//! one pass over a case-folded copy of the block, so the cost of a search does not grow
//! with the number of terms.
//!
//! Design decisions:
//! - **Case folding keeps offsets.** The block is lower-cased into a buffer of the same
//!   length: a character whose lower case has another UTF-8 length (or is several
//!   characters) is left as it is. Every Vietnamese letter, `Đ` included, folds. The
//!   block is folded once, in its [`BlockContext`], for every kind that searches it.
//! - **One automaton, every occurrence.** Case-insensitive terms are searched folded;
//!   case-sensitive ones are searched by their folded spelling too and then compared
//!   with the block's own bytes. The automaton reports every occurrence (overlapping),
//!   and each of the two groups then keeps, from left to right, the longest occurrence
//!   at each place that its owners accept; the two results are merged. A candidate that
//!   fails its boundaries does not hide a shorter term at the same place (`sát nhập`
//!   inside `sát nhậpx` still lets `sát` match) nor a term that starts inside it.
//! - **Word boundaries are Unicode's**, from [`crate::text::words`]: `đ`, `ươ` and
//!   combining marks are word characters, the mask byte is not.
//! - **Normalization.** Each term is also added in NFD and in the "composite" spelling
//!   of Vietnamese input methods (precomposed `â ê ô ă ơ ư`, combining tone marks), so
//!   a term matches text in any of the three; [`Form`] says which, so a replacement can
//!   be written the same way. Most text holds no combining mark: a block without one is
//!   searched by a smaller automaton that leaves out the spellings that have one.
//! - **Automata are built on first use**, so that start-up (and a check of a file where
//!   a group never runs) does not pay for them.
//! - **Regexes** are parsed when the rules load (a bad one is an error there; the
//!   case-sensitive ones of the built-in packs were analysed at build time, see
//!   [`analysis`]) but
//!   compiled on first use. Literals that every match of a regex must contain join the
//!   term automaton as *gates*: a block is searched with the regex only when one of them
//!   occurs in it. Regexes without such literals go through a [`::regex::RegexSet`] first.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, OnceLock};

use ::regex::RegexSet;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::{RuleError, RuleIdx};
use crate::document::MASK_CHAR;
use crate::engine::BlockContext;
use crate::text::bytes::{first_flagged, lead_mask, load_padded};
use crate::text::compounds::{is_function_word, syllable_after, syllable_before, Compounds};
use crate::text::fast_regex::{relaxed_pattern, Captures, FastRegex};
use crate::text::words::{is_whole_word, words};

mod analysis;
mod fold;
mod list;
mod regex;
mod scan;
mod set;

pub use fold::*;
pub use list::*;
pub use regex::*;
pub use scan::*;
pub use set::*;

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod tests;
