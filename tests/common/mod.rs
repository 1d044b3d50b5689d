//! Shared by the integration tests: one pipeline, built once (jieba's
//! dictionary load is the costly part), and the renderers the CLI uses.

#![allow(dead_code)]

use std::path::Path;
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

/// Runs the pipeline on `text` as if read from a file named `source`.
pub fn run_named(source: &str, text: &str, published: &str) -> DocumentOut {
    let date = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
    let doc = Document::new(source, text, Some(date));
    output::document(&PIPELINE, &PIPELINE.run(&doc))
}

/// Every corpus article (`corpus/*.txt`, sorted), run through the pipeline,
/// with its text.
pub fn corpus() -> Vec<(DocumentOut, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
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
