//! `tapis dedup`: find clusters of exact and near-duplicate documents, keep
//! one document of each.
//!
//! Two passes over the inputs. The first numbers every readable document,
//! writes its keys (its simplified text's hash; with `--mode near` also its
//! MinHash bands) as sorted runs, then merges them one partition at a time
//! into a union-find over the document numbers. The second reads the same
//! inputs again and writes each document to kept/ (the first of its cluster,
//! with `dup_cluster_id` and `dup_cluster_size`) or removed/ (with the reason
//! and the id of the document kept).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{Value, json};
use tapis_dedup::clusters::{
    ALL_DOCUMENTS, BandWriter, UnionFind, group_of, reduce_partition, text_key,
};
use tapis_dedup::{MinHasher, MinhashConfig, simplify_text};
use tapis_document::Document;
use tapis_io::{Item, OutputRecord, ReadOptions, ShardWriter};

use crate::Failure;
use crate::clean::{format, prepare_output};
use crate::flags::{DedupArgs, DedupModeArg};

const EXACT: &str = "dedup/exact_duplicate";
const NEAR: &str = "dedup/near_duplicate";

/// Documents read per batch of signatures.
const BATCH: usize = 512;

pub fn run(args: DedupArgs) -> Result<u8, Failure> {
    if args.inputs.iter().any(|p| p.as_os_str() == "-") {
        return Err(Failure::usage(anyhow::anyhow!(
            "tapis dedup reads its inputs twice: give files or folders, not `-`"
        )));
    }
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
    let config = MinhashConfig {
        n_grams: args.ngrams,
        num_buckets: args.bands,
        hashes_per_bucket: args.rows,
        seed: args.seed,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()?;
    prepare_output(&args.output, args.overwrite)?;
    let started = Instant::now();
    let options = ReadOptions {
        text_field: args.text_field.clone(),
        id_field: args.id_field.clone(),
    };
    let work = args.output.join("dedup-work");
    if work.exists() {
        std::fs::remove_dir_all(&work)
            .with_context(|| format!("cannot remove {}", work.display()))?;
    }
    let memory = args.memory_mb.max(1) << 20;
    let mut exact_keys =
        BandWriter::new(&work.join("exact"), "map", args.partitions, memory / 8, 1)?;
    let mut near_bands = BandWriter::new(
        &work.join("near"),
        "map",
        args.partitions,
        memory,
        config.hashes_per_bucket,
    )?;
    let hasher = MinHasher::new(config);
    let near = args.mode == DedupModeArg::Near;

    // Pass 1: keys of every readable document, numbered in reading order.
    let errors_path = args.output.join("errors").join("errors.jsonl");
    let mut errors = BufWriter::new(
        File::create(&errors_path)
            .with_context(|| format!("cannot create {}", errors_path.display()))?,
    );
    let (mut documents, mut unreadable, mut signed) = (0u64, 0u64, 0u64);
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let mut flush = |batch: &mut Vec<Document>, first: u64| -> Result<u64, Failure> {
        let keys: Vec<(u64, Option<Vec<u64>>, u64)> = pool.install(|| {
            batch
                .par_iter()
                .map(|d| {
                    let group = if args.per_language {
                        let language = d
                            .metadata
                            .get(&args.language_field)
                            .and_then(|v| v.as_str());
                        group_of(language.unwrap_or(""))
                    } else {
                        ALL_DOCUMENTS
                    };
                    let simple = simplify_text(&d.text);
                    let sig = near
                        .then(|| {
                            hasher.signature_of_shingles(&hasher.shingles_of_simplified(&simple))
                        })
                        .flatten();
                    (text_key(&simple, group), sig, group)
                })
                .collect()
        });
        let mut with_signature = 0;
        for (k, (key, sig, group)) in keys.into_iter().enumerate() {
            let doc = first + k as u64;
            exact_keys.add_key(doc, key)?;
            if let Some(sig) = sig {
                near_bands.add_signature(doc, &sig, group)?;
                with_signature += 1;
            }
        }
        batch.clear();
        Ok(with_signature)
    };
    for item in tapis_io::read_inputs(&args.inputs, &options) {
        match item {
            Item::Doc(doc) => {
                batch.push(doc);
                if batch.len() == BATCH {
                    signed += flush(&mut batch, documents)?;
                    documents += BATCH as u64;
                }
            }
            Item::Error(e) => {
                unreadable += 1;
                eprintln!("tapis dedup: {e}");
                serde_json::to_writer(&mut errors, &e)?;
                errors.write_all(b"\n")?;
            }
        }
    }
    let last = batch.len() as u64;
    signed += flush(&mut batch, documents)?;
    documents += last;
    errors.flush()?;
    let exact_runs = exact_keys.finish()?;
    let near_runs = near_bands.finish()?;

    // Reduce: exact links first, so that a copy is told from a near-copy.
    let mut clusters = UnionFind::new(documents as usize);
    for p in 0..args.partitions {
        reduce_partition(&exact_runs, p, |a, b| clusters.union(a as u32, b as u32))?;
    }
    let exact_copy: Vec<bool> = (0..documents as u32)
        .map(|d| clusters.find(d) != d)
        .collect();
    for p in 0..args.partitions {
        reduce_partition(&near_runs, p, |a, b| clusters.union(a as u32, b as u32))?;
    }
    let (roots, sizes) = clusters.components();
    drop(clusters);
    std::fs::remove_dir_all(&work).ok();
    let clustered_seconds = started.elapsed().as_secs_f64();

    // Pass 2: the same documents in the same order, each kept or removed.
    let fmt = format(args.format);
    let mut kept = ShardWriter::create(&args.output.join("kept"), fmt)?;
    let mut removed = ShardWriter::create(&args.output.join("removed"), fmt)?;
    // The id of each cluster's root, read before its other members.
    let mut root_ids: FxHashMap<u32, String> = FxHashMap::default();
    let (mut n_kept, mut n_exact, mut n_near, mut clusters_kept) = (0u64, 0u64, 0u64, 0u64);
    let mut number = 0u32;
    for item in tapis_io::read_inputs(&args.inputs, &options) {
        let Item::Doc(doc) = item else { continue };
        if u64::from(number) >= documents {
            return Err(anyhow::anyhow!(
                "the inputs changed between the two passes: more documents the second time"
            )
            .into());
        }
        let (root, size) = (
            roots[number as usize],
            sizes[roots[number as usize] as usize],
        );
        let mut metadata = doc.metadata;
        if root == number {
            if size > 1 {
                root_ids.insert(root, doc.id.clone());
                clusters_kept += 1;
            }
            metadata.insert("dup_cluster_id".into(), Value::String(doc.id.clone()));
            metadata.insert("dup_cluster_size".into(), json!(size));
            kept.write(&OutputRecord {
                id: &doc.id,
                text: &doc.text,
                metadata: &metadata,
            })?;
            n_kept += 1;
        } else {
            let reason = if exact_copy[number as usize] {
                n_exact += 1;
                EXACT
            } else {
                n_near += 1;
                NEAR
            };
            let survivor = root_ids.get(&root).cloned().unwrap_or_default();
            metadata.insert(
                "tapis".into(),
                json!({
                    "reason": reason,
                    "rule": "dedup",
                    "duplicate_of": survivor,
                    "dup_cluster_size": size,
                    "source": doc.origin.to_string(),
                }),
            );
            removed.write(&OutputRecord {
                id: &doc.id,
                text: &doc.text,
                metadata: &metadata,
            })?;
        }
        number += 1;
    }
    if u64::from(number) != documents {
        return Err(anyhow::anyhow!(
            "the inputs changed between the two passes: {documents} documents, then {number}"
        )
        .into());
    }
    kept.finish()?;
    removed.finish()?;
    let read = documents + unreadable;
    let balanced = read == n_kept + n_exact + n_near + unreadable;
    let stats = json!({
        "command": "dedup",
        "mode": match args.mode { DedupModeArg::Exact => "exact", DedupModeArg::Near => "near" },
        "per_language": args.per_language.then_some(&args.language_field),
        "minhash": {
            "n_grams": config.n_grams, "bands": config.num_buckets, "rows": config.hashes_per_bucket,
            "seed": config.seed, "threshold": config.threshold(),
        },
        "read": read,
        "kept": n_kept,
        "removed": n_exact + n_near,
        "errors": unreadable,
        "reasons": { EXACT: n_exact, NEAR: n_near },
        "documents_with_signature": signed,
        "clusters_with_duplicates": clusters_kept,
        "seconds_to_cluster": clustered_seconds,
        "seconds": started.elapsed().as_secs_f64(),
        "balanced": balanced,
    });
    let stats_path = args.output.join("stats.json");
    std::fs::write(&stats_path, serde_json::to_string_pretty(&stats)? + "\n")
        .with_context(|| format!("cannot write {}", stats_path.display()))?;
    eprintln!(
        "tapis dedup: read {read} records: kept {n_kept}, removed {} ({n_exact} exact, {n_near} near copies), \
         errors {unreadable} ({}); {clusters_kept} clusters; similarity threshold {:.2} ({} × {}, {}-grams)",
        n_exact + n_near,
        if balanced {
            "all accounted for"
        } else {
            "NOT all accounted for"
        },
        config.threshold(),
        config.num_buckets,
        config.hashes_per_bucket,
        config.n_grams,
    );
    if !balanced {
        return Err(anyhow::anyhow!("read ≠ kept + removed + errors").into());
    }
    Ok(if unreadable > 0 {
        crate::EXIT_RECORD_ERRORS
    } else {
        0
    })
}
