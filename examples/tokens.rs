//! Prints jieba's words and tags for a sentence, as the pipeline sees them:
//! `cargo run --example tokens -- 宁波海曙农村商业银行也已接入银联网络`.
use extract::{Pipeline, RuleSet, Segmenter, segment};

fn main() {
    let text = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let rules = RuleSet::embedded().expect("rules");
    let _ = Pipeline::new(&rules).expect("pipeline");
    let segmenter = Segmenter::new(&rules);
    for s in segment::sentences(&text) {
        for t in segmenter.tokens(&text, &s) {
            print!("{}/{} ", &text[t.span.range()], t.pos.as_str());
        }
        println!();
    }
}
