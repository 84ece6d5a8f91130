//! Creating and changing programs (targets) and recording or withdrawing exemptions. The rules
//! of what may be written are pure (`domain::program`); here: who may write what, and writing it
//! in one transaction together with its history.
//!
//! - A program is created or changed by an admin, or by a manager when its root agency lies in
//!   their subtree. Every save appends a revision (who, when, why, the whole rule after it).
//! - A certificate is revoked (with a reason) by an admin or a manager of its holder's subtree.
//! - An exemption is recorded for one official and one active program by an admin or a manager
//!   whose subtree holds the official's current agency, never by the official themself, and
//!   only for someone in the program's population today. It is in force from the day it is
//!   recorded (never backdated) until the day it is withdrawn; withdrawing keeps the row.

use super::auth::AuthUser;
use super::db::entities::{exemption, person, program, program_revision};
use super::db::queries;
use super::state::AppState;
use crate::domain::coverage::Index;
use crate::domain::identity::Role;
use crate::domain::program::{self as rules, ExemptionProblem, Known, Problem, ProgramDraft, ProgramSpec};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// Why a write was not made.
#[derive(Debug)]
pub enum Refusal {
    Forbidden,
    NotFound,
    Problems(Vec<Problem>),
    Exemption(ExemptionProblem),
    Revocation(crate::domain::progress::RevocationProblem),
    Db(DbErr),
}

impl From<DbErr> for Refusal {
    fn from(e: DbErr) -> Self {
        Refusal::Db(e)
    }
}

/// The rule a program row holds.
pub fn spec_of(p: &program::Model) -> Result<ProgramSpec, super::db::entities::CorruptRow> {
    Ok(ProgramSpec {
        code: p.code.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        root_agency_id: p.root_agency_id,
        positions: p.position_list()?,
        enforcement_only: p.enforcement_only,
        courses: p.course_list()?,
        rule: p.course_rule.clone(),
        threshold_percent: p.threshold_percent.clamp(0, 100) as u32,
        deadline: p.deadline,
        metric: p.metric.clone(),
        active: p.active,
    })
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Whether `user` may change a program rooted at `root_agency_id`.
pub async fn may_edit(db: &impl ConnectionTrait, user: &AuthUser, root_agency_id: i64) -> Result<bool, DbErr> {
    Ok(match user.view_scope() {
        Ok(scope) => queries::agency_in_scope(db, scope, root_agency_id).await?.is_some(),
        Err(_) => false,
    })
}

/// What the checker needs to know for `user` editing `editing` (None = a new program).
pub async fn known(
    db: &impl ConnectionTrait,
    state: &AppState,
    user: &AuthUser,
    editing: Option<&program::Model>,
) -> Result<Known, DbErr> {
    let agencies = queries::agencies_in_scope(db, user.scope.as_ref())
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let taken_codes = program::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|p| editing.is_none_or(|e| e.id != p.id))
        .map(|p| p.code)
        .collect();
    Ok(Known {
        agencies,
        courses: state
            .content
            .get()
            .library
            .courses
            .iter()
            .map(|c| c.id.to_string())
            .collect(),
        taken_codes,
        editing: editing.is_some(),
    })
}

async fn next_revision(db: &impl ConnectionTrait, program_id: i64) -> Result<i32, DbErr> {
    Ok(program_revision::Entity::find()
        .filter(program_revision::Column::ProgramId.eq(program_id))
        .order_by_desc(program_revision::Column::Revision)
        .one(db)
        .await?
        .map_or(1, |r| r.revision + 1))
}

/// Appends a revision of a program (the seed and the web use this).
pub async fn record_revision(
    db: &impl ConnectionTrait,
    program_id: i64,
    spec: &ProgramSpec,
    by: Option<(i64, &str)>,
    reason: &str,
) -> Result<(), DbErr> {
    let revision = next_revision(db, program_id).await?;
    let snapshot = serde_json::to_string(spec).map_err(|e| DbErr::Custom(e.to_string()))?;
    let mut event = crate::ssr::audit::Event::new(
        crate::ssr::audit::kind::TARGET,
        serde_json::json!({
            "program": program_id,
            "revision": revision,
            "code": spec.code,
            "threshold_percent": spec.threshold_percent,
            "deadline": spec.deadline.to_string(),
            "snapshot_sha256": crate::domain::audit::digest(&snapshot),
        }),
    )
    .because(reason);
    if let Some((id, name)) = by {
        event = event.by(id, name);
    }
    crate::ssr::audit::append(db, event).await?;
    program_revision::ActiveModel {
        program_id: Set(program_id),
        revision: Set(revision),
        changed_at: Set(crate::ssr::clock::now()),
        changed_by: Set(by.map(|b| b.0)),
        changed_by_name: Set(by.map_or("hệ thống".to_string(), |b| b.1.to_string())),
        reason: Set(reason.to_string()),
        snapshot: Set(snapshot),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Creates (`id` None) or changes a program from a draft, with its revision, in one transaction.
pub async fn save(state: &AppState, user: &AuthUser, id: Option<i64>, draft: &ProgramDraft) -> Result<i64, Refusal> {
    if !user.holds_any(&[Role::Manager, Role::Admin]) {
        return Err(Refusal::Forbidden);
    }
    let tx = state.begin_write().await?;
    let existing = match id {
        None => None,
        Some(id) => {
            let Some(p) = program::Entity::find_by_id(id).one(&tx).await? else {
                return Err(Refusal::NotFound);
            };
            if !may_edit(&tx, user, p.root_agency_id).await? {
                return Err(Refusal::Forbidden);
            }
            Some(p)
        }
    };
    let known = known(&tx, state, user, existing.as_ref()).await?;
    let spec = rules::check(draft, &known).map_err(Refusal::Problems)?;
    let by = Some((user.account_id, user.display_name.as_str()));
    let id = match existing {
        None => {
            let row = program::ActiveModel {
                code: Set(spec.code.clone()),
                name: Set(spec.name.clone()),
                description: Set(spec.description.clone()),
                root_agency_id: Set(spec.root_agency_id),
                positions: Set(json(&spec.positions)),
                enforcement_only: Set(spec.enforcement_only),
                course_ids: Set(json(&spec.courses)),
                course_rule: Set(spec.rule.clone()),
                threshold_percent: Set(spec.threshold_percent as i32),
                deadline: Set(spec.deadline),
                metric: Set(spec.metric.clone()),
                active: Set(spec.active),
                created_at: Set(crate::ssr::clock::now()),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            let reason = if draft.reason.trim().is_empty() {
                "Tạo chỉ tiêu"
            } else {
                draft.reason.trim()
            };
            record_revision(&tx, row.id, &spec, by, reason).await?;
            row.id
        }
        Some(old) => {
            let before = spec_of(&old).map_err(DbErr::from)?;
            // A program from before revisions were kept gets its old state as revision 1, so
            // the history shows what changed.
            if next_revision(&tx, old.id).await? == 1 {
                record_revision(&tx, old.id, &before, None, "Trạng thái trước khi ghi lịch sử").await?;
            }
            if before == spec {
                tx.commit().await?;
                return Ok(old.id);
            }
            let id = old.id;
            let mut am: program::ActiveModel = old.into();
            am.code = Set(spec.code.clone());
            am.name = Set(spec.name.clone());
            am.description = Set(spec.description.clone());
            am.root_agency_id = Set(spec.root_agency_id);
            am.positions = Set(json(&spec.positions));
            am.enforcement_only = Set(spec.enforcement_only);
            am.course_ids = Set(json(&spec.courses));
            am.course_rule = Set(spec.rule.clone());
            am.threshold_percent = Set(spec.threshold_percent as i32);
            am.deadline = Set(spec.deadline);
            am.metric = Set(spec.metric.clone());
            am.active = Set(spec.active);
            am.update(&tx).await?;
            record_revision(&tx, id, &spec, by, draft.reason.trim()).await?;
            id
        }
    };
    tx.commit().await?;
    Ok(id)
}

/// The official with `person_id` if `user` may manage their record.
pub(crate) async fn managed_person(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    person_id: i64,
) -> Result<Option<person::Model>, DbErr> {
    let Ok(scope) = user.view_scope() else {
        return Ok(None);
    };
    let Some(p) = person::Entity::find_by_id(person_id).one(db).await? else {
        return Ok(None);
    };
    Ok(queries::agency_in_scope(db, scope, p.agency_id).await?.map(|_| p))
}

/// Records an exemption; returns its id.
pub async fn exempt(
    state: &AppState,
    user: &AuthUser,
    program_id: i64,
    person_id: i64,
    reason: &str,
    approved_by: &str,
) -> Result<i64, Refusal> {
    let tx = state.begin_write().await?;
    let Some(who) = managed_person(&tx, user, person_id).await? else {
        return Err(Refusal::Forbidden);
    };
    let Some(prog) = program::Entity::find_by_id(program_id)
        .one(&tx)
        .await?
        .filter(|p| p.active)
    else {
        return Err(Refusal::NotFound);
    };
    if user.person_id == Some(who.id) {
        return Err(Refusal::Exemption(ExemptionProblem::OwnRecord));
    }
    let (reason, approved_by) = rules::check_exemption(reason, approved_by).map_err(|p| Refusal::Exemption(p[0]))?;
    let rule = super::coverage::rule_of(&prog).map_err(DbErr::from)?;
    let facts = super::coverage::load_facts_for(&tx, &rule, prog.id, Some(who.id)).await?;
    let ix = Index::new(&rule, &facts);
    let today = crate::ssr::clock::today();
    if ix.population_membership(who.id, today).is_none() {
        return Err(Refusal::Exemption(ExemptionProblem::NotInPopulation));
    }
    if ix.is_exempt(who.id, today) || in_force(&tx, prog.id, who.id).await?.is_some() {
        return Err(Refusal::Exemption(ExemptionProblem::AlreadyExempt));
    }
    let row = exemption::ActiveModel {
        program_id: Set(prog.id),
        person_id: Set(who.id),
        reason: Set(reason),
        approved_by: Set(approved_by),
        created_at: Set(crate::ssr::clock::now()),
        recorded_by: Set(Some(user.account_id)),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
        withdrawal_reason: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let event = crate::ssr::audit::Event::new(
        crate::ssr::audit::kind::EXEMPTED,
        serde_json::json!({ "exemption": row.id, "program": prog.id, "approved_by": row.approved_by }),
    )
    .about(who.id)
    .by(user.account_id, &user.username)
    .because(&row.reason);
    crate::ssr::audit::append(&tx, event).await?;
    tx.commit().await?;
    Ok(row.id)
}

/// The exemption of `person_id` from `program_id` still in force, if any.
pub async fn in_force(
    db: &impl ConnectionTrait,
    program_id: i64,
    person_id: i64,
) -> Result<Option<exemption::Model>, DbErr> {
    exemption::Entity::find()
        .filter(exemption::Column::ProgramId.eq(program_id))
        .filter(exemption::Column::PersonId.eq(person_id))
        .filter(exemption::Column::WithdrawnAt.is_null())
        .one(db)
        .await
}

/// Withdraws an exemption (the official is back in the base from today); returns the
/// official's id.
pub async fn withdraw(state: &AppState, user: &AuthUser, exemption_id: i64, reason: &str) -> Result<i64, Refusal> {
    let tx = state.begin_write().await?;
    let Some(e) = exemption::Entity::find_by_id(exemption_id).one(&tx).await? else {
        return Err(Refusal::NotFound);
    };
    if managed_person(&tx, user, e.person_id).await?.is_none() {
        return Err(Refusal::Forbidden);
    }
    if e.withdrawn_at.is_some() {
        return Err(Refusal::Exemption(ExemptionProblem::NotInForce));
    }
    let reason = rules::check_exemption(reason, "-")
        .map_err(|p| Refusal::Exemption(p[0]))?
        .0;
    let person_id = e.person_id;
    let mut am: exemption::ActiveModel = e.into();
    am.withdrawn_at = Set(Some(crate::ssr::clock::now()));
    am.withdrawn_by = Set(Some(user.account_id));
    am.withdrawal_reason = Set(Some(reason.clone()));
    let row = am.update(&tx).await?;
    let event = crate::ssr::audit::Event::new(
        crate::ssr::audit::kind::EXEMPTION_WITHDRAWN,
        serde_json::json!({ "exemption": row.id, "program": row.program_id }),
    )
    .about(person_id)
    .by(user.account_id, &user.username)
    .because(&reason);
    crate::ssr::audit::append(&tx, event).await?;
    tx.commit().await?;
    Ok(person_id)
}

/// Revokes certificate `number` (reason required) for an admin or a manager of the holder's
/// subtree; returns the holder's id. From the day of revocation the certificate no longer
/// counts for coverage, verification says "revoked", and the holder may take the exam again.
pub async fn revoke(state: &AppState, user: &AuthUser, number: &str, reason: &str) -> Result<i64, Refusal> {
    use super::db::entities::certificate;
    let tx = state.begin_write().await?;
    let Some(cert) = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number))
        .one(&tx)
        .await?
    else {
        return Err(Refusal::NotFound);
    };
    if managed_person(&tx, user, cert.person_id).await?.is_none() {
        return Err(Refusal::Forbidden);
    }
    if cert.revoked_at.is_some() {
        return Err(Refusal::Revocation(
            crate::domain::progress::RevocationProblem::AlreadyRevoked,
        ));
    }
    let reason = crate::domain::progress::check_revocation(reason).map_err(Refusal::Revocation)?;
    let person_id = cert.person_id;
    let mut am: certificate::ActiveModel = cert.into();
    am.revoked_at = Set(Some(crate::ssr::clock::now()));
    am.revoked_reason = Set(Some(reason));
    am.revoked_by = Set(Some(user.account_id));
    let cert = am.update(&tx).await?;
    crate::ssr::audit::append(
        &tx,
        crate::ssr::audit::revocation_event(&cert, Some((user.account_id, &user.username))),
    )
    .await?;
    tx.commit().await?;
    Ok(person_id)
}

/// Exemptions (of one program, or all) of officials whose current agency is in the
/// caller's scope, newest first.
pub async fn exemptions(
    state: &crate::ssr::state::AppState,
    user: &crate::ssr::auth::AuthUser,
    program_id: Option<i64>,
    person_id: Option<i64>,
) -> Result<Vec<crate::domain::record::ExemptionDto>, sea_orm::DbErr> {
    let db = &state.db;
    let agencies: std::collections::HashMap<i64, crate::ssr::db::entities::agency::Model> =
        crate::ssr::db::queries::agencies_in_scope(db, user.scope.as_ref())
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
    use crate::ssr::db::entities::{exemption, person, program};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let mut q = exemption::Entity::find();
    if let Some(pid) = program_id {
        q = q.filter(exemption::Column::ProgramId.eq(pid));
    }
    if let Some(pid) = person_id {
        q = q.filter(exemption::Column::PersonId.eq(pid));
    }
    let rows = q.order_by_desc(exemption::Column::Id).all(db).await?;
    let ids: Vec<i64> = rows.iter().map(|e| e.person_id).collect();
    let people: std::collections::HashMap<i64, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let programs: std::collections::HashMap<i64, String> = program::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let p = people.get(&e.person_id)?;
            let a = agencies.get(&p.agency_id)?;
            Some(crate::domain::record::ExemptionDto {
                id: e.id,
                program_id: e.program_id,
                program_name: programs.get(&e.program_id).cloned().unwrap_or_default(),
                person_id: p.id,
                person_code: p.code.clone(),
                person_name: p.full_name.clone(),
                agency_name: a.name.clone(),
                reason: e.reason,
                approved_by: e.approved_by,
                since: crate::ssr::clock::date_of(e.created_at),
                withdrawn_on: e.withdrawn_at.map(crate::ssr::clock::date_of),
                withdrawal_reason: e.withdrawal_reason,
            })
        })
        .collect())
}

pub mod read;
pub mod web;
