#!/usr/bin/env python3
"""Run datatrove 0.10.1's FineWeb quality filters on one JSONL file, on one process.

    bench/.venv/bin/python bench/datatrove_quality.py --input bench/scratch/corpus_50mb.jsonl \
        --out-kept bench/scratch/datatrove_kept.jsonl [--out-removed bench/scratch/datatrove_removed]

The pipeline is what a datatrove user writes for FineWeb's quality stage:

    JsonlReader -> GopherRepetitionFilter() -> GopherQualityFilter() -> C4QualityFilter()
                -> FineWebQualityFilter() -> JsonlWriter

all filters with default arguments, each one seeing the text the previous one left
(C4QualityFilter rewrites `doc.text`). The steps are chained exactly as datatrove's
executor chains them (each step's generator feeds the next, in this process), without
the executor's bookkeeping around them: LocalPipelineExecutor starts a
multiprocessing Manager process even with workers=1, and this measurement is meant
to be a single process. Writers are uncompressed JSONL (`compression=None`).

Timing covers reading, filtering and writing. Not timed, and reported separately:
interpreter start-up, imports, and the one-off initialisation of the spaCy tokenizer
that the filters load lazily on their first document ("warmup").

Prints one JSON object on stdout: docs, bytes (input file size), seconds, docs_per_s,
mb_per_s (1 MB = 10^6 bytes), kept, removed, removed_by_reason ("filter/reason"),
per-step times, and the separately measured start-up costs. Kept documents (id, final
text, metadata) are written to --out-kept as JSONL; with --out-removed DIR each filter's
removed documents go to DIR/<filter>.jsonl with `metadata.filter_reason`.
"""

from __future__ import annotations

import time

T_MAIN = time.perf_counter()  # before any import but `time`

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections import deque  # noqa: E402
from pathlib import Path  # noqa: E402

# Name of each filter in reason codes ("<filter>/<reason>") and in --out-removed files.
FILTER_NAMES = ["gopher_repetition", "gopher_quality", "c4", "fineweb"]


def interpreter_startup_seconds() -> float | None:
    """Seconds from process creation to the first line of this script (Linux only)."""
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5), counting from 1
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        now = time.perf_counter()
        started = start_ticks / os.sysconf("SC_CLK_TCK")
        # uptime was read `now - T_MAIN` seconds after the script began
        return max(0.0, uptime - started - (now - T_MAIN))
    except (OSError, ValueError, IndexError):
        return None


def main() -> int:
    startup = interpreter_startup_seconds()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", type=Path, required=True, help="input JSONL (id, text, ...)")
    ap.add_argument("--out-kept", type=Path, required=True, help="kept documents, JSONL")
    ap.add_argument("--out-removed", type=Path, default=None,
                    help="folder for removed documents, one JSONL per filter (optional)")
    args = ap.parse_args()
    if not args.input.is_file():
        sys.exit(f"no such file: {args.input}")
    input_path = args.input.resolve()
    out_kept = args.out_kept.resolve()
    out_kept.parent.mkdir(parents=True, exist_ok=True)
    if out_kept.exists():
        out_kept.unlink()

    t_imports = time.perf_counter()
    import importlib.metadata

    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.stats import PipelineStats
    from datatrove.utils.typeshelper import Languages
    from datatrove.utils.word_tokenizers import load_word_tokenizer

    imports = time.perf_counter() - t_imports

    # The filters load the English spaCy tokenizer on their first document; do it now
    # so that this one-off cost is reported apart from the per-document work.
    t_warm = time.perf_counter()
    tok = load_word_tokenizer(Languages.english)
    tok.word_tokenize("Warm up the tokenizer.")
    tok.sent_tokenize("Warm up the tokenizer. Then measure.")
    warmup = time.perf_counter() - t_warm

    def exclusion_writer(name: str):
        if args.out_removed is None:
            return None
        return JsonlWriter(str(args.out_removed.resolve()), output_filename=f"{name}.jsonl", compression=None)

    if args.out_removed is not None:
        args.out_removed.mkdir(parents=True, exist_ok=True)
        for name in FILTER_NAMES:
            (args.out_removed / f"{name}.jsonl").unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="datatrove-quality-") as tmp:
        paths_file = Path(tmp) / "paths.txt"
        paths_file.write_text(input_path.name + "\n")
        filters = [
            GopherRepetitionFilter(exclusion_writer=exclusion_writer("gopher_repetition")),
            GopherQualityFilter(exclusion_writer=exclusion_writer("gopher_quality")),
            C4QualityFilter(exclusion_writer=exclusion_writer("c4")),
            FineWebQualityFilter(exclusion_writer=exclusion_writer("fineweb")),
        ]
        pipeline = [
            JsonlReader(str(input_path.parent), paths_file=str(paths_file)),
            *filters,
            JsonlWriter(str(out_kept.parent), output_filename=out_kept.name, compression=None),
        ]

        t0 = time.perf_counter()
        data = None
        for step in pipeline:  # as datatrove's executor does in _run_for_rank
            data = step(data, rank=0, world_size=1)
        deque(data, maxlen=0)
        seconds = time.perf_counter() - t0

    stats = PipelineStats(pipeline)
    reader_stats, writer_stats = stats.stats[0], stats.stats[-1]
    docs = int(reader_stats["documents"].total)
    kept = int(writer_stats["total"].total)
    removed_by_reason: dict[str, int] = {}
    for name, step_stats in zip(FILTER_NAMES, stats.stats[1:-1]):
        for key, metric in step_stats.stats.items():
            if key.startswith("dropped_"):
                removed_by_reason[f"{name}/{key[len('dropped_'):]}"] = int(metric.total)
        unexplained = int(step_stats["dropped"].total) - sum(
            v for k, v in removed_by_reason.items() if k.startswith(name + "/"))
        if unexplained:
            removed_by_reason[f"{name}/(no reason)"] = unexplained
    size = input_path.stat().st_size

    result = {
        "tool": "datatrove",
        "version": importlib.metadata.version("datatrove"),
        "pipeline": "JsonlReader > GopherRepetitionFilter > GopherQualityFilter > C4QualityFilter "
                    "> FineWebQualityFilter > JsonlWriter (defaults; one process)",
        "input": str(args.input),
        "docs": docs,
        "bytes": size,
        "seconds": round(seconds, 4),
        "docs_per_s": round(docs / seconds, 2) if seconds else None,
        "mb_per_s": round(size / 1e6 / seconds, 4) if seconds else None,
        "kept": kept,
        "removed": docs - kept,
        "removed_by_reason": dict(sorted(removed_by_reason.items(), key=lambda kv: (-kv[1], kv[0]))),
        "step_seconds": {
            name: round(s.time_stats.total, 4)
            for name, s in zip(["reader", *FILTER_NAMES, "writer"], stats.stats)
        },
        "not_timed": {
            "interpreter_startup_seconds": None if startup is None else round(startup, 4),
            "imports_seconds": round(imports, 4),
            "warmup_seconds": round(warmup, 4),
        },
        "python": sys.version.split()[0],
    }
    if sum(removed_by_reason.values()) != docs - kept:
        result["warning"] = "per-reason counts do not add up to removed"
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
