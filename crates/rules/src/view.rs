//! What a rule sees of a document: the text left by the rules before it,
//! its words (tokenized once, on demand) and a map back to the original bytes.

use std::cell::OnceCell;

use tapis_document::Span;

use crate::tokenizer::WordTokenizer;

/// A contiguous run of the view's text copied from the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    view_start: usize,
    orig_start: usize,
    len: usize,
}

/// The text a rule evaluates. The first rule of a chain sees the document as
/// read; after a rule removes spans, the next one sees the text without them.
pub struct DocView<'a> {
    text: std::borrow::Cow<'a, str>,
    pieces: Vec<Piece>,
    language: Option<&'a str>,
    tokenizer: WordTokenizer,
    words: OnceCell<Vec<(usize, usize)>>,
    measure_all: bool,
    site: Option<String>,
    url: Option<&'a str>,
    extracted: bool,
}

impl<'a> DocView<'a> {
    /// The view of a whole, untouched document.
    pub fn new(text: &'a str, language: Option<&'a str>, tokenizer: WordTokenizer) -> Self {
        DocView {
            pieces: vec![Piece {
                view_start: 0,
                orig_start: 0,
                len: text.len(),
            }],
            text: std::borrow::Cow::Borrowed(text),
            language,
            tokenizer,
            words: OnceCell::new(),
            measure_all: false,
            site: None,
            url: None,
            extracted: false,
        }
    }

    /// Marks the text as a page's main content extracted from its HTML
    /// ([`tapis_document::Document::extracted`]).
    pub fn extracted(mut self, extracted: bool) -> Self {
        self.extracted = extracted;
        self
    }

    /// Whether the text is extracted main content rather than a whole page.
    pub fn is_extracted(&self) -> bool {
        self.extracted
    }

    /// The site the document comes from (for rules that use corpus counts
    /// per site).
    pub fn in_site(mut self, site: Option<String>) -> Self {
        self.site = site;
        self
    }

    pub fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    /// The document's URL (for rules that read its slug).
    pub fn with_url(mut self, url: Option<&'a str>) -> Self {
        self.url = url;
        self
    }

    pub fn url(&self) -> Option<&'a str> {
        self.url
    }

    /// Asks rules to compute every figure, not just those their decision
    /// needs (rules otherwise stop at their first failing test).
    pub fn measuring_all(mut self, all: bool) -> Self {
        self.measure_all = all;
        self
    }

    pub fn measure_all(&self) -> bool {
        self.measure_all
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn language(&self) -> Option<&'a str> {
        self.language
    }

    pub fn tokenizer(&self) -> WordTokenizer {
        self.tokenizer
    }

    /// The number of words of the text (tokenized on first use, like [`DocView::words`]).
    pub fn word_count(&self) -> usize {
        self.word_spans().len()
    }

    /// The words of the text, tokenized on first use and shared by all rules
    /// that read this view.
    pub fn words(&self) -> Vec<&str> {
        self.word_spans()
            .iter()
            .map(|&(a, b)| &self.text[a..b])
            .collect()
    }

    fn word_spans(&self) -> &[(usize, usize)] {
        self.words.get_or_init(|| {
            let text: &str = &self.text;
            let mut words = Vec::new();
            self.tokenizer.tokenize(text, &mut words);
            words
                .iter()
                .map(|w| {
                    let start = w.as_ptr() as usize - text.as_ptr() as usize;
                    (start, start + w.len())
                })
                .collect()
        })
    }

    /// Byte spans of the original text covered by `span` of this view (more
    /// than one when earlier removals fall inside it).
    pub fn to_original(&self, span: Span) -> Vec<Span> {
        let mut out = Vec::new();
        if span.is_empty() {
            return out;
        }
        let first = self
            .pieces
            .partition_point(|p| p.view_start + p.len <= span.start);
        for p in &self.pieces[first..] {
            if p.view_start >= span.end {
                break;
            }
            let a = span.start.max(p.view_start);
            let b = span.end.min(p.view_start + p.len);
            if a < b {
                out.push(Span::new(
                    p.orig_start + (a - p.view_start),
                    p.orig_start + (b - p.view_start),
                ));
            }
        }
        out
    }

    /// The view left after cutting `removed` (view spans, sorted, disjoint).
    pub fn without(&self, removed: &[Span]) -> DocView<'a> {
        let mut text = String::with_capacity(self.text.len());
        let mut pieces: Vec<Piece> = Vec::new();
        let mut first_piece = 0;
        let mut keep = |from: usize, to: usize| {
            // Copy [from, to) of the view, piece by piece, so that every new
            // piece still knows where its bytes came from.
            first_piece +=
                self.pieces[first_piece..].partition_point(|p| p.view_start + p.len <= from);
            for p in &self.pieces[first_piece..] {
                if p.view_start >= to {
                    break;
                }
                let a = from.max(p.view_start);
                let b = to.min(p.view_start + p.len);
                if a >= b {
                    continue;
                }
                let orig_start = p.orig_start + (a - p.view_start);
                let view_start = text.len();
                match pieces.last_mut() {
                    Some(last)
                        if last.orig_start + last.len == orig_start
                            && last.view_start + last.len == view_start =>
                    {
                        last.len += b - a;
                    }
                    _ => pieces.push(Piece {
                        view_start,
                        orig_start,
                        len: b - a,
                    }),
                }
                text.push_str(&self.text[a..b]);
            }
        };
        let mut at = 0;
        for r in removed {
            if r.start > at {
                keep(at, r.start);
            }
            at = at.max(r.end);
        }
        if at < self.text.len() {
            keep(at, self.text.len());
        }
        DocView {
            text: std::borrow::Cow::Owned(text),
            pieces,
            language: self.language,
            tokenizer: self.tokenizer,
            words: OnceCell::new(),
            measure_all: self.measure_all,
            site: self.site.clone(),
            url: self.url,
            extracted: self.extracted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removals_compose_back_to_original_offsets() {
        let orig = "aaa\nbbb\nccc\nddd\n";
        let v0 = DocView::new(orig, None, WordTokenizer::Whitespace);
        // Remove "bbb\n" (4..8).
        let v1 = v0.without(&[Span::new(4, 8)]);
        assert_eq!(v1.text(), "aaa\nccc\nddd\n");
        // In v1, "ccc\n" is 4..8, originally 8..12.
        assert_eq!(v1.to_original(Span::new(4, 8)), vec![Span::new(8, 12)]);
        // A v1 span across the cut maps to two original spans.
        assert_eq!(
            v1.to_original(Span::new(2, 6)),
            vec![Span::new(2, 4), Span::new(8, 10)]
        );
        let v2 = v1.without(&[Span::new(0, 4)]);
        assert_eq!(v2.text(), "ccc\nddd\n");
        assert_eq!(v2.to_original(Span::new(4, 7)), vec![Span::new(12, 15)]);
        assert_eq!(v2.words(), ["ccc", "ddd"]);
    }

    #[test]
    fn what_is_known_of_the_document_outlives_removals() {
        let url = "https://example.org/news/a-bridge-opens";
        let v0 = DocView::new(
            "aaa
bbb
",
            Some("de"),
            WordTokenizer::Whitespace,
        )
        .in_site(Some("example.org".into()))
        .with_url(Some(url))
        .extracted(true);
        let v1 = v0.without(&[Span::new(0, 4)]);
        assert_eq!(v1.text(), "bbb\n");
        assert_eq!(
            (v1.language(), v1.site(), v1.url(), v1.is_extracted()),
            (Some("de"), Some("example.org"), Some(url), true)
        );
    }
}
