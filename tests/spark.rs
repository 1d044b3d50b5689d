//! The Spark recipe (`scripts/spark_extract.py`) run with PySpark in local
//! mode over a JSONL archive of the corpus: its part files, read in order,
//! must equal `extract --input jsonl --format jsonl` on the same archive.
//! Needs `python3` with `pyspark` and Java; under CI (`CI=true`, see
//! `.ci/run`) a missing one fails the test, locally it is skipped.

mod common;

use std::path::Path;
use std::process::Command;

use common::run_cli;

/// `python3` when it can import pyspark and Java is present, else `None`
/// (a failure under CI).
fn pyspark() -> Option<&'static str> {
    common::tool("python3")?;
    common::tool("java")?;
    let ok = Command::new("python3")
        .args(["-c", "import pyspark"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 cannot import pyspark; CI must install it (.ci/run)"
        );
        eprintln!("note: python3 cannot import pyspark; skipping this test");
        return None;
    }
    Some("python3")
}

#[test]
fn spark_pipe_equals_running_extract_directly() {
    let Some(python) = pyspark() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive.jsonl");
    let mut paths: Vec<_> = std::fs::read_dir(root.join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let lines: String = paths
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy();
            let text = std::fs::read_to_string(p).unwrap();
            let line = serde_json::json!({ "id": id, "text": text, "published": &id[..10] });
            format!("{line}\n")
        })
        .collect();
    std::fs::write(&archive, &lines).unwrap();

    let out = dir.path().join("out");
    let spark = Command::new(python)
        .arg(root.join("scripts/spark_extract.py"))
        .arg(&archive)
        .arg(&out)
        .args([
            "--extract",
            env!("CARGO_BIN_EXE_extract"),
            "--master",
            "local[2]",
        ])
        .args(["--partitions", "3"])
        .output()
        .unwrap();
    assert!(
        spark.status.success(),
        "spark job failed:\n{}",
        String::from_utf8_lossy(&spark.stderr)
    );
    let mut parts: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("part-")
        })
        .collect();
    parts.sort();
    assert!(parts.len() >= 2, "the archive was split: {parts:?}");
    let from_spark: String = parts
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();

    let direct = run_cli(
        &[
            "--input",
            "jsonl",
            "--format",
            "jsonl",
            archive.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(direct.code, 0, "{}", direct.stderr);
    assert_eq!(direct.stdout.lines().count(), paths.len());
    assert!(
        from_spark == direct.stdout,
        "Spark's output differs from extract's"
    );
}
