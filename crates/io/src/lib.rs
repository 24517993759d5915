//! Streaming readers and writers for tapis. The crate's one job: turn input
//! files into a stream of [`Item`]s (documents, web pages to extract,
//! skipped records or per-record errors) without ever losing a record
//! silently, and write kept or removed documents back out as JSONL (plain or
//! zstd) or Parquet shards.
//!
//! Every record of the input comes out exactly once, as an [`Item::Doc`], an
//! [`Item::Page`] (HTML still to be extracted), an [`Item::Skipped`] (a WARC
//! record that holds no page: a request, a redirect, an image) or an
//! [`Item::Error`] naming the file and record, so a run can prove that
//! `read = documents + pages + skipped + errors`. Bad input never panics: invalid
//! UTF-8 is repaired with U+FFFD and counted, a malformed line becomes an error
//! and reading goes on, a truncated compressed file yields every complete
//! record before the cut and then one error.

mod error;
mod json_line;
mod read;
mod repair;
mod write;

pub use error::{ErrorKind, RecordError};
pub use read::SkipReason;
pub use read::{Inputs, read_inputs};
pub use tapis_document::{Document, Metadata, Origin, Page};
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
    /// JSONL field holding a page's HTML: a record with it becomes an
    /// [`Item::Page`] (its text field, if any, is then ignored). `None`
    /// reads every record as text.
    pub html_field: Option<String>,
    /// A WARC record longer than this is skipped and reported as an error
    /// instead of being held in memory (default 64 MiB).
    pub max_record_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_field: "text".to_string(),
            id_field: "id".to_string(),
            html_field: None,
            max_record_bytes: 64 << 20,
        }
    }
}

impl ReadOptions {
    /// The field read as a record's content: the HTML field when one is
    /// set, else the text field.
    pub fn content_field(&self) -> &str {
        self.html_field.as_deref().unwrap_or(&self.text_field)
    }
}

/// One record of the input.
#[derive(Clone, Debug)]
pub enum Item {
    /// A text document.
    Doc(Document),
    /// A web page whose main content is still to be extracted.
    Page(Page),
    /// A record that holds no page to extract, counted by reason.
    Skipped(Skipped),
    /// A record that could not be read.
    Error(RecordError),
}

/// A record read and deliberately not turned into a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub file: std::sync::Arc<str>,
    /// 1-based record number inside the file.
    pub record: u64,
    pub reason: SkipReason,
}
