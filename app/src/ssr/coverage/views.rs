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
//! **After a write** a view is not computed again from every official: each view keeps its
//! basis — every official's standing on each of its dates (`domain::coverage::Tally`) — and
//! the officials whose rows changed since (`coverage_touched`, kept by triggers, migration
//! `m20261208_000021_coverage_touched`) are recomputed from their own rows and put in place of
//! their old standings. A national view after one exam submission reads that official's rows,
//! not 100,000 officials'. A change to the tree, a program or a publish, more than
//! [`REFRESH_AT_MOST`] officials at once (a roster import), or a database restored from a
//! backup computes the view afresh.
//!
//! Limits: 64 views and 8 bases per node, so many dates or scopes push the oldest out (a basis
//! holds a few dozen bytes per official of its scope). A database restored from a backup goes
//! back to an earlier version: the views and bases kept above it are forgotten.

use super::{AgencyLine, BURNUP_WEEKS};
use crate::domain::coverage::{self as cov, Counts, Forecast, ProgramRule, Rag, Tally, WeekPoint};
use crate::ssr::db::entities::{agency, program};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Views kept per node (each a few hundred agency lines and a 21-point series).
const KEPT: usize = 64;

/// Bases kept per node (each every official of its scope: ~10 MB at 100k officials).
const BASES: usize = 8;

/// At most this many changed officials are recomputed one by one; more, and the view is
/// computed afresh (it then costs about the same).
pub const REFRESH_AT_MOST: usize = 5_000;

// The pace compares the view's date with four weeks before: a date of the burn-up.
const _: () = assert!(BURNUP_WEEKS as usize >= cov::TRAILING_WEEKS);

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

/// (program, scope root, date): a view's place, whatever its version.
type Place = (i64, i64, chrono::NaiveDate);

#[derive(Default)]
struct Kept {
    /// Newest last.
    views: VecDeque<(Key, Arc<View>)>,
    /// The highest version seen.
    newest: i64,
}

/// What a view is computed from, kept to bring it up to date one official at a time.
struct Basis {
    /// The version and the mark (see migration 21) its data is at least as new as.
    version: i64,
    mark: Mark,
    program: program::Model,
    rule: ProgramRule,
    root: agency::Model,
    /// The scope's agencies, parents first.
    in_scope: Vec<agency::Model>,
    parent: HashMap<i64, Option<i64>>,
    /// Every agency under the root (the tally counts only these).
    inside: HashSet<i64>,
    /// Every official's standing on each burn-up date (the last is the view's date).
    tally: Tally,
    /// Officials holding a course of the program through a class before the end of the date.
    class: HashSet<i64>,
}

type Slot = Arc<tokio::sync::Mutex<Option<Basis>>>;

/// The views kept on this node.
#[derive(Default)]
pub struct Views {
    kept: Mutex<Kept>,
    /// Newest last.
    bases: Mutex<VecDeque<(Place, Slot)>>,
    /// Views being computed, each awaited by every request that wants it meanwhile.
    computing: Mutex<HashMap<Key, Arc<tokio::sync::OnceCell<Arc<View>>>>>,
    hits: AtomicU64,
    misses: AtomicU64,
    refreshes: AtomicU64,
    recomputed: AtomicU64,
    /// Officials per range when a view of the whole country is computed (`PIECE` unless set).
    piece: Option<u64>,
}

impl Views {
    /// Views computed `officials` at a time (tests split a small world into many ranges).
    pub fn with_piece(officials: u64) -> Views {
        Views {
            piece: Some(officials.max(1)),
            ..Default::default()
        }
    }

    /// (served again, computed or brought up to date) since the start.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed) + self.refreshes.load(Ordering::Relaxed),
        )
    }

    /// Views brought up to date from their basis (the changed officials recomputed), since the
    /// start; the others of [`Views::counts`] were computed from every official.
    pub fn refreshes(&self) -> u64 {
        self.refreshes.load(Ordering::Relaxed)
    }

    /// Officials recomputed one at a time, in all, since the start.
    pub fn officials_recomputed(&self) -> u64 {
        self.recomputed.load(Ordering::Relaxed)
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

    /// Makes the basis of `place`, if there is one, the newest: a view served again keeps its
    /// basis from being pushed out by places opened less often.
    fn used(&self, place: Place) {
        let mut bases = self.bases.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = bases.iter().position(|(p, _)| *p == place)
            && let Some(b) = bases.remove(i)
        {
            bases.push_back(b);
        }
    }

    /// The basis of `place` (empty if there is none yet), now the newest.
    fn slot(&self, place: Place) -> Slot {
        let mut bases = self.bases.lock().unwrap_or_else(|e| e.into_inner());
        let slot = match bases.iter().position(|(p, _)| *p == place) {
            Some(i) => bases.remove(i).map(|(_, s)| s).unwrap_or_default(),
            None => Slot::default(),
        };
        bases.push_back((place, slot.clone()));
        while bases.len() > BASES {
            bases.pop_front();
        }
        slot
    }
}

/// Where `coverage_touched` starts listing the officials changed since a view's data was read
/// (migration 21): on SQLite the version; on PostgreSQL the oldest transaction then running and
/// the snapshot itself, so that only the transactions it could not see are read again (one long
/// transaction — a backup's — must not make every view read everyone written since it began).
#[derive(Debug, Clone)]
struct Mark {
    from: i64,
    snapshot: Option<String>,
}

/// The version of everything coverage reads: it rises with every committed write to it.
pub async fn version(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    Ok(version_and_mark(db).await?.0)
}

/// The version, and the mark: both read before any of a view's data.
async fn version_and_mark(db: &impl ConnectionTrait) -> Result<(i64, Mark), DbErr> {
    let backend = db.get_database_backend();
    let mark = match backend {
        DbBackend::Postgres => {
            "pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS m, pg_current_snapshot()::text AS s"
        }
        _ => "v.n AS m, NULL AS s",
    };
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            format!(
                "SELECT v.n AS n, (SELECT COUNT(*) FROM coverage_changes) AS c, {mark} \
                 FROM coverage_version v WHERE v.id = 1"
            ),
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("coverage_version".into()))?;
    let n: i64 = row.try_get("", "n")?;
    let changes: i64 = row.try_get("", "c")?;
    let mark = Mark {
        from: row.try_get("", "m")?,
        snapshot: row.try_get("", "s")?,
    };
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
    Ok((n + changes, mark))
}

/// Marks every official as changed and moves the version above `above` (a database restored
/// under running nodes, whose last version read was at most `above`): every node computes its
/// views afresh — none finds a view kept under a version the restored data reaches again.
pub async fn touch_everyone(db: &impl ConnectionTrait, above: i64) -> Result<(), DbErr> {
    let stamp = match db.get_database_backend() {
        DbBackend::Postgres => "pg_current_xact_id()::text::bigint",
        _ => "(SELECT n FROM coverage_version WHERE id = 1)",
    };
    db.execute_unprepared(&format!(
        "INSERT INTO coverage_touched (person_id, stamp) VALUES (0, {stamp}) \
         ON CONFLICT (person_id) DO UPDATE SET stamp = excluded.stamp"
    ))
    .await?;
    db.execute_unprepared(&format!(
        "UPDATE coverage_version SET n = n + {} WHERE id = 1",
        above.max(0) + 1
    ))
    .await?;
    Ok(())
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
    let (version, mark) = version_and_mark(db).await?;
    let program = crate::ssr::db::by_key::<program::Entity>(db, program_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("program {program_id}")))?;
    let root = scope.map(|s| s.agency_id).unwrap_or(program.root_agency_id);
    let key = (version, program.id, root, as_of);
    if let Some(v) = views.get(&key) {
        views.hits.fetch_add(1, Ordering::Relaxed);
        views.used((program.id, root, as_of));
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
            let slot = views.slot((program.id, root, as_of));
            let mut basis = slot.lock().await;
            let (mut version, mut mark) = (version, mark);
            if basis.as_ref().is_some_and(|b| version < b.version) {
                // Read before another request brought the basis further, or a restored
                // database: only a version read again tells which.
                (version, mark) = version_and_mark(db).await?;
                if basis.as_ref().is_some_and(|b| version < b.version) {
                    *basis = None;
                }
            }
            let brought = match basis.as_mut() {
                Some(b) if b.program == program => bring_up_to_date(db, b, version, mark.clone()).await?,
                _ => None,
            };
            if let Some(n) = brought {
                views.refreshes.fetch_add(1, Ordering::Relaxed);
                views.recomputed.fetch_add(n as u64, Ordering::Relaxed);
            } else {
                views.misses.fetch_add(1, Ordering::Relaxed);
                let piece = views.piece.unwrap_or(PIECE);
                *basis = Some(compute(db, program, scope, as_of, version, mark, piece).await?);
            }
            let Some(b) = basis.as_ref() else {
                return Err(DbErr::Custom("coverage basis missing".into()));
            };
            let view = Arc::new(derive(b, as_of));
            views.put((version, b.program.id, root, as_of), view.clone());
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

/// Computes a basis from every official of the scope.
async fn compute(
    db: &impl ConnectionTrait,
    program: program::Model,
    scope: Option<&crate::ssr::auth::Scope>,
    as_of: chrono::NaiveDate,
    version: i64,
    mark: Mark,
    piece: u64,
) -> Result<Basis, DbErr> {
    let rule = super::rule_of(&program)?;
    let root_id = scope.map(|s| s.agency_id).unwrap_or(program.root_agency_id);
    let root = crate::ssr::db::by_key::<agency::Entity>(db, root_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("scope agency".into()))?;
    let in_scope = crate::ssr::db::queries::agencies_in_scope(
        db,
        Some(&crate::ssr::auth::Scope {
            agency_id: root.id,
            agency_name: root.name.clone(),
            path: root.path.clone(),
        }),
    )
    .await?;
    let in_scope = super::tree_order(in_scope);
    // A top-level root holds everyone: no filter (it would only cost a subquery).
    let subtree = root.parent_id.is_some().then_some(root.path.as_str());
    let dates: Vec<chrono::NaiveDate> = (0..=BURNUP_WEEKS as i64)
        .rev()
        .map(|w| as_of - chrono::Duration::days(7 * w))
        .collect();
    // The whole country's officials a range of ids at a time (`piece` officials each; a
    // subtree's, at once): an official's runs depend only on their own facts, so the tally is
    // the one computed from everyone at once, while only one range's certificates are held.
    let mut tally = Tally::new(dates);
    // The tree (parents, and the agencies under the root), as the first range read it.
    let mut tree = None;
    let mut from = i64::MIN;
    loop {
        let next = match subtree {
            None => piece_end(db, from, piece).await?,
            Some(_) => None,
        };
        let facts = super::load_facts_between(db, &rule, program.id, from..next.unwrap_or(i64::MAX), subtree).await?;
        let ix = cov::Index::new(&rule, &facts);
        let (_, inside) = tree.get_or_insert_with(|| {
            let parent = ix.parents().clone();
            let inside: HashSet<i64> = parent
                .keys()
                .copied()
                .filter(|a| ix.ancestors(*a).any(|x| x == root.id))
                .collect();
            (parent, inside)
        });
        tally.add(&ix, |a| inside.contains(&a));
        match next {
            Some(n) => from = n,
            None => break,
        }
    }
    let (parent, inside) = tree.unwrap_or_default();
    let last = tally.dates.len() - 1;
    let covered: Vec<i64> = tally
        .everyone()
        .filter(|p| matches!(tally.standing(*p, last), Some((_, cov::Kind::Covered))))
        .collect();
    let class = in_class(db, &covered, &rule, as_of).await?;
    Ok(Basis {
        version,
        mark,
        program,
        rule,
        root,
        in_scope,
        parent,
        inside,
        tally,
        class,
    })
}

/// Brings `b` up to `version` by recomputing the officials changed since its mark, and says
/// how many; None when it must be computed afresh instead (the tree, a program or a publish
/// changed, or too many officials did).
async fn bring_up_to_date(
    db: &impl ConnectionTrait,
    b: &mut Basis,
    version: i64,
    mark: Mark,
) -> Result<Option<usize>, DbErr> {
    use sea_orm::{FromQueryResult, Value};
    #[derive(FromQueryResult)]
    struct Touched {
        person_id: i64,
    }
    let backend = db.get_database_backend();
    let (sql, values) = match (&b.mark.snapshot, backend) {
        (Some(snapshot), DbBackend::Postgres) => (
            format!(
                "SELECT person_id FROM coverage_touched WHERE stamp >= $1 \
                 AND NOT pg_visible_in_snapshot(stamp::text::xid8, $2::pg_snapshot) \
                 ORDER BY person_id LIMIT {}",
                REFRESH_AT_MOST + 1
            ),
            vec![Value::from(b.mark.from), Value::from(snapshot.clone())],
        ),
        _ => (
            format!(
                "SELECT person_id FROM coverage_touched WHERE stamp >= {} ORDER BY person_id LIMIT {}",
                if backend == DbBackend::Postgres { "$1" } else { "?" },
                REFRESH_AT_MOST + 1
            ),
            vec![Value::from(b.mark.from)],
        ),
    };
    let touched: Vec<i64> = Touched::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.person_id)
        .collect();
    if touched.len() > REFRESH_AT_MOST || touched.first() == Some(&0) {
        return Ok(None);
    }
    for chunk in touched.chunks(500) {
        let facts = super::load_facts_within(db, &b.rule, b.program.id, Some(chunk), None).await?;
        let ix = cov::Index::new(&b.rule, &facts);
        for pid in chunk {
            let runs = ix.runs(*pid, &b.tally.dates, |a| b.inside.contains(&a));
            b.tally.set(*pid, runs);
            b.class.remove(pid);
        }
        let date = *b.tally.dates.last().unwrap_or(&crate::ssr::clock::today());
        b.class.extend(in_class(db, chunk, &b.rule, date).await?);
    }
    // The mark read before the officials above were: every write it could not see is one
    // they were read after, or one the next refresh reads.
    b.version = version;
    b.mark = mark;
    Ok(Some(touched.len()))
}

/// Officials per range of ids when a view is computed from every official.
const PIECE: u64 = 20_000;

/// The id at which the range of officials starting at `from` ends (excluded): `piece` officials
/// on, or `None` when fewer are left.
async fn piece_end(db: &impl ConnectionTrait, from: i64, piece: u64) -> Result<Option<i64>, DbErr> {
    use crate::ssr::db::entities::person;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(person::Column::Id.gte(from))
        .order_by_asc(person::Column::Id)
        .offset(piece)
        .limit(1)
        .into_tuple()
        .one(db)
        .await
}

/// Of `people`, those holding a course of the program through a class by the end of `as_of`.
async fn in_class(
    db: &impl ConnectionTrait,
    people: &[i64],
    rule: &ProgramRule,
    as_of: chrono::NaiveDate,
) -> Result<HashSet<i64>, DbErr> {
    let until = crate::ssr::clock::start_of(as_of + chrono::Duration::days(1));
    crate::ssr::classes::through_class(db, people, &rule.courses, until).await
}

/// The view a basis shows.
fn derive(b: &Basis, as_of: chrono::NaiveDate) -> View {
    let last = b.tally.dates.len() - 1;
    let now = b.tally.rollup(last, &b.parent);
    let before = b.tally.rollup(last - cov::TRAILING_WEEKS, &b.parent);
    let lines = super::lines_of(b.in_scope.clone(), &b.root, as_of, &b.rule, &now, &before);
    let series: Vec<WeekPoint> = (0..=last)
        .map(|i| {
            let c = if i == last {
                now.get(&b.root.id).copied()
            } else {
                b.tally.rollup(i, &b.parent).get(&b.root.id).copied()
            }
            .unwrap_or_default();
            WeekPoint {
                date: b.tally.dates[i],
                covered: c.covered,
                base: c.base(),
            }
        })
        .collect();
    let (overall, forecast, overall_rag) = super::summary(&b.rule, b.root.id, as_of, &now, &before, &series, true);
    let covered_in_class = b
        .class
        .iter()
        .filter(|p| matches!(b.tally.standing(**p, last), Some((_, cov::Kind::Covered))))
        .count() as u64;
    View {
        program: b.program.clone(),
        rule: b.rule.clone(),
        root: b.root.clone(),
        lines,
        overall,
        overall_rag,
        series,
        forecast,
        covered_in_class,
    }
}
