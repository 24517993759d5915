//! The tapis pipeline: read → decide → write, streaming, in parallel, in order.
//!
//! A reader thread fills bounded batches, a rayon pool applies the rule chain
//! to each batch, and a writer thread writes the results in input order, so
//! the output is the same whatever the number of threads and memory stays
//! bounded by a few batches whatever the input size. Every record read is
//! accounted for: kept, removed with a reason, skipped (a WARC record that
//! holds no page) or reported as an error. Web pages are extracted to text
//! on the pool, as the first per-document stage.

mod output;
mod stats;

pub use output::{OwnedRecord, kept_record, language_value, removed_record};
pub use stats::{Conservation, Stats};

use std::time::Instant;

use crossbeam_channel::bounded;
use rayon::prelude::*;
use tapis_io::{Item, RecordError, Skipped};
use tapis_rules::{Chain, ChainOutput};

/// Where results go. Each sink is optional: in a pipe, removed documents
/// and errors are only counted unless a flag names a file for them.
pub trait Sink: Send {
    fn write(&mut self, record: &OwnedRecord) -> std::io::Result<()>;
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

/// A sink for error records.
pub trait ErrorSink: Send {
    fn write(&mut self, error: &RecordError) -> std::io::Result<()>;
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

pub struct Sinks {
    pub kept: Box<dyn Sink>,
    pub removed: Option<Box<dyn Sink>>,
    pub errors: Option<Box<dyn ErrorSink>>,
}

/// What to do when a record cannot be read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnError {
    /// Record the error and go on.
    #[default]
    Skip,
    /// Stop at the first error.
    Fail,
}

#[derive(Clone, Debug)]
pub struct Options {
    /// Threads for the rules (the reader and writer have one each).
    pub threads: usize,
    /// A batch closes at this many documents…
    pub batch_docs: usize,
    /// …or at this many bytes of text, whichever comes first.
    pub batch_bytes: usize,
    pub on_error: OnError,
    /// Write every rule's figures into kept documents' metadata.
    pub with_figures: bool,
    /// Identify the language of every line and document: written to
    /// `metadata.tapis.language`, and the document's language picks the
    /// rules' per-language settings when its metadata names none.
    pub identify_languages: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: 0,
            // Small enough that the rules start soon after the first records
            // are read and the writer finishes soon after the last ones are
            // decided (reading, deciding and writing overlap batch by batch);
            // large enough that a batch keeps every rule thread busy.
            batch_docs: 256,
            batch_bytes: 4 << 20,
            on_error: OnError::Skip,
            with_figures: false,
            identify_languages: false,
        }
    }
}

/// Progress so far, for a progress bar.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub records: u64,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("stopped at the first error (--on-error fail): {0}")]
    Failed(RecordError),
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
    #[error("cannot start the thread pool: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
}

enum Outcome {
    Kept(OwnedRecord),
    Removed(OwnedRecord),
    Skipped(Skipped),
    Error(RecordError),
}

/// One processed record, with what the statistics need to know about it.
struct Processed {
    outcome: Outcome,
    bytes: u64,
    language: Option<String>,
    utf8_repairs: u32,
    chain: Option<ChainOutput>,
    /// The document was extracted from a web page.
    extracted: bool,
}

fn process(item: Item, chain: &Chain, options: &Options) -> Processed {
    let not_a_document = |outcome| Processed {
        outcome,
        bytes: 0,
        language: None,
        utf8_repairs: 0,
        chain: None,
        extracted: false,
    };
    let (doc, extracted) = match item {
        Item::Error(e) => return not_a_document(Outcome::Error(e)),
        Item::Skipped(s) => return not_a_document(Outcome::Skipped(s)),
        // Extraction is a per-document stage like the rules: it runs here,
        // on the pool, not on the reader's thread.
        Item::Page(page) => (tapis_html::page_to_document(page), true),
        Item::Doc(doc) => (doc, false),
    };
    let with_figures = options.with_figures;
    let found = options
        .identify_languages
        .then(|| tapis_lid::identify(&tapis_lid::Detector::new(), &doc.text));
    // A language named in the metadata wins; else the identified one,
    // by its ISO 639-1 code (the keys of per-language settings).
    let identified = found
        .as_ref()
        .and_then(|f| f.document.language)
        .map(|l| l.iso639_1());
    let language = chain.language(&doc).or(identified);
    let out = chain.apply_in(&doc, language, with_figures);
    let bytes = doc.text.len() as u64;
    // Counted under the metadata's language, else the label
    // identified (`ind_Latn`).
    let stats_language = chain.language(&doc).map(str::to_string).or_else(|| {
        found
            .as_ref()
            .and_then(|f| f.document.language)
            .map(|l| l.code())
    });
    let utf8_repairs = doc.utf8_repairs;
    // The records take the document's text and metadata over: no copy.
    let outcome = match &out.decision {
        tapis_document::Decision::Keep { removals } => Outcome::Kept(kept_record(
            doc,
            removals,
            with_figures.then_some(&out.figures[..]),
            found
                .as_ref()
                .map(|f| output::language_value(f, removals))
                .as_ref(),
        )),
        tapis_document::Decision::Drop { reason, removals } => Outcome::Removed(removed_record(
            doc,
            reason,
            out.dropped_by,
            removals,
            &out.figures,
            found
                .as_ref()
                .map(|f| output::language_value(f, &[]))
                .as_ref(),
        )),
    };
    Processed {
        outcome,
        bytes,
        language: stats_language,
        utf8_repairs,
        chain: Some(out),
        extracted,
    }
}

/// Runs the chain over `inputs` and writes to `sinks`; returns the counts.
/// `progress` is called after each batch is written.
pub fn run(
    inputs: Box<dyn Iterator<Item = Item> + Send>,
    chain: &Chain,
    mut sinks: Sinks,
    options: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Stats, RunError> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .thread_name(|i| format!("tapis-rules-{i}"))
        .build()?;
    let (batch_tx, batch_rx) = bounded::<Vec<Item>>(2);
    let (done_tx, done_rx) = bounded::<Vec<Processed>>(2);
    let on_error = options.on_error;

    std::thread::scope(|scope| {
        // Reader: cuts the input stream into batches.
        let batch_docs = options.batch_docs.max(1);
        let batch_bytes = options.batch_bytes.max(1);
        let reader = scope.spawn(move || -> u64 {
            let mut batch = Vec::with_capacity(batch_docs);
            let mut bytes = 0usize;
            let mut read = 0u64;
            for item in inputs {
                read += 1;
                match &item {
                    Item::Doc(d) => bytes += d.text.len(),
                    Item::Page(p) => bytes += p.html.len(),
                    _ => {}
                }
                let is_error = matches!(item, Item::Error(_));
                batch.push(item);
                if batch.len() >= batch_docs
                    || bytes >= batch_bytes
                    || (is_error && on_error == OnError::Fail)
                {
                    if batch_tx.send(std::mem::take(&mut batch)).is_err() {
                        return read;
                    }
                    bytes = 0;
                }
            }
            if !batch.is_empty() {
                let _ = batch_tx.send(batch);
            }
            read
        });

        // Writer: writes results in input order and keeps the counts.
        let writer = scope.spawn(move || -> Result<Stats, RunError> {
            let mut stats = Stats::new(chain.rule_ids());
            let mut progress_now = Progress::default();
            for batch in done_rx {
                for p in batch {
                    progress_now.records += 1;
                    progress_now.bytes += p.bytes;
                    stats.count(
                        &p.outcome_kind(),
                        p.bytes,
                        p.language.as_deref(),
                        p.utf8_repairs,
                        p.chain.as_ref(),
                    );
                    stats.pages_extracted += u64::from(p.extracted);
                    match p.outcome {
                        Outcome::Kept(r) => sinks.kept.write(&r)?,
                        Outcome::Removed(r) => {
                            if let Some(s) = sinks.removed.as_mut() {
                                s.write(&r)?;
                            }
                        }
                        Outcome::Skipped(s) => stats.count_skipped(&s),
                        Outcome::Error(e) => {
                            if let Some(s) = sinks.errors.as_mut() {
                                s.write(&e)?;
                            }
                            stats.count_error(&e);
                            if on_error == OnError::Fail {
                                finish(sinks)?;
                                return Err(RunError::Failed(e));
                            }
                        }
                    }
                }
                progress(progress_now);
            }
            finish(sinks)?;
            Ok(stats)
        });

        // The rules, on the pool; batches stay in order.
        for batch in batch_rx {
            let done: Vec<Processed> = pool.install(|| {
                batch
                    .into_par_iter()
                    .with_min_len(8)
                    .map(|item| process(item, chain, options))
                    .collect()
            });
            if done_tx.send(done).is_err() {
                break; // the writer stopped: its error is reported below
            }
        }
        drop(done_tx);
        let read = reader.join().expect("reader thread panicked");
        let mut stats = writer.join().expect("writer thread panicked")?;
        stats.read = read;
        stats.seconds = started.elapsed().as_secs_f64();
        Ok(stats)
    })
}

fn finish(sinks: Sinks) -> std::io::Result<()> {
    sinks.kept.finish()?;
    if let Some(s) = sinks.removed {
        s.finish()?;
    }
    if let Some(s) = sinks.errors {
        s.finish()?;
    }
    Ok(())
}

impl Processed {
    fn outcome_kind(&self) -> stats::Kind {
        match self.outcome {
            Outcome::Kept(_) => stats::Kind::Kept,
            Outcome::Removed(_) => stats::Kind::Removed,
            Outcome::Skipped(_) => stats::Kind::Skipped,
            Outcome::Error(_) => stats::Kind::Error,
        }
    }
}
