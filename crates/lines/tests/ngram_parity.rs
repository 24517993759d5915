//! The wording and shape scores tapis computes are the ones the training
//! script computed for the same lines with the same stored models
//! (`ngram_parity.jsonl` and `shape_parity.jsonl` are written by
//! `tools/train_lines.py` beside the models): the n-grams, their hashes,
//! counts and unit scaling match scikit-learn's, and the shape's character
//! classes match Python's Unicode categories.

use tapis_lines::{NgramModel, NgramScratch};

fn check(model: &NgramModel, fixture: &str) {
    let mut scratch = NgramScratch::default();
    let mut checked = 0;
    let mut spread = (f64::MAX, f64::MIN);
    for line in fixture.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap();
        let expected = v["score"].as_f64().unwrap();
        let got = model.score(text, &mut scratch);
        assert!(
            (got - expected).abs() < 1e-9,
            "{text:?}: tapis {got}, training script {expected}"
        );
        spread = (spread.0.min(got), spread.1.max(got));
        checked += 1;
    }
    assert!(checked > 100, "{checked} lines");
    // A model that scores everything alike would pass the comparison.
    assert!(spread.1 - spread.0 > 0.5, "scores span {spread:?}");
}

#[test]
fn wording_scores_match_the_training_script() {
    check(&NgramModel::embedded(), include_str!("ngram_parity.jsonl"));
}

#[test]
fn shape_scores_match_the_training_script() {
    check(
        &NgramModel::embedded_shape(),
        include_str!("shape_parity.jsonl"),
    );
}
