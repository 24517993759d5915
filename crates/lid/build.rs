//! Turns lingua's per-language n-gram models into one table for the library.
//!
//! Each `lingua-*-language-model` crate holds an FST mapping every character
//! 1- to 5-gram seen in that language to ln P(last char | the chars before it)
//! (unigrams: ln P(char)). The detector needs, for every n-gram of a text, the
//! value of each language at the longest prefix the language knows. Stored as
//! a trie over all languages, that is one walk per text position, and storing
//! at each node `ln P(node) - ln P(parent)` per language lets the walk simply
//! add what it meets (see `src/model.rs`).
//!
//! Output: `$OUT_DIR/lid_model.bin`, the format `src/model.rs` reads.

use std::collections::BTreeSet;
use std::io::Write;

use fst::{IntoStreamer, Streamer};
use include_dir::Dir;

const MAGIC: &[u8; 8] = b"TPLID001";
const CHAR_BITS: u32 = 14;

fn models() -> Vec<(&'static str, &'static Dir<'static>)> {
    let mut v: Vec<(&'static str, &'static Dir<'static>)> = vec![
        (
            "afrikaans",
            &lingua_afrikaans_language_model::AFRIKAANS_MODELS_DIRECTORY,
        ),
        (
            "albanian",
            &lingua_albanian_language_model::ALBANIAN_MODELS_DIRECTORY,
        ),
        (
            "arabic",
            &lingua_arabic_language_model::ARABIC_MODELS_DIRECTORY,
        ),
        (
            "armenian",
            &lingua_armenian_language_model::ARMENIAN_MODELS_DIRECTORY,
        ),
        (
            "azerbaijani",
            &lingua_azerbaijani_language_model::AZERBAIJANI_MODELS_DIRECTORY,
        ),
        (
            "basque",
            &lingua_basque_language_model::BASQUE_MODELS_DIRECTORY,
        ),
        (
            "belarusian",
            &lingua_belarusian_language_model::BELARUSIAN_MODELS_DIRECTORY,
        ),
        (
            "bengali",
            &lingua_bengali_language_model::BENGALI_MODELS_DIRECTORY,
        ),
        (
            "bokmal",
            &lingua_bokmal_language_model::BOKMAL_MODELS_DIRECTORY,
        ),
        (
            "bosnian",
            &lingua_bosnian_language_model::BOSNIAN_MODELS_DIRECTORY,
        ),
        (
            "bulgarian",
            &lingua_bulgarian_language_model::BULGARIAN_MODELS_DIRECTORY,
        ),
        (
            "catalan",
            &lingua_catalan_language_model::CATALAN_MODELS_DIRECTORY,
        ),
        (
            "chinese",
            &lingua_chinese_language_model::CHINESE_MODELS_DIRECTORY,
        ),
        (
            "croatian",
            &lingua_croatian_language_model::CROATIAN_MODELS_DIRECTORY,
        ),
        (
            "czech",
            &lingua_czech_language_model::CZECH_MODELS_DIRECTORY,
        ),
        (
            "danish",
            &lingua_danish_language_model::DANISH_MODELS_DIRECTORY,
        ),
        (
            "dutch",
            &lingua_dutch_language_model::DUTCH_MODELS_DIRECTORY,
        ),
        (
            "english",
            &lingua_english_language_model::ENGLISH_MODELS_DIRECTORY,
        ),
        (
            "esperanto",
            &lingua_esperanto_language_model::ESPERANTO_MODELS_DIRECTORY,
        ),
        (
            "estonian",
            &lingua_estonian_language_model::ESTONIAN_MODELS_DIRECTORY,
        ),
        (
            "finnish",
            &lingua_finnish_language_model::FINNISH_MODELS_DIRECTORY,
        ),
        (
            "french",
            &lingua_french_language_model::FRENCH_MODELS_DIRECTORY,
        ),
        (
            "ganda",
            &lingua_ganda_language_model::GANDA_MODELS_DIRECTORY,
        ),
        (
            "georgian",
            &lingua_georgian_language_model::GEORGIAN_MODELS_DIRECTORY,
        ),
        (
            "german",
            &lingua_german_language_model::GERMAN_MODELS_DIRECTORY,
        ),
        (
            "greek",
            &lingua_greek_language_model::GREEK_MODELS_DIRECTORY,
        ),
        (
            "gujarati",
            &lingua_gujarati_language_model::GUJARATI_MODELS_DIRECTORY,
        ),
        (
            "hebrew",
            &lingua_hebrew_language_model::HEBREW_MODELS_DIRECTORY,
        ),
        (
            "hindi",
            &lingua_hindi_language_model::HINDI_MODELS_DIRECTORY,
        ),
        (
            "hungarian",
            &lingua_hungarian_language_model::HUNGARIAN_MODELS_DIRECTORY,
        ),
        (
            "icelandic",
            &lingua_icelandic_language_model::ICELANDIC_MODELS_DIRECTORY,
        ),
        (
            "indonesian",
            &lingua_indonesian_language_model::INDONESIAN_MODELS_DIRECTORY,
        ),
        (
            "irish",
            &lingua_irish_language_model::IRISH_MODELS_DIRECTORY,
        ),
        (
            "italian",
            &lingua_italian_language_model::ITALIAN_MODELS_DIRECTORY,
        ),
        (
            "japanese",
            &lingua_japanese_language_model::JAPANESE_MODELS_DIRECTORY,
        ),
        (
            "kazakh",
            &lingua_kazakh_language_model::KAZAKH_MODELS_DIRECTORY,
        ),
        (
            "korean",
            &lingua_korean_language_model::KOREAN_MODELS_DIRECTORY,
        ),
        (
            "latin",
            &lingua_latin_language_model::LATIN_MODELS_DIRECTORY,
        ),
        (
            "latvian",
            &lingua_latvian_language_model::LATVIAN_MODELS_DIRECTORY,
        ),
        (
            "lithuanian",
            &lingua_lithuanian_language_model::LITHUANIAN_MODELS_DIRECTORY,
        ),
        (
            "macedonian",
            &lingua_macedonian_language_model::MACEDONIAN_MODELS_DIRECTORY,
        ),
        (
            "malay",
            &lingua_malay_language_model::MALAY_MODELS_DIRECTORY,
        ),
        (
            "maori",
            &lingua_maori_language_model::MAORI_MODELS_DIRECTORY,
        ),
        (
            "marathi",
            &lingua_marathi_language_model::MARATHI_MODELS_DIRECTORY,
        ),
        (
            "mongolian",
            &lingua_mongolian_language_model::MONGOLIAN_MODELS_DIRECTORY,
        ),
        (
            "nynorsk",
            &lingua_nynorsk_language_model::NYNORSK_MODELS_DIRECTORY,
        ),
        (
            "persian",
            &lingua_persian_language_model::PERSIAN_MODELS_DIRECTORY,
        ),
        (
            "polish",
            &lingua_polish_language_model::POLISH_MODELS_DIRECTORY,
        ),
        (
            "portuguese",
            &lingua_portuguese_language_model::PORTUGUESE_MODELS_DIRECTORY,
        ),
        (
            "punjabi",
            &lingua_punjabi_language_model::PUNJABI_MODELS_DIRECTORY,
        ),
        (
            "romanian",
            &lingua_romanian_language_model::ROMANIAN_MODELS_DIRECTORY,
        ),
        (
            "russian",
            &lingua_russian_language_model::RUSSIAN_MODELS_DIRECTORY,
        ),
        (
            "serbian",
            &lingua_serbian_language_model::SERBIAN_MODELS_DIRECTORY,
        ),
        (
            "shona",
            &lingua_shona_language_model::SHONA_MODELS_DIRECTORY,
        ),
        (
            "slovak",
            &lingua_slovak_language_model::SLOVAK_MODELS_DIRECTORY,
        ),
        (
            "slovene",
            &lingua_slovene_language_model::SLOVENE_MODELS_DIRECTORY,
        ),
        (
            "somali",
            &lingua_somali_language_model::SOMALI_MODELS_DIRECTORY,
        ),
        (
            "sotho",
            &lingua_sotho_language_model::SOTHO_MODELS_DIRECTORY,
        ),
        (
            "spanish",
            &lingua_spanish_language_model::SPANISH_MODELS_DIRECTORY,
        ),
        (
            "swahili",
            &lingua_swahili_language_model::SWAHILI_MODELS_DIRECTORY,
        ),
        (
            "swedish",
            &lingua_swedish_language_model::SWEDISH_MODELS_DIRECTORY,
        ),
        (
            "tagalog",
            &lingua_tagalog_language_model::TAGALOG_MODELS_DIRECTORY,
        ),
        (
            "tamil",
            &lingua_tamil_language_model::TAMIL_MODELS_DIRECTORY,
        ),
        (
            "telugu",
            &lingua_telugu_language_model::TELUGU_MODELS_DIRECTORY,
        ),
        ("thai", &lingua_thai_language_model::THAI_MODELS_DIRECTORY),
        (
            "tsonga",
            &lingua_tsonga_language_model::TSONGA_MODELS_DIRECTORY,
        ),
        (
            "tswana",
            &lingua_tswana_language_model::TSWANA_MODELS_DIRECTORY,
        ),
        (
            "turkish",
            &lingua_turkish_language_model::TURKISH_MODELS_DIRECTORY,
        ),
        (
            "ukrainian",
            &lingua_ukrainian_language_model::UKRAINIAN_MODELS_DIRECTORY,
        ),
        ("urdu", &lingua_urdu_language_model::URDU_MODELS_DIRECTORY),
        (
            "vietnamese",
            &lingua_vietnamese_language_model::VIETNAMESE_MODELS_DIRECTORY,
        ),
        (
            "welsh",
            &lingua_welsh_language_model::WELSH_MODELS_DIRECTORY,
        ),
        (
            "xhosa",
            &lingua_xhosa_language_model::XHOSA_MODELS_DIRECTORY,
        ),
        (
            "yoruba",
            &lingua_yoruba_language_model::YORUBA_MODELS_DIRECTORY,
        ),
        ("zulu", &lingua_zulu_language_model::ZULU_MODELS_DIRECTORY),
    ];
    v.sort_by_key(|(name, _)| *name);
    v
}

struct Entry {
    key: u128,
    lang: u8,
    logp: f64,
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let models = models();
    let fsts: Vec<fst::Map<&[u8]>> = models
        .iter()
        .map(|(_, dir)| {
            let bytes = dir
                .get_file("ngrams.fst")
                .expect("every lingua model crate has ngrams.fst")
                .contents();
            fst::Map::new(bytes).expect("a valid FST")
        })
        .collect();
    // First pass: the characters, so that n-grams can be keyed by indices.
    let mut chars = BTreeSet::new();
    for map in &fsts {
        let mut stream = map.into_stream();
        while let Some((k, _)) = stream.next() {
            chars.extend(std::str::from_utf8(k).expect("UTF-8 n-gram").chars());
        }
    }
    let chars: Vec<char> = chars.into_iter().collect();
    assert!(chars.len() < (1 << CHAR_BITS), "{} characters", chars.len());
    let index = |c: char| chars.binary_search(&c).expect("known char") as u128;
    // Second pass: every n-gram of every language, by length.
    let mut raw: Vec<Vec<Entry>> = (0..6).map(|_| Vec::new()).collect();
    for (lang, map) in fsts.iter().enumerate() {
        let mut stream = map.into_stream();
        while let Some((k, v)) = stream.next() {
            let s = std::str::from_utf8(k).expect("UTF-8 n-gram");
            let (mut key, mut n) = (0u128, 0);
            for c in s.chars() {
                key = (key << CHAR_BITS) | index(c);
                n += 1;
            }
            assert!((1..=5).contains(&n), "n-gram {s:?}");
            raw[n].push(Entry {
                key,
                lang: lang as u8,
                logp: f64::from_bits(v),
            });
        }
    }

    let mut out: Vec<u8> = Vec::new();
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, models.len() as u32);
    put_u32(&mut out, chars.len() as u32);

    // Level by level: nodes (distinct keys, sorted), postings sorted by node
    // then language, deltas against the parent's value for the same language.
    let mut node_keys: Vec<Vec<u128>> = vec![Vec::new(); 6];
    let mut node_post_start: Vec<Vec<u32>> = vec![Vec::new(); 6];
    let mut post_lang: Vec<u8> = Vec::new();
    let mut post_logp: Vec<f64> = Vec::new();
    let mut post_delta: Vec<f32> = Vec::new();
    for level in 1..=5 {
        let mut entries = std::mem::take(&mut raw[level]);
        entries.sort_unstable_by_key(|e| (e.key, e.lang));
        let (parent_keys, parent_starts) = if level > 1 {
            (
                node_keys[level - 1].clone(),
                node_post_start[level - 1].clone(),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let mut parent = 0usize;
        let mut i = 0;
        while i < entries.len() {
            let key = entries[i].key;
            node_keys[level].push(key);
            node_post_start[level].push(post_lang.len() as u32);
            if level > 1 {
                let pk = key >> CHAR_BITS;
                while parent_keys[parent] < pk {
                    parent += 1;
                }
                assert_eq!(parent_keys[parent], pk, "every n-gram's prefix is a node");
            }
            while i < entries.len() && entries[i].key == key {
                let e = &entries[i];
                let base = if level > 1 {
                    let (a, b) = (
                        parent_starts[parent] as usize,
                        parent_starts[parent + 1] as usize,
                    );
                    let at = post_lang[a..b]
                        .binary_search(&e.lang)
                        .expect("a language knows the prefixes of its n-grams");
                    post_logp[a + at]
                } else {
                    0.0
                };
                post_lang.push(e.lang);
                post_logp.push(e.logp);
                post_delta.push((e.logp - base) as f32);
                i += 1;
            }
        }
        node_post_start[level].push(post_lang.len() as u32);
        if level == 1 {
            assert_eq!(
                node_keys[1].len(),
                chars.len(),
                "every character is a unigram"
            );
        }
    }
    for keys in &node_keys[1..=5] {
        put_u32(&mut out, keys.len() as u32);
    }
    put_u32(&mut out, post_lang.len() as u32);
    for (name, _) in &models {
        out.extend_from_slice(name.as_bytes());
        out.push(b'\n');
    }
    pad(&mut out);
    for &c in &chars {
        put_u32(&mut out, c as u32);
    }
    for keys in &node_keys[1..=5] {
        for &k in keys {
            out.extend_from_slice(&((k & ((1 << CHAR_BITS) - 1)) as u16).to_le_bytes());
        }
        pad(&mut out);
    }
    for starts in &node_post_start[1..=5] {
        for &s in starts {
            put_u32(&mut out, s);
        }
    }
    // first_child[level][i]: where node i's children start in level + 1.
    for level in 1..=4 {
        let children = &node_keys[level + 1];
        let mut c = 0usize;
        for &k in &node_keys[level] {
            while c < children.len() && (children[c] >> CHAR_BITS) < k {
                c += 1;
            }
            put_u32(&mut out, c as u32);
        }
        put_u32(&mut out, children.len() as u32);
    }
    out.extend_from_slice(&post_lang);
    pad(&mut out);
    for &d in &post_delta {
        out.extend_from_slice(&d.to_le_bytes());
    }
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("lid_model.bin");
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(&out))
        .expect("write the model");
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Pads to a multiple of 8 bytes, so that every array starts aligned.
fn pad(out: &mut Vec<u8>) {
    while out.len() % 8 != 0 {
        out.push(0);
    }
}
