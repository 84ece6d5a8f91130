//! The learner's journey: which lessons each official has read (`lesson_progress`, for progress
//! and "resume where I left off") and exam attempts (`attempts`).
//!
//! An attempt stores everything needed to grade it again later: the seed its questions were
//! drawn and shuffled with, the names of the drawn questions, the content hashes it was started
//! against, the time window, and after submission the responses, score and result. Two unique
//! indexes carry the concurrency rules on SQLite and PostgreSQL alike: `(person, course,
//! attempt_no)` makes two racing starts unable to both take the same attempt number (so the
//! attempt limit holds), and a submission only lands on a row whose `submitted_at` is still
//! NULL (so a replayed submission never makes a second result).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    Id,
    PersonId,
    CourseId,
    LessonNumber,
    /// The lesson's content hash when it was marked read.
    LessonHash,
    ReadAt,
}

#[derive(DeriveIden)]
enum Attempts {
    Table,
    Id,
    PersonId,
    CourseId,
    /// 1, 2, 3… per (person, course); unique.
    AttemptNo,
    CourseHash,
    ExamHash,
    /// The seed the questions were drawn and shuffled with (reproducible).
    Seed,
    /// JSON array of the drawn question names, in presentation order.
    Questions,
    StartedAt,
    /// Start + time limit; NULL = no limit.
    Deadline,
    SubmittedAt,
    /// The sequence number of the submission that was accepted (idempotency key with the id).
    SubmitSeq,
    /// JSON: the responses as received.
    Responses,
    /// JSON: per question fraction and feedback, for review.
    Result,
    ScorePercent,
    Passed,
    /// True when the time limit ran out before a submission.
    Late,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LessonProgress::Table)
                .col(
                    ColumnDef::new(LessonProgress::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(LessonProgress::PersonId).big_integer().not_null())
                .col(ColumnDef::new(LessonProgress::CourseId).string_len(128).not_null())
                .col(ColumnDef::new(LessonProgress::LessonNumber).integer().not_null())
                .col(ColumnDef::new(LessonProgress::LessonHash).string_len(64).not_null())
                .col(
                    ColumnDef::new(LessonProgress::ReadAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LessonProgress::Table, LessonProgress::PersonId)
                        .to(People::Table, People::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_lesson_progress")
                .table(LessonProgress::Table)
                .col(LessonProgress::PersonId)
                .col(LessonProgress::CourseId)
                .col(LessonProgress::LessonNumber)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Attempts::Table)
                .col(
                    ColumnDef::new(Attempts::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Attempts::PersonId).big_integer().not_null())
                .col(ColumnDef::new(Attempts::CourseId).string_len(128).not_null())
                .col(ColumnDef::new(Attempts::AttemptNo).integer().not_null())
                .col(ColumnDef::new(Attempts::CourseHash).string_len(64).not_null())
                .col(ColumnDef::new(Attempts::ExamHash).string_len(64).not_null())
                .col(ColumnDef::new(Attempts::Seed).big_integer().not_null())
                .col(ColumnDef::new(Attempts::Questions).text().not_null())
                .col(
                    ColumnDef::new(Attempts::StartedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(Attempts::Deadline).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Attempts::SubmittedAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Attempts::SubmitSeq).integer().null())
                .col(ColumnDef::new(Attempts::Responses).text().null())
                .col(ColumnDef::new(Attempts::Result).text().null())
                .col(ColumnDef::new(Attempts::ScorePercent).integer().null())
                .col(ColumnDef::new(Attempts::Passed).boolean().null())
                .col(ColumnDef::new(Attempts::Late).boolean().not_null().default(false))
                .foreign_key(
                    ForeignKey::create()
                        .from(Attempts::Table, Attempts::PersonId)
                        .to(People::Table, People::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_attempts_person_course_no")
                .table(Attempts::Table)
                .col(Attempts::PersonId)
                .col(Attempts::CourseId)
                .col(Attempts::AttemptNo)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Attempts::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(LessonProgress::Table).to_owned())
            .await?;
        Ok(())
    }
}
