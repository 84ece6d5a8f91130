//! The rights forms (plain form posts, so they work with JavaScript off):
//!
//! | route                          | who                         | does                                  |
//! |--------------------------------|-----------------------------|---------------------------------------|
//! | `POST /rights/grant`           | admin; manager (subtree)    | grants a right, with a reason         |
//! | `POST /rights/{id}/withdraw`   | admin; manager (subtree)    | withdraws a right, with a reason      |
//!
//! Both go back to `/rights` with what happened (`done=`) or why not (`error=`); a right the
//! caller may not touch is a 403. A manager may grant and withdraw only the manager role, inside
//! their own subtrees, to officials of those subtrees (`rights::grant`).

use super::{By, NewGrant, RightsError, grant, withdraw};
use crate::domain::identity::Role;
use crate::ssr::state::AppState;
use crate::ssr::web::{SignedIn, WebError};
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(serde::Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub role: String,
    /// The agency at the top of a manager's subtree (empty for other roles).
    #[serde(default)]
    pub agency_id: String,
    /// A trainer limited to one course (empty: every course).
    #[serde(default)]
    pub course_id: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(serde::Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    pub reason: String,
}

fn back(query: &str) -> Response {
    Redirect::to(&format!("/rights?{query}")).into_response()
}

fn refused(e: RightsError) -> Result<Response, WebError> {
    match e {
        RightsError::Db(e) => Err(WebError::internal(e)),
        // The form offers only what the caller may grant: this is a forged or stale request.
        RightsError::NotAllowed => Err(WebError::Forbidden(
            "Bạn không được cấp hoặc thu hồi quyền này: cán bộ quản lý chỉ cấp quyền quản lý trong phạm vi của mình, cho cán bộ thuộc phạm vi đó.",
        )),
        e => Ok(back(&format!("error={}", e.code()))),
    }
}

/// `POST /rights/grant`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "grant_right"))]
pub async fn grant_form(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(f): Form<GrantForm>,
) -> Result<Response, WebError> {
    let user = signed.with_role(&[Role::Manager, Role::Admin], "Bạn không có quyền phân quyền.")?;
    let Some(role) = Role::parse(&f.role) else {
        return Ok(back("error=role"));
    };
    let Some(acc) = crate::ssr::auth::account_named(&state.db, &f.username).await? else {
        return refused(RightsError::NoAccount);
    };
    let agency_id = match f.agency_id.trim() {
        "" => None,
        id => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return refused(RightsError::NoAgency),
        },
    };
    let content = state.content.get();
    let known = |c: &str| content.library.courses.iter().any(|x| x.id.as_str() == c);
    let g = NewGrant {
        account_id: acc.id,
        role,
        agency_id,
        course_id: Some(f.course_id),
        reason: f.reason,
    };
    match grant(&state.db, By::User(&user), g, known).await {
        Ok(_) => Ok(back("done=granted")),
        Err(e) => refused(e),
    }
}

/// `POST /rights/{id}/withdraw`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "withdraw_right"))]
pub async fn withdraw_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    signed: SignedIn,
    Form(f): Form<WithdrawForm>,
) -> Result<Response, WebError> {
    let user = signed.with_role(&[Role::Manager, Role::Admin], "Bạn không có quyền phân quyền.")?;
    match withdraw(&state.db, By::User(&user), id, &f.reason).await {
        Ok(()) => Ok(back("done=withdrawn")),
        Err(e) => refused(e),
    }
}
