//! Language identification of text, offline, for 75 languages.
//!
//! The models are lingua's character n-gram models (from the
//! `lingua-*-language-model` crates, Apache-2.0), turned at build time into
//! one compact trie embedded in the library; [`Detector`] applies lingua's
//! high-accuracy method over it, much faster. Labels are ISO 639-3 plus
//! ISO 15924 script, as FineWeb-2 writes them (`ind_Latn`, `zsm_Latn`).

mod detector;
mod language;
mod lines;
mod lingua_tables;
mod markers;
mod model;

pub use detector::{Detection, Detector, LanguageSet};
pub use language::{Alphabet, Language};
pub use lines::{
    CONFUSABLE_GROUPS, DOMINANT_SHARE, DocumentLanguage, LineLanguage, MIN_CONFIDENCE, MIN_LEAD,
    MIN_LETTERS, TextLanguages, identify,
};
