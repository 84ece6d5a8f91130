//! Roster import preview: what an uploaded file would change (or why it cannot be applied).
//! The upload and the confirmation are plain form posts (`ssr::roster::web`).

use super::error::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An uploaded roster, checked against the current roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterPreview {
    pub id: i64,
    /// `roster` (officials) or `agencies` (the agency tree).
    pub kind: String,
    pub filename: String,
    /// `pending`, `applied` or `nochange`.
    pub status: String,
    /// Every error as `dòng L, cột C (header): what — what to write`.
    pub errors: Vec<String>,
    pub joiners: usize,
    pub leavers: usize,
    pub transfers: usize,
    pub changes: usize,
    /// One line per change with its effect on coverage.
    pub effects: Vec<String>,
    /// What was applied (after confirmation).
    pub summary: String,
}

/// The preview of upload `id` (the caller's own, or any for an admin).
#[server(endpoint = "roster_preview")]
pub async fn check_roster_upload(id: i64) -> Result<RosterPreview, ApiError> {
    use crate::domain::identity::Role;
    use crate::ssr::{guard, roster};
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let Some(up) = roster::web::owned(&state, &user, id).await.map_err(guard::internal)? else {
        return Err(guard::refuse(ApiError::Forbidden));
    };
    if up.kind == "agencies" {
        // Checked and tried in a transaction that is rolled back: the summary says what applying
        // would do.
        let (errors, would) = roster::import_agencies(&state.db, up.content.as_bytes(), false)
            .await
            .map_err(guard::internal)?;
        return Ok(RosterPreview {
            id: up.id,
            kind: up.kind,
            filename: up.filename,
            status: up.status,
            errors: errors.iter().map(|e| e.to_string()).collect(),
            joiners: 0,
            leavers: 0,
            transfers: 0,
            changes: 0,
            effects: if errors.is_empty() { vec![would] } else { vec![] },
            summary: up.summary,
        });
    }
    let plan = roster::plan(
        &state.db,
        up.content.as_bytes(),
        user.scope.as_ref(),
        chrono::Utc::now().date_naive(),
    )
    .await
    .map_err(guard::internal)?;
    Ok(RosterPreview {
        id: up.id,
        kind: up.kind,
        filename: up.filename,
        status: up.status,
        errors: plan.errors.iter().map(|e| e.to_string()).collect(),
        joiners: plan.diff.joiners.len(),
        leavers: plan.diff.leavers.len(),
        transfers: plan.diff.transfers.len(),
        changes: plan.diff.changes.len(),
        effects: plan.effects,
        summary: up.summary,
    })
}
