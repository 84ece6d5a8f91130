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

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// SQL statements run since start (every statement, every connection).
static STATEMENTS: AtomicU64 = AtomicU64::new(0);

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
    let mut state = server::startup::build_state(config, server::startup::leptos_options(None))
        .await
        .expect("state");
    // BENCH_SQL=1 prints every statement (to see what a page asks the database).
    let show = std::env::var_os("BENCH_SQL").is_some();
    state.db.set_metric_callback(move |info| {
        STATEMENTS.fetch_add(1, Ordering::Relaxed);
        if show {
            eprintln!("SQL {:.2} ms: {}", info.elapsed.as_secs_f64() * 1e3, info.statement.sql);
        }
    });
    let db = state.db.clone();
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
        let (status, bytes) = get(addr, &s.path, s.cookie.as_deref()).await;
        let sql = STATEMENTS.load(Ordering::Relaxed) - before;
        assert_eq!(status, 200, "{} answered {status}", s.path);
        let f = load(
            addr,
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
    if !only.is_empty() {
        return;
    }
    // The lesson page at one connection: the latency a single reader sees.
    let lesson = &scenarios[1];
    let one = load(
        addr,
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
    let courses: Vec<String> = std::fs::read_dir(&content_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("exam.md").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    submissions(addr, &db, &secret, connections, &courses).await;
    if let Some(f) = file {
        for suffix in ["", "-wal", "-shm", ".startup-lock"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
        }
    }
}

/// Exam submissions, each a write transaction committed with fsync (SQLite `synchronous=FULL`):
/// every demo official who may start the course's exam starts it (not timed), then all submit at
/// once over `connections`. The baseline, on the same database in the same run, is the raw
/// commit rate: one-row insert transactions from as many connections for 3 s.
async fn submissions(
    addr: std::net::SocketAddr,
    db: &sea_orm::DatabaseConnection,
    secret: &[u8],
    connections: usize,
    courses: &[String],
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
    let cookies: HashMap<i64, String> = learners
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
    let open = attempt::Entity::find()
        .filter(attempt::Column::SubmittedAt.is_null())
        .all(db)
        .await
        .unwrap();
    let work: Vec<_> = open
        .iter()
        .filter_map(|a| {
            let c = cookies.get(&a.person_id)?;
            Some((
                format!("/courses/{}/exam/submit", a.course_id),
                c.clone(),
                format!("attempt={}&seq=1&confirm=1", a.id),
            ))
        })
        .collect();
    let n = work.len();
    let t = Instant::now();
    let (ok, errors) = post_all(addr, work, connections).await;
    let rate = ok as f64 / t.elapsed().as_secs_f64();
    let ids: Vec<i64> = open.iter().map(|a| a.id).collect();
    let submitted = attempt::Entity::find()
        .filter(attempt::Column::Id.is_in(ids))
        .filter(attempt::Column::SubmittedAt.is_not_null())
        .all(db)
        .await
        .unwrap()
        .len();
    println!(
        "
raw commits (one-row transactions, {connections} connections)   {raw:>8.0}/s = baseline
         exam submissions ({n} attempts at once)          {rate:>8.0}/s = {:.2}×   goal ≥ 0.50×  {}            errors {errors}, recorded {submitted}/{n}",
        rate / raw,
        if rate / raw >= 0.5 && errors == 0 && submitted == n { "met" } else { "NOT MET" }
    );
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

/// One request on a new connection; (status, body length).
async fn get(addr: std::net::SocketAddr, path: &str, cookie: Option<&str>) -> (u16, usize) {
    let s = TcpStream::connect(addr).await.unwrap();
    s.set_nodelay(true).unwrap();
    let mut conn = BufReader::new(s);
    request(&mut conn, path, cookie).await.expect("a reply")
}

/// `connections` keep-alive connections, each sending requests one after another for `time`.
async fn load(
    addr: std::net::SocketAddr,
    path: &str,
    cookie: Option<&str>,
    connections: usize,
    time: Duration,
) -> Figures {
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let until = start + time;
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
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
