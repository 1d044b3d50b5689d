//! Stage 2 and 3: sentences, then jieba tokens.
//!
//! Reads the decoded text; produces [`Sentence`]s (split on 。！？；, their ASCII
//! forms and line breaks; a Markdown heading or a list bullet is a unit of its
//! own) and, per sentence, [`Token`]s from jieba with byte spans into the text.
//! Every gazetteer name and alias is a jieba user word, so 微信支付 and 考拉海购
//! come out whole and entity mentions can be aligned to token boundaries.

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
        if is_terminator(c) {
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

/// True when `span` starts at a token's start and ends at a token's end
/// (`tokens` sorted): 京东 inside the word 京东方 is not on word boundaries.
pub fn on_word_boundaries(tokens: &[Token], span: Span) -> bool {
    tokens
        .binary_search_by_key(&span.start, |t| t.span.start)
        .is_ok()
        && tokens
            .binary_search_by_key(&span.end, |t| t.span.end)
            .is_ok()
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

    /// The tokens of one sentence of `text`, with spans into `text`.
    pub fn tokens(&self, text: &str, sentence: &Sentence) -> Vec<Token> {
        let s = &text[sentence.span.range()];
        self.jieba
            .tag(s, true)
            .into_iter()
            .map(|t| Token {
                span: Span::new(t.byte_start, t.byte_end).shift(sentence.span.start),
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

    #[test]
    fn long_unpunctuated_lines_are_cut() {
        let line = "字".repeat(5000);
        let s = sentences(&line);
        assert!(s.len() >= 2);
        assert!(s.iter().all(|s| s.span.len() <= 2 * MAX_SENTENCE + 3));
        assert_eq!(s.last().unwrap().span.end, line.len());
    }
}
