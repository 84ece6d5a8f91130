//! Outreach (the plan's other two 100 % targets: sellers on platforms and consumers reached)
//! and the list of programs the dashboard's picker shows.

use crate::domain::coverage::OutreachLine;
use crate::domain::program::ProgramDto;
use crate::ssr::db::entities::{agency, outreach_event, outreach_population, program};
use crate::ssr::state::AppState;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Every active program.
pub async fn programs(state: &AppState) -> Result<Vec<ProgramDto>, DbErr> {
    let titles = crate::ssr::content::titles(state);
    let rows = program::Entity::find()
        .filter(program::Column::Active.eq(true))
        .order_by_asc(program::Column::Id)
        .all(&state.db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let courses = p
            .course_list()?
            .into_iter()
            .map(|c| {
                let t = titles.get(&c).cloned().unwrap_or_else(|| c.clone());
                (c, t)
            })
            .collect();
        out.push(ProgramDto {
            id: p.id,
            courses,
            positions: p.position_list()?,
            code: p.code,
            name: p.name,
            description: p.description,
            deadline: p.deadline,
            threshold_percent: p.threshold_percent.clamp(0, 100) as u32,
            rule: p.course_rule,
            metric: p.metric,
            enforcement_only: p.enforcement_only,
        });
    }
    Ok(out)
}

/// Outreach per agency of the subtree (agencies with events or a known population).
pub async fn lines(state: &AppState, root: &agency::Model) -> Result<Vec<OutreachLine>, DbErr> {
    let agencies: HashMap<i64, String> = agency::Entity::find()
        .filter(agency::Column::Path.starts_with(&root.path))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let ids: Vec<i64> = agencies.keys().copied().collect();
    let events = outreach_event::Entity::find()
        .filter(outreach_event::Column::AgencyId.is_in(ids.clone()))
        .all(&state.db)
        .await?;
    let pops = outreach_population::Entity::find()
        .filter(outreach_population::Column::AgencyId.is_in(ids))
        .all(&state.db)
        .await?;
    let mut lines: std::collections::BTreeMap<(String, String), OutreachLine> = Default::default();
    for p in pops {
        let name = agencies.get(&p.agency_id).cloned().unwrap_or_default();
        lines.insert(
            (name.clone(), p.kind.clone()),
            OutreachLine {
                agency_name: name,
                kind: p.kind,
                events: 0,
                reached: 0,
                population: Some(p.population),
                source: Some(p.source),
            },
        );
    }
    for e in events {
        let name = agencies.get(&e.agency_id).cloned().unwrap_or_default();
        let l = lines.entry((name.clone(), e.kind.clone())).or_insert(OutreachLine {
            agency_name: name,
            kind: e.kind,
            events: 0,
            reached: 0,
            population: None,
            source: None,
        });
        l.events += 1;
        l.reached += e.reached;
    }
    Ok(lines.into_values().collect())
}

/// Records an outreach event (values already checked by the caller).
pub async fn record(
    db: &impl ConnectionTrait,
    agency_id: i64,
    held_on: chrono::NaiveDate,
    kind: String,
    title: String,
    reached: i64,
) -> Result<(), DbErr> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    outreach_event::ActiveModel {
        agency_id: Set(agency_id),
        held_on: Set(held_on),
        kind: Set(kind),
        title: Set(title),
        reached: Set(reached),
        created_at: Set(crate::ssr::clock::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Sets (replaces) the known population of an agency's area for one audience.
pub async fn set_population(
    db: &impl ConnectionTrait,
    agency_id: i64,
    kind: String,
    population: i64,
    source: String,
) -> Result<(), DbErr> {
    use sea_orm::ActiveValue::Set;
    use sea_orm::sea_query::OnConflict;
    outreach_population::Entity::insert(outreach_population::ActiveModel {
        agency_id: Set(agency_id),
        kind: Set(kind),
        population: Set(population),
        source: Set(source),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([outreach_population::Column::AgencyId, outreach_population::Column::Kind])
            .update_columns([
                outreach_population::Column::Population,
                outreach_population::Column::Source,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
