//! The context forest's scores tapis computes are the ones the training
//! script computed (`context_parity.jsonl`, written by `tools/train_lines.py`
//! beside the model): from the same first scores of a page's lines, the
//! context inputs (neighbours, distances to the strong lines, the page's
//! percentile and ranks) and the walk of the stored trees match.

use tapis_lines::Model;
use tapis_lines::context::context_features;

#[test]
fn context_scores_match_the_training_script() {
    let model = Model::embedded();
    let forest = model.context();
    let (mut pages, mut lines) = (0, 0);
    let mut spread = (f64::MAX, f64::MIN);
    for record in include_str!("context_parity.jsonl").lines() {
        let v: serde_json::Value = serde_json::from_str(record).unwrap();
        let floats = |k: &str| -> Vec<f64> {
            v[k].as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        };
        let (first, expected) = (floats("first"), floats("context"));
        assert_eq!(first.len(), expected.len());
        for (i, row) in context_features(&first).iter().enumerate() {
            let got = forest.score(&forest.bin(row));
            assert!(
                (got - expected[i]).abs() < 1e-9,
                "{} line {i}: tapis {got}, training script {}",
                v["id"],
                expected[i]
            );
            spread = (spread.0.min(got), spread.1.max(got));
            lines += 1;
        }
        pages += 1;
    }
    assert!(pages >= 20 && lines > 1000, "{pages} pages, {lines} lines");
    // A forest that scores everything alike would pass the comparison.
    assert!(spread.1 - spread.0 > 0.8, "scores span {spread:?}");
}
