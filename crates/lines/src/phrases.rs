//! Call-to-action, widget and legal phrases (`data/call_to_action.txt`),
//! found word by word in a line.

use rustc_hash::FxHashMap;

use crate::words::{Word, for_each_word, lowercase_into};

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
        let mut buf = String::new();
        for raw in DATA.lines() {
            let raw = raw.trim();
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let (trailing, text) = match raw.strip_prefix("> ") {
                Some(t) => (true, t),
                None => (false, raw),
            };
            let mut words = Vec::new();
            for_each_word(text, |w| {
                words.push(lowercase_into(&text[w.start..w.end], &mut buf).to_string())
            });
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

    /// Finds the phrases of `line`.
    pub fn find(&self, line: &str, buf: &mut String) -> PhraseMatch {
        let mut words: Vec<(Word, String)> = Vec::new();
        for_each_word(line, |w| {
            words.push((w, lowercase_into(&line[w.start..w.end], buf).to_string()))
        });
        let mut found = PhraseMatch::default();
        if words.is_empty() {
            return found;
        }
        let mut covered_to = 0usize; // words before this index are counted
        let mut covered_chars = 0usize;
        let total_chars: usize = words.iter().map(|(_, w)| w.chars().count()).sum();
        for i in 0..words.len() {
            let Some(candidates) = self.by_first.get(&words[i].1) else {
                continue;
            };
            for p in candidates {
                let end = i + 1 + p.rest.len();
                if end > words.len()
                    || !p
                        .rest
                        .iter()
                        .zip(&words[i + 1..end])
                        .all(|(a, (_, b))| a == b)
                {
                    continue;
                }
                for (_, w) in &words[i.max(covered_to)..end] {
                    covered_chars += w.chars().count();
                }
                covered_to = covered_to.max(end);
                if p.trailing && end == words.len() {
                    // Cut the spaces before it too, not the sentence's full stop.
                    let from = line[..words[i].0.start].trim_end().len();
                    if found.trailing_from.is_none_or(|f| from < f) {
                        found.trailing_from = Some(from);
                        found.words_before_trailing = i;
                    }
                }
            }
        }
        // Link text trailing a paragraph is cut on its own: the paragraph is
        // judged without it.
        if found.trailing_from.is_some() && found.words_before_trailing >= MIN_WORDS_BEFORE_TRAILING
        {
            let trailing: usize = words[found.words_before_trailing..]
                .iter()
                .map(|(_, w)| w.chars().count())
                .sum();
            covered_chars = covered_chars.saturating_sub(trailing);
        }
        found.share = covered_chars as f64 / total_chars.max(1) as f64;
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_phrases_in_any_case_and_language() {
        let p = Phrases::embedded();
        let mut buf = String::new();
        assert_eq!(p.find("Leave a reply", &mut buf).share, 1.0);
        assert_eq!(p.find("JETZT TEILEN", &mut buf).share, 1.0);
        assert!(
            p.find(
                "Die Regierung will teilen, was sie weiß, sagte er.",
                &mut buf
            )
            .share
                < 0.2
        );
        assert_eq!(
            p.find("Ein ganz normaler Satz ohne Hinweis.", &mut buf)
                .share,
            0.0
        );
    }

    #[test]
    fn finds_link_text_trailing_a_paragraph() {
        let p = Phrases::embedded();
        let mut buf = String::new();
        let line = "Harapan Washington untuk membangun front persatuan diperumit oleh pernyataan Biden. Baca selengkapnya";
        let m = p.find(line, &mut buf);
        let from = m.trailing_from.expect("trailing link text");
        assert_eq!(&line[from..], " Baca selengkapnya");
        assert!(m.words_before_trailing > 6);
        // The paragraph is judged without its link text.
        assert_eq!(m.share, 0.0);
        // Not at the end: not trailing.
        assert_eq!(
            p.find("Baca selengkapnya di sini tentang itu", &mut buf)
                .trailing_from,
            None
        );
    }
}
