#!/usr/bin/env python3
"""Near-duplicate detection accuracy: `tapis dedup --mode near`, datatrove
0.10.1's MinHash pipeline and datasketch's MinHashLSH, scored against the
labelled set of bench/near_dup_set.py; then tapis's clusters compared with
datatrove's on that set, on the real pages and on both together.

    bench/.venv/bin/python bench/near_dup_set.py
    bench/.venv/bin/python bench/dedup_accuracy.py --tapis target/release/tapis
    bash bench/dedup_accuracy.sh                  # both, after building tapis

All three use FineWeb's settings: 5-word shingles of datatrove's simplify_text
and English word tokenizer, 14 bands of 8 hashes (112), threshold about 0.72.

- tapis: the binary, `--mode near`. A document's cluster is its own id when
  kept (`metadata.dup_cluster_id`), `metadata.tapis.duplicate_of` when removed.
- datatrove: MinhashDedupSignature -> MinhashDedupBuckets (one task per bucket,
  as a 14-task executor runs them) -> MinhashDedupCluster (save_cluster_id,
  save_cluster_size) -> MinhashDedupFilter (load_cluster_ids), each step's
  `run` called in this process, default MinhashConfig. Clusters are read from
  the `.clusters` file, removals from the `.remove` file, the document order
  from its JsonlReader.
- datasketch: MinHash(num_perm=112, hashfunc=xxhash.xxh64_intdigest,
  scheme="affine64") over the same shingle strings, MinHashLSH(num_perm=112,
  params=(14, 8)). datasketch 2.0.0's default scheme ("affine32") refuses 64-bit
  hash values; "affine64" takes them, pre-mixes them with MurmurHash3's
  finalizer and permutes them with a*h+b mod 2^64, so its signatures are other
  draws than datatrove's (which permute with (a*h+b) mod 2^61-1): the same LSH
  scheme, other hash functions. Its candidate pairs are the LSH query results;
  its clusters the connected components of those pairs.

Predicted duplicate pairs are all pairs of documents in one predicted cluster
(for all three, so that transitive clusters count as they act: one document
kept per cluster); the pairs sharing a band ("direct" candidates, before
clustering) are reported beside them for datasketch and datatrove. A pair is
a true duplicate when its true Jaccard (the set's labels) reaches the
threshold (`--thresholds`, 0.72 and 0.8). Wall times are side information: one
process, a machine of a few cores shared with other work.

Report: bench/results/dedup_accuracy.md and .json.
"""
import argparse
import collections
import json
import os
import platform
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine_free(text: str) -> str:
    """Paths relative to the repository (its parent as `..`), not this machine's."""
    return text.replace(f"{ROOT}/", "").replace(f"{ROOT.parent}/", "../")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from near_dup_set import BUCKETS, EDIT_TYPES, SHARED, Shingler, bucket_of  # noqa: E402

BANDS, ROWS = 14, 8


# ---------------------------------------------------------------------------
# Small helpers

class UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def key(a, b):
    return (a, b) if a < b else (b, a)


def clusters_of(cluster_of: dict) -> dict:
    groups = collections.defaultdict(list)
    for doc, c in cluster_of.items():
        groups[c].append(doc)
    return groups


def induced_pairs(cluster_of: dict) -> set:
    out = set()
    for members in clusters_of(cluster_of).values():
        members = sorted(members)
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                out.add((members[x], members[y]))
    return out


def nontrivial(cluster_of: dict) -> set:
    return {frozenset(m) for m in clusters_of(cluster_of).values() if len(m) > 1}


def prf(tp, predicted, positives):
    p = tp / predicted if predicted else None
    r = tp / positives if positives else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return p, r, f


def fmt(x, digits=3):
    return "—" if x is None else f"{x:.{digits}f}"


def s_curve(j):
    return 1 - (1 - j ** ROWS) ** BANDS


def read_jsonl(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


# ---------------------------------------------------------------------------
# The three systems

def run_tapis(binary: str, corpus: Path, out: Path, threads: int):
    cmd = [binary, "dedup", str(corpus), "-o", str(out), "--overwrite", "--format", "jsonl", "--mode", "near", "--no-url",
           "--ngrams", "5", "--bands", str(BANDS), "--rows", str(ROWS), "--seed", "1", "--threads", str(threads)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"tapis dedup failed ({' '.join(cmd)}): {proc.stderr[-2000:]}")
    cluster_of, removed, reasons, order = {}, {}, {}, []
    for path in sorted((out / "kept").glob("part-*.jsonl")):
        for r in read_jsonl(path):
            cluster_of[r["id"]] = r["metadata"]["dup_cluster_id"]
    for path in sorted((out / "removed").glob("part-*.jsonl")):
        for r in read_jsonl(path):
            t = r["metadata"]["tapis"]
            cluster_of[r["id"]] = t["duplicate_of"]
            removed[r["id"]] = t["duplicate_of"]
            reasons[r["id"]] = t["reason"]
    stats = json.loads((out / "stats.json").read_text())
    return {"cluster_of": cluster_of, "removed": removed, "reasons": reasons, "stats": stats,
            "times": {"total": seconds, "to_clusters (tapis's own clock)": sum(stats["step_seconds"][k] for k in ("map", "reduce", "cluster"))},
            "command": " ".join(cmd[:2] + ["INPUT"] + cmd[3:])}


def run_datatrove(corpus: Path, work: Path):
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader

    shutil.rmtree(work, ignore_errors=True)
    cfg = MinhashConfig()
    assert (cfg.n_grams, cfg.num_buckets, cfg.hashes_per_bucket, cfg.seed) == (5, BANDS, ROWS, 1)

    def reader():
        return JsonlReader(str(corpus.parent), glob_pattern=corpus.name, text_key="text", id_key="id")

    order = [d.id for d in reader().run()]
    times = {}
    t = time.perf_counter()
    MinhashDedupSignature(output_folder=str(work / "signatures"), config=cfg).run(reader().run(), rank=0, world_size=1)
    times["1 signatures"] = time.perf_counter() - t
    t = time.perf_counter()
    for rank in range(cfg.num_buckets):
        MinhashDedupBuckets(input_folder=str(work / "signatures"), output_folder=str(work / "buckets"),
                            config=cfg).run(rank=rank, world_size=cfg.num_buckets)
    times["2 buckets"] = time.perf_counter() - t
    t = time.perf_counter()
    MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove_ids"), config=cfg,
                        save_cluster_id=True, save_cluster_size=True).run(world_size=1)
    times["3 clusters"] = time.perf_counter() - t
    t = time.perf_counter()
    kept_ids = [d.id for d in MinhashDedupFilter(input_folder=str(work / "remove_ids"), load_cluster_ids=True,
                                                 load_cluster_sizes=True).run(reader().run(), rank=0, world_size=1)]
    times["4 filter"] = time.perf_counter() - t
    times["total"] = sum(times.values())

    def u32s(path: Path, fmt_: str):
        if not path.exists():
            return []
        data = path.read_bytes()
        size = struct.calcsize("<" + fmt_)
        return [struct.unpack_from("<" + fmt_, data, o) for o in range(0, len(data), size)]

    removed_idx = {x[0] for x in u32s(work / "remove_ids" / "000000.remove", "I")}
    cluster_of = {doc_id: f"single:{doc_id}" for doc_id in order}
    for idx, cid in u32s(work / "remove_ids" / "000000.clusters", "2I"):
        cluster_of[order[idx]] = f"c{cid}"
    # The kept document of each cluster names it, as tapis's clusters are named.
    kept_of = {}
    for idx, doc_id in enumerate(order):
        if idx not in removed_idx and not cluster_of[doc_id].startswith("single:"):
            kept_of[cluster_of[doc_id]] = doc_id
    cluster_of = {d: (kept_of.get(c, d) if not c.startswith("single:") else d) for d, c in cluster_of.items()}
    # Documents with a signature (the others have fewer than 5 words).
    sig_line = struct.calcsize(f"<{ROWS}QI")
    sig_data = (work / "signatures" / "bucket_000" / "00000.minhash.sig").read_bytes()
    signed = {order[struct.unpack_from("<I", sig_data, o + sig_line - 4)[0]] for o in range(0, len(sig_data), sig_line)}
    # Direct candidate pairs: documents with the same values in one band. A bucket's
    # .dups file chains each run of equal values, so its components are those runs.
    direct = set()
    for dups in sorted((work / "buckets").glob("*.dups")):
        uf = UnionFind()
        for f1, d1, f2, d2 in u32s(dups, "4I"):
            uf.union(d1, d2)
        groups = collections.defaultdict(list)
        for x in list(uf.parent):
            groups[uf.find(x)].append(order[x])
        for members in groups.values():
            members.sort()
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    direct.add((members[x], members[y]))
    assert len(kept_ids) == len(order) - len(removed_idx), "filter output disagrees with the .remove file"
    return {"cluster_of": cluster_of, "removed": {order[i]: cluster_of[order[i]] for i in removed_idx},
            "order": order, "signed": signed, "direct": direct, "times": times}


def run_datasketch(docs, shingler: Shingler, threshold: float):
    import xxhash
    from datasketch import MinHash, MinHashLSH

    times = {}
    t = time.perf_counter()
    shingle_strings = {}
    for d in docs:
        words = shingler.tokenizer.word_tokenize(shingler.simplified(d["text"]))
        shingle_strings[d["id"]] = sorted({" ".join(g) for g in shingler.ngrams(words, 5)})
    times["1 shingles (datatrove's tokenizer)"] = time.perf_counter() - t
    t = time.perf_counter()
    sketches = {}
    for doc_id, sh in shingle_strings.items():
        if sh:
            m = MinHash(num_perm=BANDS * ROWS, seed=1, hashfunc=xxhash.xxh64_intdigest, scheme="affine64")
            m.update_batch(sh)
            sketches[doc_id] = m
    times["2 minhash"] = time.perf_counter() - t
    t = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=BANDS * ROWS, params=(BANDS, ROWS))
    with lsh.insertion_session() as session:
        for doc_id, m in sketches.items():
            session.insert(doc_id, m)
    times["3 lsh insert"] = time.perf_counter() - t
    t = time.perf_counter()
    direct = set()
    for doc_id, m in sketches.items():
        for other in lsh.query(m):
            if other != doc_id:
                direct.add(key(doc_id, other))
    times["4 lsh query"] = time.perf_counter() - t
    t = time.perf_counter()
    uf = UnionFind()
    for a, b in direct:
        uf.union(a, b)
    cluster_of = {d["id"]: uf.find(d["id"]) for d in docs}
    times["5 components"] = time.perf_counter() - t
    times["total"] = sum(times.values())
    removed = {d: c for d, c in cluster_of.items() if d != c}
    hashed = {doc_id: {xxhash.xxh64_intdigest(s) for s in sh} for doc_id, sh in shingle_strings.items()}
    return {"cluster_of": cluster_of, "removed": removed, "direct": direct, "times": times}, hashed


# ---------------------------------------------------------------------------
# Scoring against the labels

def pair_group(label):
    kind, edits = label["kind"], label["edits"]
    if kind == "short":
        return "short documents (no shingle)"
    if kind == "cross":
        return "across families / singletons"
    if "original" in edits:
        other = [e for e in edits if e != "original"]
        return other[0] if other else "original"
    return "variant – variant"


GROUP_ORDER = EDIT_TYPES + ["variant – variant", "across families / singletons", "short documents (no shingle)",
                            "unlabelled (J < cross-min)"]


def score(system, labels, shingle_sets, cross_min, thresholds, docs):
    pred = induced_pairs(system["cluster_of"])
    ids = [d["id"] for d in docs]
    out = {"predicted_pairs": len(pred), "removed": len(system["removed"]), "thresholds": {}}
    unlabelled = pred - labels.keys()
    unl_j = []
    for a, b in unlabelled:
        sa, sb = shingle_sets.get(a, set()), shingle_sets.get(b, set())
        c = len(sa & sb)
        unl_j.append(c / (len(sa) + len(sb) - c) if sa and sb else 0.0)
    out["unlabelled_predicted_pairs"] = len(unlabelled)
    out["unlabelled_predicted_max_jaccard"] = max(unl_j) if unl_j else None
    if unl_j:
        assert max(unl_j) < cross_min, "a pair outside the labels reaches --cross-min: the labels are incomplete"
    direct = system.get("direct")
    for t in thresholds:
        pos = {k for k, v in labels.items() if v["jaccard"] >= t}
        tp = len(pred & pos)
        p, r, f = prf(tp, len(pred), len(pos))
        res = {"positives": len(pos), "tp": tp, "precision": p, "recall": r, "f1": f}
        if direct is not None:
            dtp = len(direct & pos)
            dp, dr, df = prf(dtp, len(direct), len(pos))
            res["direct"] = {"pairs": len(direct), "tp": dtp, "precision": dp, "recall": dr, "f1": df}
        # per edit type / pair group
        groups = collections.defaultdict(lambda: {"pairs": 0, "positives": 0, "predicted": 0, "tp": 0})
        for k, v in labels.items():
            g = groups[pair_group(v)]
            g["pairs"] += 1
            is_pos = v["jaccard"] >= t
            g["positives"] += is_pos
            if k in pred:
                g["predicted"] += 1
                g["tp"] += is_pos
        groups["unlabelled (J < cross-min)"]["predicted"] += len(unlabelled)
        for g in groups.values():
            g["precision"], g["recall"], g["f1"] = prf(g["tp"], g["predicted"], g["positives"])
        res["by_group"] = {k: groups[k] for k in GROUP_ORDER if k in groups}
        # clusters: connected components of true-duplicate pairs
        uf = UnionFind()
        for i in ids:
            uf.find(i)
        for a, b in pos:
            uf.union(a, b)
        true_of = {i: uf.find(i) for i in ids}
        true_sets = nontrivial(true_of)
        pred_sets = nontrivial(system["cluster_of"])
        pred_cluster = system["cluster_of"]
        exact = sum(1 for s in true_sets if s in pred_sets)
        merged = split = 0
        for s in true_sets:
            if s in pred_sets:
                continue
            pcs = {pred_cluster[d] for d in s}
            if len(pcs) > 1:
                split += 1
            else:
                merged += 1
        true_pairs = induced_pairs(true_of)
        ctp = len(pred & true_pairs)
        cp, cr, cf = prf(ctp, len(pred), len(true_pairs))
        from sklearn.metrics import adjusted_rand_score
        ari = adjusted_rand_score([true_of[i] for i in ids], [pred_cluster[i] for i in ids])
        res["clusters"] = {
            "true_clusters": len(true_sets), "recovered_exactly": exact,
            "recovered_share": exact / len(true_sets) if true_sets else None,
            "split": split, "merged_into_larger": merged, "predicted_clusters": len(pred_sets),
            "pairwise_precision": cp, "pairwise_recall": cr, "pairwise_f1": cf, "ari": ari,
            "ideal_removed": len(ids) - len(set(true_of.values())),
        }
        out["thresholds"][str(t)] = res
    # per true-Jaccard bucket (threshold-free: the share of the bucket's pairs predicted)
    buckets = collections.defaultdict(lambda: {"pairs": 0, "predicted": 0, "direct": 0, "s_curve": 0.0})
    for k, v in labels.items():
        if v["kind"] == "short":
            continue
        b = buckets[bucket_of(v["jaccard"])]
        b["pairs"] += 1
        b["predicted"] += k in pred
        b["direct"] += bool(direct is not None and k in direct)
        b["s_curve"] += s_curve(v["jaccard"])
    for j in unl_j:
        b = buckets["< cross-min (unlabelled)"]
        b["predicted"] += 1
    for b in buckets.values():
        b["predicted_share"] = b["predicted"] / b["pairs"] if b["pairs"] else None
        b["direct_share"] = (b["direct"] / b["pairs"] if b["pairs"] else None) if direct is not None else None
        b["s_curve_mean"] = b["s_curve"] / b["pairs"] if b["pairs"] else None
    out["by_bucket"] = dict(buckets)
    return out


# ---------------------------------------------------------------------------
# tapis against datatrove

def compare(tp, dt, simplified, corpus_name):
    """Partitions and removed sets of tapis and datatrove, each difference with its cause."""
    ct, cd = tp["cluster_of"], dt["cluster_of"]
    assert set(ct) == set(cd), "tapis and datatrove read different documents"
    pt, pd = nontrivial(ct), nontrivial(cd)
    only_t, only_d = pt - pd, pd - pt
    unsigned = set(ct) - dt["signed"]
    causes = collections.Counter()
    details = []
    for s in sorted(only_t, key=lambda s: sorted(s)):
        signed_part = frozenset(x for x in s if x in dt["signed"])
        dt_clusters = {cd[x] for x in signed_part}
        if s - signed_part and (len(signed_part) <= 1 or (len(dt_clusters) == 1 and
                                                          set(clusters_of(cd)[next(iter(dt_clusters))]) == signed_part)):
            # The extra members have no signature; tapis joined them by their exact text.
            texts = {simplified[x] for x in s - signed_part}
            cause = ("documents without a MinHash signature (< 5 words) joined by tapis's exact-text key; "
                     "datatrove skips them")
            causes[cause] += 1
            details.append({"tapis_cluster": sorted(s), "datatrove": sorted(signed_part) if len(signed_part) > 1 else [],
                            "cause": cause, "simplified_texts": sorted(texts)})
        else:
            causes["unexplained"] += 1
            details.append({"tapis_cluster": sorted(s), "datatrove_clusters": [sorted(clusters_of(cd)[c]) for c in
                                                                               {cd[x] for x in s}],
                            "cause": "unexplained"})
    for s in sorted(only_d, key=lambda s: sorted(s)):
        if any(s <= x for x in only_t):
            continue  # already listed as a tapis cluster with extra unsigned members
        causes["unexplained"] += 1
        details.append({"datatrove_cluster": sorted(s), "tapis_clusters": [sorted(clusters_of(ct)[c]) for c in
                                                                           {ct[x] for x in s}],
                        "cause": "unexplained"})
    rt, rd = set(tp["removed"]), set(dt["removed"])
    same = pt & pd
    other_kept = 0
    kept_diff_examples = []
    for s in same:
        kt = {x for x in s if x not in rt}
        kd = {x for x in s if x not in rd}
        if kt != kd:
            other_kept += 1
            if len(kept_diff_examples) < 5:
                kept_diff_examples.append({"cluster_size": len(s), "tapis_keeps": sorted(kt), "datatrove_keeps": sorted(kd)})
    # tapis keeps the first document of a cluster in reading order: check it.
    position = {d: i for i, d in enumerate(dt["order"])}
    first_kept = all(min(s, key=position.get) not in rt for s in pt)
    # reasons: does an "exact" removal name a kept document with the same simplified text?
    exact_not_of_kept = [d for d, r in tp["reasons"].items()
                         if r == "dedup/exact_duplicate" and simplified[d] != simplified[tp["removed"][d]]]
    near_but_exact = [d for d, r in tp["reasons"].items()
                      if r == "dedup/near_duplicate" and simplified[d] == simplified[tp["removed"][d]]]
    return {
        "corpus": corpus_name,
        "documents": len(ct),
        "documents_without_signature": len(unsigned),
        "tapis_clusters": len(pt), "datatrove_clusters": len(pd),
        "tapis_removed": len(rt), "datatrove_removed": len(rd),
        "partitions_equal": pt == pd,
        "clusters_only_tapis": len(only_t), "clusters_only_datatrove": len(only_d),
        "partition_difference_causes": dict(causes), "partition_differences": details[:20],
        "removed_sets_equal": rt == rd, "removed_only_tapis": len(rt - rd), "removed_only_datatrove": len(rd - rt),
        "same_clusters_other_document_kept": other_kept, "kept_difference_examples": kept_diff_examples,
        "tapis_keeps_first_in_reading_order": first_kept,
        "tapis_exact_removals_not_exact_copies_of_kept": len(exact_not_of_kept),
        "tapis_exact_removals_not_exact_copies_of_kept_examples": [
            {"id": d, "duplicate_of": tp["removed"][d]} for d in exact_not_of_kept[:5]],
        "tapis_near_removals_exact_copies_of_kept": len(near_but_exact),
        "tapis_reasons": dict(collections.Counter(tp["reasons"].values())),
    }


def cluster_jaccards(cluster_of, texts, shingler):
    """True Jaccard of every pair inside each predicted cluster (for the real pages)."""
    out = []
    cache = {}
    for members in clusters_of(cluster_of).values():
        if len(members) < 2:
            continue
        members = sorted(members)
        for m in members:
            if m not in cache:
                cache[m] = shingler.shingles(texts[m])
        js = []
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = cache[members[x]], cache[members[y]]
                c = len(a & b)
                js.append(c / (len(a) + len(b) - c) if a and b else float(texts[members[x]] == texts[members[y]]))
        out.append({"members": members, "min_jaccard": min(js), "max_jaccard": max(js)})
    return sorted(out, key=lambda x: x["members"])


# ---------------------------------------------------------------------------
# Report

def markdown(R, args):
    th = [str(t) for t in args.thresholds]
    S = R["set"]
    names = ["tapis", "datatrove", "datasketch"]
    md = ["# Near-duplicate detection accuracy: tapis dedup, datatrove's MinHash, datasketch MinHashLSH", "",
          f"Generated by `{R['command']}` (the set by `{S['command']}`), {R['date']}, "
          f"on {R['machine']}. tapis binary: `{args.tapis}` ({R['tapis_version']}, repository at commit "
          f"{R['git_commit']}). Reproduce with `bash bench/dedup_accuracy.sh` (builds tapis, or `TAPIS_BIN=...`), "
          "or the two scripts as above.", "",
          "All three use FineWeb's MinHash settings: 5-word shingles over datatrove's `simplify_text` and English "
          "word tokenizer, 14 bands × 8 hashes (112), so pairs are candidates from a Jaccard of about 0.72. "
          "A document's predicted cluster is tapis's `dup_cluster_id` / `duplicate_of`, datatrove's cluster id "
          "(`MinhashDedupCluster(save_cluster_id=True)`), datasketch's connected component of LSH candidate pairs; "
          "the predicted duplicate pairs are all pairs inside one predicted cluster.", "",
          "## How the set is made", "",
          f"`bench/near_dup_set.py` (seed {S['args']['seed']}) cuts each of the 990 pages of "
          "`trafilatura-eval/fullpage.jsonl` (whole pages as text, menus and footers included) to a window of "
          f"whole lines of at most {S['args']['max_words']} words around its middle. {S['families']} pages with at "
          f"least {S['args']['min_words']} words get a family: the window and {S['args']['variants'][0]} to "
          f"{S['args']['variants'][1]} variants, each from one edit of the original with a strength drawn so that "
          f"its Jaccard to the original lands in about {S['args']['target_min']}..1: exact copy; format only "
          "(whitespace, case, trailing punctuation, digits, all erased by `simplify_text`); words inserted, deleted, "
          "or replaced by words of another page of the same language; foreign-word swaps (words replaced by words of "
          "a page in another language, German ↔ English, the others English: the lingua test data has no "
          "translation pairs, its `word-pairs` are two words of one language); blocks of lines reordered; "
          "boilerplate (other pages' first or last lines added, or replacing the page's own first/last lines); or "
          f"a mix of two or three of these. The {S['singletons']} other pages are singletons (some from the same "
          f"sites as family pages), and {S['short_families']} families of short lines "
          f"(1–4 words, no 5-word shingle: {S['short_documents']} documents) test exact copies without a signature. "
          "The documents are shuffled.", "",
          f"Labels: the true Jaccard of the 5-word shingle sets, each shingle hashed with xxh64 exactly as "
          "datatrove's `MinhashDedupSignature.get_shingles` does (its own `simplify_text`, `ngrams` and "
          "`load_word_tokenizer(Languages.english)`), so a label is what MinHash estimates. Every pair of the set "
          f"is scored (a sparse product of the shingle sets): all pairs within a family are kept, and the "
          f"{S['cross_pairs_at_least_cross_min']} pairs across families with Jaccard ≥ {S['args']['cross_min']} "
          f"(of {S['cross_pairs_sharing_a_shingle']:,} sharing any shingle; the highest is "
          f"{S['cross_max']['jaccard']:.2f}, `{S['cross_max']['a']}` – `{S['cross_max']['b']}`: two pages of the "
          "source that are copies). A pair is a true duplicate when its Jaccard reaches the threshold.", "",
          f"| documents | bytes | families | family docs | singletons | short docs | within-family pairs | "
          + " | ".join(f"true dup pairs ≥ {t}" for t in th) + " |",
          "|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * len(th),
          f"| {S['documents']:,} | {S['bytes']:,} | {S['families']} | {S['family_documents']:,} | {S['singletons']} | "
          f"{S['short_documents']} | {S['within_pairs']:,} | "
          + " | ".join(f"{R['thresholds'][t]['positives']:,}" for t in th) + " |", "",
          "Variants by edit and Jaccard to their original:", "",
          "| edit | " + " | ".join(f"{lo:.1f}–{hi:.1f}" for lo, hi in BUCKETS) + " |",
          "|---|" + "---:|" * len(BUCKETS)]
    for e, hist in S["variant_to_original_by_edit_and_bucket"].items():
        md.append(f"| {e} | " + " | ".join(str(hist.get(f"{lo:.1f}-{hi:.1f}", 0)) for lo, hi in BUCKETS) + " |")
    md += ["", "## Duplicate pairs", "",
           "Precision and recall of the predicted duplicate pairs (pairs inside a predicted cluster) against the "
           "pairs whose true Jaccard reaches the threshold. \"direct\": the pairs that share a whole band (LSH "
           "candidates before clustering).", "",
           "| system | threshold | predicted pairs | true pairs | correct | precision | recall | F1 | removed docs |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for t in th:
        for n in names:
            s = R["systems"][n]
            x = s["thresholds"][t]
            md.append(f"| {n} | {t} | {s['predicted_pairs']:,} | {x['positives']:,} | {x['tp']:,} | {fmt(x['precision'])} | "
                      f"{fmt(x['recall'])} | {fmt(x['f1'])} | {s['removed']:,} |")
            if "direct" in x:
                d = x["direct"]
                md.append(f"| {n}, direct | {t} | {d['pairs']:,} | {x['positives']:,} | {d['tp']:,} | {fmt(d['precision'])} | "
                          f"{fmt(d['recall'])} | {fmt(d['f1'])} | |")
    t0 = th[0]
    md += ["", f"### By edit (threshold {t0})", "",
           "A pair of an original and a variant counts under the variant's edit; pairs of two variants, pairs "
           "across families and pairs of short documents have their own rows. Cells: precision / recall.", "",
           "| pairs | labelled | true dups | " + " | ".join(names) + " |", "|---|---:|---:|" + "---|" * len(names)]
    groups = R["systems"]["tapis"]["thresholds"][t0]["by_group"]
    for g in groups:
        row = [g, str(groups[g]["pairs"]), str(groups[g]["positives"])]
        for n in names:
            x = R["systems"][n]["thresholds"][t0]["by_group"].get(g)
            row.append(f"{fmt(x['precision'])} / {fmt(x['recall'])}" if x else "")
        md.append("| " + " | ".join(row) + " |")
    if len(th) > 1:
        t1 = th[1]
        md += ["", f"### By edit (threshold {t1})", "",
               "| pairs | true dups | " + " | ".join(names) + " |", "|---|---:|" + "---|" * len(names)]
        groups = R["systems"]["tapis"]["thresholds"][t1]["by_group"]
        for g in groups:
            row = [g, str(groups[g]["positives"])]
            for n in names:
                x = R["systems"][n]["thresholds"][t1]["by_group"].get(g)
                row.append(f"{fmt(x['precision'])} / {fmt(x['recall'])}" if x else "")
            md.append("| " + " | ".join(row) + " |")
    md += ["", "### By true Jaccard", "",
           "Share of the labelled pairs of each bucket predicted as duplicates (in a cluster; \"direct\": sharing a "
           "band). Above the threshold this is the recall, below it the rate of false matches. \"S-curve\": the "
           "probability 1 − (1 − J⁸)¹⁴ that a pair shares a band, averaged over the bucket's pairs. Short documents "
           "are left out.", "",
           "| true Jaccard | pairs | S-curve | tapis | datatrove | datatrove direct | datasketch | datasketch direct |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for lo, hi in BUCKETS:
        b = f"{lo:.1f}-{hi:.1f}"
        x = {n: R["systems"][n]["by_bucket"].get(b) for n in names}
        if not x["tapis"]:
            continue
        md.append(f"| {lo:.1f}–{hi:.1f} | {x['tapis']['pairs']:,} | {fmt(x['tapis']['s_curve_mean'])} | "
                  f"{fmt(x['tapis']['predicted_share'])} | {fmt(x['datatrove']['predicted_share'])} | "
                  f"{fmt(x['datatrove']['direct_share'])} | {fmt(x['datasketch']['predicted_share'])} | "
                  f"{fmt(x['datasketch']['direct_share'])} |")
    md.append("")
    md.append("Precision and recall within each bucket at threshold " + t0 + " (precision / recall; buckets below "
              "the threshold have no true pairs, so only the false matches show, as precision 0):")
    md += ["", "| true Jaccard | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for lo, hi in BUCKETS:
        b = f"{lo:.1f}-{hi:.1f}"
        row = [f"{lo:.1f}–{hi:.1f}"]
        for n in names:
            bb = R["systems"][n]["bucket_pr"][t0].get(b)
            row.append(f"{fmt(bb['precision'])} / {fmt(bb['recall'])}" if bb else "")
        md.append("| " + " | ".join(row) + " |")
    md += ["", "## Clusters", "",
           "True clusters: connected components of the true-duplicate pairs (over the whole set, singletons "
           "included). \"recovered\": true clusters of two or more documents that a system predicts exactly (same "
           "members); \"split\": spread over several predicted clusters; \"merged\": inside a larger predicted "
           "cluster. Pairwise figures compare the pairs inside predicted clusters with the pairs inside true "
           "clusters; ARI is the adjusted Rand index of the two partitions of all documents. \"ideal removed\": "
           "documents minus true clusters.", "",
           "| system | threshold | true clusters | recovered | split | merged | pairwise P | pairwise R | pairwise F1 | ARI | removed | ideal removed |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for t in th:
        for n in names:
            c = R["systems"][n]["thresholds"][t]["clusters"]
            md.append(f"| {n} | {t} | {c['true_clusters']} | {c['recovered_exactly']} ({fmt(c['recovered_share'])}) | "
                      f"{c['split']} | {c['merged_into_larger']} | {fmt(c['pairwise_precision'])} | "
                      f"{fmt(c['pairwise_recall'])} | {fmt(c['pairwise_f1'])} | {fmt(c['ari'])} | "
                      f"{R['systems'][n]['removed']:,} | {c['ideal_removed']:,} |")
    md += ["", "## tapis against datatrove", "",
           "Same documents, both with 5-grams, 14 × 8, seed 1. \"partitions\": the clusters of two or more "
           "documents, as sets of ids. \"removed sets\": which documents each removes.", "",
           "| corpus | documents | without signature | tapis clusters | datatrove clusters | partitions equal | tapis removed | datatrove removed | removed sets equal | same cluster, other doc kept |",
           "|---|---:|---:|---:|---:|---|---:|---:|---|---:|"]
    for c in R["comparison"]:
        md.append(f"| {c['corpus']} | {c['documents']:,} | {c['documents_without_signature']} | {c['tapis_clusters']} | "
                  f"{c['datatrove_clusters']} | {'yes' if c['partitions_equal'] else 'no'} | {c['tapis_removed']:,} | "
                  f"{c['datatrove_removed']:,} | {'yes' if c['removed_sets_equal'] else 'no'} | "
                  f"{c['same_clusters_other_document_kept']} |")
    md += [""]
    for c in R["comparison"]:
        lines = []
        if not c["partitions_equal"]:
            for cause, n in c["partition_difference_causes"].items():
                lines.append(f"  - {n} cluster(s) differ: {cause}.")
            for d in c["partition_differences"][:3]:
                lines.append(f"    e.g. `{json.dumps(d, ensure_ascii=False)[:400]}`")
        if c["same_clusters_other_document_kept"]:
            lines.append(f"  - {c['same_clusters_other_document_kept']} cluster(s) found by both keep another "
                         "document: tapis keeps the first of the cluster in reading order "
                         f"({'checked: always' if c['tapis_keeps_first_in_reading_order'] else 'NOT always'}), "
                         "datatrove the root of its union-find (`MinhashDedupCluster`): union by size over the "
                         "pairs as read from the 14 bucket files in turn, the larger set's root staying root (on "
                         "equal sizes the root of the pair's lower-numbered document), which is often not the "
                         "first document. "
                         f"So the removed sets differ by {c['removed_only_tapis']} + {c['removed_only_datatrove']} "
                         "documents although the clusters are the same.")
        if c["tapis_exact_removals_not_exact_copies_of_kept"]:
            lines.append(f"  - {c['tapis_exact_removals_not_exact_copies_of_kept']} of tapis's "
                         "`dedup/exact_duplicate` removals are not exact copies of the document named in "
                         "`duplicate_of` (they are exact copies of another member, and the cluster's kept document "
                         "is a near copy), e.g. " + ", ".join(
                             f"`{e['id']}` → `{e['duplicate_of']}`"
                             for e in c["tapis_exact_removals_not_exact_copies_of_kept_examples"][:2]) + ".")
        if lines:
            md.append(f"- **{c['corpus']}**:")
            md += lines
    md += ["", "Real near-duplicates in `fullpage.jsonl` as tapis clusters them (true Jaccard of the members):", ""]
    for c in R["fullpage_clusters"]:
        md.append(f"- {', '.join('`' + m + '`' for m in c['members'])}: Jaccard {c['min_jaccard']:.3f}"
                  + (f"–{c['max_jaccard']:.3f}" if c['max_jaccard'] != c['min_jaccard'] else ""))
    md += ["", "## Wall times (indicative)", "",
           f"One run each on this machine ({os.cpu_count()} cores, shared with other work: the times are indicative "
           "only). datatrove and datasketch run in this Python process, one core; tapis "
           f"with `--threads {args.threads}`. datasketch's shingling uses datatrove's tokenizer, the same cost as "
           "datatrove's signature step.", "",
           "| corpus | system | stage | seconds |", "|---|---|---|---:|"]
    for corpus, systems in R["times"].items():
        for n, stages in systems.items():
            for stage, secs in stages.items():
                md.append(f"| {corpus} | {n} | {stage} | {secs:.2f} |")
    return "\n".join(md) + "\n"


def bucket_pr(system_pred, labels, t):
    out = {}
    for lo, hi in BUCKETS:
        b = f"{lo:.1f}-{hi:.1f}"
        pos = pred = tp = 0
        for k, v in labels.items():
            if v["kind"] == "short" or bucket_of(v["jaccard"]) != b:
                continue
            is_pos = v["jaccard"] >= t
            pos += is_pos
            if k in system_pred:
                pred += 1
                tp += is_pos
        p, r, f = prf(tp, pred, pos)
        out[b] = {"positives": pos, "predicted": pred, "tp": tp, "precision": p, "recall": r}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapis", default="target/release/tapis")
    ap.add_argument("--set-dir", default=str(ROOT / "bench" / "scratch" / "near_dup"))
    ap.add_argument("--corpus", default=str(SHARED / "trafilatura-eval" / "fullpage.jsonl"),
                    help="real pages, compared as they are and mixed with the set")
    ap.add_argument("--work", default=str(ROOT / "bench" / "scratch" / "dedup_accuracy"))
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.72, 0.8])
    ap.add_argument("--threads", type=int, default=1, help="tapis --threads")
    ap.add_argument("--out-json", default=str(ROOT / "bench" / "results" / "dedup_accuracy.json"))
    ap.add_argument("--out-md", default=str(ROOT / "bench" / "results" / "dedup_accuracy.md"))
    args = ap.parse_args()
    from loguru import logger
    logger.remove()
    logger.add(sys.stderr, level="WARNING")

    set_dir, work = Path(args.set_dir), Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    set_path = set_dir / "set.jsonl"
    docs = list(read_jsonl(set_path))
    set_stats = json.loads((set_dir / "set_stats.json").read_text())
    cross_min = set_stats["args"]["cross_min"]
    labels = {}
    for p in read_jsonl(set_dir / "pairs.jsonl"):
        labels[key(p["a"], p["b"])] = p
    shingler = Shingler()
    R = {"command": " ".join(["bench/.venv/bin/python bench/dedup_accuracy.py"] + sys.argv[1:]),
         "date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
         "set": set_stats, "systems": {}, "times": {}, "comparison": [],
         "tapis_version": subprocess.run([args.tapis, "--version"], capture_output=True, text=True).stdout.strip(),
         "git_commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                      text=True).stdout.strip()}

    print("set: tapis ...", file=sys.stderr)
    tapis = run_tapis(args.tapis, set_path, work / "tapis_set", args.threads)
    tapis_all = run_tapis(args.tapis, set_path, work / "tapis_set_all_threads", 0)
    assert nontrivial(tapis_all["cluster_of"]) == nontrivial(tapis["cluster_of"]), "tapis clusters depend on threads"
    print("set: datasketch ...", file=sys.stderr)
    dsk, shingle_sets = run_datasketch(docs, shingler, args.thresholds[0])
    print("set: datatrove ...", file=sys.stderr)
    dt = run_datatrove(set_path, work / "datatrove_set")

    # The labels are datatrove's shingles: check every labelled pair against them.
    bad = 0
    for (a, b), v in labels.items():
        sa, sb = shingle_sets[a], shingle_sets[b]
        if sa and sb:
            c = len(sa & sb)
            bad += abs(c / (len(sa) + len(sb) - c) - v["jaccard"]) > 1e-5
    assert bad == 0, f"{bad} labels differ from the Jaccard of the shingles recomputed here"

    for name, system in [("tapis", tapis), ("datatrove", dt), ("datasketch", dsk)]:
        s = score(system, labels, shingle_sets, cross_min, args.thresholds, docs)
        pred = induced_pairs(system["cluster_of"])
        s["bucket_pr"] = {str(t): bucket_pr(pred, labels, t) for t in args.thresholds}
        R["systems"][name] = s
    R["thresholds"] = {str(t): {"positives": R["systems"]["tapis"]["thresholds"][str(t)]["positives"]}
                       for t in args.thresholds}
    R["times"]["near-dup set"] = {"tapis": tapis["times"], "datatrove": dt["times"], "datasketch": dsk["times"]}
    R["tapis_command"] = tapis["command"]
    simplified_set = {d["id"]: shingler.simplified(d["text"]) for d in docs}
    R["comparison"].append(compare(tapis, dt, simplified_set, "near-dup set"))

    # The real pages as they are, and the pages plus the set.
    corpus = Path(args.corpus)
    real = [{"id": r["id"], "text": r["text"]} for r in read_jsonl(corpus)]
    real_path = work / "fullpage.jsonl"
    mix_path = work / "mix.jsonl"
    with open(real_path, "w", encoding="utf-8") as f:
        for r in real:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(mix_path, "w", encoding="utf-8") as f:
        for r in real + [{"id": d["id"], "text": d["text"]} for d in docs]:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    texts = {r["id"]: r["text"] for r in real}
    texts.update({d["id"]: d["text"] for d in docs})
    simplified_all = dict(simplified_set)
    simplified_all.update({r["id"]: shingler.simplified(r["text"]) for r in real})
    for name, path in [("fullpage.jsonl", real_path), ("fullpage + set", mix_path)]:
        print(f"{name}: tapis, datatrove ...", file=sys.stderr)
        tp = run_tapis(args.tapis, path, work / f"tapis_{path.stem}", args.threads)
        dd = run_datatrove(path, work / f"datatrove_{path.stem}")
        R["comparison"].append(compare(tp, dd, simplified_all, name))
        R["times"][name] = {"tapis": tp["times"], "datatrove": dd["times"]}
        if path == real_path:
            R["fullpage_clusters"] = cluster_jaccards(tp["cluster_of"], texts, shingler)
            R["fullpage_clusters_datatrove"] = cluster_jaccards(dd["cluster_of"], texts, shingler)

    Path(args.out_json).write_text(machine_free(json.dumps(R, indent=1, ensure_ascii=False, default=list)) + "\n")
    md = markdown(R, args)
    Path(args.out_md).write_text(machine_free(md))
    print(md)


if __name__ == "__main__":
    main()
