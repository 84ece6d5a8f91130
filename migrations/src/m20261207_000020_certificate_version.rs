//! The instant of the course version a certificate was earned on: an exam attempt's start (the
//! version served then), otherwise when the course was completed. A substantive publish after
//! it replaces that version — whether the certificate was issued before or after the publish.
//! The list of affected officials, the settling of a recertification and the coverage metric
//! "certified on the current version" all compare publishes with this one instant.
//! Existing rows are filled from their attempt; the others stay empty (= issued).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Certificates {
    Table,
    VersionAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Certificates::Table)
                .add_column(
                    ColumnDef::new(Certificates::VersionAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE certificates SET version_at = \
                   (SELECT a.started_at FROM completions c JOIN attempts a ON a.id = c.attempt_id \
                    WHERE c.id = certificates.completion_id) \
                 WHERE EXISTS (SELECT 1 FROM completions c WHERE c.id = certificates.completion_id \
                               AND c.attempt_id IS NOT NULL)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Certificates::Table)
                .drop_column(Certificates::VersionAt)
                .to_owned(),
        )
        .await
    }
}
