#!/usr/bin/env python3
"""Tries denser labels for the wording regression: the article region.

The wording regression (train_lines.py's `ngram` score) is fitted on the
lines that hold a `with` or `without` snippet, about 5,000 on the training
sites. Every other line can be given a label from where it stands: a line
between the page's first and last line holding a `with` snippet (its
article region) as article, a line outside it as boilerplate, about
140,000 more lines, most of them menus and footers. This script fits the
regression on the snippet lines alone and with the region lines at weights
0.1, 0.3 and 1 (and with only the outside or only the inside ones at 0.3),
for each of the five site splits of bench/lines_splits.sh, and prints the
area under the ROC curve of its score on the held-out sites' snippet
lines. Lines are the page's text cut at newlines (tapis cuts the same
full-page texts the same way but for empty lines).

Measured (2026-12), mean over the five splits: snippet lines alone 0.902;
with region lines at 0.1, 0.907; at 0.3, 0.907 (0.884 to 0.922 by split,
two of five splits lower than without); at 1, 0.896; only outside lines
0.885; only inside lines 0.897. A gain of 0.005 in the ranking of one input
of the classifier, not steady across splits, so the shipped regression
keeps the snippet labels only.

    bench/.venv/bin/python crates/lines/tools/try_region_wording.py \\
        [--data ../shared/data/trafilatura-eval/fullpage.jsonl]

An experiment: it prints figures and writes no model. Deterministic.
"""
import argparse
import json
import os
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_lines as T  # noqa: E402

# The site splits of bench/lines_splits.sh (held-out remainders 0 to 4).
SPLITS = 5
# (weight of region lines, use the inside ones, use the outside ones); the
# first is the shipped labelling, snippet lines alone.
VARIANTS = [(0.0, True, True), (0.1, True, True), (0.3, True, True), (1.0, True, True),
            (0.3, False, True), (0.3, True, False)]


def line_targets(labels: list, region_weight: float, inside: bool, outside: bool):
    """Each line's label and weight: a snippet line its own at weight 1, a
    line of no snippet 1 inside the article region and 0 outside at
    `region_weight` (0, not used, where its side is left out)."""
    hits = [i for i, v in enumerate(labels) if v == 1]
    ys, weights = np.zeros(len(labels), dtype=int), np.zeros(len(labels))
    for i, label in enumerate(labels):
        if label is not None:
            ys[i], weights[i] = label, 1.0
        elif hits:
            within = hits[0] <= i <= hits[-1]
            ys[i] = int(within)
            weights[i] = region_weight if (inside if within else outside) else 0.0
    return ys, weights


def stacked(pages: list, variant: tuple):
    """The used lines of `pages` (vectors, labels, weights) under `variant`."""
    xs, ys, ws = [], [], []
    for p in pages:
        y, w = line_targets(p["labels"], *variant)
        used = w > 0
        xs.append(p["x"][used]), ys.append(y[used]), ws.append(w[used])
    return sp.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data/trafilatura-eval/fullpage.jsonl")
    args = ap.parse_args()
    pages = []
    with open(args.data, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            lines = [{"text": t} for t in r["text"].split("\n") if t.strip()]
            # Hashed once: every split and variant takes rows of it.
            pages.append({"site": T.site_of(r), "labels": T.page_labels(lines, r),
                          "x": T.NGRAM_VECTORS.transform([l["text"] for l in lines])})
    aucs = np.zeros((SPLITS, len(VARIANTS)))
    for k in range(SPLITS):
        T.HELD_OUT_REMAINDER = k
        train = [p for p in pages if not T.held_out(p["site"])]
        x_test, y_test, _ = stacked([p for p in pages if T.held_out(p["site"])], VARIANTS[0])
        for v, variant in enumerate(VARIANTS):
            x, y, w = stacked(train, variant)
            lr = LogisticRegression(C=T.NGRAMS["C"], max_iter=2000).fit(x, y, sample_weight=w)
            aucs[k, v] = roc_auc_score(y_test, lr.predict_proba(x_test)[:, 1])
        print(f"held-out remainder {k}: " + " ".join(f"{a:.4f}" for a in aucs[k]), flush=True)
    for v, (w, inside, outside) in enumerate(VARIANTS):
        which = "inside and outside" if inside and outside else "inside" if inside else "outside"
        print(f"region lines at weight {w} ({which}): AUC mean {aucs[:, v].mean():.4f}, "
              f"by split {' '.join(f'{a:.3f}' for a in aucs[:, v])}")


if __name__ == "__main__":
    main()
