//! The one way a form route learns who is asking, and the one error type it fails with.
//!
//! Every form route (`ssr::forms`, `ssr::programs::web`, `ssr::roster::web`, the coverage
//! exports) takes [`SignedIn`] as an extractor: it resolves the session cookie on the server
//! (token signature, expiry, token version, enabled account) and carries the account's role and
//! scope. A handler never reads the cookie itself. Refusals are [`WebError`]s, which render the
//! same way everywhere: not signed in → a redirect to the sign-in page that comes back here;
//! forbidden / not found → the status with one sentence in Vietnamese; internal → logged once
//! (inside the request's span) and a generic sentence.

use super::auth::{AuthUser, user_from_headers};
use super::state::AppState;
use crate::domain::identity::Role;
use axum::extract::FromRequestParts;
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};

/// The signed-in account of a form route's request.
pub struct SignedIn(pub AuthUser);

impl SignedIn {
    /// The account, if it holds one of `roles` (`AuthUser::holds_any`, the same check as the
    /// server functions' `guard::require`).
    pub fn with_role(self, roles: &[Role], refusal: &'static str) -> Result<AuthUser, WebError> {
        if self.0.holds_any(roles) {
            Ok(self.0)
        } else {
            Err(WebError::Forbidden(refusal))
        }
    }

    /// The official (person on the roster) this account belongs to.
    pub fn person(&self) -> Result<i64, WebError> {
        self.0
            .person_id
            .ok_or(WebError::Forbidden("Tài khoản này không gắn với cán bộ nào."))
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match user_from_headers(state, &parts.headers).await {
            Some(u) => Ok(SignedIn(u)),
            None => Err(WebError::SignIn {
                next: come_back_to(parts),
            }),
        }
    }
}

/// Where to return after signing in: this page for a GET; for a form post, the page the form
/// was on (its `Referer`, if it is a path of this site), else the home page.
fn come_back_to(parts: &Parts) -> String {
    if parts.method == axum::http::Method::GET {
        let pq = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        return super::redirect::local_path(pq).unwrap_or_else(|| "/".into());
    }
    parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").map(|i| &r[i + 3..]))
        .and_then(|r| r.find('/').map(|j| r[j..].to_string()))
        .and_then(|p| super::redirect::local_path(&p))
        .unwrap_or_else(|| "/".into())
}

/// Why a form route refuses, rendered in one place.
#[derive(Debug)]
pub enum WebError {
    /// Not signed in: to the sign-in page, then back to `next`.
    SignIn { next: String },
    /// Signed in, but not allowed: 403 with the reason.
    Forbidden(&'static str),
    /// No such thing (or not one the caller may know exists): 404.
    NotFound,
    /// A request the route cannot read: 422 with what is missing.
    Unprocessable(&'static str),
    /// Back to a page (post/redirect/get), e.g. a form with its problem in the query.
    Redirect(String),
    /// A fault of ours: logged once, a generic sentence to the person.
    Internal(String),
}

impl WebError {
    /// Logs `e` (once, here) and hides it behind a generic sentence.
    pub fn internal(e: impl std::fmt::Display) -> WebError {
        WebError::Internal(e.to_string())
    }
}

impl From<sea_orm::DbErr> for WebError {
    fn from(e: sea_orm::DbErr) -> Self {
        WebError::internal(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::SignIn { next } => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                Redirect::to(&format!("/sign-in?next={next}")).into_response()
            }
            WebError::Forbidden(why) => (StatusCode::FORBIDDEN, why).into_response(),
            WebError::NotFound => (StatusCode::NOT_FOUND, "Không tìm thấy.").into_response(),
            WebError::Unprocessable(why) => (StatusCode::UNPROCESSABLE_ENTITY, why).into_response(),
            WebError::Redirect(to) => Redirect::to(&to).into_response(),
            WebError::Internal(e) => {
                tracing::error!(error = %e, "internal error in a form route");
                (StatusCode::INTERNAL_SERVER_ERROR, "Đã có lỗi xảy ra. Vui lòng thử lại.").into_response()
            }
        }
    }
}
