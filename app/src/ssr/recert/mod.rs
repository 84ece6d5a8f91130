//! Delta recertification on the server: whom a substantive publish reaches, opening a
//! recertification for them (a trainer of the course for everyone, a manager for their subtree),
//! the one an official still owes, marking it passed, and how many are certified on the current
//! substantive version. The rules are `domain::recert`'s.

pub mod web;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::auth::{AuthUser, Scope};
use super::db::entities::{
    certificate, content_publish as cp, lesson_progress, person, recertification as rc, recertification_person as rp,
};
use super::state::AppState;
use crate::domain::content::publish::Changes;
use crate::domain::recert::{NoPlan, plan};

/// An official a change reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affected {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub agency_id: i64,
    /// When they earned the certificate the change overtook.
    pub certified_at: DateTime<Utc>,
}

/// The agencies of `scope` (None: every agency).
async fn agency_ids(db: &impl ConnectionTrait, scope: Option<&Scope>) -> Result<Option<HashSet<i64>>, DbErr> {
    Ok(match scope {
        None => None,
        Some(s) => Some(
            super::db::queries::agencies_in_scope(db, Some(s))
                .await?
                .into_iter()
                .map(|a| a.id)
                .collect(),
        ),
    })
}

/// The officials (in `scope`) holding a valid (unrevoked, unexpired) certificate of `course`
/// earned before `before` and none earned since: whom a substantive change published at
/// `before` must reach. By name.
pub async fn certified_before(
    db: &impl ConnectionTrait,
    course: &str,
    before: DateTime<Utc>,
    scope: Option<&Scope>,
) -> Result<Vec<Affected>, DbErr> {
    let today = super::clock::today();
    type Row = (i64, DateTime<Utc>, Option<DateTime<Utc>>, Option<NaiveDate>);
    let certs: Vec<Row> = certificate::Entity::find()
        .select_only()
        .columns([
            certificate::Column::PersonId,
            certificate::Column::IssuedAt,
            certificate::Column::VersionAt,
            certificate::Column::ValidUntil,
        ])
        .filter(certificate::Column::CourseId.eq(course))
        .filter(certificate::Column::RevokedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    // Earned on a version served before `before` (`certificate::Model::earned_on_version_at`):
    // an exam started before the publish was taken on the old text, even if submitted after.
    let mut old: BTreeMap<i64, DateTime<Utc>> = BTreeMap::new();
    let mut current = HashSet::new();
    for (p, issued, version_at, until) in certs {
        if until.is_some_and(|u| u < today) {
            continue;
        }
        if certificate::earned_on(issued, version_at) < before {
            let e = old.entry(p).or_insert(issued);
            *e = (*e).max(issued);
        } else {
            current.insert(p);
        }
    }
    let ids: Vec<i64> = old.keys().filter(|p| !current.contains(*p)).copied().collect();
    let agencies = agency_ids(db, scope).await?;
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, String, i64)> = person::Entity::find()
            .select_only()
            .columns([
                person::Column::Id,
                person::Column::Code,
                person::Column::FullName,
                person::Column::AgencyId,
            ])
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(
            rows.into_iter()
                .filter(|r| agencies.as_ref().is_none_or(|a| a.contains(&r.3)))
                .map(|(id, code, name, agency_id)| Affected {
                    certified_at: old[&id],
                    id,
                    code,
                    name,
                    agency_id,
                }),
        );
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// The officials a recertification of `publish` already reaches.
async fn already_reached(db: &impl ConnectionTrait, publish: i64) -> Result<HashSet<i64>, DbErr> {
    let ids: Vec<i64> = rc::Entity::find()
        .select_only()
        .column(rc::Column::Id)
        .filter(rc::Column::PublishId.eq(publish))
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(rp::Entity::find()
        .select_only()
        .column(rp::Column::PersonId)
        .filter(rp::Column::RecertificationId.is_in(ids))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Those `publish` reaches (in `scope`) that no recertification of it reaches yet.
pub async fn not_yet_reached(
    db: &impl ConnectionTrait,
    publish: &cp::Model,
    scope: Option<&Scope>,
) -> Result<Vec<Affected>, DbErr> {
    let reached = already_reached(db, publish.id).await?;
    Ok(certified_before(db, &publish.course_id, publish.published_at, scope)
        .await?
        .into_iter()
        .filter(|a| !reached.contains(&a.id))
        .collect())
}

/// Why a recertification was not opened.
#[derive(Debug)]
pub enum OpenRefused {
    /// No such publish, or a minor one.
    NotSubstantive,
    /// A newer substantive publish of the course came since: open it after that one.
    Newer,
    /// The course is gone, or has no exam.
    NoExam,
    /// The deadline is in the past.
    Deadline,
    /// Everyone it would reach is reached already (or no one was certified before).
    NoOne,
    Db(DbErr),
}

impl From<DbErr> for OpenRefused {
    fn from(e: DbErr) -> Self {
        OpenRefused::Db(e)
    }
}

/// A recertification that was opened.
#[derive(Debug, Clone, Copy)]
pub struct Opened {
    pub id: i64,
    pub people: usize,
}

/// The newest substantive publish of `course`.
pub async fn newest_substantive(db: &impl ConnectionTrait, course: &str) -> Result<Option<i64>, DbErr> {
    cp::Entity::find()
        .select_only()
        .column(cp::Column::Id)
        .filter(cp::Column::CourseId.eq(course))
        .filter(cp::Column::Kind.eq("substantive"))
        .order_by_desc(cp::Column::Id)
        .into_tuple()
        .one(db)
        .await
}

/// What `publish` and the substantive publishes of its course before it, made after `since`,
/// changed together: what an official certified at `since` has not read (None: `publish` alone).
pub async fn changes_since(
    db: &impl ConnectionTrait,
    publish: &cp::Model,
    since: Option<DateTime<Utc>>,
) -> Result<Changes, DbErr> {
    let one = |p: &cp::Model| serde_json::from_str::<Changes>(&p.changes).unwrap_or_default();
    let Some(since) = since else { return Ok(one(publish)) };
    let all = cp::Entity::find()
        .filter(cp::Column::CourseId.eq(&publish.course_id))
        .filter(cp::Column::Kind.eq("substantive"))
        .filter(cp::Column::Id.lte(publish.id))
        .filter(cp::Column::PublishedAt.gt(since))
        .all(db)
        .await?;
    let mut list: Vec<Changes> = all.iter().map(one).collect();
    list.push(one(publish));
    Ok(crate::domain::recert::merged(&list))
}

/// The substantive publish `id`, if it is one.
pub async fn substantive(db: &impl ConnectionTrait, id: i64) -> Result<Option<cp::Model>, DbErr> {
    Ok(cp::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| p.kind == "substantive"))
}

/// Opens a recertification after the substantive publish `publish_id` for everyone it reaches in
/// `scope` whom no recertification of it reaches yet: reread the changed lessons, pass a short
/// exam of `draw` questions, by `deadline`. `scope_agency` is recorded (None: everyone).
pub async fn open(
    state: &AppState,
    publish_id: i64,
    deadline: NaiveDate,
    draw: u32,
    scope: Option<&Scope>,
    by: (i64, &str),
) -> Result<Opened, OpenRefused> {
    let publish = substantive(&state.db, publish_id)
        .await?
        .ok_or(OpenRefused::NotSubstantive)?;
    if deadline < super::clock::today() {
        return Err(OpenRefused::Deadline);
    }
    if newest_substantive(&state.db, &publish.course_id).await? != Some(publish.id) {
        return Err(OpenRefused::Newer);
    }
    let loaded = state.content.get();
    let course = loaded.library.course(&publish.course_id).ok_or(OpenRefused::NoExam)?;
    // Whom it reaches is read before the write lock (a scan of the course's certificates);
    // inside, only those another opening reached meanwhile are left out.
    let people = not_yet_reached(&state.db, &publish, scope).await?;
    let what = changes_since(&state.db, &publish, people.iter().map(|a| a.certified_at).min()).await?;
    let p = plan(course, &what, draw).map_err(|NoPlan::NoExam| OpenRefused::NoExam)?;
    let tx = state.begin_write().await?;
    let reached = already_reached(&tx, publish.id).await?;
    let people: Vec<Affected> = people.into_iter().filter(|a| !reached.contains(&a.id)).collect();
    if people.is_empty() {
        return Err(OpenRefused::NoOne);
    }
    let id = rc::Entity::insert(rc::ActiveModel {
        course_id: Set(publish.course_id.clone()),
        publish_id: Set(publish.id),
        reason: Set(publish.reason.clone()),
        lessons: Set(serde_json::to_string(&p.lessons).unwrap_or_else(|_| "[]".into())),
        questions: Set(serde_json::to_string(&p.questions).unwrap_or_else(|_| "[]".into())),
        draw: Set(p.draw as i32),
        deadline: Set(deadline),
        scope_agency_id: Set(scope.map(|s| s.agency_id)),
        opened_by: Set(Some(by.0)),
        opened_at: Set(super::clock::now()),
        ..Default::default()
    })
    .exec(&tx)
    .await?
    .last_insert_id;
    let rows: Vec<rp::ActiveModel> = people
        .iter()
        .map(|a| rp::ActiveModel {
            recertification_id: Set(id),
            person_id: Set(a.id),
            completion_id: Set(None),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        rp::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&tx)
            .await?;
    }
    let event = super::audit::Event::new(
        super::audit::kind::RECERT_OPENED,
        serde_json::json!({
            "recertification": id, "course": publish.course_id, "publish": publish.id,
            "lessons": p.lessons, "questions": p.questions, "draw": p.draw,
            "deadline": deadline.to_string(), "people": people.len(),
            "scope_agency": scope.map(|s| s.agency_id),
        }),
    )
    .because(&publish.reason)
    .by(by.0, by.1);
    super::audit::append(&tx, event).await?;
    tx.commit().await?;
    tracing::info!(
        recertification = id,
        course = publish.course_id,
        people = people.len(),
        "recertification opened"
    );
    Ok(Opened {
        id,
        people: people.len(),
    })
}

/// The recertifications `person` still owes, newest first (every course).
pub async fn owed(db: &impl ConnectionTrait, person: i64) -> Result<Vec<rc::Model>, DbErr> {
    let ids: Vec<i64> = rp::Entity::find()
        .select_only()
        .column(rp::Column::RecertificationId)
        .filter(rp::Column::PersonId.eq(person))
        .filter(rp::Column::CompletionId.is_null())
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    rc::Entity::find()
        .filter(rc::Column::Id.is_in(ids))
        .order_by_desc(rc::Column::Id)
        .all(db)
        .await
}

/// The newest recertification of `course` that `person` still owes.
pub async fn owed_for(db: &impl ConnectionTrait, person: i64, course: &str) -> Result<Option<rc::Model>, DbErr> {
    Ok(owed(db, person).await?.into_iter().find(|r| r.course_id == course))
}

/// Whether `person` still owes recertification `id`.
pub async fn still_owed(db: &impl ConnectionTrait, person: i64, id: i64) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(rp::Entity::find()
        .filter(rp::Column::RecertificationId.eq(id))
        .filter(rp::Column::PersonId.eq(person))
        .filter(rp::Column::CompletionId.is_null())
        .count(db)
        .await?
        > 0)
}

/// `person`'s lessons of `course` read: (number, hash of the version read).
pub async fn lessons_read(db: &impl ConnectionTrait, person: i64, course: &str) -> Result<Vec<(u32, String)>, DbErr> {
    Ok(lesson_progress::Entity::find()
        .select_only()
        .columns([
            lesson_progress::Column::LessonNumber,
            lesson_progress::Column::LessonHash,
        ])
        .filter(lesson_progress::Column::PersonId.eq(person))
        .filter(lesson_progress::Column::CourseId.eq(course))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(n, h)| (u32::try_from(n).unwrap_or(0), h))
        .collect())
}

/// A completion of `course` by `person` on the version served at `version_at` (an exam attempt's
/// start; otherwise when it was completed) settles every recertification of it they owe that
/// follows a publish made by then. The statement the one writer of completions runs in its
/// transaction (in its batch: nothing is read first).
pub fn settle(
    person: i64,
    course: &str,
    completion: i64,
    version_at: DateTime<Utc>,
) -> sea_orm::UpdateMany<rp::Entity> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let settled_by_then = Query::select()
        .column((rc::Entity, rc::Column::Id))
        .from(rc::Entity)
        .inner_join(
            cp::Entity,
            Expr::col((cp::Entity, cp::Column::Id)).equals((rc::Entity, rc::Column::PublishId)),
        )
        .and_where(Expr::col((rc::Entity, rc::Column::CourseId)).eq(course))
        .and_where(Expr::col((cp::Entity, cp::Column::PublishedAt)).lte(version_at))
        .to_owned();
    rp::Entity::update_many()
        .col_expr(rp::Column::CompletionId, Expr::value(completion))
        .filter(rp::Column::PersonId.eq(person))
        .filter(rp::Column::CompletionId.is_null())
        .filter(rp::Column::RecertificationId.in_subquery(settled_by_then))
}

/// One recertification as its openers see it (only people in their scope counted).
#[derive(Debug, Clone)]
pub struct Progress {
    pub recert: rc::Model,
    pub total: usize,
    pub done: usize,
}

/// The recertifications following `publish`, with how many of those in `scope` passed.
pub async fn progress(db: &impl ConnectionTrait, publish: i64, scope: Option<&Scope>) -> Result<Vec<Progress>, DbErr> {
    let recerts = rc::Entity::find()
        .filter(rc::Column::PublishId.eq(publish))
        .order_by_asc(rc::Column::Id)
        .all(db)
        .await?;
    let agencies = agency_ids(db, scope).await?;
    let mut out = Vec::new();
    for r in recerts {
        let people: Vec<(i64, Option<i64>)> = rp::Entity::find()
            .select_only()
            .columns([rp::Column::PersonId, rp::Column::CompletionId])
            .filter(rp::Column::RecertificationId.eq(r.id))
            .into_tuple()
            .all(db)
            .await?;
        let in_scope: Vec<(i64, Option<i64>)> = match &agencies {
            None => people,
            Some(a) => {
                let mut kept = Vec::new();
                for chunk in people.chunks(500) {
                    let ids: Vec<i64> = chunk.iter().map(|(p, _)| *p).collect();
                    let of: HashMap<i64, i64> = person::Entity::find()
                        .select_only()
                        .columns([person::Column::Id, person::Column::AgencyId])
                        .filter(person::Column::Id.is_in(ids))
                        .into_tuple::<(i64, i64)>()
                        .all(db)
                        .await?
                        .into_iter()
                        .collect();
                    kept.extend(chunk.iter().filter(|(p, _)| of.get(p).is_some_and(|ag| a.contains(ag))));
                }
                kept
            }
        };
        if in_scope.is_empty() {
            continue;
        }
        out.push(Progress {
            total: in_scope.len(),
            done: in_scope.iter().filter(|(_, c)| c.is_some()).count(),
            recert: r,
        });
    }
    Ok(out)
}

/// Officials of `scope` holding a valid certificate of `course`, and of those how many earned it
/// on the current substantive version (at or after `since`, the newest substantive publish).
pub async fn current_version(
    db: &impl ConnectionTrait,
    course: &str,
    since: DateTime<Utc>,
    scope: Option<&Scope>,
) -> Result<(usize, usize), DbErr> {
    let behind = certified_before(db, course, since, scope).await?.len();
    let today = super::clock::today();
    let holders: Vec<(i64, Option<NaiveDate>)> = certificate::Entity::find()
        .select_only()
        .columns([certificate::Column::PersonId, certificate::Column::ValidUntil])
        .filter(certificate::Column::CourseId.eq(course))
        .filter(certificate::Column::RevokedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let holders: BTreeSet<i64> = holders
        .into_iter()
        .filter(|(_, u)| u.is_none_or(|u| u >= today))
        .map(|(p, _)| p)
        .collect();
    let agencies = agency_ids(db, scope).await?;
    let holders = match agencies {
        None => holders.len(),
        Some(a) => {
            let ids: Vec<i64> = holders.into_iter().collect();
            let mut n = 0;
            for chunk in ids.chunks(500) {
                let of: Vec<i64> = person::Entity::find()
                    .select_only()
                    .column(person::Column::AgencyId)
                    .filter(person::Column::Id.is_in(chunk.to_vec()))
                    .into_tuple()
                    .all(db)
                    .await?;
                n += of.iter().filter(|ag| a.contains(ag)).count();
            }
            n
        }
    };
    Ok((holders, holders.saturating_sub(behind)))
}

/// Whom `user` may open a recertification of `course` for: `Some(None)` everyone it reaches (the
/// admin, a trainer of the course), `Some(Some(scope))` those in a manager's subtree, `None`
/// no one.
pub fn opener_scope<'a>(user: &'a AuthUser, course: &str) -> Option<Option<&'a Scope>> {
    use crate::domain::identity::Role;
    if super::itemstats::may_see(user, course) {
        Some(None)
    } else if user.holds(Role::Manager) {
        user.view_scope().ok()
    } else {
        None
    }
}

/// The newest substantive publishes (at most `limit`), newest first.
pub async fn substantive_publishes(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<cp::Model>, DbErr> {
    cp::Entity::find()
        .filter(cp::Column::Kind.eq("substantive"))
        .order_by_desc(cp::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
