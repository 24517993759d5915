//! Reads JSONL records with a `text` field on stdin and writes, per record, one JSON line
//! `{"words": [...], "sentences": [...]}`: the spaCy-English words of the whole text and the
//! sentence count of every non-empty stripped line (`str.splitlines()`), the two quantities
//! datatrove's filters take from spaCy. Used by `bench/tokenizer_parity.py`.
//!
//! `--bench` instead only tokenizes (words and per-line sentences) and reports throughput on
//! stderr, per second of CPU time of the measuring thread where Linux tells it (so other load on
//! the machine does not count), else per second of wall time.

use std::io::{BufRead, BufWriter, Write};
use std::time::Instant;

use tapis_text::{py_splitlines, py_strip, spacy_en_words, spacy_sentence_count};

/// CPU time of the current thread in seconds (Linux `schedstat`), or wall time since `t0`.
fn seconds(t0: Instant) -> (f64, &'static str) {
    if let Ok(s) = std::fs::read_to_string("/proc/thread-self/schedstat")
        && let Some(ns) = s
            .split_whitespace()
            .next()
            .and_then(|x| x.parse::<u64>().ok())
    {
        return (ns as f64 / 1e9, "CPU");
    }
    (t0.elapsed().as_secs_f64(), "wall")
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let stdin = std::io::stdin();
    let mut texts = Vec::new();
    for line in stdin.lock().lines() {
        let line = line.expect("read stdin");
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).expect("JSON record");
        texts.push(v["text"].as_str().unwrap_or("").to_owned());
    }
    if bench {
        let bytes: usize = texts.iter().map(String::len).sum();
        let mut words = Vec::new();
        let rounds = 5;
        let origin = Instant::now();
        let (t0, clock) = seconds(origin);
        let mut total = 0usize;
        for _ in 0..rounds {
            for t in &texts {
                words.clear();
                spacy_en_words(t, &mut words);
                total += words.len();
            }
        }
        let (t1, _) = seconds(origin);
        let dt_words = t1 - t0;
        let mut sents = 0usize;
        for _ in 0..rounds {
            for t in &texts {
                for line in py_splitlines(t) {
                    let line = py_strip(line);
                    if !line.is_empty() {
                        sents += spacy_sentence_count(line);
                    }
                }
            }
        }
        let dt_sents = seconds(origin).0 - t1;
        let mb = (bytes * rounds) as f64 / 1e6;
        eprintln!(
            "{} texts, {:.1} MB x {rounds}: words {:.1} MB/s ({} words), per-line sentences {:.1} MB/s ({} sentences), per {clock} second",
            texts.len(),
            bytes as f64 / 1e6,
            mb / dt_words,
            total / rounds,
            mb / dt_sents,
            sents / rounds
        );
        return;
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut words = Vec::new();
    for t in &texts {
        words.clear();
        spacy_en_words(t, &mut words);
        let sentences: Vec<usize> = py_splitlines(t)
            .map(py_strip)
            .filter(|l| !l.is_empty())
            .map(spacy_sentence_count)
            .collect();
        let rec = serde_json::json!({ "words": words, "sentences": sentences });
        writeln!(out, "{rec}").expect("write stdout");
    }
}
