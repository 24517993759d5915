//! The 75 languages, their codes and their writing systems.

use crate::lingua_tables::LANGUAGES;

/// Writing systems, as lingua distinguishes them for its rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Alphabet {
    Arabic,
    Armenian,
    Bengali,
    Cyrillic,
    Devanagari,
    Georgian,
    Greek,
    Gujarati,
    Gurmukhi,
    Han,
    Hangul,
    Hebrew,
    Hiragana,
    Katakana,
    Latin,
    Tamil,
    Telugu,
    Thai,
}

impl Alphabet {
    pub const ALL: [Alphabet; 18] = [
        Alphabet::Arabic,
        Alphabet::Armenian,
        Alphabet::Bengali,
        Alphabet::Cyrillic,
        Alphabet::Devanagari,
        Alphabet::Georgian,
        Alphabet::Greek,
        Alphabet::Gujarati,
        Alphabet::Gurmukhi,
        Alphabet::Han,
        Alphabet::Hangul,
        Alphabet::Hebrew,
        Alphabet::Hiragana,
        Alphabet::Katakana,
        Alphabet::Latin,
        Alphabet::Tamil,
        Alphabet::Telugu,
        Alphabet::Thai,
    ];

    /// The alphabet of `c`, from its Unicode script.
    pub fn of(c: char) -> Option<Alphabet> {
        use unicode_script::{Script, UnicodeScript};
        if c.is_ascii() {
            return c.is_ascii_alphabetic().then_some(Alphabet::Latin);
        }
        Some(match c.script() {
            Script::Arabic => Alphabet::Arabic,
            Script::Armenian => Alphabet::Armenian,
            Script::Bengali => Alphabet::Bengali,
            Script::Cyrillic => Alphabet::Cyrillic,
            Script::Devanagari => Alphabet::Devanagari,
            Script::Georgian => Alphabet::Georgian,
            Script::Greek => Alphabet::Greek,
            Script::Gujarati => Alphabet::Gujarati,
            Script::Gurmukhi => Alphabet::Gurmukhi,
            Script::Han => Alphabet::Han,
            Script::Hangul => Alphabet::Hangul,
            Script::Hebrew => Alphabet::Hebrew,
            Script::Hiragana => Alphabet::Hiragana,
            Script::Katakana => Alphabet::Katakana,
            Script::Latin => Alphabet::Latin,
            Script::Tamil => Alphabet::Tamil,
            Script::Telugu => Alphabet::Telugu,
            Script::Thai => Alphabet::Thai,
            _ => return None,
        })
    }

    /// ISO 15924 code.
    pub fn iso15924(self) -> &'static str {
        match self {
            Alphabet::Arabic => "Arab",
            Alphabet::Armenian => "Armn",
            Alphabet::Bengali => "Beng",
            Alphabet::Cyrillic => "Cyrl",
            Alphabet::Devanagari => "Deva",
            Alphabet::Georgian => "Geor",
            Alphabet::Greek => "Grek",
            Alphabet::Gujarati => "Gujr",
            Alphabet::Gurmukhi => "Guru",
            Alphabet::Han => "Hani",
            Alphabet::Hangul => "Hang",
            Alphabet::Hebrew => "Hebr",
            Alphabet::Hiragana => "Hira",
            Alphabet::Katakana => "Kana",
            Alphabet::Latin => "Latn",
            Alphabet::Tamil => "Taml",
            Alphabet::Telugu => "Telu",
            Alphabet::Thai => "Thai",
        }
    }
}

/// One of the 75 languages the detector knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(pub(crate) u8);

/// Where lingua (and ISO 639-3) name a macrolanguage, FineWeb-2 and GlotLID
/// label the individual language that web text almost always is.
const FINEWEB2_CODES: [(&str, &str); 11] = [
    ("ara", "arb"),
    ("aze", "azj"),
    ("est", "ekk"),
    ("fas", "pes"),
    ("lav", "lvs"),
    ("mon", "khk"),
    ("msa", "zsm"),
    ("sqi", "als"),
    ("swa", "swh"),
    ("zho", "cmn"),
    ("uzb", "uzn"),
];

impl Language {
    pub const COUNT: usize = LANGUAGES.len();

    /// All languages, in the order of their English names.
    pub fn all() -> impl Iterator<Item = Language> {
        (0..Self::COUNT as u8).map(Language)
    }

    /// The language with this English name, ISO 639-1 or ISO 639-3 code
    /// (lingua's or FineWeb-2's), or FineWeb-2 label (`ind_Latn`).
    pub fn parse(s: &str) -> Option<Language> {
        let s = s.trim();
        let code = s.split('_').next().unwrap_or(s);
        Language::all().find(|l| {
            l.name().eq_ignore_ascii_case(s)
                || l.iso639_1() == code
                || l.iso639_3() == code
                || l.fineweb2_iso639_3() == code
        })
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn name(self) -> &'static str {
        LANGUAGES[self.index()].0
    }

    pub fn iso639_1(self) -> &'static str {
        LANGUAGES[self.index()].1
    }

    /// ISO 639-3 as lingua gives it (macrolanguage codes for Arabic, Malay…).
    pub fn iso639_3(self) -> &'static str {
        LANGUAGES[self.index()].2
    }

    /// ISO 639-3 as FineWeb-2 labels it: the individual language where
    /// lingua has the macrolanguage (`zsm` for Malay, `arb` for Arabic…).
    pub fn fineweb2_iso639_3(self) -> &'static str {
        let code = self.iso639_3();
        FINEWEB2_CODES
            .iter()
            .find(|(macro_code, _)| *macro_code == code)
            .map_or(code, |(_, individual)| individual)
    }

    pub fn alphabets(self) -> &'static [Alphabet] {
        LANGUAGES[self.index()].3
    }

    /// The ISO 15924 script the language is written in (Japanese: `Jpan`).
    pub fn script(self) -> &'static str {
        match self.alphabets() {
            [one] => one.iso15924(),
            _ => "Jpan",
        }
    }

    /// The label FineWeb-2 writes: ISO 639-3, underscore, ISO 15924
    /// (`ind_Latn`, `zsm_Latn`, `cmn_Hani`).
    pub fn code(self) -> String {
        format!("{}_{}", self.fineweb2_iso639_3(), self.script())
    }

    /// Characters no other language uses (lingua's rule), or "".
    pub(crate) fn unique_characters(self) -> &'static str {
        LANGUAGES[self.index()].4
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_fineweb2() {
        let id = Language::parse("id").unwrap();
        assert_eq!(
            (id.name(), id.code()),
            ("Indonesian", "ind_Latn".to_string())
        );
        let ms = Language::parse("Malay").unwrap();
        assert_eq!((ms.iso639_3(), ms.code()), ("msa", "zsm_Latn".to_string()));
        assert_eq!(Language::parse("zsm_Latn"), Some(ms));
        assert_eq!(Language::parse("ja").unwrap().code(), "jpn_Jpan");
        assert_eq!(Language::parse("zh").unwrap().code(), "cmn_Hani");
        assert_eq!(Language::parse("sr").unwrap().code(), "srp_Cyrl");
        assert_eq!(Language::COUNT, 75);
        assert_eq!(Language::parse("xx"), None);
    }
}
