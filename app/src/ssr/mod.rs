//! Server-only plumbing used by the server functions in `api/`: configuration, state, the
//! database, authentication, the content catalogue and the demo seed. Compiled only with `ssr`.

pub mod attempts;
pub mod auth;
pub mod certs;
pub mod completions;
pub mod config;
pub mod content;
pub mod db;
pub mod forms;
pub mod guard;
pub mod learning;
pub mod seed;
pub mod state;
