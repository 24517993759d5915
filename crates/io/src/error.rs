//! Per-record errors: what went wrong, where, in words a person can act on.

use std::fmt;
use std::io;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// What kind of problem a [`RecordError`] reports. The snake_case names are
/// stable: they are written to `errors.jsonl` and counted in statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The path does not exist or cannot be opened or listed.
    UnreadablePath,
    /// The name ends in an extension no reader handles.
    UnsupportedExtension,
    /// A JSONL line is not valid JSON.
    MalformedJson,
    /// A JSONL line is valid JSON but not an object.
    NotAnObject,
    /// The record has no text field (or a null one in Parquet).
    MissingTextField,
    /// The text field holds something other than a string.
    TextFieldNotString,
    /// A `.gz` or `.zst` stream ends before its end marker.
    TruncatedCompressedStream,
    /// A `.gz` or `.zst` stream holds bytes its decoder rejects.
    CorruptCompressedStream,
    /// The Parquet file cannot be decoded.
    Parquet,
    /// A WARC record whose header cannot be parsed (no `WARC/` version
    /// line, no valid `Content-Length`), or that does not end where its
    /// `Content-Length` says. Reading resumes at the next record.
    MalformedWarcRecord,
    /// The file ends inside a record (fewer bytes than its `Content-Length`).
    TruncatedRecord,
    /// A record larger than the reader's limit; its bytes were skipped.
    RecordTooLarge,
    /// An HTTP payload whose `Content-Encoding` cannot be decoded.
    UndecodablePayload,
    /// Any other input/output failure while reading.
    Io,
}

impl ErrorKind {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::UnreadablePath => "unreadable_path",
            ErrorKind::UnsupportedExtension => "unsupported_extension",
            ErrorKind::MalformedJson => "malformed_json",
            ErrorKind::NotAnObject => "not_an_object",
            ErrorKind::MissingTextField => "missing_text_field",
            ErrorKind::TextFieldNotString => "text_field_not_string",
            ErrorKind::TruncatedCompressedStream => "truncated_compressed_stream",
            ErrorKind::CorruptCompressedStream => "corrupt_compressed_stream",
            ErrorKind::Parquet => "parquet",
            ErrorKind::MalformedWarcRecord => "malformed_warc_record",
            ErrorKind::TruncatedRecord => "truncated_record",
            ErrorKind::RecordTooLarge => "record_too_large",
            ErrorKind::UndecodablePayload => "undecodable_payload",
            ErrorKind::Io => "io",
        }
    }

    /// A short phrase for messages meant for people.
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::UnreadablePath => "unreadable path",
            ErrorKind::UnsupportedExtension => "unsupported extension",
            ErrorKind::MalformedJson => "malformed JSON",
            ErrorKind::NotAnObject => "not a JSON object",
            ErrorKind::MissingTextField => "missing text field",
            ErrorKind::TextFieldNotString => "text field not a string",
            ErrorKind::TruncatedCompressedStream => "truncated compressed stream",
            ErrorKind::CorruptCompressedStream => "corrupt compressed stream",
            ErrorKind::Parquet => "Parquet",
            ErrorKind::MalformedWarcRecord => "malformed WARC record",
            ErrorKind::TruncatedRecord => "truncated record",
            ErrorKind::RecordTooLarge => "record too large",
            ErrorKind::UndecodablePayload => "undecodable payload",
            ErrorKind::Io => "I/O error",
        }
    }

    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 14] = [
        ErrorKind::UnreadablePath,
        ErrorKind::UnsupportedExtension,
        ErrorKind::MalformedJson,
        ErrorKind::NotAnObject,
        ErrorKind::MissingTextField,
        ErrorKind::TextFieldNotString,
        ErrorKind::TruncatedCompressedStream,
        ErrorKind::CorruptCompressedStream,
        ErrorKind::Parquet,
        ErrorKind::MalformedWarcRecord,
        ErrorKind::TruncatedRecord,
        ErrorKind::RecordTooLarge,
        ErrorKind::UndecodablePayload,
        ErrorKind::Io,
    ];
}

/// Displays the stable snake_case name, so it can serve as a key.
impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record (or a whole file) that could not be read. Reading goes on after
/// it; together with the documents it accounts for every record of the input.
///
/// Serializes as `{"file", "record", "kind", "message"}`, one line of
/// `errors.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct RecordError {
    /// The path as given or found in a folder, or `-` for standard input.
    pub file: Arc<str>,
    /// 1-based record number (the line for JSONL, the row for Parquet);
    /// 0 when the error is about the file as a whole.
    pub record: u64,
    pub kind: ErrorKind,
    pub message: String,
}

impl RecordError {
    pub fn new(file: Arc<str>, record: u64, kind: ErrorKind, message: impl Into<String>) -> Self {
        RecordError {
            file,
            record,
            kind,
            message: message.into(),
        }
    }

    /// An error raised while pulling bytes from a (possibly compressed)
    /// stream, classified by what the decoder said.
    pub(crate) fn from_stream(
        file: Arc<str>,
        record: u64,
        compressed: bool,
        e: &io::Error,
    ) -> Self {
        let kind = match e.kind() {
            io::ErrorKind::UnexpectedEof if compressed => ErrorKind::TruncatedCompressedStream,
            // Decoders report bad data as errors without an OS error code.
            _ if compressed && e.raw_os_error().is_none() => ErrorKind::CorruptCompressedStream,
            _ => ErrorKind::Io,
        };
        let message = match kind {
            ErrorKind::TruncatedCompressedStream => {
                format!("stream ends early ({e}); the records before this one were read")
            }
            ErrorKind::CorruptCompressedStream => {
                format!("{e}; the records before this one were read")
            }
            _ => e.to_string(),
        };
        RecordError::new(file, record, kind, message)
    }
}

/// `file:record: kind: message`, or `file: kind: message` for a whole file.
impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.record == 0 {
            write!(f, "{}: {}: {}", self.file, self.kind.label(), self.message)
        } else {
            write!(
                f,
                "{}:{}: {}: {}",
                self.file,
                self.record,
                self.kind.label(),
                self.message
            )
        }
    }
}
