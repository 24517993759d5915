//! Bad input through the whole command: every fixture is built from real
//! pages, run through `tapis clean -o`, and must end with the exact counts
//! expected, `read = kept + removed + errors`, the right exit code, and the
//! errors naming file and record. Nothing panics, nothing is lost.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    p.exists().then_some(p)
}

/// Real JSONL records: the first `n` pages of the evaluation set.
fn real_lines(n: usize) -> Vec<String> {
    let path =
        shared("data/trafilatura-eval/fullpage.jsonl").expect("shared data beside the repository");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .take(n)
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            serde_json::json!({"id": v["id"], "text": v["text"], "url": v["url"]}).to_string()
        })
        .collect()
}

struct Run {
    code: i32,
    stats: Value,
    errors: Vec<Value>,
    stderr: String,
}

fn clean(inputs: &[&Path], extra: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tapis"));
    cmd.arg("clean")
        .args(inputs)
        .arg("-o")
        .arg(out.path())
        .arg("--no-progress")
        .args(extra);
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let stats_path = out.path().join("stats.json");
    let stats: Value = std::fs::read(&stats_path)
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap_or(Value::Null);
    let errors = std::fs::read_to_string(out.path().join("errors/errors.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Run {
        code: output.status.code().unwrap_or(-1),
        stats,
        errors,
        stderr,
    }
}

fn assert_counts(run: &Run, read: u64, errors: u64) {
    let s = &run.stats;
    assert_eq!(s["read"], read, "stats: {s}\n{}", run.stderr);
    assert_eq!(s["errors"], errors, "stats: {s}");
    assert_eq!(
        s["kept"].as_u64().unwrap()
            + s["removed"].as_u64().unwrap()
            + s["errors"].as_u64().unwrap(),
        read,
        "read = kept + removed + errors"
    );
    assert_eq!(s["conservation"]["holds"], true);
    assert_eq!(run.errors.len() as u64, errors, "{:?}", run.errors);
    assert_eq!(run.code, if errors > 0 { 1 } else { 0 }, "{}", run.stderr);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn jsonl(lines: &[String]) -> Vec<u8> {
    let mut b = lines.join("\n").into_bytes();
    b.push(b'\n');
    b
}

#[test]
fn invalid_utf8_is_repaired_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = jsonl(&real_lines(3));
    // Latin-1 "é" (0xE9) inside the second record's text.
    let second = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let at = second
        + 40
        + bytes[second + 40..]
            .iter()
            .position(|&b| b == b' ')
            .unwrap();
    bytes.splice(at..at, [0xE9, 0xFF]);
    let p = write(dir.path(), "latin1.jsonl", &bytes);
    let run = clean(&[&p], &[]);
    assert_counts(&run, 3, 0);
    assert_eq!(run.stats["documents_with_invalid_utf8"], 1);
}

#[test]
fn malformed_json_and_missing_text_are_errors_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = real_lines(4);
    lines.insert(1, r#"{"id": "broken", "text": "unterminated"#.to_string());
    lines.insert(
        3,
        r#"{"id": "no-text", "body": "text is elsewhere"}"#.to_string(),
    );
    lines.insert(4, r#"{"id": "num-text", "text": 42}"#.to_string());
    let p = write(dir.path(), "mixed.jsonl", &jsonl(&lines));
    let run = clean(&[&p], &[]);
    assert_counts(&run, 7, 3);
    let records: Vec<u64> = run
        .errors
        .iter()
        .map(|e| e["record"].as_u64().unwrap())
        .collect();
    assert_eq!(records, [2, 4, 5]);
    assert!(
        run.errors
            .iter()
            .all(|e| e["file"].as_str().unwrap().ends_with("mixed.jsonl"))
    );
    assert_eq!(run.errors[0]["kind"], "malformed_json");
}

#[test]
fn truncated_gzip_and_zstd_keep_what_was_read_and_report_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = jsonl(&real_lines(40));
    let mut gz = gzip(&data);
    gz.truncate(gz.len() / 2);
    let zst = {
        let mut z = zstd::encode_all(&data[..], 3).unwrap();
        z.truncate(z.len() / 2);
        z
    };
    for (name, bytes) in [("cut.jsonl.gz", gz), ("cut.jsonl.zst", zst)] {
        let p = write(dir.path(), name, &bytes);
        let run = clean(&[&p], &[]);
        let read = run.stats["read"].as_u64().unwrap();
        assert!(read > 1 && read < 40, "{name}: read {read}");
        assert_counts(&run, read, 1);
        assert_eq!(
            run.errors[0]["kind"], "truncated_compressed_stream",
            "{name}"
        );
        assert!(run.errors[0]["file"].as_str().unwrap().ends_with(name));
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn empty_documents_nul_bytes_and_a_100_mb_line_are_decided_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = real_lines(2);
    lines.push(r#"{"id": "empty", "text": ""}"#.to_string());
    lines.push(
        r#"{"id": "nul", "text": "A line with a NUL \u0000 inside it, and more words here."}"#
            .to_string(),
    );
    let mut bytes = jsonl(&lines);
    // One 100 MB line: a single JSON record whose text is 100 MB long.
    bytes.extend_from_slice(br#"{"id": "huge", "text": ""#);
    let word = b"Lorem dolor sit amet consectetur. ";
    let mut huge = Vec::with_capacity(100 << 20);
    while huge.len() < 100 << 20 {
        huge.extend_from_slice(word);
    }
    bytes.extend_from_slice(&huge);
    bytes.extend_from_slice(b"\"}\n");
    drop(huge);
    let p = write(dir.path(), "odd.jsonl", &bytes);
    drop(bytes);
    let run = clean(&[&p], &[]);
    assert_counts(&run, 5, 0);
    assert_eq!(run.stats["removed_by_reason"]["gopher_repetition/empty"], 1);
}

#[test]
fn unreadable_paths_are_errors_and_the_other_inputs_are_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.jsonl", &jsonl(&real_lines(3)));
    let missing = dir.path().join("does-not-exist.jsonl");
    let run = clean(&[&missing, &good], &[]);
    assert_counts(&run, 4, 1);
    assert_eq!(run.errors[0]["record"], 0);
    assert!(
        run.errors[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("does-not-exist.jsonl")
    );
}

#[test]
fn on_error_fail_stops_with_exit_code_1_and_names_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = real_lines(3);
    lines.insert(1, "{not json".to_string());
    let p = write(dir.path(), "bad.jsonl", &jsonl(&lines));
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tapis"))
        .args(["clean", "--no-progress", "--on-error", "fail", "-o"])
        .arg(out.path())
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.jsonl:2"), "{stderr}");
}

#[test]
fn usage_errors_exit_with_2() {
    let status = Command::new(env!("CARGO_BIN_EXE_tapis"))
        .args(["clean", "--threads", "many", "x.jsonl"])
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "bad.toml", b"chain = [\"no_such_rule\"]\n");
    let status = Command::new(env!("CARGO_BIN_EXE_tapis"))
        .args(["clean", "--config"])
        .arg(&cfg)
        .arg("x.jsonl")
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(2));
    let _ = std::io::stderr().flush();
}
