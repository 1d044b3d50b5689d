//! `--format csv`: one row per event and party pair, for spreadsheets.
//! RFC 4180 quoting comes from the `csv` crate, so commas, quotes and line
//! breaks in evidence sentences survive a round trip.

use crate::error::{Error, Result};
use crate::output::DocumentOut;
use crate::pairs::pairs;

/// The header row.
pub const COLUMNS: [&str; 10] = [
    "source", "id", "kind", "who", "with", "when", "how", "trigger", "rule", "evidence",
];

/// Renders every event of `docs`, one row per pair ([`pairs`]); a lone
/// party has an empty `with`.
pub fn csv(docs: &[DocumentOut]) -> Result<String> {
    let fail = |e: csv::Error| Error::Render {
        format: "csv",
        msg: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).map_err(fail)?;
    for doc in docs {
        for e in &doc.events {
            let when = e
                .when
                .as_ref()
                .and_then(|w| w.value.as_deref())
                .unwrap_or("");
            for p in pairs(e) {
                w.write_record([
                    doc.source.as_str(),
                    &e.id,
                    &e.kind,
                    p.who,
                    p.with.unwrap_or(""),
                    when,
                    &e.how.kind,
                    &e.how.trigger,
                    &e.rule,
                    &e.sentence.text,
                ])
                .map_err(fail)?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| Error::Render {
        format: "csv",
        msg: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| Error::Render {
        format: "csv",
        msg: e.to_string(),
    })
}
