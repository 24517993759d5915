//! Prints one line per item read from the given paths: what it became
//! (document, page, skipped record or error), its record number and id.
//!
//!     cargo run -p tapis-io --example read_items -- FILE...

use std::path::PathBuf;

use tapis_io::{Item, ReadOptions, read_inputs};

fn main() {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    for item in read_inputs(&paths, &ReadOptions::default()) {
        match item {
            Item::Doc(d) => println!("doc  {} {} {} bytes", d.origin, d.id, d.text.len()),
            Item::Page(p) => println!(
                "page {} {} {} bytes charset {:?} {}",
                p.origin,
                p.id,
                p.html.len(),
                p.declared_charset,
                p.metadata.get("url").and_then(|u| u.as_str()).unwrap_or("")
            ),
            Item::Skipped(s) => println!("skip {}:{} {}", s.file, s.record, s.reason),
            Item::Error(e) => println!("err  {e}"),
        }
    }
}
