//! Stage 4a: entity mentions from the gazetteer.
//!
//! Reads the text and its jieba tokens; produces candidate [`Mention`]s of
//! kind `Entity`. One Aho-Corasick automaton holds every name and alias
//! (ASCII case-insensitive); a match counts only when it starts and ends on
//! token boundaries, so 京东 inside 京东方 is not 京东. A platform written
//! right before a payment code word is its wallet (微信收款码: 微信支付).

use std::collections::HashMap;
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
    /// Platform entity → its wallet entity (`wallet_of` in names.toml).
    wallet_of: HashMap<usize, usize>,
    /// Payment code words (收款码), after which a platform means its wallet.
    code_words: Vec<String>,
    /// Words around a platform one pays with (用…付款): it means its wallet.
    paid_with: (Vec<String>, Vec<String>),
    /// Marks after a name that make it describe its group's products (系).
    affiliation: Vec<String>,
    /// Words beginning with such a mark that are not one (系统).
    affiliation_not: Vec<String>,
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
        // A pair naming an entity the gazetteer lacks is left out, so a
        // smaller gazetteer given with --rules still loads.
        let id = |name: &str| rules.gazetteer.id_of(name);
        let wallet_of: HashMap<usize, usize> = rules
            .names
            .wallet_of
            .iter()
            .filter_map(|(platform, wallet)| Some((id(platform)?, id(wallet)?)))
            .collect();
        Ok(EntityTagger {
            automaton,
            entity_of,
            wallet_of,
            code_words: rules.names.code_words.clone(),
            paid_with: (
                rules.names.paid_with_before.clone(),
                rules.names.paid_with_after.clone(),
            ),
            affiliation: rules.names.affiliation.clone(),
            affiliation_not: rules.names.affiliation_not.clone(),
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
            .filter(|(_, span)| {
                on_word_boundaries(words, *span) && !self.describes_products(text, *span)
            })
            .map(|(m, span)| Mention {
                span,
                sentence: sentence.idx,
                kind: MentionKind::Entity(self.owner(
                    text,
                    span,
                    self.entity_of[m.pattern().as_usize()],
                )),
                rule: self.rule.clone(),
                priority: 0,
            })
            .collect()
    }

    /// True when the name at `span` only says whose products follow
    /// (阿里系应用): no party is named.
    fn describes_products(&self, text: &str, span: Span) -> bool {
        let after = &text[span.end..];
        self.affiliation
            .iter()
            .any(|w| after.starts_with(w.as_str()))
            && !self
                .affiliation_not
                .iter()
                .any(|w| after.starts_with(w.as_str()))
    }

    /// The entity a name at `span` stands for: its wallet when it names a
    /// platform's payment code (微信收款码) or what one pays with (用微信付款),
    /// else itself.
    fn owner(&self, text: &str, span: Span, entity: usize) -> usize {
        let (before, after) = (&text[..span.start], &text[span.end..]);
        let starts = |words: &[String]| words.iter().any(|w| after.starts_with(w.as_str()));
        let ends = |words: &[String]| words.iter().any(|w| before.ends_with(w.as_str()));
        let (paid_before, paid_after) = &self.paid_with;
        // Or a code further on in the same phrase (微信个人及小微商户收款码,
        // 微信、支付宝收款码).
        let code_later = || {
            let end = after
                .char_indices()
                .take_while(|&(_, c)| {
                    !"，。；：！？,.;:!?（）()“”\"".contains(c) && !c.is_whitespace()
                })
                .take(CODE_REACH)
                .last()
                .map_or(0, |(i, c)| i + c.len_utf8());
            let phrase = &after[..end];
            self.code_words
                .iter()
                .any(|w| w.ends_with('码') && phrase.contains(w.as_str()))
        };
        match self.wallet_of.get(&entity) {
            Some(&wallet)
                if starts(&self.code_words)
                    || code_later()
                    || (ends(paid_before) && starts(paid_after)) =>
            {
                wallet
            }
            _ => entity,
        }
    }
}

/// How many characters after a platform's name a payment code may end and
/// still be its wallet's (微信个人及小微商户收款码).
const CODE_REACH: usize = 12;

/// The index of the sentence containing `span`, if one does.
pub fn sentence_of(sentences: &[Sentence], span: Span) -> Option<usize> {
    let i = sentences.partition_point(|s| s.span.start <= span.start);
    let s = sentences.get(i.checked_sub(1)?)?;
    s.span.contains(span).then_some(s.idx)
}
