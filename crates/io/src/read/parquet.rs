//! Parquet: streamed by record batches; the text and id columns by name, every
//! other column carried as a metadata JSON value.

use std::fs::File;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use arrow::datatypes::{
    DataType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use serde_json::{Map, Number, Value};

use super::Source;
use super::jsonl::{Fields, Record};
use crate::error::{ErrorKind, RecordError};
use crate::{Item, ReadOptions, repair};

/// Rows per batch: web documents average a few kilobytes, so a batch stays
/// around a megabyte or two.
const BATCH_ROWS: usize = 256;

pub(crate) struct ParquetReader {
    batches: ParquetRecordBatchReader,
    file: Arc<str>,
    stem: String,
    opts: Arc<ReadOptions>,
    text_column: usize,
    /// Rows yielded (or failed) so far: the next row is `row + 1`.
    row: u64,
    batch: Option<Batch>,
    done: bool,
}

/// The current batch, its non-text columns already turned into JSON values.
struct Batch {
    text: ArrayRef,
    /// `(column name, values)` for every column but the text.
    columns: Vec<(String, std::vec::IntoIter<Value>)>,
    next: usize,
}

impl ParquetReader {
    pub(crate) fn new(
        file: File,
        source: Source,
        opts: &Arc<ReadOptions>,
    ) -> Result<Self, RecordError> {
        let whole_file =
            |kind, message: String| RecordError::new(source.file.clone(), 0, kind, message);
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| whole_file(ErrorKind::Parquet, e.to_string()))?;
        let schema = builder.schema().clone();
        let Some((text_column, field)) = schema.column_with_name(opts.content_field()) else {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            return Err(whole_file(
                ErrorKind::MissingTextField,
                format!(
                    "no column \"{}\" (columns: {})",
                    opts.content_field(),
                    names.join(", ")
                ),
            ));
        };
        if !is_text(field.data_type()) {
            return Err(whole_file(
                ErrorKind::TextFieldNotString,
                format!(
                    "column \"{}\" has type {}, not a string",
                    opts.content_field(),
                    field.data_type()
                ),
            ));
        }
        let batches = builder
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| whole_file(ErrorKind::Parquet, e.to_string()))?;
        Ok(ParquetReader {
            batches,
            file: source.file,
            stem: source.stem,
            opts: opts.clone(),
            text_column,
            row: 0,
            batch: None,
            done: false,
        })
    }

    fn load(&mut self, batch: RecordBatch) -> Batch {
        let schema = batch.schema();
        let mut text = batch.column(self.text_column).clone();
        if let DataType::Dictionary(_, values) = text.data_type()
            && let Ok(plain) = arrow::compute::cast(&text, values)
        {
            text = plain;
        }
        let columns = batch
            .columns()
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != self.text_column)
            .map(|(i, c)| {
                (
                    schema.field(i).name().clone(),
                    to_json(c.as_ref()).into_iter(),
                )
            })
            .collect();
        Batch {
            text,
            columns,
            next: 0,
        }
    }

    fn row(&mut self) -> Item {
        self.row += 1;
        let batch = self.batch.as_mut().expect("a batch is loaded");
        let i = batch.next;
        batch.next += 1;
        let mut object = Map::new();
        let mut nested = None;
        for (name, values) in &mut batch.columns {
            let value = values.next().unwrap_or(Value::Null);
            if name == "metadata" && self.opts.id_field != "metadata" {
                // Our own writer stores metadata as a JSON object in a string.
                let parsed = match &value {
                    Value::String(s) if s.starts_with('{') => serde_json::from_str::<Value>(s).ok(),
                    Value::Object(_) => Some(value.clone()),
                    _ => None,
                };
                if let Some(Value::Object(m)) = parsed {
                    nested = Some(m);
                    continue;
                }
            }
            object.insert(name.clone(), value);
        }
        let record = Record {
            file: &self.file,
            stem: &self.stem,
            number: self.row,
            opts: &self.opts,
        };
        let Some((text, repairs)) = text_at(batch.text.as_ref(), i) else {
            return Item::Error(RecordError::new(
                self.file.clone(),
                self.row,
                ErrorKind::MissingTextField,
                format!("null in column \"{}\"", self.opts.content_field()),
            ));
        };
        object.insert(self.opts.content_field().to_string(), Value::String(text));
        if let Some(m) = nested {
            object.insert("metadata".to_string(), Value::Object(m));
        }
        record.document(Fields::from_object(object, &self.opts), repairs)
    }
}

impl Iterator for ParquetReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if self.done {
                return None;
            }
            if let Some(batch) = &self.batch
                && batch.next < batch.text.len()
            {
                return Some(self.row());
            }
            self.batch = None;
            match self.batches.next() {
                None => self.done = true,
                Some(Ok(batch)) => self.batch = Some(self.load(batch)),
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Item::Error(RecordError::new(
                        self.file.clone(),
                        self.row + 1,
                        ErrorKind::Parquet,
                        format!("{e}; the rows before this one were read"),
                    )));
                }
            }
        }
    }
}

fn is_text(t: &DataType) -> bool {
    match t {
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView => true,
        DataType::Dictionary(_, values) => is_text(values),
        _ => false,
    }
}

/// The text of row `i`, with binary columns repaired as UTF-8; `None` if null.
fn text_at(array: &dyn Array, i: usize) -> Option<(String, u32)> {
    if array.is_null(i) {
        return None;
    }
    let own = |s: &str| Some((s.to_string(), 0));
    let bytes = |b: &[u8]| {
        let (s, n) = repair::utf8(b);
        Some((s.into_owned(), n))
    };
    if let Some(a) = array.as_string_opt::<i32>() {
        own(a.value(i))
    } else if let Some(a) = array.as_string_opt::<i64>() {
        own(a.value(i))
    } else if let Some(a) = array.as_string_view_opt() {
        own(a.value(i))
    } else if let Some(a) = array.as_binary_opt::<i32>() {
        bytes(a.value(i))
    } else if let Some(a) = array.as_binary_opt::<i64>() {
        bytes(a.value(i))
    } else if let Some(a) = array.as_binary_view_opt() {
        bytes(a.value(i))
    } else {
        None
    }
}

fn number(n: impl Into<Number>) -> Value {
    Value::Number(n.into())
}

fn float(f: f64) -> Value {
    // JSON has no NaN or infinity: keep them readable rather than null.
    Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
}

/// Every value of a column as JSON, column-wise so each array is downcast once.
fn to_json(array: &dyn Array) -> Vec<Value> {
    macro_rules! primitive {
        ($t:ty, $f:expr) => {
            array
                .as_primitive::<$t>()
                .values()
                .iter()
                .map(|v| $f(*v))
                .collect()
        };
    }
    let mut out: Vec<Value> = match array.data_type() {
        DataType::Null => vec![Value::Null; array.len()],
        DataType::Boolean => array
            .as_boolean()
            .iter()
            .map(|b| b.map_or(Value::Null, Value::Bool))
            .collect(),
        DataType::Int8 => primitive!(Int8Type, number),
        DataType::Int16 => primitive!(Int16Type, number),
        DataType::Int32 => primitive!(Int32Type, number),
        DataType::Int64 => primitive!(Int64Type, number),
        DataType::UInt8 => primitive!(UInt8Type, number),
        DataType::UInt16 => primitive!(UInt16Type, number),
        DataType::UInt32 => primitive!(UInt32Type, number),
        DataType::UInt64 => primitive!(UInt64Type, number),
        DataType::Float32 => primitive!(Float32Type, |f: f32| float(f as f64)),
        DataType::Float64 => primitive!(Float64Type, float),
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView => (0..array.len())
            .map(|i| text_at(array, i).map_or(Value::Null, |(s, _)| Value::String(s)))
            .collect(),
        DataType::List(_) => {
            let list = array.as_list::<i32>();
            lists(
                list.values().as_ref(),
                list.offsets().iter().map(|&o| o as usize),
            )
        }
        DataType::LargeList(_) => {
            let list = array.as_list::<i64>();
            lists(
                list.values().as_ref(),
                list.offsets().iter().map(|&o| o as usize),
            )
        }
        DataType::FixedSizeList(_, size) => {
            let list = array.as_fixed_size_list();
            let size = *size as usize;
            lists(list.values().as_ref(), (0..=list.len()).map(|i| i * size))
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            let mut children: Vec<_> = s
                .columns()
                .iter()
                .map(|c| to_json(c.as_ref()).into_iter())
                .collect();
            (0..s.len())
                .map(|_| {
                    let object = fields
                        .iter()
                        .zip(children.iter_mut())
                        .map(|(f, c)| (f.name().clone(), c.next().unwrap_or(Value::Null)))
                        .collect();
                    Value::Object(object)
                })
                .collect()
        }
        DataType::Map(_, _) => {
            let map = array.as_map();
            let offsets: Vec<usize> = map.offsets().iter().map(|&o| o as usize).collect();
            let first = offsets.first().copied().unwrap_or(0);
            let mut keys = to_json(map.keys().as_ref()).into_iter().skip(first);
            let mut values = to_json(map.values().as_ref()).into_iter().skip(first);
            offsets
                .windows(2)
                .map(|w| {
                    let object = (w[0]..w[1])
                        .map(|_| {
                            let k = match keys.next() {
                                Some(Value::String(s)) => s,
                                Some(other) => other.to_string(),
                                None => String::new(),
                            };
                            (k, values.next().unwrap_or(Value::Null))
                        })
                        .collect();
                    Value::Object(object)
                })
                .collect()
        }
        DataType::Dictionary(_, values) => match arrow::compute::cast(array, values) {
            Ok(plain) => to_json(plain.as_ref()),
            Err(_) => displayed(array),
        },
        _ => displayed(array),
    };
    if array.null_count() > 0 {
        for (i, v) in out.iter_mut().enumerate() {
            if array.is_null(i) {
                *v = Value::Null;
            }
        }
    }
    out
}

/// Rows of a list column: `offsets` has one more entry than there are rows.
fn lists(values: &dyn Array, offsets: impl Iterator<Item = usize>) -> Vec<Value> {
    let offsets: Vec<usize> = offsets.collect();
    let first = offsets.first().copied().unwrap_or(0);
    let mut items = to_json(values).into_iter().skip(first);
    offsets
        .windows(2)
        .map(|w| Value::Array(items.by_ref().take(w[1].saturating_sub(w[0])).collect()))
        .collect()
}

/// Types JSON has no form for (dates, decimals, ...) as their display text.
fn displayed(array: &dyn Array) -> Vec<Value> {
    match ArrayFormatter::try_new(array, &FormatOptions::default()) {
        Ok(f) => (0..array.len())
            .map(|i| Value::String(f.value(i).to_string()))
            .collect(),
        Err(_) => vec![Value::Null; array.len()],
    }
}
