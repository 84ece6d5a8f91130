//! The learner's state-changing forms as plain axum routes: each takes an HTML form POST and
//! answers with a redirect (post/redirect/get), so everything works with JavaScript off and a
//! refresh never resubmits. The cross-origin guard in `auth` already covers these routes.
//!
//! | route                                   | does                                        |
//! |-----------------------------------------|---------------------------------------------|
//! | `POST /courses/{course}/lessons/{n}/read` | marks lesson n read, goes to the next one  |
//! | `POST /courses/{course}/exam/start`     | starts (or resumes) an attempt              |
//! | `POST /courses/{course}/exam/submit`    | submits `attempt` + `seq` + answers, once   |
//! | `POST /courses/{course}/exam/save`      | keeps the answers so far (autosave, draft)  |
//! | `GET /.well-known/taphuan-cert-key.pem` | the public key that verifies certificates   |

use super::attempts::{self, AttemptError};
use super::auth::user_from_headers;
use super::learning;
use super::state::AppState;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// The signed-in official's person id, or the response to send instead (sign in first; an
/// account without a person on the roster cannot learn).
async fn person(state: &AppState, headers: &HeaderMap, back: &str) -> Result<i64, Box<Response>> {
    match user_from_headers(state, headers).await {
        None => Err(Box::new(Redirect::to(&format!("/sign-in?next={back}")).into_response())),
        Some(u) => u.person_id.ok_or_else(|| {
            Box::new((StatusCode::FORBIDDEN, "Tài khoản này không gắn với cán bộ nào.").into_response())
        }),
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "internal error in a form handler");
    (StatusCode::INTERNAL_SERVER_ERROR, "Đã có lỗi xảy ra. Vui lòng thử lại.").into_response()
}

/// `POST /courses/{course}/lessons/{n}/read`
#[tracing::instrument(name = "form", skip_all, fields(handler = "mark_read"))]
pub async fn mark_read(
    State(state): State<AppState>,
    Path((course_id, number)): Path<(String, u32)>,
    headers: HeaderMap,
) -> Response {
    let here = format!("/courses/{course_id}/lessons/{number}");
    let pid = match person(&state, &headers, &here).await {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let loaded = state.content.get();
    let Some(course) = loaded.library.course(&course_id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(lesson) = course.lessons.iter().find(|l| l.number == number) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Err(e) = learning::mark_read(&state.db, pid, &course_id, number, &lesson.hash).await {
        return internal(e);
    }
    let next = if course.lessons.iter().any(|l| l.number == number + 1) {
        format!("/courses/{course_id}/lessons/{}", number + 1)
    } else {
        format!("/courses/{course_id}?read=all")
    };
    Redirect::to(&next).into_response()
}

/// `POST /courses/{course}/exam/start`
#[tracing::instrument(name = "form", skip_all, fields(handler = "start_exam"))]
pub async fn start_exam(State(state): State<AppState>, Path(course_id): Path<String>, headers: HeaderMap) -> Response {
    let exam_page = format!("/courses/{course_id}/exam");
    let pid = match person(&state, &headers, &exam_page).await {
        Ok(p) => p,
        Err(r) => return *r,
    };
    match attempts::start(&state, pid, &course_id).await {
        Ok(_) => Redirect::to(&exam_page).into_response(),
        // The exam page explains the refusal (it recomputes it from the same rules).
        Err(AttemptError::Refused(_)) => Redirect::to(&format!("{exam_page}?refused=1")).into_response(),
        Err(AttemptError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(AttemptError::Db(e)) => internal(e),
    }
}

/// The signed-in learner and the attempt an exam form names, or the response to send instead.
async fn attempt_form(
    state: &AppState,
    headers: &HeaderMap,
    exam_page: &str,
    fields: &HashMap<String, String>,
) -> Result<(i64, i64), Box<Response>> {
    let pid = person(state, headers, exam_page).await?;
    let attempt_id = fields
        .get("attempt")
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or_else(|| Box::new((StatusCode::UNPROCESSABLE_ENTITY, "attempt is missing").into_response()))?;
    Ok((pid, attempt_id))
}

/// `POST /courses/{course}/exam/submit` with `attempt`, `seq` and the answer fields.
#[tracing::instrument(name = "form", skip_all, fields(handler = "submit_exam"))]
pub async fn submit_exam(
    State(state): State<AppState>,
    Path(course_id): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let exam_page = format!("/courses/{course_id}/exam");
    let (pid, attempt_id) = match attempt_form(&state, &headers, &exam_page, &fields).await {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let seq = fields.get("seq").and_then(|s| s.parse::<i32>().ok()).unwrap_or(1);
    match attempts::submit(&state, pid, attempt_id, seq, &fields).await {
        Ok(a) if a.course_id == course_id => {
            Redirect::to(&format!("/courses/{course_id}/exam/attempts/{}", a.id)).into_response()
        }
        Ok(_) | Err(AttemptError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(AttemptError::Refused(_)) => Redirect::to(&exam_page).into_response(),
        Err(AttemptError::Db(e)) => internal(e),
    }
}

/// `POST /courses/{course}/exam/save`: keeps the answers so far (the exam form's fields).
/// The page's autosave sends `X-Taphuan-Autosave: 1` and gets 204; the "save for later"
/// button (JavaScript off) goes back to the exam page, which fills the answers in.
#[tracing::instrument(name = "form", skip_all, fields(handler = "save_exam_draft"))]
pub async fn save_exam_draft(
    State(state): State<AppState>,
    Path(course_id): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let exam_page = format!("/courses/{course_id}/exam");
    let (pid, attempt_id) = match attempt_form(&state, &headers, &exam_page, &fields).await {
        Ok(x) => x,
        Err(r) => return *r,
    };
    match attempts::save_draft(&state, pid, attempt_id, &fields).await {
        Ok(a) if a.course_id == course_id => {
            if headers.contains_key("x-taphuan-autosave") {
                StatusCode::NO_CONTENT.into_response()
            } else {
                Redirect::to(&format!("{exam_page}?saved=1")).into_response()
            }
        }
        Ok(_) | Err(AttemptError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(AttemptError::Refused(_)) => Redirect::to(&exam_page).into_response(),
        Err(AttemptError::Db(e)) => internal(e),
    }
}

/// `GET /.well-known/taphuan-cert-key.pem`: anyone may fetch it to check certificates offline.
#[tracing::instrument(name = "form", skip_all, fields(handler = "cert_public_key"))]
pub async fn cert_public_key(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/x-pem-file"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        state.certs.public_pem().to_string(),
    )
        .into_response()
}
