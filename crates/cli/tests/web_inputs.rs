//! WARC, WET and HTML through the whole command: real Common Crawl and
//! archive captures, deliberately broken WARC files and real pages of the
//! evaluation set, each run ending with `read = kept + removed + skipped +
//! errors`, the errors naming file and record, and the pages' text
//! extracted with its metadata.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    p.exists().then_some(p)
}

struct Run {
    code: i32,
    stats: Value,
    kept: Vec<Value>,
    errors: Vec<Value>,
}

fn clean(inputs: &[PathBuf], extra: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tapis"))
        .arg("clean")
        .args(inputs)
        .arg("-o")
        .arg(out.path())
        .args(["--no-progress", "--format", "jsonl"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let stats: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("stats.json")).unwrap()).unwrap();
    let read_jsonl = |dir: &str| -> Vec<Value> {
        let mut files: Vec<_> = std::fs::read_dir(out.path().join(dir))
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .flat_map(|f| {
                std::fs::read_to_string(f)
                    .unwrap()
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect::<Vec<Value>>()
            })
            .collect()
    };
    Run {
        code: output.status.code().unwrap(),
        stats,
        kept: read_jsonl("kept"),
        errors: read_jsonl("errors"),
    }
}

#[test]
fn warc_wet_and_broken_files_are_all_accounted_for() {
    let Some(dir) = shared("data/warc-samples") else {
        eprintln!("skipping: shared data not found");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".warc"))
        .collect();
    files.sort();
    // No rule: what is kept is what was extracted.
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), "chain = []\n").unwrap();
    let run = clean(
        &files,
        &[
            "--config",
            config.path().to_str().unwrap(),
            "--no-line-cleaning",
        ],
    );
    let s = &run.stats;
    assert_eq!(run.code, 1, "errors met under --on-error skip");
    assert_eq!(s["conservation"]["holds"], true, "{s}");
    // 119 records in 14 files: 50 pages (HTML responses), 1 WET document,
    // 66 records without a page, 2 that cannot be read.
    assert_eq!(s["read"], 119);
    assert_eq!(s["kept"], 51);
    assert_eq!(s["pages_extracted"], 50);
    assert_eq!(s["skipped"], 66);
    assert_eq!(
        s["skipped_by_reason"],
        serde_json::json!({"metadata": 18, "not_html": 1, "other_record_type": 3,
                           "request": 29, "revisit": 2, "warcinfo": 13})
    );
    assert_eq!(s["errors"], 2);
    let mut errors: Vec<String> = run
        .errors
        .iter()
        .map(|e| {
            let file = e["file"].as_str().unwrap();
            let name = file.rsplit('/').next().unwrap();
            format!("{name}:{} {}", e["record"], e["kind"].as_str().unwrap())
        })
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            "resiliparse-clipped.warc.gz:1 truncated_compressed_stream",
            "warcio-example-trunc.warc:3 malformed_warc_record",
        ]
    );

    // The Aragonese Wikipedia page, from its WARC response: extracted text,
    // URL, fetch date, title, language and charset.
    let page = run
        .kept
        .iter()
        .find(|d| d["id"] == "urn:uuid:2aabeff2-67f5-4608-8466-e87c6296e2b6")
        .expect("the whirlwind page");
    let m = &page["metadata"];
    assert_eq!(m["url"], "https://an.wikipedia.org/wiki/Escopete");
    assert_eq!(m["date"], "2024-05-18T01:58:10Z");
    assert_eq!(m["html_lang"], "an");
    assert_eq!(m["charset"], "UTF-8");
    assert_eq!(m["charset_source"], "declared");
    assert!(m["title"].as_str().unwrap().starts_with("Escopete"));
    let text = page["text"].as_str().unwrap();
    assert!(text.contains("47 km de Guadalachara"), "{text}");
    // The menus of the page are gone from the text the WET record keeps.
    let wet = run
        .kept
        .iter()
        .find(|d| d["metadata"]["warc_languages"] == "spa")
        .expect("the WET record");
    let wet_text = wet["text"].as_str().unwrap();
    assert!(wet_text.contains("Menú principal"));
    assert!(!text.contains("Menú principal"), "{text}");
    assert!(text.len() < wet_text.len());

    // Pages in legacy charsets come out as text, not mojibake.
    let windows_1251 = run
        .kept
        .iter()
        .find(|d| d["metadata"]["url"] == "http://01spb.ru/company/")
        .unwrap();
    assert_eq!(windows_1251["metadata"]["charset"], "windows-1251");
    assert!(
        windows_1251["text"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('а'..='я').contains(&c))
    );
}

#[test]
fn html_pages_in_legacy_charsets_are_extracted() {
    let Some(html) = shared("data/trafilatura-eval/html") else {
        return;
    };
    // Pages declared in windows-1252 and ISO-8859-x among real ones.
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&html)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    let pages: Vec<PathBuf> = pages.into_iter().take(60).collect();
    let run = clean(&pages, &["--no-line-cleaning", "--preset", "datatrove"]);
    let s = &run.stats;
    assert_eq!(run.code, 0);
    assert_eq!(s["read"], 60);
    assert_eq!(s["pages_extracted"], 60);
    assert_eq!(s["conservation"]["holds"], true);
    assert_eq!(
        s["kept"].as_u64().unwrap() + s["removed"].as_u64().unwrap(),
        60
    );
    for d in &run.kept {
        let text = d["text"].as_str().unwrap();
        assert!(!text.contains('\u{FFFD}') || d["metadata"]["charset"] == "UTF-8");
        assert!(!text.contains("<div"), "markup left in {}", d["id"]);
    }
}
