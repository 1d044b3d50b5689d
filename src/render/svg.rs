//! The interconnection graph as inline SVG for the HTML page: parties on a
//! circle, each parent company's parties side by side in its colour, edges
//! curved through the centre so bundles between groups stay readable. Drawn
//! here, so the page needs no layout library and no network.

use std::f64::consts::PI;
use std::fmt::Write;

use super::escape_html;
use super::graph::Graph;

/// Renders `graph`; each node and edge has a `<title>` for hover, and
/// `data-a`/`data-b`/`data-node` attributes the page's script uses.
pub fn svg(graph: &Graph) -> String {
    let nodes: Vec<_> = graph.nodes().collect();
    let n = nodes.len().max(1) as f64;
    // About 20 px of circumference per node, never a tiny circle.
    let radius = (n * 20.0 / (2.0 * PI)).max(170.0);
    let margin = 130.0;
    let size = 2.0 * (radius + margin);
    let c = size / 2.0;
    let at = |i: usize| {
        let angle = 2.0 * PI * i as f64 / n - PI / 2.0;
        (angle, c + radius * angle.cos(), c + radius * angle.sin())
    };
    let position = |name: &str| nodes.iter().position(|(_, m)| *m == name).map(at);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" viewBox=\"0 0 {size:.0} {size:.0}\" role=\"img\" aria-label=\"interconnection graph\">"
    );
    out.push_str("<g class=\"edges\">");
    for e in &graph.edges {
        let (Some((_, x1, y1)), Some((_, x2, y2))) = (position(&e.a), position(&e.b)) else {
            continue;
        };
        // Control point between the chord's midpoint and the centre.
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        let (qx, qy) = (mx + (c - mx) * 0.6, my + (c - my) * 0.6);
        let _ = write!(
            out,
            "<path class=\"edge\" data-a=\"{}\" data-b=\"{}\" d=\"M{x1:.1},{y1:.1} Q{qx:.1},{qy:.1} {x2:.1},{y2:.1}\" stroke-width=\"{:.1}\"><title>{} — {}: {}</title></path>",
            escape_html(&e.a),
            escape_html(&e.b),
            1.0 + (e.labels.len() as f64).min(5.0) * 0.6,
            escape_html(&e.a),
            escape_html(&e.b),
            escape_html(&e.labels.join("; "))
        );
    }
    out.push_str("</g><g class=\"nodes\">");
    for (i, (group, name)) in nodes.iter().enumerate() {
        let (angle, x, y) = at(i);
        let (lx, ly) = (x + 10.0 * angle.cos(), y + 10.0 * angle.sin());
        let right = angle.cos() >= 0.0;
        let degrees = if right {
            angle.to_degrees()
        } else {
            angle.to_degrees() + 180.0
        };
        let group_name = group.name.as_deref().unwrap_or("no known parent");
        let _ = write!(
            out,
            "<g class=\"node\" data-node=\"{n}\"><title>{n} ({g})</title><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\" fill=\"{colour}\"/><text x=\"{lx:.1}\" y=\"{ly:.1}\" dy=\"0.35em\" text-anchor=\"{anchor}\" transform=\"rotate({degrees:.1} {lx:.1} {ly:.1})\">{n}</text></g>",
            n = escape_html(name),
            g = escape_html(group_name),
            colour = group.colour,
            anchor = if right { "start" } else { "end" },
        );
    }
    out.push_str("</g></svg>");
    out
}
