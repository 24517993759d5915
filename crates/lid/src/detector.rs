//! Language of one piece of text: lingua's high-accuracy method on its own
//! models, computed over the shared n-gram trie of [`crate::model`].
//!
//! The steps are lingua's (1.8): lowercase and split into letter runs; decide
//! at once when a script or characters belong to one language; narrow the
//! candidates to the text's main alphabet and to languages whose special
//! characters it uses; then score each candidate by the log-probabilities of
//! the text's distinct character n-grams (1- to 5-grams; trigrams only from
//! 120 letters on), backing off to shorter prefixes, and normalise.
//! What differs is the arithmetic's organisation: one trie walk per text
//! position serves every order and every language, and a node met by several
//! n-grams is added once with its multiplicity.

use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::language::{Alphabet, Language};
use crate::lingua_tables::CHARS_TO_LANGUAGES;
use crate::model::{MODEL, Node, ROW, prefetch};

/// Lingua's `TOKENS_WITHOUT_WHITESPACE`: letter runs, Han and kana one by one.
static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        "\\p{Bengali}+|\\p{Devanagari}+|\\p{Gujarati}+|\\p{Gurmukhi}+|\\p{Han}|\\p{Hangul}+|\\p{Hiragana}|\\p{Katakana}|\\p{Tamil}+|\\p{Telugu}+|\\p{Thai}+|\\p{L}+",
    )
    .expect("valid pattern")
});

/// A set of languages, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LanguageSet(u128);

impl LanguageSet {
    pub const ALL: LanguageSet = LanguageSet((1u128 << Language::COUNT) - 1);

    pub fn contains(self, l: Language) -> bool {
        self.0 >> l.0 & 1 == 1
    }
    pub fn insert(&mut self, l: Language) {
        self.0 |= 1 << l.0;
    }
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Language> {
        Language::all().filter(move |l| self.contains(*l))
    }
}

/// The most likely language of a text and how sure the detector is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detection {
    pub language: Language,
    /// The language's share of the probability over all candidates (0–1);
    /// 1.0 when a rule decided.
    pub confidence: f64,
}

/// Facts the rules need, derived once from the language tables.
struct Rules {
    /// Alphabets used by exactly one language.
    single_language_alphabets: Vec<(Alphabet, Language)>,
    /// Characters of one language's own (several, for a few characters
    /// listed by more than one), and that language.
    unique_characters: FxHashMap<char, LanguageSet>,
    /// Groups of characters shared by a few languages, and those languages…
    shared_characters: Vec<LanguageSet>,
    /// …and the groups each character is in.
    shared_groups: FxHashMap<char, Vec<usize>>,
    by_alphabet: FxHashMap<Alphabet, LanguageSet>,
    chinese: Language,
    japanese: Language,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let mut by_alphabet: FxHashMap<Alphabet, LanguageSet> = FxHashMap::default();
    for l in Language::all() {
        for &a in l.alphabets() {
            by_alphabet.entry(a).or_default().insert(l);
        }
    }
    let single_language_alphabets = Alphabet::ALL
        .iter()
        .filter_map(|a| {
            let set = by_alphabet.get(a).copied().unwrap_or_default();
            (set.len() == 1).then(|| (*a, set.iter().next().unwrap()))
        })
        .collect();
    let by_name = |n: &str| Language::all().find(|l| l.name() == n).expect("known name");
    Rules {
        single_language_alphabets,
        unique_characters: {
            let mut map: FxHashMap<char, LanguageSet> = FxHashMap::default();
            for l in Language::all() {
                for c in l.unique_characters().chars() {
                    map.entry(c).or_default().insert(l);
                }
            }
            map
        },
        shared_characters: CHARS_TO_LANGUAGES
            .iter()
            .map(|(_, names)| {
                let mut set = LanguageSet::default();
                for n in *names {
                    set.insert(by_name(n));
                }
                set
            })
            .collect(),
        shared_groups: {
            let mut map: FxHashMap<char, Vec<usize>> = FxHashMap::default();
            for (g, (chars, _)) in CHARS_TO_LANGUAGES.iter().enumerate() {
                for c in chars.chars() {
                    let groups = map.entry(c).or_default();
                    if !groups.contains(&g) {
                        groups.push(g);
                    }
                }
            }
            map
        },
        by_alphabet,
        chinese: by_name("Chinese"),
        japanese: by_name("Japanese"),
    }
});

/// Detects the language of texts. Cheap to create and to share between
/// threads: the model is embedded and loaded on first use.
#[derive(Clone, Debug, Default)]
pub struct Detector {
    languages: Option<LanguageSet>,
}

impl Detector {
    pub fn new() -> Detector {
        Detector::default()
    }

    /// A detector that only considers `languages`.
    pub fn with_languages(languages: LanguageSet) -> Detector {
        Detector {
            languages: Some(languages),
        }
    }

    /// Loads the model now rather than on the first texts: parses it and
    /// reads every page of it, so that no text pays for a page fault.
    pub fn preload(&self) {
        LazyLock::force(&MODEL).touch_every_page();
        LazyLock::force(&RULES);
        LazyLock::force(&WORDS);
    }

    /// The most likely language, or `None` when the text has no letters or
    /// two languages tie.
    pub fn detect(&self, text: &str) -> Option<Detection> {
        let values = self.confidence_values(text);
        let (&(language, confidence), rest) = values.split_first()?;
        if confidence == 0.0 {
            return None;
        }
        if let Some(&(_, second)) = rest.first()
            && (confidence - second).abs() < f64::EPSILON
        {
            return None;
        }
        Some(Detection {
            language,
            confidence,
        })
    }

    /// Every candidate language with a non-zero probability, most likely
    /// first (ties by language order).
    pub fn confidence_values(&self, text: &str) -> Vec<(Language, f64)> {
        let languages = self.languages.unwrap_or(LanguageSet::ALL);
        let lower = text.trim().to_lowercase();
        let words: Vec<&str> = WORDS.find_iter(&lower).map(|m| m.as_str()).collect();
        if words.is_empty() {
            return Vec::new();
        }
        // Lingua's rules look for non-ASCII letters only: plain ASCII text
        // just narrows to the languages written in Latin letters.
        let candidates = if words.iter().all(|w| w.is_ascii()) {
            LanguageSet(languages.0 & RULES.by_alphabet[&Alphabet::Latin].0)
        } else {
            if let Some(l) = detect_with_rules(&words, languages) {
                return vec![(l, 1.0)];
            }
            filter_by_rules(&words, languages)
        };
        if candidates.len() == 1 {
            return vec![(candidates.iter().next().unwrap(), 1.0)];
        }
        let letters: usize = words.iter().map(|w| w.chars().count()).sum();
        let orders = if letters >= 120 { 3..=3 } else { 1..=5 };
        let scores = ngram_scores(&words, orders, candidates);
        softmax(scores)
    }
}

/// Lingua's `detect_language_with_rules`: a language whose own script or
/// characters most words use.
#[inline(never)]
fn detect_with_rules(words: &[&str], languages: LanguageSet) -> Option<Language> {
    let rules = &*RULES;
    // Per word: the language it points to, or None.
    let mut totals: Vec<(Option<Language>, usize)> = Vec::new();
    let mut add = |l: Option<Language>| match totals.iter_mut().find(|(k, _)| *k == l) {
        Some((_, n)) => *n += 1,
        None => totals.push((l, 1)),
    };
    for word in words {
        let mut counts: Vec<(Language, usize)> = Vec::new();
        let mut count = |l: Language| match counts.iter_mut().find(|(k, _)| *k == l) {
            Some((_, n)) => *n += 1,
            None => counts.push((l, 1)),
        };
        for c in word.chars() {
            let alphabet = Alphabet::of(c);
            if let Some(&(_, l)) = rules
                .single_language_alphabets
                .iter()
                .find(|(a, _)| Some(*a) == alphabet)
            {
                count(l);
            } else if alphabet == Some(Alphabet::Han) {
                count(rules.chinese);
            } else if matches!(alphabet, Some(Alphabet::Hiragana | Alphabet::Katakana)) {
                count(rules.japanese);
            } else if matches!(
                alphabet,
                Some(Alphabet::Latin | Alphabet::Cyrillic | Alphabet::Devanagari)
            ) {
                if let Some(set) = rules.unique_characters.get(&c) {
                    for l in set.iter() {
                        count(l);
                    }
                }
            }
        }
        let verdict = match counts.len() {
            0 => None,
            1 => Some(counts[0].0).filter(|l| languages.contains(*l)),
            _ if counts.iter().any(|(l, _)| *l == rules.chinese)
                && counts.iter().any(|(l, _)| *l == rules.japanese) =>
            {
                Some(rules.japanese)
            }
            _ => {
                counts.sort_by_key(|c| std::cmp::Reverse(c.1));
                (counts[0].1 > counts[1].1 && languages.contains(counts[0].0))
                    .then_some(counts[0].0)
            }
        };
        add(verdict);
    }
    let unknown = totals
        .iter()
        .find(|(k, _)| k.is_none())
        .map_or(0, |(_, n)| *n);
    if (unknown as f64) < words.len() as f64 * 0.5 {
        totals.retain(|(k, _)| k.is_some());
    }
    match totals.len() {
        0 => None,
        1 => totals[0].0,
        _ => {
            totals.sort_by_key(|t| std::cmp::Reverse(t.1));
            let (first, second) = (totals[0], totals[1]);
            let pair = [first.0, second.0];
            if pair.contains(&Some(rules.chinese)) && pair.contains(&Some(rules.japanese)) {
                return Some(rules.japanese);
            }
            if first.1 == second.1 {
                return None;
            }
            first.0
        }
    }
}

/// Lingua's `filter_languages_by_rules`: the languages of the text's main
/// alphabet, narrowed to those whose shared special characters at least
/// half the words use.
#[inline(never)]
fn filter_by_rules(words: &[&str], languages: LanguageSet) -> LanguageSet {
    let rules = &*RULES;
    let mut per_alphabet: Vec<(Alphabet, usize)> = Vec::new();
    for word in words {
        let mut chars = word.chars();
        let Some(first) = chars.next().and_then(Alphabet::of) else {
            continue;
        };
        // Lingua tries alphabets in a fixed order and takes the first that
        // covers the whole word; a word is in at most one script here, except
        // for characters shared by scripts, which `Alphabet::of` settles.
        if chars.all(|c| Alphabet::of(c) == Some(first)) {
            let n = word.chars().count();
            match per_alphabet.iter_mut().find(|(a, _)| *a == first) {
                Some((_, c)) => *c += n,
                None => per_alphabet.push((first, n)),
            }
        }
    }
    if per_alphabet.is_empty() {
        return languages;
    }
    if per_alphabet.len() > 1 && per_alphabet.iter().all(|(_, n)| *n == per_alphabet[0].1) {
        return languages;
    }
    per_alphabet.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let main = per_alphabet[0].0;
    let filtered =
        LanguageSet(languages.0 & rules.by_alphabet.get(&main).copied().unwrap_or_default().0);
    // Per word, each distinct special character counts once for every
    // candidate that shares it (lingua: `word.contains(character)`).
    let mut counts = [0usize; Language::COUNT];
    let mut distinct: Vec<char> = Vec::new();
    for word in words {
        distinct.clear();
        for c in word.chars() {
            if !distinct.contains(&c) && rules.shared_groups.contains_key(&c) {
                distinct.push(c);
            }
        }
        for c in &distinct {
            for &g in &rules.shared_groups[c] {
                let relevant = LanguageSet(filtered.0 & rules.shared_characters[g].0);
                for l in relevant.iter() {
                    counts[l.index()] += 1;
                }
            }
        }
    }
    let half = words.len() as f64 * 0.5;
    let mut subset = LanguageSet::default();
    for l in filtered.iter() {
        if counts[l.index()] > 0 && counts[l.index()] as f64 >= half {
            subset.insert(l);
        }
    }
    if subset.is_empty() { filtered } else { subset }
}

/// Sum, per candidate language, of the log-probabilities of the text's
/// distinct n-grams of the given orders (lingua's back-off included), divided
/// by the number of distinct unigrams the language knows when unigrams count.
/// Languages that know none of the n-grams are left out.
/// Per-thread buffers for [`ngram_scores`], reused from text to text.
#[derive(Default)]
struct Scratch {
    /// Distinct n-grams no language knows, by a fingerprint of their text.
    unknown: FxHashSet<u64>,
    /// Per depth 1 to 4, per node: how many distinct n-grams of the text
    /// pass through it (0 until the n-gram the node stands for is met)…
    counts: [Vec<u32>; 5],
    /// …per depth 5 (5-grams lead nowhere further), whether it was met…
    met5: Vec<u64>,
    /// …and the nodes met, per depth, to add up and reset.
    touched: [Vec<u32>; 6],
    unigrams: Vec<Node>,
    /// Every letter of the text, as characters and as model indices…
    chars: Vec<char>,
    char_ids: Vec<Option<u16>>,
    /// …how many letters of its word follow from each one (itself included)…
    left: Vec<u8>,
    /// …and the known path from each: `paths[p * 5 + k]` is the (k+1)-gram.
    paths: Vec<Option<Node>>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

fn ngram_scores(
    words: &[&str],
    orders: std::ops::RangeInclusive<usize>,
    candidates: LanguageSet,
) -> Vec<(Language, f64)> {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => ngram_scores_with(words, orders, candidates, &mut scratch),
        Err(_) => ngram_scores_with(words, orders, candidates, &mut Scratch::default()),
    })
}

/// See [`ngram_scores`]. The trie is walked one depth at a time for all
/// positions, prefetching the next depth for all of them first: the walks
/// are independent, so their cache misses overlap instead of queueing.
/// Then every node gets its multiplicity (the distinct n-grams through it)
/// and its postings are added once, times that.
fn ngram_scores_with(
    words: &[&str],
    orders: std::ops::RangeInclusive<usize>,
    candidates: LanguageSet,
    scratch: &mut Scratch,
) -> Vec<(Language, f64)> {
    let model = &*MODEL;
    let (min_order, max_order) = (*orders.start(), *orders.end());
    let Scratch {
        unknown,
        counts,
        met5,
        touched,
        unigrams,
        chars,
        char_ids,
        left,
        paths,
    } = scratch;
    unknown.clear();
    unigrams.clear();
    chars.clear();
    left.clear();
    for depth in 1..=5 {
        if depth <= 4 && counts[depth].is_empty() {
            counts[depth] = vec![0; model.nodes_at(depth)];
        }
        touched[depth].clear();
    }
    if met5.is_empty() {
        met5.resize(model.nodes_at(5).div_ceil(64), 0);
    }
    for word in words {
        let start = chars.len();
        chars.extend(word.chars());
        let n = chars.len() - start;
        left.extend((1..=n).rev().map(|k| k.min(255) as u8));
    }
    char_ids.clear();
    char_ids.extend(chars.iter().map(|&c| model.char_index(c)));
    paths.clear();
    paths.resize(chars.len() * 5, None);
    for p in 0..chars.len() {
        paths[p * 5] = char_ids[p].map(|i| Node {
            depth: 1,
            index: i as u32,
        });
    }
    for k in 1..max_order {
        let extends = |p: usize| (left[p] as usize) > k;
        for p in 0..chars.len() {
            if let Some(node) = paths[p * 5 + k - 1]
                && extends(p)
            {
                model.prefetch_children(node);
            }
        }
        for p in 0..chars.len() {
            if let Some(node) = paths[p * 5 + k - 1]
                && extends(p)
            {
                model.prefetch_child_chars(node);
            }
        }
        for p in 0..chars.len() {
            if let Some(node) = paths[p * 5 + k - 1]
                && extends(p)
                && let Some(ci) = char_ids[p + k]
            {
                paths[p * 5 + k] = model.child_at(node, ci);
            }
        }
    }
    // The counts of deep nodes are scattered over megabytes: ask for them
    // all before the loop that reads them.
    for p in 0..chars.len() {
        for node in paths[p * 5 + 2..p * 5 + 5].iter().flatten() {
            match node.depth {
                5 => prefetch(&met5[..], node.index as usize / 64),
                d => prefetch(&counts[d as usize][..], node.index as usize),
            }
        }
    }
    for p in 0..chars.len() {
        let path = &paths[p * 5..p * 5 + 5];
        let deepest = max_order.min(left[p] as usize);
        let known = path
            .iter()
            .take(deepest)
            .take_while(|n| n.is_some())
            .count();
        for n in min_order..=deepest {
            // A known n-gram is new while its node's count is 0: a node is
            // first counted as the n-gram it stands for, since at each
            // position shorter orders come first.
            let new = if known >= n {
                let node = path[n - 1].unwrap();
                if n == 5 {
                    let (word, bit) = (node.index as usize / 64, node.index % 64);
                    let was = met5[word] >> bit & 1 == 1;
                    if !was {
                        met5[word] |= 1 << bit;
                        touched[5].push(node.index);
                    }
                    !was
                } else {
                    counts[n][node.index as usize] == 0
                }
            } else {
                use std::hash::{Hash, Hasher};
                let mut h = FxHasher::default();
                chars[p..p + n].hash(&mut h);
                unknown.insert((n as u64) << 60 | (h.finish() & ((1 << 59) - 1)))
            };
            if !new {
                continue;
            }
            for node in path[..n.min(known).min(4)].iter().flatten() {
                let depth = node.depth as usize;
                let count = &mut counts[depth][node.index as usize];
                if *count == 0 {
                    touched[depth].push(node.index);
                }
                *count += 1;
            }
            if n == 1 && known >= 1 {
                unigrams.push(path[0].unwrap());
            }
        }
    }
    // Unigrams and bigrams: dense rows times their multiplicities…
    let mut dense = [0f64; ROW];
    for depth in 1..=2 {
        for &index in &touched[depth] {
            let m = std::mem::take(&mut counts[depth][index as usize]) as f64;
            let row = model
                .dense_row(Node {
                    depth: depth as u8,
                    index,
                })
                .expect("shallow node");
            for (acc, d) in dense.iter_mut().zip(row) {
                *acc += m * d;
            }
        }
    }
    // …deeper nodes: their postings, prefetched a few nodes ahead.
    let mut sums = [0f64; 256];
    const AHEAD: usize = 8;
    for depth in 3..=5 {
        let list = &touched[depth];
        for (k, &index) in list.iter().enumerate() {
            let at = |i: u32| Node {
                depth: depth as u8,
                index: i,
            };
            if let Some(&next) = list.get(k + 2 * AHEAD) {
                model.prefetch_posting_bounds(at(next));
            }
            if let Some(&next) = list.get(k + AHEAD) {
                model.prefetch_postings(at(next));
            }
            let m = if depth == 5 {
                met5[index as usize / 64] = 0;
                1.0
            } else {
                std::mem::take(&mut counts[depth][index as usize]) as f64
            };
            let (langs, deltas) = model.postings(at(index));
            for (&l, &d) in langs.iter().zip(deltas) {
                sums[l as usize] += m * d as f64;
            }
        }
    }
    let mut known_unigrams = [0u32; 256];
    for &node in unigrams.iter() {
        for &l in model.postings(node).0 {
            known_unigrams[l as usize] += 1;
        }
    }
    candidates
        .iter()
        .filter_map(|l| {
            let mut sum = sums[l.index()] + dense[l.index()];
            if known_unigrams[l.index()] > 0 {
                sum /= known_unigrams[l.index()] as f64;
            }
            (sum != 0.0).then_some((l, sum))
        })
        .collect()
}

/// Turns log-scores into shares that sum to 1, most likely first. Lingua
/// computes `exp(score) / Σ exp`; this is the same without underflow on
/// long texts.
fn softmax(mut scores: Vec<(Language, f64)>) -> Vec<(Language, f64)> {
    let Some(max) = scores.iter().map(|s| s.1).reduce(f64::max) else {
        return scores;
    };
    let total: f64 = scores.iter().map(|s| (s.1 - max).exp()).sum();
    for s in &mut scores {
        s.1 = (s.1 - max).exp() / total;
    }
    scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(text: &str) -> Option<String> {
        Detector::new().detect(text).map(|d| d.language.code())
    }

    #[test]
    fn sentences_in_several_languages() {
        assert_eq!(
            lang("The quick brown fox jumps over the lazy dog.").as_deref(),
            Some("eng_Latn")
        );
        assert_eq!(
            lang("Der schnelle braune Fuchs springt über den faulen Hund.").as_deref(),
            Some("deu_Latn")
        );
        assert_eq!(
            lang("Pemerintah Indonesia mengumumkan kebijakan baru untuk mendukung usaha kecil.")
                .as_deref(),
            Some("ind_Latn")
        );
        assert_eq!(
            lang("Привет, как дела у тебя сегодня?").as_deref(),
            Some("rus_Cyrl")
        );
        assert_eq!(lang("これは日本語の文です。").as_deref(), Some("jpn_Jpan"));
        assert_eq!(lang("Γεια σου κόσμε").as_deref(), Some("ell_Grek"));
        assert_eq!(lang("12345 !!! ..."), None);
    }

    #[test]
    fn capitals_do_not_matter() {
        let text =
            "CET ARTICLE CONTIENT DES LIENS D'AFFILIATION. NOUS POUVONS RECEVOIR UNE COMMISSION.";
        assert_eq!(lang(text).as_deref(), Some("fra_Latn"));
        assert_eq!(lang(text), lang(&text.to_lowercase()));
    }

    #[test]
    fn confidences_sum_to_one() {
        let values = Detector::new().confidence_values("Dit is een Nederlandse zin over het weer.");
        let total: f64 = values.iter().map(|v| v.1).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert_eq!(values[0].0.code(), "nld_Latn");
        assert!(values.windows(2).all(|w| w[0].1 >= w[1].1));
    }
}
