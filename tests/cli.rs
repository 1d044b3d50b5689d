//! End-to-end runs of the real binary: what a user sees on stdout, stderr
//! and in the exit code.

mod common;

use common::{Run, run_cli};

const SEED: &str = "corpus/2024-09-06-taobao-wechat-pay.txt";

fn extract(args: &[&str], stdin: Option<&str>) -> Run {
    run_cli(args, stdin.map(str::as_bytes))
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).expect("valid JSON")
}

#[test]
fn seed_gives_one_document_with_events() {
    let r = extract(&[SEED], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let docs = json(&r.stdout);
    assert_eq!(docs.as_array().unwrap().len(), 1);
    assert_eq!(docs[0]["source"], SEED);
    assert_eq!(docs[0]["published"]["basis"], "filename");
    assert!(docs[0]["events"].as_array().unwrap().len() > 20);
}

#[test]
fn a_missing_file_is_reported_and_the_others_still_run() {
    let r = extract(&["no/such.txt", SEED], None);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("extract: no/such.txt: "),
        "{}",
        r.stderr
    );
    let docs = json(&r.stdout);
    assert_eq!(docs.as_array().unwrap().len(), 1);
    assert_eq!(docs[0]["source"], SEED);
}

#[test]
fn jsonl_prints_one_document_per_line() {
    let r = extract(&["--format", "jsonl", SEED, SEED], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<_> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(json(lines[0]), json(lines[1]));
}

#[test]
fn stdin_with_published_flag() {
    let r = extract(
        &["--published", "2024-09-06", "-"],
        Some("昨天，淘宝宣布接入微信支付。"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = &json(&r.stdout)[0];
    assert_eq!(doc["source"], "-");
    assert_eq!(doc["published"]["basis"], "flag");
    assert_eq!(doc["events"][0]["when"]["value"], "2024-09-05");
}

#[test]
fn a_bad_rules_directory_is_a_usage_error_before_any_input() {
    let r = extract(&["--rules", "no/such/dir", SEED], None);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("no/such/dir"), "{}", r.stderr);
}

#[test]
fn a_rules_override_replaces_one_file() {
    let dir = std::env::temp_dir().join(format!("extract-rules-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("entities")).unwrap();
    std::fs::write(
        dir.join("entities/startup.txt"),
        "甲乙App | - |\n丙丁Pay | - |\n",
    )
    .unwrap();
    let r = extract(
        &[
            "--rules",
            dir.to_str().unwrap(),
            "--published",
            "2024-01-01",
            "-",
        ],
        Some("甲乙App接入丙丁Pay。"),
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let event = &json(&r.stdout)[0]["events"][0];
    assert_eq!(
        (
            event["who"][0]["name"].as_str(),
            event["with"][0]["name"].as_str()
        ),
        (Some("甲乙App"), Some("丙丁Pay"))
    );
}

#[test]
fn a_broken_rule_file_names_file_and_line() {
    let dir = std::env::temp_dir().join(format!("extract-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("dates.toml"),
        "example_published = \"2024-01-01\"\n[[rule]]\nid = \"d\"\npattern = '('\n",
    )
    .unwrap();
    let r = extract(&["--rules", dir.to_str().unwrap(), SEED], None);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("dates.toml:3: rule d: bad regex"),
        "{}",
        r.stderr
    );
}

#[test]
fn eval_scores_the_corpus() {
    let r = extract(&["eval", "--summary"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for measure in ["pairs: P", "dated: P", "typed: P", "timex: P"] {
        assert!(r.stdout.contains(measure), "{}", r.stdout);
    }
    assert!(r.stdout.contains("2024-09-06-taobao-wechat-pay.txt"));
}

#[test]
fn no_arguments_is_a_usage_error() {
    let r = extract(&[], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Usage"), "{}", r.stderr);
}

#[test]
fn report_unknown_lists_new_names_with_contexts() {
    let r = extract(
        &["--report-unknown", "--published", "2024-05-20", "-"],
        Some("“星河出行”宣布接入云闪付。星河出行与宁波海曙农村商业银行达成合作。"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("# 2 names outside the gazetteer, 3 mentions."),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("   2  星河出行  (name.quoted, name.repeat)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("-: …“[星河出行]”宣布接入云闪付。"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("云闪付  ("), "{}", r.stdout);
}
