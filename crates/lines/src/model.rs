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

/// A split of the complete trees (see [`Forest`]). It compares a line's
/// *bin* of a feature (how many of the feature's split thresholds lie below
/// its value) with its own: `value <= threshold[k]` exactly when `bin <= k`,
/// so the walk compares small integers and the features are looked up once.
#[derive(Clone, Copy, Debug)]
struct Split {
    feature: u8,
    /// The reason the feature counts towards.
    reason: u8,
    /// Lines whose bin is above it go right.
    bin: u16,
}

impl Split {
    /// Where a line goes from this split at heap position `pos`: the left
    /// child, or the right one when its bin is above the split's.
    #[inline]
    fn child<const N: usize>(self, pos: usize, bins: &Binned<N>) -> usize {
        2 * pos + 1 + usize::from(bins.0[usize::from(self.feature)] > self.bin)
    }
}

/// A split that sends every line left: it pads a leaf standing above its
/// tree's depth.
const PAD: Split = Split {
    feature: 0,
    reason: 0,
    bin: u16::MAX,
};

/// The deepest tree a model may hold: each is stored complete, 2^depth
/// leaves (trained trees have 8 leaves, so at most 7 levels).
const MAX_DEPTH: u32 = 12;

/// Where one complete tree lies in a [`Forest`]'s arrays.
#[derive(Clone, Copy, Debug)]
struct Tree {
    depth: u32,
    /// Its first split in `splits` and `split_values`.
    splits: usize,
    /// Its first leaf in `leaves`.
    leaves: usize,
}

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
///
/// Each tree is stored complete to its depth, in heap order (a split's
/// children at 2i + 1 and 2i + 2), a leaf above the depth padded by splits
/// that send every line left to copies of it. Every walk through a tree then
/// takes the same number of steps and ends without a branch the processor
/// must guess per line. The walks were a quarter of line cleaning's time;
/// stored so, the whole pass took 7% less.
#[derive(Debug)]
pub struct Forest<const N: usize = { FEATURES.len() }> {
    baseline: f64,
    trees: Vec<Tree>,
    splits: Vec<Split>,
    /// The score each split stands for, for the reasons' attribution.
    split_values: Vec<f64>,
    leaves: Vec<f64>,
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

/// The levels of splits on the tree's longest path (0 for a lone leaf).
/// Children lie after their parent (checked before), so one backward pass
/// sees each child's depth before its parent's.
fn depth_of(tree: &StoredTree) -> u32 {
    let mut depth = vec![0u32; tree.len()];
    for (i, &(feature, _, left, right, _)) in tree.iter().enumerate().rev() {
        if feature >= 0 {
            depth[i] = 1 + depth[left as usize].max(depth[right as usize]);
        }
    }
    depth[0]
}

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
        let mut forest = Forest {
            baseline: s.baseline,
            trees: Vec::with_capacity(s.trees.len()),
            splits: Vec::new(),
            split_values: Vec::new(),
            leaves: Vec::new(),
            thresholds,
        };
        for (t, tree) in s.trees.iter().enumerate() {
            let depth = depth_of(tree);
            if depth > MAX_DEPTH {
                return Err(format!(
                    "tree {t} is {depth} levels deep, more than {MAX_DEPTH}"
                ));
            }
            let at = Tree {
                depth,
                splits: forest.splits.len(),
                leaves: forest.leaves.len(),
            };
            let inner = (1usize << depth) - 1;
            forest.splits.resize(at.splits + inner, PAD);
            forest.split_values.resize(at.splits + inner, 0.0);
            forest.leaves.resize(at.leaves + inner + 1, 0.0);
            forest.fill(tree, at, 0, 0, &reason_of);
            forest.trees.push(at);
        }
        Ok(forest)
    }

    /// Stores the subtree of `tree` under its node `node` at heap position
    /// `pos` of the complete tree `at`.
    fn fill(
        &mut self,
        tree: &StoredTree,
        at: Tree,
        node: usize,
        pos: usize,
        reason_of: &impl Fn(usize) -> u8,
    ) {
        let inner = (1usize << at.depth) - 1;
        let (feature, threshold, left, right, value) = tree[node];
        if pos >= inner {
            self.leaves[at.leaves + pos - inner] = value;
            return;
        }
        self.split_values[at.splits + pos] = value;
        if feature < 0 {
            // A leaf above the depth: every line goes left, to its copies,
            // and the padding moves no score.
            self.splits[at.splits + pos] = PAD;
            self.fill(tree, at, node, 2 * pos + 1, reason_of);
            self.fill(tree, at, node, 2 * pos + 2, reason_of);
        } else {
            let f = feature as usize;
            self.splits[at.splits + pos] = Split {
                feature: f as u8,
                reason: reason_of(f),
                bin: self.thresholds[f].partition_point(|&x| x < threshold) as u16,
            };
            self.fill(tree, at, left as usize, 2 * pos + 1, reason_of);
            self.fill(tree, at, right as usize, 2 * pos + 2, reason_of);
        }
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
        for tree in &self.trees {
            let inner = (1usize << tree.depth) - 1;
            let splits = &self.splits[tree.splits..tree.splits + inner];
            let values = &self.split_values[tree.splits..tree.splits + inner];
            let leaves = &self.leaves[tree.leaves..tree.leaves + inner + 1];
            let value = |pos: usize| {
                if pos < inner {
                    values[pos]
                } else {
                    leaves[pos - inner]
                }
            };
            for ((z, moved), bins) in z.iter_mut().zip(&mut moved).zip(lines) {
                let (mut pos, mut at) = (0, value(0));
                for _ in 0..tree.depth {
                    let split = splits[pos];
                    pos = split.child(pos, bins);
                    let next = value(pos);
                    moved[usize::from(split.reason)] += next - at;
                    at = next;
                }
                *z += at;
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
        for tree in &self.trees {
            let inner = (1usize << tree.depth) - 1;
            let splits = &self.splits[tree.splits..tree.splits + inner];
            let leaves = &self.leaves[tree.leaves..tree.leaves + inner + 1];
            for (z, bins) in z.iter_mut().zip(lines) {
                let mut pos = 0;
                for _ in 0..tree.depth {
                    pos = splits[pos].child(pos, bins);
                }
                *z += leaves[pos - inner];
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
    fn trees_of_any_shape_walk_as_stored() {
        // A lone leaf; a tree whose left child is a leaf and whose right
        // goes three levels down; a split on the second feature.
        let json = r#"{"baseline": 0.25, "trees": [
            [[-1, 0.0, 0, 0, 0.5]],
            [[0, 1.5, 1, 2, 0.1], [-1, 0.0, 0, 0, -0.75],
             [1, 0.5, 3, 4, 0.2], [-1, 0.0, 0, 0, 0.3],
             [0, 3.0, 5, 6, 0.4], [-1, 0.0, 0, 0, 1.25], [-1, 0.0, 0, 0, -2.0]],
            [[1, -1.0, 1, 2, 0.0], [-1, 0.0, 0, 0, 0.125], [-1, 0.0, 0, 0, -0.125]]
        ]}"#;
        let stored: StoredForest = serde_json::from_str(json).unwrap();
        let forest = Forest::<2>::new(&stored, |_| Reason::LineShape).unwrap();
        let mut probes = Vec::new();
        for a in [0.0, 1.5, 1.6, 3.0, 3.5] {
            for b in [-2.0, -1.0, 0.5, 0.6] {
                probes.push([a, b]);
            }
        }
        let bins: Vec<_> = probes.iter().map(|p| forest.bin(p)).collect();
        let fast = forest.scores(&bins);
        let scored = forest.score_lines(&bins, 1.0);
        for ((p, fast), scored) in probes.iter().zip(fast).zip(scored) {
            let want = direct(&stored, p);
            assert!(
                (scored.score - want).abs() < 1e-12,
                "{p:?}: {} vs {want}",
                scored.score
            );
            assert_eq!(scored.score, fast);
            // Every split counts for one reason: it weighs most against a
            // line its splits moved down, from the roots' values (0.5 +
            // 0.1 + 0.0 above the baseline) to the leaves'.
            let z = (want / (1.0 - want)).ln();
            let moved = z - 0.25 - 0.6;
            let worst = if moved < 0.0 {
                Reason::LineShape
            } else {
                Reason::MODEL[0]
            };
            assert_eq!(scored.reason, Some(worst), "{p:?}");
        }
    }

    #[test]
    fn a_tree_too_deep_to_store_complete_is_refused() {
        // A chain of splits: node 2i splits to leaf 2i + 1 and to the next
        // split, 2i + 2; the last goes to two leaves.
        let depth = MAX_DEPTH as usize + 1;
        let mut tree = Vec::new();
        for i in 0..depth {
            tree.push((0, i as f64, (2 * i + 1) as u32, (2 * i + 2) as u32, 0.0));
            tree.push((-1, 0.0, 0, 0, 0.1));
        }
        tree.push((-1, 0.0, 0, 0, 0.2));
        let stored = StoredForest {
            baseline: 0.0,
            trees: vec![tree],
        };
        let err = Forest::<1>::new(&stored, |_| Reason::LineShape).unwrap_err();
        assert!(err.contains("levels deep"), "{err}");
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
