//! Duplicate detection over a corpus.
//!
//! Near-duplicates are found as FineWeb finds them, with datatrove's MinHash
//! settings and the same signatures bit for bit ([`minhash`], over the text
//! [`normalize`] makes): two documents whose signatures agree on a whole
//! band are candidates. Candidates are joined into clusters ([`clusters`])
//! by map, reduce and union-find steps whose memory does not grow with the
//! corpus beyond 4 bytes per document.

pub mod clusters;
pub mod minhash;
pub mod normalize;

pub use minhash::{MinHasher, MinhashConfig};
pub use normalize::simplify_text;
