//! Computed coverage views kept for reuse until the data under them changes.
//!
//! A view of the whole country reads a row per official and course (about a second at 100k
//! officials, `make bench`); it changes only when someone completes a course, a roster or
//! the tree changes, a certificate is revoked, an exemption or a program is edited, or a course
//! is republished. The database keeps a version of exactly those tables (migration
//! `m20261206_000019_coverage_version`: triggers, so no writer can forget it). A view is kept under
//! the version read *before* its data, and served again while the version is unchanged —
//! on any node, since the version lives in the database.
//!
//! Requests that miss the same view at once wait for one computation (a node computes each
//! view once: four administrators opening the national dashboard after a write cost one
//! computation's time and memory, not four).
//!
//! What it does not do: a view computed after every write costs what it cost before (a busy hour of exam submissions
//! keeps the national view cold); 64 views per node, so many dates or scopes push the oldest
//! out. A database restored from a backup goes back to an earlier version: the views kept
//! above it are forgotten the first time it is read.

use super::{AgencyLine, Snapshot};
use crate::domain::coverage::{Counts, Forecast, ProgramRule, Rag, WeekPoint};
use crate::ssr::db::entities::{agency, program};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Views kept per node (each a few hundred agency lines and a 21-point series).
const KEPT: usize = 64;

/// On PostgreSQL, change rows folded into the version once there are this many.
const FOLD_AT: i64 = 1_000;

/// What the dashboard and the printed report show of one program, in one scope, on one date.
#[derive(Debug, Clone)]
pub struct View {
    pub program: program::Model,
    pub rule: ProgramRule,
    pub root: agency::Model,
    pub lines: Vec<AgencyLine>,
    pub overall: Counts,
    pub overall_rag: Rag,
    pub series: Vec<WeekPoint>,
    pub forecast: Option<Forecast>,
    /// Of the covered officials, those holding a course of the program through a class.
    pub covered_in_class: u64,
}

/// (version, program, scope root, date)
type Key = (i64, i64, i64, chrono::NaiveDate);

#[derive(Default)]
struct Kept {
    /// Newest last.
    views: VecDeque<(Key, Arc<View>)>,
    /// The highest version seen.
    newest: i64,
}

/// The views kept on this node.
#[derive(Default)]
pub struct Views {
    kept: Mutex<Kept>,
    /// Views being computed, each awaited by every request that wants it meanwhile.
    computing: Mutex<HashMap<Key, Arc<tokio::sync::OnceCell<Arc<View>>>>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Views {
    /// (served again, computed) since the start.
    pub fn counts(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }

    fn get(&self, key: &Key) -> Option<Arc<View>> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if key.0 < kept.newest {
            // The version went back: a database restored from a backup (or a read that began
            // before another's). Views of the versions above it may count rows that are gone,
            // and the same numbers will be reached again by other writes: forget them.
            kept.views.clear();
        }
        kept.newest = key.0;
        kept.views.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn put(&self, key: Key, view: Arc<View>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if key.0 < kept.newest {
            // Computed from a version already overtaken (or from before a restore).
            return;
        }
        kept.newest = key.0;
        // A view of an older version is never asked for again.
        kept.views.retain(|(k, _)| k.0 >= key.0 && k != &key);
        kept.views.push_back((key, view));
        while kept.views.len() > KEPT {
            kept.views.pop_front();
        }
    }
}

/// The version of everything coverage reads: it rises with every committed write to it.
pub async fn version(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT v.n AS n, (SELECT COUNT(*) FROM coverage_changes) AS c FROM coverage_version v WHERE v.id = 1",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("coverage_version".into()))?;
    let n: i64 = row.try_get("", "n")?;
    let changes: i64 = row.try_get("", "c")?;
    if backend == DbBackend::Postgres && changes >= FOLD_AT {
        // Folds the change rows into `n` in one statement: the sum stays what it was. Only
        // housekeeping: a failure (two nodes folding at once) is logged, never the reader's.
        if let Err(e) = db
            .execute_raw(Statement::from_string(
                backend,
                "WITH d AS (DELETE FROM coverage_changes RETURNING 1) \
                 UPDATE coverage_version SET n = n + (SELECT COUNT(*) FROM d) WHERE id = 1",
            ))
            .await
        {
            tracing::warn!(error = %e, "coverage version: folding the change rows failed; left for the next reader");
        }
    }
    Ok(n + changes)
}

/// The view of the program `program_id` in `scope` on `as_of`: kept, or computed and kept.
pub async fn view(
    db: &impl ConnectionTrait,
    views: &Views,
    program_id: i64,
    scope: Option<&crate::ssr::auth::Scope>,
    as_of: chrono::NaiveDate,
) -> Result<Arc<View>, DbErr> {
    // Read first: data read after it is at least as new as the version says — the program's
    // own row included, so a rule is never kept under a version newer than itself.
    let version = version(db).await?;
    let program = crate::ssr::db::by_key::<program::Entity>(db, program_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("program {program_id}")))?;
    let root = scope.map(|s| s.agency_id).unwrap_or(program.root_agency_id);
    let key = (version, program.id, root, as_of);
    if let Some(v) = views.get(&key) {
        views.hits.fetch_add(1, Ordering::Relaxed);
        return Ok(v);
    }
    // One computation per view: a request that finds it under way waits for it. If the one
    // computing fails or is dropped (its client went away), a waiter computes in its place.
    let cell = {
        let mut computing = views.computing.lock().unwrap_or_else(|e| e.into_inner());
        computing.entry(key).or_default().clone()
    };
    let computed_here = std::sync::atomic::AtomicBool::new(false);
    let flag = &computed_here;
    let result = cell
        .get_or_try_init(|| async move {
            flag.store(true, Ordering::Relaxed);
            views.misses.fetch_add(1, Ordering::Relaxed);
            let snap = super::snapshot(db, program, scope, as_of, true).await?;
            let view = Arc::new(compute(db, snap, as_of).await?);
            views.put(key, view.clone());
            Ok::<_, DbErr>(view)
        })
        .await
        .cloned();
    if !computed_here.load(Ordering::Relaxed) && result.is_ok() {
        views.hits.fetch_add(1, Ordering::Relaxed);
    }
    // Kept now (or failed): later requests find it among the kept views, or try again.
    let mut computing = views.computing.lock().unwrap_or_else(|e| e.into_inner());
    if computing.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
        computing.remove(&key);
    }
    result
}

async fn compute(db: &impl ConnectionTrait, snap: Snapshot, as_of: chrono::NaiveDate) -> Result<View, DbErr> {
    let covered: Vec<i64> = snap
        .statuses
        .iter()
        .filter(|s| s.status == crate::domain::coverage::Status::Covered)
        .map(|s| s.person_id)
        .collect();
    let until = crate::ssr::clock::start_of(as_of + chrono::Duration::days(1));
    let covered_in_class = crate::ssr::classes::covered_in_class(db, &covered, &snap.rule.courses, until).await?;
    Ok(View {
        program: snap.program,
        rule: snap.rule,
        root: snap.root,
        lines: snap.lines,
        overall: snap.overall,
        overall_rag: snap.overall_rag,
        series: snap.series,
        forecast: snap.forecast,
        covered_in_class,
    })
}
