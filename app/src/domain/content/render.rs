//! Markdown → safe HTML, once at load time: pulldown-cmark (tables, footnotes, strikethrough,
//! task lists, heading attributes) then ammonia. On the way it collects what the checks need:
//! headings and their anchors, links and images (rewritten to served URLs), ` ```gift ` blocks
//! (replaced by knowledge-check placeholders), cited law numbers, and raw HTML worth a warning.
//!
//! URL rewriting (course `c`):
//!
//! ```text
//! 02-slug.md#a, ./02-slug.en.md  → /courses/c/lessons/2#a
//! course.md                      → /courses/c
//! exam.md                        → /courses/c/exam
//! images/so-do.png (relative)    → /content/c/images/so-do.png   (must exist)
//! #anchor, /abs, https://…       → unchanged (a same-page #anchor must exist)
//! ```

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use unicode_normalization::UnicodeNormalization;

use super::cite::{Citation, find_citations};
use super::model::Heading;
use super::text::sha256_hex;

/// Where a link or image in the text points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another lesson of this course, by number, with an optional anchor.
    Lesson {
        number: u32,
        file: String,
        anchor: Option<String>,
    },
    /// An anchor on the same page.
    Anchor(String),
    /// A file of the course folder (course-relative path); `None` if the path leaves the folder.
    Asset(Option<String>),
    /// A `.md` file that is not a lesson, `course.md` or `exam.md`.
    OtherMarkdown,
    /// `course.md`, `exam.md`, an absolute path or an external URL: nothing to check.
    Other,
}

/// One link or image found in the text.
#[derive(Debug, Clone)]
pub struct Ref {
    /// Byte offset in the file.
    pub offset: usize,
    /// The destination as written.
    pub dest: String,
    /// An image (`![…](…)`) rather than a link.
    pub image: bool,
    /// What it points to.
    pub target: Target,
}

/// A ` ```gift ` block's text.
#[derive(Debug, Clone)]
pub struct GiftBlock {
    /// The GIFT source.
    pub src: String,
    /// Byte offset in the file where `src` starts.
    pub offset: usize,
}

/// Everything [`render`] produces.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Headings with ids (written or generated, unique in the page).
    pub toc: Vec<Heading>,
    /// Links and images.
    pub refs: Vec<Ref>,
    /// Quiz blocks in order.
    pub blocks: Vec<GiftBlock>,
    /// Cited law numbers, with their file byte offset.
    pub citations: Vec<(usize, Citation)>,
    /// Raw HTML that the sanitiser removes: (file byte offset, what was found).
    pub unsafe_html: Vec<(usize, &'static str)>,
    /// Footnote labels (each is also an anchor on the page).
    pub footnotes: Vec<String>,
}

/// Renders one Markdown body. `body_offset` is where the body starts in its file (for
/// positions). `place_block` parses each gift block and returns how many questions it holds, so
/// that each gets its placeholder `<div class="kc" data-check="N"></div>` (N counts across blocks).
pub fn render(
    body: &str,
    body_offset: usize,
    course_id: &str,
    place_block: &mut dyn FnMut(&GiftBlock) -> usize,
) -> Rendered {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, opts).into_offset_iter().collect();
    // Placeholders are written as a marker no author can predict (it depends on the body's own
    // hash), sanitised like the rest, and swapped for the real element afterwards.
    let nonce = &sha256_hex(body.as_bytes())[..16];
    let marker = |n: usize| format!("taphuan-kc-{nonce}-{n}");

    let mut out = Rendered::default();
    let mut html_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut checks = 0usize;
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        let at = body_offset + range.start;
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("gift") =>
            {
                let mut src = String::new();
                let mut offset = None;
                i += 1;
                while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[i].0 {
                        offset.get_or_insert(body_offset + events[i].1.start);
                        src.push_str(t);
                    }
                    i += 1;
                }
                let block = GiftBlock {
                    src,
                    offset: offset.unwrap_or(at),
                };
                for _ in 0..place_block(&block) {
                    html_events.push(Event::Html(format!("\n<div>{}</div>\n", marker(checks)).into()));
                    checks += 1;
                }
                out.blocks.push(block);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                // Code is shown as written: no citations, no HTML warnings inside.
                while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::CodeBlock)) {
                    html_events.push(events[i].0.clone());
                    i += 1;
                }
                continue;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // Look ahead for the text (for the generated id); the inner events are then
                // handled by this loop like any other (links rewritten, citations found).
                let mut text = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let id = unique_id(
                    &mut used_ids,
                    id.as_deref().map_or_else(|| slugify(&text), str::to_owned),
                );
                out.toc.push(Heading {
                    level: *level as u8,
                    id: id.clone(),
                    text: text.trim().to_owned(),
                });
                html_events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(id.into()),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = rewrite(&mut out, dest_url, at, false, course_id);
                html_events.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: url,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = rewrite(&mut out, dest_url, at, true, course_id);
                html_events.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: url,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.footnotes.push(label.to_string());
                html_events.push(event.clone());
            }
            Event::Text(t) => {
                scan_citations(&mut out, t, at, range.len());
                html_events.push(event.clone());
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(what) = unsafe_html(h) {
                    out.unsafe_html.push((at, what));
                }
                html_events.push(event.clone());
            }
            _ => html_events.push(event.clone()),
        }
        i += 1;
    }
    let mut raw = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut raw, html_events.into_iter());
    let mut html = sanitizer().clean(&raw).to_string();
    for n in 0..checks {
        html = html.replacen(
            &format!("<div>{}</div>", marker(n)),
            &format!("<div class=\"kc\" data-check=\"{n}\"></div>"),
            1,
        );
    }
    out.html = html;
    out
}

fn scan_citations(out: &mut Rendered, text: &str, at: usize, source_len: usize) {
    // When the text is the source verbatim, positions are exact; otherwise (entities, escapes)
    // the citation is reported at the start of the text run.
    let exact = text.len() == source_len;
    for c in find_citations(text) {
        out.citations.push((if exact { at + c.start } else { at }, c));
    }
}

fn unique_id(used: &mut HashSet<String>, base: String) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// A heading anchor from its text, Vietnamese-aware: diacritics stripped, `đ` → `d`, lower
/// case, anything else → `-` (`Điều 5. Xử lý vi phạm` → `dieu-5-xu-ly-vi-pham`).
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            '\u{0300}'..='\u{036F}' => continue,
            c => c,
        };
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() { "muc".to_owned() } else { slug }
}

/// `NN-slug.md` / `NN-slug.en.md` → (number, slug).
pub fn lesson_file_name(name: &str) -> Option<(u32, &str)> {
    let stem = name.strip_suffix(".md")?;
    let stem = stem.strip_suffix(".en").unwrap_or(stem);
    let (nn, slug) = stem.split_once('-')?;
    let valid = nn.len() == 2 && nn.bytes().all(|b| b.is_ascii_digit()) && super::model::is_slug(slug);
    valid.then(|| (nn.parse().unwrap_or(0), slug))
}

fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !s.contains('/')
    })
}

fn rewrite<'a>(out: &mut Rendered, dest: &CowStr<'a>, at: usize, image: bool, course_id: &str) -> CowStr<'a> {
    let (target, url) = classify(dest, course_id);
    if dest.trim_start().to_ascii_lowercase().starts_with("javascript:") {
        out.unsafe_html.push((at, "a `javascript:` link"));
    }
    out.refs.push(Ref {
        offset: at,
        dest: dest.to_string(),
        image,
        target,
    });
    url.map_or_else(|| dest.clone(), CowStr::from)
}

pub(crate) fn classify(dest: &str, course_id: &str) -> (Target, Option<String>) {
    if dest.is_empty() || has_scheme(dest) || dest.starts_with('/') {
        return (Target::Other, None);
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return (Target::Anchor(anchor.to_owned()), None);
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_owned())),
        None => (dest, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let hash = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
    let file = path.strip_prefix("./").unwrap_or(path);
    if let Some((number, _)) = lesson_file_name(file) {
        let url = format!("/courses/{course_id}/lessons/{number}{hash}");
        return (
            Target::Lesson {
                number,
                file: file.replace(".en.md", ".md"),
                anchor,
            },
            Some(url),
        );
    }
    match file {
        "course.md" | "course.en.md" => {
            return (Target::Other, Some(format!("/courses/{course_id}{hash}")));
        }
        "exam.md" | "exam.en.md" => {
            return (Target::Other, Some(format!("/courses/{course_id}/exam{hash}")));
        }
        _ if file.ends_with(".md") => return (Target::OtherMarkdown, None),
        _ => {}
    }
    match resolve(file) {
        Some(p) => {
            let url = format!("/content/{course_id}/{p}{hash}");
            (Target::Asset(Some(p)), Some(url))
        }
        None => (Target::Asset(None), None),
    }
}

/// Resolves `./` and `../` against the course folder; `None` if the path climbs out of it.
fn resolve(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// What the sanitiser will strip from a piece of raw HTML, if anything.
fn unsafe_html(h: &str) -> Option<&'static str> {
    let lower = h.to_ascii_lowercase();
    if lower.contains("<script") {
        return Some("raw HTML `<script>`");
    }
    if lower.contains("javascript:") {
        return Some("raw HTML with a `javascript:` URL");
    }
    let bytes = lower.as_bytes();
    let handler = lower.match_indices("on").any(|(i, _)| {
        let before_ok = i > 0
            && (bytes[i - 1].is_ascii_whitespace()
                || bytes[i - 1] == b'/'
                || bytes[i - 1] == b'"'
                || bytes[i - 1] == b'\'');
        let rest = &lower[i + 2..];
        let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        before_ok && name_len > 0 && rest[name_len..].trim_start().starts_with('=') && lower[..i].contains('<')
    });
    handler.then_some("raw HTML with an event handler (`on…=`)")
}

/// The sanitiser: Markdown's own output plus footnotes, task lists and heading anchors; no
/// scripts, no `on*` attributes, only http(s)/mailto/tel URLs.
fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .add_tag_attributes("div", ["id", "class"])
        .add_tag_attributes("sup", ["id", "class"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .attribute_filter(|_el, attr, value| match attr {
            "style" => {
                matches!(value, "text-align: left" | "text-align: center" | "text-align: right").then_some(value.into())
            }
            _ => Some(value.into()),
        });
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id", "class"]);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_vietnamese_aware() {
        assert_eq!(slugify("Điều 5. Xử lý vi phạm"), "dieu-5-xu-ly-vi-pham");
        assert_eq!(slugify("  Đặc điểm — “sàn TMĐT”  "), "dac-diem-san-tmdt");
        assert_eq!(slugify("???"), "muc");
    }

    #[test]
    fn lesson_file_names() {
        assert_eq!(lesson_file_name("02-nghi-dinh-85.md"), Some((2, "nghi-dinh-85")));
        assert_eq!(lesson_file_name("02-nghi-dinh-85.en.md"), Some((2, "nghi-dinh-85")));
        assert_eq!(lesson_file_name("2-x.md"), None);
        assert_eq!(lesson_file_name("02_x.md"), None);
        assert_eq!(lesson_file_name("02-Tổng.md"), None);
    }

    #[test]
    fn links_and_images_are_rewritten_to_served_urls() {
        let r = render(
            "[b](02-x.md#a) ![s](./images/s.png) [c](course.md) [w](https://x.vn)",
            0,
            "c1",
            &mut |_| 0,
        );
        assert!(r.html.contains("href=\"/courses/c1/lessons/2#a\""), "{}", r.html);
        assert!(r.html.contains("src=\"/content/c1/images/s.png\""), "{}", r.html);
        assert!(r.html.contains("href=\"/courses/c1\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://x.vn\""), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_ids_and_keep_written_ones() {
        let r = render("## Tổng quan\n\n## Tổng quan\n\n## Khác {#rieng}\n", 0, "c", &mut |_| 0);
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["tong-quan", "tong-quan-1", "rieng"]);
        assert!(r.html.contains("<h2 id=\"rieng\">Khác</h2>"), "{}", r.html);
    }

    #[test]
    fn footnotes_tables_and_task_lists_survive_sanitising() {
        let md = "Câu.[^s1]\n\n[^s1]: Nguồn: https://x.vn\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] xong\n- [ ] chưa\n\n~~cũ~~\n";
        let r = render(md, 0, "c", &mut |_| 0);
        for needle in [
            "class=\"footnote-reference\"",
            "class=\"footnote-definition\"",
            "<table>",
            "text-align: right",
            "type=\"checkbox\"",
            "<del>",
        ] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
    }

    #[test]
    fn gift_blocks_become_placeholders_and_forged_ones_do_not_survive() {
        let md = "Trước\n\n```gift\n::a:: x {T}\n::b:: y {F}\n```\n\n<div class=\"kc\" data-check=\"9\"></div>\n";
        let r = render(md, 0, "c", &mut |_| 2);
        assert_eq!(r.blocks.len(), 1);
        assert_eq!(r.blocks[0].src, "::a:: x {T}\n::b:: y {F}\n");
        assert!(
            r.html.contains("<div class=\"kc\" data-check=\"0\"></div>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<div class=\"kc\" data-check=\"1\"></div>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("data-check=\"9\""), "{}", r.html);
        assert!(!r.html.contains("::a::"), "{}", r.html);
    }
}
