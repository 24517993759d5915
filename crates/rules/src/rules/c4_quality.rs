#![doc = include_str!("docs/c4_quality.md")]

use serde::{Deserialize, Serialize};
use tapis_document::{ReasonCode, Span};

use crate::py::{char_len, is_space, split_lines, split_whitespace};
use crate::{CheckInfo, DocView, Rule, RuleInfo, RuleOutcome, drop_reason};

pub static INFO: RuleInfo = RuleInfo {
    id: "c4_quality",
    title: "C4 quality: keep lines that look like sentences, drop pages with too few",
    doc: include_str!("docs/c4_quality.md"),
    checks: &[
        CheckInfo {
            check: "too_long_word",
            summary: "line removed: a word longer than max_word_length",
            datatrove: None,
        },
        CheckInfo {
            check: "no_terminal_punct",
            summary: "line removed: does not end in . ? ! \" ' or ends in ...",
            datatrove: None,
        },
        CheckInfo {
            check: "too_few_words",
            summary: "line removed: fewer words than min_words_per_line",
            datatrove: None,
        },
        CheckInfo {
            check: "javascript",
            summary: "line removed: mentions javascript",
            datatrove: None,
        },
        CheckInfo {
            check: "policy",
            summary: "line removed: names a cookie, privacy or terms-of-use policy",
            datatrove: None,
        },
        CheckInfo {
            check: "citation",
            summary: "span removed: a citation mark such as [1] or [edit]",
            datatrove: None,
        },
        CheckInfo {
            check: "whitespace",
            summary: "span removed: blank line or white space around a line (not listed)",
            datatrove: None,
        },
        CheckInfo {
            check: "lorem_ipsum",
            summary: "document dropped: a kept line contains lorem ipsum",
            datatrove: Some("lorem_ipsum"),
        },
        CheckInfo {
            check: "curly_bracket",
            summary: "document dropped: a kept line contains {",
            datatrove: Some("curly_bracket"),
        },
        CheckInfo {
            check: "too_few_sentences",
            summary: "document dropped: kept lines hold fewer than min_num_sentences sentences",
            datatrove: Some("too_few_sentences"),
        },
    ],
};

/// Phrases that mark a line as policy boilerplate (matched lower-cased).
pub const POLICY_SUBSTRINGS: [&str; 6] = [
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
];

/// Settings; for the counts, -1 turns a test off (as in datatrove).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub remove_citations: bool,
    pub filter_no_terminal_punct: bool,
    pub min_num_sentences: i64,
    pub min_words_per_line: i64,
    pub max_word_length: i64,
    pub filter_lorem_ipsum: bool,
    pub filter_javascript: bool,
    pub filter_curly_bracket: bool,
    pub filter_policy: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            remove_citations: true,
            filter_no_terminal_punct: true,
            min_num_sentences: 5,
            min_words_per_line: 3,
            max_word_length: 1000,
            filter_lorem_ipsum: true,
            filter_javascript: true,
            filter_curly_bracket: true,
            filter_policy: true,
        }
    }
}

/// Byte spans of `[123]`, `[]`, `[edit]` and `[citation needed]` in `line`,
/// left to right and non-overlapping, as `re.sub` finds them.
fn citations(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(off) = memchr::memchr(b'[', &line.as_bytes()[from..]) {
        let at = from + off;
        let rest = &line[at + 1..];
        let digits = rest
            .char_indices()
            .find(|&(_, c)| !is_decimal_digit(c))
            .map_or(rest.len(), |(i, _)| i);
        let end = if rest[digits..].starts_with(']') {
            Some(at + 1 + digits + 1)
        } else if rest.starts_with("edit]") {
            Some(at + 6)
        } else if rest.starts_with("citation needed]") {
            Some(at + 17)
        } else {
            None
        };
        match end {
            Some(end) => {
                out.push((at, end));
                from = end;
            }
            None => from = at + 1,
        }
    }
    out
}

/// Python's `\d` on `str`: Unicode decimal digits (category Nd).
fn is_decimal_digit(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    c.is_ascii_digit() || (!c.is_ascii() && c.general_category() == GeneralCategory::DecimalNumber)
}

/// The result of looking at every line.
#[derive(Debug, Default)]
struct LineScan {
    removals: Vec<(Span, &'static str)>,
    kept_lines: usize,
    sentences: usize,
    /// False when counting stopped at `min_num_sentences` (`sentences` is then a lower bound).
    sentences_counted_to_end: bool,
    dropped: Option<&'static str>,
}

fn scan(view: &DocView, s: &Settings) -> LineScan {
    let text = view.text();
    let mut out = LineScan {
        sentences_counted_to_end: true,
        ..LineScan::default()
    };
    let mut last_kept_terminator: Option<Span> = None;
    let mut cleaned = String::new();
    for (a, b, c) in split_lines(text) {
        let content = &text[a..b];
        let sa = a + (content.len() - content.trim_start_matches(is_space).len());
        let sb = sa + content[sa - a..].trim_end_matches(is_space).len();
        let stripped = &text[sa..sb];
        let whole = Span::new(a, c);
        if stripped.is_empty() {
            out.removals.push((whole, "whitespace"));
            continue;
        }
        let mut words = split_whitespace(stripped);
        if s.max_word_length != -1 && words.any(|w| char_len(w) as i64 > s.max_word_length) {
            out.removals.push((whole, "too_long_word"));
            continue;
        }
        let cites = if s.remove_citations {
            citations(stripped)
        } else {
            Vec::new()
        };
        cleaned.clear();
        let mut at = 0;
        for &(x, y) in &cites {
            cleaned.push_str(&stripped[at..x]);
            at = y;
        }
        cleaned.push_str(&stripped[at..]);
        if s.filter_no_terminal_punct
            && (!cleaned.ends_with(['.', '?', '!', '"', '\'']) || cleaned.ends_with("..."))
        {
            out.removals.push((whole, "no_terminal_punct"));
            continue;
        }
        if (split_whitespace(stripped).count() as i64) < s.min_words_per_line {
            out.removals.push((whole, "too_few_words"));
            continue;
        }
        let lower = cleaned.to_lowercase();
        if s.filter_lorem_ipsum && lower.contains("lorem ipsum") {
            out.dropped = Some("lorem_ipsum");
            return out;
        }
        if s.filter_javascript && lower.contains("javascript") {
            out.removals.push((whole, "javascript"));
            continue;
        }
        if s.filter_curly_bracket && cleaned.contains('{') {
            out.dropped = Some("curly_bracket");
            return out;
        }
        if s.filter_policy && POLICY_SUBSTRINGS.iter().any(|p| lower.contains(p)) {
            out.removals.push((whole, "policy"));
            continue;
        }
        // Counting sentences tokenizes the line; once the page has enough of them, the count
        // can only confirm the decision, so it goes on only when every figure is asked for.
        if s.min_num_sentences != -1 {
            if view.measure_all() || (out.sentences as i64) < s.min_num_sentences {
                out.sentences += view.tokenizer().sentence_count(&cleaned);
            } else {
                out.sentences_counted_to_end = false;
            }
        }
        out.kept_lines += 1;
        // The kept line, stripped and without citations, followed by "\n".
        if sa > a {
            out.removals.push((Span::new(a, sa), "whitespace"));
        }
        for &(x, y) in &cites {
            out.removals.push((Span::new(sa + x, sa + y), "citation"));
        }
        if sb < b {
            out.removals.push((Span::new(sb, b), "whitespace"));
        }
        // Lines are joined with "\n": a "\r\n" terminator loses its "\r".
        let terminator = &text[b..c];
        if terminator == "\r\n" {
            out.removals.push((Span::new(b, b + 1), "whitespace"));
            last_kept_terminator = Some(Span::new(b + 1, c));
        } else {
            last_kept_terminator = Some(Span::new(b, c));
        }
    }
    // The joined text ends without a line break.
    if let Some(t) = last_kept_terminator.filter(|t| !t.is_empty()) {
        let pos = out.removals.partition_point(|(r, _)| r.start < t.start);
        out.removals.insert(pos, (t, "whitespace"));
    }
    if s.min_num_sentences != -1 && (out.sentences as i64) < s.min_num_sentences {
        out.dropped = Some("too_few_sentences");
    }
    out
}

rule_type!(C4Quality);

impl Rule for C4Quality {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn apply(&self, view: &DocView) -> RuleOutcome {
        let s = self.settings.get(view.language());
        let scan = scan(view, s);
        let mut out = RuleOutcome::default();
        let n = view.text().len();
        out.figure(n, "c4_quality.kept_lines", scan.kept_lines as f64);
        // A count cut short is no figure (NaN, written as null), as for the checks a rule skips.
        let sentences = if scan.sentences_counted_to_end {
            scan.sentences as f64
        } else {
            f64::NAN
        };
        out.figure(n, "c4_quality.sentences", sentences);
        match scan.dropped {
            Some("too_few_sentences") => {
                let measured = ("sentences", scan.sentences as f64);
                out.drop = Some(drop_reason(
                    INFO.code("too_few_sentences"),
                    measured,
                    s.min_num_sentences as f64,
                ));
            }
            Some(check) => {
                out.drop = Some(drop_reason(
                    INFO.code(check),
                    ("kept_lines", scan.kept_lines as f64),
                    0.0,
                ));
            }
            None => {}
        }
        let codes: Vec<(Span, ReasonCode)> = scan
            .removals
            .into_iter()
            .map(|(span, check)| (span, INFO.code(check)))
            .collect();
        out.removals = codes;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WordTokenizer;

    fn kept_text(text: &str) -> (String, Vec<(String, &'static str)>, Option<ReasonCode>) {
        let rule = C4Quality::from_table(toml::Table::new()).unwrap();
        let view = DocView::new(text, None, WordTokenizer::SpacyEn);
        let out = rule.apply(&view);
        let spans: Vec<Span> = out.removals.iter().map(|(s, _)| *s).collect();
        let removed = out
            .removals
            .iter()
            .filter(|(_, c)| c.check != "whitespace")
            .map(|(s, c)| (text[s.start..s.end].to_string(), c.check))
            .collect();
        (
            view.without(&spans).text().to_string(),
            removed,
            out.drop.map(|d| d.code),
        )
    }

    #[test]
    fn keeps_sentences_and_removes_menus_and_policy_lines() {
        let text = "Home\n  The council approved the new budget on Monday.[1] \r\n\
            We use cookies to improve your experience.\n\n\
            It will fund two schools and a clinic. Work starts in May.\n\
            Enable JavaScript to see comments.\n\
            Residents welcomed the plan! Some asked about taxes?\n\
            Read more...\n";
        let (kept, removed, dropped) = kept_text(text);
        assert_eq!(
            kept,
            "The council approved the new budget on Monday.\n\
             It will fund two schools and a clinic. Work starts in May.\n\
             Residents welcomed the plan! Some asked about taxes?"
        );
        let checks: Vec<&str> = removed.iter().map(|(_, c)| *c).collect();
        assert_eq!(
            checks,
            [
                "no_terminal_punct",
                "citation",
                "policy",
                "javascript",
                "no_terminal_punct"
            ]
        );
        assert_eq!(removed[1].0, "[1]");
        assert_eq!(dropped, None);
    }

    #[test]
    fn drops_pages_with_too_few_sentences_or_lorem_ipsum_or_braces() {
        let (_, _, dropped) = kept_text("One short sentence here.\nAnd another one here.");
        assert_eq!(dropped.unwrap().check, "too_few_sentences");
        let lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n";
        assert_eq!(kept_text(lorem).2.unwrap().check, "lorem_ipsum");
        let code = "The function is defined as follows. It returns { a: 1 }.\n";
        assert_eq!(kept_text(code).2.unwrap().check, "curly_bracket");
    }

    #[test]
    fn sentences_are_counted_to_the_end_only_when_every_figure_is_asked_for() {
        let rule = C4Quality::from_table(toml::Table::new()).unwrap();
        let text = "One sentence here. Two sentences here. Three here.\n".repeat(4);
        let figure = |all: bool| {
            let view = DocView::new(&text, None, WordTokenizer::SpacyEn).measuring_all(all);
            let out = rule.apply(&view);
            assert!(out.drop.is_none());
            out.annotations
                .iter()
                .find(|a| a.attribute == "c4_quality.sentences")
                .map(|a| match a.value {
                    tapis_document::Value::Number(x) => x,
                    _ => panic!("not a number"),
                })
                .unwrap()
        };
        assert_eq!(figure(true), 12.0);
        // Stopped after the second line (6 sentences >= 5): no figure rather than a wrong one.
        assert!(figure(false).is_nan());
        // A page that falls short is always counted to the end.
        let view = DocView::new(
            "One sentence here. And two.\n",
            None,
            WordTokenizer::SpacyEn,
        );
        let dropped = rule.apply(&view).drop.unwrap();
        assert_eq!(
            dropped.figures,
            vec![("sentences", 2.0), ("threshold", 5.0)]
        );
    }

    #[test]
    fn citation_marks_are_found_as_python_re_finds_them() {
        assert_eq!(
            citations("a[1]b[edit][citation needed][x][]"),
            vec![(1, 4), (5, 11), (11, 28), (31, 33)]
        );
        assert_eq!(citations("[١٢]"), vec![(0, 6)]);
        assert!(citations("[1 2]").is_empty());
    }
}
