#!/usr/bin/env python3
"""Build a benchmark corpus by repeating the trafilatura-eval `fullpage.jsonl` set.

    python3 bench/make_corpus.py --min-mb 50 --out bench/scratch/corpus_50mb.jsonl

Copies the source documents in order, again and again, until the output holds at
least N MB (1 MB = 1,000,000 bytes), stopping right after the document that crosses
the line. Each copy gets unique ids, `{id}#{copy}` (copy counts from 0), and only the
`id`, `text` and `url` fields are kept. The output is deterministic: same source and
N give the same bytes. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# bench/ -> repo root -> the `shared` folder that sits beside the repo folder
DEFAULT_SOURCE = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "trafilatura-eval" / "fullpage.jsonl"


def load_source(path: Path) -> list[tuple[str, str, str | None]]:
    docs = []
    with path.open("rb") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            if "id" not in rec or "text" not in rec:
                sys.exit(f"{path}:{lineno}: record has no id or text")
            docs.append((str(rec["id"]), rec["text"], rec.get("url")))
    if not docs:
        sys.exit(f"{path}: no documents")
    return docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-mb", type=float, required=True, help="minimum output size in MB (10^6 bytes)")
    ap.add_argument("--out", type=Path, required=True, help="output JSONL file")
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="source JSONL (default: %(default)s)")
    args = ap.parse_args()

    if args.min_mb <= 0:
        sys.exit("--min-mb must be positive")
    target = int(args.min_mb * 1_000_000)
    docs = load_source(args.source)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    written = n = copy = 0
    with tmp.open("wb") as out:
        while written < target:
            for doc_id, text, url in docs:
                rec = {"id": f"{doc_id}#{copy}", "text": text, "url": url}
                line = (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")
                out.write(line)
                written += len(line)
                n += 1
                if written >= target:
                    break
            copy += 1
    os.replace(tmp, args.out)
    print(json.dumps({"out": str(args.out), "docs": n, "bytes": written, "copies": copy,
                      "source_docs": len(docs)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
