//! A line in its page's context: the inputs of the second forest, which
//! re-scores every line from the first forests' scores of the line, of its
//! neighbours and of the whole page.
//!
//! The first forests judge a line by its own signals and a few of its
//! neighbours'; what they cannot see is where the page's article is. A
//! short line between two paragraphs scoring 0.95 is a sub-head or a list
//! item; the same line after the last strong paragraph and past a run of
//! "Share" and "Tags" lines is the start of the comments or of a teaser
//! list. A page whose lines all score low is a page whose article reads
//! unlike most, not a page without one. These inputs say so: the scores
//! around the line, how far it lies from the nearest surely-article line
//! above and below and how many surely-boilerplate lines stand in between,
//! and the page's own scale (its highest score, its 90th percentile, the
//! line's rank). It also reads a few of the line's own inputs
//! ([`CONTEXT_LINE_FEATURES`]): its length, end punctuation and place
//! against the URL's headline and the page's body, without which a short
//! line and a long one at the same score look alike.
//! `crates/lines/tools/train_lines.py` fits the forest on
//! out-of-fold first scores and computes the same inputs
//! (`context_features`); `tests/context_parity.jsonl` holds its scores.

use crate::signals::FEATURES;

/// The first forests' inputs ([`FEATURES`]) the context forest reads too,
/// after the [`CONTEXT_FEATURES`] computed from the scores.
pub const CONTEXT_LINE_FEATURES: [&str; 8] = [
    "log_chars",
    "end_punct",
    "bullet",
    "prose",
    "url_headline_offset",
    "url_headline_progress",
    "log_before_body",
    "log_after_body",
];

/// All the context forest's inputs: [`CONTEXT_FEATURES`], then
/// [`CONTEXT_LINE_FEATURES`].
pub const CONTEXT_INPUTS: usize = CONTEXT_FEATURES.len() + CONTEXT_LINE_FEATURES.len();

/// Where each of [`CONTEXT_LINE_FEATURES`] is in [`FEATURES`].
const LINE_INPUT_AT: [usize; CONTEXT_LINE_FEATURES.len()] = {
    let mut at = [usize::MAX; CONTEXT_LINE_FEATURES.len()];
    let mut i = 0;
    while i < at.len() {
        let mut j = 0;
        while j < FEATURES.len() {
            if const_eq(FEATURES[j], CONTEXT_LINE_FEATURES[i]) {
                at[i] = j;
            }
            j += 1;
        }
        assert!(at[i] != usize::MAX, "a context line input is not a feature");
        i += 1;
    }
    at
};

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The context forest's inputs computed from the page's scores, in the
/// order the stored model reads them.
pub const CONTEXT_FEATURES: [&str; 20] = [
    "line_score",
    "prev_score",
    "next_score",
    "prev2_score",
    "next2_score",
    "prev3_score",
    "next3_score",
    "max_before",
    "max_after",
    "mean_around",
    "page_max",
    "page_q90",
    "log_strong_lines",
    "page_share_over_half",
    "page_rank",
    "log_from_strong_before",
    "log_to_strong_after",
    "weak_since_strong_before",
    "weak_until_strong_after",
    "between_strong",
];

/// A line scoring at least this is surely article.
const STRONG: f64 = 0.9;
/// A line scoring below this is surely boilerplate.
const WEAK: f64 = 0.1;
/// Lines looked at before and after a line for the strongest score.
const REACH: usize = 8;
/// The score of a neighbour that does not exist.
const NO_LINE: f64 = -1.0;
/// The distance to a strong line that does not exist.
const NO_STRONG: f64 = 1000.0;

/// The context forest's inputs for each line of a page whose lines score
/// `scores` and have the first forests' inputs `lines`.
pub fn context_inputs(
    scores: &[f64],
    lines: &[[f64; FEATURES.len()]],
) -> Vec<[f64; CONTEXT_INPUTS]> {
    assert_eq!(scores.len(), lines.len(), "a score for every line");
    context_features(scores)
        .iter()
        .zip(lines)
        .map(|(context, line)| {
            let mut row = [0.0; CONTEXT_INPUTS];
            row[..CONTEXT_FEATURES.len()].copy_from_slice(context);
            for (slot, &at) in row[CONTEXT_FEATURES.len()..].iter_mut().zip(&LINE_INPUT_AT) {
                *slot = line[at];
            }
            row
        })
        .collect()
}

/// The inputs computed from the scores ([`CONTEXT_FEATURES`]) of each line
/// of a page whose lines score `scores`.
pub fn context_features(scores: &[f64]) -> Vec<[f64; CONTEXT_FEATURES.len()]> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let at = |i: isize| {
        usize::try_from(i)
            .ok()
            .and_then(|i| scores.get(i))
            .copied()
            .unwrap_or(NO_LINE)
    };
    let mut ordered = scores.to_vec();
    ordered.sort_by(f64::total_cmp);
    let page_max = ordered[n - 1];
    // numpy's default (linear) quantile.
    let pos = 0.9 * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let q90 = ordered[lo] + (ordered[(lo + 1).min(n - 1)] - ordered[lo]) * (pos - lo as f64);
    let strong_lines = scores.iter().filter(|&&s| s >= STRONG).count();
    let over_half = scores.iter().filter(|&&s| s >= 0.5).count() as f64 / n as f64;
    let (from_before, weak_before) = from_strong(scores.iter().copied());
    let (mut to_after, mut weak_after) = from_strong(scores.iter().rev().copied());
    to_after.reverse();
    weak_after.reverse();
    (0..n)
        .map(|i| {
            let k = i as isize;
            let before = scores[i.saturating_sub(REACH)..i]
                .iter()
                .copied()
                .reduce(f64::max)
                .unwrap_or(NO_LINE);
            let after = scores[(i + 1).min(n)..(i + 1 + REACH).min(n)]
                .iter()
                .copied()
                .reduce(f64::max)
                .unwrap_or(NO_LINE);
            let around = &scores[i.saturating_sub(2)..(i + 3).min(n)];
            let mean = around.iter().sum::<f64>() / around.len() as f64;
            // Lines scoring strictly less, over the page's other lines.
            let rank = ordered.partition_point(|&s| s < scores[i]) as f64 / (n - 1).max(1) as f64;
            [
                scores[i],
                at(k - 1),
                at(k + 1),
                at(k - 2),
                at(k + 2),
                at(k - 3),
                at(k + 3),
                before,
                after,
                mean,
                page_max,
                q90,
                (strong_lines as f64).ln_1p(),
                over_half,
                rank,
                from_before[i].ln_1p(),
                to_after[i].ln_1p(),
                weak_before[i],
                weak_after[i],
                f64::from(u8::from(
                    from_before[i] < NO_STRONG && to_after[i] < NO_STRONG,
                )),
            ]
        })
        .collect()
}

/// For each line in the order given: the lines back to the last strong one
/// before it ([`NO_STRONG`] without one), and the weak lines in between.
fn from_strong(scores: impl Iterator<Item = f64>) -> (Vec<f64>, Vec<f64>) {
    let (mut distance, mut weak) = (Vec::new(), Vec::new());
    let (mut last, mut lows) = (None, 0u32);
    for (i, s) in scores.enumerate() {
        match last {
            Some(l) => {
                distance.push((i - l) as f64);
                weak.push(f64::from(lows));
            }
            None => {
                distance.push(NO_STRONG);
                weak.push(0.0);
            }
        }
        if s >= STRONG {
            last = Some(i);
            lows = 0;
        } else if s < WEAK {
            lows += 1;
        }
    }
    (distance, weak)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(rows: &[[f64; CONTEXT_FEATURES.len()]], name: &str) -> Vec<f64> {
        let k = CONTEXT_FEATURES.iter().position(|&f| f == name).unwrap();
        rows.iter().map(|r| r[k]).collect()
    }

    #[test]
    fn neighbours_and_strong_lines_are_found_on_both_sides() {
        let scores = [0.05, 0.95, 0.5, 0.02, 0.92, 0.3];
        let rows = context_features(&scores);
        assert_eq!(column(&rows, "line_score"), scores);
        assert_eq!(
            column(&rows, "prev_score"),
            [-1.0, 0.05, 0.95, 0.5, 0.02, 0.92]
        );
        assert_eq!(
            column(&rows, "next3_score"),
            [0.02, 0.92, 0.3, -1.0, -1.0, -1.0]
        );
        assert_eq!(
            column(&rows, "max_before"),
            [-1.0, 0.05, 0.95, 0.95, 0.95, 0.95]
        );
        assert_eq!(
            column(&rows, "max_after"),
            [0.95, 0.92, 0.92, 0.92, 0.3, -1.0]
        );
        // Lines back to the last strong line, and the weak ones between.
        let from = column(&rows, "log_from_strong_before");
        let expected = [1000.0, 1000.0, 1.0, 2.0, 3.0, 1.0].map(f64::ln_1p);
        assert_eq!(from, expected);
        assert_eq!(
            column(&rows, "weak_since_strong_before"),
            [0.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        );
        assert_eq!(
            column(&rows, "weak_until_strong_after"),
            [0.0, 1.0, 1.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(
            column(&rows, "between_strong"),
            [0.0, 0.0, 1.0, 1.0, 0.0, 0.0]
        );
        assert_eq!(column(&rows, "page_max"), [0.95; 6]);
        assert_eq!(column(&rows, "log_strong_lines"), [2f64.ln_1p(); 6]);
        assert_eq!(column(&rows, "page_share_over_half"), [0.5; 6]);
        // 0.02 is the lowest of six, 0.95 the highest.
        assert_eq!(column(&rows, "page_rank")[3], 0.0);
        assert_eq!(column(&rows, "page_rank")[1], 1.0);
    }

    #[test]
    fn the_line_inputs_follow_the_score_inputs() {
        let mut line = [0.0; FEATURES.len()];
        for (k, v) in line.iter_mut().enumerate() {
            *v = k as f64;
        }
        let rows = context_inputs(&[0.5], &[line]);
        for (i, name) in CONTEXT_LINE_FEATURES.iter().enumerate() {
            let at = FEATURES.iter().position(|f| f == name).unwrap();
            assert_eq!(rows[0][CONTEXT_FEATURES.len() + i], at as f64, "{name}");
        }
        assert_eq!(rows[0][0], 0.5);
    }

    #[test]
    fn a_page_of_one_line_and_an_empty_page() {
        assert!(context_features(&[]).is_empty());
        let rows = context_features(&[0.7]);
        assert_eq!(column(&rows, "page_q90"), [0.7]);
        assert_eq!(column(&rows, "page_rank"), [0.0]);
        assert_eq!(column(&rows, "mean_around"), [0.7]);
    }
}
