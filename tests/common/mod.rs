//! Shared by the integration tests: one pipeline, built once (jieba's
//! dictionary load is the costly part), the renderers the CLI uses, a runner
//! for the real binary, and the span check every output must pass.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::LazyLock;

use chrono::NaiveDate;
use extract::output::{self, DocumentOut};
use extract::{Document, Pipeline, RuleSet};

/// The pipeline with the embedded rules.
pub static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| {
    Pipeline::new(&RuleSet::embedded().expect("embedded rules load")).expect("pipeline builds")
});

/// Runs the pipeline on a text published on `published`.
pub fn run_text(text: &str, published: &str) -> DocumentOut {
    let date = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
    let doc = Document::new("test.txt", text, Some(date));
    output::document(&PIPELINE, &PIPELINE.run(&doc))
}

/// Runs the pipeline on a corpus file, named relative to the project root.
pub fn run_file(path: &Path) -> DocumentOut {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = std::fs::read_to_string(path).unwrap();
    let doc = Document::new(rel.display().to_string(), text, None);
    output::document(&PIPELINE, &PIPELINE.run(&doc))
}

/// `who → with` names of each connection event, `A,B→C`.
pub fn pairs(doc: &DocumentOut) -> Vec<String> {
    doc.events
        .iter()
        .filter(|e| e.kind == "connection")
        .map(|e| {
            let names = |ps: &[output::PartyOut]| {
                ps.iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            format!("{}→{}", names(&e.who), names(&e.with))
        })
        .collect()
}

/// Asserts that every span in `doc` slices `text` to exactly the `text`
/// beside it; returns how many spans were checked. `what` names the input
/// in failure messages.
pub fn check_spans(what: &str, text: &str, doc: &DocumentOut) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let slice = |span: [usize; 2]| {
        assert!(
            span[0] <= span[1] && span[1] <= chars.len(),
            "{what}: span {span:?} outside the text ({} chars)",
            chars.len()
        );
        chars[span[0]..span[1]].iter().collect::<String>()
    };
    let mut checked = 0;
    let mut check = |t: &str, span: [usize; 2]| {
        assert_eq!(slice(span), t, "{what}: span {span:?}");
        checked += 1;
    };
    for e in &doc.entities {
        check(&e.text, e.span);
    }
    for d in &doc.dates {
        check(&d.text, d.span);
    }
    for e in &doc.events {
        for p in e.who.iter().chain(&e.with) {
            check(&p.text, p.span);
        }
        if let Some(w) = &e.when {
            check(&w.text, w.span);
        }
        check(&e.how.trigger, e.how.span);
        check(&e.sentence.text, e.sentence.span);
    }
    for s in &doc.suppressed {
        check(&s.cue.text, s.cue.span);
        check(&s.sentence.text, s.sentence.span);
    }
    checked
}

/// What a run of the real binary printed and returned.
pub struct Run {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
}

/// Runs the `extract` binary from the project root with `args`, feeding
/// `stdin` (empty when `None`).
pub fn run_cli(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_extract"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().unwrap();
    std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Runs the pipeline on `text` as if read from a file named `source`.
pub fn run_named(source: &str, text: &str, published: &str) -> DocumentOut {
    let date = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
    let doc = Document::new(source, text, Some(date));
    output::document(&PIPELINE, &PIPELINE.run(&doc))
}

/// The corpus articles (`corpus/*.txt`), sorted.
pub fn corpus_paths() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
}

/// Every corpus article (`corpus/*.txt`, sorted), run through the pipeline,
/// with its text.
pub fn corpus() -> Vec<(DocumentOut, String)> {
    corpus_paths()
        .iter()
        .map(|p| (run_file(p), std::fs::read_to_string(p).unwrap()))
        .collect()
}

/// An external program the test needs (`dot`, `chromium`), found on PATH.
/// Missing: under CI (`CI=true`) the test fails; locally it is skipped with
/// a note on stderr (the caller returns on `None`).
pub fn tool(name: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "`{name}` is not on PATH; CI must install it (.ci/run)"
        );
        eprintln!("note: `{name}` is not on PATH; skipping this test");
    }
    found
}
