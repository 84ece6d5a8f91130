//! Server-only plumbing used by the server functions in `api/`: configuration, state, the
//! database, authentication, the content catalogue and the demo seed. Compiled only with `ssr`.

pub mod accounts;
pub mod attempts;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod certs;
pub mod classes;
pub mod clock;
pub mod completions;
pub mod config;
pub mod content;
pub mod coverage;
pub mod db;
pub mod editor;
pub mod evidence;
pub mod forms;
pub mod fuzz;
pub mod headers;
pub mod import;
pub mod itemstats;
pub mod learning;
pub mod letterhead;
pub mod memo;
pub mod notices;
pub mod people_record;
pub mod programs;
pub mod recert;
pub mod redirect;
pub mod reminders;
pub mod rights;
pub mod roster;
pub mod seed;
mod seed_history;
pub mod state;
pub mod throttle;
pub mod web;
