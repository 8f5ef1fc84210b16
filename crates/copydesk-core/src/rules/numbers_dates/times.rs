//! Clock times: the `time` check (`13h37`, `13 giờ 37`, `13:37` in the house form) and the
//! facts and document-wide choice of `time-mix`.

use super::*;

pub(super) static H_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{1,2})[hH]([0-9]{2})?").expect("valid regex"));

/// The clock-time forms, in the order of [`TimeStyle`]: `13h37`, `13 giờ 37`, `13:37`.
pub(super) const TIME_FORMS: [TimeStyle; 3] = [TimeStyle::H, TimeStyle::Gio, TimeStyle::Colon];

/// Records the clock times with minutes that a document's choice of form is made of:
/// `13h37`, `13 giờ 37 (phút)` after or before a clock word (`lúc`, `sáng`; `kéo dài 2 giờ 30
/// phút` is a duration), and `13:37` (found with the numbers) after a time word. Times
/// without minutes (`9h`, `9 giờ`) are left out: as often durations as times of day.
pub(super) fn time_facts(r: &Compiled, text: &str, out: &mut BlockOutput, taken: &[Range<usize>]) {
    let free = |range: &Range<usize>| is_free(taken, range);
    let bounded = |s: usize, e: usize| !is_word(char_before(text, s)) && !is_word(char_after(text, e));
    for c in H_TIME.captures_iter(text) {
        let (m, hour) = (c.get(0).expect("group 0"), &c[1]);
        let Some(minutes) = c.get(2).map(|x| x.as_str()) else {
            continue;
        };
        if bounded(m.start(), m.end()) && free(&m.range()) && valid_time(hour, minutes) {
            out.facts
                .push(time_fact(r, TimeStyle::H, false, m.range(), hour, minutes));
        }
    }
    let Some(clock) = &r.words.clock else { return };
    for c in clock.regex.captures_iter(text) {
        let (m, hour) = (c.get(0).expect("group 0"), &c[1]);
        let Some(minutes) = c.get(2).map(|x| x.as_str()) else {
            continue;
        };
        if bounded(m.start(), m.end())
            && free(&m.range())
            && valid_time(hour, minutes)
            && clock_cue(&r.words, text, m.start(), m.end())
        {
            let phut = clock.minute.as_deref().is_some_and(|w| m.as_str().ends_with(w));
            // Seconds after the minutes (`5 giờ 31 phút 57 giây`): no other form holds them
            // (judged HARMFUL on real news, round 111: the safe fix wrote `5h31 57 giây`).
            if phut && with_seconds(&text[m.end()..]) {
                continue;
            }
            out.facts
                .push(time_fact(r, TimeStyle::Gio, phut, m.range(), hour, minutes));
        }
    }
}

/// Whether `rest` opens with a number of one or two digits and a word: the seconds after a
/// time's minute word.
fn with_seconds(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix(' ') else {
        return false;
    };
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && after[digits..]
            .strip_prefix(' ')
            .is_some_and(|w| w.starts_with(char::is_alphabetic))
}

pub(super) fn time_fact(
    r: &Compiled,
    form: TimeStyle,
    with_phut: bool,
    range: Range<usize>,
    hour: &str,
    minutes: &str,
) -> Fact {
    let fact = TimeFact {
        form,
        with_phut,
        hour_minutes: format!("{hour}:{minutes}").into(),
    };
    Fact::new(r.idx, Noted::NumbersDates(NumbersDatesFact::Time(fact)), range)
}

/// Whether `range` overlaps none of `taken`, which the number scan fills in text order (no
/// overlaps): a binary search, so a block of many numbers and times stays linear.
pub(super) fn is_free(taken: &[Range<usize>], range: &Range<usize>) -> bool {
    let i = taken.partition_point(|t| t.end <= range.start);
    taken.get(i).is_none_or(|t| t.start >= range.end)
}

/// `hour:minutes` written in `form`; `phut` adds the minute word (`phút`) to the hour-word
/// form (`13 giờ 37`), whose words are the rule's (`clock`; none: the hour and minutes).
pub(super) fn time_in(form: TimeStyle, hour: &str, minutes: &str, phut: bool, clock: Option<&ClockWords>) -> String {
    let m: u32 = minutes.parse().unwrap_or(0);
    match form {
        TimeStyle::H => format!("{hour}h{m:02}"),
        TimeStyle::Colon => format!("{hour}:{m:02}"),
        // `15 giờ 00`: the minutes keep two digits (judged HARMFUL on real news, round 48:
        // the safe fix wrote `từ 15 giờ 0`).
        TimeStyle::Gio => gio(clock, hour, Some(&format!("{m:02}")), phut),
    }
}

/// `13 giờ 37 (phút)` in the rule's words: `hour`, the hour word, `minutes`, and the minute
/// word if `phut`.
pub(super) fn gio(clock: Option<&ClockWords>, hour: &str, minutes: Option<&str>, phut: bool) -> String {
    let (h, mw) = clock.map_or(("", None), |c| (c.hour.as_str(), c.minute.as_deref()));
    let mut out = format!("{hour} {h}");
    if let Some(mm) = minutes {
        out.push(' ');
        out.push_str(mm);
        if let (true, Some(w)) = (phut, mw) {
            out.push(' ');
            out.push_str(w);
        }
    }
    out
}

/// Consistency mode for clock times, settled by the shared machinery as dates are: the
/// majority form wins, a tie goes to `time` (and is offered, not applied by `--fix`).
pub(super) fn time_choice(r: &Compiled, text: &str, facts: &[(&DocFact<'_>, &TimeFact)], out: &mut Vec<Diagnostic>) {
    let times: Vec<(usize, &str, &str)> = facts
        .iter()
        .filter_map(|(_, t)| {
            let (hour, minutes) = t.hour_minutes.split_once(':')?;
            Some((TIME_FORMS.iter().position(|&f| f == t.form)?, hour, minutes))
        })
        .collect();
    let Some(&(_, first_hour, first_minutes)) = times.first() else {
        return;
    };
    // `13 giờ 37 phút` or `13 giờ 37`: as the article's own `giờ` times mostly write it.
    let gio: Vec<bool> = facts
        .iter()
        .filter(|(_, t)| t.form == TimeStyle::Gio)
        .map(|(_, t)| t.with_phut)
        .collect();
    let phut = gio.iter().filter(|&&p| p).count() * 2 > gio.len();
    let labels: Vec<String> = TIME_FORMS
        .iter()
        .map(|&form| time_in(form, first_hour, first_minutes, phut, r.words.clock.as_ref()))
        .collect();
    let occurrences: Vec<Occurrence> = facts
        .iter()
        .zip(&times)
        .map(|(f, &(form, hour, minutes))| {
            let texts = TIME_FORMS
                .iter()
                .map(|&to| Some(time_in(to, hour, minutes, phut, r.words.clock.as_ref())))
                .collect();
            Occurrence::replacing(form, f.0.range.clone(), &text[f.0.range.clone()], texts)
        })
        .collect();
    let choice = Choice {
        mode: Mode::Consistency,
        prefer: r.time.and_then(|t| TIME_FORMS.iter().position(|&f| f == t)),
        mixed_prefers: false,
    };
    let mut meta = (*r.meta).clone();
    if let Some(t) = r.messages.get(&Check::TimeMix) {
        meta.message = t.clone();
    }
    let c = Choices {
        rule: r.idx,
        meta: &meta,
        choice,
        labels: &labels,
        safe: true,
    };
    choice::report(&c, &occurrences, out);
}

impl NumbersDatesChecker {
    pub(super) fn times(&self, r: &Compiled, text: &str, out: &mut BlockOutput, taken: &[Range<usize>]) {
        let Some(style) = r.time else { return };
        let free = |range: &Range<usize>| is_free(taken, range);
        let bounded = |s: usize, e: usize| !is_word(char_before(text, s)) && !is_word(char_after(text, e));
        // `13h37`, `13h`
        if style != TimeStyle::H {
            for c in H_TIME.captures_iter(text) {
                let m = c.get(0).expect("group 0");
                let (hour, minutes) = (&c[1], c.get(2).map(|x| x.as_str()));
                if !bounded(m.start(), m.end()) || !free(&m.range()) || !valid_time(hour, minutes.unwrap_or("0")) {
                    continue;
                }
                let cue = time_cue(&r.words, text, m.start(), m.end());
                let (expected, safe) = match (style, minutes) {
                    (TimeStyle::Gio, mm) => (gio(r.words.clock.as_ref(), hour, mm, false), true),
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
        if let (true, Some(clock)) = (style != TimeStyle::Gio, &r.words.clock) {
            for c in clock.regex.captures_iter(text) {
                let m = c.get(0).expect("group 0");
                let (hour, minutes) = (&c[1], c.get(2).map(|x| x.as_str()));
                if !bounded(m.start(), m.end()) || !free(&m.range()) || !valid_time(hour, minutes.unwrap_or("0")) {
                    continue;
                }
                // `kéo dài 2 giờ 30 phút`, `trong khoảng 4 giờ` are durations: only a
                // time of day is changed.
                if !clock_cue(&r.words, text, m.start(), m.end()) {
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

pub(super) fn valid_time(h: &str, m: &str) -> bool {
    matches!((h.parse::<u32>(), m.parse::<u32>()), (Ok(h), Ok(m)) if h <= 23 && m <= 59)
}

pub(super) fn time_finding(range: Range<usize>, found: &str, expected: String, safe: bool) -> Finding {
    Finding {
        check: Check::Time,
        range,
        found: found.to_string(),
        expected,
        problem: "Time not in the house format",
        fix: Some(safe),
    }
}

/// `13:37` after or before a time word, and not a ratio (`tỷ lệ 30:70`): the words are
/// the rule's `time-cues-*` and `ratio-words`.
pub(super) fn clock_colon(w: &Words, text: &str, start: usize, end: usize, h: &str, mm: &str) -> bool {
    mm.len() == 2
        && h.len() <= 2
        && valid_time(h, mm)
        && !prev_word(text, start).is_some_and(|(p, _)| p.is_in(&w.ratio))
        && time_cue(w, text, start, end)
}

/// `13:37` in running text.
pub(super) fn colon_time(r: &Compiled, text: &str, start: usize, end: usize, h: &str, mm: &str) -> Option<Finding> {
    let style = r.time?;
    if style == TimeStyle::Colon || mm.len() != 2 || h.len() > 2 || !valid_time(h, mm) {
        return None;
    }
    // `tỷ lệ 1:50` is a ratio.
    if prev_word(text, start).is_some_and(|(w, _)| w.is_in(&r.words.ratio)) {
        return None;
    }
    let cue = time_cue(&r.words, text, start, end);
    if !cue && h.len() < 2 {
        return None;
    }
    let expected = match style {
        TimeStyle::H => format!("{h}h{mm}"),
        TimeStyle::Gio => gio(r.words.clock.as_ref(), h, Some(mm), false),
        TimeStyle::Colon => return None,
    };
    Some(time_finding(start..end, &text[start..end], expected, cue))
}
