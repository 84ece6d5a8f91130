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
    use crate::ssr::db::entities::{account, agency, person};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
    let (state, _) = guard::require(&[Role::Admin]).await?;
    let db = &state.db;
    let agencies = agency::Entity::find().all(db).await?;
    let names: std::collections::HashMap<i64, String> = agencies.iter().map(|a| (a.id, a.name.clone())).collect();
    let people = person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .count(db)
        .await?;
    let enforcement = person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .filter(person::Column::Enforcement.eq(true))
        .count(db)
        .await?;
    let accounts = account::Entity::find()
        .order_by_asc(account::Column::Username)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| {
            Some(AccountDto {
                role: Role::parse(&a.role)?,
                scope_name: a.scope_agency_id.and_then(|id| names.get(&id).cloned()),
                username: a.username,
                disabled: a.disabled,
            })
        })
        .collect();
    Ok(AdminSummary {
        agencies: agencies.len() as u64,
        people,
        enforcement,
        accounts,
    })
}
