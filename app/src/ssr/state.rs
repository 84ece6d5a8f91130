//! What every request handler and server function can reach: the database pool, the
//! configuration and Leptos' options. Cloned per request (all fields are cheap handles); passed
//! explicitly, never a global, so tests build their own.

use super::certs::CertSigner;
use super::config::Config;
use super::content::ContentStore;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// The compiled course library.
    pub content: Arc<ContentStore>,
    /// Signs certificate tokens (Ed25519) and holds the public key to publish.
    pub certs: Arc<CertSigner>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
