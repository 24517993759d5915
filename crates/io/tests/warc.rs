//! WARC, WET, WAT and HTML inputs: real Common Crawl and archive captures,
//! and deliberately broken files, each record accounted for exactly once.

mod common;

use std::collections::BTreeMap;

use common::{Fixture, gzip, shared};
use tapis_io::{Item, ReadOptions, read_inputs};

/// `(pages, documents, skipped, errors)` and the outline of errors, per file.
fn tally(items: &[Item]) -> BTreeMap<String, (usize, usize, usize, Vec<String>)> {
    let mut by_file: BTreeMap<String, (usize, usize, usize, Vec<String>)> = BTreeMap::new();
    for item in items {
        let file = match item {
            Item::Doc(d) => &d.origin.file,
            Item::Page(p) => &p.origin.file,
            Item::Skipped(s) => &s.file,
            Item::Error(e) => &e.file,
        };
        let name = file.rsplit('/').next().unwrap().to_string();
        let entry = by_file.entry(name).or_default();
        match item {
            Item::Page(_) => entry.0 += 1,
            Item::Doc(_) => entry.1 += 1,
            Item::Skipped(_) => entry.2 += 1,
            Item::Error(e) => entry.3.push(format!("{} {}", e.record, e.kind)),
        }
    }
    by_file
}

#[test]
fn every_record_of_the_real_samples_is_a_page_a_document_a_skip_or_an_error() {
    let Some(dir) = shared("data/warc-samples") else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".warc"))
        .collect();
    files.sort();
    let items: Vec<Item> = read_inputs(&files, &ReadOptions::default()).collect();
    let tally = tally(&items);
    let expected: BTreeMap<String, (usize, usize, usize, Vec<String>)> = [
        // Synthetic records of an unknown type, aligned to block sizes.
        ("resiliparse-block-sized-records.warc.gz", (0, 0, 3, vec![])),
        // One response cut inside its gzip member.
        (
            "resiliparse-clipped.warc.gz",
            (0, 0, 0, vec!["1 truncated_compressed_stream".to_string()]),
        ),
        // 29 ClueWeb responses behind one warcinfo record.
        ("resiliparse-clueweb-quirk.warc.gz", (29, 0, 1, vec![])),
        // 1 warcinfo, 17 requests, 16 responses, 16 metadata records.
        ("resiliparse-warcfile.warc.gz", (16, 0, 34, vec![])),
        ("warcio-example-bad-non-chunked.warc.gz", (1, 0, 5, vec![])),
        ("warcio-example-digest.warc", (0, 0, 4, vec![])),
        ("warcio-example-iana.org-chunked.warc", (1, 0, 2, vec![])),
        // A PNG resource.
        (
            "warcio-example-space-in-target-uri.warc.gz",
            (0, 0, 2, vec![]),
        ),
        // The response is cut; the records after it are still read.
        (
            "warcio-example-trunc.warc",
            (0, 0, 3, vec!["3 malformed_warc_record".to_string()]),
        ),
        ("warcio-example-wrong-chunks.warc.gz", (1, 0, 1, vec![])),
        ("warcio-example.warc.gz", (1, 0, 5, vec![])),
        ("whirlwind-whirlwind.warc.gz", (1, 0, 3, vec![])),
        ("whirlwind-whirlwind.warc.wat.gz", (0, 0, 2, vec![])),
        ("whirlwind-whirlwind.warc.wet.gz", (0, 1, 1, vec![])),
    ]
    .into_iter()
    .map(|(f, t)| (f.to_string(), t))
    .collect();
    assert_eq!(tally, expected);

    // The same page in its three Common Crawl forms: the WARC response is a
    // page with its URL, date and charset; the WET conversion a document.
    let page = items
        .iter()
        .find_map(|i| match i {
            Item::Page(p) if p.origin.file.ends_with("whirlwind-whirlwind.warc.gz") => Some(p),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        page.metadata["url"],
        "https://an.wikipedia.org/wiki/Escopete"
    );
    assert_eq!(page.metadata["date"], "2024-05-18T01:58:10Z");
    assert_eq!(page.metadata["http_status"], 200);
    assert_eq!(page.metadata["content_type"], "text/html");
    assert_eq!(page.declared_charset.as_deref(), Some("UTF-8"));
    assert_eq!(page.id, "urn:uuid:2aabeff2-67f5-4608-8466-e87c6296e2b6");
    assert!(page.html.starts_with(b"<!DOCTYPE html>"));
    let wet = items
        .iter()
        .find_map(|i| match i {
            Item::Doc(d) => Some(d),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        wet.metadata["url"],
        "https://an.wikipedia.org/wiki/Escopete"
    );
    assert_eq!(wet.metadata["warc_languages"], "spa");
    assert!(wet.text.starts_with("Escopete - Biquipedia"));

    // The chunked iana.org payload comes out dechunked.
    let iana = items
        .iter()
        .find_map(|i| match i {
            Item::Page(p) if p.origin.file.ends_with("iana.org-chunked.warc") => Some(p),
            _ => None,
        })
        .unwrap();
    let html = String::from_utf8_lossy(&iana.html);
    assert!(
        html.trim_start().starts_with("<!doctype html>"),
        "{}",
        &html[..60]
    );
    assert!(html.trim_end().ends_with("</html>"));
    // A gzip Content-Encoding is undone.
    let example = items
        .iter()
        .find_map(|i| match i {
            Item::Page(p) if p.origin.file.ends_with("warcio-example.warc.gz") => Some(p),
            _ => None,
        })
        .unwrap();
    assert!(String::from_utf8_lossy(&example.html).contains("<title>Example Domain</title>"));
}

#[test]
fn html_files_and_html_fields_are_pages() {
    let fx = Fixture::new();
    fx.write("a/page.html", b"<html><p>caf\xe9</p></html>");
    fx.write("a/other.htm.gz", &gzip(b"<p>zipped</p>"));
    fx.write(
        "records.jsonl",
        b"{\"id\": \"r1\", \"html\": \"<p>one</p>\", \"text\": \"dropped\", \"url\": \"http://x.org/\"}\n\
          {\"id\": \"r2\", \"text\": \"no html\"}\n",
    );
    let items = fx.read(&["a"]);
    assert_eq!(
        fx.outline(&items),
        ["page a/other.htm.gz:1 other", "page a/page.html:1 page"]
    );
    let Item::Page(page) = &items[1] else {
        unreachable!()
    };
    assert_eq!(page.html, b"<html><p>caf\xe9</p></html>");
    assert_eq!(page.declared_charset, None);

    let opts = ReadOptions {
        html_field: Some("html".into()),
        ..ReadOptions::default()
    };
    let items = fx.read_with(&["records.jsonl"], &opts);
    assert_eq!(
        fx.outline(&items),
        [
            "page records.jsonl:1 r1",
            "err records.jsonl:2 missing_text_field"
        ]
    );
    let Item::Page(page) = &items[0] else {
        unreachable!()
    };
    assert_eq!(page.html, b"<p>one</p>");
    assert_eq!(page.declared_charset.as_deref(), Some("utf-8"));
    assert_eq!(page.metadata["url"], "http://x.org/");
    assert!(!page.metadata.contains_key("text"));
}

#[test]
fn a_page_over_the_limit_is_an_error_and_a_cut_gzip_page_too() {
    let fx = Fixture::new();
    fx.write("big.html", &vec![b'a'; 5000]);
    let whole = gzip(b"<html><body>a page</body></html>");
    fx.write("cut.html.gz", &whole[..whole.len() - 10]);
    let opts = ReadOptions {
        max_record_bytes: 4096,
        ..ReadOptions::default()
    };
    let items = fx.read_with(&["big.html", "cut.html.gz"], &opts);
    assert_eq!(
        fx.outline(&items),
        [
            "err big.html:1 record_too_large",
            "err cut.html.gz:1 truncated_compressed_stream"
        ]
    );
}
