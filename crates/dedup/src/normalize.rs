//! datatrove's `simplify_text` with its default settings, the text that
//! MinHash shingles are made of: lower case; numbers (digits of any script,
//! with one decimal part) as `0`; punctuation as spaces; whitespace runs as
//! one space; accents removed (NFD without non-spacing marks).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// datatrove 0.10.1's `PUNCTUATION` (what `simplify_text` turns into
/// spaces): sorted for binary search.
const PUNCTUATION: [char; 129] = [
    '\u{0}', '\u{1}', '\u{2}', '\u{3}', '\u{4}', '\u{5}', '\u{6}', '\u{7}', '\u{8}', '\u{b}',
    '\u{c}', '\u{d}', '\u{e}', '\u{f}', '\u{10}', '\u{11}', '\u{12}', '\u{13}', '\u{14}', '\u{15}',
    '\u{16}', '\u{17}', '\u{18}', '\u{19}', '\u{1a}', '\u{1b}', '\u{1c}', '\u{1d}', '\u{1e}',
    '\u{1f}', '\u{21}', '\u{22}', '\u{23}', '\u{24}', '\u{25}', '\u{26}', '\u{27}', '\u{28}',
    '\u{29}', '\u{2a}', '\u{2b}', '\u{2c}', '\u{2d}', '\u{2e}', '\u{2f}', '\u{3a}', '\u{3b}',
    '\u{3c}', '\u{3d}', '\u{3e}', '\u{3f}', '\u{40}', '\u{5b}', '\u{5c}', '\u{5d}', '\u{5e}',
    '\u{5f}', '\u{60}', '\u{7b}', '\u{7c}', '\u{7d}', '\u{7e}', '\u{7f}', '\u{80}', '\u{81}',
    '\u{82}', '\u{83}', '\u{84}', '\u{85}', '\u{86}', '\u{87}', '\u{88}', '\u{89}', '\u{8a}',
    '\u{8b}', '\u{8c}', '\u{8d}', '\u{8e}', '\u{8f}', '\u{90}', '\u{91}', '\u{92}', '\u{93}',
    '\u{94}', '\u{95}', '\u{96}', '\u{97}', '\u{98}', '\u{99}', '\u{9a}', '\u{9b}', '\u{9c}',
    '\u{9d}', '\u{9e}', '\u{9f}', '\u{ab}', '\u{b4}', '\u{bb}', '\u{2013}', '\u{2014}', '\u{2019}',
    '\u{201c}', '\u{201d}', '\u{201e}', '\u{2026}', '\u{2236}', '\u{2501}', '\u{25ba}', '\u{3001}',
    '\u{3002}', '\u{3008}', '\u{3009}', '\u{300a}', '\u{300b}', '\u{300c}', '\u{300d}', '\u{3010}',
    '\u{3011}', '\u{ff01}', '\u{ff05}', '\u{ff08}', '\u{ff09}', '\u{ff0c}', '\u{ff0e}', '\u{ff11}',
    '\u{ff1a}', '\u{ff1b}', '\u{ff1f}', '\u{ff5e}',
];

/// The decimal separators datatrove's number pattern allows between digits.
const DECIMAL_SEPARATORS: [char; 7] = [
    '.', ',', '\u{60c}', '\u{66b}', '\u{2396}', '\u{2397}', '\u{2398}',
];

fn is_punctuation(c: char) -> bool {
    PUNCTUATION.binary_search(&c).is_ok()
}

/// Properties of the characters of the Basic Multilingual Plane, looked up
/// once: a general-category, case or decomposition table search per
/// character is most of the work on text in other scripts than Latin. Each
/// entry holds the flags in its top byte and, in its low 21 bits, the
/// character folded: lower-cased, decomposed, its non-spacing marks removed
/// (when that leaves exactly one character).
const DIGIT: u8 = 1;
const NONSPACING_MARK: u8 = 2;
const SEPARATOR: u8 = 4;
/// Folded, the character is nothing (a lone non-spacing mark).
const FOLDS_TO_NOTHING: u8 = 8;
/// Folded, the character is several characters, or keeps a combining mark
/// that NFD may reorder: the general path.
const FOLDS_COMPLEX: u8 = 16;

/// The folded characters of `c` (lower case, NFD, without non-spacing
/// marks), and whether one of them is a combining mark NFD may reorder.
fn fold(c: char, mut out: impl FnMut(char)) -> bool {
    let mut reorderable = false;
    for lower in c.to_lowercase() {
        decompose_canonical(lower, |d| {
            if d.general_category() != GeneralCategory::NonspacingMark {
                reorderable |= canonical_combining_class(d) != 0;
                out(d);
            }
        });
    }
    reorderable
}

fn properties(c: char) -> (u8, char) {
    let mut flags = 0;
    match c.general_category() {
        GeneralCategory::DecimalNumber => flags |= DIGIT,
        GeneralCategory::NonspacingMark => flags |= NONSPACING_MARK,
        _ => {}
    }
    if is_punctuation(c) || tapis_text::is_py_space(c) {
        flags |= SEPARATOR;
    }
    let (mut first, mut count) = (c, 0);
    let reorderable = fold(c, |d| {
        if count == 0 {
            first = d;
        }
        count += 1;
    });
    match count {
        0 => flags |= FOLDS_TO_NOTHING,
        1 if !reorderable => {}
        _ => flags |= FOLDS_COMPLEX,
    }
    (flags, first)
}

static BMP: std::sync::LazyLock<Vec<u32>> = std::sync::LazyLock::new(|| {
    (0..=0xffffu32)
        .map(|cp| match char::from_u32(cp) {
            None => 0,
            Some(c) => {
                let (flags, folded) = properties(c);
                u32::from(flags) << 24 | folded as u32
            }
        })
        .collect()
});

/// The flags of `c` and its folded form (its first character when longer).
fn lookup(c: char) -> (u8, char) {
    match BMP.get(c as usize) {
        Some(&entry) => (
            (entry >> 24) as u8,
            char::from_u32(entry & 0x1f_ffff).unwrap_or(c),
        ),
        None => properties(c),
    }
}

/// The flags of `c`.
fn flags_of(c: char) -> u8 {
    lookup(c).0
}

fn is_decimal_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    flags_of(c) & DIGIT != 0
}

fn is_nonspacing_mark(c: char) -> bool {
    !c.is_ascii() && flags_of(c) & NONSPACING_MARK != 0
}

/// What `simplify_text` does with an ASCII byte.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ascii {
    /// Kept, in lower case.
    Letter,
    /// Punctuation or white space: a separator.
    Separator,
    /// A digit: starts a number.
    Digit,
}

const ASCII_CLASS: [Ascii; 128] = {
    let mut class = [Ascii::Letter; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        class[b] = if c.is_ascii_digit() {
            Ascii::Digit
        } else {
            // PUNCTUATION and Python's str.isspace(), over ASCII.
            let mut separator = matches!(b, 0x09..=0x0d | 0x1c..=0x20);
            let mut i = 0;
            while i < PUNCTUATION.len() {
                if PUNCTUATION[i] as u32 == b as u32 {
                    separator = true;
                }
                i += 1;
            }
            if separator {
                Ascii::Separator
            } else {
                Ascii::Letter
            }
        };
        b += 1;
    }
    class
};

/// `simplify_text(text)` with datatrove's default `TextNormConfig`.
///
/// One pass does lower case, numbers, punctuation, whitespace and accents
/// (datatrove applies them one after another, to the same effect: none of
/// them makes what a later one acts on, except that a lower-cased
/// character may decompose into a mark, removed last; and NFD reorders
/// combining marks, which only matters when one of nonzero class stays:
/// then the text goes through [`simplify_text_in_steps`]).
pub fn simplify_text(text: &str) -> String {
    // A final capital sigma lower-cases by its context: only then does the
    // whole text go through `to_lowercase` first.
    let lowered;
    let text = if text.contains('Σ') {
        lowered = text.to_lowercase();
        lowered.as_str()
    } else {
        text
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // A separator (punctuation or whitespace) since the last character kept,
    // and whether a character was kept yet (one that folds to nothing
    // counts: datatrove removes it after the spaces are placed).
    let (mut separated, mut started) = (false, false);
    let char_at = |i: usize| -> (char, usize) {
        let c = text[i..].chars().next().expect("a character at a boundary");
        (c, c.len_utf8())
    };
    let mut i = 0;
    while i < bytes.len() {
        // Prose is mostly ASCII words between single spaces, which come out
        // as they are, lower-cased: sixteen bytes of those at a time.
        while let Some(block) = bytes.get(i..i + 16) {
            let block: &[u8; 16] = block.try_into().expect("16 bytes");
            let (letters, spaces) = letters_and_spaces(block);
            let plain =
                letters | spaces == 0xffff && spaces & (spaces >> 1) == 0 && letters & 0x8000 != 0;
            if !plain {
                break;
            }
            if letters & 1 != 0 {
                space_before_kept(&mut out, &mut separated, &mut started);
            } else if started {
                // The block's leading space is the separator.
                separated = false;
            } else {
                break;
            }
            let lower = lower_case_letters(block);
            out.push_str(std::str::from_utf8(&lower).expect("ASCII"));
            i += 16;
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if b < 0x80 {
            let class_at = |j: usize| {
                bytes
                    .get(j)
                    .filter(|&&b| b < 0x80)
                    .map(|&b| ASCII_CLASS[b as usize])
            };
            match ASCII_CLASS[b as usize] {
                Ascii::Letter => {
                    // A run of ASCII letters (the only ASCII class of
                    // letters), found 16 bytes at a time, copied and
                    // lower-cased at once.
                    let end = tapis_text::ascii_letters_end(bytes, i + 1);
                    space_before_kept(&mut out, &mut separated, &mut started);
                    if let Some(block) = bytes.get(i..i + 16).filter(|_| end - i <= 16) {
                        // A word of up to sixteen letters: the sixteen bytes
                        // from it, lower-cased, then cut to the word (one
                        // fixed-size copy instead of a call per word).
                        let block: &[u8; 16] = block.try_into().expect("16 bytes");
                        let lower = lower_case_letters(block);
                        let keep = out.len() + (end - i);
                        // SAFETY: the bytes past `keep`, which may not be
                        // UTF-8, are cut before the string is used again;
                        // those before it are the word's ASCII letters.
                        unsafe {
                            let v = out.as_mut_vec();
                            v.extend_from_slice(&lower);
                            v.truncate(keep);
                        }
                    } else {
                        let start = out.len();
                        out.push_str(&text[i..end]);
                        out[start..].make_ascii_lowercase();
                    }
                    i = end;
                    continue;
                }
                Ascii::Separator => {
                    separated = true;
                    i += 1;
                    while class_at(i) == Some(Ascii::Separator) {
                        i += 1;
                    }
                    continue;
                }
                Ascii::Digit => {}
            }
        }
        let (c, len) = if b < 0x80 { (b as char, 1) } else { char_at(i) };
        let (flags, folded) = if b < 0x80 {
            (DIGIT, c) // the only ASCII class left
        } else {
            lookup(c)
        };
        if flags & DIGIT != 0 {
            i = number_end(text, i + len);
            space_before_kept(&mut out, &mut separated, &mut started);
            out.push('0');
            continue;
        }
        i += len;
        if flags & SEPARATOR != 0 {
            separated = true;
            continue;
        }
        space_before_kept(&mut out, &mut separated, &mut started);
        if flags & FOLDS_COMPLEX != 0 {
            if fold(c, |d| out.push(d)) {
                return simplify_text_in_steps(text);
            }
        } else if flags & FOLDS_TO_NOTHING == 0 {
            out.push(folded);
        }
    }
    // A mark folded to nothing may leave a space at either end.
    let kept = tapis_text::py_strip(&out);
    if kept.len() == out.len() {
        out
    } else {
        kept.to_string()
    }
}

/// The bit that makes an ASCII letter lower case, in every byte; a space
/// already has it.
const LOWER_CASE_BIT: u128 = 0x2020_2020_2020_2020_2020_2020_2020_2020;

/// Sixteen bytes with the lower-case bit set in each: ASCII letters and
/// spaces come out lower-cased (other bytes are not to be kept).
fn lower_case_letters(block: &[u8; 16]) -> [u8; 16] {
    (u128::from_le_bytes(*block) | LOWER_CASE_BIT).to_le_bytes()
}

/// Bit k of the first mask set when `block[k]` is an ASCII letter, of the
/// second when it is a space.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn letters_and_spaces(block: &[u8; 16]) -> (u32, u32) {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline; the load is unaligned and
    // reads exactly the 16 bytes of `block`.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
        // 'a' <= lower <= 'z' as an unsigned range test done with a signed compare.
        let shifted = _mm_add_epi8(lower, _mm_set1_epi8((128 - b'a' as i32) as i8));
        let letters = _mm_cmplt_epi8(shifted, _mm_set1_epi8((-128 + 26) as i8));
        let spaces = _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8));
        (
            _mm_movemask_epi8(letters) as u32,
            _mm_movemask_epi8(spaces) as u32,
        )
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn letters_and_spaces(block: &[u8; 16]) -> (u32, u32) {
    let (mut letters, mut spaces) = (0, 0);
    for (k, &x) in block.iter().enumerate() {
        letters |= u32::from(x.is_ascii_alphabetic()) << k;
        spaces |= u32::from(x == b' ') << k;
    }
    (letters, spaces)
}

/// Where the number whose first digit ends at `i` ends: datatrove's
/// `\p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)?`, which `simplify_text` turns into "0".
fn number_end(text: &str, i: usize) -> usize {
    let digits_from = |j: usize| {
        j + text[j..]
            .chars()
            .take_while(|&d| is_decimal_digit(d))
            .map(char::len_utf8)
            .sum::<usize>()
    };
    let end = digits_from(i);
    let mut rest = text[end..].chars();
    match (rest.next(), rest.next()) {
        (Some(sep), Some(d)) if DECIMAL_SEPARATORS.contains(&sep) && is_decimal_digit(d) => {
            digits_from(end + sep.len_utf8())
        }
        _ => end,
    }
}

/// Before a character is kept: one space for the separators since the last.
#[inline(always)]
fn space_before_kept(out: &mut String, separated: &mut bool, started: &mut bool) {
    if *separated && *started {
        out.push(' ');
    }
    *separated = false;
    *started = true;
}

/// [`simplify_text`] the long way: lower case, numbers, punctuation and
/// whitespace in one pass, then NFD of the whole text without its
/// non-spacing marks, as datatrove does. For the rare text where NFD
/// reorders a combining mark that stays.
fn simplify_text_in_steps(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut collapsed = String::with_capacity(text.len());
    let mut separated = false;
    let char_at = |i: usize| -> (char, usize) {
        let c = text[i..].chars().next().expect("a character at a boundary");
        (c, c.len_utf8())
    };
    let mut i = 0;
    while i < bytes.len() {
        let (c, len) = char_at(i);
        let flags = if c.is_ascii() {
            match ASCII_CLASS[c as usize] {
                Ascii::Letter => 0,
                Ascii::Separator => SEPARATOR,
                Ascii::Digit => DIGIT,
            }
        } else {
            flags_of(c)
        };
        if flags & DIGIT != 0 {
            i = number_end(text, i + len);
            push_kept(&mut collapsed, &mut separated, '0');
            continue;
        }
        i += len;
        if flags & SEPARATOR != 0 {
            separated = true;
        } else {
            let mut lower = c.to_lowercase();
            if let Some(first) = lower.next() {
                push_kept(&mut collapsed, &mut separated, first);
                collapsed.extend(lower);
            }
        }
    }
    let plain: String = collapsed
        .nfd()
        .filter(|&c| !is_nonspacing_mark(c))
        .collect();
    tapis_text::py_strip(&plain).to_string()
}

fn push_kept(out: &mut String, separated: &mut bool, c: char) {
    if *separated && !out.is_empty() {
        out.push(' ');
    }
    *separated = false;
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_punctuation_case_space_and_accents() {
        assert_eq!(
            simplify_text("  Prix: 12,50 € — le 3.4.2024!  "),
            "prix 0 € le 0 0"
        );
        assert_eq!(
            simplify_text("Crème BRÛLÉE\tà\n\nParis"),
            "creme brulee a paris"
        );
        assert_eq!(simplify_text("٣٫٥ and １２"), "0 and 0");
        assert_eq!(simplify_text("don't"), "don t");
        assert_eq!(simplify_text("!!!"), "");
    }

    #[test]
    fn the_table_agrees_with_the_general_category() {
        for cp in (0..0x3_0000u32)
            .step_by(7)
            .chain([0x660, 0x669, 0x300, 0x941, 0x2013, 0x3000])
        {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if c.is_ascii() {
                continue;
            }
            let category = c.general_category();
            assert_eq!(
                is_decimal_digit(c),
                category == GeneralCategory::DecimalNumber,
                "{cp:x}"
            );
            assert_eq!(
                is_nonspacing_mark(c),
                category == GeneralCategory::NonspacingMark,
                "{cp:x}"
            );
            assert_eq!(
                flags_of(c) & SEPARATOR != 0,
                is_punctuation(c) || tapis_text::is_py_space(c),
                "{cp:x}"
            );
            // Folded: lower case, NFD, no non-spacing marks.
            let (flags, folded) = lookup(c);
            let expected: String = c
                .to_lowercase()
                .collect::<String>()
                .nfd()
                .filter(|d| d.general_category() != GeneralCategory::NonspacingMark)
                .collect();
            if flags & FOLDS_COMPLEX != 0 {
                continue;
            }
            if flags & FOLDS_TO_NOTHING != 0 {
                assert_eq!(expected, "", "{cp:x}");
            } else {
                assert_eq!(folded.to_string(), expected, "{cp:x}");
            }
        }
    }

    #[test]
    fn one_pass_equals_the_steps_on_mixed_scripts_and_marks() {
        // Letters with accents and without, lone and stacked combining marks
        // (U+0301 acute, U+0323 dot below, U+0345 iota subscript, which NFD
        // reorders and does not remove), case pairs whose lower case is
        // longer (İ), digits of other scripts, punctuation and spaces.
        let pieces = [
            "a",
            "É",
            "é",
            "e\u{301}",
            "\u{301}",
            "\u{323}\u{301}",
            "ᾳ",
            "\u{345}",
            "Ω\u{345}\u{301}",
            "İ",
            "ß",
            "ǅ",
            "Ǆ",
            "Ă",
            "ệ",
            "ﬁ",
            "٣",
            "٫",
            "5",
            ".",
            ",",
            " ",
            "\u{a0}",
            "\n",
            "—",
            "«",
            "東京",
            "한국어",
            "Ŀ",
            "Σ",
            "ς",
            "x",
            // Runs of plain words, which go sixteen bytes at a time.
            "The Quick brown fox jumps over the LAZY dog",
            " and then some more words ",
            "  ",
            "Z",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let mut tried_steps = false;
        for _ in 0..3000 {
            let text: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            let expected = simplify_text_in_steps(&if text.contains('Σ') {
                text.to_lowercase()
            } else {
                text.clone()
            });
            assert_eq!(simplify_text(&text), expected, "{text:?}");
            tried_steps |= text.contains('\u{345}');
        }
        assert!(tried_steps);
    }

    #[test]
    fn the_ascii_table_agrees_with_the_lists() {
        for b in 0u8..128 {
            let c = b as char;
            let expected = if c.is_ascii_digit() {
                Ascii::Digit
            } else if is_punctuation(c) || tapis_text::is_py_space(c) {
                Ascii::Separator
            } else {
                Ascii::Letter
            };
            assert!(ASCII_CLASS[b as usize] == expected, "byte {b}");
            // The letter runs are found by `ascii_letters_end`.
            assert_eq!(
                ASCII_CLASS[b as usize] == Ascii::Letter,
                c.is_ascii_alphabetic()
            );
        }
    }
}
