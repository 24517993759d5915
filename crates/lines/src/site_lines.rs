//! Lines frequent on the pages of one site, counted over a corpus.
//!
//! A site's template (its menus, footers, author boxes, disclaimers) is on
//! many of its pages, its articles are each on one. CCNet removes the lines
//! frequent across a whole shard; counting per site instead needs no
//! shard-wide threshold, removes a small site's template as well as a large
//! one's, and leaves alone a sentence that articles of different sites
//! quote.
//!
//! Counting is two steps over files with bounded memory (see
//! [`tapis_counts`]): a map step per input shard ([`SiteLineCounter`]) writes,
//! for every document, one key for its site and one per distinct line,
//! spilled as sorted runs; a reduce step per partition ([`reduce`]) merges
//! them and keeps the lines found on at least `min_docs` documents of their
//! site. Partitions are by site, so one reduce sees all of a site's counts.
//! The cleaning pass then looks lines up in [`SiteLines`].
//!
//! A key is 32 bits of the site's name, then 32 bits of the line's words
//! (lower case, digits as 0, so "© 2023" and "© 2024" are one line); line
//! bits 0 stand for the site itself, counting its documents.

use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};
use tapis_counts::{RunError, RunWriter, SortedRunWriter, merge_partition, runs_in};

use crate::words::LineWords;

/// The site of a page: its URL's host in lower case without `www.`; for an
/// archive.org capture, the host of the captured URL.
pub fn site_of_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if let Some(captured) = archive_capture(&parsed) {
        return site_of_url(&captured?);
    }
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_string())
}

/// For an archive.org capture (`https://web.archive.org/web/<time>/<url>`),
/// the captured URL, or `Some(None)` when the path names none; `None` for
/// any other URL.
pub(crate) fn archive_capture(parsed: &url::Url) -> Option<Option<String>> {
    if !parsed.host_str()?.eq_ignore_ascii_case("web.archive.org") {
        return None;
    }
    let captured = parsed
        .path()
        .strip_prefix("/web/")
        .and_then(|rest| rest.split_once('/'))
        .map(|(_, captured)| {
            if captured.contains("://") {
                captured.to_string()
            } else {
                format!("http://{captured}")
            }
        });
    Some(captured)
}

/// A stable 64-bit hash (FNV-1a, then the SplitMix64 finalizer): keys are
/// written to files and must mean the same thing in every version.
fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The 32 bits that stand for a site in keys.
pub fn site_hash(site: &str) -> u32 {
    (stable_hash(site.as_bytes()) >> 32) as u32
}

/// The key counting the documents of a site.
fn site_key(site: u32) -> u64 {
    u64::from(site) << 32
}

/// The key of a line on a site, `None` for a line without words.
pub fn line_key(site: u32, line: &str) -> Option<u64> {
    let words = LineWords::new(line);
    if words.is_empty() {
        return None;
    }
    let normalized: String = words
        .lower
        .chars()
        .map(|c| if c.is_numeric() { '0' } else { c })
        .collect();
    let bits = (stable_hash(normalized.as_bytes()) as u32).max(1);
    Some(site_key(site) | u64::from(bits))
}

/// The lines of a text as line cleaning splits them (on `\n`).
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
}

/// The map step: keys of each document's site and distinct lines, spilled
/// as runs.
pub struct SiteLineCounter {
    runs: RunWriter,
    seen: FxHashSet<u64>,
    documents: u64,
}

impl SiteLineCounter {
    /// Runs go to `dir` as `PREFIX-NNNNN.run`; at most `memory_bytes` of keys
    /// are held before a run is spilled.
    pub fn new(
        dir: &Path,
        prefix: &str,
        partitions: u32,
        memory_bytes: usize,
    ) -> Result<SiteLineCounter, RunError> {
        Ok(SiteLineCounter {
            runs: RunWriter::new(dir, prefix, partitions, memory_bytes)?,
            seen: FxHashSet::default(),
            documents: 0,
        })
    }

    /// Counts one document of `site`: each line once, however often it
    /// appears in the document.
    pub fn add(&mut self, site: &str, text: &str) -> Result<(), RunError> {
        let site = site_hash(site);
        self.documents += 1;
        self.runs.push(site_key(site))?;
        self.seen.clear();
        for line in lines_of(text) {
            if let Some(key) = line_key(site, line)
                && self.seen.insert(key)
            {
                self.runs.push(key)?;
            }
        }
        Ok(())
    }

    /// Keys written: one per document and one per distinct line of each.
    pub fn keys(&self) -> u64 {
        self.runs.pushed()
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Spills what is left; the run files written.
    pub fn finish(self) -> Result<Vec<PathBuf>, RunError> {
        self.runs.finish()
    }
}

/// What one reduce step kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReduceStats {
    /// Sites with at least `min_docs` documents.
    pub sites: u64,
    /// Lines on at least `min_docs` documents of their site.
    pub frequent_lines: u64,
    /// Distinct (site, line) pairs seen.
    pub distinct_lines: u64,
}

/// The name of the file a reduce step writes for `partition`.
pub fn frequent_file(dir: &Path, partition: u32) -> PathBuf {
    dir.join(format!("frequent-{partition:05}.run"))
}

/// The reduce step for one partition: merges the runs and writes, to
/// [`frequent_file`], the sites with at least `min_docs` documents and their
/// lines found on at least `min_docs` of them, with their counts.
pub fn reduce(
    runs: &[PathBuf],
    partition: u32,
    min_docs: u32,
    out_dir: &Path,
) -> Result<ReduceStats, RunError> {
    let min_docs = u64::from(min_docs.max(1));
    std::fs::create_dir_all(out_dir).map_err(|source| RunError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    // Written under a temporary name and renamed when complete, so that a
    // reduce that fails leaves no partial file for the cleaning pass to read.
    let target = frequent_file(out_dir, partition);
    let partial = target.with_extension("partial");
    // A run of one partition, read back by [`SiteLines::load`] like any run.
    let mut kept = SortedRunWriter::create(&partial, 1)?;
    let mut stats = ReduceStats::default();
    let mut site_docs = 0u64;
    merge_partition::<RunError>(runs, partition, |key, count| {
        // Keys sort by site, the site's own key (line bits 0) first.
        if key as u32 == 0 {
            site_docs = count;
            if count >= min_docs {
                stats.sites += 1;
                kept.push(key, count)?;
            }
        } else {
            stats.distinct_lines += 1;
            if count >= min_docs && site_docs >= min_docs {
                stats.frequent_lines += 1;
                kept.push(key, count)?;
            }
        }
        Ok(())
    })?;
    kept.finish()?;
    std::fs::rename(&partial, &target).map_err(|source| RunError::Io {
        path: target.clone(),
        source,
    })?;
    Ok(stats)
}

/// The frequent lines of every site, for the cleaning pass.
#[derive(Default)]
pub struct SiteLines {
    counts: FxHashMap<u64, u32>,
}

impl SiteLines {
    /// Reads every reduce output (`frequent-*.run`) in `dir`.
    pub fn load(dir: &Path) -> Result<SiteLines, RunError> {
        let mut counts = FxHashMap::default();
        let files: Vec<PathBuf> = runs_in(dir)?
            .into_iter()
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("frequent-"))
            })
            .collect();
        for file in files {
            merge_partition::<RunError>(std::slice::from_ref(&file), 0, |key, count| {
                counts.insert(key, count.min(u64::from(u32::MAX)) as u32);
                Ok(())
            })?;
        }
        Ok(SiteLines { counts })
    }

    /// Documents of `site` counted, 0 if fewer than the reduce's `min_docs`.
    pub fn documents(&self, site: u32) -> u32 {
        self.counts.get(&site_key(site)).copied().unwrap_or(0)
    }

    /// Documents of its site holding the line with `key`, 0 if fewer than
    /// the reduce's `min_docs`.
    pub fn count(&self, key: u64) -> u32 {
        self.counts.get(&key).copied().unwrap_or(0)
    }

    /// Number of sites and frequent lines held.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_keys_ignore_case_punctuation_spacing_and_digit_values() {
        let site = site_hash("example.com");
        let key = |l: &str| line_key(site, l);
        assert_eq!(
            key("© 2023 Example — All rights reserved."),
            key("© 2024 example: all  RIGHTS reserved")
        );
        assert_ne!(key("© 2023 Example"), key("© 2023 Example news"));
        assert_eq!(key("  * — |  "), None);
        // Digits in any script count as 0.
        assert_eq!(key("صفحة ٣"), key("صفحة ٧"));
        // The same line on another site is another key, in its site's range.
        let other = line_key(site_hash("other.org"), "Share this").unwrap();
        assert_ne!(key("Share this"), Some(other));
        assert_eq!(key("Share this").unwrap() >> 32, u64::from(site));
        assert_ne!(key("Share this").unwrap() as u32, 0);
    }
}
