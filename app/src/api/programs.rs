//! Programs (targets) and exemptions: list, read for editing (with history), create or change,
//! record and withdraw exemptions. Managers and admins only; a manager changes programs rooted
//! in their subtree and exempts officials of their subtree (checked in `ssr::programs`).

use super::error::ApiError;
use crate::domain::program::{Change, Known, Problem, ProgramDraft};
pub use crate::domain::record::ExemptionDto;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A program in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub root_name: String,
    pub deadline: NaiveDate,
    pub threshold_percent: u32,
    pub courses: usize,
    pub active: bool,
    pub can_edit: bool,
    /// Exemptions in force, within the caller's scope.
    pub exempt: u64,
    pub revisions: u64,
}

/// A choice of agency for the program's root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyOption {
    pub id: i64,
    pub name: String,
    pub depth: usize,
}

/// One revision in a program's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionDto {
    pub revision: i32,
    pub changed_at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
    /// Empty for the first revision (the program as created).
    pub changes: Vec<Change>,
}

/// Everything the program page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramEditor {
    /// None for a new program.
    pub id: Option<i64>,
    pub can_edit: bool,
    /// The saved program (or a new program's starting point).
    pub draft: ProgramDraft,
    /// What the checker knows (the page checks a returned draft with the same rules).
    pub known: Known,
    pub agencies: Vec<AgencyOption>,
    /// (id, title) of the library's courses.
    pub courses: Vec<(String, String)>,
    /// Positions on the roster, for the population's checkboxes.
    pub positions: Vec<String>,
    pub history: Vec<RevisionDto>,
    /// Within the caller's scope, newest first.
    pub exemptions: Vec<ExemptionDto>,
    /// Today's counts in the caller's scope under the saved rule (None for a new program).
    pub today: Option<crate::domain::coverage::Counts>,
}

/// The result of saving a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved(i64),
    Problems(Vec<Problem>),
}

/// Every program (active first), with what the caller may do with it.
#[server(endpoint = "programs")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "programs"))
)]
pub async fn list_programs() -> Result<Vec<ProgramRow>, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::db::entities::{agency, program, program_revision};
    use crate::ssr::programs;
    use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let db = &state.db;
    let names: std::collections::HashMap<i64, String> = agency::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let exempt = crate::ssr::programs::exemptions(&state, &user, None, None).await?;
    let mut out = vec![];
    for p in program::Entity::find()
        .order_by_desc(program::Column::Active)
        .order_by_asc(program::Column::Id)
        .all(db)
        .await?
    {
        use sea_orm::{ColumnTrait, QueryFilter};
        let revisions = program_revision::Entity::find()
            .filter(program_revision::Column::ProgramId.eq(p.id))
            .count(db)
            .await?;
        out.push(ProgramRow {
            id: p.id,
            root_name: names.get(&p.root_agency_id).cloned().unwrap_or_default(),
            deadline: p.deadline,
            threshold_percent: p.threshold_percent.clamp(0, 100) as u32,
            courses: p.course_list()?.len(),
            active: p.active,
            can_edit: programs::may_edit(db, &user, p.root_agency_id).await?,
            exempt: exempt
                .iter()
                .filter(|e| e.program_id == p.id && e.withdrawn_on.is_none())
                .count() as u64,
            revisions,
            code: p.code,
            name: p.name,
        });
    }
    Ok(out)
}

/// A program for the program page (`id` None: a blank one to create), with its history and
/// its exemptions in the caller's scope.
#[server(endpoint = "program_editor")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "program_editor"))
)]
pub async fn load_program(id: Option<i64>) -> Result<ProgramEditor, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::db::entities::{agency, person, program};
    use crate::ssr::db::queries;
    use crate::ssr::programs;
    use sea_orm::{EntityTrait, QuerySelect};
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let db = &state.db;
    let existing = match id {
        None => None,
        Some(id) => match program::Entity::find_by_id(id).one(db).await? {
            Some(p) => Some(p),
            None => return Err(guard::refuse(ApiError::NotFound)),
        },
    };
    let scoped = queries::agencies_in_scope(db, user.scope.as_ref()).await?;
    let base_depth = scoped.first().map_or(0, |a| a.path.matches('/').count());
    let mut agencies: Vec<AgencyOption> = scoped
        .iter()
        .filter(|a| a.valid_to.is_none())
        .map(|a| AgencyOption {
            id: a.id,
            name: a.name.clone(),
            depth: a.path.matches('/').count().saturating_sub(base_depth),
        })
        .collect();
    // A target rooted above the viewer's scope is shown (read-only) with its real root.
    if let Some(p) = &existing
        && !agencies.iter().any(|a| a.id == p.root_agency_id)
        && let Some(root) = agency::Entity::find_by_id(p.root_agency_id).one(db).await?
    {
        agencies.insert(
            0,
            AgencyOption {
                id: root.id,
                name: root.name,
                depth: 0,
            },
        );
    }
    let known = programs::known(db, &state, &user, existing.as_ref()).await?;
    let can_edit = match &existing {
        None => true,
        Some(p) => programs::may_edit(db, &user, p.root_agency_id).await?,
    };
    let draft = match &existing {
        Some(p) => ProgramDraft::from_spec(&programs::spec_of(p)?),
        None => ProgramDraft::blank(
            user.scope
                .as_ref()
                .map(|s| s.agency_id)
                .or_else(|| scoped.first().map(|a| a.id))
                .unwrap_or_default(),
        ),
    };
    let titles = crate::ssr::content::titles(&state);
    let mut courses: Vec<(String, String)> = titles.into_iter().collect();
    courses.sort();
    let mut positions: Vec<String> = person::Entity::find()
        .select_only()
        .column(person::Column::Position)
        .distinct()
        .into_tuple::<String>()
        .all(db)
        .await?;
    positions.sort();
    let today = match &existing {
        Some(p) => Some(
            crate::ssr::coverage::snapshot(db, p.clone(), user.scope.as_ref(), crate::ssr::clock::today(), false)
                .await?
                .overall,
        ),
        None => None,
    };
    let (history, exemptions) = match &existing {
        Some(p) => (
            ssr_programs::history(&state, p.id).await?,
            crate::ssr::programs::exemptions(&state, &user, Some(p.id), None).await?,
        ),
        None => (vec![], vec![]),
    };
    Ok(ProgramEditor {
        id,
        can_edit,
        draft,
        known,
        agencies,
        courses,
        positions,
        history,
        exemptions,
        today,
    })
}

/// Creates (`id` None) or changes a program. A draft with problems changes nothing and comes
/// back as `Problems`, every one of them, each with its field.
#[server(endpoint = "save_program", input = leptos::server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "save_program"))
)]
pub async fn save_program(id: Option<i64>, draft: ProgramDraft) -> Result<SaveOutcome, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::programs;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    match programs::save(&state, &user, id, &draft).await {
        Ok(id) => Ok(SaveOutcome::Saved(id)),
        Err(programs::Refusal::Problems(p)) => Ok(SaveOutcome::Problems(p)),
        Err(r) => Err(ssr_programs::refusal(r)),
    }
}

/// Records that an official is exempt from a program (reason and approver required); returns
/// the exemption's id.
#[server(endpoint = "exempt_official")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "exempt_official"))
)]
pub async fn exempt_official(
    program_id: i64,
    person_id: i64,
    reason: String,
    approved_by: String,
) -> Result<i64, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::programs;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    programs::exempt(&state, &user, program_id, person_id, &reason, &approved_by)
        .await
        .map_err(ssr_programs::refusal)
}

/// Withdraws an exemption: the official is back in the program's base from today.
#[server(endpoint = "withdraw_exemption")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "withdraw_exemption"))
)]
pub async fn withdraw_exemption(exemption_id: i64, reason: String) -> Result<(), ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::programs;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    programs::withdraw(&state, &user, exemption_id, &reason)
        .await
        .map(|_| ())
        .map_err(ssr_programs::refusal)
}

/// Revokes a certificate (reason required): it stops counting for coverage from today and
/// verification reports it revoked.
#[server(endpoint = "revoke_certificate")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "revoke_certificate"))
)]
pub async fn revoke_certificate(number: String, reason: String) -> Result<(), ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::programs;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    programs::revoke(&state, &user, &number, &reason)
        .await
        .map(|_| ())
        .map_err(ssr_programs::refusal)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr_programs {
    use super::RevisionDto;
    use crate::api::error::ApiError;
    use crate::api::guard;
    use crate::domain::program::{ProgramSpec, diff};
    use crate::i18n::Lang;
    use crate::ssr::db::entities::{agency, program_revision};
    use crate::ssr::{programs::Refusal, state::AppState};
    use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
    use std::collections::HashMap;

    pub fn refusal(r: Refusal) -> ApiError {
        match r {
            Refusal::Forbidden => guard::refuse(ApiError::Forbidden),
            Refusal::NotFound => guard::refuse(ApiError::NotFound),
            Refusal::Exemption(p) => guard::refuse(ApiError::Invalid(p.message(Lang::Vi))),
            Refusal::Revocation(p) => guard::refuse(ApiError::Invalid(p.message(Lang::Vi).into())),
            Refusal::Problems(ps) => guard::refuse(ApiError::Invalid(
                ps.iter().map(|p| p.message(Lang::Vi)).collect::<Vec<_>>().join(" "),
            )),
            Refusal::Db(e) => guard::internal(e),
        }
    }

    /// A program's revisions, newest first, each with what it changed.
    pub async fn history(state: &AppState, program_id: i64) -> Result<Vec<RevisionDto>, DbErr> {
        let names: HashMap<i64, String> = agency::Entity::find()
            .all(&state.db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let titles = crate::ssr::content::titles(state);
        let revs = program_revision::Entity::find()
            .filter(program_revision::Column::ProgramId.eq(program_id))
            .order_by_asc(program_revision::Column::Revision)
            .all(&state.db)
            .await?;
        let mut out = vec![];
        let mut prev: Option<ProgramSpec> = None;
        for r in revs {
            let spec: Option<ProgramSpec> = serde_json::from_str(&r.snapshot).ok();
            let changes = match (&prev, &spec) {
                (Some(a), Some(b)) => diff(
                    a,
                    b,
                    |id| names.get(&id).cloned().unwrap_or_else(|| id.to_string()),
                    |c| titles.get(c).cloned().unwrap_or_else(|| c.to_string()),
                ),
                _ => vec![],
            };
            if spec.is_some() {
                prev = spec;
            }
            out.push(RevisionDto {
                revision: r.revision,
                changed_at: r.changed_at,
                by: r.changed_by_name,
                reason: r.reason,
                changes,
            });
        }
        out.reverse();
        Ok(out)
    }
}
