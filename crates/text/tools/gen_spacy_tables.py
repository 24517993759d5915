"""Generate `src/spacy_tables.rs` from the installed spaCy (and Python's Unicode database).

The Rust tokenizer re-implements spaCy's English tokenizer by hand; everything that is data
rather than algorithm (tokenizer exceptions, affix character classes, units, currencies,
sentencizer punctuation, Unicode categories as Python sees them) is taken from here so it can
be regenerated when spaCy changes.

Usage:  python crates/text/tools/gen_spacy_tables.py [OUTPUT.rs]
(run with the interpreter that has the spaCy/datatrove versions to mirror; default output is
`../src/spacy_tables.rs` relative to this script).
"""

import os
import re
import sys
import unicodedata

import spacy
from spacy.lang import char_classes as cc
from spacy.lang.en.punctuation import TOKENIZER_INFIXES as EN_INFIXES
from spacy.lang.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.pipeline.sentencizer import Sentencizer
from spacy.tokenizer import Tokenizer

MAX_CP = 0x110000
ORTH = 65


def ranges_of(pred):
    out = []
    start = None
    for cp in range(MAX_CP):
        if 0xD800 <= cp <= 0xDFFF:
            ok = False
        else:
            ok = pred(chr(cp))
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            out.append((start, cp - 1))
            start = None
    if start is not None:
        out.append((start, MAX_CP - 1))
    return out


def class_ranges(cls_regex):
    rx = re.compile(cls_regex)
    return ranges_of(lambda c: rx.fullmatch(c) is not None)


def lookbehind_class(entry, tail):
    """Extract the `[...]` of an entry shaped `(?<=[...])<tail>`."""
    assert entry.startswith("(?<=[") and entry.endswith("])" + tail), entry
    return entry[len("(?<=") : len(entry) - len(tail) - 1]


def rust_str(s):
    out = []
    for ch in s:
        cp = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif 0x20 <= cp < 0x7F:
            out.append(ch)
        else:
            out.append("\\u{%x}" % cp)
    return '"' + "".join(out) + '"'


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src", "spacy_tables.rs")

    nlp = spacy.blank("en")
    tk = nlp.tokenizer
    prefix_search, suffix_search = tk.prefix_search, tk.suffix_search

    # ---- character classes -------------------------------------------------------------
    classes = {}
    # Single characters that are a prefix on their own ("x" after them defeats `\+(?![0-9])`
    # only for digits, and `\.\.+`, `US\$`... need more than one char).
    def is_prefix_char(c):
        m = prefix_search(c + "x")
        return m is not None and m.end() == 1
    classes["PREFIX_CHARS"] = ranges_of(is_prefix_char)

    # Single characters that are a suffix on their own. A preceding space satisfies none of the
    # lookbehind rules, so only unconditional one-char suffixes match.
    def is_suffix_char(c):
        m = suffix_search(" " + c)
        return m is not None and m.start() == 1
    classes["SUFFIX_CHARS"] = ranges_of(is_suffix_char)
    assert not is_suffix_char(".") and not is_suffix_char("+")

    suf = list(TOKENIZER_SUFFIXES)
    # (?<=[0-9{al}{e}{p}(?:{q})])\.  and  (?<=[{au}][{au}])\.
    dot_entries = [e for e in suf if e.startswith("(?<=[") and e.endswith("])\\.")]
    assert len(dot_entries) == 2, dot_entries
    classes["SUFFIX_DOT_AFTER"] = class_ranges(lookbehind_class(dot_entries[0], "\\."))
    au2 = dot_entries[1][len("(?<=") : -len(")\\.")]
    half = len(au2) // 2
    assert au2[:half] == au2[half:]
    classes["ALPHA_UPPER"] = class_ranges(au2[:half])

    inf = list(EN_INFIXES)
    assert inf[0] == r"\.\.+" and inf[1] == "…"
    classes["ICONS"] = class_ranges(inf[2])
    assert inf[3] == r"(?<=[0-9])[+\-\*^](?=[0-9-])"
    m = re.fullmatch(r"\(\?<=(\[.*?\])\)\\\.\(\?=(\[.*\])\)", inf[4])
    classes["INFIX_DOT_BEFORE"] = class_ranges(m.group(1))
    classes["INFIX_DOT_AFTER"] = class_ranges(m.group(2))
    m = re.fullmatch(r"\(\?<=(\[.*?\])\),\(\?=(\[.*\])\)", inf[5])
    assert m.group(1) == m.group(2)
    classes["ALPHA"] = class_ranges(m.group(1))
    hyph = "(?:" + cc.HYPHENS + ")"
    assert inf[6] == r"(?<=[{a}0-9])".format(a=cc.ALPHA) + hyph + r"(?=[{a}])".format(a=cc.ALPHA), inf[6]
    assert inf[7] == r"(?<=[{a}0-9])[:<>=/](?=[{a}])".format(a=cc.ALPHA)
    assert len(inf) == 8
    classes["ALPHA_LOWER"] = class_ranges("[" + cc.ALPHA_LOWER + "]")

    # Python regex / unicodedata notions used by URL_MATCH and Token.is_punct.
    classes["PY_DIGIT"] = class_ranges(r"\d")
    classes["PY_WORD"] = class_ranges(r"\w")
    classes["PUNCT_CATEGORY"] = ranges_of(lambda c: unicodedata.category(c).startswith("P"))
    space = [cp for cp in range(MAX_CP) if chr(cp).isspace()]
    expected_space = [0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680]
    expected_space += list(range(0x2000, 0x200B)) + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
    assert space == expected_space, "str.isspace changed; update is_py_space"

    # ---- sanity checks on the shapes the Rust code hard-codes -----------------------------
    pre = [p for p in TOKENIZER_PREFIXES if p.strip()]
    multi_pre = [p for p in pre if len(re.sub(r"\\(.)", r"\1", p)) > 1 and not p.startswith("[")]
    assert multi_pre == [r"\+(?![0-9])", "……", r"\.\.+", r"US\$", r"C\$", r"A\$"], multi_pre
    cur = cc.CURRENCY.split("|")
    units = cc.UNITS.split("|")
    assert suf.count(r"(?<=[0-9])(?:{c})".format(c=cc.CURRENCY)) == 1
    assert suf.count(r"(?<=[0-9])(?:{u})".format(u=cc.UNITS)) == 1
    assert r"(?<=[0-9])\+" in suf and r"(?<=°[FfCcKk])\." in suf
    multi_suf = [s for s in suf if s.strip() and not s.startswith("(?<=") and not s.startswith("[")
                 and len(re.sub(r"\\(.)", r"\1", s)) > 1]
    assert multi_suf == ["……", r"\.\.+", "'s", "'S", "’s", "’S"], multi_suf
    currencies = sorted({re.sub(r"\\(.)", r"\1", c) for c in cur})
    units = sorted(set(units))

    # ---- tokenizer exceptions ------------------------------------------------------------
    rules = tk.rules
    plain = Tokenizer(nlp.vocab, rules={}, prefix_search=tk.prefix_search, suffix_search=tk.suffix_search,
                      infix_finditer=tk.infix_finditer, token_match=tk.token_match, url_match=tk.url_match)
    specials = []
    matcher = []
    for key in sorted(rules, key=lambda s: s.encode("utf-8")):
        pieces = [d[ORTH] for d in rules[key]]
        assert "".join(pieces) == key
        lens = [len(p.encode("utf-8")) for p in pieces]
        specials.append((key, lens))
        if tk.find_prefix(key) or tk.find_infix(key) or tk.find_suffix(key) or " " in key:
            pat = [t.text for t in plain(key)]
            assert "".join(pat) == key
            if len(pat) > 1:
                matcher.append((key, [len(p.encode("utf-8")) for p in pat]))
            else:
                assert pieces == pat, key  # single-token patterns only ever rewrite to themselves

    sent_punct = sorted(set(Sentencizer.default_punct_chars))
    assert all(len(c) == 1 for c in sent_punct)

    # ---- emit ------------------------------------------------------------------------------
    w = []
    w.append("// @generated by tools/gen_spacy_tables.py from spaCy %s (Python Unicode %s). Do not edit."
             % (spacy.__version__, unicodedata.unidata_version))
    w.append("//! Data tables mirrored from spaCy's English tokenizer and sentencizer.")
    w.append("")
    w.append("/// Tokenizer exceptions: chunk text -> byte lengths of the tokens it becomes. Sorted by bytes.")
    w.append("pub static SPECIALS: &[(&str, &[u8])] = &[")
    for key, lens in specials:
        w.append("    (%s, &%s)," % (rust_str(key), lens))
    w.append("];")
    w.append("")
    w.append("/// Exceptions that spaCy's special-case matcher also finds inside already split chunks:")
    w.append("/// (exception text, byte lengths of the tokens the plain affix rules give it).")
    w.append("pub static MATCHER: &[(&str, &[u8])] = &[")
    for key, lens in matcher:
        w.append("    (%s, &%s)," % (rust_str(key), lens))
    w.append("];")
    w.append("")
    w.append("/// Suffixes allowed after an ASCII digit (spaCy's UNITS), longest alternatives included.")
    w.append("pub static UNITS: &[&str] = &[%s];" % ", ".join(rust_str(u) for u in units))
    w.append("/// Currency suffixes allowed after an ASCII digit (spaCy's CURRENCY).")
    w.append("pub static CURRENCIES: &[&str] = &[%s];" % ", ".join(rust_str(c) for c in currencies))
    w.append("/// Sentencizer default punctuation characters.")
    w.append("pub static SENT_PUNCT: &[char] = &[%s];" % ", ".join("'\\u{%x}'" % ord(c) for c in sent_punct))
    for name, rs in classes.items():
        w.append("")
        w.append("pub static %s: &[(u32, u32)] = &[" % name)
        line = "   "
        for lo, hi in rs:
            item = " (0x%x, 0x%x)," % (lo, hi)
            if len(line) + len(item) > 96:
                w.append(line)
                line = "   "
            line += item
        if line.strip():
            w.append(line)
        w.append("];")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(w) + "\n")
    print("wrote %s: %d specials, %d matcher patterns" % (out_path, len(specials), len(matcher)))


if __name__ == "__main__":
    main()
