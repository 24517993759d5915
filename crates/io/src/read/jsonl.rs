//! JSONL: one JSON object per line, read as bytes so that invalid UTF-8 is
//! repaired before parsing instead of failing the whole line.

use std::io::BufRead;
use std::sync::Arc;

use serde_json::Value;
use tapis_document::{Document, Metadata, Origin, Page};

use crate::error::{ErrorKind, RecordError};
use crate::{Item, ReadOptions, repair};

/// A line buffer grown past this by one huge record is released afterwards,
/// so a single 100 MB line does not pin 100 MB for the rest of the file.
const KEEP_BUFFER: usize = 16 << 20;

pub(crate) struct JsonlReader<R> {
    reader: R,
    file: Arc<str>,
    stem: String,
    compressed: bool,
    opts: Arc<ReadOptions>,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    pub(crate) fn new(
        reader: R,
        file: Arc<str>,
        stem: String,
        compressed: bool,
        opts: &Arc<ReadOptions>,
    ) -> Self {
        JsonlReader {
            reader,
            file,
            stem,
            compressed,
            opts: opts.clone(),
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            if self.buf.capacity() > KEEP_BUFFER {
                self.buf = Vec::new();
            }
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    let mut line = self.buf.as_slice();
                    line = line.strip_suffix(b"\n").unwrap_or(line);
                    line = line.strip_suffix(b"\r").unwrap_or(line);
                    if self.line == 1 {
                        line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                    }
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let record = Record {
                        file: &self.file,
                        stem: &self.stem,
                        number: self.line,
                        opts: &self.opts,
                    };
                    return Some(record.parse(line));
                }
                Err(e) => {
                    // Whatever was read of this line is part of the error:
                    // a partial record is never yielded as a document.
                    self.done = true;
                    self.line += 1;
                    return Some(Item::Error(RecordError::from_stream(
                        self.file.clone(),
                        self.line,
                        self.compressed,
                        &e,
                    )));
                }
            }
        }
        None
    }
}

/// Where a record sits, and the options to read it with.
pub(crate) struct Record<'a> {
    pub(crate) file: &'a Arc<str>,
    pub(crate) stem: &'a str,
    pub(crate) number: u64,
    pub(crate) opts: &'a ReadOptions,
}

impl Record<'_> {
    fn error(&self, kind: ErrorKind, message: impl Into<String>) -> Item {
        Item::Error(RecordError::new(
            self.file.clone(),
            self.number,
            kind,
            message,
        ))
    }

    /// One line, without its line break, to a document or an error.
    fn parse(&self, line: &[u8]) -> Item {
        let (text, mut repairs) = repair::utf8(line);
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                let relaxed = repair::relax_json(&text)
                    .and_then(|(fixed, n)| serde_json::from_str(&fixed).ok().map(|v| (v, n)));
                match relaxed {
                    Some((v, n)) => {
                        repairs = repairs.saturating_add(n);
                        v
                    }
                    None => {
                        let message = e.to_string().replace(" at line 1 column ", " at column ");
                        return self.error(ErrorKind::MalformedJson, message);
                    }
                }
            }
        };
        match value {
            Value::Object(object) => self.document(object, repairs),
            other => self.error(
                ErrorKind::NotAnObject,
                format!("expected a JSON object, found {}", json_type(&other)),
            ),
        }
    }

    /// A record's fields to a document: the text and id fields by name, the
    /// keys of a `metadata` object, then every other field as metadata (a
    /// key already taken by the `metadata` object keeps that value).
    ///
    /// With an HTML field set, that field is read instead and the record
    /// becomes a [`Page`] (declared UTF-8: it was a JSON string); a text
    /// field beside it is dropped, extraction writes the text.
    pub(crate) fn document(&self, object: Metadata, utf8_repairs: u32) -> Item {
        let field = self.opts.content_field();
        let mut text = None;
        let mut id = None;
        let mut nested = None;
        let mut rest = Vec::new();
        for (key, value) in object {
            if key == field {
                text = Some(value);
            } else if self.opts.html_field.is_some() && key == self.opts.text_field {
                continue;
            } else if key == self.opts.id_field {
                id = Some(value);
            } else if key == "metadata" && value.is_object() {
                let Value::Object(m) = value else {
                    unreachable!()
                };
                nested = Some(m);
            } else {
                rest.push((key, value));
            }
        }
        let text = match text {
            Some(Value::String(s)) => s,
            None => {
                return self.error(ErrorKind::MissingTextField, format!("no field \"{field}\""));
            }
            Some(other) => {
                return self.error(
                    ErrorKind::TextFieldNotString,
                    format!("field \"{field}\" is {}, not a string", json_type(&other)),
                );
            }
        };
        let mut metadata = nested.unwrap_or_default();
        for (key, value) in rest {
            metadata.entry(key).or_insert(value);
        }
        let origin = Origin {
            file: self.file.clone(),
            record: self.number,
        };
        if self.opts.html_field.is_some() {
            return Item::Page(Page {
                id: self.id(id),
                html: text.into_bytes(),
                declared_charset: Some("utf-8".into()),
                metadata,
                origin,
            });
        }
        Item::Doc(Document {
            id: self.id(id),
            text,
            metadata,
            origin,
            utf8_repairs,
            extracted: false,
        })
    }

    /// The id as a string: strings as they are, numbers and other values in
    /// their JSON form, and `{stem}/{record}` when absent or null.
    pub(crate) fn id(&self, id: Option<Value>) -> String {
        match id {
            Some(Value::String(s)) => s,
            None | Some(Value::Null) => format!("{}/{}", self.stem, self.number),
            Some(other) => other.to_string(),
        }
    }
}

pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
