//! Delta recertification after a substantive change of a course: the officials certified on an
//! earlier version reread only the changed lessons and pass a short exam drawn from the changed
//! and new questions, by a deadline.
//!
//! `recertifications` is one row per recertification opened (by a trainer of the course for
//! everyone affected, or by a manager for their subtree): the publish it follows, the lessons to
//! reread (numbers) and the questions to draw from (names), how many to draw, the deadline.
//! `recertification_people` lists whom it reaches; `completion_id` is set when they pass.
//! `attempts.recertification_id` marks an attempt as the short exam of one.
//!
//! Also `attempts.answer_times`: for each drawn question (by position), the seconds from the
//! start to the first save holding an answer to it — what an item's mean time is computed from.
//!
//! And `content_drafts.bytes`: an image uploaded in the editor is a draft of the course's
//! `images/` folder, bytes rather than text, until it is published with the course.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Recertifications {
    Table,
    Id,
    CourseId,
    PublishId,
    Reason,
    Lessons,
    Questions,
    Draw,
    Deadline,
    ScopeAgencyId,
    OpenedBy,
    OpenedAt,
}

#[derive(DeriveIden)]
enum RecertificationPeople {
    Table,
    Id,
    RecertificationId,
    PersonId,
    CompletionId,
}

#[derive(DeriveIden)]
enum Attempts {
    Table,
    RecertificationId,
    AnswerTimes,
}

#[derive(DeriveIden)]
enum ContentDrafts {
    Table,
    Bytes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Recertifications::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(Recertifications::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Recertifications::CourseId).string_len(100).not_null())
                .col(ColumnDef::new(Recertifications::PublishId).big_integer().not_null())
                .col(ColumnDef::new(Recertifications::Reason).string_len(500).not_null())
                .col(ColumnDef::new(Recertifications::Lessons).text().not_null())
                .col(ColumnDef::new(Recertifications::Questions).text().not_null())
                .col(ColumnDef::new(Recertifications::Draw).integer().not_null())
                .col(ColumnDef::new(Recertifications::Deadline).date().not_null())
                .col(ColumnDef::new(Recertifications::ScopeAgencyId).big_integer().null())
                .col(ColumnDef::new(Recertifications::OpenedBy).big_integer().null())
                .col(
                    ColumnDef::new(Recertifications::OpenedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_recertifications_course")
                .table(Recertifications::Table)
                .col(Recertifications::CourseId)
                .col(Recertifications::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RecertificationPeople::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(RecertificationPeople::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(RecertificationPeople::RecertificationId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(RecertificationPeople::PersonId).big_integer().not_null())
                .col(ColumnDef::new(RecertificationPeople::CompletionId).big_integer().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(RecertificationPeople::Table, RecertificationPeople::RecertificationId)
                        .to(Recertifications::Table, Recertifications::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_recertification_people_one")
                .table(RecertificationPeople::Table)
                .col(RecertificationPeople::RecertificationId)
                .col(RecertificationPeople::PersonId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_recertification_people_person")
                .table(RecertificationPeople::Table)
                .col(RecertificationPeople::PersonId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Attempts::Table)
                .add_column(ColumnDef::new(Attempts::RecertificationId).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Attempts::Table)
                .add_column(ColumnDef::new(Attempts::AnswerTimes).text().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ContentDrafts::Table)
                .add_column(ColumnDef::new(ContentDrafts::Bytes).blob().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Attempts::Table)
                .drop_column(Attempts::AnswerTimes)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ContentDrafts::Table)
                .drop_column(ContentDrafts::Bytes)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Attempts::Table)
                .drop_column(Attempts::RecertificationId)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(RecertificationPeople::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Recertifications::Table).to_owned())
            .await
    }
}
