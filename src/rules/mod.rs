//! Rules are data: the gazetteer, the date patterns and the event patterns
//! live in `rules/` as commented text files, are embedded in the binary as
//! defaults, and can be overridden file by file with `--rules DIR`.
//!
//! Both routes go through the same parsers (`RuleSet::from_files`), so a rule
//! file is validated the same way whether it is embedded or the user's:
//! unknown keys, bad regexes, unknown `{fragments}`, duplicate ids and aliases
//! are errors naming the file and line. Compiling the patterns and running
//! every rule's examples happens when the stages are built (`Pipeline::new`),
//! still before any input is read.

pub mod anchored;
pub mod gazetteer;
pub mod pattern;
pub mod schema;

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
pub use gazetteer::{Entity, Gazetteer};
pub use schema::{DatesFile, EventsFile, NamesFile};

/// One rule file: its name as shown to the user, and its text.
#[derive(Clone, Debug)]
pub struct RuleFile {
    /// `rules/dates.toml` for an embedded file, the real path for the user's.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A word for jieba's user dictionary (`word [freq] [tag]`).
#[derive(Clone, Debug)]
pub struct UserWord {
    /// The word to keep whole.
    pub word: String,
    /// Its frequency, or `None` to let jieba suggest one.
    pub freq: Option<usize>,
    /// Its part-of-speech tag.
    pub tag: Option<String>,
}

/// All rules, parsed and checked for shape.
#[derive(Clone, Debug)]
pub struct RuleSet {
    /// Known entities and their aliases.
    pub gazetteer: Gazetteer,
    /// Date patterns and lookup tables.
    pub dates: DatesFile,
    /// Event patterns, `how` cues, polarity cues.
    pub events: EventsFile,
    /// How names the gazetteer does not know are found.
    pub names: NamesFile,
    /// Extra words for jieba.
    pub userdict: Vec<UserWord>,
    /// Names of the files the rules came from, for error messages.
    pub files: Files,
}

/// Names of the rule files behind a `RuleSet`.
#[derive(Clone, Debug, Default)]
pub struct Files {
    /// The date rules file.
    pub dates: String,
    /// The event rules file.
    pub events: String,
    /// Text of the date rules file, for line look-ups.
    pub dates_text: String,
    /// Text of the event rules file, for line look-ups.
    pub events_text: String,
}

/// The default rule files, embedded at build time. Keys are paths relative
/// to a rules directory; a file of the same path in `--rules DIR` replaces one.
const EMBEDDED: &[(&str, &str)] = &[
    ("dates.toml", include_str!("../../rules/dates.toml")),
    ("events.toml", include_str!("../../rules/events.toml")),
    ("names.toml", include_str!("../../rules/names.toml")),
    (
        "jieba_userdict.txt",
        include_str!("../../rules/jieba_userdict.txt"),
    ),
    (
        "entities/company.txt",
        include_str!("../../rules/entities/company.txt"),
    ),
    (
        "entities/logistics.txt",
        include_str!("../../rules/entities/logistics.txt"),
    ),
    (
        "entities/platform.txt",
        include_str!("../../rules/entities/platform.txt"),
    ),
    (
        "entities/payment.txt",
        include_str!("../../rules/entities/payment.txt"),
    ),
    (
        "entities/service.txt",
        include_str!("../../rules/entities/service.txt"),
    ),
    (
        "entities/regulator.txt",
        include_str!("../../rules/entities/regulator.txt"),
    ),
    (
        "entities/bank.txt",
        include_str!("../../rules/entities/bank.txt"),
    ),
    (
        "entities/telecom.txt",
        include_str!("../../rules/entities/telecom.txt"),
    ),
    (
        "entities/game.txt",
        include_str!("../../rules/entities/game.txt"),
    ),
];

impl RuleSet {
    /// The rules built into the binary.
    pub fn embedded() -> Result<Self> {
        Self::from_files(embedded_files())
    }

    /// The embedded rules with every file found in `dir` replacing the
    /// default of the same relative path (`dir/dates.toml`,
    /// `dir/entities/bank.txt`); entity files of new kinds are added.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let mut files = embedded_files();
        if !dir.is_dir() {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "rules directory not found",
                ),
            });
        }
        let mut found = 0;
        for rel in [
            "dates.toml",
            "events.toml",
            "names.toml",
            "jieba_userdict.txt",
        ] {
            found += read_override(dir, rel, &mut files)? as usize;
        }
        let entities = dir.join("entities");
        if entities.is_dir() {
            let listing = std::fs::read_dir(&entities).map_err(|source| Error::Io {
                path: entities.clone(),
                source,
            })?;
            let mut names: Vec<String> = listing
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".txt"))
                .collect();
            names.sort();
            for name in names {
                found += read_override(dir, &format!("entities/{name}"), &mut files)? as usize;
            }
        }
        if found == 0 {
            return Err(Error::rule(
                &dir.display().to_string(),
                0,
                "no rule files here (expected dates.toml, events.toml, names.toml, jieba_userdict.txt or entities/*.txt)",
            ));
        }
        Self::from_files(files)
    }

    /// Parses a complete set of rule files, keyed by relative path.
    pub fn from_files(files: BTreeMap<String, RuleFile>) -> Result<Self> {
        let get = |key: &str| {
            files
                .get(key)
                .ok_or_else(|| Error::rule(key, 0, "missing rule file"))
        };
        let dates_file = get("dates.toml")?;
        let events_file = get("events.toml")?;
        let dates: DatesFile = schema::parse_toml(dates_file)?;
        let events: EventsFile = schema::parse_toml(events_file)?;
        let names: NamesFile = schema::parse_toml(get("names.toml")?)?;
        let userdict = parse_userdict(get("jieba_userdict.txt")?)?;
        let entity_files: Vec<&RuleFile> = files
            .iter()
            .filter(|(k, _)| k.starts_with("entities/"))
            .map(|(_, f)| f)
            .collect();
        let gazetteer = Gazetteer::parse(&entity_files)?;
        Ok(RuleSet {
            gazetteer,
            dates,
            events,
            names,
            userdict,
            files: Files {
                dates: dates_file.name.clone(),
                events: events_file.name.clone(),
                dates_text: dates_file.text.clone(),
                events_text: events_file.text.clone(),
            },
        })
    }
}

fn embedded_files() -> BTreeMap<String, RuleFile> {
    EMBEDDED
        .iter()
        .map(|(rel, text)| {
            let file = RuleFile {
                name: format!("rules/{rel}"),
                text: text.to_string(),
            };
            (rel.to_string(), file)
        })
        .collect()
}

/// Replaces `files[rel]` with `dir/rel` when that file exists.
fn read_override(dir: &Path, rel: &str, files: &mut BTreeMap<String, RuleFile>) -> Result<bool> {
    let path = dir.join(rel);
    if !path.is_file() {
        return Ok(false);
    }
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let name = path.display().to_string();
    files.insert(rel.to_string(), RuleFile { name, text });
    Ok(true)
}

/// jieba's own user dictionary format: `word [freq] [tag]`, `#` comments.
fn parse_userdict(file: &RuleFile) -> Result<Vec<UserWord>> {
    let mut out = Vec::new();
    for (n, line) in file.text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next().unwrap_or_default().to_string();
        let mut freq = None;
        let mut tag = None;
        for part in parts {
            match part.parse::<usize>() {
                Ok(f) if freq.is_none() && tag.is_none() => freq = Some(f),
                _ if tag.is_none() => tag = Some(part.to_string()),
                _ => {
                    return Err(Error::rule(
                        &file.name,
                        n + 1,
                        format!("expected `word [freq] [tag]`, got {line:?}"),
                    ));
                }
            }
        }
        out.push(UserWord { word, freq, tag });
    }
    Ok(out)
}

/// The 1-based line of the first occurrence of `needle` in `text`, or 0.
pub(crate) fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(0, |at| text[..at].matches('\n').count() + 1)
}
