//! From signatures to clusters, as map → reduce → cluster steps over files.
//!
//! Map ([`BandWriter`]): each document, numbered in reading order, writes one
//! (band key, document) pair per band of its signature (and, for exact
//! dedup, one pair for its whole text), spilled as sorted runs. Reduce
//! ([`reduce_partition`]): the runs are merged one partition at a time, and
//! every document of a band key is linked to the first document of that key.
//! Cluster ([`UnionFind`]): the links are joined into connected components;
//! the component's smallest document number is its root. Memory is the
//! union-find arrays (4 bytes per document) and the map's buffer; the band
//! pairs themselves stay on disk.

use std::path::{Path, PathBuf};

use tapis_counts::{PairRunWriter, RunError, merge_pairs};
use xxhash_rust::xxh64::xxh64;

const KEY_SEED: u64 = 0x7461_7069_735f_6c73;

/// The group of documents deduplicated together: `ALL_DOCUMENTS`, or a
/// group per name (a language, for per-language dedup). Keys of different
/// groups never meet.
pub fn group_of(name: &str) -> u64 {
    xxh64(name.as_bytes(), KEY_SEED).max(1)
}

/// Every document in one group.
pub const ALL_DOCUMENTS: u64 = 0;

/// The key of band `band` of a signature in `group`: a hash of the band's
/// number and its values, so equal bands of different numbers never meet.
pub fn band_key(band: usize, values: &[u64], group: u64) -> u64 {
    let mut bytes = Vec::with_capacity(8 * (values.len() + 1));
    bytes.extend_from_slice(&(band as u64).to_le_bytes());
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    xxh64(&bytes, KEY_SEED ^ group)
}

/// The key of a whole text in `group`, for exact duplicates (band number
/// `u64::MAX`).
pub fn text_key(text: &str, group: u64) -> u64 {
    let mut bytes = Vec::with_capacity(8 + text.len());
    bytes.extend_from_slice(&u64::MAX.to_le_bytes());
    bytes.extend_from_slice(text.as_bytes());
    xxh64(&bytes, KEY_SEED ^ group)
}

/// The key of a URL in `group`, for copies under one address (band number
/// `u64::MAX - 1`).
pub fn url_key(url: &str, group: u64) -> u64 {
    let mut bytes = Vec::with_capacity(8 + url.len());
    bytes.extend_from_slice(&(u64::MAX - 1).to_le_bytes());
    bytes.extend_from_slice(url.as_bytes());
    xxh64(&bytes, KEY_SEED ^ group)
}

/// The map step: band keys of each document's signature, as runs of pairs.
pub struct BandWriter {
    runs: PairRunWriter,
    hashes_per_bucket: usize,
}

impl BandWriter {
    pub fn new(
        dir: &Path,
        prefix: &str,
        partitions: u32,
        memory_bytes: usize,
        hashes_per_bucket: usize,
    ) -> Result<BandWriter, RunError> {
        Ok(BandWriter {
            runs: PairRunWriter::new(dir, prefix, partitions, memory_bytes)?,
            hashes_per_bucket,
        })
    }

    /// Writes the bands of document `doc`'s signature, in `group`.
    pub fn add_signature(
        &mut self,
        doc: u64,
        signature: &[u64],
        group: u64,
    ) -> Result<(), RunError> {
        for (band, values) in signature.chunks(self.hashes_per_bucket).enumerate() {
            self.runs.push(band_key(band, values, group), doc)?;
        }
        Ok(())
    }

    /// Writes one key of document `doc` (an exact-duplicate key).
    pub fn add_key(&mut self, doc: u64, key: u64) -> Result<(), RunError> {
        self.runs.push(key, doc)
    }

    pub fn finish(self) -> Result<Vec<PathBuf>, RunError> {
        self.runs.finish()
    }
}

/// The reduce step for one partition: calls `link(first, other)` for every
/// document sharing a band key with an earlier-numbered one.
pub fn reduce_partition(
    runs: &[PathBuf],
    partition: u32,
    mut link: impl FnMut(u64, u64),
) -> Result<(), RunError> {
    let mut current: Option<(u64, u64)> = None;
    merge_pairs::<RunError>(runs, partition, |key, doc| {
        match current {
            Some((k, first)) if k == key => {
                if doc != first {
                    link(first, doc);
                }
            }
            _ => current = Some((key, doc)),
        }
        Ok(())
    })
}

/// Connected components over documents numbered `0..n`; a component's root
/// is its smallest number.
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> UnionFind {
        assert!(
            n <= u32::MAX as usize,
            "at most 2^32 - 1 documents per clustering"
        );
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The root of `x`'s component (with path halving).
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Joins the components of `a` and `b`; the smaller root stays root.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (keep, join) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[join as usize] = keep;
        }
    }

    /// Every document's root, in the union-find's own array.
    pub fn into_roots(mut self) -> Vec<u32> {
        // Parents are smaller than children (the smaller root stays root),
        // so one pass in increasing order settles every root.
        for x in 0..self.parent.len() {
            let p = self.parent[x] as usize;
            self.parent[x] = self.parent[p];
        }
        self.parent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_have_their_smallest_member_as_root() {
        let mut uf = UnionFind::new(7);
        uf.union(5, 3);
        uf.union(3, 6);
        uf.union(1, 2);
        uf.union(6, 4);
        assert_eq!(uf.into_roots(), vec![0, 1, 1, 3, 3, 3, 3]);
    }

    #[test]
    fn documents_sharing_a_band_are_linked_across_runs_and_partitions() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = BandWriter::new(dir.path(), "m", 4, 0, 2).unwrap();
        // Docs 0 and 7 share band 1; doc 3 shares band 0 with doc 7; doc 5
        // has the same values as doc 0's band 0, but in band 1: no link.
        let sigs: [(u64, [u64; 4]); 4] = [
            (0, [1, 2, 3, 4]),
            (3, [9, 9, 8, 8]),
            (5, [7, 7, 1, 2]),
            (7, [9, 9, 3, 4]),
        ];
        for _ in 0..3000 {
            // Padding documents, so that the runs are several.
            w.add_key(1000, 42).unwrap();
        }
        for (doc, sig) in sigs {
            w.add_signature(doc, &sig, ALL_DOCUMENTS).unwrap();
        }
        let runs = w.finish().unwrap();
        assert!(runs.len() >= 2, "{} runs", runs.len());
        let mut links = Vec::new();
        for p in 0..4 {
            reduce_partition(&runs, p, |a, b| links.push((a, b))).unwrap();
        }
        links.retain(|&(a, _)| a != 42);
        links.sort();
        assert_eq!(links, vec![(0, 7), (3, 7)]);
        assert_ne!(text_key("a b", 0), text_key("a  b", 0));
        assert_eq!(text_key("a b", 0), text_key("a b", 0));
        // Groups keep equal texts and bands apart.
        let (de, fr) = (group_of("de"), group_of("fr"));
        assert_ne!(text_key("a b", de), text_key("a b", fr));
        assert_ne!(
            band_key(0, &[1, 2], de),
            band_key(0, &[1, 2], ALL_DOCUMENTS)
        );
    }
}
