#!/usr/bin/env python3
"""Near-duplicate detection speed, side by side in one run, one process or
thread each: datatrove 0.10.1's four MinHash stages (signatures, buckets,
clustering, filtering), datasketch's MinHash + MinHashLSH over the same
shingles, and `tapis dedup --mode near` (map, reduce, cluster, apply), all
with FineWeb's settings (5-grams, 14 bands of 8, seed 1), on the same corpus.

    bash bench/dedup.sh            # builds tapis, sets up bench/.venv, runs this

datatrove's stages run as its executor would run them on one machine:
signatures as one task, buckets as 14 tasks (one per band, its minimum),
clustering as one, filtering as one with a JSONL writer for kept and removed
documents. datasketch gets the shingles datatrove's own code makes
(simplify_text, the spaCy word tokenizer, 5-grams), hashed with xxh64 like
datatrove and tapis, and links each document to the candidates
`MinHashLSH.query` returns before inserting it; its clusters are the
connected components of those links. tapis's signatures are the same values
as datatrove's (test `crates/dedup/tests/datatrove_parity.rs`).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path


def steal_now() -> float:
    """Seconds of CPU time the hypervisor has given to other machines so far,
    summed over the CPUs (the `steal` column of /proc/stat)."""
    try:
        with open("/proc/stat") as f:
            return int(f.readline().split()[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def timed(fn):
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - start, time.process_time() - cpu, out


def drain(result):
    """Runs a pipeline step's run(): a generator is exhausted."""
    if result is not None and hasattr(result, "__next__"):
        for _ in result:
            pass


def run_datatrove(corpus: Path, work: Path):
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    root = work / "datatrove"
    shutil.rmtree(root, ignore_errors=True)
    config = MinhashConfig()
    reader = lambda: JsonlReader(str(corpus.parent), glob_pattern=corpus.name, text_key="text", id_key="id")
    stages = {}
    sig = MinhashDedupSignature(output_folder=str(root / "sigs"), config=config)
    stages["signatures"] = timed(lambda: drain(sig.run(reader().run(), rank=0, world_size=1)))

    def buckets():
        for rank in range(config.num_buckets):
            step = MinhashDedupBuckets(input_folder=str(root / "sigs"), output_folder=str(root / "buckets"),
                                       config=config)
            drain(step.run(rank=rank, world_size=config.num_buckets))
    stages["buckets"] = timed(buckets)
    cluster = MinhashDedupCluster(input_folder=str(root / "buckets"), output_folder=str(root / "remove_ids"),
                                  config=config)
    stages["clustering"] = timed(lambda: drain(cluster.run(world_size=1)))

    def filtering():
        step = MinhashDedupFilter(input_folder=str(root / "remove_ids"),
                                  exclusion_writer=JsonlWriter(str(root / "removed"), compression=None))
        writer = JsonlWriter(str(root / "kept"), compression=None)
        drain(writer.run(step.run(reader().run(), rank=0, world_size=1), rank=0, world_size=1))
    stages["filtering"] = timed(filtering)
    kept = sum(1 for f in (root / "kept").glob("*.jsonl") for _ in f.open())
    removed = sum(1 for f in (root / "removed").glob("*.jsonl") for _ in f.open())
    return {name: {"seconds": t[0], "cpu_seconds": t[1]} for name, t in stages.items()}, kept, removed


def run_datasketch(corpus: Path):
    import xxhash
    from datasketch import MinHash, MinHashLSH
    from datatrove.utils.text import TextNormConfig, ngrams, simplify_text
    from datatrove.utils.typeshelper import Languages
    from datatrove.utils.word_tokenizers import load_word_tokenizer

    tokenizer = load_word_tokenizer(Languages.english)
    norm = TextNormConfig()

    def work():
        lsh = MinHashLSH(num_perm=112, params=(14, 8))
        parent = {}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        with corpus.open(encoding="utf-8") as f:
            for n, line in enumerate(f):
                text = json.loads(line)["text"]
                words = tokenizer.word_tokenize(simplify_text(text, norm))
                shingles = {" ".join(g).encode() for g in ngrams(words, 5)}
                parent[n] = n
                if not shingles:
                    continue
                m = MinHash(num_perm=112, hashfunc=xxhash.xxh64_intdigest, scheme="affine64")
                m.update_batch(list(shingles))
                for other in lsh.query(m):
                    a, b = find(n), find(other)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
                lsh.insert(n, m)
        return sum(1 for x in parent if find(x) != x)
    t = timed(work)
    return {"seconds": t[0], "cpu_seconds": t[1]}, t[2]


def run_tapis(binary: str, corpus: Path, work: Path, threads: int):
    out = work / f"tapis_t{threads}"
    cmd = [binary, "dedup", str(corpus), "-o", str(out), "--overwrite", "--format", "jsonl", "--no-url",
           "--threads", str(threads)]
    steal = steal_now()
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    steal = steal_now() - steal
    if proc.returncode != 0:
        sys.exit(f"tapis dedup failed: {proc.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) / 1024
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr).group(1))
    stats = json.loads((out / "stats.json").read_text())
    return seconds, user + system, rss, stats, " ".join(cmd[:1] + ["dedup", "CORPUS"] + cmd[3:]), steal


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--corpus", default="bench/scratch/corpus_50mb.jsonl")
    ap.add_argument("--work", default="bench/scratch/dedup")
    ap.add_argument("--out-json", default="bench/results/dedup_speed.json")
    ap.add_argument("--out-md", default="bench/results/dedup_speed.md")
    ap.add_argument("--repeats", type=int, default=5, help="runs of each tapis configuration (the median one is reported)")
    args = ap.parse_args()
    corpus = Path(args.corpus).resolve()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    mb = corpus.stat().st_size / 1e6
    docs = sum(1 for _ in corpus.open(encoding="utf-8"))

    print("datatrove MinHash stages ...", file=sys.stderr)
    dt_steal = steal_now()
    dt_wall = time.perf_counter()
    dt_stages, dt_kept, dt_removed = run_datatrove(corpus, work)
    dt_wall = time.perf_counter() - dt_wall
    dt_steal = steal_now() - dt_steal
    print("datasketch MinHash + LSH ...", file=sys.stderr)
    ds, ds_removed = run_datasketch(corpus)
    print("tapis dedup ...", file=sys.stderr)
    # The machine's speed drifts by tens of percent from minute to minute,
    # and a tapis run lasts seconds against datatrove's minutes: each tapis
    # configuration runs several times and the run with the median time is
    # reported, with every run's time beside it.
    def median_run(threads: int):
        runs = [run_tapis(args.tapis, corpus, work, threads) for _ in range(args.repeats)]
        return sorted(runs, key=lambda r: r[0])[len(runs) // 2], [r[0] for r in runs]
    t1, t1_all = median_run(1)
    tn, tn_all = median_run(0)

    dt_total = sum(v["seconds"] for v in dt_stages.values())
    dt_cpu = sum(v["cpu_seconds"] for v in dt_stages.values())
    steps = t1[3]["step_seconds"]
    results = {
        "command": "bash bench/dedup.sh", "corpus": str(args.corpus), "mb": mb, "documents": docs,
        "datatrove": {"stages": dt_stages, "seconds": dt_total, "cpu_seconds": dt_cpu, "mb_per_s": mb / dt_total,
                      "kept": dt_kept, "removed": dt_removed},
        "datasketch": {**ds, "mb_per_s": mb / ds["seconds"], "removed": ds_removed},
        "steal_seconds": {"datatrove": dt_steal, "tapis_1_thread": t1[5], "tapis_all_threads": tn[5]},
        "tapis_dedup_1_thread": {"seconds": t1[0], "runs_seconds": t1_all, "cpu_seconds": t1[1], "peak_rss_mib": t1[2],
                                 "mb_per_s": mb / t1[0], "stats": t1[3]},
        "tapis_dedup_all_threads": {"seconds": tn[0], "runs_seconds": tn_all, "cpu_seconds": tn[1], "peak_rss_mib": tn[2],
                                    "mb_per_s": mb / tn[0], "stats": tn[3]},
        "ratio_per_core": dt_total / t1[0],
        "ratio_per_core_signatures": dt_stages["signatures"]["seconds"] / steps["map"],
        "ratio_per_core_datasketch": ds["seconds"] / t1[0],
        "ratio_cpu": dt_cpu / t1[1],
    }
    Path(args.out_json).write_text(json.dumps(results, indent=1) + "\n")
    s = t1[3]
    row = lambda name, sec, cpu, rss="": f"| {name} | {sec:.2f} | {cpu:.2f} | {mb / sec:.2f} | {rss} |"
    md = ["# Near-duplicate detection speed: tapis dedup vs datatrove's MinHash stages and datasketch", "",
          "Generated by `bash bench/dedup.sh` (`bench/dedup_speed.py`).", "",
          f"Corpus: `{args.corpus}`, {mb:.1f} MB, {docs:,} documents (the evaluation pages repeated, so most documents "
          "are exact copies). All three with FineWeb's settings (5-grams, 14 bands × 8 hashes), one process or thread "
          "each, except the last row.", "",
          "| run | seconds | CPU seconds | MB/s | peak RSS MiB |", "|---|---:|---:|---:|---:|"]
    for name, v in dt_stages.items():
        md.append(row(f"datatrove 0.10.1, stage {name}", v["seconds"], v["cpu_seconds"]))
    md += [row("**datatrove, all four stages**", dt_total, dt_cpu),
           row("datasketch 2.0.0 MinHash + MinHashLSH (no output written)", ds["seconds"], ds["cpu_seconds"]),
           row("tapis dedup, 1 thread: map", steps["map"], steps["map"]),
           row("tapis dedup, 1 thread: reduce + cluster", steps["reduce"] + steps["cluster"],
               steps["reduce"] + steps["cluster"]),
           row("tapis dedup, 1 thread: apply", steps["apply"], steps["apply"]),
           row("**tapis dedup, 1 thread, whole**", t1[0], t1[1], f"{t1[2]:.1f}"),
           row("tapis dedup, all threads", tn[0], tn[1], f"{tn[2]:.1f}"),
           "",
           f"Per core (wall time, 1 thread against 1 process): **{dt_total / t1[0]:.1f}×** datatrove's four stages "
           f"(by CPU time {dt_cpu / t1[1]:.1f}×); signatures alone (datatrove's stage 1 against tapis's map step, which also "
           f"writes the band runs): {results['ratio_per_core_signatures']:.1f}×; "
           f"**{ds['seconds'] / t1[0]:.1f}×** datasketch.",
           "",
           f"tapis rows: the run with the median time of {len(t1_all)} (seconds of each, in order: 1 thread "
           f"{', '.join(f'{x:.2f}' for x in t1_all)}; all threads {', '.join(f'{x:.2f}' for x in tn_all)}).",
           "",
           "CPU time the hypervisor gave to other machines during each reported run (steal, summed over the "
           f"{os.cpu_count()} CPUs; wall time includes it, CPU time does not): datatrove's stages {dt_steal:.2f} s in "
           f"{dt_wall:.1f} s, tapis 1 thread {t1[5]:.2f} s in {t1[0]:.2f} s, all threads {tn[5]:.2f} s in {tn[0]:.2f} s.",
           "",
           f"Removed: datatrove {dt_removed:,} (kept {dt_kept:,}); datasketch {ds_removed:,}; tapis "
           f"{s['removed']:,} ({', '.join(f'{v:,} {k}' for k, v in s['reasons'].items())}), kept {s['kept']:,} of "
           f"{s['read']:,} (read = kept + removed + errors: {s['balanced']}). tapis is run with `--no-url` here, so that "
           "all three compare texts only.",
           "", f"tapis command: `{t1[4]}`."]
    Path(args.out_md).write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
