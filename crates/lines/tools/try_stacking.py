"""Tries stacking for the line classifier: a second boosted model over the
first one's out-of-fold scores of neighbouring lines (the W lines before and
after, the strongest line within eight above and below, the mean of five).
Both models are trained as train_lines.py trains its one, on the same
split; the threshold of each is the one that keeps the most on the training
sites out of fold at leak <= 0.10, and both are scored on the held-out sites.
An experiment: it prints figures and writes no model.

    bench/.venv/bin/python crates/lines/tools/try_stacking.py \\
        [--tapis target/release/tapis] [--data ../shared/data/trafilatura-eval/fullpage.jsonl] [--window 3]
"""
import argparse
import importlib.util
import os
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
spec = importlib.util.spec_from_file_location("tl", os.path.join(os.path.dirname(__file__), "train_lines.py"))
tl = importlib.util.module_from_spec(spec); spec.loader.exec_module(tl)

ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("--tapis", default="target/release/tapis")
ap.add_argument("--data", default="../shared/data/trafilatura-eval/fullpage.jsonl")
ap.add_argument("--window", type=int, default=3)
args = ap.parse_args()
TAPIS, DATA, W = args.tapis, args.data, args.window
records = tl.read_records(DATA)
pages = tl.explain(TAPIS, DATA, records)
names = pages[0]["feature_names"]
boost1 = dict(tl.BOOSTING, monotonic_cst=[tl.MONOTONE.get(n, 0) for n in names])
train = [p for p in pages if not p["test"]]
test = [p for p in pages if p["test"]]
extra = tl.cropped_pages(TAPIS, train, records)

labelled = tl.labelled

def proba(clf, x):
    return clf.predict_proba(x)[:, 1] if len(x) else np.zeros(0)

F = tl.FOLDS
# stage 1: out-of-fold scores on train + extra, full-model scores on test
for f in range(F):
    clf = HistGradientBoostingClassifier(**boost1).fit(*labelled([p for p in train + extra if tl.fold_of(p["site"]) != f]))
    for p in train + extra:
        if tl.fold_of(p["site"]) == f:
            p["s1"] = proba(clf, p["x"])
clf1 = HistGradientBoostingClassifier(**boost1).fit(*labelled(train + extra))
for p in test:
    p["s1"] = proba(clf1, p["x"])

def stage2_features(p):
    s = p["s1"]; n = len(s)
    cols = [s]
    for d in range(1, W + 1):
        prev = np.full(n, np.nan); nxt = np.full(n, np.nan)
        if n > d:
            prev[d:] = s[:-d]; nxt[:-d] = s[d:]
        cols += [prev, nxt]
    # strongest line above and below within 8, mean of +-2
    up = np.full(n, np.nan); down = np.full(n, np.nan); mean = np.zeros(n)
    for i in range(n):
        if i: up[i] = s[max(0, i - 8):i].max()
        if i + 1 < n: down[i] = s[i + 1:i + 9].max()
        mean[i] = s[max(0, i - 2):i + 3].mean()
    rel = np.arange(n) / max(n - 1, 1)
    return np.column_stack([p["x"]] + cols + [up, down, mean, rel])

for p in train + extra + test:
    p["x2"] = stage2_features(p) if len(p["lines"]) else np.zeros((0, len(names) + 2 * W + 5))
boost2 = dict(tl.BOOSTING, monotonic_cst=[tl.MONOTONE.get(n, 0) for n in names] + [1] + [0] * (2 * W + 4))
for f in range(F):
    clf = HistGradientBoostingClassifier(**boost2).fit(*labelled([p for p in train + extra if tl.fold_of(p["site"]) != f], "x2"))
    for p in train:
        if tl.fold_of(p["site"]) == f:
            p["s2oof"] = proba(clf, p["x2"])
clf2 = HistGradientBoostingClassifier(**boost2).fit(*labelled(train + extra, "x2"))
for p in test:
    p["s2"] = proba(clf2, p["x2"])

def pick(key):
    return tl.best_threshold(train, key, 0.10)
b1 = pick("s1"); b2 = pick("s2oof")
def show(name, best, key):
    k, l = tl.snippet_scores(test, lambda p: tl.policy_keep(p, p[key], best[0]))
    print(f"{name}: threshold {best[0]}, training sites out of fold keep {best[1]:.3f} leak {best[2]:.3f}; "
          f"held-out sites keep {k:.3f} leak {l:.3f}")
show("one model", b1, "s1")
show("stacked", b2, "s2")
print("held-out sites at fixed thresholds (keep / leak): one model | stacked")
for t in (0.3, 0.4, 0.5, 0.6):
    a = tl.snippet_scores(test, lambda p: tl.policy_keep(p, p["s1"], t))
    b = tl.snippet_scores(test, lambda p: tl.policy_keep(p, p["s2"], t))
    print(f"  {t}: {a[0]:.3f} / {a[1]:.3f} | {b[0]:.3f} / {b[1]:.3f}")
