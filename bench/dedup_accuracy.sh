#!/usr/bin/env bash
# Near-duplicate detection accuracy: tapis dedup, datatrove 0.10.1's MinHash pipeline
# and datasketch's MinHashLSH on a labelled near-duplicate set made from the
# trafilatura-eval pages (bench/near_dup_set.py), then tapis's clusters against
# datatrove's on the set, the real pages and both (bench/dedup_accuracy.py).
# Report: bench/results/dedup_accuracy.md and .json.
#
#   bash bench/dedup_accuracy.sh        # from the repo root (any cwd works)
#
# Environment: TAPIS_BIN (skip the build), BENCH_THREADS (tapis --threads, default 1).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
mkdir -p bench/scratch bench/results
bench/.venv/bin/python bench/near_dup_set.py
bench/.venv/bin/python bench/dedup_accuracy.py --tapis "$TAPIS_BIN" --threads "${BENCH_THREADS:-1}"
