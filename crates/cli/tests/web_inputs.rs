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
    use std::io::Read;
    let Some(html) = shared("data/trafilatura-eval/html") else {
        return;
    };
    // Every page that declares a legacy charset, and the first twenty.
    let mut all: Vec<PathBuf> = std::fs::read_dir(&html)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    all.sort();
    let legacy = |p: &PathBuf| {
        let mut head = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(p).unwrap())
            .take(4096)
            .read_to_end(&mut head)
            .unwrap();
        let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
        [
            "charset=windows-125",
            "charset=iso-8859",
            "charset=\"iso-8859",
            "charset=\"windows-125",
        ]
        .iter()
        .any(|c| head.contains(c))
    };
    let pages: Vec<PathBuf> = all
        .iter()
        .enumerate()
        .filter(|(i, p)| *i < 20 || legacy(p))
        .map(|(_, p)| p.clone())
        .collect();
    let n = pages.len() as u64;
    assert!(n > 35, "{n} pages");
    let run = clean(&pages, &["--no-line-cleaning", "--preset", "datatrove"]);
    let s = &run.stats;
    assert_eq!(run.code, 0);
    assert_eq!(s["read"], n);
    assert_eq!(s["pages_extracted"], n);
    assert_eq!(s["conservation"]["holds"], true);
    let mut legacy_kept = 0;
    for d in &run.kept {
        let text = d["text"].as_str().unwrap();
        assert!(!text.contains("<div"), "markup left in {}", d["id"]);
        if d["metadata"]["charset"] != "UTF-8" {
            legacy_kept += 1;
            assert!(!text.contains('\u{FFFD}'), "{}", d["id"]);
            // windows-1252 read as UTF-8 would give "Ã¤" for "ä".
            assert!(!text.contains("Ã¤") && !text.contains("Ã¼"), "{}", d["id"]);
        }
    }
    assert!(legacy_kept > 0);
}

/// One WARC record around `block`, with the `Content-Length` given.
fn warc_record(warc_type: &str, content_type: &str, block: &[u8], length: &str) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Target-URI: http://example.org/{}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_html(body: &[u8]) -> Vec<u8> {
    let mut b = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    b.extend_from_slice(body);
    b
}

#[test]
fn huge_binary_nested_and_damaged_records_cost_only_themselves() {
    let paragraph =
        "<p>Der Stadtrat hat am Dienstag beschlossen, die Brücke über den Fluss zu sanieren.</p>";
    // A 50 MB page.
    let huge =
        http_html(format!("<html><body>{}</body></html>", paragraph.repeat(600_000)).as_bytes());
    assert!(huge.len() > 50_000_000);
    // Random bytes that claim to be HTML.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let binary: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    // Nesting far deeper than any page.
    let nested = format!(
        "{}{paragraph}{}",
        "<div><span>".repeat(50_000),
        "</span></div>".repeat(50_000)
    );
    let mut warc = Vec::new();
    for block in [huge, http_html(&binary), http_html(nested.as_bytes())] {
        let len = block.len().to_string();
        warc.extend(warc_record(
            "response",
            "application/http; msgtype=response",
            &block,
            &len,
        ));
    }
    let ok = http_html(paragraph.as_bytes());
    warc.extend(warc_record(
        "response",
        "application/http",
        &ok,
        "not a number",
    ));
    warc.extend(warc_record(
        "response",
        "application/http",
        &ok,
        &ok.len().to_string(),
    ));
    let cut = warc_record("response", "application/http", &ok, &ok.len().to_string());
    warc.extend(&cut[..cut.len() - 40]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.warc");
    std::fs::write(&path, &warc).unwrap();

    let config = dir.path().join("chain.toml");
    std::fs::write(&config, "chain = []\n").unwrap();
    let run = clean(
        &[path],
        &["--config", config.to_str().unwrap(), "--no-line-cleaning"],
    );
    let s = &run.stats;
    assert_eq!(s["conservation"]["holds"], true, "{s}");
    assert_eq!(s["read"], 6);
    assert_eq!(s["kept"], 4, "{s}");
    assert_eq!(s["errors"], 2);
    let kinds: Vec<String> = run
        .errors
        .iter()
        .map(|e| format!("{} {}", e["record"], e["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, ["4 malformed_warc_record", "6 truncated_record"]);
    let texts: Vec<&str> = run
        .kept
        .iter()
        .map(|d| d["text"].as_str().unwrap())
        .collect();
    assert!(texts[0].len() > 40_000_000, "the 50 MB page is extracted");
    assert!(texts[2].contains("Der Stadtrat hat am Dienstag"));
    assert!(texts[3].contains("Der Stadtrat hat am Dienstag"));
}

#[test]
fn jsonl_records_with_an_html_field_are_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pages.jsonl");
    let page = "<html><body><nav><a href=/>Start</a> <a href=/a>Archiv</a></nav>\
                <p>Der Stadtrat hat am Dienstag beschlossen, die Brücke über den Fluss zu sanieren.</p>\
                <footer>© 2024 Stadtzeitung</footer></body></html>";
    let lines = [
        serde_json::json!({"id": "a", "html": page, "url": "http://example.org/a"}).to_string(),
        serde_json::json!({"id": "b", "text": "no html here"}).to_string(),
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let config = dir.path().join("chain.toml");
    std::fs::write(&config, "chain = []\n").unwrap();
    let run = clean(
        &[path],
        &[
            "--html-field",
            "html",
            "--config",
            config.to_str().unwrap(),
            "--no-line-cleaning",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stats["conservation"]["holds"], true);
    assert_eq!(run.kept.len(), 1);
    assert_eq!(
        run.kept[0]["text"],
        "Der Stadtrat hat am Dienstag beschlossen, die Brücke über den Fluss zu sanieren."
    );
    assert_eq!(run.kept[0]["metadata"]["url"], "http://example.org/a");
    assert_eq!(run.errors[0]["kind"], "missing_text_field");
}

/// Line cleaning after extraction: on a page's extracted main content the
/// line cleaner lowers its thresholds (most lines there are article), so it
/// keeps more of the evaluation set's `with` snippets than when it judges the
/// same text as a whole page, while still removing `without` snippets that
/// extraction left.
#[test]
fn line_cleaning_after_extraction_keeps_the_article_lines_extraction_kept() {
    let (Some(html), Some(eval)) = (
        shared("data/trafilatura-eval/html"),
        shared("data/trafilatura-eval/evaldata.json"),
    ) else {
        return;
    };
    let eval: serde_json::Map<String, Value> =
        serde_json::from_slice(&std::fs::read(eval).unwrap()).unwrap();
    // Every page, with its snippets.
    let pages: Vec<(PathBuf, &Value)> = eval
        .values()
        .filter_map(|e| {
            let path = html.join(format!("{}.gz", e["file"].as_str()?));
            path.exists().then_some((path, e))
        })
        .collect();
    assert!(pages.len() > 900, "{} pages", pages.len());
    let files: Vec<PathBuf> = pages.iter().map(|(p, _)| p.clone()).collect();
    let config = tempfile::NamedTempFile::new().unwrap();
    let with_config = |toml: String, extra: &[&str]| {
        std::fs::write(config.path(), toml).unwrap();
        let mut args = vec!["--config", config.path().to_str().unwrap()];
        args.extend(extra);
        clean(&files, &args)
    };
    let lines_only = |odds: f64| {
        with_config(
            format!(
                "chain = [\"boilerplate_lines\"]\n[boilerplate_lines]\nextracted_content_odds = {odds}\n"
            ),
            &[],
        )
    };
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // (with snippets found, without snippets found) in a run's kept text.
    let found = |run: &Run| {
        assert_eq!(run.stats["conservation"]["holds"], true);
        let texts: std::collections::HashMap<String, String> = run
            .kept
            .iter()
            .map(|d| {
                let id = d["id"].as_str().unwrap().to_string();
                (id, collapse(d["text"].as_str().unwrap()))
            })
            .collect();
        let (mut with, mut without) = (0, 0);
        for (path, e) in &pages {
            let name = path.file_name().unwrap().to_str().unwrap();
            let id = name.trim_end_matches(".html.gz");
            let text = texts.get(id).map(String::as_str).unwrap_or("");
            let count = |key: &str| {
                e[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| text.contains(&collapse(s.as_str().unwrap())))
                    .count()
            };
            with += count("with");
            without += count("without");
        }
        (with, without)
    };
    let extraction_alone = found(&with_config("chain = []\n".into(), &["--no-line-cleaning"]));
    let lowered = found(&lines_only(tapis_lines::EXTRACTED_CONTENT_ODDS));
    let as_whole_page = found(&lines_only(1.0));
    eprintln!(
        "extraction {extraction_alone:?}, lowered {lowered:?}, as a whole page {as_whole_page:?}"
    );
    assert!(lowered.0 > as_whole_page.0, "{lowered:?} {as_whole_page:?}");
    // Nearly all of what extraction kept of the article stays…
    assert!(
        lowered.0 as f64 >= 0.97 * extraction_alone.0 as f64,
        "{lowered:?} {extraction_alone:?}"
    );
    // …and some of the debris it let through still goes.
    assert!(
        lowered.1 < extraction_alone.1,
        "{lowered:?} {extraction_alone:?}"
    );
}
