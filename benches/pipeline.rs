//! In-process throughput benchmark (`cargo bench --bench pipeline -- DIR`),
//! run by `scripts/bench.sh`, which generates DIR: `big.txt` (the corpus
//! articles repeated to ~20 MB) and `many/` (2,000 small articles).
//!
//! Measures, as medians of several rounds in one run:
//! - bare jieba-rs `cut` (HMM on) over `big.txt`, line by line: the baseline,
//!   and `tag` (what the pipeline calls: words with parts of speech);
//! - the full pipeline (run + JSON output) on `big.txt` as one document, and on
//!   the 2,000 small documents, each on a pool of 1 and of 2 threads, and
//!   bare `cut` on the same pools (what the machine allows two threads);
//! - building jieba's default dictionary vs building the whole pipeline.
//!
//! and prints the ratios the targets are stated in. Whole-process start-up
//! and peak memory are measured by the script around the binary.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use extract::{Document, Pipeline, RuleSet, output};
use rayon::prelude::*;

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
    let run_one = |source: &str, text: &str| -> usize {
        let doc = Document::new(source, text, None);
        let out = output::document(&pipeline, &pipeline.run(&doc));
        serde_json::to_string(&out).expect("serializes").len()
    };
    let mut results = Vec::new();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let one = median(rounds, || {
            let t = Instant::now();
            pool.install(|| std::hint::black_box(run_one("big.txt", &big)));
            t.elapsed()
        });
        let files = median(rounds, || {
            let t = Instant::now();
            pool.install(|| {
                let sizes: Vec<usize> = many.par_iter().map(|(s, t)| run_one(s, t)).collect();
                std::hint::black_box(sizes);
            });
            t.elapsed()
        });
        // The same pool cutting alone: how well this machine, at this
        // moment, lets two threads scale work that shares nothing.
        let cut_alone = median(rounds, || {
            let t = Instant::now();
            let words: usize =
                pool.install(|| big.par_lines().map(|l| jieba.cut(l, true).len()).sum());
            std::hint::black_box(words);
            t.elapsed()
        });
        results.push((threads, one, files, cut_alone));
    }

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
    for (threads, one, files, _) in &results {
        println!(
            "| pipeline, {threads} thread(s), big.txt | {one:.2?} | {:.2} MB/s |",
            mb(big.len(), *one)
        );
        println!(
            "| pipeline, {threads} thread(s), many/ | {files:.2?} | {:.2} MB/s |",
            mb(many_bytes, *files)
        );
    }
    println!("| build jieba default dictionary | {jieba_load:.2?} | |");
    println!("| build the whole pipeline | {pipeline_load:.2?} | |");
    let (_, one1, files1, cut1) = results[0];
    let (_, one2, files2, cut2) = results[1];
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!();
    println!("| ratio | value | target |");
    println!("| --- | --- | --- |");
    println!(
        "| pipeline 1 thread / jieba cut (throughput, big.txt) | {:.2} | ≥ 0.5 |",
        ratio(cut, one1)
    );
    println!(
        "| 2 threads / 1 thread, big.txt | {:.2} | ≥ 1.7 |",
        ratio(one1, one2)
    );
    println!(
        "| 2 threads / 1 thread, many/ | {:.2} | ≥ 1.7 |",
        ratio(files1, files2)
    );
    println!(
        "| jieba cut alone, 2 threads / 1 thread, big.txt (the machine's own scaling) | {:.2} | |",
        ratio(cut1, cut2)
    );
    println!(
        "| pipeline build / jieba dictionary build | {:.2} | |",
        ratio(pipeline_load, jieba_load)
    );
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
