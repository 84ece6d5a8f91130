//! Agencies' letterheads (`domain::letterhead`): what the letterhead page shows. Changing one is
//! the form route `POST /letterhead/save` (`ssr::letterhead::web`). Scoped like `people`: an
//! admin sees every agency, a manager the agencies of their subtree.

use super::error::ApiError;
pub use crate::domain::letterhead::{Letterhead, LetterheadDraft};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The letterhead a document prints, and the agency it belongs to (the document's own agency,
/// or the nearest ancestor that has one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issuing {
    pub agency_id: i64,
    pub agency_name: String,
    pub letterhead: Letterhead,
}

/// One agency of the page's picker, with where its documents' letterhead comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LetterheadAgency {
    pub id: i64,
    pub name: String,
    pub depth: usize,
    /// The agency whose letterhead its documents print (itself, an ancestor, or none).
    pub from: Option<String>,
    pub own: bool,
}

/// Everything the letterhead page needs for one agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LetterheadEditor {
    pub agency_id: i64,
    pub agency_name: String,
    pub agencies: Vec<LetterheadAgency>,
    /// What this agency's documents print now, if anything.
    pub effective: Option<Issuing>,
    /// The form's starting point: the agency's own letterhead, else the inherited one, else
    /// empty.
    pub draft: LetterheadDraft,
}

/// The letterhead page for `agency_id` (default: the top of the caller's scope). Outside the
/// caller's scope: 403, whether or not the agency exists.
#[server(endpoint = "letterhead_page")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "letterhead_page"))
)]
pub async fn letterhead_page(agency_id: Option<i64>) -> Result<LetterheadEditor, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::{db::queries, letterhead};
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let scope = user.view_scope().map_err(|_| guard::refuse(ApiError::Forbidden))?;
    let in_scope = queries::agencies_in_scope(&state.db, scope).await?;
    let Some(top) = in_scope.first() else {
        return Err(guard::refuse(ApiError::NotFound));
    };
    let agency = guard::agency_in_scope(&state, &user, agency_id.unwrap_or(top.id)).await?;
    let stored = letterhead::all(&state.db).await?;
    let names = queries::agency_names(&state.db).await?;
    let base_depth = top.path.matches('/').count();
    let agencies = in_scope
        .iter()
        .map(|a| {
            let from = letterhead::nearest(&a.path, &stored);
            LetterheadAgency {
                id: a.id,
                name: a.name.clone(),
                depth: a.path.matches('/').count().saturating_sub(base_depth),
                from: from.and_then(|id| names.get(&id).cloned()),
                own: from == Some(a.id),
            }
        })
        .collect();
    let effective = letterhead::nearest(&agency.path, &stored).and_then(|id| {
        Some(Issuing {
            agency_id: id,
            agency_name: names.get(&id).cloned().unwrap_or_default(),
            letterhead: stored.get(&id)?.clone(),
        })
    });
    let draft = effective.as_ref().map(|e| e.letterhead.to_draft()).unwrap_or_default();
    Ok(LetterheadEditor {
        agency_id: agency.id,
        agency_name: agency.name,
        agencies,
        effective,
        draft,
    })
}
