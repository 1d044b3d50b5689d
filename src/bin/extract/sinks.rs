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
}

impl Sink {
    /// The sink for `-o FILE`, `--out-dir DIR`, or standard output. The
    /// directory is created if missing; failing that is an error before any
    /// input is read.
    pub fn new(output: Option<&Path>, out_dir: Option<&Path>) -> Result<Sink> {
        Ok(match (output, out_dir) {
            (_, Some(dir)) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("{}: cannot create directory", dir.display()))?;
                Sink::Dir(dir.to_path_buf(), HashMap::new())
            }
            (Some(file), None) => Sink::File(file.to_path_buf(), Vec::new()),
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
        }
        Ok(())
    }

    /// Writes what is still held.
    pub fn finish(self, render: &Render<'_>) -> Result<()> {
        match self {
            Sink::Stdout(docs) => print(&render(&docs)?),
            Sink::File(path, docs) => write_atomically(&path, render(&docs)?.as_bytes()),
            Sink::Dir(..) => Ok(()),
        }
    }
}

/// The output name of an input: its file stem, `stdin` for `-`.
fn file_stem(source: &str) -> String {
    if source == "-" {
        return "stdin".into();
    }
    Path::new(source)
        .file_stem()
        .map_or_else(|| "stdin".into(), |s| s.to_string_lossy().into_owned())
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk,
/// and renames it to `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let context = || format!("{}: cannot write", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".extract-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(context)?;
    tmp.write_all(bytes).with_context(context)?;
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
