//! Reading real and damaged inputs: every case asserts exactly which
//! documents and which errors come out, so read = documents + errors holds
//! per fixture.

mod common;

use std::io::Read;

use common::{
    Fixture, doc_lines, docs, errors, gzip, id_of, jsonl, real_records, shared, text_of, zstd,
};
use serde_json::{Value, json};
use tapis_io::{ErrorKind, Item, ReadOptions, RecordError, read_inputs};

#[test]
fn plain_jsonl_of_real_records_reads_every_field() {
    let Some(records) = real_records(50) else {
        return;
    };
    let fx = Fixture::new();
    fx.write("pages.jsonl", &jsonl(&records));
    let items = fx.read(&["pages.jsonl"]);
    assert_eq!(fx.outline(&items), doc_lines("pages.jsonl", &records, 1));
    for (doc, record) in docs(&items).iter().zip(&records) {
        assert_eq!(doc.text, text_of(record));
        assert_eq!(doc.utf8_repairs, 0);
        // Every field but text and id is metadata, in input order.
        let keys: Vec<&str> = doc.metadata.keys().map(String::as_str).collect();
        assert_eq!(keys, ["url", "with", "without"]);
        assert_eq!(doc.metadata["url"], record["url"]);
        assert_eq!(doc.metadata["with"], record["with"]);
    }
}

#[test]
fn json_and_ndjson_extensions_read_as_jsonl() {
    let Some(records) = real_records(4) else {
        return;
    };
    let fx = Fixture::new();
    fx.write("a.json", &jsonl(&records[..2]));
    fx.write("b.NDJSON", &jsonl(&records[2..]));
    let items = fx.read(&["a.json", "b.NDJSON"]);
    let mut expected = doc_lines("a.json", &records[..2], 1);
    expected.extend(doc_lines("b.NDJSON", &records[2..], 1));
    assert_eq!(fx.outline(&items), expected);
}

#[test]
fn invalid_utf8_is_repaired_and_counted_before_parsing() {
    let Some(records) = real_records(3) else {
        return;
    };
    let fx = Fixture::new();
    // Break the middle record's bytes: a stray 0xFF at the start of the
    // text, a cut-off three-byte sequence inside it, and a lone continuation
    // byte in a metadata value. Each becomes one U+FFFD.
    let line = serde_json::to_string(&records[1]).unwrap();
    let url_at = line.find("hard::").unwrap() + 2;
    let text_at = line.find("\"text\":\"").unwrap() + 8;
    let space_at = text_at
        + 20
        + line.as_bytes()[text_at + 20..]
            .iter()
            .position(|&b| b == b' ')
            .unwrap();
    let mut broken = line.as_bytes().to_vec();
    let mut expected = line.clone();
    for (at, bad) in [
        (space_at, &b"\xE2\x82"[..]),
        (text_at, b"\xFF"),
        (url_at, b"\x80"),
    ] {
        broken.splice(at..at, bad.iter().copied());
        expected.insert(at, '\u{FFFD}');
    }
    let expected: serde_json::Map<String, Value> = serde_json::from_str(&expected).unwrap();
    let mut bytes = jsonl(&records[..1]);
    bytes.extend_from_slice(&broken);
    bytes.push(b'\n');
    bytes.extend(jsonl(&records[2..]));
    fx.write("broken.jsonl", &bytes);

    let items = fx.read(&["broken.jsonl"]);
    assert_eq!(fx.outline(&items), doc_lines("broken.jsonl", &records, 1));
    let docs = docs(&items);
    assert_eq!(docs[0].utf8_repairs, 0);
    assert_eq!(docs[2].utf8_repairs, 0);
    let repaired = docs[1];
    assert_eq!(repaired.utf8_repairs, 3);
    assert_eq!(repaired.text, text_of(&expected));
    assert_eq!(repaired.text.matches('\u{FFFD}').count(), 2);
    assert_eq!(repaired.text.replace('\u{FFFD}', ""), text_of(&records[1]));
    assert_eq!(repaired.metadata["url"], expected["url"]);
    assert!(
        expected["url"]
            .as_str()
            .unwrap()
            .starts_with("ha\u{FFFD}rd::")
    );
}

#[test]
fn malformed_json_lines_become_errors_and_reading_goes_on() {
    let Some(records) = real_records(3) else {
        return;
    };
    let fx = Fixture::new();
    let mut bytes = jsonl(&records[..1]);
    bytes.extend_from_slice(b"{\"id\": \"cut\", \"text\": \"the line ends inside a string\n");
    bytes.extend(jsonl(&records[1..2]));
    bytes.extend_from_slice(b"<html>not json at all</html>\n");
    bytes.extend_from_slice(b"{\"id\": \"trailing\", \"text\": \"x\"} garbage\n");
    bytes.extend(jsonl(&records[2..]));
    fx.write("mixed.jsonl", &bytes);

    let items = fx.read(&["mixed.jsonl"]);
    assert_eq!(
        fx.outline(&items),
        [
            format!("doc mixed.jsonl:1 {}", id_of(&records[0])),
            "err mixed.jsonl:2 malformed_json".to_string(),
            format!("doc mixed.jsonl:3 {}", id_of(&records[1])),
            "err mixed.jsonl:4 malformed_json".to_string(),
            "err mixed.jsonl:5 malformed_json".to_string(),
            format!("doc mixed.jsonl:6 {}", id_of(&records[2])),
        ]
    );
    let errs = errors(&items);
    assert_eq!(errs[1].message, "expected value at column 1");
    assert_eq!(
        errs[1].to_string(),
        format!(
            "{}:4: malformed JSON: expected value at column 1",
            errs[1].file
        )
    );
    assert!(
        errs[0].message.contains("EOF while parsing a string"),
        "{}",
        errs[0].message
    );
    assert!(
        errs[2].message.contains("trailing characters"),
        "{}",
        errs[2].message
    );
}

#[test]
fn missing_or_non_string_text_and_non_objects_are_errors_and_blank_lines_are_skipped() {
    let Some(records) = real_records(2) else {
        return;
    };
    let fx = Fixture::new();
    let mut bytes = jsonl(&records[..1]);
    let body = text_of(&records[1]);
    for line in [
        json!({"id": "no-text", "body": body}).to_string(),
        json!({"id": "number-text", "text": 42}).to_string(),
        json!({"id": "null-text", "text": null}).to_string(),
        json!({"id": "list-text", "text": [body]}).to_string(),
        String::new(),
        "  \t \r".to_string(),
        json!([body]).to_string(),
        json!(body).to_string(),
    ] {
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
    }
    bytes.extend(jsonl(&records[1..]));
    fx.write("fields.jsonl", &bytes);

    let items = fx.read(&["fields.jsonl"]);
    assert_eq!(
        fx.outline(&items),
        [
            format!("doc fields.jsonl:1 {}", id_of(&records[0])),
            "err fields.jsonl:2 missing_text_field".to_string(),
            "err fields.jsonl:3 text_field_not_string".to_string(),
            "err fields.jsonl:4 text_field_not_string".to_string(),
            "err fields.jsonl:5 text_field_not_string".to_string(),
            "err fields.jsonl:8 not_an_object".to_string(),
            "err fields.jsonl:9 not_an_object".to_string(),
            format!("doc fields.jsonl:10 {}", id_of(&records[1])),
        ]
    );
    let errs = errors(&items);
    assert_eq!(errs[0].message, "no field \"text\"");
    assert_eq!(errs[1].message, "field \"text\" is a number, not a string");
    assert_eq!(errs[2].message, "field \"text\" is null, not a string");
    assert_eq!(errs[4].message, "expected a JSON object, found an array");
}

#[test]
fn ids_and_metadata_follow_the_record_shape() {
    let Some(records) = real_records(1) else {
        return;
    };
    let text = text_of(&records[0]);
    let fx = Fixture::new();
    let lines = [
        json!({"text": text, "url": "u1"}),
        json!({"id": 12345, "text": text}),
        json!({"id": null, "text": text}),
        json!({"id": "d", "text": text, "source": "web", "metadata": {"lang": "es", "source": "nested"}}),
        json!({"id": "e", "text": text, "metadata": "not an object"}),
    ];
    let bytes: Vec<u8> = lines
        .iter()
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect();
    fx.write("sub/shapes.jsonl.gz", &gzip(&bytes));

    let items = fx.read(&["sub/shapes.jsonl.gz"]);
    assert_eq!(
        fx.outline(&items),
        [
            "doc sub/shapes.jsonl.gz:1 shapes/1",
            "doc sub/shapes.jsonl.gz:2 12345",
            "doc sub/shapes.jsonl.gz:3 shapes/3",
            "doc sub/shapes.jsonl.gz:4 d",
            "doc sub/shapes.jsonl.gz:5 e",
        ]
    );
    let docs = docs(&items);
    assert_eq!(
        Value::Object(docs[0].metadata.clone()),
        json!({"url": "u1"})
    );
    assert!(docs[1].metadata.is_empty());
    // The metadata object's keys come first and win over top-level fields.
    assert_eq!(
        Value::Object(docs[3].metadata.clone()),
        json!({"lang": "es", "source": "nested"})
    );
    assert_eq!(
        Value::Object(docs[4].metadata.clone()),
        json!({"metadata": "not an object"})
    );
    assert!(docs.iter().all(|d| d.text == text));
}

#[test]
fn text_and_id_fields_are_chosen_by_the_options() {
    let Some(records) = real_records(2) else {
        return;
    };
    let fx = Fixture::new();
    let lines: Vec<Value> = records
        .iter()
        .enumerate()
        .map(|(i, r)| json!({"doc_id": i, "content": r["text"], "text": "not this one"}))
        .collect();
    let bytes: Vec<u8> = lines
        .iter()
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect();
    fx.write("custom.jsonl", &bytes);
    let opts = ReadOptions {
        text_field: "content".into(),
        id_field: "doc_id".into(),
        ..ReadOptions::default()
    };
    let items = fx.read_with(&["custom.jsonl"], &opts);
    assert_eq!(
        fx.outline(&items),
        ["doc custom.jsonl:1 0", "doc custom.jsonl:2 1"]
    );
    let docs = docs(&items);
    assert_eq!(docs[1].text, text_of(&records[1]));
    assert_eq!(docs[1].metadata["text"], "not this one");
}

/// What a decoder yields from a damaged stream before it fails.
fn readable_prefix(mut r: impl Read) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// Cuts a real compressed file in the middle and checks that exactly the
/// complete records before the cut come out, then one error.
fn check_truncated(name: &str, compress: fn(&[u8]) -> Vec<u8>, prefix: fn(&[u8]) -> Vec<u8>) {
    let Some(records) = real_records(40) else {
        return;
    };
    let full = compress(&jsonl(&records));
    let cut = &full[..full.len() / 2];
    let complete = prefix(cut).iter().filter(|&&b| b == b'\n').count();
    assert!(
        complete > 0 && complete < records.len(),
        "the cut falls mid-file"
    );

    let fx = Fixture::new();
    fx.write(name, cut);
    let items = fx.read(&[name]);
    let mut expected = doc_lines(name, &records[..complete], 1);
    expected.push(format!(
        "err {name}:{} truncated_compressed_stream",
        complete + 1
    ));
    assert_eq!(fx.outline(&items), expected);
    for (doc, record) in docs(&items).iter().zip(&records) {
        assert_eq!(doc.text, text_of(record));
    }
    let e = errors(&items)[0];
    assert!(e.message.contains("stream ends early"), "{}", e.message);
}

#[test]
fn truncated_gzip_yields_complete_records_then_one_error() {
    check_truncated("cut.jsonl.gz", gzip, |b| {
        readable_prefix(flate2::read::MultiGzDecoder::new(b))
    });
}

#[test]
fn truncated_zstd_yields_complete_records_then_one_error() {
    check_truncated("cut.jsonl.zst", zstd, |b| {
        readable_prefix(zstd::stream::read::Decoder::new(b).unwrap())
    });
}

#[test]
fn corrupt_compressed_streams_are_reported_as_corrupt() {
    let Some(records) = real_records(40) else {
        return;
    };
    let fx = Fixture::new();
    // Not compressed at all, though named so.
    fx.write("plain.jsonl.gz", &jsonl(&records[..2]));
    fx.write("plain.jsonl.zst", &jsonl(&records[..2]));
    // A real stream with a run of bytes overwritten in the middle.
    let mut damaged = zstd(&jsonl(&records));
    let mid = damaged.len() / 2;
    damaged[mid..mid + 64].fill(0xA5);
    fx.write("damaged.jsonl.zst", &damaged);

    let items = fx.read(&["plain.jsonl.gz", "plain.jsonl.zst", "damaged.jsonl.zst"]);
    // A decoder drops what it decoded in the call that meets corrupt data,
    // so how many records precede the error depends on buffer sizes; what
    // must hold is: a prefix of complete, unchanged records, then one error
    // at the next record, and nothing after.
    let outline = fx.outline(&items);
    let complete = outline.len() - 3;
    assert!(complete > 0 && complete < records.len(), "{outline:?}");
    let mut expected = vec![
        "err plain.jsonl.gz:1 corrupt_compressed_stream".to_string(),
        "err plain.jsonl.zst:1 corrupt_compressed_stream".to_string(),
    ];
    expected.extend(doc_lines("damaged.jsonl.zst", &records[..complete], 1));
    expected.push(format!(
        "err damaged.jsonl.zst:{} corrupt_compressed_stream",
        complete + 1
    ));
    assert_eq!(outline, expected);
    for (doc, record) in docs(&items).iter().zip(&records) {
        assert_eq!(doc.text, text_of(record));
    }
}

#[test]
fn concatenated_gzip_members_are_read_fully() {
    let Some(records) = real_records(30) else {
        return;
    };
    let fx = Fixture::new();
    let mut bytes = gzip(&jsonl(&records[..10]));
    bytes.extend(gzip(&jsonl(&records[10..25])));
    bytes.extend(gzip(&jsonl(&records[25..])));
    fx.write("members.jsonl.gz", &bytes);
    let mut zst = zstd(&jsonl(&records[..10]));
    zst.extend(zstd(&jsonl(&records[10..])));
    fx.write("frames.jsonl.zst", &zst);

    let items = fx.read(&["members.jsonl.gz", "frames.jsonl.zst"]);
    let mut expected = doc_lines("members.jsonl.gz", &records, 1);
    expected.extend(doc_lines("frames.jsonl.zst", &records, 1));
    assert_eq!(fx.outline(&items), expected);
}

#[test]
fn empty_documents_are_documents() {
    let fx = Fixture::new();
    fx.write(
        "empty.jsonl",
        b"{\"id\": \"e\", \"text\": \"\"}\n{\"id\": \"f\", \"text\": \"\", \"lang\": \"fr\"}",
    );
    fx.write("empty.txt", b"");
    fx.write("nothing.jsonl", b"");
    fx.write("nothing.jsonl.zst", &zstd(b""));
    fx.write("nothing.jsonl.gz", &gzip(b""));
    fx.write("zero-bytes.jsonl.gz", b"");
    fx.write("zero-bytes.jsonl.zst", b"");
    let items = fx.read(&[
        "empty.jsonl",
        "empty.txt",
        "nothing.jsonl",
        "nothing.jsonl.zst",
        "nothing.jsonl.gz",
        "zero-bytes.jsonl.gz",
        "zero-bytes.jsonl.zst",
    ]);
    // A zero-byte file is not an empty compressed stream (that has a header
    // and an end marker) but one cut before its first byte.
    assert_eq!(
        fx.outline(&items),
        [
            "doc empty.jsonl:1 e",
            "doc empty.jsonl:2 f",
            "doc empty.txt:1 empty",
            "err zero-bytes.jsonl.gz:1 truncated_compressed_stream",
            "err zero-bytes.jsonl.zst:1 truncated_compressed_stream",
        ]
    );
    assert!(docs(&items).iter().all(|d| d.text.is_empty()));
}

#[test]
fn a_100_mb_single_line_is_read_whole() {
    let Some(seed) = shared("seed/000_c7507cca9c270131.txt") else {
        return;
    };
    let seed = std::fs::read_to_string(seed).unwrap();
    let target = 100 << 20;
    let text = seed.repeat(target / seed.len() + 1);
    let fx = Fixture::new();
    let mut line = serde_json::to_vec(&json!({"id": "huge", "text": text})).unwrap();
    assert!(line.len() > target);
    line.extend_from_slice(b"\n{\"id\": \"after\", \"text\": \"small\"}\n");
    fx.write("huge.jsonl", &line);
    drop(line);

    let items = fx.read(&["huge.jsonl"]);
    assert_eq!(
        fx.outline(&items),
        ["doc huge.jsonl:1 huge", "doc huge.jsonl:2 after"]
    );
    let docs = docs(&items);
    assert_eq!(docs[0].text.len(), text.len());
    assert!(docs[0].text == text);
    assert_eq!(docs[1].text, "small");
}

#[test]
fn nul_bytes_and_raw_control_characters_are_kept() {
    let Some(records) = real_records(1) else {
        return;
    };
    let text = text_of(&records[0]);
    let with_nul = format!("{}\0{}", &text[..20], &text[20..]);
    let fx = Fixture::new();
    let mut bytes = serde_json::to_vec(&json!({"id": "escaped", "text": with_nul})).unwrap();
    bytes.push(b'\n');
    // Raw NUL and tab inside a string are not strict JSON but lose nothing.
    bytes.extend_from_slice(b"{\"id\": \"raw\",\t\"text\": \"a\0b\tc\"}\n");
    fx.write("nul.jsonl", &bytes);
    fx.write("nul.txt", with_nul.as_bytes());

    let items = fx.read(&["nul.jsonl", "nul.txt"]);
    assert_eq!(
        fx.outline(&items),
        [
            "doc nul.jsonl:1 escaped",
            "doc nul.jsonl:2 raw",
            "doc nul.txt:1 nul"
        ]
    );
    let docs = docs(&items);
    assert_eq!(docs[0].text, with_nul);
    assert_eq!(docs[1].text, "a\0b\tc");
    assert_eq!(docs[1].utf8_repairs, 0);
    assert_eq!(docs[2].text, with_nul);
}

#[test]
fn lone_surrogate_escapes_are_repaired() {
    let fx = Fixture::new();
    fx.write(
        "surrogates.jsonl",
        b"{\"id\": \"s\", \"text\": \"smile \\ud83d\\ude00, lone \\ud83d and \\udc00.\"}\n",
    );
    let items = fx.read(&["surrogates.jsonl"]);
    assert_eq!(fx.outline(&items), ["doc surrogates.jsonl:1 s"]);
    let doc = docs(&items)[0];
    assert_eq!(doc.text, "smile \u{1F600}, lone \u{FFFD} and \u{FFFD}.");
    assert_eq!(doc.utf8_repairs, 2);
}

#[test]
fn crlf_lines_and_a_byte_order_mark_are_read() {
    let fx = Fixture::new();
    fx.write(
        "windows.jsonl",
        b"\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"one\"}\r\n\r\n{\"id\": \"b\", \"text\": \"two\"}\r\n",
    );
    let items = fx.read(&["windows.jsonl"]);
    assert_eq!(
        fx.outline(&items),
        ["doc windows.jsonl:1 a", "doc windows.jsonl:3 b"]
    );
    assert_eq!(docs(&items)[1].text, "two");
}

#[test]
fn unreadable_paths_are_errors_and_reading_goes_on() {
    let Some(records) = real_records(2) else {
        return;
    };
    let fx = Fixture::new();
    fx.write("good.jsonl", &jsonl(&records));
    fx.write("notes.md", b"# not an input");
    let items = fx.read(&["missing.jsonl", "good.jsonl", "missing-folder", "notes.md"]);
    let mut expected = vec!["err missing.jsonl:0 unreadable_path".to_string()];
    expected.extend(doc_lines("good.jsonl", &records, 1));
    expected.push("err missing-folder:0 unreadable_path".to_string());
    expected.push("err notes.md:0 unsupported_extension".to_string());
    assert_eq!(fx.outline(&items), expected);
    let e = errors(&items)[0];
    assert!(e.message.contains("No such file"), "{}", e.message);
    assert_eq!(
        e.to_string(),
        format!("{}: unreadable path: {}", e.file, e.message)
    );
}

#[test]
fn folders_are_walked_in_path_order_with_ids_unique_across_subfolders() {
    let Some(records) = real_records(6) else {
        return;
    };
    let fx = Fixture::new();
    let text = |i: usize| text_of(&records[i]).as_bytes().to_vec();
    fx.write("corpus/b.txt", &text(0));
    fx.write("corpus/a/page.txt", &text(1));
    fx.write("corpus/c/page.txt", &text(2));
    fx.write(
        "corpus/c/deep/er/shard.jsonl.zst",
        &zstd(&jsonl(&records[3..5])),
    );
    fx.write(
        "corpus/c/noid.jsonl",
        format!("{}\n", json!({"text": text_of(&records[5])})).as_bytes(),
    );
    fx.write("corpus/.hidden.txt", b"hidden");
    fx.write("corpus/a/.git/HEAD.txt", b"hidden");
    fx.write("corpus/_SUCCESS", b"");
    fx.write("corpus/c/_delta_log/0.json", b"{}");
    fx.write("corpus/README", b"no extension");
    fx.write("single.txt", &text(0));

    let items = fx.read(&["corpus", "single.txt"]);
    assert_eq!(
        fx.outline(&items),
        [
            "skip corpus/.hidden.txt:0 hidden_entry".to_string(),
            "err corpus/README:0 unsupported_extension".to_string(),
            "skip corpus/_SUCCESS:0 hidden_entry".to_string(),
            "skip corpus/a/.git:0 hidden_entry".to_string(),
            "doc corpus/a/page.txt:1 a/page".to_string(),
            "doc corpus/b.txt:1 b".to_string(),
            "skip corpus/c/_delta_log:0 hidden_entry".to_string(),
            format!(
                "doc corpus/c/deep/er/shard.jsonl.zst:1 {}",
                id_of(&records[3])
            ),
            format!(
                "doc corpus/c/deep/er/shard.jsonl.zst:2 {}",
                id_of(&records[4])
            ),
            "doc corpus/c/noid.jsonl:1 c/noid/1".to_string(),
            "doc corpus/c/page.txt:1 c/page".to_string(),
            "doc single.txt:1 single".to_string(),
        ]
    );
    let docs = docs(&items);
    assert_eq!(docs[0].text, text_of(&records[1]));
    assert_eq!(docs[1].text, text_of(&records[0]));
    assert_eq!(docs[5].text, text_of(&records[2]));
}

#[test]
fn text_files_are_one_document_each_and_repaired_when_needed() {
    let Some(seed_path) = shared("seed/000_c7507cca9c270131.txt") else {
        return;
    };
    let seed = std::fs::read(&seed_path).unwrap();
    let fx = Fixture::new();
    let mut broken = seed.clone();
    broken.insert(10, 0xFF);
    broken.extend_from_slice(b"\xF0\x9F");
    fx.write("broken.txt", &broken);
    fx.write("packed.TXT.gz", &gzip(&seed));

    let items: Vec<Item> = read_inputs(
        &[
            seed_path.clone(),
            fx.path("broken.txt"),
            fx.path("packed.TXT.gz"),
        ],
        &ReadOptions::default(),
    )
    .collect();
    let docs = docs(&items);
    assert_eq!(errors(&items).len(), 0);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].id, "000_c7507cca9c270131");
    assert_eq!(docs[0].text.as_bytes(), &seed[..]);
    assert_eq!(docs[0].origin.file.as_ref(), seed_path.to_string_lossy());
    assert_eq!(docs[0].origin.record, 1);
    assert_eq!(docs[1].id, "broken");
    assert_eq!(docs[1].utf8_repairs, 2);
    assert_eq!(docs[1].text, String::from_utf8_lossy(&broken));
    assert_eq!(docs[2].id, "packed");
    assert_eq!(docs[2].text.as_bytes(), &seed[..]);
}

#[test]
fn reading_is_send_and_lazy() {
    fn is_send<T: Send + 'static>(_: &T) {}
    let paths = vec![std::path::PathBuf::from("does-not-exist.jsonl")];
    let inputs = read_inputs(&paths, &ReadOptions::default());
    drop(paths);
    is_send(&inputs);
    let items: Vec<Item> = std::thread::spawn(move || inputs.collect()).join().unwrap();
    assert_eq!(items.len(), 1);
}

#[test]
fn record_errors_serialize_as_one_jsonl_line_and_display_with_location() {
    let e = RecordError::new(
        "data/x.jsonl.gz".into(),
        1234,
        ErrorKind::MalformedJson,
        "expected value at column 17",
    );
    assert_eq!(
        e.to_string(),
        "data/x.jsonl.gz:1234: malformed JSON: expected value at column 17"
    );
    let line = serde_json::to_string(&e).unwrap();
    assert_eq!(
        line,
        r#"{"file":"data/x.jsonl.gz","record":1234,"kind":"malformed_json","message":"expected value at column 17"}"#
    );
    assert_eq!(serde_json::from_str::<RecordError>(&line).unwrap(), e);
    for kind in ErrorKind::ALL {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.to_string());
    }
    let whole = RecordError::new("a.parquet".into(), 0, ErrorKind::Parquet, "bad footer");
    assert_eq!(whole.to_string(), "a.parquet: Parquet: bad footer");
}
