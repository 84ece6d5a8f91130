//! The foundation: the agency tree, the officials (people) in it, and sign-in accounts.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
    Code,
    Name,
    Kind,
    ParentId,
    /// Materialised path of ancestor ids, e.g. `/1/4/9/`: a subtree is one `LIKE` prefix.
    Path,
    ValidFrom,
    ValidTo,
    MergedIntoId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    Code,
    FullName,
    AgencyId,
    Position,
    Enforcement,
    Email,
    Phone,
    StartDate,
    EndDate,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    PersonId,
    ScopeAgencyId,
    TokenVersion,
    Disabled,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Agencies::Table)
                    .col(
                        ColumnDef::new(Agencies::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Agencies::Code).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(Agencies::Name).string().not_null())
                    .col(ColumnDef::new(Agencies::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Agencies::ParentId).big_integer().null())
                    .col(ColumnDef::new(Agencies::Path).string().not_null().default(""))
                    .col(ColumnDef::new(Agencies::ValidFrom).date().null())
                    .col(ColumnDef::new(Agencies::ValidTo).date().null())
                    .col(ColumnDef::new(Agencies::MergedIntoId).big_integer().null())
                    .col(
                        ColumnDef::new(Agencies::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agencies::Table, Agencies::ParentId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agencies_path")
                    .table(Agencies::Table)
                    .col(Agencies::Path)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(People::Table)
                    .col(
                        ColumnDef::new(People::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(People::Code).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(People::FullName).string().not_null())
                    .col(ColumnDef::new(People::AgencyId).big_integer().not_null())
                    .col(ColumnDef::new(People::Position).string().not_null())
                    .col(ColumnDef::new(People::Enforcement).boolean().not_null().default(false))
                    .col(ColumnDef::new(People::Email).string().null())
                    .col(ColumnDef::new(People::Phone).string().null())
                    .col(ColumnDef::new(People::StartDate).date().null())
                    .col(ColumnDef::new(People::EndDate).date().null())
                    .col(ColumnDef::new(People::Active).boolean().not_null().default(true))
                    .col(ColumnDef::new(People::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(People::Table, People::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_people_agency")
                    .table(People::Table)
                    .col(People::AgencyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(
                        ColumnDef::new(Accounts::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Accounts::Username)
                            .string_len(128)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Accounts::PasswordHash).string().not_null())
                    .col(ColumnDef::new(Accounts::Role).string_len(16).not_null())
                    .col(ColumnDef::new(Accounts::PersonId).big_integer().null())
                    .col(ColumnDef::new(Accounts::ScopeAgencyId).big_integer().null())
                    .col(
                        ColumnDef::new(Accounts::TokenVersion)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(Accounts::Disabled).boolean().not_null().default(false))
                    .col(
                        ColumnDef::new(Accounts::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::ScopeAgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Accounts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(People::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Agencies::Table).to_owned())
            .await?;
        Ok(())
    }
}
