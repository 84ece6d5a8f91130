//! Applying roster and agency files to the database. Parsing, validation and the diff are pure
//! (`domain::roster`); here we read the current roster, describe what each change does to
//! coverage, and apply a whole file in ONE transaction or not at all.
//!
//! Which officials a file is authoritative for (who becomes a leaver when missing from it):
//! the importer's scope subtree when there is one (a manager; `--scope CODE` on the CLI), else
//! the agencies that appear in the file. Leavers keep their history: their membership period
//! is closed and `people.active` turns false; nothing is deleted.

use super::auth::Scope;
use super::db::entities::{agency, membership, person, program};
use crate::domain::coverage::{Index, Status};
use crate::domain::roster::{
    self, Current, FileError, HeaderChoices, HeaderMatch, ImportMode, RosterDiff, RosterRow, Said,
};
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A checked file and what it would change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub errors: Vec<FileError>,
    pub rows: Vec<RosterRow>,
    pub diff: RosterDiff,
    /// One line per change: what it does to each program's coverage (joiners, leavers,
    /// transfers, changes, in that order).
    pub effects: Vec<String>,
    /// The same lines by group.
    pub grouped: Effects,
    pub mode: ImportMode,
    /// Active officials the file speaks for (the unit, for a complete list): the base of the
    /// "more than 10 % leave" rule.
    pub active_in_unit: usize,
    /// Cells a spreadsheet would run as formulas (warnings, not errors).
    pub warnings: Vec<String>,
    /// Officials of the file who get an account on applying (new ones, and those on the roster
    /// without one yet).
    pub accounts_new: usize,
    /// Accounts without an official (managers, trainers…) of the unit: the roster leaves them
    /// as they are.
    pub accounts_untouched: Vec<String>,
    /// How each header of the file was read (exact, inferred, chosen, unknown).
    pub columns: Vec<HeaderMatch>,
}

/// Effect lines by kind of change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Effects {
    pub joiners: Vec<String>,
    pub leavers: Vec<String>,
    pub transfers: Vec<String>,
    pub changes: Vec<String>,
}

impl Plan {
    fn refused(errors: Vec<FileError>, mode: ImportMode, columns: Vec<HeaderMatch>) -> Plan {
        Plan {
            columns,
            errors,
            rows: vec![],
            diff: RosterDiff::default(),
            effects: vec![],
            grouped: Effects::default(),
            mode,
            active_in_unit: 0,
            warnings: vec![],
            accounts_new: 0,
            accounts_untouched: vec![],
        }
    }

    /// Whether applying needs the number of leavers typed to confirm.
    pub fn needs_confirmation(&self) -> bool {
        roster::leavers_need_confirmation(self.diff.leavers.len(), self.active_in_unit)
    }
}

impl Plan {
    /// Valid and something to do (a change, or officials still without an account).
    pub fn applicable(&self) -> bool {
        self.errors.is_empty() && (!self.diff.is_empty() || self.accounts_new > 0)
    }

    /// A human summary in Vietnamese (CLI output, upload record).
    pub fn summary(&self) -> String {
        if !self.errors.is_empty() {
            let mut s = format!("{} lỗi, không áp dụng gì:\n", self.errors.len());
            for e in &self.errors {
                s.push_str(&format!("  {e}\n"));
            }
            return s;
        }
        if !self.applicable() {
            return "không có thay đổi (no changes)\n".into();
        }
        let d = &self.diff;
        let mut s = format!(
            "{} cán bộ mới, {} nghỉ/chuyển đi, {} điều chuyển, {} thay đổi thông tin, {} tài khoản mới\n",
            d.joiners.len(),
            d.leavers.len(),
            d.transfers.len(),
            d.changes.len(),
            self.accounts_new
        );
        for e in &self.effects {
            s.push_str(&format!("  {e}\n"));
        }
        s
    }
}

/// Agency code → (id, path).
async fn agency_codes(db: &impl ConnectionTrait) -> Result<HashMap<String, agency::Model>, DbErr> {
    Ok(agency::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.code.clone(), a))
        .collect())
}

/// The roster as it is now.
pub async fn current(db: &impl ConnectionTrait) -> Result<Vec<Current>, DbErr> {
    let codes: HashMap<i64, String> = agency::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.code))
        .collect();
    Ok(person::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| Current {
            person_id: p.id,
            code: p.code,
            full_name: p.full_name,
            agency_code: codes.get(&p.agency_id).cloned().unwrap_or_default(),
            position: p.position,
            enforcement: p.enforcement,
            email: p.email,
            phone: p.phone,
            active: p.active,
        })
        .collect())
}

/// Checks a roster file and computes its diff and effects, without writing anything. In
/// [`ImportMode::Update`] nobody leaves for being absent from the file.
pub async fn plan(
    db: &impl ConnectionTrait,
    bytes: &[u8],
    scope: Option<&Scope>,
    today: NaiveDate,
    mode: ImportMode,
    choices: &HeaderChoices,
) -> Result<Plan, DbErr> {
    let agencies = agency_codes(db).await?;
    let known: HashSet<String> = agencies.keys().cloned().collect();
    let allowed: Option<HashSet<String>> = scope.map(|s| {
        agencies
            .values()
            .filter(|a| a.path.starts_with(&s.path))
            .map(|a| a.code.clone())
            .collect()
    });
    let (rows, errors, columns) = roster::read_roster(bytes, &known, allowed.as_ref(), choices);
    if !errors.is_empty() {
        return Ok(Plan::refused(errors, mode, columns));
    }
    let unit: HashSet<String> = match &allowed {
        Some(a) => a.clone(),
        None => rows.iter().map(|r| r.agency_code.clone()).collect(),
    };
    let now = current(db).await?;
    let active_in_unit = now.iter().filter(|c| c.active && unit.contains(&c.agency_code)).count();
    let authoritative = match mode {
        ImportMode::Complete => unit,
        ImportMode::Update => HashSet::new(),
    };
    let diff = roster::diff(&now, &rows, &authoritative);
    // A manager may not pull an official out of another agency's subtree (or take back one who
    // left from elsewhere): that official is not theirs to move.
    if let Some(allowed) = &allowed {
        let current = current(db).await?;
        let agency_of: HashMap<i64, &str> = current.iter().map(|c| (c.person_id, c.agency_code.as_str())).collect();
        let outside: Vec<(&RosterRow, &str)> = diff
            .transfers
            .iter()
            .map(|(pid, from, r)| (*pid, from.as_str(), r))
            .chain(
                diff.joiners
                    .iter()
                    .filter_map(|(pid, r)| pid.map(|p| (p, agency_of.get(&p).copied().unwrap_or(""), r))),
            )
            .filter(|(_, from, _)| !allowed.contains(*from))
            .map(|(_, from, r)| (r, from))
            .collect();
        if !outside.is_empty() {
            let mut errors: Vec<FileError> = outside
                .into_iter()
                .map(|(r, from)| FileError {
                    line: r.line,
                    column: 0,
                    header: String::new(),
                    what: Said::new(
                        format!("cán bộ {} hiện thuộc đơn vị {from}, ngoài phạm vi bạn quản lý", r.code),
                        format!("official {} belongs to {from}, outside the agencies you manage", r.code),
                    ),
                    hint: Said::new(
                        "đề nghị đơn vị đó hoặc quản trị viên điều chuyển",
                        "ask that agency or an administrator to transfer them",
                    ),
                })
                .collect();
            errors.sort_by_key(|e| e.line);
            return Ok(Plan::refused(errors, mode, columns));
        }
    }
    // Nor may they change the e-mail address of an official whose account holds rights they
    // could not grant: the next password-reset link would go to the new address.
    if let Some(s) = scope {
        let errors = guarded_emails(db, &rows, &now, &s.path).await?;
        if !errors.is_empty() {
            return Ok(Plan::refused(errors, mode, columns));
        }
    }
    let grouped = effects(db, &diff, &agencies, today).await?;
    let effects = [&grouped.joiners, &grouped.leavers, &grouped.transfers, &grouped.changes]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let warnings = roster::formula_warnings(&rows);
    let (accounts_new, accounts_untouched) = account_plan(db, &rows, &diff, &now, allowed.as_ref(), &agencies).await?;
    Ok(Plan {
        errors,
        rows,
        diff,
        effects,
        grouped,
        mode,
        active_in_unit,
        warnings,
        accounts_new,
        accounts_untouched,
        columns,
    })
}

/// The rows that would change the e-mail address of an official whose account holds a right
/// the manager of `scope_path` could not grant (`rights::held_beyond`), as errors.
async fn guarded_emails(
    db: &impl ConnectionTrait,
    rows: &[RosterRow],
    now: &[Current],
    scope_path: &str,
) -> Result<Vec<FileError>, DbErr> {
    use super::db::entities::account;
    let email_of: HashMap<&str, (i64, Option<&str>)> = now
        .iter()
        .map(|c| (c.code.as_str(), (c.person_id, c.email.as_deref())))
        .collect();
    // (row, person) whose address the file changes.
    let changing: Vec<(&RosterRow, i64)> = rows
        .iter()
        .filter_map(|r| {
            let (pid, old) = email_of.get(r.code.as_str())?;
            let new = r.email.as_deref()?;
            (old.is_none_or(|o| !o.eq_ignore_ascii_case(new))).then_some((r, *pid))
        })
        .collect();
    if changing.is_empty() {
        return Ok(vec![]);
    }
    let mut account_of: HashMap<i64, i64> = HashMap::new();
    for chunk in changing.chunks(500) {
        for a in account::Entity::find()
            .filter(account::Column::PersonId.is_in(chunk.iter().map(|(_, p)| *p)))
            .all(db)
            .await?
        {
            if let Some(p) = a.person_id {
                account_of.insert(p, a.id);
            }
        }
    }
    let accounts: Vec<i64> = account_of.values().copied().collect();
    let beyond = super::rights::held_beyond_scopes(db, false, &[scope_path], &accounts).await?;
    Ok(changing
        .into_iter()
        .filter(|(_, p)| account_of.get(p).is_some_and(|a| beyond.contains(a)))
        .map(|(r, _)| FileError {
            line: r.line,
            column: 0,
            header: String::new(),
            what: Said::new(
                format!(
                    "cán bộ {} giữ quyền mà bạn không thể cấp (quản trị, giảng viên, hoặc quản lý ngoài phạm vi của bạn): bạn không đổi được e-mail của họ",
                    r.code
                ),
                format!(
                    "official {} holds rights you could not grant (administrator, trainer, or manager beyond your agencies): you cannot change their e-mail",
                    r.code
                ),
            ),
            hint: Said::new(
                "để trống ô e-mail hoặc giữ địa chỉ cũ; quản trị viên đổi e-mail cho họ",
                "leave the e-mail cell empty or keep the old address; an administrator changes it",
            ),
        })
        .collect())
}

/// How many officials of the file get an account on applying, and which accounts without an
/// official (in the importer's scope) the roster leaves alone.
async fn account_plan(
    db: &impl ConnectionTrait,
    rows: &[RosterRow],
    diff: &RosterDiff,
    now: &[Current],
    allowed: Option<&HashSet<String>>,
    agencies: &HashMap<String, agency::Model>,
) -> Result<(usize, Vec<String>), DbErr> {
    use super::db::entities::account;
    let by_code: HashMap<&str, i64> = now.iter().map(|c| (c.code.as_str(), c.person_id)).collect();
    let existing: Vec<i64> = rows
        .iter()
        .filter_map(|r| by_code.get(r.code.as_str()).copied())
        .collect();
    let mut with_account: HashSet<i64> = HashSet::new();
    for chunk in existing.chunks(500) {
        for a in account::Entity::find()
            .filter(account::Column::PersonId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            with_account.extend(a.person_id);
        }
    }
    let can_sign_in = |code: &str| crate::domain::identity::Username::parse(code).is_ok();
    let new_people = diff
        .joiners
        .iter()
        .filter(|(pid, r)| pid.is_none() && can_sign_in(&r.code))
        .count();
    let unlinked = rows
        .iter()
        .filter(|r| by_code.get(r.code.as_str()).is_some_and(|p| !with_account.contains(p)) && can_sign_in(&r.code))
        .count();
    let in_scope: Option<HashSet<i64>> =
        allowed.map(|a| a.iter().filter_map(|c| agencies.get(c)).map(|x| x.id).collect());
    let untouched = account::Entity::find()
        .filter(account::Column::PersonId.is_null())
        .order_by_asc(account::Column::Username)
        .all(db)
        .await?
        .into_iter()
        .filter(|a| match &in_scope {
            Some(ids) => a.scope_agency_id.is_some_and(|s| ids.contains(&s)),
            None => true,
        })
        .map(|a| a.username)
        .collect();
    Ok((new_people + unlinked, untouched))
}

/// How each change moves each active program's numbers.
async fn effects(
    db: &impl ConnectionTrait,
    diff: &RosterDiff,
    agencies: &HashMap<String, agency::Model>,
    today: NaiveDate,
) -> Result<Effects, DbErr> {
    let programs = program::Entity::find()
        .filter(program::Column::Active.eq(true))
        .all(db)
        .await?;
    let mut prepared = vec![];
    for p in &programs {
        let rule = super::coverage::rule_of(p)?;
        let facts = super::coverage::load_facts(db, &rule, p.id).await?;
        prepared.push((p.code.clone(), rule, facts));
    }
    let indexes: Vec<(&String, Index<'_>)> = prepared.iter().map(|(c, r, f)| (c, Index::new(r, f))).collect();
    let id_of = |code: &str| agencies.get(code).map(|a| a.id).unwrap_or(-1);
    let word = |covered: bool| if covered { "đã đạt" } else { "chưa đạt" };
    let describe = |who: String, before: Option<i64>, after: Option<(i64, &str, bool)>| -> String {
        let mut parts = vec![];
        for (code, ix) in &indexes {
            let was = before.is_some_and(|pid| ix.population_membership(pid, today).is_some());
            let covered = before.is_some_and(|pid| ix.status(pid, today) == Status::Covered);
            let will = after.is_some_and(|(a, pos, e)| ix.in_population(a, pos, e));
            match (was, will) {
                (false, true) => parts.push(format!("{code}: +1 người phải đạt, {}", word(covered))),
                (true, false) => parts.push(format!("{code}: −1 người phải đạt ({})", word(covered))),
                (true, true) if after.is_some() => parts.push(format!("{code}: vẫn thuộc diện, {}", word(covered))),
                _ => {}
            }
        }
        let tail = if parts.is_empty() {
            "không ảnh hưởng chỉ tiêu".to_string()
        } else {
            parts.join("; ")
        };
        format!("{who} → {tail}")
    };
    let mut out = Effects::default();
    for (pid, r) in &diff.joiners {
        out.joiners.push(describe(
            format!("Mới: {} {} ({})", r.code, r.full_name, r.agency_code),
            *pid,
            Some((id_of(&r.agency_code), &r.position, r.enforcement)),
        ));
    }
    for l in &diff.leavers {
        out.leavers.push(describe(
            format!("Nghỉ: {} {} ({})", l.code, l.full_name, l.agency_code),
            Some(l.person_id),
            None,
        ));
    }
    for (pid, from, r) in &diff.transfers {
        out.transfers.push(describe(
            format!("Điều chuyển: {} {} ({from} → {})", r.code, r.full_name, r.agency_code),
            Some(*pid),
            Some((id_of(&r.agency_code), &r.position, r.enforcement)),
        ));
    }
    for (pid, fields, r) in &diff.changes {
        out.changes.push(describe(
            format!("Thay đổi {}: {} {}", fields.join(", "), r.code, r.full_name),
            Some(*pid),
            Some((id_of(&r.agency_code), &r.position, r.enforcement)),
        ));
    }
    Ok(out)
}

/// What an apply did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Errors: nothing written.
    Invalid(usize),
    NoChanges,
    /// (joiners, leavers, transfers, changes)
    Done(usize, usize, usize, usize),
}

/// Checks the file again and applies it in one transaction, or nothing at all. `effective` is
/// the date membership periods open and close on (unless the row has its own dates).
pub async fn apply(
    db: &DatabaseConnection,
    bytes: &[u8],
    scope: Option<&Scope>,
    effective: NaiveDate,
    mode: ImportMode,
    choices: &HeaderChoices,
    by: Option<(i64, &str)>,
) -> Result<(Applied, Plan), DbErr> {
    let tx = db.begin_with_options(super::db::write_tx()).await?;
    let plan = plan(&tx, bytes, scope, effective, mode, choices).await?;
    if !plan.errors.is_empty() {
        tx.rollback().await?;
        return Ok((Applied::Invalid(plan.errors.len()), plan));
    }
    if !plan.applicable() {
        tx.rollback().await?;
        return Ok((Applied::NoChanges, plan));
    }
    let agencies = agency_codes(&tx).await?;
    let now = crate::ssr::clock::now();
    let id_of = |code: &str| {
        agencies
            .get(code)
            .map(|a| a.id)
            .ok_or_else(|| DbErr::Custom(format!("agency {code}")))
    };
    let d = &plan.diff;
    for (existing, r) in &d.joiners {
        let start = r.start_date.or(Some(effective));
        let agency_id = id_of(&r.agency_code)?;
        let pid = match existing {
            // A former official coming back: the same record, active again.
            Some(pid) => update_person(&tx, *pid, agency_id, r, true).await?,
            None => {
                person::ActiveModel {
                    code: Set(r.code.clone()),
                    full_name: Set(r.full_name.clone()),
                    agency_id: Set(agency_id),
                    position: Set(r.position.clone()),
                    enforcement: Set(r.enforcement),
                    email: Set(r.email.clone()),
                    phone: Set(r.phone.clone()),
                    start_date: Set(start),
                    end_date: Set(None),
                    active: Set(true),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?
                .id
            }
        };
        open_period(&tx, pid, agency_id, r, start, now).await?;
    }
    for l in &d.leavers {
        let end = l.end_date.unwrap_or(effective);
        close_periods(&tx, l.person_id, end).await?;
        let p = person::Entity::find_by_id(l.person_id)
            .one(&tx)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("person".into()))?;
        let mut am: person::ActiveModel = p.into();
        am.active = Set(false);
        am.end_date = Set(Some(end));
        am.update(&tx).await?;
    }
    for (pid, _, r) in d.transfers.iter().map(|(p, f, r)| (p, f, r)) {
        let agency_id = id_of(&r.agency_code)?;
        close_periods(&tx, *pid, effective).await?;
        open_period(&tx, *pid, agency_id, r, Some(effective), now).await?;
        update_person(&tx, *pid, agency_id, r, false).await?;
    }
    for (pid, fields, r) in &d.changes {
        let agency_id = id_of(&r.agency_code)?;
        // Position and duty are history (they decide who was in a population on a date).
        if fields.iter().any(|f| f == "chức vụ" || f == "nhiệm vụ thực thi") {
            close_periods(&tx, *pid, effective).await?;
            open_period(&tx, *pid, agency_id, r, Some(effective), now).await?;
        }
        update_person(&tx, *pid, agency_id, r, false).await?;
    }
    // Every official of the file can sign in: an account each (created or linked), leavers'
    // disabled, returning officials' restored.
    let codes: Vec<String> = plan.rows.iter().map(|r| r.code.clone()).collect();
    let mut active = vec![];
    for chunk in codes.chunks(500) {
        for p in person::Entity::find()
            .filter(person::Column::Code.is_in(chunk.to_vec()))
            .filter(person::Column::Active.eq(true))
            .all(&tx)
            .await?
        {
            active.push((p.id, p.code));
        }
    }
    let leavers: Vec<i64> = d.leavers.iter().map(|l| l.person_id).collect();
    let accounts = crate::ssr::accounts::sync_roster_accounts(&tx, &active, &leavers).await?;
    // One audit event per official the file changed, in the same transaction.
    let code_to_id: HashMap<String, i64> = active.iter().map(|(id, code)| (code.clone(), *id)).collect();
    let file = crate::domain::audit::digest(&String::from_utf8_lossy(bytes));
    let event = |person: i64, change: serde_json::Value| {
        let mut e = crate::ssr::audit::Event::new(crate::ssr::audit::kind::ROSTER, change).about(person);
        e.data["file_sha256"] = serde_json::Value::String(file.clone());
        e.data["effective"] = serde_json::Value::String(effective.to_string());
        match by {
            Some((id, name)) => e.by(id, name),
            None => e,
        }
    };
    let mut events = Vec::new();
    for (_, r) in &d.joiners {
        if let Some(&pid) = code_to_id.get(&r.code) {
            events.push(event(
                pid,
                serde_json::json!({ "change": "joined", "code": r.code, "agency": r.agency_code }),
            ));
        }
    }
    for l in &d.leavers {
        events.push(event(
            l.person_id,
            serde_json::json!({ "change": "left", "end": l.end_date.unwrap_or(effective).to_string() }),
        ));
    }
    for (pid, from, r) in &d.transfers {
        events.push(event(
            *pid,
            serde_json::json!({ "change": "transferred", "from": from, "to": r.agency_code }),
        ));
    }
    for (pid, fields, _) in &d.changes {
        events.push(event(
            *pid,
            serde_json::json!({ "change": "updated", "fields": fields }),
        ));
    }
    crate::ssr::audit::append_all(&tx, events).await?;
    tx.commit().await?;
    tracing::info!(
        created = accounts.created,
        disabled = accounts.disabled,
        restored = accounts.restored,
        "roster accounts"
    );
    let counts = (d.joiners.len(), d.leavers.len(), d.transfers.len(), d.changes.len());
    Ok((Applied::Done(counts.0, counts.1, counts.2, counts.3), plan))
}

/// Writes a roster row onto an existing official (the one place that does): name, agency,
/// position, duty, and e-mail/phone where the file has them; `reactivate` for a returning
/// official. Returns the person's id.
async fn update_person(
    db: &impl ConnectionTrait,
    pid: i64,
    agency_id: i64,
    r: &RosterRow,
    reactivate: bool,
) -> Result<i64, DbErr> {
    let p = person::Entity::find_by_id(pid)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("person".into()))?;
    let mut am: person::ActiveModel = p.into();
    am.full_name = Set(r.full_name.clone());
    am.agency_id = Set(agency_id);
    am.position = Set(r.position.clone());
    am.enforcement = Set(r.enforcement);
    if reactivate {
        am.active = Set(true);
        am.end_date = Set(None);
    }
    if r.email.is_some() {
        am.email = Set(r.email.clone());
    }
    if r.phone.is_some() {
        am.phone = Set(r.phone.clone());
    }
    Ok(am.update(db).await?.id)
}

async fn open_period(
    db: &impl ConnectionTrait,
    pid: i64,
    agency_id: i64,
    r: &RosterRow,
    from: Option<NaiveDate>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    membership::ActiveModel {
        person_id: Set(pid),
        agency_id: Set(agency_id),
        position: Set(r.position.clone()),
        enforcement: Set(r.enforcement),
        valid_from: Set(from),
        valid_to: Set(None),
        created_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Closes every open period of an official on `end` (exclusive).
async fn close_periods(db: &impl ConnectionTrait, pid: i64, end: NaiveDate) -> Result<(), DbErr> {
    membership::Entity::update_many()
        .col_expr(membership::Column::ValidTo, sea_orm::sea_query::Expr::value(end))
        .filter(membership::Column::PersonId.eq(pid))
        .filter(membership::Column::ValidTo.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Checks an agency file; with `apply`, upserts the agencies and recomputes every path, in
/// one transaction. Returns the errors (nothing applied when any) and a summary line.
pub async fn import_agencies(
    db: &DatabaseConnection,
    bytes: &[u8],
    apply: bool,
    choices: &HeaderChoices,
) -> Result<(Vec<FileError>, String, Vec<HeaderMatch>), DbErr> {
    let tx = db.begin_with_options(super::db::write_tx()).await?;
    let existing = agency_codes(&tx).await?;
    let known: HashSet<String> = existing.keys().cloned().collect();
    let (rows, errors, columns) = roster::read_agencies(bytes, &known, choices);
    if !errors.is_empty() {
        tx.rollback().await?;
        return Ok((errors, String::new(), columns));
    }
    let mut new = 0;
    let mut changed = 0;
    let now = crate::ssr::clock::now();
    // Pass 1: create or update names and dates; pass 2: links (targets may be new).
    for r in &rows {
        match existing.get(&r.code) {
            Some(a) => {
                if a.name != r.name || a.valid_from != r.valid_from || a.valid_to != r.valid_to {
                    changed += 1;
                    let mut am: agency::ActiveModel = a.clone().into();
                    am.name = Set(r.name.clone());
                    am.valid_from = Set(r.valid_from);
                    am.valid_to = Set(r.valid_to);
                    am.update(&tx).await?;
                }
            }
            None => {
                new += 1;
                agency::ActiveModel {
                    code: Set(r.code.clone()),
                    name: Set(r.name.clone()),
                    kind: Set("other".into()),
                    parent_id: Set(None),
                    path: Set(String::new()),
                    valid_from: Set(r.valid_from),
                    valid_to: Set(r.valid_to),
                    merged_into_id: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
            }
        }
    }
    let all = agency_codes(&tx).await?;
    for r in &rows {
        let a = &all[&r.code];
        let parent = r.parent_code.as_ref().map(|c| all[c].id);
        let merged = r.merged_into.as_ref().map(|c| all[c].id);
        if a.parent_id != parent || a.merged_into_id != merged {
            if existing.contains_key(&r.code) {
                changed += 1;
            }
            let mut am: agency::ActiveModel = a.clone().into();
            am.parent_id = Set(parent);
            am.merged_into_id = Set(merged);
            am.update(&tx).await?;
        }
    }
    recompute_paths(&tx).await?;
    let summary = if new == 0 && changed == 0 {
        "không có thay đổi (no changes)".to_string()
    } else {
        format!("{new} đơn vị mới, {changed} đơn vị thay đổi")
    };
    if apply {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok((vec![], summary, columns))
}

/// Rewrites every agency's materialised path from the parent links.
pub async fn recompute_paths(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let all = agency::Entity::find().all(db).await?;
    let parent: HashMap<i64, Option<i64>> = all.iter().map(|a| (a.id, a.parent_id)).collect();
    for a in all {
        let mut chain = vec![a.id];
        let mut cur = a.parent_id;
        while let Some(p) = cur {
            if chain.contains(&p) || chain.len() > 64 {
                return Err(DbErr::Custom(format!("agency tree cycle at {}", a.code)));
            }
            chain.push(p);
            cur = parent.get(&p).copied().flatten();
        }
        chain.reverse();
        let path = format!(
            "/{}/",
            chain.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("/")
        );
        if path != a.path {
            let mut am: agency::ActiveModel = a.into();
            am.path = Set(path);
            am.update(db).await?;
        }
    }
    Ok(())
}

pub mod spreadsheet;
pub mod web;

/// The key a unit's remembered header choices are filed under: the manager's agency, or `*`.
pub fn scope_key(db_scope: Option<&Scope>) -> String {
    db_scope.map_or_else(|| "*".to_string(), |s| s.agency_id.to_string())
}

/// The columns remembered for the headers of a unit's files of `kind`.
pub async fn remembered(db: &impl ConnectionTrait, scope: &str, kind: &str) -> Result<HeaderChoices, DbErr> {
    use super::db::entities::header_choice;
    Ok(header_choice::Entity::find()
        .filter(header_choice::Column::ScopeKey.eq(scope))
        .filter(header_choice::Column::Kind.eq(kind))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.header_key, c.label))
        .collect())
}

/// Remembers the columns a person confirmed (chosen or inferred, then applied) for the next file.
pub async fn remember(
    db: &impl ConnectionTrait,
    scope: &str,
    kind: &str,
    columns: &[HeaderMatch],
) -> Result<(), DbErr> {
    use super::db::entities::header_choice;
    use crate::domain::roster::{HowMatched, IGNORE, header_key};
    let now = crate::ssr::clock::now();
    for m in columns
        .iter()
        .filter(|m| matches!(m.how, HowMatched::Chosen | HowMatched::Inferred))
    {
        let key = header_key(&m.header);
        if key.is_empty() {
            continue;
        }
        let label = m.label.clone().unwrap_or_else(|| IGNORE.to_string());
        header_choice::Entity::delete_many()
            .filter(header_choice::Column::ScopeKey.eq(scope))
            .filter(header_choice::Column::Kind.eq(kind))
            .filter(header_choice::Column::HeaderKey.eq(key.as_str()))
            .exec(db)
            .await?;
        header_choice::ActiveModel {
            scope_key: Set(scope.to_string()),
            kind: Set(kind.to_string()),
            header_key: Set(key),
            label: Set(label),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Choices as a form or query carries them: `c{N}` = the label chosen for column N (1-based),
/// turned into header keys with the file's own header row; remembered ones underneath.
pub fn choices_from_form<'a>(
    bytes: &[u8],
    base: HeaderChoices,
    fields: impl Iterator<Item = (&'a str, &'a str)>,
) -> HeaderChoices {
    let header = roster::header_row(bytes);
    let mut out = base;
    for (k, v) in fields {
        let Some(n) = k.strip_prefix('c').and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        if let Some(h) = n.checked_sub(1).and_then(|i| header.get(i)) {
            out.insert(roster::header_key(h), v.trim().to_string());
        }
    }
    out
}
