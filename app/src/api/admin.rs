//! The administrator's overview: how big the installation is and who can sign in.

use super::error::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountDto {
    pub username: String,
    pub role: crate::domain::identity::Role,
    pub scope_name: Option<String>,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub agencies: u64,
    pub people: u64,
    pub enforcement: u64,
    /// Staff accounts (not an official's own learner account).
    pub accounts: Vec<AccountDto>,
    /// Officials' own accounts, and how many of them still wait for their activation code.
    pub official_accounts: u64,
    pub waiting_activation: u64,
    /// Reminder e-mails by state (`pending`, `sending`, `sent`, `failed`).
    pub emails: Vec<(String, u64)>,
    /// The latest e-mails given up on: (to, title, error).
    pub email_failures: Vec<(String, String, String)>,
}

/// Counts and the account list (admin only).
#[server(endpoint = "admin_overview")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "admin_overview"))
)]
pub async fn admin_overview() -> Result<AdminSummary, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, _) = guard::require(&[Role::Admin]).await?;
    let o = crate::ssr::accounts::overview(&state.db).await?;
    let (emails, failures) = crate::ssr::notices::email_report(&state.db).await?;
    let official = |a: &crate::ssr::db::entities::account::Model| a.person_id.is_some() && a.role == "learner";
    Ok(AdminSummary {
        agencies: o.agencies,
        people: o.people,
        enforcement: o.enforcement,
        official_accounts: o.accounts.iter().filter(|(a, _)| official(a)).count() as u64,
        waiting_activation: o
            .accounts
            .iter()
            .filter(|(a, _)| official(a) && a.password_hash.is_empty() && !a.disabled)
            .count() as u64,
        emails,
        email_failures: failures
            .into_iter()
            .map(|n| {
                (
                    n.email_to.unwrap_or_default(),
                    n.title,
                    n.email_error.unwrap_or_default(),
                )
            })
            .collect(),
        accounts: o
            .accounts
            .into_iter()
            .filter(|(a, _)| !official(a))
            .filter_map(|(a, scope_name)| {
                Some(AccountDto {
                    role: Role::parse(&a.role)?,
                    scope_name,
                    username: a.username,
                    disabled: a.disabled,
                })
            })
            .collect(),
    })
}
