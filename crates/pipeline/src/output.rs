//! The records tapis writes for kept and removed documents.
//!
//! Both have the shape `{"id", "text", "metadata"}` that datatrove's and
//! Dolma's JSONL readers read as is. What tapis did is under
//! `metadata.tapis`: for a kept document the spans it removed (with their
//! text and reason), for a removed one the reason code, the rule and the
//! figures it decided on.

use serde_json::{Map, Value, json};
use tapis_document::{Document, DropReason, Removal, text_without};
use tapis_rules::chain::Figure;

/// A record ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnedRecord {
    pub id: String,
    pub text: String,
    pub metadata: Map<String, Value>,
}

/// Removals worth listing: white space trimmed around kept lines is not.
fn listed_removals(text: &str, removals: &[Removal]) -> Vec<Value> {
    removals
        .iter()
        .filter(|r| r.code.check != "whitespace")
        .map(|r| {
            json!({
                "start": r.span.start,
                "end": r.span.end,
                "reason": r.code.to_string(),
                "text": &text[r.span.start..r.span.end],
            })
        })
        .collect()
}

/// A figure as JSON: NaN and infinities, which JSON lacks, become null.
fn number(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

fn figures_object(figures: &[Figure]) -> Map<String, Value> {
    figures
        .iter()
        .map(|f| (f.attribute.to_string(), number(f.value)))
        .collect()
}

pub fn kept_record(
    doc: &Document,
    removals: &[Removal],
    figures: Option<&[Figure]>,
) -> OwnedRecord {
    let mut metadata = doc.metadata.clone();
    let mut tapis = Map::new();
    tapis.insert(
        "removed".into(),
        Value::Array(listed_removals(&doc.text, removals)),
    );
    if let Some(f) = figures {
        tapis.insert("figures".into(), Value::Object(figures_object(f)));
    }
    metadata.insert("tapis".into(), Value::Object(tapis));
    OwnedRecord {
        id: doc.id.clone(),
        text: text_without(&doc.text, removals),
        metadata,
    }
}

pub fn removed_record(
    doc: &Document,
    reason: &DropReason,
    rule: Option<&'static str>,
    removals: &[Removal],
    figures: &[Figure],
) -> OwnedRecord {
    let mut metadata = doc.metadata.clone();
    let decided_on: Map<String, Value> = reason
        .figures
        .iter()
        .map(|(k, v)| (k.to_string(), number(*v)))
        .collect();
    metadata.insert(
        "tapis".into(),
        json!({
            "reason": reason.code.to_string(),
            "rule": rule,
            "decided_on": decided_on,
            "figures": figures_object(figures),
            "removed": listed_removals(&doc.text, removals),
            "source": doc.origin.to_string(),
        }),
    );
    OwnedRecord {
        id: doc.id.clone(),
        text: doc.text.clone(),
        metadata,
    }
}
