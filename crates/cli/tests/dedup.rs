//! `tapis dedup` end to end on real pages with planted copies: every record
//! read is kept, removed as a duplicate naming the one kept, or reported.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

fn tapis() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tapis"))
}

fn read_zst_jsonl(dir: PathBuf) -> Vec<Value> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let text =
            String::from_utf8(zstd::decode_all(std::fs::File::open(f).unwrap()).unwrap()).unwrap();
        out.extend(
            text.lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap()),
        );
    }
    out
}

#[test]
fn copies_and_near_copies_go_and_every_record_is_accounted_for() {
    let pages = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/trafilatura-eval/fullpage.jsonl");
    let text = std::fs::read_to_string(pages).unwrap();
    let originals: Vec<Value> = text
        .lines()
        .skip(200)
        .take(40)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut lines: Vec<String> = originals.iter().map(|v| v.to_string()).collect();
    // An exact copy (different spacing and case only) of page 0, and a near
    // copy of page 1: one paragraph dropped from a long page.
    let t0 = originals[0]["text"].as_str().unwrap();
    lines.push(json!({"id": "copy-of-0", "text": format!("  {}\n", t0.to_uppercase().replace("ß", "SS").to_lowercase())}).to_string());
    let t1 = originals[1]["text"].as_str().unwrap();
    let paragraphs: Vec<&str> = t1.split("\n\n").collect();
    let cut = paragraphs.len() / 2;
    let near: Vec<&str> = paragraphs
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != cut)
        .map(|(_, p)| *p)
        .collect();
    lines.push(json!({"id": "near-copy-of-1", "text": near.join("\n\n")}).to_string());
    lines.push("{\"id\": \"broken\", ".to_string());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();

    let out = dir.path().join("out");
    let run = tapis()
        .args(["dedup", "--partitions", "4", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        run.status.code(),
        Some(1),
        "the bad record makes exit 1: {stderr}"
    );
    assert!(stderr.contains("in.jsonl:43"), "{stderr}");
    let stats: Value =
        serde_json::from_slice(&std::fs::read(out.join("stats.json")).unwrap()).unwrap();
    assert_eq!(stats["read"], 43);
    assert_eq!(stats["errors"], 1);
    assert_eq!(stats["balanced"], true);
    let kept = read_zst_jsonl(out.join("kept"));
    let removed = read_zst_jsonl(out.join("removed"));
    assert_eq!(kept.len() + removed.len() + 1, 43);
    let reason_of = |id: &str| {
        removed
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["metadata"]["tapis"].clone())
    };
    let copy = reason_of("copy-of-0").expect("the copy is removed");
    assert_eq!(copy["reason"], "dedup/exact_duplicate");
    assert_eq!(copy["duplicate_of"], originals[0]["id"]);
    let near = reason_of("near-copy-of-1").expect("the near copy is removed");
    assert_eq!(near["reason"], "dedup/near_duplicate");
    assert_eq!(near["duplicate_of"], originals[1]["id"]);
    // The first of each cluster stays, with the cluster's id and size.
    let first = kept.iter().find(|r| r["id"] == originals[1]["id"]).unwrap();
    assert_eq!(first["metadata"]["dup_cluster_size"], 2);
    assert_eq!(first["metadata"]["dup_cluster_id"], originals[1]["id"]);
    // Exact mode keeps the near copy.
    let exact = dir.path().join("exact");
    tapis()
        .args(["dedup", "--mode", "exact", "-o"])
        .arg(&exact)
        .arg(&input)
        .output()
        .unwrap();
    let removed_exact = read_zst_jsonl(exact.join("removed"));
    assert!(removed_exact.iter().any(|r| r["id"] == "copy-of-0"));
    assert!(!removed_exact.iter().any(|r| r["id"] == "near-copy-of-1"));
    // Standard input cannot be read twice.
    let stdin = tapis()
        .args(["dedup", "-o"])
        .arg(dir.path().join("x"))
        .arg("-")
        .output()
        .unwrap();
    assert_eq!(stdin.status.code(), Some(2));
}

#[test]
fn per_language_dedup_keeps_the_same_text_in_two_languages() {
    let pages = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/trafilatura-eval/fullpage.jsonl");
    let text = std::fs::read_to_string(pages).unwrap();
    let page: Value = serde_json::from_str(text.lines().nth(300).unwrap()).unwrap();
    let t = page["text"].as_str().unwrap();
    // The same text labelled de twice and fr once (a page quoted whole by
    // a site in another language, or mislabelled).
    let records = [("a", "de"), ("b", "de"), ("c", "fr")]
        .map(|(id, lang)| json!({"id": id, "text": t, "language": lang}).to_string());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, records.join("\n") + "\n").unwrap();
    let removed_ids = |per_language: bool| -> Vec<String> {
        let out = dir.path().join(format!("out-{per_language}"));
        let mut cmd = tapis();
        cmd.args(["dedup", "-o"]).arg(&out).arg(&input);
        if per_language {
            cmd.arg("--per-language");
        }
        assert_eq!(cmd.output().unwrap().status.code(), Some(0));
        read_zst_jsonl(out.join("removed"))
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(removed_ids(false), vec!["b", "c"]);
    assert_eq!(removed_ids(true), vec!["b"]);
}
