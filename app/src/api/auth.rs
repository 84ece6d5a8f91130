//! Who is signed in. Signing in and out are plain form posts handled in `ssr::auth` (they must
//! work before any wasm loads); this is the read side the pages use.

use super::error::ApiError;
use crate::domain::identity::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in person as the browser may know them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDto {
    pub username: String,
    pub display_name: String,
    /// The highest role held (the badge, the home page).
    pub role: Role,
    /// Every role held, ascending (the navigation is their union).
    pub roles: Vec<Role>,
    /// For a manager: the agency at the top of the subtree in view.
    pub scope_name: Option<String>,
    /// For a manager of several subtrees: each (agency id, name), to switch between.
    pub scopes: Vec<(i64, String)>,
    pub scope_id: Option<i64>,
    /// Unread notices (reminders, digests): the bell's count.
    pub unread: u64,
}

/// What every page needs to know about the session and the installation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<UserDto>,
    /// The installation runs on demo data: the UI says so on every page.
    pub demo: bool,
    /// E-mail is configured: people may ask for a reset link.
    pub mail: bool,
}

/// The signed-in user (if any) and whether this is a demo installation.
#[server(endpoint = "whoami")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "whoami"))
)]
pub async fn whoami() -> Result<SessionInfo, ApiError> {
    let state = crate::api::guard::state()?;
    let user = crate::api::guard::current_user().await?;
    let unread = match &user {
        Some(u) => crate::ssr::notices::unread(&state.db, u.account_id).await?,
        None => 0,
    };
    Ok(SessionInfo {
        user: user.map(|u| UserDto {
            role: u.primary(),
            username: u.username,
            display_name: u.display_name,
            roles: u.roles.clone(),
            scopes: u.scopes.iter().map(|s| (s.agency_id, s.agency_name.clone())).collect(),
            scope_id: u.scope.as_ref().map(|s| s.agency_id),
            scope_name: u.scope.map(|s| s.agency_name),
            unread,
        }),
        demo: state.config.demo_banner,
        mail: state.config.smtp_url.is_some(),
    })
}
