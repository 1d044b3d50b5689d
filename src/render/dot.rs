//! `--format dot`: the interconnection graph for Graphviz. Each parent
//! company is a cluster; edges carry `type time` labels, one line per
//! merged event between the two parties.

use std::fmt::Write;

use super::graph::Graph;

/// Fonts that carry CJK glyphs, so Graphviz draws names rather than boxes.
const FONT: &str = "Noto Sans CJK SC,Noto Sans SC,WenQuanYi Micro Hei,PingFang SC,sans-serif";

/// Renders `graph` as an undirected DOT graph.
pub fn dot(graph: &Graph) -> String {
    let mut out = String::from("graph interconnection {\n");
    // newrank: Graphviz's older ranking fails ("trouble in init_rank") on
    // some graphs of clusters with edges between them.
    let _ = writeln!(
        out,
        "  graph [fontname=\"{FONT}\", newrank=true, rankdir=LR, ranksep=1.1, nodesep=0.25, labeljust=l];"
    );
    let _ = writeln!(
        out,
        "  node [fontname=\"{FONT}\", shape=box, style=\"rounded,filled\", fontsize=11, color=\"#55595f\"];"
    );
    let _ = writeln!(
        out,
        "  edge [fontname=\"{FONT}\", fontsize=9, color=\"#7a808a\", fontcolor=\"#3d4148\"];"
    );
    for (i, g) in graph.groups.iter().enumerate() {
        let indent = match &g.name {
            Some(name) => {
                let _ = writeln!(out, "  subgraph cluster_{i} {{");
                let _ = writeln!(
                    out,
                    "    label={}; style=\"rounded,filled\"; color=\"{c}\"; fillcolor=\"{c}22\";",
                    quote(name),
                    c = g.colour
                );
                "    "
            }
            None => "  ",
        };
        for n in &g.nodes {
            let _ = writeln!(out, "{indent}{} [fillcolor=\"{}\"];", quote(n), g.colour);
        }
        if g.name.is_some() {
            out.push_str("  }\n");
        }
    }
    for e in &graph.edges {
        let _ = writeln!(
            out,
            "  {} -- {} [label={}];",
            quote(&e.a),
            quote(&e.b),
            quote(&e.labels.join("\n"))
        );
    }
    out.push_str("}\n");
    out
}

/// A DOT quoted string: quotes and backslashes escaped, line breaks as `\n`.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_escape_quotes_backslashes_and_newlines() {
        assert_eq!(quote("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
    }
}
