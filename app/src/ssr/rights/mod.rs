//! Rights: the roles an account holds beyond learning, each a row in `role_grants` granted and
//! withdrawn with a reason, by whom and when. [`held`] is what `ssr::auth` reads on every request
//! (so a withdrawal takes effect on the next click, on every node); [`grant`] and [`withdraw`]
//! are the only writers, used by the rights page and by `taphuan user grant|revoke`.

use super::auth::{AuthUser, Scope};
use super::db::entities::{account, agency, person, role_grant};
use crate::domain::identity::{Courses, GrantView, Role, may_assign};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use std::collections::HashMap;

pub mod web;

/// What an account holds now.
#[derive(Debug, Clone)]
pub struct Held {
    /// Ascending; `Learner` always first.
    pub roles: Vec<Role>,
    /// Every subtree the account manages, in the order granted.
    pub scopes: Vec<Scope>,
    /// For a trainer: the courses they may work on.
    pub courses: Option<Courses>,
}

/// The rights `account_id` holds now (withdrawn grants do not count).
pub async fn held(db: &impl ConnectionTrait, account_id: i64) -> Result<Held, DbErr> {
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::RevokedAt.is_null())
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?;
    let mut roles = vec![Role::Learner];
    let mut scopes = Vec::new();
    let mut courses: Option<Courses> = None;
    for g in &grants {
        let Some(role) = Role::parse(&g.role) else { continue };
        match role {
            Role::Manager => {
                // A manager grant names its subtree; one without (impossible by construction)
                // gives nothing rather than everything.
                let Some(aid) = g.agency_id else { continue };
                let Some(a) = agency::Entity::find_by_id(aid).one(db).await? else {
                    continue;
                };
                if !scopes.iter().any(|s: &Scope| s.agency_id == a.id) {
                    scopes.push(Scope {
                        agency_id: a.id,
                        agency_name: a.name,
                        path: a.path,
                    });
                }
            }
            Role::Trainer => {
                courses = Some(match (courses, &g.course_id) {
                    (Some(Courses::All), _) | (_, None) => Courses::All,
                    (Some(Courses::Only(mut ids)), Some(c)) => {
                        if !ids.contains(c) {
                            ids.push(c.clone());
                        }
                        Courses::Only(ids)
                    }
                    (None, Some(c)) => Courses::Only(vec![c.clone()]),
                });
            }
            Role::Admin | Role::Learner => {}
        }
        roles.push(role);
    }
    roles.sort();
    roles.dedup();
    Ok(Held { roles, scopes, courses })
}

/// The accounts among `accounts` that hold a right `by` could not grant themselves (an
/// administrator's, a trainer's, a manager's outside `by`'s subtrees). A sign-in code sets an
/// account's password, and a changed e-mail address receives the next reset link, so whoever
/// does either can take the account over: `by` may do them only for accounts whose every right
/// they could have granted. Empty for an administrator.
pub async fn held_beyond(
    db: &impl ConnectionTrait,
    by: &AuthUser,
    accounts: &[i64],
) -> Result<std::collections::HashSet<i64>, DbErr> {
    let mine: Vec<&str> = by.scopes.iter().map(|s| s.path.as_str()).collect();
    held_beyond_scopes(db, by.holds(Role::Admin), &mine, accounts).await
}

/// [`held_beyond`] for someone who is an administrator or manages the subtrees at `mine`
/// (materialised paths).
pub async fn held_beyond_scopes(
    db: &impl ConnectionTrait,
    admin: bool,
    mine: &[&str],
    accounts: &[i64],
) -> Result<std::collections::HashSet<i64>, DbErr> {
    if admin || accounts.is_empty() {
        return Ok(Default::default());
    }
    let wanted: std::collections::HashSet<i64> = accounts.iter().copied().collect();
    // Rights in force are few (administrators, trainers, managers): all of them, then filtered.
    let grants: Vec<role_grant::Model> = role_grant::Entity::find()
        .filter(role_grant::Column::RevokedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|g| wanted.contains(&g.account_id))
        .collect();
    let paths: HashMap<i64, String> = agency::Entity::find()
        .filter(agency::Column::Id.is_in(grants.iter().filter_map(|g| g.agency_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.path))
        .collect();
    Ok(grants
        .into_iter()
        .filter(|g| match Role::parse(&g.role) {
            // Unknown or learning: gives nothing (`held`).
            None | Some(Role::Learner) => false,
            Some(role) => !may_assign(
                false,
                mine,
                role,
                g.agency_id.and_then(|a| paths.get(&a)).map(String::as_str),
            ),
        })
        .map(|g| g.account_id)
        .collect())
}

/// Whether `account_id` holds the admin role now.
pub async fn is_admin(db: &impl ConnectionTrait, account_id: i64) -> Result<bool, DbErr> {
    Ok(held(db, account_id).await?.roles.contains(&Role::Admin))
}

/// Who grants or withdraws: a signed-in person (limited by their own rights), or the command
/// line (the machine's operator, who may do anything).
#[derive(Clone, Copy)]
pub enum By<'a> {
    Cli,
    User(&'a AuthUser),
}

impl By<'_> {
    fn account_id(&self) -> Option<i64> {
        match self {
            By::Cli => None,
            By::User(u) => Some(u.account_id),
        }
    }

    fn may_assign(&self, role: Role, agency_path: Option<&str>) -> bool {
        match self {
            By::Cli => true,
            By::User(u) => {
                let paths: Vec<&str> = u.scopes.iter().map(|s| s.path.as_str()).collect();
                may_assign(u.holds(Role::Admin), &paths, role, agency_path)
            }
        }
    }
}

/// A right to grant.
#[derive(Debug, Clone)]
pub struct NewGrant {
    pub account_id: i64,
    pub role: Role,
    /// Required for a manager, refused for other roles.
    pub agency_id: Option<i64>,
    /// A trainer limited to one course (None: every course); refused for other roles.
    pub course_id: Option<String>,
    pub reason: String,
}

/// Why a grant or a withdrawal was refused. `code()` travels in the page's URL.
#[derive(Debug, thiserror::Error)]
pub enum RightsError {
    #[error("you may not grant or withdraw this right")]
    NotAllowed,
    #[error("no such account")]
    NoAccount,
    #[error("a manager's right needs the agency at the top of their subtree")]
    NeedsAgency,
    #[error("only a manager's right names an agency, and only a trainer's a course")]
    Misplaced,
    #[error("no such agency")]
    NoAgency,
    #[error("no such course")]
    NoCourse,
    #[error("say why (a reason of at most 500 characters)")]
    NeedsReason,
    #[error("every account may learn: there is nothing to grant")]
    LearnerRole,
    #[error("the account already holds this right")]
    AlreadyHeld,
    #[error("no such right, or it was already withdrawn")]
    NoGrant,
    #[error("nobody withdraws their own right: ask another manager or an admin")]
    Own,
    #[error("this is the last admin's right: grant admin to someone else first")]
    LastAdmin,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl RightsError {
    /// A short stable code for the page's URL (`/rights?error=...`).
    pub fn code(&self) -> &'static str {
        match self {
            RightsError::NotAllowed => "not-allowed",
            RightsError::NoAccount => "no-account",
            RightsError::NeedsAgency => "needs-agency",
            RightsError::Misplaced => "misplaced",
            RightsError::NoAgency => "no-agency",
            RightsError::NoCourse => "no-course",
            RightsError::NeedsReason => "needs-reason",
            RightsError::LearnerRole => "learner",
            RightsError::AlreadyHeld => "already-held",
            RightsError::NoGrant => "no-grant",
            RightsError::Own => "own",
            RightsError::LastAdmin => "last-admin",
            RightsError::Db(_) => "internal",
        }
    }
}

fn reason(raw: &str) -> Result<String, RightsError> {
    let r = raw.trim();
    if r.is_empty() || r.chars().count() > 500 {
        return Err(RightsError::NeedsReason);
    }
    Ok(r.to_string())
}

/// The agency path of the official an account belongs to, if any.
async fn account_agency_path(db: &impl ConnectionTrait, acc: &account::Model) -> Result<Option<String>, DbErr> {
    let Some(pid) = acc.person_id else { return Ok(None) };
    let Some(p) = person::Entity::find_by_id(pid).one(db).await? else {
        return Ok(None);
    };
    Ok(agency::Entity::find_by_id(p.agency_id).one(db).await?.map(|a| a.path))
}

/// Grants a right, checked against what `by` may do; `known_course` says whether a course id
/// is in the library. A manager grants only the manager role, inside their subtrees, to an
/// official of their subtrees. Returns the new grant's id.
pub async fn grant(
    db: &sea_orm::DatabaseConnection,
    by: By<'_>,
    g: NewGrant,
    known_course: impl Fn(&str) -> bool,
) -> Result<i64, RightsError> {
    let reason = reason(&g.reason)?;
    let course_id = g.course_id.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    match g.role {
        Role::Learner => return Err(RightsError::LearnerRole),
        Role::Manager if g.agency_id.is_none() => return Err(RightsError::NeedsAgency),
        Role::Manager if course_id.is_some() => return Err(RightsError::Misplaced),
        Role::Trainer | Role::Admin if g.agency_id.is_some() => return Err(RightsError::Misplaced),
        Role::Admin if course_id.is_some() => return Err(RightsError::Misplaced),
        _ => {}
    }
    if let Some(c) = &course_id
        && !known_course(c)
    {
        return Err(RightsError::NoCourse);
    }
    let target = match g.agency_id {
        Some(id) => Some(
            agency::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(RightsError::NoAgency)?,
        ),
        None => None,
    };
    if !by.may_assign(g.role, target.as_ref().map(|a| a.path.as_str())) {
        return Err(RightsError::NotAllowed);
    }
    let tx = db.begin_with_options(super::db::write_tx()).await?;
    let acc = account::Entity::find_by_id(g.account_id)
        .one(&tx)
        .await?
        .ok_or(RightsError::NoAccount)?;
    // A manager appoints people of their own subtrees, not any account of the installation.
    if let By::User(u) = by
        && !u.holds(Role::Admin)
    {
        let path = account_agency_path(&tx, &acc).await?;
        if !path.is_some_and(|p| u.scopes.iter().any(|s| p.starts_with(&s.path))) {
            return Err(RightsError::NotAllowed);
        }
    }
    let Some(id) = ensure(&tx, acc.id, g.role, g.agency_id, course_id, &reason, by.account_id()).await? else {
        return Err(RightsError::AlreadyHeld);
    };
    tx.commit().await?;
    tracing::info!(grant = id, account = acc.id, role = %g.role, by = ?by.account_id(), "right granted");
    Ok(id)
}

/// Records a grant unless the account already holds the same right (then `None`). No checks of
/// who grants: [`grant`] makes them; the demo seed and `taphuan create-user` call this directly.
pub async fn ensure(
    db: &impl ConnectionTrait,
    account_id: i64,
    role: Role,
    agency_id: Option<i64>,
    course_id: Option<String>,
    reason: &str,
    by: Option<i64>,
) -> Result<Option<i64>, DbErr> {
    let mut same = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::Role.eq(role.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null());
    same = match agency_id {
        Some(a) => same.filter(role_grant::Column::AgencyId.eq(a)),
        None => same.filter(role_grant::Column::AgencyId.is_null()),
    };
    same = match &course_id {
        Some(c) => same.filter(role_grant::Column::CourseId.eq(c.clone())),
        None => same.filter(role_grant::Column::CourseId.is_null()),
    };
    if same.one(db).await?.is_some() {
        return Ok(None);
    }
    let row = role_grant::ActiveModel {
        account_id: Set(account_id),
        role: Set(role.as_str().to_string()),
        agency_id: Set(agency_id),
        course_id: Set(course_id),
        reason: Set(reason.to_string()),
        granted_by: Set(by),
        granted_at: Set(super::clock::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    super::audit::append(
        db,
        right_event(db, super::audit::kind::GRANTED, &row, by, reason).await?,
    )
    .await?;
    Ok(Some(row.id))
}

/// The audit event of a grant or a withdrawal: about the account's official, if it has one.
async fn right_event(
    db: &impl ConnectionTrait,
    kind: &'static str,
    g: &role_grant::Model,
    by: Option<i64>,
    reason: &str,
) -> Result<super::audit::Event, DbErr> {
    let mut e = super::audit::Event::new(
        kind,
        serde_json::json!({
            "grant": g.id,
            "account": g.account_id,
            "role": g.role,
            "agency": g.agency_id,
            "course": g.course_id,
        }),
    )
    .because(reason);
    if let Some(acc) = account::Entity::find_by_id(g.account_id).one(db).await?
        && let Some(p) = acc.person_id
    {
        e = e.about(p);
    }
    if let Some(id) = by {
        let name = account::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|a| a.username)
            .unwrap_or_default();
        e = e.by(id, &name);
    }
    Ok(e)
}

/// Withdraws a right, checked against what `by` may do. Nobody withdraws their own right, and
/// the last admin's stays.
pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    by: By<'_>,
    grant_id: i64,
    why: &str,
) -> Result<(), RightsError> {
    let why = reason(why)?;
    let tx = db.begin_with_options(super::db::write_tx()).await?;
    let g = role_grant::Entity::find_by_id(grant_id)
        .one(&tx)
        .await?
        .filter(|g| g.revoked_at.is_none())
        .ok_or(RightsError::NoGrant)?;
    let role = Role::parse(&g.role).ok_or(RightsError::NoGrant)?;
    let path = match g.agency_id {
        Some(id) => agency::Entity::find_by_id(id).one(&tx).await?.map(|a| a.path),
        None => None,
    };
    if !by.may_assign(role, path.as_deref()) {
        return Err(RightsError::NotAllowed);
    }
    if by.account_id() == Some(g.account_id) {
        return Err(RightsError::Own);
    }
    if role == Role::Admin {
        let admins = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq(Role::Admin.as_str()))
            .filter(role_grant::Column::RevokedAt.is_null())
            .all(&tx)
            .await?;
        let mut others = 0;
        for a in admins.iter().filter(|a| a.account_id != g.account_id) {
            if account::Entity::find_by_id(a.account_id)
                .one(&tx)
                .await?
                .is_some_and(|acc| !acc.disabled)
            {
                others += 1;
            }
        }
        if others == 0 {
            return Err(RightsError::LastAdmin);
        }
    }
    let account_id = g.account_id;
    let mut am: role_grant::ActiveModel = g.into();
    am.revoked_at = Set(Some(super::clock::now()));
    am.revoked_by = Set(by.account_id());
    am.revoke_reason = Set(Some(why.clone()));
    let g = am.update(&tx).await?;
    let event = right_event(&tx, super::audit::kind::WITHDRAWN, &g, by.account_id(), &why).await?;
    super::audit::append(&tx, event).await?;
    tx.commit().await?;
    tracing::info!(grant = grant_id, account = account_id, role = %role, by = ?by.account_id(), "right withdrawn");
    Ok(())
}

/// The active grant of `account_id` matching role, agency and course (for the command line).
pub async fn find_active(
    db: &impl ConnectionTrait,
    account_id: i64,
    role: Role,
    agency_id: Option<i64>,
    course_id: Option<&str>,
) -> Result<Vec<role_grant::Model>, DbErr> {
    let mut q = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::Role.eq(role.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null());
    if let Some(a) = agency_id {
        q = q.filter(role_grant::Column::AgencyId.eq(a));
    }
    if let Some(c) = course_id {
        q = q.filter(role_grant::Column::CourseId.eq(c));
    }
    q.all(db).await
}

/// Every grant `viewer` may see, active first then withdrawn (newest first), as the rights page
/// and `taphuan user show` list them. The admin (and the command line) sees all; a manager the
/// manager rights inside their subtrees.
pub async fn list(db: &impl ConnectionTrait, viewer: By<'_>, account_id: Option<i64>) -> Result<Vec<GrantView>, DbErr> {
    let mut q = role_grant::Entity::find();
    if let Some(a) = account_id {
        q = q.filter(role_grant::Column::AccountId.eq(a));
    }
    let grants = q.order_by_desc(role_grant::Column::Id).all(db).await?;
    // Only the agencies and accounts the grants name: a country has far more of both.
    let mut agency_ids: Vec<i64> = grants.iter().filter_map(|g| g.agency_id).collect();
    agency_ids.sort_unstable();
    agency_ids.dedup();
    let agencies: HashMap<i64, agency::Model> = agency::Entity::find()
        .filter(agency::Column::Id.is_in(agency_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut account_ids: Vec<i64> = grants
        .iter()
        .flat_map(|g| [Some(g.account_id), g.granted_by, g.revoked_by])
        .flatten()
        .collect();
    account_ids.sort_unstable();
    account_ids.dedup();
    let accounts: HashMap<i64, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(account_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let person_ids: Vec<i64> = accounts.values().filter_map(|a| a.person_id).collect();
    let names: HashMap<i64, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let name_of = |id: i64| {
        accounts
            .get(&id)
            .map(|a| crate::ssr::auth::shown_name(a, a.person_id.and_then(|p| names.get(&p).cloned())))
    };
    let mut out: Vec<GrantView> = grants
        .into_iter()
        .filter_map(|g| {
            let role = Role::parse(&g.role)?;
            let agency = g.agency_id.and_then(|id| agencies.get(&id));
            let visible = match viewer {
                By::Cli => true,
                By::User(u) if u.holds(Role::Admin) => true,
                By::User(u) => {
                    role == Role::Manager
                        && agency.is_some_and(|a| u.scopes.iter().any(|s| a.path.starts_with(&s.path)))
                }
            };
            if !visible {
                return None;
            }
            let may_withdraw = g.revoked_at.is_none()
                && viewer.account_id() != Some(g.account_id)
                && viewer.may_assign(role, agency.map(|a| a.path.as_str()));
            Some(GrantView {
                id: g.id,
                username: accounts
                    .get(&g.account_id)
                    .map(|a| a.username.clone())
                    .unwrap_or_default(),
                name: name_of(g.account_id).unwrap_or_default(),
                role,
                agency: agency.map(|a| a.name.clone()),
                course: g.course_id,
                reason: g.reason,
                granted_by: g.granted_by.and_then(name_of),
                granted_on: crate::ssr::clock::date_of(g.granted_at),
                withdrawn: g.revoked_at.map(|at| {
                    (
                        g.revoked_by.and_then(name_of),
                        crate::ssr::clock::date_of(at),
                        g.revoke_reason.unwrap_or_default(),
                    )
                }),
                may_withdraw,
            })
        })
        .collect();
    out.sort_by_key(|g| g.withdrawn.is_some());
    Ok(out)
}

/// The agencies `user` may give a manager's right for, as (id, name, depth): every agency for
/// the admin, the subtrees they manage for a manager; in tree order.
pub async fn grantable_agencies(
    db: &impl ConnectionTrait,
    user: &AuthUser,
) -> Result<Vec<(i64, String, usize)>, DbErr> {
    use super::db::queries::{agencies_in_scope, path_key};
    let mut rows: Vec<agency::Model> = if user.holds(Role::Admin) {
        agencies_in_scope(db, None).await?
    } else {
        let mut all = Vec::new();
        for s in &user.scopes {
            for a in agencies_in_scope(db, Some(s)).await? {
                if !all.iter().any(|b: &agency::Model| b.id == a.id) {
                    all.push(a);
                }
            }
        }
        all
    };
    rows.sort_by_cached_key(|a| path_key(&a.path));
    let top = rows.iter().map(|a| path_key(&a.path).len()).min().unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|a| {
            let depth = path_key(&a.path).len() - top;
            (a.id, a.name, depth)
        })
        .collect())
}

/// Every account holding `role` now, with its grants (for the reminder job's digests).
pub async fn holders(db: &impl ConnectionTrait, role: Role) -> Result<Vec<role_grant::Model>, DbErr> {
    role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(role.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await
}
