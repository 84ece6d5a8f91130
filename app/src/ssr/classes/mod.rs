//! In-person classes (lớp tập huấn): creating one, inviting a unit, attendance (the trainer's
//! checklist, the official's QR check-in, a sign-in sheet), the in-class exam's scores, and the
//! completion a class earns, written by the one completion writer in the same transaction as
//! the attendance or score that decided it.
//!
//! Who runs a class: the admin; a manager whose subtree holds the invited unit; a trainer of
//! its course. Every server function and form route asks [`runnable`].

pub mod web;

use super::auth::AuthUser;
use super::completions::{NewCompletion, record_completion};
use super::db::entities::{agency, class, class_attendance, class_enrolment, class_session, completion, person};
use super::db::queries;
use super::state::AppState;
use crate::domain::class::{
    self as rules, CheckinView, ClassDetail, ClassPlan, ClassRule, ClassSummary, CodeCheck, FormProblem, MyClass,
    Participant, QrView, SessionView, Standing,
};
use crate::domain::identity::Role;
use chrono::{DateTime, TimeZone, Utc};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use std::collections::{HashMap, HashSet};

/// Why a class action is refused.
#[derive(Debug)]
pub enum ClassError {
    NotFound,
    Forbidden,
    /// The form, with what to write instead.
    Problems(Vec<FormProblem>),
    /// Something the person can correct: a key of `domain::class::problem_text`.
    Invalid(&'static str),
    /// The uploaded sign-in sheet's problems, each at its line and column. Nothing was applied.
    Sheet(Vec<crate::domain::roster::FileError>),
    /// A check-in the official cannot make, and why.
    Checkin(CheckinRefusal),
    Db(DbErr),
}

impl From<DbErr> for ClassError {
    fn from(e: DbErr) -> Self {
        ClassError::Db(e)
    }
}

// ---- Who may run a class --------------------------------------------------------------------

/// The courses class `c` completes.
pub fn courses_of(c: &class::Model) -> Result<Vec<String>, DbErr> {
    Ok(super::db::entities::json_column(
        "classes",
        c.id,
        "course_ids",
        &c.course_ids,
    )?)
}

/// Whether `user` runs classes of `course_ids` for the unit at `agency_path`: the admin; a
/// trainer of every one of the courses; a manager whose subtree holds the unit.
fn may_run(user: &AuthUser, course_ids: &[String], agency_path: &str) -> bool {
    if user.holds(Role::Admin) {
        return true;
    }
    if user.holds(Role::Trainer)
        && user
            .courses
            .as_ref()
            .is_some_and(|c| course_ids.iter().all(|id| c.allows(id)))
    {
        return true;
    }
    user.holds(Role::Manager) && user.scope.as_ref().is_some_and(|s| agency_path.starts_with(&s.path))
}

/// Whether `user` may create classes at all (and so sees the "new class" button).
pub fn may_create(user: &AuthUser) -> bool {
    user.holds_any(&[Role::Admin, Role::Manager, Role::Trainer])
}

/// The class `id`, if `user` runs it.
pub async fn runnable(db: &impl ConnectionTrait, user: &AuthUser, id: i64) -> Result<class::Model, ClassError> {
    let c = class::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ClassError::NotFound)?;
    let a = agency::Entity::find_by_id(c.agency_id)
        .one(db)
        .await?
        .ok_or(ClassError::NotFound)?;
    if may_run(user, &courses_of(&c)?, &a.path) {
        Ok(c)
    } else {
        Err(ClassError::Forbidden)
    }
}

/// The session `id` and its class, if `user` runs the class.
pub async fn runnable_session(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    id: i64,
) -> Result<(class::Model, class_session::Model), ClassError> {
    let s = class_session::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ClassError::NotFound)?;
    let c = runnable(db, user, s.class_id).await?;
    Ok((c, s))
}

// ---- Check-in codes -------------------------------------------------------------------------

/// The check-in code of session `session_id` in window `window`: an HMAC under the server's
/// secret, so only the server (every node alike) can make one.
pub fn code_at(state: &AppState, session_id: i64, window: i64) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&state.config.jwt_secret).expect("HMAC takes any key length");
    mac.update(format!("taphuan-checkin/{session_id}/{window}").as_bytes());
    rules::code_from_mac(&mac.finalize().into_bytes())
}

fn window_now() -> i64 {
    rules::window_of(super::clock::now().timestamp())
}

// ---- Reading --------------------------------------------------------------------------------

fn local(t: DateTime<Utc>) -> chrono::DateTime<chrono::FixedOffset> {
    t.with_timezone(&super::clock::zone())
}

fn session_view(s: &class_session::Model) -> SessionView {
    let (a, b) = (local(s.starts_at), local(s.ends_at));
    SessionView {
        id: s.id,
        date: a.date_naive(),
        start: a.format("%H:%M").to_string(),
        end: b.format("%H:%M").to_string(),
        place: s.place.clone(),
    }
}

async fn sessions_of(
    db: &impl ConnectionTrait,
    class_ids: &[i64],
) -> Result<HashMap<i64, Vec<class_session::Model>>, DbErr> {
    let mut out: HashMap<i64, Vec<class_session::Model>> = HashMap::new();
    if class_ids.is_empty() {
        return Ok(out);
    }
    for s in class_session::Entity::find()
        .filter(class_session::Column::ClassId.is_in(class_ids.to_vec()))
        .order_by_asc(class_session::Column::StartsAt)
        .order_by_asc(class_session::Column::Id)
        .all(db)
        .await?
    {
        out.entry(s.class_id).or_default().push(s);
    }
    Ok(out)
}

async fn summaries(state: &AppState, classes: Vec<class::Model>) -> Result<Vec<ClassSummary>, DbErr> {
    let ids: Vec<i64> = classes.iter().map(|c| c.id).collect();
    let mut sessions = sessions_of(&state.db, &ids).await?;
    let names = queries::agency_names(&state.db).await?;
    let titles = super::content::titles(state);
    let mut counts: HashMap<(i64, String), u32> = HashMap::new();
    if !ids.is_empty() {
        for e in class_enrolment::Entity::find()
            .filter(class_enrolment::Column::ClassId.is_in(ids.clone()))
            .all(&state.db)
            .await?
        {
            *counts.entry((e.class_id, e.status)).or_default() += 1;
        }
    }
    classes
        .into_iter()
        .map(|c| {
            let n = |s: &str| counts.get(&(c.id, s.to_string())).copied().unwrap_or(0);
            let course_ids = courses_of(&c)?;
            Ok(ClassSummary {
                id: c.id,
                course_titles: course_ids
                    .iter()
                    .map(|id| titles.get(id).cloned().unwrap_or_else(|| id.clone()))
                    .collect(),
                agency: names.get(&c.agency_id).cloned().unwrap_or_default(),
                rule: ClassRule::parse(&c.rule).unwrap_or(ClassRule::Attendance),
                capacity: c.capacity,
                enrolled: n("enrolled") + n("walk_in"),
                waiting: n("waiting"),
                sessions: sessions
                    .remove(&c.id)
                    .unwrap_or_default()
                    .iter()
                    .map(session_view)
                    .collect(),
                cancelled: c.cancelled_at.is_some(),
                title: c.title,
                trainers: c.trainers,
                course_ids,
            })
        })
        .collect()
}

/// The classes `user` runs, newest first (at most 200).
pub async fn run_by(state: &AppState, user: &AuthUser) -> Result<Vec<ClassSummary>, DbErr> {
    let paths: HashMap<i64, String> = agency::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.path))
        .collect();
    let rows: Vec<class::Model> = class::Entity::find()
        .order_by_desc(class::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|c| {
            paths
                .get(&c.agency_id)
                .is_some_and(|p| courses_of(c).is_ok_and(|ids| may_run(user, &ids, p)))
        })
        .take(200)
        .collect();
    summaries(state, rows).await
}

/// The classes `person_id` is invited to, waits for or walked into (not cancelled ones).
pub async fn of_person(state: &AppState, person_id: i64) -> Result<Vec<MyClass>, DbErr> {
    let mine: Vec<class_enrolment::Model> = class_enrolment::Entity::find()
        .filter(class_enrolment::Column::PersonId.eq(person_id))
        .filter(class_enrolment::Column::Status.ne("cancelled"))
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = mine.iter().map(|e| e.class_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let classes = class::Entity::find()
        .filter(class::Column::Id.is_in(ids.clone()))
        .order_by_desc(class::Column::Id)
        .all(&state.db)
        .await?;
    let done: HashSet<i64> = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(person_id))
        .filter(completion::Column::ClassId.is_in(ids.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|c| c.class_id)
        .collect();
    let attended = attendance_of(&state.db, &ids, Some(person_id)).await?;
    let models: HashMap<i64, class::Model> = classes.iter().map(|c| (c.id, c.clone())).collect();
    let mut out = Vec::new();
    for s in summaries(state, classes).await? {
        let Some(e) = mine.iter().find(|e| e.class_id == s.id) else {
            continue;
        };
        let c = &models[&s.id];
        let n = s
            .sessions
            .iter()
            .filter(|x| attended.contains_key(&(x.id, person_id)))
            .count() as u32;
        out.push(MyClass {
            standing: rules::standing(
                ClassRule::parse(&c.rule).unwrap_or(ClassRule::Attendance),
                s.sessions.len() as u32,
                n,
                c.min_attendance_percent as u32,
                e.exam_score,
                c.pass_percent,
            ),
            completed: done.contains(&s.id),
            status: e.status.clone(),
            attended: n,
            summary: s,
        });
    }
    Ok(out)
}

/// (session, person) → how the presence was recorded, for the classes `class_ids`.
async fn attendance_of(
    db: &impl ConnectionTrait,
    class_ids: &[i64],
    person_id: Option<i64>,
) -> Result<HashMap<(i64, i64), String>, DbErr> {
    let sessions: Vec<i64> = class_session::Entity::find()
        .filter(class_session::Column::ClassId.is_in(class_ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    if sessions.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = class_attendance::Entity::find().filter(class_attendance::Column::SessionId.is_in(sessions));
    if let Some(p) = person_id {
        q = q.filter(class_attendance::Column::PersonId.eq(p));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|a| ((a.session_id, a.person_id), a.method))
        .collect())
}

/// The class page: its sessions and every official of it with their attendance and standing.
pub async fn detail(state: &AppState, c: class::Model) -> Result<ClassDetail, DbErr> {
    let (min, pass, rule) = (
        c.min_attendance_percent,
        c.pass_percent,
        ClassRule::parse(&c.rule).unwrap_or(ClassRule::Attendance),
    );
    let id = c.id;
    let summary = summaries(state, vec![c]).await?.remove(0);
    let enrolments = class_enrolment::Entity::find()
        .filter(class_enrolment::Column::ClassId.eq(id))
        .all(&state.db)
        .await?;
    let pids: Vec<i64> = enrolments.iter().map(|e| e.person_id).collect();
    let people: HashMap<i64, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(pids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let names = queries::agency_names(&state.db).await?;
    let attended = attendance_of(&state.db, &[id], None).await?;
    let done: HashSet<i64> = completion::Entity::find()
        .filter(completion::Column::ClassId.eq(id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| c.person_id)
        .collect();
    let total = summary.sessions.len() as u32;
    let mut out: Vec<Participant> = enrolments
        .into_iter()
        .filter_map(|e| {
            let p = people.get(&e.person_id)?;
            let marks: Vec<Option<String>> = summary
                .sessions
                .iter()
                .map(|s| attended.get(&(s.id, p.id)).cloned())
                .collect();
            let n = marks.iter().filter(|m| m.is_some()).count() as u32;
            Some(Participant {
                person_id: p.id,
                code: p.code.clone(),
                name: p.full_name.clone(),
                agency: names.get(&p.agency_id).cloned().unwrap_or_default(),
                standing: rules::standing(rule, total, n, min as u32, e.exam_score, pass),
                status: e.status,
                attended: marks,
                score: e.exam_score,
                completed: done.contains(&p.id),
            })
        })
        .collect();
    let order = |s: &str| match s {
        "walk_in" => 0,
        "enrolled" => 1,
        "waiting" => 2,
        _ => 3,
    };
    out.sort_by(|a, b| {
        order(&a.status)
            .cmp(&order(&b.status))
            .then_with(|| rules::name_key(&a.name).cmp(&rules::name_key(&b.name)))
    });
    Ok(ClassDetail {
        summary,
        min_attendance_percent: min,
        pass_percent: pass,
        people: out,
    })
}

/// The projector page of a session: the current code in a QR code that opens the check-in page.
pub fn qr(state: &AppState, base_url: &str, c: &class::Model, s: &class_session::Model) -> QrView {
    let now = super::clock::now().timestamp();
    let code = code_at(state, s.id, rules::window_of(now));
    let url = format!("{base_url}/checkin/{}?c={code}", s.id);
    QrView {
        class_id: c.id,
        title: c.title.clone(),
        session: session_view(s),
        svg: super::certs::qr_svg(&url),
        url,
        code,
        refresh_secs: rules::secs_to_next_window(now),
    }
}

/// The check-in page of session `session_id` for official `person_id`.
pub async fn checkin_view(state: &AppState, session_id: i64, person_id: i64) -> Result<CheckinView, ClassError> {
    let s = class_session::Entity::find_by_id(session_id)
        .one(&state.db)
        .await?
        .ok_or(ClassError::NotFound)?;
    let c = class::Entity::find_by_id(s.class_id)
        .one(&state.db)
        .await?
        .ok_or(ClassError::NotFound)?;
    let e = enrolment(&state.db, c.id, person_id).await?;
    let here = class_attendance::Entity::find()
        .filter(class_attendance::Column::SessionId.eq(s.id))
        .filter(class_attendance::Column::PersonId.eq(person_id))
        .one(&state.db)
        .await?;
    let titles = super::content::titles(state);
    Ok(CheckinView {
        course_titles: courses_of(&c)?
            .iter()
            .map(|id| titles.get(id).cloned().unwrap_or_else(|| id.clone()))
            .collect(),
        title: c.title,
        session: session_view(&s),
        status: e.map(|e| e.status),
        checked_in: here.is_some(),
        cancelled: c.cancelled_at.is_some(),
    })
}

async fn enrolment(
    db: &impl ConnectionTrait,
    class_id: i64,
    person_id: i64,
) -> Result<Option<class_enrolment::Model>, DbErr> {
    class_enrolment::Entity::find()
        .filter(class_enrolment::Column::ClassId.eq(class_id))
        .filter(class_enrolment::Column::PersonId.eq(person_id))
        .one(db)
        .await
}

// ---- Writing --------------------------------------------------------------------------------

/// How an invitation went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Invited {
    pub enrolled: usize,
    pub waiting: usize,
    /// Already completed the course: not invited.
    pub trained: usize,
}

/// Creates the class and invites its unit. Returns the class's id.
pub async fn create(state: &AppState, user: &AuthUser, plan: ClassPlan) -> Result<(i64, Invited), ClassError> {
    let library = state.content.get();
    if plan.course_ids.iter().any(|id| library.library.course(id).is_none()) {
        return Err(ClassError::Problems(vec![FormProblem {
            field: "course_id".into(),
            vi: "Chọn một khoá học có trong thư viện.".into(),
            en: "Choose a course of the library.".into(),
        }]));
    }
    let unit = agency::Entity::find_by_id(plan.agency_id)
        .one(&state.db)
        .await?
        .ok_or(ClassError::Forbidden)?;
    if !may_run(user, &plan.course_ids, &unit.path) {
        return Err(ClassError::Forbidden);
    }
    let zone = super::clock::zone();
    let at = |d: chrono::NaiveDate, t: chrono::NaiveTime| {
        zone.from_local_datetime(&d.and_time(t))
            .single()
            .map(|x| x.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&d.and_time(t)))
    };
    let now = super::clock::now();
    let tx = state.begin_write().await?;
    let c = class::ActiveModel {
        title: Set(plan.title),
        trainers: Set(plan.trainers),
        course_ids: Set(serde_json::to_string(&plan.course_ids).map_err(|e| DbErr::Custom(e.to_string()))?),
        agency_id: Set(unit.id),
        capacity: Set(plan.capacity),
        rule: Set(plan.rule.as_str().into()),
        min_attendance_percent: Set(plan.min_attendance_percent),
        pass_percent: Set(plan.pass_percent),
        created_by: Set(user.account_id),
        created_at: Set(now),
        cancelled_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for s in &plan.sessions {
        class_session::ActiveModel {
            class_id: Set(c.id),
            starts_at: Set(at(s.date, s.start)),
            ends_at: Set(at(s.date, s.end)),
            place: Set(s.place.clone()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    let invited = invite(&tx, &c, &unit, now).await?;
    tx.commit().await?;
    tracing::info!(class = c.id, courses = %c.course_ids, agency = unit.id, ?invited, "class created");
    Ok((c.id, invited))
}

/// Invites the unit `unit` (its whole subtree) to class `c`: each active official who has not
/// completed the course yet is enrolled while places last, then put on the waiting list.
/// Officials already in the class keep their place.
pub async fn invite_unit(
    state: &AppState,
    user: &AuthUser,
    c: &class::Model,
    agency_id: i64,
) -> Result<Invited, ClassError> {
    let unit = agency::Entity::find_by_id(agency_id)
        .one(&state.db)
        .await?
        .ok_or(ClassError::Forbidden)?;
    // A manager invites inside their own subtree; a trainer or the admin anywhere.
    if !may_run(user, &courses_of(c)?, &unit.path) {
        return Err(ClassError::Forbidden);
    }
    let tx = state.begin_write().await?;
    let invited = invite(&tx, c, &unit, super::clock::now()).await?;
    tx.commit().await?;
    Ok(invited)
}

async fn taken(db: &impl ConnectionTrait, class_id: i64) -> Result<usize, DbErr> {
    Ok(class_enrolment::Entity::find()
        .filter(class_enrolment::Column::ClassId.eq(class_id))
        .filter(class_enrolment::Column::Status.is_in(["enrolled", "walk_in"]))
        .count(db)
        .await? as usize)
}

async fn invite(
    tx: &impl ConnectionTrait,
    c: &class::Model,
    unit: &agency::Model,
    now: DateTime<Utc>,
) -> Result<Invited, DbErr> {
    let paths: HashMap<i64, String> = agency::Entity::find()
        .filter(agency::Column::Path.starts_with(&unit.path))
        .all(tx)
        .await?
        .into_iter()
        .map(|a| (a.id, a.path))
        .collect();
    let agencies: Vec<i64> = paths.keys().copied().collect();
    let mut people: Vec<person::Model> = Vec::new();
    for chunk in agencies.chunks(500) {
        people.extend(
            person::Entity::find()
                .filter(person::Column::AgencyId.is_in(chunk.to_vec()))
                .filter(person::Column::Active.eq(true))
                .all(tx)
                .await?,
        );
    }
    // Those a program requires one of the class's courses of come first (places are limited),
    // then everyone else; by name within each.
    let courses = courses_of(c)?;
    let programs: Vec<_> = super::learning::program_rules(tx)
        .await?
        .into_iter()
        .filter(|r| r.course_ids.iter().any(|id| courses.contains(id)))
        .collect();
    people.sort_by_cached_key(|p| {
        let who = crate::domain::assignment::Official {
            agency_path: paths.get(&p.agency_id).cloned().unwrap_or_default(),
            position: p.position.clone(),
            enforcement: p.enforcement,
        };
        (
            !programs.iter().any(|r| r.contains(&who)),
            rules::name_key(&p.full_name),
        )
    });
    // Trained: has completed every course of the class already.
    let mut done: HashMap<i64, HashSet<String>> = HashMap::new();
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    for chunk in ids.chunks(2000) {
        for x in completion::Entity::find()
            .filter(completion::Column::CourseId.is_in(courses.clone()))
            .filter(completion::Column::PersonId.is_in(chunk.to_vec()))
            .all(tx)
            .await?
        {
            done.entry(x.person_id).or_default().insert(x.course_id);
        }
    }
    let trained: HashSet<i64> = done
        .into_iter()
        .filter(|(_, d)| courses.iter().all(|c| d.contains(c)))
        .map(|(p, _)| p)
        .collect();
    let existing: HashMap<i64, class_enrolment::Model> = class_enrolment::Entity::find()
        .filter(class_enrolment::Column::ClassId.eq(c.id))
        .all(tx)
        .await?
        .into_iter()
        .map(|e| (e.person_id, e))
        .collect();
    let mut seats = taken(tx, c.id).await?;
    let mut out = Invited::default();
    for p in people {
        if trained.contains(&p.id) {
            out.trained += 1;
            continue;
        }
        let status = if seats < c.capacity as usize {
            "enrolled"
        } else {
            "waiting"
        };
        match existing.get(&p.id) {
            Some(e) if e.status != "cancelled" => continue,
            Some(e) => {
                let mut m = e.clone().into_active_model();
                m.status = Set(status.into());
                m.updated_at = Set(now);
                m.update(tx).await?;
            }
            None => {
                insert_enrolment(tx, c.id, p.id, status.into(), now).await?;
            }
        }
        if status == "enrolled" {
            seats += 1;
            out.enrolled += 1;
        } else {
            out.waiting += 1;
        }
    }
    Ok(out)
}

async fn insert_enrolment(
    tx: &impl ConnectionTrait,
    class_id: i64,
    person_id: i64,
    status: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    class_enrolment::ActiveModel {
        class_id: Set(class_id),
        person_id: Set(person_id),
        status: Set(status),
        exam_score: Set(None),
        scored_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// Enrols one official by their code (a place if one is free, else the waiting list).
pub async fn enrol_code(
    state: &AppState,
    user: &AuthUser,
    c: &class::Model,
    code: &str,
) -> Result<&'static str, ClassError> {
    let p = person::Entity::find()
        .filter(person::Column::Code.eq(code.trim()))
        .one(&state.db)
        .await?
        .ok_or(ClassError::Invalid("unknown_code"))?;
    let a = agency::Entity::find_by_id(p.agency_id)
        .one(&state.db)
        .await?
        .ok_or(ClassError::NotFound)?;
    if !may_run(user, &courses_of(c)?, &a.path) {
        return Err(ClassError::Invalid("out_of_scope"));
    }
    let tx = state.begin_write().await?;
    let now = super::clock::now();
    let status = if taken(&tx, c.id).await? < c.capacity as usize {
        "enrolled"
    } else {
        "waiting"
    };
    match enrolment(&tx, c.id, p.id).await? {
        Some(e) if e.status != "cancelled" => {
            return Err(ClassError::Invalid("already_in"));
        }
        Some(e) => {
            let mut m = e.into_active_model();
            m.status = Set(status.into());
            m.updated_at = Set(now);
            m.update(&tx).await?;
        }
        None => {
            insert_enrolment(&tx, c.id, p.id, status.into(), now).await?;
        }
    }
    tx.commit().await?;
    Ok(status)
}

/// Cancels an official's place; the first on the waiting list takes it.
pub async fn cancel(state: &AppState, c: &class::Model, person_id: i64) -> Result<(), ClassError> {
    let tx = state.begin_write().await?;
    let e = enrolment(&tx, c.id, person_id).await?.ok_or(ClassError::NotFound)?;
    let had_seat = matches!(e.status.as_str(), "enrolled" | "walk_in");
    let now = super::clock::now();
    let mut m = e.into_active_model();
    m.status = Set("cancelled".into());
    m.updated_at = Set(now);
    m.update(&tx).await?;
    if had_seat
        && let Some(next) = class_enrolment::Entity::find()
            .filter(class_enrolment::Column::ClassId.eq(c.id))
            .filter(class_enrolment::Column::Status.eq("waiting"))
            .order_by_asc(class_enrolment::Column::CreatedAt)
            .order_by_asc(class_enrolment::Column::Id)
            .one(&tx)
            .await?
    {
        let mut m = next.into_active_model();
        m.status = Set("enrolled".into());
        m.updated_at = Set(now);
        m.update(&tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Confirms a walk-in: they become an official of the class, and their check-ins count.
pub async fn confirm_walk_in(state: &AppState, c: &class::Model, person_id: i64) -> Result<(), ClassError> {
    let tx = state.begin_write().await?;
    let e = enrolment(&tx, c.id, person_id).await?.ok_or(ClassError::NotFound)?;
    if e.status != "walk_in" {
        // Confirmed already (a second click): nothing to do.
        return Ok(());
    }
    let mut m = e.into_active_model();
    m.status = Set("enrolled".into());
    m.updated_at = Set(super::clock::now());
    m.update(&tx).await?;
    settle(&tx, state, c, person_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a presence once; false when it was already recorded.
async fn attend(
    tx: &impl ConnectionTrait,
    session_id: i64,
    person_id: i64,
    method: &str,
    by: i64,
) -> Result<bool, DbErr> {
    let n = class_attendance::Entity::insert(class_attendance::ActiveModel {
        session_id: Set(session_id),
        person_id: Set(person_id),
        method: Set(method.into()),
        recorded_by: Set(by),
        recorded_at: Set(super::clock::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([class_attendance::Column::SessionId, class_attendance::Column::PersonId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(tx)
    .await?;
    Ok(n > 0)
}

/// The trainer's checklist for one session: each ticked official of the class is marked present.
/// Returns how many were newly marked.
pub async fn checklist(
    state: &AppState,
    user: &AuthUser,
    c: &class::Model,
    s: &class_session::Model,
    present: &[i64],
) -> Result<usize, ClassError> {
    let tx = state.begin_write().await?;
    let members: HashSet<i64> = class_enrolment::Entity::find()
        .filter(class_enrolment::Column::ClassId.eq(c.id))
        .filter(class_enrolment::Column::Status.eq("enrolled"))
        .all(&tx)
        .await?
        .into_iter()
        .map(|e| e.person_id)
        .collect();
    let mut n = 0;
    for pid in present.iter().filter(|p| members.contains(p)) {
        if attend(&tx, s.id, *pid, "checklist", user.account_id).await? {
            n += 1;
            settle(&tx, state, c, *pid).await?;
        }
    }
    tx.commit().await?;
    Ok(n)
}

/// The in-class exam's scores (person → score, None = clear). All or nothing.
pub async fn set_scores(
    state: &AppState,
    user: &AuthUser,
    c: &class::Model,
    scores: &[(i64, Option<i32>)],
) -> Result<usize, ClassError> {
    if scores.iter().any(|(_, s)| s.is_some_and(|s| !(0..=100).contains(&s))) {
        return Err(ClassError::Invalid("bad_score"));
    }
    let tx = state.begin_write().await?;
    let now = super::clock::now();
    let mut n = 0;
    for (pid, score) in scores {
        let Some(e) = enrolment(&tx, c.id, *pid).await? else {
            continue;
        };
        if e.status != "enrolled" || e.exam_score == *score {
            continue;
        }
        let mut m = e.into_active_model();
        m.exam_score = Set(*score);
        m.scored_by = Set(Some(user.account_id));
        m.updated_at = Set(now);
        m.update(&tx).await?;
        n += 1;
        settle(&tx, state, c, *pid).await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// Completes the course for `person_id` if the class's rule is now met and the class has not
/// completed it for them already: through the one completion writer, in the caller's transaction.
async fn settle(tx: &impl ConnectionTrait, state: &AppState, c: &class::Model, person_id: i64) -> Result<(), DbErr> {
    let Some(e) = enrolment(tx, c.id, person_id).await? else {
        return Ok(());
    };
    if e.status != "enrolled" || c.cancelled_at.is_some() {
        return Ok(());
    }
    let sessions: Vec<i64> = class_session::Entity::find()
        .filter(class_session::Column::ClassId.eq(c.id))
        .all(tx)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let attended = class_attendance::Entity::find()
        .filter(class_attendance::Column::SessionId.is_in(sessions.clone()))
        .filter(class_attendance::Column::PersonId.eq(person_id))
        .count(tx)
        .await? as u32;
    let rule = ClassRule::parse(&c.rule).unwrap_or(ClassRule::Attendance);
    let standing = rules::standing(
        rule,
        sessions.len() as u32,
        attended,
        c.min_attendance_percent as u32,
        e.exam_score,
        c.pass_percent,
    );
    if standing != Standing::Met {
        return Ok(());
    }
    // Each course of the class, once per class.
    let already: HashSet<String> = completion::Entity::find()
        .filter(completion::Column::ClassId.eq(c.id))
        .filter(completion::Column::PersonId.eq(person_id))
        .all(tx)
        .await?
        .into_iter()
        .map(|x| x.course_id)
        .collect();
    let loaded = state.content.get();
    for id in courses_of(c)?.iter().filter(|id| !already.contains(*id)) {
        let Some(course) = loaded.library.course(id) else {
            tracing::warn!(class = c.id, course = %id, "a class's course is not in the library: no completion");
            continue;
        };
        record_completion(
            tx,
            NewCompletion {
                person_id,
                course_id: id,
                course_hash: &course.hash,
                score_percent: e.exam_score,
                completed_at: super::clock::now(),
                source: "class",
                attempt_id: None,
                attempt_started_at: None,
                class_id: Some(c.id),
                validity_months: course.meta.validity_months,
            },
        )
        .await?;
    }
    Ok(())
}

/// What a check-in did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkin {
    /// Present, counted.
    Recorded,
    /// Not an official of the class: present, waiting for the trainer to confirm them.
    WalkIn,
}

/// Why a check-in is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinRefusal {
    Expired,
    WrongCode,
    Twice,
    ClassCancelled,
    /// Too many wrong codes from this account: it waits before trying again.
    TooMany,
}

/// An official checks in to a session with the code from the projector.
pub async fn checkin(
    state: &AppState,
    user: &AuthUser,
    person_id: i64,
    session_id: i64,
    code: &str,
) -> Result<Checkin, ClassError> {
    let refuse = |r: CheckinRefusal| -> Result<Checkin, ClassError> { Err(ClassError::Checkin(r)) };
    let Some(s) = class_session::Entity::find_by_id(session_id).one(&state.db).await? else {
        return Err(ClassError::NotFound);
    };
    let Some(c) = class::Entity::find_by_id(s.class_id).one(&state.db).await? else {
        return Err(ClassError::NotFound);
    };
    if c.cancelled_at.is_some() {
        return refuse(CheckinRefusal::ClassCancelled);
    }
    // Guessing eight digits: after five wrong codes an account waits 2, 4, 8 … s (at most
    // 15 min) before any code of it is looked at (`ssr::throttle`, as for sign-ins).
    let guesses = [format!("checkin:{}", user.account_id)];
    if state.throttle.check(&guesses).is_err() {
        return refuse(CheckinRefusal::TooMany);
    }
    match rules::check_code(code, window_now(), |w| code_at(state, s.id, w)) {
        CodeCheck::Current => {}
        CodeCheck::Expired => return refuse(CheckinRefusal::Expired),
        CodeCheck::Wrong => {
            state.throttle.fail(&guesses);
            return refuse(CheckinRefusal::WrongCode);
        }
    }
    let tx = state.begin_write().await?;
    let now = super::clock::now();
    let walk_in = match enrolment(&tx, c.id, person_id).await? {
        Some(e) if e.status == "enrolled" => false,
        Some(e) if e.status == "walk_in" => true,
        Some(e) => {
            let mut m = e.into_active_model();
            m.status = Set("walk_in".into());
            m.updated_at = Set(now);
            m.update(&tx).await?;
            true
        }
        None => {
            insert_enrolment(&tx, c.id, person_id, "walk_in".into(), now).await?;
            true
        }
    };
    if !attend(&tx, s.id, person_id, "qr", user.account_id).await? {
        tx.rollback().await?;
        return refuse(CheckinRefusal::Twice);
    }
    if !walk_in {
        settle(&tx, state, &c, person_id).await?;
    }
    tx.commit().await?;
    tracing::info!(class = c.id, session = s.id, person = person_id, walk_in, "checked in");
    Ok(if walk_in { Checkin::WalkIn } else { Checkin::Recorded })
}

impl CheckinRefusal {
    /// Its key in `domain::class::problem_text`.
    pub fn key(self) -> &'static str {
        match self {
            CheckinRefusal::Expired => "expired",
            CheckinRefusal::WrongCode => "wrong_code",
            CheckinRefusal::Twice => "twice",
            CheckinRefusal::ClassCancelled => "cancelled",
            CheckinRefusal::TooMany => "too_many",
        }
    }
}

/// A filled-in sign-in sheet (CSV text) for class `c`: every code must be an official of the
/// class; then each "present" mark is recorded (method `sheet`) and completions follow. All or
/// nothing. Returns how many presences were new.
pub async fn apply_sheet(state: &AppState, user: &AuthUser, c: &class::Model, text: &str) -> Result<usize, ClassError> {
    use crate::domain::roster::{FileError, Said};
    let sessions: Vec<class_session::Model> = class_session::Entity::find()
        .filter(class_session::Column::ClassId.eq(c.id))
        .order_by_asc(class_session::Column::StartsAt)
        .order_by_asc(class_session::Column::Id)
        .all(&state.db)
        .await?;
    let rows = rules::read_sheet(text, sessions.len()).map_err(ClassError::Sheet)?;
    let members: HashMap<i64, String> = class_enrolment::Entity::find()
        .filter(class_enrolment::Column::ClassId.eq(c.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| (e.person_id, e.status))
        .collect();
    let codes: Vec<String> = rows.iter().map(|r| r.code.clone()).collect();
    let mut by_code: HashMap<String, i64> = HashMap::new();
    for chunk in codes.chunks(1000) {
        for p in person::Entity::find()
            .filter(person::Column::Code.is_in(chunk.to_vec()))
            .all(&state.db)
            .await?
        {
            by_code.insert(p.code, p.id);
        }
    }
    let mut errors = Vec::new();
    let mut marks: Vec<(i64, i64)> = Vec::new();
    let mut scores: Vec<(i64, i32)> = Vec::new();
    for r in &rows {
        let at = |what: Said, hint: Said| FileError {
            line: r.line,
            column: r.code_column,
            header: r.code_header.clone(),
            what,
            hint,
        };
        match by_code.get(&r.code) {
            None => errors.push(at(
                Said::new(
                    format!("không có cán bộ mã \"{}\"", r.code),
                    format!("no official has the code \"{}\"", r.code),
                ),
                Said::new(
                    "kiểm tra mã trên bảng in, hoặc xoá dòng này",
                    "check the code against the printed sheet, or delete this line",
                ),
            )),
            Some(pid) if members.get(pid).is_none_or(|s| s == "cancelled" || s == "waiting") => errors.push(at(
                Said::new(
                    format!("cán bộ mã \"{}\" không có trong lớp", r.code),
                    format!("the official \"{}\" is not in this class", r.code),
                ),
                Said::new(
                    "thêm cán bộ vào lớp (theo mã) rồi tải lên lại",
                    "add the official to the class (by code), then upload again",
                ),
            )),
            Some(pid) => {
                if let Some(score) = r.score {
                    scores.push((*pid, score));
                }
                for (i, here) in r.present.iter().enumerate() {
                    if *here {
                        marks.push((sessions[i].id, *pid));
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ClassError::Sheet(errors));
    }
    let tx = state.begin_write().await?;
    let mut n = 0;
    let mut touched = HashSet::new();
    for (sid, pid) in marks {
        if attend(&tx, sid, pid, "sheet", user.account_id).await? {
            n += 1;
            touched.insert(pid);
        }
    }
    let now = super::clock::now();
    for (pid, score) in scores {
        if let Some(e) = enrolment(&tx, c.id, pid).await?
            && e.status == "enrolled"
            && e.exam_score != Some(score)
        {
            let mut m = e.into_active_model();
            m.exam_score = Set(Some(score));
            m.scored_by = Set(Some(user.account_id));
            m.updated_at = Set(now);
            m.update(&tx).await?;
            touched.insert(pid);
        }
    }
    for pid in touched {
        settle(&tx, state, c, pid).await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// The class's list of participants ("danh sách học viên") as a table: each official not
/// cancelled, with a mark per session, the in-class score and the result. The same columns read
/// back as a sign-in sheet (`Mã cán bộ`, `Buổi N`), so the downloaded list can be filled in and
/// uploaded.
pub fn list_table(d: &ClassDetail) -> crate::ssr::coverage::export::Table {
    use crate::i18n::Lang;
    use crate::ssr::coverage::export::{Cell, Table};
    let mut headers: Vec<String> = ["STT", "Mã cán bộ", "Họ và tên", "Đơn vị", "Trạng thái"]
        .map(String::from)
        .to_vec();
    headers.extend((1..=d.summary.sessions.len()).map(|n| format!("Buổi {n}")));
    headers.extend(["Điểm (%)", "Kết quả"].map(String::from));
    let rows = d
        .people
        .iter()
        .filter(|p| p.status != "cancelled")
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![
                Cell::Num((i + 1) as f64),
                Cell::Text(p.code.clone()),
                Cell::Text(p.name.clone()),
                Cell::Text(p.agency.clone()),
                Cell::Text(rules::status_text(&p.status, Lang::Vi).into()),
            ];
            row.extend(
                p.attended
                    .iter()
                    .map(|m| Cell::Text(if m.is_some() { "x".into() } else { String::new() })),
            );
            row.push(p.score.map_or(Cell::Text(String::new()), |s| Cell::Num(s as f64)));
            row.push(Cell::Text(rules::standing_text(p.standing, p.completed, Lang::Vi)));
            row
        })
        .collect();
    Table {
        sheet: "Danh sách học viên".into(),
        headers,
        rows,
    }
}

/// The letterhead the class's documents print: its unit's, or the nearest ancestor's.
pub async fn letterhead_of(state: &AppState, c: &class::Model) -> Result<Option<super::letterhead::Found>, DbErr> {
    let Some(unit) = agency::Entity::find_by_id(c.agency_id).one(&state.db).await? else {
        return Ok(None);
    };
    super::letterhead::effective(&state.db, &unit).await
}

/// Classes open to official `person_id`: for their unit or one above it, not cancelled, with a
/// session still to come, that they are not in and that would complete a course they lack.
pub async fn open_for(state: &AppState, person_id: i64) -> Result<Vec<ClassSummary>, DbErr> {
    let Some(p) = person::Entity::find_by_id(person_id).one(&state.db).await? else {
        return Ok(Vec::new());
    };
    let Some(unit) = agency::Entity::find_by_id(p.agency_id).one(&state.db).await? else {
        return Ok(Vec::new());
    };
    let now = super::clock::now();
    let candidates = class::Entity::find()
        .filter(class::Column::AgencyId.is_in(queries::path_key(&unit.path)))
        .filter(class::Column::CancelledAt.is_null())
        .order_by_desc(class::Column::Id)
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let upcoming: HashSet<i64> = class_session::Entity::find()
        .filter(class_session::Column::ClassId.is_in(ids.clone()))
        .filter(class_session::Column::StartsAt.gt(now))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| s.class_id)
        .collect();
    let mine: HashSet<i64> = class_enrolment::Entity::find()
        .filter(class_enrolment::Column::PersonId.eq(person_id))
        .filter(class_enrolment::Column::Status.ne("cancelled"))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| e.class_id)
        .collect();
    let held: HashSet<String> = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(person_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| c.course_id)
        .collect();
    let mut open = Vec::new();
    for c in candidates {
        if upcoming.contains(&c.id) && !mine.contains(&c.id) && courses_of(&c)?.iter().any(|id| !held.contains(id)) {
            open.push(c);
        }
    }
    summaries(state, open).await
}

/// Official `person_id` asks for a place in class `class_id` (one open to them: [`open_for`]).
/// A free place enrols them; otherwise they wait.
pub async fn join(state: &AppState, person_id: i64, class_id: i64) -> Result<&'static str, ClassError> {
    // Asked twice (or invited meanwhile): where they already are.
    match enrolment(&state.db, class_id, person_id).await?.map(|e| e.status) {
        Some(s) if s == "waiting" => return Ok("waiting"),
        Some(s) if s != "cancelled" => return Ok("enrolled"),
        _ => {}
    }
    if !open_for(state, person_id).await?.iter().any(|c| c.id == class_id) {
        return Err(ClassError::Forbidden);
    }
    let c = class::Entity::find_by_id(class_id)
        .one(&state.db)
        .await?
        .ok_or(ClassError::NotFound)?;
    let tx = state.begin_write().await?;
    let now = super::clock::now();
    let status = if taken(&tx, c.id).await? < c.capacity as usize {
        "enrolled"
    } else {
        "waiting"
    };
    match enrolment(&tx, c.id, person_id).await? {
        Some(e) => {
            let mut m = e.into_active_model();
            m.status = Set(status.into());
            m.updated_at = Set(now);
            m.update(&tx).await?;
        }
        None => insert_enrolment(&tx, c.id, person_id, status.into(), now).await?,
    }
    tx.commit().await?;
    Ok(status)
}

/// Classes held for units inside the subtree at `scope_path` up to `as_of` (a session on or
/// before it; not cancelled), with how many were in them, came, and completed through them:
/// the print report's list.
pub async fn held(
    state: &AppState,
    scope_path: &str,
    as_of: chrono::NaiveDate,
) -> Result<Vec<crate::domain::class::HeldClass>, DbErr> {
    let units: HashMap<i64, String> = agency::Entity::find()
        .filter(agency::Column::Path.starts_with(scope_path))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let classes = class::Entity::find()
        .filter(class::Column::AgencyId.is_in(units.keys().copied().collect::<Vec<_>>()))
        .filter(class::Column::CancelledAt.is_null())
        .order_by_asc(class::Column::Id)
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = classes.iter().map(|c| c.id).collect();
    let mut sessions = sessions_of(&state.db, &ids).await?;
    let attendance = if ids.is_empty() {
        HashMap::new()
    } else {
        attendance_of(&state.db, &ids, None).await?
    };
    let titles = super::content::titles(state);
    let mut out = Vec::new();
    for c in classes {
        let ss = sessions.remove(&c.id).unwrap_or_default();
        let (Some(first), Some(last)) = (ss.first(), ss.last()) else {
            continue;
        };
        let (first, last) = (local(first.starts_at).date_naive(), local(last.starts_at).date_naive());
        if first > as_of {
            continue;
        }
        let session_ids: HashSet<i64> = ss.iter().map(|s| s.id).collect();
        let came: HashSet<i64> = attendance
            .keys()
            .filter(|(s, _)| session_ids.contains(s))
            .map(|(_, p)| *p)
            .collect();
        let enrolled = class_enrolment::Entity::find()
            .filter(class_enrolment::Column::ClassId.eq(c.id))
            .filter(class_enrolment::Column::Status.is_in(["enrolled", "walk_in"]))
            .count(&state.db)
            .await? as u32;
        let completed: HashSet<i64> = completion::Entity::find()
            .filter(completion::Column::ClassId.eq(c.id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|x| x.person_id)
            .collect();
        out.push(crate::domain::class::HeldClass {
            courses: courses_of(&c)?
                .iter()
                .map(|id| titles.get(id).cloned().unwrap_or_else(|| id.clone()))
                .collect(),
            unit: units.get(&c.agency_id).cloned().unwrap_or_default(),
            title: c.title,
            first,
            last,
            sessions: ss.len() as u32,
            enrolled,
            attended: came.len() as u32,
            completed: completed.len() as u32,
        });
    }
    Ok(out)
}

/// Of the officials `people`, those holding a course of `courses` (completed before `until`)
/// through a class: the dashboard's in-class share counts the covered ones.
pub async fn through_class(
    db: &impl ConnectionTrait,
    people: &[i64],
    courses: &[String],
    until: DateTime<Utc>,
) -> Result<HashSet<i64>, DbErr> {
    let covered = people;
    let mut people: HashSet<i64> = HashSet::new();
    for chunk in covered.chunks(2000) {
        people.extend(
            completion::Entity::find()
                .filter(completion::Column::Source.eq("class"))
                .filter(completion::Column::CourseId.is_in(courses.to_vec()))
                .filter(completion::Column::CompletedAt.lt(until))
                .filter(completion::Column::PersonId.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|c| c.person_id),
        );
    }
    Ok(people)
}

/// The title of class `id`, if it exists.
pub async fn title(db: &impl ConnectionTrait, id: i64) -> Result<Option<String>, DbErr> {
    Ok(class::Entity::find_by_id(id).one(db).await?.map(|c| c.title))
}

/// Cancels the whole class: no more check-ins or completions through it (those already earned
/// stay); it stays listed, marked cancelled. Cancelling twice changes nothing.
pub async fn cancel_class(state: &AppState, c: &class::Model) -> Result<(), ClassError> {
    if c.cancelled_at.is_some() {
        return Ok(());
    }
    let mut m = c.clone().into_active_model();
    m.cancelled_at = Set(Some(super::clock::now()));
    m.update(&state.db).await?;
    tracing::info!(class = c.id, "class cancelled");
    Ok(())
}
