//! Property tests that try to break the library: arbitrary bytes through
//! the decoder and the pipeline, and arbitrary "Chinese-ish" text built from
//! the pieces real articles are made of (gazetteer names, trigger words,
//! dates, enumeration marks, quotes, bullets, headings). Whatever comes in:
//! no panic, output that serializes to valid JSON, and every span slicing
//! the decoded text to exactly its `text`.
//!
//! CI runs a few dozen cases; `PROPTEST_CASES=100000 cargo test --release
//! --test fuzz` runs a long search.

mod common;

use common::{PIPELINE, check_spans};
use extract::decode::{Options, decode};
use extract::{Document, output};
use proptest::prelude::*;

/// Runs the pipeline on `doc` and checks the output.
fn check(doc: &Document) {
    let out = output::document(&PIPELINE, &PIPELINE.run(doc));
    let json = serde_json::to_string(&out).expect("output serializes");
    serde_json::from_str::<serde_json::Value>(&json).expect("valid JSON");
    check_spans(&format!("{:?}", doc.text), &doc.text, &out);
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One piece of an article-like text.
fn piece() -> impl Strategy<Value = String> {
    const WORDS: &[&str] = &[
        "淘宝",
        "微信支付",
        "支付宝",
        "美团",
        "京东",
        "抖音",
        "快手",
        "拼多多",
        "饿了么",
        "云闪付",
        "腾讯",
        "阿里巴巴",
        "小红书",
        "中国银联",
        "工信部",
        "接入",
        "开放",
        "合作",
        "互联互通",
        "上线",
        "宣布",
        "与",
        "和",
        "及",
        "等",
        "双方",
        "今年",
        "去年",
        "同年",
        "此前",
        "起",
        "以来",
        "年",
        "月",
        "日",
        "号",
        "、",
        "，",
        "。",
        "；",
        "：",
        "“",
        "”",
        "《",
        "》",
        "（",
        "）",
        "\n",
        "\n\n",
        "- ◆",
        "◆",
        "# ",
        "## ",
        " ",
        "\u{3000}",
        "１２",
        "２０２４年",
        "【",
        "】",
        "据悉",
        "并非",
        "传闻",
    ];
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        2 => (0u32..3000).prop_map(|n| n.to_string()),
        2 => proptest::char::range('\u{4e00}', '\u{9fa5}').prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// Bytes of any kind: decoding fails cleanly or gives text the
    /// pipeline handles, strict and lossy alike.
    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..3000), lossy: bool) {
        let opts = Options { lossy, ..Options::default() };
        if let Ok(decoded) = decode("fuzz.txt", bytes, opts) {
            prop_assert!(lossy || decoded.replacements == 0);
            check(&Document::decoded("2024-09-06-fuzz.txt", decoded, None));
        }
    }

    /// Article-like text: names, triggers, dates, marks and structure in
    /// any order.
    #[test]
    fn chinese_ish_text(pieces in prop::collection::vec(piece(), 0..300)) {
        check(&Document::new("2024-09-06-fuzz.txt", pieces.concat(), None));
    }
}
