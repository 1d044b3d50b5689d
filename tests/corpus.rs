//! The main net: one JSON snapshot per corpus article (`snapshots/`), the
//! exact pretty JSON the CLI prints for it. Adding an article adds a snapshot
//! to review; changing a rule shows as a snapshot diff.

mod common;

use std::path::Path;

use common::run_file;

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
        let text: Vec<char> = std::fs::read_to_string(&path).unwrap().chars().collect();
        let slice = |span: [usize; 2]| text[span[0]..span[1]].iter().collect::<String>();
        let doc = run_file(&path);
        let mut checked = 0;
        let mut check = |t: &str, span: [usize; 2]| {
            assert_eq!(slice(span), t, "{}: span {span:?}", path.display());
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
