#![doc = include_str!("docs/refinedweb_lines.md")]

use serde::{Deserialize, Serialize};
use tapis_document::{ReasonCode, Span};

use crate::py::{split_lines, split_whitespace, strip};
use crate::{CheckInfo, DocView, Rule, RuleInfo, RuleOutcome, drop_reason};

pub static INFO: RuleInfo = RuleInfo {
    id: "refinedweb_lines",
    title: "RefinedWeb line corrections: remove lines that are not text",
    doc: include_str!("docs/refinedweb_lines.md"),
    checks: &[
        CheckInfo {
            check: "numeric",
            summary: "line removed: only digits, punctuation and symbols",
            datatrove: None,
        },
        CheckInfo {
            check: "counter",
            summary: "line removed: a number and at most two words, such as '3 Shares'",
            datatrove: None,
        },
        CheckInfo {
            check: "uppercase",
            summary: "line removed: more than max_uppercase_ratio of its cased letters are capitals",
            datatrove: None,
        },
        CheckInfo {
            check: "one_word",
            summary: "line removed: a single word",
            datatrove: None,
        },
        CheckInfo {
            check: "too_many_removed",
            summary: "document dropped: removed lines held over max_removed_words_ratio of its words",
            datatrove: None,
        },
    ],
};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Share of capitals among cased letters above which a line is shouting.
    pub max_uppercase_ratio: f64,
    /// Share of the document's words the removed lines may hold (0 = never drop).
    pub max_removed_words_ratio: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_uppercase_ratio: 0.5,
            max_removed_words_ratio: 0.05,
        }
    }
}

/// A number as counters write it: `12`, `1,204`, `3.5K`, `2M`, `+15`.
fn is_count(token: &str) -> bool {
    let t = token.trim_start_matches('+');
    let t = t.strip_suffix(['K', 'k', 'M', 'm']).unwrap_or(t);
    t.chars().next().is_some_and(|c| c.is_numeric())
        && t.chars()
            .all(|c| c.is_numeric() || c == ',' || c == '.' || c == '\u{a0}')
}

/// The check a line fails, if any. `line` is stripped and not empty.
pub fn line_check(line: &str, s: &Settings) -> Option<&'static str> {
    let mut has_digit = false;
    let mut all_numeric = true;
    let (mut upper, mut cased) = (0usize, 0usize);
    for c in line.chars() {
        if c.is_numeric() {
            has_digit = true;
        } else if c.is_alphabetic() {
            all_numeric = false;
        }
        // Only scripts with case can shout.
        if c.is_uppercase() {
            upper += 1;
            cased += 1;
        } else if c.is_lowercase() {
            cased += 1;
        }
    }
    if has_digit && all_numeric {
        return Some("numeric");
    }
    let tokens: Vec<&str> = split_whitespace(line).collect();
    if (2..=3).contains(&tokens.len()) {
        let numbers = tokens.iter().filter(|t| is_count(t)).count();
        let ends_number = is_count(tokens[0]) || is_count(tokens[tokens.len() - 1]);
        let words_are_words = tokens
            .iter()
            .filter(|t| !is_count(t))
            .all(|t| t.chars().all(|c| c.is_alphabetic() || c == '-'));
        if numbers == 1 && ends_number && words_are_words {
            return Some("counter");
        }
    }
    if cased >= 2 && upper as f64 > s.max_uppercase_ratio * cased as f64 {
        return Some("uppercase");
    }
    let mut words = Vec::new();
    tapis_text::unicode_words(line, &mut words);
    if words.len() == 1 && tokens.len() == 1 {
        return Some("one_word");
    }
    None
}

rule_type!(RefinedWebLines);

impl Rule for RefinedWebLines {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn apply(&self, view: &DocView) -> RuleOutcome {
        let s = self.settings.get(view.language());
        let text = view.text();
        let mut out = RuleOutcome::default();
        let (mut words, mut removed_words) = (0usize, 0usize);
        for (a, b, c) in split_lines(text) {
            let line = strip(&text[a..b]);
            if line.is_empty() {
                continue;
            }
            let n = split_whitespace(line).count();
            words += n;
            if let Some(check) = line_check(line, s) {
                removed_words += n;
                out.removals.push((Span::new(a, c), INFO.code(check)));
            }
        }
        let ratio = if words == 0 {
            0.0
        } else {
            removed_words as f64 / words as f64
        };
        out.figure(text.len(), "refinedweb_lines.removed_words_ratio", ratio);
        if s.max_removed_words_ratio != 0.0 && ratio > s.max_removed_words_ratio {
            let code: ReasonCode = INFO.code("too_many_removed");
            out.drop = Some(drop_reason(
                code,
                ("removed_words_ratio", ratio),
                s.max_removed_words_ratio,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_check_in_several_languages() {
        let s = Settings::default();
        let cases = [
            ("127", Some("numeric")),
            ("12.03.2024 – 14:30", Some("numeric")),
            ("3 Shares", Some("counter")),
            ("1,2K views", Some("counter")),
            ("12 комментариев", Some("counter")),
            ("Kommentare 4", Some("counter")),
            ("SHARE THIS ARTICLE", Some("uppercase")),
            ("JANGAN MENDENGAR DIRI KITA SENDIRI", Some("uppercase")),
            ("Impressum", Some("one_word")),
            ("The council met on 3 May.", None),
            ("NASA and the EU signed a deal on Monday.", None),
            ("今天天气很好，我们去公园散步。", None),
            ("Die Stadt plant 3 neue Schulen.", None),
        ];
        for (line, want) in cases {
            assert_eq!(line_check(line, &s), want, "{line}");
        }
    }
}
