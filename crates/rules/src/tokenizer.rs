//! The word tokenizers a rule can count words with.

use serde::{Deserialize, Serialize};

/// How a rule splits text into words. Word counts, lengths and n-grams in
/// the quality rules depend on it, so it is part of the configuration and
/// can differ per language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WordTokenizer {
    /// spaCy's English rules (what datatrove uses by default): whitespace,
    /// then punctuation prefixes, suffixes and infixes, and English
    /// exceptions such as `don't` → `do`, `n't`. Works on any script written
    /// with spaces between words.
    #[default]
    SpacyEn,
    /// Unicode word boundaries (UAX #29): for scripts written without
    /// spaces (Chinese, Japanese, Thai…), where splitting on whitespace
    /// would see one word per sentence.
    Unicode,
    /// Whitespace only.
    Whitespace,
}

impl WordTokenizer {
    pub fn tokenize<'t>(self, text: &'t str, out: &mut Vec<&'t str>) {
        match self {
            WordTokenizer::SpacyEn => tapis_text::spacy_en_words(text, out),
            WordTokenizer::Unicode => tapis_text::unicode_words(text, out),
            WordTokenizer::Whitespace => out.extend(crate::py::split_whitespace(text)),
        }
    }

    /// Number of sentences in `text`, as datatrove's `split_into_sentences`
    /// counts them: spaCy's rule-based sentencizer, and never fewer than one.
    pub fn sentence_count(self, text: &str) -> usize {
        tapis_text::spacy_sentence_count(text).max(1)
    }
}
