//! datatrove's `simplify_text` with its default settings, the text that
//! MinHash shingles are made of: lower case; numbers (digits of any script,
//! with one decimal part) as `0`; punctuation as spaces; whitespace runs as
//! one space; accents removed (NFD without non-spacing marks).

use unicode_normalization::UnicodeNormalization;
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

fn is_decimal_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    c.general_category() == GeneralCategory::DecimalNumber
}

/// Replaces each number (`\p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)?`) by `0`.
fn numbers_as_zero(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_decimal_digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        while i < chars.len() && is_decimal_digit(chars[i]) {
            i += 1;
        }
        if i + 1 < chars.len()
            && DECIMAL_SEPARATORS.contains(&chars[i])
            && is_decimal_digit(chars[i + 1])
        {
            i += 1;
            while i < chars.len() && is_decimal_digit(chars[i]) {
                i += 1;
            }
        }
        out.push('0');
    }
    out
}

/// `simplify_text(text)` with datatrove's default `TextNormConfig`.
pub fn simplify_text(text: &str) -> String {
    let lower = text.to_lowercase();
    let numbered = numbers_as_zero(&lower);
    let spaced: String = numbered
        .chars()
        .map(|c| if is_punctuation(c) { ' ' } else { c })
        .collect();
    // Whitespace runs (Python's `\s`) as one space, ends stripped.
    let mut single = String::with_capacity(spaced.len());
    for word in spaced
        .split(tapis_text::is_py_space)
        .filter(|w| !w.is_empty())
    {
        if !single.is_empty() {
            single.push(' ');
        }
        single.push_str(word);
    }
    let plain: String = single
        .nfd()
        .filter(|c| c.general_category() != GeneralCategory::NonspacingMark)
        .collect();
    tapis_text::py_strip(&plain).to_string()
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
}
