//! The line classifier: gradient-boosted trees over [`FEATURES`], trained by
//! `tools/train_lines.py` on part of the development set (split by site)
//! and stored in `model/lines.json`.

use serde::Deserialize;

use crate::context::{CONTEXT_FEATURES, CONTEXT_INPUTS, CONTEXT_LINE_FEATURES};
use crate::signals::FEATURES;

const EMBEDDED: &str = include_str!("../model/lines.json");

/// Why a line is removed: the group of signals that weighs most against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The same words appear on other lines of the page.
    RepeatedInPage,
    /// Written in another language than the page.
    OtherLanguage,
    /// Few of the page language's function words: a label, not prose.
    FewStopWords,
    /// A call to action, a widget label or a legal notice.
    CallToAction,
    /// A URL, a domain name or an e-mail address.
    LinkOrDomain,
    /// Written in capitals.
    LetterCase,
    /// Among lines that are not running text (menus, link lists, footers),
    /// or away from the article (at the page's edges, before the headline
    /// its URL names).
    BoilerplateContext,
    /// Short, unpunctuated, digits or symbols: the shape of a menu item, a
    /// date or a button.
    LineShape,
    /// Worded like the menus, widgets and footers the classifier learned
    /// from (its character n-grams, [`crate::NgramModel`]).
    BoilerplateWording,
    /// On many pages of the same site: the site's template. Decided from
    /// corpus counts (`site_lines`), not by the classifier.
    FrequentInSite,
}

impl Reason {
    pub const ALL: [Reason; 10] = [
        Reason::RepeatedInPage,
        Reason::OtherLanguage,
        Reason::FewStopWords,
        Reason::CallToAction,
        Reason::LinkOrDomain,
        Reason::LetterCase,
        Reason::BoilerplateContext,
        Reason::LineShape,
        Reason::BoilerplateWording,
        Reason::FrequentInSite,
    ];

    /// The reasons the classifier gives, one per group of its features.
    pub const MODEL: [Reason; 9] = [
        Reason::RepeatedInPage,
        Reason::OtherLanguage,
        Reason::FewStopWords,
        Reason::CallToAction,
        Reason::LinkOrDomain,
        Reason::LetterCase,
        Reason::BoilerplateContext,
        Reason::LineShape,
        Reason::BoilerplateWording,
    ];

    /// The check name, the second half of the reason code.
    pub const fn check(self) -> &'static str {
        match self {
            Reason::RepeatedInPage => "repeated_in_page",
            Reason::OtherLanguage => "other_language",
            Reason::FewStopWords => "few_stop_words",
            Reason::CallToAction => "call_to_action",
            Reason::LinkOrDomain => "link_or_domain",
            Reason::LetterCase => "letter_case",
            Reason::BoilerplateContext => "boilerplate_context",
            Reason::LineShape => "line_shape",
            Reason::BoilerplateWording => "boilerplate_wording",
            Reason::FrequentInSite => "frequent_in_site",
        }
    }

    pub fn summary(self) -> &'static str {
        match self {
            Reason::RepeatedInPage => "the same words appear on another line of the page",
            Reason::OtherLanguage => "the line is in another language than the page",
            Reason::FewStopWords => "few function words of the page's language: a label, not prose",
            Reason::CallToAction => {
                "a call to action, widget label or legal notice, or a credit, cross-link or metadata label"
            }
            Reason::LinkOrDomain => "a URL, domain name or e-mail address",
            Reason::LetterCase => "written in capitals",
            Reason::BoilerplateContext => {
                "away from the page's article: among menus, link lists and footers, or past the article's end"
            }
            Reason::LineShape => {
                "the shape of a menu item, date or button: short, unpunctuated, digits or symbols"
            }
            Reason::BoilerplateWording => {
                "worded like menus, widgets and footers (learned character n-grams)"
            }
            Reason::FrequentInSite => "on many pages of the same site: the site's template",
        }
    }

    /// The reason a feature's weight counts towards.
    fn of_feature(name: &str) -> Reason {
        match name {
            "log_repeats" => Reason::RepeatedInPage,
            "other_stop_ratio" | "other_minus_own" => Reason::OtherLanguage,
            "stop_ratio" | "no_stop_words" | "prose" => Reason::FewStopWords,
            "phrase_share" | "lead_in" => Reason::CallToAction,
            "ngram" => Reason::BoilerplateWording,
            "domain" => Reason::LinkOrDomain,
            "upper_ratio" => Reason::LetterCase,
            "prev_prose"
            | "next_prose"
            | "window_prose"
            | "log_body_distance"
            | "log_before_body"
            | "log_after_body"
            | "edge"
            | "in_main"
            | "log_main_distance"
            | "block_weight"
            | "main_share"
            | "in_region"
            | "log_region_distance"
            | "prev_ngram"
            | "next_ngram"
            | "prev_shape_ngram"
            | "next_shape_ngram"
            | "url_headline_offset"
            | "url_headline_progress" => Reason::BoilerplateContext,
            _ => Reason::LineShape,
        }
    }
}

type StoredTree = Vec<(i32, f64, u32, u32, f64)>;

#[derive(Debug, Deserialize)]
struct StoredForest {
    baseline: f64,
    trees: Vec<StoredTree>,
}

#[derive(Debug, Deserialize)]
struct StoredContext {
    features: Vec<String>,
    #[serde(flatten)]
    forest: StoredForest,
}

#[derive(Debug, Deserialize)]
struct Stored {
    features: Vec<String>,
    threshold: f64,
    /// The forest for pages whose wording is judged.
    #[serde(flatten)]
    judged: StoredForest,
    /// The forest for the others, its baseline shifted so that both score
    /// on one scale.
    unjudged: StoredForest,
    /// The forest over the first two's scores of a line, its neighbours and
    /// its page ([`crate::context`]).
    context: StoredContext,
}

/// A node of the flattened trees. Splits compare a line's *bin* of a
/// feature (how many of the feature's split thresholds lie below its value)
/// with the node's bin: `value <= threshold[k]` exactly when `bin <= k`, so
/// the walk compares small integers and the features are looked up once.
#[derive(Clone, Copy, Debug)]
struct Node {
    /// The feature split on, or `LEAF`.
    feature: u8,
    /// The reason the feature counts towards.
    reason: u8,
    bin: u16,
    left: u32,
    right: u32,
}

const LEAF: u8 = u8::MAX;

/// The trained classifier, embedded from `model/lines.json` (trained by
/// `tools/train_lines.py`): two forests of gradient-boosted trees over
/// [`FEATURES`], one for pages whose wording the n-gram model judges and
/// one, fitted without it, for the others; then the context forest, which
/// re-scores each line from their scores of it, of its neighbours and of
/// its page ([`CONTEXT_FEATURES`]) and a few of the line's own inputs
/// ([`CONTEXT_LINE_FEATURES`]).
#[derive(Debug)]
pub struct Model {
    judged: Forest,
    unjudged: Forest,
    context: Forest<CONTEXT_INPUTS>,
    /// The decision threshold chosen at training time, on the context
    /// forest's scores.
    pub threshold: f64,
}

/// Gradient-boosted trees turning a line's `N` features into the
/// probability that it is content.
#[derive(Debug)]
pub struct Forest<const N: usize = { FEATURES.len() }> {
    baseline: f64,
    /// All trees' nodes; each tree's root is in `roots`.
    nodes: Vec<Node>,
    /// The score each node stands for (the leaf's output at a leaf).
    values: Vec<f64>,
    roots: Vec<u32>,
    /// Per feature, the distinct thresholds its splits use, ascending.
    thresholds: Vec<Vec<f64>>,
}

/// One line's score and, when it scores below the threshold, the reason
/// weighing most against it.
#[derive(Clone, Copy, Debug)]
pub struct Scored {
    /// Probability that the line is content.
    pub score: f64,
    /// The first forest's probability, from the line's own signals: `score`
    /// is the context forest's, which also reads the lines around.
    pub line_score: f64,
    pub reason: Option<Reason>,
}

/// A line's features as bins of a forest's thresholds.
#[derive(Clone, Copy, Debug)]
pub struct Binned<const N: usize = { FEATURES.len() }>([u16; N]);

impl Model {
    pub fn embedded() -> Model {
        Model::from_json(EMBEDDED).expect("the embedded line model is valid")
    }

    pub fn from_json(json: &str) -> Result<Model, String> {
        let s: Stored = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if s.features
            .iter()
            .map(String::as_str)
            .ne(FEATURES.iter().copied())
        {
            return Err(format!(
                "model features {:?} are not {:?}",
                s.features, FEATURES
            ));
        }
        if s.context
            .features
            .iter()
            .map(String::as_str)
            .ne(CONTEXT_FEATURES
                .iter()
                .chain(&CONTEXT_LINE_FEATURES)
                .copied())
        {
            return Err(format!(
                "context features {:?} are not {:?} then {:?}",
                s.context.features, CONTEXT_FEATURES, CONTEXT_LINE_FEATURES
            ));
        }
        let line_reason = |f: usize| Reason::of_feature(FEATURES[f]);
        // The context forest removes a line for the lines around it.
        let context_reason = |_: usize| Reason::BoilerplateContext;
        Ok(Model {
            judged: Forest::new(&s.judged, line_reason)
                .map_err(|e| format!("judged forest: {e}"))?,
            unjudged: Forest::new(&s.unjudged, line_reason)
                .map_err(|e| format!("unjudged forest: {e}"))?,
            context: Forest::new(&s.context.forest, context_reason)
                .map_err(|e| format!("context forest: {e}"))?,
            threshold: s.threshold,
        })
    }

    /// The forest re-scoring lines in their page's context.
    pub fn context(&self) -> &Forest<CONTEXT_INPUTS> {
        &self.context
    }

    /// The forest for a page whose wording is judged or not.
    pub fn forest(&self, wording_judged: bool) -> &Forest {
        if wording_judged {
            &self.judged
        } else {
            &self.unjudged
        }
    }
}

impl<const N: usize> Forest<N> {
    fn new(s: &StoredForest, reason_of_feature: impl Fn(usize) -> Reason) -> Result<Self, String> {
        let mut thresholds: Vec<Vec<f64>> = vec![Vec::new(); N];
        if s.trees.is_empty() || !s.baseline.is_finite() {
            return Err("no trees or no baseline".into());
        }
        for (t, tree) in s.trees.iter().enumerate() {
            if tree.is_empty() {
                return Err(format!("tree {t} is empty"));
            }
            for (i, &(feature, threshold, left, right, _)) in tree.iter().enumerate() {
                if feature < 0 {
                    continue;
                }
                // Children point forward and inside the tree, so every walk ends.
                let ok = (feature as usize) < N
                    && left as usize > i
                    && right as usize > i
                    && (left as usize) < tree.len()
                    && (right as usize) < tree.len()
                    && threshold.is_finite();
                if !ok {
                    return Err(format!("tree {t}, node {i}: bad split"));
                }
                thresholds[feature as usize].push(threshold);
            }
        }
        for t in &mut thresholds {
            t.sort_by(f64::total_cmp);
            t.dedup();
            if t.len() > usize::from(u16::MAX) {
                return Err("too many thresholds for one feature".into());
            }
        }
        let reason_of = |f: usize| {
            let r = reason_of_feature(f);
            Reason::MODEL
                .iter()
                .position(|&x| x == r)
                .expect("known reason") as u8
        };
        let (mut nodes, mut values, mut roots) = (Vec::new(), Vec::new(), Vec::new());
        for tree in &s.trees {
            let base = nodes.len() as u32;
            roots.push(base);
            for &(feature, threshold, left, right, value) in tree {
                values.push(value);
                nodes.push(if feature < 0 {
                    Node {
                        feature: LEAF,
                        reason: 0,
                        bin: 0,
                        left: 0,
                        right: 0,
                    }
                } else {
                    let f = feature as usize;
                    let bin = thresholds[f].partition_point(|&x| x < threshold) as u16;
                    Node {
                        feature: f as u8,
                        reason: reason_of(f),
                        bin,
                        left: base + left,
                        right: base + right,
                    }
                });
            }
        }
        Ok(Forest {
            baseline: s.baseline,
            nodes,
            values,
            roots,
            thresholds,
        })
    }

    /// The bins of a line's features.
    pub fn bin(&self, features: &[f64; N]) -> Binned<N> {
        let mut bins = [0u16; N];
        for (f, b) in bins.iter_mut().enumerate() {
            *b = self.thresholds[f].partition_point(|&t| t < features[f]) as u16;
        }
        Binned(bins)
    }

    /// Scores lines and, for those below `threshold`, finds the reason
    /// weighing most against them: each split on a line's path moves its
    /// score by the change in node value, credited to the split's feature
    /// (Saabas's attribution for tree ensembles).
    ///
    /// The lines go through each tree together: their walks are independent,
    /// so the processor overlaps them instead of waiting on one path's loads.
    pub fn score_lines(&self, lines: &[Binned<N>], threshold: f64) -> Vec<Scored> {
        let n = lines.len();
        let mut z = vec![self.baseline; n];
        let mut moved = vec![[0.0f64; Reason::MODEL.len()]; n];
        for &root in &self.roots {
            for (k, bins) in lines.iter().enumerate() {
                let mut i = root as usize;
                loop {
                    let node = self.nodes[i];
                    if node.feature == LEAF {
                        break;
                    }
                    let next = if bins.0[usize::from(node.feature)] <= node.bin {
                        node.left
                    } else {
                        node.right
                    } as usize;
                    moved[k][usize::from(node.reason)] += self.values[next] - self.values[i];
                    i = next;
                }
                z[k] += self.values[i];
            }
        }
        z.iter()
            .zip(&moved)
            .map(|(&z, moved)| {
                let score = 1.0 / (1.0 + (-z).exp());
                let reason = (score < threshold).then(|| {
                    let worst = (0..moved.len())
                        .min_by(|&a, &b| moved[a].total_cmp(&moved[b]))
                        .expect("reasons");
                    Reason::MODEL[worst]
                });
                Scored {
                    score,
                    line_score: score,
                    reason,
                }
            })
            .collect()
    }

    /// The lines' scores alone, without the reasons' attribution.
    pub fn scores(&self, lines: &[Binned<N>]) -> Vec<f64> {
        let mut z = vec![self.baseline; lines.len()];
        for &root in &self.roots {
            for (k, bins) in lines.iter().enumerate() {
                let mut i = root as usize;
                while self.nodes[i].feature != LEAF {
                    let node = self.nodes[i];
                    i = if bins.0[usize::from(node.feature)] <= node.bin {
                        node.left
                    } else {
                        node.right
                    } as usize;
                }
                z[k] += self.values[i];
            }
        }
        z.into_iter().map(|z| 1.0 / (1.0 + (-z).exp())).collect()
    }

    /// The probability that one line is content.
    pub fn score(&self, bins: &Binned<N>) -> f64 {
        self.score_lines(std::slice::from_ref(bins), 0.0)[0].score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks the stored trees with plain float comparisons.
    fn direct<const N: usize>(s: &StoredForest, features: &[f64; N]) -> f64 {
        let mut z = s.baseline;
        for tree in &s.trees {
            let mut i = 0;
            while tree[i].0 >= 0 {
                let (f, t, l, r, _) = tree[i];
                i = if features[f as usize] <= t {
                    l as usize
                } else {
                    r as usize
                };
            }
            z += tree[i].4;
        }
        1.0 / (1.0 + (-z).exp())
    }

    #[test]
    fn binned_walk_equals_the_float_walk() {
        let m = Model::embedded();
        let s: Stored = serde_json::from_str(EMBEDDED).unwrap();
        for (forest, stored) in [(m.forest(true), &s.judged), (m.forest(false), &s.unjudged)] {
            // Every threshold itself, just below and just above, per feature.
            let mut probes: Vec<[f64; FEATURES.len()]> = Vec::new();
            for (k, tree) in stored.trees.iter().enumerate().take(40) {
                for &(f, t, ..) in tree.iter().filter(|n| n.0 >= 0) {
                    for x in [t, t - 1e-9, t + 1e-9] {
                        let mut v = [0.0; FEATURES.len()];
                        for (j, slot) in v.iter_mut().enumerate() {
                            *slot = ((j * 7 + k) % 5) as f64 * 0.25;
                        }
                        v[f as usize] = x;
                        probes.push(v);
                    }
                }
            }
            assert!(probes.len() > 100);
            let bins: Vec<_> = probes.iter().map(|p| forest.bin(p)).collect();
            for ((p, bins), fast) in probes.iter().zip(&bins).zip(forest.scores(&bins)) {
                let a = forest.score(bins);
                let b = direct(stored, p);
                assert!((a - b).abs() < 1e-12, "{a} vs {b}");
                assert_eq!(a, fast);
            }
        }
    }

    #[test]
    fn the_forests_differ_in_the_wording_and_shape_features() {
        // The unjudged forest never sees a wording score and splits on the
        // shape score; the judged one the other way round.
        let s: Stored = serde_json::from_str(EMBEDDED).unwrap();
        let of = |names: [&str; 3]| -> Vec<i32> {
            names
                .iter()
                .map(|n| FEATURES.iter().position(|f| f == n).unwrap() as i32)
                .collect()
        };
        let wording = of(["ngram", "prev_ngram", "next_ngram"]);
        let shape = of(["shape_ngram", "prev_shape_ngram", "next_shape_ngram"]);
        let splits = |f: &StoredForest, on: &[i32]| {
            f.trees
                .iter()
                .flatten()
                .filter(|n| on.contains(&n.0))
                .count()
        };
        assert_eq!(splits(&s.unjudged, &wording), 0);
        assert!(splits(&s.judged, &wording) > 10);
        assert_eq!(splits(&s.judged, &shape), 0);
        assert!(splits(&s.unjudged, &shape) > 10);
    }
}
