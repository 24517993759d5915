//! Pages built like the seed page, in each of the 75 languages of
//! lingua-testdata's sentences: a machine-translated story with its debris.
//! Each page is a headline, four summary bullets and nine paragraphs of two
//! or three real sentences of one language, then the debris the seed page
//! carries: a call to action printed twice (between paragraphs and after
//! them), an English comment widget, a French affiliate disclaimer in
//! capitals and the site's name. The article's lines must be kept and the
//! debris removed whatever the language; the short lines opening the text
//! (headline, bullets) are what fails first when a language is judged by
//! shape and stop words alone.
//!
//! `cargo test --release -p tapis-lines --test seed_like_pages -- --nocapture`
//! prints the figures per language.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tapis_lines::{LineCleaner, LineDecision};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Scripts written without spaces between words in the sentence files.
const UNSPACED: [&str; 3] = ["ja", "th", "zh"];
const PAGES_PER_LANGUAGE: u64 = 4;

const CALL_TO_ACTION: &str = "Subscribe now for FREE unlimited access to Example.com";
const WIDGET: [&str; 2] = ["We will be happy to hear your thoughts", "Leave a reply"];
const DISCLAIMER: &str = "EXAMPLESITE.COM PARTICIPE AU PROGRAMME ASSOCIÉ D'AMAZON SERVICES LLC, \
UN PROGRAMME DE PUBLICITÉ AFFILIÉ CONÇU POUR FOURNIR AUX SITES UN MOYEN DE PERCEVOIR UNE RÉMUNÉRATION";
const SITE_NAME: &str = "Examplesite";

/// SplitMix64: a fixed, seeded choice of sentences.
struct Pick(u64);

impl Pick {
    /// The choice for pages in `lang`, one sequence per test (`salt`).
    fn for_language(lang: &str, salt: u64) -> Pick {
        Pick(lang.bytes().fold(salt, |h, b| h * 31 + u64::from(b)))
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Part {
    Headline,
    Bullet,
    Paragraph,
    Debris,
    /// In the page's own language (the widget on an English page, the
    /// disclaimer on a French one): either decision is right.
    Either,
    /// The heading over a list of other stories ("Related stories").
    RelatedHeading,
    /// A headline of another story under that heading.
    Teaser,
}

/// One page: its lines (blank lines between blocks, as in the seed) and
/// what each non-blank line is.
fn page(lang: &str, sentences: &[&str], pick: &mut Pick) -> (String, Vec<Part>) {
    let unspaced = UNSPACED.contains(&lang);
    let words = |s: &str| s.split_whitespace().count();
    let chars = |s: &str| s.chars().count();
    let mut short = |max_words: usize| loop {
        let s = sentences[pick.below(sentences.len())];
        let fits = if unspaced {
            (8..=30).contains(&chars(s))
        } else {
            (4..=max_words).contains(&words(s))
        };
        if fits {
            return s
                .trim_end_matches(['.', '!', '?', '。', '！', '？'])
                .to_string();
        }
    };
    let headline = short(12);
    let bullets: Vec<String> = (0..4).map(|_| format!("  • {}", short(10))).collect();
    let paragraph = |pick: &mut Pick| {
        let n = 2 + pick.below(2);
        let mut out: Vec<&str> = Vec::new();
        while out.len() < n {
            let s = sentences[pick.below(sentences.len())];
            if chars(s) > 40 {
                out.push(s);
            }
        }
        out.join(if unspaced { "" } else { " " })
    };
    let own = |l: &str| {
        if lang == l {
            Part::Either
        } else {
            Part::Debris
        }
    };
    let mut body: Vec<(String, Part)> =
        (0..9).map(|_| (paragraph(pick), Part::Paragraph)).collect();
    body.insert(2, (CALL_TO_ACTION.to_string(), Part::Debris));
    body.extend([
        (CALL_TO_ACTION.to_string(), Part::Debris),
        (WIDGET[0].to_string(), own("en")),
        (WIDGET[1].to_string(), Part::Debris),
        (DISCLAIMER.to_string(), own("fr")),
    ]);
    // The seed's layout: the headline, the bullets together, then each
    // block followed by a blank line, the site's name last.
    let mut lines = vec![headline, String::new()];
    let mut parts = vec![Part::Headline];
    parts.extend(bullets.iter().map(|_| Part::Bullet));
    lines.extend(bullets);
    lines.push(String::new());
    for (text, part) in body {
        lines.push(text);
        lines.push(String::new());
        parts.push(part);
    }
    lines.push(SITE_NAME.to_string());
    parts.push(Part::Debris);
    (lines.join("\n"), parts)
}

/// lingua-testdata's sentence files beside the repository; `None` (after
/// saying so) when they are not there.
fn sentences_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lingua-testdata/sentences");
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("skipped: {} not found", dir.display());
        None
    }
}

/// Each sentence file's language and path, in order; `None` (after saying
/// so) when the files are not there.
fn sentence_files() -> Option<Vec<(String, PathBuf)>> {
    let dir = sentences_dir()?;
    let entries = std::fs::read_dir(&dir).expect("sentence files");
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
    files.sort();
    Some(
        files
            .into_iter()
            .map(|path| {
                let lang = path
                    .file_stem()
                    .expect("stem")
                    .to_string_lossy()
                    .to_string();
                (lang, path)
            })
            .collect(),
    )
}

/// The sentences of a file long enough to make up a story's paragraphs.
fn long_sentences(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|s| s.chars().count() > 40)
        .collect()
}

/// `count` paragraphs of three sentences drawn from `long`.
fn paragraphs_of_three(long: &[&str], count: usize, lang: &str, pick: &mut Pick) -> Vec<String> {
    let sep = if UNSPACED.contains(&lang) { "" } else { " " };
    (0..count)
        .map(|_| {
            (0..3)
                .map(|_| long[pick.below(long.len())])
                .collect::<Vec<_>>()
                .join(sep)
        })
        .collect()
}

#[test]
fn seed_like_pages_keep_their_article_and_lose_their_debris_in_75_languages() {
    let Some(files) = sentence_files() else {
        return;
    };
    let cleaner = LineCleaner::new();
    let policy = cleaner.default_policy();
    // (kept, total) per part, over all pages, and article lines per language.
    let mut by_part: BTreeMap<Part, (usize, usize)> = BTreeMap::new();
    let mut by_language: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut lost, mut kept_debris) = (Vec::new(), Vec::new());
    for (lang, path) in &files {
        let text = std::fs::read_to_string(path).expect("sentence file");
        let sentences: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        assert!(
            sentences.len() >= 300,
            "{lang}: {} sentences",
            sentences.len()
        );
        let mut pick = Pick::for_language(lang, 17);
        for _ in 0..PAGES_PER_LANGUAGE {
            let (page_text, parts) = page(lang, &sentences, &mut pick);
            let page = cleaner.clean(&page_text, Some(lang), &policy);
            assert_eq!(page.lines.len(), parts.len(), "{lang}: {page_text}");
            for (line, &part) in page.lines.iter().zip(&parts) {
                let kept = matches!(line.decision, LineDecision::Keep);
                let e = by_part.entry(part).or_default();
                e.0 += usize::from(kept);
                e.1 += 1;
                if part == Part::Debris && kept {
                    kept_debris.push(format!(
                        "{lang}: {}",
                        &page_text[line.line.start..line.line.end]
                    ));
                }
                if matches!(part, Part::Headline | Part::Bullet | Part::Paragraph) {
                    let e = by_language.entry(lang.clone()).or_default();
                    e.0 += usize::from(kept);
                    e.1 += 1;
                    if !kept {
                        lost.push(format!(
                            "{lang} {part:?}: {}",
                            &page_text[line.line.start..line.line.end]
                        ));
                    }
                }
            }
        }
    }
    assert_eq!(by_language.len(), 75, "languages: {:?}", by_language.keys());
    let share = |p: Part| {
        let (k, n) = by_part[&p];
        k as f64 / n as f64
    };
    for (lang, (k, n)) in &by_language {
        eprintln!("{lang}: article lines kept {k}/{n}");
    }
    for (part, (k, n)) in &by_part {
        eprintln!("{part:?}: kept {k}/{n} ({:.3})", *k as f64 / *n as f64);
    }
    for d in &kept_debris {
        eprintln!("kept debris: {d}");
    }
    let sample: Vec<&String> = lost.iter().take(20).collect();
    assert!(
        share(Part::Paragraph) >= 0.99,
        "paragraphs lost: {sample:#?}"
    );
    assert!(share(Part::Headline) >= 0.95, "headlines lost: {sample:#?}");
    assert!(share(Part::Bullet) >= 0.93, "bullets lost: {sample:#?}");
    assert!(
        share(Part::Debris) <= 0.005,
        "debris kept: {kept_debris:#?}"
    );
    let worst = by_language
        .iter()
        .map(|(l, &(k, n))| (k as f64 / n as f64, l))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("languages");
    assert!(worst.0 >= 0.6, "worst language {worst:?}");
}

/// A paywall prompt in the story's own language, once, between paragraphs:
/// removed for what it says, not for being repeated.
#[test]
fn a_paywall_prompt_in_the_story_s_language_is_removed() {
    let Some(dir) = sentences_dir() else {
        return;
    };
    let prompts = [
        (
            "ar",
            "سجل الآن للحصول على وصول مجاني وغير محدود إلى Example.com",
        ),
        (
            "cs",
            "Zaregistrujte se nyní a získejte ZDARMA neomezený přístup k Example.com",
        ),
        (
            "de",
            "Jetzt registrieren für KOSTENLOSEN unbegrenzten Zugang zu Example.com",
        ),
        (
            "el",
            "Εγγραφείτε τώρα για ΔΩΡΕΑΝ απεριόριστη πρόσβαση στο Example.com",
        ),
        (
            "es",
            "Regístrese ahora para obtener acceso GRATUITO e ilimitado a Example.com",
        ),
        (
            "fa",
            "همین حالا ثبت نام کنید تا به Example.com دسترسی رایگان و نامحدود داشته باشید",
        ),
        (
            "fr",
            "Inscrivez-vous maintenant pour un accès GRATUIT et illimité à Example.com",
        ),
        ("hi", "Example.com तक मुफ़्त असीमित पहुँच के लिए अभी पंजीकरण करें"),
        (
            "id",
            "Daftar sekarang untuk akses GRATIS tanpa batas ke Example.com",
        ),
        (
            "it",
            "Registrati ora per un accesso GRATUITO e illimitato a Example.com",
        ),
        ("ja", "今すぐ登録して、Example.comに無料で無制限にアクセス"),
        (
            "ms",
            "Daftar sekarang untuk akses PERCUMA tanpa had ke Example.com",
        ),
        (
            "nl",
            "Registreer u nu voor GRATIS onbeperkte toegang tot Example.com",
        ),
        (
            "pl",
            "Zarejestruj się teraz, aby uzyskać BEZPŁATNY i nieograniczony dostęp do Example.com",
        ),
        (
            "pt",
            "Cadastre-se agora para ter acesso GRATUITO e ilimitado ao Example.com",
        ),
        (
            "ro",
            "Înregistrați-vă acum pentru acces GRATUIT și nelimitat la Example.com",
        ),
        (
            "ru",
            "Зарегистрируйтесь сейчас, чтобы получить БЕСПЛАТНЫЙ неограниченный доступ к Example.com",
        ),
        (
            "sv",
            "Registrera dig nu för GRATIS obegränsad tillgång till Example.com",
        ),
        (
            "sw",
            "Jisajili sasa upate ufikiaji wa BURE bila kikomo kwa Example.com",
        ),
        (
            "tl",
            "Mag-sign up ngayon para sa LIBRENG walang limitasyong access sa Example.com",
        ),
        (
            "tr",
            "Example.com'a ÜCRETSİZ ve sınırsız erişim için şimdi kaydolun",
        ),
        (
            "uk",
            "Зареєструйтеся зараз, щоб отримати БЕЗКОШТОВНИЙ необмежений доступ до Example.com",
        ),
        (
            "vi",
            "Đăng ký ngay để truy cập MIỄN PHÍ không giới hạn vào Example.com",
        ),
        ("zh", "立即注册，免费无限制访问Example.com"),
    ];
    let cleaner = LineCleaner::new();
    let policy = cleaner.default_policy();
    let (mut paragraphs, mut kept) = (0, 0);
    for (lang, prompt) in prompts {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.txt"))).expect("sentences");
        let mut pick = Pick::for_language(lang, 29);
        let mut blocks = paragraphs_of_three(&long_sentences(&text), 8, lang, &mut pick);
        blocks.insert(3, prompt.to_string());
        let page_text = blocks.join("\n\n");
        let page = cleaner.clean(&page_text, Some(lang), &policy);
        for line in &page.lines {
            let text = &page_text[line.line.start..line.line.end];
            let keep = matches!(line.decision, LineDecision::Keep);
            if text == prompt {
                eprintln!("{lang}: prompt scores {:.2}", line.scored.score);
                assert!(!keep, "{lang}: prompt kept: {prompt}");
            } else {
                paragraphs += 1;
                kept += usize::from(keep);
            }
        }
    }
    assert!(
        kept as f64 >= 0.97 * paragraphs as f64,
        "paragraphs kept {kept}/{paragraphs}"
    );
}

/// A story followed by a list of other stories, headed in the page's
/// language ("Related stories", "Читайте также", "相关文章"): the heading
/// and the teaser headlines under it go, the story stays. The teasers are
/// short real sentences of the language without their full stop, as
/// headlines are printed.
#[test]
fn a_related_stories_block_after_the_story_is_removed() {
    let Some(dir) = sentences_dir() else {
        return;
    };
    let headings = [
        ("ar", "مقالات ذات صلة"),
        ("bg", "Свързани статии"),
        ("cs", "Související články"),
        ("da", "Læs også"),
        ("de", "Weitere Artikel"),
        ("el", "Σχετικά άρθρα"),
        ("en", "Related stories"),
        ("es", "Artículos relacionados"),
        ("fa", "مطالب مرتبط"),
        ("fi", "Lue myös"),
        ("fr", "Sur le même sujet"),
        ("he", "כתבות נוספות"),
        ("hi", "यह भी पढ़ें"),
        ("hr", "Povezani članci"),
        ("hu", "Kapcsolódó cikkek"),
        ("id", "Berita terkait"),
        ("it", "Leggi anche"),
        ("ja", "関連記事"),
        ("ko", "관련 기사"),
        ("ms", "Artikel berkaitan"),
        ("nb", "Les også"),
        ("nl", "Lees ook"),
        ("pl", "Czytaj także"),
        ("pt", "Leia também"),
        ("ro", "Citește și"),
        ("ru", "Читайте также"),
        ("sk", "Súvisiace články"),
        ("sv", "Läs också"),
        ("sw", "Habari zinazohusiana"),
        ("th", "ข่าวที่เกี่ยวข้อง"),
        ("tr", "İlgili Haberler"),
        ("uk", "Схожі статті"),
        ("vi", "Tin liên quan"),
        ("zh", "相关文章"),
    ];
    let cleaner = LineCleaner::new();
    let policy = cleaner.default_policy();
    let mut counts: BTreeMap<Part, (usize, usize)> = BTreeMap::new();
    for (lang, heading) in headings {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.txt"))).expect("sentences");
        let unspaced = UNSPACED.contains(&lang);
        let short: Vec<&str> = text
            .lines()
            .map(|s| {
                s.trim()
                    .trim_end_matches(['.', '。', '।', '!', '?', '؟', '۔'])
            })
            .filter(|s| {
                let n = s.chars().count();
                n > 15
                    && if unspaced {
                        n <= 30
                    } else {
                        n <= 80 && s.split_whitespace().count() <= 12
                    }
            })
            .collect();
        let mut pick = Pick::for_language(lang, 41);
        let mut blocks: Vec<(String, Part)> =
            paragraphs_of_three(&long_sentences(&text), 6, lang, &mut pick)
                .into_iter()
                .map(|p| (p, Part::Paragraph))
                .collect();
        blocks.push((heading.to_string(), Part::RelatedHeading));
        for _ in 0..3 {
            blocks.push((short[pick.below(short.len())].to_string(), Part::Teaser));
        }
        let page_text = blocks
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        let page = cleaner.clean(&page_text, None, &policy);
        assert_eq!(page.lines.len(), blocks.len(), "{lang}: {page_text}");
        for (line, &(_, part)) in page.lines.iter().zip(&blocks) {
            let text = &page_text[line.line.start..line.line.end];
            let keep = matches!(line.decision, LineDecision::Keep);
            let right = (part == Part::Paragraph) == keep;
            if part == Part::RelatedHeading {
                assert!(!keep, "{lang}: heading kept: {heading}");
            }
            if !right {
                eprintln!(
                    "{lang}: {part:?} {} {text}",
                    if keep { "kept" } else { "removed" }
                );
            }
            let c = counts.entry(part).or_default();
            c.0 += usize::from(right);
            c.1 += 1;
        }
    }
    for (part, (right, all)) in &counts {
        eprintln!("{part:?}: {right}/{all} decided right");
    }
    let share = |part: Part| counts[&part].0 as f64 / counts[&part].1 as f64;
    assert!(share(Part::Paragraph) >= 0.97, "{counts:?}");
    assert!(share(Part::Teaser) >= 0.95, "{counts:?}");
}

/// A story page as a whole-page rendering shows it, without its URL: a
/// breadcrumb trail of three of the language's own words (separated by
/// `›`, `»`, `>` or `/`), the headline, a date and a share button, then the
/// story. The trail, the share button and the copyright line must go.
/// Short and unpunctuated among menu lines, the headline scores like them;
/// it is kept because the story's opening repeats its words. Built in every
/// language from the story's own first sentence (its first seven words of
/// four letters or more, or ten characters in Chinese, Japanese and Thai:
/// a headline keeps the lede's names and drops its small words).
#[test]
fn a_headline_after_a_breadcrumb_is_kept_in_75_languages() {
    let Some(files) = sentence_files() else {
        return;
    };
    let cleaner = LineCleaner::new();
    let policy = cleaner.default_policy();
    let by_score = tapis_lines::Policy {
        keep_headline: false,
        ..policy
    };
    let (mut kept, mut kept_by_score, mut pages, mut chrome_kept, mut paragraphs_lost) =
        (0, 0, 0, 0, 0);
    for (lang, path) in files {
        let text = std::fs::read_to_string(&path).expect("sentences");
        let long = long_sentences(&text);
        let words_file = path.with_file_name(format!("../single-words/{lang}.txt"));
        let words_text = std::fs::read_to_string(&words_file).expect("single words");
        let single_words: Vec<&str> = words_text
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty() && !w.contains(char::is_numeric))
            .collect();
        let mut pick = Pick::for_language(&lang, 43);
        for _ in 0..PAGES_PER_LANGUAGE {
            let story = paragraphs_of_three(&long, 5, &lang, &mut pick);
            let first = story[0].as_str();
            let headline: String = if UNSPACED.contains(&lang.as_str()) {
                // Its first ten letters with the vowel signs and tone marks
                // on them: Thai written without its marks is not Thai.
                let (mut out, mut letters, mut taking) = (String::new(), 0, false);
                for c in first.chars() {
                    if c.general_category_group() == GeneralCategoryGroup::Mark {
                        if taking {
                            out.push(c);
                        }
                        continue;
                    }
                    taking = c.is_alphanumeric() && letters < 10;
                    if taking {
                        out.push(c);
                        letters += 1;
                    }
                }
                out
            } else {
                first
                    .split_whitespace()
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                    .filter(|w| w.chars().count() >= 4)
                    .take(7)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            // A trail of three of the language's own words ("Главная",
            // "Beranda" and the like are no known phrase), its separator
            // changing from page to page.
            let trail_words: Vec<&str> = (0..3)
                .map(|_| single_words[pick.below(single_words.len())])
                .collect();
            let separator = [" › ", " » ", " > ", " / "][pages % 4];
            let mut lines = vec![
                trail_words.join(separator),
                headline.clone(),
                "21.01.2024 10:15".to_string(),
                "Share".to_string(),
            ];
            lines.extend(story);
            lines.push("© 2024 Examplesite".to_string());
            let page_text = lines.join("\n");
            let page = cleaner.clean(&page_text, None, &policy);
            let alone = cleaner.clean(&page_text, None, &by_score);
            assert_eq!(page.lines.len(), lines.len(), "{lang}: {page_text}");
            pages += 1;
            let keeps = |i: usize| page.lines[i].decision == LineDecision::Keep;
            if keeps(1) {
                kept += 1;
            } else {
                let s = &page.lines[1].line.signals;
                eprintln!(
                    "{lang}: headline lost: {headline} (echo {:?}, words {}, stop {:.2}, other {:.2}, main {})",
                    s.lede_echo, s.words, s.stop_ratio, s.other_stop_ratio, s.main_distance
                );
            }
            kept_by_score += usize::from(alone.lines[1].decision == LineDecision::Keep);
            for i in [0, 3, lines.len() - 1] {
                if keeps(i) {
                    chrome_kept += 1;
                    eprintln!("{lang}: kept {}", lines[i]);
                }
            }
            paragraphs_lost += (4..lines.len() - 1).filter(|&i| !keeps(i)).count();
        }
    }
    eprintln!(
        "headlines kept {kept}/{pages} (by their score alone {kept_by_score}); \
         breadcrumb, share and footer lines kept {chrome_kept}; paragraphs lost {paragraphs_lost}"
    );
    assert!(pages >= 75 * PAGES_PER_LANGUAGE as usize, "{pages} pages");
    assert!(
        kept as f64 >= 0.95 * pages as f64,
        "headlines kept {kept}/{pages}"
    );
    assert!(
        chrome_kept as f64 <= 0.02 * pages as f64,
        "{chrome_kept} chrome lines kept"
    );
    assert!(
        paragraphs_lost as f64 <= 0.01 * 5.0 * pages as f64,
        "{paragraphs_lost} paragraphs lost"
    );
}

/// A news site's furniture in its own language, as it stands between a
/// story's paragraphs: byline, dateline, share button, comment count,
/// "read also", newsletter prompt, photo credit. Written by hand for ten
/// languages (their `call_to_action.txt` and `lead_ins.txt` entries were
/// not written from these lines; the dates, names and counts are not in
/// any list).
const LOCAL_FURNITURE: [(&str, [&str; 7]); 10] = [
    (
        "ru",
        [
            "Автор: Иван Петров",
            "21 января 2024, 10:15",
            "Поделиться",
            "Комментарии (3)",
            "Читайте также",
            "Подписывайтесь на наш канал в Telegram",
            "Фото: ТАСС",
        ],
    ),
    (
        "id",
        [
            "Penulis: Budi Santoso",
            "Senin, 21 Jan 2024 10:15 WIB",
            "Bagikan",
            "Komentar (3)",
            "Baca Juga",
            "Ikuti kami di Google News",
            "Foto: Antara",
        ],
    ),
    (
        "fr",
        [
            "Par Jean Dupont",
            "Publié le 21 janvier 2024 à 10h15",
            "Partager",
            "Commentaires (3)",
            "Lire aussi",
            "Abonnez-vous à notre newsletter",
            "Photo : AFP",
        ],
    ),
    (
        "es",
        [
            "Por Juan Pérez",
            "21 de enero de 2024, 10:15",
            "Compartir",
            "Comentarios (3)",
            "Lee también",
            "Suscríbete a nuestro boletín",
            "Foto: EFE",
        ],
    ),
    (
        "pt",
        [
            "Por João Silva",
            "21/01/2024 às 10h15",
            "Compartilhar",
            "Comentários (3)",
            "Leia também",
            "Assine nossa newsletter",
            "Foto: Reuters",
        ],
    ),
    (
        "tr",
        [
            "Yazar: Ahmet Yılmaz",
            "21 Ocak 2024, 10:15",
            "Paylaş",
            "Yorumlar (3)",
            "İlgili Haberler",
            "Bültenimize abone olun",
            "Fotoğraf: AA",
        ],
    ),
    (
        "pl",
        [
            "Autor: Jan Kowalski",
            "21 stycznia 2024, 10:15",
            "Udostępnij",
            "Komentarze (3)",
            "Czytaj także",
            "Zapisz się do newslettera",
            "Fot. PAP",
        ],
    ),
    (
        "it",
        [
            "Di Mario Rossi",
            "21 gennaio 2024, 10:15",
            "Condividi",
            "Commenti (3)",
            "Leggi anche",
            "Iscriviti alla newsletter",
            "Foto: ANSA",
        ],
    ),
    (
        "vi",
        [
            "Tác giả: Nguyễn Văn A",
            "21/01/2024 10:15",
            "Chia sẻ",
            "Bình luận (3)",
            "Tin liên quan",
            "Đăng ký nhận bản tin",
            "Ảnh: TTXVN",
        ],
    ),
    (
        "de",
        [
            "Von Hans Müller",
            "21. Januar 2024, 10:15 Uhr",
            "Teilen",
            "Kommentare (3)",
            "Lesen Sie auch",
            "Abonnieren Sie unseren Newsletter",
            "Foto: dpa",
        ],
    ),
];

#[test]
fn a_news_site_s_furniture_in_its_own_language_is_removed() {
    let Some(dir) = sentences_dir() else {
        return;
    };
    let cleaner = LineCleaner::new();
    let policy = cleaner.default_policy();
    let (mut furniture_kept, mut paragraphs_lost, mut pages) = (0, 0, 0);
    for (lang, furniture) in LOCAL_FURNITURE {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.txt"))).expect("sentences");
        let long = long_sentences(&text);
        let mut pick = Pick::for_language(lang, 47);
        for _ in 0..PAGES_PER_LANGUAGE {
            let story = paragraphs_of_three(&long, 5, lang, &mut pick);
            // Byline, dateline and share button over the story; the credit
            // under its first photo, "read also" inside it; the comment
            // count and the newsletter prompt after it.
            let [byline, date, share, comments, read_also, newsletter, credit] = furniture;
            let blocks: Vec<(&str, bool)> = vec![
                (byline, false),
                (date, false),
                (share, false),
                (&story[0], true),
                (&story[1], true),
                (credit, false),
                (&story[2], true),
                (read_also, false),
                (&story[3], true),
                (&story[4], true),
                (comments, false),
                (newsletter, false),
            ];
            let page_text = blocks
                .iter()
                .map(|(t, _)| *t)
                .collect::<Vec<_>>()
                .join("\n\n");
            let page = cleaner.clean(&page_text, None, &policy);
            assert_eq!(page.lines.len(), blocks.len());
            pages += 1;
            for (l, (t, article)) in page.lines.iter().zip(&blocks) {
                let kept = l.decision == LineDecision::Keep;
                if *article && !kept {
                    paragraphs_lost += 1;
                    eprintln!("{lang}: paragraph lost ({:.2}): {t}", l.scored.score);
                } else if !article && kept {
                    furniture_kept += 1;
                    eprintln!("{lang}: kept ({:.2}): {t}", l.scored.score);
                }
            }
        }
    }
    eprintln!(
        "furniture lines kept {furniture_kept}/{}; paragraphs lost {paragraphs_lost}/{}",
        pages * 7,
        pages * 5
    );
    // Measured: 1 of 280 kept, a dateline opening the text, which starts
    // like an extracted article (6 before bylines were a rule: "Von Hans
    // Müller", "Par Jean Dupont"); 1 of 200 paragraphs lost.
    assert!(
        furniture_kept <= pages / 10,
        "furniture kept {furniture_kept}"
    );
    assert!(
        paragraphs_lost <= pages / 20,
        "paragraphs lost {paragraphs_lost}"
    );
}
