//! The course catalogue: what courses exist, for any signed-in person, and the library's health
//! (every checker diagnostic) for trainers. Summaries only: no lesson bodies, no questions.

use super::error::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A course as listed in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub version: String,
    /// First 12 hex digits of the content hash: which exact text this is.
    pub short_hash: String,
    pub lessons: usize,
    pub estimated_minutes: Option<u32>,
    pub exam_pool: usize,
    pub exam_draw: u32,
    pub pass_mark: u8,
    pub validity_months: u32,
    pub positions: Vec<String>,
    pub enforcement_only: bool,
    pub has_english: bool,
}

/// The library's state for trainers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentStatus {
    pub courses: Vec<CourseSummary>,
    /// `file:line:col: what — instead`, errors first.
    pub diagnostics: Vec<String>,
    pub errors: usize,
}

/// Every course in the library (any signed-in person).
#[server(endpoint = "courses")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "courses"))
)]
pub async fn list_courses() -> Result<Vec<CourseSummary>, ApiError> {
    use crate::domain::identity::Role;
    let lang = crate::i18n::request_lang();
    let (state, _) = crate::api::guard::require(&Role::ALL).await?;
    let loaded = state.content.get();
    Ok(loaded
        .library
        .courses
        .iter()
        .map(|c| CourseSummary::of(c, lang))
        .collect())
}

/// The library with its checker diagnostics (trainers and admins).
#[server(endpoint = "library_status")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "library_status"))
)]
pub async fn library_status() -> Result<ContentStatus, ApiError> {
    use crate::domain::identity::Courses;
    use crate::domain::identity::Role;
    let lang = crate::i18n::request_lang();
    let (state, user) = crate::api::guard::require(&[Role::Trainer, Role::Admin]).await?;
    // A trainer of named courses sees those; the admin and a trainer of every course, all.
    let mine = match (&user.courses, user.holds(Role::Admin)) {
        (_, true) | (Some(Courses::All), _) | (None, _) => Courses::All,
        (Some(only), false) => only.clone(),
    };
    let loaded = state.content.get();
    let mut diags: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| match &mine {
            Courses::All => true,
            Courses::Only(_) => mine.allows(d.file.split('/').next().unwrap_or_default()),
        })
        .collect();
    diags.sort_by_key(|d| !d.is_error());
    Ok(ContentStatus {
        courses: loaded
            .library
            .courses
            .iter()
            .filter(|c| mine.allows(c.id.as_str()))
            .map(|c| CourseSummary::of(c, lang))
            .collect(),
        errors: diags.iter().filter(|d| d.is_error()).count(),
        diagnostics: diags.iter().map(|d| d.to_string()).collect(),
    })
}

impl CourseSummary {
    /// A course of the library as the catalogue lists it to a reader of `lang` (the English
    /// title and summary where the course has them).
    pub fn of(c: &crate::domain::content::Course, lang: crate::i18n::Lang) -> CourseSummary {
        CourseSummary {
            id: c.id.as_str().to_string(),
            title: c.title_in(lang).to_string(),
            summary: c.summary_in(lang).to_string(),
            version: c.meta.version.clone(),
            short_hash: c.hash.chars().take(12).collect(),
            lessons: c.lessons.len(),
            estimated_minutes: c.meta.estimated_minutes,
            exam_pool: c.exam.as_ref().map_or(0, |e| e.pool.len()),
            exam_draw: c.exam.as_ref().map_or(0, |e| e.settings.draw),
            pass_mark: c.exam_pass_mark().percent(),
            validity_months: c.meta.validity_months,
            positions: c.meta.audience.positions.clone(),
            enforcement_only: c.meta.audience.enforcement_only,
            has_english: !c.translations.is_empty(),
        }
    }
}
