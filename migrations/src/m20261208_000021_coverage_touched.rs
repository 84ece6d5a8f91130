//! Which officials' coverage facts changed, and when, so that a kept coverage view can be
//! brought up to date by recomputing only those officials (a national view after one exam
//! submission costs one official, not 100,000).
//!
//! `coverage_touched` holds one row per official ever touched, with the `stamp` of the last
//! write to their rows in memberships, course credits, completions, certificates or
//! exemptions; person 0 stands for "everything" (a write to agencies, programs or content
//! publishes, a truncate, or a restored database). A view remembers a mark read with the
//! coverage version, before its data; the officials with `stamp >= mark` are those whose rows
//! may have changed since. Reading too many is harmless (an official is recomputed from their
//! current rows); missing one is not, hence the stamps:
//! - on SQLite (one writer at a time) the stamp is the coverage version at the write, and the
//!   mark is the version read;
//! - on PostgreSQL the stamp is the writing transaction's id and the mark is the snapshot of
//!   the read of the version: the officials whose last writer it could not see
//!   (`pg_visible_in_snapshot`), all at or above its oldest running transaction. A row keeps the
//!   id of its last committed writer (a later writer waits for the row's lock), so a writer the
//!   snapshot could not see is never hidden behind one it could.
//!
//! Known cost on PostgreSQL: an official's row stays locked until the writing transaction ends,
//! so an exam submission by an official a roster import is rewriting waits for that import's
//! commit (seconds, for 10,000 officials). An append-only log would avoid the wait at the price
//! of pruning it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose rows belong to one official.
pub const PERSONAL: [&str; 5] = [
    "memberships",
    "course_credits",
    "completions",
    "certificates",
    "exemptions",
];

/// Tables a change to which can move anyone's standing.
pub const GLOBAL: [&str; 3] = ["agencies", "programs", "content_publishes"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE TABLE coverage_touched (person_id BIGINT NOT NULL PRIMARY KEY, stamp BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX ix_coverage_touched_stamp ON coverage_touched (stamp)")
            .await?;
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                // Each statement's officials in one upsert, in order of id: two statements
                // touching the same officials lock their rows in the same order.
                let upsert = |people: &str| {
                    format!(
                        "INSERT INTO coverage_touched (person_id, stamp) \
                         SELECT p, pg_current_xact_id()::text::bigint FROM ({people}) AS t(p) \
                         ORDER BY p \
                         ON CONFLICT (person_id) DO UPDATE SET stamp = excluded.stamp;"
                    )
                };
                for (name, body) in [
                    ("coverage_touch_new", upsert("SELECT DISTINCT person_id FROM new_rows")),
                    ("coverage_touch_old", upsert("SELECT DISTINCT person_id FROM old_rows")),
                    (
                        "coverage_touch_both",
                        upsert("SELECT person_id FROM old_rows UNION SELECT person_id FROM new_rows"),
                    ),
                    (
                        "coverage_touch_all",
                        "INSERT INTO coverage_touched (person_id, stamp) \
                         VALUES (0, pg_current_xact_id()::text::bigint) \
                         ON CONFLICT (person_id) DO UPDATE SET stamp = excluded.stamp;"
                            .to_string(),
                    ),
                ] {
                    db.execute_unprepared(&format!(
                        "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                         BEGIN {body} RETURN NULL; END $$"
                    ))
                    .await?;
                }
                for t in PERSONAL {
                    for (op, refs, f) in [
                        ("INSERT", "NEW TABLE AS new_rows", "coverage_touch_new"),
                        (
                            "UPDATE",
                            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                            "coverage_touch_both",
                        ),
                        ("DELETE", "OLD TABLE AS old_rows", "coverage_touch_old"),
                    ] {
                        let name = op.to_lowercase();
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER coverage_touch_{t}_{name} AFTER {op} ON {t} \
                             REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION {f}()"
                        ))
                        .await?;
                    }
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER coverage_touch_{t}_truncate AFTER TRUNCATE ON {t} \
                         FOR EACH STATEMENT EXECUTE FUNCTION coverage_touch_all()"
                    ))
                    .await?;
                }
                for t in GLOBAL {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER coverage_touch_{t} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
                         ON {t} FOR EACH STATEMENT EXECUTE FUNCTION coverage_touch_all()"
                    ))
                    .await?;
                }
            }
            _ => {
                // An update, then an insert if there was nothing to update: not `INSERT OR
                // REPLACE`, whose conflict rule the outer statement's own would override.
                let touch = |who: &str| {
                    let stamp = "(SELECT n FROM coverage_version WHERE id = 1)";
                    format!(
                        "UPDATE coverage_touched SET stamp = {stamp} WHERE person_id = {who}; \
                         INSERT INTO coverage_touched (person_id, stamp) SELECT {who}, {stamp} \
                         WHERE NOT EXISTS (SELECT 1 FROM coverage_touched WHERE person_id = {who});"
                    )
                };
                for t in PERSONAL {
                    for (op, body) in [
                        ("INSERT", touch("NEW.person_id")),
                        (
                            "UPDATE",
                            format!("{} {}", touch("OLD.person_id"), touch("NEW.person_id")),
                        ),
                        ("DELETE", touch("OLD.person_id")),
                    ] {
                        let name = op.to_lowercase();
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER coverage_touch_{t}_{name} AFTER {op} ON {t} BEGIN {body} END"
                        ))
                        .await?;
                    }
                }
                for t in GLOBAL {
                    for op in ["INSERT", "UPDATE", "DELETE"] {
                        let name = op.to_lowercase();
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER coverage_touch_{t}_{name} AFTER {op} ON {t} BEGIN {} END",
                            touch("0")
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
                for t in PERSONAL {
                    for op in ["insert", "update", "delete", "truncate"] {
                        db.execute_unprepared(&format!("DROP TRIGGER coverage_touch_{t}_{op} ON {t}"))
                            .await?;
                    }
                }
                for t in GLOBAL {
                    db.execute_unprepared(&format!("DROP TRIGGER coverage_touch_{t} ON {t}"))
                        .await?;
                }
                for f in [
                    "coverage_touch_new",
                    "coverage_touch_old",
                    "coverage_touch_both",
                    "coverage_touch_all",
                ] {
                    db.execute_unprepared(&format!("DROP FUNCTION {f}()")).await?;
                }
            }
            _ => {
                for t in PERSONAL.iter().chain(GLOBAL.iter()) {
                    for op in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER coverage_touch_{t}_{op}"))
                            .await?;
                    }
                }
            }
        }
        db.execute_unprepared("DROP TABLE coverage_touched").await?;
        Ok(())
    }
}
