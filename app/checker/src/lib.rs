//! The browser editor's checker: `app::api::editor::live_check` (the loader, checker and
//! renderer of `app::domain::content`, the same code as `taphuan content check`) exported on its
//! own, so that only the editor's page downloads it (`loader.js` puts it at
//! `window.taphuanCheck`). Compiled into the app's bundle it doubled what every learner's page
//! loads (683 KB → 1.46 MB gzip).

use wasm_bindgen::prelude::*;

/// Checks `course` with `text` as the file at `path`, beside `files` (JSON: `[[path, text], …]`,
/// every file of the course). Returns JSON: `[[DiagLine…], preview HTML or null]`.
#[wasm_bindgen]
pub fn check(files: &str, course: &str, path: &str, text: &str) -> String {
    let files: Vec<(String, String)> = serde_json::from_str(files).unwrap_or_default();
    let out = app::api::editor::live_check(&files, course, path, text);
    serde_json::to_string(&out).unwrap_or_default()
}
