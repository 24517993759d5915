//! The wording signal: a line's character n-grams scored by a linear model.
//!
//! Menus, share bars, comment widgets and footers are written in a small
//! vocabulary ("Kommentare", "Anmelden", "© 2024", "|", "Weiterlesen…") that
//! stop words and line shape only hint at. A logistic regression over the
//! hashed character 3- to 5-grams of each word, padded with a space on
//! each side (scikit-learn's `char_wb` analyzer), learns it from the
//! labelled lines of the training sites (`tools/train_lines.py`); its
//! probability is one input of the line classifier.
//!
//! The n-grams are hashed as scikit-learn's `HashingVectorizer` hashes them
//! (MurmurHash3, x86 32-bit, seed 0, `|h| mod 2^bits`), counted and scaled
//! to unit length, so the score here is the one the training script
//! computed.
//!
//! A wording learned from German and English pages misjudges an Indonesian
//! one (its bullet points look like a German menu's), so the model judges
//! only pages in the languages it had enough training lines of
//! ([`NgramModel::judges`]); elsewhere the score is [`NOT_JUDGED`], and the
//! classifier's second forest, fitted with the score masked, decides
//! without it.
//!
//! A second model of the same kind reads the line's *shape* instead of its
//! words ([`NgramModel::embedded_shape`]): every letter written `a` (`A` if
//! upper or title case), every mark `a`, every decimal digit `0`, every
//! separator or control character a space, anything else as it is; runs of
//! letters cut to four, of spaces to one; then its character 3- to 5-grams
//! (of its first [`SHAPE_MAX_CHARS`] code points: a long line is prose
//! whatever its shape).
//! "A: 00.00.0000" or "© 0000 Aaaa | Aaaa" mean the same in any language and
//! script, so it judges the pages the wording does not (on the others the
//! wording says more). Classes follow the Unicode general
//! category, as Python's `unicodedata` gives it to the training script.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

const EMBEDDED: &[u8] = include_bytes!("../model/char_ngrams.bin");
const EMBEDDED_SHAPE: &[u8] = include_bytes!("../model/shape_ngrams.bin");

/// Code points of a line read for its shape.
pub const SHAPE_MAX_CHARS: usize = 200;
/// Letters of one class in a row kept in a shape.
const SHAPE_RUN: usize = 4;

/// Code points of a line read for its wording: the start of a line says
/// what it is, and a line of megabytes must not take memory in proportion.
pub const MAX_CHARS: usize = 10_000;

/// The wording score of a line on a page whose language the model does not
/// judge, and of its neighbours.
pub const NOT_JUDGED: f64 = -2.0;

/// What a model file starts with: n-grams of words, or of the line's shape.
const MAGIC: &[u8; 8] = b"tapis-ng";
const SHAPE_MAGIC: &[u8; 8] = b"tapis-sh";

/// What a model's n-grams are cut from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tokens {
    /// Each lower-cased word, padded with a space on each side.
    Words,
    /// The line's shape, padded with a space on each side.
    Shape,
}
/// Magic, bits, shortest and longest n-gram, intercept, weight scale, and
/// the length of the language list that follows.
const HEADER: usize = 8 + 4 + 4 + 4 + 8 + 8 + 4;

/// The linear model over hashed character n-grams.
#[derive(Debug)]
pub struct NgramModel {
    tokens: Tokens,
    /// `2^bits` buckets.
    mask: u32,
    shortest: usize,
    longest: usize,
    intercept: f64,
    /// Weights are stored as `i16`; a weight is `scale * stored`.
    scale: f64,
    weights: Vec<i16>,
    /// The page languages judged (codes like `"de"`).
    languages: Vec<String>,
}

/// Buffers reused from line to line.
#[derive(Default)]
pub struct NgramScratch {
    lower: String,
    word: String,
    bounds: Vec<usize>,
    buckets: Vec<u32>,
    /// Open-addressing table counting a line's buckets: bucket + 1 (0 is
    /// empty) and its count so far.
    slots: Vec<(u32, u32)>,
}

/// The byte offset of each character of `text`, and its length: at every
/// byte when `text` is `ascii`.
fn char_bounds(text: &str, ascii: bool, bounds: &mut Vec<usize>) {
    bounds.clear();
    if ascii {
        bounds.extend(0..=text.len());
    } else {
        bounds.extend(text.char_indices().map(|(i, _)| i));
        bounds.push(text.len());
    }
}

/// A character's class in a line's shape (`tools/train_lines.py`'s
/// `shape_class`).
fn shape_class(c: char) -> char {
    use GeneralCategory as G;
    if c.is_ascii() {
        // The same classes, without the table lookup.
        return match c {
            'A'..='Z' => 'A',
            'a'..='z' => 'a',
            '0'..='9' => '0',
            ' ' | '\0'..='\x1f' | '\x7f' => ' ',
            _ => c,
        };
    }
    match c.general_category() {
        G::UppercaseLetter | G::TitlecaseLetter => 'A',
        G::LowercaseLetter
        | G::ModifierLetter
        | G::OtherLetter
        | G::NonspacingMark
        | G::SpacingMark
        | G::EnclosingMark => 'a',
        G::DecimalNumber => '0',
        G::SpaceSeparator | G::LineSeparator | G::ParagraphSeparator | G::Control => ' ',
        _ => c,
    }
}

/// Python's `str.split()` separators: Unicode white space and the four
/// information separators U+001C..U+001F, which Rust does not count.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

impl NgramModel {
    pub fn embedded() -> NgramModel {
        NgramModel::from_bytes(EMBEDDED).expect("the embedded n-gram model is valid")
    }

    /// The embedded model of line shapes.
    pub fn embedded_shape() -> NgramModel {
        NgramModel::from_bytes(EMBEDDED_SHAPE).expect("the embedded shape model is valid")
    }

    /// Reads a model file: the header (little-endian), the judged
    /// languages (comma-separated codes) and `2^bits` `i16` weights.
    pub fn from_bytes(b: &[u8]) -> Result<NgramModel, String> {
        let tokens = match b.get(..8) {
            Some(m) if b.len() >= HEADER && m == MAGIC => Tokens::Words,
            Some(m) if b.len() >= HEADER && m == SHAPE_MAGIC => Tokens::Shape,
            _ => return Err("not a tapis n-gram model".into()),
        };
        let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
        let f64_at = |at: usize| f64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        let bits = u32_at(8);
        let (shortest, longest) = (u32_at(12) as usize, u32_at(16) as usize);
        let (intercept, scale) = (f64_at(20), f64_at(28));
        if !(1..=30).contains(&bits) || shortest == 0 || longest < shortest || longest > 16 {
            return Err(format!(
                "bad n-gram model header: 2^{bits} buckets, n-grams of {shortest} to {longest}"
            ));
        }
        let listed = u32_at(36) as usize;
        let Some(list) = b.get(HEADER..HEADER + listed) else {
            return Err("n-gram model: truncated language list".into());
        };
        let languages = std::str::from_utf8(list)
            .map_err(|_| "n-gram model: language list is not UTF-8")?
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        let buckets = 1usize << bits;
        let body = &b[HEADER + listed..];
        if body.len() != 2 * buckets || !intercept.is_finite() || !scale.is_finite() {
            return Err(format!(
                "n-gram model: {} bytes of weights for {buckets} buckets",
                body.len()
            ));
        }
        let weights = body
            .chunks_exact(2)
            .map(|w| i16::from_le_bytes([w[0], w[1]]))
            .collect();
        Ok(NgramModel {
            tokens,
            mask: (buckets - 1) as u32,
            shortest,
            longest,
            intercept,
            scale,
            weights,
            languages,
        })
    }

    /// Whether the model judges the wording of pages in `language`.
    pub fn judges(&self, language: Option<&str>) -> bool {
        language.is_some_and(|l| self.languages.iter().any(|x| x == l))
    }

    /// The languages it judges.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// The bucket of one n-gram, as scikit-learn computes it.
    fn bucket(&self, gram: &[u8]) -> u32 {
        let h = mur3::murmurhash3_x86_32(gram, 0) as i32;
        // abs(i32::MIN) overflows; scikit-learn takes 2^31 - 1 - (buckets - 1).
        let positive = if h == i32::MIN {
            (i32::MAX as u32) - self.mask
        } else {
            h.unsigned_abs()
        };
        positive & self.mask
    }

    /// The buckets of every n-gram of `line`'s shape.
    fn shape_buckets(&self, line: &str, s: &mut NgramScratch) {
        s.buckets.clear();
        s.word.clear();
        s.word.push(' ');
        // The padding space counts: spaces opening the line are cut.
        let (mut last, mut run) = (' ', 1usize);
        for c in line.chars().take(SHAPE_MAX_CHARS) {
            let k = shape_class(c);
            if k == last {
                run += 1;
            } else {
                (last, run) = (k, 1);
            }
            let cut = match k {
                ' ' => run > 1,
                'a' | 'A' => run > SHAPE_RUN,
                _ => false,
            };
            if !cut {
                s.word.push(k);
            }
        }
        if !s.word.ends_with(' ') {
            s.word.push(' ');
        }
        if s.word.len() == 1 {
            // No shape at all: Python's " " + "" + " ".
            s.word.push(' ');
        }
        char_bounds(&s.word, s.word.is_ascii(), &mut s.bounds);
        let chars = s.bounds.len() - 1;
        let bytes = s.word.as_bytes();
        for n in self.shortest..=self.longest.min(chars) {
            for i in 0..=chars - n {
                s.buckets
                    .push(self.bucket(&bytes[s.bounds[i]..s.bounds[i + n]]));
            }
        }
    }

    /// The buckets of every n-gram of `line`'s words, lower-cased.
    fn buckets(&self, line: &str, s: &mut NgramScratch) {
        if self.tokens == Tokens::Shape {
            return self.shape_buckets(line, s);
        }
        s.buckets.clear();
        let line = match line.char_indices().nth(MAX_CHARS) {
            Some((cut, _)) => &line[..cut],
            None => line,
        };
        // Most lines are ASCII: lower-cased in place, cut at bytes.
        let ascii = line.is_ascii();
        s.lower.clear();
        if ascii {
            s.lower.push_str(line);
            s.lower.make_ascii_lowercase();
        } else {
            s.lower.push_str(&line.to_lowercase());
        }
        for word in s.lower.split(is_separator).filter(|w| !w.is_empty()) {
            s.word.clear();
            s.word.push(' ');
            s.word.push_str(word);
            s.word.push(' ');
            char_bounds(&s.word, ascii, &mut s.bounds);
            let chars = s.bounds.len() - 1;
            let bytes = s.word.as_bytes();
            for n in self.shortest..=self.longest {
                if chars < n {
                    // A word shorter than the shortest n-gram counts once, whole.
                    if n == self.shortest {
                        s.buckets.push(self.bucket(bytes));
                    }
                    break;
                }
                for i in 0..=chars - n {
                    let gram = &bytes[s.bounds[i]..s.bounds[i + n]];
                    s.buckets.push(self.bucket(gram));
                }
            }
        }
    }

    /// The probability that `line` is content, judged by its wording alone.
    pub fn score(&self, line: &str, s: &mut NgramScratch) -> f64 {
        self.buckets(line, s);
        // The dot product adds a weight per n-gram; the unit length needs
        // each bucket's count, squared: counting in a small table, a count
        // going from c to c + 1 adds 2c + 1 to the sum of squares.
        let size = (2 * s.buckets.len()).next_power_of_two().max(16);
        s.slots.clear();
        s.slots.resize(size, (0, 0));
        let shift = 32 - size.trailing_zeros();
        let (mut dot, mut norm) = (0i64, 0u64);
        for &b in &s.buckets {
            dot += i64::from(self.weights[b as usize]);
            let mut at = (b.wrapping_mul(0x9E37_79B1) >> shift) as usize;
            loop {
                let slot = &mut s.slots[at];
                if slot.0 == b + 1 || slot.0 == 0 {
                    norm += 2 * u64::from(slot.1) + 1;
                    *slot = (b + 1, slot.1 + 1);
                    break;
                }
                at = (at + 1) & (size - 1);
            }
        }
        let z = if norm > 0 {
            self.intercept + self.scale * dot as f64 / (norm as f64).sqrt()
        } else {
            self.intercept
        };
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(weights: &[(u32, i16)], intercept: f64) -> NgramModel {
        let bits = 10;
        let mut b = MAGIC.to_vec();
        for v in [bits, 3, 5] {
            b.extend(u32::to_le_bytes(v));
        }
        b.extend(intercept.to_le_bytes());
        b.extend(0.5f64.to_le_bytes());
        b.extend(5u32.to_le_bytes());
        b.extend(b"de,en");
        let mut w = vec![0i16; 1 << bits];
        for &(k, v) in weights {
            w[k as usize] = v;
        }
        for v in w {
            b.extend(v.to_le_bytes());
        }
        NgramModel::from_bytes(&b).unwrap()
    }

    #[test]
    fn n_grams_are_those_of_padded_words() {
        let m = model(&[], 0.0);
        let mut s = NgramScratch::default();
        // " ab " has 3-grams " ab", "ab " and the 4-gram " ab ";
        // " a " only itself.
        m.buckets("AB\u{1f}a", &mut s);
        let expect: Vec<u32> = [" ab", "ab ", " ab ", " a "]
            .iter()
            .map(|g| m.bucket(g.as_bytes()))
            .collect();
        assert_eq!(s.buckets, expect);
        // Multi-byte letters are cut at characters, not bytes.
        m.buckets("été", &mut s);
        assert_eq!(s.buckets.len(), 3 + 2 + 1);
        assert_eq!(s.buckets[0], m.bucket(" ét".as_bytes()));
    }

    #[test]
    fn score_is_the_logistic_of_the_scaled_dot_product() {
        let mut s = NgramScratch::default();
        let probe = model(&[], 0.0);
        let b = probe.bucket(" a ".as_bytes());
        let m = model(&[(b, 4)], -1.0);
        // "a a" has the n-gram " a " twice: unit length leaves weight 1.
        let z: f64 = -1.0 + 0.5 * 4.0;
        assert!((m.score("a a", &mut s) - 1.0 / (1.0 + (-z).exp())).abs() < 1e-12);
        // Nothing to count: the intercept alone.
        let z0: f64 = -1.0;
        assert!((m.score("   ", &mut s) - 1.0 / (1.0 + (-z0).exp())).abs() < 1e-12);
    }

    #[test]
    fn a_huge_line_is_read_up_to_max_chars() {
        let m = model(&[], 0.0);
        let mut s = NgramScratch::default();
        let word = "wörter ";
        let huge = word.repeat(1_000_000);
        m.buckets(&huge, &mut s);
        let whole = s.buckets.len();
        let cut: String = huge.chars().take(MAX_CHARS).collect();
        m.buckets(&cut, &mut s);
        assert_eq!(whole, s.buckets.len());
        assert!(whole < 4 * MAX_CHARS);
        assert!(m.score(&huge, &mut s).is_finite());
    }

    #[test]
    fn shapes_are_classes_with_runs_cut() {
        let m = NgramModel::embedded_shape();
        let mut s = NgramScratch::default();
        let shape = |line: &str, s: &mut NgramScratch| {
            m.shape_buckets(line, s);
            s.word.clone()
        };
        assert_eq!(
            shape("Foto: dpa / 12.03.2021", &mut s),
            " Aaaa: aaa / 00.00.0000 "
        );
        assert_eq!(shape("  Hundefutter   MEHRRRRR ", &mut s), " Aaaaa AAAA ");
        assert_eq!(shape("東京都の天気", &mut s), " aaaa ");
        assert_eq!(shape("ǅemal x\u{301} ١٢ Ⅻ", &mut s), " Aaaaa aa 00 Ⅻ ");
        assert_eq!(shape("   ", &mut s), "  ");
        assert!(s.buckets.is_empty());
        // A huge line is read up to its first SHAPE_MAX_CHARS code points.
        let huge = "Ab. ".repeat(1_000_000);
        m.shape_buckets(&huge, &mut s);
        let whole = s.buckets.len();
        m.shape_buckets(&huge[..4 * SHAPE_MAX_CHARS], &mut s);
        assert_eq!(whole, s.buckets.len());
        assert!(m.score(&huge, &mut s).is_finite());
        assert!(m.languages().is_empty());
    }

    #[test]
    fn judges_only_its_languages() {
        let m = model(&[], 0.0);
        assert_eq!(m.languages(), ["de", "en"]);
        assert!(m.judges(Some("en")));
        assert!(!m.judges(Some("id")));
        assert!(!m.judges(None));
    }

    #[test]
    fn bad_files_are_refused() {
        assert!(NgramModel::from_bytes(b"tapis-ng").is_err());
        let mut b = EMBEDDED.to_vec();
        b.pop();
        assert!(NgramModel::from_bytes(&b).is_err());
        assert!(NgramModel::from_bytes(EMBEDDED).is_ok());
    }
}
