//! Python `str` semantics the reference filters rely on.
//!
//! The rules reproduce datatrove's filters, which are written against Python
//! strings: lengths count code points, `strip()` and `split()` use
//! `str.isspace`, `splitlines()` knows eleven line boundaries, `isalpha()`
//! means "general category L*". Rust's own predicates differ at the edges
//! (`char::is_whitespace` lacks U+001C..U+001F, `char::is_alphabetic` includes
//! combining marks), and those edges decide documents near a threshold.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::punctuation_tables::{PUNCTUATION, TERMINAL_PUNCTUATION};

pub use tapis_text::{is_py_space as is_space, py_strip as strip};

/// `str.isalpha()` for one character: general category Lu, Ll, Lt, Lm or Lo.
#[inline]
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.general_category_group() == GeneralCategoryGroup::Letter
}

/// Membership in datatrove's `PUNCTUATION_SET`.
#[inline]
pub fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return ASCII_PUNCTUATION & (1u128 << c as u32) != 0;
    }
    PUNCTUATION.binary_search(&c).is_ok()
}

/// `is_punctuation` for an ASCII character, usable in constants.
pub const fn is_ascii_punctuation(c: char) -> bool {
    (c as u32) < 128 && ASCII_PUNCTUATION & (1u128 << c as u32) != 0
}

/// The ASCII part of `PUNCTUATION` as a bit set, for the common case.
const ASCII_PUNCTUATION: u128 = {
    let mut bits = 0u128;
    let mut i = 0;
    while i < PUNCTUATION.len() {
        if (PUNCTUATION[i] as u32) < 128 {
            bits |= 1u128 << PUNCTUATION[i] as u32;
        }
        i += 1;
    }
    bits
};

/// Membership in datatrove's `TERMINAL_PUNCTUATION`.
#[inline]
pub fn is_terminal_punctuation(c: char) -> bool {
    TERMINAL_PUNCTUATION.binary_search(&c).is_ok()
}

/// `len(s)`: the number of code points.
#[inline]
pub fn char_len(s: &str) -> usize {
    // Counting non-continuation bytes is what `chars().count()` does, but
    // ASCII-only text (most of it) can skip the per-byte test.
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// `len(s.split())`: whitespace-separated words.
pub fn split_whitespace(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_space).filter(|w| !w.is_empty())
}

/// `s.splitlines()` as byte spans `(start, end_of_content, end_with_terminator)`:
/// the rules need offsets to remove lines, `tapis_text::py_splitlines` gives slices.
///
/// Boundaries: `\n`, `\r`, `\r\n`, `\v`, `\f`, U+001C..U+001E, U+0085, U+2028,
/// U+2029. As in Python, a final terminator does not open an empty line.
pub fn split_lines(s: &str) -> Vec<(usize, usize, usize)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip eight bytes at a time while none can start a boundary.
        while i + 8 <= bytes.len() {
            let word = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
            if may_start_line_boundary(word) {
                break;
            }
            i += 8;
        }
        if i >= bytes.len() {
            break;
        }
        let b = bytes[i];
        let term_len = match b {
            b'\n' | 0x0b | 0x0c | 0x1c | 0x1d | 0x1e => 1,
            b'\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                }
            }
            0xc2 if bytes.get(i + 1) == Some(&0x85) => 2,
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8) | Some(0xa9)) =>
            {
                3
            }
            _ => 0,
        };
        if term_len > 0 {
            out.push((start, i, i + term_len));
            i += term_len;
            start = i;
        } else {
            i += 1;
        }
    }
    if start < bytes.len() {
        out.push((start, bytes.len(), bytes.len()));
    }
    out
}

/// Whether one of eight bytes (little-endian in `word`) may be the first byte
/// of a line boundary: a control byte below 0x20, or 0xC2 / 0xE2 (the lead
/// bytes of U+0085 and U+2028/U+2029). False positives are fine (the bytes
/// are then checked one by one); a false negative is impossible.
#[inline(always)]
fn may_start_line_boundary(word: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let below_0x20 = word.wrapping_sub(LO * 0x20) & !word;
    let c2 = word ^ (LO * 0xc2);
    let e2 = word ^ (LO * 0xe2);
    let zero_c2 = c2.wrapping_sub(LO) & !c2;
    let zero_e2 = e2.wrapping_sub(LO) & !e2;
    (below_0x20 | zero_c2 | zero_e2) & HI != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_matches_python() {
        // "a\r\nb\rc\x0bd\u2028e\n" .splitlines() == ['a', 'b', 'c', 'd', 'e']
        let s = "a\r\nb\rc\x0bd\u{2028}e\n";
        let lines: Vec<&str> = split_lines(s).iter().map(|&(a, b, _)| &s[a..b]).collect();
        assert_eq!(lines, ["a", "b", "c", "d", "e"]);
        // "\n\nx".splitlines() == ['', '', 'x']
        let s = "\n\nx";
        let lines: Vec<&str> = split_lines(s).iter().map(|&(a, b, _)| &s[a..b]).collect();
        assert_eq!(lines, ["", "", "x"]);
        assert!(split_lines("").is_empty());
        // Boundaries found past the eight-byte skip, at every offset.
        for pad in 0..20 {
            for term in ["\n", "\r\n", "\u{85}", "\u{2028}", "\u{1e}"] {
                let s = format!("{}é{term}zz", "a".repeat(pad));
                let lines: Vec<&str> = split_lines(&s).iter().map(|&(a, b, _)| &s[a..b]).collect();
                assert_eq!(lines, [format!("{}é", "a".repeat(pad)).as_str(), "zz"]);
            }
        }
    }

    #[test]
    fn python_predicates_differ_from_rust_where_python_does() {
        assert!(is_space('\u{1f}') && !'\u{1f}'.is_whitespace());
        // U+0301 COMBINING ACUTE ACCENT: not a letter for Python.
        assert!(!is_alpha('\u{301}'));
        // DEVANAGARI VOWEL SIGN AA is Alphabetic in Unicode but category Mc.
        assert!('\u{93e}'.is_alphabetic() && !is_alpha('\u{93e}'));
        assert!(is_alpha('ß') && is_alpha('字') && !is_alpha('1'));
        assert_eq!(strip("\u{1c} x \u{3000}"), "x");
        assert_eq!(char_len("Zürich"), 6);
    }

    #[test]
    fn punctuation_tables_are_sorted_for_binary_search() {
        assert!(PUNCTUATION.windows(2).all(|w| w[0] < w[1]));
        assert!(TERMINAL_PUNCTUATION.windows(2).all(|w| w[0] < w[1]));
        assert!(is_punctuation('#') && is_punctuation('…') && !is_punctuation('a'));
        assert!(is_terminal_punctuation('。') && !is_terminal_punctuation(','));
    }
}
