//! Output records as JSON lines, with the document text escaped sixteen bytes
//! at a time.
//!
//! The text is nearly all of an output line, and serde_json looks up every
//! byte of a string in its escape table. Here runs of bytes that need no
//! escape are found with one vector compare per sixteen bytes and copied
//! whole; the escapes themselves are serde_json's, so the line is byte for
//! byte what `serde_json::to_writer` writes.

use std::io;

use crate::write::OutputRecord;

/// Appends `record` as one JSON object, `{"id":..,"text":..,"metadata":{..}}`,
/// without the line break.
pub(crate) fn append_record(out: &mut Vec<u8>, record: &OutputRecord) -> io::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    append_string(out, record.id);
    out.extend_from_slice(b",\"text\":");
    append_string(out, record.text);
    out.extend_from_slice(b",\"metadata\":");
    serde_json::to_writer(&mut *out, record.metadata)?;
    out.push(b'}');
    Ok(())
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it: `"` and
/// `\`, the short forms `\b \f \n \r \t`, and `\u00XX` (lower-case hex) for
/// the other control characters below U+0020; everything else as is.
pub(crate) fn append_string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        i = next_escape(bytes, i);
        if i == bytes.len() {
            break;
        }
        out.extend_from_slice(&bytes[start..i]);
        push_escape(out, bytes[i]);
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn push_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
    }
}

#[inline(always)]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The first position at or after `i` whose byte needs an escape, or
/// `bytes.len()`.
#[inline]
fn next_escape(bytes: &[u8], mut i: usize) -> usize {
    while let Some(block) = bytes.get(i..i + 16) {
        let mask = escape_mask(block.try_into().expect("16 bytes"));
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < bytes.len() && !needs_escape(bytes[i]) {
        i += 1;
    }
    i
}

/// Bit k set when `block[k]` needs an escape.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn escape_mask(block: &[u8; 16]) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline; the load is unaligned and
    // reads exactly the 16 bytes of `block`.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        // b < 0x20 as an unsigned compare: flip the top bit, compare signed.
        let flipped = _mm_xor_si128(v, _mm_set1_epi8(i8::MIN));
        let control = _mm_cmplt_epi8(flipped, _mm_set1_epi8((0x20 ^ 0x80) as u8 as i8));
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        let any = _mm_or_si128(control, _mm_or_si128(quote, backslash));
        _mm_movemask_epi8(any) as u32
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn escape_mask(block: &[u8; 16]) -> u32 {
    let mut mask = 0;
    for (k, &b) in block.iter().enumerate() {
        mask |= u32::from(needs_escape(b)) << k;
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_string(s: &str) -> Vec<u8> {
        serde_json::to_vec(s).unwrap()
    }

    #[test]
    fn strings_are_escaped_byte_for_byte_as_serde_json_escapes_them() {
        // Every byte value below 0x80, at every offset of a block, among
        // multi-byte characters, in strings shorter and longer than a block.
        let mut samples: Vec<String> = (0u8..0x80).map(|b| format!("x{}y", b as char)).collect();
        samples.push(String::new());
        samples.push("Größe « 東京 » — \u{7f}\u{80}\u{2028}".into());
        for offset in 0..40 {
            let mut s = "é".repeat(offset % 3) + &"a".repeat(offset);
            s.push(char::from(offset as u8 % 0x20));
            s.push_str("\"tail\\ \n\r\t end of a longer stretch");
            samples.push(s);
        }
        for s in &samples {
            let mut out = Vec::new();
            append_string(&mut out, s);
            assert_eq!(out, serde_string(s), "{s:?}");
        }
    }

    #[test]
    fn a_record_is_the_line_serde_json_writes() {
        let mut metadata = crate::Metadata::new();
        metadata.insert("url".into(), "https://example.org/a\"b".into());
        metadata.insert("n".into(), 3.into());
        let record = OutputRecord {
            id: "doc\t1",
            text: "Line one.\nLine \"two\"\u{1}.\n",
            metadata: &metadata,
        };
        let mut out = Vec::new();
        append_record(&mut out, &record).unwrap();
        assert_eq!(out, serde_json::to_vec(&record).unwrap());
    }
}
