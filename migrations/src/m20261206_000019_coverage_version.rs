//! A version of everything coverage reads, moved by the database itself in the transaction of
//! every write to it, so that a computed coverage view can be kept and reused until the data
//! under it changes — on one node or many.
//!
//! `coverage_version.n` plus the number of rows of `coverage_changes` is the version. Triggers
//! on the tables coverage reads (agencies, memberships, course credits, completions,
//! certificates, exemptions, programs, content publishes) raise it:
//! - on SQLite (one writer at a time) each write adds 1 to `coverage_version.n`;
//! - on PostgreSQL each statement appends a row to `coverage_changes` — an insert takes no lock
//!   another transaction waits for, where an update of one shared row would queue every
//!   concurrent exam submission behind the last one's commit. The server folds the rows into
//!   `n` now and then, in one transaction, which leaves the sum as it was.
//!
//! A view reads the version before it reads the data, so a view kept under a version never
//! misses a change that version counts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose rows a coverage view is computed from.
pub const WATCHED: [&str; 8] = [
    "agencies",
    "memberships",
    "course_credits",
    "completions",
    "certificates",
    "exemptions",
    "programs",
    "content_publishes",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("CREATE TABLE coverage_version (id INTEGER NOT NULL PRIMARY KEY, n BIGINT NOT NULL)")
            .await?;
        db.execute_unprepared("INSERT INTO coverage_version (id, n) VALUES (1, 0)")
            .await?;
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("CREATE TABLE coverage_changes (id BIGSERIAL PRIMARY KEY)")
                    .await?;
                db.execute_unprepared(
                    "CREATE FUNCTION coverage_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN INSERT INTO coverage_changes DEFAULT VALUES; RETURN NULL; END $$",
                )
                .await?;
                for t in WATCHED {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER coverage_changed_{t} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
                         ON {t} FOR EACH STATEMENT EXECUTE FUNCTION coverage_changed()"
                    ))
                    .await?;
                }
            }
            _ => {
                db.execute_unprepared("CREATE TABLE coverage_changes (id INTEGER PRIMARY KEY AUTOINCREMENT)")
                    .await?;
                for t in WATCHED {
                    for op in ["INSERT", "UPDATE", "DELETE"] {
                        let name = op.to_lowercase();
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER coverage_changed_{t}_{name} AFTER {op} ON {t} \
                             BEGIN UPDATE coverage_version SET n = n + 1 WHERE id = 1; END"
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                for t in WATCHED {
                    db.execute_unprepared(&format!("DROP TRIGGER coverage_changed_{t} ON {t}"))
                        .await?;
                }
                db.execute_unprepared("DROP FUNCTION coverage_changed()").await?;
            }
            _ => {
                for t in WATCHED {
                    for op in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER coverage_changed_{t}_{op}"))
                            .await?;
                    }
                }
            }
        }
        db.execute_unprepared("DROP TABLE coverage_changes").await?;
        db.execute_unprepared("DROP TABLE coverage_version").await?;
        Ok(())
    }
}
