//! `make bench` (second part): coverage read from the database at national scale — 100 000
//! officials (10 % transferred once), 568 agencies, 1 000 000 completions and their
//! certificates — through the same `ssr::coverage::snapshot` the dashboard, drill-down and
//! exports use. The baseline, measured in the same run on the same database, is the naive way:
//! reading every completion row into memory (what coverage would cost if it scanned
//! `completions` instead of the per-official `course_credits` kept in the completion
//! transaction). Ratios below 1.00× are faster than that baseline.
//!
//! SQLite in a temporary file by default; `BENCH_DATABASE_URL=postgres://…` (an empty database)
//! runs the same on PostgreSQL. Not a test: numbers depend on the machine.

#[path = "national/generate.rs"]
mod national;

use app::ssr::coverage::snapshot;
use app::ssr::db::entities::{agency, completion, program};
use chrono::Utc;
use national::{COMPLETIONS, PEOPLE, generate};
use sea_orm::EntityTrait;
use std::time::Instant;

/// The server's allocator (`server/src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (url, file) = match std::env::var("BENCH_DATABASE_URL") {
        Ok(u) => (u, None),
        Err(_) => {
            let f = std::env::temp_dir().join(format!("taphuan-bench-{}.db", std::process::id()));
            (format!("sqlite://{}?mode=rwc", f.display()), Some(f))
        }
    };
    let db = app::ssr::db::connect_migrated(&url, 4).await.expect("database");
    let t = Instant::now();
    let (p_ever, p_valid, province, team) = generate(&db).await;
    println!(
        "generated {PEOPLE} officials, {COMPLETIONS} completions, their credits and certificates on {} in {:.1} s",
        if file.is_some() { "SQLite" } else { "PostgreSQL" },
        t.elapsed().as_secs_f64()
    );

    let baseline = time(3, || async {
        let rows: Vec<(i64, String, chrono::DateTime<Utc>)> = completion::Entity::find()
            .select_only_columns()
            .into_tuple()
            .all(&db)
            .await
            .unwrap();
        assert_eq!(rows.len(), COMPLETIONS);
    })
    .await;
    println!("\nbaseline: read every completion row ({COMPLETIONS})   {baseline:>8.1} ms = 1.00×");
    let scope = |a: &agency::Model| app::ssr::auth::Scope {
        agency_id: a.id,
        agency_name: a.name.clone(),
        path: a.path.clone(),
    };
    let today = Utc::now().date_naive();
    let cases: Vec<(&str, program::Model, Option<app::ssr::auth::Scope>, bool)> = vec![
        ("dashboard, whole country, ever completed", p_ever.clone(), None, true),
        (
            "dashboard, whole country, valid certificate",
            p_valid.clone(),
            None,
            true,
        ),
        (
            "dashboard, one province (manager)",
            p_valid.clone(),
            Some(scope(&province)),
            true,
        ),
        ("drill-down, one team", p_valid.clone(), Some(scope(&team)), false),
    ];
    for (label, p, s, series) in cases {
        let ms = time(3, || {
            let p = p.clone();
            let s = s.clone();
            let db = &db;
            async move {
                let snap = snapshot(db, p, s.as_ref(), today, series).await.unwrap();
                assert!(snap.overall.population > 0);
            }
        })
        .await;
        println!("{label:<48} {ms:>8.1} ms = {:.2}×", ms / baseline);
    }
    // The dashboard keeps a computed view until the data under it changes (`views`): what a
    // view costs when nothing has changed since it was computed (the version read, and a look-up).
    let views = app::ssr::coverage::views::Views::default();
    for (label, p) in [
        ("kept view, whole country, ever completed", &p_ever),
        ("kept view, whole country, valid certificate", &p_valid),
    ] {
        app::ssr::coverage::views::view(&db, &views, p.id, None, today)
            .await
            .unwrap();
        let ms = time(3, || {
            let (db, views, id) = (&db, &views, p.id);
            async move {
                let v = app::ssr::coverage::views::view(db, views, id, None, today)
                    .await
                    .unwrap();
                assert!(v.overall.population > 0);
            }
        })
        .await;
        println!("{label:<48} {ms:>8.1} ms = {:.4}×", ms / baseline);
    }
    assert_eq!(views.counts(), (6, 2), "computed once each, then kept");
    // Where the whole country's time goes (BENCH_PHASES=1): the same steps as `snapshot`.
    if std::env::var_os("BENCH_PHASES").is_some() {
        for p in [&p_ever, &p_valid] {
            let rule = app::ssr::coverage::rule_of(p).unwrap();
            let t = Instant::now();
            let facts = app::ssr::coverage::load_facts_within(&db, &rule, p.id, None, None)
                .await
                .unwrap();
            let load = t.elapsed();
            let t = Instant::now();
            let ix = app::domain::coverage::Index::new(&rule, &facts);
            let index = t.elapsed();
            let t = Instant::now();
            let all = ix.evaluate(today);
            let evaluate = t.elapsed();
            let t = Instant::now();
            let roll = ix.rollup(&all);
            let rollup = t.elapsed();
            let t = Instant::now();
            let series = ix.burnup(p.root_agency_id, today, app::ssr::coverage::BURNUP_WEEKS);
            let burnup = t.elapsed();
            println!(
                "phases ({}): load {load:?} ({} memberships, {} credits, {} certificates), index {index:?}, evaluate {evaluate:?}, rollup {rollup:?} ({} agencies), burn-up {burnup:?} ({} points)",
                p.metric,
                facts.memberships.len(),
                facts.credits.len(),
                facts.certificates.len(),
                roll.len(),
                series.len()
            );
        }
    }
    drop(db);
    if let Some(f) = file {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", f.display()));
        }
    }
}

/// The median of `n` runs, in milliseconds.
async fn time<F, Fut>(n: usize, mut f: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut v = vec![];
    for _ in 0..n {
        let t = Instant::now();
        f().await;
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[n / 2]
}

trait OnlyColumns {
    fn select_only_columns(self) -> sea_orm::Select<completion::Entity>;
}

impl OnlyColumns for sea_orm::Select<completion::Entity> {
    fn select_only_columns(self) -> sea_orm::Select<completion::Entity> {
        use sea_orm::QuerySelect;
        self.select_only()
            .column(completion::Column::PersonId)
            .column(completion::Column::CourseId)
            .column(completion::Column::CompletedAt)
    }
}
