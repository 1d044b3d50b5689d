//! Stage 4's shared vocabulary: a [`Mention`] is a span of the text that names
//! an entity or a time, with the rule that found it. Taggers propose
//! candidates; [`resolve_overlaps`] keeps a non-overlapping set with one
//! policy, written once: the longest span wins, then the earliest, then the
//! rule listed first.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::dates::TimeExpr;
use crate::span::Span;

/// What a mention names.
#[derive(Clone, Debug, PartialEq)]
pub enum MentionKind {
    /// A gazetteer entity (index into `Gazetteer::entities`).
    Entity(usize),
    /// A name the gazetteer does not know (output as kind `unknown`).
    Name(Arc<str>),
    /// A time expression, boxed: most mentions are entities, and inline it
    /// would make every mention nearly twice as large (a long text has
    /// millions of mentions).
    Time(Box<Time>),
}

/// A time expression, not yet resolved, and the qualifier after it
/// (`起` → `from`) with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Time {
    /// The expression as matched.
    pub expr: TimeExpr,
    /// `from`, `before`, … and the span of the qualifier word.
    pub qualifier: Option<(Arc<str>, Span)>,
}

/// One mention in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// The bytes naming the entity or time (without any qualifier).
    pub span: Span,
    /// The sentence it lies in.
    pub sentence: usize,
    /// What it names.
    pub kind: MentionKind,
    /// The id of the rule that found it (`entity.gazetteer`, `date.ymd`).
    pub rule: Arc<str>,
    /// Rule order, for the overlap policy (lower wins ties).
    pub priority: usize,
}

impl Mention {
    /// True for entity mentions.
    pub fn is_entity(&self) -> bool {
        matches!(self.kind, MentionKind::Entity(_) | MentionKind::Name(_))
    }

    /// True for time mentions.
    pub fn is_time(&self) -> bool {
        matches!(self.kind, MentionKind::Time(_))
    }
}

/// The entity mentions starting inside `span`, in text order (`mentions`
/// is, as [`resolve_overlaps`] leaves it).
pub fn entities_in(mentions: &[Mention], span: Span) -> impl Iterator<Item = usize> + '_ {
    let first = mentions.partition_point(|m| m.span.start < span.start);
    (first..mentions.len())
        .take_while(move |&m| mentions[m].span.start < span.end)
        .filter(|&m| mentions[m].is_entity())
}

/// Keeps the mentions that win under the overlap policy (longest, then
/// earliest, then lowest priority), returned sorted by position. Works in
/// place: a long text has millions of candidates, and a second vector of
/// the kept ones would double the largest structure of the run.
///
/// Candidates fall into clusters that overlap nothing outside themselves
/// (mostly a name or a date alone); the policy decides each cluster
/// alone, so clusters are decided in parallel, with the result of deciding
/// all candidates at once.
pub fn resolve_overlaps(mut candidates: Vec<Mention>) -> Vec<Mention> {
    // Stable: candidates with the same start keep their order, which
    // decides between otherwise equal ones below, as a single sort would.
    candidates.par_sort_by_key(|m| m.span.start);
    let mut clusters: Vec<&mut [Mention]> = Vec::new();
    let mut rest = candidates.as_mut_slice();
    while !rest.is_empty() {
        let mut end = rest[0].span.end;
        let len = rest
            .iter()
            .position(|m| {
                let apart = m.span.start >= end;
                end = end.max(m.span.end);
                apart
            })
            .unwrap_or(rest.len())
            .max(1);
        let (cluster, tail) = std::mem::take(&mut rest).split_at_mut(len);
        clusters.push(cluster);
        rest = tail;
    }
    let kept: Vec<(usize, usize)> = clusters
        .into_par_iter()
        .with_min_len(1024)
        .map(|cluster| (cluster.len(), keep_winners(cluster)))
        .collect();
    // Each cluster's winners are at its front: close the gaps.
    let (mut read, mut write) = (0, 0);
    for (len, winners) in kept {
        for i in read..read + winners {
            candidates.swap(write, i);
            write += 1;
        }
        read += len;
    }
    candidates.truncate(write);
    candidates.shrink_to_fit();
    candidates
}

/// Decides one cluster: moves its winners to its front, sorted by
/// position, and returns how many there are.
fn keep_winners(cluster: &mut [Mention]) -> usize {
    if cluster.len() == 1 {
        return 1;
    }
    cluster.sort_by(|a, b| {
        b.span
            .len()
            .cmp(&a.span.len())
            .then(a.span.start.cmp(&b.span.start))
            .then(a.priority.cmp(&b.priority))
    });
    // Kept spans ordered by start, for an O(log n) overlap check and an
    // O(log n) insertion (a sorted Vec's insert made this quadratic on a
    // long text with a million mentions).
    let mut taken: BTreeSet<(usize, usize)> = BTreeSet::new();
    let keep: Vec<bool> = cluster
        .iter()
        .map(|m| {
            let span = |&(start, end): &(usize, usize)| Span::new(start, end);
            let at = (m.span.start, 0);
            let clashes_before = taken
                .range(..at)
                .next_back()
                .is_some_and(|s| span(s).overlaps(m.span));
            let clashes_after = taken
                .range(at..)
                .next()
                .is_some_and(|s| span(s).overlaps(m.span));
            let kept = !clashes_before && !clashes_after;
            if kept {
                taken.insert((m.span.start, m.span.end));
            }
            kept
        })
        .collect();
    let mut winners = 0;
    for (i, kept) in keep.into_iter().enumerate() {
        if kept {
            cluster.swap(winners, i);
            winners += 1;
        }
    }
    cluster[..winners].sort_by_key(|m| (m.span.start, m.span.end));
    winners
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: usize, end: usize, priority: usize) -> Mention {
        Mention {
            span: Span::new(start, end),
            sentence: 0,
            kind: MentionKind::Entity(priority),
            rule: "t".into(),
            priority,
        }
    }

    #[test]
    fn longest_then_earliest_then_rule_order() {
        let kept = resolve_overlaps(vec![
            m(0, 6, 0),
            m(0, 12, 1),
            m(9, 15, 0),
            m(12, 18, 3),
            m(12, 18, 2),
        ]);
        let spans: Vec<_> = kept
            .iter()
            .map(|k| (k.span.start, k.span.end, k.priority))
            .collect();
        assert_eq!(spans, vec![(0, 12, 1), (12, 18, 2)]);
    }

    /// The policy applied the plain way: every candidate in policy order,
    /// kept unless it overlaps one kept before.
    fn reference(mut candidates: Vec<Mention>) -> Vec<Mention> {
        candidates.sort_by_key(|m| (std::cmp::Reverse(m.span.len()), m.span.start, m.priority));
        let mut kept: Vec<Mention> = Vec::new();
        for m in candidates {
            if !kept.iter().any(|k| k.span.overlaps(m.span)) {
                kept.push(m);
            }
        }
        kept.sort_by_key(|m| (m.span.start, m.span.end));
        kept
    }

    proptest::proptest! {
        /// Deciding clusters alone (and in parallel) keeps what deciding
        /// all candidates at once keeps, equal candidates included: the
        /// entity id tells which of two equal ones won.
        #[test]
        fn clusters_decide_as_the_whole_would(
            raw in proptest::collection::vec((0usize..60, 1usize..8, 0usize..3), 0..200)
        ) {
            let candidates: Vec<Mention> = raw
                .iter()
                .enumerate()
                .map(|(id, &(start, len, priority))| Mention {
                    kind: MentionKind::Entity(id),
                    ..m(start, start + len, priority)
                })
                .collect();
            proptest::prop_assert_eq!(resolve_overlaps(candidates.clone()), reference(candidates));
        }
    }
}
