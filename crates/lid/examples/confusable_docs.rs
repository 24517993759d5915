//! Indonesian and Malay (and the other confusable groups) decided per
//! document: documents of N consecutive test sentences of one language,
//! labelled by `identify` (group vote over lines) against the detector on
//! each sentence alone and on the whole document as one text.
//!
//!     cargo run --release -p tapis-lid --example confusable_docs -- ../shared/data/lingua-testdata [N]

use tapis_lid::{CONFUSABLE_GROUPS, Detector, Language, identify};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("lingua-testdata folder"));
    let per_doc: usize = args.next().map_or(10, |s| s.parse().unwrap());
    let detector = Detector::new();
    println!("documents of {per_doc} sentences; rows: true language, columns: labels given");
    for group in CONFUSABLE_GROUPS {
        let langs: Vec<Language> = group
            .iter()
            .map(|c| Language::all().find(|l| l.iso639_3() == *c).unwrap())
            .collect();
        println!("\n## {}", group.join(" / "));
        for &truth in &langs {
            let path = dir
                .join("sentences")
                .join(format!("{}.txt", truth.iso639_1()));
            let text = std::fs::read_to_string(&path).unwrap();
            let sentences: Vec<&str> = text.lines().collect();
            let mut per_sentence = vec![0usize; langs.len() + 1];
            let mut whole = vec![0usize; langs.len() + 1];
            let mut by_lines = vec![0usize; langs.len() + 1];
            let column = |l: Option<Language>| {
                l.and_then(|l| langs.iter().position(|x| *x == l))
                    .unwrap_or(langs.len())
            };
            for s in &sentences {
                per_sentence[column(detector.detect(s).map(|d| d.language))] += 1;
            }
            let docs: Vec<String> = sentences.chunks(per_doc).map(|c| c.join("\n")).collect();
            for doc in &docs {
                whole[column(detector.detect(doc).map(|d| d.language))] += 1;
                by_lines[column(identify(&detector, doc).document.language)] += 1;
            }
            let fmt = |counts: &[usize], total: usize| -> String {
                counts
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        let name = langs.get(i).map_or("other".to_string(), |l| l.code());
                        format!("{name} {:.1}%", 100.0 * *n as f64 / total as f64)
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            println!("{}:", truth.code());
            println!(
                "  sentences alone ({}): {}",
                sentences.len(),
                fmt(&per_sentence, sentences.len())
            );
            println!(
                "  documents as one text ({}): {}",
                docs.len(),
                fmt(&whole, docs.len())
            );
            println!(
                "  documents, lines voting ({}): {}",
                docs.len(),
                fmt(&by_lines, docs.len())
            );
        }
    }
}
