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
/// once: a general-category or case-table search per character is most of
/// the work on text in other scripts than Latin. Each entry holds the flags
/// in its top byte and the character's lower case (when it is one
/// character) in its low 21 bits.
const DIGIT: u8 = 1;
const NONSPACING_MARK: u8 = 2;
const SEPARATOR: u8 = 4;
/// The lower case is more than one character: ask `char::to_lowercase`.
const LONG_LOWER: u8 = 8;

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
    let mut lower = c.to_lowercase();
    let first = lower.next().unwrap_or(c);
    if lower.next().is_some() {
        flags |= LONG_LOWER;
    }
    (flags, first)
}

static BMP: std::sync::LazyLock<Vec<u32>> = std::sync::LazyLock::new(|| {
    (0..=0xffffu32)
        .map(|cp| match char::from_u32(cp) {
            None => 0,
            Some(c) => {
                let (flags, lower) = properties(c);
                u32::from(flags) << 24 | lower as u32
            }
        })
        .collect()
});

/// The flags of `c` and its lower case (its first character when longer).
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
/// One pass does lower case, numbers, punctuation and whitespace (datatrove
/// applies them one after another, to the same effect: none of them makes
/// what a later one acts on, except that a lower-cased character may be
/// a combining mark, removed at the end); accents are then removed
/// character by character, skipped when the text is ASCII.
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
    let mut collapsed = String::with_capacity(text.len());
    // A separator (punctuation or whitespace) since the last character kept.
    let mut separated = false;
    let mut ascii = true;
    let char_at = |i: usize| -> (char, usize) {
        let c = text[i..].chars().next().expect("a character at a boundary");
        (c, c.len_utf8())
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let class_at = |j: usize| {
                bytes
                    .get(j)
                    .filter(|&&b| b < 0x80)
                    .map(|&b| ASCII_CLASS[b as usize])
            };
            match ASCII_CLASS[b as usize] {
                Ascii::Letter => {
                    // A run of ASCII letters, copied and lower-cased at once.
                    let mut end = i + 1;
                    while class_at(end) == Some(Ascii::Letter) {
                        end += 1;
                    }
                    if separated && !collapsed.is_empty() {
                        collapsed.push(' ');
                    }
                    separated = false;
                    let start = collapsed.len();
                    collapsed.push_str(&text[i..end]);
                    collapsed[start..].make_ascii_lowercase();
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
        let (flags, lower) = if b < 0x80 {
            (DIGIT, c) // the only ASCII class left
        } else {
            lookup(c)
        };
        if flags & DIGIT != 0 {
            // \p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)? becomes "0".
            let digits_from = |mut j: usize| {
                while j < bytes.len() {
                    let (d, l) = char_at(j);
                    if !is_decimal_digit(d) {
                        break;
                    }
                    j += l;
                }
                j
            };
            i = digits_from(i + len);
            if i < bytes.len() {
                let (sep, l) = char_at(i);
                if DECIMAL_SEPARATORS.contains(&sep) && i + l < bytes.len() {
                    let (d, _) = char_at(i + l);
                    if is_decimal_digit(d) {
                        i = digits_from(i + l);
                    }
                }
            }
            push_kept(&mut collapsed, &mut separated, '0');
            continue;
        }
        i += len;
        if flags & SEPARATOR != 0 {
            separated = true;
        } else {
            ascii = false;
            if flags & LONG_LOWER == 0 {
                push_kept(&mut collapsed, &mut separated, lower);
            } else {
                let mut lower = c.to_lowercase();
                if let Some(first) = lower.next() {
                    push_kept(&mut collapsed, &mut separated, first);
                    collapsed.extend(lower);
                }
            }
        }
    }
    if ascii {
        return collapsed;
    }
    // NFD without non-spacing marks. Decomposing character by character
    // equals NFD up to the reordering of combining marks, which only moves
    // marks of nonzero class: nearly all are non-spacing and removed; when
    // one stays, the whole text goes through NFD.
    let mut plain = String::with_capacity(collapsed.len());
    let mut reorderable = false;
    for c in collapsed.chars() {
        if c.is_ascii() {
            plain.push(c);
            continue;
        }
        decompose_canonical(c, |d| {
            if !is_nonspacing_mark(d) {
                reorderable |= canonical_combining_class(d) != 0;
                plain.push(d);
            }
        });
    }
    if reorderable {
        plain = collapsed
            .nfd()
            .filter(|&c| !is_nonspacing_mark(c))
            .collect();
    }
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
            let (flags, lower) = lookup(c);
            let expected: String = c.to_lowercase().collect();
            if flags & LONG_LOWER == 0 {
                assert_eq!(lower.to_string(), expected, "{cp:x}");
            } else {
                assert!(expected.chars().count() > 1, "{cp:x}");
            }
        }
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
        }
    }
}
