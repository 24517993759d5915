//! `tapis clean`: read, apply the rule chain, write kept, removed and errors.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use tapis_io::{Format, JsonlSink, OutputRecord, ReadOptions, RecordError, ShardWriter};
use tapis_pipeline::{ErrorSink, OnError, Options, OwnedRecord, Progress, Sink, Sinks};
use tapis_rules::{Chain, Config, Preset};

use crate::flags::{CleanArgs, CleanDedupArg, FormatArg, OnErrorArg, PresetArg};
use crate::{EXIT_RECORD_ERRORS, Failure};

/// Kept or removed documents into a folder of shards.
struct ShardSink(ShardWriter);

impl Sink for ShardSink {
    fn write(&mut self, r: &OwnedRecord) -> std::io::Result<()> {
        self.0.write(&as_output(r))
    }
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        self.0.finish().map(|_| ())
    }
}

/// Documents as JSONL on a stream (standard output or a file).
struct StreamSink<W: Write + Send>(JsonlSink<W>);

impl<W: Write + Send> Sink for StreamSink<W> {
    fn write(&mut self, r: &OwnedRecord) -> std::io::Result<()> {
        self.0.write(&as_output(r))
    }
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        self.0.finish()
    }
}

/// Unreadable records as JSONL.
struct ErrorFile(BufWriter<File>);

impl ErrorSink for ErrorFile {
    fn write(&mut self, e: &RecordError) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.0, e)?;
        self.0.write_all(b"\n")
    }
    fn finish(mut self: Box<Self>) -> std::io::Result<()> {
        self.0.flush()
    }
}

fn as_output(r: &OwnedRecord) -> OutputRecord<'_> {
    OutputRecord {
        id: &r.id,
        text: &r.text,
        metadata: &r.metadata,
    }
}

fn config(args: &CleanArgs) -> Result<Config, Failure> {
    let preset = match args.preset {
        PresetArg::Datatrove => Preset::Datatrove,
        PresetArg::Multilingual => Preset::Multilingual,
    };
    let mut config = match &args.config {
        Some(path) => Config::from_file(path, preset).map_err(Failure::usage)?,
        None => Config::preset(preset),
    };
    // Line cleaning runs first, so the document rules judge the article and
    // not the page's template.
    let lines = tapis_rules::rules::boilerplate_lines::INFO.id;
    if args.no_line_cleaning {
        config.chain.retain(|id| id != lines);
    } else if !config.chain.iter().any(|id| id == lines) {
        config.chain.insert(0, lines.to_string());
    }
    if let Some(dir) = &args.site_lines {
        if !dir.is_dir() {
            return Err(Failure::usage(anyhow::anyhow!(
                "--site-lines {}: no such folder (write it with `tapis site-lines count`)",
                dir.display()
            )));
        }
        let entry = config
            .rules
            .entry(lines.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(t) = entry {
            t.insert(
                "site_lines".into(),
                toml::Value::String(dir.display().to_string()),
            );
        }
    }
    Ok(config)
}

pub(crate) fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::JsonlZst => Format::JsonlZst,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Parquet => Format::Parquet,
    }
}

/// Makes OUT ready: refuses to mix with an earlier run unless --overwrite.
pub(crate) fn prepare_output(out: &Path, overwrite: bool) -> Result<(), Failure> {
    const PARTS: [&str; 4] = ["kept", "removed", "errors", "stats.json"];
    let existing: Vec<PathBuf> = PARTS
        .iter()
        .map(|p| out.join(p))
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        if !overwrite {
            return Err(Failure::usage(anyhow::anyhow!(
                "{} holds the results of an earlier run; pass --overwrite to replace them",
                out.display()
            )));
        }
        for p in existing {
            if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            }
            .with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    for d in ["kept", "removed", "errors"] {
        std::fs::create_dir_all(out.join(d))
            .with_context(|| format!("cannot create {}", out.join(d).display()))?;
    }
    Ok(())
}

/// The sinks of a run; with `kept_to`, kept documents go there (a work
/// folder for deduplication) instead of OUT/kept or standard output.
fn sinks(args: &CleanArgs, kept_to: Option<&Path>) -> Result<Sinks, Failure> {
    let error_file = |path: &Path| -> Result<Box<dyn ErrorSink>, Failure> {
        let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Box::new(ErrorFile(BufWriter::new(f))))
    };
    let jsonl_file = |path: &Path| -> Result<Box<dyn Sink>, Failure> {
        let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Box::new(StreamSink(JsonlSink::new(BufWriter::new(f)))))
    };
    let to_work = |dir: &Path| -> Result<Box<dyn Sink>, Failure> {
        Ok(Box::new(ShardSink(ShardWriter::create(
            dir,
            Format::JsonlZst,
        )?)))
    };
    Ok(match &args.output {
        Some(out) => {
            prepare_output(out, args.overwrite)?;
            let fmt = format(args.format);
            Sinks {
                kept: match kept_to {
                    Some(dir) => to_work(dir)?,
                    None => Box::new(ShardSink(ShardWriter::create(&out.join("kept"), fmt)?)),
                },
                removed: Some(Box::new(ShardSink(ShardWriter::create(
                    &out.join("removed"),
                    fmt,
                )?))),
                errors: Some(error_file(&out.join("errors").join("errors.jsonl"))?),
            }
        }
        None => Sinks {
            kept: match kept_to {
                Some(dir) => to_work(dir)?,
                None => Box::new(StreamSink(JsonlSink::new(BufWriter::with_capacity(
                    1 << 20,
                    std::io::stdout(),
                )))),
            },
            removed: args.removed.as_deref().map(jsonl_file).transpose()?,
            errors: args.errors.as_deref().map(error_file).transpose()?,
        },
    })
}

/// Total bytes of the inputs when all are plain files, for the bar's ETA.
fn plain_input_bytes(inputs: &[PathBuf]) -> Option<u64> {
    let mut total = 0;
    for p in inputs {
        let name = p.to_string_lossy();
        if p.is_dir()
            || name == "-"
            || [".gz", ".zst", ".parquet"]
                .iter()
                .any(|e| name.ends_with(e))
        {
            return None;
        }
        total += std::fs::metadata(p).ok()?.len();
    }
    Some(total)
}

fn progress_bar(args: &CleanArgs) -> Option<ProgressBar> {
    if args.no_progress || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = match plain_input_bytes(&args.inputs) {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            )
            .expect("static template"),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template(
                "{spinner} {bytes} {binary_bytes_per_sec} {elapsed} {msg}",
            )
            .expect("static template"),
        ),
    };
    Some(bar)
}

pub fn run(args: CleanArgs) -> Result<u8, Failure> {
    let config = config(&args)?;
    let chain = Chain::new(&config).map_err(Failure::usage)?;
    let read_options = args.fields.read_options();
    // Deduplication reads the kept documents twice: they go to a work
    // folder first.
    let dedup = match args.dedup {
        CleanDedupArg::Off => None,
        mode => Some(crate::dedup::settings(
            &args.dedup_settings,
            mode == CleanDedupArg::Near,
        )?),
    };
    let temp;
    let work: Option<PathBuf> = match (&dedup, &args.output) {
        (None, _) => None,
        (Some(_), Some(out)) => Some(out.join("dedup-work")),
        (Some(_), None) => {
            temp = tempfile::tempdir().context("cannot create a temporary work folder")?;
            Some(temp.path().to_path_buf())
        }
    };
    if let Some(work) = &work
        && work.exists()
    {
        std::fs::remove_dir_all(work)
            .with_context(|| format!("cannot remove {}", work.display()))?;
    }
    let sinks = sinks(&args, work.as_ref().map(|w| w.join("input")).as_deref())?;
    let options = Options {
        threads: args.threads.unwrap_or(0),
        on_error: match args.on_error {
            OnErrorArg::Skip => OnError::Skip,
            OnErrorArg::Fail => OnError::Fail,
        },
        with_figures: args.with_figures,
        identify_languages: args.lid,
        ..Options::default()
    };
    let bar = progress_bar(&args);
    let on_progress = |p: Progress| {
        if let Some(bar) = &bar {
            bar.set_position(p.bytes);
            bar.set_message(format!("{} docs", p.records));
        }
    };
    let inputs = Box::new(tapis_io::read_inputs(&args.inputs, &read_options));
    let stats = tapis_pipeline::run(inputs, &chain, sinks, &options, &on_progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut stats = stats?;
    let mut dedup_report = None;
    if let (Some(settings), Some(work)) = (&dedup, &work) {
        dedup_report = Some(deduplicate_kept(&args, &chain, settings, work, &mut stats)?);
        std::fs::remove_dir_all(work).ok();
    }
    let conservation = stats.conservation();
    let mb_s = stats.bytes_read as f64 / 1e6 / stats.seconds.max(1e-9);
    let skipped = crate::skipped_clause(
        stats.skipped,
        stats.skipped_by_reason.iter().map(|(r, &n)| (r, n)),
    );
    eprintln!(
        "tapis: read {} records: kept {}, removed {}{skipped}, errors {} ({}) in {:.2} s, {:.1} MB/s",
        stats.read,
        stats.kept,
        stats.removed,
        stats.errors,
        if conservation.holds {
            "all accounted for"
        } else {
            "NOT all accounted for"
        },
        stats.seconds,
        mb_s,
    );
    if let Some(out) = &args.output {
        let mut report = serde_json::to_value(&stats)?;
        report["conservation"] = json!(conservation);
        report["mb_per_second"] = json!(mb_s);
        report["chain"] = json!(config.chain);
        if let Some(d) = dedup_report {
            report["dedup"] = d;
        }
        let path = out.join("stats.json");
        let mut bytes = serde_json::to_vec_pretty(&report)?;
        bytes.push(b'\n');
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if !conservation.holds {
        return Err(anyhow::anyhow!(
            "{} records read but {} accounted for: please report this as a bug",
            conservation.read,
            conservation.accounted
        )
        .into());
    }
    Ok(if stats.errors > 0 {
        EXIT_RECORD_ERRORS
    } else {
        0
    })
}

/// The dedup stage of `tapis clean --dedup`: clusters the documents the
/// rules kept (in `work/input`), writes the survivors where kept documents
/// go and the copies where removed ones go, and moves the copies from
/// kept to removed in `stats`.
fn deduplicate_kept(
    args: &CleanArgs,
    chain: &Chain,
    settings: &tapis_dedup::steps::Settings,
    work: &Path,
    stats: &mut tapis_pipeline::Stats,
) -> Result<serde_json::Value, Failure> {
    let input = vec![work.join("input")];
    let read = ReadOptions::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()?;
    let (clusters, times) =
        crate::dedup::find_clusters(&input, &read, settings, &work.join("steps"), 256, &pool)?;
    let (mut kept, mut removed) = match &args.output {
        Some(out) => {
            let fmt = format(args.format);
            (
                DedupSink::Shards(Box::new(ShardWriter::create(&out.join("kept"), fmt)?)),
                DedupSink::Shards(Box::new(ShardWriter::named(
                    &out.join("removed"),
                    "dedup",
                    fmt,
                    tapis_io::ShardLimits::default(),
                )?)),
            )
        }
        None => {
            let stdout: Box<dyn Write> =
                Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout()));
            let removed = match &args.removed {
                // The rules' removed documents are already there: append.
                Some(path) => {
                    let f = std::fs::OpenOptions::new()
                        .append(true)
                        .open(path)
                        .with_context(|| format!("cannot open {}", path.display()))?;
                    DedupSink::Stream(JsonlSink::new(Box::new(BufWriter::new(f))))
                }
                None => DedupSink::Nowhere,
            };
            (DedupSink::Stream(JsonlSink::new(stdout)), removed)
        }
    };
    // The work files are this run's own: an error reading them is a failure.
    let mut errors = |e: &RecordError| -> std::io::Result<()> {
        Err(std::io::Error::other(format!(
            "cannot read back a kept document: {e}"
        )))
    };
    // Copies removed, per language, to move from kept to removed.
    let mut removed_languages: std::collections::BTreeMap<String, u64> = Default::default();
    let applied = crate::dedup::apply_into(
        &input,
        &read,
        &work.join("steps"),
        0,
        &mut crate::dedup::DedupOutput {
            kept: &mut |r| kept.write(r),
            removed: &mut |r| {
                let language = chain
                    .language_of(r.metadata)
                    .map(str::to_string)
                    .or_else(|| {
                        r.metadata
                            .get("tapis")
                            .and_then(|t| t.get("language"))
                            .and_then(|l| l.get("language"))
                            .and_then(|l| l.as_str())
                            .map(str::to_string)
                    });
                *removed_languages
                    .entry(language.unwrap_or_else(|| "unknown".to_string()))
                    .or_default() += 1;
                removed.write(r)
            },
            errors: &mut errors,
            with_source: false,
        },
    )?;
    kept.finish()?;
    removed.finish()?;
    let removed = applied.summary.removed;
    stats.kept -= removed;
    stats.removed += removed;
    stats.bytes_kept = stats.bytes_kept.saturating_sub(applied.bytes_removed);
    for (reason, n) in &applied.removed_by_reason {
        *stats
            .removed_by_reason
            .entry(reason.to_string())
            .or_default() += n;
    }
    for (language, n) in removed_languages {
        let l = stats.languages.entry(language).or_default();
        l.kept = l.kept.saturating_sub(n);
        l.removed += n;
    }
    Ok(json!({
        "settings": settings,
        "minhash_threshold": settings.minhash.threshold(),
        "clusters": clusters,
        "step_seconds": times,
        "removed": removed,
        "reasons": applied.removed_by_reason,
    }))
}

/// Where the dedup stage of `tapis clean` writes.
enum DedupSink {
    Shards(Box<ShardWriter>),
    Stream(JsonlSink<Box<dyn Write>>),
    Nowhere,
}

impl DedupSink {
    fn write(&mut self, r: &OutputRecord) -> std::io::Result<()> {
        match self {
            DedupSink::Shards(w) => w.write(r),
            DedupSink::Stream(w) => w.write(r),
            DedupSink::Nowhere => Ok(()),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            DedupSink::Shards(w) => w.finish().map(|_| ()),
            DedupSink::Stream(w) => w.finish(),
            DedupSink::Nowhere => Ok(()),
        }
    }
}
