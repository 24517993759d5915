# Sourced by the benchmark scripts, not run: moves to the repo root, makes
# sure bench/.venv is complete (bench/setup.sh) and sets TAPIS_BIN to a
# release build of tapis, building it unless TAPIS_BIN is already set.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash bench/setup.sh
if [ -z "${TAPIS_BIN:-}" ]; then
    cargo build --release -p tapis
    TAPIS_BIN=target/release/tapis
fi
