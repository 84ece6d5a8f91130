//! `make bench` (third part): a roster of 10 000 new officials imported through the real import
//! (`ssr::roster::apply`: check, diff, people, membership periods and an account for each, in
//! one transaction) on a fresh SQLite database with the demo seed. The goal is under 10 s on
//! the 2-core machine. The baseline, measured in the same run on the same kind of database, is
//! the bare minimum such an import must write: 10 000 people rows inserted in one transaction
//! with nothing checked; the ratio says what the checks, the history and the accounts cost.
//!
//! Not a test: numbers depend on the machine.

use app::domain::roster::{HeaderChoices, ImportMode};
use app::ssr::db::entities::{account, person};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, Statement, TransactionTrait,
};
use std::time::Instant;

/// The server's allocator (`server/src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const N: usize = 10_000;
const TEAMS: [&str; 4] = ["GL-QLTT-D01", "GL-QLTT-D02", "GL-QLTT-D03", "GL-QLTT-D04"];

async fn fresh(tag: &str) -> (sea_orm::DatabaseConnection, std::path::PathBuf) {
    let f = std::env::temp_dir().join(format!("taphuan-roster-bench-{tag}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&f);
    let db = app::ssr::db::connect_migrated(&format!("sqlite://{}?mode=rwc", f.display()), 4)
        .await
        .expect("database");
    app::ssr::seed::seed_demo(&db).await.expect("seed");
    (db, f)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut csv = String::from("mã cán bộ,họ và tên,mã đơn vị,chức vụ,nhiệm vụ thực thi,email\n");
    for i in 0..N {
        csv.push_str(&format!(
            "BENCH{i:06},Cán bộ Thử {i},{},Kiểm soát viên thị trường,{},cb{i}@example.vn\n",
            TEAMS[i % TEAMS.len()],
            if i % 3 == 0 { "không" } else { "có" }
        ));
    }

    let (db, f1) = fresh("base").await;
    let t = Instant::now();
    let tx = db.begin().await.unwrap();
    let agency_id = app::ssr::db::queries::agency_names(&tx)
        .await
        .unwrap()
        .into_keys()
        .max()
        .unwrap();
    let now = chrono::Utc::now();
    let rows: Vec<person::ActiveModel> = (0..N)
        .map(|i| person::ActiveModel {
            code: Set(format!("BENCH{i:06}")),
            full_name: Set(format!("Cán bộ Thử {i}")),
            agency_id: Set(agency_id),
            position: Set("Kiểm soát viên thị trường".into()),
            enforcement: Set(true),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        person::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let baseline = t.elapsed().as_secs_f64();
    drop(db);
    let _ = std::fs::remove_file(&f1);

    let (db, f2) = fresh("import").await;
    let import = timed_import(&db, &csv).await;
    drop(db);
    let _ = std::fs::remove_file(&f2);

    // What the coverage version's triggers (`ssr::coverage::views`: one counter raised per row
    // written to a table coverage reads) cost an import this size: the same import without them.
    let (db, f3) = fresh("untriggered").await;
    let triggers: Vec<String> = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'coverage_changed_%'",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect();
    assert!(
        !triggers.is_empty(),
        "the coverage version's triggers are there to drop"
    );
    for t in &triggers {
        db.execute_unprepared(&format!("DROP TRIGGER {t}")).await.unwrap();
    }
    let untriggered = timed_import(&db, &csv).await;
    drop(db);
    let _ = std::fs::remove_file(&f3);

    println!("\nroster import, {N} new officials with their accounts (SQLite, one transaction)");
    println!(
        "baseline: insert {N} people rows, nothing checked   {:>8.2} s = 1.00×",
        baseline
    );
    println!(
        "import with checks, history and accounts            {:>8.2} s = {:.2}×   goal < 10 s: {}",
        import,
        import / baseline,
        if import < 10.0 { "met" } else { "MISSED" }
    );
    println!(
        "the same import without the coverage version's triggers {:>5.2} s: they cost {:+.0} %",
        untriggered,
        (import / untriggered - 1.0) * 100.0
    );
}

/// The real import of `csv` into `db`, checked; its time in seconds.
async fn timed_import(db: &sea_orm::DatabaseConnection, csv: &str) -> f64 {
    let t = Instant::now();
    let (applied, plan) = app::ssr::roster::apply(
        db,
        csv.as_bytes(),
        None,
        chrono::Utc::now().date_naive(),
        ImportMode::Update,
        &HeaderChoices::new(),
        None,
    )
    .await
    .expect("import");
    let took = t.elapsed().as_secs_f64();
    assert!(plan.errors.is_empty(), "{:?}", &plan.errors[..plan.errors.len().min(3)]);
    assert!(
        matches!(applied, app::ssr::roster::Applied::Done(N, 0, 0, 0)),
        "{applied:?}"
    );
    let accounts = account::Entity::find()
        .filter(account::Column::Username.starts_with("bench"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(accounts as usize, N, "an account for every new official");
    took
}
