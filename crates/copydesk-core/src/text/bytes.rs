//! Byte-level reading of UTF-8 text, shared by the kinds whose hot loops work on bytes:
//! decoding the character at a byte offset, and searching eight bytes at a time in a
//! `u64` (the first byte in the lowest bits). Each search is pinned to a byte-by-byte
//! reference by a property test below.

/// The high bit of every byte.
pub const HIGH: u64 = 0x8080_8080_8080_8080;
/// The seven low bits of every byte.
pub const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// 1 in every byte: `ONES * b` repeats byte `b` eight times.
pub const ONES: u64 = 0x0101_0101_0101_0101;

/// The eight bytes at `i..i + 8`, or `None` when fewer are left.
#[inline(always)]
pub fn load(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The bytes at `i..`, at most eight, padded with zero bytes.
#[inline]
pub fn load_padded(bytes: &[u8], i: usize) -> u64 {
    let rest = bytes.get(i..).unwrap_or(&[]);
    let rest = &rest[..rest.len().min(8)];
    let mut word = [0u8; 8];
    word[..rest.len()].copy_from_slice(rest);
    u64::from_le_bytes(word)
}

/// `0x80` in each byte of `v` that is zero, `0` in the others (no carries between bytes).
#[inline(always)]
pub fn zero_bytes(v: u64) -> u64 {
    !(((v & LOW7) + LOW7) | v | LOW7)
}

/// `0x80` in each byte of `v` that equals `b`.
#[inline(always)]
pub fn bytes_equal(v: u64, b: u8) -> u64 {
    zero_bytes(v ^ (ONES * u64::from(b)))
}

/// `0x80` in each byte of `v` that starts a multi-byte character (`11xxxxxx`).
#[inline(always)]
pub fn lead_mask(v: u64) -> u64 {
    v & (v << 1) & HIGH
}

/// The index of the first flagged byte of a non-zero mask.
#[inline(always)]
pub fn first_flagged(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The offset of the first ASCII digit at or after `from`. (An eight-bytes-at-a-time
/// version bought nothing measurable on real copy: issue 13, dup15.)
pub fn next_ascii_digit(bytes: &[u8], from: usize) -> Option<usize> {
    bytes.get(from..)?.iter().position(u8::is_ascii_digit).map(|p| from + p)
}

/// Offsets, from `from` on, of the bytes that start a multi-byte character. (An
/// eight-bytes-at-a-time version bought nothing measurable on real copy.)
pub fn lead_bytes(bytes: &[u8], from: usize) -> impl Iterator<Item = usize> + '_ {
    (from.min(bytes.len())..bytes.len()).filter(move |&i| bytes[i] >= 0xC0)
}

/// The length of the character whose first byte is `lead` (1 for a byte that starts
/// none, so a scan always moves on).
#[inline(always)]
pub fn char_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

/// The code point that starts at byte `i` of valid UTF-8, and its length.
#[inline]
pub fn decode(bytes: &[u8], i: usize) -> (u32, usize) {
    let at = |k: usize| bytes.get(i + k).map_or(0, |&b| u32::from(b & 0x3F));
    let b = u32::from(bytes[i]);
    match b {
        0x00..=0x7F => (b, 1),
        0xC0..=0xDF => (((b & 0x1F) << 6) | at(1), 2),
        0xE0..=0xEF => (((b & 0x0F) << 12) | (at(1) << 6) | at(2), 3),
        _ => (((b & 0x07) << 18) | (at(1) << 12) | (at(2) << 6) | at(3), 4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Bytes that exercise the tricks: ASCII around `0`–`9`, bytes with the high bit,
    /// lead bytes and zero.
    fn tricky_bytes() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            Just(0u8),
            b'/'..=b':',
            any::<u8>(),
            0x80u8..=0xBF,
            0xC0u8..=0xFF,
            Just(0x7F),
            Just(0xB0),
            Just(0xB9),
        ];
        prop::collection::vec(byte, 0..40)
    }

    fn per_byte(v: u64, f: impl Fn(u8) -> bool) -> u64 {
        v.to_le_bytes()
            .iter()
            .enumerate()
            .fold(0, |m, (k, &b)| if f(b) { m | 0x80 << (8 * k) } else { m })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn masks_agree_with_byte_tests(v in any::<u64>(), b in any::<u8>(), bytes in tricky_bytes()) {
            let w = load_padded(&bytes, 0);
            for v in [v, w, v & !HIGH, ONES * u64::from(b)] {
                prop_assert_eq!(zero_bytes(v), per_byte(v, |x| x == 0));
                prop_assert_eq!(bytes_equal(v, b), per_byte(v, |x| x == b));
                prop_assert_eq!(lead_mask(v), per_byte(v, |x| x >= 0xC0));
            }
        }

        #[test]
        fn loads_agree_with_the_bytes(bytes in tricky_bytes(), from in 0usize..48) {
            let padded = load_padded(&bytes, from).to_le_bytes();
            for (k, &p) in padded.iter().enumerate() {
                prop_assert_eq!(p, bytes.get(from + k).copied().unwrap_or(0));
            }
            prop_assert_eq!(load(&bytes, from).is_some(), from + 8 <= bytes.len());
        }

        #[test]
        fn decoding_agrees_with_the_library(s in "\\PC{0,12}") {
            let bytes = s.as_bytes();
            for (i, c) in s.char_indices() {
                prop_assert_eq!(decode(bytes, i), (c as u32, c.len_utf8()));
                prop_assert_eq!(char_len(bytes[i]), c.len_utf8());
            }
        }
    }

    #[test]
    fn every_character_decodes() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(decode(bytes, 0), (c as u32, c.len_utf8()), "U+{:04X}", c as u32);
            assert_eq!(char_len(bytes[0]), c.len_utf8());
        }
    }
}
