//! Streaming readers and writers for tapis. The crate's one job: turn input
//! files into a stream of [`Item`]s (documents or per-record errors) without
//! ever losing a record silently, and write kept or removed documents back out
//! as JSONL (plain or zstd) or Parquet shards.
//!
//! Every record of the input comes out exactly once, either as an
//! [`Item::Doc`] or as an [`Item::Error`] naming the file and record, so a run
//! can prove that `read = documents + errors`. Bad input never panics: invalid
//! UTF-8 is repaired with U+FFFD and counted, a malformed line becomes an error
//! and reading goes on, a truncated compressed file yields every complete
//! record before the cut and then one error.

mod error;
mod read;
mod repair;
mod write;

pub use error::{ErrorKind, RecordError};
pub use read::{Inputs, read_inputs};
pub use tapis_document::{Document, Metadata, Origin};
pub use write::{
    Format, JsonlSink, OutputRecord, ShardLimits, ShardWriter, Summary, UnknownFormat,
};

/// Which fields of an input record hold the text and the id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// JSONL field or Parquet column holding the text (default `text`).
    pub text_field: String,
    /// JSONL field or Parquet column holding the id (default `id`).
    pub id_field: String,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_field: "text".to_string(),
            id_field: "id".to_string(),
        }
    }
}

/// One record of the input: a document, or the reason it could not be read.
#[derive(Clone, Debug)]
pub enum Item {
    Doc(Document),
    Error(RecordError),
}
