//! Plain text: the whole file is one document, its id the file's stem.

use std::io::Read;

use tapis_document::{Document, Metadata, Origin};

use super::Source;
use crate::error::RecordError;
use crate::{Item, repair};

/// Reads the whole file (a document is held in memory anyway) as record 1.
pub(crate) fn read(mut reader: impl Read, source: &Source, compressed: bool) -> Item {
    let mut bytes = Vec::new();
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return Item::Error(RecordError::from_stream(
            source.file.clone(),
            1,
            compressed,
            &e,
        ));
    }
    let (text, utf8_repairs) = repair::utf8_owned(bytes);
    Item::Doc(Document {
        id: source.stem.clone(),
        text,
        metadata: Metadata::new(),
        origin: Origin {
            file: source.file.clone(),
            record: 1,
        },
        utf8_repairs,
        extracted: false,
    })
}
