//! `tapis dedup` end to end on real pages with planted copies: every record
//! read is kept, removed as a duplicate naming the one kept, or reported.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn tapis() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tapis"))
}

/// OUT/stats.json of a run.
fn stats_of(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("stats.json")).unwrap()).unwrap()
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
    let stats: Value = stats_of(&out);
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

fn pages(skip: usize, take: usize) -> Vec<Value> {
    let pages = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/trafilatura-eval/fullpage.jsonl");
    let text = std::fs::read_to_string(pages).unwrap();
    text.lines()
        .skip(skip)
        .take(take)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write_jsonl(path: &std::path::Path, records: &[Value]) {
    let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// (id, reason or "kept", duplicate_of or cluster id) of every output record.
fn fates(out: &std::path::Path) -> Vec<(String, String, String)> {
    let mut fates: Vec<(String, String, String)> = read_zst_jsonl(out.join("kept"))
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                "kept".to_string(),
                r["metadata"]["dup_cluster_size"].to_string(),
            )
        })
        .chain(read_zst_jsonl(out.join("removed")).iter().map(|r| {
            let t = &r["metadata"]["tapis"];
            (
                r["id"].as_str().unwrap().to_string(),
                t["reason"].as_str().unwrap().to_string(),
                t["duplicate_of"].as_str().unwrap().to_string(),
            )
        }))
        .collect();
    fates.sort();
    fates
}

/// Two shards of real pages with copies inside and across them, dated and
/// with URLs.
fn two_shards(dir: &std::path::Path) -> (PathBuf, PathBuf, Vec<Value>) {
    let originals = pages(400, 30);
    let mut a: Vec<Value> = originals[..20].to_vec();
    let mut b: Vec<Value> = originals[20..].to_vec();
    for (i, r) in a.iter_mut().chain(b.iter_mut()).enumerate() {
        r["date"] = json!(format!("2024-01-{:02}T10:00:00Z", i % 28 + 1));
    }
    let text = |i: usize| originals[i]["text"].as_str().unwrap().to_string();
    // In shard b: an older exact copy of page 0 (in shard a), a longer near
    // copy of page 1, and another page fetched again under page 2's URL.
    b.push(json!({"id": "old-copy-of-0", "text": text(0), "date": "2019-05-01"}));
    b.push(json!({"id": "longer-copy-of-1", "text": format!("{}\n\nOne more line at the end of the page.", text(1)), "date": "2025-01-01"}));
    b.push(json!({"id": "refetch-of-2", "text": text(25), "url": originals[2]["url"], "date": "2025-02-01"}));
    let (pa, pb) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    write_jsonl(&pa, &a);
    write_jsonl(&pb, &b);
    (pa, pb, originals)
}

#[test]
fn the_steps_run_one_by_one_on_two_shards_decide_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, originals) = two_shards(dir.path());
    let one_run = dir.path().join("one");
    let run = tapis()
        .args(["dedup", "--partitions", "4", "-o"])
        .arg(&one_run)
        .args([&a, &b])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let work = dir.path().join("work");
    let step = |args: &[&std::ffi::OsStr]| {
        let run = tapis().arg("dedup").args(args).output().unwrap();
        assert_eq!(
            run.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    };
    let w = work.as_os_str();
    step(&[
        "map".as_ref(),
        a.as_os_str(),
        "--work".as_ref(),
        w,
        "--shard".as_ref(),
        "0".as_ref(),
        "--partitions".as_ref(),
        "4".as_ref(),
    ]);
    // A reduce before every shard is mapped is caught by the cluster step.
    step(&["reduce".as_ref(), "--work".as_ref(), w]);
    step(&[
        "map".as_ref(),
        b.as_os_str(),
        "--work".as_ref(),
        w,
        "--shard".as_ref(),
        "1".as_ref(),
        "--partitions".as_ref(),
        "4".as_ref(),
    ]);
    let stale = tapis()
        .args(["dedup", "cluster", "--work"])
        .arg(&work)
        .output()
        .unwrap();
    assert_eq!(stale.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("run its reduce step again"));
    for p in ["0", "1", "2", "3"] {
        step(&[
            "reduce".as_ref(),
            "--work".as_ref(),
            w,
            "--partition".as_ref(),
            p.as_ref(),
        ]);
    }
    step(&["cluster".as_ref(), "--work".as_ref(), w]);
    let (oa, ob) = (dir.path().join("oa"), dir.path().join("ob"));
    step(&[
        "apply".as_ref(),
        a.as_os_str(),
        "--work".as_ref(),
        w,
        "--shard".as_ref(),
        "0".as_ref(),
        "-o".as_ref(),
        oa.as_os_str(),
    ]);
    step(&[
        "apply".as_ref(),
        b.as_os_str(),
        "--work".as_ref(),
        w,
        "--shard".as_ref(),
        "1".as_ref(),
        "-o".as_ref(),
        ob.as_os_str(),
    ]);
    let mut by_steps = fates(&oa);
    by_steps.extend(fates(&ob));
    by_steps.sort();
    let whole = fates(&one_run);
    assert_eq!(by_steps, whole);
    assert_eq!(whole.len(), 33);
    let fate = |id: &str| whole.iter().find(|f| f.0 == id).unwrap().clone();
    let id = |i: usize| originals[i]["id"].as_str().unwrap().to_string();
    assert_eq!(
        fate("old-copy-of-0"),
        (
            "old-copy-of-0".into(),
            "dedup/exact_duplicate".into(),
            id(0)
        )
    );
    assert_eq!(
        fate("longer-copy-of-1"),
        (
            "longer-copy-of-1".into(),
            "dedup/near_duplicate".into(),
            id(1)
        )
    );
    // Page 2 fetched again, with page 25's text: a copy by its URL, and
    // page 25 stays (the refetch left before the texts were compared).
    assert_eq!(
        fate("refetch-of-2"),
        ("refetch-of-2".into(), "dedup/same_url".into(), id(2))
    );
    assert_eq!(fate(&id(25)), (id(25), "kept".into(), "2".into()));

    // A step run out of order, or with other settings, is refused.
    let bad = tapis()
        .args(["dedup", "map"])
        .arg(&a)
        .args(["--work"])
        .arg(&work)
        .args(["--shard", "2", "--mode", "exact"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("other settings"));
    let fresh = dir.path().join("fresh");
    let early = tapis()
        .args(["dedup", "cluster", "--work"])
        .arg(&fresh)
        .output()
        .unwrap();
    assert_eq!(early.status.code(), Some(2));
}

#[test]
fn the_survivor_can_be_the_longest_or_the_oldest() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, originals) = two_shards(dir.path());
    let run = |keep: &str| {
        let out = dir.path().join(keep);
        let r = tapis()
            .args(["dedup", "--keep", keep, "-o"])
            .arg(&out)
            .args([&a, &b])
            .output()
            .unwrap();
        assert_eq!(
            r.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&r.stderr)
        );
        fates(&out)
    };
    let id = |i: usize| originals[i]["id"].as_str().unwrap().to_string();
    let fate_in = |fates: &[(String, String, String)], id: &str| {
        fates.iter().find(|f| f.0 == id).unwrap().clone()
    };
    let longest = run("longest");
    assert_eq!(fate_in(&longest, "longer-copy-of-1").1, "kept");
    assert_eq!(
        fate_in(&longest, &id(1)),
        (
            id(1),
            "dedup/near_duplicate".into(),
            "longer-copy-of-1".into()
        )
    );
    let oldest = run("oldest");
    assert_eq!(fate_in(&oldest, "old-copy-of-0").1, "kept");
    assert_eq!(
        fate_in(&oldest, &id(0)),
        (
            id(0),
            "dedup/exact_duplicate".into(),
            "old-copy-of-0".into()
        )
    );
    // Page 1 (dated 2024) is older than its longer copy (2025).
    assert_eq!(fate_in(&oldest, &id(1)).1, "kept");
    let no_url = dir.path().join("no-url");
    tapis()
        .args(["dedup", "--no-url", "-o"])
        .arg(&no_url)
        .args([&a, &b])
        .output()
        .unwrap();
    // Without URLs, the refetch is only a copy of page 25's text.
    assert_eq!(
        fate_in(&fates(&no_url), "refetch-of-2"),
        (
            "refetch-of-2".into(),
            "dedup/exact_duplicate".into(),
            id(25)
        )
    );
}

#[test]
fn clean_with_dedup_removes_copies_after_the_rules_and_accounts_for_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut records = pages(500, 40);
    let text = |i: usize| records[i]["text"].as_str().unwrap().to_string();
    let (t3, t4) = (text(3), text(4));
    // Texts alone: line cleaning reads a page's URL (its slug names the
    // headline), so the same text at another address can be cleaned a
    // little differently, and the same address is a copy by URL.
    for r in &mut records {
        r.as_object_mut().unwrap().remove("url");
    }
    records.push(json!({"id": "copy-of-3", "text": t3}));
    // One word changed in the page's longest paragraph (its article).
    let longest = t4.split("\n\n").max_by_key(|p| p.len()).unwrap();
    let words: Vec<&str> = longest.split(' ').collect();
    let mut changed = words.clone();
    changed[words.len() / 2] = "Abweichung";
    let near = t4.replace(longest, &changed.join(" "));
    records.push(json!({"id": "near-copy-of-4", "text": near}));
    records.push(json!({"id": "empty", "text": ""}));
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, &records);
    std::fs::write(
        &input,
        std::fs::read_to_string(&input).unwrap() + "{\"id\": \"broken\"\n",
    )
    .unwrap();

    let out = dir.path().join("out");
    let run = tapis()
        .args([
            "clean",
            "--preset",
            "multilingual",
            "--dedup",
            "near",
            "--no-progress",
            "-o",
        ])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let stats: Value = stats_of(&out);
    let (read, kept, removed, errors) = (
        stats["read"].as_u64().unwrap(),
        stats["kept"].as_u64().unwrap(),
        stats["removed"].as_u64().unwrap(),
        stats["errors"].as_u64().unwrap(),
    );
    assert_eq!((read, errors), (44, 1));
    assert_eq!(read, kept + removed + errors);
    assert_eq!(stats["conservation"]["holds"], true);
    let by_reason = &stats["removed_by_reason"];
    assert_eq!(by_reason["dedup/exact_duplicate"], 1, "{by_reason}");
    assert_eq!(by_reason["dedup/near_duplicate"], 1, "{by_reason}");
    let kept_docs = read_zst_jsonl(out.join("kept"));
    let removed_docs = read_zst_jsonl(out.join("removed"));
    assert_eq!(kept_docs.len() as u64, kept);
    assert_eq!(removed_docs.len() as u64, removed);
    let copy = removed_docs
        .iter()
        .find(|r| r["id"] == "copy-of-3")
        .unwrap();
    assert_eq!(copy["metadata"]["tapis"]["duplicate_of"], records[3]["id"]);
    // The kept copy keeps what line cleaning recorded, and its cluster.
    let first = kept_docs
        .iter()
        .find(|r| r["id"] == records[4]["id"])
        .unwrap();
    assert_eq!(first["metadata"]["dup_cluster_size"], 2);
    assert!(first["metadata"]["tapis"].is_object());
    assert!(!out.join("dedup-work").exists());

    // The pipe form: kept documents to standard output, deduplicated.
    let piped = tapis()
        .args(["clean", "--preset", "multilingual", "--dedup", "exact", "-"])
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    let ids: Vec<String> = String::from_utf8(piped.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(!ids.contains(&"copy-of-3".to_string()));
    assert!(ids.contains(&"near-copy-of-4".to_string()));
    assert_eq!(ids.len() as u64, kept + 1);
}

#[test]
fn damaged_work_files_are_errors_naming_the_file_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _, _) = two_shards(dir.path());
    let work = dir.path().join("work");
    let run = |args: &[&str]| {
        tapis()
            .arg("dedup")
            .args(args)
            .args(["--work"])
            .arg(&work)
            .output()
            .unwrap()
    };
    let map = tapis()
        .args(["dedup", "map"])
        .arg(&a)
        .args(["--shard", "0", "--partitions", "2", "--work"])
        .arg(&work)
        .output()
        .unwrap();
    assert_eq!(map.status.code(), Some(0));
    assert_eq!(run(&["reduce"]).status.code(), Some(0));
    // A links file cut in the middle of a link.
    let links = work.join("links").join("text-00001.links");
    let bytes = std::fs::read(&links).unwrap();
    std::fs::write(&links, [&bytes[..], &[7u8; 5][..]].concat()).unwrap();
    let cut = run(&["cluster"]);
    let stderr = String::from_utf8_lossy(&cut.stderr);
    assert_eq!(cut.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("text-00001.links") && stderr.contains("not a whole number"),
        "{stderr}"
    );
    std::fs::write(&links, &bytes).unwrap();
    assert_eq!(run(&["cluster"]).status.code(), Some(0));
    // A decisions file cut short: the apply step names it.
    let decisions = work.join("decisions").join("00000.bin");
    let bytes = std::fs::read(&decisions).unwrap();
    std::fs::write(&decisions, &bytes[..bytes.len() / 2]).unwrap();
    let out = dir.path().join("out");
    let apply = tapis()
        .args(["dedup", "apply"])
        .arg(&a)
        .args(["--shard", "0", "-o"])
        .arg(&out)
        .args(["--work"])
        .arg(&work)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&apply.stderr);
    assert_eq!(apply.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("00000.bin"), "{stderr}");
    // A damaged run file: the reduce step names it.
    let keys = work.join("keys").join("near");
    let run_file = std::fs::read_dir(&keys)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let bytes = std::fs::read(&run_file).unwrap();
    std::fs::write(&run_file, &bytes[..bytes.len() - 3]).unwrap();
    let reduce = run(&["reduce"]);
    let stderr = String::from_utf8_lossy(&reduce.stderr);
    assert_ne!(reduce.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&run_file.file_name().unwrap().to_string_lossy().to_string()),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// WARC records without a page, and files a folder hides, are read but hold
/// no document: dedup counts them as skipped, and its books still balance.
#[test]
fn skipped_records_and_hidden_files_are_accounted_for_in_dedup() {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/warc-samples/warcio-example.warc.gz");
    let Ok(warc) = std::fs::read(&samples) else {
        eprintln!("skipping: shared data not found");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join(".cache")).unwrap();
    std::fs::write(input.join("crawl.warc.gz"), &warc).unwrap();
    std::fs::write(input.join("_SUCCESS"), b"").unwrap();
    std::fs::write(input.join(".cache/old.jsonl"), b"{\"text\": \"x\"}\n").unwrap();
    let out = dir.path().join("out");
    let run = tapis()
        .args(["dedup", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let stats: Value = stats_of(&out);
    assert_eq!(stats["balanced"], true, "{stats}");
    let count = |k: &str| stats[k].as_u64().unwrap();
    // The WARC holds one page among records without one; `_SUCCESS` and
    // `.cache` are one skipped entry each.
    assert_eq!(count("kept") + count("removed"), 1, "{stats}");
    assert!(count("skipped") >= 3, "{stats}");
    assert_eq!(
        count("read"),
        count("kept") + count("removed") + count("skipped") + count("errors")
    );
    // Each skipped record is counted under its reason, in stats.json and
    // in the summary line.
    let by_reason = stats["skipped_by_reason"].as_object().unwrap();
    assert_eq!(by_reason["hidden_entry"], 2, "{stats}");
    assert!(by_reason.contains_key("warcinfo"), "{stats}");
    let per_reason: u64 = by_reason.values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(per_reason, count("skipped"), "{stats}");
    assert!(stderr.contains("2 hidden_entry"), "{stderr}");
}
