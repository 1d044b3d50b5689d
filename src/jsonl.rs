//! Articles as JSON lines (`--input jsonl`): one `{"id": …, "text": …,
//! "published": …}` object per line, so `extract` can be a streaming stage
//! behind other tools (a crawler, `jq`, a Spark `pipe`). The `id` becomes the
//! document's `source`; `published` (`YYYY-MM-DD`, or a timestamp starting
//! with it) anchors relative dates like a `--published` flag would.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::document::Document;
use crate::error::{Error, Result};

/// One line as written; unknown keys (a title, a URL) are ignored.
#[derive(Deserialize)]
struct Article {
    id: Id,
    text: String,
    #[serde(default)]
    published: Option<String>,
}

/// Archives number their articles as often as they name them.
#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Name(String),
    Number(serde_json::Number),
}

/// The document on one line. `published` is the fallback date when the line
/// has none; `lossy` replaces NUL characters instead of refusing the line.
/// `at` names the line in errors (`archive.jsonl:12`).
pub fn document(
    line: &str,
    at: &str,
    published: Option<NaiveDate>,
    lossy: bool,
) -> Result<Document> {
    let problem = |msg: String| Error::Input {
        source_name: at.to_string(),
        msg,
    };
    let article: Article =
        serde_json::from_str(line).map_err(|e| problem(format!("not an article: {e}")))?;
    let source = match article.id {
        Id::Name(s) => s,
        Id::Number(n) => n.to_string(),
    };
    let date = match article.published.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => {
            let day = p.get(..10).unwrap_or(p);
            let date = NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|_| problem(format!("published: expected YYYY-MM-DD, got {p:?}")))?;
            Some(date)
        }
    };
    let mut text = article.text;
    let mut replacements = 0;
    if text.contains('\0') {
        if !lossy {
            return Err(problem(
                "text contains NUL characters (--lossy replaces them)".into(),
            ));
        }
        replacements = text.matches('\0').count();
        text = text.replace('\0', "\u{FFFD}");
    }
    let mut doc = Document::new(source, text, date.or(published));
    doc.replacements = replacements;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Basis;

    #[test]
    fn id_text_and_published() {
        let doc = document(
            r#"{"id": "a-1", "text": "淘宝开放微信支付。", "published": "2024-09-06T08:00:00Z", "url": "x"}"#,
            "in.jsonl:1",
            None,
            false,
        )
        .unwrap();
        assert_eq!(doc.source, "a-1");
        assert_eq!(doc.text, "淘宝开放微信支付。");
        assert_eq!(
            doc.published,
            Some((NaiveDate::from_ymd_opt(2024, 9, 6).unwrap(), Basis::Flag))
        );
        let numbered = document(r#"{"id": 7, "text": ""}"#, "x", None, false).unwrap();
        assert_eq!((numbered.source.as_str(), numbered.published), ("7", None));
    }

    #[test]
    fn bad_lines_say_why() {
        let err = |line: &str| {
            document(line, "in.jsonl:3", None, false)
                .unwrap_err()
                .to_string()
        };
        assert!(err("{").starts_with("in.jsonl:3: not an article"));
        assert!(err(r#"{"id": "a"}"#).contains("text"));
        assert!(err(r#"{"id": "a", "text": "", "published": "soon"}"#).contains("YYYY-MM-DD"));
        assert!(err(r#"{"id": "a", "text": "a\u0000b"}"#).contains("NUL"));
        let lossy = document(r#"{"id": "a", "text": "a\u0000b"}"#, "x", None, true).unwrap();
        assert_eq!((lossy.text.as_str(), lossy.replacements), ("a\u{FFFD}b", 1));
    }
}
