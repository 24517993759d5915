#!/usr/bin/env python3
"""Line cleaning on running text in 75 languages: how much of it each system
keeps, side by side, per language.

The snippet benchmark (bench/lines_snippets.py) has pages in a handful of
languages, mostly German and English. This one asks the other half of "any
language": on text that is nothing but sentences, does a line cleaner keep
them, whatever the language and script? Pages are built from the lingua test
set's sentences (`lingua-testdata/sentences/XX.txt`, 1,000 per language):
for each language, PAGES pages of SENTENCES sentences each, drawn with a
fixed seed, in two layouts: paragraphs of three sentences, and one sentence
per paragraph (short lines, where rules made for long paragraphs fail); a
blank line between paragraphs. A system's *keep* is the share of sentences
still present (whitespace collapsed) in what it keeps.

Those sentences were collected from the web, and some of them are web debris
themselves ("Read More Politics Latest News from …", "Tag : Download lagu
terbaru …", a consent or sign-up prompt): a keep of 1.0 is not the goal, and
the removed sentences are listed in the report so that each can be judged.
This measures keep only; leak is measured by the snippet benchmark.

Systems, on the same pages in one run:
- tapis: `tapis clean --config bench/lines_only.toml` (boilerplate_lines
  alone), one thread, the page's language not given (guessed from its stop
  words, as for a WET record);
- datatrove 0.10.1's C4 line rules (C4QualityFilter, document drops off);
- jusText 3.0.2 (lines_snippets.run_justext) with the stop-word list of the
  page's true language when it has one (an advantage tapis does not get;
  the names as crates/lines/tools/make_stopwords.py maps them), all its
  lists merged otherwise.

    bench/.venv/bin/python bench/lines_languages.py --tapis target/release/tapis

Deterministic; about a minute.
"""
import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "crates" / "lines" / "tools"))
from lines_snippets import collapse, run_c4, run_justext, run_tapis  # noqa: E402
from make_stopwords import ISO  # noqa: E402

TAPIS = "tapis boilerplate_lines"
PAGES = 10
SENTENCES = 9
LAYOUTS = {"paragraphs of three sentences": 3, "one sentence per paragraph": 1}
SEED = 20261202

# ISO 639-1 code (or jusText's name, where a language has no code) -> jusText's list name.
JUSTEXT = {code: name for name, code in ISO.items()}


def build_pages(sentences_dir: Path):
    """[(language, page id, [sentences])], PAGES per language."""
    rng = random.Random(SEED)
    pages = []
    for path in sorted(sentences_dir.glob("*.txt")):
        lang = path.stem
        sentences = [l.strip() for l in path.open(encoding="utf-8") if l.strip()]
        rng.shuffle(sentences)
        for p in range(PAGES):
            chunk = sentences[p * SENTENCES:(p + 1) * SENTENCES]
            if len(chunk) == SENTENCES:
                pages.append((lang, f"{lang}-{p}", chunk))
    return pages


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--data", default="../shared/data/lingua-testdata/sentences")
    ap.add_argument("--config", default="bench/lines_only.toml")
    ap.add_argument("--work", default="bench/scratch/lines_languages")
    ap.add_argument("--out-json", default="bench/results/lines_languages.json")
    ap.add_argument("--out-md", default="bench/results/lines_languages.md")
    args = ap.parse_args()

    pages = build_pages(Path(args.data))
    languages = {pid: lang for lang, pid, _ in pages}
    results, removed_by_tapis, tapis_cmd = {}, {}, ""
    for layout, per_paragraph in LAYOUTS.items():
        work = Path(args.work) / layout.replace(" ", "_")
        work.mkdir(parents=True, exist_ok=True)
        data = work / "pages.jsonl"
        records = [{"id": pid, "text": "\n\n".join(" ".join(chunk[i:i + per_paragraph])
                                                    for i in range(0, len(chunk), per_paragraph))}
                   for _, pid, chunk in pages]
        with data.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        kept = {}
        kept[TAPIS], _, tapis_cmd = run_tapis(args.tapis, data, args.config, work / "tapis")
        tapis_cmd = tapis_cmd.replace(str(work), "WORK")
        kept["datatrove C4 line rules"] = run_c4(records)[0]
        kept["jusText 3.0.2"] = run_justext(records, languages, JUSTEXT)[0]
        per_lang = {}
        for lang, pid, chunk in pages:
            row = per_lang.setdefault(lang, {"sentences": 0, **{s: 0 for s in kept}})
            row["sentences"] += len(chunk)
            for s, texts in kept.items():
                text = collapse(texts.get(pid, ""))
                for sentence in chunk:
                    present = collapse(sentence) in text
                    row[s] += present
                    if s == TAPIS and not present:
                        removed_by_tapis.setdefault(layout, {}).setdefault(lang, []).append(sentence)
        total = sum(r["sentences"] for r in per_lang.values())
        results[layout] = {
            "sentences": total,
            "overall_keep": {s: sum(r[s] for r in per_lang.values()) / total for s in kept},
            # A language where a system keeps under 0.9 of the sentences: its
            # rules or lists do not fit that language.
            "languages_below_0.9": {s: sorted(l for l, r in per_lang.items() if r[s] / r["sentences"] < 0.9)
                                    for s in kept},
            "per_language": per_lang,
        }
    systems = list(kept)

    Path(args.out_json).write_text(json.dumps({
        "pages_per_language": PAGES, "sentences_per_page": SENTENCES, "seed": SEED,
        "languages": len({lang for lang, _, _ in pages}), "layouts": results, "removed_by_tapis": removed_by_tapis,
        "tapis_command": tapis_cmd,
    }, ensure_ascii=False, indent=1) + "\n")

    out = ["# Line cleaning on running text in 75 languages", "",
           "Generated by `bench/.venv/bin/python bench/lines_languages.py`. "
           f"{PAGES} pages of {SENTENCES} sentences per language from the lingua test set's sentences "
           f"(seed {SEED}); *keep* is the share of sentences still present. "
           "Some of those sentences are web debris themselves (listed below for tapis), so 1.0 is not the goal. "
           "tapis is not told the language; jusText gets the stop words of the true language when it has them.",
           "", f"tapis command: `{tapis_cmd}` (WORK: `{args.work}/LAYOUT`)", ""]
    for layout, r in results.items():
        out += [f"## {layout}", "", f"| system | keep, all {r['sentences']} sentences | languages keeping under 0.9 |",
                "|---|---:|---|"]
        for s in systems:
            below = r["languages_below_0.9"][s]
            out.append(f"| {s} | {r['overall_keep'][s]:.3f} | {len(below)}: {', '.join(below)} |")
        out.append("")
    out += ["## Per language", "", "Keep, " + " / ".join(LAYOUTS) + ".", "",
            "| language | " + " | ".join(systems) + " |", "|---|" + "---:|" * len(systems)]
    for lang in sorted({lang for lang, _, _ in pages}):
        rows = [r["per_language"][lang] for r in results.values()]
        out.append(f"| {lang} | " + " | ".join(" / ".join(f"{row[s] / row['sentences']:.3f}" for row in rows)
                                                for s in systems) + " |")
    for layout, by_lang in removed_by_tapis.items():
        out += ["", f"## Sentences tapis removed ({layout})", ""]
        for lang in sorted(by_lang):
            for sentence in by_lang[lang]:
                out.append(f"- {lang}: {sentence[:160]}")
    Path(args.out_md).write_text("\n".join(out) + "\n")
    print("\n".join(out[:22]))


if __name__ == "__main__":
    main()
