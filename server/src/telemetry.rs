//! Logging and request tracing. `RUST_LOG` filters (default `info`, with noisy dependencies
//! turned down); `RUST_LOG_FORMAT=json` writes one JSON object per line (for a log shipper).
//!
//! Every request runs inside a span `request{method, route, user}` and ends with one event
//! carrying its status and latency, so a slow or failing request can be found and followed: the
//! errors a handler logs (`api::guard::internal`, form routes) are logged inside that span, with
//! its fields.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub fn init() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=warn"));
    let json = std::env::var("RUST_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let _ = if json {
        builder.json().with_current_span(true).with_span_list(false).try_init()
    } else {
        builder.try_init()
    };
}

/// The span and the closing event of every request: method, route (the router's pattern, so
/// `/people/{id}` rather than each id), the account id from a valid session token (checked
/// without the database: a revoked token still names who tried), status and latency in ms.
pub async fn trace_request(State(state): State<app::ssr::state::AppState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().chars().take(120).collect());
    let user = app::ssr::auth::token_from_headers(req.headers())
        .and_then(|t| app::ssr::auth::decode_token(&state.config.jwt_secret, &t))
        .map(|c| c.sub)
        .unwrap_or_default();
    let span = tracing::info_span!("request", %method, route = %route, user = %user);
    let res = next.run(req).instrument(span.clone()).await;
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, latency_ms = format_args!("{ms:.1}"), "request failed");
        } else {
            tracing::info!(status, latency_ms = format_args!("{ms:.1}"), "request");
        }
    });
    res
}
