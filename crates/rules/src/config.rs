//! The configuration: which rules run in which order, their thresholds, and
//! per-language overrides, read from TOML.
//!
//! ```toml
//! chain = ["gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"]
//! language_field = "language"      # metadata field naming the document's language
//! url_field = "url"                # metadata field with the page's URL (its site)
//!
//! [tokenizer]
//! default = "spacy_en"
//! languages = { zh = "unicode", ja = "unicode" }
//!
//! [gopher_quality]
//! min_doc_words = 50
//!
//! [gopher_quality.languages.de]   # only for documents whose language is "de"
//! stop_words = ["der", "die", "und", "in", "den", "von", "zu", "das"]
//! ```
//!
//! A language table overrides single settings of its rule; everything it does
//! not name comes from the rule's table, then from the defaults.

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::tokenizer::WordTokenizer;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid config: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("invalid settings for rule {rule}{}: {message}", language.as_ref().map(|l| format!(" (language {l})")).unwrap_or_default())]
    Settings {
        rule: String,
        language: Option<String>,
        message: String,
    },
    #[error("unknown rule {0:?} in chain (see `tapis rules`)")]
    UnknownRule(String),
    #[error("unknown top-level key {0:?} (neither a setting nor a rule id)")]
    UnknownKey(String),
}

/// Named starting points for a configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// datatrove 0.10.1 as FineWeb runs it: Gopher repetition, Gopher
    /// quality, C4 and FineWeb quality with their default arguments and
    /// spaCy's English word tokenizer for every document.
    #[default]
    Datatrove,
    /// The same rules, aware of the document's language: Unicode word
    /// boundaries for scripts written without spaces, the English
    /// stop-word test of Gopher quality applied to English documents only,
    /// and C4's line-shape tests (final full stop, three words per line)
    /// left to boilerplate_lines, which judges lines in context.
    Multilingual,
}

/// Tokenizer per language.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TokenizerConfig {
    #[serde(default)]
    pub default: WordTokenizer,
    #[serde(default)]
    pub languages: HashMap<String, WordTokenizer>,
}

impl TokenizerConfig {
    pub fn for_language(&self, language: Option<&str>) -> WordTokenizer {
        language
            .and_then(|l| self.languages.get(l))
            .copied()
            .unwrap_or(self.default)
    }
}

/// A whole configuration. Rule settings stay as TOML tables until a rule
/// reads them, so each rule owns the meaning of its settings.
#[derive(Clone, Debug)]
pub struct Config {
    pub chain: Vec<String>,
    pub language_field: String,
    /// Metadata field with the document's URL, whose host is its site.
    pub url_field: String,
    pub tokenizer: TokenizerConfig,
    pub rules: toml::Table,
}

/// The chain FineWeb runs (datatrove's order).
pub const DEFAULT_CHAIN: [&str; 4] = [
    "gopher_repetition",
    "gopher_quality",
    "c4_quality",
    "fineweb_quality",
];

/// Writing systems without spaces between words.
const UNSPACED_LANGUAGES: [&str; 8] = ["zh", "ja", "th", "lo", "km", "my", "bo", "dz"];

impl Config {
    pub fn preset(preset: Preset) -> Config {
        let mut config = Config {
            chain: DEFAULT_CHAIN.iter().map(|s| s.to_string()).collect(),
            language_field: "language".into(),
            url_field: "url".into(),
            tokenizer: TokenizerConfig::default(),
            rules: toml::Table::new(),
        };
        if preset == Preset::Multilingual {
            for l in UNSPACED_LANGUAGES {
                config
                    .tokenizer
                    .languages
                    .insert(l.to_string(), WordTokenizer::Unicode);
            }
            let gopher: toml::Table =
                toml::from_str("min_stop_words = 0\n[languages.en]\nmin_stop_words = 2\n")
                    .expect("static TOML");
            config
                .rules
                .insert("gopher_quality".into(), toml::Value::Table(gopher));
            // Lines are judged in context by boilerplate_lines, in any
            // language; C4's shape tests (a full stop at the end, three
            // words) would cut headlines, list items and sub-heads again.
            let c4: toml::Table = toml::from_str(
                "filter_no_terminal_punct = false
min_words_per_line = 0
",
            )
            .expect("static TOML");
            config
                .rules
                .insert("c4_quality".into(), toml::Value::Table(c4));
        }
        config
    }

    /// Reads a TOML file over a preset: keys in the file replace the
    /// preset's; rule tables are merged key by key.
    pub fn from_file(path: &Path, preset: Preset) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Config::from_toml(&text, preset)
    }

    pub fn from_toml(text: &str, preset: Preset) -> Result<Config, ConfigError> {
        let mut config = Config::preset(preset);
        let table: toml::Table = toml::from_str(text)?;
        for (key, value) in table {
            match key.as_str() {
                "chain" => config.chain = value.try_into()?,
                "language_field" => config.language_field = value.try_into()?,
                "url_field" => config.url_field = value.try_into()?,
                "tokenizer" => {
                    let t: TokenizerConfig = value.try_into()?;
                    config.tokenizer.default = t.default;
                    config.tokenizer.languages.extend(t.languages);
                }
                _ if crate::rules::is_rule(&key) => {
                    let toml::Value::Table(new) = value else {
                        return Err(ConfigError::Settings {
                            rule: key,
                            language: None,
                            message: "expected a table".into(),
                        });
                    };
                    let entry = config
                        .rules
                        .entry(key)
                        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                    if let toml::Value::Table(old) = entry {
                        merge(old, new);
                    }
                }
                _ => return Err(ConfigError::UnknownKey(key)),
            }
        }
        for id in &config.chain {
            if !crate::rules::is_rule(id) {
                return Err(ConfigError::UnknownRule(id.clone()));
            }
        }
        Ok(config)
    }

    /// The settings table of one rule (empty when the config names none).
    pub fn rule_table(&self, id: &str) -> toml::Table {
        match self.rules.get(id) {
            Some(toml::Value::Table(t)) => t.clone(),
            _ => toml::Table::new(),
        }
    }
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// A rule's settings, resolved once per language so that the hot path only
/// looks them up.
#[derive(Clone, Debug)]
pub struct PerLanguage<S> {
    default: S,
    languages: HashMap<String, S>,
}

impl<S: DeserializeOwned> PerLanguage<S> {
    /// Reads `rule`'s table: its keys are settings, except `languages`,
    /// whose sub-tables override settings for one language each.
    pub fn from_table(rule: &str, mut table: toml::Table) -> Result<Self, ConfigError> {
        let languages = match table.remove("languages") {
            Some(toml::Value::Table(t)) => t,
            Some(_) => {
                return Err(ConfigError::Settings {
                    rule: rule.into(),
                    language: None,
                    message: "`languages` must be a table of tables".into(),
                });
            }
            None => toml::Table::new(),
        };
        let parse = |t: toml::Table, language: Option<&str>| -> Result<S, ConfigError> {
            toml::Value::Table(t)
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError::Settings {
                    rule: rule.into(),
                    language: language.map(str::to_string),
                    message: e.message().to_string(),
                })
        };
        let default = parse(table.clone(), None)?;
        let mut by_language = HashMap::new();
        for (lang, over) in languages {
            let toml::Value::Table(over) = over else {
                return Err(ConfigError::Settings {
                    rule: rule.into(),
                    language: Some(lang),
                    message: "expected a table".into(),
                });
            };
            let mut merged = table.clone();
            merge(&mut merged, over);
            let s = parse(merged, Some(&lang))?;
            by_language.insert(lang, s);
        }
        Ok(PerLanguage {
            default,
            languages: by_language,
        })
    }

    pub fn get(&self, language: Option<&str>) -> &S {
        language
            .and_then(|l| self.languages.get(l))
            .unwrap_or(&self.default)
    }

    /// The default settings (language `None`), then each language's.
    pub fn all(&self) -> impl Iterator<Item = (Option<&str>, &S)> {
        std::iter::once((None, &self.default))
            .chain(self.languages.iter().map(|(l, s)| (Some(l.as_str()), s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(default, deny_unknown_fields)]
    struct S {
        a: u32,
        b: f64,
    }
    impl Default for S {
        fn default() -> Self {
            S { a: 1, b: 0.5 }
        }
    }

    #[test]
    fn language_tables_override_single_settings() {
        let t: toml::Table = toml::from_str("a = 7\n[languages.de]\nb = 0.9\n").unwrap();
        let p = PerLanguage::<S>::from_table("r", t).unwrap();
        assert_eq!(p.get(None), &S { a: 7, b: 0.5 });
        assert_eq!(p.get(Some("fr")), &S { a: 7, b: 0.5 });
        assert_eq!(p.get(Some("de")), &S { a: 7, b: 0.9 });
    }

    #[test]
    fn unknown_settings_are_errors_naming_the_rule_and_language() {
        let t: toml::Table = toml::from_str("[languages.de]\nzzz = 1\n").unwrap();
        let e = PerLanguage::<S>::from_table("r", t)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("rule r (language de)") && e.contains("zzz"),
            "{e}"
        );
    }

    #[test]
    fn config_file_merges_over_preset_and_rejects_unknown_rules() {
        let c = Config::from_toml(
            "[gopher_quality.languages.de]\nmin_stop_words = 3\n",
            Preset::Multilingual,
        )
        .unwrap();
        let g = c.rule_table("gopher_quality");
        assert_eq!(g["min_stop_words"].as_integer(), Some(0));
        assert_eq!(g["languages"]["de"]["min_stop_words"].as_integer(), Some(3));
        assert_eq!(g["languages"]["en"]["min_stop_words"].as_integer(), Some(2));
        assert!(matches!(
            Config::from_toml("chain = [\"nope\"]", Preset::Datatrove),
            Err(ConfigError::UnknownRule(_))
        ));
        assert!(matches!(
            Config::from_toml("nope = 1", Preset::Datatrove),
            Err(ConfigError::UnknownKey(_))
        ));
    }
}
