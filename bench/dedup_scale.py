#!/usr/bin/env python3
"""Deduplication at scale: `tapis dedup --mode near` on 1 and 10 million
synthetic documents on one machine, with its peak memory, time and disk,
and what it found against the duplicates planted in the corpus.

    bash bench/dedup_scale.sh          # sets up bench/.venv, builds tapis, runs this
    bench/.venv/bin/python bench/dedup_scale.py --tapis target/release/tapis --docs 1000000

For each N (--docs, default 1,000,000 and 10,000,000), the corpus
`bench/scratch/synthetic/synthetic_N.jsonl.zst` is made by
`bench/synthetic_corpus.py` when missing (deterministic: same N, same seed,
same bytes), then

    tapis dedup CORPUS -o OUT --overwrite --mode near --format jsonl.zst --threads $(nproc)

runs under `/usr/bin/time -v` (wall and CPU time, peak RSS), once with the
default key buffer and once per --memory-mb value (default 64), to show
that memory follows the buffer, not the corpus. While it runs, a thread
samples the disk used by OUT (and by OUT/dedup-work, the band runs that
tapis deletes at the end) every second. Afterwards the removed documents
are read back: every record carries its planted kind (`unique`, `exact`,
`near`) and, for copies, the id of its source, so the report gives planted
against found per kind, unique documents removed (false positives), and
whether each copy names its source as `duplicate_of`. OUT is deleted after
it is read (--keep-outputs keeps it); the corpora stay unless
--delete-corpora. Report: bench/results/dedup_scale.md and .json.
"""
import argparse
import hashlib
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import zstandard

BENCH = Path(__file__).resolve().parent


def disk_usage(path: Path) -> int:
    """Bytes allocated under path (as du counts them); 0 when it is gone."""
    total = 0
    stack = [str(path)]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for e in it:
                    try:
                        if e.is_dir(follow_symlinks=False):
                            stack.append(e.path)
                        else:
                            total += e.stat(follow_symlinks=False).st_blocks * 512
                    except FileNotFoundError:
                        pass
        except (FileNotFoundError, NotADirectoryError):
            pass
    return total


class DiskSampler(threading.Thread):
    def __init__(self, out: Path, every: float = 1.0):
        super().__init__(daemon=True)
        self.out, self.every = out, every
        self.peak_out = self.peak_work = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.peak_work = max(self.peak_work, disk_usage(self.out / "dedup-work"))
            self.peak_out = max(self.peak_out, disk_usage(self.out))
            self.stop.wait(self.every)


def ensure_corpus(docs: int, folder: Path, seed: int):
    corpus = folder / f"synthetic_{docs}.jsonl.zst"
    sidecar = folder / f"synthetic_{docs}.plant.json"
    if corpus.exists() and sidecar.exists():
        info = json.loads(sidecar.read_text())
        if info["docs"] == docs and info["seed"] == seed and info["compressed_bytes"] == corpus.stat().st_size:
            return corpus, info
    print(f"generating {docs:,} documents ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, str(BENCH / "synthetic_corpus.py"), "--docs", str(docs),
                    "--seed", str(seed), "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    return corpus, json.loads(sidecar.read_text())


def read_removed(out: Path):
    """Planted kind x reason, duplicate_of == copy_of, and a digest of the removed ids."""
    kinds = Counter()
    source_named = Counter()
    ids = []
    for part in sorted((out / "removed").glob("*.jsonl.zst")):
        with part.open("rb") as fh:
            for line in io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(fh), 1 << 20):
                r = json.loads(line)
                m = r["metadata"]
                t = m["tapis"]
                kinds[f"{m['plant']}|{t['reason']}"] += 1
                if m["plant"] != "unique":
                    source_named[m["plant"]] += m.get("copy_of") == t.get("duplicate_of")
                ids.append(r["id"])
    ids.sort()
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    return dict(kinds), dict(source_named), digest


def run_tapis(binary: str, corpus: Path, out: Path, threads: int, memory_mb):
    cmd = [binary, "dedup", str(corpus), "-o", str(out), "--overwrite", "--mode", "near",
           "--format", "jsonl.zst", "--threads", str(threads)]
    if memory_mb:
        cmd += ["--memory-mb", str(memory_mb)]
    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    sampler = DiskSampler(out)
    sampler.start()
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"tapis dedup failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    err = proc.stderr

    def grab(pattern):
        return re.search(pattern, err).group(1)

    rss_mib = int(grab(r"Maximum resident set size \(kbytes\): (\d+)")) / 1024
    cpu = float(grab(r"User time \(seconds\): ([\d.]+)")) + float(grab(r"System time \(seconds\): ([\d.]+)"))
    stats = json.loads((out / "stats.json").read_text())
    final_out = disk_usage(out)
    return {
        "command": " ".join(["tapis", "dedup", "CORPUS", "-o", "OUT"] + cmd[5:]),
        "memory_mb": memory_mb, "threads": threads, "load_average_before": load,
        "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mib": rss_mib,
        "peak_disk_out_bytes": max(sampler.peak_out, final_out),
        "peak_disk_work_bytes": sampler.peak_work, "final_disk_out_bytes": final_out,
        "stats": stats,
    }


def check(run, info):
    """Found against planted, from the removed documents."""
    planted = info["planted"]
    kinds = run["removed_by_kind"]
    found = Counter()
    for key, n in kinds.items():
        found[key.split("|")[0]] += n
    return {
        "read_equals_docs": run["stats"]["read"] == info["docs"],
        "balanced": run["stats"]["balanced"],
        "exact_planted": planted["exact"], "exact_found": found["exact"],
        "exact_found_as_exact": kinds.get("exact|dedup/exact_duplicate", 0),
        "near_planted": planted["near"], "near_found": found["near"],
        "near_expected_lsh": info["near_expected_found_lsh"],
        "near_found_as_exact": kinds.get("near|dedup/exact_duplicate", 0),
        "unique_planted": planted["unique"], "unique_removed": found["unique"],
        "copies_naming_their_source": sum(run["source_named"].values()),
        "copies_found": found["exact"] + found["near"],
    }


def fmt_bytes(n):
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def first_pass_seconds(stats):
    """Seconds to the clusters: map, reduce and cluster steps."""
    if "step_seconds" in stats:
        return sum(stats["step_seconds"][k] for k in ("map", "reduce", "cluster"))
    return stats["seconds_to_cluster"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--docs", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--memory-mb", type=int, nargs="*", default=[64],
                    help="extra runs with these --memory-mb values (besides tapis's default)")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--corpus-dir", default="bench/scratch/synthetic")
    ap.add_argument("--work", default="bench/scratch/dedup_scale")
    ap.add_argument("--keep-outputs", action="store_true", help="keep each run's OUT folder")
    ap.add_argument("--delete-corpora", action="store_true", help="delete each corpus after its runs")
    ap.add_argument("--out-json", default="bench/results/dedup_scale.json")
    ap.add_argument("--out-md", default="bench/results/dedup_scale.md")
    ap.add_argument("--report-only", action="store_true", help="rewrite the .md from the .json, run nothing")
    args = ap.parse_args()
    if args.report_only:
        write_md(json.loads(Path(args.out_json).read_text()), args.out_md)
        return
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    version = subprocess.run([args.tapis, "--version"], capture_output=True, text=True).stdout.strip()
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    results = {"command": "bash bench/dedup_scale.sh" + ("" if args.docs == [1_000_000, 10_000_000] else
                                                         " --docs " + " ".join(map(str, args.docs))),
               "machine": {"cpus": os.cpu_count(), "cpu": cpu_model, "memory_gib": round(mem_gib, 1),
                           "python": platform.python_version()},
               "tapis": version, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "corpora": []}
    for n in args.docs:
        corpus, info = ensure_corpus(n, Path(args.corpus_dir), args.seed)
        entry = {"docs": n, "corpus": str(corpus), "plant": info, "runs": []}
        for mem in [None] + args.memory_mb:
            label = f"{n}_{'default' if mem is None else f'mem{mem}'}"
            out = work / label
            print(f"tapis dedup, {n:,} documents, memory {mem or 'default'} ...", file=sys.stderr, flush=True)
            run = run_tapis(args.tapis, corpus, out, args.threads, mem)
            run["removed_by_kind"], run["source_named"], run["removed_ids_sha256"] = read_removed(out)
            run["check"] = check(run, info)
            run["docs_per_s"] = n / run["seconds"]
            run["mb_per_s_uncompressed"] = info["uncompressed_bytes"] / 1e6 / run["seconds"]
            run["mb_per_s_compressed"] = info["compressed_bytes"] / 1e6 / run["seconds"]
            run["peak_rss_bytes_per_doc"] = run["peak_rss_mib"] * 2**20 / n
            entry["runs"].append(run)
            print(json.dumps({k: run[k] for k in ("seconds", "cpu_seconds", "peak_rss_mib", "check")}),
                  file=sys.stderr, flush=True)
            if not args.keep_outputs:
                shutil.rmtree(out, ignore_errors=True)
        entry["same_removed_set_across_memory"] = len({r["removed_ids_sha256"] for r in entry["runs"]}) == 1
        results["corpora"].append(entry)
        if args.delete_corpora:
            corpus.unlink()
        Path(args.out_json).write_text(json.dumps(results, indent=1) + "\n")
    write_md(results, args.out_md)


def write_md(results, path):
    md = ["# Deduplication at scale: tapis dedup on 1 and 10 million synthetic documents", "",
          f"Generated by `{results['command']}` (`bench/dedup_scale.py`), {results['date']}, {results['tapis']}. "
          f"Machine: {results['machine']['cpus']} CPUs ({results['machine']['cpu']}), "
          f"{results['machine']['memory_gib']} GiB RAM.", "",
          "Corpus: `bench/synthetic_corpus.py`, made-up words in ten vocabularies of seven scripts with Zipf "
          "frequencies, median 60 words a document; after the first 5,000 documents, 5 % are exact copies of "
          "an earlier document (half with their punctuation redrawn, the same text after normalization), "
          "5 % near copies (one word edit per 250 words, plus one; 5-word-shingle Jaccard at least 0.87, computed "
          "for each), the rest unique. Each record names its planted kind and source, so the removed "
          "documents can be checked one by one.", "",
          "Command: `tapis dedup CORPUS -o OUT --overwrite --mode near --format jsonl.zst --threads N` "
          "(all cores), plus `--memory-mb 64` in the second run of each size (the default is 256).", "",
          "| documents | corpus (text / zstd) | --memory-mb | wall (first pass) | CPU | docs/s | MB/s (text) | peak RSS | "
          "RSS bytes/doc | peak disk of OUT (work) | load before |",
          "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for c in results["corpora"]:
        p = c["plant"]
        for r in c["runs"]:
            md.append(f"| {c['docs']:,} | {p['uncompressed_bytes'] / 1e9:.2f} GB / {p['compressed_bytes'] / 1e9:.2f} GB "
                      f"| {r['memory_mb'] or '256 (default)'} | {r['seconds']:.0f} s ({first_pass_seconds(r['stats']):.0f} s) "
                      f"| {r['cpu_seconds']:.0f} s "
                      f"| {r['docs_per_s']:,.0f} | {r['mb_per_s_uncompressed']:.1f} | {r['peak_rss_mib']:.0f} MiB "
                      f"| {r['peak_rss_bytes_per_doc']:.0f} | {fmt_bytes(r['peak_disk_out_bytes'])} "
                      f"({fmt_bytes(r['peak_disk_work_bytes'])}) | {r['load_average_before']:.1f} |")
    md += ["", "The first pass reads the corpus, computes the signatures, writes and merges the band runs and "
           "joins the clusters; the second reads the corpus again and writes kept/ and removed/. "
           "MB/s counts the uncompressed JSONL (1 MB = 10^6 bytes). Peak disk is sampled every second "
           "(`du` of OUT, and of OUT/dedup-work, the band runs tapis deletes at the end); the machine's load "
           "average before each run tells whether other work shared the two cores (above 2, it did: wall times "
           "are then longer than on an idle machine, and the CPU seconds are the steadier figure).", "",
           "## Found against planted", "",
           "| documents | --memory-mb | read = N, balanced | exact copies found / planted | near copies found / planted "
           "(expected from LSH) | unique documents removed | copies naming their source |",
           "|---:|---:|---|---|---|---:|---|"]
    for c in results["corpora"]:
        for r in c["runs"]:
            k = r["check"]
            md.append(f"| {c['docs']:,} | {r['memory_mb'] or 256} | {k['read_equals_docs']}, {k['balanced']} "
                      f"| {k['exact_found']:,} / {k['exact_planted']:,} "
                      f"| {k['near_found']:,} / {k['near_planted']:,} ({k['near_expected_lsh']:,.0f}) "
                      f"| {k['unique_removed']:,} of {k['unique_planted']:,} "
                      f"| {k['copies_naming_their_source']:,} of {k['copies_found']:,} |")
    md += ["", "Expected near copies found: the sum over the planted near copies of 1 - (1 - J^8)^14, the chance that "
           "14 bands of 8 MinHash rows put a pair with Jaccard J in one bucket. A near copy can also be an exact "
           "copy of another near copy of the same source (the same edit drawn twice); tapis then calls it "
           "an exact duplicate: "
           + ", ".join(f"{r['check']['near_found_as_exact']}" for c in results["corpora"] for r in c["runs"])
           + " in the runs above, in that order."]
    corpora = sorted(results["corpora"], key=lambda c: c["docs"])
    if len(corpora) > 1:
        lo, hi = corpora[0], corpora[-1]
        slopes = []
        for a, b in zip(lo["runs"], hi["runs"]):
            per_doc = (b["peak_rss_mib"] - a["peak_rss_mib"]) * 2**20 / (hi["docs"] - lo["docs"])
            slopes.append(f"{per_doc:.1f} bytes with --memory-mb {a['memory_mb'] or 256}")
        md += ["", f"From {lo['docs']:,} to {hi['docs']:,} documents, the peak RSS grows by "
               + " and ".join(slopes) + " per added document; the rest is the key buffer and fixed costs. "
               "The band runs on disk take "
               + ", ".join(f"{r['peak_disk_work_bytes'] / c['docs']:.0f}" for c in corpora for r in c["runs"])
               + " bytes per document at their peak (same order as the runs above)."]
    for c in results["corpora"]:
        md.append("")
        md.append(f"{c['docs']:,} documents: the removed ids are the same with every --memory-mb: "
                  f"{c['same_removed_set_across_memory']}. Corpus generation took {c['plant']['seconds']:.0f} s.")
    Path(path).write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
