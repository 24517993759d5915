//! Call-to-action, widget and legal phrases (`data/call_to_action.txt`),
//! found word by word in a line.

use rustc_hash::FxHashMap;

use crate::words::LineWords;

const DATA: &str = include_str!("../data/call_to_action.txt");

struct Phrase {
    /// The words after the first, lower case.
    rest: Vec<String>,
    /// Link text that may trail a content paragraph ("… Read more").
    trailing: bool,
}

/// Words a line needs before trailing link text for the text to be cut
/// rather than the line judged whole.
pub const MIN_WORDS_BEFORE_TRAILING: usize = 6;

/// The embedded phrase list, keyed by first word.
pub struct Phrases {
    by_first: FxHashMap<String, Vec<Phrase>>,
}

/// What the phrase list found in one line.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PhraseMatch {
    /// Code points of the line inside matched phrases, over the line's
    /// code points in words.
    pub share: f64,
    /// A trailing link phrase ends the line: the byte where it starts.
    pub trailing_from: Option<usize>,
    /// Words before that trailing phrase.
    pub words_before_trailing: usize,
}

impl Phrases {
    pub fn embedded() -> Phrases {
        let mut by_first: FxHashMap<String, Vec<Phrase>> = FxHashMap::default();
        for raw in DATA.lines() {
            let raw = raw.trim();
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let (trailing, text) = match raw.strip_prefix("> ") {
                Some(t) => (true, t),
                None => (false, raw),
            };
            let lw = LineWords::new(text);
            let mut words: Vec<String> = (0..lw.len()).map(|i| lw.lower(i).to_string()).collect();
            if words.is_empty() {
                continue;
            }
            let first = words.remove(0);
            by_first.entry(first).or_default().push(Phrase {
                rest: words,
                trailing,
            });
        }
        Phrases { by_first }
    }

    /// Finds the phrases of `line`, whose words are `words`.
    pub fn find(&self, line: &str, words: &LineWords) -> PhraseMatch {
        let mut found = PhraseMatch::default();
        let n = words.len();
        if n == 0 {
            return found;
        }
        let chars = |i: usize| words.lower(i).chars().count();
        let mut covered_to = 0usize; // words before this index are counted
        let mut covered_chars = 0usize;
        for i in 0..n {
            let Some(candidates) = self.by_first.get(words.lower(i)) else {
                continue;
            };
            for p in candidates {
                let end = i + 1 + p.rest.len();
                if end > n
                    || !p
                        .rest
                        .iter()
                        .enumerate()
                        .all(|(k, w)| words.lower(i + 1 + k) == w)
                {
                    continue;
                }
                covered_chars += (i.max(covered_to)..end).map(chars).sum::<usize>();
                covered_to = covered_to.max(end);
                if p.trailing && end == n {
                    // Cut the spaces before it too, not the sentence's full stop.
                    let from = line[..words.words[i].0.start].trim_end().len();
                    if found.trailing_from.is_none_or(|f| from < f) {
                        found.trailing_from = Some(from);
                        found.words_before_trailing = i;
                    }
                }
            }
        }
        if covered_chars == 0 {
            return found;
        }
        // Link text trailing a paragraph is cut on its own: the paragraph is
        // judged without it.
        if found.trailing_from.is_some() && found.words_before_trailing >= MIN_WORDS_BEFORE_TRAILING
        {
            let trailing: usize = (found.words_before_trailing..n).map(chars).sum();
            covered_chars = covered_chars.saturating_sub(trailing);
        }
        let total_chars: usize = (0..n).map(chars).sum();
        found.share = covered_chars as f64 / total_chars.max(1) as f64;
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: &Phrases, line: &str) -> PhraseMatch {
        p.find(line, &LineWords::new(line))
    }

    #[test]
    fn finds_phrases_in_any_case_and_language() {
        let p = Phrases::embedded();
        assert_eq!(find(&p, "Leave a reply").share, 1.0);
        assert_eq!(find(&p, "JETZT TEILEN").share, 1.0);
        assert!(find(&p, "Die Regierung will teilen, was sie weiß, sagte er.").share < 0.2);
        assert_eq!(find(&p, "Ein ganz normaler Satz ohne Hinweis.").share, 0.0);
    }

    #[test]
    fn finds_link_text_trailing_a_paragraph() {
        let p = Phrases::embedded();
        let line = "Harapan Washington untuk membangun front persatuan diperumit oleh pernyataan Biden. Baca selengkapnya";
        let m = find(&p, line);
        let from = m.trailing_from.expect("trailing link text");
        assert_eq!(&line[from..], " Baca selengkapnya");
        assert!(m.words_before_trailing > 6);
        // The paragraph is judged without its link text.
        assert_eq!(m.share, 0.0);
        // Not at the end: not trailing.
        assert_eq!(
            find(&p, "Baca selengkapnya di sini tentang itu").trailing_from,
            None
        );
    }
}
