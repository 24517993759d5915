//! Duplicate detection over a corpus.
//!
//! Near-duplicates are found as FineWeb finds them, with datatrove's MinHash
//! settings and the same signatures bit for bit ([`minhash`], over the text
//! [`normalize`] makes, its shingles hashed many at a time by
//! [`xxh64_lanes`]): two documents whose signatures agree on a whole
//! band are candidates. Candidates are joined into clusters ([`clusters`])
//! by union-find. [`steps`] runs it all over a corpus as four steps over
//! files (map per shard, reduce per partition, cluster, apply per shard),
//! each runnable on its own machine, whose memory does not grow with the
//! corpus beyond a few union-find arrays of 4 bytes per document.

pub mod clusters;
pub mod minhash;
pub mod normalize;
pub mod steps;
pub mod xxh64_lanes;

pub use minhash::{MinHasher, MinhashConfig};
pub use normalize::simplify_text;
