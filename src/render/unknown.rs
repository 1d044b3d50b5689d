//! `--report-unknown`: the names the gazetteer does not know (kind
//! `unknown`), most frequent first, with the rules that found them and a few
//! contexts each, so a user can decide which deserve a line in
//! `rules/entities/<kind>.txt`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Article;

/// How many contexts to show per name.
const CONTEXTS: usize = 3;
/// Characters of context on each side of a name.
const WINDOW: usize = 14;

#[derive(Default)]
struct Seen {
    count: usize,
    rules: Vec<String>,
    contexts: Vec<String>,
}

/// The report as plain text.
pub fn report(articles: &[Article]) -> String {
    let mut names: BTreeMap<&str, Seen> = BTreeMap::new();
    for article in articles {
        let chars: Vec<char> = article.text.chars().collect();
        for e in article.doc.entities.iter().filter(|e| e.kind == "unknown") {
            let seen = names.entry(&e.name).or_default();
            seen.count += 1;
            if !seen.rules.contains(&e.rule) {
                seen.rules.push(e.rule.clone());
            }
            if seen.contexts.len() < CONTEXTS && e.span[1] <= chars.len() {
                let from = e.span[0].saturating_sub(WINDOW);
                let to = (e.span[1] + WINDOW).min(chars.len());
                let before: String = chars[from..e.span[0]].iter().collect();
                let after: String = chars[e.span[1]..to].iter().collect();
                let line = format!("{}: …{}[{}]{}…", article.doc.source, before, e.text, after);
                seen.contexts.push(line.replace(['\n', '\r'], " "));
            }
        }
    }
    let mut rows: Vec<(&str, Seen)> = names.into_iter().collect();
    rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    let mentions: usize = rows.iter().map(|(_, s)| s.count).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} names outside the gazetteer, {} mentions. To make one known, add a line\n\
         # `name | group | aliases` to rules/entities/<kind>.txt.",
        rows.len(),
        mentions
    );
    for (name, seen) in rows {
        let _ = writeln!(
            out,
            "\n{:>4}  {}  ({})",
            seen.count,
            name,
            seen.rules.join(", ")
        );
        for c in seen.contexts {
            let _ = writeln!(out, "      {c}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{DocumentOut, EntityOut, PublishedOut};

    fn entity(name: &str, span: [usize; 2], kind: &str) -> EntityOut {
        EntityOut {
            text: name.into(),
            name: name.into(),
            kind: kind.into(),
            group: None,
            span,
            rule: "name.quoted".into(),
        }
    }

    #[test]
    fn counts_unknown_names_with_contexts_most_frequent_first() {
        let text = "“甬城出行”接入云闪付，甬城出行与江城付合作。";
        let doc = DocumentOut {
            source: "a.txt".into(),
            encoding: "utf-8".into(),
            replacements: 0,
            published: PublishedOut {
                value: None,
                basis: None,
            },
            entities: vec![
                entity("甬城出行", [1, 5], "unknown"),
                entity("云闪付", [8, 11], "payment"),
                entity("甬城出行", [12, 16], "unknown"),
                entity("江城付", [17, 20], "unknown"),
            ],
            dates: vec![],
            events: vec![],
            suppressed: vec![],
        };
        let report = report(&[Article { doc: &doc, text }]);
        assert!(
            report.starts_with("# 2 names outside the gazetteer, 3 mentions."),
            "{report}"
        );
        let first = report
            .find("甬城出行  (name.quoted)")
            .expect("甬城出行 row");
        let second = report.find("江城付  (name.quoted)").expect("江城付 row");
        assert!(first < second, "{report}");
        assert!(
            report.contains("a.txt: …“[甬城出行]”接入云闪付，甬城出行与江城…"),
            "{report}"
        );
        assert!(!report.contains("云闪付  ("), "{report}");
    }
}
