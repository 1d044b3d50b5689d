//! Stage 4's shared vocabulary: a [`Mention`] is a span of the text that names
//! an entity or a time, with the rule that found it. Taggers propose
//! candidates; [`resolve_overlaps`] keeps a non-overlapping set with one
//! policy, written once: the longest span wins, then the earliest, then the
//! rule listed first.

use std::collections::BTreeSet;
use std::sync::Arc;

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

/// Keeps the mentions that win under the overlap policy (longest, then
/// earliest, then lowest priority), returned sorted by position. Works in
/// place: a long text has millions of candidates, and a second vector of
/// the kept ones would double the largest structure of the run.
pub fn resolve_overlaps(mut candidates: Vec<Mention>) -> Vec<Mention> {
    candidates.sort_by(|a, b| {
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
    let keep: Vec<bool> = candidates
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
    drop(taken);
    let mut keep = keep.into_iter();
    candidates.retain(|_| keep.next() == Some(true));
    candidates.shrink_to_fit();
    candidates.sort_by_key(|m| (m.span.start, m.span.end));
    candidates
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
}
