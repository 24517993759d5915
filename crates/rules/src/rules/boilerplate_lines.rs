#![doc = include_str!("docs/boilerplate_lines.md")]

use std::path::Path;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use tapis_document::Span;
use tapis_lines::{LineCleaner, PageText, Policy, Reason, SiteContext, SiteLines, SitePolicy};

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
            "line removed: away from the page's article (among menus, link lists and footers, or past its end)",
        ),
        check(
            Reason::LineShape,
            "line removed: the shape of a menu item, date or button",
        ),
        check(
            Reason::BoilerplateWording,
            "line removed: worded like menus, widgets and footers (learned character n-grams)",
        ),
        check(
            Reason::FrequentInSite,
            "line removed: on many pages of the same site (with site line counts)",
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
    /// Keep the page's headline whatever its score: the short line just
    /// before the article whose words its first paragraphs repeat, or the
    /// one its URL names.
    pub keep_headline: bool,
    /// On a page's main content extracted from HTML, content lines are this
    /// many times likelier (as odds) than on a whole page, and both
    /// thresholds above are lowered to match; 1 judges extracted text like
    /// whole pages.
    pub extracted_content_odds: f64,
    /// Judge every document as extracted main content, not only the pages
    /// tapis extracted: for text another extractor already reduced to the
    /// article (a corpus of trafilatura output, say).
    pub all_text_extracted: bool,
    /// Folder of per-site line counts (`tapis site-lines count`): lines on
    /// many pages of a document's site are then removed as its template.
    /// Empty: pages are judged alone. Only the rule's own table sets it.
    pub site_lines: String,
    /// A line is template when on at least this many documents of its site…
    pub site_min_docs: u32,
    /// …and on at least this share of them.
    pub site_min_share: f64,
    /// Frequent lines are not used on a page where they would take more than
    /// this share of the text kept: such a page copies another.
    pub site_max_share_of_kept: f64,
    /// The threshold on a page whose site's template is known from the
    /// counts (at least `site_min_docs` of its pages counted), when lower
    /// than `threshold`: the counts remove the template lines it would let
    /// through. Set it to `threshold` to judge every page alike.
    pub site_threshold: f64,
}

impl Default for Settings {
    fn default() -> Self {
        let p = CLEANER.default_policy();
        Settings {
            threshold: p.threshold,
            keep_between_kept: p.keep_between_kept,
            cut_trailing_link_text: p.cut_trailing_link_text,
            keep_headline: p.keep_headline,
            extracted_content_odds: tapis_lines::EXTRACTED_CONTENT_ODDS,
            all_text_extracted: false,
            site_lines: String::new(),
            site_min_docs: p.site.min_docs,
            site_min_share: p.site.min_share,
            site_max_share_of_kept: p.site.max_share_of_kept,
            site_threshold: p.site.threshold,
        }
    }
}

pub struct BoilerplateLines {
    settings: PerLanguage<Settings>,
    /// The per-site line counts, loaded once.
    site_lines: Option<SiteLines>,
}

impl BoilerplateLines {
    pub fn from_table(table: toml::Table) -> Result<Self, ConfigError> {
        let settings: PerLanguage<Settings> = PerLanguage::from_table(INFO.id, table)?;
        for (language, s) in settings.all() {
            let odds = s.extracted_content_odds;
            if !(odds.is_finite() && odds > 0.0) {
                return Err(ConfigError::Settings {
                    rule: INFO.id.to_string(),
                    language: language.map(str::to_string),
                    message: format!("`extracted_content_odds` must be above 0, not {odds}"),
                });
            }
        }
        let dir = &settings.get(None).site_lines;
        let site_lines = if dir.is_empty() {
            None
        } else {
            Some(
                SiteLines::load(Path::new(dir)).map_err(|e| ConfigError::Settings {
                    rule: INFO.id.to_string(),
                    language: None,
                    message: format!("cannot read the site line counts: {e}"),
                })?,
            )
        };
        Ok(BoilerplateLines {
            settings,
            site_lines,
        })
    }
}

impl Rule for BoilerplateLines {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn uses_site(&self) -> bool {
        self.site_lines.is_some()
    }

    fn apply(&self, view: &DocView) -> RuleOutcome {
        let s = self.settings.get(view.language());
        let policy = Policy {
            threshold: s.threshold,
            keep_between_kept: s.keep_between_kept,
            cut_trailing_link_text: s.cut_trailing_link_text,
            keep_headline: s.keep_headline,
            site: SitePolicy {
                min_docs: s.site_min_docs,
                min_share: s.site_min_share,
                max_share_of_kept: s.site_max_share_of_kept,
                threshold: s.site_threshold,
            },
        };
        let policy = if view.is_extracted() || s.all_text_extracted {
            policy.for_extracted_text(s.extracted_content_odds)
        } else {
            policy
        };
        let text = view.text();
        let site = match (&self.site_lines, view.site()) {
            (Some(lines), Some(site)) => Some(SiteContext::new(lines, site)),
            _ => None,
        };
        let page = CLEANER.clean_page(
            PageText {
                text,
                language: view.language(),
                url: view.url(),
            },
            &policy,
            site,
        );
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
    fn extracted_content_odds_must_be_positive() {
        let table = |toml: &str| -> toml::Table { toml.parse().unwrap() };
        for bad in [
            "extracted_content_odds = 0.0",
            "extracted_content_odds = -2.0",
        ] {
            let Err(e) = BoilerplateLines::from_table(table(bad)) else {
                panic!("{bad} accepted");
            };
            assert!(e.to_string().contains("extracted_content_odds"), "{e}");
        }
        let Err(e) =
            BoilerplateLines::from_table(table("[languages.de]\nextracted_content_odds = 0.0"))
        else {
            panic!("a language's 0 accepted");
        };
        assert!(e.to_string().contains("de"), "{e}");
        assert!(BoilerplateLines::from_table(table("extracted_content_odds = 1.0")).is_ok());
    }

    #[test]
    fn text_extracted_elsewhere_can_be_judged_as_extracted() {
        let seed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/seed/000_c7507cca9c270131.txt"
        ));
        let Ok(seed) = seed else {
            return;
        };
        let removed = |toml: &str| {
            let rule = BoilerplateLines::from_table(toml.parse().unwrap()).unwrap();
            let view = DocView::new(&seed, Some("id"), crate::WordTokenizer::SpacyEn);
            let removals = rule.apply(&view).removals;
            removals
                .iter()
                .map(|(span, _)| seed[span.start..span.end].trim().to_string())
                .collect::<Vec<_>>()
        };
        let as_page = removed("");
        let as_extracted = removed("all_text_extracted = true");
        // The agency footer scores 0.32: under the whole-page threshold,
        // over the lowered one.
        let footer = "Standar kami: Prinsip Kepercayaan Thomson Reuters.";
        assert!(as_page.iter().any(|l| l == footer), "{as_page:?}");
        assert!(
            !as_extracted.iter().any(|l| l == footer),
            "{as_extracted:?}"
        );
        assert!(as_extracted.len() < as_page.len());
        assert!(as_extracted.iter().all(|l| as_page.contains(l)));
    }

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
