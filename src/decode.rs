//! Stage 1: bytes to text. UTF-8, with or without a byte-order mark; other
//! input is reported as an error naming the problem.

use crate::error::{Error, Result};

/// Decodes `bytes` read from `source` into text and the encoding's name.
pub fn decode(source: &str, bytes: &[u8]) -> Result<(String, &'static str)> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) if text.contains('\0') => Err(Error::Input {
            source_name: source.to_string(),
            msg: "not text: contains NUL bytes".into(),
        }),
        Ok(text) => Ok((text.to_string(), "utf-8")),
        Err(e) => Err(Error::Input {
            source_name: source.to_string(),
            msg: format!(
                "not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to() + (body.len() != bytes.len()) as usize * 3
            ),
        }),
    }
}
