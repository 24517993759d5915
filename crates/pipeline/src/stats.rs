//! Counts for `stats.json` and the summary line, and the conservation check
//! `read = kept + removed + skipped + errors`.

use std::collections::BTreeMap;

use serde::Serialize;
use tapis_io::RecordError;
use tapis_rules::ChainOutput;

pub(crate) enum Kind {
    Kept,
    Removed,
    Skipped,
    Error,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct RuleStats {
    /// Documents this rule dropped.
    pub dropped: u64,
    /// Spans this rule removed from documents (white space not counted).
    pub spans_removed: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct LanguageStats {
    pub read: u64,
    pub kept: u64,
    pub removed: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Conservation {
    pub holds: bool,
    pub read: u64,
    pub accounted: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    /// Records the reader produced: documents plus records that could not
    /// be read. Counted on the reading side, independently of the outcomes.
    pub read: u64,
    pub kept: u64,
    pub removed: u64,
    /// Records that hold no document (WARC requests, redirects, images…).
    pub skipped: u64,
    pub errors: u64,
    /// Documents extracted from web pages (HTML) rather than read as text.
    pub pages_extracted: u64,
    pub bytes_read: u64,
    pub bytes_kept: u64,
    /// Documents in which invalid UTF-8 was replaced by U+FFFD.
    pub documents_with_invalid_utf8: u64,
    pub invalid_utf8_sequences: u64,
    /// Removed documents per reason code.
    pub removed_by_reason: BTreeMap<String, u64>,
    /// Spans removed from documents per reason code.
    pub spans_removed_by_reason: BTreeMap<String, u64>,
    pub errors_by_kind: BTreeMap<String, u64>,
    pub skipped_by_reason: BTreeMap<String, u64>,
    pub rules: BTreeMap<String, RuleStats>,
    /// Per document language (from the configured metadata field).
    pub languages: BTreeMap<String, LanguageStats>,
    pub seconds: f64,
}

impl Stats {
    pub(crate) fn new(rules: impl Iterator<Item = &'static str>) -> Stats {
        Stats {
            rules: rules
                .map(|r| (r.to_string(), RuleStats::default()))
                .collect(),
            ..Stats::default()
        }
    }

    pub(crate) fn count(
        &mut self,
        kind: &Kind,
        bytes: u64,
        language: Option<&str>,
        utf8_repairs: u32,
        chain: Option<&ChainOutput>,
    ) {
        self.bytes_read += bytes;
        if utf8_repairs > 0 {
            self.documents_with_invalid_utf8 += 1;
            self.invalid_utf8_sequences += u64::from(utf8_repairs);
        }
        let lang = matches!(kind, Kind::Kept | Kind::Removed).then(|| {
            self.languages
                .entry(language.unwrap_or("unknown").to_string())
                .or_default()
        });
        match kind {
            Kind::Kept => {
                self.kept += 1;
                if let Some(l) = lang {
                    l.read += 1;
                    l.kept += 1;
                }
            }
            Kind::Removed => {
                self.removed += 1;
                if let Some(l) = lang {
                    l.read += 1;
                    l.removed += 1;
                }
            }
            Kind::Skipped => self.skipped += 1,
            Kind::Error => self.errors += 1,
        }
        let Some(out) = chain else { return };
        for r in out.decision.removals() {
            if r.code.check == "whitespace" {
                continue;
            }
            *self
                .spans_removed_by_reason
                .entry(r.code.to_string())
                .or_default() += 1;
            self.rules
                .entry(r.code.rule.to_string())
                .or_default()
                .spans_removed += 1;
        }
        match &out.decision {
            tapis_document::Decision::Drop { reason, .. } => {
                *self
                    .removed_by_reason
                    .entry(reason.code.to_string())
                    .or_default() += 1;
                self.rules
                    .entry(reason.code.rule.to_string())
                    .or_default()
                    .dropped += 1;
            }
            tapis_document::Decision::Keep { removals } => {
                let removed: u64 = removals.iter().map(|r| r.span.len() as u64).sum();
                self.bytes_kept += bytes - removed;
            }
        }
    }

    pub(crate) fn count_skipped(&mut self, s: &tapis_io::Skipped) {
        *self
            .skipped_by_reason
            .entry(s.reason.to_string())
            .or_default() += 1;
    }

    pub(crate) fn count_error(&mut self, e: &RecordError) {
        *self.errors_by_kind.entry(e.kind.to_string()).or_default() += 1;
    }

    /// `read = kept + removed + skipped + errors`: nothing read was lost.
    pub fn conservation(&self) -> Conservation {
        let accounted = self.kept + self.removed + self.skipped + self.errors;
        Conservation {
            holds: accounted == self.read,
            read: self.read,
            accounted,
        }
    }
}
