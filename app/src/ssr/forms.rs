//! The learner's state-changing forms as plain axum routes: each takes an HTML form POST and
//! answers with a redirect (post/redirect/get), so everything works with JavaScript off and a
//! refresh never resubmits. The cross-origin guard in `auth` already covers these routes. Who is
//! asking comes from the one extractor, `ssr::web::SignedIn`; refusals are `ssr::web::WebError`.
//!
//! | route                                   | does                                        |
//! |-----------------------------------------|---------------------------------------------|
//! | `POST /courses/{course}/lessons/{n}/read` | marks lesson n read, goes to the next one  |
//! | `POST /courses/{course}/exam/start`     | starts (or resumes) an attempt              |
//! | `POST /courses/{course}/exam/submit`    | submits `attempt` + `seq` + answers, once   |
//! | `POST /courses/{course}/exam/save`      | keeps the answers so far (autosave, draft)  |
//! | `GET /.well-known/taphuan-cert-key.pem` | the public key that verifies certificates   |

use super::attempts::{self, AttemptError};
use super::learning;
use super::state::AppState;
use super::web::{SignedIn, WebError};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

impl From<AttemptError> for WebError {
    fn from(e: AttemptError) -> Self {
        match e {
            AttemptError::NotFound => WebError::NotFound,
            AttemptError::Refused(_) => WebError::Forbidden("Bạn chưa thể làm bài kiểm tra này."),
            AttemptError::Db(e) => WebError::internal(e),
        }
    }
}

/// `POST /courses/{course}/lessons/{n}/read`
#[tracing::instrument(name = "form", skip_all, fields(handler = "mark_read"))]
pub async fn mark_read(
    State(state): State<AppState>,
    Path((course_id, number)): Path<(String, u32)>,
    signed: SignedIn,
) -> Result<Response, WebError> {
    let pid = signed.person()?;
    let loaded = state.content.get();
    let course = loaded.library.course(&course_id).ok_or(WebError::NotFound)?;
    let lesson = course
        .lessons
        .iter()
        .find(|l| l.number == number)
        .ok_or(WebError::NotFound)?;
    learning::mark_read(&state.db, pid, &course_id, number, &lesson.hash).await?;
    let next = if course.lessons.iter().any(|l| l.number == number + 1) {
        format!("/courses/{course_id}/lessons/{}", number + 1)
    } else {
        format!("/courses/{course_id}?read=all")
    };
    Ok(Redirect::to(&next).into_response())
}

/// `POST /courses/{course}/exam/start`
#[tracing::instrument(name = "form", skip_all, fields(handler = "start_exam"))]
pub async fn start_exam(
    State(state): State<AppState>,
    Path(course_id): Path<String>,
    signed: SignedIn,
) -> Result<Response, WebError> {
    let exam_page = format!("/courses/{course_id}/exam");
    let pid = signed.person()?;
    match attempts::start(&state, pid, &course_id).await {
        Ok(_) => Ok(Redirect::to(&exam_page).into_response()),
        // The exam page explains the refusal (it recomputes it from the same rules).
        Err(AttemptError::Refused(_)) => Err(WebError::Redirect(format!("{exam_page}?refused=1"))),
        Err(e) => Err(e.into()),
    }
}

/// The official and the attempt a submit or save form names.
fn attempt_form(signed: &SignedIn, fields: &HashMap<String, String>) -> Result<(i64, i64), WebError> {
    let pid = signed.person()?;
    let attempt_id = fields
        .get("attempt")
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or(WebError::Unprocessable("attempt is missing"))?;
    Ok((pid, attempt_id))
}

/// `POST /courses/{course}/exam/submit` with `attempt`, `seq` and the answer fields.
#[tracing::instrument(name = "form", skip_all, fields(handler = "submit_exam"))]
pub async fn submit_exam(
    State(state): State<AppState>,
    Path(course_id): Path<String>,
    signed: SignedIn,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let exam_page = format!("/courses/{course_id}/exam");
    let (pid, attempt_id) = attempt_form(&signed, &fields)?;
    let seq = fields.get("seq").and_then(|s| s.parse::<i32>().ok()).unwrap_or(1);
    // Questions left blank: keep the answers and ask first (the page says how many and the
    // next "Nộp bài" sends `confirm=1`). Works the same with JavaScript off.
    if fields.get("confirm").map(String::as_str) != Some("1") {
        let left = match attempts::unanswered(&state, pid, attempt_id, &fields).await {
            Ok(n) => n,
            Err(AttemptError::Refused(_)) => return Err(WebError::Redirect(exam_page)),
            Err(e) => return Err(e.into()),
        };
        if left > 0 {
            attempts::save_draft(&state, pid, attempt_id, &fields).await?;
            return Ok(Redirect::to(&format!("{exam_page}?unanswered={left}")).into_response());
        }
    }
    match attempts::submit(&state, pid, attempt_id, seq, &fields).await {
        Ok(a) if a.course_id == course_id => {
            Ok(Redirect::to(&format!("/courses/{course_id}/exam/attempts/{}", a.id)).into_response())
        }
        Ok(_) => Err(WebError::NotFound),
        Err(AttemptError::Refused(_)) => Err(WebError::Redirect(exam_page)),
        Err(e) => Err(e.into()),
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
    signed: SignedIn,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let exam_page = format!("/courses/{course_id}/exam");
    let (pid, attempt_id) = attempt_form(&signed, &fields)?;
    match attempts::save_draft(&state, pid, attempt_id, &fields).await {
        Ok(a) if a.course_id == course_id => {
            if headers.contains_key("x-taphuan-autosave") {
                Ok(StatusCode::NO_CONTENT.into_response())
            } else {
                Ok(Redirect::to(&format!("{exam_page}?saved=1")).into_response())
            }
        }
        Ok(_) => Err(WebError::NotFound),
        Err(AttemptError::Refused(_)) => Err(WebError::Redirect(exam_page)),
        Err(e) => Err(e.into()),
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
