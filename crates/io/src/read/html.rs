//! HTML files: the whole file is one page, its id the file's stem. The
//! bytes are kept as they are; the charset is found at extraction.

use std::io::Read;

use tapis_document::{Metadata, Origin, Page};

use super::Source;
use crate::Item;
use crate::error::{ErrorKind, RecordError};

/// Reads the whole file as record 1, up to `limit` bytes.
pub(crate) fn read(reader: impl Read, source: &Source, compressed: bool, limit: u64) -> Item {
    let mut html = Vec::new();
    match reader.take(limit + 1).read_to_end(&mut html) {
        Err(e) => Item::Error(RecordError::from_stream(
            source.file.clone(),
            1,
            compressed,
            &e,
        )),
        Ok(n) if n as u64 > limit => Item::Error(RecordError::new(
            source.file.clone(),
            1,
            ErrorKind::RecordTooLarge,
            format!("a page over the limit of {limit} bytes; skipped"),
        )),
        Ok(_) => Item::Page(Page {
            id: source.stem.clone(),
            html,
            declared_charset: None,
            metadata: Metadata::new(),
            origin: Origin {
                file: source.file.clone(),
                record: 1,
            },
        }),
    }
}
