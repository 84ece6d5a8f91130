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
    pub accounts: Vec<AccountDto>,
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
    Ok(AdminSummary {
        agencies: o.agencies,
        people: o.people,
        enforcement: o.enforcement,
        accounts: o
            .accounts
            .into_iter()
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
