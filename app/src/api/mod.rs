//! Server functions: Taphuan's public API. Each one authenticates and authorises on the server
//! (through `api::guard`, server-only), takes typed input and returns a DTO defined beside it, never a
//! database entity. One file per resource.

pub mod admin;
pub mod auth;
pub mod catalog;
pub mod certificates;
pub mod classes;
pub mod coverage;
pub mod editor;
pub mod error;
pub mod exams;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod learning;
pub mod letterhead;
pub mod notices;
pub mod people;
pub mod programs;
pub mod questions;
pub mod recert;
pub mod rights;
pub mod roster;
