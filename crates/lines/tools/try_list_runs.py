#!/usr/bin/env python3
"""Tries list-run inputs for the first forests: each line's run of list
lines (consecutive lines opening with a list marker or a list number, or
consecutive short lines under 80 characters that do not end like a
sentence) described by its length and, over its lines, the mean and spread
of ln(1 + words), the mean stop-word ratio and the share ending like a
sentence. A menu is a run of one-word items without stop words; a list in
an article (ingredients, steps, specifications) a run of longer items that
read like its prose. The inputs are computed here from the features tapis
gives (`tapis explain --json --features`) and appended to them; then
train_lines.py runs as it does, every argument passed on, so the model and
the files it writes go where --out and the other paths say (never over the
committed model unless told to).

    for k in 0 1 2 3 4; do \\
      bench/.venv/bin/python crates/lines/tools/try_list_runs.py --tapis target/release/tapis \\
        --held-out-remainder $k --out /tmp/runs/$k/lines.json --ngrams-out /tmp/runs/$k/ng.bin \\
        --parity-out /tmp/runs/$k/p.jsonl --shape-out /tmp/runs/$k/sh.bin \\
        --shape-parity-out /tmp/runs/$k/sp.jsonl --context-parity-out /tmp/runs/$k/cp.jsonl; done

`--kinds items` leaves out the runs of short lines (list markers and
numbers only). An experiment: see BENCHMARKS.md for its figures.
"""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_lines as T  # noqa: E402

LIST_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s")
SHORT_CHARS = 80
RUN_FEATURES = ["log_list_run", "list_run_words", "list_run_stop", "list_run_end_punct", "list_run_words_sd"]


def kinds(p: dict, at: dict, short_runs: bool) -> list:
    """Per line: "item" (list marker or number), "short", or None."""
    out = []
    for line, x in zip(p["lines"], p["x"]):
        if x[at["bullet"]] > 0 or LIST_NUMBER.match(line["text"]):
            out.append("item")
        elif short_runs and x[at["end_punct"]] == 0 and x[at["log_chars"]] < np.log(SHORT_CHARS):
            out.append("short")
        else:
            out.append(None)
    return out


def with_runs(pages: list, short_runs: bool) -> list:
    for p in pages:
        names = list(p["feature_names"])
        at = {n: i for i, n in enumerate(names)}
        kind = kinds(p, at, short_runs)
        n = len(kind)
        runs = np.zeros((n, len(RUN_FEATURES)))
        i = 0
        while i < n:
            if kind[i] is None:
                i += 1
                continue
            j = i
            while j < n and kind[j] == kind[i]:
                j += 1
            run = p["x"][i:j]
            runs[i:j] = [np.log1p(j - i), run[:, at["log_words"]].mean(), run[:, at["stop_ratio"]].mean(),
                         run[:, at["end_punct"]].mean(), run[:, at["log_words"]].std()]
            i = j
        p["x"] = np.hstack([p["x"], runs])
        p["feature_names"] = names + RUN_FEATURES
    return pages


def main() -> None:
    short_runs = True
    if "--kinds" in sys.argv:
        k = sys.argv.index("--kinds")
        short_runs = {"items": False, "both": True}[sys.argv[k + 1]]
        del sys.argv[k:k + 2]
    explain = T.explain
    T.explain = lambda tapis, path, records: with_runs(explain(tapis, path, records), short_runs)
    T.main()


if __name__ == "__main__":
    main()
