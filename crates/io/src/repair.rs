//! Repairs that let a damaged record still be read instead of lost.

use std::borrow::Cow;

/// `bytes` as UTF-8 with every invalid sequence replaced by U+FFFD (the same
/// replacements as [`String::from_utf8_lossy`]), and how many were made.
pub(crate) fn utf8(bytes: &[u8]) -> (Cow<'_, str>, u32) {
    // Every record's bytes are checked: a SIMD check is several times
    // faster than the standard one on text that is not all ASCII.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return (Cow::Borrowed(s), 0);
    }
    let mut out = String::with_capacity(bytes.len() + 16);
    let mut repairs = 0u32;
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push(char::REPLACEMENT_CHARACTER);
            repairs = repairs.saturating_add(1);
        }
    }
    (Cow::Owned(out), repairs)
}

/// Like [`utf8`] but takes ownership, so valid input is not copied.
pub(crate) fn utf8_owned(bytes: Vec<u8>) -> (String, u32) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, 0),
        Err(e) => {
            let (s, n) = utf8(e.as_bytes());
            (s.into_owned(), n)
        }
    }
}

/// Rewrites a JSON line that strict parsing rejected for two common, harmless
/// reasons: raw control characters inside strings (escaped, so the text keeps
/// them) and `\uXXXX` escapes of unpaired UTF-16 surrogates (replaced by
/// `\uFFFD` and counted as UTF-8 repairs, since they encode no character).
/// Returns `None` when there was nothing to rewrite.
pub(crate) fn relax_json(line: &str) -> Option<(String, u32)> {
    let b = line.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + 16);
    let mut changed = false;
    let mut surrogates = 0u32;
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !in_string {
            if c == b'"' {
                in_string = true;
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_string = false;
                out.push(c);
                i += 1;
            }
            b'\\' if b.get(i + 1) == Some(&b'u') => match hex4(b, i + 2) {
                Some(0xD800..=0xDBFF) if matches!(low_escape(b, i + 6), Some(0xDC00..=0xDFFF)) => {
                    out.extend_from_slice(&b[i..i + 12]);
                    i += 12;
                }
                Some(0xD800..=0xDFFF) => {
                    out.extend_from_slice(b"\\uFFFD");
                    surrogates = surrogates.saturating_add(1);
                    changed = true;
                    i += 6;
                }
                _ => {
                    out.extend_from_slice(&b[i..i + 2]);
                    i += 2;
                }
            },
            b'\\' => {
                out.push(c);
                if let Some(&next) = b.get(i + 1) {
                    out.push(next);
                }
                i += 2;
            }
            0x00..=0x1F => {
                out.extend_from_slice(format!("\\u{c:04x}").as_bytes());
                changed = true;
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    if !changed {
        return None;
    }
    // Only ASCII was replaced by ASCII, so the bytes are still UTF-8.
    String::from_utf8(out).ok().map(|s| (s, surrogates))
}

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = b.get(at..at + 4)?;
    let s = std::str::from_utf8(digits).ok()?;
    u32::from_str_radix(s, 16).ok()
}

fn low_escape(b: &[u8], at: usize) -> Option<u32> {
    if b.get(at..at + 2)? == b"\\u" {
        hex4(b, at + 2)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_repairs_each_invalid_sequence_once() {
        let (s, n) = utf8(b"ok \xff\xfe then \xe2\x82 end");
        assert_eq!(s, String::from_utf8_lossy(b"ok \xff\xfe then \xe2\x82 end"));
        assert_eq!(n, s.matches('\u{FFFD}').count() as u32);
        assert_eq!(utf8("déjà".as_bytes()), (Cow::Borrowed("déjà"), 0));
    }

    #[test]
    fn relax_json_escapes_controls_and_lone_surrogates_only_inside_strings() {
        let line = "{\"a\":\t\"x\ty\",\"b\":\"\\ud83d\\ude00 \\ud800 \\udc00 \\\\ud800\"}";
        let (fixed, n) = relax_json(line).unwrap();
        assert_eq!(n, 2);
        let v: serde_json::Value = serde_json::from_str(&fixed).unwrap();
        assert_eq!(v["a"], "x\ty");
        assert_eq!(v["b"], "\u{1F600} \u{FFFD} \u{FFFD} \\ud800");
        assert_eq!(relax_json("{\"a\": \"fine\"}"), None);
    }
}
