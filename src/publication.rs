//! The publication date, when neither `--published` nor the file name gives
//! it. Every relative time (今年5月, 昨天) and every yearless date (9月12日)
//! is read against it, so its year decides most time values of the text.
//!
//! In order:
//! 1. the latest year the text writes out is the first guess;
//! 2. signs that the text is from a later year move it on: a year reported
//!    whole (2023年全年营收, 截至2024年底), a relative year beside the year it
//!    stands for (三年前，也就是2015年 → 2018);
//! 3. a day of the week beside a yearless date (本周一（7月25日）) picks the
//!    first year from there on with that date on that weekday;
//! 4. the date is a dateline's (2024年9月6日电, 8月22日电 in that year), else
//!    the last day of the latest time written out in that year, else of the
//!    latest yearless date in it.

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::dates::{Anchor, MonthRef, Part, TimeExpr, TimeValue, YearRef, resolve, weekday_number};
use crate::document::Basis;
use crate::error::Result;
use crate::mention::{Mention, MentionKind};
use crate::rules::pattern::Patterns;
use crate::rules::schema::PublicationCues;
use crate::segment::Sentence;

/// The `[publication]` rules, compiled.
pub struct Cues {
    future: Vec<String>,
    closed_after: Vec<String>,
    closed_before: Vec<String>,
    apposition: Option<Regex>,
    dateline: Option<Regex>,
    weekday_after: Option<Regex>,
    weekday_before: Option<Regex>,
}

impl Cues {
    /// Compiles the cues with the date rules' fragments.
    pub fn new(cues: &PublicationCues, patterns: &Patterns) -> Result<Self> {
        let compile = |id: &str, pattern: &Option<String>| -> Result<Option<Regex>> {
            pattern
                .as_deref()
                .map(|p| patterns.compile(id, p).map(|c| c.regex))
                .transpose()
        };
        Ok(Cues {
            future: cues.future.clone(),
            closed_after: cues.closed_after.clone(),
            closed_before: cues.closed_before.clone(),
            apposition: compile("apposition", &cues.apposition)?,
            dateline: compile("dateline", &cues.dateline)?,
            weekday_after: compile("weekday_after", &cues.weekday_after)?,
            weekday_before: compile("weekday_before", &cues.weekday_before)?,
        })
    }
}

/// A time mention with its expression.
type Time<'m> = (&'m Mention, &'m TimeExpr);

/// The publication date: the document's own, else what the text shows.
pub fn publication(
    text: &str,
    known: Option<(NaiveDate, Basis)>,
    sentences: &[Sentence],
    mentions: &[Mention],
    cues: &Cues,
) -> Option<(NaiveDate, Basis)> {
    if known.is_some() {
        return known;
    }
    // A date announced for later (将于9月12日生效) is no sign of when the
    // article was written.
    let future = |m: &Mention| {
        let before = &text[sentences[m.sentence].span.start..m.span.start];
        let from = before.char_indices().rev().nth(5).map_or(0, |(i, _)| i);
        let near = &before[from..];
        cues.future.iter().any(|w| near.contains(w.as_str()))
    };
    let times: Vec<Time> = mentions
        .iter()
        .filter_map(|m| match &m.kind {
            MentionKind::Time(time) if !future(m) => Some((m, &time.expr)),
            _ => None,
        })
        .collect();
    let written = |e: &TimeExpr| written_year(e).is_some();
    let latest_written = times.iter().filter_map(|(_, e)| written_year(e)).max();
    let later = closed_years(text, &times, cues)
        .chain(apposed_years(text, &times, cues))
        .max();
    let floor = latest_written.max(later);
    let year = floor.map(|y| weekday_year(text, sentences, &times, cues, y).unwrap_or(y));
    let context = TimeValue::year(year);

    let last_line = sentences.last().map_or(0, |s| s.line);
    let mut latest = None;
    for (m, expr) in &times {
        let Some(value) = resolve(expr, None, None, Some(&context)) else {
            continue;
        };
        let after = &text[m.span.end..sentences[m.sentence].span.end];
        let datelined = cues.dateline.as_ref().is_some_and(|r| r.is_match(after));
        let line = sentences[m.sentence].line;
        let alone = text[sentences[m.sentence].span.range()].trim() == &text[m.span.range()];
        if let Some(date) = value
            .date()
            .filter(|_| datelined || (alone && (line == 0 || line + 2 >= last_line)))
        {
            return Some((date, Basis::Dateline));
        }
        // Failing a dateline: the last day of the latest time the text
        // writes out in the year (2024年9月5日, or 2024年10月 → 2024-10-31),
        // or, when the signs moved the year past every year written out,
        // of the latest yearless month or day in it (3月7日, not 双11 or
        // 年底, which come round every year).
        let counts = match latest_written < year {
            true => yearless_month(text, m, expr),
            false => written(expr),
        };
        if counts {
            // (last day, whether the text named that very day)
            latest = latest.max(value.last_day().map(|d| (d, value.day.is_some())));
        }
    }
    // "昨天，淘宝发布公告…于2024年9月5日公示": an article that speaks of
    // yesterday (and not of today) was written the day after the latest
    // day it names.
    let shifted = |days: i32| {
        times
            .iter()
            .any(|(_, e)| matches!(e, TimeExpr::DayShift(Anchor::Published, d) if *d == days))
    };
    let day_after = shifted(-1) && !shifted(0);
    let latest = latest.or_else(|| {
        // The signs gave a year but the text names no day in it.
        let first = NaiveDate::from_ymd_opt(year?, 1, 1)?;
        Some((first, false)).filter(|_| latest_written < year)
    });
    latest.map(|(d, named_day)| {
        let d = match day_after && named_day {
            true => d.succ_opt().unwrap_or(d),
            false => d,
        };
        (d, Basis::Inferred)
    })
}

/// The year a time writes out (2021年9月), if it does.
fn written_year(expr: &TimeExpr) -> Option<i32> {
    match expr {
        TimeExpr::Calendar {
            year: YearRef::Abs(y),
            ..
        } => Some(*y),
        _ => None,
    }
}

/// Whether a time writes its month but not its year (3月7日, 10月).
fn yearless_month(text: &str, m: &Mention, expr: &TimeExpr) -> bool {
    matches!(
        expr,
        TimeExpr::Calendar {
            year: YearRef::Implicit,
            month: Some(MonthRef::Abs(_)),
            ..
        }
    ) && text[m.span.range()].contains('月')
}

/// The years after a year the text reports whole: 2023年全年营收 and
/// 截至2024年底 are written in a later year, as is 2021年第四季度营收.
fn closed_years<'a>(
    text: &'a str,
    times: &'a [Time],
    cues: &'a Cues,
) -> impl Iterator<Item = i32> + 'a {
    times.iter().filter_map(move |(m, expr)| {
        let TimeExpr::Calendar {
            year: YearRef::Abs(y),
            month,
            day,
            part,
            ..
        } = expr
        else {
            return None;
        };
        let after = &text[m.span.end..];
        let before = &text[..m.span.start];
        let whole = month.is_none()
            && part.is_none()
            && cues
                .closed_after
                .iter()
                .any(|w| after.starts_with(w.as_str()));
        let fourth_quarter = month.is_none() && *part == Some(Part::Quarter(4));
        // 截至2024年底, 截至2023年12月31日.
        let year_end = matches!((month, day), (None, None) if after.starts_with(['底', '末']))
            || matches!((month, day), (Some(MonthRef::Abs(12)), Some(31)));
        let as_of_end = year_end
            && cues
                .closed_before
                .iter()
                .any(|w| before.ends_with(w.as_str()));
        (whole || fourth_quarter || as_of_end).then_some(y + 1)
    })
}

/// The years a relative year stands for when the written-out year it names
/// follows it (三年前，也就是2015年 → 2018; 去年（2023年） → 2024).
fn apposed_years<'a>(
    text: &'a str,
    times: &'a [Time],
    cues: &'a Cues,
) -> impl Iterator<Item = i32> + 'a {
    times.windows(2).filter_map(move |pair| {
        let [(m, expr), (next, next_expr)] = pair else {
            return None;
        };
        let TimeExpr::Calendar {
            year: YearRef::Rel(back),
            ..
        } = expr
        else {
            return None;
        };
        let y = written_year(next_expr)?;
        let gap = text.get(m.span.end..next.span.start)?;
        cues.apposition.as_ref()?.is_match(gap).then_some(y - back)
    })
}

/// The year a day of the week beside a yearless date gives (本周一（7月25日）,
/// 7月5日，当天正值周六): the first from `floor` on with that date on that
/// weekday. Twelve years hold every weekday of a date but 2月29日.
fn weekday_year(
    text: &str,
    sentences: &[Sentence],
    times: &[Time],
    cues: &Cues,
    floor: i32,
) -> Option<i32> {
    times.iter().find_map(|(m, expr)| {
        let TimeExpr::Calendar {
            year: YearRef::Implicit,
            month: Some(MonthRef::Abs(month)),
            day: Some(day),
            ..
        } = expr
        else {
            return None;
        };
        let sentence = sentences[m.sentence].span;
        let after = &text[m.span.end..sentence.end];
        let before = &text[sentence.start..m.span.start];
        let named = |regex: &Option<Regex>, s: &str| {
            let caps = regex.as_ref()?.captures(s)?;
            weekday_number(caps.name("weekday")?.as_str())
        };
        let weekday =
            named(&cues.weekday_after, after).or_else(|| named(&cues.weekday_before, before))?;
        (floor..floor + 12).find(|&y| {
            NaiveDate::from_ymd_opt(y, *month, *day)
                .is_some_and(|d| d.weekday().num_days_from_monday() == weekday)
        })
    })
}
