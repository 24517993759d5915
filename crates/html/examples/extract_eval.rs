//! Extracts every page of a folder of `.html` / `.html.gz` files and writes
//! one JSON line per page: `{"file", "text", "title", "date", "ms", "status"}`
//! (the file name without `.gz`), timing extraction alone (not the reading
//! or gunzipping), on one thread.
//!
//!     cargo run --release -p tapis-html --example extract_eval -- HTML_DIR > out.jsonl

use std::io::{Read, Write};
use std::time::Instant;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: extract_eval HTML_DIR");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("read the folder")
        .map(|e| e.expect("folder entry").path())
        .collect();
    paths.sort();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut total = 0f64;
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        let file = std::fs::File::open(&path).expect("open page");
        if let Some(stem) = name.strip_suffix(".gz") {
            flate2::read::MultiGzDecoder::new(file)
                .read_to_end(&mut bytes)
                .expect("gunzip page");
            let started = Instant::now();
            let found = tapis_html::extract(&bytes, None, None);
            let ms = started.elapsed().as_secs_f64() * 1e3;
            total += ms;
            let line = serde_json::json!({
                "file": stem, "text": found.text, "title": found.title,
                "date": found.published, "ms": ms, "status": "ok",
                "charset": found.charset, "charset_source": found.charset_source.as_str(),
            });
            writeln!(out, "{line}").expect("write");
        }
    }
    eprintln!("extraction: {total:.0} ms in all");
}
