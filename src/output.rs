//! Stage 7: the JSON wire format, as `../shared/OUTPUT.md` specifies.
//!
//! One [`DocumentOut`] per input:
//!
//! - `source`, `encoding`, `replacements` (only when `--lossy` replaced
//!   something), `published {value, basis}`;
//! - `entities`: every entity mention `{text, name, kind, group, span}`;
//! - `dates`: every time mention `{text, value, granularity, qualifier, span, rule}`;
//! - `events`: `{id, kind, who, with, when, how {type, trigger, span},
//!   sentence {text, span}, rule}`; `when` carries `basis`, the way its time
//!   was chosen (`clause`, `sentence`, `bullet`, `restated`);
//! - `suppressed`: candidates a polarity cue vetoed (rumour, denial, pending,
//!   blocked), with the cue, so a reviewer sees why no event was made.
//!
//! Every `span` is `[start, end)` in Unicode code points of the decoded text
//! and slices it to exactly the `text` beside it. Vectors are in text order,
//! so the same input and rules give byte-identical JSON.
//!
//! [`document`] builds the whole [`DocumentOut`]; [`serialize`] writes the
//! same JSON straight from the extraction, one item at a time, so a huge
//! document costs no more memory than its extraction (every event repeats
//! its sentence, which makes the owned form several times the text).

use serde::{Deserialize, Serialize, Serializer};

use crate::dates::TimeExpr;
use crate::document::Basis;
use crate::events::{Event, Suppressed, When};
use crate::mention::{Mention, MentionKind};
use crate::resolve::name;
use crate::rules::Gazetteer;
use crate::span::{CharOffsets, Span};
use crate::{Extraction, Pipeline};

/// One input's result.
///
/// The lists are type parameters so that one definition (field names, order,
/// serde attributes) serves both the owned document of [`document`] (the
/// default, `Vec`s) and the one [`serialize`] writes item by item: the two
/// cannot drift apart, and their JSON is the same bytes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentOut<
    E = Vec<EntityOut>,
    D = Vec<DateOut>,
    V = Vec<EventOut>,
    S = Vec<SuppressedOut>,
> {
    /// The input as named on the command line.
    pub source: String,
    /// The encoding the input was decoded from.
    pub encoding: String,
    /// Malformed sequences or NUL bytes replaced by U+FFFD under `--lossy`;
    /// written only when non-zero, so clean inputs keep their exact shape.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub replacements: usize,
    /// Publication date and its basis.
    pub published: PublishedOut,
    /// Entity mentions.
    pub entities: E,
    /// Time mentions.
    pub dates: D,
    /// Events.
    pub events: V,
    /// Vetoed candidates.
    pub suppressed: S,
}

/// `published`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PublishedOut {
    /// `YYYY-MM-DD` or null.
    pub value: Option<String>,
    /// `flag`, `filename`, `dateline`, `inferred` or null.
    pub basis: Option<Basis>,
}

/// An entity mention.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EntityOut {
    /// As written.
    pub text: String,
    /// Canonical name.
    pub name: String,
    /// Kind (`platform`, `payment`, …).
    pub kind: String,
    /// Parent company, or null.
    pub group: Option<String>,
    /// Character span.
    pub span: [usize; 2],
    /// The rule that found it: `entity.gazetteer`, or `name.*` for a name
    /// the gazetteer does not know (kind `unknown`).
    #[serde(default)]
    pub rule: String,
}

/// A time mention.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DateOut {
    /// As written, without qualifier.
    pub text: String,
    /// ISO value, or null when nothing anchors it.
    pub value: Option<String>,
    /// `year`, `half`, `quarter`, `month`, `day` or `range`.
    pub granularity: Option<String>,
    /// `from`, `before`, `since`, `end`, `start`, … or null.
    pub qualifier: Option<String>,
    /// Character span.
    pub span: [usize; 2],
    /// The date rule.
    pub rule: String,
}

/// A party of an event.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PartyOut {
    /// As written.
    pub text: String,
    /// Canonical name.
    pub name: String,
    /// Character span.
    pub span: [usize; 2],
}

/// An event's time.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WhenOut {
    /// As written, with its qualifier.
    pub text: String,
    /// ISO value, or null.
    pub value: Option<String>,
    /// Qualifier, or null.
    pub qualifier: Option<String>,
    /// Character span of `text`.
    pub span: [usize; 2],
    /// `clause`, `sentence`, `bullet` or `restated`.
    pub basis: String,
    /// True for 近日/日前-style times: near publication, `value` null.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
}

/// How parties connect.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HowOut {
    /// One of the OUTPUT.md types.
    #[serde(rename = "type")]
    pub kind: String,
    /// The trigger word.
    pub trigger: String,
    /// Character span of the trigger.
    pub span: [usize; 2],
}

/// A sentence as evidence.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SentenceOut {
    /// The sentence.
    pub text: String,
    /// Character span.
    pub span: [usize; 2],
}

/// An event.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventOut {
    /// `<file stem>#<n>`.
    pub id: String,
    /// `connection` or `policy`.
    pub kind: String,
    /// Acting parties.
    pub who: Vec<PartyOut>,
    /// Other parties.
    pub with: Vec<PartyOut>,
    /// Time, or null.
    pub when: Option<WhenOut>,
    /// Type and trigger.
    pub how: HowOut,
    /// The evidence sentence.
    pub sentence: SentenceOut,
    /// The event rule.
    pub rule: String,
}

/// A vetoed candidate.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SuppressedOut {
    /// Canonical names of the would-be `who`.
    pub who: Vec<String>,
    /// Canonical names of the would-be `with`.
    pub with: Vec<String>,
    /// The polarity family.
    pub polarity: String,
    /// The cue word.
    pub cue: SentenceOut,
    /// The sentence.
    pub sentence: SentenceOut,
    /// The event rule that matched.
    pub rule: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Renders an extraction in the wire format.
pub fn document(pipeline: &Pipeline, x: &Extraction) -> DocumentOut {
    let items = Items::new(pipeline, x);
    items.document(
        items.entities().collect(),
        items.dates().collect(),
        items.events().collect(),
        items.suppressed().collect(),
    )
}

/// Writes an extraction in the wire format to `serializer`, exactly as
/// [`document`]'s result would serialize, but building one item at a time
/// instead of the whole document first.
pub fn serialize<S: Serializer>(
    pipeline: &Pipeline,
    x: &Extraction,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let items = Items::new(pipeline, x);
    items
        .document(
            Lazy(|| items.entities()),
            Lazy(|| items.dates()),
            Lazy(|| items.events()),
            Lazy(|| items.suppressed()),
        )
        .serialize(serializer)
}

/// A list serialized from the iterator its function makes, never collected.
struct Lazy<F>(F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// The wire-format items of one extraction, made on demand: what both
/// [`document`] and [`serialize`] read, so the two agree by construction.
struct Items<'x> {
    x: &'x Extraction<'x>,
    gazetteer: &'x Gazetteer,
    offsets: CharOffsets<'x>,
    /// The prefix of event ids.
    stem: &'x str,
}

impl<'x> Items<'x> {
    fn new(pipeline: &'x Pipeline, x: &'x Extraction<'x>) -> Self {
        Items {
            x,
            gazetteer: &pipeline.rules().gazetteer,
            offsets: CharOffsets::new(&x.text),
            stem: crate::document::stem(&x.source),
        }
    }

    /// The document around its four lists.
    fn document<E, D, V, S>(
        &self,
        entities: E,
        dates: D,
        events: V,
        suppressed: S,
    ) -> DocumentOut<E, D, V, S> {
        let x = self.x;
        DocumentOut {
            source: x.source.to_string(),
            encoding: x.encoding.to_string(),
            replacements: x.replacements,
            published: PublishedOut {
                value: x.published.map(|(d, _)| d.format("%Y-%m-%d").to_string()),
                basis: x.published.map(|(_, b)| b),
            },
            entities,
            dates,
            events,
            suppressed,
        }
    }

    fn entities(&self) -> impl Iterator<Item = EntityOut> + '_ {
        self.x.mentions.iter().filter_map(|m| self.entity(m))
    }

    fn dates(&self) -> impl Iterator<Item = DateOut> + '_ {
        (0..self.x.mentions.len()).filter_map(|i| self.date(i))
    }

    fn events(&self) -> impl Iterator<Item = EventOut> + '_ {
        self.x
            .events
            .iter()
            .enumerate()
            .map(|(n, e)| self.event(n, e))
    }

    fn suppressed(&self) -> impl Iterator<Item = SuppressedOut> + '_ {
        self.x.suppressed.iter().map(|s| self.vetoed(s))
    }

    /// The text of `span`.
    fn slice(&self, span: Span) -> String {
        self.x.text[span.range()].to_string()
    }

    /// A span of text with the text it covers.
    fn evidence(&self, span: Span) -> SentenceOut {
        SentenceOut {
            text: self.slice(span),
            span: self.offsets.chars(span),
        }
    }

    /// `m` as an entity, or `None` for a time mention.
    fn entity(&self, m: &Mention) -> Option<EntityOut> {
        let (name, kind, group) = match &m.kind {
            MentionKind::Entity(e) => {
                let e = &self.gazetteer.entities[*e];
                (e.name.clone(), e.kind.clone(), e.group.clone())
            }
            MentionKind::Name(name) => (name.to_string(), "unknown".to_string(), None),
            MentionKind::Time(_) => return None,
        };
        Some(EntityOut {
            text: self.slice(m.span),
            name,
            kind,
            group,
            span: self.offsets.chars(m.span),
            rule: m.rule.to_string(),
        })
    }

    /// Mention `i` as a date, or `None` for an entity or an approximate
    /// time (近日 and its kind are no calendar expression: only an event's
    /// `when`).
    fn date(&self, i: usize) -> Option<DateOut> {
        let m = &self.x.mentions[i];
        let MentionKind::Time(time) = &m.kind else {
            return None;
        };
        if matches!(time.expr, TimeExpr::Approx) {
            return None;
        }
        let value = self.x.times[i].as_ref();
        Some(DateOut {
            text: self.slice(m.span),
            value: value.map(|v| v.value()),
            granularity: value.map(|v| v.granularity().to_string()),
            qualifier: time.qualifier.as_ref().map(|(q, _)| q.to_string()),
            span: self.offsets.chars(m.span),
            rule: m.rule.to_string(),
        })
    }

    /// The canonical name of mention `i`.
    fn name(&self, i: usize) -> String {
        name(i, &self.x.mentions, self.gazetteer).to_string()
    }

    fn party(&self, i: usize) -> PartyOut {
        let m: &Mention = &self.x.mentions[i];
        PartyOut {
            text: self.slice(m.span),
            name: self.name(i),
            span: self.offsets.chars(m.span),
        }
    }

    fn sentence(&self, idx: usize) -> SentenceOut {
        self.evidence(self.x.sentences[idx].span)
    }

    /// The `n`th event (from 0).
    fn event(&self, n: usize, e: &Event) -> EventOut {
        EventOut {
            id: format!("{}#{}", self.stem, n + 1),
            kind: e.kind.as_str().to_string(),
            who: e.who.iter().map(|&m| self.party(m)).collect(),
            with: e.with.iter().map(|&m| self.party(m)).collect(),
            when: e.when.map(|w| self.when(w)),
            how: HowOut {
                kind: e.how.to_string(),
                trigger: self.slice(e.trigger),
                span: self.offsets.chars(e.trigger),
            },
            sentence: self.sentence(e.sentence),
            rule: e.rule.to_string(),
        }
    }

    /// An event's time, its qualifier included in `text` and `span`.
    fn when(&self, w: When) -> WhenOut {
        let m = &self.x.mentions[w.mention];
        let time = match &m.kind {
            MentionKind::Time(time) => Some(time),
            _ => None,
        };
        let (span, qualifier) = match time.and_then(|t| t.qualifier.as_ref()) {
            Some((q, qs)) => (m.span.cover(*qs), Some(q.to_string())),
            None => (m.span, None),
        };
        WhenOut {
            text: self.slice(span),
            value: self.x.times[w.mention].as_ref().map(|v| v.value()),
            qualifier,
            span: self.offsets.chars(span),
            basis: w.basis.to_string(),
            approximate: time.is_some_and(|t| matches!(t.expr, TimeExpr::Approx)),
        }
    }

    fn vetoed(&self, s: &Suppressed) -> SuppressedOut {
        let names = |ms: &[usize]| ms.iter().map(|&m| self.name(m)).collect();
        SuppressedOut {
            who: names(&s.event.who),
            with: names(&s.event.with),
            polarity: s.polarity.to_string(),
            cue: self.evidence(s.cue),
            sentence: self.sentence(s.event.sentence),
            rule: s.event.rule.to_string(),
        }
    }
}
