//! Writing: documents as `{"id", "text", "metadata"}` records, the shape
//! datatrove's and Dolma's JSONL readers take as is, into JSONL (plain or
//! zstd) or Parquet shards, or plain JSONL onto any stream.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use serde::Serialize;
use tapis_document::Metadata;

/// The on-disk format of a [`ShardWriter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `part-NNNNN.jsonl.zst`: JSONL in one zstd frame per shard.
    JsonlZst,
    /// `part-NNNNN.jsonl`.
    Jsonl,
    /// `part-NNNNN.parquet`: utf8 columns `id`, `text`, `metadata` (a JSON
    /// object), zstd-compressed.
    Parquet,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::JsonlZst, Format::Jsonl, Format::Parquet];

    /// The name on the command line, also the shard files' extension.
    pub fn name(self) -> &'static str {
        match self {
            Format::JsonlZst => "jsonl.zst",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is none of `jsonl.zst`, `jsonl`, `parquet`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown format \"{0}\": expected jsonl.zst, jsonl or parquet")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// One output record. Serializes as `{"id": .., "text": .., "metadata": {..}}`
/// in that order.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct OutputRecord<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub metadata: &'a Metadata,
}

/// What a [`ShardWriter`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records written over all shards.
    pub records: u64,
    /// Bytes on disk over all shards (compressed, footers included).
    pub bytes: u64,
    /// The shard files, in order.
    pub files: Vec<PathBuf>,
}

/// When a [`ShardWriter`] starts a new shard. Shards never split a record
/// and always hold at least one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardLimits {
    /// Records per shard.
    pub max_records: u64,
    /// Uncompressed bytes per shard (the JSONL line, or the three column
    /// values for Parquet).
    pub max_bytes: u64,
}

impl Default for ShardLimits {
    /// One GiB of uncompressed records per shard: few files, yet each small
    /// enough to move and to read in parallel.
    fn default() -> Self {
        ShardLimits {
            max_records: u64::MAX,
            max_bytes: 1 << 30,
        }
    }
}

/// Writes records into `DIR/part-00000.<ext>`, `part-00001.<ext>`, ...
///
/// The first shard is created by [`ShardWriter::create`], so an empty run
/// still leaves one valid, empty shard and a permission problem shows up
/// before any work is done. Call [`ShardWriter::finish`] to close the last
/// shard (zstd frame end, Parquet footer) and learn what was written; a
/// writer dropped without it still tries, but cannot report failure.
pub struct ShardWriter {
    dir: PathBuf,
    prefix: String,
    format: Format,
    limits: ShardLimits,
    shard: Option<Shard>,
    shard_records: u64,
    shard_bytes: u64,
    summary: Summary,
    line: Vec<u8>,
}

impl ShardWriter {
    /// Creates `dir` if needed and opens its first shard.
    pub fn create(dir: &Path, format: Format) -> io::Result<ShardWriter> {
        ShardWriter::with_limits(dir, format, ShardLimits::default())
    }

    pub fn with_limits(dir: &Path, format: Format, limits: ShardLimits) -> io::Result<ShardWriter> {
        ShardWriter::named(dir, "part", format, limits)
    }

    /// Shards named `PREFIX-00000.<ext>`, ..., so that a later stage can add
    /// its own shards to a folder an earlier one wrote.
    pub fn named(
        dir: &Path,
        prefix: &str,
        format: Format,
        limits: ShardLimits,
    ) -> io::Result<ShardWriter> {
        std::fs::create_dir_all(dir)?;
        let mut w = ShardWriter {
            dir: dir.to_path_buf(),
            prefix: prefix.to_string(),
            format,
            limits,
            shard: None,
            shard_records: 0,
            shard_bytes: 0,
            summary: Summary::default(),
            line: Vec::new(),
        };
        w.open_next()?;
        Ok(w)
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.summary.records
    }

    pub fn write(&mut self, record: &OutputRecord) -> io::Result<()> {
        if self.shard_records > 0
            && (self.shard_records >= self.limits.max_records
                || self.shard_bytes >= self.limits.max_bytes)
        {
            self.close_current()?;
            self.open_next()?;
        }
        let shard = self
            .shard
            .as_mut()
            .ok_or_else(|| io::Error::other("shard writer failed earlier"))?;
        let bytes = match shard {
            Shard::Jsonl(w) => write_line(w, &mut self.line, record)?,
            Shard::JsonlZst(w) => write_line(w, &mut self.line, record)?,
            Shard::Parquet(p) => p.write(record)?,
        };
        self.shard_records += 1;
        self.shard_bytes += bytes as u64;
        self.summary.records += 1;
        Ok(())
    }

    /// Closes the last shard and reports what was written.
    pub fn finish(mut self) -> io::Result<Summary> {
        self.close_current()?;
        let mut summary = std::mem::take(&mut self.summary);
        summary.bytes = 0;
        for f in &summary.files {
            summary.bytes += std::fs::metadata(f)?.len();
        }
        Ok(summary)
    }

    fn open_next(&mut self) -> io::Result<()> {
        let index = self.summary.files.len();
        let path = self
            .dir
            .join(format!("{}-{index:05}.{}", self.prefix, self.format.name()));
        let file = File::create(&path)?;
        self.shard = Some(match self.format {
            Format::Jsonl => Shard::Jsonl(BufWriter::with_capacity(1 << 20, file)),
            Format::JsonlZst => {
                let encoder = zstd::stream::write::Encoder::new(file, 3)?;
                Shard::JsonlZst(BufWriter::with_capacity(1 << 20, encoder))
            }
            Format::Parquet => Shard::Parquet(Box::new(ParquetShard::new(file)?)),
        });
        self.summary.files.push(path);
        self.shard_records = 0;
        self.shard_bytes = 0;
        Ok(())
    }

    fn close_current(&mut self) -> io::Result<()> {
        match self.shard.take() {
            None => Ok(()),
            Some(Shard::Jsonl(w)) => w.into_inner().map_err(|e| e.into_error())?.flush(),
            Some(Shard::JsonlZst(w)) => {
                let encoder = w.into_inner().map_err(|e| e.into_error())?;
                encoder.finish()?.flush()
            }
            Some(Shard::Parquet(p)) => p.close(),
        }
    }
}

impl Drop for ShardWriter {
    fn drop(&mut self) {
        let _ = self.close_current();
    }
}

enum Shard {
    Jsonl(BufWriter<File>),
    JsonlZst(BufWriter<zstd::stream::write::Encoder<'static, File>>),
    Parquet(Box<ParquetShard>),
}

/// Serializes into `line` first so the size is known for shard limits.
fn write_line(w: &mut impl Write, line: &mut Vec<u8>, record: &OutputRecord) -> io::Result<usize> {
    line.clear();
    crate::json_line::append_record(line, record)?;
    line.push(b'\n');
    w.write_all(line)?;
    Ok(line.len())
}

/// Rows buffered before they go to the Parquet writer as one batch.
const PARQUET_BATCH_ROWS: usize = 1024;
const PARQUET_BATCH_BYTES: usize = 16 << 20;
/// Row groups close at whichever comes first, which bounds the memory the
/// writer holds and lets readers stream group by group.
const PARQUET_ROW_GROUP_ROWS: usize = 64 * 1024;
const PARQUET_ROW_GROUP_BYTES: usize = 128 << 20;

struct ParquetShard {
    writer: ArrowWriter<File>,
    schema: SchemaRef,
    id: StringBuilder,
    text: StringBuilder,
    metadata: StringBuilder,
    rows: usize,
    bytes: usize,
    json: Vec<u8>,
}

fn parquet_error(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e)
}

impl ParquetShard {
    fn new(file: File) -> io::Result<ParquetShard> {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("text", DataType::Utf8, false),
            Field::new("metadata", DataType::Utf8, false),
        ]));
        // Texts and ids are nearly all distinct: dictionaries and min/max
        // statistics over them only cost space.
        let mut props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(
                ZstdLevel::try_new(3).map_err(parquet_error)?,
            ))
            .set_max_row_group_row_count(Some(PARQUET_ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(PARQUET_ROW_GROUP_BYTES));
        for column in ["id", "text"] {
            props = props.set_column_dictionary_enabled(ColumnPath::from(column), false);
        }
        for column in ["text", "metadata"] {
            props = props
                .set_column_statistics_enabled(ColumnPath::from(column), EnabledStatistics::None);
        }
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props.build()))
            .map_err(parquet_error)?;
        Ok(ParquetShard {
            writer,
            schema,
            id: StringBuilder::new(),
            text: StringBuilder::new(),
            metadata: StringBuilder::new(),
            rows: 0,
            bytes: 0,
            json: Vec::new(),
        })
    }

    fn write(&mut self, record: &OutputRecord) -> io::Result<usize> {
        self.json.clear();
        serde_json::to_writer(&mut self.json, record.metadata)?;
        let metadata = std::str::from_utf8(&self.json).map_err(io::Error::other)?;
        self.id.append_value(record.id);
        self.text.append_value(record.text);
        self.metadata.append_value(metadata);
        let bytes = record.id.len() + record.text.len() + metadata.len();
        self.rows += 1;
        self.bytes += bytes;
        if self.rows >= PARQUET_BATCH_ROWS || self.bytes >= PARQUET_BATCH_BYTES {
            self.flush_batch()?;
        }
        Ok(bytes)
    }

    fn flush_batch(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.text.finish()),
            Arc::new(self.metadata.finish()),
        ];
        let batch = RecordBatch::try_new(self.schema.clone(), columns).map_err(io::Error::other)?;
        self.writer.write(&batch).map_err(parquet_error)?;
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }

    fn close(mut self) -> io::Result<()> {
        self.flush_batch()?;
        self.writer.close().map_err(parquet_error)?;
        Ok(())
    }
}

/// Plain JSONL onto any stream, e.g. standard output in pipe mode. Wrap the
/// stream in a [`BufWriter`] unless it buffers already.
pub struct JsonlSink<W: Write> {
    out: W,
    line: Vec<u8>,
    records: u64,
}

impl<W: Write> JsonlSink<W> {
    pub fn new(out: W) -> JsonlSink<W> {
        JsonlSink {
            out,
            line: Vec::new(),
            records: 0,
        }
    }

    pub fn write(&mut self, record: &OutputRecord) -> io::Result<()> {
        self.line.clear();
        crate::json_line::append_record(&mut self.line, record)?;
        self.line.push(b'\n');
        self.out.write_all(&self.line)?;
        self.records += 1;
        Ok(())
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Flushes the stream.
    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flushes and hands the stream back.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
