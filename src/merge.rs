//! Merging: one connection told several times (a timeline bullet and the
//! body of the same article, or two articles reporting one launch) becomes
//! one [`MergedEvent`] that keeps every mention as evidence.
//!
//! Works on the wire format ([`DocumentOut`]), not on pipeline internals, so
//! saved JSON can be merged as well as fresh output.
//!
//! Each event is split into its party pairs ([`crate::pairs`]). Mentions
//! merge when they have the same unordered parties, kind and `how` type and
//! compatible times ([`Period::compatible`]: one refines the other). Within
//! such a group the most specific mentions are placed first, each founding a
//! merged event unless it refines one already founded; a vaguer or undated
//! mention then joins a merged event whose time it contains, preferring the
//! nearest one told before it in the same article (then after it), else the
//! earliest. So no two merged events of one group have compatible times, the
//! merged `when` is the most specific value told, and an undated mention is
//! undated in the output only when no mention of its group has a date.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::output::{DocumentOut, EventOut, HowOut, PartyOut, SentenceOut, WhenOut};
use crate::pairs::{Pair, pairs};
use crate::period::Period;

/// One connection (or a lone party's act) with every mention of it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MergedEvent {
    /// `m<n>`, the 1-based position in merged order.
    pub id: String,
    /// `connection` or `policy`.
    pub kind: String,
    /// Canonical name of the acting party, as its most specific mention tells it.
    pub who: Vec<String>,
    /// Canonical name of the other party; empty for a lone party.
    pub with: Vec<String>,
    /// The most specific time value of the mentions, or null.
    pub when: Option<String>,
    /// The `how` type shared by every mention.
    pub how: String,
    /// Every mention, by source and position; the first is the one whose
    /// time is `when` (see [`MergedEvent::evidence`]).
    pub mentions: Vec<MentionOut>,
}

/// One telling of a merged event: the event it comes from, restricted to
/// the merged parties.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MentionOut {
    /// The input the event was read from.
    pub source: String,
    /// The event's id in that input's output.
    pub event: String,
    /// The merged event's acting party as written here (every mention of it).
    pub who: Vec<PartyOut>,
    /// The other party as written here.
    pub with: Vec<PartyOut>,
    /// The event's time, or null.
    pub when: Option<WhenOut>,
    /// Type and trigger.
    pub how: HowOut,
    /// The evidence sentence.
    pub sentence: SentenceOut,
    /// The event rule.
    pub rule: String,
}

impl MergedEvent {
    /// The canonical names of the parties, sorted.
    pub fn parties(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .who
            .iter()
            .chain(&self.with)
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        names
    }

    /// The mention that gives the merged time: the first mention.
    pub fn evidence(&self) -> Option<&MentionOut> {
        self.mentions.first()
    }

    /// Chronological order, undated last, then by parties and type.
    fn order(&self, other: &MergedEvent) -> Ordering {
        let when = match (&self.when, &other.when) {
            (Some(a), Some(b)) => Period::parse(a).chronological(&Period::parse(b)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        when.then_with(|| self.parties().cmp(&other.parties()))
            .then_with(|| self.how.cmp(&other.how))
            .then_with(|| self.kind.cmp(&other.kind))
    }
}

/// One pair of one event, ready to merge.
struct Told<'a> {
    doc: usize,
    event: &'a EventOut,
    pair: Pair<'a>,
    period: Option<Period>,
}

impl Told<'_> {
    fn position(&self) -> usize {
        self.event.sentence.span[0]
    }

    /// Most specific first; undated last; then input order.
    fn specificity(&self, other: &Told) -> Ordering {
        let width = |t: &Told| t.period.as_ref().map_or(i64::MAX, Period::width);
        let undated = |t: &Told| t.period.is_none();
        undated(self)
            .cmp(&undated(other))
            .then(width(self).cmp(&width(other)))
            .then_with(|| match (&self.period, &other.period) {
                (Some(a), Some(b)) => a.chronological(b),
                _ => Ordering::Equal,
            })
            .then((self.doc, self.position()).cmp(&(other.doc, other.position())))
    }

    /// Whether this mention can join a merged event founded at `founder`:
    /// an undated mention joins any; a dated one one whose time it contains.
    fn fits(&self, founder: &Told) -> bool {
        match (&self.period, &founder.period) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a.contains(b),
        }
    }
}

/// Merges the events of `docs` into merged events, in chronological order
/// (undated last, then by parties). Deterministic for the same input.
pub fn merge(docs: &[DocumentOut]) -> Vec<MergedEvent> {
    type Key<'a> = (Vec<&'a str>, &'a str, &'a str);
    let mut groups: BTreeMap<Key, Vec<Told>> = BTreeMap::new();
    for (doc, d) in docs.iter().enumerate() {
        for event in &d.events {
            let period = event
                .when
                .as_ref()
                .and_then(|w| w.value.as_deref())
                .map(Period::parse);
            for pair in pairs(event) {
                let key = (pair.parties(), event.kind.as_str(), event.how.kind.as_str());
                groups.entry(key).or_default().push(Told {
                    doc,
                    event,
                    pair,
                    period: period.clone(),
                });
            }
        }
    }
    let mut merged: Vec<MergedEvent> = groups
        .into_values()
        .flat_map(|told| clusters(told).into_iter().filter_map(|c| build(docs, c)))
        .collect();
    merged.sort_by(|a, b| a.order(b));
    for (n, m) in merged.iter_mut().enumerate() {
        m.id = format!("m{}", n + 1);
    }
    merged
}

/// Splits one group's mentions into merged events; each cluster's first
/// mention is its founder, the most specific.
fn clusters(mut told: Vec<Told>) -> Vec<Vec<Told>> {
    told.sort_by(|a, b| a.specificity(b));
    let mut clusters: Vec<Vec<Told>> = Vec::new();
    for t in told {
        let fitting: Vec<usize> = (0..clusters.len())
            .filter(|&c| t.fits(&clusters[c][0]))
            .collect();
        match choose(&t, &clusters, &fitting) {
            Some(c) => clusters[c].push(t),
            None => clusters.push(vec![t]),
        }
    }
    clusters
}

/// Among the fitting clusters: the one with the nearest mention before `t`
/// in its article, else the nearest after it, else the earliest.
fn choose(t: &Told, clusters: &[Vec<Told>], fitting: &[usize]) -> Option<usize> {
    let here = |c: usize| {
        clusters[c]
            .iter()
            .filter(|o| o.doc == t.doc)
            .map(|o| o.position())
            .collect::<Vec<_>>()
    };
    let before = fitting
        .iter()
        .filter_map(|&c| {
            here(c)
                .into_iter()
                .filter(|&p| p <= t.position())
                .max()
                .map(|p| (p, c))
        })
        .max_by_key(|&(p, c)| (p, std::cmp::Reverse(c)));
    let after = fitting
        .iter()
        .filter_map(|&c| {
            here(c)
                .into_iter()
                .filter(|&p| p > t.position())
                .min()
                .map(|p| (p, c))
        })
        .min();
    let earliest = fitting.iter().copied().min_by(|&a, &b| {
        let founder = |c: usize| clusters[c][0].period.as_ref();
        match (founder(a), founder(b)) {
            (Some(x), Some(y)) => x.chronological(y),
            _ => Ordering::Equal,
        }
        .then(a.cmp(&b))
    });
    before.or(after).map(|(_, c)| c).or(earliest)
}

/// A merged event from one cluster, founder first.
fn build(docs: &[DocumentOut], cluster: Vec<Told>) -> Option<MergedEvent> {
    let (founder, rest) = cluster.split_first()?;
    let (who, with) = (founder.pair.who, founder.pair.with);
    let mut rest: Vec<&Told> = rest.iter().collect();
    rest.sort_by_key(|t| (t.doc, t.position(), t.event.id.as_str()));
    let mention = |t: &Told| {
        let e = t.event;
        let on = |name: Option<&str>| {
            e.who
                .iter()
                .chain(&e.with)
                .filter(|p| Some(p.name.as_str()) == name)
                .cloned()
                .collect()
        };
        MentionOut {
            source: docs[t.doc].source.clone(),
            event: e.id.clone(),
            who: on(Some(who)),
            with: on(with),
            when: e.when.clone(),
            how: e.how.clone(),
            sentence: e.sentence.clone(),
            rule: e.rule.clone(),
        }
    };
    Some(MergedEvent {
        id: String::new(),
        kind: founder.event.kind.clone(),
        who: vec![who.to_string()],
        with: with.map(str::to_string).into_iter().collect(),
        when: founder.event.when.as_ref().and_then(|w| w.value.clone()),
        how: founder.event.how.kind.clone(),
        mentions: std::iter::once(founder).chain(rest).map(mention).collect(),
    })
}
