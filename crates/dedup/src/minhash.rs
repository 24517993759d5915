//! MinHash signatures as datatrove 0.10.1's `MinhashDedupSignature` computes
//! them, bit for bit, so that tapis and datatrove put the same documents in
//! the same buckets.
//!
//! A document's shingles are the 64-bit xxHash (seed 0) of each run of
//! `n_grams` words, joined by spaces, of its [`simplify_text`] form split by
//! the spaCy-compatible English word tokenizer. Each of the
//! `num_buckets × hashes_per_bucket` hash functions maps a shingle `x` to
//! `(x · a + b mod 2^64) mod (2^61 − 1)` (numpy's wrapping uint64 arithmetic,
//! then the Mersenne prime), with `a` and `b` drawn as numpy's
//! `RandomState(seed).randint` draws them; the signature keeps each
//! function's minimum. A text with fewer than `n_grams` words has no shingle
//! and no signature: it is never a near-duplicate.

use rand_mt::Mt;
use xxhash_rust::xxh64::xxh64;

use crate::normalize::simplify_text;

/// 2^61 − 1, the modulus of the hash functions.
pub const MERSENNE_PRIME: u64 = (1 << 61) - 1;

/// The settings of near-duplicate detection (FineWeb's by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MinhashConfig {
    /// Words per shingle.
    pub n_grams: usize,
    /// LSH bands: two documents are candidates when all the hashes of one
    /// band agree.
    pub num_buckets: usize,
    /// Hashes per band.
    pub hashes_per_bucket: usize,
    /// Seed of the hash functions' parameters.
    pub seed: u32,
}

impl Default for MinhashConfig {
    fn default() -> Self {
        MinhashConfig {
            n_grams: 5,
            num_buckets: 14,
            hashes_per_bucket: 8,
            seed: 1,
        }
    }
}

impl MinhashConfig {
    pub fn num_hashes(&self) -> usize {
        self.num_buckets * self.hashes_per_bucket
    }

    /// The Jaccard similarity at which two documents become candidates with
    /// probability one half, `(1/b)^(1/r)` (0.72 for 14 × 8): the threshold
    /// the settings imply.
    pub fn threshold(&self) -> f64 {
        (1.0 / self.num_buckets as f64).powf(1.0 / self.hashes_per_bucket as f64)
    }

    /// Probability that two documents of Jaccard similarity `s` share a
    /// band: `1 − (1 − s^r)^b`.
    pub fn candidate_probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.hashes_per_bucket as i32)).powi(self.num_buckets as i32)
    }
}

/// numpy's legacy `RandomState` over the Mersenne Twister: the draws
/// `randint(low, high, dtype=np.uint64)` makes.
struct NumpyRandomState(Mt);

impl NumpyRandomState {
    /// `np.random.RandomState(seed)` for an integer seed (`init_genrand`).
    fn new(seed: u32) -> Self {
        NumpyRandomState(Mt::new(seed))
    }

    /// Two 32-bit outputs, high word first.
    fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.0.next_u32());
        let lo = u64::from(self.0.next_u32());
        (hi << 32) | lo
    }

    /// One value of `randint(low, high, dtype=np.uint64)`: masked rejection
    /// sampling over `[0, high − 1 − low]`, as numpy's legacy generator does.
    fn randint_u64(&mut self, low: u64, high: u64) -> u64 {
        let range = high - 1 - low;
        if range == 0 {
            return low;
        }
        let mut mask = range;
        for shift in [1, 2, 4, 8, 16, 32] {
            mask |= mask >> shift;
        }
        if range <= u64::from(u32::MAX) {
            // numpy draws 32-bit values for ranges that fit in 32 bits.
            let mask = mask as u32;
            loop {
                let v = self.0.next_u32() & mask;
                if u64::from(v) <= range {
                    return low + u64::from(v);
                }
            }
        }
        loop {
            let v = self.next_u64() & mask;
            if v <= range {
                return low + v;
            }
        }
    }
}

/// The parameters `(a, b)` of the hash functions, as datatrove draws them:
/// all of `a` in `[1, p)`, then all of `b` in `[0, p)`.
pub fn parameters(config: &MinhashConfig) -> (Vec<u64>, Vec<u64>) {
    let n = config.num_hashes();
    let mut rng = NumpyRandomState::new(config.seed);
    let a = (0..n).map(|_| rng.randint_u64(1, MERSENNE_PRIME)).collect();
    let b = (0..n).map(|_| rng.randint_u64(0, MERSENNE_PRIME)).collect();
    (a, b)
}

/// `v % (2^61 − 1)` without a division or a branch: `v = hi · 2^61 + lo`
/// and `2^61 ≡ 1`, so `v ≡ hi + lo`, which is below `2p`; `r − p` wraps
/// around to a huge value when `r < p`, so the minimum is the remainder.
#[inline(always)]
fn mod_mersenne(v: u64) -> u64 {
    let r = (v >> 61) + (v & MERSENNE_PRIME);
    r.min(r.wrapping_sub(MERSENNE_PRIME))
}

/// Folds each shingle into the running minimum of every hash function.
/// Branch-free, so the compiler turns the inner loop into vector code.
#[inline(always)]
fn fold_shingles(sig: &mut [u64], a: &[u64], b: &[u64], shingles: &[u64]) {
    for &x in shingles {
        for ((m, &a), &b) in sig.iter_mut().zip(a).zip(b) {
            *m = (*m).min(mod_mersenne(x.wrapping_mul(a).wrapping_add(b)));
        }
    }
}

/// [`fold_shingles`] compiled for AVX-512, which multiplies and compares
/// 64-bit lanes eight at a time (the baseline x86-64 has no 64-bit vector
/// multiply).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn fold_shingles_avx512(sig: &mut [u64], a: &[u64], b: &[u64], shingles: &[u64]) {
    fold_shingles(sig, a, b, shingles)
}

/// Computes signatures; built once, shared by all threads.
pub struct MinHasher {
    config: MinhashConfig,
    a: Vec<u64>,
    b: Vec<u64>,
}

impl MinHasher {
    pub fn new(config: MinhashConfig) -> MinHasher {
        let (a, b) = parameters(&config);
        MinHasher { config, a, b }
    }

    pub fn config(&self) -> &MinhashConfig {
        &self.config
    }

    /// The shingles of `text`: the hashes of its word n-grams, in order.
    pub fn shingles(&self, text: &str) -> Vec<u64> {
        self.shingles_of_simplified(&simplify_text(text))
    }

    /// [`MinHasher::shingles`] of a text already through [`simplify_text`].
    pub fn shingles_of_simplified(&self, simple: &str) -> Vec<u64> {
        let mut words = Vec::new();
        tapis_text::spacy_en_words(simple, &mut words);
        let n = self.config.n_grams;
        if words.len() < n {
            return Vec::new();
        }
        let at = |w: &str| w.as_ptr() as usize - simple.as_ptr() as usize;
        // The words are slices of `simple`: where single spaces separate
        // them there, an n-gram is that stretch of `simple` and needs no
        // copy. `run_end[i]`: the last word of the run of words from `i`
        // on that are joined by single spaces.
        let mut run_end = vec![0usize; words.len()];
        for i in (0..words.len()).rev() {
            let joined_to_next = i + 1 < words.len() && {
                let gap = at(words[i]) + words[i].len();
                at(words[i + 1]) == gap + 1 && simple.as_bytes()[gap] == b' '
            };
            run_end[i] = if joined_to_next { run_end[i + 1] } else { i };
        }
        let count = words.len() - n + 1;
        // Shingles that are one stretch of `simple` are hashed as slices of
        // it, many at once (`xxh64_lanes`); the others, joined, one by one.
        let (mut starts, mut lens) = (Vec::with_capacity(count), Vec::with_capacity(count));
        let mut apart = Vec::new();
        for i in 0..count {
            let gram = &words[i..i + n];
            let start = at(gram[0]);
            starts.push(start);
            if run_end[i] >= i + n - 1 {
                lens.push(at(gram[n - 1]) + gram[n - 1].len() - start);
            } else {
                lens.push(0);
                apart.push(i);
            }
        }
        let mut shingles = vec![0u64; count];
        crate::xxh64_lanes::hash_slices(simple.as_bytes(), &starts, &lens, &mut shingles);
        let mut joined = String::new();
        for i in apart {
            joined.clear();
            for (k, w) in words[i..i + n].iter().enumerate() {
                if k > 0 {
                    joined.push(' ');
                }
                joined.push_str(w);
            }
            shingles[i] = xxh64(joined.as_bytes(), 0);
        }
        shingles
    }

    /// The signature of `text` (`num_buckets × hashes_per_bucket` values,
    /// band after band), or `None` when it has no shingle.
    pub fn signature(&self, text: &str) -> Option<Vec<u64>> {
        let shingles = self.shingles(text);
        self.signature_of_shingles(&shingles)
    }

    pub fn signature_of_shingles(&self, shingles: &[u64]) -> Option<Vec<u64>> {
        if shingles.is_empty() {
            return None;
        }
        let mut sig = vec![u64::MAX; self.a.len()];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("avx512vl")
        {
            // SAFETY: the processor has the features the function is compiled for.
            unsafe { fold_shingles_avx512(&mut sig, &self.a, &self.b, shingles) };
            return Some(sig);
        }
        fold_shingles(&mut sig, &self.a, &self.b, shingles);
        Some(sig)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_the_settings_imply() {
        let c = MinhashConfig::default();
        assert!((c.threshold() - 0.7190).abs() < 1e-3, "{}", c.threshold());
        assert!((c.candidate_probability(0.8) - 0.924).abs() < 1e-3);
    }

    #[test]
    fn the_reduction_is_the_remainder() {
        let mut x = 0x0123_4567_89ab_cdefu64;
        for v in [
            0,
            1,
            MERSENNE_PRIME - 1,
            MERSENNE_PRIME,
            MERSENNE_PRIME + 1,
            u64::MAX,
            u64::MAX - 1,
            7 << 61,
        ] {
            assert_eq!(mod_mersenne(v), v % MERSENNE_PRIME, "{v}");
        }
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            assert_eq!(mod_mersenne(x), x % MERSENNE_PRIME);
        }
    }

    #[test]
    fn vector_and_plain_folds_agree() {
        let h = MinHasher::new(MinhashConfig::default());
        let mut x = 0x0bad_5eed_1234_5678u64;
        let shingles: Vec<u64> = (0..500)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            })
            .collect();
        let mut plain = vec![u64::MAX; 112];
        fold_shingles(&mut plain, &h.a, &h.b, &shingles);
        let naive: Vec<u64> = (0..112)
            .map(|k| {
                shingles
                    .iter()
                    .map(|&s| s.wrapping_mul(h.a[k]).wrapping_add(h.b[k]) % MERSENNE_PRIME)
                    .min()
                    .unwrap()
            })
            .collect();
        assert_eq!(plain, naive);
        assert_eq!(h.signature_of_shingles(&shingles), Some(naive));
    }

    #[test]
    fn shingles_join_words_by_one_space_even_where_the_text_has_none() {
        let h = MinHasher::new(MinhashConfig::default());
        // "0€" is two words with nothing between them in the simplified text.
        let simple = simplify_text("It costs 5€ today, not tomorrow");
        assert_eq!(simple, "it costs 0€ today not tomorrow");
        let want: Vec<u64> = [
            "it costs 0 € today",
            "costs 0 € today not",
            "0 € today not tomorrow",
        ]
        .iter()
        .map(|g| xxh64(g.as_bytes(), 0))
        .collect();
        assert_eq!(h.shingles_of_simplified(&simple), want);
    }

    #[test]
    fn short_texts_have_no_signature() {
        let h = MinHasher::new(MinhashConfig::default());
        assert_eq!(h.signature("one two three four"), None);
        let sig = h.signature("one two three four five").unwrap();
        assert_eq!(sig.len(), 112);
        assert!(sig.iter().all(|&v| v < MERSENNE_PRIME));
        // Case, punctuation and spacing do not change it.
        assert_eq!(h.signature("One, two — THREE four\n\nfive!"), Some(sig));
    }
}
