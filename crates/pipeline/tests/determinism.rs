//! The output does not depend on the number of threads or the batch size,
//! and every record read is accounted for.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tapis_document::{Document, Metadata, Origin};
use tapis_io::{ErrorKind, Item, RecordError};
use tapis_pipeline::{ErrorSink, Options, OwnedRecord, Sink, Sinks};
use tapis_rules::{Chain, Config, Preset};

#[derive(Clone, Default)]
struct Collect(Arc<Mutex<Vec<OwnedRecord>>>);

impl Sink for Collect {
    fn write(&mut self, r: &OwnedRecord) -> std::io::Result<()> {
        self.0.lock().unwrap().push(r.clone());
        Ok(())
    }
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Clone, Default)]
struct CollectErrors(Arc<Mutex<Vec<String>>>);

impl ErrorSink for CollectErrors {
    fn write(&mut self, e: &RecordError) -> std::io::Result<()> {
        self.0.lock().unwrap().push(e.to_string());
        Ok(())
    }
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        Ok(())
    }
}

fn items() -> Option<Vec<Item>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/trafilatura-eval/fullpage.jsonl");
    let text = std::fs::read_to_string(path).ok()?;
    let mut items: Vec<Item> = text
        .lines()
        .take(300)
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            Item::Doc(Document {
                id: v["id"].as_str().unwrap().into(),
                text: v["text"].as_str().unwrap().into(),
                metadata: Metadata::new(),
                origin: Origin {
                    file: "fullpage.jsonl".into(),
                    record: i as u64 + 1,
                },
                utf8_repairs: 0,
                extracted: false,
            })
        })
        .collect();
    items.insert(
        17,
        Item::Error(RecordError {
            file: "fullpage.jsonl".into(),
            record: 18,
            kind: ErrorKind::MalformedJson,
            message: "expected value".into(),
        }),
    );
    Some(items)
}

fn run(
    threads: usize,
    batch_docs: usize,
) -> Option<(
    Vec<OwnedRecord>,
    Vec<OwnedRecord>,
    Vec<String>,
    tapis_pipeline::Stats,
)> {
    let items = items()?;
    let chain = Chain::new(&Config::preset(Preset::Datatrove)).unwrap();
    let (kept, removed, errors) = (
        Collect::default(),
        Collect::default(),
        CollectErrors::default(),
    );
    let sinks = Sinks {
        kept: Box::new(kept.clone()),
        removed: Some(Box::new(removed.clone())),
        errors: Some(Box::new(errors.clone())),
    };
    let options = Options {
        threads,
        batch_docs,
        ..Options::default()
    };
    let stats = tapis_pipeline::run(
        Box::new(items.into_iter()),
        &chain,
        sinks,
        &options,
        &|_| {},
    )
    .unwrap();
    let take = |c: Collect| std::mem::take(&mut *c.0.lock().unwrap());
    let errors = std::mem::take(&mut *errors.0.lock().unwrap());
    Some((take(kept), take(removed), errors, stats))
}

#[test]
fn same_output_whatever_the_threads_and_batches() {
    let Some((kept1, removed1, errors1, stats1)) = run(1, 2048) else {
        eprintln!("skipped: shared data not found beside the repository");
        return;
    };
    let (kept4, removed4, errors4, stats4) = run(4, 7).unwrap();
    assert_eq!(kept1, kept4);
    assert_eq!(removed1, removed4);
    assert_eq!(errors1, errors4);
    assert_eq!(stats1.read, 301);
    assert_eq!(stats1.errors, 1);
    assert!(stats1.conservation().holds && stats4.conservation().holds);
    assert_eq!(stats1.kept + stats1.removed, 300);
    assert!(stats1.kept > 0 && stats1.removed > 0);
    assert_eq!(stats1.removed_by_reason, stats4.removed_by_reason);
    // Removed records carry their reason; kept ones list what was cut.
    for r in &removed1 {
        assert!(
            r.metadata["tapis"]["reason"]
                .as_str()
                .unwrap()
                .contains('/')
        );
    }
    assert!(kept1.iter().any(|r| {
        !r.metadata["tapis"]["removed"]
            .as_array()
            .unwrap()
            .is_empty()
    }));
}
