//! What several kinds need of one block, computed once for the block by whichever kind
//! asks first: the case-folded text and the shared term search (`substitution`,
//! `existence`, `abbreviation`, `consistency`), and the sentences under the packs'
//! abbreviations (`capitalization`, `sentence`), and the quotations and credits that no
//! fix of a term may edit (`abbreviation`, `consistency`).
//!
//! The engine makes one for each block and drops it after the block pass (every kind
//! over every block), so nothing here outlives the check or depends on the order in which
//! kinds run or on which thread.

use std::cell::OnceCell;
use std::ops::Range;

use crate::language::Language;
use crate::rules::abbreviation;
use crate::rules::matcher::{self, ScanHits, SharedScan};
use crate::text::sentences::Splitter;

/// Facts of one block shared between kinds, each built on first use.
#[derive(Debug)]
pub struct BlockContext<'a> {
    text: &'a str,
    language: &'a Language,
    /// The splitter of `language`, when the engine built it once for all blocks.
    splitter: Option<&'a Splitter>,
    /// The splitter of `language` built for this block alone (no `splitter` given).
    own_splitter: OnceCell<Splitter>,
    folded: OnceCell<Vec<u8>>,
    scan: OnceCell<ScanHits>,
    sentences: OnceCell<Vec<Range<usize>>>,
    protected: OnceCell<Vec<Range<usize>>>,
}

impl<'a> BlockContext<'a> {
    /// An empty context for `text` (a block's masked text) under the packs' `language`:
    /// nothing is computed yet.
    pub fn new(text: &'a str, language: &'a Language) -> BlockContext<'a> {
        BlockContext::with_splitter(text, language, None)
    }

    /// [`BlockContext::new`] with `language`'s splitter built beforehand (the engine builds
    /// it once), or `None` to build it on first use.
    pub fn with_splitter(text: &'a str, language: &'a Language, splitter: Option<&'a Splitter>) -> BlockContext<'a> {
        BlockContext {
            text,
            language,
            splitter,
            own_splitter: OnceCell::new(),
            folded: OnceCell::new(),
            scan: OnceCell::new(),
            sentences: OnceCell::new(),
            protected: OnceCell::new(),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The words of the packs' languages.
    pub fn language(&self) -> &'a Language {
        self.language
    }

    /// The block case-folded in place ([`matcher::fold_into`]): same length, same offsets.
    pub fn folded(&self) -> &[u8] {
        self.folded.get_or_init(|| {
            let mut out = Vec::new();
            matcher::fold_into(self.text, &mut out);
            out
        })
    }

    /// What `scan` found in the folded block. The engine has one shared scan; a set of
    /// another (a set compiled apart, in tests) gets `None` and searches on its own.
    pub(crate) fn scan_hits(&self, scan: &SharedScan) -> Option<&ScanHits> {
        let hits = self.scan.get_or_init(|| scan.search(self.folded()));
        hits.is_of(scan).then_some(hits)
    }

    #[cfg(test)]
    pub(crate) fn has_scan_hits(&self) -> bool {
        self.scan.get().is_some()
    }

    /// The sentence splitter of the packs' language (`[pack] sentence-abbreviations`,
    /// `closing-abbreviations`, `onsets`).
    pub fn splitter(&self) -> &Splitter {
        match self.splitter {
            Some(s) => s,
            None => self.own_splitter.get_or_init(|| Splitter::new(self.language, &[])),
        }
    }

    /// The sentences of the block as [`BlockContext::splitter`] splits them.
    pub fn sentences(&self) -> &[Range<usize>] {
        self.sentences.get_or_init(|| self.splitter().split(self.text))
    }

    /// The spans of the block that keep the source's words, sorted: quotations and photo
    /// or source credits under the language's labels ([`abbreviation::protected_spans`]).
    pub fn protected(&self) -> &[Range<usize>] {
        self.protected
            .get_or_init(|| abbreviation::protected_spans(self.text, self.language))
    }
}
