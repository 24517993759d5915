//! Language-agnostic word splitting for scripts spaCy's English rules do not fit.
//!
//! Uses Unicode word boundaries (UAX #29) and keeps the segments that contain at least one
//! alphanumeric character, dropping whitespace and punctuation. Scripts written without spaces
//! (Chinese, Japanese, Thai, ...) are only split as far as UAX #29 goes (e.g. one token per Han
//! ideograph, whole runs of Thai), which is a rough but deterministic word count.

use unicode_segmentation::UnicodeSegmentation;

/// Appends the UAX #29 word segments of `text` that contain an alphanumeric character.
pub fn unicode_words<'a>(text: &'a str, out: &mut Vec<&'a str>) {
    out.extend(
        text.split_word_bounds()
            .filter(|w| w.chars().any(char::is_alphanumeric)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words() {
        let mut v = Vec::new();
        unicode_words("Hello, world! 3.5 l'été — 東京タワー", &mut v);
        assert_eq!(v, ["Hello", "world", "3.5", "l'été", "東", "京", "タワー"]);
    }
}
