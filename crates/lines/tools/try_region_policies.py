#!/usr/bin/env python3
"""How much of the line classifier's shortfall is finding the article: its
shipped scores on the held-out sites, decided by other policies.

- shipped: tapis's own decisions (threshold and keep-between-kept rule);
- region known: every line outside the page's article region (its first to
  its last line holding a `with` snippet) removed, the lines inside kept
  when they score at least T. This uses the labels: it is a bound, not a
  policy, and shows what knowing the region would give;
- densest run: the region guessed as the run of lines with the largest sum
  of (score - C) (the maximum-sum subarray), lines inside kept from a low
  threshold, lines outside by the shipped policy;
- confident span: the region guessed as the span from the first to the last
  line scoring at least A, likewise.

Figures are keep / leak of the snippets, as bench/lines_snippets.py counts
them. An experiment: it prints figures and writes nothing.

    bench/.venv/bin/python crates/lines/tools/try_region_policies.py \\
        [--tapis target/release/tapis] [--data ../shared/data/trafilatura-eval/fullpage.jsonl]
"""
import argparse
import importlib.util
import os

import numpy as np

spec = importlib.util.spec_from_file_location("tl", os.path.join(os.path.dirname(__file__), "train_lines.py"))
tl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tl)


def known_region(p):
    content = [i for i, lab in enumerate(p["labels"]) if lab == 1]
    inside = np.zeros(len(p["lines"]), bool)
    if content:
        inside[content[0]:content[-1] + 1] = True
    return inside


def densest_run(scores, c):
    best = cur = 0.0
    start = bs = be = 0
    for i, v in enumerate(scores - c):
        if cur <= 0:
            cur, start = v, i
        else:
            cur += v
        if cur > best:
            best, bs, be = cur, start, i + 1
    inside = np.zeros(len(scores), bool)
    inside[bs:be] = True
    return inside


def confident_span(scores, a):
    idx = np.nonzero(scores >= a)[0]
    inside = np.zeros(len(scores), bool)
    if len(idx):
        inside[idx[0]:idx[-1] + 1] = True
    return inside


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--data", default="../shared/data/trafilatura-eval/fullpage.jsonl")
    args = ap.parse_args()
    pages = [p for p in tl.explain(args.tapis, args.data, tl.read_records(args.data)) if p["test"]]
    for p in pages:
        p["s"] = np.array([l["score"] for l in p["lines"]])
        p["never"] = np.array([tl.never_kept_by_context(l) for l in p["lines"]], bool)
    t = pages[0]["threshold"] if pages else 0.5

    def show(name, keep_of):
        keep, leak = tl.snippet_scores(pages, keep_of)
        print(f"{name:42s} {keep:.3f} / {leak:.3f}")

    show("shipped", lambda p: [l["decision"] == "keep" for l in p["lines"]])
    for low in (0.2, 0.3, 0.5, t):
        show(f"region known, inside from {low:.2f}", lambda p, low=low: known_region(p) & (p["s"] >= low))
    for c, low in ((0.5, 0.3), (0.6, 0.3), (0.7, 0.3)):
        show(f"densest run (C {c}), inside from {low}",
             lambda p, c=c, low=low: (densest_run(p["s"], c) & (p["s"] >= low) & ~p["never"]) | tl.policy_keep(p, p["s"], t))
    for a, low in ((0.8, 0.4), (0.9, 0.3), (0.95, 0.3)):
        show(f"confident span (A {a}), inside from {low}",
             lambda p, a=a, low=low: (confident_span(p["s"], a) & (p["s"] >= low) & ~p["never"]) | tl.policy_keep(p, p["s"], t))
    for u in (0.6, 0.5, 0.4):
        show(f"shipped policy at threshold {u}", lambda p, u=u: tl.policy_keep(p, p["s"], u))


if __name__ == "__main__":
    main()
