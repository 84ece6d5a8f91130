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

use app::ssr::coverage::{rebuild_credits, snapshot};
use app::ssr::db::entities::{agency, completion, membership, person, program};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};
use std::time::Instant;

const PEOPLE: i64 = 100_000;
const COMPLETIONS: usize = 1_000_000;
const COURSES: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

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

/// Agencies (1 country, 63 provinces × 8 teams = 568 with the provinces' own offices), people,
/// memberships, completions; then credits (as `rebuild_credits`) and one certificate per
/// official × course. Returns (program "ever completed", program "valid certificate", a
/// province, a team).
async fn generate(db: &DatabaseConnection) -> (program::Model, program::Model, agency::Model, agency::Model) {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let now = Utc::now();
    let mut s: u64 = 0x5eed;
    let mut next = move |n: u64| {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (s >> 33) % n
    };
    let tx = db.begin().await.unwrap();
    let new_agency = |code: String, parent: Option<i64>| agency::ActiveModel {
        code: Set(code.clone()),
        name: Set(format!("Đơn vị {code}")),
        kind: Set("other".into()),
        parent_id: Set(parent),
        path: Set(String::new()),
        valid_from: Set(None),
        valid_to: Set(None),
        merged_into_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    let root = agency::Entity::insert(new_agency("VN".into(), None))
        .exec(&tx)
        .await
        .unwrap()
        .last_insert_id;
    let mut teams = vec![];
    for p in 0..63 {
        let pid = agency::Entity::insert(new_agency(format!("P{p:02}"), Some(root)))
            .exec(&tx)
            .await
            .unwrap()
            .last_insert_id;
        teams.push(pid);
        for t in 0..8 {
            let tid = agency::Entity::insert(new_agency(format!("P{p:02}-T{t}"), Some(pid)))
                .exec(&tx)
                .await
                .unwrap()
                .last_insert_id;
            teams.push(tid);
        }
    }
    tx.commit().await.unwrap();
    app::ssr::roster::recompute_paths(db).await.unwrap();

    let tx = db.begin().await.unwrap();
    let mut ids = Vec::with_capacity(PEOPLE as usize);
    let mut people = vec![];
    let mut members = vec![];
    for i in 0..PEOPLE {
        let a = teams[next(teams.len() as u64) as usize];
        let enf = next(10) < 8;
        people.push(person::ActiveModel {
            code: Set(format!("CB{i:06}")),
            full_name: Set(format!("Cán bộ {i}")),
            agency_id: Set(a),
            position: Set("Kiểm soát viên thị trường".into()),
            enforcement: Set(enf),
            email: Set(None),
            phone: Set(None),
            start_date: Set(Some(start)),
            end_date: Set(None),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        });
        if people.len() == 1000 {
            insert_people(&tx, &mut people, &mut ids).await;
        }
    }
    insert_people(&tx, &mut people, &mut ids).await;
    let agencies_of: std::collections::HashMap<i64, (i64, bool)> = person::Entity::find()
        .all(&tx)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, (p.agency_id, p.enforcement)))
        .collect();
    for &pid in &ids {
        let (a, enf) = agencies_of[&pid];
        let m = |agency_id, from, to| membership::ActiveModel {
            person_id: Set(pid),
            agency_id: Set(agency_id),
            position: Set("Kiểm soát viên thị trường".into()),
            enforcement: Set(enf),
            valid_from: Set(from),
            valid_to: Set(to),
            created_at: Set(Some(now)),
            ..Default::default()
        };
        if next(10) == 0 {
            let cut = start + Duration::days(next(600) as i64);
            let b = teams[next(teams.len() as u64) as usize];
            members.push(m(b, Some(start), Some(cut)));
            members.push(m(a, Some(cut), None));
        } else {
            members.push(m(a, Some(start), None));
        }
        if members.len() >= 1000 {
            membership::Entity::insert_many(std::mem::take(&mut members))
                .exec_without_returning(&tx)
                .await
                .unwrap();
        }
    }
    if !members.is_empty() {
        membership::Entity::insert_many(members)
            .exec_without_returning(&tx)
            .await
            .unwrap();
    }
    let mut batch = vec![];
    for i in 0..COMPLETIONS {
        let pid = ids[next(ids.len() as u64) as usize];
        let at = Utc.from_utc_datetime(&(start + Duration::days(next(690) as i64)).and_hms_opt(9, 0, 0).unwrap());
        batch.push(completion::ActiveModel {
            person_id: Set(pid),
            course_id: Set(COURSES[next(COURSES.len() as u64) as usize].into()),
            course_hash: Set("bench".into()),
            score_percent: Set(Some(80)),
            completed_at: Set(at),
            source: Set("bench".into()),
            attempt_id: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
        if batch.len() == 1000 || i + 1 == COMPLETIONS {
            completion::Entity::insert_many(std::mem::take(&mut batch))
                .exec_without_returning(&tx)
                .await
                .unwrap();
        }
    }
    rebuild_credits(&tx).await.unwrap();
    tx.execute_unprepared(
        "INSERT INTO certificates (number, person_id, course_id, completion_id, issued_at, valid_until) \
         SELECT 'B-' || CAST(c.id AS TEXT), c.person_id, c.course_id, c.id, c.completed_at, NULL FROM completions c \
         WHERE c.id IN (SELECT MIN(id) FROM completions GROUP BY person_id, course_id)",
    )
    .await
    .unwrap();
    let prog = |code: &str, metric: &str| program::ActiveModel {
        code: Set(code.into()),
        name: Set(code.into()),
        description: Set(String::new()),
        root_agency_id: Set(root),
        positions: Set("[]".into()),
        enforcement_only: Set(true),
        course_ids: Set(r#"["a","b","c","d"]"#.into()),
        course_rule: Set("all".into()),
        threshold_percent: Set(100),
        deadline: Set(NaiveDate::from_ymd_opt(2027, 12, 31).unwrap()),
        metric: Set(metric.into()),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    };
    let p1 = program::Entity::insert(prog("EVER", "ever_completed"))
        .exec_with_returning(&tx)
        .await
        .unwrap();
    let p2 = program::Entity::insert(prog("VALID", "valid_at_deadline"))
        .exec_with_returning(&tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let province = agency::Entity::find_by_id(teams[0]).one(db).await.unwrap().unwrap();
    let team = agency::Entity::find_by_id(teams[1]).one(db).await.unwrap().unwrap();
    (p1, p2, province, team)
}

async fn insert_people(tx: &impl ConnectionTrait, batch: &mut Vec<person::ActiveModel>, ids: &mut Vec<i64>) {
    if batch.is_empty() {
        return;
    }
    let rows = person::Entity::insert_many(std::mem::take(batch))
        .exec_with_returning(tx)
        .await
        .unwrap();
    ids.extend(rows.into_iter().map(|p| p.id));
}
