//! The line classifier: logistic regression over [`FEATURES`], trained by
//! `tools/train_lines.py` on part of the development set (split by site)
//! and stored in `model/lines.json`.

use serde::Deserialize;

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
    /// Among lines that are not running text (menus, link lists, footers).
    BoilerplateContext,
    /// Short, unpunctuated, digits or symbols: the shape of a menu item, a
    /// date or a button.
    LineShape,
}

impl Reason {
    pub const ALL: [Reason; 8] = [
        Reason::RepeatedInPage,
        Reason::OtherLanguage,
        Reason::FewStopWords,
        Reason::CallToAction,
        Reason::LinkOrDomain,
        Reason::LetterCase,
        Reason::BoilerplateContext,
        Reason::LineShape,
    ];

    /// The check name, the second half of the reason code.
    pub fn check(self) -> &'static str {
        match self {
            Reason::RepeatedInPage => "repeated_in_page",
            Reason::OtherLanguage => "other_language",
            Reason::FewStopWords => "few_stop_words",
            Reason::CallToAction => "call_to_action",
            Reason::LinkOrDomain => "link_or_domain",
            Reason::LetterCase => "letter_case",
            Reason::BoilerplateContext => "boilerplate_context",
            Reason::LineShape => "line_shape",
        }
    }

    pub fn summary(self) -> &'static str {
        match self {
            Reason::RepeatedInPage => "the same words appear on another line of the page",
            Reason::OtherLanguage => "the line is in another language than the page",
            Reason::FewStopWords => "few function words of the page's language: a label, not prose",
            Reason::CallToAction => "a call to action, widget label or legal notice",
            Reason::LinkOrDomain => "a URL, domain name or e-mail address",
            Reason::LetterCase => "written in capitals",
            Reason::BoilerplateContext => {
                "among lines that are not running text (menus, link lists, footers)"
            }
            Reason::LineShape => {
                "the shape of a menu item, date or button: short, unpunctuated, digits or symbols"
            }
        }
    }

    /// The reason a feature's weight counts towards.
    fn of_feature(name: &str) -> Reason {
        match name {
            "log_repeats" => Reason::RepeatedInPage,
            "other_stop_ratio" | "other_minus_own" => Reason::OtherLanguage,
            "stop_ratio" | "no_stop_words" | "prose" => Reason::FewStopWords,
            "phrase_share" => Reason::CallToAction,
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
            | "log_region_distance" => Reason::BoilerplateContext,
            _ => Reason::LineShape,
        }
    }
}

#[derive(Debug, Deserialize)]
struct Stored {
    features: Vec<String>,
    baseline: f64,
    threshold: f64,
    trees: Vec<Vec<(i32, f64, u32, u32, f64)>>,
}

/// One tree node: a split on a feature, or a leaf.
#[derive(Clone, Copy, Debug)]
struct Node {
    /// The feature split on; `None` at a leaf.
    feature: Option<usize>,
    /// Lines with the feature at most this go left.
    threshold: f64,
    left: u32,
    right: u32,
    /// The score this node stands for (the leaf's output at a leaf).
    value: f64,
}

/// The trained classifier: gradient-boosted trees over [`FEATURES`], trained
/// by `tools/train_lines.py` and embedded from `model/lines.json`.
#[derive(Debug)]
pub struct Model {
    baseline: f64,
    trees: Vec<Vec<Node>>,
    /// The decision threshold chosen at training time.
    pub threshold: f64,
    reasons: [usize; FEATURES.len()],
}

/// One line's score and the reason weighing most against it.
#[derive(Clone, Copy, Debug)]
pub struct Scored {
    /// Probability that the line is content.
    pub score: f64,
    pub reason: Reason,
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
        let mut trees = Vec::with_capacity(s.trees.len());
        for (t, stored) in s.trees.iter().enumerate() {
            let len = stored.len() as u32;
            let nodes: Vec<Node> = stored
                .iter()
                .map(|&(feature, threshold, left, right, value)| Node {
                    feature: usize::try_from(feature).ok(),
                    threshold,
                    left,
                    right,
                    value,
                })
                .collect();
            // Children point forward and inside the tree, so every walk ends.
            for (i, n) in nodes.iter().enumerate() {
                if let Some(f) = n.feature {
                    let ok = f < FEATURES.len()
                        && n.left as usize > i
                        && n.right as usize > i
                        && n.left < len
                        && n.right < len;
                    if !ok {
                        return Err(format!("tree {t}, node {i}: bad split"));
                    }
                }
            }
            if nodes.is_empty() {
                return Err(format!("tree {t} is empty"));
            }
            trees.push(nodes);
        }
        let reasons = FEATURES.map(|f| {
            let r = Reason::of_feature(f);
            Reason::ALL
                .iter()
                .position(|&x| x == r)
                .expect("known reason")
        });
        Ok(Model {
            baseline: s.baseline,
            trees,
            threshold: s.threshold,
            reasons,
        })
    }

    /// Scores a line and attributes its score to reasons: each split on its
    /// path moves the score by the change in node value, credited to the
    /// split's feature (Saabas's attribution for tree ensembles).
    pub fn score(&self, features: &[f64; FEATURES.len()]) -> Scored {
        let mut z = self.baseline;
        let mut moved = [0.0f64; Reason::ALL.len()];
        for tree in &self.trees {
            let mut node = &tree[0];
            while let Some(f) = node.feature {
                let next = if features[f] <= node.threshold {
                    node.left
                } else {
                    node.right
                };
                let child = &tree[next as usize];
                moved[self.reasons[f]] += child.value - node.value;
                node = child;
            }
            z += node.value;
        }
        let worst = (0..moved.len())
            .min_by(|&a, &b| moved[a].total_cmp(&moved[b]))
            .expect("reasons");
        Scored {
            score: 1.0 / (1.0 + (-z).exp()),
            reason: Reason::ALL[worst],
        }
    }
}
