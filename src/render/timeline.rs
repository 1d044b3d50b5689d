//! `--format timeline`: merged events as a Markdown table, oldest first and
//! undated last, one row per connection however often it was told, with the
//! evidence sentence and every source event, to paste into notes or a wiki.

use crate::merge::MergedEvent;

/// Renders merged events (already in merged order) as a Markdown table:
/// when, who, with, how, evidence, sources.
pub fn timeline(merged: &[MergedEvent]) -> String {
    let mut out = String::from(
        "| when | who | with | how | evidence | sources |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for m in merged {
        let cells = [
            m.when.clone().unwrap_or_else(|| "undated".into()),
            m.who.join("、"),
            m.with.join("、"),
            m.how.clone(),
            m.evidence()
                .map_or_else(String::new, |e| e.sentence.text.clone()),
            sources(m),
        ];
        out.push('|');
        for cell in cells {
            out.push(' ');
            out.push_str(&cell_text(&cell));
            out.push_str(" |");
        }
        out.push('\n');
    }
    out
}

/// The source events of `m`, grouped by article: `stem #3 #19; stem #2`.
pub fn sources(m: &MergedEvent) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for mention in &m.mentions {
        let (stem, n) = mention
            .event
            .rsplit_once('#')
            .unwrap_or((mention.event.as_str(), ""));
        match groups.iter_mut().find(|(s, _)| *s == stem) {
            Some((_, ns)) => ns.push(n),
            None => groups.push((stem, vec![n])),
        }
    }
    groups
        .iter()
        .map(|(stem, ns)| {
            let ns: Vec<String> = ns.iter().map(|n| format!("#{n}")).collect();
            format!("{stem} {}", ns.join(" "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A table cell: one line, pipes and backslashes escaped.
fn cell_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::cell_text;

    #[test]
    fn cells_stay_on_one_line_and_keep_pipes_literal() {
        assert_eq!(cell_text("a|b\nc\\"), "a\\|b c\\\\");
    }
}
