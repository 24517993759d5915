//! `lid-bench`: language-identification accuracy and speed on the lingua test set.
//!
//! One process runs one or more detectors (bench/lid.sh runs one per process, under
//! `/usr/bin/time -v`, so each process's peak RSS belongs to one detector). For each
//! detector: load it (timed on its own), then for each category and language classify
//! every item on this thread, one `detect` call per item, and count correct / incorrect /
//! undetermined per language plus the full confusion (true -> predicted).
//!
//! Labels. Every test file is named by its ISO 639-1 code (`id.txt`); the true label is
//! the lingua language with that code, written as its ISO 639-3 code
//! (`IsoCode639_1::from_str` -> `Language::from_iso_code_639_1` ->
//! `Language::iso_code_639_3`), e.g. id -> ind, ms -> msa, nb -> nob, zh -> zho,
//! fa -> fas. Every detector's answer is mapped to the same ISO 639-3 codes:
//! - lingua: `Language::iso_code_639_3()` (same table, so exact);
//! - whatlang: `Lang::code()` is ISO 639-3 already, except two individual-language
//!   codes where lingua uses the macrolanguage: `cmn` (Mandarin) -> `zho`, `pes`
//!   (Iranian Persian) -> `fas`. Languages whatlang knows but the test set lacks
//!   (e.g. `jav`, `nep`) stay as they are and count as wrong;
//! - tapis: `Language::iso639_3()`.
//!   `lid-bench languages` prints the file-name -> ISO 639-3 table as JSON (the fastText
//!   script reads it, so there is one mapping for all detectors).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use lingua::{IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder};
use serde_json::{Value, json};

const ALL_CATEGORIES: [&str; 3] = ["sentences", "word-pairs", "single-words"];

/// The lingua line this binary is built with, and the detector names it answers
/// to: bench/lid builds lingua 1.8 (`lingua-high`, `lingua-low`), bench/lid17
/// builds lingua 1.7 from this same source (`lingua17-high`, `lingua17-low`).
#[cfg(not(feature = "lingua17"))]
const LINGUA: (&str, &str, &str) = ("lingua-high", "lingua-low", "1.8.0");
#[cfg(feature = "lingua17")]
const LINGUA: (&str, &str, &str) = ("lingua17-high", "lingua17-low", "1.7.2");

/// Pairs and groups of close languages whose mutual confusion the report shows
/// (ISO 639-1, as the files are named). Languages absent from the data are skipped
/// (there is no Galician file, so es/gl/pt is es/pt).
const HARD_GROUPS: [&[&str]; 5] = [
    &["id", "ms"],
    &["hr", "bs", "sr"],
    &["nb", "nn", "da"],
    &["es", "gl", "pt"],
    &["cs", "sk"],
];

/// Label written for "no answer" in the confusion table.
const UNDETERMINED: &str = "-";

enum Detector {
    Lingua(LanguageDetector, HashMap<Language, &'static str>),
    Whatlang,
    #[cfg(feature = "tapis")]
    Tapis(tapis_lid::Detector),
}

impl Detector {
    fn load(name: &str) -> Result<Detector, String> {
        match name {
            n if n == LINGUA.0 || n == LINGUA.1 => {
                let mut builder = LanguageDetectorBuilder::from_all_languages();
                builder.with_preloaded_language_models();
                if name == LINGUA.1 {
                    builder.with_low_accuracy_mode();
                }
                let detector = builder.build();
                let codes = lingua_codes();
                Ok(Detector::Lingua(detector, codes))
            }
            "whatlang" => {
                // Nothing to load; one call warms any lazily built tables.
                let _ = whatlang::detect("warm up");
                Ok(Detector::Whatlang)
            }
            #[cfg(feature = "tapis")]
            "tapis" => {
                // Load the embedded model now, as lingua-high preloads its models.
                let detector = tapis_lid::Detector::new();
                detector.preload();
                Ok(Detector::Tapis(detector))
            }
            #[cfg(not(feature = "tapis"))]
            "tapis" => {
                Err("detector `tapis` needs the harness built with `--features tapis`".into())
            }
            other => Err(format!(
                "unknown detector `{other}` (known: {}, {}, whatlang, tapis)",
                LINGUA.0, LINGUA.1
            )),
        }
    }

    /// The detected language as an ISO 639-3 code, or None when undetermined.
    fn detect(&self, text: &str) -> Option<&'static str> {
        match self {
            Detector::Lingua(detector, codes) => {
                detector.detect_language_of(text).map(|lang| codes[&lang])
            }
            Detector::Whatlang => whatlang::detect(text).map(|info| match info.lang().code() {
                "cmn" => "zho",
                "pes" => "fas",
                code => code,
            }),
            #[cfg(feature = "tapis")]
            Detector::Tapis(detector) => detector.detect(text).map(|d| d.language.iso639_3()),
        }
    }

    /// ISO 639-3 codes the detector can answer with, when it says (None: unknown).
    fn outputs(&self) -> Option<Vec<String>> {
        match self {
            Detector::Lingua(_, codes) => Some(codes.values().map(|c| c.to_string()).collect()),
            Detector::Whatlang => Some(
                whatlang::Lang::all()
                    .iter()
                    .map(|l| match l.code() {
                        "cmn" => "zho".to_string(),
                        "pes" => "fas".to_string(),
                        c => c.to_string(),
                    })
                    .collect(),
            ),
            #[cfg(feature = "tapis")]
            Detector::Tapis(_) => None,
        }
    }

    fn version(name: &str) -> String {
        match name {
            n if n == LINGUA.0 => format!(
                "lingua {} (Rust), from_all_languages, preloaded models, high accuracy",
                LINGUA.2
            ),
            n if n == LINGUA.1 => format!(
                "lingua {} (Rust), from_all_languages, preloaded models, low accuracy",
                LINGUA.2
            ),
            "whatlang" => "whatlang 0.18.0 (Rust), whatlang::detect".into(),
            "tapis" => "tapis-lid (crates/lid), Detector::detect".into(),
            _ => String::new(),
        }
    }
}

/// ISO 639-3 code of every lingua language, as &'static str so the timed loop does not
/// allocate a String per answer.
fn lingua_codes() -> HashMap<Language, &'static str> {
    Language::all()
        .into_iter()
        .map(|lang| {
            let code: &'static str = Box::leak(lang.iso_code_639_3().to_string().into_boxed_str());
            (lang, code)
        })
        .collect()
}

/// ISO 639-1 file stem -> ISO 639-3 code, through lingua's code tables.
fn iso639_3_of_file_stem(stem: &str) -> Result<String, String> {
    let iso1 = IsoCode639_1::from_str(stem)
        .map_err(|_| format!("`{stem}` is not an ISO 639-1 code lingua knows"))?;
    Ok(Language::from_iso_code_639_1(&iso1)
        .iso_code_639_3()
        .to_string())
}

struct Args {
    data: PathBuf,
    detectors: Vec<String>,
    out: Option<PathBuf>,
    limit: Option<usize>,
    categories: Vec<String>,
}

fn usage() -> &'static str {
    "usage: lid-bench [--data DIR] [--detectors lingua-high,lingua-low,whatlang[,tapis]]\n\
     \x20                [--out FILE.json] [--limit N] [--categories sentences,word-pairs,single-words]\n\
     \x20      lid-bench languages [--data DIR]   (prints the ISO 639-1 -> ISO 639-3 table as JSON)\n\
     \n\
     --data defaults to <repo root>/../shared/data/lingua-testdata; --limit keeps the\n\
     first N items per language and category (default: all)."
}

/// The repository root: two levels above this crate's manifest (bench/lid).
fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| manifest.join("../.."))
}

fn default_data_dir() -> PathBuf {
    let candidates = [
        repo_root().join("../shared/data/lingua-testdata"),
        PathBuf::from("../shared/data/lingua-testdata"),
    ];
    for c in &candidates {
        if c.is_dir() {
            return c.canonicalize().unwrap_or_else(|_| c.clone());
        }
    }
    candidates[0].clone()
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

fn parse_args(argv: &[String]) -> Result<Args, String> {
    let mut args = Args {
        data: default_data_dir(),
        detectors: vec![LINGUA.0.into(), LINGUA.1.into(), "whatlang".into()],
        out: None,
        limit: None,
        categories: ALL_CATEGORIES.iter().map(|s| s.to_string()).collect(),
    };
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let (key, inline) = match flag.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (flag.clone(), None),
        };
        let mut value = || -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{key} needs a value")),
            }
        };
        match key.as_str() {
            "--data" => args.data = PathBuf::from(value()?),
            "--detectors" => args.detectors = split_list(&value()?),
            "--out" => args.out = Some(PathBuf::from(value()?)),
            "--limit" => {
                let v = value()?;
                args.limit = match v.as_str() {
                    "" | "all" | "0" => None,
                    n => Some(
                        n.parse()
                            .map_err(|_| format!("--limit: `{n}` is not a number"))?,
                    ),
                }
            }
            "--categories" => args.categories = split_list(&value()?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    for c in &args.categories {
        if !ALL_CATEGORIES.contains(&c.as_str()) {
            return Err(format!(
                "unknown category `{c}` (known: {})",
                ALL_CATEGORIES.join(",")
            ));
        }
    }
    if args.detectors.is_empty() {
        return Err("--detectors is empty".into());
    }
    Ok(args)
}

/// One category's test items: (ISO 639-1 stem, ISO 639-3 label, items), sorted by stem.
type Category = Vec<(String, String, Vec<String>)>;

fn read_category(dir: &Path, limit: Option<usize>) -> Result<Category, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let label = iso639_3_of_file_stem(&stem)?;
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let items: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(limit.unwrap_or(usize::MAX))
            .map(String::from)
            .collect();
        out.push((stem, label, items));
    }
    out.sort();
    if out.is_empty() {
        return Err(format!("{}: no <iso639-1>.txt files", dir.display()));
    }
    Ok(out)
}

fn language_table(data: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut table = BTreeMap::new();
    for cat in ALL_CATEGORIES {
        let dir = data.join(cat);
        if !dir.is_dir() {
            continue;
        }
        for (stem, label, _) in read_category(&dir, Some(0))? {
            table.insert(stem, label);
        }
    }
    Ok(table)
}

/// ISO 639-3 code -> lingua's English name of the language ("Indonesian").
fn language_names(table: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    table
        .iter()
        .filter_map(|(stem, iso3)| {
            let iso1 = IsoCode639_1::from_str(stem).ok()?;
            Some((
                iso3.clone(),
                Language::from_iso_code_639_1(&iso1).to_string(),
            ))
        })
        .collect()
}

fn ratio(a: u64, b: u64) -> Value {
    if b == 0 {
        Value::Null
    } else {
        json!(a as f64 / b as f64)
    }
}

fn run_category(detector: &Detector, category: &Category) -> Value {
    let mut per_language = serde_json::Map::new();
    let mut confusion = serde_json::Map::new();
    let mut seconds = 0f64;
    let (mut total, mut total_correct, mut total_incorrect, mut total_undetermined) =
        (0u64, 0u64, 0u64, 0u64);
    let mut accuracies = Vec::new();
    for (_stem, label, items) in category {
        let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut undetermined = 0u64;
        let start = Instant::now();
        for item in items {
            match detector.detect(item) {
                Some(code) => *counts.entry(code).or_insert(0) += 1,
                None => undetermined += 1,
            }
        }
        seconds += start.elapsed().as_secs_f64();
        let n = items.len() as u64;
        let correct = counts.get(label.as_str()).copied().unwrap_or(0);
        let incorrect = n - correct - undetermined;
        let accuracy = ratio(correct, n);
        if let Some(a) = accuracy.as_f64() {
            accuracies.push(a);
        }
        total += n;
        total_correct += correct;
        total_incorrect += incorrect;
        total_undetermined += undetermined;
        per_language.insert(
            label.clone(),
            json!({
                "items": n,
                "correct": correct,
                "incorrect": incorrect,
                "undetermined": undetermined,
                "accuracy": accuracy,
            }),
        );
        let mut row: Vec<(String, u64)> = counts
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        if undetermined > 0 {
            row.push((UNDETERMINED.to_string(), undetermined));
        }
        row.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        confusion.insert(
            label.clone(),
            Value::Object(row.into_iter().map(|(k, v)| (k, json!(v))).collect()),
        );
    }
    let macro_accuracy = if accuracies.is_empty() {
        Value::Null
    } else {
        json!(accuracies.iter().sum::<f64>() / accuracies.len() as f64)
    };

    // Confusion within each hard group present in the data: true -> {predicted: count}
    // restricted to the group's members.
    let labels_by_stem: HashMap<&str, &str> = category
        .iter()
        .map(|(s, l, _)| (s.as_str(), l.as_str()))
        .collect();
    let mut hard = Vec::new();
    for group in HARD_GROUPS {
        let members: Vec<&str> = group
            .iter()
            .filter_map(|s| labels_by_stem.get(s).copied())
            .collect();
        if members.len() < 2 {
            continue;
        }
        let mut rows = serde_json::Map::new();
        for t in &members {
            let row = &confusion[*t];
            let mut cells = serde_json::Map::new();
            for p in &members {
                cells.insert(
                    p.to_string(),
                    json!(row.get(*p).and_then(Value::as_u64).unwrap_or(0)),
                );
            }
            cells.insert("items".into(), per_language[*t]["items"].clone());
            rows.insert(t.to_string(), Value::Object(cells));
        }
        hard.push(json!({ "languages": members, "confusion": rows }));
    }

    json!({
        "languages": category.len(),
        "items": total,
        "correct": total_correct,
        "incorrect": total_incorrect,
        "undetermined": total_undetermined,
        "macro_accuracy": macro_accuracy,
        "micro_accuracy": ratio(total_correct, total),
        "seconds": seconds,
        "items_per_second": if seconds > 0.0 { json!(total as f64 / seconds) } else { Value::Null },
        "per_language": per_language,
        "hard_groups": hard,
        "confusion": confusion,
    })
}

fn run(args: Args) -> Result<(), String> {
    let data = args
        .data
        .canonicalize()
        .map_err(|e| format!("{}: {e}", args.data.display()))?;
    let languages = language_table(&data)?;
    let mut categories = Vec::new();
    for cat in &args.categories {
        categories.push((cat.clone(), read_category(&data.join(cat), args.limit)?));
    }
    let mut detectors = serde_json::Map::new();
    for name in &args.detectors {
        eprintln!("lid-bench: loading {name}");
        let start = Instant::now();
        let detector = Detector::load(name)?;
        let load_seconds = start.elapsed().as_secs_f64();
        eprintln!("lid-bench: {name} loaded in {load_seconds:.2}s");
        // Test-set languages this detector can never answer with.
        let unsupported: Option<Vec<&String>> = detector
            .outputs()
            .map(|outs| languages.values().filter(|l| !outs.contains(l)).collect());
        let mut cats = serde_json::Map::new();
        for (cat, items) in &categories {
            let result = run_category(&detector, items);
            eprintln!(
                "lid-bench: {name} {cat}: macro accuracy {:.4}, {:.0} items/s",
                result["macro_accuracy"].as_f64().unwrap_or(f64::NAN),
                result["items_per_second"].as_f64().unwrap_or(f64::NAN),
            );
            cats.insert(cat.clone(), result);
        }
        detectors.insert(
            name.clone(),
            json!({
                "detector": name,
                "implementation": Detector::version(name),
                "load_seconds": load_seconds,
                "unsupported_languages": unsupported,
                "categories": cats,
            }),
        );
        drop(detector);
    }
    let doc = json!({
        "tool": "lid-bench",
        "data": data.display().to_string(),
        "limit": args.limit,
        "languages": languages,
        "language_names": language_names(&languages),
        "detectors": detectors,
    });
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
    match &args.out {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let result = if argv.first().map(String::as_str) == Some("languages") {
        parse_args(&argv[1..]).and_then(|a| {
            let data = a
                .data
                .canonicalize()
                .map_err(|e| format!("{}: {e}", a.data.display()))?;
            let table = language_table(&data)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&table).map_err(|e| e.to_string())?
            );
            Ok(())
        })
    } else {
        parse_args(&argv).and_then(run)
    };
    if let Err(msg) = result {
        if msg.is_empty() {
            println!("{}", usage());
            return;
        }
        eprintln!("lid-bench: {msg}\n{}", usage());
        std::process::exit(2);
    }
}
