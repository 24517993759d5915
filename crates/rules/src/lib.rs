//! Document quality rules for tapis, and the chain that applies them.
//!
//! Each rule lives in its own file under [`rules`] with its reason codes, its
//! settings (defaults are datatrove 0.10.1's) and its documentation. A rule
//! first *measures* a document (figures, flagged lines) and then *judges* the
//! measurements against its thresholds, so thresholds can change without
//! measuring again. [`Chain`] runs the configured rules in order, each on
//! the text the previous ones left, and returns a
//! [`Decision`](tapis_document::Decision) in the original document's bytes.

pub mod chain;
pub mod config;
mod counting;
mod punctuation_tables;
pub mod py;
pub mod rules;
pub mod tokenizer;
pub mod view;
mod word_block;

pub use chain::{Chain, ChainOutput};
pub use config::{Config, ConfigError, Preset};
pub use tokenizer::WordTokenizer;
pub use view::DocView;

use tapis_document::{Annotation, DropReason, Figure, ReasonCode, Span};

/// One check of a rule: its reason code's second half, what it tests, and the
/// name datatrove gives the same outcome (for comparing decisions).
#[derive(Debug)]
pub struct CheckInfo {
    pub check: &'static str,
    pub summary: &'static str,
    pub datatrove: Option<&'static str>,
}

/// What `tapis rules` shows about a rule.
#[derive(Debug)]
pub struct RuleInfo {
    /// Stable id, the first half of its reason codes and its config table.
    pub id: &'static str,
    /// One line.
    pub title: &'static str,
    /// Markdown: what it does, why, the source, an example.
    pub doc: &'static str,
    pub checks: &'static [CheckInfo],
}

impl RuleInfo {
    /// The reason code of one of this rule's checks.
    ///
    /// Panics if the check is not declared: codes are static, so a typo is a
    /// bug caught by each rule's tests.
    pub fn code(&'static self, check: &str) -> ReasonCode {
        let c = self
            .checks
            .iter()
            .find(|c| c.check == check)
            .unwrap_or_else(|| panic!("rule {} declares no check {check}", self.id));
        ReasonCode::new(self.id, c.check)
    }

    /// The datatrove reason for a code of this rule, if datatrove has one.
    pub fn datatrove_reason(&self, check: &str) -> Option<&'static str> {
        self.checks
            .iter()
            .find(|c| c.check == check)
            .and_then(|c| c.datatrove)
    }
}

/// What one rule found in one view of a document.
#[derive(Debug, Default)]
pub struct RuleOutcome {
    /// The measurements (document-level figures as whole-view annotations,
    /// line flags as line spans), in view offsets.
    pub annotations: Vec<Annotation>,
    /// Spans this rule removes (view offsets, sorted, disjoint).
    pub removals: Vec<(Span, ReasonCode)>,
    /// Set when the rule drops the whole document.
    pub drop: Option<DropReason>,
}

impl RuleOutcome {
    pub(crate) fn figure(&mut self, view_len: usize, attribute: &'static str, value: f64) {
        self.annotations.push(Annotation {
            span: Span::new(0, view_len),
            attribute,
            value: tapis_document::Value::Number(value),
            score: 1.0,
        });
    }
}

/// A quality rule. Implementations are pure: the same view and settings give
/// the same outcome, so documents can be processed in any order and thread.
pub trait Rule: Send + Sync {
    fn info(&self) -> &'static RuleInfo;
    /// Measure the view and judge the measurements, with the settings for
    /// the view's language.
    fn apply(&self, view: &DocView) -> RuleOutcome;
    /// Whether the rule reads [`DocView::site`] (so the chain finds it).
    fn uses_site(&self) -> bool {
        false
    }
}

/// Builds a drop reason from the check, the measured value and the limit.
pub(crate) fn drop_reason(
    code: ReasonCode,
    measured: (&'static str, f64),
    limit: f64,
) -> DropReason {
    let figures: Vec<Figure> = vec![measured, ("threshold", limit)];
    DropReason { code, figures }
}
