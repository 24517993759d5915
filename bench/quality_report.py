#!/usr/bin/env python3
"""Read the runs made by bench/quality_filters.sh and write the markdown report.

    bench/.venv/bin/python bench/quality_report.py --runs bench/scratch/runs \
        --small bench/scratch/corpus_50mb.jsonl --large bench/scratch/corpus_500mb.jsonl \
        --threads 2 --tapis-bin target/release/tapis --out bench/results/quality_filters.md

Each run folder under --runs holds `time.txt` (the output of `/usr/bin/time -v -o`),
`stdout.txt`, `stderr.txt`, `cmd.txt`, and the tool's outputs: `out/` for tapis
(`kept/part-*.jsonl.zst`, `removed/part-*.jsonl.zst`, `stats.json`), and `kept.jsonl`
plus `removed/<filter>.jsonl` for datatrove (its JSON summary is its stdout).
Run folders: tapis_small_t1, tapis_small_tN, datatrove_small_p1, tapis_large_t1,
tapis_large_tN. Every figure in the report is read from these files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import io
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import zstandard

MB = 1_000_000
MIB = 1024 * 1024


# ---------------------------------------------------------------- reading runs

def parse_time_v(path: Path) -> dict:
    """Wall time, peak RSS and exit status from `/usr/bin/time -v -o path`."""
    out = {"wall_s": None, "max_rss_kb": None, "exit": None, "user_s": None, "sys_s": None}
    for line in path.read_text(errors="replace").splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            v = line.rsplit(": ", 1)[1]
            parts = [float(p) for p in v.split(":")]
            secs = 0.0
            for p in parts:
                secs = secs * 60 + p
            out["wall_s"] = secs
        elif line.startswith("Maximum resident set size"):
            out["max_rss_kb"] = int(line.rsplit(": ", 1)[1])
        elif line.startswith("Exit status"):
            out["exit"] = int(line.rsplit(": ", 1)[1])
        elif line.startswith("User time (seconds)"):
            out["user_s"] = float(line.rsplit(": ", 1)[1])
        elif line.startswith("System time (seconds)"):
            out["sys_s"] = float(line.rsplit(": ", 1)[1])
        elif line.startswith("Command terminated by signal"):
            out["exit"] = 128 + int(line.rsplit(" ", 1)[1])
    return out


def zst_lines(paths: list[str]):
    """Lines (bytes) of .jsonl or .jsonl.zst files, in the given order."""
    dctx = zstandard.ZstdDecompressor()
    for p in paths:
        if p.endswith(".zst"):
            with open(p, "rb") as f, dctx.stream_reader(f, read_across_frames=True) as r:
                yield from io.BufferedReader(r, buffer_size=1 << 20)
        else:
            with open(p, "rb") as f:
                yield from f


def parts(outdir: Path, kind: str) -> list[str]:
    return sorted(glob.glob(str(outdir / kind / "part-*.jsonl.zst"))
                  + glob.glob(str(outdir / kind / "part-*.jsonl")))


def steal_seconds(run_dir: Path) -> float | None:
    """CPU time the hypervisor gave to other machines during the run, summed
    over the CPUs: the `steal` column of /proc/stat, after minus before."""
    try:
        before = (run_dir / "stat_before.txt").read_text().split()
        after = (run_dir / "stat_after.txt").read_text().split()
        return (int(after[8]) - int(before[8])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def load_run(run_dir: Path, tool: str, corpus: Path) -> dict | None:
    if not (run_dir / "time.txt").is_file():
        return None
    r = {"dir": run_dir, "tool": tool, **parse_time_v(run_dir / "time.txt")}
    r["cmd"] = (run_dir / "cmd.txt").read_text().strip() if (run_dir / "cmd.txt").is_file() else ""
    la = run_dir / "loadavg.txt"
    r["loadavg"] = la.read_text().split()[0] if la.is_file() and la.read_text().split() else None
    r["steal_s"] = steal_seconds(run_dir)
    rep = run_dir / "repeats.txt"
    r["repeats"] = [float(x) for x in rep.read_text().split()] if rep.is_file() else None
    r["bytes"] = corpus.stat().st_size
    if r["exit"] != 0:
        r["failed"] = True
        return r
    if tool == "datatrove":
        s = json.loads((run_dir / "stdout.txt").read_text())
        r.update(docs=s["docs"], seconds=s["seconds"], kept=s["kept"], removed=s["removed"],
                 errors=0, summary=s)
    else:
        s = json.loads((run_dir / "out" / "stats.json").read_text())
        r.update(docs=s["read"], seconds=s["seconds"], kept=s["kept"], removed=s["removed"],
                 errors=s.get("errors", 0), summary=s)
    r["docs_per_s"] = r["docs"] / r["seconds"] if r["seconds"] else None
    r["mb_per_s"] = r["bytes"] / MB / r["seconds"] if r["seconds"] else None
    return r


# ------------------------------------------------------- decisions and identity

def datatrove_decisions(run_dir: Path) -> tuple[dict, dict]:
    """(kept id -> text, removed id -> reason) of a datatrove run."""
    kept, removed = {}, {}
    with open(run_dir / "kept.jsonl", "rb") as f:
        for line in f:
            rec = json.loads(line)
            kept[rec["id"]] = rec["text"]
    for p in sorted(glob.glob(str(run_dir / "removed" / "*.jsonl"))):
        name = Path(p).stem
        with open(p, "rb") as f:
            for line in f:
                rec = json.loads(line)
                removed[rec["id"]] = f"{name}/{rec['metadata'].get('filter_reason', '')}"
    return kept, removed


def tapis_decisions(outdir: Path) -> tuple[dict, dict]:
    kept, removed = {}, {}
    for line in zst_lines(parts(outdir, "kept")):
        rec = json.loads(line)
        kept[rec["id"]] = rec["text"]
    for line in zst_lines(parts(outdir, "removed")):
        rec = json.loads(line)
        reason = ((rec.get("metadata") or {}).get("tapis") or {}).get("reason")
        removed[rec["id"]] = str(reason)
    return kept, removed


# tapis names its rules and checks a little differently from datatrove's filters and
# reasons; these aliases map both onto one vocabulary. The pair table in the report
# shows the raw codes, so a wrong alias cannot hide a disagreement.
FILTER_ALIASES = {"c4_quality": "c4", "fineweb_quality": "fineweb"}
CHECK_ALIASES = {
    "enough_stop_words": "too_few_stop_words",
    "below_avg_threshold": "below_avg_word_length",
    "above_avg_threshold": "above_avg_word_length",
}


def normalize(reason: str) -> tuple[str, str]:
    """(filter, check) of a reason code `filter/check`, with names unified."""
    flt, _, check = reason.partition("/")
    flt = FILTER_ALIASES.get(flt, flt)
    if flt == "gopher_quality" and check.startswith("gopher_"):
        check = check[len("gopher_"):]
    check = re.sub(r"^duplicated_(\d+)_n_grams$", r"dup_\1_gram", check)
    return flt, CHECK_ALIASES.get(check, check)


def compare(corpus: Path, dt_run: Path, tapis_out: Path) -> dict:
    dk, dr = datatrove_decisions(dt_run)
    tk, tr = tapis_decisions(tapis_out)
    ids = []
    with open(corpus, "rb") as f:
        for line in f:
            ids.append(json.loads(line)["id"])
    same = both_kept = text_same = dt_only = tapis_only = both_removed = 0
    filter_same = check_same = missing = 0
    pairs: dict[tuple[str, str], int] = {}
    examples = {"kept by datatrove only": [], "kept by tapis only": [], "kept by both, text differs": []}
    for i in ids:
        d_keep, t_keep = i in dk, i in tk
        if not d_keep and i not in dr or not t_keep and i not in tr:
            missing += 1
        if d_keep == t_keep:
            same += 1
        if d_keep and t_keep:
            both_kept += 1
            if dk[i] == tk[i]:
                text_same += 1
            elif len(examples["kept by both, text differs"]) < 5:
                examples["kept by both, text differs"].append(i)
        elif d_keep:
            dt_only += 1
            if len(examples["kept by datatrove only"]) < 5:
                examples["kept by datatrove only"].append(f"{i} (tapis: {tr.get(i)})")
        elif t_keep:
            tapis_only += 1
            if len(examples["kept by tapis only"]) < 5:
                examples["kept by tapis only"].append(f"{i} (datatrove: {dr.get(i)})")
        elif i in dr and i in tr:
            both_removed += 1
            nd, nt = normalize(dr[i]), normalize(tr[i])
            filter_same += nd[0] == nt[0]
            check_same += nd == nt
            pairs[(dr[i], tr[i])] = pairs.get((dr[i], tr[i]), 0) + 1
    return {
        "docs": len(ids), "same_decision": same, "both_kept": both_kept, "text_same": text_same,
        "datatrove_only": dt_only, "tapis_only": tapis_only, "both_removed": both_removed,
        "filter_same": filter_same, "check_same": check_same, "missing": missing,
        "pairs": sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])),
        "examples": examples,
    }


def digest(paths: list[str]) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    for line in zst_lines(paths):
        h.update(line)
        n += 1
    return h.hexdigest(), n


def sorted_digest(paths: list[str]) -> str:
    h = hashlib.sha256()
    for line in sorted(zst_lines(paths)):
        h.update(line)
    return h.hexdigest()


def identity(out1: Path, outn: Path) -> dict:
    res = {}
    for kind in ("kept", "removed"):
        a, b = parts(out1, kind), parts(outn, kind)
        (da, na), (db, nb) = digest(a), digest(b)
        r = {"identical": da == db and na == nb, "records": (na, nb), "parts": (len(a), len(b)), "sha256": da}
        if not r["identical"]:
            r["same_records_any_order"] = sorted_digest(a) == sorted_digest(b)
        res[kind] = r
    return res


# ------------------------------------------------------------------ the machine

def sh(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total() -> str:
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


# --------------------------------------------------------------------- format

def f(x, nd=1):
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}"


def rss_mib(r):
    return None if r.get("max_rss_kb") is None else r["max_rss_kb"] / 1024


def pct(a, b):
    return "n/a" if not b else f"{100 * a / b:.2f} %"


def row(label, r):
    if r is None:
        return f"| {label} | not run | | | | | | | | |"
    if r.get("failed"):
        return f"| {label} | **failed (exit {r['exit']})** | | | | | {f(rss_mib(r))} | | | |"
    return (f"| {label} | {f(r['docs'])} | {f(r['bytes'] / MB, 1)} | {f(r['seconds'], 2)} | {f(r['wall_s'], 2)} "
            f"| {f(r['docs_per_s'], 1)} | {f(r['mb_per_s'], 2)} | {f(rss_mib(r))} | {f(r['kept'])} | {f(r['removed'])} |")


def ok(r):
    return r is not None and not r.get("failed")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=Path, required=True)
    ap.add_argument("--small", type=Path, required=True, help="the small corpus (all three tools)")
    ap.add_argument("--large", type=Path, default=None, help="the large corpus (tapis only)")
    ap.add_argument("--threads", type=int, required=True, help="thread count of the all-threads runs")
    ap.add_argument("--tapis-bin", default="target/release/tapis")
    ap.add_argument("--command", default="bash bench/quality_filters.sh")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    N = args.threads

    t1 = load_run(args.runs / "tapis_small_t1", "tapis", args.small)
    tn = load_run(args.runs / "tapis_small_tN", "tapis", args.small)
    dtr = load_run(args.runs / "datatrove_small_p1", "datatrove", args.small)
    l1 = ln = None
    if args.large is not None and args.large.is_file():
        l1 = load_run(args.runs / "tapis_large_t1", "tapis", args.large)
        ln = load_run(args.runs / "tapis_large_tN", "tapis", args.large)

    small_mb = args.small.stat().st_size / MB
    large_mb = args.large.stat().st_size / MB if l1 or ln else None

    versions = {
        "tapis": sh([args.tapis_bin, "--version"]) or "unknown",
        "tapis commit": sh(["git", "rev-parse", "--short=12", "HEAD"]) or "unknown",
        "rustc": sh(["rustc", "--version"]) or "unknown",
        "datatrove": dtr["summary"]["version"] if ok(dtr) else "unknown",
        "python": dtr["summary"]["python"] if ok(dtr) else platform.python_version(),
    }
    try:
        import importlib.metadata as im
        versions["spacy"] = im.version("spacy")
    except Exception:  # noqa: BLE001
        pass
    dirty = sh(["git", "status", "--porcelain", "--untracked-files=no"])
    if dirty and versions["tapis commit"] != "unknown":
        versions["tapis commit"] += " (with uncommitted changes)"

    L = []
    w = L.append
    now = dt.datetime.now(dt.timezone.utc)
    w("# Quality filters: tapis vs datatrove")
    w("")
    w(f"Generated by `{args.command}` on {now:%Y-%m-%d %H:%M} UTC. Every figure below is read from the "
      "runs' own outputs; nothing is typed in by hand.")
    w("")
    w("## Machine and versions")
    w("")
    w(f"- CPU: {cpu_model()}; `nproc` = {sh(['nproc']) or os.cpu_count()}; "
      f"memory {mem_total()}; {platform.system()} {platform.release()}")
    for k, v in versions.items():
        w(f"- {k}: {v}")
    w("")
    w("## What runs")
    w("")
    w("The same chain in both tools, with datatrove's default arguments: GopherRepetitionFilter → "
      "GopherQualityFilter → C4QualityFilter (which rewrites the text) → FineWebQualityFilter.")
    w("")
    w("- **tapis**: `tapis clean CORPUS -o OUT --preset datatrove --no-line-cleaning --threads T --no-progress --format jsonl` "
      "(reads JSONL, writes kept and removed documents, with their reasons and figures, as uncompressed "
      "JSONL like the datatrove side). With `--threads 1` one thread runs the rules while the reader and "
      "the writer run on their own threads, so the CPU-time ratio is given too.")
    w("- **datatrove**: `bench/datatrove_quality.py`: JsonlReader → the four filters (each with a "
      "JsonlWriter as exclusion writer, as in FineWeb) → JsonlWriter, uncompressed, chained as datatrove's "
      "executor chains them, on one process.")
    w("- Corpora: `bench/make_corpus.py` repeats the trafilatura-eval `fullpage.jsonl` set "
      "(990 web pages as plain text, mostly German and English, menus and footers included) with ids "
      "`{id}#{copy}`.")
    w("- *seconds* is processing time: tapis's `stats.json` `seconds`; for datatrove, reading + filtering + "
      "writing, without interpreter start-up, imports and the spaCy tokenizer's one-off load "
      "(reported below). *wall* and *peak RSS* come from `/usr/bin/time -v` around the whole process. "
      "MB = 10^6 bytes of input JSONL.")
    w("")
    w(f"## {small_mb:.0f} MB corpus: all three")
    w("")
    w("| run | docs | MB | seconds | wall s | docs/s | MB/s | peak RSS MiB | kept | removed |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    w(row("tapis, 1 thread", t1))
    w(row(f"tapis, {N} threads", tn))
    w(row("datatrove, 1 process", dtr))
    w("")
    if ok(dtr):
        nt = dtr["summary"]["not_timed"]
        w(f"datatrove, not in *seconds*: interpreter start-up {f(nt['interpreter_startup_seconds'], 2)} s, "
          f"imports {f(nt['imports_seconds'], 2)} s, tokenizer warm-up {f(nt['warmup_seconds'], 2)} s. "
          "Time per step (s): "
          + ", ".join(f"{k} {v:.1f}" for k, v in dtr["summary"]["step_seconds"].items()) + ".")
        w("")
    for label, r in (("tapis 1 thread", t1), (f"tapis {N} threads", tn)):
        if r is not None and r.get("repeats"):
            w(f"{label}: the run with the median time of {len(r['repeats'])} "
              f"(seconds of each, in order: {', '.join(f'{x:.2f}' for x in r['repeats'])}).")
            w("")
    loads = [(label, r["loadavg"]) for label, r in (("tapis 1 thread", t1), (f"tapis {N} threads", tn),
                                                    ("datatrove", dtr)) if r is not None and r.get("loadavg")]
    if loads:
        w("Load average (1 min) just before each run, from other work on the machine: "
          + ", ".join(f"{a} {b}" for a, b in loads) + ".")
        w("")
    steals = [(label, r) for label, r in (("tapis 1 thread", t1), (f"tapis {N} threads", tn),
                                          ("datatrove", dtr)) if r is not None and r.get("steal_s") is not None]
    if steals:
        w("CPU time the hypervisor gave to other machines during each reported run (steal, summed over the "
          f"{os.cpu_count()} CPUs, against the run's wall time; wall time includes it, CPU time does not): "
          + ", ".join(f"{a} {r['steal_s']:.2f} s in {r['wall_s']:.2f} s" for a, r in steals) + ".")
        w("")
    w("### Ratios (tapis / datatrove, docs/s)")
    w("")
    if ok(dtr) and (ok(t1) or ok(tn)):
        w("| comparison | by processing time | by wall time |")
        w("|---|---:|---:|")
        docs_dt_wall = dtr["docs"] / dtr["wall_s"]
        if ok(t1):
            w(f"| per core: tapis 1 thread / datatrove 1 process | {t1['docs_per_s'] / dtr['docs_per_s']:.1f}× "
              f"| {(t1['docs'] / t1['wall_s']) / docs_dt_wall:.1f}× |")
        if ok(tn):
            w(f"| all threads: tapis {N} threads / datatrove 1 process | {tn['docs_per_s'] / dtr['docs_per_s']:.1f}× "
              f"| {(tn['docs'] / tn['wall_s']) / docs_dt_wall:.1f}× |")
            w(f"| all threads vs datatrove scaled perfectly to {N} processes (the ratio above ÷ {N}) "
              f"| {tn['docs_per_s'] / dtr['docs_per_s'] / N:.1f}× | {(tn['docs'] / tn['wall_s']) / docs_dt_wall / N:.1f}× |")
        if ok(t1) and t1.get("user_s") is not None and dtr.get("user_s") is not None:
            cpu_t1 = t1["user_s"] + t1["sys_s"]
            cpu_dt = dtr["user_s"] + dtr["sys_s"]
            w(f"| per core by CPU time: datatrove CPU s / tapis 1 thread CPU s (whole processes, "
              f"{cpu_dt:.1f} s / {cpu_t1:.2f} s; datatrove's includes its start-up) "
              f"| {cpu_dt / cpu_t1:.1f}× | |")
        if ok(t1):
            w(f"| peak RSS: tapis 1 thread / datatrove | {rss_mib(t1) / rss_mib(dtr):.2f} | |")
        if ok(tn):
            w(f"| peak RSS: tapis {N} threads / datatrove | {rss_mib(tn) / rss_mib(dtr):.2f} | |")
        if ok(t1) and ok(tn):
            w(f"| tapis scaling: {N} threads / 1 thread | {tn['docs_per_s'] / t1['docs_per_s']:.2f}× "
              f"| {(tn['docs'] / tn['wall_s']) / (t1['docs'] / t1['wall_s']):.2f}× |")
    else:
        w("Not computed: a run is missing or failed.")
    w("")

    w(f"## {large_mb:.0f} MB corpus: tapis only (memory flatness)" if large_mb else "## Large corpus: not run")
    w("")
    if l1 or ln:
        est = ""
        if ok(dtr):
            est_s = args.large.stat().st_size / MB / dtr["mb_per_s"]
            mins = est_s / 60
            est = (f" At the throughput measured above it would take about {mins:.{0 if mins >= 10 else 1}f} minutes, "
                   "so it is not run.")
        w("datatrove is not run on this corpus." + est)
        w("")
        w("| run | docs | MB | seconds | wall s | docs/s | MB/s | peak RSS MiB | kept | removed |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        w(row("tapis, 1 thread", l1))
        w(row(f"tapis, {N} threads", ln))
        w("")
        for label, small, large in (("1 thread", t1, l1), (f"{N} threads", tn, ln)):
            if ok(small) and ok(large):
                w(f"- Peak RSS, tapis {label}: {f(rss_mib(small))} MiB on {small_mb:.0f} MB, "
                  f"{f(rss_mib(large))} MiB on {large_mb:.0f} MB "
                  f"(×{rss_mib(large) / rss_mib(small):.2f} for ×{large_mb / small_mb:.1f} input).")
        w("")

    w(f"## Decisions: tapis vs datatrove on the {small_mb:.0f} MB corpus")
    w("")
    cmp = None
    if ok(dtr) and ok(t1):
        cmp = compare(args.small, dtr["dir"], t1["dir"] / "out")
        c = cmp
        w("| measure | count | share |")
        w("|---|---:|---:|")
        w(f"| same keep/remove decision | {f(c['same_decision'])} / {f(c['docs'])} | {pct(c['same_decision'], c['docs'])} |")
        w(f"| kept by both | {f(c['both_kept'])} | |")
        w(f"| … with byte-identical final text | {f(c['text_same'])} / {f(c['both_kept'])} | {pct(c['text_same'], c['both_kept'])} |")
        w(f"| kept by datatrove only | {f(c['datatrove_only'])} | |")
        w(f"| kept by tapis only | {f(c['tapis_only'])} | |")
        w(f"| removed by both | {f(c['both_removed'])} | |")
        w(f"| … removed by the same filter | {f(c['filter_same'])} / {f(c['both_removed'])} | {pct(c['filter_same'], c['both_removed'])} |")
        w(f"| … for the same reason | {f(c['check_same'])} / {f(c['both_removed'])} | {pct(c['check_same'], c['both_removed'])} |")
        if c["missing"]:
            w(f"| documents absent from a tool's kept and removed outputs | {f(c['missing'])} | |")
        w("")
        if any(c["examples"].values()):
            for k, v in c["examples"].items():
                if v:
                    w(f"- {k} (first {len(v)}): " + "; ".join(f"`{x}`" for x in v))
            w("")
        w("Reasons of the documents both removed (datatrove's code, tapis's code, documents):")
        w("")
        w("| datatrove | tapis | docs |")
        w("|---|---|---:|")
        for (a, b), n in c["pairs"]:
            w(f"| `{a}` | `{b}` | {n:,} |")
        w("")
    else:
        w("Not compared: a run is missing or failed.")
        w("")

    w("## Determinism: tapis, 1 thread vs all threads")
    w("")
    ident = {}
    for label, a, b in ((f"{small_mb:.0f} MB", t1, tn), (f"{large_mb or 0:.0f} MB", l1, ln)):
        if ok(a) and ok(b):
            ident[label] = identity(a["dir"] / "out", b["dir"] / "out")
            for kind, r in ident[label].items():
                verdict = "byte-identical" if r["identical"] else (
                    "**differ** (same records in another order)" if r.get("same_records_any_order") else "**differ**")
                w(f"- {label}, {kind} (decompressed, parts concatenated in name order): {verdict}; "
                  f"{f(r['records'][0])} records; parts {r['parts'][0]} vs {r['parts'][1]}.")
    if not ident:
        w("Not checked: a run is missing or failed.")
    w("")

    w("## Commands")
    w("")
    w("```")
    for r in (t1, tn, dtr, l1, ln):
        if r is not None and r["cmd"]:
            w(r["cmd"])
    w("```")
    w("")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(L))

    summary = {
        "report": str(args.out),
        "command": args.command,
        "date_utc": f"{now:%Y-%m-%dT%H:%M:%SZ}",
        "versions": versions,
        "runs": {name: None if r is None else {k: r.get(k) for k in (
            "docs", "seconds", "wall_s", "docs_per_s", "mb_per_s", "max_rss_kb", "kept", "removed", "exit")}
            for name, r in (("tapis_small_t1", t1), ("tapis_small_tN", tn), ("datatrove_small_p1", dtr),
                            ("tapis_large_t1", l1), ("tapis_large_tN", ln))},
        "agreement": None if cmp is None else round(100 * cmp["same_decision"] / cmp["docs"], 3),
        "identical_1_vs_N": {k: {kind: r["identical"] for kind, r in v.items()} for k, v in ident.items()},
    }
    args.out.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    failed = [r for r in (t1, tn, dtr, l1, ln) if r is not None and r.get("failed")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
