//! The seed page (`../shared/seed/`): a machine-translated Indonesian news
//! article with a paywall line printed twice, an English comment widget, an
//! all-caps French affiliate disclaimer and the site's name. Cleaned on its
//! own, every line its expectations list under `keep` must stay and every
//! line under `remove` must go.

use std::collections::HashMap;
use std::path::PathBuf;

use tapis_lines::{LineCleaner, LineDecision, Reason};

/// The seed page's folder beside the repository; `None` (after saying so)
/// when it is not there.
fn seed_dir() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed");
    let found = p.join("000_c7507cca9c270131.txt").exists().then_some(p);
    if found.is_none() {
        eprintln!("skipped: ../shared/seed not found beside the repository");
    }
    found
}

#[test]
fn the_seed_page_keeps_its_article_and_loses_its_debris() {
    let Some(dir) = seed_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("000_c7507cca9c270131.txt")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("000_c7507cca9c270131.expected.json")).unwrap(),
    )
    .unwrap();
    let cleaner = LineCleaner::new();
    let page = cleaner.clean(&text, None, &cleaner.default_policy());
    let by_number: HashMap<usize, &tapis_lines::LineReport> =
        page.lines.iter().map(|l| (l.line.number, l)).collect();
    let numbers = |key: &str| -> Vec<usize> {
        expected[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect()
    };
    let mut wrong = Vec::new();
    for n in numbers("keep") {
        let l = by_number[&n];
        if l.decision != LineDecision::Keep {
            wrong.push(format!(
                "line {n} removed ({:?}, {:.2}): {}",
                l.decision,
                l.scored.score,
                &text[l.line.start..l.line.end]
            ));
        }
    }
    for n in numbers("remove") {
        let l = by_number[&n];
        if l.decision == LineDecision::Keep {
            wrong.push(format!(
                "line {n} kept ({:.2}): {}",
                l.scored.score,
                &text[l.line.start..l.line.end]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every listed line was seen: numbering is the file's physical lines.
    assert_eq!(
        page.lines.len(),
        numbers("keep").len() + numbers("remove").len() + numbers("either").len()
    );
    assert_eq!(
        page.language,
        Some("id").or(page.language.filter(|l| *l == "ms"))
    );

    // The paywall prompt, printed twice, goes both times; the English and
    // French lines are told apart from the Indonesian article.
    for n in [15, 53] {
        assert!(matches!(by_number[&n].decision, LineDecision::Remove(_)));
    }
    // Line 45 ends in the link text "Baca selengkapnya" (Read more): the
    // paragraph stays, the link text is cut.
    let l45 = by_number[&45];
    assert_eq!(l45.decision, LineDecision::Keep);
    let (s, e) = l45.trailing_cut.expect("trailing link text cut");
    assert_eq!(text[s..e].trim(), "Baca selengkapnya");
    let removals = page.removals();
    assert!(
        removals
            .iter()
            .any(|&(span, check)| span == (s, e) && check == tapis_lines::TRAILING_LINK_TEXT)
    );
    // Removed lines carry a reason of the rule's list.
    for l in &page.lines {
        if let LineDecision::Remove(r) = l.decision {
            assert!(Reason::ALL.contains(&r));
        }
    }
}

/// Renderers indent nested blocks (inscriptis, lynx, html2text), WET records
/// do not: the same page indented line by line gets the same decisions.
#[test]
fn indentation_does_not_change_a_decision() {
    let Some(dir) = seed_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("000_c7507cca9c270131.txt")).unwrap();
    // A photo credit between two paragraphs, as a caption follows its image.
    let text = text.replacen("\n\n", "\n\nFoto: Reuters/Stringer\n\n", 3);
    let indented: String = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            let pad = if i % 2 == 0 {
                " ".repeat(2 + i % 11)
            } else {
                "\t".repeat(1 + i % 3)
            };
            format!("{pad}{l}")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let cleaner = LineCleaner::new();
    let policy = cleaner.default_policy();
    let flat = cleaner.clean(&text, None, &policy);
    let deep = cleaner.clean(&indented, None, &policy);
    assert_eq!(flat.lines.len(), deep.lines.len());
    let mut credits = 0;
    for (a, b) in flat.lines.iter().zip(&deep.lines) {
        let line = text[a.line.start..a.line.end].trim();
        assert_eq!(a.decision, b.decision, "{line}");
        if line.starts_with("Foto:") {
            credits += 1;
            assert!(a.line.signals.lead_in && b.line.signals.lead_in, "{line}");
            assert!(matches!(b.decision, LineDecision::Remove(_)), "{line}");
        }
    }
    assert_eq!(credits, 3);
}
