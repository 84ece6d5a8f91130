//! Taphuan: training and certification for the officials who enforce Vietnam's e-commerce law.
//!
//! One crate built twice: with `ssr` for the server (pages, server functions, database) and with
//! `hydrate` for the browser (wasm). `domain` is pure and compiles in both; `ssr` is server-only
//! plumbing; `api` holds the server functions, the public API the pages call.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "hydrate")]
pub mod web;

/// Browser entry point: hydrate the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands: only the interactive parts (`#[island]`) hydrate; every other part of a page is
    // server-rendered HTML. `island_script.js` hydrates the islands after this returns: the
    // attribute browser tests wait for is set after them.
    leptos::mount::hydrate_islands();
    web::start();
    leptos::prelude::set_timeout(web::mark_hydrated, std::time::Duration::ZERO);
}
