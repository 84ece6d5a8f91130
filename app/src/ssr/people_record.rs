//! One official's training record (`/people/:id`): their programs with per-course standing,
//! certificates and agency history. Authorisation: admin; a manager whose subtree holds the
//! official's current agency; the official themself.

use super::auth::AuthUser;
use super::db::entities::{certificate, membership, person, program};
use super::state::AppState;
use crate::domain::coverage::{Index, Status};
use crate::domain::identity::Role;
use crate::domain::record::{CertificateDto, CourseStanding, PeriodDto, PersonRecord, ProgramStanding};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The record at the end of day `on` (today, or a past date: completions and certificates after
/// it are left out), or None when the caller may not see it (or it does not exist).
pub async fn load(state: &AppState, user: &AuthUser, id: i64, on: NaiveDate) -> Result<Option<PersonRecord>, DbErr> {
    let db = &state.db;
    let Some(p) = person::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let scope = match user.view_scope() {
        _ if user.person_id == Some(p.id) => None,
        Ok(scope) => scope,
        Err(_) => return Ok(None),
    };
    let Some(current) = super::db::queries::agency_in_scope(db, scope, p.agency_id).await? else {
        return Ok(None);
    };
    let names = crate::ssr::db::queries::agency_names(db).await?;
    let periods = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(p.id))
        .order_by_asc(membership::Column::ValidFrom)
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    let today = crate::ssr::clock::today();
    let past = on < today;
    let certs: Vec<certificate::Model> = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(p.id))
        .order_by_asc(certificate::Column::IssuedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| crate::ssr::clock::date_of(c.issued_at) <= on)
        .collect();
    // A revocation after `on` had not happened yet.
    let revoked = |c: &certificate::Model| c.revoked_at.is_some_and(|at| crate::ssr::clock::date_of(at) <= on);
    let titles = crate::ssr::content::titles(state);
    let title = |c: &str| titles.get(c).cloned().unwrap_or_else(|| c.to_string());
    let mut programs = vec![];
    for prog in program::Entity::find()
        .filter(program::Column::Active.eq(true))
        .order_by_asc(program::Column::Id)
        .all(db)
        .await?
    {
        let rule = super::coverage::rule_of(&prog)?;
        // Only this official's facts (agencies stay whole for the tree).
        let facts = super::coverage::load_facts_for(db, &rule, prog.id, Some(p.id)).await?;
        let ix = Index::new(&rule, &facts);
        let in_population = ix.population_membership(p.id, on).is_some();
        let status = ix.status(p.id, on);
        let exemption = match status {
            Status::Exempt => super::programs::in_force(db, prog.id, p.id).await?,
            _ => None,
        };
        let first: HashMap<&str, chrono::NaiveDate> = facts
            .credits
            .iter()
            .map(|c| (c.course_id.as_str(), c.completed_on))
            .collect();
        let credits = super::db::entities::course_credit::Entity::find()
            .filter(super::db::entities::course_credit::Column::PersonId.eq(p.id))
            .all(db)
            .await?;
        let courses = rule
            .courses
            .iter()
            .enumerate()
            .map(|(i, c)| CourseStanding {
                course_id: c.clone(),
                title: title(c),
                completed_on: first
                    .get(c.as_str())
                    .copied()
                    .or_else(|| {
                        credits
                            .iter()
                            .find(|x| &x.course_id == c)
                            .map(|x| crate::ssr::clock::date_of(x.first_completed_at))
                    })
                    .filter(|d| *d <= on),
                certificate: certs
                    .iter()
                    .rev()
                    .find(|x| &x.course_id == c && !revoked(x))
                    .map(|x| x.number.clone()),
                held: ix.holds(p.id, i, on),
                outdated: rule.metric == crate::domain::coverage::Metric::CurrentVersion
                    && !ix.holds(p.id, i, on)
                    && facts.certificates.iter().any(|x| {
                        &x.course_id == c
                            && x.issued_on <= on
                            && x.revoked_on.is_none_or(|r| r > on)
                            && x.superseded_on.is_some_and(|s| s <= on)
                    }),
            })
            .collect();
        programs.push(ProgramStanding {
            program_id: prog.id,
            program: prog.name.clone(),
            deadline: prog.deadline,
            in_population,
            status: match status {
                Status::Covered => "covered",
                Status::Exempt => "exempt",
                Status::Missing(_) => "missing",
            }
            .into(),
            exemption: exemption.as_ref().map(|e| format!("{} ({})", e.reason, e.approved_by)),
            exemption_id: exemption.map(|e| e.id),
            courses,
        });
    }
    let can_manage = user.holds_any(&[Role::Manager, Role::Admin]) && user.person_id != Some(p.id);
    let exemptions = crate::ssr::programs::exemptions(state, user, None, Some(p.id)).await?;
    Ok(Some(PersonRecord {
        as_of: past.then_some(on),
        id: p.id,
        code: p.code,
        full_name: p.full_name,
        agency_name: current.name,
        position: p.position,
        enforcement: p.enforcement,
        active: p.active,
        programs,
        certificates: certs
            .iter()
            .map(|c| CertificateDto {
                number: c.number.clone(),
                course: title(&c.course_id),
                issued_on: crate::ssr::clock::date_of(c.issued_at),
                valid_until: c.valid_until,
                revoked: revoked(c),
                revoked_on: c.revoked_at.map(crate::ssr::clock::date_of).filter(|d| *d <= on),
                revoked_reason: c.revoked_reason.clone().filter(|_| revoked(c)),
            })
            .collect(),
        history: periods
            .into_iter()
            .map(|m| PeriodDto {
                agency_name: names.get(&m.agency_id).cloned().unwrap_or_default(),
                position: m.position,
                enforcement: m.enforcement,
                from: m.valid_from,
                to: m.valid_to,
            })
            .collect(),
        exemptions,
        can_manage,
    }))
}
