//! Who holds which right: the rights page's read side. Granting and withdrawing are form routes
//! (`ssr::rights::web`). The admin sees every right and may grant any; a manager sees the
//! manager rights inside their subtrees and may grant only those.

use super::error::ApiError;
pub use crate::domain::identity::GrantView;
use crate::domain::identity::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the rights page shows and offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RightsOverview {
    /// Active rights first, then withdrawn ones (newest first).
    pub grants: Vec<GrantView>,
    /// The roles the viewer may grant.
    pub grantable: Vec<Role>,
    /// The agencies a manager's right may be given for: (id, name, depth below the viewer's top).
    pub agencies: Vec<(i64, String, usize)>,
    /// The courses a trainer's right may be limited to: (id, title).
    pub courses: Vec<(String, String)>,
}

/// The rights the caller may see, and what they may grant (managers and admins).
#[server(endpoint = "rights_page")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "rights_page"))
)]
pub async fn rights_page() -> Result<RightsOverview, ApiError> {
    use crate::api::guard;
    use crate::ssr::rights::By;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let grants = crate::ssr::rights::list(&state.db, By::User(&user), None)
        .await
        .map_err(guard::internal)?;
    let admin = user.holds(Role::Admin);
    let grantable = if admin {
        vec![Role::Trainer, Role::Manager, Role::Admin]
    } else {
        vec![Role::Manager]
    };
    let agencies = crate::ssr::rights::grantable_agencies(&state.db, &user)
        .await
        .map_err(guard::internal)?;
    let courses = if admin {
        let loaded = state.content.get();
        loaded
            .library
            .courses
            .iter()
            .map(|c| (c.id.as_str().to_string(), c.meta.title.clone()))
            .collect()
    } else {
        vec![]
    };
    Ok(RightsOverview {
        grants,
        grantable,
        agencies,
        courses,
    })
}
