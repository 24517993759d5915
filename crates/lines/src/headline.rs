//! The page's headline: the line just before the article that names what
//! the article's first paragraphs tell.
//!
//! A headline is short, has no sentence punctuation and stands among menu
//! items, breadcrumbs, bylines and share buttons, so a line classifier that
//! judges lines by their shape and wording takes it for one of them. The
//! development set's labels do not teach otherwise: they rarely cover a
//! headline, and as often call it boilerplate as article. Yet an article
//! without its headline is an article cut, and C4's line rules are faulted
//! for exactly that. So the headline is found apart from the classifier and
//! kept whatever its score.
//!
//! What marks it in any language is that the article's opening repeats its
//! words: "Grève SNCF : le trafic fortement perturbé ce jeudi" over "Le
//! trafic ferroviaire sera fortement perturbé jeudi", "В Москве открылась
//! новая станция метро" over "Новая станция метро открылась в Москве". A
//! breadcrumb, a byline or a "Share" button repeats none of them. So each
//! line shortly before the page's main block gets its *lede echo*: the share
//! of its content words (not stop words of the page's language, not
//! numbers, compared by their first five characters so that
//! "perturbé" finds "perturbée" and "станция" finds "станции" without a
//! stemmer) found in the block's first paragraphs. Where the page's URL
//! names a headline ([`crate::url_headline`]), the headline is the line
//! there holding most of the slug's words, if the lede echoes it; the URL
//! outranks the text, so when the line it names lies elsewhere on the page
//! no line is taken. Otherwise it is the line the lede echoes most, the
//! earlier of equals (a photo caption after the headline echoes the lede
//! too).

use rustc_hash::FxHashSet;

use crate::signals::{Line, Signals, is_body};
use crate::stopwords::StopWords;
use crate::url_headline::{self, UrlSlug};
use crate::words::{LineWords, is_logographic, is_unspaced};

/// Long lines after a line whose words make its lede...
const LEDE_LINES: usize = 3;
/// ... a long line having at least this many words.
const LONG_WORDS: u32 = 10;
/// Non-empty lines before the main block where the headline is looked for.
const REACH: usize = 12;
/// Words are compared by this many first characters.
const PREFIX: usize = 5;
/// A headline holds at least this many content words (Han or kana
/// characters, each a word here)...
const MIN_WORDS: usize = 2;
const MIN_UNSPACED_CHARS: usize = 4;
/// ... and at most this many code points.
const MAX_CHARS: u32 = 200;
/// The share of its content words the lede must repeat.
const MIN_ECHO: f64 = 0.5;
/// The URL's headline needs less: the URL already names it.
const MIN_URL_ECHO: f64 = 0.3;

/// The content words of a line, by their first [`PREFIX`] characters.
fn content_words<'a>(
    words: &'a LineWords,
    stop: &'a StopWords,
    language: Option<usize>,
) -> impl Iterator<Item = &'a str> + 'a {
    let own = language.map_or(0, |l| 1u128 << l);
    (0..words.len()).filter_map(move |i| {
        let w = words.lower(i);
        let first = w.chars().next()?;
        // A Han or kana character is a word of its own, and Thai words
        // of two letters carry meaning; other words of one or two letters
        // are mostly function words.
        if !is_unspaced(first) && w.chars().nth(2).is_none() {
            return None;
        }
        if w.chars().all(char::is_numeric) || stop.lookup(w) & own != 0 {
            return None;
        }
        let cut = w.char_indices().nth(PREFIX).map_or(w.len(), |(at, _)| at);
        Some(&w[..cut])
    })
}

/// Ends with a full stop: a caption or a standfirst, not a headline (which
/// may end in "?" or "!").
fn ends_with_full_stop(line: &str) -> bool {
    let t = line.trim_end();
    (t.ends_with('.') && !t.ends_with("...")) || t.ends_with('。')
}

/// Holds two separators of a breadcrumb trail or a title bar
/// ("Home > News > …", "Startseite » People » …"), or a spaced slash, as
/// photo credits write it ("Trybunał Konstytucyjny / Shutterstock"); one
/// " | " is common in headlines themselves ("Update | Crash victims
/// identified").
fn is_trail(line: &str) -> bool {
    let mut separators = 0;
    for w in line.split_whitespace() {
        match w {
            "/" => return true,
            ">" | "»" | "›" | "|" | "\\" | ">>" => separators += 1,
            _ => {}
        }
    }
    separators >= 2
}

/// Whether a line may be a headline at all, by its own signals. A line
/// opening on punctuation continues another (": v.l.: …"); one with a run
/// of spaces is a table's row ("Hersteller:      Jetico").
fn may_be_headline(line: &str, s: &Signals) -> bool {
    let t = line.trim();
    !(s.no_text
        || t.starts_with(|c: char| {
            c.is_ascii_punctuation() && !matches!(c, '"' | '\'' | '¿' | '¡')
        })
        || t.contains("   ")
        || t.contains('\t')
        || s.bullet
        || s.lead_in
        || s.domain
        || s.phrase_share > 0.0
        || s.chars > MAX_CHARS
        || ends_with_full_stop(line)
        || is_trail(line))
}

/// Finds the page's headline among `lines` (whose words are `words`, its
/// language `language`) and marks it; fills [`Signals::lede_echo`] of the
/// lines looked at. `slug` is the page's URL's slug if it names a line of
/// the page ([`UrlSlug::headline`]).
pub(crate) fn mark(
    lines: &mut [Line],
    text: &str,
    words: &[LineWords],
    stop: &StopWords,
    language: Option<usize>,
    slug: Option<&UrlSlug>,
) {
    let Some(first_main) = lines
        .iter()
        .position(|l| l.signals.main_distance == 0 && is_body(&l.signals))
    else {
        return;
    };
    // The lede of a line: the first long lines after it (a paragraph that
    // reads unlike the page's prose is still the story's opening).
    let long: Vec<usize> = (first_main.saturating_sub(REACH)..lines.len())
        .filter(|&j| {
            let s = &lines[j].signals;
            s.words >= LONG_WORDS && s.repeats == 0 && !s.no_text
        })
        .take(REACH + LEDE_LINES)
        .collect();
    let long_words: Vec<FxHashSet<&str>> = long
        .iter()
        .map(|&j| content_words(&words[j], stop, language).collect())
        .collect();
    let mut best: Option<(f64, usize)> = None;
    let mut url_pick: Option<(f64, usize)> = None;
    // The main block's first line too, when it does not end like a sentence:
    // in a script without spaces a headline has as many words as characters,
    // enough to count as a body line.
    let last = if lines[first_main].signals.end_punct {
        first_main
    } else {
        first_main + 1
    };
    for i in first_main.saturating_sub(REACH)..last {
        let mut own: FxHashSet<&str> = FxHashSet::default();
        let mut unspaced = 0;
        for w in content_words(&words[i], stop, language) {
            unspaced += usize::from(w.chars().next().is_some_and(is_logographic));
            own.insert(w);
        }
        if own.is_empty() {
            continue;
        }
        let after = long.partition_point(|&j| j <= i);
        let lede = &long_words[after..(after + LEDE_LINES).min(long.len())];
        let echo = own
            .iter()
            .filter(|w| lede.iter().any(|l| l.contains(*w)))
            .count() as f64
            / own.len() as f64;
        let line = &text[lines[i].start..lines[i].end];
        let signals = &mut lines[i].signals;
        signals.lede_echo = Some(echo);
        let enough = if unspaced * 2 > own.len() {
            own.len() >= MIN_UNSPACED_CHARS
        } else {
            own.len() >= MIN_WORDS
        };
        if !enough || !may_be_headline(line, signals) {
            continue;
        }
        if let Some(slug) = slug {
            let share = slug.share_in(&words[i]);
            // The later of equals: a title bar's copy stands above the page's own.
            if share >= url_headline::MIN_SHARE
                && echo >= MIN_URL_ECHO
                && url_pick.is_none_or(|(s, _)| share >= s)
            {
                url_pick = Some((share, i));
            }
            continue;
        }
        if echo >= MIN_ECHO && best.is_none_or(|(e, _)| echo > e) {
            best = Some((echo, i));
        }
    }
    if let Some((_, h)) = url_pick.or(best) {
        lines[h].signals.headline = true;
    }
}
