#!/usr/bin/env python3
"""Synthetic multilingual corpus with planted duplicates, for dedup at scale.

    bench/.venv/bin/python bench/synthetic_corpus.py --docs 1000000 \\
        --out bench/scratch/synthetic/synthetic_1000000.jsonl.zst

Writes N documents as one zstd-compressed JSONL file, streaming in batches
(memory is bounded whatever N: about 1.6 GB for the vocabulary, the pools of
sources and a batch), and beside it a sidecar
`NAME.plant.json` with what was planted. Needs numpy and zstandard (the
bench venv). Deterministic: the same --docs, --seed and options give the
same bytes.

The text: made-up words (395,000, in ten "languages" of seven scripts:
Latin with and without accents, Cyrillic, Greek, Arabic, Devanagari, Hangul,
Georgian), built from each language's syllables, commoner words shorter;
each document in one language, words drawn from that language's vocabulary
with Zipf frequencies (exponent 1, so the commonest word is about 9 % of a
language's words, as in real text), sentences ending with "." and some
paragraph breaks. Document lengths are log-normal (median 60 words, 20 to
3,000): 10 million documents are about 6.5 GB of JSONL, 2.35 GB at zstd
level 9. Words are distinct after datatrove's `simplify_text` (lower case,
accents and other non-spacing marks removed), so the planted Jaccard
similarities below are the ones tapis sees.

Every record is `{"id", "text", "lang", "plant"}`, plus `"copy_of"` (the id
of the source) for planted copies. Each document, after a first 5,000 that
are all unique, is by chance (shares --exact-share and --near-share):

- `unique`: freshly drawn words;
- `exact`: a copy of an earlier unique document; half are the same text, half
  have their punctuation and paragraph breaks drawn again (the same text
  after `simplify_text`, so still an exact duplicate for tapis);
- `near`: a copy of an earlier unique document of at least 80 words with
  1 + words // 250 word edits (substitution 1/2, deletion 1/4, insertion 1/4,
  at random places): the Jaccard similarity of 5-word shingles is at least
  about 0.87 and is computed for every near copy; the sidecar gives its
  distribution and the expected share that MinHash LSH with 14 bands of 8
  rows finds, sum over the copies of 1 - (1 - J^8)^14.

Sources are drawn from a pool of 100,000 earlier unique documents renewed
batch by batch, so a copy can be millions of documents away from its source.
"""

import argparse
import json
import threading
import queue
import time
import unicodedata
from pathlib import Path

import numpy as np
import zstandard

# name, share of documents, consonants, vowels, vocabulary size. A word is
# one to five syllables (consonant + vowel, some with a closing consonant);
# Hangul syllables are single characters, Devanagari ones a consonant with a
# vowel sign, Arabic ones a consonant with an optional long vowel.
LANGUAGES = [
    ("xla", 0.22, "bcdfghjklmnprstvz", "aeiou", 50_000),
    ("xfr", 0.12, "bcdfghjlmnprstv", "aeiouéèàôû", 40_000),
    ("xde", 0.10, "bdfghklmnprstwzß", "aeiouäöü", 40_000),
    ("xpl", 0.08, "bcdgjklłmnprsśtwzż", "aeiouóąę", 40_000),
    ("xru", 0.14, "бвгджзклмнпрстфхцчш", "аеиоуыэюя", 45_000),
    ("xel", 0.06, "βγδζθκλμνξπρστφχ", "αεηιουω", 35_000),
    ("xar", 0.12, "بتثجحخدذرزسشصضطعغفقكلمنه", ["", "", "ا", "و", "ي"], 40_000),
    ("xhi", 0.08, [chr(c) for c in range(0x0915, 0x0939 + 1)],
     ["", "\u093e", "\u093f", "\u0940", "\u0941", "\u0942", "\u0947", "\u0948", "\u094b", "\u094c"], 35_000),
    ("xko", 0.08, None, None, 35_000),
    ("xka", 0.05, "ბგდვზთკლმნპრსტფქღშჩცძწხჯჰ", "აეიოუ", 35_000),
]

# Separator after each word: " ", ", ", ". ", paragraph break, end of text.
SEPARATORS = [b" ", b", ", b". ", b".\\n\\n", b"."]
SEP_P = np.array([0.855, 0.05, 0.08, 0.015])  # the last word always gets "."
END = 4
MEDIAN_WORDS = 60
SIGMA = 0.55
MIN_WORDS, MAX_WORDS = 20, 3000
NEAR_MIN_WORDS = 80
POOL = 100_000
RENEW = 0.2  # share of a batch's unique documents that enter the pools
WARMUP = 5_000
BATCH = 50_000
SHINGLE = 5
BANDS, ROWS = 14, 8


def normal_form(word: str) -> str:
    """What datatrove's simplify_text leaves of a word of letters."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn")


def syllables(rng, consonants, vowels):
    if consonants is None:  # Hangul: 600 syllables of the 11,172
        return [chr(0xAC00 + int(c)) for c in rng.choice(11172, 600, replace=False)]
    open_ = [c + v for c in consonants for v in vowels]
    closed = [s + c for s in open_ for c in list(consonants)[:6]]
    return open_ + [closed[i] for i in rng.choice(len(closed), min(len(closed), len(open_)), replace=False)]


def make_vocabulary(rng):
    """Per language: a list of words, commonest first (and shorter)."""
    vocab, seen = [], set()
    for name, _, consonants, vowels, size in LANGUAGES:
        syl = syllables(rng, consonants, vowels)
        words = []
        while len(words) < size:
            ranks = np.arange(len(words), len(words) + 2 * (size - len(words)))
            counts = np.clip(np.round(0.3 + 0.5 * np.log10(ranks + 1) + rng.normal(0, 0.5, ranks.size)), 1, 5)
            picks = rng.integers(0, len(syl), (ranks.size, 5)).tolist()
            for n, p in zip(counts.astype(int).tolist(), picks):
                w = "".join(syl[i] for i in p[:n])
                key = normal_form(w)
                if key not in seen:
                    seen.add(key)
                    words.append(w)
                    if len(words) == size:
                        break
        vocab.append(words)
    return vocab


class Corpus:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        vocab = make_vocabulary(self.rng)
        self.offsets = np.cumsum([0] + [len(v) for v in vocab])
        self.sizes = np.array([len(v) for v in vocab])
        self.weights = np.array([lang[1] for lang in LANGUAGES])
        self.weights /= self.weights.sum()
        self.lang_names = [lang[0].encode() for lang in LANGUAGES]
        words = [w.encode() for v in vocab for w in v]
        self.n_words = len(words)
        # token = separator * n_words + word: the bytes of a word with what follows it
        tokens = [w + s for s in SEPARATORS for w in words]
        self.token_len = np.array([len(t) for t in tokens], dtype=np.int64)
        self.tokens = np.array(tokens, dtype=object)
        self.log_sizes = np.log(self.sizes + 1.0)
        self.sep_cdf = np.cumsum(SEP_P) / SEP_P.sum()

    def draw_words(self, langs, counts):
        """Global word ids for runs of counts[i] words in language langs[i]:
        ranks with P(rank < r) = ln(r + 1) / ln(V + 1), Zipf with exponent 1
        in the continuous form, so drawing is one formula."""
        lang_of = np.repeat(langs, counts)
        rank = np.exp(self.rng.random(lang_of.size) * self.log_sizes[lang_of]).astype(np.int64) - 1
        return np.minimum(rank, self.sizes[lang_of] - 1) + self.offsets[lang_of]

    def draw_seps(self, counts):
        seps = np.searchsorted(self.sep_cdf, self.rng.random(int(counts.sum()))).astype(np.int8)
        seps[np.cumsum(counts) - 1] = END
        return seps


def shingle_keys(flat, lens):
    """Distinct 64-bit keys of the 5-word shingles of each run of words
    (runs of lens[g] words in flat), mixed with the run's number g."""
    starts = np.cumsum(lens) - lens
    n = np.maximum(lens - SHINGLE + 1, 0)
    group = np.repeat(np.arange(lens.size), n)
    pos = np.repeat(starts - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))
    h = np.zeros(pos.size, dtype=np.uint64)
    for j in range(SHINGLE):
        h = h * np.uint64(0x100000001B3) + flat[pos + j].astype(np.uint64) + np.uint64(1)
    h ^= (group.astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    keys, first = np.unique(h, return_index=True)
    return keys, group[first]


def jaccard(sources, copies):
    """Exact Jaccard similarity of the 5-word shingle sets, pair by pair."""
    m = len(sources)
    ks, gs = shingle_keys(np.concatenate(sources), np.array([w.size for w in sources]))
    kc, gc = shingle_keys(np.concatenate(copies), np.array([w.size for w in copies]))
    allk = np.concatenate([ks, kc])
    allg = np.concatenate([gs, gc])
    order = np.argsort(allk, kind="stable")
    allk, allg = allk[order], allg[order]
    both = allk[1:] == allk[:-1]
    inter = np.bincount(allg[:-1][both], minlength=m)
    union = np.bincount(gs, minlength=m) + np.bincount(gc, minlength=m) - inter
    return inter / union


def near_copy(c, rng, w, s, lang):
    """w, s with 1 + len // 250 word edits at random places."""
    edits = {"substitution": 0, "deletion": 0, "insertion": 0}
    k = 1 + w.size // 250
    u = rng.random((k, 2))
    new = c.draw_words(np.full(k, lang), np.ones(k, dtype=np.int64))
    for e in range(k):
        pos = int(u[e, 1] * (w.size - 1))  # never the last word
        if u[e, 0] < 0.5:
            if new[e] == w[pos]:
                new[e] = c.offsets[lang] + (new[e] - c.offsets[lang] + 1) % c.sizes[lang]
            w = w.copy() if e == 0 else w
            w[pos] = new[e]
            edits["substitution"] += 1
        elif u[e, 0] < 0.75:
            w, s = np.delete(w, pos), np.delete(s, pos)
            edits["deletion"] += 1
        else:
            w, s = np.insert(w, pos, new[e]), np.insert(s, pos, 0)
            edits["insertion"] += 1
    return w, s, edits


def renew(rng, pool, entries):
    """Fill the pool, then replace random members with a share of entries."""
    free = POOL - len(pool)
    pool.extend(entries[:free])
    rest = entries[free:]
    if rest:
        take = np.flatnonzero(rng.random(len(rest)) < RENEW)
        for i, slot in zip(take.tolist(), rng.integers(0, POOL, take.size).tolist()):
            pool[slot] = rest[i]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, required=True, help="number of documents")
    ap.add_argument("--out", required=True, help="output file, .jsonl.zst")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--exact-share", type=float, default=0.05)
    ap.add_argument("--near-share", type=float, default=0.05)
    ap.add_argument("--level", type=int, default=9, help="zstd level")
    args = ap.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sidecar = out.with_name(out.name.removesuffix(".jsonl.zst") + ".plant.json")
    start = time.perf_counter()
    c = Corpus(args.seed)
    rng = c.rng
    vocab_seconds = time.perf_counter() - start
    pool_all, pool_long = [], []  # (id, lang, words, separators) of earlier unique documents
    counts = {"unique": 0, "exact": 0, "near": 0}
    exact_repunctuated = 0
    near_edits = {"substitution": 0, "deletion": 0, "insertion": 0}
    near_j = []
    uncompressed = 0
    total_words = 0

    # compression runs on its own thread, beside the generation
    q = queue.Queue(maxsize=3)
    tmp = out.with_name(out.name + ".part")
    fh = open(tmp, "wb")
    writer = zstandard.ZstdCompressor(level=args.level).stream_writer(fh)

    def drain():
        while (chunk := q.get()) is not None:
            writer.write(chunk)
        writer.close()

    t = threading.Thread(target=drain)
    t.start()

    kind_names = (b"unique", b"exact", b"near")
    done = 0
    while done < args.docs:
        b = min(WARMUP if done == 0 else BATCH, args.docs - done)
        if done == 0:
            kinds = np.zeros(b, dtype=np.int8)
        else:
            kinds = np.searchsorted(np.cumsum([1 - args.exact_share - args.near_share, args.exact_share]),
                                    rng.random(b), side="right").astype(np.int8)
        uniq = np.flatnonzero(kinds == 0)
        lens_u = np.clip(np.round(np.exp(rng.normal(np.log(MEDIAN_WORDS), SIGMA, uniq.size))),
                         MIN_WORDS, MAX_WORDS).astype(np.int64)
        langs_u = rng.choice(len(LANGUAGES), size=uniq.size, p=c.weights)
        words_u = c.draw_words(langs_u, lens_u)
        seps_u = c.draw_seps(lens_u)
        starts_u = np.cumsum(lens_u) - lens_u

        doc_len = np.zeros(b, dtype=np.int64)
        doc_start = np.zeros(b, dtype=np.int64)  # in concat(words_u, copy words)
        doc_lang = np.zeros(b, dtype=np.int64)
        doc_src = np.zeros(b, dtype=np.int64)
        doc_len[uniq], doc_start[uniq], doc_lang[uniq] = lens_u, starts_u, langs_u

        copy_idx = np.flatnonzero(kinds != 0)
        pick_all = rng.integers(0, max(len(pool_all), 1), copy_idx.size)
        pick_long = rng.integers(0, max(len(pool_long), 1), copy_idx.size)
        redo = rng.random(copy_idx.size) < 0.5
        copy_w, copy_s, srcs, cops = [], [], [], []
        at = words_u.size
        for n, i in enumerate(copy_idx.tolist()):
            if kinds[i] == 1:
                sid, lang, w, s = pool_all[pick_all[n]]
                if redo[n]:
                    s = c.draw_seps(np.array([w.size]))
                    exact_repunctuated += 1
            else:
                sid, lang, src, s = pool_long[pick_long[n]]
                w, s, edits = near_copy(c, rng, src, s, lang)
                for key, v in edits.items():
                    near_edits[key] += v
                srcs.append(src)
                cops.append(w)
            copy_w.append(w)
            copy_s.append(s)
            doc_len[i], doc_start[i], doc_lang[i], doc_src[i] = w.size, at, lang, sid
            at += w.size
        if cops:
            near_j.append(jaccard(srcs, cops))

        # every token of the batch in document order, then the bytes cut per document
        all_w = np.concatenate([words_u] + copy_w)
        all_s = np.concatenate([seps_u] + copy_s)
        out_start = np.cumsum(doc_len) - doc_len
        gather = np.repeat(doc_start - out_start, doc_len) + np.arange(int(doc_len.sum()))
        tok = all_s[gather].astype(np.int64) * c.n_words + all_w[gather]
        text = b"".join(c.tokens[tok].tolist())
        ends = np.cumsum(c.token_len[tok])[np.cumsum(doc_len) - 1].tolist()
        starts = [0] + ends[:-1]
        names = [c.lang_names[x] for x in doc_lang.tolist()]
        kl = kinds.tolist()
        src = doc_src.tolist()
        lines = [b'{"id":"d%09d","text":"%s","lang":"%s","plant":"%s%s"}\n'
                 % (done + i, text[starts[i]:ends[i]], names[i], kind_names[kl[i]],
                    b'","copy_of":"d%09d' % src[i] if kl[i] else b"")
                 for i in range(b)]
        chunk = b"".join(lines)
        uncompressed += len(chunk)
        total_words += int(doc_len.sum())
        q.put(chunk)
        counts["unique"] += int(uniq.size)
        counts["exact"] += int((kinds == 1).sum())
        counts["near"] += int((kinds == 2).sum())

        # later copies come from pools of earlier unique documents
        cand = rng.permutation(uniq.size)
        entries = [(done + int(uniq[j]), int(langs_u[j]), words_u[starts_u[j]:starts_u[j] + lens_u[j]].copy(),
                    seps_u[starts_u[j]:starts_u[j] + lens_u[j]].copy())
                   for j in cand[:max(POOL - len(pool_all), int(uniq.size * RENEW * 1.5))].tolist()]
        renew(rng, pool_all, entries)
        renew(rng, pool_long, [e for e in entries if e[2].size >= NEAR_MIN_WORDS])
        done += b
        if done % 1_000_000 < b or done == args.docs:
            print(f"{done:,} documents, {uncompressed / 1e9:.2f} GB, {time.perf_counter() - start:.0f} s", flush=True)

    q.put(None)
    t.join()
    fh.close()
    tmp.replace(out)
    j = np.concatenate(near_j) if near_j else np.zeros(0)
    p_found = 1 - (1 - j ** ROWS) ** BANDS
    info = {
        "generator": "bench/synthetic_corpus.py",
        "docs": args.docs, "seed": args.seed, "exact_share": args.exact_share, "near_share": args.near_share,
        "file": out.name, "uncompressed_bytes": uncompressed, "compressed_bytes": out.stat().st_size,
        "zstd_level": args.level, "words": total_words,
        "planted": counts,
        "exact_repunctuated": exact_repunctuated,
        "near_min_words": NEAR_MIN_WORDS, "near_edits": near_edits,
        "near_jaccard": {
            "min": float(j.min()) if j.size else None,
            "p01": float(np.quantile(j, 0.01)) if j.size else None,
            "median": float(np.median(j)) if j.size else None,
            "below_0.8": int((j < 0.8).sum()), "below_0.85": int((j < 0.85).sum()),
        },
        "near_expected_found_lsh": float(p_found.sum()),
        "lsh": {"bands": BANDS, "rows": ROWS, "shingle_words": SHINGLE},
        "vocabulary_words": c.n_words,
        "languages": [lang[0] for lang in LANGUAGES],
        "median_words": MEDIAN_WORDS, "words_min_max": [MIN_WORDS, MAX_WORDS],
        "seconds": time.perf_counter() - start, "vocabulary_seconds": vocab_seconds,
    }
    sidecar.write_text(json.dumps(info, indent=1) + "\n")
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
