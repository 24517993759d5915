#!/usr/bin/env bash
# Line-cleaning benchmark: tapis's boilerplate_lines against the text as is,
# datatrove's C4 line rules and jusText on the trafilatura evaluation set's
# full-page texts, scored with its with/without snippets (bench/lines_snippets.py),
# then the same systems on running text in 75 languages (bench/lines_languages.py),
# and on pages outside the development set in nine languages (bench/lines_external.py),
# then the speed of the line-cleaning pass on the 50 MB corpus, one thread,
# then corpus mode (per-site line counts) on sites built from the same pages.
#
#   bash bench/lines.sh        # from the repo root (any cwd works)
#
# Environment: TAPIS_BIN (skip the build), BENCH_SMALL_MB=50.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
mkdir -p bench/scratch bench/results
bench/.venv/bin/python bench/lines_snippets.py --tapis "$TAPIS_BIN"
# Running text in 75 languages: how much of it each system keeps.
bench/.venv/bin/python bench/lines_languages.py --tapis "$TAPIS_BIN"
# Pages outside the development set (newspaper4k's test pages, fetched from the package index).
bench/.venv/bin/python bench/lines_external.py --tapis "$TAPIS_BIN"

# Speed on the larger corpus: line cleaning alone, one thread, three runs.
SMALL_MB="${BENCH_SMALL_MB:-50}"
CORPUS="bench/scratch/corpus_${SMALL_MB}mb.jsonl"
python3 bench/make_corpus.py --min-mb "$SMALL_MB" --out "$CORPUS"
{
    echo
    echo "## Speed of the line-cleaning pass on ${SMALL_MB} MB (\`$CORPUS\`), one thread"
    echo
    echo "| run | seconds | MB/s | peak RSS MiB |"
    echo "|---|---:|---:|---:|"
    for k in 1 2 3; do
        out=bench/scratch/lines/speed
        /usr/bin/time -v -o bench/scratch/lines/time.txt "$TAPIS_BIN" clean "$CORPUS" --config bench/lines_only.toml \
            -o "$out" --format jsonl --threads 1 --no-progress --overwrite 2>/dev/null
        bench/.venv/bin/python - "$out/stats.json" bench/scratch/lines/time.txt "$k" <<'PYEOF'
import json, re, sys
s = json.load(open(sys.argv[1]))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(sys.argv[2]).read()).group(1)) / 1024
print(f"| {sys.argv[3]} | {s['seconds']:.2f} | {s['bytes_read'] / 1e6 / s['seconds']:.2f} | {rss:.1f} |")
PYEOF
    done
} | tee -a bench/results/lines.md

# Corpus mode: per-site line counts on sites built from the evaluation set,
# then the speed and memory of counting 500 MB (bench/site_lines_snippets.py).
LARGE="bench/scratch/corpus_500mb.jsonl"
python3 bench/make_corpus.py --min-mb 500 --out "$LARGE"
bench/.venv/bin/python bench/site_lines_snippets.py --tapis "$TAPIS_BIN" --large "$LARGE"
