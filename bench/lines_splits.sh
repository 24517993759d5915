#!/usr/bin/env bash
# How much the line classifier's held-out figures move with the split: trains
# crates/lines/tools/train_lines.py five times, each time holding out the
# sites whose md5(host) % 5 is another remainder (0 is the committed model's
# split), and tables each run's out-of-fold and held-out keep/leak. The
# models it trains go to bench/scratch/lines_splits/, never over the
# committed one. Two runs at a time; about 17 minutes a pair on 2
# otherwise idle cores, 45 to 60 minutes in all.
#
#   bash bench/lines_splits.sh        # from the repo root (any cwd works)
#
# Environment: TAPIS_BIN (skip the build).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
OUT=bench/scratch/lines_splits
mkdir -p "$OUT" bench/results
train() {
    local k=$1 o="$OUT/$1"
    mkdir -p "$o"
    bench/.venv/bin/python crates/lines/tools/train_lines.py --tapis "$TAPIS_BIN" --held-out-remainder "$k" \
        --out "$o/lines.json" --ngrams-out "$o/char_ngrams.bin" --parity-out "$o/ngram_parity.jsonl" \
        --shape-out "$o/shape_ngrams.bin" --shape-parity-out "$o/shape_parity.jsonl" \
        --context-parity-out "$o/context_parity.jsonl" --scores-out "$o/scores.jsonl" > "$o/log" 2>&1
}
for pair in "0 1" "2 3" "4"; do
    for k in $pair; do train "$k" & done
    wait
done
bench/.venv/bin/python - "$OUT" <<'PYEOF' | tee bench/results/lines_splits.md
import re, sys
rows = []
print("| held-out remainder | threshold | training sites, out of fold: keep / leak | held-out sites: keep / leak | held out at 0.4 | at 0.5 | at 0.6 |")
print("|---:|---:|---|---|---|---|---|")
for k in range(5):
    t = open(f"{sys.argv[1]}/{k}/log", encoding="utf-8").read()
    m = re.search(r"with the context forest, threshold ([\d.]+): training sites, out of fold: keep ([\d.]+) leak ([\d.]+)", t)
    h = re.search(r"^held-out sites: keep ([\d.]+) leak ([\d.]+)", t, re.M)
    c = dict((u, (float(a), float(b))) for u, a, b in re.findall(r"(0\.\d): ([\d.]+)/([\d.]+)", re.search(r"other thresholds: (.*)", t)[1]))
    row = [float(m[2]), float(m[3]), float(h[1]), float(h[2])] + [v for u in ("0.4", "0.5", "0.6") for v in c[u]]
    rows.append(row)
    cells = [f"{row[i]:.3f} / {row[i + 1]:.3f}" for i in range(0, len(row), 2)]
    print(f"| {k} | {m[1]} | " + " | ".join(cells) + " |")
mean = [sum(r[i] for r in rows) / len(rows) for i in range(len(rows[0]))]
print("| mean | | " + " | ".join(f"{mean[i]:.3f} / {mean[i + 1]:.3f}" for i in range(0, len(mean), 2)) + " |")
PYEOF
