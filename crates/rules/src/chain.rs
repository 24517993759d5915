//! Runs the configured rules in order over one document.

use tapis_document::{Decision, Document, Removal, Span};

use crate::config::{Config, ConfigError, TokenizerConfig};
use crate::{DocView, Rule, rules};

/// The rules of a configuration, built once and shared by all threads.
pub struct Chain {
    rules: Vec<Box<dyn Rule>>,
    tokenizer: TokenizerConfig,
    language_field: String,
    url_field: String,
    /// Whether a rule uses the document's site (looked up only then).
    uses_site: bool,
}

/// A document-level measurement: which rule, which figure, its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub attribute: &'static str,
    pub value: f64,
}

/// The decision for one document and the measurements behind it.
#[derive(Clone, Debug)]
pub struct ChainOutput {
    pub decision: Decision,
    pub figures: Vec<Figure>,
    /// The rule that dropped the document, if one did.
    pub dropped_by: Option<&'static str>,
}

impl Chain {
    pub fn new(config: &Config) -> Result<Chain, ConfigError> {
        let rules = config
            .chain
            .iter()
            .map(|id| rules::build(id, config))
            .collect::<Result<Vec<_>, _>>()?;
        let uses_site = rules.iter().any(|r| r.uses_site());
        Ok(Chain {
            rules,
            tokenizer: config.tokenizer.clone(),
            language_field: config.language_field.clone(),
            url_field: config.url_field.clone(),
            uses_site,
        })
    }

    pub fn rule_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules.iter().map(|r| r.info().id)
    }

    /// The document's language, from the configured metadata field.
    pub fn language<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        self.language_of(&doc.metadata)
    }

    /// The language named in a document's metadata.
    pub fn language_of<'m>(&self, metadata: &'m tapis_document::Metadata) -> Option<&'m str> {
        metadata.get(&self.language_field).and_then(|v| v.as_str())
    }

    /// The document's site: the host of the URL in the configured metadata
    /// field (see [`tapis_lines::site_lines::site_of_url`]).
    pub fn site(&self, doc: &Document) -> Option<String> {
        doc.metadata
            .get(&self.url_field)
            .and_then(|v| v.as_str())
            .and_then(tapis_lines::site_lines::site_of_url)
    }

    /// Applies the rules in order: each sees the text the previous ones left;
    /// the first rule that drops the document ends the chain.
    pub fn apply(&self, doc: &Document) -> ChainOutput {
        self.apply_measuring(doc, false)
    }

    /// Like [`Chain::apply`]; with `measure_all`, every rule that runs
    /// computes all its figures instead of stopping at its first failing test.
    pub fn apply_measuring(&self, doc: &Document, measure_all: bool) -> ChainOutput {
        self.apply_in(doc, self.language(doc), measure_all)
    }

    /// Like [`Chain::apply_measuring`], with the document's language given
    /// (e.g. identified from the text) rather than read from its metadata;
    /// it picks the per-language settings and tokenizer.
    pub fn apply_in(
        &self,
        doc: &Document,
        language: Option<&str>,
        measure_all: bool,
    ) -> ChainOutput {
        let tokenizer = self.tokenizer.for_language(language);
        let mut view = DocView::new(&doc.text, language, tokenizer)
            .measuring_all(measure_all)
            .extracted(doc.extracted)
            .in_site(if self.uses_site { self.site(doc) } else { None })
            .with_url(doc.metadata.get(&self.url_field).and_then(|v| v.as_str()));
        let mut removals: Vec<Removal> = Vec::new();
        let mut figures = Vec::new();
        for rule in &self.rules {
            let outcome = rule.apply(&view);
            figures.extend(outcome.annotations.iter().filter_map(|a| match a.value {
                tapis_document::Value::Number(value) => Some(Figure {
                    attribute: a.attribute,
                    value,
                }),
                _ => None,
            }));
            if let Some(reason) = outcome.drop {
                return ChainOutput {
                    decision: Decision::Drop {
                        reason,
                        removals: sorted(removals),
                    },
                    figures,
                    dropped_by: Some(rule.info().id),
                };
            }
            if !outcome.removals.is_empty() {
                for (span, code) in &outcome.removals {
                    for orig in view.to_original(*span) {
                        removals.push(Removal {
                            span: orig,
                            code: *code,
                        });
                    }
                }
                let spans: Vec<Span> = outcome.removals.iter().map(|(s, _)| *s).collect();
                view = view.without(&spans);
            }
        }
        ChainOutput {
            decision: Decision::Keep {
                removals: sorted(removals),
            },
            figures,
            dropped_by: None,
        }
    }
}

fn sorted(mut removals: Vec<Removal>) -> Vec<Removal> {
    removals.sort_by_key(|r| r.span);
    removals
}
