#![doc = include_str!("docs/gopher_quality.md")]

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::py::{char_len, is_alpha, is_punctuation, is_space, split_lines};
use crate::{CheckInfo, DocView, Rule, RuleInfo, RuleOutcome, drop_reason};

pub static INFO: RuleInfo = RuleInfo {
    id: "gopher_quality",
    title: "Gopher quality: drop documents whose words do not look like prose",
    doc: include_str!("docs/gopher_quality.md"),
    checks: &[
        CheckInfo {
            check: "short_doc",
            summary: "fewer non-symbol words than min_doc_words",
            datatrove: Some("gopher_short_doc"),
        },
        CheckInfo {
            check: "long_doc",
            summary: "more non-symbol words than max_doc_words",
            datatrove: Some("gopher_long_doc"),
        },
        CheckInfo {
            check: "below_avg_word_length",
            summary: "mean non-symbol word length under min_avg_word_length",
            datatrove: Some("gopher_below_avg_threshold"),
        },
        CheckInfo {
            check: "above_avg_word_length",
            summary: "mean non-symbol word length over max_avg_word_length",
            datatrove: Some("gopher_above_avg_threshold"),
        },
        CheckInfo {
            check: "too_many_hashes",
            summary: "'#' per word over max_symbol_word_ratio",
            datatrove: Some("gopher_too_many_hashes"),
        },
        CheckInfo {
            check: "too_many_ellipsis",
            summary: "'...' and '…' per word over max_symbol_word_ratio",
            datatrove: Some("gopher_too_many_ellipsis"),
        },
        CheckInfo {
            check: "too_many_bullets",
            summary: "share of lines starting with '•' or '-' over max_bullet_lines_ratio",
            datatrove: Some("gopher_too_many_bullets"),
        },
        CheckInfo {
            check: "too_many_end_ellipsis",
            summary: "share of lines ending with an ellipsis over max_ellipsis_lines_ratio",
            datatrove: Some("gopher_too_many_end_ellipsis"),
        },
        CheckInfo {
            check: "below_alpha_threshold",
            summary: "share of words with a letter under min_alpha_words_ratio",
            datatrove: Some("gopher_below_alpha_threshold"),
        },
        CheckInfo {
            check: "too_few_stop_words",
            summary: "fewer distinct stop words than min_stop_words",
            datatrove: Some("gopher_enough_stop_words"),
        },
    ],
};

/// Gopher's English stop words, as datatrove uses them.
pub const ENGLISH_STOP_WORDS: [&str; 8] = ["the", "be", "to", "of", "and", "that", "have", "with"];

/// Thresholds; 0 turns a test off.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub min_doc_words: u64,
    pub max_doc_words: u64,
    pub min_avg_word_length: f64,
    pub max_avg_word_length: f64,
    pub max_symbol_word_ratio: f64,
    pub max_bullet_lines_ratio: f64,
    pub max_ellipsis_lines_ratio: f64,
    /// datatrove calls it `max_non_alpha_words_ratio`; it is a minimum.
    #[serde(alias = "max_non_alpha_words_ratio")]
    pub min_alpha_words_ratio: f64,
    pub min_stop_words: u64,
    /// Matched case-sensitively against whole words, as datatrove does.
    pub stop_words: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_doc_words: 50,
            max_doc_words: 100_000,
            min_avg_word_length: 3.0,
            max_avg_word_length: 10.0,
            max_symbol_word_ratio: 0.1,
            max_bullet_lines_ratio: 0.9,
            max_ellipsis_lines_ratio: 0.3,
            min_alpha_words_ratio: 0.8,
            min_stop_words: 2,
            stop_words: ENGLISH_STOP_WORDS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// What the rule measures, independent of thresholds (except the stop-word
/// list, which defines what is counted).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub words: usize,
    pub non_symbol_words: usize,
    pub avg_word_length: f64,
    pub hash_ratio: f64,
    pub ellipsis_ratio: f64,
    pub bullet_lines_ratio: f64,
    pub end_ellipsis_lines_ratio: f64,
    pub alpha_words_ratio: f64,
    pub stop_words: usize,
}

const NOT_PUNCT: u8 = 1;
const ALPHA: u8 = 2;
const NON_ASCII: u8 = 4;

/// Per byte: whether it is an ASCII character outside `PUNCTUATION_SET`, an
/// ASCII letter, or not ASCII at all (the word then takes the Unicode path).
static BYTE_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        t[b] = 0;
        if !crate::py::is_ascii_punctuation(c) {
            t[b] |= NOT_PUNCT;
        }
        if c.is_ascii_alphabetic() {
            t[b] |= ALPHA;
        }
        b += 1;
    }
    t
};

/// The OR of `BYTE_CLASS` over the bytes of `w`. A word of up to 16 bytes
/// inside `text` with 16 readable bytes from its start is classified with one
/// vector load and no per-byte branch; others byte by byte.
#[inline(always)]
fn word_class(text: &str, w: &str) -> u8 {
    if let Some(block) = crate::word_block::word_block(text, w) {
        return block_class(block, w.len());
    }
    w.as_bytes()
        .iter()
        .fold(0u8, |acc, &b| acc | BYTE_CLASS[b as usize])
}

/// `BYTE_CLASS` ORed over the first `len` bytes of `block`. The ASCII bytes
/// outside datatrove's punctuation set (which holds the control characters)
/// are the letters, the digits, tab, line feed and space.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn block_class(block: &[u8; 16], len: usize) -> u8 {
    use std::arch::x86_64::*;
    let valid = ((1u32 << len) - 1) as i32;
    // SAFETY: SSE2 is part of the x86_64 baseline; the load reads exactly `block`.
    let (non_ascii, letters, not_punct) = unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        // 'a' <= (v | 0x20) <= 'z' and '0' <= v <= '9', as signed compares
        // after moving the range's low end to -128.
        let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
        let letters = _mm_cmplt_epi8(
            _mm_add_epi8(lower, _mm_set1_epi8((128 - b'a' as i32) as i8)),
            _mm_set1_epi8((-128 + 26) as i8),
        );
        let digits = _mm_cmplt_epi8(
            _mm_add_epi8(v, _mm_set1_epi8((128 - b'0' as i32) as i8)),
            _mm_set1_epi8((-128 + 10) as i8),
        );
        let blanks = _mm_or_si128(
            _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8)),
            _mm_or_si128(
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\t' as i8)),
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8)),
            ),
        );
        let not_punct = _mm_or_si128(_mm_or_si128(letters, digits), blanks);
        (
            _mm_movemask_epi8(v) & valid,
            _mm_movemask_epi8(letters) & valid,
            _mm_movemask_epi8(not_punct) & valid,
        )
    };
    let mut class = 0;
    if non_ascii != 0 {
        class |= NON_ASCII;
    }
    if letters != 0 {
        class |= ALPHA;
    }
    if not_punct != 0 {
        class |= NOT_PUNCT;
    }
    class
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn block_class(block: &[u8; 16], len: usize) -> u8 {
    block[..len]
        .iter()
        .fold(0u8, |acc, &b| acc | BYTE_CLASS[b as usize])
}

/// The stop words, with a cheap test that rules most words out before any
/// string comparison: the (first byte, length) pairs some stop word has.
struct StopWords<'s> {
    words: &'s [String],
    lengths_by_first_byte: [u64; 256],
}

impl<'s> StopWords<'s> {
    fn new(words: &'s [String]) -> Self {
        let mut lengths_by_first_byte = [0u64; 256];
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                lengths_by_first_byte[b as usize] |= 1 << w.len().min(63);
            }
        }
        StopWords {
            words,
            lengths_by_first_byte,
        }
    }

    /// The index of `w` among the stop words, if it is one.
    #[inline]
    fn find(&self, w: &str) -> Option<usize> {
        let first = *w.as_bytes().first()?;
        if self.lengths_by_first_byte[first as usize] & (1 << w.len().min(63)) == 0 {
            return None;
        }
        self.words.iter().position(|s| s == w)
    }
}

pub fn measure(text: &str, words: &[&str], stop_words: &[String]) -> Figures {
    let n_words = words.len();
    let mut non_symbol = 0usize;
    let mut non_symbol_chars = 0usize;
    let mut alpha_words = 0usize;
    let stop_list = StopWords::new(stop_words);
    // Distinct stop words seen: a bit per stop word, or a set past 64 of them.
    let mut stops_seen = 0u64;
    let mut stops_beyond: FxHashSet<usize> = FxHashSet::default();
    for w in words {
        let class = word_class(text, w);
        let (has_non_punct, has_alpha, chars) = if class & NON_ASCII == 0 {
            (class & NOT_PUNCT != 0, class & ALPHA != 0, w.len())
        } else {
            (
                w.chars().any(|c| !is_punctuation(c)),
                w.chars().any(is_alpha),
                char_len(w),
            )
        };
        if has_non_punct {
            non_symbol += 1;
            non_symbol_chars += chars;
        }
        if has_alpha {
            alpha_words += 1;
        }
        match stop_list.find(w) {
            Some(k) if k < 64 => stops_seen |= 1 << k,
            Some(k) => {
                stops_beyond.insert(k);
            }
            None => {}
        }
    }
    let per_word = |count: usize| {
        if n_words == 0 {
            0.0
        } else {
            count as f64 / n_words as f64
        }
    };
    let hashes = memchr::memchr_iter(b'#', text.as_bytes()).count();
    // Both count non-overlapping occurrences, as Python's `str.count`.
    let ellipses =
        memchr::memmem::find_iter(text.as_bytes(), b"...").count() + text.matches('…').count();
    let lines = split_lines(text);
    let (mut bullets, mut end_ellipses) = (0usize, 0usize);
    for &(a, b, _) in &lines {
        let line = &text[a..b];
        let start = line.trim_start_matches(is_space);
        if start.starts_with('•') || start.starts_with('-') {
            bullets += 1;
        }
        let end = line.trim_end_matches(is_space);
        if end.ends_with("...") || end.ends_with('…') {
            end_ellipses += 1;
        }
    }
    let per_line = |count: usize| {
        if lines.is_empty() {
            0.0
        } else {
            count as f64 / lines.len() as f64
        }
    };
    Figures {
        words: n_words,
        non_symbol_words: non_symbol,
        avg_word_length: if non_symbol == 0 {
            f64::NAN
        } else {
            non_symbol_chars as f64 / non_symbol as f64
        },
        hash_ratio: per_word(hashes),
        ellipsis_ratio: per_word(ellipses),
        bullet_lines_ratio: per_line(bullets),
        end_ellipsis_lines_ratio: per_line(end_ellipses),
        alpha_words_ratio: per_word(alpha_words),
        stop_words: stops_seen.count_ones() as usize + stops_beyond.len(),
    }
}

/// The first failing check, in datatrove's order.
pub fn judge(f: &Figures, s: &Settings) -> Option<(&'static str, (&'static str, f64), f64)> {
    let on = |t: f64| t != 0.0;
    let non_symbol = f.non_symbol_words as f64;
    if s.min_doc_words != 0 && f.non_symbol_words < s.min_doc_words as usize {
        return Some((
            "short_doc",
            ("non_symbol_words", non_symbol),
            s.min_doc_words as f64,
        ));
    }
    if s.max_doc_words != 0 && f.non_symbol_words > s.max_doc_words as usize {
        return Some((
            "long_doc",
            ("non_symbol_words", non_symbol),
            s.max_doc_words as f64,
        ));
    }
    let avg = ("avg_word_length", f.avg_word_length);
    if on(s.min_avg_word_length) && f.avg_word_length < s.min_avg_word_length {
        return Some(("below_avg_word_length", avg, s.min_avg_word_length));
    }
    if on(s.max_avg_word_length) && f.avg_word_length > s.max_avg_word_length {
        return Some(("above_avg_word_length", avg, s.max_avg_word_length));
    }
    if on(s.max_symbol_word_ratio) && f.hash_ratio > s.max_symbol_word_ratio {
        return Some((
            "too_many_hashes",
            ("hash_ratio", f.hash_ratio),
            s.max_symbol_word_ratio,
        ));
    }
    if on(s.max_symbol_word_ratio) && f.ellipsis_ratio > s.max_symbol_word_ratio {
        let m = ("ellipsis_ratio", f.ellipsis_ratio);
        return Some(("too_many_ellipsis", m, s.max_symbol_word_ratio));
    }
    if on(s.max_bullet_lines_ratio) && f.bullet_lines_ratio > s.max_bullet_lines_ratio {
        let m = ("bullet_lines_ratio", f.bullet_lines_ratio);
        return Some(("too_many_bullets", m, s.max_bullet_lines_ratio));
    }
    if on(s.max_ellipsis_lines_ratio) && f.end_ellipsis_lines_ratio > s.max_ellipsis_lines_ratio {
        let m = ("end_ellipsis_lines_ratio", f.end_ellipsis_lines_ratio);
        return Some(("too_many_end_ellipsis", m, s.max_ellipsis_lines_ratio));
    }
    if on(s.min_alpha_words_ratio) && f.alpha_words_ratio < s.min_alpha_words_ratio {
        let m = ("alpha_words_ratio", f.alpha_words_ratio);
        return Some(("below_alpha_threshold", m, s.min_alpha_words_ratio));
    }
    if s.min_stop_words != 0 && f.stop_words < s.min_stop_words as usize {
        let m = ("stop_words", f.stop_words as f64);
        return Some(("too_few_stop_words", m, s.min_stop_words as f64));
    }
    None
}

rule_type!(GopherQuality);

impl Rule for GopherQuality {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn apply(&self, view: &DocView) -> RuleOutcome {
        let s = self.settings.get(view.language());
        let text = view.text();
        let words = view.words();
        let f = measure(text, &words, &s.stop_words);
        let mut out = RuleOutcome::default();
        let n = text.len();
        out.figure(n, "gopher_quality.words", f.words as f64);
        out.figure(
            n,
            "gopher_quality.non_symbol_words",
            f.non_symbol_words as f64,
        );
        out.figure(n, "gopher_quality.avg_word_length", f.avg_word_length);
        out.figure(n, "gopher_quality.hash_ratio", f.hash_ratio);
        out.figure(n, "gopher_quality.ellipsis_ratio", f.ellipsis_ratio);
        out.figure(n, "gopher_quality.bullet_lines_ratio", f.bullet_lines_ratio);
        out.figure(
            n,
            "gopher_quality.end_ellipsis_lines_ratio",
            f.end_ellipsis_lines_ratio,
        );
        out.figure(n, "gopher_quality.alpha_words_ratio", f.alpha_words_ratio);
        out.figure(n, "gopher_quality.stop_words", f.stop_words as f64);
        if let Some((check, measured, limit)) = judge(&f, s) {
            out.drop = Some(drop_reason(INFO.code(check), measured, limit));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WordTokenizer;

    fn check_of(text: &str, settings: &Settings) -> Option<&'static str> {
        let view = DocView::new(text, None, WordTokenizer::SpacyEn);
        let words = view.words();
        judge(&measure(text, &words, &settings.stop_words), settings).map(|(c, _, _)| c)
    }

    const PROSE: &str = "The committee met on Tuesday to discuss the budget for the coming year. \
        Members agreed that the library and the swimming pool should have priority, and that \
        repairs to the town hall can wait until spring. The mayor said she was pleased with the \
        outcome and thanked the volunteers who had prepared the figures with great care over \
        the last three months.";

    #[test]
    fn ordinary_prose_passes() {
        assert_eq!(check_of(PROSE, &Settings::default()), None);
    }

    #[test]
    fn each_check_fires_on_its_own_kind_of_page() {
        let s = Settings::default();
        assert_eq!(check_of("Home | About | Contact", &s), Some("short_doc"));
        let hashtags = format!("{PROSE} {}", "#news #today #local #town ".repeat(8));
        assert_eq!(check_of(&hashtags, &s), Some("too_many_hashes"));
        let bullets = "- the item with a name\n".repeat(60);
        assert_eq!(check_of(&bullets, &s), Some("too_many_bullets"));
        let trailing = format!(
            "{PROSE}\n{}",
            "and then the story goes on and on...\n".repeat(20)
        );
        assert_eq!(check_of(&trailing, &s), Some("too_many_end_ellipsis"));
        let numbers = format!("{PROSE} {}", "12 34 56 78 90 ".repeat(10));
        assert_eq!(check_of(&numbers, &s), Some("below_alpha_threshold"));
        let german = "Der Ausschuss traf sich am Dienstag, um den Haushalt für das kommende Jahr \
            zu beraten. Die Mitglieder waren sich einig, dass die Bibliothek und das Schwimmbad \
            Vorrang haben sollten und dass Reparaturen am Rathaus bis zum Frühjahr warten \
            können. Die Bürgermeisterin zeigte sich zufrieden mit dem Ergebnis und dankte \
            allen Freiwilligen für ihre sorgfältige Arbeit an den Zahlen.";
        assert_eq!(check_of(german, &s), Some("too_few_stop_words"));
    }

    #[test]
    fn german_stop_words_for_german_documents_keep_german_prose() {
        let table: toml::Table = toml::from_str(
            "[languages.de]\nstop_words = [\"der\", \"die\", \"und\", \"das\", \"den\", \"zu\"]\n",
        )
        .unwrap();
        let rule = GopherQuality::from_table(table).unwrap();
        let text = "Der Ausschuss traf sich am Dienstag, um den Haushalt für das kommende Jahr \
            zu beraten. Die Mitglieder waren sich einig, dass die Bibliothek und das Schwimmbad \
            Vorrang haben sollten und dass Reparaturen am Rathaus bis zum Frühjahr warten \
            können. Die Bürgermeisterin zeigte sich zufrieden mit dem Ergebnis und dankte \
            allen Freiwilligen für ihre sorgfältige Arbeit an den Zahlen.";
        let de = DocView::new(text, Some("de"), WordTokenizer::SpacyEn);
        assert!(rule.apply(&de).drop.is_none());
        let unknown = DocView::new(text, None, WordTokenizer::SpacyEn);
        let dropped = rule.apply(&unknown).drop.unwrap();
        assert_eq!(
            dropped.code.to_string(),
            "gopher_quality/too_few_stop_words"
        );
        assert_eq!(
            dropped.figures,
            vec![("stop_words", 0.0), ("threshold", 2.0)]
        );
    }

    #[test]
    fn figures_count_as_python_does() {
        let stop: Vec<String> = ["the", "of", "die"].iter().map(|s| s.to_string()).collect();
        let text = "the the of ..... … Größe — ¿qué?";
        let words = [
            "the", "the", "of", ".....", "…", "Größe", "—", "¿", "qué", "?",
        ];
        let f = measure(text, &words, &stop);
        // "....." holds one non-overlapping "...", plus one "…".
        assert_eq!(f.ellipsis_ratio, 2.0 / 10.0);
        // Distinct stop words: "the" twice counts once; "die" never occurs.
        assert_eq!(f.stop_words, 2);
        // Non-symbol words: the, the, of, Größe, ¿ (not in PUNCTUATION_SET), qué;
        // lengths in code points.
        assert_eq!(f.non_symbol_words, 6);
        assert_eq!(f.avg_word_length, (3 + 3 + 2 + 5 + 1 + 3) as f64 / 6.0);
        assert_eq!(f.alpha_words_ratio, 5.0 / 10.0);
    }

    #[test]
    fn block_classes_agree_with_the_byte_table() {
        // Every byte alone and next to others, at every length up to 16.
        for x in 0..=255u8 {
            for len in 1..=16 {
                let mut block = [b'a'; 16];
                block[len - 1] = x;
                block[0] = x;
                let by_bytes = block[..len]
                    .iter()
                    .fold(0u8, |acc, &b| acc | BYTE_CLASS[b as usize]);
                assert_eq!(block_class(&block, len), by_bytes, "byte {x:#x}, len {len}");
                let mut punct = [b'.'; 16];
                punct[len - 1] = x;
                let by_bytes = punct[..len]
                    .iter()
                    .fold(0u8, |acc, &b| acc | BYTE_CLASS[b as usize]);
                assert_eq!(block_class(&punct, len), by_bytes, "byte {x:#x} after dots");
            }
        }
        // The ASCII bytes outside datatrove's punctuation set are as documented.
        for x in 0..128u8 {
            let listed = x.is_ascii_alphanumeric() || matches!(x, b'\t' | b'\n' | b' ');
            assert_eq!(
                !crate::py::is_ascii_punctuation(x as char),
                listed,
                "{x:#x}"
            );
        }
    }
}
