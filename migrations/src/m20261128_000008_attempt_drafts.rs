//! An open exam attempt keeps the answers given so far (`draft`, the form fields as JSON, and
//! when they were saved), so a dropped connection, a closed tab or a phone that runs out of
//! battery loses nothing: the exam page fills the answers back in. Grading still reads only what
//! is submitted.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attempts {
    Table,
    Draft,
    DraftSavedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Attempts::Table)
                .add_column(ColumnDef::new(Attempts::Draft).text().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Attempts::Table)
                .add_column(ColumnDef::new(Attempts::DraftSavedAt).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [Attempts::DraftSavedAt, Attempts::Draft] {
            m.alter_table(Table::alter().table(Attempts::Table).drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
