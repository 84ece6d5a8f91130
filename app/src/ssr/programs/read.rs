//! Programs read for the pages: the list with what the caller may do with each, one program
//! for its page (the draft, what the checker knows, the history, the exemptions in scope and
//! today's counts), and a program's revisions with what each changed.

use crate::domain::program::{AgencyOption, ProgramDraft, ProgramEditor, ProgramRow, ProgramSpec, RevisionDto, diff};
use crate::ssr::auth::AuthUser;
use crate::ssr::db::entities::{agency, person, program, program_revision};
use crate::ssr::db::queries;
use crate::ssr::programs;
use crate::ssr::state::AppState;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

/// Every program (active first), with what `user` may do with it.
pub async fn list(state: &AppState, user: &AuthUser) -> Result<Vec<ProgramRow>, DbErr> {
    let db = &state.db;
    let names = crate::ssr::db::queries::agency_names(db).await?;
    let exempt = programs::exemptions(state, user, None, None).await?;
    let mut out = vec![];
    for p in program::Entity::find()
        .order_by_desc(program::Column::Active)
        .order_by_asc(program::Column::Id)
        .all(db)
        .await?
    {
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
            can_edit: programs::may_edit(db, user, p.root_agency_id).await?,
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

/// One program for its page (`id` None: a blank one to create); `None` when `id` names none.
pub async fn editor(state: &AppState, user: &AuthUser, id: Option<i64>) -> Result<Option<ProgramEditor>, DbErr> {
    let db = &state.db;
    let existing = match id {
        None => None,
        Some(id) => match program::Entity::find_by_id(id).one(db).await? {
            Some(p) => Some(p),
            None => return Ok(None),
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
    let known = programs::known(db, state, user, existing.as_ref()).await?;
    let can_edit = match &existing {
        None => true,
        Some(p) => programs::may_edit(db, user, p.root_agency_id).await?,
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
    let titles = crate::ssr::content::titles(state);
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
            crate::ssr::coverage::views::view(
                db,
                &state.coverage_views,
                p.id,
                user.scope.as_ref(),
                crate::ssr::clock::today(),
            )
            .await?
            .overall,
        ),
        None => None,
    };
    let (history, exemptions) = match &existing {
        Some(p) => (
            history(state, p.id).await?,
            programs::exemptions(state, user, Some(p.id), None).await?,
        ),
        None => (vec![], vec![]),
    };
    Ok(Some(ProgramEditor {
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
    }))
}

/// A program's revisions, newest first, each with what it changed.
pub async fn history(state: &AppState, program_id: i64) -> Result<Vec<RevisionDto>, DbErr> {
    let names = crate::ssr::db::queries::agency_names(&state.db).await?;
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

/// The day of the program's latest change after its creation (revision 2 or later).
pub async fn last_change(db: &impl ConnectionTrait, program_id: i64) -> Result<Option<chrono::NaiveDate>, DbErr> {
    Ok(program_revision::Entity::find()
        .filter(program_revision::Column::ProgramId.eq(program_id))
        .filter(program_revision::Column::Revision.gt(1))
        .order_by_desc(program_revision::Column::Revision)
        .one(db)
        .await?
        .map(|r| crate::ssr::clock::date_of(r.changed_at)))
}
