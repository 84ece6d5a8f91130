//! The national dataset for `make bench`: 100 000 officials (10 % transferred once) in 568
//! agencies (1 country, 63 provinces × 8 teams and the provinces' own offices), 1 000 000
//! completions of six courses over 690 days, their credits and one certificate per official ×
//! course, and two programs over it. Deterministic (a fixed seed). Shared by
//! `coverage_db_bench` and `server/examples/http_bench.rs` (`BENCH_NATIONAL=1`) through
//! `#[path]`.

use app::ssr::coverage::rebuild_credits;
use app::ssr::db::entities::{agency, completion, membership, person, program};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};

pub const PEOPLE: i64 = 100_000;
pub const COMPLETIONS: usize = 1_000_000;
const COURSES: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

/// Agencies (1 country, 63 provinces × 8 teams = 568 with the provinces' own offices), people,
/// memberships, completions; then credits (as `rebuild_credits`) and one certificate per
/// official × course. Returns (program "ever completed", program "valid certificate", a
/// province, a team).
pub async fn generate(db: &DatabaseConnection) -> (program::Model, program::Model, agency::Model, agency::Model) {
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
    // The planner's statistics, as autovacuum would gather them after a load this size (a
    // bulk load read before it is planned on guesses: PostgreSQL's drill-down took 135 ms so).
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
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
