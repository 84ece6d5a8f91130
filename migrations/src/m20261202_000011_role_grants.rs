//! Rights as grants: a person may hold several roles at once (trainer of all courses or of named
//! ones, manager of one or more agency subtrees, admin), each granted and withdrawn with a reason
//! and with who did it and when. Every account may learn; only the other roles are granted.
//!
//! The accounts' old `role` and `scope_agency_id` columns are copied into grants here, then set
//! to `learner` / NULL: from this migration on they are never read (SQLite cannot drop a column
//! that a foreign key uses), so the grants are the one record of who may do what.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    Id,
    AccountId,
    Role,
    AgencyId,
    CourseId,
    Reason,
    GrantedBy,
    GrantedAt,
    RevokedAt,
    RevokedBy,
    RevokeReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RoleGrants::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(RoleGrants::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(RoleGrants::AccountId).big_integer().not_null())
                .col(ColumnDef::new(RoleGrants::Role).string_len(16).not_null())
                .col(ColumnDef::new(RoleGrants::AgencyId).big_integer().null())
                .col(ColumnDef::new(RoleGrants::CourseId).string_len(64).null())
                .col(ColumnDef::new(RoleGrants::Reason).string_len(500).not_null())
                .col(ColumnDef::new(RoleGrants::GrantedBy).big_integer().null())
                .col(
                    ColumnDef::new(RoleGrants::GrantedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(RoleGrants::RevokedAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(RoleGrants::RevokedBy).big_integer().null())
                .col(ColumnDef::new(RoleGrants::RevokeReason).string_len(500).null())
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleGrants::Table, RoleGrants::AccountId)
                        .to(Accounts::Table, Accounts::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleGrants::Table, RoleGrants::AgencyId)
                        .to(Agencies::Table, Agencies::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_role_grants_account")
                .table(RoleGrants::Table)
                .col(RoleGrants::AccountId)
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(
            "INSERT INTO role_grants (account_id, role, agency_id, course_id, reason, granted_by, granted_at) \
             SELECT id, role, CASE WHEN role = 'manager' THEN scope_agency_id ELSE NULL END, NULL, \
                    'Vai trò có từ trước khi có phân quyền', NULL, created_at \
             FROM accounts \
             WHERE role IN ('trainer', 'admin') OR (role = 'manager' AND scope_agency_id IS NOT NULL)",
        )
        .await?;
        db.execute_unprepared("UPDATE accounts SET role = 'learner', scope_agency_id = NULL")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RoleGrants::Table).to_owned()).await
    }
}
