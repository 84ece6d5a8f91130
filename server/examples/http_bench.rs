//! `make bench` (load part): pages under load, each beside `/healthz` of the same server in the
//! same run. The release server runs in this process on a loopback port, configured as
//! production (no development file watching), on the demo province (SQLite in a temporary
//! file, or `BENCH_DATABASE_URL=postgres://…`, an empty database). A load generator here opens
//! keep-alive HTTP/1.1 connections and sends one request after another on each for a fixed
//! time; it shares the machine's cores with the server, as wrk on the same host would.
//!
//! Prints one table: requests per second, the ratio to `/healthz`, median and 99th percentile
//! latency, SQL statements per request (sea-orm's metric callback), the goal and whether it is
//! met. Not a test: numbers depend on the machine.

#[path = "../../app/examples/national/generate.rs"]
mod national;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The server's allocator (`server/src/main.rs`).
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// SQL statements run since start (every statement, every connection).
static STATEMENTS: AtomicU64 = AtomicU64::new(0);
/// While set (the one request of each scenario counted alone), `BENCH_SQL=1` prints statements.
static SHOWING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

struct Scenario {
    name: &'static str,
    path: String,
    cookie: Option<String>,
    /// The goal as a share of `/healthz`'s rate (0 = the baseline itself).
    goal: f64,
}

struct Figures {
    rate: f64,
    p50: Duration,
    p99: Duration,
    errors: u64,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    server::memory::limit_c_arenas();
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let connections: usize = std::env::var("BENCH_CONNECTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32);
    let (url, file) = match std::env::var("BENCH_DATABASE_URL") {
        Ok(u) => (u, None),
        Err(_) => {
            let f = std::env::temp_dir().join(format!("taphuan-http-bench-{}.db", std::process::id()));
            (format!("sqlite://{}?mode=rwc", f.display()), Some(f))
        }
    };
    let mut config = app::ssr::config::Config::for_tests(&url);
    config.env = app::ssr::config::Environment::Production;
    config.seed_demo = true;
    config.db_max_connections = 8;
    let content_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    config.content_dir = content_dir.clone();
    // As a production node logs at RUST_LOG=warn (its request lines are info).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .try_init();
    let secret = config.jwt_secret.clone();
    let config_copy = config.clone();
    let mut state = server::startup::build_state(config, server::startup::leptos_options(None))
        .await
        .expect("state");
    // BENCH_SQL=1 prints the statements of each scenario's counted request (to see what a page
    // asks the database), and of the submissions' counted one.
    let show = std::env::var_os("BENCH_SQL").is_some();
    state.db.set_metric_callback(move |info| {
        STATEMENTS.fetch_add(1, Ordering::Relaxed);
        if show && SHOWING.load(Ordering::Relaxed) {
            eprintln!("SQL {:.2} ms: {}", info.elapsed.as_secs_f64() * 1e3, info.statement.sql);
        }
    });
    let db = state.db.clone();
    let views = state.coverage_views.clone();
    let content = state.content.clone();
    let addr = listen(state).await;
    // BENCH_NODES=3 (PostgreSQL): two more nodes on the same database, in this process, for the
    // lesson page spread over all of them.
    let nodes: usize = std::env::var("BENCH_NODES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut addrs = vec![addr];
    for _ in 1..nodes {
        let mut more = server::startup::build_state(config_copy.clone(), server::startup::leptos_options(None))
            .await
            .expect("state");
        more.db.set_metric_callback(|_| {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
        });
        addrs.push(listen(more).await);
    }

    let token = |username: &'static str| {
        let db = db.clone();
        let secret = secret.clone();
        async move {
            use app::ssr::db::entities::account;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let a = account::Entity::find()
                .filter(account::Column::Username.eq(username))
                .one(&db)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("demo account {username}"));
            format!(
                "{}={}",
                app::ssr::auth::COOKIE,
                app::ssr::auth::issue_token(&secret, a.id, a.token_version, 12)
            )
        }
    };
    let learner = token("hocvien").await;
    let manager = token("quanly").await;
    let course = "a-khung-phap-ly";
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let scenarios: Vec<Scenario> = vec![
        Scenario {
            name: "/healthz",
            path: "/healthz".into(),
            cookie: None,
            goal: 0.0,
        },
        Scenario {
            name: "lesson page, signed in",
            path: format!("/courses/{course}/lessons/1"),
            cookie: Some(learner.clone()),
            goal: 0.15,
        },
        Scenario {
            name: "/learn",
            path: "/learn".into(),
            cookie: Some(learner.clone()),
            goal: 0.1,
        },
        Scenario {
            name: "/coverage, demo province",
            path: "/coverage".into(),
            cookie: Some(manager.clone()),
            goal: 0.05,
        },
    ]
    .into_iter()
    .filter(|s| only.is_empty() || s.goal == 0.0 || s.name.contains(&only))
    .collect();

    println!(
        "Taphuan HTTP bench on {} — {connections} connections × {seconds} s per scenario, release build, {} cores",
        if file.is_some() { "SQLite" } else { "PostgreSQL" },
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    println!(
        "\n{:<28} {:>10} {:>8} {:>9} {:>9} {:>8} {:>7}  {:<8} met",
        "scenario", "req/s", "ratio", "p50 ms", "p99 ms", "SQL/req", "errors", "goal"
    );
    let mut baseline = 0.0;
    for s in &scenarios {
        // One request alone first: it must succeed, and its SQL statements are counted.
        let before = STATEMENTS.load(Ordering::Relaxed);
        SHOWING.store(true, Ordering::Relaxed);
        let (status, bytes) = get(addr, &s.path, s.cookie.as_deref()).await;
        SHOWING.store(false, Ordering::Relaxed);
        let sql = STATEMENTS.load(Ordering::Relaxed) - before;
        assert_eq!(status, 200, "{} answered {status}", s.path);
        let f = load(
            &[addr],
            &s.path,
            s.cookie.as_deref(),
            connections,
            Duration::from_secs(seconds),
        )
        .await;
        if s.goal == 0.0 {
            baseline = f.rate;
        }
        let ratio = f.rate / baseline;
        let (goal, met) = if s.goal == 0.0 {
            ("baseline".to_string(), "")
        } else {
            (format!("≥ {:.2}×", s.goal), if ratio >= s.goal { "yes" } else { "NO" })
        };
        println!(
            "{:<28} {:>10.0} {:>7.3}× {:>9.2} {:>9.2} {:>8} {:>7}  {:<8} {met}   ({} KB)",
            s.name,
            f.rate,
            ratio,
            f.p50.as_secs_f64() * 1e3,
            f.p99.as_secs_f64() * 1e3,
            sql,
            f.errors,
            goal,
            bytes / 1024
        );
    }
    // `BENCH_ONLY=submissions` and `BENCH_ONLY=national` run that part alone (for `perf` and
    // `heaptrack`); any other name, that page scenario alone.
    let part = |name: &str| only.is_empty() || only == name;
    if !part("submissions") && !part("national") {
        return;
    }
    if only.is_empty() {
        pages_alone(addr, &addrs, &scenarios[1], connections, seconds).await;
    }
    if part("submissions") {
        let courses: Vec<String> = std::fs::read_dir(&content_dir)
            .unwrap()
            .flatten()
            .filter(|e| e.path().join("exam.md").exists())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        submissions(addr, &db, &content, &secret, connections, &courses, course).await;
        println!(
            "\nmemory of this process (server and load generator): {} now, {} at most",
            memory("VmRSS"),
            memory("VmHWM")
        );
    }
    if part("national") && (std::env::var_os("BENCH_NATIONAL").is_some() || !only.is_empty()) {
        let admin = token("quantri").await;
        national_view(addr, &db, &views, config_copy, &admin, seconds).await;
    }
    if let Some(f) = file {
        for suffix in ["", "-wal", "-shm", ".startup-lock"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
        }
    }
}

/// The lesson page at one connection (the latency a single reader sees), and with several
/// nodes (`BENCH_NODES`) on one node against all.
async fn pages_alone(
    addr: std::net::SocketAddr,
    addrs: &[std::net::SocketAddr],
    lesson: &Scenario,
    connections: usize,
    seconds: u64,
) {
    let one = load(
        &[addr],
        &lesson.path,
        lesson.cookie.as_deref(),
        1,
        Duration::from_secs(seconds),
    )
    .await;
    println!(
        "\nlesson page at 1 connection: median {:.2} ms, p99 {:.2} ms ({:.0} req/s)",
        one.p50.as_secs_f64() * 1e3,
        one.p99.as_secs_f64() * 1e3,
        one.rate
    );
    if addrs.len() > 1 {
        let one = load(
            &addrs[..1],
            &lesson.path,
            lesson.cookie.as_deref(),
            connections,
            Duration::from_secs(seconds),
        )
        .await;
        let many = load(
            addrs,
            &lesson.path,
            lesson.cookie.as_deref(),
            connections,
            Duration::from_secs(seconds),
        )
        .await;
        println!(
            "lesson page on 1 node: {:.0} req/s; on {} nodes (one process, same cores, same database): {:.0} req/s = {:.2}×; errors {}",
            one.rate,
            addrs.len(),
            many.rate,
            many.rate / one.rate,
            one.errors + many.errors
        );
    }
}

/// Exam submissions, each committed with fsync (SQLite `synchronous=FULL`): every demo official
/// who may start the course's exam starts it (not timed), the exam-start spike adds 2,000 more
/// attempts (timed: [`spike`]), all submitted blank at once over `connections`; then 2,000 more
/// started alike are submitted with every answer right. The baseline, on the same
/// database in the same run, is the raw commit rate: one-row insert transactions from as many
/// connections for 3 s.
async fn submissions(
    addr: std::net::SocketAddr,
    db: &sea_orm::DatabaseConnection,
    content: &app::ssr::content::ContentStore,
    secret: &[u8],
    connections: usize,
    courses: &[String],
    spike_course: &str,
) {
    use app::ssr::db::entities::{account, attempt};
    use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
    use std::collections::HashMap;

    db.execute_unprepared("CREATE TABLE bench_commits (id BIGINT PRIMARY KEY, note TEXT)")
        .await
        .unwrap();
    let next = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(3);
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (db, next) = (db.clone(), next.clone());
            tokio::spawn(async move {
                while Instant::now() < until {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    db.execute_unprepared(&format!("INSERT INTO bench_commits (id, note) VALUES ({n}, 'x')"))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let raw = next.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();

    // Every learner reads the lessons and starts the exam (a refused start is skipped).
    let learners = account::Entity::find()
        .filter(account::Column::Role.eq("learner"))
        .filter(account::Column::PersonId.is_not_null())
        .filter(account::Column::Disabled.eq(false))
        .all(db)
        .await
        .unwrap();
    let mut cookies: HashMap<i64, String> = learners
        .iter()
        .map(|a| {
            let t = app::ssr::auth::issue_token(secret, a.id, a.token_version, 12);
            (a.person_id.unwrap(), format!("{}={t}", app::ssr::auth::COOKIE))
        })
        .collect();
    let mut setup = Vec::new();
    for c in cookies.values() {
        for course in courses {
            for n in 1..=8 {
                setup.push((format!("/courses/{course}/lessons/{n}/read"), c.clone(), String::new()));
            }
            setup.push((format!("/courses/{course}/exam/start"), c.clone(), String::new()));
        }
    }
    let _ = post_all(addr, setup, connections.min(8)).await;
    // The spike's 2,000 attempts are submitted with the demo's.
    cookies.extend(spike(addr, db, secret, spike_course, (0, 2_000), "exam-start spike").await);
    // These submit blank sheets; 2,000 more officials, started alike, submit right answers.
    let blank_sheets: std::collections::HashSet<i64> = cookies.keys().copied().collect();
    let label = "exam-start spike again (2,000 more, for the right answers)";
    cookies.extend(spike(addr, db, secret, spike_course, (2_000, 2_000), label).await);
    let open = attempt::Entity::find()
        .filter(attempt::Column::SubmittedAt.is_null())
        .all(db)
        .await
        .unwrap();
    // The demo's and the first spike's attempts are submitted blank (each fails: the attempt's
    // row alone is written), the second spike's with every answer right (each passes: the
    // completion, credit, certificate and audit link are written with it), each kind all at
    // once.
    let loaded = content.get();
    let (mut blank, mut right) = (Vec::new(), Vec::new());
    for a in &open {
        let Some(c) = cookies.get(&a.person_id) else { continue };
        let path = format!("/courses/{}/exam/submit", a.course_id);
        let form = format!("attempt={}&seq=1&confirm=1", a.id);
        if blank_sheets.contains(&a.person_id) {
            blank.push((a.id, (path, c.clone(), form)));
        } else {
            let course = loaded.library.course(&a.course_id).expect("the attempt's course");
            right.push((a.id, (path, c.clone(), format!("{form}&{}", right_sheet(a, course)))));
        }
    }
    // `BENCH_PERF_CTL=FIFO`: `perf record --control=fifo:FIFO -D -1` records these
    // submissions alone (with `BENCH_PERF_WHAT=fail` or `pass`, that kind alone).
    let recorded_kind = std::env::var("BENCH_PERF_WHAT").unwrap_or_default();
    let perf = |what: &str, passes: bool| {
        let kind = if passes { "pass" } else { "fail" };
        if let Some(fifo) = std::env::var_os("BENCH_PERF_CTL")
            && (recorded_kind.is_empty() || recorded_kind == kind)
        {
            let _ = std::fs::write(fifo, format!("{what}\n"));
        }
    };
    println!("\nraw commits (one-row transactions, {connections} connections)   {raw:>8.0}/s = baseline");
    // The goal: half the raw commit rate on SQLite (one writer); 500/s on PostgreSQL.
    let postgres = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    for (label, sheets, passes) in [
        ("blank sheets (fail)", blank, false),
        ("right answers (pass)", right, true),
    ] {
        let n = sheets.len();
        let ids: Vec<i64> = sheets.iter().map(|(id, _)| *id).collect();
        let mut work = sheets.into_iter().map(|(_, w)| w);
        // One submission alone first, its statements counted (and shown with BENCH_SQL=1).
        let alone: Vec<_> = work.by_ref().take(1).collect();
        let before = STATEMENTS.load(Ordering::Relaxed);
        SHOWING.store(true, Ordering::Relaxed);
        let (_, errors_alone) = post_all(addr, alone, 1).await;
        SHOWING.store(false, Ordering::Relaxed);
        let sql = STATEMENTS.load(Ordering::Relaxed) - before;
        perf("enable", passes);
        let t = Instant::now();
        let (ok, errors) = post_all(addr, work.collect(), connections).await;
        let rate = ok as f64 / t.elapsed().as_secs_f64();
        perf("disable", passes);
        let errors = errors + errors_alone;
        let recorded = attempt::Entity::find()
            .filter(attempt::Column::Id.is_in(ids))
            .filter(attempt::Column::SubmittedAt.is_not_null())
            .all(db)
            .await
            .unwrap();
        let as_meant = recorded.iter().filter(|a| a.passed == Some(passes)).count();
        let (goal, reached) = if postgres {
            ("≥ 500/s".to_string(), rate >= 500.0)
        } else {
            ("≥ 0.50×".to_string(), rate / raw >= 0.5)
        };
        println!(
            "exam submissions, {label:<21} {n:>5} at once  {rate:>8.0}/s = {:.2}×   goal {goal}  {}   errors {errors}, recorded {}/{n}, {} {}, {sql} SQL per submission (a batch counts once)",
            rate / raw,
            if reached && errors == 0 && as_meant == n {
                "met"
            } else {
                "NOT MET"
            },
            recorded.len(),
            if passes { "passed" } else { "failed" },
            as_meant,
        );
    }
}

/// The answers of a learner who studied: every drawn question of `a` answered rightly, as the
/// exam page's fields (`domain::exam::response_from_fields` reads them back).
fn right_sheet(a: &app::ssr::db::entities::attempt::Model, course: &app::domain::content::Course) -> String {
    use app::domain::exam::choice_key;
    use app::domain::gift::QuestionKind as Q;
    use app::domain::grading::{PublicKind as P, public_view};
    let pool = &course.exam.as_ref().expect("an exam").pool;
    let mut fields: Vec<(String, String)> = Vec::new();
    for (pos, name) in a.question_names().expect("drawn questions").iter().enumerate() {
        let Some(item) = pool.iter().find(|i| i.name() == name.as_str()) else {
            continue;
        };
        let q = &item.question;
        let p = format!("q{pos}");
        let best = |fractions: Vec<f64>| {
            (0..fractions.len())
                .max_by(|x, y| fractions[*x].total_cmp(&fractions[*y]))
                .unwrap_or(0)
        };
        match (&q.kind, public_view(q, choice_key(a.seed as u64, pos)).kind) {
            (
                Q::MultipleChoice { choices, .. },
                P::MultipleChoice {
                    single: true,
                    choices: shown,
                },
            ) => {
                let right = best(choices.iter().map(|c| c.fraction).collect());
                let id = &shown.iter().find(|c| c.index == right).expect("shown").id;
                fields.push((p, id.clone()));
            }
            (
                Q::MultipleChoice { choices, .. },
                P::MultipleChoice {
                    single: false,
                    choices: shown,
                },
            ) => {
                for c in shown.iter().filter(|c| choices[c.index].fraction > 0.0) {
                    fields.push((format!("{p}_c{}", c.id), "on".into()));
                }
            }
            (Q::TrueFalse { answer, .. }, _) => fields.push((p, answer.to_string())),
            (Q::ShortAnswer { answers }, _) => {
                let right = best(answers.iter().map(|c| c.fraction).collect());
                fields.push((p, answers[right].text.replace('*', "x")));
            }
            (Q::Numerical { answers }, _) => {
                let right = best(answers.iter().map(|c| c.fraction).collect());
                fields.push((p, answers[right].value.to_string()));
            }
            (Q::Matching { pairs }, P::Matching { left, right }) => {
                for l in &left {
                    let answer = &pairs[l.index].answer;
                    let r = right.iter().find(|r| &r.text == answer).expect("its answer is shown");
                    fields.push((format!("{p}_m{}", l.id), r.id.clone()));
                }
            }
            _ => {}
        }
    }
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// The exam-start spike: `n` officials who have read every lesson of `course` each open a
/// connection and press "Bắt đầu" at a moment spread over one second. Reports the time until
/// every attempt exists (goal: 15 s), the slowest answer, and errors. The officials and their
/// reading are written straight into the database (it is the start that is measured).
async fn spike(
    addr: std::net::SocketAddr,
    db: &sea_orm::DatabaseConnection,
    secret: &[u8],
    course: &str,
    (from, n): (usize, usize),
    label: &str,
) -> Vec<(i64, String)> {
    use app::ssr::db::entities::{account, agency, attempt, lesson_progress, person};
    use sea_orm::ActiveValue::Set;
    use sea_orm::{EntityTrait, PaginatorTrait, TransactionTrait};
    let now = chrono::Utc::now();
    let unit = agency::Entity::find().one(db).await.unwrap().expect("an agency").id;
    let lessons = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../content")
            .join(course),
    )
    .unwrap()
    .flatten()
    .filter(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name.as_bytes().first().is_some_and(u8::is_ascii_digit) && name.ends_with(".md") && !name.ends_with(".en.md")
    })
    .count() as i32;
    let tx = db.begin().await.unwrap();
    let mut cookies = Vec::with_capacity(n);
    for i in from..from + n {
        let p = person::Entity::insert(person::ActiveModel {
            code: Set(format!("SPIKE{i:05}")),
            full_name: Set(format!("Cán bộ thử tải {i}")),
            agency_id: Set(unit),
            position: Set("Kiểm soát viên thị trường".into()),
            enforcement: Set(true),
            email: Set(None),
            phone: Set(None),
            start_date: Set(None),
            end_date: Set(None),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(&tx)
        .await
        .unwrap()
        .last_insert_id;
        let a = account::Entity::insert(account::ActiveModel {
            username: Set(format!("spike{i:05}")),
            password_hash: Set(String::from("!")),
            role: Set("learner".into()),
            person_id: Set(Some(p)),
            scope_agency_id: Set(None),
            token_version: Set(0),
            disabled: Set(false),
            disabled_reason: Set(None),
            created_at: Set(now),
            email_opt_out: Set(false),
            display_name: Set(None),
            ..Default::default()
        })
        .exec(&tx)
        .await
        .unwrap()
        .last_insert_id;
        lesson_progress::Entity::insert_many((1..=lessons).map(|l| lesson_progress::ActiveModel {
            person_id: Set(p),
            course_id: Set(course.to_string()),
            lesson_number: Set(l),
            lesson_hash: Set("bench".into()),
            read_at: Set(now),
            ..Default::default()
        }))
        .exec(&tx)
        .await
        .unwrap();
        let t = app::ssr::auth::issue_token(secret, a, 0, 12);
        cookies.push((p, format!("{}={t}", app::ssr::auth::COOKIE)));
    }
    tx.commit().await.unwrap();
    let before = attempt::Entity::find().count(db).await.unwrap();
    let start = Instant::now();
    let errors = Arc::new(AtomicU64::new(0));
    let slowest = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = cookies
        .iter()
        .enumerate()
        .map(|(i, (_, cookie))| {
            let cookie = cookie.clone();
            let (errors, slowest) = (errors.clone(), slowest.clone());
            let path = format!("/courses/{course}/exam/start");
            let at = start + Duration::from_micros((i as u64 * 1_000_000) / n as u64);
            tokio::spawn(async move {
                tokio::time::sleep_until(at.into()).await;
                let t = Instant::now();
                let s = TcpStream::connect(addr).await.unwrap();
                s.set_nodelay(true).unwrap();
                let mut conn = BufReader::new(s);
                match send(&mut conn, "POST", &path, Some(&cookie), "").await {
                    Some((303, _)) => {}
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                slowest.fetch_max(t.elapsed().as_micros() as u64, Ordering::Relaxed);
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let all_in = start.elapsed().as_secs_f64();
    let made = attempt::Entity::find().count(db).await.unwrap() - before;
    let met = all_in <= 15.0 && made == n as u64 && errors.load(Ordering::Relaxed) == 0;
    println!(
        "\n{label}: {n} officials press start within 1 s: all attempts created in {all_in:.2} s \
         (goal ≤ 15 s) {}; slowest answer {:.0} ms; created {made}/{n}; errors {}",
        if met { "met" } else { "NOT MET" },
        slowest.load(Ordering::Relaxed) as f64 / 1e3,
        errors.load(Ordering::Relaxed)
    );
    cookies
}

/// `BENCH_NATIONAL=1`: the national dataset (`national::generate`: 100k officials, 568
/// agencies, 1M completions) added beside the demo; a second node's cold start on it; then the
/// whole country's dashboard for the administrator, under load from 4 connections, and the
/// memory it takes.
async fn national_view(
    addr: std::net::SocketAddr,
    db: &sea_orm::DatabaseConnection,
    views: &app::ssr::coverage::views::Views,
    config: app::ssr::config::Config,
    admin: &str,
    seconds: u64,
) {
    let t = Instant::now();
    let (_, valid, _, _) = national::generate(db).await;
    println!(
        "\nnational dataset: {} officials, {} completions, generated in {:.1} s",
        national::PEOPLE,
        national::COMPLETIONS,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let node = server::startup::build_state(config, server::startup::leptos_options(None))
        .await
        .expect("state");
    let cold = t.elapsed().as_secs_f64();
    drop(node);
    println!(
        "cold start of a node on it (database checked, content read, versions recorded): {cold:.2} s   goal ≤ 1 s  {}",
        if cold <= 1.0 { "met" } else { "NOT MET" }
    );
    let generated = memory("VmRSS");
    // The peak below is the first view's, not the dataset generation's (`clear_refs` 5 resets
    // VmHWM).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let path = format!("/coverage?program={}", valid.id);
    let before = STATEMENTS.load(Ordering::Relaxed);
    let t = Instant::now();
    let (status, bytes) = get(addr, &path, Some(admin)).await;
    let alone = t.elapsed().as_secs_f64() * 1e3;
    let sql = STATEMENTS.load(Ordering::Relaxed) - before;
    assert_eq!(status, 200, "{path} answered {status}");
    println!(
        "memory of this process: {generated} after generating the dataset, {} after the first national view ({} at most while it was computed)",
        memory("VmRSS"),
        memory("VmHWM")
    );
    // Again with nothing changed: the kept view (`ssr::coverage::views`), median of 5.
    let before_kept = STATEMENTS.load(Ordering::Relaxed);
    let mut again = vec![];
    for _ in 0..5 {
        let t = Instant::now();
        assert_eq!(get(addr, &path, Some(admin)).await.0, 200);
        again.push(t.elapsed().as_secs_f64() * 1e3);
    }
    again.sort_by(|a, b| a.total_cmp(b));
    let kept = again[2];
    let sql_kept = (STATEMENTS.load(Ordering::Relaxed) - before_kept) / 5;
    let f = load(&[addr], &path, Some(admin), 4, Duration::from_secs(seconds.max(10))).await;
    // After an official completes a course (what an exam submission writes), the kept view is
    // brought up to date by recomputing that official alone; median of 5, one official each.
    let refreshes = views.refreshes();
    let people: Vec<i64> = {
        use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
        app::ssr::db::entities::person::Entity::find()
            .select_only()
            .column(app::ssr::db::entities::person::Column::Id)
            .order_by_desc(app::ssr::db::entities::person::Column::Id)
            .limit(5)
            .into_tuple()
            .all(db)
            .await
            .unwrap()
    };
    let course = app::ssr::coverage::rule_of(&valid).unwrap().courses[0].clone();
    let mut one = vec![];
    for pid in &people {
        use sea_orm::TransactionTrait;
        let tx = db.begin_with_options(app::ssr::db::write_tx()).await.unwrap();
        app::ssr::completions::record_completion(
            &tx,
            app::ssr::completions::NewCompletion {
                person_id: *pid,
                course_id: &course,
                course_hash: "bench",
                score_percent: Some(90),
                completed_at: chrono::Utc::now(),
                source: "exam",
                attempt_id: None,
                attempt_started_at: None,
                class_id: None,
                validity_months: 24,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let before = STATEMENTS.load(Ordering::Relaxed);
        let t = Instant::now();
        assert_eq!(get(addr, &path, Some(admin)).await.0, 200);
        one.push((
            t.elapsed().as_secs_f64() * 1e3,
            STATEMENTS.load(Ordering::Relaxed) - before,
        ));
    }
    one.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (after_one, sql_one) = one[2];
    // Equal to a computation from every official.
    let today = app::ssr::clock::today();
    let kept_view = app::ssr::coverage::views::view(db, views, valid.id, None, today)
        .await
        .unwrap();
    let fresh = app::ssr::coverage::snapshot(db, valid.clone(), None, today, true)
        .await
        .unwrap();
    let lines = |l: &[app::ssr::coverage::AgencyLine]| -> Vec<(i64, app::domain::coverage::Counts)> {
        l.iter().map(|l| (l.agency.id, l.counts)).collect()
    };
    let equal = kept_view.overall == fresh.overall
        && lines(&kept_view.lines) == lines(&fresh.lines)
        && kept_view.series == fresh.series;
    assert!(equal, "the view brought up to date differs from a fresh computation");
    println!(
        "/coverage, whole country, after one official's completion: {after_one:.1} ms (median of 5, {sql_one} SQL), {} of 5 brought up to date from the kept basis; equal to a computation from every official: {}   goal ≤ 50 ms  {}",
        views.refreshes() - refreshes,
        if equal { "yes" } else { "NO" },
        if after_one <= 50.0 { "met" } else { "NOT MET" }
    );
    // After a write to the program's rule, the view is computed again from every official.
    use sea_orm::ConnectionTrait;
    let touch = format!(
        "UPDATE programs SET threshold_percent = threshold_percent WHERE id = {}",
        valid.id
    );
    db.execute_unprepared(&touch).await.unwrap();
    let t = Instant::now();
    assert_eq!(get(addr, &path, Some(admin)).await.0, 200);
    let after = t.elapsed().as_secs_f64() * 1e3;
    // Four administrators open it at the same moment after another such write: they wait for one
    // computation between them (`ssr::coverage::views`), so the four together cost about what
    // one alone did, in time and in memory. The peak is counted from here (`clear_refs` 5
    // resets VmHWM).
    db.execute_unprepared(&touch).await.unwrap();
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let computed = views.counts().1;
    let t = Instant::now();
    let four = futures::future::join_all((0..4).map(|_| get(addr, &path, Some(admin)))).await;
    let together = t.elapsed().as_secs_f64() * 1e3;
    assert!(four.iter().all(|(status, _)| *status == 200), "{path}: {four:?}");
    println!(
        "after another write, 4 administrators at the same moment: all answered in {together:.0} ms = {:.2}× one alone; {} computation(s); memory at most {} meanwhile",
        together / after,
        views.counts().1 - computed,
        memory("VmHWM")
    );
    println!(
        "/coverage, whole country (valid certificate): first {alone:.0} ms ({sql} SQL); again, nothing changed {kept:.1} ms ({sql_kept} SQL); after a change to the rule {after:.0} ms; 4 connections {:.2} req/s, p50 {:.1} ms, p99 {:.1} ms; {} KB; errors {}   goal ≤ 50 ms (kept view)  {}",
        f.rate,
        f.p50.as_secs_f64() * 1e3,
        f.p99.as_secs_f64() * 1e3,
        bytes / 1024,
        f.errors,
        if kept <= 50.0 { "met" } else { "NOT MET" }
    );
    println!(
        "memory of this process after it: {} now, {} at most (goal ≤ 256 MB after load)",
        memory("VmRSS"),
        memory("VmHWM")
    );
}

/// A line of `/proc/self/status` (`VmRSS`, `VmHWM`) in MB, or "?" off Linux.
fn memory(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| format!("{:.0} MB", kb / 1024.0))
        .unwrap_or_else(|| "?".into())
}

/// Sends every (path, cookie, form) POST over `connections` keep-alive connections; returns
/// (redirects, other answers). A form route answers a success with 303.
async fn post_all(addr: std::net::SocketAddr, work: Vec<(String, String, String)>, connections: usize) -> (u64, u64) {
    let queue = Arc::new(std::sync::Mutex::new(work));
    let (ok, bad) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (queue, ok, bad) = (queue.clone(), ok.clone(), bad.clone());
            tokio::spawn(async move {
                let s = TcpStream::connect(addr).await.unwrap();
                s.set_nodelay(true).unwrap();
                let mut conn = BufReader::new(s);
                loop {
                    let Some((path, cookie, form)) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    match send(&mut conn, "POST", &path, Some(&cookie), &form).await {
                        Some((303, _)) => ok.fetch_add(1, Ordering::Relaxed),
                        Some(_) => bad.fetch_add(1, Ordering::Relaxed),
                        None => {
                            bad.fetch_add(1, Ordering::Relaxed);
                            let s = TcpStream::connect(addr).await.unwrap();
                            s.set_nodelay(true).unwrap();
                            conn = BufReader::new(s);
                            0
                        }
                    };
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    (ok.load(Ordering::Relaxed), bad.load(Ordering::Relaxed))
}

/// Serves a node's router on a loopback port of its own.
async fn listen(state: app::ssr::state::AppState) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = server::startup::router(state);
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    addr
}

/// One request on a new connection; (status, body length).
async fn get(addr: std::net::SocketAddr, path: &str, cookie: Option<&str>) -> (u16, usize) {
    let s = TcpStream::connect(addr).await.unwrap();
    s.set_nodelay(true).unwrap();
    let mut conn = BufReader::new(s);
    request(&mut conn, path, cookie).await.expect("a reply")
}

/// `connections` keep-alive connections, each sending requests one after another for `time`.
async fn load(
    addrs: &[std::net::SocketAddr],
    path: &str,
    cookie: Option<&str>,
    connections: usize,
    time: Duration,
) -> Figures {
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let until = start + time;
    let tasks: Vec<_> = (0..connections)
        .map(|i| {
            let addr = addrs[i % addrs.len()];
            let (path, cookie, errors) = (path.to_string(), cookie.map(str::to_string), errors.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut conn: Option<BufReader<TcpStream>> = None;
                while Instant::now() < until {
                    if conn.is_none() {
                        let s = TcpStream::connect(addr).await.unwrap();
                        s.set_nodelay(true).unwrap();
                        conn = Some(BufReader::new(s));
                    }
                    let t = Instant::now();
                    match request(conn.as_mut().unwrap(), &path, cookie.as_deref()).await {
                        Some((200, _)) => latencies.push(t.elapsed()),
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                            conn = None;
                        }
                    }
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    let at = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Figures {
        rate: all.len() as f64 / elapsed,
        p50: at(0.5),
        p99: at(0.99),
        errors: errors.load(Ordering::Relaxed),
    }
}

/// Sends a GET on a keep-alive connection and reads the whole reply (Content-Length or
/// chunked); `None` if the connection failed.
async fn request(conn: &mut BufReader<TcpStream>, path: &str, cookie: Option<&str>) -> Option<(u16, usize)> {
    send(conn, "GET", path, cookie, "").await
}

/// Sends a request (a POST as a same-origin form) and reads the whole reply.
async fn send(
    conn: &mut BufReader<TcpStream>,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: &str,
) -> Option<(u16, usize)> {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n");
    if let Some(c) = cookie {
        req.push_str(&format!("Cookie: {c}\r\n"));
    }
    if method == "POST" {
        req.push_str(&format!(
            "Origin: http://127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(form);
    conn.get_mut().write_all(req.as_bytes()).await.ok()?;
    let mut line = String::new();
    conn.read_line(&mut line).await.ok()?;
    let status: u16 = line.split_whitespace().nth(1)?.parse().ok()?;
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        conn.read_line(&mut line).await.ok()?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':')?;
        if k.eq_ignore_ascii_case("content-length") {
            length = v.trim().parse::<usize>().ok();
        } else if k.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked") {
            chunked = true;
        }
    }
    let mut total = 0;
    if chunked {
        loop {
            line.clear();
            conn.read_line(&mut line).await.ok()?;
            let size = usize::from_str_radix(line.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            conn.read_exact(&mut chunk).await.ok()?;
            total += size;
            if size == 0 {
                break;
            }
        }
    } else {
        let mut body = vec![0; length.unwrap_or(0)];
        conn.read_exact(&mut body).await.ok()?;
        total = body.len();
    }
    Some((status, total))
}
