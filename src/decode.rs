//! Stage 1: bytes to text. News archives mix encodings (GBK from old CMSes,
//! UTF-8 with or without a byte-order mark, UTF-16 exports) and hold the
//! odd binary file or damaged byte, so this stage decides what the bytes
//! are, decodes them, and says plainly when they are not usable text.
//!
//! The order of decisions:
//!
//! 1. `--encoding NAME` ([`Options::encoding`]) forces an encoding.
//! 2. A byte-order mark picks UTF-8, UTF-16LE or UTF-16BE.
//! 3. Bytes with many control characters are binary data: never text.
//! 4. Valid UTF-8 is UTF-8. Bytes that are *nearly* all valid UTF-8 are
//!    damaged UTF-8, reported as such: a legacy-encoding detector would
//!    otherwise read them as mojibake without complaint.
//! 5. Anything else goes to `chardetng`, the detector Firefox uses, which
//!    tells GBK from Big5, Shift_JIS, windows-1252 and the rest.
//!
//! Malformed sequences and NUL bytes are errors, unless [`Options::lossy`]
//! is set: then each becomes U+FFFD and is counted in
//! [`Decoded::replacements`]. A NUL byte and its replacement are both one
//! character, so replacing never moves a character offset.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use encoding_rs::{DecoderResult, Encoding, UTF_8};

use crate::error::{Error, Result};

/// How to decode.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// The encoding to use instead of detecting one.
    pub encoding: Option<&'static Encoding>,
    /// Replace malformed sequences and NUL bytes with U+FFFD instead of
    /// failing.
    pub lossy: bool,
}

impl Options {
    /// Options forcing the encoding with `label` (`gbk`, `utf-16le`,
    /// `latin1`, any label the WHATWG Encoding Standard knows).
    pub fn with_encoding_label(label: &str) -> Option<Self> {
        Encoding::for_label(label.trim().as_bytes()).map(|e| Options {
            encoding: Some(e),
            lossy: false,
        })
    }
}

/// Decoded text and how it was had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text every span will index.
    pub text: String,
    /// Lower-case name of the encoding (`utf-8`, `gbk`, `utf-16le`, …).
    pub encoding: &'static str,
    /// How many malformed sequences or NUL bytes became U+FFFD (only ever
    /// non-zero with [`Options::lossy`]).
    pub replacements: usize,
}

/// How much of the input the binary check and the damaged-UTF-8 check look
/// at: enough to judge, little enough to stay cheap on huge inputs.
const SAMPLE: usize = 64 * 1024;

/// Decodes `bytes` read from `source` (the name used in errors).
pub fn decode(source: &str, bytes: Vec<u8>, opts: Options) -> Result<Decoded> {
    let problem = |msg: String| Error::Input {
        source_name: source.to_string(),
        msg,
    };
    let encoding = match opts.encoding {
        Some(forced) => forced,
        None => match Encoding::for_bom(&bytes) {
            Some((bom, _)) => bom,
            None if is_binary(&bytes) => return Err(problem("not text (binary data)".into())),
            None => detect(&bytes),
        },
    };
    let (mut text, bad) = if encoding == UTF_8 {
        utf8(bytes)
    } else {
        transcode(encoding, &bytes)
    };
    let mut replacements = 0;
    if let Some(first) = bad.first {
        if !opts.lossy {
            return Err(problem(format!(
                "not valid {} ({} malformed sequence{}, first at byte {first}; --lossy replaces them)",
                name(encoding),
                bad.count,
                if bad.count == 1 { "" } else { "s" },
            )));
        }
        replacements += bad.count;
    }
    if let Some(first) = text.find('\0') {
        if !opts.lossy {
            return Err(problem(format!(
                "not text: contains NUL bytes (first at byte {first} of the decoded text; --lossy replaces them)"
            )));
        }
        replacements += text.matches('\0').count();
        text = text.replace('\0', "\u{FFFD}");
    }
    Ok(Decoded {
        text,
        encoding: name(encoding),
        replacements,
    })
}

/// Malformed sequences met while decoding.
#[derive(Default)]
struct Bad {
    count: usize,
    /// Byte offset of the first one in the input.
    first: Option<usize>,
}

/// UTF-8 without a copy when valid (the common case, and the one that
/// matters for a 100 MB file); else the counting decoder.
fn utf8(bytes: Vec<u8>) -> (String, Bad) {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            text.drain(..bom);
            (text, Bad::default())
        }
        Err(e) => transcode(UTF_8, e.as_bytes()),
    }
}

/// Decodes with `encoding` (a matching byte-order mark is dropped), putting
/// U+FFFD for each malformed sequence and counting them.
fn transcode(encoding: &'static Encoding, bytes: &[u8]) -> (String, Bad) {
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let mut bad = Bad::default();
    let mut read = 0;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut text, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return (text, bad),
            DecoderResult::OutputFull => text.reserve(
                decoder
                    .max_utf8_buffer_length_without_replacement(bytes.len() - read)
                    .unwrap_or(bytes.len() - read)
                    .max(4),
            ),
            DecoderResult::Malformed(len, extra) => {
                bad.count += 1;
                bad.first
                    .get_or_insert(read.saturating_sub(len as usize + extra as usize));
                text.push('\u{FFFD}');
            }
        }
    }
}

/// Binary data: more than one byte in 20 of the sample is a control
/// character that text does not use (NUL, the C0 controls other than tab,
/// line feed, form feed, carriage return and escape, and DEL). A text with
/// a stray NUL stays text, and is reported for the NUL instead.
fn is_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let controls = sample
        .iter()
        .filter(|&&b| {
            (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | 0x1b)) || b == 0x7f
        })
        .count();
    controls * 20 > sample.len()
}

/// The encoding of bytes without a byte-order mark.
fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() || damaged_utf8(bytes) {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// UTF-8 with a few bad bytes: in the sample, at least 19 in 20 of the
/// non-ASCII bytes belong to valid UTF-8 sequences. Text in GBK or another
/// legacy encoding forms valid UTF-8 sequences only by accident, far less
/// often than that.
fn damaged_utf8(bytes: &[u8]) -> bool {
    let mut sample = &bytes[..bytes.len().min(SAMPLE)];
    let (mut good, mut bad) = (0usize, 0usize);
    loop {
        match std::str::from_utf8(sample) {
            Ok(s) => {
                good += s.bytes().filter(|b| !b.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (valid, rest) = sample.split_at(e.valid_up_to());
                good += valid.iter().filter(|b| !b.is_ascii()).count();
                // A sequence cut off by the end of the sample is not damage.
                let Some(len) = e.error_len() else { break };
                bad += len;
                sample = &rest[len..];
            }
        }
    }
    good > 0 && bad * 20 <= good + bad
}

/// The lower-case name of `encoding` (`UTF-8` → `utf-8`, `GBK` → `gbk`),
/// made once per encoding: encoding_rs has a fixed, small set of them.
pub fn name(encoding: &'static Encoding) -> &'static str {
    static NAMES: LazyLock<Mutex<HashMap<&'static str, &'static str>>> =
        LazyLock::new(Default::default);
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    names
        .entry(encoding.name())
        .or_insert_with(|| Box::leak(encoding.name().to_ascii_lowercase().into_boxed_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(bytes: &[u8]) -> Decoded {
        decode("t", bytes.to_vec(), Options::default()).unwrap()
    }

    fn err(bytes: &[u8]) -> String {
        decode("t", bytes.to_vec(), Options::default())
            .unwrap_err()
            .to_string()
    }

    fn lossy(bytes: &[u8]) -> Decoded {
        let opts = Options {
            lossy: true,
            ..Options::default()
        };
        decode("t", bytes.to_vec(), opts).unwrap()
    }

    const TEXT: &str =
        "9月12日起，淘宝逐步向所有卖家开放微信支付。在淘宝上买东西，能用微信支付啦。";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            (
                ok(TEXT.as_bytes()).text.as_str(),
                ok(TEXT.as_bytes()).encoding
            ),
            (TEXT, "utf-8")
        );
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), TEXT.as_bytes()].concat();
        assert_eq!(ok(&with_bom).text, TEXT);
    }

    #[test]
    fn utf16_by_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(TEXT.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(TEXT.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(
            (ok(&le).text.as_str(), ok(&le).encoding),
            (TEXT, "utf-16le")
        );
        assert_eq!(
            (ok(&be).text.as_str(), ok(&be).encoding),
            (TEXT, "utf-16be")
        );
    }

    #[test]
    fn gbk_is_detected() {
        let (gbk, _, _) = encoding_rs::GBK.encode(TEXT);
        let d = ok(&gbk);
        assert_eq!((d.text.as_str(), d.encoding), (TEXT, "gbk"));
    }

    #[test]
    fn a_forced_encoding_wins() {
        let (gbk, _, _) = encoding_rs::GBK.encode(TEXT);
        let opts = Options::with_encoding_label("GB18030").unwrap();
        let d = decode("t", gbk.into_owned(), opts).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (TEXT, "gb18030"));
        assert!(Options::with_encoding_label("no-such-encoding").is_none());
    }

    #[test]
    fn damaged_utf8_is_an_error_or_replaced() {
        let mut bytes = TEXT.as_bytes().to_vec();
        bytes.insert(6, 0xFF);
        bytes.push(0xC3);
        let e = err(&bytes);
        assert!(
            e.contains("not valid utf-8 (2 malformed sequences, first at byte 6"),
            "{e}"
        );
        let d = lossy(&bytes);
        assert_eq!(d.replacements, 2);
        assert_eq!(d.encoding, "utf-8");
        assert_eq!(d.text.chars().count(), TEXT.chars().count() + 2);
    }

    #[test]
    fn nul_bytes_are_an_error_or_replaced_in_place() {
        let bytes = TEXT.replace('在', "\0").into_bytes();
        assert!(err(&bytes).contains("contains NUL bytes"));
        let d = lossy(&bytes);
        assert_eq!(d.replacements, 1);
        assert_eq!(d.text, TEXT.replace('在', "\u{FFFD}"));
    }

    #[test]
    fn binary_is_not_text_even_when_lossy() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert_eq!(err(&bytes), "t: not text (binary data)");
        let opts = Options {
            lossy: true,
            ..Options::default()
        };
        assert!(decode("t", bytes, opts).is_err());
    }

    #[test]
    fn empty_is_empty_utf8() {
        assert_eq!(ok(b"").text, "");
        assert_eq!(ok(b"").encoding, "utf-8");
    }
}
