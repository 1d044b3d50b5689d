//! Renderings for people rather than programs: a Markdown timeline, CSV for
//! spreadsheets, the interconnection graph (DOT, mermaid, SVG) and a
//! self-contained HTML review page. Every renderer works on the wire format
//! ([`DocumentOut`]) and merged events ([`crate::merge`]), so the binary only
//! chooses one, and saved JSON renders the same as fresh output.

pub mod csv;
pub mod dot;
pub mod graph;
pub mod html;
pub mod mermaid;
pub mod svg;
pub mod timeline;
pub mod unknown;

use crate::output::DocumentOut;

/// An input's output together with the text its spans index (the HTML page
/// shows the article; the other formats need only the document).
#[derive(Clone, Copy, Debug)]
pub struct Article<'a> {
    /// The document.
    pub doc: &'a DocumentOut,
    /// The decoded text.
    pub text: &'a str,
}

/// Escapes text for HTML and XML, in element content and in quoted
/// attribute values alike.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The short label of a merged edge or row: `type` or `type time`.
pub(crate) fn how_when(how: &str, when: Option<&str>) -> String {
    match when {
        Some(w) => format!("{how} {w}"),
        None => how.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_html("淘宝与微信"), "淘宝与微信");
    }
}
