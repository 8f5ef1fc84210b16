#![doc = include_str!("numbers_dates.md")]

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{
    render_template, BlockInput, BlockOutput, Checker, DocumentInput, Fact, RuleError, RuleIdx, RuleInput, RuleKind,
    RuleMeta,
};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::text::words::is_word_char;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Date separator: `/`, `-` or `.`. Unset: any, but not mixed in one document.
    #[serde(default)]
    pub date_separator: Option<String>,
    /// Zero-pad day and month (`06/07`) or not (`6/7`). Unset: either, not mixed.
    #[serde(default)]
    pub date_padding: Option<bool>,
    /// Time format: `13h37`, `13 giờ 37` or `13:37`. Unset: times are not checked.
    #[serde(default)]
    pub time: Option<String>,
    /// Thousands separator: `.` (default) or `,`.
    #[serde(default)]
    pub thousands: Option<String>,
    /// Decimal separator: `,` (default) or `.`.
    #[serde(default)]
    pub decimal: Option<String>,
    /// Unit and currency words after which numbers are checked (decimals allowed).
    /// Unset: a built-in list (`triệu`, `tỷ`, `đồng`, `USD`, `km`, `kg`, …).
    #[serde(default)]
    pub units: Option<Vec<String>>,
    /// Count nouns after which a number cannot have decimals, so `9,994 thẻ` is
    /// certainly thousands. Unset: a built-in list (`người`, `thẻ`, `hộ`, …).
    #[serde(default)]
    pub countable: Option<Vec<String>>,
    /// Space between a number and `%`.
    #[serde(default)]
    pub percent_space: bool,
    /// Sub-checks: `date`, `date-mix`, `time`, `number`, `percent`. Default: all.
    #[serde(default)]
    pub checks: Option<Vec<String>>,
    /// A message template per sub-check, in place of the rule's `message`.
    #[serde(default)]
    pub messages: BTreeMap<String, String>,
}

const CHECKS: &[&str] = &["date", "date-mix", "time", "number", "percent"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Date,
    DateMix,
    Time,
    Number,
    Percent,
}

impl Check {
    fn name(self) -> &'static str {
        CHECKS[self as usize]
    }
    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeStyle {
    /// `13h37`
    H,
    /// `13 giờ 37`
    Gio,
    /// `13:37`
    Colon,
}

const DEFAULT_UNITS: &[&str] = &[
    "đồng",
    "triệu",
    "tỷ",
    "tỉ",
    "nghìn",
    "ngàn",
    "trăm",
    "usd",
    "vnd",
    "vnđ",
    "đô",
    "đô la",
    "euro",
    "eur",
    "yên",
    "nhân dân tệ",
    "bảng",
    "km",
    "m",
    "cm",
    "mm",
    "m2",
    "m²",
    "m3",
    "m³",
    "ha",
    "héc-ta",
    "kg",
    "g",
    "tấn",
    "tạ",
    "lít",
    "ml",
    "độ",
    "km/h",
    "mw",
    "kw",
    "kwh",
    "gw",
    "gb",
    "mb",
    "inch",
    "lượng",
    "chỉ",
    "lần",
    "điểm",
];

const DEFAULT_COUNTABLE: &[&str] = &[
    "người",
    "thẻ",
    "chiếc",
    "ca",
    "hộ",
    "căn",
    "căn hộ",
    "ngôi nhà",
    "xe",
    "ô tô",
    "vụ",
    "lượt",
    "học sinh",
    "sinh viên",
    "thí sinh",
    "bệnh nhân",
    "doanh nghiệp",
    "công ty",
    "trường hợp",
    "con",
    "cái",
    "hồ sơ",
    "đơn",
    "phiếu",
    "cuốn",
    "công nhân",
    "lao động",
    "dự án",
    "tài khoản",
    "cử tri",
    "đại biểu",
    "cây",
    "chuyến",
    "cơ sở",
    "khách",
    "du khách",
    "hành khách",
    "máy",
    "trường",
    "gia đình",
    "nhân viên",
    "cán bộ",
    "giáo viên",
    "chiến sĩ",
    "tàu",
    "thuê bao",
    "sản phẩm",
    "mẫu",
    "vé",
    "suất",
    "bài",
    "lô",
    "cửa hàng",
];

pub struct NumbersDates;

struct Compiled {
    idx: RuleIdx,
    meta: Arc<RuleMeta>,
    checks: u8,
    date_sep: Option<char>,
    date_padding: Option<bool>,
    time: Option<TimeStyle>,
    thousands: char,
    decimal: char,
    units: Terms,
    countable: Terms,
    percent_space: bool,
    messages: BTreeMap<String, String>,
}

impl Compiled {
    fn has(&self, c: Check) -> bool {
        self.checks & c.bit() != 0
    }

    fn diagnostic(&self, f: Finding) -> Diagnostic {
        let vars = [
            ("found", f.found.as_str()),
            ("expected", f.expected.as_str()),
            ("check", f.check.name()),
            ("problem", f.problem),
        ];
        let message = match self.messages.get(f.check.name()) {
            Some(t) => render_template(t, &vars),
            None => self.meta.render(&vars),
        };
        let mut d = Diagnostic::new(self.idx, f.range.clone(), message);
        if let Some(safe) = f.fix {
            let title = format!("Replace with “{}”", f.expected);
            let edits = vec![Edit::new(f.range, f.expected)];
            d = d.with_fix(if safe {
                Fix::safe(title, edits)
            } else {
                Fix::unsafe_(title, edits)
            });
        }
        d
    }
}

struct Finding {
    check: Check,
    range: Range<usize>,
    found: String,
    expected: String,
    problem: &'static str,
    /// `Some(safe)` when there is a fix.
    fix: Option<bool>,
}

fn one_char(s: &str, allowed: &[char]) -> Option<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) if allowed.contains(&c) => Some(c),
        _ => None,
    }
}

impl RuleKind for NumbersDates {
    const NAME: &'static str = "numbers-dates";
    const DOC: &'static str = include_str!("numbers_dates.md");
    type Options = Options;

    fn compile(rules: Vec<RuleInput<Options>>) -> Result<Box<dyn Checker>, Vec<RuleError>> {
        let mut compiled = Vec::new();
        let mut errors = Vec::new();
        for r in rules {
            let o = r.options;
            let mut local: Vec<(String, String)> = Vec::new();
            let mut checks = 0u8;
            match &o.checks {
                None => checks = 0b11111,
                Some(list) => {
                    for (i, name) in list.iter().enumerate() {
                        match CHECKS.iter().position(|c| c == name) {
                            Some(b) => checks |= 1 << b,
                            None => local.push((
                                format!("checks[{i}]"),
                                format!("unknown check “{name}”: expected one of {}", CHECKS.join(", ")),
                            )),
                        }
                    }
                }
            }
            for key in o.messages.keys() {
                if !CHECKS.contains(&key.as_str()) {
                    local.push((
                        format!("messages.{key}"),
                        format!("unknown check “{key}”: expected one of {}", CHECKS.join(", ")),
                    ));
                }
            }
            let date_sep = match o.date_separator.as_deref() {
                None => None,
                Some(s) => {
                    let c = one_char(s, &['/', '-', '.']);
                    if c.is_none() {
                        local.push((
                            "date-separator".into(),
                            format!("unknown date separator “{s}”: expected “/”, “-” or “.”"),
                        ));
                    }
                    c
                }
            };
            let time = match o.time.as_deref() {
                None => None,
                Some("13h37") => Some(TimeStyle::H),
                Some("13 giờ 37") => Some(TimeStyle::Gio),
                Some("13:37") => Some(TimeStyle::Colon),
                Some(s) => {
                    local.push((
                        "time".into(),
                        format!("unknown time format “{s}”: expected “13h37”, “13 giờ 37” or “13:37”"),
                    ));
                    None
                }
            };
            let mut sep = |key: &str, v: Option<&str>, default: char| match v {
                None => default,
                Some(s) => one_char(s, &['.', ',']).unwrap_or_else(|| {
                    local.push((key.into(), format!("unknown separator “{s}”: expected “.” or “,”")));
                    default
                }),
            };
            let thousands = sep("thousands", o.thousands.as_deref(), '.');
            let decimal = sep("decimal", o.decimal.as_deref(), ',');
            if thousands == decimal {
                local.push((
                    "decimal".into(),
                    "the decimal and thousands separators must differ".into(),
                ));
            }
            if !local.is_empty() {
                errors.extend(local.into_iter().map(|(k, m)| RuleError::new(r.idx, Some(k), m)));
                continue;
            }
            let lower = |v: Option<Vec<String>>, d: &[&str]| -> Terms {
                let mut v: Vec<String> = match v {
                    Some(v) => v
                        .iter()
                        .map(|u| u.trim().to_lowercase())
                        .filter(|u| !u.is_empty())
                        .collect(),
                    None => d.iter().map(|u| u.to_string()).collect(),
                };
                // Longest first, so `căn hộ` wins over `căn`.
                v.sort_by_key(|u| std::cmp::Reverse(u.len()));
                Terms::new(v)
            };
            compiled.push(Compiled {
                idx: r.idx,
                meta: r.meta,
                checks,
                date_sep,
                date_padding: o.date_padding,
                time,
                thousands,
                decimal,
                units: lower(o.units, DEFAULT_UNITS),
                countable: lower(o.countable, DEFAULT_COUNTABLE),
                percent_space: o.percent_space,
                messages: o.messages,
            });
        }
        if errors.is_empty() {
            Ok(Box::new(NumbersDatesChecker { rules: compiled }))
        } else {
            Err(errors)
        }
    }
}

struct NumbersDatesChecker {
    rules: Vec<Compiled>,
}

/// The offset of the first ASCII digit at or after `from`, eight bytes at a time.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // Per byte, without carries between bytes: at least `0`, above `9`, not ASCII.
        let low = w & LOW7;
        let at_least_0 = low + 0x5050_5050_5050_5050;
        let above_9 = low + 0x4646_4646_4646_4646;
        let digits = at_least_0 & !above_9 & !w & HIGH;
        if digits != 0 {
            return Some(i + (digits.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes.get(i..)?.iter().position(u8::is_ascii_digit).map(|p| i + p)
}

/// Number tokens, as the regex `[0-9]+(?:[./,:\-][0-9]+)*` finds them (leftmost, greedy),
/// without a regex: digits, then a separator and digits as long as there are some.
fn numbers(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = next_digit(bytes, at)?;
        let digits = |from: usize| from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
        let mut end = digits(start);
        while matches!(bytes.get(end), Some(b'.' | b'/' | b',' | b':' | b'-'))
            && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
        {
            end = digits(end + 1);
        }
        at = end;
        Some(start..end)
    })
}
static H_TIME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([0-9]{1,2})[hH]([0-9]{2})?").expect("valid regex"));
/// What every [`GIO_TIME`] match holds, to skip blocks without it.
static GIO: LazyLock<memchr::memmem::Finder<'static>> = LazyLock::new(|| memchr::memmem::Finder::new(" giờ"));
static GIO_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{1,2}) giờ(?: ([0-9]{1,2})(?: phút)?)?").expect("valid regex"));

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

fn char_after(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(is_word_char)
}

/// The previous word before byte `i`, lower-cased, skipping spaces, `(` and `,`; and
/// where it starts. `None` when anything else (a full stop, a digit) comes first.
fn prev_word(text: &str, i: usize) -> Option<(String, usize)> {
    let head = text.get(..i)?;
    let trimmed = head.trim_end_matches(|c: char| c.is_whitespace() || c == '(' || c == ',');
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic() || unicode_normalization::char::is_combining_mark(*c))
        .last()
        .map(|(j, _)| j)?;
    Some((trimmed[start..].to_lowercase(), start))
}

/// The next word after byte `i`, lower-cased, skipping spaces and `,`.
fn next_word(text: &str, i: usize) -> Option<String> {
    let tail = text.get(i..)?;
    let trimmed = tail.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ')');
    let w: String = trimmed.chars().take_while(|&c| c.is_alphabetic()).collect();
    (!w.is_empty()).then(|| w.to_lowercase())
}

/// How sure a date candidate is a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cue {
    None,
    /// `từ`, `đến`, `trước`, …: dates, but fractions too (`từ 1/3 đến 1/2 số hộ`).
    Weak,
    /// `ngày`, `sáng`, `hôm`, a weekday, or a year in the date itself.
    Strong,
}

const STRONG_DATE_CUES: &[&str] = &[
    "ngày", "hôm", "sáng", "chiều", "tối", "đêm", "trưa", "khuya", "mùng", "mồng", "rạng",
];
const WEAK_DATE_CUES: &[&str] = &["từ", "đến", "tới", "trước", "sau", "vào", "hết", "đầu", "cuối", "giữa"];
const DAY_PARTS: &[&str] = &["hôm", "sáng", "chiều", "tối", "đêm", "trưa", "khuya"];
const WEEKDAYS: &[&str] = &["hai", "ba", "tư", "năm", "sáu", "bảy"];
const FRACTION_NEXT: &[&str] = &["dân", "số", "diện", "tổng", "phần", "trong"];

fn date_cue(text: &str, start: usize, end: usize) -> Cue {
    let Some((w, ws)) = prev_word(text, start) else {
        return Cue::None;
    };
    let before = || prev_word(text, ws).map(|(b, _)| b);
    let strong = STRONG_DATE_CUES.contains(&w.as_str())
        || (matches!(w.as_str(), "nay" | "qua" | "mai") && before().is_some_and(|b| DAY_PARTS.contains(&b.as_str())))
        || (WEEKDAYS.contains(&w.as_str()) && before().as_deref() == Some("thứ"))
        || (w == "nhật" && before().as_deref() == Some("chủ"));
    if strong {
        Cue::Strong
    } else if WEAK_DATE_CUES.contains(&w.as_str())
        && !next_word(text, end).is_some_and(|n| FRACTION_NEXT.contains(&n.as_str()))
    {
        Cue::Weak
    } else {
        Cue::None
    }
}

const TIME_CUES_BEFORE: &[&str] = &[
    "lúc", "vào", "khoảng", "từ", "đến", "tới", "sáng", "trưa", "chiều", "tối", "đêm", "khuya", "rạng", "hồi", "trước",
    "sau", "gần", "hơn", "đúng",
];
const TIME_CUES_AFTER: &[&str] = &["ngày", "sáng", "trưa", "chiều", "tối", "đêm", "hôm", "cùng"];

/// Cues that make `N giờ` a time of day rather than a duration (`trong khoảng 4 giờ`).
const CLOCK_CUES_BEFORE: &[&str] = &["lúc", "vào", "đúng"];
const CLOCK_CUES_AFTER: &[&str] = &["sáng", "trưa", "chiều", "tối", "đêm", "ngày", "hôm"];

fn clock_cue(text: &str, start: usize, end: usize) -> bool {
    prev_word(text, start).is_some_and(|(w, _)| CLOCK_CUES_BEFORE.contains(&w.as_str()))
        || next_word(text, end).is_some_and(|w| CLOCK_CUES_AFTER.contains(&w.as_str()))
}

fn time_cue(text: &str, start: usize, end: usize) -> bool {
    prev_word(text, start).is_some_and(|(w, _)| TIME_CUES_BEFORE.contains(&w.as_str()))
        || next_word(text, end).is_some_and(|w| TIME_CUES_AFTER.contains(&w.as_str()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Date {
    day: u32,
    month: u32,
    day_text: String,
    month_text: String,
    year: Option<String>,
    sep: char,
}

fn days_in_month(m: u32) -> u32 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    fn parse(token: &str) -> Option<Date> {
        let sep = token.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
        let parts: Vec<&str> = token.split(sep).collect();
        if !(2..=3).contains(&parts.len())
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let (d, m) = (parts[0], parts[1]);
        if d.len() > 2 || m.len() > 2 {
            return None;
        }
        let year = match parts.get(2) {
            Some(y) if y.len() == 4 && (1900..=2199).contains(&y.parse::<u32>().ok()?) => Some(y.to_string()),
            Some(_) => return None,
            None => None,
        };
        let (day, month): (u32, u32) = (d.parse().ok()?, m.parse().ok()?);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(month) {
            return None;
        }
        Some(Date {
            day,
            month,
            day_text: d.to_string(),
            month_text: m.to_string(),
            year,
            sep,
        })
    }

    /// 0: neither (`26/12`), 1: zero-padded (`06/7`), 2: not padded (`6/7`).
    fn padding_class(&self) -> u32 {
        let padded = |s: &str| s.len() == 2 && s.starts_with('0');
        if padded(&self.day_text) || padded(&self.month_text) {
            1
        } else if self.day_text.len() == 1 || self.month_text.len() == 1 {
            2
        } else {
            0
        }
    }

    fn format(&self, sep: char, padding: Option<bool>) -> String {
        let part = |n: u32, original: &str| match padding {
            Some(true) => format!("{n:02}"),
            Some(false) => n.to_string(),
            None => original.to_string(),
        };
        let mut s = format!(
            "{}{sep}{}",
            part(self.day, &self.day_text),
            part(self.month, &self.month_text)
        );
        if let Some(y) = &self.year {
            s.push(sep);
            s.push_str(y);
        }
        s
    }
}

fn sep_index(c: char) -> u32 {
    match c {
        '/' => 0,
        '-' => 1,
        _ => 2,
    }
}

fn sep_of(i: u32) -> char {
    match i {
        0 => '/',
        1 => '-',
        _ => '.',
    }
}

const TAG_DATE: u32 = 1;
const REPORTED: u32 = 1 << 4;

/// What a number followed by a unit or `%` should look like.
enum NumberVerdict {
    Fine,
    Fix(String, bool, &'static str),
    Ambiguous(String),
}

fn is_group(s: &str) -> bool {
    s.len() == 3
}

fn is_lead(s: &str) -> bool {
    (1..=3).contains(&s.len())
}

/// Judges a number token (digits with `.`/`,`) in front of a unit.
fn judge_number(token: &str, t: char, d: char, countable: bool) -> NumberVerdict {
    let seps: Vec<char> = token.chars().filter(|c| !c.is_ascii_digit()).collect();
    if seps.is_empty() || seps.iter().any(|&c| c != t && c != d) {
        return NumberVerdict::Fine;
    }
    let parts: Vec<&str> = token.split([t, d]).collect();
    let last = parts[parts.len() - 1];
    let all_t = seps.iter().all(|&c| c == t);
    let all_d = seps.iter().all(|&c| c == d);
    let groups_ok = |ps: &[&str]| is_lead(ps[0]) && ps[1..].iter().all(|p| is_group(p));
    let swap = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c == t {
                    d
                } else if c == d {
                    t
                } else {
                    c
                }
            })
            .collect()
    };
    if all_t {
        if parts.len() == 2 && !is_group(last) && !countable {
            // `6.5 triệu`: a group of one or two digits cannot be thousands.
            return NumberVerdict::Fix(swap(token), true, "Decimal separator in a number");
        }
        return NumberVerdict::Fine;
    }
    if all_d {
        if parts.len() == 2 {
            if !is_group(last) || !is_lead(parts[0]) {
                return NumberVerdict::Fine;
            }
            return if countable {
                // `9,994 thẻ`: a count has no decimals.
                NumberVerdict::Fix(swap(token), true, "Thousands separator in a number")
            } else {
                NumberVerdict::Ambiguous(swap(token))
            };
        }
        if groups_ok(&parts) {
            // `1,234,567 đồng`: two decimal separators are thousands.
            return NumberVerdict::Fix(swap(token), true, "Thousands separator in a number");
        }
        return NumberVerdict::Fine;
    }
    // Both: `1,234.5` → `1.234,5`.
    let n = seps.len();
    if seps[..n - 1].iter().all(|&c| c == d) && seps[n - 1] == t && groups_ok(&parts[..n]) {
        return NumberVerdict::Fix(swap(token), true, "Thousands and decimal separators in a number");
    }
    NumberVerdict::Fine
}

/// A unit or count word of a rule, lower case.
struct Term {
    text: String,
    /// Its first character, to pass over most terms at once.
    first: Option<char>,
}

/// The unit or count words of a rule, longest first.
struct Terms {
    terms: Vec<Term>,
    /// The terms by first character (sorted), each list longest first.
    by_first: Vec<(char, Vec<usize>)>,
}

impl Terms {
    fn new(words: Vec<String>) -> Terms {
        let terms: Vec<Term> = words
            .into_iter()
            .map(|text| Term {
                first: text.chars().next(),
                text,
            })
            .collect();
        let mut by_first: Vec<(char, Vec<usize>)> = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            let Some(f) = t.first else { continue };
            match by_first.binary_search_by_key(&f, |(c, _)| *c) {
                Ok(k) => by_first[k].1.push(i),
                Err(k) => by_first.insert(k, (f, vec![i])),
            }
        }
        Terms { terms, by_first }
    }
}

/// How many characters after a number are lower-cased to find a unit.
const UNIT_WINDOW: usize = 24;

/// The lower case of the first [`UNIT_WINDOW`] characters of a text, made as far as
/// needed, on the stack.
struct Lowered<'a> {
    source: std::iter::Take<std::str::Chars<'a>>,
    /// A character lower-cases to at most three characters of at most four bytes.
    buf: [u8; UNIT_WINDOW * 12],
    len: usize,
    /// A capital sigma was met: its lower case depends on the letters around it.
    sigma: bool,
}

impl Lowered<'_> {
    /// Lower-cases until more than `n` bytes are there (so the character after the first
    /// `n` bytes is complete) or the window ends.
    fn fill_past(&mut self, n: usize) {
        while self.len <= n && !self.sigma {
            let Some(c) = self.source.next() else { return };
            if c.is_ascii() {
                self.buf[self.len] = c.to_ascii_lowercase() as u8;
                self.len += 1;
            } else if c == 'Σ' {
                self.sigma = true;
            } else {
                for l in c.to_lowercase() {
                    self.len += l.encode_utf8(&mut self.buf[self.len..]).len();
                }
            }
        }
    }

    /// Whether the lower-cased text starts with the word `u` (lower case) and the word ends
    /// there; `None` when a capital sigma makes it unsure.
    fn starts_with_word(&mut self, u: &str) -> Option<bool> {
        self.fill_past(u.len());
        if self.sigma {
            return None;
        }
        let lower = &self.buf[..self.len];
        if !lower.starts_with(u.as_bytes()) {
            return Some(false);
        }
        let rest = &lower[u.len()..];
        let next = rest.first().and_then(|&b| {
            let n = match b {
                0x00..=0x7F => 1,
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            std::str::from_utf8(rest.get(..n)?).ok()?.chars().next()
        });
        Some(!next.is_some_and(is_word_char))
    }
}

/// Whether a word of `list` (longest first) is at byte `i`, after optional spacing, and
/// ends there as a word. Letter case is ignored, as by lower-casing the next
/// [`UNIT_WINDOW`] characters of the text, but only as far as the terms need, on the stack.
fn unit_at(text: &str, i: usize, list: &Terms) -> bool {
    let Some(tail) = text.get(i..) else {
        return false;
    };
    let tail = tail
        .strip_prefix(' ')
        .or_else(|| tail.strip_prefix('\u{A0}'))
        .unwrap_or(tail);
    let Some(first) = tail.chars().next().and_then(|c| c.to_lowercase().next()) else {
        return false;
    };
    let Ok(k) = list.by_first.binary_search_by_key(&first, |(c, _)| *c) else {
        return false;
    };
    let mut lower = Lowered {
        source: tail.chars().take(UNIT_WINDOW),
        buf: [0; UNIT_WINDOW * 12],
        len: 0,
        sigma: false,
    };
    for &u in &list.by_first[k].1 {
        match lower.starts_with_word(&list.terms[u].text) {
            Some(true) => return true,
            Some(false) => {}
            None => return list.terms.iter().any(|u| starts_with_lowered(tail, &u.text)),
        }
    }
    false
}

/// [`unit_at`] for one term `u`, as the lower case of the next [`UNIT_WINDOW`] characters.
fn starts_with_lowered(tail: &str, u: &str) -> bool {
    let lower: String = tail.chars().take(UNIT_WINDOW).collect::<String>().to_lowercase();
    lower.starts_with(u) && !lower[u.len()..].chars().next().is_some_and(is_word_char)
}

impl Checker for NumbersDatesChecker {
    fn check_block(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        let text = block.text;
        if next_digit(text.as_bytes(), 0).is_none() {
            return;
        }
        for r in self.rules.iter().filter(|r| block.is_active(r.idx)) {
            let mut taken: Vec<Range<usize>> = Vec::new();
            self.numbers_and_dates(r, text, out, &mut taken);
            if r.has(Check::Time) && r.time.is_some() {
                self.times(r, text, out, &taken);
            }
        }
    }

    fn check_document(&self, input: &DocumentInput<'_>, out: &mut Vec<Diagnostic>) {
        for r in self.rules.iter().filter(|r| r.has(Check::DateMix)) {
            let facts: Vec<_> = input
                .facts
                .iter()
                .filter(|f| f.fact.rule == r.idx && f.fact.tag == TAG_DATE)
                .collect();
            if facts.len() < 2 {
                continue;
            }
            // Majority separator and padding, ties to the first used.
            let majority = |values: Vec<u32>| -> Option<(u32, bool)> {
                let first = *values.first()?;
                let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
                for v in &values {
                    *counts.entry(*v).or_default() += 1;
                }
                let best = counts.values().copied().max()?;
                let leaders: Vec<u32> = counts.iter().filter(|(_, c)| **c == best).map(|(v, _)| *v).collect();
                let winner = if leaders.contains(&first) { first } else { leaders[0] };
                Some((winner, leaders.len() == 1))
            };
            let seps: Vec<u32> = facts.iter().map(|f| f.fact.value & 3).collect();
            let pads: Vec<u32> = facts
                .iter()
                .map(|f| (f.fact.value >> 2) & 3)
                .filter(|&p| p != 0)
                .collect();
            let sep_target = if r.date_sep.is_none() { majority(seps) } else { None };
            let pad_target = if r.date_padding.is_none() { majority(pads) } else { None };
            for f in &facts {
                if f.fact.value & REPORTED != 0 {
                    continue;
                }
                let Some(date) = Date::parse(&f.fact.text) else {
                    continue;
                };
                let mut sep = date.sep;
                let mut padding = None;
                let mut safe = true;
                if let Some((s, sure)) = sep_target {
                    if sep_index(date.sep) != s {
                        sep = sep_of(s);
                        safe &= sure;
                    }
                }
                if let Some((p, sure)) = pad_target {
                    let class = date.padding_class();
                    if class != 0 && class != p {
                        padding = Some(p == 1);
                        safe &= sure;
                    }
                }
                let expected = date.format(sep, padding);
                if expected == f.fact.text.as_ref() {
                    continue;
                }
                out.push(r.diagnostic(Finding {
                    check: Check::DateMix,
                    range: f.range.clone(),
                    found: f.fact.text.to_string(),
                    expected,
                    problem: "Date written differently from the others in the document",
                    fix: Some(safe),
                }));
            }
        }
    }
}

impl NumbersDatesChecker {
    fn numbers_and_dates(&self, r: &Compiled, text: &str, out: &mut BlockOutput, taken: &mut Vec<Range<usize>>) {
        for m in numbers(text) {
            let (start, end) = (m.start, m.end);
            let token = &text[m];
            let prev = char_before(text, start);
            // Part of a code or a version: `v1.2.3`, `QH15`, `CT-2/3`.
            if is_word(prev) {
                continue;
            }
            if matches!(prev, Some('/' | '.' | ':' | ',' | '-' | '_' | '+' | '#'))
                && is_word(char_before(text, start - 1))
            {
                continue;
            }
            let next = char_after(text, end);
            let after_next = char_after(text, end + next.map_or(0, char::len_utf8));
            // `2320/CT-…`, `30/2020/NĐ-CP`.
            if matches!(next, Some('/' | '-' | '.' | ':' | '_')) && is_word(after_next) {
                continue;
            }

            let numeric = token.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
            let rest = &text[end..];
            let spaces = rest.len() - rest.trim_start_matches([' ', '\u{A0}', '\u{202F}']).len();

            // A number before `%`.
            if numeric && rest[spaces..].starts_with('%') {
                if r.has(Check::Percent) {
                    percent(r, text, token, start, end, spaces, out);
                }
                taken.push(start..end + spaces + 1);
                continue;
            }

            // `mỗi ngày 1.5 triệu`: before a unit, a number with dots is a number.
            let countable = numeric && unit_at(text, end, &r.countable);
            let unit = countable || numeric && unit_at(text, end, &r.units);
            let date = Date::parse(token).filter(|_| !unit).map(|d| {
                let cue = if d.year.is_some() {
                    Cue::Strong
                } else {
                    date_cue(text, start, end)
                };
                (d, cue)
            });
            if let Some((d, Cue::Strong)) = &date {
                if !is_word(next) {
                    taken.push(start..end);
                    date_found(r, token, start..end, d, Cue::Strong, out);
                    continue;
                }
            }

            // A number before a unit.
            if unit {
                taken.push(start..end);
                if r.has(Check::Number) {
                    number(r, token, start..end, countable, out);
                }
                continue;
            }
            if is_word(next) {
                continue;
            }

            // `1,250,000` needs no unit: two decimal separators between groups of three
            // digits can only be thousands.
            if numeric && r.has(Check::Number) && token.matches(r.decimal).count() >= 2 {
                number(r, token, start..end, false, out);
                continue;
            }

            // A time `13:37`.
            if let Some((h, mm)) = token.split_once(':') {
                if r.has(Check::Time) && !mm.contains(':') {
                    taken.push(start..end);
                    if let Some(f) = colon_time(r, text, start, end, h, mm) {
                        out.diagnostics.push(r.diagnostic(f));
                    }
                }
                continue;
            }

            if let Some((d, cue @ Cue::Weak)) = &date {
                taken.push(start..end);
                date_found(r, token, start..end, d, *cue, out);
            }
        }
    }

    fn times(&self, r: &Compiled, text: &str, out: &mut BlockOutput, taken: &[Range<usize>]) {
        let Some(style) = r.time else { return };
        let free = |range: &Range<usize>| !taken.iter().any(|t| t.start < range.end && range.start < t.end);
        let bounded = |s: usize, e: usize| !is_word(char_before(text, s)) && !is_word(char_after(text, e));
        // `13h37`, `13h`
        if style != TimeStyle::H {
            for c in H_TIME.captures_iter(text) {
                let m = c.get(0).expect("group 0");
                let (hour, minutes) = (&c[1], c.get(2).map(|x| x.as_str()));
                if !bounded(m.start(), m.end()) || !free(&m.range()) || !valid_time(hour, minutes.unwrap_or("0")) {
                    continue;
                }
                let cue = time_cue(text, m.start(), m.end());
                let (expected, safe) = match (style, minutes) {
                    (TimeStyle::Gio, Some(mm)) => (format!("{hour} giờ {mm}"), true),
                    (TimeStyle::Gio, None) => (format!("{hour} giờ"), true),
                    (TimeStyle::Colon, Some(mm)) => (format!("{hour}:{mm}"), cue),
                    // `24h`, `8h`: a duration as often as a time of day.
                    (TimeStyle::Colon, None) => continue,
                    (TimeStyle::H, _) => continue,
                };
                out.diagnostics
                    .push(r.diagnostic(time_finding(m.range(), m.as_str(), expected, safe)));
            }
        }
        // `13 giờ 37 (phút)`, `13 giờ`
        if style != TimeStyle::Gio && GIO.find(text.as_bytes()).is_some() {
            for c in GIO_TIME.captures_iter(text) {
                let m = c.get(0).expect("group 0");
                let (hour, minutes) = (&c[1], c.get(2).map(|x| x.as_str()));
                if !bounded(m.start(), m.end()) || !free(&m.range()) || !valid_time(hour, minutes.unwrap_or("0")) {
                    continue;
                }
                // `kéo dài 2 giờ 30 phút`, `trong khoảng 4 giờ` are durations: only a
                // time of day is changed.
                if !clock_cue(text, m.start(), m.end()) {
                    continue;
                }
                let expected = match (style, minutes) {
                    (TimeStyle::H, Some(mm)) => format!("{hour}h{mm:0>2}"),
                    (TimeStyle::H, None) => format!("{hour}h"),
                    (TimeStyle::Colon, Some(mm)) => format!("{hour}:{mm:0>2}"),
                    _ => continue,
                };
                out.diagnostics
                    .push(r.diagnostic(time_finding(m.range(), m.as_str(), expected, true)));
            }
        }
    }
}

fn percent(r: &Compiled, text: &str, token: &str, start: usize, end: usize, spaces: usize, out: &mut BlockOutput) {
    let rest = &text[end..];
    let pct_end = end + spaces + 1;
    let fixed_number = match judge_number(token, r.thousands, r.decimal, false) {
        NumberVerdict::Fix(n, true, _) => Some(n),
        _ => None,
    };
    let gap = match (r.percent_space, spaces) {
        (true, 0) => " ",
        (true, _) => &rest[..spaces],
        (false, _) => "",
    };
    // With the number right, only the spacing and the sign are reported (` %` → `%`).
    let (range, expected) = match &fixed_number {
        Some(n) => (start..pct_end, format!("{n}{gap}%")),
        None => (end..pct_end, format!("{gap}%")),
    };
    let found = &text[range.clone()];
    if expected == found {
        return;
    }
    let problem = if fixed_number.is_some() {
        "Decimal separator in a percentage"
    } else if r.percent_space {
        "No space before %"
    } else {
        "Space before %"
    };
    out.diagnostics.push(r.diagnostic(Finding {
        check: Check::Percent,
        range,
        found: found.to_string(),
        expected,
        problem,
        fix: Some(true),
    }));
}

fn number(r: &Compiled, token: &str, range: Range<usize>, countable: bool, out: &mut BlockOutput) {
    let (expected, safe, problem) = match judge_number(token, r.thousands, r.decimal, countable) {
        NumberVerdict::Fine => return,
        NumberVerdict::Fix(e, safe, p) => (e, safe, p),
        NumberVerdict::Ambiguous(e) => (e, false, "Ambiguous separator: thousands or decimals?"),
    };
    out.diagnostics.push(r.diagnostic(Finding {
        check: Check::Number,
        range,
        found: token.to_string(),
        expected,
        problem,
        fix: Some(safe),
    }));
}

fn date_found(r: &Compiled, token: &str, range: Range<usize>, date: &Date, cue: Cue, out: &mut BlockOutput) {
    let mut reported = false;
    if r.has(Check::Date) && (r.date_sep.is_some() || r.date_padding.is_some()) {
        let expected = date.format(r.date_sep.unwrap_or(date.sep), r.date_padding);
        if expected != token {
            reported = true;
            out.diagnostics.push(r.diagnostic(Finding {
                check: Check::Date,
                range: range.clone(),
                found: token.to_string(),
                expected,
                problem: "Date not in the house format",
                fix: Some(cue == Cue::Strong),
            }));
        }
    }
    if r.has(Check::DateMix) && cue == Cue::Strong {
        let value = sep_index(date.sep) | (date.padding_class() << 2) | if reported { REPORTED } else { 0 };
        out.facts
            .push(Fact::new(r.idx, TAG_DATE, value, range).with_text(token));
    }
}

fn valid_time(h: &str, m: &str) -> bool {
    matches!((h.parse::<u32>(), m.parse::<u32>()), (Ok(h), Ok(m)) if h <= 23 && m <= 59)
}

fn time_finding(range: Range<usize>, found: &str, expected: String, safe: bool) -> Finding {
    Finding {
        check: Check::Time,
        range,
        found: found.to_string(),
        expected,
        problem: "Time not in the house format",
        fix: Some(safe),
    }
}

/// `13:37` in running text.
fn colon_time(r: &Compiled, text: &str, start: usize, end: usize, h: &str, mm: &str) -> Option<Finding> {
    let style = r.time?;
    if style == TimeStyle::Colon || mm.len() != 2 || h.len() > 2 || !valid_time(h, mm) {
        return None;
    }
    // `tỷ lệ 1:50` is a ratio.
    if prev_word(text, start).is_some_and(|(w, _)| matches!(w.as_str(), "lệ" | "số")) {
        return None;
    }
    let cue = time_cue(text, start, end);
    if !cue && h.len() < 2 {
        return None;
    }
    let expected = match style {
        TimeStyle::H => format!("{h}h{mm}"),
        TimeStyle::Gio => format!("{h} giờ {mm}"),
        TimeStyle::Colon => return None,
    };
    Some(time_finding(start..end, &text[start..end], expected, cue))
}

#[cfg(test)]
mod tests {
    use crate::testing::{check, engine, fix};

    fn rules(options: &str) -> String {
        format!(
            "[[rule]]\nid = \"nd\"\nkind = \"numbers-dates\"\nmessage = \"{{problem}}: “{{found}}” → “{{expected}}”\"\n{options}\n"
        )
    }

    fn found(e: &crate::engine::Engine, t: &str) -> Vec<(String, Option<String>)> {
        check(e, t).into_iter().map(|f| (f.found, f.fix)).collect()
    }

    #[test]
    fn dates_follow_the_house_separator_and_padding() {
        let e = engine(&rules("date-separator = \"/\"\ndate-padding = false"));
        assert_eq!(
            fix(&e, "Sáng 26-7, hôm 06.08 và ngày 01/02/2025."),
            "Sáng 26/7, hôm 6/8 và ngày 1/2/2025."
        );
        let e = engine(&rules("date-separator = \"-\""));
        assert_eq!(
            fix(&e, "😀 Chiều 26/7, thứ Hai (27/7)"),
            "😀 Chiều 26-7, thứ Hai (27-7)"
        );
        let e = engine(&rules("date-separator = \".\"\ndate-padding = true"));
        assert_eq!(fix(&e, "ngày 6/7/2025"), "ngày 06.07.2025");
    }

    #[test]
    fn date_lookalikes_are_left_alone() {
        let e = engine(&rules("date-separator = \"-\"\ndate-padding = true\ntime = \"13h37\""));
        for t in [
            "1/3 dân số",
            "Công văn 2320/CT-VKSTC-V1",
            "Nghị định 30/2020/NĐ-CP",
            "Luật số 15/2023/QH15",
            "thắng 3-0, thua 2-1",
            "giai đoạn 2020-2025",
            "iOS 17.4 và v1.2.3",
            "gọi 0912.345.678 hoặc 024 3825 1234",
            "ngày 32/13",
            "ngày 30/2",
            "từ 1/3 dân số",
            "tỷ lệ 1:50",
            "kéo dài 2 giờ 30 phút",
            "Trong khoảng 4 giờ, các tổ công tác",
        ] {
            assert!(check(&e, t).is_empty(), "{t}: {:?}", check(&e, t));
        }
    }

    #[test]
    fn weak_cues_get_unsafe_fixes() {
        let e = engine(&rules("date-separator = \"/\""));
        let t = "từ 26-7 đến 30-7";
        assert_eq!(found(&e, t).len(), 2);
        assert_eq!(fix(&e, t), t);
    }

    #[test]
    fn a_document_must_not_mix_date_styles() {
        let e = engine(&rules(""));
        let t = "Ngày 26/7/2025, tin mới.\n\nSáng 27/7 mưa.\n\nChiều 28-7 nắng.";
        assert_eq!(found(&e, t), [("28-7".to_string(), Some("28/7".to_string()))]);
        assert_eq!(
            fix(&e, t),
            "Ngày 26/7/2025, tin mới.\n\nSáng 27/7 mưa.\n\nChiều 28/7 nắng."
        );
        // Zero-padding beside none is a mix too.
        let t = "Ngày 26/07/2025 và sáng 6/7, tối 8/7.";
        assert_eq!(fix(&e, t), "Ngày 26/7/2025 và sáng 6/7, tối 8/7.");
        // A tie is reported without a safe fix.
        let t = "Sáng 26/7, chiều 27-7.";
        assert_eq!(found(&e, t).len(), 1);
        assert_eq!(fix(&e, t), t);
        assert!(check(&e, "Sáng 26/7, chiều 27/7, tối 28/12.").is_empty());
    }

    #[test]
    fn times_follow_the_house_format() {
        let e = engine(&rules("time = \"13h37\""));
        assert_eq!(fix(&e, "Lúc 13:37 ngày 26/7"), "Lúc 13h37 ngày 26/7");
        assert_eq!(fix(&e, "vào 9 giờ 5 phút sáng"), "vào 9h05 sáng");
        assert_eq!(fix(&e, "Họp 14:30."), "Họp 14:30.");
        assert_eq!(found(&e, "Họp 14:30.").len(), 1);
        assert!(check(&e, "lúc 13h37, 13h, 24h qua").is_empty());
        let e = engine(&rules("time = \"13 giờ 37\""));
        assert_eq!(
            fix(&e, "lúc 13h37 và 8h, lúc 9:05"),
            "lúc 13 giờ 37 và 8 giờ, lúc 9 giờ 05"
        );
        let e = engine(&rules("time = \"13:37\""));
        assert_eq!(
            fix(&e, "lúc 13h37, 24h qua, lúc 7 giờ 5"),
            "lúc 13:37, 24h qua, lúc 7:05"
        );
    }

    #[test]
    fn numbers_before_units() {
        let e = engine(&rules(""));
        assert_eq!(
            found(&e, "6.5 triệu, 9,994 thẻ, 1,5 tỷ, 81.500 đồng, 1,500 tỷ"),
            [
                ("6.5".to_string(), Some("6,5".to_string())),
                ("9,994".to_string(), Some("9.994".to_string())),
                ("1,500".to_string(), Some("1.500".to_string())),
            ]
        );
        assert_eq!(
            fix(&e, "😀 6.5 triệu, 9,994 thẻ, 1,500 tỷ, 1,234,567 đồng, 1,234.5 USD"),
            "😀 6,5 triệu, 9.994 thẻ, 1,500 tỷ, 1.234.567 đồng, 1.234,5 USD"
        );
        assert!(check(&e, "0912.345.678 người gọi, v1.2 triệu, 6.500 tỷ, 1.234,5 km").is_empty());
        // Several commas between groups of three are thousands, unit or not.
        assert_eq!(
            fix(&e, "khoảng 1,250,000 khách hàng, 2,500,000."),
            "khoảng 1.250.000 khách hàng, 2.500.000."
        );
        assert!(check(&e, "IP 192.168.1.1, 1,2,3").is_empty());
        // Before a unit, `ngày` does not make a date of a number.
        assert_eq!(fix(&e, "mỗi ngày 1.5 triệu đồng"), "mỗi ngày 1,5 triệu đồng");
    }

    #[test]
    fn percentages() {
        let e = engine(&rules(""));
        assert_eq!(fix(&e, "tăng 6,5 %, giảm 6.5%, 7\u{A0}%"), "tăng 6,5%, giảm 6,5%, 7%");
        assert_eq!(
            found(&e, "tăng 3,2 %, giảm 6.5%"),
            [
                (" %".to_string(), Some("%".to_string())),
                ("6.5%".to_string(), Some("6,5%".to_string()))
            ]
        );
        let e = engine(&rules("percent-space = true"));
        assert_eq!(fix(&e, "tăng 6,5%"), "tăng 6,5 %");
        assert!(check(&e, "tăng 6,5 %").is_empty());
    }

    #[test]
    fn english_house_style_is_symmetric() {
        let e = engine(&rules("thousands = \",\"\ndecimal = \".\""));
        assert_eq!(fix(&e, "6,5 USD, 9.994 thẻ"), "6.5 USD, 9,994 thẻ");
    }

    #[test]
    fn bad_options_are_located_errors() {
        for (bad, needle) in [
            ("date-separator = \"|\"", "date separator"),
            ("time = \"1pm\"", "time format"),
            ("thousands = \",\"", "must differ"),
            ("checks = [\"dates\"]", "unknown check"),
        ] {
            let file = rules(bad);
            let pack = crate::pack::load_files("t", "t", vec![crate::pack::SourceFile::new("t.toml", &file)]).unwrap();
            let errs = crate::project::build_engine(&[pack], None, &[], None).unwrap_err();
            assert!(errs[0].message.contains(needle), "{bad}: {}", errs[0].message);
        }
    }

    #[test]
    fn digits_are_found_eight_bytes_at_a_time() {
        let text = "abc/:09 ٣😀 xyz 7 đường 0123456789 \u{7F}\u{80}\u{B0}\u{B9} 5";
        let bytes = text.as_bytes();
        for from in 0..=bytes.len() {
            let slow = (from..bytes.len()).find(|&i| bytes[i].is_ascii_digit());
            assert_eq!(super::next_digit(bytes, from), slow, "{from}");
        }
        for b in 0..=255u8 {
            let bytes = [b'x', b'x', b'x', b'x', b'x', b'x', b'x', b, b'x'];
            assert_eq!(super::next_digit(&bytes, 0), b.is_ascii_digit().then_some(7), "{b:#x}");
        }
    }

    #[test]
    fn numbers_are_found_as_the_regex_finds_them() {
        let re = regex::Regex::new(r"[0-9]+(?:[./,:\-][0-9]+)*").unwrap();
        for t in [
            "",
            "1",
            "a1b22",
            "1.2.3",
            "1..2",
            "1.",
            ".1",
            "1,234,567.5 đồng",
            "26/7/2025-",
            "13:37:",
            "1-2-3a4",
            "😀12/٣ 4",
            "9,",
            "0912.345.678 người 1,2,3",
        ] {
            let found: Vec<_> = super::numbers(t).collect();
            let expected: Vec<_> = re.find_iter(t).map(|m| m.range()).collect();
            assert_eq!(found, expected, "{t:?}");
        }
    }

    #[test]
    fn units_match_as_the_lower_case_of_the_text() {
        let tails = [
            "KM/h",
            "km",
            "Km2",
            "kmx",
            "ĐỒNG.",
            "Đồng",
            "İnch",
            "inch",
            "\u{212A}m",
            "ẞ",
            "ΣΤΑΣ",
            "στας",
            "σ",
            "Σ",
            "nhân dân TỆ",
            "nhân  dân",
            "",
            " ",
            "m",
            "M\u{301}",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaİ",
            "aaaaaaaaaaaaaaaaaaaaaaİb",
        ];
        let terms = [
            "km",
            "km/h",
            "m",
            "đồng",
            "i\u{307}nch",
            "inch",
            "ß",
            "στας",
            "σ",
            "ς",
            "nhân dân tệ",
            "aaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaai\u{307}",
            "aaaaaaaaaaaaaaaaaaaaaai\u{307}",
            "m\u{301}",
            "\u{307}",
        ];
        for tail in tails {
            for t in terms {
                assert_eq!(
                    super::unit_at(tail, 0, &super::Terms::new(vec![t.to_string()])),
                    super::starts_with_lowered(tail, t),
                    "{tail:?} {t:?}"
                );
            }
        }
    }

    #[test]
    fn doc_example_holds() {
        let doc = <super::NumbersDates as crate::rules::RuleKind>::DOC;
        let start = doc.find("```toml\n").expect("a TOML example") + "```toml\n".len();
        let end = start + doc[start..].find("```").expect("closed");
        let e = engine(&doc[start..end]);
        let report = crate::pack::examples::run_examples(&e, &|_| true);
        assert!(report.failures.is_empty(), "{:#?}", report.failures);
        assert!(report.passed > 0);
    }

    /// Speed and sameness on generated copy, run by hand in release mode:
    /// `cargo test --release --lib rules::numbers_dates::tests::perf -- --ignored --nocapture`
    /// (`PERF_ITERS` checks of 1 MB, for `perf stat -e instructions:u`; digests of the
    /// diagnostics on noisy texts, to compare before and after a change).
    mod perf {
        use super::rules;
        use crate::document::Document;
        use crate::engine::Engine;
        use crate::testing::corpus::{self, Rng};
        use crate::testing::engine;
        use std::hash::{DefaultHasher, Hash, Hasher};

        const KIND: &str = "numbers-dates";

        fn pack_engine() -> Engine {
            let project = crate::project::Project::load(None, None).expect("default project");
            let packs: Vec<_> = project
                .packs
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    p.rules.retain(|r| r.raw.meta.kind == KIND);
                    p
                })
                .collect();
            crate::project::build_engine(&packs, project.config.profile.as_deref(), &[], None).expect("compiles")
        }

        fn digest(e: &Engine, doc: &Document) -> (usize, u64) {
            let diags = e.check(doc);
            let mut h = DefaultHasher::new();
            diags.hash(&mut h);
            (diags.len(), h.finish())
        }

        fn noisy(seed: u64, pieces: &[&str], n: usize) -> String {
            let mut rng = Rng::new(seed);
            let seps = [" ", " ", " ", ", ", ". ", "\n\n", "\u{A0}", "  ", "\u{1A}"];
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(rng.pick::<&str>(pieces));
                s.push_str(rng.pick::<&str>(&seps));
            }
            s
        }

        const PIECES: &[&str] = &[
            "26/7",
            "26-07",
            "06.08",
            "2025",
            "1/2/2025",
            "/",
            "-",
            ".",
            ",",
            ":",
            "%",
            "\u{A0}%",
            " %",
            "ngày",
            "lúc",
            "13",
            "37",
            "13:37",
            "9:05",
            "13h37",
            "8h",
            "13 giờ 37",
            "9 giờ 5 phút",
            "giờ",
            "phút",
            "triệu",
            "thẻ",
            "6",
            "500",
            "6.5",
            "9,994",
            "1,5",
            "81.500",
            "1,500",
            "1,234,567",
            "1,234.5",
            "USD",
            "usd",
            "Usd",
            "ĐỒNG",
            "Đồng",
            "KM",
            "km/h",
            "Km",
            "m²",
            "đô la",
            "nhân dân tệ",
            "căn hộ",
            "căn",
            "😀",
            "\u{1A}",
            "ộ",
            "Sáng",
            "thứ",
            "hai",
            "chủ",
            "nhật",
            "từ",
            "đến",
            "dân",
            "số",
            "tỷ",
            "lệ",
            "1:50",
            "v1.2.3",
            "QH15",
            "30/2020/NĐ-CP",
            "0912.345.678",
            "192.168.1.1",
            "24h",
            "qua",
            "hôm",
            "nay",
            "khoảng",
            "người",
            "NGƯỜI",
            "\u{202F}",
            "İ",
            "ẞ",
            "K",
            "ǅ",
            "Ω",
            "mW",
            "MW",
            "m3",
        ];

        #[test]
        #[ignore = "by hand, in release mode"]
        fn check_1mb_repeatedly() {
            let e = pack_engine();
            let text = corpus::article(20_240_601 + 2, 1_000_000);
            let doc = Document::markdown(text.as_str());
            let iters: usize = std::env::var("PERF_ITERS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(20);
            let start = std::time::Instant::now();
            let mut n = 0;
            for _ in 0..iters {
                n += std::hint::black_box(e.check(&doc)).len();
            }
            let per = start.elapsed().as_secs_f64() * 1e3 / iters as f64 / (text.len() as f64 / 1e6);
            println!("{KIND}: {per:.2} ms/MB ({iters} checks, {n} diagnostics)");
        }

        #[test]
        #[ignore = "by hand, to compare before and after a change"]
        fn output_digests() {
            let engines = [
                pack_engine(),
                engine(&rules("")),
                engine(&rules(
                    "date-separator = \".\"\ndate-padding = true\ntime = \"13 giờ 37\"\npercent-space = true",
                )),
                engine(&rules(
                    "time = \"13:37\"\nthousands = \",\"\ndecimal = \".\"\nunits = [\"Km\", \"đô la\", \"ĐỒNG\"]",
                )),
            ];
            let noisy_opts = corpus::Options {
                error_rate: 0.5,
                nfd_rate: 0.05,
                emoji_rate: 0.2,
            };
            let texts = [
                corpus::article(20_240_603, 1_000_000),
                corpus::article_with(&noisy_opts, 7, 300_000),
                noisy(1, PIECES, 40_000),
                noisy(2, PIECES, 40_000),
            ];
            for (i, e) in engines.iter().enumerate() {
                for (j, t) in texts.iter().enumerate() {
                    let (n, h) = digest(e, &Document::markdown(t.as_str()));
                    let (pn, ph) = digest(e, &Document::plain(t.as_str()));
                    println!("{KIND} engine {i} text {j}: md {n} {h:016x} plain {pn} {ph:016x}");
                }
            }
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

        fn config() -> Config {
            Config {
                cases: 128,
                rng_seed: RngSeed::Fixed(0x000d_a7e5),
                failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
                ..Config::default()
            }
        }

        fn text() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "26/7", "26-07", "2025", "/", "-", ".", ",", ":", "%", " ", "\u{A0}", "ngày ", "lúc ", "13", "37", "h",
                " giờ ", " phút", " triệu", " thẻ", "6", "500", "😀", "\u{1A}", "ộ", "\n\n",
            ]);
            prop_oneof![
                prop::collection::vec(pieces, 0..16).prop_map(|v| v.concat()),
                "\\PC{0,32}",
                "[0-9./,:% h-]{0,24}",
            ]
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn no_panics_and_char_boundaries(t in text()) {
                for opts in ["", "date-separator = \".\"\ndate-padding = true\ntime = \"13 giờ 37\"\npercent-space = true", "time = \"13:37\"", "time = \"13h37\""] {
                    let e = engine(&rules(opts));
                    let diags = e.check(&crate::document::Document::plain_body(t.as_str()));
                    for d in &diags {
                        prop_assert!(t.is_char_boundary(d.range.start) && t.is_char_boundary(d.range.end));
                        for f in &d.fixes {
                            for ed in &f.edits {
                                prop_assert!(t.is_char_boundary(ed.range.start) && t.is_char_boundary(ed.range.end));
                            }
                        }
                    }
                    let _ = fix(&e, &t);
                }
            }
        }
    }
}
