//! Counts of 64-bit keys, and groups of values by 64-bit key, over a corpus
//! larger than memory, as explicit map and reduce steps over files.
//!
//! A map step ([`RunWriter`]) takes keys one at a time, holds at most a fixed
//! number of them in memory, and spills them sorted and counted to a *run*
//! file. Each run is cut into partitions by the top bits of the key, each an
//! independent block of the file, so a reduce step ([`merge_partition`])
//! reads one partition of every run, merges them in key order and sums the
//! counts. Map steps over different input shards, and reduce steps over
//! different partitions, can run on different machines: they share nothing
//! but the run files. No step holds more than its key buffer, or one record
//! per run, in memory.
//!
//! Run file layout, little-endian: the magic `TPRUNS01`; the number of
//! partitions (u32); `partitions + 1` byte offsets (u64) where each
//! partition's block starts, the last one being the end of the file; then
//! the blocks, each a sequence of records `varint(key - previous key)`,
//! `varint(count)` in increasing key order (the first key's previous key is 0).
//! Runs of pairs start with `TPPAIR01` and hold `varint(key - previous key)`,
//! `varint(value)` in increasing (key, value) order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"TPRUNS01";
/// The magic of runs of (key, value) pairs.
const PAIRS_MAGIC: &[u8; 8] = b"TPPAIR01";

/// What a run holds: each key once with its count, or (key, value) pairs
/// sorted by key then value, a key as often as it was pushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    Counts,
    Pairs,
}

impl RunKind {
    fn magic(self) -> &'static [u8; 8] {
        match self {
            RunKind::Counts => MAGIC,
            RunKind::Pairs => PAIRS_MAGIC,
        }
    }

    fn of_magic(magic: &[u8]) -> Option<RunKind> {
        if magic == MAGIC {
            Some(RunKind::Counts)
        } else if magic == PAIRS_MAGIC {
            Some(RunKind::Pairs)
        } else {
            None
        }
    }
}

/// The most partitions a run may have.
pub const MAX_PARTITIONS: u32 = 1 << 12;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a valid run file: {what}")]
    Corrupt { path: PathBuf, what: String },
    #[error("{0}")]
    Usage(String),
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> RunError + '_ {
    move |source| RunError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The partition of `key` among `partitions` (a power of two): its top bits,
/// so that a partition is a contiguous range of keys.
pub fn partition_of(key: u64, partitions: u32) -> u32 {
    if partitions <= 1 {
        0
    } else {
        (key >> (64 - partitions.trailing_zeros())) as u32
    }
}

fn check_partitions(partitions: u32) -> Result<(), RunError> {
    if partitions == 0 || !partitions.is_power_of_two() || partitions > MAX_PARTITIONS {
        return Err(RunError::Usage(format!(
            "partitions must be a power of two from 1 to {MAX_PARTITIONS}, not {partitions}"
        )));
    }
    Ok(())
}

/// Holds records up to a memory budget and writes each full buffer, sorted,
/// as a run named `PREFIX-NNNNN.run`: the map side of both kinds of run.
struct Spiller<T> {
    dir: PathBuf,
    prefix: String,
    partitions: u32,
    capacity: usize,
    records: Vec<T>,
    runs: Vec<PathBuf>,
    pushed: u64,
    write: fn(&Path, &[T], u32) -> Result<(), RunError>,
}

impl<T: Ord + Copy> Spiller<T> {
    fn new(
        dir: PathBuf,
        prefix: &str,
        partitions: u32,
        memory_bytes: usize,
        write: fn(&Path, &[T], u32) -> Result<(), RunError>,
    ) -> Result<Spiller<T>, RunError> {
        check_partitions(partitions)?;
        std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        Ok(Spiller {
            dir,
            prefix: prefix.to_string(),
            partitions,
            capacity: (memory_bytes / std::mem::size_of::<T>()).max(1024),
            records: Vec::new(),
            runs: Vec::new(),
            pushed: 0,
            write,
        })
    }

    fn push(&mut self, record: T) -> Result<(), RunError> {
        if self.records.len() == self.capacity {
            self.spill()?;
        }
        if self.records.capacity() == 0 {
            self.records.reserve_exact(self.capacity);
        }
        self.records.push(record);
        self.pushed += 1;
        Ok(())
    }

    fn spill(&mut self) -> Result<(), RunError> {
        if self.records.is_empty() {
            return Ok(());
        }
        self.records.sort_unstable();
        let path = self
            .dir
            .join(format!("{}-{:05}.run", self.prefix, self.runs.len()));
        (self.write)(&path, &self.records, self.partitions)?;
        self.records.clear();
        self.runs.push(path);
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<PathBuf>, RunError> {
        self.spill()?;
        Ok(self.runs)
    }
}

/// The map side: collects keys and spills them, sorted and counted, to run
/// files named `PREFIX-NNNNN.run` in a directory.
pub struct RunWriter(Spiller<u64>);

impl RunWriter {
    /// A writer holding at most `memory_bytes` of keys (8 bytes each) before
    /// it spills a run; `prefix` keeps the runs of different map steps apart
    /// in a shared directory.
    pub fn new(
        dir: impl Into<PathBuf>,
        prefix: &str,
        partitions: u32,
        memory_bytes: usize,
    ) -> Result<RunWriter, RunError> {
        Spiller::new(dir.into(), prefix, partitions, memory_bytes, write_run).map(RunWriter)
    }

    /// Counts one occurrence of `key`.
    pub fn push(&mut self, key: u64) -> Result<(), RunError> {
        self.0.push(key)
    }

    /// Keys pushed so far.
    pub fn pushed(&self) -> u64 {
        self.0.pushed
    }

    /// Spills what is left and returns the run files written.
    pub fn finish(self) -> Result<Vec<PathBuf>, RunError> {
        self.0.finish()
    }
}

fn put_varint(out: &mut impl Write, mut v: u64) -> std::io::Result<usize> {
    let mut buf = [0u8; 10];
    let mut n = 0;
    while v >= 0x80 {
        buf[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    buf[n] = v as u8;
    out.write_all(&buf[..=n])?;
    Ok(n + 1)
}

/// Writes sorted `keys` as a run: equal keys become one record with their count.
fn write_run(path: &Path, keys: &[u64], partitions: u32) -> Result<(), RunError> {
    let mut out = SortedRunWriter::create(path, partitions)?;
    let mut i = 0;
    while i < keys.len() {
        let key = keys[i];
        let start = i;
        while i < keys.len() && keys[i] == key {
            i += 1;
        }
        out.push(key, (i - start) as u64)?;
    }
    out.finish()
}

/// Writes a run from records already in increasing key order, each key
/// once with its count: what a reduce step keeps of its merge is written
/// this way, straight from the merge, and read back like any run.
pub struct SortedRunWriter {
    path: PathBuf,
    out: BufWriter<File>,
    partitions: u32,
    kind: RunKind,
    offsets: Vec<u64>,
    /// The partition being written, its last record, and bytes written so far.
    partition: u32,
    previous: Option<(u64, u64)>,
    at: u64,
}

impl SortedRunWriter {
    /// A run of counts: each key once, with a positive count.
    pub fn create(path: &Path, partitions: u32) -> Result<SortedRunWriter, RunError> {
        SortedRunWriter::create_kind(path, partitions, RunKind::Counts)
    }

    /// A run of (key, value) pairs, in increasing (key, value) order.
    pub fn create_pairs(path: &Path, partitions: u32) -> Result<SortedRunWriter, RunError> {
        SortedRunWriter::create_kind(path, partitions, RunKind::Pairs)
    }

    fn create_kind(
        path: &Path,
        partitions: u32,
        kind: RunKind,
    ) -> Result<SortedRunWriter, RunError> {
        check_partitions(partitions)?;
        let file = File::create(path).map_err(io_error(path))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let table = 8 * (partitions as usize + 1);
        let header = (MAGIC.len() + 4 + table) as u64;
        out.write_all(kind.magic())
            .and_then(|_| out.write_all(&partitions.to_le_bytes()))
            .and_then(|_| out.write_all(&vec![0u8; table]))
            .map_err(io_error(path))?;
        let mut offsets = vec![header; partitions as usize + 1];
        offsets[0] = header;
        Ok(SortedRunWriter {
            path: path.to_path_buf(),
            out,
            partitions,
            kind,
            offsets,
            partition: 0,
            previous: None,
            at: header,
        })
    }

    /// Adds `key` with `value` (its count, in a run of counts). Counts need
    /// increasing keys and positive counts; pairs need (key, value) not to
    /// decrease.
    pub fn push(&mut self, key: u64, value: u64) -> Result<(), RunError> {
        let in_order = match (self.kind, self.previous) {
            (_, None) => true,
            (RunKind::Counts, Some((k, _))) => key > k,
            (RunKind::Pairs, Some(p)) => (key, value) >= p,
        };
        if !in_order || (self.kind == RunKind::Counts && value == 0) {
            return Err(RunError::Usage(format!(
                "{}: records out of order, or a zero count",
                self.path.display()
            )));
        }
        let p = partition_of(key, self.partitions);
        while self.partition < p {
            self.partition += 1;
            self.offsets[self.partition as usize] = self.at;
            self.previous = None;
        }
        let delta = key - self.previous.map_or(0, |(k, _)| k);
        let n = put_varint(&mut self.out, delta)
            .and_then(|a| put_varint(&mut self.out, value).map(|b| a + b))
            .map_err(io_error(&self.path))?;
        self.at += n as u64;
        self.previous = Some((key, value));
        Ok(())
    }

    /// Writes the partition table and closes the file.
    pub fn finish(mut self) -> Result<(), RunError> {
        for p in self.partition + 1..=self.partitions {
            self.offsets[p as usize] = self.at;
        }
        let path = self.path.clone();
        let mut file = self
            .out
            .into_inner()
            .map_err(|e| io_error(&path)(e.into_error()))?;
        let bytes: Vec<u8> = self.offsets.iter().flat_map(|o| o.to_le_bytes()).collect();
        file.seek(SeekFrom::Start((MAGIC.len() + 4) as u64))
            .and_then(|_| file.write_all(&bytes))
            .map_err(io_error(&path))?;
        Ok(())
    }
}

/// The records of one partition of one run, in key order.
struct PartitionReader {
    path: PathBuf,
    kind: RunKind,
    input: std::io::Take<BufReader<File>>,
    /// The last record read, once one was.
    previous: Option<(u64, u64)>,
}

impl PartitionReader {
    fn open(path: &Path, partition: u32) -> Result<PartitionReader, RunError> {
        let corrupt = |what: &str| RunError::Corrupt {
            path: path.to_path_buf(),
            what: what.to_string(),
        };
        let file = File::open(path).map_err(io_error(path))?;
        let size = file.metadata().map_err(io_error(path))?.len();
        let mut input = BufReader::with_capacity(1 << 16, file);
        let mut head = [0u8; 12];
        input
            .read_exact(&mut head)
            .map_err(|_| corrupt("shorter than its header"))?;
        let Some(kind) = RunKind::of_magic(&head[..8]) else {
            return Err(corrupt("wrong magic bytes"));
        };
        let partitions = u32::from_le_bytes(head[8..12].try_into().expect("4 bytes"));
        if check_partitions(partitions).is_err() {
            return Err(corrupt(&format!("{partitions} partitions")));
        }
        if partition >= partitions {
            return Err(RunError::Usage(format!(
                "{}: has {partitions} partitions, no partition {partition}",
                path.display()
            )));
        }
        let mut offsets = vec![0u8; 8 * (partitions as usize + 1)];
        input
            .read_exact(&mut offsets)
            .map_err(|_| corrupt("truncated partition table"))?;
        let offset =
            |k: usize| u64::from_le_bytes(offsets[8 * k..8 * k + 8].try_into().expect("8"));
        let (start, end) = (offset(partition as usize), offset(partition as usize + 1));
        let header = (12 + offsets.len()) as u64;
        if start < header || end < start || offset(partitions as usize) != size {
            return Err(corrupt("partition table does not match the file size"));
        }
        input.seek(SeekFrom::Start(start)).map_err(io_error(path))?;
        Ok(PartitionReader {
            path: path.to_path_buf(),
            kind,
            input: input.take(end - start),
            previous: None,
        })
    }

    fn varint(&mut self) -> Result<Option<u64>, RunError> {
        let (mut v, mut shift) = (0u64, 0u32);
        let mut byte = [0u8; 1];
        loop {
            match self.input.read(&mut byte) {
                Ok(0) if shift == 0 => return Ok(None),
                Ok(0) => return Err(self.corrupt("a record is cut short")),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error(&self.path)(e)),
            }
            if shift > 63 {
                return Err(self.corrupt("a number is too long"));
            }
            v |= u64::from(byte[0] & 0x7f) << shift;
            if byte[0] < 0x80 {
                return Ok(Some(v));
            }
            shift += 7;
        }
    }

    fn corrupt(&self, what: &str) -> RunError {
        RunError::Corrupt {
            path: self.path.clone(),
            what: what.to_string(),
        }
    }

    fn next_record(&mut self) -> Result<Option<(u64, u64)>, RunError> {
        let Some(delta) = self.varint()? else {
            return Ok(None);
        };
        let Some(value) = self.varint()? else {
            return Err(self.corrupt("a key without its value"));
        };
        let key = self
            .previous
            .map_or(0, |(k, _)| k)
            .checked_add(delta)
            .ok_or_else(|| self.corrupt("keys out of order"))?;
        let in_order = match (self.kind, self.previous) {
            (RunKind::Counts, previous) => value > 0 && (delta > 0 || previous.is_none()),
            (RunKind::Pairs, Some(p)) => (key, value) >= p,
            (RunKind::Pairs, None) => true,
        };
        if !in_order {
            return Err(self.corrupt("records out of order, or a zero count"));
        }
        self.previous = Some((key, value));
        Ok(Some((key, value)))
    }
}

/// The reduce side: merges partition `partition` of every run in key order,
/// summing the counts of equal keys, and hands each key with its total to
/// `emit`. Holds one record per run in memory.
pub fn merge_partition<E>(
    runs: &[PathBuf],
    partition: u32,
    mut emit: impl FnMut(u64, u64) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<RunError>,
{
    let mut current: Option<(u64, u64)> = None;
    merge_sorted::<E>(open_all(runs, partition, RunKind::Counts)?, |key, count| {
        current = match current {
            Some((c, total)) if c == key => Some((c, total + count)),
            Some((c, total)) => {
                emit(c, total)?;
                Some((key, count))
            }
            None => Some((key, count)),
        };
        Ok(())
    })?;
    if let Some((c, total)) = current {
        emit(c, total)?;
    }
    Ok(())
}

/// The k-way merge of both kinds of run: every record of `readers`, in
/// (key, value) order, one record per reader in memory.
fn merge_sorted<E>(
    mut readers: Vec<PartitionReader>,
    mut emit: impl FnMut(u64, u64) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<RunError>,
{
    let mut heap = BinaryHeap::with_capacity(readers.len());
    for (k, reader) in readers.iter_mut().enumerate() {
        if let Some((key, value)) = reader.next_record()? {
            heap.push(Reverse((key, value, k)));
        }
    }
    while let Some(Reverse((key, value, k))) = heap.pop() {
        emit(key, value)?;
        if let Some((next, v)) = readers[k].next_record()? {
            heap.push(Reverse((next, v, k)));
        }
    }
    Ok(())
}

fn open_all(
    runs: &[PathBuf],
    partition: u32,
    kind: RunKind,
) -> Result<Vec<PartitionReader>, RunError> {
    let readers = runs
        .iter()
        .map(|r| PartitionReader::open(r, partition))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(r) = readers.iter().find(|r| r.kind != kind) {
        return Err(RunError::Usage(format!(
            "{}: a run of {:?}, where runs of {kind:?} are merged",
            r.path.display(),
            r.kind
        )));
    }
    Ok(readers)
}

/// The reduce side for runs of pairs: hands every (key, value) of partition
/// `partition` of every run to `emit`, in (key, value) order. Holds one
/// record per run in memory.
pub fn merge_pairs<E>(
    runs: &[PathBuf],
    partition: u32,
    emit: impl FnMut(u64, u64) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<RunError>,
{
    merge_sorted(open_all(runs, partition, RunKind::Pairs)?, emit)
}

/// The map side for pairs: collects (key, value) pairs and spills them,
/// sorted, to run files named `PREFIX-NNNNN.run` in a directory.
pub struct PairRunWriter(Spiller<(u64, u64)>);

impl PairRunWriter {
    /// A writer holding at most `memory_bytes` of pairs (16 bytes each)
    /// before it spills a run.
    pub fn new(
        dir: impl Into<PathBuf>,
        prefix: &str,
        partitions: u32,
        memory_bytes: usize,
    ) -> Result<PairRunWriter, RunError> {
        Spiller::new(dir.into(), prefix, partitions, memory_bytes, write_pairs).map(PairRunWriter)
    }

    pub fn push(&mut self, key: u64, value: u64) -> Result<(), RunError> {
        self.0.push((key, value))
    }

    /// Pairs pushed so far.
    pub fn pushed(&self) -> u64 {
        self.0.pushed
    }

    /// Spills what is left and returns the run files written.
    pub fn finish(self) -> Result<Vec<PathBuf>, RunError> {
        self.0.finish()
    }
}

/// Writes sorted pairs as a run of pairs.
fn write_pairs(path: &Path, pairs: &[(u64, u64)], partitions: u32) -> Result<(), RunError> {
    let mut out = SortedRunWriter::create_pairs(path, partitions)?;
    for &(k, v) in pairs {
        out.push(k, v)?;
    }
    out.finish()
}

/// The number of partitions of a run file.
pub fn partitions_in(path: &Path) -> Result<u32, RunError> {
    let mut head = [0u8; 12];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map_err(|_| RunError::Corrupt {
            path: path.to_path_buf(),
            what: "shorter than its header".into(),
        })?;
    let partitions = u32::from_le_bytes(head[8..12].try_into().expect("4 bytes"));
    if RunKind::of_magic(&head[..8]).is_none() || check_partitions(partitions).is_err() {
        return Err(RunError::Corrupt {
            path: path.to_path_buf(),
            what: "wrong magic bytes or partition count".into(),
        });
    }
    Ok(partitions)
}

/// The run files in `dir` (every `*.run`), in name order.
pub fn runs_in(dir: &Path) -> Result<Vec<PathBuf>, RunError> {
    let mut runs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_error(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "run"))
        .collect();
    runs.sort();
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(runs: &[PathBuf], partitions: u32) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        for p in 0..partitions {
            merge_partition::<RunError>(runs, p, |k, c| {
                assert_eq!(partition_of(k, partitions), p);
                out.push((k, c));
                Ok(())
            })
            .unwrap();
        }
        out
    }

    #[test]
    fn spilled_runs_merge_to_the_exact_counts() {
        let dir = tempfile::tempdir().unwrap();
        // A small buffer: many runs, keys spread over all partitions, and
        // the same keys in several runs.
        let mut w = RunWriter::new(dir.path(), "m0", 8, 8 * 1024).unwrap();
        let mut expected = std::collections::BTreeMap::new();
        let mut x = 0x1234_5678_9abc_def0u64;
        for i in 0..20_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Few distinct keys, so most repeat across runs; include 0 and MAX.
            let key = match i % 1000 {
                0 => 0,
                1 => u64::MAX,
                _ => (x % 3000).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            };
            w.push(key).unwrap();
            *expected.entry(key).or_insert(0u64) += 1;
        }
        assert_eq!(w.pushed(), 20_000);
        let runs = w.finish().unwrap();
        assert!(runs.len() >= 19, "{} runs", runs.len());
        let got = merged(&runs, 8);
        let want: Vec<(u64, u64)> = expected.into_iter().collect();
        assert_eq!(got, want);
        assert_eq!(runs_in(dir.path()).unwrap(), runs);
    }

    #[test]
    fn a_run_written_from_sorted_records_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.run");
        let records: Vec<(u64, u64)> = vec![(0, 2), (7, 1), (1 << 62, 5), (u64::MAX, 3)];
        let mut w = SortedRunWriter::create(&path, 4).unwrap();
        for &(k, c) in &records {
            w.push(k, c).unwrap();
        }
        assert!(w.push(5, 1).is_err(), "keys out of order are refused");
        w.finish().unwrap();
        assert_eq!(merged(std::slice::from_ref(&path), 4), records);
        // An empty run is a valid run.
        SortedRunWriter::create(&path, 1).unwrap().finish().unwrap();
        assert_eq!(merged(&[path], 1), vec![]);
    }

    #[test]
    fn pairs_spilled_in_runs_merge_in_key_then_value_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = PairRunWriter::new(dir.path(), "p", 4, 16 * 1024).unwrap();
        let mut expected = Vec::new();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for doc in 0..10_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Few keys, many values each, value 0 included.
            let key = (x % 500).wrapping_mul(0x2545_f491_4f6c_dd1d);
            w.push(key, doc).unwrap();
            expected.push((key, doc));
        }
        let runs = w.finish().unwrap();
        assert!(runs.len() >= 9, "{} runs", runs.len());
        expected.sort_unstable();
        let mut got = Vec::new();
        for p in 0..4 {
            merge_pairs::<RunError>(&runs, p, |k, v| {
                got.push((k, v));
                Ok(())
            })
            .unwrap();
        }
        assert_eq!(got, expected);
        // Runs of pairs are not runs of counts, and the other way round.
        assert!(matches!(
            merge_partition::<RunError>(&runs, 0, |_, _| Ok(())),
            Err(RunError::Usage(_))
        ));
    }

    #[test]
    fn one_partition_and_an_empty_run() {
        let dir = tempfile::tempdir().unwrap();
        let w = RunWriter::new(dir.path(), "empty", 1, 0).unwrap();
        assert!(w.finish().unwrap().is_empty());
        let mut w = RunWriter::new(dir.path(), "one", 1, 0).unwrap();
        for k in [5, 3, 5, 5] {
            w.push(k).unwrap();
        }
        let runs = w.finish().unwrap();
        assert_eq!(merged(&runs, 1), vec![(3, 1), (5, 3)]);
    }

    #[test]
    fn bad_partition_counts_and_damaged_files_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            RunWriter::new(dir.path(), "x", 3, 0),
            Err(RunError::Usage(_))
        ));
        let mut w = RunWriter::new(dir.path(), "x", 4, 0).unwrap();
        for k in 0..5000u64 {
            w.push(k.wrapping_mul(0x9e37_79b9_7f4a_7c15)).unwrap();
        }
        let runs = w.finish().unwrap();
        // Cut the file: its table no longer matches its size.
        let bytes = std::fs::read(&runs[0]).unwrap();
        std::fs::write(&runs[0], &bytes[..bytes.len() - 3]).unwrap();
        let err = merge_partition::<RunError>(&runs, 3, |_, _| Ok(())).unwrap_err();
        assert!(
            matches!(&err, RunError::Corrupt { path, .. } if path == &runs[0]),
            "{err}"
        );
        assert!(err.to_string().contains("x-00000.run"), "{err}");
        // Not a run at all.
        std::fs::write(&runs[0], b"hello").unwrap();
        let err = merge_partition::<RunError>(&runs, 0, |_, _| Ok(())).unwrap_err();
        assert!(err.to_string().contains("header"), "{err}");
        // Asking for a partition the run does not have.
        std::fs::write(&runs[0], &bytes).unwrap();
        let err = merge_partition::<RunError>(&runs, 4, |_, _| Ok(())).unwrap_err();
        assert!(matches!(err, RunError::Usage(_)), "{err}");
    }
}
