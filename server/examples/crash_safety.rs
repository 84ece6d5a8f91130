//! Crash safety, proven by killing the server: runs the release `taphuan serve` on a fresh
//! database, drives concurrent exam submissions over HTTP while keeping a ledger of every
//! submission the server acknowledged (its 303 to the result page), SIGKILLs the server at a
//! random moment, and — with the server down — checks:
//!
//! - every acknowledged submission exists exactly once (the attempt submitted with the result
//!   acknowledged; one completion for a pass, none for a fail; never two completions of a course);
//! - SQLite `PRAGMA integrity_check` is `ok`;
//! - the audit chain verifies, and every completion and certificate matches its event;
//! - the course credits equal a recompute from the completions.
//!
//! Then it restarts the server and goes again. Submissions cut off by the kill are sent again
//! after the restart (a replay must not count twice).
//!
//! ```text
//! cargo run --release -p server --features app/ssr --example crash_safety -- \
//!     --binary target/release/taphuan --rounds 50 [--database-url postgres://…/postgres]
//! ```
//! Without `--database-url` it runs on a new SQLite file. `scripts/crash-safety.sh` runs both.

use app::ssr::db::entities::{account, attempt, completion};
use rand::Rng;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const COURSE: &str = "k-hang-gia";
const PASSWORD: &str = "do-ben-khi-sap-nguon-2026";
const WORKERS: usize = 12;
/// One submission in fifty passes: a learner who passes is done, and every round must still
/// have learners left to submit (a kill of an idle server proves nothing).
const PASS_RATE: f64 = 0.02;
const EXAM: &str = r#"+++
title = "Bài kiểm tra độ bền"
draw = 1
pass_mark = 50
max_attempts = 0
cooldown_minutes = 0
time_limit_minutes = 30
shuffle_questions = false
shuffle_answers = false
review = "after_submit"
+++
Một câu hỏi đúng/sai.

```gift
::q-tf:: Sàn giao dịch phải gỡ hàng vi phạm khi có yêu cầu. {T}
```
"#;

struct Args {
    binary: PathBuf,
    rounds: usize,
    database_url: Option<String>,
    port: u16,
}

fn args() -> Args {
    let mut a = Args {
        binary: PathBuf::from("target/release/taphuan"),
        rounds: 50,
        database_url: None,
        port: 3291,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--binary" => a.binary = v.into(),
            "--rounds" => a.rounds = v.parse().expect("--rounds N"),
            "--database-url" => a.database_url = Some(v),
            "--port" => a.port = v.parse().expect("--port N"),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

// ---- a tiny HTTP/1.1 client (one request per connection: a kill leaves nothing half-read) ----

struct Resp {
    status: u16,
    location: Option<String>,
    cookie: Option<String>,
    body: String,
}

async fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
    json: bool,
) -> std::io::Result<Resp> {
    let go = async {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        let body = form.unwrap_or("");
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nConnection: close\r\n"
        );
        if let Some(c) = cookie {
            req.push_str(&format!("Cookie: {}={c}\r\n", app::ssr::auth::COOKIE));
        }
        if json {
            req.push_str("Accept: application/json\r\n");
        }
        if form.is_some() {
            req.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes()).await?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, rest) = text
            .split_once("\r\n\r\n")
            .ok_or_else(|| std::io::Error::other("cut-off response"))?;
        let mut lines = head.lines();
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| std::io::Error::other("no status line"))?;
        let mut location = None;
        let mut set_cookie = None;
        let mut chunked = false;
        for l in lines {
            let Some((k, v)) = l.split_once(':') else { continue };
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            match k.as_str() {
                "location" => location = Some(v.to_string()),
                "set-cookie" if v.starts_with(&format!("{}=", app::ssr::auth::COOKIE)) => {
                    set_cookie = v
                        .split(';')
                        .next()
                        .and_then(|c| c.split_once('='))
                        .map(|c| c.1.to_string())
                }
                "transfer-encoding" if v.contains("chunked") => chunked = true,
                _ => {}
            }
        }
        let body = if chunked { dechunk(rest) } else { rest.to_string() };
        Ok(Resp {
            status,
            location,
            cookie: set_cookie,
            body,
        })
    };
    tokio::time::timeout(Duration::from_secs(20), go)
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("timed out")))
}

fn dechunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

// ---- the ledger ----

#[derive(Clone, Debug)]
struct Ack {
    attempt: i64,
    passed: bool,
}

#[derive(Clone, Debug, Default)]
struct Learner {
    username: String,
    cookie: Option<String>,
    lessons_read: bool,
    done: bool,
    /// A submission sent but not acknowledged (the server died): sent again after the restart.
    pending: Option<(i64, String, bool)>,
}

#[derive(Default)]
struct Shared {
    queue: Vec<Learner>,
    acks: Vec<Ack>,
    sent: usize,
    replayed: usize,
    errors_while_up: usize,
}

/// One learner's next step; `Err` when the server is gone (the round ends for this worker).
async fn step(port: u16, l: &mut Learner, rng: &mut rand::rngs::StdRng, shared: &Mutex<Shared>) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    if l.cookie.is_none() {
        let form = format!("username={}&password={PASSWORD}", l.username);
        let r = http(port, "POST", "/auth/sign-in", None, Some(&form), false)
            .await
            .map_err(io)?;
        match r.cookie.filter(|c| !c.is_empty()) {
            Some(c) => l.cookie = Some(c),
            None => return Ok(()), // busy hashing slots: try again
        }
    }
    let cookie = l.cookie.clone();
    let cookie = cookie.as_deref();
    if l.pending.is_some() {
        return send_pending(port, l, shared, true).await;
    }
    if !l.lessons_read {
        for n in 1..=2 {
            let r = http(
                port,
                "POST",
                &format!("/courses/{COURSE}/lessons/{n}/read"),
                cookie,
                Some(""),
                false,
            )
            .await
            .map_err(io)?;
            if r.status != 303 {
                shared.lock().unwrap().errors_while_up += 1;
                return Ok(());
            }
        }
        l.lessons_read = true;
    }
    let r = http(
        port,
        "POST",
        &format!("/courses/{COURSE}/exam/start"),
        cookie,
        Some(""),
        false,
    )
    .await
    .map_err(io)?;
    if r.status != 303 {
        shared.lock().unwrap().errors_while_up += 1;
        return Ok(());
    }
    let page = http(
        port,
        "POST",
        "/api/exam_page",
        cookie,
        Some(&format!("course={COURSE}")),
        true,
    )
    .await
    .map_err(io)?;
    if page.status != 200 {
        shared.lock().unwrap().errors_while_up += 1;
        return Ok(());
    }
    let v: serde_json::Value = serde_json::from_str(&page.body).map_err(|e| format!("exam page: {e}"))?;
    let open = &v["open"];
    let (Some(id), Some(seq)) = (open["id"].as_i64(), open["seq"].as_i64()) else {
        if v["refusal"] == "AlreadyCompleted" {
            l.done = true;
        }
        return Ok(());
    };
    let pass = rng.gen_bool(PASS_RATE);
    let mut form = format!("attempt={id}&seq={seq}");
    for q in open["questions"].as_array().into_iter().flatten() {
        let pos = q["position"].as_u64().unwrap_or_default();
        form.push_str(&format!("&q{pos}={}", if pass { "true" } else { "false" }));
    }
    l.pending = Some((id, form, pass));
    shared.lock().unwrap().sent += 1;
    send_pending(port, l, shared, false).await
}

/// Sends the learner's pending submission; on the server's acknowledgement (its 303 to the
/// attempt's result) writes it in the ledger. `replay`: sent again after a restart.
async fn send_pending(port: u16, l: &mut Learner, shared: &Mutex<Shared>, replay: bool) -> Result<(), String> {
    let Some((attempt, form, passed)) = l.pending.clone() else {
        return Ok(());
    };
    let path = format!("/courses/{COURSE}/exam/submit");
    let r = http(port, "POST", &path, l.cookie.as_deref(), Some(&form), false)
        .await
        .map_err(|e| e.to_string())?;
    let acknowledged = r.status == 303
        && r.location
            .as_deref()
            .is_some_and(|loc| loc.ends_with(&format!("/attempts/{attempt}")));
    let mut s = shared.lock().unwrap();
    if acknowledged {
        s.acks.push(Ack { attempt, passed });
        s.replayed += usize::from(replay);
        l.pending = None;
        l.done = passed;
    } else if !replay {
        s.errors_while_up += 1;
    }
    Ok(())
}

async fn worker(port: u16, shared: Arc<Mutex<Shared>>, stop: Arc<AtomicBool>, seed: u64) {
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    while !stop.load(Ordering::Relaxed) {
        let Some(mut l) = shared.lock().unwrap().queue.pop() else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let r = step(port, &mut l, &mut rng, &shared).await;
        let mut s = shared.lock().unwrap();
        if !l.done {
            s.queue.insert(0, l);
        }
        if r.is_err() {
            break;
        }
    }
}

// ---- the server ----

fn spawn_server(a: &Args, url: &str, data: &Path, content: &Path) -> std::process::Child {
    std::process::Command::new(&a.binary)
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("TAPHUAN_DATA_DIR", data)
        .env("TAPHUAN_CONTENT_DIR", content)
        .env("TAPHUAN_ADDR", format!("127.0.0.1:{}", a.port))
        .env("TAPHUAN_SEED_DEMO", "false")
        .env("RUST_LOG", "warn")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env_remove("TAPHUAN_ENV")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the server")
}

async fn wait_up(port: u16) {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(60) {
        if http(port, "GET", "/healthz", None, None, false)
            .await
            .is_ok_and(|r| r.status == 200)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the server did not come up within 60 s");
}

// ---- the checks (server down) ----

#[derive(Default, Debug)]
struct Tally {
    lost: usize,
    duplicated: usize,
    unsound: Vec<String>,
}

async fn check(db: &sea_orm::DatabaseConnection, acks: &[Ack]) -> Tally {
    let mut t = Tally::default();
    let ids: Vec<i64> = acks.iter().map(|a| a.attempt).collect();
    let mut attempts: HashMap<i64, attempt::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        for a in attempt::Entity::find()
            .filter(attempt::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await
            .unwrap()
        {
            attempts.insert(a.id, a);
        }
    }
    let mut per_attempt: HashMap<i64, usize> = HashMap::new();
    for c in completion::Entity::find().all(db).await.unwrap() {
        if let Some(a) = c.attempt_id {
            *per_attempt.entry(a).or_default() += 1;
        }
    }
    let mut seen = HashMap::new();
    for ack in acks {
        *seen.entry(ack.attempt).or_insert(0usize) += 1;
        let stored = attempts.get(&ack.attempt);
        let ok = stored.is_some_and(|a| a.submitted_at.is_some() && a.passed == Some(ack.passed));
        let n = per_attempt.get(&ack.attempt).copied().unwrap_or(0);
        let want = usize::from(ack.passed);
        if !ok || n < want {
            t.lost += 1;
        }
        if n > want {
            t.duplicated += 1;
        }
    }
    // Two acknowledgements of one attempt (a replay answered as new) would be a duplicate too.
    t.duplicated += seen.values().filter(|&&n| n > 1).count();
    // Never two completions of the course by one official.
    let twice = completion::Entity::find()
        .filter(completion::Column::CourseId.eq(COURSE))
        .select_only()
        .column(completion::Column::PersonId)
        .into_tuple::<i64>()
        .all(db)
        .await
        .unwrap();
    let mut per_person: HashMap<i64, usize> = HashMap::new();
    for p in twice {
        *per_person.entry(p).or_default() += 1;
    }
    t.duplicated += per_person.values().filter(|&&n| n > 1).count();
    let h = app::ssr::backup::health(db).await.unwrap();
    if !h.sound() {
        t.unsound.push(h.to_string());
    }
    t
}

// ---- setup ----

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

async fn prepare(a: &Args, work: &Path) -> (String, Vec<Learner>) {
    let url = match &a.database_url {
        None => format!("sqlite://{}?mode=rwc", work.join("crash.db").display()),
        Some(admin) => {
            let name = format!("taphuan_crash_{}", std::process::id());
            let conn = sea_orm::Database::connect(admin).await.expect("connect to PostgreSQL");
            conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                .await
                .unwrap();
            conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap();
            let (base, _) = admin.rsplit_once('/').expect("a URL with a database name");
            format!("{base}/{name}")
        }
    };
    let db = app::ssr::db::connect_migrated(&url, 2).await.expect("migrate");
    app::ssr::seed::seed_demo(&db).await.expect("seed");
    let hash = app::ssr::auth::hash_password(PASSWORD.to_string()).await.expect("hash");
    let learners: Vec<account::Model> = account::Entity::find()
        .filter(account::Column::PersonId.is_not_null())
        .filter(account::Column::Disabled.eq(false))
        .all(&db)
        .await
        .unwrap();
    for l in &learners {
        account::Entity::update(account::ActiveModel {
            id: Set(l.id),
            password_hash: Set(hash.clone()),
            ..Default::default()
        })
        .exec(&db)
        .await
        .unwrap();
    }
    db.close().await.ok();
    let learners = learners
        .into_iter()
        .map(|l| Learner {
            username: l.username,
            ..Default::default()
        })
        .collect();
    (url, learners)
}

#[tokio::main]
async fn main() {
    let a = args();
    let work = std::env::temp_dir().join(format!("taphuan-crash-{}", std::process::id()));
    let content = work.join("content");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/content-fixtures/valid"),
        &content,
    );
    std::fs::write(content.join(COURSE).join("exam.md"), EXAM).unwrap();
    let data = work.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let (url, learners) = prepare(&a, &work).await;
    let backend = if a.database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "crash safety on {backend}: {} learners, {} rounds, {WORKERS} concurrent clients",
        learners.len(),
        a.rounds
    );
    let shared = Arc::new(Mutex::new(Shared {
        queue: learners,
        ..Default::default()
    }));
    let mut rng = rand::thread_rng();
    let mut total = Tally::default();
    let started = Instant::now();
    let mut fewest = usize::MAX;
    for round in 1..=a.rounds {
        let sent_before = shared.lock().unwrap().sent;
        let mut server = spawn_server(&a, &url, &data, &content);
        wait_up(a.port).await;
        let stop = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..WORKERS)
            .map(|i| tokio::spawn(worker(a.port, shared.clone(), stop.clone(), (round * 100 + i) as u64)))
            .collect();
        let run_for = Duration::from_millis(rng.gen_range(300..2000));
        tokio::time::sleep(run_for).await;
        // std's kill() is SIGKILL on Unix: no shutdown, no flush, no goodbye.
        server.kill().expect("SIGKILL");
        server.wait().ok();
        stop.store(true, Ordering::Relaxed);
        for w in workers {
            w.await.ok();
        }
        let acks = shared.lock().unwrap().acks.clone();
        let db = app::ssr::db::connect(&url, 2).await.expect("reopen");
        let t = check(&db, &acks).await;
        db.close().await.ok();
        let (sent, replayed) = {
            let s = shared.lock().unwrap();
            (s.sent, s.replayed)
        };
        fewest = fewest.min(sent - sent_before);
        println!(
            "round {round:>2}: killed after {:>4} ms, {:>3} submissions in this round — {sent} sent in all, {} acknowledged ({replayed} after a replay), lost {}, duplicated {}, {}",
            run_for.as_millis(),
            sent - sent_before,
            acks.len(),
            t.lost,
            t.duplicated,
            if t.unsound.is_empty() {
                "database sound".to_string()
            } else {
                format!("UNSOUND: {}", t.unsound.join(" | "))
            }
        );
        total.lost = t.lost;
        total.duplicated = t.duplicated;
        total.unsound.extend(t.unsound);
    }
    let (sent, acked, replayed, refused) = {
        let s = shared.lock().unwrap();
        (s.sent, s.acks.len(), s.replayed, s.errors_while_up)
    };
    let passes = shared.lock().unwrap().acks.iter().filter(|a| a.passed).count();
    let db = app::ssr::db::connect(&url, 2).await.expect("reopen");
    let completions = completion::Entity::find()
        .filter(completion::Column::Source.eq("exam"))
        .count(&db)
        .await
        .unwrap_or_default();
    db.close().await.ok();
    println!(
        "RESULT {backend}: {} rounds in {:.0} s, {} submissions sent, {} acknowledged ({} replayed after a kill), {} of them passes, {} exam completions in the database, {} requests refused while the server was up, at least {} submissions in every round; lost {}, duplicated {}, unsound checks {}",
        a.rounds,
        started.elapsed().as_secs_f64(),
        sent,
        acked,
        replayed,
        passes,
        completions,
        refused,
        fewest,
        total.lost,
        total.duplicated,
        total.unsound.len()
    );
    std::fs::remove_dir_all(&work).ok();
    if total.lost + total.duplicated + total.unsound.len() > 0 || fewest == 0 {
        std::process::exit(1);
    }
}
