//! The facts the block pass notes for the document pass: a glossary entry's events and
//! the all-caps tokens of no glossary.

use super::super::{DocFact, Noted};

/// What the block pass notes for the document pass.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AbbreviationFact {
    /// Something about glossary entry `entry` (its index in the checker). `protected`: a
    /// use that must not be edited (inside quotation marks or a credit).
    Entry { entry: u32, event: Event, protected: bool },
    /// An all-caps token in no glossary; `defined`: defined in the text as `long form (ABC)`.
    Unknown { token: Box<str>, defined: bool },
}

impl AbbreviationFact {
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            AbbreviationFact::Unknown { token, .. } => token.len(),
            AbbreviationFact::Entry { .. } => 0,
        }
    }
}

/// What a glossary entry's fact records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// `long (SHORT)`: the range covers all of it.
    Def,
    Short,
    Variant,
    /// A house-choice spelling of the short form (`Tp`), in the body.
    Choice,
    /// The long form outside a definition.
    Long,
    /// A glossary short form defined by the text for something else: `Công đoàn (CĐ)`.
    DefOther,
    /// The short form inside a body's name (`Bộ KH&CN`): never reported, but a use of a
    /// definition before it (a photo caption often reuses it).
    NameUse,
}

/// The event of an entry fact, and whether the use is protected.
pub(super) fn entry_event(f: &DocFact<'_>) -> Option<(Event, bool)> {
    match f.fact.what {
        Noted::Abbreviation(AbbreviationFact::Entry { event, protected, .. }) => Some((event, protected)),
        _ => None,
    }
}
