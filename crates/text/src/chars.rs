//! Character classes as spaCy's regexes and Python's `str` methods see them.
//!
//! spaCy's affix rules are regex character classes built from explicit ranges; evaluating
//! them per character is the expensive part of a regex engine, so each class is a range table
//! (generated from Python, see `tools/gen_spacy_tables.py`) with precomputed class bits for
//! every code point below U+0800.

use crate::spacy_tables as t;

pub(crate) const PREFIX: u16 = 1 << 0;
pub(crate) const SUFFIX: u16 = 1 << 1;
pub(crate) const SUFFIX_DOT_AFTER: u16 = 1 << 2;
pub(crate) const ALPHA_UPPER: u16 = 1 << 3;
pub(crate) const ICON: u16 = 1 << 4;
pub(crate) const INFIX_DOT_BEFORE: u16 = 1 << 5;
pub(crate) const INFIX_DOT_AFTER: u16 = 1 << 6;
pub(crate) const ALPHA: u16 = 1 << 7;
pub(crate) const ALPHA_LOWER: u16 = 1 << 8;
pub(crate) const PY_DIGIT: u16 = 1 << 9;
pub(crate) const PY_WORD: u16 = 1 << 10;
pub(crate) const PUNCT: u16 = 1 << 11;
pub(crate) const SPACE: u16 = 1 << 12;
/// Set on characters that can never make spaCy split a chunk: none of the affix, infix or URL
/// rules can fire on a chunk made only of these, so it is one token unless it is an exception.
pub(crate) const PLAIN: u16 = 1 << 13;

const CLASSES: [(u16, &[(u32, u32)]); 12] = [
    (PREFIX, t::PREFIX_CHARS),
    (SUFFIX, t::SUFFIX_CHARS),
    (SUFFIX_DOT_AFTER, t::SUFFIX_DOT_AFTER),
    (ALPHA_UPPER, t::ALPHA_UPPER),
    (ICON, t::ICONS),
    (INFIX_DOT_BEFORE, t::INFIX_DOT_BEFORE),
    (INFIX_DOT_AFTER, t::INFIX_DOT_AFTER),
    (ALPHA, t::ALPHA),
    (ALPHA_LOWER, t::ALPHA_LOWER),
    (PY_DIGIT, t::PY_DIGIT),
    (PY_WORD, t::PY_WORD),
    (PUNCT, t::PUNCT_CATEGORY),
];

const fn table_has(table: &[(u32, u32)], cp: u32) -> bool {
    let (mut lo, mut hi) = (0, table.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if table[mid].1 < cp {
            lo = mid + 1;
        } else if table[mid].0 > cp {
            hi = mid;
        } else {
            return true;
        }
    }
    false
}

const fn is_py_space_cp(cp: u32) -> bool {
    matches!(
        cp,
        0x09..=0x0d
            | 0x1c..=0x20
            | 0x85
            | 0xa0
            | 0x1680
            | 0x2000..=0x200a
            | 0x2028
            | 0x2029
            | 0x202f
            | 0x205f
            | 0x3000
    )
}

const fn bits_of(cp: u32) -> u16 {
    let mut bits = 0;
    let mut k = 0;
    while k < CLASSES.len() {
        if table_has(CLASSES[k].1, cp) {
            bits |= CLASSES[k].0;
        }
        k += 1;
    }
    if is_py_space_cp(cp) {
        bits |= SPACE;
    }
    // Characters some rule looks for besides the prefix/suffix/icon classes: digits (unit and
    // currency suffixes, numeric infixes), `.` (suffixes, infixes, URLs), infix characters, `$`.
    let trigger = matches!(
        cp,
        0x30..=0x39
            | 0x2e
            | 0x2b
            | 0x2a
            | 0x5e
            | 0x2d
            | 0x7e
            | 0x2c
            | 0x3a
            | 0x3c
            | 0x3e
            | 0x3d
            | 0x2f
            | 0x24
            | 0x2013
            | 0x2014
            | 0x2026
    );
    if !trigger && bits & (PREFIX | SUFFIX | ICON | SPACE) == 0 {
        bits |= PLAIN;
    }
    bits
}

/// Class bits for every code point below U+0800 (ASCII, Latin, Greek, Cyrillic, Hebrew,
/// Arabic...), so the common case never searches a table.
static LOW: [u16; 0x800] = {
    let mut out = [0u16; 0x800];
    let mut cp = 0;
    while cp < 0x800 {
        out[cp] = bits_of(cp as u32);
        cp += 1;
    }
    out
};

/// PLAIN for every BMP code point: the chunk scanner asks this for every non-ASCII character.
static BMP_PLAIN: [u64; 1024] = {
    let mut out = [!0u64; 1024];
    // Below U+0800 from LOW; above, everything but the classes and characters PLAIN excludes.
    let mut cp = 0;
    while cp < 0x800 {
        if LOW[cp] & PLAIN == 0 {
            out[cp / 64] &= !(1 << (cp % 64));
        }
        cp += 1;
    }
    let tables: [&[(u32, u32)]; 3] = [t::PREFIX_CHARS, t::SUFFIX_CHARS, t::ICONS];
    let mut k = 0;
    while k < tables.len() {
        let mut r = 0;
        while r < tables[k].len() {
            let (lo, hi) = tables[k][r];
            let mut cp = lo as usize;
            while cp <= hi as usize && cp < 0x10000 {
                out[cp / 64] &= !(1 << (cp % 64));
                cp += 1;
            }
            r += 1;
        }
        k += 1;
    }
    let mut cp = 0x800;
    while cp < 0x10000 {
        if is_py_space_cp(cp as u32) || matches!(cp, 0x2013 | 0x2014 | 0x2026 | 0xd800..=0xdfff) {
            out[cp / 64] &= !(1 << (cp % 64));
        }
        cp += 1;
    }
    out
};

const fn plain_slow(cp: u32) -> bool {
    !(is_py_space_cp(cp)
        || matches!(cp, 0x2013 | 0x2014 | 0x2026)
        || table_has(t::PREFIX_CHARS, cp)
        || table_has(t::SUFFIX_CHARS, cp)
        || table_has(t::ICONS, cp))
}

/// Whether `c` is PLAIN (see the constant).
#[inline]
pub(crate) fn is_plain(c: char) -> bool {
    let cp = c as usize;
    if cp < 0x10000 {
        BMP_PLAIN[cp / 64] & (1 << (cp % 64)) != 0
    } else {
        plain_slow(cp as u32)
    }
}

/// Class bits of an ASCII byte, usable in constants.
pub(crate) const fn ascii_bits_const(b: u8) -> u16 {
    bits_of((b & 0x7f) as u32)
}

/// Class bits of an ASCII byte.
#[inline(always)]
pub(crate) fn ascii_bits(b: u8) -> u16 {
    LOW[(b & 0x7f) as usize]
}

/// Whether `c` belongs to the class `class` (one of the bit constants above).
#[inline]
pub(crate) fn is(c: char, class: u16) -> bool {
    let cp = c as u32;
    if cp < 0x800 {
        return LOW[cp as usize] & class != 0;
    }
    is_slow(cp, class)
}

#[inline(never)]
fn is_slow(cp: u32, class: u16) -> bool {
    let table = match class {
        PREFIX => t::PREFIX_CHARS,
        SUFFIX => t::SUFFIX_CHARS,
        SUFFIX_DOT_AFTER => t::SUFFIX_DOT_AFTER,
        ALPHA_UPPER => t::ALPHA_UPPER,
        ICON => t::ICONS,
        INFIX_DOT_BEFORE => t::INFIX_DOT_BEFORE,
        INFIX_DOT_AFTER => t::INFIX_DOT_AFTER,
        ALPHA => t::ALPHA,
        ALPHA_LOWER => t::ALPHA_LOWER,
        PY_DIGIT => t::PY_DIGIT,
        PY_WORD => t::PY_WORD,
        PUNCT => t::PUNCT_CATEGORY,
        SPACE => return is_py_space_cp(cp),
        PLAIN => return plain_slow(cp),
        _ => return false,
    };
    table_has(table, cp)
}

/// Python's `str.isspace()` for one character: what spaCy splits chunks on and what
/// `str.strip()` removes.
#[inline]
pub fn is_py_space(c: char) -> bool {
    is_py_space_cp(c as u32)
}

/// Python's `str.strip()` with no arguments.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Python's `str.splitlines()` (without keeping the line ends): the line boundaries
/// datatrove's C4 filter iterates over. Breaks at `\n`, `\r`, `\r\n`, `\x0b`, `\x0c`,
/// `\x1c`-`\x1e`, U+0085, U+2028 and U+2029; no empty last line after a final break.
pub fn py_splitlines(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let b = rest.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let w = match b[i] {
                b'\n' | 0x0b | 0x0c | 0x1c..=0x1e => 1,
                b'\r' => {
                    if b.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    }
                }
                0xc2 if b[i + 1] == 0x85 => 2,
                0xe2 if b[i + 1] == 0x80 && matches!(b[i + 2], 0xa8 | 0xa9) => 3,
                _ => 0,
            };
            if w > 0 {
                let line = &rest[..i];
                rest = &rest[i + w..];
                return Some(line);
            }
            i += 1;
        }
        let line = rest;
        rest = "";
        Some(line)
    })
}

/// `unicodedata.category(c).startswith("P")` as Python 3.11 (Unicode 14) answers it.
#[inline]
pub(crate) fn is_punct_char(c: char) -> bool {
    is(c, PUNCT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_like_python() {
        let v: Vec<&str> = py_splitlines("a\nb\r\nc\rd\u{2028}e\n").collect();
        assert_eq!(v, ["a", "b", "c", "d", "e"]);
        let v: Vec<&str> = py_splitlines("\n\nx").collect();
        assert_eq!(v, ["", "", "x"]);
        let v: Vec<&str> = py_splitlines("é\u{85}ü\u{2029}\u{2027}\x0b\x1e.\r").collect();
        assert_eq!(v, ["é", "ü", "\u{2027}", "", "."]);
        assert_eq!(py_splitlines("").count(), 0);
    }

    #[test]
    fn strip_like_python() {
        assert_eq!(py_strip("\u{a0} x y\u{3000}\n"), "x y");
        assert_eq!(py_strip("\u{200b}x"), "\u{200b}x");
    }

    #[test]
    fn classes() {
        assert!(is('(', PREFIX) && is('"', SUFFIX) && !is('.', SUFFIX));
        assert!(is('ä', ALPHA_LOWER) && is('Ä', ALPHA_UPPER) && is('ß', ALPHA));
        assert!(is('٣', PY_DIGIT) && is('é', PY_WORD) && is('«', PUNCT) && !is('$', PUNCT));
        assert!(is('©', ICON));
        for cp in (0..0x11000u32).step_by(7) {
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(is_plain(c), is(c, PLAIN), "{cp:x}");
            }
        }
        assert!(is('a', PLAIN) && is('ß', PLAIN) && is('東', PLAIN) && is('\u{200b}', PLAIN));
        for c in [
            '.', '-', '\'', '’', '(', '…', '—', '°', '5', '$', ' ', '\u{a0}', '©', '😀',
        ] {
            assert!(!is(c, PLAIN), "{c:?}");
            assert!(!is_plain(c), "{c:?}");
        }
    }

    #[test]
    fn spaces_match_python() {
        let py: Vec<u32> = (0..0x110000u32).filter(|&c| is_py_space_cp(c)).collect();
        let mut expect = vec![
            0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
        ];
        expect.extend(0x2000..=0x200a);
        expect.extend([0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);
        assert_eq!(py, expect);
    }
}
