#![doc = include_str!("docs/boilerplate_lines.md")]

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use tapis_document::Span;
use tapis_lines::{LineCleaner, Policy, Reason};

use crate::config::{ConfigError, PerLanguage};
use crate::{CheckInfo, DocView, Rule, RuleInfo, RuleOutcome};

/// The stop-word lists, phrases and model, loaded once per process.
static CLEANER: LazyLock<LineCleaner> = LazyLock::new(LineCleaner::new);

const fn check(reason: Reason, summary: &'static str) -> CheckInfo {
    CheckInfo {
        check: reason.check(),
        summary,
        datatrove: None,
    }
}

pub static INFO: RuleInfo = RuleInfo {
    id: "boilerplate_lines",
    title: "Remove the lines of a web page that are not its article (menus, widgets, calls to action, footers), in any language",
    doc: include_str!("docs/boilerplate_lines.md"),
    checks: &[
        check(
            Reason::RepeatedInPage,
            "line removed: the same words appear on another line of the page",
        ),
        check(
            Reason::OtherLanguage,
            "line removed: in another language than the page",
        ),
        check(
            Reason::FewStopWords,
            "line removed: few function words of the page's language, a label rather than prose",
        ),
        check(
            Reason::CallToAction,
            "line removed: a call to action, widget label or legal notice",
        ),
        check(
            Reason::LinkOrDomain,
            "line removed: a URL, domain name or e-mail address",
        ),
        check(Reason::LetterCase, "line removed: written in capitals"),
        check(
            Reason::BoilerplateContext,
            "line removed: among lines that are not running text (menus, link lists, footers)",
        ),
        check(
            Reason::LineShape,
            "line removed: the shape of a menu item, date or button",
        ),
        CheckInfo {
            check: tapis_lines::TRAILING_LINK_TEXT,
            summary: "span removed: link text such as 'Read more' at the end of a kept paragraph",
            datatrove: None,
        },
    ],
};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Lines whose content score is below this are removed (the default is
    /// the one the model was tuned with; lower keeps more, leaks more).
    pub threshold: f64,
    /// A run of lines scoring at least this between two kept lines is kept
    /// (except lines repeated, with a call to action or a link, or in
    /// another language).
    pub keep_between_kept: f64,
    /// Cut link text like "Read more" from the end of kept paragraphs.
    pub cut_trailing_link_text: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let p = CLEANER.default_policy();
        Settings {
            threshold: p.threshold,
            keep_between_kept: p.keep_between_kept,
            cut_trailing_link_text: p.cut_trailing_link_text,
        }
    }
}

pub struct BoilerplateLines {
    settings: PerLanguage<Settings>,
}

impl BoilerplateLines {
    pub fn from_table(table: toml::Table) -> Result<Self, ConfigError> {
        Ok(BoilerplateLines {
            settings: PerLanguage::from_table(INFO.id, table)?,
        })
    }
}

impl Rule for BoilerplateLines {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn apply(&self, view: &DocView) -> RuleOutcome {
        let s = self.settings.get(view.language());
        let policy = Policy {
            threshold: s.threshold,
            keep_between_kept: s.keep_between_kept,
            cut_trailing_link_text: s.cut_trailing_link_text,
        };
        let text = view.text();
        let page = CLEANER.clean(text, view.language(), &policy);
        let mut out = RuleOutcome::default();
        let removals = page.removals();
        let removed_lines = page
            .lines
            .iter()
            .filter(|l| l.decision != tapis_lines::LineDecision::Keep)
            .count();
        out.figure(
            text.len(),
            "boilerplate_lines.lines",
            page.lines.len() as f64,
        );
        out.figure(
            text.len(),
            "boilerplate_lines.removed_lines",
            removed_lines as f64,
        );
        for ((start, end), check) in removals {
            out.removals.push((Span::new(start, end), INFO.code(check)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_its_check() {
        for r in Reason::ALL {
            assert_eq!(
                INFO.code(r.check()).to_string(),
                format!("boilerplate_lines/{}", r.check())
            );
        }
    }
}
