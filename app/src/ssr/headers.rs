//! Security headers on every response, and the request-size rule for the API.
//!
//! | header | value | why |
//! |---|---|---|
//! | `Content-Security-Policy` | pages: scripts only from this site or with the page's nonce (set in `app::shell`); everything else: `default-src 'none'` + `sandbox` | an injected script cannot run; an uploaded SVG opened directly cannot either |
//! | `X-Frame-Options`, `frame-ancestors` | `DENY`, `'none'` | no clickjacking |
//! | `X-Content-Type-Options` | `nosniff` | a text file is never run as script |
//! | `Referrer-Policy` | `same-origin` | a verify link's token never leaks to another site |
//! | `Strict-Transport-Security` | production only, one year | HTTPS sticks |
//! | `Cache-Control` | `no-store` on signed-in pages and every API answer | a shared computer's back button or cache shows nobody's records |

use super::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest body a server function accepts; larger ones get 413 before anything reads them.
pub const MAX_API_BODY: u64 = 2 * 1024 * 1024;

/// The policy of a rendered page: scripts from this site or carrying the page's `nonce`, wasm
/// allowed to compile, styles from this site (and inline `style` attributes, used for bar widths),
/// images from this site and `data:` (the favicon), no plugins, no framing, forms only to here.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Everything that is not a page: nothing runs, nothing loads.
const OTHER_POLICY: &str =
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

/// Adds the headers above; refuses an over-sized API body with 413.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    if is_api
        && req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|n| n > MAX_API_BODY)
    {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Yêu cầu quá lớn (request too large).").into_response();
    }
    // Without a Content-Length (chunked), the body is read here under the same limit: a server
    // function reads its arguments whole anyway.
    let req = if is_api && req.method() == axum::http::Method::POST {
        let (parts, body) = req.into_parts();
        match axum::body::to_bytes(body, MAX_API_BODY as usize).await {
            Ok(bytes) => Request::from_parts(parts, axum::body::Body::from(bytes)),
            Err(_) => {
                return (StatusCode::PAYLOAD_TOO_LARGE, "Yêu cầu quá lớn (request too large).").into_response();
            }
        }
    } else {
        req
    };
    let signed_in = super::auth::token_from_headers(req.headers()).is_some();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) && !is_html {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(OTHER_POLICY));
    } else if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        // A page rendered without a nonce (an error page): no inline script may run at all.
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        );
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if state.config.env == super::config::Environment::Production {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // Answers, and signed in: pages and exports, are someone's records (static files keep their
    // own).
    if is_api || (signed_in && !h.contains_key(header::CACHE_CONTROL)) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
