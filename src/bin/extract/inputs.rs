//! Reading inputs: which files the arguments name (directories expanded
//! with `--recursive`), and each file's bytes decoded into a [`Document`].
//! Every way an input can fail ends here as one short reason, so `main`
//! can print `extract: <path>: <reason>` and go on with the others.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use extract::Document;
use extract::decode::{self, Options};

/// One input named by the arguments, or why it cannot be one.
pub type Item = (PathBuf, Result<()>);

/// The inputs `paths` name, in order: files as given, `-` for standard
/// input, and with `recursive` every `*.txt` under a directory, sorted by
/// path so runs are deterministic. A directory without `recursive`, or one
/// that cannot be listed, is an item carrying its error.
pub fn expand(paths: &[PathBuf], recursive: bool) -> Vec<Item> {
    let mut items = Vec::new();
    for path in paths {
        if path.as_os_str() != "-" && path.is_dir() {
            if recursive {
                walk(path, &mut items);
            } else {
                items.push((
                    path.clone(),
                    Err(anyhow!("is a directory (use --recursive)")),
                ));
            }
        } else {
            items.push((path.clone(), Ok(())));
        }
    }
    items
}

/// Adds the `*.txt` files under `dir`, depth first, each directory's
/// entries sorted. Symbolic links to directories are not followed, so a
/// link cycle cannot loop.
fn walk(dir: &Path, items: &mut Vec<Item>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return items.push((dir.to_path_buf(), Err(reason(&e)))),
    };
    let mut entries: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    entries.sort();
    for (path, is_dir) in entries {
        if is_dir {
            walk(&path, items);
        } else if path.extension().is_some_and(|e| e == "txt") {
            items.push((path, Ok(())));
        }
    }
}

/// Reads and decodes one input: a file, or standard input for `-`.
pub fn read_input(path: &Path, published: Option<NaiveDate>, opts: Options) -> Result<Document> {
    let source = path.display().to_string();
    let bytes = if source == "-" {
        let mut buf = Vec::new();
        io::stdin().read_to_end(&mut buf).map_err(|e| reason(&e))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| reason(&e))?
    };
    let decoded = decode::decode(&source, bytes, opts).map_err(|e| match e {
        extract::Error::Input { msg, .. } => anyhow!(msg),
        other => other.into(),
    })?;
    Ok(Document::decoded(source, decoded, published))
}

/// A read error as a short reason, without the OS error number.
fn reason(e: &io::Error) -> anyhow::Error {
    match e.kind() {
        io::ErrorKind::NotFound => anyhow!("no such file"),
        io::ErrorKind::PermissionDenied => anyhow!("permission denied"),
        io::ErrorKind::IsADirectory => anyhow!("is a directory (use --recursive)"),
        _ => anyhow!("cannot read: {e}"),
    }
}
