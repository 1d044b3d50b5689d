//! The main net: one JSON snapshot per corpus article (`snapshots/`), the
//! exact pretty JSON the CLI prints for it. Adding an article adds a snapshot
//! to review; changing a rule shows as a snapshot diff.

mod common;

use std::path::Path;

use common::{check_spans, run_file};

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

#[test]
fn corpus_snapshots() {
    settings().bind(|| {
        insta::glob!("../corpus", "*.txt", |path| {
            let doc = run_file(path);
            insta::assert_snapshot!(serde_json::to_string_pretty(&doc).unwrap());
        });
    });
}

/// Every span in the output slices the decoded text to exactly its `text`.
#[test]
fn every_span_slices_its_text() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let checked = check_spans(&path.display().to_string(), &text, &run_file(&path));
        assert!(checked > 0, "{}: nothing to check", path.display());
    }
}

/// Same input, same rules: byte-identical output.
#[test]
fn output_is_deterministic() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/2024-09-06-taobao-wechat-pay.txt");
    let a = serde_json::to_string(&run_file(&seed)).unwrap();
    let b = serde_json::to_string(&run_file(&seed)).unwrap();
    assert_eq!(a, b);
}

/// Every connection names at least two distinct parties: some `who` and
/// some `with`, or two or more `who`.
#[test]
fn every_connection_has_two_parties() {
    for (doc, _) in common::corpus() {
        for e in doc.events.iter().filter(|e| e.kind == "connection") {
            let ok = !e.who.is_empty() && (!e.with.is_empty() || e.who.len() >= 2);
            assert!(
                ok,
                "{}: {} has parties {:?} → {:?}",
                doc.source, e.id, e.who, e.with
            );
        }
    }
}

/// What `output::write_json` writes for `x` with `formatter`.
fn streamed(
    x: &extract::Extraction,
    formatter: impl serde_json::ser::Formatter + Clone + Send + Sync,
) -> String {
    let mut bytes = Vec::new();
    extract::output::write_json(&common::PIPELINE, x, &mut bytes, formatter).unwrap();
    String::from_utf8(bytes).unwrap()
}

/// `output::write_json` (in chunks, what the CLI writes) gives the very
/// bytes of serializing `output::document`'s whole document, pretty or not.
#[test]
fn streamed_output_is_the_whole_document() {
    use extract::{Document, output};
    for path in common::corpus_paths() {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = Document::new(path.display().to_string(), text, None);
        let x = common::PIPELINE.run(&doc);
        let whole = output::document(&common::PIPELINE, &x);
        let pretty = streamed(&x, serde_json::ser::PrettyFormatter::new());
        assert_eq!(pretty, serde_json::to_string_pretty(&whole).unwrap());
        let compact = streamed(&x, serde_json::ser::CompactFormatter);
        assert_eq!(compact, serde_json::to_string(&whole).unwrap());
    }
}
