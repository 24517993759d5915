#!/usr/bin/env bash
# Deduplication at scale: tapis dedup --mode near on 1 and 10 million synthetic
# documents (bench/synthetic_corpus.py, planted exact and near copies), with peak
# memory, time and disk, and found against planted (bench/dedup_scale.py).
# Report: bench/results/dedup_scale.md and .json.
#
#   bash bench/dedup_scale.sh                    # from the repo root (any cwd works)
#   bash bench/dedup_scale.sh --docs 1000000     # one size only
#
# Arguments go to bench/dedup_scale.py. Environment: TAPIS_BIN (skip the build).
# Disk: the 10M corpus is about 2.4 GB (kept in bench/scratch/synthetic/ unless
# --delete-corpora) and a run needs about as much again for its output and work files.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
mkdir -p bench/scratch bench/results
bench/.venv/bin/python bench/dedup_scale.py --tapis "$TAPIS_BIN" "$@"
