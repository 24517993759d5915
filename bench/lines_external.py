#!/usr/bin/env python3
"""Line cleaning on pages outside the development set: the article pages
that newspaper4k ships with its tests (Arabic, Burmese, Chinese, English,
Japanese, Latvian, Spanish, Thai and more), each with the article text
newspaper4k extracts from it.

    bash bench/lines.sh      # runs this after lines_snippets.py
    bench/.venv/bin/python bench/lines_external.py --tapis target/release/tapis

The sdist is fetched from the package index (`pip download newspaper4k==0.9.6
--no-binary :all:`) into bench/scratch/external/ and read from there; nothing
of it is committed. Every page that has both `tests/data/html/NAME.html` and
`tests/data/txt/NAME.txt` is used.

Each page is rendered to plain text as fullpage.jsonl is (inscriptis 2.7.6,
runs of blank lines collapsed to one; the HTML decoded in the charset its
`<meta>` names), the text's lines are labelled, and each system cleans the
text. A line is *article* when, list marker and whitespace removed, it is a
substring of the expected text with its whitespace removed; every other line
is *other* (menus, related stories, footers, but also the headline and
captions, which newspaper4k's text leaves out). Lines shorter than three
characters are not counted. *keep* is the share of article characters a
system keeps, *leak* the share of other characters. A line counts as kept
when the system's output still holds it as a line. The labels come from
one extractor's output, not from annotators: the figures compare systems
on the same pages; they do not grade them against a truth.

Systems: the text as is, datatrove's C4 line rules, jusText (stop words of
the page's language when jusText has them, all lists merged otherwise) and
tapis's boilerplate_lines rule (bench/lines_only.toml), as
bench/lines_snippets.py runs them. The page's language, for the table, is
the one newspaper4k's metadata names, else `<html lang>`.
"""
import argparse
import collections
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lines_snippets import JUSTEXT_NAMES, run_c4, run_justext, run_tapis  # noqa: E402

PACKAGE = "newspaper4k==0.9.6"
SDIST = "newspaper4k-0.9.6"
SPACE = re.compile(r"\s+")
BLANK_RUNS = re.compile(r"\n\s*\n+")
MARKER = re.compile(r"^\s*(?:[*+•\-–]|\d+[.)])\s+")
CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.I)
HTML_LANG = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I | re.S)
MIN_CHARS = 3
JUSTEXT_MORE = {"lv": "Latvian", "th": None, "my": None, "ko": "Korean"}


def fetch(work: Path) -> Path:
    root = work / SDIST
    if not root.exists():
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        PACKAGE, "-d", str(work)], check=True)
        subprocess.run(["tar", "xzf", str(work / f"{SDIST}.tar.gz"), "-C", str(work)], check=True)
    return root / "tests" / "data"


def render(raw: bytes) -> str:
    from inscriptis import get_text

    m = CHARSET.search(raw[:10000])
    try:
        html = raw.decode(m.group(1).decode() if m else "utf-8", errors="replace")
    except LookupError:
        html = raw.decode("utf-8", errors="replace")
    return BLANK_RUNS.sub("\n\n", get_text(html))


def bare(s: str) -> str:
    return SPACE.sub("", MARKER.sub("", s))


def pages(data: Path) -> list:
    out = []
    for html_path in sorted((data / "html").glob("*.html")):
        txt = data / "txt" / (html_path.stem + ".txt")
        if not txt.exists():
            continue
        raw = html_path.read_bytes()
        meta_path = data / "metadata" / (html_path.stem + ".json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        m = HTML_LANG.search(raw[:20000])
        language = meta.get("language") or (m.group(1).decode().lower()[:2] if m else "unknown")
        out.append({"id": html_path.stem, "url": meta.get("url", ""), "text": render(raw),
                    "expected": txt.read_text(encoding="utf-8"), "language": language})
    return out


def labelled_lines(page: dict) -> list:
    """(bare line, is article) for each counted line of the page."""
    expected = SPACE.sub("", page["expected"])
    out = []
    for line in page["text"].split("\n"):
        b = bare(line)
        if len(b) >= MIN_CHARS:
            out.append((b, b in expected))
    return out


def kept_flags(page_lines: list, kept_text: str) -> list:
    """Whether each of the page's lines is still a line of `kept_text`
    (each kept line matched once)."""
    left = collections.Counter(b for b in (bare(l) for l in kept_text.split("\n")) if len(b) >= MIN_CHARS)
    flags = []
    for b, _ in page_lines:
        flags.append(left[b] > 0)
        if left[b] > 0:
            left[b] -= 1
    return flags


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--work", default="bench/scratch/external")
    ap.add_argument("--out", default="bench/results/lines_external")
    args = ap.parse_args()
    work = Path(args.work)
    records = pages(fetch(work))
    data = work / "pages.jsonl"
    with data.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({"id": r["id"], "url": r["url"], "text": r["text"]}, ensure_ascii=False) + "\n")
    languages = {r["id"]: r["language"] for r in records}
    tapis_kept, _, tapis_cmd = run_tapis(args.tapis, data, Path("bench/lines_only.toml"), work / "tapis")
    systems = {
        "text as is": {r["id"]: r["text"] for r in records},
        "datatrove C4 line rules": run_c4(records)[0],
        "jusText 3.0.2": run_justext(records, languages, dict(JUSTEXT_NAMES, **JUSTEXT_MORE))[0],
        "tapis boilerplate_lines": tapis_kept,
    }
    # [article kept, article, other kept, other] characters, per system and language.
    sums = collections.defaultdict(lambda: [0, 0, 0, 0])
    per_page = []
    for r in records:
        lines = labelled_lines(r)
        row = {"id": r["id"], "language": r["language"]}
        for name, kept in systems.items():
            flags = kept_flags(lines, kept.get(r["id"], ""))
            c = [0, 0, 0, 0]
            for (b, article), k in zip(lines, flags):
                n = len(b)
                if article:
                    c[0] += n * k
                    c[1] += n
                else:
                    c[2] += n * k
                    c[3] += n
            for key in ((name, "all"), (name, r["language"])):
                for i in range(4):
                    sums[key][i] += c[i]
            row[name] = c
        per_page.append(row)

    def cell(c):
        return f"{c[0] / max(c[1], 1):.3f} / {c[2] / max(c[3], 1):.3f}"

    names = list(systems)
    langs = sorted({r["language"] for r in records}, key=lambda l: (-sum(x["language"] == l for x in records), l))
    md = ["# Line cleaning on pages outside the development set (newspaper4k's test pages)", "",
          "Generated by `bench/.venv/bin/python bench/lines_external.py` (part of `bash bench/lines.sh`).", "",
          f"Data: the {len(records)} pages of `{PACKAGE}`'s sdist that come with the article text it extracts "
          "(tests/data/html, tests/data/txt), rendered to full-page text by inscriptis. A line is article when "
          "the extracted text holds it, other otherwise (menus, related stories, footers, and the headline and "
          "captions that extractor leaves out). keep: share of article characters kept; leak: share of other "
          "characters kept. Labels from one extractor's output, not from annotators.", "",
          f"tapis command: `{tapis_cmd}` (no language given: each page's language is guessed from its text).", "",
          "| language | pages | " + " | ".join(f"{n} keep / leak" for n in names) + " |",
          "|---|---:|" + "---:|" * len(names)]
    md.append(f"| all | {len(records)} | " + " | ".join(cell(sums[(n, 'all')]) for n in names) + " |")
    for l in langs:
        md.append(f"| {l} | {sum(r['language'] == l for r in records)} | "
                  + " | ".join(cell(sums[(n, l)]) for n in names) + " |")
    md += ["", "## Per page", "", "| page | language | " + " | ".join(names) + " |", "|---|---|" + "---:|" * len(names)]
    for row in per_page:
        md.append(f"| {row['id']} | {row['language']} | " + " | ".join(cell(row[n]) for n in names) + " |")
    Path(args.out + ".md").write_text("\n".join(md) + "\n", encoding="utf-8")
    Path(args.out + ".json").write_text(json.dumps(
        {"package": PACKAGE, "pages": per_page,
         "totals": {f"{n}|{l}": sums[(n, l)] for n in names for l in ["all"] + langs}}, indent=1), encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
