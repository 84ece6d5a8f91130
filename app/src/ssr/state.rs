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
    /// Sign-in back-off and public look-up limits (in memory, per node).
    pub throttle: Arc<super::throttle::Throttle>,
    /// Coverage views kept until the data under them changes.
    pub coverage_views: Arc<super::coverage::views::Views>,
    /// The queue for SQLite's one writer ([`AppState::write_turn`]).
    pub write_queue: Arc<tokio::sync::Mutex<()>>,
}

impl AppState {
    /// On SQLite, a turn at writing: taken by every write transaction a request opens
    /// ([`AppState::begin_write`]) and by an exam's autosave, so that writers queue here, each starting the moment the last one is done, instead of
    /// polling SQLite's lock from its busy handler, which sleeps between tries (1, 2, 5 … 100 ms)
    /// while the lock may stand free. SQLite serves one node, so a queue in the process is the
    /// whole queue. PostgreSQL has row locks and many writers: no turn is taken there.
    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        if super::db::is_postgres(&self.db) {
            None
        } else {
            Some(self.write_queue.lock().await)
        }
    }

    /// A write transaction ([`super::db::write_tx`]) in its turn at writing
    /// ([`AppState::write_turn`]): every write transaction a request opens goes through here, so
    /// on SQLite they queue in the process rather than in SQLite's sleeping busy handler.
    pub async fn begin_write(&self) -> Result<super::db::WriteTx<'_>, sea_orm::DbErr> {
        use sea_orm::TransactionTrait;
        let turn = self.write_turn().await;
        let tx = self.db.begin_with_options(super::db::write_tx()).await?;
        Ok(super::db::WriteTx::new(tx, turn))
    }

    /// The client's address: the TCP peer (`ConnectInfo`), or with `TAPHUAN_TRUST_FORWARDED_FOR`
    /// the last address in `X-Forwarded-For` (the one the reverse proxy itself appended).
    pub fn client_addr(&self, parts: &http::request::Parts) -> Option<std::net::IpAddr> {
        if self.config.trust_forwarded_for
            && let Some(ip) = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|s| s.trim().parse().ok())
                .next_back()
        {
            return Some(ip);
        }
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
