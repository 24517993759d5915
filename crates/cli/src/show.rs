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

/// Per-line languages of a run with `--lid`: (start, end, label) of each
/// line, in the text of the record.
struct LineLabels(Vec<(usize, usize, String)>);

impl LineLabels {
    fn new(tapis: &Value) -> Option<LineLabels> {
        let lines = tapis["language"]["lines"]
            .as_array()?
            .iter()
            .map(|l| {
                let at = |i: usize| l[i].as_u64().unwrap_or(0) as usize;
                (at(0), at(1), l[2].as_str().unwrap_or("?").to_string())
            })
            .collect();
        Some(LineLabels(lines))
    }

    /// The label of the line holding byte `offset`.
    fn at(&self, offset: usize) -> &str {
        self.0
            .iter()
            .find(|(s, e, _)| *s <= offset && offset < *e)
            .map_or("?", |(_, _, label)| label.as_str())
    }
}

/// Non-blank lines of `text` with their byte offsets.
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').filter_map(move |raw| {
        let start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        (!line.trim().is_empty()).then_some((start, line))
    })
}

fn prefix(labels: &Option<LineLabels>, offset: usize) -> String {
    labels
        .as_ref()
        .map_or(String::new(), |l| format!("{:<9}", l.at(offset)))
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
                Item::Page(_) | Item::Skipped(_) => continue,
                Item::Error(e) => {
                    writeln!(out, "unreadable: {e}")?;
                    continue;
                }
            };
            let tapis = doc.metadata.get("tapis").cloned().unwrap_or(Value::Null);
            let labels = LineLabels::new(&tapis);
            let language = match tapis["language"]["language"].as_str() {
                Some(l) => format!(
                    " [{l} {}{}]",
                    tapis["language"]["confidence"],
                    if tapis["language"]["multilingual"] == true {
                        ", multilingual"
                    } else {
                        ""
                    }
                ),
                None => String::new(),
            };
            if part == "kept" {
                writeln!(out, "KEPT {}{language}", doc.id)?;
                for r in tapis["removed"].as_array().into_iter().flatten() {
                    writeln!(
                        out,
                        "  - cut  {:<34} {}",
                        r["reason"].as_str().unwrap_or("?"),
                        clip(r["text"].as_str().unwrap_or(""), 100)
                    )?;
                }
                for (at, line) in lines_with_offsets(&doc.text) {
                    writeln!(out, "  | {}{}", prefix(&labels, at), clip(line, width))?;
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
                    "REMOVED {}{language}: {} ({})",
                    doc.id,
                    tapis["reason"].as_str().unwrap_or("?"),
                    decided.join(", ")
                )?;
                for (at, line) in
                    lines_with_offsets(&doc.text).take(if args.full { usize::MAX } else { 3 })
                {
                    writeln!(out, "  | {}{}", prefix(&labels, at), clip(line, width))?;
                }
            }
            writeln!(out)?;
        }
    }
    Ok(0)
}
