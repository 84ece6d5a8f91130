//! Programs (targets) and exemptions: the list, and one program read for editing (with its
//! history and its exemptions in the caller's scope). Managers and admins only.
//!
//! Changes are form routes (`ssr::programs::web`: save, exempt, withdraw, revoke), so they
//! work with JavaScript off; there is no second, JSON way to make them.

use super::error::ApiError;
pub use crate::domain::program::{AgencyOption, ProgramEditor, ProgramRow, RevisionDto};
pub use crate::domain::record::ExemptionDto;
use leptos::prelude::*;

/// Every program (active first), with what the caller may do with it.
#[server(endpoint = "programs")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "programs"))
)]
pub async fn list_programs() -> Result<Vec<ProgramRow>, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    Ok(crate::ssr::programs::read::list(&state, &user).await?)
}

/// A program for the program page (`id` None: a blank one to create), with its history and
/// its exemptions in the caller's scope.
#[server(endpoint = "program_editor")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "program_editor"))
)]
pub async fn load_program(id: Option<i64>) -> Result<ProgramEditor, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    crate::ssr::programs::read::editor(&state, &user, id)
        .await?
        .ok_or_else(|| guard::refuse(ApiError::NotFound))
}
