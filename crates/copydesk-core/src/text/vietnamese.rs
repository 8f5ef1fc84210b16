//! Vietnamese syllables: a written syllable split into initial, medial, nucleus, final
//! and tone, and the tone mark moved from one vowel to another.
//!
//! A Vietnamese word is one syllable (compounds are spaced or hyphenated), so a kind
//! runs [`parse`] over each word. Parsing is strict: anything that is not a well-formed
//! syllable (`Joey`, `café`, a doubled tone mark, a tone on a consonant) returns `None`,
//! which is how kinds leave names in Latin script and foreign words alone.
//!
//! Input may be NFC, NFD, or the Windows "Unicode tổ hợp" mix (precomposed shaped vowel
//! plus a combining tone); output is always NFC.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

/// The six tones. `Level` (thanh ngang) has no mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    Level,
    /// huyền, U+0300
    Grave,
    /// sắc, U+0301
    Acute,
    /// hỏi, U+0309
    Hook,
    /// ngã, U+0303
    Tilde,
    /// nặng, U+0323
    Dot,
}

impl Tone {
    /// The six tones, `Level` first.
    pub const ALL: [Tone; 6] = [
        Tone::Level,
        Tone::Grave,
        Tone::Acute,
        Tone::Hook,
        Tone::Tilde,
        Tone::Dot,
    ];

    /// The tone a combining mark stands for (U+0340/U+0341 are canonically U+0300/U+0301).
    pub fn from_mark(c: char) -> Option<Tone> {
        Some(match c {
            '\u{300}' | '\u{340}' => Tone::Grave,
            '\u{301}' | '\u{341}' => Tone::Acute,
            '\u{309}' => Tone::Hook,
            '\u{303}' => Tone::Tilde,
            '\u{323}' => Tone::Dot,
            _ => return None,
        })
    }

    /// The combining mark of the tone; `None` for the level tone.
    pub fn mark(self) -> Option<char> {
        match self {
            Tone::Level => None,
            Tone::Grave => Some('\u{300}'),
            Tone::Acute => Some('\u{301}'),
            Tone::Hook => Some('\u{309}'),
            Tone::Tilde => Some('\u{303}'),
            Tone::Dot => Some('\u{323}'),
        }
    }
}

/// Whether `c` is one of the five combining tone marks.
pub fn is_tone_mark(c: char) -> bool {
    Tone::from_mark(c).is_some()
}

/// The diacritic that makes a letter of its own: ă, â/ê/ô, ơ/ư.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    Plain,
    /// U+0306: ă
    Breve,
    /// U+0302: â ê ô
    Circumflex,
    /// U+031B: ơ ư
    Horn,
}

impl Shape {
    pub fn from_mark(c: char) -> Option<Shape> {
        Some(match c {
            '\u{306}' => Shape::Breve,
            '\u{302}' => Shape::Circumflex,
            '\u{31B}' => Shape::Horn,
            _ => return None,
        })
    }
    pub fn mark(self) -> Option<char> {
        match self {
            Shape::Plain => None,
            Shape::Breve => Some('\u{306}'),
            Shape::Circumflex => Some('\u{302}'),
            Shape::Horn => Some('\u{31B}'),
        }
    }
}

/// Whether `c` is one of the three combining marks that shape a Vietnamese vowel.
pub fn is_shape_mark(c: char) -> bool {
    Shape::from_mark(c).is_some()
}

/// One written letter of a syllable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Letter {
    /// Lower-case base: `a`–`z` or `đ`.
    pub base: char,
    pub shape: Shape,
    pub tone: Tone,
    pub upper: bool,
}

impl Letter {
    /// The lower-case letter without its tone (`ư`, `đ`, `a`), or `None` when the shape
    /// does not exist in Vietnamese (`ĕ`, `ư` on a consonant).
    pub fn key(&self) -> Option<char> {
        Some(match (self.base, self.shape) {
            (b, Shape::Plain) => b,
            ('a', Shape::Breve) => 'ă',
            ('a', Shape::Circumflex) => 'â',
            ('e', Shape::Circumflex) => 'ê',
            ('o', Shape::Circumflex) => 'ô',
            ('o', Shape::Horn) => 'ơ',
            ('u', Shape::Horn) => 'ư',
            _ => return None,
        })
    }

    pub fn is_vowel(&self) -> bool {
        matches!(self.base, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
    }

    /// Appends the letter in NFD.
    fn push_nfd(&self, out: &mut String) {
        if self.upper {
            out.extend(self.base.to_uppercase());
        } else {
            out.push(self.base);
        }
        out.extend(self.shape.mark());
        out.extend(self.tone.mark());
    }
}

/// Splits a word into letters (base, shape, tone, case). `None` when a character is not
/// a letter of the Vietnamese alphabet, a mark is doubled or misplaced, or the word is
/// longer than any syllable.
pub fn letters(word: &str) -> Option<Vec<Letter>> {
    const MAX_LETTERS: usize = 8;
    let mut out: Vec<Letter> = Vec::with_capacity(8);
    let mut shape_set = false;
    for c in word.nfd() {
        if let Some(s) = Shape::from_mark(c) {
            let last = out.last_mut()?;
            if shape_set {
                return None;
            }
            last.shape = s;
            shape_set = true;
        } else if let Some(t) = Tone::from_mark(c) {
            let last = out.last_mut()?;
            if last.tone != Tone::Level || !last.is_vowel() {
                return None;
            }
            last.tone = t;
        } else {
            let (base, upper) = match c {
                'a'..='z' => (c, false),
                'A'..='Z' => (c.to_ascii_lowercase(), true),
                'đ' => ('đ', false),
                'Đ' => ('đ', true),
                _ => return None,
            };
            if out.len() == MAX_LETTERS {
                return None;
            }
            out.push(Letter {
                base,
                shape: Shape::Plain,
                tone: Tone::Level,
                upper,
            });
            shape_set = false;
        }
    }
    // A shape the language does not have (`ĕ`, `b̛`).
    if out.iter().any(|l| l.key().is_none()) {
        return None;
    }
    Some(out)
}

/// Where the tone mark sits in an open `oa`, `oe`, `uy` syllable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GlidePlacement {
    /// On the glide: `hòa`, `khỏe`, `thủy`.
    FirstVowel,
    /// On the main vowel: `hoà`, `khoẻ`, `thuỷ`.
    SecondVowel,
}

impl GlidePlacement {
    pub fn other(self) -> GlidePlacement {
        match self {
            GlidePlacement::FirstVowel => GlidePlacement::SecondVowel,
            GlidePlacement::SecondVowel => GlidePlacement::FirstVowel,
        }
    }
}

/// A parsed syllable. Ranges index [`Syllable::letters`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syllable {
    letters: Vec<Letter>,
    /// Initial consonant (`ngh`, `gi`, `qu`, …), possibly empty.
    pub initial: Range<usize>,
    /// The glide `o`/`u` before the main vowel (`hoa`, `thuy`, `huân`). The `u` of `qu`
    /// belongs to the initial, so `quý` has none.
    pub medial: Option<usize>,
    /// Main vowel: one letter or a diphthong (`iê`, `yê`, `ia`, `uô`, `ua`, `ươ`, `ưa`, `oo`).
    pub nucleus: Range<usize>,
    /// Final consonant or semivowel, possibly empty.
    pub coda: Range<usize>,
    pub tone: Tone,
    /// The letter that carries the tone mark, if any.
    pub tone_at: Option<usize>,
}

const INITIALS: &[&str] = &[
    "ngh", "ng", "gh", "gi", "nh", "ch", "tr", "th", "ph", "kh", "qu", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
    "n", "p", "r", "s", "t", "v", "x", "",
];

/// Rhymes as `medial|nucleus|codas`, codas separated by spaces, `-` for none.
const RHYMES: &[&str] = &[
    "|a|- c ch i m n ng nh o p t u y",
    "|ă|c m n ng p t",
    "|â|c m n ng p t u y",
    "|e|- c m n ng o p t",
    "|ê|- ch m n nh p t u",
    "|i|- ch m n nh p t u",
    "|o|- c i m n ng p t",
    "|ô|- c i m n ng p t",
    "|ơ|- i m n p t",
    "|u|- c i m n ng p t",
    "|ư|- c i m n ng t u",
    "|y|-",
    "|ia|-",
    "|iê|c m n ng p t u",
    "|yê|m n ng t u",
    "|ua|-",
    "|uô|c i m n ng t",
    "|ưa|-",
    "|ươ|c i m n ng p t u",
    "|oo|c ng",
    "o|a|- c ch i m n ng nh p t y",
    "o|ă|c m n ng t",
    "o|e|- n o t",
    "u|â|n ng t y",
    "u|ê|- ch nh",
    "u|ơ|-",
    "u|y|- ch n nh p t u",
    "u|ya|-",
    "u|yê|n t",
];

/// Letter counts of a rhyme's medial, nucleus and coda.
#[derive(Debug, Clone, Copy)]
struct RhymeShape {
    medial: usize,
    nucleus: usize,
    coda: usize,
}

static RHYME_TABLE: LazyLock<HashMap<String, RhymeShape>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for line in RHYMES {
        let mut parts = line.split('|');
        let (medial, nucleus, codas) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        for coda in codas.split(' ') {
            let coda = if coda == "-" { "" } else { coda };
            map.insert(
                format!("{medial}{nucleus}{coda}"),
                RhymeShape {
                    medial: medial.chars().count(),
                    nucleus: nucleus.chars().count(),
                    coda: coda.chars().count(),
                },
            );
        }
    }
    map
});

fn rhyme(key: &str) -> Option<RhymeShape> {
    RHYME_TABLE.get(key).copied()
}

/// Parses one word as a Vietnamese syllable. `None` for anything that is not one.
pub fn parse(word: &str) -> Option<Syllable> {
    let letters = letters(word)?;
    let keys: Vec<char> = letters.iter().map(|l| l.key()).collect::<Option<_>>()?;
    let key: String = keys.iter().collect();
    let mut found = None;
    for init in INITIALS {
        let Some(rest) = key.strip_prefix(init) else {
            continue;
        };
        let init_len = init.chars().count();
        let shape = match *init {
            // `qu`: the u is part of the initial; `quy` is qu + y, `quyên` is qu + yên.
            "qu" => rhyme(rest).or_else(|| {
                rhyme(&format!("u{rest}"))
                    .filter(|s| s.medial == 1)
                    .map(|s| RhymeShape { medial: 0, ..s })
            }),
            // `gi` + vowel: the i is part of the initial (`gia`, `giữa`); otherwise the i is
            // the vowel (`gì`, `gìn`), tried below as g + `in`.
            "gi" if !rest.is_empty() => rhyme(rest),
            "gi" => None,
            _ => rhyme(rest),
        };
        let Some(shape) = shape else { continue };
        if !spelling_ok(init, rest) {
            continue;
        }
        found = Some((init_len, shape));
        break;
    }
    let (init_len, shape) = found?;
    let medial = (shape.medial == 1).then_some(init_len);
    let nucleus_start = init_len + shape.medial;
    let nucleus = nucleus_start..nucleus_start + shape.nucleus;
    let coda = nucleus.end..nucleus.end + shape.coda;
    debug_assert_eq!(coda.end, letters.len());

    let mut tone = Tone::Level;
    let mut tone_at = None;
    for (i, l) in letters.iter().enumerate() {
        if l.tone != Tone::Level {
            if tone_at.is_some() {
                return None;
            }
            tone = l.tone;
            tone_at = Some(i);
        }
    }
    if let Some(i) = tone_at {
        // A tone on the i of `gi` or the u of `qu`, or on a final semivowel, is misplaced;
        // that is not a syllable we can reason about.
        if i < init_len || i >= coda.start {
            return None;
        }
    }
    // Stop finals take only the rising tones.
    let coda_key: String = keys[coda.clone()].iter().collect();
    if matches!(coda_key.as_str(), "c" | "ch" | "p" | "t") && !matches!(tone, Tone::Level | Tone::Acute | Tone::Dot) {
        return None;
    }
    Some(Syllable {
        letters,
        initial: 0..init_len,
        medial,
        nucleus,
        coda,
        tone,
        tone_at,
    })
}

/// The c/k, g/gh, ng/ngh spelling rules: `k`, `gh`, `ngh` only before i, e, ê, y; `c`,
/// `ng` never before them.
fn spelling_ok(init: &str, rest: &str) -> bool {
    let front = matches!(rest.chars().next(), Some('i' | 'e' | 'ê' | 'y'));
    match init {
        "k" | "gh" | "ngh" => front,
        "c" | "ng" => !front,
        _ => true,
    }
}

impl Syllable {
    pub fn letters(&self) -> &[Letter] {
        &self.letters
    }

    /// Whether the syllable has a final consonant or semivowel.
    pub fn is_closed(&self) -> bool {
        !self.coda.is_empty()
    }

    /// For an open `oa`, `oe` or `uy` syllable with a tone mark on one of those two
    /// vowels, where the mark sits. `None` for every other syllable: `hoàn`, `quý`, `gia`.
    pub fn open_glide_placement(&self) -> Option<GlidePlacement> {
        let (m, n) = self.open_glide()?;
        match self.tone_at? {
            i if i == m => Some(GlidePlacement::FirstVowel),
            i if i == n => Some(GlidePlacement::SecondVowel),
            _ => None,
        }
    }

    /// The medial and nucleus indices of an open `oa`, `oe`, `uy` syllable.
    fn open_glide(&self) -> Option<(usize, usize)> {
        let m = self.medial?;
        if self.is_closed() || self.nucleus.len() != 1 {
            return None;
        }
        let n = self.nucleus.start;
        let pair = (self.letters[m].key()?, self.letters[n].key()?);
        matches!(pair, ('o', 'a') | ('o', 'e') | ('u', 'y')).then_some((m, n))
    }

    /// Where the tone mark belongs by the spelling rules, with `glide` deciding open
    /// `oa`/`oe`/`uy`: on a shaped vowel of the nucleus if there is one (`tiếng`, `người`),
    /// on the first vowel of an open `ia`/`ua`/`ưa` (`mía`, `múa`, `cửa`), else on the last
    /// vowel of the nucleus (`hoàn`, `thuyết`).
    pub fn canonical_tone_index(&self, glide: GlidePlacement) -> usize {
        if let Some((m, n)) = self.open_glide() {
            return match glide {
                GlidePlacement::FirstVowel => m,
                GlidePlacement::SecondVowel => n,
            };
        }
        let nuc = self.nucleus.clone();
        if let Some(i) = nuc.clone().rev().find(|&i| self.letters[i].shape != Shape::Plain) {
            return i;
        }
        if nuc.len() == 2 && !self.is_closed() {
            return nuc.start;
        }
        nuc.end - 1
    }

    /// The syllable in NFC, letter case kept.
    pub fn to_nfc(&self) -> String {
        let mut s = String::with_capacity(self.letters.len() * 3);
        for l in &self.letters {
            l.push_nfd(&mut s);
        }
        s.nfc().collect()
    }

    /// The syllable in NFC with its tone mark on letter `i` (a vowel), or `None` when
    /// there is no tone or `i` is not a vowel of the syllable.
    pub fn with_tone_at(&self, i: usize) -> Option<String> {
        let from = self.tone_at?;
        if !self.letters.get(i)?.is_vowel() {
            return None;
        }
        let mut moved = self.clone();
        moved.letters[from].tone = Tone::Level;
        moved.letters[i].tone = self.tone;
        moved.tone_at = Some(i);
        Some(moved.to_nfc())
    }

    /// The syllable with its `oa`/`oe`/`uy` tone mark placed by `to`; `None` when the
    /// syllable is not an open glide syllable with a tone.
    pub fn with_glide_placement(&self, to: GlidePlacement) -> Option<String> {
        self.open_glide_placement()?;
        let (m, n) = self.open_glide()?;
        self.with_tone_at(match to {
            GlidePlacement::FirstVowel => m,
            GlidePlacement::SecondVowel => n,
        })
    }
}

/// Every lower-case Vietnamese letter with every tone, NFC: the letters that can occur
/// in Unicode Vietnamese text (used to tell legacy-encoding debris from real text).
pub fn is_vietnamese_letter(c: char) -> bool {
    let lower: String = c.to_lowercase().collect();
    let mut chars = lower.chars();
    let (Some(l), None) = (chars.next(), chars.next()) else {
        return false;
    };
    l.is_ascii_lowercase() || l == 'đ' || letters(&l.to_string()).is_some_and(|v| v.len() == 1)
}

/// Whether `s` is NFC by its characters alone: each is ASCII, Latin up to U+02FF, Latin
/// Extended Additional (precomposed Vietnamese) or news punctuation (U+2010..U+2027), all
/// NFC and never composing with a neighbour. `false` says nothing: ask the normalizer.
/// (`is_nfc` looks every character up in two tables; most news copy needs none.)
pub fn plainly_nfc(s: &str) -> bool {
    s.chars().all(|c| {
        let u = c as u32;
        u < 0x300 || (0x1E00..0x1F00).contains(&u) || (0x2010..0x2028).contains(&u)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plainly_nfc_agrees_with_the_normalizer() {
        use unicode_normalization::is_nfc;
        let all: String = (0..0x300)
            .chain(0x1E00..0x1F00)
            .chain(0x2010..0x2028)
            .filter_map(char::from_u32)
            .collect();
        assert!(plainly_nfc(&all) && is_nfc(&all));
        assert!(plainly_nfc("Người dân “nói” – được…"));
        assert!(!plainly_nfc("Hoa\u{300}"));
        assert!(!plainly_nfc("\u{2000}"));
    }

    fn parts(word: &str) -> (String, String, String, String, Tone) {
        let s = parse(word).unwrap_or_else(|| panic!("{word} does not parse"));
        let k = |r: Range<usize>| -> String { s.letters[r].iter().filter_map(|l| l.key()).collect() };
        let medial = s.medial.map(|m| k(m..m + 1)).unwrap_or_default();
        (
            k(s.initial.clone()),
            medial,
            k(s.nucleus.clone()),
            k(s.coda.clone()),
            s.tone,
        )
    }

    #[test]
    fn splits_syllables() {
        let p = |w: &str| {
            let (i, m, n, c, _) = parts(w);
            format!("{i}/{m}/{n}/{c}")
        };
        assert_eq!(p("nghiêng"), "ngh//iê/ng");
        assert_eq!(p("hòa"), "h/o/a/");
        assert_eq!(p("hoà"), "h/o/a/");
        assert_eq!(p("thủy"), "th/u/y/");
        assert_eq!(p("Ủy"), "/u/y/");
        assert_eq!(p("quý"), "qu//y/");
        assert_eq!(p("quyết"), "qu//yê/t");
        assert_eq!(p("quỳnh"), "qu//y/nh");
        assert_eq!(p("quốc"), "qu//ô/c");
        assert_eq!(p("gia"), "gi//a/");
        assert_eq!(p("giữa"), "gi//ưa/");
        assert_eq!(p("gì"), "g//i/");
        assert_eq!(p("gìn"), "g//i/n");
        assert_eq!(p("người"), "ng//ươ/i");
        assert_eq!(p("khuya"), "kh/u/ya/");
        assert_eq!(p("thuyết"), "th/u/yê/t");
        assert_eq!(p("Hoàng"), "h/o/a/ng");
        assert_eq!(p("đường"), "đ//ươ/ng");
        assert_eq!(p("mía"), "m//ia/");
        assert_eq!(p("ĐẠI"), "đ//a/i");
        assert_eq!(parts("thuở").4, Tone::Hook);
    }

    #[test]
    fn rejects_what_is_not_a_syllable() {
        for w in [
            "Joey",
            "café",
            "hóà",
            "tiề\u{300}n",
            "bǹ",
            "ci",
            "ka",
            "ngi",
            "strong",
            "xyz",
            "fá",
            "hoàc",
            "mãt",
            "",
        ] {
            assert!(parse(w).is_none(), "{w} parsed");
        }
    }

    #[test]
    fn reads_nfd_and_windows_composite_input() {
        let nfd: String = "hoà".nfd().collect();
        assert_eq!(parse(&nfd).unwrap().to_nfc(), "hoà");
        // Precomposed shaped vowel + combining tone, as Windows' "Unicode tổ hợp" types it.
        let composite = "tiê\u{300}n";
        let s = parse(composite).unwrap();
        assert_eq!(s.to_nfc(), "tiền");
        assert_eq!(s.tone, Tone::Grave);
    }

    #[test]
    fn open_glide_placement_and_moves() {
        let s = parse("hòa").unwrap();
        assert_eq!(s.open_glide_placement(), Some(GlidePlacement::FirstVowel));
        assert_eq!(
            s.with_glide_placement(GlidePlacement::SecondVowel).as_deref(),
            Some("hoà")
        );
        let s = parse("THUỶ").unwrap();
        assert_eq!(s.open_glide_placement(), Some(GlidePlacement::SecondVowel));
        assert_eq!(
            s.with_glide_placement(GlidePlacement::FirstVowel).as_deref(),
            Some("THỦY")
        );
        assert_eq!(
            parse("Khoẻ")
                .unwrap()
                .with_glide_placement(GlidePlacement::FirstVowel)
                .as_deref(),
            Some("Khỏe")
        );
        for w in ["quý", "hoàn", "thuyết", "hoa", "gia", "khuya", "huệ"] {
            assert_eq!(parse(w).unwrap().open_glide_placement(), None, "{w}");
        }
    }

    #[test]
    fn canonical_positions() {
        let at = |w: &str| {
            let s = parse(w).unwrap();
            let i = s.canonical_tone_index(GlidePlacement::FirstVowel);
            s.with_tone_at(i).unwrap()
        };
        assert_eq!(at("hoàn"), "hoàn");
        assert_eq!(at("múa"), "múa");
        assert_eq!(at("cửa"), "cửa");
        assert_eq!(at("người"), "người");
        assert_eq!(at("hoà"), "hòa");
        assert_eq!(at("tiếng"), "tiếng");
    }

    #[test]
    fn knows_vietnamese_letters() {
        for c in ['ệ', 'Ự', 'a', 'đ', 'Đ', 'ỵ'] {
            assert!(is_vietnamese_letter(c), "{c}");
        }
        for c in ['µ', '®', 'ø', 'ç', 'ë', 'ñ', 'Ð'] {
            assert!(!is_vietnamese_letter(c), "{c}");
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

        fn config() -> Config {
            Config {
                cases: 256,
                rng_seed: RngSeed::Fixed(0x5e11_ab1e),
                failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
                ..Config::default()
            }
        }

        fn glide_syllable() -> impl Strategy<Value = String> {
            (
                prop::sample::select(vec!["", "h", "th", "kh", "ng", "tr", "l", "x", "đ", "ch"]),
                prop::sample::select(vec![("o", "a"), ("o", "e"), ("u", "y")]),
                prop::sample::select(vec!['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}']),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
            )
                .prop_map(|(init, (m, n), tone, second, upper, nfd)| {
                    let s = if second {
                        format!("{init}{m}{n}{tone}")
                    } else {
                        format!("{init}{m}{tone}{n}")
                    };
                    let s = if upper { s.to_uppercase() } else { s };
                    if nfd {
                        s.nfd().collect()
                    } else {
                        s.nfc().collect()
                    }
                })
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn never_panics(s in "\\PC{0,12}") {
                if let Some(syl) = parse(&s) {
                    let _ = syl.to_nfc();
                    let _ = syl.canonical_tone_index(GlidePlacement::FirstVowel);
                }
            }

            #[test]
            fn moving_twice_round_trips(w in glide_syllable()) {
                let s = parse(&w).expect("generated syllables parse");
                let here = s.open_glide_placement().expect("open glide with a tone");
                let there = s.with_glide_placement(here.other()).unwrap();
                let back = parse(&there).unwrap();
                prop_assert_eq!(back.open_glide_placement(), Some(here.other()));
                let again = back.with_glide_placement(here).unwrap();
                let nfc: String = w.nfc().collect();
                prop_assert_eq!(again, nfc);
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Spelling constraints: why a written word is not a Vietnamese syllable.

/// A spelling constraint a Vietnamese syllable must obey. [`CONSTRAINTS`] lists them
/// with their source; [`validate`] names the first one a word breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Violation {
    /// A letter outside the 29-letter alphabet (`f`, `j`, `w`, `z`, `ñ`, `ç`, digits).
    ForeignLetter,
    /// A vowel shape that does not exist (`ĕ`, `ư` written on a consonant, two shapes on one letter).
    BadShape,
    /// More than one tone mark.
    TwoTones,
    /// A tone mark on a consonant.
    ToneOnConsonant,
    /// No vowel at all.
    NoVowel,
    /// A leading consonant cluster that is not one of the 27 initials (`kr`, `bl`, `str`).
    BadInitial,
    /// `q` not followed by `u`.
    QWithoutU,
    /// `k`, `gh`, `ngh` before a vowel other than `i`, `e`, `ê`, `y` (`ka`, `ghô`, `nghư`).
    FrontOnlyInitial,
    /// `c`, `g`, `ng` before `i`, `e`, `ê`, `y` (`ci`, `ge`, `nghe` written `nge`).
    BackOnlyInitial,
    /// A vowel sequence or vowel + final pair the language does not have (`oă`, `uoi`, `ơng`, `êng`).
    BadRhyme,
    /// A stop final `p`, `t`, `c`, `ch` without sắc or nặng (`mãt`, `hoàc`, `quyêt`).
    StopFinalTone,
    /// The tone mark on a letter the rhyme does not allow (`tìên`, `muà`, `qúy`, `baò`).
    ToneOnWrongVowel,
}

/// One row of the constraint table.
#[derive(Debug, Clone, Copy)]
pub struct Constraint {
    pub violation: Violation,
    /// A short name, as in messages and documentation.
    pub name: &'static str,
    /// A word that breaks it, and the word that was meant.
    pub example: (&'static str, &'static str),
    /// Where the rule is stated: `[QĐ1989]` is Quyết định 1989/QĐ-BGDĐT (25 May 2018),
    /// the Ministry of Education's spelling rules for Vietnamese; `[ĐTT]` is Đoàn Thiện
    /// Thuật, *Ngữ âm tiếng Việt* (NXB Đại học Quốc gia Hà Nội), the syllable structure
    /// chapters (initials, rhymes, tones).
    pub reference: &'static str,
}

/// The spelling constraints, in the order [`validate`] checks them.
pub const CONSTRAINTS: &[Constraint] = &[
    Constraint {
        violation: Violation::ForeignLetter,
        name: "letter outside the Vietnamese alphabet",
        example: ("fải", "phải"),
        reference: "[QĐ1989] the 29-letter alphabet (no f, j, w, z)",
    },
    Constraint {
        violation: Violation::BadShape,
        name: "vowel shape that does not exist",
        example: ("bư̆a", "bữa"),
        reference: "[QĐ1989] the 12 vowel letters a ă â e ê i o ô ơ u ư y",
    },
    Constraint {
        violation: Violation::TwoTones,
        name: "more than one tone mark",
        example: ("tìến", "tiến"),
        reference: "[ĐTT] one tone per syllable; [QĐ1989] one tone mark per syllable",
    },
    Constraint {
        violation: Violation::ToneOnConsonant,
        name: "tone mark on a consonant",
        example: ("ǹgười", "người"),
        reference: "[QĐ1989] tone marks go on the main vowel",
    },
    Constraint {
        violation: Violation::NoVowel,
        name: "no vowel",
        example: ("ngg", "ngày"),
        reference: "[ĐTT] every syllable has a main vowel",
    },
    Constraint {
        violation: Violation::BadInitial,
        name: "consonant cluster that is not an initial",
        example: ("trhường", "trường"),
        reference: "[ĐTT] the 22 initial consonants and their 27 spellings (b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x)",
    },
    Constraint {
        violation: Violation::QWithoutU,
        name: "q without u",
        example: ("qốc", "quốc"),
        reference: "[QĐ1989] q is always written qu",
    },
    Constraint {
        violation: Violation::FrontOnlyInitial,
        name: "k, gh, ngh before a back vowel",
        example: ("ka", "ca"),
        reference: "[QĐ1989] k, gh, ngh only before i, e, ê, y",
    },
    Constraint {
        violation: Violation::BackOnlyInitial,
        name: "c, g, ng before a front vowel",
        example: ("nge", "nghe"),
        reference: "[QĐ1989] c, g, ng never before i, e, ê, y (gi is its own initial)",
    },
    Constraint {
        violation: Violation::BadRhyme,
        name: "vowel and final pair that does not exist",
        example: ("thưòng", "thường"),
        reference: "[ĐTT] the rhyme table: medial, main vowel and final combinations",
    },
    Constraint {
        violation: Violation::StopFinalTone,
        name: "stop final without sắc or nặng",
        example: ("quyêt", "quyết"),
        reference: "[ĐTT] syllables closed by p, t, c, ch take only sắc or nặng",
    },
    Constraint {
        violation: Violation::ToneOnWrongVowel,
        name: "tone mark on the wrong vowel",
        example: ("muà", "mùa"),
        reference: "[QĐ1989] the tone mark sits on the main vowel (on the shaped vowel of ươ, iê, uô; on the first vowel of open ia, ua, ưa; either vowel of open oa, oe, uy)",
    },
];

/// The constraint row of a violation.
pub fn constraint(v: Violation) -> &'static Constraint {
    CONSTRAINTS
        .iter()
        .find(|c| c.violation == v)
        .expect("every violation has a row")
}

fn is_vowel_key(c: char) -> bool {
    matches!(c, 'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y')
}

/// [`letters`], with the reason when the word cannot be split into Vietnamese letters.
pub fn letters_checked(word: &str) -> Result<Vec<Letter>, Violation> {
    // ASCII is its own NFD: its characters are read without the normalizer.
    if word.is_ascii() {
        letters_of_nfd(word.chars())
    } else {
        letters_of_nfd(word.nfd())
    }
}

/// [`letters_checked`] of a word's NFD characters.
fn letters_of_nfd(nfd: impl Iterator<Item = char>) -> Result<Vec<Letter>, Violation> {
    let mut out: Vec<Letter> = Vec::with_capacity(8);
    let mut shape_set = false;
    for c in nfd {
        if let Some(s) = Shape::from_mark(c) {
            let Some(last) = out.last_mut() else {
                return Err(Violation::BadShape);
            };
            if shape_set {
                return Err(Violation::BadShape);
            }
            last.shape = s;
            shape_set = true;
        } else if let Some(t) = Tone::from_mark(c) {
            let Some(last) = out.last_mut() else {
                return Err(Violation::ToneOnConsonant);
            };
            if !last.is_vowel() {
                return Err(Violation::ToneOnConsonant);
            }
            if last.tone != Tone::Level {
                return Err(Violation::TwoTones);
            }
            last.tone = t;
        } else {
            let (base, upper) = match c {
                'a'..='z' => (c, false),
                'A'..='Z' => (c.to_ascii_lowercase(), true),
                'đ' => ('đ', false),
                'Đ' => ('đ', true),
                _ => return Err(Violation::ForeignLetter),
            };
            if matches!(base, 'f' | 'j' | 'w' | 'z') {
                return Err(Violation::ForeignLetter);
            }
            out.push(Letter {
                base,
                shape: Shape::Plain,
                tone: Tone::Level,
                upper,
            });
            shape_set = false;
        }
    }
    if out.iter().any(|l| l.key().is_none()) {
        return Err(Violation::BadShape);
    }
    if out.iter().filter(|l| l.tone != Tone::Level).count() > 1 {
        return Err(Violation::TwoTones);
    }
    Ok(out)
}

/// Checks a word against every spelling constraint: the parsed syllable, or the first
/// constraint it breaks. Stricter than [`parse`]: the tone mark must also sit where the
/// rhyme allows it (either vowel of an open `oa`, `oe`, `uy`).
pub fn validate(word: &str) -> Result<Syllable, Violation> {
    let letters = letters_checked(word)?;
    let keys: Vec<char> = letters.iter().map(|l| l.key().unwrap_or(l.base)).collect();
    let Some(first_vowel) = keys.iter().position(|&c| is_vowel_key(c)) else {
        return Err(Violation::NoVowel);
    };
    if keys[0] == 'q' && keys.get(1) != Some(&'u') {
        return Err(Violation::QWithoutU);
    }
    let onset: String = keys[..first_vowel].iter().collect();
    // `gi` and `qu` take their vowel letter into the initial.
    let onset_ok = INITIALS.contains(&onset.as_str()) || onset == "q" || onset == "g";
    if !onset_ok {
        return Err(Violation::BadInitial);
    }
    let key: String = keys.iter().collect();
    let mut spelling_broken = None;
    let mut found = None;
    for init in INITIALS {
        let Some(rest) = key.strip_prefix(init) else {
            continue;
        };
        let shape = match *init {
            "qu" => rhyme(rest).or_else(|| {
                rhyme(&format!("u{rest}"))
                    .filter(|s| s.medial == 1)
                    .map(|s| RhymeShape { medial: 0, ..s })
            }),
            "gi" if !rest.is_empty() => rhyme(rest),
            "gi" => None,
            _ => rhyme(rest),
        };
        let Some(shape) = shape else { continue };
        let front = matches!(rest.chars().next(), Some('i' | 'e' | 'ê' | 'y'));
        let broken = match *init {
            "k" | "gh" | "ngh" if !front => Some(Violation::FrontOnlyInitial),
            "c" | "ng" if front => Some(Violation::BackOnlyInitial),
            "g" if matches!(rest.chars().next(), Some('e' | 'ê')) => Some(Violation::BackOnlyInitial),
            _ => None,
        };
        if let Some(b) = broken {
            spelling_broken.get_or_insert(b);
            continue;
        }
        found = Some((init.chars().count(), shape));
        break;
    }
    let Some((init_len, shape)) = found else {
        return Err(spelling_broken.unwrap_or(Violation::BadRhyme));
    };
    let medial = (shape.medial == 1).then_some(init_len);
    let nucleus_start = init_len + shape.medial;
    let nucleus = nucleus_start..nucleus_start + shape.nucleus;
    let coda = nucleus.end..nucleus.end + shape.coda;
    let tone_at = letters.iter().position(|l| l.tone != Tone::Level);
    let tone = tone_at.map_or(Tone::Level, |i| letters[i].tone);
    let coda_key: String = keys[coda.clone()].iter().collect();
    if matches!(coda_key.as_str(), "c" | "ch" | "p" | "t") && !matches!(tone, Tone::Acute | Tone::Dot) {
        return Err(Violation::StopFinalTone);
    }
    let syllable = Syllable {
        letters,
        initial: 0..init_len,
        medial,
        nucleus,
        coda,
        tone,
        tone_at,
    };
    if let Some(i) = tone_at {
        let allowed = [
            syllable.canonical_tone_index(GlidePlacement::FirstVowel),
            syllable.canonical_tone_index(GlidePlacement::SecondVowel),
        ];
        if !allowed.contains(&i) {
            return Err(Violation::ToneOnWrongVowel);
        }
    }
    Ok(syllable)
}

/// Writes letters as an NFC string.
///
/// Each letter of `a`–`z` or `đ` is written as the one character its NFC is (looked up in
/// [`NFC_LETTERS`], filled from [`letters_to_nfc_slow`] on first use), so the spelling
/// kind's one-slip candidates (hundreds a rare word, each written twice) need no
/// normalization pass; a letter whose NFC is not one character, or another base, takes
/// the general path. Canonical composition never joins two Latin letters, so the string
/// is the letters' NFC one after the other (a test compares both on every letter).
pub fn letters_to_nfc(letters: &[Letter]) -> String {
    let mut s = String::with_capacity(letters.len() * 3);
    for l in letters {
        match nfc_letter(l) {
            Some(c) => s.push(c),
            None => return letters_to_nfc_slow(letters),
        }
    }
    s
}

/// Appends [`letters_to_nfc`] of the letters with their tone marks taken off to `out`.
/// The one precomposed character a letter without its tone is, as [`toneless_nfc_into`]
/// writes it; `None` when it needs the normalizer.
pub fn toneless_nfc_letter(l: &Letter) -> Option<char> {
    nfc_letter(&Letter {
        tone: Tone::Level,
        ..*l
    })
}

pub fn toneless_nfc_into(letters: &[Letter], out: &mut String) {
    let start = out.len();
    for l in letters {
        match nfc_letter(&Letter {
            tone: Tone::Level,
            ..*l
        }) {
            Some(c) => out.push(c),
            None => {
                out.truncate(start);
                let toneless: Vec<Letter> = letters
                    .iter()
                    .map(|l| Letter {
                        tone: Tone::Level,
                        ..*l
                    })
                    .collect();
                out.push_str(&letters_to_nfc_slow(&toneless));
                return;
            }
        }
    }
}

/// [`letters_to_nfc`] by Unicode normalization.
fn letters_to_nfc_slow(letters: &[Letter]) -> String {
    let mut s = String::with_capacity(letters.len() * 3);
    for l in letters {
        l.push_nfd(&mut s);
    }
    s.nfc().collect()
}

/// By letter (base `a`–`z`, then `đ`; shape; tone; case): the one character its NFC is,
/// `NFC_NONE` when it is more than one, 0 while not yet computed.
static NFC_LETTERS: [std::sync::atomic::AtomicU32; 27 * 4 * 6 * 2] =
    [const { std::sync::atomic::AtomicU32::new(0) }; 27 * 4 * 6 * 2];
const NFC_NONE: u32 = u32::MAX;

/// The one character a letter's NFC is, when its base is `a`–`z` or `đ` and that NFC is
/// one character.
#[inline]
fn nfc_letter(l: &Letter) -> Option<char> {
    use std::sync::atomic::Ordering::Relaxed;
    if l.shape == Shape::Plain && l.tone == Tone::Level && !l.upper && l.base.is_ascii_lowercase() {
        return Some(l.base);
    }
    let base = match l.base {
        'a'..='z' => l.base as usize - 'a' as usize,
        'đ' => 26,
        _ => return None,
    };
    let i = ((base * 4 + l.shape as usize) * 6 + l.tone as usize) * 2 + usize::from(l.upper);
    let slot = NFC_LETTERS.get(i)?;
    let v = match slot.load(Relaxed) {
        0 => {
            let one = letters_to_nfc_slow(std::slice::from_ref(l));
            let mut chars = one.chars();
            let v = match (chars.next(), chars.next()) {
                (Some(c), None) => u32::from(c),
                _ => NFC_NONE,
            };
            slot.store(v, Relaxed);
            v
        }
        v => v,
    };
    char::from_u32(v)
}

impl Syllable {
    /// The lookup key of the syllable: lower case, NFC, tone mark where the spelling
    /// rules put it (first vowel of open `oa`, `oe`, `uy`), so `Hoà`, `hòa` and `HÒA`
    /// share one key.
    pub fn key(&self) -> String {
        let mut letters = self.letters.clone();
        for l in &mut letters {
            l.upper = false;
        }
        if let Some(from) = self.tone_at {
            let to = self.canonical_tone_index(GlidePlacement::FirstVowel);
            letters[from].tone = Tone::Level;
            letters[to].tone = self.tone;
        }
        letters_to_nfc(&letters)
    }
}

impl Syllable {
    /// The syllable without its tone mark, then with `tone` where the spelling rules put
    /// it (first vowel of open `oa`, `oe`, `uy`); NFC, case kept.
    pub fn with_tone(&self, tone: Tone) -> String {
        let mut letters = self.letters.clone();
        for l in &mut letters {
            l.tone = Tone::Level;
        }
        let at = self.canonical_tone_index(GlidePlacement::FirstVowel);
        if let Some(l) = letters.get_mut(at) {
            l.tone = tone;
        }
        letters_to_nfc(&letters)
    }
}

/// The lookup key of a word that is a valid syllable ([`Syllable::key`]).
pub fn syllable_key(word: &str) -> Option<String> {
    validate(word).ok().map(|s| s.key())
}

/// Whether the word carries a mark or letter only Vietnamese uses among Latin-script
/// languages: `ă ơ ư đ`, the hook or dot-below tone, a tone on a shaped vowel (`ế`),
/// or a tilde on `e i u y`. `é`, `à`, `ê`, `ô`, `ã` alone are shared with French,
/// Spanish or Portuguese names. A word with a letter of another script (`война`) or a
/// mark Vietnamese never writes on that letter (`Kŭi`, `Erdoğan`, `Benoît`, `Müller`, `Ñ`)
/// is foreign, whatever else it carries: its `й` is no `ă`.
pub fn has_vietnamese_only_mark(word: &str) -> bool {
    // ASCII is its own NFD and carries none of these marks or letters (most new words
    // of a text are names and foreign words).
    if word.is_ascii() {
        return false;
    }
    let mut prev_shape = false;
    let mut prev_base = ' ';
    let mut found = false;
    for c in word.nfd() {
        let base = prev_base.to_ascii_lowercase();
        match c {
            'đ' | 'Đ' | '\u{309}' | '\u{323}' => found = true,
            '\u{306}' if base == 'a' => found = true,
            '\u{31B}' if matches!(base, 'o' | 'u') => found = true,
            '\u{300}' | '\u{301}' | '\u{303}' if prev_shape => found = true,
            '\u{303}' if matches!(base, 'e' | 'i' | 'u' | 'y') => found = true,
            // `ñ`, `ń`: a mark of another language on a consonant.
            '\u{300}' | '\u{301}' | '\u{303}' | '\u{340}' | '\u{341}'
                if base.is_ascii_alphabetic() && !is_vowel_letter(base) =>
            {
                return false
            }
            '\u{300}' | '\u{301}' | '\u{303}' | '\u{340}' | '\u{341}' => {}
            '\u{302}' if matches!(base, 'a' | 'e' | 'o') => prev_shape = true,
            // Any other mark, or a Vietnamese shape on a letter that never carries it.
            c if unicode_normalization::char::is_combining_mark(c) => return false,
            // A letter outside the Latin alphabet.
            c if c.is_alphabetic() && !c.is_ascii() => return false,
            c => {
                prev_shape = false;
                prev_base = c;
            }
        }
    }
    found
}

fn is_vowel_letter(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

#[cfg(test)]
mod validate_tests {
    use super::*;

    /// Every letter the fast path writes (any base `a`–`z`, `đ`, and a few others; any
    /// shape, tone and case), alone and in pairs and longer runs, is written as Unicode
    /// normalization writes it.
    #[test]
    fn letters_are_written_as_normalization_writes_them() {
        let shapes = [Shape::Plain, Shape::Breve, Shape::Circumflex, Shape::Horn];
        let tones = Tone::ALL;
        let mut all = Vec::new();
        for base in ('a'..='z').chain(['đ', 'ß', 'é', 'ı', '1']) {
            for shape in shapes {
                for tone in tones {
                    for upper in [false, true] {
                        all.push(Letter {
                            base,
                            shape,
                            tone,
                            upper,
                        });
                    }
                }
            }
        }
        for l in &all {
            let one = std::slice::from_ref(l);
            assert_eq!(letters_to_nfc(one), letters_to_nfc_slow(one), "{l:?}");
            // Twice: the second answer comes from the table.
            assert_eq!(letters_to_nfc(one), letters_to_nfc_slow(one), "{l:?}");
        }
        // Pairs: every letter before and after a sample of others (every 7th), and runs.
        for (i, a) in all.iter().enumerate() {
            for b in all.iter().skip(i % 7).step_by(7) {
                let two = [*a, *b];
                assert_eq!(letters_to_nfc(&two), letters_to_nfc_slow(&two), "{two:?}");
            }
        }
        let mut buf = String::from("x");
        for l in &all {
            buf.truncate(1);
            toneless_nfc_into(std::slice::from_ref(l), &mut buf);
            let toneless = Letter {
                tone: Tone::Level,
                ..*l
            };
            assert_eq!(buf[1..], letters_to_nfc_slow(&[toneless]), "{l:?}");
        }
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let n = (seed >> 60) as usize % 6 + 1;
            let run: Vec<Letter> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    all[(seed >> 33) as usize % all.len()]
                })
                .collect();
            assert_eq!(letters_to_nfc(&run), letters_to_nfc_slow(&run), "{run:?}");
            let toneless: Vec<Letter> = run
                .iter()
                .map(|l| Letter {
                    tone: Tone::Level,
                    ..*l
                })
                .collect();
            buf.clear();
            toneless_nfc_into(&run, &mut buf);
            assert_eq!(buf, letters_to_nfc_slow(&toneless), "{run:?}");
        }
    }

    #[test]
    fn every_constraint_has_an_example_that_breaks_it_and_a_fix_that_passes() {
        for c in CONSTRAINTS {
            let (bad, good) = c.example;
            assert_eq!(validate(bad).err(), Some(c.violation), "{bad} ({})", c.name);
            assert!(validate(good).is_ok(), "{good}");
            assert!(!c.reference.is_empty());
        }
    }

    fn fails(v: Violation, words: &[&str]) {
        for w in words {
            assert_eq!(validate(w).err(), Some(v), "{w}");
        }
    }

    #[test]
    fn foreign_letters() {
        fails(Violation::ForeignLetter, &["fải", "já", "wá", "zô", "ça", "4g"]);
    }

    #[test]
    fn bad_shapes() {
        fails(Violation::BadShape, &["ĕm", "bư\u{306}a", "b\u{31B}a", "\u{302}a"]);
    }

    #[test]
    fn two_tones() {
        fails(Violation::TwoTones, &["tìến", "hóà", "ngừơì", "a\u{301}\u{300}"]);
    }

    #[test]
    fn tone_on_consonant() {
        fails(Violation::ToneOnConsonant, &["ǹgười", "bǹ", "\u{301}a", "señor"]);
    }

    #[test]
    fn no_vowel() {
        fails(Violation::NoVowel, &["ngg", "tr", "đ", "nh"]);
    }

    #[test]
    fn bad_initials() {
        fails(Violation::BadInitial, &["trhường", "krông", "blá", "strong", "xtốp"]);
    }

    #[test]
    fn q_without_u() {
        fails(Violation::QWithoutU, &["qốc", "qa", "qi"]);
    }

    #[test]
    fn k_gh_ngh_only_before_front_vowels() {
        fails(
            Violation::FrontOnlyInitial,
            &["ka", "kô", "ghô", "ghánh", "nghư", "nghành"],
        );
        for w in ["kế", "ghế", "nghề", "ký", "kìa", "nghiêng", "ghi"] {
            assert!(validate(w).is_ok(), "{w}");
        }
    }

    #[test]
    fn c_g_ng_never_before_front_vowels() {
        fails(
            Violation::BackOnlyInitial,
            &["ci", "cé", "ngé", "nge", "gé", "gê", "ngiêng"],
        );
        for w in ["ca", "gà", "ngà", "gì", "gìn", "giếng", "cửa"] {
            assert!(validate(w).is_ok(), "{w}");
        }
    }

    #[test]
    fn rhymes_must_exist() {
        fails(
            Violation::BadRhyme,
            &["nguòi", "thưòng", "ơng", "bêng", "toăch", "tar", "hoai\u{300}o"],
        );
        // `ghanh` is gh before a: the rhyme `anh` exists, the spelling does not.
        fails(Violation::FrontOnlyInitial, &["ghanh"]);
    }

    #[test]
    fn stop_finals_take_only_rising_tones() {
        fails(
            Violation::StopFinalTone,
            &["mãt", "hoàc", "bỏp", "thìch", "quyêt", "mat"],
        );
        for w in ["mặt", "mát", "học", "thích", "đẹp"] {
            assert!(validate(w).is_ok(), "{w}");
        }
    }

    #[test]
    fn tone_on_the_vowel_the_rhyme_allows() {
        fails(
            Violation::ToneOnWrongVowel,
            &["tìên", "muà", "qúy", "gìa", "baò", "ngươì"],
        );
        for w in [
            "hòa", "hoà", "thủy", "thuỷ", "khỏe", "khoẻ", "mùa", "già", "quý", "bào", "người", "thuở", "hoàn", "cứu",
        ] {
            assert!(validate(w).is_ok(), "{w}");
        }
    }

    #[test]
    fn keys_put_the_tone_where_the_rules_do() {
        assert_eq!(syllable_key("Hoà").as_deref(), Some("hòa"));
        assert_eq!(syllable_key("THUỶ").as_deref(), Some("thủy"));
        assert_eq!(syllable_key("Người").as_deref(), Some("người"));
        let nfd: String = "Việt".nfd().collect();
        assert_eq!(syllable_key(&nfd).as_deref(), Some("việt"));
        assert_eq!(syllable_key("muà"), None);
    }

    #[test]
    fn vietnamese_only_marks() {
        for w in ["của", "Đà", "người", "mặt", "thế", "nghĩ", "Lắk"] {
            assert!(has_vietnamese_only_mark(w), "{w}");
        }
        for w in ["Mbappé", "café", "Pérez", "São", "Côte", "là", "cá", "Messi"] {
            assert!(!has_vietnamese_only_mark(w), "{w}");
        }
        // Another script, or a mark Vietnamese never puts on that letter: foreign,
        // though `й` and `ŭ` carry the breve of `ă` and `ğ` the one of `ă`.
        for w in ["война", "Kŭi", "Erdoğan", "Benoît", "Müller", "Ñiễ"] {
            assert!(!has_vietnamese_only_mark(w), "{w}");
        }
    }
}
