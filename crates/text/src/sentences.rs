//! spaCy's rule-based `sentencizer` on top of the English tokenizer.
//!
//! datatrove's C4 filter counts sentences per line as `len(split_into_sentences(line))`, which is
//! the number of sentences the sentencizer finds (at least one). The sentencizer starts a new
//! sentence at the first token after a sentence-final punctuation token that is itself neither
//! punctuation (`Token.is_punct`) nor in its punctuation list. Whitespace tokens (`"\n"`, runs of
//! spaces) count as ordinary tokens there, so they can open a sentence.

use crate::chars::is_punct_char;
use crate::spacy_tables::SENT_PUNCT;
use crate::words::for_each_token;

/// Whether a token text is exactly one of the sentencizer's default punctuation characters.
#[inline]
fn is_sent_punct(tok: &str) -> bool {
    let mut it = tok.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => {
            if c.is_ascii() {
                matches!(c, '.' | '!' | '?')
            } else {
                SENT_PUNCT.binary_search(&c).is_ok()
            }
        }
        _ => false,
    }
}

/// `Token.is_punct`: every character is in a Unicode punctuation category (`P*`).
#[inline]
fn is_punct(tok: &str) -> bool {
    tok.chars().all(is_punct_char)
}

/// `len(list(nlp(text).sents))` for `spacy.blank("en")` with a default `sentencizer`:
/// 0 for an empty text, otherwise at least 1.
///
/// datatrove's `split_into_sentences(text)` has `max(1, n)` parts; C4 only calls it on
/// non-empty stripped lines, where the two agree.
pub fn spacy_sentence_count(text: &str) -> usize {
    let mut count = 0usize;
    let mut seen_period = false;
    for_each_token(text, |s, e, space| {
        if count == 0 {
            count = 1;
        }
        let tok = &text[s..e];
        let in_punct = !space && is_sent_punct(tok);
        if seen_period && !in_punct && (space || !is_punct(tok)) {
            count += 1;
            seen_period = false;
        } else if in_punct {
            seen_period = true;
        }
    });
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from spaCy 3.8.18: len(list(nlp(t).sents)).
    #[test]
    fn counts_like_spacy() {
        assert_eq!(spacy_sentence_count(""), 0);
        assert_eq!(spacy_sentence_count("  "), 1);
        assert_eq!(spacy_sentence_count("Hello. World"), 2);
        assert_eq!(spacy_sentence_count("Hello.\nWorld"), 2);
        assert_eq!(spacy_sentence_count("Hi... there"), 1);
        assert_eq!(spacy_sentence_count("Hi!? there"), 2);
        assert_eq!(spacy_sentence_count("a.b"), 1);
        assert_eq!(spacy_sentence_count("Mr. Smith is here. Yes"), 2);
        assert_eq!(spacy_sentence_count("\"Hi.\" he said"), 2);
    }
}
