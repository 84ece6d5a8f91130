//! Escaping text for HTML and SVG written by hand (the burn-up chart, the code slips).

/// `&`, `<`, `>`, `"` and `'` as entities: safe in element text and quoted attributes.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
