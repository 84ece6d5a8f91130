//! The database: connecting (SQLite tuned for concurrent users, or PostgreSQL with the same
//! code), the sea-orm entities, and the queries the API needs. Nothing here is shown to users
//! raw: callers map `DbErr` to an internal error that is logged once.

pub mod entities;
pub mod queries;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, TransactionOptions};
use std::time::Duration;

/// Opens the pool. On SQLite: WAL (readers never block the writer), synchronous FULL (a commit
/// is on disk before it is acknowledged: an exam result survives a power cut, not only a killed
/// process), a 5 s busy timeout, foreign keys on, and the parent folder created. `max` bounds
/// the pool.
pub async fn connect(url: &str, max: u32) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_path(url)
        && let Some(parent) = std::path::Path::new(&path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut opts = ConnectOptions::new(url.to_string());
    opts.max_connections(max.max(1))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    opts.map_sqlx_sqlite_opts(|o| {
        o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
    });
    Database::connect(opts).await
}

pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// Options for a transaction that reads and then writes. On SQLite it begins IMMEDIATE, taking
/// the write lock up front, so two such transactions queue behind the busy timeout instead of
/// one failing with "database is locked" when it upgrades from read to write.
pub fn write_tx() -> TransactionOptions {
    TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    }
}

/// Migrates on a short-lived connection of its own, then opens the pool. On SQLite a pooled
/// connection that loaded the schema before a migration changed it can prepare statements
/// against the stale schema (e.g. an upsert "does not match any UNIQUE constraint"), so no pooled
/// connection may exist while migrations run.
pub async fn connect_migrated(url: &str, max: u32) -> Result<DatabaseConnection, DbErr> {
    let one = connect(url, 1).await?;
    migrate(&one).await?;
    one.close().await?;
    connect(url, max).await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    use migrations::MigratorTrait;
    migrations::Migrator::up(db, None).await
}

/// `true` on PostgreSQL (some queries differ, e.g. case-insensitive matching).
pub fn is_postgres(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_sqlite_file_in_a_url() {
        assert_eq!(
            super::sqlite_path("sqlite://data/t.db?mode=rwc").as_deref(),
            Some("data/t.db")
        );
        assert_eq!(super::sqlite_path("sqlite::memory:"), None);
        assert_eq!(super::sqlite_path("postgres://x"), None);
    }
}
