//! The rules, one file each. A rule file holds the rule's reason codes, its
//! settings with their defaults, its measurement, its judgement and its tests;
//! its documentation is the Markdown file of the same name under `docs/`.

/// Declares a rule's type: its settings resolved per language, read from
/// its TOML table. Every rule is built the same way; only `apply` differs.
macro_rules! rule_type {
    ($name:ident) => {
        pub struct $name {
            settings: crate::config::PerLanguage<Settings>,
        }

        impl $name {
            pub fn from_table(table: toml::Table) -> Result<Self, crate::config::ConfigError> {
                Ok($name {
                    settings: crate::config::PerLanguage::from_table(INFO.id, table)?,
                })
            }
        }
    };
}

pub mod boilerplate_lines;
pub mod c4_quality;
pub mod fineweb_quality;
pub mod gopher_quality;
pub mod gopher_repetition;
pub mod refinedweb_lines;

use crate::config::{Config, ConfigError};
use crate::{Rule, RuleInfo};

/// Every rule tapis knows, in the order `tapis rules` lists them.
pub const ALL: [&RuleInfo; 6] = [
    &boilerplate_lines::INFO,
    &gopher_repetition::INFO,
    &gopher_quality::INFO,
    &c4_quality::INFO,
    &fineweb_quality::INFO,
    &refinedweb_lines::INFO,
];

pub fn is_rule(id: &str) -> bool {
    ALL.iter().any(|r| r.id == id)
}

pub fn info(id: &str) -> Option<&'static RuleInfo> {
    ALL.iter().copied().find(|r| r.id == id)
}

/// Builds rule `id` with its settings from `config`.
pub fn build(id: &str, config: &Config) -> Result<Box<dyn Rule>, ConfigError> {
    let table = config.rule_table(id);
    Ok(match id {
        "boilerplate_lines" => Box::new(boilerplate_lines::BoilerplateLines::from_table(table)?),
        "gopher_repetition" => Box::new(gopher_repetition::GopherRepetition::from_table(table)?),
        "gopher_quality" => Box::new(gopher_quality::GopherQuality::from_table(table)?),
        "c4_quality" => Box::new(c4_quality::C4Quality::from_table(table)?),
        "fineweb_quality" => Box::new(fineweb_quality::FineWebQuality::from_table(table)?),
        "refinedweb_lines" => Box::new(refinedweb_lines::RefinedWebLines::from_table(table)?),
        _ => return Err(ConfigError::UnknownRule(id.to_string())),
    })
}

/// The default settings of rule `id`, as TOML, for `tapis rules`.
pub fn default_settings_toml(id: &str) -> String {
    let text = match id {
        "boilerplate_lines" => toml::to_string(&boilerplate_lines::Settings::default()),
        "gopher_repetition" => toml::to_string(&gopher_repetition::Settings::default()),
        "gopher_quality" => toml::to_string(&gopher_quality::Settings::default()),
        "c4_quality" => toml::to_string(&c4_quality::Settings::default()),
        "fineweb_quality" => toml::to_string(&fineweb_quality::Settings::default()),
        "refinedweb_lines" => toml::to_string(&refinedweb_lines::Settings::default()),
        _ => return String::new(),
    };
    text.expect("settings serialize to TOML")
}
