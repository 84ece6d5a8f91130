//! Agencies' letterheads (`domain::letterhead`) in the database: the one a document of an agency
//! prints ([`effective`]: its own, or its nearest ancestor's), which agencies have their own, and
//! the one writer ([`save`]), used by the form route ([`web`]) and the demo seed.

use super::db::entities::{agency, agency_letterhead};
use super::db::queries::path_key;
use crate::domain::letterhead::Letterhead;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;

pub mod web;

/// A letterhead and the agency it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub agency_id: i64,
    pub agency_name: String,
    pub letterhead: Letterhead,
}

fn letterhead_of(r: &agency_letterhead::Model) -> Letterhead {
    Letterhead {
        parent_body: r.parent_body.clone(),
        issuer: r.issuer.clone(),
        symbol: r.symbol.clone(),
        place: r.place.clone(),
        signer_authority: r.signer_authority.clone(),
        signer_title: r.signer_title.clone(),
        signer_name: r.signer_name.clone(),
        recipients: r.recipients.lines().map(str::to_string).collect(),
    }
}

/// Every stored letterhead by agency id (a handful: one per issuing body).
pub async fn all(db: &impl ConnectionTrait) -> Result<HashMap<i64, Letterhead>, DbErr> {
    Ok(agency_letterhead::Entity::find()
        .all(db)
        .await?
        .iter()
        .map(|r| (r.agency_id, letterhead_of(r)))
        .collect())
}

/// The agency whose letterhead a document of the agency at `path` prints: the deepest on the
/// path (the agency itself, then its parent, …) that has one in `stored`.
pub fn nearest(path: &str, stored: &HashMap<i64, Letterhead>) -> Option<i64> {
    path_key(path).into_iter().rev().find(|id| stored.contains_key(id))
}

/// The letterhead documents of `agency` print: its own, or its nearest ancestor's; None when no
/// agency on its path has one (the document prints dots and the page says where to set one).
pub async fn effective(db: &impl ConnectionTrait, agency: &agency::Model) -> Result<Option<Found>, DbErr> {
    let mut stored: HashMap<i64, Letterhead> = agency_letterhead::Entity::find()
        .filter(agency_letterhead::Column::AgencyId.is_in(path_key(&agency.path)))
        .all(db)
        .await?
        .iter()
        .map(|r| (r.agency_id, letterhead_of(r)))
        .collect();
    let Some(id) = nearest(&agency.path, &stored) else {
        return Ok(None);
    };
    let agency_name = if id == agency.id {
        agency.name.clone()
    } else {
        agency::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|a| a.name)
            .unwrap_or_default()
    };
    Ok(stored.remove(&id).map(|letterhead| Found {
        agency_id: id,
        agency_name,
        letterhead,
    }))
}

/// Sets the letterhead of `agency_id` (replacing its own, if any). `by`: the account that
/// changed it (None for the seed or the command line).
pub async fn save(db: &impl ConnectionTrait, agency_id: i64, l: &Letterhead, by: Option<i64>) -> Result<(), DbErr> {
    use agency_letterhead::Column as C;
    let row = agency_letterhead::ActiveModel {
        agency_id: Set(agency_id),
        parent_body: Set(l.parent_body.clone()),
        issuer: Set(l.issuer.clone()),
        symbol: Set(l.symbol.clone()),
        place: Set(l.place.clone()),
        signer_authority: Set(l.signer_authority.clone()),
        signer_title: Set(l.signer_title.clone()),
        signer_name: Set(l.signer_name.clone()),
        recipients: Set(l.recipients.join("\n")),
        updated_at: Set(chrono::Utc::now()),
        updated_by: Set(by),
        ..Default::default()
    };
    agency_letterhead::Entity::insert(row)
        .on_conflict(
            OnConflict::column(C::AgencyId)
                .update_columns([
                    C::ParentBody,
                    C::Issuer,
                    C::Symbol,
                    C::Place,
                    C::SignerAuthority,
                    C::SignerTitle,
                    C::SignerName,
                    C::Recipients,
                    C::UpdatedAt,
                    C::UpdatedBy,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_letterhead_is_the_deepest_on_the_path() {
        let l = crate::domain::letterhead::Letterhead::blank();
        let stored: HashMap<i64, Letterhead> = [(1, l.clone()), (3, l)].into_iter().collect();
        assert_eq!(nearest("/1/3/13/", &stored), Some(3));
        assert_eq!(nearest("/1/3/", &stored), Some(3));
        assert_eq!(nearest("/1/4/", &stored), Some(1));
        assert_eq!(nearest("/2/5/", &stored), None);
    }
}
