//! Writing output: to standard output, to one file (`-o`), or to one file
//! per input (`--out-dir`). Files are written to a temporary file in the
//! destination's directory and renamed into place, so a reader (or an
//! interrupted run) never sees a half-written file, and an existing output
//! is replaced only by a complete one.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use extract::output::DocumentOut;

/// Turns documents into the bytes of the chosen `--format`.
pub type Render<'a> = dyn Fn(&[DocumentOut]) -> Result<String> + 'a;

/// Where documents go.
pub enum Sink {
    /// All documents, rendered together at the end, to standard output.
    Stdout(Vec<DocumentOut>),
    /// All documents, rendered together at the end, to one file.
    File(PathBuf, Vec<DocumentOut>),
    /// Each document rendered alone into `DIR/NAME.json` as soon as it is
    /// done; remembers which input wrote each name.
    Dir(PathBuf, HashMap<PathBuf, String>),
    /// Each document rendered alone and appended as soon as it is done
    /// (`--format jsonl`): memory stays bounded however many there are.
    Stream(Stream),
}

/// Where a streamed output goes: standard output (flushed after every
/// document, for readers downstream), or a temporary file renamed to its
/// destination once complete.
pub enum Stream {
    /// Standard output.
    Stdout(io::BufWriter<io::Stdout>),
    /// `-o FILE`.
    File(io::BufWriter<tempfile::NamedTempFile>, PathBuf),
}

impl Sink {
    /// The sink for `-o FILE`, `--out-dir DIR`, or standard output. The
    /// directory is created if missing; failing that is an error before any
    /// input is read. With `stream`, documents are written one by one as
    /// they come instead of rendered together at the end.
    pub fn new(output: Option<&Path>, out_dir: Option<&Path>, stream: bool) -> Result<Sink> {
        Ok(match (output, out_dir) {
            (_, Some(dir)) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("{}: cannot create directory", dir.display()))?;
                Sink::Dir(dir.to_path_buf(), HashMap::new())
            }
            (Some(file), None) if stream => Sink::Stream(Stream::File(
                io::BufWriter::new(temp_beside(file)?),
                file.to_path_buf(),
            )),
            (Some(file), None) => Sink::File(file.to_path_buf(), Vec::new()),
            (None, None) if stream => {
                Sink::Stream(Stream::Stdout(io::BufWriter::new(io::stdout())))
            }
            (None, None) => Sink::Stdout(Vec::new()),
        })
    }

    /// Takes one input's document. With `--out-dir` it is written at once;
    /// an error here concerns this input only.
    pub fn document(&mut self, doc: DocumentOut, render: &Render<'_>) -> Result<()> {
        match self {
            Sink::Stdout(docs) | Sink::File(_, docs) => docs.push(doc),
            Sink::Dir(dir, written) => {
                let path = dir.join(format!("{}.json", file_stem(&doc.source)));
                if let Some(earlier) = written.get(&path) {
                    bail!("{} was already written for {earlier}", path.display());
                }
                let bytes = render(std::slice::from_ref(&doc))?;
                write_atomically(&path, bytes.as_bytes())?;
                written.insert(path, doc.source);
            }
            Sink::Stream(Stream::Stdout(out)) => {
                let bytes = render(std::slice::from_ref(&doc))?;
                out.write_all(bytes.as_bytes())
                    .and_then(|()| out.flush())
                    .context("writing standard output")?;
            }
            Sink::Stream(Stream::File(out, path)) => {
                let bytes = render(std::slice::from_ref(&doc))?;
                out.write_all(bytes.as_bytes())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            }
        }
        Ok(())
    }

    /// Writes what is still held.
    pub fn finish(self, render: &Render<'_>) -> Result<()> {
        match self {
            Sink::Stdout(docs) => print(&render(&docs)?),
            Sink::File(path, docs) => write_atomically(&path, render(&docs)?.as_bytes()),
            Sink::Dir(..) | Sink::Stream(Stream::Stdout(_)) => Ok(()),
            Sink::Stream(Stream::File(out, path)) => {
                let tmp = out
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                persist(tmp, &path)
            }
        }
    }
}

/// The output name of an input: its file stem, `stdin` for `-`.
fn file_stem(source: &str) -> &str {
    match extract::document::stem(source) {
        "-" | "" => "stdin",
        stem => stem,
    }
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk,
/// and renames it to `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    persist(tmp, path)
}

/// A temporary file in the directory of `path`, so renaming it there is atomic.
fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(".extract-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot write", path.display()))
}

/// Flushes `tmp` to disk and renames it to `path`.
fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    let context = || format!("{}: cannot write", path.display());
    tmp.as_file().sync_all().with_context(context)?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(context)?;
    Ok(())
}

/// Writes `text` to standard output. A closed pipe (`| head`) is not an
/// error: the reader has had all it wanted.
pub fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing standard output"),
    }
}

/// True when `e` is standard output's reader having gone away (`| head`).
pub fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
