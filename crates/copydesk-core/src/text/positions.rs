//! Conversions between byte offsets and line/column positions.
//!
//! The engine speaks byte ranges only. Front ends convert at their edge: the language
//! server in the negotiated LSP encoding (UTF-8, UTF-16 or UTF-32 code units), the CLI in
//! characters. Lines break on `\n`, `\r\n` and `\r`, exactly as LSP counts them, which is
//! why the rope is built with ropey's `cr_lines` feature and nothing else.

use ropey::Rope;

/// The unit a column is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// UTF-8 code units (bytes).
    Utf8,
    /// UTF-16 code units: the LSP default.
    #[default]
    Utf16,
    /// UTF-32 code units, i.e. Unicode scalar values (characters).
    Utf32,
}

/// A zero-based line and a zero-based column in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Line/column lookups over a text, backed by a rope.
#[derive(Debug, Clone)]
pub struct LineIndex {
    rope: Rope,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        LineIndex {
            rope: Rope::from_str(text),
        }
    }

    pub fn from_rope(rope: Rope) -> Self {
        LineIndex { rope }
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn len_lines(&self) -> usize {
        self.rope.len_lines()
    }

    /// Byte offset where zero-based `line` starts; the end of the text past the last line.
    pub fn line_start(&self, line: usize) -> usize {
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        self.rope.line_to_byte(line)
    }

    /// Byte offset of the end of `line`'s content, before its line break.
    pub fn line_content_end(&self, line: usize) -> usize {
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let slice = self.rope.line(line);
        let mut end = self.rope.line_to_byte(line) + slice.len_bytes();
        let n = slice.len_chars();
        if n > 0 && matches!(slice.char(n - 1), '\n' | '\r') {
            end -= 1;
            if n > 1 && slice.char(n - 1) == '\n' && slice.char(n - 2) == '\r' {
                end -= 1;
            }
        }
        end
    }

    /// Rounds `offset` down to a character boundary and clamps it to the text.
    pub fn floor_char_boundary(&self, offset: usize) -> usize {
        let offset = offset.min(self.rope.len_bytes());
        self.rope.char_to_byte(self.rope.byte_to_char(offset))
    }

    /// The position of byte `offset` (clamped to the text and rounded down to a
    /// character boundary) with the column in `encoding` units.
    pub fn position(&self, offset: usize, encoding: Encoding) -> LineCol {
        let offset = self.floor_char_boundary(offset);
        let line = self.rope.byte_to_line(offset);
        let line_byte = self.rope.line_to_byte(line);
        let col = match encoding {
            Encoding::Utf8 => offset - line_byte,
            Encoding::Utf32 => self.rope.byte_to_char(offset) - self.rope.byte_to_char(line_byte),
            Encoding::Utf16 => {
                let c = self.rope.byte_to_char(offset);
                let lc = self.rope.byte_to_char(line_byte);
                self.rope.char_to_utf16_cu(c) - self.rope.char_to_utf16_cu(lc)
            }
        };
        LineCol { line, col }
    }

    /// The byte offset of a position. Out-of-range lines clamp to the end of the text,
    /// out-of-range columns to the end of the line's content, and a column inside a
    /// character (a UTF-8 continuation byte, half a surrogate pair) to that character's
    /// start. Returns whether clamping happened, so callers can log it.
    pub fn offset(&self, pos: LineCol, encoding: Encoding) -> (usize, bool) {
        if pos.line >= self.rope.len_lines() {
            return (self.rope.len_bytes(), true);
        }
        let line_byte = self.rope.line_to_byte(pos.line);
        let end = self.line_content_end(pos.line);
        let line_char = self.rope.byte_to_char(line_byte);
        let end_char = self.rope.byte_to_char(end);
        let (target, clamped) = match encoding {
            Encoding::Utf8 => {
                let want = line_byte + pos.col;
                if want > end {
                    (end, true)
                } else {
                    let b = self.floor_char_boundary(want);
                    (b, b != want)
                }
            }
            Encoding::Utf32 => {
                let want = line_char + pos.col;
                if want > end_char {
                    (end, true)
                } else {
                    (self.rope.char_to_byte(want), false)
                }
            }
            Encoding::Utf16 => {
                let base = self.rope.char_to_utf16_cu(line_char);
                let end_cu = self.rope.char_to_utf16_cu(end_char);
                let want = base + pos.col;
                if want > end_cu {
                    (end, true)
                } else {
                    // utf16_cu_to_char rounds down inside a surrogate pair.
                    let c = self.rope.utf16_cu_to_char(want);
                    let exact = self.rope.char_to_utf16_cu(c) == want;
                    (self.rope.char_to_byte(c), !exact)
                }
            }
        };
        (target, clamped)
    }

    /// One-based line and one-based column in characters, as the CLI prints them.
    pub fn human(&self, offset: usize) -> (usize, usize) {
        let p = self.position(offset, Encoding::Utf32);
        (p.line + 1, p.col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_differ_by_encoding_after_nfd_and_emoji() {
        // "Hòa" with a combining grave, then an emoji, then "x".
        let text = "a\r\nHo\u{0300}a 😀 x\rend";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(x, Encoding::Utf8), LineCol { line: 1, col: 11 });
        assert_eq!(idx.position(x, Encoding::Utf16), LineCol { line: 1, col: 8 });
        assert_eq!(idx.position(x, Encoding::Utf32), LineCol { line: 1, col: 7 });
        assert_eq!(idx.human(x), (2, 8));
        let e = text.find("end").unwrap();
        assert_eq!(idx.position(e, Encoding::Utf16), LineCol { line: 2, col: 0 });
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let idx = LineIndex::new("ab\ncd");
        assert_eq!(idx.offset(LineCol { line: 0, col: 99 }, Encoding::Utf16), (2, true));
        assert_eq!(idx.offset(LineCol { line: 9, col: 0 }, Encoding::Utf16), (5, true));
        let idx = LineIndex::new("😀x");
        assert_eq!(idx.offset(LineCol { line: 0, col: 1 }, Encoding::Utf16), (0, true));
        assert_eq!(idx.offset(LineCol { line: 0, col: 2 }, Encoding::Utf16), (4, false));
    }
}
