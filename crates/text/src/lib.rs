//! Segmentation for tapis: the word and sentence counts datatrove's quality filters are
//! defined on. [`spacy_en_words`] reproduces the token texts of datatrove's English word
//! tokenizer (`spacy.blank("en")`, stripped, empties dropped) and [`spacy_sentence_count`] the
//! sentence count of spaCy's rule-based sentencizer on top of it, both without Python or a
//! regex engine so filters agree with datatrove at a fraction of its cost; [`unicode_words`]
//! is a language-agnostic fallback. Python's notions of whitespace and line breaks, which the
//! filters also rely on, are exposed as [`py_strip`] and [`py_splitlines`].

mod chars;
mod sentences;
#[rustfmt::skip]
mod spacy_tables;
mod unicode;
mod words;

pub use chars::{is_py_space, py_splitlines, py_strip};
pub use sentences::spacy_sentence_count;
pub use unicode::unicode_words;
pub use words::{ascii_letters_end, for_each_token, spacy_en_word_count, spacy_en_words};
