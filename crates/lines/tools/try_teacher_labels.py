"""Tries weak labels from HTML extraction for the line classifier: the
snippets label about 12,000 lines of the training pages; every other line of
those pages gets a label from tapis's own HTML extraction of the same page
(content when the extracted text holds the line, boilerplate otherwise),
weighted below the snippet labels. Trained and judged as train_lines.py
trains its model, on the same split: the threshold is the one that keeps the
most on the training sites out of fold at leak <= 0.10, and the figures are
on the held-out sites, whose labels of either kind are never used.
An experiment: it prints figures and writes no model.

    bench/.venv/bin/python crates/lines/tools/try_teacher_labels.py \\
        [--tapis target/release/tapis] [--eval ../shared/data/trafilatura-eval] \\
        [--weights 0 0.1 0.3 1]
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

spec = importlib.util.spec_from_file_location("tl", os.path.join(os.path.dirname(__file__), "train_lines.py"))
tl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tl)

ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("--tapis", default="target/release/tapis")
ap.add_argument("--eval", default="../shared/data/trafilatura-eval")
ap.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.1, 0.3, 1.0])
args = ap.parse_args()
data = os.path.join(args.eval, "fullpage.jsonl")

records = tl.read_records(data)


def extracted_texts() -> dict:
    """tapis's main-content extraction of every page's HTML, by page id."""
    evaldata = json.load(open(os.path.join(args.eval, "evaldata.json"), encoding="utf-8"))
    files = [os.path.join(args.eval, "html", v["file"] + ".gz") for v in evaldata.values()]
    with tempfile.TemporaryDirectory() as work:
        chain = os.path.join(work, "chain.toml")
        with open(chain, "w") as f:
            f.write("chain = []\n")
        out = os.path.join(work, "out")
        subprocess.run([args.tapis, "clean", *files, "-o", out, "--config", chain, "--no-line-cleaning",
                        "--format", "jsonl", "--no-progress"], check=True, stderr=subprocess.DEVNULL)
        texts = {}
        for name in sorted(os.listdir(os.path.join(out, "kept"))):
            for line in open(os.path.join(out, "kept", name), encoding="utf-8"):
                r = json.loads(line)
                texts[r["id"] + ".html"] = r["text"]  # ids are the file names without .html.gz
    return texts


teacher = extracted_texts()
pages = tl.explain(args.tapis, data, records)
names = pages[0]["feature_names"]
boosting = dict(tl.BOOSTING, monotonic_cst=[tl.MONOTONE.get(n, 0) for n in names])
train = [p for p in pages if not p["test"]]
test = [p for p in pages if p["test"]]
extra = tl.cropped_pages(args.tapis, train, records)


def teacher_labels(p):
    """1 where the page's extracted text holds the line (as a line of its
    own, or anywhere for lines of 40 characters or more), else 0."""
    text = teacher.get(p["id"].rsplit("#", 1)[0])
    if text is None:
        return [None] * len(p["lines"])
    own_lines = {tl.collapse(x) for x in text.split("\n")}
    whole = tl.collapse(text)
    out = []
    for line in p["lines"]:
        c = tl.collapse(line["text"])
        out.append(None if not c else int(c in own_lines or (len(c) >= 40 and c in whole)))
    return out


for p in train + extra:
    p["teacher"] = teacher_labels(p)
content = sum(lab == 1 for p in train for lab in p["teacher"])
other = sum(lab == 0 for p in train for lab in p["teacher"])
print(f"extraction labels on the training pages: {content} content, {other} boilerplate lines", file=sys.stderr)


def labelled(ps, weight):
    xs, ys, ws = [], [], []
    for p in ps:
        for k, lab in enumerate(p["labels"]):
            if lab is not None:
                xs.append(p["x"][k]); ys.append(lab); ws.append(1.0)
            elif weight > 0 and p["teacher"][k] is not None:
                xs.append(p["x"][k]); ys.append(p["teacher"][k]); ws.append(weight)
    return np.array(xs), np.array(ys, dtype=int), np.array(ws)


def scores(clf, p):
    return clf.predict_proba(p["x"])[:, 1] if len(p["lines"]) else np.zeros(0)


print("weight | labelled lines | threshold | training sites, out of fold | held-out sites | held out at 0.3 / 0.4 / 0.5")
for weight in args.weights:
    for f in range(tl.FOLDS):
        x, y, w = labelled([p for p in train + extra if tl.fold_of(p["site"]) != f], weight)
        clf = HistGradientBoostingClassifier(**boosting).fit(x, y, sample_weight=w)
        for p in train:
            if tl.fold_of(p["site"]) == f:
                p["oof"] = scores(clf, p)
    x, y, w = labelled(train + extra, weight)
    clf = HistGradientBoostingClassifier(**boosting).fit(x, y, sample_weight=w)
    for p in pages:
        p["score"] = scores(clf, p)
    best = tl.best_threshold(train, "oof", 0.10)
    t = best[0]
    keep, leak = tl.snippet_scores(test, lambda p: tl.policy_keep(p, p["score"], t))
    curve = " / ".join(
        "%.3f, %.3f" % tl.snippet_scores(test, lambda p: tl.policy_keep(p, p["score"], u)) for u in (0.3, 0.4, 0.5))
    print(f"{weight} | {len(y)} | {t} | {best[1]:.3f} / {best[2]:.3f} | {keep:.3f} / {leak:.3f} | {curve}", flush=True)
