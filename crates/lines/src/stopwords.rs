//! Stop words of 113 languages, to tell article prose from page furniture and
//! one language from another.
//!
//! Running text in any language is full of its function words ("dan",
//! "yang", "der", "the"); menus, buttons and titles have few. jusText built
//! its boilerplate classifier on that (Pomikálek 2011); its lists (BSD,
//! `data/JUSTEXT-LICENSE`), cut to the 400 most frequent words of each
//! language by `tools/make_stopwords.py`, are embedded here, with lists of
//! the 150 most frequent words of the development set's sentences for the
//! 14 languages jusText lacks (Chinese and Japanese by character, Thai by the
//! dictionary words [`crate::words`] cuts it into). Every word maps
//! to the set of languages it is a stop word of, so one lookup counts a word
//! for all languages at once.

use rustc_hash::FxHashMap;

use crate::words::LineWords;

const DATA: &str = include_str!("../data/stopwords.tsv");

/// A set of languages, one bit per language of [`StopWords::languages`].
pub type LanguageSet = u128;

/// The embedded stop-word lists.
pub struct StopWords {
    /// Language codes (ISO 639-1 where there is one), in bit order.
    codes: Vec<&'static str>,
    words: FxHashMap<&'static str, LanguageSet>,
    /// The first [`FUNCTION_WORDS`] words of each list (they are in order of
    /// frequency): articles, prepositions, conjunctions. Further down, the
    /// lists made from sentences hold common names too ("john", "jean").
    function_words: FxHashMap<&'static str, LanguageSet>,
}

/// Words at the head of each list that are its function words.
pub const FUNCTION_WORDS: usize = 50;

/// Stop-word counts of one piece of text.
#[derive(Clone, Debug, Default)]
pub struct StopCounts {
    pub words: u32,
    /// The languages of each word that is a stop word somewhere.
    pub sets: Vec<LanguageSet>,
}

impl StopCounts {
    /// The share of words that are stop words of language `l`.
    pub fn ratio(&self, l: usize) -> f64 {
        if self.words == 0 {
            return 0.0;
        }
        let hits = self.sets.iter().filter(|&&s| s & (1 << l) != 0).count();
        hits as f64 / f64::from(self.words)
    }

    /// The highest share of words that are stop words of some language other
    /// than `except` and not of `except`. Words both languages share do not
    /// count: Indonesian prose is not "in Malay", nor Danish "in Norwegian",
    /// because the two have most function words in common.
    pub fn best_other_ratio(&self, except: Option<usize>) -> f64 {
        if self.words == 0 {
            return 0.0;
        }
        let own: LanguageSet = except.map_or(0, |l| 1 << l);
        let mut hits = [0u32; 128];
        for &set in &self.sets {
            if set & own != 0 {
                continue;
            }
            let mut rest = set;
            while rest != 0 {
                hits[rest.trailing_zeros() as usize] += 1;
                rest &= rest - 1;
            }
        }
        f64::from(hits.into_iter().max().unwrap_or(0)) / f64::from(self.words)
    }

    /// Adds each language's stop words in these counts to `hits`.
    pub fn add_hits(&self, hits: &mut [u32]) {
        for &set in &self.sets {
            let mut rest = set;
            while rest != 0 {
                hits[rest.trailing_zeros() as usize] += 1;
                rest &= rest - 1;
            }
        }
    }
}

impl StopWords {
    /// Parses the embedded lists.
    pub fn embedded() -> StopWords {
        let mut codes = Vec::new();
        let mut words: FxHashMap<&'static str, LanguageSet> = FxHashMap::default();
        let mut function_words: FxHashMap<&'static str, LanguageSet> = FxHashMap::default();
        for (bit, row) in DATA.lines().filter(|l| !l.is_empty()).enumerate() {
            let mut fields = row.split('\t');
            let code = fields.next().expect("language code");
            let _name = fields.next().expect("language name");
            let list = fields.next().unwrap_or("");
            assert!(bit < 128, "at most 128 stop-word languages");
            codes.push(code);
            for (rank, w) in list.split(' ').filter(|w| !w.is_empty()).enumerate() {
                *words.entry(w).or_default() |= 1 << bit;
                if rank < FUNCTION_WORDS {
                    *function_words.entry(w).or_default() |= 1 << bit;
                }
            }
        }
        StopWords {
            codes,
            words,
            function_words,
        }
    }

    pub fn languages(&self) -> &[&'static str] {
        &self.codes
    }

    /// The index of language `code` (`"de"`, `"id"`, or `"de-AT"`, read as
    /// `"de"`), if it has a list.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        let base = code.split(['-', '_']).next().unwrap_or(code);
        let base = base.to_ascii_lowercase();
        self.codes.iter().position(|c| *c == base).or_else(|| {
            // Norwegian without a variant: Bokmål.
            (base == "no").then(|| self.codes.iter().position(|c| *c == "nb"))?
        })
    }

    /// Whether `word` (lower case) is one of the 50 most frequent words of
    /// language `l` (`FUNCTION_WORDS`).
    pub fn is_function_word(&self, word: &str, l: usize) -> bool {
        self.function_words
            .get(word)
            .is_some_and(|&set| set & (1 << l) != 0)
    }

    /// The languages `word` (lower case) is a stop word of.
    pub fn lookup(&self, word: &str) -> LanguageSet {
        self.words.get(word).copied().unwrap_or(0)
    }

    /// Counts the words of a line and the languages of its stop words.
    pub fn count(&self, words: &LineWords) -> StopCounts {
        let mut counts = StopCounts {
            words: words.len() as u32,
            sets: Vec::new(),
        };
        for i in 0..words.len() {
            let set = self.lookup(words.lower(i));
            if set != 0 {
                counts.sets.push(set);
            }
        }
        counts
    }

    /// [`StopWords::count`] of any text.
    pub fn count_text(&self, text: &str) -> StopCounts {
        self.count(&LineWords::new(text))
    }

    /// The language whose stop words cover most of the words of `counts`
    /// (a page's lines), if any covers at least one in twenty (text with
    /// fewer is not prose in any of these languages).
    pub fn guess(&self, counts: &[StopCounts]) -> Option<usize> {
        let mut hits = vec![0u32; self.codes.len()];
        let mut words = 0u32;
        for c in counts {
            c.add_hits(&mut hits);
            words += c.words;
        }
        let (l, &best) = hits
            .iter()
            .enumerate()
            .max_by_key(|(l, h)| (**h, usize::MAX - l))?;
        (best > 0 && f64::from(best) >= 0.05 * f64::from(words)).then_some(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_a_list() {
        let s = StopWords::embedded();
        assert_eq!(s.languages().len(), 113);
        for code in [
            "en", "de", "fr", "id", "pl", "ru", "ar", "ko", "zh", "ja", "th", "zu",
        ] {
            assert!(s.index_of(code).is_some(), "{code}");
        }
        assert_eq!(s.index_of("de-AT"), s.index_of("de"));
        assert_eq!(s.index_of("no"), s.index_of("nb"));
    }

    #[test]
    fn guesses_the_language_of_prose() {
        let s = StopWords::embedded();
        let cases = [
            (
                "id|ms",
                "Para diplomat tinggi AS dan Rusia tidak membuat terobosan besar dalam pembicaraan di Ukraina pada Jumat, tetapi sepakat untuk terus berbicara.",
            ),
            (
                "en",
                "We will be happy to hear your thoughts about the article and what you think of it.",
            ),
            (
                "de",
                "Die Bundesregierung hat sich auf ein neues Gesetz geeinigt, das im nächsten Jahr in Kraft treten soll.",
            ),
            (
                "fr",
                "Le gouvernement a présenté mercredi un projet de loi qui doit entrer en vigueur l'année prochaine.",
            ),
        ];
        for (want, text) in cases {
            let c = s.count_text(text);
            let got = s
                .guess(std::slice::from_ref(&c))
                .map(|l| s.languages()[l])
                .unwrap_or("none");
            // Indonesian and Malay share most of their function words.
            assert!(want.split('|').any(|w| w == got), "{got} for {text}");
        }
    }

    #[test]
    fn a_related_language_is_not_another_language() {
        let s = StopWords::embedded();
        let id = s.index_of("id").unwrap();
        let prose = s.count_text("Para diplomat tinggi AS dan Rusia tidak membuat terobosan besar dalam pembicaraan di Ukraina pada Jumat, tetapi sepakat untuk terus berbicara.");
        let english = s.count_text("We will be happy to hear your thoughts");
        assert!(
            prose.best_other_ratio(Some(id)) < 0.15,
            "{}",
            prose.best_other_ratio(Some(id))
        );
        assert!(
            english.best_other_ratio(Some(id)) >= 0.4,
            "{}",
            english.best_other_ratio(Some(id))
        );
    }

    #[test]
    fn a_menu_has_few_stop_words() {
        let s = StopWords::embedded();
        let de = s.index_of("de").unwrap();
        let menu = s.count_text("Startseite Politik Wirtschaft Sport Kultur Impressum");
        let prose = s.count_text("Die Regierung hat sich nach langen Verhandlungen auf einen Kompromiss geeinigt, der in der Koalition umstritten war.");
        assert!(menu.ratio(de) < 0.2, "{}", menu.ratio(de));
        assert!(prose.ratio(de) > 0.3, "{}", prose.ratio(de));
    }
}
