#!/usr/bin/env python3
"""Corpus mode of line cleaning, measured on sites built from the
trafilatura evaluation set: keep and leak of its snippets on each page
judged alone and judged with its site's line counts, then the speed and
memory of counting.

    bash bench/lines.sh            # runs this after bench/lines_snippets.py

The evaluation set has one page per site, so each page is given a site of
its own with five more pages, built the way a site's pages differ:
- a page's *template* is its lines before the first and after the last line
  holding a `with` snippet (its article region); a template line that also
  appears inside the article region belongs to the page, not the template;
- each template line is *static* with probability 0.7 (menus, footers: on
  every page of the site) and otherwise *dynamic* (teasers, dates, "most
  read" lists: different on every page, so each other page gets a template
  line of another site in its place);
- each other page puts the article region of a page of another site, in the
  same language when there is one, inside the template.
Each page's URL is its site's host with the path of the page whose article
it carries, so the slug names that article's headline as on a real site.
Only the 990 original pages are scored, with the snippets of the set; the
generated pages only provide the counts. The generator is seeded (--seed).
All figures are on the same pages, with the same rule and threshold; the
corpus run adds `--site-lines`.
"""
import argparse
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lines_snippets import article_region, collapse, kept_texts, page_language, score  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "crates" / "lines" / "tools"))
from train_lines import held_out, site_of  # noqa: E402

STATIC_SHARE = 0.7
SIBLINGS = 5


def build_sites(records, languages, seed, static_share):
    rng = random.Random(seed)
    regions = {}
    for r in records:
        region = article_region(r)
        if region:
            regions[r["id"]] = region
    by_lang = {}
    for r in records:
        if r["id"] in regions:
            by_lang.setdefault(languages[r["id"]], []).append(r)
    all_with_region = [r for r in records if r["id"] in regions]
    template_pool = []
    for r in all_with_region:
        a, b = regions[r["id"]]
        lines = r["text"].split("\n")
        template_pool += [l for l in lines[:a] + lines[b + 1:] if l.strip()]

    def path_of(record):
        """The path of a page's URL (its slug names its headline), or a
        path without words for an id that is no URL."""
        url = record.get("url", "")
        path = urlsplit(url).path if "://" in url else ""
        return path if path.strip("/") else "/original"

    originals, corpus = [], []
    for i, r in enumerate(records):
        url = f"https://site{i:04d}.example{path_of(r)}"
        originals.append({"id": r["id"], "text": r["text"], "url": url})
        corpus.append({"id": r["id"], "text": r["text"], "url": url})
        if r["id"] not in regions:
            continue
        a, b = regions[r["id"]]
        lines = r["text"].split("\n")
        inside = {collapse(l) for l in lines[a:b + 1]}
        head, tail = lines[:a], lines[b + 1:]
        static = {}
        for k, l in enumerate(head + tail):
            static[k] = collapse(l) not in inside and rng.random() < static_share
        peers = [q for q in by_lang.get(languages[r["id"]], []) if q["id"] != r["id"]] or \
                [q for q in all_with_region if q["id"] != r["id"]]
        for s in range(SIBLINGS):
            q = rng.choice(peers)
            qa, qb = regions[q["id"]]
            body = q["text"].split("\n")[qa:qb + 1]
            template = [l if static[k] or not l.strip() else rng.choice(template_pool)
                        for k, l in enumerate(head + tail)]
            text = "\n".join(template[:len(head)] + body + template[len(head):])
            # Under the path of the page whose article it carries, and a
            # number, so that no two pages of the site share a URL.
            corpus.append({"id": f"{r['id']}#sibling{s}", "text": text,
                           "url": f"https://site{i:04d}.example/{s}{path_of(q)}"})
    rng.shuffle(corpus)
    return originals, corpus, len(regions)


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0,):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) / 1024
    return seconds, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--data", default="../shared/data/trafilatura-eval")
    ap.add_argument("--config", default="bench/lines_only.toml")
    ap.add_argument("--work", default="bench/scratch/site_lines")
    ap.add_argument("--large", default="bench/scratch/corpus_500mb.jsonl",
                    help="a large JSONL corpus to count, for speed and memory")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--static-share", type=float, default=STATIC_SHARE,
                    help="probability that a template line is on every page of its site")
    ap.add_argument("--out-json", default="bench/results/site_lines.json")
    ap.add_argument("--out-md", default="bench/results/site_lines.md")
    args = ap.parse_args()

    data = Path(args.data)
    records = [json.loads(l) for l in (data / "fullpage.jsonl").open(encoding="utf-8")]
    languages = {r["id"]: page_language(data / "html", r["id"]) for r in records}
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    originals, corpus, sited = build_sites(records, languages, args.seed, args.static_share)
    (work / "originals.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in originals))
    (work / "corpus.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in corpus))
    corpus_mb = (work / "corpus.jsonl").stat().st_size / 1e6

    tapis = args.tapis
    counts = work / "counts"
    count_cmd = [tapis, "site-lines", "count", str(work / "corpus.jsonl"), "-o", str(counts)]
    count_s, count_rss = timed(count_cmd)
    runs = {}
    site = ["--site-lines", str(counts)]
    base = Path(args.config).read_text()
    # The site threshold switched off: every page judged by the page's threshold.
    same = work / "site_threshold_off.toml"
    same.write_text(base + "\n[boilerplate_lines]\nsite_threshold = 1.0\n")
    variants = [("page alone", args.config, []),
                ("with site line counts (site threshold 0.4, the default)", args.config, site),
                ("with site line counts, the page's threshold", same, site)]
    # A lower threshold trades leak for keep; with counts removing the
    # template, how far it goes depends on how much of it is static.
    for t in (0.5, 0.35):
        config = work / f"threshold_{t}.toml"
        config.write_text(base + f"\n[boilerplate_lines]\nthreshold = {t}\nsite_threshold = {t}\n")
        variants += [(f"page alone, threshold {t}", config, []),
                     (f"with site line counts, threshold {t}", config, site)]
    for name, config, extra in variants:
        out = work / re.sub(r"[^a-z0-9.]+", "_", name)
        cmd = [tapis, "clean", str(work / "originals.jsonl"), "--config", str(config), "-o", str(out),
               "--format", "jsonl", "--threads", "1", "--no-progress", "--overwrite"] + extra
        timed(cmd)
        runs[name] = kept_texts(out)

    subsets = {
        "all 990 pages": lambda r: True,
        "held-out sites (never seen in training)": lambda r: held_out(site_of(r)),
    }
    results = {"command": "bash bench/lines.sh", "seed": args.seed, "static_share": args.static_share, "sites_with_siblings": sited,
               "corpus_documents": len(corpus), "corpus_mb": corpus_mb,
               "count": {"seconds": count_s, "mb_per_s": corpus_mb / count_s, "peak_rss_mib": count_rss},
               "systems": {}}
    for name, kept in runs.items():
        results["systems"][name] = {}
        for sname, sub in subsets.items():
            k, l, w, wo = score(records, kept, sub)
            results["systems"][name][sname] = {"keep": k, "leak": l, "with": w, "without": wo}

    # Counting speed and memory on a large corpus, with a small key buffer
    # so that runs are spilled: memory stays at the buffer, not the corpus.
    large = Path(args.large)
    scale = []
    if large.exists():
        for mem in (16, 64):
            out = work / f"large_counts_{mem}"
            secs, rss = timed([tapis, "site-lines", "count", str(large), "-o", str(out), "--memory-mb", str(mem)])
            summary = json.loads((out / "site-lines.json").read_text())
            scale.append({"memory_mb": mem, "seconds": secs, "mb_per_s": large.stat().st_size / 1e6 / secs,
                          "peak_rss_mib": rss, "runs": summary["map"]["runs"],
                          "documents": summary["map"]["documents_read"]})
    results["large"] = {"file": str(large), "mb": large.stat().st_size / 1e6 if large.exists() else None,
                        "runs": scale}
    Path(args.out_json).write_text(json.dumps(results, indent=1) + "\n")

    md = ["# Line cleaning with per-site line counts (corpus mode)", "",
          "Generated by `bash bench/lines.sh` (`bench/site_lines_snippets.py`); every figure is computed from the runs' outputs.", "",
          f"Each of the {sited} evaluation pages with an article region gets a site of its own with {SIBLINGS} more pages: "
          f"its template lines before and after the article, each static (on every page) with probability {args.static_share} "
          "and otherwise replaced by another site's template line, around the article of another page in the same language. "
          f"Corpus: {len(corpus):,} documents, {corpus_mb:.1f} MB. Only the 990 original pages are scored, with the set's snippets. "
          "Article lines after a page's last `with` snippet count as template here, so they are on every page of the "
          "site and go as frequent: part of the keep lost with the counts is the generator's, not a real site's.", "",
          "`tapis site-lines count` then `tapis clean --site-lines`, against the same rule judging each page alone, "
          "at the model's threshold and at two lower ones. With the counts, a page whose site's template is known is judged by "
          "the site threshold (`site_threshold`, 0.4 by default) when it is lower than the page's:", ""]
    for sname in subsets:
        md += [f"## {sname}", "", "| run | keep | leak |", "|---|---:|---:|"]
        for name, e in results["systems"].items():
            s = e[sname]
            md.append(f"| {name} | {s['keep']:.3f} | {s['leak']:.3f} |")
        md.append("")
    md += ["## Counting speed and memory", "",
           f"Counting the sites corpus above: {count_s:.2f} s, {corpus_mb / count_s:.1f} MB/s, peak RSS {count_rss:.1f} MiB (one thread, map and reduce).", ""]
    if scale:
        md += [f"On `{large}` ({results['large']['mb']:.0f} MB), map and reduce, one thread:", "",
               "| key buffer (--memory-mb) | runs spilled | seconds | MB/s | peak RSS MiB |", "|---:|---:|---:|---:|---:|"]
        for s in scale:
            md.append(f"| {s['memory_mb']} | {s['runs']} | {s['seconds']:.1f} | {s['mb_per_s']:.1f} | {s['peak_rss_mib']:.1f} |")
    Path(args.out_md).write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
