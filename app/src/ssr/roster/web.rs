//! The web flow (works with JavaScript off): `POST /roster/upload` (multipart, field `file`)
//! stores the file and redirects to `/roster?upload=ID`, where the page shows the preview
//! (`api::roster::roster_preview`); `POST /roster/apply` (form field `upload`) applies it in one
//! transaction and redirects back with `&applied=1`. Admins and managers only; a manager's rows
//! must lie in their subtree; only the uploader (or an admin) can see or apply an upload.

use crate::domain::identity::Role;
use crate::ssr::auth::AuthUser;
use crate::ssr::db::entities::roster_upload;
use crate::ssr::state::AppState;
use crate::ssr::web::SignedIn;
use axum::extract::{Form, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, EntityTrait};

/// Largest accepted roster file.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// Roster files are for managers and the admin.
fn importer(signed: SignedIn) -> Result<AuthUser, crate::ssr::web::WebError> {
    signed.with_role(&[Role::Manager, Role::Admin], "Bạn không có quyền nhập danh sách.")
}

/// `POST /roster/upload`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "upload"))]
pub async fn upload(State(state): State<AppState>, signed: SignedIn, mut form: Multipart) -> Response {
    let user = match importer(signed) {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut kind = "roster".to_string();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // Past the route's body limit the stream fails: say the file is too big, not missing.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Redirect::to("/roster?error=too_big").into_response();
            }
            Err(e) => {
                tracing::warn!(error = %e, "unreadable roster upload");
                return Redirect::to("/roster?error=empty").into_response();
            }
        };
        if field.name() == Some("kind") {
            kind = field.text().await.unwrap_or_default();
            continue;
        }
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("roster.csv").to_string();
            match field.bytes().await {
                Ok(b) if b.len() <= MAX_BYTES => file = Some((name, b.to_vec())),
                _ => return Redirect::to("/roster?error=too_big").into_response(),
            }
        }
    }
    // The agency tree is the whole province's: admins only.
    match kind.as_str() {
        "roster" => {}
        "agencies" if user.holds(Role::Admin) => {}
        _ => {
            return (
                StatusCode::FORBIDDEN,
                "Chỉ quản trị hệ thống được nhập danh mục đơn vị.",
            )
                .into_response();
        }
    }
    let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Redirect::to("/roster?error=empty").into_response();
    };
    // A spreadsheet is stored as the CSV it reads as (same lines and columns).
    // Reading a workbook is CPU work: off the async workers.
    let read = tokio::task::spawn_blocking(move || super::spreadsheet::file_text(bytes))
        .await
        .unwrap_or_else(|_| Err("không đọc được tệp — lưu lại dạng .xlsx, hoặc CSV UTF-8".into()));
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            let q: String = form_urlencoded::byte_serialize(e.as_bytes()).collect();
            return Redirect::to(&format!("/roster?error=excel&detail={q}")).into_response();
        }
    };
    // Stored as text; a non-UTF-8 file is kept lossily and fails validation with a clear
    // message (the check re-reads the stored bytes).
    let content = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let b = e.into_bytes();
            String::from_utf8_lossy(&b).into_owned()
        }
    };
    let row = roster_upload::ActiveModel {
        account_id: Set(user.account_id),
        filename: Set(filename),
        content: Set(content),
        status: Set("pending".into()),
        summary: Set(String::new()),
        created_at: Set(crate::ssr::clock::now()),
        applied_at: Set(None),
        kind: Set(kind),
        ..Default::default()
    }
    .insert(&state.db)
    .await;
    match row {
        Ok(r) => Redirect::to(&format!("/roster?upload={}", r.id)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot store a roster upload");
            Redirect::to("/roster?error=internal").into_response()
        }
    }
}

/// The form of `POST /roster/apply`: `upload`, `mode` (`update`, the default, or `complete`;
/// see `domain::roster::ImportMode`), `confirm` (the number of leavers, when the preview asks
/// for it) and `c{N}` (the column the manager confirmed or chose for header N).
pub struct ApplyForm {
    pub upload: i64,
    pub mode: String,
    pub confirm: String,
    pub fields: Vec<(String, String)>,
}

impl ApplyForm {
    fn read(fields: Vec<(String, String)>) -> Option<ApplyForm> {
        let get = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Some(ApplyForm {
            upload: get("upload").trim().parse().ok()?,
            mode: get("mode"),
            confirm: get("confirm"),
            fields,
        })
    }
}

/// The form of `POST /roster/cancel`.
#[derive(serde::Deserialize)]
pub struct CancelForm {
    pub upload: i64,
}

/// `POST /roster/cancel`: discards a pending upload (its content is dropped; the row stays
/// as a record that a file was uploaded and discarded).
#[tracing::instrument(name = "form", skip_all, fields(handler = "cancel"))]
pub async fn cancel(State(state): State<AppState>, signed: SignedIn, Form(f): Form<CancelForm>) -> Response {
    let user = match importer(signed) {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    match owned(&state, &user, f.upload).await {
        Ok(Some(u)) if u.status == "pending" => {
            let mut am: roster_upload::ActiveModel = u.into();
            am.status = Set("discarded".into());
            am.content = Set(String::new());
            am.summary = Set("Đã hủy, không áp dụng gì.".into());
            if let Err(e) = am.update(&state.db).await {
                tracing::error!(error = %e, "roster upload discard");
                return Redirect::to("/roster?error=internal").into_response();
            }
            Redirect::to("/roster?discarded=1").into_response()
        }
        Ok(Some(u)) => Redirect::to(&format!("/roster?upload={}", u.id)).into_response(),
        Ok(None) => (StatusCode::FORBIDDEN, "Bạn không có quyền với tệp này.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "roster upload lookup");
            Redirect::to("/roster?error=internal").into_response()
        }
    }
}

/// The upload if `user` may use it.
pub async fn owned(state: &AppState, user: &AuthUser, id: i64) -> Result<Option<roster_upload::Model>, sea_orm::DbErr> {
    Ok(roster_upload::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|u| u.account_id == user.account_id || user.holds(Role::Admin)))
}

/// `POST /roster/apply`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "apply"))]
pub async fn apply(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let user = match importer(signed) {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let Some(f) = ApplyForm::read(fields) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "Thiếu số của tệp tải lên.").into_response();
    };
    let up = match owned(&state, &user, f.upload).await {
        Ok(Some(u)) if u.status == "pending" => u,
        Ok(Some(u)) => return Redirect::to(&format!("/roster?upload={}", u.id)).into_response(),
        Ok(None) => return (StatusCode::FORBIDDEN, "Bạn không có quyền với tệp này.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "roster upload lookup");
            return Redirect::to("/roster?error=internal").into_response();
        }
    };
    let today = crate::ssr::clock::today();
    let mode = crate::domain::roster::ImportMode::parse(&f.mode);
    let back = format!("/roster?upload={}&mode={}", up.id, mode.code());
    let scope = super::scope_key(user.scope.as_ref());
    let choices = match super::remembered(&state.db, &scope, &up.kind).await {
        Ok(r) => super::choices_from_form(
            up.content.as_bytes(),
            r,
            f.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ),
        Err(e) => {
            tracing::error!(error = %e, "remembered header choices");
            return Redirect::to(&format!("{back}&error=internal")).into_response();
        }
    };
    if up.kind != "agencies" {
        // Many leavers: the manager must have typed their number (checked on a fresh plan).
        let plan = match super::plan(
            &state.db,
            up.content.as_bytes(),
            user.scope.as_ref(),
            today,
            mode,
            &choices,
        )
        .await
        {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "roster plan failed");
                return Redirect::to(&format!("{back}&error=internal")).into_response();
            }
        };
        if plan.needs_confirmation() && f.confirm.trim().parse::<usize>().ok() != Some(plan.diff.leavers.len()) {
            return Redirect::to(&format!("{back}&error=confirm")).into_response();
        }
    }
    let outcome = if up.kind == "agencies" {
        super::import_agencies(&state.db, up.content.as_bytes(), true, &choices)
            .await
            .map(|(errors, summary, columns)| {
                let status = if !errors.is_empty() {
                    "pending"
                } else if summary.starts_with("không có thay đổi") {
                    "nochange"
                } else {
                    "applied"
                };
                (status, summary, columns)
            })
    } else {
        super::apply(
            &state.db,
            up.content.as_bytes(),
            user.scope.as_ref(),
            today,
            mode,
            &choices,
            Some((user.account_id, user.username.as_str())),
        )
        .await
        .map(|(applied, plan)| {
            let status = match applied {
                super::Applied::Invalid(_) => "pending",
                super::Applied::NoChanges => "nochange",
                super::Applied::Done(..) => "applied",
            };
            (status, plan.summary(), plan.columns)
        })
    };
    match outcome {
        Ok((status, summary, columns)) => {
            // The columns as applied are the unit's choice for its next file.
            if status != "pending"
                && let Err(e) = super::remember(&state.db, &scope, &up.kind, &columns).await
            {
                tracing::error!(error = %e, "remembering header choices");
            }
            let id = up.id;
            let mut am: roster_upload::ActiveModel = up.into();
            am.status = Set(status.into());
            am.summary = Set(summary);
            am.applied_at = Set(Some(crate::ssr::clock::now()));
            if let Err(e) = am.update(&state.db).await {
                tracing::error!(error = %e, "roster upload status");
            }
            Redirect::to(&format!("/roster?upload={id}&mode={}", mode.code())).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "roster apply failed");
            Redirect::to(&format!("/roster?upload={}&error=internal", f.upload)).into_response()
        }
    }
}
