//! Delta recertification: what an official owes after a substantive change of a course they are
//! certified in, and, for those who open them (the admin, a trainer of the course for everyone;
//! a manager for their subtree), each substantive publish with whom it reaches, the
//! recertifications opened and how many are certified on the current version.

use super::error::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A lesson a recertification asks to be read again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RereadLesson {
    pub number: u32,
    pub title: String,
    pub href: String,
    /// Read in its current version.
    pub done: bool,
}

/// A recertification I owe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwedRecert {
    pub id: i64,
    pub course_id: String,
    pub course_title: String,
    /// Why the course changed (the publish's reason).
    pub reason: String,
    /// `dd/mm/yyyy`.
    pub deadline: String,
    pub overdue: bool,
    pub lessons: Vec<RereadLesson>,
    /// Questions in the short exam.
    pub draw: u32,
}

/// `dd/mm/yyyy`.
#[cfg(feature = "ssr")]
fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The recertifications I owe, newest first (none for an account with no official).
#[server(endpoint = "my_recertifications")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "my_recertifications"))
)]
pub async fn my_recertifications() -> Result<Vec<OwedRecert>, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::recert;
    let lang = crate::i18n::request_lang();
    let (state, user) = guard::require(&Role::ALL).await?;
    let Some(pid) = user.person_id else { return Ok(vec![]) };
    let loaded = state.content.get();
    let today = crate::ssr::clock::today();
    let mut out = Vec::new();
    for r in recert::owed(&state.db, pid).await? {
        // One per course: the newest (passing it settles the others).
        if out.iter().any(|o: &OwedRecert| o.course_id == r.course_id) {
            continue;
        }
        let Some(c) = loaded.library.course(&r.course_id) else {
            continue;
        };
        let read = recert::lessons_read(&state.db, pid, &r.course_id).await?;
        let files = r.lesson_files()?;
        let unread = crate::domain::recert::lessons_unread(&files, c, &read);
        let numbers = crate::domain::recert::lesson_numbers(&files, c);
        let lessons = numbers
            .iter()
            .filter_map(|n| {
                let l = c.lesson_in(*n, lang)?;
                Some(RereadLesson {
                    number: *n,
                    title: l.page.title.clone(),
                    href: format!("/courses/{}/lessons/{n}", r.course_id),
                    done: !unread.contains(n),
                })
            })
            .collect();
        out.push(OwedRecert {
            id: r.id,
            course_id: r.course_id.clone(),
            course_title: c.title_in(lang).to_string(),
            reason: r.reason.clone(),
            deadline: day(r.deadline),
            overdue: r.deadline < today,
            lessons,
            draw: u32::try_from(r.draw).unwrap_or(1),
        });
    }
    Ok(out)
}

/// An official a change reaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reached {
    pub code: String,
    pub name: String,
}

/// A recertification opened after a publish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecertLine {
    pub id: i64,
    /// `dd/mm/yyyy`.
    pub deadline: String,
    pub overdue: bool,
    /// Officials it reaches in my scope, and how many of them passed.
    pub total: usize,
    pub done: usize,
}

/// A substantive publish as the retraining page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrainItem {
    pub publish_id: i64,
    pub course_id: String,
    pub course_title: String,
    pub reason: String,
    /// Local date and time.
    pub at: String,
    /// The lessons to reread (titles).
    pub lessons: Vec<String>,
    /// Exam questions the short exam draws from.
    pub questions: usize,
    /// Certified on an earlier version, in my scope, not yet reached by a recertification (the
    /// first 200).
    pub waiting: Vec<Reached>,
    pub waiting_total: usize,
    pub recerts: Vec<RecertLine>,
    /// For the newest substantive publish of a course: officials in my scope holding a valid
    /// certificate, and how many of them earned it on this version or later.
    pub current: Option<(usize, usize)>,
    /// Whether I may open one: everyone it reaches (false: my subtree).
    pub everyone: bool,
    /// The newest substantive publish of its course (only that one is opened).
    pub newest: bool,
}

/// `/retraining`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrainingPage {
    pub items: Vec<RetrainItem>,
    /// `yyyy-mm-dd`, 30 days from today: the form's suggested deadline.
    pub suggested_deadline: String,
    /// `yyyy-mm-dd`: no deadline before it.
    pub today: String,
    pub default_draw: u32,
}

/// The substantive publishes I may open a recertification after (newest 20), each with whom it
/// reaches in my scope and the recertifications opened.
#[server(endpoint = "retraining")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "retraining"))
)]
pub async fn load_retraining() -> Result<RetrainingPage, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::recert;
    let lang = crate::i18n::request_lang();
    let (state, user) = guard::require(&[Role::Trainer, Role::Manager, Role::Admin]).await?;
    let loaded = state.content.get();
    let today = crate::ssr::clock::today();
    let mut items = Vec::new();
    let mut newest_seen = std::collections::HashSet::new();
    for p in recert::substantive_publishes(&state.db, 20).await? {
        let Some(scope) = recert::opener_scope(&user, &p.course_id) else {
            continue;
        };
        let c = loaded.library.course(&p.course_id);
        // Only the newest substantive publish of a course is opened: it asks for what it and
        // the ones before it changed since those it reaches were certified.
        let newest = newest_seen.insert(p.course_id.clone());
        let waiting = match newest {
            true => recert::not_yet_reached(&state.db, &p, scope).await?,
            false => vec![],
        };
        let since = waiting.iter().map(|a| a.certified_at).min();
        let what = recert::changes_since(&state.db, &p, since).await?;
        let plan = c.and_then(|c| crate::domain::recert::plan(c, &what, crate::domain::recert::MAX_DRAW).ok());
        let lessons = match (c, &plan) {
            (Some(c), Some(plan)) => crate::domain::recert::lesson_numbers(&plan.lessons, c)
                .into_iter()
                .filter_map(|n| c.lesson_in(n, lang).map(|l| l.page.title.clone()))
                .collect(),
            _ => vec![],
        };
        let recerts = recert::progress(&state.db, p.id, scope)
            .await?
            .into_iter()
            .map(|x| RecertLine {
                id: x.recert.id,
                deadline: day(x.recert.deadline),
                overdue: x.recert.deadline < today && x.done < x.total,
                total: x.total,
                done: x.done,
            })
            .collect();
        let current = match newest {
            true => Some(recert::current_version(&state.db, &p.course_id, p.published_at, scope).await?),
            false => None,
        };
        items.push(RetrainItem {
            publish_id: p.id,
            course_id: p.course_id.clone(),
            course_title: c.map_or_else(|| p.course_id.clone(), |c| c.title_in(lang).to_string()),
            reason: p.reason.clone(),
            at: crate::ssr::clock::format_local(p.published_at),
            lessons,
            questions: plan.as_ref().map_or(0, |p| p.questions.len()),
            waiting_total: waiting.len(),
            waiting: waiting
                .into_iter()
                .take(200)
                .map(|a| Reached {
                    code: a.code,
                    name: a.name,
                })
                .collect(),
            recerts,
            current,
            everyone: scope.is_none(),
            newest,
        });
    }
    Ok(RetrainingPage {
        items,
        suggested_deadline: (today + chrono::Duration::days(30)).format("%Y-%m-%d").to_string(),
        today: today.format("%Y-%m-%d").to_string(),
        default_draw: crate::domain::recert::DEFAULT_DRAW,
    })
}
