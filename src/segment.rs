//! Stage 2 and 3: sentences, then jieba tokens.
//!
//! Reads the decoded text; produces [`Sentence`]s (split on 。！？；, their ASCII
//! forms and line breaks; a Markdown heading or a list bullet is a unit of its
//! own) and, per sentence, jieba's [`Words`] with byte spans into the text.
//! Every gazetteer name and alias is a jieba user word, so 微信支付 and 考拉海购
//! come out whole and entity mentions can be aligned to word boundaries.

use std::cell::{Cell, OnceCell};

use jieba_rs::Jieba;

use crate::rules::RuleSet;
use crate::span::Span;

/// What kind of line a sentence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A Markdown heading (`## …`).
    Heading,
    /// A list item (`- ◆2021年9月 …`, `1. …`, `【2021年9月】…`).
    Bullet,
    /// Running text.
    Body,
}

/// One sentence of the text.
#[derive(Clone, Debug)]
pub struct Sentence {
    /// Position in the document, from 0.
    pub idx: usize,
    /// Bytes of the sentence, without bullet markers and surrounding blanks.
    pub span: Span,
    /// Index of the non-empty line (paragraph) the sentence belongs to.
    pub line: usize,
    /// The kind of that line.
    pub unit: Unit,
    /// True for the first sentence of its line.
    pub first_in_line: bool,
}

/// Sentences longer than this many bytes are cut at the next clause mark (or
/// char boundary), so one unpunctuated megabyte line cannot make one giant unit.
const MAX_SENTENCE: usize = 3000;

/// Splits `text` into sentences.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut line_idx = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let (offset, unit) = strip_marker(line);
        let body_start = start + offset;
        let body = &text[body_start..start + line.len()];
        if body.trim().is_empty() {
            continue;
        }
        let mut first = true;
        for span in split_sentences(body) {
            let span = trim(text, span.shift(body_start));
            if span.is_empty() {
                continue;
            }
            out.push(Sentence {
                idx: out.len(),
                span,
                line: line_idx,
                unit,
                first_in_line: first,
            });
            first = false;
        }
        line_idx += 1;
    }
    out
}

/// Byte length of a leading heading or bullet marker, and the line's unit.
fn strip_marker(line: &str) -> (usize, Unit) {
    let lead = line.len() - line.trim_start().len();
    let rest = &line[lead..];
    if rest.starts_with('#') {
        let marks = rest.len() - rest.trim_start_matches('#').len();
        return (lead + marks + ws_len(&rest[marks..]), Unit::Heading);
    }
    let mut n = 0;
    // Symbol bullets: "- ◆", "* ", "• ", "◆", "●", "■", "▶".
    loop {
        let r = &rest[n..];
        let Some(c) = r.chars().next() else { break };
        let is_marker = matches!(
            c,
            '◆' | '●'
                | '■'
                | '▶'
                | '►'
                | '•'
                | '◇'
                | '○'
                | '□'
                | '★'
                | '☆'
                | '▌'
                | '▍'
                | '▎'
        ) || (matches!(c, '-' | '*' | '+') && r[1..].starts_with([' ', '\t']));
        if !is_marker {
            break;
        }
        n += c.len_utf8();
        n += ws_len(&rest[n..]);
    }
    if n > 0 {
        return (lead + n, Unit::Bullet);
    }
    // Numbered items: "1. ", "1、", "（1）", "(2) ".
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let after = &rest[digits..];
        for mark in [". ", "、", "．", ".\t"] {
            if after.starts_with(mark) {
                let n = digits + mark.len();
                return (lead + n + ws_len(&rest[n..]), Unit::Bullet);
            }
        }
    }
    if rest.starts_with('【') {
        return (lead, Unit::Bullet);
    }
    (lead, Unit::Body)
}

fn ws_len(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// Characters that end a sentence.
fn is_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

/// Whether an ASCII mark followed by `next` is inside a link or markup
/// (the ? of https://…/a?b=1, the ! of ![图](…)) rather than punctuation.
pub fn inside_link(c: char, next: Option<char>) -> bool {
    c.is_ascii() && next.is_some_and(|d| d.is_ascii_graphic() && !is_closer(d))
}

/// Closing marks that stay with the sentence they close.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '】' | '》' | '"' | '\''
    )
}

/// Sentence spans within one line (relative to it).
fn split_sentences(line: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = None;
        if is_terminator(c) && !inside_link(c, chars.peek().map(|&(_, d)| d)) {
            let mut e = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if is_closer(d) || is_terminator(d) {
                    e = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            end = Some(e);
        } else if i - start >= MAX_SENTENCE && matches!(c, '，' | ',' | '、' | ' ')
            || i - start >= 2 * MAX_SENTENCE
        {
            end = Some(i + c.len_utf8());
        }
        if let Some(e) = end {
            out.push(Span::new(start, e));
            start = e;
        }
    }
    if start < line.len() {
        out.push(Span::new(start, line.len()));
    }
    out
}

/// The span without leading and trailing whitespace.
fn trim(text: &str, span: Span) -> Span {
    let s = &text[span.range()];
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.end - (s.len() - s.trim_end().len());
    Span::new(start, end.max(start))
}

/// A jieba part-of-speech tag packed into four bytes (`n`, `nt`, `eng`, …),
/// so a token costs no allocation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Pos([u8; 4]);

impl Pos {
    fn new(tag: &str) -> Self {
        let mut b = [0; 4];
        for (i, c) in tag.bytes().take(4).enumerate() {
            b[i] = c;
        }
        Pos(b)
    }

    /// The tag as jieba wrote it.
    pub fn as_str(&self) -> &str {
        let n = self.0.iter().position(|&b| b == 0).unwrap_or(4);
        std::str::from_utf8(&self.0[..n]).unwrap_or("")
    }
}

impl std::fmt::Debug for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One jieba word.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    /// Bytes of the word in the document text.
    pub span: Span,
    /// jieba's part-of-speech tag: a hint, not a decision.
    pub pos: Pos,
}

/// True when `span` starts at a word's start and ends at a word's end
/// (`words` sorted): 京东 inside the word 京东方 is not on word boundaries.
pub fn on_word_boundaries(words: &[Span], span: Span) -> bool {
    starts_word(words, span.start) && ends_word(words, span.end)
}

/// True when a word of `words` (sorted) starts at byte `at`.
pub fn starts_word(words: &[Span], at: usize) -> bool {
    words.binary_search_by_key(&at, |w| w.start).is_ok()
}

/// True when a word of `words` (sorted) ends at byte `at`.
pub fn ends_word(words: &[Span], at: usize) -> bool {
    words.binary_search_by_key(&at, |w| w.end).is_ok()
}

/// The jieba words of one sentence, with their parts of speech on demand.
///
/// Most stages need only where words start and end, which jieba's `cut`
/// gives; `tag` (parts of speech) costs about 1.7 times as much, and only
/// the words around a name suffix or a quote are ever asked for theirs
/// (see `names`). `tag` segments exactly as `cut` does and tags each word by
/// itself alone (its dictionary tag, else a guess from its own characters),
/// so a word tagged on its own gets the tag it has in the sentence whenever
/// jieba keeps it whole; when it does not, the sentence is tagged once.
pub struct Words<'s> {
    segmenter: &'s Segmenter,
    text: &'s str,
    sentence: Span,
    /// Byte spans of the words in the text, in order.
    pub spans: Vec<Span>,
    /// Parts of speech asked for so far, index-aligned with `spans`.
    pos: Vec<Cell<Option<Pos>>>,
    /// Every word's part of speech, from tagging the whole sentence.
    sentence_pos: OnceCell<Vec<Pos>>,
}

impl Words<'_> {
    /// The part of speech of word `i`, as `Segmenter::tokens` would give it.
    pub fn pos(&self, i: usize) -> Pos {
        if let Some(pos) = self.pos[i].get() {
            return pos;
        }
        let word = &self.text[self.spans[i].range()];
        let alone = self.segmenter.jieba.tag(word, true);
        let pos = match alone.as_slice() {
            [t] if t.word == word => Pos::new(t.tag),
            _ => self.sentence_pos.get_or_init(|| {
                let tokens = self.segmenter.tag(self.text, self.sentence);
                tokens.iter().map(|t| t.pos).collect()
            })[i],
        };
        self.pos[i].set(Some(pos));
        pos
    }
}

/// Word segmenter: jieba with the gazetteer's names as user words. Built once
/// (the dictionary load is the costly part of start-up) and shared.
pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    /// jieba's default dictionary plus every gazetteer name and alias and the
    /// rules' user dictionary.
    pub fn new(rules: &RuleSet) -> Self {
        let mut jieba = Jieba::new();
        for entry in &rules.userdict {
            jieba.add_word(&entry.word, entry.freq, entry.tag.as_deref());
        }
        for entity in &rules.gazetteer.entities {
            for name in entity.names() {
                // A high frequency makes the name win over any split of it.
                jieba.add_word(name, Some(NAME_FREQ), Some("nz"));
            }
        }
        Segmenter { jieba }
    }

    /// Loads jieba's part-of-speech model for words not in the dictionary
    /// (2.5 MB, decompressed and parsed on the first such word a process
    /// tags: about 50 ms). `Pipeline::new` calls it beside the dictionary
    /// load so that the first document does not wait for it. Any character
    /// unknown to an empty dictionary gets its tag guessed by that model.
    pub fn warm_up() {
        std::hint::black_box(Jieba::empty().tag("甲", false));
    }

    /// The tokens of one sentence of `text`, with spans into `text` and
    /// parts of speech (see [`Segmenter::words`] for the cheaper way).
    pub fn tokens(&self, text: &str, sentence: &Sentence) -> Vec<Token> {
        self.tag(text, sentence.span)
    }

    /// The words of one sentence of `text` (jieba's `cut`, HMM on), with
    /// parts of speech computed only for the words asked for.
    pub fn words<'s>(&'s self, text: &'s str, sentence: &Sentence) -> Words<'s> {
        let span = sentence.span;
        let spans: Vec<Span> = self
            .jieba
            .cut(&text[span.range()], true)
            .iter()
            .map(|t| Span::new(t.byte_start, t.byte_end).shift(span.start))
            .collect();
        Words {
            segmenter: self,
            text,
            sentence: span,
            pos: vec![Cell::new(None); spans.len()],
            spans,
            sentence_pos: OnceCell::new(),
        }
    }

    fn tag(&self, text: &str, span: Span) -> Vec<Token> {
        self.jieba
            .tag(&text[span.range()], true)
            .into_iter()
            .map(|t| Token {
                span: Span::new(t.byte_start, t.byte_end).shift(span.start),
                pos: Pos::new(t.tag),
            })
            .collect()
    }
}

const NAME_FREQ: usize = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(&str, Unit)> {
        sentences(text)
            .iter()
            .map(|s| (&text[s.span.range()], s.unit))
            .collect()
    }

    #[test]
    fn splits_on_terminators_and_keeps_closing_quotes() {
        assert_eq!(
            texts("他说：“好。”然后走了！真的？是；\n下一行"),
            vec![
                ("他说：“好。”", Unit::Body),
                ("然后走了！", Unit::Body),
                ("真的？", Unit::Body),
                ("是；", Unit::Body),
                ("下一行", Unit::Body)
            ]
        );
    }

    #[test]
    fn headings_and_bullets_are_units_without_their_markers() {
        let t = "## 标题\n- ◆2021年9月 甲。乙。\n1. 2020年 丙\n【2022年】丁";
        assert_eq!(
            texts(t),
            vec![
                ("标题", Unit::Heading),
                ("2021年9月 甲。", Unit::Bullet),
                ("乙。", Unit::Bullet),
                ("2020年 丙", Unit::Bullet),
                ("【2022年】丁", Unit::Bullet)
            ]
        );
    }

    #[test]
    fn a_negative_number_is_not_a_bullet() {
        assert_eq!(texts("-5%的增长"), vec![("-5%的增长", Unit::Body)]);
    }

    /// `Words` (cut, parts of speech word by word) must agree with
    /// `tokens` (tag of the whole sentence) on every sentence of the corpora.
    #[test]
    fn words_agree_with_tagged_tokens() {
        let rules = RuleSet::embedded().unwrap();
        let segmenter = Segmenter::new(&rules);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for dir in ["corpus", "heldout"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "txt") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for s in sentences(&text) {
                    let tokens = segmenter.tokens(&text, &s);
                    let words = segmenter.words(&text, &s);
                    let spans: Vec<Span> = tokens.iter().map(|t| t.span).collect();
                    assert_eq!(words.spans, spans, "{}", &text[s.span.range()]);
                    for (i, t) in tokens.iter().enumerate() {
                        assert_eq!(words.pos(i), t.pos, "{}", &text[t.span.range()]);
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn long_unpunctuated_lines_are_cut() {
        let line = "字".repeat(5000);
        let s = sentences(&line);
        assert!(s.len() >= 2);
        assert!(s.iter().all(|s| s.span.len() <= 2 * MAX_SENTENCE + 3));
        assert_eq!(s.last().unwrap().span.end, line.len());
    }
}
