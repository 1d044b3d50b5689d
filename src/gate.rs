//! Which event rules can match a sentence skeleton, and where a match can
//! start, before any of their regexes runs.
//!
//! Event regexes are large (lists, gaps, many alternatives) and an
//! unanchored search reaches so many lazy-DFA states that nearly every byte
//! it reads is a cache miss. Two cheap facts from each rule's syntax avoid
//! most of that, without changing what the rules find:
//!
//! - literals a match cannot do without ([`pattern::required_literals`]:
//!   its trigger words, 通过, 双方, 向|为|给…): a skeleton missing every
//!   literal of one of a rule's clauses cannot match it, and skips it;
//! - the characters a match can start with ([`pattern::first_chars`]: a
//!   party, a quote, a comma, 在…): the rule is then tried anchored at
//!   those offsets only, which a small DFA does quickly (see `events`).
//!
//! One Aho-Corasick pass over the skeleton finds both.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_syntax::hir::Hir;

use crate::rules::pattern;

/// The literals and first characters of every rule, and one automaton
/// over all of them.
pub struct Gate {
    literals: AhoCorasick,
    /// Per literal: the clauses it belongs to. Rules share clauses (their
    /// trigger words come from the same fragments): each is kept once.
    clauses_of: Vec<Vec<usize>>,
    /// Clause count, for the per-skeleton table of where they last occur.
    clause_count: usize,
    /// Per rule: its clauses, one literal of each of which must occur.
    clauses: Vec<Vec<usize>>,
    /// Per rule: which literals (characters) a match can start with, or
    /// `None` when it can start anywhere.
    starts: Vec<Option<Vec<bool>>>,
    /// The literals that are some rule's first character.
    is_start: Vec<bool>,
}

/// What the gate found in one skeleton.
pub struct Scan {
    /// Per clause: where the last occurrence of one of its literals starts.
    last: Vec<Option<usize>>,
    /// Offset and literal of each first character, in text order.
    starts: Vec<(usize, usize)>,
}

impl Gate {
    /// The gate of the rules compiled from `syntax`, in order.
    pub fn new<'h>(syntax: impl IntoIterator<Item = &'h Hir>) -> Result<Self, String> {
        let mut ids: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
        let mut id = |lit: Vec<u8>| {
            let next = ids.len();
            *ids.entry(lit).or_insert(next)
        };
        let mut clauses = Vec::new();
        let mut firsts = Vec::new();
        for hir in syntax {
            let rule: Vec<Vec<usize>> = pattern::required_literals(hir)
                .into_iter()
                .map(|clause| clause.into_iter().map(&mut id).collect())
                .collect();
            clauses.push(rule);
            // A pattern that can match empty is searched as it is.
            let nonempty = hir.properties().minimum_len().is_some_and(|n| n > 0);
            let first = pattern::first_chars(hir).filter(|_| nonempty);
            firsts.push(first.map(|chars| {
                chars
                    .into_iter()
                    .map(|c| id(c.to_string().into_bytes()))
                    .collect::<Vec<usize>>()
            }));
        }
        let len = ids.len();
        let mut clause_ids: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
        let mut clauses_of = vec![Vec::new(); len];
        let clauses = clauses
            .into_iter()
            .map(|rule| {
                let ids = rule.into_iter().map(|mut clause| {
                    clause.sort_unstable();
                    clause.dedup();
                    let next = clause_ids.len();
                    *clause_ids.entry(clause).or_insert(next)
                });
                ids.collect()
            })
            .collect();
        for (clause, &id) in &clause_ids {
            for &lit in clause {
                clauses_of[lit].push(id);
            }
        }
        let mut literals: Vec<(Vec<u8>, usize)> = ids.into_iter().collect();
        literals.sort_by_key(|&(_, id)| id);
        // A few hundred short literals: a full DFA is small and the fastest.
        let literals = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .build(literals.iter().map(|(lit, _)| lit))
            .map_err(|e| e.to_string())?;
        let mut is_start = vec![false; len];
        let starts = firsts
            .into_iter()
            .map(|first| {
                first.map(|ids| {
                    let mut starts = vec![false; len];
                    for id in ids {
                        starts[id] = true;
                        is_start[id] = true;
                    }
                    starts
                })
            })
            .collect();
        Ok(Gate {
            literals,
            clauses_of,
            clause_count: clause_ids.len(),
            clauses,
            starts,
            is_start,
        })
    }

    /// Finds the literals and first characters in the skeleton text `skel`.
    pub fn scan(&self, skel: &str) -> Scan {
        let mut last = vec![None; self.clause_count];
        let mut starts = Vec::new();
        for m in self.literals.find_overlapping_iter(skel) {
            let lit = m.pattern().as_usize();
            for &clause in &self.clauses_of[lit] {
                last[clause] = last[clause].max(Some(m.start()));
            }
            // First characters are single characters: reported in order.
            if self.is_start[lit] {
                starts.push((m.start(), lit));
            }
        }
        Scan { last, starts }
    }

    /// The last offset at which a match of rule `rule` can start in the
    /// scanned skeleton: every clause needs one of its literals at or after
    /// it. `None` when some clause's literals are missing: no match at all.
    pub fn limit(&self, scan: &Scan, rule: usize) -> Option<usize> {
        let mut last = self.clauses[rule].iter().map(|&clause| scan.last[clause]);
        last.try_fold(usize::MAX, |min, at| Some(min.min(at?)))
    }

    /// The offsets at which a match of rule `rule` can start, in order, up
    /// to its `limit` (0 always), or `None` when it can start anywhere.
    pub fn starts<'s>(
        &'s self,
        scan: &'s Scan,
        rule: usize,
        limit: usize,
    ) -> Option<impl Iterator<Item = usize>> {
        let starts = self.starts[rule].as_ref()?;
        let rest = scan
            .starts
            .iter()
            .filter(|&&(at, lit)| at > 0 && starts[lit])
            .map(|&(at, _)| at);
        let all = std::iter::once(0).chain(rest);
        Some(all.take_while(move |&at| at <= limit))
    }
}
