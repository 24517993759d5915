#![doc = include_str!("docs/fineweb_quality.md")]

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::py::{char_len, is_terminal_punctuation, strip};
use crate::{CheckInfo, DocView, Rule, RuleInfo, RuleOutcome, drop_reason};

pub static INFO: RuleInfo = RuleInfo {
    id: "fineweb_quality",
    title: "FineWeb quality: drop pages made of short, unpunctuated or repeated lines",
    doc: include_str!("docs/fineweb_quality.md"),
    checks: &[
        CheckInfo {
            check: "empty",
            summary: "no non-blank line",
            datatrove: Some("empty"),
        },
        CheckInfo {
            check: "line_punct_ratio",
            summary: "share of lines ending in terminal punctuation under line_punct_thr",
            datatrove: Some("line_punct_ratio"),
        },
        CheckInfo {
            check: "short_line_ratio",
            summary: "share of lines of at most short_line_length characters over short_line_thr",
            datatrove: Some("short_line_ratio"),
        },
        CheckInfo {
            check: "char_dup_ratio",
            summary: "share of characters in repeated lines over char_duplicates_ratio",
            datatrove: Some("char_dup_ratio"),
        },
        CheckInfo {
            check: "list_ratio",
            summary: "line breaks per word over new_line_ratio",
            datatrove: Some("list_ratio"),
        },
    ],
};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub line_punct_thr: f64,
    /// Do not drop documents where no line at all ends in punctuation.
    pub line_punct_exclude_zero: bool,
    pub short_line_thr: f64,
    pub short_line_length: usize,
    pub char_duplicates_ratio: f64,
    pub new_line_ratio: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            line_punct_thr: 0.12,
            line_punct_exclude_zero: false,
            short_line_thr: 0.67,
            short_line_length: 30,
            char_duplicates_ratio: 0.01,
            new_line_ratio: 0.3,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub lines: usize,
    pub line_punct_ratio: f64,
    pub short_line_ratio: f64,
    pub char_dup_ratio: f64,
    pub new_line_ratio: f64,
}

/// Lines are split on `\n` only, and blank lines ignored, as datatrove does.
pub fn measure(text: &str, words: usize, short_line_length: usize) -> Figures {
    let lines: Vec<&str> = text.split('\n').filter(|l| !strip(l).is_empty()).collect();
    if lines.is_empty() {
        return Figures::default();
    }
    let n = lines.len() as f64;
    let punct = lines
        .iter()
        .filter(|l| l.chars().next_back().is_some_and(is_terminal_punctuation))
        .count();
    let short = lines
        .iter()
        .filter(|l| char_len(l) <= short_line_length)
        .count();
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let dup_chars: usize = lines
        .iter()
        .filter(|l| !seen.insert(l))
        .map(|l| char_len(l))
        .sum();
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let chars_without_newlines = char_len(text) - newlines;
    Figures {
        lines: lines.len(),
        line_punct_ratio: punct as f64 / n,
        short_line_ratio: short as f64 / n,
        char_dup_ratio: if chars_without_newlines == 0 {
            0.0
        } else {
            dup_chars as f64 / chars_without_newlines as f64
        },
        new_line_ratio: if words == 0 {
            f64::INFINITY
        } else {
            newlines as f64 / words as f64
        },
    }
}

pub fn judge(f: &Figures, s: &Settings) -> Option<(&'static str, (&'static str, f64), f64)> {
    if f.lines == 0 {
        return Some(("empty", ("lines", 0.0), 0.0));
    }
    if f.line_punct_ratio < s.line_punct_thr
        && !(f.line_punct_ratio == 0.0 && s.line_punct_exclude_zero)
    {
        let m = ("line_punct_ratio", f.line_punct_ratio);
        return Some(("line_punct_ratio", m, s.line_punct_thr));
    }
    if f.short_line_ratio > s.short_line_thr {
        let m = ("short_line_ratio", f.short_line_ratio);
        return Some(("short_line_ratio", m, s.short_line_thr));
    }
    if f.char_dup_ratio > s.char_duplicates_ratio {
        let m = ("char_dup_ratio", f.char_dup_ratio);
        return Some(("char_dup_ratio", m, s.char_duplicates_ratio));
    }
    if f.new_line_ratio > s.new_line_ratio {
        return Some((
            "list_ratio",
            ("new_line_ratio", f.new_line_ratio),
            s.new_line_ratio,
        ));
    }
    None
}

rule_type!(FineWebQuality);

impl Rule for FineWebQuality {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn apply(&self, view: &DocView) -> RuleOutcome {
        let s = self.settings.get(view.language());
        let text = view.text();
        // Words are only needed for the last test: skip tokenizing when an
        // earlier one already decides.
        let mut f = measure(text, 1, s.short_line_length);
        let early = judge(&f, s).filter(|(c, _, _)| *c != "list_ratio");
        if early.is_none() {
            f = measure(text, view.word_count(), s.short_line_length);
        }
        let mut out = RuleOutcome::default();
        let n = text.len();
        out.figure(n, "fineweb_quality.line_punct_ratio", f.line_punct_ratio);
        out.figure(n, "fineweb_quality.short_line_ratio", f.short_line_ratio);
        out.figure(n, "fineweb_quality.char_dup_ratio", f.char_dup_ratio);
        if early.is_none() {
            out.figure(n, "fineweb_quality.new_line_ratio", f.new_line_ratio);
        }
        if let Some((check, measured, limit)) = early.or_else(|| judge(&f, s)) {
            out.drop = Some(drop_reason(INFO.code(check), measured, limit));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_of(text: &str) -> Option<&'static str> {
        let words = text.split_whitespace().count();
        judge(&measure(text, words, 30), &Settings::default()).map(|(c, _, _)| c)
    }

    #[test]
    fn prose_passes_and_each_kind_of_page_fails_its_check() {
        let prose = "The new bridge opened to traffic on Saturday morning after two years of work.\n\
            Engineers said it can carry twice the load of the old one, which will be taken down.\n\
            Cyclists get a separate lane on the eastern side.";
        assert_eq!(check_of(prose), None);
        assert_eq!(check_of("\n  \n"), Some("empty"));
        let menu =
            "Home\nNews\nSport\nWeather\nContact us\nAbout the paper\nArchive\nOne sentence.";
        assert_eq!(check_of(menu), Some("short_line_ratio"));
        let no_punct = "A headline that has no full stop at all in it\n".repeat(10);
        assert_eq!(check_of(&no_punct), Some("line_punct_ratio"));
        let repeated =
            format!("{prose}\nSubscribe to our newsletter for the latest news.\n{prose}");
        assert_eq!(check_of(&repeated), Some("char_dup_ratio"));
        // Chinese full stop counts as terminal punctuation.
        let chinese =
            "今天天气很好，我们一家人去公园散步，看见很多老人和孩子在那里锻炼身体、下棋和聊天。";
        assert_eq!(check_of(chinese), None);
    }
}
