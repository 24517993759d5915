#!/usr/bin/env bash
# Main-content extraction benchmark: tapis against trafilatura 2.3.1 on the
# trafilatura evaluation set's 990 HTML pages, scored with its with/without
# snippets, overall and per language, and the speed of each on one core
# (bench/html_extract.py writes bench/results/html_extract.md and .json).
#
#   bash bench/html_extract.sh        # from the repo root (any cwd works)
#
# Environment: TAPIS_BIN (skip the build).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
mkdir -p bench/scratch bench/results
bench/.venv/bin/python bench/html_extract.py --tapis "$TAPIS_BIN" --threads "$(nproc)"
