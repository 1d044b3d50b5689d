//! The sentence skeleton that event patterns run over: the sentence text
//! with every entity mention replaced by one placeholder character (a party,
//! or a regulator) and every time mention by another, so a rule can say
//! "a list of parties, a short gap, 接入, a party" as a plain regex:
//!
//! ```text
//! 9月4日，美团外卖、美团酒店两大核心业务也同步上线支付宝小程序
//! \u{E001}，\u{E000}、\u{E000}两大核心业务也同步上线\u{E000}小程序
//! ```
//!
//! Rule files write the placeholders as `\x{E000}` (party), `\x{E001}` (time)
//! and `\x{E002}` (regulator), usually through the fragments `{E}`, `{T}`, `{R}`.

use crate::mention::{Mention, MentionKind};
use crate::rules::Gazetteer;
use crate::span::{Span, bounded_by};

/// Placeholder for an entity that can be a party of a connection.
pub const PARTY: char = '\u{E000}';
/// Placeholder for a time expression.
pub const TIME: char = '\u{E001}';
/// Placeholder for a regulator (a party of policy events only).
pub const REGULATOR: char = '\u{E002}';

/// The placeholders, in the order of [`Skeleton::marks`].
pub const MARKS: [char; 3] = [PARTY, TIME, REGULATOR];

/// One run of the skeleton: verbatim text, or a placeholder for a mention.
#[derive(Clone, Copy, Debug)]
struct Piece {
    /// Byte offset in the skeleton.
    skel: usize,
    /// The bytes of the original text it stands for.
    orig: Span,
    /// The mention (index into the document's mentions), for placeholders.
    mention: Option<usize>,
}

/// A sentence with its mentions replaced by placeholders.
#[derive(Debug)]
pub struct Skeleton {
    /// The skeleton text patterns run over.
    pub text: String,
    pieces: Vec<Piece>,
}

/// Markdown a scraped article may keep (**粗体**, [淘宝](https://…),
/// ![图](…)): byte ranges of `s` the skeleton leaves out, so that
/// "[淘宝](…)接入[微信支付](…)" reads as the plain sentence.
fn markup(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).copied();
        let len = match (b[i], next) {
            (b'*', Some(b'*')) | (b'!', Some(b'[')) => 2,
            (b'[', _) => 1,
            // The link's target, up to its closing parenthesis.
            (b']', Some(b'(')) => s[i..].find(')').map_or(b.len() - i, |j| j + 1),
            (b']', _) => 1,
            _ => 0,
        };
        if len > 0 {
            out.push((i, i + len));
            i += len;
        } else {
            i += 1;
        }
    }
    out
}

impl Skeleton {
    /// The skeleton of the sentence `span` of `text`, given the document's
    /// mentions (sorted) and the indices of those inside the sentence.
    pub fn new(
        text: &str,
        span: Span,
        mentions: &[Mention],
        inside: &[usize],
        gazetteer: &Gazetteer,
    ) -> Self {
        let mut skel = String::with_capacity(span.len());
        let mut pieces = Vec::with_capacity(2 * inside.len() + 1);
        let mut cursor = span.start;
        let verbatim = |skel: &mut String, pieces: &mut Vec<Piece>, from: usize, to: usize| {
            let mut push = |from: usize, to: usize| {
                if from < to {
                    pieces.push(Piece {
                        skel: skel.len(),
                        orig: Span::new(from, to),
                        mention: None,
                    });
                    skel.push_str(&text[from..to]);
                }
            };
            let mut at = from;
            for (start, end) in markup(&text[from..to]) {
                push(at, from + start);
                at = from + end;
            }
            push(at, to);
        };
        for &i in inside {
            let m = &mentions[i];
            verbatim(&mut skel, &mut pieces, cursor, m.span.start);
            let mark = match m.kind {
                MentionKind::Time(_) => TIME,
                MentionKind::Entity(e) if gazetteer.entities[e].kind == "regulator" => REGULATOR,
                MentionKind::Entity(_) | MentionKind::Name(_) => PARTY,
            };
            pieces.push(Piece {
                skel: skel.len(),
                orig: m.span,
                mention: Some(i),
            });
            skel.push(mark);
            cursor = m.span.end;
        }
        verbatim(&mut skel, &mut pieces, cursor, span.end);
        Skeleton { text: skel, pieces }
    }

    /// Reads as a comma every `、` standing between two whole clauses: the
    /// stretch from the clause's start (a clause mark or an earlier `、`)
    /// matches `before`, the stretch up to the clause's end `after`. Both
    /// marks are three bytes long, so every offset stays as it was.
    pub fn split_clause_lists(&mut self, before: &regex::Regex, after: &regex::Regex) {
        // Two clauses of two parties each, at the least.
        if !self.text.contains('、') || self.marks()[0] < 4 {
            return;
        }
        let is_mark = |c: char| c == '、' || is_clause_mark(c);
        let whole = Span::new(0, self.text.len());
        let commas: Vec<usize> = self.text.match_indices('、').map(|(i, _)| i).collect();
        for at in commas {
            let comma = Span::new(at, at + '、'.len_utf8());
            let item = bounded_by(&self.text, whole, comma, is_mark);
            if before.is_match(&self.text[item.start..comma.start])
                && after.is_match(&self.text[comma.end..item.end])
            {
                self.text.replace_range(comma.range(), "，");
            }
        }
    }

    /// The clause of the skeleton around `at` (skeleton offsets), where a
    /// `、` that [`Skeleton::split_clause_lists`] read as a comma bounds it.
    pub fn clause(&self, at: Span) -> Span {
        clause_of(&self.text, Span::new(0, self.text.len()), at)
    }

    /// How many of each of [`MARKS`] the skeleton text holds (a text's own
    /// private-use characters included: patterns see them too).
    pub fn marks(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for c in self.text.chars() {
            if let Some(k) = MARKS.iter().position(|&m| m == c) {
                counts[k] += 1;
            }
        }
        counts
    }

    /// The original byte offset of skeleton offset `at`.
    pub fn to_orig(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.skel <= at);
        if i == 0 {
            return self.pieces.first().map_or(0, |p| p.orig.start);
        }
        let p = self.pieces[i - 1];
        match p.mention {
            Some(_) if at > p.skel => p.orig.end,
            Some(_) => p.orig.start,
            None => p.orig.start + (at - p.skel),
        }
    }

    /// The original byte offset of skeleton offset `at` as the end of a
    /// span: the end of the piece before it, so a span stops before any
    /// markup left out after it.
    fn to_orig_end(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.skel < at);
        let Some(p) = i.checked_sub(1).map(|i| self.pieces[i]) else {
            return self.to_orig(at);
        };
        match p.mention {
            Some(_) => p.orig.end,
            None => p.orig.start + (at - p.skel),
        }
    }

    /// The original span of a skeleton span.
    pub fn span(&self, skel: Span) -> Span {
        let start = self.to_orig(skel.start);
        Span::new(start, self.to_orig_end(skel.end).max(start))
    }

    /// Mentions whose placeholders lie inside the skeleton span, in order.
    pub fn mentions_in(&self, skel: Span) -> Vec<usize> {
        self.pieces
            .iter()
            .filter(|p| p.mention.is_some() && skel.start <= p.skel && p.skel < skel.end)
            .filter_map(|p| p.mention)
            .collect()
    }

    /// Entity mentions before skeleton offset `at`, in order.
    pub fn mentions_before(&self, at: usize) -> impl Iterator<Item = (usize, Span)> + '_ {
        self.pieces
            .iter()
            .take_while(move |p| p.skel < at)
            .filter_map(|p| {
                p.mention
                    .map(|m| (m, Span::new(p.skel, p.skel + PARTY.len_utf8())))
            })
    }
}

/// The clause of `sentence` around `trigger`: bounded by ，；：, and their
/// ASCII forms (see [`is_clause_mark`]).
pub fn clause_of(text: &str, sentence: Span, trigger: Span) -> Span {
    bounded_by(text, sentence, trigger, is_clause_mark)
}

/// Whether `c` ends a clause: ，；： and their ASCII forms, 。！？.
pub fn is_clause_mark(c: char) -> bool {
    matches!(c, '，' | ',' | '；' | ';' | '：' | ':' | '。' | '！' | '？')
}
