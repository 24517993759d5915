"""Parity of tapis-text's spaCy-English tokenizer and sentence counter with datatrove/spaCy.

For every input text, compares
  * the words datatrove's `split_into_words(text, "eng")` returns with tapis `spacy_en_words`;
  * for every non-empty stripped line of `text.splitlines()`, `len(split_into_sentences(line))`
    (what datatrove's C4 filter adds up) with tapis `spacy_sentence_count`.

The tapis side is the `tokenize` example of crates/text, built and run with cargo from this
repository. Run with a Python that has datatrove (and spaCy) installed:

    python bench/tokenizer_parity.py --jsonl fullpage.jsonl
    python bench/tokenizer_parity.py --txt page.txt --lines sentences/de.txt --lines sentences/zh.txt

--lines takes each line of a file as one text (first --sample lines, default 200); --fuzz N adds
N random texts glued from pieces that exercise the rules.
"""

import argparse
import collections
import difflib
import hashlib
import json
import os
import pickle
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_texts(args):
    texts = []  # (source, text)
    for path in args.jsonl or []:
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                if line.strip():
                    texts.append((f"{os.path.basename(path)}:{i}", json.loads(line).get("text") or ""))
    for path in args.txt or []:
        with open(path, encoding="utf-8") as f:
            texts.append((os.path.basename(path), f.read()))
    for path in args.lines or []:
        with open(path, encoding="utf-8") as f:
            lines = [ln.rstrip("\n") for ln in f if ln.strip()]
        for i, ln in enumerate(lines[: args.sample]):
            texts.append((f"{os.path.basename(path)}:{i}", ln))
    if args.fuzz:
        texts.extend(fuzz_texts(args.fuzz, args.seed))
    return texts


# Pieces that exercise the tokenizer's rules (exceptions, affixes, infixes, URLs, emoticons);
# --fuzz glues random runs of them together, with and without spaces.
FUZZ_PIECES = [
    "don't", "Don't", "can't", "I'm", "y'all", "'s", "’s", "'S", "n't", "e.g.", "U.S.", "Mr.", "a.m.", "10a.m.",
    "Jan.", "St.", "i.e.", ":)", ":-(", "<3", "^_^", "(:", ":P", "xD", "o.O", "C++", "°C.", "°F", "5km", "10km/h",
    "3.5", "$10", "US$5", "5$", "€", "10%", "+49", "+", "-", "--", "---", "—", "––", "~", "...", "…", "……", ".", "..",
    ",", ";", ":", "!", "?", "(", ")", "[", "]", "{", "}", "<", ">", "=", "/", "*", "^", "&", "#", "_", "'", '"',
    "“", "”", "„", "«", "»", "‘", "’", "`", "´", "§", "©", "®", "°", "™", "✓", "😀", "🇩🇪", "東京", "タワー",
    "http://example.com/a?b=1", "https://www.tapis.org", "www.example.de", "foo@bar.com", "user:pw@host.io:8080/x",
    "192.168.1.1", "8.8.8.8", "10.0.0.1", "a", "b", "A", "B", "AB", "abc", "XYZ", "Straße", "Über", "żółw",
    "Łódź", "naïve", "ÉCOLE", "1", "12", "123", "2024", "0", "x", "Z", "ß", "ü", "й", "Я", "α", "Ω", "ا", "١٢",
    "\n", "\t", "​", "­", "-8", "8-", "(-", "=)", ">:(", "o_o", "v.v",
    "U.S.A.", "Ph.D.", "1,000", "1.000,50", "12/05/2020", "12:05", "e-mail", "well-known", "A-Z", "3-4", "3*4",
    "2^8", "x/y", "a=b", "a<b", "K.", "F.", "Mt.", "mailto:x@y.org", "ftp://1.2.3.4:21/", "a@b", "@", "://",
    "www.", ".com", "example.Com", "ÄÖ.", "Nr.", "z.B.", "bzw.", "ca.", "S.", "''", "'em", "and/or", "vs.",
]
FUZZ_SEPS = ["", "", "", " ", " ", "  ", "\n", " \n", "\t", "\u00a0", "\u3000"]


def fuzz_texts(n, seed):
    import random

    rng = random.Random(seed)
    out = []
    for i in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts.append(rng.choice(FUZZ_PIECES))
            parts.append(rng.choice(FUZZ_SEPS))
        out.append((f"fuzz:{i}", "".join(parts)))
    return out


def spacy_side(texts, cache):
    key = hashlib.sha1("\x00".join(t for _, t in texts).encode("utf-8", "surrogatepass")).hexdigest()
    if cache and os.path.exists(cache):
        with open(cache, "rb") as f:
            stored = pickle.load(f)
        if stored.get("key") == key:
            return stored["results"]
    from datatrove.utils.text import split_into_sentences, split_into_words

    results = []
    for i, (_, text) in enumerate(texts):
        words = split_into_words(text, "eng")
        sents = []
        for line in text.splitlines():
            line = line.strip()
            if line:
                sents.append(len(split_into_sentences(line, "eng")))
        results.append({"words": words, "sentences": sents})
        if (i + 1) % 100 == 0:
            print(f"  spaCy: {i + 1}/{len(texts)}", file=sys.stderr)
    if cache:
        with open(cache, "wb") as f:
            pickle.dump({"key": key, "results": results}, f)
    return results


def tapis_side(texts):
    payload = "".join(json.dumps({"text": t}) + "\n" for _, t in texts).encode("utf-8", "surrogatepass")
    cmd = ["cargo", "run", "--release", "--quiet", "-p", "tapis-text", "--example", "tokenize"]
    proc = subprocess.run(cmd, input=payload, cwd=REPO, capture_output=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        raise SystemExit("tapis tokenize example failed")
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    assert len(out) == len(texts), (len(out), len(texts))
    return out


def compare(texts, ref, got, show):
    same_docs = 0
    tok_total = 0
    tok_diff = 0
    lines_total = 0
    lines_same = 0
    diff_tokens = collections.Counter()
    examples = []
    for (src, _), r, g in zip(texts, ref, got):
        rw, gw = r["words"], g["words"]
        tok_total += len(rw)
        if rw == gw:
            same_docs += 1
        else:
            sm = difflib.SequenceMatcher(None, rw, gw, autojunk=False)
            for op, i1, i2, j1, j2 in sm.get_opcodes():
                if op == "equal":
                    continue
                tok_diff += max(i2 - i1, j2 - j1)
                a, b = " ".join(rw[i1:i2]), " ".join(gw[j1:j2])
                diff_tokens[f"spacy[{a}] tapis[{b}]"] += 1
                if len(examples) < show:
                    examples.append(f"{src}: spacy {rw[max(0, i1 - 3):i2 + 3]} | tapis {gw[max(0, j1 - 3):j2 + 3]}")
        rs, gs = r["sentences"], g["sentences"]
        lines_total += len(rs)
        if len(rs) == len(gs):
            lines_same += sum(1 for x, y in zip(rs, gs) if x == y)
        else:
            examples.append(f"{src}: line count differs {len(rs)} vs {len(gs)}")
    n = len(texts)
    print(f"texts: {n}")
    print(f"documents with identical words: {same_docs}/{n} = {100.0 * same_docs / max(n, 1):.2f} %")
    print(f"words (spaCy): {tok_total}, differing: {tok_diff} ({100.0 * tok_diff / max(tok_total, 1):.4f} %)")
    print(f"non-empty lines with identical sentence counts: {lines_same}/{lines_total} = "
          f"{100.0 * lines_same / max(lines_total, 1):.2f} %")
    if diff_tokens:
        print("most frequent differences:")
        for k, c in diff_tokens.most_common(20):
            print(f"  {c:5d}  {k}")
    if examples:
        print("examples:")
        for e in examples[:show]:
            print("  " + e)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jsonl", action="append", help="JSONL file with a `text` field (repeatable)")
    ap.add_argument("--txt", action="append", help="text file taken as one document (repeatable)")
    ap.add_argument("--lines", action="append", help="text file, one document per line (repeatable)")
    ap.add_argument("--sample", type=int, default=200, help="lines taken from each --lines file")
    ap.add_argument("--fuzz", type=int, default=0, help="also test this many random texts built from tricky pieces")
    ap.add_argument("--seed", type=int, default=0, help="seed for --fuzz")
    ap.add_argument("--cache", help="pickle file caching the spaCy results between runs")
    ap.add_argument("--show", type=int, default=10, help="number of example differences to print")
    args = ap.parse_args()
    texts = load_texts(args)
    if not texts:
        ap.error("no input")
    ref = spacy_side(texts, args.cache)
    got = tapis_side(texts)
    compare(texts, ref, got, args.show)


if __name__ == "__main__":
    main()
