//! The context forest's scores tapis computes are the ones the training
//! script computed (`context_parity.jsonl`, written by `tools/train_lines.py`
//! beside the model): from the same first scores of a page's lines, the
//! and line inputs, the context inputs (neighbours, distances to the strong
//! lines, the page's percentile and ranks) and the walk of the stored trees
//! match.

use tapis_lines::FEATURES;
use tapis_lines::context::context_inputs;
use tapis_lines::{CONTEXT_LINE_FEATURES, Model};

#[test]
fn context_scores_match_the_training_script() {
    let model = Model::embedded();
    let forest = model.context();
    let (mut pages, mut scored) = (0, 0);
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
        // The line inputs the context forest reads, in their places among
        // the first forests' inputs.
        let lines: Vec<[f64; FEATURES.len()]> = v["line"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                let mut line = [0.0; FEATURES.len()];
                for (name, x) in CONTEXT_LINE_FEATURES.iter().zip(row.as_array().unwrap()) {
                    let at = FEATURES.iter().position(|f| f == name).unwrap();
                    line[at] = x.as_f64().unwrap();
                }
                line
            })
            .collect();
        for (i, row) in context_inputs(&first, &lines).iter().enumerate() {
            let got = forest.score(&forest.bin(row));
            assert!(
                (got - expected[i]).abs() < 1e-9,
                "{} line {i}: tapis {got}, training script {}",
                v["id"],
                expected[i]
            );
            spread = (spread.0.min(got), spread.1.max(got));
            scored += 1;
        }
        pages += 1;
    }
    assert!(
        pages >= 20 && scored > 1000,
        "{pages} pages, {scored} lines"
    );
    // A forest that scores everything alike would pass the comparison.
    assert!(spread.1 - spread.0 > 0.8, "scores span {spread:?}");
}
