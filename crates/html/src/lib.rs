//! Web pages to text. The crate's one job: turn a fetched [`Page`] (raw
//! HTML bytes from a WARC response, an `.html` file or an HTML field) into a
//! [`Document`] holding the page's main content as plain text, one block
//! (paragraph, heading, list item, cell) per line, with its title,
//! publication date, language and charset as metadata.
//!
//! - [`charset`]: bytes to text (byte order mark, declared charset, `<meta>`,
//!   detection).
//! - [`dom`]: a fast, forgiving reading of the HTML into elements and text
//!   blocks.
//! - [`extract`]: which blocks are the article.
//!
//! Extraction is a pure function of the page, so it runs in parallel over a
//! batch like every other per-document stage.

pub mod charset;
pub mod dom;
pub mod extract;

use tapis_document::{Document, Page};
use tapis_io::Item;

/// What extraction found in a page.
#[derive(Debug)]
pub struct Extraction {
    /// The main content, one block per line.
    pub text: String,
    pub title: Option<String>,
    /// The publication date the page declares (`<meta>`, `<time>`), as written.
    pub published: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
    pub charset: &'static str,
    pub charset_source: charset::CharsetSource,
    /// Malformed byte sequences replaced by U+FFFD while decoding.
    pub replacements: u32,
}

/// `<meta>` names of a publication date, most specific first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "datepublished",
    "og:article:published_time",
    "publishdate",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "sailthru.date",
];

/// Extracts the main content of `html` (bytes in any charset; `declared`
/// is the transport's charset label, `url` helps detection).
pub fn extract(html: &[u8], declared: Option<&str>, url: Option<&str>) -> Extraction {
    let decoded = charset::decode(html, declared, url);
    let dom = dom::parse(&decoded.text);
    let mut text = String::with_capacity(decoded.text.len() / 8);
    for block in extract::article_blocks(&dom) {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(dom.block_text(block));
    }
    let meta = |names: &[&str]| {
        names.iter().find_map(|n| {
            dom.meta
                .iter()
                .find(|(k, v)| k == n && !v.is_empty())
                .map(|(_, v)| v.clone())
        })
    };
    let title = meta(&["og:title", "twitter:title"]).or_else(|| dom.title.clone());
    let published = meta(DATE_META).or_else(|| dom.times.first().cloned());
    Extraction {
        text,
        title,
        published,
        lang: dom.lang.clone(),
        charset: decoded.encoding.name(),
        charset_source: decoded.source,
        replacements: decoded.replacements,
    }
}

/// The page as a document: its main content as text, the rest of what
/// extraction found added to its metadata (`title`, `published`,
/// `html_lang`, `charset`, `charset_source`; a key the page already has is
/// left alone).
pub fn page_to_document(page: Page) -> Document {
    let url = page.metadata.get("url").and_then(|u| u.as_str());
    let found = extract(&page.html, page.declared_charset.as_deref(), url);
    let mut metadata = page.metadata;
    let mut put = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            metadata.entry(key).or_insert(v.into());
        }
    };
    put("title", found.title);
    put("published", found.published);
    put("html_lang", found.lang);
    put("charset", Some(found.charset.to_string()));
    put(
        "charset_source",
        Some(found.charset_source.as_str().to_string()),
    );
    Document {
        id: page.id,
        text: found.text,
        metadata,
        origin: page.origin,
        utf8_repairs: found.replacements,
        extracted: true,
    }
}

/// An input item with its page, if it is one, extracted to a document.
pub fn resolve(item: Item) -> Item {
    match item {
        Item::Page(page) => Item::Doc(page_to_document(page)),
        other => other,
    }
}
