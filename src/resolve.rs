//! Stage 6: resolution. Reads the mentions and events of one document and
//! fills in what needs context beyond a sentence:
//! - every time value (relative ones against the publication date, 同年 and
//!   次日 against the last explicit time of the story);
//! - the parties of back-references (双方 → the two parties of the previous event);
//! - each event's time: its own clause, else its sentence, else its timeline
//!   bullet's leading date, else the previous sentence's when it restates it;
//! - and removes self-pairs, parent–child pairs and repeats within a sentence.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::dates::{Anchor, MonthRef, TimeExpr, TimeValue, YearRef, resolve};
use crate::events::{Event, EventKind, Reference, ReferenceKind, When};
use crate::mention::{Mention, MentionKind};
use crate::rules::Gazetteer;
use crate::segment::{Sentence, Unit};

/// Resolves every time mention in document order; `None` for entities and
/// for times nothing could anchor. `up_to_now_words`: the words, in a time's
/// clause after it, that make it run up to now (以来, 至今). `as_of_words`:
/// the words right before a time that make it a period's end (截至9月30日),
/// no day of the story for 同日 or 次日 to count from.
pub fn times(
    text: &str,
    mentions: &[Mention],
    published: Option<NaiveDate>,
    up_to_now_words: &[String],
    as_of_words: &[String],
) -> Vec<Option<TimeValue>> {
    let mut out = Vec::with_capacity(mentions.len());
    let mut previous: Option<TimeValue> = None;
    let mut previous_month: Option<TimeValue> = None;
    let mut previous_day: Option<TimeValue> = None;
    // The last time of the current sentence that wrote its year out or took
    // it from the story (2017年, 同月): a 618 or 9月 after it in the
    // sentence is in that year. Not 去年: "今年一季度比去年一季度增长，3月份…"
    // stays in the publication year.
    let mut context: Option<(usize, TimeValue)> = None;
    // Whether the last time runs up to now (2021年9月以来, 自2021年9月
    // 工信部要求…以来): the story is then in the present, and keeps no
    // year of its own.
    let mut up_to_now = false;
    // The last time that was a year alone (今年, 2023年), and where it ended.
    let mut last_year: Option<(usize, TimeValue)> = None;
    for m in mentions {
        let MentionKind::Time(time) = &m.kind else {
            out.push(None);
            continue;
        };
        let expr = &time.expr;
        // A date without its year after a time running up to now is in the
        // present: the story's time does not pull it back.
        let yearless = matches!(
            expr,
            TimeExpr::Calendar {
                year: YearRef::Implicit,
                ..
            }
        );
        let in_past_year = previous.as_ref().and_then(|v| v.year) != published.map(|d| d.year());
        let pulls_back = up_to_now && yearless && in_past_year;
        let story = previous.as_ref().filter(|_| !pulls_back);
        // A year alone right before, apart only by a quote or 的, is this
        // date's year (今年“双11”, 去年的618).
        let own_year = last_year
            .as_ref()
            .filter(|(end, _)| yearless && *end <= m.span.start)
            .filter(|(end, _)| {
                let between = &text[*end..m.span.start];
                between
                    .chars()
                    .all(|c| matches!(c, '“' | '"' | '「' | '《' | '的' | ' '))
            })
            .map(|(_, v)| v);
        let here = own_year
            .or(context
                .as_ref()
                .filter(|(s, _)| *s == m.sentence)
                .map(|(_, v)| v))
            .or_else(|| story_year(expr, story, published));
        // 当月 after "2019年12月…年末…" counts from the last time that had
        // a month, not from 年末.
        // 此前一天 after "24日…2021年…" counts from the last day.
        let anchor = match expr {
            TimeExpr::Calendar {
                month: Some(MonthRef::Anchored(_)),
                ..
            } => previous_month.as_ref(),
            TimeExpr::DayShift(Anchor::Previous, _) => previous_day.as_ref(),
            _ => story,
        };
        let value = resolve(expr, published, anchor, here);
        last_year = value
            .as_ref()
            .filter(|v| {
                v.year.is_some() && v.month.is_none() && v.part.is_none() && v.end.is_none()
            })
            .map(|v| (m.span.end, v.clone()));
        if let Some(v) = &value {
            if let TimeExpr::Calendar {
                year: YearRef::Abs(_) | YearRef::Anchored(_),
                ..
            } = expr
            {
                context = Some((m.sentence, v.clone()));
            }
            // 同日 after "6月1日…前一晚…" is 6月1日: a day counted from
            // the story's time does not move it.
            if !matches!(expr, TimeExpr::DayShift(Anchor::Previous, _)) {
                previous = Some(v.clone());
                // Its qualifier (2021年9月以来) or a word further on in its
                // clause (自2021年9月工信部要求…以来).
                let rest = text[m.span.end..]
                    .split(['，', ',', '。', '；', ';'])
                    .next();
                up_to_now =
                    rest.is_some_and(|r| up_to_now_words.iter().any(|w| r.contains(w.as_str())));
                if v.month.is_some() {
                    previous_month = Some(v.clone());
                }
                let as_of = || {
                    let before = text[..m.span.start].trim_end();
                    as_of_words.iter().any(|w| before.ends_with(w.as_str()))
                };
                if v.day.is_some() && !as_of() {
                    previous_day = Some(v.clone());
                }
            }
        }
        out.push(value);
    }
    out
}

/// The story's time, as the context of a month written without a year that
/// follows it closely ("时间回到2021年…当年9月9日…一周多后，9月17日起"):
/// when the story is in another year than the publication, a date up to two
/// months after the story's last time stays in the story's year.
fn story_year<'a>(
    expr: &TimeExpr,
    previous: Option<&'a TimeValue>,
    published: Option<NaiveDate>,
) -> Option<&'a TimeValue> {
    let TimeExpr::Calendar {
        year: YearRef::Implicit,
        month: Some(MonthRef::Abs(month)),
        day,
        ..
    } = expr
    else {
        return None;
    };
    let story = previous.filter(|p| p.month.is_some() && p.year != published.map(|d| d.year()))?;
    let start = NaiveDate::from_ymd_opt(story.year?, *month, day.unwrap_or(1))?;
    let after =
        start >= story.first_day()? && start <= story.last_day()? + chrono::Duration::days(62);
    after.then_some(story)
}

/// Fills the parties of references: 双方 takes the latest earlier event with
/// exactly two parties; 该公司 takes the first fitting party of its own
/// sentence, else the subject of an event in the two sentences before, else
/// the last party named before it. Events with
/// nothing to refer to are dropped.
pub fn backrefs(
    events: Vec<Event>,
    mentions: &[Mention],
    gazetteer: &Gazetteer,
    text: &str,
    refer: &BTreeMap<String, Vec<String>>,
    nearest: &[String],
) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for mut e in events {
        let open = |r: &Reference| match r.kind {
            ReferenceKind::Follow => e.with.is_empty(),
            _ => e.who.is_empty(),
        };
        let Some(Reference { span, kind }) = e.refers.filter(open) else {
            out.push(e);
            continue;
        };
        // Mentions before the reference, nearest first; scans stop early, so
        // a long text with many references stays linear.
        let end = mentions.partition_point(|m| m.span.end <= span.start);
        let before = (0..end).rev().filter(|&m| mentions[m].is_entity());
        let same_sentence: Vec<usize> = before
            .clone()
            .take_while(|&m| mentions[m].sentence == e.sentence)
            .collect();
        match kind {
            ReferenceKind::Subject => {
                let kinds = refer
                    .get(&text[span.range()])
                    .map_or(&[][..], Vec::as_slice);
                let fits = |m: usize| {
                    kinds.is_empty() || kinds.iter().any(|k| k == kind_of(m, mentions, gazetteer))
                };
                // The sentence's first fitting party is its topic: 据中国银行方面介绍，该行…;
                // 其 stands for the nearest one (脱胎于美团的猫眼电影…，其App…).
                let word = &text[span.range()];
                let first_here = if nearest.iter().any(|w| w == word) {
                    same_sentence.iter().copied().find(|&m| fits(m))
                } else {
                    same_sentence.iter().rev().copied().find(|&m| fits(m))
                };
                let recent = || {
                    out.iter()
                        .rev()
                        .take_while(|p| p.sentence + 2 >= e.sentence)
                        .find_map(|p| p.who.first().copied().filter(|&m| fits(m)))
                };
                let Some(who) = first_here
                    .or_else(recent)
                    .or_else(|| before.clone().find(|&m| fits(m)))
                else {
                    continue;
                };
                e.who = vec![who];
            }
            ReferenceKind::Follow => {
                // The nearest earlier connection, in this sentence or the one
                // before, that the follower is not already part of.
                let mine: Vec<&str> = e
                    .who
                    .iter()
                    .map(|&m| name(m, mentions, gazetteer))
                    .collect();
                let led = out
                    .iter()
                    .rev()
                    .take_while(|p| p.sentence + 1 >= e.sentence)
                    .find(|p| {
                        p.kind == EventKind::Connection
                            && !p.with.is_empty()
                            && p.who
                                .iter()
                                .chain(&p.with)
                                .all(|&m| !mine.contains(&name(m, mentions, gazetteer)))
                    });
                let Some(led) = led else { continue };
                e.with = led.with.clone();
                if &*e.how == "cooperation" {
                    e.how = led.how.clone();
                }
            }
            ReferenceKind::Both => {
                // 阿里巴巴入股新浪微博…，双方约定…: two parties named just
                // before in the same sentence are the pair, event or not.
                let two = |ms: &mut dyn Iterator<Item = usize>| {
                    let mut here: Vec<usize> = Vec::new();
                    for m in ms {
                        let n = name(m, mentions, gazetteer);
                        if !here.iter().any(|&h| name(h, mentions, gazetteer) == n) {
                            here.push(m);
                        }
                    }
                    (here.len() == 2).then(|| (vec![here[0]], vec![here[1]]))
                };
                // Failing those, the two parties of the sentence before
                // (顺丰关闭了对菜鸟的数据接口。…双方同意恢复合作), whether or
                // not it told of an event: a dispute, too, has two sides.
                let previous = || {
                    let prev = e.sentence.checked_sub(1)?;
                    let mut ms = before
                        .clone()
                        .skip_while(|&m| mentions[m].sentence == e.sentence)
                        .take_while(|&m| mentions[m].sentence == prev)
                        .filter(|&m| kind_of(m, mentions, gazetteer) != "regulator")
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev();
                    two(&mut ms)
                };
                let named = two(&mut same_sentence.iter().rev().copied());
                let pair = named.or_else(|| {
                    out.iter()
                        .rev()
                        .take_while(|p| p.sentence + 5 >= e.sentence)
                        .find_map(|p| {
                            let names = |ms: &[usize]| -> Vec<&str> {
                                ms.iter().map(|&m| name(m, mentions, gazetteer)).collect()
                            };
                            (p.who.len() == 1
                                && p.with.len() == 1
                                && names(&p.who) != names(&p.with))
                            .then(|| (p.who.clone(), p.with.clone()))
                        })
                });
                let pair = pair.or_else(previous);
                let Some((who, with)) = pair else { continue };
                e.who = who;
                e.with = with;
            }
        }
        out.push(e);
    }
    out
}

/// An event of the default type whose clause says it is like the deal
/// before (达成类似合作) takes the type of the nearest earlier connection
/// within two sentences.
pub fn similar_types(events: &mut [Event], text: &str, similar: &[String]) {
    for i in 1..events.len() {
        let e = &events[i];
        if e.kind != EventKind::Connection
            || &*e.how != "cooperation"
            || !similar
                .iter()
                .any(|w| text[e.clause.range()].contains(w.as_str()))
        {
            continue;
        }
        let earlier = events[..i]
            .iter()
            .rev()
            .take_while(|p| p.sentence + 2 >= e.sentence)
            .find(|p| p.kind == EventKind::Connection && p.sentence < e.sentence)
            .map(|p| p.how.clone());
        if let Some(how) = earlier {
            events[i].how = how;
        }
    }
}

/// Chooses each event's time (see the module docs for the order).
pub fn when(
    events: &mut [Event],
    sentences: &[Sentence],
    mentions: &[Mention],
    text: &str,
    restate: &[String],
    shift: &[String],
    gazetteer: &Gazetteer,
) {
    let times = SentenceTimes::new(mentions, sentences.len());
    // Per sentence with a dated event (a few of a long text's sentences, so
    // maps rather than a slot for every sentence): the time of its last
    // dated event, and the parties of its dated events, for continuations.
    let mut last_when: HashMap<usize, usize> = HashMap::new();
    let mut dated_parties: HashMap<usize, Vec<usize>> = HashMap::new();
    // The parties named in sentence `s` (mentions are in text order).
    let parties_of = |s: usize| -> Vec<usize> {
        crate::mention::entities_in(mentions, sentences[s].span).collect()
    };
    let name = |m: usize| name(m, mentions, gazetteer);
    // Whether sentence `i` opens by restating the one before it (当时…).
    let restates = |i: usize| {
        restate
            .iter()
            .any(|r| text[sentences[i].span.range()].starts_with(r.as_str()))
    };
    // The first sentence of each sentence's line, found once: scanning back
    // per event was quadratic on a long single-line text.
    let mut line_first: Vec<Option<usize>> = vec![None; sentences.len()];
    let mut current: Option<&Sentence> = None;
    for x in sentences {
        if x.first_in_line {
            current = Some(x);
        }
        line_first[x.idx] = current.filter(|f| f.line == x.line).map(|f| f.idx);
    }
    let in_clause = |e: &Event| {
        times
            .of(e.sentence)
            .iter()
            .filter(|&&i| e.clause.contains(mentions[i].span))
            .min_by_key(|&&i| {
                let start = mentions[i].span.start;
                (start > e.trigger.start, start.abs_diff(e.trigger.start))
            })
            .copied()
    };
    // Times that are the own time of some event's clause.
    let own_times: Vec<Option<usize>> = events.iter().map(in_clause).collect();
    let owned: HashSet<usize> = own_times.iter().flatten().copied().collect();
    for (e, own) in events.iter_mut().zip(own_times) {
        if e.earlier {
            continue;
        }
        let s = &sentences[e.sentence];
        let here = times.of(e.sentence);
        let own = own.map(|i| (i, "clause"));
        // 此后, 目前…: the sentence opening with one, or the event's clause
        // having one before its trigger (此后，B…; 优酷、大麦随后跟进), moves
        // time on from what came before it.
        let lead = &text[e.clause.start..e.trigger.start.max(e.clause.start)];
        let clause_shifts = shift.iter().any(|w| lead.contains(w.as_str()));
        let opening = text[s.span.range()].trim_start_matches(['，', ',']);
        let shifts = clause_shifts || shift.iter().any(|w| opening.starts_with(w.as_str()));
        // A time earlier in the sentence, unless the event's own clause
        // moves on from it ("A于2021年启动…，此后，B率先与C实现…"). A time
        // describing a noun of another clause (快手二季度的利润…，而与美团
        // 的合作…) sets no time for the sentence.
        let before = || {
            here.iter()
                .rev()
                // (The event's clause has no time here: `own` comes first.)
                .filter(|&&i| !text[mentions[i].span.end..].starts_with('的'))
                .find(|&&i| mentions[i].span.end <= e.trigger.start)
                .filter(|&&i| !clause_shifts || mentions[i].span.start >= e.clause.start)
                .map(|&i| (i, "sentence"))
        };
        // A timeline entry's leading date covers its sentences, except one
        // that moves time on ("◆2014年3月 …。此后，京东接入微信支付").
        let bullet = || {
            let later = line_first[s.idx] != Some(s.idx);
            if later && shifts {
                return None;
            }
            let first = line_first[s.idx];
            timeline_lead(sentences, first, mentions, &times, text)
                .or_else(|| heading_date(sentences, first?, mentions, &times, text))
                .map(|i| (i, "bullet"))
        };
        // A time opening the next clause ("A与B的打通，则早在今年5月就已
        // 落地"), unless it is another event's own; one deeper in that
        // clause belongs to what the clause tells (随着虾米音乐于…停止服务).
        // Nor when the event's own clause moves time on (A此前已接入B，去年…).
        let after = || {
            if clause_shifts {
                return None;
            }
            let rest = &text[e.clause.end..s.span.end];
            let mark = rest.chars().next()?;
            let next = e.clause.end + mark.len_utf8();
            here.iter()
                .find(|&&i| mentions[i].span.start >= e.trigger.end)
                .filter(|&&i| {
                    let start = mentions[i].span.start;
                    start >= next && text[next..start].chars().count() <= 4
                })
                .filter(|i| !owned.contains(i))
                .map(|&i| (i, "sentence"))
        };
        let restated = || {
            let opens = restates(s.idx);
            let both = e.refers.is_some_and(|r| r.kind == ReferenceKind::Both);
            if !(opens || both) || e.sentence == 0 {
                return None;
            }
            let prev = e.sentence - 1;
            last_when
                .get(&prev)
                .copied()
                .or_else(|| times.of(prev).last().copied())
                .map(|i| (i, "restated"))
        };
        // A sentence going on about a party (or its group) of the previous
        // sentence's dated event shares its time (声明同时提到，…也已能够扫描
        // 支付宝收款码); so does one going on about a party of a dated
        // sentence without events (11月19日，微信发布新规。按照新规，…).
        // Not when it opens by moving time on (此后, 目前).
        let continued = || {
            let prev = e.sentence.checked_sub(1)?;
            // A sentence restating the one before it (当时…) has that one's
            // time, for what goes on from it too.
            let lent = || {
                let earlier = prev.checked_sub(1).filter(|_| restates(prev))?;
                times.of(earlier).last()
            };
            let (before, time) = match last_when.get(&prev) {
                Some(&t) => (dated_parties.get(&prev).cloned().unwrap_or_default(), t),
                None => (parties_of(prev), *times.of(prev).last().or_else(lent)?),
            };
            let same_line = sentences[prev].line == s.line;
            let shared = e
                .who
                .iter()
                .chain(&e.with)
                .any(|&m| before.iter().any(|&p| related(name(m), name(p), gazetteer)));
            // A clause after a semicolon goes on with the same time
            // (上个月，A接入了B；C则与D联手).
            let joined = text[sentences[prev].span.range()].ends_with(['；', ';']);
            // A sentence naming no party that ends on its time introduces
            // what follows (真正的转折出现在去年7月。支付宝宣布…).
            let introduces = || {
                let tail = &text[mentions[time].span.end..sentences[prev].span.end];
                let ends_on_time = tail
                    .trim_matches(|c: char| c.is_whitespace() || "。.！!：:".contains(c))
                    .is_empty();
                ends_on_time && parties_of(prev).is_empty()
            };
            (same_line && !shifts && (shared || joined || introduces()))
                .then_some((time, "continued"))
        };
        if let Some((mention, basis)) = own
            .or_else(before)
            .or_else(bullet)
            .or_else(after)
            .or_else(restated)
            .or_else(continued)
        {
            e.when = Some(When { mention, basis });
            last_when.insert(e.sentence, mention);
            dated_parties
                .entry(e.sentence)
                .or_default()
                .extend(e.who.iter().chain(&e.with));
        }
    }
}

/// The time mentions of each sentence, as one list of mention indices in
/// text order and where each sentence's run of it starts: two flat vectors
/// rather than a vector per sentence (a long text has a million sentences).
struct SentenceTimes {
    /// Indices of the time mentions, in text order.
    times: Vec<usize>,
    /// `starts[s]..starts[s + 1]` is sentence `s`'s part of `times`.
    starts: Vec<usize>,
}

impl SentenceTimes {
    /// `mentions` must be in text order, as `resolve_overlaps` leaves them.
    fn new(mentions: &[Mention], sentences: usize) -> Self {
        let times: Vec<usize> = (0..mentions.len())
            .filter(|&i| mentions[i].is_time())
            .collect();
        let starts = (0..=sentences)
            .map(|s| times.partition_point(|&i| mentions[i].sentence < s))
            .collect();
        SentenceTimes { times, starts }
    }

    /// Sentence `s`'s time mentions, in text order.
    fn of(&self, s: usize) -> &[usize] {
        &self.times[self.starts[s]..self.starts[s + 1]]
    }
}

/// The leading date of a timeline entry: the time that opens the first
/// sentence of a bullet line (`- ◆2021年9月 …`, `【2021年9月】…`), or of any
/// line where it stands before a space or a colon (`2021年9月：…`).
fn timeline_lead(
    sentences: &[Sentence],
    first: Option<usize>,
    mentions: &[Mention],
    times: &SentenceTimes,
    text: &str,
) -> Option<usize> {
    let first = &sentences[first?];
    let &i = times.of(first.idx).first()?;
    let m = &mentions[i];
    let at_start = text[first.span.start..m.span.start]
        .chars()
        .all(|c| matches!(c, '【' | '[' | '（' | '('));
    if !at_start {
        return None;
    }
    let end = match &m.kind {
        MentionKind::Time(time) => time.qualifier.as_ref().map_or(m.span.end, |(_, q)| q.end),
        _ => m.span.end,
    };
    let opens_entry =
        text[end..].starts_with([' ', '\t', '：', ':', '】', ']', '）', ')', '\u{3000}']);
    (first.unit == Unit::Bullet || opens_entry).then_some(i)
}

/// A date standing alone on the line before the entry of sentence `first`
/// (`■ 2022年3月` above `百度网盘上线…`), or closing that one-sentence line
/// in brackets (`1.阿里系应用接入微信支付（9月中旬）` above its story): a
/// timeline whose dates are headings.
fn heading_date(
    sentences: &[Sentence],
    first: usize,
    mentions: &[Mention],
    times: &SentenceTimes,
    text: &str,
) -> Option<usize> {
    let prev = &sentences[first.checked_sub(1)?];
    let &[i] = times.of(prev.idx) else {
        return None;
    };
    let m = &mentions[i].span;
    let alone = text[prev.span.range()].trim() == text[m.range()].trim();
    // A span of days in brackets is a digest's period (一周要闻（9月20日—
    // 9月26日）), no entry's date.
    let period = matches!(
        &mentions[i].kind,
        MentionKind::Time(t) if matches!(
            t.expr,
            TimeExpr::Calendar { until: Some(_), .. } | TimeExpr::YearRange(..)
        )
    );
    let bracketed = !period
        && text[prev.span.start..m.start].ends_with(['（', '('])
        && matches!(text[m.end..prev.span.end].trim(), "）" | ")");
    (prev.first_in_line && prev.line < sentences[first].line && (alone || bracketed)).then_some(i)
}

/// Removes parties that pair with themselves or with their own parent
/// company, and events repeating an earlier one of the same sentence.
pub fn tidy(
    events: Vec<Event>,
    mentions: &[Mention],
    gazetteer: &Gazetteer,
    text: &str,
) -> Vec<Event> {
    // Each event is cleaned on its own (on all threads: a long text has
    // tens of thousands); only the repeat check below reads the others.
    let cleaned: Vec<Option<Event>> = events
        .into_par_iter()
        .with_min_len(256)
        .map(|e| clean(e, mentions, gazetteer, text))
        .collect();
    let key = |x: &Event| {
        let mut names: Vec<&str> = x
            .who
            .iter()
            .chain(&x.with)
            .map(|&m| name(m, mentions, gazetteer))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    };
    let mut out: Vec<Event> = Vec::with_capacity(cleaned.len());
    // Events kept so far, by sentence: a repeat is looked for only among
    // its own sentence's events, not all of them (quadratic on long texts).
    let mut kept: HashMap<usize, Vec<usize>> = HashMap::new();
    for e in cleaned.into_iter().flatten() {
        let repeat = kept.get(&e.sentence).is_some_and(|same| {
            same.iter()
                .any(|&p| out[p].kind == e.kind && key(&out[p]) == key(&e))
        });
        if !repeat {
            kept.entry(e.sentence).or_default().push(out.len());
            out.push(e);
        }
    }
    out
}

/// `e` with its roles cleaned (see [`tidy`]), or `None` when no pairing
/// is left.
fn clean(mut e: Event, mentions: &[Mention], gazetteer: &Gazetteer, text: &str) -> Option<Event> {
    // An event read with a `with` side keeps needing one: emptied by
    // the rules below, it is no connection (not a pairing within `who`).
    let had_with = !e.with.is_empty();
    drop_parents(&mut e.who, mentions, gazetteer, text);
    drop_parents(&mut e.with, mentions, gazetteer, text);
    // One party named twice in a role (“联通支付”（原“沃钱包”）) counts once.
    for role in [&mut e.who, &mut e.with] {
        let mut seen = HashSet::new();
        role.retain(|&m| seen.insert(name(m, mentions, gazetteer)));
    }
    // A party related (same, parent, own product) to every party on the
    // other side pairs with nothing: "爱奇艺、58同城成为百度…联盟成员"
    // keeps 58同城 with 百度 and drops 爱奇艺 (百度's own).
    let names = |role: &[usize]| -> Vec<&str> {
        role.iter().map(|&m| name(m, mentions, gazetteer)).collect()
    };
    let with_names = names(&e.with);
    if !with_names.is_empty() {
        e.who.retain(|&m| {
            let n = name(m, mentions, gazetteer);
            !with_names.iter().all(|&w| related(n, w, gazetteer))
        });
    }
    // A party on both sides (the topic taken for a subject: "淘宝天猫与
    // 小红书合作……跳转至淘宝天猫的店铺") pairs with nothing either.
    let who_names = names(&e.who);
    e.with.retain(|&m| {
        let n = name(m, mentions, gazetteer);
        !who_names.contains(&n) && !who_names.iter().all(|&w| related(w, n, gazetteer))
    });
    let keeps = match e.kind {
        EventKind::Connection => !e.with.is_empty() || (!had_with && e.who.len() >= 2),
        EventKind::Policy => !e.who.is_empty(),
    };
    keeps.then_some(e)
}

/// Two names written with nothing between them are one party, qualified:
/// a company before its own product (中国移动和包) is the product's owner,
/// and an unrelated name right after a party (微信鸿蒙原生版) says which
/// edition it is. Siblings of one group (淘宝天猫) stay two parties.
fn drop_parents(role: &mut Vec<usize>, mentions: &[Mention], gazetteer: &Gazetteer, text: &str) {
    let names: Vec<&str> = role.iter().map(|&m| name(m, mentions, gazetteer)).collect();
    let group = |n: &str| gazetteer.by_name(n).and_then(|e| e.group.as_deref());
    // A group gives way to its member where it is written as the group
    // (阿里巴巴、淘宝), not where a product the gazetteer folds into it is
    // named in its own right (美团团购 is 美团: 美团外卖、美团团购 are two).
    let as_group = |i: usize| {
        let written = &text[mentions[role[i]].span.range()];
        !(written.len() > names[i].len() && written.starts_with(names[i]))
    };
    let parent_of_another =
        |i: usize| as_group(i) && names.iter().any(|&n| group(n) == Some(names[i]));
    let qualifies_previous = |i: usize| {
        i > 0
            && mentions[role[i - 1]].span.end == mentions[role[i]].span.start
            && group(names[i]) != Some(names[i - 1])
            && (group(names[i]).is_none() || group(names[i]) != group(names[i - 1]))
    };
    let keep: Vec<bool> = (0..role.len())
        .map(|i| !parent_of_another(i) && !qualifies_previous(i))
        .collect();
    let mut i = 0;
    role.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// The kind of an entity mention: its gazetteer kind, or `unknown`.
pub(crate) fn kind_of<'a>(m: usize, mentions: &'a [Mention], gazetteer: &'a Gazetteer) -> &'a str {
    match &mentions[m].kind {
        MentionKind::Entity(e) => &gazetteer.entities[*e].kind,
        MentionKind::Name(_) => "unknown",
        MentionKind::Time(_) => "",
    }
}

/// Canonical name of an entity mention (a new name is its own canonical name).
pub fn name<'a>(m: usize, mentions: &'a [Mention], gazetteer: &'a Gazetteer) -> &'a str {
    match &mentions[m].kind {
        MentionKind::Entity(e) => &gazetteer.entities[*e].name,
        MentionKind::Name(n) => n,
        MentionKind::Time(_) => "",
    }
}

/// Same entity, or one is the other's parent group.
pub(crate) fn related(a: &str, b: &str, gazetteer: &Gazetteer) -> bool {
    let group = |n: &str| gazetteer.by_name(n).and_then(|e| e.group.as_deref());
    let (ga, gb) = (group(a), group(b));
    // 微信 and 微信支付: one group's product named after another of its own;
    // 京东支付 and 京东外卖: two named after the group itself.
    let own_product = ga.is_some_and(|g| {
        ga == gb && (a.starts_with(b) || b.starts_with(a) || (a.starts_with(g) && b.starts_with(g)))
    });
    a == b || ga == Some(b) || gb == Some(a) || own_product
}
