//! Call-to-action, widget and legal phrases (`data/call_to_action.txt`),
//! found word by word in a line, and the labels that open credit, cross-link
//! and metadata lines (`data/lead_ins.txt`: "Foto: dpa", "Baca juga: …").

use rustc_hash::FxHashMap;

use crate::words::LineWords;

const DATA: &str = include_str!("../data/call_to_action.txt");
const LEAD_INS: &str = include_str!("../data/lead_ins.txt");

struct Phrase {
    /// The words after the first, lower case.
    rest: Vec<String>,
    /// Link text that may trail a content paragraph ("… Read more").
    trailing: bool,
    /// Heads a list of other stories ("Related news", "Most read").
    heading: bool,
}

/// Words a line needs before trailing link text for the text to be cut
/// rather than the line judged whole.
pub const MIN_WORDS_BEFORE_TRAILING: usize = 6;

/// The embedded phrase and label lists, keyed by first word.
pub struct Phrases {
    by_first: FxHashMap<String, Vec<Phrase>>,
    /// Lead-in labels by first word: the label's other words, and whether its period may
    /// stand for the colon (an entry written "fot.").
    lead_ins: FxHashMap<String, Vec<(Vec<String>, bool)>>,
}

/// A phrase word written `{n}` in a list: any number ("{n} min read",
/// "Lesezeit {n} Minuten").
const ANY_NUMBER: &str = "{n}";

/// Whether a word is a number: every character a digit of some script
/// ("12", "١٢", "१२", "１２").
fn is_number(word: &str) -> bool {
    !word.is_empty() && word.chars().all(char::is_numeric)
}

/// Whether the line's word `word` is the phrase's word `pattern`.
fn word_matches(pattern: &str, word: &str) -> bool {
    pattern == word || (pattern == ANY_NUMBER && is_number(word))
}

/// Lower-case words of each non-comment line of a list; a `{n}` standing
/// alone is [`ANY_NUMBER`].
fn entries(data: &str) -> impl Iterator<Item = (&str, Vec<String>)> {
    data.lines().filter_map(|raw| {
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') {
            return None;
        }
        let text = raw
            .strip_prefix("> ")
            .or_else(|| raw.strip_prefix("^ "))
            .unwrap_or(raw);
        let mut words = Vec::new();
        for token in text.split_whitespace() {
            if token == ANY_NUMBER {
                words.push(ANY_NUMBER.to_string());
            } else {
                let lw = LineWords::new(token);
                words.extend((0..lw.len()).map(|i| lw.lower(i).to_string()));
            }
        }
        (!words.is_empty()).then_some((raw, words))
    })
}

/// Bytes a lead-in label may stand after (list markers, quotes, brackets).
const MAX_BEFORE_LEAD_IN: usize = 4;

/// What the phrase list found in one line.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PhraseMatch {
    /// Code points of the line inside matched phrases, over the line's
    /// code points in words.
    pub share: f64,
    /// A trailing link phrase ends the line: the byte where it starts.
    pub trailing_from: Option<usize>,
    /// Words before that trailing phrase.
    pub words_before_trailing: usize,
    /// A phrase found heads a list of other stories.
    pub heading: bool,
}

impl Phrases {
    pub fn embedded() -> Phrases {
        let mut by_first: FxHashMap<String, Vec<Phrase>> = FxHashMap::default();
        for (raw, mut words) in entries(DATA) {
            let first = words.remove(0);
            by_first.entry(first).or_default().push(Phrase {
                rest: words,
                trailing: raw.starts_with("> "),
                heading: raw.starts_with("^ "),
            });
        }
        let mut lead_ins: FxHashMap<String, Vec<(Vec<String>, bool)>> = FxHashMap::default();
        for (raw, mut words) in entries(LEAD_INS) {
            let first = words.remove(0);
            lead_ins
                .entry(first)
                .or_default()
                .push((words, raw.ends_with('.')));
        }
        Phrases { by_first, lead_ins }
    }

    /// Whether `line` (whose words are `words`) opens with a lead-in label
    /// and its colon: "Foto: dpa", "» Lesen Sie auch: …", "Abbildung 4: …",
    /// "图片：新华社".
    pub fn opens_with_lead_in(&self, line: &str, words: &LineWords) -> bool {
        let Some(&(first, _, _)) = words.words.first() else {
            return false;
        };
        // Indentation is the renderer's, not the line's: a caption indented
        // ten spaces deep opens with its label all the same.
        if line[..first.start].trim_start().len() > MAX_BEFORE_LEAD_IN {
            return false;
        }
        let Some(candidates) = self.lead_ins.get(words.lower(0)) else {
            return false;
        };
        candidates.iter().any(|(rest, period)| {
            let end = 1 + rest.len();
            end <= words.len()
                && rest
                    .iter()
                    .enumerate()
                    .all(|(k, w)| words.lower(1 + k) == w)
                && {
                    let label_end = &line[words.words[end - 1].0.end..];
                    // An abbreviated label's period: "Fot. PAP".
                    let abbreviated = *period
                        && label_end.strip_prefix('.').is_some_and(|r| {
                            r.starts_with(char::is_whitespace) && end < words.len()
                        });
                    // A number may come between the label and its colon.
                    let after = label_end
                        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
                        .trim_start_matches(|c: char| c.is_ascii_digit())
                        .trim_start();
                    abbreviated || after.starts_with([':', '：'])
                }
        })
    }

    /// Finds the phrases of `line`, whose words are `words`.
    pub fn find(&self, line: &str, words: &LineWords) -> PhraseMatch {
        let mut found = PhraseMatch::default();
        let n = words.len();
        if n == 0 {
            return found;
        }
        // A number beside phrases is a count or a page number ("12
        // Comments", "Share 3", "Page 2 of 5"): it says nothing either way,
        // so it weighs nothing in the share.
        let chars = |i: usize| {
            let w = words.lower(i);
            if is_number(w) { 0 } else { w.chars().count() }
        };
        let mut covered_to = 0usize; // words before this index are counted
        let mut covered_chars = 0usize;
        let no_phrases = Vec::new();
        for i in 0..n {
            let first = words.lower(i);
            let by_word = self.by_first.get(first).unwrap_or(&no_phrases);
            let by_number = if is_number(first) {
                self.by_first.get(ANY_NUMBER).unwrap_or(&no_phrases)
            } else {
                &no_phrases
            };
            for p in by_word.iter().chain(by_number) {
                let end = i + 1 + p.rest.len();
                if end > n
                    || !p
                        .rest
                        .iter()
                        .enumerate()
                        .all(|(k, w)| word_matches(w, words.lower(i + 1 + k)))
                {
                    continue;
                }
                covered_chars += (i.max(covered_to)..end).map(chars).sum::<usize>();
                covered_to = covered_to.max(end);
                found.heading |= p.heading;
                if p.trailing && end == n {
                    // Cut the spaces before it too, not the sentence's full stop.
                    let from = line[..words.words[i].0.start].trim_end().len();
                    if found.trailing_from.is_none_or(|f| from < f) {
                        found.trailing_from = Some(from);
                        found.words_before_trailing = i;
                    }
                }
            }
        }
        if covered_chars == 0 {
            return found;
        }
        // Link text trailing a paragraph is cut on its own: the paragraph is
        // judged without it.
        if found.trailing_from.is_some() && found.words_before_trailing >= MIN_WORDS_BEFORE_TRAILING
        {
            let trailing: usize = (found.words_before_trailing..n).map(chars).sum();
            covered_chars = covered_chars.saturating_sub(trailing);
        }
        let total_chars: usize = (0..n).map(chars).sum();
        found.share = covered_chars as f64 / total_chars.max(1) as f64;
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: &Phrases, line: &str) -> PhraseMatch {
        p.find(line, &LineWords::new(line))
    }

    /// Each line's phrases cover at least its share of it.
    fn assert_shares_at_least(p: &Phrases, cases: &[(&str, f64)]) {
        for &(line, min_share) in cases {
            let share = find(p, line).share;
            assert!(share >= min_share, "{line}: {share}");
        }
    }

    /// No phrase is found in any of the lines.
    fn assert_no_phrases(p: &Phrases, lines: &[&str]) {
        for line in lines {
            assert_eq!(find(p, line).share, 0.0, "{line}");
        }
    }

    #[test]
    fn finds_phrases_in_any_case_and_language() {
        let p = Phrases::embedded();
        assert_eq!(find(&p, "Leave a reply").share, 1.0);
        assert_eq!(find(&p, "JETZT TEILEN").share, 1.0);
        assert!(find(&p, "Die Regierung will teilen, was sie weiß, sagte er.").share < 0.2);
        assert_eq!(find(&p, "Ein ganz normaler Satz ohne Hinweis.").share, 0.0);
    }

    /// Paywall and sign-up prompts, the debris a translated story most
    /// often carries in its own language.
    #[test]
    fn finds_sign_up_prompts_in_many_languages() {
        let p = Phrases::embedded();
        for line in [
            "Register now for FREE unlimited access to Example.com",
            "Jetzt kostenlos registrieren und weiterlesen",
            "Inscrivez-vous pour un accès illimité au site",
            "Regístrese para obtener acceso ilimitado",
            "Registrati ora per continuare a leggere",
            "Registreer nu voor onbeperkte toegang",
            "Zarejestruj się teraz i czytaj bez ograniczeń",
            "Daftar sekarang untuk akses tanpa batas",
            "Зарегистрируйтесь, чтобы получить неограниченный доступ",
            "Sınırsız erişim için kaydolun",
            "Đăng ký ngay để đọc tiếp",
            "立即注册，免费访问全部文章",
            "今すぐ登録して続きを読む",
            "εγγραφείτε για απεριόριστη πρόσβαση",
            "สมัครสมาชิกเพื่ออ่านต่อ",
        ] {
            assert!(find(&p, line).share >= 0.15, "{line}");
        }
        // The same words inside a story's sentence weigh little.
        for line in [
            "Die Firma musste sich im Handelsregister registrieren lassen, bevor sie im Mai ihre ersten Verträge mit drei Kunden aus Bayern unterschrieb und den Betrieb aufnahm.",
            "Los votantes que no pudieron registrarse a tiempo acudieron a los tribunales para reclamar su derecho, según informaron fuentes oficiales este lunes.",
        ] {
            assert!(find(&p, line).share < 0.15, "{line}");
        }
    }

    /// Texts that widely used software prints in every page's language:
    /// screen-reader link labels, social embeds, consent managers and the
    /// comment form. They are the same few strings on millions of sites.
    #[test]
    fn finds_widget_consent_and_comment_form_texts() {
        let p = Phrases::embedded();
        assert_shares_at_least(
            &p,
            &[
                ("Dieser Link öffnet sich in einem neuen Tab", 0.6),
                ("(opens in a new window)", 0.9),
                ("View this post on Instagram", 0.9),
                ("A post shared by Example Kitchen (@examplekitchen)", 0.3),
                ("Voir cette publication sur Instagram", 0.9),
                ("Zustimmung verwalten", 1.0),
                ("Tout accepter Tout refuser", 1.0),
                (
                    "Wir verwenden Cookies, um unsere Website und unseren Service zu optimieren.",
                    0.25,
                ),
                (
                    "Funktional Immer aktiv Die technische Speicherung oder der Zugang ist unbedingt erforderlich für den rechtmäßigen Zweck.",
                    0.2,
                ),
                (
                    "The technical storage or access is strictly necessary for the legitimate purpose of enabling the use of a specific service explicitly requested by the subscriber or user, or for the sole purpose of carrying out the transmission of a communication over an electronic communications network.",
                    0.9,
                ),
                (
                    "Die technische Speicherung oder der Zugriff ist erforderlich, um Nutzerprofile zu erstellen, um Werbung zu versenden.",
                    0.9,
                ),
                (
                    "Your email address will not be published. Required fields are marked *",
                    0.9,
                ),
                ("Tu dirección de correo electrónico no será publicada.", 0.9),
                ("Twój adres e-mail nie zostanie opublikowany.", 0.9),
                ("Alamat email Anda tidak akan dipublikasikan.", 0.9),
                (
                    "Ваш адрес email не будет опубликован. Обязательные поля помечены *",
                    0.9,
                ),
                ("メールアドレスが公開されることはありません。", 0.9),
            ],
        );
        // A story that mentions the same things in its own words.
        assert_no_phrases(
            &p,
            &[
                "Instagram said the post, shared by more than a million users, broke no rule, and the company declined to remove it.",
                "Das Gericht entschied, dass die Website ohne Zustimmung der Nutzer keine Daten speichern darf.",
            ],
        );
    }

    /// What blog software prints under a post, in the site's language:
    /// the reply form, the like button while it loads, pingbacks and the
    /// links to the neighbouring posts.
    #[test]
    fn finds_blog_software_wording_under_a_post() {
        let p = Phrases::embedded();
        assert_shares_at_least(
            &p,
            &[
                ("Hinterlasse eine Antwort Antworten abbrechen", 1.0),
                ("Gefällt mir Wird geladen …", 1.0),
                ("J’aime chargement…", 1.0),
                ("Me gusta Cargando...", 1.0),
                ("Deixe uma resposta Cancelar resposta", 1.0),
                ("« Vorheriger Beitrag", 1.0),
                ("Następny artykuł »", 1.0),
                ("Tinggalkan Balasan Batalkan balasan", 1.0),
                ("Добавить комментарий Отменить ответ", 1.0),
                // The linking post's title follows.
                ("Pingback: Wochenrückblick | Example", 0.25),
            ],
        );
        // The same words as a story uses them.
        assert_no_phrases(
            &p,
            &[
                "Das gefällt mir, sagte sie, während der Akku geladen wird.",
                "Im nächsten Artikel erklären wir, wie die Antwort der Regierung ausfiel.",
                "Me gusta cargar la bicicleta en el tren cuando viajo.",
            ],
        );
    }

    /// A reading-time note in the page's language is nothing but phrases,
    /// whatever its number; a count beside a phrase does not dilute it.
    #[test]
    fn numbers_fill_a_phrase_s_number_slot_and_weigh_nothing() {
        let p = Phrases::embedded();
        for line in [
            "4 Min Read",
            "Lesezeit: 12 Minuten",
            "Temps de lecture : 3 min",
            "Tiempo de lectura: 5 minutos",
            "Время чтения: 7 минут",
            "Okuma süresi: 2 dk",
            "阅读时间：5分钟",
            "Czas czytania: ٣ min",
            "128 Comments",
            "Kommentare (12)",
        ] {
            assert_eq!(find(&p, line).share, 1.0, "{line}");
        }
        // The slot takes a number only, and a story's sentence about
        // reading times is still a sentence.
        assert!(find(&p, "Lesezeit: zwei Minuten").share < 0.9);
        assert!(
            find(
                &p,
                "Las pruebas duraron 5 minutos de lectura en voz alta para cada alumno de la clase."
            )
            .share
                < 0.3
        );
        assert_eq!(find(&p, "4 minutes later").share, 0.0);
    }

    /// Paywall markers, reprint notices and comment-section disclaimers in
    /// the page's language.
    #[test]
    fn finds_paywall_markers_and_reprint_notices() {
        let p = Phrases::embedded();
        assert_shares_at_least(
            &p,
            &[
                ("Réservé aux abonnés", 1.0),
                ("Exclusivo para suscriptores", 1.0),
                ("Tylko dla prenumeratorów", 1.0),
                ("Только для подписчиков", 1.0),
                ("［有料会員限定］", 1.0),
                (
                    "この記事は会員限定です。電子版に登録すると続きをお読みいただけます。",
                    0.9,
                ),
                ("未经许可不得转载，违者必究", 0.9),
                ("<저작권자 © 연합뉴스 무단 전재 및 재배포 금지>", 0.6),
                ("الآراء الواردة أدناه لا تعبر عن رأي الموقع", 0.3),
                (
                    "* 5. メルカリ山田会長「モデルはアマゾン」 ［有料会員限定］",
                    0.2,
                ),
            ],
        );
        // A story about subscriptions.
        assert_no_phrases(
            &p,
            &[
                "Die Zeitung gewann im vergangenen Jahr 20.000 neue Abonnenten, vor allem unter jungen Lesern.",
                "Le journal compte désormais 500 000 abonnés numériques, selon son directeur.",
            ],
        );
    }

    /// The furniture of a news page in its own language: the heading over
    /// other stories, the breadcrumb's first link, the comment login and the
    /// cookie and copyright notices.
    #[test]
    fn finds_news_site_furniture_in_many_languages() {
        let p = Phrases::embedded();
        for line in [
            "Related stories",
            "Weitere Artikel",
            "Sur le même sujet",
            "Lo más leído",
            "Notizie correlate",
            "Notícias relacionadas",
            "Gerelateerde artikelen",
            "Czytaj także",
            "Berita terkait",
            "Читайте также",
            "Схожі статті",
            "İlgili Haberler",
            "LÄS OCKSÅ",
            "Související články",
            "Kapcsolódó cikkek",
            "Citește și",
            "Lue myös",
            "Tin liên quan",
            "相关文章",
            "関連記事",
            "관련 기사",
            "مقالات ذات صلة",
            "यह भी पढ़ें",
            "Σχετικά άρθρα",
            "Povezani članci",
            "Habari zinazohusiana",
            "ข่าวที่เกี่ยวข้อง",
            "Yorum yapmak için giriş yapın",
            "무단 전재 및 재배포 금지",
            "Sitemizde çerezler kullanılmaktadır",
        ] {
            assert_eq!(find(&p, line).share, 1.0, "{line}");
        }
        // A breadcrumb trail opens on the home page.
        for line in [
            "Trang chủ > Thời sự",
            "Anasayfa » Gündem",
            "Strona główna / Kraj",
        ] {
            assert!(find(&p, line).share >= 0.4, "{line}");
        }
        // The same words in a story's sentence weigh little.
        for line in [
            "Ella dijo que lee también los periódicos de la mañana antes de salir.",
            "Il sindaco ha chiesto ai cittadini di leggere anche il regolamento nuovo.",
        ] {
            assert!(find(&p, line).share < 0.2, "{line}");
        }
    }

    #[test]
    fn finds_lead_in_labels_with_their_colon() {
        let p = Phrases::embedded();
        let opens = |line: &str| p.opens_with_lead_in(line, &LineWords::new(line));
        assert!(opens("Foto: dpa"));
        assert!(opens(
            "» Lesen Sie auch: Wie die Bahn pünktlicher werden will"
        ));
        assert!(opens("Baca juga: Rusia bantah tuduhan AS"));
        assert!(opens("Abbildung 4: Die grösste Lawine der Periode"));
        assert!(opens("Fig. 2: Results"));
        assert!(opens("LEA TAMBIÉN : Impiden ingreso a reportero"));
        assert!(opens("图片：新华社"));
        // The bare imperative "read" or "see" and its colon.
        assert!(opens("Baca: Rusia bantah tuduhan AS"));
        assert!(opens(">> Mehr lesen: Erfahrt mehr über die Therme"));
        assert!(opens("PUEDES VER: ¿Qué es la Sunedu?"));
        // An abbreviated label listed with its period takes it for the colon.
        assert!(opens("Fot. PAP/Leszek Szymański"));
        assert!(!opens("Fot."));
        assert!(!opens("Foto. Ein Bild"));
        // However deep the renderer indents it.
        assert!(opens("          Credit: Riot Games, ONE Esports"));
        assert!(opens("\t\t* Foto: dpa"));
        // A given name opening an interview's answer is not a label.
        assert!(!opens("Lee: I think the economy will recover next year."));
        // A label without its colon, inside a sentence, or not opening the line.
        assert!(!opens("Foto von der Feier am Samstag"));
        assert!(!opens("Das Foto: ein Beweis"));
        assert!(!opens("Die Quelle des Flusses: ein See"));
        assert!(!opens("Fotografen: zwei"));
        assert!(!opens(""));
    }

    #[test]
    fn finds_link_text_trailing_a_paragraph() {
        let p = Phrases::embedded();
        let line = "Harapan Washington untuk membangun front persatuan diperumit oleh pernyataan Biden. Baca selengkapnya";
        let m = find(&p, line);
        let from = m.trailing_from.expect("trailing link text");
        assert_eq!(&line[from..], " Baca selengkapnya");
        assert!(m.words_before_trailing > 6);
        // The paragraph is judged without its link text.
        assert_eq!(m.share, 0.0);
        // Not at the end: not trailing.
        assert_eq!(
            find(&p, "Baca selengkapnya di sini tentang itu").trailing_from,
            None
        );
    }
}
