//! Test harness: every test gets a freshly migrated database — a new SQLite file by default, or
//! a new database on the PostgreSQL server named by `TEST_DATABASE_URL` — seeded with the demo
//! province, and talks to the real router (`startup::router`) in process.
#![allow(dead_code)]

use app::ssr::config::Config;
use app::ssr::state::AppState;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tower::ServiceExt;

#[derive(Clone)]
pub struct TestApp {
    pub state: AppState,
    pub router: axum::Router,
    pub backend: &'static str,
}

/// A response, read whole.
pub struct Resp {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Vec<String>,
    pub body: String,
    /// The body as sent (for downloads that are not text).
    pub bytes: Vec<u8>,
}

impl Resp {
    /// The value of the session cookie this response sets, if any (empty = cleared).
    pub fn session_cookie(&self) -> Option<String> {
        self.set_cookie.iter().find_map(|c| {
            c.strip_prefix(&format!("{}=", app::ssr::auth::COOKIE))
                .map(|rest| rest.split(';').next().unwrap_or("").to_string())
        })
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Seeds the demo province (failing, not hanging, if it cannot).
async fn seed(app: &TestApp) {
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        app::ssr::seed::seed_demo(&app.state.db),
    )
    .await
    .expect("the demo seeded within 60 s")
    .expect("seed demo");
}

fn unique() -> String {
    use rand::Rng;
    format!("{}_{:08x}", std::process::id(), rand::thread_rng().r#gen::<u32>())
}

/// A fresh, migrated, empty database URL for one test.
pub async fn fresh_database_url() -> (String, &'static str) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => {
            let name = format!("taphuan_test_{}", unique());
            let conn = Database::connect(&admin).await.expect("connect to TEST_DATABASE_URL");
            conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            let (base, _) = admin.rsplit_once('/').expect("URL with a database name");
            (format!("{base}/{name}"), "postgres")
        }
        _ => {
            let dir = std::env::temp_dir().join("taphuan-tests");
            std::fs::create_dir_all(&dir).unwrap();
            (
                format!("sqlite://{}?mode=rwc", dir.join(format!("{}.db", unique())).display()),
                "sqlite",
            )
        }
    }
}

impl TestApp {
    /// A new app on a new database, with the demo province seeded.
    pub async fn spawn() -> TestApp {
        let app = Self::spawn_empty().await;
        seed(&app).await;
        app
    }

    /// A new app with the demo province, serving the course library in `content_dir`.
    pub async fn spawn_with_content(content_dir: &std::path::Path) -> TestApp {
        Self::spawn_with(|c| c.content_dir = content_dir.to_path_buf()).await
    }

    /// A new app on a new, migrated, empty database, its test configuration adjusted by `tweak`.
    pub async fn spawn_configured(tweak: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_empty_with(tweak).await
    }

    /// A new app on a new, migrated database with no data.
    pub async fn spawn_empty() -> TestApp {
        Self::spawn_empty_with(|_| {}).await
    }

    /// A new app with the demo seeded and the configuration adjusted by `tweak`.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let app = Self::spawn_empty_with(tweak).await;
        seed(&app).await;
        app
    }

    /// A new app on a new, migrated, empty database, configuration adjusted by `tweak`.
    pub async fn spawn_empty_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let (url, backend) = fresh_database_url().await;
        Self::on_database(&url, backend, tweak).await
    }

    /// An app on an existing database (migrated if needed, nothing seeded).
    pub async fn on_database(url: &str, backend: &'static str, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::for_tests(url);
        tweak(&mut config);
        let state = tokio::time::timeout(
            std::time::Duration::from_secs(60),
            server::startup::build_state(config, server::startup::leptos_options(None)),
        )
        .await
        .expect("the app state within 60 s")
        .expect("state");
        let router = server::startup::router(state.clone());
        TestApp { state, router, backend }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        // A request that never answers, or whose body never ends, fails its test naming itself
        // instead of hanging the run (see the note on the stall in scripts/test.sh).
        let what = format!("{} {}", req.method(), req.uri());
        let whole = async {
            let res = self.router.clone().oneshot(req).await.expect("router answers");
            let status = res.status();
            let location = res
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(String::from);
            let set_cookie: Vec<String> = res
                .headers()
                .get_all(header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok().map(String::from))
                .collect();
            let bytes = res.into_body().collect().await.expect("body").to_bytes();
            (status, location, set_cookie, bytes)
        };
        let (status, location, set_cookie, bytes) = tokio::time::timeout(std::time::Duration::from_secs(30), whole)
            .await
            .unwrap_or_else(|_| panic!("{what}: the response did not end within 30 s"));
        Resp {
            status,
            location,
            set_cookie,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    fn with_cookie(b: axum::http::request::Builder, token: Option<&str>) -> axum::http::request::Builder {
        match token {
            Some(t) => b.header(header::COOKIE, format!("{}={t}", app::ssr::auth::COOKIE)),
            None => b,
        }
    }

    /// GET a page as a browser would (Accept: text/html).
    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.send(Self::page_request(path, token)).await
    }

    /// The request a browser sends for a page (Accept: text/html), for sending by other means.
    pub fn page_request(path: &str, token: Option<&str>) -> Request<Body> {
        let b = Request::get(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ACCEPT, "text/html");
        Self::with_cookie(b, token).body(Body::empty()).unwrap()
    }

    /// POST a form (same-origin, as the browser sends it from our own page).
    pub async fn post_form(&self, path: &str, form: &str, token: Option<&str>) -> Resp {
        let b = Request::post(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(Self::with_cookie(b, token).body(Body::from(form.to_string())).unwrap())
            .await
    }

    /// Calls a server function by endpoint (`/api/<name>`) with URL-encoded arguments, as the
    /// hydrated app does.
    pub async fn call(&self, endpoint: &str, args: &str, token: Option<&str>) -> Resp {
        let b = Request::post(format!("/api/{endpoint}"))
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(Self::with_cookie(b, token).body(Body::from(args.to_string())).unwrap())
            .await
    }

    /// Calls a server function that takes JSON (`input = Json`) with `args`.
    pub async fn call_json(&self, endpoint: &str, args: &serde_json::Value, token: Option<&str>) -> Resp {
        let b = Request::post(format!("/api/{endpoint}"))
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/json");
        self.send(Self::with_cookie(b, token).body(Body::from(args.to_string())).unwrap())
            .await
    }

    /// The roster page's upload form (multipart: the hidden `kind`, `roster` or `agencies`, and
    /// the file), as the browser posts it.
    pub async fn upload(&self, token: &str, kind: &str, filename: &str, bytes: &[u8]) -> Resp {
        let boundary = "----taphuan-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let b = Request::post("/roster/upload")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            );
        self.send(Self::with_cookie(b, Some(token)).body(Body::from(body)).unwrap())
            .await
    }

    /// Signs in through the real form endpoint; returns the session token.
    pub async fn sign_in(&self, username: &str, password: &str) -> Option<String> {
        let r = self
            .post_form(
                "/auth/sign-in",
                &format!("username={username}&password={password}&next="),
                None,
            )
            .await;
        r.session_cookie().filter(|c| !c.is_empty())
    }

    pub async fn sign_in_demo(&self, username: &str) -> String {
        self.sign_in(username, app::ssr::seed::DEMO_PASSWORD)
            .await
            .unwrap_or_else(|| panic!("{username} signs in"))
    }

    /// The id of the agency with `code`.
    pub async fn agency_id(&self, code: &str) -> i64 {
        use app::ssr::db::entities::agency;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        agency::Entity::find()
            .filter(agency::Column::Code.eq(code))
            .one(&self.state.db)
            .await
            .unwrap()
            .unwrap()
            .id
    }
}

/// What the log says while a test runs: install with
/// `tracing::subscriber::set_default(LogCapture::subscriber(&log))`.
#[derive(Clone, Default)]
pub struct LogCapture(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl LogCapture {
    /// A plain-text subscriber at INFO writing here.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync {
        tracing_subscriber::fmt()
            .with_writer(self.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish()
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogCapture {
    type Writer = LogCapture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A minimal SMTP server on 127.0.0.1 (loopback only) for the e-mail tests.
pub async fn smtp_sink() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>> = Default::default();
    let store = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = tokio::io::BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                let (mut rcpt, mut data, mut in_data) = (String::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store.lock().unwrap().push((rcpt.clone(), std::mem::take(&mut data)));
                            let _ = w.write_all(b"250 queued\r\n").await;
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        rcpt = line[8..].trim().trim_matches(['<', '>']).to_string();
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, got)
}

/// The text of an e-mail as the sink received it: the body decoded from base64 or
/// quoted-printable, whichever the mailer chose.
pub fn mail_text(data: &str) -> String {
    use base64::Engine;
    let (head, body) = data.split_once("\n\n").unwrap_or((data, ""));
    let head = head.to_ascii_lowercase();
    if head.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .unwrap_or_default();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    if head.contains("content-transfer-encoding: quoted-printable") {
        let bytes = body.replace("=\n", "").into_bytes();
        let mut out = vec![];
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'=', Some(b)) => {
                    out.push(b);
                    i += 3;
                }
                (b, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        return String::from_utf8_lossy(&out).into_owned();
    }
    body.to_string()
}

/// The upload id in the redirect after a roster or agency file is uploaded.
pub fn upload_id(location: &Option<String>) -> i64 {
    let loc = location.as_deref().expect("a redirect");
    loc.split("upload=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no upload id in {loc}"))
}

/// A completion with a 24-month certificate for `person_id` in `course_id`, recorded as an
/// import would (through the one completion writer); returns the certificate's number.
pub async fn certify(db: &sea_orm::DatabaseConnection, person_id: i64, course_id: &str) -> String {
    certify_at(db, person_id, course_id, chrono::Utc::now()).await
}

/// [`certify`], completed at `at`.
pub async fn certify_at(
    db: &sea_orm::DatabaseConnection,
    person_id: i64,
    course_id: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> String {
    use sea_orm::TransactionTrait;
    let tx = db.begin_with_options(app::ssr::db::write_tx()).await.unwrap();
    let (_, number) = app::ssr::completions::record_completion(
        &tx,
        app::ssr::completions::NewCompletion {
            person_id,
            course_id,
            course_hash: "test",
            score_percent: Some(90),
            completed_at: at,
            source: "import",
            attempt_id: None,
            attempt_started_at: None,
            class_id: None,
            validity_months: 24,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    number
}

/// Copies a folder and everything under it (a content library to change in a test).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A fresh copy of the repository's content library, to change in a test.
pub fn content_copy() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "taphuan-content-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    copy_dir(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../content")),
        &dir,
    );
    dir
}

/// A page's text as a reader sees it: tags, comments, scripts and styles dropped, runs of
/// whitespace as one space, the common entities decoded.
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let closing = ["script", "style"]
            .into_iter()
            .find(|t| after.get(1..=t.len()).is_some_and(|n| n.eq_ignore_ascii_case(t)))
            .map(|t| format!("</{t}>"));
        let end = if let Some(closing) = closing {
            after.find(&closing).map_or(after.len(), |e| e + closing.len())
        } else if after.starts_with("<!--") {
            after.find("-->").map_or(after.len(), |e| e + 3)
        } else {
            after.find('>').map_or(after.len(), |e| e + 1)
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
