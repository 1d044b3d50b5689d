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
//! [`document`] builds the whole [`DocumentOut`]; [`write_json`] writes the
//! same JSON straight from the extraction, a chunk of items at a time.

use std::io;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::ser::Formatter;

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
/// The lists are type parameters so that [`write_json`] takes the other
/// fields from the same place as [`document`] (the default, `Vec`s), then
/// writes the lists itself, in chunks; a test holds the two to the same
/// bytes.
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

/// Source items (mentions, events…) per chunk of a list that [`write_json`]
/// renders on one thread: a few hundred KB of JSON.
const CHUNK: usize = 512;

/// Writes an extraction in the wire format to `out`, the very bytes of
/// serializing [`document`]'s result with `formatter`, which is serde_json's
/// `PrettyFormatter` (at the depth where the document sits) or
/// `CompactFormatter`. Items are made and written a chunk at a time, never
/// the whole document first, so a huge document costs no more memory than
/// its extraction (every event repeats its sentence, which makes the owned
/// form several times the text). A long list's chunks are rendered on all
/// threads, a window of them at a time: one long document is otherwise
/// written by one thread while the others wait.
pub fn write_json<W, F>(
    pipeline: &Pipeline,
    x: &Extraction,
    out: &mut W,
    formatter: F,
) -> io::Result<()>
where
    W: io::Write,
    F: Formatter + Clone + Send + Sync,
{
    write_chunked(&Items::new(pipeline, x), out, formatter, CHUNK)
}

/// [`write_json`] with `chunk` source items per chunk.
fn write_chunked<W, F>(items: &Items, out: &mut W, mut f: F, chunk: usize) -> io::Result<()>
where
    W: io::Write,
    F: Formatter + Clone + Send + Sync,
{
    // The same fields, in the same order, as `DocumentOut`: its definition
    // is the wire format, and a test holds the two to the same bytes.
    let head = items.document((), (), (), ());
    let x = items.x;
    let mut fields = Fields::new(out, &mut f)?;
    fields.value("source", &head.source)?;
    fields.value("encoding", &head.encoding)?;
    if !is_zero(&head.replacements) {
        fields.value("replacements", &head.replacements)?;
    }
    fields.value("published", &head.published)?;
    fields.list("entities", x.mentions.len(), chunk, |i| {
        items.entity(&x.mentions[i])
    })?;
    fields.list("dates", x.mentions.len(), chunk, |i| items.date(i))?;
    fields.list("events", x.events.len(), chunk, |n| {
        Some(items.event(n, &x.events[n]))
    })?;
    fields.list("suppressed", x.suppressed.len(), chunk, |i| {
        Some(items.vetoed(&x.suppressed[i]))
    })?;
    fields.end()
}

/// An object being written field by field through a formatter, as
/// serde_json writes a struct.
struct Fields<'a, W, F> {
    out: &'a mut W,
    f: &'a mut F,
    first: bool,
}

impl<'a, W: io::Write, F: Formatter + Clone + Send + Sync> Fields<'a, W, F> {
    fn new(out: &'a mut W, f: &'a mut F) -> io::Result<Self> {
        f.begin_object(out)?;
        Ok(Fields {
            out,
            f,
            first: true,
        })
    }

    /// Writes `key` and the value `write` writes with the formatter.
    fn field(
        &mut self,
        key: &str,
        write: impl FnOnce(&mut W, &mut F) -> io::Result<()>,
    ) -> io::Result<()> {
        self.f.begin_object_key(self.out, self.first)?;
        self.first = false;
        // Field names are plain ASCII: nothing to escape.
        self.f.begin_string(self.out)?;
        self.f.write_string_fragment(self.out, key)?;
        self.f.end_string(self.out)?;
        self.f.end_object_key(self.out)?;
        self.f.begin_object_value(self.out)?;
        write(self.out, self.f)?;
        self.f.end_object_value(self.out)
    }

    fn value(&mut self, key: &str, value: &impl Serialize) -> io::Result<()> {
        self.field(key, |out, f| render(out, f.clone(), value))
    }

    /// A list of the items `item` makes of source indices `0..len`
    /// (`None`: no item), rendered `chunk` indices at a time, a window of
    /// chunks in parallel.
    fn list<T: Serialize>(
        &mut self,
        key: &str,
        len: usize,
        chunk: usize,
        item: impl Fn(usize) -> Option<T> + Sync,
    ) -> io::Result<()> {
        self.field(key, |out, f| {
            f.begin_array(out)?;
            // Each element as a later one writes it, separator first (a
            // comma, then a line break and indent when pretty).
            let f_in = &*f;
            let render_chunk = |start: usize| -> io::Result<Vec<u8>> {
                let mut buf = Vec::new();
                for i in start..(start + chunk).min(len) {
                    if let Some(item) = item(i) {
                        let mut element = f_in.clone();
                        element.begin_array_value(&mut buf, false)?;
                        render(&mut buf, element, &item)?;
                    }
                }
                Ok(buf)
            };
            let starts: Vec<usize> = (0..len).step_by(chunk.max(1)).collect();
            let window = 4 * rayon::current_num_threads();
            let mut any = false;
            for starts in starts.chunks(window) {
                let rendered: Vec<io::Result<Vec<u8>>> = match starts {
                    [one] => vec![render_chunk(*one)],
                    _ => starts.par_iter().map(|&s| render_chunk(s)).collect(),
                };
                for bytes in rendered {
                    let bytes = bytes?;
                    // The first element has no comma before it; otherwise
                    // both formatters write it as the others.
                    match bytes.split_first() {
                        Some((b',', rest)) if !any => out.write_all(rest)?,
                        _ => out.write_all(&bytes)?,
                    }
                    any |= !bytes.is_empty();
                }
            }
            if any {
                // Tells the formatter the list has elements (pretty
                // printing closes it on a line of its own).
                f.end_array_value(&mut io::sink())?;
            }
            f.end_array(out)
        })
    }

    fn end(self) -> io::Result<()> {
        self.f.end_object(self.out)
    }
}

/// `value`, serialized with `f` as it stands.
fn render<W: io::Write, F: Formatter>(out: &mut W, f: F, value: &impl Serialize) -> io::Result<()> {
    value
        .serialize(&mut serde_json::Serializer::with_formatter(out, f))
        .map_err(io::Error::from)
}

/// The wire-format items of one extraction, made on demand: what both
/// [`document`] and [`write_json`] read, so the two agree by construction.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Document, RuleSet};
    use serde_json::ser::{CompactFormatter, PrettyFormatter};

    fn chunked(
        pipeline: &Pipeline,
        x: &Extraction,
        f: impl Formatter + Clone + Send + Sync,
        chunk: usize,
    ) -> String {
        let mut out = Vec::new();
        write_chunked(&Items::new(pipeline, x), &mut out, f, chunk).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// However a list is cut into chunks (one item each, a few, more than
    /// a window of them), the bytes are serde_json's for the whole
    /// document, pretty or compact; an empty text has only empty lists.
    /// (`tests/corpus.rs` checks the same on every corpus article.)
    #[test]
    fn chunked_output_is_the_whole_document() {
        let pipeline = Pipeline::new(&RuleSet::embedded().unwrap()).unwrap();
        let seed = include_str!("../corpus/2024-09-06-taobao-wechat-pay.txt");
        let docs = [
            Document::new("empty.txt", "", None),
            Document::new("seed.txt", seed, None),
            Document::new("seeds.txt", seed.repeat(3), None),
        ];
        for doc in &docs {
            let x = pipeline.run(doc);
            let whole = document(&pipeline, &x);
            let pretty = serde_json::to_string_pretty(&whole).unwrap();
            let compact = serde_json::to_string(&whole).unwrap();
            for chunk in [1, 2, 7, CHUNK] {
                assert_eq!(
                    chunked(&pipeline, &x, PrettyFormatter::new(), chunk),
                    pretty
                );
                assert_eq!(chunked(&pipeline, &x, CompactFormatter, chunk), compact);
            }
        }
    }
}
