//! Rule patterns: `regex` syntax plus `{fragment}` references to named
//! pieces defined in the same file (`{E}`, `{list}`, `{year}`). Fragment names
//! are lower- or upper-case identifiers; `{2,4}`-style repetitions and
//! `\x{E000}` escapes are left alone because they start with a digit or
//! follow `\x`/`\p`.
//!
//! Compiling checks what HeidelTime's format never did: an unknown fragment,
//! a fragment cycle, a regex that does not compile, or a capture group the
//! normalizer does not know is an error naming the file, the rule and its line.

use std::collections::BTreeMap;

use regex::Regex;

use super::line_of;
use crate::error::{Error, Result};

/// Expands `{name}` references in `pattern`.
pub fn expand(
    pattern: &str,
    fragments: &BTreeMap<String, String>,
) -> std::result::Result<String, String> {
    expand_depth(pattern, fragments, 0)
}

fn expand_depth(
    pattern: &str,
    fragments: &BTreeMap<String, String>,
    depth: usize,
) -> std::result::Result<String, String> {
    if depth > 16 {
        return Err("fragments nest too deep (a cycle?)".into());
    }
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let before = &rest[..open];
        let after = &rest[open + 1..];
        let escaped = before.ends_with("\\x") || before.ends_with("\\p") || before.ends_with("\\P");
        let name_len = after.find('}').filter(|&n| n > 0 && is_ident(&after[..n]));
        match name_len {
            Some(n) if !escaped => {
                let name = &after[..n];
                let body = fragments
                    .get(name)
                    .ok_or_else(|| format!("unknown fragment {{{name}}}"))?;
                out.push_str(before);
                out.push_str(&expand_depth(body, fragments, depth + 1)?);
                rest = &after[n + 1..];
            }
            _ => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Expands and compiles the pattern of rule `id` in `file` (whose text is
/// `file_text`, for the line number), allowing only `groups` as named
/// capture groups.
pub fn compile(
    file: &str,
    file_text: &str,
    id: &str,
    pattern: &str,
    fragments: &BTreeMap<String, String>,
    groups: &[&str],
) -> Result<Regex> {
    let line = line_of(file_text, &format!("\"{id}\""));
    let err = |msg: String| Error::rule(file, line, format!("rule {id}: {msg}"));
    let expanded = expand(pattern, fragments).map_err(err)?;
    let regex = Regex::new(&expanded).map_err(|e| err(format!("bad regex: {e}")))?;
    for name in regex.capture_names().flatten() {
        if !groups.contains(&name) {
            return Err(err(format!(
                "unknown capture group <{name}> (known: {})",
                groups.join(", ")
            )));
        }
    }
    Ok(regex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn expands_nested_fragments_and_leaves_repetitions_and_escapes() {
        let f = frags(&[("E", r"\x{E000}"), ("list", "{E}(?:、{E}){0,9}")]);
        assert_eq!(
            expand("{list}接入", &f).unwrap(),
            r"\x{E000}(?:、\x{E000}){0,9}接入"
        );
        assert_eq!(expand(r"\p{Han}{2}", &f).unwrap(), r"\p{Han}{2}");
    }

    #[test]
    fn unknown_fragment_and_cycles_are_errors() {
        assert!(
            expand("{nope}", &frags(&[]))
                .unwrap_err()
                .contains("{nope}")
        );
        assert!(expand("{a}", &frags(&[("a", "{a}")])).is_err());
    }

    #[test]
    fn compile_names_file_line_and_rule() {
        let text = "x\n[[rule]]\nid = \"date.bad\"\n";
        let err = compile("d.toml", text, "date.bad", "(", &frags(&[]), &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("d.toml:3: rule date.bad: bad regex"),
            "{err}"
        );
        let err = compile(
            "d.toml",
            text,
            "date.bad",
            "(?<zz>a)",
            &frags(&[]),
            &["year"],
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown capture group <zz>"), "{err}");
    }
}
