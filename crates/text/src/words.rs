//! spaCy's English tokenizer (`spacy.blank("en")`), re-implemented without a regex engine.
//!
//! datatrove's Gopher, C4 and FineWeb filters count words with this tokenizer, so to agree with
//! them we follow spaCy 3.8's algorithm step by step (`spacy/tokenizer.pyx`):
//!
//! 1. split the text on Python whitespace; a single `' '` after a token is absorbed, any other
//!    whitespace run becomes a whitespace token;
//! 2. per chunk: a tokenizer exception (special case) wins outright; otherwise prefixes and
//!    suffixes are peeled off in a loop that stops early when the remainder is an exception;
//! 3. the core is an exception, a URL (`URL_MATCH`), or is cut at infixes;
//! 4. finally exceptions that the affix rules split into several tokens are merged back where
//!    those tokens occur next to each other (spaCy's special-case `PhraseMatcher`; a match
//!    across a space is not applied but can still block an overlapping one).
//!
//! The regexes' alternation order and `search` (leftmost match) semantics are reproduced by
//! hand in [`prefix_len`], [`suffix_len`], [`find_infixes`] and [`url_match`].

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use crate::chars::{self, ALPHA, ALPHA_LOWER, ALPHA_UPPER, ICON, is};
use crate::spacy_tables as t;

/// Small multiplicative hash: the keys are short strings and lookups are on the hot path.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            h = (h.rotate_left(5) ^ u64::from_le_bytes(c.try_into().unwrap())).wrapping_mul(K);
        }
        let rem = chunks.remainder();
        if !rem.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rem.len()].copy_from_slice(rem);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
        }
        self.0 = h;
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

type Map<V> = HashMap<&'static str, V, BuildHasherDefault<FxHasher>>;

pub(crate) struct Tables {
    specials: Map<&'static [u8]>,
    /// Shapes of the exceptions (cheap pre-check before hashing).
    special_shapes: ShapeFilter,
    /// Longest exception in bytes, so long chunks are never hashed.
    max_special_len: usize,
    /// Shapes of the first and of the second tokens of the matcher patterns.
    first_shapes: ShapeFilter,
    second_shapes: ShapeFilter,
    /// Exceptions the special-case matcher can rebuild from several tokens.
    matcher: Map<&'static [u8]>,
    /// Text of the first token of every matcher pattern.
    /// The first two tokens of every matcher pattern.
    pair_bloom: PairBloom,
    /// Longest first or second pattern token, in bytes.
    pair_max_len: usize,
    matcher_max_len: usize,
    units: Map<()>,
    max_unit_len: usize,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut specials = Map::default();
    let mut special_shapes = ShapeFilter::default();
    let mut max_special_len = 0;
    for &(k, lens) in t::SPECIALS {
        specials.insert(k, lens);
        special_shapes.insert(k.as_bytes());
        max_special_len = max_special_len.max(k.len());
    }
    let mut first_shapes = ShapeFilter::default();
    let mut second_shapes = ShapeFilter::default();
    let mut matcher = Map::default();
    let mut pair_bloom = PairBloom::new();
    let mut pair_max_len = 0;
    let mut matcher_max_len = 0;
    for &(k, lens) in t::MATCHER {
        matcher.insert(k, lens);
        let (l0, l1) = (lens[0] as usize, lens[1] as usize);
        let (first, second) = (&k.as_bytes()[..l0], &k.as_bytes()[l0..l0 + l1]);
        pair_bloom.insert(fx_hash(first), fx_hash(second));
        first_shapes.insert(first);
        second_shapes.insert(second);
        pair_max_len = pair_max_len.max(l0).max(l1);
        matcher_max_len = matcher_max_len.max(k.len());
    }
    let mut units = Map::default();
    let mut max_unit_len = 0;
    for &u in t::UNITS.iter().chain(t::CURRENCIES) {
        units.insert(u, ());
        max_unit_len = max_unit_len.max(u.len());
    }
    Tables {
        specials,
        special_shapes,
        max_special_len,
        first_shapes,
        second_shapes,
        matcher,
        pair_bloom,
        pair_max_len,
        matcher_max_len,
        units,
        max_unit_len,
    }
});

/// A set of strings summarized by (length, first byte, last byte): a false answer is exact, a
/// true one needs confirming. Most words are ruled out without hashing them.
pub(crate) struct ShapeFilter([u64; 256]);

impl Default for ShapeFilter {
    fn default() -> Self {
        ShapeFilter([0; 256])
    }
}

impl ShapeFilter {
    #[inline(always)]
    fn index(s: &[u8]) -> usize {
        let n = s.len();
        (s[0] as usize * 61 + s[n - 1] as usize * 7 + n * 1031) & 0x3fff
    }

    fn insert(&mut self, s: &[u8]) {
        let k = Self::index(s);
        self.0[k / 64] |= 1 << (k % 64);
    }

    #[inline(always)]
    fn may_contain(&self, s: &[u8]) -> bool {
        let k = Self::index(s);
        self.0[k / 64] & (1 << (k % 64)) != 0
    }
}

/// The token lengths of `s` if it is a tokenizer exception. Called several times per chunk:
/// the shape test, which rules out most strings, is inlined; the hash lookup is not.
#[inline(always)]
fn special(tables: &Tables, s: &str) -> Option<&'static [u8]> {
    if s.is_empty()
        || s.len() > tables.max_special_len
        || !tables.special_shapes.may_contain(s.as_bytes())
    {
        return None;
    }
    special_lookup(tables, s)
}

#[inline(never)]
fn special_lookup(tables: &Tables, s: &str) -> Option<&'static [u8]> {
    tables.specials.get(s).copied()
}

#[inline]
fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

#[inline]
fn last_char(s: &str) -> Option<char> {
    s.chars().next_back()
}

/// Length in bytes of the prefix spaCy's `prefix_search` finds at the start of `s` (0 if none).
///
/// The alternation is tried in spaCy's order; only a few entries are longer than one character
/// (`\.\.+`, `US\$`, `C\$`, `A\$`; `……` is shadowed by `…`), and `\+` must not precede a digit.
pub(crate) fn prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    let Some(&b0) = b.first() else { return 0 };
    if b0 < 0x80 {
        match b0 {
            b'.' => {
                let run = b.iter().take_while(|&&x| x == b'.').count();
                if run >= 2 { run } else { 0 }
            }
            b'+' => usize::from(!b.get(1).is_some_and(u8::is_ascii_digit)),
            b'U' => {
                if b.starts_with(b"US$") {
                    3
                } else {
                    0
                }
            }
            b'C' | b'A' => {
                if b.get(1) == Some(&b'$') {
                    2
                } else {
                    0
                }
            }
            _ => usize::from(chars::ascii_bits(b0) & chars::PREFIX != 0),
        }
    } else {
        let c = first_char(s).unwrap();
        if is(c, chars::PREFIX) {
            c.len_utf8()
        } else {
            0
        }
    }
}

/// Length in bytes of the suffix spaCy's `suffix_search` finds at the end of `s` (0 if none).
///
/// `search` returns the leftmost position from which some alternative matches up to the end,
/// so among all alternatives that fit, the longest suffix wins.
pub(crate) fn suffix_len(s: &str, tables: &Tables) -> usize {
    let b = s.as_bytes();
    let n = b.len();
    if n == 0 {
        return 0;
    }
    if b[n - 1] == b'.' {
        let run = b.iter().rev().take_while(|&&x| x == b'.').count();
        if run >= 2 {
            return run;
        }
        // A single '.' is a suffix only after certain characters (lookbehinds).
        let head = &s[..n - 1];
        let mut it = head.chars().rev();
        let Some(p1) = it.next() else { return 0 };
        if is(p1, chars::SUFFIX_DOT_AFTER) {
            return 1;
        }
        let p2 = it.next();
        if let Some(p2) = p2 {
            if is(p1, ALPHA_UPPER) && is(p2, ALPHA_UPPER) {
                return 1;
            }
            if matches!(p1, 'F' | 'f' | 'C' | 'c' | 'K' | 'k') && p2 == '°' {
                return 1;
            }
        }
        return 0;
    }
    let c = last_char(s).unwrap();
    let mut best = 0usize; // longest suffix found so far, in bytes
    if is(c, chars::SUFFIX) {
        best = c.len_utf8();
    }
    if c == '+' && n >= 2 && b[n - 2].is_ascii_digit() {
        best = best.max(1);
    }
    match c {
        '…' if s.ends_with("……") => best = best.max(6),
        's' | 'S' => {
            if n >= 2 && b[n - 2] == b'\'' {
                best = best.max(2);
            } else if s[..n - 1].ends_with('’') {
                best = best.max(4);
            }
        }
        _ => {}
    }
    // Units and currencies after an ASCII digit.
    let max = tables.max_unit_len.min(n - 1);
    for l in (best + 1..=max).rev() {
        if b[n - l - 1].is_ascii_digit()
            && s.is_char_boundary(n - l)
            && tables.units.contains_key(&s[n - l..])
        {
            return l;
        }
    }
    best
}

#[inline]
fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(first_char)
}

#[inline]
fn char_before(s: &str, i: usize) -> Option<char> {
    last_char(&s[..i])
}

/// spaCy's English `infix_finditer`: non-overlapping infix spans (byte ranges) of `s`.
pub(crate) fn find_infixes(s: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let c = char_at(s, i).unwrap();
        let w = c.len_utf8();
        let end = infix_at(s, i, c);
        match end {
            Some(e) => {
                out.push((i, e));
                i = e;
            }
            None => i += w,
        }
    }
}

#[inline]
fn is_alpha_or_digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit() || is(c, ALPHA))
}

#[inline]
fn infix_at(s: &str, i: usize, c: char) -> Option<usize> {
    let b = s.as_bytes();
    let w = c.len_utf8();
    match c {
        '.' => {
            // \.\.+
            let run = b[i..].iter().take_while(|&&x| x == b'.').count();
            if run >= 2 {
                return Some(i + run);
            }
            // (?<=[{al}{q}])\.(?=[{au}{q}])
            let before = char_before(s, i)?;
            let after = char_at(s, i + 1)?;
            (is(before, chars::INFIX_DOT_BEFORE) && is(after, chars::INFIX_DOT_AFTER))
                .then_some(i + 1)
        }
        '…' => Some(i + w),
        '+' | '*' | '^' => {
            // (?<=[0-9])[+\-\*^](?=[0-9-])
            let before = char_before(s, i)?;
            let after = b.get(i + 1)?;
            (before.is_ascii_digit() && (after.is_ascii_digit() || *after == b'-')).then_some(i + 1)
        }
        '-' | '–' | '—' | '~' => {
            // (?<=[0-9])[+\-\*^](?=[0-9-]) comes first in the alternation.
            if c == '-'
                && let (Some(before), Some(after)) = (char_before(s, i), b.get(i + 1))
                && before.is_ascii_digit()
                && (after.is_ascii_digit() || *after == b'-')
            {
                return Some(i + 1);
            }
            // (?<=[{a}0-9])(?:-|–|—|--|---|——|~)(?=[{a}])
            if !is_alpha_or_digit(char_before(s, i)) {
                return None;
            }
            let alts: &[&str] = match c {
                '-' => &["-", "--", "---"],
                '–' => &["–"],
                '—' => &["—", "——"],
                _ => &["~"],
            };
            for alt in alts {
                if s[i..].starts_with(alt)
                    && char_at(s, i + alt.len()).is_some_and(|a| is(a, ALPHA))
                {
                    return Some(i + alt.len());
                }
            }
            None
        }
        ',' => {
            // (?<=[{a}]),(?=[{a}])
            let before = char_before(s, i)?;
            let after = char_at(s, i + 1)?;
            (is(before, ALPHA) && is(after, ALPHA)).then_some(i + 1)
        }
        ':' | '<' | '>' | '=' | '/' => {
            // (?<=[{a}0-9])[:<>=/](?=[{a}])
            if !is_alpha_or_digit(char_before(s, i)) {
                return None;
            }
            char_at(s, i + 1)
                .is_some_and(|a| is(a, ALPHA))
                .then_some(i + 1)
        }
        _ => is(c, ICON).then_some(i + w),
    }
}

/// spaCy's `URL_MATCH` (`lang/tokenizer_exceptions.py`), decided without backtracking.
///
/// `^(scheme://)?(userinfo@)?(ip|domain.tld)(:port)?([/?#]path)?$`: the scheme can only end at
/// the first `:`, the user info at any `@`, and host and port contain none of `/?#`, so each
/// optional part has few candidate split points and we try them all.
pub(crate) fn url_match(s: &str) -> bool {
    // Host names and IPs both need a dot.
    if memchr::memchr(b'.', s.as_bytes()).is_none() {
        return false;
    }
    let mut starts = [0usize; 2];
    let mut nstarts = 1;
    // (?:[\w\+\-\.]{2,})://
    let mut count = 0;
    for (i, c) in s.char_indices() {
        if c == '+' || c == '-' || c == '.' || is(c, chars::PY_WORD) {
            count += 1;
            continue;
        }
        if c == ':' && count >= 2 && s[i..].starts_with("://") {
            starts[1] = i + 3;
            nstarts = 2;
        }
        break;
    }
    for &st in &starts[..nstarts] {
        let r = &s[st..];
        if host_port_path(r) {
            return true;
        }
        // (?:\S+(?::\S*)?@)? : any '@' with at least one character before it. Neither host nor
        // port can contain '@', so an '@' followed by another before the next [/?#] is skipped
        // (this keeps long runs of '@' linear).
        for (i, _) in r.match_indices('@') {
            let after = &r[i + 1..];
            let next = after
                .bytes()
                .position(|x| matches!(x, b'/' | b'?' | b'#' | b'@'));
            if i >= 1 && next.is_none_or(|k| after.as_bytes()[k] != b'@') && host_port_path(after) {
                return true;
            }
        }
    }
    false
}

fn host_port_path(r: &str) -> bool {
    let end = r.find(['/', '?', '#']).unwrap_or(r.len());
    let hp = &r[..end];
    let host = match hp.find(':') {
        Some(ci) => {
            let port = &hp[ci + 1..];
            let nd = port.chars().count();
            if !(2..=5).contains(&nd) || !port.chars().all(|c| is(c, chars::PY_DIGIT)) {
                return false;
            }
            &hp[..ci]
        }
        None => hp,
    };
    ip_host(host) || domain_host(host)
}

fn is_x(c: char) -> bool {
    // [A-Za-z0-9\u00a1-\uffff]
    c.is_ascii_alphanumeric() || ('\u{a1}'..='\u{ffff}').contains(&c)
}

fn domain_host(host: &str) -> bool {
    let Some(dot) = host.rfind('.') else {
        return false;
    };
    let tld = &host[dot + 1..];
    let tl = tld.chars().count();
    if !(2..=63).contains(&tl) || !tld.chars().all(|c| is(c, ALPHA_LOWER)) {
        return false;
    }
    host[..dot].split('.').all(|label| {
        let n = label.chars().count();
        (1..=64).contains(&n)
            && is_x(first_char(label).unwrap())
            && is_x(last_char(label).unwrap())
            && label.chars().all(|c| is_x(c) || c == '_' || c == '-')
    })
}

/// The characters of an IP address part of 1 to 3 (Unicode, as Python's `\d`) digits.
fn digits(p: &str) -> Option<Vec<char>> {
    let v: Vec<char> = p.chars().collect();
    (!v.is_empty() && v.len() <= 3 && v.iter().all(|&c| is(c, chars::PY_DIGIT))).then_some(v)
}

fn ip_host(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() != 4 {
        return false;
    }
    let Some(p) = parts.iter().map(|p| digits(p)).collect::<Option<Vec<_>>>() else {
        return false;
    };
    let in_ = |c: char, lo: char, hi: char| (lo..=hi).contains(&c);
    // (?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])
    let first = |v: &[char]| match v {
        [a] => in_(*a, '1', '9'),
        [a, _] => in_(*a, '1', '9'),
        [a, b, _] => {
            *a == '1' || (*a == '2' && (in_(*b, '0', '1') || (*b == '2' && in_(v[2], '0', '3'))))
        }
        _ => false,
    };
    // (?:1?\d{1,2}|2[0-4]\d|25[0-5])
    let mid = |v: &[char]| match v {
        [_] | [_, _] => true,
        [a, b, c] => {
            *a == '1' || (*a == '2' && (in_(*b, '0', '4') || (*b == '5' && in_(*c, '0', '5'))))
        }
        _ => false,
    };
    // (?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4])
    let last = |v: &[char]| match v {
        [a] | [a, _] => in_(*a, '1', '9'),
        [a, b, c] => {
            *a == '1' || (*a == '2' && (in_(*b, '0', '4') || (*b == '5' && in_(*c, '0', '4'))))
        }
        _ => false,
    };
    if !(first(&p[0]) && mid(&p[1]) && mid(&p[2]) && last(&p[3])) {
        return false;
    }
    // Excluded private ranges (negative lookaheads at the host start).
    let s0 = parts[0];
    let s1: &[char] = &p[1];
    if s0 == "10" || s0 == "127" {
        return false;
    }
    if (s0 == "169" && parts[1] == "254") || (s0 == "192" && parts[1] == "168") {
        return false;
    }
    if s0 == "172" {
        let private = match s1 {
            [a, b] => {
                (*a == '1' && in_(*b, '6', '9')) || *a == '2' || (*a == '3' && in_(*b, '0', '1'))
            }
            _ => false,
        };
        if private {
            return false;
        }
    }
    true
}

/// A token as a byte range of the text; `space` marks whitespace tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tok {
    start: usize,
    end: usize,
    space: bool,
}

/// Reusable buffers for one tokenization run.
#[derive(Default)]
struct Scratch {
    prefixes: Vec<(usize, usize)>,
    suffixes: Vec<(usize, usize)>,
    infixes: Vec<(usize, usize)>,
    doc: Vec<Tok>,
    matches: Vec<(usize, usize)>,
    merged: Vec<Tok>,
    seen: Vec<bool>,
    key: String,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Runs spaCy's English tokenizer over `text` and calls `emit(start, end, is_space)` with the
/// byte range of every token, whitespace tokens included (flagged), in document order.
pub fn for_each_token(text: &str, mut emit: impl FnMut(usize, usize, bool)) {
    if text.is_empty() {
        return;
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut sc) => tokenize_doc(text, &mut sc, &mut emit),
        // Re-entered from inside `emit`: use fresh buffers.
        Err(_) => tokenize_doc(text, &mut Scratch::default(), &mut emit),
    });
}

fn tokenize_doc(text: &str, sc: &mut Scratch, emit: &mut impl FnMut(usize, usize, bool)) {
    let b = text.as_bytes();
    let n = b.len();
    let tables = &*TABLES;
    sc.doc.clear();
    let mut i = 0;
    while i < n {
        // The usual separator, one ' ' between two words: absorbed by the word before it.
        if i > 0
            && b[i] == b' '
            && i + 1 < n
            && matches!(BYTE_KIND[b[i + 1] as usize], KIND_PLAIN | KIND_OTHER)
        {
            i += 1;
        }
        // Whitespace run: one token, except a single ' ' right after a word, which spaCy
        // absorbs as that token's trailing space.
        let ws_start = i;
        while i < n {
            let (sp, w) = space_at(b, i);
            if !sp {
                break;
            }
            i += w;
        }
        if i > ws_start {
            let s = if ws_start > 0 && b[ws_start] == b' ' {
                ws_start + 1
            } else {
                ws_start
            };
            if s < i {
                sc.doc.push(Tok {
                    start: s,
                    end: i,
                    space: true,
                });
            }
        }
        // Non-whitespace chunk; note on the way whether every character is PLAIN.
        let start = i;
        // End of the chunk's leading run of PLAIN characters (MAX while every one is).
        let mut plain_end = usize::MAX;
        loop {
            i = skip_ascii_letters(b, i);
            while i < n && BYTE_KIND[b[i] as usize] == KIND_PLAIN {
                i += 1;
            }
            if i >= n {
                break;
            }
            match BYTE_KIND[b[i] as usize] {
                KIND_SPACE => break,
                KIND_OTHER => {
                    plain_end = plain_end.min(i);
                    i += 1;
                }
                _ => {
                    let c = text[i..].chars().next().unwrap();
                    if chars::is_py_space(c) {
                        break;
                    }
                    if plain_end == usize::MAX && !chars::is_plain(c) {
                        plain_end = i;
                    }
                    i += c.len_utf8();
                }
            }
        }
        if i > start {
            if plain_end == usize::MAX && special(tables, &text[start..i]).is_none() {
                push_word(sc, start, i);
            } else {
                tokenize_chunk(text, start, i, plain_end.min(i) - start, tables, sc);
            }
        }
    }
    apply_matcher(text, tables, sc);
    for t in &sc.doc {
        emit(t.start, t.end, t.space);
    }
    // Do not keep the buffers of an unusually large document alive in the thread.
    if sc.doc.capacity() > 1 << 20 {
        *sc = Scratch::default();
    }
}

/// The first position at or after `i` that is not an ASCII letter (ASCII letters are all
/// PLAIN), found sixteen bytes at a time: most words end inside the first block, so the loop
/// exit is predictable where a byte loop mispredicts once per word.
#[inline(always)]
fn skip_ascii_letters(b: &[u8], mut i: usize) -> usize {
    while i + 16 <= b.len() {
        let block: &[u8; 16] = b[i..i + 16].try_into().expect("16 bytes");
        let not_letters = non_letter_mask(block);
        if not_letters != 0 {
            return i + not_letters.trailing_zeros() as usize;
        }
        i += 16;
    }
    i
}

/// The end of the run of ASCII letters (`A-Z`, `a-z`) that starts at `i`:
/// the first position at or after `i` holding another byte, or `b.len()`.
pub fn ascii_letters_end(b: &[u8], i: usize) -> usize {
    let mut i = skip_ascii_letters(b, i);
    while i < b.len() && b[i].is_ascii_alphabetic() {
        i += 1;
    }
    i
}

/// Bit k set when `block[k]` is not an ASCII letter.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn non_letter_mask(block: &[u8; 16]) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline; the load is unaligned and reads exactly
    // the 16 bytes of `block`.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
        // 'a' <= lower <= 'z' as an unsigned range test done with a signed compare.
        let shifted = _mm_add_epi8(lower, _mm_set1_epi8((128 - b'a' as i32) as i8));
        let letters = _mm_cmplt_epi8(shifted, _mm_set1_epi8((-128 + 26) as i8));
        !(_mm_movemask_epi8(letters) as u32) & 0xffff
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn non_letter_mask(block: &[u8; 16]) -> u32 {
    let mut mask = 0;
    for (k, &x) in block.iter().enumerate() {
        mask |= u32::from(!x.is_ascii_alphabetic()) << k;
    }
    mask
}

const KIND_PLAIN: u8 = 0;
const KIND_SPACE: u8 = 1;
const KIND_OTHER: u8 = 2;
const KIND_NON_ASCII: u8 = 3;

/// What the chunk scanner needs to know about each byte value.
static BYTE_KIND: [u8; 256] = {
    let mut out = [KIND_NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let bits = chars::ascii_bits_const(b as u8);
        out[b] = if bits & chars::SPACE != 0 {
            KIND_SPACE
        } else if bits & chars::PLAIN != 0 {
            KIND_PLAIN
        } else {
            KIND_OTHER
        };
        b += 1;
    }
    out
};

/// Whether the character at byte `i` is Python whitespace, and its UTF-8 width.
#[inline(always)]
fn space_at(b: &[u8], i: usize) -> (bool, usize) {
    let b0 = b[i];
    if b0 < 0x80 {
        return (chars::ascii_bits(b0) & chars::SPACE != 0, 1);
    }
    let w = if b0 < 0xe0 {
        2
    } else if b0 < 0xf0 {
        3
    } else {
        4
    };
    // Only U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    let sp = match b0 {
        0xc2 => matches!(b[i + 1], 0x85 | 0xa0),
        0xe1 => b[i + 1] == 0x9a && b[i + 2] == 0x80,
        0xe2 => match (b[i + 1], b[i + 2]) {
            (0x80, x) => matches!(x, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf),
            (0x81, 0x9f) => true,
            _ => false,
        },
        0xe3 => b[i + 1] == 0x80 && b[i + 2] == 0x80,
        _ => false,
    };
    (sp, w)
}

#[inline]
fn push_word(sc: &mut Scratch, start: usize, end: usize) {
    sc.doc.push(Tok {
        start,
        end,
        space: false,
    });
}

/// Tokenizes one non-whitespace chunk whose leading run of PLAIN characters is `plain_len`
/// bytes long. The common shapes are decided directly, the rest by spaCy's rules.
fn tokenize_chunk(
    text: &str,
    s: usize,
    e: usize,
    plain_len: usize,
    tables: &Tables,
    sc: &mut Scratch,
) {
    let chunk = &text[s..e];
    // One character is one token, whatever rule would match it.
    if chunk.chars().nth(1).is_none() {
        push_word(sc, s, e);
        return;
    }
    if let Some(word_end) = plain_then_suffix(chunk, plain_len, tables) {
        push_word(sc, s, s + word_end);
        push_word(sc, s + word_end, e);
        return;
    }
    // A number: digits match no prefix, suffix (units need letters), infix or URL rule.
    if chunk.bytes().all(|b| b.is_ascii_digit()) && special(tables, chunk).is_none() {
        push_word(sc, s, e);
        return;
    }
    tokenize_chunk_by_rules(text, s, e, tables, sc);
}

/// The commonest chunk after a plain word: PLAIN characters and one ASCII punctuation byte
/// ("word," "Größe." "word)"). When the byte is a suffix on its own and neither the chunk nor
/// the word are exceptions, spaCy's rules split it into the word and the byte: a run of PLAIN
/// characters is one token by itself (what the plain-chunk path relies on), and no prefix
/// starts with a PLAIN character unless it holds a `$`. Returns where the word ends, or `None`
/// for the full rules.
#[inline]
fn plain_then_suffix(chunk: &str, plain_len: usize, tables: &Tables) -> Option<usize> {
    let b = chunk.as_bytes();
    let m = b.len();
    if plain_len + 1 != m || plain_len == 0 {
        return None;
    }
    let last = b[m - 1];
    if !last.is_ascii() || last == b'$' {
        return None;
    }
    if special(tables, chunk).is_some()
        || special(tables, &chunk[..m - 1]).is_some()
        || suffix_len(chunk, tables) != 1
    {
        return None;
    }
    Some(m - 1)
}

fn tokenize_chunk_by_rules(text: &str, s: usize, e: usize, tables: &Tables, sc: &mut Scratch) {
    let chunk = &text[s..e];
    if let Some(lens) = special(tables, chunk) {
        let mut p = s;
        for &l in lens {
            push_word(sc, p, p + l as usize);
            p += l as usize;
        }
        return;
    }
    sc.prefixes.clear();
    sc.suffixes.clear();
    // _split_affixes
    let (mut a, mut z) = (s, e);
    let mut last_size = usize::MAX;
    while a < z && z - a != last_size {
        if special(tables, &text[a..z]).is_some() {
            break;
        }
        last_size = z - a;
        let pre = prefix_len(&text[a..z]);
        if pre != 0 && a + pre < z && special(tables, &text[a + pre..z]).is_some() {
            sc.prefixes.push((a, a + pre));
            a += pre;
            break;
        }
        let suf = suffix_len(&text[a + pre..z], tables);
        if suf != 0 && z - suf > a && special(tables, &text[a..z - suf]).is_some() {
            sc.suffixes.push((z - suf, z));
            z -= suf;
            break;
        }
        if pre != 0 && suf != 0 {
            sc.prefixes.push((a, a + pre));
            sc.suffixes.push((z - suf, z));
            a += pre;
            z -= suf;
        } else if pre != 0 {
            sc.prefixes.push((a, a + pre));
            a += pre;
        } else if suf != 0 {
            sc.suffixes.push((z - suf, z));
            z -= suf;
        }
    }
    // _attach_tokens
    for k in 0..sc.prefixes.len() {
        let (ps, pe) = sc.prefixes[k];
        push_word(sc, ps, pe);
    }
    if a < z {
        let core = &text[a..z];
        if let Some(lens) = special(tables, core) {
            let mut p = a;
            for &l in lens {
                push_word(sc, p, p + l as usize);
                p += l as usize;
            }
        } else if url_match(core) {
            push_word(sc, a, z);
        } else {
            find_infixes(core, &mut sc.infixes);
            let mut start = 0;
            for k in 0..sc.infixes.len() {
                let (ms, me) = sc.infixes[k];
                if ms == 0 {
                    continue;
                }
                if ms != start {
                    push_word(sc, a + start, a + ms);
                }
                push_word(sc, a + ms, a + me);
                start = me;
            }
            if start < core.len() {
                push_word(sc, a + start, z);
            }
        }
    }
    for k in (0..sc.suffixes.len()).rev() {
        let (ss, se) = sc.suffixes[k];
        push_word(sc, ss, se);
    }
}

/// spaCy's `_apply_special_cases`: a run of tokens spelling an exception the way the plain
/// affix rules split it is re-tokenized as the exception.
///
/// spaCy's `PhraseMatcher` compares token texts only, so runs separated by a single absorbed
/// space match too; such a match is then not applied (its text, with the space, is no
/// exception) but still takes part in the overlap resolution of `_filter_special_spans`:
/// longest first, then leftmost; a span is dropped when its first or last token was covered by
/// an earlier candidate.
fn apply_matcher(text: &str, tables: &Tables, sc: &mut Scratch) {
    sc.matches.clear();
    let doc = &sc.doc;
    let n = doc.len();
    let bytes = text.as_bytes();
    let mut prev_first = false;
    for i in 0..n {
        // Cheap filters: shapes of the first and second pattern tokens, then a Bloom filter of
        // the pairs they form.
        let t = doc[i];
        let len = t.end - t.start;
        if t.space || len > tables.pair_max_len {
            prev_first = false;
            continue;
        }
        let tok = &bytes[t.start..t.end];
        if prev_first && tables.second_shapes.may_contain(tok) {
            let p = doc[i - 1];
            if tables
                .pair_bloom
                .contains(fx_hash(&bytes[p.start..p.end]), fx_hash(tok))
            {
                collect_matches(text, tables, doc, i - 1, &mut sc.matches, &mut sc.key);
            }
        }
        prev_first = tables.first_shapes.may_contain(tok);
    }
    if sc.matches.is_empty() {
        return;
    }
    // Longest first; among equal lengths, leftmost first.
    sc.matches
        .sort_by(|x, y| (y.1 - y.0).cmp(&(x.1 - x.0)).then(x.0.cmp(&y.0)));
    sc.seen.clear();
    sc.seen.resize(n, false);
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for &(ms, me) in &sc.matches {
        let contiguous = (ms..me - 1).all(|k| doc[k].end == doc[k + 1].start);
        if !sc.seen[ms] && !sc.seen[me - 1] && contiguous {
            kept.push((ms, me));
        }
        for k in ms..me {
            sc.seen[k] = true;
        }
    }
    if kept.is_empty() {
        return;
    }
    kept.sort_unstable();
    sc.merged.clear();
    let mut i = 0;
    let mut k = 0;
    while i < n {
        if k < kept.len() && kept[k].0 == i {
            let (ms, me) = kept[k];
            let start = doc[ms].start;
            let lens = tables.specials[&text[start..doc[me - 1].end]];
            let mut p = start;
            for &l in lens {
                sc.merged.push(Tok {
                    start: p,
                    end: p + l as usize,
                    space: false,
                });
                p += l as usize;
            }
            i = me;
            k += 1;
        } else {
            sc.merged.push(doc[i]);
            i += 1;
        }
    }
    std::mem::swap(&mut sc.doc, &mut sc.merged);
}

/// Appends every pattern match (token range) that starts at token `i`.
fn collect_matches(
    text: &str,
    tables: &Tables,
    doc: &[Tok],
    i: usize,
    matches: &mut Vec<(usize, usize)>,
    key: &mut String,
) {
    let first = doc[i];
    key.clear();
    key.push_str(&text[first.start..first.end]);
    for j in i + 1..doc.len() {
        let u = doc[j];
        if u.space || key.len() + (u.end - u.start) > tables.matcher_max_len {
            break;
        }
        key.push_str(&text[u.start..u.end]);
        if let Some(pat) = tables.matcher.get(key.as_str())
            && pat.len() == j - i + 1
            && pat
                .iter()
                .zip(&doc[i..=j])
                .all(|(&l, t)| t.end - t.start == l as usize)
        {
            matches.push((i, j + 1));
        }
    }
}

/// One-hash Bloom filter over pairs of token hashes.
pub(crate) struct PairBloom(Vec<u64>);

impl PairBloom {
    const BITS: u64 = 1 << 16;

    fn new() -> Self {
        PairBloom(vec![0; (Self::BITS / 64) as usize])
    }

    #[inline]
    fn bit(a: u64, b: u64) -> u64 {
        (a.rotate_left(17) ^ b).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - 16)
    }

    fn insert(&mut self, a: u64, b: u64) {
        let k = Self::bit(a, b);
        self.0[(k / 64) as usize] |= 1 << (k % 64);
    }

    #[inline]
    fn contains(&self, a: u64, b: u64) -> bool {
        let k = Self::bit(a, b);
        self.0[(k / 64) as usize] & (1 << (k % 64)) != 0
    }
}

#[inline]
fn fx_hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// The words datatrove's English `word_tokenize` returns: spaCy token texts, stripped, empty
/// ones dropped (i.e. every non-whitespace token), as slices of `text`. Appends to `out`.
pub fn spacy_en_words<'a>(text: &'a str, out: &mut Vec<&'a str>) {
    for_each_token(text, |s, e, space| {
        if !space {
            out.push(&text[s..e]);
        }
    });
}

/// Number of words [`spacy_en_words`] would return, without collecting them.
pub fn spacy_en_word_count(text: &str) -> usize {
    let mut n = 0;
    for_each_token(text, |_, _, space| n += usize::from(!space));
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from spaCy 3.8.18: tokenizer.find_prefix / find_suffix / find_infix and
    // spacy.lang.tokenizer_exceptions.URL_MATCH.

    #[test]
    fn prefixes() {
        let cases = [
            ("...x", "..."),
            ("..", ".."),
            (".x", ""),
            ("+1", ""),
            ("+x", "+"),
            ("US$5", "US$"),
            ("C$", "C$"),
            ("A$x", "A$"),
            ("(x", "("),
            ("“x", "“"),
            ("x", ""),
            ("…x", "…"),
            ("©x", "©"),
            ("$5", "$"),
            ("§1", "§"),
        ];
        for (s, p) in cases {
            assert_eq!(&s[..prefix_len(s)], p, "{s:?}");
        }
    }

    #[test]
    fn suffixes() {
        let cases = [
            ("x...", "..."),
            ("x.", "."),
            ("A.", ""),
            ("AB.", "."),
            ("Ab.", "."),
            ("°C.", "."),
            ("5km", "km"),
            ("5km/h", "km/h"),
            ("5m/s", "m/s"),
            ("5+", "+"),
            ("x+", ""),
            ("x's", "'s"),
            ("x’S", "’S"),
            ("x……", "……"),
            ("x)", ")"),
            ("5US$", "US$"),
            ("5€", "€"),
            ("ab", ""),
            ("x%", ""),
            ("5%", "%"),
            ("€", ""),
        ];
        for (s, x) in cases {
            assert_eq!(&s[s.len() - suffix_len(s, &TABLES)..], x, "{s:?}");
        }
    }

    #[test]
    fn infixes() {
        let cases: [(&str, &[&str]); 19] = [
            ("a.B", &["."]),
            ("a..b", &[".."]),
            ("a-b", &["-"]),
            ("3-4", &["-"]),
            ("3--4", &["-"]),
            ("a--b", &["--"]),
            ("a---b", &["---"]),
            ("a—b", &["—"]),
            ("a——b", &["——"]),
            ("a~b", &["~"]),
            ("a,b", &[","]),
            ("1,2", &[]),
            ("a:b", &[":"]),
            ("1/a", &["/"]),
            ("a/1", &[]),
            ("2^8", &["^"]),
            ("a©b", &["©"]),
            ("a…b", &["…"]),
            ("a.b", &[]),
        ];
        let mut out = Vec::new();
        for (s, expected) in cases {
            find_infixes(s, &mut out);
            let got: Vec<&str> = out.iter().map(|&(a, b)| &s[a..b]).collect();
            assert_eq!(got, expected, "{s:?}");
        }
    }

    #[test]
    fn urls() {
        let cases = [
            ("http://a.b", false),
            ("example.com", true),
            ("a.b", false),
            ("a.B", false),
            ("x@y.com", true),
            ("1.2.3.4", true),
            ("10.1.2.3", false),
            ("172.16.0.1", false),
            ("172.32.0.1", true),
            ("http://a.com:80/x", true),
            ("a.com:1", false),
            ("mailto:x@y.org", true),
            ("ftp://1.2.3.4:21/", true),
            ("a_b.com", true),
            ("-a.com", false),
            ("a-.com", false),
            ("www.x.中国", true),
        ];
        for (s, m) in cases {
            assert_eq!(url_match(s), m, "{s:?}");
        }
    }

    /// The tokens of one chunk by the full rules and by `tokenize_chunk` (with its fast path).
    fn chunk_both_ways(chunk: &str) -> (Vec<(usize, usize)>, Vec<(usize, usize)>) {
        let tables = &*TABLES;
        let spans = |sc: &Scratch| sc.doc.iter().map(|t| (t.start, t.end)).collect::<Vec<_>>();
        let mut sc = Scratch::default();
        tokenize_chunk_by_rules(chunk, 0, chunk.len(), tables, &mut sc);
        let by_rules = spans(&sc);
        let plain_len = chunk
            .char_indices()
            .find(|&(_, c)| !chars::is_plain(c))
            .map_or(chunk.len(), |(i, _)| i);
        let mut sc = Scratch::default();
        tokenize_chunk(chunk, 0, chunk.len(), plain_len, tables, &mut sc);
        (by_rules, spans(&sc))
    }

    fn plain_then_suffix_taken(chunk: &str) -> bool {
        let m = chunk.len();
        plain_then_suffix(chunk, m - 1, &TABLES).is_some()
            && chunk[..m - 1].chars().all(chars::is_plain)
    }

    #[test]
    fn letters_then_punctuation_split_as_the_full_rules_do() {
        let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
        let mut words: Vec<String> = Vec::new();
        for &x in &letters {
            words.push(x.to_string());
            for &y in &letters {
                words.push(format!("{x}{y}"));
            }
        }
        // Letter-only exceptions and their look-alikes, and ordinary words.
        for &(k, _) in t::SPECIALS {
            if k.bytes().all(|b| b.is_ascii_alphabetic()) {
                words.push(k.to_string());
            }
        }
        for w in [
            "word",
            "Word",
            "WORD",
            "USA",
            "etc",
            "Mr",
            "vs",
            "km",
            "Nov",
            "cannot",
            "Größe",
            "für",
            "ÄÖ",
            "東京",
            "Ωμέγα",
            "año",
            "çà",
            "ß",
            "2024",
            "0",
            "1a",
            "a1",
            "10km",
        ] {
            words.push(w.to_string());
        }
        let mut fast = 0;
        for w in &words {
            for p in (0x21u8..0x7f).filter(|b| !b.is_ascii_alphanumeric()) {
                let chunk = format!("{w}{}", p as char);
                let (by_rules, got) = chunk_both_ways(&chunk);
                assert_eq!(got, by_rules, "{chunk:?}");
                fast += usize::from(plain_then_suffix_taken(&chunk));
            }
        }
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let chunk = c.to_string();
            let (by_rules, got) = chunk_both_ways(&chunk);
            assert_eq!(got, by_rules, "{chunk:?}");
        }
        for n in ["7", "42", "2024", "31415926", "000"] {
            let (by_rules, got) = chunk_both_ways(n);
            assert_eq!(got, by_rules, "{n:?}");
        }
        // The fast path is taken for most of these chunks, not skipped.
        assert!(fast > words.len() * 10, "{fast}");
    }

    #[test]
    fn letter_blocks_agree_with_the_byte_classes() {
        for x in 0..=255u8 {
            let block = [x; 16];
            let letter = x.is_ascii_alphabetic();
            assert_eq!(non_letter_mask(&block) == 0, letter, "byte {x:#x}");
            if letter {
                assert_eq!(BYTE_KIND[x as usize], KIND_PLAIN, "byte {x:#x}");
            }
        }
        let text = "abcdefghijklmnopqrstuvwxyz, Zürich and more letters".as_bytes();
        assert_eq!(skip_ascii_letters(text, 0), 26);
        assert_eq!(skip_ascii_letters(text, 28), 29);
    }

    #[test]
    fn every_exception_tokenizes_as_itself() {
        for &(key, lens) in t::SPECIALS {
            if key.chars().any(chars::is_py_space) {
                continue;
            }
            let mut got = Vec::new();
            spacy_en_words(key, &mut got);
            let mut p = 0;
            let expected: Vec<&str> = lens
                .iter()
                .map(|&l| {
                    p += l as usize;
                    &key[p - l as usize..p]
                })
                .collect();
            assert_eq!(got, expected, "{key:?}");
        }
    }
}
