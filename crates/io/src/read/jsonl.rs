//! JSONL: one JSON object per line, read as bytes so that invalid UTF-8 is
//! repaired before parsing instead of failing the whole line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;
use std::sync::Arc;

use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
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
        let parsed = match self.fields_of(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                let relaxed = repair::relax_json(&text)
                    .and_then(|(fixed, n)| self.fields_of(&fixed).ok().map(|p| (p, n)));
                match relaxed {
                    Some((parsed, n)) => {
                        repairs = repairs.saturating_add(n);
                        parsed
                    }
                    None => {
                        let message = e.to_string().replace(" at line 1 column ", " at column ");
                        return self.error(ErrorKind::MalformedJson, message);
                    }
                }
            }
        };
        match parsed {
            Parsed::Object(fields) => self.document(fields, repairs),
            Parsed::Other(found) => self.error(
                ErrorKind::NotAnObject,
                format!("expected a JSON object, found {found}"),
            ),
        }
    }

    /// Parses one JSON value straight into the fields a document is made
    /// of, without first building the whole record as a map.
    fn fields_of(&self, json: &str) -> serde_json::Result<Parsed> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let parsed = FieldsSeed { opts: self.opts }.deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(parsed)
    }

    /// A record's fields to a document: the text and id fields by name, the
    /// keys of a `metadata` object, then every other field as metadata (a
    /// key already taken by the `metadata` object keeps that value).
    ///
    /// With an HTML field set, that field is read instead and the record
    /// becomes a [`Page`] (declared UTF-8: it was a JSON string); a text
    /// field beside it is dropped, extraction writes the text.
    pub(crate) fn document(&self, fields: Fields, utf8_repairs: u32) -> Item {
        let field = self.opts.content_field();
        let Fields {
            content,
            id,
            mut rest,
        } = fields;
        let text = match content {
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
        keep_last_of_each_key(&mut rest);
        let nested = rest
            .iter()
            .position(|(key, value)| key == "metadata" && value.is_object());
        let mut metadata = match nested.map(|i| rest.remove(i).1) {
            Some(Value::Object(m)) => m,
            _ => Metadata::new(),
        };
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

/// A record's fields, sorted as a document needs them: the content field
/// (text or HTML), the id, and every other field in the record's order.
#[derive(Default)]
pub(crate) struct Fields {
    content: Option<Value>,
    id: Option<Value>,
    rest: Vec<(String, Value)>,
}

/// Which of a document's parts a record's key holds.
enum Slot {
    Content,
    Id,
    /// The text field beside an HTML field: extraction writes the text.
    Dropped,
    Rest,
}

impl Fields {
    /// The fields of a record already read as a map (Parquet rows).
    pub(crate) fn from_object(object: Metadata, opts: &ReadOptions) -> Fields {
        let mut fields = Fields::default();
        for (key, value) in object {
            fields.put(slot(&key, opts), Cow::Owned(key), value);
        }
        fields
    }

    /// Files one field where `slot` says; a key given again replaces the
    /// content or the id (later duplicates of other keys are settled when
    /// the document is made).
    fn put(&mut self, slot: Slot, key: Cow<str>, value: Value) {
        match slot {
            Slot::Content => self.content = Some(value),
            Slot::Id => self.id = Some(value),
            Slot::Dropped => {}
            Slot::Rest => self.rest.push((key.into_owned(), value)),
        }
    }
}

fn slot(key: &str, opts: &ReadOptions) -> Slot {
    if key == opts.content_field() {
        Slot::Content
    } else if opts.html_field.is_some() && key == opts.text_field {
        Slot::Dropped
    } else if key == opts.id_field {
        Slot::Id
    } else {
        Slot::Rest
    }
}

/// A key given twice keeps its first place and its last value, as a JSON
/// object read into a map does. Records rarely repeat a key and usually
/// have few, which a scan settles; many keys go through a hash map, so a
/// record of a hundred thousand keys stays linear.
fn keep_last_of_each_key(rest: &mut Vec<(String, Value)>) {
    const SCAN_UP_TO: usize = 32;
    if rest.len() <= SCAN_UP_TO {
        let mut i = 1;
        while i < rest.len() {
            match rest[..i].iter().position(|(key, _)| *key == rest[i].0) {
                Some(first) => {
                    let (_, value) = rest.remove(i);
                    rest[first].1 = value;
                }
                None => i += 1,
            }
        }
        return;
    }
    let mut place: HashMap<String, usize> = HashMap::with_capacity(rest.len());
    let mut unique: Vec<(String, Value)> = Vec::with_capacity(rest.len());
    for (key, value) in rest.drain(..) {
        match place.get(&key) {
            Some(&first) => unique[first].1 = value,
            None => {
                place.insert(key.clone(), unique.len());
                unique.push((key, value));
            }
        }
    }
    *rest = unique;
}

/// A parsed line: an object's fields, or the kind of JSON value it was
/// instead.
enum Parsed {
    Object(Fields),
    Other(&'static str),
}

struct FieldsSeed<'o> {
    opts: &'o ReadOptions,
}

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = Parsed;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Parsed, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_> {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let mut fields = Fields::default();
        while let Some(Key(key)) = map.next_key()? {
            let slot = slot(&key, self.opts);
            if let Slot::Dropped = slot {
                // Not kept: skipped without building its value.
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            fields.put(slot, key, map.next_value()?);
        }
        Ok(Parsed::Object(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Parsed::Other("an array"))
    }

    fn visit_unit<E>(self) -> Result<Parsed, E> {
        Ok(Parsed::Other("null"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Parsed, E> {
        Ok(Parsed::Other("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Parsed, E> {
        Ok(Parsed::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Parsed, E> {
        Ok(Parsed::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Parsed, E> {
        Ok(Parsed::Other("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Parsed, E> {
        Ok(Parsed::Other("a string"))
    }
}

/// An object key, borrowed from the line when it holds no escape.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }

            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The document a line makes when it is first read whole into a map,
    /// where a repeated key keeps its first place and its last value.
    fn through_a_map(record: &Record, line: &str) -> Item {
        let Value::Object(object) = serde_json::from_str(line).unwrap() else {
            panic!("not an object: {line}")
        };
        record.document(Fields::from_object(object, record.opts), 0)
    }

    fn record<'a>(file: &'a Arc<str>, opts: &'a ReadOptions) -> Record<'a> {
        Record {
            file,
            stem: "f",
            number: 1,
            opts,
        }
    }

    fn summary(item: Item) -> String {
        match item {
            Item::Doc(d) => format!("doc {} {:?} {}", d.id, d.text, Value::Object(d.metadata)),
            Item::Page(p) => format!("page {} {}", p.id, Value::Object(p.metadata)),
            Item::Error(e) => format!("error {e}"),
            Item::Skipped(_) => "skipped".to_string(),
        }
    }

    #[test]
    fn fields_read_in_one_pass_match_the_record_read_as_a_map() {
        let file: Arc<str> = "f.jsonl".into();
        let lines = [
            r#"{"id":"a","text":"t","x":1,"y":[1,{"z":null}]}"#,
            r#"{"x":1,"text":"t","x":2,"id":3,"y":true,"x":3}"#,
            r#"{"text":"first","text":"last","id":null}"#,
            r#"{"metadata":{"lang":"es","x":0},"text":"t","x":1,"lang":"fr"}"#,
            r#"{"x":1,"metadata":{"x":2},"text":"t","metadata":{"y":3}}"#,
            r#"{"metadata":{"x":2},"text":"t","metadata":"not an object"}"#,
            r#"{"metadata":"no","text":"t","metadata":{"x":2}}"#,
            r#"{"te\u0078t":"escaped key","i\u0064":"e","k\"ey":"v"}"#,
            r#"{"text":5}"#,
            r#"{"id":"no text"}"#,
            r#"{"html":"<p>h</p>","text":"dropped","id":{"n":1}}"#,
        ];
        let plain = ReadOptions::default();
        let html = ReadOptions {
            html_field: Some("html".into()),
            ..ReadOptions::default()
        };
        for opts in [&plain, &html] {
            let record = record(&file, opts);
            for line in lines {
                assert_eq!(
                    summary(record.parse(line.as_bytes())),
                    summary(through_a_map(&record, line)),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn many_keys_repeated_keep_their_first_place_and_last_value() {
        let file: Arc<str> = "f.jsonl".into();
        let opts = ReadOptions::default();
        let record = record(&file, &opts);
        // 40 distinct keys, each given three times, the text in between.
        let mut fields: Vec<String> = Vec::new();
        for round in 0..3 {
            for k in 0..40 {
                fields.push(format!("\"k{k}\":{round}"));
            }
            if round == 1 {
                fields.push("\"text\":\"t\"".to_string());
            }
        }
        let line = format!("{{{}}}", fields.join(","));
        assert_eq!(
            summary(record.parse(line.as_bytes())),
            summary(through_a_map(&record, &line))
        );
        let Item::Doc(d) = record.parse(line.as_bytes()) else {
            panic!("not read")
        };
        assert_eq!(d.metadata.len(), 40);
        assert_eq!(d.metadata.keys().next().map(String::as_str), Some("k0"));
        assert!(d.metadata.values().all(|v| v == 2));
    }

    #[test]
    fn values_that_are_not_objects_are_named() {
        let file: Arc<str> = "f.jsonl".into();
        let opts = ReadOptions::default();
        let record = record(&file, &opts);
        for (line, found) in [
            ("[1,[2],{}]", "an array"),
            ("null", "null"),
            ("true", "a boolean"),
            ("-1.5e3", "a number"),
            (r#""s\n""#, "a string"),
        ] {
            let Item::Error(e) = record.parse(line.as_bytes()) else {
                panic!("{line} read as a document")
            };
            assert!(e.to_string().contains(&format!("found {found}")), "{e}");
        }
        let Item::Error(e) = record.parse(br#"{"text":"t"} {"#) else {
            panic!("trailing characters accepted")
        };
        assert!(e.to_string().contains("trailing characters"), "{e}");
    }
}
