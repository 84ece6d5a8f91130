//! Programs and exemptions become editable from the web, without losing the history that lets
//! a manager defend the denominator.
//!
//! - `program_revisions`: every creation and edit of a program, with who, when, why, and the
//!   whole rule as it stood afterwards (JSON). The program row holds the current rule.
//! - `exemptions` gain who recorded them and a withdrawal (`withdrawn_at`, by whom, why). An
//!   exemption counts from the day it was recorded until the day it was withdrawn, so "as of"
//!   coverage for a past date never changes when an exemption is added or withdrawn today. The
//!   old unique (program, person) index becomes a partial one over exemptions still in force
//!   (both SQLite and PostgreSQL support partial indexes), so an official can be exempted
//!   again after a withdrawal and the history stays.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProgramRevisions {
    Table,
    Id,
    ProgramId,
    /// 1, 2, 3… per program; unique.
    Revision,
    ChangedAt,
    /// The account that made the change (NULL for the seed and the CLI).
    ChangedBy,
    /// The account's username at the time (kept even if the account goes).
    ChangedByName,
    Reason,
    /// JSON: the program's rule after this revision.
    Snapshot,
}

#[derive(DeriveIden)]
enum Exemptions {
    Table,
    ProgramId,
    PersonId,
    RecordedBy,
    WithdrawnAt,
    WithdrawnBy,
    WithdrawalReason,
}

#[derive(DeriveIden)]
enum Programs {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ProgramRevisions::Table)
                .col(
                    ColumnDef::new(ProgramRevisions::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(ProgramRevisions::ProgramId).big_integer().not_null())
                .col(ColumnDef::new(ProgramRevisions::Revision).integer().not_null())
                .col(
                    ColumnDef::new(ProgramRevisions::ChangedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(ProgramRevisions::ChangedBy).big_integer().null())
                .col(ColumnDef::new(ProgramRevisions::ChangedByName).string().not_null())
                .col(ColumnDef::new(ProgramRevisions::Reason).text().not_null())
                .col(ColumnDef::new(ProgramRevisions::Snapshot).text().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ProgramRevisions::Table, ProgramRevisions::ProgramId)
                        .to(Programs::Table, Programs::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_program_revisions_program_revision")
                .table(ProgramRevisions::Table)
                .col(ProgramRevisions::ProgramId)
                .col(ProgramRevisions::Revision)
                .unique()
                .to_owned(),
        )
        .await?;
        // SQLite takes one change per ALTER TABLE.
        for col in [
            ColumnDef::new(Exemptions::RecordedBy).big_integer().null().to_owned(),
            ColumnDef::new(Exemptions::WithdrawnAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Exemptions::WithdrawnBy).big_integer().null().to_owned(),
            ColumnDef::new(Exemptions::WithdrawalReason).text().null().to_owned(),
        ] {
            m.alter_table(Table::alter().table(Exemptions::Table).add_column(col).to_owned())
                .await?;
        }
        m.drop_index(
            Index::drop()
                .name("uq_exemptions_program_person")
                .table(Exemptions::Table)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_exemptions_program_person")
                .table(Exemptions::Table)
                .col(Exemptions::ProgramId)
                .col(Exemptions::PersonId)
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_exemptions_in_force ON exemptions (program_id, person_id) \
                 WHERE withdrawn_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX uq_exemptions_in_force")
            .await?;
        m.drop_index(
            Index::drop()
                .name("ix_exemptions_program_person")
                .table(Exemptions::Table)
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
        for col in [
            Exemptions::WithdrawalReason,
            Exemptions::WithdrawnBy,
            Exemptions::WithdrawnAt,
            Exemptions::RecordedBy,
        ] {
            m.alter_table(Table::alter().table(Exemptions::Table).drop_column(col).to_owned())
                .await?;
        }
        m.drop_table(Table::drop().table(ProgramRevisions::Table).to_owned())
            .await
    }
}
