//! Writing output: to standard output, to one file (`-o`), or to one file
//! per input (`--out-dir`). Files are written to a temporary file in the
//! destination's directory and renamed into place, so a reader (or an
//! interrupted run) never sees a half-written file, and an existing output
//! is replaced only by a complete one.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use extract::output::{self, DocumentOut};
use extract::{Extraction, Pipeline};
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// Turns documents into the bytes of the chosen `--format`.
pub type Render<'a> = dyn Fn(&[DocumentOut]) -> Result<String> + 'a;

/// Where documents go.
pub enum Sink {
    /// All documents, rendered together at the end (the formats that need
    /// every document: timeline, csv, graphs, html, `--merge`), to one file
    /// (`-o`), else to standard output.
    Held(Option<PathBuf>, Vec<DocumentOut>),
    /// Each document written alone into `DIR/NAME.json` as soon as it is
    /// done; remembers which input wrote each name.
    Dir {
        /// The directory.
        dir: PathBuf,
        /// How to write plain JSON; `None` renders the other formats.
        json: Option<Json>,
        /// Output path → the input that wrote it.
        written: HashMap<PathBuf, String>,
    },
    /// Plain JSON written as each document is done: memory stays bounded
    /// however many documents there are, and a huge one is written item by
    /// item, never held whole as a [`DocumentOut`] or a string.
    Stream(Stream, Json),
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

/// Plain JSON, written a document at a time with the very bytes of
/// serializing all the documents at once: `--format json` is one array as
/// `serde_json::to_string_pretty` prints it, `--format jsonl` one compact
/// object per line.
#[derive(Clone)]
pub enum Json {
    /// One pretty-printed array. The formatter holds the array's
    /// indentation; `first` is true until a document is written.
    Array {
        /// The array's formatter.
        formatter: PrettyFormatter<'static>,
        /// No document written yet.
        first: bool,
    },
    /// One object per line.
    Lines,
}

impl Json {
    /// `--format json`.
    pub fn array() -> Json {
        Json::Array {
            formatter: PrettyFormatter::new(),
            first: true,
        }
    }

    /// Opens the output.
    fn begin(&mut self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Json::Array { formatter, .. } => formatter.begin_array(out),
            Json::Lines => Ok(()),
        }
    }

    /// Writes one document: the bytes [`Json::render`] made of it, else
    /// its items one by one.
    fn document(
        &mut self,
        out: &mut impl Write,
        pipeline: &Pipeline,
        x: &Extraction,
        rendered: Option<&[u8]>,
    ) -> io::Result<()> {
        if let Json::Array { formatter, first } = self {
            formatter.begin_array_value(out, *first)?;
            *first = false;
        }
        match rendered {
            Some(bytes) => out.write_all(bytes)?,
            None => self.body(out, pipeline, x)?,
        }
        match self {
            Json::Array { formatter, .. } => formatter.end_array_value(out),
            Json::Lines => Ok(()),
        }
    }

    /// The bytes of one document as [`Json::document`] writes it (an
    /// array's separators aside), made on any thread: documents are
    /// rendered in parallel by the threads that extracted them.
    pub fn render(&self, pipeline: &Pipeline, x: &Extraction) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.body(&mut bytes, pipeline, x)?;
        Ok(bytes)
    }

    /// One document: an element of the array (its formatter indented one
    /// level, as the array's own is), or a line.
    fn body(&self, out: &mut impl Write, pipeline: &Pipeline, x: &Extraction) -> io::Result<()> {
        if let Json::Array { .. } = self {
            let mut element = PrettyFormatter::new();
            element.begin_array(&mut io::sink())?;
            output::write_json(pipeline, x, out, element)
        } else {
            output::write_json(pipeline, x, out, CompactFormatter)?;
            out.write_all(b"\n")
        }
    }

    /// Closes the output.
    fn end(&mut self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Json::Array { formatter, .. } => {
                formatter.end_array(out)?;
                out.write_all(b"\n")
            }
            Json::Lines => Ok(()),
        }
    }

    /// The whole output of one document alone (`--out-dir`).
    fn alone(&self, out: &mut impl Write, pipeline: &Pipeline, x: &Extraction) -> io::Result<()> {
        let mut json = self.clone();
        json.begin(out)?;
        json.document(out, pipeline, x, None)?;
        json.end(out)
    }
}

impl Sink {
    /// The sink for `-o FILE`, `--out-dir DIR`, or standard output. The
    /// directory is created if missing; failing that is an error before any
    /// input is read. With `json`, documents are written one by one as they
    /// come instead of rendered together at the end.
    pub fn new(output: Option<&Path>, out_dir: Option<&Path>, json: Option<Json>) -> Result<Sink> {
        Ok(match (output, out_dir, json) {
            (_, Some(dir), json) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("{}: cannot create directory", dir.display()))?;
                Sink::Dir {
                    dir: dir.to_path_buf(),
                    json,
                    written: HashMap::new(),
                }
            }
            (Some(file), None, Some(mut json)) => {
                let mut out = io::BufWriter::new(temp_beside(file)?);
                json.begin(&mut out)
                    .with_context(|| format!("{}: cannot write", file.display()))?;
                Sink::Stream(Stream::File(out, file.to_path_buf()), json)
            }
            (None, None, Some(mut json)) => {
                let mut out = io::BufWriter::new(io::stdout());
                json.begin(&mut out).context("writing standard output")?;
                Sink::Stream(Stream::Stdout(out), json)
            }
            (file, None, None) => {
                // Found out now, not after every input has been read.
                if let Some(file) = file {
                    temp_beside(file)?;
                }
                Sink::Held(file.map(Path::to_path_buf), Vec::new())
            }
        })
    }

    /// Takes one input's extraction, and the bytes [`Json::render`] made
    /// of it if any. Unless held for the end, it is written at once; an
    /// error here concerns this input only.
    pub fn document(
        &mut self,
        pipeline: &Pipeline,
        x: &Extraction,
        rendered: Option<&[u8]>,
        render: &Render<'_>,
    ) -> Result<()> {
        match self {
            Sink::Held(_, docs) => docs.push(output::document(pipeline, x)),
            Sink::Dir { dir, json, written } => {
                let path = dir.join(format!("{}.json", file_stem(&x.source)));
                if let Some(earlier) = written.get(&path) {
                    bail!("{} was already written for {earlier}", path.display());
                }
                let mut tmp = io::BufWriter::new(temp_beside(&path)?);
                match json {
                    Some(json) => json
                        .alone(&mut tmp, pipeline, x)
                        .with_context(|| format!("{}: cannot write", path.display()))?,
                    None => {
                        let bytes = render(&[output::document(pipeline, x)])?;
                        tmp.write_all(bytes.as_bytes())
                            .with_context(|| format!("{}: cannot write", path.display()))?;
                    }
                }
                persist(tmp, &path)?;
                written.insert(path, x.source.to_string());
            }
            Sink::Stream(Stream::Stdout(out), json) => json
                .document(out, pipeline, x, rendered)
                .and_then(|()| out.flush())
                .context("writing standard output")?,
            Sink::Stream(Stream::File(out, path), json) => json
                .document(out, pipeline, x, rendered)
                .with_context(|| format!("{}: cannot write", path.display()))?,
        }
        Ok(())
    }

    /// The JSON a streaming sink writes, for documents rendered ahead by
    /// [`Json::render`]; `None` for the sinks that take no bytes.
    pub fn streamed(&self) -> Option<&Json> {
        match self {
            Sink::Stream(_, json) => Some(json),
            _ => None,
        }
    }

    /// Writes what is still held, and closes the output.
    pub fn finish(self, render: &Render<'_>) -> Result<()> {
        match self {
            Sink::Held(None, docs) => print(&render(&docs)?),
            Sink::Held(Some(path), docs) => write_atomically(&path, render(&docs)?.as_bytes()),
            Sink::Dir { .. } => Ok(()),
            Sink::Stream(Stream::Stdout(mut out), mut json) => {
                match json.end(&mut out).and_then(|()| out.flush()) {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    other => other.context("writing standard output"),
                }
            }
            Sink::Stream(Stream::File(mut out, path), mut json) => {
                json.end(&mut out)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                persist(out, &path)
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
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = io::BufWriter::new(temp_beside(path)?);
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
fn persist(tmp: io::BufWriter<tempfile::NamedTempFile>, path: &Path) -> Result<()> {
    let context = || format!("{}: cannot write", path.display());
    let tmp = tmp
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(context)?;
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
