//! Words of a line, for stop-word and phrase lookups in any script.
//!
//! A word is a run of letters, digits and combining marks. Scripts written
//! without spaces between words are cut two ways. In Han and kana each
//! character is a word of its own: a character is about a morpheme, which
//! is enough to find stop words and phrases ("阅读更多" is four such words).
//! Thai, Lao, Khmer and Myanmar letters are letters, not morphemes: a run of
//! them is cut into words by ICU4X's dictionary word segmenter, so that a
//! menu item "เศรษฐกิจ" is one word, not eight, and the language's stop words
//! can be counted.

use std::sync::LazyLock;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};

/// A word of a line: its byte span in the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
}

/// Whether `c` belongs to a script written without spaces between words.
pub fn is_unspaced(c: char) -> bool {
    is_segmented(c) || is_logographic(c)
}

/// Whether `c` is a letter (or mark) of a script without spaces whose words
/// a dictionary finds: Thai, Lao, Myanmar, Khmer.
pub fn is_segmented(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF) // Khmer
}

/// Whether `c` is a Han or kana character, a word of its own here.
pub fn is_logographic(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FA1F) // CJK extensions B and beyond
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_mark(c)
}

/// A line's words, split and lowercased once for every lookup.
#[derive(Clone, Debug, Default)]
pub struct LineWords {
    /// The words in lower case, joined by single spaces.
    pub lower: String,
    /// Each word's span in the line and in `lower`.
    pub words: Vec<(Word, usize, usize)>,
}

impl LineWords {
    pub fn new(line: &str) -> LineWords {
        let mut out = LineWords::default();
        for_each_word(line, |w| {
            if !out.lower.is_empty() {
                out.lower.push(' ');
            }
            let from = out.lower.len();
            let word = &line[w.start..w.end];
            if word.is_ascii() {
                out.lower.push_str(word);
                out.lower[from..].make_ascii_lowercase();
            } else {
                for c in word.chars() {
                    // Unicode lowers the Turkish dotted capital to "i" and a
                    // combining dot, which no word list spells: "İlgili"
                    // must find "ilgili", "İçin" the stop word "için".
                    if c == '\u{130}' {
                        out.lower.push('i');
                    } else {
                        out.lower.extend(c.to_lowercase());
                    }
                }
            }
            out.words.push((w, from, out.lower.len()));
        });
        out
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words of `line` without a leading "o" that marks a list item, as
    /// text renderings of nested HTML lists write them ("* Hund", "+ Futter",
    /// "o Trockenfutter"): counted as a word, a menu's hundred "o" markers
    /// read as stop words of Portuguese or Aromanian and mislead the guess of
    /// the page's language. A paragraph does not open with a lower-case "o".
    pub fn without_list_marker(line: &str) -> LineWords {
        let mut out = LineWords::new(line);
        let marked = line
            .trim_start()
            .strip_prefix('o')
            .is_some_and(|rest| rest.chars().next().is_some_and(char::is_whitespace));
        if marked && out.words.len() > 1 {
            let (_, _, skip) = out.words[0];
            let cut = skip + 1;
            out.lower.drain(..cut);
            out.words.remove(0);
            for (_, a, b) in &mut out.words {
                *a -= cut;
                *b -= cut;
            }
        }
        out
    }

    /// Word `i` in lower case.
    pub fn lower(&self, i: usize) -> &str {
        let (_, a, b) = self.words[i];
        &self.lower[a..b]
    }
}

/// Combining marks (Devanagari vowel signs, Arabic harakat…) belong to the
/// word they sit on.
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0903
        | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963 | 0x0981..=0x0983
        | 0x09BC..=0x09D7 | 0x0A01..=0x0A03 | 0x0A3C..=0x0A51 | 0x0A81..=0x0A83
        | 0x0ABC..=0x0ACD | 0x0B01..=0x0B03 | 0x0B3C..=0x0B57 | 0x0B82
        | 0x0BBE..=0x0BCD | 0x0C00..=0x0C04 | 0x0C3E..=0x0C56 | 0x0C81..=0x0C83
        | 0x0CBC..=0x0CD6 | 0x0D00..=0x0D03 | 0x0D3B..=0x0D57 | 0x0E31
        | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x200C..=0x200D | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The dictionary segmenter, built once (its data is compiled in).
static SEGMENTER: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()));

/// Calls `f` with each word of the run `line[from..to]` of Thai, Lao, Myanmar
/// or Khmer text: the dictionary's segments holding a letter or digit.
fn segment_run(line: &str, from: usize, to: usize, f: &mut impl FnMut(Word)) {
    let run = &line[from..to];
    let mut last = 0;
    for at in SEGMENTER.segment_str(run).skip(1) {
        if run[last..at].chars().any(|c| c.is_alphanumeric()) {
            f(Word {
                start: from + last,
                end: from + at,
            });
        }
        last = at;
    }
}

/// How many words `line` holds, its Han and kana runs counted in the words
/// ICU4X's dictionary finds in them rather than one per character: for
/// lengths compared across languages (a line of ten words), where
/// [`for_each_word`]'s characters would make a Chinese menu item of six
/// characters as long as a sentence of six words.
pub fn count_words(line: &str, words: &LineWords) -> u32 {
    // Each Han or kana character is a word of `words`: a run of them is a
    // run of words each starting where the one before ends.
    let logographic = |w: &Word| line[w.start..].starts_with(is_logographic);
    let spans = &words.words;
    let mut count = 0u32;
    let mut i = 0;
    while i < spans.len() {
        let first = spans[i].0;
        i += 1;
        if !logographic(&first) {
            count += 1;
            continue;
        }
        let mut end = first.end;
        while i < spans.len() && spans[i].0.start == end && logographic(&spans[i].0) {
            end = spans[i].0.end;
            i += 1;
        }
        segment_run(line, first.start, end, &mut |_| count += 1);
    }
    count
}

/// Calls `f` with each word of `line`, in order.
pub fn for_each_word(line: &str, mut f: impl FnMut(Word)) {
    let mut start: Option<usize> = None;
    // The start of the current run of Thai, Lao, Myanmar or Khmer text.
    let mut segmented: Option<usize> = None;
    for (i, c) in line.char_indices() {
        if is_segmented(c) {
            if let Some(s) = start.take() {
                f(Word { start: s, end: i });
            }
            segmented.get_or_insert(i);
            continue;
        }
        if let Some(s) = segmented.take() {
            segment_run(line, s, i, &mut f);
        }
        if is_logographic(c) {
            if let Some(s) = start.take() {
                f(Word { start: s, end: i });
            }
            f(Word {
                start: i,
                end: i + c.len_utf8(),
            });
        } else if is_word_char(c) {
            // Apostrophes inside words ("l'homme", "don't") end the word
            // here; "l" and "homme" are both looked up.
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            f(Word { start: s, end: i });
        }
    }
    if let Some(s) = segmented {
        segment_run(line, s, line.len(), &mut f);
    }
    if let Some(s) = start {
        f(Word {
            start: s,
            end: line.len(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for_each_word(line, |w| out.push(&line[w.start..w.end]));
        out
    }

    #[test]
    fn words_are_letter_and_digit_runs() {
        assert_eq!(
            words("Größe: 12,5 cm — l'été!"),
            ["Größe", "12", "5", "cm", "l", "été"]
        );
    }

    #[test]
    fn unspaced_scripts_give_one_word_per_character() {
        assert_eq!(
            words("点击阅读更多 OK"),
            ["点", "击", "阅", "读", "更", "多", "OK"]
        );
    }

    #[test]
    fn thai_lao_myanmar_and_khmer_are_cut_into_dictionary_words() {
        // A menu item is one word, not a word per letter; marks stay in it.
        assert_eq!(words("* เศรษฐกิจ"), ["เศรษฐกิจ"]);
        assert_eq!(
            words("ผล DNA ยืนยัน ศพลอยแม่น้ำโขง"),
            ["ผล", "DNA", "ยืนยัน", "ศพ", "ลอย", "แม่น้ำ", "โขง"]
        );
        assert_eq!(words("ສະບາຍດີ ປະເທດລາວ"), ["ສະບາຍດີ", "ປະເທດ", "ລາວ"]);
        // Spans are byte offsets into the line, across scripts.
        let line = "ข่าวDNAข่าว";
        let mut spans = Vec::new();
        for_each_word(line, |w| spans.push((w.start, w.end)));
        assert_eq!(spans, [(0, 12), (12, 15), (15, 27)]);
    }

    #[test]
    fn han_and_kana_count_as_their_dictionary_words() {
        let count = |line: &str| count_words(line, &LineWords::new(line));
        // Seven words by character, four or five by the dictionary.
        assert!((4..=5).contains(&count("点击阅读更多 OK")));
        assert_eq!(count("中国国务院任命"), 3);
        // Other scripts count as for_each_word cuts them.
        assert_eq!(count("Größe: 12,5 cm"), 4);
        assert_eq!(count("ผล DNA ยืนยัน"), 3);
    }

    #[test]
    fn marks_stay_in_their_word() {
        assert_eq!(words("और पढ़ें"), ["और", "पढ़ें"]);
    }

    #[test]
    fn line_words_are_lowercased_once() {
        let lw = LineWords::new("Leave a REPLY — Größe");
        assert_eq!(lw.lower, "leave a reply größe");
        assert_eq!(lw.len(), 4);
        assert_eq!(lw.lower(2), "reply");
    }

    #[test]
    fn lowercase_handles_any_script() {
        assert_eq!(LineWords::new("ÉTÉ").lower, "été");
        let item = LineWords::without_list_marker("  o Hunde-Trockenfutter");
        assert_eq!(item.lower, "hunde trockenfutter");
        assert_eq!(item.words.len(), 2);
        assert_eq!(item.lower(0), "hunde");
        assert_eq!(item.words[0].0, Word { start: 4, end: 9 });
        assert_eq!(LineWords::without_list_marker("o").lower, "o");
        assert_eq!(
            LineWords::without_list_marker("O livro é bom").lower,
            "o livro é bom"
        );
        assert_eq!(LineWords::new("DAN").lower, "dan");
        assert_eq!(
            LineWords::new("İlgili Haberler İÇİN").lower,
            "ilgili haberler için"
        );
    }
}
