//! Reading a short word as one 16-byte block of the text it was sliced from.

/// The 16 bytes of `text` from the start of `word`, when `word` is at most 16
/// bytes long, is a slice of `text`, and 16 bytes follow its start there. The
/// bytes past the word belong to the text after it: callers mask them off.
#[inline(always)]
pub(crate) fn word_block<'t>(text: &'t str, word: &str) -> Option<&'t [u8; 16]> {
    let start = (word.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    if word.len() <= 16 && start <= text.len() && text.len() - start >= 16 {
        text.as_bytes()[start..start + 16].try_into().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_only_for_short_words_inside_the_text_with_room_after_them() {
        let text = "short words, then a verylongwordofmorethansixteenbytes and the end";
        let short = &text[0..5];
        assert_eq!(&word_block(text, short).unwrap()[..5], b"short");
        let long = text.split(' ').find(|w| w.len() > 16).unwrap();
        assert!(word_block(text, long).is_none());
        let last = &text[text.len() - 3..];
        assert!(word_block(text, last).is_none());
        assert!(word_block(text, "short").is_none());
    }
}
