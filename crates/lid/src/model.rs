//! The n-gram table, embedded in the library (built by `build.rs` from
//! lingua's language models) and read in place, without copying.
//!
//! It is a trie over character 1- to 5-grams of all languages. Node `v` at
//! depth `k` stands for a k-gram; its postings list the languages whose model
//! has that k-gram, each with `ln P_lang(k-gram) - ln P_lang(its (k-1)-prefix)`
//! (depth 1: `ln P_lang(char)`). Since a language that knows an n-gram knows
//! its prefixes, adding the postings met on the way from the root down to the
//! deepest node a language knows gives that language's value for the n-gram
//! with lingua's back-off to shorter prefixes, and no language needs a test.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

#[cfg(not(target_endian = "little"))]
compile_error!("the embedded language model is little-endian");

// The table is 170 MB. `include_bytes!` would hand it to the compiler as a
// constant, which link-time optimisation then copies and rewrites for
// minutes; the assembler's `.incbin` puts the file's bytes straight into the
// object file instead. Other targets fall back to `include_bytes!`.
#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
mod embedded {
    std::arch::global_asm!(
        ".pushsection .rodata.tapis_lid_model,\"a\",%progbits",
        ".balign 8",
        ".globl tapis_lid_model_start",
        ".hidden tapis_lid_model_start",
        "tapis_lid_model_start:",
        concat!(".incbin \"", env!("OUT_DIR"), "/lid_model.bin\""),
        ".globl tapis_lid_model_end",
        ".hidden tapis_lid_model_end",
        "tapis_lid_model_end:",
        ".popsection",
    );

    unsafe extern "C" {
        static tapis_lid_model_start: u8;
        static tapis_lid_model_end: u8;
    }

    pub fn bytes() -> &'static [u8] {
        // SAFETY: the two symbols delimit the bytes `.incbin` placed, in a
        // read-only section that lives as long as the program.
        unsafe {
            let start = &raw const tapis_lid_model_start;
            let end = &raw const tapis_lid_model_end;
            std::slice::from_raw_parts(start, end.offset_from(start) as usize)
        }
    }
}

#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
mod embedded {
    #[repr(C, align(8))]
    struct Aligned<T: ?Sized>(T);

    static BLOB: &Aligned<[u8]> =
        &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/lid_model.bin")));

    pub fn bytes() -> &'static [u8] {
        &BLOB.0
    }
}

pub(crate) static MODEL: LazyLock<Model> = LazyLock::new(|| Model::parse(embedded::bytes()));

/// A node of the trie: its depth (1 to 5) and its index in that level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Node {
    pub depth: u8,
    pub index: u32,
}

pub(crate) struct Model {
    char_index: FxHashMap<char, u16>,
    /// Per depth (index 1..=5): each node's last character (as an index).
    node_char: [&'static [u16]; 6],
    /// Per depth: where each node's postings start (one extra at the end).
    post_start: [&'static [u32]; 6],
    /// Per depth 1..=4: where each node's children start in the next depth.
    first_child: [&'static [u32]; 5],
    post_lang: &'static [u8],
    post_delta: &'static [f32],
    /// The postings of the unigram and bigram nodes as dense rows of
    /// `Language::COUNT` values (0 for languages without the n-gram): these
    /// few nodes are in nearly every text, and a dense row adds in a few
    /// vector instructions where a posting list takes one step per language.
    dense: [Vec<f64>; 3],
}

/// Row length of the dense postings: the languages, padded to a multiple of 4.
pub(crate) const ROW: usize = crate::Language::COUNT.next_multiple_of(4);

struct Cursor {
    bytes: &'static [u8],
    at: usize,
}

impl Cursor {
    fn u32(&mut self) -> u32 {
        let v = u32::from_le_bytes(self.bytes[self.at..self.at + 4].try_into().unwrap());
        self.at += 4;
        v
    }
    fn take(&mut self, n: usize) -> &'static [u8] {
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        s
    }
    fn align(&mut self) {
        self.at = self.at.next_multiple_of(8);
    }
    fn array<T: bytemuck::Pod>(&mut self, n: usize) -> &'static [T] {
        bytemuck::cast_slice(self.take(n * std::mem::size_of::<T>()))
    }
}

impl Model {
    fn parse(bytes: &'static [u8]) -> Model {
        assert_eq!(&bytes[..8], b"TPLID001", "embedded language model");
        let mut c = Cursor { bytes, at: 8 };
        let n_langs = c.u32() as usize;
        let n_chars = c.u32() as usize;
        let mut nodes = [0usize; 6];
        for n in nodes.iter_mut().skip(1) {
            *n = c.u32() as usize;
        }
        let n_postings = c.u32() as usize;
        let names: Vec<&'static str> = (0..n_langs)
            .map(|_| {
                let end = c.bytes[c.at..].iter().position(|&b| b == b'\n').unwrap();
                let name = std::str::from_utf8(c.take(end)).unwrap();
                c.at += 1;
                name
            })
            .collect();
        c.align();
        assert!(
            names
                .iter()
                .zip(crate::Language::all())
                .all(|(n, l)| n.eq_ignore_ascii_case(l.name()))
                && names.len() == crate::Language::COUNT,
            "the model's languages are the language table's, in order"
        );
        let chars: &[u32] = c.array(n_chars);
        let char_index = chars
            .iter()
            .enumerate()
            .map(|(i, &cp)| (char::from_u32(cp).unwrap(), i as u16))
            .collect();
        let mut node_char: [&'static [u16]; 6] = [&[]; 6];
        for depth in 1..=5 {
            node_char[depth] = c.array(nodes[depth]);
            c.align();
        }
        let mut post_start: [&'static [u32]; 6] = [&[]; 6];
        for depth in 1..=5 {
            post_start[depth] = c.array(nodes[depth] + 1);
        }
        let mut first_child: [&'static [u32]; 5] = [&[]; 5];
        for depth in 1..=4 {
            first_child[depth] = c.array(nodes[depth] + 1);
        }
        let post_lang = c.take(n_postings);
        c.align();
        let post_delta = c.array(n_postings);
        let mut model = Model {
            char_index,
            node_char,
            post_start,
            first_child,
            post_lang,
            post_delta,
            dense: Default::default(),
        };
        for depth in 1..=2 {
            let n = model.node_char[depth].len();
            let mut rows = vec![0f64; n * ROW];
            for i in 0..n {
                let (langs, deltas) = model.postings(Node {
                    depth: depth as u8,
                    index: i as u32,
                });
                for (&l, &d) in langs.iter().zip(deltas) {
                    rows[i * ROW + l as usize] = d as f64;
                }
            }
            model.dense[depth] = rows;
        }
        model
    }

    /// Reads one byte of every 4 KiB of the table, so that the operating
    /// system maps it all in now.
    pub fn touch_every_page(&self) {
        let bytes = embedded::bytes();
        let sum = bytes.iter().step_by(4096).fold(0u8, |a, &b| a ^ b);
        std::hint::black_box(sum);
    }

    /// Nodes at `depth`.
    pub fn nodes_at(&self, depth: usize) -> usize {
        self.node_char[depth].len()
    }

    /// The dense row of a unigram or bigram node, if `node` is one.
    #[inline]
    pub fn dense_row(&self, node: Node) -> Option<&[f64]> {
        let rows = self.dense.get(node.depth as usize)?;
        let at = node.index as usize * ROW;
        rows.get(at..at + ROW)
    }

    /// The index of `c` in the model's alphabet, if any n-gram has it.
    #[inline]
    pub fn char_index(&self, c: char) -> Option<u16> {
        self.char_index.get(&c).copied()
    }

    /// Asks for the memory [`child_at`](Self::child_at) will read for `node`.
    #[inline]
    pub fn prefetch_children(&self, node: Node) {
        let depth = node.depth as usize;
        if depth < 5 {
            prefetch(self.first_child[depth], node.index as usize);
        }
    }

    /// Asks for the children's characters (after [`prefetch_children`]).
    #[inline]
    pub fn prefetch_child_chars(&self, node: Node) {
        let depth = node.depth as usize;
        if depth < 5 {
            let a = self.first_child[depth][node.index as usize] as usize;
            prefetch(self.node_char[depth + 1], a);
        }
    }

    /// Asks for where `node`'s postings start (before [`prefetch_postings`]).
    #[inline]
    pub fn prefetch_posting_bounds(&self, node: Node) {
        prefetch(self.post_start[node.depth as usize], node.index as usize);
    }

    /// Asks for the memory [`postings`](Self::postings) will read.
    #[inline]
    pub fn prefetch_postings(&self, node: Node) {
        let starts = self.post_start[node.depth as usize];
        let a = starts[node.index as usize] as usize;
        prefetch(self.post_lang, a);
        prefetch(self.post_delta, a);
    }

    /// Like [`child`](Self::child), with the character already an index.
    #[inline]
    pub fn child_at(&self, node: Node, ci: u16) -> Option<Node> {
        let depth = node.depth as usize;
        if depth >= 5 {
            return None;
        }
        let fc = self.first_child[depth];
        let (a, b) = (
            fc[node.index as usize] as usize,
            fc[node.index as usize + 1] as usize,
        );
        let chars = &self.node_char[depth + 1][a..b];
        chars.binary_search(&ci).ok().map(|i| Node {
            depth: node.depth + 1,
            index: (a + i) as u32,
        })
    }

    /// The languages that know `node`, and their value deltas.
    #[inline]
    pub fn postings(&self, node: Node) -> (&'static [u8], &'static [f32]) {
        let starts = self.post_start[node.depth as usize];
        let (a, b) = (
            starts[node.index as usize] as usize,
            starts[node.index as usize + 1] as usize,
        );
        (&self.post_lang[a..b], &self.post_delta[a..b])
    }
}

/// Hints the processor to load `slice[index]` into the cache.
#[inline]
pub(crate) fn prefetch<T>(slice: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        let ptr = slice.as_ptr().wrapping_add(index) as *const i8;
        // SAFETY: prefetching is a hint; it never faults, even out of bounds.
        #[allow(unused_unsafe)]
        unsafe {
            std::arch::x86_64::_mm_prefetch(ptr, std::arch::x86_64::_MM_HINT_T0);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, index);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Language;

    #[test]
    fn a_walk_adds_up_to_each_languages_value() {
        // "the" is an English trigram: its postings along the path add up to
        // ln P(t) + ln P(h|t) + ln P(e|th), all negative.
        let m = &*MODEL;
        let t = Node {
            depth: 1,
            index: m.char_index('t').unwrap() as u32,
        };
        let th = m.child_at(t, m.char_index('h').unwrap()).unwrap();
        let the = m.child_at(th, m.char_index('e').unwrap()).unwrap();
        let en = Language::parse("en").unwrap().0;
        let mut sum = 0.0;
        for node in [t, th, the] {
            let (langs, deltas) = m.postings(node);
            let at = langs.binary_search(&en).unwrap();
            sum += deltas[at] as f64;
        }
        assert!(sum < 0.0 && sum > -15.0, "{sum}");
        assert!(m.child_at(the, m.char_index('\u{4e00}').unwrap()).is_none());
    }
}
