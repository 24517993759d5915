//! Line-level boilerplate removal: which lines of a web page are its
//! article, and why every other line is not.
//!
//! A page arrives as plain text with its menus, widgets, paywall prompts,
//! cookie banners, share buttons, disclaimers and footers still in it (a WET
//! record, a naive extractor's output). [`LineCleaner::clean`] measures each
//! non-empty line ([`Signals`]: its words, its stop words in the page's
//! language and in others, its shape, its repeats in the page, call-to-action
//! phrases and lead-in labels ("Foto:", "Baca juga:"), and the lines around
//! it), scores it with a small trained classifier ([`Model`]), re-scores it
//! in its page's context (where the page's surely-article lines are,
//! [`context`]) and decides, with a [`Reason`] for each removed line. Link text trailing a kept paragraph ("… Baca selengkapnya") is cut
//! as a span of its own.
//!
//! On a corpus, lines found on many pages of the same site are removed as
//! the site's template ([`site_lines`]): counted in a first pass, looked up
//! by [`LineCleaner::clean_page`]. A page's URL helps too: its slug names
//! the headline, where the article begins ([`url_headline`]); without it, a
//! headline still shows by the words the paragraphs after it repeat
//! ([`headline`]).
//!
//! Signals and scores do not depend on the threshold: a policy can move it
//! without measuring again.

pub mod context;
pub mod headline;
mod model;
mod ngrams;
mod phrases;
mod signals;
pub mod site_lines;
mod stopwords;
pub mod url_headline;
pub mod words;

pub use context::{CONTEXT_FEATURES, CONTEXT_LINE_FEATURES};
pub use model::{Forest, Model, Reason, Scored};
pub use ngrams::{NOT_JUDGED, NgramModel, NgramScratch};
pub use phrases::Phrases;
pub use signals::{FEATURES, Line, MAX_COPYRIGHT_WORDS, ONLY_PHRASES_SHARE, Signals};
pub use site_lines::SiteLines;
pub use stopwords::StopWords;

/// The reason code check for link text cut from the end of a kept line.
pub const TRAILING_LINK_TEXT: &str = "trailing_link_text";

/// The default of [`Policy::keep_between_kept`].
pub const DEFAULT_KEEP_BETWEEN_KEPT: f64 = 0.3;

/// How frequent a line must be on its site's pages to be template.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SitePolicy {
    /// On at least this many documents of its site…
    pub min_docs: u32,
    /// …and on at least this share of them: a line on 5 of a site's 10,000
    /// pages is a quote or a stock phrase, not its template.
    pub min_share: f64,
    /// When frequent lines would take more than this share of the
    /// text (in bytes) the classifier keeps on a page, the page is a copy of
    /// another page of the site (its article is frequent too), which is for
    /// deduplication to settle: on that page frequency is not used.
    pub max_share_of_kept: f64,
    /// The threshold on a page whose site's template is known (the counts
    /// cover at least `min_docs` of the site's pages, and the page is not a
    /// copy), when lower than [`Policy::threshold`]: the counts remove the
    /// template lines a lower threshold would let through, so it keeps
    /// more of the article for less leak than on a page alone.
    pub threshold: f64,
}

/// The default of [`SitePolicy::threshold`]: on sites built from the
/// development set, 0.4 keeps about 0.95 of the article snippets at leak
/// 0.05–0.07 where the page alone at its threshold keeps 0.91–0.93 at
/// 0.07–0.09; it is the lowest threshold at which sites whose template is
/// less static still leak under 0.10 (BENCHMARKS.md).
pub const DEFAULT_SITE_THRESHOLD: f64 = 0.4;

impl Default for SitePolicy {
    fn default() -> Self {
        SitePolicy {
            min_docs: 3,
            min_share: 0.1,
            max_share_of_kept: 0.8,
            threshold: DEFAULT_SITE_THRESHOLD,
        }
    }
}

/// The policy: where the score splits content from boilerplate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// Lines scoring below this are removed.
    pub threshold: f64,
    /// Cut call-to-action link text that ends a kept paragraph.
    pub cut_trailing_link_text: bool,
    /// A run of lines scoring at least this, between two lines that are
    /// kept, is kept too, except lines repeated in the page, holding a
    /// call-to-action phrase, a lead-in label or a link, or with more stop words of another
    /// language than of the page's: a short line inside a run of article
    /// lines (a sub-heading, the last item of a list) is not a menu item.
    /// jusText classifies its short and near-good blocks by their
    /// neighbours the same way. Above `threshold`, it has no effect.
    pub keep_between_kept: f64,
    /// Keep the page's headline ([`headline`]) whatever its score, unless it
    /// holds no text, is nothing but known phrases or is frequent on its site.
    pub keep_headline: bool,
    /// Lines frequent on the site's pages, when the cleaner is given counts.
    pub site: SitePolicy,
}

/// How much likelier a line is to be article in a page's extracted main
/// content than in a rendering of the whole page, as odds: the classifier
/// learned its scores on whole pages, where 45 % of the lines the
/// development set labels are article; in what extraction keeps of the same
/// pages, 88 % are (`(0.88 / 0.12) / (0.45 / 0.55)` ≈ 9).
pub const EXTRACTED_CONTENT_ODDS: f64 = 9.0;

/// `p` as a probability on text where content is `odds` times as likely
/// (Bayes' rule with the prior's odds multiplied).
#[cfg(test)]
fn shift_prior(p: f64, odds: f64) -> f64 {
    let o = odds * p / (1.0 - p);
    o / (1.0 + o)
}

impl Policy {
    /// The same decisions for text already reduced to a page's main content
    /// (HTML extraction): a line is kept when its score, corrected for the
    /// higher share of article lines there, passes the threshold, which is
    /// the threshold lowered by that correction. Whole-page thresholds
    /// remove an extracted article's short lines (headings, list items)
    /// that extraction rightly kept. `odds` is how much likelier content
    /// is there ([`EXTRACTED_CONTENT_ODDS`] by default; 1 changes nothing).
    pub fn for_extracted_text(&self, odds: f64) -> Policy {
        if odds == 1.0 {
            return *self;
        }
        // The score s passes when shift_prior(s, odds) >= t, i.e. when
        // s >= t / (t + odds * (1 - t)).
        let lower = |t: f64| {
            if t <= 0.0 || t >= 1.0 {
                t
            } else {
                t / (t + odds * (1.0 - t))
            }
        };
        Policy {
            threshold: lower(self.threshold),
            keep_between_kept: lower(self.keep_between_kept),
            site: SitePolicy {
                threshold: lower(self.site.threshold),
                ..self.site
            },
            ..*self
        }
    }
}

/// A page's site and the corpus counts to look its lines up in.
#[derive(Clone, Copy)]
pub struct SiteContext<'a> {
    pub lines: &'a SiteLines,
    /// The site's [`site_lines::site_hash`].
    pub site: u32,
}

impl<'a> SiteContext<'a> {
    pub fn new(lines: &'a SiteLines, site: &str) -> SiteContext<'a> {
        SiteContext {
            lines,
            site: site_lines::site_hash(site),
        }
    }
}

/// How often a line is on its site's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct SiteCount {
    /// Documents of the site holding the line (0 when below the counts'
    /// floor).
    pub documents: u32,
    /// Documents of the site counted.
    pub site_documents: u32,
    /// Whether the policy finds it frequent.
    pub frequent: bool,
}

/// What happens to one line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LineDecision {
    Keep,
    Remove(Reason),
}

/// One line of a page: what was measured, its score and the decision.
#[derive(Clone, Debug)]
pub struct LineReport {
    pub line: Line,
    pub scored: Scored,
    pub decision: LineDecision,
    /// Bytes removed with the line: the line and the blank lines after it.
    pub removal: (usize, usize),
    /// Link text cut from the end of a kept line.
    pub trailing_cut: Option<(usize, usize)>,
    /// With corpus counts: how often the line is on its site's pages.
    pub site: Option<SiteCount>,
}

/// A page, line by line.
#[derive(Clone, Debug)]
pub struct PageReport {
    /// The page's language as used for stop words (`hint`, or guessed).
    pub language: Option<&'static str>,
    pub lines: Vec<LineReport>,
    /// With corpus counts: frequent lines were not used because they held
    /// most of what the classifier keeps (see [`SitePolicy::max_share_of_kept`]).
    pub site_copy: bool,
    /// The threshold the page was judged by: the policy's, or its site's
    /// ([`SitePolicy::threshold`]) when the site's template is known.
    pub threshold: f64,
}

impl PageReport {
    /// Byte spans to remove, sorted and disjoint, with their reason's check.
    pub fn removals(&self) -> Vec<((usize, usize), &'static str)> {
        let mut out = Vec::new();
        for l in &self.lines {
            match l.decision {
                LineDecision::Remove(r) => out.push((l.removal, r.check())),
                LineDecision::Keep => {
                    if let Some(span) = l.trailing_cut {
                        out.push((span, TRAILING_LINK_TEXT));
                    }
                }
            }
        }
        out
    }
}

/// Why a line is removed whatever its score, if it is: without text, it
/// carries nothing ([`Reason::LineShape`]); made of nothing but known
/// phrases, it is a widget's or a consent banner's sentence however much it
/// reads like prose, a short line with the copyright sign is a notice or
/// a credit and a byline ([`Signals::byline`]) names the author
/// ([`Reason::CallToAction`]); a breadcrumb trail
/// ([`Signals::breadcrumb`]) is the page's navigation, however its
/// neighbours score ([`Reason::LineShape`]), and a line of the list under a
/// related-stories heading ([`Signals::in_related_list`]) is another
/// story's teaser unless it is the page's own headline
/// ([`Reason::BoilerplateContext`]). Such a line is never kept
/// for its context either ([`Signals::never_kept_by_context`]).
fn removed_whatever_the_score(signals: &Signals) -> Option<Reason> {
    if signals.no_text {
        Some(Reason::LineShape)
    } else if signals.only_phrases() || signals.copyright_notice() || signals.byline {
        Some(Reason::CallToAction)
    } else if signals.breadcrumb {
        Some(Reason::LineShape)
    } else if signals.in_related_list && !signals.headline {
        Some(Reason::BoilerplateContext)
    } else {
        None
    }
}

/// The lines kept for their context: each run of lines scoring at least
/// `keep_between_kept` (and never excluded from that, see
/// [`Signals::never_kept_by_context`]) with a line kept by its score right
/// before and right after it. The text's start and end count as kept: a text
/// that opens on its article (an extracted page, a scraped story) opens with
/// its headline and summary, short lines that a page's menus resemble,
/// while a whole page opens with menus, which score lower or are calls to
/// action. A text with no line kept by its score keeps none for context.
fn kept_between_kept(
    lines: &[Line],
    scored: &[Scored],
    kept: &[bool],
    policy: &Policy,
) -> Vec<bool> {
    let n = lines.len();
    let mut out = vec![false; n];
    let near = |i: usize| {
        !kept[i]
            && scored[i].score >= policy.keep_between_kept
            && !lines[i].signals.never_kept_by_context()
    };
    let mut i = 0;
    while i < n {
        if near(i) && (i == 0 || kept[i - 1]) {
            let start = i;
            while i < n && near(i) {
                i += 1;
            }
            let closed = if i < n { kept[i] } else { start > 0 };
            if closed {
                out[start..i].iter_mut().for_each(|k| *k = true);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// A page as the cleaner reads it: its text and what is known about it.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageText<'a> {
    pub text: &'a str,
    /// The page's language if known (a code like `"de"`); otherwise it is
    /// guessed from the stop words.
    pub language: Option<&'a str>,
    /// The page's URL if known: its slug names the article's headline
    /// ([`url_headline`]).
    pub url: Option<&'a str>,
}

/// The stop words, phrases and model, loaded once and shared by all threads.
pub struct LineCleaner {
    stop: StopWords,
    phrases: Phrases,
    ngrams: NgramModel,
    shapes: NgramModel,
    model: Model,
}

impl Default for LineCleaner {
    fn default() -> Self {
        LineCleaner::new()
    }
}

impl LineCleaner {
    /// The embedded lists and model.
    pub fn new() -> LineCleaner {
        LineCleaner::with_model(Model::embedded())
    }

    pub fn with_model(model: Model) -> LineCleaner {
        LineCleaner {
            stop: StopWords::embedded(),
            phrases: Phrases::embedded(),
            ngrams: NgramModel::embedded(),
            shapes: NgramModel::embedded_shape(),
            model,
        }
    }

    /// The policy the model was tuned with.
    pub fn default_policy(&self) -> Policy {
        Policy {
            threshold: self.model.threshold,
            cut_trailing_link_text: true,
            keep_between_kept: DEFAULT_KEEP_BETWEEN_KEPT,
            keep_headline: true,
            site: SitePolicy::default(),
        }
    }

    /// Measures, scores and decides every line of `text`. `language` is the
    /// page's language if known (a code like `"de"`); otherwise it is guessed
    /// from the stop words.
    pub fn clean(&self, text: &str, language: Option<&str>, policy: &Policy) -> PageReport {
        self.clean_page(
            PageText {
                text,
                language,
                url: None,
            },
            policy,
            None,
        )
    }

    /// [`LineCleaner::clean`] for a page with what is known about it: its
    /// URL (whose slug names the headline) and, in corpus mode, its site and
    /// the corpus counts, by which lines frequent on the site's pages are
    /// removed as its template.
    pub fn clean_page(
        &self,
        page: PageText,
        policy: &Policy,
        site: Option<SiteContext>,
    ) -> PageReport {
        let text = page.text;
        let (lines, lang) = signals::measure(
            text,
            page.language,
            page.url,
            &self.stop,
            &self.phrases,
            &self.ngrams,
            &self.shapes,
        );
        let starts: Vec<usize> = lines.iter().map(|l| l.start).collect();
        let forest = self
            .model
            .forest(self.ngrams.judges(lang.map(|l| self.stop.languages()[l])));
        let features: Vec<_> = lines.iter().map(|l| l.signals.features()).collect();
        let bins: Vec<_> = features.iter().map(|f| forest.bin(f)).collect();
        let scored = self.in_context(
            &lines,
            &features,
            forest.score_lines(&bins, f64::INFINITY),
            policy.threshold,
        );
        let keeps = |i: usize, threshold: f64| {
            let s = &lines[i].signals;
            (scored[i].score >= threshold || (policy.keep_headline && s.headline))
                && removed_whatever_the_score(s).is_none()
        };
        let mut kept_by_score: Vec<bool> = (0..lines.len())
            .map(|i| keeps(i, policy.threshold))
            .collect();
        let mut kept_by_context = kept_between_kept(&lines, &scored, &kept_by_score, policy);
        let counts: Option<Vec<SiteCount>> =
            site.map(|s| site_counts(text, &lines, s, &policy.site));
        // A page whose kept text is mostly frequent is a copy, not a template.
        let site_copy = counts.as_ref().is_some_and(|counts| {
            let (mut kept, mut frequent) = (0usize, 0usize);
            for (i, l) in lines.iter().enumerate() {
                if kept_by_score[i] || kept_by_context[i] {
                    kept += l.end - l.start;
                    if counts[i].frequent {
                        frequent += l.end - l.start;
                    }
                }
            }
            kept > 0 && frequent as f64 > policy.site.max_share_of_kept * kept as f64
        });
        let frequent = |i: usize| !site_copy && counts.as_ref().is_some_and(|c| c[i].frequent);
        let template_known = !site_copy
            && counts
                .as_ref()
                .and_then(|c| c.first())
                .is_some_and(|c| c.site_documents >= policy.site.min_docs);
        let threshold = if template_known {
            policy.threshold.min(policy.site.threshold)
        } else {
            policy.threshold
        };
        if threshold < policy.threshold {
            for (i, k) in kept_by_score.iter_mut().enumerate() {
                *k = keeps(i, threshold);
            }
        }
        if counts.is_some() && !site_copy {
            // Template lines never hold a run of kept lines together.
            let decided: Vec<bool> = (0..lines.len())
                .map(|i| kept_by_score[i] && !frequent(i))
                .collect();
            kept_by_context = kept_between_kept(&lines, &scored, &decided, policy);
            for (i, k) in kept_by_context.iter_mut().enumerate() {
                *k &= !frequent(i);
            }
        }
        let decisions: Vec<LineDecision> = (0..lines.len())
            .map(|i| {
                if frequent(i) {
                    LineDecision::Remove(Reason::FrequentInSite)
                } else if kept_by_score[i] || kept_by_context[i] {
                    LineDecision::Keep
                } else {
                    LineDecision::Remove(
                        removed_whatever_the_score(&lines[i].signals)
                            .or(scored[i].reason)
                            .expect("a reason below the threshold"),
                    )
                }
            })
            .collect();
        let lines = lines
            .into_iter()
            .zip(scored)
            .zip(decisions)
            .enumerate()
            .map(|(i, ((line, scored), decision))| {
                let removal = (line.start, starts.get(i + 1).copied().unwrap_or(text.len()));
                let trailing_cut = match (policy.cut_trailing_link_text, line.phrases.trailing_from)
                {
                    // Only after a real paragraph: a line that is all link
                    // text is the classifier's to judge.
                    (true, Some(from))
                        if line.phrases.words_before_trailing
                            >= phrases::MIN_WORDS_BEFORE_TRAILING =>
                    {
                        Some((line.start + from, line.end))
                    }
                    _ => None,
                };
                LineReport {
                    line,
                    scored,
                    decision,
                    removal,
                    trailing_cut,
                    site: counts.as_ref().map(|c| c[i]),
                }
            })
            .collect();
        PageReport {
            language: lang.map(|l| self.stop.languages()[l]),
            lines,
            site_copy,
            threshold,
        }
    }

    /// The lines' first scores (each with the reason weighing most against
    /// it) re-scored by the context forest. A line never kept for its
    /// neighbours' sake ([`Signals::never_kept_by_context`]: a call to
    /// action, a repeat, a link…) is not raised above its first score for
    /// them either. Below `threshold`, a line keeps its first reason if its
    /// first score is below it too; a line the context alone removes is
    /// removed for it.
    fn in_context(
        &self,
        lines: &[Line],
        features: &[[f64; FEATURES.len()]],
        first: Vec<Scored>,
        threshold: f64,
    ) -> Vec<Scored> {
        let context = self.model.context();
        let line_scores: Vec<f64> = first.iter().map(|s| s.score).collect();
        let bins: Vec<_> = context::context_inputs(&line_scores, features)
            .iter()
            .map(|f| context.bin(f))
            .collect();
        context
            .scores(&bins)
            .into_iter()
            .zip(first)
            .zip(lines)
            .map(|((c, f), line)| {
                let score = if line.signals.never_kept_by_context() {
                    c.min(f.score)
                } else {
                    c
                };
                let reason = (score < threshold).then(|| {
                    if f.score < threshold {
                        f.reason.expect("a reason for every first score")
                    } else {
                        // The context forest's inputs all count for it.
                        Reason::BoilerplateContext
                    }
                });
                Scored {
                    score,
                    line_score: f.score,
                    reason,
                }
            })
            .collect()
    }
}

/// Each line's count on its site's pages, and whether `policy` finds it frequent.
fn site_counts(
    text: &str,
    lines: &[Line],
    site: SiteContext,
    policy: &SitePolicy,
) -> Vec<SiteCount> {
    let site_documents = site.lines.documents(site.site);
    lines
        .iter()
        .map(|l| {
            let documents = site_lines::line_key(site.site, &text[l.start..l.end])
                .map_or(0, |k| site.lines.count(k));
            let frequent = site_documents > 0
                && documents >= policy.min_docs
                && f64::from(documents) >= policy.min_share * f64::from(site_documents);
            SiteCount {
                documents,
                site_documents,
                frequent,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracted_text_lowers_the_thresholds_by_the_prior_odds() {
        let p = LineCleaner::new().default_policy();
        assert_eq!(p.for_extracted_text(1.0), p);
        let e = p.for_extracted_text(EXTRACTED_CONTENT_ODDS);
        assert!(e.threshold < p.threshold && e.keep_between_kept < p.keep_between_kept);
        // A score at the lowered threshold, corrected, is at the old one.
        let corrected = shift_prior(e.threshold, EXTRACTED_CONTENT_ODDS);
        assert!((corrected - p.threshold).abs() < 1e-9, "{corrected}");
        assert_eq!(e.cut_trailing_link_text, p.cut_trailing_link_text);
        assert!(e.site.threshold < p.site.threshold);
        let site_corrected = shift_prior(e.site.threshold, EXTRACTED_CONTENT_ODDS);
        assert!((site_corrected - p.site.threshold).abs() < 1e-9);
        assert_eq!(
            (e.site.min_docs, e.site.min_share, e.site.max_share_of_kept),
            (p.site.min_docs, p.site.min_share, p.site.max_share_of_kept)
        );
    }

    #[test]
    fn the_url_places_every_line_against_its_headline() {
        let text = "Startseite\nPolitik\nWirtschaft\n\
Neue Brücke über die Elbe wird im Mai eröffnet\n\
Die Stadt hat am Montag mitgeteilt, dass die Brücke früher fertig wird als geplant.\n\
Impressum";
        let cleaner = LineCleaner::new();
        let policy = cleaner.default_policy();
        let page = |url| {
            cleaner.clean_page(
                PageText {
                    text,
                    language: Some("de"),
                    url,
                },
                &policy,
                None,
            )
        };
        let with_url = page(Some(
            "https://www.example.de/lokales/neue-bruecke-ueber-die-elbe-wird-im-mai-eroeffnet",
        ));
        let offsets: Vec<Option<i32>> = with_url
            .lines
            .iter()
            .map(|l| l.line.signals.url_headline_offset)
            .collect();
        assert_eq!(
            offsets,
            [Some(-3), Some(-2), Some(-1), Some(0), Some(1), Some(2)]
        );
        let progress = with_url.lines[5]
            .line
            .signals
            .url_headline_progress
            .unwrap();
        assert!((progress - 2.0 / 3.0).abs() < 1e-9, "{progress}");
        // No URL, or one without a slug: no headline, and the features say so.
        for url in [None, Some("https://www.example.de/?p=2895")] {
            let without = page(url);
            assert!(without.lines.iter().all(|l| {
                l.line.signals.url_headline_offset.is_none()
                    && l.line.signals.url_headline_progress.is_none()
            }));
        }
    }

    /// The short lines under a related-stories heading are teasers of other
    /// stories, whatever they score; the list ends at the next paragraph,
    /// and the page's own headline, if it stands there, stays.
    #[test]
    fn the_list_under_a_related_stories_heading_goes_with_it() {
        let text = "Berita Terkait
Pemerintah umumkan rencana pembangunan jalan tol baru di Sumatra
Harga beras naik menjelang bulan puasa di sejumlah daerah
Gempa bumi di Jawa Barat terasa hingga ke ibu kota
Pemerintah daerah akhirnya memutuskan untuk menunda pembangunan pasar baru karena anggaran yang belum cukup dan protes warga.
Menurut wali kota, keputusan itu diambil setelah rapat dengan para pedagang dan tokoh masyarakat setempat pada hari Senin.";
        let cleaner = LineCleaner::new();
        let report = cleaner.clean(text, Some("id"), &cleaner.default_policy());
        let listed: Vec<bool> = report
            .lines
            .iter()
            .map(|l| l.line.signals.in_related_list)
            .collect();
        assert!(report.lines[0].line.signals.related_heading);
        assert_eq!(listed, [false, true, true, true, false, false]);
        for l in &report.lines[..4] {
            assert!(l.decision != LineDecision::Keep, "{:?}", l.decision);
        }
        assert_eq!(
            report.lines[1].decision,
            LineDecision::Remove(Reason::BoilerplateContext)
        );
        for l in &report.lines[4..] {
            assert_eq!(l.decision, LineDecision::Keep);
        }
    }

    /// Without a URL, a headline still shows by the words its first
    /// paragraphs repeat, inflected too ("станция", "станцию"); the
    /// breadcrumb and the byline repeat none. It is kept; with
    /// `keep_headline` off it is left to its score.
    #[test]
    fn the_headline_the_lede_echoes_is_kept() {
        let text = "Главная / Новости / Общество\n\
В Москве открылась новая станция метро\n\
Автор: Иван Петров\n\
Поделиться\n\
Новая станция метро открылась в Москве во вторник, сообщили в пресс-службе мэрии города.\n\
Станцию построили за четыре года, и она станет пересадочной на две линии метро города.\n\
Читайте также";
        let cleaner = LineCleaner::new();
        let policy = cleaner.default_policy();
        let page = |policy: &Policy| {
            cleaner.clean_page(
                PageText {
                    text,
                    language: None,
                    url: None,
                },
                policy,
                None,
            )
        };
        let report = page(&policy);
        let echo: Vec<Option<f64>> = report
            .lines
            .iter()
            .map(|l| l.line.signals.lede_echo)
            .collect();
        // москв, откры, новая, станц, метро: all in the first paragraphs.
        assert_eq!(echo[1], Some(1.0), "{echo:?}");
        assert_eq!(echo[0], Some(0.0), "{echo:?}");
        assert_eq!(echo[2], Some(0.0), "{echo:?}");
        // Only lines before the article are looked at.
        assert_eq!(echo[4..], [None, None, None], "{echo:?}");
        let headlines: Vec<bool> = report
            .lines
            .iter()
            .map(|l| l.line.signals.headline)
            .collect();
        assert_eq!(headlines, [false, true, false, false, false, false, false]);
        assert_eq!(report.lines[1].decision, LineDecision::Keep);
        assert!(report.lines[3].decision != LineDecision::Keep);
        let off = page(&Policy {
            keep_headline: false,
            ..policy
        });
        assert_eq!(
            off.lines[1].decision == LineDecision::Keep,
            off.lines[1].scored.score >= policy.threshold
        );
    }

    /// A consent manager's sentence reads like prose and scores like it
    /// between article paragraphs; being nothing but known phrases, it goes.
    #[test]
    fn a_line_of_nothing_but_known_phrases_is_never_kept() {
        let consent = "Die technische Speicherung oder der Zugang ist unbedingt erforderlich für den \
rechtmäßigen Zweck, die Nutzung eines bestimmten Dienstes zu ermöglichen, der vom Teilnehmer oder \
Nutzer ausdrücklich gewünscht wird.";
        let text = format!(
            "Die Stadtverwaltung hat am Montag mitgeteilt, dass die Brücke über den Fluss \
bis zum Ende des Jahres gesperrt bleibt, weil die Reparaturen länger dauern als geplant.\n\
{consent}\n\
Nach Angaben der Behörde müssen mehrere Stahlträger ersetzt werden, die bei einer Prüfung im \
Frühjahr als beschädigt eingestuft worden waren."
        );
        let cleaner = LineCleaner::new();
        let page = cleaner.clean(&text, Some("de"), &cleaner.default_policy());
        let decisions: Vec<(&str, LineDecision)> = page
            .lines
            .iter()
            .map(|l| (&text[l.line.start..l.line.end], l.decision))
            .collect();
        assert_eq!(
            decisions,
            vec![
                (text.lines().next().unwrap(), LineDecision::Keep),
                (consent, LineDecision::Remove(Reason::CallToAction)),
                (text.lines().nth(2).unwrap(), LineDecision::Keep),
            ]
        );
        // The same words told as a story keep their line.
        let story = "Das Gericht stellte fest, die technische Speicherung oder der Zugang zu den \
Daten sei für den Betrieb der Website nicht nötig gewesen, und gab der Klägerin recht.";
        let page = cleaner.clean(story, Some("de"), &cleaner.default_policy());
        assert!(!page.lines[0].line.signals.only_phrases());
    }

    #[test]
    fn a_line_without_letters_or_digits_is_never_kept() {
        let text = "Die Stadtverwaltung hat am Montag mitgeteilt, dass die Brücke über den Fluss \
bis zum Ende des Jahres gesperrt bleibt, weil die Reparaturen länger dauern als geplant.\n\
* * *\n\
Nach Angaben der Behörde müssen mehrere Stahlträger ersetzt werden, die bei einer Prüfung im \
Frühjahr als beschädigt eingestuft worden waren.\n\
*\n\
★★★★★\n\
Der Verkehr wird bis dahin über die Umgehungsstraße im Norden der Stadt geleitet, wo es \
zu den Hauptverkehrszeiten zu Staus kommen kann.";
        let cleaner = LineCleaner::new();
        let page = cleaner.clean(text, Some("de"), &cleaner.default_policy());
        let decisions: Vec<(&str, LineDecision)> = page
            .lines
            .iter()
            .map(|l| (&text[l.line.start..l.line.end], l.decision))
            .collect();
        for (line, decision) in &decisions {
            let symbols = !line.chars().any(char::is_alphanumeric);
            let want = if symbols {
                LineDecision::Remove(Reason::LineShape)
            } else {
                LineDecision::Keep
            };
            assert_eq!(*decision, want, "{line:?} in {decisions:?}");
        }
        assert_eq!(decisions.len(), 6);
    }

    /// A line read in the wrong character set (GBK bytes decoded as UTF-8)
    /// is U+FFFD with a stray letter between: no text, whatever the article
    /// around it. A German sentence that lost one umlaut stays.
    #[test]
    fn a_line_of_mostly_undecodable_bytes_is_never_kept() {
        let text = "Die Stadtverwaltung hat am Montag mitgeteilt, dass die Brücke über den Fluss \
bis zum Ende des Jahres gesperrt bleibt, weil die Reparaturen länger dauern als geplant.\n\
\u{fffd}\u{fffd}\u{fffd}硶Լ\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}ޡ\u{fffd}\u{fffd}ӱ\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}Ѳ\u{fffd}ݽ\u{fffd}\u{fffd}\u{fffd}\n\
Nach Angaben der Behörde müssen mehrere Stahlträger ersetzt werden, die bei einer Prüfung im \
Frühjahr als beschädigt eingestuft worden waren, und die Arbeiten dauern f\u{fffd}r Monate.\n\
Der Verkehr wird bis dahin über die Umgehungsstraße im Norden der Stadt geleitet, wo es \
zu den Hauptverkehrszeiten zu Staus kommen kann.";
        let cleaner = LineCleaner::new();
        let page = cleaner.clean(text, Some("de"), &cleaner.default_policy());
        let decisions: Vec<LineDecision> = page.lines.iter().map(|l| l.decision).collect();
        assert_eq!(
            decisions,
            [
                LineDecision::Keep,
                LineDecision::Remove(Reason::LineShape),
                LineDecision::Keep,
                LineDecision::Keep,
            ]
        );
    }

    fn line(score: f64, repeats: u32) -> (Line, Scored) {
        let signals = Signals {
            repeats,
            ..Signals::default()
        };
        let line = Line {
            number: 0,
            start: 0,
            end: 0,
            signals,
            phrases: phrases::PhraseMatch::default(),
        };
        (
            line,
            Scored {
                score,
                line_score: score,
                reason: None,
            },
        )
    }

    #[test]
    fn a_run_of_near_content_lines_between_kept_lines_is_kept() {
        let policy = Policy {
            threshold: 0.6,
            cut_trailing_link_text: true,
            keep_between_kept: 0.3,
            keep_headline: true,
            site: SitePolicy::default(),
        };
        // Each line's (score, repeats), and which lines are kept.
        type Case<'a> = (&'a [(f64, u32)], &'a [bool]);
        let cases: [Case; 7] = [
            // Two near lines between kept ones: both stay.
            (
                &[(0.9, 0), (0.5, 0), (0.4, 0), (0.8, 0)],
                &[false, true, true, false],
            ),
            // One of them scores too low: the run is broken, nothing stays.
            (
                &[(0.9, 0), (0.5, 0), (0.1, 0), (0.8, 0)],
                &[false, false, false, false],
            ),
            // A repeated line is never kept for its context.
            (&[(0.9, 0), (0.5, 1), (0.8, 0)], &[false, false, false]),
            // The text's start and end count as kept: a headline and
            // summary opening the text, a last short line closing it, stay.
            (
                &[(0.5, 0), (0.4, 0), (0.9, 0), (0.5, 0)],
                &[true, true, false, true],
            ),
            // A low line at the head breaks the run to the start.
            (
                &[(0.5, 0), (0.1, 0), (0.4, 0), (0.9, 0)],
                &[false, false, false, false],
            ),
            // A repeated line opening the text is not kept for its context.
            (&[(0.5, 1), (0.9, 0)], &[false, false]),
            // No line kept by its score: none is kept for its context.
            (&[(0.5, 0), (0.5, 0)], &[false, false]),
        ];
        for (lines, want) in cases {
            let (ls, scored): (Vec<Line>, Vec<Scored>) =
                lines.iter().map(|&(s, r)| line(s, r)).unzip();
            let kept: Vec<bool> = scored.iter().map(|s| s.score >= policy.threshold).collect();
            assert_eq!(
                kept_between_kept(&ls, &scored, &kept, &policy),
                want,
                "{lines:?}"
            );
        }
    }
}
