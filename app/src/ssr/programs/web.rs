//! The browser's forms for programs and exemptions: plain form POSTs answered with a redirect,
//! so they work with JavaScript off; a refused draft goes back to its form with every field as
//! typed (the page runs the same check and shows the problems beside the fields).
//!
//! | route                             | does                                          |
//! |-----------------------------------|-----------------------------------------------|
//! | `POST /programs/save`             | creates (`id` empty) or changes a program     |
//! | `POST /people/{id}/exemptions`    | records an exemption for a program            |
//! | `POST /exemptions/{id}/withdraw`  | withdraws an exemption                        |
//! | `POST /certificates/{n}/revoke`   | revokes a certificate                         |

use super::{Refusal, exempt, save, withdraw};
use crate::domain::program::ProgramDraft;
use crate::ssr::state::AppState;
use crate::ssr::web::SignedIn;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn refused(r: Refusal, back: &str) -> Response {
    match r {
        Refusal::Forbidden => (StatusCode::FORBIDDEN, "Bạn không có quyền thay đổi mục này.").into_response(),
        Refusal::NotFound => (StatusCode::NOT_FOUND, "Không tìm thấy.").into_response(),
        Refusal::Exemption(p) => Redirect::to(&with_query(back, &format!("error={}", p.code()))).into_response(),
        Refusal::Problems(_) | Refusal::Revocation(_) => Redirect::to(back).into_response(),
        Refusal::Db(e) => {
            tracing::error!(error = %e, "program or exemption write failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Đã có lỗi xảy ra. Vui lòng thử lại.").into_response()
        }
    }
}

fn with_query(path: &str, q: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}{q}")
}

/// `POST /programs/save`: the program form (`id` empty for a new one).
#[tracing::instrument(name = "form", skip_all, fields(handler = "save_form"))]
pub async fn save_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let id = pairs
        .iter()
        .find(|(k, _)| k == "id")
        .and_then(|(_, v)| v.trim().parse::<i64>().ok());
    let form_page = id.map_or("/programs/new".to_string(), |id| format!("/programs/{id}"));
    let draft = ProgramDraft::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match save(&state, &user, id, &draft).await {
        Ok(id) => Redirect::to(&format!("/programs/{id}?saved=1")).into_response(),
        Err(Refusal::Problems(_)) => {
            let mut q = form_urlencoded::Serializer::new(String::new());
            q.append_pair("check", "1");
            for (k, v) in draft.to_pairs() {
                q.append_pair(k, &v);
            }
            Redirect::to(&format!("{form_page}?{}", q.finish())).into_response()
        }
        Err(r) => refused(r, &form_page),
    }
}

#[derive(serde::Deserialize)]
pub struct ExemptForm {
    pub program_id: i64,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub approved_by: String,
}

/// `POST /people/{id}/exemptions`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "exempt_form"))]
pub async fn exempt_form(
    State(state): State<AppState>,
    Path(person_id): Path<i64>,
    SignedIn(user): SignedIn,
    Form(f): Form<ExemptForm>,
) -> Response {
    let page = format!("/people/{person_id}");
    let back = format!("{page}?program={}", f.program_id);
    match exempt(&state, &user, f.program_id, person_id, &f.reason, &f.approved_by).await {
        Ok(_) => Redirect::to(&format!("{back}&exempted=1")).into_response(),
        Err(r) => refused(r, &back),
    }
}

#[derive(serde::Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    pub reason: String,
}

/// `POST /certificates/{number}/revoke`: back to the official's record.
#[tracing::instrument(name = "form", skip_all, fields(handler = "revoke_form"))]
pub async fn revoke_form(
    State(state): State<AppState>,
    Path(number): Path<String>,
    SignedIn(user): SignedIn,
    Form(f): Form<RevokeForm>,
) -> Response {
    // Signed in first (the extractor): who holds a certificate is nobody's business before.
    let owner = match crate::ssr::db::entities::certificate::Entity::find()
        .filter(crate::ssr::db::entities::certificate::Column::Number.eq(number.as_str()))
        .one(&state.db)
        .await
    {
        Ok(Some(c)) => c.person_id,
        Ok(None) => return (StatusCode::NOT_FOUND, "Không tìm thấy.").into_response(),
        Err(e) => return refused(Refusal::Db(e), "/"),
    };
    let back = format!("/people/{owner}");
    match super::revoke(&state, &user, &number, &f.reason).await {
        Ok(_) => Redirect::to(&format!("{back}?revoked=1")).into_response(),
        Err(Refusal::Revocation(p)) => {
            Redirect::to(&format!("{back}?revoke_error={}&cert={number}", p.code())).into_response()
        }
        Err(r) => refused(r, &back),
    }
}

#[derive(serde::Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    pub reason: String,
    /// Where to go back to (a path on this site).
    #[serde(default)]
    pub back: String,
}

/// `POST /exemptions/{id}/withdraw`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "withdraw_form"))]
pub async fn withdraw_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn(user): SignedIn,
    Form(f): Form<WithdrawForm>,
) -> Response {
    // Only a path of this site, as a browser reads it: never an open redirect.
    let back = crate::ssr::redirect::local_path(&f.back).unwrap_or_else(|| "/programs".to_string());
    match withdraw(&state, &user, id, &f.reason).await {
        Ok(_) => Redirect::to(&with_query(&back, "withdrawn=1")).into_response(),
        Err(r) => refused(r, &back),
    }
}
