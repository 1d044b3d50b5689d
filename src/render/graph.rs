//! The interconnection graph shared by the DOT, mermaid and SVG renderings:
//! parties as nodes grouped by parent company, one edge per connected pair
//! labelled with the type and time of each merged event between them.
//!
//! Groups come from the documents' `entities` (`group`), followed up to the
//! top (酷我音乐 → 腾讯音乐 → 腾讯); a party that is itself some entity's group
//! (阿里巴巴, 京东) sits in its own group.

use std::collections::{BTreeMap, HashMap};

use crate::merge::MergedEvent;
use crate::output::DocumentOut;

/// Fill colours for groups, in group order; ungrouped parties are grey.
const PALETTE: [&str; 20] = [
    "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7",
    "#9c755f", "#8cd17d", "#d37295", "#a0cbe8", "#ffbe7d", "#86bcb6", "#1b9e77", "#d95f02",
    "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
];

/// The colour of parties without a known parent company.
pub const UNGROUPED: &str = "#b8bfc9";

/// Parties grouped by parent company, and the edges between them.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Groups by name, ungrouped parties last; nodes sorted by name.
    pub groups: Vec<Group>,
    /// Edges in order of their first merged event.
    pub edges: Vec<Edge>,
}

/// Parties of one parent company.
#[derive(Clone, Debug)]
pub struct Group {
    /// The parent company, or `None` for the ungrouped parties.
    pub name: Option<String>,
    /// Its colour.
    pub colour: &'static str,
    /// Canonical names.
    pub nodes: Vec<String>,
}

/// Every merged event between two parties.
#[derive(Clone, Debug)]
pub struct Edge {
    /// One party (the acting side of the first merged event).
    pub a: String,
    /// The other party.
    pub b: String,
    /// `type time` of each merged event, chronologically.
    pub labels: Vec<String>,
}

impl Graph {
    /// Builds the graph of `merged` (pairs only; a lone party has no edge),
    /// grouping parties with the `entities` of `docs`.
    pub fn new(docs: &[DocumentOut], merged: &[MergedEvent]) -> Graph {
        let mut edges: Vec<Edge> = Vec::new();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for m in merged {
            let (Some(a), Some(b)) = (m.who.first(), m.with.first()) else {
                continue;
            };
            let key = if a <= b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            };
            let label = super::how_when(&m.how, m.when.as_deref());
            match index.get(&key) {
                Some(&i) => edges[i].labels.push(label),
                None => {
                    index.insert(key, edges.len());
                    edges.push(Edge {
                        a: a.clone(),
                        b: b.clone(),
                        labels: vec![label],
                    });
                }
            }
        }
        let parent = parents(docs);
        let mut grouped: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
        for e in &edges {
            for name in [&e.a, &e.b] {
                let group = top_group(name, &parent);
                let nodes = grouped.entry(group).or_default();
                if !nodes.contains(name) {
                    nodes.push(name.clone());
                }
            }
        }
        let ungrouped = grouped.remove(&None);
        let mut groups: Vec<Group> = grouped
            .into_iter()
            .enumerate()
            .map(|(i, (name, nodes))| Group {
                name,
                colour: PALETTE[i % PALETTE.len()],
                nodes,
            })
            .chain(ungrouped.map(|nodes| Group {
                name: None,
                colour: UNGROUPED,
                nodes,
            }))
            .collect();
        for g in &mut groups {
            g.nodes.sort();
        }
        Graph { groups, edges }
    }

    /// The graph of everything `docs` tell, merged first.
    pub fn of_documents(docs: &[DocumentOut]) -> Graph {
        Graph::new(docs, &crate::merge::merge(docs))
    }

    /// Every node with its group, in group order.
    pub fn nodes(&self) -> impl Iterator<Item = (&Group, &str)> {
        self.groups
            .iter()
            .flat_map(|g| g.nodes.iter().map(move |n| (g, n.as_str())))
    }
}

/// Each entity's parent company, from the first document that names one.
fn parents(docs: &[DocumentOut]) -> HashMap<&str, &str> {
    let mut parent = HashMap::new();
    for e in docs.iter().flat_map(|d| &d.entities) {
        if let Some(g) = e.group.as_deref().filter(|g| *g != e.name) {
            parent.entry(e.name.as_str()).or_insert(g);
        }
    }
    parent
}

/// The top parent company of `name`, itself when it is a parent of
/// something, or `None`.
fn top_group(name: &str, parent: &HashMap<&str, &str>) -> Option<String> {
    let Some(mut top) = parent.get(name).copied() else {
        return parent
            .values()
            .any(|g| *g == name)
            .then(|| name.to_string());
    };
    // Parent chains are short; the bound guards against a cycle in the rules.
    for _ in 0..8 {
        match parent.get(top) {
            Some(g) if *g != name => top = g,
            _ => break,
        }
    }
    Some(top.to_string())
}
