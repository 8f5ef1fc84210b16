//! Property tests: byte offsets <-> line/column in every encoding, on text with NFD
//! Vietnamese, CRLF, lone CR and astral characters, against a naive reference.

use copydesk::text::{Encoding, LineCol, LineIndex};
use proptest::prelude::*;

/// Pieces the generated texts are made of: precomposed and decomposed Vietnamese,
/// emoji (astral), every line ending, ASCII.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "Hòa",
        "Ho\u{300}a",
        "đường",
        "ươ",
        "\u{1EC7}",
        "e\u{323}\u{302}",
        "😀",
        "👩‍💻",
        "𝔸",
        " ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "“",
        "”",
        "x",
        "81.500",
    ])
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|v| v.concat())
}

/// The reference: walk the text char by char, as LSP defines lines and columns.
fn naive(text: &str, offset: usize, enc: Encoding) -> LineCol {
    let mut line = 0;
    let mut col = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if i >= offset {
            break;
        }
        match c {
            '\r' => {
                if let Some(&(j, '\n')) = chars.peek() {
                    if j >= offset {
                        // Offset between \r and \n: still on this line.
                        col += 1;
                        break;
                    }
                    chars.next();
                }
                line += 1;
                col = 0;
            }
            '\n' => {
                line += 1;
                col = 0;
            }
            c => {
                col += match enc {
                    Encoding::Utf8 => c.len_utf8(),
                    Encoding::Utf16 => c.len_utf16(),
                    Encoding::Utf32 => 1,
                }
            }
        }
    }
    LineCol { line, col }
}

fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices().map(|(i, _)| i).chain([text.len()]).collect()
}

proptest! {
    #[test]
    fn offset_to_position_matches_the_reference(t in text(), pick in any::<prop::sample::Index>()) {
        let idx = LineIndex::new(&t);
        let b = boundaries(&t);
        let off = b[pick.index(b.len())];
        // Offsets between \r and \n are not positions a client can name; skip them.
        prop_assume!(!(off > 0 && t.as_bytes()[off - 1] == b'\r' && t.as_bytes().get(off) == Some(&b'\n')));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            prop_assert_eq!(idx.position(off, enc), naive(&t, off, enc), "encoding {:?} offset {}", enc, off);
        }
    }

    #[test]
    fn position_round_trips_in_every_encoding(t in text(), pick in any::<prop::sample::Index>()) {
        let idx = LineIndex::new(&t);
        let b = boundaries(&t);
        let off = b[pick.index(b.len())];
        prop_assume!(!(off > 0 && t.as_bytes()[off - 1] == b'\r' && t.as_bytes().get(off) == Some(&b'\n')));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let pos = idx.position(off, enc);
            prop_assert_eq!(idx.offset(pos, enc), (off, false), "encoding {:?}", enc);
        }
    }

    #[test]
    fn any_position_maps_to_a_char_boundary(t in text(), line in 0usize..20, col in 0usize..40) {
        let idx = LineIndex::new(&t);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let (off, _) = idx.offset(LineCol { line, col }, enc);
            prop_assert!(t.is_char_boundary(off));
            prop_assert!(off <= t.len());
        }
    }

    #[test]
    fn any_offset_maps_to_a_valid_position(t in text(), off in 0usize..400) {
        let idx = LineIndex::new(&t);
        let pos = idx.position(off, Encoding::Utf16);
        prop_assert!(pos.line < idx.len_lines());
    }
}

#[test]
fn human_columns_count_characters() {
    // Decomposed "Hòa" is 4 characters; the emoji is one.
    let t = "Ho\u{300}a 😀 x";
    let idx = LineIndex::new(t);
    assert_eq!(idx.human(t.find('x').unwrap()), (1, 8));
}
