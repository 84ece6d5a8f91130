//! The editor's forms (plain form posts, so the editor saves and publishes with JavaScript off):
//!
//! | route                           | who                                  | does                     |
//! |---------------------------------|--------------------------------------|--------------------------|
//! | `POST /editor/{course}/save`    | admin; a trainer of the course       | saves a file's draft     |
//! | `POST /editor/{course}/discard` | admin; a trainer of the course       | throws a draft away      |
//! | `POST /editor/{course}/publish` | admin; a trainer of the course       | publishes the course     |
//! | `POST /editor/{course}/import`  | admin; a trainer of the course       | a GIFT/Aiken bank → draft |
//! | `POST /editor/{course}/image`   | admin; a trainer of the course       | an image → `images/` draft |
//!
//! Saved: back to the file (`/content/{course}?file=NAME&saved=1`), where the page shows the
//! checker's messages for the course with its drafts. Publish refused (errors, or no reason):
//! back to the course with `refused=errors|reason`; published: `?published=ID`.

use std::collections::HashMap;

use crate::domain::identity::Role;
use crate::ssr::state::AppState;
use crate::ssr::web::{SignedIn, WebError};
use axum::extract::{Form, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::{Kind, Refused};

const TOO_MANY_DRAFTS: &str = "Khóa học đã có quá nhiều bản nháp: xuất bản hoặc bỏ bớt trước.";
const REFUSED: &str = "Chỉ quản trị viên và giảng viên phụ trách khóa học mới sửa được khóa học này.";

/// The caller, if they may edit `course` (which must exist).
fn editor(state: &AppState, signed: SignedIn, course: &str) -> Result<crate::ssr::auth::AuthUser, WebError> {
    let user = signed.with_role(&[Role::Trainer, Role::Admin], REFUSED)?;
    if !crate::ssr::itemstats::may_see(&user, course) {
        return Err(WebError::Forbidden(REFUSED));
    }
    if state.content.get().library.course(course).is_none() {
        return Err(WebError::NotFound);
    }
    Ok(user)
}

fn field<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or_default()
}

fn to_file(course: &str, name: &str, extra: &str) -> String {
    let name: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    format!("/content/{course}?file={name}{extra}")
}

/// `POST /editor/{course}/save`: `file` (a name in the course folder), `text`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "save_draft"))]
pub async fn save_form(
    State(state): State<AppState>,
    Path(course): Path<String>,
    signed: SignedIn,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let user = editor(&state, signed, &course)?;
    let name = field(&f, "file");
    let (path, text) = super::checked_draft(&course, name, field(&f, "text")).map_err(WebError::Unprocessable)?;
    if !super::save_draft(&state.db, &course, &path, &text, user.account_id).await? {
        return Err(WebError::Unprocessable(TOO_MANY_DRAFTS));
    }
    Ok(Redirect::to(&to_file(&course, name, "&saved=1")).into_response())
}

/// `POST /editor/{course}/discard`: `file`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "discard_draft"))]
pub async fn discard_form(
    State(state): State<AppState>,
    Path(course): Path<String>,
    signed: SignedIn,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    editor(&state, signed, &course)?;
    let name = field(&f, "file");
    super::discard_draft(&state.db, &course, &format!("{course}/{name}")).await?;
    Ok(Redirect::to(&to_file(&course, name, "")).into_response())
}

/// `POST /editor/{course}/publish`: `kind` (minor | substantive), `reason`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "publish"))]
pub async fn publish_form(
    State(state): State<AppState>,
    Path(course): Path<String>,
    signed: SignedIn,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let user = editor(&state, signed, &course)?;
    let kind = Kind::parse(field(&f, "kind")).ok_or(WebError::Unprocessable(
        "Chọn loại thay đổi: minor (câu chữ) hoặc substantive (nội dung).",
    ))?;
    let reason = field(&f, "reason").trim();
    if reason.is_empty() {
        return Ok(Redirect::to(&format!("/content/{course}?refused=reason")).into_response());
    }
    match super::publish(&state, &course, kind, reason, (user.account_id, &user.username)).await {
        Ok(p) => {
            tracing::info!(
                course,
                publish = p.id,
                kind = kind.as_str(),
                "course published from the editor"
            );
            Ok(Redirect::to(&format!("/content/{course}?published={}", p.id)).into_response())
        }
        Err(Refused::Errors(_)) => Ok(Redirect::to(&format!("/content/{course}?refused=errors")).into_response()),
        Err(Refused::Stale) => Ok(Redirect::to(&format!("/content/{course}?refused=stale")).into_response()),
        Err(Refused::NoCourse) => Err(WebError::NotFound),
        Err(Refused::Db(e)) => Err(WebError::internal(e)),
    }
}

/// `POST /editor/{course}/import` (multipart): `file` (a GIFT or Aiken bank, at most
/// `domain::import::MAX_BYTES`), `into` (`exam` or a lesson's number). The questions are
/// appended to that file's draft (over the draft if there is one), then the editor opens it with
/// every question shown as a learner will see it. Refused — a problem in the bank, or one it
/// would bring into the course — the course page lists every problem located
/// (`?import_errors=…`, at most 20 lines); nothing is saved.
#[tracing::instrument(name = "form", skip_all, fields(handler = "import_bank"))]
pub async fn import_form(
    State(state): State<AppState>,
    Path(course): Path<String>,
    signed: SignedIn,
    mut form: Multipart,
) -> Result<Response, WebError> {
    use crate::domain::import::{Destination, MAX_BYTES};
    let user = editor(&state, signed, &course)?;
    let back = |lines: Vec<String>| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        let text: Vec<String> = lines.into_iter().take(20).collect();
        q.append_pair("import_errors", &text.join("\n"));
        Ok(Redirect::to(&format!("/content/{course}?{}", q.finish())).into_response())
    };
    let (mut upload, mut into) = (None::<(String, Vec<u8>)>, String::new());
    loop {
        match form.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => {
                let name = f.file_name().unwrap_or("bank.gift.txt").to_string();
                match f.bytes().await {
                    Ok(b) if b.len() <= MAX_BYTES => upload = Some((name, b.to_vec())),
                    _ => return back(vec!["Tệp quá lớn: tối đa 2 MB.".into()]),
                }
            }
            Ok(Some(f)) if f.name() == Some("into") => into = f.text().await.unwrap_or_default(),
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return back(vec!["Tệp quá lớn: tối đa 2 MB.".into()]),
        }
    }
    let Some((name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        return back(vec!["Chọn tệp ngân hàng câu hỏi (GIFT hoặc Aiken) để nhập.".into()]);
    };
    let Ok(src) = String::from_utf8(bytes) else {
        return back(vec![format!(
            "{name}: tệp không phải văn bản UTF-8 — lưu lại dạng UTF-8"
        )]);
    };
    let destination = match into.trim() {
        "exam" => Destination::Exam,
        n => match n.parse::<u32>() {
            Ok(n) => Destination::Lesson(n),
            Err(_) => return Err(WebError::Unprocessable("Chọn nơi nhập: bài thi hoặc một bài học.")),
        },
    };
    let loaded = state.content.get();
    let drafts = super::draft_files(&state.db, &course).await?;
    let files = crate::domain::content::publish::with_drafts(&loaded.course_files(&course), &drafts);
    let (c2, n2) = (course.clone(), name.clone());
    let prepared =
        tokio::task::spawn_blocking(move || crate::ssr::import::prepare(&files, &n2, &src, &c2, destination))
            .await
            .map_err(WebError::internal)?;
    match prepared {
        Ok((_, text, _)) if text.len() > super::MAX_DRAFT_BYTES => back(vec![format!(
            "{name}: với các câu hỏi này tệp vượt quá 256 KB — chia ngân hàng câu hỏi thành nhiều tệp nhỏ hơn"
        )]),
        Ok((target, text, plan)) => {
            if !super::save_draft(&state.db, &course, &target, &text, user.account_id).await? {
                return back(vec![TOO_MANY_DRAFTS.into()]);
            }
            let file = target.rsplit('/').next().unwrap_or_default();
            tracing::info!(
                course,
                file,
                questions = plan.questions.len(),
                "question bank imported into a draft"
            );
            Ok(Redirect::to(&to_file(&course, file, &format!("&imported={}", plan.questions.len()))).into_response())
        }
        Err(lines) => back(lines),
    }
}

/// `POST /editor/{course}/image` (multipart): `file`, a PNG, JPEG, GIF or WebP image of at most
/// 2 MB (`checked_image`). Saved as a draft in the course's `images/` folder, published with the
/// course; back to the course with `?image=images/NAME` (the page shows the Markdown that shows
/// it), or `?image_error=…`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "upload_image"))]
pub async fn image_form(
    State(state): State<AppState>,
    Path(course): Path<String>,
    signed: SignedIn,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let user = editor(&state, signed, &course)?;
    let back = |problem: &str| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("image_error", problem);
        Ok(Redirect::to(&format!("/content/{course}?{}", q.finish())).into_response())
    };
    let mut upload = None::<(String, Vec<u8>)>;
    loop {
        match form.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => {
                let name = f.file_name().unwrap_or_default().to_string();
                match f.bytes().await {
                    Ok(b) if b.len() <= super::MAX_IMAGE_BYTES => upload = Some((name, b.to_vec())),
                    _ => return back("Ảnh quá lớn: tối đa 2 MB."),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return back("Ảnh quá lớn: tối đa 2 MB."),
        }
    }
    let Some((name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        return back("Chọn một tệp ảnh để tải lên.");
    };
    let path = match super::checked_image(&course, &name, &bytes) {
        Ok(p) => p,
        Err(problem) => return back(problem),
    };
    if !super::save_image(&state.db, &course, &path, &bytes, user.account_id).await? {
        return back(TOO_MANY_DRAFTS);
    }
    let rel = path.strip_prefix(&format!("{course}/")).unwrap_or(&path);
    tracing::info!(course, image = rel, bytes = bytes.len(), "image uploaded into a draft");
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("image", rel);
    Ok(Redirect::to(&format!("/content/{course}?{}", q.finish())).into_response())
}
