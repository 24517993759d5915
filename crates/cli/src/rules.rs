//! `tapis rules`: every rule with its documentation, codes and defaults.

use serde_json::json;
use tapis_rules::rules::{ALL, default_settings_toml};

use crate::Failure;
use crate::flags::RulesArgs;

pub fn run(args: RulesArgs) -> Result<u8, Failure> {
    let selected: Vec<_> = ALL
        .iter()
        .filter(|r| args.rule.as_deref().is_none_or(|id| r.id == id))
        .collect();
    if selected.is_empty() {
        let ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        return Err(Failure::usage(anyhow::anyhow!(
            "no rule {:?}; rules are: {}",
            args.rule.unwrap_or_default(),
            ids.join(", ")
        )));
    }
    let default_chain = tapis_rules::config::DEFAULT_CHAIN;
    if args.json {
        let out: Vec<_> = selected
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "title": r.title,
                    "in_default_chain": default_chain.contains(&r.id),
                    "codes": r.checks.iter().map(|c| json!({
                        "code": format!("{}/{}", r.id, c.check),
                        "summary": c.summary,
                        "datatrove_reason": c.datatrove,
                    })).collect::<Vec<_>>(),
                    "defaults_toml": default_settings_toml(r.id),
                    "doc": r.doc,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(0);
    }
    for (i, r) in selected.iter().enumerate() {
        if i > 0 {
            println!("\n{}\n", "-".repeat(78));
        }
        let chain = if default_chain.contains(&r.id) {
            "in the default chain"
        } else {
            "not in the default chain: add it to `chain` in a --config file"
        };
        println!("{} — {}\n({chain})\n", r.id, r.title);
        println!("{}", r.doc.trim_end());
        println!("\nReason codes:");
        for c in r.checks {
            println!("  {}/{:<24} {}", r.id, c.check, c.summary);
        }
        println!("\nDefaults (TOML, under [{}]):", r.id);
        for line in default_settings_toml(r.id).lines() {
            println!("  {line}");
        }
    }
    Ok(0)
}
