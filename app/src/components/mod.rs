//! Presentational pieces shared by pages, driven by props and context.

pub mod layout;
pub mod session;
