//! Accounts as the administrator sees them: how big the installation is and who can sign in.

use crate::ssr::db::entities::{account, agency, person};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The installation's size and its accounts (by user name), each with its scope's name.
pub struct Overview {
    pub agencies: u64,
    pub people: u64,
    pub enforcement: u64,
    pub accounts: Vec<(account::Model, Option<String>)>,
}

pub async fn overview(db: &impl ConnectionTrait) -> Result<Overview, DbErr> {
    let agencies = agency::Entity::find().all(db).await?;
    let names: HashMap<i64, String> = agencies.iter().map(|a| (a.id, a.name.clone())).collect();
    let active = || person::Entity::find().filter(person::Column::Active.eq(true));
    let people = active().count(db).await?;
    let enforcement = active().filter(person::Column::Enforcement.eq(true)).count(db).await?;
    let accounts = account::Entity::find()
        .order_by_asc(account::Column::Username)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            let scope = a.scope_agency_id.and_then(|id| names.get(&id).cloned());
            (a, scope)
        })
        .collect();
    Ok(Overview {
        agencies: agencies.len() as u64,
        people,
        enforcement,
        accounts,
    })
}
