//! My notices: reminders of what is due, certificates expiring, and (for managers) the weekly
//! digest. Marking them read and the e-mail opt-out are form routes (`ssr::notices`).

use super::error::ApiError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeDto {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub at: DateTime<Utc>,
    /// The day it was written, in the configured zone (UTC+7 unless configured otherwise).
    pub on: chrono::NaiveDate,
    pub unread: bool,
    /// `none`, `pending`, `sending`, `sent` or `failed`.
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeList {
    pub notices: Vec<NoticeDto>,
    /// The account turned reminder e-mails off.
    pub email_off: bool,
}

/// The signed-in account's notices, newest first.
#[server(endpoint = "my_notices")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "my_notices"))
)]
pub async fn my_notices() -> Result<NoticeList, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (state, user) = guard::require(&Role::ALL).await?;
    let rows = crate::ssr::notices::list(&state.db, user.account_id).await?;
    Ok(NoticeList {
        notices: rows
            .into_iter()
            .map(|n| NoticeDto {
                kind: n.kind,
                title: n.title,
                body: n.body,
                link: n.link,
                at: n.created_at,
                on: crate::ssr::clock::date_of(n.created_at),
                unread: n.read_at.is_none(),
                email: n.email_state,
            })
            .collect(),
        email_off: crate::ssr::notices::opted_out(&state.db, user.account_id).await?,
    })
}
