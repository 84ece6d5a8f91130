//! In-person classes (lớp tập huấn): a class of one or more courses, held in sessions, with its
//! enrolment (invited by unit or one by one, a waiting list, walk-ins), attendance per session
//! (who recorded it and how: the trainer's checklist, the official's QR check-in, or a sign-in
//! sheet), and the score of an exam sat in class. A completion earned in a class names it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Completions {
    Table,
    ClassId,
}

#[derive(DeriveIden)]
enum Classes {
    Table,
    Id,
    Title,
    /// Who teaches it: names as written (guest lecturers are often not on the roster).
    Trainers,
    /// JSON array of course ids: the class completes each of them.
    CourseIds,
    /// The unit the class is for: who manages it (its subtree's managers) and whom it invites first.
    AgencyId,
    Capacity,
    /// `attendance`, `attendance_online_exam` or `attendance_class_exam`.
    Rule,
    /// The share of sessions an official must attend, in percent.
    MinAttendancePercent,
    /// The pass mark of the exam sat in class, in percent.
    PassPercent,
    CreatedBy,
    CreatedAt,
    CancelledAt,
}

#[derive(DeriveIden)]
enum ClassSessions {
    Table,
    Id,
    ClassId,
    StartsAt,
    EndsAt,
    Place,
}

#[derive(DeriveIden)]
enum ClassEnrolments {
    Table,
    Id,
    ClassId,
    PersonId,
    /// `enrolled`, `waiting`, `walk_in` or `cancelled`.
    Status,
    ExamScore,
    ScoredBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ClassAttendance {
    Table,
    Id,
    SessionId,
    PersonId,
    /// `checklist`, `qr` or `sheet`.
    Method,
    RecordedBy,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Classes::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(Classes::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Classes::Title).string_len(200).not_null())
                .col(ColumnDef::new(Classes::Trainers).string_len(300).not_null().default(""))
                .col(ColumnDef::new(Classes::CourseIds).text().not_null())
                .col(ColumnDef::new(Classes::AgencyId).big_integer().not_null())
                .col(ColumnDef::new(Classes::Capacity).integer().not_null())
                .col(ColumnDef::new(Classes::Rule).string_len(32).not_null())
                .col(ColumnDef::new(Classes::MinAttendancePercent).integer().not_null())
                .col(ColumnDef::new(Classes::PassPercent).integer().not_null())
                .col(ColumnDef::new(Classes::CreatedBy).big_integer().not_null())
                .col(ColumnDef::new(Classes::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Classes::CancelledAt).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Classes::Table, Classes::AgencyId)
                        .to(Agencies::Table, Agencies::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Classes::Table, Classes::CreatedBy)
                        .to(Accounts::Table, Accounts::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_classes_agency")
                .table(Classes::Table)
                .col(Classes::AgencyId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ClassSessions::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(ClassSessions::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(ClassSessions::ClassId).big_integer().not_null())
                .col(
                    ColumnDef::new(ClassSessions::StartsAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ClassSessions::EndsAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(ClassSessions::Place).string_len(300).not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassSessions::Table, ClassSessions::ClassId)
                        .to(Classes::Table, Classes::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_class_sessions_class")
                .table(ClassSessions::Table)
                .col(ClassSessions::ClassId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ClassEnrolments::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(ClassEnrolments::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(ClassEnrolments::ClassId).big_integer().not_null())
                .col(ColumnDef::new(ClassEnrolments::PersonId).big_integer().not_null())
                .col(ColumnDef::new(ClassEnrolments::Status).string_len(16).not_null())
                .col(ColumnDef::new(ClassEnrolments::ExamScore).integer().null())
                .col(ColumnDef::new(ClassEnrolments::ScoredBy).big_integer().null())
                .col(
                    ColumnDef::new(ClassEnrolments::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ClassEnrolments::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassEnrolments::Table, ClassEnrolments::ClassId)
                        .to(Classes::Table, Classes::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassEnrolments::Table, ClassEnrolments::PersonId)
                        .to(People::Table, People::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassEnrolments::Table, ClassEnrolments::ScoredBy)
                        .to(Accounts::Table, Accounts::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_class_enrolments_one")
                .table(ClassEnrolments::Table)
                .col(ClassEnrolments::ClassId)
                .col(ClassEnrolments::PersonId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_class_enrolments_person")
                .table(ClassEnrolments::Table)
                .col(ClassEnrolments::PersonId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ClassAttendance::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(ClassAttendance::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(ClassAttendance::SessionId).big_integer().not_null())
                .col(ColumnDef::new(ClassAttendance::PersonId).big_integer().not_null())
                .col(ColumnDef::new(ClassAttendance::Method).string_len(16).not_null())
                .col(ColumnDef::new(ClassAttendance::RecordedBy).big_integer().not_null())
                .col(
                    ColumnDef::new(ClassAttendance::RecordedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassAttendance::Table, ClassAttendance::SessionId)
                        .to(ClassSessions::Table, ClassSessions::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassAttendance::Table, ClassAttendance::PersonId)
                        .to(People::Table, People::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ClassAttendance::Table, ClassAttendance::RecordedBy)
                        .to(Accounts::Table, Accounts::Id),
                )
                .to_owned(),
        )
        .await?;
        // Once per official and session: a second check-in is refused by the database too.
        m.create_index(
            Index::create()
                .name("idx_class_attendance_one")
                .table(ClassAttendance::Table)
                .col(ClassAttendance::SessionId)
                .col(ClassAttendance::PersonId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Completions::Table)
                .add_column(ColumnDef::new(Completions::ClassId).big_integer().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Completions::Table)
                .drop_column(Completions::ClassId)
                .to_owned(),
        )
        .await?;
        for t in [
            ClassAttendance::Table.into_iden(),
            ClassEnrolments::Table.into_iden(),
            ClassSessions::Table.into_iden(),
            Classes::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
