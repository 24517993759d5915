//! Reading: paths and folders to a stream of [`Item`]s, one reader per format.

mod html;
mod jsonl;
mod parquet;
mod text;
mod warc;

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{ErrorKind, RecordError};
use crate::{Item, ReadOptions, Skipped};

/// Read buffer per plain file: large enough that line splitting, not
/// syscalls, dominates.
const READ_BUFFER: usize = 1 << 20;
/// Buffer of decompressed bytes. A decoder that meets corrupt data drops
/// what it decoded in the same call, so this bounds what a corrupt block
/// costs of the complete records before it.
const DECODED_BUFFER: usize = 64 << 10;

type ItemStream = Box<dyn Iterator<Item = Item> + Send>;

/// Why a record, or a file, was skipped. The snake_case names are stable:
/// they key `skipped_by_reason` in statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// `warcinfo`: about the file, not a capture.
    WarcInfo,
    /// `request`: what the crawler sent.
    Request,
    /// `metadata`: the crawler's notes, and every record of a WAT file.
    Metadata,
    /// `revisit`: a capture identical to an earlier one, without payload.
    Revisit,
    /// Another record type (`continuation`, …).
    OtherRecordType,
    /// A response whose HTTP status is not 2xx (redirects, errors).
    HttpStatus,
    /// A response or resource that is not HTML (images, PDF, scripts…).
    NotHtml,
    /// A file or folder, inside a folder given as input, whose name starts
    /// with `.` (hidden) or `_` (what data-lake tools write beside their
    /// data: `_SUCCESS`, `_delta_log`): not read, but counted, so that a
    /// data file named that way is not lost without a word.
    HiddenEntry,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::WarcInfo => "warcinfo",
            SkipReason::Request => "request",
            SkipReason::Metadata => "metadata",
            SkipReason::Revisit => "revisit",
            SkipReason::OtherRecordType => "other_record_type",
            SkipReason::HttpStatus => "http_status",
            SkipReason::NotHtml => "not_html",
            SkipReason::HiddenEntry => "hidden_entry",
        }
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Streams every record of `paths`, in order, as documents, pages, skips or
/// errors.
///
/// Folders are walked recursively (files sorted by path; an entry whose name
/// starts with `.` or `_` is not read and yields one [`Item::Skipped`],
/// `hidden_entry`); the reader is picked by extension: `.txt` (one document per
/// file), `.jsonl` / `.json` / `.ndjson` (one record per line), `.warc` /
/// `.wet` / `.wat` (one item per WARC record), `.html` / `.htm` / `.xhtml`
/// (one page per file), each plain, `.gz` or `.zst`, and `.parquet`. `-` reads JSONL from standard input.
/// A path that cannot be read yields one error (record 0) and reading goes on
/// with the next.
///
/// Nothing is opened until the iterator is advanced, and at most one file is
/// open at a time.
pub fn read_inputs(paths: &[PathBuf], opts: &ReadOptions) -> Inputs {
    Inputs {
        pending: paths.iter().cloned().map(Pending::Given).collect(),
        current: None,
        opts: Arc::new(opts.clone()),
    }
}

/// The iterator returned by [`read_inputs`].
pub struct Inputs {
    pending: VecDeque<Pending>,
    current: Option<ItemStream>,
    opts: Arc<ReadOptions>,
}

enum Pending {
    /// A path as the caller gave it: a file, a folder or `-`.
    Given(PathBuf),
    /// A file found while walking a folder.
    Found(Source),
    /// A folder entry that could not be listed.
    Failed(RecordError),
    /// A folder entry deliberately not read.
    Skipped(Skipped),
}

/// A file to read, with the names derived from where it was found.
pub(crate) struct Source {
    path: PathBuf,
    /// How the file is named in origins and errors.
    pub(crate) file: Arc<str>,
    /// The path relative to the folder given (or the file name), without
    /// extensions, `/`-separated: the id of a `.txt` document and the prefix
    /// of generated ids, unique across the folders of one run.
    pub(crate) stem: String,
    format: Format,
    compression: Compression,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Jsonl,
    Text,
    Parquet,
    Warc,
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Iterator for Inputs {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(item) = current.next() {
                    return Some(item);
                }
                self.current = None;
            }
            match self.pending.pop_front()? {
                Pending::Failed(e) => return Some(Item::Error(e)),
                Pending::Skipped(s) => return Some(Item::Skipped(s)),
                Pending::Found(source) => match self.open(source) {
                    Ok(stream) => self.current = Some(stream),
                    Err(e) => return Some(Item::Error(e)),
                },
                Pending::Given(path) => {
                    if path.as_os_str() == "-" {
                        let stdin = BufReader::with_capacity(READ_BUFFER, io::stdin());
                        self.current = Some(stream_jsonl(stdin, &self.opts));
                        continue;
                    }
                    let name: Arc<str> = path.to_string_lossy().into();
                    match std::fs::metadata(&path) {
                        Err(e) => {
                            return Some(Item::Error(RecordError::new(
                                name,
                                0,
                                ErrorKind::UnreadablePath,
                                e.to_string(),
                            )));
                        }
                        Ok(m) if m.is_dir() => {
                            for p in walk(&path).into_iter().rev() {
                                self.pending.push_front(p);
                            }
                        }
                        Ok(_) => {
                            let file_name =
                                path.file_name().map(|n| n.to_string_lossy().into_owned());
                            match source(path.clone(), name, file_name.as_deref().unwrap_or("")) {
                                Ok(s) => self.pending.push_front(Pending::Found(s)),
                                Err(e) => return Some(Item::Error(e)),
                            }
                        }
                    }
                }
            }
        }
    }
}

impl Inputs {
    fn open(&self, source: Source) -> Result<ItemStream, RecordError> {
        let file = File::open(&source.path).map_err(|e| {
            RecordError::new(
                source.file.clone(),
                0,
                ErrorKind::UnreadablePath,
                e.to_string(),
            )
        })?;
        if source.format == Format::Parquet {
            return Ok(Box::new(parquet::ParquetReader::new(
                file, source, &self.opts,
            )?));
        }
        let compressed = source.compression != Compression::None;
        let reader: Box<dyn BufRead + Send> = match source.compression {
            Compression::None => Box::new(BufReader::with_capacity(READ_BUFFER, file)),
            Compression::Gzip => {
                // Multi-member: concatenated gzip files are one stream.
                let inner = BufReader::with_capacity(1 << 16, file);
                let decoder = flate2::bufread::MultiGzDecoder::new(inner);
                Box::new(BufReader::with_capacity(DECODED_BUFFER, decoder))
            }
            Compression::Zstd => {
                let mut decoder = zstd::stream::read::Decoder::new(file).map_err(|e| {
                    RecordError::new(
                        source.file.clone(),
                        0,
                        ErrorKind::Io,
                        format!("zstd decoder: {e}"),
                    )
                })?;
                // Accept frames written with long-distance matching (--long).
                let _ = decoder.window_log_max(31);
                Box::new(BufReader::with_capacity(DECODED_BUFFER, decoder))
            }
        };
        Ok(match source.format {
            Format::Text => Box::new(std::iter::once(text::read(reader, &source, compressed))),
            Format::Html => Box::new(std::iter::once(html::read(
                reader,
                &source,
                compressed,
                self.opts.max_record_bytes,
            ))),
            Format::Warc => Box::new(warc::WarcReader::new(
                reader,
                source.file,
                source.stem,
                compressed,
                self.opts.max_record_bytes,
            )),
            Format::Jsonl | Format::Parquet => Box::new(jsonl::JsonlReader::new(
                reader,
                source.file,
                source.stem,
                compressed,
                &self.opts,
            )),
        })
    }
}

/// JSONL from a stream that is no file (standard input), named `-`.
fn stream_jsonl(reader: impl BufRead + Send + 'static, opts: &Arc<ReadOptions>) -> ItemStream {
    Box::new(jsonl::JsonlReader::new(
        reader,
        "-".into(),
        "stdin".into(),
        false,
        opts,
    ))
}

/// Classifies a file by its name (case-insensitive extensions).
fn source(path: PathBuf, file: Arc<str>, relative: &str) -> Result<Source, RecordError> {
    let lower = relative.to_ascii_lowercase();
    let (compression, rest) = if let Some(r) = lower.strip_suffix(".gz") {
        (Compression::Gzip, r)
    } else if let Some(r) = lower
        .strip_suffix(".zst")
        .or_else(|| lower.strip_suffix(".zstd"))
    {
        (Compression::Zstd, r)
    } else {
        (Compression::None, lower.as_str())
    };
    let format = [
        (".jsonl", Format::Jsonl),
        (".ndjson", Format::Jsonl),
        (".json", Format::Jsonl),
        (".txt", Format::Text),
        (".parquet", Format::Parquet),
        (".warc", Format::Warc),
        (".wet", Format::Warc),
        (".wat", Format::Warc),
        (".html", Format::Html),
        (".htm", Format::Html),
        (".xhtml", Format::Html),
    ]
    .into_iter()
    .find(|(ext, f)| {
        rest.ends_with(ext) && !(*f == Format::Parquet && compression != Compression::None)
    });
    let Some((ext, format)) = format else {
        return Err(RecordError::new(
            file,
            0,
            ErrorKind::UnsupportedExtension,
            "expected .txt, .jsonl, .json, .ndjson, .warc, .wet, .wat, .html, .htm or .xhtml \
             (plain, .gz or .zst), or .parquet",
        ));
    };
    // Extensions are ASCII, so byte lengths match between `lower` and `relative`.
    let stem = relative[..rest.len() - ext.len()].to_string();
    Ok(Source {
        path,
        file,
        stem,
        format,
        compression,
    })
}

/// Every file under `root` (sorted by path), a skip for each hidden entry,
/// and an error for each entry that could not be listed or has no reader.
fn walk(root: &Path) -> Vec<Pending> {
    let mut found: Vec<(PathBuf, Pending)> = Vec::new();
    let mut visited = HashSet::new();
    walk_into(root, Path::new(""), &mut visited, &mut found);
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.into_iter().map(|(_, p)| p).collect()
}

fn walk_into(
    root: &Path,
    rel: &Path,
    visited: &mut HashSet<PathBuf>,
    found: &mut Vec<(PathBuf, Pending)>,
) {
    let dir = root.join(rel);
    let failed = |e: io::Error, path: &Path| {
        Pending::Failed(RecordError::new(
            path.to_string_lossy().into(),
            0,
            ErrorKind::UnreadablePath,
            e.to_string(),
        ))
    };
    // Symbolic links are followed, but a folder is never entered twice.
    if let Ok(c) = dir.canonicalize()
        && !visited.insert(c)
    {
        return;
    }
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            found.push((rel.to_path_buf(), failed(e, &dir)));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                found.push((rel.to_path_buf(), failed(e, &dir)));
                continue;
            }
        };
        let name = entry.file_name();
        let child_rel = rel.join(&name);
        let path = root.join(&child_rel);
        // Hidden entries, and `_`-prefixed ones that data-lake tools treat
        // as hidden too (`_SUCCESS`, `_delta_log`), are not inputs; each is
        // reported once (a hidden folder as a whole).
        if matches!(name.as_encoded_bytes().first(), Some(b'.' | b'_')) {
            let skipped = Skipped {
                file: path.to_string_lossy().into(),
                record: 0,
                reason: SkipReason::HiddenEntry,
            };
            found.push((child_rel, Pending::Skipped(skipped)));
            continue;
        }
        match std::fs::metadata(&path) {
            Err(e) => found.push((child_rel, failed(e, &path))),
            Ok(m) if m.is_dir() => walk_into(root, &child_rel, visited, found),
            Ok(_) => {
                let relative = child_rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let file: Arc<str> = path.to_string_lossy().into();
                let pending = match source(path, file, &relative) {
                    Ok(s) => Pending::Found(s),
                    Err(e) => Pending::Failed(e),
                };
                found.push((child_rel, pending));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_input_reads_as_jsonl_named_dash() {
        let input = b"{\"text\": \"one\"}\n\n{\"id\": \"b\", \"text\": \"two\"}\nnot json\n";
        let items: Vec<Item> = stream_jsonl(io::Cursor::new(&input[..]), &Arc::default()).collect();
        let outline: Vec<String> = items
            .iter()
            .map(|i| match i {
                Item::Doc(d) => format!("{} {} {}", d.origin, d.id, d.text),
                Item::Error(e) => e.to_string(),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            outline,
            [
                "-:1 stdin/1 one",
                "-:3 b two",
                "-:4: malformed JSON: expected ident at column 2",
            ]
        );
    }

    #[test]
    fn extensions_pick_the_reader_and_are_stripped_from_the_stem() {
        let cases = [
            (
                "a/b.jsonl.gz",
                Some((Format::Jsonl, Compression::Gzip, "a/b")),
            ),
            ("b.JSON.ZST", Some((Format::Jsonl, Compression::Zstd, "b"))),
            (
                "c.ndjson.zstd",
                Some((Format::Jsonl, Compression::Zstd, "c")),
            ),
            ("d.v2.txt", Some((Format::Text, Compression::None, "d.v2"))),
            ("e.parquet", Some((Format::Parquet, Compression::None, "e"))),
            ("e.parquet.gz", None),
            (
                "CC-MAIN-1.warc.wet.gz",
                Some((Format::Warc, Compression::Gzip, "CC-MAIN-1.warc")),
            ),
            ("g.warc", Some((Format::Warc, Compression::None, "g"))),
            (
                "h/i.HTM.zst",
                Some((Format::Html, Compression::Zstd, "h/i")),
            ),
            ("f.csv", None),
            ("jsonl", None),
        ];
        for (name, expected) in cases {
            let got = source(PathBuf::from(name), name.into(), name)
                .ok()
                .map(|s| (s.format, s.compression, s.stem));
            let expected = expected.map(|(f, c, s)| (f, c, s.to_string()));
            assert_eq!(got, expected, "{name}");
        }
    }
}
