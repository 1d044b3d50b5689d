//! The start-up baseline of `scripts/bench.sh`: a program that only builds
//! jieba's default dictionary and cuts one article (HMM on), so `extract`'s
//! whole-process time on the same article can be compared with the cost no
//! segmenting tool can avoid.
//!
//! `cargo run --release --example jieba_only -- corpus/2024-09-06-taobao-wechat-pay.txt`

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: jieba_only FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("jieba_only: {}: {e}", path.to_string_lossy());
            return ExitCode::from(1);
        }
    };
    let jieba = jieba_rs::Jieba::new();
    let words: usize = text.lines().map(|l| jieba.cut(l, true).len()).sum();
    println!("{words}");
    ExitCode::SUCCESS
}
