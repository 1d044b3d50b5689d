//! Pathological shapes that make naive matching blow up: a huge
//! enumeration, thousands of dates in one sentence, deeply nested quotes,
//! a line of megabytes without punctuation. Each must complete with valid
//! output. Their speed is shown by the 100 MB measurement, not by a timer
//! here (a timed test fails on a slow machine, not on slow code).

mod common;

use common::{check_spans, run_text};

fn completes(text: &str) -> extract::output::DocumentOut {
    let out = run_text(text, "2024-09-06");
    serde_json::from_str::<serde_json::Value>(&serde_json::to_string(&out).unwrap()).unwrap();
    check_spans("pathological", text, &out);
    out
}

#[test]
fn an_enumeration_of_five_thousand_names() {
    let names = ["淘宝", "美团", "京东", "抖音", "快手"];
    let list: Vec<&str> = (0..5000).map(|i| names[i % names.len()]).collect();
    let out = completes(&format!("{}等应用接入微信支付。", list.join("、")));
    assert!(
        out.entities.len() >= 1000,
        "{} entities",
        out.entities.len()
    );
}

#[test]
fn ten_thousand_dates_in_one_sentence() {
    let dates: Vec<String> = (0..10_000)
        .map(|i| format!("{}年{}月{}日", 2000 + i % 25, 1 + i % 12, 1 + i % 28))
        .collect();
    let out = completes(&format!("淘宝于{}接入微信支付。", dates.join("、")));
    assert!(!out.dates.is_empty());
}

#[test]
fn a_thousand_nested_quotes() {
    let text = format!(
        "{}淘宝接入微信支付{}。",
        "《".repeat(1000),
        "》".repeat(1000)
    );
    completes(&text);
    let text = format!("{}淘宝接入微信支付。", "“《（【".repeat(1000));
    completes(&text);
}

#[test]
fn a_five_megabyte_line_without_punctuation() {
    let unit = "淘宝接入微信支付美团开放支付宝";
    let text = unit.repeat(5_000_000 / unit.len());
    let out = completes(&text);
    assert!(!out.entities.is_empty());
}
