//! Bytes of a page to text: the charset from the byte order mark, then the
//! transport's declaration, then the page's own `<meta>`, then detection
//! (`chardetng`, the detector Firefox uses). Decoding is `encoding_rs`'s,
//! as in browsers: malformed sequences become U+FFFD and are counted.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use memchr::memmem;

/// How far into the page the `<meta>` declaration is looked for. The HTML
/// standard's prescan reads 1024 bytes; real pages put long scripts and
/// comments first, so more is read.
const META_SCAN: usize = 4096;

/// Where the charset used came from. Stable snake_case names, written to
/// the document's metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharsetSource {
    /// A UTF-8 or UTF-16 byte order mark.
    Bom,
    /// The HTTP `Content-Type` header, or the container (a JSON string).
    Declared,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` tag.
    Meta,
    /// Declared as a legacy single-byte charset, but the bytes are valid
    /// UTF-8 with non-ASCII characters: a mislabelled UTF-8 page.
    ValidUtf8,
    /// Nothing declared: guessed from the bytes (and the domain).
    Detected,
}

impl CharsetSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CharsetSource::Bom => "bom",
            CharsetSource::Declared => "declared",
            CharsetSource::Meta => "meta",
            CharsetSource::ValidUtf8 => "valid_utf8",
            CharsetSource::Detected => "detected",
        }
    }
}

/// A page's text and how it was decoded.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: CharsetSource,
    /// Malformed byte sequences replaced by U+FFFD.
    pub replacements: u32,
}

/// Decodes `bytes`; `declared` is the transport's charset label, `url`
/// gives the detector its top-level-domain hint.
pub fn decode(bytes: &[u8], declared: Option<&str>, url: Option<&str>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(&bytes[bom_len..], encoding, CharsetSource::Bom);
    }
    let labelled = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .map(|e| (e, CharsetSource::Declared))
        .or_else(|| meta_charset(bytes).map(|e| (e, CharsetSource::Meta)));
    if let Some((encoding, source)) = labelled {
        // A page without a byte order mark cannot be UTF-16 (the standard
        // reads such a label as UTF-8).
        let encoding = if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
            UTF_8
        } else {
            encoding
        };
        // Pages labelled Latin-1 or windows-1252 while written in UTF-8 are
        // common; valid multi-byte UTF-8 is all but impossible by chance.
        if encoding != UTF_8 && encoding.is_single_byte() && is_utf8_with_non_ascii(bytes) {
            return finish(bytes, UTF_8, CharsetSource::ValidUtf8);
        }
        return finish(bytes, encoding, source);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return finish(bytes, UTF_8, CharsetSource::Detected);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let tld = url.and_then(top_level_domain);
    let encoding = detector.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Allow,
    );
    finish(bytes, encoding, CharsetSource::Detected)
}

fn finish(bytes: &[u8], encoding: &'static Encoding, source: CharsetSource) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let replacements = if had_errors {
        let before = count_replacement_chars_in_bytes(bytes, encoding);
        (text.matches('\u{FFFD}').count() as u32).saturating_sub(before)
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        encoding,
        source,
        replacements,
    }
}

/// U+FFFD already written in the page as UTF-8 bytes is not a repair.
fn count_replacement_chars_in_bytes(bytes: &[u8], encoding: &'static Encoding) -> u32 {
    if encoding == UTF_8 {
        memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count() as u32
    } else {
        0
    }
}

fn is_utf8_with_non_ascii(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// The charset a `<meta>` tag of the page's head declares.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = memmem::find(&lower[from..], b"<meta") {
        let start = from + i + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(label) = charset_in_tag(tag)
            && let Some(encoding) = Encoding::for_label(label)
        {
            // As the standard says: a meta tag naming UTF-16 means UTF-8,
            // x-user-defined means windows-1252.
            return Some(match encoding.name() {
                "UTF-16LE" | "UTF-16BE" => UTF_8,
                "x-user-defined" => WINDOWS_1252,
                _ => encoding,
            });
        }
        from = end;
    }
    None
}

/// `charset=...` inside a meta tag's attributes (lower-cased), either as
/// its own attribute or inside `content="text/html; charset=..."`.
fn charset_in_tag(tag: &[u8]) -> Option<&[u8]> {
    let i = memmem::find(tag, b"charset")?;
    let mut rest = &tag[i + 7..];
    rest = trim_start(rest);
    rest = rest.strip_prefix(b"=")?;
    rest = trim_start(rest);
    if let Some(&q) = rest.first()
        && (q == b'"' || q == b'\'')
    {
        rest = &rest[1..];
    }
    let end = rest
        .iter()
        .position(|&b| {
            matches!(
                b,
                b'"' | b'\'' | b';' | b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>'
            )
        })
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// `https://www.example.co.jp/a` → `jp`.
fn top_level_domain(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let host = after_scheme.split(['/', '?', '#', ':']).next()?;
    let tld = host.rsplit('.').next()?;
    (!tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| tld.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_then_declared_then_meta_then_detection() {
        let d = decode(
            b"\xEF\xBB\xBF<meta charset=latin1>caf\xc3\xa9",
            Some("latin1"),
            None,
        );
        assert_eq!(
            (d.text.as_str(), d.source),
            ("<meta charset=latin1>café", CharsetSource::Bom)
        );
        let d = decode(b"<meta charset=utf-8>caf\xe9", Some("ISO-8859-1"), None);
        assert_eq!(
            (d.encoding.name(), d.source),
            ("windows-1252", CharsetSource::Declared)
        );
        assert!(d.text.ends_with("café"));
        let d = decode(
            b"<head><META http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-2\">\xb1",
            None,
            None,
        );
        assert_eq!(
            (d.encoding.name(), d.source),
            ("ISO-8859-2", CharsetSource::Meta)
        );
        assert!(d.text.ends_with('ą'));
        let d = decode("<p>Grüße aus Köln</p>".as_bytes(), None, None);
        assert_eq!((d.encoding, d.source), (UTF_8, CharsetSource::Detected));
    }

    #[test]
    fn mislabelled_utf8_is_read_as_utf8() {
        let d = decode(
            "<meta charset=windows-1252><p>Grüße</p>".as_bytes(),
            None,
            None,
        );
        assert_eq!(
            (d.text.as_str(), d.source),
            (
                "<meta charset=windows-1252><p>Grüße</p>",
                CharsetSource::ValidUtf8
            )
        );
    }

    #[test]
    fn legacy_bytes_without_declaration_are_detected() {
        // "Żółć gęślą jaźń" in windows-1250, a Polish page on a .pl domain.
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1250.encode("<p>Zażółć gęślą jaźń, pójdź w dół.</p>");
        let d = decode(&bytes, None, Some("http://example.pl/a"));
        assert_eq!(d.text, "<p>Zażółć gęślą jaźń, pójdź w dół.</p>");
        assert_eq!(d.source, CharsetSource::Detected);
    }

    #[test]
    fn malformed_utf8_is_repaired_and_counted() {
        let d = decode(b"<meta charset=utf-8>a\xff\xfeb \xef\xbf\xbd", None, None);
        assert_eq!(d.replacements, 2);
        assert!(d.text.ends_with("a\u{FFFD}\u{FFFD}b \u{FFFD}"));
    }

    #[test]
    fn top_level_domains() {
        assert_eq!(
            top_level_domain("https://www.a.co.jp:80/x").as_deref(),
            Some("jp")
        );
        assert_eq!(top_level_domain("http://127.0.0.1/"), None);
    }
}
