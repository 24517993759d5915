#!/usr/bin/env python3
"""Writes crates/lines/data/stopwords.tsv from jusText's stop-word lists.

jusText (BSD 2-Clause, Jan Pomikalek and Michal Belica; the notice is kept in
crates/lines/data/JUSTEXT-LICENSE) ships, for 100 languages, the most frequent
words of that language's Wikipedia, most frequent first. tapis keeps the first
TOP of each list after lowercasing and stripping punctuation from the ends of
each entry, so every language has a list of about the same size: the lists
then compare fairly when guessing which language a line is written in.

    bench/.venv/bin/python crates/lines/tools/make_stopwords.py   # after bash bench/setup.sh

Languages jusText has no list for (Chinese, Japanese and a dozen more)
get one made the same way from the development set's labelled sentences
(../shared/data/lingua-testdata/sentences/CODE.txt, 1,000 per language): its
TOP_SENTENCES most frequent words, numbers left out. The sentences are cut
into words by tapis-lines itself (its `words` example: runs of letters and
digits, each Han or kana character a word of its own, Thai cut by ICU4X's
dictionary segmenter), so a list holds the words lines are looked up by.

Output: one line per language, `code<TAB>name<TAB>word word word ...`, where
code is the ISO 639-1 code when the language has one, else jusText's name.
"""
import pathlib
import shutil
import subprocess
import sys
import unicodedata

import collections

import justext

TOP = 400
TOP_SENTENCES = 150
SENTENCES = pathlib.Path(__file__).resolve().parents[4] / "shared" / "data" / "lingua-testdata" / "sentences"
NAMES = {
    "th": "Thai", "zh": "Chinese", "ja": "Japanese", "lg": "Ganda", "mi": "Maori", "mn": "Mongolian",
    "pa": "Punjabi", "sn": "Shona", "so": "Somali", "st": "Sotho", "tn": "Tswana", "ts": "Tsonga",
    "xh": "Xhosa", "zu": "Zulu",
}
REPO = pathlib.Path(__file__).resolve().parents[3]


def lines_words(text: str) -> list:
    """Each line of `text` as tapis-lines cuts it: a list of lower-case words."""
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "tapis-lines", "--example", "words"],
        input=text, capture_output=True, text=True, check=True, cwd=REPO,
    ).stdout
    return [line.split(" ") if line else [] for line in out.split("\n")[: text.count("\n") + 1]]


def from_sentences(code: str) -> list:
    counts = collections.Counter()
    text = (SENTENCES / f"{code}.txt").read_text(encoding="utf-8")
    for words in lines_words(text):
        counts.update(w for w in words if not w.isdigit())
    return [w for w, _ in counts.most_common(TOP_SENTENCES)]

# jusText's list names to ISO 639-1 codes (languages without one keep their name).
ISO = {
    "Afrikaans": "af", "Albanian": "sq", "Arabic": "ar", "Aragonese": "an", "Armenian": "hy",
    "Asturian": "ast", "Azerbaijani": "az", "Basque": "eu", "Belarusian": "be",
    "Bengali": "bn", "Bosnian": "bs", "Breton": "br", "Bulgarian": "bg", "Catalan": "ca",
    "Cebuano": "ceb", "Chuvash": "cv", "Croatian": "hr", "Czech": "cs", "Danish": "da",
    "Dutch": "nl", "English": "en", "Esperanto": "eo", "Estonian": "et", "Finnish": "fi",
    "French": "fr", "Galician": "gl", "Georgian": "ka", "German": "de", "Greek": "el",
    "Gujarati": "gu", "Haitian": "ht", "Hebrew": "he", "Hindi": "hi", "Hungarian": "hu",
    "Icelandic": "is", "Ido": "io", "Igbo": "ig", "Indonesian": "id", "Irish": "ga",
    "Italian": "it", "Javanese": "jv", "Kannada": "kn", "Kazakh": "kk", "Korean": "ko",
    "Kurdish": "ku", "Kyrgyz": "ky", "Latin": "la", "Latvian": "lv", "Lithuanian": "lt",
    "Lombard": "lmo", "Low_Saxon": "nds", "Luxembourgish": "lb", "Macedonian": "mk",
    "Malay": "ms", "Malayalam": "ml", "Maltese": "mt", "Marathi": "mr", "Neapolitan": "nap",
    "Nepali": "ne", "Newar": "new", "Norwegian_Bokmal": "nb", "Norwegian_Nynorsk": "nn",
    "Occitan": "oc", "Persian": "fa", "Piedmontese": "pms", "Polish": "pl",
    "Portuguese": "pt", "Quechua": "qu", "Romanian": "ro", "Russian": "ru",
    "Samogitian": "sgs", "Serbian": "sr", "Serbo_Croatian": "sh", "Sicilian": "scn",
    "Simple_English": "simple", "Slovak": "sk", "Slovenian": "sl", "Spanish": "es",
    "Sundanese": "su", "Swahili": "sw", "Swedish": "sv", "Tagalog": "tl", "Tamil": "ta",
    "Telugu": "te", "Turkish": "tr", "Turkmen": "tk", "Ukrainian": "uk", "Urdu": "ur",
    "Uzbek": "uz", "Vietnamese": "vi", "Volapuk": "vo", "Walloon": "wa",
    "Waray_Waray": "war", "Welsh": "cy", "West_Frisian": "fy", "Western_Panjabi": "pnb",
    "Yoruba": "yo", "Bishnupriya_Manipuri": "bpy", "Belarusian_Taraskievica": "be-tarask",
    "Aromanian": "rup",
}


def clean(word: str) -> str:
    # Entries like "있다." carry the punctuation of the text they were counted in.
    while word and unicodedata.category(word[0])[0] in "PS":
        word = word[1:]
    while word and unicodedata.category(word[-1])[0] in "PS":
        word = word[:-1]
    return lower(word)


def lower(word: str) -> str:
    # Python lowers the Turkish dotted capital to "i" and a combining dot;
    # tapis-lines lowers it to "i", as the lists' own lower-case words spell it.
    return word.replace("\u0130", "i").lower()


def main() -> None:
    here = pathlib.Path(__file__).resolve().parent.parent
    source = pathlib.Path(justext.__file__).parent / "stoplists"
    rows = []
    for path in sorted(source.glob("*.txt")):
        name = path.stem
        if name == "Simple_English":  # the same language as English
            continue
        seen, words = set(), []
        for line in path.read_text(encoding="utf-8").splitlines():
            w = clean(line.strip())
            if w and " " not in w and w not in seen:
                seen.add(w)
                words.append(w)
            if len(words) == TOP:
                break
        rows.append(f"{ISO.get(name, name)}\t{name}\t{' '.join(words)}")
    have = {row.split("\t")[0] for row in rows}
    for code, name in sorted(NAMES.items()):
        if code not in have and (SENTENCES / f"{code}.txt").exists():
            rows.append(f"{code}\t{name}\t{' '.join(from_sentences(code))}")
    out = here / "data" / "stopwords.tsv"
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lic = pathlib.Path(justext.__file__).parent.parent / "justext-3.0.2.dist-info" / "LICENSE.rst"
    if lic.exists():
        shutil.copy(lic, here / "data" / "JUSTEXT-LICENSE")
    print(f"wrote {out}: {len(rows)} languages", file=sys.stderr)


if __name__ == "__main__":
    main()
