//! Accuracy and speed on the lingua test set, one thread.
//!
//!     cargo run --release -p tapis-lid --example accuracy -- ../shared/data/lingua-testdata [sentences] [LIMIT]

use std::time::Instant;

use tapis_lid::{Detector, Language};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("lingua-testdata folder"));
    let category = args.next().unwrap_or_else(|| "sentences".into());
    let limit: usize = args.next().map_or(usize::MAX, |s| s.parse().unwrap());
    let detector = Detector::new();
    let t = Instant::now();
    detector.preload();
    eprintln!("load {:.2} s", t.elapsed().as_secs_f64());
    let mut items = Vec::new();
    for l in Language::all() {
        let path = dir.join(&category).join(format!("{}.txt", l.iso639_1()));
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().take(limit) {
            items.push((l, line.to_string()));
        }
    }
    let t = Instant::now();
    let mut right = [0usize; Language::COUNT];
    let mut total = [0usize; Language::COUNT];
    for (l, text) in &items {
        total[l.index()] += 1;
        if detector.detect(text).map(|d| d.language) == Some(*l) {
            right[l.index()] += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let mut macro_acc = 0.0;
    for l in Language::all() {
        let acc = right[l.index()] as f64 / total[l.index()] as f64;
        macro_acc += acc;
        println!("{}\t{:.3}", l.iso639_1(), acc);
    }
    macro_acc /= Language::COUNT as f64;
    println!(
        "macro {:.4}  items {}  {:.0} items/s",
        macro_acc,
        items.len(),
        items.len() as f64 / secs
    );
}
