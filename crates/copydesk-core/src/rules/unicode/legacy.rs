//! Text typed in the TCVN3 (ABC) or VNI encodings and pasted as Windows-1252/Latin-1.
//! Detected per run of words and converted back to Unicode by the `mojibake` sub-check.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    Tcvn3,
    Vni,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Tcvn3 => "TCVN3 (ABC)",
            Encoding::Vni => "VNI",
        }
    }

    fn is_token_char(self, c: char) -> bool {
        c.is_ascii_alphabetic()
            || match self {
                Encoding::Tcvn3 => tcvn3(c).is_some(),
                Encoding::Vni => vni_char(c),
            }
    }

    /// The Unicode word a legacy-encoded token stands for, in NFC.
    pub(super) fn decode(self, token: &str) -> Option<String> {
        match self {
            Encoding::Tcvn3 => token
                .chars()
                .map(|c| if c.is_ascii() { Some(c) } else { tcvn3(c) })
                .collect(),
            Encoding::Vni => decode_vni(token),
        }
    }
}

/// TCVN 5712:1993 VN3, bytes 0xA1–0xFE as Latin-1 characters, and the letter each
/// stands for. Upper-case toned vowels have no code in VN3.
const TCVN3: &[(char, char)] = &[
    ('¡', 'Ă'),
    ('¢', 'Â'),
    ('£', 'Ê'),
    ('¤', 'Ô'),
    ('¥', 'Ơ'),
    ('¦', 'Ư'),
    ('§', 'Đ'),
    ('¨', 'ă'),
    ('©', 'â'),
    ('ª', 'ê'),
    ('«', 'ô'),
    ('¬', 'ơ'),
    ('\u{AD}', 'ư'),
    ('®', 'đ'),
    ('µ', 'à'),
    ('¶', 'ả'),
    ('·', 'ã'),
    ('¸', 'á'),
    ('¹', 'ạ'),
    ('»', 'ằ'),
    ('¼', 'ẳ'),
    ('½', 'ẵ'),
    ('¾', 'ắ'),
    ('Æ', 'ặ'),
    ('Ç', 'ầ'),
    ('È', 'ẩ'),
    ('É', 'ẫ'),
    ('Ê', 'ấ'),
    ('Ë', 'ậ'),
    ('Ì', 'è'),
    ('Î', 'ẻ'),
    ('Ï', 'ẽ'),
    ('Ð', 'é'),
    ('Ñ', 'ẹ'),
    ('Ò', 'ề'),
    ('Ó', 'ể'),
    ('Ô', 'ễ'),
    ('Õ', 'ế'),
    ('Ö', 'ệ'),
    ('×', 'ì'),
    ('Ø', 'ỉ'),
    ('Ü', 'ĩ'),
    ('Ý', 'í'),
    ('Þ', 'ị'),
    ('ß', 'ò'),
    ('á', 'ỏ'),
    ('â', 'õ'),
    ('ã', 'ó'),
    ('ä', 'ọ'),
    ('å', 'ồ'),
    ('æ', 'ổ'),
    ('ç', 'ỗ'),
    ('è', 'ố'),
    ('é', 'ộ'),
    ('ê', 'ờ'),
    ('ë', 'ở'),
    ('ì', 'ỡ'),
    ('í', 'ớ'),
    ('î', 'ợ'),
    ('ï', 'ù'),
    ('ñ', 'ủ'),
    ('ò', 'ũ'),
    ('ó', 'ú'),
    ('ô', 'ụ'),
    ('õ', 'ừ'),
    ('ö', 'ử'),
    ('÷', 'ữ'),
    ('ø', 'ứ'),
    ('ù', 'ự'),
    ('ú', 'ỳ'),
    ('û', 'ỷ'),
    ('ü', 'ỹ'),
    ('ý', 'ý'),
    ('þ', 'ỵ'),
];

fn tcvn3(c: char) -> Option<char> {
    TCVN3.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

/// VNI Windows: a vowel is an ASCII letter followed by a modifier byte; `ơ`, `ư`, `đ`
/// and the toned `i` are single bytes. Modifiers, lower case (upper case after a capital):
/// tone `ù` sắc, `ø` huyền, `û` hỏi, `õ` ngã, `ï` nặng; after `a`/`e`/`o`:
/// circumflex `â` and circumflex + tone `á à å ã ä`; after `a`: breve `ê` and breve + tone `é è ú ü ë`.
const VNI_TONE: &[char] = &['ù', 'ø', 'û', 'õ', 'ï'];
const VNI_CIRCUMFLEX: &[char] = &['â', 'á', 'à', 'å', 'ã', 'ä'];
const VNI_BREVE: &[char] = &['ê', 'é', 'è', 'ú', 'ü', 'ë'];
const VNI_SINGLE: &[char] = &['ô', 'ö', 'ñ', 'í', 'ì', 'æ', 'ó', 'ò', 'î'];
/// Tones in the order of the modifier tables above (the first of the circumflex and
/// breve tables carries none).
const TONES: &[char] = &['\u{301}', '\u{300}', '\u{309}', '\u{303}', '\u{323}'];

fn vni_char(c: char) -> bool {
    let l = lower(c);
    VNI_TONE.contains(&l) || VNI_CIRCUMFLEX.contains(&l) || VNI_BREVE.contains(&l) || VNI_SINGLE.contains(&l)
}

fn lower(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

fn case(base: char, upper: bool) -> char {
    if upper {
        base.to_ascii_uppercase()
    } else {
        base
    }
}

fn decode_vni(token: &str) -> Option<String> {
    let cs: Vec<char> = token.chars().collect();
    let mut out = String::with_capacity(token.len() + 4);
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        let l = lower(c);
        let upper = c != l;
        let next = cs.get(i + 1).map(|&n| lower(n));
        i += 1;
        let tone_after = |out: &mut String, next: Option<char>, i: &mut usize| {
            if let Some(p) = next.and_then(|n| VNI_TONE.iter().position(|&t| t == n)) {
                out.push(TONES[p]);
                *i += 1;
            }
        };
        match l {
            'a' | 'e' | 'o' | 'u' | 'y' | 'i' if c.is_ascii() => {
                out.push(c);
                let circ = next.and_then(|n| VNI_CIRCUMFLEX.iter().position(|&t| t == n));
                let breve = next.and_then(|n| VNI_BREVE.iter().position(|&t| t == n));
                match (l, circ, breve) {
                    ('a' | 'e' | 'o', Some(p), _) => {
                        out.push('\u{302}');
                        if p > 0 {
                            out.push(TONES[p - 1]);
                        }
                        i += 1;
                    }
                    ('a', None, Some(p)) => {
                        out.push('\u{306}');
                        if p > 0 {
                            out.push(TONES[p - 1]);
                        }
                        i += 1;
                    }
                    ('i', _, _) => {}
                    _ => tone_after(&mut out, next, &mut i),
                }
            }
            'ô' => {
                out.push(case('o', upper));
                out.push('\u{31B}');
                tone_after(&mut out, next, &mut i);
            }
            'ö' => {
                out.push(case('u', upper));
                out.push('\u{31B}');
                tone_after(&mut out, next, &mut i);
            }
            'ñ' => out.push(if upper { 'Đ' } else { 'đ' }),
            'í' | 'ì' | 'æ' | 'ó' | 'ò' => {
                out.push(case('i', upper));
                let p = ['í', 'ì', 'æ', 'ó', 'ò'].iter().position(|&t| t == l)?;
                out.push(TONES[p]);
            }
            'î' => {
                out.push(case('y', upper));
                out.push('\u{323}');
            }
            _ if c.is_ascii() => out.push(c),
            _ => return None,
        }
    }
    Some(out.nfc().collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// ASCII only: the same in every encoding.
    Neutral,
    /// Decodes to a syllable and is not one as it stands.
    Evidence { marker: bool },
    /// A syllable both as it stands and decoded (`mét`/`một` in TCVN3).
    Ambiguous,
}

struct Token {
    range: Range<usize>,
    class: Class,
    decoded: String,
}

struct Run {
    encoding: Encoding,
    range: Range<usize>,
    replacement: String,
    evidence: usize,
    ambiguous: usize,
}

/// Whether `c` ends every run of `enc`: real Unicode text, line breaks, masked bytes.
fn breaks(enc: Encoding, c: char) -> bool {
    !enc.is_token_char(c) && (c == '\n' || c == MASK_CHAR || !(c.is_ascii() || ('\u{A0}'..='\u{FF}').contains(&c)))
}

/// The runs of `enc`, in order (they are disjoint). A run needs a marker, so only the
/// stretches between two breaks that hold one are read: one `°` in a long block no
/// longer makes the whole block go through the decoder.
fn runs(text: &str, enc: Encoding) -> Vec<Run> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(m) = text[from..].find(is_marker).map(|i| from + i) {
        let start = text[from..m]
            .char_indices()
            .rev()
            .find(|&(_, c)| breaks(enc, c))
            .map_or(from, |(i, c)| from + i + c.len_utf8());
        let end = text[m..]
            .char_indices()
            .find(|&(_, c)| breaks(enc, c))
            .map_or(text.len(), |(i, _)| m + i);
        runs_in(text, start..end, enc, &mut out);
        from = end;
    }
    out
}

/// The runs of `enc` in `span`, a stretch without [breaks] (or with breaks only at its
/// edges), read as if from the start of the text.
fn runs_in(text: &str, span: Range<usize>, enc: Encoding, out: &mut Vec<Run>) {
    let mut current: Vec<Token> = Vec::new();
    let flush = |current: &mut Vec<Token>, out: &mut Vec<Run>| {
        if let Some(run) = make_run(text, enc, current) {
            out.push(run);
        }
        current.clear();
    };
    let offset = span.start;
    let mut iter = text[span.clone()]
        .char_indices()
        .map(|(i, c)| (i + offset, c))
        .peekable();
    let mut prev_char: Option<char> = text[..span.start].chars().next_back();
    while let Some((start, c)) = iter.next() {
        if !enc.is_token_char(c) {
            if breaks(enc, c) {
                flush(&mut current, out);
            }
            prev_char = Some(c);
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if !enc.is_token_char(d) {
                break;
            }
            end = j + d.len_utf8();
            iter.next();
        }
        let next_char = iter.peek().map(|&(_, d)| d).or_else(|| text[span.end..].chars().next());
        // A token glued to a digit is a symbol between numbers (`4×4`, `2×2 m`), not a
        // legacy-encoded word: Vietnamese syllables never touch digits.
        let glued = |x: Option<char>| {
            x.is_some_and(|x| (crate::text::words::is_word_char(x) && !x.is_ascii()) || x.is_ascii_digit())
        };
        let token = &text[start..end];
        let class = if glued(prev_char) || glued(next_char) {
            None
        } else {
            classify(token, enc)
        };
        match class {
            Some((class, decoded)) => current.push(Token {
                range: start..end,
                class,
                decoded,
            }),
            None => flush(&mut current, out),
        }
        prev_char = text[..end].chars().next_back();
    }
    flush(&mut current, out);
}

fn classify(token: &str, enc: Encoding) -> Option<(Class, String)> {
    if token.is_ascii() {
        return Some((Class::Neutral, token.to_string()));
    }
    let decoded = enc.decode(token)?;
    vietnamese::parse(&decoded)?;
    if token.chars().nth(1).is_none() {
        // A lone symbol (`1.200 × 670 mm`, `£`) is no evidence of a garbled word; inside
        // a run of evidence it is still converted.
        return Some((Class::Neutral, decoded));
    }
    let class = if vietnamese::parse(token).is_some() {
        Class::Ambiguous
    } else {
        let marker = token.chars().any(is_marker);
        Class::Evidence { marker }
    };
    Some((class, decoded))
}

fn make_run(text: &str, enc: Encoding, tokens: &[Token]) -> Option<Run> {
    let is_evidence = |t: &&Token| matches!(t.class, Class::Evidence { .. });
    let first = tokens.iter().position(|t| is_evidence(&t))?;
    let last = tokens.iter().rposition(|t| is_evidence(&t))?;
    let inside = &tokens[first..=last];
    let evidence = inside.iter().filter(is_evidence).count();
    let marker = inside
        .iter()
        .any(|t| matches!(t.class, Class::Evidence { marker: true }));
    // Conservative: two words that only make sense decoded, one of them with a
    // character Vietnamese never uses.
    if evidence < 2 || !marker {
        return None;
    }
    let ambiguous = inside.iter().filter(|t| t.class == Class::Ambiguous).count();
    let range = inside[0].range.start..inside[inside.len() - 1].range.end;
    let mut replacement = String::with_capacity(range.len() + 8);
    let mut pos = range.start;
    for t in inside {
        replacement.push_str(&text[pos..t.range.start]);
        replacement.push_str(&t.decoded);
        pos = t.range.end;
    }
    Some(Run {
        encoding: enc,
        range,
        replacement,
        evidence,
        ambiguous,
    })
}

/// Latin-1 characters that Unicode Vietnamese never uses: `µ`, `®`, `ø`, …
fn is_marker(c: char) -> bool {
    is_marker_code(c as u32)
}

/// [`is_marker`] on a code point.
pub(super) fn is_marker_code(c: u32) -> bool {
    // ÀÁÂÃ ÈÉÊ ÌÍ ÒÓÔÕ ÙÚ Ý and their lower-case forms, by their offset from U+00C0 (or U+00E0).
    const VIETNAMESE: u64 = 0b1111 | (0b111 << 0x08) | (0b11 << 0x0C) | (0b1111 << 0x12) | (0b11 << 0x19) | (1 << 0x1D);
    match c {
        0xA1..=0xBF => true,
        0xC0..=0xFF => VIETNAMESE >> ((c - 0xC0) & 0x1F) & 1 == 0,
        _ => false,
    }
}

pub(super) fn findings(text: &str) -> Vec<Finding> {
    let tcvn3 = runs(text, Encoding::Tcvn3);
    let vni = runs(text, Encoding::Vni);
    let mut out = Vec::new();
    for (mine, theirs) in [(&tcvn3, &vni), (&vni, &tcvn3)] {
        for run in mine {
            // The other encoding's runs are in order and disjoint: the rivals are a slice.
            let first = theirs.partition_point(|o| o.range.end <= run.range.start);
            let rivals: Vec<&Run> = theirs[first..]
                .iter()
                .take_while(|o| o.range.start < run.range.end)
                .collect();
            // When both encodings read the same text, keep the better-supported reading.
            if rivals.iter().any(|o| {
                o.evidence > run.evidence
                    || (o.evidence == run.evidence && o.encoding == Encoding::Tcvn3 && run.encoding == Encoding::Vni)
            }) {
                continue;
            }
            let safe = rivals.is_empty() && run.ambiguous <= run.evidence;
            let found = text[run.range.clone()].to_string();
            out.push(Finding {
                check: Check::Mojibake,
                range: run.range.clone(),
                found,
                expected: run.replacement.clone(),
                problem: format!("Text in the {} legacy encoding", run.encoding.name()),
                fix: Some((
                    format!("Convert from {} to Unicode", run.encoding.name()),
                    vec![Edit::new(run.range.clone(), run.replacement.clone())],
                    safe,
                )),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_both_encodings() {
        assert_eq!(Encoding::Tcvn3.decode("chµo").as_deref(), Some("chào"));
        assert_eq!(Encoding::Tcvn3.decode("®©y").as_deref(), Some("đây"));
        assert_eq!(Encoding::Tcvn3.decode("ViÖt").as_deref(), Some("Việt"));
        assert_eq!(Encoding::Tcvn3.decode("n\u{AD}íc").as_deref(), Some("nước"));
        assert_eq!(Encoding::Vni.decode("chaøo").as_deref(), Some("chào"));
        assert_eq!(Encoding::Vni.decode("Vieät").as_deref(), Some("Việt"));
        assert_eq!(Encoding::Vni.decode("ñöôøng").as_deref(), Some("đường"));
        assert_eq!(Encoding::Vni.decode("naêm").as_deref(), Some("năm"));
        assert_eq!(Encoding::Vni.decode("ngaøy").as_deref(), Some("ngày"));
        assert_eq!(Encoding::Vni.decode("tæ").as_deref(), Some("tỉ"));
        assert_eq!(Encoding::Vni.decode("NAÊM").as_deref(), Some("NĂM"));
        assert_eq!(Encoding::Vni.decode("ø"), None);
    }
}
