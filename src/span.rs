//! `Span`: a byte range of the decoded text, the shared vocabulary of every
//! stage. Spans are bytes inside the library (so `&text[span]` works) and are
//! turned into character offsets only by the output stage.

use std::ops::Range;

/// A half-open byte range `[start, end)` into a document's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The span as a range, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// True when the span covers nothing.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `other` lies inside this span.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The span shifted right by `offset` bytes.
    pub fn shift(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// The stretch of `within` around `at`, bounded by the nearest character
/// before `at` and the nearest after it for which `is_mark` holds (neither
/// mark included): the clause of a trigger, the list item around a `、`.
pub fn bounded_by(text: &str, within: Span, at: Span, is_mark: impl Fn(char) -> bool) -> Span {
    let start = text[within.start..at.start]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_mark(c))
        .map_or(within.start, |(i, c)| within.start + i + c.len_utf8());
    let end = text[at.end..within.end]
        .char_indices()
        .find(|&(_, c)| is_mark(c))
        .map_or(within.end, |(i, _)| at.end + i);
    Span::new(start, end)
}

/// Converts byte offsets of one text into character (code point) offsets.
///
/// Keeps a checkpoint every `STEP` bytes so a conversion costs at most `STEP`
/// bytes of counting, whatever the length of the text.
pub struct CharOffsets<'t> {
    text: &'t str,
    checkpoints: Vec<(usize, usize)>,
}

/// Output converts several offsets per mention and event: at 256 bytes a
/// conversion counts 128 bytes on average, and the checkpoints take 1/16
/// of the text's size.
const STEP: usize = 256;

impl<'t> CharOffsets<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> Self {
        let mut checkpoints = vec![(0, 0)];
        let mut next = STEP;
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            if byte >= next {
                checkpoints.push((byte, chars));
                next = byte + STEP;
            }
        }
        CharOffsets { text, checkpoints }
    }

    /// The character offset of byte offset `byte` (a char boundary).
    pub fn char_at(&self, byte: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(b, _)| b <= byte) - 1;
        let (b, c) = self.checkpoints[i];
        c + self.text[b..byte].chars().count()
    }

    /// `[start, end)` in characters. The end is counted from the start:
    /// spans are short, checkpoints far apart.
    pub fn chars(&self, span: Span) -> [usize; 2] {
        let start = self.char_at(span.start);
        [start, start + self.text[span.range()].chars().count()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_code_points_across_checkpoints() {
        let text = "a淘宝".repeat(2000);
        let offsets = CharOffsets::new(&text);
        let byte = text.char_indices().nth(4001).unwrap().0;
        assert_eq!(offsets.char_at(byte), 4001);
        assert_eq!(offsets.char_at(text.len()), 6000);
        assert_eq!(offsets.chars(Span::new(1, 7)), [1, 3]);
    }
}
