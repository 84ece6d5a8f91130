//! The queries behind the API. Scoping lives here: every people/agency query takes the caller's
//! `Option<&Scope>` (None = everything, for an admin) and filters by the materialised path, so a
//! manager's subtree is enforced in SQL, not in the page.

use super::entities::{agency, person};
use crate::ssr::auth::Scope;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Every agency's name by id (closed and merged ones too: history names them).
pub async fn agency_names(db: &impl ConnectionTrait) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    Ok(agency::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

/// The official with this id, if any.
pub async fn person(db: &impl ConnectionTrait, id: i64) -> Result<Option<person::Model>, DbErr> {
    super::by_key::<person::Entity>(db, id).await
}

/// Agencies inside `scope` (all of them for `None`) in tree order: parents before children,
/// siblings by id (so "Đội số 2" comes before "Đội số 10", which text order of paths would not do).
pub async fn agencies_in_scope(db: &impl ConnectionTrait, scope: Option<&Scope>) -> Result<Vec<agency::Model>, DbErr> {
    let mut q = agency::Entity::find();
    if let Some(s) = scope {
        q = q.filter(agency::Column::Path.starts_with(&s.path));
    }
    let mut rows = q.all(db).await?;
    rows.sort_by_cached_key(|a| path_key(&a.path));
    Ok(rows)
}

/// `/1/4/13/` → `[1, 4, 13]`, compared numerically.
pub fn path_key(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

/// The agency with `id` if it lies inside `scope`.
pub async fn agency_in_scope(
    db: &impl ConnectionTrait,
    scope: Option<&Scope>,
    id: i64,
) -> Result<Option<agency::Model>, DbErr> {
    let a = super::by_key::<agency::Entity>(db, id).await?;
    Ok(a.filter(|a| scope.is_none_or(|s| a.path.starts_with(&s.path))))
}

#[derive(Debug, FromQueryResult)]
pub struct AgencyCount {
    pub agency_id: i64,
    pub people: i64,
    pub enforcement: i64,
}

/// Active officials per agency (direct members only), for the given agencies.
pub async fn people_counts(db: &impl ConnectionTrait, agency_ids: &[i64]) -> Result<Vec<AgencyCount>, DbErr> {
    use sea_orm::sea_query::Expr;
    person::Entity::find()
        .select_only()
        .column_as(person::Column::AgencyId, "agency_id")
        .column_as(Expr::cust("COUNT(people.id)"), "people")
        .column_as(
            Expr::cust("SUM(CASE WHEN people.enforcement THEN 1 ELSE 0 END)"),
            "enforcement",
        )
        .filter(person::Column::Active.eq(true))
        .filter(person::Column::AgencyId.is_in(agency_ids.iter().copied()))
        .group_by(person::Column::AgencyId)
        .into_model::<AgencyCount>()
        .all(db)
        .await
}

/// One page of the active officials of an agency (and its sub-agencies when `subtree`).
pub async fn people_page(
    db: &impl ConnectionTrait,
    agency: &agency::Model,
    subtree: bool,
    search: &str,
    page: u64,
    per_page: u64,
) -> Result<(Vec<person::Model>, u64), DbErr> {
    let mut q = person::Entity::find().filter(person::Column::Active.eq(true));
    if subtree {
        let ids: Vec<i64> = agency::Entity::find()
            .filter(agency::Column::Path.starts_with(&agency.path))
            .select_only()
            .column(agency::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        q = q.filter(person::Column::AgencyId.is_in(ids));
    } else {
        q = q.filter(person::Column::AgencyId.eq(agency.id));
    }
    let search = search.trim();
    if !search.is_empty() {
        q = q.filter(
            sea_orm::Condition::any()
                .add(person::Column::FullName.contains(search))
                .add(person::Column::Code.contains(search)),
        );
    }
    let per_page = per_page.clamp(1, 500);
    let paginator = q.order_by_asc(person::Column::FullName).paginate(db, per_page);
    let total = paginator.num_items().await?;
    // A page past the end is empty; a huge page number must not overflow `page × per_page`
    // (it once panicked a request).
    let last = total.div_ceil(per_page);
    if page >= last.max(1) && page > 0 {
        return Ok((Vec::new(), total));
    }
    Ok((paginator.fetch_page(page).await?, total))
}
