//! Deduplicating a corpus in four steps over files, each runnable on its own
//! machine: **map** (one per input shard), **reduce** (one per partition),
//! **cluster** (one), **apply** (one per input shard, the same shards as the
//! map's).
//!
//! They share a work folder:
//!
//! ```text
//! WORK/settings.json                  what every step does (written by map)
//! WORK/shards/SSSSS.json              documents and unreadable records of shard S
//! WORK/shards/SSSSS.ids, .idx         its documents' ids, and where each ends
//! WORK/shards/SSSSS.rank              each document's rank as survivor (not for `first`)
//! WORK/keys/{text,url,near}/SSSSS-NNNNN.run   (key, document) pairs, sorted runs
//! WORK/links/{text,url,near}-PPPPP.links      (first, other) document pairs
//! WORK/decisions/SSSSS.bin            each document's fate, in reading order
//! WORK/clusters.json                  what cluster found
//! ```
//!
//! A document is named in runs and links by `shard << 32 | number in shard`;
//! cluster turns that into one dense number per document, so that its memory
//! is a few union-find arrays of 4 bytes per document and nothing else that
//! grows with the corpus (the keys, links and ids stay on disk).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tapis_counts::{RunError, runs_in};
use tapis_io::{Document, Item, ReadOptions, RecordError};

use crate::clusters::{ALL_DOCUMENTS, BandWriter, UnionFind, group_of, reduce_partition};
use crate::clusters::{text_key, url_key};
use crate::{MinHasher, MinhashConfig, simplify_text};

/// Documents whose keys are computed together, in parallel.
const BATCH: usize = 512;

/// Which document of a cluster is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "keep")]
pub enum Survivor {
    /// The first read (the smallest shard, then the first in it).
    First,
    /// The one with the most characters.
    Longest,
    /// The one with the earliest date in the metadata field `date_field`
    /// (RFC 3339 / ISO 8601 text such as a WARC-Date, `YYYY-MM-DD`, or Unix
    /// seconds); documents without a readable date come last.
    Oldest { date_field: String },
}

/// What a deduplication does; written by the map steps, read by the others,
/// so that every step of one deduplication works to the same settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Near-copies too (MinHash LSH), not only exact copies.
    pub near: bool,
    pub minhash: MinhashConfig,
    /// Deduplicate each value of this metadata field (a language) on its own.
    pub language_field: Option<String>,
    /// Documents with the same URL in this metadata field are copies.
    pub url_field: Option<String>,
    pub survivor: Survivor,
    /// Partitions of the key runs, a power of two: one reduce step each.
    pub partitions: u32,
}

/// Why a document was removed: the strongest link to its cluster's survivor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Duplicate {
    /// The same text (after `simplify_text`) as the survivor.
    ExactText,
    /// The same URL as the survivor.
    SameUrl,
    /// A near-copy: linked to the survivor through shared MinHash bands.
    Near,
}

impl Duplicate {
    pub const ALL: [Duplicate; 3] = [Duplicate::ExactText, Duplicate::SameUrl, Duplicate::Near];

    /// The reason code.
    pub fn code(self) -> &'static str {
        match self {
            Duplicate::ExactText => "dedup/exact_duplicate",
            Duplicate::SameUrl => "dedup/same_url",
            Duplicate::Near => "dedup/near_duplicate",
        }
    }

    fn key_dir(self) -> &'static str {
        match self {
            Duplicate::ExactText => "text",
            Duplicate::SameUrl => "url",
            Duplicate::Near => "near",
        }
    }

    fn byte(self) -> u8 {
        match self {
            Duplicate::ExactText => 1,
            Duplicate::SameUrl => 2,
            Duplicate::Near => 3,
        }
    }
}

/// What happens to a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate<'a> {
    /// Kept: the survivor of a cluster of `cluster_size` documents (1 when
    /// it has no copy).
    Kept { cluster_size: u32 },
    /// Removed as a copy of the document `survivor_id`.
    Removed {
        reason: Duplicate,
        survivor_id: &'a str,
        cluster_size: u32,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write the results: {0}")]
    Write(std::io::Error),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StepError + '_ {
    move |source| StepError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn shard_file(work: &Path, shard: u32, ext: &str) -> PathBuf {
    work.join("shards").join(format!("{shard:05}.{ext}"))
}

fn links_file(work: &Path, kind: Duplicate, partition: u32) -> PathBuf {
    work.join("links")
        .join(format!("{}-{partition:05}.links", kind.key_dir()))
}

fn decisions_file(work: &Path, shard: u32) -> PathBuf {
    work.join("decisions").join(format!("{shard:05}.bin"))
}

/// Writes `bytes` to `path` through a temporary file, so that a step that
/// dies leaves no half-written file behind to be taken for a finished one.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), StepError> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io_err(path))
}

/// The settings of the deduplication in `work`.
pub fn read_settings(work: &Path) -> Result<Settings, StepError> {
    let path = work.join("settings.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        StepError::Invalid(format!(
            "{}: {e} (has a map step run with this work folder?)",
            path.display()
        ))
    })?;
    serde_json::from_str(&text).map_err(|e| StepError::Invalid(format!("{}: {e}", path.display())))
}

/// Writes `settings` to `work`, or checks that they are the ones already
/// there (another map step of the same deduplication).
fn claim_settings(work: &Path, settings: &Settings) -> Result<(), StepError> {
    let path = work.join("settings.json");
    if path.exists() {
        let existing = read_settings(work)?;
        if &existing != settings {
            return Err(StepError::Invalid(format!(
                "{} was written with other settings ({}); use another work folder",
                path.display(),
                serde_json::to_string(&existing).unwrap_or_default()
            )));
        }
        return Ok(());
    }
    let json = serde_json::to_vec_pretty(settings).expect("settings serialize");
    write_whole(&path, &json)
}

/// What a map step read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSummary {
    pub shard: u32,
    /// Documents read (numbered `0..documents`).
    pub documents: u64,
    /// Records that could not be read (reported by the apply step).
    pub unreadable: u64,
    /// Records that hold no document (WARC requests, redirects…).
    #[serde(default)]
    pub skipped: u64,
    /// Documents long enough for a MinHash signature.
    pub signed: u64,
    /// Documents with a URL, when URLs are compared.
    pub with_url: u64,
}

/// The metadata field's string value.
fn field<'a>(doc: &'a Document, name: &Option<String>) -> Option<&'a str> {
    name.as_deref()
        .and_then(|n| doc.metadata.get(n))
        .and_then(|v| v.as_str())
}

/// A URL as compared: scheme and host in lower case (the `url` crate's
/// parsing), without the fragment; the text as is when it does not parse.
pub fn normalize_url(raw: &str) -> String {
    match url::Url::parse(raw.trim()) {
        Ok(mut u) => {
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => raw.trim().to_string(),
    }
}

/// A date as seconds since 1970, from RFC 3339 text, `YYYY-MM-DD`, or a
/// number of seconds.
pub fn parse_date(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        serde_json::Value::String(s) => {
            let s = s.trim();
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                return Some(t.timestamp());
            }
            if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
                return Some(t.and_utc().timestamp());
            }
            if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
                return Some(t.and_utc().timestamp());
            }
            let day = s.get(..10).unwrap_or(s);
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .ok()
                .map(|d| {
                    d.and_hms_opt(0, 0, 0)
                        .expect("midnight")
                        .and_utc()
                        .timestamp()
                })
        }
        _ => None,
    }
}

/// The rank of a document as survivor: the smallest wins.
fn rank_of(doc: &Document, survivor: &Survivor) -> u64 {
    match survivor {
        Survivor::First => 0,
        Survivor::Longest => u64::MAX - doc.text.chars().count() as u64,
        Survivor::Oldest { date_field } => doc
            .metadata
            .get(date_field)
            .and_then(parse_date)
            // Order-preserving map of i64 onto u64; no date ranks last.
            .map(|t| (t as u64) ^ (1 << 63))
            .unwrap_or(u64::MAX),
    }
}

/// The keys of one document.
struct Keys {
    text: u64,
    url: Option<u64>,
    signature: Option<Vec<u64>>,
    group: u64,
    rank: u64,
}

/// The map step over one shard of the corpus: reads `inputs`, numbers the
/// documents in reading order, and writes their keys, ids and ranks to
/// `work`. `memory_bytes` bounds the pairs held before a run is spilled.
pub fn map_shard(
    inputs: &[PathBuf],
    read: &ReadOptions,
    settings: &Settings,
    work: &Path,
    shard: u32,
    memory_bytes: usize,
    pool: &rayon::ThreadPool,
) -> Result<ShardSummary, StepError> {
    if !settings.partitions.is_power_of_two() {
        return Err(StepError::Invalid(format!(
            "partitions must be a power of two, not {}",
            settings.partitions
        )));
    }
    std::fs::create_dir_all(work.join("shards")).map_err(io_err(work))?;
    claim_settings(work, settings)?;
    if shard_file(work, shard, "json").exists() {
        return Err(StepError::Invalid(format!(
            "shard {shard} has already been mapped in {}",
            work.display()
        )));
    }
    let prefix = format!("{shard:05}");
    // The budget is shared: the bands of near copies take three quarters
    // (fourteen pairs per document against one per exact key), the text
    // and URL keys the rest.
    let key_budget = if settings.near {
        memory_bytes / 8
    } else {
        memory_bytes / 2
    };
    let band_budget = memory_bytes - 2 * key_budget;
    let keys_dir = |kind: Duplicate| work.join("keys").join(kind.key_dir());
    // Runs of an earlier map of this shard that did not finish.
    for kind in Duplicate::ALL {
        let dir = keys_dir(kind);
        if dir.exists() {
            for run in runs_in(&dir)? {
                if run_shard(&run) == Some(shard) {
                    std::fs::remove_file(&run).map_err(io_err(&run))?;
                }
            }
        }
    }
    let mut text_runs = BandWriter::new(
        &keys_dir(Duplicate::ExactText),
        &prefix,
        settings.partitions,
        key_budget,
        1,
    )?;
    let mut url_runs = match settings.url_field {
        Some(_) => Some(BandWriter::new(
            &keys_dir(Duplicate::SameUrl),
            &prefix,
            settings.partitions,
            key_budget,
            1,
        )?),
        None => None,
    };
    let mut near_runs = match settings.near {
        true => Some(BandWriter::new(
            &keys_dir(Duplicate::Near),
            &prefix,
            settings.partitions,
            band_budget,
            settings.minhash.hashes_per_bucket,
        )?),
        false => None,
    };
    let create = |ext: &str| -> Result<(PathBuf, BufWriter<File>), StepError> {
        let path = shard_file(work, shard, ext);
        let file = File::create(&path).map_err(io_err(&path))?;
        Ok((path.clone(), BufWriter::with_capacity(1 << 16, file)))
    };
    let (ids_path, mut ids) = create("ids")?;
    let (idx_path, mut idx) = create("idx")?;
    let mut ranks = match settings.survivor {
        Survivor::First => None,
        _ => Some(create("rank")?),
    };

    let hasher = MinHasher::new(settings.minhash);
    let keys_of = |d: &Document| {
        let group = match field(d, &settings.language_field) {
            Some(language) => group_of(language),
            None if settings.language_field.is_some() => group_of(""),
            None => ALL_DOCUMENTS,
        };
        let simple = simplify_text(&d.text);
        let signature = settings
            .near
            .then(|| hasher.signature_of_shingles(&hasher.shingles_of_simplified(&simple)))
            .flatten();
        Keys {
            text: text_key(&simple, group),
            url: field(d, &settings.url_field).map(|u| url_key(&normalize_url(u), group)),
            signature,
            group,
            rank: rank_of(d, &settings.survivor),
        }
    };
    let mut summary = ShardSummary {
        shard,
        ..ShardSummary::default()
    };
    let mut id_end = 0u64;
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let mut flush = |batch: &mut Vec<Document>, summary: &mut ShardSummary| {
        let keys: Vec<Keys> = pool.install(|| batch.par_iter().map(keys_of).collect());
        for (d, k) in batch.iter().zip(keys) {
            if summary.documents >= u64::from(u32::MAX) {
                return Err(StepError::Invalid(format!(
                    "shard {shard} holds more than {} documents: split it",
                    u32::MAX - 1
                )));
            }
            let doc = u64::from(shard) << 32 | summary.documents;
            text_runs.add_key(doc, k.text)?;
            if let (Some(runs), Some(key)) = (url_runs.as_mut(), k.url) {
                runs.add_key(doc, key)?;
                summary.with_url += 1;
            }
            if let (Some(runs), Some(sig)) = (near_runs.as_mut(), &k.signature) {
                runs.add_signature(doc, sig, k.group)?;
                summary.signed += 1;
            }
            ids.write_all(d.id.as_bytes()).map_err(io_err(&ids_path))?;
            id_end += d.id.len() as u64;
            idx.write_all(&id_end.to_le_bytes())
                .map_err(io_err(&idx_path))?;
            if let Some((path, ranks)) = ranks.as_mut() {
                ranks
                    .write_all(&k.rank.to_le_bytes())
                    .map_err(io_err(path))?;
            }
            summary.documents += 1;
        }
        batch.clear();
        Ok::<(), StepError>(())
    };
    // Web pages are extracted to their text here and again in the apply
    // step: extraction is a pure function of the page.
    for item in tapis_io::read_inputs(inputs, read).map(tapis_html::resolve) {
        match item {
            Item::Doc(doc) => {
                batch.push(doc);
                if batch.len() == BATCH {
                    flush(&mut batch, &mut summary)?;
                }
            }
            Item::Page(_) => unreachable!("resolved to a document"),
            Item::Skipped(_) => summary.skipped += 1,
            Item::Error(_) => summary.unreadable += 1,
        }
    }
    flush(&mut batch, &mut summary)?;
    text_runs.finish()?;
    if let Some(runs) = url_runs {
        runs.finish()?;
    }
    if let Some(runs) = near_runs {
        runs.finish()?;
    }
    ids.flush().map_err(io_err(&ids_path))?;
    idx.flush().map_err(io_err(&idx_path))?;
    if let Some((path, mut ranks)) = ranks {
        ranks.flush().map_err(io_err(&path))?;
    }
    // Written last: its presence says the shard's files are complete.
    let json = serde_json::to_vec_pretty(&summary).expect("summary serializes");
    write_whole(&shard_file(work, shard, "json"), &json)?;
    Ok(summary)
}

/// The kinds of keys a deduplication writes.
fn kinds(settings: &Settings) -> Vec<Duplicate> {
    let mut kinds = vec![Duplicate::ExactText];
    if settings.url_field.is_some() {
        kinds.push(Duplicate::SameUrl);
    }
    if settings.near {
        kinds.push(Duplicate::Near);
    }
    kinds
}

/// The reduce step for one partition: merges that partition of every map
/// step's runs and writes, per kind of key, one (first, other) link for
/// every document sharing a key with an earlier one. Returns the links
/// written.
pub fn reduce(work: &Path, partition: u32) -> Result<u64, StepError> {
    let settings = read_settings(work)?;
    if partition >= settings.partitions {
        return Err(StepError::Invalid(format!(
            "partition {partition} does not exist: the runs have {} (0..{})",
            settings.partitions,
            settings.partitions - 1
        )));
    }
    std::fs::create_dir_all(work.join("links")).map_err(io_err(work))?;
    // Only shards whose map step has finished: a shard still being mapped
    // has no summary yet, and the cluster step will ask for this reduce
    // again once it has.
    let mapped = shard_numbers(work)?;
    let mut total = 0;
    for kind in kinds(&settings) {
        let dir = work.join("keys").join(kind.key_dir());
        let runs: Vec<PathBuf> = if dir.exists() {
            runs_in(&dir)?
                .into_iter()
                .filter(|run| run_shard(run).is_some_and(|s| mapped.contains(&s)))
                .collect()
        } else {
            Vec::new()
        };
        let path = links_file(work, kind, partition);
        let tmp = path.with_extension("tmp");
        let mut out = BufWriter::with_capacity(1 << 16, File::create(&tmp).map_err(io_err(&tmp))?);
        let mut failed = None;
        reduce_partition(&runs, partition, |first, other| {
            if failed.is_none() {
                let mut pair = [0u8; 16];
                pair[..8].copy_from_slice(&first.to_le_bytes());
                pair[8..].copy_from_slice(&other.to_le_bytes());
                if let Err(e) = out.write_all(&pair) {
                    failed = Some(e);
                }
                total += 1;
            }
        })?;
        if let Some(e) = failed {
            return Err(StepError::Io {
                path: tmp,
                source: e,
            });
        }
        out.flush().map_err(io_err(&tmp))?;
        drop(out);
        std::fs::rename(&tmp, &path).map_err(io_err(&path))?;
    }
    let json = serde_json::to_vec(&mapped).expect("shard numbers serialize");
    write_whole(&reduced_file(work, partition), &json)?;
    Ok(total)
}

/// The shards a partition's reduce step merged.
fn reduced_file(work: &Path, partition: u32) -> PathBuf {
    work.join("links")
        .join(format!("{partition:05}.shards.json"))
}

/// The shard a run file `SSSSS-NNNNN.run` belongs to.
fn run_shard(run: &Path) -> Option<u32> {
    let name = run.file_name()?.to_str()?;
    name.split('-').next()?.parse().ok()
}

/// The numbers of the shards whose map step has finished, in order.
fn shard_numbers(work: &Path) -> Result<Vec<u32>, StepError> {
    Ok(shard_summaries(work)?.iter().map(|s| s.shard).collect())
}

/// What the cluster step found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterSummary {
    pub shards: u32,
    pub documents: u64,
    pub unreadable: u64,
    pub signed: u64,
    /// Clusters of two documents or more.
    pub clusters_with_duplicates: u64,
    /// The largest cluster.
    pub largest_cluster: u32,
    /// Documents to remove, per reason code.
    pub removed: std::collections::BTreeMap<String, u64>,
}

/// The summaries of every mapped shard, in shard order.
fn shard_summaries(work: &Path) -> Result<Vec<ShardSummary>, StepError> {
    let dir = work.join("shards");
    let mut shards = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(io_err(&dir))? {
        let path = entry.map_err(io_err(&dir))?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
            let s: ShardSummary = serde_json::from_str(&text)
                .map_err(|e| StepError::Invalid(format!("{}: {e}", path.display())))?;
            shards.push(s);
        }
    }
    shards.sort_by_key(|s| s.shard);
    Ok(shards)
}

/// Dense document numbers over every shard.
struct Numbering {
    /// Shard number → first dense number.
    first: FxHashMap<u32, u64>,
    /// (first dense number, shard), sorted.
    starts: Vec<(u64, u32)>,
    total: u64,
}

impl Numbering {
    fn new(shards: &[ShardSummary]) -> Numbering {
        let (mut first, mut starts, mut total) = (FxHashMap::default(), Vec::new(), 0);
        for s in shards {
            first.insert(s.shard, total);
            starts.push((total, s.shard));
            total += s.documents;
        }
        Numbering {
            first,
            starts,
            total,
        }
    }

    fn dense(&self, doc: u64, path: &Path) -> Result<u32, StepError> {
        let (shard, local) = ((doc >> 32) as u32, doc & 0xffff_ffff);
        self.first
            .get(&shard)
            .map(|f| (f + local) as u32)
            .ok_or_else(|| {
                StepError::Invalid(format!(
                    "{} links documents of shard {shard}, which has no summary: \
                     was it mapped into another work folder?",
                    path.display()
                ))
            })
    }

    /// (shard, number in shard) of a dense number.
    fn shard_of(&self, dense: u32) -> (u32, u64) {
        let i = self.starts.partition_point(|&(f, _)| f <= u64::from(dense)) - 1;
        let (first, shard) = self.starts[i];
        (shard, u64::from(dense) - first)
    }
}

/// Calls `link(a, b)` for every link of `kind` in every partition.
fn read_links(
    work: &Path,
    kind: Duplicate,
    partitions: u32,
    numbering: &Numbering,
    mut link: impl FnMut(u32, u32),
) -> Result<(), StepError> {
    for p in 0..partitions {
        let path = links_file(work, kind, p);
        let file = File::open(&path).map_err(|_| {
            StepError::Invalid(format!(
                "{} is missing: run the reduce step of partition {p} first",
                path.display()
            ))
        })?;
        let len = file.metadata().map_err(io_err(&path))?.len();
        if len % 16 != 0 {
            return Err(StepError::Invalid(format!(
                "{}: {len} bytes, not a whole number of links",
                path.display()
            )));
        }
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut pair = [0u8; 16];
        for _ in 0..len / 16 {
            reader.read_exact(&mut pair).map_err(io_err(&path))?;
            let a = u64::from_le_bytes(pair[..8].try_into().expect("8 bytes"));
            let b = u64::from_le_bytes(pair[8..].try_into().expect("8 bytes"));
            link(numbering.dense(a, &path)?, numbering.dense(b, &path)?);
        }
    }
    Ok(())
}

/// Reads ids by dense document number from the shards' id files.
struct IdLookup<'w> {
    work: &'w Path,
    open: FxHashMap<u32, (File, File)>,
}

impl IdLookup<'_> {
    fn id(&mut self, numbering: &Numbering, dense: u32) -> Result<String, StepError> {
        let (shard, local) = numbering.shard_of(dense);
        if !self.open.contains_key(&shard) {
            if self.open.len() >= 128 {
                self.open.clear();
            }
            let (idx, ids) = (
                shard_file(self.work, shard, "idx"),
                shard_file(self.work, shard, "ids"),
            );
            let files = (
                File::open(&idx).map_err(io_err(&idx))?,
                File::open(&ids).map_err(io_err(&ids))?,
            );
            self.open.insert(shard, files);
        }
        let (idx, ids) = &self.open[&shard];
        let mut bounds = [0u8; 16];
        let (start, end) = if local == 0 {
            let mut end = [0u8; 8];
            idx.read_exact_at(&mut end, 0)
                .map_err(io_err(&shard_file(self.work, shard, "idx")))?;
            (0, u64::from_le_bytes(end))
        } else {
            idx.read_exact_at(&mut bounds, (local - 1) * 8)
                .map_err(io_err(&shard_file(self.work, shard, "idx")))?;
            (
                u64::from_le_bytes(bounds[..8].try_into().expect("8 bytes")),
                u64::from_le_bytes(bounds[8..].try_into().expect("8 bytes")),
            )
        };
        let mut id = vec![0u8; (end - start) as usize];
        ids.read_exact_at(&mut id, start)
            .map_err(io_err(&shard_file(self.work, shard, "ids")))?;
        String::from_utf8(id).map_err(|_| {
            StepError::Invalid(format!(
                "{}: an id is not UTF-8",
                shard_file(self.work, shard, "ids").display()
            ))
        })
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(input: &mut impl Read) -> std::io::Result<u64> {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let mut b = [0u8; 1];
        input.read_exact(&mut b)?;
        if shift > 63 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "varint too long",
            ));
        }
        v |= u64::from(b[0] & 0x7f) << shift;
        if b[0] < 0x80 {
            return Ok(v);
        }
        shift += 7;
    }
}

/// The size of each cluster, by root.
fn cluster_sizes(roots: &[u32]) -> Vec<u32> {
    let mut sizes = vec![0u32; roots.len()];
    for &r in roots {
        sizes[r as usize] += 1;
    }
    sizes
}

/// Each document's rank as survivor, read in document order from the map
/// steps' rank files (all 0 when the first read is kept).
struct RankReader<'a> {
    work: &'a Path,
    shards: &'a [ShardSummary],
    by_rank: bool,
}

impl<'a> RankReader<'a> {
    fn new(work: &'a Path, settings: &Settings, shards: &'a [ShardSummary]) -> RankReader<'a> {
        RankReader {
            work,
            shards,
            by_rank: settings.survivor != Survivor::First,
        }
    }

    /// Calls `each(document, rank)` for every document in order.
    fn for_each(&mut self, mut each: impl FnMut(usize, u64)) -> Result<(), StepError> {
        let mut d = 0usize;
        for s in self.shards {
            if !self.by_rank {
                for _ in 0..s.documents {
                    each(d, 0);
                    d += 1;
                }
                continue;
            }
            let path = shard_file(self.work, s.shard, "rank");
            let mut reader =
                BufReader::with_capacity(1 << 16, File::open(&path).map_err(io_err(&path))?);
            let mut rank = [0u8; 8];
            for _ in 0..s.documents {
                reader.read_exact(&mut rank).map_err(io_err(&path))?;
                each(d, u64::from_le_bytes(rank));
                d += 1;
            }
        }
        Ok(())
    }
}

/// No survivor: every member of the cluster was removed for another reason.
const NO_SURVIVOR: u32 = u32::MAX;

/// The survivor of each cluster, by root: its `eligible` member of the
/// smallest rank, the first read among equals.
fn choose_survivors(
    roots: &[u32],
    ranks: &mut RankReader,
    eligible: impl Fn(usize) -> bool,
) -> Result<Vec<u32>, StepError> {
    let by_rank = ranks.by_rank;
    let mut best = vec![NO_SURVIVOR; roots.len()];
    // Ranks are kept only when they differ (not for `first`).
    let mut best_rank = vec![u64::MAX; if by_rank { roots.len() } else { 0 }];
    ranks.for_each(|d, rank| {
        let r = roots[d] as usize;
        // Documents come in increasing number: ties keep the first.
        if eligible(d) && (best[r] == NO_SURVIVOR || by_rank && rank < best_rank[r]) {
            best[r] = d as u32;
            if by_rank {
                best_rank[r] = rank;
            }
        }
    })?;
    Ok(best)
}

/// The cluster step: joins every link into clusters, picks each cluster's
/// survivor, and writes every document's fate per shard.
pub fn cluster(work: &Path) -> Result<ClusterSummary, StepError> {
    let settings = read_settings(work)?;
    let shards = shard_summaries(work)?;
    let numbering = Numbering::new(&shards);
    if numbering.total >= u64::from(u32::MAX) {
        return Err(StepError::Invalid(format!(
            "{} documents: one clustering takes at most {}",
            numbering.total,
            u32::MAX - 1
        )));
    }
    let mapped: Vec<u32> = shards.iter().map(|s| s.shard).collect();
    for p in 0..settings.partitions {
        let path = reduced_file(work, p);
        let reduced: Option<Vec<u32>> = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        match reduced {
            None => {
                return Err(StepError::Invalid(format!(
                    "{} is missing: run the reduce step of partition {p} first",
                    path.display()
                )));
            }
            Some(r) if r != mapped => {
                return Err(StepError::Invalid(format!(
                    "partition {p} was reduced over shards {r:?}, but shards {mapped:?} are mapped now: \
                     run its reduce step again"
                )));
            }
            Some(_) => {}
        }
    }
    let n = numbering.total as usize;
    let mut ranks = RankReader::new(work, &settings, &shards);

    // Copies under one URL first: each URL keeps one document (a page
    // fetched twice), and the others leave before the texts are compared,
    // so that a refetch whose text changed never joins two unrelated texts.
    let any_url = shards.iter().any(|s| s.with_url > 0);
    let url = match settings.url_field {
        Some(_) if any_url => {
            let mut by_url = UnionFind::new(n);
            read_links(
                work,
                Duplicate::SameUrl,
                settings.partitions,
                &numbering,
                |a, b| by_url.union(a, b),
            )?;
            let roots = by_url.into_roots();
            let sizes = cluster_sizes(&roots);
            let survivors = choose_survivors(&roots, &mut ranks, |_| true)?;
            Some((roots, sizes, survivors))
        }
        _ => None,
    };
    let removed_by_url = |d: usize| {
        url.as_ref()
            .is_some_and(|(roots, _, survivors)| survivors[roots[d] as usize] != d as u32)
    };

    // Then texts: exact copies, and near copies through shared bands. The
    // exact links alone name the reason of each removed document.
    let mut all = UnionFind::new(n);
    let mut exact = UnionFind::new(n);
    read_links(
        work,
        Duplicate::ExactText,
        settings.partitions,
        &numbering,
        |a, b| {
            exact.union(a, b);
            all.union(a, b);
        },
    )?;
    let exact_roots = exact.into_roots();
    if settings.near {
        read_links(
            work,
            Duplicate::Near,
            settings.partitions,
            &numbering,
            |a, b| all.union(a, b),
        )?;
    }
    let roots = all.into_roots();
    let sizes = cluster_sizes(&roots);
    let survivors = choose_survivors(&roots, &mut ranks, |d| !removed_by_url(d))?;

    std::fs::create_dir_all(work.join("decisions")).map_err(io_err(work))?;
    let mut ids = IdLookup {
        work,
        open: FxHashMap::default(),
    };
    let mut summary = ClusterSummary {
        shards: shards.len() as u32,
        documents: numbering.total,
        ..ClusterSummary::default()
    };
    let mut d = 0u32;
    let mut record = Vec::new();
    for s in &shards {
        summary.unreadable += s.unreadable;
        summary.signed += s.signed;
        let path = decisions_file(work, s.shard);
        let tmp = path.with_extension("tmp");
        let mut out = BufWriter::with_capacity(1 << 16, File::create(&tmp).map_err(io_err(&tmp))?);
        for _ in 0..s.documents {
            let i = d as usize;
            let (fate, survivor, size) = match &url {
                Some((url_roots, url_sizes, url_survivors)) if removed_by_url(i) => {
                    let r = url_roots[i] as usize;
                    (Some(Duplicate::SameUrl), url_survivors[r], url_sizes[r])
                }
                _ => {
                    let r = roots[i] as usize;
                    let survivor = survivors[r];
                    let fate = if survivor == d {
                        None
                    } else if exact_roots[i] == exact_roots[survivor as usize] {
                        Some(Duplicate::ExactText)
                    } else {
                        Some(Duplicate::Near)
                    };
                    (fate, survivor, sizes[r])
                }
            };
            record.clear();
            match fate {
                None => {
                    record.push(0);
                    put_varint(&mut record, u64::from(size));
                    if size > 1 {
                        summary.clusters_with_duplicates += 1;
                        summary.largest_cluster = summary.largest_cluster.max(size);
                    }
                }
                Some(reason) => {
                    *summary
                        .removed
                        .entry(reason.code().to_string())
                        .or_default() += 1;
                    let id = ids.id(&numbering, survivor)?;
                    record.push(reason.byte());
                    put_varint(&mut record, u64::from(size));
                    put_varint(&mut record, id.len() as u64);
                    record.extend_from_slice(id.as_bytes());
                }
            }
            out.write_all(&record).map_err(io_err(&tmp))?;
            d += 1;
        }
        out.flush().map_err(io_err(&tmp))?;
        drop(out);
        std::fs::rename(&tmp, &path).map_err(io_err(&path))?;
    }
    let json = serde_json::to_vec_pretty(&summary).expect("summary serializes");
    write_whole(&work.join("clusters.json"), &json)?;
    Ok(summary)
}

/// What an apply step wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplySummary {
    /// Records the map step read: its documents, skipped and unreadable
    /// records.
    pub read: u64,
    pub kept: u64,
    pub removed: u64,
    pub skipped: u64,
    /// `skipped` by the reason each record holds no document.
    pub skipped_by_reason: std::collections::BTreeMap<&'static str, u64>,
    pub unreadable: u64,
}

/// The apply step over one shard: reads the shard's inputs again (the same
/// files as its map step, in the same order) and hands each document to
/// `on_document` with its fate, each unreadable record to `on_error`.
pub fn apply_shard(
    inputs: &[PathBuf],
    read: &ReadOptions,
    work: &Path,
    shard: u32,
    mut on_document: impl FnMut(Document, Fate) -> std::io::Result<()>,
    mut on_error: impl FnMut(RecordError) -> std::io::Result<()>,
) -> Result<ApplySummary, StepError> {
    let summary_path = shard_file(work, shard, "json");
    let mapped: ShardSummary = std::fs::read_to_string(&summary_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| {
            StepError::Invalid(format!(
                "{} is missing or damaged: map shard {shard} first",
                summary_path.display()
            ))
        })?;
    let path = decisions_file(work, shard);
    let file = File::open(&path).map_err(|_| {
        StepError::Invalid(format!(
            "{} is missing: run the cluster step first",
            path.display()
        ))
    })?;
    let mut decisions = BufReader::with_capacity(1 << 16, file);
    let changed = |what: String| {
        StepError::Invalid(format!(
            "the inputs of shard {shard} changed since its map step: {what}"
        ))
    };
    let mut result = ApplySummary {
        read: mapped.documents + mapped.skipped + mapped.unreadable,
        ..ApplySummary::default()
    };
    let mut id = Vec::new();
    for item in tapis_io::read_inputs(inputs, read).map(tapis_html::resolve) {
        let doc = match item {
            Item::Doc(doc) => doc,
            Item::Page(_) => unreachable!("resolved to a document"),
            Item::Skipped(skipped) => {
                result.skipped += 1;
                *result
                    .skipped_by_reason
                    .entry(skipped.reason.as_str())
                    .or_default() += 1;
                continue;
            }
            Item::Error(e) => {
                result.unreadable += 1;
                on_error(e).map_err(StepError::Write)?;
                continue;
            }
        };
        if result.kept + result.removed >= mapped.documents {
            return Err(changed(format!(
                "more than the {} documents mapped",
                mapped.documents
            )));
        }
        let corrupt = |e: std::io::Error| StepError::Invalid(format!("{}: {e}", path.display()));
        let mut kind = [0u8; 1];
        decisions.read_exact(&mut kind).map_err(corrupt)?;
        let cluster_size = get_varint(&mut decisions).map_err(corrupt)? as u32;
        if kind[0] == 0 {
            result.kept += 1;
            on_document(doc, Fate::Kept { cluster_size }).map_err(StepError::Write)?;
            continue;
        }
        let reason = Duplicate::ALL
            .into_iter()
            .find(|k| k.byte() == kind[0])
            .ok_or_else(|| StepError::Invalid(format!("{}: damaged record", path.display())))?;
        let len = get_varint(&mut decisions).map_err(corrupt)? as usize;
        id.resize(len, 0);
        decisions.read_exact(&mut id).map_err(corrupt)?;
        let survivor_id = std::str::from_utf8(&id)
            .map_err(|_| StepError::Invalid(format!("{}: damaged id", path.display())))?;
        result.removed += 1;
        on_document(
            doc,
            Fate::Removed {
                reason,
                survivor_id,
                cluster_size,
            },
        )
        .map_err(StepError::Write)?;
    }
    if result.kept + result.removed != mapped.documents
        || result.unreadable != mapped.unreadable
        || result.skipped != mapped.skipped
    {
        return Err(changed(format!(
            "{} documents and {} unreadable records, then {} and {}",
            mapped.documents,
            mapped.unreadable,
            result.kept + result.removed,
            result.unreadable
        )));
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_are_read_from_warc_dates_days_and_seconds() {
        let t = |v| parse_date(&v);
        assert_eq!(t(json!("2024-03-01T12:00:00Z")), Some(1_709_294_400));
        assert_eq!(t(json!("2024-03-01T14:00:00+02:00")), Some(1_709_294_400));
        assert_eq!(t(json!("2024-03-01T12:00:00")), Some(1_709_294_400));
        assert_eq!(t(json!("2024-03-01")), Some(1_709_251_200));
        assert_eq!(t(json!(1_709_294_400)), Some(1_709_294_400));
        assert_eq!(t(json!("1969-12-31")), Some(-86_400));
        assert_eq!(t(json!("last week")), None);
        assert_eq!(t(json!(null)), None);
    }

    fn document(id: &str, text: &str) -> Document {
        Document {
            id: id.into(),
            text: text.into(),
            metadata: Default::default(),
            origin: tapis_io::Origin {
                file: "test".into(),
                record: 1,
            },
            utf8_repairs: 0,
            extracted: false,
        }
    }

    #[test]
    fn older_dates_rank_first_and_no_date_ranks_last() {
        let doc = |date: serde_json::Value| {
            let mut d = document("x", "text");
            d.metadata.insert("date".into(), date);
            d
        };
        let oldest = Survivor::Oldest {
            date_field: "date".into(),
        };
        let (before_1970, old, new, none) = (
            rank_of(&doc(json!("1960-01-01")), &oldest),
            rank_of(&doc(json!("2001-01-01")), &oldest),
            rank_of(&doc(json!("2021-01-01")), &oldest),
            rank_of(&doc(json!("?")), &oldest),
        );
        assert!(before_1970 < old && old < new && new < none);
        let longest = Survivor::Longest;
        assert!(rank_of(&document("a", "ééé"), &longest) < rank_of(&document("b", "ab"), &longest));
    }

    #[test]
    fn urls_compare_without_case_in_the_host_or_fragment() {
        assert_eq!(
            normalize_url("HTTPS://Example.COM/Path?q=1#top"),
            normalize_url("https://example.com/Path?q=1")
        );
        assert_ne!(
            normalize_url("https://example.com/Path"),
            normalize_url("https://example.com/path")
        );
        assert_eq!(normalize_url(" not a url "), "not a url");
    }

    #[test]
    fn survivors_are_the_best_eligible_member_first_read_among_equals() {
        let dir = tempfile::tempdir().unwrap();
        let shards = [ShardSummary {
            shard: 0,
            documents: 5,
            ..ShardSummary::default()
        }];
        std::fs::create_dir_all(dir.path().join("shards")).unwrap();
        let ranks: Vec<u8> = [9u64, 3, 3, 7, 1]
            .iter()
            .flat_map(|r| r.to_le_bytes())
            .collect();
        std::fs::write(shard_file(dir.path(), 0, "rank"), ranks).unwrap();
        let settings = Settings {
            near: false,
            minhash: MinhashConfig::default(),
            language_field: None,
            url_field: None,
            survivor: Survivor::Longest,
            partitions: 1,
        };
        // Clusters {0, 1, 2, 4} and {3}; document 4 is not eligible.
        let roots = [0, 0, 0, 3, 0];
        let mut reader = RankReader::new(dir.path(), &settings, &shards);
        let best = choose_survivors(&roots, &mut reader, |d| d != 4).unwrap();
        assert_eq!((best[0], best[3]), (1, 3));
        let first = Settings {
            survivor: Survivor::First,
            ..settings
        };
        let mut reader = RankReader::new(dir.path(), &first, &shards);
        let best = choose_survivors(&roots, &mut reader, |d| d != 0).unwrap();
        assert_eq!((best[0], best[3]), (1, 3));
        let mut reader = RankReader::new(dir.path(), &first, &shards);
        let none = choose_survivors(&roots, &mut reader, |d| d == 3).unwrap();
        assert_eq!(none[0], NO_SURVIVOR);
    }

    #[test]
    fn varints_round_trip() {
        let mut bytes = Vec::new();
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            put_varint(&mut bytes, v);
        }
        let mut r = &bytes[..];
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(get_varint(&mut r).unwrap(), v);
        }
        assert!(get_varint(&mut r).is_err());
    }
}
