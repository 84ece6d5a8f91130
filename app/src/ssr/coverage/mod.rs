//! Coverage on the server: loading a program's facts from the database into the pure
//! `domain::coverage` model, computing a scoped snapshot (used by the dashboard, the drill-down,
//! the exports and the report page), and keeping `course_credits` current.
//!
//! ## Scale
//! Coverage never scans `completions`. Every completion updates `course_credits` (the first
//! completion per official × course) in the same transaction, through [`on_completion`]; the
//! dashboard reads at most officials × required courses credit rows plus the (fewer)
//! certificates, then evaluates in memory (`make bench` times 100k officials × 1M completions).
//! [`rebuild_credits`] recomputes the table from scratch (tests compare the two).

pub mod export;
pub mod outreach;
pub mod views;

use super::db::entities::{
    agency, certificate, completion, content_publish, course_credit, exemption, membership, person, program,
};
use crate::domain::coverage::{
    self as cov, Counts, CourseRule, Facts, Metric, PersonStatus, ProgramRule, Rag, WeekPoint,
};
use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::HashMap;

/// Weeks shown in the burn-up.
pub const BURNUP_WEEKS: u32 = 20;

/// Rows read per query when loading a scope's facts. A driver holds every row of a result in
/// memory next to the values converted from it; reading in pieces (by key, each piece after the
/// last) keeps that to one piece. At 100k officials one whole-country view held ~250 MB at its
/// peak when read at once (`make bench`, `BENCH_NATIONAL=1`).
const CHUNK: u64 = 20_000;

/// Keeps `course_credits` current: call in the same transaction that inserts `completion`.
/// Idempotent; keeps the earliest completion date.
pub async fn on_completion(tx: &impl ConnectionTrait, completion: &completion::Model) -> Result<(), DbErr> {
    tx.execute(credit(completion.person_id, &completion.course_id, completion.completed_at).as_query())
        .await?;
    Ok(())
}

/// The statement that inserts or lowers one credit ([`on_completion`]; `completions` puts it
/// in its batch).
pub fn credit(
    person_id: i64,
    course_id: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> sea_orm::Insert<course_credit::ActiveModel> {
    use sea_orm::ActiveValue::Set;
    course_credit::Entity::insert(course_credit::ActiveModel {
        person_id: Set(person_id),
        course_id: Set(course_id.to_string()),
        first_completed_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([course_credit::Column::PersonId, course_credit::Column::CourseId])
            .value(
                course_credit::Column::FirstCompletedAt,
                Expr::cust(
                    "CASE WHEN excluded.first_completed_at < course_credits.first_completed_at \
                     THEN excluded.first_completed_at ELSE course_credits.first_completed_at END",
                ),
            )
            .to_owned(),
    )
}

/// Recomputes `course_credits` from every completion (repair, and the test oracle).
pub async fn rebuild_credits(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    db.execute_unprepared("DELETE FROM course_credits").await?;
    let r = db
        .execute_unprepared(
            "INSERT INTO course_credits (person_id, course_id, first_completed_at) \
             SELECT person_id, course_id, MIN(completed_at) FROM completions GROUP BY person_id, course_id",
        )
        .await?;
    Ok(r.rows_affected())
}

/// The course credits that differ from a recompute from every completion (empty: they agree).
pub async fn credits_disagree(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(FromQueryResult)]
    struct Row {
        person_id: i64,
        course_id: String,
        first: chrono::DateTime<chrono::Utc>,
    }
    let backend = db.get_database_backend();
    let read = |sql: &str| Row::find_by_statement(Statement::from_string(backend, sql.to_string())).all(db);
    let stored = read("SELECT person_id, course_id, first_completed_at AS first FROM course_credits").await?;
    let fresh =
        read("SELECT person_id, course_id, MIN(completed_at) AS first FROM completions GROUP BY person_id, course_id")
            .await?;
    let key = |r: &Row| (r.person_id, r.course_id.clone());
    let stored: std::collections::HashMap<_, _> = stored.iter().map(|r| (key(r), r.first)).collect();
    let fresh: std::collections::HashMap<_, _> = fresh.iter().map(|r| (key(r), r.first)).collect();
    let mut out = Vec::new();
    for (k, at) in &fresh {
        match stored.get(k) {
            None => out.push(format!("official {} course {}: credit missing", k.0, k.1)),
            Some(s) if s.timestamp() != at.timestamp() => out.push(format!(
                "official {} course {}: credit dated {s}, completions say {at}",
                k.0, k.1
            )),
            Some(_) => {}
        }
    }
    for k in stored.keys().filter(|k| !fresh.contains_key(*k)) {
        out.push(format!("official {} course {}: credit without a completion", k.0, k.1));
    }
    out.sort();
    Ok(out)
}

/// A program's rule from its row (unknown rule/metric strings fall back to the strict reading).
pub fn rule_of(p: &program::Model) -> Result<ProgramRule, super::db::entities::CorruptRow> {
    Ok(ProgramRule {
        root_agency_id: p.root_agency_id,
        positions: p.position_list()?,
        enforcement_only: p.enforcement_only,
        courses: p.course_list()?,
        rule: CourseRule::parse(&p.course_rule).unwrap_or(CourseRule::All),
        threshold_percent: p.threshold_percent.clamp(0, 100) as u32,
        deadline: p.deadline,
        metric: Metric::parse(&p.metric).unwrap_or(Metric::ValidAtDeadline),
    })
}

/// When each of `courses` was published with a substantive change (a law change), oldest first:
/// a certificate earned before one of these is not on the current version.
async fn substantive_publishes(
    db: &impl ConnectionTrait,
    courses: &[String],
) -> Result<HashMap<String, Vec<chrono::DateTime<chrono::Utc>>>, DbErr> {
    let rows: Vec<(String, chrono::DateTime<chrono::Utc>)> = content_publish::Entity::find()
        .select_only()
        .column(content_publish::Column::CourseId)
        .column(content_publish::Column::PublishedAt)
        .filter(content_publish::Column::Kind.eq("substantive"))
        .filter(content_publish::Column::CourseId.is_in(courses.to_vec()))
        .order_by_asc(content_publish::Column::PublishedAt)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<String, Vec<_>> = HashMap::new();
    for (course, at) in rows {
        out.entry(course).or_default().push(at);
    }
    Ok(out)
}

/// Loads everything coverage reads for a program.
pub async fn load_facts(db: &impl ConnectionTrait, rule: &ProgramRule, program_id: i64) -> Result<Facts, DbErr> {
    load_facts_for(db, rule, program_id, None).await
}

/// Like [`load_facts`], limited to one official when `person` is given (their record page).
pub async fn load_facts_for(
    db: &impl ConnectionTrait,
    rule: &ProgramRule,
    program_id: i64,
    person: Option<i64>,
) -> Result<Facts, DbErr> {
    let one = person.map(|p| [p]);
    load_facts_within(db, rule, program_id, one.as_ref().map(|p| p.as_slice()), None).await
}

/// Like [`load_facts`], limited to `people` when given, and to the officials who ever belonged to an agency of the
/// subtree at `subtree_path` (`/1/4/`) when it is given: a team's or a province's coverage
/// reads only its own officials' rows, at any date, since anyone counted in the subtree on a
/// date has a membership period there (the agencies stay whole, for the tree).
pub async fn load_facts_within(
    db: &impl ConnectionTrait,
    rule: &ProgramRule,
    program_id: i64,
    people: Option<&[i64]>,
    subtree_path: Option<&str>,
) -> Result<Facts, DbErr> {
    load_facts_in_pieces(db, rule, program_id, people, subtree_path, CHUNK).await
}

/// Like [`load_facts_within`] with no list of people, limited to the officials whose ids are in
/// `ids`: a view computed from every official reads them a range at a time, so that it never
/// holds the whole country's certificates at once (docs/PERFORMANCE.md).
pub async fn load_facts_between(
    db: &impl ConnectionTrait,
    rule: &ProgramRule,
    program_id: i64,
    ids: std::ops::Range<i64>,
    subtree_path: Option<&str>,
) -> Result<Facts, DbErr> {
    load(db, rule, program_id, None, Some(ids), subtree_path, CHUNK).await
}

/// [`load_facts_within`], reading memberships, credits and certificates `chunk` rows per query
/// (tests read in small pieces and compare with one piece).
pub async fn load_facts_in_pieces(
    db: &impl ConnectionTrait,
    rule: &ProgramRule,
    program_id: i64,
    people: Option<&[i64]>,
    subtree_path: Option<&str>,
    chunk: u64,
) -> Result<Facts, DbErr> {
    load(db, rule, program_id, people, None, subtree_path, chunk).await
}

/// The facts of `people` (every official when `None`) whose ids are in `ids` (any when `None`),
/// of the subtree's officials when `subtree_path` is given, `chunk` rows per query.
async fn load(
    db: &impl ConnectionTrait,
    rule: &ProgramRule,
    program_id: i64,
    people: Option<&[i64]>,
    ids: Option<std::ops::Range<i64>>,
    subtree_path: Option<&str>,
    chunk: u64,
) -> Result<Facts, DbErr> {
    use sea_orm::sea_query::Query;
    let subtree_agencies = subtree_path.map(|path| {
        Query::select()
            .column(agency::Column::Id)
            .from(agency::Entity)
            .and_where(agency::Column::Path.starts_with(path))
            .to_owned()
    });
    let subtree_people = subtree_agencies.clone().map(|agencies| {
        Query::select()
            .column(membership::Column::PersonId)
            .from(membership::Entity)
            .and_where(membership::Column::AgencyId.in_subquery(agencies))
            .to_owned()
    });
    let agencies = agency::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| cov::Agency {
            id: a.id,
            parent_id: a.parent_id,
            valid_from: a.valid_from,
            valid_to: a.valid_to,
        })
        .collect();
    let mut memberships = Vec::new();
    let mut after = i64::MIN;
    loop {
        let mut mq = membership::Entity::find().filter(membership::Column::Id.gt(after));
        if let Some(ids) = people {
            mq = mq.filter(membership::Column::PersonId.is_in(ids.iter().copied()));
        }
        if let Some(r) = ids.clone() {
            mq = mq
                .filter(membership::Column::PersonId.gte(r.start))
                .filter(membership::Column::PersonId.lt(r.end));
        }
        if let Some(q) = subtree_people.clone() {
            mq = mq.filter(membership::Column::PersonId.in_subquery(q));
        }
        let rows = mq.order_by_asc(membership::Column::Id).limit(chunk).all(db).await?;
        let full = rows.len() as u64 == chunk;
        after = rows.last().map_or(after, |m| m.id);
        memberships.extend(rows.into_iter().map(|m| cov::Membership {
            person_id: m.person_id,
            agency_id: m.agency_id,
            position: m.position,
            enforcement: m.enforcement,
            valid_from: m.valid_from,
            valid_to: m.valid_to,
        }));
        if !full {
            break;
        }
    }
    let courses = rule.courses.clone();
    let mut credits = Vec::new();
    if rule.metric == Metric::EverCompleted {
        // By the primary key (person, course), each piece after the last one's key.
        let mut after: Option<(i64, String)> = None;
        loop {
            let rows = course_credit::Entity::find()
                .filter(course_credit::Column::CourseId.is_in(courses.clone()))
                .apply_if(after.clone(), |q, (p, c)| {
                    q.filter(
                        sea_orm::Condition::any()
                            .add(course_credit::Column::PersonId.gt(p))
                            .add(
                                sea_orm::Condition::all()
                                    .add(course_credit::Column::PersonId.eq(p))
                                    .add(course_credit::Column::CourseId.gt(c)),
                            ),
                    )
                })
                .apply_if(people, |q, ids| {
                    q.filter(course_credit::Column::PersonId.is_in(ids.iter().copied()))
                })
                .apply_if(ids.clone(), |q, r| {
                    q.filter(course_credit::Column::PersonId.gte(r.start))
                        .filter(course_credit::Column::PersonId.lt(r.end))
                })
                .apply_if(subtree_people.clone(), |q, sub| {
                    q.filter(course_credit::Column::PersonId.in_subquery(sub))
                })
                .order_by_asc(course_credit::Column::PersonId)
                .order_by_asc(course_credit::Column::CourseId)
                .limit(chunk)
                .all(db)
                .await?;
            let full = rows.len() as u64 == chunk;
            after = rows.last().map(|c| (c.person_id, c.course_id.clone())).or(after);
            credits.extend(rows.into_iter().map(|c| cov::Credit {
                person_id: c.person_id,
                course_id: c.course_id,
                completed_on: crate::ssr::clock::date_of(c.first_completed_at),
            }));
            if !full {
                break;
            }
        }
    }
    // Only the columns coverage reads, and only certificates still valid at the deadline (the
    // domain would drop the others): at national scale this is most of the dashboard's time.
    let certificates = match rule.metric {
        Metric::ValidAtDeadline | Metric::CurrentVersion => {
            let replaced = if rule.metric == Metric::CurrentVersion {
                substantive_publishes(db, &courses).await?
            } else {
                HashMap::new()
            };
            type Row = (
                i64,
                i64,
                String,
                chrono::DateTime<chrono::Utc>,
                Option<NaiveDate>,
                Option<chrono::DateTime<chrono::Utc>>,
                Option<chrono::DateTime<chrono::Utc>>,
            );
            let mut out = Vec::new();
            let mut after = i64::MIN;
            loop {
                let rows: Vec<Row> = certificate::Entity::find()
                    .select_only()
                    .column(certificate::Column::Id)
                    .column(certificate::Column::PersonId)
                    .column(certificate::Column::CourseId)
                    .column(certificate::Column::IssuedAt)
                    .column(certificate::Column::ValidUntil)
                    .column(certificate::Column::RevokedAt)
                    .column(certificate::Column::VersionAt)
                    .filter(certificate::Column::Id.gt(after))
                    .filter(certificate::Column::CourseId.is_in(courses.clone()))
                    .filter(
                        sea_orm::Condition::any()
                            .add(certificate::Column::ValidUntil.is_null())
                            .add(certificate::Column::ValidUntil.gte(rule.deadline)),
                    )
                    .apply_if(people, |q, ids| {
                        q.filter(certificate::Column::PersonId.is_in(ids.iter().copied()))
                    })
                    .apply_if(ids.clone(), |q, r| {
                        q.filter(certificate::Column::PersonId.gte(r.start))
                            .filter(certificate::Column::PersonId.lt(r.end))
                    })
                    .apply_if(subtree_people.clone(), |q, sub| {
                        q.filter(certificate::Column::PersonId.in_subquery(sub))
                    })
                    .order_by_asc(certificate::Column::Id)
                    .limit(chunk)
                    .into_tuple()
                    .all(db)
                    .await?;
                let full = rows.len() as u64 == chunk;
                after = rows.last().map_or(after, |r| r.0);
                out.extend(rows.into_iter().map(
                    |(_, person_id, course_id, issued, valid_until, revoked, version_at)| {
                        cov::Certificate {
                            // The first substantive publish after the version it was earned
                            // on (`certificate::Model::earned_on_version_at`).
                            superseded_on: replaced
                                .get(&course_id)
                                .and_then(|at| {
                                    let earned_on = certificate::earned_on(issued, version_at);
                                    at.get(at.partition_point(|p| *p <= earned_on))
                                })
                                .map(|p| crate::ssr::clock::date_of(*p)),
                            person_id,
                            course_id,
                            issued_on: crate::ssr::clock::date_of(issued),
                            valid_until,
                            revoked_on: revoked.map(crate::ssr::clock::date_of),
                        }
                    },
                ));
                if !full {
                    break;
                }
            }
            out
        }
        Metric::EverCompleted => vec![],
    };
    let exemptions = exemption::Entity::find()
        .filter(exemption::Column::ProgramId.eq(program_id))
        .apply_if(people, |q, ids| {
            q.filter(exemption::Column::PersonId.is_in(ids.iter().copied()))
        })
        .apply_if(ids, |q, r| {
            q.filter(exemption::Column::PersonId.gte(r.start))
                .filter(exemption::Column::PersonId.lt(r.end))
        })
        .apply_if(subtree_people, |q, sub| {
            q.filter(exemption::Column::PersonId.in_subquery(sub))
        })
        .all(db)
        .await?
        .into_iter()
        .map(|e| cov::Exemption {
            person_id: e.person_id,
            since: crate::ssr::clock::date_of(e.created_at),
            until: e.withdrawn_at.map(crate::ssr::clock::date_of),
        })
        .collect();
    Ok(Facts {
        agencies,
        memberships,
        credits,
        certificates,
        exemptions,
    })
}

/// One agency's line in a snapshot.
#[derive(Debug, Clone)]
pub struct AgencyLine {
    pub agency: agency::Model,
    pub depth: usize,
    pub counts: Counts,
    pub rag: Rag,
    pub valid: bool,
}

/// Coverage of one program within one scope on one date: what every view shows.
pub struct Snapshot {
    pub program: program::Model,
    pub rule: ProgramRule,
    pub facts: Facts,
    pub as_of: NaiveDate,
    /// The scope's root agency (the manager's agency, or the program root for an admin).
    pub root: agency::Model,
    /// Agencies of the scope, parents first, with subtree counts (agencies that did not exist
    /// on the date and had nobody are left out).
    pub lines: Vec<AgencyLine>,
    pub overall: Counts,
    pub overall_rag: Rag,
    pub series: Vec<WeekPoint>,
    pub forecast: Option<cov::Forecast>,
    /// The population inside the scope with statuses.
    pub statuses: Vec<PersonStatus>,
}

/// Computes a snapshot. `scope_path`: the caller's subtree (None = everything, for an admin,
/// who then sees the program's root).
pub async fn snapshot(
    db: &impl ConnectionTrait,
    program: program::Model,
    scope: Option<&super::auth::Scope>,
    as_of: NaiveDate,
    with_series: bool,
) -> Result<Snapshot, DbErr> {
    let rule = rule_of(&program)?;
    let root_id = scope.map(|s| s.agency_id).unwrap_or(program.root_agency_id);
    let root = crate::ssr::db::by_key::<agency::Entity>(db, root_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("scope agency".into()))?;
    let in_scope = super::db::queries::agencies_in_scope(
        db,
        Some(&super::auth::Scope {
            agency_id: root.id,
            agency_name: root.name.clone(),
            path: root.path.clone(),
        }),
    )
    .await?;
    let in_scope = tree_order(in_scope);
    // A top-level root holds everyone: no filter (it would only cost a subquery).
    let subtree = root.parent_id.is_some().then_some(root.path.as_str());
    let facts = load_facts_within(db, &rule, program.id, None, subtree).await?;
    let ix = cov::Index::new(&rule, &facts);
    let all = ix.evaluate(as_of);
    let roll = ix.rollup(&all);
    let before = ix.rollup(&ix.evaluate(as_of - Duration::days(7 * cov::TRAILING_WEEKS as i64)));
    let lines = lines_of(in_scope, &root, as_of, &rule, &roll, &before);
    let series = if with_series {
        ix.burnup(root.id, as_of, BURNUP_WEEKS)
    } else {
        vec![]
    };
    let (overall, forecast, overall_rag) = summary(&rule, root.id, as_of, &roll, &before, &series, with_series);
    let statuses: Vec<PersonStatus> = all
        .into_iter()
        .filter(|s| ix.ancestors(s.agency_id).any(|a| a == root.id))
        .collect();
    drop(ix);
    Ok(Snapshot {
        overall_rag,
        program,
        rule,
        facts,
        as_of,
        root,
        lines,
        overall,
        series,
        forecast,
        statuses,
    })
}

/// The scope's agency lines, parents first: subtree counts on `as_of` (`now`) with RAG and pace
/// against the counts four weeks before (`before`). Agencies that did not exist on the date and
/// had nobody are left out.
pub fn lines_of(
    in_scope: Vec<agency::Model>,
    root: &agency::Model,
    as_of: NaiveDate,
    rule: &ProgramRule,
    now: &HashMap<i64, Counts>,
    before: &HashMap<i64, Counts>,
) -> Vec<AgencyLine> {
    let base_depth = root.path.matches('/').count();
    in_scope
        .into_iter()
        .filter_map(|a| {
            let counts = now.get(&a.id).copied().unwrap_or_default();
            let valid = cov::agency_valid_on(
                &cov::Agency {
                    id: a.id,
                    parent_id: a.parent_id,
                    valid_from: a.valid_from,
                    valid_to: a.valid_to,
                },
                as_of,
            );
            if !valid && counts.population == 0 {
                return None;
            }
            let then = before.get(&a.id).copied().unwrap_or_default();
            let on_pace = pace(then, counts, as_of, rule);
            Some(AgencyLine {
                depth: a.path.matches('/').count().saturating_sub(base_depth),
                rag: cov::rag(&counts, rule.threshold_percent, on_pace),
                counts,
                valid,
                agency: a,
            })
        })
        .collect()
}

/// The scope's overall counts, forecast (from the burn-up `series`, when computed) and RAG.
pub fn summary(
    rule: &ProgramRule,
    root_id: i64,
    as_of: NaiveDate,
    now: &HashMap<i64, Counts>,
    before: &HashMap<i64, Counts>,
    series: &[WeekPoint],
    with_series: bool,
) -> (Counts, Option<cov::Forecast>, Rag) {
    let overall = now.get(&root_id).copied().unwrap_or_default();
    let forecast = if with_series {
        cov::forecast(series, rule.threshold_percent, rule.deadline)
    } else {
        None
    };
    let on_pace = forecast
        .as_ref()
        .map(|f| f.on_pace)
        .unwrap_or_else(|| pace(before.get(&root_id).copied().unwrap_or_default(), overall, as_of, rule));
    (overall, forecast, cov::rag(&overall, rule.threshold_percent, on_pace))
}

fn pace(then: Counts, now: Counts, as_of: NaiveDate, rule: &ProgramRule) -> bool {
    let pts = [
        WeekPoint {
            date: as_of - Duration::days(7 * cov::TRAILING_WEEKS as i64),
            covered: then.covered,
            base: then.base(),
        },
        WeekPoint {
            date: as_of,
            covered: now.covered,
            base: now.base(),
        },
    ];
    cov::forecast(&pts, rule.threshold_percent, rule.deadline).is_some_and(|f| f.on_pace)
}

/// Names and codes of officials by id.
pub async fn people_by_id(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, person::Model>, DbErr> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for p in person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(p.id, p);
        }
    }
    Ok(out)
}

/// The active program with `id`, or the first active program when `id` is None.
pub async fn find_program(db: &impl ConnectionTrait, id: Option<i64>) -> Result<Option<program::Model>, DbErr> {
    let mut q = program::Entity::find().filter(program::Column::Active.eq(true));
    if let Some(id) = id {
        q = q.filter(program::Column::Id.eq(id));
    }
    q.order_by_asc(program::Column::Id).limit(1).one(db).await
}

/// The first completion date per (person, course) computed from `completions` directly.
pub async fn credits_from_completions(db: &impl ConnectionTrait) -> Result<Vec<(i64, String, String)>, DbErr> {
    let rows: Vec<(i64, String, chrono::DateTime<chrono::Utc>)> = completion::Entity::find()
        .select_only()
        .column(completion::Column::PersonId)
        .column(completion::Column::CourseId)
        .column_as(Expr::cust("MIN(completed_at)"), "first")
        .group_by(completion::Column::PersonId)
        .group_by(completion::Column::CourseId)
        .into_tuple()
        .all(db)
        .await?;
    let mut v: Vec<(i64, String, String)> = rows.into_iter().map(|(p, c, t)| (p, c, t.to_rfc3339())).collect();
    v.sort();
    Ok(v)
}

/// The credits table as rows, sorted (for comparison with [`credits_from_completions`]).
pub async fn credits_table(db: &impl ConnectionTrait) -> Result<Vec<(i64, String, String)>, DbErr> {
    let mut v: Vec<(i64, String, String)> = course_credit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.person_id, c.course_id, c.first_completed_at.to_rfc3339()))
        .collect();
    v.sort();
    Ok(v)
}

/// Parents before children, siblings by code (a path sorts "/10/" before "/5/").
pub fn tree_order(agencies: Vec<agency::Model>) -> Vec<agency::Model> {
    let ids: std::collections::HashSet<i64> = agencies.iter().map(|a| a.id).collect();
    let mut children: HashMap<Option<i64>, Vec<agency::Model>> = HashMap::new();
    for a in agencies {
        let key = a.parent_id.filter(|p| ids.contains(p));
        children.entry(key).or_default().push(a);
    }
    for v in children.values_mut() {
        v.sort_by(|a, b| a.code.cmp(&b.code));
    }
    let mut out = vec![];
    let mut stack: Vec<agency::Model> = children.remove(&None).unwrap_or_default().into_iter().rev().collect();
    while let Some(a) = stack.pop() {
        if let Some(kids) = children.remove(&Some(a.id)) {
            stack.extend(kids.into_iter().rev());
        }
        out.push(a);
    }
    out
}

/// The exemption of each official from `program_id` in force on `as_of` (recorded on or
/// before it and not withdrawn by then: a later withdrawal does not change the past).
pub async fn exemptions_on(
    db: &impl ConnectionTrait,
    program_id: i64,
    as_of: NaiveDate,
) -> Result<HashMap<i64, exemption::Model>, DbErr> {
    use crate::ssr::clock::date_of;
    Ok(exemption::Entity::find()
        .filter(exemption::Column::ProgramId.eq(program_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|e| date_of(e.created_at) <= as_of && e.withdrawn_at.is_none_or(|w| as_of < date_of(w)))
        .map(|e| (e.person_id, e))
        .collect())
}
