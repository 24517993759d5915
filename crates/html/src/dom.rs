//! A fast, forgiving reader of HTML into what extraction needs: the tree of
//! elements (tag, parent, class and id words, hidden or not) and the page's
//! text cut into blocks (a paragraph, a heading, a list item, a table cell),
//! each knowing the element that holds it and how much of it is link text.
//!
//! It is not a conforming HTML5 parser and does not try to be: it reads the
//! bytes once, skips scripts, styles and other non-text content without
//! looking inside, closes the elements HTML closes implicitly (`<p>`, `<li>`,
//! table cells) and ignores end tags that match nothing, so malformed and
//! deeply nested pages cost no more than clean ones. Nothing here recurses,
//! and nesting deeper than [`MAX_DEPTH`] is flattened.

use std::borrow::Cow;
use std::ops::Range;

use memchr::{memchr, memmem};

/// Elements nested deeper than this are read as if they were not there
/// (their text goes to the element at this depth).
pub const MAX_DEPTH: usize = 256;

/// The tags extraction tells apart; every other one is `Inline` or `Block`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    Root,
    Html,
    Head,
    Body,
    A,
    P,
    H(u8),
    Li,
    Ul,
    Ol,
    Dl,
    Dt,
    Dd,
    Div,
    Section,
    Article,
    Main,
    Nav,
    Header,
    Footer,
    Aside,
    Form,
    Table,
    Tr,
    Td,
    Th,
    Blockquote,
    Pre,
    Figure,
    Figcaption,
    Address,
    Menu,
    Button,
    Label,
    Dialog,
    Time,
    /// Another block-level element (`center`, `fieldset`, `details`, …).
    Block,
    /// Another inline element (`span`, `b`, `em`, …).
    Inline,
}

impl Tag {
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::A | Tag::Inline | Tag::Button | Tag::Label | Tag::Time
        )
    }

    pub fn is_heading(self) -> bool {
        matches!(self, Tag::H(_))
    }
}

/// How a start tag's content is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Normal,
    /// Skipped up to the matching end tag (scripts, styles, embedded media,
    /// form controls whose text is not the page's).
    Skip,
    /// Read as plain text up to the matching end tag (`<title>`).
    Title,
    /// An element without content (`<br>`, `<img>`, …).
    Void,
}

fn classify(name: &[u8]) -> (Tag, Content) {
    use Content::*;
    let tag = match name {
        b"html" => Tag::Html,
        b"head" => Tag::Head,
        b"body" => Tag::Body,
        b"a" => Tag::A,
        b"p" => Tag::P,
        b"h1" => Tag::H(1),
        b"h2" => Tag::H(2),
        b"h3" => Tag::H(3),
        b"h4" => Tag::H(4),
        b"h5" => Tag::H(5),
        b"h6" => Tag::H(6),
        b"li" => Tag::Li,
        b"ul" => Tag::Ul,
        b"ol" => Tag::Ol,
        b"dl" => Tag::Dl,
        b"dt" => Tag::Dt,
        b"dd" => Tag::Dd,
        b"div" => Tag::Div,
        b"section" => Tag::Section,
        b"article" => Tag::Article,
        b"main" => Tag::Main,
        b"nav" => Tag::Nav,
        b"header" => Tag::Header,
        b"footer" => Tag::Footer,
        b"aside" => Tag::Aside,
        b"form" => Tag::Form,
        b"table" => Tag::Table,
        b"tr" => Tag::Tr,
        b"td" => Tag::Td,
        b"th" => Tag::Th,
        b"blockquote" => Tag::Blockquote,
        b"pre" | b"listing" => Tag::Pre,
        b"figure" => Tag::Figure,
        b"figcaption" => Tag::Figcaption,
        b"address" => Tag::Address,
        b"menu" => Tag::Menu,
        b"button" => Tag::Button,
        b"label" => Tag::Label,
        b"dialog" => Tag::Dialog,
        b"time" => Tag::Time,
        b"title" => return (Tag::Inline, Title),
        b"script" | b"style" | b"noscript" | b"template" | b"textarea" | b"select" | b"svg"
        | b"math" | b"iframe" | b"object" | b"canvas" | b"video" | b"audio" | b"noembed"
        | b"noframes" | b"xmp" | b"datalist" | b"map" => {
            return (Tag::Inline, Skip);
        }
        b"br" | b"hr" | b"img" | b"input" | b"meta" | b"link" | b"wbr" | b"area" | b"base"
        | b"col" | b"embed" | b"source" | b"track" | b"param" | b"keygen" => {
            let tag = if name == b"br" || name == b"hr" {
                Tag::Block
            } else {
                Tag::Inline
            };
            return (tag, Void);
        }
        b"center" | b"fieldset" | b"details" | b"summary" | b"hgroup" | b"dir" | b"caption"
        | b"thead" | b"tbody" | b"tfoot" | b"legend" | b"frameset" | b"frame" | b"option"
        | b"optgroup" | b"search" | b"output" => Tag::Block,
        _ => Tag::Inline,
    };
    (tag, Normal)
}

pub const HIDDEN: u8 = 1;

#[derive(Clone, Debug)]
pub struct Element {
    pub tag: Tag,
    pub parent: u32,
    /// Lower-cased `class`, `id`, `role` and `itemprop` values, in
    /// [`Dom::words`].
    pub words: Range<u32>,
    pub flags: u8,
}

/// A run of text between block boundaries.
#[derive(Clone, Debug)]
pub struct Block {
    /// The innermost block-level element open when its text began.
    pub element: u32,
    /// Its text in [`Dom::text`], white space collapsed.
    pub text: Range<u32>,
    /// Characters other than white space…
    pub chars: u32,
    /// …and how many of them are inside links.
    pub link_chars: u32,
}

#[derive(Debug, Default)]
pub struct Dom {
    pub elements: Vec<Element>,
    pub blocks: Vec<Block>,
    pub text: String,
    pub words: String,
    pub title: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// `<meta>` name (or property) and content pairs, lower-cased names.
    pub meta: Vec<(String, String)>,
    /// `<time datetime>` values, in page order.
    pub times: Vec<String>,
}

impl Dom {
    pub fn words(&self, element: u32) -> &str {
        let r = &self.elements[element as usize].words;
        &self.words[r.start as usize..r.end as usize]
    }

    pub fn block_text(&self, block: &Block) -> &str {
        &self.text[block.text.start as usize..block.text.end as usize]
    }

    /// The element and its ancestors, innermost first, up to the root.
    pub fn ancestors(&self, element: u32) -> impl Iterator<Item = u32> + '_ {
        let mut next = Some(element);
        std::iter::from_fn(move || {
            let e = next?;
            next = (e != 0).then(|| self.elements[e as usize].parent);
            Some(e)
        })
    }
}

/// Reads `html` into a [`Dom`].
pub fn parse(html: &str) -> Dom {
    let mut b = Builder::new();
    let bytes = html.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let Some(k) = memchr(b'<', &bytes[i..]) else {
            b.text(&html[i..]);
            break;
        };
        if k > 0 {
            b.text(&html[i..i + k]);
        }
        i += k;
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        if bytes[i..].starts_with(b"<!--") {
            i = memmem::find(&bytes[i + 4..], b"-->").map_or(n, |e| i + 4 + e + 3);
        } else if next == b'!' || next == b'?' {
            i = memchr(b'>', &bytes[i..]).map_or(n, |e| i + e + 1);
        } else if next == b'/' && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
            let (name, after) = tag_name(bytes, i + 2);
            i = memchr(b'>', &bytes[after..]).map_or(n, |e| after + e + 1);
            b.end_tag(&name);
        } else if next.is_ascii_alphabetic() {
            let (name, after) = tag_name(bytes, i + 1);
            let (attrs, end) = attributes(html, after);
            i = end;
            let (tag, content) = classify(&name);
            match content {
                Content::Skip => {
                    i = find_end_tag(bytes, i, &name).unwrap_or(n);
                }
                Content::Title => {
                    let end = find_end_tag(bytes, i, &name).unwrap_or(n);
                    if b.dom.title.is_none() {
                        let t = collapse(&decode_entities(&html[i..end]));
                        if !t.is_empty() {
                            b.dom.title = Some(t);
                        }
                    }
                    i = end;
                }
                Content::Void => b.void(&name, tag, &attrs),
                Content::Normal => b.start_tag(&name, tag, &attrs),
            }
        } else {
            b.text("<");
            i += 1;
        }
    }
    b.finish()
}

/// The lower-cased tag name starting at `at`, and where it ends.
fn tag_name(bytes: &[u8], at: usize) -> (Vec<u8>, usize) {
    let end = bytes[at..]
        .iter()
        .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
        .map_or(bytes.len(), |e| at + e);
    (bytes[at..end].to_ascii_lowercase(), end)
}

/// The attributes extraction reads.
#[derive(Default)]
struct Attrs<'a> {
    class: Option<&'a str>,
    id: Option<&'a str>,
    role: Option<&'a str>,
    itemprop: Option<&'a str>,
    hidden: bool,
    style: Option<&'a str>,
    aria_hidden: Option<&'a str>,
    lang: Option<&'a str>,
    name: Option<&'a str>,
    property: Option<&'a str>,
    content: Option<&'a str>,
    datetime: Option<&'a str>,
}

/// Reads attributes from `at` to the tag's `>`; returns them and the
/// position after the `>` (a `>` inside a quoted value does not end it).
fn attributes(html: &str, mut at: usize) -> (Attrs<'_>, usize) {
    let bytes = html.as_bytes();
    let n = bytes.len();
    let mut attrs = Attrs::default();
    loop {
        while at < n && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= n {
            return (attrs, n);
        }
        if bytes[at] == b'>' {
            return (attrs, at + 1);
        }
        let name_start = at;
        while at < n && !matches!(bytes[at], b'=' | b'>' | b'/') && !bytes[at].is_ascii_whitespace()
        {
            at += 1;
        }
        let name = &bytes[name_start..at];
        while at < n && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value: Option<&str> = None;
        if at < n && bytes[at] == b'=' {
            at += 1;
            while at < n && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            if at < n && (bytes[at] == b'"' || bytes[at] == b'\'') {
                let q = bytes[at];
                let end = memchr(q, &bytes[at + 1..]).map_or(n, |e| at + 1 + e);
                value = Some(&html[at + 1..end]);
                at = (end + 1).min(n);
            } else {
                let start = at;
                while at < n && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>' {
                    at += 1;
                }
                value = Some(&html[start..at]);
            }
        }
        if name.len() > 16 {
            continue;
        }
        let mut lower = [0u8; 16];
        let lower = &mut lower[..name.len()];
        lower.copy_from_slice(name);
        lower.make_ascii_lowercase();
        match &*lower {
            b"class" => attrs.class = value,
            b"id" => attrs.id = value,
            b"role" => attrs.role = value,
            b"itemprop" => attrs.itemprop = value,
            b"hidden" => attrs.hidden = true,
            b"style" => attrs.style = value,
            b"aria-hidden" => attrs.aria_hidden = value,
            b"lang" => attrs.lang = value,
            b"name" => attrs.name = value,
            b"property" => attrs.property = value,
            b"content" => attrs.content = value,
            b"datetime" => attrs.datetime = value,
            _ => {}
        }
    }
}

/// Where the end tag `</name` of a raw-text element starts, looking from
/// `from` (case-insensitive).
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(k) = memmem::find(&bytes[at..], b"</") {
        let start = at + k;
        let after = start + 2;
        if bytes.len() >= after + name.len()
            && bytes[after..after + name.len()].eq_ignore_ascii_case(name)
            && bytes
                .get(after + name.len())
                .is_none_or(|&c| c.is_ascii_whitespace() || c == b'>' || c == b'/')
        {
            return Some(start);
        }
        at = after;
    }
    None
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    if memchr(b'&', text.as_bytes()).is_some() {
        html_escape::decode_html_entities(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// White space runs to one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Open {
    element: u32,
    tag: Tag,
    /// For inline and block elements not told apart by tag: a hash of the
    /// name, so that `</span>` does not close a `<b>`.
    name: u64,
}

struct Builder {
    dom: Dom,
    stack: Vec<Open>,
    links: u32,
    pre: u32,
    head: u32,
    /// Depth beyond [`MAX_DEPTH`]: start tags not pushed.
    overflow: u32,
    block_start: usize,
    block_element: Option<u32>,
    chars: u32,
    link_chars: u32,
    /// A space is due before the next text (white space was seen).
    space: bool,
}

fn name_hash(name: &[u8]) -> u64 {
    name.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &c| {
        (h ^ u64::from(c)).wrapping_mul(0x100_0000_01b3)
    })
}

impl Builder {
    fn new() -> Self {
        let root = Element {
            tag: Tag::Root,
            parent: 0,
            words: 0..0,
            flags: 0,
        };
        Builder {
            dom: Dom {
                elements: vec![root],
                ..Dom::default()
            },
            stack: vec![Open {
                element: 0,
                tag: Tag::Root,
                name: 0,
            }],
            links: 0,
            pre: 0,
            head: 0,
            overflow: 0,
            block_start: 0,
            block_element: None,
            chars: 0,
            link_chars: 0,
            space: false,
        }
    }

    fn text(&mut self, raw: &str) {
        if self.head > 0 {
            if raw.bytes().all(|b| b.is_ascii_whitespace()) {
                return;
            }
            // Text ends the head, as a body element does.
            self.leave_head();
        }
        let decoded = decode_entities(raw);
        let text: &str = &decoded;
        if self.block_element.is_none() {
            if text.chars().all(char::is_whitespace) {
                return;
            }
            self.block_element = Some(self.container());
            self.block_start = self.dom.text.len();
            self.space = false;
        }
        let in_link = self.links > 0;
        for piece in text.split_inclusive(|c: char| c.is_whitespace()) {
            let word = piece.trim_end_matches(char::is_whitespace);
            let ws = &piece[word.len()..];
            if !word.is_empty() {
                if self.space && self.dom.text.len() > self.block_start {
                    let last = self.dom.text.as_bytes()[self.dom.text.len() - 1];
                    if last != b'\n' {
                        self.dom.text.push(' ');
                    }
                }
                self.space = false;
                self.dom.text.push_str(word);
                let chars = word.chars().count() as u32;
                self.chars += chars;
                if in_link {
                    self.link_chars += chars;
                }
            }
            if !ws.is_empty() {
                if self.pre > 0 && ws.contains('\n') && self.dom.text.len() > self.block_start {
                    self.dom.text.push('\n');
                    self.space = false;
                } else {
                    self.space = true;
                }
            }
        }
    }

    /// The innermost open block-level element.
    fn container(&self) -> u32 {
        self.stack
            .iter()
            .rev()
            .find(|o| o.tag.is_block())
            .map_or(0, |o| o.element)
    }

    fn flush(&mut self) {
        let Some(element) = self.block_element.take() else {
            return;
        };
        let end = self.dom.text.trim_end().len().max(self.block_start);
        self.dom.text.truncate(end);
        if self.chars > 0 {
            self.dom.blocks.push(Block {
                element,
                text: self.block_start as u32..end as u32,
                chars: self.chars,
                link_chars: self.link_chars,
            });
        } else {
            self.dom.text.truncate(self.block_start);
        }
        self.chars = 0;
        self.link_chars = 0;
        self.space = false;
    }

    fn start_tag(&mut self, name: &[u8], tag: Tag, attrs: &Attrs) {
        if self.head > 0 && tag != Tag::Head {
            self.leave_head();
        }
        self.close_implied(tag);
        // Inline boundaries keep words apart only where the source did.
        if tag.is_block() {
            self.flush();
        }
        if tag == Tag::Html
            && let Some(l) = attrs.lang
            && self.dom.lang.is_none()
        {
            self.dom.lang = Some(l.trim().to_ascii_lowercase());
        }
        if tag == Tag::Time
            && let Some(d) = attrs.datetime
        {
            self.dom.times.push(d.trim().to_string());
        }
        if self.stack.len() >= MAX_DEPTH {
            self.overflow += 1;
            return;
        }
        let words_start = self.dom.words.len() as u32;
        for v in [attrs.class, attrs.id, attrs.role, attrs.itemprop]
            .into_iter()
            .flatten()
        {
            if self.dom.words.len() as u32 > words_start {
                self.dom.words.push(' ');
            }
            for c in v.chars() {
                self.dom.words.push(c.to_ascii_lowercase());
            }
        }
        let mut flags = 0;
        let hidden_style = attrs.style.is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        });
        if attrs.hidden || hidden_style || attrs.aria_hidden.is_some_and(|v| v.trim() == "true") {
            flags |= HIDDEN;
        }
        let parent = self.stack.last().map_or(0, |o| o.element);
        let element = self.dom.elements.len() as u32;
        self.dom.elements.push(Element {
            tag,
            parent,
            words: words_start..self.dom.words.len() as u32,
            flags,
        });
        match tag {
            Tag::A => self.links += 1,
            Tag::Pre => self.pre += 1,
            Tag::Head => self.head += 1,
            Tag::Body => {
                // Text before a body is the body's.
                self.head = 0;
            }
            _ => {}
        }
        self.stack.push(Open {
            element,
            tag,
            name: name_hash(name),
        });
    }

    fn void(&mut self, name: &[u8], tag: Tag, attrs: &Attrs) {
        if name == b"meta" {
            let key = attrs.name.or(attrs.property).or(attrs.itemprop);
            if let (Some(k), Some(c)) = (key, attrs.content) {
                self.dom
                    .meta
                    .push((k.trim().to_ascii_lowercase(), c.trim().to_string()));
            }
            return;
        }
        if tag.is_block() {
            // <br> and <hr>: a line ends.
            self.flush();
        } else if name == b"img" || name == b"input" || name == b"wbr" {
            // An image between two words stands for a space.
            self.space |= name != b"wbr";
        }
    }

    /// Closes what HTML closes implicitly before `tag` opens.
    fn close_implied(&mut self, tag: Tag) {
        let closes: &[Tag] = match tag {
            Tag::Li => &[Tag::Li],
            Tag::Dt | Tag::Dd => &[Tag::Dt, Tag::Dd],
            Tag::Tr => &[Tag::Tr, Tag::Td, Tag::Th],
            Tag::Td | Tag::Th => &[Tag::Td, Tag::Th],
            Tag::A => &[Tag::A],
            _ => &[],
        };
        // A block start ends an open paragraph.
        if tag.is_block() && self.stack.last().is_some_and(|o| o.tag == Tag::P) {
            self.pop_to(self.stack.len() - 1);
        }
        if tag.is_heading()
            && let Some(o) = self.stack.last()
            && o.tag.is_heading()
        {
            self.pop_to(self.stack.len() - 1);
        }
        if closes.is_empty() {
            return;
        }
        // Only within the nearest list or table: a nested list's <li> does
        // not close the outer one.
        let barrier = |t: Tag| matches!(t, Tag::Ul | Tag::Ol | Tag::Dl | Tag::Table | Tag::Menu);
        for at in (1..self.stack.len()).rev() {
            let t = self.stack[at].tag;
            if closes.contains(&t) {
                self.pop_to(at);
                return;
            }
            if barrier(t) || (tag == Tag::A && t.is_block()) {
                return;
            }
        }
    }

    fn end_tag(&mut self, name: &[u8]) {
        let (tag, content) = classify(name);
        if content == Content::Void {
            if name == b"br" {
                self.flush();
            }
            return;
        }
        if self.overflow > 0 {
            self.overflow -= 1;
            return;
        }
        let hash = name_hash(name);
        let limit = self.stack.len().saturating_sub(64).max(1);
        for at in (limit..self.stack.len()).rev() {
            let o = &self.stack[at];
            if o.tag == tag && o.name == hash {
                self.pop_to(at);
                return;
            }
        }
    }

    /// Closes an open `<head>` (a page's text or body element ends it).
    fn leave_head(&mut self) {
        if let Some(at) = self.stack.iter().rposition(|o| o.tag == Tag::Head) {
            self.pop_to(at);
        }
        self.head = 0;
    }

    /// Closes the element at `at` of the stack and every one above it.
    fn pop_to(&mut self, at: usize) {
        if self.stack[at..].iter().any(|o| o.tag.is_block()) {
            self.flush();
        }
        for o in self.stack.drain(at..) {
            match o.tag {
                Tag::A => self.links -= 1,
                Tag::Pre => self.pre -= 1,
                Tag::Head => self.head = self.head.saturating_sub(1),
                _ => {}
            }
        }
    }

    fn finish(mut self) -> Dom {
        self.flush();
        self.dom
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<String> {
        let dom = parse(html);
        dom.blocks
            .iter()
            .map(|b| {
                let tag = dom.elements[b.element as usize].tag;
                format!("{tag:?}|{}|{}", dom.block_text(b), b.link_chars)
            })
            .collect()
    }

    #[test]
    fn blocks_follow_block_elements_and_count_link_text() {
        assert_eq!(
            blocks(
                "<html lang=de><head><title>T &amp; U</title><style>p{}</style></head>\
                 <body><h1>Head<b>line</b></h1><p>One <a href=x>two</a>\n three<p>Four<br>five\
                 <ul><li>a<li>b <ul><li>c</ul><li>d</ul><script>var x = '<p>no</p>';</script>\
                 <div>caf&eacute; &lt;ok&gt;</div></body></html>"
            ),
            [
                "H(1)|Headline|0",
                "P|One two three|3",
                "P|Four|0",
                "P|five|0",
                "Li|a|0",
                "Li|b|0",
                "Li|c|0",
                "Li|d|0",
                "Div|café <ok>|0",
            ]
        );
        let dom = parse("<html lang=de><title>T &amp; U</title>");
        assert_eq!(dom.title.as_deref(), Some("T & U"));
        assert_eq!(dom.lang.as_deref(), Some("de"));
    }

    #[test]
    fn words_hidden_flags_and_meta() {
        let dom = parse(
            "<head><meta property='article:published_time' content='2024-01-02'></head>\
             <div class='Post-Body main' id=content><p hidden>x</p>\
             <span style='display: none'>y</span><time datetime='2024-01-03'>3 Jan</time></div>",
        );
        let tags: Vec<Tag> = dom.elements.iter().map(|e| e.tag).collect();
        assert_eq!(
            tags,
            [
                Tag::Root,
                Tag::Head,
                Tag::Div,
                Tag::P,
                Tag::Inline,
                Tag::Time
            ]
        );
        assert_eq!(dom.words(2), "post-body main content");
        assert_eq!(dom.elements[3].flags & HIDDEN, HIDDEN);
        assert_eq!(dom.elements[4].flags & HIDDEN, HIDDEN);
        assert_eq!(
            dom.meta,
            [("article:published_time".into(), "2024-01-02".into())]
        );
        assert_eq!(dom.times, ["2024-01-03"]);
    }

    #[test]
    fn malformed_input_never_fails() {
        for html in [
            "",
            "<",
            "<<<>>>",
            "</p></div></body>",
            "<p class='unterminated",
            "<!-- never closed",
            "<script>never closed",
            "<a href=x><a href=y>nested links</a>",
            "text only, no tags & an ampersand",
        ] {
            let _ = parse(html);
        }
        let deep = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
        let dom = parse(&deep);
        assert_eq!(dom.blocks.len(), 1);
        assert_eq!(dom.block_text(&dom.blocks[0]), "deep text");
        assert!(dom.elements.len() <= MAX_DEPTH);
    }

    #[test]
    fn preformatted_text_keeps_its_lines() {
        assert_eq!(
            blocks("<pre>line one\n  line two\n</pre><p>after"),
            ["Pre|line one\nline two|0", "P|after|0"]
        );
    }
}
