//! The database: connecting (SQLite tuned for concurrent users, or PostgreSQL with the same
//! code), the sea-orm entities, and the queries the API needs. Nothing here is shown to users
//! raw: callers map `DbErr` to an internal error that is logged once.

pub mod entities;
pub mod queries;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement, TransactionOptions,
};
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

/// A write transaction ([`write_tx`]) opened in its turn at writing
/// ([`super::state::AppState::write_turn`]), from [`super::state::AppState::begin_write`]. The
/// turn ends with the transaction, committed or dropped, and never outlives it: whatever the
/// holder does after its commit (another write included) cannot wait on its own turn.
pub struct WriteTx<'a> {
    // Declared first, dropped first: the transaction rolls back before the turn is passed on.
    tx: DatabaseTransaction,
    _turn: Option<tokio::sync::MutexGuard<'a, ()>>,
}

impl<'a> WriteTx<'a> {
    pub(crate) fn new(tx: DatabaseTransaction, turn: Option<tokio::sync::MutexGuard<'a, ()>>) -> Self {
        Self { tx, _turn: turn }
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTx<'_> {
    fn get_database_backend(&self) -> DbBackend {
        self.tx.get_database_backend()
    }
    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.tx.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.tx.execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.tx.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.tx.query_all_raw(stmt).await
    }
    fn support_returning(&self) -> bool {
        self.tx.support_returning()
    }
}

/// The row of `E` whose primary key is `id`, if any. `.all()`, not `.one()`: `.one()` binds
/// `LIMIT ?`, and SQLite's planner reads a bound LIMIT's value, so every execution prepares the
/// statement again (docs/PERFORMANCE.md, "the lesson page"). For the paths every request or
/// every exam submission takes; the key is unique, so there is one row at most.
pub async fn by_key<E>(db: &impl ConnectionTrait, id: i64) -> Result<Option<E::Model>, DbErr>
where
    E: sea_orm::EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    Ok(E::find_by_id(id).all(db).await?.into_iter().next())
}

/// Writes whose results nobody reads, sent as one: on SQLite one query string, which sqlx runs
/// statement after statement on the connection's thread, binding the `?`s in order (one round
/// trip to that thread instead of one per statement, while every other writer waits its turn:
/// docs/PERFORMANCE.md, "Where an exam submission's time goes"); on PostgreSQL one after another
/// (its protocol takes one statement with values per query). Run it inside a transaction: a
/// statement that fails leaves the ones before it written until the transaction rolls back.
pub struct Batch {
    backend: DbBackend,
    statements: Vec<Statement>,
}

impl Batch {
    pub fn new(db: &impl ConnectionTrait) -> Batch {
        Batch {
            backend: db.get_database_backend(),
            statements: Vec::new(),
        }
    }

    /// Adds a statement (an insert, update or delete built by sea-orm).
    pub fn push(&mut self, q: &impl sea_orm::QueryTrait) {
        self.statements.push(q.build(self.backend));
    }

    /// Runs every statement, in order.
    pub async fn run(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        if self.backend != DbBackend::Sqlite || self.statements.len() < 2 {
            for s in self.statements {
                db.execute_raw(s).await?;
            }
            return Ok(());
        }
        let mut sql = String::new();
        let mut values = Vec::new();
        for s in self.statements {
            if !sql.is_empty() {
                sql.push_str(";\n");
            }
            sql.push_str(&s.sql);
            values.extend(s.values.map(|v| v.0).unwrap_or_default());
        }
        db.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, sql, values))
            .await
            .map(|_| ())
    }
}

/// Migrates, then opens the pool (see [`connect_prepared`]); for commands that only need the
/// database up to date.
pub async fn connect_migrated(url: &str, max: u32) -> Result<DatabaseConnection, DbErr> {
    connect_prepared(url, max).await?.release().await
}

/// The pool of a database that is migrated and held for preparing: until [`Prepared::release`],
/// no other node or command on the same database is past its own migrations, so what a start
/// does once (adopting old records into the audit log, seeding an empty database) is done by
/// one of several nodes started together.
pub struct Prepared {
    pub db: DatabaseConnection,
    lock: StartupLock,
}

impl Prepared {
    /// Lets the next node or command go on; returns the pool.
    pub async fn release(self) -> Result<DatabaseConnection, DbErr> {
        self.lock.release().await?;
        Ok(self.db)
    }
}

/// Takes the start-up lock, migrates on a short-lived connection of its own, then opens the
/// pool. On SQLite a pooled connection that loaded the schema before a migration changed it can
/// prepare statements against the stale schema (e.g. an upsert "does not match any UNIQUE
/// constraint"), so no pooled connection may exist while migrations run.
pub async fn connect_prepared(url: &str, max: u32) -> Result<Prepared, DbErr> {
    let lock = StartupLock::take(url).await?;
    migrate(&lock.conn).await?;
    let db = connect(url, max).await?;
    Ok(Prepared { db, lock })
}

/// The start-up lock. On PostgreSQL a session advisory lock, held by a connection of its own
/// (released when that connection ends, even if the process dies); on SQLite an exclusive lock
/// on the file `<database>.startup-lock` beside it (released by the system when the process
/// ends). An in-memory SQLite database has one process and needs none.
struct StartupLock {
    conn: DatabaseConnection,
    _file: Option<std::fs::File>,
}

/// The advisory lock's key: any constant the other users of the database do not take.
const STARTUP_LOCK_KEY: i64 = 31_920_231_122;

impl StartupLock {
    async fn take(url: &str) -> Result<StartupLock, DbErr> {
        // Connecting first creates the SQLite file's folder.
        let conn = connect(url, 1).await?;
        let file = match sqlite_path(url) {
            Some(path) => Some(lock_file(format!("{path}.startup-lock")).await?),
            None => None,
        };
        if is_postgres(&conn) {
            conn.execute_unprepared(&format!("SELECT pg_advisory_lock({STARTUP_LOCK_KEY})"))
                .await?;
        }
        Ok(StartupLock { conn, _file: file })
    }

    async fn release(self) -> Result<(), DbErr> {
        if is_postgres(&self.conn) {
            self.conn
                .execute_unprepared(&format!("SELECT pg_advisory_unlock({STARTUP_LOCK_KEY})"))
                .await?;
        }
        self.conn.close().await
    }
}

/// Opens `path` and waits for its exclusive lock (off the async threads: it blocks).
async fn lock_file(path: String) -> Result<std::fs::File, DbErr> {
    let fail = |e: std::io::Error| DbErr::Custom(format!("cannot lock {path}: {e}"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(fail)?;
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await
        .map_err(|e| DbErr::Custom(format!("cannot lock {path}: {e}")))?
        .map_err(fail)
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
