//! Prints the five most likely languages of each line of standard input.
use std::io::BufRead;

fn main() {
    let detector = tapis_lid::Detector::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let values = detector.confidence_values(&line);
        let top: Vec<String> = values
            .iter()
            .take(5)
            .map(|(l, c)| format!("{} {:.3}", l.code(), c))
            .collect();
        println!("{}\t{}", top.join(", "), line);
    }
}
