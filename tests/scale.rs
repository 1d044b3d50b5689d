//! Scale features through the real binary: the output does not depend on the
//! number of threads (documents and the sentences of one long document are
//! processed in parallel), `--input jsonl` reads one article per line with
//! bad lines reported and skipped, and `--format jsonl` streams.

mod common;

use common::run_cli;

/// Every corpus article, sorted, as (file name, text).
fn articles() -> Vec<(String, String)> {
    common::corpus_paths()
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(p).unwrap())
        })
        .collect()
}

#[test]
fn one_and_two_threads_print_the_same_bytes() {
    let files: Vec<String> = articles()
        .iter()
        .map(|(name, _)| format!("corpus/{name}"))
        .collect();
    // The whole corpus as one long document too: its sentences are split
    // across threads.
    let long: String = articles().iter().map(|(_, t)| t.as_str()).collect();
    for format in ["json", "jsonl"] {
        let run = |threads: &str| {
            let mut args = vec!["--threads", threads, "--format", format];
            args.extend(files.iter().map(String::as_str));
            let files = run_cli(&args, None);
            assert_eq!(files.code, 0, "{}", files.stderr);
            let one = run_cli(
                &["--threads", threads, "--format", format, "-"],
                Some(long.as_bytes()),
            );
            assert_eq!(one.code, 0, "{}", one.stderr);
            (files.stdout, one.stdout)
        };
        let (files1, long1) = run("1");
        let (files2, long2) = run("2");
        assert!(
            files1 == files2,
            "{format}: corpus files differ between 1 and 2 threads"
        );
        assert!(
            long1 == long2,
            "{format}: the long document differs between 1 and 2 threads"
        );
        assert!(
            long1.matches("\"kind\"").count() > 100,
            "the long document has events"
        );
    }
}

/// The CLI's streamed JSON is the library's documents serialized whole,
/// pretty or compact, whether a worker rendered a document (short ones)
/// or the writer wrote it item by item (the long one, from stdin).
#[test]
fn streamed_output_is_the_documents_serialized() {
    use extract::{Document, output};
    let articles = articles();
    let long = articles
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<String>()
        .repeat(4);
    assert!(long.len() > 256 << 10, "longer than workers render");
    let inputs = [
        (format!("corpus/{}", articles[0].0), articles[0].1.clone()),
        ("-".to_string(), long.clone()),
        (format!("corpus/{}", articles[1].0), articles[1].1.clone()),
    ];
    let docs: Vec<output::DocumentOut> = inputs
        .iter()
        .map(|(source, text)| {
            let doc = Document::new(source.as_str(), text.as_str(), None);
            output::document(&common::PIPELINE, &common::PIPELINE.run(&doc))
        })
        .collect();
    let args: Vec<&str> = inputs.iter().map(|(source, _)| source.as_str()).collect();
    let run = |format: &str| {
        let mut all = vec!["--format", format];
        all.extend(&args);
        let run = run_cli(&all, Some(long.as_bytes()));
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let pretty = serde_json::to_string_pretty(&docs).unwrap() + "\n";
    assert!(run("json") == pretty, "--format json differs");
    let lines: String = docs
        .iter()
        .map(|d| serde_json::to_string(d).unwrap() + "\n")
        .collect();
    assert!(run("jsonl") == lines, "--format jsonl differs");
}

#[test]
fn jsonl_input_equals_text_input() {
    let lines: String = articles()
        .iter()
        .map(|(name, text)| {
            let line = serde_json::json!({ "id": format!("corpus/{name}"), "text": text });
            format!("{line}\n")
        })
        .collect();
    let from_lines = run_cli(
        &["--input", "jsonl", "--format", "jsonl", "-"],
        Some(lines.as_bytes()),
    );
    assert_eq!(from_lines.code, 0, "{}", from_lines.stderr);
    let mut args = vec!["--format", "jsonl"];
    let files: Vec<String> = articles()
        .iter()
        .map(|(n, _)| format!("corpus/{n}"))
        .collect();
    args.extend(files.iter().map(String::as_str));
    let from_files = run_cli(&args, None);
    assert!(
        from_lines.stdout == from_files.stdout,
        "JSONL input differs from text input"
    );
}

#[test]
fn a_bad_jsonl_line_is_reported_and_the_rest_continue() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"9月12日起，淘宝逐步向所有卖家开放微信支付。\", \"published\": \"2024-09-06\"}\n",
        "{\"id\": \"b\", \"text\": \n",
        "\n",
        "{\"id\": \"c\", \"text\": \"美团上线支付宝小程序。\", \"published\": \"yesterday\"}\n",
        "{\"id\": 4, \"text\": \"快手与美团达成战略合作。\"}\n",
    );
    let run = run_cli(
        &["--input", "jsonl", "--format", "jsonl", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(run.code, 1);
    let sources: Vec<String> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["source"].to_string())
        .collect();
    assert_eq!(sources, ["\"a\"", "\"4\""]);
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].starts_with("extract: -:2: not an article"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("extract: -:4: published"),
        "{}",
        errors[1]
    );
    assert!(
        run.stdout.contains("2024-09-12"),
        "the line's date anchors 9月12日"
    );
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let run = run_cli(
        &[
            "--format",
            "jsonl",
            "corpus/2024-09-06-taobao-wechat-pay.txt",
        ],
        None,
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn jsonl_to_a_file_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let run = run_cli(
        &[
            "--format",
            "jsonl",
            "-o",
            out.to_str().unwrap(),
            "corpus/2024-09-06-taobao-wechat-pay.txt",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let direct = run_cli(
        &[
            "--format",
            "jsonl",
            "corpus/2024-09-06-taobao-wechat-pay.txt",
        ],
        None,
    );
    assert_eq!(std::fs::read_to_string(out).unwrap(), direct.stdout);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}
