#!/usr/bin/env python3
"""How far tapis's line features can go on the evaluation set: a ceiling.

The line classifier is fitted, with train_lines.py's settings, on every page
(training and held-out sites together) and judged on those same pages, at
the threshold that keeps the most `with` snippets while leaking at most
--max-leak of the `without` snippets. A model judged on the lines it was
fitted on does better than on unseen sites, so this keep is an upper bound
for the shipped model's settings and features: if it is short of a target,
no threshold or re-split reaches the target with these features.

The wording scores (`ngram`, `prev_ngram`, `next_ngram`) come from the
shipped regression, which was fitted on the training sites' lines: on those
lines they are in-sample too, and the ceiling with them says little. So the
ceiling is printed twice, with the wording scores and with them masked
(the hand-made signals alone).

Then, for the shipped model's decisions (`tapis explain`), how the lost
`with` snippets spread over pages: pages that lose all of theirs (the page
taken for boilerplate) against pages that lose one of several (a list item,
a byline, a caption).

    bench/.venv/bin/python crates/lines/tools/fit_ceiling.py --tapis target/release/tapis

Needs numpy and scikit-learn (bench/requirements.txt). Deterministic.
"""
import argparse
import collections

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

import train_lines as T


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--data", default="../shared/data/trafilatura-eval/fullpage.jsonl")
    ap.add_argument("--max-leak", type=float, default=0.10)
    args = ap.parse_args()

    pages = T.explain(args.tapis, args.data, T.read_records(args.data))
    names = pages[0]["feature_names"]
    boosting = dict(T.BOOSTING, monotonic_cst=[T.MONOTONE.get(n, 0) for n in names])
    for label, judged in (("all features", pages), ("wording masked", [T.masked(p) for p in pages])):
        clf = HistGradientBoostingClassifier(**boosting).fit(*T.labelled(judged))
        for p in judged:
            p["fit"] = clf.predict_proba(p["x"])[:, 1] if len(p["lines"]) else np.zeros(0)
        best = T.best_threshold(judged, "fit", args.max_leak)
        print(f"fitted and judged on all {len(pages)} pages, {label}: threshold {best[0]}: keep {best[1]:.3f} leak {best[2]:.3f}")

    lost_of_page = collections.Counter()
    lost_total = pages_all_lost = lost_in_all_lost = 0
    for p in pages:
        kept = " ".join(T.collapse(l["text"]) for l in p["lines"] if l["decision"] == "keep")
        whole = " ".join(T.collapse(l["text"]) for l in p["lines"])
        present = [s for s in map(T.collapse, p["record"]["with"]) if s and s in whole]
        lost = [s for s in present if s not in kept]
        if not present:
            continue
        lost_total += len(lost)
        lost_of_page[f"{len(lost)} of {len(present)}"] += 1
        if lost and len(lost) == len(present):
            pages_all_lost += 1
            lost_in_all_lost += len(lost)
    print(f"shipped model: {lost_total} `with` snippets lost; {lost_in_all_lost} of them on the "
          f"{pages_all_lost} pages that lose all of theirs")
    print("pages by snippets lost:", ", ".join(f"{k}: {v}" for k, v in sorted(lost_of_page.items())))


if __name__ == "__main__":
    main()
