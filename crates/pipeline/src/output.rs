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

/// `metadata.tapis.language` for a document whose languages were identified:
/// the document's label, its script, confidence and multilingual flag (with the shares
/// when set), and every non-blank line as `[start, end, label, confidence]`
/// (label null when undetermined). Spans are in the text of the record:
/// for a kept document, `cut` are the spans removed from it, and lines are
/// moved to the kept text (lines removed whole are left out).
pub fn language_value(found: &tapis_lid::TextLanguages, cut: &[Removal]) -> Value {
    // Bytes removed before offset `o` of the original text.
    let removed_before = |o: usize| -> usize {
        cut.iter()
            .map(|r| r.span.end.min(o).saturating_sub(r.span.start))
            .sum()
    };
    let doc = &found.document;
    let mut v = Map::new();
    v.insert("language".into(), json!(doc.language.map(|l| l.code())));
    v.insert("script".into(), json!(doc.language.map(|l| l.script())));
    v.insert("confidence".into(), number(round(doc.confidence)));
    v.insert("multilingual".into(), json!(doc.multilingual));
    if doc.multilingual {
        let shares: Map<String, Value> = doc
            .shares
            .iter()
            .map(|(l, s)| (l.code(), number(round(*s))))
            .collect();
        v.insert("shares".into(), Value::Object(shares));
    }
    let lines: Vec<Value> = found
        .lines
        .iter()
        .filter_map(|l| {
            let start = l.span.start - removed_before(l.span.start);
            let end = l.span.end - removed_before(l.span.end);
            (end > start).then(|| {
                json!([
                    start,
                    end,
                    l.language.map(|l| l.code()),
                    number(round(l.confidence))
                ])
            })
        })
        .collect();
    v.insert("lines".into(), Value::Array(lines));
    Value::Object(v)
}

fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

pub fn kept_record(
    doc: Document,
    removals: &[Removal],
    figures: Option<&[Figure]>,
    language: Option<&Value>,
) -> OwnedRecord {
    let mut metadata = doc.metadata;
    let mut tapis = Map::new();
    if let Some(language) = language {
        tapis.insert("language".into(), language.clone());
    }
    tapis.insert(
        "removed".into(),
        Value::Array(listed_removals(&doc.text, removals)),
    );
    if let Some(f) = figures {
        tapis.insert("figures".into(), Value::Object(figures_object(f)));
    }
    metadata.insert("tapis".into(), Value::Object(tapis));
    OwnedRecord {
        text: if removals.is_empty() {
            doc.text
        } else {
            text_without(&doc.text, removals)
        },
        id: doc.id,
        metadata,
    }
}

pub fn removed_record(
    doc: Document,
    reason: &DropReason,
    rule: Option<&'static str>,
    removals: &[Removal],
    figures: &[Figure],
    language: Option<&Value>,
) -> OwnedRecord {
    let mut metadata = doc.metadata;
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
    if let (Some(language), Some(Value::Object(tapis))) = (language, metadata.get_mut("tapis")) {
        tapis.insert("language".into(), language.clone());
    }
    OwnedRecord {
        id: doc.id,
        text: doc.text,
        metadata,
    }
}
