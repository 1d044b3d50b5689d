//! `Document`: one decoded input with its name and publication date, the
//! value every later stage reads. The publication date (the anchor of every
//! relative time such as 今年5月 or 昨天) comes from, in order: the
//! `--published` flag, a `YYYY-MM-DD` prefix of the file name, a dateline in
//! the text, or inference from the text (see `publication`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where the publication date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Given by the user (`--published`).
    Flag,
    /// A `YYYY-MM-DD` prefix of the file name.
    Filename,
    /// A dateline in the text (`2024年9月6日电`, a date line at the top).
    Dateline,
    /// Read from the text's times: the latest year it writes out, moved on
    /// by signs of a later one (see `publication`).
    Inferred,
}

/// A decoded input.
#[derive(Clone, Debug)]
pub struct Document {
    /// How the input is named in output (`corpus/x.txt`, `-`).
    pub source: String,
    /// The decoded text; every span indexes it.
    pub text: String,
    /// The publication date and its basis, when known before reading the text.
    pub published: Option<(NaiveDate, Basis)>,
    /// The encoding the bytes were decoded from (`utf-8`, `gbk`, …).
    pub encoding: &'static str,
    /// Malformed sequences or NUL bytes replaced by U+FFFD (`--lossy`).
    pub replacements: usize,
}

impl Document {
    /// A document from already decoded text. The publication date is taken
    /// from `published` when given, else from a `YYYY-MM-DD` prefix of the
    /// file name in `source`.
    pub fn new(
        source: impl Into<String>,
        text: impl Into<String>,
        published: Option<NaiveDate>,
    ) -> Self {
        let source = source.into();
        let published = published
            .map(|d| (d, Basis::Flag))
            .or_else(|| date_from_filename(&source).map(|d| (d, Basis::Filename)));
        Document {
            source,
            text: text.into(),
            published,
            encoding: "utf-8",
            replacements: 0,
        }
    }

    /// A document from decoded bytes, keeping the encoding and the count
    /// of replacements; the publication date as in [`Document::new`].
    pub fn decoded(
        source: impl Into<String>,
        decoded: crate::decode::Decoded,
        published: Option<NaiveDate>,
    ) -> Self {
        Document {
            encoding: decoded.encoding,
            replacements: decoded.replacements,
            ..Document::new(source, decoded.text, published)
        }
    }

    /// The file name without directories and extension: the prefix of event ids.
    pub fn stem(&self) -> &str {
        stem(&self.source)
    }
}

/// The file name of `source` without directories and extension
/// (`corpus/2024-09-06-x.txt` → `2024-09-06-x`; a leading dot is no extension).
pub fn stem(source: &str) -> &str {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    name.rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map_or(name, |(stem, _)| stem)
}

/// `2024-09-06` from `corpus/2024-09-06-taobao.txt`.
fn date_from_filename(source: &str) -> Option<NaiveDate> {
    let name = source.rsplit(['/', '\\']).next()?;
    let prefix = name.get(..10)?;
    NaiveDate::parse_from_str(prefix, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publication_date_from_file_name_prefix() {
        let doc = Document::new("corpus/2024-09-06-taobao.txt", "", None);
        assert_eq!(
            doc.published,
            Some((
                NaiveDate::from_ymd_opt(2024, 9, 6).unwrap(),
                Basis::Filename
            ))
        );
        assert_eq!(doc.stem(), "2024-09-06-taobao");
        assert_eq!(Document::new("notes.txt", "", None).published, None);
    }

    #[test]
    fn flag_beats_file_name() {
        let flag = NaiveDate::from_ymd_opt(2020, 1, 2).unwrap();
        let doc = Document::new("2024-09-06-x.txt", "", Some(flag));
        assert_eq!(doc.published, Some((flag, Basis::Flag)));
    }
}
