//! Authorisation for server functions (server-only). Every server function starts with one of these calls:
//! it resolves the signed-in user from the request's cookie (on the server, every time), checks
//! the role, and sets the HTTP status of a refusal (401/403) so clients and tests see it.

use super::error::ApiError;
use crate::domain::identity::Role;
use crate::ssr::auth::{AuthUser, user_from_headers};
use crate::ssr::state::AppState;
use leptos::prelude::*;

/// The request's state, or an internal error if the server was wired without it.
pub fn state() -> Result<AppState, ApiError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        ApiError::Internal
    })
}

/// The signed-in user, if any.
pub async fn current_user() -> Result<Option<AuthUser>, ApiError> {
    let state = state()?;
    let parts: http::request::Parts = leptos_axum::extract().await.map_err(|e| {
        tracing::error!(error = %e, "cannot read request parts");
        ApiError::Internal
    })?;
    // Boxed: every server function awaits this, and the future would otherwise be carried
    // (moved into the memo's cell) several times over in each of their state machines.
    let load = Box::pin(user_from_headers(&state, &parts.headers));
    // Read once per request however many server functions and page loads ask.
    Ok(match use_context::<crate::ssr::memo::RequestMemo>() {
        Some(memo) => {
            memo.once((std::any::TypeId::of::<AuthUser>(), String::new()), load)
                .await
        }
        None => load.await,
    })
}

/// The signed-in user if they hold one of `roles` (`AuthUser::holds_any`, the same check as
/// `SignedIn::with_role`); otherwise 401 (not signed in) or 403.
pub async fn require(roles: &[Role]) -> Result<(AppState, AuthUser), ApiError> {
    let state = state()?;
    match current_user().await? {
        None => Err(refuse(ApiError::Unauthenticated)),
        Some(u) if u.holds_any(roles) => Ok((state, u)),
        Some(_) => Err(refuse(ApiError::Forbidden)),
    }
}

/// Sets the response status that matches the error and returns it.
pub fn refuse(e: ApiError) -> ApiError {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::from_u16(e.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    e
}

/// Logs a database (or other internal) error once and turns it into a safe, generic error.
pub fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "internal error in a server function");
    refuse(ApiError::Internal)
}

/// The agency `id` if it lies in the caller's subtree (the admin's is everything): the one scope
/// check of the server functions. Out of scope, or unknown, is 403.
pub async fn agency_in_scope(
    state: &AppState,
    user: &AuthUser,
    id: i64,
) -> Result<crate::ssr::db::entities::agency::Model, ApiError> {
    let Ok(scope) = user.view_scope() else {
        return Err(refuse(ApiError::Forbidden));
    };
    crate::ssr::db::queries::agency_in_scope(&state.db, scope, id)
        .await
        .map_err(internal)?
        .ok_or_else(|| refuse(ApiError::Forbidden))
}
