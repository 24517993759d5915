//! Segmentation: lines, paragraphs, words and sentences.
