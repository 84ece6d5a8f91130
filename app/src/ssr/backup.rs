//! Backup, restore and the health check that proves a database (or a restored copy) sound.
//!
//! - **SQLite**: `VACUUM INTO` writes a consistent, compact copy while the server keeps
//!   serving (it reads one snapshot; writers are not blocked in WAL mode). Restore checks the
//!   copy first (integrity, audit chain, credits), then puts it in place of the database file
//!   (the server must be stopped).
//! - **PostgreSQL**: `pg_dump --format=custom` (consistent under load: one snapshot), and
//!   `pg_restore --clean --if-exists --no-owner` into the configured database; then the same check.

use super::audit::{self, Verdict};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};
use std::path::Path;

/// What the health check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// SQLite `PRAGMA integrity_check` (`ok`), or `-` on PostgreSQL.
    pub integrity: String,
    pub chain: Verdict,
    /// Course credits that differ from a recompute.
    pub credits: Vec<String>,
    pub completions: i64,
    pub certificates: i64,
    pub attempts: i64,
}

impl Health {
    pub fn sound(&self) -> bool {
        (self.integrity == "ok" || self.integrity == "-")
            && matches!(self.chain, Verdict::Sound { .. })
            && self.credits.is_empty()
    }
}

impl std::fmt::Display for Health {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "integrity: {}", self.integrity)?;
        match &self.chain {
            Verdict::Sound { links } => writeln!(f, "audit chain: sound, {links} links")?,
            Verdict::Broken(b) => writeln!(f, "audit chain: BROKEN — {b}")?,
            Verdict::Records(p) => {
                writeln!(f, "audit chain: links sound, but {} record(s) differ:", p.len())?;
                for line in p.iter().take(20) {
                    writeln!(f, "  {line}")?;
                }
            }
        }
        if self.credits.is_empty() {
            writeln!(f, "course credits: equal to a recompute")?;
        } else {
            writeln!(f, "course credits: {} differ from a recompute:", self.credits.len())?;
            for line in self.credits.iter().take(20) {
                writeln!(f, "  {line}")?;
            }
        }
        write!(
            f,
            "records: {} completions, {} certificates, {} exam attempts",
            self.completions, self.certificates, self.attempts
        )
    }
}

async fn count(db: &impl ConnectionTrait, table: &str) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await?
        .ok_or_else(|| DbErr::Custom(format!("no count of {table}")))?;
    row.try_get::<i64>("", "n")
}

/// Integrity (SQLite), the audit chain and its records, and the course credits.
pub async fn health(db: &impl ConnectionTrait) -> Result<Health, DbErr> {
    let integrity = if db.get_database_backend() == DbBackend::Sqlite {
        let rows = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA integrity_check".to_string(),
            ))
            .await?;
        rows.iter()
            .filter_map(|r| r.try_get_by_index::<String>(0).ok())
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        "-".to_string()
    };
    Ok(Health {
        integrity,
        chain: audit::verify(db).await?,
        credits: super::coverage::credits_disagree(db).await?,
        completions: count(db, "completions").await?,
        certificates: count(db, "certificates").await?,
        attempts: count(db, "attempts").await?,
    })
}

/// The SQLite file of a `sqlite:` URL, or None for PostgreSQL.
pub fn sqlite_file(url: &str) -> Option<String> {
    super::db::sqlite_path(url)
}

/// Writes a backup of the live database to `out` (which must not exist yet).
pub async fn backup(db: &DatabaseConnection, url: &str, out: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(!out.exists(), "{} already exists: choose a new file", out.display());
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let path = out
                .to_str()
                .ok_or_else(|| anyhow::anyhow!("the backup path is not UTF-8"))?;
            db.execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
                .await?;
        }
        _ => {
            let status = std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(out)
                .arg(url)
                .status()
                .map_err(|e| anyhow::anyhow!("cannot run pg_dump (install PostgreSQL's client tools): {e}"))?;
            anyhow::ensure!(status.success(), "pg_dump failed ({status})");
        }
    }
    Ok(())
}

/// Restores `from` into the database of `url` after checking it. SQLite: the server must be
/// stopped; the current file is kept beside it as `FILE.before-restore`.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<Health> {
    anyhow::ensure!(from.exists(), "{} does not exist", from.display());
    let mut version_before = 0;
    match sqlite_file(url) {
        Some(target) => {
            // The copy is checked where it will go live, before anything is replaced.
            let target = Path::new(&target);
            let beside = |suffix: &str| std::path::PathBuf::from(format!("{}{suffix}", target.display()));
            let tmp = beside(".restoring");
            std::fs::copy(from, &tmp)?;
            let tmp_url = format!(
                "sqlite://{}",
                tmp.to_str()
                    .ok_or_else(|| anyhow::anyhow!("the database path is not UTF-8"))?
            );
            let db = super::db::connect(&tmp_url, 1).await?;
            let h = health(&db).await;
            db.close().await?;
            let h = h?;
            if !h.sound() {
                let _ = std::fs::remove_file(&tmp);
                anyhow::bail!("the backup is not sound; nothing was restored:\n{h}");
            }
            std::fs::File::open(&tmp)?.sync_all()?;
            if target.exists() {
                std::fs::rename(target, beside(".before-restore"))?;
            }
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(beside(suffix));
            }
            std::fs::rename(&tmp, target)?;
        }
        None => {
            // The version nodes still running may have read (none if there is no database yet).
            let before = match super::db::connect(url, 1).await {
                Ok(db) => {
                    let v = super::coverage::views::version(&db).await.unwrap_or(0);
                    db.close().await.ok();
                    v
                }
                Err(_) => 0,
            };
            version_before = before;
            let status = std::process::Command::new("pg_restore")
                .args([
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                ])
                .arg(url)
                .arg(from)
                .status()
                .map_err(|e| anyhow::anyhow!("cannot run pg_restore (install PostgreSQL's client tools): {e}"))?;
            anyhow::ensure!(status.success(), "pg_restore failed ({status})");
        }
    }
    let db = super::db::connect(url, 1).await?;
    let h = health(&db).await?;
    if sqlite_file(url).is_none() {
        // Nodes still running keep coverage bases computed from the data replaced: they must
        // compute them afresh (on SQLite the server was stopped).
        if let Err(e) = super::coverage::views::touch_everyone(&db, version_before).await {
            tracing::warn!(error = %e, "coverage views not marked stale after the restore: restart the nodes");
        }
    }
    db.close().await?;
    Ok(h)
}
