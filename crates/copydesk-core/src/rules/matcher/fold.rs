//! Case folding that keeps offsets, and the normalization forms a term is searched in.

use super::*;

/// How a piece of text is normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Precomposed letters (or no combining marks at all).
    Nfc,
    /// Fully decomposed: base letters followed by combining marks.
    Nfd,
    /// Vietnamese input-method style: `â ê ô ă ơ ư đ` precomposed, tone marks combining.
    Composite,
}

/// The five Vietnamese tone marks as combining characters.
pub(super) fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

impl Form {
    /// The form `s` is written in.
    pub fn of(s: &str) -> Form {
        if !s.chars().any(is_combining_mark) {
            Form::Nfc
        } else if s.chars().eq(s.nfd()) {
            Form::Nfd
        } else {
            Form::Composite
        }
    }

    /// `s` written in this form (`Nfc` leaves `s` as it is).
    pub fn apply(self, s: &str) -> String {
        match self {
            Form::Nfc => s.to_string(),
            Form::Nfd => s.nfd().collect(),
            Form::Composite => composite(s),
        }
    }
}

/// `s` with every letter precomposed except for its tone mark, which follows it.
pub fn composite(s: &str) -> String {
    pub(super) fn flush(cluster: &mut String, tones: &mut String, out: &mut String) {
        out.extend(cluster.nfc());
        out.push_str(tones);
        cluster.clear();
        tones.clear();
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut cluster = String::new();
    let mut tones = String::new();
    for c in s.nfd() {
        if !is_combining_mark(c) {
            flush(&mut cluster, &mut tones, &mut out);
        }
        if is_tone_mark(c) {
            tones.push(c);
        } else {
            cluster.push(c);
        }
    }
    flush(&mut cluster, &mut tones, &mut out);
    out
}

/// The folding table covers U+0000..U+20FF: Latin, Latin Extended Additional (all of
/// Vietnamese), Greek, Cyrillic, and the punctuation of news copy (quotes, dashes, `…`).
pub(super) const FOLD_TABLE_LEN: u32 = 0x2100;

pub(super) fn fold_char_slow(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// Folded forms of the characters below [`FOLD_TABLE_LEN`], as code points (a character
/// of up to three bytes folds to one of the same length, so below U+10000).
pub(super) static FOLD: LazyLock<Vec<u16>> = LazyLock::new(|| {
    (0..FOLD_TABLE_LEN)
        .map(|u| char::from_u32(u).map_or(u, |c| fold_char_slow(c) as u32) as u16)
        .collect()
});

/// The lower case of `c` when it has the same UTF-8 length, otherwise `c`.
#[inline]
pub fn fold_char(c: char) -> char {
    match FOLD.get(c as usize) {
        Some(&f) => char::from_u32(u32::from(f)).unwrap_or(c),
        None => fold_char_slow(c),
    }
}

/// `s` case-folded with [`fold_char`]: same length, same character boundaries.
pub fn fold(s: &str) -> String {
    // Without four-byte characters (which `fold_into` keeps) both fold alike; in bulk
    // it costs a fraction of a char-by-char `collect`.
    if !s.bytes().any(|b| b >= 0xF0) {
        return fold_as_block(s);
    }
    s.chars().map(fold_char).collect()
}

/// Writes the case-folded bytes of `text` into `out` (cleared first): [`fold_char`] for
/// characters of up to three bytes; four-byte ones (emoji, rare scripts) are kept.
pub fn fold_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(text.as_bytes());
    // ASCII in bulk (the bytes of multi-byte characters are left alone by this), then
    // the multi-byte characters one by one.
    out.make_ascii_lowercase();
    let table: &[u16] = &FOLD;
    let bytes = out.as_mut_slice();
    // Eight bytes at a time, visit the lead bytes of multi-byte characters (`11xxxxxx`).
    // Folding keeps every character's length, so a lead byte stays one. (Folding char by
    // char instead cost the term kinds +55-89 % on Dân trí: issue 13, dup15.)
    let mut base = 0;
    while base < bytes.len() {
        let mut leads = lead_mask(load_padded(bytes, base));
        while leads != 0 {
            let i = base + first_flagged(leads);
            leads &= leads - 1;
            fold_char_at(table, bytes, i);
        }
        base += 8;
    }
}

/// Folds the two- or three-byte character whose lead byte is at `i`, in place. Both
/// decodings are computed and one is picked: a branch on the length mispredicts on
/// Vietnamese, where two- and three-byte letters alternate.
#[inline]
pub(super) fn fold_char_at(table: &[u16], bytes: &mut [u8], i: usize) {
    let b = u32::from(bytes[i]);
    let b1 = u32::from(bytes.get(i + 1).copied().unwrap_or(0x80) & 0x3F);
    let b2 = u32::from(bytes.get(i + 2).copied().unwrap_or(0x80) & 0x3F);
    let three = b >= 0xE0;
    let c2 = ((b & 0x1F) << 6) | b1;
    let c3 = ((b & 0x0F) << 12) | (b1 << 6) | b2;
    let c = if three { c3 } else { c2 };
    if b >= 0xF0 {
        // Four bytes (emoji, rare scripts): left as they are.
        return;
    }
    let f = match table.get(c as usize) {
        Some(&f) => u32::from(f),
        None => char::from_u32(c).map_or(c, |c| fold_char_slow(c) as u32),
    };
    if f == c {
        return;
    }
    if three {
        if let Some([x, y, z]) = bytes.get_mut(i..i + 3) {
            *x = 0xE0 | (f >> 12) as u8;
            *y = 0x80 | ((f >> 6) & 0x3F) as u8;
            *z = 0x80 | (f & 0x3F) as u8;
        }
    } else if let Some([x, y]) = bytes.get_mut(i..i + 2) {
        *x = 0xC0 | (f >> 6) as u8;
        *y = 0x80 | (f & 0x3F) as u8;
    }
}

/// `s` folded exactly as [`fold_into`] folds a block holding it.
pub(super) fn fold_as_block(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    fold_into(s, &mut out);
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}
