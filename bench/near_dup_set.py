#!/usr/bin/env python3
"""Labelled near-duplicate set made from real web pages, for measuring how well
near-duplicate detection finds what it should (bench/dedup_accuracy.py).

    bench/.venv/bin/python bench/near_dup_set.py        # writes bench/scratch/near_dup/
    bash bench/dedup_accuracy.sh                        # this, then the accuracy run

Source: the 990 pages of `../shared/data/trafilatura-eval/fullpage.jsonl` (whole
pages as plain text, menus and footers included; mostly German and English). Each
page is cut to a window of whole lines around its middle (`--max-words`, 400), so
that the set stays a few megabytes and the spaCy tokenizer the labels need runs in
about a minute. Seeded (`--seed`): the same arguments give the same files.

- `--sources` pages with at least `--min-words` words each give a family: the
  window itself ("original") and 3 to 13 variants, each made from the original by
  one kind of edit (or a mix) whose strength is drawn so that the variant's
  Jaccard similarity to the original falls anywhere in about 0.3..1.0:
  exact copy; format only (whitespace, case, punctuation, digits: invisible after
  datatrove's simplify_text); word insertions, deletions, substitutions (words of
  another page in the same language); foreign-word swaps (words replaced by words
  of a page in another language: the stand-in for translated words, as the lingua
  test data has no translation pairs, its word-pairs are two words of one
  language); reordered blocks of lines; boilerplate (header/footer lines of other
  pages added, or replacing the page's own first/last lines); and mixes of two or
  three of these.
- Every other page (its window) is a singleton, so unrelated pages, several of
  them from the same site with the same menus, can be matched by mistake.
- `--short-families` families of short lines (1 to 4 words, so no 5-word shingle
  and no MinHash signature) with their exact and format-only copies.
- The documents are shuffled, so the original of a family is not always first.

Labels: the true Jaccard similarity of the sets of 5-word shingles, computed as
datatrove 0.10.1's MinHash step computes its shingles: `simplify_text` with the
default `TextNormConfig`, the English word tokenizer of
`load_word_tokenizer(Languages.english)` (spaCy), `ngrams(..., 5)` joined by a
space, each hashed with xxh64, so the labels are what MinHash estimates. All
document pairs are scored (a sparse product over the shingle sets), not only
pairs within a family: `pairs.jsonl` holds every pair within a family (also
those below the threshold) and every pair across families or with a singleton
whose Jaccard is at least `--cross-min` (0.1); any other pair is below it. Pairs
with a document without shingles get 1.0 when the simplified texts are equal, 0.0
otherwise.

Outputs in `--out` (bench/scratch/near_dup/): `set.jsonl` (`id`, `text`, and as
metadata `family`, `source_id`, `lang`, `edit`, `edit_desc`, `target_jaccard`,
`jaccard_to_original`), `pairs.jsonl` (`a`, `b`, `jaccard`, `kind` =
within/cross/short, `family`, `edits`), `set_stats.json` (counts and histograms).
"""
import argparse
import collections
import gzip
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SPACE_SPLIT = re.compile(r"(\s+)")
LANG_ATTR = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I | re.S)
LETTER = re.compile(r"[^\W\d_]")
EDGE_PUNCT = ",.;:!?\"'()[]«»„“”"
BUCKETS = [(0.0, 0.3), (0.3, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0)]
GRADED = ["insert", "delete", "substitute", "foreign", "reorder", "boilerplate", "mixed"]
EDIT_TYPES = ["exact", "format"] + GRADED
# Languages tried when a page has no <html lang>: frequent words of lingua's test sentences.
GUESS_LANGS = ["de", "en", "es", "fr", "pl", "pt", "it", "nl", "fi", "hu", "nb", "sv", "da", "cs", "tr", "ru", "ar"]


def bucket_of(j: float) -> str:
    for lo, hi in BUCKETS:
        if j < hi or hi == 1.0:
            if j >= lo:
                return f"{lo:.1f}-{hi:.1f}"
    return "1.0"


# ---------------------------------------------------------------------------
# Shingles exactly as datatrove's MinhashDedupSignature makes them.

class Shingler:
    def __init__(self, n_grams: int = 5):
        import xxhash
        from datatrove.utils.text import TextNormConfig, ngrams, simplify_text
        from datatrove.utils.typeshelper import Languages
        from datatrove.utils.word_tokenizers import load_word_tokenizer

        self.n = n_grams
        self.norm = TextNormConfig()
        self.simplify = simplify_text
        self.ngrams = ngrams
        self.hash = xxhash.xxh64_intdigest
        self.tokenizer = load_word_tokenizer(Languages.english)

    def simplified(self, text: str) -> str:
        return self.simplify(text, self.norm)

    def shingles(self, text: str) -> set:
        words = self.tokenizer.word_tokenize(self.simplified(text))
        return {self.hash(" ".join(g)) for g in self.ngrams(words, self.n)}


# ---------------------------------------------------------------------------
# Pages: language and window.

def page_language(html_dir: Path, page_id: str) -> str:
    try:
        head = gzip.open(html_dir / (page_id + ".gz")).read(20000)
    except OSError:
        return ""
    m = LANG_ATTR.search(head)
    return m.group(1).decode().lower()[:2] if m else ""


def stopword_lists(sentences_dir: Path, top: int = 40) -> dict:
    lists = {}
    for lang in GUESS_LANGS:
        path = sentences_dir / f"{lang}.txt"
        if path.exists():
            counts = collections.Counter(w.lower().strip(EDGE_PUNCT) for line in path.open(encoding="utf-8")
                                         for w in line.split())
            counts.pop("", None)
            lists[lang] = {w for w, _ in counts.most_common(top)}
    return lists


def guess_language(text: str, lists: dict) -> str:
    words = collections.Counter(w.lower().strip(EDGE_PUNCT) for w in text.split())
    scores = {lang: sum(words[w] for w in ws) for lang, ws in lists.items()}
    best = max(sorted(scores), key=lambda l: scores[l])
    return best if scores[best] > 0 else "unknown"


def window(text: str, max_words: int) -> str:
    """Whole lines around the page's middle, at most max_words words."""
    lines = text.strip().split("\n")
    counts = [len(line.split()) for line in lines]
    total = sum(counts)
    if total <= max_words:
        return text.strip()
    seen, mid = 0, 0
    for i, c in enumerate(counts):
        seen += c
        if seen >= total // 2:
            mid = i
            break
    if counts[mid] > max_words:
        words = lines[mid].split()
        start = (len(words) - max_words) // 2
        return " ".join(words[start:start + max_words])
    lo = hi = mid
    n = counts[mid]
    while True:
        grew = False
        if hi + 1 < len(lines) and n + counts[hi + 1] <= max_words:
            hi += 1
            n += counts[hi]
            grew = True
        if lo > 0 and n + counts[lo - 1] <= max_words:
            lo -= 1
            n += counts[lo]
            grew = True
        if not grew:
            break
    return "\n".join(lines[lo:hi + 1]).strip()


# ---------------------------------------------------------------------------
# Edits on a text kept as [word, whitespace after it] pairs.

def to_pairs(text: str) -> list:
    parts = SPACE_SPLIT.split(text.strip())
    return [[w, s] for w, s in zip(parts[0::2], parts[1::2] + [""])]


def from_pairs(pairs: list) -> str:
    return "".join(w + s for w, s in pairs).strip()


def word_pool(text: str) -> list:
    out = []
    for w in text.split():
        w = w.strip(EDGE_PUNCT)
        if len(w) >= 2 and LETTER.search(w):
            out.append(w)
    return out


def rate_for(target: float) -> float:
    """Share of words to touch so that about `target` Jaccard remains: a touched
    word spoils the 5 shingles over it, on both sides of the union."""
    s = 2 * target / (1 + target)
    return 1 - s ** (1 / 5)


def edit_substitute(pairs, target, rng, pool, what="same-language"):
    k = max(1, round(rate_for(target) * len(pairs)))
    for i in rng.sample(range(len(pairs)), min(k, len(pairs))):
        pairs[i][0] = rng.choice(pool)
    return pairs, f"{k} of {len(pairs)} words replaced by {what} words"


def edit_insert(pairs, target, rng, pool):
    n = len(pairs)
    k = max(1, round(rate_for(target) * n))
    for i in sorted((rng.randrange(n + 1) for _ in range(k)), reverse=True):
        pairs.insert(i, [rng.choice(pool), " "])
    return pairs, f"{k} words inserted into {n}"


def edit_delete(pairs, target, rng):
    n = len(pairs)
    k = min(n - 5, max(1, round(rate_for(target) * n)))
    for i in sorted(rng.sample(range(n), k), reverse=True):
        if i > 0 and "\n" in pairs[i][1]:
            pairs[i - 1][1] = pairs[i][1]
        del pairs[i]
    return pairs, f"{k} of {n} words deleted"


def edit_reorder(pairs, target, rng):
    n = len(pairs)
    s = 2 * target / (1 + target)
    k = max(1, min(n // 6, round((1 - s) * n / 4)))
    line_starts = [i for i in range(1, n) if "\n" in pairs[i - 1][1]]
    if len(line_starts) >= k:
        cuts, where = sorted(rng.sample(line_starts, k)), "line"
    else:
        starts = set(line_starts)
        rest = [i for i in range(1, n) if i not in starts]
        cuts, where = sorted(line_starts + rng.sample(rest, k - len(line_starts))), "line and mid-line"
    bounds = [0] + cuts + [n]
    segments = [pairs[a:b] for a, b in zip(bounds, bounds[1:])]
    order = list(range(len(segments)))
    while order == sorted(order):
        rng.shuffle(order)
    out = []
    for j in order:
        seg = [list(p) for p in segments[j]]
        if "\n" not in seg[-1][1]:
            seg[-1][1] = "\n"
        out.extend(seg)
    return out, f"{len(segments)} blocks ({where} cuts) reordered"


def lines_up_to(lines, m):
    """Whole lines from the start of `lines` until m words, the last line cut."""
    out, got = [], 0
    for line in lines:
        words = line.split()
        if not words:
            continue
        if got + len(words) >= m:
            out.append(" ".join(words[: m - got]))
            got = m
            break
        out.append(line.strip())
        got += len(words)
    return out, got


def edit_boilerplate(pairs, target, rng, pages, own_index):
    text = from_pairs(pairs)
    lines = text.split("\n")
    n = len(pairs)
    mode = rng.choice(["add-header", "add-footer", "add-both", "replace-header", "replace-footer", "replace-both"])
    removed_words = 0
    if mode.startswith("replace"):
        want = min(rng.uniform(0.05, 0.2) * n, max(1.0, n * (1 - target) * 0.5))
        sides = ["header", "footer"] if mode.endswith("both") else [mode.split("-")[1]]
        for side in sides:
            budget = want / len(sides)
            while len(lines) > 3 and budget > 0:
                line = lines.pop(0) if side == "header" else lines.pop()
                budget -= len(line.split())
                removed_words += len(line.split())
    m = max(5, round((n - removed_words) / max(target, 0.05) - n))
    sides = ["header", "footer"] if mode.endswith("both") else [mode.split("-")[1]]
    added, donors = 0, []
    for side in sides:
        need = m // len(sides)
        chunk = []
        while need > 0:
            d = rng.randrange(len(pages))
            if d == own_index:
                continue
            donor_lines = pages[d]["text"].strip().split("\n")
            if side == "footer":
                donor_lines = donor_lines[::-1]
            got_lines, got = lines_up_to(donor_lines, need)
            if side == "footer":
                got_lines = got_lines[::-1]
            chunk = got_lines + chunk if side == "footer" else chunk + got_lines
            need -= got
            added += got
            donors.append(pages[d]["id"])
        lines = chunk + lines if side == "header" else lines + chunk
    desc = f"{mode}: {removed_words} own words dropped, {added} words of other pages' " \
           f"{'/'.join(sides)} lines added (from {', '.join(donors[:3])}{'...' if len(donors) > 3 else ''})"
    return to_pairs("\n".join(lines)), desc


def edit_format(pairs, rng):
    q = rng.uniform(0.05, 0.3)
    counts = collections.Counter()
    for p in pairs:
        w = p[0]
        if rng.random() < q:
            new = rng.choice([w.upper(), w.title(), w.lower(), w.swapcase()])
            if new != w and new.lower() == w.lower():
                p[0] = w = new
                counts["case"] += 1
        if rng.random() < q:
            if w and w[-1] in ",.;:!?" and len(w) > 1 and LETTER.match(w[-2]):
                p[0] = w = w[:-1]
            else:
                p[0] = w = w + rng.choice(",.;:!?")
            counts["punctuation"] += 1
        if any(c.isdigit() for c in w) and rng.random() < 0.5:
            p[0] = w = re.sub(r"[0-9]", lambda _: str(rng.randrange(10)), w)
            counts["digits"] += 1
        if rng.random() < q:
            p[1] = rng.choice(["  ", "\t", "\n", " \n ", "\n\n"]) if p[1] else p[1]
            counts["whitespace"] += 1
    desc = ", ".join(f"{k} {counts[k]}" for k in ["whitespace", "case", "punctuation", "digits"])
    return pairs, f"format only ({desc} of {len(pairs)} words)"


class Editor:
    def __init__(self, pages, rng):
        self.pages = pages
        self.rng = rng
        self.by_lang = collections.defaultdict(list)
        for i, p in enumerate(pages):
            self.by_lang[p["lang"]].append(i)
        self.pools = [word_pool(p["text"]) for p in pages]

    def donor_pool(self, index, same_language: bool):
        lang = self.pages[index]["lang"]
        if same_language:
            cands = [i for i in self.by_lang[lang] if i != index] if lang != "unknown" else []
            if not cands:
                cands = [i for i in range(len(self.pages)) if i != index]
            what = f"same-language ({lang})"
        else:
            other = "de" if lang == "en" else "en"
            cands = self.by_lang[other]
            what = f"foreign ({other})"
        d = self.rng.choice(cands)
        return self.pools[d], what, self.pages[d]["id"]

    def apply(self, kind, text, target, index):
        rng = self.rng
        pairs = to_pairs(text)
        if kind == "exact":
            return text, "exact copy"
        if kind == "format":
            p, desc = edit_format(pairs, rng)
            return from_pairs(p), desc
        if kind == "mixed":
            parts = rng.sample(["insert", "delete", "substitute", "foreign", "reorder", "boilerplate"], rng.choice([2, 3]))
            each = target ** (1 / len(parts))
            descs = []
            for part in parts:
                text, d = self.apply(part, text, each, index)
                descs.append(f"{part}: {d}")
            if rng.random() < 0.5:
                text, d = self.apply("format", text, 1.0, index)
                descs.append(d)
            return text, "mixed: " + "; ".join(descs)
        if kind in ("substitute", "foreign", "insert"):
            pool, what, donor = self.donor_pool(index, same_language=kind != "foreign")
            if kind == "insert":
                p, desc = edit_insert(pairs, target, rng, pool)
                desc += f" ({what} words of {donor})"
            else:
                p, desc = edit_substitute(pairs, target, rng, pool, what)
                desc += f" (of {donor})"
            return from_pairs(p), desc
        if kind == "delete":
            p, desc = edit_delete(pairs, target, rng)
            return from_pairs(p), desc
        if kind == "reorder":
            p, desc = edit_reorder(pairs, target, rng)
            return from_pairs(p), desc
        if kind == "boilerplate":
            p, desc = edit_boilerplate(pairs, target, rng, self.pages, index)
            return from_pairs(p), desc
        raise ValueError(kind)


# ---------------------------------------------------------------------------

def all_pair_intersections(shingle_sets):
    """Intersection sizes of every pair of documents sharing a shingle:
    {(i, j): count} for i < j, via a sparse product."""
    import numpy as np
    from scipy import sparse

    vocab = {}
    rows, cols = [], []
    for i, s in enumerate(shingle_sets):
        for h in s:
            cols.append(vocab.setdefault(h, len(vocab)))
            rows.append(i)
    x = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)),
                          shape=(len(shingle_sets), max(1, len(vocab))))
    prod = sparse.triu(x @ x.T, k=1).tocoo()
    return {(int(i), int(j)): int(c) for i, j, c in zip(prod.row, prod.col, prod.data)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", default=str(SHARED / "trafilatura-eval" / "fullpage.jsonl"))
    ap.add_argument("--html-dir", default=str(SHARED / "trafilatura-eval" / "html"),
                    help="the pages' HTML, for their <html lang>")
    ap.add_argument("--sentences-dir", default=str(SHARED / "lingua-testdata" / "sentences"),
                    help="lingua test sentences, for guessing the language of pages without <html lang>")
    ap.add_argument("--out", default=str(ROOT / "bench" / "scratch" / "near_dup"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sources", type=int, default=450, help="families (pages that get variants)")
    ap.add_argument("--min-words", type=int, default=100, help="minimum words of a family's original")
    ap.add_argument("--max-words", type=int, default=400, help="words of the window kept of each page")
    ap.add_argument("--variants", type=int, nargs=2, default=[3, 13], metavar=("MIN", "MAX"),
                    help="variants per family, besides the original")
    ap.add_argument("--target-min", type=float, default=0.3, help="lowest target Jaccard of a graded edit")
    ap.add_argument("--short-families", type=int, default=10)
    ap.add_argument("--threshold", type=float, nargs="+", default=[0.72, 0.8],
                    help="Jaccard from which a pair is a true duplicate (the summary counts each)")
    ap.add_argument("--cross-min", type=float, default=0.1,
                    help="pairs outside a family are written when their Jaccard reaches this")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()

    raw = [json.loads(line) for line in open(args.input, encoding="utf-8")]
    lists = stopword_lists(Path(args.sentences_dir))
    pages = []
    for r in raw:
        lang = page_language(Path(args.html_dir), r["id"])
        guessed = not lang
        if guessed:
            lang = guess_language(r["text"], lists)
        pages.append({"id": r["id"], "text": r["text"], "lang": lang, "lang_guessed": guessed,
                      "window": window(r["text"], args.max_words)})
    editor = Editor(pages, rng)

    eligible = [i for i, p in enumerate(pages) if len(p["window"].split()) >= args.min_words]
    order = eligible[:]
    rng.shuffle(order)
    sources = sorted(order[: args.sources])
    source_set = set(sources)
    docs = []
    type_cycle = []
    for fam, i in enumerate(sources):
        page = pages[i]
        base = {"family": f"f{fam:03d}", "source_id": page["id"], "lang": page["lang"]}
        docs.append(dict(base, id=f"nd-f{fam:03d}-00", text=page["window"], edit="original",
                         edit_desc="window of the page", target_jaccard=1.0))
        for k in range(1, rng.randint(*args.variants) + 1):
            if not type_cycle:
                type_cycle = EDIT_TYPES[:]
                rng.shuffle(type_cycle)
            kind = type_cycle.pop()
            target = 1.0 if kind in ("exact", "format") else round(rng.uniform(args.target_min, 1.0), 3)
            text, desc = editor.apply(kind, page["window"], target, i)
            docs.append(dict(base, id=f"nd-f{fam:03d}-{k:02d}", text=text, edit=kind, edit_desc=desc,
                             target_jaccard=target))
    singles = [i for i in range(len(pages)) if i not in source_set]
    for n, i in enumerate(singles):
        docs.append({"id": f"nd-s{n:03d}", "text": pages[i]["window"], "family": f"s{n:03d}",
                     "source_id": pages[i]["id"], "lang": pages[i]["lang"], "edit": "singleton",
                     "edit_desc": "window of a page without variants", "target_jaccard": None})

    shingler = Shingler()
    # Short documents: lines of 1-4 words, so no 5-word shingle; copies exact or format only.
    short_lines, seen = [], set()
    for p in pages:
        for line in p["text"].split("\n"):
            line = line.strip()
            if 1 <= len(line.split()) <= 4 and len(line) >= 8 and LETTER.search(line):
                key = shingler.simplified(line)
                if key and key not in seen:
                    seen.add(key)
                    short_lines.append((line, p["id"], p["lang"]))
    rng.shuffle(short_lines)
    chosen = []
    for line in short_lines:
        if len(chosen) == args.short_families:
            break
        if not shingler.shingles(line[0]):  # fewer than 5 tokens after simplify_text
            chosen.append(line)
    for n, (line, src, lang) in enumerate(chosen):
        fam = f"short{n:02d}"
        for k in range(rng.randint(2, 4)):
            if k == 0:
                text, kind, desc = line, "original", "short line of a page"
            elif rng.random() < 0.5:
                text, kind, desc = line, "exact", "exact copy"
            else:
                text, desc = line.upper() + rng.choice([".", "!", " :", ""]), "upper case and punctuation"
                kind = "format"
                if text.lower().rstrip(".! :") != line.lower():
                    text, desc = line + ".", "punctuation"
            docs.append({"id": f"nd-{fam}-{k}", "text": text, "family": fam, "source_id": src, "lang": lang,
                         "edit": kind, "edit_desc": desc, "target_jaccard": 1.0})

    print(f"near_dup_set: {len(docs)} documents; shingling ...", file=sys.stderr)
    t0 = time.perf_counter()
    sh = [shingler.shingles(d["text"]) for d in docs]
    simple = [shingler.simplified(d["text"]) for d in docs]
    shingle_seconds = time.perf_counter() - t0
    inter = all_pair_intersections(sh)

    def jaccard(i, j):
        if i == j:
            return 1.0
        if not sh[i] or not sh[j]:
            return 1.0 if simple[i] == simple[j] else 0.0
        c = inter.get((min(i, j), max(i, j)), 0)
        return c / (len(sh[i]) + len(sh[j]) - c)

    index = {d["id"]: n for n, d in enumerate(docs)}
    for d in docs:
        fam0 = f"nd-{d['family']}-00" if d["family"].startswith("f") else f"nd-{d['family']}-0"
        d["jaccard_to_original"] = round(jaccard(index[d["id"]], index[fam0]), 6) if fam0 in index else None
        d["words"] = len(d["text"].split())
        d["shingles"] = len(sh[index[d["id"]]])

    by_family = collections.defaultdict(list)
    for n, d in enumerate(docs):
        by_family[d["family"]].append(n)
    pairs = []
    for fam, members in by_family.items():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                kind = "short" if fam.startswith("short") else "within"
                pairs.append({"a": docs[i]["id"], "b": docs[j]["id"], "jaccard": round(jaccard(i, j), 6),
                              "kind": kind, "family": fam, "edits": [docs[i]["edit"], docs[j]["edit"]]})
    cross_any = cross_kept = 0
    cross_max = (0.0, None, None)
    fam_of = [d["family"] for d in docs]
    for (i, j), c in inter.items():
        if fam_of[i] == fam_of[j]:
            continue
        cross_any += 1
        jj = c / (len(sh[i]) + len(sh[j]) - c)
        if jj > cross_max[0]:
            cross_max = (jj, docs[i]["id"], docs[j]["id"])
        if jj >= args.cross_min:
            cross_kept += 1
            pairs.append({"a": docs[i]["id"], "b": docs[j]["id"], "jaccard": round(jj, 6), "kind": "cross",
                          "family": None, "edits": [docs[i]["edit"], docs[j]["edit"]]})
    # Short documents of different families: equal simplified texts would be duplicates too.
    short_idx = [n for n, s in enumerate(sh) if not s]
    for x in range(len(short_idx)):
        for y in range(x + 1, len(short_idx)):
            i, j = short_idx[x], short_idx[y]
            if fam_of[i] != fam_of[j] and simple[i] == simple[j]:
                pairs.append({"a": docs[i]["id"], "b": docs[j]["id"], "jaccard": 1.0, "kind": "short",
                              "family": None, "edits": [docs[i]["edit"], docs[j]["edit"]]})

    rng.shuffle(docs)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "set.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(out / "pairs.jsonl", "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")

    within = [p for p in pairs if p["kind"] == "within"]
    to_orig = [d for d in docs if d["edit"] not in ("original", "singleton") and d["family"].startswith("f")]
    stats = {
        "command": " ".join(["bench/.venv/bin/python bench/near_dup_set.py"] + sys.argv[1:]),
        "args": vars(args),
        "documents": len(docs),
        "bytes": sum(len(d["text"].encode()) for d in docs),
        "families": len(sources),
        "family_documents": sum(1 for d in docs if d["family"].startswith("f")),
        "singletons": len(singles),
        "short_families": sum(1 for f in by_family if f.startswith("short")),
        "short_documents": len(short_idx),
        "documents_by_edit": dict(collections.Counter(d["edit"] for d in docs).most_common()),
        "documents_by_lang": dict(collections.Counter(d["lang"] for d in docs).most_common()),
        "pages_without_lang_attr": sum(p["lang_guessed"] for p in pages),
        "within_pairs": len(within),
        "within_pairs_by_bucket": dict(sorted(collections.Counter(bucket_of(p["jaccard"]) for p in within).items())),
        "variant_to_original_by_bucket": dict(sorted(collections.Counter(
            bucket_of(d["jaccard_to_original"]) for d in to_orig).items())),
        "variant_to_original_by_edit_and_bucket": {
            k: dict(sorted(collections.Counter(bucket_of(d["jaccard_to_original"]) for d in to_orig if d["edit"] == k).items()))
            for k in EDIT_TYPES},
        "true_duplicate_pairs": {str(t): sum(p["jaccard"] >= t for p in pairs) for t in args.threshold},
        "cross_pairs_sharing_a_shingle": cross_any,
        "cross_pairs_at_least_cross_min": cross_kept,
        "cross_max": {"jaccard": cross_max[0], "a": cross_max[1], "b": cross_max[2]},
        "format_variants_below_1": sum(1 for d in to_orig if d["edit"] in ("exact", "format") and d["jaccard_to_original"] < 1.0),
        "shingle_seconds": shingle_seconds,
        "seconds": time.perf_counter() - started,
    }
    (out / "set_stats.json").write_text(json.dumps(stats, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in stats.items() if k not in ("args", "variant_to_original_by_edit_and_bucket")},
                     indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
