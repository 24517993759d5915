"""Writes tests/data/datatrove_minhash.jsonl.zst: datatrove's MinHash signatures.

The fixture is the output of datatrove 0.10.1's MinHash signature step
(`datatrove.pipeline.dedup.minhash.MinhashDedupSignature`) with the default
`MinhashConfig()`: 5-gram shingles of `simplify_text` output, tokenized with
the English word tokenizer (spaCy blank "en"), hashed with 64-bit xxhash,
14 buckets x 8 hashes, seed 1. Every value comes from datatrove's own classes
and functions; nothing here re-implements them.

Input: the first `--docs` (300) lines of the trafilatura evaluation set
`fullpage.jsonl` (JSON lines with fields id, url, text), followed by six
synthetic edge cases defined in SYNTHETIC below.

Output: zstd-compressed JSONL (level 19, UTF-8, ensure_ascii=False), one
record per line:

1. `{"kind": "parameters", "seed": 1, "num_hashes": 112, "a": [...], "b": [...]}`
   -- the permutation parameters (`step.parameters`) of the default config.
2. Further "parameters" records for (seed, num_hashes) in EXTRA_PARAMETERS,
   made with `MinhashConfig(seed=S, num_buckets=N, hashes_per_bucket=1)`;
   these exercise numpy's `RandomState(seed).randint(..., dtype=uint64)`.
3. One "document" record per input document, keys in this order:
   - "id": the document id (real documents) or a synthetic id;
   - "text": the input text (synthetic documents only);
   - "simplified": `simplify_text(text, step.config.norm_config)`, stored
     for the synthetic documents and the first SIMPLIFIED_DOCS real ones;
     otherwise "simplified_sha1": hex SHA-1 of the UTF-8 simplified text;
   - "words": `len(step.word_tokenizer.word_tokenize(simplified))`;
   - "shingles": number of rows of `step.get_shingles(text)`;
   - "first_shingles": the first 3 shingle hashes;
   - "signature": `step.get_signature(shingles)` (14 lists of 8 ints), or
     null when the document has no shingles (fewer than 5 words), in which
     case datatrove writes no signature for it.

All integers are unsigned 64-bit values written as JSON integers.

Shingles are `xxhash.xxh64_intdigest(" ".join(ngram))` on a str. datatrove
0.10.1 declares `xxhash<4`, whose functions hash a str as its UTF-8 bytes;
xxhash 4 rejects str ("Strings must be encoded before hashing"). With
xxhash >= 4 installed the script therefore wraps datatrove's hash function so
that it receives the UTF-8 encoding of the same string, which gives the same
values as xxhash 3.x (checked against xxhash 3.8.2: identical output file).

The script is deterministic: the same inputs and library versions give the same bytes.

Regenerate from the repository root with:

    bench/.venv/bin/python crates/dedup/tools/datatrove_minhash_reference.py
"""

import argparse
import hashlib
import io
import json
import os
import sys
import tempfile
from importlib.metadata import version

import xxhash
import zstandard
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.utils.text import simplify_text
from datatrove.utils.typeshelper import Languages

DATATROVE_VERSION = "0.10.1"
EXTRA_PARAMETERS = [(0, 10), (42, 20), (1, 3)]
SIMPLIFIED_DOCS = 20
FIRST_SHINGLES = 3
ZSTD_LEVEL = 19

SYNTHETIC = [
    ("synthetic:empty", ""),
    ("synthetic:three-words", "Three short words"),
    ("synthetic:five-words", "Exactly five words are here"),
    ("synthetic:punct-digits", "12.5, 3,4 !!! ٣٫٥"),
    (
        "synthetic:diacritics-scripts",
        "Crème brûlée à Paris — İstanbul'da ÇAY içtik; Москва 2024: ΑΘΗΝΑ",
    ),
    (
        "synthetic:control-chars",
        "alpha\tbeta\x0bgamma\x0cdelta\x1fepsilon\x7fzeta\x85eta\x00theta iota\t\tkappa",
    ),
]


def utf8_hash_func(step):
    """Give datatrove's hash function UTF-8 bytes, as xxhash<4 does for a str."""
    if int(xxhash.VERSION.split(".")[0]) < 4:
        return
    hash_func = step._hash_func
    step._hash_func = lambda text: hash_func(text.encode("utf-8") if isinstance(text, str) else text)


def parameters_record(step):
    a, b = step.parameters
    return {
        "kind": "parameters",
        "seed": step.config.seed,
        "num_hashes": step.num_hashes,
        "a": [int(x) for x in a.reshape(-1)],
        "b": [int(x) for x in b.reshape(-1)],
    }


def document_record(step, doc_id, text, keep_text, keep_simplified):
    simplified = simplify_text(text, step.config.norm_config)
    words = step.word_tokenizer.word_tokenize(simplified)
    shingles = step.get_shingles(text)
    n_shingles = int(shingles.shape[0])
    # get_shingles tokenizes the same simplified text, so the counts must agree.
    assert n_shingles == max(0, len(words) - step.config.n_grams + 1), (doc_id, n_shingles, len(words))
    record = {"kind": "document", "id": doc_id}
    if keep_text:
        record["text"] = text
    if keep_simplified:
        record["simplified"] = simplified
    else:
        record["simplified_sha1"] = hashlib.sha1(simplified.encode("utf-8")).hexdigest()
    record["words"] = len(words)
    record["shingles"] = n_shingles
    record["first_shingles"] = [int(x) for x in shingles[:FIRST_SHINGLES, 0]]
    record["signature"] = step.get_signature(shingles) if shingles.size != 0 else None
    return record


def read_docs(path, limit):
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if len(docs) >= limit:
                break
            if line.strip():
                obj = json.loads(line)
                docs.append((obj["id"], obj["text"]))
    if len(docs) < limit:
        sys.exit(f"{path}: only {len(docs)} documents, {limit} requested")
    return docs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/trafilatura-eval/fullpage.jsonl")
    parser.add_argument("--out", default="crates/dedup/tests/data/datatrove_minhash.jsonl.zst")
    parser.add_argument("--docs", type=int, default=300)
    args = parser.parse_args()

    installed = version("datatrove")
    if installed != DATATROVE_VERSION:
        sys.exit(f"datatrove {DATATROVE_VERSION} required, found {installed}")

    docs = read_docs(args.data, args.docs)
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        step = MinhashDedupSignature(output_folder=tmp, config=MinhashConfig(), language=Languages.english)
        utf8_hash_func(step)
        records.append(parameters_record(step))
        for seed, n in EXTRA_PARAMETERS:
            extra = MinhashDedupSignature(
                output_folder=tmp,
                config=MinhashConfig(seed=seed, num_buckets=n, hashes_per_bucket=1),
                language=Languages.english,
            )
            records.append(parameters_record(extra))
        for i, (doc_id, text) in enumerate(docs):
            records.append(document_record(step, doc_id, text, False, i < SIMPLIFIED_DOCS))
        for doc_id, text in SYNTHETIC:
            records.append(document_record(step, doc_id, text, True, True))

    buf = io.StringIO()
    for record in records:
        buf.write(json.dumps(record, ensure_ascii=False))
        buf.write("\n")
    data = buf.getvalue().encode("utf-8")
    compressed = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(compressed)
    print(f"{args.out}: {len(records)} records, {len(data)} bytes, {len(compressed)} compressed", file=sys.stderr)


if __name__ == "__main__":
    main()
