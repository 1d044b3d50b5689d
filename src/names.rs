//! Stage 4c: names the gazetteer does not know.
//!
//! Reads a sentence and its jieba tokens; produces candidate [`Mention`]s of
//! kind `Name` (output as `kind: "unknown"`), so a connection with a
//! newcomer (“甬城出行”接入云闪付) is still found. Two sources, driven by
//! `rules/names.toml`: a proper noun followed by an organization suffix
//! (重庆农村商业银行), and quoted text standing where a party stands. A name
//! once quoted is then found wherever the document repeats it unquoted
//! ([`NameTagger::repeat`]). Gazetteer matches win overlaps.

use std::collections::HashSet;
use std::sync::Arc;

use crate::mention::{Mention, MentionKind};
use crate::rules::{NamesFile, RuleSet};
use crate::segment::{Sentence, Words};
use crate::span::Span;

/// The quotes a name may stand in.
const QUOTES: &[(char, char)] = &[('“', '”'), ('「', '」'), ('"', '"')];

/// Finds organization and product names outside the gazetteer.
pub struct NameTagger {
    rules: NamesFile,
    known: HashSet<String>,
    never: HashSet<String>,
    /// The last characters of the suffixes, sorted: most words end with none
    /// of them and are passed over without comparing every suffix.
    suffix_ends: Vec<char>,
    suffix_rule: Arc<str>,
    quoted_rule: Arc<str>,
    repeat_rule: Arc<str>,
}

/// Ties go to gazetteer mentions (priority 0) and to times (priority = date
/// rule order): a quoted “双11” is a date, not a name.
const PRIORITY: usize = 1 << 20;

impl NameTagger {
    /// Prepares the tagger; names the gazetteer knows are never re-found here.
    pub fn new(rules: &RuleSet) -> Self {
        let known = rules
            .gazetteer
            .entities
            .iter()
            .flat_map(|e| e.names())
            .map(str::to_lowercase)
            .collect();
        NameTagger {
            rules: rules.names.clone(),
            known,
            never: rules.names.never.iter().cloned().collect(),
            suffix_ends: {
                let mut ends: Vec<char> = (rules.names.suffixes.iter())
                    .filter_map(|s| s.chars().next_back())
                    .collect();
                ends.sort_unstable();
                ends.dedup();
                ends
            },
            suffix_rule: "name.suffix".into(),
            repeat_rule: "name.repeat".into(),
            quoted_rule: "name.quoted".into(),
        }
    }

    /// The name without a decoration (App, 客户端) when what remains still
    /// ends in a suffix: 泰隆银行App and 泰隆银行 are one party.
    fn canonical<'n>(&self, name: &'n str) -> &'n str {
        let rules = &self.rules;
        rules
            .decorations
            .iter()
            .filter_map(|d| name.strip_suffix(d.as_str()))
            .find(|rest| rules.suffixes.iter().any(|s| rest.ends_with(s.as_str())))
            .unwrap_or(name)
    }

    /// Candidate names in one sentence of `text`, from its jieba `words`,
    /// away from the gazetteer mentions `known` found there.
    pub fn tag(
        &self,
        text: &str,
        sentence: &Sentence,
        words: &Words,
        known: &[Mention],
    ) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut push = |mut span: Span, rule: &Arc<str>| {
            // A preposition standing as its own word before the name (用 |
            // 泰隆银行App) is left out; one jieba glued into a word (对外部)
            // spoils the candidate.
            let prefix = |s: Span| {
                let name = &text[s.range()];
                self.rules
                    .never_start
                    .iter()
                    .find(|p| name.starts_with(p.as_str()))
                    .map(|p| s.start + p.len())
            };
            while let Some(at) = prefix(span) {
                if !words.spans.iter().any(|w| w.start == at) {
                    return;
                }
                span = Span::new(at, span.end);
            }
            let name = &text[span.range()];
            let free = !known.iter().any(|k| k.span.overlaps(span));
            // Nothing but endings (银行支付, 金融App) names no one.
            let mut rest = name;
            while let Some(r) = self
                .rules
                .suffixes
                .iter()
                .find_map(|s| rest.strip_suffix(s.as_str()))
            {
                rest = r;
            }
            let bare = rest.is_empty();
            if free
                && !name.is_empty()
                && !bare
                && !self.never.contains(name)
                && !(self.rules.never_end.iter()).any(|w| name.ends_with(w.as_str()))
                && !self.known.contains(&name.to_lowercase())
            {
                out.push(Mention {
                    span,
                    sentence: sentence.idx,
                    kind: MentionKind::Name(self.canonical(name).into()),
                    rule: rule.clone(),
                    priority: PRIORITY,
                });
            }
        };
        for (j, last) in words.spans.iter().enumerate() {
            let w = &text[last.range()];
            let end = w.chars().next_back();
            if end.is_none_or(|c| self.suffix_ends.binary_search(&c).is_err()) {
                continue;
            }
            let start = self
                .rules
                .suffixes
                .iter()
                .find(|s| w.ends_with(s.as_str()))
                .and_then(|suffix| self.suffix_start(text, words, j, suffix.len()));
            if let Some(i) = start {
                push(Span::new(words.spans[i].start, last.end), &self.suffix_rule);
            }
        }
        for span in self.quoted(text, sentence.span) {
            let one_word = words
                .spans
                .iter()
                .position(|w| *w == span)
                .is_some_and(|i| !self.is_proper(words, i));
            if !one_word {
                push(span, &self.quoted_rule);
            }
        }
        out
    }

    /// The first word of a suffix name ending at word `j`: the earliest
    /// proper noun within reach from which every word up to `j` is a noun.
    fn suffix_start(
        &self,
        text: &str,
        words: &Words,
        j: usize,
        suffix_len: usize,
    ) -> Option<usize> {
        // Parts of speech are asked for only once the word's text allows a
        // noun: each costs a jieba look-up (see `Words`).
        let nounish = |i: usize| {
            let word = &text[words.spans[i].range()];
            // A space inside a Latin name (Kakao Pay) keeps it one name.
            if word == " " {
                return words.pos(i).as_str() == "x";
            }
            let is_word = word.chars().all(|c| c.is_alphanumeric());
            let pos = || words.pos(i);
            is_word
                && (pos().as_str().starts_with('n')
                    || matches!(pos().as_str(), "j" | "eng" | "x")
                    || self.is_proper(words, i))
        };
        let reach = j.saturating_sub(self.rules.max_words - 1);
        let mut start = None;
        for i in (reach..=j).rev() {
            if i < j && !nounish(i) {
                break;
            }
            // A lone word must say more than its suffix (not just "App").
            if self.is_proper(words, i) && (i < j || words.spans[j].len() > suffix_len) {
                start = Some(i);
            }
        }
        start
    }

    fn is_proper(&self, words: &Words, i: usize) -> bool {
        let pos = words.pos(i);
        self.rules
            .proper_pos
            .iter()
            .any(|p| pos.as_str().starts_with(p.as_str()))
    }

    /// Quoted texts standing where a party stands.
    fn quoted(&self, text: &str, sentence: Span) -> Vec<Span> {
        let s = &text[sentence.range()];
        let mut out = Vec::new();
        for &(open, close) in QUOTES {
            let mut rest = 0;
            while let Some(a) = s[rest..].find(open).map(|i| rest + i + open.len_utf8()) {
                let Some(b) = s[a..].find(close).map(|i| a + i) else {
                    break;
                };
                rest = b + close.len_utf8();
                let inner = &s[a..b];
                let chars = inner.chars().count();
                let plain = inner.chars().all(|c| c.is_alphanumeric() || c == ' ');
                if !(2..=self.rules.max_quoted_chars).contains(&chars) || !plain {
                    continue;
                }
                let before = &s[..a - open.len_utf8()];
                let after = &s[rest..];
                let slot = self
                    .rules
                    .quoted_before
                    .iter()
                    .any(|w| after.starts_with(w.as_str()))
                    || self
                        .rules
                        .quoted_after
                        .iter()
                        .any(|w| before.ends_with(w.as_str()));
                if slot {
                    out.push(Span::new(a, b).shift(sentence.start));
                }
            }
        }
        out
    }

    /// The quoted terms the document defines (什么是“外卡内绑”, “外包内用”
    /// 则是指): concepts, not parties. One pass over the text per kind of
    /// quote, whatever the number of quoted names.
    fn defined<'t>(&self, text: &'t str) -> HashSet<&'t str> {
        let mut terms = HashSet::new();
        for &(open, close) in QUOTES {
            for (at, _) in text.match_indices(open) {
                let inner_start = at + open.len_utf8();
                let Some(len) = text[inner_start..].find(close) else {
                    break;
                };
                let inner = &text[inner_start..inner_start + len];
                if inner.contains(open) {
                    continue;
                }
                let before = &text[..at];
                let after = &text[inner_start + len + close.len_utf8()..];
                let after = after.strip_prefix('则').unwrap_or(after);
                let defines = self
                    .rules
                    .term_before
                    .iter()
                    .any(|w| before.ends_with(w.as_str()))
                    || self
                        .rules
                        .term_after
                        .iter()
                        .any(|w| after.starts_with(w.as_str()));
                if defines {
                    terms.insert(inner);
                }
            }
        }
        terms
    }

    /// Finds the document's quoted names again wherever they recur, and drops
    /// suffix names that only glue a word onto one of them (勾选甬城出行).
    pub fn repeat(&self, text: &str, sentences: &[Sentence], candidates: &mut Vec<Mention>) {
        let mut quoted: Vec<Arc<str>> = candidates
            .iter()
            .filter(|m| Arc::ptr_eq(&m.rule, &self.quoted_rule))
            .filter_map(|m| match &m.kind {
                MentionKind::Name(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        quoted.sort();
        quoted.dedup();
        let defined = self.defined(text);
        let (terms, names): (Vec<_>, Vec<_>) = quoted
            .into_iter()
            .partition(|q| defined.contains(q.as_ref()));
        candidates.retain(|c| !matches!(&c.kind, MentionKind::Name(n) if terms.contains(n)));
        let quoted = names;
        if quoted.is_empty() {
            return;
        }
        let Ok(finder) = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(quoted.iter().map(|q| q.as_ref()))
        else {
            return;
        };
        let found: Vec<Span> = finder
            .find_iter(text)
            .map(|m| Span::new(m.start(), m.end()))
            .collect();
        candidates.retain(|c| {
            let suffix_name = Arc::ptr_eq(&c.rule, &self.suffix_rule);
            !(suffix_name && found.iter().any(|f| c.span.contains(*f) && c.span != *f))
        });
        for span in found {
            if let Some(sentence) = crate::entities::sentence_of(sentences, span) {
                candidates.push(Mention {
                    span,
                    sentence,
                    kind: MentionKind::Name(text[span.range()].into()),
                    rule: self.repeat_rule.clone(),
                    priority: PRIORITY + 1,
                });
            }
        }
    }
}
