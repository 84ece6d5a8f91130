//! Agencies' letterheads: the issuing identity an administrative document of an agency prints
//! (managing and issuing body, the symbol's abbreviation, the place of the date line, the
//! signer, the recipients). At most one per agency; an agency without one uses its nearest
//! ancestor's. `recipients` holds one recipient a line. Who changed it last, and when, is kept.

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
enum AgencyLetterheads {
    Table,
    Id,
    AgencyId,
    ParentBody,
    Issuer,
    Symbol,
    Place,
    SignerAuthority,
    SignerTitle,
    SignerName,
    Recipients,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AgencyLetterheads::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(AgencyLetterheads::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(AgencyLetterheads::AgencyId)
                        .big_integer()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(AgencyLetterheads::ParentBody).string_len(200).not_null())
                .col(ColumnDef::new(AgencyLetterheads::Issuer).string_len(200).not_null())
                .col(ColumnDef::new(AgencyLetterheads::Symbol).string_len(40).not_null())
                .col(ColumnDef::new(AgencyLetterheads::Place).string_len(100).not_null())
                .col(
                    ColumnDef::new(AgencyLetterheads::SignerAuthority)
                        .string_len(120)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AgencyLetterheads::SignerTitle)
                        .string_len(120)
                        .not_null(),
                )
                .col(ColumnDef::new(AgencyLetterheads::SignerName).string_len(120).not_null())
                .col(ColumnDef::new(AgencyLetterheads::Recipients).text().not_null())
                .col(
                    ColumnDef::new(AgencyLetterheads::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(AgencyLetterheads::UpdatedBy).big_integer().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(AgencyLetterheads::Table, AgencyLetterheads::AgencyId)
                        .to(Agencies::Table, Agencies::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(AgencyLetterheads::Table, AgencyLetterheads::UpdatedBy)
                        .to(Accounts::Table, Accounts::Id),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AgencyLetterheads::Table).to_owned())
            .await
    }
}
