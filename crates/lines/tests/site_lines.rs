//! Corpus mode on the seed page: its site's other pages share its template
//! (paywall prompt, agency footer, comment widget, disclaimer, site name)
//! around articles of their own, made of real Indonesian sentences. Counted
//! with the map and reduce steps, the template goes, the article stays, a
//! sentence that two articles quote stays, and copies of the page keep
//! their article.

use std::path::Path;

use tapis_lines::site_lines::{SiteLineCounter, reduce, site_of_url};
use tapis_lines::{LineCleaner, LineDecision, PageText, Reason, SiteContext, SiteLines};

const SEED: &str = "../../../shared/seed/000_c7507cca9c270131.txt";
const EXPECTED: &str = "../../../shared/seed/000_c7507cca9c270131.expected.json";
const SENTENCES: &str = "../../../shared/data/lingua-testdata/sentences/id.txt";

fn read(path: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The seed's lines (1-based) that are its site's template: what the
/// expectations remove, plus the agency footer (57) and the paywall prompt.
const TEMPLATE_HEAD: [usize; 0] = [];
const TEMPLATE_TAIL: [usize; 5] = [57, 59, 61, 63, 64];
const PAYWALL: usize = 15;

/// Another page of the site: the seed's template around `paragraphs`.
fn sibling(seed_lines: &[&str], headline: &str, paragraphs: &[String]) -> String {
    let mut page = vec![headline.to_string(), String::new()];
    for k in TEMPLATE_HEAD {
        page.push(seed_lines[k - 1].to_string());
    }
    for (i, p) in paragraphs.iter().enumerate() {
        page.push(p.clone());
        page.push(String::new());
        if i == 1 {
            page.push(seed_lines[PAYWALL - 1].to_string());
            page.push(String::new());
        }
    }
    page.push(seed_lines[PAYWALL - 1].to_string());
    page.push(String::new());
    page.push("Pelaporan oleh Redaksi; Penyuntingan oleh Tim.".to_string());
    page.push(String::new());
    for k in TEMPLATE_TAIL {
        page.push(seed_lines[k - 1].to_string());
        page.push(String::new());
    }
    page.join("\n")
}

struct Expected {
    keep: Vec<usize>,
    remove: Vec<usize>,
}

fn expected() -> Expected {
    let v: serde_json::Value = serde_json::from_str(&read(EXPECTED)).unwrap();
    let list = |k: &str| -> Vec<usize> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect()
    };
    Expected {
        keep: list("keep"),
        remove: list("remove"),
    }
}

/// Counts `pages` of one site with the map and reduce steps (several runs,
/// several partitions) and loads the result.
fn count(pages: &[String], dir: &Path) -> SiteLines {
    let runs = dir.join("runs");
    let out = dir.join("counts");
    // Two map steps, as on two machines, with tiny buffers: many runs.
    let (a, b) = pages.split_at(pages.len() / 2);
    for (name, part) in [("a", a), ("b", b)] {
        let mut counter = SiteLineCounter::new(&runs, name, 4, 0).unwrap();
        for page in part {
            counter.add("deteksimalut.com", page).unwrap();
        }
        counter.finish().unwrap();
    }
    let run_files = tapis_counts::runs_in(&runs).unwrap();
    assert!(run_files.len() >= 2);
    for p in 0..4 {
        reduce(&run_files, p, 2, &out).unwrap();
    }
    SiteLines::load(&out).unwrap()
}

fn decisions(page: &tapis_lines::PageReport) -> std::collections::HashMap<usize, LineDecision> {
    page.lines
        .iter()
        .map(|l| (l.line.number, l.decision))
        .collect()
}

#[test]
fn the_template_goes_the_article_and_a_shared_quote_stay() {
    let seed = read(SEED);
    let seed_lines: Vec<&str> = seed.split('\n').collect();
    let sentences_text = read(SENTENCES);
    let sentences: Vec<&str> = sentences_text.lines().collect();
    // Line 25 of the seed is quoted by one other article of the site.
    let quote = seed_lines[24];
    let mut pages = vec![seed.clone()];
    for k in 0..6 {
        let mut body: Vec<String> = sentences[k * 12..k * 12 + 12]
            .chunks(3)
            .map(|s| s.join(" "))
            .collect();
        if k == 0 {
            body.insert(2, quote.to_string());
        }
        pages.push(sibling(&seed_lines, sentences[900 + k], &body));
    }
    let dir = tempfile::tempdir().unwrap();
    let lines = count(&pages, dir.path());

    let cleaner = LineCleaner::new();
    let policy = cleaner.default_policy();
    let site = SiteContext::new(&lines, "deteksimalut.com");
    let page = cleaner.clean_page(page_text(&seed), &policy, Some(site));
    assert!(!page.site_copy);
    // The site's template is known: the page is judged by the site's
    // threshold, lower than the page's, and every line passing it that is
    // not template stays.
    assert!(policy.site.threshold < policy.threshold);
    assert_eq!(page.threshold, policy.site.threshold);
    for l in &page.lines {
        if l.scored.score >= policy.site.threshold
            && l.decision != LineDecision::Remove(Reason::FrequentInSite)
        {
            assert_eq!(l.decision, LineDecision::Keep, "line {}", l.line.number);
        }
    }
    let by_line = decisions(&page);
    let want = expected();
    for n in &want.keep {
        assert_eq!(by_line[n], LineDecision::Keep, "line {n} must stay");
    }
    for n in &want.remove {
        assert!(
            matches!(by_line[n], LineDecision::Remove(_)),
            "line {n} must go"
        );
    }
    // The agency footer, acceptable on the page alone, is the site's
    // template in the corpus; so are the disclaimer and the paywall line.
    for n in [15, 53, 57, 63] {
        assert_eq!(
            by_line[&n],
            LineDecision::Remove(Reason::FrequentInSite),
            "line {n}"
        );
    }
    let counted = page.lines.iter().find(|l| l.line.number == 57).unwrap();
    let site_count = counted.site.unwrap();
    assert_eq!((site_count.documents, site_count.site_documents), (7, 7));
    // The quoted sentence is on 2 of 7 pages: not template.
    let quoted = page.lines.iter().find(|l| l.line.number == 25).unwrap();
    assert_eq!(quoted.site.unwrap().documents, 2);
    assert_eq!(quoted.decision, LineDecision::Keep);

    // A sibling page: its own article stays, the template goes.
    let other = &pages[3];
    let report = cleaner.clean_page(page_text(other), &policy, Some(site));
    for l in &report.lines {
        let text = &other[l.line.start..l.line.end];
        let is_template = TEMPLATE_TAIL
            .iter()
            .chain(&[PAYWALL])
            .any(|&k| seed_lines[k - 1] == text);
        if is_template {
            assert!(matches!(l.decision, LineDecision::Remove(_)), "{text}");
        }
    }

    // Judged alone, the same page keeps the agency footer or not by the
    // classifier only: no line is removed as frequent.
    let alone = cleaner.clean(&seed, Some("id"), &policy);
    assert_eq!(alone.threshold, policy.threshold);
    assert!(
        alone.lines.iter().all(
            |l| l.decision != LineDecision::Remove(Reason::FrequentInSite) && l.site.is_none()
        )
    );
}

#[test]
fn copies_of_a_page_keep_their_article() {
    let seed = read(SEED);
    // The same article under three URLs of the site, and nothing else:
    // every line is "frequent", but that is a copy, for dedup to settle.
    let pages = vec![seed.clone(), seed.clone(), seed.clone()];
    let dir = tempfile::tempdir().unwrap();
    let lines = count(&pages, dir.path());
    let cleaner = LineCleaner::new();
    let policy = cleaner.default_policy();
    let page = cleaner.clean_page(
        page_text(&seed),
        &policy,
        Some(SiteContext::new(&lines, "deteksimalut.com")),
    );
    assert!(page.site_copy);
    // Frequency is not used on a copy, nor the site's lower threshold.
    assert_eq!(page.threshold, policy.threshold);
    let by_line = decisions(&page);
    for n in expected().keep {
        assert_eq!(by_line[&n], LineDecision::Keep, "line {n} must stay");
    }
}

#[test]
fn sites_come_from_urls() {
    let cases = [
        ("https://www.Example.com/a/b?c=1", Some("example.com")),
        (
            "http://news.example.co.uk:8080/x",
            Some("news.example.co.uk"),
        ),
        (
            "http://web.archive.org/web/20190101000000/https://www.blog.de/post",
            Some("blog.de"),
        ),
        (
            "https://web.archive.org/web/2019/blog.de/post",
            Some("blog.de"),
        ),
        ("hard::100noticias.com-millones.html", None),
        ("not a url", None),
        ("", None),
    ];
    for (url, want) in cases {
        assert_eq!(site_of_url(url).as_deref(), want, "{url}");
    }
}

/// The seed's text, an Indonesian page.
fn page_text(text: &str) -> PageText<'_> {
    PageText {
        text,
        language: Some("id"),
        url: None,
    }
}
