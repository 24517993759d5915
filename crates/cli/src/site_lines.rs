//! `tapis site-lines count|map|reduce`: the corpus pass that counts, per
//! site, the lines on many of its pages, for `tapis clean --site-lines`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::json;
use tapis_io::Item;
use tapis_lines::site_lines::{ReduceStats, SiteLineCounter, reduce, site_of_url};

use crate::Failure;
use crate::flags::{
    SiteInputArgs, SiteLinesCommand, SiteLinesCountArgs, SiteLinesMapArgs, SiteLinesReduceArgs,
};

pub fn run(command: SiteLinesCommand) -> Result<u8, Failure> {
    match command {
        SiteLinesCommand::Count(args) => count(args),
        SiteLinesCommand::Map(args) => map(args).map(|(code, _)| code),
        SiteLinesCommand::Reduce(args) => reduce_all(args).map(|_| 0),
    }
}

/// What a map step read: every document is counted, has no site, or was
/// unreadable.
#[derive(Debug, Default, serde::Serialize)]
struct MapStats {
    documents_read: u64,
    documents_counted: u64,
    documents_without_site: u64,
    records_unreadable: u64,
    keys: u64,
    runs: usize,
}

fn map_into(input: &SiteInputArgs, runs: &Path, name: &str) -> Result<MapStats, Failure> {
    if !input.partitions.is_power_of_two() {
        return Err(Failure::usage(anyhow::anyhow!(
            "--partitions must be a power of two, not {}",
            input.partitions
        )));
    }
    let mut counter =
        SiteLineCounter::new(runs, name, input.partitions, input.memory_mb.max(1) << 20)
            .map_err(Failure::usage)?;
    let options = input.fields.read_options();
    let mut stats = MapStats::default();
    for item in tapis_io::read_inputs(&input.inputs, &options).map(tapis_html::resolve) {
        match item {
            Item::Page(_) | Item::Skipped(_) => {}
            Item::Doc(doc) => {
                stats.documents_read += 1;
                let site = doc
                    .metadata
                    .get(&input.url_field)
                    .and_then(|v| v.as_str())
                    .and_then(site_of_url);
                match site {
                    Some(site) => {
                        counter.add(&site, &doc.text)?;
                        stats.documents_counted += 1;
                    }
                    None => stats.documents_without_site += 1,
                }
            }
            Item::Error(e) => {
                stats.documents_read += 1;
                stats.records_unreadable += 1;
                eprintln!("tapis site-lines: {e}");
            }
        }
    }
    let keys = counter.keys();
    stats.runs = counter.finish()?.len();
    stats.keys = keys;
    Ok(stats)
}

fn map(args: SiteLinesMapArgs) -> Result<(u8, MapStats), Failure> {
    let stats = map_into(&args.input, &args.output, &args.name)?;
    eprintln!(
        "tapis site-lines map: {} documents read, {} counted, {} without a site, {} unreadable; {} runs in {}",
        stats.documents_read,
        stats.documents_counted,
        stats.documents_without_site,
        stats.records_unreadable,
        stats.runs,
        args.output.display()
    );
    Ok((exit_code(&stats), stats))
}

fn exit_code(stats: &MapStats) -> u8 {
    if stats.records_unreadable > 0 {
        crate::EXIT_RECORD_ERRORS
    } else {
        0
    }
}

/// Every run file in the given folders.
fn runs_of(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut runs = Vec::new();
    for d in dirs {
        runs.extend(tapis_counts::runs_in(d).map_err(Failure::usage)?);
    }
    Ok(runs)
}

/// The number of partitions the runs were written with (all must agree).
fn partitions_of(runs: &[PathBuf]) -> Result<u32, Failure> {
    let mut found: Option<u32> = None;
    for r in runs {
        let p = tapis_counts::partitions_in(r)?;
        if found.is_some_and(|f| f != p) {
            return Err(Failure::usage(anyhow::anyhow!(
                "{} has {p} partitions, other runs {}",
                r.display(),
                found.unwrap_or_default()
            )));
        }
        found = Some(p);
    }
    Ok(found.unwrap_or(1))
}

fn reduce_runs(
    runs: &[PathBuf],
    partitions: impl Iterator<Item = u32>,
    min_docs: u32,
    out: &Path,
) -> Result<ReduceStats, Failure> {
    let mut total = ReduceStats::default();
    for p in partitions {
        let s = reduce(runs, p, min_docs, out)?;
        total.sites += s.sites;
        total.frequent_lines += s.frequent_lines;
        total.distinct_lines += s.distinct_lines;
    }
    Ok(total)
}

fn reduce_all(args: SiteLinesReduceArgs) -> Result<ReduceStats, Failure> {
    let runs = runs_of(&args.runs)?;
    let partitions = partitions_of(&runs)?;
    let stats = match args.partition {
        Some(p) if p >= partitions => {
            return Err(Failure::usage(anyhow::anyhow!(
                "the runs have {partitions} partitions; --partition {p} is not one of them"
            )));
        }
        Some(p) => reduce_runs(&runs, std::iter::once(p), args.min_docs, &args.output)?,
        None => reduce_runs(&runs, 0..partitions, args.min_docs, &args.output)?,
    };
    eprintln!(
        "tapis site-lines reduce: {} runs; {} sites with {}+ documents, {} frequent lines of {} distinct, in {}",
        runs.len(),
        stats.sites,
        args.min_docs,
        stats.frequent_lines,
        stats.distinct_lines,
        args.output.display()
    );
    Ok(stats)
}

fn count(args: SiteLinesCountArgs) -> Result<u8, Failure> {
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let runs_dir = args.output.join("runs");
    if runs_dir.exists() {
        std::fs::remove_dir_all(&runs_dir)
            .with_context(|| format!("cannot remove {}", runs_dir.display()))?;
    }
    let started = std::time::Instant::now();
    let map_stats = map_into(&args.input, &runs_dir, "map")?;
    let runs = tapis_counts::runs_in(&runs_dir).map_err(Failure::usage)?;
    let reduce_stats = reduce_runs(&runs, 0..args.input.partitions, args.min_docs, &args.output)?;
    std::fs::remove_dir_all(&runs_dir)
        .with_context(|| format!("cannot remove {}", runs_dir.display()))?;
    let summary = json!({
        "map": map_stats,
        "reduce": reduce_stats,
        "min_docs": args.min_docs,
        "partitions": args.input.partitions,
        "seconds": started.elapsed().as_secs_f64(),
    });
    let path = args.output.join("site-lines.json");
    std::fs::write(&path, serde_json::to_string_pretty(&summary)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "tapis site-lines count: {} documents read, {} counted, {} without a site, {} unreadable; \
         {} sites with {}+ documents, {} frequent lines; in {}",
        map_stats.documents_read,
        map_stats.documents_counted,
        map_stats.documents_without_site,
        map_stats.records_unreadable,
        reduce_stats.sites,
        args.min_docs,
        reduce_stats.frequent_lines,
        args.output.display()
    );
    Ok(exit_code(&map_stats))
}
