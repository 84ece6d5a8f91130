//! Sign-in, sessions and the cross-origin guard, through the real router and database.

mod common;
use axum::http::StatusCode;
use common::TestApp;
use jsonwebtoken::{EncodingKey, Header, encode};

#[tokio::test]
async fn each_demo_role_lands_on_its_home_page() {
    let app = TestApp::spawn().await;
    for (user, home, name) in [
        ("hocvien", "/learn", None),
        ("giangvien", "/content", Some("Trần Văn Bình")),
        ("quanly", "/coverage", Some("Lê Thị Hoa")),
        ("quantri", "/admin", Some("Võ Thị Mai")),
    ] {
        let r = app
            .post_form(
                "/auth/sign-in",
                &format!("username={user}&password=taphuan-demo&next="),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{}] {user}", app.backend);
        assert_eq!(r.location.as_deref(), Some(home), "[{}] {user}", app.backend);
        let cookie = r.set_cookie.join("; ");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        // The home page itself renders for them (no bounce back to sign-in).
        let token = r.session_cookie().unwrap();
        let page = app.get(home, Some(&token)).await;
        assert_eq!(page.status, StatusCode::OK, "[{}] {home} for {user}", app.backend);
        // People are shown by name, never by username: an official by the roster's name, staff
        // who are not officials by the name given to their account.
        let me = app.call("whoami", "", Some(&token)).await.json();
        let shown = me["user"]["display_name"].as_str().unwrap().to_string();
        assert_ne!(shown, user, "{me}");
        if let Some(name) = name {
            assert_eq!(shown, name);
            assert!(page.body.contains(name), "the header names {user} as {name}");
        }
    }
}

#[tokio::test]
async fn a_wrong_password_sends_back_to_the_form_with_an_error_and_no_session() {
    let app = TestApp::spawn().await;
    for form in [
        "username=quanly&password=wrong-password&next=",
        "username=nobody&password=taphuan-demo&next=",
    ] {
        let r = app.post_form("/auth/sign-in", form, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location.as_deref(), Some("/sign-in?error=credentials"));
        assert!(r.session_cookie().is_none(), "no cookie on failure");
    }
    let page = app.get("/sign-in?error=credentials", None).await;
    assert!(
        page.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."),
        "Vietnamese message shown"
    );
}

#[tokio::test]
async fn pages_for_signed_in_people_redirect_strangers_to_sign_in() {
    let app = TestApp::spawn().await;
    let r = app.get("/coverage", None).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(r.location.as_deref(), Some("/sign-in?next=/coverage"));
    let r = app.call("agencies", "", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

async fn agencies_status(app: &TestApp, token: &str) -> StatusCode {
    app.call("agencies", "", Some(token)).await.status
}

#[tokio::test]
async fn a_tampered_token_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quantri").await;
    assert_eq!(agencies_status(&app, &token).await, StatusCode::OK);
    // Change the subject in the payload, keep the signature.
    let parts: Vec<&str> = token.split('.').collect();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: serde_json::Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = serde_json::json!("1");
    let forged = format!("{}.{}.{}", parts[0], b64.encode(claims.to_string()), parts[2]);
    assert_eq!(agencies_status(&app, &forged).await, StatusCode::UNAUTHORIZED);
    let whoami = app.call("whoami", "", Some(&forged)).await.json();
    assert!(whoami["user"].is_null());
}

fn claims(app: &TestApp, exp_offset: i64) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    let _ = app;
    serde_json::json!({"sub": "5", "iat": now, "exp": now + exp_offset, "aud": "taphuan-web", "iss": "taphuan", "ver": 0})
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = TestApp::spawn().await;
    let secret = app.state.config.jwt_secret.clone();
    let good = encode(
        &Header::default(),
        &claims(&app, 3600),
        &EncodingKey::from_secret(&secret),
    )
    .unwrap();
    assert_eq!(
        agencies_status(&app, &good).await,
        StatusCode::OK,
        "a correctly signed admin token works"
    );
    let expired = encode(
        &Header::default(),
        &claims(&app, -3600),
        &EncodingKey::from_secret(&secret),
    )
    .unwrap();
    assert_eq!(agencies_status(&app, &expired).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_with_alg_none_or_missing_claims_is_refused() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let body = b64.encode(claims(&app, 3600).to_string());
    for token in [format!("{header}.{body}."), format!("{header}.{body}")] {
        assert_eq!(agencies_status(&app, &token).await, StatusCode::UNAUTHORIZED, "{token}");
    }
    // Signed correctly but without `aud`/`iss`: required claims are enforced.
    let mut c = claims(&app, 3600);
    c.as_object_mut().unwrap().remove("aud");
    let secret = app.state.config.jwt_secret.clone();
    let no_aud = encode(&Header::default(), &c, &EncodingKey::from_secret(&secret)).unwrap();
    assert_eq!(agencies_status(&app, &no_aud).await, StatusCode::UNAUTHORIZED);
    // Another HMAC algorithm with the same key is refused too: one pinned algorithm.
    let hs512 = encode(
        &Header::new(jsonwebtoken::Algorithm::HS512),
        &claims(&app, 3600),
        &EncodingKey::from_secret(&secret),
    )
    .unwrap();
    assert_eq!(agencies_status(&app, &hs512).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_out_invalidates_the_token_everywhere() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quanly").await;
    let other_device = app.sign_in_demo("quanly").await;
    assert_eq!(agencies_status(&app, &token).await, StatusCode::OK);
    let r = app.post_form("/auth/sign-out", "", Some(&token)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.session_cookie().as_deref(), Some(""), "cookie cleared");
    assert_eq!(
        agencies_status(&app, &token).await,
        StatusCode::UNAUTHORIZED,
        "the old token is dead"
    );
    assert_eq!(
        agencies_status(&app, &other_device).await,
        StatusCode::UNAUTHORIZED,
        "on every device"
    );
    let again = app.sign_in_demo("quanly").await;
    assert_eq!(
        agencies_status(&app, &again).await,
        StatusCode::OK,
        "a new sign-in works"
    );
}

#[tokio::test]
async fn a_cross_origin_post_is_refused() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("quantri").await;
    let cookie = format!("{}={token}", app::ssr::auth::COOKIE);
    let evil_origin = Request::post("/api/agencies")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(evil_origin).await.status, StatusCode::FORBIDDEN);
    let cross_site = Request::post("/auth/sign-out")
        .header(header::HOST, "127.0.0.1:3000")
        .header("sec-fetch-site", "cross-site")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(cross_site).await.status, StatusCode::FORBIDDEN);
    // The refused sign-out changed nothing: the session still works.
    assert_eq!(agencies_status(&app, &token).await, StatusCode::OK);
    let sign_in = Request::post("/auth/sign-in")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "null")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("username=quantri&password=taphuan-demo"))
        .unwrap();
    let r = app.send(sign_in).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.session_cookie().is_none());
}

/// A page's render calls several server functions (the header's and the page's own); the
/// signed-in user is read from the database once per request, not once per function. The
/// statements are counted through sea-orm's metric callback on the router's own pool.
#[tokio::test]
async fn a_page_reads_the_signed_in_account_once() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("hocvien").await;
    let (counted, seen) = counting(&app);
    let r = counted.get("/courses/a-khung-phap-ly/lessons/1", Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Nghị định"), "the lesson rendered");
    let sql = seen.lock().unwrap().clone();
    let account_reads = sql.iter().filter(|s| s.contains("FROM \"accounts\"")).count();
    assert_eq!(
        account_reads,
        1,
        "the account was read {account_reads} times:\n{}",
        sql.join("\n")
    );
}

/// A page's own data is read once per request, however often the page's view tree is walked
/// before it is rendered (`<Suspense>` walks its children more than once, and the role guard's
/// child builds the page's content each time once the session is known).
#[tokio::test]
async fn a_page_reads_its_own_data_once() {
    let app = TestApp::spawn().await;
    let token = app.sign_in_demo("hocvien").await;
    let (counted, seen) = counting(&app);
    for page in [
        "/learn",
        "/courses/a-khung-phap-ly",
        "/courses/a-khung-phap-ly/lessons/1",
        "/courses/a-khung-phap-ly/exam",
        "/transcript",
    ] {
        seen.lock().unwrap().clear();
        let r = counted.get(page, Some(&token)).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        let sql = seen.lock().unwrap().clone();
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for s in &sql {
            *counts.entry(s.as_str()).or_default() += 1;
        }
        let repeated: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
        println!("{page}: {} statements", sql.len());
        assert!(
            repeated.is_empty(),
            "{page} read the same thing more than once ({} statements):\n{repeated:#?}",
            sql.len()
        );
    }
}

/// `app` with a router whose pool records every statement it runs, with its values (the same
/// statement for two different rows is two reads), through sea-orm's metric callback.
fn counting(app: &TestApp) -> (TestApp, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let seen: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let mut state = app.state.clone();
    let log = seen.clone();
    state.db.set_metric_callback(move |info| {
        log.lock().unwrap().push(info.statement.to_string());
    });
    let counted = TestApp {
        router: server::startup::router(state.clone()),
        state,
        backend: app.backend,
    };
    (counted, seen)
}
