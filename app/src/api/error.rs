//! The one error type of the API boundary. It carries only safe text: internal causes are logged
//! on the server (`ssr::guard::internal`) and reach the browser as `Internal`.

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
    #[error("internal error")]
    Internal,
    /// The call itself failed (network, encoding).
    #[error("request failed: {0}")]
    Transport(String),
}

impl ApiError {
    /// The HTTP status a refusal is sent with.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Unauthenticated => 401,
            ApiError::Forbidden => 403,
            ApiError::NotFound => 404,
            ApiError::Invalid(_) => 422,
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
            ApiError::Internal | ApiError::Transport(_) => T::ErrorGeneric.get(lang).into(),
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::Transport(value.to_string())
    }
}
