//! Stage 5: events, from trigger-and-argument patterns over sentence skeletons.
//!
//! Reads the sentences and resolved-overlap mentions; produces [`Event`]s
//! whose parties are mention indices, and [`Suppressed`] candidates that a
//! polarity cue (rumour, denial, pending, blocked) vetoed. Rules come from
//! `rules/events.toml` and run in file order over each sentence's
//! [`Skeleton`]; an entity that an earlier rule gave a role cannot take a role
//! in a later rule's match of the same sentence, so the most specific reading
//! wins. A rule whose `who` group did not take part borrows the sentence's
//! topic (ellipsis: "…，与拼多多也建立合作"); a rule with a `both` group
//! (双方, 两家) leaves its parties to the resolution stage.

use std::collections::HashSet;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::PatternID;

use crate::error::{Error, Result};
use crate::gate::Gate;
use crate::mention::{Mention, entities_in};
use crate::rules::anchored::AnchoredRegex;
use crate::rules::{Gazetteer, RuleSet, line_of, pattern, schema::EventsFile};
use crate::segment::{Sentence, ends_word, inside_link, starts_word};
use crate::skeleton::{MARKS, PARTY, REGULATOR, Skeleton, clause_of};
use crate::span::Span;

/// The `how` types of OUTPUT.md.
pub const HOW_TYPES: &[&str] = &[
    "payment",
    "link",
    "advertising",
    "mini_program",
    "content",
    "marketing",
    "login",
    "logistics",
    "cooperation",
];

/// Capture groups an event pattern may use.
pub const GROUPS: &[&str] = &[
    "who", "with", "trigger", "both", "ref", "them", "follow", "before",
];

/// `connection` or `policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// Two or more named parties connect.
    Connection,
    /// A regulator acts.
    Policy,
}

impl EventKind {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Connection => "connection",
            EventKind::Policy => "policy",
        }
    }
}

/// One event, before time resolution.
#[derive(Clone, Debug)]
pub struct Event {
    /// Connection or policy.
    pub kind: EventKind,
    /// Mentions of the acting parties.
    pub who: Vec<usize>,
    /// Mentions of the other parties (may be empty).
    pub with: Vec<usize>,
    /// A reference (双方, 该公司) whose parties resolution fills in.
    pub refers: Option<Reference>,
    /// The `how` type.
    pub how: Arc<str>,
    /// The trigger word.
    pub trigger: Span,
    /// The sentence.
    pub sentence: usize,
    /// The clause around the trigger.
    pub clause: Span,
    /// The rule that matched.
    pub rule: Arc<str>,
    /// The event's time, set by the resolution stage.
    pub when: Option<When>,
    /// Done before the sentence's own event (继A之后, B也…: A's), or told
    /// at its anniversary (…合作十周年): the sentence's time is not its
    /// time, which stays unknown.
    pub earlier: bool,
}

/// A word standing for parties named earlier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The word (双方, 该公司).
    pub span: Span,
    /// What it stands for.
    pub kind: ReferenceKind,
}

/// What a reference stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferenceKind {
    /// Both parties of the previous event (双方, 两家): pattern group `both`.
    Both,
    /// The subject named last (该公司, 该平台): pattern group `ref`; fills `who`.
    Subject,
    /// The other side of the previous event, which `who` follows (联通支付
    ///次日跟进): pattern group `follow`; fills `with`.
    Follow,
}

/// Where an event's time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When {
    /// The time mention (index into the mentions).
    pub mention: usize,
    /// How it was chosen: `clause`, `sentence`, `bullet` or `restated`.
    pub basis: &'static str,
}

/// A negative polarity cue in a sentence, where jieba's words allow it
/// (see [`EventLinker::cues`]).
#[derive(Clone, Copy, Debug)]
pub struct CueHit {
    /// The sentence.
    pub sentence: usize,
    /// The cue word.
    pub span: Span,
    /// Index of the cue among the polarity automaton's patterns.
    cue: usize,
}

/// A candidate a polarity cue vetoed: kept for review, never an event.
#[derive(Clone, Debug)]
pub struct Suppressed {
    /// The candidate.
    pub event: Event,
    /// The polarity family (`neg.rumour`, …).
    pub polarity: Arc<str>,
    /// The cue word.
    pub cue: Span,
}

struct EventRule {
    id: Arc<str>,
    /// True when the pattern has a `both` group.
    backref: bool,
    /// Reads parties other rules placed and claims none (see the schema).
    shared: bool,
    /// The fewest of each placeholder (`skeleton::MARKS`) a match holds,
    /// from the pattern's syntax: a skeleton with fewer parties skips it.
    needs: [usize; 3],
    kind: EventKind,
    regex: AnchoredRegex,
    how: Option<Arc<str>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Clause,
    /// Anywhere in the sentence up to the end of the candidate's clause:
    /// an opinion framing the connection (分析认为，A将接入B), not one
    /// passed on it afterwards (A接入B，被视为里程碑).
    Leading,
    Sentence,
}

/// What a polarity automaton pattern stands for.
#[derive(Clone)]
enum Cue {
    Negative(Arc<str>, Scope),
    Exempt,
}

/// Turns sentence skeletons into events. Built once from `rules/events.toml`.
pub struct EventLinker {
    rules: Vec<EventRule>,
    /// Literals each rule needs: a skeleton without them skips the rule.
    gate: Gate,
    how_cues: AhoCorasick,
    how_of_cue: Vec<usize>,
    how_names: Vec<Arc<str>>,
    /// Index of `payment` in `how_names`: a payment tool in a clause is a cue.
    payment: Option<usize>,
    /// Index of `content`: the type of a game with a platform.
    content: Option<usize>,
    /// Index of `logistics`: the type of a courier with a platform.
    logistics: Option<usize>,
    /// Index of `cooperation`: its cues never decide the channel.
    cooperation: Option<usize>,
    polarity: AhoCorasick,
    polarity_of: Vec<Cue>,
    /// Words containing a reference word that refer to nothing (其他).
    refer_never: Vec<String>,
    /// Words for the pair of an event (双方, 前者) that may open the clause
    /// going on about it (`pair_words`).
    pair_words: Vec<String>,
    /// Words opening a clause that turns to something else (`contrast`).
    contrast: Vec<String>,
    /// Words right before a `how` cue that cancel it (`cue_cancel`).
    cue_cancel: Vec<String>,
    /// Words pairing two lists member by member (`respectively`).
    respectively: Vec<String>,
    /// Words marking an anniversary (`anniversary`).
    anniversary: Vec<String>,
    /// Words opening a clause that only sets a party against another
    /// (`compare_open`).
    compare_open: Vec<String>,
    /// Words closing such a clause (`compare_close`).
    compare_close: Vec<String>,
    /// `[clause_list]`: the stretches before and after a `、` that make it
    /// a clause boundary.
    clause_list: Option<(regex::Regex, regex::Regex)>,
}

impl EventLinker {
    /// Compiles the rules and cue lists, checking names and types.
    pub fn new(rules: &RuleSet) -> Result<Self> {
        let file = &rules.files.events;
        let text = &rules.files.events_text;
        let ev: &EventsFile = &rules.events;
        let err = |needle: &str, msg: String| Error::rule(file, line_of(text, needle), msg);

        let mut how_names = Vec::new();
        let mut cue_words = Vec::new();
        let mut how_of_cue = Vec::new();
        for (i, h) in ev.how.iter().enumerate() {
            if !HOW_TYPES.contains(&h.kind.as_str()) {
                return Err(err(
                    &h.kind,
                    format!(
                        "unknown how type {:?} (known: {})",
                        h.kind,
                        HOW_TYPES.join(", ")
                    ),
                ));
            }
            how_names.push(Arc::<str>::from(h.kind.as_str()));
            for c in &h.cues {
                cue_words.push(c.clone());
                how_of_cue.push(i);
            }
        }
        let how_cues = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&cue_words)
            .map_err(|e| err("[[how]]", format!("how cues: {e}")))?;

        let mut words = Vec::new();
        let mut polarity_of = Vec::new();
        for p in &ev.polarity {
            let scope = match p.scope.as_str() {
                "clause" => Scope::Clause,
                "leading" => Scope::Leading,
                "sentence" => Scope::Sentence,
                other => {
                    return Err(err(
                        &p.id,
                        format!(
                            "polarity {}: scope must be clause, leading or sentence, not {other:?}",
                            p.id
                        ),
                    ));
                }
            };
            for c in &p.cues {
                words.push(c.clone());
                polarity_of.push(Cue::Negative(p.id.as_str().into(), scope));
            }
        }
        for e in &ev.exempt {
            words.push(e.clone());
            polarity_of.push(Cue::Exempt);
        }
        let polarity = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .map_err(|e| err("[[polarity]]", format!("polarity cues: {e}")))?;

        // {that} is generated from [refer], so the words live in one place.
        let mut fragments = ev.fragments.clone();
        let words: Vec<String> = ev.refer.keys().map(|w| regex::escape(w)).collect();
        let that = if words.is_empty() {
            r"(?P<ref>[^\s\S])".to_string() // matches nothing
        } else {
            format!("(?P<ref>{})", words.join("|"))
        };
        fragments.insert("that".into(), that);
        let patterns = pattern::Patterns {
            file,
            file_text: text,
            fragments: &fragments,
            groups: GROUPS,
        };
        let mut compiled = Vec::new();
        let mut ids = HashSet::new();
        let mut syntaxes = Vec::new();
        for r in &ev.rule {
            let id_needle = format!("\"{}\"", r.id);
            if !ids.insert(r.id.as_str()) {
                return Err(err(&id_needle, format!("duplicate rule id {}", r.id)));
            }
            let kind = match r.kind.as_str() {
                "connection" => EventKind::Connection,
                "policy" => EventKind::Policy,
                other => {
                    return Err(err(
                        &id_needle,
                        format!(
                            "rule {}: kind must be connection or policy, not {other:?}",
                            r.id
                        ),
                    ));
                }
            };
            if let Some(h) = r.how.as_ref().filter(|h| !HOW_TYPES.contains(&h.as_str())) {
                return Err(err(
                    &id_needle,
                    format!("rule {}: unknown how type {h:?}", r.id),
                ));
            }
            let pattern::Compiled { regex, syntax } =
                patterns.compile_anchored(&r.id, &r.pattern)?;
            let has = |group: &str| {
                let mut names = regex.group_info().pattern_names(PatternID::ZERO);
                names.any(|n| n == Some(group))
            };
            if !has("trigger") {
                return Err(err(
                    &id_needle,
                    format!("rule {}: the pattern needs a <trigger> group", r.id),
                ));
            }
            compiled.push(EventRule {
                backref: has("both"),
                shared: r.shared,
                needs: MARKS.map(|m| pattern::min_count(&syntax, &[m])),
                id: r.id.as_str().into(),
                kind,
                regex,
                how: r.how.as_deref().map(Arc::from),
            });
            syntaxes.push(syntax);
        }
        let clause_list = match &ev.clause_list {
            Some(c) => Some((
                patterns.compile("clause_list.before", &c.before)?.regex,
                patterns.compile("clause_list.after", &c.after)?.regex,
            )),
            None => None,
        };
        let gate =
            Gate::new(&syntaxes).map_err(|e| err("[[rule]]", format!("rule literals: {e}")))?;
        Ok(EventLinker {
            gate,
            payment: how_names.iter().position(|h| h.as_ref() == "payment"),
            content: how_names.iter().position(|h| h.as_ref() == "content"),
            logistics: how_names.iter().position(|h| h.as_ref() == "logistics"),
            cooperation: how_names.iter().position(|h| h.as_ref() == "cooperation"),
            rules: compiled,
            how_cues,
            how_of_cue,
            how_names,
            polarity,
            polarity_of,
            refer_never: ev.refer_never.clone(),
            pair_words: ev.pair_words.clone(),
            contrast: ev.contrast.clone(),
            cue_cancel: ev.cue_cancel.clone(),
            respectively: ev.respectively.clone(),
            anniversary: ev.anniversary.clone(),
            compare_open: ev.compare_open.clone(),
            compare_close: ev.compare_close.clone(),
            clause_list,
        })
    }

    /// Whether the reference word at `span` is part of a longer word that
    /// refers to nothing (其 in 其他, 尤其).
    fn idle_reference(&self, text: &str, span: Span) -> bool {
        let word = &text[span.range()];
        // Each place the word stands in a longer one: is that one written here?
        self.refer_never.iter().any(|w| {
            w.match_indices(word).any(|(offset, _)| {
                let start = span.start.checked_sub(offset);
                start.and_then(|s| text.get(s..s + w.len())) == Some(w.as_str())
            })
        })
    }

    /// Events and vetoed candidates of one sentence. `inside` lists the
    /// indices of the mentions in the sentence, `cues` its polarity cues
    /// (from [`EventLinker::cues`]).
    pub fn link(
        &self,
        text: &str,
        sentence: &Sentence,
        mentions: &[Mention],
        inside: &[usize],
        gazetteer: &Gazetteer,
        cues: &[CueHit],
    ) -> (Vec<Event>, Vec<Suppressed>) {
        let mut events = Vec::new();
        let mut suppressed = Vec::new();
        // Without entities only back-reference rules (双方…) can match.
        let has_entities = inside.iter().any(|&i| mentions[i].is_entity());
        let mut skel = Skeleton::new(text, sentence.span, mentions, inside, gazetteer);
        if let Some((before, after)) = &self.clause_list {
            skel.split_clause_lists(before, after);
        }
        let mut claimed: HashSet<usize> = HashSet::new();
        // (skeleton end of the match, its who) of every candidate so far.
        let mut subjects: Vec<(usize, Vec<usize>)> = Vec::new();
        // Rules lacking a literal they need cannot match the skeleton.
        let scan = self.gate.scan(&skel.text);
        let marks = skel.marks();
        let enough = |r: &EventRule| marks.iter().zip(&r.needs).all(|(have, need)| have >= need);
        let name = |m: usize| crate::resolve::name(m, mentions, gazetteer);
        for (i, rule) in self.rules.iter().enumerate() {
            if !((has_entities || rule.backref) && enough(rule)) {
                continue;
            }
            let Some(limit) = self.gate.limit(&scan, i) else {
                continue;
            };
            let starts = self.gate.starts(&scan, i, limit);
            for caps in rule.regex.matches(&skel.text, starts) {
                let whole = caps.get_match().expect("a match");
                let group = |name: &str| {
                    caps.get_group_by_name(name)
                        .map(|m| Span::new(m.start, m.end))
                };
                let Some(trigger) = group("trigger") else {
                    continue;
                };
                let roles = |g: Option<Span>| -> Vec<usize> {
                    g.map(|g| skel.mentions_in(g))
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|m| mentions[*m].is_entity())
                        .collect()
                };
                let mut who = roles(group("who"));
                let mut with = roles(group("with"));
                // 继A之后: A did the same earlier.
                let mut before = roles(group("before"));
                // A `them` rule: its members join the sentence's topic.
                let joins_topic = group("them").is_some();
                let both = group("both").map(|span| (span, ReferenceKind::Both));
                let subject = group("ref").map(|span| (span, ReferenceKind::Subject));
                let follow = group("follow").map(|span| (span, ReferenceKind::Follow));
                let reference = both.or(subject).or(follow);
                // Entities another rule already placed are not re-read here.
                let direct: Vec<usize> = who.iter().chain(&with).copied().collect();
                if !rule.shared {
                    who.retain(|m| !claimed.contains(m));
                    with.retain(|m| !claimed.contains(m));
                    before.retain(|m| !claimed.contains(m));
                }
                if group("who").is_none() && reference.is_none() {
                    who = self.topic(&skel, &subjects, whole.start(), mentions);
                    // A topic naming the other side itself (淘宝、天猫商家的
                    // 广告…跳转至淘宝) is not what acts: something of theirs is.
                    if who
                        .iter()
                        .any(|&w| with.iter().any(|&x| name(w) == name(x)))
                    {
                        continue;
                    }
                }
                // `them`: the other side is the topic ("拼多多上线电子面单，
                // 中通、圆通…完成系统对接").
                if joins_topic && with.is_empty() {
                    // The topic may well be an earlier event's subject
                    // (苹果的合作方是银联，首批支持的银行包括…): claims don't apply.
                    with = self.topic(&skel, &subjects, whole.start(), mentions);
                    with.retain(|m| !who.contains(m));
                    if with.is_empty() {
                        with = previous_topic(sentence, mentions, gazetteer);
                    }
                }
                // The trigger's clause, read on the skeleton, where a 、
                // between two clauses has become a comma.
                let clause = skel.span(skel.clause(trigger));
                let trigger = skel.span(trigger);
                let refers = reference.map(|(span, kind)| Reference {
                    span: skel.span(span),
                    kind,
                });
                if refers.is_some_and(|r| self.idle_reference(text, r.span)) {
                    continue;
                }
                let usable = match (rule.kind, refers.map(|r| r.kind)) {
                    (_, Some(ReferenceKind::Both)) => true,
                    (EventKind::Connection, Some(ReferenceKind::Subject)) => !with.is_empty(),
                    (EventKind::Connection, Some(ReferenceKind::Follow)) => !who.is_empty(),
                    // "A、B两家…合作" names both sides in `who` and has no
                    // `with` group; a `with` emptied by claims is no event.
                    (EventKind::Connection, None) => {
                        let mutual = group("with").is_none() && !joins_topic;
                        !who.is_empty() && (!with.is_empty() || (mutual && who.len() >= 2))
                    }
                    (EventKind::Policy, _) => !who.is_empty(),
                };
                // A pairing the resolution stage drops (微信支付 with 微信)
                // must not claim its entities from a later rule.
                let self_pair = !with.is_empty()
                    && !who.is_empty()
                    && with.iter().all(|&w| {
                        who.iter()
                            .all(|&h| crate::resolve::related(name(h), name(w), gazetteer))
                    });
                if !usable || self_pair {
                    continue;
                }
                if !rule.shared {
                    claimed.extend(direct);
                    claimed.extend(&before);
                    // Members joining the topic (A、B…完成对接) leave the
                    // topic the subject of what follows.
                    let subject = if joins_topic { &with } else { &who };
                    subjects.push((whole.end(), subject.clone()));
                }
                // The match in the text, and with the trigger's clause.
                let matched = skel.span(Span::new(whole.start(), whole.end()));
                let scope = matched.cover(clause);
                let mut how = rule.how.clone().unwrap_or_else(|| {
                    self.how_type(
                        text,
                        (clause, sentence.span),
                        (&who, &with),
                        mentions,
                        gazetteer,
                    )
                });
                // Members joining a topic others joined earlier in the
                // sentence (…成为首批接入的快递公司，B、C此后也陆续上线)
                // join it the same way, unless their clause names a channel.
                if joins_topic
                    && &*how == "cooperation"
                    && let Some(earlier) = events.iter().rev().find(|e: &&Event| e.with == with)
                {
                    how = earlier.how.clone();
                }
                let event = Event {
                    kind: rule.kind,
                    who,
                    with,
                    refers,
                    how,
                    trigger,
                    sentence: sentence.idx,
                    clause,
                    rule: rule.id.clone(),
                    when: None,
                    // 昨日是A与B宣布合作十周年: the deal is years older.
                    earlier: self
                        .anniversary
                        .iter()
                        .any(|w| text[clause.range()].contains(w.as_str())),
                };
                let parties = (&event.who[..], &event.with[..]);
                let turned = |cue: Span| {
                    let names = (mentions, gazetteer);
                    self.turns_away(text, sentence.span, scope, cue, names, parties)
                };
                match (rule.kind, self.veto(scope, cues, turned)) {
                    (EventKind::Connection, Some((polarity, cue))) => suppressed.push(Suppressed {
                        event,
                        polarity,
                        cue,
                    }),
                    _ => {
                        if !before.is_empty() {
                            events.push(Event {
                                who: before,
                                earlier: true,
                                ..event.clone()
                            });
                        }
                        events.extend(self.pair_up(event, &text[matched.range()]));
                    }
                }
            }
        }
        events.sort_by_key(|e| (e.trigger.start, e.trigger.end));
        suppressed.sort_by_key(|s| s.event.trigger.start);
        // Every sentence's vectors live until the document's are gathered:
        // at the first push's four slots they would hold several times the
        // events of a long text.
        events.shrink_to_fit();
        suppressed.shrink_to_fit();
        (events, suppressed)
    }

    /// The subject a who-less match borrows: the `who` of the latest earlier
    /// candidate in the sentence, else the first run of listed parties.
    fn topic(
        &self,
        skel: &Skeleton,
        subjects: &[(usize, Vec<usize>)],
        at: usize,
        mentions: &[Mention],
    ) -> Vec<usize> {
        if let Some((_, who)) = subjects
            .iter()
            .filter(|(end, w)| *end <= at && !w.is_empty())
            .max_by_key(|(end, _)| *end)
        {
            return who.clone();
        }
        let mut run: Vec<usize> = Vec::new();
        let mut last_end = None;
        for (m, span) in skel.mentions_before(at) {
            if !mentions[m].is_entity()
                || skel.text[span.range()].starts_with(REGULATOR)
                || self.compared(skel, span)
            {
                if run.is_empty() {
                    continue;
                }
                break;
            }
            if let Some(end) = last_end {
                let gap = &skel.text[end..span.start];
                let between = gap.trim_matches(['“', '”', '"', '「', '」', '《', '》']);
                // "由广汽集团和腾讯共同投资的如祺出行": the run so far only
                // describes the party after it, which is the topic.
                let describes = gap.trim_end_matches(['“', '"', '「', '《']).ends_with('的')
                    && !gap.contains(['，', ',', '。', '；', ';', '：', ':']);
                if describes {
                    run.clear();
                } else if !matches!(between, "、" | "和" | "与" | "及" | "以及" | "/") {
                    break;
                }
            }
            debug_assert!(skel.text[span.range()].starts_with(PARTY));
            run.push(m);
            last_end = Some(span.end);
        }
        run
    }

    /// Whether the party at `span` of the skeleton `skel` (one sentence) is
    /// only what another is set against (与滴滴以自营运力为主不同，高德…;
    /// 和淘宝相比，…): its clause opens with a `compare_open` word and
    /// closes on a `compare_close` one.
    fn compared(&self, skel: &Skeleton, span: Span) -> bool {
        let clause = skel.text[skel.clause(span).range()].trim();
        self.compare_open
            .iter()
            .any(|w| clause.starts_with(w.as_str()))
            && self
                .compare_close
                .iter()
                .any(|w| clause.ends_with(w.as_str()))
    }

    /// `event` as one event per member when its match pairs two lists of
    /// the same length member by member (高德、飞猪分别在微信、抖音落地:
    /// 高德 with 微信, 飞猪 with 抖音), else `event` alone.
    fn pair_up(&self, event: Event, matched: &str) -> Vec<Event> {
        let paired = event.who.len() >= 2
            && event.who.len() == event.with.len()
            && self
                .respectively
                .iter()
                .any(|w| matched.contains(w.as_str()));
        if !paired {
            return vec![event];
        }
        let pairs = event.who.iter().zip(&event.with);
        pairs
            .map(|(&who, &with)| Event {
                who: vec![who],
                with: vec![with],
                ..event.clone()
            })
            .collect()
    }

    /// The `how` type, from the trigger's clause, in this order of evidence:
    /// 1. cue words outside names (入口, 广告位, 条码…), by `[[how]]` priority;
    /// 2. cue words inside names (支付宝小程序, 微信支付, 淘宝星任务);
    /// 3. a payment tool named in the clause (Apple Pay);
    /// 4. the same three in the next clause when it goes on about the same
    ///    parties (…达成合作，爱奇艺把长视频内容授权给抖音);
    /// 5. the parties' kinds: banks and wallets, games, couriers, and a
    ///    wallet as the other side;
    /// 6. `cooperation`.
    ///
    /// `cooperation` cues (互联互通, 战略合作) never stop the search: they
    /// name the deal, not its channel. Names in a `who` list of several
    /// (支付宝、淘宝、京东等应用上架…) are not read: an app listed among apps
    /// says nothing about the channel, unless every one of them is a
    /// payment tool (三星Pay、华为Pay、Mi Pay也相继与银联合作).
    fn how_type(
        &self,
        text: &str,
        (clause, sentence): (Span, Span),
        (who, with): (&[usize], &[usize]),
        mentions: &[Mention],
        gazetteer: &Gazetteer,
    ) -> Arc<str> {
        let kind_of = |m: usize| crate::resolve::kind_of(m, mentions, gazetteer);
        let is_tool = |m: usize| kind_of(m) == "payment";
        let all_tools = who.iter().all(|&m| is_tool(m));
        // A tool listed among the acting apps, here or named again later
        // (支付宝、小红书…宣布启动鸿蒙原生应用开发，支付宝是其中…).
        let name = |m: usize| crate::resolve::name(m, mentions, gazetteer);
        let listed = |m: usize| {
            who.len() >= 2 && !all_tools && who.iter().any(|&w| w == m || name(w) == name(m))
        };
        let in_clause = |span: Span| {
            entities_in(mentions, span).filter(move |&m| span.contains(mentions[m].span))
        };
        // The best cue of `span` (outside names first), else `payment` for a
        // payment tool not in a `who` list standing in it.
        let read = |span: Span| -> Option<usize> {
            let names: Vec<usize> = in_clause(span).collect();
            let inside = |at: Span| {
                names
                    .iter()
                    .find(|&&m| mentions[m].span.contains(at))
                    .copied()
            };
            let (mut outside_best, mut inside_best): (Option<usize>, Option<usize>) = (None, None);
            for m in self.how_cues.find_iter(&text[span.range()]) {
                let i = self.how_of_cue[m.pattern().as_usize()];
                let before = &text[span.start..span.start + m.start()];
                let cancelled = self.cue_cancel.iter().any(|w| before.ends_with(w.as_str()));
                if Some(i) == self.cooperation || cancelled {
                    continue;
                }
                match inside(Span::new(m.start(), m.end()).shift(span.start)) {
                    None => outside_best = outside_best.min(Some(i)).or(Some(i)),
                    Some(n) if !listed(n) => inside_best = inside_best.min(Some(i)).or(Some(i)),
                    Some(_) => {}
                }
            }
            let tool = names.iter().any(|&m| !listed(m) && is_tool(m));
            outside_best
                .or(inside_best)
                .or(if tool { self.payment } else { None })
        };
        let parties: Vec<usize> = who.iter().chain(with).copied().collect();
        let next = self.next_clause_on(text, clause, sentence, &parties, mentions);
        // Banks, wallets and card networks connecting with one another do
        // so for payments, whatever the clause calls it (接入网联); so does a
        // bank with anyone (首批支持的银行包括工商银行…).
        let all_money = !parties.is_empty()
            && (parties.iter().any(|&m| kind_of(m) == "bank")
                || parties.iter().all(|&m| kind_of(m) == "payment"));
        let money = if all_money { self.payment } else { None };
        // A game with a platform: streaming and video rights.
        let game = if parties.iter().any(|&m| kind_of(m) == "game") {
            self.content
        } else {
            None
        };
        // Couriers on one side: delivery.
        let couriers =
            |side: &[usize]| !side.is_empty() && side.iter().all(|&m| kind_of(m) == "logistics");
        let courier = if couriers(who) || couriers(with) {
            self.logistics
        } else {
            None
        };
        // A wallet as the other side, named in an earlier clause (阿里系应用
        // 接入微信支付…。饿了么、优酷等就已率先接入): payments.
        let borrowed_tool = |m: usize| is_tool(m) && !clause.contains(mentions[m].span);
        let wallet = if !with.is_empty() && with.iter().all(|&m| borrowed_tool(m)) {
            self.payment
        } else {
            None
        };
        match read(clause)
            .or_else(|| next.and_then(read))
            .or(money)
            .or(game)
            .or(courier)
            .or(wallet)
        {
            Some(i) => self.how_names[i].clone(),
            None => Arc::from("cooperation"),
        }
    }

    /// The clause after `clause` when it opens with one of the event's
    /// parties or with a word for the pair, 双方 or 前者 (it goes on about the
    /// same deal).
    fn next_clause_on(
        &self,
        text: &str,
        clause: Span,
        sentence: Span,
        parties: &[usize],
        mentions: &[Mention],
    ) -> Option<Span> {
        let rest = &text[clause.end..sentence.end];
        let mark = rest.chars().next()?;
        let start = clause.end + mark.len_utf8();
        let next = clause_of(text, sentence, Span::new(start, start));
        let opening = &text[next.range()];
        let party_first = mentions
            .iter()
            .enumerate()
            .skip(mentions.partition_point(|m| m.span.start < next.start))
            // Within the clause's first few characters ("品牌在小红书…").
            .take_while(|(_, m)| {
                text[next.start..m.span.start.max(next.start)]
                    .chars()
                    .count()
                    < 6
            })
            .any(|(_, m)| m.is_entity() && parties.iter().any(|&p| mentions[p].kind == m.kind));
        // Or with words standing for the pair (前者向后者授权…).
        let pair_word = self
            .pair_words
            .iter()
            .any(|w| opening.starts_with(w.as_str()));
        (party_first || pair_word).then_some(next)
    }

    /// The negative cues of one sentence of `text`, in order, skipping
    /// exempt phrases. Found while the sentence's jieba `words` are at hand,
    /// so linking need not segment it again.
    ///
    /// A cue counts only where it starts or ends a jieba word: 据传 in the
    /// middle of 数据传输 is no rumour, while 认为 ending 普遍认为 still is.
    pub fn cues(&self, text: &str, sentence: &Sentence, words: &[Span]) -> Vec<CueHit> {
        let found = self.polarity.find_iter(&text[sentence.span.range()]);
        found
            .map(|m| {
                let span = Span::new(m.start(), m.end()).shift(sentence.span.start);
                (span, m.pattern().as_usize())
            })
            .filter(|&(span, cue)| {
                let mut chars = text[span.start..].chars();
                let link = chars.next().is_some_and(|c| inside_link(c, chars.next()));
                !matches!(self.polarity_of[cue], Cue::Exempt)
                    && !link
                    && (starts_word(words, span.start) || ends_word(words, span.end))
            })
            .map(|(span, cue)| CueHit {
                sentence: sentence.idx,
                span,
                cue,
            })
            .collect()
    }

    /// The first of a sentence's negative `cues` in `scope` (clause-scoped
    /// cues), before its end (leading ones) or anywhere in the sentence
    /// (sentence-scoped cues).
    fn veto(
        &self,
        scope: Span,
        cues: &[CueHit],
        turned: impl Fn(Span) -> bool,
    ) -> Option<(Arc<str>, Span)> {
        for hit in cues {
            match &self.polarity_of[hit.cue] {
                Cue::Exempt => {}
                Cue::Negative(id, Scope::Sentence) if !turned(hit.span) => {
                    return Some((id.clone(), hit.span));
                }
                Cue::Negative(id, Scope::Clause) if scope.contains(hit.span) => {
                    return Some((id.clone(), hit.span));
                }
                Cue::Negative(id, Scope::Leading) if hit.span.end <= scope.end => {
                    return Some((id.clone(), hit.span));
                }
                Cue::Negative(..) => {}
            }
        }
        None
    }

    /// True when `cue` lies after the event's `scope`, in a clause that
    /// opens with a contrast word (但, 不过) and names a party other than
    /// the event's (nor of their groups): the clause turns to a matter of
    /// its own.
    fn turns_away(
        &self,
        text: &str,
        sentence: Span,
        scope: Span,
        cue: Span,
        (mentions, gazetteer): (&[Mention], &Gazetteer),
        (who, with): (&[usize], &[usize]),
    ) -> bool {
        if cue.start < scope.end {
            return false;
        }
        let clause = clause_of(text, sentence, cue);
        let opening = text[clause.range()].trim_start_matches(['，', ',', '；', ';', ' ']);
        if !self
            .contrast
            .iter()
            .any(|w| opening.starts_with(w.as_str()))
        {
            return false;
        }
        let name = |m: usize| crate::resolve::name(m, mentions, gazetteer);
        let ours = |m: usize| {
            who.iter()
                .chain(with)
                .any(|&p| crate::resolve::related(name(p), name(m), gazetteer))
        };
        entities_in(mentions, clause).any(|m| !ours(m))
    }
}

/// The first party of the sentence before, when `sentence` goes on in the
/// same paragraph: a sentence may leave its topic to the one before
/// (高德上线了聚合打车。此后，曹操出行、T3出行等平台陆续接入).
fn previous_topic(sentence: &Sentence, mentions: &[Mention], gazetteer: &Gazetteer) -> Vec<usize> {
    let Some(prev) = sentence
        .idx
        .checked_sub(1)
        .filter(|_| !sentence.first_in_line)
    else {
        return Vec::new();
    };
    let first = mentions.partition_point(|m| m.sentence < prev);
    (first..mentions.len())
        .take_while(|&m| mentions[m].sentence == prev)
        .find(|&m| {
            mentions[m].is_entity()
                && crate::resolve::kind_of(m, mentions, gazetteer) != "regulator"
        })
        .into_iter()
        .collect()
}
