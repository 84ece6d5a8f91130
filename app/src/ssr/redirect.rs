//! Where a redirect may send a person: only to a path of this site. Every `next=` / `back=`
//! parameter goes through [`local_path`] before it becomes a `Location` header.
//!
//! A string is judged the way a browser will read it — by the URL standard's parser, which
//! drops tabs and newlines anywhere, trims control characters and spaces, and treats `\` as `/`
//! — so `/\t/evil.example` (arriving as `/%09/evil.example`) and `/\evil.example` are read as
//! `//evil.example`, another site, and refused. What is accepted is re-serialised from the
//! parsed URL (path, query, fragment), so the `Location` sent is exactly what was checked.

/// The same-origin path, query and fragment `s` leads to, or `None` if a browser would leave
/// this site (or `s` is not a path at all).
pub fn local_path(s: &str) -> Option<String> {
    // Only something written as a path: `https://…`, `//…`, `javascript:` and bare words are out
    // before parsing (after the same cleaning the parser does, so a leading tab changes nothing).
    let cleaned: String = s
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if !cleaned.starts_with('/') {
        return None;
    }
    let base = url::Url::parse("http://taphuan.invalid/").expect("a valid base");
    let parsed = base.join(s).ok()?;
    if parsed.origin() != base.origin() {
        return None;
    }
    let mut out = parsed.path().to_string();
    // A path that still starts with `//` would be read as a host if sent back as is.
    if out.starts_with("//") {
        return None;
    }
    if let Some(q) = parsed.query() {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = parsed.fragment() {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        for ok in [
            "/coverage",
            "/people/3?as_of=2026-01-02",
            "/courses/a/lessons/2#kc-1",
            "/",
        ] {
            assert_eq!(local_path(ok).as_deref(), Some(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "\t//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "http:evil.example",
            "javascript:alert(1)",
            " //evil.example",
            "evil.example",
            "",
            "/%2F/evil.example/..",
        ] {
            let got = local_path(bad);
            assert!(
                got.as_deref()
                    .is_none_or(|p| !p.starts_with("//") && p.starts_with('/')),
                "{bad:?} -> {got:?}"
            );
            if bad.trim_start().starts_with("//") || bad.contains("\\") || bad.contains('\t') || bad.contains('\n') {
                assert_eq!(got, None, "{bad:?}");
            }
        }
        // Dot segments are resolved: what is sent is what was checked.
        assert_eq!(local_path("/a/../coverage").as_deref(), Some("/coverage"));
    }
}
