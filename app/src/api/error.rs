//! The one error type of the API boundary. It carries only safe text: internal causes are logged
//! on the server (`api::guard::internal`) and reach the browser as `Internal`.

use crate::i18n::{Lang, T};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Input that the person can correct; the text says how.
    #[error("{0}")]
    Invalid(String),
    /// Too many requests from this client; try again later.
    #[error("too many requests")]
    TooManyRequests,
    #[error("internal error")]
    Internal,
    /// The call itself failed (network, encoding).
    #[error("request failed: {0}")]
    Transport(String),
    /// The request could not be read as this function's arguments (a client's mistake, 400).
    #[error("bad request")]
    BadRequest,
}

impl ApiError {
    /// The HTTP status a refusal is sent with.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Unauthenticated => 401,
            ApiError::Forbidden => 403,
            ApiError::NotFound => 404,
            ApiError::Invalid(_) => 422,
            ApiError::TooManyRequests => 429,
            ApiError::BadRequest => 400,
            ApiError::Internal | ApiError::Transport(_) => 500,
        }
    }

    /// What to show a person.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Unauthenticated => T::SignInRequired.get(lang).into(),
            ApiError::Forbidden => T::Forbidden.get(lang).into(),
            ApiError::NotFound => T::NotFoundBody.get(lang).into(),
            ApiError::Invalid(s) => s.clone(),
            ApiError::TooManyRequests => T::TooManyRequests.get(lang).into(),
            ApiError::Internal | ApiError::Transport(_) | ApiError::BadRequest => T::ErrorGeneric.get(lang).into(),
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments the server could not read: the caller's mistake, and nothing of the
            // parser's message is sent back.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                #[cfg(feature = "ssr")]
                if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                    res.set_status(http::StatusCode::BAD_REQUEST);
                }
                ApiError::BadRequest
            }
            other => ApiError::Transport(other.to_string()),
        }
    }
}

/// A database error inside a server function: logged once (inside the request's span) and sent
/// as the generic `Internal`, with status 500. This is what `?` does with a `DbErr`.
#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        super::guard::internal(e)
    }
}

/// A damaged stored row: the same as a database error.
#[cfg(feature = "ssr")]
impl From<crate::ssr::db::entities::CorruptRow> for ApiError {
    fn from(e: crate::ssr::db::entities::CorruptRow) -> Self {
        super::guard::internal(e)
    }
}
