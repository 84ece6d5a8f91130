//! Accounts: the administrator's overview, an account for every official on the roster, and
//! the one-time codes an official signs in with the first time (activation) or after a
//! manager's reset.
//!
//! - **From the roster.** Every roster import (web and CLI) gives each active official of the
//!   file an account in the same transaction: sign-in name = the official's code, role
//!   learner, no password yet. A leaver's account is disabled (`disabled_reason = 'left'`,
//!   sessions ended); a returning official's account comes back. Accounts are never deleted.
//! - **Codes.** 60 random bits (`domain::credentials`), kept only as a keyed hash (SHA-256 of
//!   a domain tag, the server's secret and the code: codes are random, so a fast hash is
//!   enough; argon2id is for passwords). A code works once, until it expires
//!   (`TAPHUAN_CODE_DAYS`, default 30); issuing a new one voids every earlier unused code of
//!   the account. A reset also ends every session of the account (token version).

pub mod slips;
pub mod web;

use crate::domain::credentials::{PasswordProblem, check_password, format_code, normalize_code};
use crate::domain::identity::{Role, Username};
use crate::ssr::config::Config;
use crate::ssr::db::entities::{account, account_code, agency, person};
use crate::ssr::state::AppState;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};
use std::collections::{HashMap, HashSet};

/// The installation's size and its accounts (by user name), each with its scope's name.
pub struct Overview {
    pub agencies: u64,
    pub people: u64,
    pub enforcement: u64,
    /// Officials' own accounts, and how many of them still wait for their activation code.
    pub official_accounts: u64,
    pub waiting_activation: u64,
}

pub async fn overview(db: &impl ConnectionTrait) -> Result<Overview, DbErr> {
    let agencies = agency::Entity::find().count(db).await?;
    let active = || person::Entity::find().filter(person::Column::Active.eq(true));
    let people = active().count(db).await?;
    let enforcement = active().filter(person::Column::Enforcement.eq(true)).count(db).await?;
    let officials = || account::Entity::find().filter(account::Column::PersonId.is_not_null());
    let official_accounts = officials().count(db).await?;
    let waiting_activation = officials()
        .filter(account::Column::PasswordHash.eq(""))
        .filter(account::Column::Disabled.eq(false))
        .count(db)
        .await?;
    Ok(Overview {
        agencies,
        people,
        enforcement,
        official_accounts,
        waiting_activation,
    })
}

/// Why an account is disabled when the roster says its official left.
pub const LEFT: &str = "left";

/// What [`sync_roster_accounts`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountChanges {
    pub created: usize,
    pub disabled: usize,
    pub restored: usize,
}

/// Gives every official in `active` an account (creating or linking one), disables the
/// accounts of `leavers` and restores those of returning officials. Call inside the roster's
/// transaction. Officials whose code cannot be a sign-in name get none (the preview says so).
pub async fn sync_roster_accounts(
    tx: &impl ConnectionTrait,
    active: &[(i64, String)],
    leavers: &[i64],
) -> Result<AccountChanges, DbErr> {
    let now = crate::ssr::clock::now();
    let mut out = AccountChanges::default();
    if !leavers.is_empty() {
        for chunk in leavers.chunks(500) {
            out.disabled += account::Entity::update_many()
                .col_expr(account::Column::Disabled, Expr::value(true))
                .col_expr(account::Column::DisabledReason, Expr::value(LEFT))
                .col_expr(
                    account::Column::TokenVersion,
                    Expr::col(account::Column::TokenVersion).add(1),
                )
                .filter(account::Column::PersonId.is_in(chunk.to_vec()))
                .filter(account::Column::Disabled.eq(false))
                .exec(tx)
                .await?
                .rows_affected as usize;
        }
    }
    let ids: Vec<i64> = active.iter().map(|(id, _)| *id).collect();
    let mut linked: HashSet<i64> = HashSet::new();
    for chunk in ids.chunks(500) {
        let found = account::Entity::find()
            .filter(account::Column::PersonId.is_in(chunk.to_vec()))
            .all(tx)
            .await?;
        for a in found {
            if let Some(p) = a.person_id {
                linked.insert(p);
            }
            if a.disabled && a.disabled_reason.as_deref() == Some(LEFT) {
                account::Entity::update_many()
                    .col_expr(account::Column::Disabled, Expr::value(false))
                    .col_expr(account::Column::DisabledReason, Expr::value(Option::<String>::None))
                    .filter(account::Column::Id.eq(a.id))
                    .exec(tx)
                    .await?;
                out.restored += 1;
            }
        }
    }
    let wanted: Vec<(i64, String)> = active
        .iter()
        .filter(|(id, _)| !linked.contains(id))
        .filter_map(|(id, code)| Username::parse(code).ok().map(|u| (*id, u.as_str().to_string())))
        .collect();
    // A name already taken by an account without an official is linked to this one; one taken
    // by another official's account is left alone.
    let mut taken: HashMap<String, account::Model> = HashMap::new();
    for chunk in wanted.chunks(500) {
        for a in account::Entity::find()
            .filter(account::Column::Username.is_in(chunk.iter().map(|(_, u)| u.clone())))
            .all(tx)
            .await?
        {
            taken.insert(a.username.clone(), a);
        }
    }
    let mut fresh = vec![];
    for (pid, username) in wanted {
        match taken.get(&username) {
            Some(a) if a.person_id.is_none() => {
                account::Entity::update_many()
                    .col_expr(account::Column::PersonId, Expr::value(pid))
                    .filter(account::Column::Id.eq(a.id))
                    .exec(tx)
                    .await?;
            }
            Some(_) => {}
            None => fresh.push(account::ActiveModel {
                username: Set(username),
                password_hash: Set(String::new()),
                role: Set(Role::Learner.as_str().to_string()),
                person_id: Set(Some(pid)),
                scope_agency_id: Set(None),
                token_version: Set(0),
                disabled: Set(false),
                disabled_reason: Set(None),
                created_at: Set(now),
                ..Default::default()
            }),
        }
    }
    out.created = fresh.len();
    let mut rest = fresh;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(500));
        account::Entity::insert_many(rest).exec_without_returning(tx).await?;
        rest = tail;
    }
    Ok(out)
}

/// What a one-time code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// First sign-in of an account made from the roster.
    Activate,
    /// A password reset issued by a manager or an administrator (ends every session at once).
    Reset,
    /// A reset link the person asked for by e-mail. Sessions end only when it is used: anyone
    /// may ask for one in someone's name, and that must not sign them out.
    Email,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Activate => "activate",
            Purpose::Reset => "reset",
            Purpose::Email => "email",
        }
    }
}

/// Whether a code of `purpose` was issued to the account since `since` (e-mailed links are not
/// sent more than once every few minutes, whoever asks).
pub async fn issued_since(
    db: &impl ConnectionTrait,
    account_id: i64,
    purpose: Purpose,
    since: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Ok(account_code::Entity::find()
        .filter(account_code::Column::AccountId.eq(account_id))
        .filter(account_code::Column::Purpose.eq(purpose.as_str()))
        .filter(account_code::Column::IssuedAt.gt(since))
        .count(db)
        .await?
        > 0)
}

/// The keyed hash a code is stored as (hex).
pub fn code_hash(config: &Config, normalized: &str) -> String {
    config
        .keyed_digest("taphuan-one-time-code", normalized.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fresh code, as printed.
fn new_code() -> String {
    use rand::RngCore;
    format_code(rand::rngs::OsRng.next_u64())
}

/// Issues a new code to each of `accounts` (voiding their earlier unused codes), in one
/// transaction; a reset also ends every session of the account. Returns (account id, code as
/// printed, expiry).
pub async fn issue_codes(
    db: &DatabaseConnection,
    config: &Config,
    accounts: &[i64],
    purpose: Purpose,
    issued_by: Option<i64>,
) -> Result<Vec<(i64, String, DateTime<Utc>)>, DbErr> {
    let now = crate::ssr::clock::now();
    let expires = now + Duration::days(config.code_days);
    let tx = db.begin_with_options(crate::ssr::db::write_tx()).await?;
    let mut out = Vec::with_capacity(accounts.len());
    for chunk in accounts.chunks(500) {
        account_code::Entity::update_many()
            .col_expr(account_code::Column::VoidedAt, Expr::value(now))
            .filter(account_code::Column::AccountId.is_in(chunk.to_vec()))
            .filter(account_code::Column::UsedAt.is_null())
            .filter(account_code::Column::VoidedAt.is_null())
            .exec(&tx)
            .await?;
        if purpose == Purpose::Reset {
            account::Entity::update_many()
                .col_expr(
                    account::Column::TokenVersion,
                    Expr::col(account::Column::TokenVersion).add(1),
                )
                .filter(account::Column::Id.is_in(chunk.to_vec()))
                .exec(&tx)
                .await?;
        }
        let mut rows = vec![];
        for id in chunk {
            let code = new_code();
            let normalized = normalize_code(&code).expect("a printed code reads back");
            rows.push(account_code::ActiveModel {
                account_id: Set(*id),
                purpose: Set(purpose.as_str().to_string()),
                code_hash: Set(code_hash(config, &normalized)),
                issued_by: Set(issued_by),
                issued_at: Set(now),
                expires_at: Set(expires),
                used_at: Set(None),
                voided_at: Set(None),
                ..Default::default()
            });
            out.push((*id, code, expires));
        }
        if !rows.is_empty() {
            account_code::Entity::insert_many(rows)
                .exec_without_returning(&tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(out)
}

/// An official's account as a code slip shows it.
pub struct Slip {
    pub account_id: i64,
    pub username: String,
    pub full_name: String,
    pub agency_name: String,
}

/// The accounts of active officials in the subtree at `path` that have never chosen a password
/// (and are not disabled), by agency and name.
pub async fn not_yet_activated(db: &impl ConnectionTrait, path: &str) -> Result<Vec<Slip>, DbErr> {
    let agencies: HashMap<i64, String> = agency::Entity::find()
        .filter(agency::Column::Path.starts_with(path))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let ids: Vec<i64> = agencies.keys().copied().collect();
    let mut people: HashMap<i64, person::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        for p in person::Entity::find()
            .filter(person::Column::AgencyId.is_in(chunk.to_vec()))
            .filter(person::Column::Active.eq(true))
            .all(db)
            .await?
        {
            people.insert(p.id, p);
        }
    }
    let pids: Vec<i64> = people.keys().copied().collect();
    let mut out = vec![];
    for chunk in pids.chunks(500) {
        for a in account::Entity::find()
            .filter(account::Column::PersonId.is_in(chunk.to_vec()))
            .filter(account::Column::PasswordHash.eq(""))
            .filter(account::Column::Disabled.eq(false))
            .all(db)
            .await?
        {
            let Some(p) = a.person_id.and_then(|id| people.get(&id)) else {
                continue;
            };
            out.push(Slip {
                account_id: a.id,
                username: a.username.clone(),
                full_name: p.full_name.clone(),
                agency_name: agencies.get(&p.agency_id).cloned().unwrap_or_default(),
            });
        }
    }
    out.sort_by(|a, b| (&a.agency_name, &a.full_name).cmp(&(&b.agency_name, &b.full_name)));
    Ok(out)
}

/// Why a code was not accepted.
#[derive(Debug)]
pub enum Redeem {
    /// Signed in: the account, with its new password.
    Done(account::Model),
    /// Wrong, used, voided or expired code, unknown or disabled account: one answer for all.
    BadCode,
    /// The new password is refused (the code is kept for another try).
    Weak(PasswordProblem),
    /// Every hashing slot is busy.
    Busy,
}

/// Whether a strength estimator finds `password` guessable (zxcvbn score below 2 of 4: crackable in a million guesses, using
/// the person's own words as well).
pub fn guessable(password: &str, personal: &[&str]) -> bool {
    // zxcvbn's cost grows with length; past 100 characters a password is not guessable anyway.
    if password.chars().count() > 100 {
        return false;
    }
    let score = zxcvbn::zxcvbn(password, personal).score();
    u8::from(score) < 2
        || COMMON_HERE
            .iter()
            .any(|c| crate::domain::roster::fold(password).replace(' ', "") == *c)
}

/// Passwords common here that a general list may miss.
const COMMON_HERE: &[&str] = &[
    "matkhau",
    "matkhau123",
    "matkhau@123",
    "anhyeuem",
    "emyeuanh",
    "vietnam",
    "vietnam123",
    "quanlythitruong",
    "taphuan",
    "taphuan123",
    "gialai",
    "gialai123",
];

/// Checks a new password for an account (NIST rule, common, personal).
/// `admin`: the account holds the admin role (its passwords need 12 characters).
pub fn password_problem(
    acc: &account::Model,
    admin: bool,
    full_name: Option<&str>,
    password: &str,
) -> Option<PasswordProblem> {
    let mut personal = vec![acc.username.as_str()];
    if let Some(n) = full_name {
        personal.push(n);
    }
    check_password(password, admin, &personal, guessable(password, &personal)).err()
}

/// Redeems a code: checks it, checks the new password, and sets it (ending every earlier
/// session), all or nothing. The code is spent only when the password is set.
pub async fn redeem(state: &AppState, username: &str, typed_code: &str, password: &str) -> Result<Redeem, DbErr> {
    let Some(acc) = crate::ssr::auth::account_named(&state.db, username)
        .await?
        .filter(|a| !a.disabled)
    else {
        return Ok(Redeem::BadCode);
    };
    let Some(normalized) = normalize_code(typed_code) else {
        return Ok(Redeem::BadCode);
    };
    let now = crate::ssr::clock::now();
    let hash = code_hash(&state.config, &normalized);
    let Some(code) = account_code::Entity::find()
        .filter(account_code::Column::CodeHash.eq(hash))
        .filter(account_code::Column::AccountId.eq(acc.id))
        .filter(account_code::Column::UsedAt.is_null())
        .filter(account_code::Column::VoidedAt.is_null())
        .one(&state.db)
        .await?
        .filter(|c| c.expires_at > now)
    else {
        return Ok(Redeem::BadCode);
    };
    let full_name = match acc.person_id {
        Some(pid) => person::Entity::find_by_id(pid)
            .one(&state.db)
            .await?
            .map(|p| p.full_name),
        None => None,
    };
    let admin = crate::ssr::rights::is_admin(&state.db, acc.id).await?;
    if let Some(p) = password_problem(&acc, admin, full_name.as_deref(), password) {
        return Ok(Redeem::Weak(p));
    }
    let Ok(hashed) = crate::ssr::auth::hash_password(password.to_string()).await else {
        return Ok(Redeem::Busy);
    };
    let tx = state.begin_write().await?;
    // Spent exactly once, even when two requests race with the same code.
    let spent = account_code::Entity::update_many()
        .col_expr(account_code::Column::UsedAt, Expr::value(now))
        .filter(account_code::Column::Id.eq(code.id))
        .filter(account_code::Column::UsedAt.is_null())
        .filter(account_code::Column::VoidedAt.is_null())
        .exec(&tx)
        .await?
        .rows_affected;
    if spent != 1 {
        tx.rollback().await?;
        return Ok(Redeem::BadCode);
    }
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(hashed))
        .col_expr(
            account::Column::TokenVersion,
            Expr::col(account::Column::TokenVersion).add(1),
        )
        .filter(account::Column::Id.eq(acc.id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    let acc = account::Entity::find_by_id(acc.id)
        .one(&state.db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("account".into()))?;
    Ok(Redeem::Done(acc))
}
