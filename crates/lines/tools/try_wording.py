#!/usr/bin/env python3
"""Tries other cuts of a line into tokens for the wording signal.

train_lines.py is run as it is, with the regression's tokens swapped: the
shipped character 3- to 5-grams of each word (`char`), word 1- and 2-grams
(`word`), character n-grams plus those of the line's shape, where every
letter is `a` or `A` and every digit `0` (`shape`), or the shipped n-grams
hashed into 2^16 buckets instead of 2^18 (`bits16`), or character n-grams
plus the line's first word and first two words as tokens (`opening`). It prints
train_lines.py's figures (held-out sites at the out-of-fold threshold and
at fixed ones) and writes its models under --work, not into the crate.

    bench/.venv/bin/python crates/lines/tools/try_wording.py --variant word \\
        [--wording-min-lines 500] [--tapis target/release/tapis] [--work bench/scratch/try_wording]
"""
import argparse
import os
import re
import sys

from sklearn.feature_extraction.text import HashingVectorizer

import train_lines as T

WORD = re.compile(r"\w+")


def word_grams(text: str) -> list:
    words = WORD.findall(text.lower())
    return words + [a + " " + b for a, b in zip(words, words[1:])]


def shape_of(text: str) -> str:
    return "".join("0" if c.isdigit() else "A" if c.isupper() else "a" if c.isalpha() else c for c in text)


def with_shape(text: str) -> list:
    # The shape's n-grams are marked so they never share a bucket name with
    # the text's own.
    return T.word_ngrams(text) + ["\x00" + g for g in T.word_ngrams(shape_of(text))]


def with_opening(text: str) -> list:
    # The line's first word and first two words as tokens of their own
    # ("lesen sie", "foto"): boilerplate often announces itself at the start.
    words = WORD.findall(text[:T.MAX_CHARS].lower())
    opening = ["\x01" + " ".join(words[:k]) for k in (1, 2) if len(words) >= k]
    return T.word_ngrams(text) + opening


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--variant", choices=["char", "word", "shape", "bits16", "opening"], required=True)
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--data", default="../shared/data/trafilatura-eval/fullpage.jsonl")
    ap.add_argument("--work", default="bench/scratch/try_wording")
    ap.add_argument("--wording-min-lines", default="500", help="passed to train_lines.py")
    args = ap.parse_args()

    analyzer = {"char": T.word_ngrams, "word": word_grams, "shape": with_shape, "bits16": T.word_ngrams,
                "opening": with_opening}[args.variant]
    if args.variant == "bits16":
        T.NGRAMS["bits"] = 16
    T.NGRAM_VECTORS = HashingVectorizer(
        n_features=2 ** T.NGRAMS["bits"], analyzer=analyzer, alternate_sign=False, norm="l2")
    os.makedirs(args.work, exist_ok=True)
    out = os.path.join(args.work, args.variant)
    print(f"variant {args.variant}:", file=sys.stderr)
    sys.argv = [sys.argv[0], "--tapis", args.tapis, "--data", args.data, "--out", out + ".json",
                "--ngrams-out", out + ".bin", "--parity-out", out + "_parity.jsonl",
                "--wording-min-lines", args.wording_min_lines]
    T.main()


if __name__ == "__main__":
    main()
