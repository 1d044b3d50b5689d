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

/// One unit of work: an input file, or one line of a JSONL input.
pub enum Job {
    /// A text input named by the arguments (or why it cannot be one).
    File(PathBuf, Result<()>),
    /// One line of a JSONL input; `at` names it (`archive.jsonl:12`).
    Line { at: String, line: String },
    /// A JSONL input that could not be (fully) read.
    Failed(String, anyhow::Error),
}

impl Job {
    /// How the job is named in `extract: <name>: <reason>`.
    pub fn name(&self) -> String {
        match self {
            Job::File(path, _) => path.display().to_string(),
            Job::Line { at, .. } | Job::Failed(at, _) => at.clone(),
        }
    }
}

/// The jobs the arguments name, and how many there are when known: each
/// input file, or with `jsonl` each non-blank line of each input, read
/// lazily so a stream of any length flows through in bounded memory.
pub fn jobs(
    paths: &[PathBuf],
    recursive: bool,
    jsonl: bool,
) -> (Option<u64>, Box<dyn Iterator<Item = Job>>) {
    let items = expand(paths, recursive);
    if !jsonl {
        let total = items.len() as u64;
        let jobs = items.into_iter().map(|(path, item)| Job::File(path, item));
        return (Some(total), Box::new(jobs));
    }
    let jobs = Box::new(items.into_iter().flat_map(
        |(path, item)| -> Box<dyn Iterator<Item = Job>> {
            let name = path.display().to_string();
            let reader: Result<Box<dyn io::BufRead>> = item.and_then(|()| {
                if name == "-" {
                    Ok(Box::new(io::BufReader::new(io::stdin())) as Box<dyn io::BufRead>)
                } else {
                    let file = std::fs::File::open(&path).map_err(|e| reason(&e))?;
                    Ok(Box::new(io::BufReader::with_capacity(1 << 16, file)))
                }
            });
            match reader {
                Ok(reader) => Box::new(lines(name, reader)),
                Err(e) => Box::new(std::iter::once(Job::Failed(name, e))),
            }
        },
    ));
    (None, jobs)
}

/// The non-blank lines of `reader` as jobs. A line that is not UTF-8 is a
/// failed job and the next lines go on; an I/O error ends the input.
fn lines(name: String, mut reader: Box<dyn io::BufRead>) -> impl Iterator<Item = Job> {
    let mut n = 0;
    let mut done = false;
    let mut buf = Vec::new();
    std::iter::from_fn(move || {
        while !done {
            n += 1;
            buf.clear();
            let at = format!("{name}:{n}");
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => done = true,
                Ok(_) => match std::str::from_utf8(&buf) {
                    Ok(line) if line.trim().is_empty() => {}
                    Ok(line) => {
                        let line = line.trim_end_matches(['\n', '\r']).to_string();
                        return Some(Job::Line { at, line });
                    }
                    Err(_) => return Some(Job::Failed(at, anyhow!("not UTF-8 text"))),
                },
                Err(e) => {
                    done = true;
                    return Some(Job::Failed(at, anyhow!("cannot read: {e}")));
                }
            }
        }
        None
    })
}
