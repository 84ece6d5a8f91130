//! One route component per file.

pub mod admin;
pub mod content;
pub mod coverage;
pub mod coverage_report;
pub mod home;
pub mod learn;
pub mod not_found;
pub mod person;
pub mod roster;
pub mod sign_in;
