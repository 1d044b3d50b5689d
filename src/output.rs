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

use serde::{Deserialize, Serialize};

use crate::dates::TimeExpr;
use crate::document::Basis;
use crate::events::Event;
use crate::mention::{Mention, MentionKind};
use crate::resolve::name;
use crate::span::{CharOffsets, Span};
use crate::{Extraction, Pipeline};

/// One input's result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentOut {
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
    pub entities: Vec<EntityOut>,
    /// Time mentions.
    pub dates: Vec<DateOut>,
    /// Events.
    pub events: Vec<EventOut>,
    /// Vetoed candidates.
    pub suppressed: Vec<SuppressedOut>,
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
    let text = x.text;
    let offsets = CharOffsets::new(text);
    let gazetteer = &pipeline.rules().gazetteer;
    let slice = |span: Span| text[span.range()].to_string();
    let mut entities = Vec::new();
    let mut dates = Vec::new();
    for (i, m) in x.mentions.iter().enumerate() {
        match &m.kind {
            MentionKind::Entity(e) => {
                let e = &gazetteer.entities[*e];
                entities.push(EntityOut {
                    text: slice(m.span),
                    name: e.name.clone(),
                    kind: e.kind.clone(),
                    group: e.group.clone(),
                    span: offsets.chars(m.span),
                    rule: m.rule.to_string(),
                });
            }
            MentionKind::Name(name) => entities.push(EntityOut {
                text: slice(m.span),
                name: name.to_string(),
                kind: "unknown".to_string(),
                group: None,
                span: offsets.chars(m.span),
                rule: m.rule.to_string(),
            }),
            // 近日 and its kind are no calendar expression: only an event's `when`.
            MentionKind::Time {
                expr: TimeExpr::Approx,
                ..
            } => {}
            MentionKind::Time { qualifier, .. } => {
                let value = x.times[i].as_ref();
                dates.push(DateOut {
                    text: slice(m.span),
                    value: value.map(|v| v.value()),
                    granularity: value.map(|v| v.granularity().to_string()),
                    qualifier: qualifier.as_ref().map(|(q, _)| q.to_string()),
                    span: offsets.chars(m.span),
                    rule: m.rule.to_string(),
                });
            }
        }
    }
    let party = |i: usize| {
        let m: &Mention = &x.mentions[i];
        PartyOut {
            text: slice(m.span),
            name: name(i, &x.mentions, gazetteer).to_string(),
            span: offsets.chars(m.span),
        }
    };
    let sentence = |idx: usize| {
        let span = x.sentences[idx].span;
        SentenceOut {
            text: slice(span),
            span: offsets.chars(span),
        }
    };
    let stem = crate::document::stem(x.source);
    let events = x
        .events
        .iter()
        .enumerate()
        .map(|(n, e): (usize, &Event)| EventOut {
            id: format!("{stem}#{}", n + 1),
            kind: e.kind.as_str().to_string(),
            who: e.who.iter().map(|&m| party(m)).collect(),
            with: e.with.iter().map(|&m| party(m)).collect(),
            when: e.when.map(|w| {
                let m = &x.mentions[w.mention];
                let (span, qualifier) = match &m.kind {
                    MentionKind::Time {
                        qualifier: Some((q, qs)),
                        ..
                    } => (m.span.cover(*qs), Some(q.to_string())),
                    _ => (m.span, None),
                };
                WhenOut {
                    text: slice(span),
                    value: x.times[w.mention].as_ref().map(|v| v.value()),
                    qualifier,
                    span: offsets.chars(span),
                    basis: w.basis.to_string(),
                    approximate: matches!(
                        m.kind,
                        MentionKind::Time {
                            expr: TimeExpr::Approx,
                            ..
                        }
                    ),
                }
            }),
            how: HowOut {
                kind: e.how.to_string(),
                trigger: slice(e.trigger),
                span: offsets.chars(e.trigger),
            },
            sentence: sentence(e.sentence),
            rule: e.rule.to_string(),
        })
        .collect();
    let suppressed = x
        .suppressed
        .iter()
        .map(|s| SuppressedOut {
            who: s
                .event
                .who
                .iter()
                .map(|&m| name(m, &x.mentions, gazetteer).to_string())
                .collect(),
            with: s
                .event
                .with
                .iter()
                .map(|&m| name(m, &x.mentions, gazetteer).to_string())
                .collect(),
            polarity: s.polarity.to_string(),
            cue: SentenceOut {
                text: slice(s.cue),
                span: offsets.chars(s.cue),
            },
            sentence: sentence(s.event.sentence),
            rule: s.event.rule.to_string(),
        })
        .collect();
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
