//! Rule patterns: `regex` syntax plus `{fragment}` references to named
//! pieces defined in the same file (`{E}`, `{list}`, `{year}`). Fragment names
//! are lower- or upper-case identifiers; `{2,4}`-style repetitions and
//! `\x{E000}` escapes are left alone because they start with a digit or
//! follow `\x`/`\p`.
//!
//! Compiling checks what HeidelTime's format never did: an unknown fragment,
//! a fragment cycle, a regex that does not compile, or a capture group the
//! normalizer does not know is an error naming the file, the rule and its line.
//!
//! A compiled pattern also keeps its syntax tree, from which the stages work
//! out cheap necessary conditions ([`required_chars`], [`required_literals`],
//! [`min_count`]) to skip text where a rule cannot match, without changing
//! what it matches.

use std::collections::{BTreeMap, BTreeSet};

use regex::{Regex, RegexBuilder};
use regex_automata::PatternID;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::anchored::AnchoredRegex;
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

/// The most memory each regex's lazy DFA may hold per thread. Event
/// patterns (lists of up to 41 parties, gaps of up to 16 characters) reach
/// many DFA states; at the regex crate's default of 2 MB the cache was
/// cleared and rebuilt over and over (determinization ~7 % of a run), at
/// 4 MB and more hardly ever. Caches grow only as states are built: peak
/// memory did not change.
const DFA_CACHE: usize = 8 << 20;

/// A rule's pattern, compiled, with its syntax tree for analysis.
#[derive(Debug)]
pub struct Compiled<R = Regex> {
    /// The regex.
    pub regex: R,
    /// What the regex was compiled from, as `regex-syntax` reads it.
    pub syntax: Hir,
}

/// The patterns of one rule file: where they come from (for errors naming
/// the line), the fragments they may use and the named groups they may have.
pub struct Patterns<'a> {
    /// The file's name.
    pub file: &'a str,
    /// The file's text, to find a rule's line.
    pub file_text: &'a str,
    /// `{name}` fragments.
    pub fragments: &'a BTreeMap<String, String>,
    /// The capture group names a pattern may use.
    pub groups: &'a [&'a str],
}

impl Patterns<'_> {
    /// Expands and compiles the pattern of rule `id`.
    pub fn compile(&self, id: &str, pattern: &str) -> Result<Compiled> {
        self.compile_with(id, pattern, |expanded, _| {
            let regex = RegexBuilder::new(expanded)
                .dfa_size_limit(DFA_CACHE)
                .build()
                .map_err(|e| e.to_string())?;
            let names = regex.capture_names().flatten().map(String::from).collect();
            Ok((regex, names))
        })
    }

    /// Like [`Patterns::compile`], for searches anchored where a match can
    /// start (see [`AnchoredRegex`]).
    pub fn compile_anchored(&self, id: &str, pattern: &str) -> Result<Compiled<AnchoredRegex>> {
        self.compile_with(id, pattern, |_, syntax| {
            let regex = AnchoredRegex::new(syntax, DFA_CACHE, NFA_LIMIT)?;
            let names = regex.group_info().pattern_names(PatternID::ZERO);
            let names = names.flatten().map(String::from).collect();
            Ok((regex, names))
        })
    }

    /// Expands the pattern, parses its syntax tree, builds it with `build`
    /// (the regex and its group names) and checks the groups.
    fn compile_with<R>(
        &self,
        id: &str,
        pattern: &str,
        build: impl FnOnce(&str, &Hir) -> std::result::Result<(R, Vec<String>), String>,
    ) -> Result<Compiled<R>> {
        let err = |msg: String| {
            let line = line_of(self.file_text, &format!("\"{id}\""));
            Error::rule(self.file, line, format!("rule {id}: {msg}"))
        };
        let expanded = expand(pattern, self.fragments).map_err(err)?;
        // With the regex crate's defaults, so that both read the same text.
        let syntax = regex_syntax::parse(&expanded).map_err(|e| err(format!("bad regex: {e}")))?;
        let (regex, names) =
            build(&expanded, &syntax).map_err(|e| err(format!("bad regex: {e}")))?;
        check_groups(names.iter().map(String::as_str), self.groups).map_err(err)?;
        Ok(Compiled { regex, syntax })
    }
}

/// The regex crate's default limit on the size of a compiled pattern.
const NFA_LIMIT: usize = 10 << 20;

fn check_groups<'n>(
    names: impl Iterator<Item = &'n str>,
    groups: &[&str],
) -> std::result::Result<(), String> {
    for name in names {
        if !groups.contains(&name) {
            return Err(format!(
                "unknown capture group <{name}> (known: {})",
                groups.join(", ")
            ));
        }
    }
    Ok(())
}

/// Classes larger than this are not worth looking for (`\s`, `[^，。]`).
const SMALL_CLASS: usize = 64;

/// A small set of characters of which every match of `hir` contains at
/// least one, when the syntax shows one: the smallest set any required
/// piece gives (a literal stands for its last character: 今年, 去年 and
/// 前年 all need 年). `None` when a match may avoid every small set.
pub fn required_chars(hir: &Hir) -> Option<BTreeSet<char>> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            let last = std::str::from_utf8(&lit.0).ok()?.chars().next_back()?;
            Some(BTreeSet::from([last]))
        }
        HirKind::Class(Class::Unicode(class)) => {
            let size: usize = class.iter().map(|r| r.len()).sum();
            (size <= SMALL_CLASS).then(|| class.iter().flat_map(|r| r.start()..=r.end()).collect())
        }
        HirKind::Repetition(rep) if rep.min > 0 => required_chars(&rep.sub),
        HirKind::Capture(cap) => required_chars(&cap.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required_chars)
            .min_by_key(BTreeSet::len),
        HirKind::Alternation(branches) => branches
            .iter()
            .map(required_chars)
            .reduce(|a, b| Some(a?.union(&b?).copied().collect()))?,
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) | HirKind::Repetition(_) => None,
    }
}

/// At most this many literals in one clause of [`required_literals`]: a
/// larger one is found in almost any text and not worth checking.
const MAX_CLAUSE: usize = 64;

/// Clauses of literals (as UTF-8 bytes) that every match of `hir` satisfies:
/// it contains at least one literal of each clause. A rule that needs 通过
/// and one of 打开|访问|… cannot match a skeleton lacking either.
pub fn required_literals(hir: &Hir) -> Vec<BTreeSet<Vec<u8>>> {
    match hir.kind() {
        HirKind::Literal(lit) => vec![BTreeSet::from([lit.0.to_vec()])],
        HirKind::Class(Class::Unicode(class)) => {
            let size: usize = class.iter().map(|r| r.len()).sum();
            if size > SMALL_CLASS {
                return Vec::new();
            }
            let chars = class.iter().flat_map(|r| r.start()..=r.end());
            vec![chars.map(|c| c.to_string().into_bytes()).collect()]
        }
        HirKind::Repetition(rep) if rep.min > 0 => required_literals(&rep.sub),
        HirKind::Capture(cap) => required_literals(&cap.sub),
        HirKind::Concat(parts) => parts.iter().flat_map(required_literals).collect(),
        // One clause of each branch, joined: the most selective one (fewest
        // literals, then the longest shortest literal).
        HirKind::Alternation(branches) => {
            let mut joined = BTreeSet::new();
            for branch in branches {
                let best = required_literals(branch).into_iter().min_by_key(|c| {
                    let shortest = c.iter().map(Vec::len).min().unwrap_or(0);
                    (c.len(), std::cmp::Reverse(shortest))
                });
                match best {
                    Some(clause) => joined.extend(clause),
                    None => return Vec::new(),
                }
            }
            if joined.len() <= MAX_CLAUSE {
                vec![joined]
            } else {
                Vec::new()
            }
        }
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) | HirKind::Repetition(_) => {
            Vec::new()
        }
    }
}

/// Classes larger than this make a rule's first character unknown.
const FIRST_CLASS: usize = 256;

/// The characters a match of `hir` can start with, unless it starts at
/// offset 0 of the text (`^` can hold only there, and a search tries offset
/// 0 anyway). `None` when a match may start with almost any character, or
/// be empty.
pub fn first_chars(hir: &Hir) -> Option<BTreeSet<char>> {
    match first(hir)? {
        (chars, false) => Some(chars),
        (_, true) => None,
    }
}

/// The characters a match of `hir` can start with, and whether it can be
/// empty (then what follows it gives the first character too).
fn first(hir: &Hir) -> Option<(BTreeSet<char>, bool)> {
    match hir.kind() {
        HirKind::Empty => Some((BTreeSet::new(), true)),
        HirKind::Literal(lit) => {
            let c = std::str::from_utf8(&lit.0).ok()?.chars().next()?;
            Some((BTreeSet::from([c]), false))
        }
        HirKind::Class(Class::Unicode(class)) => {
            let size: usize = class.iter().map(|r| r.len()).sum();
            let chars = class.iter().flat_map(|r| r.start()..=r.end());
            (size <= FIRST_CLASS).then(|| (chars.collect(), false))
        }
        HirKind::Class(Class::Bytes(_)) => None,
        // Only at offset 0, which is always tried.
        HirKind::Look(Look::Start) => Some((BTreeSet::new(), false)),
        HirKind::Look(_) => Some((BTreeSet::new(), true)),
        HirKind::Repetition(rep) => {
            let (chars, empty) = first(&rep.sub)?;
            Some((chars, empty || rep.min == 0))
        }
        HirKind::Capture(cap) => first(&cap.sub),
        HirKind::Concat(parts) => {
            let mut all = BTreeSet::new();
            for part in parts {
                let (chars, empty) = first(part)?;
                all.extend(chars);
                if !empty {
                    return Some((all, false));
                }
            }
            Some((all, true))
        }
        HirKind::Alternation(branches) => {
            let mut all = BTreeSet::new();
            let mut any_empty = false;
            for branch in branches {
                let (chars, empty) = first(branch)?;
                all.extend(chars);
                any_empty |= empty;
            }
            Some((all, any_empty))
        }
    }
}

/// The fewest characters from `set` any match of `hir` contains: a pattern
/// naming two party placeholders cannot match a skeleton with one.
pub fn min_count(hir: &Hir, set: &[char]) -> usize {
    match hir.kind() {
        HirKind::Literal(lit) => String::from_utf8_lossy(&lit.0)
            .chars()
            .filter(|c| set.contains(c))
            .count(),
        HirKind::Class(Class::Unicode(class)) => {
            let inside = class
                .iter()
                .all(|r| (r.start()..=r.end()).all(|c| set.contains(&c)));
            usize::from(inside && class.iter().next().is_some())
        }
        HirKind::Repetition(rep) => rep.min as usize * min_count(&rep.sub, set),
        HirKind::Capture(cap) => min_count(&cap.sub, set),
        HirKind::Concat(parts) => parts.iter().map(|p| min_count(p, set)).sum(),
        HirKind::Alternation(branches) => branches
            .iter()
            .map(|b| min_count(b, set))
            .min()
            .unwrap_or(0),
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => 0,
    }
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
    fn required_chars_and_counts() {
        let hir = |p: &str| regex_syntax::parse(p).unwrap();
        let set = |s: &str| s.chars().collect::<BTreeSet<char>>();
        assert_eq!(required_chars(&hir(r"\d{4}年度?")), Some(set("年")));
        assert_eq!(required_chars(&hir("(今年|去年)的?")), Some(set("年")));
        assert_eq!(required_chars(&hir("近日|日前")), Some(set("日前")));
        assert_eq!(required_chars(&hir("a?b*")), None);
        assert_eq!(required_chars(&hir("[^a]x|y")), Some(set("xy")));
        let p = ['\u{E000}'];
        assert_eq!(
            min_count(&hir(r"\x{E000}(、\x{E000}){0,4}与\x{E000}"), &p),
            2
        );
        assert_eq!(min_count(&hir(r"\x{E000}|双方"), &p), 0);
        assert_eq!(min_count(&hir(r"[\x{E000}\x{E002}]"), &p), 0);
    }

    #[test]
    fn required_literals_are_clauses() {
        let hir = |p: &str| regex_syntax::parse(p).unwrap();
        let clauses = |p: &str| -> Vec<Vec<String>> {
            required_literals(&hir(p))
                .into_iter()
                .map(|c| {
                    c.into_iter()
                        .map(|l| String::from_utf8(l).unwrap())
                        .collect()
                })
                .collect()
        };
        assert_eq!(
            clauses("通过x?(?P<t>打开|访问)"),
            vec![vec!["通过"], vec!["打开", "访问"]]
        );
        assert_eq!(clauses("(?:与|和)a+"), vec![vec!["与", "和"], vec!["a"]]);
        assert_eq!(clauses("(?:^|，)完成了?"), vec![vec!["完成"]]);
        assert_eq!(
            clauses("(?:双方|两家(?:公司)?)"),
            vec![vec!["两家", "双方"]]
        );
        assert!(clauses("a?|b").is_empty());
        assert!(clauses(r"\w+").is_empty());
    }

    #[test]
    fn first_chars_of_a_match() {
        let hir = |p: &str| regex_syntax::parse(p).unwrap();
        let set = |s: &str| s.chars().collect::<BTreeSet<char>>();
        // `^` holds at offset 0 only, which is always tried.
        assert_eq!(first_chars(&hir("(?:^|[，,])a*在")), Some(set("，,")));
        assert_eq!(first_chars(&hir("(?:[，,])?a*在")), Some(set("，,a在")));
        assert_eq!(first_chars(&hir("(?:该公司|其)?x")), Some(set("该其x")));
        assert_eq!(first_chars(&hir("^.*x")), Some(set("")));
        assert_eq!(first_chars(&hir("[^a]x")), None);
        assert_eq!(first_chars(&hir("a?")), None);
        assert_eq!(first_chars(&hir(r"\bx")), Some(set("x")));
    }

    #[test]
    fn compile_names_file_line_and_rule() {
        let text = "x\n[[rule]]\nid = \"date.bad\"\n";
        let fragments = frags(&[]);
        let patterns = |groups| Patterns {
            file: "d.toml",
            file_text: text,
            fragments: &fragments,
            groups,
        };
        let err = patterns(&[])
            .compile("date.bad", "(")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("d.toml:3: rule date.bad: bad regex"),
            "{err}"
        );
        let err = patterns(&["year"])
            .compile("date.bad", "(?<zz>a)")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown capture group <zz>"), "{err}");
    }
}
