//! An account's notices (reminders and digests made by `ssr::reminders`): the bell's count,
//! the list, marking them read and the e-mail opt-out, as plain form posts.
//!
//! | route                  | does                                                    |
//! |------------------------|---------------------------------------------------------|
//! | `POST /notices/read`   | marks every notice of the signed-in account read        |
//! | `POST /notices/email`  | `email=off` stops reminder e-mails, `email=on` resumes   |

use super::db::entities::{account, notice};
use super::state::AppState;
use super::web::{SignedIn, WebError};
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

/// Unread notices of an account.
pub async fn unread(db: &impl ConnectionTrait, account_id: i64) -> Result<u64, DbErr> {
    notice::Entity::find()
        .filter(notice::Column::AccountId.eq(account_id))
        .filter(notice::Column::ReadAt.is_null())
        .count(db)
        .await
}

/// The newest notices of an account (at most 100).
pub async fn list(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<notice::Model>, DbErr> {
    notice::Entity::find()
        .filter(notice::Column::AccountId.eq(account_id))
        .order_by_desc(notice::Column::Id)
        .limit(100)
        .all(db)
        .await
}

/// Whether the account turned reminder e-mails off.
pub async fn opted_out(db: &impl ConnectionTrait, account_id: i64) -> Result<bool, DbErr> {
    Ok(account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .is_some_and(|a| a.email_opt_out))
}

/// Reminder e-mails by state, and the latest failures (for the administrator).
pub async fn email_report(db: &impl ConnectionTrait) -> Result<(Vec<(String, u64)>, Vec<notice::Model>), DbErr> {
    let mut counts = vec![];
    for state in ["pending", "sending", "sent", "failed"] {
        let n = notice::Entity::find()
            .filter(notice::Column::EmailState.eq(state))
            .count(db)
            .await?;
        counts.push((state.to_string(), n));
    }
    let failures = notice::Entity::find()
        .filter(notice::Column::EmailState.eq("failed"))
        .order_by_desc(notice::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    Ok((counts, failures))
}

/// `POST /notices/read`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "notices_read"))]
pub async fn mark_read(State(state): State<AppState>, SignedIn(user): SignedIn) -> Result<Response, WebError> {
    notice::Entity::update_many()
        .col_expr(notice::Column::ReadAt, Expr::value(super::clock::now()))
        .filter(notice::Column::AccountId.eq(user.account_id))
        .filter(notice::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(Redirect::to("/notices").into_response())
}

#[derive(serde::Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    pub email: String,
}

/// `POST /notices/email`.
#[tracing::instrument(name = "form", skip_all, fields(handler = "notices_email"))]
pub async fn email(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(f): Form<EmailForm>,
) -> Result<Response, WebError> {
    let off = f.email == "off";
    account::Entity::update_many()
        .col_expr(account::Column::EmailOptOut, Expr::value(off))
        .filter(account::Column::Id.eq(user.account_id))
        .exec(&state.db)
        .await?;
    if off {
        // Nothing more is sent to them, including what is already waiting.
        notice::Entity::update_many()
            .col_expr(notice::Column::EmailState, Expr::value("none"))
            .filter(notice::Column::AccountId.eq(user.account_id))
            .filter(notice::Column::EmailState.eq("pending"))
            .exec(&state.db)
            .await?;
    }
    Ok(Redirect::to(if off { "/notices?email=off" } else { "/notices?email=on" }).into_response())
}
