//! Main content: which blocks of a page are its article.
//!
//! Three steps over the [`Dom`], each measured on the trafilatura evaluation
//! pages (`bench/html_extract.sh`):
//! 1. **Boilerplate subtrees go**: hidden elements; navigation, footers,
//!    asides, menus, dialogs, buttons, forms, figures and their captions;
//!    elements whose class, id or role names a page part that is never the
//!    article (`nav`, `sidebar`, `share`, `comments`, `cookie`, `related`,
//!    `breadcrumb`, `byline`, `caption`…); elements that are mostly link
//!    text with little else (menus and lists of other articles, with their
//!    headings). Markup words are the web's, mostly English whatever the
//!    page's language; no word of the page's text is looked at. An element
//!    holding most of the page's prose is never removed this way (WordPress
//!    marks its posts `tag-…`, ASP.NET wraps whole pages in a form, some
//!    pages hide everything until a script shows it).
//! 2. **Blocks** that are mostly link text go.
//! 3. **The article's edges**: before its first paragraph of prose only
//!    headings, list and table items and full lines stay (not the dates,
//!    bylines and category links around a headline); after its last one
//!    only list items (a closing list) stay, not the share prompts, tags and
//!    teasers that follow an article. A short heading whose section keeps
//!    nothing, a label ("Contact:") before a block that went, and a short
//!    line alone between blocks that went, go too.
//!
//! A page left with nothing keeps its paragraphs of prose from anywhere
//! but navigation, footers and the like: an article inside an element that
//! looked like a page part is better than an empty page.

use crate::dom::{Block, Dom, HIDDEN, Tag};

/// Class, id and role words of page parts that are never the article: a
/// name whose first or last word is one of these marks one
/// (`site-footer`, `widget-area`, `post-tags`).
const BOILERPLATE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "navi",
    "menu",
    "menubar",
    "mainmenu",
    "submenu",
    "topmenu",
    "footer",
    "sidebar",
    "widget",
    "widgets",
    "breadcrumb",
    "breadcrumbs",
    "crumbs",
    "share",
    "shares",
    "sharing",
    "social",
    "socials",
    "shariff",
    "addthis",
    "sharethis",
    "comment",
    "comments",
    "disqus",
    "respond",
    "reply",
    "replies",
    "related",
    "recommended",
    "recommendations",
    "popular",
    "trending",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "login",
    "register",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "banner",
    "ad",
    "ads",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "sponsor",
    "sponsored",
    "promo",
    "pagination",
    "pager",
    "paging",
    "tags",
    "tag",
    "tagcloud",
    "byline",
    "author",
    "meta",
    "postmeta",
    "date",
    "timestamp",
    "print",
    "skip",
    "skiplink",
    "toolbar",
    "modal",
    "popup",
    "overlay",
    "masthead",
    "topbar",
    "copyright",
    "legal",
    "rating",
    "follow",
    "rss",
    "search",
    "searchform",
    "logo",
    "branding",
    "language",
    "contentinfo",
    "complementary",
];

/// Parts of class and id names that mark boilerplate wherever they appear
/// in a name (`relatedPosts`, `sharebuttons`, `commentlist`): long enough
/// never to be part of another word.
const BOILERPLATE_PARTS: &[&str] = &[
    "footer",
    "sidebar",
    "breadcrumb",
    "sharing",
    "social",
    "comment",
    "related",
    "newsletter",
    "cookie",
    "consent",
    "byline",
    "navigation",
    "navbar",
    "advert",
    "sponsor",
    "pagination",
    "tagcloud",
    "subscribe",
    "shariff",
    "addthis",
    "disqus",
    "masthead",
    "skiplink",
    "sharebutton",
    "share-button",
    "caption",
    "credit",
    "copyright",
    "bildunterschrift",
    "bildnachweis",
    "metadata",
    "author",
];

/// Whole class names of elements hidden from view (only for screen
/// readers, or shown by a script later).
const HIDDEN_NAMES: &[&str] = &[
    "hidden",
    "d-none",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
    "invisible",
    "hide",
];

/// Class-name prefixes that describe the content rather than the page
/// part (WordPress marks a post `tag-…`, `category-…`): such a name is
/// never boilerplate.
const TAXONOMY_PREFIXES: &[&str] = &["tag-", "tags-", "category-", "categories-"];

/// Prefixes page builders put on every element's class: what follows is
/// the name that means something (`elementor-widget-wrap` → `wrap`).
const BUILDER_PREFIXES: &[&str] = &[
    "elementor-widget-",
    "elementor-element-",
    "elementor-",
    "wp-block-",
];

/// An element mostly made of link text (menus, lists of other articles)
/// goes when more than this share of its text is links…
const LINK_DENSITY: u32 = 40;
/// …and it holds fewer characters than this outside its links.
const LINK_LIST_MAX_OTHER_CHARS: u32 = 300;

/// Prose: a block long enough to be a sentence and mostly not a link.
/// Characters, not words: the same in every script.
fn is_prose(b: &Block) -> bool {
    b.chars >= 40 && b.link_chars * 10 < b.chars * 3
}

fn words_of(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whether one class (or id, or role) name marks a boilerplate part.
fn is_boilerplate_name(name: &str) -> bool {
    if TAXONOMY_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return false;
    }
    if HIDDEN_NAMES.contains(&name) {
        return true;
    }
    let name = BUILDER_PREFIXES
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name);
    let mut words = words_of(name);
    let first = words.next();
    let last = words.last();
    [first, last]
        .into_iter()
        .flatten()
        .any(|w| BOILERPLATE_WORDS.contains(&w))
        || BOILERPLATE_PARTS.iter().any(|p| name.contains(p))
}

/// Per element: characters of text, of link text and of prose inside it.
struct Mass {
    chars: Vec<u32>,
    link_chars: Vec<u32>,
    prose: Vec<u32>,
}

fn mass(dom: &Dom) -> Mass {
    let n = dom.elements.len();
    let mut chars = vec![0u32; n];
    let mut link_chars = vec![0u32; n];
    let mut prose = vec![0u32; n];
    for b in &dom.blocks {
        let p = if is_prose(b) { b.chars } else { 0 };
        for e in dom.ancestors(b.element) {
            chars[e as usize] += b.chars;
            link_chars[e as usize] += b.link_chars;
            prose[e as usize] += p;
        }
    }
    Mass {
        chars,
        link_chars,
        prose,
    }
}

/// Why an element was removed with its subtree (step 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    Hidden,
    Tag,
    Markup,
    Links,
}

/// Step 1: which elements are removed with their subtree, and why.
fn boilerplate(dom: &Dom, mass: &Mass) -> Vec<Option<Removal>> {
    let n = dom.elements.len();
    let page_prose = u64::from(mass.prose[0].max(1));
    let mut removed: Vec<Option<Removal>> = vec![None; n];
    for (i, e) in dom.elements.iter().enumerate().skip(1) {
        if let Some(r) = removed[e.parent as usize] {
            removed[i] = Some(r);
            continue;
        }
        let structural = matches!(e.tag, Tag::Body | Tag::Html | Tag::Root);
        let why = if e.flags & HIDDEN != 0 {
            Some(Removal::Hidden)
        } else if matches!(
            e.tag,
            Tag::Nav
                | Tag::Footer
                | Tag::Aside
                | Tag::Menu
                | Tag::Dialog
                | Tag::Button
                | Tag::Form
                | Tag::Figure
                | Tag::Figcaption
        ) {
            Some(Removal::Tag)
        } else if !structural
            && !matches!(e.tag, Tag::Article | Tag::Main)
            && dom
                .words(i as u32)
                .split_ascii_whitespace()
                .any(is_boilerplate_name)
        {
            Some(Removal::Markup)
        } else if !structural
            && e.tag.is_block()
            && mass.link_chars[i] * 100 > LINK_DENSITY * mass.chars[i]
            && mass.chars[i] - mass.link_chars[i] < LINK_LIST_MAX_OTHER_CHARS
        {
            Some(Removal::Links)
        } else {
            None
        };
        // A wrapper of most of the page's prose stays, whatever its markup.
        if why.is_some() && u64::from(mass.prose[i]) * 2 < page_prose {
            removed[i] = why;
        }
    }
    removed
}

/// What extraction does with one block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Kept,
    /// Inside an element removed with its subtree.
    Removed(Removal),
    /// Mostly link text.
    LinkText,
    /// Before the article's first paragraph, and no heading.
    BeforeArticle,
    /// After the article's last paragraph, and no list item.
    AfterArticle,
    /// A heading over a section that keeps nothing, or a label ("Contact:")
    /// before a block that went.
    OrphanHeading,
    /// A short line alone between blocks that went.
    Isolated,
}

/// Every block's fate, in page order.
pub fn block_fates(dom: &Dom) -> Vec<Fate> {
    let mass = mass(dom);
    let removed = boilerplate(dom, &mass);
    let mut fates: Vec<Fate> = dom
        .blocks
        .iter()
        .map(|b| match removed[b.element as usize] {
            Some(r) => Fate::Removed(r),
            None if b.link_chars * 2 > b.chars => Fate::LinkText,
            None => Fate::Kept,
        })
        .collect();
    let kept_prose = |(i, f): (usize, &Fate)| *f == Fate::Kept && is_prose(&dom.blocks[i]);
    let first = fates.iter().enumerate().position(kept_prose);
    let last = fates.iter().enumerate().rposition(kept_prose);
    if let (Some(first), Some(last)) = (first, last) {
        for (i, fate) in fates.iter_mut().enumerate() {
            if *fate != Fate::Kept {
                continue;
            }
            let b = &dom.blocks[i];
            let tag = dom.elements[b.element as usize].tag;
            let item = matches!(tag, Tag::Li | Tag::Td | Tag::Th | Tag::Dt | Tag::Dd);
            if i < first && !tag.is_heading() && !item && b.chars < 30 {
                *fate = Fate::BeforeArticle;
            } else if i > last && tag != Tag::Li {
                *fate = Fate::AfterArticle;
            }
        }
    }
    drop_orphan_headings(dom, &mut fates);
    drop_isolated_lines(dom, &mut fates);
    if !fates.contains(&Fate::Kept) {
        // Nothing left: the article sat in an element that looked like a
        // page part. Its paragraphs are better than an empty page.
        for (i, fate) in fates.iter_mut().enumerate() {
            let b = &dom.blocks[i];
            if is_prose(b) && !matches!(fate, Fate::Removed(Removal::Tag)) {
                *fate = Fate::Kept;
            }
        }
    }
    fates
}

/// A short line alone between blocks that went ("Share this article",
/// "Subscription offers") is page furniture: article text comes in runs.
fn drop_isolated_lines(dom: &Dom, fates: &mut [Fate]) {
    let n = fates.len();
    let alone: Vec<bool> = (0..n)
        .map(|i| {
            let b = &dom.blocks[i];
            let tag = dom.elements[b.element as usize].tag;
            fates[i] == Fate::Kept
                && b.chars < 40
                && !tag.is_heading()
                && !matches!(tag, Tag::Li | Tag::Td | Tag::Th | Tag::Dt | Tag::Dd)
                && (i == 0 || fates[i - 1] != Fate::Kept)
                && (i + 1 == n || fates[i + 1] != Fate::Kept)
        })
        .collect();
    for (fate, alone) in fates.iter_mut().zip(alone) {
        if alone {
            *fate = Fate::Isolated;
        }
    }
}

/// A short line ending in a colon: it introduces what follows.
fn is_label(text: &str) -> bool {
    text.chars().count() < 40 && text.ends_with([':', '：'])
}

/// A short heading whose section (up to the next heading of the same or a
/// higher level) keeps nothing introduces nothing: "Related articles" over
/// a list that went, "Comments" over comments that went.
fn drop_orphan_headings(dom: &Dom, fates: &mut [Fate]) {
    let level = |i: usize| match dom.elements[dom.blocks[i].element as usize].tag {
        Tag::H(n) => Some(n),
        _ => None,
    };
    for i in 0..fates.len() {
        if fates[i] == Fate::Kept && level(i).is_none() && is_label(dom.block_text(&dom.blocks[i]))
        {
            // "Contact:", "Read more:" over what went.
            if fates.get(i + 1) != Some(&Fate::Kept) {
                fates[i] = Fate::OrphanHeading;
            }
            continue;
        }
        let Some(n) = level(i) else { continue };
        // A heading as long as a sentence is a lead, not a section title.
        if fates[i] != Fate::Kept || is_prose(&dom.blocks[i]) {
            continue;
        }
        let mut has_content = false;
        for (j, fate) in fates.iter().enumerate().skip(i + 1) {
            match level(j) {
                Some(m) if m <= n => break,
                Some(_) => {}
                None if *fate == Fate::Kept => {
                    has_content = true;
                    break;
                }
                None => {}
            }
        }
        if !has_content {
            fates[i] = Fate::OrphanHeading;
        }
    }
}

/// The kept blocks, in page order.
pub fn article_blocks(dom: &Dom) -> impl Iterator<Item = &Block> {
    dom.blocks
        .iter()
        .zip(block_fates(dom))
        .filter(|(_, f)| *f == Fate::Kept)
        .map(|(b, _)| b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::parse;

    fn kept(html: &str) -> Vec<String> {
        let dom = parse(html);
        article_blocks(&dom)
            .map(|b| dom.block_text(b).to_string())
            .collect()
    }

    const ARTICLE: &str = "Der Stadtrat hat am Dienstag beschlossen, die Brücke über den Fluss bis zum Sommer zu sanieren.";

    #[test]
    fn the_article_stays_and_the_page_around_it_goes() {
        let html = format!(
            "<html><body>\
             <header><a href=/>Site</a><nav><ul><li><a href=/a>Politik</a><li><a href=/b>Sport</a></ul></nav></header>\
             <div class='breadcrumbs'><a href=/>Home</a> › News</div>\
             <article class='post tag-stadt category-news'>\
               <p class='post-date'>12.03.2024</p>\
               <h1>Die Brücke wird saniert</h1>\
               <p>{ARTICLE}</p>\
               <figure><img src=x><figcaption>Foto: Archiv</figcaption></figure>\
               <p>Die Arbeiten kosten nach Angaben der Stadt rund zwei Millionen Euro, sagte der Bürgermeister.</p>\
               <ul><li>Beginn: April</li><li>Ende: August</li></ul>\
               <div class='sharebuttons'><a href=#>Teilen</a> <a href=#>Twittern</a></div>\
               <p>Schlagworte: Stadt</p>\
             </article>\
             <section><h2>Mehr zum Thema</h2><ul><li><a href=/c>Neue Schule eröffnet heute in der Altstadt</a>\
               <li><a href=/d>Der Marktplatz bekommt neue Bäume und Bänke</a></ul></section>\
             <div id=comments><p>Ein Leser schreibt: Das hat viel zu lange gedauert, wirklich.</p></div>\
             <footer><p>© 2024 Stadtzeitung</p></footer>\
             </body></html>"
        );
        assert_eq!(
            kept(&html),
            [
                "Die Brücke wird saniert",
                ARTICLE,
                "Die Arbeiten kosten nach Angaben der Stadt rund zwei Millionen Euro, sagte der Bürgermeister.",
                "Beginn: April",
                "Ende: August",
            ]
        );
    }

    #[test]
    fn a_wrapper_of_the_whole_article_is_never_removed() {
        let html = format!(
            "<body><form id=aspnetForm><div class='content has-sidebar'><p>{ARTICLE}</p>\
             <p>{ARTICLE}</p></div><div class=sidebar><p>Werbung für ein Produkt, das niemand braucht, heute.</p></div></form>\
             <div class=hidden><p>{ARTICLE}</p></div></body>"
        );
        assert_eq!(kept(&html), [ARTICLE, ARTICLE]);
    }

    #[test]
    fn headings_and_labels_over_nothing_go() {
        let html = format!(
            "<body><h1>Die Brücke wird saniert</h1><h2>Der Plan der Stadt</h2><p>{ARTICLE}</p>\
             <p>Kontakt:</p><div class=social><p>Facebook Twitter</p></div>\
             <p>{ARTICLE}</p><h2>Kommentare</h2><div class=comments><p>{ARTICLE}</p></div></body>"
        );
        assert_eq!(
            kept(&html),
            [
                "Die Brücke wird saniert",
                "Der Plan der Stadt",
                ARTICLE,
                ARTICLE
            ]
        );
    }

    #[test]
    fn a_short_line_alone_between_removed_blocks_goes() {
        let html = format!(
            "<body><p>{ARTICLE}</p><p>{ARTICLE}</p><div class=share><a href=#>Facebook</a></div>\
             <p>Diesen Artikel teilen</p><div class=related><a href=/x>Anderes</a></div>\
             <p>{ARTICLE}</p><p>Kurz und gut.</p></body>"
        );
        assert_eq!(kept(&html), [ARTICLE, ARTICLE, ARTICLE]);
    }

    #[test]
    fn an_article_in_a_misleading_element_is_kept_rather_than_nothing() {
        let html = format!(
            "<body><div class='sidebar-layout'><p>{ARTICLE}</p><p>{ARTICLE}</p></div>\
             <nav><p>Ein Menü, das wie ein Satz aussieht und lang genug dafür ist.</p></nav>\
             <div class=menu><a href=/>Start</a></div></body>"
        );
        // The wrapper holds most of the prose, so it stays anyway; hidden
        // too, it would be the only prose left, and is kept.
        assert_eq!(kept(&html), [ARTICLE, ARTICLE]);
        let hidden = format!(
            "<body><div style='display:none'><p>{ARTICLE}</p></div>\
             <div class=sidebar><p>{ARTICLE}</p></div><nav><p>{ARTICLE}</p></nav></body>"
        );
        assert_eq!(kept(&hidden), [ARTICLE, ARTICLE]);
    }

    #[test]
    fn class_names_are_read_as_names() {
        assert!(is_boilerplate_name("site-footer"));
        assert!(is_boilerplate_name("widget-area"));
        assert!(is_boilerplate_name("relatedposts"));
        assert!(is_boilerplate_name("sr-only"));
        assert!(!is_boilerplate_name("tag-politics"));
        assert!(!is_boilerplate_name("elementor-widget-wrap"));
        assert!(!is_boilerplate_name("frame-background-none"));
        assert!(!is_boilerplate_name("field--label-hidden"));
        assert!(!is_boilerplate_name("entry-content"));
    }

    #[test]
    fn any_script_counts_as_prose() {
        let zh = "北京市政府周二宣布，将在今年夏天之前完成对城市中心主要桥梁的全面维修工作，预计耗资两百万元。";
        let html =
            format!("<body><div class=menu><a href=/>首页</a></div><p>{zh}</p><p>分享</p></body>");
        assert_eq!(kept(&html), [zh]);
    }
}
