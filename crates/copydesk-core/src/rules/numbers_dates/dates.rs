//! Dates as written (day, month, maybe year): reading, validating and formatting them,
//! and the fact the document pass reads.

use super::TimeStyle;

/// A day and month, and maybe a year, as written: no allocation to read or write one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Date {
    pub(super) day: u32,
    pub(super) month: u32,
    /// How many digits the day and the month were written with (1 or 2).
    pub(super) day_digits: u32,
    pub(super) month_digits: u32,
    /// A four-digit year, 1900–2199.
    pub(super) year: Option<u32>,
    pub(super) sep: char,
}

pub(super) fn days_in_month(m: u32) -> u32 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date as text, at most `dd/mm/yyyy`, on the stack.
pub(super) struct DateText {
    pub(super) buf: [u8; 10],
    pub(super) len: usize,
}

impl DateText {
    pub(super) fn push_number(&mut self, n: u32, digits: u32) {
        for k in (0..digits).rev() {
            self.buf[self.len] = b'0' + (n / 10u32.pow(k) % 10) as u8;
            self.len += 1;
        }
    }

    pub(super) fn as_str(&self) -> &str {
        // Only ASCII digits and separators are written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl Date {
    /// A token `d/m`, `d/m/yyyy` (or with `-` or `.`), as the first of `/`, `-`, `.` in
    /// it separates it, with a valid day and month.
    pub(super) fn parse(token: &str) -> Option<Date> {
        let bytes = token.as_bytes();
        let sep = *bytes.iter().find(|b| matches!(b, b'/' | b'-' | b'.'))?;
        // The parts between separators: two or three, each of digits only.
        let mut parts = [(0, 0); 3];
        let mut n = 0;
        let mut from = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if b == sep {
                if n == 2 {
                    return None;
                }
                parts[n] = (from, i);
                n += 1;
                from = i + 1;
            }
        }
        parts[n] = (from, bytes.len());
        n += 1;
        let mut values = [0u32; 3];
        for (k, &(s, e)) in parts[..n].iter().enumerate() {
            if s == e || e - s > 4 || !bytes[s..e].iter().all(u8::is_ascii_digit) {
                return None;
            }
            values[k] = bytes[s..e].iter().fold(0, |v, &b| v * 10 + u32::from(b - b'0'));
        }
        let len = |k: usize| (parts[k].1 - parts[k].0) as u32;
        let (day_digits, month_digits) = (len(0), len(1));
        if day_digits > 2 || month_digits > 2 {
            return None;
        }
        let year = match n {
            3 if len(2) == 4 && (1900..=2199).contains(&values[2]) => Some(values[2]),
            3 => return None,
            _ => None,
        };
        let (day, month) = (values[0], values[1]);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(month) {
            return None;
        }
        Some(Date {
            day,
            month,
            day_digits,
            month_digits,
            year,
            sep: char::from(sep),
        })
    }

    /// How the date shows zero padding: `Some(Padded)` (`06/07`, `26/07`), `Some(Unpadded)`
    /// (`6/7`, `30/4`), `None` for no evidence (`26/12`, or `03/5`, which pads one part and
    /// not the other). Only a part under 10 can show padding: a two-digit day says nothing
    /// (judged on real news: `30/4/2021` among `03/5/2021` was "fixed" to `30/04/2021`).
    pub(super) fn padding(&self) -> Option<Padding> {
        let pad = |n: u32, digits: u32| (n < 10).then_some(digits == 2);
        match (pad(self.day, self.day_digits), pad(self.month, self.month_digits)) {
            (Some(a), Some(b)) if a != b => None,
            (Some(true), _) | (_, Some(true)) => Some(Padding::Padded),
            (Some(false), _) | (_, Some(false)) => Some(Padding::Unpadded),
            (None, None) => None,
        }
    }

    /// The date with separator `sep`, zero-padded or not (`None`: as written).
    pub(super) fn format(&self, sep: char, padding: Option<Padding>) -> DateText {
        let digits = |n: u32, written: u32| match padding {
            Some(Padding::Padded) => 2,
            Some(Padding::Unpadded) => 1 + u32::from(n >= 10),
            None => written,
        };
        let mut t = DateText { buf: [0; 10], len: 0 };
        t.push_number(self.day, digits(self.day, self.day_digits));
        t.len += sep.encode_utf8(&mut t.buf[t.len..]).len();
        t.push_number(self.month, digits(self.month, self.month_digits));
        if let Some(y) = self.year {
            t.len += sep.encode_utf8(&mut t.buf[t.len..]).len();
            t.push_number(y, 4);
        }
        t
    }
}

/// Whether a date's day and month under 10 are written with a leading zero (`06/07`) or
/// without (`6/7`): the padding choice of `date-mix`. `Padded` sorts first, so a tie
/// between two forms that were not first used goes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Padding {
    Padded,
    Unpadded,
}

impl Padding {
    /// The `date-padding` option's value (`true`: zero-padded).
    pub(super) fn from_option(zero_padded: bool) -> Padding {
        if zero_padded {
            Padding::Padded
        } else {
            Padding::Unpadded
        }
    }

    /// The form's index in a [`Choice`](crate::rules::choice::Choice) tally.
    pub(super) fn form(self) -> usize {
        self as usize
    }

    pub(super) fn of_form(form: usize) -> Padding {
        if form == 0 {
            Padding::Padded
        } else {
            Padding::Unpadded
        }
    }
}

pub(super) fn sep_index(c: char) -> u32 {
    match c {
        '/' => 0,
        '-' => 1,
        _ => 2,
    }
}

pub(super) fn sep_of(i: u32) -> char {
    match i {
        0 => '/',
        1 => '-',
        _ => '.',
    }
}

/// A date written with a strong cue, for the document pass to weigh against the
/// document's other dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateFact {
    pub(super) date: Date,
    /// Already reported by the house-format check: not reported again.
    pub(super) reported: bool,
    /// Inside a quotation or a credit: the source's own writing. It votes, but rewriting it
    /// is offered, not applied.
    pub(super) quoted: bool,
}

/// What the kind notes for its document pass.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NumbersDatesFact {
    Date(DateFact),
    /// A date-shaped number without a cue word (`lễ 30.4, 1.5`), and its separator.
    MaybeDate {
        sep: char,
    },
    /// A clock time with minutes (the document's choice of time form).
    Time(TimeFact),
}

impl NumbersDatesFact {
    pub(in crate::rules) fn heap_bytes(&self) -> usize {
        match self {
            NumbersDatesFact::Time(t) => t.hour_minutes.len(),
            _ => 0,
        }
    }
}

/// A clock time with minutes: its form, whether `phút` follows (the `giờ` form), and
/// `hour:minutes` as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TimeFact {
    pub(super) form: TimeStyle,
    pub(super) with_phut: bool,
    pub(super) hour_minutes: Box<str>,
}
