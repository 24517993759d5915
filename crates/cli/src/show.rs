//! `tapis show OUT`: the results of a run, readable: what was removed from
//! each kept document and why, and why each removed document went.

use std::io::Write;

use serde_json::Value;
use tapis_io::{Item, ReadOptions, read_inputs};

use crate::Failure;
use crate::flags::ShowArgs;

fn clip(text: &str, max: usize) -> String {
    let one_line = text.trim().replace('\n', " ⏎ ");
    match one_line.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

pub fn run(args: ShowArgs) -> Result<u8, Failure> {
    let out = std::io::stdout();
    let mut out = out.lock();
    let width = if args.full { usize::MAX } else { 160 };
    for part in ["kept", "removed"] {
        let dir = args.output.join(part);
        if !dir.is_dir() {
            return Err(Failure::usage(anyhow::anyhow!(
                "{} is not the output folder of `tapis clean -o` (no {part}/ in it)",
                args.output.display()
            )));
        }
        for item in read_inputs(&[dir], &ReadOptions::default()) {
            let doc = match item {
                Item::Doc(d) => d,
                Item::Error(e) => {
                    writeln!(out, "unreadable: {e}")?;
                    continue;
                }
            };
            let tapis = doc.metadata.get("tapis").cloned().unwrap_or(Value::Null);
            if part == "kept" {
                writeln!(out, "KEPT {}", doc.id)?;
                for r in tapis["removed"].as_array().into_iter().flatten() {
                    writeln!(
                        out,
                        "  - cut  {:<34} {}",
                        r["reason"].as_str().unwrap_or("?"),
                        clip(r["text"].as_str().unwrap_or(""), 100)
                    )?;
                }
                for line in doc.text.lines().filter(|l| !l.trim().is_empty()) {
                    writeln!(out, "  | {}", clip(line, width))?;
                }
            } else {
                let decided: Vec<String> = tapis["decided_on"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect();
                writeln!(
                    out,
                    "REMOVED {}: {} ({})",
                    doc.id,
                    tapis["reason"].as_str().unwrap_or("?"),
                    decided.join(", ")
                )?;
                for line in doc
                    .text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .take(if args.full { usize::MAX } else { 3 })
                {
                    writeln!(out, "  | {}", clip(line, width))?;
                }
            }
            writeln!(out)?;
        }
    }
    Ok(0)
}
