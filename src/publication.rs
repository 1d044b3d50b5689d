//! The publication date, when neither `--published` nor the file name gives
//! it. Every relative time (今年5月, 昨天) and every yearless date (9月12日)
//! is read against it, so its year decides most time values of the text.
//!
//! In order:
//! 1. the latest year the text writes out is the first guess;
//! 2. signs that the text is from a later year move it on: a year reported
//!    whole (2023年全年营收, 截至2024年底, 2023年全国快递业务量完成1320.7
//!    亿件), a relative year beside the year it stands for (三年前，也就是
//!    2015年 → 2018), a milestone: a connection whose month the rules know
//!    (淘宝 opened 微信支付 to all sellers in 2024-09) or the text writes out
//!    elsewhere, dated relatively (去年9月: the article is from 2025; 上个月:
//!    from 2024-10, month and all);
//! 3. a day of the week beside a yearless date (本周一（7月25日）) picks the
//!    first year from there on with that date on that weekday;
//! 4. the date is a dateline's (2024年9月6日电, 8月22日电 in that year), else
//!    the last day of the latest time written out in that year, else of the
//!    latest yearless date in it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::dates::{Anchor, MonthRef, Part, TimeExpr, TimeValue, YearRef, resolve, weekday_number};
use crate::document::Basis;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::mention::{Mention, MentionKind};
use crate::rules::pattern::Patterns;
use crate::rules::schema::PublicationCues;
use crate::rules::{Gazetteer, RuleSet, line_of};
use crate::segment::Sentence;

/// The `[publication]` rules, compiled.
pub struct Cues {
    future: Vec<String>,
    closed_after: Vec<String>,
    closed_before: Vec<String>,
    figures: Option<Regex>,
    apposition: Option<Regex>,
    dateline: Option<Regex>,
    stamp: Option<Regex>,
    weekday_after: Option<Regex>,
    weekday_before: Option<Regex>,
    milestones: Vec<Milestone>,
}

/// A connection, or one party's act, whose month the rules know.
struct Milestone {
    /// Each party's alternatives, canonical names: one or two parties.
    parties: Vec<Vec<String>>,
    /// Words the event's sentence must hold, if any.
    words: Vec<String>,
    year: i32,
    month: u32,
}

/// How far down the page a time stamp (3月12日 10:21) may stand: below the
/// title and a blank line or two, not in the story.
const STAMP_LINES: usize = 3;

/// The year a publication is taken to be in while the times are read only
/// to see how far each lies from it (去年9月 → 1899-09).
pub const PROBE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 12, 31) {
    Some(d) => d,
    None => panic!("1900-12-31 is a date"),
};

impl Cues {
    /// Compiles the cues with the date rules' fragments.
    pub fn new(cues: &PublicationCues, patterns: &Patterns, rules: &RuleSet) -> Result<Self> {
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
            figures: compile("figures", &cues.figures)?,
            apposition: compile("apposition", &cues.apposition)?,
            dateline: compile("dateline", &cues.dateline)?,
            stamp: compile("stamp", &cues.stamp)?,
            weekday_after: compile("weekday_after", &cues.weekday_after)?,
            weekday_before: compile("weekday_before", &cues.weekday_before)?,
            milestones: cues
                .milestone
                .iter()
                .map(|m| milestone(m, rules))
                .collect::<Result<_>>()?,
        })
    }

    /// The words before a time that make it the end of a period looked back
    /// on (截至2024年底, 截至9月30日): `closed_before`.
    pub fn as_of(&self) -> &[String] {
        &self.closed_before
    }
}

/// Checks one `[[publication.milestone]]`: a `YYYY-MM` month and parties
/// the gazetteer knows.
fn milestone(m: &crate::rules::schema::Milestone, rules: &RuleSet) -> Result<Milestone> {
    let (file, text) = (&rules.files.dates, &rules.files.dates_text);
    let error = |msg: String| Error::rule(file, line_of(text, &format!("{:?}", m.month)), msg);
    let month = m
        .month
        .split_once('-')
        .and_then(|(y, mo)| Some((y.parse().ok()?, mo.parse().ok()?)))
        .filter(|&(y, mo)| NaiveDate::from_ymd_opt(y, mo, 1).is_some());
    let Some((year, month)) = month else {
        return Err(error(format!(
            "milestone month: expected YYYY-MM, got {:?}",
            m.month
        )));
    };
    let alternatives = |party: &str| -> Result<Vec<String>> {
        party
            .split('|')
            .map(|name| match rules.gazetteer.by_name(name) {
                Some(_) => Ok(name.to_string()),
                None => Err(error(format!("milestone party {name:?} is no entity name"))),
            })
            .collect()
    };
    if !(1..=2).contains(&m.parties.len()) {
        return Err(error(format!(
            "milestone parties: expected one or two, got {}",
            m.parties.len()
        )));
    }
    Ok(Milestone {
        parties: m
            .parties
            .iter()
            .map(|p| alternatives(p))
            .collect::<Result<_>>()?,
        words: m.words.clone(),
        year,
        month,
    })
}

/// A time mention with its expression.
type Time<'m> = (&'m Mention, &'m TimeExpr);

/// The publication date: the document's own, else what the text shows.
pub fn publication(
    text: &str,
    known: Option<(NaiveDate, Basis)>,
    sentences: &[Sentence],
    mentions: &[Mention],
    events: &Events,
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
    let later = closed_years(text, sentences, &times, cues)
        .chain(apposed_years(text, &times, cues))
        .max();
    let milestone = milestone_year(text, sentences, events, mentions, cues);
    let floor = latest_written.max(later).max(milestone.map(|(y, _)| y));
    let year = floor.map(|y| weekday_year(text, sentences, &times, cues, y).unwrap_or(y));
    let context = TimeValue::year(year);

    let last_line = sentences.last().map_or(0, |s| s.line);
    // 今年3月 is read in the year found so far; other relative times
    // (去年, 昨天) are not read at all.
    let year_end = year.and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31));
    // The first day of the latest time written out with its year: the
    // article was written on it or after (2021年9月，工信部召开…).
    let told = times
        .iter()
        .filter(|(_, e)| written(e))
        .filter_map(|(_, e)| resolve(e, None, None, None)?.first_day())
        .max();
    let mut latest = None;
    for (m, expr) in &times {
        let this_year = year_end.filter(|_| this_years_month(expr));
        let Some(value) = resolve(expr, this_year, None, Some(&context)) else {
            continue;
        };
        let after = &text[m.span.end..sentences[m.sentence].span.end];
        let line = sentences[m.sentence].line;
        let stamped = line <= STAMP_LINES && cues.stamp.as_ref().is_some_and(|r| r.is_match(after));
        let datelined = stamped || cues.dateline.as_ref().is_some_and(|r| r.is_match(after));
        let alone = text[sentences[m.sentence].span.range()].trim() == &text[m.span.range()];
        if let Some(date) = value
            .date()
            .filter(|_| datelined || (alone && (line == 0 || line + 2 >= last_line)))
        {
            // A dateline without its year before a day the text tells of
            // is in a later year (3月12日 10:21 … 2021年9月，工信部召开…).
            let mut date = date;
            while !written(expr) && told.is_some_and(|t| date < t) {
                let Some(next) = date.with_year(date.year() + 1) else {
                    break;
                };
                date = next;
            }
            return Some((date, Basis::Dateline));
        }
        // Failing a dateline: the last day of the latest time the text
        // writes out in the year (2024年9月5日, or 2024年10月 → 2024-10-31),
        // or, when the signs moved the year past every year written out,
        // of the latest yearless month or day in it (3月7日, not 双11 or
        // 年底, which come round every year).
        // A month of this year (今年3月) counts either way.
        // A yearless date the story puts in an earlier year (去年2月…一个
        // 多月后的3月29日) is no day of the publication year.
        let in_past_story = || {
            let i = mentions.partition_point(|x| x.span.start < m.span.start);
            let probed = events.probed.get(i).and_then(Option::as_ref);
            probed
                .and_then(|v| v.year)
                .is_some_and(|y| y < PROBE.year())
        };
        let counts = match latest_written < year {
            true => yearless_month(text, m, expr) && !in_past_story(),
            false => written(expr),
        } || this_years_month(expr);
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
    // A milestone dated from the publication's month (上个月，淘宝开放
    // 微信支付) puts the article in the month after it, at the earliest.
    let month_known = milestone
        .filter(|&(y, _)| Some(y) == year)
        .and_then(|(y, month)| NaiveDate::from_ymd_opt(y, month?, 1));
    let latest = latest.max(month_known.map(|d| (d, false)));
    latest.map(|(d, named_day)| {
        let d = match day_after && named_day {
            true => d.succ_opt().unwrap_or(d),
            false => d,
        };
        (d, Basis::Inferred)
    })
}

/// The events of a text with their times read against [`PROBE`].
pub struct Events<'a> {
    /// The events.
    pub events: &'a [Event],
    /// The value of each time mention, the publication taken as [`PROBE`].
    pub probed: &'a [Option<TimeValue>],
    /// The gazetteer the mentions index.
    pub gazetteer: &'a Gazetteer,
}

/// An event's parties and party pairs (mention indices), its sentence, its
/// probed year and month (the probe's own for 近日, which has none), and its
/// months from the publication's, for a time counted from it.
struct Dated {
    parties: Vec<usize>,
    pairs: Vec<(usize, usize)>,
    sentence: usize,
    year: i32,
    month: u32,
    /// Months from the publication's month when the time counts from it
    /// (本月 0, 上个月 -1; 昨天, 上周六 and 近日 0): the milestone's month
    /// then gives the publication's, whatever the probe reads.
    recent: Option<i32>,
}

/// The publication's year when an event's milestone fell in `year` and
/// `month`: that month moved on by the months the event's time counts back
/// from the publication (本月, 上个月), which gives the publication's month
/// too; else the milestone's year moved on by the probe's distance back, if
/// the probed month is the milestone's.
fn moved_on(
    year: i32,
    month: u32,
    recent: Option<i32>,
    back: i32,
    probed: u32,
) -> Option<(i32, Option<u32>)> {
    match recent {
        Some(k) => {
            let months = year * 12 + month as i32 - 1 - k;
            Some((
                months.div_euclid(12),
                Some(months.rem_euclid(12) as u32 + 1),
            ))
        }
        None => (month == probed).then_some((year + back, None)),
    }
}

/// Months from the publication's month of a time counted from it.
fn recent_months(expr: &TimeExpr) -> Option<i32> {
    match expr {
        TimeExpr::Calendar {
            month: Some(MonthRef::Rel(k)),
            ..
        } => Some(*k),
        TimeExpr::DayShift(Anchor::Published, _) | TimeExpr::Weekday { .. } | TimeExpr::Approx => {
            Some(0)
        }
        _ => None,
    }
}

/// The year the milestones give: an event of a milestone's two parties,
/// in its month, dated against the publication (去年9月, or 9月 read in the
/// publication year) is as far from the milestone's year as its probed
/// value is from [`PROBE`]'s. The text's own events with their year
/// written out are milestones too (2023年9月，抖音商城接入云闪付 … 去年9月
/// 抖音商城接入云闪付后). An event dated from the publication's month (上个
/// 月, 本月, 昨天, 近日) matches its milestone in any month, and gives the
/// publication's month as well. When milestones disagree, the year most of
/// their events give (with the latest such month), the later on a tie.
fn milestone_year(
    text: &str,
    sentences: &[Sentence],
    events: &Events,
    mentions: &[Mention],
    cues: &Cues,
) -> Option<(i32, Option<u32>)> {
    let name = |m: usize| crate::resolve::name(m, mentions, events.gazetteer);
    let matches = |alternatives: &[String], m: usize| {
        let name = name(m);
        let group = events
            .gazetteer
            .by_name(name)
            .and_then(|e| e.group.as_deref());
        alternatives
            .iter()
            .any(|a| a == name || group == Some(a.as_str()))
    };
    // A time mention's year and month as probed, and its months from the
    // publication's if it counts from it (近日 has no probed month: the
    // probe's own stands in).
    let probe = |t: usize| {
        let MentionKind::Time(time) = &mentions[t].kind else {
            return None;
        };
        let recent = recent_months(&time.expr);
        let value = events.probed[t].as_ref();
        match value.and_then(|v| v.year.zip(v.month)) {
            Some((year, month)) => Some((year, month, recent)),
            None => recent.map(|k| (PROBE.year(), PROBE.month(), Some(k))),
        }
    };
    // Each dated event: its pairs, and its year and month as probed.
    let dated: Vec<Dated> = events
        .events
        .iter()
        .filter_map(|event| {
            let (year, month, recent) = probe(event.when.as_ref()?.mention)?;
            Some(Dated {
                parties: event.who.iter().chain(&event.with).copied().collect(),
                pairs: crate::pairs::cross(&event.who, &event.with),
                sentence: event.sentence,
                year,
                month,
                recent,
            })
        })
        .collect();
    // The text's own milestones, by pair (names sorted) and month: a
    // long text has thousands of dated events, so no pairwise comparison.
    let sorted = |x: usize, y: usize| {
        let (a, b) = (name(x), name(y));
        if a <= b { (a, b) } else { (b, a) }
    };
    let mut written: HashMap<(&str, &str, u32), BTreeSet<i32>> = HashMap::new();
    for d in &dated {
        if d.year > PROBE.year() + 10 {
            for &(x, y) in &d.pairs {
                let (a, b) = sorted(x, y);
                written.entry((a, b, d.month)).or_default().insert(d.year);
            }
        }
    }
    // How many years before the publication a probed year lies. A yearless
    // January read against the probe's 31 December falls in the next
    // year; a milestone is past, so it is the probe's year.
    let back = |year: i32| {
        let back = (PROBE.year() - year).max(0);
        ((0..=10).contains(&back) && year <= PROBE.year() + 1).then_some(back)
    };
    let said = |m: &Milestone, sentence: usize| {
        let sentence = &text[sentences[sentence].span.range()];
        m.words.is_empty() || m.words.iter().any(|w| sentence.contains(w.as_str()))
    };
    // Per year: the events voting for it, and the latest publication month
    // a time counted from it gave.
    let mut votes: BTreeMap<i32, (usize, Option<u32>)> = BTreeMap::new();
    let mut vote = |(year, month): (i32, Option<u32>)| {
        let (count, latest) = votes.entry(year).or_default();
        *count += 1;
        *latest = (*latest).max(month);
    };
    // Sentences whose one-party milestones an event has voted for already.
    let mut voted: BTreeSet<(usize, usize)> = BTreeSet::new();
    for d in &dated {
        let Some(back) = back(d.year) else {
            continue;
        };
        // The publication's year a milestone in a month gives this event.
        let by = |year: i32, month: u32| moved_on(year, month, d.recent, back, d.month);
        let known = cues.milestones.iter().enumerate().filter(|(_, m)| {
            let named = match &m.parties[..] {
                [a] => d.parties.iter().any(|&x| matches(a, x)),
                [a, b] => d.pairs.iter().any(|&(x, y)| {
                    (matches(a, x) && matches(b, y)) || (matches(a, y) && matches(b, x))
                }),
                _ => false,
            };
            named && said(m, d.sentence)
        });
        let known: Vec<_> = known
            .filter_map(|(i, m)| {
                let year = by(m.year, m.month)?;
                voted.insert((d.sentence, i));
                Some(year)
            })
            .collect();
        // A month counted from the publication's matches the pair's own
        // milestone in any month; a probed one only in its own.
        let months = match d.recent {
            Some(_) => 1..=12,
            None => d.month..=d.month,
        };
        let mut own = Vec::new();
        for &(x, y) in &d.pairs {
            let (a, b) = sorted(x, y);
            for month in months.clone() {
                let years = written.get(&(a, b, month)).into_iter().flatten();
                own.extend(years.filter_map(|&year| by(year, month)));
            }
        }
        for y in known.into_iter().chain(own) {
            vote(y);
        }
    }
    // A one-party milestone is known by its words, not by a connection: a
    // time in a sentence naming the party and the words dates it, event or
    // not (7月8日，支付宝发布“碰一下”).
    for (t, m) in mentions.iter().enumerate() {
        let Some((year, probed, recent)) = probe(t) else {
            continue;
        };
        let Some(back) = back(year) else {
            continue;
        };
        let sentence = m.sentence;
        let here = mentions.partition_point(|x| x.sentence < sentence)
            ..mentions.partition_point(|x| x.sentence <= sentence);
        for (i, ms) in cues.milestones.iter().enumerate() {
            let [a] = &ms.parties[..] else {
                continue;
            };
            let named = || {
                here.clone()
                    .any(|x| mentions[x].is_entity() && matches(a, x))
            };
            let Some(moved) = moved_on(ms.year, ms.month, recent, back, probed) else {
                continue;
            };
            if !voted.contains(&(sentence, i)) && said(ms, sentence) && named() {
                voted.insert((sentence, i));
                vote(moved);
            }
        }
    }
    votes
        .into_iter()
        .max_by_key(|&(year, (count, _))| (count, year))
        .map(|(year, (_, month))| (year, month))
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

/// Whether a time is a month of the publication year (今年3月).
fn this_years_month(expr: &TimeExpr) -> bool {
    matches!(
        expr,
        TimeExpr::Calendar {
            year: YearRef::Rel(0),
            month: Some(MonthRef::Abs(_)),
            ..
        }
    )
}

/// The years after a year the text reports whole: 2023年全年营收 and
/// 截至2024年底 are written in a later year, as are 2021年第四季度营收 and
/// a whole year's figures (2023年全国快递业务量完成1320.7亿件).
fn closed_years<'a>(
    text: &'a str,
    sentences: &'a [Sentence],
    times: &'a [Time],
    cues: &'a Cues,
) -> impl Iterator<Item = i32> + 'a {
    times.iter().enumerate().filter_map(move |(i, (m, expr))| {
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
        let bare = month.is_none() && part.is_none();
        let whole = bare
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
        // The figures of a bare year (no 以来, 起, 底), up to the sentence's
        // next time and not announced (预计, 有望).
        let figures = || {
            let qualified = matches!(&m.kind, MentionKind::Time(t) if t.qualifier.is_some());
            let end = times
                .get(i + 1)
                .filter(|(next, _)| next.sentence == m.sentence)
                .map_or(sentences[m.sentence].span.end, |(next, _)| next.span.start);
            let stretch = &text[m.span.end..end.max(m.span.end)];
            !qualified
                && !cues.future.iter().any(|w| stretch.contains(w.as_str()))
                && cues.figures.as_ref().is_some_and(|r| r.is_match(stretch))
        };
        (whole || fourth_quarter || as_of_end || (bare && figures())).then_some(y + 1)
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
