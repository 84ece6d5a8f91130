//! The letterhead form (a plain form post, so it works with JavaScript off):
//!
//! | route                   | who                                   | does                          |
//! |-------------------------|---------------------------------------|-------------------------------|
//! | `POST /letterhead/save` | admin; manager (agencies of subtree)  | sets an agency's letterhead   |
//!
//! Saved: back to `/letterhead?agency=ID&saved=1`. A draft with problems goes back to the form
//! with every field as typed (`?agency=ID&check=1&issuer=…`); the page runs the same check
//! (`domain::letterhead::check`) and shows each problem beside its field. Nothing is written
//! then. An agency outside the caller's subtree, or none at all, is a 403.

use crate::domain::identity::Role;
use crate::domain::letterhead::{LetterheadDraft, check};
use crate::ssr::state::AppState;
use crate::ssr::web::{SignedIn, WebError};
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};

/// `POST /letterhead/save`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "save_letterhead"))]
pub async fn save_form(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    const REFUSED: &str = "Bạn chỉ đặt được thể thức văn bản cho đơn vị trong phạm vi quản lý của mình.";
    let user = signed.with_role(&[Role::Manager, Role::Admin], REFUSED)?;
    let agency_id = pairs
        .iter()
        .find(|(k, _)| k == "agency_id")
        .and_then(|(_, v)| v.trim().parse::<i64>().ok())
        .ok_or(WebError::Unprocessable("Chọn đơn vị cần đặt thể thức văn bản."))?;
    let scope = user.view_scope().map_err(|_| WebError::Forbidden(REFUSED))?;
    let agency = crate::ssr::db::queries::agency_in_scope(&state.db, scope, agency_id)
        .await?
        .ok_or(WebError::Forbidden(REFUSED))?;
    let draft = LetterheadDraft::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match check(&draft) {
        Ok(letterhead) => {
            super::save(&state.db, agency.id, &letterhead, Some(user.account_id)).await?;
            tracing::info!(agency = agency.id, "letterhead saved");
            Ok(Redirect::to(&format!("/letterhead?agency={}&saved=1", agency.id)).into_response())
        }
        Err(_) => {
            let mut q = form_urlencoded::Serializer::new(String::new());
            q.append_pair("agency", &agency.id.to_string());
            q.append_pair("check", "1");
            for (k, v) in draft.to_pairs() {
                q.append_pair(k, &v);
            }
            Ok(Redirect::to(&format!("/letterhead?{}", q.finish())).into_response())
        }
    }
}
