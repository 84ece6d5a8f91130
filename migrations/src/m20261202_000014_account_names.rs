//! A name for accounts that are not an official on the roster (the province's administrator, a
//! trainer from outside, a steering-committee member): people are shown by name, never by their
//! username. An official's account keeps showing the roster's name.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    DisplayName,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .add_column(ColumnDef::new(Accounts::DisplayName).string_len(200).null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .drop_column(Accounts::DisplayName)
                .to_owned(),
        )
        .await
    }
}
