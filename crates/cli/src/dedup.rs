//! `tapis dedup`: find clusters of exact and near-duplicate documents, keep
//! one document of each.
//!
//! `tapis dedup INPUT... -o OUT` runs the four steps of
//! [`tapis_dedup::steps`] in one process, over one shard: map (keys of every
//! document, as sorted runs), reduce (links between documents sharing a key),
//! cluster (union-find, survivors) and apply (each document to kept/ or
//! removed/). `tapis dedup map|reduce|cluster|apply` runs one step, so that a
//! corpus can be deduplicated by many machines sharing a work folder.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use serde_json::{Value, json};
use tapis_dedup::MinhashConfig;
use tapis_dedup::steps::{self, ApplySummary, Duplicate, Fate, Settings, Survivor};
use tapis_io::{Document, Metadata, OutputRecord, ReadOptions, RecordError, ShardWriter};

use crate::Failure;
use crate::clean::{format, prepare_output};
use crate::flags::{
    DedupAllArgs, DedupApplyArgs, DedupArgs, DedupMapStepArgs, DedupModeArg, DedupOutputArgs,
    DedupReduceArgs, DedupSettingsArgs, DedupStep, DedupWorkArgs, SurvivorArg,
};

pub fn run(args: DedupArgs) -> Result<u8, Failure> {
    match args.step {
        None => run_all(args.all),
        Some(DedupStep::Map(a)) => map(a),
        Some(DedupStep::Reduce(a)) => reduce(a),
        Some(DedupStep::Cluster(a)) => cluster(a),
        Some(DedupStep::Apply(a)) => apply(a),
    }
}

/// The settings the flags ask for.
pub(crate) fn settings(args: &DedupSettingsArgs, near: bool) -> Result<Settings, Failure> {
    if !args.partitions.is_power_of_two() {
        return Err(Failure::usage(anyhow::anyhow!(
            "--partitions must be a power of two, not {}",
            args.partitions
        )));
    }
    if args.ngrams == 0 || args.bands == 0 || args.rows == 0 {
        return Err(Failure::usage(anyhow::anyhow!(
            "--ngrams, --bands and --rows must be positive"
        )));
    }
    Ok(Settings {
        near,
        minhash: MinhashConfig {
            n_grams: args.ngrams,
            num_buckets: args.bands,
            hashes_per_bucket: args.rows,
            seed: args.seed,
        },
        language_field: args.per_language.then(|| args.language_field.clone()),
        url_field: (!args.no_url).then(|| args.url_field.clone()),
        survivor: match args.keep {
            SurvivorArg::First => Survivor::First,
            SurvivorArg::Longest => Survivor::Longest,
            SurvivorArg::Oldest => Survivor::Oldest {
                date_field: args.date_field.clone(),
            },
        },
        partitions: args.partitions,
    })
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Failure> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?)
}

fn read_options(o: &DedupOutputArgs) -> ReadOptions {
    o.fields.read_options()
}

fn refuse_stdin(inputs: &[PathBuf]) -> Result<(), Failure> {
    if inputs.iter().any(|p| p.as_os_str() == "-") {
        return Err(Failure::usage(anyhow::anyhow!(
            "deduplication reads its inputs twice: give files or folders, not `-`"
        )));
    }
    Ok(())
}

/// Where kept and removed documents of an apply step go.
pub(crate) struct DedupOutput<'a> {
    pub kept: &'a mut dyn FnMut(&OutputRecord) -> std::io::Result<()>,
    pub removed: &'a mut dyn FnMut(&OutputRecord) -> std::io::Result<()>,
    pub errors: &'a mut dyn FnMut(&RecordError) -> std::io::Result<()>,
    /// Name the input file and record of removed documents (not when the
    /// inputs are a stage's own work files).
    pub with_source: bool,
}

/// Adds the cluster to a document's metadata and hands it to `kept` or
/// `removed`.
fn write_document(
    doc: Document,
    fate: Fate,
    kept: &mut dyn FnMut(&OutputRecord) -> std::io::Result<()>,
    removed: &mut dyn FnMut(&OutputRecord) -> std::io::Result<()>,
    with_source: bool,
) -> std::io::Result<()> {
    let mut metadata: Metadata = doc.metadata;
    match fate {
        Fate::Kept { cluster_size } => {
            metadata.insert("dup_cluster_id".into(), Value::String(doc.id.clone()));
            metadata.insert("dup_cluster_size".into(), json!(cluster_size));
            kept(&OutputRecord {
                id: &doc.id,
                text: &doc.text,
                metadata: &metadata,
            })
        }
        Fate::Removed {
            reason,
            survivor_id,
            cluster_size,
        } => {
            // Earlier stages' notes (tapis clean's spans) stay beside the reason.
            let tapis = metadata
                .entry("tapis")
                .or_insert_with(|| Value::Object(Default::default()));
            if !tapis.is_object() {
                *tapis = Value::Object(Default::default());
            }
            let tapis = tapis.as_object_mut().expect("an object");
            tapis.insert("reason".into(), json!(reason.code()));
            tapis.insert("rule".into(), json!("dedup"));
            tapis.insert("duplicate_of".into(), json!(survivor_id));
            tapis.insert("dup_cluster_size".into(), json!(cluster_size));
            if with_source {
                tapis.insert("source".into(), json!(doc.origin.to_string()));
            }
            removed(&OutputRecord {
                id: &doc.id,
                text: &doc.text,
                metadata: &metadata,
            })
        }
    }
}

/// Counts of an apply step, per reason, with the bytes removed.
pub(crate) struct Applied {
    pub summary: ApplySummary,
    pub removed_by_reason: std::collections::BTreeMap<&'static str, u64>,
    pub bytes_removed: u64,
}

/// The apply step of shard `shard`, into `out`.
pub(crate) fn apply_into(
    inputs: &[PathBuf],
    read: &ReadOptions,
    work: &Path,
    shard: u32,
    out: &mut DedupOutput,
) -> Result<Applied, Failure> {
    let (mut by_reason, mut bytes_removed) = (std::collections::BTreeMap::new(), 0u64);
    let DedupOutput {
        kept,
        removed,
        errors,
        with_source,
    } = out;
    let with_source = *with_source;
    let summary = steps::apply_shard(
        inputs,
        read,
        work,
        shard,
        |doc, fate| {
            if let Fate::Removed { reason, .. } = fate {
                *by_reason.entry(reason.code()).or_insert(0u64) += 1;
                bytes_removed += doc.text.len() as u64;
            }
            write_document(doc, fate, &mut **kept, &mut **removed, with_source)
        },
        |e| errors(&e),
    )?;
    Ok(Applied {
        summary,
        removed_by_reason: by_reason,
        bytes_removed,
    })
}

/// Seconds each step took, and the work folder's size at the end.
#[derive(Default, serde::Serialize)]
pub(crate) struct StepTimes {
    pub map: f64,
    pub reduce: f64,
    pub cluster: f64,
    pub apply: f64,
    pub work_folder_bytes: u64,
}

/// Bytes of the files under `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => folder_bytes(&e.path()),
            _ => e.metadata().map(|m| m.len()).unwrap_or(0),
        })
        .sum()
}

/// Runs map, reduce and cluster over one shard made of `inputs`, in `work`.
pub(crate) fn find_clusters(
    inputs: &[PathBuf],
    read: &ReadOptions,
    settings: &Settings,
    work: &Path,
    memory_mb: usize,
    pool: &rayon::ThreadPool,
) -> Result<(steps::ClusterSummary, StepTimes), Failure> {
    if work.exists() {
        std::fs::remove_dir_all(work)
            .with_context(|| format!("cannot remove {}", work.display()))?;
    }
    let mut times = StepTimes::default();
    let started = Instant::now();
    steps::map_shard(
        inputs,
        read,
        settings,
        work,
        0,
        memory_mb.max(1) << 20,
        pool,
    )?;
    times.map = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for p in 0..settings.partitions {
        steps::reduce(work, p)?;
    }
    times.reduce = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let clusters = steps::cluster(work)?;
    times.cluster = started.elapsed().as_secs_f64();
    times.work_folder_bytes = folder_bytes(work);
    Ok((clusters, times))
}

/// Kept, removed and errors files of OUT.
struct OutFiles {
    kept: ShardWriter,
    removed: ShardWriter,
    errors: BufWriter<File>,
}

impl OutFiles {
    fn create(out: &Path, o: &DedupOutputArgs) -> Result<OutFiles, Failure> {
        prepare_output(out, o.overwrite)?;
        let fmt = format(o.format);
        let errors_path = out.join("errors").join("errors.jsonl");
        Ok(OutFiles {
            kept: ShardWriter::create(&out.join("kept"), fmt)?,
            removed: ShardWriter::create(&out.join("removed"), fmt)?,
            errors: BufWriter::new(
                File::create(&errors_path)
                    .with_context(|| format!("cannot create {}", errors_path.display()))?,
            ),
        })
    }

    fn apply(
        &mut self,
        inputs: &[PathBuf],
        read: &ReadOptions,
        work: &Path,
        shard: u32,
    ) -> Result<Applied, Failure> {
        let (kept, removed, errors) = (&mut self.kept, &mut self.removed, &mut self.errors);
        let mut out = DedupOutput {
            kept: &mut |r| kept.write(r),
            removed: &mut |r| removed.write(r),
            errors: &mut |e| {
                eprintln!("tapis dedup: {e}");
                serde_json::to_writer(&mut *errors, e)?;
                errors.write_all(b"\n")
            },
            with_source: true,
        };
        apply_into(inputs, read, work, shard, &mut out)
    }

    fn finish(mut self) -> Result<(), Failure> {
        self.kept.finish()?;
        self.removed.finish()?;
        self.errors.flush()?;
        Ok(())
    }
}

/// Writes OUT/stats.json and the summary line; fails when the counts do
/// not add up.
fn report(
    out: &Path,
    settings: &Settings,
    clusters: Option<(&steps::ClusterSummary, &StepTimes)>,
    applied: &Applied,
    seconds: f64,
) -> Result<u8, Failure> {
    let s = &applied.summary;
    // `read` was counted by the map step, the rest by the apply step.
    let read = s.read;
    let removed: u64 = applied.removed_by_reason.values().sum();
    let balanced = read == s.kept + s.removed + s.skipped + s.unreadable && removed == s.removed;
    let stats = json!({
        "command": "dedup",
        "settings": settings,
        "minhash_threshold": settings.minhash.threshold(),
        "read": read,
        "kept": s.kept,
        "removed": s.removed,
        "skipped": s.skipped,
        "skipped_by_reason": s.skipped_by_reason,
        "errors": s.unreadable,
        "reasons": applied.removed_by_reason,
        "clusters": clusters.map(|c| c.0),
        "step_seconds": clusters.map(|c| c.1),
        "seconds": seconds,
        "balanced": balanced,
    });
    let stats_path = out.join("stats.json");
    std::fs::write(&stats_path, serde_json::to_string_pretty(&stats)? + "\n")
        .with_context(|| format!("cannot write {}", stats_path.display()))?;
    let reasons: Vec<String> = Duplicate::ALL
        .iter()
        .filter_map(|d| {
            applied
                .removed_by_reason
                .get(d.code())
                .map(|n| format!("{n} {}", d.code()))
        })
        .collect();
    eprintln!(
        "tapis dedup: read {read} records: kept {}, removed {} ({}){}, errors {} ({}){}",
        s.kept,
        s.removed,
        if reasons.is_empty() {
            "none".to_string()
        } else {
            reasons.join(", ")
        },
        crate::skipped_clause(s.skipped, s.skipped_by_reason.iter().map(|(r, &n)| (r, n))),
        s.unreadable,
        if balanced {
            "all accounted for"
        } else {
            "NOT all accounted for"
        },
        match (settings.near, clusters.map(|c| c.0)) {
            (true, Some(c)) => format!(
                "; {} clusters; similarity threshold {:.2} ({} × {}, {}-grams)",
                c.clusters_with_duplicates,
                settings.minhash.threshold(),
                settings.minhash.num_buckets,
                settings.minhash.hashes_per_bucket,
                settings.minhash.n_grams
            ),
            (false, Some(c)) => format!("; {} clusters", c.clusters_with_duplicates),
            _ => String::new(),
        }
    );
    if !balanced {
        return Err(anyhow::anyhow!("read ≠ kept + removed + skipped + errors").into());
    }
    Ok(if s.unreadable > 0 {
        crate::EXIT_RECORD_ERRORS
    } else {
        0
    })
}

fn run_all(args: DedupAllArgs) -> Result<u8, Failure> {
    refuse_stdin(&args.inputs)?;
    let out = args.output.expect("clap requires -o");
    let settings = settings(&args.settings, args.mode == DedupModeArg::Near)?;
    let pool = thread_pool(args.map.threads)?;
    let started = Instant::now();
    let mut files = OutFiles::create(&out, &args.output_args)?;
    let read = read_options(&args.output_args);
    let work = out.join("dedup-work");
    let (clusters, mut times) = find_clusters(
        &args.inputs,
        &read,
        &settings,
        &work,
        args.map.memory_mb,
        &pool,
    )?;
    let applying = Instant::now();
    let applied = files.apply(&args.inputs, &read, &work, 0)?;
    files.finish()?;
    times.apply = applying.elapsed().as_secs_f64();
    std::fs::remove_dir_all(&work).ok();
    report(
        &out,
        &settings,
        Some((&clusters, &times)),
        &applied,
        started.elapsed().as_secs_f64(),
    )
}

fn map(args: DedupMapStepArgs) -> Result<u8, Failure> {
    refuse_stdin(&args.inputs)?;
    let settings = settings(&args.settings, args.mode == DedupModeArg::Near)?;
    let pool = thread_pool(args.map.threads)?;
    let read = args.fields.read_options();
    let summary = steps::map_shard(
        &args.inputs,
        &read,
        &settings,
        &args.work,
        args.shard,
        args.map.memory_mb.max(1) << 20,
        &pool,
    )
    .map_err(step_failure)?;
    eprintln!(
        "tapis dedup map: shard {}: {} documents ({} with a signature, {} with a URL), {} unreadable records",
        summary.shard, summary.documents, summary.signed, summary.with_url, summary.unreadable
    );
    Ok(0)
}

/// Wrong settings or a step run out of order are usage errors.
fn step_failure(e: steps::StepError) -> Failure {
    match e {
        steps::StepError::Invalid(_) => Failure::usage(e),
        other => other.into(),
    }
}

fn reduce(args: DedupReduceArgs) -> Result<u8, Failure> {
    let settings = steps::read_settings(&args.work).map_err(step_failure)?;
    let partitions: Vec<u32> = match args.partition {
        Some(p) => vec![p],
        None => (0..settings.partitions).collect(),
    };
    let mut links = 0;
    for &p in &partitions {
        links += steps::reduce(&args.work, p).map_err(step_failure)?;
    }
    eprintln!(
        "tapis dedup reduce: {} partition(s), {links} links",
        partitions.len()
    );
    Ok(0)
}

fn cluster(args: DedupWorkArgs) -> Result<u8, Failure> {
    let c = steps::cluster(&args.work).map_err(step_failure)?;
    eprintln!(
        "tapis dedup cluster: {} documents in {} shard(s): {} clusters with duplicates (largest {}), {} to remove",
        c.documents,
        c.shards,
        c.clusters_with_duplicates,
        c.largest_cluster,
        c.removed.values().sum::<u64>()
    );
    Ok(0)
}

fn apply(args: DedupApplyArgs) -> Result<u8, Failure> {
    refuse_stdin(&args.inputs)?;
    let settings = steps::read_settings(&args.work).map_err(step_failure)?;
    let started = Instant::now();
    let mut files = OutFiles::create(&args.output, &args.output_args)?;
    let read = read_options(&args.output_args);
    let applied = files.apply(&args.inputs, &read, &args.work, args.shard)?;
    files.finish()?;
    report(
        &args.output,
        &settings,
        None,
        &applied,
        started.elapsed().as_secs_f64(),
    )
}
