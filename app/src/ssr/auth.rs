//! Authentication: argon2id password hashes (computed off the async workers), session tokens
//! (HS256 JWT in an HttpOnly SameSite=Lax cookie, every standard claim required), sign-in and
//! sign-out as plain form posts (so they work with JavaScript off), and the cross-origin guard.
//!
//! Signing out bumps the account's `token_version`; a token carries the version it was issued
//! with and is refused once they differ. That check reads the database, so any node of a
//! multi-node deployment refuses the token at once: no in-memory session state.

use super::db::by_key;
use super::db::entities::{account, person};
use super::redirect::local_path;
use super::state::AppState;
use crate::domain::identity::{Courses, Role, Username};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{Form, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The session cookie's name.
pub const COOKIE: &str = "taphuan_session";
const ISSUER: &str = "taphuan";
const AUDIENCE: &str = "taphuan-web";
/// The one algorithm tokens are signed and accepted with.
const ALG: Algorithm = Algorithm::HS256;

/// What a session token says. All of `exp`, `iat`, `sub`, `aud`, `iss` are required on decode.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub aud: String,
    pub iss: String,
    /// The account's token version when this token was issued.
    pub ver: i64,
}

/// The signed-in account, as every server function and form route sees it: who they are and
/// every right they hold now (read from `role_grants` on each request, so a withdrawal counts
/// at once, on every node).
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub account_id: i64,
    pub username: String,
    /// Ascending; always starts with `Learner`.
    pub roles: Vec<Role>,
    pub person_id: Option<i64>,
    pub display_name: String,
    /// Every subtree the account manages.
    pub scopes: Vec<Scope>,
    /// The subtree in view: for a manager, the one chosen with `/scope` (the first by default);
    /// for an admin, None (everything); for anyone else, None.
    pub scope: Option<Scope>,
    /// For a trainer: the courses they may work on.
    pub courses: Option<Courses>,
}

impl AuthUser {
    /// Holds `role` now.
    pub fn holds(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Holds at least one of `roles`: the one rights check of `guard::require` and
    /// `SignedIn::with_role`.
    pub fn holds_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.holds(*r))
    }

    /// The highest role held: it picks the home page and the badge.
    pub fn primary(&self) -> Role {
        self.roles.last().copied().unwrap_or(Role::Learner)
    }

    /// The subtree this person sees, `Ok(None)` meaning everything (an admin); `Err` for someone
    /// who manages nothing.
    pub fn view_scope(&self) -> Result<Option<&Scope>, NoScope> {
        if self.holds(Role::Admin) {
            Ok(None)
        } else {
            self.scope.as_ref().map(Some).ok_or(NoScope)
        }
    }
}

/// The caller manages no subtree (and is no admin): they see no one else's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoScope;

/// An agency subtree a manager is limited to.
#[derive(Debug, Clone)]
pub struct Scope {
    pub agency_id: i64,
    pub agency_name: String,
    /// `/1/4/` style: an agency is inside the scope iff its path starts with this.
    pub path: String,
}

/// How many argon2id hashes may run at once: one per core. Each takes about 19 MiB and tens of
/// milliseconds of CPU; without a bound, a burst of anonymous sign-ins took the server to gigabytes.
fn hashing() -> &'static tokio::sync::Semaphore {
    static S: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    S.get_or_init(|| tokio::sync::Semaphore::new(hashing_slots()))
}

/// How long a sign-in waits for a free hashing slot before it is told to try again.
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Every hashing slot stayed busy for [`HASHING_WAIT`]: the server is overloaded.
#[derive(Debug, thiserror::Error)]
#[error("the server is busy hashing passwords")]
pub struct Busy;

/// Hashes running now, and the most ever seen at once (for the test that bounds them).
static HASHING_NOW: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static HASHING_PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The most argon2id hashes that ran at the same time since the process started.
pub fn hashing_peak() -> usize {
    HASHING_PEAK.load(std::sync::atomic::Ordering::Relaxed)
}

/// How many hashes may run at once (one per core).
pub fn hashing_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).max(1)
}

async fn with_hashing_slot<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    use std::sync::atomic::Ordering;
    let _permit = tokio::time::timeout(HASHING_WAIT, hashing().acquire())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    let now = HASHING_NOW.fetch_add(1, Ordering::SeqCst) + 1;
    HASHING_PEAK.fetch_max(now, Ordering::SeqCst);
    let out = tokio::task::spawn_blocking(f).await.map_err(|_| Busy);
    HASHING_NOW.fetch_sub(1, Ordering::SeqCst);
    out
}

/// Hashes a password with argon2id on the blocking pool (hashing takes tens of milliseconds
/// of CPU and must not stall the async workers serving other people), one per core at most.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    with_hashing_slot(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))
    })
    .await?
}

/// Checks a password against a stored hash, on the blocking pool, one per core at most. A
/// missing account is checked against a fixed dummy hash so the response time does not reveal
/// which usernames exist.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, Busy> {
    with_hashing_slot(move || {
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
}

fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| {
        let salt = SaltString::encode_b64(b"taphuan-dummy-salt").expect("static salt");
        Argon2::default()
            .hash_password(b"not-a-password", &salt)
            .expect("hash")
            .to_string()
    })
}

/// Issues a session token for an account.
pub fn issue_token(secret: &[u8], account_id: i64, token_version: i64, hours: i64) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        sub: account_id.to_string(),
        iat: now,
        exp: now + hours * 3600,
        aud: AUDIENCE.into(),
        iss: ISSUER.into(),
        ver: token_version,
    };
    jsonwebtoken::encode(&Header::new(ALG), &claims, &EncodingKey::from_secret(secret))
        .expect("HS256 encoding cannot fail")
}

/// Decodes and validates a token: signature with the one pinned algorithm, expiry, audience,
/// issuer, and the presence of every standard claim. `alg: none` and other algorithms fail.
pub fn decode_token(secret: &[u8], token: &str) -> Option<Claims> {
    let mut v = Validation::new(ALG);
    v.set_audience(&[AUDIENCE]);
    v.set_issuer(&[ISSUER]);
    v.set_required_spec_claims(&["exp", "iat", "sub", "aud", "iss"]);
    v.leeway = 5;
    jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &v)
        .ok()
        .map(|d| d.claims)
}

/// Reads the session token from a `Cookie:` header.
pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
}

/// Resolves the signed-in user from request headers: a valid token for an enabled account whose
/// token version still matches. Anything else is "not signed in".
pub async fn user_from_headers(state: &AppState, headers: &HeaderMap) -> Option<AuthUser> {
    let token = token_from_headers(headers)?;
    let claims = decode_token(&state.config.jwt_secret, &token)?;
    let id: i64 = claims.sub.parse().ok()?;
    // By key, on every request: see `by_key` for why not `.one()`.
    let acc = by_key::<account::Entity>(&state.db, id).await.ok()??;
    if acc.disabled || acc.token_version != claims.ver {
        return None;
    }
    let chosen = cookie(headers, SCOPE_COOKIE).and_then(|v| v.parse::<i64>().ok());
    load_user(state, acc, chosen).await
}

/// How an account is named to people: the official's name from the roster, else the name
/// given to the account, else (only for an account nobody named) its username.
pub fn shown_name(acc: &account::Model, person_name: Option<String>) -> String {
    person_name
        .or_else(|| acc.display_name.clone().filter(|n| !n.trim().is_empty()))
        .unwrap_or_else(|| acc.username.clone())
}

async fn load_user(state: &AppState, acc: account::Model, chosen_scope: Option<i64>) -> Option<AuthUser> {
    let person_name = match acc.person_id {
        Some(pid) => by_key::<person::Entity>(&state.db, pid)
            .await
            .ok()
            .flatten()
            .map(|p| p.full_name),
        None => None,
    };
    let display_name = shown_name(&acc, person_name);
    let held = super::rights::held(&state.db, acc.id)
        .await
        .inspect_err(|e| tracing::error!(error = %e, "reading an account's rights"))
        .ok()?;
    // The admin sees everything; a manager the subtree they chose, if it is still theirs.
    let scope = if held.roles.contains(&Role::Admin) {
        None
    } else {
        chosen_scope
            .and_then(|id| held.scopes.iter().find(|s| s.agency_id == id))
            .or(held.scopes.first())
            .cloned()
    };
    Some(AuthUser {
        account_id: acc.id,
        username: acc.username,
        roles: held.roles,
        person_id: acc.person_id,
        display_name,
        scopes: held.scopes,
        scope,
        courses: held.courses,
    })
}

/// The cookie naming the subtree a manager of several has in view.
pub const SCOPE_COOKIE: &str = "taphuan_scope";

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn session_cookie(state: &AppState, token: &str, max_age: i64) -> String {
    let secure = if state.config.cookie_secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub next: String,
}

/// `POST /auth/sign-in`: checks the password; on success sets the session cookie and sends the
/// person to their role's home (or `next`, if it is a path of this site); on failure back to the
/// form with one clear message. Failed attempts back off per account name and per client address
/// (`ssr::throttle`); while one is backing off the form says how long to wait, and nothing is
/// hashed, whether or not the account exists.
#[tracing::instrument(name = "form", skip_all, fields(handler = "sign_in"))]
pub async fn sign_in(
    State(state): State<AppState>,
    parts: http::request::Parts,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = local_path(&form.next)
        .map(|n| format!("&next={}", urlencode(&n)))
        .unwrap_or_default();
    let back = |error: &str| Redirect::to(&format!("/sign-in?error={error}{next}")).into_response();
    let waiting = |wait: i64| Redirect::to(&format!("/sign-in?error=throttled&wait={wait}{next}")).into_response();
    // The name as typed, escaped: a newline in it must not forge a log line.
    let typed = form.username.trim().chars().take(64).collect::<String>();
    let typed = typed.escape_debug();
    let keys = super::throttle::sign_in_keys(&form.username, state.client_addr(&parts));
    if let Err(wait) = state.throttle.check(&keys) {
        tracing::warn!(username = %typed, wait, "sign-in refused: backing off");
        return waiting(wait);
    }
    let acc = account_named(&state.db, &form.username).await.ok().flatten();
    // A disabled account, and one whose official has not chosen a password yet (made from the
    // roster, waiting for its activation code), are checked against the dummy hash: the same
    // answer and the same time as an unknown name.
    let stored = acc
        .as_ref()
        .filter(|a| !a.disabled && !a.password_hash.is_empty())
        .map(|a| a.password_hash.clone());
    let ok = match verify_password(form.password.clone(), stored).await {
        Ok(ok) => ok,
        Err(Busy) => {
            tracing::warn!("sign-in refused: every hashing slot busy");
            return back("busy");
        }
    };
    let typed_account = acc.as_ref().map(|a| a.id);
    let Some(acc) = acc.filter(|_| ok) else {
        let wait = state.throttle.fail(&keys);
        tracing::info!(username = %typed, wait, "sign-in refused");
        if wait > 0 {
            let id = typed_account;
            record_sign_in(&state, id, &form.username, "locked", &parts).await;
        }
        return if wait > 0 { waiting(wait) } else { back("credentials") };
    };
    state.throttle.succeed(&keys);
    record_sign_in(&state, Some(acc.id), &form.username, "ok", &parts).await;
    let to = match local_path(&form.next) {
        Some(next) => next,
        None => home_of(&state, acc.id).await.to_string(),
    };
    tracing::info!(account = acc.id, "signed in");
    signed_in_response(&state, &acc, &to)
}

/// Where an account lands after signing in: the home page of the highest role it holds.
pub async fn home_of(state: &AppState, account_id: i64) -> &'static str {
    match super::rights::held(&state.db, account_id).await {
        Ok(h) => h.roles.last().copied().unwrap_or(Role::Learner).home_path(),
        Err(e) => {
            tracing::error!(error = %e, "reading an account's rights");
            Role::Learner.home_path()
        }
    }
}

/// Records a sign-in, an activation or a lock-out. A failure to record is logged, never a
/// reason to refuse the person.
pub async fn record_sign_in(
    state: &AppState,
    account_id: Option<i64>,
    typed: &str,
    outcome: &str,
    parts: &http::request::Parts,
) {
    use super::db::entities::sign_in_event;
    let row = sign_in_event::ActiveModel {
        account_id: Set(account_id),
        username: Set(typed.trim().chars().take(64).collect()),
        outcome: Set(outcome.to_string()),
        address: Set(state.client_addr(parts).map(|a| a.to_string())),
        at: Set(super::clock::now()),
        ..Default::default()
    };
    if outcome != "locked" {
        if let Err(e) = sign_in_event::Entity::insert(row)
            .exec_without_returning(&state.db)
            .await
        {
            tracing::error!(error = %e, "recording a sign-in event");
        }
        return;
    }
    // A burst of failures that starts the back-off is also an audit event.
    let event = super::audit::Event::new(
        super::audit::kind::LOCKED,
        serde_json::json!({
            "account": account_id,
            "typed": typed.trim().chars().take(64).collect::<String>(),
            "address": state.client_addr(parts).map(|a| a.to_string()),
        }),
    );
    let written = async {
        let tx = state.begin_write().await?;
        sign_in_event::Entity::insert(row).exec_without_returning(&tx).await?;
        super::audit::append(&tx, event).await?;
        tx.commit().await
    };
    if let Err(e) = written.await {
        tracing::error!(error = %e, "recording a sign-in lock-out");
    }
}

/// A new session for `acc` (its current token version) and a redirect to `to`.
pub fn signed_in_response(state: &AppState, acc: &account::Model, to: &str) -> Response {
    let token = issue_token(
        &state.config.jwt_secret,
        acc.id,
        acc.token_version,
        state.config.session_hours,
    );
    (
        [(
            header::SET_COOKIE,
            session_cookie(state, &token, state.config.session_hours * 3600),
        )],
        Redirect::to(to),
    )
        .into_response()
}

/// `POST /auth/sign-out`: invalidates every token of the account (version bump) and clears the
/// cookie. Works whether or not the token was still valid.
#[tracing::instrument(name = "form", skip_all, fields(handler = "sign_out"))]
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(user) = user_from_headers(&state, &headers).await
        && let Ok(Some(acc)) = account::Entity::find_by_id(user.account_id).one(&state.db).await
    {
        let version = acc.token_version + 1;
        let mut am = acc.into_active_model();
        am.token_version = Set(version);
        if let Err(e) = am.update(&state.db).await {
            tracing::error!(error = %e, "sign-out could not bump the token version");
        }
    }
    (
        [(header::SET_COOKIE, session_cookie(&state, "", 0))],
        Redirect::to("/sign-in?signed_out=1"),
    )
        .into_response()
}

/// `GET /lang/{code}`: remembers the interface language and goes back where the person was.
#[tracing::instrument(name = "form", skip_all, fields(handler = "set_language"))]
pub async fn set_language(axum::extract::Path(code): axum::extract::Path<String>, headers: HeaderMap) -> Response {
    let lang = crate::i18n::Lang::parse(&code);
    (
        [(
            header::SET_COOKIE,
            format!("lang={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code()),
        )],
        Redirect::to(&back_to_referer(&headers)),
    )
        .into_response()
}

/// `GET /scope/{agency_id}`: a manager of several subtrees chooses the one in view, and goes
/// back where they were. Only a preference: every request checks it against the rights held
/// now, and an agency that is not one of theirs falls back to their first subtree.
#[tracing::instrument(name = "form", skip_all, fields(handler = "set_scope"))]
pub async fn set_scope(axum::extract::Path(agency_id): axum::extract::Path<i64>, headers: HeaderMap) -> Response {
    (
        [(
            header::SET_COOKIE,
            format!("{SCOPE_COOKIE}={agency_id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000"),
        )],
        Redirect::to(&back_to_referer(&headers)),
    )
        .into_response()
}

/// The page a request came from (its `Referer`, if it is a path of this site), else `/`.
fn back_to_referer(headers: &HeaderMap) -> String {
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.find("://")
                .map(|i| &r[i + 3..])
                .and_then(|r| r.find('/').map(|j| r[j..].to_string()))
        })
        .and_then(|p| local_path(&p))
        .unwrap_or_else(|| "/".into())
}

/// Refuses a state-changing request sent from another origin (CSRF defence in depth beside
/// SameSite=Lax): `Sec-Fetch-Site` must be same-origin/none when present, and an `Origin`
/// header must name this host.
pub async fn same_origin_guard(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_origin(req.headers()) {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-origin request refused");
        return (
            StatusCode::FORBIDDEN,
            "Yêu cầu từ nguồn khác bị từ chối (cross-origin request refused).",
        )
            .into_response();
    }
    next.run(req).await
}

fn is_cross_origin(h: &HeaderMap) -> bool {
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    if let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        if origin == "null" {
            return true;
        }
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
        return !origin_host.eq_ignore_ascii_case(host);
    }
    false
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The account a typed sign-in name names (names are compared as `Username` normalises them);
/// `None` for a name that cannot be one. Disabled accounts too: callers decide.
pub async fn account_named(
    db: &impl sea_orm::ConnectionTrait,
    typed: &str,
) -> Result<Option<account::Model>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let Ok(u) = Username::parse(typed) else {
        return Ok(None);
    };
    account::Entity::find()
        .filter(account::Column::Username.eq(u.as_str()))
        .one(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_fresh_token_decodes_and_a_tampered_one_does_not() {
        let t = issue_token(SECRET, 7, 3, 1);
        let c = decode_token(SECRET, &t).expect("valid");
        assert_eq!((c.sub.as_str(), c.ver), ("7", 3));
        let mut parts: Vec<String> = t.split('.').map(String::from).collect();
        parts[1] = parts[1].chars().rev().collect();
        assert!(decode_token(SECRET, &parts.join(".")).is_none());
        assert!(decode_token(b"another-secret-another-secret-xx", &t).is_none());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let t = issue_token(SECRET, 7, 0, -1);
        assert!(decode_token(SECRET, &t).is_none());
    }

    #[test]
    fn cross_origin_posts_are_detected() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:3000".parse().unwrap());
        assert!(!is_cross_origin(&h));
        h.insert(header::ORIGIN, "http://127.0.0.1:3000".parse().unwrap());
        assert!(!is_cross_origin(&h));
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(is_cross_origin(&h));
        let mut h2 = HeaderMap::new();
        h2.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(is_cross_origin(&h2));
    }
}
