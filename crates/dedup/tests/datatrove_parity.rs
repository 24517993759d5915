//! MinHash parity with datatrove 0.10.1: the fixture holds what
//! `MinhashDedupSignature` computes (hash parameters for several seeds and
//! sizes; for 300 real pages of the evaluation set and a few edge cases, the
//! simplified text, word and shingle counts and the signature), written by
//! `crates/dedup/tools/datatrove_minhash_reference.py`. tapis must agree on
//! every value.

use std::io::BufRead;

use tapis_dedup::minhash::parameters;
use tapis_dedup::{MinHasher, MinhashConfig, simplify_text};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/datatrove_minhash.jsonl.zst"
);
const PAGES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/trafilatura-eval/fullpage.jsonl"
);

fn records() -> Vec<serde_json::Value> {
    let file = std::fs::File::open(FIXTURE).expect("the datatrove fixture");
    let reader = std::io::BufReader::new(zstd::Decoder::new(file).unwrap());
    reader
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect()
}

fn u64s(v: &serde_json::Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

fn sha1_hex(text: &str) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn hash_parameters_are_numpys() {
    let mut checked = 0;
    for r in records().iter().filter(|r| r["kind"] == "parameters") {
        let n = r["num_hashes"].as_u64().unwrap() as usize;
        let config = MinhashConfig {
            seed: r["seed"].as_u64().unwrap() as u32,
            num_buckets: n,
            hashes_per_bucket: 1,
            ..MinhashConfig::default()
        };
        let (a, b) = parameters(&config);
        assert_eq!(a, u64s(&r["a"]), "a, seed {}", config.seed);
        assert_eq!(b, u64s(&r["b"]), "b, seed {}", config.seed);
        checked += 1;
    }
    assert!(checked >= 4, "{checked} parameter sets");
}

#[test]
fn signatures_are_datatroves() {
    let pages: std::collections::HashMap<String, String> = std::fs::read_to_string(PAGES)
        .expect("the evaluation pages beside the repository")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let hasher = MinHasher::new(MinhashConfig::default());
    let (mut docs, mut with_signature) = (0, 0);
    for r in records().iter().filter(|r| r["kind"] == "document") {
        let id = r["id"].as_str().unwrap();
        let text = match r["text"].as_str() {
            Some(t) => t.to_string(),
            None => pages[id].clone(),
        };
        let simple = simplify_text(&text);
        match r["simplified"].as_str() {
            Some(s) => assert_eq!(simple, s, "simplified text of {id}"),
            None => assert_eq!(
                sha1_hex(&simple),
                r["simplified_sha1"].as_str().unwrap(),
                "simplified text of {id}"
            ),
        }
        let shingles = hasher.shingles(&text);
        assert_eq!(
            shingles.len() as u64,
            r["shingles"].as_u64().unwrap(),
            "{id}"
        );
        let first = u64s(&r["first_shingles"]);
        assert_eq!(&shingles[..first.len()], &first[..], "{id}");
        let sig = hasher.signature(&text);
        match r["signature"].as_array() {
            None => assert_eq!(sig, None, "{id}"),
            Some(bands) => {
                let want: Vec<u64> = bands.iter().flat_map(u64s).collect();
                assert_eq!(sig.as_deref(), Some(&want[..]), "signature of {id}");
                with_signature += 1;
            }
        }
        docs += 1;
    }
    assert!(
        docs >= 300 && with_signature >= 290,
        "{docs} docs, {with_signature} signed"
    );
}
