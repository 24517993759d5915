//! Parity with datatrove 0.10.1: each of the four filters, run on its own
//! with the `datatrove` preset, must take the same keep/drop decision as
//! datatrove on at least 99 % of the 990 pages of the trafilatura evaluation
//! set (`datatrove-reference.jsonl`, made as its `SOURCE.md` says).
//!
//! The disagreements are printed, with both reasons, so that BENCHMARKS.md
//! can list their causes.

use std::collections::HashMap;
use std::path::PathBuf;

use tapis_document::{Decision, Document, Metadata, Origin};
use tapis_rules::{Chain, Config, Preset};

fn shared_data() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/trafilatura-eval");
    p.join("fullpage.jsonl").exists().then_some(p)
}

/// (datatrove's filter key, tapis rule id)
const FILTERS: [(&str, &str); 4] = [
    ("gopher_repetition", "gopher_repetition"),
    ("gopher_quality", "gopher_quality"),
    ("c4", "c4_quality"),
    ("fineweb", "fineweb_quality"),
];

fn load() -> Option<(Vec<Document>, HashMap<String, serde_json::Value>)> {
    let dir = shared_data()?;
    let pages = std::fs::read_to_string(dir.join("fullpage.jsonl")).unwrap();
    let docs = pages
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            Document {
                id: v["id"].as_str().unwrap().to_string(),
                text: v["text"].as_str().unwrap().to_string(),
                metadata: Metadata::new(),
                origin: Origin {
                    file: "fullpage.jsonl".into(),
                    record: i as u64 + 1,
                },
                utf8_repairs: 0,
                extracted: false,
            }
        })
        .collect();
    let reference = std::fs::read_to_string(dir.join("datatrove-reference.jsonl")).unwrap();
    let reference = reference
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            (v["id"].as_str().unwrap().to_string(), v)
        })
        .collect();
    Some((docs, reference))
}

#[test]
fn each_filter_agrees_with_datatrove_on_99_percent_of_pages() {
    let Some((docs, reference)) = load() else {
        eprintln!("skipped: ../shared/data/trafilatura-eval not found beside the repository");
        return;
    };
    assert_eq!(docs.len(), 990);
    let mut failures = Vec::new();
    for (dt_key, rule_id) in FILTERS {
        let mut config = Config::preset(Preset::Datatrove);
        config.chain = vec![rule_id.to_string()];
        let chain = Chain::new(&config).unwrap();
        let info = tapis_rules::rules::info(rule_id).unwrap();
        let (mut agree, mut same_reason, mut same_lines, mut c4_kept) = (0, 0, 0, 0);
        let mut disagreements = Vec::new();
        for doc in &docs {
            let want = &reference[&doc.id][dt_key];
            let want_keep = want["keep"].as_bool().unwrap();
            let out = chain.apply(doc);
            let (keep, reason) = match &out.decision {
                Decision::Keep { .. } => (true, None),
                Decision::Drop { reason, .. } => (false, info.datatrove_reason(reason.code.check)),
            };
            if keep == want_keep {
                agree += 1;
                if keep || reason == want["reason"].as_str() {
                    same_reason += 1;
                }
            } else {
                disagreements.push(format!(
                    "  {}: datatrove {} ({}), tapis {} ({})",
                    doc.id,
                    if want_keep { "keeps" } else { "drops" },
                    want["reason"].as_str().unwrap_or("-"),
                    if keep { "keeps" } else { "drops" },
                    reason.unwrap_or("-"),
                ));
            }
            if dt_key == "c4" && want_keep && keep {
                c4_kept += 1;
                let kept_lines = out
                    .figures
                    .iter()
                    .find(|f| f.attribute == "c4_quality.kept_lines");
                if kept_lines.map(|f| f.value as u64) == want["kept_lines"].as_u64() {
                    same_lines += 1;
                }
            }
        }
        let share = agree as f64 / docs.len() as f64;
        println!(
            "{rule_id}: {agree}/{} decisions agree ({:.2} %), {same_reason} with the same reason",
            docs.len(),
            100.0 * share
        );
        if dt_key == "c4" {
            println!("c4_quality: same kept line count on {same_lines}/{c4_kept} pages both keep");
        }
        for d in &disagreements {
            println!("{d}");
        }
        if share < 0.99 {
            failures.push(format!("{rule_id}: {:.2} % < 99 %", 100.0 * share));
        }
    }
    assert!(failures.is_empty(), "parity below target: {failures:?}");
}
