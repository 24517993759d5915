#![doc = include_str!("docs/gopher_repetition.md")]

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::counting::{FingerprintCounter, FingerprintSet, mix};
use crate::py::{char_len, strip};
use crate::{CheckInfo, DocView, Rule, RuleInfo, RuleOutcome, drop_reason};

macro_rules! check {
    ($name:literal, $summary:literal) => {
        CheckInfo {
            check: $name,
            summary: $summary,
            datatrove: Some($name),
        }
    };
    ($name:literal, $summary:literal, $dt:literal) => {
        CheckInfo {
            check: $name,
            summary: $summary,
            datatrove: Some($dt),
        }
    };
}

pub static INFO: RuleInfo = RuleInfo {
    id: "gopher_repetition",
    title: "Gopher repetition: drop documents that repeat themselves",
    doc: include_str!("docs/gopher_repetition.md"),
    checks: &[
        check!("empty", "the document has no text"),
        check!(
            "dup_para_frac",
            "share of paragraphs that repeat an earlier one"
        ),
        check!(
            "dup_para_char_frac",
            "share of characters in repeated paragraphs"
        ),
        check!("dup_line_frac", "share of lines that repeat an earlier one"),
        check!(
            "dup_line_char_frac",
            "share of characters in repeated lines"
        ),
        check!(
            "top_2_gram",
            "characters covered by the most frequent 2-gram"
        ),
        check!(
            "top_3_gram",
            "characters covered by the most frequent 3-gram"
        ),
        check!(
            "top_4_gram",
            "characters covered by the most frequent 4-gram"
        ),
        check!(
            "dup_5_gram",
            "characters in repeated 5-grams",
            "duplicated_5_n_grams"
        ),
        check!(
            "dup_6_gram",
            "characters in repeated 6-grams",
            "duplicated_6_n_grams"
        ),
        check!(
            "dup_7_gram",
            "characters in repeated 7-grams",
            "duplicated_7_n_grams"
        ),
        check!(
            "dup_8_gram",
            "characters in repeated 8-grams",
            "duplicated_8_n_grams"
        ),
        check!(
            "dup_9_gram",
            "characters in repeated 9-grams",
            "duplicated_9_n_grams"
        ),
        check!(
            "dup_10_gram",
            "characters in repeated 10-grams",
            "duplicated_10_n_grams"
        ),
    ],
};

const TOP_CHECKS: [&str; 3] = ["top_2_gram", "top_3_gram", "top_4_gram"];
const DUP_CHECKS: [&str; 6] = [
    "dup_5_gram",
    "dup_6_gram",
    "dup_7_gram",
    "dup_8_gram",
    "dup_9_gram",
    "dup_10_gram",
];

/// Thresholds; 0 turns a test off.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub dup_line_frac: f64,
    pub dup_para_frac: f64,
    pub dup_line_char_frac: f64,
    pub dup_para_char_frac: f64,
    /// Limits for the most frequent 2-, 3- and 4-gram.
    pub top_n_grams: [f64; 3],
    /// Limits for repeated 5- to 10-grams.
    pub dup_n_grams: [f64; 6],
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dup_line_frac: 0.3,
            dup_para_frac: 0.3,
            dup_line_char_frac: 0.2,
            dup_para_char_frac: 0.2,
            top_n_grams: [0.2, 0.18, 0.16],
            dup_n_grams: [0.15, 0.14, 0.13, 0.12, 0.11, 0.10],
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub chars: usize,
    pub dup_para_frac: f64,
    pub dup_para_char_frac: f64,
    pub dup_line_frac: f64,
    pub dup_line_char_frac: f64,
    pub top_n_gram_char_frac: [f64; 3],
    pub dup_n_gram_char_frac: [f64; 6],
}

/// (repeated elements, characters in repeated elements): the first
/// occurrence of each element is not a repeat.
fn duplicates<'t>(items: impl Iterator<Item = &'t str>, at_most: usize) -> (usize, usize, usize) {
    // Sized once: growing the set while inserting costs more than the lookups.
    let mut seen: FxHashSet<&str> =
        FxHashSet::with_capacity_and_hasher(at_most, Default::default());
    let (mut total, mut dups, mut dup_chars) = (0, 0, 0);
    for item in items {
        total += 1;
        if !seen.insert(item) {
            dups += 1;
            dup_chars += char_len(item);
        }
    }
    (total, dups, dup_chars)
}

/// Splits on runs of `min_run` or more `\n` (Python's `re.split("\n{k,}")`).
fn split_newline_runs(text: &str, min_run: usize) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        while let Some(off) = memchr::memchr(b'\n', &bytes[i..]) {
            let run_start = i + off;
            let mut run_end = run_start;
            while run_end < bytes.len() && bytes[run_end] == b'\n' {
                run_end += 1;
            }
            i = run_end;
            if run_end - run_start >= min_run {
                let piece = &text[start..run_start];
                start = run_end;
                return Some(piece);
            }
        }
        done = true;
        Some(&text[start..])
    })
}

/// How far ahead of the lookup the table slot is prefetched.
const PREFETCH_DISTANCE: usize = 16;

/// Characters covered by the most frequent n-gram (`len(" ".join(g)) *
/// count`); ties go to the n-gram seen first, as with `Counter.most_common`.
/// N-grams are compared by a fingerprint of their words' fingerprints.
///
/// Only the n-grams starting at `candidates` (all positions when `None`) are
/// counted: any other n-gram must occur once. Returns, with the figure, the
/// positions whose n-gram occurs more than once, the candidates for n + 1:
/// two equal (n + 1)-grams start with two equal n-grams.
fn top_n_gram_chars(
    prints: &WordPrints,
    n: usize,
    candidates: Option<&[u32]>,
) -> Option<(usize, Vec<u32>)> {
    let len = prints.len();
    if len < n {
        return None;
    }
    // Positions to count: every one, or the candidates that fit.
    let count = match candidates {
        Some(c) => c.iter().take_while(|&&i| i as usize + n <= len).count(),
        None => len - n + 1,
    };
    let position = |k: usize| match candidates {
        Some(c) => c[k],
        None => k as u32,
    };
    let shift = (0..n).fold(1u64, |m, _| m.wrapping_mul(SEQ_BASE));
    let key = |k: usize| prints.sequence_key(position(k) as usize, n, shift);
    let ((count_best, first), repeated) = FingerprintCounter::with(count, |table| {
        // An n-gram not counted here occurs once, and the first of those
        // starts at 0 at the latest.
        let mut best = (1u32, 0u32);
        let mut slots = Vec::with_capacity(count);
        for k in 0..count {
            if k + PREFETCH_DISTANCE < count {
                table.prefetch(key(k + PREFETCH_DISTANCE));
            }
            let i = position(k);
            let slot = table.add_slot(key(k), i);
            let (seen, first) = (table.count_at(slot), table.first_at(slot));
            if seen > best.0 || (seen == best.0 && first < best.1) {
                best = (seen, first);
            }
            slots.push(slot as u32);
        }
        let repeated: Vec<u32> = (0..count)
            .filter(|&k| table.count_at(slots[k] as usize) >= 2)
            .map(position)
            .collect();
        (best, repeated)
    });
    let first = first as usize;
    let chars: usize = (first..first + n).map(|k| prints.chars(k)).sum::<usize>() + n - 1;
    Some((chars * count_best as usize, repeated))
}

/// Bytes of joined text that decide whether two long n-grams may be equal.
const HEAD_BYTES: usize = 16;

/// The positions whose n-grams, for every n ≥ `min_n`, may equal another
/// n-gram of the document; all others are unique and need no lookup.
///
/// Equal n-grams are equal joined strings, so when they are at least
/// `HEAD_BYTES` long the text from their starts agrees on its first
/// `HEAD_BYTES` bytes (their heads); a position whose head occurs once is
/// unique. Since words may split the same text differently (`["ab", "c"]`,
/// `["a", "bc"]`), the test is on bytes, not words: a head is read from the
/// joined text, past the end of the n-gram if need be, and is put in the
/// table for every position, because a long n-gram may equal one whose
/// first `min_n` words are short. Positions whose shortest n-gram is
/// shorter than a head are always candidates.
fn dup_candidates(prints: &WordPrints, min_n: usize) -> Vec<u32> {
    let len = prints.len();
    if len < min_n {
        return Vec::new();
    }
    let heads: Vec<Option<u64>> = (0..=len - min_n).map(|i| prints.head(i)).collect();
    FingerprintCounter::with(heads.len(), |table| {
        let slots: Vec<Option<usize>> = heads
            .iter()
            .enumerate()
            .map(|(k, head)| {
                if let Some(Some(ahead)) = heads.get(k + PREFETCH_DISTANCE) {
                    table.prefetch(*ahead);
                }
                head.map(|h| table.add_slot(h, k as u32))
            })
            .collect();
        slots
            .iter()
            .enumerate()
            .filter(|&(i, slot)| match *slot {
                Some(s) if !prints.shorter_than_head(i, min_n) => table.count_at(s) >= 2,
                _ => true,
            })
            .map(|(i, _)| i as u32)
            .collect()
    })
}

/// Characters in repeated n-grams, compared joined without spaces; after a
/// repeat the scan jumps past it (datatrove's `find_all_duplicate`). Only
/// positions in `candidates` (from [`dup_candidates`]) are looked up: the
/// n-gram at any other position is unique, so the scan just moves on.
///
/// N-grams are compared by a fingerprint of their joined bytes, the same for
/// `["ab", "c"]` and `["a", "bc"]`, exactly like the joined strings.
fn dup_n_gram_chars(
    prints: &WordPrints,
    n: usize,
    candidates: &[u32],
    keys: &[[u64; DUP_NS]],
) -> usize {
    let len = prints.len();
    let usable = candidates
        .iter()
        .take_while(|&&i| i as usize + n <= len)
        .count();
    let key = |k: usize| keys[k][n - DUP_MIN_N];
    FingerprintSet::with(usable, |set| {
        let mut repeated = 0;
        // `next`: where the scan stands; positions before it were skipped.
        let mut next = 0;
        for (k, &i) in candidates[..usable].iter().enumerate() {
            let i = i as usize;
            if k + PREFETCH_DISTANCE < usable {
                set.prefetch(key(k + PREFETCH_DISTANCE));
            }
            if i < next {
                continue;
            }
            if set.seen_before(key(k)) {
                repeated += prints.chars_before[i + n] - prints.chars_before[i];
                next = i + n;
            } else {
                next = i + 1;
            }
        }
        repeated
    })
}

/// The n-gram sizes of the duplicate checks.
const DUP_MIN_N: usize = 5;
const DUP_NS: usize = 6;

/// For each candidate position, the joined-bytes fingerprints of its 5- to
/// 10-grams (0 where the words run out), found in one pass over the bytes of
/// its 10 words rather than one pass per size.
fn dup_keys(prints: &WordPrints, candidates: &[u32]) -> Vec<[u64; DUP_NS]> {
    let len = prints.len();
    candidates
        .iter()
        .map(|&i| {
            let i = i as usize;
            let mut keys = [0u64; DUP_NS];
            let mut hasher = JoinedHasher::new(&prints.joined, prints.bytes_before[i]);
            for (k, key) in keys.iter_mut().enumerate() {
                let end = i + DUP_MIN_N + k;
                if end > len {
                    break;
                }
                *key = hasher.print_to(prints.bytes_before[end]);
            }
            keys
        })
        .collect()
}

/// Fingerprints of `bytes[start..end]` for growing `end`: eight bytes at a
/// time from `start`, the last partial word zero-padded, then the length.
/// The value depends on the bytes alone, not on where they are. `bytes`
/// must hold 8 bytes past any `end` asked for (the joined text has slack).
struct JoinedHasher<'b> {
    bytes: &'b [u8],
    start: usize,
    /// Bytes `start..at` are folded into `state`.
    at: usize,
    state: u64,
}

impl<'b> JoinedHasher<'b> {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn new(bytes: &'b [u8], start: usize) -> Self {
        JoinedHasher {
            bytes,
            start,
            at: start,
            state: 0,
        }
    }

    #[inline(always)]
    fn step(state: u64, word: u64) -> u64 {
        (state.rotate_left(26) ^ word).wrapping_mul(Self::K)
    }

    /// The fingerprint of `bytes[start..end]`; `end` never decreases.
    fn print_to(&mut self, end: usize) -> u64 {
        while self.at + 8 <= end {
            let word = u64::from_le_bytes(self.bytes[self.at..self.at + 8].try_into().expect("8"));
            self.state = Self::step(self.state, word);
            self.at += 8;
        }
        // The last 0 to 7 bytes, read as a whole word and masked: `bytes`
        // has slack past its end, so the read never runs off it.
        let rest = end - self.at;
        let raw = u64::from_le_bytes(self.bytes[self.at..self.at + 8].try_into().expect("8"));
        let tail = if rest == 0 {
            0
        } else {
            raw & (u64::MAX >> (64 - 8 * rest))
        };
        let last = Self::step(self.state, tail);
        mix(last ^ ((end - self.start) as u64).wrapping_mul(0xff51_afd7_ed55_8ccd))
    }
}

const SEQ_BASE: u64 = 0x9e37_79b9_7f4a_7c15;

/// A 64-bit fingerprint of a byte string.
fn bytes_print(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    mix(h.finish() ^ (bytes.len() as u64).wrapping_mul(0xff51_afd7_ed55_8ccd))
}

/// Fingerprint of one word, for the word-sequence keys. Words of up to 16
/// bytes (nearly all) are hashed as one zero-padded 16-byte block.
fn word_print(w: &[u8]) -> u64 {
    if w.len() <= 16 {
        let mut block = [0u8; 16];
        block[..w.len()].copy_from_slice(w);
        block_print(u128::from_le_bytes(block), w.len())
    } else {
        bytes_print(w)
    }
}

#[inline(always)]
fn block_print(block: u128, len: usize) -> u64 {
    let (lo, hi) = (block as u64, (block >> 64) as u64);
    mix(lo ^ mix(hi ^ (len as u64).wrapping_mul(0xff51_afd7_ed55_8ccd)))
}

/// The first `len` (at most 16) bytes of `block`, the others zeroed.
#[inline(always)]
fn first_bytes(block: u128, len: usize) -> u128 {
    if len >= 16 {
        block
    } else {
        block & ((1u128 << (8 * len)) - 1)
    }
}

/// Code points in a zero-padded block: its bytes minus the UTF-8
/// continuation bytes (`10xxxxxx`).
#[inline(always)]
fn block_chars(block: u128, len: usize) -> usize {
    const HIGH_BITS: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;
    let continuation = block & !(block << 1) & HIGH_BITS;
    len - continuation.count_ones() as usize
}

/// Per-word data and prefix sums over the words, so that the fingerprint,
/// length and joined text of any n-gram come in constant time whatever n.
struct WordPrints {
    /// Polynomial hash, over word fingerprints, of the first k words.
    seq_prefix: Vec<u64>,
    /// Code points in the first k words.
    chars_before: Vec<usize>,
    /// The words joined without separators…
    joined: Vec<u8>,
    /// …and where each word starts in it.
    bytes_before: Vec<usize>,
}

impl WordPrints {
    /// For words that are slices of `text` (as a view's words are): a word
    /// of up to 16 bytes with 16 bytes of `text` from its start is read as
    /// one block, which gives its fingerprint, its code points and its copy
    /// into the joined text without a loop over its bytes. Any other word
    /// takes the byte-by-byte path, with the same results.
    fn in_text(text: &str, words: &[&str]) -> WordPrints {
        let n = words.len();
        let total: usize = words.iter().map(|w| w.len()).sum();
        let mut p = WordPrints {
            seq_prefix: Vec::with_capacity(n + 1),
            chars_before: Vec::with_capacity(n + 1),
            // Room for a whole block written at the end of the last word.
            joined: vec![0; total + 16],
            bytes_before: Vec::with_capacity(n + 1),
        };
        let (mut seq, mut chars, mut at) = (0u64, 0usize, 0usize);
        p.seq_prefix.push(seq);
        p.chars_before.push(chars);
        p.bytes_before.push(0);
        for w in words {
            let len = w.len();
            let (print, c) = if let Some(raw) = crate::word_block::word_block(text, w) {
                // Bytes past the word are overwritten by the next word, or lie
                // in the slack at the end.
                p.joined[at..at + 16].copy_from_slice(raw);
                let block = first_bytes(u128::from_le_bytes(*raw), len);
                (block_print(block, len), block_chars(block, len))
            } else {
                p.joined[at..at + len].copy_from_slice(w.as_bytes());
                (word_print(w.as_bytes()), char_len(w))
            };
            at += len;
            p.bytes_before.push(at);
            seq = seq.wrapping_mul(SEQ_BASE).wrapping_add(print);
            p.seq_prefix.push(seq);
            chars += c;
            p.chars_before.push(chars);
        }
        // The joined text keeps 16 bytes of slack at its end (never read as text).
        p
    }

    /// [`WordPrints::in_text`] for words from anywhere.
    #[cfg(test)]
    fn new(words: &[&str]) -> WordPrints {
        WordPrints::in_text("", words)
    }

    /// Number of words.
    fn len(&self) -> usize {
        self.bytes_before.len() - 1
    }

    /// Code points of word `i`.
    fn chars(&self, i: usize) -> usize {
        self.chars_before[i + 1] - self.chars_before[i]
    }

    /// Fingerprint of the word sequence `[i, i + n)`; `shift` is `SEQ_BASE^n`.
    fn sequence_key(&self, i: usize, n: usize, shift: u64) -> u64 {
        self.seq_prefix[i + n].wrapping_sub(self.seq_prefix[i].wrapping_mul(shift))
    }

    /// Fingerprint of the first `HEAD_BYTES` of the joined text from word
    /// `i` (running on past the n-gram that starts there), or `None` when
    /// fewer bytes are left.
    fn head(&self, i: usize) -> Option<u64> {
        let at = self.bytes_before[i];
        if self.bytes_before[self.len()] - at < HEAD_BYTES {
            return None;
        }
        let head = &self.joined[at..at + HEAD_BYTES];
        let lo = u64::from_le_bytes(head[..8].try_into().expect("8 bytes"));
        let hi = u64::from_le_bytes(head[8..].try_into().expect("8 bytes"));
        // Equal heads, equal keys; a rare false match only adds a candidate.
        Some(lo.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ hi.rotate_left(31))
    }

    /// Whether the `n` words from `i` are shorter, joined, than a head: two
    /// such n-grams may be equal whatever their heads.
    fn shorter_than_head(&self, i: usize, n: usize) -> bool {
        self.bytes_before[i + n] - self.bytes_before[i] < HEAD_BYTES
    }

    #[cfg(test)]
    /// Fingerprint of words `[i, j)` joined without separators.
    fn joined_print(&self, i: usize, j: usize) -> u64 {
        JoinedHasher::new(&self.joined, self.bytes_before[i]).print_to(self.bytes_before[j])
    }
}

/// Measures `text`. With `stop_at`, stops at the first test that fails
/// those settings, as datatrove does, and leaves the figures it did not need
/// as NaN; without, measures everything (for `--with-figures`).
pub fn measure<'t>(
    text: &str,
    words: impl FnOnce() -> Vec<&'t str>,
    stop_at: Option<&Settings>,
) -> Figures {
    let chars = char_len(text);
    let frac = |x: usize, of: usize| if of == 0 { 0.0 } else { x as f64 / of as f64 };
    let pieces = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let (paras, dup_paras, dup_para_chars) =
        duplicates(split_newline_runs(strip(text), 2), pieces / 2 + 1);
    let (lines, dup_lines, dup_line_chars) = duplicates(split_newline_runs(text, 1), pieces);
    let mut f = Figures {
        chars,
        dup_para_frac: frac(dup_paras, paras),
        dup_para_char_frac: frac(dup_para_chars, chars),
        dup_line_frac: frac(dup_lines, lines),
        dup_line_char_frac: frac(dup_line_chars, chars),
        top_n_gram_char_frac: [f64::NAN; 3],
        dup_n_gram_char_frac: [f64::NAN; 6],
    };
    let failed = |f: &Figures| stop_at.is_some_and(|s| judge(f, s).is_some());
    if failed(&f) {
        return f;
    }
    let words = words();
    let prints = WordPrints::in_text(text, &words);
    let mut candidates: Option<Vec<u32>> = None;
    for (k, n) in (2..=4).enumerate() {
        let top = top_n_gram_chars(&prints, n, candidates.as_deref());
        f.top_n_gram_char_frac[k] = top.as_ref().map_or(0.0, |(c, _)| frac(*c, chars));
        candidates = top.map(|(_, repeated)| repeated);
        if failed(&f) {
            return f;
        }
    }
    let candidates = dup_candidates(&prints, DUP_MIN_N);
    let keys = dup_keys(&prints, &candidates);
    for (k, n) in (DUP_MIN_N..DUP_MIN_N + DUP_NS).enumerate() {
        let repeated = dup_n_gram_chars(&prints, n, &candidates, &keys);
        f.dup_n_gram_char_frac[k] = frac(repeated, chars);
        if failed(&f) {
            return f;
        }
    }
    f
}

pub fn judge(f: &Figures, s: &Settings) -> Option<(&'static str, (&'static str, f64), f64)> {
    if f.chars == 0 {
        return Some(("empty", ("chars", 0.0), 0.0));
    }
    let tests = [
        ("dup_para_frac", f.dup_para_frac, s.dup_para_frac),
        (
            "dup_para_char_frac",
            f.dup_para_char_frac,
            s.dup_para_char_frac,
        ),
        ("dup_line_frac", f.dup_line_frac, s.dup_line_frac),
        (
            "dup_line_char_frac",
            f.dup_line_char_frac,
            s.dup_line_char_frac,
        ),
    ];
    for (check, value, limit) in tests {
        if limit != 0.0 && value > limit {
            return Some((check, (check, value), limit));
        }
    }
    for k in 0..3 {
        let (value, limit) = (f.top_n_gram_char_frac[k], s.top_n_grams[k]);
        if limit != 0.0 && value > limit {
            return Some((TOP_CHECKS[k], ("char_frac", value), limit));
        }
    }
    for k in 0..6 {
        let (value, limit) = (f.dup_n_gram_char_frac[k], s.dup_n_grams[k]);
        if limit != 0.0 && value > limit {
            return Some((DUP_CHECKS[k], ("char_frac", value), limit));
        }
    }
    None
}

rule_type!(GopherRepetition);

impl Rule for GopherRepetition {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn apply(&self, view: &DocView) -> RuleOutcome {
        let s = self.settings.get(view.language());
        let text = view.text();
        let mut out = RuleOutcome::default();
        if text.is_empty() {
            out.drop = Some(drop_reason(INFO.code("empty"), ("chars", 0.0), 0.0));
            return out;
        }
        let f = measure(text, || view.words(), (!view.measure_all()).then_some(s));
        let n = text.len();
        out.figure(n, "gopher_repetition.dup_para_frac", f.dup_para_frac);
        out.figure(
            n,
            "gopher_repetition.dup_para_char_frac",
            f.dup_para_char_frac,
        );
        out.figure(n, "gopher_repetition.dup_line_frac", f.dup_line_frac);
        out.figure(
            n,
            "gopher_repetition.dup_line_char_frac",
            f.dup_line_char_frac,
        );
        const TOP: [&str; 3] = [
            "gopher_repetition.top_2_gram_char_frac",
            "gopher_repetition.top_3_gram_char_frac",
            "gopher_repetition.top_4_gram_char_frac",
        ];
        const DUP: [&str; 6] = [
            "gopher_repetition.dup_5_gram_char_frac",
            "gopher_repetition.dup_6_gram_char_frac",
            "gopher_repetition.dup_7_gram_char_frac",
            "gopher_repetition.dup_8_gram_char_frac",
            "gopher_repetition.dup_9_gram_char_frac",
            "gopher_repetition.dup_10_gram_char_frac",
        ];
        for k in 0..3 {
            if !f.top_n_gram_char_frac[k].is_nan() {
                out.figure(n, TOP[k], f.top_n_gram_char_frac[k]);
            }
        }
        for k in 0..6 {
            if !f.dup_n_gram_char_frac[k].is_nan() {
                out.figure(n, DUP[k], f.dup_n_gram_char_frac[k]);
            }
        }
        if let Some((check, measured, limit)) = judge(&f, s) {
            out.drop = Some(drop_reason(INFO.code(check), measured, limit));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn words_read_in_place_give_what_words_read_byte_by_byte_give() {
        let text = "Größe of the 東京 tower, a verylongwordofmorethansixteenbytes and \
                    ünïcödé words near the énd";
        let words = ws(text);
        let fast = WordPrints::in_text(text, &words);
        let slow = WordPrints::new(&words);
        assert_eq!(fast.seq_prefix, slow.seq_prefix);
        assert_eq!(fast.chars_before, slow.chars_before);
        let total = *fast.bytes_before.last().unwrap();
        assert_eq!(fast.joined[..total], slow.joined[..total]);
        assert_eq!(fast.bytes_before, slow.bytes_before);
        let chars: usize = words.iter().map(|w| w.chars().count()).sum();
        assert_eq!(*fast.chars_before.last().unwrap(), chars);
        assert_eq!(&fast.joined[..total], words.concat().as_bytes());
    }

    #[test]
    fn n_gram_keys_depend_on_the_n_gram_alone() {
        let words = ["the", "cat", "sat", "on", "the", "cat", "sat", "mat"];
        let all = WordPrints::new(&words);
        let part = WordPrints::new(&words[4..7]);
        assert_eq!(all.joined_print(4, 7), part.joined_print(0, 3));
        assert_eq!(all.joined_print(0, 3), all.joined_print(4, 7));
        let shift = SEQ_BASE.wrapping_mul(SEQ_BASE).wrapping_mul(SEQ_BASE);
        assert_eq!(all.sequence_key(0, 3, shift), all.sequence_key(4, 3, shift));
        assert_eq!(
            all.sequence_key(0, 3, shift),
            part.sequence_key(0, 3, shift)
        );
        assert_ne!(all.sequence_key(0, 3, shift), all.sequence_key(1, 3, shift));
    }

    #[test]
    fn newline_runs_split_like_python_re() {
        // re.split(r"\n{2,}", "a\nb\n\n\nc\n\n") == ['a\nb', 'c', '']
        let parts: Vec<&str> = split_newline_runs("a\nb\n\n\nc\n\n", 2).collect();
        assert_eq!(parts, ["a\nb", "c", ""]);
        // re.split("\n+", "\na\n\nb") == ['', 'a', 'b']
        let parts: Vec<&str> = split_newline_runs("\na\n\nb", 1).collect();
        assert_eq!(parts, ["", "a", "b"]);
    }

    #[test]
    fn repeated_lines_count_after_their_first_occurrence() {
        let text = "Subscribe now\nReal news here today\nSubscribe now\nSubscribe now";
        let f = measure(text, || ws(text), None);
        assert!((f.dup_line_frac - 0.5).abs() < 1e-12);
        let chars = char_len(text) as f64;
        assert!((f.dup_line_char_frac - 26.0 / chars).abs() < 1e-12);
        assert_eq!(judge(&f, &Settings::default()).unwrap().0, "dup_line_frac");
    }

    fn top(words: &[&str], n: usize) -> Option<usize> {
        let prints = WordPrints::new(words);
        let mut candidates = None;
        let mut out = None;
        for m in 2..=n {
            let r = top_n_gram_chars(&prints, m, candidates.as_deref());
            out = r.as_ref().map(|(c, _)| *c);
            candidates = r.map(|(_, rep)| rep);
        }
        out
    }

    fn dup(words: &[&str], n: usize) -> usize {
        let prints = WordPrints::new(words);
        let candidates = dup_candidates(&prints, 5);
        let keys = dup_keys(&prints, &candidates);
        dup_n_gram_chars(&prints, n, &candidates, &keys)
    }

    /// datatrove's `find_top_duplicate` over `" ".join` n-grams, as written.
    fn top_reference(words: &[&str], n: usize) -> Option<usize> {
        if words.len() < n {
            return None;
        }
        let grams: Vec<String> = words.windows(n).map(|w| w.join(" ")).collect();
        let mut counts: Vec<(String, usize)> = Vec::new();
        for g in grams {
            match counts.iter_mut().find(|(s, _)| *s == g) {
                Some((_, c)) => *c += 1,
                None => counts.push((g, 1)),
            }
        }
        let max = counts.iter().map(|(_, c)| *c).max()?;
        let (g, c) = counts.iter().find(|(_, c)| *c == max)?;
        Some(g.chars().count() * c)
    }

    /// datatrove's `find_all_duplicate` over `"".join` n-grams, as written.
    fn dup_reference(words: &[&str], n: usize) -> usize {
        let mut unique = std::collections::HashSet::new();
        let (mut repeated, mut idx) = (0, 0);
        while idx + n <= words.len() {
            let g = words[idx..idx + n].concat();
            if unique.contains(&g) {
                repeated += g.chars().count();
                idx += n;
            } else {
                unique.insert(g);
                idx += 1;
            }
        }
        repeated
    }

    #[test]
    fn top_n_gram_ties_go_to_the_first_seen() {
        // "a b" and "b c" both appear twice; "a b" came first: 3 chars × 2.
        let words = ["a", "b", "c", "a", "b", "c"];
        assert_eq!(top(&words, 2), Some(6));
        let words = ["xx", "y", "a", "b", "xx", "y"];
        assert_eq!(top(&words, 2), Some(8));
        // "ab c" and "a bc" are different 2-grams.
        let words = ["ab", "c", "a", "bc", "q"];
        assert_eq!(top(&words, 2), Some(4));
        // No 3-gram repeats: the first one counts once.
        let words = ["x", "y", "z", "x", "y", "q"];
        assert_eq!(top(&words, 3), Some(5));
    }

    #[test]
    fn dup_n_grams_compare_joined_text_and_skip_past_a_repeat() {
        // Joined without spaces, ["ab","c",...] equals ["a","bc",...].
        let words = ["ab", "c", "d", "e", "f", "a", "bc", "d", "e", "f"];
        assert_eq!(dup(&words, 5), 6);
        // The same with n-grams longer than the head the pruning looks at.
        let words = [
            "encyclo",
            "pedia",
            "britannica",
            "volume",
            "one",
            "x",
            "encyclopedia",
            "brit",
            "annica",
            "volume",
            "one",
        ];
        assert_eq!(dup(&words, 5), dup_reference(&words, 5));
        assert_eq!(dup(&words, 5), 31);
        // A run repeated three times: the 2nd and 3rd copies count once each.
        let words: Vec<&str> = "one two three four five "
            .repeat(3)
            .leak()
            .split_whitespace()
            .collect();
        assert_eq!(dup(&words, 5), 2 * 19);
    }

    #[test]
    fn a_long_n_gram_repeating_a_differently_split_short_start_counts() {
        // The first 6-gram starts with five one-letter words (a 5-gram
        // shorter than a head), the second with five long ones; joined, the
        // two 6-grams are the same text.
        let words = [
            "a",
            "b",
            "c",
            "d",
            "e",
            "fghijklmnopqrstu",
            "x",
            "abcdefgh",
            "ijklm",
            "nopq",
            "rs",
            "t",
            "u",
        ];
        assert_eq!(dup_reference(&words, 6), 21);
        assert_eq!(dup(&words, 6), 21);
    }

    #[test]
    fn pruned_counting_agrees_with_datatrove_on_random_texts() {
        // Small vocabularies repeat a lot; the pieces re-split the same text
        // differently ("encyclopedia" / "encyclo" "pedia"), long and short.
        let vocab = [
            "a",
            "b",
            "ab",
            "c",
            "bc",
            "abc",
            "the",
            "of",
            "encyclopedia",
            "encyclo",
            "pedia",
            "britannica",
            "brit",
            "annica",
            "é",
            "ée",
            "dé",
            "—",
            "menu",
            "home",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        for round in 0..400 {
            let vocab_size = 3 + round % (vocab.len() - 2);
            let len = next(60);
            let mut words: Vec<&str> = Vec::new();
            while words.len() < len {
                if words.len() > 6 && next(4) == 0 {
                    // copy an earlier stretch, as pages repeat themselves
                    let from = next(words.len() - 5);
                    let take = 1 + next(12);
                    for k in from..(from + take).min(words.len()) {
                        words.push(words[k]);
                    }
                } else {
                    words.push(vocab[next(vocab_size)]);
                }
            }
            for n in 2..=4 {
                assert_eq!(
                    top(&words, n),
                    top_reference(&words, n),
                    "{words:?} top {n}"
                );
            }
            for n in 5..=10 {
                assert_eq!(
                    dup(&words, n),
                    dup_reference(&words, n),
                    "{words:?} dup {n}"
                );
            }
        }
    }

    #[test]
    fn measuring_stops_at_the_first_failure_only_when_asked() {
        let text = "Subscribe now\nReal news here today\nSubscribe now\nSubscribe now";
        let s = Settings::default();
        let lazy = measure(text, || ws(text), Some(&s));
        assert!(lazy.top_n_gram_char_frac[0].is_nan());
        let full = measure(text, || ws(text), None);
        assert!(!full.dup_n_gram_char_frac[5].is_nan());
        assert_eq!(judge(&lazy, &s), judge(&full, &s));
    }

    #[test]
    fn varied_prose_passes_and_a_looping_page_fails() {
        let prose = "The river rose overnight after three days of rain.\n\n\
            Farmers moved their animals to higher ground before dawn.\n\n\
            By noon the water had reached the old stone bridge, and the council closed it.";
        let f = measure(prose, || ws(prose), None);
        assert_eq!(judge(&f, &Settings::default()), None);
        let looping = "buy cheap watches online now ".repeat(30);
        let f = measure(&looping, || ws(&looping), None);
        assert_eq!(judge(&f, &Settings::default()).unwrap().0, "top_2_gram");
    }
}
