//! The document model of tapis.
//!
//! A [`Document`] is immutable text with an id, metadata and the place it was
//! read from. Stages never edit it: they add [`Annotation`]s — byte spans
//! `[start, end)` carrying an attribute, a value and a score. A policy then
//! turns annotations into a [`Decision`]: keep the document, drop it, or keep
//! it with some spans removed, always with a stable [`ReasonCode`]. Because the
//! thresholds live in the policy, changing one never requires annotating again.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Free-form metadata carried through from the input record.
pub type Metadata = serde_json::Map<String, serde_json::Value>;

/// Where a record was read from: the file (or `-` for stdin) and the
/// 1-based record number inside it (line number for JSONL, row for Parquet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub file: Arc<str>,
    pub record: u64,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.record)
    }
}

/// One input document. Its text is never modified after reading.
#[derive(Clone, Debug)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub metadata: Metadata,
    pub origin: Origin,
    /// Invalid UTF-8 sequences replaced by U+FFFD while reading this record.
    pub utf8_repairs: u32,
    /// The text is the main content extracted from the page's HTML, not a
    /// rendering of the whole page: most of its lines are article, which
    /// line cleaning takes into account.
    pub extracted: bool,
}

/// A fetched web page before its main content is extracted: the raw bytes
/// of an HTML payload, as a WARC response, an `.html` file or an HTML field
/// carried them. Extraction turns it into a [`Document`] with the same id,
/// metadata and origin.
#[derive(Clone, Debug)]
pub struct Page {
    pub id: String,
    /// The payload as fetched, in whatever charset the page is in.
    pub html: Vec<u8>,
    /// The charset the transport declared: the HTTP `Content-Type`
    /// parameter, or UTF-8 for HTML that arrived as a JSON string. A byte
    /// order mark still wins over it; the page's own `<meta>` only counts
    /// when this is `None`.
    pub declared_charset: Option<String>,
    pub metadata: Metadata,
    pub origin: Origin,
}

/// A half-open byte range `[start, end)` of a document's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// The value an annotation carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Flag(bool),
    Number(f64),
    Text(String),
}

/// A fact a stage found about a span of a document: `attribute` names the
/// fact (`"c4.no_terminal_punct"`, `"gopher_quality.alpha_words_ratio"`),
/// `value` is its value and `score` how sure the stage is (1.0 for rules).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Annotation {
    pub span: Span,
    pub attribute: &'static str,
    pub value: Value,
    pub score: f32,
}

/// A stable reason code: the rule that decided and the check inside it,
/// written `rule/check` (e.g. `gopher_quality/below_alpha_threshold`).
/// Codes never change meaning once released; tools may match on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReasonCode {
    pub rule: &'static str,
    pub check: &'static str,
}

impl ReasonCode {
    pub const fn new(rule: &'static str, check: &'static str) -> Self {
        ReasonCode { rule, check }
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.rule, self.check)
    }
}

impl Serialize for ReasonCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A named measurement a rule based its decision on, e.g.
/// `("alpha_words_ratio", 0.62)`, reported beside the reason.
pub type Figure = (&'static str, f64);

/// Why a whole document was dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct DropReason {
    pub code: ReasonCode,
    /// The measurement that failed and the threshold it failed against.
    pub figures: Vec<Figure>,
}

/// A span removed from a kept document, with its reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Removal {
    pub span: Span,
    pub code: ReasonCode,
}

/// What the policy decided for one document.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Keep the document without the removed spans (in text order, disjoint).
    Keep { removals: Vec<Removal> },
    /// Drop the whole document. `removals` are the spans earlier stages had
    /// already removed before the document was dropped.
    Drop {
        reason: DropReason,
        removals: Vec<Removal>,
    },
}

impl Decision {
    pub fn removals(&self) -> &[Removal] {
        match self {
            Decision::Keep { removals } | Decision::Drop { removals, .. } => removals,
        }
    }
}

/// The text left when `removals` (sorted, disjoint byte spans) are cut out.
pub fn text_without(text: &str, removals: &[Removal]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in removals {
        if r.span.start > at {
            out.push_str(&text[at..r.span.start]);
        }
        at = at.max(r.span.end);
    }
    if at < text.len() {
        out.push_str(&text[at..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_code_displays_as_rule_slash_check() {
        let c = ReasonCode::new("c4", "no_terminal_punct");
        assert_eq!(c.to_string(), "c4/no_terminal_punct");
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            "\"c4/no_terminal_punct\""
        );
    }

    #[test]
    fn text_without_cuts_removed_spans() {
        let code = ReasonCode::new("t", "x");
        let text = "keep\ndrop\nkeep too\n";
        let removals = vec![Removal {
            span: Span::new(5, 10),
            code,
        }];
        assert_eq!(text_without(text, &removals), "keep\nkeep too\n");
        assert_eq!(text_without(text, &[]), text);
    }
}
