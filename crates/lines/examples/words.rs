//! Prints the words of each line of standard input as tapis-lines cuts them
//! (lower case, joined by single spaces), one output line per input line:
//! tools/make_stopwords.py counts the development sentences' words with it,
//! so the stop-word lists are cut as the lines they are looked up in.
//!
//!     cargo run --release -p tapis-lines --example words < sentences.txt

use std::io::{BufRead, BufWriter, Write};

use tapis_lines::words::LineWords;

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in stdin.lines() {
        writeln!(out, "{}", LineWords::new(&line?).lower)?;
    }
    out.flush()
}
