//! `--format timeline`: merged events as a Markdown table, oldest first and
//! undated last, one row per connection however often it was told, with the
//! evidence sentence and every source event, to paste into notes or a wiki.

use crate::merge::MergedEvent;

/// One timeline row: merged events told by exactly the same sentences, at
/// the same time and in the same way, with one side in common, shown
/// together (百度 with its eight partners is one row, not eight).
#[derive(Clone, Debug)]
pub struct Row<'a> {
    /// The acting side.
    pub who: Vec<String>,
    /// The other side.
    pub with: Vec<String>,
    /// The merged events of the row, in merged order.
    pub events: Vec<&'a MergedEvent>,
}

impl Row<'_> {
    /// The first merged event, which every other one of the row shares
    /// time, type and mentions with.
    pub fn first(&self) -> &MergedEvent {
        self.events[0]
    }
}

/// Groups merged events (in merged order) into timeline rows, keeping the
/// order of each row's first event.
pub fn rows(merged: &[MergedEvent]) -> Vec<Row<'_>> {
    fn told(m: &MergedEvent) -> (Option<String>, String, String, Vec<&str>) {
        let ids: Vec<&str> = m.mentions.iter().map(|x| x.event.as_str()).collect();
        (m.when.clone(), m.how.clone(), m.kind.clone(), ids)
    }
    let mut rows: Vec<Row> = Vec::new();
    for m in merged {
        // A row grows along one side only: while its `who` is one party it
        // can take more `with`, while its `with` is one party more `who`.
        let joins = |r: &Row| {
            told(r.first()) == told(m)
                && !m.with.is_empty()
                && !r.with.is_empty()
                && (r.who == m.who || r.with == m.with)
        };
        match rows.iter_mut().find(|r| joins(r)) {
            Some(r) if r.who == m.who => {
                r.with.extend(m.with.iter().cloned());
                r.events.push(m);
            }
            Some(r) => {
                r.who.extend(m.who.iter().cloned());
                r.events.push(m);
            }
            None => rows.push(Row {
                who: m.who.clone(),
                with: m.with.clone(),
                events: vec![m],
            }),
        }
    }
    rows
}

/// Renders merged events (already in merged order) as a Markdown table:
/// when, who, with, how, evidence, sources; one row per [`Row`].
pub fn timeline(merged: &[MergedEvent]) -> String {
    let mut out = String::from(
        "| when | who | with | how | evidence | sources |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for row in rows(merged) {
        let m = row.first();
        let cells = [
            m.when.clone().unwrap_or_else(|| "undated".into()),
            row.who.join("、"),
            row.with.join("、"),
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
