//! `tapis explain FILE`: every line of a page with its line-cleaning
//! decision, the reason and the signals behind it.

use std::io::{IsTerminal, Write};

use serde_json::{Value, json};
use tapis_io::Item;
use tapis_lines::{
    FEATURES, LineCleaner, LineDecision, PageReport, PageText, SiteContext, SiteLines,
};

use crate::Failure;
use crate::flags::{ColorArg, ExplainArgs};

/// The rule id of line cleaning, the first half of its reason codes.
const RULE: &str = tapis_rules::rules::boilerplate_lines::INFO.id;

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

pub fn run(args: ExplainArgs) -> Result<u8, Failure> {
    let cleaner = LineCleaner::new();
    let mut policy = cleaner.default_policy();
    if let Some(t) = args.threshold {
        policy.threshold = t;
    }
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && !args.json,
    };
    let site_lines = match &args.site_lines {
        Some(dir) => Some(SiteLines::load(dir).map_err(Failure::usage)?),
        None => None,
    };
    let options = args.fields.read_options();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let mut errors = 0u64;
    for item in tapis_io::read_inputs(&args.inputs, &options).map(tapis_html::resolve) {
        let doc = match item {
            Item::Doc(d) => d,
            Item::Page(_) | Item::Skipped(_) => continue,
            Item::Error(e) => {
                errors += 1;
                eprintln!("tapis explain: {e}");
                continue;
            }
        };
        let language = doc
            .metadata
            .get(&args.language_field)
            .and_then(|v| v.as_str())
            .or(args.language.as_deref());
        let url = doc.metadata.get(&args.url_field).and_then(|v| v.as_str());
        let site = url.and_then(tapis_lines::site_lines::site_of_url);
        let context = match (&site_lines, &site) {
            (Some(lines), Some(site)) => Some(SiteContext::new(lines, site)),
            _ => None,
        };
        // As `tapis clean` judges it: extracted main content by the
        // thresholds lowered for it.
        let policy = if doc.extracted {
            policy.for_extracted_text(tapis_lines::EXTRACTED_CONTENT_ODDS)
        } else {
            policy
        };
        let page = cleaner.clean_page(
            PageText {
                text: &doc.text,
                language,
                url,
            },
            &policy,
            context,
        );
        let judged = Judged {
            threshold: page.threshold,
            extracted: doc.extracted,
        };
        if args.json {
            writeln!(
                out,
                "{}",
                page_json(&doc.id, &doc.text, &page, judged, args.features)
            )?;
        } else {
            write_page(
                &mut out, &doc.id, &doc.text, &page, judged, color, args.full,
            )?;
        }
    }
    out.flush()?;
    Ok(if errors > 0 {
        crate::EXIT_RECORD_ERRORS
    } else {
        0
    })
}

/// The threshold a page was judged by, and whether its text is extracted
/// main content (which lowers it).
#[derive(Clone, Copy)]
struct Judged {
    threshold: f64,
    extracted: bool,
}

fn page_json(id: &str, text: &str, page: &PageReport, judged: Judged, features: bool) -> Value {
    let lines: Vec<Value> = page
        .lines
        .iter()
        .map(|l| {
            let (decision, reason) = match l.decision {
                LineDecision::Keep => ("keep", Value::Null),
                LineDecision::Remove(r) => ("remove", json!(format!("{RULE}/{}", r.check()))),
            };
            let mut v = json!({
                "line": l.line.number,
                "start": l.line.start,
                "end": l.line.end,
                "text": &text[l.line.start..l.line.end],
                "decision": decision,
                "reason": reason,
                "score": l.scored.score,
                "line_score": l.scored.line_score,
                "signals": l.line.signals,
            });
            if let Some((s, e)) = l.trailing_cut {
                v["cut"] = json!({
                    "start": s, "end": e,
                    "reason": format!("{RULE}/{}", tapis_lines::TRAILING_LINK_TEXT),
                });
            }
            if let Some(site) = l.site {
                v["site"] = json!(site);
            }
            if features {
                v["features"] = json!(l.line.signals.features().to_vec());
            }
            v
        })
        .collect();
    let mut record = json!({
        "id": id,
        "language": page.language,
        "extracted": judged.extracted,
        "threshold": judged.threshold,
        "lines": lines,
    });
    if page.lines.iter().any(|l| l.site.is_some()) {
        record["site_copy"] = json!(page.site_copy);
    }
    if features {
        record["feature_names"] = json!(FEATURES.as_slice());
    }
    record
}

fn write_page(
    out: &mut impl Write,
    id: &str,
    text: &str,
    page: &PageReport,
    judged: Judged,
    color: bool,
    full: bool,
) -> std::io::Result<()> {
    let paint = |c: &'static str| if color { c } else { "" };
    let kept = page
        .lines
        .iter()
        .filter(|l| l.decision == LineDecision::Keep)
        .count();
    writeln!(
        out,
        "{}# {id}{}: language {}, {kept} of {} lines kept at threshold {:.2}{}",
        paint(DIM),
        paint(RESET),
        page.language.unwrap_or("unknown"),
        page.lines.len(),
        judged.threshold,
        if judged.extracted {
            " (lowered for extracted main content)"
        } else {
            ""
        }
    )?;
    if page.site_copy {
        writeln!(
            out,
            "{}# frequent lines not used: they hold most of the kept text, the page copies another{}",
            paint(DIM),
            paint(RESET)
        )?;
    }
    let width = if full { usize::MAX } else { 100 };
    for l in &page.lines {
        let s = &l.line.signals;
        let line_text = &text[l.line.start..l.line.end];
        let (mark, c, why) = match l.decision {
            LineDecision::Keep => ("keep  ", GREEN, String::new()),
            LineDecision::Remove(r) => ("REMOVE", RED, r.check().to_string()),
        };
        let shown = match (l.decision, l.trailing_cut) {
            (LineDecision::Keep, Some((cut, _))) => {
                let split = cut - l.line.start;
                format!(
                    "{}{}[{}]{}",
                    clip(&line_text[..split], width),
                    paint(YELLOW),
                    &line_text[split..],
                    paint(c)
                )
            }
            _ => clip(line_text, width),
        };
        writeln!(
            out,
            "{}{:>5} {mark} {:.2} {:<19}{} {}{}{}",
            paint(c),
            l.line.number,
            l.scored.score,
            why,
            paint(RESET),
            paint(c),
            shown,
            paint(RESET),
        )?;
        // The line's yes/no signals, by name, where they hold.
        let flags: String = [
            (s.end_punct, " end-punct"),
            (s.domain, " domain"),
            (s.lead_in, " lead-in"),
            (s.copyright, " copyright"),
            (s.breadcrumb, " breadcrumb"),
            (s.byline, " byline"),
            (s.related_heading, " related-heading"),
            (s.in_related_list, " related-list"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        writeln!(
            out,
            "{}      line {:.2} stop {:.2} other {:.2} words {} repeats {} prose {:.2} window {:.2} body-distance {}{}{}{}{}{}{}{}{}",
            paint(DIM),
            l.scored.line_score,
            s.stop_ratio,
            s.other_stop_ratio,
            s.words,
            s.repeats,
            s.prose,
            s.window_prose,
            s.body_distance,
            // Not judged (-2) on pages outside the wording model's languages.
            if s.ngram >= 0.0 {
                format!(" wording {:.2}", s.ngram)
            } else {
                String::new()
            },
            if s.shape_ngram >= 0.0 {
                format!(" shape {:.2}", s.shape_ngram)
            } else {
                String::new()
            },
            match s.url_headline_offset {
                Some(o) => format!(" from-url-headline {o}"),
                None => String::new(),
            },
            match (s.headline, s.lede_echo) {
                (true, Some(e)) => format!(" headline lede-echo {e:.2}"),
                (false, Some(e)) if e > 0.0 => format!(" lede-echo {e:.2}"),
                _ => String::new(),
            },
            flags,
            if s.phrase_share > 0.0 {
                format!(" phrases {:.2}", s.phrase_share)
            } else {
                String::new()
            },
            match l.site {
                Some(c) => format!(" site-pages {}/{}", c.documents, c.site_documents),
                None => String::new(),
            },
            paint(RESET),
        )?;
        if let (LineDecision::Keep, Some(_)) = (l.decision, l.trailing_cut) {
            writeln!(
                out,
                "{}      cut: {}{}",
                paint(YELLOW),
                tapis_lines::TRAILING_LINK_TEXT,
                paint(RESET)
            )?;
        }
    }
    Ok(())
}
