//! The pure core: rules and formats with no I/O, no Leptos and no database, so they are unit
//! tested like any library and compile to wasm for the browser editor.

pub mod aiken;
pub mod assignment;
pub mod audit;
pub mod chart;
pub mod class;
pub mod content;
pub mod coverage;
pub mod credentials;
pub mod exam;
pub mod gift;
pub mod grading;
pub mod html;
pub mod identity;
pub mod import;
pub mod itemstats;
pub mod letterhead;
pub mod program;
pub mod progress;
pub mod recert;
pub mod record;
pub mod reminders;
pub mod roster;
pub mod spreadsheet;
pub mod twin;
