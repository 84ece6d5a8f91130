//! Content reloads: a row each time someone asks every node to read the course library again
//! (`taphuan content reload`). Nodes compare the newest id with the one they loaded and reload
//! their own copy of the files when it grew, so several nodes on one database change library
//! together without a signal to each.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContentReloads {
    Table,
    Id,
    RequestedAt,
    Note,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ContentReloads::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(ContentReloads::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ContentReloads::RequestedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(ContentReloads::Note).string_len(500).not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ContentReloads::Table).to_owned())
            .await
    }
}
