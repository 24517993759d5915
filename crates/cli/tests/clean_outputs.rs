//! `tapis clean` end to end on real pages: the folder output in each format,
//! the pipe form, `tapis show` and `tapis rules`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    p.exists().then_some(p)
}

fn tapis() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tapis"))
}

/// `tapis explain --json` of a file holding one page.
fn explain_json(path: &std::path::Path) -> Value {
    let explain = tapis()
        .args(["explain", "--json"])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(explain.status.code(), Some(0));
    serde_json::from_slice(&explain.stdout).unwrap()
}

/// The first `n` pages of the evaluation set as JSONL, with a `language`
/// field to be carried through as metadata.
fn pages(n: usize) -> Option<String> {
    let text = std::fs::read_to_string(shared("data/trafilatura-eval/fullpage.jsonl")?).ok()?;
    Some(
        text.lines()
            .take(n)
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                serde_json::json!({"id": v["id"], "text": v["text"], "language": "xx"}).to_string()
                    + "\n"
            })
            .collect(),
    )
}

#[test]
fn the_pipe_form_writes_kept_documents_to_stdout_in_input_order() {
    let Some(input) = pages(120) else { return };
    let dir = tempfile::tempdir().unwrap();
    let removed = dir.path().join("removed.jsonl");
    let mut child = tapis()
        .args(["clean", "-", "--removed"])
        .arg(&removed)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read 120 records"), "{stderr}");
    let kept: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let removed: Vec<Value> = std::fs::read_to_string(&removed)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(kept.len() + removed.len(), 120);
    assert!(!kept.is_empty() && !removed.is_empty());
    for r in &kept {
        assert_eq!(
            r["metadata"]["language"], "xx",
            "input fields are carried as metadata"
        );
        assert!(r["metadata"]["tapis"]["removed"].is_array());
    }
    for r in &removed {
        assert!(
            r["metadata"]["tapis"]["reason"]
                .as_str()
                .unwrap()
                .contains('/')
        );
        assert!(r["metadata"]["tapis"]["decided_on"].is_object());
    }
    // Kept documents keep their input order.
    let order: Vec<&str> = kept.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let input_ids: Vec<String> = pages(120)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .filter(|id| order.contains(&id.as_str()))
        .collect();
    assert_eq!(order, input_ids);
}

#[test]
fn every_output_format_holds_the_same_documents_and_show_reads_them() {
    let Some(input) = pages(60) else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pages.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(input.as_bytes()).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let mut shown = Vec::new();
    for format in ["jsonl.zst", "jsonl", "parquet"] {
        let out = dir.path().join(format);
        let status = tapis()
            .args(["clean", "--no-progress", "--format", format, "-o"])
            .arg(&out)
            .arg(&path)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0), "{format}");
        let stats: Value =
            serde_json::from_slice(&std::fs::read(out.join("stats.json")).unwrap()).unwrap();
        assert_eq!(stats["read"], 60);
        assert_eq!(stats["conservation"]["holds"], true);
        let show = tapis().arg("show").arg(&out).output().unwrap();
        assert_eq!(show.status.code(), Some(0));
        shown.push(String::from_utf8(show.stdout).unwrap());
    }
    assert!(shown[0].contains("KEPT ") && shown[0].contains("REMOVED "));
    assert_eq!(shown[0], shown[1], "jsonl.zst and jsonl show the same");
    assert_eq!(shown[0], shown[2], "jsonl.zst and parquet show the same");
    // A second run into the same folder needs --overwrite.
    let again = tapis()
        .args(["clean", "--no-progress", "-o"])
        .arg(dir.path().join("jsonl"))
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn the_seed_page_under_the_datatrove_preset_shows_what_c4_cuts() {
    let Some(seed) = shared("seed/000_c7507cca9c270131.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed");
    let status = tapis()
        .args(["clean", "--no-progress", "--no-line-cleaning", "-o"])
        .arg(&out)
        .arg(&seed)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let show = String::from_utf8(tapis().arg("show").arg(&out).output().unwrap().stdout).unwrap();
    // C4's line rules cut the headline and the paywall lines, with their reason.
    assert!(show.contains("KEPT 000_c7507cca9c270131"), "{show}");
    assert!(
        show.contains("c4_quality/no_terminal_punct       AS dan Rusia setuju"),
        "{show}"
    );
    assert!(
        show.contains("Daftar sekarang untuk akses GRATIS"),
        "{show}"
    );
}

#[test]
fn the_seed_page_cleaned_line_by_line_keeps_its_article() {
    let Some(seed) = shared("seed/000_c7507cca9c270131.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed");
    let status = tapis()
        .args(["clean", "--no-progress", "--preset", "multilingual", "-o"])
        .arg(&out)
        .arg(&seed)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let show = String::from_utf8(
        tapis()
            .args(["show", "--full"])
            .arg(&out)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(show.contains("KEPT 000_c7507cca9c270131"), "{show}");
    // The debris goes, each piece with its reason; the article stays.
    for cut in [
        "boilerplate_lines/call_to_action   Daftar sekarang untuk akses GRATIS",
        "Leave a reply",
        "DETEKSIMALUT.COM PARTICIPE AU PROGRAMME",
        "boilerplate_lines/trailing_link_text Baca selengkapnya",
    ] {
        assert!(show.contains(cut), "{cut} not cut:\n{show}");
    }
    for kept in [
        "| AS dan Rusia setuju untuk terus berbicara",
        "| • Ketegangan tinggi di Ukraina",
        "| ‘JANGAN MENDENGAR DIRI KITA SENDIRI’",
    ] {
        assert!(show.contains(kept), "{kept} not kept:\n{show}");
    }
    assert!(!show.contains("c4_quality/no_terminal_punct"), "{show}");
    // `tapis explain` shows the same decisions, line by line, as JSON.
    let page = explain_json(&seed);
    let line = |n: u64| {
        page["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["line"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(page["extracted"], false);
    assert_eq!(line(1)["decision"], "keep");
    assert_eq!(line(61)["decision"], "remove");
    assert_eq!(line(61)["reason"], "boilerplate_lines/call_to_action");
    assert!(line(59)["signals"]["other_stop_ratio"].as_f64().unwrap() > 0.3);
    assert_eq!(
        line(45)["cut"]["reason"],
        "boilerplate_lines/trailing_link_text"
    );
    // On a terminal-less pipe the plain form has no colours.
    let plain = tapis().arg("explain").arg(&seed).output().unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(
        plain.contains("REMOVE") && !plain.contains('\x1b'),
        "{plain}"
    );
}

#[test]
fn fineweb_judges_the_seed_article_not_its_repeated_paywall_line() {
    let Some(seed) = shared("seed/000_c7507cca9c270131.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("fineweb.toml");
    std::fs::write(&config, "chain = [\"fineweb_quality\"]\n").unwrap();
    let run = |extra: &[&str]| {
        let out = tapis()
            .args(["clean", "--no-progress", "--config"])
            .arg(&config)
            .args(extra)
            .arg(&seed)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    // On the page as read, the paywall line printed twice pushes
    // char_dup_ratio over 0.01 and FineWeb drops the article...
    assert!(run(&["--no-line-cleaning"]).is_empty());
    // ...after line cleaning it judges the article, and keeps it.
    let kept: Value = serde_json::from_str(run(&[]).trim()).unwrap();
    let text = kept["text"].as_str().unwrap();
    assert!(text.starts_with("AS dan Rusia setuju"), "{text}");
    assert!(!text.contains("Daftar sekarang"), "{text}");
    let paywall_cuts = kept["metadata"]["tapis"]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["reason"] == "boilerplate_lines/call_to_action")
        .count();
    assert!(paywall_cuts >= 2, "{kept}");
}

#[test]
fn rules_lists_every_rule_with_codes_and_defaults() {
    let out = tapis().args(["rules", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "boilerplate_lines",
            "gopher_repetition",
            "gopher_quality",
            "c4_quality",
            "fineweb_quality",
            "refinedweb_lines"
        ]
    );
    for r in &rules {
        assert!(!r["codes"].as_array().unwrap().is_empty());
        assert!(r["doc"].as_str().unwrap().contains("**Source.**"));
    }
    let gq = &rules[2];
    assert!(
        gq["defaults_toml"]
            .as_str()
            .unwrap()
            .contains("min_doc_words = 50")
    );
    let text = tapis().args(["rules", "c4_quality"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("c4_quality/no_terminal_punct"));
    assert_eq!(
        tapis().args(["rules", "nope"]).status().unwrap().code(),
        Some(2)
    );
}

fn seed() -> PathBuf {
    shared("seed/000_c7507cca9c270131.txt").expect("the seed page beside the repository")
}

#[test]
fn clean_with_lid_labels_the_document_and_every_line() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = tapis()
        .args(["clean", "--lid", "--format", "jsonl", "--no-progress", "-o"])
        .arg(&out_dir)
        .arg(seed())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Kept or removed, the record carries its languages.
    let mut records = Vec::new();
    for sub in ["kept", "removed"] {
        for entry in std::fs::read_dir(out_dir.join(sub)).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            records.extend(
                text.lines()
                    .map(|l| serde_json::from_str::<Value>(l).unwrap()),
            );
        }
    }
    assert_eq!(records.len(), 1);
    let stats: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("stats.json")).unwrap())
            .unwrap();
    assert_eq!(stats["languages"]["ind_Latn"]["read"], 1);
    let language = &records[0]["metadata"]["tapis"]["language"];
    assert_eq!(language["language"], "ind_Latn");
    assert_eq!(language["multilingual"], false);
    // Line spans are in the record's text (the kept text, if kept).
    let text = records[0]["text"].as_str().unwrap().as_bytes();
    let label_of = |start_of_line: &str| {
        language["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| {
                let (s, e) = (
                    l[0].as_u64().unwrap() as usize,
                    l[1].as_u64().unwrap() as usize,
                );
                text[s..e].starts_with(start_of_line.as_bytes())
            })
            .map(|l| l[2].clone())
    };
    assert_eq!(
        label_of("DETEKSIMALUT.COM PARTICIPE"),
        Some(Value::from("fra_Latn"))
    );
    assert_eq!(
        label_of("Setelah pembicaraan di Jenewa"),
        Some(Value::from("ind_Latn"))
    );
    // The page's own English lines, where they are still in the text.
    if text.windows(13).any(|w| w == b"Leave a reply") {
        assert_eq!(label_of("Leave a reply"), Some(Value::from("eng_Latn")));
    }
}

#[test]
fn lid_tags_one_record_per_input_record_in_order() {
    let mut child = tapis()
        .args(["lid", "--plain", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            "Der Vertrag wurde gestern in Berlin unterzeichnet.\n\
             12345\n\
             La réunion a eu lieu hier à Paris.\n"
                .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let labels: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["language"].clone())
        .collect();
    assert_eq!(
        labels,
        [
            Value::from("deu_Latn"),
            Value::Null,
            Value::from("fra_Latn")
        ]
    );
}

#[test]
fn the_seed_page_with_its_url_has_its_headline_found_and_keeps_its_article() {
    let (Some(seed), Some(expected)) = (
        shared("seed/000_c7507cca9c270131.txt"),
        shared("seed/000_c7507cca9c270131.expected.json"),
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&seed).unwrap();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(&expected).unwrap()).unwrap();
    let physical: Vec<&str> = text.lines().collect();
    let lines_of = |key: &str| -> Vec<&str> {
        expected[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| physical[n.as_u64().unwrap() as usize - 1].trim())
            .collect()
    };
    // As a WET record or a crawl's JSONL gives it: with the page's URL,
    // whose slug is the headline's words.
    let record = serde_json::json!({
        "id": "seed",
        "text": text,
        "url": "https://deteksimalut.com/2022/01/22/as-dan-rusia-setuju-untuk-terus-berbicara-setelah-bertemu-di-ukraina/",
    });
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("seed.jsonl");
    std::fs::write(&input, format!("{record}\n")).unwrap();

    let page = explain_json(&input);
    let headline = page["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["signals"]["url_headline_offset"] == 0)
        .expect("a line at the URL's headline");
    assert_eq!(headline["line"], 1, "{headline}");

    // `tapis clean` reads the URL too and keeps the article, debris gone.
    let out = tapis()
        .args(["clean", "--no-progress", "--preset", "multilingual"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let kept: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kept = kept["text"].as_str().unwrap();
    for line in lines_of("keep") {
        // Up to its last full stop: link text trailing a paragraph
        // ("… Baca selengkapnya") is cut as a span of its own.
        let sentences = line.rfind('.').map_or(line, |i| &line[..=i]);
        assert!(kept.contains(sentences), "{line:?} must stay");
    }
    for line in lines_of("remove") {
        assert!(!kept.contains(line), "{line:?} must go");
    }
}

#[test]
fn explain_reads_the_language_and_url_from_the_fields_named() {
    let Some(seed) = shared("seed/000_c7507cca9c270131.txt") else {
        return;
    };
    let text = std::fs::read_to_string(&seed).unwrap();
    // A record naming its language and URL under other names than tapis's
    // defaults; the language named is not the one the stop words guess.
    let record = serde_json::json!({
        "id": "seed",
        "text": text,
        "lang": "ms",
        "link": "https://deteksimalut.com/2022/01/22/as-dan-rusia-setuju-untuk-terus-berbicara-setelah-bertemu-di-ukraina/",
    });
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("seed.jsonl");
    std::fs::write(&input, format!("{record}\n")).unwrap();
    let explain = |extra: &[&str]| -> Value {
        let out = tapis()
            .args(["explain", "--json"])
            .args(extra)
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let headline_offset = |page: &Value| page["lines"][0]["signals"]["url_headline_offset"].clone();

    let by_default = explain(&[]);
    assert_eq!(by_default["language"], "id", "guessed from the stop words");
    assert!(headline_offset(&by_default).is_null(), "no URL read");

    let named = explain(&["--language-field", "lang", "--url-field", "link"]);
    assert_eq!(named["language"], "ms");
    assert_eq!(headline_offset(&named), 0, "the URL's headline is line 1");
}
