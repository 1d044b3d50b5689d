//! Reading inputs: files or standard input, bytes decoded into a
//! [`Document`]. Kept apart from `main` so every way an input can fail is
//! handled in one place.

use std::io::{self, Read};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use extract::{Document, decode::decode};

/// Reads one input: a file, or standard input for `-`.
pub fn read_input(path: &Path, published: Option<NaiveDate>) -> Result<Document> {
    let source = path.display().to_string();
    let bytes = if source == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .read_to_end(&mut buf)
            .context("reading standard input")?;
        buf
    } else {
        std::fs::read(path).with_context(|| "cannot read")?
    };
    let (text, encoding) = decode(&source, &bytes).map_err(|e| match e {
        extract::Error::Input { msg, .. } => anyhow::anyhow!(msg),
        other => other.into(),
    })?;
    let mut doc = Document::new(source, text, published);
    doc.encoding = encoding;
    Ok(doc)
}
