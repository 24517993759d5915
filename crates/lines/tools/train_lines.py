#!/usr/bin/env python3
"""Trains the line classifier of tapis-lines and writes crates/lines/model/lines.json.

Data: the trafilatura evaluation set's full-page texts (fullpage.jsonl: every
page rendered to plain text, menus and footers included) with, per page,
`with` snippets (article text that must survive) and `without` snippets
(boilerplate that must go). A line holding (part of) a `with` snippet is
labelled content, one holding a `without` snippet boilerplate; other lines
are not used. The features are tapis's own, read from
`tapis explain --json --features`, so training and use cannot drift apart;
the records' `url` goes with them (its slug names the headline, see
crates/lines/src/url_headline.rs). Plain text does not always come with its
address, so every training page and crop is used twice, with its URL and
without; the held-out figures are printed both ways.

The model is gradient-boosted trees (scikit-learn's
HistGradientBoostingClassifier, fixed seed), written out as plain trees that
tapis-lines walks itself: tapis needs no Python at run time.

One of its inputs is learned here too: the wording score (`ngram`, and the
neighbours' `prev_ngram` and `next_ngram`), a logistic regression over the
hashed character 3- to 5-grams of each line's words (HashingVectorizer,
as `char_wb` cuts them), written to crates/lines/model/char_ngrams.bin
with its weights as 16-bit integers. It judges only pages in the languages
with at least --wording-min-lines labelled lines on the training sites (a
wording learned from German pages misjudges Indonesian ones); elsewhere the
three scores are -2. Two forests are fitted: one with the scores, for the
pages whose wording is judged, and one on every page with them masked, for
the others, its log-odds shifted so that both cut at the same threshold.
The trees are fitted on wording scores of lines the regression never saw (out of fold, the same folds as below): scores of lines it was
fitted on are too confident. The script also writes
crates/lines/tests/ngram_parity.jsonl, lines with the score the stored
regression gives them, for tapis's test that it scores them the same.

A second regression reads the line's shape (`shape_ngram`, and its
neighbours'): the line with every letter written `a` (`A` if upper case),
every digit `0` and every space ` `, runs of letters cut to four, and the
character 3- to 5-grams of its first 200 code points hashed into 2^16
buckets. What it learns ("A: 00.00.0000",
"© 0000 Aaaa", "| Aaaa |") holds in any language and script, so it is fitted on
every training page, and it is read on the pages whose wording is not judged
(by their forest; the other forest reads the wording and sees the shape
masked): crates/lines/model/shape_ngrams.bin, crates/lines/tests/shape_parity.jsonl.

The two forests judge a line by its own signals and its next neighbours';
a third, the context forest (crates/lines/src/context.rs), re-scores every
line from their scores of the line, of the lines around it and of the whole
page: how far it lies from the nearest line scoring 0.9 or more above and
below, how many lines scoring under 0.1 stand in between, the page's
highest score and the line's rank. It is fitted on out-of-fold scores of
the first forests (those of a page they never saw), and the policy's
threshold is chosen on its scores. crates/lines/tests/context_parity.jsonl
holds its scores of some held-out pages, for tapis's parity test.

Every page of fullpage.jsonl begins with its site's menus and ends with its
footer, but plain text also comes from extractors and dumps that already
dropped them, where an article's headline is the first line. So each training
page is also used cropped: from its first content line on, and from its first
to its last content line (the lines in between stay, boilerplate included).
Two more crops give page edges that are boilerplate: from the page's first
labelled boilerplate line on, and from the first content line to the first
boilerplate line after the last one. Without them the labelled first and last
lines would all be article, and a whole page's "Skip to content" would be kept
for opening the text.

Pages are split by site (a hash of the host name): one site in five is held
out. The model is fitted on the rest; the threshold is the one that keeps
the most `with` snippets on the training sites while leaking at most
--max-leak of the `without` snippets, judged on out-of-fold scores (four
folds of training sites, each scored by a model fitted on the other three:
scores of lines a model was fitted on are too confident to pick it). Figures on the held-out sites, which
training never saw, are printed at the end.

    bench/.venv/bin/python crates/lines/tools/train_lines.py \\
        --tapis target/release/tapis \\
        --data ../shared/data/trafilatura-eval/fullpage.jsonl \\
        --out crates/lines/model/lines.json

Needs numpy and scikit-learn (bench/requirements.txt). Deterministic: the same data gives the same model.
"""
import argparse
import hashlib
import json
import re
import struct
import subprocess
import sys
import tempfile
import unicodedata
from urllib.parse import urlparse

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

SPACE = re.compile(r"\s+")


def collapse(s: str) -> str:
    return SPACE.sub(" ", s).strip()


def site_of(record: dict) -> str:
    url = record.get("url", "")
    if "://" in url:
        host = urlparse(url.strip()).netloc.lower()
    else:  # "hard::name-of-page.html": the name starts with the host
        host = re.split(r"[-_]", record["id"].lower())[0]
    return host[4:] if host.startswith("www.") else host


def site_hash(site: str) -> int:
    return int(hashlib.md5(site.encode()).hexdigest(), 16)


# Sites whose md5(host) % 5 is this are held out; the committed model holds
# out remainder 0, the others measure how much the figures move with the split.
HELD_OUT_REMAINDER = 0


def held_out(site: str) -> bool:
    return site_hash(site) % 5 == HELD_OUT_REMAINDER


FOLDS = 4


def fold_of(site: str) -> int:
    return site_hash(site) // 5 % FOLDS


def occurrences(hay: str, needle: str):
    at = hay.find(needle)
    while at >= 0:
        yield at, at + len(needle)
        at = hay.find(needle, at + 1)


def page_labels(lines: list, record: dict):
    """Per line: 1 content, 0 boilerplate, None unknown; and the collapsed
    page text with each line's character range in it."""
    parts, ranges, at = [], [], 0
    for line in lines:
        t = collapse(line["text"])
        ranges.append((at, at + len(t)))
        parts.append(t)
        at += len(t) + 1
    page = " ".join(parts)
    pos, neg = set(), set()
    for snippets, target in ((record["with"], pos), (record["without"], neg)):
        for s in snippets:
            s = collapse(s)
            if not s:
                continue
            for a, b in occurrences(page, s):
                for k, (ls, le) in enumerate(ranges):
                    if ls < b and a < le:
                        target.add(k)
    labels = []
    for k in range(len(lines)):
        if k in pos and k not in neg:
            labels.append(1)
        elif k in neg and k not in pos:
            labels.append(0)
        else:
            labels.append(None)
    return labels


# The wording model: 2^bits hashed buckets, n-grams of shortest to longest
# characters, inverse regularisation strength C.
NGRAMS = dict(bits=18, shortest=3, longest=5, C=1.0)
NGRAM_FEATURES = ("ngram", "prev_ngram", "next_ngram")
# Code points of a line read for its wording (ngrams.rs's MAX_CHARS).
MAX_CHARS = 10_000
# The wording score of a page in a language the model does not judge.
NOT_JUDGED = -2.0


# The shape model: 2^bits buckets, n-grams of shortest to longest
# characters of the line's shape, inverse regularisation strength C.
SHAPE = dict(bits=16, shortest=3, longest=5, C=1.0)
SHAPE_FEATURES = ("shape_ngram", "prev_shape_ngram", "next_shape_ngram")
# Code points of a line read for its shape (ngrams.rs's SHAPE_MAX_CHARS).
SHAPE_MAX_CHARS = 200
# Letters in a row kept in a shape: a word's length beyond four says little.
SHAPE_RUN = 4


def shape_class(c: str) -> str:
    """A character's class in a line's shape, by its Unicode general
    category: `A` an upper- or title-case letter, `a` any other letter or a
    mark, `0` a decimal digit, a space any separator or control character;
    anything else (punctuation, symbols) stands for itself."""
    cat = unicodedata.category(c)
    if cat in ("Lu", "Lt"):
        return "A"
    if cat[0] in "LM":
        return "a"
    if cat == "Nd":
        return "0"
    if cat in ("Zs", "Zl", "Zp", "Cc"):
        return " "
    return c


def line_shape(text: str) -> str:
    """The shape of the first SHAPE_MAX_CHARS code points of `text` without
    its white space at either end (a renderer's indentation): classes, runs
    of `a` and of `A` cut to SHAPE_RUN, runs of spaces to one, no space at
    either end, then one space added at each end."""
    out = []
    for c in text.strip()[:SHAPE_MAX_CHARS]:
        k = shape_class(c)
        if k == " " and (not out or out[-1] == " "):
            continue
        if k in "aA" and len(out) >= SHAPE_RUN and all(x == k for x in out[-SHAPE_RUN:]):
            continue
        out.append(k)
    return " " + "".join(out).strip(" ") + " "


def shape_ngrams(text: str) -> list:
    """The character n-grams of the line's shape (ngrams.rs's shape tokens)."""
    s = line_shape(text)
    return [s[i:i + n] for n in range(SHAPE["shortest"], SHAPE["longest"] + 1) for i in range(len(s) - n + 1)]


def word_ngrams(text: str) -> list:
    """The character n-grams of each word of `text`, lower-cased and padded
    with a space on each side; a word shorter than the shortest n-gram
    counts once, whole (scikit-learn's `char_wb`; tapis-lines' ngrams.rs)."""
    lo, hi = NGRAMS["shortest"], NGRAMS["longest"]
    out = []
    for w in text[:MAX_CHARS].lower().split():
        w = " " + w + " "
        for n in range(lo, hi + 1):
            if len(w) < n:
                if n == lo:
                    out.append(w)
                break
            out.extend(w[i:i + n] for i in range(len(w) - n + 1))
    return out


NGRAM_VECTORS = HashingVectorizer(
    n_features=2 ** NGRAMS["bits"], analyzer=word_ngrams, alternate_sign=False, norm="l2")


SHAPE_VECTORS = HashingVectorizer(
    n_features=2 ** SHAPE["bits"], analyzer=shape_ngrams, alternate_sign=False, norm="l2")


def line_texts(pages: list):
    """The texts and labels of the labelled lines of `pages`."""
    texts, ys = [], []
    for p in pages:
        for line, lab in zip(p["lines"], p["labels"]):
            if lab is not None:
                texts.append(line["text"])
                ys.append(lab)
    return texts, np.array(ys, dtype=int)


def fit_wording(pages: list, vectors=None, C: float = NGRAMS["C"]):
    """The wording regression (or another over `vectors`) fitted on the
    labelled lines of `pages`."""
    texts, ys = line_texts(pages)
    vectors = vectors or NGRAM_VECTORS
    return LogisticRegression(C=C, max_iter=2000).fit(vectors.transform(texts), ys)


def fit_shape(pages: list):
    """The shape regression fitted on the labelled lines of `pages`."""
    return fit_wording(pages, SHAPE_VECTORS, SHAPE["C"])


def quantized(lr):
    """The regression's intercept, weight scale and weights as int16."""
    w = lr.coef_.ravel()
    scale = float(np.abs(w).max()) / 32767 or 1.0
    return float(lr.intercept_[0]), scale, np.round(w / scale).astype("<i2")


def wording_scores(model, texts: list, vectors=None) -> np.ndarray:
    """Scores of `texts` by a fitted regression, or by a stored one
    (intercept, scale, int16 weights) exactly as tapis computes them."""
    if not texts:
        return np.zeros(0)
    x = (vectors or NGRAM_VECTORS).transform(texts)
    if isinstance(model, tuple):
        intercept, scale, q = model
        z = intercept + scale * (x @ q.astype(float))
        return 1.0 / (1.0 + np.exp(-z))
    return model.predict_proba(x)[:, 1]


def set_wording(p: dict, model, languages) -> None:
    """Puts a page's wording scores by `model`, and its lines' neighbours',
    into its feature rows (-1 where there is no neighbour, as in tapis), or
    NOT_JUDGED when its language is not in `languages`."""
    at = [p["feature_names"].index(n) for n in NGRAM_FEATURES]
    if not len(p["lines"]):
        return
    if p["language"] not in languages:
        p["x"][:, at] = NOT_JUDGED
        return
    scores = wording_scores(model, [l["text"] for l in p["lines"]])
    p["x"][:, at[0]] = scores
    p["x"][:, at[1]] = np.r_[-1.0, scores[:-1]]
    p["x"][:, at[2]] = np.r_[scores[1:], -1.0]


def set_shape(p: dict, model) -> None:
    """Puts a page's shape scores by `model`, and its lines' neighbours',
    into its feature rows (-1 where there is no neighbour, as in tapis)."""
    at = [p["feature_names"].index(n) for n in SHAPE_FEATURES]
    if not len(p["lines"]):
        return
    scores = wording_scores(model, [l["text"] for l in p["lines"]], SHAPE_VECTORS)
    p["x"][:, at[0]] = scores
    p["x"][:, at[1]] = np.r_[-1.0, scores[:-1]]
    p["x"][:, at[2]] = np.r_[scores[1:], -1.0]


def shape_masked(p: dict) -> dict:
    """A copy of page `p` with its shape not judged: the forest of pages
    whose wording is judged reads the wording, not the shape."""
    x = p["x"].copy()
    x[:, [p["feature_names"].index(n) for n in SHAPE_FEATURES]] = NOT_JUDGED
    return dict(p, x=x)


def masked(p: dict) -> dict:
    """A copy of page `p` with its wording not judged."""
    x = p["x"].copy()
    x[:, [p["feature_names"].index(n) for n in NGRAM_FEATURES]] = NOT_JUDGED
    return dict(p, x=x)


def wording_languages(pages: list, min_lines: int) -> list:
    """Page languages with at least `min_lines` labelled lines in `pages`."""
    count = {}
    for p in pages:
        count[p["language"]] = count.get(p["language"], 0) + sum(lab is not None for lab in p["labels"])
    return sorted(l for l, c in count.items() if l and c >= min_lines)


def write_wording(path: str, stored, languages: list, magic: bytes = b"tapis-ng", settings: dict = NGRAMS) -> None:
    """The model file tapis-lines' ngrams.rs reads (`tapis-ng`: n-grams of
    words; `tapis-sh`: of the line's shape)."""
    intercept, scale, q = stored
    codes = ",".join(languages).encode()
    with open(path, "wb") as f:
        f.write(magic + struct.pack(
            "<IIIddI", settings["bits"], settings["shortest"], settings["longest"], intercept, scale, len(codes)))
        f.write(codes)
        f.write(q.tobytes())


def write_parity(path: str, pages: list, stored, vectors=None) -> None:
    """Every 97th line of `pages` and some edge cases, with their scores."""
    texts = [l["text"] for p in pages for l in p["lines"]][::97]
    texts += ["", " \t ", "a", "ab", "A\x1cb", "Ǆ İstanbul ΣΊΣΥΦΟΣ", "東京都 の 天気", "🙂 ok 🙂", "© 2024 | Impressum",
              "Wörter und Sätze " * 1000, "Ǆemal ǅ 0123 ١٢٣ Ⅻ x\u0301 \u00a0 \u2028 \t end", "   "]
    with open(path, "w", encoding="utf-8") as f:
        for t, s in zip(texts, wording_scores(stored, texts, vectors)):
            f.write(json.dumps({"text": t, "score": float(s)}, ensure_ascii=False) + "\n")


# Gradient boosting settings.
BOOSTING = dict(max_iter=100, learning_rate=0.1, max_leaf_nodes=8, min_samples_leaf=50, l2_regularization=1.0, random_state=0)

# The direction each signal may move the score in, where what it means is
# clear (+1: more of it, more likely content; -1: less likely; 0: free).
# With few labelled pages, trees otherwise learn bumps that do not carry
# over to other sites.
MONOTONE = {
    "stop_ratio": 1, "prose": 1, "prev_prose": 1, "next_prose": 1, "window_prose": 1,
    "end_punct": 1, "in_main": 1, "in_region": 1, "block_weight": 1,
    "other_stop_ratio": -1, "other_minus_own": -1, "log_repeats": -1, "domain": -1,
    "phrase_share": -1, "lead_in": -1, "log_body_distance": -1, "log_main_distance": -1,
    "log_region_distance": -1, "log_before_body": -1, "log_after_body": -1,
}


def export_trees(clf):
    """The fitted trees as [[feature, threshold, left, right, value], ...] per
    tree; feature -1 marks a leaf. A line goes left when its feature is <=
    the threshold. Inner nodes carry their value scaled like the leaves (the
    root's is 0), so the changes along a line's path add up to its leaf
    value: that attributes the score to features (Saabas)."""
    trees = []
    for (predictor,) in clf._predictors:
        nodes = []
        for node in predictor.nodes:
            if node["is_leaf"]:
                nodes.append([-1, 0.0, 0, 0, float(node["value"])])
            else:
                nodes.append([
                    int(node["feature_idx"]), float(node["num_threshold"]),
                    int(node["left"]), int(node["right"]),
                    float(node["value"]) * clf.learning_rate,
                ])
        trees.append(nodes)
    return trees


# Policy::keep_between_kept, tapis-lines' default.
KEEP_BETWEEN_KEPT = 0.3


def never_kept_by_context(line) -> bool:
    """Signals::never_kept_by_context: without text, with the copyright sign,
    a breadcrumb trail, a byline, under a related-stories heading, repeated in the
    page, with a call-to-action phrase, a lead-in label or a link, or in
    another language."""
    s = line["signals"]
    return bool(s["no_text"] or s["copyright"] or s["breadcrumb"] or s["byline"] or s["in_related_list"] or s["repeats"] > 0
                or s["phrase_share"] > 0 or s["lead_in"] or s["domain"]
                or s["other_stop_ratio"] > s["stop_ratio"])


# signals::ONLY_PHRASES_SHARE
ONLY_PHRASES_SHARE = 0.9


def only_phrases(line) -> bool:
    """Signals::only_phrases: nothing but call-to-action, widget or legal phrases."""
    return line["signals"]["phrase_share"] >= ONLY_PHRASES_SHARE


# signals::MAX_COPYRIGHT_WORDS
MAX_COPYRIGHT_WORDS = 10


def removed_whatever_the_score(line) -> bool:
    """lib.rs's removed_whatever_the_score: without text, nothing but known
    phrases, a short line with the copyright sign, a byline, a breadcrumb trail,
    or a line under a related-stories heading that is not the headline."""
    s = line["signals"]
    return bool(s["no_text"] or only_phrases(line) or (s["copyright"] and s["words"] <= MAX_COPYRIGHT_WORDS)
                or s["byline"] or s["breadcrumb"] or (s["in_related_list"] and not s["headline"]))


def policy_keep(page, scores, threshold):
    """Which lines tapis keeps at `threshold` (as LineCleaner::clean
    decides): those with text scoring at least it or found to be the
    page's headline, and each run of lines scoring at
    least KEEP_BETWEEN_KEPT between two of them (the text's start and end
    counting as kept), except lines never kept for their context."""
    # The page's headline (headline.rs) is kept whatever its score; a line
    # removed whatever its score (removed_whatever_the_score) is not kept by
    # it either.
    headline = np.array([l["signals"]["headline"] for l in page["lines"]], dtype=bool)
    removed = np.array([removed_whatever_the_score(l) for l in page["lines"]], dtype=bool)
    kept = ((scores >= threshold) | headline) & ~removed
    out = kept.copy()

    def near(i):
        return not kept[i] and scores[i] >= KEEP_BETWEEN_KEPT and not never_kept_by_context(page["lines"][i])

    n, i = len(kept), 0
    while i < n:
        if near(i) and (i == 0 or kept[i - 1]):
            start = i
            while i < n and near(i):
                i += 1
            # The text's start and end count as kept lines.
            if (kept[i] if i < n else start > 0):
                out[start:i] = True
        else:
            i += 1
    return out


def snippet_counts(pages, keep_of) -> np.ndarray:
    """`with` snippets present in the kept text of `pages`, `with` snippets,
    `without` snippets present, `without` snippets; keep_of(page) gives each
    line's keep flag. Counts add up over groups of pages."""
    found = total_with = leaked = total_without = 0
    for page in pages:
        keep = keep_of(page)
        text = " ".join(collapse(l["text"]) for l, k in zip(page["lines"], keep) if k)
        for s in page["record"]["with"]:
            s = collapse(s)
            total_with += 1
            found += s in text
        for s in page["record"]["without"]:
            s = collapse(s)
            total_without += 1
            leaked += s in text
    return np.array([found, total_with, leaked, total_without])


def snippet_scores(pages, keep_of):
    """Share of `with` snippets present and of `without` snippets present
    in the kept text of `pages`; keep_of(page) gives each line's keep flag."""
    found, total_with, leaked, total_without = snippet_counts(pages, keep_of)
    return found / max(total_with, 1), leaked / max(total_without, 1)


def best_threshold(pages: list, key: str, max_leak: float, lowest: float = 0.02, highest: float = 0.98):
    """The threshold from `lowest` to `highest` on the scores `page[key]`
    that keeps the most `with` snippets of `pages` leaking at most
    `max_leak` of the `without` ones, as (threshold, keep, leak); None if
    none does."""
    best = None
    for t in np.round(np.arange(lowest, highest + 0.005, 0.01), 2):
        keep, leak = snippet_scores(pages, lambda p: policy_keep(p, p[key], t))
        if leak <= max_leak and (best is None or keep > best[1]):
            best = (float(t), keep, leak)
    return best


def read_records(path: str) -> dict:
    """The records of a JSONL file, by id."""
    records = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            records[r["id"]] = r
    return records


def labelled(pages: list, key: str = "x"):
    """The feature rows (`page[key]`) and labels of the labelled lines of
    `pages`."""
    xs, ys = [], []
    for p in pages:
        for k, lab in enumerate(p["labels"]):
            if lab is not None:
                xs.append(p[key][k])
                ys.append(lab)
    return np.array(xs), np.array(ys, dtype=int)


def explain(tapis: str, path: str, records: dict) -> list:
    """tapis's lines and features of every page in `path`, with labels."""
    run = subprocess.run(
        [tapis, "explain", "--json", "--features", path],
        check=True, capture_output=True, text=True,
    )
    pages = []
    for line in run.stdout.splitlines():
        p = json.loads(line)
        record = records[p["id"]]
        p["record"] = record
        p["site"] = site_of(record)
        p["test"] = held_out(p["site"])
        p["labels"] = page_labels(p["lines"], record)
        p["x"] = np.array([l["features"] for l in p["lines"]], dtype=float).reshape(-1, len(p["feature_names"]))
        pages.append(p)
    return pages


def cropped_pages(tapis: str, train: list, records: dict) -> list:
    """The cropped copies of the training pages (from the first content line
    to the end, from the first to the last, from the first boilerplate line
    to the end, and from the first content line to the first boilerplate
    line after the last), explained and labelled."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as tmp:
        cropped = {}
        for p in train:
            content = [l["line"] for l, lab in zip(p["lines"], p["labels"]) if lab == 1]
            if not content:
                continue
            boiler = [l["line"] for l, lab in zip(p["lines"], p["labels"]) if lab == 0]
            physical = p["record"]["text"].split("\n")
            crops = [("head", content[0], len(physical)), ("both", content[0], content[-1])]
            # Page edges that are boilerplate (see the module's doc). The lead
            # crop begins far from the article, so a headline that opens an
            # extracted text still reads as one.
            before = [n for n in boiler if n < content[0]]
            after = [n for n in boiler if n > content[-1]]
            if before:
                crops.append(("lead", before[0], len(physical)))
            if after:
                crops.append(("tail", content[0], after[0]))
            for kind, first, last in crops:
                r = dict(p["record"], id=f'{p["id"]}#{kind}', text="\n".join(physical[first - 1:last]))
                cropped[r["id"]] = r
                tmp.write(json.dumps(r, ensure_ascii=False) + "\n")
        tmp.flush()
        extra = explain(tapis, tmp.name, cropped)
    for p in extra:
        p["site"] = site_of(records[p["id"].rsplit("#", 1)[0]])
    return extra


URL_FEATURES = ("url_headline_offset", "url_headline_progress")


def without_url(tapis: str, pages: list) -> list:
    """Copies of `pages` as tapis reads them without their URL (text from a
    dump that kept no address): the URL's features as tapis gives them then,
    every other input (the wording and shape scores set on `pages`
    included) the page's own."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as tmp:
        bare = {}
        for p in pages:
            r = {k: v for k, v in p["record"].items() if k != "url"}
            r["id"] = f'{p["id"]}#no-url'
            bare[r["id"]] = r
            tmp.write(json.dumps(r, ensure_ascii=False) + "\n")
        tmp.flush()
        read = explain(tapis, tmp.name, bare)
    cols = [pages[0]["feature_names"].index(n) for n in URL_FEATURES]
    copies = []
    for p, q in zip(pages, read):
        assert q["id"] == f'{p["id"]}#no-url' and len(q["lines"]) == len(p["lines"]), q["id"]
        x = p["x"].copy()
        x[:, cols] = q["x"][:, cols]
        copies.append(dict(p, id=q["id"], x=x))
    return copies


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def page_scores(clf, p: dict, shift: float = 0.0) -> np.ndarray:
    """Each line's probability of being content, its log-odds moved by `shift`."""
    if not len(p["lines"]):
        return np.zeros(0)
    z = clf.decision_function(p["x"]) + shift
    return 1.0 / (1.0 + np.exp(-z))


def fit_forest(boosting: dict, train: list, extra: list, max_leak: float, chooses):
    """Boosted trees fitted on the labelled lines of `train` and `extra`,
    and the threshold (with its keep and leak) that keeps most on the
    training pages `chooses` picks, out of fold, leaking at most
    `max_leak`. Each page of `train` and `extra` keeps its out-of-fold
    scores in "oof"."""
    for f in range(FOLDS):
        clf = HistGradientBoostingClassifier(**boosting).fit(
            *labelled([p for p in train + extra if fold_of(p["site"]) != f]))
        for p in train + extra:
            if fold_of(p["site"]) == f:
                p["oof"] = page_scores(clf, p)
    clf = HistGradientBoostingClassifier(**boosting).fit(*labelled(train + extra))
    best = best_threshold([p for p in train if chooses(p)], "oof", max_leak)
    if best is None:
        sys.exit("no threshold leaks at most --max-leak on the training sites")
    return clf, best


# The context forest (crates/lines/src/context.rs): a second forest that
# re-scores each line from the first forests' scores of the line, of its
# neighbours and of the whole page. It is fitted on out-of-fold first
# scores, as those of a page tapis has never seen are.
CONTEXT_FEATURES = [
    "line_score", "prev_score", "next_score", "prev2_score", "next2_score", "prev3_score", "next3_score",
    "max_before", "max_after", "mean_around", "page_max", "page_q90", "log_strong_lines",
    "page_share_over_half", "page_rank", "log_from_strong_before", "log_to_strong_after",
    "weak_since_strong_before", "weak_until_strong_after", "between_strong",
]
# Inputs of the first forests the context forest reads as well: with the
# scores alone it cannot tell a short line from a long one at the same
# score, nor where the URL's headline is (on the training sites, out of fold,
# keep 0.892 at leak 0.099 with them, 0.878 / 0.098 without, 0.885 / 0.099
# with twenty of the first inputs).
CONTEXT_LINE_FEATURES = [
    "log_chars", "end_punct", "bullet", "prose", "url_headline_offset", "url_headline_progress",
    "log_before_body", "log_after_body",
]
# A line scoring at least STRONG is surely article, below WEAK surely not.
STRONG, WEAK = 0.9, 0.1
# Lines looked at around a line for the strongest score before and after it.
CONTEXT_REACH = 8
# Where a neighbour or a strong line does not exist.
NO_LINE, NO_STRONG = -1.0, 1000


def context_features(s: np.ndarray) -> np.ndarray:
    """The context forest's inputs for a page whose lines score `s`."""
    n = len(s)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    cols = [s]
    for d in (1, 2, 3):
        prev, nxt = np.full(n, NO_LINE), np.full(n, NO_LINE)
        if n > d:
            prev[d:], nxt[:-d] = s[:-d], s[d:]
        cols += [prev, nxt]
    before, after, mean = np.full(n, NO_LINE), np.full(n, NO_LINE), np.zeros(n)
    for i in range(n):
        if i:
            before[i] = s[max(0, i - CONTEXT_REACH):i].max()
        if i + 1 < n:
            after[i] = s[i + 1:i + 1 + CONTEXT_REACH].max()
        mean[i] = s[max(0, i - 2):i + 3].mean()
    ordered = np.sort(s)
    pos = 0.9 * (n - 1)
    lo = int(np.floor(pos))
    q90 = ordered[lo] + (ordered[min(lo + 1, n - 1)] - ordered[lo]) * (pos - lo)
    rank = np.searchsorted(ordered, s, side="left") / max(n - 1, 1)

    def from_strong(v):
        dist, weak = np.full(n, float(NO_STRONG)), np.zeros(n)
        last, lows = None, 0
        for i in range(n):
            if last is not None:
                dist[i], weak[i] = i - last, lows
            if v[i] >= STRONG:
                last, lows = i, 0
            elif v[i] < WEAK:
                lows += 1
        return dist, weak

    up, weak_up = from_strong(s)
    down, weak_down = (c[::-1] for c in from_strong(s[::-1]))
    cols += [before, after, mean, np.full(n, s.max()), np.full(n, q90), np.full(n, np.log1p((s >= STRONG).sum())),
             np.full(n, (s >= 0.5).mean()), rank, np.log1p(up), np.log1p(down), weak_up, weak_down,
             ((up < NO_STRONG) & (down < NO_STRONG)).astype(float)]
    return np.column_stack(cols)


def set_context(p: dict, first: np.ndarray, key: str = "cx") -> None:
    """Puts the context inputs of page `p` from its first scores `first`
    and its lines' own inputs."""
    p["first"] = first
    p[key] = np.column_stack([context_features(first), line_inputs(p)]) if len(p["lines"]) else \
        np.zeros((0, len(CONTEXT_FEATURES) + len(CONTEXT_LINE_FEATURES)))


def line_inputs(p: dict) -> np.ndarray:
    """The first forests' inputs the context forest reads too."""
    return p["x"][:, [p["feature_names"].index(n) for n in CONTEXT_LINE_FEATURES]]


def in_context(p: dict, clf) -> np.ndarray:
    """The context forest's scores of page `p` (set_context first). A line
    never kept for its neighbours' sake (never_kept_by_context) is not
    raised above its first score for them either."""
    if not len(p["lines"]):
        return np.zeros(0)
    scores = clf.predict_proba(p["cx"])[:, 1]
    never = np.array([never_kept_by_context(l) for l in p["lines"]], dtype=bool)
    return np.where(never, np.minimum(scores, p["first"]), scores)


def fit_context(boosting: dict, train: list, extra: list, max_leak: float):
    """The context forest fitted on the labelled lines of `train` and
    `extra` (their context inputs set), and the threshold that keeps most
    on `train` out of fold, leaking at most `max_leak`."""
    for f in range(FOLDS):
        clf = HistGradientBoostingClassifier(**boosting).fit(
            *labelled([p for p in train + extra if fold_of(p["site"]) != f], "cx"))
        for p in train:
            if fold_of(p["site"]) == f:
                p["oof_context"] = in_context(p, clf)
    clf = HistGradientBoostingClassifier(**boosting).fit(*labelled(train + extra, "cx"))
    best = best_threshold(train, "oof_context", max_leak)
    if best is None:
        sys.exit("no threshold leaks at most --max-leak on the training sites")
    return clf, best


def write_context_parity(path: str, pages: list, clf, n: int = 20) -> None:
    """First scores and context scores of `n` pages, for tapis's test that
    it computes the context inputs and walks the context trees the same."""
    with open(path, "w", encoding="utf-8") as f:
        for p in [p for p in pages if len(p["lines"])][:n]:
            scores = clf.predict_proba(p["cx"])[:, 1]  # before in_context's bound
            f.write(json.dumps({"id": p["id"], "first": [float(v) for v in p["first"]],
                                "line": line_inputs(p).tolist(),
                                "context": [float(v) for v in scores]}) + "\n")


def write_scores(path: str, pages: list) -> None:
    """Each page of `pages` as a JSON line: its id, site, language, snippets
    (the record without its text, which the lines hold), lines (text,
    signals, features with the wording and shape scores), the first
    forests' and the context forest's scores."""
    with open(path, "w", encoding="utf-8") as f:
        for p in pages:
            f.write(json.dumps({
                "id": p["id"], "site": p["site"], "language": p["language"],
                "record": {k: v for k, v in p["record"].items() if k != "text"},
                "feature_names": p["feature_names"],
                "lines": [{"text": l["text"], "signals": l["signals"], "features": [float(v) for v in x]}
                          for l, x in zip(p["lines"], p["x"])],
                "first": [float(v) for v in p["first"]], "score": [float(v) for v in p["score"]],
            }, ensure_ascii=False) + "\n")


def main() -> None:
    global HELD_OUT_REMAINDER, FOLDS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--data", default="../shared/data/trafilatura-eval/fullpage.jsonl")
    ap.add_argument("--out", default="crates/lines/model/lines.json")
    ap.add_argument("--ngrams-out", default="crates/lines/model/char_ngrams.bin")
    ap.add_argument("--parity-out", default="crates/lines/tests/ngram_parity.jsonl")
    ap.add_argument("--shape-out", default="crates/lines/model/shape_ngrams.bin")
    ap.add_argument("--shape-parity-out", default="crates/lines/tests/shape_parity.jsonl")
    ap.add_argument("--context-parity-out", default="crates/lines/tests/context_parity.jsonl")
    ap.add_argument("--scores-out", default=None,
                    help="also write the held-out pages' lines with their signals and scores (JSONL), "
                         "to try policies on without training")
    ap.add_argument("--folds", type=int, default=FOLDS,
                    help="folds of the training sites for out-of-fold scores (the wording, the first "
                         "forests' scores the context forest is fitted on, the thresholds)")
    ap.add_argument("--max-leak", type=float, default=0.10)
    ap.add_argument("--wording-min-lines", type=int, default=500)
    ap.add_argument("--held-out-remainder", type=int, default=0, choices=range(5),
                    help="hold out the sites whose md5(host) %% 5 is this (0 for the committed model)")
    args = ap.parse_args()
    HELD_OUT_REMAINDER = args.held_out_remainder
    FOLDS = args.folds

    records = read_records(args.data)
    pages = explain(args.tapis, args.data, records)
    names = pages[0]["feature_names"]
    boosting = dict(BOOSTING, monotonic_cst=[MONOTONE.get(n, 0) for n in names])
    train = [p for p in pages if not p["test"]]
    test = [p for p in pages if p["test"]]

    extra = cropped_pages(args.tapis, train, records)

    # The wording regression, fitted on the pages of the languages it
    # judges: out of fold on the training sites, stored (and quantized, as
    # tapis reads it) on the held-out ones.
    languages = wording_languages(train, args.wording_min_lines)

    def judged(p):
        return p["language"] in languages

    for f in range(FOLDS):
        lr = fit_wording([p for p in train + extra if fold_of(p["site"]) != f and judged(p)])
        for p in train + extra:
            if fold_of(p["site"]) == f:
                set_wording(p, lr, languages)
    wording = quantized(fit_wording([p for p in train + extra if judged(p)]))
    for p in test:
        set_wording(p, wording, languages)
    # The shape regression, on every page: out of fold on the training
    # sites, stored on the held-out ones.
    for f in range(FOLDS):
        lr = fit_shape([p for p in train + extra if fold_of(p["site"]) != f])
        for p in train + extra:
            if fold_of(p["site"]) == f:
                set_shape(p, lr)
    shape = quantized(fit_shape(train + extra))
    for p in test:
        set_shape(p, shape)
    # Every training page and crop once more without its URL, so that the
    # trees learn to judge a page whose URL names no headline from all of
    # them, not from the few whose URL has no slug. The regressions above
    # were fitted before, on each text once.
    n_lines = int(len(labelled(train + extra)[1]))
    extra = extra + without_url(args.tapis, train + extra)
    unjudged_train = [masked(p) for p in train]
    unjudged_extra = [masked(p) for p in extra]
    unjudged_test = [masked(p) for p in test]

    # Two forests: one for pages whose wording is judged, fitted with the
    # scores, and one for the others, fitted on every page with them masked.
    judged_train, judged_extra = [shape_masked(p) for p in train], [shape_masked(p) for p in extra]
    judged_clf, judged_best = fit_forest(boosting, judged_train, judged_extra, args.max_leak, judged)
    plain_clf, plain_best = fit_forest(boosting, unjudged_train, unjudged_extra, args.max_leak, lambda p: True)
    # The plain forest's scores are shifted in log-odds so that it cuts at
    # the judged one's threshold: one scale for the context forest.
    shift = logit(judged_best[0]) - logit(plain_best[0])

    def first_scores(p, plain):
        return page_scores(plain_clf, p, shift) if plain else page_scores(judged_clf, shape_masked(p))

    # The context forest, on the first forests' out-of-fold scores of every
    # training page and crop (each by the forest that reads it).
    for views in ((train, judged_train, unjudged_train), (extra, judged_extra, unjudged_extra)):
        for p, pj, pu in zip(*views):
            if judged(p):
                first = pj["oof"]
            else:
                first = 1.0 / (1.0 + np.exp(-(np.log(pu["oof"] / (1.0 - pu["oof"])) + shift))) if len(pu["oof"]) else pu["oof"]
            set_context(p, first)
    context_boosting = dict(BOOSTING, monotonic_cst=[1 if n == "line_score" else 0 for n in CONTEXT_FEATURES]
                            + [MONOTONE.get(n, 0) for n in CONTEXT_LINE_FEATURES])
    context_clf, context_best = fit_context(context_boosting, train, extra, args.max_leak)
    t = context_best[0]
    first_t = judged_best[0]

    def final_scores(p, plain):
        set_context(p, first_scores(p, plain))
        return in_context(p, context_clf)

    for p in pages:
        p["score"] = final_scores(p, not judged(p))
    test_keep, test_leak = snippet_scores(test, lambda p: policy_keep(p, p["score"], t))
    first_keep, first_leak = snippet_scores(test, lambda p: policy_keep(p, p["first"], first_t))
    asis_keep, asis_leak = snippet_scores(test, lambda p: [True] * len(p["lines"]))
    for p in unjudged_test:
        p["score"] = final_scores(p, True)
    plain_keep, plain_leak = snippet_scores(unjudged_test, lambda p: policy_keep(p, p["score"], t))
    bare_test = without_url(args.tapis, test)
    for p in bare_test:
        p["score"] = final_scores(p, not judged(p))
    bare_keep, bare_leak = snippet_scores(bare_test, lambda p: policy_keep(p, p["score"], t))

    if args.scores_out:
        write_scores(args.scores_out, test)
    write_wording(args.ngrams_out, wording, languages)
    write_parity(args.parity_out, pages, wording)
    write_wording(args.shape_out, shape, [], b"tapis-sh", SHAPE)
    write_parity(args.shape_parity_out, pages, shape, SHAPE_VECTORS)
    write_context_parity(args.context_parity_out, test, context_clf)
    model = {
        "features": names,
        "baseline": float(judged_clf._baseline_prediction.ravel()[0]),
        "threshold": t,
        "training": {
            "data": "trafilatura-eval fullpage.jsonl (with/without snippets)",
            "script": "crates/lines/tools/train_lines.py",
            "split": f"sites whose md5(host) % 5 == {HELD_OUT_REMAINDER} held out",
            "train_pages": len(train),
            "test_pages": len(test),
            "labelled_lines": n_lines,
            "max_leak": args.max_leak,
            "boosting": BOOSTING,
            "wording": dict(NGRAMS, languages=languages, min_lines=args.wording_min_lines),
            "shape": dict(SHAPE, max_chars=SHAPE_MAX_CHARS, run=SHAPE_RUN),
            "monotone": MONOTONE,
            "context": dict(strong=STRONG, weak=WEAK, reach=CONTEXT_REACH),
            "train_out_of_fold": {"keep": round(context_best[1], 4), "leak": round(context_best[2], 4)},
            "held_out": {"keep": round(test_keep, 4), "leak": round(test_leak, 4)},
            "first_forests_alone": {
                "threshold": first_t,
                "train_out_of_fold": {"keep": round(judged_best[1], 4), "leak": round(judged_best[2], 4)},
                "held_out": {"keep": round(first_keep, 4), "leak": round(first_leak, 4)},
            },
            "held_out_wording_not_judged": {"keep": round(plain_keep, 4), "leak": round(plain_leak, 4)},
            "held_out_without_url": {"keep": round(bare_keep, 4), "leak": round(bare_leak, 4)},
        },
        "unjudged": {
            "baseline": float(plain_clf._baseline_prediction.ravel()[0]) + shift,
            "threshold_before_shift": plain_best[0],
            "trees": export_trees(plain_clf),
        },
        "trees": export_trees(judged_clf),
        "context": {
            "features": CONTEXT_FEATURES + CONTEXT_LINE_FEATURES,
            "baseline": float(context_clf._baseline_prediction.ravel()[0]),
            "trees": export_trees(context_clf),
        },
    }
    with open(args.out, "w", encoding="utf-8") as f:
        # One tree per line: readable diffs, a file of modest size.
        def tree_lines(trees):
            return ",\n".join("  " + json.dumps(t, separators=(",", ":")) for t in trees)
        head = {k: v for k, v in model.items() if k not in ("trees", "unjudged", "context")}
        text = json.dumps(head, indent=1)[:-2]
        plain = {k: v for k, v in model["unjudged"].items() if k != "trees"}
        plain_text = json.dumps(plain, indent=1).replace("\n", "\n ")[:-3]
        f.write(text + ',\n "unjudged": ' + plain_text + ',\n  "trees": [\n' + tree_lines(model["unjudged"]["trees"])
                + '\n  ]\n },\n "trees": [\n' + tree_lines(model["trees"]) + "\n ],\n"
                + ' "context": {\n  "features": ' + json.dumps(CONTEXT_FEATURES + CONTEXT_LINE_FEATURES) + ',\n  "baseline": '
                + json.dumps(model["context"]["baseline"]) + ',\n  "trees": [\n' + tree_lines(model["context"]["trees"])
                + "\n  ]\n }\n}\n")
    print(f"pages: {len(train)} training, {len(test)} held out; {n_lines} labelled lines", file=sys.stderr)
    print(f"first forests alone, threshold {first_t}: training sites, out of fold: keep {judged_best[1]:.3f} "
          f"leak {judged_best[2]:.3f} (pages in {', '.join(languages)}); held-out sites: keep {first_keep:.3f} "
          f"leak {first_leak:.3f}", file=sys.stderr)
    print(f"with the context forest, threshold {t}: training sites, out of fold: keep {context_best[1]:.3f} "
          f"leak {context_best[2]:.3f}", file=sys.stderr)
    print(f"held-out sites: keep {test_keep:.3f} leak {test_leak:.3f} (text as is: keep {asis_keep:.3f} leak {asis_leak:.3f})", file=sys.stderr)
    print(f"training sites, wording not judged on any page, out of fold: threshold {plain_best[0]}: "
          f"keep {plain_best[1]:.3f} leak {plain_best[2]:.3f}", file=sys.stderr)
    print(f"held-out sites, wording not judged on any page: keep {plain_keep:.3f} leak {plain_leak:.3f}", file=sys.stderr)
    print(f"held-out sites, read without their URL: keep {bare_keep:.3f} leak {bare_leak:.3f}", file=sys.stderr)
    curve = [(u, *snippet_scores(test, lambda p: policy_keep(p, p["score"], u))) for u in (0.4, 0.5, 0.6, 0.7)]
    print("held-out sites at other thresholds: " + ", ".join(f"{u}: {k:.3f}/{l:.3f}" for u, k, l in curve), file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
