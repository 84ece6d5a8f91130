//! Accounts for every official on the roster: one-time codes (activation and password reset),
//! stored only as a keyed hash, and why an account is disabled (`left` = the roster says the
//! official left, undone when they come back; anything else is an administrator's decision);
//! the columns a manager chose for the headers of their unit's roster files; and the record of
//! sign-ins and lock-outs; reminders (in the app and by e-mail) and the e-mail opt-out.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    DisabledReason,
    EmailOptOut,
}

/// Reminders and digests: shown in the app (the bell), and e-mailed when SMTP is configured.
/// `dedupe_key` is unique: a reminder is made once however often the job runs.
#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
    AccountId,
    Kind,
    DedupeKey,
    Title,
    Body,
    Link,
    CreatedAt,
    ReadAt,
    EmailState,
    EmailTo,
    EmailAttempts,
    EmailNextAt,
    EmailSentAt,
    EmailError,
}

#[derive(DeriveIden)]
enum AccountCodes {
    Table,
    Id,
    AccountId,
    Purpose,
    CodeHash,
    IssuedBy,
    IssuedAt,
    ExpiresAt,
    UsedAt,
    VoidedAt,
}

/// Sign-ins that succeeded, accounts activated with a code, and lock-outs (a failed sign-in that
/// starts or lengthens a back-off): who, from where, when.
#[derive(DeriveIden)]
enum SignInEvents {
    Table,
    Id,
    AccountId,
    Username,
    Outcome,
    Address,
    At,
}

/// Columns a manager chose for the headers of their unit's files, remembered for the next one.
#[derive(DeriveIden)]
enum HeaderChoices {
    Table,
    Id,
    ScopeKey,
    Kind,
    HeaderKey,
    Label,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .add_column(ColumnDef::new(Accounts::DisabledReason).string_len(32).null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .add_column(
                    ColumnDef::new(Accounts::EmailOptOut)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Notices::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(Notices::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Notices::AccountId).big_integer().not_null())
                .col(ColumnDef::new(Notices::Kind).string_len(32).not_null())
                .col(
                    ColumnDef::new(Notices::DedupeKey)
                        .string_len(200)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Notices::Title).string_len(300).not_null())
                .col(ColumnDef::new(Notices::Body).text().not_null())
                .col(ColumnDef::new(Notices::Link).string_len(300).not_null())
                .col(ColumnDef::new(Notices::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Notices::ReadAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Notices::EmailState).string_len(16).not_null())
                .col(ColumnDef::new(Notices::EmailTo).string_len(200).null())
                .col(ColumnDef::new(Notices::EmailAttempts).integer().not_null().default(0))
                .col(ColumnDef::new(Notices::EmailNextAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Notices::EmailSentAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Notices::EmailError).text().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notices_account")
                .table(Notices::Table)
                .col(Notices::AccountId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notices_email_state")
                .table(Notices::Table)
                .col(Notices::EmailState)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AccountCodes::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(AccountCodes::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(AccountCodes::AccountId).big_integer().not_null())
                .col(ColumnDef::new(AccountCodes::Purpose).string_len(16).not_null())
                .col(
                    ColumnDef::new(AccountCodes::CodeHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(AccountCodes::IssuedBy).big_integer().null())
                .col(
                    ColumnDef::new(AccountCodes::IssuedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AccountCodes::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(AccountCodes::UsedAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(AccountCodes::VoidedAt).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(AccountCodes::Table, AccountCodes::AccountId)
                        .to(Accounts::Table, Accounts::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_account_codes_account")
                .table(AccountCodes::Table)
                .col(AccountCodes::AccountId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HeaderChoices::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(HeaderChoices::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(HeaderChoices::ScopeKey).string_len(64).not_null())
                .col(ColumnDef::new(HeaderChoices::Kind).string_len(16).not_null())
                .col(ColumnDef::new(HeaderChoices::HeaderKey).string_len(200).not_null())
                .col(ColumnDef::new(HeaderChoices::Label).string_len(64).not_null())
                .col(
                    ColumnDef::new(HeaderChoices::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_header_choices_unique")
                .table(HeaderChoices::Table)
                .col(HeaderChoices::ScopeKey)
                .col(HeaderChoices::Kind)
                .col(HeaderChoices::HeaderKey)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SignInEvents::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(SignInEvents::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(SignInEvents::AccountId).big_integer().null())
                .col(ColumnDef::new(SignInEvents::Username).string_len(64).not_null())
                .col(ColumnDef::new(SignInEvents::Outcome).string_len(16).not_null())
                .col(ColumnDef::new(SignInEvents::Address).string_len(64).null())
                .col(ColumnDef::new(SignInEvents::At).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sign_in_events_account")
                .table(SignInEvents::Table)
                .col(SignInEvents::AccountId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AccountCodes::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .drop_column(Accounts::DisabledReason)
                .to_owned(),
        )
        .await
    }
}
