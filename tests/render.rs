//! Merging and the human-facing formats, on the real pipeline: the merged
//! timeline has no duplicates, every format renders for the whole corpus,
//! the CSV reads back, the DOT goes through Graphviz and the HTML page
//! passes its own click-through self-test in headless Chromium.

mod common;

use std::path::Path;
use std::process::Command;

use extract::merge::{MergedEvent, merge};
use extract::output::DocumentOut;
use extract::pairs::pairs;
use extract::period::Period;
use extract::render::{self, Article, graph::Graph};

const SEED: &str = "corpus/2024-09-06-taobao-wechat-pay.txt";

fn seed() -> DocumentOut {
    common::run_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED))
}

/// Whether two merged `when`s could be the same time (undated fits any).
fn compatible(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Period::parse(a).compatible(&Period::parse(b)),
        _ => true,
    }
}

fn find<'a>(merged: &'a [MergedEvent], a: &str, b: &str, how: &str) -> Vec<&'a MergedEvent> {
    let mut want = vec![a, b];
    want.sort();
    merged
        .iter()
        .filter(|m| m.parties() == want && m.how == how)
        .collect()
}

#[test]
fn seed_merged_timeline_has_no_two_rows_with_same_parties_type_and_compatible_time() {
    let merged = merge(&[seed()]);
    assert!(merged.len() > 20, "{}", merged.len());
    for (i, x) in merged.iter().enumerate() {
        for y in &merged[i + 1..] {
            assert!(
                !(x.parties() == y.parties()
                    && x.how == y.how
                    && x.kind == y.kind
                    && compatible(&x.when, &y.when)),
                "duplicate rows: {:?} {:?} {:?} and {:?}",
                x.parties(),
                x.how,
                x.when,
                y.when
            );
        }
    }
    // The timeline bullet (2021年9月) and the body (undated) tell the same
    // 饿了么 → 微信支付 connection: one merged event, both mentions, dated.
    let eleme = find(&merged, "饿了么", "微信支付", "payment");
    assert_eq!(eleme.len(), 1);
    assert_eq!(eleme[0].when.as_deref(), Some("2021-09"));
    assert!(eleme[0].mentions.len() >= 2, "{:?}", eleme[0].mentions);
    assert!(eleme[0].mentions.iter().any(|m| m.when.is_none()));
    // 2022-03 and 2024-09-12 are not compatible: they stay apart.
    let taobao = find(&merged, "淘宝", "微信支付", "payment");
    let whens: Vec<_> = taobao.iter().filter_map(|m| m.when.as_deref()).collect();
    assert!(
        whens.contains(&"2022-03") && whens.contains(&"2024-09-12"),
        "{whens:?}"
    );
}

#[test]
fn merged_events_are_in_time_order_with_undated_last_and_keep_every_mention() {
    let docs: Vec<DocumentOut> = common::corpus().into_iter().map(|(d, _)| d).collect();
    let merged = merge(&docs);
    let dated: Vec<_> = merged.iter().take_while(|m| m.when.is_some()).collect();
    assert!(merged[dated.len()..].iter().all(|m| m.when.is_none()));
    for w in dated.windows(2) {
        let (a, b) = (w[0].when.as_deref().unwrap(), w[1].when.as_deref().unwrap());
        assert!(
            Period::parse(a).chronological(&Period::parse(b)).is_le(),
            "{a} after {b}"
        );
    }
    // Every pair of every event is a mention of exactly one merged event.
    let told: usize = docs
        .iter()
        .flat_map(|d| &d.events)
        .map(|e| pairs(e).len())
        .sum();
    let kept: usize = merged.iter().map(|m| m.mentions.len()).sum();
    assert_eq!(told, kept);
    for m in &merged {
        let first = m.evidence().unwrap();
        assert_eq!(first.when.as_ref().and_then(|w| w.value.clone()), m.when);
        assert!(first.who.iter().all(|p| m.who.contains(&p.name)));
    }
}

#[test]
fn mentions_merge_across_documents_and_undated_joins_the_dated() {
    let a = common::run_named("a.txt", "2021年9月，饿了么接入微信支付。", "2024-09-06");
    let b = common::run_named("b.txt", "饿了么已接入微信支付。", "2024-09-06");
    let c = common::run_named("c.txt", "2022年3月，饿了么接入微信支付。", "2024-09-06");
    let merged = merge(&[a, b, c]);
    assert_eq!(merged.len(), 2, "{merged:#?}");
    assert_eq!(merged[0].when.as_deref(), Some("2021-09"));
    let sources: Vec<_> = merged[0]
        .mentions
        .iter()
        .map(|m| m.source.as_str())
        .collect();
    assert_eq!(sources, ["a.txt", "b.txt"]);
    assert_eq!(merged[1].when.as_deref(), Some("2022-03"));
    assert_eq!(merged[1].mentions.len(), 1);
}

#[test]
fn every_format_renders_for_the_corpus() {
    let corpus = common::corpus();
    let docs: Vec<DocumentOut> = corpus.iter().map(|(d, _)| d.clone()).collect();
    let merged = merge(&docs);
    let graph = Graph::new(&docs, &merged);

    let timeline = render::timeline::timeline(&merged);
    let rows = render::timeline::rows(&merged);
    assert_eq!(timeline.lines().count(), rows.len() + 2);
    assert!(
        timeline
            .lines()
            .all(|l| l.starts_with('|') && l.ends_with('|'))
    );
    let undated = timeline.lines().position(|l| l.starts_with("| undated"));
    if let Some(u) = undated {
        assert!(timeline.lines().skip(u).all(|l| l.starts_with("| undated")));
    }

    let dot = render::dot::dot(&graph);
    assert!(dot.contains("subgraph cluster_") && dot.contains("label=\"阿里巴巴\""));
    assert_eq!(dot.matches(" -- ").count(), graph.edges.len());

    let mermaid = render::mermaid::mermaid(&graph);
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert_eq!(mermaid.matches(" ---|").count(), graph.edges.len());
    assert_eq!(
        mermaid.matches("subgraph ").count(),
        mermaid.matches("\n  end").count()
    );

    // 淘宝 sits with its parent company 阿里巴巴, 微信支付 with 腾讯.
    let group_of = |name: &str| {
        graph
            .groups
            .iter()
            .find(|g| g.nodes.iter().any(|n| n == name))
            .and_then(|g| g.name.clone())
    };
    assert_eq!(group_of("淘宝").as_deref(), Some("阿里巴巴"));
    assert_eq!(group_of("微信支付").as_deref(), Some("腾讯"));

    let html = html_page(&corpus);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("http://") || html.matches("http://").count() == 1); // the SVG namespace only
    assert!(!html.contains("https://") && !html.contains(" src="));
    let events: usize = docs.iter().map(|d| d.events.len()).sum();
    assert!(html.matches("class=\"ev\"").count() >= events);
}

#[test]
fn html_escapes_article_text() {
    let text = "2021年9月，饿了么接入微信支付。<script>alert('x')</script> & \"quotes\"";
    let doc = common::run_named("<b>evil</b>.txt", text, "2024-09-06");
    let html = render::html::page(&[Article { doc: &doc, text }]);
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<b>evil</b>"));
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;")
    );
    assert_eq!(html.matches("<script>").count(), 1);
}

#[test]
fn csv_parses_back_with_one_row_per_event_and_pair() {
    let docs: Vec<DocumentOut> = common::corpus().into_iter().map(|(d, _)| d).collect();
    let text = render::csv::csv(&docs).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap(), render::csv::COLUMNS.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let expected: Vec<(String, String, String)> = docs
        .iter()
        .flat_map(|d| &d.events)
        .flat_map(|e| {
            pairs(e).into_iter().map(|p| {
                (
                    e.id.clone(),
                    p.who.to_string(),
                    p.with.unwrap_or("").to_string(),
                )
            })
        })
        .collect();
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r[1].to_string(), r[3].to_string(), r[4].to_string()))
        .collect();
    assert_eq!(got, expected);
    // Evidence with commas and quotes survives the round trip.
    let seed_row = rows
        .iter()
        .find(|r| r[1].ends_with("taobao-wechat-pay#3") && &r[3] == "饿了么")
        .expect("the seed's 饿了么 row");
    assert_eq!(&seed_row[4], "微信支付");
    assert_eq!(&seed_row[5], "2021-09");
    assert_eq!(&seed_row[6], "payment");
    assert!(seed_row[9].contains("饿了么、优酷、大麦"));
}

#[test]
fn dot_renders_with_graphviz() {
    let Some(dot) = common::tool("dot") else {
        return;
    };
    let docs: Vec<DocumentOut> = common::corpus().into_iter().map(|(d, _)| d).collect();
    let graph = Graph::of_documents(&docs);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("graph.dot");
    std::fs::write(&input, render::dot::dot(&graph)).unwrap();
    let out = Command::new(dot).arg("-Tsvg").arg(&input).output().unwrap();
    assert!(
        out.status.success(),
        "dot failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.contains("<svg") && svg.contains("淘宝") && svg.contains("cluster"));
}

fn html_page(corpus: &[(DocumentOut, String)]) -> String {
    let articles: Vec<Article> = corpus
        .iter()
        .map(|(doc, text)| Article { doc, text })
        .collect();
    render::html::page(&articles)
}

/// Runs headless Chromium on `url` with a fresh profile and extra flags.
fn chromium(browser: &Path, profile: &Path, flags: &[&str], url: &str) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(flags)
        .arg(url)
        .output()
        .unwrap()
}

#[test]
fn html_page_passes_its_click_through_selftest_in_chromium() {
    let Some(browser) = common::tool("chromium") else {
        return;
    };
    let corpus = common::corpus();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, html_page(&corpus)).unwrap();
    let url = format!("file://{}", page.display());

    let out = chromium(
        &browser,
        &dir.path().join("profile-dom"),
        &["--virtual-time-budget=5000", "--dump-dom"],
        &format!("{url}#selftest"),
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"selftest\">").unwrap_or_else(|| {
        panic!(
            "no self-test result in the DOM; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let result = &dom[start..dom[start..].find("</pre>").map_or(dom.len(), |e| start + e)];
    let events: usize = corpus.iter().map(|(d, _)| d.events.len()).sum();
    let mentions: usize = merge(&corpus.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>())
        .iter()
        .map(|m| m.mentions.len())
        .sum();
    assert!(result.contains("selftest: ok "), "{result}");
    let checked: usize = result
        .trim_start_matches("<pre id=\"selftest\">selftest: ok ")
        .split('/')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        checked > events,
        "only {checked} clicks for {events} events ({mentions} mentions)"
    );

    let shot = dir.path().join("report.png");
    let out = chromium(
        &browser,
        &dir.path().join("profile-shot"),
        &[
            "--window-size=1280,2000",
            &format!("--screenshot={}", shot.display()),
        ],
        &url,
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
    eprintln!("screenshot: {}", shot.display());
}
