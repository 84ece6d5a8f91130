//! Course content as code: the pure loader, checker and renderer of the `content/` library.
//!
//! The caller hands in every file of the content root ([`SourceFile`]); [`load_library`] returns
//! the [`Library`] (rendered, sanitised HTML; parsed questions with their answer keys; content
//! hashes) and every problem as a [`Diagnostic`] `file:line:col: what is wrong — what to write
//! instead`. No file-system I/O (except the native-only [`fs`] walker), no Leptos, no database:
//! the same code runs in the server, in `taphuan content check`, in tests and in the browser
//! editor (wasm). The rules enforced here are the authoring contract in `content/README.md`.
//!
//! Modules: [`text`] decoding and hashing, [`front_matter`] the TOML header and its schemas,
//! [`render`] Markdown → HTML and what the checks need from it, [`cite`] law numbers in text,
//! [`check`] cross-file rules, [`load`] the layout and the order of work, [`model`] the result.

pub mod check;
pub mod cite;
pub mod diag;
pub mod front_matter;
pub mod load;
pub mod model;
pub mod publish;
pub mod render;
pub mod text;

#[cfg(not(target_arch = "wasm32"))]
pub mod fs;

pub use diag::{Diagnostic, Severity};
pub use load::load_library;
pub use model::{
    AgencyKind, Audience, Course, CourseId, CourseMeta, Exam, ExamSettings, Heading, Item, Language, Lesson,
    LessonMeta, LessonPointer, Library, PassMark, Reference, Review, Shown, SourceFile, TranslatedMeta, Translation,
};
pub use render::slugify;
