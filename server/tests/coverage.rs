//! Coverage on generated data: thousands of officials, random completions, transfers, leavers,
//! exemptions and a merger. The dashboard's numbers — today and "as of" past dates, overall and
//! per agency, for an admin and for a scoped manager — must equal a naive recomputation written
//! here from the raw rows, and the course credits kept by `on_completion` must equal a full
//! recompute from the completions.

mod common;
use app::domain::identity::{NewPassword, Role, Username};
use app::ssr::db::entities::{agency, completion, exemption, membership, person, program};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::TestApp;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use std::collections::{HashMap, HashSet};

const COURSES: [&str; 3] = ["x1", "x2", "x3"];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

struct World {
    program_id: i64,
    root: i64,
    branch1: i64,
    leaf1: i64,
}

async fn new_agency(app: &TestApp, code: &str, parent: Option<i64>, valid_to: Option<NaiveDate>) -> i64 {
    agency::ActiveModel {
        code: Set(code.into()),
        name: Set(format!("Đơn vị {code}")),
        kind: Set("other".into()),
        parent_id: Set(parent),
        path: Set(String::new()),
        valid_from: Set(None),
        valid_to: Set(valid_to),
        merged_into_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap()
    .id
}

async fn generate(app: &TestApp, n_people: usize) -> World {
    let db = &app.state.db;
    let mut rng = StdRng::seed_from_u64(2025);
    let root = new_agency(app, "GEN-ROOT", None, None).await;
    let outside = new_agency(app, "GEN-OUT", None, None).await;
    let mut branches = vec![];
    let mut leaves = vec![];
    for b in 0..3 {
        let bid = new_agency(app, &format!("GEN-B{}", b + 1), Some(root), None).await;
        branches.push(bid);
        for l in 0..4 {
            leaves.push(new_agency(app, &format!("GEN-B{}-L{}", b + 1, l + 1), Some(bid), None).await);
        }
    }
    // A team merged into leaf 1 on 1/3/2026.
    let merged_on = d(2026, 3, 1);
    let merged = new_agency(app, "GEN-B1-M", Some(branches[0]), Some(merged_on)).await;
    let mut am: agency::ActiveModel = agency::Entity::find_by_id(merged)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into();
    am.merged_into_id = Set(Some(leaves[0]));
    am.update(db).await.unwrap();
    app::ssr::roster::recompute_paths(db).await.unwrap();

    let p = program::ActiveModel {
        code: Set("GEN-P".into()),
        name: Set("Generated".into()),
        description: Set(String::new()),
        root_agency_id: Set(root),
        positions: Set("[]".into()),
        enforcement_only: Set(true),
        course_ids: Set(serde_json::to_string(&COURSES).unwrap()),
        course_rule: Set("all".into()),
        threshold_percent: Set(90),
        deadline: Set(d(2026, 12, 31)),
        metric: Set("ever_completed".into()),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();

    let now = Utc::now();
    let people: Vec<person::ActiveModel> = (0..n_people)
        .map(|i| person::ActiveModel {
            code: Set(format!("G{i:06}")),
            full_name: Set(format!("Cán bộ {i}")),
            agency_id: Set(root),
            position: Set("KSV".into()),
            enforcement: Set(true),
            email: Set(None),
            phone: Set(None),
            start_date: Set(None),
            end_date: Set(None),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for c in people.chunks(500) {
        person::Entity::insert_many(c.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    let ids: Vec<i64> = person::Entity::find()
        .filter(person::Column::Code.starts_with("G"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    let day = |rng: &mut StdRng, from: NaiveDate, to: NaiveDate| {
        from + Duration::days(rng.gen_range(0..(to - from).num_days()))
    };
    let mut periods = vec![];
    let mut completions = vec![];
    let mut exemptions = vec![];
    let mut pool = leaves.clone();
    pool.push(merged);
    pool.push(outside);
    for &pid in &ids {
        let start = day(&mut rng, d(2025, 1, 1), d(2025, 6, 1));
        let first = pool[rng.gen_range(0..pool.len())];
        let enf = rng.gen_bool(0.8);
        let leaves_on = rng.gen_bool(0.05).then(|| day(&mut rng, d(2025, 9, 1), d(2026, 10, 1)));
        let mut cuts = vec![];
        if first == merged {
            cuts.push((merged_on, leaves[0], enf));
        } else if rng.gen_bool(0.2) {
            let to = leaves[rng.gen_range(0..leaves.len())];
            cuts.push((
                day(&mut rng, d(2025, 8, 1), d(2026, 6, 1)),
                to,
                if rng.gen_bool(0.1) { !enf } else { enf },
            ));
        }
        let mut from = start;
        let mut at = (first, enf);
        for (cut, to, e) in cuts {
            if leaves_on.is_some_and(|l| l <= cut) {
                break;
            }
            periods.push((pid, at.0, at.1, from, Some(cut)));
            from = cut;
            at = (to, e);
        }
        periods.push((pid, at.0, at.1, from, leaves_on));
        for c in COURSES {
            if rng.gen_bool(0.6) {
                for _ in 0..rng.gen_range(1..3) {
                    completions.push((pid, c, day(&mut rng, d(2025, 3, 1), d(2026, 11, 1))));
                }
            }
        }
        if rng.gen_ratio(1, 100) {
            exemptions.push((pid, day(&mut rng, d(2025, 6, 1), d(2026, 10, 1))));
        }
    }
    let rows: Vec<membership::ActiveModel> = periods
        .iter()
        .map(|&(pid, a, e, f, t)| membership::ActiveModel {
            person_id: Set(pid),
            agency_id: Set(a),
            position: Set("KSV".into()),
            enforcement: Set(e),
            valid_from: Set(Some(f)),
            valid_to: Set(t),
            created_at: Set(None),
            ..Default::default()
        })
        .collect();
    for c in rows.chunks(500) {
        membership::Entity::insert_many(c.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    // Completions arrive one transaction each, as the learner's journey records them, and
    // keep the credits current through the hook.
    let tx = db.begin().await.unwrap();
    for (pid, c, on) in &completions {
        let at = Utc.from_utc_datetime(&on.and_hms_opt(10, 30, 0).unwrap());
        complete(&tx, *pid, c, at, "exam").await;
    }
    tx.commit().await.unwrap();
    for (pid, since) in exemptions {
        exemption::ActiveModel {
            program_id: Set(p.id),
            person_id: Set(pid),
            reason: Set("Nghỉ dài hạn".into()),
            approved_by: Set("Thủ trưởng".into()),
            created_at: Set(Utc.from_utc_datetime(&since.and_hms_opt(9, 0, 0).unwrap())),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    World {
        program_id: p.id,
        root,
        branch1: branches[0],
        leaf1: leaves[0],
    }
}

/// (population, exempt, covered) per agency, computed naively from the raw tables.
async fn naive(app: &TestApp, w: &World, on: NaiveDate) -> (HashMap<i64, (u64, u64, u64)>, HashMap<i64, HashSet<i64>>) {
    let db = &app.state.db;
    let parent: HashMap<i64, Option<i64>> = agency::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.id, a.parent_id))
        .collect();
    let chain = |mut a: i64| {
        let mut v = vec![a];
        while let Some(Some(p)) = parent.get(&a) {
            v.push(*p);
            a = *p;
        }
        v
    };
    let periods = membership::Entity::find().all(db).await.unwrap();
    let comps = completion::Entity::find().all(db).await.unwrap();
    let exempt: Vec<exemption::Model> = exemption::Entity::find()
        .filter(exemption::Column::ProgramId.eq(w.program_id))
        .all(db)
        .await
        .unwrap();
    let mut out: HashMap<i64, (u64, u64, u64)> = HashMap::new();
    let mut missing: HashMap<i64, HashSet<i64>> = HashMap::new();
    let mut persons: Vec<i64> = periods.iter().map(|m| m.person_id).collect();
    persons.sort();
    persons.dedup();
    for pid in persons {
        let Some(m) = periods
            .iter()
            .find(|m| m.person_id == pid && m.valid_from.is_none_or(|f| f <= on) && m.valid_to.is_none_or(|t| on < t))
        else {
            continue;
        };
        let ancestors = chain(m.agency_id);
        if !ancestors.contains(&w.root) || !m.enforcement {
            continue;
        }
        let is_exempt = exempt
            .iter()
            .any(|e| e.person_id == pid && e.created_at.date_naive() <= on);
        let covered = !is_exempt
            && COURSES.iter().all(|c| {
                comps
                    .iter()
                    .any(|x| x.person_id == pid && x.course_id == *c && x.completed_at.date_naive() <= on)
            });
        for a in ancestors {
            let e = out.entry(a).or_default();
            e.0 += 1;
            e.1 += is_exempt as u64;
            e.2 += covered as u64;
            if !is_exempt && !covered {
                missing.entry(a).or_default().insert(pid);
            }
        }
    }
    (out, missing)
}

/// A completion as the learner's journey records it: the row, and the course credit the hook
/// keeps current, in the caller's transaction.
async fn complete(tx: &impl ConnectionTrait, person: i64, course: &str, at: DateTime<Utc>, source: &str) {
    let row = completion::ActiveModel {
        person_id: Set(person),
        course_id: Set(course.into()),
        course_hash: Set("h".into()),
        score_percent: Set(Some(90)),
        completed_at: Set(at),
        source: Set(source.into()),
        attempt_id: Set(None),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(tx)
    .await
    .unwrap();
    app::ssr::coverage::on_completion(tx, &row).await.unwrap();
}

/// An administrator and the manager of branch 1 of the generated world, signed in.
async fn generated_users(app: &TestApp) -> (String, String) {
    let db = &app.state.db;
    let pw = NewPassword::parse("mat-khau-du-dai-1").unwrap();
    app::ssr::seed::create_user(db, &Username::parse("gen.admin").unwrap(), &pw, Role::Admin, None)
        .await
        .unwrap();
    app::ssr::seed::create_user(
        db,
        &Username::parse("gen.manager").unwrap(),
        &pw,
        Role::Manager,
        Some("GEN-B1"),
    )
    .await
    .unwrap();
    let admin = app.sign_in("gen.admin", "mat-khau-du-dai-1").await.unwrap();
    let manager = app.sign_in("gen.manager", "mat-khau-du-dai-1").await.unwrap();
    (admin, manager)
}

fn counts(v: &serde_json::Value) -> (u64, u64, u64) {
    (
        v["population"].as_u64().unwrap(),
        v["exempt"].as_u64().unwrap(),
        v["covered"].as_u64().unwrap(),
    )
}

#[tokio::test]
async fn dashboard_and_as_of_numbers_equal_a_naive_recomputation_on_generated_data() {
    let app = TestApp::spawn_empty().await;
    let w = generate(&app, 2500).await;
    let db = &app.state.db;
    let (admin, manager) = generated_users(&app).await;

    // The credits kept by on_completion equal a full recompute from the completions.
    assert_eq!(
        app::ssr::coverage::credits_table(db).await.unwrap(),
        app::ssr::coverage::credits_from_completions(db).await.unwrap(),
        "[{}]",
        app.backend
    );

    // Today-ish, before the merger, and early on.
    for on in [d(2026, 11, 1), d(2026, 2, 15), d(2025, 10, 1)] {
        let (want, missing) = naive(&app, &w, on).await;
        let r = app
            .call(
                "coverage",
                &format!("program={}&as_of={on}", w.program_id),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = r.json();
        assert_eq!(
            counts(&r["overall"]),
            want[&w.root],
            "[{}] overall on {on}",
            app.backend
        );
        let rows = r["agencies"].as_array().unwrap();
        let listed: HashSet<i64> = rows.iter().map(|a| a["id"].as_i64().unwrap()).collect();
        for a in rows {
            let id = a["id"].as_i64().unwrap();
            assert_eq!(
                counts(&a["counts"]),
                want.get(&id).copied().unwrap_or_default(),
                "[{}] agency {} on {on}",
                app.backend,
                a["code"]
            );
        }
        for (id, c) in &want {
            assert!(
                listed.contains(id) || c.0 == 0,
                "agency {id} with officials is listed on {on}"
            );
        }
        // The merged team shows before the merger (with its officials) and not after.
        let merged_listed = rows.iter().any(|a| a["code"] == "GEN-B1-M");
        assert_eq!(merged_listed, on < d(2026, 3, 1), "merged team listed on {on}");

        // The manager of branch 1 sees exactly their subtree's numbers.
        let m = app
            .call(
                "coverage",
                &format!("program={}&as_of={on}", w.program_id),
                Some(&manager),
            )
            .await
            .json();
        assert_eq!(counts(&m["overall"]), want[&w.branch1], "manager overall on {on}");
        assert!(
            m["agencies"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["code"].as_str().unwrap().starts_with("GEN-B1"))
        );

        // Drill-down: exactly the officials the naive count says are missing.
        let page = app
            .call(
                "coverage_missing",
                &format!("program={}&agency_id={}&as_of={on}", w.program_id, w.leaf1),
                Some(&manager),
            )
            .await
            .json();
        let got: HashSet<i64> = page["missing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert_eq!(
            got,
            missing.get(&w.leaf1).cloned().unwrap_or_default(),
            "missing in leaf 1 on {on}"
        );
    }

    // The burn-up's last point is the dashboard's number; earlier points match "as of".
    let r = app
        .call(
            "coverage",
            &format!("program={}&as_of=2026-11-01", w.program_id),
            Some(&admin),
        )
        .await
        .json();
    let series = r["series"].as_array().unwrap();
    assert_eq!(series.len(), 21);
    let last = &series[20];
    assert_eq!(
        last["covered"].as_u64().unwrap(),
        r["overall"]["covered"].as_u64().unwrap()
    );
    let p10 = &series[10];
    let on: NaiveDate = p10["date"].as_str().unwrap().parse().unwrap();
    let (want, _) = naive(&app, &w, on).await;
    let (pop, ex, cov) = want[&w.root];
    assert_eq!(
        (p10["covered"].as_u64().unwrap(), p10["base"].as_u64().unwrap()),
        (cov, pop - ex)
    );

    // Out of scope: another branch's agency is refused, in the drill-down and the exports.
    let b2 = app.agency_id("GEN-B2").await;
    let r = app
        .call(
            "coverage_missing",
            &format!("program={}&agency_id={b2}&as_of=", w.program_id),
            Some(&manager),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .get(
            &format!("/coverage/export/matrix.xlsx?program={}&agency={b2}", w.program_id),
            Some(&manager),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // In scope: a real XLSX (a zip) and a CSV with a BOM and Vietnamese headers.
    let r = app
        .get(
            &format!(
                "/coverage/export/agencies.csv?program={}&as_of=2026-11-01",
                w.program_id
            ),
            Some(&manager),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // Read back as a Vietnamese-locale spreadsheet reads it: `;` between cells, decimal comma.
    assert!(
        r.body.starts_with("\u{feff}Mã đơn vị;Tên đơn vị"),
        "{}",
        &r.body[..80.min(r.body.len())]
    );
    let (pop, ex, cov) = want_line(&naive(&app, &w, d(2026, 11, 1)).await.0, w.branch1);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(r.body.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let row: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .find(|r| r[0] == "GEN-B1")
        .expect("the branch's row");
    assert_eq!(
        row[..7],
        [
            "GEN-B1".to_string(),
            "Đơn vị GEN-B1".into(),
            "0".into(),
            pop.to_string(),
            ex.to_string(),
            (pop - ex).to_string(),
            cov.to_string()
        ]
    );
    // The percentage with a decimal comma, as vi-VN writes it ("53,6"), never a point.
    let pct = headers
        .iter()
        .position(|h| h == "Tỷ lệ (%)")
        .expect("a percentage column");
    assert!(!row[pct].contains('.'), "{}", row[pct]);
    if pop > ex {
        let want = (cov as f64 / (pop - ex) as f64 * 1000.0).round() / 10.0;
        let got: f64 = row[pct]
            .replace(',', ".")
            .parse()
            .expect("a number with a decimal comma");
        assert_eq!(got, want, "{}", row[pct]);
    }
    let r = app
        .get(
            &format!("/coverage/export/matrix.xlsx?program={}", w.program_id),
            Some(&manager),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.as_bytes().starts_with(b"PK"), "xlsx is a zip");
    // Signed out, a download link leads to the sign-in page, which comes back to it.
    let r = app.get("/coverage/export/matrix.xlsx", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location.as_deref(),
        Some("/sign-in?next=%2Fcoverage%2Fexport%2Fmatrix.xlsx")
    );
}

fn want_line(m: &HashMap<i64, (u64, u64, u64)>, id: i64) -> (u64, u64, u64) {
    m.get(&id).copied().unwrap_or_default()
}

/// Coverage reads a scope's memberships, credits and certificates in pieces (by key, each piece
/// after the last). Read 7 rows at a time, the facts equal those read in one piece: for every
/// demo program, with either metric, for everyone and within a subtree.
#[tokio::test]
async fn facts_read_in_pieces_equal_facts_read_at_once() {
    use app::domain::coverage::Metric;
    use app::ssr::coverage::{load_facts_in_pieces, rule_of};
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let programs = program::Entity::find().all(db).await.unwrap();
    let team = agency::Entity::find()
        .filter(agency::Column::ParentId.is_not_null())
        .all(db)
        .await
        .unwrap();
    assert!(!programs.is_empty() && !team.is_empty());
    let mut seen = (0, 0);
    for p in &programs {
        let mut rule = rule_of(p).unwrap();
        for metric in [Metric::EverCompleted, Metric::ValidAtDeadline, Metric::CurrentVersion] {
            rule.metric = metric;
            for subtree in [None, Some(team[0].path.as_str())] {
                let whole = load_facts_in_pieces(db, &rule, p.id, None, subtree, 1_000_000)
                    .await
                    .unwrap();
                let pieces = load_facts_in_pieces(db, &rule, p.id, None, subtree, 7).await.unwrap();
                let at = format!("[{}] program {} {metric:?} {subtree:?}", app.backend, p.code);
                assert_eq!(pieces.memberships, whole.memberships, "{at}");
                assert_eq!(pieces.credits, whole.credits, "{at}");
                assert_eq!(pieces.certificates, whole.certificates, "{at}");
                assert_eq!(pieces.exemptions, whole.exemptions, "{at}");
                seen.0 = seen.0.max(whole.credits.len());
                seen.1 = seen.1.max(whole.certificates.len());
                if subtree.is_none() {
                    assert!(whole.memberships.len() > 7, "{at}: too few memberships to need pieces");
                }
            }
        }
    }
    assert!(
        seen.0 > 7 && seen.1 > 7,
        "[{}] the demo must have more credits and certificates than one piece: {seen:?}",
        app.backend
    );
}

#[tokio::test]
async fn the_demo_dashboard_shows_history_exemptions_and_a_manager_only_their_team() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_demo("quantri").await;
    let r = app.call("coverage", "as_of=", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = r.json();
    assert_eq!(r["program"]["code"], "DA319-THUCTHI-2026");
    assert!(
        r["overall"]["covered"].as_u64().unwrap() > 0,
        "seeded completions count"
    );
    assert!(
        r["overall"]["exempt"].as_u64().unwrap() >= 1,
        "exemptions shown separately"
    );
    let series = r["series"].as_array().unwrap();
    assert!(
        series[0]["covered"].as_u64() < series[20]["covered"].as_u64(),
        "the burn-up rises"
    );
    // The abolished district office shows a year ago, with its staff, and not today.
    let codes = |v: &serde_json::Value| -> Vec<String> {
        v["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!codes(&r).contains(&"GL-H-CHUSE-KT".to_string()));
    let past = app.call("coverage", "as_of=2025-06-01", Some(&admin)).await.json();
    assert!(codes(&past).contains(&"GL-H-CHUSE-KT".to_string()));

    let doi1 = app.sign_in_demo("quanly.doi1").await;
    let m = app.call("coverage", "as_of=", Some(&doi1)).await.json();
    assert_eq!(codes(&m), vec!["GL-QLTT-D01".to_string()]);
    let d1 = app.agency_id("GL-QLTT-D01").await;
    let page = app
        .call("coverage_missing", &format!("agency_id={d1}&as_of="), Some(&doi1))
        .await
        .json();
    let missing = page["missing"].as_array().unwrap();
    assert_eq!(
        missing.len() as u64,
        m["overall"]["population"].as_u64().unwrap()
            - m["overall"]["exempt"].as_u64().unwrap()
            - m["overall"]["covered"].as_u64().unwrap()
    );
    // One official's record: visible to their manager, not to the other team's.
    let someone = missing[0]["id"].as_i64().unwrap();
    let rec = app.call("person_record", &format!("id={someone}"), Some(&doi1)).await;
    assert_eq!(rec.status, StatusCode::OK, "{}", rec.body);
    let rec = rec.json();
    assert_eq!(rec["programs"][0]["status"], "missing");
    assert!(!rec["history"].as_array().unwrap().is_empty());
    let d2 = app.agency_id("GL-QLTT-D02").await;
    let other = app
        .call("coverage_missing", &format!("agency_id={d2}&as_of="), Some(&admin))
        .await
        .json();
    let outsider = other["missing"][0]["id"].as_i64().unwrap();
    let learner = app.sign_in_demo("hocvien").await;
    assert_eq!(
        app.call("coverage", "as_of=", Some(&learner)).await.status,
        StatusCode::FORBIDDEN
    );
    for token in [&learner, &doi1] {
        assert_eq!(
            app.call("person_record", &format!("id={outsider}"), Some(token))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        app.call("person_record", &format!("id={outsider}"), Some(&admin))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_manager_records_outreach_for_their_own_agencies_only() {
    let app = TestApp::spawn().await;
    let doi1 = app.sign_in_demo("quanly.doi1").await;
    let d1 = app.agency_id("GL-QLTT-D01").await;
    let d2 = app.agency_id("GL-QLTT-D02").await;
    let args = |agency: i64, reached: i64| {
        format!(
            "agency_id={agency}&held_on=2026-01-15&kind=sellers&title=T%E1%BA%ADp+hu%E1%BA%A5n+ng%C6%B0%E1%BB%9Di+b%C3%A1n&reached={reached}"
        )
    };
    let before = app.call("coverage", "as_of=", Some(&doi1)).await.json();
    let reached_before: i64 = before["outreach"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["reached"].as_i64().unwrap())
        .sum();
    let r = app.call("record_outreach", &args(d1, 37), Some(&doi1)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = app.call("coverage", "as_of=", Some(&doi1)).await.json();
    let reached_after: i64 = after["outreach"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["reached"].as_i64().unwrap())
        .sum();
    assert_eq!(reached_after, reached_before + 37);
    assert_eq!(
        app.call("record_outreach", &args(d2, 5), Some(&doi1)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("record_outreach", &args(d1, -5), Some(&doi1)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn a_record_opened_from_a_past_dashboard_shows_the_standing_on_that_date() {
    let app = TestApp::spawn().await;
    let manager = app.sign_in_demo("quanly.doi1").await;
    let team = app.agency_id("GL-QLTT-D01").await;
    // Someone of Đội 1 covered today whose last required course was completed after day one.
    let mut found = None;
    for who in person::Entity::find()
        .filter(person::Column::AgencyId.eq(team))
        .all(&app.state.db)
        .await
        .unwrap()
    {
        let rec = app
            .call("person_record", &format!("id={}", who.id), Some(&manager))
            .await
            .json();
        let standing = &rec["programs"][0];
        if standing["status"] != "covered" {
            continue;
        }
        let last: Option<NaiveDate> = standing["courses"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["completed_on"].as_str()?.parse().ok())
            .max();
        if let Some(last) = last {
            found = Some((who.id, last, standing["program_id"].clone()));
            break;
        }
    }
    let (who, last, program_id) = found.expect("someone in Đội 1 is covered in the demo");
    let before = (last - Duration::days(1)).to_string();
    // The dashboard's list of that day links each record at that day.
    let page = app
        .get(
            &format!("/coverage?program={program_id}&as_of={before}&agency={team}"),
            Some(&manager),
        )
        .await;
    assert!(
        page.body.contains(&format!("/people/{who}?as_of={before}")),
        "a record listed on a past dashboard opens at that date"
    );
    let rec = app
        .call("person_record", &format!("id={who}&as_of={before}"), Some(&manager))
        .await;
    assert_eq!(rec.status, StatusCode::OK, "{}", rec.body);
    let rec = rec.json();
    assert_eq!(rec["as_of"], before);
    let standing = &rec["programs"][0];
    assert_eq!(
        standing["status"], "missing",
        "not yet covered the day before: {standing}"
    );
    assert!(
        standing["courses"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["completed_on"].as_str().is_none_or(|d| d <= before.as_str())),
        "{standing}"
    );
    let html = app.get(&format!("/people/{who}?as_of={before}"), Some(&manager)).await;
    assert!(
        html.body.contains("Tình trạng cuối ngày"),
        "the page says which day it shows"
    );
    assert!(html.body.contains("Chưa đạt"), "{}", html.body.len());
    // Today (and any later date: a record has no future) it is covered again; a date that is
    // not a date is refused.
    let future = (app::ssr::clock::today() + Duration::days(3)).to_string();
    for q in [String::new(), format!("&as_of={future}")] {
        let now = app
            .call("person_record", &format!("id={who}{q}"), Some(&manager))
            .await
            .json();
        assert_eq!(now["as_of"], serde_json::Value::Null, "{q}");
        assert_eq!(now["programs"][0]["status"], "covered", "{q}");
    }
    let r = app
        .call("person_record", &format!("id={who}&as_of=31/02/2026"), Some(&manager))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ngày không hợp lệ"), "{}", r.body);
}

/// Administrators who open the dashboard at the same moment, after a change, wait for one
/// computation of the view between them (not one each: at national scale each costs a second
/// and a few hundred megabytes), and all see the same figures, equal to a fresh computation.
#[tokio::test]
async fn dashboards_opened_at_the_same_moment_compute_the_view_once() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let admin = app.sign_in_demo("quantri").await;
    let today = app::ssr::clock::today();
    let p = app::ssr::coverage::find_program(db, None).await.unwrap().unwrap();
    let snap = app::ssr::coverage::snapshot(db, p.clone(), None, today, true)
        .await
        .unwrap();
    // A change: an official not yet covered completes the program's courses.
    let missing = snap
        .statuses
        .iter()
        .find(|s| matches!(s.status, app::domain::coverage::Status::Missing(_)))
        .expect("the demo has officials to train")
        .person_id;
    for c in snap.rule.courses.clone() {
        common::certify(db, missing, &c).await;
    }
    let before = app.state.coverage_views.counts();
    let shown = futures::future::join_all((0..6).map(|_| app.call("coverage", "as_of=", Some(&admin)))).await;
    let after = app.state.coverage_views.counts();
    assert_eq!(
        after.1,
        before.1 + 1,
        "[{}] six dashboards at once, one computation",
        app.backend
    );
    assert_eq!(
        after.0,
        before.0 + 5,
        "[{}] the other five were handed the same view",
        app.backend
    );
    let fresh = app::ssr::coverage::snapshot(db, p, None, today, true).await.unwrap();
    for r in &shown {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            counts(&r.json()["overall"]),
            (fresh.overall.population, fresh.overall.exempt, fresh.overall.covered),
            "[{}]",
            app.backend
        );
    }
    assert_eq!(
        fresh.overall.covered,
        snap.overall.covered + 1,
        "the change is in the view"
    );
}

/// The dashboard serves a kept view while nothing coverage reads has changed, and computes a
/// new one after any write to it — on either database, since the version is the database's
/// own. Each figure shown equals a fresh computation.
#[tokio::test]
async fn a_kept_dashboard_view_is_served_until_the_data_under_it_changes() {
    use app::domain::coverage::Status;
    use app::ssr::db::entities::{certificate, content_publish};
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let admin = app.sign_in_demo("quantri").await;
    let today = app::ssr::clock::today();
    let shown = || async {
        let r = app.call("coverage", "as_of=", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    };
    let fresh = || async {
        let p = app::ssr::coverage::find_program(db, None).await.unwrap().unwrap();
        app::ssr::coverage::snapshot(db, p, None, today, true).await.unwrap()
    };
    let computed = || app.state.coverage_views.counts().1;
    // Equal to a fresh computation, overall and for every agency.
    let same = |r: &serde_json::Value, s: &app::ssr::coverage::Snapshot, what: &str| {
        assert_eq!(
            counts(&r["overall"]),
            (s.overall.population, s.overall.exempt, s.overall.covered),
            "[{}] {what}",
            app.backend
        );
        let lines: Vec<(String, (u64, u64, u64))> = r["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["name"].as_str().unwrap().to_string(), counts(&a["counts"])))
            .collect();
        let want: Vec<(String, (u64, u64, u64))> = s
            .lines
            .iter()
            .map(|l| {
                (
                    l.agency.name.clone(),
                    (l.counts.population, l.counts.exempt, l.counts.covered),
                )
            })
            .collect();
        assert_eq!(lines, want, "[{}] {what}", app.backend);
    };

    let first = shown().await;
    let n = computed();
    let again = shown().await;
    assert_eq!(computed(), n, "nothing changed: the kept view is served");
    assert_eq!(first["overall"], again["overall"]);
    // A write to a table coverage does not read keeps it.
    let someone = person::Entity::find().one(db).await.unwrap().unwrap();
    let mut renamed: person::ActiveModel = someone.into();
    renamed.full_name = Set("Tên khác".into());
    renamed.update(db).await.unwrap();
    shown().await;
    assert_eq!(computed(), n, "a person's name is not coverage");

    // An official not yet covered completes every course of the program.
    let snap = fresh().await;
    let missing = snap
        .statuses
        .iter()
        .find(|s| matches!(s.status, Status::Missing(_)))
        .expect("the demo has officials to train")
        .person_id;
    let refreshed = || app.state.coverage_views.refreshes();
    let (r0, o0) = (refreshed(), app.state.coverage_views.officials_recomputed());
    for c in snap.rule.courses.clone() {
        common::certify(db, missing, &c).await;
    }
    let r = shown().await;
    assert_eq!(computed(), n + 1, "a completion is a change");
    assert_eq!(
        refreshed(),
        r0 + 1,
        "[{}] the completer alone is recomputed",
        app.backend
    );
    // The completer (and perhaps the official written just before the view's mark, again).
    let o = app.state.coverage_views.officials_recomputed() - o0;
    assert!((1..=2).contains(&o), "[{}] {o} officials recomputed", app.backend);
    let r0 = refreshed() - 1;
    assert_eq!(
        r0 + 1,
        refreshed(),
        "[{}] the completer alone is recomputed",
        app.backend
    );
    assert_eq!(counts(&r["overall"]).2, snap.overall.covered + 1);
    same(&r, &fresh().await, "after a completion");

    // Their certificates are revoked.
    certificate::Entity::update_many()
        .col_expr(
            certificate::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now() - Duration::hours(1)),
        )
        .filter(certificate::Column::PersonId.eq(missing))
        .exec(db)
        .await
        .unwrap();
    let r = shown().await;
    assert_eq!(computed(), n + 2, "a revocation is a change");
    assert_eq!(refreshed(), r0 + 2, "[{}] recomputed alone", app.backend);
    assert_eq!(counts(&r["overall"]).2, snap.overall.covered);
    same(&r, &fresh().await, "after a revocation");

    // The official is exempted.
    exemption::ActiveModel {
        program_id: Set(snap.program.id),
        person_id: Set(missing),
        reason: Set("Nghỉ dài hạn".into()),
        approved_by: Set("Giám đốc Sở".into()),
        created_at: Set(Utc::now() - Duration::hours(1)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let r = shown().await;
    assert_eq!(computed(), n + 3, "an exemption is a change");
    assert_eq!(refreshed(), r0 + 3, "[{}] recomputed alone", app.backend);
    assert_eq!(counts(&r["overall"]).1, snap.overall.exempt + 1);
    same(&r, &fresh().await, "after an exemption");

    // The official leaves: their membership ends yesterday.
    let period = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(missing))
        .filter(membership::Column::ValidTo.is_null())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut ended: membership::ActiveModel = period.into();
    ended.valid_to = Set(Some(today - Duration::days(1)));
    ended.update(db).await.unwrap();
    let r = shown().await;
    assert_eq!(computed(), n + 4, "a leaver is a change");
    assert_eq!(refreshed(), r0 + 4, "[{}] recomputed alone", app.backend);
    assert_eq!(counts(&r["overall"]).0, snap.overall.population - 1);
    same(&r, &fresh().await, "after a leaver");

    // An agency is renamed; the program's target changes.
    let team = agency::Entity::find_by_id(snap.lines.last().unwrap().agency.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut am: agency::ActiveModel = team.into();
    am.name = Set("Đội mới đổi tên".into());
    am.update(db).await.unwrap();
    let r = shown().await;
    assert_eq!(computed(), n + 5, "the tree is a change");
    assert_eq!(
        refreshed(),
        r0 + 4,
        "[{}] the tree: computed from everyone",
        app.backend
    );
    same(&r, &fresh().await, "after a rename");
    let mut p: program::ActiveModel = snap.program.clone().into();
    p.threshold_percent = Set(0);
    p.update(db).await.unwrap();
    let r = shown().await;
    assert_eq!(computed(), n + 6, "the program's rule is a change");
    assert_eq!(refreshed(), r0 + 4, "[{}] a rule: computed from everyone", app.backend);
    assert_eq!(r["rag"], "Green", "a target of 0 % is met");

    // A course republished (the current-version metric reads when).
    content_publish::ActiveModel {
        course_id: Set(snap.rule.courses[0].clone()),
        kind: Set("substantive".into()),
        reason: Set("Luật 122/2025/QH15".into()),
        published_by: Set(None),
        published_at: Set(Utc::now()),
        course_hash: Set("h".into()),
        based_on: Set("g".into()),
        changes: Set("{}".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    shown().await;
    assert_eq!(computed(), n + 7, "a publish is a change");
    assert_eq!(
        refreshed(),
        r0 + 4,
        "[{}] a publish: computed from everyone",
        app.backend
    );

    // A database restored from a backup is at an earlier version; writes after it reach the
    // same version numbers again with other data: a view kept under them is never served.
    {
        db.execute_unprepared("UPDATE coverage_version SET n = n - 1 WHERE id = 1")
            .await
            .unwrap();
    }
    shown().await;
    assert_eq!(computed(), n + 8, "an earlier version is computed");
    assert_eq!(
        refreshed(),
        r0 + 4,
        "[{}] after a restore: computed from everyone",
        app.backend
    );
    let mut p: program::ActiveModel = program::Entity::find_by_id(snap.program.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into();
    p.threshold_percent = Set(100);
    p.update(db).await.unwrap();
    let r = shown().await;
    assert_eq!(
        computed(),
        n + 9,
        "the version reached again after a restore is computed"
    );
    assert_ne!(
        r["rag"], "Green",
        "the target of 100 % is shown, not the 0 % kept before the restore"
    );
    same(&r, &fresh().await, "after a restore and a write");

    // On PostgreSQL the change rows are folded into the version now and then: it stays the same.
    if app.backend == "postgres" {
        db.execute_unprepared("INSERT INTO coverage_changes SELECT FROM generate_series(1, 1500)")
            .await
            .unwrap();
        let before = app::ssr::coverage::views::version(db).await.unwrap();
        let after = app::ssr::coverage::views::version(db).await.unwrap();
        assert_eq!(before, after, "folding keeps the version");
        let left = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM coverage_changes",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        assert_eq!(left, 0, "the rows were folded");
        shown().await;
        assert_eq!(computed(), n + 10, "the inserted rows were changes");
        shown().await;
        assert_eq!(computed(), n + 10, "and after folding the kept view is served");
    }
}

/// A kept view brought up to date after writes — recomputing only the officials they touched —
/// shows what a computation from every official shows: overall, every agency, every point of
/// the burn-up and the in-class share, for an administrator and for a manager's subtree, after
/// completions (some in class), transfers, a deleted period, exemptions and a withdrawal.
/// A view of the whole country is computed a range of officials at a time, so that it never
/// holds every certificate at once: split into many ranges (and into one), it equals a
/// computation from every official at once: every agency and every burn-up point.
#[tokio::test]
async fn a_view_computed_a_range_of_officials_at_a_time_equals_one_computed_at_once() {
    use app::ssr::coverage::views::{Views, view};
    let app = TestApp::spawn_empty().await;
    let w = generate(&app, 2500).await;
    let db = &app.state.db;
    let program = program::Entity::find_by_id(w.program_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let on = d(2026, 11, 1);
    let fresh = app::ssr::coverage::snapshot(db, program.clone(), None, on, true)
        .await
        .unwrap();
    assert!(
        fresh.overall.covered > 0 && fresh.overall.exempt > 0,
        "{:?}",
        fresh.overall
    );
    let lines = |l: &[app::ssr::coverage::AgencyLine]| -> Vec<(i64, app::domain::coverage::Counts)> {
        l.iter().map(|l| (l.agency.id, l.counts)).collect()
    };
    for piece in [1, 97, 1_000, 1_000_000] {
        let views = Views::with_piece(piece);
        let v = view(db, &views, program.id, None, on).await.unwrap();
        let ctx = format!("[{}] {piece} officials at a time", app.backend);
        assert_eq!(v.overall, fresh.overall, "{ctx}");
        assert_eq!(lines(&v.lines), lines(&fresh.lines), "{ctx}: every agency");
        assert_eq!(v.series, fresh.series, "{ctx}: the burn-up");
        assert_eq!(views.counts(), (0, 1), "{ctx}: computed once, from every official");
    }
}

#[tokio::test]
async fn a_kept_view_brought_up_to_date_equals_a_fresh_computation_on_generated_data() {
    let app = TestApp::spawn_empty().await;
    let w = generate(&app, 2500).await;
    let db = &app.state.db;
    let (admin, manager) = generated_users(&app).await;
    let on = d(2026, 11, 1);
    let views = &app.state.coverage_views;
    let program = program::Entity::find_by_id(w.program_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let manager_scope = {
        let a = agency::Entity::find_by_id(w.branch1).one(db).await.unwrap().unwrap();
        app::ssr::auth::Scope {
            agency_id: a.id,
            agency_name: a.name,
            path: a.path,
        }
    };
    let check = |what: &'static str| {
        let (program, manager_scope) = (program.clone(), manager_scope.clone());
        let (admin, manager) = (admin.clone(), manager.clone());
        let app = &app;
        async move {
            for (who, scope) in [(&admin, None), (&manager, Some(&manager_scope))] {
                let r = app
                    .call("coverage", &format!("program={}&as_of={on}", w.program_id), Some(who))
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                let r = r.json();
                let fresh = app::ssr::coverage::snapshot(db, program.clone(), scope, on, true)
                    .await
                    .unwrap();
                let o = fresh.overall;
                let ctx = format!(
                    "[{}] {what}, {}",
                    app.backend,
                    if scope.is_some() { "manager" } else { "admin" }
                );
                assert_eq!(counts(&r["overall"]), (o.population, o.exempt, o.covered), "{ctx}");
                let got: Vec<(i64, (u64, u64, u64), String)> = r["agencies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| (a["id"].as_i64().unwrap(), counts(&a["counts"]), a["rag"].to_string()))
                    .collect();
                let want: Vec<(i64, (u64, u64, u64), String)> = fresh
                    .lines
                    .iter()
                    .map(|l| {
                        let c = l.counts;
                        (
                            l.agency.id,
                            (c.population, c.exempt, c.covered),
                            serde_json::to_value(l.rag).unwrap().to_string(),
                        )
                    })
                    .collect();
                assert_eq!(got, want, "{ctx}: every agency");
                let series: Vec<(u64, u64)> = r["series"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| (p["covered"].as_u64().unwrap(), p["base"].as_u64().unwrap()))
                    .collect();
                let want: Vec<(u64, u64)> = fresh.series.iter().map(|p| (p.covered, p.base)).collect();
                assert_eq!(series, want, "{ctx}: the burn-up");
                assert_eq!(r["rag"], serde_json::to_value(fresh.overall_rag).unwrap(), "{ctx}");
                let covered: Vec<i64> = fresh
                    .statuses
                    .iter()
                    .filter(|s| s.status == app::domain::coverage::Status::Covered)
                    .map(|s| s.person_id)
                    .collect();
                let until = app::ssr::clock::start_of(on + Duration::days(1));
                let class = app::ssr::classes::through_class(db, &covered, &fresh.rule.courses, until)
                    .await
                    .unwrap();
                assert_eq!(
                    r["covered_in_class"].as_u64().unwrap(),
                    class.len() as u64,
                    "{ctx}: in class"
                );
            }
        }
    };

    check("first computed").await;
    let (_, computed) = views.counts();
    let refreshed = views.refreshes();
    let recomputed = views.officials_recomputed();
    assert_eq!(
        computed - refreshed,
        2,
        "the two views were computed from every official"
    );

    let mut rng = StdRng::seed_from_u64(319);
    let periods = membership::Entity::find()
        .filter(
            membership::Column::PersonId.is_in(
                person::Entity::find()
                    .all(db)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|p| p.id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await
        .unwrap();
    let open: Vec<&membership::Model> = periods.iter().filter(|m| m.valid_to.is_none()).collect();
    let leaves: Vec<i64> = {
        let mut v: Vec<i64> = periods.iter().map(|m| m.agency_id).collect();
        v.sort();
        v.dedup();
        v
    };
    let day = |rng: &mut StdRng| d(2025, 6, 1) + Duration::days(rng.gen_range(0..500));
    // Round 1: completions, some in class, one transaction each.
    for m in open.iter().take(40) {
        let at = Utc.from_utc_datetime(&day(&mut rng).and_hms_opt(10, 0, 0).unwrap());
        let tx = db.begin().await.unwrap();
        for c in COURSES {
            let source = if rng.gen_bool(0.5) { "class" } else { "exam" };
            complete(&tx, m.person_id, c, at, source).await;
        }
        tx.commit().await.unwrap();
    }
    check("after completions").await;
    // Round 2: transfers between any agencies (out of the branch, out of the root, in), a
    // period deleted, exemptions recorded and one withdrawn.
    for m in open.iter().skip(40).take(40) {
        let cut = day(&mut rng);
        let mut ended: membership::ActiveModel = (*m).clone().into();
        ended.valid_to = Set(Some(cut));
        ended.update(db).await.unwrap();
        membership::ActiveModel {
            person_id: Set(m.person_id),
            agency_id: Set(leaves[rng.gen_range(0..leaves.len())]),
            position: Set("KSV".into()),
            enforcement: Set(rng.gen_bool(0.8)),
            valid_from: Set(Some(cut)),
            valid_to: Set(None),
            created_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    membership::Entity::delete_by_id(open[85].id).exec(db).await.unwrap();
    for m in open.iter().skip(90).take(6) {
        exemption::ActiveModel {
            program_id: Set(w.program_id),
            person_id: Set(m.person_id),
            reason: Set("Nghỉ dài hạn".into()),
            approved_by: Set("Thủ trưởng".into()),
            created_at: Set(Utc.from_utc_datetime(&day(&mut rng).and_hms_opt(9, 0, 0).unwrap())),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    let withdrawn = exemption::Entity::find()
        .filter(exemption::Column::PersonId.eq(open[90].person_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut am: exemption::ActiveModel = withdrawn.into();
    am.withdrawn_at = Set(Some(Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap()));
    am.update(db).await.unwrap();
    check("after transfers, a deletion and exemptions").await;
    assert_eq!(
        (views.counts().1 - views.refreshes(), views.refreshes() - refreshed),
        (2, 4),
        "[{}] both views were brought up to date twice, none computed again",
        app.backend
    );
    // Each brought up to date by the officials written since, not by everyone: 40 completers,
    // then 47 officials (40 transferred, one period deleted, 6 exempted), per view. A mark may
    // name an official written just before it again (harmless), never thousands.
    let n = views.officials_recomputed() - recomputed;
    assert!(
        (2 * (40 + 47)..=2 * (40 + 47) + 4).contains(&n),
        "[{}] {n} officials recomputed",
        app.backend
    );
}

/// On PostgreSQL transactions commit in any order: a write the view's read could not see —
/// still open then, committed after — is recomputed at the next refresh; and a long transaction
/// left open (a backup's) does not make every refresh read again everyone written since it
/// began: only the writes a view's snapshot could not see are read again.
#[tokio::test]
async fn a_view_misses_no_write_committed_late_and_rereads_none_seen() {
    use app::domain::coverage::Status;
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = TestApp::spawn().await;
    if app.backend != "postgres" {
        return;
    }
    let db = &app.state.db;
    let views = &app.state.coverage_views;
    let today = app::ssr::clock::today();
    let p = app::ssr::coverage::find_program(db, None).await.unwrap().unwrap();
    let snap = app::ssr::coverage::snapshot(db, p.clone(), None, today, true)
        .await
        .unwrap();
    let missing: Vec<i64> = snap
        .statuses
        .iter()
        .filter(|s| matches!(s.status, Status::Missing(_)))
        .map(|s| s.person_id)
        .take(3)
        .collect();
    assert_eq!(missing.len(), 3, "the demo has officials to exempt");
    let exempted = || async {
        app::ssr::coverage::views::view(db, views, p.id, None, today)
            .await
            .unwrap()
            .overall
            .exempt
    };
    let fresh = || async {
        app::ssr::coverage::snapshot(db, p.clone(), None, today, false)
            .await
            .unwrap()
            .overall
            .exempt
    };
    // A long transaction, open throughout, with a transaction id (as a backup's would hold
    // back the oldest running transaction).
    let long = db.begin().await.unwrap();
    long.execute_unprepared("SELECT pg_current_xact_id()").await.unwrap();
    let first = exempted().await;

    // The first official's exemption is written but not committed when the view is read.
    let late = db.begin().await.unwrap();
    exempt(&late, missing[0], p.id).await;
    let other = db.begin().await.unwrap();
    exempt(&other, missing[1], p.id).await;
    other.commit().await.unwrap();
    assert_eq!(exempted().await, first + 1, "the committed one is counted");
    late.commit().await.unwrap();
    assert_eq!(exempted().await, first + 2, "the one committed late is not missed");
    assert_eq!(exempted().await, fresh().await);

    // One more official: the refresh reads that official alone, not the two before (which the
    // last view's snapshot saw), though the long transaction is still open.
    let before = views.officials_recomputed();
    let tx = db.begin().await.unwrap();
    exempt(&tx, missing[2], p.id).await;
    tx.commit().await.unwrap();
    assert_eq!(exempted().await, first + 3);
    assert_eq!(
        views.officials_recomputed() - before,
        1,
        "only the newly exempted is read again"
    );
    assert_eq!(exempted().await, fresh().await);
    long.rollback().await.unwrap();
}

/// Exempts `person` from `program` in `tx` (not committed).
async fn exempt(tx: &sea_orm::DatabaseTransaction, person: i64, program: i64) {
    exemption::ActiveModel {
        program_id: Set(program),
        person_id: Set(person),
        reason: Set("Nghỉ dài hạn".into()),
        approved_by: Set("Giám đốc Sở".into()),
        created_at: Set(Utc::now() - Duration::hours(1)),
        ..Default::default()
    }
    .insert(tx)
    .await
    .unwrap();
}
