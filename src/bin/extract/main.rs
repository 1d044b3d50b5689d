//! The `extract` command: a thin layer over the library. Parses arguments,
//! builds the pipeline once, runs it on each input, prints JSON. A failing
//! input is reported (`extract: <file>: <reason>`) and the others still run;
//! the exit code is 1 when any input failed, 2 for usage or rule errors.
//! `inputs` reads and decodes, `sinks` writes.

mod inputs;
mod progress;
mod sinks;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use extract::decode::Options;
use extract::merge::merge;
use extract::output::DocumentOut;
use extract::render::{self, Article, graph::Graph};
use extract::{Extraction, Pipeline, RuleSet, eval, output, parallel};

use inputs::{Job, read_input};
use sinks::Sink;

/// Extract who connected with whom, when and how from Chinese
/// interconnection (互联互通) news.
#[derive(Parser)]
#[command(
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Args {
    /// Articles to read (`.txt`, or JSONL with `--input jsonl`); `-` reads
    /// standard input.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Input kind: one article per file, or one JSON article per line
    /// (`{"id": …, "text": …, "published": …}`; `id` becomes `source`).
    #[arg(long, value_enum, default_value_t = Input::Text)]
    input: Input,
    /// Worker threads (default: `RAYON_NUM_THREADS`, else all cores).
    /// Output is the same for any number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Output format: JSON documents (or merged events with `--merge`), a
    /// Markdown timeline, CSV rows, the graph as DOT or mermaid, or an HTML
    /// review page.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// With `json`/`jsonl`: print merged events, each connection once with
    /// every mention of it across all inputs, instead of one object per input.
    #[arg(long)]
    merge: bool,
    /// Publication date (YYYY-MM-DD) for every input; else taken from a
    /// `YYYY-MM-DD` file-name prefix, a dateline, or the text.
    #[arg(long, value_parser = parse_date)]
    published: Option<NaiveDate>,
    /// Decode every input with this encoding (`gbk`, `gb18030`, `utf-16le`,
    /// any WHATWG label) instead of detecting it.
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    encoding: Option<Options>,
    /// Replace malformed sequences and NUL bytes with U+FFFD instead of
    /// failing the input; the count goes to stderr and `"replacements"`.
    #[arg(long)]
    lossy: bool,
    /// Read every `*.txt` under a directory argument, in sorted order.
    #[arg(short, long)]
    recursive: bool,
    /// Write the whole output to FILE (replaced only once complete).
    #[arg(short, long, value_name = "FILE", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Write one `NAME.json` per input into DIR (`stdin.json` for `-`),
    /// each replaced only once complete.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Instead of events, list the names found outside the gazetteer (kind
    /// `unknown`) with counts and contexts, to grow `rules/entities/`.
    #[arg(long)]
    report_unknown: bool,
    /// A rules directory whose files replace the built-in ones of the same name.
    #[arg(long, global = true, value_name = "DIR")]
    rules: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Score extraction against every `*.gold.json` answer key of a corpus.
    Eval {
        /// The corpus directory holding `NAME.txt` and `NAME.gold.json`.
        #[arg(long, default_value = "corpus", value_name = "DIR")]
        corpus: PathBuf,
        /// Print only the score table, not the missed and extra items.
        #[arg(long)]
        summary: bool,
    },
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Input {
    /// One article per file, decoded as `--encoding` says or detected.
    Text,
    /// One JSON article per line (JSON Lines), from files or standard input.
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Merged events as a Markdown table, by time, undated last.
    Timeline,
    /// One row per event and party pair (RFC 4180).
    Csv,
    /// The interconnection graph for Graphviz, parent companies as clusters.
    Dot,
    /// The interconnection graph as a mermaid flowchart.
    Mermaid,
    /// A self-contained review page: timeline, graph, highlighted articles.
    Html,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| format!("expected YYYY-MM-DD: {e}"))
}

fn parse_encoding(s: &str) -> Result<Options, String> {
    Options::with_encoding_label(s).ok_or_else(|| format!("unknown encoding {s:?}"))
}

/// Text length (bytes) up to which a document's JSON is rendered in the
/// worker (see `run`): its bytes, a few times the text, wait in memory for
/// the documents before it, at most `window` of them.
const RENDER_IN_WORKER: usize = 256 << 10;

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(n) = args.threads {
        // Only fails when a pool exists already, which it cannot here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.into())
            .build_global();
    }
    let pipeline = match build(args.rules.as_deref()) {
        Ok(p) => p,
        Err(e) => return fail(e, 2),
    };
    let code = match &args.command {
        Some(Command::Eval { corpus, summary }) => report(run_eval(&pipeline, corpus, *summary)),
        None => run(&pipeline, &args),
    };
    // The dictionary and automata are freed by the process's exit far
    // faster than by their destructors (some ms of a short run).
    std::mem::forget(pipeline);
    code
}

fn build(rules: Option<&Path>) -> Result<Pipeline> {
    let rules = match rules {
        Some(dir) => RuleSet::from_dir(dir),
        None => RuleSet::embedded(),
    }
    .context("loading rules")?;
    Pipeline::new(&rules).context("building the pipeline")
}

fn fail(e: anyhow::Error, code: u8) -> ExitCode {
    eprintln!("extract: {e:#}");
    ExitCode::from(code)
}

fn report(r: Result<String>) -> ExitCode {
    match r.and_then(|text| sinks::print(&text)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e, 1),
    }
}

fn run(pipeline: &Pipeline, args: &Args) -> ExitCode {
    // The HTML page and the unknown-name report show text; the rest need none.
    let keep_text = args.report_unknown || matches!(args.format, Format::Html);
    let texts = RefCell::new(HashMap::new());
    let render = |docs: &[DocumentOut]| render(args, docs, &texts.borrow());
    let mut sink = match Sink::new(args.output.as_deref(), args.out_dir.as_deref(), json(args)) {
        Ok(sink) => sink,
        Err(e) => return fail(e, 2),
    };
    let opts = Options {
        lossy: args.lossy,
        ..args.encoding.unwrap_or_default()
    };
    let jsonl = args.input == Input::Jsonl;
    // Streamed JSON of a document of modest size is rendered by the thread
    // that extracted it, so the writer only copies bytes; a long document
    // is written item by item by the writer, never held whole as bytes.
    let prerender = sink.streamed().cloned();
    let (total, jobs) = inputs::jobs(&args.files, args.recursive, jsonl);
    let progress = progress::Progress::new(total);
    let work = |job: Job| {
        let name = job.name();
        let doc = match job {
            Job::File(path, item) => item.and_then(|()| read_input(&path, args.published, opts)),
            Job::Line { at, line } => {
                extract::jsonl::document(&line, &at, args.published, args.lossy).map_err(
                    |e| match e {
                        extract::Error::Input { msg, .. } => anyhow::anyhow!(msg),
                        other => other.into(),
                    },
                )
            }
            Job::Failed(_, e) => Err(e),
        };
        let done = doc.and_then(|doc| {
            let x = pipeline.run_owned(doc);
            let rendered = match &prerender {
                Some(json) if x.text.len() <= RENDER_IN_WORKER => Some(json.render(pipeline, &x)?),
                _ => None,
            };
            Ok((x, rendered))
        });
        (name, done)
    };
    let mut failed = false;
    // Some documents per thread in flight: enough to keep every thread
    // busy, few enough that memory does not grow with the input.
    let window = 16 * rayon::current_num_threads();
    parallel::ordered(jobs, window, work, |(name, done)| {
        let done = done.and_then(|(x, rendered): (Extraction, Option<Vec<u8>>)| {
            if x.replacements > 0 {
                progress.eprintln(&format!(
                    "extract: {name}: warning: replaced {} malformed sequence(s) or NUL byte(s) with U+FFFD (--lossy)",
                    x.replacements
                ));
            }
            if keep_text {
                texts
                    .borrow_mut()
                    .insert(x.source.to_string(), x.text.to_string());
            }
            sink.document(pipeline, &x, rendered.as_deref(), &render)
        });
        progress.inc();
        match done {
            Err(e) if sinks::is_closed_pipe(&e) => std::process::exit(i32::from(failed)),
            Err(e) => {
                progress.eprintln(&format!("extract: {name}: {e:#}"));
                failed = true;
            }
            Ok(()) => {}
        }
    });
    progress.finish();
    match sink.finish(&render) {
        Ok(()) if failed => ExitCode::from(1),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e, 1),
    }
}

/// How to write plain JSON a document at a time, when the output is plain
/// JSON: `None` for the formats rendered from all the documents at once.
fn json(args: &Args) -> Option<sinks::Json> {
    if args.merge || args.report_unknown {
        return None;
    }
    match args.format {
        Format::Json => Some(sinks::Json::array()),
        Format::Jsonl => Some(sinks::Json::Lines),
        _ => None,
    }
}

/// The `--format` dispatch: documents (and the texts of their sources) to
/// the bytes to write.
fn render(args: &Args, docs: &[DocumentOut], texts: &HashMap<String, String>) -> Result<String> {
    let articles = || -> Vec<Article> {
        docs.iter()
            .map(|doc| Article {
                doc,
                text: texts.get(&doc.source).map_or("", String::as_str),
            })
            .collect()
    };
    if args.report_unknown {
        return Ok(render::unknown::report(&articles()));
    }
    Ok(match args.format {
        Format::Json if args.merge => serde_json::to_string_pretty(&merge(docs))? + "\n",
        Format::Json => serde_json::to_string_pretty(docs)? + "\n",
        Format::Jsonl if args.merge => lines(&merge(docs))?,
        Format::Jsonl => lines(docs)?,
        Format::Timeline => render::timeline::timeline(&merge(docs)),
        Format::Csv => render::csv::csv(docs)?,
        Format::Dot => render::dot::dot(&Graph::of_documents(docs)),
        Format::Mermaid => render::mermaid::mermaid(&Graph::of_documents(docs)),
        Format::Html => render::html::page(&articles()),
    })
}

/// One JSON object per line.
fn lines<T: serde::Serialize>(items: &[T]) -> Result<String> {
    Ok(items
        .iter()
        .map(|d| serde_json::to_string(d).map(|s| s + "\n"))
        .collect::<Result<String, _>>()?)
}

/// Runs the pipeline on every article with an answer key and reports scores.
fn run_eval(pipeline: &Pipeline, corpus: &Path, summary: bool) -> Result<String> {
    let mut keys: Vec<PathBuf> = std::fs::read_dir(corpus)
        .with_context(|| format!("{}: cannot list", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    keys.sort();
    if keys.is_empty() {
        anyhow::bail!("{}: no *.gold.json answer keys", corpus.display());
    }
    let mut rows = Vec::new();
    for key in keys {
        let mut gold: eval::Gold = serde_json::from_slice(
            &std::fs::read(&key).with_context(|| format!("{}: cannot read", key.display()))?,
        )
        .with_context(|| format!("{}: not a valid answer key", key.display()))?;
        gold.canonicalize(&pipeline.rules().gazetteer);
        let article = corpus.join(&gold.article);
        let doc = read_input(&article, None, Options::default())
            .with_context(|| article.display().to_string())?;
        let out = output::document(pipeline, &pipeline.run(&doc));
        rows.push((gold.article.clone(), eval::score(&out, &gold)));
    }
    Ok(eval::report(&rows, !summary))
}
