//! The headline a page's URL names.
//!
//! Most article URLs end in a slug of the headline's words
//! (`/2019/10/21/interning-of-small-integers-in-python/`,
//! `/nicaragua-cerro-2021-con-deuda-externa`). The line of the page that
//! holds most of those words is the article's headline, so it tells where
//! the article begins: menus, breadcrumbs and teasers stand before it, the
//! article's short lines (its summary, sub-heads and list items) after it.
//! A whole-page rendering has no other mark of where its article starts.
//!
//! Words are compared transliterated to ASCII and in lower case, so a slug
//! written without accents (`deuda-externa-de-14372-millones`), in German
//! ASCII spelling (`ae` for `ä`) or percent-encoded in its own script
//! matches the line as printed.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::site_lines::archive_capture;
use crate::words::LineWords;

/// Slug words that are parts of the address, not of a headline.
const NOT_HEADLINE: [&str; 14] = [
    "html", "htm", "shtml", "php", "asp", "aspx", "jsp", "cfm", "index", "www", "http", "https",
    "amp", "default",
];

/// A slug must hold this many words to name a headline.
const MIN_WORDS: usize = 2;

/// The share of the slug's words a line must hold to be its headline.
pub const MIN_SHARE: f64 = 0.5;

/// The words of a URL's slug: of its path's segments, the one with the
/// most words that are not numbers, file extensions or the host's own.
#[derive(Clone, Debug)]
pub struct UrlSlug {
    /// Each distinct word and its bit in a line's mask of words found.
    words: FxHashMap<String, u32>,
    /// Bit `n` set when a slug word is `n` bytes long: most words of a
    /// line are told apart by their length without hashing them.
    lengths: u64,
}

/// Slug words looked for, at most: one bit each in a `u64`.
const MAX_WORDS: usize = 64;

impl UrlSlug {
    /// The slug of `url`, if it has one of at least two words. An
    /// archive.org capture's slug is the captured URL's.
    pub fn of_url(url: &str) -> Option<UrlSlug> {
        let parsed = url::Url::parse(url.trim()).ok()?;
        if let Some(captured) = archive_capture(&parsed) {
            return UrlSlug::of_url(&captured?);
        }
        let host = parsed.host_str()?;
        let host_words: FxHashSet<String> = folded_words(host).collect();
        let mut best: Vec<String> = Vec::new();
        for segment in parsed.path().split('/') {
            let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
            let words: Vec<String> = folded_words(&decoded)
                .filter(|w| {
                    w.len() >= 2
                        && !w.bytes().all(|b| b.is_ascii_digit())
                        && !NOT_HEADLINE.contains(&w.as_str())
                        && !host_words.contains(w)
                })
                .collect();
            if words.len() > best.len() {
                best = words;
            }
        }
        let mut words: FxHashMap<String, u32> = FxHashMap::default();
        for w in best {
            let bit = words.len() as u32;
            if words.len() < MAX_WORDS {
                words.entry(w).or_insert(bit);
            }
        }
        let lengths = words
            .keys()
            .filter(|w| w.len() < 64)
            .fold(0u64, |m, w| m | 1 << w.len());
        (words.len() >= MIN_WORDS).then_some(UrlSlug { words, lengths })
    }

    /// The share of the slug's words that `line` holds.
    pub fn share_in(&self, line: &LineWords) -> f64 {
        let mut found = 0u64;
        let mut look = |w: &str| {
            if w.len() < 64
                && self.lengths & (1 << w.len()) != 0
                && let Some(&bit) = self.words.get(w)
            {
                found |= 1 << bit;
            }
        };
        let mut folded = String::new();
        for word in line.lower.split(' ') {
            if word.is_ascii() {
                look(word);
            } else {
                fold_word(word, false, &mut folded);
                look(&folded);
                if word.contains(['ä', 'ö', 'ü']) {
                    fold_word(word, true, &mut folded);
                    look(&folded);
                }
            }
        }
        f64::from(found.count_ones()) / self.words.len() as f64
    }

    /// The index of the headline among `lines`: the first line holding the
    /// largest share of the slug's words, if that is at least half of them.
    pub fn headline(&self, lines: &[LineWords]) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for (i, line) in lines.iter().enumerate() {
            let share = self.share_in(line);
            if share >= MIN_SHARE && best.is_none_or(|(_, b)| share > b) {
                best = Some((i, share));
            }
        }
        best.map(|(i, _)| i)
    }
}

/// A lower-case word transliterated to ASCII letters and digits into
/// `out` ("größe" to "grosse", "новый" to "novyi", "中" to "zhong"); with
/// `german`, "ä", "ö" and "ü" are written "ae", "oe" and "ue". What
/// transliteration writes between letters ("'" for the soft sign of
/// "подольски") is dropped, as slugs drop it.
fn fold_word(word: &str, german: bool, out: &mut String) {
    out.clear();
    let mut push = |s: &str| {
        out.extend(
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase()),
        );
    };
    for c in word.chars() {
        match c {
            'ä' if german => push("ae"),
            'ö' if german => push("oe"),
            'ü' if german => push("ue"),
            c if c.is_ascii() => push(c.encode_utf8(&mut [0; 4])),
            c => push(deunicode::deunicode_char(c).unwrap_or("")),
        }
    }
}

/// The words of `text`, folded ([`fold_word`]); words that fold to
/// nothing are left out.
fn folded_words(text: &str) -> impl Iterator<Item = String> {
    let words = LineWords::new(text);
    (0..words.len())
        .map(move |i| {
            let mut out = String::new();
            fold_word(words.lower(i), false, &mut out);
            out
        })
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(url: &str, line: &str) -> f64 {
        UrlSlug::of_url(url)
            .expect("a slug")
            .share_in(&LineWords::new(line))
    }

    #[test]
    fn the_slug_is_the_wordiest_path_segment() {
        let slug = UrlSlug::of_url(
            "http://fouryears.eu/2019/10/21/interning-of-small-integers-in-python/",
        )
        .unwrap();
        let mut words: Vec<&str> = slug.words.keys().map(String::as_str).collect();
        words.sort_unstable();
        assert_eq!(
            words,
            ["in", "integers", "interning", "of", "python", "small"]
        );
    }

    #[test]
    fn addresses_without_a_headline_have_no_slug() {
        for url in [
            "http://archiv.krimiblog.de/?p=2895",
            "https://example.com/",
            "https://example.com/2021/05/12/index.html",
            "https://example.com/news/article.php",
            "not a url",
        ] {
            assert!(UrlSlug::of_url(url).is_none(), "{url}");
        }
    }

    #[test]
    fn accents_umlauts_and_other_scripts_match_their_ascii_slug() {
        let es = "https://www.example.com/nicaragua-cerro-2021-con-deuda-externa";
        assert_eq!(share(es, "Nicaragua cerró 2021 con deuda externa"), 1.0);
        let de = "https://www.example.de/streit-ums-feuerholz-fuer-die-gaerten";
        assert_eq!(share(de, "Streit ums Feuerholz für die Gärten"), 1.0);
        // Percent-encoded Cyrillic, and the same words transliterated.
        let ru = "https://example.ru/%D0%BD%D0%BE%D0%B2%D1%8B%D0%B9-%D0%B7%D0%B0%D0%BA%D0%BE%D0%BD";
        assert_eq!(share(ru, "Новый закон принят"), 1.0);
        assert_eq!(share("https://example.ru/novyi-zakon", "Новый закон"), 1.0);
        // A soft sign transliterates to an apostrophe, which slugs leave out.
        let ua = "https://football.ua/germany/311510-podolski-zavershil-kareru.html";
        assert_eq!(share(ua, "Подольски завершил карьеру"), 1.0);
    }

    #[test]
    fn the_host_name_is_not_part_of_the_headline() {
        // "kulinariaathome" names the site, not the article.
        let url =
            "http://kulinariaathome.wordpress.com/2012/12/08/kulinariaathome-mandel-platzchen/";
        assert_eq!(share(url, "Mandel-Plätzchen"), 1.0);
    }

    #[test]
    fn the_headline_is_the_first_line_with_most_slug_words() {
        let slug = UrlSlug::of_url("https://example.com/blog/how-to-bake-rye-bread").unwrap();
        let lines: Vec<LineWords> = [
            "Home | Blog | Recipes",
            "Rye bread",
            "How to bake rye bread at home",
            "Rye bread needs a sour dough. How to bake it takes a day.",
        ]
        .iter()
        .map(|l| LineWords::new(l))
        .collect();
        assert_eq!(slug.headline(&lines), Some(2));
        let none: Vec<LineWords> = ["Home", "Contact us"]
            .iter()
            .map(|l| LineWords::new(l))
            .collect();
        assert_eq!(slug.headline(&none), None);
    }

    #[test]
    fn an_archive_capture_uses_the_captured_address() {
        let url = "https://web.archive.org/web/20190101000000/https://example.com/the-long-title";
        assert_eq!(share(url, "The long title"), 1.0);
    }
}
