//! Certificates can be revoked from the web (exam fraud, a certificate issued in error): who
//! revoked it is kept beside when and why (`revoked_at`, `revoked_reason` exist since the
//! certificates table was created). The row stays; verification and coverage read the date.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Certificates {
    Table,
    RevokedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Certificates::Table)
                .add_column(ColumnDef::new(Certificates::RevokedBy).big_integer().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Certificates::Table)
                .drop_column(Certificates::RevokedBy)
                .to_owned(),
        )
        .await
    }
}
