//! The account forms (plain form posts, so they work with JavaScript off):
//!
//! | route                          | who                         | does                                             |
//! |--------------------------------|-----------------------------|--------------------------------------------------|
//! | `POST /auth/activate`          | anyone with a code          | code + new password → signed in                  |
//! | `POST /accounts/codes`         | manager (subtree), admin    | issues codes for a unit's new accounts: A4 slips or XLSX |
//! | `POST /people/{id}/reset-code` | manager (subtree), admin    | a reset code for one official; their sessions end |
//! | `POST /auth/forgot`            | anyone (with SMTP set)      | e-mails a reset link to the address on the roster |
//!
//! Codes are shown once, in the answer to the post that issued them (never in a URL, never
//! stored in clear): printing again issues new codes and voids the earlier sheet.

use super::slips::Sheet;
use super::{Purpose, Redeem, Slip, issue_codes, not_yet_activated, redeem};
use crate::domain::identity::Role;
use crate::ssr::auth::AuthUser;
use crate::ssr::db::entities::{account, person};
use crate::ssr::db::queries;
use crate::ssr::state::AppState;
use crate::ssr::web::{SignedIn, WebError};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[derive(serde::Deserialize)]
pub struct ActivateForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub password: String,
}

/// `POST /auth/activate`: a code and a new password. Throttled like sign-in (a code is a
/// credential); a wrong, spent or expired code and an unknown account get one answer.
#[tracing::instrument(name = "form", skip_all, fields(handler = "activate"))]
pub async fn activate(
    State(state): State<AppState>,
    parts: http::request::Parts,
    Form(f): Form<ActivateForm>,
) -> Response {
    let typed: String = f.username.trim().chars().take(64).collect();
    let u: String = form_urlencoded::byte_serialize(typed.to_lowercase().as_bytes()).collect();
    let back = |error: &str| Redirect::to(&format!("/activate?u={u}&error={error}")).into_response();
    let keys = crate::ssr::throttle::sign_in_keys(&f.username, state.client_addr(&parts));
    if let Err(wait) = state.throttle.check(&keys) {
        return Redirect::to(&format!("/activate?u={u}&error=throttled&wait={wait}")).into_response();
    }
    match redeem(&state, &f.username, &f.code, &f.password).await {
        Err(e) => WebError::internal(e).into_response(),
        Ok(Redeem::Busy) => back("busy"),
        Ok(Redeem::Weak(p)) => back(&p.code()),
        Ok(Redeem::BadCode) => {
            let wait = state.throttle.fail(&keys);
            tracing::info!(username = %typed.escape_debug(), wait, "activation refused");
            if wait > 0 {
                crate::ssr::auth::record_sign_in(&state, None, &f.username, "locked", &parts).await;
            }
            if wait > 0 {
                Redirect::to(&format!("/activate?u={u}&error=throttled&wait={wait}")).into_response()
            } else {
                back("code")
            }
        }
        Ok(Redeem::Done(acc)) => {
            state.throttle.succeed(&keys);
            tracing::info!(account = acc.id, "password set with a one-time code");
            crate::ssr::auth::record_sign_in(&state, Some(acc.id), &f.username, "code", &parts).await;
            let home = crate::ssr::auth::home_of(&state, acc.id).await;
            crate::ssr::auth::signed_in_response(&state, &acc, home)
        }
    }
}

/// Codes are issued by managers (in their subtree) and the admin.
fn issuer(signed: SignedIn) -> Result<AuthUser, WebError> {
    signed.with_role(&[Role::Manager, Role::Admin], "Bạn không có quyền cấp mã đăng nhập.")
}

#[derive(serde::Deserialize)]
pub struct CodesForm {
    pub agency_id: i64,
    /// `print` (A4 slips) or `xlsx`.
    #[serde(default)]
    pub format: String,
}

/// `POST /accounts/codes`: new activation codes for every account of the unit (and its
/// sub-units) whose official has not chosen a password yet.
#[tracing::instrument(name = "form", skip_all, fields(handler = "issue_codes"))]
pub async fn codes(
    State(state): State<AppState>,
    signed: SignedIn,
    headers: HeaderMap,
    Form(f): Form<CodesForm>,
) -> Result<Response, WebError> {
    let user = issuer(signed)?;
    let Some(unit) = queries::agency_in_scope(&state.db, user.scope.as_ref(), f.agency_id).await? else {
        return Err(WebError::Forbidden("Đơn vị này ngoài phạm vi bạn quản lý."));
    };
    let mut slips = not_yet_activated(&state.db, &unit.path).await?;
    // Accounts holding rights the issuer could not grant are theirs to activate only through
    // an administrator (a code sets the password: see `reset_code`).
    let all: Vec<i64> = slips.iter().map(|s| s.account_id).collect();
    let beyond = crate::ssr::rights::held_beyond(&state.db, &user, &all).await?;
    slips.retain(|s| !beyond.contains(&s.account_id));
    let ids: Vec<i64> = slips.iter().map(|s| s.account_id).collect();
    let issued = issue_codes(&state.db, &state.config, &ids, Purpose::Activate, Some(user.account_id)).await?;
    tracing::info!(agency = unit.id, codes = issued.len(), "activation codes issued");
    let sheet = Sheet {
        unit: unit.name.clone(),
        base: crate::ssr::certs::base_url_for(&state, &headers),
        rows: slips
            .into_iter()
            .zip(issued)
            .map(|(s, (_, code, until))| (s, code, until))
            .collect(),
        reset: false,
        withheld: beyond.len(),
    };
    if f.format == "xlsx" {
        let bytes = sheet.xlsx().map_err(WebError::internal)?;
        let name = format!("ma-kich-hoat-{}.xlsx", unit.code.to_lowercase());
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(Html(sheet.html()).into_response())
}

/// `POST /people/{id}/reset-code`: a password-reset code for one official of the caller's
/// subtree (an administrator's account only by an administrator). Every session of the account
/// ends at once.
#[tracing::instrument(name = "form", skip_all, fields(handler = "reset_code"))]
pub async fn reset_code(
    State(state): State<AppState>,
    Path(person_id): Path<i64>,
    signed: SignedIn,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let user = issuer(signed)?;
    let who = person::Entity::find_by_id(person_id)
        .one(&state.db)
        .await?
        .ok_or(WebError::NotFound)?;
    let Some(unit) = queries::agency_in_scope(&state.db, user.scope.as_ref(), who.agency_id).await? else {
        return Err(WebError::Forbidden("Cán bộ này ngoài phạm vi bạn quản lý."));
    };
    let acc = account::Entity::find()
        .filter(account::Column::PersonId.eq(person_id))
        .one(&state.db)
        .await?
        .ok_or(WebError::Unprocessable(
            "Cán bộ này chưa có tài khoản: nhập danh sách cán bộ để tạo.",
        ))?;
    // A code sets the password: whoever holds it holds the account and its rights.
    if !crate::ssr::rights::held_beyond(&state.db, &user, &[acc.id])
        .await?
        .is_empty()
    {
        return Err(WebError::Forbidden(
            "Tài khoản này giữ quyền mà bạn không thể cấp (quản trị, giảng viên, hoặc quản lý ngoài phạm vi của bạn): chỉ quản trị viên mới cấp mã cho tài khoản này.",
        ));
    }
    if acc.id == user.account_id {
        return Err(WebError::Forbidden("Không tự cấp mã cho chính mình."));
    }
    let issued = issue_codes(
        &state.db,
        &state.config,
        &[acc.id],
        Purpose::Reset,
        Some(user.account_id),
    )
    .await?;
    tracing::info!(account = acc.id, "password reset code issued");
    let (_, code, until) = issued.into_iter().next().ok_or(WebError::NotFound)?;
    let sheet = Sheet {
        unit: unit.name.clone(),
        base: crate::ssr::certs::base_url_for(&state, &headers),
        rows: vec![(
            Slip {
                account_id: acc.id,
                username: acc.username,
                full_name: who.full_name,
                agency_name: unit.name,
            },
            code,
            until,
        )],
        reset: true,
        withheld: 0,
    };
    Ok(Html(sheet.html()).into_response())
}

#[derive(serde::Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    pub username: String,
}

/// How often one account may be sent a reset link.
const EMAIL_EVERY_MINUTES: i64 = 5;

/// `POST /auth/forgot`: with SMTP configured, e-mails a one-time reset link to the address the
/// roster has for the account's official. The answer is the same whether or not the account
/// exists or has an address (nobody learns which names exist); look-ups per client address are
/// limited, and one account is sent at most one link every few minutes.
#[tracing::instrument(name = "form", skip_all, fields(handler = "forgot"))]
pub async fn forgot(State(state): State<AppState>, parts: http::request::Parts, Form(f): Form<ForgotForm>) -> Response {
    let done = Redirect::to("/activate?sent=1").into_response();
    if !state.throttle.allow_lookup(state.client_addr(&parts)) {
        return Redirect::to("/activate?error=throttled&wait=60").into_response();
    }
    let Some(mailer) = crate::ssr::reminders::mailer(&state) else {
        return Redirect::to("/activate?error=nomail").into_response();
    };
    match email_link(&state, mailer.as_ref(), &f.username, &parts.headers).await {
        Ok(sent) => {
            tracing::info!(sent, "reset link asked for");
            done
        }
        Err(e) => {
            tracing::error!(error = %e, "reset link");
            done
        }
    }
}

/// Issues and e-mails a reset link; `false` when there is nobody to send it to.
async fn email_link(
    state: &AppState,
    mailer: &dyn crate::ssr::reminders::Mailer,
    username: &str,
    headers: &HeaderMap,
) -> Result<bool, sea_orm::DbErr> {
    let Some(acc) = crate::ssr::auth::account_named(&state.db, username)
        .await?
        .filter(|a| !a.disabled)
    else {
        return Ok(false);
    };
    let Some(email) = (match acc.person_id {
        Some(pid) => person::Entity::find_by_id(pid)
            .one(&state.db)
            .await?
            .and_then(|p| p.email),
        None => None,
    })
    .filter(|e| !e.trim().is_empty()) else {
        return Ok(false);
    };
    let now = crate::ssr::clock::now();
    if super::issued_since(
        &state.db,
        acc.id,
        Purpose::Email,
        now - chrono::Duration::minutes(EMAIL_EVERY_MINUTES),
    )
    .await?
    {
        return Ok(false);
    }
    let issued = issue_codes(&state.db, &state.config, &[acc.id], Purpose::Email, None).await?;
    let Some((_, code, until)) = issued.into_iter().next() else {
        return Ok(false);
    };
    let base = crate::ssr::certs::base_url_for(state, headers);
    let link = format!(
        "{base}/activate?u={}&code={}",
        form_urlencoded::byte_serialize(acc.username.as_bytes()).collect::<String>(),
        code
    );
    let body = format!(
        "Có người (có thể là bạn) vừa yêu cầu đặt lại mật khẩu Taphuan cho tài khoản {}.\n\n\
         Mở liên kết sau để tự đặt mật khẩu mới (dùng một lần, hết hạn ngày {}):\n{link}\n\n\
         Nếu không phải bạn yêu cầu, hãy bỏ qua email này: mật khẩu hiện tại vẫn dùng được.",
        acc.username,
        crate::i18n::fmt_date(crate::ssr::clock::date_of(until))
    );
    if let Err(e) = mailer.send(&email, "Đặt lại mật khẩu Taphuan", &body).await {
        tracing::warn!(error = %e, "reset link e-mail failed");
        return Ok(false);
    }
    Ok(true)
}
