//! `tapis lid`: the language of each record, the way `fasttext predict`
//! tags lines, one JSON record out per record in, in order.

use std::io::{BufRead, BufWriter, Write};

use rayon::prelude::*;
use serde_json::{Value, json};
use tapis_io::Item;
use tapis_lid::{Detector, TextLanguages, identify};

use crate::Failure;
use crate::flags::LidArgs;

/// Records identified together, in parallel, before their output is written.
const BATCH: usize = 4096;

enum Record {
    /// One line of plain text.
    Line(String),
    /// One document of JSONL, Parquet or a .txt file.
    Doc(tapis_document::Document),
    Error(tapis_io::RecordError),
}

pub fn run(args: LidArgs) -> Result<u8, Failure> {
    let detector = Detector::new();
    detector.preload();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut errors = 0u64;
    let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
    let mut flush = |batch: &mut Vec<Record>, out: &mut BufWriter<_>| -> Result<(), Failure> {
        let lines: Vec<Option<String>> = batch
            .par_iter()
            .map(|r| match r {
                Record::Line(text) => Some(render(&identify(&detector, text), None, &args)),
                Record::Doc(doc) => Some(render(
                    &identify(&detector, &doc.text),
                    Some(&doc.id),
                    &args,
                )),
                Record::Error(_) => None,
            })
            .collect();
        for (record, line) in batch.iter().zip(lines) {
            match (record, line) {
                (_, Some(line)) => writeln!(out, "{line}")?,
                (Record::Error(e), None) => {
                    errors += 1;
                    eprintln!("tapis lid: {e}");
                }
                _ => {}
            }
        }
        batch.clear();
        Ok(())
    };
    if args.plain {
        for path in &args.inputs {
            let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
                Box::new(std::io::stdin().lock())
            } else {
                Box::new(std::io::BufReader::new(std::fs::File::open(path).map_err(
                    |e| anyhow::anyhow!("{}: cannot open: {e}", path.display()),
                )?))
            };
            for line in reader.split(b'\n') {
                let bytes = line.map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                let text = String::from_utf8_lossy(&bytes)
                    .trim_end_matches('\r')
                    .to_string();
                batch.push(Record::Line(text));
                if batch.len() == BATCH {
                    flush(&mut batch, &mut out)?;
                }
            }
        }
    } else {
        let options = args.fields.read_options();
        for item in tapis_io::read_inputs(&args.inputs, &options).map(tapis_html::resolve) {
            batch.push(match item {
                Item::Doc(doc) => Record::Doc(doc),
                Item::Page(_) | Item::Skipped(_) => continue,
                Item::Error(e) => Record::Error(e),
            });
            if batch.len() == BATCH {
                flush(&mut batch, &mut out)?;
            }
        }
    }
    flush(&mut batch, &mut out)?;
    out.flush()?;
    Ok(if errors > 0 {
        crate::EXIT_RECORD_ERRORS
    } else {
        0
    })
}

/// One output record: the document's language as `tapis clean --lid` writes
/// it in `metadata.tapis.language`, with the lines only under `--lines`.
fn render(found: &TextLanguages, id: Option<&str>, args: &LidArgs) -> String {
    let mut record = serde_json::Map::new();
    if let Some(id) = id {
        record.insert("id".into(), json!(id));
    }
    if let Value::Object(language) = tapis_pipeline::language_value(found, &[]) {
        record.extend(language);
    }
    if !args.lines {
        record.remove("lines");
    }
    Value::Object(record).to_string()
}
