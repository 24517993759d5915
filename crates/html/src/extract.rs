//! Main content: which blocks of a page are its article.
//!
//! Three steps over the [`Dom`]:
//! 1. **Boilerplate subtrees go**: hidden elements; navigation, footers,
//!    asides, menus, dialogs, buttons; elements whose class, id or role
//!    names a page part that is never the article (`nav`, `sidebar`,
//!    `share`, `comments`, `cookie`, `related`, `breadcrumb`, `byline`…).
//!    Markup words are the web's, in English whatever the page's language;
//!    no word of the text itself is looked at. An element holding most of
//!    the page's text is never removed this way (a `<form>` around an
//!    ASP.NET page, a `has-sidebar` wrapper).
//! 2. **The article's container** is found as Readability finds it: each
//!    paragraph scores by its length and commas (of any script), its parent
//!    and grandparent collect the scores, the markup words weigh in, link
//!    density weighs down; the best container and its siblings that score
//!    close to it hold the article.
//! 3. **Blocks** inside it are kept unless they are mostly link text.

use crate::dom::{Block, Dom, HIDDEN, Tag};

/// Class, id and role words of page parts that are never the article.
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
    "hidden",
    "sr",
    "none",
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
    "navigation",
    "contentinfo",
    "complementary",
];

/// Words of containers that hold articles.
const CONTENT_WORDS: &[&str] = &[
    "article",
    "articlebody",
    "content",
    "entry",
    "main",
    "maincontent",
    "post",
    "postbody",
    "story",
    "storybody",
    "text",
    "body",
    "blog",
    "hentry",
    "single",
    "prose",
    "richtext",
    "artikel",
    "inhalt",
    "beitrag",
    "news",
    "detail",
    "copy",
];

fn words_of(markup: &str) -> impl Iterator<Item = &str> {
    markup
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn has_word(markup: &str, list: &[&str]) -> bool {
    words_of(markup).any(|w| list.contains(&w))
}

/// Per element: characters of text and of link text inside it.
struct Mass {
    chars: Vec<u32>,
    link_chars: Vec<u32>,
}

fn mass(dom: &Dom) -> Mass {
    let n = dom.elements.len();
    let mut chars = vec![0u32; n];
    let mut link_chars = vec![0u32; n];
    for b in &dom.blocks {
        for e in dom.ancestors(b.element) {
            chars[e as usize] += b.chars;
            link_chars[e as usize] += b.link_chars;
        }
    }
    Mass { chars, link_chars }
}

/// Which elements are removed with their subtree, by step 1.
fn boilerplate(dom: &Dom, mass: &Mass) -> Vec<bool> {
    let n = dom.elements.len();
    let page_text = mass.chars[0].saturating_sub(mass.link_chars[0]).max(1);
    let mut removed = vec![false; n];
    for (i, e) in dom.elements.iter().enumerate().skip(1) {
        let parent_removed = removed[e.parent as usize];
        if parent_removed {
            removed[i] = true;
            continue;
        }
        if e.flags & HIDDEN != 0 {
            removed[i] = true;
            continue;
        }
        let by_tag = matches!(
            e.tag,
            Tag::Nav | Tag::Footer | Tag::Aside | Tag::Menu | Tag::Dialog | Tag::Button | Tag::Form
        );
        let by_words = has_word(dom.words(i as u32), BOILERPLATE_WORDS)
            && !matches!(e.tag, Tag::Body | Tag::Html | Tag::Article | Tag::Main);
        if by_tag || by_words {
            let own_text = mass.chars[i].saturating_sub(mass.link_chars[i]);
            // A wrapper of most of the page is not boilerplate.
            removed[i] = u64::from(own_text) * 2 < u64::from(page_text);
        }
    }
    removed
}

/// The elements whose blocks make the article: the best-scoring container
/// and its siblings that score close to it; the whole body when nothing
/// scores.
fn article_roots(dom: &Dom, mass: &Mass, removed: &[bool]) -> Vec<u32> {
    let n = dom.elements.len();
    let mut score = vec![0f32; n];
    let mut scored = vec![false; n];
    for b in &dom.blocks {
        if removed[b.element as usize] || b.chars < 25 {
            continue;
        }
        let text = dom.block_text(b);
        let commas = text
            .chars()
            .filter(|c| matches!(c, ',' | '،' | '、' | '，' | '﹐' | '︐'))
            .count() as f32;
        let points = 1.0 + commas + (b.chars as f32 / 100.0).min(3.0);
        let parent = dom.elements[b.element as usize].parent;
        let grandparent = dom.elements[parent as usize].parent;
        score[parent as usize] += points;
        scored[parent as usize] = true;
        if grandparent != 0 || parent != 0 {
            score[grandparent as usize] += points / 2.0;
            scored[grandparent as usize] = true;
        }
    }
    let mut best: Option<(u32, f32)> = None;
    let mut final_score = vec![0f32; n];
    for i in 1..n {
        if !scored[i] || removed[i] {
            continue;
        }
        let e = &dom.elements[i];
        let mut s = score[i]
            + match e.tag {
                Tag::Div | Tag::Article | Tag::Main | Tag::Section => 5.0,
                Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
                Tag::Address
                | Tag::Ol
                | Tag::Ul
                | Tag::Dl
                | Tag::Dd
                | Tag::Dt
                | Tag::Li
                | Tag::Form => -3.0,
                Tag::H(_) | Tag::Th => -5.0,
                _ => 0.0,
            };
        let words = dom.words(i as u32);
        if has_word(words, CONTENT_WORDS) {
            s += 25.0;
        }
        let density = mass.link_chars[i] as f32 / mass.chars[i].max(1) as f32;
        s *= 1.0 - density;
        final_score[i] = s;
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i as u32, s));
        }
    }
    let Some((top, top_score)) = best else {
        return vec![0];
    };
    // Siblings of the top candidate that score close to it, or hold
    // paragraphs of their own, belong to the article too.
    let parent = dom.elements[top as usize].parent;
    let threshold = (top_score * 0.2).max(10.0);
    let mut roots = Vec::new();
    for i in 1..n {
        let e = &dom.elements[i];
        if e.parent != parent || removed[i] {
            continue;
        }
        let i32_ = i as u32;
        if i32_ == top {
            roots.push(i32_);
            continue;
        }
        let density = mass.link_chars[i] as f32 / mass.chars[i].max(1) as f32;
        let long_paragraph = e.tag == Tag::P && mass.chars[i] > 80 && density < 0.25;
        if final_score[i] >= threshold || long_paragraph {
            roots.push(i32_);
        }
    }
    roots
}

/// The kept blocks, in page order.
pub fn article_blocks(dom: &Dom) -> Vec<&Block> {
    let mass = mass(dom);
    let removed = boilerplate(dom, &mass);
    let roots = article_roots(dom, &mass, &removed);
    let n = dom.elements.len();
    let mut in_article = vec![false; n];
    for &r in &roots {
        in_article[r as usize] = true;
    }
    // Elements are numbered in document order, parents first.
    for i in 1..n {
        let p = dom.elements[i].parent as usize;
        if in_article[p] {
            in_article[i] = true;
        }
    }
    dom.blocks
        .iter()
        .filter(|b| {
            let e = b.element as usize;
            in_article[e] && !removed[e] && b.link_chars * 2 <= b.chars
        })
        .collect()
}
