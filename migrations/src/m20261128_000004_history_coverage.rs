//! History for coverage "as of" a date, and the tables coverage reads at scale:
//!
//! - `memberships`: which agency an official belonged to, with which position and enforcement
//!   duty, from `valid_from` (inclusive, NULL = always) to `valid_to` (exclusive, NULL = still).
//!   Backfilled from `people` (one open period each). `people.agency_id/position/enforcement`
//!   stay as the *current* values; the periods are the history.
//! - `course_credits`: the first completion of each (person, course), kept current in the same
//!   transaction as each completion (`ssr::coverage::on_completion`); coverage reads this instead
//!   of scanning every completion.
//! - `roster_uploads`: an uploaded roster file awaiting preview and confirmation (and the audit
//!   trail of what was applied, by whom, when).
//! - `outreach_events` and `outreach_populations`: sessions for sellers and consumer campaigns,
//!   against the known population per agency/area.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    PersonId,
    AgencyId,
    Position,
    Enforcement,
    ValidFrom,
    ValidTo,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CourseCredits {
    Table,
    PersonId,
    CourseId,
    FirstCompletedAt,
}

#[derive(DeriveIden)]
enum RosterUploads {
    Table,
    Id,
    AccountId,
    Filename,
    Content,
    Status,
    Summary,
    CreatedAt,
    AppliedAt,
}

#[derive(DeriveIden)]
enum OutreachEvents {
    Table,
    Id,
    AgencyId,
    HeldOn,
    /// `sellers` (sessions for sellers on platforms) or `consumers` (consumer campaigns).
    Kind,
    Title,
    Reached,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutreachPopulations {
    Table,
    Id,
    AgencyId,
    Kind,
    Population,
    Source,
}

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(
                    ColumnDef::new(Memberships::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Memberships::PersonId).big_integer().not_null())
                .col(ColumnDef::new(Memberships::AgencyId).big_integer().not_null())
                .col(ColumnDef::new(Memberships::Position).string().not_null())
                .col(
                    ColumnDef::new(Memberships::Enforcement)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ColumnDef::new(Memberships::ValidFrom).date().null())
                .col(ColumnDef::new(Memberships::ValidTo).date().null())
                .col(ColumnDef::new(Memberships::CreatedAt).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Memberships::Table, Memberships::PersonId)
                        .to(People::Table, People::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Memberships::Table, Memberships::AgencyId)
                        .to(Agencies::Table, Agencies::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_memberships_person")
                .table(Memberships::Table)
                .col(Memberships::PersonId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_memberships_agency")
                .table(Memberships::Table)
                .col(Memberships::AgencyId)
                .to_owned(),
        )
        .await?;
        // One open period per existing official (plain SQL: identical on SQLite and PostgreSQL).
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO memberships (person_id, agency_id, position, enforcement, valid_from, valid_to) \
                 SELECT id, agency_id, position, enforcement, start_date, end_date FROM people",
            )
            .await?;

        m.create_table(
            Table::create()
                .table(CourseCredits::Table)
                .col(ColumnDef::new(CourseCredits::PersonId).big_integer().not_null())
                .col(ColumnDef::new(CourseCredits::CourseId).string_len(128).not_null())
                .col(
                    ColumnDef::new(CourseCredits::FirstCompletedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(CourseCredits::PersonId)
                        .col(CourseCredits::CourseId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CourseCredits::Table, CourseCredits::PersonId)
                        .to(People::Table, People::Id),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO course_credits (person_id, course_id, first_completed_at) \
                 SELECT person_id, course_id, MIN(completed_at) FROM completions GROUP BY person_id, course_id",
            )
            .await?;

        m.create_table(
            Table::create()
                .table(RosterUploads::Table)
                .col(
                    ColumnDef::new(RosterUploads::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(RosterUploads::AccountId).big_integer().not_null())
                .col(ColumnDef::new(RosterUploads::Filename).string().not_null())
                .col(ColumnDef::new(RosterUploads::Content).text().not_null())
                .col(ColumnDef::new(RosterUploads::Status).string_len(16).not_null())
                .col(ColumnDef::new(RosterUploads::Summary).text().not_null().default(""))
                .col(
                    ColumnDef::new(RosterUploads::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RosterUploads::AppliedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OutreachEvents::Table)
                .col(
                    ColumnDef::new(OutreachEvents::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(OutreachEvents::AgencyId).big_integer().not_null())
                .col(ColumnDef::new(OutreachEvents::HeldOn).date().not_null())
                .col(ColumnDef::new(OutreachEvents::Kind).string_len(16).not_null())
                .col(ColumnDef::new(OutreachEvents::Title).string().not_null())
                .col(ColumnDef::new(OutreachEvents::Reached).big_integer().not_null())
                .col(
                    ColumnDef::new(OutreachEvents::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OutreachEvents::Table, OutreachEvents::AgencyId)
                        .to(Agencies::Table, Agencies::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OutreachPopulations::Table)
                .col(
                    ColumnDef::new(OutreachPopulations::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(OutreachPopulations::AgencyId).big_integer().not_null())
                .col(ColumnDef::new(OutreachPopulations::Kind).string_len(16).not_null())
                .col(ColumnDef::new(OutreachPopulations::Population).big_integer().not_null())
                .col(
                    ColumnDef::new(OutreachPopulations::Source)
                        .string()
                        .not_null()
                        .default(""),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OutreachPopulations::Table, OutreachPopulations::AgencyId)
                        .to(Agencies::Table, Agencies::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_outreach_populations_agency_kind")
                .table(OutreachPopulations::Table)
                .col(OutreachPopulations::AgencyId)
                .col(OutreachPopulations::Kind)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            OutreachPopulations::Table.into_iden(),
            OutreachEvents::Table.into_iden(),
            RosterUploads::Table.into_iden(),
            CourseCredits::Table.into_iden(),
            Memberships::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
