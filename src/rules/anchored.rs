//! Event-rule regexes, built for searches whose start is known.
//!
//! The regex crate's own engine builds, for every pattern, a reverse
//! automaton as large as the forward one, so that a search from anywhere can
//! find where its match starts. Event rules are tried at the offsets the
//! gate picks (see `gate`), where the start is known. So this engine is the
//! part of the meta engine such a search uses: a forward lazy DFA finds
//! where the match ends, then a bounded backtracker (the PikeVM on long
//! text) finds its groups inside it. The matches are the same; the build
//! takes about a third less time, and rule building is what start-up spends
//! beside jieba's dictionary load.

use std::sync::Arc;

use regex_automata::util::captures::{Captures, GroupInfo};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{
    Anchored, Input,
    hybrid::dfa::{self as lazy, DFA},
    nfa::thompson::{
        self,
        backtrack::{self, BoundedBacktracker},
        pikevm::{self, PikeVM},
    },
};
use regex_syntax::hir::Hir;

/// A compiled pattern, searched leftmost-first from a given offset.
pub struct AnchoredRegex {
    engines: Arc<Engines>,
    pool: Pool<Cache, CacheFn>,
}

struct Engines {
    /// `None` when the lazy DFA cannot be built for the pattern: the
    /// PikeVM then searches alone.
    dfa: Option<DFA>,
    backtrack: BoundedBacktracker,
    pikevm: PikeVM,
}

/// One thread's scratch space for the three engines.
struct Cache {
    dfa: Option<lazy::Cache>,
    backtrack: backtrack::Cache,
    pikevm: pikevm::Cache,
}

type CacheFn = Box<dyn Fn() -> Cache + Send + Sync>;

impl AnchoredRegex {
    /// Compiles `hir`. `cache_capacity` bounds each thread's lazy DFA,
    /// `size_limit` the compiled automaton.
    pub fn new(hir: &Hir, cache_capacity: usize, size_limit: usize) -> Result<Self, String> {
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().nfa_size_limit(Some(size_limit)))
            .build_from_hir(hir)
            .map_err(|e| e.to_string())?;
        // As the meta engine configures it: give up (and let the PikeVM
        // search) when the cache is cleared too often to pay off.
        let config = DFA::config()
            .cache_capacity(cache_capacity)
            .minimum_cache_clear_count(Some(3))
            .minimum_bytes_per_state(Some(10));
        let dfa = DFA::builder()
            .configure(config)
            .build_from_nfa(nfa.clone())
            .ok();
        let backtrack = BoundedBacktracker::builder()
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        let pikevm = PikeVM::builder()
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let engines = Arc::new(Engines {
            dfa,
            backtrack,
            pikevm,
        });
        let shared = Arc::clone(&engines);
        let create: CacheFn = Box::new(move || Cache {
            dfa: shared.dfa.as_ref().map(DFA::create_cache),
            backtrack: shared.backtrack.create_cache(),
            pikevm: shared.pikevm.create_cache(),
        });
        Ok(AnchoredRegex {
            engines,
            pool: Pool::new(create),
        })
    }

    /// The pattern's capture groups.
    pub fn group_info(&self) -> &GroupInfo {
        self.engines.pikevm.get_nfa().group_info()
    }

    /// The matches in `haystack`, with their groups, exactly as a search
    /// from the start finds them. With the offsets where a match can start
    /// (`starts`, ascending), the regex is tried anchored at each: the first
    /// offset where it matches gives the leftmost-first match, and the next
    /// search goes on from its end. An anchored search follows one start,
    /// so its DFA stays small.
    pub fn matches(
        &self,
        haystack: &str,
        starts: Option<impl Iterator<Item = usize>>,
    ) -> Vec<Captures> {
        let mut cache = self.pool.get();
        let mut caps = self.engines.pikevm.create_captures();
        let mut out = Vec::new();
        // As in a search from the start, an empty match where the last
        // match ended is not another match.
        let mut last_end = None;
        let mut next = |at: usize, anchored: Anchored| {
            self.search(&mut cache, haystack, at, anchored, &mut caps);
            let m = caps.get_match()?;
            if !(m.is_empty() && last_end == Some(m.end())) {
                out.push(caps.clone());
                last_end = Some(m.end());
            }
            Some(m)
        };
        match starts {
            Some(starts) => {
                let mut from = 0;
                for at in starts {
                    if at < from {
                        continue;
                    }
                    if let Some(m) = next(at, Anchored::Yes) {
                        from = m.end();
                    }
                }
            }
            None => {
                let mut from = 0;
                while let Some(m) = next(from, Anchored::No) {
                    from = match haystack[m.end()..].chars().next() {
                        _ if !m.is_empty() => m.end(),
                        Some(c) => m.end() + c.len_utf8(),
                        None => break,
                    };
                }
            }
        }
        out
    }

    /// The leftmost-first match from `at` on (or exactly at `at`, when
    /// anchored), with its groups, into `caps`.
    fn search(
        &self,
        cache: &mut PoolGuard<'_, Cache, CacheFn>,
        haystack: &str,
        at: usize,
        anchored: Anchored,
        caps: &mut Captures,
    ) {
        let e = &*self.engines;
        let input = Input::new(haystack)
            .span(at..haystack.len())
            .anchored(anchored);
        // The lazy DFA finds where the match ends, or that there is none;
        // when it gives up, the PikeVM searches the whole span.
        let end = match (&e.dfa, cache.dfa.as_mut()) {
            (Some(dfa), Some(dfa_cache)) => match dfa.try_search_fwd(dfa_cache, &input) {
                Ok(None) => {
                    caps.set_pattern(None);
                    return;
                }
                Ok(Some(half)) => Some(half.offset()),
                Err(_) => None,
            },
            _ => None,
        };
        let input = match end {
            Some(end) => input.span(at..end),
            None => input,
        };
        let fits = input.get_span().len() <= e.backtrack.max_haystack_len();
        if fits
            && e.backtrack
                .try_search(&mut cache.backtrack, &input, caps)
                .is_ok()
        {
            return;
        }
        e.pikevm.search(&mut cache.pikevm, &input, caps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;

    /// Patterns in the shape of event rules: marks for parties, lists,
    /// bounded gaps, alternations whose order matters, optional groups.
    const PATTERNS: &[&str] = &[
        r"(?P<who>E(?:、E)*)[^，。]{0,4}?(?P<trigger>接入|开放)(?P<with>E)?",
        r"(?P<who>E)(?:与|和)(?P<with>E(?:、E)*)(?:达成)?(?P<trigger>合作|打通)",
        r"(?P<trigger>上线)了?(?:E|甲)+?",
        r"x*",
        r"(?P<trigger>甲|甲乙|乙)(?P<with>乙?)",
    ];

    /// Every group span of every match, for comparing engines.
    fn spans(all: &[Captures]) -> Vec<Vec<Option<(usize, usize)>>> {
        let groups = |c: &Captures| {
            (0..c.group_len())
                .map(|g| c.get_group(g).map(|s| (s.start, s.end)))
                .collect()
        };
        all.iter().map(groups).collect()
    }

    proptest::proptest! {
        /// Tried at every character (or from anywhere), the engine finds
        /// what the regex crate's engine finds searching from the start.
        #[test]
        fn finds_what_the_meta_engine_finds(
            pattern in 0..PATTERNS.len(),
            chars in proptest::collection::vec(
                proptest::sample::select(vec!['E', '、', '与', '和', '接', '入', '开', '放', '合', '作', '上', '线', '了', '甲', '乙', 'x', '，']),
                0..40,
            ),
        ) {
            let haystack: String = chars.into_iter().collect();
            let pattern = PATTERNS[pattern];
            let meta = Regex::new(pattern).unwrap();
            let expected: Vec<Captures> = meta.captures_iter(&haystack).collect();
            let hir = regex_syntax::parse(pattern).unwrap();
            let ours = AnchoredRegex::new(&hir, 1 << 20, 10 << 20).unwrap();
            let everywhere = haystack.char_indices().map(|(i, _)| i).chain([haystack.len()]);
            proptest::prop_assert_eq!(spans(&ours.matches(&haystack, Some(everywhere))), spans(&expected));
            proptest::prop_assert_eq!(spans(&ours.matches(&haystack, None::<std::iter::Empty<usize>>)), spans(&expected));
        }
    }
}
