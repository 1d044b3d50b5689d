//! Stage 4b: time expressions, in HeidelTime's two phases.
//!
//! Matching ([`DateTagger::tag`]) turns text into a [`TimeExpr`] that may be
//! relative or underspecified (今年三月 → this year, March). Resolution
//! ([`resolve`]) fills it in against the publication date and the last
//! explicit time of the story, giving a [`TimeValue`] printed as ISO 8601
//! (`2024`, `2024-09`, `2024-09-12`, `2024-Q2`, `2024-H1`, `2023/2024`).
//!
//! Patterns and lookup tables live in `rules/dates.toml`; normalization is
//! keyed by capture-group name, so no rule carries code.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};
use chrono::{Datelike, Duration, NaiveDate};
use regex::{Captures, Regex};
use regex_syntax::hir::Hir;

use crate::error::{Error, Result};
use crate::mention::{Mention, MentionKind, Time};
use crate::publication;
use crate::rules::{RuleSet, line_of, pattern, schema::DatesFile};
use crate::segment::Sentence;
use crate::span::Span;

/// The capture groups the normalizer understands.
pub const GROUPS: &[&str] = &[
    "year",
    "year2",
    "month",
    "day",
    "month2",
    "day2",
    "rel_year",
    "years_ago",
    "same_year",
    "same_month",
    "rel_month",
    "rel_week",
    "weekday",
    "rel_quarter",
    "days_later",
    "months_later",
    "rel_day",
    "anchor_day",
    "festival",
    "lunar",
    "approx",
    "mod",
    "quarter",
    "half",
];

/// Which year an expression means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YearRef {
    /// Written out: 2021年.
    Abs(i32),
    /// Relative to the publication year: 今年 0, 去年 -1, 三年前 -3.
    Rel(i32),
    /// The year of the last explicit time in the story, shifted: 同年 0, 次年 1.
    Anchored(i32),
    /// Not given (9月4日): the sentence's own year if it names one, else the
    /// publication year.
    Implicit,
}

/// Which month an expression means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MonthRef {
    /// Written out.
    Abs(u32),
    /// Months from the last explicit time: 同月/当月 0, 次月 +1.
    Anchored(i32),
    /// Relative to the publication month: 上月 -1, 本月 0.
    Rel(i32),
    /// Not given (20日): the sentence's own month, else the publication month.
    Implicit,
}

/// A part of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Quarter 1–4.
    Quarter(u8),
    /// Half 1–2.
    Half(u8),
}

impl Part {
    /// The first month of the quarter or half.
    pub fn first_month(self) -> u32 {
        match self {
            Part::Quarter(q) => 3 * (q as u32 - 1) + 1,
            Part::Half(h) => 6 * (h as u32 - 1) + 1,
        }
    }
}

/// What a day shift counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The publication date: 昨天, 今天.
    Published,
    /// The last explicit day of the story: 次日, 当天, 此前一天.
    Previous,
}

/// A matched time expression, before resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeExpr {
    /// A year with an optional month/day or part.
    Calendar {
        /// The year.
        year: YearRef,
        /// The month, if given.
        month: Option<MonthRef>,
        /// The day, if given.
        day: Option<u32>,
        /// A quarter or half, if given.
        part: Option<Part>,
        /// The last day of a span of days (1月14日至17日, 9月20日—9月26日):
        /// its month when written, and its day.
        until: Option<(Option<u32>, u32)>,
    },
    /// A span of whole years: 2023至2024年.
    YearRange(i32, i32),
    /// A day counted from an anchor.
    DayShift(Anchor, i32),
    /// A lunar feast (春节, 除夕, 元宵节) in a year: a per-year table gives
    /// 春节, and the feast lies `offset` days from it.
    Lunar {
        /// The year.
        year: YearRef,
        /// Days from 春节 (除夕 -1, 元宵节 +14).
        offset: i32,
        /// Gregorian (month, day) of the feast, per year.
        days: Arc<BTreeMap<i32, (u32, u32)>>,
    },
    /// A quarter counted from the story's recent quarter, else the
    /// publication's: 本季度 is `RelQuarter(0)`, 上季度 `RelQuarter(-1)`.
    RelQuarter(i32),
    /// Near publication, no calendar value (近日, 日前): marked approximate,
    /// never given an invented day.
    Approx,
    /// A day of a week counted from the publication week: 上周六 is
    /// `Weekday { week: -1, day: 5 }` (days from Monday, 0–6).
    Weekday {
        /// Weeks from the publication week.
        week: i32,
        /// Days from Monday.
        day: u32,
    },
}

/// A resolved time at the granularity the text gives. `year` is `None` when
/// nothing could anchor it (no publication date), and prints as `XXXX`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeValue {
    /// The year.
    pub year: Option<i32>,
    /// The month.
    pub month: Option<u32>,
    /// The day.
    pub day: Option<u32>,
    /// A quarter or half.
    pub part: Option<Part>,
    /// The end of a range.
    pub end: Option<RangeEnd>,
}

/// Where a range ends: 2023至2024年 ends with a year, 1月14日至17日 with a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeEnd {
    /// The last year of a span of years.
    Year(i32),
    /// The last day of a span of days.
    Day(NaiveDate),
}

impl TimeValue {
    pub(crate) fn year(year: Option<i32>) -> Self {
        TimeValue {
            year,
            month: None,
            day: None,
            part: None,
            end: None,
        }
    }

    fn from_date(d: NaiveDate) -> Self {
        TimeValue {
            month: Some(d.month()),
            day: Some(d.day()),
            ..TimeValue::year(Some(d.year()))
        }
    }

    /// The ISO 8601 form (see OUTPUT.md).
    pub fn value(&self) -> String {
        let y = self.year.map_or("XXXX".to_string(), |y| format!("{y:04}"));
        match self.end {
            Some(RangeEnd::Year(end)) => return format!("{y}/{end:04}"),
            Some(RangeEnd::Day(end)) => {
                let start = TimeValue { end: None, ..*self };
                return format!("{}/{}", start.value(), end.format("%Y-%m-%d"));
            }
            None => {}
        }
        match (self.month, self.day, self.part) {
            (Some(m), Some(d), _) => format!("{y}-{m:02}-{d:02}"),
            (Some(m), None, _) => format!("{y}-{m:02}"),
            (None, _, Some(Part::Quarter(q))) => format!("{y}-Q{q}"),
            (None, _, Some(Part::Half(h))) => format!("{y}-H{h}"),
            _ => y,
        }
    }

    /// `year`, `half`, `quarter`, `month`, `day` or `range`.
    pub fn granularity(&self) -> &'static str {
        match (self.end, self.month, self.day, self.part) {
            (Some(_), ..) => "range",
            (_, Some(_), Some(_), _) => "day",
            (_, Some(_), None, _) => "month",
            (_, None, _, Some(Part::Quarter(_))) => "quarter",
            (_, None, _, Some(Part::Half(_))) => "half",
            _ => "year",
        }
    }

    /// The first day the value covers.
    pub fn first_day(&self) -> Option<NaiveDate> {
        let month = self.month.or(self.part.map(Part::first_month)).unwrap_or(1);
        NaiveDate::from_ymd_opt(self.year?, month, self.day.unwrap_or(1))
    }

    /// The last day the value covers.
    pub fn last_day(&self) -> Option<NaiveDate> {
        let year = match self.end {
            Some(RangeEnd::Day(end)) => return Some(end),
            Some(RangeEnd::Year(end)) => end,
            None => self.year?,
        };
        if let Some(d) = self.date() {
            return Some(d);
        }
        let last_month = match (self.month, self.part) {
            (Some(m), _) => m,
            (None, Some(p)) => p.first_month() + if matches!(p, Part::Quarter(_)) { 2 } else { 5 },
            (None, None) => 12,
        };
        let next = if last_month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, last_month + 1, 1)
        };
        next.and_then(|d| d.pred_opt())
    }

    /// The date when the value names a whole day.
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }
}

/// Fills in `expr`. `published` anchors 今年/昨天/上月; `previous` (the last
/// resolved time of the story) anchors 同年/次日; `context` is an earlier
/// time of the same sentence with an explicit year (2023年3月和5月).
pub fn resolve(
    expr: &TimeExpr,
    published: Option<NaiveDate>,
    previous: Option<&TimeValue>,
    context: Option<&TimeValue>,
) -> Option<TimeValue> {
    match expr {
        TimeExpr::YearRange(from, to) => Some(TimeValue {
            end: Some(RangeEnd::Year(*to)),
            ..TimeValue::year(Some(*from))
        }),
        TimeExpr::DayShift(Anchor::Published, days) => Some(TimeValue::from_date(
            published? + Duration::days(*days as i64),
        )),
        TimeExpr::DayShift(Anchor::Previous, days) => Some(TimeValue::from_date(
            previous?.date()? + Duration::days(*days as i64),
        )),
        TimeExpr::Approx => None,
        TimeExpr::RelQuarter(n) => {
            let p = published?;
            // An earnings report's 本季度 is the quarter it reports on, often
            // the one before publication: a recent time of the story (within
            // half a year before publication) gives the base quarter.
            let index = |d: NaiveDate| d.year() * 4 + (d.month0() / 3) as i32;
            let recent = previous
                .and_then(TimeValue::first_day)
                .filter(|&d| d <= p && p - d <= Duration::days(183));
            let quarter = index(recent.unwrap_or(p)) + n;
            Some(TimeValue {
                part: Some(Part::Quarter(quarter.rem_euclid(4) as u8 + 1)),
                ..TimeValue::year(Some(quarter.div_euclid(4)))
            })
        }
        TimeExpr::Weekday { week, day } => {
            let p = published?;
            let monday = p - Duration::days(p.weekday().num_days_from_monday() as i64);
            Some(TimeValue::from_date(
                monday + Duration::days(7 * *week as i64 + *day as i64),
            ))
        }
        TimeExpr::Lunar { year, offset, days } => {
            let date_in = |y: i32| {
                let (m, d) = *days.get(&y)?;
                Some(NaiveDate::from_ymd_opt(y, m, d)? + Duration::days(*offset as i64))
            };
            let y = match (year, context.and_then(|c| c.year), published) {
                (YearRef::Implicit, None, Some(p)) => {
                    nearest_year(p, |y| date_in(y).map(|d| (d, d)))?
                }
                _ => year_of(year, published, previous, context)?,
            };
            Some(TimeValue::from_date(date_in(y)?))
        }
        TimeExpr::Calendar {
            year: year_ref,
            month: month_ref,
            day,
            part,
            until,
        } => {
            let mut year = year_of(year_ref, published, previous, context);
            let month = match month_ref {
                Some(MonthRef::Abs(m)) => Some(*m),
                Some(MonthRef::Anchored(n)) => {
                    let p = previous?;
                    let (y, m) = shift_month(p.year?, p.month?, *n);
                    year = Some(y);
                    Some(m)
                }
                Some(MonthRef::Rel(n)) => {
                    let p = published?;
                    let (y, m) = shift_month(p.year(), p.month(), *n);
                    year = Some(y);
                    Some(m)
                }
                Some(MonthRef::Implicit) => match context.and_then(|c| c.month) {
                    Some(m) => Some(m),
                    None => {
                        let p = published?;
                        year = Some(p.year());
                        Some(p.month())
                    }
                },
                None => None,
            };
            // 12月 or 第四季度 in a March article most likely means last
            // year's; 9月12日 in a September one, this year's.
            let written_month = matches!(month_ref, Some(MonthRef::Abs(_)));
            if let (YearRef::Implicit, None, Some(p)) =
                (year_ref, context.and_then(|c| c.year), published)
                && (written_month || part.is_some())
            {
                let period = |y: i32| {
                    let value = TimeValue {
                        month,
                        day: *day,
                        part: *part,
                        ..TimeValue::year(Some(y))
                    };
                    value.first_day().zip(value.last_day())
                };
                year = nearest_year(p, period).or(year);
                // A date yet to come in the year after the story's last
                // time is in the story's year: 3月29日 after 去年2月18日 in
                // a February article; 一月 after 今年 in a year-end review
                // published on 12月30日. A month without a day goes back
                // only to the publication year (一月 alone, so near the new
                // year, is next year's).
                if let (Some(y), Some(prev)) = (year, previous.and_then(|v| v.year))
                    && prev == y - 1
                    && period(y).is_some_and(|(first, _)| first > p)
                    && (day.is_some() || prev == p.year())
                {
                    year = Some(prev);
                }
            }
            if let (Some(y), Some(m), Some(d)) = (year, month, *day) {
                NaiveDate::from_ymd_opt(y, m, d)?;
            }
            let value = TimeValue {
                month,
                day: *day,
                part: *part,
                ..TimeValue::year(year)
            };
            match until {
                None => Some(value),
                // The span ends later the same year, or, past December,
                // early the next (12月28日至1月3日).
                Some((end_month, end_day)) => {
                    let start = value.date()?;
                    let end_month = end_month.unwrap_or(start.month());
                    let year = if end_month < start.month() {
                        start.year() + 1
                    } else {
                        start.year()
                    };
                    let end = NaiveDate::from_ymd_opt(year, end_month, *end_day)
                        .filter(|end| *end > start)?;
                    Some(TimeValue {
                        end: Some(RangeEnd::Day(end)),
                        ..value
                    })
                }
            }
        }
    }
}

/// For a date written without its year: of last year's, this year's and next
/// year's period (first and last day), the one nearest the publication
/// date, a future one counting double (news reports the past more than it
/// announces).
fn nearest_year(
    published: NaiveDate,
    period: impl Fn(i32) -> Option<(NaiveDate, NaiveDate)>,
) -> Option<i32> {
    let y = published.year();
    let distance = |(first, last): (NaiveDate, NaiveDate)| {
        if published < first {
            2 * (first - published).num_days()
        } else {
            (published - last).num_days().max(0)
        }
    };
    (y - 1..=y + 1)
        .filter_map(|c| period(c).map(|p| (c, distance(p))))
        .min_by_key(|&(_, d)| d)
        .map(|(c, _)| c)
}

/// The (year, month) `n` months after `month` (1–12) of `year`.
fn shift_month(year: i32, month: u32, n: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 + n;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// The year a `YearRef` names, when something anchors it.
fn year_of(
    year: &YearRef,
    published: Option<NaiveDate>,
    previous: Option<&TimeValue>,
    context: Option<&TimeValue>,
) -> Option<i32> {
    match year {
        YearRef::Abs(y) => Some(*y),
        YearRef::Rel(n) => published.map(|d| d.year() + n),
        YearRef::Anchored(n) => previous.and_then(|p| p.year).map(|y| y + n),
        YearRef::Implicit => context.and_then(|c| c.year).or(published.map(|d| d.year())),
    }
}

struct DateRule {
    id: Arc<str>,
    regex: Regex,
    not_before: Vec<String>,
    clause_start: bool,
}

impl DateRule {
    /// Matches of the rule in the part `within` of `text` that are dates:
    /// not inside a longer number (12024年), not followed by a `not_before`
    /// word (7日内), and opening a clause where the rule asks for it. Each
    /// comes with the offset in `text` of the haystack its captures index
    /// (`within.start`).
    fn matches<'t>(
        &'t self,
        text: &'t str,
        within: Range<usize>,
    ) -> impl Iterator<Item = (usize, Captures<'t>)> + 't {
        let offset = within.start;
        let found = self.regex.captures_iter(&text[within]);
        found.map(move |c| (offset, c)).filter(move |(offset, c)| {
            let m = c.get(0).expect("group 0 always matches");
            let after = &text[offset + m.end()..];
            let before = text[..offset + m.start()].chars().next_back();
            let opens = before.is_none_or(opens_time_phrase);
            !before.is_some_and(is_digit)
                && (opens || !self.clause_start)
                && !self
                    .not_before
                    .iter()
                    .any(|w| after.starts_with(w.as_str()))
        })
    }
}

/// Where in a text each date rule can match, so that a rule runs only
/// around the characters every match of it needs (年, 月, 日号, 季度…) rather
/// than over the whole text: most of a news text holds no date.
///
/// A rule qualifies when its syntax shows a small set of required
/// characters ([`pattern::required_chars`]), a longest match, and no
/// look-around (`^`, `\b`). Every match then lies inside the window of that
/// length on either side of one of those characters; overlapping windows are
/// merged, so no match spans two, and with no look-around the regex finds in
/// a window exactly the matches it finds there in the whole text. Other
/// rules run over the whole text.
struct Prefilter {
    /// Every required character of every qualifying rule, one pattern each.
    chars: AhoCorasick,
    /// Pattern → the rules requiring that character.
    rules_of: Vec<Vec<usize>>,
    /// Per rule: its longest match in bytes, or `None` (whole text).
    reach: Vec<Option<usize>>,
}

impl Prefilter {
    fn new(syntax: &[Hir], file: &str) -> Result<Self> {
        let mut rules_of: BTreeMap<char, Vec<usize>> = BTreeMap::new();
        let mut reach = Vec::new();
        for (i, hir) in syntax.iter().enumerate() {
            let props = hir.properties();
            let needs = pattern::required_chars(hir);
            let windowed = props.look_set().is_empty() && props.maximum_len().is_some();
            match needs.filter(|_| windowed) {
                Some(chars) => {
                    for c in chars {
                        rules_of.entry(c).or_default().push(i);
                    }
                    reach.push(props.maximum_len());
                }
                None => reach.push(None),
            }
        }
        let chars = AhoCorasick::new(rules_of.keys().map(|c| c.to_string()))
            .map_err(|e| Error::rule(file, 0, format!("date prefilter: {e}")))?;
        Ok(Prefilter {
            chars,
            rules_of: rules_of.into_values().collect(),
            reach,
        })
    }

    /// Per rule, the byte ranges of `text` to search, in order.
    fn windows(&self, text: &str) -> Vec<Vec<Range<usize>>> {
        let mut out: Vec<Vec<Range<usize>>> = self
            .reach
            .iter()
            .map(|r| match r {
                None => std::iter::once(0..text.len()).collect(),
                Some(_) => Vec::new(),
            })
            .collect();
        // One character pattern never overlaps another: no match is missed.
        for m in self.chars.find_iter(text) {
            for &rule in &self.rules_of[m.pattern().as_usize()] {
                let reach = self.reach[rule].expect("only windowed rules have characters");
                let start = floor_boundary(text, m.end().saturating_sub(reach));
                let end = ceil_boundary(text, m.start() + reach);
                let windows = &mut out[rule];
                match windows.last_mut() {
                    Some(last) if last.end >= start => last.end = last.end.max(end),
                    _ => windows.push(start..end),
                }
            }
        }
        out
    }
}

/// The char boundary of `text` at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The char boundary of `text` at or after `at` (at most its length).
fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Finds time expressions. Built once from `rules/dates.toml`.
pub struct DateTagger {
    rules: Vec<DateRule>,
    prefilter: Prefilter,
    tables: Tables,
    /// Words inside a date's text that narrow it: 底, 上旬.
    modifiers: Suffixes,
    /// Words after a date that relate to it: 起, 以来, 前.
    qualifiers: Suffixes,
    /// The qualifiers saying a time runs up to now (`since`: 以来, 至今).
    up_to_now: Vec<String>,
    /// Signs of when a text was written.
    publication: publication::Cues,
}

/// Words that may follow a date, each with the qualifier it stands for.
struct Suffixes {
    automaton: AhoCorasick,
    values: Vec<Arc<str>>,
}

impl Suffixes {
    fn new(table: &BTreeMap<String, String>, file: &str, what: &str) -> Result<Self> {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Anchored)
            .build(table.keys())
            .map_err(|e| Error::rule(file, 0, format!("{what}: {e}")))?;
        Ok(Suffixes {
            automaton,
            values: table.values().map(|v| v.as_str().into()).collect(),
        })
    }

    /// The word starting exactly at `at`, if any, with its qualifier.
    fn at(&self, text: &str, at: usize) -> Option<(Arc<str>, Span)> {
        let input = aho_corasick::Input::new(text)
            .range(at..)
            .anchored(aho_corasick::Anchored::Yes);
        let m = self.automaton.find(input)?;
        Some((
            self.values[m.pattern().as_usize()].clone(),
            Span::new(m.start(), m.end()),
        ))
    }
}

struct Tables {
    rel_year: BTreeMap<String, i32>,
    rel_month: BTreeMap<String, i32>,
    anchor_year: BTreeMap<String, i32>,
    anchor_month: BTreeMap<String, i32>,
    rel_week: BTreeMap<String, i32>,
    rel_quarter: BTreeMap<String, i32>,
    rel_day: BTreeMap<String, i32>,
    anchor_day: BTreeMap<String, i32>,
    festival: BTreeMap<String, (u32, u32)>,
    spring_festival: Arc<BTreeMap<i32, (u32, u32)>>,
    lunar: BTreeMap<String, i32>,
}

impl DateTagger {
    /// Compiles the rules and checks every example and `not` entry.
    pub fn new(rules: &RuleSet) -> Result<Self> {
        let file = &rules.files.dates;
        let text = &rules.files.dates_text;
        let d: &DatesFile = &rules.dates;
        let festival = d
            .festival
            .iter()
            .map(|(k, v)| {
                parse_month_day(v).map(|md| (k.clone(), md)).ok_or_else(|| {
                    Error::rule(
                        file,
                        line_of(text, k),
                        format!("festival {k}: expected MM-DD, got {v:?}"),
                    )
                })
            })
            .collect::<Result<_>>()?;
        let tables = Tables {
            rel_year: d.rel_year.clone(),
            rel_month: d.rel_month.clone(),
            anchor_year: d.anchor_year.clone(),
            anchor_month: d.anchor_month.clone(),
            rel_week: d.rel_week.clone(),
            rel_quarter: d.rel_quarter.clone(),
            rel_day: d.rel_day.clone(),
            anchor_day: d.anchor_day.clone(),
            festival,
            lunar: d.lunar.clone(),
            spring_festival: Arc::new(
                d.spring_festival
                    .iter()
                    .map(|(y, md)| {
                        let parsed = y.parse::<i32>().ok().zip(parse_month_day(md));
                        parsed.ok_or_else(|| {
                            Error::rule(
                                file,
                                line_of(text, y),
                                format!("spring_festival {y}: expected \"YYYY\" = \"MM-DD\""),
                            )
                        })
                    })
                    .collect::<Result<_>>()?,
            ),
        };
        let patterns = pattern::Patterns {
            file,
            file_text: text,
            fragments: &d.fragments,
            groups: GROUPS,
        };
        let mut compiled = Vec::new();
        let mut syntax = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for rule in &d.rule {
            if !ids.insert(rule.id.as_str()) {
                return Err(Error::rule(
                    file,
                    line_of(text, &format!("\"{}\"", rule.id)),
                    format!("duplicate rule id {}", rule.id),
                ));
            }
            let pattern = patterns.compile(&rule.id, &rule.pattern)?;
            compiled.push(DateRule {
                id: rule.id.as_str().into(),
                regex: pattern.regex,
                not_before: rule.not_before.clone(),
                clause_start: rule.clause_start,
            });
            syntax.push(pattern.syntax);
        }
        let tagger = DateTagger {
            prefilter: Prefilter::new(&syntax, file)?,
            rules: compiled,
            tables,
            modifiers: Suffixes::new(&d.modifiers, file, "modifiers")?,
            qualifiers: Suffixes::new(&d.qualifiers, file, "qualifiers")?,
            up_to_now: d
                .qualifiers
                .iter()
                .filter(|(_, q)| q.as_str() == "since")
                .map(|(w, _)| w.clone())
                .collect(),
            publication: publication::Cues::new(&d.publication, &patterns, rules)?,
        };
        tagger.check_examples(rules)?;
        Ok(tagger)
    }

    /// The words saying a time runs up to now (the `since` qualifiers),
    /// right after it or further on in its clause (自2021年9月…以来).
    pub fn up_to_now(&self) -> &[String] {
        &self.up_to_now
    }

    /// The words before a time that make it a period's end (截至9月30日):
    /// `[publication] closed_before`.
    pub fn as_of(&self) -> &[String] {
        self.publication.as_of()
    }

    /// The signs of when a text was written (`[publication]`).
    pub fn publication_cues(&self) -> &publication::Cues {
        &self.publication
    }

    /// Runs every rule's examples and `not` entries; a mismatch is an error
    /// naming the rule, so an EXAMPLE is a test, not a comment.
    fn check_examples(&self, rules: &RuleSet) -> Result<()> {
        let file = &rules.files.dates;
        let text = &rules.files.dates_text;
        let published = NaiveDate::parse_from_str(&rules.dates.example_published, "%Y-%m-%d")
            .map_err(|e| {
                Error::rule(
                    file,
                    line_of(text, "example_published"),
                    format!("example_published: {e}"),
                )
            })?;
        for (rule, raw) in self.rules.iter().zip(&rules.dates.rule) {
            let line = line_of(text, &format!("\"{}\"", raw.id));
            for ex in &raw.examples {
                let got = rule
                    .regex
                    .captures(&ex.text)
                    .filter(|c| c.get(0).is_some_and(|m| m.as_str() == ex.text))
                    .and_then(|c| self.normalize(&c))
                    .and_then(|e| resolve(&e, Some(published), None, None))
                    .map(|v| v.value());
                if got.as_deref() != Some(ex.value.as_str()) {
                    return Err(Error::rule(
                        file,
                        line,
                        format!(
                            "rule {}: example {:?} should give {:?}, gives {:?}",
                            raw.id, ex.text, ex.value, got
                        ),
                    ));
                }
            }
            for not in &raw.not {
                if rule.matches(not, 0..not.len()).next().is_some() {
                    return Err(Error::rule(
                        file,
                        line,
                        format!("rule {}: must not match {not:?}", raw.id),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Candidate time mentions of `text` (all rules; overlaps resolved later).
    pub fn tag(&self, text: &str, sentences: &[Sentence]) -> Vec<Mention> {
        let mut out = Vec::new();
        let windows = self.prefilter.windows(text);
        for (priority, (rule, windows)) in self.rules.iter().zip(windows).enumerate() {
            let found = windows.into_iter().flat_map(|w| rule.matches(text, w));
            // A rule's matches come in text order: their sentences are found
            // by walking the sentences once, not by a search each.
            let mut next_sentence = 0;
            for (offset, caps) in found {
                let m = caps.get(0).expect("group 0 always matches");
                let mut span = Span::new(m.start(), m.end()).shift(offset);
                let Some(expr) = self.normalize(&caps) else {
                    continue;
                };
                // 2024年底: the modifier is part of the date's text; a relation
                // after it (2024年底前) is not, and is the qualifier reported.
                let modifier = self.modifiers.at(text, span.end);
                if let Some((_, ms)) = &modifier {
                    span.end = ms.end;
                }
                // A rule may match the modifier itself (年底 alone).
                let own = caps.name("mod").and_then(|g| {
                    let at = offset + g.start();
                    self.modifiers.at(text, at).or(self.qualifiers.at(text, at))
                });
                let qualifier = self.qualifiers.at(text, span.end).or(modifier).or(own);
                let Some(sentence) = sentence_from(sentences, &mut next_sentence, span) else {
                    continue;
                };
                out.push(Mention {
                    span,
                    sentence,
                    kind: MentionKind::Time(Box::new(Time { expr, qualifier })),
                    rule: rule.id.clone(),
                    priority,
                });
            }
        }
        // 今年年初: 年初 qualifies 今年 and is no date of its own.
        let mut qualifiers: Vec<(Span, Span)> = out
            .iter()
            .filter_map(|m| match &m.kind {
                MentionKind::Time(t) => t.qualifier.as_ref().map(|(_, q)| (*q, m.span)),
                _ => None,
            })
            .collect();
        // By start, so each mention looks only at the qualifiers starting
        // within the longest qualifier's length before it, not at all of them.
        qualifiers.sort_unstable_by_key(|(q, _)| q.start);
        let longest = qualifiers.iter().map(|(q, _)| q.len()).max().unwrap_or(0);
        out.retain(|m| {
            let from = qualifiers.partition_point(|(q, _)| q.start + longest < m.span.start);
            let to = qualifiers.partition_point(|(q, _)| q.start <= m.span.start);
            !qualifiers[from..to]
                .iter()
                .any(|(q, owner)| *owner != m.span && q.contains(m.span))
        });
        out
    }

    /// Turns named groups into a `TimeExpr`; `None` when a value is out of range.
    fn normalize(&self, caps: &Captures) -> Option<TimeExpr> {
        let get = |name: &str| caps.name(name).map(|m| m.as_str());
        let t = &self.tables;
        if let (Some(a), Some(b)) = (get("year"), get("year2")) {
            return Some(TimeExpr::YearRange(parse_year(a)?, parse_year(b)?));
        }
        if let Some(w) = get("rel_day") {
            return Some(TimeExpr::DayShift(Anchor::Published, *t.rel_day.get(w)?));
        }
        if get("approx").is_some() {
            return Some(TimeExpr::Approx);
        }
        if let Some(w) = get("anchor_day") {
            return Some(TimeExpr::DayShift(Anchor::Previous, *t.anchor_day.get(w)?));
        }
        if let Some(n) = get("days_later") {
            return Some(TimeExpr::DayShift(
                Anchor::Previous,
                parse_number(n)? as i32,
            ));
        }
        if let Some(w) = get("rel_quarter") {
            return Some(TimeExpr::RelQuarter(*t.rel_quarter.get(w)?));
        }
        if let (Some(w), Some(d)) = (get("rel_week"), get("weekday")) {
            return Some(TimeExpr::Weekday {
                week: *t.rel_week.get(w)?,
                day: weekday_number(d)?,
            });
        }
        let year = if let Some(y) = get("year") {
            YearRef::Abs(parse_year(y)?)
        } else if let Some(w) = get("rel_year") {
            YearRef::Rel(*t.rel_year.get(w)?)
        } else if let Some(n) = get("years_ago") {
            YearRef::Rel(-(parse_number(n)? as i32))
        } else if let Some(w) = get("same_year") {
            YearRef::Anchored(*t.anchor_year.get(w)?)
        } else if get("same_month").is_some() || get("months_later").is_some() {
            YearRef::Anchored(0)
        } else {
            YearRef::Implicit
        };
        if let Some(feast) = get("lunar") {
            let offset = *t.lunar.get(feast)?;
            let days = t.spring_festival.clone();
            return Some(TimeExpr::Lunar { year, offset, days });
        }
        let (mut month, mut day) = (None, None);
        if let Some(f) = get("festival") {
            let (m, d) = *t.festival.get(&normalize_festival(f))?;
            month = Some(MonthRef::Abs(m));
            day = Some(d);
        }
        if let Some(m) = get("month") {
            month = Some(MonthRef::Abs(month_number(m)?));
        } else if let Some(w) = get("same_month") {
            month = Some(MonthRef::Anchored(*t.anchor_month.get(w)?));
        } else if let Some(n) = get("months_later") {
            month = Some(MonthRef::Anchored(parse_number(n)? as i32));
        } else if let Some(w) = get("rel_month") {
            month = Some(MonthRef::Rel(*t.rel_month.get(w)?));
        } else if day.is_none() && get("day").is_some() {
            month = Some(MonthRef::Implicit);
        }
        if let Some(d) = get("day") {
            day = Some(day_number(d)?);
        }
        let part = if let Some(q) = get("quarter") {
            let q = parse_number(q)?;
            Some(Part::Quarter((1..=4).contains(&q).then_some(q as u8)?))
        } else {
            get("half").map(|h| {
                Part::Half(if h.starts_with('上') || h.starts_with('前') {
                    1
                } else {
                    2
                })
            })
        };
        // A span of days ends on day2 (of month2 when written).
        let until = match get("day2") {
            Some(d2) => {
                let m2 = match get("month2") {
                    Some(m) => Some(month_number(m)?),
                    None => None,
                };
                Some((m2, day_number(d2)?))
            }
            None => None,
        };
        Some(TimeExpr::Calendar {
            year,
            month,
            day,
            part,
            until,
        })
    }
}

/// A day of the week as days from Monday (一 0 … 六 5, 日/天 6).
pub(crate) fn weekday_number(s: &str) -> Option<u32> {
    match s {
        "日" | "天" => Some(6),
        _ => parse_number(s)?.checked_sub(1).filter(|d| *d < 6),
    }
}

/// A month written in digits or Chinese numerals, when it is one (1–12).
fn month_number(s: &str) -> Option<u32> {
    parse_number(s).filter(|m| (1..=12).contains(m))
}

/// A day of the month written in digits or Chinese numerals (1–31).
fn day_number(s: &str) -> Option<u32> {
    parse_number(s).filter(|d| (1..=31).contains(d))
}

/// The index of the sentence containing `span`, as
/// [`sentence_of`](crate::entities::sentence_of) finds
/// it, for spans given in text order: `next` (0 at first) is the first
/// sentence starting after the previous span's start, and moves on.
fn sentence_from(sentences: &[Sentence], next: &mut usize, span: Span) -> Option<usize> {
    while sentences
        .get(*next)
        .is_some_and(|s| s.span.start <= span.start)
    {
        *next += 1;
    }
    let s = sentences.get(next.checked_sub(1)?)?;
    s.span.contains(span).then_some(s.idx)
}

/// Whether a time phrase may start after `c`: a space, punctuation that
/// ends a clause or opens a bracket, or a preposition of time (在两天后).
fn opens_time_phrase(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '，' | ','
                | '。'
                | '；'
                | ';'
                | '：'
                | ':'
                | '！'
                | '!'
                | '？'
                | '?'
                | '（'
                | '('
                | '“'
                | '"'
                | '、'
                | '在'
                | '于'
                | '到'
        )
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Festival keys are stored without separators: `6·18`, `6.18` → `618`.
fn normalize_festival(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '·' | '.' | '．' | '•' | '・'))
        .collect()
}

fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    Some((m.parse().ok()?, d.parse().ok()?))
}

fn parse_year(s: &str) -> Option<i32> {
    let y = parse_number(s)? as i32;
    (1000..=2999).contains(&y).then_some(y)
}

/// Arabic, full-width and Chinese numerals: `2021`, `２０２１`, `二〇二一`,
/// `十二`, `二十七`, `两`.
pub fn parse_number(s: &str) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        match c {
            '0'..='9' => c.to_digit(10),
            '０'..='９' => Some(c as u32 - '０' as u32),
            '〇' | '零' | 'Ｏ' | 'O' | 'o' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        }
    };
    if s.is_empty() {
        return None;
    }
    if let Some((tens, ones)) = s.split_once('十') {
        let tens = if tens.is_empty() {
            1
        } else {
            parse_number(tens)?
        };
        let ones = if ones.is_empty() {
            0
        } else {
            parse_number(ones)?
        };
        return Some(tens * 10 + ones);
    }
    s.chars()
        .try_fold(0u32, |n, c| n.checked_mul(10)?.checked_add(digit(c)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn sentences_walked_in_order_as_searched() {
        let text = "甲乙。丙丁。\n\n戊己。";
        let sentences = crate::segment::sentences(text);
        let mut next = 0;
        for start in 0..text.len() {
            for end in start..text.len() {
                let span = Span::new(start, end);
                let searched = crate::entities::sentence_of(&sentences, span);
                let mut walked = next;
                assert_eq!(sentence_from(&sentences, &mut walked, span), searched);
            }
            sentence_from(&sentences, &mut next, Span::new(start, start));
        }
    }

    #[test]
    fn numerals() {
        for (s, n) in [
            ("2021", 2021),
            ("２０２１", 2021),
            ("二〇二一", 2021),
            ("十二", 12),
            ("二十七", 27),
            ("十", 10),
            ("三十一", 31),
            ("两", 2),
        ] {
            assert_eq!(parse_number(s), Some(n), "{s}");
        }
        assert_eq!(parse_number("x"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn resolution_against_publication_and_story() {
        let pubd = Some(ymd(2024, 9, 6));
        let cal = |year, month, day| TimeExpr::Calendar {
            year,
            month,
            day,
            part: None,
            until: None,
        };
        let v = |e: &TimeExpr, prev: Option<&TimeValue>| {
            resolve(e, pubd, prev, None).map(|v| v.value())
        };
        assert_eq!(
            v(&cal(YearRef::Rel(-1), Some(MonthRef::Abs(11)), None), None).as_deref(),
            Some("2023-11")
        );
        assert_eq!(
            v(
                &cal(YearRef::Implicit, Some(MonthRef::Abs(9)), Some(4)),
                None
            )
            .as_deref(),
            Some("2024-09-04")
        );
        assert_eq!(
            v(&TimeExpr::DayShift(Anchor::Published, -1), None).as_deref(),
            Some("2024-09-05")
        );
        let prev = resolve(
            &cal(YearRef::Abs(2019), Some(MonthRef::Abs(7)), Some(31)),
            pubd,
            None,
            None,
        )
        .unwrap();
        assert_eq!(
            v(
                &cal(YearRef::Anchored(0), Some(MonthRef::Abs(9)), None),
                Some(&prev)
            )
            .as_deref(),
            Some("2019-09")
        );
        assert_eq!(
            v(&TimeExpr::DayShift(Anchor::Previous, 1), Some(&prev)).as_deref(),
            Some("2019-08-01")
        );
        assert_eq!(
            v(&TimeExpr::YearRange(2023, 2024), None).as_deref(),
            Some("2023/2024")
        );
        // Without a publication date the year stays open.
        let open = resolve(
            &cal(YearRef::Rel(0), Some(MonthRef::Abs(5)), None),
            None,
            None,
            None,
        )
        .unwrap();
        assert_eq!(open.value(), "XXXX-05");
        // 2月30日 is no date.
        assert_eq!(
            v(
                &cal(YearRef::Abs(2023), Some(MonthRef::Abs(2)), Some(30)),
                None
            ),
            None
        );
    }

    #[test]
    fn a_span_of_days_is_one_range_ending_on_its_last_day() {
        let e = TimeExpr::Calendar {
            year: YearRef::Implicit,
            month: Some(MonthRef::Abs(12)),
            day: Some(28),
            part: None,
            until: Some((Some(1), 3)),
        };
        let v = resolve(&e, Some(ymd(2024, 1, 10)), None, None).unwrap();
        assert_eq!(
            (v.value().as_str(), v.granularity()),
            ("2023-12-28/2024-01-03", "range")
        );
        assert_eq!(
            (v.first_day(), v.last_day()),
            (Some(ymd(2023, 12, 28)), Some(ymd(2024, 1, 3)))
        );
        // An end before its start in the same month is no range.
        let e = TimeExpr::Calendar {
            year: YearRef::Abs(2023),
            month: Some(MonthRef::Abs(12)),
            day: Some(28),
            part: None,
            until: Some((None, 20)),
        };
        assert_eq!(resolve(&e, None, None, None), None);
    }

    #[test]
    fn parts_print_as_quarters_and_halves() {
        let e = TimeExpr::Calendar {
            year: YearRef::Rel(0),
            month: None,
            day: None,
            part: Some(Part::Quarter(2)),
            until: None,
        };
        let v = resolve(&e, Some(ymd(2024, 9, 6)), None, None).unwrap();
        assert_eq!(
            (v.value().as_str(), v.granularity()),
            ("2024-Q2", "quarter")
        );
        let e = TimeExpr::Calendar {
            year: YearRef::Abs(2024),
            month: None,
            day: None,
            part: Some(Part::Half(1)),
            until: None,
        };
        assert_eq!(resolve(&e, None, None, None).unwrap().value(), "2024-H1");
    }

    /// 本季度 in an earnings report published in August is the quarter the
    /// story just told of (6·18), not August's; with no recent time it is
    /// the publication's. 上季度 in January is last year's fourth.
    #[test]
    fn relative_quarters_follow_the_story_when_recent() {
        let quarter = |n, published, previous: Option<NaiveDate>| {
            let previous = previous.map(TimeValue::from_date);
            resolve(
                &TimeExpr::RelQuarter(n),
                Some(published),
                previous.as_ref(),
                None,
            )
            .map(|v| v.value())
        };
        let aug = ymd(2020, 8, 18);
        assert_eq!(
            quarter(0, aug, Some(ymd(2020, 6, 18))).as_deref(),
            Some("2020-Q2")
        );
        assert_eq!(
            quarter(-1, aug, Some(ymd(2020, 6, 18))).as_deref(),
            Some("2020-Q1")
        );
        assert_eq!(
            quarter(0, aug, Some(ymd(2014, 6, 1))).as_deref(),
            Some("2020-Q3")
        );
        assert_eq!(quarter(0, aug, None).as_deref(), Some("2020-Q3"));
        assert_eq!(
            quarter(-1, ymd(2024, 1, 10), None).as_deref(),
            Some("2023-Q4")
        );
    }
}
