//! What the term kinds learn from a regex when the rules load: a rough size (whether to
//! compile it at once) and its gate literals (the literals every match contains).
//!
//! Self-contained (only `regex_syntax`): the crate's build script includes this file too,
//! to analyse the case-sensitive regexes of the built-in packs once at build time
//! (`BUILTIN_ANALYSES`), so that `copydesk check` does not parse them at every start.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};

/// The byte that masks non-prose text in a block (`document::MASK_CHAR`): a literal
/// holding it is no gate.
pub const MASK: char = '\u{1A}';

/// Gate literals of a regex: `(literal, exact)`, see [`gate_literals`].
pub type GateLiterals = Vec<(String, bool)>;

/// The regex `pattern`, parsed with the same parser and settings as `regex` itself
/// (the same errors, with positions).
pub fn parse(pattern: &str, case_insensitive: bool) -> Result<Hir, Box<regex_syntax::Error>> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .map_err(Box::new)
}

/// Literals that every match of `hir` contains, as `(literal, exact)` (`exact`: compare
/// with the block's own bytes, for a case-sensitive regex); `None` when there are none
/// worth searching for. Tries the prefixes of each tail of a top-level concatenation
/// (`\w+,? Tỉnh \p{Lu}` gives ` Tỉnh `) and keeps the longest, fewest literals. `fold`
/// case-folds a literal of a case-insensitive regex as blocks are folded.
pub fn gate_literals(hir: &Hir, case_insensitive: bool, fold: &dyn Fn(&str) -> String) -> Option<GateLiterals> {
    // Small limits first (cheap: a case-insensitive phrase has many case variants); larger
    // ones only when the small ones give nothing longer than three bytes (`ngh` followed
    // by a class of 120 vowels is worth listing as `ngha`, `nghà`…).
    let small = best_gate(hir, case_insensitive, 16, 64, fold);
    if small.as_ref().is_some_and(|(len, _, _)| *len >= 4) {
        return small.map(|(_, _, set)| set);
    }
    let large = best_gate(hir, case_insensitive, 128, 1_000, fold);
    let best = match (small, large) {
        (Some(s), Some(l)) => Some(if gate_score(&l) > gate_score(&s) { l } else { s }),
        (s, l) => s.or(l),
    };
    // One- and two-byte gates fire on nearly every block: no better than no gate.
    best.filter(|(len, _, _)| *len >= 3).map(|(_, _, set)| set)
}

/// Candidate gates: (shortest literal, capped at six bytes; number of literals; literals).
pub type GateCandidate = (usize, usize, GateLiterals);

/// Longer literals first (up to six bytes), then fewer.
pub fn gate_score(c: &GateCandidate) -> (usize, std::cmp::Reverse<usize>) {
    (c.0, std::cmp::Reverse(c.1))
}

/// The best gate over the tails of `hir`'s top-level concatenation, with these limits.
pub fn best_gate(
    hir: &Hir,
    case_insensitive: bool,
    limit_class: usize,
    limit_total: usize,
    fold: &dyn Fn(&str) -> String,
) -> Option<GateCandidate> {
    let mut extractor = Extractor::new();
    extractor
        .kind(ExtractKind::Prefix)
        .limit_class(limit_class)
        .limit_total(limit_total);
    let parts: &[Hir] = match hir.kind() {
        HirKind::Concat(parts) => parts,
        _ => std::slice::from_ref(hir),
    };
    let mut best: Option<GateCandidate> = None;
    for i in 0..parts.len() {
        let tail = if i == 0 && parts.len() == 1 {
            parts[0].clone()
        } else {
            Hir::concat(parts[i..].to_vec())
        };
        let seq = extractor.extract(&tail);
        let Some(literals) = seq.literals() else { continue };
        let mut set: GateLiterals = Vec::with_capacity(literals.len());
        for lit in literals {
            // A prefix of a required literal is required too: cut at a character boundary.
            let bytes = lit.as_bytes();
            let valid = match std::str::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
            };
            if valid.is_empty() || valid.contains(MASK) {
                set.clear();
                break;
            }
            // A case-insensitive regex lists every case variant: the folded one is enough.
            let entry = if case_insensitive {
                (fold(valid), false)
            } else {
                (valid.to_string(), true)
            };
            set.push(entry);
        }
        if set.is_empty() {
            continue;
        }
        set.sort();
        set.dedup();
        let shortest = set.iter().map(|(s, _)| s.len()).min().unwrap_or(0).min(6);
        let candidate = (shortest, set.len(), set);
        if best.as_ref().is_none_or(|b| gate_score(&candidate) > gate_score(b)) {
            best = Some(candidate);
        }
    }
    best
}

/// A rough size of the automaton `hir` compiles to; a regex much above the usual is
/// compiled when the rules load, so that one too big is an error there.
pub fn size_estimate(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(l) => l.0.len(),
        HirKind::Class(Class::Unicode(c)) => c.ranges().len().saturating_mul(4),
        HirKind::Class(Class::Bytes(c)) => c.ranges().len(),
        HirKind::Repetition(r) => {
            let times = r.max.unwrap_or(r.min).max(r.min).max(1) as usize;
            size_estimate(&r.sub).saturating_mul(times).saturating_add(1)
        }
        HirKind::Capture(c) => size_estimate(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().fold(0usize, |n, h| n.saturating_add(size_estimate(h)))
        }
    }
}
