//! The browser's plumbing (JavaScript on): page changes without a full reload.
//!
//! Pages are rendered on the server and only their islands hydrate, so there is no client-side
//! router. Instead, a same-origin link, a `<form data-swap>` and the back and forward buttons
//! fetch the next page's HTML and put its `<body>` and title in place of the current ones; the
//! islands in the new body are then hydrated. The wasm module, the stylesheet and the page's
//! state outside the body (`window`) stay as they are. Back and forward open a page where it
//! was left: each history entry carries a key in `history.state`, and where each entry was
//! last scrolled to is kept here (the browser's own restoring happens before the page is in
//! place, so it cannot).
//!
//! The browser keeps everything else, exactly as with JavaScript off: a click with a modifier
//! key, a link with `target`, `download` or `rel="external"`, a link within the same page, a
//! form without `data-swap` (uploads, downloads, sign-in). So does a response that is not HTML
//! or whose body loads a script of its own (the editor's checker): the page is then loaded in
//! full. If the request fails, the link or the form is followed by the browser.
use leptos::ev;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlAnchorElement, HtmlElement, HtmlFormElement, Url};

thread_local! {
    /// Bumped by every page change: a response that arrives after a newer change is dropped.
    static CHANGE: Cell<u64> = const { Cell::new(0) };
    /// The page shown, without its `#fragment`: going back to a fragment of it is not a change.
    static SHOWN: RefCell<String> = const { RefCell::new(String::new()) };
    /// The reactive owner of the islands shown: the root (`hydrate_islands`) for the first
    /// page's, then one of its children per page put in place. Cleaned up when its page is
    /// left, so the islands' timers and effects stop with it.
    static ISLANDS: RefCell<(Option<Owner>, Option<Owner>)> = const { RefCell::new((None, None)) };
    /// The key of the history entry shown (kept in its `history.state`); `None` while back or
    /// forward is bringing another page.
    static ENTRY: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Where each entry shown in this document was last scrolled to (the newest last), so that
    /// back and forward open a page where the reader left it.
    static SCROLLED: RefCell<Vec<(String, f64)>> = const { RefCell::new(Vec::new()) };
    /// Entries keyed in this document (part of each key).
    static KEYED: Cell<u32> = const { Cell::new(0) };
}

/// The entries whose scroll positions are kept.
const SCROLLED_KEPT: usize = 100;

/// Listens for links, `data-swap` forms and history moves, for the life of the page. Called
/// inside the root owner, which the first page's islands hydrate under.
pub fn start() {
    ISLANDS.with(|i| i.borrow_mut().0 = Owner::current());
    SHOWN.with(|s| *s.borrow_mut() = without_fragment(&location_href()));
    // The first page's entry gets a key of its own (a reload keeps the one it had).
    let key = entry_key().unwrap_or_else(|| {
        let key = new_key();
        if let Ok(history) = window().history() {
            let _ = history.replace_state(&state_of(&key), "");
        }
        key
    });
    ENTRY.with(|e| *e.borrow_mut() = Some(key));
    let _ = window_event_listener(ev::scroll, |_| note_scroll());
    let _ = window_event_listener(ev::click, on_click);
    let _ = window_event_listener(ev::submit, on_submit);
    let _ = window_event_listener(ev::popstate, |_| {
        let href = location_href();
        if SHOWN.with(|s| *s.borrow() == without_fragment(&href)) {
            return;
        }
        // The browser has moved to the entry already: from here until the page is in place,
        // the scroll is not the page left's.
        ENTRY.with(|e| *e.borrow_mut() = None);
        let request = Change {
            url: href,
            post: None,
            history: History::AlreadyThere(entry_key()),
        };
        wasm_bindgen_futures::spawn_local(request.run());
    });
}

/// Keeps where the page shown is scrolled to, under its entry's key.
fn note_scroll() {
    let Some(key) = ENTRY.with(|e| e.borrow().clone()) else {
        return;
    };
    let y = window().scroll_y().unwrap_or_default();
    SCROLLED.with(|s| {
        let mut s = s.borrow_mut();
        s.retain(|(k, _)| *k != key);
        s.push((key, y));
        if s.len() > SCROLLED_KEPT {
            s.remove(0);
        }
    });
}

/// Where the entry `key` was last scrolled to in this document.
fn scrolled(key: &str) -> Option<f64> {
    SCROLLED.with(|s| s.borrow().iter().find(|(k, _)| k == key).map(|(_, y)| *y))
}

/// The current history entry's key, if it has one.
fn entry_key() -> Option<String> {
    let state = window().history().ok()?.state().ok()?;
    if !state.is_object() {
        return None;
    }
    web_sys::js_sys::Reflect::get(&state, &JsValue::from_str("taphuan"))
        .ok()?
        .as_string()
}

/// A key no other entry of this tab has: the moment, and the count of entries keyed in this
/// document.
fn new_key() -> String {
    let n = KEYED.with(|k| {
        k.set(k.get() + 1);
        k.get()
    });
    format!("{}-{n}", web_sys::js_sys::Date::now())
}

/// The `history.state` of the entry with `key`.
fn state_of(key: &str) -> JsValue {
    let state = web_sys::js_sys::Object::new();
    let _ = web_sys::js_sys::Reflect::set(&state, &JsValue::from_str("taphuan"), &JsValue::from_str(key));
    state.into()
}

/// Marks the page interactive (browser tests wait for it) once its islands are hydrated.
pub fn mark_hydrated() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

fn on_click(ev: web_sys::MouseEvent) {
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.ctrl_key() || ev.shift_key() || ev.alt_key() {
        return;
    }
    let Some(a) = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|el| el.closest("a[href]").ok().flatten())
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    else {
        return;
    };
    let rel = a.rel();
    if !a.target().is_empty() || a.has_attribute("download") || rel.split_whitespace().any(|r| r == "external") {
        return;
    }
    let href = a.href();
    let Ok(url) = Url::new(&href) else { return };
    let here = location_href();
    if url.origin() != window().location().origin().unwrap_or_default() {
        return;
    }
    // A link within the page (a footnote, the table of contents) only scrolls.
    if href.contains('#') && without_fragment(&href) == without_fragment(&here) {
        return;
    }
    ev.prevent_default();
    let request = Change {
        url: href,
        post: None,
        history: History::Push,
    };
    wasm_bindgen_futures::spawn_local(request.run());
}

fn on_submit(ev: web_sys::SubmitEvent) {
    let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
        return;
    };
    if ev.default_prevented() || !form.has_attribute("data-swap") {
        return;
    }
    let submitter = ev.submitter();
    // The button's `formaction` (the exam's "save for later"), else the form's.
    let action = submitter
        .as_ref()
        .and_then(|b| b.get_attribute("formaction"))
        .and_then(|a| Url::new_with_base(&a, &location_href()).ok())
        .map(|u| u.href())
        .unwrap_or_else(|| form.action());
    let Ok(data) = web_sys::FormData::new_with_form(&form) else {
        return;
    };
    // The button that submitted is one of the fields when it has a name, as in the browser's
    // own submission.
    if let Some(name) = submitter.as_ref().and_then(|b| b.get_attribute("name")) {
        let value = submitter
            .as_ref()
            .and_then(|b| b.get_attribute("value"))
            .unwrap_or_default();
        let _ = data.append_with_str(&name, &value);
    }
    let Ok(fields) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
        return;
    };
    ev.prevent_default();
    let change = if form.method().eq_ignore_ascii_case("post") {
        Change {
            url: action,
            post: Some((fields, form, submitter)),
            history: History::Push,
        }
    } else {
        let Ok(url) = Url::new(&action) else { return };
        url.set_search(&String::from(fields.to_string()));
        Change {
            url: url.href(),
            post: None,
            history: History::Push,
        }
    };
    wasm_bindgen_futures::spawn_local(change.run());
}

enum History {
    /// A link or a form: the page it leads to becomes a new entry.
    Push,
    /// Back or forward: the browser has already moved, to the entry with this key.
    AlreadyThere(Option<String>),
}

struct Change {
    url: String,
    /// The fields, and the form and button to hand back to the browser if the request fails.
    post: Option<(web_sys::UrlSearchParams, HtmlFormElement, Option<HtmlElement>)>,
    history: History,
}

impl Change {
    async fn run(self) {
        let change = CHANGE.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        let fetched = self.fetch().await;
        if CHANGE.with(|c| c.get()) != change {
            return;
        }
        let Some((final_url, html)) = fetched else {
            self.give_back();
            return;
        };
        // The `#fragment` is not sent: it stays with the page reached, as in the browser (a
        // knowledge check's answer, shown under its question).
        let final_url = match self.url.split_once('#') {
            Some((_, fragment)) if !final_url.contains('#') => format!("{final_url}#{fragment}"),
            _ => final_url,
        };
        let Some(html) = html else {
            // Not HTML (a file): the browser takes it from here.
            let _ = window().location().assign(&final_url);
            return;
        };
        // Where the page left was read, kept for coming back to it.
        note_scroll();
        if !swap(&html) {
            let _ = window().location().assign(&final_url);
            return;
        }
        // A new entry for a new page; the same entry when the page is the one shown (a link to
        // itself) or when a page gone back to now redirects elsewhere.
        let push = matches!(self.history, History::Push) && final_url != location_href();
        let (key, back_to) = match self.history {
            History::Push if push => (new_key(), None),
            History::Push => (ENTRY.with(|e| e.borrow().clone()).unwrap_or_else(new_key), None),
            History::AlreadyThere(key) => {
                let y = key.as_deref().and_then(scrolled);
                (key.unwrap_or_else(new_key), y)
            }
        };
        if let Ok(history) = window().history() {
            let state = state_of(&key);
            let _ = if push {
                history.push_state_with_url(&state, "", Some(&final_url))
            } else {
                history.replace_state_with_url(&state, "", Some(&final_url))
            };
        }
        ENTRY.with(|e| *e.borrow_mut() = Some(key));
        SHOWN.with(|s| *s.borrow_mut() = without_fragment(&final_url));
        show(&final_url, back_to);
        hydrate_islands();
        mark_hydrated();
    }

    /// The final address (after redirects) and the page's HTML, `None` inside if it is not
    /// HTML; `None` if the request failed.
    async fn fetch(&self) -> Option<(String, Option<String>)> {
        let fields = self.post.as_ref().map(|(f, _, _)| f);
        let response = request(&self.url, fields, &[("accept", "text/html")]).await?;
        let final_url = response.url();
        let html = response
            .headers()
            .get("content-type")
            .ok()
            .flatten()
            .is_some_and(|t| t.starts_with("text/html"));
        if !html {
            // Not read here: the browser asks for it again. Left unread, the body would hold
            // the connection.
            if let Some(body) = response.body() {
                let _ = body.cancel();
            }
            return Some((final_url, None));
        }
        let text = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
        Some((final_url, Some(text)))
    }

    /// The request failed: the browser follows the link or submits the form itself.
    fn give_back(self) {
        match self.post {
            Some((_, form, submitter)) => {
                let _ = form.remove_attribute("data-swap");
                let _ = form.request_submit_with_submitter(submitter.as_ref());
            }
            None => {
                let _ = window().location().assign(&self.url);
            }
        }
    }
}

/// A request from the page: a GET of `url`, or with `fields` a form's URL-encoded POST, with
/// `headers`. The response, whatever its status; None if there was none (offline, refused).
pub async fn request(
    url: &str,
    fields: Option<&web_sys::UrlSearchParams>,
    headers: &[(&str, &str)],
) -> Option<web_sys::Response> {
    let init = web_sys::RequestInit::new();
    let h = web_sys::Headers::new().ok()?;
    for (name, value) in headers {
        h.set(name, value).ok()?;
    }
    if let Some(fields) = fields {
        init.set_method("POST");
        h.set("content-type", "application/x-www-form-urlencoded").ok()?;
        init.set_body(fields);
    }
    init.set_headers(&h);
    JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// Puts the new page's body, title and language in place; false (nothing changed) if its body
/// loads a script of its own (`<script src>`), which only a full load runs. Leptos' inline
/// scripts for streamed resources are left out: an islands page streams none to the browser.
fn swap(html: &str) -> bool {
    let Some(new) = web_sys::DomParser::new()
        .ok()
        .and_then(|p| p.parse_from_string(html, web_sys::SupportedType::TextHtml).ok())
    else {
        return false;
    };
    let (Some(body), Some(old)) = (new.body(), document().body()) else {
        return false;
    };
    if body.query_selector("script[src]").ok().flatten().is_some() {
        return false;
    }
    let Ok(body) = document().adopt_node(&body) else {
        return false;
    };
    if old.replace_with_with_node_1(&body).is_err() {
        return false;
    }
    document().set_title(&new.title());
    if let (Some(root), Some(lang)) = (
        document().document_element(),
        new.document_element().and_then(|r| r.get_attribute("lang")),
    ) {
        let _ = root.set_attribute("lang", &lang);
    }
    true
}

/// Opens the new page where it was left (`back_to`, for back and forward), else at the element
/// its `#fragment` names, else at its top; except at a fragment, focus goes to its content (the
/// skip link's target), so that a screen reader reads the new page.
fn show(url: &str, back_to: Option<f64>) {
    let target = Url::new(url)
        .ok()
        .map(|u| u.hash())
        .filter(|h| h.len() > 1 && back_to.is_none())
        .and_then(|h| document().get_element_by_id(&h[1..]));
    match target {
        Some(el) => el.scroll_into_view(),
        None => {
            if let Some(main) = document()
                .get_element_by_id("main")
                .and_then(|m| m.dyn_into::<HtmlElement>().ok())
            {
                let _ = main.focus();
            }
            window().scroll_to_with_x_and_y(0.0, back_to.unwrap_or(0.0));
        }
    }
}

/// Stops the islands of the page left (their owner is cleaned up) and hydrates the new body's
/// under an owner of their own.
fn hydrate_islands() {
    let page = ISLANDS.with(|i| {
        let (root, shown) = &mut *i.borrow_mut();
        match shown.take() {
            Some(left) => left.cleanup(),
            None => {
                if let Some(root) = root {
                    root.cleanup();
                }
            }
        }
        *shown = root.as_ref().map(Owner::child);
        shown.clone()
    });
    match page {
        Some(page) => page.with(hydrate_each_island),
        None => hydrate_each_island(),
    }
}

/// Hydrates the body's islands through the function Leptos' island script left on `window`
/// (the same one that hydrated the first page's). An island inside another is the outer
/// island's to hydrate.
fn hydrate_each_island() {
    let Ok(hydrate) = web_sys::js_sys::Reflect::get(&window(), &JsValue::from_str("__hydrateIsland"))
        .and_then(|f| f.dyn_into::<web_sys::js_sys::Function>())
    else {
        return;
    };
    let Ok(islands) = document().query_selector_all("leptos-island") else {
        return;
    };
    for i in 0..islands.length() {
        let Some(el) = islands.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let nested = el
            .parent_element()
            .and_then(|p| p.closest("leptos-island").ok().flatten())
            .is_some();
        if nested {
            continue;
        }
        let id = el.get_attribute("data-component").unwrap_or_default();
        let _ = hydrate.call2(&JsValue::NULL, &el, &JsValue::from_str(&id));
    }
}

fn location_href() -> String {
    window().location().href().unwrap_or_default()
}

fn without_fragment(href: &str) -> String {
    href.split('#').next().unwrap_or_default().to_string()
}
