//! Three `taphuan serve` processes on one database, as a province runs them behind a load
//! balancer: started at the same moment on an empty database (one migrates and seeds, the others
//! wait for it), officials activate, read, start and submit exams with every request going to
//! another node and each submission sent to all three at once; nothing is lost or counted
//! twice. Then `taphuan content reload` changes the library on every node without a restart.
//! Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

mod common;
use app::ssr::db::entities::{account, attempt, certificate, completion};
use common::fresh_database_url;
use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const COURSE: &str = "k-hang-gia";
const SECRET: &str = "test-secret-test-secret-test-secret!";
const LEARNERS: usize = 6;

/// Three true-or-false questions, two drawn: a learner who answers "true" passes.
const EXAM: &str = r#"+++
title = "Bài kiểm tra của cụm ba máy"
draw = 2
pass_mark = 50
max_attempts = 3
cooldown_minutes = 0
shuffle_questions = true
shuffle_answers = false
review = "after_submit"
+++
Mỗi lượt rút 2 câu.

```gift
// lesson: 01-tong-quan.md#san-la-gi
::c-1:: Sàn giao dịch thương mại điện tử phải đăng ký. {T}

// lesson: 02-nghia-vu.md#go-hang
::c-2:: Sàn phải gỡ hàng vi phạm khi được yêu cầu. {T}

// lesson: 02-nghia-vu.md
::c-3:: Người bán phải công khai thông tin của mình. {T}
```
"#;

/// One `taphuan serve` process; killed when dropped, its log kept for the failure message.
struct Node {
    port: u16,
    child: Child,
    log: PathBuf,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    fn start(db: &str, content: &Path, work: &Path, n: usize, key_pem: &str) -> Node {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // Each node its own data folder: nothing is shared but the database and configuration.
        let data = work.join(format!("node-{n}"));
        std::fs::create_dir_all(&data).unwrap();
        let log = work.join(format!("node-{n}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_taphuan"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", db)
            .env("TAPHUAN_ENV", "production")
            .env("TAPHUAN_JWT_SECRET", SECRET)
            .env("TAPHUAN_CERT_PRIVATE_KEY_PEM", key_pem)
            .env("TAPHUAN_PUBLIC_URL", "https://taphuan.example")
            .env("TAPHUAN_COOKIE_SECURE", "false")
            .env("TAPHUAN_SEED_DEMO", "true")
            .env("TAPHUAN_DATA_DIR", &data)
            .env("TAPHUAN_CONTENT_DIR", content)
            .env("TAPHUAN_CONTENT_POLL_SECONDS", "1")
            .env("TAPHUAN_REMINDER_MINUTES", "0")
            .env("RUST_LOG", "info")
            .stdout(Stdio::from(out.try_clone().unwrap()))
            .stderr(Stdio::from(out))
            .spawn()
            .expect("start taphuan serve");
        Node { port, child, log }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the node answers `/healthz` (it migrates, and may wait for another node's
    /// start-up, first).
    async fn ready(&mut self) {
        let until = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(r) = self.send("GET", "/healthz", "", None).await
                && r.status == 200
            {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("node on {} exited ({status}):\n{}", self.port, self.log_text());
            }
            assert!(
                Instant::now() < until,
                "node on {} not ready:\n{}",
                self.port,
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// One HTTP/1.0 request (the connection closes after the reply: no chunking to undo), as
    /// the browser sends it from the node's own pages.
    async fn send(&self, method: &str, path: &str, form: &str, cookie: Option<&str>) -> std::io::Result<Reply> {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await?;
        let host = format!("127.0.0.1:{}", self.port);
        let accept = if path.starts_with("/api/") {
            "application/json"
        } else {
            "text/html"
        };
        let mut req =
            format!("{method} {path} HTTP/1.0\r\nHost: {host}\r\nOrigin: http://{host}\r\nAccept: {accept}\r\n");
        if let Some(c) = cookie {
            req.push_str(&format!("Cookie: {}={c}\r\n", app::ssr::auth::COOKIE));
        }
        if method == "POST" {
            req.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                form.len()
            ));
        }
        req.push_str("\r\n");
        req.push_str(form);
        s.write_all(req.as_bytes()).await?;
        let mut raw = Vec::new();
        tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut raw))
            .await
            .map_err(|_| std::io::Error::other(format!("{method} {path}: no reply within 30 s")))??;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let header = |name: &str| {
            head.lines()
                .filter_map(|l| l.split_once(':'))
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_string())
                .collect::<Vec<_>>()
        };
        let session = header("set-cookie").into_iter().find_map(|c| {
            c.strip_prefix(&format!("{}=", app::ssr::auth::COOKIE))
                .and_then(|v| v.split(';').next())
                .map(str::to_string)
        });
        Ok(Reply {
            status,
            location: header("location").into_iter().next(),
            session,
            body: body.to_string(),
        })
    }

    async fn post(&self, path: &str, form: &str, cookie: Option<&str>) -> Reply {
        self.send("POST", path, form, cookie)
            .await
            .unwrap_or_else(|e| panic!("POST {path} on {}: {e}", self.port))
    }
}

struct Reply {
    status: u16,
    location: Option<String>,
    session: Option<String>,
    body: String,
}

/// One official's whole journey, each step on the next node; the submission goes to all three
/// nodes at once. Returns the attempt's id.
async fn journey(nodes: &[Node], i: usize, username: &str, code: &str) -> i64 {
    let node = |k: usize| &nodes[(i + k) % nodes.len()];
    let password = format!("cum-ba-may-{i}-Mat-khau-dai");
    let r = node(0)
        .post(
            "/auth/activate",
            &format!("username={username}&code={code}&password={password}"),
            None,
        )
        .await;
    let token = r
        .session
        .clone()
        .unwrap_or_else(|| panic!("{username} activates: {} {:?} {}", r.status, r.location, r.body));
    for n in 1..=2 {
        let r = node(n)
            .post(&format!("/courses/{COURSE}/lessons/{n}/read"), "", Some(&token))
            .await;
        assert_eq!(r.status, 303, "lesson {n} read: {}", r.body);
    }
    let r = node(0)
        .post(&format!("/courses/{COURSE}/exam/start"), "", Some(&token))
        .await;
    assert_eq!(r.status, 303, "exam start: {}", r.body);
    let r = node(1)
        .post("/api/exam_page", &format!("course={COURSE}"), Some(&token))
        .await;
    assert_eq!(r.status, 200, "exam page: {}", r.body);
    let page: serde_json::Value = serde_json::from_str(&r.body).expect("exam page JSON");
    let open = &page["open"];
    let mut form = format!("attempt={}&seq={}&confirm=1", open["id"], open["seq"]);
    for q in open["questions"].as_array().expect("drawn questions") {
        form.push_str(&format!("&q{}=true", q["position"]));
    }
    let submit = format!("/courses/{COURSE}/exam/submit");
    let submits = nodes.iter().map(|n| n.post(&submit, &form, Some(&token)));
    let expected = format!("/courses/{COURSE}/exam/attempts/{}", open["id"]);
    for r in futures::future::join_all(submits).await {
        assert_eq!(r.status, 303, "submit: {}", r.body);
        assert_eq!(r.location.as_deref(), Some(expected.as_str()));
    }
    open["id"].as_i64().expect("attempt id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_on_one_database_lose_nothing_and_count_nothing_twice() {
    let (url, _) = fresh_database_url().await;
    let work = std::env::temp_dir().join(format!(
        "taphuan-cluster-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let content = work.join("content");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/content-fixtures/valid"),
        &content,
    );
    std::fs::write(content.join(COURSE).join("exam.md"), EXAM).unwrap();
    let key = app::ssr::certs::generate_private_pem();

    // Three starts at the same moment on an empty database.
    let mut nodes: Vec<Node> = (0..3).map(|n| Node::start(&url, &content, &work, n, &key)).collect();
    for n in &mut nodes {
        n.ready().await;
    }
    let db = Database::connect(&url).await.unwrap();
    let demo_learners = account::Entity::find()
        .filter(account::Column::Username.eq("hocvien"))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(demo_learners, 1, "the demo was seeded once, not by each node");
    let seeds: usize = nodes
        .iter()
        .map(|n| n.log_text().matches("seeded the demo province").count())
        .sum();
    assert_eq!(seeds, 1, "exactly one node seeded");

    // Officials of one team get activation codes, as their manager would print them.
    let config = app::ssr::config::Config {
        jwt_secret: SECRET.as_bytes().to_vec(),
        ..app::ssr::config::Config::for_tests(&url)
    };
    let team = app::ssr::db::entities::agency::Entity::find()
        .filter(app::ssr::db::entities::agency::Column::Code.eq("GL-QLTT-D01"))
        .one(&db)
        .await
        .unwrap()
        .expect("the demo team");
    let slips = app::ssr::accounts::not_yet_activated(&db, &team.path).await.unwrap();
    assert!(
        slips.len() >= LEARNERS,
        "the team has {} officials to activate",
        slips.len()
    );
    let slips = &slips[..LEARNERS];
    let ids: Vec<i64> = slips.iter().map(|s| s.account_id).collect();
    let codes = app::ssr::accounts::issue_codes(&db, &config, &ids, app::ssr::accounts::Purpose::Activate, None)
        .await
        .unwrap();

    // Every official at once, each request to another node.
    let journeys = slips
        .iter()
        .zip(&codes)
        .enumerate()
        .map(|(i, (s, (_, code, _)))| journey(&nodes, i, &s.username, code));
    let attempt_ids = futures::future::join_all(journeys).await;

    let people: Vec<i64> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids.clone()))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.person_id)
        .collect();
    assert_eq!(people.len(), LEARNERS);
    let attempts = attempt::Entity::find()
        .filter(attempt::Column::PersonId.is_in(people.clone()))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(attempts.len(), LEARNERS, "one attempt each, none lost, none doubled");
    for a in &attempts {
        assert!(attempt_ids.contains(&a.id));
        assert!(a.submitted_at.is_some(), "attempt {} was submitted", a.id);
        assert_eq!(a.passed, Some(true), "attempt {} passed", a.id);
    }
    let completions = completion::Entity::find()
        .filter(completion::Column::PersonId.is_in(people.clone()))
        .filter(completion::Column::CourseId.eq(COURSE))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(completions, LEARNERS as u64, "one completion each");
    let mut numbers: Vec<String> = certificate::Entity::find()
        .filter(certificate::Column::PersonId.is_in(people))
        .filter(certificate::Column::CourseId.eq(COURSE))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.number)
        .collect();
    assert_eq!(numbers.len(), LEARNERS, "one certificate each");
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), LEARNERS, "certificate numbers are unique across nodes");

    // The library changes on every node after one `content reload`, with no restart.
    let reload = |note: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_taphuan"))
            .args(["content", "reload", "--note", note])
            .env("DATABASE_URL", &url)
            .env("TAPHUAN_CONTENT_DIR", &content)
            .env("TAPHUAN_DATA_DIR", work.join("cli"))
            .env_remove("TAPHUAN_ENV")
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        (o.status.success(), said)
    };
    // A library with an error is refused where the command runs, at its line.
    let exam_md = content.join(COURSE).join("exam.md");
    std::fs::write(&exam_md, EXAM.replace("shuffle_answers = false\n", "")).unwrap();
    let (ok, said) = reload("thử");
    assert!(
        !ok && said.contains("exam.md:1:1") && said.contains("nothing was reloaded"),
        "{said}"
    );
    std::fs::write(&exam_md, EXAM).unwrap();

    let course_md = content.join(COURSE).join("course.md");
    let text = std::fs::read_to_string(&course_md).unwrap();
    let title = "Hàng giả trên sàn (bản 2026)";
    let old = "title = \"Kiểm tra hàng giả trên sàn thương mại điện tử\"";
    assert!(text.contains(old));
    std::fs::write(&course_md, text.replacen(old, &format!("title = \"{title}\""), 1)).unwrap();
    let (ok, said) = reload("Luật 122/2025/QH15 có hiệu lực");
    assert!(ok, "{said}");
    assert!(said.contains("reload #1 requested"), "{said}");
    let learner = nodes[0]
        .post("/auth/sign-in", "username=hocvien&password=taphuan-demo&next=", None)
        .await
        .session
        .expect("the demo learner signs in");
    for n in &nodes {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let r = n
                .send("GET", &format!("/courses/{COURSE}"), "", Some(&learner))
                .await
                .unwrap();
            if r.body.contains(title) {
                break;
            }
            assert!(
                Instant::now() < until,
                "node on {} still serves the old title:\n{}",
                n.port,
                n.log_text()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    drop(nodes);
    std::fs::remove_dir_all(&work).ok();
}
