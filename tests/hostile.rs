//! Hostile inputs through the real binary: every class of bad input gives
//! one line `extract: <path>: <reason>` on stderr, the other inputs still
//! run, and the exit code says what happened (0 fine, 1 an input failed,
//! 2 usage or rules). Encoded copies of the seed article are made here,
//! with encoding_rs, rather than committed as binary fixtures.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Run, run_cli};
use serde_json::Value;

const SEED: &str = "corpus/2024-09-06-taobao-wechat-pay.txt";

fn seed_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).unwrap()
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).expect("valid JSON")
}

fn run(args: &[&Path]) -> Run {
    let args: Vec<&str> = args.iter().map(|p| p.to_str().unwrap()).collect();
    run_cli(&args, None)
}

/// Writes `bytes` to `dir/name` and returns the path.
fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Exactly one stderr line, and it is `extract: <path>: <reason…>`.
fn one_error_line(r: &Run, path: &Path, reason: &str) {
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    let prefix = format!("extract: {}: {reason}", path.display());
    assert!(
        lines[0].starts_with(&prefix),
        "want {prefix:?}, got {:?}",
        lines[0]
    );
}

/// The bad input fails with exit 1 and one line; the seed after it still runs.
fn fails_alone(bad: &Path, reason: &str) {
    let r = run(&[bad, Path::new(SEED)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    one_error_line(&r, bad, reason);
    let docs = json(&r.stdout);
    assert_eq!(docs.as_array().unwrap().len(), 1);
    assert_eq!(docs[0]["source"], SEED);
}

#[test]
fn a_missing_file() {
    fails_alone(Path::new("no/such.txt"), "no such file");
}

#[test]
fn a_directory_without_recursive() {
    let dir = tempfile::tempdir().unwrap();
    fails_alone(dir.path(), "is a directory (use --recursive)");
}

#[test]
fn a_directory_with_recursive_reads_its_txt_files_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    file(d, "b.txt", "微信支付接入淘宝。".as_bytes());
    file(d, "a/z.txt", "淘宝接入微信支付。".as_bytes());
    file(d, "a/notes.md", b"not an article");
    file(d, "c.txt", b"");
    let r = run_cli(&["-r", d.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sources: Vec<String> = json(&r.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|doc| doc["source"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = ["a/z.txt", "b.txt", "c.txt"]
        .iter()
        .map(|n| d.join(n).display().to_string())
        .collect();
    assert_eq!(sources, want);
}

#[test]
fn an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "locked.txt", "淘宝接入微信支付。".as_bytes());
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root (as CI containers do): mode 000 does not stop a
        // read, so there is no unreadable file to test with here.
        eprintln!("skipped: running with permission to read a mode-000 file");
        return;
    }
    fails_alone(&path, "permission denied");
}

#[test]
fn a_binary_file_is_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    fails_alone(
        &file(dir.path(), "blob.txt", &bytes),
        "not text (binary data)",
    );
}

#[test]
fn an_empty_file_is_a_document_without_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "empty.txt", b"");
    let r = run(&[&path]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let doc = &json(&r.stdout)[0];
    assert_eq!(doc["events"], Value::Array(vec![]));
    assert_eq!(doc["encoding"], "utf-8");
}

#[test]
fn nul_bytes_fail_or_are_replaced_with_lossy() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed_text().replacen('。', "\0", 1);
    let path = file(dir.path(), "nul.txt", text.as_bytes());
    fails_alone(&path, "not text: contains NUL bytes");

    let r = run_cli(&["--lossy", path.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    one_error_line(&r, &path, "warning: replaced 1 ");
    assert_eq!(json(&r.stdout)[0]["replacements"], 1);
}

#[test]
fn invalid_utf8_fails_or_is_replaced_with_lossy() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed_text();
    // Stray bytes between characters, not inside one.
    let at = |n: usize| text.char_indices().nth(n).unwrap().0;
    let (first, second) = (at(10), at(40));
    let mut bytes = text.into_bytes();
    bytes.insert(second, 0xFE);
    bytes.insert(first, 0xFF);
    let path = file(dir.path(), "broken.txt", &bytes);
    let reason = format!("not valid utf-8 (2 malformed sequences, first at byte {first}");
    fails_alone(&path, &reason);

    let r = run_cli(&["--lossy", path.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    one_error_line(&r, &path, "warning: replaced 2 ");
    let doc = &json(&r.stdout)[0];
    assert_eq!(
        (doc["replacements"].as_u64(), doc["encoding"].as_str()),
        (Some(2), Some("utf-8"))
    );
    assert!(!doc["events"].as_array().unwrap().is_empty());
}

#[test]
fn clean_inputs_have_no_replacements_field() {
    let r = run_cli(&[SEED], None);
    assert!(json(&r.stdout)[0].get("replacements").is_none());
}

/// The seed decoded from GBK, UTF-16LE and UTF-16BE copies (each saved
/// under the seed's own file name, so ids and publication date match)
/// gives the UTF-8 original's document: same events, same spans.
#[test]
fn encoded_copies_of_the_seed_give_the_same_events() {
    let text = seed_text();
    let original = &json(&run_cli(&[SEED], None).stdout)[0];
    let name = Path::new(SEED).file_name().unwrap().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let utf16 = |le: bool| -> Vec<u8> {
        let bom: [u8; 2] = if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] };
        bom.into_iter()
            .chain(text.encode_utf16().flat_map(
                move |u| {
                    if le { u.to_le_bytes() } else { u.to_be_bytes() }
                },
            ))
            .collect()
    };
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable, "the seed is expressible in GBK");
    for (encoding, bytes) in [
        ("gbk", gbk.into_owned()),
        ("utf-16le", utf16(true)),
        ("utf-16be", utf16(false)),
    ] {
        let path = file(&dir.path().join(encoding), name, &bytes);
        let r = run(&[&path]);
        assert_eq!(r.code, 0, "{encoding}: {}", r.stderr);
        let doc = &json(&r.stdout)[0];
        assert_eq!(doc["encoding"], encoding);
        for field in ["published", "entities", "dates", "events", "suppressed"] {
            assert_eq!(doc[field], original[field], "{encoding}: {field} differ");
        }
        assert!(doc["events"].as_array().unwrap().len() > 20);
    }
}

#[test]
fn a_forced_encoding_is_used_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("9月12日起，淘宝逐步向所有卖家开放微信支付。");
    let path = file(dir.path(), "2024-09-06-x.txt", &gbk);
    let r = run_cli(&["--encoding", "GB18030", path.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = &json(&r.stdout)[0];
    assert_eq!(doc["encoding"], "gb18030");
    assert_eq!(doc["events"][0]["with"][0]["name"], "微信支付");

    let r = run_cli(&["--encoding", "klingon", SEED], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown encoding \"klingon\""),
        "{}",
        r.stderr
    );
}

/// Runs with a rules directory holding one file, and a missing input: the
/// run must stop at the rules, exit 2, and never reach the input. `want`
/// follows the rule file's directory in the message: `NAME:LINE: cause`.
fn broken_rules(rel: &str, body: &str, want: &str) {
    let dir = tempfile::tempdir().unwrap();
    file(dir.path(), rel, body.as_bytes());
    let r = run_cli(
        &["--rules", dir.path().to_str().unwrap(), "no/such.txt"],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        !r.stderr.contains("no/such.txt"),
        "input was read: {}",
        r.stderr
    );
    let at = format!("{}/{want}", dir.path().display());
    assert!(r.stderr.contains(&at), "want {at:?} in {}", r.stderr);
}

#[test]
fn a_rule_file_with_a_toml_syntax_error() {
    broken_rules("events.toml", "[[how]\n", "events.toml:1: ");
}

#[test]
fn a_rule_file_with_an_unknown_key() {
    broken_rules(
        "dates.toml",
        "example_published = \"2024-01-01\"\n[[rule]]\nid = \"d\"\npatern = \"x\"\n",
        "dates.toml:4: unknown field `patern`",
    );
}

#[test]
fn an_alias_claimed_by_two_entities() {
    broken_rules(
        "entities/platform.txt",
        "淘宝 | - | 手淘\n天猫 | - | 手淘\n",
        "entities/platform.txt:2: \"手淘\" is already claimed by \"淘宝\"",
    );
}

#[test]
fn a_date_example_its_rule_does_not_produce() {
    let dates = include_str!("../rules/dates.toml");
    let broken = dates.replacen(
        r#"{ text = "2021年12月27日", value = "2021-12-27" }"#,
        r#"{ text = "2021年12月27日", value = "2021-12-28" }"#,
        1,
    );
    assert_ne!(broken, dates, "the example to break is still in dates.toml");
    // The error names the line of the rule whose example fails.
    let example = broken
        .lines()
        .position(|l| l.contains("2021-12-28"))
        .unwrap();
    let lines: Vec<&str> = broken.lines().take(example).collect();
    let rule = lines.iter().rposition(|l| l.starts_with("id = ")).unwrap();
    broken_rules(
        "dates.toml",
        &broken,
        &format!(
            "dates.toml:{}: rule date.ymd: example \"2021年12月27日\" should give \"2021-12-28\"",
            rule + 1
        ),
    );
}

#[test]
fn output_file_is_written_whole_and_replaces_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = file(dir.path(), "out.json", b"old contents");
    let r = run_cli(&["-o", out.to_str().unwrap(), SEED], None);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let written = json(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(written[0]["source"], SEED);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["out.json"], "no temporary file is left behind");
}

#[test]
fn output_file_in_a_missing_directory_fails_up_front_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("no/such/out.json");
    for format in ["json", "timeline"] {
        let r = run_cli(
            &["-o", out.to_str().unwrap(), "--format", format, SEED],
            None,
        );
        assert_eq!(r.code, 2, "{format}: an unwritable output is a usage error");
        assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
        assert!(!out.exists());
    }
}

#[test]
fn out_dir_writes_one_file_per_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = run_cli(
        &[
            "--out-dir",
            out.to_str().unwrap(),
            "--published",
            "2024-09-06",
            SEED,
            "-",
            "no/such.txt",
        ],
        Some("淘宝接入微信支付。".as_bytes()),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    one_error_line(&r, Path::new("no/such.txt"), "no such file");
    assert!(r.stdout.is_empty());
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["2024-09-06-taobao-wechat-pay.json", "stdin.json"]);
    let stdin = json(&std::fs::read_to_string(out.join("stdin.json")).unwrap());
    assert_eq!(stdin[0]["source"], "-");
    assert_eq!(stdin[0]["events"][0]["who"][0]["name"], "淘宝");
}

#[test]
fn out_dir_refuses_to_overwrite_an_output_of_the_same_run() {
    let dir = tempfile::tempdir().unwrap();
    let a = file(dir.path(), "a/x.txt", "淘宝接入微信支付。".as_bytes());
    let b = file(dir.path(), "b/x.txt", "京东接入微信支付。".as_bytes());
    let out = dir.path().join("out");
    let r = run_cli(
        &[
            "--out-dir",
            out.to_str().unwrap(),
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 1);
    one_error_line(
        &r,
        &b,
        &format!(
            "{} was already written for {}",
            out.join("x.json").display(),
            a.display()
        ),
    );
    let kept = json(&std::fs::read_to_string(out.join("x.json")).unwrap());
    assert_eq!(kept[0]["source"], a.display().to_string());
}

/// `extract … | head -c 100`: the reader goes away long before a large
/// output is written; the run ends quietly with exit 0.
#[test]
fn a_closed_pipe_ends_quietly() {
    let args: Vec<&str> = std::iter::repeat_n(SEED, 200).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_extract"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 100];
    std::io::Read::read_exact(&mut stdout, &mut head).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(head[0], b'[');
}
