//! Uploaded files waiting for confirmation can now be agency files as well as rosters: `kind`
//! says which (`roster` for every upload made before).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RosterUploads {
    Table,
    Kind,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RosterUploads::Table)
                .add_column(
                    ColumnDef::new(RosterUploads::Kind)
                        .string_len(16)
                        .not_null()
                        .default("roster"),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RosterUploads::Table)
                .drop_column(RosterUploads::Kind)
                .to_owned(),
        )
        .await
    }
}
