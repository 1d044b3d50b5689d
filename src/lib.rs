//! `extract` reads Chinese news about platform interconnection (互联互通) and
//! returns structured events: who connected with whom, when, and how, with
//! the exact evidence behind each field.
//!
//! The work is a pipeline of typed stages, each a module with one job:
//!
//! ```text
//! bytes ──decode──▶ Document{source, text, published?}
//!       ──segment::sentences──▶ Vec<Sentence>            (。！？； line breaks, headings, bullets)
//!       ──Segmenter::words──▶ Words                      (jieba, gazetteer names as user words)
//!       ──EntityTagger + DateTagger──▶ Vec<Mention>      (resolve_overlaps: longest, earliest, rule order)
//!       ──EventLinker::link──▶ Vec<Event>                (patterns over sentence skeletons, polarity veto)
//!       ──publication──▶ the date, unless given           (dateline, years written out, weekdays)
//!       ──resolve──▶ times, back-references, when, tidy  (relative dates, 双方, timeline bullets)
//!       ──output──▶ JSON per OUTPUT.md
//! ```
//!
//! Rules are data (`rules/`), embedded by default and overridable with
//! [`RuleSet::from_dir`]. A [`Pipeline`] is built once (jieba's dictionary,
//! compiled regexes and automata) and run on many documents; running never
//! fails, only loading rules and reading inputs can.
//!
//! ```
//! use extract::{Document, Pipeline, RuleSet};
//!
//! let pipeline = Pipeline::new(&RuleSet::embedded().unwrap()).unwrap();
//! let doc = Document::new("2024-09-06-demo.txt", "9月12日起，淘宝逐步向所有卖家开放微信支付。", None);
//! let out = extract::output::document(&pipeline, &pipeline.run(&doc));
//! let event = &out.events[0];
//! assert_eq!((event.who[0].name.as_str(), event.with[0].name.as_str()), ("淘宝", "微信支付"));
//! assert_eq!(event.when.as_ref().unwrap().value.as_deref(), Some("2024-09-12"));
//! assert_eq!(event.how.kind, "payment");
//! ```

#![warn(missing_docs)]

pub mod dates;
pub mod decode;
pub mod document;
pub mod entities;
pub mod error;
pub mod eval;
pub mod events;
pub mod gate;
pub mod jsonl;
pub mod mention;
pub mod merge;
pub mod names;
pub mod output;
pub mod pairs;
pub mod parallel;
pub mod period;
pub mod publication;
pub mod render;
pub mod resolve;
pub mod rules;
pub mod segment;
pub mod skeleton;
pub mod span;

use std::borrow::Cow;

use chrono::NaiveDate;

pub use dates::{DateTagger, TimeValue};
pub use document::{Basis, Document};
pub use entities::EntityTagger;
pub use error::{Error, Result};
pub use events::{Event, EventLinker, Suppressed};
pub use mention::Mention;
pub use rules::RuleSet;
pub use segment::{Segmenter, Sentence, Token, Words};
pub use span::Span;

/// Everything the pipeline found in one document.
#[derive(Debug)]
pub struct Extraction<'d> {
    /// The source name.
    pub source: Cow<'d, str>,
    /// The decoded text every span indexes: the document's, borrowed by
    /// [`Pipeline::run`], moved in by [`Pipeline::run_owned`]; never a copy.
    pub text: Cow<'d, str>,
    /// The encoding the input was decoded from.
    pub encoding: &'static str,
    /// Malformed sequences or NUL bytes the decoder replaced (`--lossy`).
    pub replacements: usize,
    /// The publication date and where it came from.
    pub published: Option<(NaiveDate, Basis)>,
    /// The sentences.
    pub sentences: Vec<Sentence>,
    /// Entity and time mentions, sorted, without overlaps.
    pub mentions: Vec<Mention>,
    /// Resolved value of each time mention (index-aligned with `mentions`).
    pub times: Vec<Option<TimeValue>>,
    /// The events, in text order.
    pub events: Vec<Event>,
    /// Candidates a polarity cue vetoed.
    pub suppressed: Vec<Suppressed>,
}

/// The built pipeline: every stage, ready to run on many documents.
pub struct Pipeline {
    rules: RuleSet,
    segmenter: Segmenter,
    entities: EntityTagger,
    names: names::NameTagger,
    dates: DateTagger,
    events: EventLinker,
}

impl Pipeline {
    /// Builds every stage from `rules`. Fails on a rule that does not compile
    /// or whose examples do not hold.
    pub fn new(rules: &RuleSet) -> Result<Self> {
        // jieba's dictionary load is most of start-up; the other stages
        // (regex compilation, automata, the date examples) and then jieba's
        // part-of-speech model are built beside it, on one other thread:
        // a third would take the load's core from it on a two-core machine.
        std::thread::scope(|scope| {
            let segmenter = scope.spawn(|| Segmenter::new(rules));
            let entities = EntityTagger::new(rules);
            let names = names::NameTagger::new(rules);
            let dates = DateTagger::new(rules);
            let events = EventLinker::new(rules);
            Segmenter::warm_up();
            let segmenter = match segmenter.join() {
                Ok(segmenter) => segmenter,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            Ok(Pipeline {
                segmenter,
                entities: entities?,
                names,
                dates: dates?,
                events: events?,
                rules: rules.clone(),
            })
        })
    }

    /// The rules the pipeline was built from.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Runs every stage on one document, taking it: the extraction owns the
    /// text (moved, not copied), so it can be kept or sent to another thread
    /// without its document, and written out later.
    pub fn run_owned(&self, doc: Document) -> Extraction<'static> {
        let found = self.stages(&doc);
        let (encoding, replacements) = (doc.encoding, doc.replacements);
        found.into_extraction(
            Cow::Owned(doc.source),
            Cow::Owned(doc.text),
            encoding,
            replacements,
        )
    }

    /// Runs every stage on one document.
    pub fn run<'d>(&self, doc: &'d Document) -> Extraction<'d> {
        let found = self.stages(doc);
        let text = Cow::Borrowed(doc.text.as_str());
        found.into_extraction(
            Cow::Borrowed(&doc.source),
            text,
            doc.encoding,
            doc.replacements,
        )
    }

    /// What the stages find in one document.
    fn stages(&self, doc: &Document) -> Found {
        let text = doc.text.as_str();
        let sentences = segment::sentences(text);
        // Time expressions (regexes over the whole text) are found while the
        // sentences are tagged: the two read nothing of each other. Words
        // live only as long as their sentence: memory stays proportional to
        // the mentions, not to the words of the text.
        // The polarity cues a sentence's words allow are found here too, so
        // linking need not segment the sentence again.
        let (dates, (mut candidates, cues)) = rayon::join(
            || self.dates.tag(text, &sentences),
            || {
                parallel::flat_map2(&sentences, |s| {
                    let words = self.segmenter.words(text, s);
                    let mut found = self.entities.tag(text, s, &words.spans);
                    let new = self.names.tag(text, s, &words, &found);
                    found.extend(new);
                    (found, self.events.cues(text, s, &words.spans))
                })
            },
        );
        self.names.repeat(text, &sentences, &mut candidates);
        candidates.extend(dates);
        let mentions = mention::resolve_overlaps(candidates);

        let gazetteer = &self.rules.gazetteer;
        // Linking reads the whole document's mentions but writes only its
        // own sentence's events: sentences link in parallel, in order.
        let times = |published| {
            let dates = &self.dates;
            resolve::times(text, &mentions, published, dates.up_to_now(), dates.as_of())
        };
        // Without a known publication date, each time is also read against a
        // probe year, to see how far it lies from the publication (see
        // `publication`): one pass over the document, run beside linking.
        let (linked, probed) = rayon::join(
            || {
                parallel::map(&sentences, |s| {
                    // The sentence's mentions: a run of `mentions`, which is sorted.
                    let inside: Vec<usize> = (mentions.partition_point(|m| m.sentence < s.idx)
                        ..mentions.partition_point(|m| m.sentence <= s.idx))
                        .collect();
                    let cues = &cues[cues.partition_point(|c| c.sentence < s.idx)
                        ..cues.partition_point(|c| c.sentence <= s.idx)];
                    self.events
                        .link(text, s, &mentions, &inside, gazetteer, cues)
                })
            },
            || match doc.published {
                Some(_) => Vec::new(),
                None => times(Some(publication::PROBE)),
            },
        );
        let mut events = Vec::with_capacity(linked.iter().map(|(e, _)| e.len()).sum());
        let mut suppressed = Vec::with_capacity(linked.iter().map(|(_, v)| v.len()).sum());
        for (e, v) in linked {
            events.extend(e);
            suppressed.extend(v);
        }
        let events = resolve::backrefs(
            events,
            &mentions,
            gazetteer,
            text,
            &self.rules.events.refer,
            &self.rules.events.refer_nearest,
        );
        let mut events = resolve::tidy(events, &mentions, gazetteer, text);
        resolve::similar_types(&mut events, text, &self.rules.events.similar);
        resolve::when(
            &mut events,
            &sentences,
            &mentions,
            text,
            &self.rules.events.restate,
            &self.rules.events.shift,
            gazetteer,
        );

        // The publication date is read last: a milestone among the events
        // (去年9月 on an event whose month the rules know) may date the text.
        let published = publication::publication(
            text,
            doc.published,
            &sentences,
            &mentions,
            &publication::Events {
                events: &events,
                probed: &probed,
                gazetteer,
            },
            self.dates.publication_cues(),
        );
        let times = times(published.map(|(d, _)| d));

        Found {
            published,
            sentences,
            mentions,
            times,
            events,
            suppressed,
        }
    }
}

/// An [`Extraction`] without its document: what [`Pipeline::run`] and
/// [`Pipeline::run_owned`] share before one borrows the text and the other
/// takes it.
struct Found {
    published: Option<(NaiveDate, Basis)>,
    sentences: Vec<Sentence>,
    mentions: Vec<Mention>,
    times: Vec<Option<TimeValue>>,
    events: Vec<Event>,
    suppressed: Vec<Suppressed>,
}

impl Found {
    fn into_extraction<'d>(
        self,
        source: Cow<'d, str>,
        text: Cow<'d, str>,
        encoding: &'static str,
        replacements: usize,
    ) -> Extraction<'d> {
        Extraction {
            source,
            text,
            encoding,
            replacements,
            published: self.published,
            sentences: self.sentences,
            mentions: self.mentions,
            times: self.times,
            events: self.events,
            suppressed: self.suppressed,
        }
    }
}
