#![doc = include_str!("docs/gopher_repetition.md")]

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, PerLanguage};
use crate::py::{char_len, strip};
use crate::{CheckInfo, DocView, Rule, RuleInfo, RuleOutcome, drop_reason};

macro_rules! check {
    ($name:literal, $summary:literal) => {
        CheckInfo {
            check: $name,
            summary: $summary,
            datatrove: Some($name),
        }
    };
    ($name:literal, $summary:literal, $dt:literal) => {
        CheckInfo {
            check: $name,
            summary: $summary,
            datatrove: Some($dt),
        }
    };
}

pub static INFO: RuleInfo = RuleInfo {
    id: "gopher_repetition",
    title: "Gopher repetition: drop documents that repeat themselves",
    doc: include_str!("docs/gopher_repetition.md"),
    checks: &[
        check!("empty", "the document has no text"),
        check!(
            "dup_para_frac",
            "share of paragraphs that repeat an earlier one"
        ),
        check!(
            "dup_para_char_frac",
            "share of characters in repeated paragraphs"
        ),
        check!("dup_line_frac", "share of lines that repeat an earlier one"),
        check!(
            "dup_line_char_frac",
            "share of characters in repeated lines"
        ),
        check!(
            "top_2_gram",
            "characters covered by the most frequent 2-gram"
        ),
        check!(
            "top_3_gram",
            "characters covered by the most frequent 3-gram"
        ),
        check!(
            "top_4_gram",
            "characters covered by the most frequent 4-gram"
        ),
        check!(
            "dup_5_gram",
            "characters in repeated 5-grams",
            "duplicated_5_n_grams"
        ),
        check!(
            "dup_6_gram",
            "characters in repeated 6-grams",
            "duplicated_6_n_grams"
        ),
        check!(
            "dup_7_gram",
            "characters in repeated 7-grams",
            "duplicated_7_n_grams"
        ),
        check!(
            "dup_8_gram",
            "characters in repeated 8-grams",
            "duplicated_8_n_grams"
        ),
        check!(
            "dup_9_gram",
            "characters in repeated 9-grams",
            "duplicated_9_n_grams"
        ),
        check!(
            "dup_10_gram",
            "characters in repeated 10-grams",
            "duplicated_10_n_grams"
        ),
    ],
};

const TOP_CHECKS: [&str; 3] = ["top_2_gram", "top_3_gram", "top_4_gram"];
const DUP_CHECKS: [&str; 6] = [
    "dup_5_gram",
    "dup_6_gram",
    "dup_7_gram",
    "dup_8_gram",
    "dup_9_gram",
    "dup_10_gram",
];

/// Thresholds; 0 turns a test off.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub dup_line_frac: f64,
    pub dup_para_frac: f64,
    pub dup_line_char_frac: f64,
    pub dup_para_char_frac: f64,
    /// Limits for the most frequent 2-, 3- and 4-gram.
    pub top_n_grams: [f64; 3],
    /// Limits for repeated 5- to 10-grams.
    pub dup_n_grams: [f64; 6],
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dup_line_frac: 0.3,
            dup_para_frac: 0.3,
            dup_line_char_frac: 0.2,
            dup_para_char_frac: 0.2,
            top_n_grams: [0.2, 0.18, 0.16],
            dup_n_grams: [0.15, 0.14, 0.13, 0.12, 0.11, 0.10],
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub chars: usize,
    pub dup_para_frac: f64,
    pub dup_para_char_frac: f64,
    pub dup_line_frac: f64,
    pub dup_line_char_frac: f64,
    pub top_n_gram_char_frac: [f64; 3],
    pub dup_n_gram_char_frac: [f64; 6],
}

/// (repeated elements, characters in repeated elements): the first
/// occurrence of each element is not a repeat.
fn duplicates<'t>(items: impl Iterator<Item = &'t str>) -> (usize, usize, usize) {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let (mut total, mut dups, mut dup_chars) = (0, 0, 0);
    for item in items {
        total += 1;
        if !seen.insert(item) {
            dups += 1;
            dup_chars += char_len(item);
        }
    }
    (total, dups, dup_chars)
}

/// Splits on runs of `min_run` or more `\n` (Python's `re.split("\n{k,}")`).
fn split_newline_runs(text: &str, min_run: usize) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        while let Some(off) = memchr::memchr(b'\n', &bytes[i..]) {
            let run_start = i + off;
            let mut run_end = run_start;
            while run_end < bytes.len() && bytes[run_end] == b'\n' {
                run_end += 1;
            }
            i = run_end;
            if run_end - run_start >= min_run {
                let piece = &text[start..run_start];
                start = run_end;
                return Some(piece);
            }
        }
        done = true;
        Some(&text[start..])
    })
}

/// Characters covered by the most frequent n-gram (`len(" ".join(g)) *
/// count`); ties go to the n-gram seen first, as with `Counter.most_common`.
fn top_n_gram_chars(words: &[&str], word_chars: &[usize], n: usize) -> Option<usize> {
    if words.len() < n {
        return None;
    }
    let mut counts: FxHashMap<&[&str], (usize, usize)> = FxHashMap::default();
    for i in 0..=words.len() - n {
        let e = counts.entry(&words[i..i + n]).or_insert((0, i));
        e.0 += 1;
    }
    let (count, first) = counts
        .values()
        .copied()
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))?;
    let chars: usize = word_chars[first..first + n].iter().sum::<usize>() + n - 1;
    Some(chars * count)
}

/// Characters in repeated n-grams, compared joined without spaces; after a
/// repeat the scan jumps past it (datatrove's `find_all_duplicate`).
///
/// The n-grams are compared by a polynomial hash of their concatenated bytes,
/// which is the same for `["ab", "c"]` and `["a", "bc"]`, exactly like the
/// joined strings, and needs no allocation.
fn dup_n_gram_chars(word_hashes: &[(u64, u64)], word_chars: &[usize], n: usize) -> usize {
    let len = word_hashes.len();
    if len < n {
        return 0;
    }
    let mut seen: FxHashSet<(u64, usize)> = FxHashSet::default();
    let mut repeated = 0;
    let mut i = 0;
    while i < len - n + 1 {
        let mut h = 0u64;
        let mut chars = 0usize;
        for j in i..i + n {
            let (wh, pow) = word_hashes[j];
            h = h.wrapping_mul(pow).wrapping_add(wh);
            chars += word_chars[j];
        }
        if !seen.insert((h, chars)) {
            repeated += chars;
            i += n;
        } else {
            i += 1;
        }
    }
    repeated
}

const HASH_BASE: u64 = 0x100000001b3_u64.wrapping_mul(0x9e3779b97f4a7c15) | 1;

/// Per word: its polynomial hash and `HASH_BASE^bytes`, so that the hash of
/// a concatenation folds from the words' hashes.
fn word_hashes(words: &[&str]) -> Vec<(u64, u64)> {
    words
        .iter()
        .map(|w| {
            let mut h = 0u64;
            let mut pow = 1u64;
            for &b in w.as_bytes() {
                h = h.wrapping_mul(HASH_BASE).wrapping_add(b as u64 + 1);
                pow = pow.wrapping_mul(HASH_BASE);
            }
            (h, pow)
        })
        .collect()
}

pub fn measure(text: &str, words: &[&str]) -> Figures {
    let chars = char_len(text);
    let frac = |x: usize, of: usize| if of == 0 { 0.0 } else { x as f64 / of as f64 };
    let (paras, dup_paras, dup_para_chars) = duplicates(split_newline_runs(strip(text), 2));
    let (lines, dup_lines, dup_line_chars) = duplicates(split_newline_runs(text, 1));
    let word_chars: Vec<usize> = words.iter().map(|w| char_len(w)).collect();
    let mut top = [0.0; 3];
    for (k, n) in (2..=4).enumerate() {
        top[k] = top_n_gram_chars(words, &word_chars, n).map_or(0.0, |c| frac(c, chars));
    }
    let hashes = word_hashes(words);
    let mut dup = [0.0; 6];
    for (k, n) in (5..=10).enumerate() {
        dup[k] = frac(dup_n_gram_chars(&hashes, &word_chars, n), chars);
    }
    Figures {
        chars,
        dup_para_frac: frac(dup_paras, paras),
        dup_para_char_frac: frac(dup_para_chars, chars),
        dup_line_frac: frac(dup_lines, lines),
        dup_line_char_frac: frac(dup_line_chars, chars),
        top_n_gram_char_frac: top,
        dup_n_gram_char_frac: dup,
    }
}

pub fn judge(f: &Figures, s: &Settings) -> Option<(&'static str, (&'static str, f64), f64)> {
    if f.chars == 0 {
        return Some(("empty", ("chars", 0.0), 0.0));
    }
    let tests = [
        ("dup_para_frac", f.dup_para_frac, s.dup_para_frac),
        (
            "dup_para_char_frac",
            f.dup_para_char_frac,
            s.dup_para_char_frac,
        ),
        ("dup_line_frac", f.dup_line_frac, s.dup_line_frac),
        (
            "dup_line_char_frac",
            f.dup_line_char_frac,
            s.dup_line_char_frac,
        ),
    ];
    for (check, value, limit) in tests {
        if limit != 0.0 && value > limit {
            return Some((check, (check, value), limit));
        }
    }
    for k in 0..3 {
        let (value, limit) = (f.top_n_gram_char_frac[k], s.top_n_grams[k]);
        if limit != 0.0 && value > limit {
            return Some((TOP_CHECKS[k], ("char_frac", value), limit));
        }
    }
    for k in 0..6 {
        let (value, limit) = (f.dup_n_gram_char_frac[k], s.dup_n_grams[k]);
        if limit != 0.0 && value > limit {
            return Some((DUP_CHECKS[k], ("char_frac", value), limit));
        }
    }
    None
}

pub struct GopherRepetition {
    settings: PerLanguage<Settings>,
}

impl GopherRepetition {
    pub fn from_table(table: toml::Table) -> Result<Self, ConfigError> {
        Ok(GopherRepetition {
            settings: PerLanguage::from_table(INFO.id, table)?,
        })
    }
}

impl Rule for GopherRepetition {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn apply(&self, view: &DocView) -> RuleOutcome {
        let s = self.settings.get(view.language());
        let text = view.text();
        let mut out = RuleOutcome::default();
        if text.is_empty() {
            out.drop = Some(drop_reason(INFO.code("empty"), ("chars", 0.0), 0.0));
            return out;
        }
        let f = measure(text, &view.words());
        let n = text.len();
        out.figure(n, "gopher_repetition.dup_para_frac", f.dup_para_frac);
        out.figure(
            n,
            "gopher_repetition.dup_para_char_frac",
            f.dup_para_char_frac,
        );
        out.figure(n, "gopher_repetition.dup_line_frac", f.dup_line_frac);
        out.figure(
            n,
            "gopher_repetition.dup_line_char_frac",
            f.dup_line_char_frac,
        );
        const TOP: [&str; 3] = [
            "gopher_repetition.top_2_gram_char_frac",
            "gopher_repetition.top_3_gram_char_frac",
            "gopher_repetition.top_4_gram_char_frac",
        ];
        const DUP: [&str; 6] = [
            "gopher_repetition.dup_5_gram_char_frac",
            "gopher_repetition.dup_6_gram_char_frac",
            "gopher_repetition.dup_7_gram_char_frac",
            "gopher_repetition.dup_8_gram_char_frac",
            "gopher_repetition.dup_9_gram_char_frac",
            "gopher_repetition.dup_10_gram_char_frac",
        ];
        for k in 0..3 {
            out.figure(n, TOP[k], f.top_n_gram_char_frac[k]);
        }
        for k in 0..6 {
            out.figure(n, DUP[k], f.dup_n_gram_char_frac[k]);
        }
        if let Some((check, measured, limit)) = judge(&f, s) {
            out.drop = Some(drop_reason(INFO.code(check), measured, limit));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn newline_runs_split_like_python_re() {
        // re.split(r"\n{2,}", "a\nb\n\n\nc\n\n") == ['a\nb', 'c', '']
        let parts: Vec<&str> = split_newline_runs("a\nb\n\n\nc\n\n", 2).collect();
        assert_eq!(parts, ["a\nb", "c", ""]);
        // re.split("\n+", "\na\n\nb") == ['', 'a', 'b']
        let parts: Vec<&str> = split_newline_runs("\na\n\nb", 1).collect();
        assert_eq!(parts, ["", "a", "b"]);
    }

    #[test]
    fn repeated_lines_count_after_their_first_occurrence() {
        let text = "Subscribe now\nReal news here today\nSubscribe now\nSubscribe now";
        let f = measure(text, &ws(text));
        assert!((f.dup_line_frac - 0.5).abs() < 1e-12);
        let chars = char_len(text) as f64;
        assert!((f.dup_line_char_frac - 26.0 / chars).abs() < 1e-12);
        assert_eq!(judge(&f, &Settings::default()).unwrap().0, "dup_line_frac");
    }

    #[test]
    fn top_n_gram_ties_go_to_the_first_seen() {
        // "a b" and "b c" both appear twice; "a b" came first: 3 chars × 2.
        let words = ["a", "b", "c", "a", "b", "c"];
        let chars: Vec<usize> = words.iter().map(|w| w.len()).collect();
        assert_eq!(top_n_gram_chars(&words, &chars, 2), Some(6));
        let words = ["xx", "y", "a", "b", "xx", "y"];
        let chars: Vec<usize> = words.iter().map(|w| w.len()).collect();
        assert_eq!(top_n_gram_chars(&words, &chars, 2), Some(8));
    }

    #[test]
    fn dup_n_grams_compare_joined_text_and_skip_past_a_repeat() {
        // Joined without spaces, ["ab","c",...] equals ["a","bc",...].
        let words = ["ab", "c", "d", "e", "f", "a", "bc", "d", "e", "f"];
        let chars: Vec<usize> = words.iter().map(|w| w.len()).collect();
        assert_eq!(dup_n_gram_chars(&word_hashes(&words), &chars, 5), 6);
        // A run repeated three times: the 2nd and 3rd copies count once each.
        let words: Vec<&str> = "one two three four five "
            .repeat(3)
            .leak()
            .split_whitespace()
            .collect();
        let chars: Vec<usize> = words.iter().map(|w| w.len()).collect();
        assert_eq!(dup_n_gram_chars(&word_hashes(&words), &chars, 5), 2 * 19);
    }

    #[test]
    fn varied_prose_passes_and_a_looping_page_fails() {
        let prose = "The river rose overnight after three days of rain.\n\n\
            Farmers moved their animals to higher ground before dawn.\n\n\
            By noon the water had reached the old stone bridge, and the council closed it.";
        let f = measure(prose, &ws(prose));
        assert_eq!(judge(&f, &Settings::default()), None);
        let looping = "buy cheap watches online now ".repeat(30);
        let f = measure(&looping, &ws(&looping));
        assert_eq!(judge(&f, &Settings::default()).unwrap().0, "top_2_gram");
    }
}
