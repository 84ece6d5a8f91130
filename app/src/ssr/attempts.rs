//! Exam attempts on the server: starting one (attempt limit, cooldown, lessons read — decided
//! by `domain::exam::decide_start` inside a write transaction), showing its questions without
//! any key, and submitting it exactly once.
//!
//! Concurrency:
//! - **Start**: the decision and the insert run in one transaction that takes the write lock up
//!   front on SQLite (`write_tx`). On PostgreSQL two racing starts may both decide "attempt
//!   n+1", but the unique index on (person, course, attempt_no) lets only one insert; the loser
//!   retries and then sees the winner's attempt (and resumes it, or is refused by the limit).
//! - **Submit**: the result is written with `UPDATE … WHERE id = ? AND submitted_at IS NULL`.
//!   Only the first submission changes a row; every replay (double click, retry, the same
//!   request sent 50 times) finds the attempt submitted and gets the stored result back. The
//!   completion is recorded in that same transaction, so it too happens once.

use super::completions::{NewCompletion, record_completion};
use super::db::by_key;
use super::db::entities::{attempt, certificate, completion, lesson_progress};
use super::state::AppState;
use crate::domain::content::{Course, Item};
use crate::domain::exam::{
    Limits, PastAttempt, Refusal, Start, answer_seed, choice_key, decide_start, draw, grade_attempt, on_time,
};
use crate::domain::grading::{PublicQuestion, Response, public_view};
use crate::domain::progress::reopened;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, SqlErr,
};
use std::collections::HashMap;

/// Why an exam action failed.
#[derive(Debug, thiserror::Error)]
pub enum AttemptError {
    #[error("no such course, exam or attempt")]
    NotFound,
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

/// One graded question of a submitted attempt (the domain's, kept in `attempts.result`).
pub use crate::domain::exam::GradedItem;

/// The limits that apply, after the operator's test/dev cooldown override.
pub fn limits(state: &AppState, course: &Course) -> Option<Limits> {
    let exam = course.exam.as_ref()?;
    Some(Limits {
        max_attempts: exam.settings.max_attempts,
        cooldown_minutes: state
            .config
            .exam_cooldown_override_minutes
            .unwrap_or(exam.settings.cooldown_minutes),
    })
}

/// The attempt as a public question list: (position, name, key-free view), in presentation
/// order, answers shuffled from the attempt's seed when the exam says so.
pub fn public_questions(
    course: &Course,
    a: &attempt::Model,
    lang: crate::i18n::Lang,
) -> Result<Vec<(usize, String, PublicQuestion)>, super::db::entities::CorruptRow> {
    Ok(views(course, a.question_names()?, a.seed as u64, lang))
}

/// A draw of the exam as a learner would see it, for a trainer's preview: nothing is recorded.
pub fn preview_questions(course: &Course, lang: crate::i18n::Lang) -> Vec<(usize, String, PublicQuestion)> {
    let Some(exam) = &course.exam else { return vec![] };
    let seed: u64 = rand::random();
    views(course, drawn_names(exam, seed), seed, lang)
}

/// The names of the questions `seed` draws from the pool, in presentation order.
fn drawn_names(exam: &crate::domain::content::Exam, seed: u64) -> Vec<String> {
    draw(
        exam.pool.len(),
        exam.settings.draw,
        seed,
        exam.settings.shuffle_questions,
    )
    .into_iter()
    .map(|i| exam.pool[i].name().to_string())
    .collect()
}

/// The drawn questions `names` as public views with the choice ids and shuffles of `seed`.
fn views(
    course: &Course,
    names: Vec<String>,
    seed: u64,
    lang: crate::i18n::Lang,
) -> Vec<(usize, String, PublicQuestion)> {
    let Some(exam) = &course.exam else { return vec![] };
    names
        .into_iter()
        .enumerate()
        .filter_map(|(pos, name)| {
            let item = find(&exam.pool, &name)?;
            let view = public_view(&item.question, choice_key(seed, pos));
            let view = if exam.settings.shuffle_answers {
                view.shuffled(answer_seed(seed, pos))
            } else {
                view
            };
            // An English reader reads the twin's words over the same ids, order and key.
            let view = match course.exam_twin(&name, lang) {
                Some(twin) => crate::domain::twin::translate_view(view, &item.question, &twin.question),
                None => view,
            };
            Some((pos, name, view))
        })
        .collect()
}

fn find<'a>(pool: &'a [Item], name: &str) -> Option<&'a Item> {
    pool.iter().find(|i| i.name() == name)
}

/// Closes the official's attempts of a course whose time ran out unsubmitted: submitted at the
/// deadline, no answers, score 0 (see `domain::exam` on late submissions).
async fn close_expired(
    db: &impl ConnectionTrait,
    person_id: i64,
    course_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let cutoff = now - Duration::seconds(crate::domain::exam::GRACE_SECONDS);
    attempt::Entity::update_many()
        .col_expr(attempt::Column::SubmittedAt, Expr::col(attempt::Column::Deadline))
        .col_expr(attempt::Column::ScorePercent, Expr::value(0))
        .col_expr(attempt::Column::Passed, Expr::value(false))
        .col_expr(attempt::Column::Late, Expr::value(true))
        .col_expr(attempt::Column::Result, Expr::value("[]"))
        .filter(attempt::Column::PersonId.eq(person_id))
        .filter(attempt::Column::CourseId.eq(course_id))
        .filter(attempt::Column::SubmittedAt.is_null())
        .filter(attempt::Column::Deadline.lt(cutoff))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether the official holds an unrevoked certificate of the course not yet in its
/// recertification window.
async fn holds_current_certificate(
    db: &impl ConnectionTrait,
    person_id: i64,
    course_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let cert = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(person_id))
        .filter(certificate::Column::CourseId.eq(course_id))
        .filter(certificate::Column::RevokedAt.is_null())
        .order_by_desc(certificate::Column::Id)
        .one(db)
        .await?;
    Ok(cert.is_some_and(|c| !reopened(c.valid_until, crate::ssr::clock::date_of(now))))
}

/// What the start rules see now, read inside the caller's transaction.
pub struct StartFacts {
    pub decision: Start,
    pub cycle: Vec<attempt::Model>,
    /// A recertification the official owes while still certified: a new attempt is its short
    /// exam (its lessons reread first, its questions drawn).
    pub recert: Option<super::db::entities::recertification::Model>,
}

/// Reads everything `decide_start` needs and decides.
pub async fn start_facts(
    db: &impl ConnectionTrait,
    state: &AppState,
    person_id: i64,
    course: &Course,
    now: DateTime<Utc>,
) -> Result<StartFacts, AttemptError> {
    let course_id = course.id.as_str();
    let Some(limits) = limits(state, course) else {
        return Ok(StartFacts {
            decision: Start::Refused(Refusal::NoExam),
            cycle: vec![],
            recert: None,
        });
    };
    let all = attempt::Entity::find()
        .filter(attempt::Column::PersonId.eq(person_id))
        .filter(attempt::Column::CourseId.eq(course_id))
        .order_by_asc(attempt::Column::AttemptNo)
        .all(db)
        .await?;
    let last_completion = completion::Entity::find()
        .filter(completion::Column::PersonId.eq(person_id))
        .filter(completion::Column::CourseId.eq(course_id))
        .order_by_desc(completion::Column::CompletedAt)
        .one(db)
        .await?;
    let mut certified_and_current = holds_current_certificate(db, person_id, course_id, now).await?;
    // Certified, but on a version a substantive change has since replaced: the recertification
    // owed. (Once the certificate lapses, the whole exam is taken again instead.)
    let recert = match certified_and_current {
        true => super::recert::owed_for(db, person_id, course_id).await?,
        false => None,
    };
    let lessons_done = match &recert {
        Some(r) => {
            certified_and_current = false;
            let read = super::recert::lessons_read(db, person_id, course_id).await?;
            crate::domain::recert::lessons_unread(&r.lesson_files().map_err(DbErr::from)?, course, &read).is_empty()
        }
        None => {
            let read = lesson_progress::Entity::find()
                .filter(lesson_progress::Column::PersonId.eq(person_id))
                .filter(lesson_progress::Column::CourseId.eq(course_id))
                .count(db)
                .await?;
            read as usize >= course.lessons.len()
        }
    };
    let last_no = all.iter().map(|a| a.attempt_no).max().unwrap_or(0);
    let cycle: Vec<attempt::Model> = all
        .into_iter()
        .filter(|a| last_completion.as_ref().is_none_or(|c| a.started_at > c.completed_at))
        .collect();
    let past: Vec<PastAttempt> = cycle
        .iter()
        .map(|a| PastAttempt {
            attempt_no: u32::try_from(a.attempt_no).unwrap_or(0),
            started_at: a.started_at,
            deadline: a.deadline,
            submitted_at: a.submitted_at,
            passed: a.passed,
        })
        .collect();
    let decision = decide_start(
        &past,
        u32::try_from(last_no).unwrap_or(0),
        limits,
        lessons_done,
        certified_and_current,
        now,
    );
    Ok(StartFacts {
        decision,
        cycle,
        recert,
    })
}

/// Starts (or resumes) an attempt; returns its id.
pub async fn start(state: &AppState, person_id: i64, course_id: &str) -> Result<i64, AttemptError> {
    let loaded = state.content.get();
    let course = loaded.library.course(course_id).ok_or(AttemptError::NotFound)?;
    let exam = course.exam.as_ref().ok_or(AttemptError::NotFound)?;
    // A lost race on PostgreSQL's unique index is retried; the retry sees the winner's row.
    for _ in 0..8 {
        let tx = state.begin_write().await?;
        let now = crate::ssr::clock::now();
        close_expired(&tx, person_id, course_id, now).await?;
        let facts = start_facts(&tx, state, person_id, course, now).await?;
        let attempt_no = match facts.decision {
            Start::Refused(r) => {
                tx.commit().await?;
                return Err(AttemptError::Refused(r));
            }
            Start::Resume { attempt_no } => {
                let id = facts
                    .cycle
                    .iter()
                    .find(|a| a.attempt_no == attempt_no as i32)
                    .map(|a| a.id)
                    .ok_or(AttemptError::NotFound)?;
                tx.commit().await?;
                return Ok(id);
            }
            Start::New { attempt_no } => attempt_no,
        };
        let seed: u64 = rand::random();
        let names = match &facts.recert {
            Some(r) => crate::domain::recert::draw_questions(
                course,
                &r.question_names().map_err(DbErr::from)?,
                u32::try_from(r.draw).unwrap_or(1),
                seed,
            ),
            None => drawn_names(exam, seed),
        };
        let row = attempt::ActiveModel {
            person_id: Set(person_id),
            course_id: Set(course_id.to_string()),
            attempt_no: Set(attempt_no as i32),
            course_hash: Set(course.hash.clone()),
            exam_hash: Set(exam.hash.clone()),
            // The seed's 64 bits are stored as a signed BIGINT and read back bit for bit.
            seed: Set(seed as i64),
            questions: Set(serde_json::to_string(&names).unwrap_or_else(|_| "[]".into())),
            started_at: Set(now),
            deadline: Set(exam
                .settings
                .time_limit_minutes
                .map(|m| now + Duration::minutes(i64::from(m)))),
            submitted_at: Set(None),
            submit_seq: Set(None),
            responses: Set(None),
            result: Set(None),
            score_percent: Set(None),
            passed: Set(None),
            late: Set(false),
            recertification_id: Set(facts.recert.as_ref().map(|r| r.id)),
            ..Default::default()
        };
        match row.insert(&tx).await {
            Ok(a) => {
                tx.commit().await?;
                tracing::info!(
                    person = person_id,
                    course = course_id,
                    attempt = a.id,
                    no = attempt_no,
                    "exam attempt started"
                );
                return Ok(a.id);
            }
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                tx.rollback().await?;
                tokio::task::yield_now().await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AttemptError::Db(DbErr::Custom("exam start kept conflicting".into())))
}

/// Keeps the answers given so far in an open attempt of `person_id` (see
/// `domain::exam::draft_fields` for what is kept). A submitted attempt is left as it is.
pub async fn save_draft(
    state: &AppState,
    person_id: i64,
    attempt_id: i64,
    fields: &HashMap<String, String>,
) -> Result<attempt::Model, AttemptError> {
    let a = by_key::<attempt::Entity>(&state.db, attempt_id)
        .await?
        .filter(|a| a.person_id == person_id)
        .ok_or(AttemptError::NotFound)?;
    if a.submitted_at.is_some() {
        return Ok(a);
    }
    let kept = crate::domain::exam::draft_fields(fields, a.question_names().map_err(DbErr::from)?.len());
    let now = crate::ssr::clock::now();
    let mut stamps = a.answer_stamps();
    crate::domain::itemstats::stamp(
        &mut stamps,
        crate::domain::exam::answered_positions(&kept),
        (now - a.started_at).num_seconds(),
    );
    // Autosaves are the most frequent write of an exam: they queue with the submissions.
    let _turn = state.write_turn().await;
    attempt::Entity::update_many()
        .col_expr(
            attempt::Column::AnswerTimes,
            Expr::value(serde_json::to_string(&stamps).unwrap_or_default()),
        )
        .col_expr(
            attempt::Column::Draft,
            Expr::value(serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())),
        )
        .col_expr(attempt::Column::DraftSavedAt, Expr::value(now))
        .filter(attempt::Column::Id.eq(a.id))
        .filter(attempt::Column::SubmittedAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(a)
}

/// The questions drawn for `a`, in presentation order, each with its question if it is still in
/// the pool.
/// A drawn question by name, as the pool now has it (`None` once removed from the pool).
type Drawn<'a> = (String, Option<std::borrow::Cow<'a, crate::domain::gift::Question>>);

/// The attempt's drawn questions. A short answer also accepts the words of its English twin,
/// whatever language the page was in.
fn drawn<'a>(a: &attempt::Model, course: &'a Course) -> Result<Vec<Drawn<'a>>, DbErr> {
    use std::borrow::Cow;
    let pool = course.exam.as_ref().map(|e| e.pool.as_slice()).unwrap_or_default();
    let twins = course.english().and_then(|t| t.exam.as_ref());
    Ok(a.question_names()
        .map_err(DbErr::from)?
        .into_iter()
        .map(|name| {
            let q = find(pool, &name).map(|i| {
                let twin = twins.and_then(|e| find(&e.pool, &name));
                match twin.and_then(|t| crate::domain::twin::accepting_twin(&i.question, &t.question)) {
                    Some(both) => Cow::Owned(both),
                    None => Cow::Borrowed(&i.question),
                }
            });
            (name, q)
        })
        .collect())
}

/// [`drawn`] as the grading functions take it.
fn borrowed<'a>(d: &'a [Drawn<'_>]) -> Vec<(String, Option<&'a crate::domain::gift::Question>)> {
    d.iter().map(|(n, q)| (n.clone(), q.as_deref())).collect()
}

/// How many questions of an open attempt of `person_id` the form `fields` leaves unanswered,
/// so the page can ask before submitting. 0 for an attempt past its time limit (it is closed
/// with no answers whatever is sent) and for one already submitted (a replay).
pub async fn unanswered(
    state: &AppState,
    person_id: i64,
    attempt_id: i64,
    fields: &HashMap<String, String>,
) -> Result<usize, AttemptError> {
    let a = attempt::Entity::find_by_id(attempt_id)
        .one(&state.db)
        .await?
        .filter(|a| a.person_id == person_id)
        .ok_or(AttemptError::NotFound)?;
    if a.submitted_at.is_some() || !on_time(a.deadline, crate::ssr::clock::now()) {
        return Ok(0);
    }
    let loaded = state.content.get();
    let course = loaded.library.course(&a.course_id).ok_or(AttemptError::NotFound)?;
    course.exam.as_ref().ok_or(AttemptError::NotFound)?;
    Ok(crate::domain::exam::unanswered(
        &borrowed(&drawn(&a, course)?),
        a.seed as u64,
        fields,
    ))
}

/// Submits an attempt's answers (form fields, see `domain::exam`), exactly once: a replay gets
/// the stored attempt back unchanged. `seq` is the client's submission sequence number, kept
/// with the result.
pub async fn submit(
    state: &AppState,
    person_id: i64,
    attempt_id: i64,
    seq: i32,
    fields: &HashMap<String, String>,
) -> Result<attempt::Model, AttemptError> {
    let loaded = state.content.get();
    let now = crate::ssr::clock::now();
    // Read and graded before the write transaction: what grading reads (the drawn questions,
    // the seed, the deadline) never changes once the attempt is open, and on SQLite the write
    // lock is held only for the writes. The update below applies only to a still-open attempt,
    // so of two submissions racing, one writes and the other gets the stored result.
    let a = by_key::<attempt::Entity>(&state.db, attempt_id)
        .await?
        .filter(|a| a.person_id == person_id)
        .ok_or(AttemptError::NotFound)?;
    if a.submitted_at.is_some() {
        return Ok(a);
    }
    let course = loaded.library.course(&a.course_id).ok_or(AttemptError::NotFound)?;
    course.exam.as_ref().ok_or(AttemptError::NotFound)?;
    let late = !on_time(a.deadline, now);
    // Load → grade (pure, `domain::exam::grade_attempt`) → write.
    let drawn = drawn(&a, course)?;
    let outcome = grade_attempt(
        &borrowed(&drawn),
        a.seed as u64,
        fields,
        late,
        u32::from(course.exam_pass_mark().percent()),
    );
    let (graded, score, passed) = (outcome.items, outcome.score, outcome.passed);
    let submitted_at = if late { a.deadline.unwrap_or(now) } else { now };
    let responses: HashMap<String, Option<Response>> =
        graded.iter().map(|g| (g.name.clone(), g.response.clone())).collect();
    let mut stamps = a.answer_stamps();
    crate::domain::itemstats::stamp(
        &mut stamps,
        graded
            .iter()
            .enumerate()
            .filter(|(_, g)| g.response.is_some())
            .map(|(p, _)| p),
        (submitted_at - a.started_at).num_seconds(),
    );
    // The row as this submission writes it: handed back after the commit, not read again.
    let written = attempt::Model {
        submitted_at: Some(submitted_at),
        answer_times: Some(serde_json::to_string(&stamps).unwrap_or_default()),
        submit_seq: Some(seq),
        responses: Some(serde_json::to_string(&responses).unwrap_or_default()),
        result: Some(serde_json::to_string(&graded).unwrap_or_default()),
        score_percent: Some(score as i32),
        passed: Some(passed),
        late,
        ..a.clone()
    };
    let update = attempt::Entity::update_many()
        .col_expr(attempt::Column::SubmittedAt, Expr::value(written.submitted_at))
        .col_expr(attempt::Column::AnswerTimes, Expr::value(written.answer_times.clone()))
        .col_expr(attempt::Column::SubmitSeq, Expr::value(written.submit_seq))
        .col_expr(attempt::Column::Responses, Expr::value(written.responses.clone()))
        .col_expr(attempt::Column::Result, Expr::value(written.result.clone()))
        .col_expr(attempt::Column::ScorePercent, Expr::value(written.score_percent))
        .col_expr(attempt::Column::Passed, Expr::value(written.passed))
        .col_expr(attempt::Column::Late, Expr::value(late))
        .filter(attempt::Column::Id.eq(a.id))
        .filter(attempt::Column::SubmittedAt.is_null());
    let changed = if passed {
        let tx = state.begin_write().await?;
        let changed = update.exec(&tx).await?.rows_affected;
        if changed > 0 {
            record_pass(&tx, &a, course, person_id, score, submitted_at, now).await?;
            tx.commit().await?;
        } else {
            tx.rollback().await?;
        }
        changed
    } else {
        // A submission that earns nothing writes its one row: a single statement, atomic
        // alone. No transaction around it: on SQLite its BEGIN and COMMIT would be two more
        // round trips to the database's thread while every other writer waits its turn
        // (docs/PERFORMANCE.md, "Where an exam submission's time goes").
        let _turn = state.write_turn().await;
        update.exec(&state.db).await?.rows_affected
    };
    if changed == 0 {
        // Another request submitted it first: hand back what it stored.
        return by_key::<attempt::Entity>(&state.db, attempt_id)
            .await?
            .ok_or(AttemptError::NotFound);
    }
    tracing::info!(
        person = person_id,
        attempt = a.id,
        score,
        passed,
        late,
        "exam attempt submitted"
    );
    Ok(written)
}

/// What a passed attempt writes with its result, in the submission's transaction: the
/// completion and its certificate. A recertification's short exam certifies only while it is
/// still owed and the certificate it renews still stands (an attempt opened before a revocation
/// or a lapse counts no more).
async fn record_pass(
    tx: &impl ConnectionTrait,
    a: &attempt::Model,
    course: &Course,
    person_id: i64,
    score: u32,
    submitted_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AttemptError> {
    if let Some(r) = a.recertification_id
        && !(super::recert::still_owed(tx, person_id, r).await?
            && holds_current_certificate(tx, person_id, &a.course_id, now).await?)
    {
        return Ok(());
    }
    record_completion(
        tx,
        NewCompletion {
            person_id,
            course_id: &a.course_id,
            course_hash: &a.course_hash,
            score_percent: Some(score as i32),
            completed_at: submitted_at,
            source: if a.recertification_id.is_some() {
                "recert"
            } else {
                "exam"
            },
            attempt_id: Some(a.id),
            attempt_started_at: Some(a.started_at),
            class_id: None,
            validity_months: course.meta.validity_months,
        },
    )
    .await?;
    Ok(())
}

/// `person_id`'s submitted attempt `id` at `course_id`; `None` for anyone else's, another
/// course's or one still open.
pub async fn submitted(
    db: &impl ConnectionTrait,
    person_id: i64,
    course_id: &str,
    id: i64,
) -> Result<Option<attempt::Model>, DbErr> {
    Ok(attempt::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|a| a.person_id == person_id && a.course_id == course_id && a.submitted_at.is_some()))
}

/// The number of the certificate an attempt earned, if it completed the course.
pub async fn certificate_earned(db: &impl ConnectionTrait, attempt_id: i64) -> Result<Option<String>, DbErr> {
    let Some(done) = completion::Entity::find()
        .filter(completion::Column::AttemptId.eq(attempt_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(certificate::Entity::find()
        .filter(certificate::Column::CompletionId.eq(done.id))
        .one(db)
        .await?
        .map(|c| c.number))
}
