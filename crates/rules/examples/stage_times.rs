//! Times each stage of the datatrove-preset chain separately over a JSONL
//! corpus, so that a speed change can be traced to the stage that made it.
//!
//!     cargo run --release -p tapis-rules --example stage_times -- CORPUS.jsonl [STAGE]
//!
//! With STAGE, only the stages whose name starts with it run (for a profiler).
//!
//! Every stage runs over every document (no early exit between rules), so the
//! figures are upper bounds of what each stage costs inside the chain.

use std::io::BufRead;
use std::time::Instant;

use tapis_rules::rules::{gopher_quality, gopher_repetition};
use tapis_rules::{Chain, Config, DocView, Preset, WordTokenizer};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: stage_times CORPUS.jsonl");
    let file = std::fs::File::open(&path).expect("open corpus");
    let texts: Vec<String> = std::io::BufReader::new(file)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l.expect("line")).expect("json");
            v["text"].as_str().expect("text").to_string()
        })
        .collect();
    let mb = texts.iter().map(|t| t.len()).sum::<usize>() as f64 / 1e6;
    // The best of STAGE_PASSES passes (3 by default): the machine's own noise only ever adds time.
    let only = std::env::args().nth(2);
    let passes: usize = std::env::var("STAGE_PASSES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3);
    let time = |name: &str, f: &mut dyn FnMut(usize, &str) -> usize| {
        if only.as_ref().is_some_and(|o| !name.starts_with(o.as_str())) {
            return;
        }
        let mut best = f64::INFINITY;
        let mut sink = 0usize;
        for _ in 0..passes {
            let start = Instant::now();
            sink = 0;
            for (i, t) in texts.iter().enumerate() {
                sink = sink.wrapping_add(f(i, t));
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!("{name:<28} {best:7.3} s {:8.1} MB/s   ({sink})", mb / best);
    };
    println!("{} documents, {mb:.1} MB", texts.len());
    time("tokenize (spaCy en)", &mut |_, t| {
        tapis_text::spacy_en_word_count(t)
    });
    // Words for the Gopher stages, tokenized once and only when one of them runs.
    let gopher = only
        .as_ref()
        .is_none_or(|o| "gopher".starts_with(o.as_str()) || o.starts_with("gopher"));
    let tokenized: Vec<Vec<&str>> = texts
        .iter()
        .filter(|_| gopher)
        .map(|t| {
            let mut w = Vec::new();
            tapis_text::spacy_en_words(t, &mut w);
            w
        })
        .collect();
    time("gopher_repetition measure", &mut |i, t| {
        let w = tokenized[i].clone();
        let f = gopher_repetition::measure(t, || w, None);
        f.chars
    });
    let stop: Vec<String> = gopher_quality::ENGLISH_STOP_WORDS
        .iter()
        .map(|s| s.to_string())
        .collect();
    time("gopher_quality measure", &mut |i, t| {
        gopher_quality::measure(t, &tokenized[i], &stop).words
    });
    let config = Config::preset(Preset::Datatrove);
    let chain = Chain::new(&config).expect("chain");
    let docs: Vec<tapis_document::Document> = texts
        .iter()
        .map(|t| tapis_document::Document {
            id: String::new(),
            text: t.clone(),
            metadata: Default::default(),
            origin: tapis_document::Origin {
                file: "corpus".into(),
                record: 0,
            },
            utf8_repairs: 0,
            extracted: false,
        })
        .collect();
    time("chain (datatrove preset)", &mut |i, _| {
        usize::from(chain.apply(&docs[i]).dropped_by.is_some())
    });
    time("view words (tokenize+copy)", &mut |_, t| {
        let v = DocView::new(t, None, WordTokenizer::SpacyEn);
        v.words().len()
    });
}
