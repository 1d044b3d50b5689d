//! `--format html`: one self-contained review page (inline CSS and JS, no
//! network). At the top the merged timeline and the interconnection graph;
//! below, each article (collapsible) with entity, time, trigger and
//! polarity-cue spans highlighted and its events listed beside it. Clicking
//! an event, or a mention in the timeline, opens the article, scrolls to the
//! evidence sentence and highlights it, so a rule change is checked against
//! the text rather than against offsets.
//!
//! Opened with `#selftest` in the URL, the page clicks every event itself,
//! checks that its evidence exists and got the highlight, and writes the
//! result into `<pre id="selftest">` (the browser test reads it).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use super::graph::Graph;
use super::{Article, escape_html as esc, how_when, svg, timeline};
use crate::merge::{self, MergedEvent};
use crate::output::{DocumentOut, EventOut};

/// Renders the review page for `articles`.
pub fn page(articles: &[Article]) -> String {
    let docs: Vec<DocumentOut> = articles.iter().map(|a| a.doc.clone()).collect();
    let merged = merge::merge(&docs);
    let graph = Graph::new(&docs, &merged);
    let index: HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .rev()
        .map(|(i, a)| (a.doc.source.as_str(), i))
        .collect();
    let events: usize = docs.iter().map(|d| d.events.len()).sum();
    let parties = graph.groups.iter().map(|g| g.nodes.len()).sum::<usize>();

    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>extract · interconnection review</title>\n<style>",
    );
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");
    let _ = write!(
        out,
        "<header class=\"top\"><div class=\"brand\">extract <span>interconnection review</span></div>\
         <nav><a href=\"#timeline\">Timeline</a><a href=\"#graph\">Graph</a><a href=\"#articles\">Articles</a></nav>\
         <div class=\"stats\">{} articles · {events} events · {} merged · {parties} parties</div>\
         <div class=\"legend\"><span class=\"ent\">entity</span><span class=\"date\">time</span>\
         <span class=\"trig\">trigger</span><span class=\"cue\">polarity cue</span><span class=\"sent\">evidence</span></div>\
         <div class=\"tools\"><input id=\"filter\" type=\"search\" placeholder=\"filter: name, type, date…\">\
         <button id=\"expand\" type=\"button\">expand all</button><button id=\"collapse\" type=\"button\">collapse all</button></div></header>\n<main>\n",
        articles.len(),
        merged.len(),
    );
    timeline_section(&mut out, &merged, &index);
    graph_section(&mut out, &graph);
    let _ = write!(
        out,
        "<section id=\"articles\"><h2>Articles <small>{}</small></h2>",
        articles.len()
    );
    for (i, a) in articles.iter().enumerate() {
        article_section(&mut out, i, a, articles.len() <= 3);
    }
    out.push_str("</section>\n</main>\n<script>");
    out.push_str(JS);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

/// The id of the element holding sentence `span` of article `doc`.
fn sentence_id(doc: usize, span: [usize; 2]) -> String {
    format!("s{doc}-{}-{}", span[0], span[1])
}

/// `淘宝 → 微信支付`, names in bold.
fn parties_html(who: &[String], with: &[String]) -> String {
    let names = |ns: &[String]| {
        ns.iter()
            .map(|n| format!("<b>{}</b>", esc(n)))
            .collect::<Vec<_>>()
            .join("、")
    };
    if with.is_empty() {
        names(who)
    } else {
        format!("{} → {}", names(who), names(with))
    }
}

fn timeline_section(out: &mut String, merged: &[MergedEvent], index: &HashMap<&str, usize>) {
    let _ = write!(
        out,
        "<section id=\"timeline\"><h2>Merged timeline <small>{} connections, undated last; click a mention to see its evidence</small></h2>\
         <div class=\"scroll\"><table><thead><tr><th>when</th><th>parties</th><th>how</th><th>evidence</th><th>mentions</th></tr></thead><tbody>",
        merged.len()
    );
    for row in timeline::rows(merged) {
        let m = row.first();
        let evidence = m.evidence().map_or("", |e| e.sentence.text.as_str());
        let short: String = evidence.chars().take(90).collect();
        let ellipsis = if short.len() < evidence.len() {
            "…"
        } else {
            ""
        };
        let mut buttons = String::new();
        for mention in &m.mentions {
            let Some(&doc) = index.get(mention.source.as_str()) else {
                continue;
            };
            let n = mention.event.rsplit_once('#').map_or("", |(_, n)| n);
            let _ = write!(
                buttons,
                "<button type=\"button\" class=\"ev chip\" data-target=\"{}\" title=\"{}\">{}#{}</button>",
                sentence_id(doc, mention.sentence.span),
                esc(&mention.event),
                doc + 1,
                esc(n)
            );
        }
        let _ = writeln!(
            out,
            "<tr><td class=\"when\">{}</td><td>{}</td><td><span class=\"how\">{}</span></td><td class=\"evidence\" title=\"{}\">{}{ellipsis}</td><td class=\"mentions\" title=\"{}\">{buttons}</td></tr>",
            m.when
                .as_deref()
                .map_or_else(|| "<i>undated</i>".into(), esc),
            parties_html(&row.who, &row.with),
            esc(&m.how),
            esc(evidence),
            esc(&short),
            esc(&timeline::sources(m)),
        );
    }
    out.push_str("</tbody></table></div></section>\n");
}

fn graph_section(out: &mut String, graph: &Graph) {
    let _ = write!(
        out,
        "<section id=\"graph\"><h2>Graph <small>{} parties, {} connected pairs; hover a party to trace it, click to filter</small></h2><div class=\"graphwrap\">{}<ul class=\"groups\">",
        graph.groups.iter().map(|g| g.nodes.len()).sum::<usize>(),
        graph.edges.len(),
        svg::svg(graph)
    );
    for g in &graph.groups {
        let _ = write!(
            out,
            "<li><i style=\"background:{}\"></i>{} <small>{}</small></li>",
            g.colour,
            esc(g.name.as_deref().unwrap_or("no known parent")),
            g.nodes.len()
        );
    }
    out.push_str("</ul></div></section>\n");
}

fn article_section(out: &mut String, i: usize, a: &Article, open: bool) {
    let d = a.doc;
    let _ = write!(
        out,
        "<details class=\"article\" id=\"a{i}\"{}><summary><span class=\"num\">{}</span> <span class=\"src\">{}</span> \
         <span class=\"meta\">published {} · {} events · {} vetoed</span></summary><div class=\"cols\"><div class=\"text\">{}</div><aside><h3>Events</h3><ol class=\"events\">",
        if open { " open" } else { "" },
        i + 1,
        esc(&d.source),
        esc(d.published.value.as_deref().unwrap_or("unknown")),
        d.events.len(),
        d.suppressed.len(),
        marked_text(i, a),
    );
    for e in &d.events {
        event_item(out, i, e);
    }
    out.push_str("</ol>");
    if !d.suppressed.is_empty() {
        out.push_str("<h3>Vetoed</h3><ol class=\"events vetoed\">");
        for s in &d.suppressed {
            let _ = write!(
                out,
                "<li><button type=\"button\" class=\"ev\" data-target=\"{}\">{} <span class=\"how veto\">{}</span> <span class=\"cuew\">{}</span> <span class=\"rule\">{}</span></button></li>",
                sentence_id(i, s.sentence.span),
                parties_html(&s.who, &s.with),
                esc(&s.polarity),
                esc(&s.cue.text),
                esc(&s.rule),
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</aside></div></details>\n");
}

fn event_item(out: &mut String, doc: usize, e: &EventOut) {
    let names =
        |ps: &[crate::output::PartyOut]| ps.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    let n = e.id.rsplit_once('#').map_or(e.id.as_str(), |(_, n)| n);
    let when = e.when.as_ref().map(|w| match &w.value {
        Some(v) => format!("{v} ({})", w.basis),
        None => format!("{} ({})", w.text, w.basis),
    });
    let _ = write!(
        out,
        "<li><button type=\"button\" class=\"ev\" data-target=\"{}\" title=\"{}\"><span class=\"eid\">#{}</span> {} <span class=\"when\">{}</span> <span class=\"how\">{}</span> <span class=\"rule\">{}</span></button></li>",
        sentence_id(doc, e.sentence.span),
        esc(&e.id),
        esc(n),
        parties_html(&names(&e.who), &names(&e.with)),
        when.as_deref().map_or_else(|| "undated".into(), esc),
        esc(&how_when(&e.how.kind, None)),
        esc(&e.rule),
    );
}

/// An inline highlight: span, class, tooltip.
type Mark = ([usize; 2], &'static str, String);

/// The article text with evidence sentences as addressable elements and
/// entity, time, trigger and cue spans highlighted. Spans outside the text
/// are skipped; overlapping highlights keep the earlier, longer one.
fn marked_text(doc: usize, a: &Article) -> String {
    let chars: Vec<char> = a.text.chars().collect();
    let len = chars.len();
    let valid = |s: &[usize; 2]| s[0] < s[1] && s[1] <= len;
    let d = a.doc;

    let sentences: BTreeSet<[usize; 2]> = d
        .events
        .iter()
        .map(|e| e.sentence.span)
        .chain(d.suppressed.iter().map(|s| s.sentence.span))
        .filter(valid)
        .collect();
    let sentences = non_overlapping(sentences.into_iter().map(|s| (s, "sent", String::new())));

    let mut marks: Vec<Mark> = Vec::new();
    for e in &d.entities {
        let group = e
            .group
            .as_deref()
            .map_or(String::new(), |g| format!(" · {g}"));
        marks.push((e.span, "ent", format!("{} · {}{group}", e.name, e.kind)));
    }
    for t in &d.dates {
        let value = t.value.as_deref().unwrap_or("no value");
        let granularity = t.granularity.as_deref().unwrap_or("");
        marks.push((
            t.span,
            "date",
            format!("{value} {granularity} · {}", t.rule),
        ));
    }
    for e in &d.events {
        marks.push((e.how.span, "trig", format!("{} · {}", e.how.kind, e.rule)));
    }
    for s in &d.suppressed {
        marks.push((s.cue.span, "cue", format!("vetoed: {}", s.polarity)));
    }
    marks.retain(|m| valid(&m.0));
    let marks = non_overlapping(marks);

    let mut cuts: BTreeSet<usize> = [0, len].into();
    for (s, ..) in sentences.iter().chain(&marks) {
        cuts.insert(s[0]);
        cuts.insert(s[1]);
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let covering = |set: &[Mark], at: usize| set.iter().position(|(s, ..)| s[0] <= at && at < s[1]);
    let mut out = String::new();
    let (mut open_sentence, mut open_mark) = (None, None);
    for w in cuts.windows(2) {
        let (from, to) = (w[0], w[1]);
        let (sentence, mark) = (covering(&sentences, from), covering(&marks, from));
        if (mark != open_mark || sentence != open_sentence) && open_mark.take().is_some() {
            out.push_str("</mark>");
        }
        if sentence != open_sentence {
            if open_sentence.is_some() {
                out.push_str("</span>");
            }
            if let Some(k) = sentence {
                let _ = write!(
                    out,
                    "<span class=\"sent\" id=\"{}\">",
                    sentence_id(doc, sentences[k].0)
                );
            }
            open_sentence = sentence;
        }
        if let (None, Some(k)) = (open_mark, mark) {
            let (_, class, title) = &marks[k];
            let _ = write!(out, "<mark class=\"{class}\" title=\"{}\">", esc(title));
            open_mark = mark;
        }
        out.push_str(&esc(&chars[from..to].iter().collect::<String>()));
    }
    if open_mark.is_some() {
        out.push_str("</mark>");
    }
    if open_sentence.is_some() {
        out.push_str("</span>");
    }
    out
}

/// Sorted by start (longer first), dropping any mark that overlaps one kept.
fn non_overlapping(marks: impl IntoIterator<Item = Mark>) -> Vec<Mark> {
    let mut marks: Vec<Mark> = marks.into_iter().collect();
    marks.sort_by_key(|(s, ..)| (s[0], std::cmp::Reverse(s[1])));
    let mut kept: Vec<Mark> = Vec::new();
    for m in marks {
        if kept.last().is_none_or(|k| k.0[1] <= m.0[0]) {
            kept.push(m);
        }
    }
    kept
}

const CSS: &str = r##"
:root{--bg:#f6f7f9;--card:#fff;--ink:#1f2328;--muted:#656d76;--line:#d9dee4;--accent:#3b6fd8;
--ent:#dbe8ff;--ent-b:#6b93e0;--date:#d9f5df;--date-b:#3fa35b;--trig:#ffe3c2;--trig-b:#e07b12;--cue:#ffd9dc;--cue-b:#d1364a;--hl:#fff19a}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.6 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif}
header.top{position:sticky;top:0;z-index:10;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;padding:.55rem 1.2rem;background:rgba(255,255,255,.94);backdrop-filter:blur(6px);border-bottom:1px solid var(--line);box-shadow:0 1px 4px rgba(0,0,0,.05)}
.brand{font-weight:700;font-size:1.05rem}.brand span{font-weight:400;color:var(--muted)}
nav a{margin-right:.8rem;color:var(--accent);text-decoration:none;font-weight:600}nav a:hover{text-decoration:underline}
.stats{color:var(--muted);font-size:.85rem}
.legend span{margin-right:.35rem;padding:0 .35rem;border-radius:3px;font-size:.8rem}
.tools{margin-left:auto;display:flex;gap:.4rem}
.tools input{width:15rem;padding:.25rem .5rem;border:1px solid var(--line);border-radius:6px;font:inherit}
button{font:inherit}
.tools button{padding:.2rem .6rem;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}
main{max-width:1400px;margin:0 auto;padding:.5rem 1.2rem 4rem}
section{margin-top:1.2rem}
h2{font-size:1.15rem;margin:.4rem 0 .6rem}h2 small,h3 small{font-weight:400;color:var(--muted);font-size:.8rem;margin-left:.4rem}
h3{font-size:.9rem;margin:.2rem 0 .4rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.scroll{max-height:55vh;overflow:auto;background:var(--card);border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.86rem}
thead th{position:sticky;top:0;background:#eef1f5;text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line);z-index:1}
td{padding:.3rem .6rem;border-bottom:1px solid #eef0f3;vertical-align:top}
tbody tr:hover{background:#f7faff}
td.when{white-space:nowrap;font-variant-numeric:tabular-nums;font-weight:600}
td.evidence{color:#444c56;min-width:18rem}
.how{display:inline-block;padding:0 .4rem;border-radius:10px;background:#eef1f5;color:#3d4650;font-size:.78rem;white-space:nowrap}
.how.veto{background:var(--cue);color:#8a1f2d}
.chip{margin:0 .2rem .2rem 0;padding:0 .4rem;border:1px solid var(--line);border-radius:10px;background:#fff;color:var(--accent);cursor:pointer;font-size:.78rem}
.chip:hover,.chip.active{background:var(--accent);color:#fff;border-color:var(--accent)}
.graphwrap{display:flex;gap:1rem;align-items:flex-start;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.6rem}
svg.graph{flex:1 1 auto;width:100%;max-width:820px;height:auto;font-size:12px}
svg.graph .edge{fill:none;stroke:#8d96a3;stroke-opacity:.45}
svg.graph .node{cursor:pointer}svg.graph .node text{fill:#2b3036}
svg.graph.focus .edge{stroke-opacity:.08}svg.graph.focus .edge.on{stroke:#d9480f;stroke-opacity:.95}
svg.graph.focus .node text{fill:#aab1ba}svg.graph.focus .node.on text{fill:#111;font-weight:700}
ul.groups{list-style:none;margin:0;padding:0;columns:2;column-gap:1rem;font-size:.82rem;min-width:16rem}
ul.groups li{break-inside:avoid;white-space:nowrap}ul.groups i{display:inline-block;width:.75rem;height:.75rem;border-radius:50%;margin-right:.35rem;vertical-align:-1px}
details.article{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:.5rem 0}
details.article>summary{cursor:pointer;padding:.5rem .8rem;list-style:none;display:flex;gap:.6rem;align-items:baseline;position:sticky;top:3.1rem;background:var(--card);border-radius:8px;z-index:2}
details.article[open]>summary{border-bottom:1px solid var(--line);border-radius:8px 8px 0 0}
details.article>summary::before{content:"▸";color:var(--muted)}details.article[open]>summary::before{content:"▾"}
.num{display:inline-block;min-width:1.6rem;text-align:center;border-radius:4px;background:#eef1f5;font-weight:700;font-size:.8rem}
.src{font-weight:600;word-break:break-all}.meta{color:var(--muted);font-size:.82rem;margin-left:auto;white-space:nowrap}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(300px,400px);gap:1rem;padding:.8rem}
@media (max-width:900px){.cols{grid-template-columns:1fr}.tools{margin-left:0}}
.text{white-space:pre-wrap;font-size:15px;line-height:1.85;max-width:52rem}
aside{position:sticky;top:6rem;align-self:start;max-height:calc(100vh - 7rem);overflow:auto}
ol.events{list-style:none;margin:0 0 .8rem;padding:0}
ol.events .ev{display:block;width:100%;text-align:left;margin:0 0 .25rem;padding:.3rem .5rem;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer;font-size:.84rem;line-height:1.45}
ol.events .ev:hover{border-color:var(--accent)}ol.events .ev.active{border-color:var(--accent);box-shadow:0 0 0 2px rgba(59,111,216,.25)}
.eid{color:var(--muted);font-variant-numeric:tabular-nums}.rule{color:var(--muted);font-size:.75rem;font-family:ui-monospace,monospace}
.ev .when{font-size:.78rem;color:#2f6b3c}.cuew{color:#8a1f2d}
mark{background:none;color:inherit;border-radius:3px;padding:0 1px}
mark.ent,.legend .ent{background:var(--ent);box-shadow:inset 0 -2px 0 var(--ent-b)}
mark.date,.legend .date{background:var(--date);box-shadow:inset 0 -2px 0 var(--date-b)}
mark.trig,.legend .trig{background:var(--trig);box-shadow:inset 0 -2px 0 var(--trig-b);font-weight:600}
mark.cue,.legend .cue{background:var(--cue);box-shadow:inset 0 -2px 0 var(--cue-b)}
.sent{border-bottom:1px dashed #b7bec8;transition:background .4s}
.legend .sent{border:1px dashed #b7bec8}
.sent.hl{background:var(--hl);border-bottom:2px solid #e0b400;box-shadow:0 0 0 3px var(--hl);border-radius:2px}
pre#selftest{margin:0;padding:.4rem 1.2rem;background:#111;color:#7ee787}
[hidden]{display:none!important}
"##;

const JS: &str = r##"
(function () {
  "use strict";
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var selftest = location.hash === "#selftest";
  function show(button) {
    var target = document.getElementById(button.getAttribute("data-target"));
    if (!target) return null;
    var article = target.closest("details");
    if (article && !article.open) article.open = true;
    all(".hl").forEach(function (e) { e.classList.remove("hl"); });
    all(".ev.active").forEach(function (e) { e.classList.remove("active"); });
    target.classList.add("hl");
    button.classList.add("active");
    target.scrollIntoView({ block: "center", behavior: selftest ? "auto" : "smooth" });
    return target;
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.ev");
    if (b) { e.preventDefault(); show(b); }
  });
  document.getElementById("expand").addEventListener("click", function () {
    all("details.article").forEach(function (d) { d.open = true; });
  });
  document.getElementById("collapse").addEventListener("click", function () {
    all("details.article").forEach(function (d) { d.open = false; });
  });
  var filter = document.getElementById("filter");
  function applyFilter() {
    var q = filter.value.trim().toLowerCase();
    all("#timeline tbody tr, details.article").forEach(function (el) {
      el.hidden = q !== "" && el.textContent.toLowerCase().indexOf(q) < 0;
    });
  }
  filter.addEventListener("input", applyFilter);
  var svg = document.querySelector("svg.graph");
  all("svg.graph .node").forEach(function (n) {
    var name = n.getAttribute("data-node");
    n.addEventListener("mouseenter", function () {
      svg.classList.add("focus");
      n.classList.add("on");
      all("svg.graph .edge").forEach(function (e) {
        var on = e.getAttribute("data-a") === name || e.getAttribute("data-b") === name;
        e.classList.toggle("on", on);
        if (on) {
          var other = e.getAttribute("data-a") === name ? e.getAttribute("data-b") : e.getAttribute("data-a");
          all("svg.graph .node").forEach(function (m) { if (m.getAttribute("data-node") === other) m.classList.add("on"); });
        }
      });
    });
    n.addEventListener("mouseleave", function () {
      svg.classList.remove("focus");
      all("svg.graph .on").forEach(function (e) { e.classList.remove("on"); });
    });
    n.addEventListener("click", function () {
      filter.value = filter.value === name ? "" : name;
      applyFilter();
    });
  });
  if (selftest) {
    var buttons = all("button.ev"), bad = [];
    buttons.forEach(function (b) {
      var id = b.getAttribute("data-target");
      var target = document.getElementById(id);
      if (!target) { bad.push("missing " + id); return; }
      b.click();
      var article = target.closest("details");
      if (!target.classList.contains("hl")) bad.push("not highlighted " + id);
      else if (article && !article.open) bad.push("article closed " + id);
      else if (all(".hl").length !== 1) bad.push("several highlighted " + id);
    });
    var pre = document.createElement("pre");
    pre.id = "selftest";
    pre.textContent = (bad.length ? "selftest: FAIL " : "selftest: ok ") +
      (buttons.length - bad.length) + "/" + buttons.length + (bad.length ? "\n" + bad.join("\n") : "");
    document.body.insertBefore(pre, document.body.firstChild);
  }
})();
"##;
