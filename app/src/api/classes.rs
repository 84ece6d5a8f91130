//! In-person classes (lớp tập huấn): the lists, the class page, the projector's QR page and the
//! official's check-in page. Changes are form routes (`ssr::classes::web`). Who runs a class:
//! the admin, a manager of the invited unit's subtree, a trainer of its course.

use super::error::ApiError;
pub use crate::domain::class::{CheckinView, ClassDetail, ClassSummary, MyClass, QrView};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// `/classes`: the classes I am in, and the ones I run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassesOverview {
    pub mine: Vec<MyClass>,
    /// Upcoming classes for my unit (or one above it) that I am not in and that would complete
    /// a course I lack: I may ask for a place.
    pub open: Vec<ClassSummary>,
    pub run: Vec<ClassSummary>,
    pub may_create: bool,
}

/// A unit a class may invite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitOption {
    pub id: i64,
    pub name: String,
    pub depth: usize,
}

/// What the class form offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassFormChoices {
    /// (id, title) of the courses the caller may run classes of.
    pub courses: Vec<(String, String)>,
    pub units: Vec<UnitOption>,
}

/// The class page, with the units its runner may invite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassRunView {
    pub detail: ClassDetail,
    pub units: Vec<UnitOption>,
}

/// The printable list of participants: the class, and the letterhead it prints under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassListDoc {
    pub detail: ClassDetail,
    pub letterhead: Option<super::letterhead::Issuing>,
    pub today: chrono::NaiveDate,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::api::guard;
    use crate::ssr::auth::AuthUser;
    use crate::ssr::classes::ClassError;
    use crate::ssr::state::AppState;

    impl From<ClassError> for ApiError {
        fn from(e: ClassError) -> Self {
            match e {
                ClassError::NotFound => guard::refuse(ApiError::NotFound),
                ClassError::Forbidden => guard::refuse(ApiError::Forbidden),
                ClassError::Db(e) => guard::internal(e),
                _ => guard::refuse(ApiError::BadRequest),
            }
        }
    }

    /// The units `user` may invite: a manager's subtree; everything for the admin or a trainer.
    pub async fn units(state: &AppState, user: &AuthUser) -> Result<Vec<UnitOption>, ApiError> {
        use crate::domain::identity::Role;
        let scope = if user.holds(Role::Admin) || user.holds(Role::Trainer) {
            None
        } else {
            user.view_scope().map_err(|_| guard::refuse(ApiError::Forbidden))?
        };
        let rows = crate::ssr::db::queries::agencies_in_scope(&state.db, scope).await?;
        let top = rows.first().map(|a| a.path.matches('/').count()).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|a| UnitOption {
                id: a.id,
                depth: a.path.matches('/').count().saturating_sub(top),
                name: a.name,
            })
            .collect())
    }
}

/// The classes the caller is in (an official) and the ones they run.
#[server(endpoint = "classes_page")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "classes_page"))
)]
pub async fn classes_page() -> Result<ClassesOverview, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, user) = guard::require(&Role::ALL).await?;
    let (mine, open) = match user.person_id {
        Some(p) => (
            crate::ssr::classes::of_person(&state, p).await?,
            crate::ssr::classes::open_for(&state, p).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let may_create = crate::ssr::classes::may_create(&user);
    let run = if may_create {
        crate::ssr::classes::run_by(&state, &user).await?
    } else {
        Vec::new()
    };
    Ok(ClassesOverview {
        mine,
        open,
        run,
        may_create,
    })
}

/// The new-class form's choices: the courses and the units the caller may run classes for.
#[server(endpoint = "class_form_options")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "class_form_options"))
)]
pub async fn class_form_options() -> Result<ClassFormChoices, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, user) = guard::require(&[Role::Trainer, Role::Manager, Role::Admin]).await?;
    let library = state.content.get();
    let trainer_only = !user.holds_any(&[Role::Manager, Role::Admin]);
    let courses = library
        .library
        .courses
        .iter()
        .filter(|c| !trainer_only || user.courses.as_ref().is_some_and(|a| a.allows(&c.id.to_string())))
        .map(|c| (c.id.to_string(), c.meta.title.clone()))
        .collect();
    Ok(ClassFormChoices {
        courses,
        units: server::units(&state, &user).await?,
    })
}

/// The class page: sessions, officials, attendance and scores. Only for those who run it.
#[server(endpoint = "class_page")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "class_page"))
)]
pub async fn class_page(id: i64) -> Result<ClassRunView, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, user) = guard::require(&[Role::Trainer, Role::Manager, Role::Admin]).await?;
    let c = crate::ssr::classes::runnable(&state.db, &user, id).await?;
    Ok(ClassRunView {
        detail: crate::ssr::classes::detail(&state, c).await?,
        units: server::units(&state, &user).await?,
    })
}

/// The projector page of a session: the current check-in code as a QR code.
#[server(endpoint = "class_qr")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "class_qr"))
)]
pub async fn class_qr(session_id: i64) -> Result<QrView, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, user) = guard::require(&[Role::Trainer, Role::Manager, Role::Admin]).await?;
    let (c, s) = crate::ssr::classes::runnable_session(&state.db, &user, session_id).await?;
    let base = crate::ssr::certs::base_url(&state).await;
    Ok(crate::ssr::classes::qr(&state, &base, &c, &s))
}

/// The check-in page of a session, for the signed-in official.
#[server(endpoint = "checkin_page")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "checkin_page"))
)]
pub async fn checkin_page(session_id: i64) -> Result<CheckinView, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, user) = guard::require(&Role::ALL).await?;
    let Some(pid) = user.person_id else {
        return Err(guard::refuse(ApiError::Forbidden));
    };
    Ok(crate::ssr::classes::checkin_view(&state, session_id, pid).await?)
}

/// The class's list of participants as a document (danh sách học viên), under the letterhead of
/// its unit or the nearest ancestor. Only for those who run the class.
#[server(endpoint = "class_print")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "class_print"))
)]
pub async fn class_print(id: i64) -> Result<ClassListDoc, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, user) = guard::require(&[Role::Trainer, Role::Manager, Role::Admin]).await?;
    let c = crate::ssr::classes::runnable(&state.db, &user, id).await?;
    let letterhead = crate::ssr::classes::letterhead_of(&state, &c)
        .await?
        .map(|f| super::letterhead::Issuing {
            agency_id: f.agency_id,
            agency_name: f.agency_name,
            letterhead: f.letterhead,
        });
    Ok(ClassListDoc {
        detail: crate::ssr::classes::detail(&state, c).await?,
        letterhead,
        today: crate::ssr::clock::today(),
    })
}
