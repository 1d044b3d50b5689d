//! `--format mermaid`: the interconnection graph as a mermaid flowchart,
//! for Markdown viewers that draw mermaid blocks (GitHub, GitLab, Obsidian).
//! Parent companies are subgraphs; nodes have generated ids (`n1`, …) so
//! any name is safe, and labels are quoted with mermaid's entity escapes.

use std::collections::HashMap;
use std::fmt::Write;

use super::graph::Graph;

/// Renders `graph` as a mermaid `flowchart LR`.
pub fn mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut ids: HashMap<&str, String> = HashMap::new();
    for (i, g) in graph.groups.iter().enumerate() {
        let indent = match &g.name {
            Some(name) => {
                let _ = writeln!(out, "  subgraph g{i}[{}]", label(name));
                "    "
            }
            None => "  ",
        };
        for n in &g.nodes {
            let id = format!("n{}", ids.len() + 1);
            let _ = writeln!(out, "{indent}{id}[{}]", label(n));
            let _ = writeln!(out, "{indent}style {id} fill:{}", g.colour);
            ids.insert(n, id);
        }
        if g.name.is_some() {
            out.push_str("  end\n");
        }
    }
    for e in &graph.edges {
        if let (Some(a), Some(b)) = (ids.get(e.a.as_str()), ids.get(e.b.as_str())) {
            let _ = writeln!(out, "  {a} ---|{}| {b}", label(&e.labels.join("<br/>")));
        }
    }
    out
}

/// A quoted mermaid label; characters that would end or confuse it are
/// written as mermaid entities (`#quot;`).
fn label(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn labels_cannot_close_their_quotes() {
        assert_eq!(label("a\"b|c#"), "\"a#quot;b#124;c#35;\"");
    }
}
