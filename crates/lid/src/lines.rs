//! The language of every line of a document, and of the document.
//!
//! Lines are where web pages mix languages: an English comment widget or a
//! French disclaimer inside an Indonesian article. Each line is identified
//! on its own, after removing what carries no language (URLs, e-mail
//! addresses, domain names; digits and punctuation never count). Lines with
//! too few letters, or whose best language is not clearly ahead, stay
//! undetermined and take the document's language for later rules.
//!
//! The document's language is the byte-weighted vote of the determined
//! lines. Languages too close to tell apart line by line (Indonesian and
//! Malay, Bokmål, Nynorsk and Danish…) vote as one group; the group's
//! member is then chosen on the whole document, by the probability mass
//! each member received over all lines (for Indonesian and Malay, by their
//! spelling differences when the document has enough of them), and the
//! group's lines take it.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::{Detector, Language};

/// Lines with fewer letters than this are not identified.
pub const MIN_LETTERS: usize = 8;
/// A line is identified when its best language has at least this share, or
/// this many times the share of the second (lingua's shares are flat over
/// the many Latin-script languages, so a clear lead can be a small share)…
pub const MIN_CONFIDENCE: f64 = 0.5;
pub const MIN_LEAD: f64 = 2.0;
/// …and the document is multilingual when no language has this share.
pub const DOMINANT_SHARE: f64 = 0.8;
/// Languages below this share of a multilingual document are not listed.
pub const MIN_LISTED_SHARE: f64 = 0.05;

/// Malay and Indonesian are told apart by spelling markers (see `markers`)
/// when a document has at least this many of one kind, and this many times
/// as many as of the other.
pub const MIN_MARKERS: usize = 2;
pub const MARKER_LEAD: usize = 2;

/// Groups of languages decided at document level (ISO 639-3, lingua's).
pub const CONFUSABLE_GROUPS: &[&[&str]] = &[
    &["ind", "msa"],
    &["hrv", "bos", "srp"],
    &["nob", "nno", "dan"],
    &["ces", "slk"],
];

/// What carries no language: URLs, e-mail addresses, domain names. Word
/// boundaries are ASCII ones, which keeps the pattern on the fast engine.
static NO_LANGUAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?-u:\b)[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}(?-u:\b)",
    )
    .expect("valid pattern")
});

/// Whether `line` may hold something [`NO_LANGUAGE`] removes: each of them
/// has an `@`, or a dot followed by a letter.
fn may_hold_addresses(line: &str) -> bool {
    line.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'@' || (w[0] == b'.' && w[1].is_ascii_alphabetic()))
}

/// The language of one line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineLanguage {
    /// Byte range of the line in the document, without its line break.
    pub span: Range<usize>,
    /// The line's language, `None` when undetermined.
    pub language: Option<Language>,
    /// The detector's confidence in the line's best language (0 when the
    /// line has too few letters).
    pub confidence: f64,
    /// Letters in the line once URLs and addresses are removed.
    pub letters: usize,
}

/// The language of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentLanguage {
    pub language: Option<Language>,
    /// The language's share of the bytes of the determined lines.
    pub confidence: f64,
    /// No language has [`DOMINANT_SHARE`] of the determined bytes.
    pub multilingual: bool,
    /// Languages by share of the determined bytes, largest first.
    pub shares: Vec<(Language, f64)>,
}

/// Line and document languages of one text.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLanguages {
    pub document: DocumentLanguage,
    pub lines: Vec<LineLanguage>,
}

impl TextLanguages {
    /// The language later rules should assume for line `i`: its own, or
    /// the document's when undetermined.
    pub fn effective(&self, i: usize) -> Option<Language> {
        self.lines[i].language.or(self.document.language)
    }
}

fn group_of(l: Language) -> Option<usize> {
    CONFUSABLE_GROUPS
        .iter()
        .position(|g| g.contains(&l.iso639_3()))
}

/// Identifies every non-blank line of `text` and the document.
pub fn identify(detector: &Detector, text: &str) -> TextLanguages {
    let mut lines = Vec::new();
    // Per line: the probability mass of each language, for group decisions.
    let mut masses: Vec<Vec<(Language, f64)>> = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let cleaned = if may_hold_addresses(line) {
            NO_LANGUAGE.replace_all(line, " ")
        } else {
            std::borrow::Cow::Borrowed(line)
        };
        let letters = cleaned.chars().filter(|c| c.is_alphabetic()).count();
        let values = if letters >= MIN_LETTERS {
            detector.confidence_values(&cleaned)
        } else {
            Vec::new()
        };
        let (language, confidence) = match values.first() {
            Some(&(l, c)) => {
                let second = values.get(1).map_or(0.0, |v| v.1);
                let determined = c > second && (c >= MIN_CONFIDENCE || c >= MIN_LEAD * second);
                (determined.then_some(l), c)
            }
            None => (None, 0.0),
        };
        lines.push(LineLanguage {
            span: start..start + line.len(),
            language,
            confidence,
            letters,
        });
        masses.push(values);
    }
    let document = decide_document(detector, text, &mut lines, &masses);
    TextLanguages { document, lines }
}

fn decide_document(
    detector: &Detector,
    text: &str,
    lines: &mut [LineLanguage],
    masses: &[Vec<(Language, f64)>],
) -> DocumentLanguage {
    // Bytes per language, with confusable languages pooled in their group.
    let mut group_bytes = vec![0f64; CONFUSABLE_GROUPS.len()];
    let mut bytes = [0f64; Language::COUNT];
    let mut total = 0f64;
    for line in lines.iter() {
        if let Some(l) = line.language {
            let b = line.span.len() as f64;
            total += b;
            bytes[l.index()] += b;
            if let Some(g) = group_of(l) {
                group_bytes[g] += b;
            }
        }
    }
    if total == 0.0 {
        // No line is long or clear enough: the text as a whole, if anything.
        let d = detector.detect(text);
        return DocumentLanguage {
            language: d.map(|d| d.language),
            confidence: d.map_or(0.0, |d| d.confidence),
            multilingual: false,
            shares: d.map(|d| vec![(d.language, 1.0)]).unwrap_or_default(),
        };
    }
    // Each group decided by the mass its members got over all its lines.
    for (g, _) in group_bytes.iter().enumerate().filter(|(_, b)| **b > 0.0) {
        let mut mass = [0f64; Language::COUNT];
        for (line, values) in lines.iter().zip(masses) {
            if line.language.and_then(group_of) == Some(g) {
                let b = line.span.len() as f64;
                for &(l, p) in values {
                    if group_of(l) == Some(g) {
                        mass[l.index()] += b * p;
                    }
                }
            }
        }
        let mut winner = Language::all()
            .filter(|l| group_of(*l) == Some(g))
            .max_by(|a, b| mass[a.index()].total_cmp(&mass[b.index()]))
            .expect("groups are not empty");
        if CONFUSABLE_GROUPS[g] == ["ind", "msa"] {
            // Spelling markers over the group's lines overrule the n-grams
            // when they clearly point one way.
            let (mut malay, mut indonesian) = (0, 0);
            for line in lines
                .iter()
                .filter(|l| l.language.and_then(group_of) == Some(g))
            {
                let (m, i) = crate::markers::count(&text[line.span.clone()]);
                malay += m;
                indonesian += i;
            }
            let by_code = |c: &str| Language::all().find(|l| l.iso639_3() == c);
            if malay >= MIN_MARKERS && malay >= MARKER_LEAD * indonesian {
                winner = by_code("msa").expect("Malay");
            } else if indonesian >= MIN_MARKERS && indonesian >= MARKER_LEAD * malay {
                winner = by_code("ind").expect("Indonesian");
            }
        }
        for line in lines.iter_mut() {
            if line.language.and_then(group_of) == Some(g) {
                line.language = Some(winner);
            }
        }
        for l in Language::all().filter(|l| group_of(*l) == Some(g)) {
            bytes[l.index()] = 0.0;
        }
        bytes[winner.index()] = group_bytes[g];
    }
    let mut shares: Vec<(Language, f64)> = Language::all()
        .filter(|l| bytes[l.index()] > 0.0)
        .map(|l| (l, bytes[l.index()] / total))
        .collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let (language, confidence) = shares[0];
    let multilingual = confidence < DOMINANT_SHARE;
    shares.retain(|&(_, s)| s >= MIN_LISTED_SHARE);
    DocumentLanguage {
        language: Some(language),
        confidence,
        multilingual,
        shares,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../../../shared/seed/000_c7507cca9c270131.txt");

    fn line_no(text: &str, span: &Range<usize>) -> usize {
        text[..span.start].matches('\n').count() + 1
    }

    #[test]
    fn the_seed_page_is_indonesian_with_english_and_french_debris() {
        let found = identify(&Detector::new(), SEED);
        assert_eq!(
            found.document.language.map(|l| l.code()).as_deref(),
            Some("ind_Latn")
        );
        let by_line: std::collections::BTreeMap<usize, Option<String>> = found
            .lines
            .iter()
            .map(|l| (line_no(SEED, &l.span), l.language.map(|l| l.code())))
            .collect();
        for n in [59, 61] {
            assert_eq!(by_line[&n].as_deref(), Some("eng_Latn"), "line {n}");
        }
        assert_eq!(by_line[&63].as_deref(), Some("fra_Latn"), "line 63");
        let keep = [
            1, 3, 4, 5, 6, 7, 9, 11, 13, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39,
        ];
        let keep2 = [41, 43, 45, 47, 49, 51];
        for n in keep.into_iter().chain(keep2) {
            let effective = found
                .lines
                .iter()
                .position(|l| line_no(SEED, &l.span) == n)
                .and_then(|i| found.effective(i));
            assert_eq!(
                effective.map(|l| l.code()).as_deref(),
                Some("ind_Latn"),
                "line {n}"
            );
        }
        assert!(!found.document.multilingual);
    }

    #[test]
    fn addresses_carry_no_language() {
        let line = "Mehr unter https://example.com/a?b=1, www.beispiel.de oder info@firma.co.uk \
                    und DETEKSIMALUT.COM heute";
        assert!(may_hold_addresses(line));
        let cleaned = NO_LANGUAGE.replace_all(line, " ");
        for gone in [
            "https",
            "example",
            "beispiel",
            "info",
            "firma",
            "DETEKSIMALUT",
        ] {
            assert!(!cleaned.contains(gone), "{cleaned}");
        }
        assert!(cleaned.contains("Mehr unter") && cleaned.contains("heute"));
        assert!(!may_hold_addresses(
            "Ende des Satzes. Neuer Satz ohne Adresse"
        ));
    }

    #[test]
    fn malay_and_indonesian_documents_are_told_apart() {
        let malay = "Kerajaan Malaysia hari ini mengumumkan bajet baharu untuk tahun depan.\n\
            Menteri Kewangan berkata peruntukan itu akan membantu syarikat kecil dan sederhana.\n\
            Selepas mesyuarat kabinet, beliau memberitahu pemberita bahawa kadar cukai tidak akan dinaikkan kerana ekonomi masih pulih.\n\
            Rakyat boleh mendapatkan maklumat lanjut di laman web kementerian secara percuma.";
        let indonesian = "Pemerintah Indonesia hari ini mengumumkan anggaran baru untuk tahun depan.\n\
            Menteri Keuangan mengatakan dana itu akan membantu perusahaan kecil dan menengah.\n\
            Setelah rapat kabinet, ia memberi tahu wartawan bahwa tarif pajak tidak akan dinaikkan karena ekonomi masih pulih.\n\
            Masyarakat bisa mendapatkan informasi lebih lanjut di situs kementerian secara gratis.";
        let detector = Detector::new();
        let doc = |t: &str| identify(&detector, t).document.language.map(|l| l.code());
        assert_eq!(doc(malay).as_deref(), Some("zsm_Latn"));
        assert_eq!(doc(indonesian).as_deref(), Some("ind_Latn"));
        // Every line of the Malay document takes the document's label.
        let found = identify(&detector, malay);
        assert!(
            found
                .lines
                .iter()
                .all(|l| l.language.is_none_or(|l| l.code() == "zsm_Latn"))
        );
    }
}
