//! One route component per file.

pub mod activate;
pub mod admin;
pub mod certificate;
pub mod classes;
pub mod content;
pub mod course;
pub mod coverage;
pub mod coverage_report;
pub mod editor;
pub mod exam;
pub mod home;
pub mod learn;
pub mod lesson;
pub mod letterhead;
pub mod not_found;
pub mod notices;
pub mod person;
pub mod programs;
pub mod questions;
pub mod retraining;
pub mod rights;
pub mod roster;
pub mod sign_in;
pub mod transcript;
pub mod verify;
