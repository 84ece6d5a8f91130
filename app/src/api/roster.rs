//! Roster import preview: what an uploaded file would change (or why it cannot be applied).
//! The upload and the confirmation are plain form posts (`ssr::roster::web`).

use super::error::ApiError;
pub use crate::domain::roster::{HeaderMatch, HowMatched};
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
    /// Every error as `dòng L, cột C (header): what — what to write`, in the reader's language.
    pub errors: Vec<String>,
    pub joiners: usize,
    pub leavers: usize,
    pub transfers: usize,
    pub changes: usize,
    /// One line per change with its effect on coverage.
    pub effects: Vec<String>,
    /// The same lines grouped: (group key `joiners|leavers|transfers|changes`, lines).
    pub groups: Vec<(String, Vec<String>)>,
    /// What was applied (after confirmation).
    pub summary: String,
    /// `update` (joiners and changes only) or `complete` (the unit's whole list: leavers too).
    pub mode: String,
    /// The unit a complete list speaks for (the manager's scope, or "the agencies in the file").
    pub unit: String,
    /// Active officials of that unit today.
    pub active_in_unit: usize,
    /// Applying needs the number of leavers typed (more than 20, or more than 10 % of the unit).
    pub needs_confirmation: bool,
    /// Cells a spreadsheet would run as formulas.
    pub warnings: Vec<String>,
    /// Officials who get an account (sign-in name = their code) on applying.
    pub accounts_new: usize,
    /// Accounts without an official in the unit (managers, trainers…): left as they are.
    pub accounts_untouched: Vec<String>,
    /// How each header of the file was read, for the manager to confirm or change.
    pub columns: Vec<HeaderMatch>,
    /// The columns a header may be read as (labels).
    pub labels: Vec<String>,
}

/// The preview of upload `id` (the caller's own, or any for an admin).
#[server(endpoint = "roster_preview")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "roster_preview"))
)]
/// `cols` carries the columns chosen in the preview, as `c{N}=label` pairs (URL-encoded).
pub async fn check_roster_upload(
    id: i64,
    mode: Option<String>,
    cols: Option<String>,
) -> Result<RosterPreview, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::roster;
    let lang = crate::i18n::request_lang();
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let Some(up) = roster::web::owned(&state, &user, id).await? else {
        return Err(guard::refuse(ApiError::Forbidden));
    };
    let remembered = roster::remembered(&state.db, &roster::scope_key(user.scope.as_ref()), &up.kind).await?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(cols.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let choices = roster::choices_from_form(
        up.content.as_bytes(),
        remembered,
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    if up.kind == "agencies" {
        // Checked and tried in a transaction that is rolled back: the summary says what applying
        // would do.
        let (errors, would, columns) =
            roster::import_agencies(&state.db, up.content.as_bytes(), false, &choices).await?;
        return Ok(RosterPreview {
            id: up.id,
            kind: up.kind,
            filename: up.filename,
            status: up.status,
            errors: errors.iter().map(|e| e.show(lang)).collect(),
            joiners: 0,
            leavers: 0,
            transfers: 0,
            changes: 0,
            effects: if errors.is_empty() { vec![would] } else { vec![] },
            groups: vec![],
            summary: up.summary,
            mode: String::new(),
            unit: String::new(),
            active_in_unit: 0,
            needs_confirmation: false,
            warnings: vec![],
            accounts_new: 0,
            accounts_untouched: vec![],
            columns,
            labels: crate::domain::roster::agency_labels()
                .into_iter()
                .map(String::from)
                .collect(),
        });
    }
    let mode = crate::domain::roster::ImportMode::parse(mode.as_deref().unwrap_or(""));
    let plan = roster::plan(
        &state.db,
        up.content.as_bytes(),
        user.scope.as_ref(),
        crate::ssr::clock::today(),
        mode,
        &choices,
    )
    .await?;
    let needs_confirmation = plan.needs_confirmation();
    let g = plan.grouped;
    let groups = [
        ("joiners", g.joiners),
        ("leavers", g.leavers),
        ("transfers", g.transfers),
        ("changes", g.changes),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Ok(RosterPreview {
        id: up.id,
        kind: up.kind,
        filename: up.filename,
        status: up.status,
        errors: plan.errors.iter().map(|e| e.show(lang)).collect(),
        joiners: plan.diff.joiners.len(),
        leavers: plan.diff.leavers.len(),
        transfers: plan.diff.transfers.len(),
        changes: plan.diff.changes.len(),
        effects: plan.effects,
        groups,
        summary: up.summary,
        mode: mode.code().into(),
        unit: user
            .scope
            .as_ref()
            .map(|s| s.agency_name.clone())
            .unwrap_or_else(|| crate::i18n::T::AgenciesInFile.get(lang).into()),
        active_in_unit: plan.active_in_unit,
        needs_confirmation,
        warnings: plan.warnings,
        accounts_new: plan.accounts_new,
        accounts_untouched: plan.accounts_untouched,
        columns: plan.columns,
        labels: crate::domain::roster::roster_labels()
            .into_iter()
            .map(String::from)
            .collect(),
    })
}
