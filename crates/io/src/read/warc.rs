//! WARC files (ISO 28500), and the WET and WAT files made from them: one
//! record after another, each a header and a `Content-Length` block, plain or
//! gzip-compressed record by record as Common Crawl ships them.
//!
//! Each record becomes one [`Item`]:
//! - a `response` (or `resource`) holding an HTML page with a 2xx status → an
//!   [`Item::Page`], its HTTP chunking and `Content-Encoding` undone, with the
//!   URL, fetch date, record id, content type and HTTP status as metadata and
//!   the HTTP header's charset as the declared one;
//! - a WET `conversion` record (text Common Crawl extracted) → an
//!   [`Item::Doc`];
//! - any other record (`warcinfo`, `request`, `metadata`, `revisit`, a
//!   redirect, an image…) → an [`Item::Skipped`] with its [`SkipReason`];
//! - a record that cannot be read → an [`Item::Error`] naming the file and
//!   the record, after which reading resumes at the next `WARC/` line, so
//!   one bad `Content-Length` costs one record, not the rest of the file.

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use memchr::memchr;
use tapis_document::{Document, Metadata, Origin, Page};

use super::SkipReason;
use crate::error::{ErrorKind, RecordError};
use crate::{Item, Skipped, repair};

/// A header line longer than this is not a WARC header.
const LINE_LIMIT: usize = 64 << 10;
/// Nor is a header longer than this.
const HEADER_LIMIT: usize = 1 << 20;
/// How much of an HTTP payload may precede its blank line.
const HTTP_HEADER_LIMIT: usize = 256 << 10;

pub(crate) struct WarcReader<R> {
    reader: R,
    file: Arc<str>,
    stem: String,
    compressed: bool,
    max_record: u64,
    /// Records begun so far.
    record: u64,
    /// Bytes consumed of the (decompressed) stream, for messages.
    offset: u64,
    line: Vec<u8>,
    /// The `WARC/` line of the next record was already consumed (found
    /// while skipping a damaged record).
    pending_version: bool,
    done: bool,
}

enum Line {
    Eof,
    Complete,
    /// Longer than the limit: the first `limit` bytes are in the buffer and
    /// the rest of the line is still unread.
    TooLong,
}

type Headers = Vec<(String, String)>;

fn header<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

impl<R: BufRead> WarcReader<R> {
    pub(crate) fn new(
        reader: R,
        file: Arc<str>,
        stem: String,
        compressed: bool,
        max_record: u64,
    ) -> Self {
        WarcReader {
            reader,
            file,
            stem,
            compressed,
            max_record,
            record: 0,
            offset: 0,
            line: Vec::new(),
            pending_version: false,
            done: false,
        }
    }

    fn error(&self, kind: ErrorKind, message: String) -> Item {
        Item::Error(RecordError::new(
            self.file.clone(),
            self.record,
            kind,
            message,
        ))
    }

    /// Reads one line, its end included, into `self.line`.
    fn read_line(&mut self, limit: usize) -> io::Result<Line> {
        self.line.clear();
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(if self.line.is_empty() {
                    Line::Eof
                } else {
                    Line::Complete
                });
            }
            let room = limit - self.line.len();
            let (take, complete) = match memchr(b'\n', buf) {
                Some(i) if i < room => (i + 1, true),
                _ => (buf.len().min(room), false),
            };
            self.line.extend_from_slice(&buf[..take]);
            self.reader.consume(take);
            self.offset += take as u64;
            if complete {
                return Ok(Line::Complete);
            }
            if self.line.len() == limit {
                return Ok(Line::TooLong);
            }
        }
    }

    /// Skips to the line after the next one that starts with `WARC/1.` (it
    /// is the version line of the next record). Returns false at the end.
    fn resync(&mut self) -> io::Result<bool> {
        let mut line_start = true;
        loop {
            match self.read_line(LINE_LIMIT)? {
                Line::Eof => {
                    self.done = true;
                    return Ok(false);
                }
                Line::Complete => {
                    if line_start && self.line.starts_with(b"WARC/1.") {
                        self.pending_version = true;
                        return Ok(true);
                    }
                    line_start = true;
                }
                Line::TooLong => {
                    line_start = false;
                }
            }
        }
    }

    /// After a record's block: its two line ends, then the next record or
    /// the end of the file. False when other bytes follow (a wrong
    /// `Content-Length`).
    fn at_record_end(&mut self) -> io::Result<bool> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(true);
            }
            let ends = buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            if ends == 0 {
                let n = buf.len().min(5);
                return Ok(buf[..n] == b"WARC/"[..n]);
            }
            self.reader.consume(ends);
            self.offset += ends as u64;
        }
    }

    fn read_record(&mut self) -> io::Result<Option<Item>> {
        if !self.pending_version {
            loop {
                match self.read_line(LINE_LIMIT)? {
                    Line::Eof => return Ok(None),
                    Line::Complete if self.line.iter().all(|b| b.is_ascii_whitespace()) => {
                        continue;
                    }
                    _ => break,
                }
            }
            self.record += 1;
            if !self.line.starts_with(b"WARC/") {
                let at = self.offset - self.line.len() as u64;
                let found = preview(&self.line);
                self.resync()?;
                return Ok(Some(self.error(
                    ErrorKind::MalformedWarcRecord,
                    format!(
                        "expected a `WARC/` version line at byte {at}, found {found:?}; \
                         reading resumes at the next record"
                    ),
                )));
            }
        } else {
            self.record += 1;
            self.pending_version = false;
        }

        let mut headers: Headers = Vec::new();
        let mut header_bytes = 0usize;
        loop {
            match self.read_line(LINE_LIMIT)? {
                Line::Eof => {
                    self.done = true;
                    return Ok(Some(self.error(
                        ErrorKind::TruncatedRecord,
                        "the file ends inside the record's header".into(),
                    )));
                }
                Line::TooLong => {
                    self.resync()?;
                    return Ok(Some(self.error(
                        ErrorKind::MalformedWarcRecord,
                        format!(
                            "a header line longer than {} KiB; reading resumes at the next record",
                            LINE_LIMIT >> 10
                        ),
                    )));
                }
                Line::Complete => {}
            }
            let line = trim_line_end(&self.line);
            if line.is_empty() {
                break;
            }
            header_bytes += line.len();
            if header_bytes > HEADER_LIMIT {
                self.resync()?;
                return Ok(Some(self.error(
                    ErrorKind::MalformedWarcRecord,
                    format!(
                        "a header longer than {} KiB; reading resumes at the next record",
                        HEADER_LIMIT >> 10
                    ),
                )));
            }
            if matches!(line[0], b' ' | b'\t') {
                // A folded line continues the previous field.
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(String::from_utf8_lossy(line).trim());
                }
            } else if let Some(field) = header_field(line) {
                headers.push(field);
            }
            // A line without a colon is no field; it is ignored, as readers
            // of real crawls do.
        }

        let Some(length) = header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok())
        else {
            self.resync()?;
            return Ok(Some(self.error(
                ErrorKind::MalformedWarcRecord,
                "no valid Content-Length in the record's header; reading resumes at the next record"
                    .into(),
            )));
        };

        if length > self.max_record {
            let skipped = io::copy(&mut (&mut self.reader).take(length), &mut io::sink())?;
            self.offset += skipped;
            if skipped < length {
                self.done = true;
                return Ok(Some(self.error(
                    ErrorKind::TruncatedRecord,
                    format!("the file ends after {skipped} of the record's {length} bytes"),
                )));
            }
            let message = format!(
                "a record of {length} bytes, over the limit of {} bytes; skipped",
                self.max_record
            );
            if !self.at_record_end()? {
                self.resync()?;
            }
            return Ok(Some(self.error(ErrorKind::RecordTooLarge, message)));
        }

        let mut block = Vec::with_capacity(length as usize);
        let got = (&mut self.reader).take(length).read_to_end(&mut block)? as u64;
        self.offset += got;
        if got < length {
            self.done = true;
            return Ok(Some(self.error(
                ErrorKind::TruncatedRecord,
                format!("the file ends after {got} of the record's {length} bytes"),
            )));
        }
        if !self.at_record_end()? {
            let at = self.offset;
            self.resync()?;
            return Ok(Some(self.error(
                ErrorKind::MalformedWarcRecord,
                format!(
                    "the record does not end where its Content-Length ({length}) says \
                     (byte {at}); reading resumes at the next record"
                ),
            )));
        }
        Ok(Some(self.item(headers, block)))
    }

    /// The item a complete record becomes.
    fn item(&self, headers: Headers, block: Vec<u8>) -> Item {
        let skip = |reason| {
            Item::Skipped(Skipped {
                file: self.file.clone(),
                record: self.record,
                reason,
            })
        };
        let warc_type = header(&headers, "warc-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let origin = Origin {
            file: self.file.clone(),
            record: self.record,
        };
        let id = header(&headers, "warc-record-id")
            .map(|v| v.trim_matches(|c| c == '<' || c == '>').to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| format!("{}/{}", self.stem, self.record));
        let mut metadata = Metadata::new();
        let mut put = |key: &str, value: Option<&str>| {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                metadata.insert(key.to_string(), v.into());
            }
        };
        // WARC 1.0 wrote the URI in angle brackets; 1.1 does not.
        put(
            "url",
            header(&headers, "warc-target-uri")
                .map(|v| v.trim_start_matches('<').trim_end_matches('>')),
        );
        put("date", header(&headers, "warc-date"));
        put("warc_record_id", Some(&id));
        put("warc_truncated", header(&headers, "warc-truncated"));

        let block_type = header(&headers, "content-type").unwrap_or("");
        match warc_type.as_str() {
            "conversion" => {
                put(
                    "warc_languages",
                    header(&headers, "warc-identified-content-language"),
                );
                let (text, utf8_repairs) = repair::utf8_owned(block);
                Item::Doc(Document {
                    id,
                    text,
                    metadata,
                    origin,
                    utf8_repairs,
                    extracted: false,
                })
            }
            "response" | "resource" => {
                let (status, content_type, body) = if media_type(block_type) == "application/http" {
                    match split_http(&block) {
                        Some(http) => http,
                        None => {
                            return self.error(
                                ErrorKind::MalformedWarcRecord,
                                "the HTTP response header cannot be parsed".into(),
                            );
                        }
                    }
                } else {
                    (
                        None,
                        Some(block_type.to_string()),
                        HttpBody {
                            start: 0,
                            chunked: false,
                            encoding: None,
                        },
                    )
                };
                if let Some(s) = status
                    && !(200..300).contains(&s)
                {
                    return skip(SkipReason::HttpStatus);
                }
                let payload = &block[body.start..];
                let is_html = match content_type.as_deref().map(media_type) {
                    Some(t) if !t.is_empty() => t == "text/html" || t == "application/xhtml+xml",
                    _ => looks_like_html(payload),
                };
                if !is_html {
                    return skip(SkipReason::NotHtml);
                }
                let html = match decode_body(payload, &body, self.max_record) {
                    Ok(html) => html,
                    Err(message) => return self.error(ErrorKind::UndecodablePayload, message),
                };
                put(
                    "content_type",
                    content_type.as_deref().map(media_type).as_deref(),
                );
                if let Some(s) = status {
                    metadata.insert("http_status".into(), s.into());
                }
                Item::Page(Page {
                    id,
                    html,
                    declared_charset: content_type.as_deref().and_then(charset_parameter),
                    metadata,
                    origin,
                })
            }
            "warcinfo" => skip(SkipReason::WarcInfo),
            "request" => skip(SkipReason::Request),
            "metadata" => skip(SkipReason::Metadata),
            "revisit" => skip(SkipReason::Revisit),
            _ => skip(SkipReason::OtherRecordType),
        }
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                // The stream itself failed (a cut or corrupt gzip member):
                // the record being read is the error, nothing follows.
                self.done = true;
                let record = if self.pending_version || self.record == 0 {
                    self.record + 1
                } else {
                    self.record
                };
                Some(Item::Error(RecordError::from_stream(
                    self.file.clone(),
                    record,
                    self.compressed,
                    &e,
                )))
            }
        }
    }
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A `Name: value` header line (WARC or HTTP) as its lower-cased name and
/// trimmed value; `None` without a colon.
fn header_field(line: &[u8]) -> Option<(String, String)> {
    let colon = memchr(b':', line)?;
    let name = String::from_utf8_lossy(&line[..colon])
        .trim()
        .to_ascii_lowercase();
    let value = String::from_utf8_lossy(&line[colon + 1..])
        .trim()
        .to_string();
    Some((name, value))
}

/// The start of a line, for a message.
fn preview(line: &[u8]) -> String {
    let line = trim_line_end(line);
    let mut s: String = String::from_utf8_lossy(&line[..line.len().min(40)]).into_owned();
    if line.len() > 40 {
        s.push('…');
    }
    s
}

/// `text/html; charset=UTF-8` → `text/html`.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// `text/html; charset="ISO-8859-1"` → `ISO-8859-1`.
fn charset_parameter(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| {
                value
                    .trim()
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string()
            })
            .filter(|v| !v.is_empty())
    })
}

/// HTML by its first bytes, for payloads without a content type.
fn looks_like_html(payload: &[u8]) -> bool {
    let start = payload
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(payload.len());
    let head = &payload[start..payload.len().min(start + 14)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    [&b"<!doctype html"[..], b"<html", b"<head"]
        .iter()
        .any(|p| head.len() >= p.len() && head[..p.len()].eq_ignore_ascii_case(p))
}

/// Where an HTTP message's body starts and how it is wrapped.
struct HttpBody {
    start: usize,
    chunked: bool,
    encoding: Option<String>,
}

/// The status, content type and body of an HTTP response block.
fn split_http(block: &[u8]) -> Option<(Option<u16>, Option<String>, HttpBody)> {
    if !block.starts_with(b"HTTP/") {
        return None;
    }
    let head = &block[..block.len().min(HTTP_HEADER_LIMIT)];
    // The header ends at the first empty line (CRLF or, leniently, LF).
    let mut pos = 0;
    let mut lines = Vec::new();
    let start = loop {
        let end = pos + memchr(b'\n', &head[pos..])?;
        let line = trim_line_end(&head[pos..=end]);
        pos = end + 1;
        if line.is_empty() {
            break pos;
        }
        lines.push(line);
    };
    let status_line = String::from_utf8_lossy(lines.first()?);
    let status = status_line
        .split_ascii_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok());
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = None;
    for line in &lines[1..] {
        let Some((name, value)) = header_field(line) else {
            continue;
        };
        match name.as_str() {
            "content-type" if content_type.is_none() => content_type = Some(value),
            "transfer-encoding" => chunked |= value.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => {
                let v = value.to_ascii_lowercase();
                if v != "identity" && !v.is_empty() {
                    encoding = Some(v);
                }
            }
            _ => {}
        }
    }
    Some((
        status,
        content_type,
        HttpBody {
            start,
            chunked,
            encoding,
        },
    ))
}

/// The payload with its transfer chunking and content encoding undone.
/// A body that claims chunking but is not chunked, or claims gzip but is
/// not compressed, is taken as it is: crawlers often store the decoded
/// payload under the original header.
fn decode_body(payload: &[u8], body: &HttpBody, limit: u64) -> Result<Vec<u8>, String> {
    let dechunked = if body.chunked { dechunk(payload) } else { None };
    let payload = dechunked.as_deref().unwrap_or(payload);
    let Some(encoding) = body.encoding.as_deref() else {
        return Ok(payload.to_vec());
    };
    let mut out = Vec::new();
    let read = match encoding {
        "gzip" | "x-gzip" => {
            if !payload.starts_with(b"\x1f\x8b") {
                return Ok(payload.to_vec());
            }
            flate2::read::MultiGzDecoder::new(payload)
                .take(limit)
                .read_to_end(&mut out)
        }
        "deflate" => {
            // Servers send zlib-wrapped or raw deflate under this name.
            let zlib = flate2::read::ZlibDecoder::new(payload)
                .take(limit)
                .read_to_end(&mut out);
            if zlib.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(payload)
                    .take(limit)
                    .read_to_end(&mut out)
            } else {
                zlib
            }
        }
        other => {
            if looks_like_html(payload) {
                return Ok(payload.to_vec());
            }
            return Err(format!("Content-Encoding `{other}` is not supported"));
        }
    };
    match read {
        Ok(_) => Ok(out),
        Err(e) => Err(format!("Content-Encoding `{encoding}`: {e}")),
    }
}

/// Undoes HTTP/1.1 chunked transfer coding; `None` if the body is not
/// validly chunked.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let end = memchr(b'\n', body)?;
        let line = std::str::from_utf8(trim_line_end(&body[..=end])).ok()?;
        let size_text = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        body = &body[end + 1..];
        if size == 0 {
            return Some(out);
        }
        if body.len() < size {
            return None;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Vec<Item> {
        WarcReader::new(bytes, "t.warc".into(), "t".into(), false, 1 << 20).collect()
    }

    fn outline(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Item::Doc(d) => format!("doc {} {}", d.origin.record, d.text),
                Item::Page(p) => format!(
                    "page {} {} {:?}",
                    p.origin.record,
                    String::from_utf8_lossy(&p.html),
                    p.declared_charset
                ),
                Item::Skipped(s) => format!("skip {} {}", s.record, s.reason),
                Item::Error(e) => format!("err {} {}", e.record, e.kind),
            })
            .collect()
    }

    fn record(warc_type: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Target-URI: http://x.org/\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    #[test]
    fn record_types_become_pages_documents_or_skips() {
        let mut warc = record("warcinfo", "application/warc-fields", b"software: x\r\n");
        warc.extend(record(
            "request",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        warc.extend(record(
            "response",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n<p>caf\xe9</p>",
        ));
        warc.extend(record(
            "response",
            "application/http; msgtype=response",
            b"HTTP/1.1 301 Moved\r\nLocation: /a\r\n\r\n",
        ));
        warc.extend(record(
            "response",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ));
        warc.extend(record("conversion", "text/plain", b"Plain text."));
        warc.extend(record("metadata", "application/json", b"{}"));
        assert_eq!(
            outline(&read(&warc)),
            [
                "skip 1 warcinfo",
                "skip 2 request",
                "page 3 <p>caf\u{fffd}</p> Some(\"ISO-8859-1\")",
                "skip 4 http_status",
                "skip 5 not_html",
                "doc 6 Plain text.",
                "skip 7 metadata",
            ]
        );
    }

    #[test]
    fn a_wrong_content_length_costs_one_record() {
        let mut warc = record("conversion", "text/plain", b"first");
        let mut bad = record("conversion", "text/plain", b"second, longer than said");
        // Claim fewer bytes than the block holds.
        let at = bad
            .windows(16)
            .position(|w| w == b"Content-Length: ")
            .unwrap()
            + 16;
        bad.splice(at..at + 2, b"10".iter().copied());
        warc.extend(bad);
        warc.extend(record("conversion", "text/plain", b"third"));
        assert_eq!(
            outline(&read(&warc)),
            ["doc 1 first", "err 2 malformed_warc_record", "doc 3 third"]
        );
    }

    #[test]
    fn garbage_before_a_record_and_a_cut_record_are_errors() {
        let mut warc = b"garbage line\r\n".to_vec();
        warc.extend(record("conversion", "text/plain", b"kept"));
        let cut = record("conversion", "text/plain", b"this one is cut short");
        warc.extend(&cut[..cut.len() - 12]);
        assert_eq!(
            outline(&read(&warc)),
            [
                "err 1 malformed_warc_record",
                "doc 2 kept",
                "err 3 truncated_record"
            ]
        );
    }

    #[test]
    fn chunked_and_gzip_payloads_are_decoded() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"<html>zipped</html>").unwrap();
        let gz = gz.finish().unwrap();
        let mut block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        block.extend(&gz);
        let mut warc = record("response", "application/http", &block);
        warc.extend(record(
            "response",
            "application/http",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n\
              6\r\n<html>\r\n7;ext=1\r\nchunked\r\n0\r\n\r\n",
        ));
        // Claims chunking but is not chunked: taken as it is.
        warc.extend(record(
            "response",
            "application/http",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<!DOCTYPE html><p>raw",
        ));
        assert_eq!(
            outline(&read(&warc)),
            [
                "page 1 <html>zipped</html> None",
                "page 2 <html>chunked None",
                "page 3 <!DOCTYPE html><p>raw None",
            ]
        );
    }

    #[test]
    fn records_over_the_limit_are_skipped_as_errors() {
        let mut warc = record("conversion", "text/plain", &[b'a'; 2000]);
        warc.extend(record("conversion", "text/plain", b"small"));
        let items: Vec<Item> =
            WarcReader::new(&warc[..], "t.warc".into(), "t".into(), false, 1000).collect();
        assert_eq!(outline(&items), ["err 1 record_too_large", "doc 2 small"]);
    }

    #[test]
    fn content_type_parameters() {
        assert_eq!(media_type("Text/HTML; charset=utf-8"), "text/html");
        assert_eq!(
            charset_parameter("text/html; Charset=\"windows-1252\"").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(charset_parameter("text/html"), None);
        assert!(looks_like_html(b"\n  <!DOCTYPE HTML PUBLIC"));
        assert!(!looks_like_html(b"%PDF-1.4"));
    }
}
