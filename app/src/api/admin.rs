//! The administrator's overview: how big the installation is, who can sign in, and how the
//! reminder e-mails fare. Who holds which right is on the rights page (`api::rights`).

use super::error::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub agencies: u64,
    pub people: u64,
    pub enforcement: u64,
    /// Officials' own accounts, and how many of them still wait for their activation code.
    pub official_accounts: u64,
    pub waiting_activation: u64,
    /// Reminder e-mails by state (`pending`, `sending`, `sent`, `failed`).
    pub emails: Vec<(String, u64)>,
    /// The latest e-mails given up on: (to, title, error).
    pub email_failures: Vec<(String, String, String)>,
}

/// Counts and the e-mail report (admin only).
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
    Ok(AdminSummary {
        agencies: o.agencies,
        people: o.people,
        enforcement: o.enforcement,
        official_accounts: o.official_accounts,
        waiting_activation: o.waiting_activation,
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
    })
}
