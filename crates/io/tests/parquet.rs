//! Parquet files written by other tools: typed columns become metadata JSON
//! values, and damaged or unsuitable files become errors.

mod common;

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryArray, BooleanArray, Float64Array, Int64Array, ListBuilder, RecordBatch,
    StringArray, StringBuilder, StructArray,
};
use arrow::datatypes::{DataType, Field, Fields, Schema};
use common::{Fixture, docs, errors, real_records, text_of};
use parquet::arrow::ArrowWriter;
use serde_json::{Value, json};
use tapis_io::{ErrorKind, ReadOptions};

fn write_parquet(path: &std::path::Path, batches: &[RecordBatch]) {
    let file = std::fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, batches[0].schema(), None).unwrap();
    for b in batches {
        w.write(b).unwrap();
    }
    w.close().unwrap();
}

/// Five real pages in a file shaped like a crawl export: an integer id, the
/// text under another name (one row null), and typed metadata columns.
fn crawl_export(records: &[serde_json::Map<String, Value>]) -> RecordBatch {
    let n = records.len();
    let ids = Int64Array::from_iter_values((0..n as i64).map(|i| 1000 + i));
    let content =
        StringArray::from_iter((0..n).map(|i| (i != 2).then(|| text_of(&records[i]).to_string())));
    let url = StringArray::from_iter_values(records.iter().map(|r| r["url"].as_str().unwrap()));
    let score = Float64Array::from_iter((0..n).map(|i| (i != 1).then_some(i as f64 / 4.0)));
    let ok = BooleanArray::from_iter((0..n).map(|i| Some(i % 2 == 0)));
    let mut with = ListBuilder::new(StringBuilder::new());
    for r in records {
        for s in r["with"].as_array().unwrap().iter().take(2) {
            with.values().append_value(s.as_str().unwrap());
        }
        with.append(true);
    }
    let raw = BinaryArray::from_iter_values(
        (0..n).map(|i| if i == 3 { &b"ab\xFFcd"[..] } else { b"plain" }),
    );
    let origin = StructArray::from(vec![
        (
            Arc::new(Field::new("site", DataType::Utf8, false)),
            Arc::new(StringArray::from_iter_values(
                (0..n).map(|i| format!("site{i}")),
            )) as ArrayRef,
        ),
        (
            Arc::new(Field::new("depth", DataType::Int64, false)),
            Arc::new(Int64Array::from_iter_values((0..n as i64).map(|i| i * 2))) as ArrayRef,
        ),
    ]);
    let schema = Schema::new(vec![
        Field::new("doc_id", DataType::Int64, false),
        Field::new("url", DataType::Utf8, false),
        Field::new("content", DataType::Utf8, true),
        Field::new("score", DataType::Float64, true),
        Field::new("ok", DataType::Boolean, true),
        Field::new(
            "with",
            DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
            true,
        ),
        Field::new("raw", DataType::Binary, false),
        Field::new(
            "origin",
            DataType::Struct(Fields::from(vec![
                Field::new("site", DataType::Utf8, false),
                Field::new("depth", DataType::Int64, false),
            ])),
            false,
        ),
    ]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(ids),
        Arc::new(url),
        Arc::new(content),
        Arc::new(score),
        Arc::new(ok),
        Arc::new(with.finish()),
        Arc::new(raw),
        Arc::new(origin),
    ];
    RecordBatch::try_new(Arc::new(schema), columns).unwrap()
}

#[test]
fn typed_columns_become_metadata_and_a_null_text_is_an_error() {
    let Some(records) = real_records(5) else {
        return;
    };
    let fx = Fixture::new();
    let batch = crawl_export(&records);
    write_parquet(
        &fx.path("export.parquet"),
        &[batch.slice(0, 3), batch.slice(3, 2)],
    );
    let opts = ReadOptions {
        text_field: "content".into(),
        id_field: "doc_id".into(),
        ..ReadOptions::default()
    };
    let items = fx.read_with(&["export.parquet"], &opts);
    assert_eq!(
        fx.outline(&items),
        [
            "doc export.parquet:1 1000",
            "doc export.parquet:2 1001",
            "err export.parquet:3 missing_text_field",
            "doc export.parquet:4 1003",
            "doc export.parquet:5 1004",
        ]
    );
    let docs = docs(&items);
    for (doc, i) in docs.iter().zip([0, 1, 3, 4]) {
        assert_eq!(doc.text, text_of(&records[i]));
        let with: Vec<Value> = records[i]["with"]
            .as_array()
            .unwrap()
            .iter()
            .take(2)
            .cloned()
            .collect();
        let keys: Vec<&str> = doc.metadata.keys().map(String::as_str).collect();
        assert_eq!(keys, ["url", "score", "ok", "with", "raw", "origin"]);
        assert_eq!(doc.metadata["url"], records[i]["url"]);
        assert_eq!(doc.metadata["with"], Value::Array(with));
        assert_eq!(doc.metadata["ok"], json!(i % 2 == 0));
        assert_eq!(
            doc.metadata["origin"],
            json!({"site": format!("site{i}"), "depth": i * 2})
        );
    }
    assert_eq!(docs[0].metadata["score"], json!(0.0));
    assert_eq!(docs[1].metadata["score"], Value::Null);
    assert_eq!(docs[3].metadata["score"], json!(1.0));
    assert_eq!(docs[2].metadata["raw"], json!("ab\u{FFFD}cd"));
    let e = errors(&items)[0];
    assert_eq!(e.message, "null in column \"content\"");
}

#[test]
fn binary_text_is_repaired_and_missing_ids_are_generated() {
    let fx = Fixture::new();
    let schema = Arc::new(Schema::new(vec![Field::new(
        "text",
        DataType::Binary,
        false,
    )]));
    let text = BinaryArray::from_iter_values([&b"caf\xE9 au lait"[..], b"fine"]);
    let batch = RecordBatch::try_new(schema, vec![Arc::new(text)]).unwrap();
    write_parquet(&fx.path("latin1.parquet"), &[batch]);
    let items = fx.read(&["latin1.parquet"]);
    assert_eq!(
        fx.outline(&items),
        [
            "doc latin1.parquet:1 latin1/1",
            "doc latin1.parquet:2 latin1/2"
        ]
    );
    let docs = docs(&items);
    assert_eq!(docs[0].text, "caf\u{FFFD} au lait");
    assert_eq!(docs[0].utf8_repairs, 1);
    assert_eq!(docs[1].utf8_repairs, 0);
    assert!(docs[0].metadata.is_empty());
}

#[test]
fn unsuitable_or_damaged_parquet_files_are_whole_file_errors() {
    let Some(records) = real_records(5) else {
        return;
    };
    let fx = Fixture::new();
    let batch = crawl_export(&records);
    write_parquet(&fx.path("export.parquet"), &[batch]);
    let full = std::fs::read(fx.path("export.parquet")).unwrap();
    fx.write("cut.parquet", &full[..full.len() / 2]);
    fx.write("fake.parquet", b"{\"text\": \"this is JSON\"}\n");

    let items = fx.read(&["export.parquet", "cut.parquet", "fake.parquet"]);
    assert_eq!(
        fx.outline(&items),
        [
            "err export.parquet:0 missing_text_field",
            "err cut.parquet:0 parquet",
            "err fake.parquet:0 parquet",
        ]
    );
    let e = errors(&items)[0];
    assert!(
        e.message
            .starts_with("no column \"text\" (columns: doc_id, url, content,"),
        "{}",
        e.message
    );

    let opts = ReadOptions {
        text_field: "score".into(),
        ..ReadOptions::default()
    };
    let items = fx.read_with(&["export.parquet"], &opts);
    assert_eq!(errors(&items).len(), 1);
    assert_eq!(errors(&items)[0].kind, ErrorKind::TextFieldNotString);
    assert_eq!(
        errors(&items)[0].message,
        "column \"score\" has type Float64, not a string"
    );
}
