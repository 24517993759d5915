#!/usr/bin/env bash
# Quality-filter benchmark: tapis vs datatrove 0.10.1, side by side.
#
#   bash bench/quality_filters.sh        # from the repo root (any cwd works)
#
# 1. bench/setup.sh (bench/.venv with the pinned datatrove side)
# 2. cargo build --release -p tapis
# 3. corpora in bench/scratch/: 50 MB and 500 MB (bench/make_corpus.py)
# 4. on 50 MB: tapis 1 thread and all threads (5 runs each, the median reported),
#    datatrove on one process, each under /usr/bin/time -v (peak RSS, wall time)
# 5. on 500 MB: tapis 1 thread and all threads (memory flatness; datatrove is not
#    run there: at its single-process speed it would take about half an hour)
# 6. bench/quality_report.py: agreement of kept ids, 1-vs-all-threads identity of
#    tapis's outputs, and the report bench/results/quality_filters.md
#
# Environment (for trying the harness on small data; the defaults are the benchmark):
#   BENCH_SMALL_MB=50  BENCH_LARGE_MB=500 (0 skips the large corpus)
#   BENCH_THREADS=$(nproc)  TAPIS_BIN=target/release/tapis (set it to skip the build)
#   BENCH_REPEATS=5 (runs of tapis on the small corpus; the median one is reported)
#   BENCH_REPORT=bench/results/quality_filters.md
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# the command line as run, with any setting given in the environment
COMMAND="bash bench/quality_filters.sh"
for v in BENCH_REPORT TAPIS_BIN BENCH_THREADS BENCH_REPEATS BENCH_LARGE_MB BENCH_SMALL_MB; do
    if [ -n "${!v:-}" ]; then COMMAND="$v=${!v} $COMMAND"; fi
done

SMALL_MB="${BENCH_SMALL_MB:-50}"
LARGE_MB="${BENCH_LARGE_MB:-500}"
THREADS="${BENCH_THREADS:-$(nproc)}"
REPEATS="${BENCH_REPEATS:-5}"
REPORT="${BENCH_REPORT:-bench/results/quality_filters.md}"
WORK=bench/scratch
RUNS="$WORK/runs"
PY=bench/.venv/bin/python
TIME=/usr/bin/time

log() { printf '\n== %s\n' "$*" >&2; }

log "setup"
bash bench/setup.sh

if [ -z "${TAPIS_BIN:-}" ]; then
    log "cargo build --release -p tapis"
    cargo build --release -p tapis
    TAPIS_BIN=target/release/tapis
fi
[ -x "$TAPIS_BIN" ] || { echo "error: no tapis binary at $TAPIS_BIN" >&2; exit 1; }

mkdir -p "$WORK" "$RUNS"
SMALL="$WORK/corpus_${SMALL_MB}mb.jsonl"
LARGE="$WORK/corpus_${LARGE_MB}mb.jsonl"
log "corpora"
python3 bench/make_corpus.py --min-mb "$SMALL_MB" --out "$SMALL"
if [ "$LARGE_MB" != 0 ]; then
    python3 bench/make_corpus.py --min-mb "$LARGE_MB" --out "$LARGE"
fi

# run NAME CMD...: runs CMD under /usr/bin/time -v in $RUNS/NAME; never aborts the script
# (a failed run is reported as such).
run() {
    local name="$1"; shift
    local dir="$RUNS/$name"
    rm -rf "$dir"; mkdir -p "$dir"
    printf '%s\n' "$*" > "$dir/cmd.txt"
    cut -d' ' -f1-3 /proc/loadavg > "$dir/loadavg.txt" 2>/dev/null || true
    # The machine's CPU counters before and after: their `steal` column is the
    # time the hypervisor gave the CPUs to other machines during the run.
    head -n 1 /proc/stat > "$dir/stat_before.txt" 2>/dev/null || true
    log "$name: $*"
    local rc=0
    "$TIME" -v -o "$dir/time.txt" "$@" > "$dir/stdout.txt" 2> "$dir/stderr.txt" || rc=$?
    head -n 1 /proc/stat > "$dir/stat_after.txt" 2>/dev/null || true
    grep -E "Elapsed|Maximum resident" "$dir/time.txt" >&2 || true
    if [ "$rc" != 0 ]; then
        echo "   FAILED (exit $rc); last lines of stderr:" >&2
        tail -n 5 "$dir/stderr.txt" >&2 || true
    fi
}

# Uncompressed JSONL, as the datatrove side writes, and no line cleaning: both tools
# run the same four filters on the same text.
tapis_run() {  # NAME CORPUS THREADS
    run "$1" "$TAPIS_BIN" clean "$2" -o "$RUNS/$1/out" --preset datatrove --no-line-cleaning --threads "$3" --no-progress \
        --format jsonl
}

# A tapis run on the small corpus takes seconds, and this machine's speed drifts
# by tens of percent from one minute to the next: each is repeated and the run
# with the median time is the one reported (all times are listed beside it).
tapis_repeat() {  # NAME CORPUS THREADS
    local name="$1" k
    for k in $(seq "$REPEATS"); do tapis_run "$name.r$k" "$2" "$3"; done
    "$PY" - "$RUNS" "$name" "$REPEATS" <<'PYEOF'
import json, shutil, sys
from pathlib import Path
runs, name, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
dirs = [runs / f"{name}.r{k}" for k in range(1, n + 1)]
def seconds(d):
    try:
        return json.loads((d / "out" / "stats.json").read_text())["seconds"]
    except (OSError, ValueError, KeyError):
        return float("inf")
ranked = sorted(dirs, key=seconds)
chosen = ranked[(len(ranked) - 1) // 2]
shutil.rmtree(runs / name, ignore_errors=True)
chosen.rename(runs / name)
(runs / name / "repeats.txt").write_text(" ".join(f"{seconds(d if d != chosen else runs / name):.3f}" for d in dirs) + "\n")
for d in dirs:
    shutil.rmtree(d, ignore_errors=True)
PYEOF
}

tapis_repeat tapis_small_t1 "$SMALL" 1
tapis_repeat tapis_small_tN "$SMALL" "$THREADS"
run datatrove_small_p1 "$PY" bench/datatrove_quality.py --input "$SMALL" \
    --out-kept "$RUNS/datatrove_small_p1/kept.jsonl" --out-removed "$RUNS/datatrove_small_p1/removed"
if [ "$LARGE_MB" != 0 ]; then
    tapis_run tapis_large_t1 "$LARGE" 1
    tapis_run tapis_large_tN "$LARGE" "$THREADS"
else
    rm -rf "$RUNS/tapis_large_t1" "$RUNS/tapis_large_tN"
fi

log "report"
large_arg=()
if [ "$LARGE_MB" != 0 ]; then large_arg=(--large "$LARGE"); fi
"$PY" bench/quality_report.py --runs "$RUNS" --small "$SMALL" "${large_arg[@]}" \
    --threads "$THREADS" --tapis-bin "$TAPIS_BIN" --command "$COMMAND" --out "$REPORT"
log "wrote $REPORT"
