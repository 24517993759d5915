//! Writing shards and streams, and reading them back unchanged.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;

use common::{Fixture, docs, errors, id_of, real_records, text_of};
use serde_json::{Map, Value, json};
use tapis_io::{
    Format, Item, JsonlSink, OutputRecord, ReadOptions, RecordError, ShardLimits, ShardWriter,
    read_inputs,
};

/// The metadata a record of the evaluation set carries once read.
fn metadata_of(record: &Map<String, Value>) -> Map<String, Value> {
    record
        .iter()
        .filter(|(k, _)| *k != "id" && *k != "text")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn write_all(
    dir: &Path,
    format: Format,
    limits: ShardLimits,
    records: &[Map<String, Value>],
) -> tapis_io::Summary {
    let mut w = ShardWriter::with_limits(dir, format, limits).unwrap();
    for r in records {
        let metadata = metadata_of(r);
        w.write(&OutputRecord {
            id: id_of(r),
            text: text_of(r),
            metadata: &metadata,
        })
        .unwrap();
    }
    assert_eq!(w.records(), records.len() as u64);
    w.finish().unwrap()
}

/// Reads `dir` back and checks every record came out unchanged, in order,
/// from the expected shard and row.
fn assert_round_trip(
    dir: &Path,
    format: Format,
    records: &[Map<String, Value>],
    per_shard: &[usize],
) {
    let items: Vec<Item> = read_inputs(&[dir.to_path_buf()], &ReadOptions::default()).collect();
    assert!(errors(&items).is_empty(), "{:?}", errors(&items));
    let docs = docs(&items);
    assert_eq!(docs.len(), records.len());
    let mut expected_origins = Vec::new();
    for (shard, &n) in per_shard.iter().enumerate() {
        for row in 1..=n {
            expected_origins.push((format!("part-{shard:05}.{format}"), row as u64));
        }
    }
    let origins: Vec<(String, u64)> = docs
        .iter()
        .map(|d| {
            let name = Path::new(d.origin.file.as_ref()).file_name().unwrap();
            (name.to_string_lossy().into_owned(), d.origin.record)
        })
        .collect();
    assert_eq!(origins, expected_origins);
    for (doc, record) in docs.iter().zip(records) {
        assert_eq!(doc.id, id_of(record));
        assert_eq!(doc.text, text_of(record));
        assert_eq!(doc.metadata, metadata_of(record));
        assert_eq!(doc.utf8_repairs, 0);
    }
}

#[test]
fn jsonl_zst_shards_round_trip() {
    let Some(records) = real_records(200) else {
        return;
    };
    let fx = Fixture::new();
    let dir = fx.path("kept");
    let limits = ShardLimits {
        max_records: 64,
        ..ShardLimits::default()
    };
    let summary = write_all(&dir, Format::JsonlZst, limits, &records);
    assert_eq!(summary.records, 200);
    let names: Vec<String> = summary
        .files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "part-00000.jsonl.zst",
            "part-00001.jsonl.zst",
            "part-00002.jsonl.zst",
            "part-00003.jsonl.zst"
        ]
    );
    let on_disk: u64 = summary
        .files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    assert_eq!(summary.bytes, on_disk);
    let raw: usize = records.iter().map(|r| text_of(r).len()).sum();
    assert!(
        (summary.bytes as usize) < raw / 2,
        "zstd compresses web text"
    );
    assert_round_trip(&dir, Format::JsonlZst, &records, &[64, 64, 64, 8]);

    // The records are `{"id", "text", "metadata"}` in that order.
    let first =
        zstd::stream::read::Decoder::new(std::fs::File::open(&summary.files[0]).unwrap()).unwrap();
    let line = BufReader::new(first).lines().next().unwrap().unwrap();
    let value: Map<String, Value> = serde_json::from_str(&line).unwrap();
    assert_eq!(value.keys().collect::<Vec<_>>(), ["id", "text", "metadata"]);
    assert!(line.starts_with(&format!("{{\"id\":{}", json!(id_of(&records[0])))));
}

#[test]
fn plain_jsonl_shards_round_trip_and_split_by_bytes() {
    let Some(records) = real_records(100) else {
        return;
    };
    let fx = Fixture::new();
    let dir = fx.path("out");
    let limits = ShardLimits {
        max_bytes: 100_000,
        ..ShardLimits::default()
    };
    let summary = write_all(&dir, Format::Jsonl, limits, &records);
    assert!(summary.files.len() > 2);
    // Each shard but the last went past the limit by its last record only.
    let mut per_shard = Vec::new();
    for (i, f) in summary.files.iter().enumerate() {
        let content = std::fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = content.lines().collect();
        per_shard.push(lines.len());
        if i + 1 < summary.files.len() {
            let without_last = content.len() - lines.last().unwrap().len() - 1;
            assert!(content.len() >= 100_000 && without_last < 100_000);
        }
    }
    assert_eq!(per_shard.iter().sum::<usize>(), 100);
    assert_round_trip(&dir, Format::Jsonl, &records, &per_shard);
}

#[test]
fn parquet_shards_round_trip() {
    let Some(records) = real_records(300) else {
        return;
    };
    let fx = Fixture::new();
    let dir = fx.path("kept");
    let limits = ShardLimits {
        max_records: 250,
        ..ShardLimits::default()
    };
    let summary = write_all(&dir, Format::Parquet, limits, &records);
    assert_eq!(summary.records, 300);
    assert_eq!(summary.files.len(), 2);
    assert_round_trip(&dir, Format::Parquet, &records, &[250, 50]);

    // Three utf8 columns, zstd-compressed, the metadata a JSON object.
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader =
        SerializedFileReader::new(std::fs::File::open(&summary.files[0]).unwrap()).unwrap();
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows(), 250);
    let schema = meta.file_metadata().schema_descr();
    let columns: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    assert_eq!(columns, ["id", "text", "metadata"]);
    for rg in meta.row_groups() {
        for c in rg.columns() {
            assert!(matches!(
                c.compression(),
                parquet::basic::Compression::ZSTD(_)
            ));
        }
    }
    let batches = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(&summary.files[1]).unwrap(),
    )
    .unwrap()
    .build()
    .unwrap();
    let batch = batches.into_iter().next().unwrap().unwrap();
    use arrow::array::AsArray;
    let metadata = batch.column(2).as_string::<i32>().value(0);
    let parsed: Map<String, Value> = serde_json::from_str(metadata).unwrap();
    assert_eq!(parsed, metadata_of(&records[250]));
}

#[test]
fn a_writer_dropped_without_finish_still_closes_its_shard() {
    let Some(records) = real_records(10) else {
        return;
    };
    for format in Format::ALL {
        let fx = Fixture::new();
        let dir = fx.path("dropped");
        {
            let mut w = ShardWriter::create(&dir, format).unwrap();
            for r in &records {
                let metadata = metadata_of(r);
                w.write(&OutputRecord {
                    id: id_of(r),
                    text: text_of(r),
                    metadata: &metadata,
                })
                .unwrap();
            }
        }
        assert_round_trip(&dir, format, &records, &[10]);
    }
}

#[test]
fn an_empty_writer_leaves_one_valid_empty_shard() {
    for format in Format::ALL {
        let fx = Fixture::new();
        let dir = fx.path("nothing/nested");
        let summary = ShardWriter::create(&dir, format).unwrap().finish().unwrap();
        assert_eq!(summary.records, 0);
        assert_eq!(summary.files, [dir.join(format!("part-00000.{format}"))]);
        let items: Vec<Item> =
            read_inputs(std::slice::from_ref(&dir), &ReadOptions::default()).collect();
        assert!(items.is_empty(), "{format}: {:?}", fx.outline(&items));
    }
}

#[test]
fn jsonl_sink_escapes_nul_and_reads_back() {
    let Some(records) = real_records(3) else {
        return;
    };
    let mut out = Vec::new();
    let mut sink = JsonlSink::new(&mut out);
    let mut texts = Vec::new();
    for r in &records {
        texts.push(format!("{}\0{}", &text_of(r)[..5], &text_of(r)[5..]));
    }
    for (r, text) in records.iter().zip(&texts) {
        let metadata = metadata_of(r);
        sink.write(&OutputRecord {
            id: id_of(r),
            text,
            metadata: &metadata,
        })
        .unwrap();
    }
    assert_eq!(sink.records(), 3);
    sink.finish().unwrap();
    assert!(!out.contains(&0), "NUL is escaped in JSON");
    assert!(out.windows(6).any(|w| w == b"\\u0000"));

    let fx = Fixture::new();
    fx.write("piped.jsonl", &out);
    let items = fx.read(&["piped.jsonl"]);
    let docs = docs(&items);
    assert_eq!(docs.len(), 3);
    for ((doc, record), text) in docs.iter().zip(&records).zip(&texts) {
        assert_eq!(doc.id, id_of(record));
        assert_eq!(&doc.text, text);
        assert_eq!(doc.metadata, metadata_of(record));
    }
}

#[test]
fn errors_write_to_jsonl_and_read_back() {
    let fx = Fixture::new();
    fx.write(
        "bad.jsonl",
        b"{\"id\": 1, \"text\": \"fine\"}\n{oops\n{\"id\": 3}\n",
    );
    let items: Vec<Item> = read_inputs(
        &[fx.path("bad.jsonl"), fx.path("gone.jsonl")],
        &ReadOptions::default(),
    )
    .collect();
    assert_eq!(
        fx.outline(&items),
        [
            "doc bad.jsonl:1 1",
            "err bad.jsonl:2 malformed_json",
            "err bad.jsonl:3 missing_text_field",
            "err gone.jsonl:0 unreadable_path",
        ]
    );
    let mut lines = Vec::new();
    for e in errors(&items) {
        serde_json::to_writer(&mut lines, e).unwrap();
        lines.push(b'\n');
    }
    let back: Vec<RecordError> = lines
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(
        back,
        errors(&items).into_iter().cloned().collect::<Vec<_>>()
    );
    let first: Value =
        serde_json::from_slice(lines.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["kind"], "malformed_json");
    assert_eq!(first["record"], 2);
    assert_eq!(
        first.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["file", "record", "kind", "message"]
    );
}

#[test]
fn formats_have_stable_names() {
    for (name, format) in [
        ("jsonl.zst", Format::JsonlZst),
        ("jsonl", Format::Jsonl),
        ("parquet", Format::Parquet),
    ] {
        assert_eq!(name.parse::<Format>().unwrap(), format);
        assert_eq!(format.to_string(), name);
    }
    let e = "csv".parse::<Format>().unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown format \"csv\": expected jsonl.zst, jsonl or parquet"
    );
}
