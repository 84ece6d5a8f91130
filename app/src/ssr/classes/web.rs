//! The class forms: plain form POSTs answered with a redirect (post/redirect/get), so they work
//! with JavaScript off. Who is asking comes from `SignedIn`; who may run the class from
//! [`super::runnable`].
//!
//! | route                                          | does                                   |
//! |------------------------------------------------|----------------------------------------|
//! | `POST /classes/save`                           | creates a class and invites its unit   |
//! | `POST /classes/{id}/invite`                    | invites another unit (`agency_id`)     |
//! | `POST /classes/{id}/enrol`                     | enrols one official (`code`)           |
//! | `POST /classes/{id}/people/{person}/cancel`    | cancels a place; the waiting list moves |
//! | `POST /classes/{id}/people/{person}/confirm`   | confirms a walk-in                     |
//! | `POST /classes/{id}/sessions/{sid}/attendance` | the trainer's checklist (`present`) |
//! | `POST /classes/{id}/scores`                    | the in-class exam's scores (`score_N`) |
//! | `POST /classes/{id}/sheet`                     | a filled-in sign-in sheet (multipart `file`) |
//! | `POST /classes/{id}/cancel`                    | cancels the whole class (`confirm=1`)  |
//! | `POST /classes/{id}/join`                      | an official asks for a place in an open class |
//! | `POST /checkin/{sid}`                      | an official checks in with the code `c` |
//! | `GET /classes/{id}/export/{file}`              | the list of participants, `danh-sach.xlsx` or `danh-sach.csv` |

use super::{Checkin, ClassError};
use crate::domain::class::ClassDraft;
use crate::ssr::state::AppState;
use crate::ssr::web::{SignedIn, WebError};
use axum::extract::{Form, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

impl From<ClassError> for WebError {
    fn from(e: ClassError) -> Self {
        match e {
            ClassError::NotFound => WebError::NotFound,
            ClassError::Forbidden => WebError::Forbidden("Bạn không có quyền với lớp học này."),
            ClassError::Db(e) => WebError::internal(e),
            ClassError::Problems(_) | ClassError::Invalid(_) | ClassError::Sheet(_) | ClassError::Checkin(_) => {
                WebError::Unprocessable("Dữ liệu chưa hợp lệ.")
            }
        }
    }
}

/// A refusal the page explains goes back to it as `?error=KEY`; the rest render as usual.
fn back(page: &str, e: ClassError) -> Result<Response, WebError> {
    match e {
        ClassError::Invalid(key) => Ok(Redirect::to(&format!("{page}?error={key}")).into_response()),
        ClassError::Checkin(r) => Ok(Redirect::to(&format!("{page}?error={}", r.key())).into_response()),
        e => Err(e.into()),
    }
}

/// `POST /classes/save`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_save"))]
pub async fn save_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    if !super::may_create(&user) {
        return Err(WebError::Forbidden("Bạn không có quyền tạo lớp học."));
    }
    let draft = ClassDraft::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let refused = |draft: &ClassDraft| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("check", "1");
        for (k, v) in draft.to_pairs() {
            q.append_pair(&k, &v);
        }
        Ok(Redirect::to(&format!("/classes/new?{}", q.finish())).into_response())
    };
    let plan = match draft.check() {
        Ok(p) => p,
        Err(_) => return refused(&draft),
    };
    match super::create(&state, &user, plan).await {
        Ok((id, inv)) => Ok(Redirect::to(&format!(
            "/classes/{id}?created=1&enrolled={}&waiting={}&trained={}",
            inv.enrolled, inv.waiting, inv.trained
        ))
        .into_response()),
        Err(ClassError::Problems(_)) => refused(&draft),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
pub struct InviteForm {
    pub agency_id: i64,
}

/// `POST /classes/{id}/invite`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_invite"))]
pub async fn invite_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn(user): SignedIn,
    Form(f): Form<InviteForm>,
) -> Result<Response, WebError> {
    let c = super::runnable(&state.db, &user, id).await?;
    let inv = super::invite_unit(&state, &user, &c, f.agency_id).await?;
    Ok(Redirect::to(&format!(
        "/classes/{id}?enrolled={}&waiting={}&trained={}",
        inv.enrolled, inv.waiting, inv.trained
    ))
    .into_response())
}

#[derive(serde::Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    pub code: String,
}

/// `POST /classes/{id}/enrol`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_enrol"))]
pub async fn enrol_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn(user): SignedIn,
    Form(f): Form<EnrolForm>,
) -> Result<Response, WebError> {
    let page = format!("/classes/{id}");
    let c = super::runnable(&state.db, &user, id).await?;
    match super::enrol_code(&state, &user, &c, &f.code).await {
        Ok(status) => Ok(Redirect::to(&format!("{page}?added={status}")).into_response()),
        Err(e) => back(&page, e),
    }
}

/// `POST /classes/{id}/people/{person}/cancel`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_cancel"))]
pub async fn cancel_form(
    State(state): State<AppState>,
    Path((id, person_id)): Path<(i64, i64)>,
    SignedIn(user): SignedIn,
) -> Result<Response, WebError> {
    let c = super::runnable(&state.db, &user, id).await?;
    super::cancel(&state, &c, person_id).await?;
    Ok(Redirect::to(&format!("/classes/{id}?cancelled=1")).into_response())
}

/// `POST /classes/{id}/people/{person}/confirm`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_confirm"))]
pub async fn confirm_form(
    State(state): State<AppState>,
    Path((id, person_id)): Path<(i64, i64)>,
    SignedIn(user): SignedIn,
) -> Result<Response, WebError> {
    let c = super::runnable(&state.db, &user, id).await?;
    super::confirm_walk_in(&state, &c, person_id).await?;
    Ok(Redirect::to(&format!("/classes/{id}?confirmed=1")).into_response())
}

/// `POST /classes/{id}/sessions/{sid}/attendance` with `present` once per ticked official.
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_attendance"))]
pub async fn attendance_form(
    State(state): State<AppState>,
    Path((id, session_id)): Path<(i64, i64)>,
    SignedIn(user): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (c, s) = super::runnable_session(&state.db, &user, session_id).await?;
    if c.id != id {
        return Err(WebError::NotFound);
    }
    let present: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "present")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let n = super::checklist(&state, &user, &c, &s, &present).await?;
    Ok(Redirect::to(&format!("/classes/{id}?marked={n}")).into_response())
}

/// `POST /classes/{id}/scores` with `score_{person}` for each official (empty = no score).
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_scores"))]
pub async fn scores_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn(user): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let page = format!("/classes/{id}");
    let c = super::runnable(&state.db, &user, id).await?;
    let mut scores = Vec::new();
    for (k, v) in &pairs {
        let Some(pid) = k.strip_prefix("score_").and_then(|p| p.parse::<i64>().ok()) else {
            continue;
        };
        let v = v.trim().replace(',', ".");
        if v.is_empty() {
            scores.push((pid, None));
            continue;
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => scores.push((pid, Some(x.round() as i32))),
            _ => return back(&page, ClassError::Invalid("bad_score")),
        }
    }
    match super::set_scores(&state, &user, &c, &scores).await {
        Ok(n) => Ok(Redirect::to(&format!("{page}?scored={n}")).into_response()),
        Err(e) => back(&page, e),
    }
}

#[derive(serde::Deserialize)]
pub struct CheckinForm {
    #[serde(default)]
    pub c: String,
}

/// `POST /checkin/{sid}`: the official's own check-in with the projector's code.
#[tracing::instrument(name = "form", skip_all, fields(handler = "checkin"))]
pub async fn checkin_form(
    State(state): State<AppState>,
    Path(session_id): Path<i64>,
    signed: SignedIn,
    Form(f): Form<CheckinForm>,
) -> Result<Response, WebError> {
    let page = format!("/checkin/{session_id}");
    let pid = signed.person()?;
    match super::checkin(&state, &signed.0, pid, session_id, &f.c).await {
        Ok(Checkin::Recorded) => Ok(Redirect::to(&format!("{page}?done=recorded")).into_response()),
        Ok(Checkin::WalkIn) => Ok(Redirect::to(&format!("{page}?done=walk_in")).into_response()),
        Err(e) => back(&page, e),
    }
}

/// The largest sign-in sheet accepted.
pub const MAX_SHEET_BYTES: usize = 1024 * 1024;

/// `POST /classes/{id}/sheet`: the filled-in sign-in sheet (CSV or XLSX). A refused sheet goes
/// back to the class page with its problems (at most 20) in the query; nothing is applied.
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_sheet"))]
pub async fn sheet_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn(user): SignedIn,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let page = format!("/classes/{id}");
    let c = super::runnable(&state.db, &user, id).await?;
    let mut bytes: Option<Vec<u8>> = None;
    loop {
        match form.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => match f.bytes().await {
                Ok(b) if b.len() <= MAX_SHEET_BYTES => bytes = Some(b.to_vec()),
                _ => return Ok(Redirect::to(&format!("{page}?error=sheet_too_big")).into_response()),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return Ok(Redirect::to(&format!("{page}?error=sheet_too_big")).into_response()),
        }
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Ok(Redirect::to(&format!("{page}?error=sheet_empty")).into_response());
    };
    let text = tokio::task::spawn_blocking(move || crate::ssr::roster::spreadsheet::file_text(bytes))
        .await
        .unwrap_or_else(|_| Err("không đọc được tệp".into()));
    let problems = match text.map(|b| String::from_utf8_lossy(&b).into_owned()) {
        Ok(text) => match super::apply_sheet(&state, &user, &c, &text).await {
            Ok(n) => return Ok(Redirect::to(&format!("{page}?marked={n}")).into_response()),
            Err(ClassError::Sheet(p)) => p,
            Err(e) => return Err(e.into()),
        },
        Err(e) => vec![crate::domain::roster::FileError {
            line: 0,
            column: 0,
            header: String::new(),
            what: crate::domain::roster::Said::new(e.clone(), e),
            hint: crate::domain::roster::Said::new(
                "lưu lại dạng .xlsx hoặc CSV UTF-8",
                "save it again as .xlsx or UTF-8 CSV",
            ),
        }],
    };
    let shown: Vec<_> = problems.into_iter().take(20).collect();
    let json = serde_json::to_string(&shown).map_err(WebError::internal)?;
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("error", "sheet");
    q.append_pair("sheet", &json);
    Ok(Redirect::to(&format!("{page}?{}", q.finish())).into_response())
}

/// `GET /classes/{id}/export/{file}`: the list of participants with attendance and results,
/// `danh-sach.xlsx` or `danh-sach.csv` (cells a spreadsheet could run are neutralised).
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_export"))]
pub async fn export(
    State(state): State<AppState>,
    Path((id, file)): Path<(i64, String)>,
    SignedIn(user): SignedIn,
) -> Result<Response, WebError> {
    let ext = match file.as_str() {
        "danh-sach.xlsx" => "xlsx",
        "danh-sach.csv" => "csv",
        _ => return Err(WebError::NotFound),
    };
    let c = super::runnable(&state.db, &user, id).await?;
    let d = super::detail(&state, c).await?;
    let table = super::list_table(&d);
    let title = format!(
        "DANH SÁCH HỌC VIÊN — {} — {}",
        d.summary.title,
        d.summary.course_titles.join(" · ")
    );
    let stem = format!("danh-sach-lop-{id}");
    crate::ssr::coverage::export::attachment(&table, &title, &stem, ext).map_err(WebError::internal)
}

/// `POST /classes/{id}/join`: an official asks for a place in a class open to their unit.
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_join"))]
pub async fn join_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    signed: SignedIn,
) -> Result<Response, WebError> {
    let pid = signed.person()?;
    let status = super::join(&state, pid, id).await?;
    Ok(Redirect::to(&format!("/classes?joined={status}")).into_response())
}

#[derive(serde::Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    pub confirm: String,
}

/// `POST /classes/{id}/cancel`: cancels the class, once the runner ticked the confirmation.
#[tracing::instrument(name = "form", skip_all, fields(handler = "class_cancel_all"))]
pub async fn cancel_class_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    SignedIn(user): SignedIn,
    Form(f): Form<CancelForm>,
) -> Result<Response, WebError> {
    let c = super::runnable(&state.db, &user, id).await?;
    if f.confirm != "1" {
        return back(&format!("/classes/{id}"), ClassError::Invalid("confirm_cancel"));
    }
    super::cancel_class(&state, &c).await?;
    Ok(Redirect::to(&format!("/classes/{id}?class_cancelled=1")).into_response())
}
