//! The learner's records, read and written: who the signed-in official is, what their programs
//! require of them, which lessons they have read, their attempts and certificates. The rules
//! themselves live in `domain::{assignment, exam, progress}`; this module only loads rows for
//! them.

use super::db::entities::{agency, attempt, certificate, completion, lesson_progress, person, program};
use crate::domain::assignment::{Assignment, Official, ProgramRule, assignments};
use crate::domain::content::Course;
use crate::domain::progress::{ExamStatus, Progress, is_complete, reopened};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The official behind an account, with their agency.
#[derive(Debug, Clone)]
pub struct Learner {
    pub person: person::Model,
    pub agency: agency::Model,
}

/// Loads the official and their agency.
pub async fn learner(db: &impl ConnectionTrait, person_id: i64) -> Result<Option<Learner>, DbErr> {
    let Some(person) = person::Entity::find_by_id(person_id).one(db).await? else {
        return Ok(None);
    };
    let Some(agency) = agency::Entity::find_by_id(person.agency_id).one(db).await? else {
        return Ok(None);
    };
    Ok(Some(Learner { person, agency }))
}

/// The courses the official must take, from the active programs.
pub async fn assigned(db: &impl ConnectionTrait, who: &Learner) -> Result<Vec<Assignment>, DbErr> {
    let rules = program_rules(db).await?;
    let official = Official {
        agency_path: who.agency.path.clone(),
        position: who.person.position.clone(),
        enforcement: who.person.enforcement,
    };
    Ok(assignments(&official, &rules))
}

/// The active programs, as the assignment rules read them.
pub async fn program_rules(db: &impl ConnectionTrait) -> Result<Vec<ProgramRule>, DbErr> {
    let programs = program::Entity::find()
        .filter(program::Column::Active.eq(true))
        .order_by_asc(program::Column::Id)
        .all(db)
        .await?;
    let roots: HashMap<i64, String> = agency::Entity::find()
        .filter(agency::Column::Id.is_in(programs.iter().map(|p| p.root_agency_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.path))
        .collect();
    let mut rules: Vec<ProgramRule> = Vec::with_capacity(programs.len());
    for p in &programs {
        let Some(root_path) = roots.get(&p.root_agency_id) else {
            continue;
        };
        rules.push(ProgramRule {
            code: p.code.clone(),
            name: p.name.clone(),
            root_path: root_path.clone(),
            positions: p.position_list()?,
            enforcement_only: p.enforcement_only,
            course_ids: p.course_list()?,
            deadline: p.deadline,
            active: p.active,
        });
    }
    Ok(rules)
}

/// Lesson numbers read, per course.
pub async fn lessons_read(db: &impl ConnectionTrait, person_id: i64) -> Result<HashMap<String, Vec<u32>>, DbErr> {
    let rows = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::PersonId.eq(person_id))
        .all(db)
        .await?;
    let mut out: HashMap<String, Vec<u32>> = HashMap::new();
    for r in rows {
        out.entry(r.course_id)
            .or_default()
            .push(u32::try_from(r.lesson_number).unwrap_or(0));
    }
    Ok(out)
}

/// Marks a lesson read. Reading it again is a no-op, unless the lesson changed since: then the
/// version read is the new one (a recertification asks for changed lessons read again).
pub async fn mark_read(
    db: &impl ConnectionTrait,
    person_id: i64,
    course_id: &str,
    number: u32,
    hash: &str,
) -> Result<(), DbErr> {
    use sea_orm::ActiveValue::Set;
    let row = lesson_progress::ActiveModel {
        person_id: Set(person_id),
        course_id: Set(course_id.to_string()),
        lesson_number: Set(i32::try_from(number).unwrap_or(i32::MAX)),
        lesson_hash: Set(hash.to_string()),
        read_at: Set(crate::ssr::clock::now()),
        ..Default::default()
    };
    use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
    let on_conflict = OnConflict::columns([
        lesson_progress::Column::PersonId,
        lesson_progress::Column::CourseId,
        lesson_progress::Column::LessonNumber,
    ])
    .update_columns([lesson_progress::Column::LessonHash, lesson_progress::Column::ReadAt])
    .action_and_where(ExprTrait::ne(
        Expr::col((lesson_progress::Entity, lesson_progress::Column::LessonHash)),
        hash,
    ))
    .to_owned();
    match lesson_progress::Entity::insert(row)
        .on_conflict(on_conflict)
        .exec(db)
        .await
    {
        // Read before, same version: nothing inserted or updated.
        Ok(_) | Err(DbErr::RecordNotInserted) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Every attempt of the official, oldest first.
pub async fn attempts_of(db: &impl ConnectionTrait, person_id: i64) -> Result<Vec<attempt::Model>, DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::PersonId.eq(person_id))
        .order_by_asc(attempt::Column::Id)
        .all(db)
        .await
}

/// Every completion of the official, oldest first.
pub async fn completions_of(db: &impl ConnectionTrait, person_id: i64) -> Result<Vec<completion::Model>, DbErr> {
    completion::Entity::find()
        .filter(completion::Column::PersonId.eq(person_id))
        .order_by_asc(completion::Column::Id)
        .all(db)
        .await
}

/// Every certificate of the official, oldest first.
pub async fn certificates_of(db: &impl ConnectionTrait, person_id: i64) -> Result<Vec<certificate::Model>, DbErr> {
    certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(person_id))
        .order_by_asc(certificate::Column::Id)
        .all(db)
        .await
}

/// The newest certificate for a course that is not revoked.
pub fn current_certificate<'a>(certs: &'a [certificate::Model], course_id: &str) -> Option<&'a certificate::Model> {
    certs
        .iter()
        .filter(|c| c.course_id == course_id && c.revoked_at.is_none())
        .max_by_key(|c| c.id)
}

/// Everything about one official's learning, loaded once per request.
pub struct Records {
    pub assignments: Vec<Assignment>,
    pub read: HashMap<String, Vec<u32>>,
    pub attempts: Vec<attempt::Model>,
    pub completions: Vec<completion::Model>,
    pub certificates: Vec<certificate::Model>,
}

impl Records {
    pub async fn load(db: &impl ConnectionTrait, person_id: i64) -> Result<Records, DbErr> {
        let assignments = match learner(db, person_id).await? {
            Some(l) => assigned(db, &l).await?,
            None => vec![],
        };
        Ok(Records {
            assignments,
            read: lessons_read(db, person_id).await?,
            attempts: attempts_of(db, person_id).await?,
            completions: completions_of(db, person_id).await?,
            certificates: certificates_of(db, person_id).await?,
        })
    }

    pub fn read_in(&self, course_id: &str) -> Vec<u32> {
        self.read.get(course_id).cloned().unwrap_or_default()
    }

    /// Progress in `c` on `today`.
    pub fn progress(&self, c: &Course, today: NaiveDate) -> Progress {
        let id = c.id.as_str();
        let read = self.read_in(id);
        let lessons_read = c.lessons.iter().filter(|l| read.contains(&l.number)).count();
        let cert = current_certificate(&self.certificates, id);
        let last_completion = self
            .completions
            .iter()
            .filter(|x| x.course_id == id)
            .map(|x| x.completed_at)
            .max();
        // Attempts of the current cycle (since the last completion).
        let cycle: Vec<&attempt::Model> = self
            .attempts
            .iter()
            .filter(|a| a.course_id == id && last_completion.is_none_or(|t| a.started_at > t))
            .collect();
        let recertify = cert.is_some_and(|c| reopened(c.valid_until, today));
        let exam = if c.exam.is_none() {
            ExamStatus::NoExam
        } else if let (Some(cert), false) = (cert, recertify) {
            let score = self
                .completions
                .iter()
                .find(|x| x.id == cert.completion_id)
                .and_then(|x| x.score_percent)
                .unwrap_or(0);
            ExamStatus::Passed { score: score as u32 }
        } else if cycle.iter().any(|a| a.submitted_at.is_none()) {
            ExamStatus::InProgress
        } else if cycle.is_empty() {
            ExamStatus::NotTaken
        } else {
            ExamStatus::Failed {
                best: cycle.iter().filter_map(|a| a.score_percent).max().unwrap_or(0) as u32,
                attempts: cycle.len() as u32,
            }
        };
        let passed = matches!(exam, ExamStatus::Passed { .. });
        Progress {
            lessons_read,
            lessons_total: c.lessons.len(),
            // A certificate is only ever issued on completion; without an exam, reading
            // every lesson is completion enough.
            complete: (cert.is_some() && !recertify)
                || (c.exam.is_none() && is_complete(lessons_read, c.lessons.len(), passed, false)),
            exam,
            certificate: cert.map(|c| c.number.clone()),
            valid_until: cert.and_then(|c| c.valid_until).map(crate::i18n::fmt_date),
            recertify,
            resume: c.lessons.iter().map(|l| l.number).find(|n| !read.contains(n)),
        }
    }
}
