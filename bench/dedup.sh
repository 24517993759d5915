#!/usr/bin/env bash
# Near-duplicate detection speed: tapis dedup against datatrove 0.10.1's MinHash
# signature step on the 50 MB corpus, one process or thread each, in one run
# (bench/dedup_speed.py). Report: bench/results/dedup_speed.md and .json.
#
#   bash bench/dedup.sh        # from the repo root (any cwd works)
#
# Environment: TAPIS_BIN (skip the build), BENCH_SMALL_MB=50.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
mkdir -p bench/scratch bench/results
SMALL_MB="${BENCH_SMALL_MB:-50}"
CORPUS="bench/scratch/corpus_${SMALL_MB}mb.jsonl"
python3 bench/make_corpus.py --min-mb "$SMALL_MB" --out "$CORPUS"
bench/.venv/bin/python bench/dedup_speed.py --tapis "$TAPIS_BIN" --corpus "$CORPUS"
