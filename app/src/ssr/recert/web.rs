//! Opening a recertification (a plain form post, so it works with JavaScript off):
//!
//! | route                     | who                                                  | does  |
//! |---------------------------|------------------------------------------------------|-------|
//! | `POST /retraining/open`   | admin, a trainer of the course (everyone it reaches); a manager (their subtree) | opens one |
//!
//! Fields: `publish` (a substantive publish's id), `deadline` (`yyyy-mm-dd`), `draw` (questions
//! in the short exam). Back to `/retraining?opened=ID&people=N`, or `?refused=deadline|none|exam|newer`.

use std::collections::HashMap;

use crate::domain::identity::Role;
use crate::ssr::state::AppState;
use crate::ssr::web::{SignedIn, WebError};
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::OpenRefused;

const REFUSED: &str =
    "Chỉ quản trị viên, giảng viên phụ trách khóa học và cán bộ quản lý mới mở được đợt cập nhật kiến thức.";

/// `POST /retraining/open`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "open_recertification"))]
pub async fn open_form(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let user = signed.with_role(&[Role::Trainer, Role::Manager, Role::Admin], REFUSED)?;
    let field = |k: &str| f.get(k).map(|s| s.trim()).unwrap_or_default();
    let publish_id: i64 = field("publish")
        .parse()
        .map_err(|_| WebError::Unprocessable("Thiếu phiên bản đã xuất bản (publish)."))?;
    let deadline = chrono::NaiveDate::parse_from_str(field("deadline"), "%Y-%m-%d")
        .map_err(|_| WebError::Unprocessable("Hạn hoàn thành phải là một ngày (yyyy-mm-dd)."))?;
    let draw: u32 = match field("draw") {
        "" => crate::domain::recert::DEFAULT_DRAW,
        s => s
            .parse()
            .map_err(|_| WebError::Unprocessable("Số câu hỏi phải là một số nguyên dương."))?,
    };
    let publish = super::substantive(&state.db, publish_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let scope = super::opener_scope(&user, &publish.course_id).ok_or(WebError::Forbidden(REFUSED))?;
    match super::open(
        &state,
        publish.id,
        deadline,
        draw,
        scope,
        (user.account_id, &user.username),
    )
    .await
    {
        Ok(o) => Ok(Redirect::to(&format!("/retraining?opened={}&people={}", o.id, o.people)).into_response()),
        Err(OpenRefused::Deadline) => Ok(Redirect::to("/retraining?refused=deadline").into_response()),
        Err(OpenRefused::NoOne) => Ok(Redirect::to("/retraining?refused=none").into_response()),
        Err(OpenRefused::NoExam) => Ok(Redirect::to("/retraining?refused=exam").into_response()),
        Err(OpenRefused::Newer) => Ok(Redirect::to("/retraining?refused=newer").into_response()),
        Err(OpenRefused::NotSubstantive) => Err(WebError::NotFound),
        Err(OpenRefused::Db(e)) => Err(WebError::internal(e)),
    }
}
