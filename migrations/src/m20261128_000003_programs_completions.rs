//! Training programs (targets), their exemptions, and the append-only record of completions and
//! certificates. These are the contract between the learner's journey (which writes completions
//! and certificates) and coverage (which reads them against programs).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Programs {
    Table,
    Id,
    Code,
    Name,
    Description,
    /// The population: this agency's subtree…
    RootAgencyId,
    /// …× these positions (JSON array of strings; empty = every position)…
    Positions,
    /// …× officials with an enforcement duty only, when true.
    EnforcementOnly,
    /// JSON array of course ids.
    CourseIds,
    /// `all` or `any` of the courses.
    CourseRule,
    ThresholdPercent,
    Deadline,
    /// `valid_at_deadline` or `ever_completed`.
    Metric,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Exemptions {
    Table,
    Id,
    ProgramId,
    PersonId,
    Reason,
    ApprovedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Completions {
    Table,
    Id,
    PersonId,
    CourseId,
    /// The content hash of the course version that was passed.
    CourseHash,
    ScorePercent,
    CompletedAt,
    /// `exam`, `class` (in person) or `import`.
    Source,
    AttemptId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    Number,
    PersonId,
    CourseId,
    CompletionId,
    IssuedAt,
    ValidUntil,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
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
                .table(Programs::Table)
                .col(
                    ColumnDef::new(Programs::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Programs::Code).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Programs::Name).string().not_null())
                .col(ColumnDef::new(Programs::Description).text().not_null().default(""))
                .col(ColumnDef::new(Programs::RootAgencyId).big_integer().not_null())
                .col(ColumnDef::new(Programs::Positions).text().not_null().default("[]"))
                .col(
                    ColumnDef::new(Programs::EnforcementOnly)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(ColumnDef::new(Programs::CourseIds).text().not_null().default("[]"))
                .col(
                    ColumnDef::new(Programs::CourseRule)
                        .string_len(8)
                        .not_null()
                        .default("all"),
                )
                .col(
                    ColumnDef::new(Programs::ThresholdPercent)
                        .integer()
                        .not_null()
                        .default(100),
                )
                .col(ColumnDef::new(Programs::Deadline).date().not_null())
                .col(
                    ColumnDef::new(Programs::Metric)
                        .string_len(32)
                        .not_null()
                        .default("valid_at_deadline"),
                )
                .col(ColumnDef::new(Programs::Active).boolean().not_null().default(true))
                .col(
                    ColumnDef::new(Programs::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Programs::Table, Programs::RootAgencyId)
                        .to(Agencies::Table, Agencies::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Exemptions::Table)
                .col(
                    ColumnDef::new(Exemptions::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Exemptions::ProgramId).big_integer().not_null())
                .col(ColumnDef::new(Exemptions::PersonId).big_integer().not_null())
                .col(ColumnDef::new(Exemptions::Reason).text().not_null())
                .col(ColumnDef::new(Exemptions::ApprovedBy).string().not_null())
                .col(
                    ColumnDef::new(Exemptions::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Exemptions::Table, Exemptions::ProgramId)
                        .to(Programs::Table, Programs::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Exemptions::Table, Exemptions::PersonId)
                        .to(People::Table, People::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_exemptions_program_person")
                .table(Exemptions::Table)
                .col(Exemptions::ProgramId)
                .col(Exemptions::PersonId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Completions::Table)
                .col(
                    ColumnDef::new(Completions::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Completions::PersonId).big_integer().not_null())
                .col(ColumnDef::new(Completions::CourseId).string_len(128).not_null())
                .col(ColumnDef::new(Completions::CourseHash).string_len(64).not_null())
                .col(ColumnDef::new(Completions::ScorePercent).integer().null())
                .col(
                    ColumnDef::new(Completions::CompletedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(Completions::Source).string_len(16).not_null())
                .col(ColumnDef::new(Completions::AttemptId).big_integer().null())
                .col(
                    ColumnDef::new(Completions::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Completions::Table, Completions::PersonId)
                        .to(People::Table, People::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_completions_person_course")
                .table(Completions::Table)
                .col(Completions::PersonId)
                .col(Completions::CourseId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Certificates::Table)
                .col(
                    ColumnDef::new(Certificates::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Certificates::Number)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Certificates::PersonId).big_integer().not_null())
                .col(ColumnDef::new(Certificates::CourseId).string_len(128).not_null())
                .col(ColumnDef::new(Certificates::CompletionId).big_integer().not_null())
                .col(
                    ColumnDef::new(Certificates::IssuedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(Certificates::ValidUntil).date().null())
                .col(
                    ColumnDef::new(Certificates::RevokedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Certificates::RevokedReason).text().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Certificates::Table, Certificates::PersonId)
                        .to(People::Table, People::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Certificates::Table, Certificates::CompletionId)
                        .to(Completions::Table, Completions::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_certificates_person_course")
                .table(Certificates::Table)
                .col(Certificates::PersonId)
                .col(Certificates::CourseId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Certificates::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Completions::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Exemptions::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Programs::Table).to_owned()).await?;
        Ok(())
    }
}
