//! Coverage against programs (targets): the dashboard, the drill-down to officials not yet
//! covered, and one official's record. Scoped like `people`: an admin sees everything, a
//! manager their subtree (checked on the server, by the agency's materialised path).

use super::error::ApiError;
pub use crate::domain::coverage::OutreachLine;
use crate::domain::coverage::{Counts, Forecast, Rag, WeekPoint};
pub use crate::domain::program::ProgramDto;
pub use crate::domain::record::{CertificateDto, CourseStanding, PeriodDto, PersonRecord, ProgramStanding};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One agency of the dashboard, with its subtree's counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyCoverage {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub depth: usize,
    pub counts: Counts,
    pub percent: f64,
    pub rag: Rag,
    /// False for an agency closed or merged by the date (shown because it had officials).
    pub valid: bool,
}

/// The dashboard for one program, scope and date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageReport {
    pub programs: Vec<ProgramDto>,
    pub program: ProgramDto,
    pub as_of: NaiveDate,
    pub today: NaiveDate,
    /// The agency at the top of the view (the manager's subtree, or the program's root).
    pub scope_id: i64,
    pub scope_name: String,
    /// The letterhead the printed report carries: the scope agency's, or its nearest
    /// ancestor's; None when none is set (the report prints dots and says where to set one).
    pub letterhead: Option<super::letterhead::Issuing>,
    pub overall: Counts,
    pub percent: f64,
    pub rag: Rag,
    pub agencies: Vec<AgencyCoverage>,
    pub series: Vec<WeekPoint>,
    pub forecast: Option<Forecast>,
    pub outreach: Vec<OutreachLine>,
    /// When the program's rule was last changed, if that was after `as_of` (figures are always
    /// computed with the rule in force today; the page says so).
    pub rule_changed_after: Option<NaiveDate>,
    /// Of the covered officials, those holding a course of the program through an in-person
    /// class (the rest completed online or by import).
    pub covered_in_class: u64,
    /// Classes held in the scope up to `as_of`, for the printed report.
    pub classes: Vec<crate::domain::class::HeldClass>,
}

/// An official not yet covered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingPerson {
    pub id: i64,
    pub code: String,
    pub full_name: String,
    pub agency_name: String,
    pub position: String,
    /// Titles of the courses still missing.
    pub missing: Vec<String>,
}

/// An exempted official, with the reason and approver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExemptPerson {
    pub id: i64,
    pub code: String,
    pub full_name: String,
    pub agency_name: String,
    pub reason: String,
    pub approved_by: String,
}

/// The drill-down of one agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingPage {
    /// The date asked for, when it is not today: the people's records open at that date too.
    pub as_of: Option<NaiveDate>,
    pub agency_id: i64,
    pub agency_name: String,
    pub counts: Counts,
    pub missing: Vec<MissingPerson>,
    pub exempt: Vec<ExemptPerson>,
}

/// Reads the "as of" a view was asked for (`domain::coverage::AsOf`); empty = today.
pub fn parse_as_of(s: &str, today: NaiveDate) -> Result<NaiveDate, ApiError> {
    crate::domain::coverage::AsOf::parse(s, today)
        .map(|a| a.0)
        .map_err(|e| ApiError::Invalid(e.to_string()))
}

/// The dashboard: coverage of a program (default: the first) in the caller's scope, as of a
/// date (default: today), with the burn-up and forecast.
#[server(endpoint = "coverage")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "coverage"))
)]
pub async fn coverage_dashboard(program: Option<i64>, as_of: String) -> Result<CoverageReport, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::coverage;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let today = crate::ssr::clock::today();
    let as_of = parse_as_of(&as_of, today).map_err(guard::refuse)?;
    let programs = crate::ssr::coverage::outreach::programs(&state).await?;
    let Some(p) = coverage::find_program(&state.db, program).await? else {
        return Err(guard::refuse(ApiError::NotFound));
    };
    let snap = coverage::views::view(&state.db, &state.coverage_views, p.id, user.scope.as_ref(), as_of).await?;
    let outreach = crate::ssr::coverage::outreach::lines(&state, &snap.root).await?;
    let letterhead = crate::ssr::letterhead::effective(&state.db, &snap.root)
        .await?
        .map(|f| super::letterhead::Issuing {
            agency_id: f.agency_id,
            agency_name: f.agency_name,
            letterhead: f.letterhead,
        });
    let classes = crate::ssr::classes::held(&state, &snap.root.path, as_of).await?;
    let rule_changed_after = crate::ssr::programs::read::last_change(&state.db, snap.program.id)
        .await?
        .filter(|d| *d > as_of);
    let program = programs
        .iter()
        .find(|x| x.id == snap.program.id)
        .cloned()
        .ok_or(ApiError::NotFound)?;
    Ok(CoverageReport {
        programs,
        program,
        as_of,
        today,
        scope_id: snap.root.id,
        scope_name: snap.root.name.clone(),
        letterhead,
        overall: snap.overall,
        percent: snap.overall.percent(),
        rag: snap.overall_rag,
        agencies: snap
            .lines
            .iter()
            .map(|l| AgencyCoverage {
                id: l.agency.id,
                code: l.agency.code.clone(),
                name: l.agency.name.clone(),
                depth: l.depth,
                counts: l.counts,
                percent: l.counts.percent(),
                rag: l.rag,
                valid: l.valid,
            })
            .collect(),
        series: snap.series.clone(),
        forecast: snap.forecast.clone(),
        outreach,
        covered_in_class: snap.covered_in_class,
        classes,
        rule_changed_after,
    })
}

/// The officials of an agency subtree not yet covered on a date, and those exempted. Outside
/// the caller's scope: 403, whether or not the agency exists. Without an agency: the
/// caller's own unit when it has no sub-units (a team's manager lands on their people), else
/// nothing (`None`: the page asks to pick an agency).
#[server(endpoint = "coverage_missing")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "coverage_missing"))
)]
pub async fn coverage_missing(
    program: Option<i64>,
    agency_id: Option<i64>,
    as_of: String,
) -> Result<Option<MissingPage>, ApiError> {
    use crate::api::guard;
    use crate::domain::coverage::Status;
    use crate::domain::identity::Role;
    use crate::ssr::coverage;
    let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
    let agency_id = match (agency_id, &user.scope) {
        (Some(id), _) => id,
        (None, Some(scope))
            if crate::ssr::db::queries::agencies_in_scope(&state.db, Some(scope))
                .await?
                .len()
                == 1 =>
        {
            scope.agency_id
        }
        (None, _) => return Ok(None),
    };
    let agency = guard::agency_in_scope(&state, &user, agency_id).await?;
    let as_of = parse_as_of(&as_of, crate::ssr::clock::today()).map_err(guard::refuse)?;
    let Some(p) = coverage::find_program(&state.db, program).await? else {
        return Err(guard::refuse(ApiError::NotFound));
    };
    let scope = crate::ssr::auth::Scope {
        agency_id: agency.id,
        agency_name: agency.name.clone(),
        path: agency.path.clone(),
    };
    let titles = crate::ssr::content::titles(&state);
    let snap = coverage::snapshot(&state.db, p, Some(&scope), as_of, false).await?;
    let ids: Vec<i64> = snap.statuses.iter().map(|s| s.person_id).collect();
    let people = coverage::people_by_id(&state.db, &ids).await?;
    let names: std::collections::HashMap<i64, String> = snap
        .lines
        .iter()
        .map(|l| (l.agency.id, l.agency.name.clone()))
        .collect();
    // The exemption in force on the date (a later withdrawal does not change the past).
    let exemptions = coverage::exemptions_on(&state.db, snap.program.id, as_of).await?;
    let mut missing = vec![];
    let mut exempt = vec![];
    for s in &snap.statuses {
        let Some(person) = people.get(&s.person_id) else {
            continue;
        };
        let agency_name = names.get(&s.agency_id).cloned().unwrap_or_default();
        match &s.status {
            Status::Covered => {}
            Status::Exempt => {
                let e = exemptions.get(&s.person_id);
                exempt.push(ExemptPerson {
                    id: person.id,
                    code: person.code.clone(),
                    full_name: person.full_name.clone(),
                    agency_name,
                    reason: e.map(|e| e.reason.clone()).unwrap_or_default(),
                    approved_by: e.map(|e| e.approved_by.clone()).unwrap_or_default(),
                });
            }
            Status::Missing(ix) => missing.push(MissingPerson {
                id: person.id,
                code: person.code.clone(),
                full_name: person.full_name.clone(),
                agency_name,
                position: person.position.clone(),
                missing: ix
                    .iter()
                    .map(|i| {
                        let c = &snap.rule.courses[*i];
                        titles.get(c).cloned().unwrap_or_else(|| c.clone())
                    })
                    .collect(),
            }),
        }
    }
    missing.sort_by(|a, b| (&a.agency_name, &a.full_name).cmp(&(&b.agency_name, &b.full_name)));
    Ok(Some(MissingPage {
        as_of: (as_of != crate::ssr::clock::today()).then_some(as_of),
        agency_id: agency.id,
        agency_name: agency.name,
        counts: snap.overall,
        missing,
        exempt,
    }))
}

/// One official's training record: programs, courses, certificates, agency history — today, or
/// as it stood at the end of `as_of` (the dashboard's date). Visible to an admin, a manager whose subtree holds the official's current agency, and the official.
#[server(endpoint = "person_record")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "person_record"))
)]
pub async fn get_person_record(id: i64, as_of: Option<String>) -> Result<PersonRecord, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    use crate::ssr::people_record;
    let (state, user) = guard::require(&Role::ALL).await?;
    let today = crate::ssr::clock::today();
    // A record has no future: a later date shows today's standing.
    let on = parse_as_of(as_of.as_deref().unwrap_or_default(), today)
        .map_err(guard::refuse)?
        .min(today);
    match people_record::load(&state, &user, id, on).await? {
        Some(r) => Ok(r),
        None => Err(guard::refuse(ApiError::Forbidden)),
    }
}

/// What is wrong with an outreach form, each with a stable code (the form's answer names it in
/// the page's address) and the words that say how to correct it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutreachProblem {
    Kind,
    Date,
    Title,
    Reached,
    Population,
    Source,
}

impl OutreachProblem {
    const ALL: [OutreachProblem; 6] = [
        OutreachProblem::Kind,
        OutreachProblem::Date,
        OutreachProblem::Title,
        OutreachProblem::Reached,
        OutreachProblem::Population,
        OutreachProblem::Source,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OutreachProblem::Kind => "kind",
            OutreachProblem::Date => "date",
            OutreachProblem::Title => "title",
            OutreachProblem::Reached => "reached",
            OutreachProblem::Population => "population",
            OutreachProblem::Source => "source",
        }
    }

    pub fn from_code(code: &str) -> Option<OutreachProblem> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn message(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::T;
        match self {
            OutreachProblem::Kind => T::OutreachKindProblem.get(lang),
            OutreachProblem::Date => T::OutreachDateProblem.get(lang),
            OutreachProblem::Title => T::OutreachTitleProblem.get(lang),
            OutreachProblem::Reached => T::OutreachReachedProblem.get(lang),
            OutreachProblem::Population => T::OutreachPopulationProblem.get(lang),
            OutreachProblem::Source => T::OutreachSourceProblem.get(lang),
        }
    }
}

/// Why an outreach form was refused.
#[cfg(feature = "ssr")]
enum Refused {
    Problem(OutreachProblem),
    Api(ApiError),
}

#[cfg(feature = "ssr")]
impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused::Api(e)
    }
}

/// The outreach forms are plain form posts (the coverage page has no island): the browser is
/// sent back to the dashboard it came from (`Referer`, our own `/coverage` only), which says what
/// happened — `outreach=record.saved`, or the problem's code (`outreach=record.title`) with
/// every field as typed (`o.title=…`), so nothing typed is lost. Calls from scripts (JSON, no
/// `Accept: text/html`) get the result as it is.
#[cfg(feature = "ssr")]
fn answer_form(form: &str, result: Result<(), Refused>, typed: &[(&str, &str)]) -> Result<(), ApiError> {
    use http::header::{ACCEPT, HOST, REFERER};
    // The status of a refusal first: a redirect below replaces it for a browser's form.
    let code = match &result {
        Ok(()) => "saved",
        Err(Refused::Problem(p)) => p.code(),
        Err(Refused::Api(ApiError::Forbidden)) => "forbidden",
        Err(Refused::Api(_)) => "error",
    };
    let result = result.map_err(|r| match r {
        Refused::Problem(p) => crate::api::guard::refuse(ApiError::Invalid(p.message(crate::i18n::Lang::Vi).into())),
        Refused::Api(e) => e,
    });
    let Some(parts) = use_context::<http::request::Parts>() else {
        return result;
    };
    let header = |h| parts.headers.get(h).and_then(|v: &http::HeaderValue| v.to_str().ok());
    if !header(ACCEPT).is_some_and(|a| a.contains("text/html")) {
        return result;
    }
    // Only the query of our own dashboard's address: never somewhere else.
    let host = header(HOST);
    let back: Vec<(String, String)> = header(REFERER)
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| {
            let at = u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            });
            u.path() == "/coverage" && at.is_some() && at.as_deref() == host
        })
        .map(|u| {
            u.query_pairs()
                .filter(|(k, _)| k != "outreach" && !k.starts_with("o."))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &back {
        q.append_pair(k, v);
    }
    q.append_pair("outreach", &format!("{form}.{code}"));
    if result.is_err() {
        for (k, v) in typed {
            q.append_pair(&format!("o.{k}"), v);
        }
    }
    leptos_axum::redirect(&format!("/coverage?{}#outreach", q.finish()));
    result
}

/// The outreach checks both forms share: the agency is in the caller's scope and the kind is
/// one of the two audiences.
#[cfg(feature = "ssr")]
async fn outreach_target(
    state: &crate::ssr::state::AppState,
    user: &crate::ssr::auth::AuthUser,
    agency_id: i64,
    kind: &str,
) -> Result<(), Refused> {
    use crate::api::guard;
    guard::agency_in_scope(state, user, agency_id).await?;
    if kind != "sellers" && kind != "consumers" {
        return Err(Refused::Problem(OutreachProblem::Kind));
    }
    Ok(())
}

/// Records an outreach event (a session for sellers on platforms, or a consumer campaign) for
/// an agency in the caller's scope.
#[server(endpoint = "record_outreach")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "record_outreach"))
)]
pub async fn record_outreach(
    agency_id: i64,
    held_on: String,
    kind: String,
    title: String,
    reached: i64,
) -> Result<(), ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (agency, reached_typed) = (agency_id.to_string(), reached.to_string());
    let typed = [
        ("agency", agency.as_str()),
        ("date", held_on.as_str()),
        ("kind", kind.as_str()),
        ("title", title.as_str()),
        ("reached", reached_typed.as_str()),
    ];
    let result: Result<(), Refused> = async {
        let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
        outreach_target(&state, &user, agency_id, &kind).await?;
        let today = crate::ssr::clock::today();
        let held_on = NaiveDate::parse_from_str(held_on.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| *d <= today)
            .ok_or(Refused::Problem(OutreachProblem::Date))?;
        let title = title.trim().to_string();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(Refused::Problem(OutreachProblem::Title));
        }
        if !(0..=10_000_000).contains(&reached) {
            return Err(Refused::Problem(OutreachProblem::Reached));
        }
        crate::ssr::coverage::outreach::record(&state.db, agency_id, held_on, kind.clone(), title, reached)
            .await
            .map_err(ApiError::from)?;
        Ok(())
    }
    .await;
    answer_form("record", result, &typed)
}

/// Sets the known number of businesses (`sellers`) or consumers of an agency's area, the
/// denominator outreach is shown against (replaces the previous figure; `source` says where it
/// comes from, e.g. "Sở Công Thương, 10/2026").
#[server(endpoint = "set_outreach_population")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "set_outreach_population"))
)]
pub async fn set_outreach_population(
    agency_id: i64,
    kind: String,
    population: i64,
    source: String,
) -> Result<(), ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let (agency, population_typed) = (agency_id.to_string(), population.to_string());
    let typed = [
        ("agency", agency.as_str()),
        ("kind", kind.as_str()),
        ("population", population_typed.as_str()),
        ("source", source.as_str()),
    ];
    let result: Result<(), Refused> = async {
        let (state, user) = guard::require(&[Role::Manager, Role::Admin]).await?;
        outreach_target(&state, &user, agency_id, &kind).await?;
        if !(1..=100_000_000).contains(&population) {
            return Err(Refused::Problem(OutreachProblem::Population));
        }
        let source = source.trim().to_string();
        if source.is_empty() || source.chars().count() > 200 {
            return Err(Refused::Problem(OutreachProblem::Source));
        }
        crate::ssr::coverage::outreach::set_population(&state.db, agency_id, kind.clone(), population, source)
            .await
            .map_err(ApiError::from)?;
        Ok(())
    }
    .await;
    answer_form("population", result, &typed)
}
