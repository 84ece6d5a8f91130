//! Taphuan's schema history. Migrations are append-only: never edit one that has been applied;
//! add a new one. They use their own `Iden` enums (not the app's entities) so old migrations keep
//! compiling when entities change, and every one runs on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_foundation;
mod m20261128_000002_content_versions;
mod m20261128_000003_programs_completions;
mod m20261128_000004_history_coverage;
mod m20261128_000005_learner_journey;
mod m20261128_000006_program_editing;
mod m20261128_000007_certificate_revocation;
mod m20261128_000008_attempt_drafts;
mod m20261128_000009_upload_kind;
mod m20261202_000010_account_codes;
mod m20261202_000011_role_grants;
mod m20261202_000012_audit_log;
mod m20261202_000013_agency_letterheads;
mod m20261202_000014_account_names;
mod m20261203_000015_classes;
mod m20261203_000016_content_reloads;
mod m20261204_000017_content_publishes;
mod m20261205_000018_recertifications;
mod m20261206_000019_coverage_version;
mod m20261207_000020_certificate_version;
mod m20261208_000021_coverage_touched;

/// The ordered list of migrations that `taphuan migrate` and start-up apply.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261128_000002_content_versions::Migration),
            Box::new(m20261128_000003_programs_completions::Migration),
            Box::new(m20261128_000004_history_coverage::Migration),
            Box::new(m20261128_000005_learner_journey::Migration),
            Box::new(m20261128_000006_program_editing::Migration),
            Box::new(m20261128_000007_certificate_revocation::Migration),
            Box::new(m20261128_000008_attempt_drafts::Migration),
            Box::new(m20261128_000009_upload_kind::Migration),
            Box::new(m20261202_000010_account_codes::Migration),
            Box::new(m20261202_000011_role_grants::Migration),
            Box::new(m20261202_000012_audit_log::Migration),
            Box::new(m20261202_000013_agency_letterheads::Migration),
            Box::new(m20261202_000014_account_names::Migration),
            Box::new(m20261203_000015_classes::Migration),
            Box::new(m20261203_000016_content_reloads::Migration),
            Box::new(m20261204_000017_content_publishes::Migration),
            Box::new(m20261205_000018_recertifications::Migration),
            Box::new(m20261206_000019_coverage_version::Migration),
            Box::new(m20261207_000020_certificate_version::Migration),
            Box::new(m20261208_000021_coverage_touched::Migration),
        ]
    }
}
