//! The one place that turns an event into party pairs, so merging, the CSV
//! rows and the graph edges all agree on who connected with whom.
//!
//! OUTPUT.md: the parties of a connection are `who` × `with`; when `with`
//! is empty, every pair within `who`. A policy event whose regulator acts
//! alone has no pair; it still counts, as one lone party, so the timeline
//! and the CSV keep it.

use crate::output::EventOut;

/// Two parties of one event, by canonical name, in the event's direction;
/// or a lone party (`with` is `None`) for an event that names no pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pair<'a> {
    /// The acting side.
    pub who: &'a str,
    /// The other side, or `None` for a lone party.
    pub with: Option<&'a str>,
}

impl<'a> Pair<'a> {
    /// The canonical names, sorted: the direction-free identity of the pair.
    pub fn parties(&self) -> Vec<&'a str> {
        let mut names: Vec<&str> = std::iter::once(self.who).chain(self.with).collect();
        names.sort_unstable();
        names
    }
}

/// OUTPUT.md's pairing of parties: each of `who` with each of `with`, or,
/// when `with` is empty, every pair within `who`. Answer keys pair their
/// parties the same way (see `eval`).
pub fn cross<T: Clone>(who: &[T], with: &[T]) -> Vec<(T, T)> {
    if with.is_empty() {
        who.iter()
            .enumerate()
            .flat_map(|(i, a)| who[i + 1..].iter().map(move |b| (a.clone(), b.clone())))
            .collect()
    } else {
        who.iter()
            .flat_map(|a| with.iter().map(move |b| (a.clone(), b.clone())))
            .collect()
    }
}

/// The distinct pairs of `event`, in the order its parties are written,
/// without self-pairs (淘宝 and 淘宝网 both being 淘宝) and without repeating
/// one unordered pair. An event with no pair gives its one lone party, if
/// it has exactly one distinct party; otherwise nothing.
pub fn pairs(event: &EventOut) -> Vec<Pair<'_>> {
    let who: Vec<&str> = event.who.iter().map(|p| p.name.as_str()).collect();
    let with: Vec<&str> = event.with.iter().map(|p| p.name.as_str()).collect();
    let candidates = cross(&who, &with);
    let mut out: Vec<Pair> = Vec::new();
    for (a, b) in candidates {
        let pair = Pair {
            who: a,
            with: Some(b),
        };
        if a != b && !out.iter().any(|p| p.parties() == pair.parties()) {
            out.push(pair);
        }
    }
    if out.is_empty() {
        let mut names: Vec<&str> = who.iter().chain(&with).copied().collect();
        names.sort_unstable();
        names.dedup();
        if let [lone] = names[..] {
            out.push(Pair {
                who: lone,
                with: None,
            });
        }
    }
    out
}
