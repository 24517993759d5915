#!/usr/bin/env python3
"""Main-content extraction from HTML: tapis against trafilatura 2.3.1 on the
990 pages of the trafilatura evaluation set, same pages, same run, scored
with its `with` snippets (article text that must survive) and `without`
snippets (boilerplate that must go), overall and per page language, with
the speed of each in pages per second on one core.

    bash bench/html_extract.sh      # sets up bench/.venv, builds tapis, runs this

Systems:
- trafilatura 2.3.1, `trafilatura.extract(raw_bytes)` with its defaults, one
  process; seconds = the extract calls (it decodes the bytes itself);
- tapis: `tapis clean PAGES... --config CHAIN --no-line-cleaning --threads 1
  --format jsonl` with an empty rule chain, so every page's extracted text
  is written; seconds = the whole run as `stats.json` reports it (reading
  and gunzipping the files, charset decoding, extraction, writing);
- tapis, then its line cleaner (`boilerplate_lines` alone) on the extracted
  text, as `tapis clean` runs by default;
- trafilatura's texts, then tapis's line cleaner with `all_text_extracted`
  (text another tool extracted, read from JSONL), for a corpus already
  extracted by trafilatura;
- the page's whole text (no extraction), for reference.
A snippet counts as present when it is a substring of the text, both with
white space runs collapsed to one space (as SOURCE.md measures).
"""
import argparse
import gzip
import json
import re
import subprocess
import sys
import time
from pathlib import Path

# The same snippet matching and output reading as the line-cleaning benchmark.
from lines_snippets import collapse, kept_texts

LANG = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I | re.S)


def page_language(raw):
    m = LANG.search(raw[:200000])
    return m.group(1).decode().lower()[:2] if m else "unknown"


def run_trafilatura(pages):
    import trafilatura

    texts, seconds = {}, 0.0
    for name, raw in pages.items():
        start = time.perf_counter()
        text = trafilatura.extract(raw) or ""
        seconds += time.perf_counter() - start
        texts[name] = text
    return texts, seconds


def run_tapis(tapis, files, work, config, line_cleaning, threads):
    out = work / ("lines" if line_cleaning else "extract") / f"t{threads}"
    cmd = [tapis, "clean", *map(str, files), "-o", str(out), "--config", str(config),
           "--threads", str(threads), "--format", "jsonl", "--no-progress", "--overwrite"]
    if not line_cleaning:
        cmd.append("--no-line-cleaning")
    wall = time.perf_counter()
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - wall
    stats = json.loads((out / "stats.json").read_text())
    assert stats["conservation"]["holds"], stats["conservation"]
    # Ids are the file names without `.html.gz`.
    texts = {k + ".html": v for k, v in kept_texts(out).items()}
    shown = " ".join([cmd[0], cmd[1], "PAGES..."] + cmd[2 + len(files):])
    return texts, stats["seconds"], wall, shown


def clean_lines_of(tapis, texts, work):
    """`texts` (name -> text) written as JSONL and cleaned by `boilerplate_lines`
    alone, judged as extracted main content; the kept text of each."""
    corpus = work / "extracted_elsewhere.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for name, text in texts.items():
            f.write(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n")
    config = work / "lines_on_extracted.toml"
    config.write_text('chain = ["boilerplate_lines"]\n[boilerplate_lines]\nall_text_extracted = true\n')
    out = work / "lines_on_extracted"
    subprocess.run([tapis, "clean", str(corpus), "-o", str(out), "--config", str(config),
                    "--threads", "1", "--format", "jsonl", "--no-progress", "--overwrite"],
                   check=True, stderr=subprocess.DEVNULL)
    stats = json.loads((out / "stats.json").read_text())
    assert stats["conservation"]["holds"], stats["conservation"]
    return kept_texts(out)


def score(entries, texts, subset):
    w = wf = wo = wof = 0
    for name, e in entries.items():
        if not subset(name):
            continue
        t = collapse(texts.get(name, ""))
        w += len(e["with"])
        wf += sum(collapse(s) in t for s in e["with"])
        wo += len(e["without"])
        wof += sum(collapse(s) in t for s in e["without"])
    return (wf / w if w else None, wof / wo if wo else None, w, wo)


def whole_text(raw):
    from lxml import html as lh

    try:
        tree = lh.fromstring(raw)
    except Exception:
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    return tree.text_content()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--data", default="../shared/data/trafilatura-eval")
    ap.add_argument("--work", default="bench/scratch/html_extract")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out-json", default="bench/results/html_extract.json")
    ap.add_argument("--out-md", default="bench/results/html_extract.md")
    args = ap.parse_args()

    data = Path(args.data)
    evaldata = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    entries = {v["file"]: v for v in evaldata.values()}
    files = sorted(data / "html" / (name + ".gz") for name in entries)
    pages = {f.name[:-3]: gzip.open(f).read() for f in files}
    languages = {name: page_language(raw) for name, raw in pages.items()}
    megabytes = sum(len(r) for r in pages.values()) / 1e6
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    chain = work / "extract_only.toml"
    chain.write_text("# No rule: every page's extracted text is written.\nchain = []\n")
    lines_chain = Path("bench/lines_only.toml")

    systems = {}
    print("page text as is ...", file=sys.stderr)
    systems["the page's whole text (no extraction)"] = {"texts": {n: whole_text(r) for n, r in pages.items()}}
    print("tapis ...", file=sys.stderr)
    texts, secs, wall, cmd = run_tapis(args.tapis, files, work, chain, False, 1)
    _, secs_all, wall_all, _ = run_tapis(args.tapis, files, work, chain, False, args.threads)
    systems["tapis"] = {"texts": texts, "seconds": secs, "wall": wall, "command": cmd,
                        f"seconds_{args.threads}_threads": secs_all}
    texts, secs, wall, cmd = run_tapis(args.tapis, files, work, lines_chain, True, 1)
    systems["tapis + line cleaning"] = {"texts": texts, "seconds": secs, "wall": wall, "command": cmd}
    print("trafilatura ...", file=sys.stderr)
    texts, secs = run_trafilatura(pages)
    import trafilatura
    systems[f"trafilatura {trafilatura.__version__}"] = {"texts": texts, "seconds": secs}
    print("trafilatura's texts, then tapis's line cleaner ...", file=sys.stderr)
    systems[f"trafilatura {trafilatura.__version__}, then tapis line cleaning"] = {
        "texts": clean_lines_of(args.tapis, texts, work)}

    counts = {}
    for lang in languages.values():
        counts[lang] = counts.get(lang, 0) + 1
    langs = sorted(counts, key=lambda l: (-counts[l], l))
    results = {"command": "bash bench/html_extract.sh", "pages": len(pages), "megabytes": megabytes,
               "systems": {}}
    for name, s in systems.items():
        k, l, w, wo = score(entries, s["texts"], lambda n: True)
        entry = {"keep": k, "leak": l, "with": w, "without": wo, "languages": {},
                 "empty_pages": sum(1 for n in pages if not s["texts"].get(n, "").strip())}
        for key in ("seconds", "wall", "command") + tuple(x for x in s if x.startswith("seconds_")):
            if key in s:
                entry[key] = s[key]
        if s.get("seconds"):
            entry["pages_per_second"] = len(pages) / s["seconds"]
        for lang in langs:
            k, l, w, wo = score(entries, s["texts"], lambda n, lang=lang: languages[n] == lang)
            entry["languages"][lang] = {"keep": k, "leak": l, "pages": counts[lang]}
        results["systems"][name] = entry
    Path(args.out_json).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")

    traf = next(v for n, v in results["systems"].items() if n.startswith("trafilatura"))
    tap = results["systems"]["tapis"]
    md = ["# Main-content extraction from HTML: tapis vs trafilatura", "",
          f"Generated by `bash bench/html_extract.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
          f"{len(pages)} pages of `trafilatura-eval/html` ({megabytes:.1f} MB of HTML), "
          f"{sum(len(e['with']) for e in entries.values())} `with` and "
          f"{sum(len(e['without']) for e in entries.values())} `without` snippets.", "",
          f"tapis command: `{tap['command']}`", "",
          "| system | keep (`with` found) | leak (`without` found) | empty pages | seconds, one core | pages/s |",
          "|---|---:|---:|---:|---:|---:|"]
    for name, e in results["systems"].items():
        secs = f"{e['seconds']:.2f}" if e.get("seconds") else ""
        pps = f"{e['pages_per_second']:.1f}" if e.get("pages_per_second") else ""
        md.append(f"| {name} | {e['keep']:.3f} | {e['leak']:.3f} | {e['empty_pages']} | {secs} | {pps} |")
    md += ["", f"- speed per core, tapis / trafilatura: **{tap['pages_per_second'] / traf['pages_per_second']:.1f}×** "
           f"(tapis's seconds include reading, gunzipping and writing; trafilatura's are its extract calls alone)",
           f"- tapis on {args.threads} threads: {tap[f'seconds_{args.threads}_threads']:.2f} s",
           "", "## Per page language (`<html lang>`), keep / leak", "",
           "| system | " + " | ".join(f"{l} ({counts[l]})" for l in langs) + " |",
           "|---" * (len(langs) + 1) + "|"]
    for name, e in results["systems"].items():
        cells = []
        for l in langs:
            v = e["languages"][l]
            cells.append("–" if v["keep"] is None else f"{v['keep']:.2f} / {v['leak']:.2f}" if v["leak"] is not None else f"{v['keep']:.2f} / –")
        md.append(f"| {name} | " + " | ".join(cells) + " |")
    Path(args.out_md).write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
