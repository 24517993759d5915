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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
        let simple = simplify_text(text);
        let mut words = Vec::new();
        tapis_text::spacy_en_words(&simple, &mut words);
        let n = self.config.n_grams;
        if words.len() < n {
            return Vec::new();
        }
        let mut joined = String::new();
        (0..=words.len() - n)
            .map(|i| {
                joined.clear();
                for (k, w) in words[i..i + n].iter().enumerate() {
                    if k > 0 {
                        joined.push(' ');
                    }
                    joined.push_str(w);
                }
                xxh64(joined.as_bytes(), 0)
            })
            .collect()
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
        for &x in shingles {
            for ((m, &a), &b) in sig.iter_mut().zip(&self.a).zip(&self.b) {
                let v = x.wrapping_mul(a).wrapping_add(b) % MERSENNE_PRIME;
                if v < *m {
                    *m = v;
                }
            }
        }
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
