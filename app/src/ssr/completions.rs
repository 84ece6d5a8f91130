//! The ONE writer of completions. A completion is an append-only event (who, which course
//! version, score, when, how); the certificate for it is issued in the same transaction, so a
//! completion never exists without its certificate or the other way round. Coverage rollups
//! hook in here too, so every way of completing a course (exam today, an in-person class or an
//! import later) updates them the same way.

use super::db::Batch;
use super::db::entities::{certificate, completion};
use crate::domain::progress::{certificate_number, valid_until};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

/// What is being completed.
#[derive(Debug, Clone)]
pub struct NewCompletion<'a> {
    pub person_id: i64,
    pub course_id: &'a str,
    /// The content hash of the course version that was passed.
    pub course_hash: &'a str,
    pub score_percent: Option<i32>,
    pub completed_at: DateTime<Utc>,
    /// `exam`, `recert` (a recertification's short exam), `class` or `import`.
    pub source: &'a str,
    pub attempt_id: Option<i64>,
    /// When that attempt started, if the caller has it at hand (else it is read).
    pub attempt_started_at: Option<DateTime<Utc>>,
    /// The in-person class it was earned in.
    pub class_id: Option<i64>,
    /// The course's certificate validity; 0 = never expires.
    pub validity_months: u32,
}

/// Appends the completion and issues its certificate. Call it inside the transaction that
/// decided the completion (e.g. the one that graded the passing attempt). Returns the
/// completion and its certificate's number.
///
/// On SQLite three round trips to the database: the completion (its id comes back), the audit
/// head, then everything else as one [`Batch`] (the credit, the settled recertifications, the
/// certificate, the audit link).
pub async fn record_completion(
    tx: &impl ConnectionTrait,
    c: NewCompletion<'_>,
) -> Result<(completion::Model, String), DbErr> {
    let now = crate::ssr::clock::now();
    let done = completion::ActiveModel {
        person_id: Set(c.person_id),
        course_id: Set(c.course_id.to_string()),
        course_hash: Set(c.course_hash.to_string()),
        score_percent: Set(c.score_percent),
        completed_at: Set(c.completed_at),
        source: Set(c.source.to_string()),
        attempt_id: Set(c.attempt_id),
        class_id: Set(c.class_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let mut batch = Batch::new(tx);
    // Coverage credits move in the same transaction: the dashboard never disagrees with the
    // completions it is computed from.
    batch.push(&super::coverage::credit(
        done.person_id,
        &done.course_id,
        done.completed_at,
    ));
    // A completion is on the version served now: it settles any recertification of the course
    // the official owes (the short exam's, or the whole exam's, or a class's).
    let version_at = match (c.attempt_started_at, c.attempt_id) {
        (Some(at), _) => at,
        (None, Some(id)) => super::db::by_key::<super::db::entities::attempt::Entity>(tx, id)
            .await?
            .map_or(c.completed_at, |a| a.started_at),
        (None, None) => c.completed_at,
    };
    batch.push(&super::recert::settle(c.person_id, c.course_id, done.id, version_at));
    let day = crate::ssr::clock::date_of(c.completed_at);
    // 50 random bits: unguessable, and a collision (unique index) is as likely as winning a
    // lottery twice; it would fail the transaction rather than issue a duplicate.
    let number = certificate_number(day, rand::random());
    let valid_until = valid_until(day, c.validity_months);
    batch.push(&certificate::Entity::insert(certificate::ActiveModel {
        number: Set(number.clone()),
        person_id: Set(c.person_id),
        course_id: Set(c.course_id.to_string()),
        completion_id: Set(done.id),
        issued_at: Set(c.completed_at),
        valid_until: Set(valid_until),
        revoked_at: Set(None),
        revoked_by: Set(None),
        revoked_reason: Set(None),
        version_at: Set(Some(version_at)),
        ..Default::default()
    }));
    // On PostgreSQL the audit head's row lock, taken next, queues every audited write until this
    // transaction commits: what does not need it is written first. On SQLite the transaction is
    // the one writer anyway, and one round trip fewer is what counts.
    if super::db::is_postgres(tx) {
        std::mem::replace(&mut batch, Batch::new(tx)).run(tx).await?;
    }
    // The audit event in the same transaction: it exists exactly when the completion does.
    let event = super::audit::completion_event(&done, &number, valid_until);
    super::audit::append_to(tx, &mut batch, vec![event]).await?;
    batch.run(tx).await?;
    tracing::info!(person = c.person_id, course = c.course_id, certificate = %number, "course completed");
    Ok((done, number))
}
