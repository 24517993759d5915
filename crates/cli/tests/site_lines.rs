//! Corpus mode end to end: `tapis site-lines count` (and its map and reduce
//! steps) over pages of one site, then `tapis clean --site-lines` and
//! `tapis explain --site-lines` on them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
}

fn tapis() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tapis"))
}

/// The seed page and four other pages of its site (its tail template around
/// articles of real Indonesian sentences), one page without a URL and one
/// unreadable record, as two JSONL shards.
fn site_corpus(dir: &Path) -> (PathBuf, PathBuf) {
    let seed = std::fs::read_to_string(shared("seed/000_c7507cca9c270131.txt")).unwrap();
    let seed_lines: Vec<&str> = seed.split('\n').collect();
    let sentences =
        std::fs::read_to_string(shared("data/lingua-testdata/sentences/id.txt")).unwrap();
    let sentences: Vec<&str> = sentences.lines().collect();
    let mut records = vec![json!({
        "id": "seed", "text": seed, "url": "https://www.deteksimalut.com/2022/01/as-rusia.html"
    })];
    for k in 0..4 {
        let mut page: Vec<String> = vec![sentences[500 + k].to_string()];
        for p in sentences[k * 9..k * 9 + 9].chunks(3) {
            page.push(p.join(" "));
        }
        page.push(seed_lines[14].to_string());
        for n in [57, 59, 61, 63, 64] {
            page.push(seed_lines[n - 1].to_string());
        }
        records.push(json!({
            "id": format!("page{k}"), "text": page.join("\n\n"),
            "url": format!("http://deteksimalut.com/2022/02/{k}.html"),
        }));
    }
    records.push(json!({"id": "no-url", "text": sentences[700]}));
    let a = dir.join("a.jsonl");
    let b = dir.join("b.jsonl");
    let line = |r: &Value| r.to_string() + "\n";
    std::fs::write(&a, records[..3].iter().map(line).collect::<String>()).unwrap();
    let mut second: String = records[3..].iter().map(line).collect();
    second.push_str("{\"id\": \"broken\", \"text\": \n");
    std::fs::write(&b, second).unwrap();
    (a, b)
}

fn frequent_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "run"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_sites_template_is_counted_then_removed_and_its_articles_stay() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = site_corpus(dir.path());
    let counts = dir.path().join("counts");

    // Count in one go. The unreadable record is reported (exit 1) and
    // every record read is accounted for.
    let run = tapis()
        .args(["site-lines", "count", "--partitions", "4", "-o"])
        .arg(&counts)
        .args([&a, &b])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("b.jsonl"),
        "the bad record's file is named: {stderr}"
    );
    let summary: Value =
        serde_json::from_slice(&std::fs::read(counts.join("site-lines.json")).unwrap()).unwrap();
    let map = &summary["map"];
    assert_eq!(map["documents_read"], 7);
    assert_eq!(map["documents_counted"], 5);
    assert_eq!(map["documents_without_site"], 1);
    assert_eq!(map["records_unreadable"], 1);
    assert_eq!(summary["reduce"]["sites"], 1);
    assert!(!counts.join("runs").exists(), "the runs are removed");

    // The same counts from separate map steps (one per shard, as on two
    // machines) and a reduce step per partition.
    let runs = dir.path().join("runs");
    for (name, shard) in [("a", &a), ("b", &b)] {
        let status = tapis()
            .args([
                "site-lines",
                "map",
                "--partitions",
                "4",
                "--name",
                name,
                "-o",
            ])
            .arg(&runs)
            .arg(shard)
            .status()
            .unwrap();
        assert!(status.code() == Some(0) || status.code() == Some(1));
    }
    let stepwise = dir.path().join("stepwise");
    for p in 0..4 {
        let status = tapis()
            .args(["site-lines", "reduce", "--partition", &p.to_string(), "-o"])
            .arg(&stepwise)
            .arg(&runs)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
    }
    assert_eq!(frequent_files(&counts), frequent_files(&stepwise));
    assert_eq!(frequent_files(&counts).len(), 4);
    let bad = tapis()
        .args(["site-lines", "reduce", "--partition", "4", "-o"])
        .arg(&stepwise)
        .arg(&runs)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));

    // Cleaning with the counts: the agency footer, which the page alone
    // keeps, goes as the site's template; the article stays.
    let out = dir.path().join("out");
    let status = tapis()
        .args([
            "clean",
            "--no-progress",
            "--preset",
            "multilingual",
            "--site-lines",
        ])
        .arg(&counts)
        .arg("-o")
        .arg(&out)
        .arg(&a)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let show = tapis().args(["show", "--full"]).arg(&out).output().unwrap();
    let show = String::from_utf8(show.stdout).unwrap();
    assert!(
        show.contains("boilerplate_lines/frequent_in_site Standar kami: Prinsip Kepercayaan"),
        "{show}"
    );
    assert!(
        show.contains("| AS dan Rusia setuju untuk terus berbicara"),
        "{show}"
    );

    // explain shows each line's count on the site's pages.
    let explain = tapis()
        .args(["explain", "--json", "--site-lines"])
        .arg(&counts)
        .arg(&a)
        .output()
        .unwrap();
    let first_page: Value =
        serde_json::from_slice(explain.stdout.split(|&c| c == b'\n').next().unwrap()).unwrap();
    assert_eq!(first_page["id"], "seed");
    assert_eq!(first_page["site_copy"], false);
    let footer = first_page["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["line"] == 57)
        .unwrap();
    assert_eq!(footer["reason"], "boilerplate_lines/frequent_in_site");
    assert_eq!(footer["site"]["documents"], 5);
    assert_eq!(footer["site"]["site_documents"], 5);

    // The URL read from another field: the same site, the same counts;
    // from a field the records lack, no site.
    let renamed = dir.path().join("renamed.jsonl");
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(&renamed, text.replace("\"url\":", "\"link\":")).unwrap();
    let footer_by = |field: &str| -> Value {
        let explain = tapis()
            .args(["explain", "--json", "--url-field", field, "--site-lines"])
            .arg(&counts)
            .arg(&renamed)
            .output()
            .unwrap();
        assert_eq!(explain.status.code(), Some(0));
        let page: Value =
            serde_json::from_slice(explain.stdout.split(|&c| c == b'\n').next().unwrap()).unwrap();
        page["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["line"] == 57)
            .unwrap()
            .clone()
    };
    let linked = footer_by("link");
    assert_eq!(linked["reason"], "boilerplate_lines/frequent_in_site");
    assert_eq!(linked["site"]["documents"], 5);
    assert!(footer_by("url").get("site").is_none_or(Value::is_null));

    // A folder that is not there is a usage error.
    let missing = tapis()
        .args(["clean", "--site-lines"])
        .arg(dir.path().join("nope"))
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}
