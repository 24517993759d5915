//! What is measured about each line: its own shape and words, and its
//! neighbourhood in the page. Every signal is language-independent or
//! relative to the page's own language, except the learned wording score
//! (`ngram`), which knows the training pages' languages best. The learned
//! shape score (`shape_ngram`) reads classes of characters, not words, and
//! holds in any language.

use rustc_hash::FxHashMap;

use crate::headline;
use crate::ngrams::{NOT_JUDGED, NgramModel, NgramScratch};
use crate::phrases::{PhraseMatch, Phrases};
use crate::stopwords::{StopCounts, StopWords};
use crate::url_headline::UrlSlug;
use crate::words::{self, LineWords};

/// A non-empty line of the page and what was measured about it.
#[derive(Clone, Debug)]
pub struct Line {
    /// 1-based physical line number in the text.
    pub number: usize,
    /// Bytes of the line, without its line break.
    pub start: usize,
    pub end: usize,
    pub signals: Signals,
    pub(crate) phrases: PhraseMatch,
}

/// The measured signals of one line. `features` turns them into the
/// classifier's inputs; `tapis explain` shows them.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Signals {
    /// Code points, without surrounding spaces.
    pub chars: u32,
    pub words: u32,
    /// Share of the words that are stop words of the page's language.
    pub stop_ratio: f64,
    /// The highest share of words that are stop words of another language
    /// and not of the page's.
    pub other_stop_ratio: f64,
    /// Ends like a sentence (`.`, `!`, `?`, `…`, `。`, `؟`, `।`, …),
    /// possibly followed by closing quotes or brackets.
    pub end_punct: bool,
    /// Upper-case letters over cased letters.
    pub upper_ratio: f64,
    /// Digits over code points.
    pub digit_ratio: f64,
    /// Punctuation and symbols over code points.
    pub punct_ratio: f64,
    /// Starts with a list marker (`*`, `•`, `-`, `|`, `>`, `»`…).
    pub bullet: bool,
    /// Holds no letter and no digit: a bare list marker, a separator
    /// (`* * *`, `-----`), rating stars or icon glyphs; or no more of them
    /// than undecodable bytes (U+FFFD, what text read in the wrong
    /// character set is left with). Such a line carries no text, so it is
    /// never kept, whatever its neighbours.
    pub no_text: bool,
    /// Other lines of the page with the same words (case-blind).
    pub repeats: u32,
    /// Holds a URL, an e-mail address or a domain name.
    pub domain: bool,
    /// Share of the words inside call-to-action, widget or legal phrases.
    pub phrase_share: f64,
    /// Opens with a credit, cross-link or metadata label and its colon
    /// ("Foto: dpa", "Baca juga: …", "Tags: …").
    pub lead_in: bool,
    /// Holds the copyright sign: a legal notice or a photo credit
    /// ("© 2024 Examplesite", "3/28 photos © Shutterstock"). On the
    /// development set 104 labelled lines hold one, 3 of them article: two
    /// long captions ending in a credit, one copyright line. Of the 62 with
    /// at most [`MAX_COPYRIGHT_WORDS`] words, that copyright line is the only
    /// one labelled article.
    pub copyright: bool,
    /// A breadcrumb trail: three or more short items between spaced
    /// separators of one kind ("Главная › Новости › Мир", "Beranda » Berita
    /// » Dunia", "Главная / Новости / Мир"), not ending like a sentence; a
    /// slashed line with a digit or a run of spaces is a table row.
    pub breadcrumb: bool,
    /// A byline, alone or with a date, the agency or co-authors after it:
    /// "By Jane Doe", "Von Hans Müller", "par Jean Dupont et Marie Curie",
    /// "Oleh Budi Santoso", "By Jane Doe | March 5, 2024": "by" in one of
    /// nine languages, then two to six capitalised words, none of them a
    /// function word of the page's language ([`is_byline`]).
    pub byline: bool,
    /// Nothing but a heading over a list of other stories ("Related news",
    /// "Lo más leído", "相关文章"; the phrases marked `^` in
    /// `data/call_to_action.txt`).
    pub related_heading: bool,
    /// One of the short lines under such a heading: up to eight lines after
    /// it, ending before the first line that ends like a sentence with
    /// fifteen words or more.
    pub in_related_list: bool,
    /// Where the line starts, as a share of the page's code points that are
    /// not white space.
    pub position: f64,
    /// How much the line reads like running text (0..1): stop words and length.
    pub prose: f64,
    /// `prose` of the previous and next non-empty lines.
    pub prev_prose: f64,
    pub next_prose: f64,
    /// Mean `prose` of the three non-empty lines on each side.
    pub window_prose: f64,
    /// Non-empty lines to the nearest body line (a long, stop-word-rich,
    /// unrepeated line); 0 for a body line.
    pub body_distance: u32,
    /// Non-empty lines before the first body line of the page (0 when the line
    /// is at or after it), and after the last.
    pub before_body: u32,
    pub after_body: u32,
    /// Non-empty lines between this line and the page's main block (0
    /// inside it). The main block is the run of body lines, each at most
    /// `MAX_BLOCK_GAP` lines from the next, with the most characters: the
    /// article, as opposed to teasers, author boxes and comments around it.
    pub main_distance: u32,
    /// Characters of the body-line block this line lies in, over those of
    /// the main block (1 in the main block, 0 outside every block).
    pub block_weight: f64,
    /// Characters of the main block over those of the page.
    pub main_share: f64,
    /// Non-empty lines between this line and the page's densest region (0
    /// inside it): the run of lines whose prose outweighs their non-prose
    /// most, as Body Text Extraction (Finn et al., 2001) finds the body of
    /// an HTML page by its text against its tags.
    pub region_distance: u32,
    /// Probability that the line is content judged by its wording alone:
    /// its character n-grams under a linear model ([`NgramModel`]);
    /// [`NOT_JUDGED`] (-2) on a page in a language the model does not judge.
    pub ngram: f64,
    /// `ngram` of the previous and next non-empty lines (-1 at the page's
    /// edges, -2 when not judged).
    pub prev_ngram: f64,
    pub next_ngram: f64,
    /// Probability that the line is content judged by its shape alone
    /// (letters, digits, spaces as classes; punctuation and symbols as they
    /// are): the character n-grams of the shape under a linear model. Read
    /// on pages whose wording is not judged; [`NOT_JUDGED`] on the others,
    /// whose forest reads the wording instead.
    pub shape_ngram: f64,
    /// `shape_ngram` of the previous and next non-empty lines (-1 at the
    /// page's edges, -2 when not judged).
    pub prev_shape_ngram: f64,
    pub next_shape_ngram: f64,
    /// Non-empty lines from the headline the page's URL names (negative
    /// before it), if the URL names one ([`crate::url_headline`]).
    pub url_headline_offset: Option<i32>,
    /// Where the line stands between that headline and the page's end
    /// (0 at the headline, near 1 at the end, negative before it).
    pub url_headline_progress: Option<f64>,
    /// Share of the line's content words that the first paragraphs of the
    /// page's main block repeat, for a line shortly before that block
    /// ([`crate::headline`]); `None` for every other line.
    pub lede_echo: Option<f64>,
    /// The page's headline ([`crate::headline`]): kept whatever its score.
    pub headline: bool,
}

/// Lines this far before or after the URL's headline are all alike to the
/// classifier.
const HEADLINE_OFFSET_RANGE: (i32, i32) = (-50, 200);

/// `url_headline_offset` and `url_headline_progress` of a page whose URL
/// names no headline: beyond either's range, so the trees tell it apart.
const NO_HEADLINE_OFFSET: f64 = 1000.0;
const NO_HEADLINE_PROGRESS: f64 = 2.0;

/// Lines other than body lines allowed between two body lines of one block.
const MAX_BLOCK_GAP: usize = 3;

/// Names of [`Signals::features`], in order: the classifier's inputs.
pub const FEATURES: [&str; 39] = [
    "log_chars",
    "log_words",
    "short",
    "long",
    "stop_ratio",
    "other_stop_ratio",
    "other_minus_own",
    "no_stop_words",
    "end_punct",
    "upper_ratio",
    "digit_ratio",
    "punct_ratio",
    "bullet",
    "log_repeats",
    "domain",
    "phrase_share",
    "edge",
    "prose",
    "prev_prose",
    "next_prose",
    "window_prose",
    "log_body_distance",
    "log_before_body",
    "log_after_body",
    "in_main",
    "log_main_distance",
    "block_weight",
    "main_share",
    "in_region",
    "log_region_distance",
    "ngram",
    "prev_ngram",
    "next_ngram",
    "lead_in",
    "shape_ngram",
    "prev_shape_ngram",
    "next_shape_ngram",
    "url_headline_offset",
    "url_headline_progress",
];

/// The share of a line's words inside known phrases above which the line
/// is nothing but them: a consent banner's or a comment form's sentence,
/// however much it reads like prose. On the development set no line that
/// the article holds reaches it (the scores remove all but the longest of
/// those that do).
pub const ONLY_PHRASES_SHARE: f64 = 0.9;

/// A line with the copyright sign and at most this many words is a notice
/// or a credit; the article lines that hold one are captions of a sentence
/// or more.
pub const MAX_COPYRIGHT_WORDS: u32 = 10;

impl Signals {
    /// Made of call-to-action, widget or legal phrases and nothing else
    /// ([`ONLY_PHRASES_SHARE`]): never kept, whatever its score.
    pub fn only_phrases(&self) -> bool {
        self.phrase_share >= ONLY_PHRASES_SHARE
    }

    /// A short line with the copyright sign ([`MAX_COPYRIGHT_WORDS`]): a
    /// legal notice or a credit, never kept, whatever its score.
    pub fn copyright_notice(&self) -> bool {
        self.copyright && self.words <= MAX_COPYRIGHT_WORDS
    }

    /// Without text, repeated in the page, a call to action, a link, a
    /// breadcrumb trail, a byline, a teaser under a related-stories heading or in
    /// another language: such a line is never kept for its neighbours' sake.
    pub fn never_kept_by_context(&self) -> bool {
        self.no_text
            || self.copyright
            || self.breadcrumb
            || self.byline
            || self.in_related_list
            || self.repeats > 0
            || self.phrase_share > 0.0
            || self.lead_in
            || self.domain
            || self.other_stop_ratio > self.stop_ratio
    }

    /// The classifier's inputs, named by [`FEATURES`].
    pub fn features(&self) -> [f64; FEATURES.len()] {
        let ln = |x: u32| f64::from(x).ln_1p();
        [
            ln(self.chars),
            ln(self.words),
            f64::from(u8::from(self.chars < 30)),
            f64::from(u8::from(self.chars >= 120)),
            self.stop_ratio,
            self.other_stop_ratio,
            (self.other_stop_ratio - self.stop_ratio).max(0.0),
            f64::from(u8::from(self.words >= 2 && self.stop_ratio == 0.0)),
            f64::from(u8::from(self.end_punct)),
            self.upper_ratio,
            self.digit_ratio,
            self.punct_ratio,
            f64::from(u8::from(self.bullet)),
            ln(self.repeats),
            f64::from(u8::from(self.domain)),
            self.phrase_share,
            self.position.min(1.0 - self.position),
            self.prose,
            self.prev_prose,
            self.next_prose,
            self.window_prose,
            ln(self.body_distance),
            ln(self.before_body),
            ln(self.after_body),
            f64::from(u8::from(self.main_distance == 0)),
            ln(self.main_distance),
            self.block_weight,
            self.main_share,
            f64::from(u8::from(self.region_distance == 0)),
            ln(self.region_distance),
            self.ngram,
            self.prev_ngram,
            self.next_ngram,
            f64::from(u8::from(self.lead_in)),
            self.shape_ngram,
            self.prev_shape_ngram,
            self.next_shape_ngram,
            self.url_headline_offset.map_or(NO_HEADLINE_OFFSET, |o| {
                f64::from(o.clamp(HEADLINE_OFFSET_RANGE.0, HEADLINE_OFFSET_RANGE.1))
            }),
            self.url_headline_progress.unwrap_or(NO_HEADLINE_PROGRESS),
        ]
    }
}

/// Holds "©", not as the second half of "Ã©", which is "é" read in the
/// wrong character set (and there in every line of such a page).
fn has_copyright_sign(line: &str) -> bool {
    line.match_indices('©')
        .any(|(at, _)| !line[..at].ends_with('Ã'))
}

/// Words that open a byline ("By", "Von", "Par", "Por", "Di", "Door", "Av",
/// "Af", "Oleh"), compared case-blind.
const BYLINE_WORDS: [&str; 9] = ["by", "von", "par", "por", "di", "door", "av", "af", "oleh"];
/// Lower-case words a name may hold ("Ursula von der Leyen", "Luiz Inácio
/// da Silva") or join two names with ("und", "et", "&").
const NAME_PARTICLES: [&str; 23] = [
    "de", "van", "von", "der", "den", "da", "del", "della", "di", "du", "la", "le", "dos", "das",
    "bin", "ibn", "al", "and", "und", "et", "y", "e", "i",
];
/// Capitalised words a byline names at most (two authors of three words).
const MAX_BYLINE_NAME_WORDS: usize = 6;

/// Characters that set what a page prints after a byline apart from it
/// (the date, the agency, co-authors, the author's role); a hyphen does
/// when spaced.
const BYLINE_TAIL_SEPARATORS: [char; 5] = ['|', '·', ',', '–', '—'];
/// Words of one part of a byline's tail that holds a digit at most ("le
/// 15 septembre 2009", "Veröffentlicht: 26.12.2022 - 08:13 Uhr").
const MAX_BYLINE_DATE_WORDS: usize = 8;
/// Parts of a byline's tail at most.
const MAX_BYLINE_TAIL_PARTS: usize = 3;

/// A byline, alone or with its tail: one of [`BYLINE_WORDS`], then two to
/// [`MAX_BYLINE_NAME_WORDS`] capitalised words (initials, particles and
/// "and" between them), none of them a function word of the page's language
/// (`is_function_word`), and in them no other character than letters,
/// spaces, periods, hyphens, apostrophes and "&". A story names its author
/// in every language this way, and the name is no prose; a title-case
/// heading ("By The Way", "Von Null auf Hundert") holds a stop word, a
/// sentence ends like one or goes on in lower case. After a separator
/// ([`BYLINE_TAIL_SEPARATORS`]) up to [`MAX_BYLINE_TAIL_PARTS`] parts may
/// follow, each more capitalised words (a co-author, the agency,
/// "Online-Redaktion"), a domain name ("Phys.org") or a date with a digit
/// in it ("By Jane Doe | March 5, 2024", "par Florence Audier, le 15
/// septembre 2009"); a part that is neither ("By Jane Doe, who covered the
/// trial") leaves the line to the classifier.
pub(crate) fn is_byline(
    line: &str,
    words: &LineWords,
    is_function_word: impl Fn(&str) -> bool,
) -> bool {
    if words.is_empty() || !BYLINE_WORDS.contains(&words.lower(0)) {
        return false;
    }
    // The byline, then its tail's parts (a spaced hyphen separates too).
    let mut parts = line
        .split(|c| BYLINE_TAIL_SEPARATORS.contains(&c))
        .flat_map(|p| p.split(" - "));
    let head = parts.next().unwrap_or(line);
    if head.len() == line.len() {
        return is_bare_byline(line, words, &is_function_word);
    }
    if !is_bare_byline(head, &LineWords::new(head), &is_function_word) {
        return false;
    }
    let tail: Vec<&str> = parts.map(str::trim).filter(|p| !p.is_empty()).collect();
    !tail.is_empty()
        && tail.len() <= MAX_BYLINE_TAIL_PARTS
        && tail.iter().all(|part| {
            let words = LineWords::new(part);
            if part.chars().any(|c| c.is_numeric()) {
                (1..=MAX_BYLINE_DATE_WORDS).contains(&words.len())
            } else if has_domain(part) {
                !part.contains(char::is_whitespace)
            } else {
                capitalised_names(part, &words, 0, &is_function_word)
                    .is_some_and(|n| (1..=MAX_BYLINE_NAME_WORDS).contains(&n))
            }
        })
}

/// How many words of `line` from its word `from` on are capitalised, name
/// particles skipped; `None` when one is lower-case or a function word.
fn capitalised_names(
    line: &str,
    words: &LineWords,
    from: usize,
    is_function_word: &impl Fn(&str) -> bool,
) -> Option<usize> {
    let mut names = 0;
    for i in from..words.len() {
        let (word, _, _) = words.words[i];
        let first = line[word.start..].chars().next().unwrap_or(' ');
        let lower = words.lower(i);
        if NAME_PARTICLES.contains(&lower) {
            continue;
        }
        if !first.is_uppercase() || is_function_word(lower) {
            return None;
        }
        names += 1;
    }
    Some(names)
}

/// A byline and nothing after it, its opening word checked already (see
/// [`is_byline`]); a comma would have cut it.
fn is_bare_byline(line: &str, words: &LineWords, is_function_word: &impl Fn(&str) -> bool) -> bool {
    let n = words.len();
    if !(3..=1 + MAX_BYLINE_NAME_WORDS + 2).contains(&n)
        || line.chars().any(|c| {
            !(c.is_alphabetic()
                || words::is_mark(c)
                || c.is_whitespace()
                || matches!(c, '.' | '-' | '\'' | '’' | '&' | '*' | '•'))
        })
    {
        return false;
    }
    capitalised_names(line, words, 1, is_function_word)
        .is_some_and(|names| (2..=MAX_BYLINE_NAME_WORDS).contains(&names))
}

/// Arrows separating a breadcrumb trail's items; the slash separates them
/// too. The bar is left out: tables and title bars use it ("BHEL | Buy |
/// Target Price").
const BREADCRUMB_ARROWS: [&str; 5] = [">", "»", "›", "→", ">>"];
/// Words in one item of a trail at most.
const MAX_BREADCRUMB_ITEM_WORDS: usize = 5;

/// A breadcrumb trail: at least two spaced separators of one kind (one of
/// [`BREADCRUMB_ARROWS`] or the slash) between at least three items of one to
/// [`MAX_BREADCRUMB_ITEM_WORDS`] words, and no sentence end. The trail's
/// first item is "Home" in the site's language ("Главная", "Beranda",
/// "Início", "ホーム"), a word of prose in many of them and so not a phrase
/// to list, while the separators say "trail" in any language. A line with
/// the opening guillemet uses the closing one as a quote mark
/// (« Oui » et « non »), not as an arrow. Slashes also separate a table's
/// cells, so a slashed line with a digit or a run of spaces is not a trail;
/// the other slashed lines of three short items are tag lists, credits and
/// menus ("Impressum / AGB / Haftungsausschluss", "Toni Sandys / The
/// Washington Post / Getty Images"): on the development pages 49 such
/// lines, none labelled article.
pub(crate) fn is_breadcrumb(line: &str) -> bool {
    let t = line.trim();
    let Some(arrow) = t
        .split_whitespace()
        .find(|w| *w == "/" || BREADCRUMB_ARROWS.contains(w))
    else {
        return false;
    };
    if (arrow == "»" && t.contains('«')) || (arrow == "›" && t.contains('‹')) {
        return false;
    }
    if arrow == "/"
        && (t.contains(|c: char| c.is_numeric()) || t.contains("  ") || t.contains('\t'))
    {
        return false;
    }
    if ends_like_sentence(t) {
        return false;
    }
    let mut items = 0;
    let mut separators = 0;
    let mut words_in_item = 0;
    for w in t.split_whitespace() {
        if w == arrow {
            separators += 1;
            if words_in_item > 0 {
                items += 1;
            } else if separators > 1 {
                // Two separators in a row: not a trail.
                return false;
            }
            words_in_item = 0;
        } else if BREADCRUMB_ARROWS.contains(&w) {
            // Arrows of two kinds: a diagram or a formula.
            return false;
        } else {
            words_in_item += usize::from(w.chars().any(char::is_alphanumeric));
            if words_in_item > MAX_BREADCRUMB_ITEM_WORDS {
                return false;
            }
        }
    }
    items += usize::from(words_in_item > 0);
    separators >= 2 && items >= 3
}

/// Ends a sentence in some script.
fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '…'
            | '。'
            | '！'
            | '？'
            | '．'
            | '؟'
            | '۔'
            | '।'
            | '॥'
            | '።'
            | '։'
            | '܀'
            | '၊'
            | '။'
            | '෴'
            | '꓿'
            | '｡'
    )
}

/// May follow the full stop: closing quotes and brackets.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '”'
            | '“'
            | '’'
            | '‘'
            | '»'
            | '«'
            | '‹'
            | '›'
            | '」'
            | '』'
            | ')'
            | ']'
            | '）'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '*'
            | '_'
    )
}

fn ends_like_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(is_closing)
        .chars()
        .next_back()
        .is_some_and(is_terminal)
}

fn starts_with_bullet(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some(
            '*' | '•' | '·' | '◦' | '▪' | '▫' | '■' | '□' | '►' | '▶' | '→' | '»' | '>' | '|' | '–'
            | '—' | '-' | '+' | '✓' | '✔' | 'o',
        ) => {
            // "-5 °C" or "--" are not list markers; a marker is followed by a space.
            chars.next().is_none_or(char::is_whitespace)
        }
        _ => false,
    }
}

/// A URL, an e-mail address or a bare domain name ("Reuters.com").
fn has_domain(line: &str) -> bool {
    if line.contains("://") || line.contains("www.") || line.contains('@') {
        return true;
    }
    // word.tld where tld is 2 to 6 ASCII letters followed by a non-letter.
    let b = line.as_bytes();
    let mut i = 0;
    while let Some(dot) = b[i..].iter().position(|&c| c == b'.') {
        let at = i + dot;
        let before_is_word = at > 0 && b[at - 1].is_ascii_alphanumeric();
        let tld = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let after = b.get(at + 1 + tld);
        if before_is_word
            && (2..=6).contains(&tld)
            && after.is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            // "z.B." or "e.g." are abbreviations, not domains: the name
            // before the dot is longer than one letter.
            let name = b[..at]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
            if name >= 2 {
                return true;
            }
        }
        i = at + 1;
    }
    false
}

/// Whether `line` is short terms of a script written without spaces, set
/// apart by spaces ("唐山 呼和浩特 包头 济南 青岛", "会社概要 採用情報 お問い合わせ"):
/// a menu or a tag list. Running text in these scripts has no spaces between
/// its words, so each of its characters counts as a word (marks aside), and
/// without this a 30-character menu line would read as a 30-word sentence.
#[cfg(test)]
fn is_spaced_term_list(line: &str) -> bool {
    shape(line).is_spaced_term_list()
}

/// Counts of one line's characters.
struct Shape {
    chars: u32,
    /// Letters and digits, of any script.
    alphanumeric: u32,
    /// U+FFFD REPLACEMENT CHARACTER: bytes that were not text in the
    /// character set they were read in.
    undecodable: u32,
    upper: u32,
    cased: u32,
    digits: u32,
    punct: u32,
    /// Space-separated runs holding characters of unspaced scripts, and
    /// those characters (marks aside).
    unspaced_runs: u32,
    unspaced: u32,
}

impl Shape {
    /// See the test-only `is_spaced_term_list`: three or more such runs of
    /// at most five characters on average.
    fn is_spaced_term_list(&self) -> bool {
        self.unspaced_runs >= 3 && self.unspaced <= 5 * self.unspaced_runs
    }
}

/// One pass over the line's characters.
fn shape(line: &str) -> Shape {
    let mut s = Shape {
        chars: 0,
        alphanumeric: 0,
        undecodable: 0,
        upper: 0,
        cased: 0,
        digits: 0,
        punct: 0,
        unspaced_runs: 0,
        unspaced: 0,
    };
    let mut in_unspaced_run = false;
    for c in line.chars() {
        s.chars += 1;
        if c.is_alphanumeric() {
            s.alphanumeric += 1;
        } else if c == char::REPLACEMENT_CHARACTER {
            s.undecodable += 1;
        }
        if c.is_whitespace() {
            in_unspaced_run = false;
        } else if words::is_unspaced(c) && !words::is_mark(c) {
            s.unspaced += 1;
            if !in_unspaced_run {
                s.unspaced_runs += 1;
                in_unspaced_run = true;
            }
        }
        if c.is_uppercase() {
            s.upper += 1;
            s.cased += 1;
        } else if c.is_lowercase() {
            s.cased += 1;
        } else if c.is_numeric() {
            s.digits += 1;
        } else if !c.is_alphabetic() && !c.is_whitespace() {
            s.punct += 1;
        }
    }
    s
}

/// A body line: long running text of the page's language, not repeated.
pub(crate) fn is_body(s: &Signals) -> bool {
    s.words >= 10 && s.prose >= 0.5 && s.repeats == 0
}

/// The page's language: `hint` when it has a stop-word list, else the
/// language whose stop words cover most of the page.
pub(crate) fn page_language(
    stop: &StopWords,
    hint: Option<&str>,
    counts: &[StopCounts],
) -> Option<usize> {
    if let Some(l) = hint.and_then(|h| stop.index_of(h)) {
        return Some(l);
    }
    stop.guess(counts)
}

/// Measures every non-empty line of `text`. Returns the lines and the page
/// language's index in `stop`'s languages.
pub(crate) fn measure(
    text: &str,
    hint: Option<&str>,
    url: Option<&str>,
    stop: &StopWords,
    phrase_list: &Phrases,
    ngrams: &NgramModel,
    shapes: &NgramModel,
) -> (Vec<Line>, Option<usize>) {
    // Positions count visible characters only: how deep a renderer indents
    // or how many blank lines it leaves does not move a line.
    let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let total_chars = visible(text).max(1) as f64;
    // Physical lines, their numbers and offsets.
    let mut raw: Vec<(usize, usize, usize)> = Vec::new();
    let mut at = 0;
    for (k, piece) in text.split('\n').enumerate() {
        let end = at + piece.len();
        let content = piece.trim_end_matches('\r');
        if !content.trim().is_empty() {
            raw.push((k + 1, at, at + content.len()));
        }
        at = end + 1;
    }
    let words: Vec<LineWords> = raw
        .iter()
        .map(|&(_, s, e)| LineWords::without_list_marker(&text[s..e]))
        .collect();
    let counts: Vec<StopCounts> = words.iter().map(|w| stop.count(w)).collect();
    let language = page_language(stop, hint, &counts);
    let judge_wording = ngrams.judges(language.map(|l| stop.languages()[l]));

    // Lines with the same words, case-blind.
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    for w in words.iter().filter(|w| !w.is_empty()) {
        *seen.entry(w.lower.as_str()).or_default() += 1;
    }

    let mut chars_before = 0usize;
    let mut last_end = 0usize;
    let mut scratch = NgramScratch::default();
    let mut lines: Vec<Line> = raw
        .iter()
        .zip(&counts)
        .zip(&words)
        .map(|((&(number, start, end), c), lw)| {
            chars_before += visible(&text[last_end..start]);
            last_end = start;
            let line = &text[start..end];
            let sh = shape(line.trim());
            let stop_ratio = match language {
                Some(l) => c.ratio(l),
                None => 0.0,
            };
            let phrases = phrase_list.find(line, lw);
            let words = words::count_words(line, lw);
            let end_punct = ends_like_sentence(line);
            // Without a stop-word list for the page, running text is told by
            // length and sentence punctuation alone.
            let prose = if sh.is_spaced_term_list() {
                0.0
            } else {
                match language {
                    Some(_) => (stop_ratio / 0.3).min(1.0) * (f64::from(words) / 12.0).min(1.0),
                    None => f64::from(u8::from(end_punct)) * (f64::from(sh.chars) / 80.0).min(1.0),
                }
            };
            let per = |x: u32| f64::from(x) / f64::from(sh.chars.max(1));
            Line {
                number,
                start,
                end,
                signals: Signals {
                    chars: sh.chars,
                    words,
                    stop_ratio,
                    other_stop_ratio: c.best_other_ratio(language),
                    end_punct,
                    upper_ratio: if sh.cased == 0 {
                        0.0
                    } else {
                        f64::from(sh.upper) / f64::from(sh.cased)
                    },
                    digit_ratio: per(sh.digits),
                    punct_ratio: per(sh.punct),
                    bullet: starts_with_bullet(line),
                    // A page read in the wrong character set keeps a
                    // letter here and there between its U+FFFD; a stray
                    // one in a sentence ("f\u{fffd}r") leaves it text.
                    no_text: sh.alphanumeric == 0 || sh.undecodable >= sh.alphanumeric,
                    repeats: if lw.is_empty() {
                        0
                    } else {
                        seen[lw.lower.as_str()] - 1
                    },
                    domain: has_domain(line),
                    phrase_share: phrases.share,
                    lead_in: phrase_list.opens_with_lead_in(line, lw),
                    copyright: has_copyright_sign(line),
                    breadcrumb: is_breadcrumb(line),
                    byline: is_byline(line, lw, |w| {
                        language.is_some_and(|l| stop.is_function_word(w, l))
                    }),
                    related_heading: phrases.heading && phrases.share >= ONLY_PHRASES_SHARE,
                    position: chars_before as f64 / total_chars,
                    prose,
                    ngram: if judge_wording {
                        ngrams.score(line, &mut scratch)
                    } else {
                        NOT_JUDGED
                    },
                    // The wording's forest does without the shape.
                    shape_ngram: if judge_wording {
                        NOT_JUDGED
                    } else {
                        shapes.score(line.trim(), &mut scratch)
                    },
                    ..Signals::default()
                },
                phrases,
            }
        })
        .collect();
    add_context(&mut lines);
    let slug = url.and_then(UrlSlug::of_url);
    let url_headline = slug.as_ref().and_then(|slug| slug.headline(&words));
    if let Some(headline) = url_headline {
        add_headline(&mut lines, headline);
    }
    // A slug that names no line of the page leaves the headline to the text.
    let named = slug.as_ref().filter(|_| url_headline.is_some());
    headline::mark(&mut lines, text, &words, stop, language, named);
    mark_related_lists(&mut lines);
    (lines, language)
}

/// Lines after a related-stories heading that a list under it may hold.
const RELATED_LIST_LINES: usize = 8;
/// A line ending like a sentence with at least this many words is a
/// paragraph, which ends such a list.
const PARAGRAPH_WORDS: u32 = 15;

/// Marks the lines under each related-stories heading ("Related news",
/// "Baca juga", "الأكثر قراءة") as its list: up to
/// [`RELATED_LIST_LINES`] lines, ending before the first paragraph (a line
/// ending like a sentence with [`PARAGRAPH_WORDS`] words or more). A
/// teaser is a headline of another story, so every signal of its own says
/// "article"; where it stands says otherwise. On the development pages the
/// lines so placed hold 100 labelled boilerplate lines and 2 labelled
/// article lines, which their scores removed already; 86 lines the
/// classifier kept go, teasers and link lists most of them.
fn mark_related_lists(lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].signals.related_heading {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && j <= i + RELATED_LIST_LINES {
            let s = &mut lines[j].signals;
            if s.related_heading || (s.end_punct && s.words >= PARAGRAPH_WORDS) {
                break;
            }
            s.in_related_list = true;
            j += 1;
        }
        i = j;
    }
}

/// The learned scores of the lines before and after line `i`: -1 where
/// there is none, below every probability, so the trees can tell the
/// page's edge apart; [`NOT_JUDGED`] throughout a page the model does not
/// judge.
fn neighbours(scores: &[f64], i: usize) -> (f64, f64) {
    let edge = if scores.first() == Some(&NOT_JUDGED) {
        NOT_JUDGED
    } else {
        -1.0
    };
    let prev = if i > 0 { scores[i - 1] } else { edge };
    (prev, scores.get(i + 1).copied().unwrap_or(edge))
}

/// Places every line against the headline at index `headline`.
fn add_headline(lines: &mut [Line], headline: usize) {
    let to_end = (lines.len() - headline).max(1) as f64;
    for (i, l) in lines.iter_mut().enumerate() {
        let offset = i as i64 - headline as i64;
        l.signals.url_headline_offset =
            Some(offset.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
        l.signals.url_headline_progress = Some(offset as f64 / to_end);
    }
}

/// Fills the neighbourhood signals of each line from the lines around it.
fn add_context(lines: &mut [Line]) {
    let n = lines.len();
    let prose: Vec<f64> = lines.iter().map(|l| l.signals.prose).collect();
    let ngram: Vec<f64> = lines.iter().map(|l| l.signals.ngram).collect();
    let shape: Vec<f64> = lines.iter().map(|l| l.signals.shape_ngram).collect();
    let body: Vec<bool> = lines.iter().map(|l| is_body(&l.signals)).collect();
    let first_body = body.iter().position(|&b| b);
    let last_body = body.iter().rposition(|&b| b);
    // Distance to the nearest body line, from both sides.
    let mut dist = vec![u32::MAX; n];
    let mut d = u32::MAX;
    for i in 0..n {
        d = if body[i] { 0 } else { d.saturating_add(1) };
        dist[i] = d;
    }
    d = u32::MAX;
    for i in (0..n).rev() {
        d = if body[i] { 0 } else { d.saturating_add(1) };
        dist[i] = dist[i].min(d);
    }
    for i in 0..n {
        let s = &mut lines[i].signals;
        s.prev_prose = if i > 0 { prose[i - 1] } else { 0.0 };
        s.next_prose = prose.get(i + 1).copied().unwrap_or(0.0);
        (s.prev_ngram, s.next_ngram) = neighbours(&ngram, i);
        (s.prev_shape_ngram, s.next_shape_ngram) = neighbours(&shape, i);
        let (lo, hi) = (i.saturating_sub(3), (i + 3).min(n - 1));
        let (sum, count) = (lo..=hi)
            .filter(|&j| j != i)
            .fold((0.0, 0u32), |(s, c), j| (s + prose[j], c + 1));
        s.window_prose = if count == 0 {
            0.0
        } else {
            sum / f64::from(count)
        };
        // No body line at all: every line is as far as the page is long.
        s.body_distance = dist[i].min(n as u32);
        s.before_body = match first_body {
            Some(f) if i < f => (f - i) as u32,
            Some(_) => 0,
            None => n as u32,
        };
        s.after_body = match last_body {
            Some(l) if i > l => (i - l) as u32,
            Some(_) => 0,
            None => n as u32,
        };
    }
    add_blocks(lines, &body);
    add_region(lines);
}

/// What a line adds to a region: its prose characters count for it, its
/// other characters and the line itself against it.
fn region_value(s: &Signals) -> f64 {
    let chars = f64::from(s.chars);
    chars * s.prose - 0.5 * chars * (1.0 - s.prose) - 8.0
}

/// Finds the densest region (the maximum-sum run of line values) and fills
/// each line's distance to it.
fn add_region(lines: &mut [Line]) {
    let n = lines.len();
    let (mut best, mut best_span) = (0.0f64, None);
    let (mut sum, mut start) = (0.0f64, 0usize);
    for (i, line) in lines.iter().enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += region_value(&line.signals);
        if sum > best {
            best = sum;
            best_span = Some((start, i));
        }
    }
    for (i, line) in lines.iter_mut().enumerate() {
        line.signals.region_distance = match best_span {
            Some((a, _)) if i < a => (a - i) as u32,
            Some((_, b)) if i > b => (i - b) as u32,
            Some(_) => 0,
            None => n as u32,
        };
    }
}

/// Groups body lines into blocks and fills the main-block signals.
fn add_blocks(lines: &mut [Line], body: &[bool]) {
    let n = lines.len();
    // (first line, last line, characters of its body lines)
    let mut blocks: Vec<(usize, usize, u64)> = Vec::new();
    for i in (0..n).filter(|&i| body[i]) {
        let chars = u64::from(lines[i].signals.chars);
        match blocks.last_mut() {
            Some((_, last, c)) if i - *last - 1 <= MAX_BLOCK_GAP => {
                *last = i;
                *c += chars;
            }
            _ => blocks.push((i, i, chars)),
        }
    }
    let total: u64 = lines
        .iter()
        .map(|l| u64::from(l.signals.chars))
        .sum::<u64>()
        .max(1);
    // The first of equal blocks wins: the article comes before what follows it.
    let main = blocks
        .iter()
        .copied()
        .reduce(|best, b| if b.2 > best.2 { b } else { best });
    for (i, line) in lines.iter_mut().enumerate() {
        let s = &mut line.signals;
        match main {
            Some((first, last, chars)) => {
                s.main_distance = if i < first {
                    (first - i) as u32
                } else if i > last {
                    (i - last) as u32
                } else {
                    0
                };
                s.main_share = chars as f64 / total as f64;
                s.block_weight = blocks
                    .iter()
                    .find(|b| b.0 <= i && i <= b.1)
                    .map_or(0.0, |b| b.2 as f64 / chars as f64);
            }
            None => {
                s.main_distance = n as u32;
                s.main_share = 0.0;
                s.block_weight = 0.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_terms_of_unspaced_scripts_are_a_list() {
        for l in [
            "唐山 呼和浩特 包头 济南 青岛 上海 广州",
            "* 车型对比 选车向导 购车计算器 车型排行榜 经销商地图",
            "会社概要 採用情報 お問い合わせ サイトマップ",
            "หน้าแรก ข่าว กีฬา บันเทิง",
        ] {
            assert!(is_spaced_term_list(l), "{l}");
        }
        for l in [
            "新华社北京6月16日电，国务院总理李克强主持召开国务院常务会议。",
            "記者 山田太郎",
            "東京都は16日、新たに確認された感染者が200人を超えたと発表した。 詳しくは以下の通り。",
            "Home News Sport Entertainment",
            "Die Stadt hat am Montag mitgeteilt, dass die Brücke gesperrt bleibt.",
        ] {
            assert!(!is_spaced_term_list(l), "{l}");
        }
    }

    #[test]
    fn bylines_are_told_from_title_case_headings() {
        let stop = StopWords::embedded();
        let byline = |line: &str, language: &str| {
            let l = stop.index_of(language).unwrap();
            is_byline(line, &LineWords::new(line), |w| stop.is_function_word(w, l))
        };
        for (line, language) in [
            ("By Jane Doe", "en"),
            ("BY JANE DOE", "en"),
            ("By J. R. Smith and Anna Lee", "en"),
            ("Von Hans Müller", "de"),
            ("von Roland Brockmann und Sebastian Drescher", "de"),
            ("Par Jean Dupont", "fr"),
            ("Por Gustavo E. Méndez", "es"),
            ("Por Luiz Inácio da Silva", "pt"),
            ("Door Jan de Vries", "nl"),
            ("By Jan De Vries", "en"),
            ("Oleh Budi Santoso", "id"),
            ("* Av Anna Andersson", "sv"),
            // With a tail: the date, co-authors, the agency, the role.
            ("By Jane Doe | March 5, 2024", "en"),
            ("By Bob Yirka , Phys.org", "en"),
            ("par Florence Audier , le 15 septembre 2009", "fr"),
            (
                "von Marcus Bensmann , Justus von Daniels , Ulrich Stoll",
                "de",
            ),
            (
                "von Mathilda Trausch, Online-Redaktion Veröffentlicht: 26.12.2022",
                "de",
            ),
            ("Por María López - 12 de marzo de 2023", "es"),
            ("Oleh Budi Santoso · 3 Januari 2024 09:15 WIB", "id"),
        ] {
            assert!(byline(line, language), "{line}");
        }
        for (line, language) in [
            // A heading or a sentence, not a name.
            ("By The Way", "en"),
            ("By Car", "en"),
            ("By emailing us", "en"),
            ("Von Null auf Hundert", "de"),
            ("Von Berlin nach Hamburg", "de"),
            ("Par exemple", "fr"),
            ("¿Por Qué No?", "es"),
            // A byline with more after it than a date or names is judged
            // by the classifier.
            ("By Jane Doe, who covered the trial for ten years", "en"),
            ("Von Hans Müller, 45, wurde gestern in Berlin gewählt", "de"),
            ("By Sunday, 5 people had died", "en"),
            ("By Jane Doe | Share | Tweet | Email | Print", "en"),
            (
                "By John Smith - the story of a life in 300 pages and more than that",
                "en",
            ),
        ] {
            assert!(!byline(line, language), "{line}");
        }
    }

    #[test]
    fn breadcrumb_trails_are_told_by_their_arrows() {
        for trail in [
            "Главная › Новости › Мир",
            "Beranda » Berita » Dunia",
            "Home > News > World > Europe",
            "wmn » Health » Body & Fitness »",
            "  * ホーム > ニュース > 国際",
            "You are here: Home → Recipes → Focaccia Bread",
            "Главная / Новости / Мир",
            "Home » Haustechnik » Elektro / Photovoltaik » Initiative",
        ] {
            assert!(is_breadcrumb(trail), "{trail}");
        }
        for not_trail in [
            // Two items only, a sentence, quotes, a table row, a formula.
            "Home › News",
            "Prices rose > 5 % in May > than in April > most years.",
            "« Oui » et « non » » pas",
            "BHEL | Buy | Target Price",
            "Pro Portion / Stück  Pro 100 g / ml",
            "KFTL Elektromagnetismus / Induktion 574 / 579",
            "a > b → c > d",
            "Das ist » nicht « gut » oder » schlecht",
            "Startseite › Ratgeber › Wie man im Winter das Auto richtig auf die Reise vorbereitet",
        ] {
            assert!(!is_breadcrumb(not_trail), "{not_trail}");
        }
    }

    #[test]
    fn the_copyright_sign_is_not_mojibake() {
        assert!(has_copyright_sign("© 2024 Examplesite"));
        assert!(has_copyright_sign("3/28 photos ©Shutterstock"));
        assert!(has_copyright_sign("RÃ©sumÃ© © Reuters"));
        assert!(!has_copyright_sign("Paba noestru, qui es in ile cÃ©le,"));
        assert!(!has_copyright_sign("Copyright 2024"));
    }

    #[test]
    fn sentence_ends_in_many_scripts() {
        for l in [
            "Er kam.",
            "Kommt er?“",
            "他来了。",
            "آیا؟",
            "वह आया।",
            "(So sagte er.)",
            "«Voilà !»",
        ] {
            assert!(ends_like_sentence(l), "{l}");
        }
        for l in ["Startseite", "Kontakt:", "12:05 p.m", "Home »"] {
            assert!(!ends_like_sentence(l), "{l}");
        }
    }

    #[test]
    fn domains_urls_and_addresses() {
        for l in [
            "akses ke Reuters.com",
            "https://x.org/a",
            "mail me: a@b.de",
            "DETEKSIMALUT.COM PARTICIPE",
        ] {
            assert!(has_domain(l), "{l}");
        }
        for l in [
            "z.B. das",
            "Das Ende. Der Anfang",
            "Version 2.5 ist da",
            "e.g. this",
            "Ende.\u{a0}Der",
        ] {
            assert!(!has_domain(l), "{l}");
        }
    }

    #[test]
    fn list_markers() {
        assert!(starts_with_bullet("  • Blinken dan Lavrov"));
        assert!(starts_with_bullet("* Home"));
        assert!(starts_with_bullet("o Hundefutter"));
        assert!(!starts_with_bullet("oder nicht"));
        assert!(!starts_with_bullet("-5 °C heute"));
        assert!(!starts_with_bullet("Normal text"));
    }
}
