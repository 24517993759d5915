//! spaCy parity on hand-picked cases: contractions, URLs, e-mails, numbers and currencies,
//! abbreviations, hyphens, quotes, ellipses, emoticons and emoji, units, German, Polish,
//! Indonesian and CJK text, whitespace handling and the special-case matcher.

use tapis_text::{
    for_each_token, is_py_space, spacy_en_word_count, spacy_en_words, spacy_sentence_count,
};

/// Expected values produced by spaCy 3.8.18 (`spacy.blank("en")` + `sentencizer`):
/// words = [t.text.strip() for t in nlp(text) if t.text.strip()], sentences = len(list(nlp(text).sents)).
const WORD_CASES: &[(&str, &[&str])] = &[
    (
        "I don't know. We'll see, won't we?",
        &[
            "I", "do", "n't", "know", ".", "We", "'ll", "see", ",", "wo", "n't", "we", "?",
        ],
    ),
    (
        "Don't! He's gonna say \"y'all can't\".",
        &[
            "Do", "n't", "!", "He", "'s", "gon", "na", "say", "\"", "y'", "all", "ca", "n't", "\"",
            ".",
        ],
    ),
    (
        "It’s Peter’s car, isn’t it?",
        &[
            "It", "’s", "Peter", "’s", "car", ",", "is", "n’t", "it", "?",
        ],
    ),
    (
        "Visit https://www.example.com/path?q=1&x=2. Or http://foo.bar:8080/x, www.tapis.org!",
        &[
            "Visit",
            "https://www.example.com/path?q=1&x=2",
            ".",
            "Or",
            "http://foo.bar:8080/x",
            ",",
            "www.tapis.org",
            "!",
        ],
    ),
    (
        "Mail me at jane.doe@example.co.uk or ping 192.168.0.1 and 8.8.8.8.",
        &[
            "Mail",
            "me",
            "at",
            "jane.doe@example.co.uk",
            "or",
            "ping",
            "192.168.0.1",
            "and",
            "8.8.8.8",
            ".",
        ],
    ),
    (
        "It costs $10, or US$12.50 (about €9.99), up 3.5% from 2023.",
        &[
            "It", "costs", "$", "10", ",", "or", "US$", "12.50", "(", "about", "€", "9.99", ")",
            ",", "up", "3.5", "%", "from", "2023", ".",
        ],
    ),
    (
        "The U.S. and the U.K. met on Jan. 5th, e.g. at 10a.m. with Mr. Smith and Dr. Who.",
        &[
            "The", "U.S.", "and", "the", "U.K.", "met", "on", "Jan.", "5th", ",", "e.g.", "at",
            "10", "a.m.", "with", "Mr.", "Smith", "and", "Dr.", "Who", ".",
        ],
    ),
    (
        "A well-known, state-of-the-art 3-4 split; pages 10-20; A-Z; 5*4; 2^8 and/or x/y.",
        &[
            "A", "well", "-", "known", ",", "state", "-", "of", "-", "the", "-", "art", "3", "-",
            "4", "split", ";", "pages", "10", "-", "20", ";", "A", "-", "Z", ";", "5", "*", "4",
            ";", "2", "^", "8", "and/or", "x", "/", "y.",
        ],
    ),
    (
        "He said: “Hello” — ‘quoted’ «guillemets» „German“ and '80s...",
        &[
            "He",
            "said",
            ":",
            "“",
            "Hello",
            "”",
            "—",
            "‘",
            "quoted",
            "’",
            "«",
            "guillemets",
            "»",
            "„",
            "German",
            "“",
            "and",
            "'",
            "80s",
            "...",
        ],
    ),
    (
        "Wait... what?! Really…… ok. (Yes.) [No] {maybe}",
        &[
            "Wait", "...", "what", "?", "!", "Really", "……", "ok", ".", "(", "Yes", ".", ")", "[",
            "No", "]", "{", "maybe", "}",
        ],
    ),
    (
        "Great job :) :-( <3 ^_^ xD o.O (^_^) ¯\\(ツ)/¯ 😀👍🏽🇩🇪 ©2024 ®",
        &[
            "Great",
            "job",
            ":)",
            ":-(",
            "<3",
            "^_^",
            "xD",
            "o.O",
            "(^_^)",
            "¯\\(ツ)/¯",
            "😀",
            "👍",
            "🏽",
            "🇩",
            "🇪",
            "©",
            "2024",
            "®",
        ],
    ),
    (
        "It's 25°C. Today 5km, 10km/h, 3kg, 100MB and 20% off.",
        &[
            "It", "'s", "25", "°", "C", ".", "Today", "5", "km", ",", "10", "km/h", ",", "3", "kg",
            ",", "100", "MB", "and", "20", "%", "off", ".",
        ],
    ),
    (
        "Die Straße ist 5,5 km lang, z.B. bis zum Bhf. Köln-Deutz — sagt Hr. Müller u.a.",
        &[
            "Die", "Straße", "ist", "5,5", "km", "lang", ",", "z.", "B.", "bis", "zum", "Bhf", ".",
            "Köln", "-", "Deutz", "—", "sagt", "Hr", ".", "Müller", "u.a", ".",
        ],
    ),
    (
        "Zażółć gęślą jaźń! W Łodzi, 3-go maja, było 25°C.",
        &[
            "Zażółć",
            "gęślą",
            "jaźń",
            "!",
            "W",
            "Łodzi",
            ",",
            "3",
            "-",
            "go",
            "maja",
            ",",
            "było",
            "25",
            "°",
            "C",
            ".",
        ],
    ),
    (
        "Saya tidak tahu apa-apa. Dia pergi ke pasar, lalu pulang.",
        &[
            "Saya", "tidak", "tahu", "apa", "-", "apa", ".", "Dia", "pergi", "ke", "pasar", ",",
            "lalu", "pulang", ".",
        ],
    ),
    (
        "東京タワーは333メートルです。とても高い！中文句子，没有空格。",
        &[
            "東京タワーは333メートルです。とても高い！中文句子，没有空格",
            "。",
        ],
    ),
    (
        "x:) and a[:) but ( :) stays; end.",
        &[
            "x", ":)", "and", "a", "[:", ")", "but", "(", ":)", "stays", ";", "end", ".",
        ],
    ),
    (
        "line one\nline two\n\n  indented\tand\ttabbed  double  spaced\u{a0}nbsp",
        &[
            "line", "one", "line", "two", "indented", "and", "tabbed", "double", "spaced", "nbsp",
        ],
    ),
    ("  leading and trailing  ", &["leading", "and", "trailing"]),
    (
        "C++ and C# are languages; so is .NET, node.js and Web2.0.",
        &[
            "C++",
            "and",
            "C",
            "#",
            "are",
            "languages",
            ";",
            "so",
            "is",
            ".NET",
            ",",
            "node.js",
            "and",
            "Web2.0",
            ".",
        ],
    ),
];
const SENTENCE_CASES: &[(&str, usize)] = &[
    ("Hello. World", 2),
    ("Hello world! How are you? Fine.", 3),
    ("Dr. Smith arrived at 10 a.m. He left.", 1),
    ("Wait... what?! OK.", 2),
    ("No punctuation here", 1),
    ("\"Quoted.\" Then more.", 2),
    ("A sentence.\nAnother one", 2),
    ("東京です。高い！", 1),
    ("One. Two. Three. Four.", 4),
    ("Version 2.0 is out. Get it at example.com. Now!", 3),
    ("I don't know. We'll see, won't we?", 2),
    ("Don't! He's gonna say \"y'all can't\".", 2),
    ("It’s Peter’s car, isn’t it?", 1),
    (
        "Visit https://www.example.com/path?q=1&x=2. Or http://foo.bar:8080/x, www.tapis.org!",
        2,
    ),
    (
        "Mail me at jane.doe@example.co.uk or ping 192.168.0.1 and 8.8.8.8.",
        1,
    ),
    (
        "It costs $10, or US$12.50 (about €9.99), up 3.5% from 2023.",
        1,
    ),
    (
        "The U.S. and the U.K. met on Jan. 5th, e.g. at 10a.m. with Mr. Smith and Dr. Who.",
        1,
    ),
    (
        "A well-known, state-of-the-art 3-4 split; pages 10-20; A-Z; 5*4; 2^8 and/or x/y.",
        1,
    ),
    (
        "He said: “Hello” — ‘quoted’ «guillemets» „German“ and '80s...",
        1,
    ),
    ("Wait... what?! Really…… ok. (Yes.) [No] {maybe}", 4),
    (
        "Great job :) :-( <3 ^_^ xD o.O (^_^) ¯\\(ツ)/¯ 😀👍🏽🇩🇪 ©2024 ®",
        1,
    ),
    ("It's 25°C. Today 5km, 10km/h, 3kg, 100MB and 20% off.", 2),
    (
        "Die Straße ist 5,5 km lang, z.B. bis zum Bhf. Köln-Deutz — sagt Hr. Müller u.a.",
        3,
    ),
    ("Zażółć gęślą jaźń! W Łodzi, 3-go maja, było 25°C.", 2),
    (
        "Saya tidak tahu apa-apa. Dia pergi ke pasar, lalu pulang.",
        2,
    ),
    (
        "東京タワーは333メートルです。とても高い！中文句子，没有空格。",
        1,
    ),
    ("x:) and a[:) but ( :) stays; end.", 1),
    (
        "line one\nline two\n\n  indented\tand\ttabbed  double  spaced\u{a0}nbsp",
        1,
    ),
    ("  leading and trailing  ", 1),
    (
        "C++ and C# are languages; so is .NET, node.js and Web2.0.",
        1,
    ),
];

#[test]
fn words_match_spacy() {
    for &(text, expected) in WORD_CASES {
        let mut got = Vec::new();
        spacy_en_words(text, &mut got);
        assert_eq!(got, expected, "text: {text:?}");
        assert_eq!(spacy_en_word_count(text), expected.len());
    }
}

#[test]
fn sentences_match_spacy() {
    for &(text, expected) in SENTENCE_CASES {
        assert_eq!(spacy_sentence_count(text), expected, "text: {text:?}");
    }
}

#[test]
fn tokens_are_slices_in_order() {
    for &(text, _) in WORD_CASES {
        let mut last = 0;
        for_each_token(text, |s, e, space| {
            assert!(last <= s && s < e && e <= text.len(), "{text:?}");
            assert_eq!(
                space,
                text[s..e].chars().all(is_py_space),
                "{:?}",
                &text[s..e]
            );
            last = e;
        });
    }
}

#[test]
fn empty_and_blank() {
    let mut v = Vec::new();
    spacy_en_words("", &mut v);
    spacy_en_words(" \n\t ", &mut v);
    assert!(v.is_empty());
    assert_eq!(spacy_sentence_count(""), 0);
    assert_eq!(spacy_sentence_count(" \n "), 1);
}

#[test]
fn reentrant_callback() {
    // Tokenizing from inside the callback must not disturb the outer run.
    let text = "Hello there, world. Don't panic!";
    let mut inner_counts = Vec::new();
    for_each_token(text, |s, e, _| {
        inner_counts.push(spacy_en_word_count(&text[s..e]))
    });
    let mut words = Vec::new();
    spacy_en_words(text, &mut words);
    assert_eq!(inner_counts.len(), words.len());
}
