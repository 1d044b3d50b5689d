//! Stage 4a: entity mentions from the gazetteer.
//!
//! Reads the text and its jieba tokens; produces candidate [`Mention`]s of
//! kind `Entity`. One Aho-Corasick automaton holds every name and alias
//! (ASCII case-insensitive); a match counts only when it starts and ends on
//! token boundaries, so 京东 inside 京东方 is not 京东.

use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::error::{Error, Result};
use crate::mention::{Mention, MentionKind};
use crate::rules::RuleSet;
use crate::segment::{Sentence, on_word_boundaries};
use crate::span::Span;

/// Finds gazetteer names in text.
pub struct EntityTagger {
    automaton: AhoCorasick,
    /// Pattern index → entity index.
    entity_of: Vec<usize>,
    rule: Arc<str>,
}

impl EntityTagger {
    /// Builds the automaton over every name and alias.
    pub fn new(rules: &RuleSet) -> Result<Self> {
        let mut names = Vec::new();
        let mut entity_of = Vec::new();
        for (i, entity) in rules.gazetteer.entities.iter().enumerate() {
            for name in entity.names() {
                names.push(name);
                entity_of.push(i);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&names)
            .map_err(|e| {
                Error::rule(
                    "rules/entities",
                    0,
                    format!("cannot build the name matcher: {e}"),
                )
            })?;
        Ok(EntityTagger {
            automaton,
            entity_of,
            rule: "entity.gazetteer".into(),
        })
    }

    /// Candidate entity mentions in one sentence of `text`, aligned to that
    /// sentence's jieba `words` (sorted spans into `text`).
    pub fn tag(&self, text: &str, sentence: &Sentence, words: &[Span]) -> Vec<Mention> {
        let offset = sentence.span.start;
        self.automaton
            .find_overlapping_iter(&text[sentence.span.range()])
            .map(|m| (m, Span::new(m.start(), m.end()).shift(offset)))
            .filter(|(_, span)| on_word_boundaries(words, *span))
            .map(|(m, span)| Mention {
                span,
                sentence: sentence.idx,
                kind: MentionKind::Entity(self.entity_of[m.pattern().as_usize()]),
                rule: self.rule.clone(),
                priority: 0,
            })
            .collect()
    }
}

/// The index of the sentence containing `span`, if one does.
pub fn sentence_of(sentences: &[Sentence], span: Span) -> Option<usize> {
    let i = sentences.partition_point(|s| s.span.start <= span.start);
    let s = sentences.get(i.checked_sub(1)?)?;
    s.span.contains(span).then_some(s.idx)
}
