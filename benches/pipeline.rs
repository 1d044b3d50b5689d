//! In-process throughput benchmark (`cargo bench --bench pipeline -- DIR`),
//! run by `scripts/bench.sh`, which generates DIR: `big.txt` (the corpus
//! articles repeated to ~20 MB) and `many/` (2,000 small articles).
//!
//! Measures, as medians of several rounds in one run:
//! - bare jieba-rs `cut` (HMM on) over `big.txt`, line by line: the baseline,
//!   and `tag` (what the pipeline calls: words with parts of speech);
//! - the full pipeline (run + JSON output) on `big.txt` as one document, and on
//!   the 2,000 small documents, each on a pool of 1 and of 2 threads, and
//!   bare `cut` on the same pools (what the machine allows two threads); the
//!   two pools take turns round by round, and each 2 ÷ 1 ratio is the median
//!   of the rounds' ratios;
//! - building jieba's default dictionary vs building the whole pipeline.
//!
//! and prints the ratios the targets are stated in. Whole-process start-up
//! and peak memory are measured by the script around the binary.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use extract::{Document, Extraction, Pipeline, RuleSet, output};
use rayon::prelude::*;
use serde_json::ser::CompactFormatter;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            eprintln!("usage: cargo bench --bench pipeline -- DIR  (see scripts/bench.sh)");
            std::process::exit(2)
        });
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let big = std::fs::read_to_string(dir.join("big.txt")).expect("DIR/big.txt");
    let many = read_many(&dir.join("many"));
    let many_bytes: usize = many.iter().map(|(_, t)| t.len()).sum();
    let mb = |bytes: usize, d: Duration| bytes as f64 / 1e6 / d.as_secs_f64();

    let jieba_load = median(rounds, || {
        let t = Instant::now();
        std::hint::black_box(jieba_rs::Jieba::new());
        t.elapsed()
    });
    let rules = RuleSet::embedded().expect("embedded rules");
    let pipeline_load = median(rounds, || {
        let t = Instant::now();
        std::hint::black_box(Pipeline::new(&rules).expect("pipeline"));
        t.elapsed()
    });

    let jieba = jieba_rs::Jieba::new();
    let cut = median(rounds, || {
        let t = Instant::now();
        let words: usize = big.lines().map(|l| jieba.cut(l, true).len()).sum();
        std::hint::black_box(words);
        t.elapsed()
    });
    // What the pipeline calls: `tag` (words with parts of speech), dearer than `cut`.
    let tag = median(rounds, || {
        let t = Instant::now();
        let words: usize = big.lines().map(|l| jieba.tag(l, true).len()).sum();
        std::hint::black_box(words);
        t.elapsed()
    });

    let pipeline = Pipeline::new(&rules).expect("pipeline");
    // As the CLI writes `--format jsonl`.
    let json_len = |extraction: &Extraction<'_>| -> usize {
        let mut out = Vec::new();
        output::write_json(&pipeline, extraction, &mut out, CompactFormatter).expect("serializes");
        out.len()
    };
    let run_one = |source: &str, text: &str| -> usize {
        json_len(&pipeline.run(&Document::new(source, text, None)))
    };
    let pools = [1, 2].map(|threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
    });
    let timed = |pool: &rayon::ThreadPool, work: &(dyn Fn() + Sync)| {
        let t = Instant::now();
        pool.install(work);
        t.elapsed()
    };
    let one = || {
        std::hint::black_box(run_one("big.txt", &big));
    };
    let files = || {
        let sizes: Vec<usize> = many.par_iter().map(|(s, t)| run_one(s, t)).collect();
        std::hint::black_box(sizes);
    };
    // Cutting alone on the same pools: how well this machine, at this
    // moment, lets two threads scale work that shares nothing.
    let cut_alone = || {
        let words: usize = big.par_lines().map(|l| jieba.cut(l, true).len()).sum();
        std::hint::black_box(words);
    };
    let on_both = |work: &(dyn Fn() + Sync)| {
        paired(rounds, || timed(&pools[0], work), || timed(&pools[1], work))
    };
    // Writing the output alone, from an extraction made beforehand: with
    // segmentation, a floor under the pipeline's time that no faster
    // extraction can go below while the output keeps its contract.
    let write = {
        let doc = Document::new("big.txt", big.as_str(), None);
        let extraction = pipeline.run(&doc);
        median(rounds, || {
            let t = Instant::now();
            std::hint::black_box(pools[0].install(|| json_len(&extraction)));
            t.elapsed()
        })
    };
    let (one1, one2, one_ratio) = on_both(&one);
    let (files1, files2, files_ratio) = on_both(&files);
    let (_, _, cut_ratio) = on_both(&cut_alone);
    let results = [(1, one1, files1), (2, one2, files2)];

    println!("machine: {} cores, {}", cores(), cpu_model());
    println!(
        "text: big.txt {:.1} MB; many/ {} files, {:.1} MB; medians of {rounds} rounds",
        big.len() as f64 / 1e6,
        many.len(),
        many_bytes as f64 / 1e6
    );
    println!();
    println!("| measure | median | throughput |");
    println!("| --- | --- | --- |");
    println!(
        "| jieba `cut` (HMM), big.txt | {cut:.2?} | {:.2} MB/s |",
        mb(big.len(), cut)
    );
    println!(
        "| jieba `tag` (HMM, parts of speech), big.txt | {tag:.2?} | {:.2} MB/s |",
        mb(big.len(), tag)
    );
    for (threads, one, files) in &results {
        println!(
            "| pipeline, {threads} thread(s), big.txt | {one:.2?} | {:.2} MB/s |",
            mb(big.len(), *one)
        );
        println!(
            "| pipeline, {threads} thread(s), many/ | {files:.2?} | {:.2} MB/s |",
            mb(many_bytes, *files)
        );
    }
    println!(
        "| writing big.txt's JSON alone (extracted beforehand), 1 thread | {write:.2?} | {:.2} MB/s of text |",
        mb(big.len(), write)
    );
    println!("| build jieba default dictionary | {jieba_load:.2?} | |");
    println!("| build the whole pipeline | {pipeline_load:.2?} | |");
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!();
    println!("| ratio | value | target |");
    println!("| --- | --- | --- |");
    println!(
        "| pipeline 1 thread / jieba cut (throughput, big.txt) | {:.2} | ≥ 0.5 |",
        ratio(cut, one1)
    );
    println!(
        "| cut / (cut + writing the JSON alone): the most the first ratio could be | {:.2} | |",
        ratio(cut, cut + write)
    );
    println!("| 2 threads / 1 thread, big.txt | {one_ratio:.2} | ≥ 1.7 |");
    println!("| 2 threads / 1 thread, many/ | {files_ratio:.2} | ≥ 1.7 |");
    println!(
        "| jieba cut alone, 2 threads / 1 thread, big.txt (the machine's own scaling) | {cut_ratio:.2} | |"
    );
    println!(
        "| pipeline build / jieba dictionary build | {:.2} | |",
        ratio(pipeline_load, jieba_load)
    );
}

/// Times `a` and `b` in turn, `rounds` times (after one warm-up each),
/// alternating which goes first: the median of each, and the median of
/// their ratio round by round, which holds when the shared machine's speed
/// drifts during the run.
fn paired(
    rounds: usize,
    mut a: impl FnMut() -> Duration,
    mut b: impl FnMut() -> Duration,
) -> (Duration, Duration, f64) {
    a();
    b();
    let mut times = Vec::new();
    for round in 0..rounds.max(1) {
        let (ta, tb) = if round % 2 == 0 {
            let ta = a();
            (ta, b())
        } else {
            let tb = b();
            (a(), tb)
        };
        times.push((ta, tb));
    }
    let mid = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let secs = |d: Duration| d.as_secs_f64();
    (
        Duration::from_secs_f64(mid(times.iter().map(|t| secs(t.0)).collect())),
        Duration::from_secs_f64(mid(times.iter().map(|t| secs(t.1)).collect())),
        mid(times.iter().map(|t| secs(t.0) / secs(t.1)).collect()),
    )
}

/// The median of `rounds` timings of `f` (after one warm-up round).
fn median(rounds: usize, mut f: impl FnMut() -> Duration) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..rounds.max(1)).map(|_| f()).collect();
    times.sort();
    times[times.len() / 2]
}

/// Every `*.txt` of `dir`, sorted, with its text.
fn read_many(dir: &Path) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("DIR/many")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            (p.display().to_string(), text)
        })
        .collect()
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}
