//! Agencies and officials, always limited to what the caller may see: an admin sees the whole
//! tree, a manager their agency subtree, a learner only themself.

use super::error::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One agency with its direct and rolled-up headcounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub depth: usize,
    pub people: i64,
    pub enforcement: i64,
    /// Including every sub-agency.
    pub people_total: i64,
    pub enforcement_total: i64,
}

/// An official as listed to a manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonDto {
    pub id: i64,
    pub code: String,
    pub full_name: String,
    pub agency_id: i64,
    pub agency_name: String,
    pub position: String,
    pub enforcement: bool,
}

/// A page of officials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub agency: AgencyRow,
    pub people: Vec<PersonDto>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// The caller's agency subtree with headcounts, parents before children.
#[server(endpoint = "agencies")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "agencies"))
)]
pub async fn agency_overview() -> Result<Vec<AgencyRow>, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::db::queries;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let agencies = queries::agencies_in_scope(&state.db, user.scope.as_ref()).await?;
    let ids: Vec<i64> = agencies.iter().map(|a| a.id).collect();
    let counts = queries::people_counts(&state.db, &ids).await?;
    Ok(agency_rows(&agencies, &counts))
}

/// One page (50 a page) of the active officials of an agency and its sub-agencies, if the
/// agency is inside the caller's scope. Outside it, the answer is 403, whether or not it exists.
#[server(endpoint = "people")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "people"))
)]
pub async fn list_people(agency_id: i64, search: String, page: u64) -> Result<PeoplePage, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::db::queries;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let agency = guard::agency_in_scope(&state, &user, agency_id).await?;
    const PER_PAGE: u64 = 50;
    let (people, total) = queries::people_page(&state.db, &agency, true, &search, page, PER_PAGE).await?;
    let subtree = queries::agencies_in_scope(
        &state.db,
        Some(&crate::ssr::auth::Scope {
            agency_id: agency.id,
            agency_name: agency.name.clone(),
            path: agency.path.clone(),
        }),
    )
    .await?;
    let names: std::collections::HashMap<i64, String> = subtree.iter().map(|a| (a.id, a.name.clone())).collect();
    let ids: Vec<i64> = subtree.iter().map(|a| a.id).collect();
    let counts = queries::people_counts(&state.db, &ids).await?;
    let row = agency_rows(&subtree, &counts)
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound)?;
    Ok(PeoplePage {
        agency: row,
        people: people
            .into_iter()
            .map(|p| PersonDto {
                id: p.id,
                code: p.code,
                agency_name: names.get(&p.agency_id).cloned().unwrap_or_default(),
                full_name: p.full_name,
                agency_id: p.agency_id,
                position: p.position,
                enforcement: p.enforcement,
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// One official, if the caller may see them (admin; manager of their agency; themself).
#[server(endpoint = "person")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "person"))
)]
pub async fn get_person(id: i64) -> Result<PersonDto, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::db::queries;
    let (state, user) = guard::require(&Role::ALL).await?;
    let p = queries::person(&state.db, id).await?;
    let Some(p) = p else {
        return Err(guard::refuse(ApiError::Forbidden));
    };
    let agency = match user.view_scope() {
        _ if user.person_id == Some(p.id) => queries::agency_in_scope(&state.db, None, p.agency_id).await,
        Ok(scope) => queries::agency_in_scope(&state.db, scope, p.agency_id).await,
        Err(_) => Ok(None),
    }?;
    let Some(agency) = agency else {
        return Err(guard::refuse(ApiError::Forbidden));
    };
    Ok(PersonDto {
        id: p.id,
        code: p.code,
        full_name: p.full_name,
        agency_id: p.agency_id,
        agency_name: agency.name,
        position: p.position,
        enforcement: p.enforcement,
    })
}

/// Agencies as rows, with direct counts and counts rolled up the tree (via each agency's path).
#[cfg(feature = "ssr")]
fn agency_rows(
    agencies: &[crate::ssr::db::entities::agency::Model],
    counts: &[crate::ssr::db::queries::AgencyCount],
) -> Vec<AgencyRow> {
    let direct: std::collections::HashMap<i64, (i64, i64)> = counts
        .iter()
        .map(|c| (c.agency_id, (c.people, c.enforcement)))
        .collect();
    let base_depth = agencies.iter().map(|a| a.path.matches('/').count()).min().unwrap_or(0);
    let mut totals: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    for a in agencies {
        let (p, e) = direct.get(&a.id).copied().unwrap_or_default();
        for anc in a.path.split('/').filter_map(|s| s.parse::<i64>().ok()) {
            let t = totals.entry(anc).or_default();
            t.0 += p;
            t.1 += e;
        }
    }
    agencies
        .iter()
        .map(|a| {
            let (people, enforcement) = direct.get(&a.id).copied().unwrap_or_default();
            let (people_total, enforcement_total) = totals.get(&a.id).copied().unwrap_or_default();
            AgencyRow {
                id: a.id,
                code: a.code.clone(),
                name: a.name.clone(),
                kind: a.kind.clone(),
                depth: a.path.matches('/').count() - base_depth,
                people,
                enforcement,
                people_total,
                enforcement_total,
            }
        })
        .collect()
}
