//! Presentational pieces shared by pages, driven by props and context.

pub mod course_card;
pub mod document;
pub mod icon;
pub mod layout;
pub mod loaded;
pub mod question;
pub mod ring;
pub mod session;
pub mod untranslated;
