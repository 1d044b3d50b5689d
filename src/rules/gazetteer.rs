//! The entity gazetteer: `rules/entities/<kind>.txt`, one entity a line,
//! `name | group | alias, alias, …` (`-` for no group). The file name is the
//! entity kind, so adding a company is a one-line change.

use std::collections::HashMap;

use super::RuleFile;
use crate::error::{Error, Result};

/// One known entity.
#[derive(Clone, Debug)]
pub struct Entity {
    /// Canonical name, as output in `name`.
    pub name: String,
    /// Kind: the entity file it comes from (`platform`, `payment`, …).
    pub kind: String,
    /// Parent company, when known.
    pub group: Option<String>,
    /// Other spellings that mean exactly this entity.
    pub aliases: Vec<String>,
}

impl Entity {
    /// The canonical name followed by every alias.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// All known entities, in file order (files sorted by name).
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    /// The entities; an index into this is an entity id.
    pub entities: Vec<Entity>,
    /// Canonical name → the first entity of that name: resolution asks
    /// for groups by name for every pair of parties.
    by_name: HashMap<String, usize>,
}

impl Gazetteer {
    /// Parses entity files; every name and alias must be unique across all of
    /// them. A group is free text (a user's file may name a parent the
    /// defaults do not list); tests/rules.rs checks the defaults are closed.
    pub fn parse(files: &[&RuleFile]) -> Result<Self> {
        let mut entities = Vec::new();
        let mut origin: Vec<(String, usize)> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for file in files {
            let kind = kind_of(&file.name);
            for (n, raw) in file.text.lines().enumerate() {
                let line = raw.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let fields: Vec<&str> = line.split('|').map(str::trim).collect();
                let [name, group, aliases] = fields[..] else {
                    return Err(Error::rule(
                        &file.name,
                        n + 1,
                        format!("expected `name | group | aliases`, got {line:?}"),
                    ));
                };
                if name.is_empty() {
                    return Err(Error::rule(&file.name, n + 1, "empty entity name"));
                }
                let entity = Entity {
                    name: name.to_string(),
                    kind: kind.to_string(),
                    group: (group != "-" && !group.is_empty()).then(|| group.to_string()),
                    aliases: aliases
                        .split([',', '，'])
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect(),
                };
                for alias in entity.names() {
                    let key = alias.to_lowercase();
                    if let Some(&other) = seen.get(&key) {
                        let Some((f, l)) = origin.get(other) else {
                            return Err(Error::rule(
                                &file.name,
                                n + 1,
                                format!(
                                    "{alias:?} is listed twice on this line (names match ignoring case)"
                                ),
                            ));
                        };
                        return Err(Error::rule(
                            &file.name,
                            n + 1,
                            format!(
                                "{alias:?} is already claimed by {:?} ({f}:{l})",
                                entities_name(&entities, other)
                            ),
                        ));
                    }
                    seen.insert(key, entities.len());
                }
                entities.push(entity);
                origin.push((file.name.clone(), n + 1));
            }
        }
        let mut by_name = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            by_name.entry(e.name.clone()).or_insert(i);
        }
        Ok(Gazetteer { entities, by_name })
    }

    /// The entity with canonical name `name`.
    pub fn by_name(&self, name: &str) -> Option<&Entity> {
        self.id_of(name).map(|i| &self.entities[i])
    }

    /// The id (index) of the entity with canonical name `name`.
    pub fn id_of(&self, name: &str) -> Option<usize> {
        // Names are unique, so the index covers every entity, unless some
        // were pushed after parsing.
        if self.by_name.len() == self.entities.len() {
            self.by_name.get(name).copied()
        } else {
            self.entities.iter().position(|e| e.name == name)
        }
    }
}

fn entities_name(entities: &[Entity], i: usize) -> &str {
    entities.get(i).map_or("?", |e| e.name.as_str())
}

/// `rules/entities/bank.txt` → `bank`.
fn kind_of(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.strip_suffix(".txt").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> RuleFile {
        RuleFile {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn parses_lines_with_kind_from_file_name() {
        let f = file(
            "rules/entities/platform.txt",
            "# c\n阿里巴巴 | - | 阿里\n淘宝 | 阿里巴巴 | 淘宝网, 手淘\n",
        );
        let g = Gazetteer::parse(&[&f]).unwrap();
        assert_eq!(g.entities.len(), 2);
        assert_eq!(g.entities[1].kind, "platform");
        assert_eq!(g.entities[1].group.as_deref(), Some("阿里巴巴"));
        assert_eq!(g.entities[1].aliases, ["淘宝网", "手淘"]);
    }

    #[test]
    fn an_alias_claimed_twice_is_an_error_naming_both_places() {
        let a = file("a.txt", "甲 | - | 乙\n");
        let b = file("b.txt", "\n丙 | - | 乙\n");
        let err = Gazetteer::parse(&[&a, &b]).unwrap_err().to_string();
        assert!(err.starts_with("b.txt:2:"), "{err}");
        assert!(err.contains("a.txt:1"), "{err}");
    }

    #[test]
    fn a_name_repeated_on_its_own_line_is_an_error_not_a_panic() {
        let err = Gazetteer::parse(&[&file("x.txt", "ofo | - | OFO\n")])
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.txt:1:") && err.contains("twice"),
            "{err}"
        );
    }

    #[test]
    fn bad_shape_is_an_error() {
        let err = Gazetteer::parse(&[&file("x.txt", "甲 | 乙\n")])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.txt:1:"), "{err}");
    }
}
