//! Shared test code: real records from the shared data, temporary fixtures, and
//! a compact outline of what a read produced, so every test can assert the
//! exact documents and errors (read = documents + errors).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use tapis_io::{Document, Item, ReadOptions, RecordError, read_inputs};

/// A file of the shared data set beside the repository, or `None` (with a
/// note on stderr) when it is absent, so the calling test can skip.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/")).join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: shared data {relative} not found beside the repository");
        None
    }
}

/// The first `n` records of the trafilatura evaluation set: real multilingual
/// web text with `id`, `url`, `text`, `with` and `without` fields.
pub fn real_records(n: usize) -> Option<Vec<Map<String, Value>>> {
    let path = shared("data/trafilatura-eval/fullpage.jsonl")?;
    let reader = BufReader::new(std::fs::File::open(path).expect("open fullpage.jsonl"));
    let records = reader
        .lines()
        .take(n)
        .map(|l| serde_json::from_str(&l.expect("read line")).expect("valid record"))
        .collect::<Vec<_>>();
    assert_eq!(
        records.len(),
        n,
        "the evaluation set has at least {n} records"
    );
    Some(records)
}

/// Records as JSONL bytes.
pub fn jsonl(records: &[Map<String, Value>]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        serde_json::to_writer(&mut out, r).unwrap();
        out.push(b'\n');
    }
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

pub fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(bytes, 3).unwrap()
}

/// A temporary folder of input files.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn read(&self, names: &[&str]) -> Vec<Item> {
        self.read_with(names, &ReadOptions::default())
    }

    pub fn read_with(&self, names: &[&str], opts: &ReadOptions) -> Vec<Item> {
        let paths: Vec<PathBuf> = names.iter().map(|n| self.path(n)).collect();
        read_inputs(&paths, opts).collect()
    }

    /// `doc FILE:RECORD ID` or `err FILE:RECORD KIND` per item, with the
    /// fixture folder left out of file names.
    pub fn outline(&self, items: &[Item]) -> Vec<String> {
        let prefix = format!("{}/", self.dir.path().display());
        let short = |f: &str| f.strip_prefix(&prefix).unwrap_or(f).to_string();
        items
            .iter()
            .map(|i| match i {
                Item::Doc(d) => {
                    format!("doc {}:{} {}", short(&d.origin.file), d.origin.record, d.id)
                }
                Item::Page(p) => {
                    format!(
                        "page {}:{} {}",
                        short(&p.origin.file),
                        p.origin.record,
                        p.id
                    )
                }
                Item::Skipped(s) => format!("skip {}:{} {}", short(&s.file), s.record, s.reason),
                Item::Error(e) => format!("err {}:{} {}", short(&e.file), e.record, e.kind),
            })
            .collect()
    }
}

pub fn docs(items: &[Item]) -> Vec<&Document> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Doc(d) => Some(d),
            _ => None,
        })
        .collect()
}

pub fn errors(items: &[Item]) -> Vec<&RecordError> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Error(e) => Some(e),
            _ => None,
        })
        .collect()
}

pub fn text_of(record: &Map<String, Value>) -> &str {
    record["text"].as_str().unwrap()
}

pub fn id_of(record: &Map<String, Value>) -> &str {
    record["id"].as_str().unwrap()
}

/// `lines` as the outline expects them for documents read from JSONL.
pub fn doc_lines(file: &str, records: &[Map<String, Value>], first_line: u64) -> Vec<String> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| format!("doc {file}:{} {}", first_line + i as u64, id_of(r)))
        .collect()
}
