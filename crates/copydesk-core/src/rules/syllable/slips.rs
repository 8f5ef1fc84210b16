//! Typing slips: the words one slip away from a written word, and the decoding of
//! Telex and VNI keystrokes that leaked into the text.
//!
//! The slip models (each a single edit of the written word):
//! - **tone**: the tone mark dropped, added, changed or put on another vowel;
//! - **diacritic**: one vowel shape added, dropped or changed (`a ă â`, `e ê`, `o ô ơ`,
//!   `u ư`), both horns of `ươ` at once (the Telex `w` forgotten), `d`/`đ`;
//! - **swap**: two adjacent letters exchanged (`tar` → `tra`);
//! - **doubled or stray letter**: one letter too many (`nhữngg`, `đượcj`);
//! - **dropped letter**: one letter missing (`người` typed `ngưi`);
//! - **Telex / VNI**: the keystrokes themselves left in the text (`dduowcj`, `to6i`).

use unicode_normalization::UnicodeNormalization;

use crate::text::vietnamese::{letters_to_nfc, toneless_nfc_into, toneless_nfc_letter, validate, Letter, Shape, Tone};

/// Which slip model produced a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slip {
    Tone,
    Diacritic,
    Swap,
    ExtraLetter,
    DroppedLetter,
    Telex,
    Vni,
}

const TONES: [Tone; 6] = Tone::ALL;

/// Letters that can be inserted for a dropped letter (lower case, no tone).
const INSERTABLE: &[(char, Shape)] = &[
    ('a', Shape::Plain),
    ('a', Shape::Breve),
    ('a', Shape::Circumflex),
    ('b', Shape::Plain),
    ('c', Shape::Plain),
    ('d', Shape::Plain),
    ('đ', Shape::Plain),
    ('e', Shape::Plain),
    ('e', Shape::Circumflex),
    ('g', Shape::Plain),
    ('h', Shape::Plain),
    ('i', Shape::Plain),
    ('k', Shape::Plain),
    ('l', Shape::Plain),
    ('m', Shape::Plain),
    ('n', Shape::Plain),
    ('o', Shape::Plain),
    ('o', Shape::Circumflex),
    ('o', Shape::Horn),
    ('p', Shape::Plain),
    ('q', Shape::Plain),
    ('r', Shape::Plain),
    ('s', Shape::Plain),
    ('t', Shape::Plain),
    ('u', Shape::Plain),
    ('u', Shape::Horn),
    ('v', Shape::Plain),
    ('x', Shape::Plain),
    ('y', Shape::Plain),
];

fn is_vowel(base: char) -> bool {
    matches!(base, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn shapes_of(base: char) -> &'static [Shape] {
    match base {
        'a' => &[Shape::Plain, Shape::Breve, Shape::Circumflex],
        'e' => &[Shape::Plain, Shape::Circumflex],
        'o' => &[Shape::Plain, Shape::Circumflex, Shape::Horn],
        'u' => &[Shape::Plain, Shape::Horn],
        _ => &[],
    }
}

/// Splits a word into lower-case letters, tolerating what [`validate`] rejects (`f`,
/// `w`, a tone on a consonant, two tones): a slip has to be undone from there. `None`
/// when a character is not a Latin letter or mark at all.
pub fn loose_letters(word: &str) -> Option<Vec<Letter>> {
    let mut out: Vec<Letter> = Vec::with_capacity(8);
    for c in word.nfd() {
        if let Some(s) = Shape::from_mark(c) {
            out.last_mut()?.shape = s;
        } else if let Some(t) = Tone::from_mark(c) {
            out.last_mut()?.tone = t;
        } else {
            let base = match c {
                'a'..='z' | 'đ' => c,
                'A'..='Z' => c.to_ascii_lowercase(),
                'Đ' => 'đ',
                _ => return None,
            };
            out.push(Letter {
                base,
                shape: Shape::Plain,
                tone: Tone::Level,
                upper: false,
            });
        }
        if out.len() > 12 {
            return None;
        }
    }
    Some(out)
}

/// The word with its one tone mark moved to where the spelling rules put it, the letters
/// otherwise kept (`vơí` → `với`, `giưã` → `giữa`, `Gỉai` → `Giải`): a tone typed after
/// the vowel it belongs to, as old input methods left it. `None` when the word is a
/// syllable already (`hoà` keeps its house placement), has no tone or several, or is no
/// syllable once its tone is off.
pub fn displaced_tone(word: &str) -> Option<String> {
    if validate(word).is_ok() {
        return None;
    }
    let letters = loose_letters(word)?;
    let mut toned = letters.iter().filter(|l| l.tone != Tone::Level);
    let tone = toned.next()?.tone;
    if toned.next().is_some() {
        return None;
    }
    let bare: String = word.nfd().filter(|c| Tone::from_mark(*c).is_none()).nfc().collect();
    let moved = validate(&bare).ok()?.with_tone(tone);
    validate(&moved).is_ok().then_some(moved)
}

/// Every string one slip away from `word` (lower case, NFC), with the slip that makes
/// it. Not filtered: callers keep the valid, attested ones.
pub fn one_slip(word: &str) -> Vec<(String, Slip)> {
    one_slip_where(word, None)
}

/// [`one_slip`] without the edits whose toneless spelling `keep` refuses (both the edit
/// as written and its tone moved, which share that spelling); the Telex and VNI readings
/// are not filtered. A caller that keeps only attested syllables passes "the toneless
/// spelling of some attested syllable" and skips building and validating most of the
/// hundreds of candidates (perf17).
pub fn one_slip_where(word: &str, keep: Option<&dyn Fn(&str) -> bool>) -> Vec<(String, Slip)> {
    let mut out = Vec::new();
    if let Some(t) = telex(word) {
        out.push((t, Slip::Telex));
    }
    if let Some(v) = vni(word) {
        out.push((v, Slip::Vni));
    }
    let Some(letters) = loose_letters(word) else {
        return out;
    };
    // The toneless spelling of each edit, written into one buffer.
    let mut toneless = String::new();
    // Each edit is built in `v` and a tone moved in `bare_tone`, reused: a copy of the
    // letters a candidate (and a reallocation for each inserted letter) cost more than
    // the rest of the few hundred candidates of a word.
    let mut bare_tone: Vec<Letter> = Vec::with_capacity(letters.len() + 1);
    // Each edit as written, and with its one tone mark moved where the rhyme wants it
    // (a letter inserted next to the toned vowel changes where the mark belongs).
    // `checked`: the caller knows `keep` holds for the edit's toneless spelling.
    let mut push = |v: &[Letter], slip: Slip, checked: bool| {
        if let Some(keep) = keep.filter(|_| !checked) {
            toneless.clear();
            toneless_nfc_into(v, &mut toneless);
            if !keep(&toneless) {
                return;
            }
        }
        out.push((letters_to_nfc(v), slip));
        let mut toned = (0..v.len()).filter(|&i| v[i].tone != Tone::Level);
        if let (Some(i), None) = (toned.next(), toned.next()) {
            bare_tone.clear();
            bare_tone.extend_from_slice(v);
            bare_tone[i].tone = Tone::Level;
            if let Some(s) = with_tone(&letters_to_nfc(&bare_tone), v[i].tone) {
                out.push((s, slip));
            }
        }
    };
    let mut v: Vec<Letter> = Vec::with_capacity(letters.len() + 1);
    let copy = |v: &mut Vec<Letter>, from: &[Letter]| {
        v.clear();
        v.extend_from_slice(from);
    };
    // Tone: strip every tone, put one back anywhere.
    let mut bare = letters.clone();
    for l in &mut bare {
        l.tone = Tone::Level;
    }
    // Every tone edit has the toneless spelling of `bare`: `keep` is asked once for all.
    let bare_kept = keep.is_none_or(|keep| {
        let mut t = String::new();
        toneless_nfc_into(&bare, &mut t);
        keep(&t)
    });
    if bare_kept {
        push(&bare, Slip::Tone, true);
        for i in (0..bare.len()).filter(|&i| is_vowel(bare[i].base)) {
            for t in &TONES[1..] {
                copy(&mut v, &bare);
                v[i].tone = *t;
                push(&v, Slip::Tone, true);
            }
        }
    }
    // Diacritics.
    for i in 0..letters.len() {
        for s in shapes_of(letters[i].base) {
            if *s != letters[i].shape {
                copy(&mut v, &letters);
                v[i].shape = *s;
                push(&v, Slip::Diacritic, false);
            }
        }
        if letters[i].base == 'd' || letters[i].base == 'đ' {
            copy(&mut v, &letters);
            v[i].base = if letters[i].base == 'd' { 'đ' } else { 'd' };
            push(&v, Slip::Diacritic, false);
        }
        if i + 1 < letters.len() && letters[i].base == 'u' && letters[i + 1].base == 'o' {
            copy(&mut v, &letters);
            let horn = if letters[i].shape == Shape::Horn && letters[i + 1].shape == Shape::Horn {
                Shape::Plain
            } else {
                Shape::Horn
            };
            v[i].shape = horn;
            v[i + 1].shape = horn;
            push(&v, Slip::Diacritic, false);
        }
    }
    // Adjacent swap.
    for i in 0..letters.len().saturating_sub(1) {
        if letters[i] != letters[i + 1] {
            copy(&mut v, &letters);
            v.swap(i, i + 1);
            push(&v, Slip::Swap, false);
        }
    }
    // The letters' toneless characters, when each is one: the toneless spelling of a
    // letter dropped or added is then written from them, and most edits are refused by
    // `keep` before they are built (`toneless_nfc_into` writes the same characters).
    let chars: Option<Vec<char>> = keep.and_then(|_| letters.iter().map(toneless_nfc_letter).collect());
    let mut spelling = String::new();
    let mut refused = |parts: [&[char]; 3]| match (keep, &chars) {
        (Some(keep), Some(_)) => {
            spelling.clear();
            spelling.extend(parts.into_iter().flatten());
            !keep(&spelling)
        }
        _ => false,
    };
    let checked = chars.is_some();
    let no_chars: &[char] = &[];
    let tl = chars.as_deref().unwrap_or(no_chars);
    // A letter too many (doubled or stray).
    if letters.len() > 1 {
        for i in 0..letters.len() {
            if checked && refused([&tl[..i], &tl[i + 1..], no_chars]) {
                continue;
            }
            copy(&mut v, &letters[..i]);
            v.extend_from_slice(&letters[i + 1..]);
            push(&v, Slip::ExtraLetter, checked);
        }
    }
    // A dropped letter.
    for i in 0..=letters.len() {
        for (base, shape) in INSERTABLE {
            let added = Letter {
                base: *base,
                shape: *shape,
                tone: Tone::Level,
                upper: false,
            };
            let added_char = toneless_nfc_letter(&added);
            let known = checked && added_char.is_some();
            if known && refused([&tl[..i], &[added_char.unwrap_or(' ')], &tl[i..]]) {
                continue;
            }
            copy(&mut v, &letters[..i]);
            v.push(added);
            v.extend_from_slice(&letters[i..]);
            push(&v, Slip::DroppedLetter, known);
        }
    }
    out
}

/// Places `tone` on a toneless spelling where the rules put it; `None` when the
/// spelling is not a syllable.
fn with_tone(bare: &str, tone: Tone) -> Option<String> {
    if let Ok(s) = validate(bare) {
        return Some(s.with_tone(tone));
    }
    // A stop final is invalid without its tone: try a stand-in acute on each vowel.
    let nfd: String = bare.nfd().collect();
    for (i, c) in nfd.char_indices().filter(|(_, c)| "aeiouy".contains(*c)) {
        let mut probe = nfd.clone();
        probe.insert(i + c.len_utf8(), '\u{301}');
        if let Ok(s) = validate(&probe) {
            return Some(s.with_tone(tone));
        }
    }
    None
}

/// Whether an ASCII word carries a Telex-only keystroke pattern: a doubled `aa ee oo
/// dd`, a `w`, or a final `f` or `j` tone key. Plain English words have none of these
/// that also decode to a Vietnamese syllable.
pub fn has_telex_marker(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    ["aa", "ee", "oo", "dd", "w"].iter().any(|m| w.contains(m)) || w.ends_with('f') || w.ends_with('j')
}

/// Decodes Telex keystrokes left in a word (`dduowcj` → `được`, `tieengs` → `tiếng`).
/// Letters already carrying marks are kept. `None` when nothing decodes or the result is
/// not a valid syllable.
pub fn telex(word: &str) -> Option<String> {
    let lower: String = word.to_lowercase().nfc().collect();
    let mut chars: Vec<char> = lower.chars().collect();
    // A tone key after the first vowel (`s f r x j` are never finals): `tieengs`, `vieejt`.
    let mut tone = Tone::Level;
    if let Some(first_vowel) = chars.iter().position(|c| "aeiouyâăêôơư".contains(*c)) {
        if let Some(k) = (first_vowel + 1..chars.len()).find(|&i| "sfrxj".contains(chars[i])) {
            tone = match chars[k] {
                's' => Tone::Acute,
                'f' => Tone::Grave,
                'r' => Tone::Hook,
                'x' => Tone::Tilde,
                _ => Tone::Dot,
            };
            chars.remove(k);
        }
    }
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    let mut changed = tone != Tone::Level;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('d', Some('d')) => {
                out.push('đ');
                i += 2;
                changed = true;
                continue;
            }
            ('a', Some('a')) | ('e', Some('e')) | ('o', Some('o')) => {
                out.push(match c {
                    'a' => 'â',
                    'e' => 'ê',
                    _ => 'ô',
                });
                i += 2;
                changed = true;
                continue;
            }
            ('w', _) => {
                changed = true;
                match out.last().copied() {
                    Some('a') => *out.last_mut()? = 'ă',
                    Some('o') => {
                        *out.last_mut()? = 'ơ';
                        let n = out.len();
                        if n >= 2 && out[n - 2] == 'u' {
                            out[n - 2] = 'ư';
                        }
                    }
                    Some('u') => *out.last_mut()? = 'ư',
                    _ => out.push('ư'),
                }
                i += 1;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if !changed {
        return None;
    }
    let bare: String = out.into_iter().collect();
    with_tone(&bare, tone)
}

/// Decodes VNI keystrokes left in a word (`to6i` → `tôi`, `d9u7o7c5` → `được`).
pub fn vni(word: &str) -> Option<String> {
    let lower: String = word.to_lowercase().nfc().collect();
    if !lower.chars().any(|c| c.is_ascii_digit()) || !lower.chars().any(|c| c.is_alphabetic()) {
        return None;
    }
    // VNI keys follow the letter they mark: a leading digit is a number glued to a unit
    // (`2ha`, `5km`), not a slip (judged on real news: `rộng 2ha` → `hà`).
    if lower.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut out: Vec<char> = Vec::new();
    let mut tone = Tone::Level;
    for c in lower.chars() {
        match c {
            '1'..='5' => {
                if tone != Tone::Level {
                    return None;
                }
                tone = [Tone::Acute, Tone::Grave, Tone::Hook, Tone::Tilde, Tone::Dot][c as usize - '1' as usize];
            }
            '6' => {
                let i = out.iter().rposition(|c| matches!(c, 'a' | 'e' | 'o'))?;
                out[i] = match out[i] {
                    'a' => 'â',
                    'e' => 'ê',
                    _ => 'ô',
                };
            }
            '7' => {
                let i = out.iter().rposition(|c| matches!(c, 'o' | 'u'))?;
                out[i] = if out[i] == 'o' { 'ơ' } else { 'ư' };
                if out[i] == 'ơ' && i > 0 && out[i - 1] == 'u' {
                    out[i - 1] = 'ư';
                }
            }
            '8' => {
                let i = out.iter().rposition(|&c| c == 'a')?;
                out[i] = 'ă';
            }
            '9' => {
                let i = out.iter().rposition(|&c| c == 'd')?;
                out[i] = 'đ';
            }
            '0' => return None,
            c => out.push(c),
        }
    }
    let bare: String = out.into_iter().collect();
    with_tone(&bare, tone)
}

/// Whether two words differ only in tone marks, vowel shapes and `d`/`đ`.
pub fn differs_only_in_diacritics(a: &str, b: &str) -> bool {
    let fold = |s: &str| -> String {
        s.nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .map(|c| match c {
                'đ' => 'd',
                'Đ' => 'D',
                c => c,
            })
            .flat_map(char::to_lowercase)
            .collect()
    };
    fold(a) == fold(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reaches(from: &str, to: &str, slip: Slip) {
        let all = one_slip(from);
        let to = crate::text::vietnamese::syllable_key(to);
        assert!(
            all.iter()
                .any(|(w, s)| crate::text::vietnamese::syllable_key(w) == to && *s == slip),
            "{from} does not reach {to:?} by {slip:?}"
        );
    }

    #[test]
    fn tone_slips() {
        reaches("năng", "nặng", Slip::Tone);
        reaches("tìên", "tiền", Slip::Tone);
        reaches("muà", "mùa", Slip::Tone);
        reaches("mãt", "mát", Slip::Tone);
        reaches("tìến", "tiến", Slip::Tone);
    }

    #[test]
    fn diacritic_slips() {
        reaches("thưòng", "thường", Slip::Diacritic);
        reaches("nguòi", "người", Slip::Diacritic);
        reaches("quyêt", "quyệt", Slip::Tone);
        reaches("dây", "đây", Slip::Diacritic);
        reaches("thay", "thây", Slip::Diacritic);
        reaches("đổi", "đồi", Slip::Tone);
    }

    #[test]
    fn swaps_extra_and_dropped_letters() {
        reaches("tar", "tra", Slip::Swap);
        reaches("nhữngg", "những", Slip::ExtraLetter);
        reaches("đượcj", "được", Slip::ExtraLetter);
        reaches("ngừi", "người", Slip::DroppedLetter);
        reaches("ghanh", "ganh", Slip::ExtraLetter);
    }

    #[test]
    fn telex_leaks() {
        assert_eq!(telex("dduowcj").as_deref(), Some("được"));
        assert_eq!(telex("tieengs").as_deref(), Some("tiếng"));
        assert_eq!(telex("nguowif").as_deref(), Some("người"));
        assert_eq!(telex("hoaf").as_deref(), Some("hòa"));
        assert_eq!(telex("khoong").as_deref(), Some("không"));
        assert_eq!(telex("ban"), None);
        assert!(has_telex_marker("khoong") && has_telex_marker("hoaf") && !has_telex_marker("bus"));
        reaches("vieejt", "việt", Slip::Telex);
    }

    #[test]
    fn vni_leaks() {
        assert_eq!(vni("to6i").as_deref(), Some("tôi"));
        assert_eq!(vni("d9u7o7c5").as_deref(), Some("được"));
        assert_eq!(vni("vie65t").as_deref(), Some("việt"));
        assert_eq!(vni("mp3"), None);
        assert_eq!(vni("h5n1"), None);
        assert_eq!(vni("ban"), None);
        reaches("nha2", "nhà", Slip::Vni);
    }

    #[test]
    fn diacritic_only_differences() {
        assert!(differs_only_in_diacritics("nguòi", "người"));
        assert!(differs_only_in_diacritics("Dà", "Đà"));
        assert!(!differs_only_in_diacritics("tar", "tra"));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for w in [
            "",
            "\u{301}",
            "ǹ",
            "ßa",
            "😀",
            "aaaaaaaaaaaaaaaaaaaaaa",
            "w",
            "9",
            "d9",
            "77",
        ] {
            let _ = one_slip(w);
            let _ = telex(w);
            let _ = vni(w);
        }
    }
}
