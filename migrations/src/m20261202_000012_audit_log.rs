//! The audit log: an append-only, hash-chained record of every event that makes or changes a
//! training record (completions, certificates issued and revoked, roster changes, exemptions,
//! target revisions, role grants, sign-in lock-outs).
//!
//! Each event's text (`body`, JSON) is kept as written; `digest` is its SHA-256 and
//! `hash = SHA-256(prev_hash ":" digest)` links it to the one before. `audit_head` holds the last
//! link: every append first updates that one row, which serialises appends on PostgreSQL (a row
//! lock held to commit) as SQLite's single writer does, so the chain never forks.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    Seq,
    At,
    Kind,
    PersonId,
    Body,
    Digest,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

/// The hash before the first link.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(AuditEvents::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(AuditEvents::Seq).big_integer().not_null().unique_key())
                .col(ColumnDef::new(AuditEvents::At).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(AuditEvents::Kind).string_len(40).not_null())
                .col(ColumnDef::new(AuditEvents::PersonId).big_integer().null())
                .col(ColumnDef::new(AuditEvents::Body).text().not_null())
                .col(ColumnDef::new(AuditEvents::Digest).string_len(64).not_null())
                .col(ColumnDef::new(AuditEvents::PrevHash).string_len(64).not_null())
                .col(ColumnDef::new(AuditEvents::Hash).string_len(64).not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_audit_events_person")
                .table(AuditEvents::Table)
                .col(AuditEvents::PersonId)
                .col(AuditEvents::Seq)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .if_not_exists()
                .col(ColumnDef::new(AuditHead::Id).integer().not_null().primary_key())
                .col(ColumnDef::new(AuditHead::Seq).big_integer().not_null())
                .col(ColumnDef::new(AuditHead::Hash).string_len(64).not_null())
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS}')"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditHead::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(AuditEvents::Table).to_owned()).await
    }
}
